/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-moderation-log-table.c: the SQL of the moderation_log table, the audit trail of
 * moderation.
 *
 * Callers hold the store's lock around these. */

#include "config.h"

#include "byline-store-moderation-log-table.h"

/* One statement takes the comment's snapshot, its post's title, the account's user name and the
 * reason's name as they are now, inside the caller's transaction. */
static const char add_sql[] =
  "INSERT INTO moderation_log (account_id, comment_id, remote_id, post_id, post_title,"
  "  author_name, author_email, who, created_at, utc_offset, action, status, reason,"
  "  reason_name, snapshot, outbox_id, sent_action, sent_value, confirmed_at)"
  " SELECT c.account_id, c.id, c.remote_id, c.post_id, coalesce (p.title, ''), c.author_name,"
  "  c.author_email, coalesce (a.username, ''), ?2, ?3, ?4, ?5, ?6,"
  "  coalesce ((SELECT r.name FROM moderation_reasons r"
  "             WHERE r.account_id = c.account_id AND r.slug = ?6), ?6),"
  "  c.text, ?7, ?8, ?9, ?10"
  " FROM comments c LEFT JOIN accounts a ON a.id = c.account_id"
  "  LEFT JOIN comment_posts p ON p.account_id = c.account_id AND p.post_id = c.post_id"
  " WHERE c.id = ?1";
static const char confirm_sql[] =
  "UPDATE moderation_log SET confirmed_at = ?4"
  " WHERE outbox_id = ?1 AND sent_action = ?2 AND sent_value = ?3"
  "  AND confirmed_at = 0 AND refused_at = 0";
static const char refuse_sql[] =
  "UPDATE moderation_log SET refused_at = ?4, refusal = ?5"
  " WHERE outbox_id = ?1 AND sent_action = ?2 AND sent_value = ?3"
  "  AND confirmed_at = 0 AND refused_at = 0";
static const char list_sql[] =
  "SELECT id, account_id, comment_id, remote_id, post_id, post_title, author_name,"
  "  author_email, who, created_at, utc_offset, action, status, reason, reason_name, snapshot,"
  "  confirmed_at, refused_at, refusal FROM moderation_log"
  " WHERE id > ?5 AND (CASE WHEN ?1 != 0 THEN comment_id = ?1"
  "  ELSE (?2 = 0 OR account_id = ?2) AND created_at >= ?3 AND created_at < ?4 END)"
  " ORDER BY id LIMIT ?6";

gboolean
byline_store_moderation_log_table_add (BylineSqliteConnection  *conn,
                                       gint64                   comment_id,
                                       gint64                   now,
                                       gint                     utc_offset,
                                       const char              *action,
                                       const char              *status,
                                       const char              *reason,
                                       gint64                   outbox_id,
                                       const char              *sent_action,
                                       const char              *sent_value,
                                       gint64                   confirmed_at,
                                       GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, add_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, comment_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, now);
  byline_sqlite_statement_bind_int64 (stmt, 3, utc_offset);
  byline_sqlite_statement_bind_text (stmt, 4, action);
  byline_sqlite_statement_bind_text (stmt, 5, status ? status : "");
  byline_sqlite_statement_bind_text (stmt, 6, reason ? reason : "");
  byline_sqlite_statement_bind_int64 (stmt, 7, outbox_id);
  byline_sqlite_statement_bind_text (stmt, 8, sent_action ? sent_action : "");
  byline_sqlite_statement_bind_text (stmt, 9, sent_value ? sent_value : "");
  byline_sqlite_statement_bind_int64 (stmt, 10, confirmed_at);
  if (!byline_sqlite_statement_run (stmt, error))
    return FALSE;
  if (byline_sqlite_connection_get_changes (conn) != 1)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   "Comment %" G_GINT64_FORMAT " is not in the store", comment_id);
      return FALSE;
    }
  return TRUE;
}

static gboolean
answer (BylineSqliteConnection  *conn,
        const char              *sql,
        gint64                   outbox_id,
        const char              *action,
        const char              *value,
        gint64                   now,
        const char              *message,
        GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, outbox_id);
  byline_sqlite_statement_bind_text (stmt, 2, action);
  byline_sqlite_statement_bind_text (stmt, 3, value);
  byline_sqlite_statement_bind_int64 (stmt, 4, now);
  if (message != NULL)
    byline_sqlite_statement_bind_text (stmt, 5, message);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_moderation_log_table_confirm (BylineSqliteConnection  *conn,
                                           gint64                   outbox_id,
                                           const char              *action,
                                           const char              *value,
                                           gint64                   now,
                                           GError                 **error)
{
  return answer (conn, confirm_sql, outbox_id, action, value, now, NULL, error);
}

gboolean
byline_store_moderation_log_table_refuse (BylineSqliteConnection  *conn,
                                          gint64                   outbox_id,
                                          const char              *action,
                                          const char              *value,
                                          gint64                   now,
                                          const char              *message,
                                          GError                 **error)
{
  return answer (conn, refuse_sql, outbox_id, action, value, now, message ? message : "",
                 error);
}

GPtrArray *
byline_store_moderation_log_table_list (BylineSqliteConnection  *conn,
                                        gint64                   comment_id,
                                        gint64                   account_id,
                                        gint64                   since,
                                        gint64                   until,
                                        gint64                   after_id,
                                        guint                    limit,
                                        GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GError *step_error = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, list_sql, error)))
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, comment_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 3, since);
  byline_sqlite_statement_bind_int64 (stmt, 4, until);
  byline_sqlite_statement_bind_int64 (stmt, 5, after_id);
  byline_sqlite_statement_bind_int64 (stmt, 6, limit);
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_moderation_log_entry_free);
  while (byline_sqlite_statement_step (stmt, &step_error))
    {
      BylineModerationLogEntry *entry = g_new0 (BylineModerationLogEntry, 1);

      entry->id = byline_sqlite_statement_get_int64 (stmt, 0);
      entry->account_id = byline_sqlite_statement_get_int64 (stmt, 1);
      entry->comment_id = byline_sqlite_statement_get_int64 (stmt, 2);
      entry->remote_id = byline_sqlite_statement_get_int64 (stmt, 3);
      entry->post_id = byline_sqlite_statement_get_int64 (stmt, 4);
      entry->post_title = byline_sqlite_statement_dup_text (stmt, 5);
      entry->author_name = byline_sqlite_statement_dup_text (stmt, 6);
      entry->author_email = byline_sqlite_statement_dup_text (stmt, 7);
      entry->who = byline_sqlite_statement_dup_text (stmt, 8);
      entry->created_at = byline_sqlite_statement_get_int64 (stmt, 9);
      entry->utc_offset = byline_sqlite_statement_get_int64 (stmt, 10);
      entry->action = byline_sqlite_statement_dup_text (stmt, 11);
      entry->status = byline_sqlite_statement_dup_text (stmt, 12);
      entry->reason = byline_sqlite_statement_dup_text (stmt, 13);
      entry->reason_name = byline_sqlite_statement_dup_text (stmt, 14);
      entry->snapshot = byline_sqlite_statement_dup_text (stmt, 15);
      entry->confirmed_at = byline_sqlite_statement_get_int64 (stmt, 16);
      entry->refused_at = byline_sqlite_statement_get_int64 (stmt, 17);
      entry->refusal = byline_sqlite_statement_dup_text (stmt, 18);
      g_ptr_array_add (entries, entry);
    }
  if (step_error != NULL)
    {
      g_propagate_error (error, step_error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}
