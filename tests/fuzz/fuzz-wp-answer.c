/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-wp-answer.c: feeds bytes as a whole answer of a WordPress site to the client's reading of
 * answers (_byline_wp_answer_read: the status, the headers it reads, WordPress's error object
 * and the HTML pages that come instead). An input that starts with a status line and headers
 * ("HTTP/1.1 404 Not Found\r\n...\r\n\r\n{...}") is read as one, by libsoup's own parser, the
 * rest being the body; any other input is the body of an answer whose status its first byte
 * picks, so the recorded JSON answers are seeds as they are.
 *
 * Invariants: JSON comes back only for a 2xx status, and without an error; anything else is a
 * BYLINE_WP_ERROR whose code is the one the status means, with a human message (non-empty,
 * valid UTF-8, no control characters); WordPress's error code and object come back only
 * together; the counts from the headers are -1 or more. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "byline-wp-client-private.h"
#include "fuzz-target.h"

static const guint statuses[] = {
  200, 201, 204, 207, 301, 302, 400, 401, 403, 404, 409, 410, 413, 418, 429, 500, 502, 503, 600,
};

/* The error code @status means, as the client documents it. */
static BylineWpError
expected_code (guint status)
{
  switch (status)
    {
    case 400:
    case 413:
      return BYLINE_WP_ERROR_BAD_REQUEST;
    case 401:
      return BYLINE_WP_ERROR_BAD_CREDENTIALS;
    case 403:
      return BYLINE_WP_ERROR_FORBIDDEN;
    case 404:
      return BYLINE_WP_ERROR_NOT_FOUND;
    case 409:
      return BYLINE_WP_ERROR_CONFLICT;
    case 410:
      return BYLINE_WP_ERROR_GONE;
    case 429:
      return BYLINE_WP_ERROR_RATE_LIMITED;
    default:
      if (status >= 500 && status < 600)
        return BYLINE_WP_ERROR_SERVER;
      if (status >= 300 && status < 500)
        return BYLINE_WP_ERROR_FAILED;
      return BYLINE_WP_ERROR_INVALID_RESPONSE;
    }
}

static void
assert_human_message (const char *message)
{
  g_assert_nonnull (message);
  g_assert_cmpuint (strlen (message), >, 0);
  g_assert_true (g_utf8_validate (message, -1, NULL));
  for (const char *c = message; *c != '\0'; c++)
    g_assert_false (g_ascii_iscntrl (*c));
}

/* The length of the status line and headers at the start of @data, blank line included; 0 when
 * it has none. */
static gsize
head_length (const uint8_t *data,
             size_t         size)
{
  for (size_t i = 0; i + 1 < size; i++)
    {
      if (data[i] == '\n' && data[i + 1] == '\n')
        return i + 2;
      if (i + 3 < size && memcmp (data + i, "\r\n\r\n", 4) == 0)
        return i + 4;
    }
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) error_json = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *reason = NULL;
  g_auto(BylineWpResponseInfo) info = { 0 };
  guint status = 0;
  gsize head = 0;

  /* The client stops reading an answer at this size. */
  if (size == 0 || size > BYLINE_WP_CLIENT_DEFAULT_MAX_RESPONSE_SIZE)
    return 0;

  if (size > 5 && memcmp (data, "HTTP/", 5) == 0)
    head = head_length (data, size);
  if (head == 0 || !soup_headers_parse_response ((const char *) data, (int) head, headers, NULL,
                                                 &status, &reason))
    {
      soup_message_headers_clear (headers);
      status = statuses[data[0] % G_N_ELEMENTS (statuses)];
      g_clear_pointer (&reason, g_free);
      reason = g_strdup (soup_status_get_phrase (status));
      head = 0;
    }
  body = g_bytes_new (data + head, size - head);

  node = _byline_wp_answer_read (status, reason, headers, body, &info, &error_json, &error);

  g_assert_cmpuint (info.status, ==, status);
  g_assert_cmpint (info.total, >=, -1);
  g_assert_cmpint (info.total_pages, >=, -1);
  if (node != NULL)
    {
      g_assert_no_error (error);
      g_assert_true (status >= 200 && status < 300);
      g_assert_null (error_json);
      return 0;
    }

  g_assert_nonnull (error);
  g_assert_true (error->domain == BYLINE_WP_ERROR);
  assert_human_message (error->message);
  if (status >= 200 && status < 300)
    g_assert_cmpint (error->code, ==, BYLINE_WP_ERROR_INVALID_RESPONSE);
  else
    g_assert_cmpint (error->code, ==, expected_code (status));
  g_assert_true ((info.wp_code != NULL) == (error_json != NULL));
  return 0;
}
