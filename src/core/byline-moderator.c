/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-moderator.c: moderation decisions, replies and edits, through the moderation outbox.
 *
 * A decision changes the comment's status in the store at once (that is what the views show)
 * and writes an entry to comment_actions in the same transaction; the network only confirms.
 * WordPress has no batch for comments, so entries are sent one request each, a few at a time,
 * but never two for the same comment at once: each comment's changes reach the site in the
 * order they were made. A decision that cancels one still waiting (approve, then undo) changes
 * or removes the waiting entry instead of adding one, so it costs no request.
 *
 * What makes retries safe: a status change or an edit sets a value, so sending it twice is
 * harmless; a permanent delete that finds nothing (404) is done; a reply sent twice is refused
 * by WordPress as a duplicate (409), and the reply it already created is then looked up. */

#define G_LOG_DOMAIN "byline-moderator"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-comment-html.h"
#include "byline-comment-private.h"
#include "byline-moderator.h"
#include "byline-store-private.h"
#include "byline-wp-client.h"

#define BACKOFF_FIRST_SECONDS 5
#define BACKOFF_MAX_SECONDS   (15 * 60)
#define UNDO_LEVELS           100

/* Stored in comment_actions.state: never renumber. */
enum {
  ACTION_PENDING = 0,
  ACTION_FAILED  = 2,
};

/* What one comment was before a decision, to undo it. */
typedef struct {
  gint64 id;
  gint64 account_id;
  char   status[16];
  char   restore_status[16];
} UndoItem;

struct _BylineModerator
{
  GObject             parent_instance;

  BylineCommentStore *comments;
  BylineStore        *store;
  BylineAccounts     *accounts;
  guint               timeout;
  guint               max_in_flight;
  GQueue              undo;              /* GArray of UndoItem per step, newest first */
  GHashTable         *in_flight;         /* comment id -> action id, while a request is out */
  GHashTable         *clients;           /* account id -> BylineWpClient */
  GTask              *run;               /* the process_async in progress, or NULL */
};

G_DEFINE_FINAL_TYPE (BylineModerator, byline_moderator, G_TYPE_OBJECT)
G_DEFINE_QUARK (byline-moderator-error-quark, byline_moderator_error)

enum { ACTION_FAILED_SIGNAL, COMMENT_GONE, N_SIGNALS };
static guint signals[N_SIGNALS];

static gint64 *
int64_key (gint64 value)
{
  return g_memdup2 (&value, sizeof value);
}

static void
byline_moderator_dispose (GObject *object)
{
  BylineModerator *self = BYLINE_MODERATOR (object);

  g_queue_clear_full (&self->undo, (GDestroyNotify) g_array_unref);
  g_clear_pointer (&self->in_flight, g_hash_table_unref);
  g_clear_pointer (&self->clients, g_hash_table_unref);
  g_clear_object (&self->comments);
  g_clear_object (&self->store);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (byline_moderator_parent_class)->dispose (object);
}

static void
byline_moderator_class_init (BylineModeratorClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = byline_moderator_dispose;

  /**
   * BylineModerator::action-failed:
   * @comment_id: the comment, now shown as the site has it
   * @message: why, for a person
   */
  signals[ACTION_FAILED_SIGNAL] = g_signal_new ("action-failed", G_TYPE_FROM_CLASS (klass),
                                                G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                                G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
  /**
   * BylineModerator::comment-gone:
   * @comment_id: the comment, no longer in the store
   * @message: what happened, for a person
   */
  signals[COMMENT_GONE] = g_signal_new ("comment-gone", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_STRING);
}

static void
byline_moderator_init (BylineModerator *self)
{
  self->max_in_flight = BYLINE_MODERATOR_DEFAULT_IN_FLIGHT;
  self->in_flight = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->clients = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  g_queue_init (&self->undo);
}

BylineModerator *
byline_moderator_new (BylineCommentStore *comments,
                      BylineAccounts     *accounts)
{
  BylineModerator *self;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (comments), NULL);
  g_return_val_if_fail (BYLINE_IS_ACCOUNTS (accounts), NULL);

  self = g_object_new (BYLINE_TYPE_MODERATOR, NULL);
  self->comments = g_object_ref (comments);
  self->store = g_object_ref (byline_comment_store_get_store (comments));
  self->accounts = g_object_ref (accounts);
  return self;
}

void
byline_moderator_set_timeout (BylineModerator *self,
                              guint            seconds)
{
  g_return_if_fail (BYLINE_IS_MODERATOR (self));
  self->timeout = seconds;
  g_hash_table_remove_all (self->clients);
}

void
byline_moderator_set_in_flight (BylineModerator *self,
                                guint            requests)
{
  g_return_if_fail (BYLINE_IS_MODERATOR (self));
  self->max_in_flight = MAX (requests, 1);
}

/* ---- SQL helpers; every one runs with the store locked ---- */

static sqlite3_stmt *
prepare (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      return NULL;
    }
  return stmt;
}

/* Runs @sql with ?1..?4 bound to @a, @b (numbers) and @s, @t (texts); an SQLite result code. */
static int
run_sql (sqlite3    *db,
         const char *sql,
         gint64      a,
         gint64      b,
         const char *s,
         const char *t)
{
  sqlite3_stmt *stmt = prepare (db, sql);
  int rc;

  if (stmt == NULL)
    return sqlite3_errcode (db);
  sqlite3_bind_int64 (stmt, 1, a);
  sqlite3_bind_int64 (stmt, 2, b);
  sqlite3_bind_text (stmt, 3, s, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, t, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE || rc == SQLITE_ROW ? SQLITE_OK : rc;
}

static gboolean
has_pending (sqlite3 *db,
             gint64   comment_id,
             gint64   except_action_id)
{
  sqlite3_stmt *stmt = prepare (db, "SELECT 1 FROM comment_actions WHERE comment_id = ?1 "
                                    "AND state = 0 AND id != ?2");
  gboolean found;

  if (stmt == NULL)
    return TRUE;
  sqlite3_bind_int64 (stmt, 1, comment_id);
  sqlite3_bind_int64 (stmt, 2, except_action_id);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

/* Adds @id to the ids that changed for its account. */
static void
note_changed (GHashTable *changed,
              gint64      account_id,
              gint64      id)
{
  GArray *ids = g_hash_table_lookup (changed, &account_id);

  if (ids == NULL)
    {
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (changed, int64_key (account_id), ids);
    }
  g_array_append_val (ids, id);
}

static GHashTable *
changed_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                (GDestroyNotify) g_array_unref);
}

