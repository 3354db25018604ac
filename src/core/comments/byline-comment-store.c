/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment-store.c: the comments of every site, kept in the drafts database.
 *
 * The store is the single source of truth for the Comments view: a decision changes the status
 * here first (BylineModerator), the network only confirms it, and the sync writes what the site
 * says. Views keep only ids and sort keys and load a comment when it is shown, so a queue of
 * 100,000 comments costs a few megabytes.
 *
 * A big decision (10,000 selected comments) is written a slice at a time, so that the window
 * keeps drawing. Until its slice is written, what it will make of a comment is an expectation
 * held here, in memory: every read shows it (a comment, a view, the counts), so a decision
 * looks done at once; the slice that writes it settles it. */

#define G_LOG_DOMAIN "byline-comments"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-comment-private.h"
#include "byline-comment-store.h"
#include "byline-store-private.h"

struct _BylineCommentStore
{
  GObject       parent_instance;
  BylineStore  *store;
  GHashTable   *expected;   /* local id -> BylineCommentExpected, until written */
  sqlite3_stmt *load_stmt;  /* one comment by id, kept: a list view reads hundreds at once */
};

G_DEFINE_FINAL_TYPE (BylineCommentStore, byline_comment_store, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

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

void
byline_comment_post_free (BylineCommentPost *post)
{
  g_free (post->title);
  g_free (post->link);
  g_free (post);
}

static void
byline_comment_store_dispose (GObject *object)
{
  BylineCommentStore *self = BYLINE_COMMENT_STORE (object);

  /* After the store closed, this frees what SQLite kept for it (sqlite3_close_v2). */
  g_clear_pointer (&self->load_stmt, sqlite3_finalize);
  g_clear_object (&self->store);
  g_clear_pointer (&self->expected, g_hash_table_unref);

  G_OBJECT_CLASS (byline_comment_store_parent_class)->dispose (object);
}

static void
byline_comment_store_class_init (BylineCommentStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = byline_comment_store_dispose;

  /**
   * BylineCommentStore::changed:
   * @account_id: the site whose comments changed
   * @ids: (nullable): a GArray of the local ids of the comments that changed, or NULL when
   *   too many did: a view then reads itself again
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                   G_TYPE_INT64, G_TYPE_POINTER);
}

static void
byline_comment_store_init (BylineCommentStore *self)
{
  /* Keyed by the id inside each value. */
  self->expected = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
}

BylineCommentStore *
byline_comment_store_new (BylineStore *store)
{
  BylineCommentStore *self;

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);

  self = g_object_new (BYLINE_TYPE_COMMENT_STORE, NULL);
  self->store = g_object_ref (store);
  return self;
}

BylineStore *
byline_comment_store_get_store (BylineCommentStore *self)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);
  return self->store;
}

void
byline_comment_store_emit_changed (BylineCommentStore *self,
                                   gint64              account_id,
                                   GArray             *ids)
{
  g_return_if_fail (BYLINE_IS_COMMENT_STORE (self));
  g_signal_emit (self, signals[CHANGED], 0, account_id, ids);
}

/* ---- Expectations: decisions taken, not yet written ---- */

/* The view a comment of @status counts in (ALL aside), or BYLINE_COMMENT_N_VIEWS. */
static BylineCommentView
view_of_status (const char *status)
{
  if (g_strcmp0 (status, BYLINE_COMMENT_STATUS_HOLD) == 0)
    return BYLINE_COMMENT_VIEW_PENDING;
  if (g_strcmp0 (status, BYLINE_COMMENT_STATUS_APPROVED) == 0)
    return BYLINE_COMMENT_VIEW_APPROVED;
  if (g_strcmp0 (status, BYLINE_COMMENT_STATUS_SPAM) == 0)
    return BYLINE_COMMENT_VIEW_SPAM;
  if (g_strcmp0 (status, BYLINE_COMMENT_STATUS_TRASH) == 0)
    return BYLINE_COMMENT_VIEW_TRASH;
  return BYLINE_COMMENT_N_VIEWS;
}

/* Whether @view shows a comment of @status; one being restored (NULL) is pending or approved,
 * which only All is sure to show. */
static gboolean
view_shows (BylineCommentView  view,
            const char        *status)
{
  BylineCommentView of = view_of_status (status);

  if (view == BYLINE_COMMENT_VIEW_ALL)
    return status == NULL || of == BYLINE_COMMENT_VIEW_PENDING ||
           of == BYLINE_COMMENT_VIEW_APPROVED;
  return status != NULL && of == view;
}

/* What a comment the store holds as @status (restore_status @restore) shows under @expected. */
static const char *
expected_status (const BylineCommentExpected *expected,
                 const char                  *status,
                 const char                  *restore)
{
  if (expected->status != NULL)
    return expected->status;
  if (!byline_comment_status_is_spam_or_trash (status))
    return byline_comment_status_intern (status);
  return byline_comment_status_intern (restore != NULL && restore[0] != '\0'
                                       ? restore : BYLINE_COMMENT_STATUS_HOLD);
}

static BylineCommentExpected *
lookup_expected (BylineCommentStore *self,
                 gint64              id)
{
  return g_hash_table_size (self->expected) > 0 ? g_hash_table_lookup (self->expected, &id) : NULL;
}

/* ---- Changes gathered by site ---- */

