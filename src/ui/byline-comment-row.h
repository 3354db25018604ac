/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment-row.h: one comment in the moderation queue: author, when, the first words. */
#pragma once

#include <gtk/gtk.h>

#include "byline-comment.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_COMMENT_ROW (byline_comment_row_get_type ())
G_DECLARE_FINAL_TYPE (BylineCommentRow, byline_comment_row, BYLINE, COMMENT_ROW, GtkWidget)

GtkWidget *byline_comment_row_new         (void);
/* @show_status: the status is shown when the view mixes them (All). */
void       byline_comment_row_set_comment (BylineCommentRow *self,
                                           BylineComment    *comment,
                                           gboolean          show_status,
                                           gboolean          checked);
/* The name of the policy reason the comment's status carries, shown as a small label (NULL or
 * "": none). After byline_comment_row_set_comment (). */
void       byline_comment_row_set_reason  (BylineCommentRow *self,
                                           const char       *reason);
const char *byline_comment_row_get_reason (BylineCommentRow *self);
/* What a screen reader says for the comment: author, status, when and first words. */
const char *byline_comment_row_get_accessible_label (BylineCommentRow *self);

/* A person's word for a comment status ("Pending", "Approved", …). */
const char *byline_comment_status_label   (const char       *status);
/* "3 hours ago", "yesterday", or the date, from a Unix time. */
char       *byline_comment_dup_relative_time (gint64         unix_time);

G_END_DECLS
