/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-wp-blocks.c: Markdown as WordPress block markup, compared with what WordPress 6.1's block
 * editor saves for the same blocks (its save () functions in block-library.js, serialize () in
 * blocks.js). The expected markup below was written from those, block by block. */

#include "config.h"

#include "byline-test-util.h"
#include "byline-wp-blocks.h"

static void
assert_blocks (const char *markdown,
               const char *expected)
{
  g_autofree char *blocks = byline_wp_blocks_render (markdown, -1, NULL, NULL);

  g_assert_cmpstr (blocks, ==, expected);
}

static void
test_paragraph (void)
{
  assert_blocks ("One *two* **three** `four` ~~five~~ [six](https://example.org/?a=1&b=2 \"t\")\n"
                 "next line  \nafter a break\n",
                 "<!-- wp:paragraph -->\n"
                 "<p>One <em>two</em> <strong>three</strong> <code>four</code> <del>five</del> "
                 "<a href=\"https://example.org/?a=1&amp;b=2\" title=\"t\">six</a>\n"
                 "next line<br>\nafter a break</p>\n"
                 "<!-- /wp:paragraph -->");
  /* No-break spaces as the browser writes them, and raw <br/> without its slash. */
  assert_blocks ("a&nbsp;b `c\xc2\xa0" "d` e<br/>f <img src=\"x.png\" alt=\"\" />\n",
                 "<!-- wp:paragraph -->\n"
                 "<p>a&nbsp;b <code>c&nbsp;d</code> e<br>f <img src=\"x.png\" alt=\"\"></p>\n"
                 "<!-- /wp:paragraph -->");
  /* '"' in text as the browser gives it to the editor, bare; in attributes as an entity. */
  assert_blocks ("Say \"hi\" & [go](/x \"a \\\"b\\\"\")\n",
                 "<!-- wp:paragraph -->\n"
                 "<p>Say \"hi\" &amp; <a href=\"/x\" title=\"a &quot;b&quot;\">go</a></p>\n"
                 "<!-- /wp:paragraph -->");
  assert_blocks ("First\n\nSecond\n",
                 "<!-- wp:paragraph -->\n<p>First</p>\n<!-- /wp:paragraph -->\n\n"
                 "<!-- wp:paragraph -->\n<p>Second</p>\n<!-- /wp:paragraph -->");
  assert_blocks ("", "");
}

static void
test_heading (void)
{
  /* Level 2 is the default, left out of the comment; 6.1 gives headings no class. */
  assert_blocks ("# One\n\n## Two\n\n### Three *em*\n\n###### Six\n",
                 "<!-- wp:heading {\"level\":1} -->\n<h1>One</h1>\n<!-- /wp:heading -->\n\n"
                 "<!-- wp:heading -->\n<h2>Two</h2>\n<!-- /wp:heading -->\n\n"
                 "<!-- wp:heading {\"level\":3} -->\n<h3>Three <em>em</em></h3>\n"
                 "<!-- /wp:heading -->\n\n"
                 "<!-- wp:heading {\"level\":6} -->\n<h6>Six</h6>\n<!-- /wp:heading -->");
}

static void
test_list (void)
{
  assert_blocks ("- one\n- two\n",
                 "<!-- wp:list -->\n"
                 "<ul><!-- wp:list-item -->\n<li>one</li>\n<!-- /wp:list-item -->\n\n"
                 "<!-- wp:list-item -->\n<li>two</li>\n<!-- /wp:list-item --></ul>\n"
                 "<!-- /wp:list -->");
  assert_blocks ("1. one\n2. two\n",
                 "<!-- wp:list {\"ordered\":true} -->\n"
                 "<ol><!-- wp:list-item -->\n<li>one</li>\n<!-- /wp:list-item -->\n\n"
                 "<!-- wp:list-item -->\n<li>two</li>\n<!-- /wp:list-item --></ol>\n"
                 "<!-- /wp:list -->");
  assert_blocks ("3. three\n4. four\n",
                 "<!-- wp:list {\"ordered\":true,\"start\":3} -->\n"
                 "<ol start=\"3\"><!-- wp:list-item -->\n<li>three</li>\n<!-- /wp:list-item -->\n\n"
                 "<!-- wp:list-item -->\n<li>four</li>\n<!-- /wp:list-item --></ol>\n"
                 "<!-- /wp:list -->");
}

