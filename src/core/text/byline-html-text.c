/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-html-text.c: HTML from elsewhere read with libxml2's parser, within bounds, and its text.
 *
 * WordPress's messages, a site's name and a post's title are HTML ("you&#8217;ve",
 * "<h1>Error establishing…</h1>"), and so are readers' comments: all of it comes from a site,
 * none of it is trusted. libxml2's HTML parser reads it into a tree (it never loads anything it
 * names); the input is bounded first, because libxml2 gives up at 256 open elements and spends
 * quadratic time on a tag with thousands of attributes or on thousands of stray end tags. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "byline-html-text.h"

/* libxml2 (2.9) stops parsing, dropping the rest, at 256 open elements, and spends quadratic
 * time on a tag with thousands of attributes. Before parsing, start tags past this many open
 * elements are left out (their text stays) and so are attributes past this many in a tag. */
#define MAX_OPEN_ELEMENTS 200
#define MAX_ATTRIBUTES    32

/* Valid UTF-8 without NULs: an invalid byte or a NUL becomes U+FFFD. */
static GString *
make_valid_utf8 (const char *html,
                 gsize       length)
{
  GString *out = g_string_sized_new (length + 1);
  const char *p = html;
  const char *end = html + length;

  while (p < end)
    {
      const char *bad = NULL;

      if (g_utf8_validate_len (p, end - p, &bad))
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, bad - p);
      g_string_append (out, "\xEF\xBF\xBD");
      p = bad;
      /* One byte is replaced at a time: the other bytes of a cut sequence are seen again,
       * and each replaced in turn. */
      p++;
    }

  return out;
}

typedef struct
{
  const char *name;
  gsize       length;
} OpenElement;

static gboolean
name_is (const char *name,
         gsize       length,
         const char *literal)
{
  return strlen (literal) == length && g_ascii_strncasecmp (name, literal, length) == 0;
}

static gboolean
name_in (const char         *name,
         gsize               length,
         const char * const *set)
{
  for (guint i = 0; set[i]; i++)
    if (name_is (name, length, set[i]))
      return TRUE;
  return FALSE;
}

/* Elements that libxml2 (2.9) never opens: <embed>, <keygen>, <source>, <track> and <wbr> are
 * not among them, it takes what follows them as their content. */
static const char * const void_elements[] = {
  "area", "base", "basefont", "br", "col", "frame", "hr", "img", "input", "isindex", "link",
  "meta", "param", NULL
};
/* Elements whose end tag may be left out: a new one closes the open one. */
static const char * const optional_end_elements[] = {
  "p", "li", "dt", "dd", "option", "optgroup", "tr", "td", "th", "tbody", "thead", "tfoot",
  "rb", "rt", "rp", "colgroup", "caption", NULL
};

static gboolean
is_html_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static gboolean
is_name_end (char c)
{
  return is_html_space (c) || c == '/' || c == '>';
}

static const char *
find_bytes (const char *p,
            const char *end,
            const char *needle)
{
  gsize n = strlen (needle);

  while (p + n <= end)
    {
      const char *hit = memchr (p, needle[0], end - p);

      if (hit == NULL || hit + n > end)
        return NULL;
      if (memcmp (hit, needle, n) == 0)
        return hit;
      p = hit + 1;
    }
  return NULL;
}

/* The content of <script> and <style> is raw text up to "</script" or "</style", whatever
 * the case: returns where that end tag starts, or @end. */
static const char *
find_raw_text_end (const char *p,
                   const char *end,
                   const char *name,
                   gsize       length)
{
  while ((p = find_bytes (p, end, "</")) != NULL)
    {
      if ((gsize) (end - p - 2) >= length && g_ascii_strncasecmp (p + 2, name, length) == 0)
        return p;
      p += 2;
    }
  return end;
}

/* A start tag's attributes, from just after its name: returns where the tag ends (after its
 * '>', or @end), and in @kept_end where the kept attributes end. */
static const char *
scan_attributes (const char  *p,
                 const char  *end,
                 const char **kept_end,
                 gboolean    *self_closing)
{
  guint count = 0;

  *kept_end = p;
  *self_closing = FALSE;
  while (p < end)
    {
      while (p < end && (is_html_space (*p) || *p == '/'))
        {
          *self_closing = (*p == '/');
          p++;
        }
      if (p >= end)
        break;
      if (*p == '>')
        return p + 1;

      *self_closing = FALSE;
      /* The name: at least one character (an '=' first is part of it, as in browsers). */
      p++;
      while (p < end && !is_name_end (*p) && *p != '=')
        p++;
      while (p < end && is_html_space (*p))
        p++;
      if (p < end && *p == '=')
        {
          p++;
          while (p < end && is_html_space (*p))
            p++;
          if (p < end && (*p == '"' || *p == '\''))
            {
              const char *close = memchr (p + 1, *p, end - p - 1);

              p = close ? close + 1 : end;
            }
          else
            while (p < end && !is_html_space (*p) && *p != '>')
              p++;
        }
      if (++count <= MAX_ATTRIBUTES)
        *kept_end = p;
    }
  return end;
}

