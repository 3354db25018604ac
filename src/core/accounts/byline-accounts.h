/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-accounts.h: the WordPress accounts kept in the store, with passwords in the Secret Service. */
#pragma once

#include "byline-account.h"
#include "byline-wp-client.h"
#include "byline-store.h"

G_BEGIN_DECLS

#define BYLINE_ACCOUNTS_ERROR (byline_accounts_error_quark ())

typedef enum {
  BYLINE_ACCOUNTS_ERROR_NO_KEYRING, /* no Secret Service answers, or it refused */
  BYLINE_ACCOUNTS_ERROR_NO_PASSWORD, /* the keyring has no password for the account */
} BylineAccountsError;

#define BYLINE_TYPE_ACCOUNTS (byline_accounts_get_type ())
G_DECLARE_FINAL_TYPE (BylineAccounts, byline_accounts, BYLINE, ACCOUNTS, GObject)

GQuark          byline_accounts_error_quark     (void);
BylineAccounts *byline_accounts_new             (BylineStore    *store);
/* The store the accounts are kept in. */
BylineStore    *byline_accounts_get_store       (BylineAccounts *self);
/* Oldest first. */
GPtrArray      *byline_accounts_list            (BylineAccounts *self,
                                                 GError        **error);
BylineAccount  *byline_accounts_load            (BylineAccounts *self,
                                                 gint64          id,
                                                 GError        **error);
/* The name a new draft is signed with: the display name (else the user name) of the oldest
 * account, or NULL without accounts. */
char           *byline_accounts_dup_byline      (BylineAccounts *self);
/* Keeps @account (the same site and user name again updates it) and its password, which goes
 * to the Secret Service only. Sets the account's id. These block on the keyring: call them
 * from a worker thread in the UI. */
gboolean        byline_accounts_add             (BylineAccounts *self,
                                                 BylineAccount  *account,
                                                 const char     *password,
                                                 GError        **error);
/* Forgets the account and removes its password from the keyring. */
gboolean        byline_accounts_remove          (BylineAccounts *self,
                                                 gint64          id,
                                                 GError        **error);
char           *byline_accounts_lookup_password (BylineAccounts *self,
                                                 BylineAccount  *account,
                                                 GError        **error);
/* The client of account @id, signed in with its password from the keyring (looked up once, on a
 * worker thread: the keyring answers over D-Bus and may ask to be unlocked). Callers in the
 * thread-default main context the accounts were made in share one client per account (one
 * SoupSession), kept until the account is added again (its password may have changed) or
 * removed; callers elsewhere get a client of their own. A setting changed on it (a timeout)
 * applies to everyone's requests. */
void            byline_accounts_connect_async   (BylineAccounts *self,
                                                 gint64          id,
                                                 GCancellable   *cancellable,
                                                 GAsyncReadyCallback callback,
                                                 gpointer        user_data);
BylineWpClient *byline_accounts_connect_finish  (BylineAccounts *self,
                                                 GAsyncResult   *result,
                                                 GError        **error);
/* Drops the client kept for account @id, so that the next byline_accounts_connect_async reads
 * the password from the keyring again: for a client whose password the site refused (changed
 * by another program, such as byline-cli, or on the site). */
void            byline_accounts_forget_client   (BylineAccounts *self,
                                                 gint64          id);

G_END_DECLS
