/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-spelling.h: the editor's spelling: underlines, corrections, the draft's language. */
#pragma once

#include <gtk/gtk.h>

#include "byline-draft.h"
#include "byline-spell-highlighter.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_SPELLING (byline_spelling_get_type ())
G_DECLARE_FINAL_TYPE (BylineSpelling, byline_spelling, BYLINE, SPELLING, GObject)

/* Checks the spelling of @view's text in the draft's language (or the system's), unless the
 * "spell-check" setting is off: misspelled words are underlined, and @view's context menu (a
 * right click, the Menu key or Shift+F10) offers their corrections, Ignore and Add to
 * Dictionary. @language_button's menu turns checking on and off and sets the draft's language
 * from the installed dictionaries; its label names the language. The actions ("spelling.*") are
 * added to @host, an ancestor of both. */
BylineSpelling         *byline_spelling_new             (GtkWidget      *host,
                                                         GtkTextView    *view,
                                                         GtkMenuButton  *language_button);
/* The draft whose language is followed (and set from the menu); its text is @view's. */
void                    byline_spelling_set_draft       (BylineSpelling *self,
                                                         BylineDraft    *draft);
/* For tests and benchmarks. */
BylineSpellHighlighter *byline_spelling_get_highlighter (BylineSpelling *self);

G_END_DECLS
