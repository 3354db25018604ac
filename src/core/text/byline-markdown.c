/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-markdown.c: Markdown to HTML with md4c's own renderer, and the top-level blocks of that
 * HTML with their source lines. */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include <md4c-html.h>
#include <md4c.h>

#include "byline-html-balance.h"
#include "byline-markdown.h"

/*
 * What is published, and what is previewed
 * ========================================
 *
 * The HTML is md4c-html's, for the whole document at once: md_html () with GitHub's dialect,
 * which is what the CommonMark and GFM spec examples are checked against
 * (tests/test-markdown-spec.c). The preview needs that same HTML cut into the top-level blocks,
 * each with its first source line, so that a keystroke patches one block of the page and the
 * page can follow the editor's scrolling. md4c-html cannot say where in its output a block
 * starts, so:
 *
 *  1. md4c's parser, with the callbacks below, finds the top-level blocks and their lines (see
 *     "Source lines" below);
 *  2. each block's source, from its first line to the next block's, is rendered alone by
 *     md_html (with the document's link reference definitions before it when it has a '[', as
 *     a reference may be defined anywhere), and taken as the block when it is exactly the next
 *     piece of the whole document's HTML. When it is not (a definition nested in a quote, a
 *     line placed in the wrong block), the block is rendered together with the next ones until
 *     the run matches, and after a few the rest of the document's HTML is one block. The
 *     blocks' HTML joined is therefore always exactly the published HTML;
 *  3. a browser parses the preview's blocks one at a time, and the published page in one
 *     piece: raw HTML that opens an element in one block and closes it in a later one (a <div>
 *     around Markdown paragraphs, a <details>, a comment across blank lines) would read
 *     differently. So the blocks from one that leaves something open (byline-html-balance.c)
 *     to the one that closes it are made one block.
 *
 * Rendering every block again on each keystroke would cost as much as the whole document for
 * each block; BylineMarkdownRenderer keeps the last document's block renderings, and a block
 * whose source (and the definitions given with it) did not change is not rendered again.
 *
 * The text is prepared once for both md4c's parser and md_html: a UTF-8 byte order mark at the
 * start is skipped (MD_HTML_FLAG_SKIP_UTF8_BOM's behaviour), and NUL characters are replaced
 * by U+FFFD, as CommonMark requires, before md4c sees them (md4c-html 0.4.8 would otherwise
 * write some NULs, in code spans, into the HTML as they are).
 *
 * Source lines of the top-level blocks
 * ====================================
 *
 * md4c reports no positions, but the text it hands to the text callback (normal text, code,
 * raw HTML, entities) points into the input buffer, so the first and last in-buffer text of a
 * top-level block give its first and last line. Syntax that carries no text is then corrected
 * for:
 *
 *  - a fenced code block's opening fence is the first non-blank line before its first content
 *    line; its closing fence is found by scanning forward over blank lines for a line holding
 *    only a fence of the same character, at least as long (this also works nested in a list or
 *    quote, where the scan stops at a blank line that ends the quote and a rough indentation
 *    check keeps a fence left of a list item's content, which does not close the item's code,
 *    from being taken);
 *  - a setext heading also owns the `===` or `---` line below its text (nested in a list or
 *    quote, only if that line is not left of the heading's text, else it is a thematic break
 *    after the list);
 *  - a block, or a block nested in one, that has no text at all (hr, empty code, empty list item,
 *    empty heading, empty quote) is put on the first non-blank line after what is already known
 *    (for a top-level block: after the previous block's last line, skipping link reference
 *    definitions); an empty task list item is put on its `[ ]` mark, whose offset md4c gives;
 *  - an image or link whose destination is inline (`](` before it) also counts, so that a
 *    paragraph holding just `![](photo.jpg)` or ending in a wrapped URL is placed right.
 *    Destinations of reference links are not used: their definition may be anywhere;
 *  - a top-level quote or list whose first text comes after its first line (a bare `>` line, an
 *    empty first item) starts on the first line after the previous block when that line holds
 *    a `>` or a list marker, unless the previous block is of the same kind and directly above;
 *  - a block's first line is never before the previous block's last line + 1 (and on broken
 *    input where that would push blocks past the end, the earlier blocks are shortened);
 *  - finally each block's last line is extended over the non-blank lines that directly follow
 *    it, up to the next block or a link reference definition: between two top-level blocks only
 *    blank lines and reference definitions can stand, so such lines are the previous block's
 *    trailing syntax (a quote's closing `>` line, a table row of empty cells).
 *
 * What is approximate: a nested block or a table is assumed to start on the line of its first
 * text unless it is one of the textless cases above; a line that a block's text does not reach
 * but that directly precedes the next block is given to that block only if it is a `>` or a list
 * marker before a quote or list (otherwise it goes to the block above); a reference
 * definition is recognised by its first line, and its title or destination by being indented or
 * quoted on the following lines; container prefixes are read loosely (tabs count as one column);
 * lines end at "\n", "\r\n" or "\r".
 */

/* GitHub's dialect; raw HTML blocks and inline HTML stay allowed (no MD_FLAG_NOHTML*). */
#define PARSER_FLAGS MD_DIALECT_GITHUB
/* The byte order mark is skipped here, before md_html, so md_html is given no flags. */
#define HTML_FLAGS   0

#define NO_LINE G_MAXUINT
#define NO_OFFSET G_MAXSIZE
#define UTF8_BOM "\xef\xbb\xbf"
#define REPLACEMENT_CHARACTER "\xef\xbf\xbd"

/* How many blocks are rendered together, at most, to find a run whose HTML is the next piece of
 * the whole document's, before the rest of the document is taken as one block. */
#define MAX_RUN 8

typedef struct {
  guint serial;      /* Positioner.serial when the block was entered */
  gsize task_offset; /* input offset of a task item's mark, or NO_OFFSET */
} OpenBlock;

/* A top-level block as md4c's parser reports it. */
typedef struct {
  guint first_line;
  guint last_line;
} TopBlock;

