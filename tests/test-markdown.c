/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-markdown.c: HTML output and source lines of the block-by-block Markdown renderer. */

#include "config.h"

#include <string.h>

#include "byline-markdown.h"
#include "byline-test-util.h"

/* The corpus documents in tests/markdown/: NAME.md, with NAME.expected listing per top-level
 * block "first_line last_line tag" ('#' lines are comments). */
static const char *corpus[] = {
  "basics",
  "lists",
  "code",
  "quotes",
  "tables-html",
  "links",
  "nested",
};

/* The outer element's name of a block: what follows its first '<' ("!--" for a comment). */
static char *
block_tag (const BylineBlock *block)
{
  const char *start, *end;

  g_assert_true (block->html[0] == '<');
  start = block->html + 1;
  end = start + strcspn (start, " >/\n");

  return g_strndup (start, end - start);
}

static char *
describe_blocks (GPtrArray *blocks)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < blocks->len; i++)
    {
      const BylineBlock *block = g_ptr_array_index (blocks, i);
      g_autofree char *tag = block_tag (block);

      g_string_append_printf (out, "%u %u %s\n", block->first_line, block->last_line, tag);
    }

  return g_string_free (out, FALSE);
}

static char *
read_corpus_file (const char *name,
                  const char *suffix)
{
  g_autofree char *file = g_strconcat (name, suffix, NULL);
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "markdown", file, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);

  return contents;
}

static char *
strip_comments (const char *expected)
{
  g_auto(GStrv) lines = g_strsplit (expected, "\n", -1);
  GString *out = g_string_new (NULL);

  for (guint i = 0; lines[i]; i++)
    {
      g_strstrip (lines[i]);
      if (lines[i][0] == '\0' || lines[i][0] == '#')
        continue;
      g_string_append_printf (out, "%s\n", lines[i]);
    }

  return g_string_free (out, FALSE);
}

/* What holds for every rendering: blocks in order, not overlapping, each ending in "\n", and
 * within the document's lines. (byline_markdown_render_html is the blocks joined, so comparing
 * the two would prove nothing.) */
static void
check_block_invariants (const char *text,
                        GPtrArray  *blocks)
{
  guint n_lines = 1;

  for (const char *p = text; *p; p++)
    if (*p == '\n' && p[1] != '\0')
      n_lines++;

  for (guint i = 0; i < blocks->len; i++)
    {
      const BylineBlock *block = g_ptr_array_index (blocks, i);
      gsize len = strlen (block->html);

      g_assert_cmpuint (len, >, 0);
      g_assert_cmpint (block->html[len - 1], ==, '\n');
      g_assert_cmpuint (block->first_line, <=, block->last_line);
      g_assert_cmpuint (block->last_line, <, n_lines);
      if (i > 0)
        g_assert_cmpuint (block->first_line, >,
                          ((const BylineBlock *) g_ptr_array_index (blocks, i - 1))->last_line);
    }
}

static void
test_corpus (gconstpointer data)
{
  const char *name = data;
  g_autofree char *text = read_corpus_file (name, ".md");
  g_autofree char *expected_file = read_corpus_file (name, ".expected");
  g_autofree char *expected = strip_comments (expected_file);
  g_autoptr(GPtrArray) blocks = byline_markdown_render_blocks (text, -1);
  g_autofree char *actual = describe_blocks (blocks);

  /* One string comparison shows the whole listing when a block is off. */
  g_assert_cmpstr (actual, ==, expected);
  check_block_invariants (text, blocks);
}

static char *
render (const char *markdown)
{
  return byline_markdown_render_html (markdown, -1);
}

static void
assert_renders (const char *markdown,
                const char *expected_html)
{
  g_autofree char *html = render (markdown);

  g_assert_cmpstr (html, ==, expected_html);
}

