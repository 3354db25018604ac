/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-moderation-reasons-table.c: the SQL of the moderation_reasons table, each site's
 * comment policy reasons.
 *
 * Callers hold the store's lock around these. */

#include "config.h"

#include "byline-store-moderation-reasons-table.h"

static const char has_any_sql[] =
  "SELECT EXISTS (SELECT 1 FROM moderation_reasons WHERE account_id = ?1)";
static const char list_sql[] =
  "SELECT id, account_id, slug, name, position FROM moderation_reasons"
  " WHERE account_id = ?1 AND (?2 OR removed = 0) ORDER BY removed, position, id";
static const char add_sql[] =
  "INSERT INTO moderation_reasons (account_id, slug, name, position) VALUES (?1, ?2, ?3, ?4)"
  " ON CONFLICT (account_id, slug) DO UPDATE SET name = ?3, position = ?4, removed = 0";
static const char update_sql[] =
  "UPDATE moderation_reasons SET name = ?3, position = ?4"
  " WHERE account_id = ?1 AND slug = ?2 AND removed = 0";
static const char remove_sql[] =
  "UPDATE moderation_reasons SET removed = 1"
  " WHERE account_id = ?1 AND slug = ?2 AND removed = 0";

gboolean
byline_store_moderation_reasons_table_has_any (BylineSqliteConnection  *conn,
                                               gint64                   account_id,
                                               GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, has_any_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  if (!byline_sqlite_statement_step (stmt, error))
    return FALSE;
  return byline_sqlite_statement_get_int64 (stmt, 0) != 0;
}

GPtrArray *
byline_store_moderation_reasons_table_list (BylineSqliteConnection  *conn,
                                            gint64                   account_id,
                                            gboolean                 removed_too,
                                            GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;
  g_autoptr(GPtrArray) reasons = NULL;
  GError *step_error = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, list_sql, error)))
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, removed_too);
  reasons = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_moderation_reason_free);
  while (byline_sqlite_statement_step (stmt, &step_error))
    {
      BylineModerationReason *reason = g_new0 (BylineModerationReason, 1);

      reason->id = byline_sqlite_statement_get_int64 (stmt, 0);
      reason->account_id = byline_sqlite_statement_get_int64 (stmt, 1);
      reason->slug = byline_sqlite_statement_dup_text (stmt, 2);
      reason->name = byline_sqlite_statement_dup_text (stmt, 3);
      reason->position = byline_sqlite_statement_get_int64 (stmt, 4);
      g_ptr_array_add (reasons, reason);
    }
  if (step_error != NULL)
    {
      g_propagate_error (error, step_error);
      return NULL;
    }
  return g_steal_pointer (&reasons);
}

gboolean
byline_store_moderation_reasons_table_add (BylineSqliteConnection  *conn,
                                           gint64                   account_id,
                                           const char              *slug,
                                           const char              *name,
                                           guint                    position,
                                           GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, add_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_text (stmt, 2, slug);
  byline_sqlite_statement_bind_text (stmt, 3, name);
  byline_sqlite_statement_bind_int64 (stmt, 4, position);
  return byline_sqlite_statement_run (stmt, error);
}

gint64
byline_store_moderation_reasons_table_update (BylineSqliteConnection  *conn,
                                              gint64                   account_id,
                                              const char              *slug,
                                              const char              *name,
                                              guint                    position,
                                              GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, update_sql, error)))
    return -1;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_text (stmt, 2, slug);
  byline_sqlite_statement_bind_text (stmt, 3, name);
  byline_sqlite_statement_bind_int64 (stmt, 4, position);
  if (!byline_sqlite_statement_run (stmt, error))
    return -1;
  return byline_sqlite_connection_get_changes (conn);
}

gint64
byline_store_moderation_reasons_table_remove (BylineSqliteConnection  *conn,
                                              gint64                   account_id,
                                              const char              *slug,
                                              GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, remove_sql, error)))
    return -1;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_text (stmt, 2, slug);
  if (!byline_sqlite_statement_run (stmt, error))
    return -1;
  return byline_sqlite_connection_get_changes (conn);
}
