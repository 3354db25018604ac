/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-prepublish-check-scan.c: the part of the pre-publish check that needs no network: a
 * draft read as it will be sent, for its spelling, images, headings and links.
 *
 * Markdown is read by md4c with the publisher's own dialect, so that what is an image, a link or
 * a heading here is one in the HTML sent; md4c hands out pointers into the text it parses, which
 * give each finding its place in the source as typed. Raw HTML (an HTML draft, or HTML inside
 * Markdown) is read by libxml2's HTML parser, and each element is found again in the source by
 * its tag. Spelling reads the source line by line, as the editor's underlining does. */

#define G_LOG_DOMAIN "byline-check"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <md4c.h>
#include <string.h>

#include "byline-html-text.h"
#include "byline-language.h"
#include "byline-prepublish-check-private.h"
#include "byline-spell-words.h"

/* Headings are h1 to h6; the post's title is the level 1 heading above the body. */
#define TITLE_LEVEL 1

void
byline_check_link_free (BylineCheckLink *link)
{
  if (link == NULL)
    return;
  g_free (link->url);
  g_free (link);
}

typedef struct {
  const char *body;
  gsize       length;
  const char *site_url;
  GPtrArray  *findings;
  GPtrArray  *links;

  /* Where md4c last was in the body: the place of what it gives without a pointer into it. */
  gsize       last;
  guint       previous_level;

  /* The heading being read. */
  guint       heading_level;
  gboolean    heading_placed;
  gsize       heading_offset;

  /* The image being read (its alt text is the text inside it; images nest in alt text). */
  guint       image_depth;
  gboolean    image_has_alt;
  char       *image_src;
  gsize       image_offset;
  gsize       image_length;

  /* A raw HTML block, as the range of the body it spans. */
  gboolean    in_html_block;
  gsize       html_start;
  gsize       html_end;
} Scan;

static BylineFinding *
scan_add (Scan            *scan,
          BylineCheckKind  kind,
          gsize            offset,
          gsize            length,
          const char      *subject,
          char            *message)
{
  BylineFinding *finding = byline_finding_new (kind, BYLINE_CHECK_FIELD_BODY);

  finding->offset = offset;
  finding->length = length;
  finding->subject = g_strdup (subject);
  finding->message = message;
  g_ptr_array_add (scan->findings, finding);
  return finding;
}

/* The start of the line @offset is on, and the length of that line without its end. */
static void
line_around (Scan  *scan,
             gsize  offset,
             gsize *start,
             gsize *length)
{
  const char *end;
  gsize s = MIN (offset, scan->length);

  while (s > 0 && scan->body[s - 1] != '\n')
    s--;
  end = memchr (scan->body + s, '\n', scan->length - s);
  *start = s;
  *length = (end ? (gsize) (end - scan->body) : scan->length) - s;
  if (*length > 0 && scan->body[s + *length - 1] == '\r')
    (*length)--;
}

/* Where @text (@size bytes) is in the body: itself when md4c points into it, else (a value it
 * built: escapes taken out, a scheme added) searched for from where md4c last was. */
static gboolean
scan_place (Scan       *scan,
            const char *text,
            gsize       size,
            gsize      *offset)
{
  g_autofree char *needle = NULL;
  const char *found;

  if (text >= scan->body && text + size <= scan->body + scan->length && size > 0)
    {
      *offset = (gsize) (text - scan->body);
      return TRUE;
    }
  if (size == 0 || scan->last >= scan->length)
    return FALSE;
  needle = g_strndup (text, size);
  found = strstr (scan->body + scan->last, needle);
  /* md4c writes "www.example.org" autolinks as "http://www.example.org". */
  if (found == NULL && g_str_has_prefix (needle, "http://"))
    found = strstr (scan->body + scan->last, needle + strlen ("http://"));
  if (found == NULL)
    return FALSE;
  *offset = (gsize) (found - scan->body);
  return TRUE;
}

