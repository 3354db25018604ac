/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-moderator-decisions.c: the moderator's decisions and their undo, written to the store a
 * slice at a time.
 *
 * A decision on one comment (a key) is written before the call returns. One on thousands is
 * accepted at once, shown from memory (the comment store's expectations) and written a few
 * milliseconds at a time between frames, in the order decisions were taken; its undo step is
 * there from the start. Each comment of a slice runs the same few statements, which the
 * store's connection prepared once and keeps. */

#define G_LOG_DOMAIN "byline-moderator"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-comment-private.h"
#include "byline-moderation-reasons.h"
#include "byline-moderator-private.h"
#include "byline-store-comment-actions-table.h"
#include "byline-store-comments-table.h"
#include "byline-store-moderation-log-table.h"

#define UNDO_LEVELS 100

/* What one comment was before a decision, to undo it. */
typedef struct {
  gint64      id;
  gint64      account_id;
  gint64      date_unix;
  char        status[16];
  char        restore_status[16];
  const char *reason;            /* interned: the slug of its policy reason then ("" for none) */
  const char *decided;           /* interned: what the decision made it */
} UndoItem;

/* A decision or an undo being written (below). */
typedef struct _Job Job;
static void job_free (Job *job);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Job, job_free)

/* What a change of the shown status sends: the action, its value. */
typedef struct {
  const char *status;       /* shown at once (interned); NULL: not known here (a restore) */
  const char *action;       /* "status" or "delete" */
  const char *value;        /* the status asked for, "untrash"/"unspam", or "" */
} Wanted;

/* What the trail records of a change of status: its action ("spam", "undo", …), when (µs, and
 * the local offset in seconds) and its reason. */
typedef struct {
  const char *action;
  gint64      now;
  gint        utc_offset;
  const char *reason;       /* the comment's reason after it: a slug, "" for none */
} Recorded;

/* Sets comment @id, read into @state, to @wanted in the store, queues what the site must be
 * told and records it in the trail as @recorded, all in the caller's transaction. @undo
 * (nullable) gets what it was. Returns FALSE only on a database error; a comment that is
 * already so is left alone (and not added to @undo). */
static gboolean
set_status_locked (BylineModerator                *self,
                   BylineSqliteConnection         *conn,
                   gint64                          id,
                   const BylineStoreCommentState  *state,
                   const Wanted                   *wanted,
                   const char                     *restore_status,
                   const Recorded                 *recorded,
                   GArray                         *undo,
                   GError                        **error)
{
  UndoItem item = { id, state->account_id, state->date_unix };
  gint64 *out = g_hash_table_lookup (self->in_flight, &id);
  gboolean sending_now = out != NULL;
  gint64 out_action = out ? *out : 0;
  gint64 outbox_id = 0;
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
      outbox_id = back_to_site ? 0 : state->last_action;
    }
  else if (state->last_action == 0 && !sending_now && g_str_equal (wanted->action, "status") &&
           g_strcmp0 (wanted->value, state->remote_status) == 0)
    ok = TRUE;   /* the site already has it so: nothing to send */
  else if ((ok = byline_store_comment_actions_table_add (conn, state->account_id, id,
                                                         wanted->action, wanted->value, error)))
    outbox_id = byline_sqlite_connection_get_last_insert_id (conn);
  ok = ok && byline_store_comments_table_set_status (conn, id, wanted->status,
                                                     restore_status ? restore_status
                                                                    : state->restore_status,
                                                     recorded->reason, error);
  /* Nothing to send: the site has it so already, which is as good as its confirmation. */
  ok = ok && byline_store_moderation_log_table_add (conn, id, recorded->now, recorded->utc_offset,
                                                    recorded->action, wanted->status,
                                                    recorded->reason, outbox_id, wanted->action,
                                                    wanted->value,
                                                    outbox_id == 0 ? recorded->now : 0, error);
  if (ok && state->has_failed)
    ok = byline_store_comment_actions_table_drop_failed (conn, id, error);
  if (!ok)
    return FALSE;

  g_strlcpy (item.status, state->status, sizeof item.status);
  g_strlcpy (item.restore_status, state->restore_status, sizeof item.restore_status);
  item.reason = g_intern_string (state->reason);
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
  const char     *reason;        /* DECIDE: interned slug, "" for none */
  gint64          now;           /* when the slice being written was written, for the trail */
  gint            utc_offset;
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

/* What the trail calls @decision. */
static const char *
decision_action (BylineDecision decision)
{
  static const char * const actions[] = {
    [BYLINE_DECISION_APPROVE] = "approve",
    [BYLINE_DECISION_UNAPPROVE] = "unapprove",
    [BYLINE_DECISION_SPAM] = "spam",
    [BYLINE_DECISION_TRASH] = "trash",
    [BYLINE_DECISION_RESTORE] = "restore",
    [BYLINE_DECISION_DELETE] = "delete",
  };

  g_return_val_if_fail (decision < G_N_ELEMENTS (actions), "");
  return actions[decision];
}

