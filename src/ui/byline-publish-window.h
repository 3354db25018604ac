/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-publish-window.h: publish, schedule, update or trash a draft's post on a site. */
#pragma once

#include <adwaita.h>

#include "byline-accounts.h"
#include "byline-publisher.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_PUBLISH_WINDOW (byline_publish_window_get_type ())
G_DECLARE_FINAL_TYPE (BylinePublishWindow, byline_publish_window, BYLINE, PUBLISH_WINDOW, AdwWindow)

/* Emits ::take-theirs (BylineDraft *theirs) when the person keeps the site's version of a post
 * changed there meanwhile: its title and HTML body, for the editor to put in the draft. */
BylinePublishWindow *byline_publish_window_new (BylinePublisher *publisher,
                                                BylineAccounts  *accounts,
                                                BylineDraft     *draft);

G_END_DECLS
