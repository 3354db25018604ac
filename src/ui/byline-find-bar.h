/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-find-bar.h: find and replace in a draft's text, above it. */
#pragma once

#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

#define BYLINE_TYPE_FIND_BAR (byline_find_bar_get_type ())
G_DECLARE_FINAL_TYPE (BylineFindBar, byline_find_bar, BYLINE, FIND_BAR, GtkWidget)

GtkWidget *byline_find_bar_new          (void);
/* The text view searched; its buffer is the one searched, also when it changes. */
void       byline_find_bar_set_view     (BylineFindBar *self,
                                         GtkSourceView *view);
/* Shows the bar (with the replace row when @replace) and puts the focus in it; a selection of
 * one line in the text becomes what is looked for. */
void       byline_find_bar_open         (BylineFindBar *self,
                                         gboolean       replace);
/* Hides the bar and gives the text its focus back. */
void       byline_find_bar_close        (BylineFindBar *self);
gboolean   byline_find_bar_is_open      (BylineFindBar *self);
/* Selects the next (or previous) match after (or before) the cursor, wrapping around. */
void       byline_find_bar_find_next     (BylineFindBar *self,
                                          gboolean       backwards);

G_END_DECLS
