/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-outbox-table.c: the SQL of the outbox table (every change to a site, written
 * before it is sent).
 *
 * Callers hold the store's lock around these; transactions are theirs (the publisher records
 * each step of a send in one). The states are stored as the numbers BylineOutboxState gives
 * them, and written so in the SQL below. */

#include "config.h"

#include "byline-store-outbox-table.h"

G_STATIC_ASSERT (BYLINE_OUTBOX_STATE_PENDING == 0);
G_STATIC_ASSERT (BYLINE_OUTBOX_STATE_DONE == 1);
G_STATIC_ASSERT (BYLINE_OUTBOX_STATE_FAILED == 2);
G_STATIC_ASSERT (BYLINE_OUTBOX_STATE_CONFLICT == 3);

/* What a list shows: the title and status from the payload, an upload's local address. */
#define ENTRY_COLUMNS \
  "id, coalesce (draft_id, 0), account_id, action, state," \
  " coalesce (json_extract (payload, '$.title'), '')," \
  " coalesce (json_extract (payload, '$.status'), '')," \
  " attempts, max (next_attempt_at, create_settles_at), last_error, remote_id, link, client_key," \
  " created_at, updated_at," \
  " coalesce ('" BYLINE_UPLOAD_SCHEME ":' || json_extract (payload, '$.file'), '')"

/* What sending needs. */
#define ROW_COLUMNS \
  "o.id, o.account_id, coalesce (o.draft_id, 0), o.action, o.state, o.payload, o.client_key," \
  " o.remote_id, o.base_modified_gmt, o.attempts, o.theirs"

/* One statement: the link read and the entry written together. */
static const char insert_publish_sql[] =
  "INSERT INTO outbox (account_id, draft_id, action, payload, client_key, remote_id,"
  "                    base_modified_gmt, created_at, updated_at)"
  " VALUES (?1, ?2, 'publish', ?3, ?4,"
  "   coalesce ((SELECT remote_id FROM remote_posts"
  "              WHERE draft_id = ?2 AND account_id = ?1), 0),"
  "   coalesce ((SELECT modified_gmt FROM remote_posts"
  "              WHERE draft_id = ?2 AND account_id = ?1), ''),"
  "   ?5, ?5)";
/* No row, so no entry, when the draft is linked to no post. */
static const char insert_trash_sql[] =
  "INSERT INTO outbox (account_id, draft_id, action, payload, client_key, remote_id,"
  "                    base_modified_gmt, created_at, updated_at)"
  " SELECT r.account_id, r.draft_id, 'trash',"
  "   json_object ('status', 'trash', 'title', coalesce (d.title, '')), ?2,"
  "   r.remote_id, r.modified_gmt, ?3, ?3"
  " FROM remote_posts r LEFT JOIN drafts d ON d.id = r.draft_id"
  " WHERE r.draft_id = ?1";
static const char insert_upload_sql[] =
  "INSERT INTO outbox (account_id, draft_id, action, payload, client_key, created_at,"
  "                    updated_at)"
  " VALUES (?1, ?2, 'upload', ?3, ?4, ?5, ?5)";
static const char list_sql[] =
  "SELECT " ENTRY_COLUMNS " FROM outbox WHERE ?1 = 0 OR draft_id = ?1 ORDER BY id";
static const char load_sql[] =
  "SELECT " ENTRY_COLUMNS " FROM outbox WHERE id = ?1";
static const char find_upload_sql[] =
  "SELECT " ENTRY_COLUMNS " FROM outbox"
  " WHERE action = 'upload' AND json_extract (payload, '$.file') = ?2"
  "   AND (?1 = 0 OR account_id = ?1)"
  " ORDER BY state = 1 DESC, id DESC LIMIT 1";
static const char media_id_at_sql[] =
  "SELECT remote_id FROM outbox"
  " WHERE action = 'upload' AND state = 1 AND account_id = ?1 AND link = ?2 AND remote_id > 0"
  " ORDER BY id DESC LIMIT 1";
static const char load_row_sql[] =
  "SELECT " ROW_COLUMNS " FROM outbox o WHERE o.id = ?1";
