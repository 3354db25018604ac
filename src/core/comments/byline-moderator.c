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
#include "byline-store-comment-actions-table.h"
#include "byline-store-comments-table.h"
#include "byline-store-private.h"
#include "byline-wp-client.h"

#define BACKOFF_FIRST_SECONDS 5
#define BACKOFF_MAX_SECONDS   (15 * 60)
#define UNDO_LEVELS           100

/* What one comment was before a decision, to undo it. */
typedef struct {
  gint64      id;
  gint64      account_id;
  gint64      date_unix;
  char        status[16];
  char        restore_status[16];
  const char *decided;           /* interned: what the decision made it */
} UndoItem;

/* A decision or an undo being written (below). */
typedef struct _Job Job;
static void job_free (Job *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

struct _BylineModerator
{
  GObject             parent_instance;

  BylineCommentStore *comments;
  BylineStore        *store;
  BylineAccounts     *accounts;
  guint               timeout;
  guint               max_in_flight;
  GQueue              undo;              /* GArray of UndoItem per step, newest first */
  GQueue              jobs;              /* decisions and undos not all written, oldest first */
  guint               last_serial;
  guint               slices_id;         /* the idle that writes them */
  GHashTable         *in_flight;         /* comment id -> action id, while a request is out */
  GTask              *run;               /* the process_async in progress, or NULL */
  /* The database when a look found nothing more to send: until it changes (a decision, an
   * answer, another process's entry), another look would find nothing either. Looking again
   * after each failed answer of a site that is down reads every entry waiting. */
  BylineStoreVersion  idle_version;
  gboolean            idle;
  GCancellable       *closing;           /* cancelled by byline_moderator_close () */
  gboolean            closed;
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

static void abandon_jobs (BylineModerator *self);

static void
byline_moderator_dispose (GObject *object)
{
  BylineModerator *self = BYLINE_MODERATOR (object);

  /* A job waiting or a run holds a reference (its task): only a forced dispose meets one. */
  self->closed = TRUE;
  g_cancellable_cancel (self->closing);
  abandon_jobs (self);
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

/* What a change of the shown status sends: the action, its value. */
typedef struct {
  const char *status;       /* shown at once (interned); NULL: not known here (a restore) */
  const char *action;       /* "status" or "delete" */
  const char *value;        /* the status asked for, "untrash"/"unspam", or "" */
} Wanted;

/* Sets comment @id, read into @state, to @wanted in the store and queues what the site must
 * be told. @undo (nullable) gets what it was. Returns FALSE only on a database error; a comment
 * that is already so is left alone (and not added to @undo). */
static gboolean
set_status_locked (BylineModerator                *self,
                   BylineSqliteConnection         *conn,
                   gint64                          id,
                   const BylineStoreCommentState  *state,
                   const Wanted                   *wanted,
                   const char                     *restore_status,
                   GArray                         *undo,
                   GError                        **error)
{
  UndoItem item = { id, state->account_id, state->date_unix };
  gint64 *out = g_hash_table_lookup (self->in_flight, &id);
  gboolean sending_now = out != NULL;
  gint64 out_action = out ? *out : 0;
  gboolean ok;

  if (g_strcmp0 (state->status, wanted->status) == 0)
    return TRUE;

  /* The waiting entry can take the new decision when it is a decision and not out already
   * (an entry queued behind the one out can). */
  if (state->last_action != 0 && !(sending_now && out_action == state->last_action) &&
      (g_str_equal (state->last_kind, "status") || g_str_equal (state->last_kind, "delete")))
    {
      /* Dropped only when it never left: an entry sent once may have been applied even if
       * its answer was lost, so it is sent again with the new value instead. */
      gboolean back_to_site = g_str_equal (wanted->action, "status") &&
                              g_strcmp0 (wanted->value, state->remote_status) == 0 &&
                              !state->last_sent && state->n_waiting <= 1;

      ok = back_to_site
        ? byline_store_comment_actions_table_drop (conn, state->last_action, error)
        : byline_store_comment_actions_table_change (conn, state->last_action, wanted->action,
                                                     wanted->value, error);
    }
  else if (state->last_action == 0 && !sending_now && g_str_equal (wanted->action, "status") &&
           g_strcmp0 (wanted->value, state->remote_status) == 0)
    ok = TRUE;   /* the site already has it so: nothing to send */
  else
    ok = byline_store_comment_actions_table_add (conn, state->account_id, id, wanted->action,
                                                 wanted->value, error);
  ok = ok && byline_store_comments_table_set_status (conn, id, wanted->status,
                                                     restore_status ? restore_status
                                                                    : state->restore_status,
                                                     error);
  if (ok && state->has_failed)
    ok = byline_store_comment_actions_table_drop_failed (conn, id, error);
  if (!ok)
    return FALSE;

  g_strlcpy (item.status, state->status, sizeof item.status);
  g_strlcpy (item.restore_status, state->restore_status, sizeof item.restore_status);
  item.decided = wanted->status;
  if (undo != NULL)
    g_array_append_val (undo, item);
  return TRUE;
}

/* Turns @decision on a comment that is @status into the status to show (interned) and what to
 * send; FALSE when it does not apply (delete or restore of a comment that is not spam or
 * trash). @restore is where a restore goes back to ("" when the store does not know), or NULL
 * when it is not known here: a restore's status is then NULL. @restore_after gets what
 * restore_status becomes, NULL when it stays. */
static gboolean
decision_wanted (const char      *status,
                 const char      *restore,
                 BylineDecision   decision,
                 Wanted          *wanted,
                 const char     **restore_after)
{
  *restore_after = NULL;
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
      if (!byline_comment_status_is_spam_or_trash (status))
        return FALSE;
      *wanted = (Wanted) { g_intern_static_string (BYLINE_COMMENT_STATUS_DELETED), "delete", "" };
      return TRUE;
    case BYLINE_DECISION_RESTORE:
      if (!byline_comment_status_is_spam_or_trash (status))
        return FALSE;
      if (restore == NULL)
        return TRUE;
      if (restore[0] != '\0')
        {
          wanted->status = g_intern_string (restore);
          wanted->value = wanted->status;
          return TRUE;
        }
      /* Where it was is not known (it was spam or trash before the first sync): WordPress
       * knows, so ask it to restore, and show it as pending until it answers. */
      wanted->status = g_intern_static_string (BYLINE_COMMENT_STATUS_HOLD);
      wanted->value = g_str_equal (status, BYLINE_COMMENT_STATUS_SPAM) ? "unspam" : "untrash";
      return TRUE;
    default:
      g_return_val_if_reached (FALSE);
    }
  wanted->status = g_intern_static_string (wanted->status);
  wanted->value = wanted->status;
  /* Going into spam or trash remembers where it came from, for restore. */
  if (byline_comment_status_is_spam_or_trash (wanted->status) &&
      !byline_comment_status_is_spam_or_trash (status))
    *restore_after = status;
  return TRUE;
}

static void pump (BylineModerator *self);

/* After byline_moderator_close (), nothing more is taken. */
static gboolean
check_open (BylineModerator  *self,
            GError          **error)
{
  if (!self->closed)
    return TRUE;
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CLOSED, _("Byline is closing."));
  return FALSE;
}

/* Takes the store's lock and starts a transaction; end_transaction () ends both. */
static BylineSqliteConnection *
begin_transaction (BylineModerator  *self,
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

/* Commits when @ok (rolls back otherwise, or when the commit fails) and lets the store go. */
static gboolean
end_transaction (BylineModerator         *self,
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

/* ---- Decisions and undos, written a slice at a time ---- */

/* A slice of a big decision holds the main thread this long at most (one comment more), so
 * that the window draws and takes keys between slices. */
#define SLICE_USEC            (4 * G_TIME_SPAN_MILLISECOND)
/* A decision on this many comments or fewer (a key pressed on one) is written before the call
 * returns, in one transaction, when nothing else waits to be written. */
#define AT_ONCE_MAX           64

typedef enum {
  JOB_DECIDE,
  JOB_UNDO,
} JobKind;

/* A decision, or an undo, accepted and not yet all written. Jobs are written in the order they
 * were accepted, so an undo comes after the decision it undoes, whole. */
struct _Job {
  JobKind         kind;
  guint           serial;        /* its expectations', in the comment store */
  BylineDecision  decision;
  GArray         *keys;          /* DECIDE: BylineCommentKey, the comments (a NULL status: not
                                    known) */
  GArray         *step;          /* UndoItem: DECIDE fills it (its undo step); UNDO puts it
                                    back (taken when it starts if it had none) */
  guint           next;          /* the first of keys or step not yet written */
  BylineCommentChanges *expected; /* the comments it set expectations for, by site */
  GArray         *touched;       /* UNDO: gint64, the comments put back */
  guint           missing;       /* UNDO: comments already deleted for good on the site */
  GError         *error;         /* why it stopped, once done */
  GTask          *task;          /* nullable: a call that waits for it */
};

static void
job_free (Job *job)
{
  g_clear_pointer (&job->keys, g_array_unref);
  g_clear_pointer (&job->step, g_array_unref);
  g_clear_pointer (&job->expected, byline_comment_changes_free);
  g_clear_pointer (&job->touched, g_array_unref);
  g_clear_error (&job->error);
  g_clear_object (&job->task);
  g_free (job);
}

static Job *
job_new (BylineModerator *self,
         JobKind          kind)
{
  Job *job = g_new0 (Job, 1);

  job->kind = kind;
  job->serial = ++self->last_serial;
  job->expected = byline_comment_changes_new ();
  job->touched = g_array_new (FALSE, FALSE, sizeof (gint64));
  return job;
}

static guint
job_length (Job *job)
{
  if (job->kind == JOB_DECIDE)
    return job->keys->len;
  return job->step ? job->step->len : 0;
}

/* Writes comment @key of a decision; @written gets what the store holds for it now. */
static gboolean
decide_one (BylineModerator         *self,
            BylineSqliteConnection  *conn,
            Job                     *job,
            const BylineCommentKey  *key,
            BylineCommentWritten    *written,
            GError                 **error)
{
  g_autoptr(GError) local_error = NULL;
  BylineStoreCommentState state;
  const char *restore_after;
  Wanted wanted;

  *written = (BylineCommentWritten) { key->id, 0, NULL, FALSE };
  if (!byline_store_comments_table_read_state (conn, key->id, &state, &local_error))
    {
      /* None: gone from the store meanwhile, nothing to decide. */
      if (local_error == NULL)
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  *written = (BylineCommentWritten) { key->id, state.account_id,
                                      byline_comment_status_intern (state.status), FALSE };
  if (!decision_wanted (state.status, state.restore_status, job->decision, &wanted,
                        &restore_after) ||
      g_strcmp0 (state.status, wanted.status) == 0)
    return TRUE;
  if (!set_status_locked (self, conn, key->id, &state, &wanted, restore_after, job->step, error))
    return FALSE;
  *written = (BylineCommentWritten) { key->id, state.account_id, wanted.status, TRUE };
  return TRUE;
}

/* Puts back comment @item of an undo step. */
static gboolean
undo_one (BylineModerator         *self,
          BylineSqliteConnection  *conn,
          Job                     *job,
          const UndoItem          *item,
          BylineCommentWritten    *written,
          GError                 **error)
{
  const char *status = g_intern_string (item->status);
  Wanted wanted = { status, "status", status };
  g_autoptr(GError) local_error = NULL;
  BylineStoreCommentState state;

  *written = (BylineCommentWritten) { item->id, 0, NULL, FALSE };
  if (!byline_store_comments_table_read_state (conn, item->id, &state, &local_error))
    {
      /* None: deleted for good on the site meanwhile, it cannot come back. */
      if (local_error == NULL)
        {
          job->missing++;
          return TRUE;
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (!set_status_locked (self, conn, item->id, &state, &wanted, item->restore_status, NULL,
                          error))
    return FALSE;
  g_array_append_val (job->touched, item->id);
  *written = (BylineCommentWritten) { item->id, state.account_id,
                                      byline_comment_status_intern (status),
                                      g_strcmp0 (state.status, status) != 0 };
  return TRUE;
}

/* @job is over: the expectations it did not settle (comments it did not write after all) go,
 * and the views read its comments once more. A row shown may now wait to be sent, or no
 * longer. */
static void
forget_rest (BylineModerator *self,
             Job             *job)
{
  byline_comment_store_forget (self->comments, job->serial, job->expected);
}

/* Writes the next part of @job in one transaction, for at most @budget µs (all of it when
 * negative), tells the views and settles its expectations. FALSE with @error on a database
 * error: that part is not written. Every comment of the part runs the same few statements,
 * which the store's connection prepared once and keeps. */
static gboolean
write_slice (BylineModerator  *self,
             Job              *job,
             gint64            budget,
             GError          **error)
{
  g_autoptr(GArray) written = g_array_new (FALSE, FALSE, sizeof (BylineCommentWritten));
  gint64 start = g_get_monotonic_time ();
  guint first = job->next;
  guint step_len = job->step ? job->step->len : 0;
  guint touched_len = job->touched->len, missing = job->missing;
  BylineSqliteConnection *conn;
  gboolean ok = TRUE;

  if (!(conn = begin_transaction (self, error)))
    return FALSE;
  while (ok && job->next < job_length (job) &&
         (budget < 0 || g_get_monotonic_time () - start < budget))
    {
      BylineCommentWritten one;

      if (job->kind == JOB_DECIDE)
        ok = decide_one (self, conn, job, &g_array_index (job->keys, BylineCommentKey, job->next),
                         &one, error);
      else
        ok = undo_one (self, conn, job, &g_array_index (job->step, UndoItem, job->next), &one,
                       error);
      if (ok)
        {
          g_array_append_val (written, one);
          job->next++;
        }
    }
  if (!end_transaction (self, conn, ok, error))
    {
      /* Nothing of this part is in the store: nor in the undo step. */
      job->next = first;
      if (job->step != NULL && job->kind == JOB_DECIDE)
        g_array_set_size (job->step, step_len);
      g_array_set_size (job->touched, touched_len);
      job->missing = missing;
      return FALSE;
    }

  byline_comment_store_settle (self->comments, job->serial,
                               (const BylineCommentWritten *) (gpointer) written->data,
                               written->len);
  return TRUE;
}

static gboolean
is_pending_step (BylineModerator *self,
                 GArray          *step)
{
  for (GList *l = self->jobs.head; l != NULL; l = l->next)
    if (((Job *) l->data)->kind == JOB_DECIDE && ((Job *) l->data)->step == step)
      return TRUE;
  return FALSE;
}

/* Gives @job, an undo about to start, the step it reverts, if it has none (or one that turned
 * out empty: a decision that changed nothing): the newest of the decisions written, as
 * byline_moderator_undo () would have taken; those made after the undo are not written yet.
 * FALSE when there is none. */
static gboolean
take_step (BylineModerator *self,
           Job             *job)
{
  if (job->step != NULL && job->step->len > 0)
    return TRUE;
  g_clear_pointer (&job->step, g_array_unref);
  for (GList *l = self->undo.head; l != NULL; l = l->next)
    if (!is_pending_step (self, l->data))
      {
        job->step = l->data;
        g_queue_delete_link (&self->undo, l);
        return TRUE;
      }
  return FALSE;
}

/* @job is done, or stopped on job->error: it leaves the queue, and its task (if any) returns. */
static void
complete_job (BylineModerator *self,
              Job             *job)
{
  g_assert (g_queue_peek_head (&self->jobs) == job);
  g_queue_pop_head (&self->jobs);

  /* A decision that changed nothing is no step to undo (undo then undoes the one before). */
  if (job->kind == JOB_DECIDE && job->step->len == 0)
    {
      GList *link = g_queue_find (&self->undo, job->step);

      if (link != NULL)
        {
          g_array_unref (link->data);
          g_queue_delete_link (&self->undo, link);
        }
    }
  forget_rest (self, job);

  if (job->error == NULL && job->kind == JOB_UNDO && job->missing > 0)
    job->error = g_error_new (BYLINE_MODERATOR_ERROR, BYLINE_MODERATOR_ERROR_ALREADY_DELETED,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "%u comment was already deleted for good on the site "
                                           "and cannot come back.",
                                           "%u comments were already deleted for good on the "
                                           "site and cannot come back.", job->missing),
                              job->missing);
  if (job->task != NULL && job->error != NULL)
    g_task_return_error (job->task, g_steal_pointer (&job->error));
  else if (job->task != NULL)
    g_task_return_boolean (job->task, TRUE);
}

/* Writes the next slice of the oldest job (all of it when @budget is negative). Returns the
 * job, out of the queue, once done (or stopped: its error says why); NULL while it goes on. */
static Job *
run_job (BylineModerator *self,
         gint64           budget)
{
  Job *job = g_queue_peek_head (&self->jobs);

  if (job->kind == JOB_UNDO && job->next == 0 && !take_step (self, job))
    job->error = g_error_new_literal (BYLINE_MODERATOR_ERROR,
                                      BYLINE_MODERATOR_ERROR_NOTHING_TO_UNDO,
                                      _("There is nothing to undo."));
  else if (!write_slice (self, job, budget, &job->error))
    {
      /* The store refused (a full disk): the rest is not decided; for an undo, what is not
       * put back yet is a step to undo again (what earlier slices put back is not in it). */
      if (job->kind == JOB_UNDO && job->next < job->step->len)
        {
          guint rest = job->step->len - job->next;
          GArray *step = g_array_sized_new (FALSE, FALSE, sizeof (UndoItem), rest);

          g_array_append_vals (step, &g_array_index (job->step, UndoItem, job->next), rest);
          g_queue_push_head (&self->undo, step);
        }
    }
  else if (job->next < job_length (job))
    return NULL;

  complete_job (self, job);
  return job;
}

static gboolean write_slices_cb (gpointer user_data);

static gboolean
resume_slices_cb (gpointer user_data)
{
  BylineModerator *self = user_data;

  self->slices_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, write_slices_cb, self, NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
write_slices_cb (gpointer user_data)
{
  BylineModerator *self = user_data;
  Job *done;

  /* The store's checkpoint thread is behind: the next slice waits for it a little, rather than
   * grow the WAL until a commit has to fold it back inside a frame. */
  if (_byline_store_is_folding_back (self->store))
    {
      self->slices_id = g_timeout_add (SLICE_USEC / G_TIME_SPAN_MILLISECOND, resume_slices_cb,
                                       self);
      return G_SOURCE_REMOVE;
    }
  done = run_job (self, SLICE_USEC);

  g_clear_pointer (&done, job_free);
  pump (self);
  if (!g_queue_is_empty (&self->jobs))
    return G_SOURCE_CONTINUE;
  self->slices_id = 0;
  return G_SOURCE_REMOVE;
}

/* Queues @job (owned) behind the others. One on a few comments with nothing before it is
 * written now (and gone): TRUE. Otherwise its slices follow, and the views are to be told what
 * it will do. */
static gboolean
queue_job (BylineModerator *self,
           Job             *job)
{
  gboolean at_once = g_queue_is_empty (&self->jobs) && job_length (job) <= AT_ONCE_MAX;

  g_queue_push_tail (&self->jobs, job);
  if (at_once)
    {
      job_free (run_job (self, -1));
      pump (self);
      return TRUE;
    }
  if (self->slices_id == 0)
    /* Below the redraw: a frame is drawn, and keys are taken, between two slices. */
    self->slices_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, write_slices_cb, self, NULL);
  return FALSE;
}

/* Writes every job accepted, whole, now; their tasks return. Sends nothing. */
static void
write_all (BylineModerator *self)
{
  while (!g_queue_is_empty (&self->jobs))
    job_free (run_job (self, -1));
  g_clear_handle_id (&self->slices_id, g_source_remove);
}

/* A forced dispose: the jobs not written go, their views read the store again, and whoever
 * waits for one learns it was cancelled. */
static void
abandon_jobs (BylineModerator *self)
{
  Job *job;

  g_clear_handle_id (&self->slices_id, g_source_remove);
  while ((job = g_queue_pop_head (&self->jobs)))
    {
      if (self->comments != NULL)
        forget_rest (self, job);
      if (job->task != NULL)
        g_task_return_new_error (job->task, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                 _("The decision was not kept."));
      job_free (job);
    }
}

void
byline_moderator_close (BylineModerator *self)
{
  g_return_if_fail (BYLINE_IS_MODERATOR (self));

  if (self->closed)
    return;
  /* Decisions taken are all kept, also the end of one on thousands of comments. */
  write_all (self);
  self->closed = TRUE;
  /* Requests out are dropped, and no more start: their entries wait for the next start
   * (sending one again is safe, see the top of this file). */
  g_cancellable_cancel (self->closing);
  if (self->run != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->run);
      g_autoptr(GError) error = NULL;

      check_open (self, &error);
      g_task_return_error (task, g_steal_pointer (&error));
    }
}

gboolean
byline_moderator_is_closed (BylineModerator *self)
{
  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), TRUE);
  return self->closed;
}

gboolean
byline_moderator_is_deciding (BylineModerator *self)
{
  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), FALSE);
  return !g_queue_is_empty (&self->jobs);
}