typedef struct {
  const char   *input;
  gsize         size;
  gsize        *line_starts;      /* n_lines + 1 entries, the last one being size */
  guint         n_lines;

  GArray       *blocks;           /* TopBlock */
  GArray       *open;             /* OpenBlock for each open block but MD_BLOCK_DOC */
  guint         image_nesting;

  /* Where the current top-level block is known to be, as input offsets. */
  MD_BLOCKTYPE  top_type;
  gboolean      has_pos;
  gsize         first_off;
  gsize         last_off;
  guint         serial;           /* bumped for every position noted, to tell empty blocks */

  gboolean      has_prev;
  guint         prev_last_line;
  MD_BLOCKTYPE  prev_type;

  /* The code block or heading being read; they hold no blocks, so one is open at a time. */
  gboolean      in_leaf;
  gboolean      leaf_has_text;
  gboolean      leaf_starts_block; /* nothing of the top-level block was placed before it */
  gsize         leaf_first_off;
  gsize         leaf_last_off;
} Positioner;

/* Lines */

static void
compute_line_starts (Positioner *r)
{
  const char *input = r->input;
  const char *end = input + r->size;
  gboolean has_cr = r->size > 0 && memchr (input, '\r', r->size) != NULL;
  gsize capacity = 2;
  guint n = 0;
  const char *p;

  /* Count first so that the array is allocated once. */
  for (p = input; p < end && (p = memchr (p, '\n', end - p)) != NULL; p++)
    capacity++;
  if (has_cr)
    for (p = input; p < end && (p = memchr (p, '\r', end - p)) != NULL; p++)
      capacity++;

  r->line_starts = g_new (gsize, capacity);
  if (r->size > 0)
    r->line_starts[n++] = 0;

  if (!has_cr)
    {
      for (p = input; p < end && (p = memchr (p, '\n', end - p)) != NULL; p++)
        if (p + 1 < end)
          r->line_starts[n++] = p + 1 - input;
    }
  else
    {
      for (gsize i = 0; i < r->size; i++)
        {
          gboolean ends_line = input[i] == '\n' || (input[i] == '\r' && (i + 1 == r->size || input[i + 1] != '\n'));

          if (ends_line && i + 1 < r->size)
            r->line_starts[n++] = i + 1;
        }
    }

  r->line_starts[n] = r->size;
  r->n_lines = n;
}

static guint
line_of (const Positioner *r,
         gsize           offset)
{
  guint lo = 0, hi = r->n_lines;

  /* Invariant: line_starts[lo] <= offset, and hi is past the answer. */
  while (hi - lo > 1)
    {
      guint mid = lo + (hi - lo) / 2;

      if (r->line_starts[mid] <= offset)
        lo = mid;
      else
        hi = mid;
    }

  return lo;
}

static void
line_bounds (const Positioner  *r,
             guint            line,
             const char     **begin,
             const char     **end)
{
  const char *b = r->input + r->line_starts[line];
  const char *e = r->input + r->line_starts[line + 1];

  while (e > b && (e[-1] == '\n' || e[-1] == '\r'))
    e--;

  *begin = b;
  *end = e;
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\v' || c == '\f';
}

/* Blank, or (with @quote_markers) holding nothing but the `>` of block quotes. */
static gboolean
line_is_blank (const Positioner *r,
               guint           line,
               gboolean        quote_markers)
{
  const char *p, *end;

  line_bounds (r, line, &p, &end);
  for (; p < end; p++)
    if (!is_space (*p) && !(quote_markers && *p == '>'))
      return FALSE;

  return TRUE;
}

/* Skips indentation, `>` markers and (with @list_markers) list item markers. */
static const char *
skip_container_prefix (const char *p,
                       const char *end,
                       gboolean    list_markers)
{
  for (;;)
    {
      const char *q;

      while (p < end && (is_space (*p) || *p == '>'))
        p++;
      if (!list_markers || p >= end)
        return p;

      q = p;
      if (*q == '-' || *q == '+' || *q == '*')
        {
          q++;
        }
      else
        {
          const char *digits = q;

          while (q < end && g_ascii_isdigit (*q) && q - digits < 9)
            q++;
          if (q == digits || q >= end || (*q != '.' && *q != ')'))
            return p;
          q++;
        }

      /* A marker is followed by a space or ends the line (an empty item). */
      if (q < end && !is_space (*q))
        return p;
      p = q;
    }
}

static guint
run_length (const char *p,
            const char *end,
            char        c)
{
  guint n = 0;

  while (p < end && *p == c)
    p++, n++;

  return n;
}

static gboolean
only_spaces (const char *p,
             const char *end)
{
  while (p < end && is_space (*p))
    p++;

  return p == end;
}

static gboolean
line_is_atx_heading (const Positioner *r,
                     guint           line)
{
  const char *p, *end;
  guint n;

  line_bounds (r, line, &p, &end);
  p = skip_container_prefix (p, end, TRUE);
  n = run_length (p, end, '#');

  return n >= 1 && n <= 6 && (p + n == end || is_space (p[n]));
}

/* Whether @line underlines a setext heading of @level whose text ends on @text_line, or, when
 * @text_line is NO_LINE, a top-level one. */
static gboolean
line_is_setext_underline (const Positioner *r,
                          guint           line,
                          unsigned        level,
                          guint           text_line)
{
  const char *p, *end, *underline;
  guint n;

  line_bounds (r, line, &p, &end);
  underline = skip_container_prefix (p, end, FALSE);
  n = run_length (underline, end, level == 1 ? '=' : '-');
  if (n == 0 || !only_spaces (underline + n, end))
    return FALSE;

  /* In a list item or quote the underline is indented like the text: `- Foo` then `---` is a
   * list and a thematic break. */
  if (text_line != NO_LINE)
    {
      const char *text, *text_end;

      line_bounds (r, text_line, &text, &text_end);
      if (underline - p < skip_container_prefix (text, text_end, TRUE) - text)
        return FALSE;
    }

  return TRUE;
}

