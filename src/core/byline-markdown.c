/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-markdown.c: Markdown to HTML on md4c's parser, per top-level block, with source lines. */

#include "config.h"

#include <stdint.h>
#include <string.h>

#include <md4c.h>

#include "byline-markdown.h"

/*
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

#define NO_LINE G_MAXUINT
#define NO_OFFSET G_MAXSIZE
#define REPLACEMENT_CHARACTER "\xef\xbf\xbd"

typedef struct {
  guint serial;      /* Renderer.serial when the block was entered */
  gsize task_offset; /* input offset of a task item's mark, or NO_OFFSET */
} OpenBlock;

typedef struct {
  const char   *input;
  gsize         size;
  gsize        *line_starts;      /* n_lines + 1 entries, the last one being size */
  guint         n_lines;

  GPtrArray    *blocks;
  GString      *html;             /* the current top-level block's HTML, reused for each block */
  GArray       *open;             /* OpenBlock for each open block but MD_BLOCK_DOC */
  guint         image_nesting;
  gboolean      after_nullchar;   /* the last text callback was MD_TEXT_NULLCHAR */

  /* Where the current top-level block is known to be, as input offsets. */
  MD_BLOCKTYPE  top_type;
  gboolean      has_pos;
  gsize         first_off;
  gsize         last_off;
  guint         serial;           /* bumped for every position noted, to tell empty blocks */

  gboolean      has_prev;
  guint         prev_last_line;
  MD_BLOCKTYPE  prev_type;

  /* The code block or heading being rendered; they hold no blocks, so one is open at a time. */
  gboolean      in_leaf;
  gboolean      leaf_has_text;
  gboolean      leaf_starts_block; /* nothing of the top-level block was placed before it */
  gsize         leaf_first_off;
  gsize         leaf_last_off;
} Renderer;

/* Lines */

