/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-publisher-private.h: what the files of the publisher share.
 *
 * byline-publisher.c            the object; enqueueing posts and trash; reading entries, links
 * byline-publisher-run.c        runs: the due entries one after another, each outcome recorded
 * byline-publisher-posts.c      creating, comparing, updating and trashing a post on the site
 * byline-publisher-terms.c      a post's categories and tags, by name, made when missing
 * byline-publisher-uploads.c    images: kept, uploaded, and at their site address in a post
 * byline-publisher-conflicts.c  the choice between the site's version and ours */
#pragma once

#include <json-glib/json-glib.h>

#include "byline-publisher.h"
#include "byline-sqlite-connection.h"
#include "byline-term-index.h"
#include "byline-wp-client.h"

G_BEGIN_DECLS

/* What the slug of a post being created (and of an upload) starts with, before the entry's
 * client key: how a later attempt finds what an earlier one may have made. */
#define BYLINE_PUBLISHER_SLUG_PREFIX "byline-"

/* In a payload's content, the media id of the image that "byline-upload:FILE" names, once it is
 * uploaded: the placeholder written as "byline-upload-id:FILE" in an image block's comment and
 * class, filled in by _byline_publisher_resolve_uploads () with the address. */
#define BYLINE_PUBLISHER_UPLOAD_ID_PREFIX BYLINE_UPLOAD_SCHEME "-id:"

struct _BylinePublisher
{
  GObject         parent_instance;

  BylineStore    *store;
  BylineAccounts *accounts;
  char           *uploads_dir;

  /* Process calls made while a run goes on: each starts a run of its own afterwards. */
  GQueue          waiting;

  guint           timeout;
  guint           running : 1;
};

/* The outbox entry being sent: its row, and what this attempt has learned on the way. */
typedef struct {
  gint64              id;
  gint64              account_id;
  gint64              draft_id;
  BylineOutboxAction  action;
  JsonObject         *payload;
  char               *client_key;
  gint64              remote_id;
  char               *base_modified_gmt;
  guint               attempts;

  BylineWpClient     *client;
  char              **term_names;   /* the categories (paths), then the tags */
  guint               n_categories;
  guint               term_index;
  GArray             *term_ids;
  BylineTermIndex    *site_categories;  /* as listed in this attempt */
  char              **term_path;     /* the names of the category being made, */
  guint               term_step;     /* and the one being made now */
  /* The post was created, or found by its slug, in this attempt: nobody else has touched it. */
  gboolean            fresh;
  /* The post's slug and status on the site, when this attempt has read them; else NULL. */
  char               *site_slug;
  char               *site_status;
  /* This attempt sent a request that creates something and has no answer to it yet. */
  gboolean            create_unanswered;
} BylinePublisherEntry;

void _byline_publisher_entry_free (BylinePublisherEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylinePublisherEntry, _byline_publisher_entry_free)

/* A run: the task data of the GTask that the chain of callbacks carries from step to step. */
typedef struct {
  GHashTable           *held_back;  /* account ids whose entries wait for the next run */
  gint64                cursor;     /* the id of the last entry taken */
  BylinePublisherEntry *entry;
} BylinePublisherRun;

/* A request made for the run's current entry (see _byline_publisher_call_async). */
typedef struct {
  GTask                *task;   /* the run's */
  BylineWpResponseInfo  info;
} BylinePublisherCall;

void _byline_publisher_call_free (BylinePublisherCall *call);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylinePublisherCall, _byline_publisher_call_free)

/* byline-publisher.c */
void     _byline_publisher_emit_entry_changed    (BylinePublisher  *self,
                                                  gint64            entry_id);
void     _byline_publisher_emit_upload_finished  (BylinePublisher  *self,
                                                  gint64            draft_id,
                                                  const char       *local_address,
                                                  const char       *source_url);
void     _byline_publisher_set_entry_not_found   (GError          **error,
                                                  gint64            entry_id);
/* Sets @error from @insert_error, the failure to write an entry of @draft_id (taken). */
void     _byline_publisher_set_insert_error      (GError          **error,
                                                  GError           *insert_error,
                                                  gint64            draft_id);

/* byline-publisher-run.c */
/* Links the draft to its post, and moves its later entries onto it; keeps @base (nullable: none)
 * as the version both sides are measured from (see byline-post-changes.h). Locked, in a
 * transaction. */
gboolean _byline_publisher_link_draft_locked     (BylineSqliteConnection  *conn,
                                                  gint64                   entry_id,
                                                  gint64                   draft_id,
                                                  gint64                   account_id,
                                                  gint64                   remote_id,
                                                  const char              *old_base,
                                                  const char              *modified_gmt,
                                                  const char              *status,
                                                  const char              *link,
                                                  const char              *base,
                                                  GError                 **error);
/* Each of these takes @task (the run's): it goes on with the next entry, or ends the run. */
void     _byline_publisher_entry_failed          (GTask                   *task,
                                                  const GError            *error,
                                                  guint                    retry_after);
void     _byline_publisher_entry_done            (GTask                   *task,
                                                  BylineWpPost            *post,
                                                  const char              *status);
void     _byline_publisher_run_next              (GTask                   *task);
void     _byline_publisher_run_fail              (GTask                   *task,
                                                  GError                  *error);
/* Just before a request that creates something: the entry waits for it to settle after a crash. */
gboolean _byline_publisher_hold_for_create       (GTask                   *task,
                                                  GError                 **error);
/* A request for the current entry to @collection ("posts" or "media"), its item @remote_id or
 * the collection itself; @callback gets a BylinePublisherCall that owns @task. */
void     _byline_publisher_call_async            (GTask                   *task,
                                                  const char              *method,
                                                  const char              *collection,
                                                  gint64                   remote_id,
                                                  GHashTable              *query,
                                                  JsonObject              *fields,
                                                  GAsyncReadyCallback      callback);
JsonNode *_byline_publisher_call_finish          (BylinePublisherCall     *call,
                                                  GAsyncResult            *result);
/* A query for _byline_publisher_call_async: static keys, values freed. */
GHashTable *_byline_publisher_new_query          (void);

/* byline-publisher-posts.c */
void     _byline_publisher_trash_post            (GTask                   *task);
/* Once the terms are known: creates the post (or finds the one an earlier attempt made), or
 * checks that nobody changed it meanwhile, then updates it. */
void     _byline_publisher_publish_post          (GTask                   *task);

/* byline-publisher-terms.c */
/* Turns the payload's category and tag names into the site's ids, then publishes the post. */
void     _byline_publisher_publish_terms         (GTask                   *task);

/* byline-publisher-uploads.c */
void     _byline_publisher_send_upload           (GTask                   *task);
gboolean _byline_publisher_resolve_uploads       (BylinePublisher         *self,
                                                  BylinePublisherEntry    *entry,
                                                  GError                 **error);

G_END_DECLS
