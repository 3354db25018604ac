/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment.h: one reader comment on a site, as the store holds it. Read-only: changes go
 * through BylineModerator (decisions) and BylineCommentSync (what the site says). */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* WordPress's comment statuses, as the REST API spells them. */
#define BYLINE_COMMENT_STATUS_HOLD     "hold"
#define BYLINE_COMMENT_STATUS_APPROVED "approved"
#define BYLINE_COMMENT_STATUS_SPAM     "spam"
#define BYLINE_COMMENT_STATUS_TRASH    "trash"
/* Local only: deleted for good by the moderator, gone from every view, on its way to the site. */
#define BYLINE_COMMENT_STATUS_DELETED  "deleted"

/* The interned BYLINE_COMMENT_STATUS_* that @status spells, "" for anything else (NULL, "", a
 * status a plugin made up): statuses compare as pointers, and what a site sends is not kept. */
const char *byline_comment_status_intern (const char *status);
/* Whether @status (nullable) is spam or trash: what can be restored, or deleted for good. */
gboolean    byline_comment_status_is_spam_or_trash (const char *status);

#define BYLINE_TYPE_COMMENT (byline_comment_get_type ())
G_DECLARE_FINAL_TYPE (BylineComment, byline_comment, BYLINE, COMMENT, GObject)

/* From one item of GET /wp/v2/comments?context=edit. NULL when @object lacks an id, a post or a
 * status. Its id and account are 0 until the store keeps it. */
BylineComment *byline_comment_new_from_json      (JsonObject    *object);

gint64      byline_comment_get_id                (BylineComment *self); /* local, in the store */
gint64      byline_comment_get_account_id        (BylineComment *self);
gint64      byline_comment_get_remote_id         (BylineComment *self); /* 0: not yet on the site */
gint64      byline_comment_get_post_id           (BylineComment *self);
gint64      byline_comment_get_parent_id         (BylineComment *self); /* remote id, 0: none */
gint64      byline_comment_get_author_user_id    (BylineComment *self); /* 0: a visitor */
const char *byline_comment_get_author_name       (BylineComment *self);
const char *byline_comment_get_author_email      (BylineComment *self);
const char *byline_comment_get_author_url        (BylineComment *self);
const char *byline_comment_get_author_ip         (BylineComment *self);
const char *byline_comment_get_date_gmt          (BylineComment *self); /* "2013-04-24T06:42:00" */
gint64      byline_comment_get_date_unix         (BylineComment *self);
/* The rendered HTML as the site sent it: untrusted, show it only through BylineCommentHtml. */
const char *byline_comment_get_content           (BylineComment *self);
const char *byline_comment_get_raw              (BylineComment *self);
/* The plain text, for snippets and search. */
const char *byline_comment_get_text              (BylineComment *self);
const char *byline_comment_get_link              (BylineComment *self);
/* What the moderator decided (BYLINE_COMMENT_STATUS_*), shown at once. */
const char *byline_comment_get_status            (BylineComment *self);
/* What the site last said. Differs from the status while a decision is on its way. */
const char *byline_comment_get_remote_status     (BylineComment *self);
/* TRUE while a decision, reply or edit for it waits in the outbox. */
gboolean    byline_comment_get_sending           (BylineComment *self);
/* The last decision the site refused, for a person; "" when none. */
const char *byline_comment_get_last_error        (BylineComment *self);
const char *byline_comment_get_post_title        (BylineComment *self); /* "" when unknown */
const char *byline_comment_get_post_link         (BylineComment *self);

G_END_DECLS