static void
test_nested_list (void)
{
  /* A nested list is an inner block of its item, after the item's text, inside its <li>. */
  assert_blocks ("- one\n  1. a\n  2. b\n- two\n",
                 "<!-- wp:list -->\n"
                 "<ul><!-- wp:list-item -->\n"
                 "<li>one<!-- wp:list {\"ordered\":true} -->\n"
                 "<ol><!-- wp:list-item -->\n<li>a</li>\n<!-- /wp:list-item -->\n\n"
                 "<!-- wp:list-item -->\n<li>b</li>\n<!-- /wp:list-item --></ol>\n"
                 "<!-- /wp:list --></li>\n<!-- /wp:list-item -->\n\n"
                 "<!-- wp:list-item -->\n<li>two</li>\n<!-- /wp:list-item --></ul>\n"
                 "<!-- /wp:list -->");
  /* A loose list: each item's one paragraph is its text. */
  assert_blocks ("- one\n\n- two\n",
                 "<!-- wp:list -->\n"
                 "<ul><!-- wp:list-item -->\n<li>one</li>\n<!-- /wp:list-item -->\n\n"
                 "<!-- wp:list-item -->\n<li>two</li>\n<!-- /wp:list-item --></ul>\n"
                 "<!-- /wp:list -->");
}

static void
test_quote (void)
{
  assert_blocks ("> Said *this*.\n>\n> - and\n",
                 "<!-- wp:quote -->\n"
                 "<blockquote class=\"wp-block-quote\"><!-- wp:paragraph -->\n"
                 "<p>Said <em>this</em>.</p>\n<!-- /wp:paragraph -->\n\n"
                 "<!-- wp:list -->\n"
                 "<ul><!-- wp:list-item -->\n<li>and</li>\n<!-- /wp:list-item --></ul>\n"
                 "<!-- /wp:list --></blockquote>\n"
                 "<!-- /wp:quote -->");
  /* An empty quote holds what the editor's template puts there: one empty paragraph. */
  assert_blocks (">\n",
                 "<!-- wp:quote -->\n"
                 "<blockquote class=\"wp-block-quote\"><!-- wp:paragraph -->\n<p></p>\n"
                 "<!-- /wp:paragraph --></blockquote>\n"
                 "<!-- /wp:quote -->");
}

static void
test_code (void)
{
  /* No language in 6.1's code block; '[' and a line that is an address alone escaped as the
   * editor's escape () does, and '"' bare as the browser gives it to the editor. */
  assert_blocks ("```c\nint a[2] = { 1 }; /* \"<&>\" */\n  https://example.org/x\n"
                 "https://example.org/y\n```\n",
                 "<!-- wp:code -->\n"
                 "<pre class=\"wp-block-code\"><code>"
                 "int a&#91;2] = { 1 }; /* \"&lt;&amp;&gt;\" */\n"
                 "  https:&#47;&#47;example.org/x\nhttps://example.org/y</code></pre>\n"
                 "<!-- /wp:code -->");
  assert_blocks ("    indented\n",
                 "<!-- wp:code -->\n"
                 "<pre class=\"wp-block-code\"><code>indented</code></pre>\n"
                 "<!-- /wp:code -->");
}

static void
test_separator (void)
{
  assert_blocks ("---\n",
                 "<!-- wp:separator -->\n"
                 "<hr class=\"wp-block-separator has-alpha-channel-opacity\"/>\n"
                 "<!-- /wp:separator -->");
}

static void
test_table (void)
{
  assert_blocks ("| A | *B* | C |\n|:--|:-:|--:|\n| 1 | 2 | 3 |\n| 4 | | 6 |\n",
                 "<!-- wp:table -->\n"
                 "<figure class=\"wp-block-table\"><table><thead><tr>"
                 "<th class=\"has-text-align-left\" data-align=\"left\">A</th>"
                 "<th class=\"has-text-align-center\" data-align=\"center\"><em>B</em></th>"
                 "<th class=\"has-text-align-right\" data-align=\"right\">C</th>"
                 "</tr></thead><tbody><tr>"
                 "<td class=\"has-text-align-left\" data-align=\"left\">1</td>"
                 "<td class=\"has-text-align-center\" data-align=\"center\">2</td>"
                 "<td class=\"has-text-align-right\" data-align=\"right\">3</td>"
                 "</tr><tr>"
                 "<td class=\"has-text-align-left\" data-align=\"left\">4</td>"
                 "<td class=\"has-text-align-center\" data-align=\"center\"></td>"
                 "<td class=\"has-text-align-right\" data-align=\"right\">6</td>"
                 "</tr></tbody></table></figure>\n"
                 "<!-- /wp:table -->");
  assert_blocks ("| A |\n|---|\n| 1 |\n",
                 "<!-- wp:table -->\n"
                 "<figure class=\"wp-block-table\"><table><thead><tr><th>A</th></tr></thead>"
                 "<tbody><tr><td>1</td></tr></tbody></table></figure>\n"
                 "<!-- /wp:table -->");
}

