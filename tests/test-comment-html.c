/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-comment-html.c: readers' comment HTML against a corpus of hostile input, as markup and text. */

#include "config.h"

#include <string.h>

#include "byline-comment-html.h"
#include "byline-test-util.h"
#include "comment-html-checks.h"

/* Far above the times measured (tens to a few hundred ms, see the messages), to allow for a busy
 * machine, and far below what quadratic work takes on these inputs (libxml2 alone: seconds for
 * 100 KB, minutes for 1 MB). The sanitizer build (-O0, AddressSanitizer) is about 20 times
 * slower. */
#if defined(__SANITIZE_ADDRESS__)
#define TIME_LIMIT_MS 30000
#else
#define TIME_LIMIT_MS 3000
#endif

/* ---- What holds for any input ------------------------------------------------------------ */

typedef struct
{
  char      *markup;
  char      *markup_text;
  char      *text;
  GPtrArray *links;
  double     milliseconds;
} Sanitized;

static void
sanitized_free (Sanitized *s)
{
  g_free (s->markup);
  g_free (s->markup_text);
  g_free (s->text);
  g_ptr_array_unref (s->links);
  g_free (s);
}
G_DEFINE_AUTOPTR_CLEANUP_FUNC (Sanitized, sanitized_free)

/* Both forms of @html, checked for what must hold for any input, and how long they took. */
static Sanitized *
sanitize (const char *html,
          gsize       length)
{
  Sanitized *s = g_new0 (Sanitized, 1);
  gint64 start = g_get_monotonic_time ();

  s->markup = byline_comment_html_to_markup (html, length);
  s->text = byline_comment_html_to_text (html, length);
  s->milliseconds = (g_get_monotonic_time () - start) / 1000.0;
  s->links = g_ptr_array_new_with_free_func (g_free);
  s->markup_text = comment_html_check_markup (s->markup, s->links);
  comment_html_check_text (s->text);

  return s;
}

static gboolean
contains_casefolded (const char *haystack,
                     const char *needle)
{
  g_autofree char *h = g_utf8_casefold (haystack, -1);
  g_autofree char *n = g_utf8_casefold (needle, -1);

  return strstr (h, n) != NULL;
}

/* ---- The corpus -------------------------------------------------------------------------- */

static char *
unescape_newlines (const char *value)
{
  g_autoptr(GString) out = g_string_new (value);

  g_string_replace (out, "\\n", "\n", 0);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_corpus_file (gconstpointer data)
{
  const char *name = data;
  g_autofree char *html_file = g_strconcat (name, ".html", NULL);
  g_autofree char *expect_file = g_strconcat (name, ".expect", NULL);
  g_autofree char *html_path = g_test_build_filename (G_TEST_DIST, "comment-html", html_file, NULL);
  g_autofree char *expect_path = g_test_build_filename (G_TEST_DIST, "comment-html", expect_file,
                                                        NULL);
  g_autofree char *html = NULL;
  g_autofree char *expect = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Sanitized) s = NULL;
  g_autoptr(GPtrArray) expected_links = g_ptr_array_new ();
  gsize length;

  g_file_get_contents (html_path, &html, &length, &error);
  g_assert_no_error (error);
  g_file_get_contents (expect_path, &expect, NULL, &error);
  g_assert_no_error (error);

  s = sanitize (html, length);
  g_test_message ("markup: %s", s->markup);
  g_test_message ("text: %s", s->text);

  lines = g_strsplit (expect, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      const char *line = lines[i];
      const char *value = strchr (line, ' ');

      if (line[0] == '\0' || line[0] == '#')
        continue;
      g_assert_nonnull (value);
      value++;

      if (g_str_has_prefix (line, "has "))
        {
          g_auto(GStrv) words = g_strsplit (value, " ", -1);

          /* The whole phrase in the text; each word in the markup, whose lines may start
           * with "> " or "• ". */
          if (strstr (s->text, value) == NULL)
            g_error ("%s: \"%s\" is not in the text", name, value);
          for (guint j = 0; words[j]; j++)
            if (strstr (s->markup_text, words[j]) == NULL)
              g_error ("%s: \"%s\" is not in the markup", name, words[j]);
        }
      else if (g_str_has_prefix (line, "not "))
        {
          if (contains_casefolded (s->markup, value))
            g_error ("%s: \"%s\" is in the markup", name, value);
          if (contains_casefolded (s->text, value))
            g_error ("%s: \"%s\" is in the text", name, value);
        }
      else if (g_str_has_prefix (line, "link "))
        g_ptr_array_add (expected_links, (char *) value);
      else if (g_str_has_prefix (line, "markup "))
        {
          g_autofree char *fragment = unescape_newlines (value);

          if (strstr (s->markup, fragment) == NULL)
            g_error ("%s: \"%s\" is not in the markup", name, value);
        }
      else
        g_error ("%s: unknown check \"%s\"", expect_file, line);
    }

  g_assert_cmpuint (s->links->len, ==, expected_links->len);
  for (guint i = 0; i < expected_links->len; i++)
    g_assert_cmpstr (g_ptr_array_index (s->links, i), ==, g_ptr_array_index (expected_links, i));
}

