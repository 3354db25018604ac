/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comments-page.h: the Comments view: a site's moderation queue, driven by the keys
 * moderators know from WordPress, with the comment in full beside it. */
#pragma once

#include <adwaita.h>

#include "byline-accounts.h"
#include "byline-comment-store.h"
#include "byline-comment-sync.h"
#include "byline-moderator.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_COMMENTS_PAGE (byline_comments_page_get_type ())
G_DECLARE_FINAL_TYPE (BylineCommentsPage, byline_comments_page, BYLINE, COMMENTS_PAGE, GtkWidget)

/* Starts showing the comments of the @accounts that may moderate: syncs them with @sync and
 * sends decisions with @moderator, all over @comments. */
void byline_comments_page_load        (BylineCommentsPage *self,
                                       BylineCommentStore *comments,
                                       BylineModerator    *moderator,
                                       BylineCommentSync  *sync,
                                       BylineAccounts     *accounts);
/* Moves the keyboard focus to the queue, where the moderation keys act. */
void byline_comments_page_focus_queue (BylineCommentsPage *self);

G_END_DECLS
