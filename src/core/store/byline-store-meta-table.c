/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-meta-table.c: the SQL of the meta table (small values by key).
 *
 * Callers hold the store's lock around these; transactions are theirs. */

#include "config.h"

#include "byline-store-meta-table.h"

static const char get_sql[] = "SELECT value FROM meta WHERE key = ?1";
static const char set_sql[] = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)";

gboolean
byline_store_meta_table_get (BylineSqliteConnection  *conn,
                             const char              *key,
                             char                   **value,
                             GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;
  GError *step_error = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, get_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_text (stmt, 1, key);
  *value = byline_sqlite_statement_step (stmt, &step_error)
           ? byline_sqlite_statement_dup_text (stmt, 0) : NULL;
  if (step_error != NULL)
    {
      g_propagate_error (error, step_error);
      return FALSE;
    }
  return TRUE;
}

gboolean
byline_store_meta_table_set (BylineSqliteConnection  *conn,
                             const char              *key,
                             const char              *value,
                             GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, set_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_text (stmt, 1, key);
  byline_sqlite_statement_bind_text (stmt, 2, value);
  return byline_sqlite_statement_run (stmt, error);
}