static void
push_step (BylineModerator *self,
           GArray          *step)
{
  g_queue_push_head (&self->undo, g_array_ref (step));
  while (g_queue_get_length (&self->undo) > UNDO_LEVELS)
    g_array_unref (g_queue_pop_tail (&self->undo));
}

static Job *
decide_job_new (BylineModerator        *self,
                const BylineCommentKey *keys,
                guint                   n_keys,
                BylineDecision          decision)
{
  Job *job = job_new (self, JOB_DECIDE);

  job->decision = decision;
  job->keys = g_array_sized_new (FALSE, FALSE, sizeof (BylineCommentKey), n_keys);
  g_array_append_vals (job->keys, keys, n_keys);
  job->step = g_array_new (FALSE, FALSE, sizeof (UndoItem));
  /* The step is there at once, for an undo pressed before the decision is all written. */
  push_step (self, job->step);
  return job;
}

gboolean
byline_moderator_decide (BylineModerator  *self,
                         const gint64     *ids,
                         guint             n_ids,
                         BylineDecision    decision,
                         GError          **error)
{
  g_autoptr(GArray) keys = g_array_sized_new (FALSE, TRUE, sizeof (BylineCommentKey), n_ids);
  g_autoptr(Job) job = NULL;

  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), FALSE);

  if (!check_open (self, error))
    return FALSE;
  /* What was accepted before goes first. */
  write_all (self);
  for (guint i = 0; i < n_ids; i++)
    g_array_append_val (keys, ((BylineCommentKey) { ids[i], 0, NULL }));
  g_queue_push_tail (&self->jobs,
                     decide_job_new (self, (const BylineCommentKey *) (gpointer) keys->data,
                                     n_ids, decision));
  job = run_job (self, -1);
  pump (self);
  if (job->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      return FALSE;
    }
  return TRUE;
}

