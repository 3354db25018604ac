/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment-history.h: in the detail pane, the comment's moderation history: every decision
 * on it, by whom, when (local time), why, and whether the site confirmed it. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BYLINE_TYPE_COMMENT_HISTORY (byline_comment_history_get_type ())
G_DECLARE_FINAL_TYPE (BylineCommentHistory, byline_comment_history, BYLINE, COMMENT_HISTORY, GtkWidget)

GtkWidget  *byline_comment_history_new         (void);
/* Empties the history; @reason (nullable) is the reason the comment's status carries now. */
void        byline_comment_history_reset       (BylineCommentHistory *self,
                                                const char           *reason);
/* One entry, oldest first: @action ("Marked as spam"), @who (the site user), @unix_time (UTC
 * seconds, shown in local time), @reason and @state ("Confirmed by the site"…), both nullable. */
void        byline_comment_history_add         (BylineCommentHistory *self,
                                                const char           *action,
                                                const char           *who,
                                                gint64                unix_time,
                                                const char           *reason,
                                                const char           *state);
/* The reason shown, or NULL; and what the entries say (one line each), for tests. */
const char *byline_comment_history_get_reason  (BylineCommentHistory *self);
char       *byline_comment_history_dup_text    (BylineCommentHistory *self);

G_END_DECLS