struct _BylineCommentChanges
{
  GHashTable *by_account;   /* account id -> GArray of gint64 comment ids */
};

BylineCommentChanges *
byline_comment_changes_new (void)
{
  BylineCommentChanges *changes = g_new0 (BylineCommentChanges, 1);

  changes->by_account = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                               (GDestroyNotify) g_array_unref);
  return changes;
}

void
byline_comment_changes_free (BylineCommentChanges *changes)
{
  g_hash_table_unref (changes->by_account);
  g_free (changes);
}

void
byline_comment_changes_add (BylineCommentChanges *changes,
                            gint64                account_id,
                            gint64                id)
{
  GArray *ids;

  g_return_if_fail (changes != NULL);

  if (!(ids = g_hash_table_lookup (changes->by_account, &account_id)))
    {
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (changes->by_account, g_memdup2 (&account_id, sizeof account_id), ids);
    }
  g_array_append_val (ids, id);
}

void
byline_comment_store_emit_changes (BylineCommentStore   *self,
                                   BylineCommentChanges *changes)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (BYLINE_IS_COMMENT_STORE (self));
  g_return_if_fail (changes != NULL);

  g_hash_table_iter_init (&iter, changes->by_account);
  while (g_hash_table_iter_next (&iter, &key, &value))
    byline_comment_store_emit_changed (self, *(gint64 *) key, value);
}

void
byline_comment_store_expect (BylineCommentStore          *self,
                             const BylineCommentExpected *expected,
                             guint                        n_expected)
{
  g_autoptr(BylineCommentChanges) changes = byline_comment_changes_new ();

  g_return_if_fail (BYLINE_IS_COMMENT_STORE (self));
  g_return_if_fail (n_expected == 0 || expected != NULL);

  for (guint i = 0; i < n_expected; i++)
    {
      BylineCommentExpected *known = lookup_expected (self, expected[i].id);
      BylineCommentExpected *entry = g_memdup2 (&expected[i], sizeof *entry);

      /* An earlier decision not yet written: the store still holds what it knew. */
      if (known != NULL)
        entry->stored_status = known->stored_status;
      g_hash_table_replace (self->expected, &entry->id, entry);
      byline_comment_changes_add (changes, entry->account_id, entry->id);
    }
  byline_comment_store_emit_changes (self, changes);
}

void
byline_comment_store_settle (BylineCommentStore         *self,
                             guint                       serial,
                             const BylineCommentWritten *written,
                             guint                       n_written)
{
  g_autoptr(BylineCommentChanges) changes = byline_comment_changes_new ();

  g_return_if_fail (BYLINE_IS_COMMENT_STORE (self));
  g_return_if_fail (n_written == 0 || written != NULL);

  for (guint i = 0; i < n_written; i++)
    {
      BylineCommentExpected *entry = lookup_expected (self, written[i].id);
      gint64 id = written[i].id;
      gboolean as_shown;

      if (entry == NULL)
        {
          /* Nothing was shown ahead of the store: the views read it again if it changed. */
          if (written[i].changed)
            byline_comment_changes_add (changes, written[i].account_id, id);
          continue;
        }
      if (entry->serial != serial && written[i].status != NULL)
        {
          /* Decided again since: that decision still shows, over what is now stored. */
          entry->stored_status = written[i].status;
          continue;
        }
      /* Written as the views show it already: nothing for them to read (a slice tells no one,
       * or the window would lay its rows out again after each). */
      as_shown = entry->serial == serial && entry->status != NULL &&
                 entry->status == written[i].status;
      if (!as_shown)
        byline_comment_changes_add (changes, entry->account_id, id);
      g_hash_table_remove (self->expected, &id);
    }

  byline_comment_store_emit_changes (self, changes);
}

void
byline_comment_store_forget (BylineCommentStore   *self,
                             guint                 serial,
                             BylineCommentChanges *changes)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (BYLINE_IS_COMMENT_STORE (self));
  g_return_if_fail (changes != NULL);

  g_hash_table_iter_init (&iter, changes->by_account);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GArray *ids = value;

      for (guint i = 0; i < ids->len; i++)
        {
          gint64 id = g_array_index (ids, gint64, i);
          BylineCommentExpected *entry = lookup_expected (self, id);

          if (entry != NULL && entry->serial == serial)
            g_hash_table_remove (self->expected, &id);
        }
    }
  byline_comment_store_emit_changes (self, changes);
}

gboolean
byline_comment_store_get_expected (BylineCommentStore    *self,
                                   gint64                 id,
                                   BylineCommentExpected *expected)
{
  BylineCommentExpected *entry;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), FALSE);

  if (!(entry = lookup_expected (self, id)))
    return FALSE;
  if (expected != NULL)
    *expected = *entry;
  return TRUE;
}

/* Prepared on each call: about 20 µs, far below what a frame allows, and nothing to finalize
 * when the store closes. (Only the look-up of one comment is kept: load_by_id ().) */
static sqlite3_stmt *
prepare (BylineCommentStore  *self,
         sqlite3             *db,
         const char          *sql,
         const char          *what,
         GError             **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);

  if (rc != SQLITE_OK)
    {
      _byline_store_set_error (self->store, rc, what, error);
      return NULL;
    }
  return stmt;
}

static gboolean
exec (BylineCommentStore  *self,
      sqlite3             *db,
      const char          *sql,
      const char          *what,
      GError             **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      _byline_store_set_error (self->store, rc, what, error);
      return FALSE;
    }
  return TRUE;
}

