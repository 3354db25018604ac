/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-prepublish-check.h: what is wrong with a draft as it will be sent, before it goes out. */
#pragma once

#include <gio/gio.h>

#include "byline-check-override.h"
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

/* Where a finding is, so that the UI can take the writer there. BYLINE_CHECK_FIELD_BODY is the
 * body; the others are the fields of the Publish window and the post details. */
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
   * byte offset and length of what the finding is about in the draft's body as typed (the
   * Markdown source, not the HTML sent); line 0 (and all 0) for the body as a whole (an empty
   * body, links not checked). A misspelling in the title or the excerpt has the same, within
   * that field's text; other field findings have all 0. */
  guint               line;
  guint               column;
  gsize               offset;
  gsize               length;
  char               *subject;    /* the word, the address, the image's source, the field's name */
  char               *message;    /* a sentence for a person, translated */
} BylineFinding;

BylineFinding *byline_finding_new       (BylineCheckKind      kind,
                                         BylineCheckField     field);
BylineFinding *byline_finding_copy      (const BylineFinding *finding);
void           byline_finding_free      (BylineFinding       *finding);
/* One line for a person or a script: "LINE:COLUMN: KIND: message" in the body,
 * "FIELD: KIND: message" elsewhere (and for the body as a whole, "body: KIND: message"). */
char          *byline_finding_to_string (const BylineFinding *finding);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineFinding, byline_finding_free)

/* Names that stay the same in every language, for scripts and the store: "misspelling",
 * "missing-alt", "broken-link", "links-not-checked", "missing-field", "skipped-heading",
 * "date-in-past", "empty-body"; and "body", "title", "excerpt", "slug", "categories", "tags",
 * "featured-image", "publish-date". */
const char *byline_check_kind_get_name  (BylineCheckKind  kind);
const char *byline_check_field_get_name (BylineCheckField field);
/* The kind or field of @name; FALSE when there is none. */
gboolean    byline_check_kind_from_name  (const char      *name,
                                          BylineCheckKind *kind);
gboolean    byline_check_field_from_name (const char       *name,
                                          BylineCheckField *field);

/* Which findings a site requires and which of them stop a post: per account, in the store. */
typedef struct {
  /* Fields that must not be empty; by default title, excerpt and categories. */
  gboolean            required[BYLINE_CHECK_FIELD_PUBLISH_DATE + 1];
  BylineCheckSeverity severity[BYLINE_CHECK_N_KINDS];
} BylineCheckPolicy;

/* The default policy: title, excerpt and categories required; an empty body, a missing field,
 * a date in the past and a broken link block; the rest warn. Whatever a policy says, links that
 * could not be checked (offline) and links that only redirect are warnings: they never stop a
 * post. An account without a policy of its own (or account 0, none) has the default. */
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

/* Checks a draft as it will be sent to account @account_id's site (0: no site; the default
 * policy, and links relative to the site are not checked).
 *
 * What is checked: words the draft's dictionary does not know in the title, the excerpt and the
 * body (the words the editor underlines: byline_spell_words_scan line by line, leaving out
 * fenced and indented code, tags that go on over lines, scripts and styles; no
 * finding when no dictionary of the draft's language is installed); images with no or an empty
 * alt text (Markdown's ![](src), HTML's <img>, raw HTML in Markdown, and the featured image when
 * it is a local upload, whose alt text its upload entry keeps; a "media:ID" featured image is
 * already in the site's library with whatever alt text it has there, which Byline does not
 * know, so it is not checked); every http(s) link and image source in the body (and the site's
 * own addresses, "/path" resolved against the site), over the network with @links; the fields
 * the policy requires; a heading more than one level below the one before (the title counts as
 * the level 1 heading above the body); a scheduled date that has gone by; an empty body.
 *
 * A link that answers only after redirects is not broken, but it is a BROKEN_LINK warning (never
 * blocking, whatever the policy) that says where it lands, so that the writer can link there
 * directly: a redirect is often the first sign of a page that moved or is about to go. An
 * http(s) address no one can follow ("https://" alone) is a BROKEN_LINK without asking.
 *
 * The draft is copied when the run starts. The local part runs on the calling thread (the spell
 * checker's: the main thread), about 10 ms for 5,000 words; loading a dictionary the first time
 * and the links wait without blocking it. Cancelling ends the run with G_IO_ERROR_CANCELLED. */
#define BYLINE_TYPE_PREPUBLISH_CHECK (byline_prepublish_check_get_type ())
G_DECLARE_FINAL_TYPE (BylinePrepublishCheck, byline_prepublish_check, BYLINE, PREPUBLISH_CHECK,
                      GObject)

/* @links: nullable; without it BYLINE_CHECK_RUN_LINKS gives a LINKS_NOT_CHECKED warning. */
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
 * the blocking @findings, by the person's @reason. Only the blocking ones of @findings are
 * kept, as text (byline_finding_to_string, one a line). A reason that is empty (or only white
 * space) is refused with G_IO_ERROR_INVALID_ARGUMENT and a message for a person; a draft that
 * is not in the store with BYLINE_STORE_ERROR_NOT_FOUND. */
gboolean               byline_prepublish_check_record_override (BylinePrepublishCheck *self,
                                                                gint64                 draft_id,
                                                                gint64                 account_id,
                                                                const char            *reason,
                                                                GPtrArray             *findings,
                                                                GError               **error);
/* The overrides recorded for @draft_id (0: every draft's), oldest first, as
 * BylineCheckOverride. NULL on a failure. */
GPtrArray             *byline_prepublish_check_list_overrides  (BylinePrepublishCheck *self,
                                                                gint64                 draft_id,
                                                                GError               **error);

G_END_DECLS
