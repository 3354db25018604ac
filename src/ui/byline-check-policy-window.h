/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-check-policy-window.h: which fields a site requires and which findings stop a post. */
#pragma once

#include <adwaita.h>

#include "byline-account.h"
#include "byline-store.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_CHECK_POLICY_WINDOW (byline_check_policy_window_get_type ())
G_DECLARE_FINAL_TYPE (BylineCheckPolicyWindow, byline_check_policy_window, BYLINE,
                      CHECK_POLICY_WINDOW, AdwPreferencesWindow)

/* The pre-publish check's policy for @account's site, kept in @store as each switch turns. */
BylineCheckPolicyWindow *byline_check_policy_window_new (BylineStore   *store,
                                                         BylineAccount *account);

G_END_DECLS
