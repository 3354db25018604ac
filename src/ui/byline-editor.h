/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-editor.h: one draft open for writing: title, Markdown source, live preview, details. */
#pragma once

#include <gtk/gtk.h>

#include "byline-prepublish-check.h"
#include "byline-store.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_EDITOR (byline_editor_get_type ())
G_DECLARE_FINAL_TYPE (BylineEditor, byline_editor, BYLINE, EDITOR, GtkWidget)

typedef struct _BylineImageInserter BylineImageInserter;
typedef struct _BylineSpelling BylineSpelling;

GtkWidget   *byline_editor_new             (void);
/* Edits @draft (saved to @store as it changes), after saving the draft edited until now. */
void         byline_editor_set_draft       (BylineEditor *self,
                                            BylineStore  *store,
                                            BylineDraft  *draft);
BylineDraft *byline_editor_get_draft       (BylineEditor *self);
void         byline_editor_save_now        (BylineEditor *self);
void         byline_editor_focus_title     (BylineEditor *self);
void         byline_editor_focus_body      (BylineEditor *self);
/* Takes the writer to where a finding of the pre-publish check is: @length bytes at byte
 * @offset of the body (or of the field) selected, the field focused, the post details opened
 * for the fields they hold. */
void         byline_editor_show_place      (BylineEditor     *self,
                                            BylineCheckField  field,
                                            gsize             offset,
                                            gsize             length);
/* For tests and benchmarks. */
GtkWidget   *byline_editor_get_source_view (BylineEditor *self);
GtkWidget   *byline_editor_get_preview     (BylineEditor *self);
/* The spelling of this editor's text (byline-spelling.h). */
BylineSpelling *byline_editor_get_spelling     (BylineEditor *self);
/* Inserts images into this editor's text (byline-image-inserter.h). */
BylineImageInserter *byline_editor_get_image_inserter (BylineEditor *self);

G_END_DECLS