/* What the views show until @job, a decision on comments shown in @view, is written. */
static void
expect_decision (BylineModerator           *self,
                 Job                       *job,
                 const BylineCommentFilter *view)
{
  g_autoptr(GArray) expected = g_array_sized_new (FALSE, FALSE, sizeof (BylineCommentExpected),
                                                  job->keys->len);

  for (guint i = 0; i < job->keys->len; i++)
    {
      const BylineCommentKey *key = &g_array_index (job->keys, BylineCommentKey, i);
      const char *restore_after;
      Wanted wanted;

      if (key->status == NULL ||
          !decision_wanted (key->status, NULL, job->decision, &wanted, &restore_after) ||
          key->status == wanted.status)
        continue;
      g_array_append_val (expected, ((BylineCommentExpected) {
        key->id, view->account_id, key->date_unix, wanted.status, key->status, job->serial,
      }));
      byline_comment_changes_add (job->expected, view->account_id, key->id);
    }
  byline_comment_store_expect (self->comments,
                               (const BylineCommentExpected *) (gpointer) expected->data,
                               expected->len);
}

void
byline_moderator_decide_async (BylineModerator           *self,
                               const BylineCommentFilter *view,
                               const BylineCommentKey    *comments,
                               guint                      n_comments,
                               BylineDecision             decision,
                               GAsyncReadyCallback        callback,
                               gpointer                   user_data)
{
  Job *job;

  g_return_if_fail (BYLINE_IS_MODERATOR (self));
  g_return_if_fail (view != NULL);
  g_return_if_fail (n_comments == 0 || comments != NULL);

  if (self->closed)
    {
      g_task_report_new_error (self, callback, user_data, byline_moderator_decide_async,
                               G_IO_ERROR, G_IO_ERROR_CLOSED, _("Byline is closing."));
      return;
    }
  job = decide_job_new (self, comments, n_comments, decision);
  job->task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (job->task, byline_moderator_decide_async);
  if (!queue_job (self, job))
    expect_decision (self, job, view);
}

