/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-check-policies-table.h: the SQL of the check_policies table (which fields each
 * site requires and which findings of the pre-publish check stop a post there). */
#pragma once

#include "byline-sqlite-connection.h"

G_BEGIN_DECLS

/* The policy kept for @account_id: the required field names and the blocking kind names, each
 * comma-separated. @found set to FALSE (and nothing else) when none is kept. FALSE with @error
 * set on a failure. */
gboolean  byline_store_check_policies_table_load (BylineSqliteConnection  *conn,
                                                  gint64                   account_id,
                                                  gboolean                *found,
                                                  char                   **required,
                                                  char                   **blocking,
                                                  GError                 **error);
/* Keeps the policy of @account_id instead of the one kept before. */
gboolean  byline_store_check_policies_table_save (BylineSqliteConnection  *conn,
                                                  gint64                   account_id,
                                                  const char              *required,
                                                  const char              *blocking,
                                                  gint64                   now,
                                                  GError                 **error);

G_END_DECLS
