/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-comments-table.c: the SQL of the comments table.
 *
 * status is what the moderator decided (shown at once), remote_status what the site last said,
 * restore_status where spam and trash go back to. Every statement is the connection's, prepared
 * once: a list view reads hundreds of comments at once, and a bulk decision reads and writes
 * each of 10,000. */

#define G_LOG_DOMAIN "byline-store"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-comment-private.h"
#include "byline-store-comments-table.h"

/* A comment, with what the outbox holds for it and its post's title. */
#define COMMENT_COLUMNS \
  "c.id, c.account_id, c.remote_id, c.post_id, c.parent_id, c.author_user_id, c.author_name, " \
  "c.author_email, c.author_url, c.author_ip, c.date_gmt, c.date_unix, c.content, c.raw, " \
  "c.text, c.link, c.status, c.remote_status, " \
  "EXISTS (SELECT 1 FROM comment_actions a WHERE a.comment_id = c.id AND a.state = 0), " \
  "COALESCE ((SELECT a.last_error FROM comment_actions a " \
  "           WHERE a.comment_id = c.id AND a.state = 2 ORDER BY a.id DESC LIMIT 1), ''), " \
  "COALESCE (p.title, ''), COALESCE (p.link, ''), c.restore_status, " \
  "(SELECT count (*) = 1 AND max (a.sent) = 0 AND min (a.action) IN ('status', 'delete') " \
  " FROM comment_actions a WHERE a.comment_id = c.id AND a.state = 0)"
#define COMMENT_FROM \
  " FROM comments c LEFT JOIN comment_posts p" \
  " ON p.account_id = c.account_id AND p.post_id = c.post_id "

static BylineComment *
comment_from_row (BylineSqliteStatement *stmt)
{
  BylineComment *comment = g_object_new (BYLINE_TYPE_COMMENT, NULL);

  comment->id = byline_sqlite_statement_get_int64 (stmt, 0);
  comment->account_id = byline_sqlite_statement_get_int64 (stmt, 1);
  comment->remote_id = byline_sqlite_statement_get_int64 (stmt, 2);
  comment->post_id = byline_sqlite_statement_get_int64 (stmt, 3);
  comment->parent_id = byline_sqlite_statement_get_int64 (stmt, 4);
  comment->author_user_id = byline_sqlite_statement_get_int64 (stmt, 5);
  comment->author_name = byline_sqlite_statement_dup_text (stmt, 6);
  comment->author_email = byline_sqlite_statement_dup_text (stmt, 7);
  comment->author_url = byline_sqlite_statement_dup_text (stmt, 8);
  comment->author_ip = byline_sqlite_statement_dup_text (stmt, 9);
  comment->date_gmt = byline_sqlite_statement_dup_text (stmt, 10);
  comment->date_unix = byline_sqlite_statement_get_int64 (stmt, 11);
  comment->content = byline_sqlite_statement_dup_text (stmt, 12);
  comment->raw = byline_sqlite_statement_dup_text (stmt, 13);
  comment->text = byline_sqlite_statement_dup_text (stmt, 14);
  comment->link = byline_sqlite_statement_dup_text (stmt, 15);
  comment->status = byline_sqlite_statement_dup_text (stmt, 16);
  comment->remote_status = byline_sqlite_statement_dup_text (stmt, 17);
  comment->sending = byline_sqlite_statement_get_int64 (stmt, 18) != 0;
  comment->last_error = byline_sqlite_statement_dup_text (stmt, 19);
  comment->post_title = byline_sqlite_statement_dup_text (stmt, 20);
  comment->post_link = byline_sqlite_statement_dup_text (stmt, 21);
  comment->restore_status = byline_sqlite_statement_dup_text (stmt, 22);
  comment->waiting_is_unsent_decision = byline_sqlite_statement_get_int64 (stmt, 23) != 0;
  return comment;
}

