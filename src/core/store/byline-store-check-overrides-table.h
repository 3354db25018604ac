/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-check-overrides-table.h: the SQL of the check_overrides table (posts sent despite
 * blocking findings of the pre-publish check, with the person's reason). */
#pragma once

#include "byline-check-override.h"
#include "byline-sqlite-connection.h"

G_BEGIN_DECLS

/* Records that @draft_id was sent to @account_id at @now despite @findings (text), for
 * @reason (not empty: the table refuses it). Its id, or 0 on a failure (NOT_FOUND when the draft
 * is gone). */
gint64     byline_store_check_overrides_table_insert (BylineSqliteConnection  *conn,
                                                      gint64                   draft_id,
                                                      gint64                   account_id,
                                                      gint64                   now,
                                                      const char              *reason,
                                                      const char              *findings,
                                                      GError                 **error);
/* The overrides of @draft_id (0: all), oldest first, as BylineCheckOverride. NULL on a
 * failure. */
GPtrArray *byline_store_check_overrides_table_list   (BylineSqliteConnection  *conn,
                                                      gint64                   draft_id,
                                                      GError                 **error);

G_END_DECLS
