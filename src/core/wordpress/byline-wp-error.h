/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-error.h: what can go wrong talking to a WordPress site, as codes the UI acts on. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BYLINE_WP_ERROR (byline_wp_error_quark ())

typedef enum {
  BYLINE_WP_ERROR_FAILED,
  BYLINE_WP_ERROR_BAD_CREDENTIALS,   /* 401 on /users/me, or a write refused as anonymous */
  BYLINE_WP_ERROR_FORBIDDEN,         /* 403: signed in, but not allowed */
  BYLINE_WP_ERROR_NOT_FOUND,         /* 404 */
  BYLINE_WP_ERROR_GONE,              /* 410: already in the trash */
  BYLINE_WP_ERROR_CONFLICT,          /* 409, or a post changed on the site meanwhile */
  BYLINE_WP_ERROR_BAD_REQUEST,       /* 400: the site refused what we sent */
  BYLINE_WP_ERROR_RATE_LIMITED,      /* 429 */
  BYLINE_WP_ERROR_SERVER,            /* 5xx */
  BYLINE_WP_ERROR_NETWORK,           /* no connection was made, or it broke before the request went out */
  BYLINE_WP_ERROR_TIMEOUT,           /* no answer in time after the request was sent: it may have been applied */
  BYLINE_WP_ERROR_INVALID_RESPONSE,  /* not JSON, truncated, or not the shape expected */
  BYLINE_WP_ERROR_TOO_LARGE,         /* the answer was over the size limit */
  BYLINE_WP_ERROR_TLS,               /* the certificate was not trusted: refused, never ignored */
  BYLINE_WP_ERROR_NOT_WORDPRESS,     /* no WordPress REST API was found at that address */
} BylineWpError;

GQuark   byline_wp_error_quark            (void);
/* Network, timeout, 429 and 5xx: worth trying again later, with backoff. */
gboolean byline_wp_error_is_retryable     (const GError *error);
/* Timeouts and connections lost after the request was sent: the site may have done it anyway.
 * The client reports both of those as BYLINE_WP_ERROR_TIMEOUT, so this is TRUE for TIMEOUT only:
 * a NETWORK error always means that the request did not (completely) reach the site. Whether a
 * request "was sent" is judged by the client: its last byte was handed to the operating system.
 * A 5xx (SERVER) is not counted, although a plugin can fail after WordPress saved: before
 * creating a post again after any retryable error, look for it first (by its slug). */
gboolean byline_wp_error_may_have_applied (const GError *error);
/* What a site or a library wrote (a reason phrase, a Location, WordPress's error code, json-glib's
 * message quoting the site's bytes), fit to quote in a message for people: nothing says it is
 * UTF-8, so anything that is not, or is a control character, becomes U+FFFD. NULL gives "". */
char    *byline_wp_error_quotable         (const char   *text);

G_END_DECLS