/* ---- Inputs made here -------------------------------------------------------------------- */

static void
test_nul_and_invalid_utf8 (void)
{
  static const char html[] =
    "<p>before\0<script>alert('n1')</script>after</p>"
    "<p>bad \xff\xfe bytes \xc3( and \xe2\x82 cut \xf0\x9f\x98</p>"
    "<a href=\"java\0script:alert('n2')\">nul link</a>"
    "<a href=\"https://ok.example/\xff\">bad byte link</a>"
    "<img alt=\"alt\xc0\xaf" "bad\">"
    "<p>end \xed\xa0\x80 surrogate</p>";
  g_autoptr(Sanitized) s = sanitize (html, sizeof html - 1);

  g_assert_nonnull (strstr (s->text, "before"));
  g_assert_nonnull (strstr (s->text, "after"));
  g_assert_nonnull (strstr (s->text, "bytes"));
  g_assert_nonnull (strstr (s->text, "nul link"));
  g_assert_nonnull (strstr (s->text, "bad byte link"));
  g_assert_nonnull (strstr (s->text, "end"));
  g_assert_nonnull (strstr (s->text, "surrogate"));
  g_assert_null (strstr (s->text, "alert"));
  g_assert_null (strstr (s->markup, "alert"));
  /* Invalid bytes show as U+FFFD, and so does the NUL. */
  g_assert_nonnull (strstr (s->text, "before\xef\xbf\xbd"));
  /* The NUL splits "javascript:" but is no way around the check; the bad byte is only text. */
  g_assert_cmpuint (s->links->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (s->links, 0), ==, "https://ok.example/\xef\xbf\xbd");
}

typedef struct
{
  const char *name;
  const char *open;
  const char *close;
} Nesting;