/* Only a rejection has a policy reason: any other decision clears it. */
static gboolean
carries_reason (BylineDecision decision)
{
  return decision == BYLINE_DECISION_SPAM || decision == BYLINE_DECISION_TRASH ||
         decision == BYLINE_DECISION_UNAPPROVE;
}

/* Seconds east of UTC of local time at @now (µs), for the trail's local time. */
static gint
local_utc_offset (gint64 now)
{
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (now / G_USEC_PER_SEC);

  return local ? g_date_time_get_utc_offset (local) / G_TIME_SPAN_SECOND : 0;
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
  if (!set_status_locked (self, conn, key->id, &state, &wanted, restore_after,
                          &(Recorded) { decision_action (job->decision), job->now,
                                        job->utc_offset,
                                        carries_reason (job->decision) ? job->reason : "" },
                          job->step, error))
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
  if (!set_status_locked (self, conn, item->id, &state, &wanted, item->restore_status,
                          &(Recorded) { "undo", job->now, job->utc_offset,
                                        item->reason ? item->reason : "" },
                          NULL, error))
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

  if (!(conn = _byline_moderator_begin_transaction (self, error)))
    return FALSE;
  job->now = g_get_real_time ();
  job->utc_offset = local_utc_offset (job->now);
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
  if (!_byline_moderator_end_transaction (self, conn, ok, error))
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
  _byline_moderator_pump (self);
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
      _byline_moderator_pump (self);
      return TRUE;
    }
  if (self->slices_id == 0)
    /* Below the redraw: a frame is drawn, and keys are taken, between two slices. */
    self->slices_id = g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, write_slices_cb, self, NULL);
  return FALSE;
}

void
_byline_moderator_write_all (BylineModerator *self)
{
  while (!g_queue_is_empty (&self->jobs))
    job_free (run_job (self, -1));
  g_clear_handle_id (&self->slices_id, g_source_remove);
}

void
_byline_moderator_abandon_jobs (BylineModerator *self)
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
                BylineDecision          decision,
                const char             *reason)
{
  Job *job = job_new (self, JOB_DECIDE);

  job->decision = decision;
  job->reason = g_intern_string (reason ? reason : "");
  job->keys = g_array_sized_new (FALSE, FALSE, sizeof (BylineCommentKey), n_keys);
  g_array_append_vals (job->keys, keys, n_keys);
  job->step = g_array_new (FALSE, FALSE, sizeof (UndoItem));
  /* The step is there at once, for an undo pressed before the decision is all written. */
  push_step (self, job->step);
  return job;
}

/* The slug of @reason (a slug or a name) on the list of @account_id, "" for none; NULL with
 * @error when @decision may not carry one (only a rejection may) or the site has no such
 * reason. Reading the list writes the default one for a site that has none yet, so that the
 * trail names the reason as the site's moderators see it. */
static char *
check_reason (BylineModerator  *self,
              gint64            account_id,
              BylineDecision    decision,
              const char       *reason,
              GError          **error)
{
  g_autoptr(BylineModerationReason) found = NULL;
  g_autoptr(GError) local_error = NULL;

  if (reason == NULL || reason[0] == '\0')
    return g_strdup ("");
  if (!carries_reason (decision))
    {
      g_set_error_literal (error, BYLINE_MODERATOR_ERROR, BYLINE_MODERATOR_ERROR_INVALID,
                           _("Only marking as spam, trashing or unapproving takes a reason."));
      return NULL;
    }
  found = byline_moderation_reasons_find (self->store, account_id, reason, FALSE, &local_error);
  if (found != NULL)
    return g_strdup (found->slug);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else
    g_set_error (error, BYLINE_MODERATOR_ERROR, BYLINE_MODERATOR_ERROR_INVALID,
                 _("This site has no reason “%s”."), reason);
  return NULL;
}

gboolean
byline_moderator_decide (BylineModerator  *self,
                         const gint64     *ids,
                         guint             n_ids,
                         BylineDecision    decision,
                         GError          **error)
{
  return byline_moderator_decide_with_reason (self, ids, n_ids, decision, NULL, error);
}