/* Runs @stmt (bound) to its end, collecting its comment rows. */
static GPtrArray *
collect_comments (BylineSqliteStatement  *stmt,
                  GError                **error)
{
  g_autoptr(GPtrArray) comments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;

  while (byline_sqlite_statement_step (stmt, &local_error))
    g_ptr_array_add (comments, comment_from_row (stmt));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&comments);
}

/* The one comment @stmt (bound) finds; NULL without an error when none. */
static BylineComment *
first_comment (BylineSqliteStatement  *stmt,
               GError                **error)
{
  if (!byline_sqlite_statement_step (stmt, error))
    return NULL;
  return comment_from_row (stmt);
}

BylineComment *
byline_store_comments_table_load (BylineSqliteConnection  *conn,
                                  gint64                   id,
                                  GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "SELECT " COMMENT_COLUMNS COMMENT_FROM
                                            "WHERE c.id = ?1", error);

  if (stmt == NULL)
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  return first_comment (stmt, error);
}

BylineComment *
byline_store_comments_table_find_remote (BylineSqliteConnection  *conn,
                                         gint64                   account_id,
                                         gint64                   remote_id,
                                         GError                 **error)
{
  /* "remote_id > 0" lets SQLite use the partial index comments_remote: without it, every
   * look-up reads the whole table. */
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "SELECT " COMMENT_COLUMNS COMMENT_FROM
                                            "WHERE c.account_id = ?1 AND c.remote_id = ?2 "
                                            "AND c.remote_id > 0", error);

  if (stmt == NULL)
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, remote_id);
  return first_comment (stmt, error);
}

gint64
byline_store_comments_table_lookup_id (BylineSqliteConnection  *conn,
                                       gint64                   account_id,
                                       gint64                   remote_id,
                                       GError                 **error)
{
  /* "remote_id > 0": the partial index comments_remote (a full scan each otherwise). */
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "SELECT id FROM comments WHERE account_id = ?1 "
                                            "AND remote_id = ?2 AND remote_id > 0", error);

  if (stmt == NULL)
    return 0;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, remote_id);
  return byline_sqlite_statement_step (stmt, error) ? byline_sqlite_statement_get_int64 (stmt, 0)
                                                    : 0;
}

gint64
byline_store_comments_table_upsert (BylineSqliteConnection  *conn,
                                    gint64                   account_id,
                                    BylineComment           *comment,
                                    gboolean                 keep_status,
                                    gint64                   seen_at,
                                    GError                 **error)
{
  /* A comment with a decision on its way keeps the decided status; otherwise the site's
   * status is shown. So does one decided and not written yet (?18): the decision is taken on
   * what the person saw, and its undo goes back to that. */
  static const char sql[] =
    "INSERT INTO comments (account_id, remote_id, post_id, parent_id, author_user_id, "
    "  author_name, author_email, author_url, author_ip, date_gmt, date_unix, content, raw, "
    "  text, link, status, remote_status, seen_at) "
    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?16, ?17) "
    "ON CONFLICT (account_id, remote_id) WHERE remote_id > 0 DO UPDATE SET "
    "  post_id = excluded.post_id, parent_id = excluded.parent_id, "
    "  author_user_id = excluded.author_user_id, author_name = excluded.author_name, "
    "  author_email = excluded.author_email, author_url = excluded.author_url, "
    "  author_ip = excluded.author_ip, date_gmt = excluded.date_gmt, "
    "  date_unix = excluded.date_unix, content = excluded.content, raw = excluded.raw, "
    "  text = excluded.text, link = excluded.link, remote_status = excluded.remote_status, "
    "  status = CASE WHEN ?18 OR EXISTS (SELECT 1 FROM comment_actions a "
    "                                   WHERE a.comment_id = comments.id AND a.state = 0) "
    "           THEN comments.status ELSE excluded.status END, "
    "  seen_at = excluded.seen_at "
    "RETURNING id";
  g_autoptr(BylineSqliteStatement) stmt = byline_sqlite_connection_get_statement (conn, sql,
                                                                                  error);
  g_autoptr(GError) local_error = NULL;
  gint64 id = 0;

  if (stmt == NULL)
    return 0;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, comment->remote_id);
  byline_sqlite_statement_bind_int64 (stmt, 3, comment->post_id);
  byline_sqlite_statement_bind_int64 (stmt, 4, comment->parent_id);
  byline_sqlite_statement_bind_int64 (stmt, 5, comment->author_user_id);
  byline_sqlite_statement_bind_text (stmt, 6, comment->author_name);
  byline_sqlite_statement_bind_text (stmt, 7, comment->author_email);
  byline_sqlite_statement_bind_text (stmt, 8, comment->author_url);
  byline_sqlite_statement_bind_text (stmt, 9, comment->author_ip);
  byline_sqlite_statement_bind_text (stmt, 10, comment->date_gmt);
  byline_sqlite_statement_bind_int64 (stmt, 11, comment->date_unix);
  byline_sqlite_statement_bind_text (stmt, 12, comment->content);
  byline_sqlite_statement_bind_text (stmt, 13, comment->raw);
  byline_sqlite_statement_bind_text (stmt, 14, comment->text);
  byline_sqlite_statement_bind_text (stmt, 15, comment->link);
  byline_sqlite_statement_bind_text (stmt, 16, comment->remote_status);
  byline_sqlite_statement_bind_int64 (stmt, 17, seen_at);
  byline_sqlite_statement_bind_int64 (stmt, 18, keep_status);
  while (byline_sqlite_statement_step (stmt, &local_error))
    id = byline_sqlite_statement_get_int64 (stmt, 0);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return 0;
    }
  return id;
}

