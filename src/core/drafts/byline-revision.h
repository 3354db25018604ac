/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-revision.h: a saved earlier version of a draft's title and body. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  BYLINE_REVISION_KIND_AUTOMATIC, /* taken while editing, at most one a minute */
  BYLINE_REVISION_KIND_EXPLICIT,  /* the user pressed Ctrl+S */
  BYLINE_REVISION_KIND_RESTORE,   /* what the draft held just before an older revision was restored */
} BylineRevisionKind;

#define BYLINE_TYPE_REVISION_KIND (byline_revision_kind_get_type ())
GType byline_revision_kind_get_type (void);

#define BYLINE_TYPE_REVISION (byline_revision_get_type ())
G_DECLARE_FINAL_TYPE (BylineRevision, byline_revision, BYLINE, REVISION, GObject)

/* @body is NULL for a revision listed without it (byline_store_list_revisions () reads no
 * bodies; byline_store_load_revision () reads one with its body). */
BylineRevision     *byline_revision_new            (gint64              id,
                                                    gint64              draft_id,
                                                    BylineRevisionKind  kind,
                                                    gint64              created_at,
                                                    const char         *title,
                                                    const char         *body);
gint64              byline_revision_get_id         (BylineRevision *self);
gint64              byline_revision_get_draft_id   (BylineRevision *self);
BylineRevisionKind  byline_revision_get_kind       (BylineRevision *self);
gint64              byline_revision_get_created_at (BylineRevision *self);
const char         *byline_revision_get_title      (BylineRevision *self);
/* NULL when the revision was listed without its body. */
const char         *byline_revision_get_body       (BylineRevision *self);

G_END_DECLS
