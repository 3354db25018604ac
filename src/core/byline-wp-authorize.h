/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-authorize.h: gets an Application Password through WordPress's own authorization page
 * (wp-admin/authorize-application.php) opened in the browser, which returns to a one-shot
 * callback that Byline listens for on loopback. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BYLINE_WP_AUTHORIZE_DEFAULT_TIMEOUT (10 * 60)   /* seconds */

#define BYLINE_TYPE_WP_AUTHORIZE (byline_wp_authorize_get_type ())
G_DECLARE_FINAL_TYPE (BylineWpAuthorize, byline_wp_authorize, BYLINE, WP_AUTHORIZE, GObject)

/* Starts listening on 127.0.0.1 (a port the system picks) for one visit to a random path, and
 * makes the address of @authorization_endpoint (BylineWpSite.authorization_endpoint) to open in
 * the browser: byline_wp_authorize_get_url. The callback is plain http on loopback, which
 * WordPress 6.1 only accepts from sites whose environment type is "local": others refuse it with
 * "The URL must be served over a secure connection." The listener belongs to the thread-default
 * main context of the caller. */
BylineWpAuthorize *byline_wp_authorize_begin          (const char          *authorization_endpoint,
                                                       GError             **error);
/* What to open in the browser. */
const char        *byline_wp_authorize_get_url        (BylineWpAuthorize   *self);
/* The one-shot callback, http://127.0.0.1:PORT/TOKEN (WordPress's success_url). */
const char        *byline_wp_authorize_get_callback_url (BylineWpAuthorize *self);
/* How long the wait may last, from _wait_async on. Default BYLINE_WP_AUTHORIZE_DEFAULT_TIMEOUT. */
void               byline_wp_authorize_set_timeout    (BylineWpAuthorize   *self,
                                                       guint                seconds);

/* Completes when the browser comes back to the callback: with the user's login and the new
 * Application Password once approved; G_IO_ERROR_PERMISSION_DENIED ("You declined…") when the
 * person said no; G_IO_ERROR_TIMED_OUT after the timeout; G_IO_ERROR_CANCELLED. Visits to any
 * other path get 404 and the wait goes on. Once it has completed, the listener is stopped. Call
 * it once. */
void               byline_wp_authorize_wait_async     (BylineWpAuthorize   *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean           byline_wp_authorize_wait_finish    (BylineWpAuthorize   *self,
                                                       GAsyncResult        *result,
                                                       char               **user_login,
                                                       char               **password,
                                                       GError             **error);

G_END_DECLS
