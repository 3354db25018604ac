/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment-html.c: readers' comment HTML made safe to show, as Pango markup or plain text. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <libxml/HTMLparser.h>

#include "byline-comment-html.h"
#include "byline-html-text.h"

/* Room kept at the end of the output for closing tags, a link's destination and "…". */
#define CLOSING_RESERVE   (8 * 1024)
/* Quotes and lists nested deeper than this are indented no further. */
#define MAX_SHOWN_LEVELS  6
#define MAX_ALT_CHARS     200
#define MAX_SHOWN_LINK    120
#define MAX_LINK_TEXT     1024
/* Longer addresses stay plain text: no reader needs one, and each must fit in CLOSING_RESERVE. */
#define MAX_LINK_LENGTH   1024

/* ---- Links ------------------------------------------------------------------------------- */

static gboolean
is_dropped_in_link (gunichar c)
{
  /* What browsers remove from an address: ASCII tab and new lines anywhere. */
  return c == '\t' || c == '\n' || c == '\r';
}

/* GUri decodes a %-escaped host: one with escapes could show other than it reads, so it is
 * refused (no real address needs them). */
static gboolean
authority_has_escapes (const char *address)
{
  const char *start = strstr (address, "://");
  gsize length;

  if (start == NULL)
    return FALSE;
  start += 3;
  length = strcspn (start, "/?#");
  return memchr (start, '%', length) != NULL;
}

/* One part of a numeric host as the WHATWG URL standard reads it (decimal, 0x hexadecimal, or
 * octal with a leading 0); FALSE when it is not a number. */
static gboolean
parse_ipv4_number (const char *part,
                   gsize       length,
                   guint64    *value)
{
  guint base = 10;
  guint64 number = 0;

  if (length == 0)
    return FALSE;
  if (length >= 2 && part[0] == '0' && (part[1] == 'x' || part[1] == 'X'))
    {
      base = 16;
      part += 2;
      length -= 2;
    }
  else if (length >= 2 && part[0] == '0')
    {
      base = 8;
      part++;
      length--;
    }
  for (gsize i = 0; i < length; i++)
    {
      int digit = g_ascii_xdigit_value (part[i]);

      if (digit < 0 || (guint) digit >= base)
        return FALSE;
      number = number * base + (guint) digit;
      if (number > G_MAXUINT32)
        return FALSE;
    }
  *value = number;
  return TRUE;
}

/* A host that ends in a number is an IPv4 address to a browser, however it is written:
 * "1113982867", "0x42.0x66.0x07.0x93" and "66.102.1939" all open 66.102.7.147. Returns that
 * dotted address, NULL when the host does not end in a number, and sets @invalid when it does
 * but is no address (a browser refuses it). */
static char *
canonical_ipv4_host (const char *host,
                     gboolean   *invalid)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *trimmed = g_strdup (host);
  guint64 numbers[4];
  guint64 address;
  guint n_parts;
  const char *last;

  *invalid = FALSE;
  if (g_str_has_suffix (trimmed, ".") && strlen (trimmed) > 1)
    trimmed[strlen (trimmed) - 1] = '\0';
  last = strrchr (trimmed, '.');
  last = last ? last + 1 : trimmed;
  if (last[0] == '\0' || (strspn (last, "0123456789") != strlen (last)
                          && !((last[0] == '0' && (last[1] == 'x' || last[1] == 'X'))
                               && strspn (last + 2, "0123456789abcdefABCDEF") == strlen (last + 2))))
    return NULL;

  parts = g_strsplit (trimmed, ".", -1);
  n_parts = g_strv_length (parts);
  *invalid = TRUE;
  if (n_parts > 4)
    return NULL;
  for (guint i = 0; i < n_parts; i++)
    if (!parse_ipv4_number (parts[i], strlen (parts[i]), &numbers[i])
        || (i < n_parts - 1 && numbers[i] > 255))
      return NULL;
  if (numbers[n_parts - 1] >= ((guint64) 1 << (8 * (5 - n_parts))))
    return NULL;

  address = numbers[n_parts - 1];
  for (guint i = 0; i < n_parts - 1; i++)
    address += numbers[i] << (8 * (3 - i));
  *invalid = FALSE;
  return g_strdup_printf ("%u.%u.%u.%u", (guint) (address >> 24) & 0xff,
                          (guint) (address >> 16) & 0xff, (guint) (address >> 8) & 0xff,
                          (guint) address & 0xff);
}