static void
test_inline_spans (void)
{
  assert_renders ("*em* **strong** ~~del~~ `a < b` \\*not em\\*\n",
                  "<p><em>em</em> <strong>strong</strong> <del>del</del> "
                  "<code>a &lt; b</code> *not em*</p>\n");
  assert_renders ("soft\nbreak, hard  \nbreak, backslash\\\nbreak\n",
                  "<p>soft\nbreak, hard<br>\nbreak, backslash<br>\nbreak</p>\n");
  assert_renders ("&copy; &#233; &#x41; &nosuchentity; & alone\n",
                  "<p>&copy; &#233; &#x41; &nosuchentity; &amp; alone</p>\n");
  assert_renders ("[Le Monde](https://example.org/a?b=1&c=2 \"Titre\")\n",
                  "<p><a href=\"https://example.org/a?b=1&amp;c=2\" title=\"Titre\">Le Monde</a></p>\n");
  assert_renders ("See https://example.org and www.example.com.\n",
                  "<p>See <a href=\"https://example.org\">https://example.org</a> and "
                  "<a href=\"http://www.example.com\">www.example.com</a>.</p>\n");
}

static void
test_escape_text (void)
{
  /* A bare <script> is raw inline HTML, which is allowed by design (see raw-html); escaped or in
   * code it is text and must come out escaped. */
  assert_renders ("Use \\<script>alert(\"x\")\\</script> or `<script>` & co.\n",
                  "<p>Use &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; or "
                  "<code>&lt;script&gt;</code> &amp; co.</p>\n");
  assert_renders ("```html\n<script>alert(1)</script>\n```\n",
                  "<pre><code class=\"language-html\">&lt;script&gt;alert(1)&lt;/script&gt;\n"
                  "</code></pre>\n");
  assert_renders ("# 1 < 2 > 0 & \"quoted\"\n",
                  "<h1>1 &lt; 2 &gt; 0 &amp; &quot;quoted&quot;</h1>\n");
}

static void
test_escape_attributes (void)
{
  assert_renders ("[x](</a\"b> 'say \"hi\" & <bye>')\n",
                  "<p><a href=\"/a&quot;b\" title=\"say &quot;hi&quot; &amp; &lt;bye&gt;\">x</a></p>\n");
  /* The alt text is the plain text of the nested spans; raw HTML in it is escaped too. */
  assert_renders ("![a \"q\" *em* `c` <b>](i.png \"t&amp;t\")\n",
                  "<p><img src=\"i.png\" alt=\"a &quot;q&quot; em c &lt;b&gt;\" title=\"t&amp;t\"></p>\n");
  assert_renders ("![outer ![inner](in.png) text](out.png)\n",
                  "<p><img src=\"out.png\" alt=\"outer inner text\"></p>\n");
  assert_renders ("```c\"><script>\nx\n```\n",
                  "<pre><code class=\"language-c&quot;&gt;&lt;script&gt;\">x\n</code></pre>\n");
}

static void
test_nul_char (void)
{
  const char text[] = "a\0b\n";
  g_autofree char *html = byline_markdown_render_html (text, sizeof text - 1);

  g_assert_cmpstr (html, ==, "<p>a\xef\xbf\xbd" "b</p>\n");
}

static void
test_nul_char_in_code (void)
{
  /* md4c leaves NULs in code spans, and in code blocks repeats the replaced NUL in the next
   * text: either way each NUL must become exactly one U+FFFD. */
  const char text[] = "`c\0d`\n\n```\na\0\0b\n```\n";
  g_autofree char *html = byline_markdown_render_html (text, sizeof text - 1);

  g_assert_cmpstr (html, ==,
                   "<p><code>c\xef\xbf\xbd" "d</code></p>\n"
                   "<pre><code>a\xef\xbf\xbd\xef\xbf\xbd" "b\n</code></pre>\n");
}

static void
test_raw_html (void)
{
  assert_renders ("<div class=\"box\">\n  <em>raw</em>\n</div>\n\nText <span class=\"k\">in</span> line.\n",
                  "<div class=\"box\">\n  <em>raw</em>\n</div>\n"
                  "<p>Text <span class=\"k\">in</span> line.</p>\n");
  assert_renders ("<!-- note -->\n", "<!-- note -->\n");
}

