/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment-store.h: the comments of every site, kept in the drafts database: what the
 * Comments view shows, what the moderator changes first and what the sync fills in. */
#pragma once

#include <gio/gio.h>

#include "byline-comment.h"
#include "byline-store.h"

G_BEGIN_DECLS

/* The moderation views, as in wp-admin. ALL is WordPress's "All": pending and approved. */
typedef enum {
  BYLINE_COMMENT_VIEW_PENDING,
  BYLINE_COMMENT_VIEW_APPROVED,
  BYLINE_COMMENT_VIEW_SPAM,
  BYLINE_COMMENT_VIEW_TRASH,
  BYLINE_COMMENT_VIEW_ALL,
  BYLINE_COMMENT_N_VIEWS,
} BylineCommentView;

/* Which comments a view shows. Start from { 0 }. */
typedef struct {
  gint64             account_id;
  BylineCommentView  view;
  gint64             post_id;       /* 0: every post */
  const char        *search;        /* author, e-mail, address, IP or text; NULL or "": all */
  gboolean           oldest_first;  /* newest first otherwise */
} BylineCommentFilter;

/* One place in a view's order, and the status the view shows there. */
typedef struct {
  gint64      id;
  gint64      date_unix;
  const char *status;               /* interned */
} BylineCommentKey;

/* A comment a decision was taken on that is not written yet (the moderator writes a big one a
 * slice at a time): what the views show meanwhile, and what the store holds until then. */
typedef struct {
  gint64      id;
  gint64      account_id;
  gint64      date_unix;
  const char *status;               /* interned; NULL: out of spam or trash, back to where it
                                       was (only the store knows where) */
  const char *stored_status;        /* interned; what the store holds now; NULL: not known */
  guint       serial;               /* the decision's */
} BylineCommentExpected;

/* A comment a slice of a decision has just written. */
typedef struct {
  gint64      id;
  gint64      account_id;           /* 0: gone */
  const char *status;               /* interned; what the store holds now; NULL: gone */
  gboolean    changed;              /* FALSE: left as it was (already so, or not for it) */
} BylineCommentWritten;

/* Comments that changed, by site: gathered, then told to the views with one ::changed for each
 * site (byline_comment_store_emit_changes ()). */
typedef struct _BylineCommentChanges BylineCommentChanges;

BylineCommentChanges *byline_comment_changes_new  (void);
void                  byline_comment_changes_add  (BylineCommentChanges *changes,
                                                   gint64                account_id,
                                                   gint64                id);
void                  byline_comment_changes_free (BylineCommentChanges *changes);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineCommentChanges, byline_comment_changes_free)

/* A post that has comments, for the post filter. */
typedef struct {
  gint64  post_id;
  char   *title;                    /* "" when unknown */
  char   *link;
  guint   n_comments;
} BylineCommentPost;

void byline_comment_post_free (BylineCommentPost *post);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineCommentPost, byline_comment_post_free)

#define BYLINE_TYPE_COMMENT_STORE (byline_comment_store_get_type ())
G_DECLARE_FINAL_TYPE (BylineCommentStore, byline_comment_store, BYLINE, COMMENT_STORE, GObject)

BylineCommentStore *byline_comment_store_new            (BylineStore         *store);
BylineStore        *byline_comment_store_get_store      (BylineCommentStore  *self);

/* Keeps what the site says about @comments (BylineComment from byline_comment_new_from_json) of
 * @account_id, in one transaction: new ones are added, known ones updated. A comment with a
 * decision still on its way keeps the decided status (only its remote status changes).
 * @n_new_held (nullable) counts the comments held for moderation that were not known before. */
gboolean        byline_comment_store_upsert             (BylineCommentStore  *self,
                                                         gint64               account_id,
                                                         GPtrArray           *comments,
                                                         guint               *n_new_held,
                                                         GError             **error);
/* Forgets the comments of @account_id whose remote id is not in @seen (a set of gint64 remote
 * ids): they were deleted on the site. Comments with something waiting in the outbox stay.
 * Returns how many were removed, or -1 on error. */
gint            byline_comment_store_remove_unseen      (BylineCommentStore  *self,
                                                         gint64               account_id,
                                                         GHashTable          *seen,
                                                         GError             **error);
/* Forgets one comment that is gone from the site, with what waits for it in the outbox. */
gboolean        byline_comment_store_remove             (BylineCommentStore  *self,
                                                         gint64               id,
                                                         GError             **error);
