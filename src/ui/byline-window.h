/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-window.h: the main window: the Drafts and Comments views. */
#pragma once

#include <adwaita.h>

#include "byline-application.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_WINDOW (byline_window_get_type ())
G_DECLARE_FINAL_TYPE (BylineWindow, byline_window, BYLINE, WINDOW, AdwApplicationWindow)

BylineWindow *byline_window_new       (BylineApplication *application);
/* Opens a Markdown or HTML file as a draft, or the draft already made from it. */
void          byline_window_open_file (BylineWindow      *self,
                                       GFile             *file);
void          byline_window_add_toast (BylineWindow      *self,
                                       AdwToast          *toast);
/* Says, above both views, why nothing can be saved (NULL hides it). */
void          byline_window_show_read_only (BylineWindow *self,
                                            const char   *message);

G_END_DECLS
