/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-moderator.h: moderation decisions, replies and edits: applied to the store at once,
 * written to the moderation outbox, sent to the site in the background, confirmed or undone. */
#pragma once

#include <gio/gio.h>

#include "byline-accounts.h"
#include "byline-comment-store.h"

G_BEGIN_DECLS

#define BYLINE_MODERATOR_ERROR (byline_moderator_error_quark ())

typedef enum {
  BYLINE_MODERATOR_ERROR_NOTHING_TO_UNDO,
  BYLINE_MODERATOR_ERROR_ALREADY_DELETED, /* undo of a permanent delete the site already did */
  BYLINE_MODERATOR_ERROR_INVALID,         /* an empty reply, a reply to an unsent comment, … */
} BylineModeratorError;

typedef enum {
  BYLINE_DECISION_APPROVE,
  BYLINE_DECISION_UNAPPROVE,   /* back to pending */
  BYLINE_DECISION_SPAM,
  BYLINE_DECISION_TRASH,
  BYLINE_DECISION_RESTORE,     /* out of spam or trash, to where it was */
  BYLINE_DECISION_DELETE,      /* for good: only from spam or trash; cannot be undone once sent */
} BylineDecision;

/* Requests in flight at once: WordPress has no batch for comments, and a few workers. */
#define BYLINE_MODERATOR_DEFAULT_IN_FLIGHT 4

#define BYLINE_TYPE_MODERATOR (byline_moderator_get_type ())
G_DECLARE_FINAL_TYPE (BylineModerator, byline_moderator, BYLINE, MODERATOR, GObject)

GQuark           byline_moderator_error_quark    (void);
BylineModerator *byline_moderator_new            (BylineCommentStore *comments,
                                                  BylineAccounts     *accounts);
void             byline_moderator_set_timeout    (BylineModerator    *self,
                                                  guint               seconds);
void             byline_moderator_set_in_flight  (BylineModerator    *self,
                                                  guint               requests);

/* Applies @decision to the comments @ids (local ids) in the store, in one transaction, and
 * queues it for the site; one undo step. A decision that undoes one not yet sent cancels it
 * instead, so nothing is sent at all. The store's "changed" tells the views. Decisions accepted
 * by byline_moderator_decide_async () are written first. */
gboolean         byline_moderator_decide         (BylineModerator    *self,
                                                  const gint64       *ids,
                                                  guint               n_ids,
                                                  BylineDecision      decision,
                                                  GError            **error);
/* The same, carrying a policy reason of the comments' site (its slug or its name, see
 * byline-moderation-reasons.h; NULL or "" for none): only a rejection (spam, trash, unapprove)
 * may carry one, and only one on the site's list, else INVALID. The reason
 * is the comment's until another decision, and an undo takes it back with the decision. */
gboolean         byline_moderator_decide_with_reason (BylineModerator *self,
                                                      const gint64    *ids,
                                                      guint            n_ids,
                                                      BylineDecision   decision,
                                                      const char      *reason,
                                                      GError         **error);
/* Gives the rejection just made on comments @ids (still @decision's status) its policy
 * @reason, chosen a moment after the key: one trail entry each ("reason"), tied to what the
 * decision sends, in one transaction. Nothing more goes to the site, and the undo of the
 * decision takes the reason back with it. Comments no longer so are left alone. */
gboolean         byline_moderator_give_reason      (BylineModerator *self,
                                                    const gint64    *ids,
                                                    guint            n_ids,
                                                    BylineDecision   decision,
                                                    const char      *reason,
                                                    GError         **error);
/* The same decision, for a view: the comments as @view shows them (their keys and statuses),
 * shown as decided at once (the comment store's expectations), and written a few milliseconds
 * at a time between frames, each comment's status and outbox entry in the same transaction; a
 * few (a key pressed on one) are written before it returns. Decisions and undos are written in
 * the order they were made. Completes when all are in the store. Not cancellable: the view
 * already shows it done. */
void             byline_moderator_decide_async   (BylineModerator    *self,
                                                  const BylineCommentFilter *view,
                                                  const BylineCommentKey    *comments,
                                                  guint               n_comments,
                                                  BylineDecision      decision,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
/* byline_moderator_decide_async () with a reason, as byline_moderator_decide_with_reason (). */
void             byline_moderator_decide_with_reason_async (BylineModerator           *self,
                                                            const BylineCommentFilter *view,
                                                            const BylineCommentKey    *comments,
                                                            guint                      n_comments,
                                                            BylineDecision             decision,
                                                            const char                *reason,
                                                            GAsyncReadyCallback        callback,
                                                            gpointer                   user_data);
gboolean         byline_moderator_decide_finish  (BylineModerator    *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);
gboolean         byline_moderator_can_undo       (BylineModerator    *self);
/* Puts the comments of the last step back as they were (itself a decision, sent like one).
 * @ids (nullable) gets the comments it touched (gint64), for the view to select. */
gboolean         byline_moderator_undo           (BylineModerator    *self,
                                                  GArray            **ids,
                                                  GError            **error);
/* The same, written like byline_moderator_decide_async (): after the decisions made before it,
 * even those not all written yet, and shown at once. */
void             byline_moderator_undo_async     (BylineModerator    *self,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean         byline_moderator_undo_finish    (BylineModerator    *self,
                                                  GAsyncResult       *result,
                                                  GArray            **ids,
                                                  GError            **error);
/* Whether decisions or undos accepted are still being written. */
gboolean         byline_moderator_is_deciding    (BylineModerator    *self);
/* Before the store closes: writes now every decision and undo accepted (their calls complete),
 * stops sending (requests out are dropped; their entries wait for the next start) and takes
 * nothing more: later calls fail with G_IO_ERROR_CLOSED. */
void             byline_moderator_close          (BylineModerator    *self);
gboolean         byline_moderator_is_closed      (BylineModerator    *self);
/* A reply as the signed-in user, shown at once (approved) and created on the site later.
 * Returns the reply's local id, or 0. */
gint64           byline_moderator_reply          (BylineModerator    *self,
                                                  gint64              parent_id,
                                                  const char         *text,
                                                  const char         *author_name,
                                                  GError            **error);
/* Replaces a comment's text. */
gboolean         byline_moderator_edit           (BylineModerator    *self,
                                                  gint64              id,
                                                  const char         *text,
                                                  GError            **error);
/* How many decisions, replies and edits wait to be sent (0: every site). */
guint            byline_moderator_count_waiting  (BylineModerator    *self,
                                                  gint64              account_id);

/* Makes the changes of @account_id (0: every site) that wait for their backoff due at once: a
 * person asked to send now, and the site may be back. */
void             byline_moderator_retry_now      (BylineModerator    *self,
                                                  gint64              account_id);

/* Sends what is due, a few requests at a time, each comment's changes in the order they were
 * made. A change the site confirms updates the comment's remote status; one it refuses puts the
 * comment back as the site has it and is reported with ::action-failed; a comment gone from the
 * site leaves the store with ::comment-gone. A network failure, a timeout or a 5xx keeps the
 * change for later (with backoff) and ends the run with that error, as does a refused password
 * (the changes then wait until the account is fixed). Completes when nothing is due. */
void             byline_moderator_process_async  (BylineModerator    *self,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean         byline_moderator_process_finish (BylineModerator    *self,
                                                  GAsyncResult       *result,
                                                  GError            **error);
gboolean         byline_moderator_is_processing  (BylineModerator    *self);

G_END_DECLS