/* Runs @stmt, a change, to its end: the rows it changed, -1 on an error. */
static gint64
run_change (BylineSqliteConnection  *conn,
            BylineSqliteStatement   *stmt,
            GError                 **error)
{
  if (!byline_sqlite_statement_run (stmt, error))
    return -1;
  return byline_sqlite_connection_get_changes (conn);
}

gint64
byline_store_comments_table_delete_unseen (BylineSqliteConnection  *conn,
                                           gint64                   account_id,
                                           gint64                   remote_id,
                                           GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn,
                                            "DELETE FROM comments WHERE account_id = ?1 "
                                            "AND remote_id = ?2 AND remote_id > 0 AND "
                                            "NOT EXISTS (SELECT 1 FROM comment_actions a "
                                            "            WHERE a.comment_id = comments.id "
                                            "            AND a.state = 0)", error);

  if (stmt == NULL)
    return -1;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, remote_id);
  return run_change (conn, stmt, error);
}

gboolean
byline_store_comments_table_delete (BylineSqliteConnection  *conn,
                                    gint64                   id,
                                    GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "DELETE FROM comments WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_comments_table_delete_remote (BylineSqliteConnection  *conn,
                                           gint64                   account_id,
                                           gint64                   remote_id,
                                           GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "DELETE FROM comments WHERE account_id = ?1 "
                                            "AND remote_id = ?2 AND remote_id > 0", error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, remote_id);
  return byline_sqlite_statement_run (stmt, error);
}

/* Runs @stmt (bound) to its end, collecting its first column. */
static GArray *
collect_ids (BylineSqliteStatement  *stmt,
             GError                **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) local_error = NULL;

  while (byline_sqlite_statement_step (stmt, &local_error))
    {
      gint64 id = byline_sqlite_statement_get_int64 (stmt, 0);
      g_array_append_val (ids, id);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&ids);
}

GArray *
byline_store_comments_table_list_remote_ids (BylineSqliteConnection  *conn,
                                             gint64                   account_id,
                                             const char              *status,
                                             GError                 **error)
{
  static const char all_sql[] =
    "SELECT remote_id FROM comments WHERE account_id = ?1 AND remote_id > 0";
  static const char of_status_sql[] =
    "SELECT remote_id FROM comments WHERE account_id = ?1 AND remote_id > 0 "
    "AND remote_status = ?2";
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, status ? of_status_sql : all_sql, error);

  if (stmt == NULL)
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  if (status != NULL)
    byline_sqlite_statement_bind_text (stmt, 2, status);
  return collect_ids (stmt, error);
}

