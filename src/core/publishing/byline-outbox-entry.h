/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-outbox-entry.h: one change waiting in the outbox to be sent to a WordPress site. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* The address a draft uses for one of its images until it is on the site: "byline-upload:FILE",
 * FILE being the copy kept in the uploads folder (see byline_publisher_get_uploads_dir). An
 * upload entry's local_address. */
#define BYLINE_UPLOAD_SCHEME "byline-upload"

/* Stored as these numbers in the outbox table: never renumber. */
typedef enum {
  BYLINE_OUTBOX_STATE_PENDING  = 0, /* to be sent, at once or after next_attempt_at */
  BYLINE_OUTBOX_STATE_DONE     = 1,
  BYLINE_OUTBOX_STATE_FAILED   = 2, /* the site refused it; last_error says why */
  BYLINE_OUTBOX_STATE_CONFLICT = 3, /* the post changed on the site meanwhile: the person chooses */
} BylineOutboxState;

typedef enum {
  BYLINE_OUTBOX_ACTION_PUBLISH, /* create or update the post, with the status asked for */
  BYLINE_OUTBOX_ACTION_TRASH,   /* move the post to the site's trash */
  BYLINE_OUTBOX_ACTION_UPLOAD,  /* put an image of the draft into the site's media library */
} BylineOutboxAction;

typedef struct {
  gint64              id;
  gint64              draft_id;        /* 0 once the draft itself was purged */
  gint64              account_id;
  BylineOutboxAction  action;
  BylineOutboxState   state;
  char               *title;           /* the title sent (as it was when published); "" for trash;
                                        * the file's name for an upload */
  char               *status;          /* the status asked for ("publish", "future", …); "trash" */
  guint               attempts;        /* sends tried so far */
  gint64              next_attempt_at; /* µs since the epoch (g_get_real_time); 0: at once */
  char               *last_error;      /* why the last attempt failed, for a person; "" if none */
  gint64              remote_id;       /* the post (or the upload's media) on the site, 0 until
                                        * it exists */
  char               *link;            /* the post's (or the file's) address once done, else "" */
  char               *client_key;      /* unique to the entry; names the post while it is created */
  char               *local_address;   /* an upload's "byline-upload:FILE", else "" */
  gint64              created_at;
  gint64              updated_at;
} BylineOutboxEntry;

#define BYLINE_TYPE_OUTBOX_ENTRY (byline_outbox_entry_get_type ())

GType              byline_outbox_entry_get_type (void) G_GNUC_CONST;
BylineOutboxEntry *byline_outbox_entry_new      (void);
BylineOutboxEntry *byline_outbox_entry_copy     (const BylineOutboxEntry *entry);
void               byline_outbox_entry_free     (BylineOutboxEntry       *entry);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineOutboxEntry, byline_outbox_entry_free)

G_END_DECLS