gboolean        byline_comment_store_set_post           (BylineCommentStore  *self,
                                                         gint64               account_id,
                                                         gint64               post_id,
                                                         const char          *title,
                                                         const char          *link,
                                                         GError             **error);
/* Posts with comments but no title yet: their ids, as gint64. */
GArray         *byline_comment_store_list_untitled_posts (BylineCommentStore *self,
                                                         gint64               account_id,
                                                         GError             **error);

BylineComment  *byline_comment_store_load               (BylineCommentStore  *self,
                                                         gint64               id,
                                                         GError             **error);
/* NULL without an error when the store has no such comment. */
BylineComment  *byline_comment_store_find               (BylineCommentStore  *self,
                                                         gint64               account_id,
                                                         gint64               remote_id,
                                                         GError             **error);
/* The comments @filter shows, in its order, as BylineCommentKey. */
GArray         *byline_comment_store_query              (BylineCommentStore  *self,
                                                         const BylineCommentFilter *filter,
                                                         GError             **error);
/* Whether comment @id belongs in @filter's view; its key in @key (nullable) when it does. */
gboolean        byline_comment_store_matches            (BylineCommentStore  *self,
                                                         gint64               id,
                                                         const BylineCommentFilter *filter,
                                                         BylineCommentKey    *key);
/* How many comments each view holds, for @account_id and @post_id (0: every post). */
gboolean        byline_comment_store_count              (BylineCommentStore  *self,
                                                         gint64               account_id,
                                                         gint64               post_id,
                                                         guint                counts[BYLINE_COMMENT_N_VIEWS],
                                                         GError             **error);
/* Comments by the author of @comment (same e-mail, or same name when there is no e-mail),
 * newest first, at most @limit, @comment itself left out. */
GPtrArray      *byline_comment_store_list_by_author     (BylineCommentStore  *self,
                                                         BylineComment       *comment,
                                                         guint                limit,
                                                         GError             **error);
/* The replies to @comment (not deleted), oldest first, at most @limit: the thread under it.
 * Replies not yet on the site are there too. */
GPtrArray      *byline_comment_store_list_replies       (BylineCommentStore  *self,
                                                         BylineComment       *comment,
                                                         guint                limit,
                                                         GError             **error);
/* Posts that have comments, most commented first, as BylineCommentPost. */
GPtrArray      *byline_comment_store_list_posts         (BylineCommentStore  *self,
                                                         gint64               account_id,
                                                         GError             **error);
/* The newest comment date (date_gmt) known for @account_id, or NULL when there is none. */
char           *byline_comment_store_dup_newest_date    (BylineCommentStore  *self,
                                                         gint64               account_id,
                                                         GError             **error);
/* Remote ids of @account_id's comments the site last said were @remote_status, as gint64. */
GArray         *byline_comment_store_list_remote_ids    (BylineCommentStore  *self,
                                                         gint64               account_id,
                                                         const char          *remote_status,
                                                         GError             **error);

/* For the classes that change comments: tells the views. @ids (gint64, local) are the comments
 * that changed, NULL when too many did to list. */
void            byline_comment_store_emit_changed       (BylineCommentStore  *self,
                                                         gint64               account_id,
                                                         GArray              *ids);
void            byline_comment_store_emit_changes       (BylineCommentStore  *self,
                                                         BylineCommentChanges *changes);

/* For BylineModerator. Until settled, every read (a comment, a view, the counts) shows the
 * comments of @expected as decided, and ::changed tells the views at once. One that has an
 * expectation already keeps what that one knew of the store. */
void            byline_comment_store_expect             (BylineCommentStore  *self,
                                                         const BylineCommentExpected *expected,
                                                         guint                n_expected);
/* Decision @serial is written for @written: their expectations go (a later decision's stays,
 * and learns what the store now holds). ::changed names the comments that are not what the
 * views were shown (NULL status expected, a comment gone, one with no expectation); those
 * written as shown are not named (the decision tells the views once all is written). */
void            byline_comment_store_settle             (BylineCommentStore  *self,
                                                         guint                serial,
                                                         const BylineCommentWritten *written,
                                                         guint                n_written);
/* Decision @serial is over: its expectations for the comments of @changes (those it did not
 * write after all: it did not apply to them, or it failed) go, and one ::changed a site has
 * the views read all of them again. */
void            byline_comment_store_forget             (BylineCommentStore  *self,
                                                         guint                serial,
                                                         BylineCommentChanges *changes);
/* The expectation for comment @id, if there is one. */
gboolean        byline_comment_store_get_expected       (BylineCommentStore  *self,
                                                         gint64               id,
                                                         BylineCommentExpected *expected);

G_END_DECLS