/* Copies @html, leaving out the start tags past MAX_OPEN_ELEMENTS open ones and the attributes
 * past MAX_ATTRIBUTES in a tag, so that libxml2 neither stops early nor takes quadratic time. It
 * follows the open elements the way the parser does, except that it closes elements only on a
 * matching end tag or a new element of an optional-end kind: so it counts more open elements
 * than the parser when tags are misnested, never fewer in ordinary markup. */
static GString *
bound_tags (const char *html,
            gsize       length)
{
  GString *out = g_string_sized_new (length + 1);
  OpenElement open[MAX_OPEN_ELEMENTS];
  guint n_open = 0;
  const char *p = html;
  const char *end = html + length;

  while (p < end)
    {
      const char *lt = memchr (p, '<', end - p);

      if (lt == NULL)
        {
          g_string_append_len (out, p, end - p);
          break;
        }
      g_string_append_len (out, p, lt - p);
      p = lt;

      if (end - p >= 4 && memcmp (p, "<!--", 4) == 0)
        {
          const char *close = find_bytes (p + 4, end, "-->");
          const char *next = close ? close + 3 : end;

          g_string_append_len (out, p, next - p);
          p = next;
        }
      else if (end - p >= 2 && g_ascii_isalpha (p[1]))
        {
          const char *name = p + 1;
          const char *name_end = name;
          const char *kept_end, *tag_end;
          gboolean self_closing;
          gsize name_length;

          while (name_end < end && !is_name_end (*name_end))
            name_end++;
          name_length = name_end - name;
          tag_end = scan_attributes (name_end, end, &kept_end, &self_closing);

          if (!name_in (name, name_length, void_elements) && !self_closing)
            {
              /* A new optional-end element closes an open one of its kind, if only
               * optional-end elements are open above that (<li><p>, not <li><ul>). */
              if (name_in (name, name_length, optional_end_elements))
                for (guint i = n_open; i > 0; i--)
                  {
                    if (open[i - 1].length == name_length &&
                        g_ascii_strncasecmp (open[i - 1].name, name, name_length) == 0)
                      {
                        n_open = i - 1;
                        break;
                      }
                    if (!name_in (open[i - 1].name, open[i - 1].length, optional_end_elements))
                      break;
                  }
              if (n_open == MAX_OPEN_ELEMENTS)
                {
                  /* A script or style left out goes with its content and end tag. */
                  p = tag_end;
                  if (name_is (name, name_length, "script") || name_is (name, name_length, "style"))
                    {
                      const char *gt;

                      p = find_raw_text_end (p, end, name, name_length);
                      gt = memchr (p, '>', end - p);
                      p = gt ? gt + 1 : end;
                    }
                  continue;
                }
              open[n_open++] = (OpenElement) { name, name_length };
            }

          g_string_append_len (out, p, kept_end - p);
          if (tag_end > kept_end && tag_end[-1] == '>')
            g_string_append (out, self_closing ? "/>" : ">");
          p = tag_end;

          if (name_is (name, name_length, "script") || name_is (name, name_length, "style"))
            {
              const char *raw_end = find_raw_text_end (p, end, name, name_length);

              g_string_append_len (out, p, raw_end - p);
              p = raw_end;
            }
        }
      else if (end - p >= 3 && p[1] == '/' && g_ascii_isalpha (p[2]))
        {
          const char *name = p + 2;
          const char *name_end = name;
          const char *gt;
          gboolean found;

          while (name_end < end && !is_name_end (*name_end))
            name_end++;
          gt = memchr (name_end, '>', end - name_end);

          /* An end tag that closes nothing open is left out: libxml2 would ignore it too, after
           * formatting an error message for it, which is most of its time on such input. */
          found = FALSE;
          for (guint i = n_open; i > 0 && !found; i--)
            found = open[i - 1].length == (gsize) (name_end - name) &&
                    g_ascii_strncasecmp (open[i - 1].name, name, name_end - name) == 0;
          if (found)
            {
              /* Closes it, if only optional-end elements are open above it. */
              for (guint i = n_open; i > 0; i--)
                {
                  if (open[i - 1].length == (gsize) (name_end - name) &&
                      g_ascii_strncasecmp (open[i - 1].name, name, name_end - name) == 0)
                    {
                      n_open = i - 1;
                      break;
                    }
                  if (!name_in (open[i - 1].name, open[i - 1].length, optional_end_elements))
                    break;
                }
              g_string_append_len (out, p, (gt ? gt + 1 : end) - p);
            }
          p = gt ? gt + 1 : end;
        }
      else
        {
          g_string_append_c (out, '<');
          p++;
        }
    }

  return out;
}


