/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-accounts-window.h: sign in to WordPress sites, see what you may do there, remove them. */
#pragma once

#include <adwaita.h>

#include "byline-accounts.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_ACCOUNTS_WINDOW (byline_accounts_window_get_type ())
G_DECLARE_FINAL_TYPE (BylineAccountsWindow, byline_accounts_window, BYLINE, ACCOUNTS_WINDOW,
                      AdwPreferencesWindow)

BylineAccountsWindow *byline_accounts_window_new (BylineAccounts *accounts);

G_END_DECLS
