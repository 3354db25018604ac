/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-authorize.h: gets an Application Password through WordPress's own authorization page
 * (wp-admin/authorize-application.php) opened in the browser, which returns to a one-shot
 * callback: a link with Byline's own URI scheme that the desktop hands back to the application,
 * or an address Byline listens on over loopback. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BYLINE_WP_AUTHORIZE_DEFAULT_TIMEOUT (10 * 60)   /* seconds */

/* The host part of Byline's authorization links: SCHEME://authorize/TOKEN. */
#define BYLINE_WP_AUTHORIZE_URI_HOST "authorize"

/* Where WordPress sends the browser back to (its success_url and reject_url). */
typedef enum {
  /* Byline's own URI scheme (byline_wp_authorize_get_uri_scheme), which the desktop hands to the
   * application's open handler and so to byline_wp_authorize_handle_uri. WordPress accepts it
   * in every environment, but it reaches Byline only where its desktop file is installed. */
  BYLINE_WP_AUTHORIZE_RETURN_APP_URI,
  /* http://127.0.0.1:PORT/TOKEN, which Byline listens on. WordPress accepts a plain-http
   * callback only from sites whose environment type is "local": others refuse it with "The URL
   * must be served over a secure connection." */
  BYLINE_WP_AUTHORIZE_RETURN_LOOPBACK,
  /* The app URI when the desktop hands that scheme to Byline; otherwise the loopback for an http
   * site, and an error for an https one (see byline_wp_authorize_begin). */
  BYLINE_WP_AUTHORIZE_RETURN_AUTO,
} BylineWpAuthorizeReturn;

#define BYLINE_TYPE_WP_AUTHORIZE (byline_wp_authorize_get_type ())
G_DECLARE_FINAL_TYPE (BylineWpAuthorize, byline_wp_authorize, BYLINE, WP_AUTHORIZE, GObject)

/* Makes a one-shot callback with a random token, and the address of @authorization_endpoint
 * (BylineWpSite.authorization_endpoint) to open in the browser: byline_wp_authorize_get_url.
 * With the loopback, starts listening on 127.0.0.1 (a port the system picks); with the app URI,
 * the authorization waits for byline_wp_authorize_handle_uri. Both belong to the thread-default
 * main context of the caller, which must be the main thread's for the app URI. */
BylineWpAuthorize *byline_wp_authorize_begin          (const char          *authorization_endpoint,
                                                       BylineWpAuthorizeReturn how,
                                                       GError             **error);
/* What to open in the browser. */
const char        *byline_wp_authorize_get_url        (BylineWpAuthorize   *self);
/* The one-shot callback (WordPress's success_url): http://127.0.0.1:PORT/TOKEN or
 * SCHEME://authorize/TOKEN. */
const char        *byline_wp_authorize_get_callback_url (BylineWpAuthorize *self);
/* BYLINE_WP_AUTHORIZE_RETURN_APP_URI or _LOOPBACK: the one begin chose. */
BylineWpAuthorizeReturn byline_wp_authorize_get_return (BylineWpAuthorize *self);
/* How long the wait may last, from _wait_async on. Default BYLINE_WP_AUTHORIZE_DEFAULT_TIMEOUT. */
void               byline_wp_authorize_set_timeout    (BylineWpAuthorize   *self,
                                                       guint                seconds);

/* Byline's URI scheme: its application id in lower case (io.github.byline.byline), which the
 * desktop file declares as x-scheme-handler. */
const char        *byline_wp_authorize_get_uri_scheme (void);
/* Whether the desktop would hand links of that scheme to this application (its desktop file is
 * installed and is the scheme's default handler). */
gboolean           byline_wp_authorize_app_uri_reaches_us (void);
/* Whether @uri is one of Byline's authorization links (SCHEME://authorize/...). */
gboolean           byline_wp_authorize_is_app_uri     (const char          *uri);
/* Gives @uri, an authorization link the desktop handed to the application, to the authorization
 * waiting for it, which then completes as with the loopback. Fails with G_IO_ERROR_NOT_FOUND
 * (its message fit to show) when no authorization is waiting for a link, and with
 * G_IO_ERROR_PERMISSION_DENIED when some are but the token matches none: a stray or replayed
 * link, to be ignored. Main thread only. */
gboolean           byline_wp_authorize_handle_uri     (const char          *uri,
                                                       GError             **error);

/* Completes when the browser comes back to the callback: with the user's login and the new
 * Application Password once approved; G_IO_ERROR_PERMISSION_DENIED ("You declined…") when the
 * person said no; G_IO_ERROR_TIMED_OUT after the timeout; G_IO_ERROR_CANCELLED. Visits to any
 * other path get 404, links with another token are refused, and the wait goes on. Once it has
 * completed, the listener is stopped and links are refused. Call it once. */
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