static void
compute_line_starts (Renderer *r)
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
line_of (const Renderer *r,
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
line_bounds (const Renderer  *r,
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
line_is_blank (const Renderer *r,
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
line_is_atx_heading (const Renderer *r,
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
line_is_setext_underline (const Renderer *r,
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
line_is_reference_definition (const Renderer *r,
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
first_content_line (const Renderer *r,
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
line_opens_container (const Renderer *r,
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
note_position (Renderer *r,
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
note_line (Renderer *r,
           guint     line)
{
  note_position (r, r->line_starts[line], r->line_starts[line]);
}

static void
note_text (Renderer   *r,
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
note_destination (Renderer           *r,
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
candidate_first_line (const Renderer *r)
{
  guint from = r->has_prev ? r->prev_last_line + 1 : 0;
  guint line = first_content_line (r, from);

  if (line != NO_LINE)
    return line;

  return MIN (from, r->n_lines > 0 ? r->n_lines - 1 : 0);
}

/* A block that held no text: put it on the next line that holds something. */
static void
position_empty_block (Renderer *r,
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
find_closing_fence (const Renderer *r,
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
locate_fenced_code (Renderer *r,
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

/* HTML output */

/* Text is mostly plain, so look the bytes up in a table and copy the runs between the few that
 * need replacing. md4c replaces NUL characters by MD_TEXT_NULLCHAR in most text, but not inside
 * code spans. */
static const char *const escapes[256] = {
  ['\0'] = REPLACEMENT_CHARACTER,
  ['&'] = "&amp;",
  ['<'] = "&lt;",
  ['>'] = "&gt;",
  ['"'] = "&quot;",
};

static void
append_escaped (GString    *out,
                const char *text,
                gsize       size)
{
  const guchar *run = (const guchar *) text;
  const guchar *end = run + size;
  const guchar *p = run;

  for (;;)
    {
      while (p < end && escapes[*p] == NULL)
        p++;

      g_string_append_len (out, (const char *) run, p - run);
      if (p == end)
        return;

      g_string_append (out, escapes[*p]);
      run = ++p;
    }
}

/* Raw HTML and entities, verbatim but for NUL characters. */
static void
append_verbatim (GString    *out,
                 const char *text,
                 gsize       size)
{
  const char *nul;

  while ((nul = memchr (text, '\0', size)) != NULL)
    {
      g_string_append_len (out, text, nul - text);
      g_string_append (out, REPLACEMENT_CHARACTER);
      size -= nul + 1 - text;
      text = nul + 1;
    }

  g_string_append_len (out, text, size);
}

static void
append_attribute (GString            *out,
                  const MD_ATTRIBUTE *attribute)
{
  if (attribute->size == 0)
    return;

  for (guint i = 0; attribute->substr_offsets[i] < attribute->size; i++)
    {
      MD_OFFSET begin = attribute->substr_offsets[i];
      MD_OFFSET end = attribute->substr_offsets[i + 1];
      const char *text = attribute->text + begin;

      switch (attribute->substr_types[i])
        {
        case MD_TEXT_NULLCHAR:
          for (MD_OFFSET j = begin; j < end; j++)
            g_string_append (out, REPLACEMENT_CHARACTER);
          break;
        case MD_TEXT_ENTITY:
          g_string_append_len (out, text, end - begin);
          break;
        case MD_TEXT_NORMAL:
        case MD_TEXT_BR:
        case MD_TEXT_SOFTBR:
        case MD_TEXT_CODE:
        case MD_TEXT_HTML:
        case MD_TEXT_LATEXMATH:
          append_escaped (out, text, end - begin);
          break;
        }
    }
}

/* Block tags start on a line of their own. */
static void
ensure_newline (GString *out)
{
  if (out->len > 0 && out->str[out->len - 1] != '\n')
    g_string_append_c (out, '\n');
}

static void
append_heading_tag (GString    *out,
                    const char *prefix,
                    unsigned    level)
{
  g_string_append (out, prefix);
  g_string_append_c (out, (char) ('0' + CLAMP (level, 1, 6)));
  g_string_append_c (out, '>');
}

static void
append_cell_open (GString                  *out,
                  const char               *tag,
                  const MD_BLOCK_TD_DETAIL *detail)
{
  const char *align = NULL;

  switch (detail->align)
    {
    case MD_ALIGN_LEFT:
      align = "left";
      break;
    case MD_ALIGN_CENTER:
      align = "center";
      break;
    case MD_ALIGN_RIGHT:
      align = "right";
      break;
    case MD_ALIGN_DEFAULT:
      break;
    }

  g_string_append_c (out, '<');
  g_string_append (out, tag);
  if (align)
    {
      g_string_append (out, " style=\"text-align:");
      g_string_append (out, align);
      g_string_append_c (out, '"');
    }
  g_string_append_c (out, '>');
}

/* md4c callbacks */

static void
begin_top_level_block (Renderer     *r,
                       MD_BLOCKTYPE  type)
{
  g_string_truncate (r->html, 0);
  r->has_pos = FALSE;
  r->first_off = r->last_off = 0;
  r->image_nesting = 0;
  r->top_type = type;
}

static void
finish_top_level_block (Renderer *r)
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

  ensure_newline (r->html);
  g_ptr_array_add (r->blocks, byline_block_new (r->html->str, first, last));

  r->has_prev = TRUE;
  r->prev_last_line = last;
  r->prev_type = r->top_type;
}

static int
enter_block (MD_BLOCKTYPE  type,
             void         *detail,
             void         *user_data)
{
  Renderer *r = user_data;
  GString *out = r->html;
  OpenBlock open = { 0, NO_OFFSET };

  if (type == MD_BLOCK_DOC)
    return 0;

  if (r->open->len == 0)
    begin_top_level_block (r, type);

  open.serial = r->serial;
  ensure_newline (out);

  switch (type)
    {
    case MD_BLOCK_DOC:
      break;
    case MD_BLOCK_QUOTE:
      g_string_append (out, "<blockquote>\n");
      break;
    case MD_BLOCK_UL:
      g_string_append (out, "<ul>\n");
      break;
    case MD_BLOCK_OL:
      {
        const MD_BLOCK_OL_DETAIL *ol = detail;

        if (ol->start != 1)
          g_string_append_printf (out, "<ol start=\"%u\">\n", ol->start);
        else
          g_string_append (out, "<ol>\n");
      }
      break;
    case MD_BLOCK_LI:
      {
        const MD_BLOCK_LI_DETAIL *li = detail;

        if (li->is_task)
          {
            open.task_offset = li->task_mark_offset;
            g_string_append (out, "<li class=\"task-list-item\"><input type=\"checkbox\" disabled");
            if (li->task_mark != ' ')
              g_string_append (out, " checked");
            g_string_append (out, "> ");
          }
        else
          {
            g_string_append (out, "<li>");
          }
      }
      break;
    case MD_BLOCK_HR:
      g_string_append (out, "<hr>\n");
      break;
    case MD_BLOCK_H:
      append_heading_tag (out, "<h", ((const MD_BLOCK_H_DETAIL *) detail)->level);
      break;
    case MD_BLOCK_CODE:
      {
        const MD_BLOCK_CODE_DETAIL *code = detail;

        g_string_append (out, "<pre><code");
        if (code->lang.size > 0)
          {
            g_string_append (out, " class=\"language-");
            append_attribute (out, &code->lang);
            g_string_append_c (out, '"');
          }
        g_string_append_c (out, '>');
      }
      break;
    case MD_BLOCK_HTML:
      break;
    case MD_BLOCK_P:
      g_string_append (out, "<p>");
      break;
    case MD_BLOCK_TABLE:
      g_string_append (out, "<table>\n");
      break;
    case MD_BLOCK_THEAD:
      g_string_append (out, "<thead>\n");
      break;
    case MD_BLOCK_TBODY:
      g_string_append (out, "<tbody>\n");
      break;
    case MD_BLOCK_TR:
      g_string_append (out, "<tr>\n");
      break;
    case MD_BLOCK_TH:
      append_cell_open (out, "th", detail);
      break;
    case MD_BLOCK_TD:
      append_cell_open (out, "td", detail);
      break;
    }

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
  Renderer *r = user_data;
  GString *out = r->html;
  OpenBlock open;

  if (type == MD_BLOCK_DOC || r->open->len == 0)
    return 0;

  open = g_array_index (r->open, OpenBlock, r->open->len - 1);
  g_array_set_size (r->open, r->open->len - 1);

  switch (type)
    {
    case MD_BLOCK_DOC:
    case MD_BLOCK_HR:
    case MD_BLOCK_HTML:
      break;
    case MD_BLOCK_QUOTE:
      g_string_append (out, "</blockquote>\n");
      break;
    case MD_BLOCK_UL:
      g_string_append (out, "</ul>\n");
      break;
    case MD_BLOCK_OL:
      g_string_append (out, "</ol>\n");
      break;
    case MD_BLOCK_LI:
      g_string_append (out, "</li>\n");
      break;
    case MD_BLOCK_H:
      append_heading_tag (out, "</h", ((const MD_BLOCK_H_DETAIL *) detail)->level);
      g_string_append_c (out, '\n');
      break;
    case MD_BLOCK_CODE:
      g_string_append (out, "</code></pre>\n");
      break;
    case MD_BLOCK_P:
      g_string_append (out, "</p>\n");
      break;
    case MD_BLOCK_TABLE:
      g_string_append (out, "</table>\n");
      break;
    case MD_BLOCK_THEAD:
      g_string_append (out, "</thead>\n");
      break;
    case MD_BLOCK_TBODY:
      g_string_append (out, "</tbody>\n");
      break;
    case MD_BLOCK_TR:
      g_string_append (out, "</tr>\n");
      break;
    case MD_BLOCK_TH:
      g_string_append (out, "</th>\n");
      break;
    case MD_BLOCK_TD:
      g_string_append (out, "</td>\n");
      break;
    }

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
  Renderer *r = user_data;
  GString *out = r->html;

  /* Inside an image everything is its alt text: plain text, no markup. */
  if (r->image_nesting > 0)
    {
      if (type == MD_SPAN_IMG)
        r->image_nesting++;
      return 0;
    }

  switch (type)
    {
    case MD_SPAN_EM:
      g_string_append (out, "<em>");
      break;
    case MD_SPAN_STRONG:
      g_string_append (out, "<strong>");
      break;
    case MD_SPAN_DEL:
      g_string_append (out, "<del>");
      break;
    case MD_SPAN_CODE:
      g_string_append (out, "<code>");
      break;
    case MD_SPAN_U:
      g_string_append (out, "<u>");
      break;
    case MD_SPAN_A:
      {
        const MD_SPAN_A_DETAIL *a = detail;

        g_string_append (out, "<a href=\"");
        append_attribute (out, &a->href);
        g_string_append_c (out, '"');
        if (a->title.size > 0)
          {
            g_string_append (out, " title=\"");
            append_attribute (out, &a->title);
            g_string_append_c (out, '"');
          }
        g_string_append_c (out, '>');
        note_destination (r, &a->href);
      }
      break;
    case MD_SPAN_IMG:
      {
        const MD_SPAN_IMG_DETAIL *img = detail;

        g_string_append (out, "<img src=\"");
        append_attribute (out, &img->src);
        g_string_append (out, "\" alt=\"");
        r->image_nesting++;
        note_destination (r, &img->src);
      }
      break;
    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY:
    case MD_SPAN_WIKILINK:
      /* Not enabled by PARSER_FLAGS; their text is rendered as is. */
      break;
    }

  return 0;
}

static int
leave_span (MD_SPANTYPE  type,
            void        *detail,
            void        *user_data)
{
  Renderer *r = user_data;
  GString *out = r->html;

  if (r->image_nesting > 0)
    {
      if (type == MD_SPAN_IMG && --r->image_nesting == 0)
        {
          const MD_SPAN_IMG_DETAIL *img = detail;

          g_string_append_c (out, '"');
          if (img->title.size > 0)
            {
              g_string_append (out, " title=\"");
              append_attribute (out, &img->title);
              g_string_append_c (out, '"');
            }
          g_string_append_c (out, '>');
        }
      return 0;
    }

  switch (type)
    {
    case MD_SPAN_EM:
      g_string_append (out, "</em>");
      break;
    case MD_SPAN_STRONG:
      g_string_append (out, "</strong>");
      break;
    case MD_SPAN_DEL:
      g_string_append (out, "</del>");
      break;
    case MD_SPAN_CODE:
      g_string_append (out, "</code>");
      break;
    case MD_SPAN_U:
      g_string_append (out, "</u>");
      break;
    case MD_SPAN_A:
      g_string_append (out, "</a>");
      break;
    case MD_SPAN_IMG:
    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY:
    case MD_SPAN_WIKILINK:
      break;
    }

  return 0;
}

static int
on_text (MD_TEXTTYPE    type,
         const MD_CHAR *text,
         MD_SIZE        size,
         void          *user_data)
{
  Renderer *r = user_data;
  GString *out = r->html;
  gboolean in_alt = r->image_nesting > 0;
  gboolean after_nullchar = r->after_nullchar;

  r->after_nullchar = type == MD_TEXT_NULLCHAR;

  /* In code and raw HTML blocks md4c 0.4.8 sends the text after a NULLCHAR starting with the
   * very NUL it replaced. */
  if (after_nullchar && type != MD_TEXT_NULLCHAR && size > 0 && text[0] == '\0')
    text++, size--;

  switch (type)
    {
    case MD_TEXT_NULLCHAR:
      for (MD_SIZE i = 0; i < size; i++)
        g_string_append (out, REPLACEMENT_CHARACTER);
      break;
    case MD_TEXT_BR:
      g_string_append (out, in_alt ? " " : "<br>\n");
      break;
    case MD_TEXT_SOFTBR:
      g_string_append (out, in_alt ? " " : "\n");
      break;
    case MD_TEXT_ENTITY:
      append_verbatim (out, text, size);
      note_text (r, text, size);
      break;
    case MD_TEXT_HTML:
      /* Raw HTML passes through, except into an alt attribute where it would end it. */
      if (in_alt)
        append_escaped (out, text, size);
      else
        append_verbatim (out, text, size);
      note_text (r, text, size);
      break;
    case MD_TEXT_NORMAL:
    case MD_TEXT_CODE:
    case MD_TEXT_LATEXMATH:
      append_escaped (out, text, size);
      note_text (r, text, size);
      break;
    }

  return 0;
}

/* On broken input an overestimated block could push the blocks after it past the end; the blocks'
 * own starts are the more reliable, so the one above gives way. Each top-level block has a line
 * of its own, so this always succeeds. */
static void
keep_blocks_in_document (const Renderer *r)
{
  guint limit = r->n_lines;

  for (guint i = r->blocks->len; i-- > 0;)
    {
      BylineBlock *block = g_ptr_array_index (r->blocks, i);

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
extend_blocks_over_gaps (const Renderer *r)
{
  for (guint i = 0; i < r->blocks->len; i++)
    {
      BylineBlock *block = g_ptr_array_index (r->blocks, i);
      guint limit = r->n_lines;
      guint line;

      if (i + 1 < r->blocks->len)
        limit = ((BylineBlock *) g_ptr_array_index (r->blocks, i + 1))->first_line;

      for (line = block->last_line + 1; line < limit; line++)
        if (line_is_blank (r, line, FALSE) || line_is_reference_definition (r, line))
          break;

      block->last_line = MAX (block->last_line, line - 1);
    }
}

GPtrArray *
byline_markdown_render_blocks (const char *text,
                               gssize      length)
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
  GPtrArray *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_block_free);
  Renderer r = { 0 };
  gsize size;

  g_return_val_if_fail (text != NULL || length <= 0, blocks);

  if (text == NULL)
    return blocks;

  size = length < 0 ? strlen (text) : (gsize) length;
  /* md4c measures in unsigned int; a longer text is not an article. */
  size = MIN (size, (gsize) G_MAXUINT);

  r.input = text;
  r.size = size;
  r.blocks = blocks;
  r.html = g_string_sized_new (4096);
  r.open = g_array_sized_new (FALSE, FALSE, sizeof (OpenBlock), 16);
  compute_line_starts (&r);

  /* md4c fails only when out of memory; the blocks finished by then are kept. */
  md_parse (text, (MD_SIZE) size, &parser, &r);
  keep_blocks_in_document (&r);
  extend_blocks_over_gaps (&r);

  g_string_free (r.html, TRUE);
  g_array_unref (r.open);
  g_free (r.line_starts);

  return blocks;
}

char *
byline_markdown_render_html (const char *text,
                             gssize      length)
{
  g_autoptr(GPtrArray) blocks = byline_markdown_render_blocks (text, length);
  GString *html;
  gsize total = 0;

  for (guint i = 0; i < blocks->len; i++)
    total += strlen (((BylineBlock *) g_ptr_array_index (blocks, i))->html);

  html = g_string_sized_new (total + 1);
  for (guint i = 0; i < blocks->len; i++)
    g_string_append (html, ((BylineBlock *) g_ptr_array_index (blocks, i))->html);

  return g_string_free (html, FALSE);
}
