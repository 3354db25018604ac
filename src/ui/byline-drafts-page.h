/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-drafts-page.h: the Drafts view: the list of local drafts beside the editor. */
#pragma once

#include <gtk/gtk.h>

#include "byline-store.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_DRAFTS_PAGE (byline_drafts_page_get_type ())
G_DECLARE_FINAL_TYPE (BylineDraftsPage, byline_drafts_page, BYLINE, DRAFTS_PAGE, GtkWidget)

/* Lists the store's drafts and opens the one that was open last time. */
void         byline_drafts_page_load         (BylineDraftsPage *self,
                                              BylineStore      *store,
                                              GSettings        *settings);
BylineDraft *byline_drafts_page_get_draft    (BylineDraftsPage *self);
void         byline_drafts_page_new_draft    (BylineDraftsPage *self);
void         byline_drafts_page_delete_draft (BylineDraftsPage *self);
void         byline_drafts_page_focus_search (BylineDraftsPage *self);
void         byline_drafts_page_open_file    (BylineDraftsPage *self,
                                              GFile            *file);
/* Writes what the open draft holds now, for closing the window. */
void         byline_drafts_page_save_now     (BylineDraftsPage *self);

G_END_DECLS
