/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-wp-discovery.c: feeds bytes to what discovery reads from outside before any JSON: the
 * `Link` header of a site's home page, which names its API root (rel="https://api.w.org/"), and
 * the address a person typed. An input that starts with a status line and headers
 * ("HTTP/1.1 200 OK\r\nLink: <...>; rel=...\r\n\r\n") is read by libsoup's own parser and its
 * Link headers are taken as the client takes them (soup_message_headers_get_list); any other
 * input is one Link header's value. The home page is at a fixed address with a path, so that
 * relative targets resolve against it.
 *
 * Invariants: a discovered API root is an absolute http or https address with a host, or
 * nothing; so is the address made of what a person typed. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "byline-wp-client-private.h"
#include "fuzz-target.h"

#define HOME "https://example.org/blog/"

static void
assert_web_address (const char *address)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  if (address == NULL)
    return;
  uri = g_uri_parse (address, SOUP_HTTP_URI_FLAGS, &error);
  g_assert_no_error (error);
  g_assert_true (g_ascii_strcasecmp (g_uri_get_scheme (uri), "http") == 0
                 || g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0);
  g_assert_nonnull (g_uri_get_host (uri));
  g_assert_cmpstr (g_uri_get_host (uri), !=, "");
  /* The client asks it as libsoup takes it. */
  msg = soup_message_new ("GET", address);
  g_assert_nonnull (msg);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GUri) home = g_uri_parse (HOME, SOUP_HTTP_URI_FLAGS, NULL);
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autofree char *api_root = NULL;
  g_autofree char *address = NULL;
  const char *link;

  if (size > 5 && memcmp (data, "HTTP/", 5) == 0
      && soup_headers_parse_response (text, (int) strlen (text), headers, NULL, NULL, NULL))
    link = soup_message_headers_get_list (headers, "Link");
  else
    link = text;

  api_root = _byline_wp_api_root_from_link (home, link);
  assert_web_address (api_root);

  address = _byline_wp_normalize_address (text);
  assert_web_address (address);
  return 0;
}
