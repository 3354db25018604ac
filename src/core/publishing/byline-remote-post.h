/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-remote-post.h: the post on a site that a draft is linked to. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Start from { 0 }; g_auto() clears it. */
typedef struct {
  gint64  draft_id;
  gint64  account_id;
  gint64  remote_id;
  char   *status;        /* the post's status when last sent ("draft", "publish", "trash", …) */
  char   *link;
  char   *modified_gmt;  /* what the next update compares the site's post with */
} BylineRemotePost;

void byline_remote_post_clear (BylineRemotePost *remote);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BylineRemotePost, byline_remote_post_clear)

G_END_DECLS