static const char next_due_sql[] =
  "SELECT " ROW_COLUMNS
  " FROM outbox o"
  " WHERE o.state = 0 AND o.next_attempt_at <= ?1 AND o.create_settles_at <= ?1"
  "   AND o.id > ?2"
  "   AND NOT EXISTS (SELECT 1 FROM outbox e"
  "                   WHERE e.draft_id = o.draft_id AND e.account_id = o.account_id"
  "                     AND e.id < o.id AND e.state IN (0, 3))"
  " ORDER BY o.id";
static const char make_due_sql[] =
  "UPDATE outbox SET state = 0, next_attempt_at = 0, updated_at = ?2"
  " WHERE id = ?1 AND state IN (0, 2)";
static const char hold_sql[] =
  "UPDATE outbox SET create_settles_at = ?2, updated_at = ?3 WHERE id = ?1 AND state = 0";
static const char set_failed_sql[] =
  "UPDATE outbox SET state = ?2, attempts = attempts + 1, next_attempt_at = ?3,"
  "   last_error = ?4, updated_at = ?5"
  " WHERE id = ?1";
static const char set_done_sql[] =
  "UPDATE outbox SET state = 1, attempts = attempts + 1, last_error = '', theirs = '',"
  "   remote_id = ?2, link = ?3, updated_at = ?4"
  " WHERE id = ?1";
static const char set_conflict_sql[] =
  "UPDATE outbox SET state = 3, attempts = attempts + 1, theirs = ?2, last_error = ?3,"
  "   updated_at = ?4"
  " WHERE id = ?1";
static const char set_post_sql[] =
  "UPDATE outbox SET remote_id = ?2, base_modified_gmt = ?3, updated_at = ?4 WHERE id = ?1";
static const char follow_post_sql[] =
  "UPDATE outbox SET remote_id = ?4, base_modified_gmt = ?6, updated_at = ?7"
  " WHERE draft_id = ?2 AND account_id = ?3 AND id > ?1 AND state = 0"
  "   AND (remote_id = 0 OR (remote_id = ?4 AND base_modified_gmt = ?5))";
static const char follow_base_sql[] =
  "UPDATE outbox SET base_modified_gmt = ?5, updated_at = ?6"
  " WHERE draft_id = ?2 AND account_id = ?3 AND id > ?1 AND state = 0"
  "   AND base_modified_gmt = ?4";
static const char keep_mine_sql[] =
  "UPDATE outbox SET state = 0, base_modified_gmt = ?2, theirs = '',"
  "   last_error = '', next_attempt_at = 0, updated_at = ?3"
  " WHERE id = ?1 AND state = 3";
static const char take_theirs_sql[] =
  "UPDATE outbox SET state = 1, theirs = '', last_error = '', link = ?2, updated_at = ?3"
  " WHERE id = ?1 AND state = 3";

void
byline_store_outbox_row_free (BylineStoreOutboxRow *row)
{
  if (row == NULL)
    return;

  g_free (row->payload);
  g_free (row->client_key);
  g_free (row->base_modified_gmt);
  g_free (row->theirs);
  g_free (row);
}

static BylineOutboxAction
action_from_text (const char *text)
{
  if (g_strcmp0 (text, "trash") == 0)
    return BYLINE_OUTBOX_ACTION_TRASH;
  if (g_strcmp0 (text, "upload") == 0)
    return BYLINE_OUTBOX_ACTION_UPLOAD;
  return BYLINE_OUTBOX_ACTION_PUBLISH;
}

/* A state from a newer Byline reads as failed: shown, never sent. */
static BylineOutboxState
state_from_number (gint64 state)
{
  return state >= BYLINE_OUTBOX_STATE_PENDING && state <= BYLINE_OUTBOX_STATE_CONFLICT
         ? (BylineOutboxState) state : BYLINE_OUTBOX_STATE_FAILED;
}

