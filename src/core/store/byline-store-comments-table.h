/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-comments-table.h: the SQL of the comments table, the sites' comments as the
 * Comments view shows them. Every function takes the store's locked connection. */
#pragma once

#include "byline-comment-store.h"
#include "byline-sqlite-connection.h"

G_BEGIN_DECLS

/* A comment as a decision reads it: its status and what waits in the moderation outbox for it. */
typedef struct {
  gint64   account_id;
  gint64   post_id;
  gint64   date_unix;
  char     status[32];
  char     remote_status[32];
  char     restore_status[32];
  gint64   last_action;       /* the newest entry waiting for it, 0: none */
  char     last_kind[8];      /* its action */
  gboolean last_sent;
  guint    n_waiting;
  gboolean has_failed;        /* an entry the site refused is kept for it */
  char     reason[64];        /* the slug of its decision's policy reason, "" for none */
} BylineStoreCommentState;

/* Comment @id with its post and outbox state; NULL without an error when there is none. */
BylineComment *byline_store_comments_table_load               (BylineSqliteConnection  *conn,
                                                               gint64                   id,
                                                               GError                 **error);
BylineComment *byline_store_comments_table_find_remote        (BylineSqliteConnection  *conn,
                                                               gint64                   account_id,
                                                               gint64                   remote_id,
                                                               GError                 **error);
/* The local id of the comment the site knows as @remote_id; 0 when there is none (or on an
 * error, then set). */
gint64         byline_store_comments_table_lookup_id          (BylineSqliteConnection  *conn,
                                                               gint64                   account_id,
                                                               gint64                   remote_id,
                                                               GError                 **error);
/* Adds @comment as the site has it, or updates the one kept; its status stays the decided one
 * when @keep_status or while a decision on it waits to be sent. Returns its local id, 0 on an
 * error. */
gint64         byline_store_comments_table_upsert             (BylineSqliteConnection  *conn,
                                                               gint64                   account_id,
                                                               BylineComment           *comment,
                                                               gboolean                 keep_status,
                                                               gint64                   seen_at,
                                                               GError                 **error);
/* Forgets the comment the site no longer has, unless a decision on it waits to be sent; the
 * rows removed (0 or 1), -1 on an error. */
gint64         byline_store_comments_table_delete_unseen      (BylineSqliteConnection  *conn,
                                                               gint64                   account_id,
                                                               gint64                   remote_id,
                                                               GError                 **error);
gboolean       byline_store_comments_table_delete             (BylineSqliteConnection  *conn,
                                                               gint64                   id,
                                                               GError                 **error);
/* Forgets the copy of the site's comment @remote_id (a sync brought in a reply the moderator
 * is about to give that id). */
gboolean       byline_store_comments_table_delete_remote      (BylineSqliteConnection  *conn,
                                                               gint64                   account_id,
                                                               gint64                   remote_id,
                                                               GError                 **error);
/* gint64 remote ids of a site's comments, of the site's @status only unless NULL. */
GArray        *byline_store_comments_table_list_remote_ids    (BylineSqliteConnection  *conn,
                                                               gint64                   account_id,
                                                               const char              *status,
                                                               GError                 **error);
/* The BylineCommentKey of @filter's comments, in its order: of its view when @by_view, else of
 * every status in its post and search. */
GArray        *byline_store_comments_table_query_keys         (BylineSqliteConnection     *conn,
                                                               const BylineCommentFilter  *filter,
                                                               gboolean                    by_view,
                                                               GError                    **error);
/* Whether comment @id is in @filter's post and search, whatever its status; @key gets its date
 * and stored status. */
gboolean       byline_store_comments_table_find_in_filter     (BylineSqliteConnection     *conn,
                                                               gint64                      id,
                                                               const BylineCommentFilter  *filter,
                                                               BylineCommentKey           *key,
                                                               GError                    **error);
/* How many comments of a site (of @post_id only, unless 0) each status has: interned status
 * → GUINT_TO_POINTER (count). */