/* An attribute's value as the HTML sent has it: md4c leaves entities to its renderer. */
static char *
attribute_dup (const MD_ATTRIBUTE *attribute)
{
  GString *value = g_string_new (NULL);

  for (guint i = 0; attribute->substr_offsets[i] < attribute->size; i++)
    {
      const char *part = attribute->text + attribute->substr_offsets[i];
      gsize size = attribute->substr_offsets[i + 1] - attribute->substr_offsets[i];

      switch (attribute->substr_types[i])
        {
        case MD_TEXT_NULLCHAR:
          g_string_append (value, "\xef\xbf\xbd");
          break;
        case MD_TEXT_ENTITY:
          {
            g_autofree char *entity = g_strndup (part, size);
            g_autofree char *decoded = byline_html_text_extract (entity, -1,
                                                                 BYLINE_HTML_TEXT_ONE_LINE, 0);

            g_string_append (value, *decoded != '\0' ? decoded : entity);
          }
          break;
        case MD_TEXT_NORMAL:
        case MD_TEXT_BR:
        case MD_TEXT_SOFTBR:
        case MD_TEXT_CODE:
        case MD_TEXT_HTML:
        case MD_TEXT_LATEXMATH:
        default:
          g_string_append_len (value, part, size);
          break;
        }
    }
  return g_string_free (value, FALSE);
}

static gboolean
is_blank (const char *text,
          gsize       size)
{
  for (gsize i = 0; i < size; i++)
    if (!g_ascii_isspace (text[i]))
      return FALSE;
  return TRUE;
}