static char *
media_id_of_library_images (const char *src,
                            gpointer    user_data)
{
  guint *calls = user_data;

  (*calls)++;
  if (g_str_has_prefix (src, "https://example.org/wp-content/uploads/"))
    return g_strdup ("42");
  return NULL;
}

static void
test_image (void)
{
  g_autofree char *blocks = NULL;
  guint calls = 0;

  /* An image alone in its paragraph is an image block; with a media id, the comment and the
   * class name it; attribute values escaped as escapeAttribute () does ('<' bare). */
  blocks = byline_wp_blocks_render ("![A \"flag\" & <pole>](https://example.org/wp-content/"
                                    "uploads/2026/12/flag.png)\n\n"
                                    "![Elsewhere](https://elsewhere.example/b.png "
                                    "\"Its title\")\n\n"
                                    "[![Linked](https://elsewhere.example/c.png)]"
                                    "(https://example.org/)\n\n"
                                    "Inline ![d](https://elsewhere.example/d.png) image\n",
                                    -1, media_id_of_library_images, &calls);
  g_assert_cmpstr (blocks, ==,
                   "<!-- wp:image {\"id\":42} -->\n"
                   "<figure class=\"wp-block-image\"><img src=\"https://example.org/wp-content/"
                   "uploads/2026/12/flag.png\" alt=\"A &quot;flag&quot; &amp; <pole&gt;\" "
                   "class=\"wp-image-42\"/></figure>\n"
                   "<!-- /wp:image -->\n\n"
                   "<!-- wp:image -->\n"
                   "<figure class=\"wp-block-image\"><img src=\"https://elsewhere.example/b.png\" "
                   "alt=\"Elsewhere\" title=\"Its title\"/></figure>\n"
                   "<!-- /wp:image -->\n\n"
                   "<!-- wp:image -->\n"
                   "<figure class=\"wp-block-image\"><a href=\"https://example.org/\">"
                   "<img src=\"https://elsewhere.example/c.png\" alt=\"Linked\"/></a></figure>\n"
                   "<!-- /wp:image -->\n\n"
                   "<!-- wp:paragraph -->\n"
                   "<p>Inline <img src=\"https://elsewhere.example/d.png\" alt=\"d\"> image</p>\n"
                   "<!-- /wp:paragraph -->");
  g_assert_cmpuint (calls, ==, 3);
}

static void
test_raw_html (void)
{
  /* Raw HTML, and blocks the editor has no block for, go out whole as HTML blocks. */
  assert_blocks ("<div class=\"note\">\n\nInside *a* div.\n\n</div>\n\nAfter.\n",
                 "<!-- wp:html -->\n<div class=\"note\">\n<p>Inside <em>a</em> div.</p>\n</div>\n"
                 "<!-- /wp:html -->\n\n"
                 "<!-- wp:paragraph -->\n<p>After.</p>\n<!-- /wp:paragraph -->");
  assert_blocks ("Press <kbd>Ctrl</kbd>.\n",
                 "<!-- wp:html -->\n<p>Press <kbd>Ctrl</kbd>.</p>\n<!-- /wp:html -->");
  /* Inline raw HTML left open would be closed by the browser, so not as written. */
  assert_blocks ("An <em>open one\n",
                 "<!-- wp:html -->\n<p>An <em>open one</p>\n<!-- /wp:html -->");
  assert_blocks ("- [ ] to do\n- [x] done\n",
                 "<!-- wp:html -->\n<ul>\n"
                 "<li class=\"task-list-item\"><input type=\"checkbox\" "
                 "class=\"task-list-item-checkbox\" disabled>to do</li>\n"
                 "<li class=\"task-list-item\"><input type=\"checkbox\" "
                 "class=\"task-list-item-checkbox\" disabled checked>done</li>\n"
                 "</ul>\n<!-- /wp:html -->");
  /* A hand-written table gets the <tbody> the browser reads into it; the indentation before an
   * HTML block goes, as the editor trims it. */
  assert_blocks ("  <TABLE class=\"t\">\n  <tr><td>1</td></tr>\n</table>\n",
                 "<!-- wp:html -->\n<TABLE class=\"t\">\n  <tbody><tr><td>1</td></tr>\n"
                 "</tbody></table>\n<!-- /wp:html -->");
  assert_blocks ("<table><thead><tr><th>1</th></tr></thead></table>\n",
                 "<!-- wp:html -->\n<table><thead><tr><th>1</th></tr></thead></table>\n"
                 "<!-- /wp:html -->");
  /* A list item holding two paragraphs: a list-item block has one text. */
  assert_blocks ("- one\n\n  more\n- two\n",
                 "<!-- wp:html -->\n<ul>\n<li><p>one</p>\n<p>more</p>\n</li>\n"
                 "<li><p>two</p>\n</li>\n</ul>\n<!-- /wp:html -->");
}