static void
test_table (void)
{
  g_autoptr(GPtrArray) blocks = NULL;
  const char *text =
    "| Left | Center | Right | None |\n"
    "|:-----|:------:|------:|------|\n"
    "| a    | b      | c     |      |\n";

  assert_renders (text,
                  "<table>\n"
                  "<thead>\n"
                  "<tr>\n"
                  "<th style=\"text-align:left\">Left</th>\n"
                  "<th style=\"text-align:center\">Center</th>\n"
                  "<th style=\"text-align:right\">Right</th>\n"
                  "<th>None</th>\n"
                  "</tr>\n"
                  "</thead>\n"
                  "<tbody>\n"
                  "<tr>\n"
                  "<td style=\"text-align:left\">a</td>\n"
                  "<td style=\"text-align:center\">b</td>\n"
                  "<td style=\"text-align:right\">c</td>\n"
                  "<td></td>\n"
                  "</tr>\n"
                  "</tbody>\n"
                  "</table>\n");

  blocks = byline_markdown_render_blocks (text, -1);
  g_assert_cmpuint (blocks->len, ==, 1);
  g_assert_cmpuint (((BylineBlock *) g_ptr_array_index (blocks, 0))->first_line, ==, 0);
  g_assert_cmpuint (((BylineBlock *) g_ptr_array_index (blocks, 0))->last_line, ==, 2);
}

static void
test_lists (void)
{
  assert_renders ("3. three\n4. four\n",
                  "<ol start=\"3\">\n<li>three</li>\n<li>four</li>\n</ol>\n");
  assert_renders ("1. one\n",
                  "<ol>\n<li>one</li>\n</ol>\n");
  assert_renders ("- a\n  - b\n- c\n",
                  "<ul>\n<li>a\n<ul>\n<li>b</li>\n</ul>\n</li>\n<li>c</li>\n</ul>\n");
  assert_renders ("- a\n\n- b\n",
                  "<ul>\n<li>\n<p>a</p>\n</li>\n<li>\n<p>b</p>\n</li>\n</ul>\n");
  assert_renders ("- [ ] todo\n- [x] done\n",
                  "<ul>\n"
                  "<li class=\"task-list-item\"><input type=\"checkbox\" disabled> todo</li>\n"
                  "<li class=\"task-list-item\"><input type=\"checkbox\" disabled checked> done</li>\n"
                  "</ul>\n");
}

static void
test_blocks (void)
{
  assert_renders ("Title\n=====\n\n## Sub ##\n\n---\n\n> quoted\n\n    indented\n",
                  "<h1>Title</h1>\n"
                  "<h2>Sub</h2>\n"
                  "<hr>\n"
                  "<blockquote>\n<p>quoted</p>\n</blockquote>\n"
                  "<pre><code>indented\n</code></pre>\n");
  assert_renders ("~~~\nno info\n~~~\n",
                  "<pre><code>no info\n</code></pre>\n");
}

static void
test_block_lines (void)
{
  const char *text =
    "\n"
    "\n"
    "# « Après »\n"     /* 2 */
    "Para one\n"        /* 3 */
    "continues.\n"      /* 4 */
    "```\n"             /* 5 */
    "```\n"             /* 6 */
    "---\n"             /* 7 */
    "\n"
    "- a\n"             /* 9 */
    "-\n"               /* 10 */
    "\n"
    "***\n"             /* 12 */
    "\n"
    "A [wrapped link](\n" /* 14 */
    "https://example.org/a)\n"
    "***\n";            /* 16: its place is known from the link's destination */
  static const guint expected[][2] = {
    { 2, 2 }, { 3, 4 }, { 5, 6 }, { 7, 7 }, { 9, 10 }, { 12, 12 }, { 14, 15 }, { 16, 16 },
  };
  g_autoptr(GPtrArray) blocks = byline_markdown_render_blocks (text, -1);

  g_assert_cmpuint (blocks->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < blocks->len; i++)
    {
      const BylineBlock *block = g_ptr_array_index (blocks, i);

      g_assert_cmpuint (block->first_line, ==, expected[i][0]);
      g_assert_cmpuint (block->last_line, ==, expected[i][1]);
    }
  check_block_invariants (text, blocks);
}