/* The SQL of @select with the WHERE clause of @filter's view (?1 account, ?2 post, ?3 search
 * pattern; the status only if @by_view), then @tail. A view is one of a few dozen shapes:
 * the text is interned, so that the connection prepares each shape once and keeps it. */
static const char *
filter_sql (const char                *select,
            const BylineCommentFilter *filter,
            gboolean                   by_view,
            const char                *tail)
{
  static const char * const view_conditions[] = {
    [BYLINE_COMMENT_VIEW_PENDING] = "c.status = 'hold'",
    [BYLINE_COMMENT_VIEW_APPROVED] = "c.status = 'approved'",
    [BYLINE_COMMENT_VIEW_SPAM] = "c.status = 'spam'",
    [BYLINE_COMMENT_VIEW_TRASH] = "c.status = 'trash'",
    [BYLINE_COMMENT_VIEW_ALL] = "c.status IN ('hold', 'approved')",
  };
  g_autoptr(GString) sql = g_string_new (select);

  g_string_append (sql, " WHERE c.account_id = ?1");
  if (by_view)
    g_string_append_printf (sql, " AND %s", view_conditions[filter->view]);
  if (filter->post_id > 0)
    g_string_append (sql, " AND c.post_id = ?2");
  if (filter->search != NULL && filter->search[0] != '\0')
    g_string_append (sql,
                     " AND (c.author_name LIKE ?3 ESCAPE '\\' OR c.author_email LIKE ?3 ESCAPE '\\'"
                     " OR c.author_url LIKE ?3 ESCAPE '\\' OR c.author_ip LIKE ?3 ESCAPE '\\'"
                     " OR c.text LIKE ?3 ESCAPE '\\')");
  g_string_append (sql, tail);
  return g_intern_string (sql->str);
}

/* "%text%", with LIKE's own characters escaped. */
static char *
like_pattern (const char *search)
{
  GString *pattern = g_string_new ("%");

  for (const char *p = search; *p != '\0'; p++)
    {
      if (*p == '%' || *p == '_' || *p == '\\')
        g_string_append_c (pattern, '\\');
      g_string_append_c (pattern, *p);
    }
  g_string_append_c (pattern, '%');
  return g_string_free (pattern, FALSE);
}

/* @pattern keeps the search's text until the statement is reset. */
static void
bind_filter (BylineSqliteStatement      *stmt,
             const BylineCommentFilter  *filter,
             char                      **pattern)
{
  byline_sqlite_statement_bind_int64 (stmt, 1, filter->account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, filter->post_id);
  if (filter->search != NULL && filter->search[0] != '\0')
    {
      *pattern = like_pattern (filter->search);
      byline_sqlite_statement_bind_text (stmt, 3, *pattern);
    }
}

GArray *
byline_store_comments_table_query_keys (BylineSqliteConnection     *conn,
                                        const BylineCommentFilter  *filter,
                                        gboolean                    by_view,
                                        GError                    **error)
{
  const char *sql = filter_sql ("SELECT c.id, c.date_unix, c.status FROM comments c", filter,
                                by_view,
                                filter->oldest_first ? " ORDER BY c.date_unix, c.id"
                                                     : " ORDER BY c.date_unix DESC, c.id DESC");
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (BylineCommentKey));
  g_autoptr(GError) local_error = NULL;
  g_autofree char *pattern = NULL;
  g_autoptr(BylineSqliteStatement) stmt = byline_sqlite_connection_get_statement (conn, sql,
                                                                                  error);

  if (stmt == NULL)
    return NULL;
  bind_filter (stmt, filter, &pattern);
  while (byline_sqlite_statement_step (stmt, &local_error))
    {
      BylineCommentKey key = {
        byline_sqlite_statement_get_int64 (stmt, 0), byline_sqlite_statement_get_int64 (stmt, 1),
        byline_comment_status_intern (byline_sqlite_statement_get_text (stmt, 2)),
      };
      g_array_append_val (keys, key);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&keys);
}