char *
byline_comment_html_safe_link (const char  *href,
                               char       **shown)
{
  g_autoptr(GString) clean = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *start, *end;

  if (shown)
    *shown = NULL;
  g_return_val_if_fail (href != NULL, NULL);

  if (strlen (href) > MAX_LINK_LENGTH || !g_utf8_validate (href, -1, NULL))
    return NULL;

  /* Browsers ignore C0 controls and spaces around an address. */
  start = href;
  end = href + strlen (href);
  while (start < end && (guchar) *start <= 0x20)
    start++;
  while (end > start && (guchar) end[-1] <= 0x20)
    end--;

  clean = g_string_new (NULL);
  for (const char *p = start; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (is_dropped_in_link (c))
        continue;
      /* Anything invisible, a space, or a bidi control could hide where the link goes. */
      if (!g_unichar_isgraph (c))
        return NULL;
      g_string_append_unichar (clean, c);
    }

  /* In lower case, whatever the case of the address. */
  scheme = g_uri_peek_scheme (clean->str);
  if (scheme == NULL)
    return NULL;

  if (g_str_equal (scheme, "mailto"))
    {
      const char *address = clean->str + strlen ("mailto:");
      gsize address_length = strcspn (address, "?");

      if (address_length == 0 || memchr (address, '@', address_length) == NULL)
        return NULL;
      if (shown)
        *shown = g_strndup (address, address_length);
      return g_string_free (g_steal_pointer (&clean), FALSE);
    }

  if (g_str_equal (scheme, "http") || g_str_equal (scheme, "https"))
    {
      g_autofree char *ipv4 = NULL;
      gboolean invalid_ipv4;
      const char *host;
      GString *display;

      /* GUri gives an internationalised host in its ASCII (xn--) form, so that look-alike
       * letters show for what they are. */
      uri = g_uri_parse (clean->str, G_URI_FLAGS_ENCODED, NULL);
      if (uri == NULL)
        return NULL;
      host = g_uri_get_host (uri);
      if (host == NULL || host[0] == '\0' || authority_has_escapes (clean->str))
        return NULL;
      ipv4 = canonical_ipv4_host (host, &invalid_ipv4);
      if (invalid_ipv4)
        return NULL;
      if (shown)
        {
          display = g_string_new (NULL);
          for (const char *h = ipv4 ? ipv4 : host; *h; h++)
            g_string_append_c (display, g_ascii_tolower (*h));
          if (g_uri_get_port (uri) != -1)
            g_string_append_printf (display, ":%d", g_uri_get_port (uri));
          g_string_append (display, g_uri_get_path (uri));
          if (g_uri_get_query (uri))
            g_string_append_printf (display, "?%s", g_uri_get_query (uri));
          if (g_uri_get_fragment (uri))
            g_string_append_printf (display, "#%s", g_uri_get_fragment (uri));
          if (g_utf8_strlen (display->str, -1) > MAX_SHOWN_LINK)
            {
              g_string_truncate (display,
                                 g_utf8_offset_to_pointer (display->str, MAX_SHOWN_LINK - 1)
                                 - display->str);
              g_string_append (display, "…");
            }
          *shown = g_string_free (display, FALSE);
        }
      return g_string_free (g_steal_pointer (&clean), FALSE);
    }

  return NULL;
}

/* ---- Elements ---------------------------------------------------------------------------- */

typedef enum
{
  KIND_UNWRAP,      /* unknown or harmless: its text is kept (for empty elements that libxml2
                     * does not close, such as <embed>, that is the text after them) */
  KIND_DROP,        /* dropped with everything inside */
  KIND_PARAGRAPH,   /* a blank line before and after */
  KIND_LINE,        /* a new line before and after */
  KIND_HEADING,
  KIND_QUOTE,
  KIND_PRE,
  KIND_UNORDERED,
  KIND_ORDERED,
  KIND_ITEM,
  KIND_CELL,
  KIND_BREAK,
  KIND_RULE,
  KIND_BOLD,
  KIND_ITALIC,
  KIND_STRIKE,
  KIND_MONO,
  KIND_LINK,
  KIND_IMAGE,
} ElementKind;