static void
test_page_breaks (void)
{
  /* WordPress's own comments, as the More and Page Break blocks; the More block's text as
   * serialize () writes attributes, with '"', '&', '<' and '>' escaped. */
  assert_blocks ("Teaser.\n\n<!--more-->\n\nRest.\n\n<!--nextpage-->\n\nPage two.\n",
                 "<!-- wp:paragraph -->\n<p>Teaser.</p>\n<!-- /wp:paragraph -->\n\n"
                 "<!-- wp:more -->\n<!--more-->\n<!-- /wp:more -->\n\n"
                 "<!-- wp:paragraph -->\n<p>Rest.</p>\n<!-- /wp:paragraph -->\n\n"
                 "<!-- wp:nextpage -->\n<!--nextpage-->\n<!-- /wp:nextpage -->\n\n"
                 "<!-- wp:paragraph -->\n<p>Page two.</p>\n<!-- /wp:paragraph -->");
  assert_blocks ("<!--more Keep \"reading\" & <see>-->\n",
                 "<!-- wp:more {\"customText\":\"Keep \\u0022reading\\u0022 \\u0026 "
                 "\\u003csee\\u003e\"} -->\n"
                 "<!--more Keep \"reading\" & <see>-->\n<!-- /wp:more -->");
  /* Any other comment is raw HTML. */
  assert_blocks ("<!-- a note -->\n",
                 "<!-- wp:html -->\n<!-- a note -->\n<!-- /wp:html -->");
}

/* Every kind together: blocks joined by a blank line, as serialize () joins them. */
static void
test_document (void)
{
  assert_blocks ("# Title\n\nText.\n\n---\n\n> Quote\n",
                 "<!-- wp:heading {\"level\":1} -->\n<h1>Title</h1>\n<!-- /wp:heading -->\n\n"
                 "<!-- wp:paragraph -->\n<p>Text.</p>\n<!-- /wp:paragraph -->\n\n"
                 "<!-- wp:separator -->\n"
                 "<hr class=\"wp-block-separator has-alpha-channel-opacity\"/>\n"
                 "<!-- /wp:separator -->\n\n"
                 "<!-- wp:quote -->\n<blockquote class=\"wp-block-quote\"><!-- wp:paragraph -->\n"
                 "<p>Quote</p>\n<!-- /wp:paragraph --></blockquote>\n<!-- /wp:quote -->");
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);

  g_test_add_func ("/core/wp-blocks/paragraph", test_paragraph);
  g_test_add_func ("/core/wp-blocks/heading", test_heading);
  g_test_add_func ("/core/wp-blocks/list", test_list);
  g_test_add_func ("/core/wp-blocks/nested-list", test_nested_list);
  g_test_add_func ("/core/wp-blocks/quote", test_quote);
  g_test_add_func ("/core/wp-blocks/code", test_code);
  g_test_add_func ("/core/wp-blocks/separator", test_separator);
  g_test_add_func ("/core/wp-blocks/table", test_table);
  g_test_add_func ("/core/wp-blocks/image", test_image);
  g_test_add_func ("/core/wp-blocks/raw-html", test_raw_html);
  g_test_add_func ("/core/wp-blocks/page-breaks", test_page_breaks);
  g_test_add_func ("/core/wp-blocks/document", test_document);

  return g_test_run ();
}
