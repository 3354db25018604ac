/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-remote-posts-table.h: the SQL of the remote_posts table (the post on a site each
 * draft is linked to). */
#pragma once

#include "byline-remote-post.h"
#include "byline-sqlite-connection.h"

G_BEGIN_DECLS

/* Links @draft_id to post @remote_id of @account_id, as it is at @modified_gmt (a draft has one
 * link: to another account, it moves there). */
gboolean byline_store_remote_posts_table_upsert        (BylineSqliteConnection  *conn,
                                                        gint64                   draft_id,
                                                        gint64                   account_id,
                                                        gint64                   remote_id,
                                                        const char              *modified_gmt,
                                                        const char              *status,
                                                        const char              *link,
                                                        GError                 **error);
/* Sets the status of the link of @draft_id, when it is to post @remote_id. */
gboolean byline_store_remote_posts_table_set_status    (BylineSqliteConnection  *conn,
                                                        gint64                   draft_id,
                                                        gint64                   remote_id,
                                                        const char              *status,
                                                        GError                 **error);
/* The link of @draft_id into @remote: FALSE with @error set on a failure, unset when the draft
 * is linked to no post. */
gboolean byline_store_remote_posts_table_load          (BylineSqliteConnection  *conn,
                                                        gint64                   draft_id,
                                                        BylineRemotePost        *remote,
                                                        GError                 **error);
/* The link to post @remote_id of @account_id into @remote, of a draft still listed rather than
 * a deleted one (@deleted says which), else of the most recently modified: FALSE with @error set
 * on a failure, unset when no draft is linked to the post. */
gboolean byline_store_remote_posts_table_find_post     (BylineSqliteConnection  *conn,
                                                        gint64                   account_id,
                                                        gint64                   remote_id,
                                                        BylineRemotePost        *remote,
                                                        gboolean                *deleted,
                                                        GError                 **error);
/* Whether a draft other than @draft_id is linked to post @remote_id of @account_id, in
 * @linked. FALSE on a failure. */
gboolean byline_store_remote_posts_table_is_linked     (BylineSqliteConnection  *conn,
                                                        gint64                   account_id,
                                                        gint64                   remote_id,
                                                        gint64                   draft_id,
                                                        gboolean                *linked,
                                                        GError                 **error);
/* Keeps @base (a JSON object: the post as the site held it when linked) with the link of
 * @draft_id, when it is to post @remote_id. */
gboolean byline_store_remote_posts_table_set_base      (BylineSqliteConnection  *conn,
                                                        gint64                   draft_id,
                                                        gint64                   remote_id,
                                                        const char              *base,
                                                        GError                 **error);
/* The base kept with the link of @draft_id into @base ("" when none was kept): FALSE with
 * @error set on a failure, unset when the draft is linked to no post. */
gboolean byline_store_remote_posts_table_load_base     (BylineSqliteConnection  *conn,
                                                        gint64                   draft_id,
                                                        char                   **base,
                                                        GError                 **error);

G_END_DECLS
