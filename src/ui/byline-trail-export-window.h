/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-trail-export-window.h: exports a site's moderation trail for a range of days, as CSV
 * or JSON Lines, to a file the person chooses. */
#pragma once

#include <adwaita.h>

#include "byline-store.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_TRAIL_EXPORT_WINDOW (byline_trail_export_window_get_type ())
G_DECLARE_FINAL_TYPE (BylineTrailExportWindow, byline_trail_export_window, BYLINE,
                      TRAIL_EXPORT_WINDOW, AdwWindow)

GtkWidget *byline_trail_export_window_new    (GtkWindow               *parent,
                                              BylineStore             *store,
                                              gint64                   account_id,
                                              const char              *site_name);
/* Writes the trail of the days chosen to @file, as the window is set; the number of entries,
 * -1 with @error (a date that cannot be read says so). For the Export button and tests. */
gint64     byline_trail_export_window_export (BylineTrailExportWindow *self,
                                              GFile                   *file,
                                              GError                 **error);

G_END_DECLS