/* `[label]:` at the start of a line (only its first line is recognised). */
static gboolean
line_is_reference_definition (const Positioner *r,
                              guint           line)
{
  const char *p, *end;
  guint indent = 0;

  line_bounds (r, line, &p, &end);
  while (p < end && *p == ' ' && indent < 3)
    p++, indent++;
  if (p >= end || *p != '[')
    return FALSE;

  for (const char *q = p + 1; q + 1 < end; q++)
    {
      if (*q == '\\')
        q++;
      else if (*q == ']')
        return q > p + 1 && q[1] == ':';
    }

  return FALSE;
}

/* The first line from @line on that is neither blank nor part of a link reference definition,
 * or NO_LINE. A definition's destination or title may follow on the next lines, indented or
 * quoted. */
static guint
first_content_line (const Positioner *r,
                    guint           line)
{
  gboolean in_definition = FALSE;

  for (; line < r->n_lines; line++)
    {
      const char *p, *end;

      if (line_is_blank (r, line, FALSE))
        {
          in_definition = FALSE;
          continue;
        }
      if (line_is_reference_definition (r, line))
        {
          in_definition = TRUE;
          continue;
        }

      line_bounds (r, line, &p, &end);
      if (in_definition && (is_space (*p) || *p == '"' || *p == '\'' || *p == '('))
        continue;

      return line;
    }

  return NO_LINE;
}

/* Whether @line opens a block quote (@type MD_BLOCK_QUOTE) or a list item. */
static gboolean
line_opens_container (const Positioner *r,
                      guint           line,
                      MD_BLOCKTYPE    type)
{
  const char *p, *end;
  guint indent = 0;

  line_bounds (r, line, &p, &end);
  while (p < end && *p == ' ' && indent < 3)
    p++, indent++;
  if (p >= end)
    return FALSE;

  if (type == MD_BLOCK_QUOTE)
    return *p == '>';

  return skip_container_prefix (p, end, TRUE) != skip_container_prefix (p, end, FALSE);
}

/* Positions */

static void
note_position (Positioner *r,
               gsize     first,
               gsize     last)
{
  if (!r->has_pos)
    {
      r->first_off = first;
      r->last_off = last;
      r->has_pos = TRUE;
    }
  else
    {
      r->first_off = MIN (r->first_off, first);
      r->last_off = MAX (r->last_off, last);
    }
  r->serial++;
}

static void
note_line (Positioner *r,
           guint     line)
{
  note_position (r, r->line_starts[line], r->line_starts[line]);
}

static void
note_text (Positioner   *r,
           const char *text,
           gsize       size)
{
  /* One unsigned comparison tells whether text is inside the input; md4c's line breaks,
   * indentation and NUL replacements come from its own static strings. */
  gsize offset = (uintptr_t) text - (uintptr_t) r->input;
  gsize last;

  if (size == 0 || offset >= r->size)
    return;

  last = MIN (offset + size, r->size) - 1;
  note_position (r, offset, last);

  if (r->in_leaf)
    {
      if (!r->leaf_has_text)
        r->leaf_first_off = offset;
      r->leaf_last_off = MAX (r->leaf_has_text ? r->leaf_last_off : 0, last);
      r->leaf_has_text = TRUE;
    }
}

/* A link or image destination written inline, `](destination`, is where the span is; a
 * reference's destination is wherever its definition is, so it is not used. */
static void
note_destination (Positioner           *r,
                  const MD_ATTRIBUTE *attribute)
{
  gsize offset = (uintptr_t) attribute->text - (uintptr_t) r->input;
  gsize p;

  if (attribute->size == 0 || offset >= r->size)
    return;

  p = offset;
  if (p > 0 && r->input[p - 1] == '<')
    p--;
  while (p > 0 && (is_space (r->input[p - 1]) || r->input[p - 1] == '\n' || r->input[p - 1] == '\r'))
    p--;

  if (p >= 2 && r->input[p - 1] == '(' && r->input[p - 2] == ']')
    note_position (r, offset, MIN (offset + attribute->size, r->size) - 1);
}

/* Where the current top-level block may start: the first line after the previous block that is
 * neither blank nor a reference definition. */
static guint
candidate_first_line (const Positioner *r)
{
  guint from = r->has_prev ? r->prev_last_line + 1 : 0;
  guint line = first_content_line (r, from);

  if (line != NO_LINE)
    return line;

  return MIN (from, r->n_lines > 0 ? r->n_lines - 1 : 0);
}

/* A block that held no text: put it on the next line that holds something. */
static void
position_empty_block (Positioner *r,
                      gsize     task_offset)
{
  guint line;

  if (task_offset < r->size)
    {
      note_position (r, task_offset, task_offset);
      return;
    }

  if (r->has_pos)
    {
      /* A bare `>` line is not skipped: it may be this very block, an empty nested quote, and
       * going past it could reach into the next top-level block. */
      line = line_of (r, r->last_off) + 1;
      while (line < r->n_lines && line_is_blank (r, line, FALSE))
        line++;
      if (line >= r->n_lines)
        return;
    }
  else
    {
      line = candidate_first_line (r);
    }

  note_line (r, line);
}

/* The closing fence of a fenced code block opened on @open_line, looked for from @from on over
 * blank lines, or NO_LINE when the block was closed by its container or the document's end. */
static guint
find_closing_fence (const Positioner *r,
                    guint           open_line,
                    guint           from,
                    char            fence_char)
{
  const char *p, *end, *fence;
  gboolean after_marker, in_quote;
  guint open_length, open_column;

  line_bounds (r, open_line, &p, &end);
  fence = skip_container_prefix (p, end, TRUE);
  open_length = MAX (run_length (fence, end, fence_char), 3);
  open_column = fence - p;
  after_marker = skip_container_prefix (p, end, FALSE) != fence;
  in_quote = memchr (p, '>', fence - p) != NULL;

  for (guint line = from; line < r->n_lines; line++)
    {
      const char *q;
      guint length, column;

      line_bounds (r, line, &p, &end);
      q = skip_container_prefix (p, end, FALSE);
      if (q == end)
        {
          /* A blank line ends a quote, so a fence after it is the next block's. Elsewhere
           * trailing blank lines may be the code's own (the column check below still keeps a
           * list from taking a top-level fence). */
          if (in_quote && only_spaces (p, end))
            return NO_LINE;
          continue;
        }

      length = run_length (q, end, fence_char);
      if (length < open_length || !only_spaces (q + length, end))
        return NO_LINE;

      /* A fence left of a list item's content is not in the item, and so does not close its
       * code block: the item's content starts where the fence after the marker did, or at most
       * three columns left of an indented fence. */
      column = q - p;
      if (after_marker ? column < open_column : column + 3 < open_column)
        return NO_LINE;

      return line;
    }

  return NO_LINE;
}

