/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-comment-html.c: the comment sanitizer, both outputs, and its link check, on any bytes.
 *
 * Feeds the input as a comment's HTML to byline_comment_html_to_markup () and
 * byline_comment_html_to_text (), and as an address to byline_comment_html_safe_link (). Aborts
 * when the markup is not valid UTF-8, holds a control character other than a new line or a tab
 * or a bidi control, does not parse as Pango markup, holds an element other than <b>, <i>, <s>,
 * <tt> and <a>, an attribute other than <a>'s href, a link inside a link, or a link that is not
 * http, https or mailto or that the link check would not give back unchanged; when the text is
 * not valid UTF-8, holds any control character (it is one line) or a run of spaces; when either
 * is longer than promised; and when an address let through is not http, https or mailto, holds
 * an invisible character, or is not let through unchanged a second time. */

#include "config.h"

#include <string.h>

#include <pango/pango.h>

#include "byline-comment-html.h"
#include "fuzz-target.h"

typedef struct
{
  gboolean in_link;
} MarkupState;

static gboolean
is_forbidden_char (gunichar c,
                   gboolean markup)
{
  if (c < 0x20)
    return !(markup && (c == '\n' || c == '\t'));
  return (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

static void
check_chars (const char *output,
             gboolean    markup)
{
  if (!g_utf8_validate (output, -1, NULL))
    g_error ("the %s is not valid UTF-8", markup ? "markup" : "text");
  g_assert_cmpuint (strlen (output), <=, BYLINE_COMMENT_HTML_MAX_OUTPUT);
  for (const char *p = output; *p; p = g_utf8_next_char (p))
    if (is_forbidden_char (g_utf8_get_char (p), markup))
      g_error ("character U+%04X in the %s", g_utf8_get_char (p), markup ? "markup" : "text");
}

/* An address that is let through: a safe scheme, nothing invisible, and let through as it is. */
static void
check_safe_link (const char *link)
{
  g_autofree char *again = NULL;
  g_autofree char *shown = NULL;

  if (g_ascii_strncasecmp (link, "http://", 7) != 0 &&
      g_ascii_strncasecmp (link, "https://", 8) != 0 &&
      g_ascii_strncasecmp (link, "mailto:", 7) != 0)
    g_error ("link to %s let through", link);
  g_assert_true (g_utf8_validate (link, -1, NULL));
  for (const char *p = link; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isgraph (g_utf8_get_char (p)))
      g_error ("character U+%04X in a link let through", g_utf8_get_char (p));
  again = byline_comment_html_safe_link (link, &shown);
  g_assert_cmpstr (again, ==, link);
  g_assert_nonnull (shown);
  g_assert_true (g_utf8_validate (shown, -1, NULL));
}

static void
markup_start_element (GMarkupParseContext  *context,
                      const char           *name,
                      const char          **attribute_names,
                      const char          **attribute_values,
                      gpointer              user_data,
                      GError              **error)
{
  static const char * const allowed[] = { "markup", "b", "i", "s", "tt", "a", NULL };
  MarkupState *state = user_data;

  if (!g_strv_contains (allowed, name))
    g_error ("element <%s> in the markup", name);
  if (g_str_equal (name, "a"))
    {
      g_assert_false (state->in_link);
      g_assert_cmpstr (attribute_names[0], ==, "href");
      g_assert_null (attribute_names[1]);
      check_safe_link (attribute_values[0]);
      state->in_link = TRUE;
    }
  else if (attribute_names[0] != NULL)
    g_error ("attribute %s on <%s> in the markup", attribute_names[0], name);
}

static void
markup_end_element (GMarkupParseContext  *context,
                    const char           *name,
                    gpointer              user_data,
                    GError              **error)
{
  MarkupState *state = user_data;

  if (g_str_equal (name, "a"))
    state->in_link = FALSE;
}

static const GMarkupParser markup_parser = {
  markup_start_element, markup_end_element, NULL, NULL, NULL
};

static void
check_markup (const char *markup)
{
  static GRegex *link_tags;
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wrapped = NULL;
  g_autofree char *without_links = NULL;
  MarkupState state = { FALSE };

  check_chars (markup, TRUE);

  /* Element by element, the way GtkLabel reads the links. */
  wrapped = g_strconcat ("<markup>", markup, "</markup>", NULL);
  context = g_markup_parse_context_new (&markup_parser, 0, &state, NULL);
  if (!g_markup_parse_context_parse (context, wrapped, -1, &error) ||
      !g_markup_parse_context_end_parse (context, &error))
    g_error ("the markup does not parse (%s): %s", error->message, markup);
  g_assert_false (state.in_link);

  /* Pango does not know <a>: GtkLabel takes the links out before handing it the rest. */
  if (link_tags == NULL)
    link_tags = g_regex_new ("<a href=\"[^\"]*\">|</a>", G_REGEX_OPTIMIZE, 0, NULL);
  without_links = g_regex_replace_literal (link_tags, markup, -1, 0, "", 0, NULL);
  if (!pango_parse_markup (without_links, -1, 0, NULL, NULL, NULL, &error))
    g_error ("Pango does not read the markup (%s): %s", error->message, markup);
}

static void
check_text (const char *text)
{
  gsize length = strlen (text);

  check_chars (text, FALSE);
  g_assert_null (strstr (text, "  "));
  if (length > 0)
    {
      g_assert_cmpint (text[0], !=, ' ');
      g_assert_cmpint (text[length - 1], !=, ' ');
    }
}

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

  check_markup (markup);
  check_text (text);
  if (link != NULL)
    check_safe_link (link);
  else
    g_assert_null (shown);
  return 0;
}