/* Keeps @address, found at @offset (@length bytes) in the body, when it is one to check. */
static void
scan_add_link (Scan       *scan,
               const char *address,
               gsize       offset,
               gsize       length)
{
  g_autofree char *resolved = NULL;
  g_autofree char *scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  BylineCheckLink *link;

  if (scan->links == NULL || address == NULL)
    return;
  address += strspn (address, " \t\r\n");
  if (*address == '\0')
    return;

  /* The site's own pages, linked as "/about" or "//example.org/about", are checked too. */
  if (address[0] == '/' && scan->site_url != NULL && *scan->site_url != '\0')
    resolved = g_uri_resolve_relative (scan->site_url, address, G_URI_FLAGS_NONE, NULL);
  else
    resolved = g_strdup (address);
  if (resolved == NULL)
    return;
  scheme = g_uri_parse_scheme (resolved);
  if (scheme == NULL
      || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    return;

  link = g_new0 (BylineCheckLink, 1);
  uri = g_uri_parse (resolved, G_URI_FLAGS_NONE, NULL);
  link->invalid = uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0';
  link->url = g_steal_pointer (&resolved);
  link->offset = offset;
  link->length = length;
  g_ptr_array_add (scan->links, link);
}

static void
scan_heading (Scan  *scan,
              guint  level,
              gsize  offset,
              gsize  length)
{
  if (level > scan->previous_level + 1)
    scan_add (scan, BYLINE_CHECK_SKIPPED_HEADING, offset, length, NULL,
              scan->previous_level == TITLE_LEVEL
              ? g_strdup_printf (_("This heading is level %u right below the title: use level %u "
                                   "(the title is level %u)."),
                                 level, scan->previous_level + 1, TITLE_LEVEL)
              : g_strdup_printf (_("This heading is level %u below a level %u heading: it skips "
                                   "level %u."),
                                 level, scan->previous_level, scan->previous_level + 1));
  scan->previous_level = level;
}

/* ---- Raw HTML ---- */

/* The next start tag @name ("<img", any case, then a space, "/" or ">") at or after @from in
 * @html, as an offset into it; -1 when there is none. */
static gssize
find_start_tag (const char *html,
                gsize       length,
                const char *name,
                gsize       from)
{
  gsize name_length = strlen (name);

  for (gsize i = from; i + 1 + name_length <= length; i++)
    {
      char after;

      if (html[i] != '<' || g_ascii_strncasecmp (html + i + 1, name, name_length) != 0)
        continue;
      after = i + 1 + name_length < length ? html[i + 1 + name_length] : '>';
      if (g_ascii_isspace (after) || after == '/' || after == '>')
        return (gssize) i;
    }
  return -1;
}

typedef struct {
  Scan       *scan;
  const char *html;    /* in the body */
  gsize       length;
  gsize       base;    /* its offset in the body */
  /* Where to look for the next start tag of each name: img, a, h1 … h6. */
  gsize       cursor[8];
} HtmlChunk;

static int
tag_index (const char *name)
{
  if (g_ascii_strcasecmp (name, "img") == 0)
    return 0;
  if (g_ascii_strcasecmp (name, "a") == 0)
    return 1;
  if ((name[0] == 'h' || name[0] == 'H') && name[1] >= '1' && name[1] <= '6' && name[2] == '\0')
    return 2 + name[1] - '1';
  return -1;
}

/* The element's start tag in the body: the next one of its name in the chunk, the parser and
 * the source seeing elements in the same order. Its offset and length in the body. */
static void
chunk_place (HtmlChunk  *chunk,
             const char *name,
             int         index,
             gsize      *offset,
             gsize      *length)
{
  gssize at = find_start_tag (chunk->html, chunk->length, name, chunk->cursor[index]);
  const char *end;

  if (at < 0)
    {
      /* Made up by the parser (or hidden from this search): the chunk's start stands in. */
      *offset = chunk->base;
      *length = 0;
      return;
    }
  chunk->cursor[index] = (gsize) at + 1;
  end = memchr (chunk->html + at, '>', chunk->length - (gsize) at);
  *offset = chunk->base + (gsize) at;
  *length = end ? (gsize) (end - (chunk->html + at)) + 1 : strlen (name) + 1;
}

/* Where @value is inside the tag at @tag_offset (@tag_length bytes), or the tag itself. */
static void
place_in_tag (Scan       *scan,
              const char *value,
              gsize       tag_offset,
              gsize       tag_length,
              gsize      *offset,
              gsize      *length)
{
  gsize value_length = strlen (value);
  const char *tag = scan->body + tag_offset;

  *offset = tag_offset;
  *length = tag_length;
  for (gsize i = 0; value_length > 0 && i + value_length <= tag_length; i++)
    if (memcmp (tag + i, value, value_length) == 0)
      {
        *offset = tag_offset + i;
        *length = value_length;
        return;
      }
}

static void
chunk_walk (HtmlChunk *chunk,
            xmlNode   *node)
{
  for (; node != NULL; node = node->next)
    {
      const char *name = (const char *) node->name;
      int index;

      if (node->type != XML_ELEMENT_NODE)
        continue;
      index = tag_index (name);
      if (index >= 0)
        {
          Scan *scan = chunk->scan;
          gsize offset, length, value_offset, value_length;

          chunk_place (chunk, name, index, &offset, &length);
          if (index == 0)
            {
              g_autofree char *src = (char *) xmlGetProp (node, (const xmlChar *) "src");
              g_autofree char *alt = (char *) xmlGetProp (node, (const xmlChar *) "alt");

              if (alt == NULL || is_blank (alt, strlen (alt)))
                scan_add (scan, BYLINE_CHECK_MISSING_ALT, offset, length, src ? src : "",
                          g_strdup_printf (_("The image “%s” has no alt text: describe it for "
                                             "readers who cannot see it."), src ? src : ""));
              if (src != NULL)
                {
                  place_in_tag (scan, src, offset, length, &value_offset, &value_length);
                  scan_add_link (scan, src, value_offset, value_length);
                }
            }
          else if (index == 1)
            {
              g_autofree char *href = (char *) xmlGetProp (node, (const xmlChar *) "href");

              if (href != NULL)
                {
                  place_in_tag (scan, href, offset, length, &value_offset, &value_length);
                  scan_add_link (scan, href, value_offset, value_length);
                }
            }
          else
            scan_heading (scan, (guint) (index - 1), offset, length);
        }
      chunk_walk (chunk, node->children);
    }
}

/* Reads @length bytes of raw HTML at @base in the body. */
static void
scan_html (Scan  *scan,
           gsize  base,
           gsize  length)
{
  HtmlChunk chunk = { scan, scan->body + base, length, base, { 0 } };
  htmlDocPtr doc;
  gboolean cut;

  if (length == 0)
    return;
  doc = byline_html_text_parse (chunk.html, length, length, &cut);
  if (doc == NULL)
    return;
  chunk_walk (&chunk, xmlDocGetRootElement (doc));
  xmlFreeDoc (doc);
}

/* ---- Markdown, through md4c ---- */

static int
enter_block_cb (MD_BLOCKTYPE  type,
                void         *detail,
                void         *user_data)
{
  Scan *scan = user_data;

  switch (type)
    {
    case MD_BLOCK_H:
      scan->heading_level = ((MD_BLOCK_H_DETAIL *) detail)->level;
      scan->heading_placed = FALSE;
      break;
    case MD_BLOCK_HTML:
      scan->in_html_block = TRUE;
      scan->html_start = scan->html_end = G_MAXSIZE;
      break;
    case MD_BLOCK_DOC:
    case MD_BLOCK_QUOTE:
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
    case MD_BLOCK_LI:
    case MD_BLOCK_HR:
    case MD_BLOCK_CODE:
    case MD_BLOCK_P:
    case MD_BLOCK_TABLE:
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
    case MD_BLOCK_TR:
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
    default:
      break;
    }
  return 0;
}

static int
leave_block_cb (MD_BLOCKTYPE  type,
                void         *detail,
                void         *user_data)
{
  Scan *scan = user_data;
  gsize start, length;

  switch (type)
    {
    case MD_BLOCK_H:
      line_around (scan, scan->heading_placed ? scan->heading_offset : scan->last, &start, &length);
      scan_heading (scan, scan->heading_level, start, length);
      scan->heading_level = 0;
      break;
    case MD_BLOCK_HTML:
      scan->in_html_block = FALSE;
      if (scan->html_start < scan->html_end && scan->html_end <= scan->length)
        scan_html (scan, scan->html_start, scan->html_end - scan->html_start);
      break;
    case MD_BLOCK_DOC:
    case MD_BLOCK_QUOTE:
    case MD_BLOCK_UL:
    case MD_BLOCK_OL:
    case MD_BLOCK_LI:
    case MD_BLOCK_HR:
    case MD_BLOCK_CODE:
    case MD_BLOCK_P:
    case MD_BLOCK_TABLE:
    case MD_BLOCK_THEAD:
    case MD_BLOCK_TBODY:
    case MD_BLOCK_TR:
    case MD_BLOCK_TH:
    case MD_BLOCK_TD:
    default:
      break;
    }
  return 0;
}

static int
enter_span_cb (MD_SPANTYPE  type,
               void        *detail,
               void        *user_data)
{
  Scan *scan = user_data;

  switch (type)
    {
    case MD_SPAN_A:
      {
        MD_SPAN_A_DETAIL *a = detail;
        g_autofree char *href = attribute_dup (&a->href);
        gsize offset = scan->last;

        if (scan_place (scan, a->href.text, a->href.size, &offset))
          scan->last = offset;
        scan_add_link (scan, href, offset, a->href.size);
      }
      break;
    case MD_SPAN_IMG:
      if (scan->image_depth++ == 0)
        {
          MD_SPAN_IMG_DETAIL *img = detail;
          gsize src_offset = scan->last;
          gsize back;

          g_clear_pointer (&scan->image_src, g_free);
          scan->image_src = attribute_dup (&img->src);
          scan->image_has_alt = FALSE;
          scan->image_offset = src_offset;
          scan->image_length = 0;
          if (scan_place (scan, img->src.text, img->src.size, &src_offset))
            {
              scan->image_offset = src_offset;
              scan->image_length = img->src.size;
              /* The whole "![…](src)", for the editor to select, when it is on one line. */
              for (back = src_offset; back > 0 && scan->body[back - 1] != '\n'; back--)
                if (back >= 2 && scan->body[back - 2] == '!' && scan->body[back - 1] == '[')
                  {
                    gsize end = src_offset + img->src.size;

                    end += strcspn (scan->body + end, ")\n");
                    scan->image_offset = back - 2;
                    scan->image_length = (end < scan->length && scan->body[end] == ')' ? end + 1
                                          : end) - scan->image_offset;
                    break;
                  }
            }
          scan_add_link (scan, scan->image_src, src_offset, img->src.size);
        }
      break;
    case MD_SPAN_EM:
    case MD_SPAN_STRONG:
    case MD_SPAN_CODE:
    case MD_SPAN_DEL:
    case MD_SPAN_LATEXMATH:
    case MD_SPAN_LATEXMATH_DISPLAY:
    case MD_SPAN_WIKILINK:
    case MD_SPAN_U:
    default:
      break;
    }
  return 0;
}

static int
leave_span_cb (MD_SPANTYPE  type,
               void        *detail,
               void        *user_data)
{
  Scan *scan = user_data;

  if (type == MD_SPAN_IMG && scan->image_depth > 0 && --scan->image_depth == 0
      && !scan->image_has_alt)
    scan_add (scan, BYLINE_CHECK_MISSING_ALT, scan->image_offset, scan->image_length,
              scan->image_src,
              g_strdup_printf (_("The image “%s” has no alt text: describe it for readers who "
                                 "cannot see it."), scan->image_src));
  return 0;
}

static int
text_cb (MD_TEXTTYPE     type,
         const MD_CHAR  *text,
         MD_SIZE         size,
         void           *user_data)
{
  Scan *scan = user_data;
  gboolean in_body = text >= scan->body && text + size <= scan->body + scan->length;
  gsize offset = in_body ? (gsize) (text - scan->body) : scan->last;

  if (in_body)
    scan->last = offset;
  if (scan->image_depth > 0 && type != MD_TEXT_SOFTBR && type != MD_TEXT_BR
      && !is_blank (text, size))
    scan->image_has_alt = TRUE;
  if (scan->heading_level > 0 && !scan->heading_placed && in_body)
    {
      scan->heading_placed = TRUE;
      scan->heading_offset = offset;
    }
  if (type == MD_TEXT_HTML && in_body)
    {
      if (scan->in_html_block)
        {
          scan->html_start = MIN (scan->html_start, offset);
          scan->html_end = scan->html_end == G_MAXSIZE ? offset + size
                           : MAX (scan->html_end, offset + size);
        }
      else
        scan_html (scan, offset, size);
    }
  return 0;
}

static void
scan_markdown (Scan *scan)
{
  MD_PARSER parser = {
    .abi_version = 0,
    /* The publisher's: byline_markdown_render_html () parses with GitHub's dialect. */
    .flags = MD_DIALECT_GITHUB,
    .enter_block = enter_block_cb,
    .leave_block = leave_block_cb,
    .enter_span = enter_span_cb,
    .leave_span = leave_span_cb,
    .text = text_cb,
  };
  gsize bom = g_str_has_prefix (scan->body, "\xef\xbb\xbf") ? 3 : 0;

  scan->last = bom;
  md_parse (scan->body + bom, (MD_SIZE) (scan->length - bom), &parser, scan);
  g_clear_pointer (&scan->image_src, g_free);
}

/* ---- Spelling, as the editor underlines ---- */

typedef struct {
  gboolean markdown;
  gboolean in_fence;       /* a ``` block */
  gboolean in_tag;         /* a tag that goes on from an earlier line, up to its ">" */
  const char *raw_end;     /* "</script" or "</style": their content is code */
  gboolean indented_code;  /* the previous line was in a code block made by indenting */
  gboolean previous_blank;
} SpellLines;

static gboolean
line_is_blank (const char *line,
               gsize       length)
{
  return is_blank (line, length);
}

/* Four spaces or a tab, as the editor's in_indented_code () reads it. */
static gboolean
line_is_indented (const char *line,
                  gsize       length)
{
  return (length >= 4 && strncmp (line, "    ", 4) == 0) || (length > 0 && line[0] == '\t');
}

static const char *
find_ascii_case (const char *text,
                 gsize       length,
                 const char *needle)
{
  gsize n = strlen (needle);

  for (gsize i = 0; i + n <= length; i++)
    if (g_ascii_strncasecmp (text + i, needle, n) == 0)
      return text + i;
  return NULL;
}

/* Where spelling starts on @line, after what goes on from the lines before; NULL when the whole
 * line is left out. */
static const char *
spell_lines_start (SpellLines *state,
                   const char *line,
                   gsize       length)
{
  const char *end;

  if (state->in_tag)
    {
      if (!(end = memchr (line, '>', length)))
        return NULL;
      state->in_tag = FALSE;
      return end + 1;
    }
  if (state->raw_end != NULL)
    {
      if (!(end = find_ascii_case (line, length, state->raw_end)))
        return NULL;
      state->raw_end = NULL;
      return end;
    }
  return line;
}

/* What of @text (the end of a line) goes on to the next line: a tag, a script or a style. Not a
 * comment: the editor underlines the lines of a comment after its first (GtkSourceView's HTML
 * does not mark comments "no-spell-check"), and the findings are what it underlines. */
static void
spell_lines_follow (SpellLines *state,
                    const char *text,
                    gsize       length)
{
  const char *end = text + length;
  const char *p = text;

  while (p < end)
    {
      const char *close;

      if (*p != '<' || p + 1 >= end)
        {
          p++;
          continue;
        }
      if (end - p >= 4 && strncmp (p, "<!--", 4) == 0)
        {
          if (!(close = find_ascii_case (p + 4, (gsize) (end - p - 4), "-->")))
            return;
          p = close + 3;
          continue;
        }
      if (!g_ascii_isalpha (p[1]) && p[1] != '/' && p[1] != '!')
        {
          p++;
          continue;
        }
      if (!(close = memchr (p, '>', (gsize) (end - p))))
        {
          state->in_tag = TRUE;
          return;
        }
      if (g_ascii_strncasecmp (p, "<script", 7) == 0 || g_ascii_strncasecmp (p, "<style", 6) == 0)
        {
          const char *raw_end = g_ascii_strncasecmp (p, "<script", 7) == 0 ? "</script"
                                : "</style";

          if (!find_ascii_case (close, (gsize) (end - close), raw_end))
            {
              state->raw_end = raw_end;
              return;
            }
        }
      p = close + 1;
    }
}

static void
spell_words (BylineSpellChecker *spelling,
             const char         *text,
             gsize               base,
             gsize               length,
             BylineCheckField    field,
             const char         *language_name,
             GArray             *words,
             GPtrArray          *findings)
{
  g_array_set_size (words, 0);
  byline_spell_words_scan (text + base, length, words);
  for (guint i = 0; i < words->len; i++)
    {
      BylineSpellWord *word = &g_array_index (words, BylineSpellWord, i);
      BylineFinding *finding;

      if (byline_spell_checker_check_word (spelling, text + base + word->start,
                                           (gssize) (word->end - word->start)))
        continue;
      finding = byline_finding_new (BYLINE_CHECK_MISSPELLING, field);
      finding->offset = base + word->start;
      finding->length = word->end - word->start;
      finding->subject = g_strndup (text + finding->offset, finding->length);
      finding->message = g_strdup_printf (_("“%s” is not in the %s dictionary."),
                                          finding->subject, language_name);
      g_ptr_array_add (findings, finding);
    }
}

static void
spell_body (BylineSpellChecker *spelling,
            const char         *body,
            gsize               length,
            gboolean            markdown,
            const char         *language_name,
            GArray             *words,
            GPtrArray          *findings)
{
  SpellLines state = { .markdown = markdown, .previous_blank = TRUE };
  gsize line_start = 0;

  while (line_start < length)
    {
      const char *line = body + line_start;
      const char *newline = memchr (line, '\n', length - line_start);
      gsize line_length = newline ? (gsize) (newline - line) : length - line_start;
      gsize content_length = line_length;
      const char *start;
      gboolean blank;

      if (content_length > 0 && line[content_length - 1] == '\r')
        content_length--;
      blank = line_is_blank (line, content_length);

      if (markdown)
        {
          gboolean code = FALSE;

          /* GtkSourceView's Markdown: a block from a line starting "```" to one that is "```". */
          if (state.in_fence)
            {
              if (content_length == 3 && strncmp (line, "```", 3) == 0)
                state.in_fence = FALSE;
              code = TRUE;
            }
          else if (content_length >= 3 && strncmp (line, "```", 3) == 0)
            state.in_fence = code = TRUE;
          else if ((content_length >= 8 && strncmp (line, "        ", 8) == 0)
                   || (content_length >= 2 && strncmp (line, "\t\t", 2) == 0))
            /* GtkSourceView's own code block. */
            code = TRUE;
          else if (line_is_indented (line, content_length))
            /* Indented code: after a blank line, or going on from indented code. */
            code = state.previous_blank || state.indented_code;
          state.indented_code = code && !state.in_fence && line_is_indented (line, content_length);
          state.previous_blank = blank;
          if (code)
            {
              line_start += line_length + 1;
              continue;
            }
        }

      start = spell_lines_start (&state, line, content_length);
      if (start != NULL)
        {
          gsize from = (gsize) (start - body);
          gsize rest = line_start + content_length - from;

          spell_words (spelling, body, from, rest, BYLINE_CHECK_FIELD_BODY, language_name, words,
                       findings);
          spell_lines_follow (&state, start, rest);
        }
      line_start += line_length + 1;
    }
}

void
_byline_prepublish_check_scan (BylineDraft        *draft,
                               BylineSpellChecker *spelling,
                               const char         *site_url,
                               GPtrArray          *findings,
                               GPtrArray          *links)
{
  const char *body = byline_draft_get_body (draft);
  gboolean markdown = byline_draft_get_format (draft) == BYLINE_DRAFT_FORMAT_MARKDOWN;
  Scan scan = {
    .body = body,
    .length = strlen (body),
    .site_url = site_url,
    .findings = findings,
    .links = links,
    .previous_level = TITLE_LEVEL,
  };

  if (is_blank (body, scan.length))
    {
      BylineFinding *finding = byline_finding_new (BYLINE_CHECK_EMPTY_BODY,
                                                   BYLINE_CHECK_FIELD_BODY);

      finding->message = g_strdup (_("The post has no text."));
      g_ptr_array_add (findings, finding);
    }
  else if (markdown)
    scan_markdown (&scan);
  else
    scan_html (&scan, 0, scan.length);

  if (spelling != NULL)
    {
      g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (BylineSpellWord));
      g_autofree char *language_name = byline_language_dup_display_name (
        byline_spell_checker_get_language (spelling));
      const char *title = byline_draft_get_title (draft);
      const char *excerpt = byline_draft_get_excerpt (draft);

      spell_words (spelling, title, 0, strlen (title), BYLINE_CHECK_FIELD_TITLE, language_name,
                   words, findings);
      spell_words (spelling, excerpt, 0, strlen (excerpt), BYLINE_CHECK_FIELD_EXCERPT,
                   language_name, words, findings);
      spell_body (spelling, body, scan.length, markdown, language_name, words, findings);
    }
}

