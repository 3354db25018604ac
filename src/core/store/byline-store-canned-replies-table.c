/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-canned-replies-table.c: the SQL of the canned_replies table, the replies each
 * site's moderators keep ready to insert in a reply.
 *
 * Callers hold the store's lock around these. */

#include "config.h"

#include "byline-store-canned-replies-table.h"

static const char list_sql[] =
  "SELECT id, title, body FROM canned_replies WHERE account_id = ?1 ORDER BY position, id";
static const char append_sql[] =
  "INSERT INTO canned_replies (account_id, position, title, body, updated_at)"
  " VALUES (?1, (SELECT coalesce (max (position) + 1, 0) FROM canned_replies"
  "              WHERE account_id = ?1), ?2, ?3, ?4)";
static const char update_sql[] =
  "UPDATE canned_replies SET title = ?2, body = ?3, updated_at = ?4 WHERE id = ?1";
static const char delete_sql[] =
  "DELETE FROM canned_replies WHERE id = ?1";
static const char set_position_sql[] =
  "UPDATE canned_replies SET position = ?3 WHERE account_id = ?1 AND id = ?2";

void
byline_store_canned_reply_row_free (BylineStoreCannedReplyRow *row)
{
  if (row == NULL)
    return;
  g_free (row->title);
  g_free (row->body);
  g_free (row);
}

GPtrArray *
byline_store_canned_replies_table_list (BylineSqliteConnection  *conn,
                                        gint64                   account_id,
                                        GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  GError *step_error = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, list_sql, error)))
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  rows = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_store_canned_reply_row_free);
  while (byline_sqlite_statement_step (stmt, &step_error))
    {
      BylineStoreCannedReplyRow *row = g_new0 (BylineStoreCannedReplyRow, 1);

      row->id = byline_sqlite_statement_get_int64 (stmt, 0);
      row->title = byline_sqlite_statement_dup_text (stmt, 1);
      row->body = byline_sqlite_statement_dup_text (stmt, 2);
      g_ptr_array_add (rows, row);
    }
  if (step_error != NULL)
    {
      g_propagate_error (error, step_error);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

gint64
byline_store_canned_replies_table_append (BylineSqliteConnection  *conn,
                                          gint64                   account_id,
                                          const char              *title,
                                          const char              *body,
                                          gint64                   now,
                                          GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, append_sql, error)))
    return 0;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_text (stmt, 2, title);
  byline_sqlite_statement_bind_text (stmt, 3, body);
  byline_sqlite_statement_bind_int64 (stmt, 4, now);
  if (!byline_sqlite_statement_run (stmt, error))
    return 0;
  return byline_sqlite_connection_get_last_insert_id (conn);
}

gboolean
byline_store_canned_replies_table_update (BylineSqliteConnection  *conn,
                                          gint64                   id,
                                          const char              *title,
                                          const char              *body,
                                          gint64                   now,
                                          gboolean                *found,
                                          GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, update_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_text (stmt, 2, title);
  byline_sqlite_statement_bind_text (stmt, 3, body);
  byline_sqlite_statement_bind_int64 (stmt, 4, now);
  if (!byline_sqlite_statement_run (stmt, error))
    return FALSE;
  *found = byline_sqlite_connection_get_changes (conn) > 0;
  return TRUE;
}

gboolean
byline_store_canned_replies_table_delete (BylineSqliteConnection  *conn,
                                          gint64                   id,
                                          gboolean                *found,
                                          GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, delete_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  if (!byline_sqlite_statement_run (stmt, error))
    return FALSE;
  *found = byline_sqlite_connection_get_changes (conn) > 0;
  return TRUE;
}

gboolean
byline_store_canned_replies_table_set_position (BylineSqliteConnection  *conn,
                                                gint64                   account_id,
                                                gint64                   id,
                                                gint64                   position,
                                                gboolean                *found,
                                                GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, set_position_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, id);
  byline_sqlite_statement_bind_int64 (stmt, 3, position);
  if (!byline_sqlite_statement_run (stmt, error))
    return FALSE;
  *found = byline_sqlite_connection_get_changes (conn) > 0;
  return TRUE;
}