typedef struct
{
  const char  *name;
  ElementKind  kind;
} ElementRule;

/* Sorted by name, for bsearch. */
static const ElementRule element_rules[] = {
  { "a", KIND_LINK },
  { "address", KIND_PARAGRAPH },
  { "applet", KIND_DROP },
  { "area", KIND_DROP },
  { "article", KIND_LINE },
  { "aside", KIND_LINE },
  { "audio", KIND_DROP },
  { "b", KIND_BOLD },
  { "base", KIND_DROP },
  { "basefont", KIND_DROP },
  { "bgsound", KIND_UNWRAP },
  { "blockquote", KIND_QUOTE },
  { "br", KIND_BREAK },
  { "canvas", KIND_DROP },
  { "caption", KIND_LINE },
  { "center", KIND_LINE },
  { "cite", KIND_ITALIC },
  { "code", KIND_MONO },
  { "datalist", KIND_DROP },
  { "dd", KIND_LINE },
  { "del", KIND_STRIKE },
  { "details", KIND_LINE },
  { "dfn", KIND_ITALIC },
  { "dialog", KIND_DROP },
  { "div", KIND_LINE },
  { "dl", KIND_PARAGRAPH },
  { "dt", KIND_LINE },
  { "em", KIND_ITALIC },
  { "embed", KIND_UNWRAP },
  { "fencedframe", KIND_DROP },
  { "fieldset", KIND_PARAGRAPH },
  { "figcaption", KIND_LINE },
  { "figure", KIND_PARAGRAPH },
  { "footer", KIND_LINE },
  { "form", KIND_DROP },
  { "frame", KIND_DROP },
  { "frameset", KIND_DROP },
  { "h1", KIND_HEADING },
  { "h2", KIND_HEADING },
  { "h3", KIND_HEADING },
  { "h4", KIND_HEADING },
  { "h5", KIND_HEADING },
  { "h6", KIND_HEADING },
  { "head", KIND_DROP },
  { "header", KIND_LINE },
  { "hr", KIND_RULE },
  { "i", KIND_ITALIC },
  { "iframe", KIND_DROP },
  { "img", KIND_IMAGE },
  { "input", KIND_DROP },
  { "kbd", KIND_MONO },
  { "keygen", KIND_UNWRAP },
  { "li", KIND_ITEM },
  { "link", KIND_DROP },
  { "listing", KIND_PRE },
  { "main", KIND_LINE },
  { "math", KIND_DROP },
  { "meta", KIND_DROP },
  { "nav", KIND_LINE },
  { "noembed", KIND_DROP },
  { "noframes", KIND_DROP },
  { "noscript", KIND_DROP },
  { "object", KIND_DROP },
  { "ol", KIND_ORDERED },
  { "option", KIND_DROP },
  { "p", KIND_PARAGRAPH },
  { "param", KIND_DROP },
  { "plaintext", KIND_DROP },
  { "portal", KIND_DROP },
  { "pre", KIND_PRE },
  { "s", KIND_STRIKE },
  { "samp", KIND_MONO },
  { "script", KIND_DROP },
  { "section", KIND_LINE },
  { "select", KIND_DROP },
  { "source", KIND_UNWRAP },
  { "strike", KIND_STRIKE },
  { "strong", KIND_BOLD },
  { "style", KIND_DROP },
  { "summary", KIND_LINE },
  { "svg", KIND_DROP },
  { "table", KIND_LINE },
  { "td", KIND_CELL },
  { "template", KIND_DROP },
  { "textarea", KIND_DROP },
  { "th", KIND_CELL },
  { "title", KIND_DROP },
  { "tr", KIND_LINE },
  { "track", KIND_UNWRAP },
  { "tt", KIND_MONO },
  { "ul", KIND_UNORDERED },
  { "var", KIND_ITALIC },
  { "video", KIND_DROP },
  { "xmp", KIND_PRE },
};

static int
compare_rule (const void *key,
              const void *rule)
{
  return g_ascii_strcasecmp (key, ((const ElementRule *) rule)->name);
}

