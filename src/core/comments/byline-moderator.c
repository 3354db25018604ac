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
 * by WordPress as a duplicate (409), and the reply it already created is then looked up.
 *
 * This file holds the object, its closing, replies and edits; decisions and their undo are
 * written in byline-moderator-decisions.c, and the outbox is sent by
 * byline-moderator-sending.c. */

#define G_LOG_DOMAIN "byline-moderator"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-comment-private.h"
#include "byline-moderator-private.h"
#include "byline-store-comment-actions-table.h"
#include "byline-store-comments-table.h"
#include "byline-store-moderation-log-table.h"

G_DEFINE_FINAL_TYPE (BylineModerator, byline_moderator, G_TYPE_OBJECT)
G_DEFINE_QUARK (byline-moderator-error-quark, byline_moderator_error)

enum { ACTION_FAILED_SIGNAL, COMMENT_GONE, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
byline_moderator_dispose (GObject *object)
{
  BylineModerator *self = BYLINE_MODERATOR (object);

  /* A job waiting or a run holds a reference (its task): only a forced dispose meets one. */
  self->closed = TRUE;
  g_cancellable_cancel (self->closing);
  _byline_moderator_abandon_jobs (self);
  if (self->run != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->run);

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                               _("The comments are no longer being sent."));
    }
  g_queue_clear_full (&self->undo, (GDestroyNotify) g_array_unref);
  g_clear_pointer (&self->in_flight, g_hash_table_unref);
  g_clear_object (&self->comments);
  g_clear_object (&self->store);
  g_clear_object (&self->accounts);
  g_clear_object (&self->closing);

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
  g_queue_init (&self->undo);
  g_queue_init (&self->jobs);
  self->closing = g_cancellable_new ();
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
}

void
byline_moderator_set_in_flight (BylineModerator *self,
                                guint            requests)
{
  g_return_if_fail (BYLINE_IS_MODERATOR (self));
  self->max_in_flight = MAX (requests, 1);
}

gboolean
_byline_moderator_check_open (BylineModerator  *self,
                              GError          **error)
{
  if (!self->closed)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("Byline is closing."));
  return FALSE;
}

BylineSqliteConnection *
_byline_moderator_begin_transaction (BylineModerator  *self,
                                     GError          **error)
{
  BylineSqliteConnection *conn = _byline_store_lock (self->store, error);

  if (conn != NULL && !byline_sqlite_connection_begin (conn, error))
    {
      _byline_store_unlock (self->store);
      return NULL;
    }
  return conn;
}

gboolean
_byline_moderator_end_transaction (BylineModerator         *self,
                                   BylineSqliteConnection  *conn,
                                   gboolean                 ok,
                                   GError                 **error)
{
  ok = ok && byline_sqlite_connection_commit (conn, error);
  if (!ok)
    byline_sqlite_connection_rollback (conn);
  _byline_store_unlock (self->store);
  return ok;
}

void
_byline_moderator_emit_action_failed (BylineModerator *self,
                                      gint64           comment_id,
                                      const char      *message)
{
  g_signal_emit (self, signals[ACTION_FAILED_SIGNAL], 0, comment_id, message);
}

void
_byline_moderator_emit_comment_gone (BylineModerator *self,
                                     gint64           comment_id,
                                     const char      *message)
{
  g_signal_emit (self, signals[COMMENT_GONE], 0, comment_id, message);
}

void
byline_moderator_close (BylineModerator *self)
{
  g_return_if_fail (BYLINE_IS_MODERATOR (self));

  if (self->closed)
    return;
  /* Decisions taken are all kept, also the end of one on thousands of comments. */
  _byline_moderator_write_all (self);
  self->closed = TRUE;
  /* Requests out are dropped, and no more start: their entries wait for the next start
   * (sending one again is safe, see the top of this file). */
  g_cancellable_cancel (self->closing);
  if (self->run != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->run);
      g_autoptr(GError) error = NULL;

      _byline_moderator_check_open (self, &error);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

gboolean
byline_moderator_is_closed (BylineModerator *self)
{
  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), TRUE);
  return self->closed;
}

