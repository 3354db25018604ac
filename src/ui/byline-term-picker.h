/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-term-picker.h: a draft's categories and tags, picked from the site's or typed anew. */
#pragma once

#include <adwaita.h>

#include "byline-accounts.h"
#include "byline-draft.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_TERM_PICKER (byline_term_picker_get_type ())
G_DECLARE_FINAL_TYPE (BylineTermPicker, byline_term_picker, BYLINE, TERM_PICKER, GtkBox)

/* Shows the names in @draft's categories and tags as checked rows, and writes every change back
 * to them (comma-separated, in the order shown). Names the site does not have yet are created
 * there when the draft is published. */
BylineTermPicker *byline_term_picker_new         (BylineDraft      *draft);
/* Lists the site's categories and tags for @account (nullable: none) next to the draft's: those
 * kept from the last listing at once, then the site's own, listed again in the background
 * (through the account's client from @accounts) and kept. A failure shows a line of text. */
void              byline_term_picker_set_account (BylineTermPicker *self,
                                                  BylineAccounts   *accounts,
                                                  BylineAccount    *account);
/* The search entry above both lists: typing filters them, Enter checks or adds a name. */
GtkEditable      *byline_term_picker_get_search_entry (BylineTermPicker *self);
/* TRUE while the site's terms are being listed (the "loading" property). */
gboolean          byline_term_picker_get_loading (BylineTermPicker *self);

G_END_DECLS