gboolean
byline_store_comments_table_find_in_filter (BylineSqliteConnection     *conn,
                                            gint64                      id,
                                            const BylineCommentFilter  *filter,
                                            BylineCommentKey           *key,
                                            GError                    **error)
{
  const char *sql = filter_sql ("SELECT c.date_unix, c.status FROM comments c", filter, FALSE,
                                " AND c.id = ?4");
  g_autofree char *pattern = NULL;
  g_autoptr(BylineSqliteStatement) stmt = byline_sqlite_connection_get_statement (conn, sql,
                                                                                  error);

  if (stmt == NULL)
    return FALSE;
  bind_filter (stmt, filter, &pattern);
  byline_sqlite_statement_bind_int64 (stmt, 4, id);
  if (!byline_sqlite_statement_step (stmt, error))
    return FALSE;
  key->id = id;
  key->date_unix = byline_sqlite_statement_get_int64 (stmt, 0);
  key->status = byline_comment_status_intern (byline_sqlite_statement_get_text (stmt, 1));
  return TRUE;
}

GHashTable *
byline_store_comments_table_count_by_status (BylineSqliteConnection  *conn,
                                             gint64                   account_id,
                                             gint64                   post_id,
                                             GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "SELECT status, count (*) FROM comments "
                                            "WHERE account_id = ?1 "
                                            "AND (?2 = 0 OR post_id = ?2) GROUP BY status",
                                            error);
  g_autoptr(GHashTable) counts = g_hash_table_new (NULL, NULL);
  g_autoptr(GError) local_error = NULL;

  if (stmt == NULL)
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, post_id);
  while (byline_sqlite_statement_step (stmt, &local_error))
    g_hash_table_insert (counts,
                         (gpointer) byline_comment_status_intern (
                           byline_sqlite_statement_get_text (stmt, 0)),
                         GUINT_TO_POINTER (byline_sqlite_statement_get_int64 (stmt, 1)));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&counts);
}

GArray *
byline_store_comments_table_list_post_keys (BylineSqliteConnection  *conn,
                                            gint64                   account_id,
                                            gint64                   post_id,
                                            GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "SELECT id, status FROM comments "
                                            "WHERE account_id = ?1 AND post_id = ?2",
                                            error);
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (BylineCommentKey));
  g_autoptr(GError) local_error = NULL;

  if (stmt == NULL)
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, post_id);
  while (byline_sqlite_statement_step (stmt, &local_error))
    {
      BylineCommentKey key = {
        byline_sqlite_statement_get_int64 (stmt, 0), 0,
        byline_comment_status_intern (byline_sqlite_statement_get_text (stmt, 1)),
      };
      g_array_append_val (keys, key);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&keys);
}

GPtrArray *
byline_store_comments_table_list_by_author (BylineSqliteConnection  *conn,
                                            BylineComment           *comment,
                                            guint                    limit,
                                            GError                 **error)
{
#define BY_AUTHOR_SQL(column) \
  "SELECT " COMMENT_COLUMNS COMMENT_FROM \
  "WHERE c.account_id = ?1 AND c.id != ?2 AND " column " = ?3 AND c.status != 'deleted' " \
  "ORDER BY c.date_unix DESC, c.id DESC LIMIT ?4"
  static const char by_email_sql[] = BY_AUTHOR_SQL ("c.author_email");
  static const char by_name_sql[] = BY_AUTHOR_SQL ("c.author_name");
#undef BY_AUTHOR_SQL
  gboolean by_email = comment->author_email[0] != '\0';
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, by_email ? by_email_sql : by_name_sql, error);

  if (stmt == NULL)
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, comment->account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, comment->id);
  byline_sqlite_statement_bind_text (stmt, 3, by_email ? comment->author_email
                                                       : comment->author_name);
  byline_sqlite_statement_bind_int64 (stmt, 4, limit);
  return collect_comments (stmt, error);
}

