/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wp-browser.h: a SoupSession with a cookie jar playing the browser against the WordPress test
 * bed (run under wordpress/with-wordpress): it logs in through wp-login.php and goes through
 * WordPress's authorization page as a person would. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

#define WP_BROWSER_TIMEOUT_SECONDS 60

/* One request as the browser makes it (@msg is consumed); returns the body, sets the status (0
 * when no answer came) and, with @no_redirect, the Location. */
char        *wp_browser_browse            (SoupSession  *session,
                                           SoupMessage  *msg,
                                           gboolean      no_redirect,
                                           guint        *status,
                                           char        **location);
/* A browser logged in to the site at @wp_url as @user. */
SoupSession *wp_browser_log_in            (const char   *wp_url,
                                           const char   *user,
                                           const char   *password);
/* The value of attribute @name in the HTML @tag, its entities decoded; NULL if absent. */
char        *wp_browser_attribute         (const char   *tag,
                                           const char   *name);
/* Opens the authorization page at @url, submits its form with @button ("approve" or
 * "reject") as a browser without JavaScript does, and returns where WordPress redirects to. */
char        *wp_browser_submit_authorization (SoupSession *session,
                                              const char  *url,
                                              const char  *button);
/* The authorization page at @url as a browser with JavaScript goes through it, doing what
 * WordPress's wp-admin/js/auth-app.js does on a click of @button: "approve" creates the password
 * through the REST API with the page's nonce and goes to the page's success address with
 * site_url, user_login and password added; "reject" goes to its reject address. Returns that
 * address (where the browser goes next); @page_success gets the success address the page
 * holds. */
char        *wp_browser_authorize_scripted (SoupSession *session,
                                            const char  *url,
                                            const char  *button,
                                            char       **page_success);

G_END_DECLS
