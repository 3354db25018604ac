/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-check-overrides-table.c: the SQL of the check_overrides table (posts sent despite
 * blocking findings of the pre-publish check, with the person's reason).
 *
 * Callers hold the store's lock around these. */

#include "config.h"

#include "byline-store-check-overrides-table.h"

static const char insert_sql[] =
  "INSERT INTO check_overrides (draft_id, account_id, created_at, reason, findings)"
  " VALUES (?1, ?2, ?3, ?4, ?5)";
static const char list_sql[] =
  "SELECT id, draft_id, account_id, created_at, reason, findings FROM check_overrides"
  " WHERE ?1 = 0 OR draft_id = ?1 ORDER BY created_at, id";

gint64
byline_store_check_overrides_table_insert (BylineSqliteConnection  *conn,
                                           gint64                   draft_id,
                                           gint64                   account_id,
                                           gint64                   now,
                                           const char              *reason,
                                           const char              *findings,
                                           GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, insert_sql, error)))
    return 0;
  byline_sqlite_statement_bind_int64 (stmt, 1, draft_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 3, now);
  byline_sqlite_statement_bind_text (stmt, 4, reason);
  byline_sqlite_statement_bind_text (stmt, 5, findings);
  if (!byline_sqlite_statement_run (stmt, error))
    return 0;
  return byline_sqlite_connection_get_last_insert_id (conn);
}

GPtrArray *
byline_store_check_overrides_table_list (BylineSqliteConnection  *conn,
                                         gint64                   draft_id,
                                         GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;
  g_autoptr(GPtrArray) overrides = NULL;
  GError *step_error = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, list_sql, error)))
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, draft_id);
  overrides = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_check_override_free);
  while (byline_sqlite_statement_step (stmt, &step_error))
    {
      BylineCheckOverride *override = byline_check_override_new ();

      override->id = byline_sqlite_statement_get_int64 (stmt, 0);
      override->draft_id = byline_sqlite_statement_get_int64 (stmt, 1);
      override->account_id = byline_sqlite_statement_get_int64 (stmt, 2);
      override->created_at = byline_sqlite_statement_get_int64 (stmt, 3);
      override->reason = byline_sqlite_statement_dup_text (stmt, 4);
      override->findings = byline_sqlite_statement_dup_text (stmt, 5);
      g_ptr_array_add (overrides, override);
    }
  if (step_error != NULL)
    {
      g_propagate_error (error, step_error);
      return NULL;
    }
  return g_steal_pointer (&overrides);
}