static void
emit_changed (BylineModerator *self,
              GHashTable      *changed)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, changed);
  while (g_hash_table_iter_next (&iter, &key, &value))
    byline_comment_store_emit_changed (self->comments, *(gint64 *) key, value);
}

/* What a change of the shown status sends: the action, its value. */
typedef struct {
  const char *status;       /* shown at once */
  const char *action;       /* "status" or "delete" */
  const char *value;        /* the status asked for, "untrash"/"unspam", or "" */
} Wanted;

/* Sets comment @id to @wanted in the store and queues what the site must be told. @undo
 * (nullable) gets what it was. Returns FALSE only on a database error; a comment that is
 * already so, or gone, is left alone (and not added to @undo or @changed). */
static gboolean
set_status_locked (BylineModerator *self,
                   sqlite3         *db,
                   gint64           id,
                   const Wanted    *wanted,
                   const char      *restore_status,
                   GArray          *undo,
                   GHashTable      *changed)
{
  sqlite3_stmt *stmt;
  UndoItem item = { id };
  g_autofree char *status = NULL, *remote_status = NULL, *old_restore = NULL;
  gint64 last_action = 0;
  gboolean last_sent = FALSE;
  g_autofree char *last_kind = NULL;
  gint64 *out = g_hash_table_lookup (self->in_flight, &id);
  gboolean sending_now = out != NULL;
  gint64 out_action = out ? *out : 0;
  int rc;

  if (!(stmt = prepare (db, "SELECT account_id, status, remote_status, restore_status "
                            "FROM comments WHERE id = ?1")))
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    {
      item.account_id = sqlite3_column_int64 (stmt, 0);
      status = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      remote_status = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      old_restore = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
    }
  sqlite3_finalize (stmt);
  if (rc == SQLITE_DONE || g_strcmp0 (status, wanted->status) == 0)
    return TRUE;
  if (rc != SQLITE_ROW)
    return FALSE;

  if ((stmt = prepare (db, "SELECT id, action, sent FROM comment_actions WHERE comment_id = ?1 "
                           "AND state = 0 ORDER BY id DESC LIMIT 1")))
    {
      sqlite3_bind_int64 (stmt, 1, id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        {
          last_action = sqlite3_column_int64 (stmt, 0);
          last_kind = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
          last_sent = sqlite3_column_int (stmt, 2) != 0;
        }
      sqlite3_finalize (stmt);
    }

  /* The waiting entry can take the new decision when it is a decision and not out already
   * (an entry queued behind the one out can). */
  if (last_action != 0 && !(sending_now && out_action == last_action) &&
      (g_str_equal (last_kind, "status") || g_str_equal (last_kind, "delete")))
    {
      /* Dropped only when it never left: an entry sent once may have been applied even if
       * its answer was lost, so it is sent again with the new value instead. */
      gboolean back_to_site = g_str_equal (wanted->action, "status") &&
                              g_strcmp0 (wanted->value, remote_status) == 0 &&
                              !last_sent && !has_pending (db, id, last_action);

      rc = back_to_site
        ? run_sql (db, "DELETE FROM comment_actions WHERE id = ?1", last_action, 0, NULL, NULL)
        : run_sql (db, "UPDATE comment_actions SET action = ?3, value = ?4, "
                       "next_attempt_at = 0 WHERE id = ?1",
                   last_action, 0, wanted->action, wanted->value);
    }
  else if (last_action == 0 && !sending_now && g_str_equal (wanted->action, "status") &&
           g_strcmp0 (wanted->value, remote_status) == 0)
    rc = SQLITE_OK;   /* the site already has it so: nothing to send */
  else
    rc = run_sql (db, "INSERT INTO comment_actions (account_id, comment_id, action, value, "
                      "created_at) VALUES (?1, ?2, ?3, ?4, strftime ('%s', 'now'))",
                  item.account_id, id, wanted->action, wanted->value);
  if (rc == SQLITE_OK)
    rc = run_sql (db, "UPDATE comments SET status = ?3, restore_status = ?4 WHERE id = ?1",
                  id, 0, wanted->status, restore_status ? restore_status : old_restore);
  if (rc == SQLITE_OK)
    rc = run_sql (db, "DELETE FROM comment_actions WHERE comment_id = ?1 AND state = 2",
                  id, 0, NULL, NULL);
  if (rc != SQLITE_OK)
    return FALSE;

  g_strlcpy (item.status, status, sizeof item.status);
  g_strlcpy (item.restore_status, old_restore, sizeof item.restore_status);
  if (undo != NULL)
    g_array_append_val (undo, item);
  note_changed (changed, item.account_id, id);
  return TRUE;
}

static gboolean
is_spam_or_trash (const char *status)
{
  return g_strcmp0 (status, BYLINE_COMMENT_STATUS_SPAM) == 0 ||
         g_strcmp0 (status, BYLINE_COMMENT_STATUS_TRASH) == 0;
}

static char *
dup_column_text (sqlite3    *db,
                 const char *sql,
                 gint64      id)
{
  sqlite3_stmt *stmt = prepare (db, sql);
  char *text = NULL;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return text;
}

/* Turns @decision on comment @id into the status to show and what to send; FALSE when it does
 * not apply to the comment (delete or restore of a comment that is not spam or trash). */
static gboolean
decision_wanted (sqlite3        *db,
                 gint64          id,
                 BylineDecision  decision,
                 Wanted         *wanted,
                 char          **restore_status)
{
  g_autofree char *status = dup_column_text (db, "SELECT status FROM comments WHERE id = ?1", id);
  g_autofree char *restore = NULL;

  if (status == NULL)
    return FALSE;
  *restore_status = NULL;
  *wanted = (Wanted) { NULL, "status", NULL };

  switch (decision)
    {
    case BYLINE_DECISION_APPROVE:
      wanted->status = BYLINE_COMMENT_STATUS_APPROVED;
      break;
    case BYLINE_DECISION_UNAPPROVE:
      wanted->status = BYLINE_COMMENT_STATUS_HOLD;
      break;
    case BYLINE_DECISION_SPAM:
      wanted->status = BYLINE_COMMENT_STATUS_SPAM;
      break;
    case BYLINE_DECISION_TRASH:
      wanted->status = BYLINE_COMMENT_STATUS_TRASH;
      break;
    case BYLINE_DECISION_DELETE:
      if (!is_spam_or_trash (status))
        return FALSE;
      *wanted = (Wanted) { BYLINE_COMMENT_STATUS_DELETED, "delete", "" };
      return TRUE;
    case BYLINE_DECISION_RESTORE:
      if (!is_spam_or_trash (status))
        return FALSE;
      restore = dup_column_text (db, "SELECT restore_status FROM comments WHERE id = ?1", id);
      if (restore != NULL && restore[0] != '\0')
        {
          wanted->status = g_intern_string (restore);
          wanted->value = wanted->status;
          return TRUE;
        }
      /* Where it was is not known (it was spam or trash before the first sync): WordPress
       * knows, so ask it to restore, and show it as pending until it answers. */
      wanted->status = BYLINE_COMMENT_STATUS_HOLD;
      wanted->value = g_str_equal (status, BYLINE_COMMENT_STATUS_SPAM) ? "unspam" : "untrash";
      return TRUE;
    default:
      g_return_val_if_reached (FALSE);
    }
  wanted->value = wanted->status;
  /* Going into spam or trash remembers where it came from, for restore. */
  if (is_spam_or_trash (wanted->status) && !is_spam_or_trash (status))
    *restore_status = g_steal_pointer (&status);
  return TRUE;
}

static void pump (BylineModerator *self);

/* Takes the store's lock and starts a transaction; commit () ends both. */
static gboolean
begin (BylineModerator  *self,
       sqlite3         **db,
       GError          **error)
{
  int rc;

  if (!(*db = _byline_store_lock (self->store, error)))
    return FALSE;
  if ((rc = sqlite3_exec (*db, "BEGIN IMMEDIATE", NULL, NULL, NULL)) != SQLITE_OK)
    {
      _byline_store_set_error (self->store, rc, _("Could not keep the decision"), error);
      _byline_store_unlock (self->store);
      return FALSE;
    }
  return TRUE;
}

static gboolean
commit (BylineModerator  *self,
        sqlite3          *db,
        gboolean          ok,
        GError          **error)
{
  int rc = ok ? sqlite3_exec (db, "COMMIT", NULL, NULL, NULL) : sqlite3_errcode (db);

  if (!ok || rc != SQLITE_OK)
    {
      _byline_store_set_error (self->store, rc ? rc : SQLITE_ERROR,
                               _("Could not keep the decision"), error);
      sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
    }
  _byline_store_unlock (self->store);
  return ok && rc == SQLITE_OK;
}

gboolean
byline_moderator_decide (BylineModerator  *self,
                         const gint64     *ids,
                         guint             n_ids,
                         BylineDecision    decision,
                         GError          **error)
{
  g_autoptr(GArray) undo = g_array_new (FALSE, FALSE, sizeof (UndoItem));
  g_autoptr(GHashTable) changed = changed_new ();
  gboolean ok = TRUE;
  sqlite3 *db;

  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), FALSE);

  if (!begin (self, &db, error))
    return FALSE;
  for (guint i = 0; ok && i < n_ids; i++)
    {
      g_autofree char *restore_status = NULL;
      Wanted wanted;

      if (decision_wanted (db, ids[i], decision, &wanted, &restore_status))
        ok = set_status_locked (self, db, ids[i], &wanted, restore_status, undo, changed);
    }
  if (!commit (self, db, ok, error))
    return FALSE;

  if (undo->len > 0)
    {
      g_queue_push_head (&self->undo, g_steal_pointer (&undo));
      while (g_queue_get_length (&self->undo) > UNDO_LEVELS)
        g_array_unref (g_queue_pop_tail (&self->undo));
    }
  emit_changed (self, changed);
  pump (self);
  return TRUE;
}