GPtrArray *
byline_store_comments_table_list_replies (BylineSqliteConnection  *conn,
                                          gint64                   account_id,
                                          gint64                   parent_id,
                                          guint                    limit,
                                          GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "SELECT " COMMENT_COLUMNS COMMENT_FROM
                                            "WHERE c.account_id = ?1 AND c.parent_id = ?2 "
                                            "AND c.status != 'deleted' "
                                            "ORDER BY c.date_unix, c.id LIMIT ?3", error);

  if (stmt == NULL)
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, parent_id);
  byline_sqlite_statement_bind_int64 (stmt, 3, limit);
  return collect_comments (stmt, error);
}

char *
byline_store_comments_table_dup_newest_date (BylineSqliteConnection  *conn,
                                             gint64                   account_id,
                                             GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "SELECT date_gmt FROM comments "
                                            "WHERE account_id = ?1 AND remote_id > 0 "
                                            "ORDER BY date_unix DESC LIMIT 1", error);

  if (stmt == NULL)
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  if (!byline_sqlite_statement_step (stmt, error))
    return NULL;
  return byline_sqlite_statement_dup_text (stmt, 0);
}

gboolean
byline_store_comments_table_read_state (BylineSqliteConnection   *conn,
                                        gint64                    id,
                                        BylineStoreCommentState  *state,
                                        GError                  **error)
{
  /* The comment, the newest entry waiting for it, how many wait, and whether one failed. */
  static const char sql[] =
    "SELECT c.account_id, c.status, c.remote_status, c.restore_status, c.post_id, c.date_unix, "
    "       a.id, a.action, a.sent, "
    "       (SELECT count (*) FROM comment_actions w WHERE w.comment_id = c.id AND w.state = 0), "
    "       EXISTS (SELECT 1 FROM comment_actions f WHERE f.comment_id = c.id AND f.state = 2), "
    "       c.reason "
    "FROM comments c LEFT JOIN comment_actions a ON a.id = "
    "  (SELECT max (l.id) FROM comment_actions l WHERE l.comment_id = c.id AND l.state = 0) "
    "WHERE c.id = ?1";
  g_autoptr(BylineSqliteStatement) stmt = byline_sqlite_connection_get_statement (conn, sql,
                                                                                  error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  if (!byline_sqlite_statement_step (stmt, error))
    return FALSE;
  state->account_id = byline_sqlite_statement_get_int64 (stmt, 0);
  g_strlcpy (state->status, byline_sqlite_statement_get_text (stmt, 1), sizeof state->status);
  g_strlcpy (state->remote_status, byline_sqlite_statement_get_text (stmt, 2),
             sizeof state->remote_status);
  g_strlcpy (state->restore_status, byline_sqlite_statement_get_text (stmt, 3),
             sizeof state->restore_status);
  state->post_id = byline_sqlite_statement_get_int64 (stmt, 4);
  state->date_unix = byline_sqlite_statement_get_int64 (stmt, 5);
  state->last_action = byline_sqlite_statement_get_int64 (stmt, 6);
  g_strlcpy (state->last_kind, byline_sqlite_statement_get_text (stmt, 7),
             sizeof state->last_kind);
  state->last_sent = byline_sqlite_statement_get_int64 (stmt, 8) != 0;
  state->n_waiting = byline_sqlite_statement_get_int64 (stmt, 9);
  state->has_failed = byline_sqlite_statement_get_int64 (stmt, 10) != 0;
  g_strlcpy (state->reason, byline_sqlite_statement_get_text (stmt, 11), sizeof state->reason);
  return TRUE;
}

gboolean
byline_store_comments_table_set_status (BylineSqliteConnection  *conn,
                                        gint64                   id,
                                        const char              *status,
                                        const char              *restore,
                                        const char              *reason,
                                        GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "UPDATE comments SET status = ?2, "
                                            "restore_status = ?3, reason = ?4 WHERE id = ?1",
                                            error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_text (stmt, 2, status);
  byline_sqlite_statement_bind_text (stmt, 3, restore);
  byline_sqlite_statement_bind_text (stmt, 4, reason);
  return byline_sqlite_statement_run (stmt, error);
}

char *
byline_store_comments_table_get_reason (BylineSqliteConnection  *conn,
                                        gint64                   id,
                                        GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "SELECT reason FROM comments WHERE id = ?1",
                                            error);

  if (stmt == NULL)
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  if (!byline_sqlite_statement_step (stmt, error))
    return NULL;
  return byline_sqlite_statement_dup_text (stmt, 0);
}