gboolean
byline_moderator_decide_finish (BylineModerator  *self,
                                GAsyncResult     *result,
                                GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
byline_moderator_can_undo (BylineModerator *self)
{
  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), FALSE);
  return !g_queue_is_empty (&self->undo);
}

/* What the views show until @job, an undo of @step, is written: each comment as it was before
 * the decision, also those the decision has not written yet. */
static void
expect_undo (BylineModerator *self,
             Job             *job,
             GArray          *step)
{
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (BylineCommentExpected));
  Job *decision = NULL;

  for (GList *l = self->jobs.head; l != NULL && decision == NULL; l = l->next)
    if (((Job *) l->data)->kind == JOB_DECIDE && ((Job *) l->data)->step == step)
      decision = l->data;

  for (guint i = 0; i < step->len; i++)
    {
      const UndoItem *item = &g_array_index (step, UndoItem, i);

      g_array_append_val (expected, ((BylineCommentExpected) {
        item->id, item->account_id, item->date_unix,
        byline_comment_status_intern (item->status), item->decided, job->serial,
      }));
    }
  /* Not written yet, it will be before the undo comes: it comes back to what it was shown as. */
  for (guint i = decision ? decision->next : 0; decision != NULL && i < decision->keys->len; i++)
    {
      const BylineCommentKey *key = &g_array_index (decision->keys, BylineCommentKey, i);
      BylineCommentExpected known;

      if (key->status == NULL ||
          !byline_comment_store_get_expected (self->comments, key->id, &known))
        continue;
      g_array_append_val (expected, ((BylineCommentExpected) {
        key->id, known.account_id, key->date_unix, key->status, NULL, job->serial,
      }));
    }
  for (guint i = 0; i < expected->len; i++)
    {
      const BylineCommentExpected *entry = &g_array_index (expected, BylineCommentExpected, i);

      byline_comment_changes_add (job->expected, entry->account_id, entry->id);
    }
  byline_comment_store_expect (self->comments,
                               (const BylineCommentExpected *) (gpointer) expected->data,
                               expected->len);
}