static char *
column_dup (sqlite3_stmt *stmt,
            int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);
  return g_strdup (text ? text : "");
}

static BylineComment *
comment_from_row (BylineCommentStore *self,
                  sqlite3_stmt       *stmt)
{
  BylineComment *comment = g_object_new (BYLINE_TYPE_COMMENT, NULL);
  BylineCommentExpected *expected;

  comment->id = sqlite3_column_int64 (stmt, 0);
  comment->account_id = sqlite3_column_int64 (stmt, 1);
  comment->remote_id = sqlite3_column_int64 (stmt, 2);
  comment->post_id = sqlite3_column_int64 (stmt, 3);
  comment->parent_id = sqlite3_column_int64 (stmt, 4);
  comment->author_user_id = sqlite3_column_int64 (stmt, 5);
  comment->author_name = column_dup (stmt, 6);
  comment->author_email = column_dup (stmt, 7);
  comment->author_url = column_dup (stmt, 8);
  comment->author_ip = column_dup (stmt, 9);
  comment->date_gmt = column_dup (stmt, 10);
  comment->date_unix = sqlite3_column_int64 (stmt, 11);
  comment->content = column_dup (stmt, 12);
  comment->raw = column_dup (stmt, 13);
  comment->text = column_dup (stmt, 14);
  comment->link = column_dup (stmt, 15);
  comment->status = column_dup (stmt, 16);
  comment->remote_status = column_dup (stmt, 17);
  comment->sending = sqlite3_column_int (stmt, 18) != 0;
  comment->last_error = column_dup (stmt, 19);
  comment->post_title = column_dup (stmt, 20);
  comment->post_link = column_dup (stmt, 21);

  /* Decided, not yet written: shown as it will be. */
  if ((expected = lookup_expected (self, comment->id)))
    {
      const char *status = expected_status (expected, comment->status,
                                            (const char *) sqlite3_column_text (stmt, 22));
      /* Whether it will wait to be sent, as the moderator will decide when it writes it: not
       * when the site has that status already and nothing waits, nor when all that waits is
       * one decision never sent, which it then drops. */
      gboolean dropped = sqlite3_column_int (stmt, 23) != 0;

      comment->sending = !(g_str_equal (status, comment->remote_status) &&
                           (!comment->sending || dropped));
      g_free (comment->status);
      comment->status = g_strdup (status);
    }
  return comment;
}

/* Runs @stmt (bound, owned) to its end, collecting its comment rows. */
static GPtrArray *
collect_comments (BylineCommentStore  *self,
                  sqlite3_stmt        *stmt,
                  GError             **error)
{
  g_autoptr(GPtrArray) comments = g_ptr_array_new_with_free_func (g_object_unref);
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (comments, comment_from_row (self, stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      _byline_store_set_error (self->store, rc, _("Could not read the comments"), error);
      return NULL;
    }
  return g_steal_pointer (&comments);
}

/* The one comment a query by key finds, NULL (and no error) when there is none. */
static BylineComment *
load_one (BylineCommentStore  *self,
          const char          *where,
          gint64               a,
          gint64               b,
          GError             **error)
{
  g_autofree char *sql = g_strconcat ("SELECT " COMMENT_COLUMNS COMMENT_FROM, where, NULL);
  g_autoptr(GPtrArray) found = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;

  if (!(db = _byline_store_lock_db (self->store, error)))
    return NULL;
  if ((stmt = prepare (self, db, sql, _("Could not read the comments"), error)))
    {
      sqlite3_bind_int64 (stmt, 1, a);
      sqlite3_bind_int64 (stmt, 2, b);
      found = collect_comments (self, stmt, error);
    }
  _byline_store_unlock (self->store);

  if (found == NULL || found->len == 0)
    return NULL;
  return g_object_ref (g_ptr_array_index (found, 0));
}

/* Comment @id with the statement kept for it: parsing it took longer than running it. */
static BylineComment *
load_by_id (BylineCommentStore  *self,
            gint64               id,
            GError             **error)
{
  BylineComment *comment = NULL;
  sqlite3 *db;
  int rc;

  if (!(db = _byline_store_lock_db (self->store, error)))
    return NULL;
  if (self->load_stmt == NULL)
    self->load_stmt = prepare (self, db, "SELECT " COMMENT_COLUMNS COMMENT_FROM "WHERE c.id = ?1",
                               _("Could not read the comments"), error);
  if (self->load_stmt != NULL)
    {
      sqlite3_bind_int64 (self->load_stmt, 1, id);
      rc = sqlite3_step (self->load_stmt);
      if (rc == SQLITE_ROW)
        comment = comment_from_row (self, self->load_stmt);
      else if (rc != SQLITE_DONE)
        _byline_store_set_error (self->store, rc, _("Could not read the comments"), error);
      sqlite3_reset (self->load_stmt);
    }
  _byline_store_unlock (self->store);
  return comment;
}

BylineComment *
byline_comment_store_load (BylineCommentStore  *self,
                           gint64               id,
                           GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  BylineComment *comment;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);

  comment = load_by_id (self, id, &local_error);
  if (comment == NULL && local_error == NULL)
    g_set_error (&local_error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND,
                 _("The comment is no longer in the queue."));
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  return comment;
}