static ElementKind
element_kind (const xmlNode *node)
{
  const ElementRule *rule = bsearch (node->name, element_rules, G_N_ELEMENTS (element_rules),
                                     sizeof element_rules[0], compare_rule);

  return rule ? rule->kind : KIND_UNWRAP;
}

/* ---- Output ------------------------------------------------------------------------------ */

typedef enum
{
  STYLE_BOLD,
  STYLE_ITALIC,
  STYLE_STRIKE,
  STYLE_MONO,
  STYLE_LINK,
  N_STYLES
} Style;

static const char * const style_tags[N_STYLES] = { "b", "i", "s", "tt", "a" };

typedef struct
{
  gboolean ordered;
  guint    next_number;
} OpenList;

typedef struct
{
  gboolean  markup;
  GString  *out;
  gboolean  stopped;              /* the output is full */

  /* Text written so far, and what waits for the next visible character. */
  gboolean  has_text;
  gboolean  at_line_start;
  gboolean  pending_space;
  guint     pending_newlines;
  char      pending_marker[16];

  guint     quote_depth;
  guint     pre_depth;
  GArray   *lists;                  /* OpenList */
  guint     style_depth[N_STYLES];
  Style     open_tags[N_STYLES];     /* the tags written and not yet closed, in order */
  guint     n_open_tags;
  Style     pending_tags[N_STYLES];  /* the tags opened and not yet written, in order */
  guint     n_pending_tags;

  /* The link being written: the <a> element, its address and shown destination, its text. */
  const xmlNode *link_node;
  char     *link_href;
  char     *link_shown;
  GString  *link_text;
} Writer;

static gboolean
has_room (Writer *w,
          gsize   bytes)
{
  if (w->stopped)
    return FALSE;
  if (w->out->len + bytes + CLOSING_RESERVE > BYLINE_COMMENT_HTML_MAX_OUTPUT)
    {
      w->stopped = TRUE;
      return FALSE;
    }
  return TRUE;
}

static void
append_escaped_char (GString  *out,
                     gunichar  c)
{
  switch (c)
    {
    case '&': g_string_append (out, "&amp;"); break;
    case '<': g_string_append (out, "&lt;"); break;
    case '>': g_string_append (out, "&gt;"); break;
    case '"': g_string_append (out, "&quot;"); break;
    case '\'': g_string_append (out, "&apos;"); break;
    default: g_string_append_unichar (out, c); break;
    }
}

static void
append_escaped (GString    *out,
                const char *text)
{
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    append_escaped_char (out, g_utf8_get_char (p));
}

/* Characters never written: controls, bidi embeddings, overrides and isolates (an unclosed one
 * would reorder the rest of the line, a link's destination included), and noncharacters. */
