/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-moderation-reasons-table.h: the SQL of the moderation_reasons table, each site's
 * comment policy reasons. Every function takes the store's locked connection. */
#pragma once

#include "byline-moderation-reasons.h"
#include "byline-sqlite-connection.h"

G_BEGIN_DECLS

/* Whether @account_id has any row (a list, even emptied); FALSE with @error on a failure. */
gboolean   byline_store_moderation_reasons_table_has_any (BylineSqliteConnection  *conn,
                                                          gint64                   account_id,
                                                          GError                 **error);
/* The reasons of @account_id in their order (BylineModerationReason), removed ones too when
 * @removed_too. */
GPtrArray *byline_store_moderation_reasons_table_list    (BylineSqliteConnection  *conn,
                                                          gint64                   account_id,
                                                          gboolean                 removed_too,
                                                          GError                 **error);
/* Adds @slug named @name at @position (a removed one of that slug comes back so). */
gboolean   byline_store_moderation_reasons_table_add     (BylineSqliteConnection  *conn,
                                                          gint64                   account_id,
                                                          const char              *slug,
                                                          const char              *name,
                                                          guint                    position,
                                                          GError                 **error);
/* Sets @slug's @name and @position; the rows changed (0 or 1), -1 on an error. */
gint64     byline_store_moderation_reasons_table_update  (BylineSqliteConnection  *conn,
                                                          gint64                   account_id,
                                                          const char              *slug,
                                                          const char              *name,
                                                          guint                    position,
                                                          GError                 **error);
/* Marks @slug removed; the rows changed (0 or 1), -1 on an error. */
gint64     byline_store_moderation_reasons_table_remove  (BylineSqliteConnection  *conn,
                                                          gint64                   account_id,
                                                          const char              *slug,
                                                          GError                 **error);

G_END_DECLS
