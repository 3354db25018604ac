/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-markdown.c: the Markdown renderer, whole, in preview blocks, and incrementally.
 *
 * Feeds the input as a document to byline_markdown_render_html () and
 * byline_markdown_render_blocks (), then makes a few edits of it (chosen from the input itself,
 * so that a finding replays), rendering each with one BylineMarkdownRenderer after the other and
 * going back to the first text at the end. Aborts when the blocks joined are not exactly the
 * whole document's HTML; when a block is empty, does not end in a new line, or its source lines
 * are out of order, overlapping or past the document's end; when a block other than the last
 * leaves HTML open for the next (byline-html-balance, which decides where blocks are joined);
 * when, without raw HTML in the source (no '<'), the HTML of the document or of any block is not
 * well formed (every element closed in order, quoted attributes, no stray '<'; an <em>,
 * <strong>, <del> or <a> closed only with its block, or such an end tag with none open, is
 * md4c's, see check_well_formed ()); when the HTML of a valid UTF-8 document is not valid
 * UTF-8; and when the renderer, after an edit, gives other blocks (HTML or lines) than a fresh
 * render of the edited text. */

#include "config.h"

#include <string.h>

#include "byline-html-balance.h"
#include "byline-markdown.h"
#include "fuzz-target.h"

#define N_EDITS 3

/* The text being checked, shown when a check fails (the edits make it differ from the input). */
static GString *source;

static void
print_source (void)
{
  g_autoptr(GString) escaped = g_string_new (NULL);

  /* As a C string, NULs included. */
  for (gsize i = 0; i < source->len; i++)
    {
      guchar c = source->str[i];

      if (c == '\\' || c == '"')
        g_string_append_printf (escaped, "\\%c", c);
      else if (c >= 0x20 && c < 0x7f)
        g_string_append_c (escaped, c);
      else
        g_string_append_printf (escaped, "\\%03o", c);
    }
  g_printerr ("Source: \"%s\"\n", escaped->str);
}

#define fail(...) G_STMT_START { print_source (); g_error (__VA_ARGS__); } G_STMT_END

/* Lines as md4c counts them: "\n", "\r\n" and a lone "\r" end one; a last one ending the text
 * starts none. */
static guint
count_lines (const char *text,
             gsize       length)
{
  guint n = 1;

  for (gsize i = 0; i < length; i++)
    {
      gboolean ends_line = text[i] == '\n' || (text[i] == '\r' && (i + 1 == length ||
                                                                   text[i + 1] != '\n'));

      if (ends_line && i + 1 < length)
        n++;
    }
  return n;
}

static gboolean
is_void_element (const char *name,
                 gsize       length)
{
  static const char * const void_elements[] = { "br", "hr", "img", "input", NULL };

  for (guint i = 0; void_elements[i] != NULL; i++)
    if (strlen (void_elements[i]) == length && memcmp (void_elements[i], name, length) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
has_name (const char *element,
          const char *name,
          gsize       length)
{
  return strlen (element) == length && memcmp (element, name, length) == 0;
}

/* The elements md4c 0.4.8 may leave open or close with none open (see check_well_formed ()). */
static gboolean
is_formatting (const char *element)
{
  return g_str_equal (element, "em") || g_str_equal (element, "strong") ||
         g_str_equal (element, "a") || g_str_equal (element, "del");
}

static gboolean
is_open (GPtrArray  *open,
         const char *name,
         gsize       length)
{
  for (guint i = 0; i < open->len; i++)
    if (has_name (g_ptr_array_index (open, i), name, length))
      return TRUE;
  return FALSE;
}

/* Whether @html (md4c's, from a source without raw HTML) closes every element it opens, in order,
 * with every attribute value quoted and no '<' but a tag's. */
static void
check_well_formed (const char *html)
{
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func (g_free);
  const char *p = html;

  while ((p = strchr (p, '<')) != NULL)
    {
      gboolean closing = p[1] == '/';
      const char *name = p + (closing ? 2 : 1);
      gsize length = 0;

      while (g_ascii_isalnum (name[length]))
        length++;
      if (length == 0)
        fail ("a '<' outside a tag in the HTML: %s", html);
      p = name + length;
      /* Attributes: name="value", the value without '"' or '<'. */
      while (*p != '>' && *p != '\0')
        {
          if (*p == '"')
            {
              const char *end = strpbrk (p + 1, "\"<");

              if (end == NULL || *end != '"')
                fail ("an attribute value not closed in the HTML: %s", html);
              p = end;
            }
          else if (*p == '<')
            fail ("a '<' inside a tag in the HTML: %s", html);
          p++;
        }
      if (*p != '>')
        fail ("a tag not closed in the HTML: %s", html);
      p++;

      if (closing)
        {
          g_autofree char *closed = g_strndup (name, length);
          const char *top;

          /* md4c 0.4.8 (Debian 12) can leave an <em>, <strong> or <del> open when the
           * delimiter that would close it is inside a link's destination ("_![i](x_)", md4c
           * issues 277 and 278; "~~>~https://e.org/a~n"), an <a> open at the end of a table
           * cell ("| a www.example.org|"), and write such an end tag with none open
           * ("[l](http://e.com#_r_", "![f]([b)](/x)"): browsers close the first with their
           * block or cell and ignore the second. Tolerated here, and only that: the check that
           * every block but the last leaves nothing open still catches one carried further. */
          if (is_formatting (closed) && !is_open (open, name, length))
            continue;
          while (open->len > 1 && is_formatting (g_ptr_array_index (open, open->len - 1)) &&
                 !has_name (g_ptr_array_index (open, open->len - 1), name, length))
            g_ptr_array_remove_index (open, open->len - 1);
          top = open->len > 0 ? g_ptr_array_index (open, open->len - 1) : NULL;
          if (top == NULL || !has_name (top, name, length))
            fail ("</%.*s> closes <%s> in the HTML: %s", (int) length, name,
                  top ? top : "nothing", html);
          g_ptr_array_remove_index (open, open->len - 1);
        }
      else if (!is_void_element (name, length) && p[-2] != '/')
        g_ptr_array_add (open, g_strndup (name, length));
    }
  while (open->len > 0 && is_formatting (g_ptr_array_index (open, open->len - 1)))
    g_ptr_array_remove_index (open, open->len - 1);
  if (open->len > 0)
    fail ("<%s> left open in the HTML: %s", (const char *) g_ptr_array_index (open, 0), html);
}

static void
check_blocks (const char *text,
              gsize       length,
              GPtrArray  *blocks)
{
  g_autofree char *html = byline_markdown_render_html (text, (gssize) length);
  g_autoptr(GString) joined = g_string_new (NULL);
  guint n_lines = count_lines (text, length);
  gboolean raw_html = memchr (text, '<', length) != NULL;

  g_string_truncate (source, 0);
  g_string_append_len (source, text, length);

  if (g_utf8_validate_len (text, length, NULL) && !g_utf8_validate (html, -1, NULL))
    fail ("HTML that is not UTF-8 from a UTF-8 document");
  if (!raw_html)
    check_well_formed (html);

  for (guint i = 0; i < blocks->len; i++)
    {
      const BylineBlock *block = g_ptr_array_index (blocks, i);
      gsize block_length = strlen (block->html);

      g_assert_cmpuint (block_length, >, 0);
      g_assert_cmpint (block->html[block_length - 1], ==, '\n');
      g_assert_cmpuint (block->first_line, <=, block->last_line);
      g_assert_cmpuint (block->last_line, <, n_lines);
      if (i > 0)
        g_assert_cmpuint (block->first_line, >,
                          ((const BylineBlock *) g_ptr_array_index (blocks, i - 1))->last_line);
      /* Each block reads on its own as it does within the page: only the last may leave
       * something open (HTML never closed makes the rest of the document one block). */
      if (i + 1 < blocks->len)
        {
          g_autoptr(BylineHtmlBalance) balance = byline_html_balance_new ();

          byline_html_balance_feed (balance, block->html, block_length);
          if (!byline_html_balance_is_closed (balance))
            fail ("block %u of %u leaves HTML open: %s", i, blocks->len, block->html);
        }
      if (!raw_html)
        check_well_formed (block->html);
      g_string_append (joined, block->html);
    }
  g_assert_cmpstr (joined->str, ==, html);
}

static void
assert_same_blocks (GPtrArray *reused,
                    GPtrArray *fresh)
{
  g_assert_cmpuint (reused->len, ==, fresh->len);
  for (guint i = 0; i < reused->len; i++)
    {
      const BylineBlock *a = g_ptr_array_index (reused, i);
      const BylineBlock *b = g_ptr_array_index (fresh, i);

      g_assert_cmpstr (a->html, ==, b->html);
      g_assert_cmpuint (a->first_line, ==, b->first_line);
      g_assert_cmpuint (a->last_line, ==, b->last_line);
    }
}

/* Renders @text with @renderer (after whatever it rendered before) and fresh, and checks both. */
static void
render_both (BylineMarkdownRenderer *renderer,
             const char             *text,
             gsize                   length)
{
  g_autoptr(GPtrArray) reused = byline_markdown_renderer_render_blocks (renderer, text, length);
  g_autoptr(GPtrArray) fresh = byline_markdown_render_blocks (text, length);

  check_blocks (text, length, fresh);
  assert_same_blocks (reused, fresh);
}

/* One edit as a writer makes them: a replaced character, a few erased, or a piece of Markdown
 * syntax typed in. */
static void
edit (GString *text,
      GRand   *rand)
{
  static const char * const insertions[] = {
    "\n", "\n\n", "*", "x", "[a]", "[a]: /moved\n", "<div>", "</div>", "\n<div>\n\n", "> ",
    "- ", "1. ", "```\n", "~~~", "# ", "|", "| --- |\n", "---\n", "===\n", "<!--", "-->", "é",
    "  ", "\t", "\r", "    ", "<em>", "</em>", "![i](/x.png)", "\\", "`", "<pre>", "</pre>",
  };
  gsize at = g_rand_int_range (rand, 0, text->len + 1);

  switch (g_rand_int_range (rand, 0, 3))
    {
    case 0:
      if (at < text->len)
        {
          static const char replacements[] = "x*_[]<>#-|`!\n ";

          text->str[at] = replacements[g_rand_int_range (rand, 0, sizeof replacements - 1)];
          break;
        }
      G_GNUC_FALLTHROUGH;
    case 1:
      if (at < text->len)
        {
          gsize count = g_rand_int_range (rand, 1, 12);

          g_string_erase (text, at, MIN (count, text->len - at));
          break;
        }
      G_GNUC_FALLTHROUGH;
    default:
      g_string_insert (text, at, insertions[g_rand_int_range (rand, 0, G_N_ELEMENTS (insertions))]);
      break;
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BylineMarkdownRenderer) renderer = byline_markdown_renderer_new ();
  g_autoptr(GString) text = g_string_new_len ((const char *) data, size);
  g_autoptr(GRand) rand = NULL;
  guint32 seed = 2166136261u;

  if (source == NULL)
    source = g_string_new (NULL);

  /* The edits follow from the input (FNV-1a of its bytes), so that a finding replays. */
  for (gsize i = 0; i < size; i++)
    seed = (seed ^ data[i]) * 16777619u;
  rand = g_rand_new_with_seed (seed);

  render_both (renderer, text->str, text->len);
  for (guint i = 0; i < N_EDITS; i++)
    {
      edit (text, rand);
      render_both (renderer, text->str, text->len);
    }
  render_both (renderer, (const char *) data, size);
  return 0;
}
