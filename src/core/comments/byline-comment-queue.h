/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment-queue.h: a GListModel of the comments one view shows (BylineComment items),
 * read from the store and kept in step with its changes. */
#pragma once

#include <gio/gio.h>

#include "byline-comment-store.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_COMMENT_QUEUE (byline_comment_queue_get_type ())
G_DECLARE_FINAL_TYPE (BylineCommentQueue, byline_comment_queue, BYLINE, COMMENT_QUEUE, GObject)

BylineCommentQueue *byline_comment_queue_new         (BylineCommentStore        *store);
/* Shows what @filter selects (copied). Reads the store again and replaces every item. */
gboolean            byline_comment_queue_set_filter  (BylineCommentQueue        *self,
                                                      const BylineCommentFilter *filter,
                                                      GError                   **error);
const BylineCommentFilter *byline_comment_queue_get_filter (BylineCommentQueue *self);
/* Where comment @id is in the list, or -1. */
gint                byline_comment_queue_find        (BylineCommentQueue        *self,
                                                      gint64                     id);
gint64              byline_comment_queue_get_id      (BylineCommentQueue        *self,
                                                      guint                      position);
/* Comment @id as the store holds it now (read at most once between two changes). */
BylineComment      *byline_comment_queue_dup_comment (BylineCommentQueue        *self,
                                                      gint64                     id,
                                                      GError                   **error);
/* Where the comment at @position is in the view's order, and the status shown for it. */
const BylineCommentKey *byline_comment_queue_get_key (BylineCommentQueue        *self,
                                                      guint                      position);

G_END_DECLS