static void
locate_fenced_code (Positioner *r,
                    char      fence_char)
{
  guint lower = r->has_prev ? r->prev_last_line + 1 : 0;
  guint open_line, content_last, closing;

  if (r->leaf_has_text)
    {
      /* Leading blank content lines send no text from the input. */
      open_line = line_of (r, r->leaf_first_off);
      if (open_line > lower)
        open_line--;
      while (open_line > lower && line_is_blank (r, open_line, TRUE))
        open_line--;

      if (r->leaf_starts_block)
        r->first_off = r->line_starts[open_line];
      content_last = line_of (r, r->leaf_last_off);
    }
  else
    {
      position_empty_block (r, NO_OFFSET);
      if (!r->has_pos)
        return;
      open_line = content_last = line_of (r, r->last_off);
    }

  closing = find_closing_fence (r, open_line, content_last + 1, fence_char);
  if (closing != NO_LINE)
    note_line (r, closing);
}

/* md4c callbacks */

static void
begin_top_level_block (Positioner   *r,
                       MD_BLOCKTYPE  type)
{
  r->has_pos = FALSE;
  r->first_off = r->last_off = 0;
  r->image_nesting = 0;
  r->top_type = type;
}

static void
finish_top_level_block (Positioner *r)
{
  guint lower = r->has_prev ? r->prev_last_line + 1 : 0;
  guint first, last;

  if (r->has_pos)
    {
      first = line_of (r, r->first_off);
      last = line_of (r, r->last_off);
    }
  else
    {
      first = last = candidate_first_line (r);
    }

  /* A quote or list that starts with a textless line (a bare `>`, an empty item) is still known
   * by its first line's marker... */
  if (r->has_pos && (r->top_type == MD_BLOCK_QUOTE || r->top_type == MD_BLOCK_UL
                     || r->top_type == MD_BLOCK_OL))
    {
      guint candidate = candidate_first_line (r);

      /* ...unless the block above is of the same kind and that line directly follows it: a
       * bare `>` after a quote's text is that quote's. */
      if (candidate < first && line_opens_container (r, candidate, r->top_type)
          && !(r->has_prev && r->prev_type == r->top_type && candidate == lower))
        first = candidate;
    }

  first = MAX (first, lower);
  last = MAX (last, first);

  {
    TopBlock block = { first, last };

    g_array_append_val (r->blocks, block);
  }

  r->has_prev = TRUE;
  r->prev_last_line = last;
  r->prev_type = r->top_type;
}

static int
enter_block (MD_BLOCKTYPE  type,
             void         *detail,
             void         *user_data)
{
  Positioner *r = user_data;
  OpenBlock open = { 0, NO_OFFSET };

  if (type == MD_BLOCK_DOC)
    return 0;

  if (r->open->len == 0)
    begin_top_level_block (r, type);

  open.serial = r->serial;
  if (type == MD_BLOCK_LI && ((const MD_BLOCK_LI_DETAIL *) detail)->is_task)
    open.task_offset = ((const MD_BLOCK_LI_DETAIL *) detail)->task_mark_offset;

  if (type == MD_BLOCK_CODE || type == MD_BLOCK_H)
    {
      r->in_leaf = TRUE;
      r->leaf_has_text = FALSE;
      r->leaf_starts_block = !r->has_pos;
    }

  g_array_append_val (r->open, open);
  return 0;
}

static int
leave_block (MD_BLOCKTYPE  type,
             void         *detail,
             void         *user_data)
{
  Positioner *r = user_data;
  OpenBlock open;

  if (type == MD_BLOCK_DOC || r->open->len == 0)
    return 0;

  open = g_array_index (r->open, OpenBlock, r->open->len - 1);
  g_array_set_size (r->open, r->open->len - 1);

  /* Source positions of what carries no text. */
  switch (type)
    {
    case MD_BLOCK_DOC:
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
    case MD_BLOCK_TR:
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
      /* Empty cells are common and say nothing about lines; the table as a whole is placed. */
      break;
    case MD_BLOCK_CODE:
      {
        const MD_BLOCK_CODE_DETAIL *code = detail;

        if (code->fence_char != 0)
          locate_fenced_code (r, code->fence_char);
        else if (r->serial == open.serial)
          position_empty_block (r, NO_OFFSET);
      }
      break;
    case MD_BLOCK_H:
      /* A link destination can note a position without any text: only text says where the
       * heading's own line is. */
      if (!r->leaf_has_text)
        {
          position_empty_block (r, NO_OFFSET);
        }
      else
        {
          guint line = line_of (r, r->leaf_last_off);
          unsigned level = ((const MD_BLOCK_H_DETAIL *) detail)->level;

          if (line + 1 < r->n_lines && !line_is_atx_heading (r, line)
              && line_is_setext_underline (r, line + 1, level, r->open->len > 0 ? line : NO_LINE))
            note_line (r, line + 1);
        }
      break;
    case MD_BLOCK_QUOTE:
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
    case MD_BLOCK_LI:
    case MD_BLOCK_HR:
    case MD_BLOCK_HTML:
    case MD_BLOCK_P:
    case MD_BLOCK_TABLE:
      if (r->serial == open.serial)
        position_empty_block (r, open.task_offset);
      break;
    }

  if (type == MD_BLOCK_CODE || type == MD_BLOCK_H)
    r->in_leaf = FALSE;

  if (r->open->len == 0)
    finish_top_level_block (r);

  return 0;
}

