/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comments-page-private.h: what the Comments view's files share: its fields, and what
 * its actions (byline-comments-page-actions.c) ask of the page. */
#pragma once

#include "byline-comment-queue.h"
#include "byline-comment-row.h"
#include "byline-comments-page.h"
#include "byline-list-pacer.h"

G_BEGIN_DECLS

struct _BylineCommentsPage
{
  GtkWidget           parent_instance;

  GtkWidget          *page_stack;
  GtkWidget          *account_dropdown;
  GtkWidget          *pending_button;
  GtkWidget          *approved_button;
  GtkWidget          *spam_button;
  GtkWidget          *trash_button;
  GtkWidget          *all_button;
  GtkWidget          *post_dropdown;
  GtkWidget          *search_entry;
  GtkWidget          *order_dropdown;
  GtkWidget          *refresh_button;
  GtkWidget          *status_revealer;
  GtkWidget          *status_label;
  GtkWidget          *progress_bar;
  GtkWidget          *list_stack;
  GtkWidget          *list_view;
  GtkWidget          *empty_page;
  GtkWidget          *detail;
  GtkWidget          *reason_hint_revealer;
  GtkWidget          *reason_hint_label;

  BylineAccounts     *all_accounts;
  BylineCommentStore *comments;
  BylineModerator    *moderator;
  BylineCommentSync  *sync;
  BylineCommentQueue *queue;
  BylineListPacer    *pacer;
  GtkSingleSelection *selection;
  GHashTable         *checked;        /* local ids selected with x */
  GPtrArray          *spare_rows;     /* BylineCommentRow, made and not in the list now */
  GPtrArray          *accounts;       /* BylineAccount that may moderate */
  gint64              account_id;
  GArray             *post_ids;       /* gint64, parallel to the post dropdown (0: all) */
  GCancellable       *cancellable;
  guint               sync_timer_id;
  guint               refresh_idle_id;
  gboolean            syncing;
  gboolean            updating_filters;
  gint64              current_id;     /* the selected comment, kept across reloads */
  gint64              current_when_undone; /* current_id once an undo showed its comments */
  gboolean            queue_changing; /* between the queue's items-changed and its end */
  gboolean            refresh_all;    /* the next refresh counts and redraws too */
  char               *send_error;     /* why the last send stopped, or NULL */
  gboolean            send_error_is_password;
  guint               reason_moment_id; /* a digit gives the decision just made a reason */
  BylineDecision      reason_decision;
  GArray             *reason_keys;      /* BylineCommentKey it was made on */
  GPtrArray          *reasons;          /* BylineModerationReason the digits stand for */
};

/* byline-comments-page.c */

/* The moderation view shown (Pending, Approved…). */
BylineCommentView  _byline_comments_page_get_view             (BylineCommentsPage *self);
guint              _byline_comments_page_get_n_items          (BylineCommentsPage *self);
/* The selected comment as the store holds it now; NULL when none. */
BylineComment     *_byline_comments_page_dup_current          (BylineCommentsPage *self);
void               _byline_comments_page_toast                (BylineCommentsPage *self,
                                                               const char         *message);
void               _byline_comments_page_toast_error          (BylineCommentsPage *self,
                                                               const GError       *error);
/* Shows the selected comment in the detail pane now, not in the next idle. */
void               _byline_comments_page_update_detail        (BylineCommentsPage *self);
/* Binds the rows on screen again (their check marks, their comments). */
void               _byline_comments_page_refresh_visible_rows (BylineCommentsPage *self);
/* Selects the row at @position (the last if past it), scrolls to it and gives it the keys. */
void               _byline_comments_page_select_position      (BylineCommentsPage *self,
                                                               guint               position);
/* Decides on @comments (BylineCommentKey), then selects the comment that now follows the one
 * that was current. */
void               _byline_comments_page_decide               (BylineCommentsPage *self,
                                                               GArray             *comments,
                                                               BylineDecision      decision);
/* The same, carrying the policy reason @reason (a slug; NULL: none). */
void               _byline_comments_page_decide_with_reason   (BylineCommentsPage *self,
                                                               GArray             *comments,
                                                               BylineDecision      decision,
                                                               const char         *reason);
/* Sends what waits in the outbox, unless it is being sent. */
void               _byline_comments_page_ensure_sending       (BylineCommentsPage *self);
/* Asks the site what is new, unless it is being asked. */
void               _byline_comments_page_start_sync           (BylineCommentsPage *self);

/* byline-comments-page-actions.c */

/* Installs the comments.* actions and their keyboard shortcuts. */
void               _byline_comments_page_class_actions_init   (GtkWidgetClass     *widget_class);
/* WordPress's moderation keys, for the page's actions. */
void               _byline_comments_page_actions_init         (BylineCommentsPage *self);

/* byline-comments-page-reasons.c */

/* After a rejection (spam, trash, unapprove) of @comments, shows the reasons with their digits
 * for a short moment; sending waits for it. */
void               _byline_comments_page_offer_reasons        (BylineCommentsPage *self,
                                                               GArray             *comments,
                                                               BylineDecision      decision);
gboolean           _byline_comments_page_in_reason_moment     (BylineCommentsPage *self);
void               _byline_comments_page_end_reason_moment    (BylineCommentsPage *self);
/* A key pressed in the moment: a reason's digit gives it to the decision (TRUE: taken); any
 * other key ends the moment and goes on. */
gboolean           _byline_comments_page_reason_key           (BylineCommentsPage *self,
                                                               guint               keyval);
/* Asks which reason, then makes @decision on @comments with it. */
void               _byline_comments_page_choose_reason        (BylineCommentsPage *self,
                                                               GArray             *comments,
                                                               BylineDecision      decision);
/* The reason of @comment's decision on @row. */
void               _byline_comments_page_show_reason          (BylineCommentsPage *self,
                                                               BylineCommentRow   *row,
                                                               BylineComment      *comment);
/* The comment's history and reason, in the detail pane. */
void               _byline_comments_page_update_history       (BylineCommentsPage *self,
                                                               BylineComment      *comment);
void               _byline_comments_page_edit_reasons         (BylineCommentsPage *self);
void               _byline_comments_page_export_trail         (BylineCommentsPage *self);

G_END_DECLS
