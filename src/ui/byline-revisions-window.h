/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-revisions-window.h: browse a draft's revisions and restore one. */
#pragma once

#include <adwaita.h>

#include "byline-store.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_REVISIONS_WINDOW (byline_revisions_window_get_type ())
G_DECLARE_FINAL_TYPE (BylineRevisionsWindow, byline_revisions_window, BYLINE, REVISIONS_WINDOW,
                      AdwWindow)

/* Emits ::restore (BylineRevision, with its body) when the user picks one to restore, then
 * closes. */
BylineRevisionsWindow *byline_revisions_window_new (BylineStore *store,
                                                    BylineDraft *draft);

G_END_DECLS
