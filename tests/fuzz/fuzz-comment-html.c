/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-comment-html.c: the comment sanitizer, both outputs, and its link check, on any bytes.
 *
 * Feeds the input as a comment's HTML to byline_comment_html_to_markup () and
 * byline_comment_html_to_text (), and as an address to byline_comment_html_safe_link (), and
 * aborts when an output breaks what ../comment-html-checks.h says holds for any input (the markup
 * read by GMarkup and by Pango, to the same text, with only the allowed elements and links; the
 * text one clean line; both within their size) or when an address let through is not http,
 * https or mailto, holds an invisible character, or is not let through unchanged again. */

#include "config.h"

#include "byline-comment-html.h"
#include "fuzz-target.h"
#include "../comment-html-checks.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *markup = byline_comment_html_to_markup ((const char *) data, size);
  g_autofree char *text = byline_comment_html_to_text ((const char *) data, size);
  /* The same bytes as an address, up to the first NUL. */
  g_autofree char *href = g_strndup ((const char *) data, size);
  g_autofree char *shown = NULL;
  g_autofree char *link = byline_comment_html_safe_link (href, &shown);

  g_free (comment_html_check_markup (markup, NULL));
  comment_html_check_text (text);
  if (link != NULL)
    comment_html_check_safe_link (link);
  else
    g_assert_null (shown);
  return 0;
}
