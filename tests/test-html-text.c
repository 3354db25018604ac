/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-html-text.c: the text of HTML from a site (WordPress's messages, a site's name, a title),
 * read with libxml2 within bounds. */

#include "config.h"

#include <string.h>

#include "byline-html-text.h"
#include "byline-test-util.h"

/* Far above the few milliseconds measured, far below libxml2's quadratic time on these inputs
 * unbounded (seconds). The sanitizer build is about 20 times slower. */
#if defined(__SANITIZE_ADDRESS__)
#define TIME_LIMIT_MS 30000
#else
#define TIME_LIMIT_MS 3000
#endif

static void
assert_text (const char          *html,
             BylineHtmlTextFlags  flags,
             guint                max_chars,
             const char          *expected)
{
  g_autofree char *text = byline_html_text_extract (html, -1, flags, max_chars);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_entities (void)
{
  /* WordPress's own messages and site names. */
  assert_text ("it looks as though you&#8217;ve already said that!", BYLINE_HTML_TEXT_ONE_LINE, 0,
               "it looks as though you’ve already said that!");
  assert_text ("Gazette &amp; Co &mdash; &ldquo;News&rdquo; &#x2019; &hellip;",
               BYLINE_HTML_TEXT_ONE_LINE, 0, "Gazette & Co — “News” ’ …");
  /* A no-break space is white space like any other; an unknown entity stays as it was. */
  assert_text ("a&nbsp;&nbsp;b &bogus; &lt;tag&gt;", BYLINE_HTML_TEXT_ONE_LINE, 0,
               "a b &bogus; <tag>");
  assert_text (NULL, BYLINE_HTML_TEXT_ONE_LINE, 0, "");
  assert_text ("", BYLINE_HTML_TEXT_LINES, 0, "");
}

static void
test_blocks (void)
{
  static const char page[] =
    "<h1>Error establishing a database connection</h1>\n"
    "<p>This either means that the <b>user name</b> and password are wrong,\n  or that"
    " the host is down.</p><ul><li>One</li><li>Two<br>lines</li></ul>"
    "<table><tr><td>a</td><td>b</td></tr></table>";

  assert_text (page, BYLINE_HTML_TEXT_LINES, 0,
               "Error establishing a database connection\n"
               "This either means that the user name and password are wrong, or that the host "
               "is down.\nOne\nTwo\nlines\na b");
  assert_text (page, BYLINE_HTML_TEXT_ONE_LINE, 0,
               "Error establishing a database connection "
               "This either means that the user name and password are wrong, or that the host "
               "is down. One Two lines a b");
  /* Inline elements join their text as a browser shows it; white space at either end goes. */
  assert_text ("  <em>Mon</em>day\t\n <span> </span> ", BYLINE_HTML_TEXT_LINES, 0, "Monday");
  assert_text ("<pre>line 1\nline   2</pre>after", BYLINE_HTML_TEXT_LINES, 0,
               "line 1\nline 2\nafter");
}

static void
test_left_out (void)
{
  assert_text ("<html><head><title>Database Error</title><style>h1 { color: red }</style>"
               "<script>alert('x')</script></head><body>Shown<script>alert('y')</script>"
               "<noscript>Turn on JavaScript</noscript><template>not yet</template>"
               "<svg><text>drawn</text></svg><!-- a comment --> too</body></html>",
               BYLINE_HTML_TEXT_ONE_LINE, 0, "Shown too");
  /* Controls and bidi overrides are not shown; direction marks and U+FFFD are. */
  assert_text ("a\x01" "b\xe2\x80\xae" "c\xe2\x81\xa6" "d\xe2\x80\x8f" "e\xef\xbf\xbd",
               BYLINE_HTML_TEXT_ONE_LINE, 0, "abcd\xe2\x80\x8f" "e\xef\xbf\xbd");
}

static void
test_bytes (void)
{
  static const char html[] = "one\xff two\0three";
  g_autofree char *text = byline_html_text_extract (html, sizeof html - 1,
                                                    BYLINE_HTML_TEXT_ONE_LINE, 0);

  g_assert_cmpstr (text, ==, "one\xef\xbf\xbd two\xef\xbf\xbdthree");
}

static void
test_max_chars (void)
{
  assert_text ("<p>abcde</p>", BYLINE_HTML_TEXT_ONE_LINE, 5, "abcde");
  assert_text ("<p>abcde</p><p>f</p>", BYLINE_HTML_TEXT_ONE_LINE, 5, "abcde…");
  assert_text ("<p>élan vital</p>", BYLINE_HTML_TEXT_ONE_LINE, 4, "élan…");
}

/* The shapes on which libxml2 alone takes quadratic time or stops early, and input past the
 * limit. */
static void
test_hostile_input (void)
{
  g_autoptr(GString) attributes = g_string_new ("<p>Start.</p><b");
  g_autoptr(GString) unmatched = g_string_new ("<p>Start.</p>");
  g_autoptr(GString) deep = g_string_new ("<p>Start.</p>");
  g_autoptr(GString) huge = g_string_new ("<p>Start.</p><style>");
  GString *cases[] = { attributes, unmatched, deep };
  const char *names[] = { "30,000 attributes", "unmatched end tags", "300 levels, then text" };
  g_autofree char *text = NULL;
  gint64 start;

  for (guint i = 0; i < 30000; i++)
    g_string_append_printf (attributes, " a%u=\"%u\"", i, i);
  g_string_append (attributes, ">Bold words.</b><p>After words.</p>");
  for (guint i = 0; i < 25000; i++)
    g_string_append (unmatched, "<div><b>");
  for (guint i = 0; i < 25000; i++)
    g_string_append (unmatched, "</span></i>");
  g_string_append (unmatched, "<p>After words.</p>");
  for (guint i = 0; i < 300; i++)
    g_string_append (deep, "<div>");
  g_string_append (deep, "Bottom words.");
  for (guint i = 0; i < 300; i++)
    g_string_append (deep, "</div>");
  g_string_append (deep, "<p>After words.</p>");

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      double milliseconds;

      g_assert_cmpuint (cases[i]->len, <, BYLINE_HTML_TEXT_MAX_INPUT);
      start = g_get_monotonic_time ();
      g_clear_pointer (&text, g_free);
      text = byline_html_text_extract (cases[i]->str, cases[i]->len, BYLINE_HTML_TEXT_ONE_LINE, 0);
      milliseconds = (g_get_monotonic_time () - start) / 1000.0;
      g_test_message ("%s (%zu bytes): %.1f ms", names[i], cases[i]->len, milliseconds);
      g_assert_cmpfloat (milliseconds, <, TIME_LIMIT_MS);
      g_assert_true (g_str_has_prefix (text, "Start. "));
      g_assert_true (g_str_has_suffix (text, " After words."));
    }

  /* Past the limit the rest is not read, and "…" says so. */
  while (huge->len < 2 * BYLINE_HTML_TEXT_MAX_INPUT)
    g_string_append (huge, "p { color: red; }\n");
  g_string_append (huge, "</style><p>Never read.</p>");
  g_clear_pointer (&text, g_free);
  text = byline_html_text_extract (huge->str, huge->len, BYLINE_HTML_TEXT_ONE_LINE, 0);
  g_assert_cmpstr (text, ==, "Start.…");
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);

  g_test_add_func ("/core/html-text/entities", test_entities);
  g_test_add_func ("/core/html-text/blocks", test_blocks);
  g_test_add_func ("/core/html-text/left-out", test_left_out);
  g_test_add_func ("/core/html-text/bytes", test_bytes);
  g_test_add_func ("/core/html-text/max-chars", test_max_chars);
  g_test_add_func ("/core/html-text/hostile-input", test_hostile_input);

  return g_test_run ();
}