static int
enter_span (MD_SPANTYPE  type,
            void        *detail,
            void        *user_data)
{
  Positioner *r = user_data;

  /* An image's description is its alt text: what is nested in it places nothing. */
  if (r->image_nesting > 0)
    {
      if (type == MD_SPAN_IMG)
        r->image_nesting++;
      return 0;
    }

  if (type == MD_SPAN_A)
    {
      note_destination (r, &((const MD_SPAN_A_DETAIL *) detail)->href);
    }
  else if (type == MD_SPAN_IMG)
    {
      r->image_nesting++;
      note_destination (r, &((const MD_SPAN_IMG_DETAIL *) detail)->src);
    }

  return 0;
}

static int
leave_span (MD_SPANTYPE  type,
            void        *detail,
            void        *user_data)
{
  Positioner *r = user_data;

  if (r->image_nesting > 0 && type == MD_SPAN_IMG)
    r->image_nesting--;

  return 0;
}

static int
on_text (MD_TEXTTYPE    type,
         const MD_CHAR *text,
         MD_SIZE        size,
         void          *user_data)
{
  Positioner *r = user_data;

  switch (type)
    {
    case MD_TEXT_NULLCHAR:
    case MD_TEXT_BR:
    case MD_TEXT_SOFTBR:
      break;
    case MD_TEXT_HTML:
    case MD_TEXT_ENTITY:
    case MD_TEXT_NORMAL:
    case MD_TEXT_CODE:
    case MD_TEXT_LATEXMATH:
      note_text (r, text, size);
      break;
    }

  return 0;
}

/* On broken input an overestimated block could push the blocks after it past the end; the blocks'
 * own starts are the more reliable, so the one above gives way. Each top-level block has a line
 * of its own, so this always succeeds. */
static void
keep_blocks_in_document (const Positioner *r)
{
  guint limit = r->n_lines;

  for (guint i = r->blocks->len; i-- > 0;)
    {
      TopBlock *block = &g_array_index (r->blocks, TopBlock, i);

      if (limit == 0)
        {
          block->first_line = block->last_line = 0;
          continue;
        }

      block->last_line = MIN (block->last_line, limit - 1);
      block->first_line = MIN (block->first_line, block->last_line);
      limit = block->first_line;
    }
}

/* Between two top-level blocks stand only blank lines and reference definitions: non-blank lines
 * directly after a block are its own trailing syntax that carried no text. */
static void
extend_blocks_over_gaps (const Positioner *r)
{
  for (guint i = 0; i < r->blocks->len; i++)
    {
      TopBlock *block = &g_array_index (r->blocks, TopBlock, i);
      guint limit = r->n_lines;
      guint line;

      if (i + 1 < r->blocks->len)
        limit = g_array_index (r->blocks, TopBlock, i + 1).first_line;

      for (line = block->last_line + 1; line < limit; line++)
        if (line_is_blank (r, line, FALSE) || line_is_reference_definition (r, line))
          break;

      block->last_line = MAX (block->last_line, line - 1);
    }
}

/* The text both md4c's parser and md_html are given. */

#define SOURCE_PADDING 8

typedef struct {
  const char *text;
  gsize       size;
  char       *owned;
} Source;

/* A copy of @text with NULs after it: md4c 0.4.8 was once seen (by the markdown fuzz target,
 * after 1,113 s, and not again with that input alone) reading two bytes past the end of its
 * input, into what it then wrote out. Whatever it reads there is then ours, and empty. */
static char *
padded_copy (const char *text,
             gsize       size)
{
  char *copy = g_malloc (size + SOURCE_PADDING);

  memcpy (copy, text, size);
  memset (copy + size, 0, SOURCE_PADDING);
  return copy;
}

static void
source_prepare (Source     *source,
                const char *text,
                gssize      length)
{
  gsize size = length < 0 ? strlen (text) : (gsize) length;
  const char *nul;

  /* md4c measures in unsigned int (and a NUL below grows into three bytes); a longer text is
   * not an article. */
  size = MIN (size, (gsize) G_MAXUINT / 4);
  if (size >= strlen (UTF8_BOM) && memcmp (text, UTF8_BOM, strlen (UTF8_BOM)) == 0)
    {
      text += strlen (UTF8_BOM);
      size -= strlen (UTF8_BOM);
    }

  if ((nul = memchr (text, '\0', size)) != NULL)
    {
      g_autoptr(GString) replaced = g_string_sized_new (size + 16);
      const char *end = text + size;
      const char *run = text;

      do
        {
          g_string_append_len (replaced, run, nul - run);
          g_string_append (replaced, REPLACEMENT_CHARACTER);
          run = nul + 1;
        }while ((nul = memchr (run, '\0', end - run)) != NULL);
      g_string_append_len (replaced, run, end - run);

      source->size = replaced->len;
      source->text = source->owned = padded_copy (replaced->str, replaced->len);
    }
  else
    {
      source->size = size;
      source->text = source->owned = padded_copy (text, size);
    }
}

static void
append_output_cb (const MD_CHAR *text,
                  MD_SIZE        size,
                  void          *user_data)
{
  g_string_append_len (user_data, text, size);
}

static void
render_html (const char *text,
             gsize       size,
             GString    *out)
{
  md_html (text, (MD_SIZE) size, append_output_cb, out, PARSER_FLAGS, HTML_FLAGS);
}

static void
position_blocks (Positioner *r,
                 const char *text,
                 gsize       size)
{
  const MD_PARSER parser = {
    .abi_version = 0,
    .flags = PARSER_FLAGS,
    .enter_block = enter_block,
    .leave_block = leave_block,
    .enter_span = enter_span,
    .leave_span = leave_span,
    .text = on_text,
  };

  r->input = text;
  r->size = size;
  r->blocks = g_array_sized_new (FALSE, FALSE, sizeof (TopBlock), 64);
  r->open = g_array_sized_new (FALSE, FALSE, sizeof (OpenBlock), 16);
  compute_line_starts (r);

  /* md4c fails only when out of memory; the blocks found by then are kept. */
  md_parse (text, (MD_SIZE) size, &parser, r);
  keep_blocks_in_document (r);
  extend_blocks_over_gaps (r);
}

