/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-publisher.h: the durable outbox that publishes drafts to WordPress and links them. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "byline-accounts.h"
#include "byline-draft.h"
#include "byline-outbox-entry.h"
#include "byline-remote-post.h"
#include "byline-store.h"

G_BEGIN_DECLS

#define BYLINE_PUBLISHER_ERROR (byline_publisher_error_quark ())

typedef enum {
  BYLINE_PUBLISHER_ERROR_INVALID,     /* the draft or the options cannot be published as asked */
  BYLINE_PUBLISHER_ERROR_NOT_LINKED,  /* the draft has no post on a site */
  BYLINE_PUBLISHER_ERROR_NOT_FOUND,   /* no such outbox entry */
  BYLINE_PUBLISHER_ERROR_WRONG_STATE, /* the entry is not in a state that allows this */
  BYLINE_PUBLISHER_ERROR_WAITING,     /* the entry waits for an upload it needs; tried again */
} BylinePublisherError;

/* Backoff after a failure worth retrying: 5 s, doubling, at most 15 min (or what the site asks
 * for with Retry-After, up to an hour). */
#define BYLINE_PUBLISHER_BACKOFF_FIRST_SECONDS 5
#define BYLINE_PUBLISHER_BACKOFF_MAX_SECONDS   (15 * 60)
/* WordPress publishes at once a post whose date is less than this far ahead. */
#define BYLINE_PUBLISHER_MIN_SCHEDULE_SECONDS  60

typedef struct {
  const char *status;         /* "draft", "pending", "future", "publish" or "private" */
  const char *date_gmt;       /* UTC "2030-01-02T03:04:05" (a trailing Z is allowed), or NULL:
                               * now when publishing, floating for a draft */
  const char *comment_status; /* "open" or "closed", or NULL for the site's default */
  gint64      featured_media; /* a media id, 0 for none */
} BylinePublishOptions;

typedef enum {
  BYLINE_CONFLICT_KEEP_MINE,   /* send ours again, over the site's version */
  BYLINE_CONFLICT_TAKE_THEIRS, /* keep the site's version; the entry ends without sending */
} BylineConflictChoice;

/* Both sides of a conflict, to show them. Start from { 0 }; g_auto() clears it. */
typedef struct {
  char *mine_title;
  char *mine_content;          /* HTML, as it would be sent */
  char *theirs_title;
  char *theirs_content;        /* HTML, as the site holds it (content.raw) */
  char *theirs_modified_gmt;
  char *theirs_link;
} BylineConflict;

void byline_conflict_clear (BylineConflict *conflict);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BylineConflict, byline_conflict_clear)

#define BYLINE_TYPE_PUBLISHER (byline_publisher_get_type ())
G_DECLARE_FINAL_TYPE (BylinePublisher, byline_publisher, BYLINE, PUBLISHER, GObject)

GQuark           byline_publisher_error_quark      (void);
BylinePublisher *byline_publisher_new              (BylineStore           *store,
                                                    BylineAccounts        *accounts);
/* How long one request may take, set on each account's client as a run takes it (the client
 * the accounts hand out, which other parts of Byline may share); 0: the client's own. */
void             byline_publisher_set_timeout      (BylinePublisher       *self,
                                                    guint                  seconds);

/* Writes an entry that publishes @draft, as it is now, to @account_id with @options: what is
 * sent later is this version, whatever happens to the draft meanwhile. Updates the post the
 * draft is linked to on that account, if any (see byline_publisher_get_remote), else creates
 * one. Nothing is sent before byline_publisher_process_async. Returns the entry's id, or 0 with
 * BYLINE_PUBLISHER_ERROR_INVALID (a message for a person) or a store error.
 *
 * The pre-publish check (BylinePrepublishCheck) is not run here: it is asynchronous and partly
 * over the network, while writing an entry must work offline and at once, and an entry already
 * written is sent (and retried) whatever the check would say later. Whoever asks for a publish
 * runs the check first and refuses a blocking finding without an override on record: the
 * Publish window and byline-cli publish do. */
gint64           byline_publisher_enqueue_publish  (BylinePublisher       *self,
                                                    BylineDraft           *draft,
                                                    gint64                 account_id,
                                                    const BylinePublishOptions *options,
                                                    GError               **error);
/* What byline_publisher_enqueue_publish would write as the entry's payload for @draft with
 * @options for @account_id's site (title, content as sent: block markup for Markdown, with the
 * media ids of images already uploaded, found in @store; excerpt, slug, categories and tags by
 * name, status, date_gmt, and comment_status and featured_media when sent), or NULL with
 * BYLINE_PUBLISHER_ERROR_INVALID. */
