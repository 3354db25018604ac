/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-publish-window.h: publish, schedule, update or trash a draft's post on a site. */
#pragma once

#include <adwaita.h>

#include "byline-accounts.h"
#include "byline-link-checker.h"
#include "byline-publisher.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_PUBLISH_WINDOW (byline_publish_window_get_type ())
G_DECLARE_FINAL_TYPE (BylinePublishWindow, byline_publish_window, BYLINE, PUBLISH_WINDOW, AdwWindow)

/* Emits ::take-theirs (BylineDraft *theirs) when the person keeps the site's version of a post
 * changed there meanwhile: its title and HTML body, for the editor to put in the draft.
 * Publish, Schedule and Update check the draft first (byline-prepublish-check.h); activating a
 * finding in the editor's care emits ::show-place (guint BylineCheckField, guint64 offset,
 * guint64 length: bytes of the body) and closes the window. */
BylinePublishWindow *byline_publish_window_new (BylinePublisher *publisher,
                                                BylineAccounts  *accounts,
                                                BylineDraft     *draft);
/* The link checker to check links with (by default one of the window's own): one kept by the
 * application remembers answers from one window to the next. */
void                 byline_publish_window_set_link_checker (BylinePublishWindow *self,
                                                             BylineLinkChecker   *links);

G_END_DECLS