static void
positioner_clear (Positioner *r)
{
  g_clear_pointer (&r->blocks, g_array_unref);
  g_clear_pointer (&r->open, g_array_unref);
  g_clear_pointer (&r->line_starts, g_free);
}

/* Link reference definitions stand between the top-level blocks (a definition carries no text,
 * so no block takes its lines). Those stretches of lines, each with a blank line after it, are
 * what a block rendered alone needs to resolve its reference links. */
static void
collect_definitions (const Positioner *r,
                     GString          *definitions)
{
  guint line = 0;

  g_string_truncate (definitions, 0);
  for (guint i = 0; i <= r->blocks->len; i++)
    {
      guint end = i < r->blocks->len ? g_array_index (r->blocks, TopBlock, i).first_line
                                     : r->n_lines;
      guint first = line, last = end;

      /* From the first to the last line that is not blank, as they are. */
      while (first < end && line_is_blank (r, first, FALSE))
        first++;
      while (last > first && line_is_blank (r, last - 1, FALSE))
        last--;
      if (first < last)
        {
          g_string_append_len (definitions, r->input + r->line_starts[first],
                               r->line_starts[last] - r->line_starts[first]);
          if (definitions->str[definitions->len - 1] != '\n'
              && definitions->str[definitions->len - 1] != '\r')
            g_string_append_c (definitions, '\n');
          g_string_append_c (definitions, '\n');
        }

      if (i < r->blocks->len)
        line = g_array_index (r->blocks, TopBlock, i).last_line + 1;
    }
}

/* Renderings of pieces of source, kept from one document to the next */

typedef struct {
  const char *source;          /* owned when kept in the cache */
  gsize       size;
  gboolean    with_definitions;
  char       *html;
  gsize       html_size;
} Piece;

static void
piece_free (Piece *piece)
{
  g_free ((char *) piece->source);
  g_free (piece->html);
  g_free (piece);
}

/* Pieces are long: their size and up to 32 bytes at each end make a hash good enough, and the
 * comparison then reads them once. */
static guint
piece_hash (gconstpointer key)
{
  const Piece *piece = key;
  guint hash = (guint) piece->size * 31 + (guint) piece->with_definitions;
  gsize head = MIN (piece->size, 32);

  for (gsize i = 0; i < head; i++)
    hash = hash * 33 + (guchar) piece->source[i];
  for (gsize i = piece->size - head; i < piece->size; i++)
    hash = hash * 33 + (guchar) piece->source[i];
  return hash;
}

static gboolean
piece_equal (gconstpointer a,
             gconstpointer b)
{
  const Piece *x = a, *y = b;

  return x->size == y->size && x->with_definitions == y->with_definitions
         && memcmp (x->source, y->source, x->size) == 0;
}

struct _BylineMarkdownRenderer
{
  GHashTable *pieces;       /* Piece, rendered for the last document */
  GString    *definitions;  /* the last document's definitions, which its pieces were given */
};

BylineMarkdownRenderer *
byline_markdown_renderer_new (void)
{
  BylineMarkdownRenderer *self = g_new0 (BylineMarkdownRenderer, 1);

  self->pieces = g_hash_table_new_full (piece_hash, piece_equal, (GDestroyNotify) piece_free,
                                        NULL);
  self->definitions = g_string_new (NULL);
  return self;
}

void
byline_markdown_renderer_free (BylineMarkdownRenderer *self)
{
  if (self == NULL)
    return;

  g_hash_table_unref (self->pieces);
  g_string_free (self->definitions, TRUE);
  g_free (self);
}

typedef struct {
  BylineMarkdownRenderer *renderer;
  GHashTable             *kept;        /* the pieces of this document, for the next one */
  const Positioner       *r;
  const GString          *whole;
  const GString          *definitions;
  GString                *input;       /* scratch: definitions and a piece */
  GString                *html;        /* scratch: a piece's HTML */
} Splitter;

/* The source of blocks @first to @last: from the first one's first line (the text's start for the
 * first block) to the next block's first line (the text's end for the last block). */
static void
piece_bounds (const Positioner *r,
              guint             first,
              guint             last,
              gsize            *start,
              gsize            *end)
{
  const TopBlock *blocks = (const TopBlock *) r->blocks->data;

  *start = first == 0 ? 0 : r->line_starts[blocks[first].first_line];
  *end = last + 1 < r->blocks->len ? r->line_starts[blocks[last + 1].first_line] : r->size;
}

/* The HTML of the source of blocks @first to @last alone, from the cache or md_html. */
static const Piece *
render_piece (Splitter *s,
              guint     first,
              guint     last,
              gboolean  with_definitions)
{
  const Positioner *r = s->r;
  gsize start, end;
  Piece key;
  Piece *piece;

  piece_bounds (r, first, last, &start, &end);
  key = (Piece) { r->input + start, end - start, with_definitions, NULL, 0 };

  if ((piece = g_hash_table_lookup (s->kept, &key)) != NULL)
    return piece;
  if (g_hash_table_steal_extended (s->renderer->pieces, &key, (gpointer *) &piece, NULL))
    {
      g_hash_table_add (s->kept, piece);
      return piece;
    }

  g_string_truncate (s->html, 0);
  if (with_definitions)
    {
      g_string_truncate (s->input, 0);
      g_string_append_len (s->input, s->definitions->str, s->definitions->len);
      g_string_append_len (s->input, key.source, key.size);
      render_html (s->input->str, s->input->len, s->html);
    }
  else
    {
      render_html (key.source, key.size, s->html);
    }

  piece = g_new (Piece, 1);
  piece->source = g_memdup2 (key.source, key.size);
  piece->size = key.size;
  piece->with_definitions = with_definitions;
  piece->html = g_memdup2 (s->html->str, s->html->len);
  piece->html_size = s->html->len;
  g_hash_table_add (s->kept, piece);
  return piece;
}

