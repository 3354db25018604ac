/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-post-changes.h: what an update would change on the live post, what the site and the
 * draft each changed since they were last in step, and their merge. */
#pragma once

#include <gio/gio.h>

#include "byline-accounts.h"
#include "byline-draft.h"
#include "byline-publisher.h"
#include "byline-store.h"
#include "byline-text-merge.h"
#include "byline-word-diff.h"
#include "byline-wp-post.h"

G_BEGIN_DECLS

typedef enum {
  BYLINE_POST_FIELD_TITLE,
  BYLINE_POST_FIELD_EXCERPT,
  BYLINE_POST_FIELD_SLUG,
  BYLINE_POST_FIELD_STATUS,
  BYLINE_POST_FIELD_DATE,
  BYLINE_POST_FIELD_CATEGORIES,
  BYLINE_POST_FIELD_TAGS,
  BYLINE_POST_FIELD_FEATURED_IMAGE,
  BYLINE_POST_FIELD_CONTENT,
  BYLINE_POST_N_FIELDS
} BylinePostField;

/* "Title", "Excerpt", …, translated. */
const char *byline_post_field_get_label (BylinePostField field);
/* "title", "excerpt", …: for the command line's header lines. */
const char *byline_post_field_get_key   (BylinePostField field);

/* A version of a post, each field as text: categories and tags as their names (paths),
 * sorted, joined by ", "; the date as "YYYY-MM-DD HH:MM:SS UTC"; the featured image as
 * "media:ID" or ""; the content as HTML. A field is NULL when that version does not say (an
 * update that leaves the site's value alone, no categories: the site's default). */
typedef struct {
  char *fields[BYLINE_POST_N_FIELDS];
} BylinePostVersion;

void               byline_post_version_free           (BylinePostVersion *version);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylinePostVersion, byline_post_version_free)

/* The post as the site holds it; its term ids named through @categories and @tags (arrays of
 * BylineWpTerm as the term cache keeps them, nullable: an id not found reads "#ID"). */
BylinePostVersion *byline_post_version_new_from_post    (BylineWpPost *post,
                                                         GPtrArray    *categories,
                                                         GPtrArray    *tags);
/* What the publisher would send: @payload is an outbox entry's (byline_publisher_build_payload). */
BylinePostVersion *byline_post_version_new_from_payload (JsonObject   *payload);

/* The fields of @post that the base keeps (in edit context, as the REST API has them), as a
 * JSON object for byline_store_remote_posts_table_set_base; read back with
 * byline_wp_post_new_from_json. */
char              *byline_post_snapshot                 (BylineWpPost *post);

/* The text a reader sees in @html: paragraphs one a line, no markup. */
char              *byline_post_reader_text              (const char   *html);

/* A field whose value differs between two versions, as a person reads it. */
typedef struct {
  BylinePostField  field;
  char            *old_value;
  char            *new_value;
} BylinePostChange;

void               byline_post_change_free              (BylinePostChange *change);

/* The fields @to changes from @from (a NULL field of either says nothing), in field order, as
 * a GPtrArray of BylinePostChange; the content is one when its reader text differs. */
GPtrArray         *byline_post_version_compare          (const BylinePostVersion *from,
                                                         const BylinePostVersion *to);
/* The word-level difference of the reader texts of two contents (BylineWordRun). */
GPtrArray         *byline_post_text_diff                (const char  *old_html,
                                                         const char  *new_html);

typedef enum {
  BYLINE_MERGE_UNCHANGED,  /* neither side changed it */
  BYLINE_MERGE_MINE,       /* only the draft changed it */
  BYLINE_MERGE_THEIRS,     /* only the site changed it */
  BYLINE_MERGE_SAME,       /* both changed it the same way */
  BYLINE_MERGE_COMBINED,   /* both changed the content, in different places: merged */
  BYLINE_MERGE_CONFLICT,   /* both changed it differently: the person chooses */
} BylineMergeOutcome;

typedef struct {
  BylinePostVersion  *merged;     /* a conflicting field holds the draft's value */
  BylineMergeOutcome  outcomes[BYLINE_POST_N_FIELDS];
  GPtrArray          *content_conflicts;  /* BylineMergeConflict, or NULL */
  guint               n_conflicts;
} BylinePostMerge;

void               byline_post_merge_free               (BylinePostMerge *merge);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylinePostMerge, byline_post_merge_free)

/* Merges field by field what @mine and @theirs each changed from @base; the content, when both
 * changed it, line by line (byline_text_merge3). A NULL field of @mine is unchanged. */
BylinePostMerge   *byline_post_merge                    (const BylinePostVersion *base,
                                                         const BylinePostVersion *mine,
                                                         const BylinePostVersion *theirs);
/* Puts a merge without conflicts into @draft: the fields the site changed, and the content as
 * HTML when the site changed it (a Markdown draft then becomes an HTML one, as taking the site's
 * version does). Status and date are the Publish window's to choose, not the draft's. */
void               byline_post_merge_apply              (BylinePostMerge *merge,
                                                         BylineDraft     *draft);

/* Everything about a linked draft's post the Publish window and byline-cli diff show. */
typedef struct {
  gint64             draft_id;
  gint64             account_id;
  BylineWpPost      *live_post;
  BylinePostVersion *live;
  BylinePostVersion *sent;
  BylinePostVersion *base;         /* NULL when the link kept none */
  GPtrArray         *changes;      /* live → sent, BylinePostChange */
  GPtrArray         *text_runs;    /* live → sent, BylineWordRun */
  /* The post changed on the site since the draft was linked to it (modified_gmt differs). */
  gboolean           site_changed;
  GPtrArray         *theirs_changes;  /* base → live, when site_changed and there is a base */
  GPtrArray         *mine_changes;    /* base → sent, likewise */
  BylinePostMerge   *merge;           /* likewise */
} BylinePostChanges;

void               byline_post_changes_free             (BylinePostChanges *changes);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylinePostChanges, byline_post_changes_free)

/* Compares the post @draft is linked to, read from its site now, with what publishing @draft
 * with @options would send (NULL: the post's own status and date, comments as they are). Fails
 * with BYLINE_PUBLISHER_ERROR_NOT_LINKED for a draft with no post, the client's error, or the
 * publisher's for options it would refuse. */
void               byline_post_changes_load_async       (BylineStore         *store,
                                                         BylineAccounts      *accounts,
                                                         BylineDraft         *draft,
                                                         const BylinePublishOptions *options,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
BylinePostChanges *byline_post_changes_load_finish      (GAsyncResult        *result,
                                                         GError             **error);

/* @changes as a unified diff, for byline-cli diff: two header lines, then each changed field
 * as "-key: live value" and "+key: value sent", then the reader text's paragraphs that differ
 * as "-" and "+" lines with three unchanged ones around them under "@@" lines; when the site
 * changed since the draft was linked, "#" lines list what each side changed and whether they
 * merge. */
char              *byline_post_changes_format_unified   (BylinePostChanges   *changes);

/* After byline_post_merge_apply: links the draft to the live post as @changes read it (its
 * modified_gmt and base), so that the next update overwrites that version and no other. */
gboolean           byline_post_changes_rebase           (BylineStore         *store,
                                                         gint64               draft_id,
                                                         BylinePostChanges   *changes,
                                                         GError             **error);

G_END_DECLS