/* The entry of the row @stmt is on, read in ENTRY_COLUMNS' order. */
static BylineOutboxEntry *
entry_from_row (BylineSqliteStatement *stmt)
{
  BylineOutboxEntry *entry = g_new0 (BylineOutboxEntry, 1);

#define TEXT(i) byline_sqlite_statement_dup_text (stmt, i)
  entry->id = byline_sqlite_statement_get_int64 (stmt, 0);
  entry->draft_id = byline_sqlite_statement_get_int64 (stmt, 1);
  entry->account_id = byline_sqlite_statement_get_int64 (stmt, 2);
  entry->action = action_from_text (byline_sqlite_statement_get_text (stmt, 3));
  entry->state = state_from_number (byline_sqlite_statement_get_int64 (stmt, 4));
  entry->title = TEXT (5);
  entry->status = TEXT (6);
  entry->attempts = (guint) byline_sqlite_statement_get_int64 (stmt, 7);
  entry->next_attempt_at = byline_sqlite_statement_get_int64 (stmt, 8);
  entry->last_error = TEXT (9);
  entry->remote_id = byline_sqlite_statement_get_int64 (stmt, 10);
  entry->link = TEXT (11);
  entry->client_key = TEXT (12);
  entry->created_at = byline_sqlite_statement_get_int64 (stmt, 13);
  entry->updated_at = byline_sqlite_statement_get_int64 (stmt, 14);
  entry->local_address = TEXT (15);
#undef TEXT
  return entry;
}

/* The row @stmt is on, read in ROW_COLUMNS' order. */
static BylineStoreOutboxRow *
row_from_row (BylineSqliteStatement *stmt)
{
  BylineStoreOutboxRow *row = g_new0 (BylineStoreOutboxRow, 1);

  row->id = byline_sqlite_statement_get_int64 (stmt, 0);
  row->account_id = byline_sqlite_statement_get_int64 (stmt, 1);
  row->draft_id = byline_sqlite_statement_get_int64 (stmt, 2);
  row->action = action_from_text (byline_sqlite_statement_get_text (stmt, 3));
  row->state = state_from_number (byline_sqlite_statement_get_int64 (stmt, 4));
  row->payload = byline_sqlite_statement_dup_text (stmt, 5);
  row->client_key = byline_sqlite_statement_dup_text (stmt, 6);
  row->remote_id = byline_sqlite_statement_get_int64 (stmt, 7);
  row->base_modified_gmt = byline_sqlite_statement_dup_text (stmt, 8);
  row->attempts = (guint) byline_sqlite_statement_get_int64 (stmt, 9);
  row->theirs = byline_sqlite_statement_dup_text (stmt, 10);
  return row;
}

/* Runs an INSERT of an entry (bound already); the new entry's id, or 0. */
static gint64
run_insert (BylineSqliteConnection  *conn,
            BylineSqliteStatement   *stmt,
            GError                 **error)
{
  if (!byline_sqlite_statement_run (stmt, error))
    return 0;
  return byline_sqlite_connection_get_last_insert_id (conn);
}

gint64
byline_store_outbox_table_insert_publish (BylineSqliteConnection  *conn,
                                          gint64                   account_id,
                                          gint64                   draft_id,
                                          const char              *payload,
                                          const char              *client_key,
                                          gint64                   now,
                                          GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, insert_publish_sql, error)))
    return 0;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, draft_id);
  byline_sqlite_statement_bind_text (stmt, 3, payload);
  byline_sqlite_statement_bind_text (stmt, 4, client_key);
  byline_sqlite_statement_bind_int64 (stmt, 5, now);
  return run_insert (conn, stmt, error);
}

gint64
byline_store_outbox_table_insert_trash (BylineSqliteConnection  *conn,
                                        gint64                   draft_id,
                                        const char              *client_key,
                                        gint64                   now,
                                        GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, insert_trash_sql, error)))
    return 0;
  byline_sqlite_statement_bind_int64 (stmt, 1, draft_id);
  byline_sqlite_statement_bind_text (stmt, 2, client_key);
  byline_sqlite_statement_bind_int64 (stmt, 3, now);
  if (!byline_sqlite_statement_run (stmt, error)
      || byline_sqlite_connection_get_changes (conn) == 0)
    return 0;
  return byline_sqlite_connection_get_last_insert_id (conn);
}

