/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-remote-import.h: a post on a site becomes a local draft linked to it, once. */
#pragma once

#include <gio/gio.h>

#include "byline-store.h"
#include "byline-wp-client.h"
#include "byline-wp-post.h"

G_BEGIN_DECLS

/* What byline_remote_import_open did. */
typedef enum {
  BYLINE_REMOTE_IMPORT_CREATED,    /* a new draft, linked to the post */
  BYLINE_REMOTE_IMPORT_UNCHANGED,  /* the linked draft already held what the post holds */
  BYLINE_REMOTE_IMPORT_REFRESHED,  /* the linked draft, unedited, now holds the post's new version */
  BYLINE_REMOTE_IMPORT_KEPT_EDITS, /* the linked draft has local edits: nothing was changed */
} BylineRemoteImportOutcome;

/* Reads post @id in edit context with its categories' and tags' names and its author's
 * (_embed=wp:term,author): what byline_remote_import_open wants. The post is a BylineWpPost; errors are the client's. */
void          byline_remote_import_get_post_async  (BylineWpClient            *client,
                                                    gint64                     id,
                                                    GCancellable              *cancellable,
                                                    GAsyncReadyCallback        callback,
                                                    gpointer                   user_data);
BylineWpPost *byline_remote_import_get_post_finish (BylineWpClient            *client,
                                                    GAsyncResult              *result,
                                                    GError                   **error);

/* The local draft for @post, read in edit context from the site of account @account_id.
 *
 * The first time, a new HTML draft: title.raw, content.raw as the body, excerpt.raw, the slug,
 * the categories and tags by name (from the post's _embedded "wp:term", as
 * byline_remote_import_get_post_async reads it; a post read without them gets none, and
 * publishing the draft would then clear them on the site), the author's name as the byline (when
 * embedded), and as publish date the scheduled
 * date of a "future" post, in local time (none for the others: updating a published post keeps
 * its date, a draft's floats). It keeps a revision of that text, and is linked to the post in
 * remote_posts with its status, link and modified_gmt, as publishing links a draft: publishing
 * it updates that post, after the publisher's check that the post's modified_gmt is still this
 * one.
 *
 * Opened again (same account and post id), it is the same draft, brought back if it was deleted;
 * never a second one. Its text is refreshed from @post only when it has no local edits, that is
 * when it still holds exactly what the last import or refresh wrote (title, body, excerpt, slug,
 * categories, tags, publish date and format, remembered as a checksum in the store's meta
 * table), or already what @post holds: then the link moves to @post's modified_gmt, and the
 * previous text stays in the revisions. A draft with local edits is returned as it is, and
 * nothing is refreshed, neither its text nor its link: the link keeps the version the edits
 * started from, so that publishing them meets the conflict check (Keep Mine / Take Theirs)
 * instead of silently overwriting what changed on the site.
 *
 * @outcome (nullable) says which of these happened. Uses the store only, never the network. A
 * crash between writing a new draft and linking it leaves that draft unlinked (opening the post
 * again then makes another), never a half-written link. Fails with
 * BYLINE_STORE_ERROR_NOT_FOUND when there is no account @account_id, or another store error. */
BylineDraft  *byline_remote_import_open            (BylineStore               *store,
                                                    gint64                     account_id,
                                                    BylineWpPost              *post,
                                                    BylineRemoteImportOutcome *outcome,
                                                    GError                   **error);

G_END_DECLS
