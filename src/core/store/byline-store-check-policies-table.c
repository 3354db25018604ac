/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-check-policies-table.c: the SQL of the check_policies table (which fields each
 * site requires and which findings of the pre-publish check stop a post there).
 *
 * Callers hold the store's lock around these. */

#include "config.h"

#include "byline-store-check-policies-table.h"

static const char load_sql[] =
  "SELECT required, blocking FROM check_policies WHERE account_id = ?1";
static const char save_sql[] =
  "INSERT OR REPLACE INTO check_policies (account_id, required, blocking, updated_at)"
  " VALUES (?1, ?2, ?3, ?4)";

gboolean
byline_store_check_policies_table_load (BylineSqliteConnection  *conn,
                                        gint64                   account_id,
                                        gboolean                *found,
                                        char                   **required,
                                        char                   **blocking,
                                        GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;
  GError *step_error = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, load_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  *found = byline_sqlite_statement_step (stmt, &step_error);
  if (step_error != NULL)
    {
      g_propagate_error (error, step_error);
      return FALSE;
    }
  if (*found)
    {
      *required = byline_sqlite_statement_dup_text (stmt, 0);
      *blocking = byline_sqlite_statement_dup_text (stmt, 1);
    }
  return TRUE;
}

gboolean
byline_store_check_policies_table_save (BylineSqliteConnection  *conn,
                                        gint64                   account_id,
                                        const char              *required,
                                        const char              *blocking,
                                        gint64                   now,
                                        GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, save_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_text (stmt, 2, required);
  byline_sqlite_statement_bind_text (stmt, 3, blocking);
  byline_sqlite_statement_bind_int64 (stmt, 4, now);
  return byline_sqlite_statement_run (stmt, error);
}
