/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-revisions-table.c: the SQL of the revisions table (earlier versions of a draft's
 * title and body).
 *
 * Callers hold the store's lock around these; transactions are theirs. A body can be hundreds of
 * kilobytes and a draft has dozens of revisions: nothing here reads a body it does not need. */

#include "config.h"

#include "byline-store-revisions-table.h"

/* ?4: an explicit save; ?5: the date before which an automatic save compares. */
static const char get_newest_sql[] =
  "SELECT created_at, CASE WHEN ?4 OR created_at < ?5 THEN title = ?2 AND body = ?3 END"
  " FROM revisions WHERE draft_id = ?1 ORDER BY created_at DESC, id DESC LIMIT 1";
static const char insert_sql[] =
  "INSERT INTO revisions (draft_id, kind, created_at, title, body) VALUES (?1, ?2, ?3, ?4, ?5)";
/* The draft's revisions older than ?2 fall in buckets: an hour (?6) of the local clock (?4 is
 * local time's offset from UTC) when newer than ?3, otherwise a local calendar day (?7). Each
 * bucket keeps its first by (automatic ones, ?5, last, then newest first); of the others, the
 * oldest ?8 go. Choosing them reads the index revisions_draft_created and the rows' first
 * columns only, never a body. */
static const char thin_sql[] =
  "DELETE FROM revisions WHERE id IN ("
  " SELECT id FROM ("
  "  SELECT id, created_at, row_number () OVER ("
  "   PARTITION BY created_at >= ?3,"
  "    (created_at + ?4) / CASE WHEN created_at >= ?3 THEN ?6 ELSE ?7 END"
  "   ORDER BY kind = ?5, created_at DESC, id DESC) AS place"
  "  FROM revisions WHERE draft_id = ?1 AND created_at < ?2)"
  " WHERE place > 1 ORDER BY created_at LIMIT ?8)";
/* No body: it is the last column, so neither it nor its overflow pages are read. */
static const char list_sql[] =
  "SELECT id, draft_id, kind, created_at, title FROM revisions WHERE draft_id = ?1"
  " ORDER BY created_at DESC, id DESC";
static const char load_sql[] =
  "SELECT id, draft_id, kind, created_at, title, body FROM revisions WHERE id = ?1";

gboolean
byline_store_revisions_table_get_newest (BylineSqliteConnection  *conn,
                                         gint64                   draft_id,
                                         const char              *title,
                                         const char              *body,
                                         gboolean                 always_compare,
                                         gint64                   compare_before,
                                         gboolean                *found,
                                         gint64                  *created_at,
                                         gboolean                *same,
                                         GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;
  GError *step_error = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, get_newest_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, draft_id);
  byline_sqlite_statement_bind_text (stmt, 2, title);
  byline_sqlite_statement_bind_text (stmt, 3, body);
  byline_sqlite_statement_bind_int64 (stmt, 4, always_compare ? 1 : 0);
  byline_sqlite_statement_bind_int64 (stmt, 5, compare_before);
  *found = byline_sqlite_statement_step (stmt, &step_error);
  *created_at = *found ? byline_sqlite_statement_get_int64 (stmt, 0) : 0;
  *same = *found && byline_sqlite_statement_get_int64 (stmt, 1) != 0;
  if (step_error != NULL)
    {
      g_propagate_error (error, step_error);
      return FALSE;
    }
  return TRUE;
}

gboolean
byline_store_revisions_table_insert (BylineSqliteConnection  *conn,
                                     gint64                   draft_id,
                                     BylineRevisionKind       kind,
                                     gint64                   created_at,
                                     const char              *title,
                                     const char              *body,
                                     GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, insert_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, draft_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, kind);
  byline_sqlite_statement_bind_int64 (stmt, 3, created_at);
  byline_sqlite_statement_bind_text (stmt, 4, title);
  byline_sqlite_statement_bind_text (stmt, 5, body);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_revisions_table_thin (BylineSqliteConnection  *conn,
                                   gint64                   draft_id,
                                   gint64                   every_since,
                                   gint64                   hourly_since,
                                   gint64                   utc_offset,
                                   BylineRevisionKind       automatic,
                                   guint                    batch,
                                   gint64                  *n_deleted,
                                   GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, thin_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, draft_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, every_since);
  byline_sqlite_statement_bind_int64 (stmt, 3, hourly_since);
  byline_sqlite_statement_bind_int64 (stmt, 4, utc_offset);
  byline_sqlite_statement_bind_int64 (stmt, 5, automatic);
  byline_sqlite_statement_bind_int64 (stmt, 6, G_TIME_SPAN_HOUR);
  byline_sqlite_statement_bind_int64 (stmt, 7, G_TIME_SPAN_DAY);
  byline_sqlite_statement_bind_int64 (stmt, 8, batch);
  if (!byline_sqlite_statement_run (stmt, error))
    return FALSE;
  if (n_deleted != NULL)
    *n_deleted = byline_sqlite_connection_get_changes (conn);
  return TRUE;
}

/* The revision of the row @stmt is on; its body only @with_body (the sixth column). */
static BylineRevision *
revision_from_row (BylineSqliteStatement *stmt,
                   gboolean               with_body)
{
  int kind = (int) byline_sqlite_statement_get_int64 (stmt, 2);

  /* A kind this version does not know (a newer Byline's) reads as automatic. */
  if (kind < BYLINE_REVISION_KIND_AUTOMATIC || kind > BYLINE_REVISION_KIND_RESTORE)
    kind = BYLINE_REVISION_KIND_AUTOMATIC;
  return byline_revision_new (byline_sqlite_statement_get_int64 (stmt, 0),
                              byline_sqlite_statement_get_int64 (stmt, 1),
                              kind,
                              byline_sqlite_statement_get_int64 (stmt, 3),
                              byline_sqlite_statement_get_text (stmt, 4),
                              with_body ? byline_sqlite_statement_get_text (stmt, 5) : NULL);
}

GPtrArray *
byline_store_revisions_table_list (BylineSqliteConnection  *conn,
                                   gint64                   draft_id,
                                   GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;
  g_autoptr(GPtrArray) revisions = g_ptr_array_new_with_free_func (g_object_unref);
  GError *step_error = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, list_sql, error)))
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, draft_id);
  while (byline_sqlite_statement_step (stmt, &step_error))
    g_ptr_array_add (revisions, revision_from_row (stmt, FALSE));
  if (step_error != NULL)
    {
      g_propagate_error (error, step_error);
      return NULL;
    }
  return g_steal_pointer (&revisions);
}

BylineRevision *
byline_store_revisions_table_load (BylineSqliteConnection  *conn,
                                   gint64                   id,
                                   GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, load_sql, error)))
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  if (!byline_sqlite_statement_step (stmt, error))
    return NULL;
  return revision_from_row (stmt, TRUE);
}
