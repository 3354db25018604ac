/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-moderation-log.h: the audit trail of moderation: every decision, undo, reply and edit,
 * who made it, when, on what text, why, and what the site answered; and its export. */
#pragma once

#include <gio/gio.h>

#include "byline-store.h"

G_BEGIN_DECLS

/* One entry. Written with the change it records, never rewritten; the site's answer is set
 * once. */
typedef struct {
  gint64  id;
  gint64  account_id;
  gint64  comment_id;     /* local */
  gint64  remote_id;      /* on the site (0: a reply not created yet) */
  gint64  post_id;
  char   *post_title;
  char   *author_name;
  char   *author_email;
  char   *who;            /* the account's user name on the site */
  gint64  created_at;     /* µs since the epoch */
  gint    utc_offset;     /* seconds east of UTC, where and when it was made */
  char   *action;         /* "approve", "unapprove", "spam", "trash", "restore", "delete",
                             "undo", "reply" or "edit" */
  char   *status;         /* what a decision or undo made the comment ("approved", "hold",
                             "spam", "trash", "deleted"); "" for a reply or an edit */
  char   *reason;         /* the slug of its policy reason, "" for none */
  char   *reason_name;    /* the reason's name then */
  char   *snapshot;       /* the comment's text then (after an edit: the new text) */
  gint64  confirmed_at;   /* µs; 0: not yet (or never sent: undone before it left) */
  gint64  refused_at;     /* µs; 0: not refused */
  char   *refusal;        /* the site's message */
} BylineModerationLogEntry;

void byline_moderation_log_entry_free (BylineModerationLogEntry *entry);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineModerationLogEntry, byline_moderation_log_entry_free)

/* Called for each entry, oldest first; FALSE with @error stops. */
typedef gboolean (*BylineModerationLogFunc) (const BylineModerationLogEntry  *entry,
                                             gpointer                         user_data,
                                             GError                         **error);

/* The history of comment @comment_id, oldest first (BylineModerationLogEntry). */
GPtrArray *byline_moderation_log_list_comment (BylineStore              *store,
                                               gint64                    comment_id,
                                               GError                  **error);
/* The entries of @account_id (0: every site) made from @since to before @until (µs since the
 * epoch), oldest first, read a page at a time (the store is not held while @func runs). */
gboolean   byline_moderation_log_foreach      (BylineStore              *store,
                                               gint64                    account_id,
                                               gint64                    since,
                                               gint64                    until,
                                               BylineModerationLogFunc   func,
                                               gpointer                  user_data,
                                               GError                  **error);

typedef enum {
  BYLINE_MODERATION_LOG_CSV,    /* UTF-8, RFC 4180, a header line; formulas neutralised */
  BYLINE_MODERATION_LOG_JSONL,  /* one JSON object a line */
} BylineModerationLogFormat;

/* Writes those entries to @out as @format, as they are read. The number written, -1 on a
 * failure. */
gint64     byline_moderation_log_export       (BylineStore              *store,
                                               gint64                    account_id,
                                               gint64                    since,
                                               gint64                    until,
                                               BylineModerationLogFormat format,
                                               GOutputStream            *out,
                                               GCancellable             *cancellable,
                                               GError                  **error);
/* The same into @file, which is replaced only once everything was written: on a failure, a
 * file that was there is left as it was. */
gint64     byline_moderation_log_export_to_file (BylineStore              *store,
                                                 gint64                    account_id,
                                                 gint64                    since,
                                                 gint64                    until,
                                                 BylineModerationLogFormat format,
                                                 GFile                    *file,
                                                 GError                  **error);
/* @text as a CSV cell: quoted when it must be, and a leading =, +, -, @, tab or CR made
 * harmless with a ' (a spreadsheet would run it as a formula). */
char      *byline_moderation_log_csv_cell     (const char               *text);

G_END_DECLS
