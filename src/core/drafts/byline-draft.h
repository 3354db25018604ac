/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-draft.h: one local draft, the object the editor edits and the store saves. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  BYLINE_DRAFT_FORMAT_MARKDOWN,
  BYLINE_DRAFT_FORMAT_HTML,
} BylineDraftFormat;

#define BYLINE_TYPE_DRAFT_FORMAT (byline_draft_format_get_type ())
GType byline_draft_format_get_type (void);

#define BYLINE_TYPE_DRAFT (byline_draft_get_type ())
G_DECLARE_FINAL_TYPE (BylineDraft, byline_draft, BYLINE, DRAFT, GObject)

/* Every text property is never NULL when read (empty string instead). Each setter that changes a
 * value bumps the change serial and emits ::changed once, so that the autosave can tell whether
 * what it wrote is still the latest. created-at and modified-at are microseconds since the epoch
 * (g_get_real_time); setting them does not count as a change. */
BylineDraft       *byline_draft_new                (void);
BylineDraft       *byline_draft_copy               (BylineDraft *self);
gint64             byline_draft_get_id             (BylineDraft *self);
void               byline_draft_set_id             (BylineDraft *self, gint64 id);
BylineDraftFormat  byline_draft_get_format         (BylineDraft *self);
void               byline_draft_set_format         (BylineDraft *self, BylineDraftFormat format);
const char        *byline_draft_get_title          (BylineDraft *self);
void               byline_draft_set_title          (BylineDraft *self, const char *title);
const char        *byline_draft_get_body           (BylineDraft *self);
void               byline_draft_set_body           (BylineDraft *self, const char *body);
/* Replaces @n_removed characters of the body at character @position with @text (@length bytes,
 * or -1 when NUL-terminated; valid UTF-8): an edit as a text buffer reports it, applied in place
 * so that the rest of the body is neither copied nor compared. Positions count characters, as
 * GtkTextIter offsets do, and must lie within the body. */
void               byline_draft_edit_body          (BylineDraft *self, glong position,
                                                    glong n_removed, const char *text,
                                                    gssize length);
const char        *byline_draft_get_slug           (BylineDraft *self);
void               byline_draft_set_slug           (BylineDraft *self, const char *slug);
const char        *byline_draft_get_excerpt        (BylineDraft *self);
void               byline_draft_set_excerpt        (BylineDraft *self, const char *excerpt);
/* Comma-separated names, as typed by the user. */
const char        *byline_draft_get_categories     (BylineDraft *self);
void               byline_draft_set_categories     (BylineDraft *self, const char *categories);
const char        *byline_draft_get_tags           (BylineDraft *self);
void               byline_draft_set_tags           (BylineDraft *self, const char *tags);
const char        *byline_draft_get_author         (BylineDraft *self);
void               byline_draft_set_author         (BylineDraft *self, const char *author);
/* ISO 8601 local date and time ("2026-12-01T09:30"), or "" for "when published". */
const char        *byline_draft_get_publish_date   (BylineDraft *self);
void               byline_draft_set_publish_date   (BylineDraft *self, const char *publish_date);
/* The file a draft was opened from, or "". */
const char        *byline_draft_get_source_path    (BylineDraft *self);
void               byline_draft_set_source_path    (BylineDraft *self, const char *source_path);
/* The post's featured image: "" when none was chosen (an update keeps the post's own), "none"
 * to have none, "media:ID" for an image already in the site's media
 * library, or the local address of an image of this draft that goes through the outbox
 * ("byline-upload:FILE", see BylinePublisher), whose media id is known once it is uploaded. */
const char        *byline_draft_get_featured_image (BylineDraft *self);
void               byline_draft_set_featured_image (BylineDraft *self, const char *featured_image);
/* The language the draft is written in ("en_US", "fr_FR"; see byline-language.h), which its
 * spelling is checked in and its preview is marked with; "" for the system's. */
const char        *byline_draft_get_language       (BylineDraft *self);
void               byline_draft_set_language       (BylineDraft *self, const char *language);
gint64             byline_draft_get_created_at     (BylineDraft *self);
void               byline_draft_set_created_at     (BylineDraft *self, gint64 created_at);
gint64             byline_draft_get_modified_at    (BylineDraft *self);
void               byline_draft_set_modified_at    (BylineDraft *self, gint64 modified_at);
guint64            byline_draft_get_change_serial  (BylineDraft *self);
/* The title, or the first words of the body when there is no title: what a list shows. */
char              *byline_draft_dup_display_title  (BylineDraft *self);
/* The first @n_chars characters of the body as one line of plain text, for a list. */
char              *byline_draft_dup_snippet        (BylineDraft *self, guint n_chars);

G_END_DECLS
