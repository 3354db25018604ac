/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-drafts-table.c: the SQL of the drafts table (a draft's text and its metadata).
 *
 * Callers hold the store's lock (_byline_store_lock, or the store's own mutex) around these;
 * transactions are theirs. The autosave saves every second or two: every statement here is
 * prepared once by the connection and kept. */

#include "config.h"

#include "byline-store-drafts-table.h"

#define DRAFT_COLUMNS \
  "id, format, title, body, slug, excerpt, categories, tags, author, publish_date, source_path, " \
  "created_at, modified_at, featured_image, language"

static const char insert_sql[] =
  "INSERT INTO drafts (format, created_at, modified_at, language) VALUES (?1, ?2, ?2, ?3)";
static const char list_sql[] =
  "SELECT " DRAFT_COLUMNS " FROM drafts WHERE deleted_at IS NULL"
  " ORDER BY modified_at DESC, id DESC";
static const char load_sql[] =
  "SELECT " DRAFT_COLUMNS " FROM drafts WHERE id = ?1";
/* A draft still listed wins over a deleted one from the same file. */
static const char find_by_source_sql[] =
  "SELECT " DRAFT_COLUMNS " FROM drafts WHERE source_path = ?1"
  " ORDER BY deleted_at IS NOT NULL, modified_at DESC LIMIT 1";
static const char update_sql[] =
  "UPDATE drafts SET format = ?2, title = ?3, body = ?4, slug = ?5, excerpt = ?6,"
  " categories = ?7, tags = ?8, author = ?9, publish_date = ?10, source_path = ?11,"
  " created_at = CASE WHEN ?12 > 0 THEN ?12 ELSE created_at END, modified_at = ?13,"
  " featured_image = ?14, language = ?15"
  " WHERE id = ?1";
static const char set_deleted_sql[] =
  "UPDATE drafts SET deleted_at = CASE WHEN ?2 THEN coalesce (deleted_at, ?3) ELSE NULL END"
  " WHERE id = ?1";
static const char purge_sql[] =
  "DELETE FROM drafts WHERE deleted_at IS NOT NULL AND deleted_at < ?1";
/* instr () first, so that a body without the address is not rewritten. */
static const char replace_in_body_sql[] =
  "UPDATE drafts SET body = replace (body, ?2, ?3) WHERE id = ?1 AND instr (body, ?2) > 0";

/* The draft of the row @stmt is on, read in DRAFT_COLUMNS' order. */
static BylineDraft *
draft_from_row (BylineSqliteStatement *stmt)
{
  BylineDraft *draft = byline_draft_new ();
  int format = (int) byline_sqlite_statement_get_int64 (stmt, 1);

#define TEXT(i) (byline_sqlite_statement_get_text (stmt, i))
  byline_draft_set_id (draft, byline_sqlite_statement_get_int64 (stmt, 0));
  byline_draft_set_format (draft, format == BYLINE_DRAFT_FORMAT_HTML
                                  ? BYLINE_DRAFT_FORMAT_HTML : BYLINE_DRAFT_FORMAT_MARKDOWN);
  byline_draft_set_title (draft, TEXT (2));
  byline_draft_set_body (draft, TEXT (3));
  byline_draft_set_slug (draft, TEXT (4));
  byline_draft_set_excerpt (draft, TEXT (5));
  byline_draft_set_categories (draft, TEXT (6));
  byline_draft_set_tags (draft, TEXT (7));
  byline_draft_set_author (draft, TEXT (8));
  byline_draft_set_publish_date (draft, TEXT (9));
  byline_draft_set_source_path (draft, TEXT (10));
  byline_draft_set_created_at (draft, byline_sqlite_statement_get_int64 (stmt, 11));
  byline_draft_set_modified_at (draft, byline_sqlite_statement_get_int64 (stmt, 12));
  byline_draft_set_featured_image (draft, TEXT (13));
  byline_draft_set_language (draft, TEXT (14));
#undef TEXT

  return draft;
}

gint64
byline_store_drafts_table_insert (BylineSqliteConnection  *conn,
                                  BylineDraftFormat        format,
                                  gint64                   now,
                                  const char              *language,
                                  GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, insert_sql, error)))
    return 0;
  byline_sqlite_statement_bind_int64 (stmt, 1, format);
  byline_sqlite_statement_bind_int64 (stmt, 2, now);
  byline_sqlite_statement_bind_text (stmt, 3, language);
  if (!byline_sqlite_statement_run (stmt, error))
    return 0;
  /* Still under the caller's lock, so the rowid is this insert's. */
  return byline_sqlite_connection_get_last_insert_id (conn);
}