void
byline_moderator_undo_async (BylineModerator     *self,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  Job *job;

  g_return_if_fail (BYLINE_IS_MODERATOR (self));

  if (self->closed)
    {
      g_task_report_new_error (self, callback, user_data, byline_moderator_undo_async,
                               G_IO_ERROR, G_IO_ERROR_CLOSED, _("Byline is closing."));
      return;
    }
  job = job_new (self, JOB_UNDO);
  job->task = g_task_new (self, NULL, callback, user_data);
  g_task_set_source_tag (job->task, byline_moderator_undo_async);
  g_task_set_task_data (job->task, g_array_ref (job->touched), (GDestroyNotify) g_array_unref);
  /* The step is taken now, so that the next undo takes the one before; an empty one (a
   * decision that changed nothing) is skipped when the undo starts. */
  job->step = g_queue_pop_head (&self->undo);
  if (!queue_job (self, job) && job->step != NULL)
    expect_undo (self, job, job->step);
}

gboolean
byline_moderator_undo_finish (BylineModerator  *self,
                              GAsyncResult     *result,
                              GArray          **ids,
                              GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (ids != NULL)
    *ids = g_task_get_task_data (G_TASK (result))
           ? g_array_ref (g_task_get_task_data (G_TASK (result)))
           : g_array_new (FALSE, FALSE, sizeof (gint64));
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
byline_moderator_undo (BylineModerator  *self,
                       GArray          **ids,
                       GError          **error)
{
  g_autoptr(Job) job = NULL;

  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), FALSE);

  if (!check_open (self, error))
    return FALSE;
  /* What was accepted before goes first. */
  write_all (self);
  g_queue_push_tail (&self->jobs, job_new (self, JOB_UNDO));
  job = run_job (self, -1);
  pump (self);
  /* Put back, but some were deleted for good meanwhile: the view selects what came back. */
  if (ids != NULL && (job->error == NULL ||
                      g_error_matches (job->error, BYLINE_MODERATOR_ERROR,
                                       BYLINE_MODERATOR_ERROR_ALREADY_DELETED)))
    *ids = g_array_ref (job->touched);
  if (job->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
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
  g_autoptr(BylineCommentChanges) changed = byline_comment_changes_new ();
  g_autofree char *trimmed = NULL, *escaped = NULL, *html = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *date_gmt = g_date_time_format (now, "%Y-%m-%dT%H:%M:%S");
  BylineSqliteConnection *conn;
  gint64 reply_id;
  gboolean ok;

  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), 0);
  g_return_val_if_fail (text != NULL, 0);

  if (!check_open (self, error))
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

  if (!(conn = begin_transaction (self, error)))
    return 0;
  reply_id = byline_store_comments_table_add_reply (conn, parent_id,
                                                    author_name ? author_name : "", date_gmt,
                                                    html, trimmed, error);
  ok = reply_id != 0 &&
       byline_store_comment_actions_table_add (conn, parent->account_id, reply_id, "reply",
                                               trimmed, error);
  if (!end_transaction (self, conn, ok, error))
    return 0;

  byline_comment_changes_add (changed, parent->account_id, reply_id);
  byline_comment_store_emit_changes (self->comments, changed);
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
  g_autoptr(BylineCommentChanges) changed = byline_comment_changes_new ();
  BylineSqliteConnection *conn;
  gboolean ok;

  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), FALSE);
  g_return_val_if_fail (text != NULL, FALSE);

  if (!check_open (self, error))
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
  if (!(conn = begin_transaction (self, error)))
    return FALSE;
  /* The raw text is what is edited; the shown HTML waits for the site's rendering, but the
   * text (snippets, search) follows at once. */
  ok = byline_store_comments_table_set_raw_text (conn, id, text, error) &&
       byline_store_comment_actions_table_add (conn, comment->account_id, id, "edit", text,
                                               error);
  if (!end_transaction (self, conn, ok, error))
    return FALSE;

  byline_comment_changes_add (changed, comment->account_id, id);
  byline_comment_store_emit_changes (self->comments, changed);
  pump (self);
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
  BylineModerator *self;           /* owned: a request outlives a run dropped on closing */
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
  g_clear_object (&send->self);
  g_free (send->action);
  g_free (send->value);
  g_free (send);
}