BylineComment *
byline_comment_store_find (BylineCommentStore  *self,
                           gint64               account_id,
                           gint64               remote_id,
                           GError             **error)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);
  /* "remote_id > 0" lets SQLite use the partial index comments_remote: without it, every
   * look-up reads the whole table. */
  return load_one (self, "WHERE c.account_id = ?1 AND c.remote_id = ?2 AND c.remote_id > 0",
                   account_id, remote_id, error);
}

gboolean
byline_comment_store_upsert (BylineCommentStore  *self,
                             gint64               account_id,
                             GPtrArray           *comments,
                             guint               *n_new_held,
                             GError             **error)
{
  /* A comment with a decision on its way keeps the decided status; otherwise the site's
   * status is shown. So does one decided and not written yet (?18): the decision is taken on
   * what the person saw, and its undo goes back to that. restore_status remembers where spam
   * and trash go back to. */
  static const char upsert_sql[] =
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
    "RETURNING id, (SELECT changes ())";
  /* "remote_id > 0" lets SQLite use the partial index comments_remote (a full scan each). */
  static const char exists_sql[] =
    "SELECT id FROM comments WHERE account_id = ?1 AND remote_id = ?2 AND remote_id > 0";
  sqlite3_stmt *upsert = NULL, *exists = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  guint new_held = 0;
  sqlite3 *db;
  int rc = SQLITE_OK;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), FALSE);

  if (!(db = _byline_store_lock_db (self->store, error)))
    return FALSE;
  if (!exec (self, db, "BEGIN IMMEDIATE", _("Could not keep the comments"), error))
    {
      _byline_store_unlock (self->store);
      return FALSE;
    }
  rc = sqlite3_prepare_v2 (db, upsert_sql, -1, &upsert, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, exists_sql, -1, &exists, NULL);

  for (guint i = 0; rc == SQLITE_OK && i < comments->len; i++)
    {
      BylineComment *c = g_ptr_array_index (comments, i);
      gboolean known, expected = FALSE;

      sqlite3_bind_int64 (exists, 1, account_id);
      sqlite3_bind_int64 (exists, 2, c->remote_id);
      if ((known = sqlite3_step (exists) == SQLITE_ROW))
        expected = lookup_expected (self, sqlite3_column_int64 (exists, 0)) != NULL;
      sqlite3_reset (exists);

      sqlite3_bind_int64 (upsert, 1, account_id);
      sqlite3_bind_int64 (upsert, 2, c->remote_id);
      sqlite3_bind_int64 (upsert, 3, c->post_id);
      sqlite3_bind_int64 (upsert, 4, c->parent_id);
      sqlite3_bind_int64 (upsert, 5, c->author_user_id);
      sqlite3_bind_text (upsert, 6, c->author_name, -1, SQLITE_STATIC);
      sqlite3_bind_text (upsert, 7, c->author_email, -1, SQLITE_STATIC);
      sqlite3_bind_text (upsert, 8, c->author_url, -1, SQLITE_STATIC);
      sqlite3_bind_text (upsert, 9, c->author_ip, -1, SQLITE_STATIC);
      sqlite3_bind_text (upsert, 10, c->date_gmt, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (upsert, 11, c->date_unix);
      sqlite3_bind_text (upsert, 12, c->content, -1, SQLITE_STATIC);
      sqlite3_bind_text (upsert, 13, c->raw, -1, SQLITE_STATIC);
      sqlite3_bind_text (upsert, 14, c->text, -1, SQLITE_STATIC);
      sqlite3_bind_text (upsert, 15, c->link, -1, SQLITE_STATIC);
      sqlite3_bind_text (upsert, 16, c->remote_status, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (upsert, 17, now);
      sqlite3_bind_int (upsert, 18, expected);
      while ((rc = sqlite3_step (upsert)) == SQLITE_ROW)
        c->id = sqlite3_column_int64 (upsert, 0);
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
      sqlite3_reset (upsert);
      c->account_id = account_id;

      if (!known && g_strcmp0 (c->remote_status, BYLINE_COMMENT_STATUS_HOLD) == 0)
        new_held++;
    }
  sqlite3_finalize (upsert);
  sqlite3_finalize (exists);

  if (rc != SQLITE_OK)
    {
      _byline_store_set_error (self->store, rc, _("Could not keep the comments"), error);
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      _byline_store_unlock (self->store);
      return FALSE;
    }
  if (!exec (self, db, "COMMIT", _("Could not keep the comments"), error))
    {
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
      _byline_store_unlock (self->store);
      return FALSE;
    }
  _byline_store_unlock (self->store);

  if (n_new_held != NULL)
    *n_new_held = new_held;
  return TRUE;
}

/* Runs a statement that changes rows, with up to two numbers and two texts (unused ones are
 * ignored); returns how many rows changed, or -1. */
static gint
run_change (BylineCommentStore  *self,
            const char          *sql,
            gint64               a,
            gint64               b,
            const char          *text1,
            const char          *text2,
            GError             **error)
{
  sqlite3_stmt *stmt;
  sqlite3 *db;
  gint changes = -1;
  int rc;

  if (!(db = _byline_store_lock_db (self->store, error)))
    return -1;
  if ((stmt = prepare (self, db, sql, _("Could not change the comments"), error)))
    {
      sqlite3_bind_int64 (stmt, 1, a);
      sqlite3_bind_int64 (stmt, 2, b);
      sqlite3_bind_text (stmt, 3, text1, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, text2, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      sqlite3_finalize (stmt);
      if (rc == SQLITE_DONE)
        changes = sqlite3_changes (db);
      else
        _byline_store_set_error (self->store, rc, _("Could not change the comments"), error);
    }
  _byline_store_unlock (self->store);
  return changes;
}

gint
byline_comment_store_remove_unseen (BylineCommentStore  *self,
                                    gint64               account_id,
                                    GHashTable          *seen,
                                    GError             **error)
{
  g_autoptr(GArray) known = NULL;
  gint removed = 0;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), -1);

  if (!(known = byline_comment_store_list_remote_ids (self, account_id, NULL, error)))
    return -1;
  for (guint i = 0; i < known->len; i++)
    {
      gint64 remote_id = g_array_index (known, gint64, i);
      gint n;

      if (g_hash_table_contains (seen, &remote_id))
        continue;
      n = run_change (self,
                      "DELETE FROM comments WHERE account_id = ?1 AND remote_id = ?2 "
                      "AND remote_id > 0 AND "
                      "NOT EXISTS (SELECT 1 FROM comment_actions a "
                      "            WHERE a.comment_id = comments.id AND a.state = 0)",
                      account_id, remote_id, NULL, NULL, error);
      if (n < 0)
        return -1;
      removed += n;
    }
  return removed;
}