static void
test_deep_nesting (void)
{
  static const Nesting nestings[] = {
    { "div", "<div>", "</div>" },
    { "bold", "<b>", "</b>" },
    { "quote", "<blockquote>", "</blockquote>" },
    { "list", "<ul><li>", "</li></ul>" },
    { "link", "<a href=\"https://deep.example/\">", "</a>" },
    { "table", "<table><tr><td>", "</td></tr></table>" },
    { "mixed", "<b><div><i><p><span>", "</span></p></i></div></b>" },
    { "script", "<div><script>alert('d1')", "</script></div>" },
    { "unclosed-bold-div", "<b><div>", "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (nestings); i++)
    {
      g_autoptr(GString) html = g_string_new ("<p>Top words.</p>");
      g_autoptr(Sanitized) s = NULL;

      for (guint level = 0; level < 100000; level++)
        g_string_append (html, nestings[i].open);
      g_string_append (html, "Bottom words.");
      for (guint level = 0; level < 100000; level++)
        g_string_append (html, nestings[i].close);
      g_string_append (html, "<p>After words.</p>");

      s = sanitize (html->str, html->len);
      g_test_message ("%s, 100,000 levels (%zu bytes): %.1f ms for both forms",
                      nestings[i].name, html->len, s->milliseconds);
      g_assert_cmpfloat (s->milliseconds, <, TIME_LIMIT_MS);
      g_assert_nonnull (strstr (s->text, "Top words."));
      g_assert_null (strstr (s->text, "alert"));
      /* Past BYLINE_COMMENT_HTML_MAX_INPUT the comment is not read: the text that fits survives, and "…" says so. */
      if (html->len <= BYLINE_COMMENT_HTML_MAX_INPUT)
        {
          g_assert_nonnull (strstr (s->text, "Bottom words."));
          g_assert_nonnull (strstr (s->text, "After words."));
        }
      else
        g_assert_true (g_str_has_suffix (s->text, "…"));
    }
}

/* The shapes on which libxml2 alone takes quadratic time or stops early. */
static void
test_parser_worst_cases (void)
{
  g_autoptr(GString) attributes = g_string_new ("<p>Start.</p><b");
  g_autoptr(GString) unmatched = g_string_new ("<p>Start.</p>");
  g_autoptr(GString) deep_then_text = g_string_new ("<p>Start.</p>");
  GString *cases[3];
  const char *names[3] = { "30,000 attributes", "unmatched end tags", "300 levels, then text" };

  for (guint i = 0; i < 30000; i++)
    g_string_append_printf (attributes, " a%u=\"%u\"", i, i);
  g_string_append (attributes, " href=x>Bold words.</b><p>After words.</p>");
  for (guint i = 0; i < 25000; i++)
    g_string_append (unmatched, "<div><b>");
  g_string_append (unmatched, "Bottom words.");
  for (guint i = 0; i < 25000; i++)
    g_string_append (unmatched, "</span></i>");
  g_string_append (unmatched, "<p>After words.</p>");
  for (guint i = 0; i < 300; i++)
    g_string_append (deep_then_text, "<div>");
  g_string_append (deep_then_text, "Bottom words.");
  for (guint i = 0; i < 300; i++)
    g_string_append (deep_then_text, "</div>");
  g_string_append (deep_then_text, "<p>After words.</p>");

  g_assert_cmpuint (attributes->len, <, BYLINE_COMMENT_HTML_MAX_INPUT);
  g_assert_cmpuint (unmatched->len, <, BYLINE_COMMENT_HTML_MAX_INPUT);
  cases[0] = attributes;
  cases[1] = unmatched;
  cases[2] = deep_then_text;
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(Sanitized) s = sanitize (cases[i]->str, cases[i]->len);

      g_test_message ("%s (%zu bytes): %.1f ms", names[i], cases[i]->len, s->milliseconds);
      g_assert_cmpfloat (s->milliseconds, <, TIME_LIMIT_MS);
      g_assert_nonnull (strstr (s->text, "Start."));
      g_assert_nonnull (strstr (s->text, "After words."));
      g_assert_false (g_str_has_suffix (s->text, "…"));
    }
}

static void
test_huge_comment (void)
{
  static const char paragraph[] =
    "<p>Lorem ipsum <b>dolor</b> sit amet, <a href=\"https://example.com/x\">consectetur</a> "
    "adipiscing elit &amp; more.<br />Second line.</p>\n";
  static const char *fillers[] = { paragraph, "<p>", "<i><b>", "<script>x</script>", "&#8217;" };

  for (guint i = 0; i < G_N_ELEMENTS (fillers); i++)
    {
      g_autoptr(GString) html = g_string_new ("<p>First words.</p>");
      g_autoptr(Sanitized) s = NULL;

      while (html->len < 10 * 1024 * 1024)
        g_string_append (html, fillers[i]);

      s = sanitize (html->str, html->len);
      g_test_message ("10 MB of %s: %.1f ms for both forms, markup %zu bytes",
                      i == 0 ? "paragraphs" : fillers[i], s->milliseconds, strlen (s->markup));
      g_assert_cmpfloat (s->milliseconds, <, TIME_LIMIT_MS);
      g_assert_true (g_str_has_prefix (s->text, "First words."));
      /* Cut, and saying so. */
      g_assert_true (g_str_has_suffix (s->markup, "…"));
      g_assert_true (g_str_has_suffix (s->text, "…"));
      g_assert_null (strstr (s->text, "x x"));
    }
}

/* The output's limit falls inside a link: the tags are closed and the destination still shows. */
static void
test_cut_inside_link (void)
{
  g_autoptr(GString) html = g_string_new ("<p>Intro <a href=\"https://far.example/away\"><b>");
  g_autoptr(Sanitized) s = NULL;

  for (guint i = 0; i < 20000; i++)
    g_string_append (html, "word ");
  g_string_append (html, "</b></a></p>");

  s = sanitize (html->str, html->len);
  g_assert_cmpuint (s->links->len, ==, 1);
  g_assert_true (g_str_has_suffix (s->markup, "</b></a> (far.example/away) …"));
  g_assert_true (g_str_has_prefix (s->text, "Intro word word"));
  g_assert_true (g_str_has_suffix (s->text, " (far.example/away) …"));
}

static void
test_empty (void)
{
  g_autofree char *markup = byline_comment_html_to_markup ("", 0);
  g_autofree char *text = byline_comment_html_to_text (NULL, 0);
  g_autoptr(Sanitized) only_markup = sanitize ("<p> </p><script>x</script><br><br>",
                                               strlen ("<p> </p><script>x</script><br><br>"));

  g_assert_cmpstr (markup, ==, "");
  g_assert_cmpstr (text, ==, "");
  g_assert_cmpstr (only_markup->markup, ==, "");
  g_assert_cmpstr (only_markup->text, ==, "");
}

static void
test_safe_link (void)
{
  static const struct {
    const char *href;
    const char *result;
    const char *shown;
  } cases[] = {
    { "https://example.com/a?b=c#d", "https://example.com/a?b=c#d", "example.com/a?b=c#d" },
    { "HTTP://Example.com:8080/", "HTTP://Example.com:8080/", "example.com:8080/" },
    { "  https://example.com/\n", "https://example.com/", "example.com/" },
    { "ht\ttp\ns://example.com/p", "https://example.com/p", "example.com/p" },
    { "https://user:pw@evil.example/", "https://user:pw@evil.example/", "evil.example/" },
    { "https://\xd0\xb0pple.com/", "https://\xd0\xb0pple.com/", "xn--pple-43d.com/" },
    /* A host that is a number is shown as the address a browser opens. */
    { "http://1113982867/", "http://1113982867/", "66.102.7.147/" },
    { "http://0x42.0x66.0x07.0x93/x", "http://0x42.0x66.0x07.0x93/x", "66.102.7.147/x" },
    { "http://0102.0146.07.0223/", "http://0102.0146.07.0223/", "66.102.7.147/" },
    { "http://66.102.1939/", "http://66.102.1939/", "66.102.7.147/" },
    { "http://0x4266.0x0793/", NULL, NULL },
    { "http://66.102.7.147./", "http://66.102.7.147./", "66.102.7.147/" },
    { "http://192.168.0.257/", NULL, NULL },
    { "http://4294967296/", NULL, NULL },
    { "http://1.2.3.4.5/", NULL, NULL },
    { "http://08.1.1.1/", NULL, NULL },
    { "http://example.123abc/", "http://example.123abc/", "example.123abc/" },
    { "mailto:someone@example.com?subject=hi", "mailto:someone@example.com?subject=hi",
      "someone@example.com" },
    { "mailto:", NULL, NULL },
    { "mailto:nobody", NULL, NULL },
    { "javascript:alert(1)", NULL, NULL },
    { " java\tscript:alert(1)", NULL, NULL },
    { "\x01javascript:alert(1)", NULL, NULL },
    { "data:text/html,x", NULL, NULL },
    { "vbscript:x", NULL, NULL },
    { "file:///etc/passwd", NULL, NULL },
    { "ftp://example.com/", NULL, NULL },
    { "//example.com/", NULL, NULL },
    { "/relative", NULL, NULL },
    { "#comment-2", NULL, NULL },
    { "https:", NULL, NULL },
    { "https:///path", NULL, NULL },
    { "https://exa mple.com/", NULL, NULL },
    { "https://example.com/\xe2\x80\xae", NULL, NULL },
    { "https://example.com/\xe2\x80\x8b", NULL, NULL },
    { "https://ex%61mple.com/", NULL, NULL },
    { "https://example.com/\xff", NULL, NULL },
    { "", NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = NULL;
      g_autofree char *result = byline_comment_html_safe_link (cases[i].href, &shown);

      g_test_message ("%s", cases[i].href);
      g_assert_cmpstr (result, ==, cases[i].result);
      g_assert_cmpstr (shown, ==, cases[i].shown);
    }

  {
    /* A very long address is not a link. */
    g_autoptr(GString) long_href = g_string_new ("https://example.com/");
    g_autofree char *result = NULL;

    while (long_href->len < 4096)
      g_string_append_c (long_href, 'a');
    result = byline_comment_html_safe_link (long_href->str, NULL);
    g_assert_null (result);
  }
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(char * const *) a, *(char * const *) b);
}

int
main (int    argc,
      char **argv)
{
  g_autoptr(GDir) dir = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *corpus = NULL;
  const char *file;

  byline_test_init (&argc, &argv);

  corpus = g_test_build_filename (G_TEST_DIST, "comment-html", NULL);
  dir = g_dir_open (corpus, 0, NULL);
  g_assert_nonnull (dir);
  while ((file = g_dir_read_name (dir)) != NULL)
    if (g_str_has_suffix (file, ".html"))
      g_ptr_array_add (names, g_strndup (file, strlen (file) - strlen (".html")));
  g_ptr_array_sort (names, compare_names);
  g_assert_cmpuint (names->len, >=, 15);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/comment-html/corpus/%s",
                                               (char *) g_ptr_array_index (names, i));

      g_test_add_data_func (path, g_ptr_array_index (names, i), test_corpus_file);
    }
  g_test_add_func ("/core/comment-html/nul-and-invalid-utf8", test_nul_and_invalid_utf8);
  g_test_add_func ("/core/comment-html/deep-nesting", test_deep_nesting);
  g_test_add_func ("/core/comment-html/parser-worst-cases", test_parser_worst_cases);
  g_test_add_func ("/core/comment-html/huge-comment", test_huge_comment);
  g_test_add_func ("/core/comment-html/cut-inside-link", test_cut_inside_link);
  g_test_add_func ("/core/comment-html/empty", test_empty);
  g_test_add_func ("/core/comment-html/safe-link", test_safe_link);

  return g_test_run ();
}