/* Byline is closing (byline_moderator_close ()): what comes back for @send is not written,
 * and its entry waits for the next start. Frees @send; TRUE then. */
static gboolean
drop_if_closed (Send *send)
{
  BylineModerator *self = send->self;   /* alive: @send holds it */

  if (!self->closed)
    return FALSE;
  if (self->in_flight != NULL)
    g_hash_table_remove (self->in_flight, &send->comment_id);
  send_free (send);
  return TRUE;
}

static void
send_done (Send *send)
{
  g_autoptr(BylineModerator) self = g_object_ref (send->self);
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
  g_autoptr(GPtrArray) due = g_ptr_array_new ();
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  BylineSqliteConnection *conn;
  BylineStoreVersion version;

  if (!(conn = _byline_store_lock (self->store, NULL)))
    return g_steal_pointer (&due);
  if (self->idle && _byline_store_get_version (self->store, &version) &&
      version.changes == self->idle_version.changes &&
      version.data_version == self->idle_version.data_version)
    {
      _byline_store_unlock (self->store);
      return g_steal_pointer (&due);
    }
  /* Enough to skip those whose comment has a request out. */
  listed = byline_store_comment_actions_table_list_due (conn, g_get_real_time () / G_USEC_PER_SEC,
                                                        run->blocked,
                                                        wanted +
                                                        g_hash_table_size (self->in_flight) + 16,
                                                        &error);
  if (listed == NULL)
    g_debug ("The entries due could not be read: %s", error->message);
  for (guint i = 0; listed != NULL && i < listed->len && due->len < wanted; i++)
    {
      BylineStoreCommentAction *action = g_ptr_array_index (listed, i);
      Send *send;

      if (g_hash_table_contains (self->in_flight, &action->comment_id))
        continue;
      send = g_new0 (Send, 1);
      send->self = g_object_ref (self);
      send->action_id = action->id;
      send->account_id = action->account_id;
      send->comment_id = action->comment_id;
      send->action = g_steal_pointer (&action->action);
      send->value = g_steal_pointer (&action->value);
      send->attempts = action->attempts;
      send->remote_id = action->remote_id;
      send->post_id = action->post_id;
      send->parent_id = action->parent_id;
      g_hash_table_insert (self->in_flight, int64_key (send->comment_id),
                           int64_key (send->action_id));
      g_ptr_array_add (due, send);
    }
  /* From now on the site may apply it even if its answer is lost: undo must send, not drop.
   * (sent: 1 while out, 2 once an attempt may have been applied; see postpone.) */
  for (guint i = 0; i < due->len; i++)
    byline_store_comment_actions_table_mark_sent (conn,
                                                  ((Send *) g_ptr_array_index (due, i))->action_id,
                                                  NULL);
  /* Those marked just now aside, nothing else could go. */
  self->idle = due->len < wanted && _byline_store_get_version (self->store, &self->idle_version);
  _byline_store_unlock (self->store);
  return g_steal_pointer (&due);
}