GPtrArray *
byline_store_drafts_table_list (BylineSqliteConnection  *conn,
                                GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;
  g_autoptr(GPtrArray) drafts = g_ptr_array_new_with_free_func (g_object_unref);
  GError *step_error = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, list_sql, error)))
    return NULL;
  while (byline_sqlite_statement_step (stmt, &step_error))
    g_ptr_array_add (drafts, draft_from_row (stmt));
  if (step_error != NULL)
    {
      g_propagate_error (error, step_error);
      return NULL;
    }
  return g_steal_pointer (&drafts);
}

/* The first row of @stmt (bound already) as a draft; NULL with @error unset when it has none. */
static BylineDraft *
first_draft (BylineSqliteStatement  *stmt,
             GError                **error)
{
  if (!byline_sqlite_statement_step (stmt, error))
    return NULL;
  return draft_from_row (stmt);
}

BylineDraft *
byline_store_drafts_table_load (BylineSqliteConnection  *conn,
                                gint64                   id,
                                GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, load_sql, error)))
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  return first_draft (stmt, error);
}

BylineDraft *
byline_store_drafts_table_find_by_source (BylineSqliteConnection  *conn,
                                          const char              *source_path,
                                          GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, find_by_source_sql, error)))
    return NULL;
  byline_sqlite_statement_bind_text (stmt, 1, source_path);
  return first_draft (stmt, error);
}

gboolean
byline_store_drafts_table_update (BylineSqliteConnection  *conn,
                                  BylineDraft             *draft,
                                  gint64                   modified_at,
                                  GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, update_sql, error)))
    return FALSE;
  /* The draft's strings are bound without a copy: they outlive the statement's use, and a body
   * can be hundreds of kilobytes. */
  byline_sqlite_statement_bind_int64 (stmt, 1, byline_draft_get_id (draft));
  byline_sqlite_statement_bind_int64 (stmt, 2, byline_draft_get_format (draft));
  byline_sqlite_statement_bind_text (stmt, 3, byline_draft_get_title (draft));
  byline_sqlite_statement_bind_text (stmt, 4, byline_draft_get_body (draft));
  byline_sqlite_statement_bind_text (stmt, 5, byline_draft_get_slug (draft));
  byline_sqlite_statement_bind_text (stmt, 6, byline_draft_get_excerpt (draft));
  byline_sqlite_statement_bind_text (stmt, 7, byline_draft_get_categories (draft));
  byline_sqlite_statement_bind_text (stmt, 8, byline_draft_get_tags (draft));
  byline_sqlite_statement_bind_text (stmt, 9, byline_draft_get_author (draft));
  byline_sqlite_statement_bind_text (stmt, 10, byline_draft_get_publish_date (draft));
  byline_sqlite_statement_bind_text (stmt, 11, byline_draft_get_source_path (draft));
  byline_sqlite_statement_bind_int64 (stmt, 12, byline_draft_get_created_at (draft));
  byline_sqlite_statement_bind_int64 (stmt, 13, modified_at);
  byline_sqlite_statement_bind_text (stmt, 14, byline_draft_get_featured_image (draft));
  byline_sqlite_statement_bind_text (stmt, 15, byline_draft_get_language (draft));
  return byline_sqlite_statement_run (stmt, error)
         && byline_sqlite_connection_get_changes (conn) > 0;
}

gboolean
byline_store_drafts_table_set_deleted (BylineSqliteConnection  *conn,
                                       gint64                   id,
                                       gboolean                 deleted,
                                       gint64                   now,
                                       GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, set_deleted_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_int64 (stmt, 2, deleted ? 1 : 0);
  byline_sqlite_statement_bind_int64 (stmt, 3, now);
  return byline_sqlite_statement_run (stmt, error)
         && byline_sqlite_connection_get_changes (conn) > 0;
}

gboolean
byline_store_drafts_table_purge (BylineSqliteConnection  *conn,
                                 gint64                   deleted_before,
                                 gint64                  *n_purged,
                                 GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, purge_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, deleted_before);
  if (!byline_sqlite_statement_run (stmt, error))
    return FALSE;
  if (n_purged != NULL)
    *n_purged = byline_sqlite_connection_get_changes (conn);
  return TRUE;
}

gboolean
byline_store_drafts_table_replace_in_body (BylineSqliteConnection  *conn,
                                           gint64                   id,
                                           const char              *from,
                                           const char              *to,
                                           GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, replace_in_body_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_text (stmt, 2, from);
  byline_sqlite_statement_bind_text (stmt, 3, to);
  return byline_sqlite_statement_run (stmt, error);
}