gboolean
byline_moderator_can_undo (BylineModerator *self)
{
  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), FALSE);
  return !g_queue_is_empty (&self->undo);
}

gboolean
byline_moderator_undo (BylineModerator  *self,
                       GArray          **ids,
                       GError          **error)
{
  g_autoptr(GArray) step = NULL;
  g_autoptr(GHashTable) changed = changed_new ();
  g_autoptr(GArray) touched = g_array_new (FALSE, FALSE, sizeof (gint64));
  guint missing = 0;
  gboolean ok = TRUE;
  sqlite3 *db;

  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), FALSE);

  if (g_queue_is_empty (&self->undo))
    {
      g_set_error_literal (error, BYLINE_MODERATOR_ERROR, BYLINE_MODERATOR_ERROR_NOTHING_TO_UNDO,
                           _("There is nothing to undo."));
      return FALSE;
    }
  if (!begin (self, &db, error))
    return FALSE;
  step = g_queue_pop_head (&self->undo);
  for (guint i = 0; ok && i < step->len; i++)
    {
      UndoItem *item = &g_array_index (step, UndoItem, i);
      g_autofree char *status = dup_column_text (db, "SELECT status FROM comments WHERE id = ?1",
                                                 item->id);
      Wanted wanted = { g_intern_string (item->status), "status", g_intern_string (item->status) };

      if (status == NULL)
        {
          missing++;
          continue;
        }
      ok = set_status_locked (self, db, item->id, &wanted, item->restore_status, NULL, changed);
      g_array_append_val (touched, item->id);
    }
  if (!commit (self, db, ok, error))
    {
      g_queue_push_head (&self->undo, g_steal_pointer (&step));
      return FALSE;
    }
  emit_changed (self, changed);
  pump (self);

  if (ids != NULL)
    *ids = g_steal_pointer (&touched);
  if (missing > 0)
    {
      g_set_error (error, BYLINE_MODERATOR_ERROR, BYLINE_MODERATOR_ERROR_ALREADY_DELETED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u comment was already deleted for good on the site and cannot "
                                "come back.",
                                "%u comments were already deleted for good on the site and "
                                "cannot come back.", missing), missing);
      return FALSE;
    }
  return TRUE;
}

