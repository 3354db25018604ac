/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-wp-read-answer.h: the client's reading of a site's 200 answer, for the targets that feed
 * bytes to a reader of what a site sends. */
#pragma once

#include "byline-wp-client-private.h"

/* The client's reading of a 200 answer with these bytes as its JSON body. */
static inline JsonNode *
fuzz_read_ok_answer (const void *data,
                     gsize       size,
                     GError    **error)
{
  g_autoptr(SoupMessageHeaders) headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_RESPONSE);
  g_autoptr(GBytes) body = g_bytes_new (data, size);
  g_auto(BylineWpResponseInfo) info = { 0 };

  soup_message_headers_replace (headers, "Content-Type", "application/json; charset=UTF-8");
  return _byline_wp_answer_read (SOUP_STATUS_OK, "OK", headers, body, &info, NULL, error);
}