gboolean
byline_comment_store_remove (BylineCommentStore  *self,
                             gint64               id,
                             GError             **error)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), FALSE);

  return run_change (self, "DELETE FROM comment_actions WHERE comment_id = ?1",
                     id, 0, NULL, NULL, error) >= 0 &&
         run_change (self, "DELETE FROM comments WHERE id = ?1",
                     id, 0, NULL, NULL, error) >= 0;
}

gboolean
byline_comment_store_set_post (BylineCommentStore  *self,
                               gint64               account_id,
                               gint64               post_id,
                               const char          *title,
                               const char          *link,
                               GError             **error)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), FALSE);

  return run_change (self,
                     "INSERT INTO comment_posts (account_id, post_id, title, link) "
                     "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (account_id, post_id) DO UPDATE "
                     "SET title = excluded.title, link = excluded.link",
                     account_id, post_id, title ? title : "", link ? link : "", error) >= 0;
}

/* Runs @sql with ?1 = @account_id and an optional text ?2, collecting its first column. */
static GArray *
collect_ids (BylineCommentStore  *self,
             const char          *sql,
             gint64               account_id,
             const char          *text,
             GError             **error)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc = SQLITE_ERROR;

  if (!(db = _byline_store_lock_db (self->store, error)))
    return NULL;
  if ((stmt = prepare (self, db, sql, _("Could not read the comments"), error)))
    {
      sqlite3_bind_int64 (stmt, 1, account_id);
      if (text != NULL)
        sqlite3_bind_text (stmt, 2, text, -1, SQLITE_STATIC);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          g_array_append_val (ids, id);
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        _byline_store_set_error (self->store, rc, _("Could not read the comments"), error);
    }
  _byline_store_unlock (self->store);
  return rc == SQLITE_DONE ? g_steal_pointer (&ids) : NULL;
}

GArray *
byline_comment_store_list_untitled_posts (BylineCommentStore  *self,
                                          gint64               account_id,
                                          GError             **error)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);
  return collect_ids (self,
                      "SELECT DISTINCT c.post_id FROM comments c WHERE c.account_id = ?1 "
                      "AND c.post_id > 0 AND NOT EXISTS (SELECT 1 FROM comment_posts p "
                      "WHERE p.account_id = c.account_id AND p.post_id = c.post_id) "
                      "ORDER BY c.post_id",
                      account_id, NULL, error);
}

GArray *
byline_comment_store_list_remote_ids (BylineCommentStore  *self,
                                      gint64               account_id,
                                      const char          *remote_status,
                                      GError             **error)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);
  if (remote_status == NULL)
    return collect_ids (self,
                        "SELECT remote_id FROM comments WHERE account_id = ?1 AND remote_id > 0",
                        account_id, NULL, error);
  return collect_ids (self,
                      "SELECT remote_id FROM comments WHERE account_id = ?1 AND remote_id > 0 "
                      "AND remote_status = ?2",
                      account_id, remote_status, error);
}

/* The WHERE clause of @filter's view: ?1 account, ?2 post, ?3 search pattern; without the
 * status unless @by_status. */
