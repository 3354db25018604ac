/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-list-pacer.h: a GListModel over another that lets a list view take a big addition a
 * few rows a frame. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define BYLINE_TYPE_LIST_PACER (byline_list_pacer_get_type ())
G_DECLARE_FINAL_TYPE (BylineListPacer, byline_list_pacer, BYLINE, LIST_PACER, GObject)

/* The items of @model, for the list view @view (whose frames pace it). */
BylineListPacer *byline_list_pacer_new (GListModel *model,
                                        GtkWidget  *view);

G_END_DECLS
