/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-remote-posts-table.c: the SQL of the remote_posts table (the post on a site each
 * draft is linked to).
 *
 * Only publishing and opening a post from a site write it, never a draft's own save. Callers
 * hold the store's lock around these; transactions are theirs. */

#include "config.h"

#include "byline-store-remote-posts-table.h"

static const char upsert_sql[] =
  "INSERT INTO remote_posts (draft_id, account_id, remote_id, modified_gmt, status, link)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
  " ON CONFLICT (draft_id) DO UPDATE SET account_id = ?2, remote_id = ?3,"
  "   modified_gmt = ?4, status = ?5, link = ?6";
static const char set_status_sql[] =
  "UPDATE remote_posts SET status = ?3 WHERE draft_id = ?1 AND remote_id = ?2";
static const char load_sql[] =
  "SELECT draft_id, account_id, remote_id, status, link, modified_gmt FROM remote_posts"
  " WHERE draft_id = ?1";
static const char find_post_sql[] =
  "SELECT r.draft_id, r.account_id, r.remote_id, r.status, r.link, r.modified_gmt,"
  "       d.deleted_at IS NOT NULL"
  " FROM remote_posts r JOIN drafts d ON d.id = r.draft_id"
  " WHERE r.account_id = ?1 AND r.remote_id = ?2"
  " ORDER BY d.deleted_at IS NOT NULL, d.modified_at DESC, r.draft_id DESC"
  " LIMIT 1";
static const char set_base_sql[] =
  "UPDATE remote_posts SET base = ?3 WHERE draft_id = ?1 AND remote_id = ?2";
static const char load_base_sql[] =
  "SELECT base FROM remote_posts WHERE draft_id = ?1";
static const char is_linked_sql[] =
  "SELECT EXISTS (SELECT 1 FROM remote_posts"
  "  WHERE account_id = ?1 AND remote_id = ?2 AND draft_id != ?3)";

gboolean
byline_store_remote_posts_table_upsert (BylineSqliteConnection  *conn,
                                        gint64                   draft_id,
                                        gint64                   account_id,
                                        gint64                   remote_id,
                                        const char              *modified_gmt,
                                        const char              *status,
                                        const char              *link,
                                        GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, upsert_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, draft_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 3, remote_id);
  byline_sqlite_statement_bind_text (stmt, 4, modified_gmt);
  byline_sqlite_statement_bind_text (stmt, 5, status);
  byline_sqlite_statement_bind_text (stmt, 6, link);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_remote_posts_table_set_status (BylineSqliteConnection  *conn,
                                            gint64                   draft_id,
                                            gint64                   remote_id,
                                            const char              *status,
                                            GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, set_status_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, draft_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, remote_id);
  byline_sqlite_statement_bind_text (stmt, 3, status);
  return byline_sqlite_statement_run (stmt, error);
}

/* The link of the row @stmt is on, from its first six columns (as load_sql has them). */
static void
remote_from_row (BylineSqliteStatement *stmt,
                 BylineRemotePost      *remote)
{
  byline_remote_post_clear (remote);
  remote->draft_id = byline_sqlite_statement_get_int64 (stmt, 0);
  remote->account_id = byline_sqlite_statement_get_int64 (stmt, 1);
  remote->remote_id = byline_sqlite_statement_get_int64 (stmt, 2);
  remote->status = byline_sqlite_statement_dup_text (stmt, 3);
  remote->link = byline_sqlite_statement_dup_text (stmt, 4);
  remote->modified_gmt = byline_sqlite_statement_dup_text (stmt, 5);
}

gboolean
byline_store_remote_posts_table_load (BylineSqliteConnection  *conn,
                                      gint64                   draft_id,
                                      BylineRemotePost        *remote,
                                      GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, load_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, draft_id);
  if (!byline_sqlite_statement_step (stmt, error))
    return FALSE;
  remote_from_row (stmt, remote);
  return TRUE;
}

gboolean
byline_store_remote_posts_table_find_post (BylineSqliteConnection  *conn,
                                           gint64                   account_id,
                                           gint64                   remote_id,
                                           BylineRemotePost        *remote,
                                           gboolean                *deleted,
                                           GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, find_post_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, remote_id);
  if (!byline_sqlite_statement_step (stmt, error))
    return FALSE;
  remote_from_row (stmt, remote);
  *deleted = byline_sqlite_statement_get_int64 (stmt, 6) != 0;
  return TRUE;
}

gboolean
byline_store_remote_posts_table_is_linked (BylineSqliteConnection  *conn,
                                           gint64                   account_id,
                                           gint64                   remote_id,
                                           gint64                   draft_id,
                                           gboolean                *linked,
                                           GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, is_linked_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, remote_id);
  byline_sqlite_statement_bind_int64 (stmt, 3, draft_id);
  if (!byline_sqlite_statement_step (stmt, error))
    return FALSE;
  *linked = byline_sqlite_statement_get_int64 (stmt, 0) != 0;
  return TRUE;
}

gboolean
byline_store_remote_posts_table_set_base (BylineSqliteConnection  *conn,
                                          gint64                   draft_id,
                                          gint64                   remote_id,
                                          const char              *base,
                                          GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, set_base_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, draft_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, remote_id);
  byline_sqlite_statement_bind_text (stmt, 3, base);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_remote_posts_table_load_base (BylineSqliteConnection  *conn,
                                           gint64                   draft_id,
                                           char                   **base,
                                           GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, load_base_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, draft_id);
  if (!byline_sqlite_statement_step (stmt, error))
    return FALSE;
  *base = byline_sqlite_statement_dup_text (stmt, 0);
  return TRUE;
}