htmlDocPtr
byline_html_text_parse (const char *html,
                        gsize       length,
                        gsize       max_input,
                        gboolean   *cut)
{
  g_autoptr(GString) valid = NULL;
  g_autoptr(GString) bounded = NULL;
  htmlParserCtxtPtr context;
  htmlDocPtr doc;

  g_return_val_if_fail (html != NULL || length == 0, NULL);
  g_return_val_if_fail (cut != NULL, NULL);

  *cut = FALSE;
  if (length > max_input)
    {
      length = max_input;
      /* Cut at a character's start, so that the cut does not show as U+FFFD. */
      while (length > 0 && ((guchar) html[length] & 0xC0) == 0x80)
        length--;
      *cut = TRUE;
    }
  if (length == 0)
    return NULL;
  valid = make_valid_utf8 (html, length);
  bounded = bound_tags (valid->str, valid->len);

  context = htmlNewParserCtxt ();
  g_assert (context != NULL);
  /* NONET: no network even where libxml2 would look something up (a DTD, an entity). */
  doc = htmlCtxtReadMemory (context, bounded->str, bounded->len, NULL, "UTF-8",
                            HTML_PARSE_RECOVER | HTML_PARSE_NONET | HTML_PARSE_NOERROR |
                            HTML_PARSE_NOWARNING | HTML_PARSE_COMPACT);
  /* libxml2 stops at a fatal error (too deep, out of memory) and keeps what it had: say that
   * something may be missing. */
  if (context->lastError.level == XML_ERR_FATAL)
    *cut = TRUE;
  htmlFreeParserCtxt (context);
  return doc;
}

/* ---- The text ---------------------------------------------------------------------------- */

typedef enum
{
  KIND_INLINE,  /* its text is kept, in the line */
  KIND_DROP,    /* left out with everything inside: not text a reader sees */
  KIND_BLOCK,   /* a line of its own */
  KIND_PRE,     /* a block whose line breaks count */
  KIND_BREAK,
  KIND_CELL,    /* a table cell: a space on each side */
} ElementKind;

typedef struct
{
  const char  *name;
  ElementKind  kind;
} ElementRule;

/* Sorted by name, for bsearch; every other element is inline. */
static const ElementRule element_rules[] = {
  { "address", KIND_BLOCK },
  { "applet", KIND_DROP },
  { "article", KIND_BLOCK },
  { "aside", KIND_BLOCK },
  { "audio", KIND_DROP },
  { "blockquote", KIND_BLOCK },
  { "br", KIND_BREAK },
  { "canvas", KIND_DROP },
  { "caption", KIND_BLOCK },
  { "center", KIND_BLOCK },
  { "datalist", KIND_DROP },
  { "dd", KIND_BLOCK },
  { "details", KIND_BLOCK },
  { "div", KIND_BLOCK },
  { "dl", KIND_BLOCK },
  { "dt", KIND_BLOCK },
  { "fieldset", KIND_BLOCK },
  { "figcaption", KIND_BLOCK },
  { "figure", KIND_BLOCK },
  { "footer", KIND_BLOCK },
  { "form", KIND_BLOCK },
  { "frame", KIND_DROP },
  { "frameset", KIND_DROP },
  { "h1", KIND_BLOCK },
  { "h2", KIND_BLOCK },
  { "h3", KIND_BLOCK },
  { "h4", KIND_BLOCK },
  { "h5", KIND_BLOCK },
  { "h6", KIND_BLOCK },
  { "head", KIND_DROP },
  { "header", KIND_BLOCK },
  { "hr", KIND_BLOCK },
  { "iframe", KIND_DROP },
  { "li", KIND_BLOCK },
  { "listing", KIND_PRE },
  { "main", KIND_BLOCK },
  { "math", KIND_DROP },
  { "nav", KIND_BLOCK },
  { "noembed", KIND_DROP },
  { "noframes", KIND_DROP },
  { "noscript", KIND_DROP },
  { "object", KIND_DROP },
  { "ol", KIND_BLOCK },
  { "p", KIND_BLOCK },
  { "plaintext", KIND_PRE },
  { "pre", KIND_PRE },
  { "script", KIND_DROP },
  { "section", KIND_BLOCK },
  { "select", KIND_DROP },
  { "style", KIND_DROP },
  { "summary", KIND_BLOCK },
  { "svg", KIND_DROP },
  { "table", KIND_BLOCK },
  { "td", KIND_CELL },
  { "template", KIND_DROP },
  { "textarea", KIND_DROP },
  { "th", KIND_CELL },
  { "title", KIND_DROP },
  { "tr", KIND_BLOCK },
  { "ul", KIND_BLOCK },
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

  return rule ? rule->kind : KIND_INLINE;
}