/* The site confirmed @send with @comment (NULL for a permanent delete). */
static void
confirmed (Send          *send,
           BylineComment *comment)
{
  BylineModerator *self = send->self;
  g_autoptr(BylineCommentChanges) changed = byline_comment_changes_new ();
  g_autoptr(GError) error = NULL;
  BylineSqliteConnection *conn;
  gboolean undo_too_late = FALSE;
  gboolean ok;

  if (!(conn = begin_transaction (self, &error)))
    {
      g_warning ("A confirmed decision could not be recorded: %s", error->message);
      return;
    }
  if (comment == NULL)
    {
      /* Deleted for good: whatever else waited for it (an undo that came too late) goes too. */
      undo_too_late = byline_store_comment_actions_table_has_waiting (conn, send->comment_id,
                                                                      send->action_id, NULL);
      ok = byline_store_comment_actions_table_drop_comment (conn, send->comment_id, &error) &&
           byline_store_comments_table_delete (conn, send->comment_id, &error);
    }
  else
    {
      /* Only the entry as it was sent: another process (byline-cli) may have changed it since,
       * and then it waits to be sent again. */
      gboolean later;

      ok = byline_store_comment_actions_table_drop_if_sent_as (conn, send->action_id,
                                                               send->action, send->value,
                                                               &error) >= 0;
      later = byline_store_comment_actions_table_has_waiting (conn, send->comment_id,
                                                              send->action_id, NULL);
      /* A reply gets its id on the site; a sync may have brought it in meanwhile. */
      if (ok && g_str_equal (send->action, "reply"))
        ok = byline_store_comments_table_delete_remote (conn, send->account_id,
                                                        comment->remote_id, &error) &&
             byline_store_comments_table_set_remote_id (conn, send->comment_id,
                                                        comment->remote_id, &error);
      if (ok && !g_str_equal (send->action, "status"))
        ok = byline_store_comments_table_set_rendered (conn, send->comment_id, comment, &error);
      if (ok)
        ok = byline_store_comments_table_set_remote_status (conn, send->comment_id,
                                                            comment->status, later, &error);
    }
  if (!end_transaction (self, conn, ok, &error))
    {
      g_warning ("A confirmed decision could not be recorded: %s", error->message);
      return;
    }
  byline_comment_changes_add (changed, send->account_id, send->comment_id);
  byline_comment_store_emit_changes (self->comments, changed);
  if (undo_too_late)
    g_signal_emit (self, signals[COMMENT_GONE], 0, send->comment_id,
                   _("The comment was already deleted for good on the site: it cannot come back."));
}