/* A heading whose only content is a link with no text: the link's destination is no text, so it
 * must not stand in for the heading's line. */
static void
test_heading_without_text (void)
{
  const char *text = "A\n===\n\npara\n\n\n\n> # [](u)\n";
  static const guint expected[][2] = { { 0, 1 }, { 3, 3 }, { 7, 7 } };
  g_autoptr(GPtrArray) blocks = byline_markdown_render_blocks (text, -1);

  g_assert_cmpuint (blocks->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < blocks->len; i++)
    {
      const BylineBlock *block = g_ptr_array_index (blocks, i);

      g_assert_cmpuint (block->first_line, ==, expected[i][0]);
      g_assert_cmpuint (block->last_line, ==, expected[i][1]);
    }
  check_block_invariants (text, blocks);
}

static void
test_crlf (void)
{
  const char *text = "Title\r\n=====\r\n\r\n```\r\ncode\r\n```\r\n\r\n***\r\n";
  g_autoptr(GPtrArray) blocks = byline_markdown_render_blocks (text, -1);
  const BylineBlock *block;

  g_assert_cmpuint (blocks->len, ==, 3);
  block = g_ptr_array_index (blocks, 0);
  g_assert_cmpstr (block->html, ==, "<h1>Title</h1>\n");
  g_assert_cmpuint (block->first_line, ==, 0);
  g_assert_cmpuint (block->last_line, ==, 1);
  block = g_ptr_array_index (blocks, 1);
  g_assert_cmpuint (block->first_line, ==, 3);
  g_assert_cmpuint (block->last_line, ==, 5);
  block = g_ptr_array_index (blocks, 2);
  g_assert_cmpstr (block->html, ==, "<hr>\n");
  g_assert_cmpuint (block->first_line, ==, 7);
  g_assert_cmpuint (block->last_line, ==, 7);
}

static void
test_empty (void)
{
  g_autoptr(GPtrArray) empty = byline_markdown_render_blocks ("", -1);
  g_autoptr(GPtrArray) blank = byline_markdown_render_blocks ("\n  \n\n", -1);
  g_autoptr(GPtrArray) none = byline_markdown_render_blocks (NULL, 0);
  g_autofree char *html = byline_markdown_render_html ("", 0);

  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpuint (blank->len, ==, 0);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpstr (html, ==, "");
}

static void
test_length (void)
{
  /* Only the first @length bytes count, the text need not be NUL-terminated there. */
  g_autofree char *html = byline_markdown_render_html ("# One\n\n# Two\n", 6);

  g_assert_cmpstr (html, ==, "<h1>One</h1>\n");
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);

  for (guint i = 0; i < G_N_ELEMENTS (corpus); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/markdown/corpus/%s", corpus[i]);

      g_test_add_data_func (path, corpus[i], test_corpus);
    }

  g_test_add_func ("/core/markdown/inline-spans", test_inline_spans);
  g_test_add_func ("/core/markdown/escape-text", test_escape_text);
  g_test_add_func ("/core/markdown/escape-attributes", test_escape_attributes);
  g_test_add_func ("/core/markdown/nul-char", test_nul_char);
  g_test_add_func ("/core/markdown/nul-char-in-code", test_nul_char_in_code);
  g_test_add_func ("/core/markdown/raw-html", test_raw_html);
  g_test_add_func ("/core/markdown/table", test_table);
  g_test_add_func ("/core/markdown/lists", test_lists);
  g_test_add_func ("/core/markdown/blocks", test_blocks);
  g_test_add_func ("/core/markdown/block-lines", test_block_lines);
  g_test_add_func ("/core/markdown/crlf", test_crlf);
  g_test_add_func ("/core/markdown/empty", test_empty);
  g_test_add_func ("/core/markdown/length", test_length);
  g_test_add_func ("/core/markdown/heading-without-text", test_heading_without_text);

  return g_test_run ();
}