static gboolean
is_dropped_char (gunichar c)
{
  return (c < 0x20 && c != '\t' && c != '\n') || (c >= 0x7F && c <= 0x9F) ||
         (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ||
         (c >= 0xFDD0 && c <= 0xFDEF) || (c & 0xFFFE) == 0xFFFE;
}

/* Direction marks are kept in prose but not in a link's text, where they could make it look
 * like its destination. */
static gboolean
is_direction_mark (gunichar c)
{
  return c == 0x200E || c == 0x200F || c == 0x061C;
}

/* An opening tag waits for the first visible character inside it, so that new lines, a quote's
 * "> " and spaces go before it, and an element without text writes nothing. */
static void
open_style (Writer *w,
            Style   style)
{
  if (w->style_depth[style]++ > 0 || !w->markup)
    return;
  w->pending_tags[w->n_pending_tags++] = style;
}

static void
write_pending_tags (Writer *w)
{
  for (guint i = 0; i < w->n_pending_tags; i++)
    {
      Style style = w->pending_tags[i];

      if (style == STYLE_LINK)
        {
          g_string_append (w->out, "<a href=\"");
          append_escaped (w->out, w->link_href);
          g_string_append (w->out, "\">");
        }
      else
        g_string_append_printf (w->out, "<%s>", style_tags[style]);
      w->open_tags[w->n_open_tags++] = style;
    }
  w->n_pending_tags = 0;
}

/* Ends @style: forgets its tag if it is still waiting, or writes the closing tags down to and
 * including its own (none other is left open above it, since elements nest). */
static void
close_tag (Writer *w,
           Style   style)
{
  for (guint i = 0; i < w->n_pending_tags; i++)
    if (w->pending_tags[i] == style)
      {
        w->n_pending_tags = i;
        return;
      }
  for (guint i = 0; i < w->n_open_tags; i++)
    if (w->open_tags[i] == style)
      {
        while (w->n_open_tags > i)
          g_string_append_printf (w->out, "</%s>", style_tags[w->open_tags[--w->n_open_tags]]);
        return;
      }
}

static void
close_all_tags (Writer *w)
{
  w->n_pending_tags = 0;
  while (w->n_open_tags > 0)
    g_string_append_printf (w->out, "</%s>", style_tags[w->open_tags[--w->n_open_tags]]);
}

static void
close_style (Writer *w,
             Style   style)
{
  if (w->style_depth[style] == 0 || --w->style_depth[style] > 0)
    return;
  close_tag (w, style);
}

static void
request_newlines (Writer *w,
                  guint   count)
{
  w->pending_newlines = MAX (w->pending_newlines, count);
  w->pending_space = FALSE;
}

static void
request_space (Writer *w)
{
  if (!w->at_line_start || !w->markup)
    w->pending_space = TRUE;
}

static void
write_line_prefix (Writer *w)
{
  guint quotes = MIN (w->quote_depth, MAX_SHOWN_LEVELS);
  guint lists = MIN (w->lists->len, MAX_SHOWN_LEVELS);

  for (guint i = 0; i < quotes; i++)
    g_string_append (w->out, "&gt; ");
  for (guint i = 1; i < lists; i++)
    g_string_append (w->out, "   ");
  if (w->pending_marker[0])
    g_string_append (w->out, w->pending_marker);
  else if (lists > 0)
    g_string_append (w->out, "   ");
  w->pending_marker[0] = '\0';
}

/* What must come before a visible character: the new lines, a line's prefix or a space. */
static gboolean
flush_pending (Writer *w)
{
  if (!has_room (w, w->pending_newlines + 6 * MAX_SHOWN_LEVELS + 16))
    return FALSE;

  if (w->pending_newlines > 0 && w->has_text)
    {
      if (w->markup)
        {
          for (guint i = 0; i < w->pending_newlines; i++)
            g_string_append_c (w->out, '\n');
          w->at_line_start = TRUE;
        }
      else
        w->pending_space = TRUE;
    }
  w->pending_newlines = 0;

  if (w->at_line_start)
    {
      if (w->markup)
        write_line_prefix (w);
      w->at_line_start = FALSE;
    }
  else if (w->pending_space && w->has_text)
    {
      g_string_append_c (w->out, ' ');
      if (w->link_text && w->link_text->len < MAX_LINK_TEXT)
        g_string_append_c (w->link_text, ' ');
    }
  w->pending_space = FALSE;
  return TRUE;
}

static void
write_visible_char (Writer   *w,
                    gunichar  c)
{
  if (w->link_node != NULL && is_direction_mark (c))
    return;
  if (!flush_pending (w) || !has_room (w, 8))
    return;
  write_pending_tags (w);
  if (w->markup)
    append_escaped_char (w->out, c);
  else
    g_string_append_unichar (w->out, c);
  w->has_text = TRUE;
  if (w->link_text && w->link_text->len < MAX_LINK_TEXT)
    g_string_append_unichar (w->link_text, c);
}

static void
write_text (Writer     *w,
            const char *text,
            gssize      length)
{
  const char *p = text;
  const char *end = text + (length < 0 ? (gssize) strlen (text) : length);

  while (p < end && !w->stopped)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);

      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          p++;
          continue;
        }
      p = g_utf8_next_char (p);

      if (w->pre_depth > 0 && w->markup)
        {
          if (c == '\n')
            {
              /* Line breaks in <pre> add up, unlike those between blocks. */
              w->pending_newlines = MIN (w->pending_newlines + 1, 2);
              if (!w->has_text)
                w->pending_newlines = 0;
              continue;
            }
          if (c == '\r')
            continue;
          if (c == ' ' || c == '\t' || c == '\f')
            {
              /* Spaces in <pre> count, so they are written as they come. */
              if (flush_pending (w) && has_room (w, 1))
                {
                  write_pending_tags (w);
                  g_string_append_c (w->out, c == '\f' ? ' ' : (char) c);
                }
              continue;
            }
        }
      else if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
               (!w->markup && g_unichar_isspace (c)))
        {
          request_space (w);
          continue;
        }

      if (is_dropped_char (c))
        continue;
      write_visible_char (w, c);
    }
}