gint64
byline_moderator_reply (BylineModerator  *self,
                        gint64            parent_id,
                        const char       *text,
                        const char       *author_name,
                        GError          **error)
{
  g_autoptr(BylineComment) parent = NULL;
  g_autoptr(GHashTable) changed = changed_new ();
  g_autofree char *trimmed = NULL, *escaped = NULL, *html = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date_gmt = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  gint64 reply_id = 0;
  gboolean ok;
  sqlite3 *db;

  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), 0);
  g_return_val_if_fail (text != NULL, 0);

  trimmed = g_strstrip (g_strdup (text));
  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, BYLINE_MODERATOR_ERROR, BYLINE_MODERATOR_ERROR_INVALID,
                           _("The reply is empty."));
      return 0;
    }
  if (!(parent = byline_comment_store_load (self->comments, parent_id, error)))
    return 0;
  if (parent->remote_id <= 0)
    {
      g_set_error_literal (error, BYLINE_MODERATOR_ERROR, BYLINE_MODERATOR_ERROR_INVALID,
                           _("This comment is not on the site yet: reply once it has been sent."));
      return 0;
    }
  /* Shown at once as the site will show it; the site's own rendering replaces it when sent. */
  escaped = g_markup_escape_text (trimmed, -1);
  html = g_strdup_printf ("<p>%s</p>", escaped);

  if (!begin (self, &db, error))
    return 0;
  ok = run_sql (db, "INSERT INTO comments (account_id, post_id, parent_id, author_name, date_gmt, "
                    "date_unix, content, raw, text, status, remote_status) "
                    "SELECT account_id, post_id, remote_id, ?3, ?4, strftime ('%s', 'now'), "
                    "'', '', '', 'approved', '' FROM comments WHERE id = ?1",
                parent_id, 0, author_name ? author_name : "", date_gmt) == SQLITE_OK;
  if (ok)
    {
      reply_id = sqlite3_last_insert_rowid (db);
      ok = run_sql (db, "UPDATE comments SET content = ?3, raw = ?4, text = ?4 WHERE id = ?1",
                    reply_id, 0, html, trimmed) == SQLITE_OK &&
           run_sql (db, "INSERT INTO comment_actions (account_id, comment_id, action, value, "
                        "created_at) VALUES (?2, ?1, 'reply', ?3, strftime ('%s', 'now'))",
                    reply_id, parent->account_id, trimmed, NULL) == SQLITE_OK;
    }
  if (!commit (self, db, ok, error))
    return 0;

  note_changed (changed, parent->account_id, reply_id);
  emit_changed (self, changed);
  pump (self);
  return reply_id;
}

gboolean
byline_moderator_edit (BylineModerator  *self,
                       gint64            id,
                       const char       *text,
                       GError          **error)
{
  g_autofree char *trimmed = NULL;
  g_autoptr(BylineComment) comment = NULL;
  g_autoptr(GHashTable) changed = changed_new ();
  gboolean ok;
  sqlite3 *db;

  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (text));
  if (trimmed[0] == '\0')
    {
      g_set_error_literal (error, BYLINE_MODERATOR_ERROR, BYLINE_MODERATOR_ERROR_INVALID,
                           _("A comment cannot be empty: trash it instead."));
      return FALSE;
    }
  if (!(comment = byline_comment_store_load (self->comments, id, error)))
    return FALSE;
  if (comment->remote_id <= 0)
    {
      g_set_error_literal (error, BYLINE_MODERATOR_ERROR, BYLINE_MODERATOR_ERROR_INVALID,
                           _("This reply is not on the site yet: edit it once it has been sent."));
      return FALSE;
    }
  if (!begin (self, &db, error))
    return FALSE;
  /* The raw text is what is edited; the shown HTML waits for the site's rendering, but the
   * text (snippets, search) follows at once. */
  ok = run_sql (db, "UPDATE comments SET raw = ?3, text = ?3 WHERE id = ?1",
                id, 0, text, NULL) == SQLITE_OK &&
       run_sql (db, "INSERT INTO comment_actions (account_id, comment_id, action, value, "
                    "created_at) VALUES (?2, ?1, 'edit', ?3, strftime ('%s', 'now'))",
                id, comment->account_id, text, NULL) == SQLITE_OK;
  if (!commit (self, db, ok, error))
    return FALSE;

  note_changed (changed, comment->account_id, id);
  emit_changed (self, changed);
  pump (self);
  return TRUE;
}