static void
append_filter (GString                   *sql,
               const BylineCommentFilter *filter,
               gboolean                   by_status)
{
  static const char * const view_conditions[] = {
    [BYLINE_COMMENT_VIEW_PENDING]  = "c.status = 'hold'",
    [BYLINE_COMMENT_VIEW_APPROVED] = "c.status = 'approved'",
    [BYLINE_COMMENT_VIEW_SPAM]     = "c.status = 'spam'",
    [BYLINE_COMMENT_VIEW_TRASH]    = "c.status = 'trash'",
    [BYLINE_COMMENT_VIEW_ALL]      = "c.status IN ('hold', 'approved')",
  };

  g_string_append (sql, " WHERE c.account_id = ?1");
  if (by_status)
    g_string_append_printf (sql, " AND %s", view_conditions[filter->view]);
  if (filter->post_id > 0)
    g_string_append (sql, " AND c.post_id = ?2");
  if (filter->search != NULL && filter->search[0] != '\0')
    g_string_append (sql,
                     " AND (c.author_name LIKE ?3 ESCAPE '\\' OR c.author_email LIKE ?3 ESCAPE '\\'"
                     " OR c.author_url LIKE ?3 ESCAPE '\\' OR c.author_ip LIKE ?3 ESCAPE '\\'"
                     " OR c.text LIKE ?3 ESCAPE '\\')");
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

static void
bind_filter (sqlite3_stmt              *stmt,
             const BylineCommentFilter *filter,
             char                     **pattern)
{
  sqlite3_bind_int64 (stmt, 1, filter->account_id);
  sqlite3_bind_int64 (stmt, 2, filter->post_id);
  if (filter->search != NULL && filter->search[0] != '\0')
    {
      *pattern = like_pattern (filter->search);
      sqlite3_bind_text (stmt, 3, *pattern, -1, SQLITE_STATIC);
    }
}

static int
compare_keys_newest_first (gconstpointer a,
                           gconstpointer b)
{
  const BylineCommentKey *x = a, *y = b;

  if (x->date_unix != y->date_unix)
    return x->date_unix > y->date_unix ? -1 : 1;
  return (x->id < y->id) - (x->id > y->id);
}

static int
compare_keys_oldest_first (gconstpointer a,
                           gconstpointer b)
{
  return compare_keys_newest_first (b, a);
}

/* Whether @filter narrows its view to a post or a search: what memory cannot tell. */
static gboolean
filter_narrows (const BylineCommentFilter *filter)
{
  return filter->post_id > 0 || (filter->search != NULL && filter->search[0] != '\0');
}

static gboolean
has_expected_for (BylineCommentStore *self,
                  gint64              account_id)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->expected);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((BylineCommentExpected *) value)->account_id == account_id)
      return TRUE;
  return FALSE;
}

/* Whether the comment of @entry, decided and not written yet, is in @filter's view: it is when
 * the view shows its status once decided, and the comment as stored is in the view's post and
 * search (@stored_matches, its status aside). Without a post or a search every comment of the
 * site is, so memory alone tells. The one rule for query () and matches (), so that what a view
 * is told one comment at a time always agrees with what it reads whole. */
static gboolean
expected_in_view (const BylineCommentExpected *entry,
                  const BylineCommentFilter   *filter,
                  gboolean                     stored_matches)
{
  return entry->account_id == filter->account_id && view_shows (filter->view, entry->status) &&
         (stored_matches || !filter_narrows (filter));
}

/* The rows of @filter's view, @keys, seen through the expectations: those expected elsewhere
 * leave, those expected here come in. @any_status: @keys are all of the view's post and
 * search whatever their status (a view that narrows), so its status is checked here. */
static void
apply_expected_to_view (BylineCommentStore        *self,
                        const BylineCommentFilter *filter,
                        GArray                    *keys,
                        gboolean                   any_status)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  GHashTableIter iter;
  gpointer value;
  guint kept = 0, before;

  for (guint i = 0; i < keys->len; i++)
    {
      BylineCommentKey *key = &g_array_index (keys, BylineCommentKey, i);
      BylineCommentExpected *entry = lookup_expected (self, key->id);

      if (entry != NULL)
        {
          g_hash_table_add (seen, &entry->id);
          if (!expected_in_view (entry, filter, TRUE))
            continue;
          key->status = entry->status;
        }
      else if (any_status && !view_shows (filter->view, key->status))
        continue;
      g_array_index (keys, BylineCommentKey, kept++) = *key;
    }
  g_array_set_size (keys, kept);

  /* Those not read: in the view's post and search only if it has none (any_status read all
   * that are). */
  before = keys->len;
  g_hash_table_iter_init (&iter, self->expected);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BylineCommentExpected *entry = value;

      if (!g_hash_table_contains (seen, &entry->id) && expected_in_view (entry, filter, FALSE))
        {
          BylineCommentKey key = { entry->id, entry->date_unix, entry->status };
          g_array_append_val (keys, key);
        }
    }
  if (keys->len > before)
    g_array_sort (keys, filter->oldest_first ? compare_keys_oldest_first
                                             : compare_keys_newest_first);
}

GArray *
byline_comment_store_query (BylineCommentStore         *self,
                            const BylineCommentFilter  *filter,
                            GError                    **error)
{
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (BylineCommentKey));
  g_autoptr(GString) sql = g_string_new ("SELECT c.id, c.date_unix, c.status FROM comments c");
  g_autofree char *pattern = NULL;
  gboolean expected, any_status;
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc = SQLITE_ERROR;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);
  g_return_val_if_fail (filter->view < BYLINE_COMMENT_N_VIEWS, NULL);

  /* Under a post or a search, a comment decided into the view comes in only if it matches
   * them, which only the store knows: while decisions are being written, such a view reads
   * every status of its post or search, and sorts them out here. */
  expected = has_expected_for (self, filter->account_id);
  any_status = expected && filter_narrows (filter);
  append_filter (sql, filter, !any_status);
  g_string_append (sql, filter->oldest_first ? " ORDER BY c.date_unix, c.id"
                                             : " ORDER BY c.date_unix DESC, c.id DESC");

  if (!(db = _byline_store_lock_db (self->store, error)))
    return NULL;
  if ((stmt = prepare (self, db, sql->str, _("Could not read the comments"), error)))
    {
      bind_filter (stmt, filter, &pattern);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          BylineCommentKey key = {
            sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1),
            byline_comment_status_intern ((const char *) sqlite3_column_text (stmt, 2)),
          };
          g_array_append_val (keys, key);
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        _byline_store_set_error (self->store, rc, _("Could not read the comments"), error);
    }
  _byline_store_unlock (self->store);
  if (rc != SQLITE_DONE)
    return NULL;
  if (expected)
    apply_expected_to_view (self, filter, keys, any_status);
  return g_steal_pointer (&keys);
}

