/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-drafts-page.h: the Drafts view: the list of local drafts beside the editor. */
#pragma once

#include <gtk/gtk.h>

#include "byline-accounts.h"
#include "byline-store.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_DRAFTS_PAGE (byline_drafts_page_get_type ())
G_DECLARE_FINAL_TYPE (BylineDraftsPage, byline_drafts_page, BYLINE, DRAFTS_PAGE, GtkWidget)

/* Lists the store's drafts and opens the one that was open last time. New drafts are signed
 * with the name of the oldest of @accounts (nullable). */
void         byline_drafts_page_load         (BylineDraftsPage *self,
                                              BylineStore      *store,
                                              BylineAccounts   *accounts,
                                              GSettings        *settings);
BylineDraft *byline_drafts_page_get_draft    (BylineDraftsPage *self);
void         byline_drafts_page_new_draft    (BylineDraftsPage *self);
void         byline_drafts_page_delete_draft (BylineDraftsPage *self);
void         byline_drafts_page_focus_search (BylineDraftsPage *self);
void         byline_drafts_page_open_file    (BylineDraftsPage *self,
                                              GFile            *file);
/* Lists (when it is not yet) and selects @draft, made elsewhere (a post opened from a site). A
 * listed draft of the same id that holds other text is replaced by @draft, the store's newer
 * copy: save the open draft before @draft is made (byline_drafts_page_save_now). */
void         byline_drafts_page_open_draft   (BylineDraftsPage *self,
                                              BylineDraft      *draft);
/* Writes what the open draft holds now, for closing the window. */
void         byline_drafts_page_save_now     (BylineDraftsPage *self);

G_END_DECLS