JsonObject      *byline_publisher_build_payload    (BylineStore           *store,
                                                    BylineDraft           *draft,
                                                    gint64                 account_id,
                                                    const BylinePublishOptions *options,
                                                    GError               **error);
/* Writes an entry that moves the post @draft_id is linked to into the site's trash. */
gint64           byline_publisher_enqueue_trash    (BylinePublisher       *self,
                                                    gint64                 draft_id,
                                                    GError               **error);

/* Sends every entry that is due, one at a time in the order they were written; an entry waits
 * for the earlier ones of its draft. Failures are recorded in the entries (::entry-changed), not
 * returned: this fails only when the store cannot be used or @cancellable was cancelled (the
 * entry being sent then stays as it was). Gets each account's client from the accounts (which
 * look its password up in the keyring in a worker thread); everything else runs on the calling
 * thread, whose thread-default main context must run. A call made while a run goes on starts
 * another run when that one ends. */
void             byline_publisher_process_async    (BylinePublisher       *self,
                                                    GCancellable          *cancellable,
                                                    GAsyncReadyCallback    callback,
                                                    gpointer               user_data);
gboolean         byline_publisher_process_finish   (BylinePublisher       *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);

/* Copies @data (an image called @filename, of @mime_type) into the uploads folder and writes an
 * entry that uploads it, with @alt_text (required), to @account_id for @draft_id. Until it is
 * done the draft refers to the image by the returned @local_address (byline-upload:FILE); when
 * it is, the publisher replaces that address by the file's on the site in the draft's stored
 * body and emits ::upload-finished, and a publish entry of the draft sends the site's address
 * (publishing waits for the draft's earlier uploads). Returns the entry's id, or 0. */
gint64           byline_publisher_enqueue_upload   (BylinePublisher       *self,
                                                    gint64                 draft_id,
                                                    gint64                 account_id,
                                                    GBytes                *data,
                                                    const char            *filename,
                                                    const char            *mime_type,
                                                    const char            *alt_text,
                                                    char                 **local_address,
                                                    GError               **error);
/* Where the copies of the files to upload are kept: "uploads" beside the store's database. */
const char      *byline_publisher_get_uploads_dir  (BylinePublisher       *self);
/* The upload entry (of any account) whose local address is @local_address, NULL without an
 * error when there is none. */
BylineOutboxEntry *byline_publisher_find_upload    (BylinePublisher       *self,
                                                    const char            *local_address,
                                                    GError               **error);
/* FILE in "byline-upload:FILE" when @address is one Byline could have made (a plain file name,
 * no folders), else NULL. Points into @address. */
const char      *byline_upload_address_get_file    (const char            *address);

/* The entries of @draft_id (0: all), oldest first, as a GPtrArray of BylineOutboxEntry. */
GPtrArray       *byline_publisher_list_entries     (BylinePublisher       *self,
                                                    gint64                 draft_id,
                                                    GError               **error);
BylineOutboxEntry *byline_publisher_get_entry      (BylinePublisher       *self,
                                                    gint64                 entry_id,
                                                    GError               **error);
/* Makes a PENDING entry that waits for its backoff, or a FAILED one (once the cause was fixed:
 * the password, the site), due at once. */
gboolean         byline_publisher_retry            (BylinePublisher       *self,
                                                    gint64                 entry_id,
                                                    GError               **error);

/* For an entry in CONFLICT. */
gboolean         byline_publisher_get_conflict     (BylinePublisher       *self,
                                                    gint64                 entry_id,
                                                    BylineConflict        *conflict,
                                                    GError               **error);
/* KEEP_MINE: the entry is due again, based on the site's version, which the next process
 * overwrites (unless the post changed once more). TAKE_THEIRS: the entry is done without
 * sending, the link now refers to the site's version, and @theirs (nullable) gets its title and
 * its content as body, with the HTML format, for the caller to put into the draft. */
gboolean         byline_publisher_resolve_conflict (BylinePublisher       *self,
                                                    gint64                 entry_id,
                                                    BylineConflictChoice   choice,
                                                    BylineDraft           *theirs,
                                                    GError               **error);

/* The post @draft_id is linked to: FALSE when there is none (or the store cannot be read). */
gboolean         byline_publisher_get_remote       (BylinePublisher       *self,
                                                    gint64                 draft_id,
                                                    BylineRemotePost      *out);

G_END_DECLS
