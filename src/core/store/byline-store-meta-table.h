/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-meta-table.h: the SQL of the meta table (small values by key: whether the last
 * session closed, what an import of a post wrote). */
#pragma once

#include "byline-sqlite-connection.h"

G_BEGIN_DECLS

/* The value of @key in @value, NULL when there is none. FALSE on a failure. */
gboolean byline_store_meta_table_get (BylineSqliteConnection  *conn,
                                      const char              *key,
                                      char                   **value,
                                      GError                 **error);
/* Sets @key to @value, replacing what it had. */
gboolean byline_store_meta_table_set (BylineSqliteConnection  *conn,
                                      const char              *key,
                                      const char              *value,
                                      GError                 **error);

G_END_DECLS
