/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-reasons-window.h: edits a site's list of comment policy reasons: add, rename, remove
 * and reorder, from the keyboard. */
#pragma once

#include <adwaita.h>

#include "byline-store.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_REASONS_WINDOW (byline_reasons_window_get_type ())
G_DECLARE_FINAL_TYPE (BylineReasonsWindow, byline_reasons_window, BYLINE, REASONS_WINDOW, AdwWindow)

/* The reasons of @account_id (named @site_name in the title), transient for @parent. Every
 * change is written at once; ::changed then tells the Comments view. */
GtkWidget *byline_reasons_window_new (GtkWindow   *parent,
                                      BylineStore *store,
                                      gint64       account_id,
                                      const char  *site_name);

G_END_DECLS
