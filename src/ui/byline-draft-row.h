/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-draft-row.h: a draft in the drafts list: title, first words and when it last changed. */
#pragma once

#include <gtk/gtk.h>

#include "byline-draft.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_DRAFT_ROW (byline_draft_row_get_type ())
G_DECLARE_FINAL_TYPE (BylineDraftRow, byline_draft_row, BYLINE, DRAFT_ROW, GtkListBoxRow)

GtkWidget   *byline_draft_row_new         (BylineDraft    *draft);
BylineDraft *byline_draft_row_get_draft   (BylineDraftRow *self);
/* Refreshes the relative time ("5 minutes ago"), which changes without the draft changing. */
void         byline_draft_row_update_time (BylineDraftRow *self);

G_END_DECLS