guint
byline_moderator_count_waiting (BylineModerator *self,
                                gint64           account_id)
{
  sqlite3_stmt *stmt;
  sqlite3 *db;
  guint n = 0;

  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), 0);

  if (!(db = _byline_store_lock (self->store, NULL)))
    return 0;
  if ((stmt = prepare (db, "SELECT count (*) FROM comment_actions WHERE state = 0 "
                           "AND (?1 = 0 OR account_id = ?1)")))
    {
      sqlite3_bind_int64 (stmt, 1, account_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int (stmt, 0);
      sqlite3_finalize (stmt);
    }
  _byline_store_unlock (self->store);
  return n;
}

void
byline_moderator_retry_now (BylineModerator *self,
                            gint64           account_id)
{
  sqlite3 *db;

  g_return_if_fail (BYLINE_IS_MODERATOR (self));

  if (!(db = _byline_store_lock (self->store, NULL)))
    return;
  run_sql (db, "UPDATE comment_actions SET next_attempt_at = 0 WHERE state = 0 "
               "AND (?1 = 0 OR account_id = ?1)", account_id, 0, NULL, NULL);
  _byline_store_unlock (self->store);
}

/* ---- Sending ---- */

typedef struct {
  GHashTable *blocked;    /* account ids not to send to again in this run */
  GError     *error;      /* the first failure that stopped an account */
  guint       n_out;      /* requests (and password look-ups) in flight */
} Run;

static void
run_free (Run *run)
{
  g_hash_table_unref (run->blocked);
  g_clear_error (&run->error);
  g_free (run);
}

/* One entry being sent. */
typedef struct {
  BylineModerator *self;
  gint64           action_id;
  gint64           account_id;
  gint64           comment_id;
  gint64           remote_id;
  gint64           post_id;
  gint64           parent_id;
  char            *action;
  char            *value;
  guint            attempts;
  BylineWpClient  *client;
} Send;

static void
send_free (Send *send)
{
  g_clear_object (&send->client);
  g_free (send->action);
  g_free (send->value);
  g_free (send);
}

static void
send_done (Send *send)
{
  BylineModerator *self = send->self;
  Run *run = self->run ? g_task_get_task_data (self->run) : NULL;

  g_hash_table_remove (self->in_flight, &send->comment_id);
  send_free (send);
  if (run != NULL)
    run->n_out--;
  pump (self);
}

/* Takes the next due entries that may go now (not behind another entry of the same comment,
 * not for a comment with a request out, not for a stopped account). */
static GPtrArray *
next_due (BylineModerator *self,
          Run             *run,
          guint            wanted)
{
  static const char sql[] =
    "SELECT a.id, a.account_id, a.comment_id, a.action, a.value, a.attempts, c.remote_id, "
    "       c.post_id, c.parent_id "
    "FROM comment_actions a JOIN comments c ON c.id = a.comment_id "
    "WHERE a.state = 0 AND a.next_attempt_at <= ?1 AND NOT EXISTS ("
    "  SELECT 1 FROM comment_actions b WHERE b.comment_id = a.comment_id AND b.state = 0 "
    "  AND b.id < a.id) "
    /* A site that failed (down, 5xx, 429 with Retry-After) gets nothing until its backoff
     * ends, not just the entry that failed. */
    "AND NOT EXISTS (SELECT 1 FROM comment_actions w WHERE w.account_id = a.account_id "
    "  AND w.state = 0 AND w.next_attempt_at > ?1) ";
  g_autoptr(GPtrArray) due = g_ptr_array_new ();
  g_autoptr(GString) query = g_string_new (sql);
  GHashTableIter iter;
  gpointer blocked;
  sqlite3_stmt *stmt;
  sqlite3 *db;

  /* Accounts stopped in this run (a refused password) are left out here, not after the
   * LIMIT: their entries must not crowd out another site's. */
  g_hash_table_iter_init (&iter, run->blocked);
  while (g_hash_table_iter_next (&iter, &blocked, NULL))
    g_string_append_printf (query, "AND a.account_id != %lld ", (long long) *(gint64 *) blocked);
  g_string_append (query, "ORDER BY a.id LIMIT ?2");

  if (!(db = _byline_store_lock (self->store, NULL)))
    return g_steal_pointer (&due);
  if ((stmt = prepare (db, query->str)))
    {
      sqlite3_bind_int64 (stmt, 1, g_get_real_time () / G_USEC_PER_SEC);
      sqlite3_bind_int64 (stmt, 2, wanted + g_hash_table_size (self->in_flight) + 16);
      while (due->len < wanted && sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 account_id = sqlite3_column_int64 (stmt, 1);
          gint64 comment_id = sqlite3_column_int64 (stmt, 2);
          Send *send;

          if (g_hash_table_contains (self->in_flight, &comment_id) ||
              g_hash_table_contains (run->blocked, &account_id))
            continue;
          send = g_new0 (Send, 1);
          send->self = self;
          send->action_id = sqlite3_column_int64 (stmt, 0);
          send->account_id = account_id;
          send->comment_id = comment_id;
          send->action = g_strdup ((const char *) sqlite3_column_text (stmt, 3));
          send->value = g_strdup ((const char *) sqlite3_column_text (stmt, 4));
          send->attempts = sqlite3_column_int (stmt, 5);
          send->remote_id = sqlite3_column_int64 (stmt, 6);
          send->post_id = sqlite3_column_int64 (stmt, 7);
          send->parent_id = sqlite3_column_int64 (stmt, 8);
          g_hash_table_insert (self->in_flight, int64_key (comment_id), int64_key (send->action_id));
          g_ptr_array_add (due, send);
        }
      sqlite3_finalize (stmt);
    }
  /* From now on the site may apply it even if its answer is lost: undo must send, not drop.
   * (sent: 1 while out, 2 once an attempt may have been applied; see postpone.) */
  for (guint i = 0; i < due->len; i++)
    run_sql (db, "UPDATE comment_actions SET sent = sent | 1 WHERE id = ?1",
             ((Send *) g_ptr_array_index (due, i))->action_id, 0, NULL, NULL);
  _byline_store_unlock (self->store);
  return g_steal_pointer (&due);
}

