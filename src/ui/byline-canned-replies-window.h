/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-canned-replies-window.h: a site's canned replies, to add, edit, remove and put in
 * order. */
#pragma once

#include <adwaita.h>

#include "byline-store.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_CANNED_REPLIES_WINDOW (byline_canned_replies_window_get_type ())
G_DECLARE_FINAL_TYPE (BylineCannedRepliesWindow, byline_canned_replies_window, BYLINE,
                      CANNED_REPLIES_WINDOW, AdwWindow)

/* The replies of @account_id. */
GtkWidget *byline_canned_replies_window_new (BylineStore *store,
                                             gint64       account_id);

G_END_DECLS
