/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-accounts-table.h: the SQL of the accounts table (sites signed in to, no secrets). */
#pragma once

#include "byline-account.h"
#include "byline-sqlite-connection.h"

G_BEGIN_DECLS

/* Every account, oldest first (BylineAccount). NULL on a failure. */
GPtrArray     *byline_store_accounts_table_list   (BylineSqliteConnection  *conn,
                                                   GError                 **error);
/* Account @id, or NULL: with @error set on a failure, unset when there is no such account. */
BylineAccount *byline_store_accounts_table_load   (BylineSqliteConnection  *conn,
                                                   gint64                   id,
                                                   GError                 **error);
/* Inserts @account, or updates the row of the same API root and user name (its created_at
 * stays), and returns the row's id; 0 on a failure. */
gint64         byline_store_accounts_table_upsert (BylineSqliteConnection  *conn,
                                                   BylineAccount           *account,
                                                   gint64                   created_at,
                                                   GError                 **error);
/* Deletes account @id (the rows that belong to it go with it); TRUE when there was none too. */
gboolean       byline_store_accounts_table_delete (BylineSqliteConnection  *conn,
                                                   gint64                   id,
                                                   GError                 **error);

G_END_DECLS
