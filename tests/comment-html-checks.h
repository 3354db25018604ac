/* SPDX-License-Identifier: GPL-3.0-or-later */
/* comment-html-checks.h: what holds for the comment sanitizer's output whatever the input, checked
 * by test-comment-html on its corpus and by fuzz-comment-html on any bytes. Each check aborts on
 * the output that breaks it.
 *
 * The markup: valid UTF-8 within the size limit, no control character but a new line or a tab and
 * no bidi control; it parses as GtkLabel reads it (GMarkup for the links, Pango for the rest)
 * with only <b>, <i>, <s>, <tt> and <a href>, no link inside a link, and every link http, https
 * or mailto, without an invisible character, let through unchanged by the link check again. The
 * text: valid UTF-8 within the size limit, one line without control characters, no run of spaces
 * and none at either end. */
#pragma once

#include <string.h>

#include <pango/pango.h>

#include "byline-comment-html.h"

typedef struct
{
  GString   *text;
  GPtrArray *links;
  gboolean   in_link;
} CommentHtmlMarkupContent;

static inline gboolean
comment_html_is_forbidden_char (gunichar c,
                                gboolean markup)
{
  if (c < 0x20)
    return !(markup && (c == '\n' || c == '\t'));
  return (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) ||
         (c >= 0x2066 && c <= 0x2069);
}

static inline void
comment_html_check_chars (const char *output,
                          gboolean    markup)
{
  if (!g_utf8_validate (output, -1, NULL))
    g_error ("the %s is not valid UTF-8", markup ? "markup" : "text");
  g_assert_cmpuint (strlen (output), <=, BYLINE_COMMENT_HTML_MAX_OUTPUT);
  for (const char *p = output; *p; p = g_utf8_next_char (p))
    if (comment_html_is_forbidden_char (g_utf8_get_char (p), markup))
      g_error ("character U+%04X in the %s", g_utf8_get_char (p), markup ? "markup" : "text");
}

/* An address that is let through: a safe scheme, nothing invisible, and let through as it is. */
static inline void
comment_html_check_safe_link (const char *link)
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

static inline void
comment_html_markup_start (GMarkupParseContext  *context,
                           const char           *name,
                           const char          **attribute_names,
                           const char          **attribute_values,
                           gpointer              user_data,
                           GError              **error)
{
  static const char * const allowed[] = { "markup", "b", "i", "s", "tt", "a", NULL };
  CommentHtmlMarkupContent *content = user_data;

  if (!g_strv_contains (allowed, name))
    g_error ("element <%s> in the markup", name);
  if (g_str_equal (name, "a"))
    {
      g_assert_false (content->in_link);
      g_assert_cmpstr (attribute_names[0], ==, "href");
      g_assert_null (attribute_names[1]);
      comment_html_check_safe_link (attribute_values[0]);
      if (content->links != NULL)
        g_ptr_array_add (content->links, g_strdup (attribute_values[0]));
      content->in_link = TRUE;
    }
  else if (attribute_names[0] != NULL)
    g_error ("attribute %s on <%s> in the markup", attribute_names[0], name);
}

static inline void
comment_html_markup_end (GMarkupParseContext  *context,
                         const char           *name,
                         gpointer              user_data,
                         GError              **error)
{
  CommentHtmlMarkupContent *content = user_data;

  if (g_str_equal (name, "a"))
    content->in_link = FALSE;
}

static inline void
comment_html_markup_text (GMarkupParseContext  *context,
                          const char           *text,
                          gsize                 length,
                          gpointer              user_data,
                          GError              **error)
{
  CommentHtmlMarkupContent *content = user_data;

  g_string_append_len (content->text, text, length);
}

/* Checks @markup and returns its text, as GtkLabel would show it; its links go to @links unless
 * that is NULL. */
static inline char *
comment_html_check_markup (const char *markup,
                           GPtrArray  *links)
{
  static const GMarkupParser parser = {
    comment_html_markup_start, comment_html_markup_end, comment_html_markup_text, NULL, NULL
  };
  static GRegex *link_tags;
  g_autoptr(GMarkupParseContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wrapped = NULL;
  g_autofree char *without_links = NULL;
  g_autofree char *pango_text = NULL;
  CommentHtmlMarkupContent content = { g_string_new (NULL), links, FALSE };

  comment_html_check_chars (markup, TRUE);

  /* Element by element, the way GtkLabel reads the links. */
  wrapped = g_strconcat ("<markup>", markup, "</markup>", NULL);
  context = g_markup_parse_context_new (&parser, 0, &content, NULL);
  if (!g_markup_parse_context_parse (context, wrapped, -1, &error) ||
      !g_markup_parse_context_end_parse (context, &error))
    g_error ("the markup does not parse (%s): %s", error->message, markup);
  g_assert_false (content.in_link);

  /* Pango does not know <a>: GtkLabel takes the links out before handing it the rest. */
  if (link_tags == NULL)
    link_tags = g_regex_new ("<a href=\"[^\"]*\">|</a>", G_REGEX_OPTIMIZE, 0, NULL);
  without_links = g_regex_replace_literal (link_tags, markup, -1, 0, "", 0, NULL);
  if (!pango_parse_markup (without_links, -1, 0, NULL, &pango_text, NULL, &error))
    g_error ("Pango does not read the markup (%s): %s", error->message, markup);
  g_assert_cmpstr (pango_text, ==, content.text->str);

  return g_string_free (content.text, FALSE);
}

static inline void
comment_html_check_text (const char *text)
{
  gsize length = strlen (text);

  comment_html_check_chars (text, FALSE);
  g_assert_null (strstr (text, "  "));
  if (length > 0)
    {
      g_assert_cmpint (text[0], !=, ' ');
      g_assert_cmpint (text[length - 1], !=, ' ');
    }
}
