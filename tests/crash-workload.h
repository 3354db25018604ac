/* SPDX-License-Identifier: GPL-3.0-or-later */
/* crash-workload.h: the work crash-worker does and test-crash-anywhere checks on the site: the
 * names, texts and moderation steps both programs derive from the same run token and cycle. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The reader comments each cycle moderates; the test puts them on the site, held. */
#define CRASH_COMMENTS_PER_CYCLE 9

typedef enum {
  CRASH_APPROVE,
  CRASH_UNAPPROVE,
  CRASH_SPAM,
  CRASH_TRASH,
  CRASH_UNDO, /* the last step, undone; after a restart (the undo history is gone), restored */
} CrashDecision;

/* One moderation step of a cycle: @decision on comments @first to @first + @n - 1. */
typedef struct {
  guint         first;
  guint         n;
  CrashDecision decision;
} CrashStep;

/* The steps of every cycle, in order. */
const CrashStep *crash_workload_get_steps       (guint      *n_steps);
/* What comment @k of a cycle must be on the site at the end ("approved", "hold", "spam" or
 * "trash"). */
const char      *crash_workload_final_status    (guint       k);
/* Comment @k of every cycle gets a reply when it is this one. */
#define CRASH_REPLIED_COMMENT 0

/* The first @n characters of the text the worker types, the same every time. */
char            *crash_workload_typed_text      (gsize       n);
char            *crash_workload_typed_title     (const char *token);
char            *crash_workload_article_title   (const char *token,
                                                 guint       cycle);
/* In the article's text from its first version on: counts its posts on the site. */
char            *crash_workload_article_marker  (const char *token,
                                                 guint       cycle);
/* In its second version only (the update). */
char            *crash_workload_update_marker   (const char *token,
                                                 guint       cycle);
/* The image's file name; WordPress would add "-1" to a second copy's. */
char            *crash_workload_upload_name     (const char *token,
                                                 guint       cycle);
char            *crash_workload_upload_alt      (guint       cycle);
char            *crash_workload_comment_text    (const char *token,
                                                 guint       cycle,
                                                 guint       k);
char            *crash_workload_reply_text      (const char *token,
                                                 guint       cycle);

/* A 4 × 3 PNG, to upload. */
GBytes          *crash_workload_png             (void);

G_END_DECLS