gboolean
byline_moderator_decide_with_reason (BylineModerator  *self,
                                     const gint64     *ids,
                                     guint             n_ids,
                                     BylineDecision    decision,
                                     const char       *reason,
                                     GError          **error)
{
  g_autoptr(GArray) keys = g_array_sized_new (FALSE, TRUE, sizeof (BylineCommentKey), n_ids);
  g_autoptr(Job) job = NULL;
  g_autofree char *slug = NULL;
  gint64 account_id = 0;

  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), FALSE);

  if (!_byline_moderator_check_open (self, error))
    return FALSE;
  /* The reasons are the site's: that of the comments (a decision is on one site's). */
  if (reason != NULL && reason[0] != '\0' && n_ids > 0)
    {
      g_autoptr(BylineComment) first = byline_comment_store_load (self->comments, ids[0], error);

      if (first == NULL)
        return FALSE;
      account_id = first->account_id;
    }
  if (!(slug = check_reason (self, account_id, decision, reason, error)))
    return FALSE;
  /* What was accepted before goes first. */
  _byline_moderator_write_all (self);
  for (guint i = 0; i < n_ids; i++)
    g_array_append_val (keys, ((BylineCommentKey) { ids[i], 0, NULL }));
  g_queue_push_tail (&self->jobs,
                     decide_job_new (self, (const BylineCommentKey *) (gpointer) keys->data,
                                     n_ids, decision, slug));
  job = run_job (self, -1);
  _byline_moderator_pump (self);
  if (job->error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&job->error));
      return FALSE;
    }
  return TRUE;
}

gboolean
byline_moderator_give_reason (BylineModerator  *self,
                              const gint64     *ids,
                              guint             n_ids,
                              BylineDecision    decision,
                              const char       *reason,
                              GError          **error)
{
  g_autoptr(BylineComment) first = NULL;
  g_autofree char *slug = NULL;
  BylineSqliteConnection *conn;
  gint64 now = g_get_real_time ();
  gint utc_offset = local_utc_offset (now);
  gboolean ok;

  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), FALSE);

  if (!_byline_moderator_check_open (self, error))
    return FALSE;
  if (n_ids == 0 || reason == NULL || reason[0] == '\0')
    return TRUE;
  if (!(first = byline_comment_store_load (self->comments, ids[0], error)) ||
      !(slug = check_reason (self, first->account_id, decision, reason, error)))
    return FALSE;
  /* The decision itself is written first, if it still waits. */
  _byline_moderator_write_all (self);

  if (!(conn = _byline_store_lock (self->store, error)))
    return FALSE;
  ok = byline_sqlite_connection_begin (conn, error);
  for (guint i = 0; ok && i < n_ids; i++)
    {
      g_autoptr(GError) local_error = NULL;
      BylineStoreCommentState state;
      const char *restore_after;
      Wanted wanted;

      if (!byline_store_comments_table_read_state (conn, ids[i], &state, &local_error))
        {
          /* Gone from the store meanwhile: nothing to give a reason to. */
          if ((ok = local_error == NULL))
            continue;
          g_propagate_error (error, g_steal_pointer (&local_error));
          break;
        }
      if (!decision_wanted (state.status, state.restore_status, decision, &wanted,
                            &restore_after) ||
          g_strcmp0 (state.status, wanted.status) != 0)
        continue;
      /* Tied to the entry that sends the decision, the reason is confirmed with it; with
       * nothing waiting, the site already has the decision. */
      ok = byline_store_comments_table_set_status (conn, ids[i], state.status,
                                                   state.restore_status, slug, error) &&
           byline_store_moderation_log_table_add (conn, ids[i], now, utc_offset, "reason",
                                                  state.status, slug, state.last_action,
                                                  wanted.action, wanted.value,
                                                  state.last_action == 0 ? now : 0, error);
    }
  ok = ok && byline_sqlite_connection_commit (conn, error);
  if (!ok)
    byline_sqlite_connection_rollback (conn);
  _byline_store_unlock (self->store);
  return ok;
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
  byline_moderator_decide_with_reason_async (self, view, comments, n_comments, decision, NULL,
                                             callback, user_data);
}

void
byline_moderator_decide_with_reason_async (BylineModerator           *self,
                                           const BylineCommentFilter *view,
                                           const BylineCommentKey    *comments,
                                           guint                      n_comments,
                                           BylineDecision             decision,
                                           const char                *reason,
                                           GAsyncReadyCallback        callback,
                                           gpointer                   user_data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *slug = NULL;
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
  if (!(slug = check_reason (self, view->account_id, decision, reason, &error)))
    {
      g_task_report_error (self, callback, user_data, byline_moderator_decide_async,
                           g_steal_pointer (&error));
      return;
    }
  job = decide_job_new (self, comments, n_comments, decision, slug);
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

  if (!_byline_moderator_check_open (self, error))
    return FALSE;
  /* What was accepted before goes first. */
  _byline_moderator_write_all (self);
  g_queue_push_tail (&self->jobs, job_new (self, JOB_UNDO));
  job = run_job (self, -1);
  _byline_moderator_pump (self);
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