gint64
byline_store_outbox_table_insert_upload (BylineSqliteConnection  *conn,
                                         gint64                   account_id,
                                         gint64                   draft_id,
                                         const char              *payload,
                                         const char              *client_key,
                                         gint64                   now,
                                         GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, insert_upload_sql, error)))
    return 0;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, draft_id);
  byline_sqlite_statement_bind_text (stmt, 3, payload);
  byline_sqlite_statement_bind_text (stmt, 4, client_key);
  byline_sqlite_statement_bind_int64 (stmt, 5, now);
  return run_insert (conn, stmt, error);
}

GPtrArray *
byline_store_outbox_table_list (BylineSqliteConnection  *conn,
                                gint64                   draft_id,
                                GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  GError *step_error = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, list_sql, error)))
    return NULL;
  entries = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_outbox_entry_free);
  byline_sqlite_statement_bind_int64 (stmt, 1, draft_id);
  while (byline_sqlite_statement_step (stmt, &step_error))
    g_ptr_array_add (entries, entry_from_row (stmt));
  if (step_error != NULL)
    {
      g_propagate_error (error, step_error);
      return NULL;
    }
  return g_steal_pointer (&entries);
}

BylineOutboxEntry *
byline_store_outbox_table_load (BylineSqliteConnection  *conn,
                                gint64                   id,
                                GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, load_sql, error)))
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  if (!byline_sqlite_statement_step (stmt, error))
    return NULL;
  return entry_from_row (stmt);
}

BylineOutboxEntry *
byline_store_outbox_table_find_upload (BylineSqliteConnection  *conn,
                                       gint64                   account_id,
                                       const char              *file,
                                       GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, find_upload_sql, error)))
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_text (stmt, 2, file);
  if (!byline_sqlite_statement_step (stmt, error))
    return NULL;
  return entry_from_row (stmt);
}

gint64
byline_store_outbox_table_media_id_at (BylineSqliteConnection  *conn,
                                       gint64                   account_id,
                                       const char              *link,
                                       GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, media_id_at_sql, error)))
    return 0;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_text (stmt, 2, link);
  if (!byline_sqlite_statement_step (stmt, error))
    return 0;
  return byline_sqlite_statement_get_int64 (stmt, 0);
}

BylineStoreOutboxRow *
byline_store_outbox_table_load_row (BylineSqliteConnection  *conn,
                                    gint64                   id,
                                    GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, load_row_sql, error)))
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  if (!byline_sqlite_statement_step (stmt, error))
    return NULL;
  return row_from_row (stmt);
}

BylineStoreOutboxRow *
byline_store_outbox_table_next_due (BylineSqliteConnection  *conn,
                                    gint64                   now,
                                    gint64                   after_id,
                                    GHashTable              *held_back,
                                    GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, next_due_sql, error)))
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, now);
  byline_sqlite_statement_bind_int64 (stmt, 2, after_id);
  while (byline_sqlite_statement_step (stmt, error))
    {
      gint64 account_id = byline_sqlite_statement_get_int64 (stmt, 1);

      if (held_back == NULL || !g_hash_table_contains (held_back, &account_id))
        return row_from_row (stmt);
    }
  return NULL;
}

/* Runs an UPDATE of one entry (bound already): FALSE with @error set on a failure, unset when
 * it matched no row. */
static gboolean
run_update (BylineSqliteConnection  *conn,
            BylineSqliteStatement   *stmt,
            GError                 **error)
{
  return byline_sqlite_statement_run (stmt, error)
         && byline_sqlite_connection_get_changes (conn) > 0;
}