GHashTable    *byline_store_comments_table_count_by_status    (BylineSqliteConnection  *conn,
                                                               gint64                   account_id,
                                                               gint64                   post_id,
                                                               GError                 **error);
/* BylineCommentKey (id and interned status) of every comment of a post. */
GArray        *byline_store_comments_table_list_post_keys     (BylineSqliteConnection  *conn,
                                                               gint64                   account_id,
                                                               gint64                   post_id,
                                                               GError                 **error);
/* The newest @limit comments of a site by the same author, by @author_email when it has one,
 * else by @author_name; @comment itself and those deleted for good left out. */
GPtrArray     *byline_store_comments_table_list_by_author     (BylineSqliteConnection  *conn,
                                                               BylineComment           *comment,
                                                               guint                    limit,
                                                               GError                 **error);
/* The first @limit replies to the site's comment @parent_id (its id on the site), oldest
 * first. */
GPtrArray     *byline_store_comments_table_list_replies       (BylineSqliteConnection  *conn,
                                                               gint64                   account_id,
                                                               gint64                   parent_id,
                                                               guint                    limit,
                                                               GError                 **error);
/* The date_gmt of a site's newest comment; NULL without an error when there is none. */
char          *byline_store_comments_table_dup_newest_date    (BylineSqliteConnection  *conn,
                                                               gint64                   account_id,
                                                               GError                 **error);

/* What a decision reads of comment @id; FALSE without an error when there is none. */
gboolean       byline_store_comments_table_read_state         (BylineSqliteConnection   *conn,
                                                               gint64                    id,
                                                               BylineStoreCommentState  *state,
                                                               GError                  **error);
/* The status shown, and where a restore goes back to (@restore). */
gboolean       byline_store_comments_table_set_status         (BylineSqliteConnection  *conn,
                                                               gint64                   id,
                                                               const char              *status,
                                                               const char              *restore,
                                                               const char              *reason,
                                                               GError                 **error);
/* The slug of comment @id's policy reason ("" for none); NULL when there is no such comment
 * (without an error) or on an error. */
char          *byline_store_comments_table_get_reason         (BylineSqliteConnection  *conn,
                                                               gint64                   id,
                                                               GError                 **error);
/* Shows what the site has again (a decision it refused); nothing for a comment it never had. */
gboolean       byline_store_comments_table_show_remote_status (BylineSqliteConnection  *conn,
                                                               gint64                   id,
                                                               GError                 **error);
/* The site's status; shown too unless @keep_shown (a later decision waits). */
gboolean       byline_store_comments_table_set_remote_status  (BylineSqliteConnection  *conn,
                                                               gint64                   id,
                                                               const char              *status,
                                                               gboolean                 keep_shown,
                                                               GError                 **error);
/* A reply, approved, to comment @parent_id, not on the site yet: its local id, 0 on an error
 * (NOT_FOUND when the parent is gone). */
gint64         byline_store_comments_table_add_reply          (BylineSqliteConnection  *conn,
                                                               gint64                   parent_id,
                                                               const char              *author_name,
                                                               const char              *date_gmt,
                                                               const char              *html,
                                                               const char              *text,
                                                               GError                 **error);
/* An edit: the raw text and the plain text, before the site renders it. */
gboolean       byline_store_comments_table_set_raw_text       (BylineSqliteConnection  *conn,
                                                               gint64                   id,
                                                               const char              *raw,
                                                               GError                 **error);
gboolean       byline_store_comments_table_set_remote_id      (BylineSqliteConnection  *conn,
                                                               gint64                   id,
                                                               gint64                   remote_id,
                                                               GError                 **error);
/* What the site made of a reply or an edit. */
gboolean       byline_store_comments_table_set_rendered       (BylineSqliteConnection  *conn,
                                                               gint64                   id,
                                                               BylineComment           *rendered,
                                                               GError                 **error);

G_END_DECLS