static void
open_link (Writer        *w,
           const xmlNode *node)
{
  g_autofree char *href = NULL;
  g_autofree char *shown = NULL;
  char *attribute;

  if (w->link_node != NULL)
    return;
  attribute = (char *) xmlGetProp (node, BAD_CAST "href");
  if (attribute == NULL)
    return;
  href = byline_comment_html_safe_link (attribute, &shown);
  xmlFree (attribute);
  if (href == NULL)
    return;

  /* The whole tag and the destination after the link must fit in what is left. */
  if (!has_room (w, strlen (href) * 6 + 16))
    return;
  if (w->markup)
    w->pending_tags[w->n_pending_tags++] = STYLE_LINK;
  w->link_node = node;
  w->link_href = g_steal_pointer (&href);
  w->link_shown = g_steal_pointer (&shown);
  w->link_text = g_string_new (NULL);
}

/* Whether a link's text already says where it goes: the same as its shown destination (with
 * the host in ASCII), leaving out white space, letter case, the scheme and a final '/'. */
static gboolean
link_text_tells_destination (const char *text,
                             const char *shown)
{
  static const char * const schemes[] = { "https://", "http://", "mailto:" };
  g_autofree char *folded_text = NULL;
  g_autofree char *folded_shown = g_utf8_casefold (shown, -1);
  GString *squeezed = g_string_new (NULL);
  const char *start;
  gsize length;

  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (!g_unichar_isspace (g_utf8_get_char (p)))
      g_string_append_unichar (squeezed, g_utf8_get_char (p));
  folded_text = g_utf8_casefold (squeezed->str, -1);
  g_string_free (squeezed, TRUE);

  start = folded_text;
  for (guint i = 0; i < G_N_ELEMENTS (schemes); i++)
    if (g_str_has_prefix (start, schemes[i]))
      {
        start += strlen (schemes[i]);
        break;
      }
  length = strlen (start);
  if (length > 0 && start[length - 1] == '/')
    length--;
  if (g_str_has_suffix (folded_shown, "/"))
    folded_shown[strlen (folded_shown) - 1] = '\0';

  return length == strlen (folded_shown) && strncmp (start, folded_shown, length) == 0;
}

/* Ends the link, and shows its destination after it unless its text already does. Always
 * written, even past the output's limit: CLOSING_RESERVE keeps room for it. */
static void
close_link (Writer *w)
{
  gboolean empty = (w->link_text->len == 0);
  gboolean tells = empty || link_text_tells_destination (w->link_text->str, w->link_shown);

  /* A link with no text shows its destination as its text. */
  if (empty)
    {
      flush_pending (w);
      write_pending_tags (w);
      if (w->markup)
        append_escaped (w->out, w->link_shown);
      else
        g_string_append (w->out, w->link_shown);
      w->has_text = TRUE;
      w->at_line_start = FALSE;
    }
  if (w->markup)
    close_tag (w, STYLE_LINK);
  if (!tells)
    {
      g_string_append (w->out, " (");
      if (w->markup)
        append_escaped (w->out, w->link_shown);
      else
        g_string_append (w->out, w->link_shown);
      g_string_append_c (w->out, ')');
    }

  w->link_node = NULL;
  g_clear_pointer (&w->link_href, g_free);
  g_clear_pointer (&w->link_shown, g_free);
  g_string_free (g_steal_pointer (&w->link_text), TRUE);
}