/* The site refused @send: the comment goes back to what the site has, and the entry stays
 * as failed with @message, for the comment's detail and for the record. */
static void
refused (Send       *send,
         const char *message)
{
  BylineModerator *self = send->self;
  g_autoptr(BylineCommentChanges) changed = byline_comment_changes_new ();
  g_autoptr(GError) error = NULL;
  BylineSqliteConnection *conn;
  gint64 marked;
  gboolean ok;

  if (!(conn = begin_transaction (self, &error)))
    return;
  marked = byline_store_comment_actions_table_mark_failed (conn, send->action_id, send->action,
                                                           send->value, message, &error);
  /* Changed by another process since it was sent: the newer decision waits; nothing to undo.
   * Nothing was written, but the comment is free for it. */
  if (marked == 0)
    {
      end_transaction (self, conn, TRUE, NULL);
      self->idle = FALSE;
      return;
    }
  ok = marked > 0;
  /* A reply that was never created stays, with its text, until the person deals with it. */
  if (ok && !g_str_equal (send->action, "reply") &&
      !byline_store_comment_actions_table_has_waiting (conn, send->comment_id, send->action_id,
                                                       NULL))
    ok = byline_store_comments_table_show_remote_status (conn, send->comment_id, &error);
  if (!end_transaction (self, conn, ok, &error))
    g_warning ("A refused decision could not be recorded: %s", error->message);

  byline_comment_changes_add (changed, send->account_id, send->comment_id);
  byline_comment_store_emit_changes (self->comments, changed);
  g_signal_emit (self, signals[ACTION_FAILED_SIGNAL], 0, send->comment_id, message);
}

static void
gone (Send *send)
{
  BylineModerator *self = send->self;
  g_autoptr(BylineCommentChanges) changed = byline_comment_changes_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineComment) comment = byline_comment_store_load (self->comments, send->comment_id,
                                                                NULL);
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("The comment by %s was deleted on the site meanwhile."),
                             comment && comment->author_name[0] ? comment->author_name
                                                                : _("a reader"));
  if (!byline_comment_store_remove (self->comments, send->comment_id, &error))
    g_warning ("A comment gone from the site could not be forgotten: %s", error->message);
  byline_comment_changes_add (changed, send->account_id, send->comment_id);
  byline_comment_store_emit_changes (self->comments, changed);
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
  BylineSqliteConnection *conn;
  gint64 next;

  delay = MIN (delay, BACKOFF_MAX_SECONDS);
  if (retry_after > 0)
    delay = MIN (retry_after, BACKOFF_MAX_SECONDS);
  /* A refused password waits for the person, not for a clock: it is tried on the next run. */
  if (g_error_matches (cause, BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_CREDENTIALS))
    delay = 0;
  next = g_get_real_time () / G_USEC_PER_SEC + delay;

  if ((conn = _byline_store_lock (self->store, NULL)))
    {
      g_autoptr(GError) error = NULL;
      BylineStoreVersion version;
      /* Nothing else changed since the last look found nothing to send: this entry's site is
       * stopped for this run, so after its change there is still nothing (a site that is down
       * does not have every entry waiting read again on each failed answer). */
      gboolean still_idle = self->idle && _byline_store_get_version (self->store, &version) &&
                            version.changes == self->idle_version.changes &&
                            version.data_version == self->idle_version.data_version;

      if (!byline_store_comment_actions_table_postpone (conn, send->action_id, next,
                                                        cause->message, may_have_applied (cause),
                                                        &error))
        g_debug ("A failed request could not be recorded: %s", error->message);
      if (still_idle)
        _byline_store_get_version (self->store, &self->idle_version);
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
  if (drop_if_closed (send))
    return;
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
  byline_wp_client_request_async (send->client, "GET", "/wp/v2/comments", query, NULL,
                                  send->self->closing, duplicate_lookup_cb, send);
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
  if (drop_if_closed (send))
    return;
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

  byline_wp_client_request_async (send->client, method, route, query, body,
                                  send->self->closing, request_cb, send);
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
  if (drop_if_closed (send))
    {
      g_clear_object (&client);
      return;
    }
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
  send->client = client;
  send_request (send);
}

/* The site's client comes from the accounts, which keep one for each site. */
static void
start (Send *send)
{
  BylineModerator *self = send->self;

  byline_accounts_connect_async (self->accounts, send->account_id, self->closing, connect_cb,
                                 send);
}

static void
pump (BylineModerator *self)
{
  Run *run;
  g_autoptr(GPtrArray) due = NULL;

  if (self->run == NULL || self->closed)
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
  if (self->closed)
    {
      g_autoptr(GError) error = NULL;

      check_open (self, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->run != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The comments are already being sent."));
      return;
    }
  /* A new run may send to the sites the last one stopped for. */
  self->idle = FALSE;
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