typedef struct
{
  GString             *out;
  BylineHtmlTextFlags  flags;
  guint                max_chars;
  guint                n_chars;
  guint                pre_depth;
  gboolean             pending_space;
  gboolean             pending_break;
  gboolean             full;          /* max_chars reached with more to write */
} TextWriter;

/* Control characters, and bidi embeddings, overrides and isolates: an unclosed one would
 * reorder the text around it where it is shown. */
static gboolean
is_dropped_char (gunichar c)
{
  return c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E)
         || (c >= 0x2066 && c <= 0x2069);
}

static void
text_writer_append (TextWriter *w,
                    gunichar    c)
{
  if (w->max_chars > 0 && w->n_chars >= w->max_chars)
    {
      w->full = TRUE;
      return;
    }
  g_string_append_unichar (w->out, c);
  w->n_chars++;
}

static void
text_writer_write_char (TextWriter *w,
                        gunichar    c)
{
  if (w->out->len > 0 && w->pending_break)
    text_writer_append (w, (w->flags & BYLINE_HTML_TEXT_ONE_LINE) ? ' ' : '\n');
  else if (w->out->len > 0 && w->pending_space)
    text_writer_append (w, ' ');
  w->pending_break = FALSE;
  w->pending_space = FALSE;
  text_writer_append (w, c);
}

static void
text_writer_write (TextWriter *w,
                   const char *text)
{
  for (const char *p = text; *p != '\0' && !w->full; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '\n' && w->pre_depth > 0)
        w->pending_break = TRUE;
      else if (g_unichar_isspace (c))
        w->pending_space = TRUE;
      else if (!is_dropped_char (c))
        text_writer_write_char (w, c);
    }
}

/* Whether to go into @node's children. */
static gboolean
text_writer_enter (TextWriter    *w,
                   const xmlNode *node)
{
  switch (node->type)
    {
    case XML_ELEMENT_NODE:
      switch (element_kind (node))
        {
        case KIND_DROP:
          return FALSE;
        case KIND_PRE:
          w->pre_depth++;
          w->pending_break = TRUE;
          return TRUE;
        case KIND_BLOCK:
        case KIND_BREAK:
          w->pending_break = TRUE;
          return TRUE;
        case KIND_CELL:
          w->pending_space = TRUE;
          return TRUE;
        case KIND_INLINE:
        default:
          return TRUE;
        }
    case XML_TEXT_NODE:
      if (node->content != NULL)
        text_writer_write (w, (const char *) node->content);
      return FALSE;
    case XML_DOCUMENT_NODE:
    case XML_HTML_DOCUMENT_NODE:
      return TRUE;
    /* Comments, CDATA, processing instructions, doctypes and the rest are no text. */
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

static void
text_writer_leave (TextWriter    *w,
                   const xmlNode *node)
{
  switch (element_kind (node))
    {
    case KIND_PRE:
      w->pre_depth--;
      w->pending_break = TRUE;
      break;
    case KIND_BLOCK:
      w->pending_break = TRUE;
      break;
    case KIND_CELL:
      w->pending_space = TRUE;
      break;
    case KIND_BREAK:
    case KIND_DROP:
    case KIND_INLINE:
    default:
      break;
    }
}

char *
byline_html_text_extract (const char          *html,
                          gssize               length,
                          BylineHtmlTextFlags  flags,
                          guint                max_chars)
{
  TextWriter w = { 0, };
  gboolean cut = FALSE;
  htmlDocPtr doc;
  xmlNode *root;
  xmlNode *node;

  if (html == NULL)
    return g_strdup ("");
  if (length < 0)
    length = strlen (html);

  doc = byline_html_text_parse (html, length, BYLINE_HTML_TEXT_MAX_INPUT, &cut);
  w.out = g_string_new (NULL);
  w.flags = flags;
  w.max_chars = max_chars;

  /* Without recursion: the HTML may nest as deep as the parser lets it. */
  root = (xmlNode *) doc;
  node = root;
  while (node != NULL && !w.full)
    {
      if (text_writer_enter (&w, node))
        {
          if (node->children != NULL)
            {
              node = node->children;
              continue;
            }
          if (node->type == XML_ELEMENT_NODE)
            text_writer_leave (&w, node);
        }
      while (node != root && node->next == NULL)
        {
          node = node->parent;
          if (node->type == XML_ELEMENT_NODE)
            text_writer_leave (&w, node);
        }
      node = (node == root) ? NULL : node->next;
    }
  if (doc != NULL)
    xmlFreeDoc (doc);

  if (w.full || cut)
    g_string_append (w.out, "…");
  return g_string_free (w.out, FALSE);
}