/* ---- Lines and columns ---- */

static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const BylineFinding *x = *(BylineFinding * const *) a;
  const BylineFinding *y = *(BylineFinding * const *) b;

  if (x->field != y->field)
    return x->field < y->field ? -1 : 1;
  if (x->offset != y->offset)
    return x->offset < y->offset ? -1 : 1;
  return 0;
}

static void
locate_in (const char *text,
           GPtrArray  *findings,
           guint       first,
           guint       last)
{
  gsize at = 0;
  guint line = 1;
  guint column = 1;

  for (guint i = first; i < last; i++)
    {
      BylineFinding *finding = g_ptr_array_index (findings, i);

      /* The body as a whole has no place in it. */
      if (finding->kind == BYLINE_CHECK_EMPTY_BODY
          || finding->kind == BYLINE_CHECK_LINKS_NOT_CHECKED)
        continue;
      if (finding->field != BYLINE_CHECK_FIELD_BODY && finding->kind != BYLINE_CHECK_MISSPELLING)
        continue;
      while (at < finding->offset && text[at] != '\0')
        {
          if (text[at] == '\n')
            {
              line++;
              column = 1;
            }
          else if ((text[at] & 0xc0) != 0x80)
            column++;
          at++;
        }
      finding->line = line;
      finding->column = column;
    }
}

