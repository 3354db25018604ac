/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-comment-posts-table.h: the SQL of the comment_posts table, the titles and
 * addresses of the posts that have comments. Every function takes the store's locked
 * connection. */
#pragma once

#include "byline-comment-store.h"
#include "byline-sqlite-connection.h"

G_BEGIN_DECLS

/* Keeps what the site calls post @post_id and where it is. */
gboolean   byline_store_comment_posts_table_set             (BylineSqliteConnection  *conn,
                                                             gint64                   account_id,
                                                             gint64                   post_id,
                                                             const char              *title,
                                                             const char              *link,
                                                             GError                 **error);
/* gint64 ids of the site's posts that have comments and no title kept yet, in order. */
GArray    *byline_store_comment_posts_table_list_untitled   (BylineSqliteConnection  *conn,
                                                             gint64                   account_id,
                                                             GError                 **error);
/* BylineCommentPost of every post with comments (deleted ones aside), the most commented
 * first. */
GPtrArray *byline_store_comment_posts_table_list_commented  (BylineSqliteConnection  *conn,
                                                             gint64                   account_id,
                                                             GError                 **error);

G_END_DECLS