gboolean
byline_store_comments_table_show_remote_status (BylineSqliteConnection  *conn,
                                                gint64                   id,
                                                GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "UPDATE comments SET status = remote_status, "
                                            "reason = '' WHERE id = ?1 AND remote_status != ''",
                                            error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_comments_table_set_remote_status (BylineSqliteConnection  *conn,
                                               gint64                   id,
                                               const char              *status,
                                               gboolean                 keep_shown,
                                               GError                 **error)
{
  static const char remote_sql[] = "UPDATE comments SET remote_status = ?2 WHERE id = ?1";
  static const char both_sql[] =
    "UPDATE comments SET remote_status = ?2, status = ?2 WHERE id = ?1";
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, keep_shown ? remote_sql : both_sql, error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_text (stmt, 2, status);
  return byline_sqlite_statement_run (stmt, error);
}

gint64
byline_store_comments_table_add_reply (BylineSqliteConnection  *conn,
                                       gint64                   parent_id,
                                       const char              *author_name,
                                       const char              *date_gmt,
                                       const char              *html,
                                       const char              *text,
                                       GError                 **error)
{
  /* In the parent's site and post; parent_id is the parent's id on the site. */
  static const char sql[] =
    "INSERT INTO comments (account_id, post_id, parent_id, author_name, date_gmt, date_unix, "
    "  content, raw, text, status, remote_status) "
    "SELECT account_id, post_id, remote_id, ?2, ?3, strftime ('%s', 'now'), ?4, ?5, ?5, "
    "  'approved', '' FROM comments WHERE id = ?1";
  g_autoptr(BylineSqliteStatement) stmt = byline_sqlite_connection_get_statement (conn, sql,
                                                                                  error);

  if (stmt == NULL)
    return 0;
  byline_sqlite_statement_bind_int64 (stmt, 1, parent_id);
  byline_sqlite_statement_bind_text (stmt, 2, author_name);
  byline_sqlite_statement_bind_text (stmt, 3, date_gmt);
  byline_sqlite_statement_bind_text (stmt, 4, html);
  byline_sqlite_statement_bind_text (stmt, 5, text);
  if (!byline_sqlite_statement_run (stmt, error))
    return 0;
  if (byline_sqlite_connection_get_changes (conn) == 0)
    {
      g_set_error_literal (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND,
                           _("The comment is no longer in the queue."));
      return 0;
    }
  return byline_sqlite_connection_get_last_insert_id (conn);
}

gboolean
byline_store_comments_table_set_raw_text (BylineSqliteConnection  *conn,
                                          gint64                   id,
                                          const char              *raw,
                                          GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "UPDATE comments SET raw = ?2, text = ?2 "
                                            "WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_text (stmt, 2, raw);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_comments_table_set_remote_id (BylineSqliteConnection  *conn,
                                           gint64                   id,
                                           gint64                   remote_id,
                                           GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "UPDATE comments SET remote_id = ?2 "
                                            "WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_int64 (stmt, 2, remote_id);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_comments_table_set_rendered (BylineSqliteConnection  *conn,
                                          gint64                   id,
                                          BylineComment           *rendered,
                                          GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn, "UPDATE comments SET content = ?2, raw = ?3, "
                                            "text = ?4, link = ?5 WHERE id = ?1", error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_text (stmt, 2, rendered->content);
  byline_sqlite_statement_bind_text (stmt, 3, rendered->raw);
  byline_sqlite_statement_bind_text (stmt, 4, rendered->text);
  byline_sqlite_statement_bind_text (stmt, 5, rendered->link);
  return byline_sqlite_statement_run (stmt, error);
}