/* The site confirmed @send with @comment (NULL for a permanent delete). */
static void
confirmed (Send          *send,
           BylineComment *comment)
{
  BylineModerator *self = send->self;
  g_autoptr(GHashTable) changed = changed_new ();
  g_autoptr(GError) error = NULL;
  gboolean undo_too_late = FALSE;
  gboolean ok = TRUE;
  sqlite3 *db;

  if (!begin (self, &db, &error))
    {
      g_warning ("A confirmed decision could not be recorded: %s", error->message);
      return;
    }
  /* Deleted for good: whatever else waited for it (an undo that came too late) goes too. */
  if (comment == NULL)
    {
      undo_too_late = has_pending (db, send->comment_id, send->action_id);
      ok = run_sql (db, "DELETE FROM comment_actions WHERE comment_id = ?1", send->comment_id, 0,
                    NULL, NULL) == SQLITE_OK &&
           run_sql (db, "DELETE FROM comments WHERE id = ?1", send->comment_id, 0,
                    NULL, NULL) == SQLITE_OK;
    }
  else
    {
      /* Only the entry as it was sent: another process (byline-cli) may have changed it since,
       * and then it waits to be sent again. */
      ok = run_sql (db, "DELETE FROM comment_actions WHERE id = ?1 AND action = ?3 AND value = ?4",
                    send->action_id, 0, send->action, send->value) == SQLITE_OK;
    }
  if (ok && comment != NULL)
    {
      gboolean later = has_pending (db, send->comment_id, send->action_id);

      /* A reply gets its id on the site; a sync may have brought it in meanwhile. */
      if (g_str_equal (send->action, "reply"))
        ok = run_sql (db, "DELETE FROM comments WHERE account_id = ?1 AND remote_id = ?2 "
                          "AND remote_id > 0",
                      send->account_id, comment->remote_id, NULL, NULL) == SQLITE_OK &&
             run_sql (db, "UPDATE comments SET remote_id = ?2 WHERE id = ?1",
                      send->comment_id, comment->remote_id, NULL, NULL) == SQLITE_OK;
      if (ok && !g_str_equal (send->action, "status"))
        ok = run_sql (db, "UPDATE comments SET content = ?3, raw = ?4 WHERE id = ?1",
                      send->comment_id, 0, comment->content, comment->raw) == SQLITE_OK &&
             run_sql (db, "UPDATE comments SET text = ?3, link = ?4 WHERE id = ?1",
                      send->comment_id, 0, comment->text, comment->link) == SQLITE_OK;
      if (ok)
        ok = run_sql (db, later ? "UPDATE comments SET remote_status = ?3 WHERE id = ?1"
                                : "UPDATE comments SET remote_status = ?3, status = ?3 WHERE id = ?1",
                      send->comment_id, 0, comment->status, NULL) == SQLITE_OK;
    }
  if (!commit (self, db, ok, &error))
    {
      g_warning ("A confirmed decision could not be recorded: %s", error->message);
      return;
    }
  note_changed (changed, send->account_id, send->comment_id);
  emit_changed (self, changed);
  if (undo_too_late)
    g_signal_emit (self, signals[COMMENT_GONE], 0, send->comment_id,
                   _("The comment was already deleted for good on the site: it cannot come back."));
}

/* Marks the entry of @send failed, if it is still what was sent. */
static gboolean
mark_failed (sqlite3    *db,
             Send       *send,
             const char *message)
{
  sqlite3_stmt *stmt = prepare (db, "UPDATE comment_actions SET state = 2, last_error = ?2 "
                                    "WHERE id = ?1 AND action = ?3 AND value = ?4");
  int rc;

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, send->action_id);
  sqlite3_bind_text (stmt, 2, message, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, send->action, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, send->value, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  return rc == SQLITE_DONE;
}

/* The site refused @send: the comment goes back to what the site has, and the entry stays
 * as failed with @message, for the comment's detail and for the record. */
static void
refused (Send       *send,
         const char *message)
{
  BylineModerator *self = send->self;
  g_autoptr(GHashTable) changed = changed_new ();
  g_autoptr(GError) error = NULL;
  gboolean ok;
  sqlite3 *db;

  if (!begin (self, &db, &error))
    return;
  ok = mark_failed (db, send, message);
  /* Changed by another process since it was sent: the newer decision waits; nothing to undo. */
  if (ok && sqlite3_changes (db) == 0)
    {
      commit (self, db, TRUE, NULL);
      return;
    }
  /* A reply that was never created stays, with its text, until the person deals with it. */
  if (ok && !has_pending (db, send->comment_id, send->action_id) &&
      !g_str_equal (send->action, "reply"))
    ok = run_sql (db, "UPDATE comments SET status = remote_status WHERE id = ?1 "
                      "AND remote_status != ''", send->comment_id, 0, NULL, NULL) == SQLITE_OK;
  if (!commit (self, db, ok, &error))
    g_warning ("A refused decision could not be recorded: %s", error->message);

  note_changed (changed, send->account_id, send->comment_id);
  emit_changed (self, changed);
  g_signal_emit (self, signals[ACTION_FAILED_SIGNAL], 0, send->comment_id, message);
}

static void
gone (Send *send)
{
  BylineModerator *self = send->self;
  g_autoptr(GHashTable) changed = changed_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineComment) comment = byline_comment_store_load (self->comments, send->comment_id,
                                                                NULL);
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("The comment by %s was deleted on the site meanwhile."),
                             comment && comment->author_name[0] ? comment->author_name
                                                                : _("a reader"));
  if (!byline_comment_store_remove (self->comments, send->comment_id, &error))
    g_warning ("A comment gone from the site could not be forgotten: %s", error->message);
  note_changed (changed, send->account_id, send->comment_id);
  emit_changed (self, changed);
  g_signal_emit (self, signals[COMMENT_GONE], 0, send->comment_id, message);
}

