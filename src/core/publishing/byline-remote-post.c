/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-remote-post.c: the post on a site that a draft is linked to. */

#include "config.h"

#include "byline-remote-post.h"

void
byline_remote_post_clear (BylineRemotePost *remote)
{
  g_return_if_fail (remote != NULL);

  g_clear_pointer (&remote->status, g_free);
  g_clear_pointer (&remote->link, g_free);
  g_clear_pointer (&remote->modified_gmt, g_free);
  remote->draft_id = remote->account_id = remote->remote_id = 0;
}