static void
write_image (Writer        *w,
             const xmlNode *node)
{
  char *alt = (char *) xmlGetProp (node, BAD_CAST "alt");
  g_autofree char *label = NULL;
  g_autofree char *cut = NULL;

  if (alt == NULL)
    return;
  cut = g_utf8_make_valid (alt, -1);
  xmlFree (alt);
  g_strstrip (cut);
  if (cut[0] == '\0')
    return;
  if (g_utf8_strlen (cut, -1) > MAX_ALT_CHARS)
    *g_utf8_offset_to_pointer (cut, MAX_ALT_CHARS) = '\0';

  /* Translators: the text shown for an image in a reader's comment; %s is its description. */
  label = g_strdup_printf (_("[image: %s]"), cut);
  write_text (w, label, -1);
}

static gboolean
enter_element (Writer        *w,
               const xmlNode *node)
{
  ElementKind kind = element_kind (node);

  switch (kind)
    {
    case KIND_DROP:
      return FALSE;
    case KIND_UNWRAP:
      return TRUE;
    case KIND_PARAGRAPH:
    case KIND_HEADING:
      request_newlines (w, 2);
      if (kind == KIND_HEADING)
        open_style (w, STYLE_BOLD);
      return TRUE;
    case KIND_LINE:
      request_newlines (w, 1);
      return TRUE;
    case KIND_QUOTE:
      request_newlines (w, 2);
      w->quote_depth++;
      open_style (w, STYLE_ITALIC);
      return TRUE;
    case KIND_PRE:
      request_newlines (w, 2);
      w->pre_depth++;
      open_style (w, STYLE_MONO);
      return TRUE;
    case KIND_UNORDERED:
    case KIND_ORDERED:
      request_newlines (w, w->lists->len == 0 ? 2 : 1);
      g_array_append_val (w->lists, ((OpenList) { kind == KIND_ORDERED, 1 }));
      return TRUE;
    case KIND_ITEM:
      {
        OpenList *list = w->lists->len ? &g_array_index (w->lists, OpenList, w->lists->len - 1)
                                       : NULL;

        request_newlines (w, 1);
        if (list && list->ordered)
          {
            g_snprintf (w->pending_marker, sizeof w->pending_marker, "%u. ", list->next_number);
            list->next_number = MIN (list->next_number + 1, 999999u);
          }
        else
          g_strlcpy (w->pending_marker, "• ", sizeof w->pending_marker);
        return TRUE;
      }
    case KIND_CELL:
      request_space (w);
      return TRUE;
    case KIND_BREAK:
      /* Line breaks add up, to one blank line at most. */
      if (w->has_text)
        {
          w->pending_newlines = MIN (w->pending_newlines + 1, 2);
          w->pending_space = FALSE;
        }
      return FALSE;
    case KIND_RULE:
      request_newlines (w, 2);
      return FALSE;
    case KIND_BOLD:
      open_style (w, STYLE_BOLD);
      return TRUE;
    case KIND_ITALIC:
      open_style (w, STYLE_ITALIC);
      return TRUE;
    case KIND_STRIKE:
      open_style (w, STYLE_STRIKE);
      return TRUE;
    case KIND_MONO:
      open_style (w, STYLE_MONO);
      return TRUE;
    case KIND_LINK:
      open_link (w, node);
      return TRUE;
    case KIND_IMAGE:
      write_image (w, node);
      return FALSE;
    default:
      g_assert_not_reached ();
    }
}

static void
leave_element (Writer        *w,
               const xmlNode *node)
{
  ElementKind kind = element_kind (node);

  switch (kind)
    {
    case KIND_PARAGRAPH:
    case KIND_HEADING:
      if (kind == KIND_HEADING)
        close_style (w, STYLE_BOLD);
      request_newlines (w, 2);
      break;
    case KIND_LINE:
    case KIND_ITEM:
      request_newlines (w, 1);
      break;
    case KIND_QUOTE:
      close_style (w, STYLE_ITALIC);
      w->quote_depth--;
      request_newlines (w, 2);
      break;
    case KIND_PRE:
      close_style (w, STYLE_MONO);
      w->pre_depth--;
      request_newlines (w, 2);
      break;
    case KIND_UNORDERED:
    case KIND_ORDERED:
      g_array_set_size (w->lists, w->lists->len - 1);
      request_newlines (w, w->lists->len == 0 ? 2 : 1);
      break;
    case KIND_CELL:
      request_space (w);
      break;
    case KIND_BOLD:
      close_style (w, STYLE_BOLD);
      break;
    case KIND_ITALIC:
      close_style (w, STYLE_ITALIC);
      break;
    case KIND_STRIKE:
      close_style (w, STYLE_STRIKE);
      break;
    case KIND_MONO:
      close_style (w, STYLE_MONO);
      break;
    case KIND_LINK:
      if (w->link_node == node)
        close_link (w);
      break;
    case KIND_UNWRAP:
    case KIND_DROP:
    case KIND_BREAK:
    case KIND_RULE:
    case KIND_IMAGE:
    default:
      break;
    }
}

