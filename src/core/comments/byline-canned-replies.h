/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-canned-replies.h: the replies a site's moderators keep ready (thank-you, policy
 * reminder...), kept in the store per account, and their placeholders expanded for a comment. */
#pragma once

#include "byline-comment.h"
#include "byline-store.h"

G_BEGIN_DECLS

/* One canned reply. @body may hold {name} and {post}. */
typedef struct {
  gint64  id;
  char   *title;
  char   *body;
} BylineCannedReply;

#define BYLINE_TYPE_CANNED_REPLY (byline_canned_reply_get_type ())
GType              byline_canned_reply_get_type  (void) G_GNUC_CONST;
BylineCannedReply *byline_canned_reply_copy      (const BylineCannedReply *reply);
void               byline_canned_reply_free      (BylineCannedReply       *reply);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineCannedReply, byline_canned_reply_free)

/* BylineCannedReply of @account_id, in their order. An account that has none (a site new to
 * Byline, or one whose moderators removed them all) is given the defaults first, in the user's
 * language: a thank-you, a reminder of the comment policy, and "we have passed this on". */
GPtrArray *byline_canned_replies_list     (BylineStore   *store,
                                           gint64         account_id,
                                           GError       **error);
/* Adds a reply after the others; returns its id, or 0 with @error set (an empty title or body
 * is refused with a message saying so). */
gint64     byline_canned_replies_add      (BylineStore   *store,
                                           gint64         account_id,
                                           const char    *title,
                                           const char    *body,
                                           GError       **error);
gboolean   byline_canned_replies_update   (BylineStore   *store,
                                           gint64         id,
                                           const char    *title,
                                           const char    *body,
                                           GError       **error);
gboolean   byline_canned_replies_remove   (BylineStore   *store,
                                           gint64         id,
                                           GError       **error);
/* Puts the replies of @account_id in the order of @ids (@n_ids of them), in one transaction;
 * replies not in @ids come after them. */
gboolean   byline_canned_replies_reorder  (BylineStore   *store,
                                           gint64         account_id,
                                           const gint64  *ids,
                                           guint          n_ids,
                                           GError       **error);

/* @body with {name} replaced by @comment's author ("Anonymous" when none was given) and {post}
 * by the title of its post as text ("this post" when unknown). The result is plain text, like
 * what goes in: nothing in a name or title is read as markup. Never NULL. */
char      *byline_canned_reply_expand     (const char    *body,
                                           BylineComment *comment);

G_END_DECLS
