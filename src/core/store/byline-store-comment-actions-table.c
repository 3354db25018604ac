/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-comment-actions-table.c: the SQL of the comment_actions table, the moderation
 * outbox.
 *
 * state is 0 while an entry waits to be sent and 2 once the site refused it (kept for the
 * comment's detail); sent is 1 while a request is out and 2 once an attempt may have been
 * applied. Never renumber them: they are stored. */

#define G_LOG_DOMAIN "byline-store"

#include "config.h"

#include "byline-store-comment-actions-table.h"

void
byline_store_comment_action_free (BylineStoreCommentAction *action)
{
  g_free (action->action);
  g_free (action->value);
  g_free (action);
}

gboolean
byline_store_comment_actions_table_add (BylineSqliteConnection  *conn,
                                        gint64                   account_id,
                                        gint64                   comment_id,
                                        const char              *action,
                                        const char              *value,
                                        GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn,
                                            /* An id never used before, not even by an entry
                                             * sent and gone: the trail's entries are confirmed
                                             * by the id of the entry that sent them. */
                                            "INSERT INTO comment_actions (id, account_id, "
                                            "  comment_id, action, value, created_at) "
                                            "VALUES (max (coalesce ((SELECT max (id) FROM "
                                            "  comment_actions), 0), coalesce ((SELECT max "
                                            "  (outbox_id) FROM moderation_log WHERE outbox_id "
                                            "  > 0), 0)) + 1, ?1, ?2, ?3, ?4, "
                                            "  strftime ('%s', 'now'))",
                                            error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, comment_id);
  byline_sqlite_statement_bind_text (stmt, 3, action);
  byline_sqlite_statement_bind_text (stmt, 4, value);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_comment_actions_table_change (BylineSqliteConnection  *conn,
                                           gint64                   id,
                                           const char              *action,
                                           const char              *value,
                                           GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn,
                                            "UPDATE comment_actions SET action = ?2, value = ?3, "
                                            "  next_attempt_at = 0 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_text (stmt, 2, action);
  byline_sqlite_statement_bind_text (stmt, 3, value);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_comment_actions_table_drop (BylineSqliteConnection  *conn,
                                         gint64                   id,
                                         GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "DELETE FROM comment_actions WHERE id = ?1",
                                            error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  return byline_sqlite_statement_run (stmt, error);
}

gint64
byline_store_comment_actions_table_drop_if_sent_as (BylineSqliteConnection  *conn,
                                                    gint64                   id,
                                                    const char              *action,
                                                    const char              *value,
                                                    GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "DELETE FROM comment_actions WHERE id = ?1 "
                                            "AND action = ?2 AND value = ?3", error);

  if (stmt == NULL)
    return -1;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_text (stmt, 2, action);
  byline_sqlite_statement_bind_text (stmt, 3, value);
  if (!byline_sqlite_statement_run (stmt, error))
    return -1;
  return byline_sqlite_connection_get_changes (conn);
}

gboolean
byline_store_comment_actions_table_drop_failed (BylineSqliteConnection  *conn,
                                                gint64                   comment_id,
                                                GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "DELETE FROM comment_actions "
                                            "WHERE comment_id = ?1 AND state = 2", error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, comment_id);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_comment_actions_table_drop_comment (BylineSqliteConnection  *conn,
                                                 gint64                   comment_id,
                                                 GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "DELETE FROM comment_actions "
                                            "WHERE comment_id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, comment_id);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_comment_actions_table_has_waiting (BylineSqliteConnection  *conn,
                                                gint64                   comment_id,
                                                gint64                   except_id,
                                                GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "SELECT 1 FROM comment_actions "
                                            "WHERE comment_id = ?1 AND state = 0 "
                                            "AND id != ?2", error);
  g_autoptr(GError) local_error = NULL;
  gboolean found;

  if (stmt == NULL)
    return TRUE;
  byline_sqlite_statement_bind_int64 (stmt, 1, comment_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, except_id);
  found = byline_sqlite_statement_step (stmt, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return TRUE;
    }
  return found;
}

guint
byline_store_comment_actions_table_count_waiting (BylineSqliteConnection  *conn,
                                                  gint64                   account_id,
                                                  GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "SELECT count (*) FROM comment_actions "
                                            "WHERE state = 0 "
                                            "AND (?1 = 0 OR account_id = ?1)", error);

  if (stmt == NULL)
    return 0;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  if (!byline_sqlite_statement_step (stmt, error))
    return 0;
  return byline_sqlite_statement_get_int64 (stmt, 0);
}

gboolean
byline_store_comment_actions_table_retry_now (BylineSqliteConnection  *conn,
                                              gint64                   account_id,
                                              GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "UPDATE comment_actions "
                                            "SET next_attempt_at = 0 WHERE state = 0 "
                                            "AND (?1 = 0 OR account_id = ?1)", error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  return byline_sqlite_statement_run (stmt, error);
}

/* @blocked's ids as a JSON array, for json_each (): one statement whatever their number. */
static char *
ids_to_json (GHashTable *blocked)
{
  GString *json = g_string_new ("[");
  GHashTableIter iter;
  gpointer key;

  if (blocked != NULL)
    {
      g_hash_table_iter_init (&iter, blocked);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        g_string_append_printf (json, "%s%" G_GINT64_FORMAT, json->len > 1 ? "," : "",
                                *(gint64 *) key);
    }
  g_string_append_c (json, ']');
  return g_string_free (json, FALSE);
}

