/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-posts-window.h: the posts of a site, to open one as a local draft linked to it. */
#pragma once

#include <adwaita.h>

#include "byline-accounts.h"
#include "byline-remote-import.h"
#include "byline-store.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_POSTS_WINDOW (byline_posts_window_get_type ())
G_DECLARE_FINAL_TYPE (BylinePostsWindow, byline_posts_window, BYLINE, POSTS_WINDOW, AdwWindow)

/* Lists the posts of the accounts' sites, searched and filtered by status, a page at a time.
 * Opening one (Enter or a double click on its row) reads it in edit context, makes or finds its
 * draft (byline_remote_import_open), emits ::open-draft (BylineDraft *draft, int outcome, a
 * BylineRemoteImportOutcome) for the caller to list and select it, and closes the window. The
 * caller saves the open draft first: an untouched draft may be refreshed from the site. */
BylinePostsWindow *byline_posts_window_new         (BylineStore       *store,
                                                    BylineAccounts    *accounts);
/* Lists the posts of account @account_id (the first account's until then). */
void               byline_posts_window_set_account (BylinePostsWindow *self,
                                                    gint64             account_id);

G_END_DECLS
