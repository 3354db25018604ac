/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-application.h: the Byline application: its store, windows and app-wide actions. */
#pragma once

#include <adwaita.h>

#include "byline-accounts.h"
#include "byline-comment-store.h"
#include "byline-comment-sync.h"
#include "byline-link-checker.h"
#include "byline-moderator.h"
#include "byline-publisher.h"
#include "byline-store.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_APPLICATION (byline_application_get_type ())
G_DECLARE_FINAL_TYPE (BylineApplication, byline_application, BYLINE, APPLICATION, AdwApplication)

BylineApplication *byline_application_new       (void);
/* NULL until startup, or when the drafts database could not be opened. */
BylineStore       *byline_application_get_store (BylineApplication *self);
GSettings         *byline_application_get_settings (BylineApplication *self);
/* NULL when the store could not be opened. */
BylineAccounts    *byline_application_get_accounts  (BylineApplication *self);
BylinePublisher   *byline_application_get_publisher (BylineApplication *self);
BylineCommentStore *byline_application_get_comments (BylineApplication *self);
BylineModerator   *byline_application_get_moderator (BylineApplication *self);
BylineCommentSync *byline_application_get_comment_sync (BylineApplication *self);
/* The links of drafts are checked with this one, which remembers answers for a while. */
BylineLinkChecker *byline_application_get_link_checker (BylineApplication *self);

G_END_DECLS