/* Records @action (a reply or an edit) on comment @id in the trail, as the outbox entry just
 * added sends it (@sent_action, @sent_value): in the caller's transaction. */
static gboolean
record_locked (BylineSqliteConnection  *conn,
               gint64                   id,
               const char              *action,
               const char              *sent_action,
               const char              *sent_value,
               GError                 **error)
{
  gint64 outbox_id = byline_sqlite_connection_get_last_insert_id (conn);
  gint64 now = g_get_real_time ();
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (now / G_USEC_PER_SEC);
  gint utc_offset = local ? g_date_time_get_utc_offset (local) / G_TIME_SPAN_SECOND : 0;

  return byline_store_moderation_log_table_add (conn, id, now, utc_offset, action, "", "",
                                                outbox_id, sent_action, sent_value, 0, error);
}

gint64
byline_moderator_reply (BylineModerator  *self,
                        gint64            parent_id,
                        const char       *text,
                        const char       *author_name,
                        GError          **error)
{
  g_autoptr(BylineComment) parent = NULL;
  g_autoptr(BylineCommentChanges) changed = byline_comment_changes_new ();
  g_autofree char *trimmed = NULL, *escaped = NULL, *html = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date_gmt = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  BylineSqliteConnection *conn;
  gint64 reply_id;
  gboolean ok;

  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), 0);
  g_return_val_if_fail (text != NULL, 0);

  if (!_byline_moderator_check_open (self, error))
    return 0;
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

  if (!(conn = _byline_moderator_begin_transaction (self, error)))
    return 0;
  reply_id = byline_store_comments_table_add_reply (conn, parent_id,
                                                    author_name ? author_name : "", date_gmt,
                                                    html, trimmed, error);
  ok = reply_id != 0 &&
       byline_store_comment_actions_table_add (conn, parent->account_id, reply_id, "reply",
                                               trimmed, error) &&
       record_locked (conn, reply_id, "reply", "reply", trimmed, error);
  if (!_byline_moderator_end_transaction (self, conn, ok, error))
    return 0;

  byline_comment_changes_add (changed, parent->account_id, reply_id);
  byline_comment_store_emit_changes (self->comments, changed);
  _byline_moderator_pump (self);
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
  g_autoptr(BylineCommentChanges) changed = byline_comment_changes_new ();
  BylineSqliteConnection *conn;
  gboolean ok;

  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!_byline_moderator_check_open (self, error))
    return FALSE;
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
  if (!(conn = _byline_moderator_begin_transaction (self, error)))
    return FALSE;
  /* The raw text is what is edited; the shown HTML waits for the site's rendering, but the
   * text (snippets, search) follows at once. */
  ok = byline_store_comments_table_set_raw_text (conn, id, text, error) &&
       byline_store_comment_actions_table_add (conn, comment->account_id, id, "edit", text,
                                               error) &&
       record_locked (conn, id, "edit", "edit", text, error);
  if (!_byline_moderator_end_transaction (self, conn, ok, error))
    return FALSE;

  byline_comment_changes_add (changed, comment->account_id, id);
  byline_comment_store_emit_changes (self->comments, changed);
  _byline_moderator_pump (self);
  return TRUE;
}

guint
byline_moderator_count_waiting (BylineModerator *self,
                                gint64           account_id)
{
  BylineSqliteConnection *conn;
  guint n;

  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), 0);

  if (!(conn = _byline_store_lock (self->store, NULL)))
    return 0;
  n = byline_store_comment_actions_table_count_waiting (conn, account_id, NULL);
  _byline_store_unlock (self->store);
  return n;
}

void
byline_moderator_retry_now (BylineModerator *self,
                            gint64           account_id)
{
  g_autoptr(GError) error = NULL;
  BylineSqliteConnection *conn;

  g_return_if_fail (BYLINE_IS_MODERATOR (self));

  if (!(conn = _byline_store_lock (self->store, NULL)))
    return;
  if (!byline_store_comment_actions_table_retry_now (conn, account_id, &error))
    g_warning ("The comments waiting could not be made due now: %s", error->message);
  _byline_store_unlock (self->store);
}