gboolean
byline_store_outbox_table_hold (BylineSqliteConnection  *conn,
                                gint64                   id,
                                gint64                   until,
                                gint64                   now,
                                GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, hold_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_int64 (stmt, 2, until);
  byline_sqlite_statement_bind_int64 (stmt, 3, now);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_outbox_table_make_due (BylineSqliteConnection  *conn,
                                    gint64                   id,
                                    gint64                   now,
                                    GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, make_due_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_int64 (stmt, 2, now);
  return run_update (conn, stmt, error);
}

gboolean
byline_store_outbox_table_set_failed (BylineSqliteConnection  *conn,
                                      gint64                   id,
                                      BylineOutboxState        state,
                                      gint64                   due_at,
                                      const char              *last_error,
                                      gint64                   now,
                                      GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, set_failed_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_int64 (stmt, 2, state);
  byline_sqlite_statement_bind_int64 (stmt, 3, due_at);
  byline_sqlite_statement_bind_text (stmt, 4, last_error);
  byline_sqlite_statement_bind_int64 (stmt, 5, now);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_outbox_table_set_done (BylineSqliteConnection  *conn,
                                    gint64                   id,
                                    gint64                   remote_id,
                                    const char              *link,
                                    gint64                   now,
                                    GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, set_done_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_int64 (stmt, 2, remote_id);
  byline_sqlite_statement_bind_text (stmt, 3, link);
  byline_sqlite_statement_bind_int64 (stmt, 4, now);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_outbox_table_set_conflict (BylineSqliteConnection  *conn,
                                        gint64                   id,
                                        const char              *theirs,
                                        const char              *last_error,
                                        gint64                   now,
                                        GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, set_conflict_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_text (stmt, 2, theirs);
  byline_sqlite_statement_bind_text (stmt, 3, last_error);
  byline_sqlite_statement_bind_int64 (stmt, 4, now);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_outbox_table_set_post (BylineSqliteConnection  *conn,
                                    gint64                   id,
                                    gint64                   remote_id,
                                    const char              *base,
                                    gint64                   now,
                                    GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, set_post_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_int64 (stmt, 2, remote_id);
  byline_sqlite_statement_bind_text (stmt, 3, base);
  byline_sqlite_statement_bind_int64 (stmt, 4, now);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_outbox_table_follow_post (BylineSqliteConnection  *conn,
                                       gint64                   after_id,
                                       gint64                   draft_id,
                                       gint64                   account_id,
                                       gint64                   remote_id,
                                       const char              *old_base,
                                       const char              *new_base,
                                       gint64                   now,
                                       GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, follow_post_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, after_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, draft_id);
  byline_sqlite_statement_bind_int64 (stmt, 3, account_id);
  byline_sqlite_statement_bind_int64 (stmt, 4, remote_id);
  byline_sqlite_statement_bind_text (stmt, 5, old_base);
  byline_sqlite_statement_bind_text (stmt, 6, new_base);
  byline_sqlite_statement_bind_int64 (stmt, 7, now);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_outbox_table_follow_base (BylineSqliteConnection  *conn,
                                       gint64                   after_id,
                                       gint64                   draft_id,
                                       gint64                   account_id,
                                       const char              *old_base,
                                       const char              *new_base,
                                       gint64                   now,
                                       GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, follow_base_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, after_id);
  byline_sqlite_statement_bind_int64 (stmt, 2, draft_id);
  byline_sqlite_statement_bind_int64 (stmt, 3, account_id);
  byline_sqlite_statement_bind_text (stmt, 4, old_base);
  byline_sqlite_statement_bind_text (stmt, 5, new_base);
  byline_sqlite_statement_bind_int64 (stmt, 6, now);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_outbox_table_keep_mine (BylineSqliteConnection  *conn,
                                     gint64                   id,
                                     const char              *base,
                                     gint64                   now,
                                     GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, keep_mine_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_text (stmt, 2, base);
  byline_sqlite_statement_bind_int64 (stmt, 3, now);
  return byline_sqlite_statement_run (stmt, error);
}

gboolean
byline_store_outbox_table_take_theirs (BylineSqliteConnection  *conn,
                                       gint64                   id,
                                       const char              *link,
                                       gint64                   now,
                                       GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, take_theirs_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  byline_sqlite_statement_bind_text (stmt, 2, link);
  byline_sqlite_statement_bind_int64 (stmt, 3, now);
  return byline_sqlite_statement_run (stmt, error);
}