/* Whether the site may have done it although the answer says otherwise: a timeout after
 * sending, an answer that could not be read, a server error (a plugin can fail after WordPress
 * saved). A refused connection, a 429 or a refused password mean it was not done. */
static gboolean
may_have_applied (const GError *cause)
{
  return byline_wp_error_may_have_applied (cause) ||
         g_error_matches (cause, BYLINE_WP_ERROR, BYLINE_WP_ERROR_SERVER) ||
         g_error_matches (cause, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE) ||
         g_error_matches (cause, BYLINE_WP_ERROR, BYLINE_WP_ERROR_TOO_LARGE);
}

/* A failure worth retrying: the entry waits (5 s, doubling, at most 15 min, or what the site
 * asked for) and nothing more goes to this account in this run, so its order is kept. */
static void
postpone (Send         *send,
          const GError *cause,
          guint         retry_after)
{
  BylineModerator *self = send->self;
  Run *run = g_task_get_task_data (self->run);
  guint delay = BACKOFF_FIRST_SECONDS << MIN (send->attempts, 10);
  gint64 next;
  sqlite3 *db;

  delay = MIN (delay, BACKOFF_MAX_SECONDS);
  if (retry_after > 0)
    delay = MIN (retry_after, BACKOFF_MAX_SECONDS);
  /* A refused password waits for the person, not for a clock: it is tried on the next run. */
  if (g_error_matches (cause, BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_CREDENTIALS))
    delay = 0;
  next = g_get_real_time () / G_USEC_PER_SEC + delay;

  if ((db = _byline_store_lock (self->store, NULL)))
    {
      run_sql (db, may_have_applied (cause)
                   ? "UPDATE comment_actions SET attempts = attempts + 1, next_attempt_at = ?2, "
                     "last_error = ?3, sent = 2 WHERE id = ?1"
                   : "UPDATE comment_actions SET attempts = attempts + 1, next_attempt_at = ?2, "
                     "last_error = ?3, sent = sent & 2 WHERE id = ?1",
               send->action_id, next, cause->message, NULL);
      _byline_store_unlock (self->store);
    }
  g_hash_table_add (run->blocked, int64_key (send->account_id));
  if (run->error == NULL)
    run->error = g_error_copy (cause);
}

static void send_request (Send *send);

static void
duplicate_lookup_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Send *send = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BylineWpResponseInfo) info = { 0 };
  /* WordPress may rewrite a reply's HTML (rel="nofollow ugc" on links, balanced tags): compare
   * what a reader reads. */
  g_autofree char *ours = byline_comment_html_to_text (send->value, strlen (send->value));

  node = byline_wp_client_request_finish (BYLINE_WP_CLIENT (object), result, &info, &error);
  if (node == NULL && byline_wp_error_is_retryable (error))
    postpone (send, error, info.retry_after);
  else if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *items = json_node_get_array (node);
      g_autoptr(BylineComment) found = NULL;

      for (guint i = 0; found == NULL && i < json_array_get_length (items); i++)
        {
          JsonNode *item = json_array_get_element (items, i);
          g_autoptr(BylineComment) candidate = NULL;
          g_autofree char *theirs = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (item) ||
              !(candidate = byline_comment_new_from_json (json_node_get_object (item))))
            continue;
          /* Ours was written by a signed-in user, never by a visitor. */
          if (candidate->author_user_id <= 0)
            continue;
          theirs = byline_comment_html_to_text (candidate->raw, strlen (candidate->raw));
          if (g_str_equal (theirs, ours))
            found = g_steal_pointer (&candidate);
        }
      if (found != NULL)
        confirmed (send, found);
      else
        refused (send, _("The site refused this reply as a duplicate of another comment."));
    }
  else
    refused (send, error ? error->message : _("The site's answer could not be read."));
  send_done (send);
}

/* WordPress refused a reply as a duplicate (409): after a timeout that is our own reply,
 * created by the first attempt. Look it up rather than report a failure. */