/* Whether blocks @first to @last rendered alone give the whole document's HTML at @offset;
 * then @length is the size of that HTML. */
static gboolean
piece_matches (Splitter *s,
               guint     first,
               guint     last,
               gsize     offset,
               gsize    *length)
{
  const Positioner *r = s->r;
  gboolean needs_definitions;
  gsize start, end;

  piece_bounds (r, first, last, &start, &end);
  needs_definitions = s->definitions->len > 0
                      && memchr (r->input + start, '[', end - start) != NULL;

  for (guint attempt = 0; attempt < (needs_definitions ? 2 : 1); attempt++)
    {
      /* With the definitions first; without them when a definition of the piece's own was
       * overridden by an earlier one of the same label. */
      const Piece *piece = render_piece (s, first, last, needs_definitions && attempt == 0);

      if (piece->html_size > 0 && piece->html_size <= s->whole->len - offset
          && memcmp (s->whole->str + offset, piece->html, piece->html_size) == 0)
        {
          *length = piece->html_size;
          return TRUE;
        }
    }

  return FALSE;
}

/* A run of top-level blocks whose HTML is one piece of the whole document's. */
typedef struct {
  guint first_line;
  guint last_line;
  gsize offset;
  gsize length;
} Run;

static GArray *
split_whole (Splitter *s)
{
  const Positioner *r = s->r;
  GArray *runs = g_array_sized_new (FALSE, FALSE, sizeof (Run), r->blocks->len);
  gsize offset = 0;

  for (guint first = 0; first < r->blocks->len;)
    {
      guint last = first;
      gsize length = 0;
      gboolean found = FALSE;
      Run run = { 0, };

      for (; last < r->blocks->len && last < first + MAX_RUN; last++)
        if ((found = piece_matches (s, first, last, offset, &length)))
          break;

      if (!found || last + 1 == r->blocks->len)
        {
          /* The last run takes whatever is left. */
          last = r->blocks->len - 1;
          length = s->whole->len - offset;
        }

      run.first_line = g_array_index (r->blocks, TopBlock, first).first_line;
      run.last_line = g_array_index (r->blocks, TopBlock, last).last_line;
      run.offset = offset;
      run.length = length;

      /* A run with no HTML of its own (only possible in broken cases) joins the one before. */
      if (length == 0 && runs->len > 0)
        g_array_index (runs, Run, runs->len - 1).last_line = run.last_line;
      else
        g_array_append_val (runs, run);

      offset += length;
      first = last + 1;
    }

  return runs;
}

static BylineBlock *
block_from_html (const GString *html,
                 gsize          offset,
                 gsize          length,
                 guint          first_line,
                 guint          last_line)
{
  BylineBlock *block = g_new (BylineBlock, 1);

  block->html = g_strndup (html->str + offset, length);
  block->first_line = first_line;
  block->last_line = last_line;
  return block;
}

/* What md_html writes with GitHub's dialect. Its text, attribute values included, has every "<"
 * escaped, so a "<" in its output that starts no tag of this list is raw HTML. */
static const char * const md4c_elements[] = {
  "a", "blockquote", "br", "code", "del", "em", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "img",
  "input", "li", "ol", "p", "pre", "strong", "table", "tbody", "td", "th", "thead", "tr", "ul",
};

static gboolean
is_void (const char *name)
{
  return g_str_equal (name, "br") || g_str_equal (name, "hr") || g_str_equal (name, "img") ||
         g_str_equal (name, "input");
}

static int
md4c_element_index (const char *name,
                    gsize       length)
{
  for (guint i = 0; i < G_N_ELEMENTS (md4c_elements); i++)
    if (strlen (md4c_elements[i]) == length && memcmp (md4c_elements[i], name, length) == 0)
      return (int) i;
  return -1;
}

/* Whether the rest of a tag, from @p after its name, is as md_html writes it: name="value" pairs
 * (the values escaped, with no "<" or ">") up to its ">". Anything else (an end tag or a quote
 * left open, a value in single quotes that may hold a ">") may run on into the next blocks. */
static gboolean
is_md4c_tag_end (const char *p,
                 const char *end)
{
  guint quotes = 0;

  for (; p < end && *p != '>'; p++)
    {
      if (*p == '<' || *p == '\'')
        return FALSE;
      quotes += *p == '"';
    }
  return p < end && quotes % 2 == 0;
}

/* Where md_html puts the parts of a list or a table, which a browser ignores, or reads into
 * something else, anywhere else. */
static gboolean
is_in_md4c_parent (const char *name,
                   const char *parent)
{
  if (g_str_equal (name, "li"))
    return g_strcmp0 (parent, "ul") == 0 || g_strcmp0 (parent, "ol") == 0;
  if (g_str_equal (name, "thead") || g_str_equal (name, "tbody"))
    return g_strcmp0 (parent, "table") == 0;
  if (g_str_equal (name, "tr"))
    return g_strcmp0 (parent, "thead") == 0 || g_strcmp0 (parent, "tbody") == 0;
  if (g_str_equal (name, "th") || g_str_equal (name, "td"))
    return g_strcmp0 (parent, "tr") == 0;
  return TRUE;
}

#define MD4C_MAX_DEPTH 64

/* Whether the HTML of a run may leave something open, so that a browser reads the blocks after it
 * differently in one page than one at a time, and byline-html-balance must follow it. A run is
 * left alone only when its HTML is as md_html writes it: tags of its kinds only (no raw HTML, no
 * comment or declaration), each written as md_html does, every element closed in order, lists'
 * and tables' parts inside their parents, nothing left open. Raw HTML is read from the HTML
 * itself, not from where md4c's parser reported it: the source lines can place that report one or
 * two runs away (an empty quote holding a fence before it). md4c 0.4.8's own HTML fails the test
 * where it leaves <em>, <strong>, <a> or <del> open: when the delimiter that would close it is
 * inside a link's destination ("_![i](x_)", md4c issues 277 and 278), and when an autolink runs
 * to the end of a table cell. A browser then opens it again in every paragraph after it, in the
 * published page as in a preview block that holds them (unless a cell or its paragraph ended it,
 * which byline-html-balance follows or answers "open" for: the block is then only larger than it
 * need be). */
