/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-error.c: what can go wrong talking to a WordPress site, as codes the UI acts on. */

#define G_LOG_DOMAIN "byline-wp-error"

#include "config.h"

#include <string.h>

#include "byline-wp-error.h"

G_DEFINE_QUARK (byline-wp-error-quark, byline_wp_error)

gboolean
byline_wp_error_is_retryable (const GError *error)
{
  if (error == NULL || error->domain != BYLINE_WP_ERROR)
    return FALSE;

  switch ((BylineWpError) error->code)
    {
    case BYLINE_WP_ERROR_NETWORK:
    case BYLINE_WP_ERROR_TIMEOUT:
    case BYLINE_WP_ERROR_RATE_LIMITED:
    case BYLINE_WP_ERROR_SERVER:
      return TRUE;

    case BYLINE_WP_ERROR_FAILED:
    case BYLINE_WP_ERROR_BAD_CREDENTIALS:
    case BYLINE_WP_ERROR_FORBIDDEN:
    case BYLINE_WP_ERROR_NOT_FOUND:
    case BYLINE_WP_ERROR_GONE:
    case BYLINE_WP_ERROR_CONFLICT:
    case BYLINE_WP_ERROR_BAD_REQUEST:
    case BYLINE_WP_ERROR_INVALID_RESPONSE:
    case BYLINE_WP_ERROR_TOO_LARGE:
    case BYLINE_WP_ERROR_TLS:
    case BYLINE_WP_ERROR_NOT_WORDPRESS:
    default:
      return FALSE;
    }
}

gboolean
byline_wp_error_may_have_applied (const GError *error)
{
  if (error == NULL || error->domain != BYLINE_WP_ERROR)
    return FALSE;

  /* The client reports a connection lost after the request was sent as TIMEOUT too (see the
   * header): NETWORK always means that the site cannot have acted on it. */
  switch ((BylineWpError) error->code)
    {
    case BYLINE_WP_ERROR_TIMEOUT:
      return TRUE;

    case BYLINE_WP_ERROR_FAILED:
    case BYLINE_WP_ERROR_BAD_CREDENTIALS:
    case BYLINE_WP_ERROR_FORBIDDEN:
    case BYLINE_WP_ERROR_NOT_FOUND:
    case BYLINE_WP_ERROR_GONE:
    case BYLINE_WP_ERROR_CONFLICT:
    case BYLINE_WP_ERROR_BAD_REQUEST:
    case BYLINE_WP_ERROR_RATE_LIMITED:
    case BYLINE_WP_ERROR_SERVER:
    case BYLINE_WP_ERROR_NETWORK:
    case BYLINE_WP_ERROR_INVALID_RESPONSE:
    case BYLINE_WP_ERROR_TOO_LARGE:
    case BYLINE_WP_ERROR_TLS:
    case BYLINE_WP_ERROR_NOT_WORDPRESS:
    default:
      return FALSE;
    }
}

char *
byline_wp_error_quotable (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *quoted = g_string_sized_new (strlen (valid));

  for (const char *c = valid; *c != '\0'; c = g_utf8_next_char (c))
    {
      if (g_unichar_iscntrl (g_utf8_get_char (c)))
        g_string_append_unichar (quoted, 0xFFFD);
      else
        g_string_append_len (quoted, c, g_utf8_next_char (c) - c);
    }
  return g_string_free (quoted, FALSE);
}