static void
find_duplicate_reply (Send *send)
{
  g_autoptr(GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *search = g_utf8_substring (send->value, 0,
                                              MIN (g_utf8_strlen (send->value, -1), 40));

  g_hash_table_insert (query, "post", g_strdup_printf ("%lld", (long long) send->post_id));
  g_hash_table_insert (query, "parent", g_strdup_printf ("%lld", (long long) send->parent_id));
  g_hash_table_insert (query, "status", g_strdup ("any"));
  g_hash_table_insert (query, "context", g_strdup ("edit"));
  g_hash_table_insert (query, "per_page", g_strdup ("100"));
  g_hash_table_insert (query, "search", g_strdup (g_strstrip (search)));
  byline_wp_client_request_async (send->client, "GET", "/wp/v2/comments", query, NULL, NULL,
                                  duplicate_lookup_cb, send);
}

/* Does the status the site answered mean it did what @send asked? */
static gboolean
status_applied (Send       *send,
                const char *status)
{
  if (g_str_equal (send->value, "untrash"))
    return !g_str_equal (status, BYLINE_COMMENT_STATUS_TRASH);
  if (g_str_equal (send->value, "unspam"))
    return !g_str_equal (status, BYLINE_COMMENT_STATUS_SPAM);
  return g_str_equal (status, send->value);
}

static const char *
status_label (const char *status)
{
  if (g_str_equal (status, BYLINE_COMMENT_STATUS_APPROVED))
    return _("approved");
  if (g_str_equal (status, BYLINE_COMMENT_STATUS_HOLD))
    return _("pending");
  if (g_str_equal (status, BYLINE_COMMENT_STATUS_SPAM))
    return _("spam");
  if (g_str_equal (status, BYLINE_COMMENT_STATUS_TRASH))
    return _("in the trash");
  return status;
}

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Send *send = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(BylineComment) comment = NULL;
  gboolean is_delete = g_str_equal (send->action, "delete");
  gboolean is_reply = g_str_equal (send->action, "reply");

  node = byline_wp_client_request_finish (BYLINE_WP_CLIENT (object), result, &info, &error);
  if (node != NULL && !is_delete)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        comment = byline_comment_new_from_json (json_node_get_object (node));
      if (comment == NULL)
        g_set_error_literal (&error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                             _("The site's answer was not a comment."));
    }

  if (error == NULL && is_delete)
    confirmed (send, NULL);
  else if (error == NULL && g_str_equal (send->action, "status") &&
           !status_applied (send, comment->status))
    {
      /* WordPress ignores a status it does not know and answers 200: read it back. */
      g_autofree char *message = g_strdup_printf (_("The site kept this comment %s."),
                                                  status_label (comment->status));
      refused (send, message);
    }
  else if (error == NULL)
    confirmed (send, comment);
  else if (g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_NOT_FOUND) && !is_reply)
    {
      if (is_delete)
        confirmed (send, NULL);
      else
        gone (send);
    }
  else if (g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_GONE) &&
           g_str_equal (send->value, BYLINE_COMMENT_STATUS_TRASH))
    {
      /* 410: it was in the trash already, which is what was asked. */
      g_autoptr(BylineComment) trashed = byline_comment_store_load (send->self->comments,
                                                                    send->comment_id, NULL);
      if (trashed != NULL)
        {
          g_free (trashed->status);
          trashed->status = g_strdup (BYLINE_COMMENT_STATUS_TRASH);
          confirmed (send, trashed);
        }
      else
        /* Gone from the store meanwhile (a sync): the entry is done, not left waiting. */
        confirmed (send, NULL);
    }
  else if (g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_CONFLICT) && is_reply)
    {
      find_duplicate_reply (send);
      return;
    }
  else if (byline_wp_error_is_retryable (error) ||
           g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE) ||
           g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_CREDENTIALS))
    /* An unreadable answer may hide a done change: every entry is safe to send again. */
    postpone (send, error, info.retry_after);
  else
    refused (send, error->message);

  send_done (send);
}

static void
send_request (Send *send)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autofree char *route = NULL;
  const char *method = "POST";

  json_builder_begin_object (builder);
  if (g_str_equal (send->action, "reply"))
    {
      route = g_strdup ("/wp/v2/comments");
      json_builder_set_member_name (builder, "post");
      json_builder_add_int_value (builder, send->post_id);
      json_builder_set_member_name (builder, "parent");
      json_builder_add_int_value (builder, send->parent_id);
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, send->value);
    }
  else
    {
      route = g_strdup_printf ("/wp/v2/comments/%lld", (long long) send->remote_id);
      if (g_str_equal (send->action, "delete"))
        {
          method = "DELETE";
          query = g_hash_table_new (g_str_hash, g_str_equal);
          g_hash_table_insert (query, "force", "true");
        }
      else
        {
          json_builder_set_member_name (builder, g_str_equal (send->action, "edit") ? "content"
                                                                                     : "status");
          json_builder_add_string_value (builder, send->value);
        }
    }
  json_builder_end_object (builder);
  if (query == NULL)
    body = json_builder_get_root (builder);

  byline_wp_client_request_async (send->client, method, route, query, body, NULL,
                                  request_cb, send);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Send *send = user_data;
  BylineModerator *self = send->self;
  g_autoptr(GError) error = NULL;
  BylineWpClient *client;

  client = byline_accounts_connect_finish (BYLINE_ACCOUNTS (object), result, &error);
  if (client == NULL)
    {
      g_autoptr(GError) wrapped = g_error_new_literal (BYLINE_WP_ERROR,
                                                       BYLINE_WP_ERROR_BAD_CREDENTIALS,
                                                       error->message);
      postpone (send, wrapped, 0);
      send_done (send);
      return;
    }
  if (self->timeout > 0)
    byline_wp_client_set_timeout (client, self->timeout);
  g_hash_table_replace (self->clients, int64_key (send->account_id), g_object_ref (client));
  send->client = client;
  send_request (send);
}

static void
start (Send *send)
{
  BylineModerator *self = send->self;
  BylineWpClient *client = g_hash_table_lookup (self->clients, &send->account_id);

  if (client != NULL)
    {
      send->client = g_object_ref (client);
      send_request (send);
      return;
    }
  byline_accounts_connect_async (self->accounts, send->account_id, NULL, connect_cb, send);
}

static void
pump (BylineModerator *self)
{
  Run *run;
  g_autoptr(GPtrArray) due = NULL;

  if (self->run == NULL)
    return;
  run = g_task_get_task_data (self->run);

  if (!g_cancellable_is_cancelled (g_task_get_cancellable (self->run)) &&
      run->n_out < self->max_in_flight)
    {
      due = next_due (self, run, self->max_in_flight - run->n_out);
      run->n_out += due->len;
      for (guint i = 0; i < due->len; i++)
        start (g_ptr_array_index (due, i));
    }

  if (run->n_out == 0 && self->run != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->run);

      if (g_task_return_error_if_cancelled (task))
        return;
      if (run->error != NULL)
        g_task_return_error (task, g_steal_pointer (&run->error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

void
byline_moderator_process_async (BylineModerator     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Run *run;

  g_return_if_fail (BYLINE_IS_MODERATOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_moderator_process_async);
  if (self->run != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The comments are already being sent."));
      return;
    }
  run = g_new0 (Run, 1);
  run->blocked = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  self->run = g_steal_pointer (&task);
  pump (self);
}

gboolean
byline_moderator_process_finish (BylineModerator  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
byline_moderator_is_processing (BylineModerator *self)
{
  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), FALSE);
  return self->run != NULL;
}