gboolean
byline_comment_store_matches (BylineCommentStore        *self,
                              gint64                     id,
                              const BylineCommentFilter *filter,
                              BylineCommentKey          *key)
{
  g_autoptr(GString) sql = g_string_new ("SELECT c.date_unix, c.status FROM comments c");
  BylineCommentExpected *expected = lookup_expected (self, id);
  g_autofree char *pattern = NULL;
  BylineCommentKey found = { id, 0, NULL };
  gboolean stored = FALSE, matches;
  sqlite3_stmt *stmt;
  sqlite3 *db;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), FALSE);

  /* The comment if it is in the view's post and search, whatever its status. */
  append_filter (sql, filter, FALSE);
  g_string_append (sql, " AND c.id = ?4");
  if (!(db = _byline_store_lock_db (self->store, NULL)))
    return FALSE;
  if ((stmt = prepare (self, db, sql->str, "", NULL)))
    {
      bind_filter (stmt, filter, &pattern);
      sqlite3_bind_int64 (stmt, 4, id);
      if ((stored = sqlite3_step (stmt) == SQLITE_ROW))
        {
          found.date_unix = sqlite3_column_int64 (stmt, 0);
          found.status =
            byline_comment_status_intern ((const char *) sqlite3_column_text (stmt, 1));
        }
      sqlite3_finalize (stmt);
    }
  _byline_store_unlock (self->store);

  /* Decided, not yet written: the view it is expected in, by the rule query () follows. */
  if (expected != NULL)
    {
      matches = expected_in_view (expected, filter, stored);
      if (!stored)
        found.date_unix = expected->date_unix;
      found.status = expected->status;
    }
  else
    matches = stored && view_shows (filter->view, found.status);
  if (matches && key != NULL)
    *key = found;
  return matches;
}

/* Adds one comment of @status (interned; NULL: being restored, to pending or approved) to
 * @counts; @restoring counts those All shows but no other view. */
static void
count_status (const char *status,
              guint       counts[BYLINE_COMMENT_N_VIEWS],
              guint      *restoring)
{
  BylineCommentView view = view_of_status (status);

  if (status == NULL)
    (*restoring)++;
  else if (view < BYLINE_COMMENT_N_VIEWS)
    counts[view]++;
}

/* Moves each comment decided but not yet written from the count of what the store holds to
 * the count of what it shows. A comment whose stored status is not known is left as stored. */
static void
count_expected (BylineCommentStore *self,
                gint64              account_id,
                guint               counts[BYLINE_COMMENT_N_VIEWS],
                guint              *restoring)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->expected);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BylineCommentExpected *entry = value;
      BylineCommentView from;

      if (entry->account_id != account_id || entry->stored_status == NULL ||
          entry->stored_status == entry->status)
        continue;
      from = view_of_status (entry->stored_status);
      if (from < BYLINE_COMMENT_N_VIEWS && counts[from] > 0)
        counts[from]--;
      count_status (entry->status, counts, restoring);
    }
}

gboolean
byline_comment_store_count (BylineCommentStore  *self,
                            gint64               account_id,
                            gint64               post_id,
                            guint                counts[BYLINE_COMMENT_N_VIEWS],
                            GError             **error)
{
  static const char by_status_sql[] =
    "SELECT status, count (*) FROM comments "
    "WHERE account_id = ?1 AND (?2 = 0 OR post_id = ?2) GROUP BY status";
  /* Which comments are in a post, only the store knows: while decisions are being written,
   * each comment of the post is counted as it is shown. */
  static const char of_post_sql[] =
    "SELECT id, status FROM comments WHERE account_id = ?1 AND post_id = ?2";
  gboolean expected, one_by_one;
  guint restoring = 0;
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc = SQLITE_ERROR;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), FALSE);

  memset (counts, 0, sizeof (guint) * BYLINE_COMMENT_N_VIEWS);
  expected = has_expected_for (self, account_id);
  one_by_one = expected && post_id > 0;
  if (!(db = _byline_store_lock_db (self->store, error)))
    return FALSE;
  if ((stmt = prepare (self, db, one_by_one ? of_post_sql : by_status_sql,
                       _("Could not count the comments"), error)))
    {
      sqlite3_bind_int64 (stmt, 1, account_id);
      sqlite3_bind_int64 (stmt, 2, post_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        if (one_by_one)
          {
            BylineCommentExpected *entry = lookup_expected (self, sqlite3_column_int64 (stmt, 0));
            const char *status = (const char *) sqlite3_column_text (stmt, 1);

            count_status (entry ? entry->status : byline_comment_status_intern (status), counts,
                          &restoring);
          }
        else
          {
            BylineCommentView view =
              view_of_status ((const char *) sqlite3_column_text (stmt, 0));

            if (view < BYLINE_COMMENT_N_VIEWS)
              counts[view] = sqlite3_column_int (stmt, 1);
          }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        _byline_store_set_error (self->store, rc, _("Could not count the comments"), error);
    }
  _byline_store_unlock (self->store);
  if (rc == SQLITE_DONE && expected && !one_by_one)
    count_expected (self, account_id, counts, &restoring);
  counts[BYLINE_COMMENT_VIEW_ALL] = counts[BYLINE_COMMENT_VIEW_PENDING] +
                                    counts[BYLINE_COMMENT_VIEW_APPROVED] + restoring;
  return rc == SQLITE_DONE;
}