static gboolean
may_leave_html_open (const char *html,
                     gsize       length)
{
  const char *end = html + length;
  const char *open[MD4C_MAX_DEPTH];
  guint depth = 0;

  for (const char *p = html; (p = memchr (p, '<', end - p)) != NULL; p++)
    {
      gboolean closing = p + 1 < end && p[1] == '/';
      const char *name = p + 1 + closing;
      const char *name_end = name;
      const char *element;
      int index;

      while (name_end < end && g_ascii_isalnum (*name_end))
        name_end++;
      index = md4c_element_index (name, name_end - name);
      if (index < 0 || name_end == end || (*name_end != '>' && *name_end != ' ') ||
          !is_md4c_tag_end (name_end, end))
        return TRUE;
      element = md4c_elements[index];
      if (closing)
        {
          if (depth == 0 || open[--depth] != element)
            return TRUE;
          continue;
        }
      if (!is_in_md4c_parent (element, depth > 0 ? open[depth - 1] : NULL))
        return TRUE;
      /* md4c links an address inside a link's text: a browser closes the outer link there
       * (and opens its formatting again after it), which it must be followed for. */
      if (g_str_equal (element, "a"))
        for (guint i = 0; i < depth; i++)
          if (open[i] == element)
            return TRUE;
      if (is_void (element))
        continue;
      if (depth == MD4C_MAX_DEPTH)
        return TRUE;
      open[depth++] = element;
    }
  return depth > 0;
}

/* The runs as the preview's blocks: from a run whose raw HTML (or md4c's own, see above) leaves
 * something open to the one that closes it, one block. */
static GPtrArray *
balance_runs (GArray        *runs,
              const GString *whole)
{
  GPtrArray *blocks = g_ptr_array_new_full (runs->len, (GDestroyNotify) byline_block_free);
  g_autoptr(BylineHtmlBalance) balance = NULL;
  const Run *open = NULL;

  for (guint i = 0; i < runs->len; i++)
    {
      const Run *run = &g_array_index (runs, Run, i);

      if (open == NULL && !may_leave_html_open (whole->str + run->offset, run->length))
        {
          g_ptr_array_add (blocks, block_from_html (whole, run->offset, run->length,
                                                    run->first_line, run->last_line));
          continue;
        }

      if (open == NULL)
        {
          open = run;
          balance = byline_html_balance_new ();
        }
      byline_html_balance_feed (balance, whole->str + run->offset, run->length);
      if (byline_html_balance_is_closed (balance) || i + 1 == runs->len)
        {
          g_ptr_array_add (blocks, block_from_html (whole, open->offset,
                                                    run->offset + run->length - open->offset,
                                                    open->first_line, run->last_line));
          open = NULL;
          g_clear_pointer (&balance, byline_html_balance_free);
        }
    }

  return blocks;
}

GPtrArray *
byline_markdown_renderer_render_blocks (BylineMarkdownRenderer *self,
                                        const char             *text,
                                        gssize                  length)
{
  Positioner r = { 0 };
  Source source;
  g_autoptr(GString) whole = NULL;
  g_autoptr(GString) definitions = NULL;
  g_autoptr(GString) input = NULL;
  g_autoptr(GString) html = NULL;
  g_autoptr(GArray) runs = NULL;
  GHashTable *kept;
  Splitter splitter;
  GPtrArray *blocks;

  g_return_val_if_fail (self != NULL, NULL);
  g_return_val_if_fail (text != NULL || length <= 0, NULL);

  if (text == NULL)
    text = "";
  source_prepare (&source, text, length);
  position_blocks (&r, source.text, source.size);

  whole = g_string_sized_new (source.size + source.size / 4 + 64);
  render_html (source.text, source.size, whole);
  definitions = g_string_new (NULL);
  collect_definitions (&r, definitions);

  /* Pieces rendered with other definitions cannot be used again. */
  if (!g_string_equal (definitions, self->definitions))
    {
      GHashTableIter iter;
      Piece *piece;

      g_hash_table_iter_init (&iter, self->pieces);
      while (g_hash_table_iter_next (&iter, (gpointer *) &piece, NULL))
        if (piece->with_definitions)
          g_hash_table_iter_remove (&iter);
      g_string_assign (self->definitions, definitions->str);
    }

  kept = g_hash_table_new_full (piece_hash, piece_equal, (GDestroyNotify) piece_free, NULL);
  input = g_string_new (NULL);
  html = g_string_new (NULL);
  splitter = (Splitter) { self, kept, &r, whole, definitions, input, html };
  runs = split_whole (&splitter);
  blocks = balance_runs (runs, whole);

  /* What this document rendered is what the next one may use again. */
  g_hash_table_unref (self->pieces);
  self->pieces = kept;

  positioner_clear (&r);
  g_free (source.owned);
  return blocks;
}

GPtrArray *
byline_markdown_render_blocks (const char *text,
                               gssize      length)
{
  g_autoptr(BylineMarkdownRenderer) renderer = byline_markdown_renderer_new ();

  g_return_val_if_fail (text != NULL || length <= 0,
                        g_ptr_array_new_with_free_func ((GDestroyNotify) byline_block_free));

  return byline_markdown_renderer_render_blocks (renderer, text, length);
}

char *
byline_markdown_render_html (const char *text,
                             gssize      length)
{
  GString *html;
  Source source;

  g_return_val_if_fail (text != NULL || length <= 0, g_strdup (""));

  if (text == NULL)
    return g_strdup ("");
  source_prepare (&source, text, length);
  html = g_string_sized_new (source.size + source.size / 4 + 64);
  render_html (source.text, source.size, html);
  g_free (source.owned);
  return g_string_free (html, FALSE);
}