void
_byline_prepublish_check_locate (BylineDraft *draft,
                                 GPtrArray   *findings)
{
  guint first = 0;

  /* g_ptr_array_sort is a stable merge sort: findings at the same place keep their order. */
  g_ptr_array_sort (findings, compare_findings);
  while (first < findings->len)
    {
      BylineCheckField field = ((BylineFinding *) g_ptr_array_index (findings, first))->field;
      guint last = first;
      const char *text;

      while (last < findings->len
             && ((BylineFinding *) g_ptr_array_index (findings, last))->field == field)
        last++;
      switch (field)
        {
        case BYLINE_CHECK_FIELD_BODY:
          text = byline_draft_get_body (draft);
          break;
        case BYLINE_CHECK_FIELD_TITLE:
          text = byline_draft_get_title (draft);
          break;
        case BYLINE_CHECK_FIELD_EXCERPT:
          text = byline_draft_get_excerpt (draft);
          break;
        case BYLINE_CHECK_FIELD_SLUG:
        case BYLINE_CHECK_FIELD_CATEGORIES:
        case BYLINE_CHECK_FIELD_TAGS:
        case BYLINE_CHECK_FIELD_FEATURED_IMAGE:
        case BYLINE_CHECK_FIELD_PUBLISH_DATE:
        default:
          text = NULL;
          break;
        }
      if (text != NULL)
        locate_in (text, findings, first, last);
      first = last;
    }
}