GPtrArray *
byline_store_comment_actions_table_list_due (BylineSqliteConnection  *conn,
                                             gint64                   now,
                                             GHashTable              *blocked,
                                             guint                    limit,
                                             GError                 **error)
{
  static const char sql[] =
    "SELECT a.id, a.account_id, a.comment_id, a.action, a.value, a.attempts, c.remote_id, "
    "       c.post_id, c.parent_id "
    "FROM comment_actions a JOIN comments c ON c.id = a.comment_id "
    "WHERE a.state = 0 AND a.next_attempt_at <= ?1 AND a.create_settles_at <= ?1 "
    "AND NOT EXISTS ("
    "  SELECT 1 FROM comment_actions b WHERE b.comment_id = a.comment_id AND b.state = 0 "
    "  AND b.id < a.id) "
    /* A site that failed (down, 5xx, 429 with Retry-After) gets nothing until its backoff
     * ends, not just the entry that failed (a reply's hold is no backoff: see _hold). Not
     * correlated, so SQLite reads the sites waiting once, not once for each entry waiting
     * (thousands of them after a bulk decision). */
    "AND a.account_id NOT IN (SELECT w.account_id FROM comment_actions w "
    "  WHERE w.state = 0 AND w.next_attempt_at > ?1) "
    /* Accounts stopped by the caller are left out here, not after the LIMIT: their entries
     * must not crowd out another site's. */
    "AND a.account_id NOT IN (SELECT value FROM json_each (?3)) "
    "ORDER BY a.id LIMIT ?2";
  /* Before the statement, so that it is freed after the statement's reset: it is bound
   * without a copy. */
  g_autofree char *blocked_json = ids_to_json (blocked);
  g_autoptr(BylineSqliteStatement) stmt = byline_sqlite_connection_get_statement (conn, sql,
                                                                                  error);
  g_autoptr(GPtrArray) due =
    g_ptr_array_new_with_free_func ((GDestroyNotify) byline_store_comment_action_free);
  g_autoptr(GError) local_error = NULL;

  if (stmt == NULL)
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, now);
  byline_sqlite_statement_bind_int64 (stmt, 2, limit);
  byline_sqlite_statement_bind_text (stmt, 3, blocked_json);
  while (byline_sqlite_statement_step (stmt, &local_error))
    {
      BylineStoreCommentAction *action = g_new0 (BylineStoreCommentAction, 1);

      action->id = byline_sqlite_statement_get_int64 (stmt, 0);
      action->account_id = byline_sqlite_statement_get_int64 (stmt, 1);
      action->comment_id = byline_sqlite_statement_get_int64 (stmt, 2);
      action->action = byline_sqlite_statement_dup_text (stmt, 3);
      action->value = byline_sqlite_statement_dup_text (stmt, 4);
      action->attempts = byline_sqlite_statement_get_int64 (stmt, 5);
      action->remote_id = byline_sqlite_statement_get_int64 (stmt, 6);
      action->post_id = byline_sqlite_statement_get_int64 (stmt, 7);
      action->parent_id = byline_sqlite_statement_get_int64 (stmt, 8);
      g_ptr_array_add (due, action);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&due);
}

gboolean
byline_store_comment_actions_table_mark_sent (BylineSqliteConnection  *conn,
                                              gint64                   id,
                                              GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "UPDATE comment_actions SET sent = sent | 1 "
                                            "WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_comment_actions_table_hold (BylineSqliteConnection  *conn,
                                         gint64                   id,
                                         gint64                   until,
                                         GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "UPDATE comment_actions "
                                            "SET create_settles_at = ?2 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_int64 (stmt, 2, until);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_comment_actions_table_postpone (BylineSqliteConnection  *conn,
                                             gint64                   id,
                                             gint64                   due_at,
                                             const char              *message,
                                             gboolean                 maybe_done,
                                             GError                 **error)
{
  static const char applied_sql[] =
    "UPDATE comment_actions SET attempts = attempts + 1, next_attempt_at = ?2, "
    "last_error = ?3, sent = 2 WHERE id = ?1";
  static const char not_applied_sql[] =
    "UPDATE comment_actions SET attempts = attempts + 1, next_attempt_at = ?2, "
    "last_error = ?3, sent = sent & 2 WHERE id = ?1";
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, maybe_done ? applied_sql : not_applied_sql,
                                            error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_int64 (stmt, 2, due_at);
  byline_sqlite_statement_bind_text (stmt, 3, message);
  return byline_sqlite_statement_run (stmt, error);
}

gint64
byline_store_comment_actions_table_mark_failed (BylineSqliteConnection  *conn,
                                                gint64                   id,
                                                const char              *action,
                                                const char              *value,
                                                const char              *message,
                                                GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "UPDATE comment_actions SET state = 2, "
                                            "last_error = ?2 WHERE id = ?1 "
                                            "AND action = ?3 AND value = ?4", error);

  if (stmt == NULL)
    return -1;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_text (stmt, 2, message);
  byline_sqlite_statement_bind_text (stmt, 3, action);
  byline_sqlite_statement_bind_text (stmt, 4, value);
  if (!byline_sqlite_statement_run (stmt, error))
    return -1;
  return byline_sqlite_connection_get_changes (conn);
}
