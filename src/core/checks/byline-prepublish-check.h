/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-prepublish-check.h: what is wrong with a draft as it will be sent, before it goes out. */
#pragma once

#include <gio/gio.h>

#include "byline-draft.h"
#include "byline-link-checker.h"
#include "byline-store.h"

G_BEGIN_DECLS

typedef enum {
  BYLINE_CHECK_MISSPELLING,       /* a word the draft's dictionary does not know */
  BYLINE_CHECK_MISSING_ALT,       /* an image, inline or featured, without alt text */
  BYLINE_CHECK_BROKEN_LINK,       /* a link that leads nowhere (see BylineLinkStatus) */
  BYLINE_CHECK_LINKS_NOT_CHECKED, /* offline or cancelled: the links could not be checked */
  BYLINE_CHECK_MISSING_FIELD,     /* a field the site requires is empty */
  BYLINE_CHECK_SKIPPED_HEADING,   /* a heading more than one level below the one before */
  BYLINE_CHECK_DATE_IN_PAST,      /* a scheduled date that has already gone by */
  BYLINE_CHECK_EMPTY_BODY,
  BYLINE_CHECK_N_KINDS
} BylineCheckKind;

typedef enum {
  BYLINE_CHECK_WARNING,
  BYLINE_CHECK_BLOCKING,
} BylineCheckSeverity;

/* Where a finding is, so that the UI can take the writer there. */
typedef enum {
  BYLINE_CHECK_FIELD_BODY,
  BYLINE_CHECK_FIELD_TITLE,
  BYLINE_CHECK_FIELD_EXCERPT,
  BYLINE_CHECK_FIELD_SLUG,
  BYLINE_CHECK_FIELD_CATEGORIES,
  BYLINE_CHECK_FIELD_TAGS,
  BYLINE_CHECK_FIELD_FEATURED_IMAGE,
  BYLINE_CHECK_FIELD_PUBLISH_DATE,
} BylineCheckField;

typedef struct {
  BylineCheckKind     kind;
  BylineCheckSeverity severity;   /* from the site's policy */
  BylineCheckField    field;
  /* In the body (BYLINE_CHECK_FIELD_BODY): 1-based line and column (in characters), and the
   * byte offset and length of what the finding is about in the draft's body as typed. */
  guint               line;
  guint               column;
  gsize               offset;
  gsize               length;
  char               *subject;    /* the word, the address, the image's source, the field's name */
  char               *message;    /* a sentence for a person, translated */
} BylineFinding;

void byline_finding_free (BylineFinding *finding);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineFinding, byline_finding_free)

/* Which findings a site requires and which of them stop a post: per account, in the store. */
typedef struct {
  /* Fields that must not be empty; by default title, excerpt and categories. */
  gboolean            required[BYLINE_CHECK_FIELD_PUBLISH_DATE + 1];
  BylineCheckSeverity severity[BYLINE_CHECK_N_KINDS];
} BylineCheckPolicy;

/* The default policy: title, excerpt and categories required; an empty body, a missing field,
 * a date in the past and a broken link block; the rest warn. */
void      byline_check_policy_init_default (BylineCheckPolicy  *policy);
gboolean  byline_check_policy_load         (BylineStore        *store,
                                            gint64              account_id,
                                            BylineCheckPolicy  *policy,
                                            GError            **error);
gboolean  byline_check_policy_save         (BylineStore        *store,
                                            gint64              account_id,
                                            const BylineCheckPolicy *policy,
                                            GError            **error);

typedef enum {
  BYLINE_CHECK_RUN_LOCAL = 1 << 0, /* spelling, images, fields, headings, date, body */
  BYLINE_CHECK_RUN_LINKS = 1 << 1, /* the links, over the network */
} BylineCheckRunFlags;

/* Checks a draft as it will be sent to account @account_id's site. */
#define BYLINE_TYPE_PREPUBLISH_CHECK (byline_prepublish_check_get_type ())
G_DECLARE_FINAL_TYPE (BylinePrepublishCheck, byline_prepublish_check, BYLINE, PREPUBLISH_CHECK,
                      GObject)

BylinePrepublishCheck *byline_prepublish_check_new        (BylineStore          *store,
                                                           BylineLinkChecker    *links);
void                   byline_prepublish_check_run_async  (BylinePrepublishCheck *self,
                                                           BylineDraft           *draft,
                                                           gint64                 account_id,
                                                           BylineCheckRunFlags    flags,
                                                           GCancellable          *cancellable,
                                                           GAsyncReadyCallback    callback,
                                                           gpointer               user_data);
/* The findings (BylineFinding), the body's in the order of the text, then the fields'. */
GPtrArray             *byline_prepublish_check_run_finish (BylinePrepublishCheck *self,
                                                           GAsyncResult          *result,
                                                           GError               **error);
/* Whether any of @findings blocks. */
gboolean               byline_findings_block              (GPtrArray             *findings);
/* Keeps, with the post's history, that draft @draft_id was sent to @account_id's site despite
 * the blocking @findings, by the person's @reason. */
gboolean               byline_prepublish_check_record_override (BylinePrepublishCheck *self,
                                                                gint64                 draft_id,
                                                                gint64                 account_id,
                                                                const char            *reason,
                                                                GPtrArray             *findings,
                                                                GError               **error);

G_END_DECLS
