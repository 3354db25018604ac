/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-comment-posts-table.c: the SQL of the comment_posts table. Its rows name the
 * posts the comments table refers to; which posts have comments, the comments table tells. */

#define G_LOG_DOMAIN "byline-store"

#include "config.h"

#include "byline-store-comment-posts-table.h"

gboolean
byline_store_comment_posts_table_set (BylineSqliteConnection  *conn,
                                      gint64                   account_id,
                                      gint64                   post_id,
                                      const char              *title,
                                      const char              *link,
                                      GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn,
                                            "INSERT INTO comment_posts (account_id, post_id, "
                                            "  title, link) VALUES (?1, ?2, ?3, ?4) "
                                            "ON CONFLICT (account_id, post_id) DO UPDATE "
                                            "SET title = excluded.title, link = excluded.link",
                                            error);

  if (stmt == NULL)
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, post_id);
  byline_sqlite_statement_bind_text (stmt, 3, title ? title : "");
  byline_sqlite_statement_bind_text (stmt, 4, link ? link : "");
  return byline_sqlite_statement_run (stmt, error);
}

GArray *
byline_store_comment_posts_table_list_untitled (BylineSqliteConnection  *conn,
                                                gint64                   account_id,
                                                GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn,
                                            "SELECT DISTINCT c.post_id FROM comments c "
                                            "WHERE c.account_id = ?1 AND c.post_id > 0 "
                                            "AND NOT EXISTS (SELECT 1 FROM comment_posts p "
                                            "  WHERE p.account_id = c.account_id "
                                            "  AND p.post_id = c.post_id) "
                                            "ORDER BY c.post_id", error);
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) local_error = NULL;

  if (stmt == NULL)
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
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

GPtrArray *
byline_store_comment_posts_table_list_commented (BylineSqliteConnection  *conn,
                                                 gint64                   account_id,
                                                 GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt =
    byline_sqlite_connection_get_statement (conn,
                                            "SELECT c.post_id, COALESCE (p.title, ''), "
                                            "  COALESCE (p.link, ''), count (*) AS n "
                                            "FROM comments c LEFT JOIN comment_posts p "
                                            "ON p.account_id = c.account_id "
                                            "AND p.post_id = c.post_id "
                                            "WHERE c.account_id = ?1 AND c.status != 'deleted' "
                                            "GROUP BY c.post_id ORDER BY n DESC, c.post_id",
                                            error);
  g_autoptr(GPtrArray) posts =
    g_ptr_array_new_with_free_func ((GDestroyNotify) byline_comment_post_free);
  g_autoptr(GError) local_error = NULL;

  if (stmt == NULL)
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  while (byline_sqlite_statement_step (stmt, &local_error))
    {
      BylineCommentPost *post = g_new0 (BylineCommentPost, 1);

      post->post_id = byline_sqlite_statement_get_int64 (stmt, 0);
      post->title = byline_sqlite_statement_dup_text (stmt, 1);
      post->link = byline_sqlite_statement_dup_text (stmt, 2);
      post->n_comments = byline_sqlite_statement_get_int64 (stmt, 3);
      g_ptr_array_add (posts, post);
    }
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&posts);
}