GPtrArray *
byline_comment_store_list_by_author (BylineCommentStore  *self,
                                     BylineComment       *comment,
                                     guint                limit,
                                     GError             **error)
{
  gboolean by_email = comment->author_email[0] != '\0';
  g_autofree char *sql = g_strdup_printf ("SELECT " COMMENT_COLUMNS COMMENT_FROM
                                          "WHERE c.account_id = ?1 AND c.id != ?2 AND %s = ?3 "
                                          "AND c.status != 'deleted' "
                                          "ORDER BY c.date_unix DESC, c.id DESC LIMIT ?4",
                                          by_email ? "c.author_email" : "c.author_name");
  GPtrArray *found = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);

  if (!(db = _byline_store_lock_db (self->store, error)))
    return NULL;
  if ((stmt = prepare (self, db, sql, _("Could not read the comments"), error)))
    {
      sqlite3_bind_int64 (stmt, 1, comment->account_id);
      sqlite3_bind_int64 (stmt, 2, comment->id);
      sqlite3_bind_text (stmt, 3, by_email ? comment->author_email : comment->author_name,
                         -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 4, limit);
      found = collect_comments (self, stmt, error);
    }
  _byline_store_unlock (self->store);
  return found;
}

GPtrArray *
byline_comment_store_list_replies (BylineCommentStore  *self,
                                   BylineComment       *comment,
                                   guint                limit,
                                   GError             **error)
{
  GPtrArray *found = NULL;
  sqlite3_stmt *stmt;
  sqlite3 *db;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);

  if (comment->remote_id <= 0)
    return g_ptr_array_new_with_free_func (g_object_unref);
  if (!(db = _byline_store_lock_db (self->store, error)))
    return NULL;
  if ((stmt = prepare (self, db,
                       "SELECT " COMMENT_COLUMNS COMMENT_FROM
                       "WHERE c.account_id = ?1 AND c.parent_id = ?2 AND c.status != 'deleted' "
                       "ORDER BY c.date_unix, c.id LIMIT ?3",
                       _("Could not read the comments"), error)))
    {
      sqlite3_bind_int64 (stmt, 1, comment->account_id);
      sqlite3_bind_int64 (stmt, 2, comment->remote_id);
      sqlite3_bind_int64 (stmt, 3, limit);
      found = collect_comments (self, stmt, error);
    }
  _byline_store_unlock (self->store);
  return found;
}

GPtrArray *
byline_comment_store_list_posts (BylineCommentStore  *self,
                                 gint64               account_id,
                                 GError             **error)
{
  static const char sql[] =
    "SELECT c.post_id, COALESCE (p.title, ''), COALESCE (p.link, ''), count (*) AS n "
    "FROM comments c LEFT JOIN comment_posts p "
    "ON p.account_id = c.account_id AND p.post_id = c.post_id "
    "WHERE c.account_id = ?1 AND c.status != 'deleted' GROUP BY c.post_id ORDER BY n DESC, c.post_id";
  g_autoptr(GPtrArray) posts = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_comment_post_free);
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc = SQLITE_ERROR;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);

  if (!(db = _byline_store_lock_db (self->store, error)))
    return NULL;
  if ((stmt = prepare (self, db, sql, _("Could not read the comments"), error)))
    {
      sqlite3_bind_int64 (stmt, 1, account_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          BylineCommentPost *post = g_new0 (BylineCommentPost, 1);

          post->post_id = sqlite3_column_int64 (stmt, 0);
          post->title = column_dup (stmt, 1);
          post->link = column_dup (stmt, 2);
          post->n_comments = sqlite3_column_int (stmt, 3);
          g_ptr_array_add (posts, post);
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE)
        _byline_store_set_error (self->store, rc, _("Could not read the comments"), error);
    }
  _byline_store_unlock (self->store);
  return rc == SQLITE_DONE ? g_steal_pointer (&posts) : NULL;
}

char *
byline_comment_store_dup_newest_date (BylineCommentStore  *self,
                                      gint64               account_id,
                                      GError             **error)
{
  sqlite3_stmt *stmt;
  sqlite3 *db;
  char *newest = NULL;
  int rc;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);

  if (!(db = _byline_store_lock_db (self->store, error)))
    return NULL;
  if ((stmt = prepare (self, db,
                       "SELECT date_gmt FROM comments WHERE account_id = ?1 AND remote_id > 0 "
                       "ORDER BY date_unix DESC LIMIT 1",
                       _("Could not read the comments"), error)))
    {
      sqlite3_bind_int64 (stmt, 1, account_id);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        newest = column_dup (stmt, 0);
      else if (rc != SQLITE_DONE)
        _byline_store_set_error (self->store, rc, _("Could not read the comments"), error);
      sqlite3_finalize (stmt);
    }
  _byline_store_unlock (self->store);
  return newest;
}
