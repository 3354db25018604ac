/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment-detail.h: one comment in full, safely rendered, with who wrote it, where, in
 * reply to what, the author's other comments, and a box to reply or edit. */
#pragma once

#include <adwaita.h>

#include "byline-comment.h"
#include "byline-comment-history.h"
#include "byline-store.h"

G_BEGIN_DECLS

typedef enum {
  BYLINE_COMPOSE_REPLY,
  BYLINE_COMPOSE_EDIT,
} BylineComposeMode;

#define BYLINE_TYPE_COMMENT_DETAIL (byline_comment_detail_get_type ())
G_DECLARE_FINAL_TYPE (BylineCommentDetail, byline_comment_detail, BYLINE, COMMENT_DETAIL, GtkWidget)

/* @comment NULL shows that none is selected; @parent, @replies (the thread under it) and
 * @others (the author's other comments), all BylineComment, nullable. */
void     byline_comment_detail_set_comment     (BylineCommentDetail *self,
                                                BylineComment       *comment,
                                                BylineComment       *parent,
                                                GPtrArray           *replies,
                                                GPtrArray           *others);
BylineComment *byline_comment_detail_get_comment (BylineCommentDetail *self);
/* The comment's moderation history, under its actions; the page fills it. */
BylineCommentHistory *byline_comment_detail_get_history (BylineCommentDetail *self);
/* Opens the reply or edit box with @text and focuses it. ::send (mode, text) on Ctrl+Return or
 * the button; Escape or Cancel closes it. */
void     byline_comment_detail_compose         (BylineCommentDetail *self,
                                                BylineComposeMode    mode,
                                                const char          *text);
void     byline_comment_detail_close_compose   (BylineCommentDetail *self);
gboolean byline_comment_detail_is_composing    (BylineCommentDetail *self);
/* Where the site's canned replies are kept, for the reply box. */
void     byline_comment_detail_set_store       (BylineCommentDetail *self,
                                                BylineStore         *store);
/* What the content label shows (Pango markup), for tests. */
const char *byline_comment_detail_get_content_markup (BylineCommentDetail *self);

G_END_DECLS
