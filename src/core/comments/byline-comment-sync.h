/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment-sync.h: brings a site's comments into the store: all of them the first time,
 * then what changed. */
#pragma once

#include <gio/gio.h>

#include "byline-accounts.h"
#include "byline-comment-store.h"

G_BEGIN_DECLS

/* Pages fetched at once during a full sync. */
#define BYLINE_COMMENT_SYNC_PAGES_IN_FLIGHT 4

typedef enum {
  /* Every comment, page by page; comments the site no longer has leave the store. */
  BYLINE_COMMENT_SYNC_FULL,
  /* What the API lets us ask for cheaply: comments newer than the newest known, and the status
   * of every comment the store thinks is pending (the queue that matters). Status changes made
   * on the site to other comments wait for the next full sync. */
  BYLINE_COMMENT_SYNC_CHANGES,
} BylineCommentSyncMode;

#define BYLINE_TYPE_COMMENT_SYNC (byline_comment_sync_get_type ())
G_DECLARE_FINAL_TYPE (BylineCommentSync, byline_comment_sync, BYLINE, COMMENT_SYNC, GObject)

BylineCommentSync *byline_comment_sync_new         (BylineCommentStore   *comments,
                                                    BylineAccounts       *accounts);
void               byline_comment_sync_set_timeout (BylineCommentSync    *self,
                                                    guint                 seconds);
/* ::progress (guint fetched, guint total) reports each page; total is 0 until known. */
void               byline_comment_sync_run_async   (BylineCommentSync    *self,
                                                    gint64                account_id,
                                                    BylineCommentSyncMode mode,
                                                    GCancellable         *cancellable,
                                                    GAsyncReadyCallback   callback,
                                                    gpointer              user_data);
/* @n_new_held (nullable): comments held for moderation that the store did not know before. */
gboolean           byline_comment_sync_run_finish  (BylineCommentSync    *self,
                                                    GAsyncResult         *result,
                                                    guint                *n_new_held,
                                                    GError              **error);

G_END_DECLS