/* Whether to go into @node's children. */
static gboolean
enter_node (Writer        *w,
            const xmlNode *node)
{
  switch (node->type)
    {
    case XML_ELEMENT_NODE:
      return enter_element (w, node);
    case XML_TEXT_NODE:
      if (node->content)
        write_text (w, (const char *) node->content, -1);
      return FALSE;
    case XML_DOCUMENT_NODE:
    case XML_HTML_DOCUMENT_NODE:
      return TRUE;
    /* Comments, CDATA, processing instructions, doctypes and the rest show nothing. */
    case XML_ATTRIBUTE_NODE:
    case XML_CDATA_SECTION_NODE:
    case XML_ENTITY_REF_NODE:
    case XML_ENTITY_NODE:
    case XML_PI_NODE:
    case XML_COMMENT_NODE:
    case XML_DOCUMENT_TYPE_NODE:
    case XML_DOCUMENT_FRAG_NODE:
    case XML_NOTATION_NODE:
    case XML_DTD_NODE:
    case XML_ELEMENT_DECL:
    case XML_ATTRIBUTE_DECL:
    case XML_ENTITY_DECL:
    case XML_NAMESPACE_DECL:
    case XML_XINCLUDE_START:
    case XML_XINCLUDE_END:
#ifdef LIBXML_DOCB_ENABLED
    case XML_DOCB_DOCUMENT_NODE:
#endif
    default:
      return FALSE;
    }
}

/* Visits the tree without recursion (a comment can nest elements as deep as it likes), through
 * the nodes' parent and sibling links. */
static void
walk (Writer  *w,
      xmlNode *root)
{
  xmlNode *node = root;

  while (node != NULL && !w->stopped)
    {
      if (enter_node (w, node))
        {
          if (node->children != NULL)
            {
              node = node->children;
              continue;
            }
          if (node->type == XML_ELEMENT_NODE)
            leave_element (w, node);
        }
      while (node != root && node->next == NULL)
        {
          node = node->parent;
          if (node->type == XML_ELEMENT_NODE)
            leave_element (w, node);
        }
      node = (node == root) ? NULL : node->next;
    }
}

static char *
sanitize (const char *html,
          gsize       length,
          gboolean    markup)
{
  htmlDocPtr doc;
  Writer w = { 0, };
  gboolean input_cut = FALSE;

  if (html == NULL || length == 0)
    return g_strdup ("");

  doc = byline_html_text_parse (html, length, BYLINE_COMMENT_HTML_MAX_INPUT, &input_cut);

  w.markup = markup;
  w.out = g_string_sized_new (MIN (length, BYLINE_COMMENT_HTML_MAX_OUTPUT) + 64);
  w.at_line_start = TRUE;
  w.lists = g_array_new (FALSE, FALSE, sizeof (OpenList));
  if (doc != NULL)
    walk (&w, (xmlNode *) doc);

  if (w.stopped)
    {
      /* Cut short: close what is open (a link shows its destination even so). */
      if (w.link_node != NULL)
        close_link (&w);
      close_all_tags (&w);
    }
  if (w.stopped || input_cut)
    g_string_append (w.out, w.has_text ? " …" : "…");

  g_array_unref (w.lists);
  if (doc != NULL)
    xmlFreeDoc (doc);

  return g_string_free (w.out, FALSE);
}

char *
byline_comment_html_to_markup (const char *html,
                               gsize       length)
{
  return sanitize (html, length, TRUE);
}

char *
byline_comment_html_to_text (const char *html,
                             gsize       length)
{
  return sanitize (html, length, FALSE);
}
