/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spec-normalize.c: the HTML normalisation the CommonMark spec's test runner compares after.
 *
 * The spec's runner (test/normalize.py) feeds the HTML to Python's html.parser.HTMLParser in
 * pieces and writes back what it reports, with white space and references normalised. This is
 * the same reading, written for these tests: the quirks of that parser that decide whether two
 * renderings compare equal are kept (which `<` are dropped, how an unfinished tag or reference
 * reads, the HTML 4 entity names it knows), so that an example passes here exactly when it
 * passes the spec's own runner. Checked against it on every example's expected HTML and on
 * md4c-html's output for every example. */

#include "config.h"

#include <string.h>

#include <libxml/HTMLparser.h>

#include "spec-normalize.h"

typedef enum {
  LAST_STARTTAG,
  LAST_ENDTAG,
  LAST_DATA,
  LAST_OTHER,
} Last;

typedef struct {
  GString    *out;
  Last        last;
  char       *last_tag;
  gboolean    in_pre;
  char       *cdata_elem;   /* script or style, whose text runs to its end tag */
  const char *s;
  gsize       n;
} Normalizer;

/* Python's str.isspace (), which its `\s` and strip () use. */
static gboolean
py_isspace (gunichar c)
{
  return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20) || c == 0x85 || c == 0xa0
         || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029
         || c == 0x202f || c == 0x205f || c == 0x3000;
}

/* The length in bytes of the white space character at @p (before @end), or 0. */
static gsize
space_length (const char *p,
              const char *end)
{
  gunichar c;
  const char *next;

  if (p >= end)
    return 0;
  if ((guchar) *p < 0x80)
    return py_isspace ((guchar) *p) ? 1 : 0;

  c = g_utf8_get_char_validated (p, end - p);
  if (c == (gunichar) -1 || c == (gunichar) -2)
    return 0;
  next = g_utf8_next_char (p);
  return py_isspace (c) ? (gsize) (next - p) : 0;
}

static gboolean
is_space_at (const Normalizer *z,
             gsize             i)
{
  return space_length (z->s + i, z->s + z->n) > 0;
}

static gsize
skip_spaces (const Normalizer *z,
             gsize             i)
{
  gsize len;

  while ((len = space_length (z->s + i, z->s + z->n)) > 0)
    i += len;
  return i;
}

static void
rstrip (GString *text)
{
  while (text->len > 0)
    {
      const char *end = text->str + text->len;
      const char *prev = g_utf8_find_prev_char (text->str, end);

      if (prev == NULL || space_length (prev, end) != (gsize) (end - prev))
        break;
      g_string_truncate (text, prev - text->str);
    }
}

static void
lstrip (GString *text)
{
  gsize i = 0, len;

  while ((len = space_length (text->str + i, text->str + text->len)) > 0)
    i += len;
  g_string_erase (text, 0, i);
}

static gboolean
is_block_tag (const char *tag)
{
  static const char *const block_tags[] = {
    "article", "header", "aside", "hgroup", "blockquote", "hr", "iframe", "body", "li", "map",
    "button", "object", "canvas", "ol", "caption", "output", "col", "p", "colgroup", "pre", "dd",
    "progress", "div", "section", "dl", "table", "td", "dt", "tbody", "embed", "textarea",
    "fieldset", "tfoot", "figcaption", "th", "figure", "thead", "footer", "tr", "form", "ul",
    "h1", "h2", "h3", "h4", "h5", "h6", "video", "script", "style",
  };

  for (guint i = 0; i < G_N_ELEMENTS (block_tags); i++)
    if (g_str_equal (tag, block_tags[i]))
      return TRUE;
  return FALSE;
}

/* Handlers: what the spec's normalizer writes for each thing the parser reports. */

static void
handle_data (Normalizer *z,
             const char *data,
             gsize       size)
{
  gboolean after_tag = z->last == LAST_STARTTAG || z->last == LAST_ENDTAG;
  gboolean after_block_tag = after_tag && is_block_tag (z->last_tag);
  g_autoptr(GString) text = g_string_new_len (data, size);

  if (after_tag && g_str_equal (z->last_tag, "br"))
    {
      gsize i = 0;

      while (i < text->len && text->str[i] == '\n')
        i++;
      g_string_erase (text, 0, i);
    }
  if (!z->in_pre)
    {
      g_autoptr(GString) collapsed = g_string_sized_new (text->len);
      const char *end = text->str + text->len;

      for (const char *p = text->str; p < end;)
        {
          gsize len = space_length (p, end);

          if (len == 0)
            {
              g_string_append_c (collapsed, *p++);
              continue;
            }
          g_string_append_c (collapsed, ' ');
          while ((len = space_length (p, end)) > 0)
            p += len;
        }
      g_string_assign (text, collapsed->str);
    }
  if (after_block_tag && !z->in_pre)
    {
      if (z->last == LAST_STARTTAG)
        {
          lstrip (text);
        }
      else
        {
          lstrip (text);
          rstrip (text);
        }
    }
  g_string_append_len (z->out, text->str, text->len);
  z->last = LAST_DATA;
}

typedef struct {
  char *name;
  char *value; /* NULL: no value */
} Attribute;

static void
attribute_clear (Attribute *attribute)
{
  g_free (attribute->name);
  g_free (attribute->value);
}

static int
compare_attributes (gconstpointer a,
                    gconstpointer b)
{
  const Attribute *x = a, *y = b;
  int by_name = strcmp (x->name, y->name);

  if (by_name != 0)
    return by_name;
  return g_strcmp0 (x->value, y->value);
}

static void
append_escaped_attribute (GString    *out,
                          const char *value)
{
  for (const char *p = value; *p; p++)
    {
      switch (*p)
        {
        case '&':
          g_string_append (out, "&amp;");
          break;
        case '<':
          g_string_append (out, "&lt;");
          break;
        case '>':
          g_string_append (out, "&gt;");
          break;
        case '"':
          g_string_append (out, "&quot;");
          break;
        case '\'':
          g_string_append (out, "&#x27;");
          break;
        default:
          g_string_append_c (out, *p);
        }
    }
}

static void
set_last_tag (Normalizer *z,
              const char *tag)
{
  g_free (z->last_tag);
  z->last_tag = g_strdup (tag);
}

static void
handle_starttag (Normalizer *z,
                 const char *tag,
                 GArray     *attributes)
{
  if (g_str_equal (tag, "pre"))
    z->in_pre = TRUE;
  if (is_block_tag (tag))
    rstrip (z->out);
  g_string_append_printf (z->out, "<%s", tag);
  g_array_sort (attributes, compare_attributes);
  for (guint i = 0; i < attributes->len; i++)
    {
      const Attribute *attribute = &g_array_index (attributes, Attribute, i);

      g_string_append_printf (z->out, " %s", attribute->name);
      if (attribute->value != NULL)
        {
          g_string_append (z->out, "=\"");
          append_escaped_attribute (z->out, attribute->value);
          g_string_append_c (z->out, '"');
        }
    }
  g_string_append_c (z->out, '>');
  set_last_tag (z, tag);
  z->last = LAST_STARTTAG;
}

static void
handle_endtag (Normalizer *z,
               const char *tag)
{
  if (g_str_equal (tag, "pre"))
    z->in_pre = FALSE;
  else if (is_block_tag (tag))
    rstrip (z->out);
  g_string_append_printf (z->out, "</%s>", tag);
  set_last_tag (z, tag);
  z->last = LAST_ENDTAG;
}

static void
handle_wrapped (Normalizer *z,
                const char *open,
                gsize       from,
                gsize       to,
                const char *close)
{
  g_string_append (z->out, open);
  g_string_append_len (z->out, z->s + from, to - from);
  g_string_append (z->out, close);
  z->last = LAST_OTHER;
}

static void
output_char (Normalizer *z,
             gunichar    c)
{
  switch (c)
    {
    case '<':
      g_string_append (z->out, "&lt;");
      break;
    case '>':
      g_string_append (z->out, "&gt;");
      break;
    case '&':
      g_string_append (z->out, "&amp;");
      break;
    case '"':
      g_string_append (z->out, "&quot;");
      break;
    case 0:
      /* Python writes a NUL, which a C string cannot hold: its two-byte form stands for it,
       * which no valid UTF-8 (so no other character) has. */
      g_string_append (z->out, "\xc0\x80");
      break;
    default:
      g_string_append_unichar (z->out, c);
    }
}

/* Python's html.entities.name2codepoint: HTML 4's names, which libxml2 knows too, but for
 * "apos" (XML's, which libxml2 adds). */
static gunichar
html4_entity (const char *name)
{
  const htmlEntityDesc *entity;

  if (g_str_equal (name, "apos"))
    return (gunichar) -1;
  entity = htmlEntityLookup ((const xmlChar *) name);
  return entity ? entity->value : (gunichar) -1;
}

static void
handle_entityref (Normalizer *z,
                  const char *name)
{
  gunichar c = html4_entity (name);

  if (c == (gunichar) -1)
    g_string_append_printf (z->out, "&%s;", name);
  else
    output_char (z, c);
  z->last = LAST_OTHER;
}

static void
handle_charref (Normalizer *z,
                const char *name)
{
  guint64 value = 0;
  gboolean valid = TRUE;
  const char *digits = name[0] == 'x' ? name + 1 : name;
  guint base = name[0] == 'x' ? 16 : 10;

  /* int () refuses "X41" (only a lowercase x is cut off) and chr () what is past U+10FFFF. */
  for (const char *p = digits; *p && valid; p++)
    {
      int digit = g_ascii_xdigit_value (*p);

      if (digit < 0 || (guint) digit >= base)
        valid = FALSE;
      else if ((value = value * base + digit) > 0x10ffff)
        valid = FALSE;
    }
  if (*digits == '\0')
    valid = FALSE;

  if (valid)
    output_char (z, (gunichar) value);
  else
    g_string_append_printf (z->out, "&%s;", name);
  z->last = LAST_OTHER;
}

/* Python's html.unescape on an attribute's value, for the references these examples hold:
 * numeric ones, and HTML 4 names followed by ';'. */
static char *
unescape_attribute (const char *value,
                    gsize       size)
{
  GString *out = g_string_sized_new (size);
  const char *end = value + size;

  for (const char *p = value; p < end;)
    {
      if (*p == '&' && p + 1 < end && p[1] == '#')
        {
          const char *q = p + 2;
          guint base = 10;
          guint64 number = 0;
          const char *digits;

          if (q < end && (*q == 'x' || *q == 'X'))
            base = 16, q++;
          digits = q;
          while (q < end && g_ascii_isxdigit (*q) && (base == 16 || g_ascii_isdigit (*q)))
            {
              number = MIN (number * base + g_ascii_xdigit_value (*q), (guint64) 0x110000);
              q++;
            }
          if (q > digits)
            {
              if (q < end && *q == ';')
                q++;
              if (number == 0 || number > 0x10ffff || (number >= 0xd800 && number <= 0xdfff))
                g_string_append (out, "\xef\xbf\xbd");
              else
                g_string_append_unichar (out, (gunichar) number);
              p = q;
              continue;
            }
        }
      else if (*p == '&')
        {
          const char *q = p + 1;

          while (q < end && g_ascii_isalnum (*q))
            q++;
          if (q > p + 1 && q < end && *q == ';')
            {
              g_autofree char *name = g_strndup (p + 1, q - p - 1);
              const htmlEntityDesc *entity = htmlEntityLookup ((const xmlChar *) name);

              if (entity != NULL)
                {
                  g_string_append_unichar (out, entity->value);
                  p = q + 1;
                  continue;
                }
            }
        }
      g_string_append_c (out, *p++);
    }

  return g_string_free (out, FALSE);
}

/* The parser */

static gssize
find_char (const Normalizer *z,
           gsize             from,
           char              c)
{
  const char *found = from < z->n ? memchr (z->s + from, c, z->n - from) : NULL;

  return found ? found - z->s : -1;
}

static gboolean
has_prefix_at (const Normalizer *z,
               gsize             i,
               const char       *prefix,
               gboolean          ignore_case)
{
  gsize len = strlen (prefix);

  if (i + len > z->n)
    return FALSE;
  return ignore_case ? g_ascii_strncasecmp (z->s + i, prefix, len) == 0
                     : strncmp (z->s + i, prefix, len) == 0;
}

/* `[a-zA-Z][^\t\n\r\f />\x00]*` at @i: its end, or @i when there is none. */
static gsize
match_tag_name (const Normalizer *z,
                gsize             i)
{
  if (i >= z->n || !g_ascii_isalpha (z->s[i]))
    return i;
  i++;
  while (i < z->n && !strchr ("\t\n\r\f />", z->s[i]) && z->s[i] != '\0')
    i++;
  return i;
}

/* `(?:\s|/(?!>))*` */
static gsize
skip_spaces_and_slashes (const Normalizer *z,
                         gsize             i)
{
  for (;;)
    {
      gsize len = space_length (z->s + i, z->s + z->n);

      if (len > 0)
        i += len;
      else if (i < z->n && z->s[i] == '/' && !(i + 1 < z->n && z->s[i + 1] == '>'))
        i++;
      else
        return i;
    }
}

/* One attribute of attrfind_tolerant at @i (its name, and a value after `=`), which may only
 * start after a quote, a space or a slash. Returns FALSE when there is none. */
static gboolean
match_attribute (const Normalizer *z,
                 gsize             i,
                 gsize            *name_end,
                 gsize            *value_start,
                 gsize            *value_end,
                 gsize            *end)
{
  const char *s = z->s;
  gsize j, k;

  if (i == 0 || i >= z->n)
    return FALSE;
  {
    const char *prev = g_utf8_find_prev_char (s, s + i);

    if (!(s[i - 1] == '\'' || s[i - 1] == '"' || s[i - 1] == '/'
          || (prev && space_length (prev, s + i) == (gsize) (s + i - prev))))
      return FALSE;
  }
  if (is_space_at (z, i) || s[i] == '/' || s[i] == '>')
    return FALSE;

  j = i + 1;
  while (j < z->n && !is_space_at (z, j) && !strchr ("/=>", s[j]))
    j++;
  *name_end = j;
  *value_start = *value_end = G_MAXSIZE;

  /* `\s*=+\s*` then a quoted or a bare value, the whole group optional, as the regular
   * expression backtracks: a quote that is never closed gives the value up to the space
   * before it (an empty value), or to one '=' fewer. */
  k = skip_spaces (z, j);
  if (k < z->n && s[k] == '=')
    {
      gsize equals_end = k;

      while (equals_end < z->n && s[equals_end] == '=')
        equals_end++;
      for (gsize b = equals_end; b > k; b--)
        {
          gsize c_max = b == equals_end ? skip_spaces (z, b) : b;
          gboolean found = FALSE;

          for (gsize c = c_max + 1; c-- > b;)
            {
              if (c < z->n && (s[c] == '\'' || s[c] == '"'))
                {
                  gssize close = find_char (z, c + 1, s[c]);

                  if (close < 0)
                    continue;
                  *value_start = c;
                  *value_end = close + 1;
                }
              else
                {
                  gsize w = c;

                  while (w < z->n && s[w] != '>' && !is_space_at (z, w))
                    w++;
                  *value_start = c;
                  *value_end = w;
                }
              found = TRUE;
              break;
            }
          if (found)
            {
              j = *value_end;
              break;
            }
        }
    }

  *end = skip_spaces_and_slashes (z, j);
  return TRUE;
}

/* check_for_whole_start_tag: where the start tag at @i ends, or -1 when it is unfinished. */
static gssize
whole_start_tag_end (const Normalizer *z,
                     gsize             i)
{
  gsize j = match_tag_name (z, i + 1);
  gsize k;
  char next;

  /* `(?:[\s/]*(?:attribute)*)?\s*` */
  k = j;
  for (;;)
    {
      gsize len = space_length (z->s + k, z->s + z->n);

      if (len > 0)
        k += len;
      else if (k < z->n && z->s[k] == '/')
        k++;
      else
        break;
    }
  for (;;)
    {
      gsize name_end, value_start, value_end, end;

      if (!match_attribute (z, k, &name_end, &value_start, &value_end, &end))
        break;
      k = end;
    }
  /* What the optional group matched only counts when it ends where `\s*` can go on. */
  j = skip_spaces (z, k);

  if (j >= z->n)
    return -1;
  next = z->s[j];
  if (next == '>')
    return j + 1;
  if (next == '/')
    return has_prefix_at (z, j, "/>", FALSE) ? (gssize) j + 2 : -1;
  if (g_ascii_isalpha (next) || next == '=' || next == '/')
    return -1;
  return j > i ? (gssize) j : (gssize) i + 1;
}

static gssize
parse_starttag (Normalizer *z,
                gsize       i)
{
  gssize endpos = whole_start_tag_end (z, i);
  g_autoptr(GArray) attributes = NULL;
  g_autofree char *tag = NULL;
  g_autofree char *rest = NULL;
  gsize name_end, k;

  if (endpos < 0)
    return endpos;

  name_end = match_tag_name (z, i + 1);
  tag = g_ascii_strdown (z->s + i + 1, name_end - i - 1);
  k = skip_spaces_and_slashes (z, name_end);

  attributes = g_array_new (FALSE, TRUE, sizeof (Attribute));
  g_array_set_clear_func (attributes, (GDestroyNotify) attribute_clear);
  while (k < (gsize) endpos)
    {
      gsize attr_end, value_start, value_end, end;
      Attribute attribute = { NULL, NULL };

      if (!match_attribute (z, k, &attr_end, &value_start, &value_end, &end))
        break;
      attribute.name = g_ascii_strdown (z->s + k, attr_end - k);
      if (value_start != G_MAXSIZE)
        {
          const char *v = z->s + value_start;
          gsize size = value_end - value_start;

          if (size >= 2 && (v[0] == '\'' || v[0] == '"') && v[size - 1] == v[0])
            v++, size -= 2;
          attribute.value = unescape_attribute (v, size);
        }
      g_array_append_val (attributes, attribute);
      k = end;
    }

  rest = g_strndup (z->s + k, endpos - k);
  g_strstrip (rest);
  if (!g_str_equal (rest, ">") && !g_str_equal (rest, "/>"))
    {
      handle_data (z, z->s + i, endpos - i);
      return endpos;
    }
  if (g_str_has_suffix (rest, "/>"))
    {
      /* handle_startendtag: the start tag only, then it counts as ended. */
      handle_starttag (z, tag, attributes);
      z->last = LAST_ENDTAG;
    }
  else
    {
      handle_starttag (z, tag, attributes);
      if (g_str_equal (tag, "script") || g_str_equal (tag, "style"))
        z->cdata_elem = g_strdup (tag);
    }
  return endpos;
}

/* `--\s*>` from @from: the start of the match, its end in @end, or -1. */
static gssize
find_comment_close (const Normalizer *z,
                    gsize             from,
                    gsize            *end)
{
  for (gsize i = from; i + 1 < z->n; i++)
    {
      gsize j;

      if (z->s[i] != '-' || z->s[i + 1] != '-')
        continue;
      j = skip_spaces (z, i + 2);
      if (j < z->n && z->s[j] == '>')
        {
          *end = j + 1;
          return i;
        }
    }
  return -1;
}

static gssize
parse_bogus_comment (Normalizer *z,
                     gsize       i)
{
  gssize pos = find_char (z, i + 2, '>');

  if (pos < 0)
    return -1;
  handle_wrapped (z, "<!--", i + 2, pos, "-->");
  return pos + 1;
}

static gssize
parse_endtag (Normalizer *z,
              gsize       i)
{
  gssize gt = find_char (z, i + 1, '>');
  gsize gtpos, j, name_start, name_end;
  g_autofree char *elem = NULL;

  if (gt < 0)
    return -1;
  gtpos = gt + 1;

  /* endtagfind: `</\s*([a-zA-Z][-.a-zA-Z0-9:_]*)\s*>` */
  name_start = skip_spaces (z, i + 2);
  j = name_start;
  if (j < z->n && g_ascii_isalpha (z->s[j]))
    {
      j++;
      while (j < z->n && (g_ascii_isalnum (z->s[j]) || strchr ("-.:_", z->s[j])) && z->s[j])
        j++;
      name_end = j;
      j = skip_spaces (z, j);
      if (j < z->n && z->s[j] == '>')
        {
          elem = g_ascii_strdown (z->s + name_start, name_end - name_start);
          if (z->cdata_elem != NULL && !g_str_equal (elem, z->cdata_elem))
            {
              handle_data (z, z->s + i, gtpos - i);
              return gtpos;
            }
          handle_endtag (z, elem);
          g_clear_pointer (&z->cdata_elem, g_free);
          return gtpos;
        }
    }

  if (z->cdata_elem != NULL)
    {
      handle_data (z, z->s + i, gtpos - i);
      return gtpos;
    }
  name_end = match_tag_name (z, i + 2);
  if (name_end == i + 2)
    {
      if (has_prefix_at (z, i, "</>", FALSE))
        return i + 3;
      return parse_bogus_comment (z, i);
    }
  elem = g_ascii_strdown (z->s + i + 2, name_end - i - 2);
  gt = find_char (z, skip_spaces_and_slashes (z, name_end), '>');
  handle_endtag (z, elem);
  return gt + 1;
}

static gssize
parse_comment (Normalizer *z,
               gsize       i)
{
  gsize end;
  gssize close = find_comment_close (z, i + 4, &end);

  if (close < 0)
    return -1;
  handle_wrapped (z, "<!--", i + 4, close, "-->");
  return end;
}

/* A marked section, `<![NAME ...]]>`: unknown_decl. */
static gssize
parse_marked_section (Normalizer *z,
                      gsize       i)
{
  gsize j = i + 3, name_end;
  g_autofree char *name = NULL;
  gboolean office;

  if (j >= z->n || !g_ascii_isalpha (z->s[j]))
    return parse_bogus_comment (z, i);
  while (j < z->n && (g_ascii_isalnum (z->s[j]) || strchr ("-_.", z->s[j])) && z->s[j])
    j++;
  name_end = j;
  if (skip_spaces (z, j) >= z->n)
    return -1;
  name = g_ascii_strdown (z->s + i + 3, name_end - i - 3);
  office = g_str_equal (name, "if") || g_str_equal (name, "else") || g_str_equal (name, "endif");
  if (!office && !g_strv_contains ((const char *const[]) { "temp", "cdata", "ignore", "include",
                                                           "rcdata", NULL }, name))
    return parse_bogus_comment (z, i);

  /* `]\s*]\s*>`, or `]\s*>` for Office's. */
  for (gsize k = i + 3; k < z->n; k++)
    {
      gsize m;

      if (z->s[k] != ']')
        continue;
      m = skip_spaces (z, k + 1);
      if (!office)
        {
          if (m >= z->n || z->s[m] != ']')
            continue;
          m = skip_spaces (z, m + 1);
        }
      if (m < z->n && z->s[m] == '>')
        {
          handle_wrapped (z, "<!", i + 3, k, ">");
          return m + 1;
        }
    }
  return -1;
}

static gssize
parse_html_declaration (Normalizer *z,
                        gsize       i)
{
  if (has_prefix_at (z, i, "<![", FALSE))
    return parse_marked_section (z, i);
  if (has_prefix_at (z, i, "<!doctype", TRUE))
    {
      gssize gt = find_char (z, i + 9, '>');

      if (gt < 0)
        return -1;
      handle_wrapped (z, "<!", i + 2, gt, ">");
      return gt + 1;
    }
  return parse_bogus_comment (z, i);
}

static gssize
parse_pi (Normalizer *z,
          gsize       i)
{
  gssize gt = find_char (z, i + 2, '>');

  if (gt < 0)
    return -1;
  handle_wrapped (z, "<?", i + 2, gt, ">");
  return gt + 1;
}

/* `</\s*NAME\s*>`, any case, from @from: where it starts, or -1. */
static gssize
find_cdata_end (const Normalizer *z,
                gsize             from)
{
  gsize len = strlen (z->cdata_elem);

  for (gsize i = from; i + 1 < z->n; i++)
    {
      gsize j;

      if (z->s[i] != '<' || z->s[i + 1] != '/')
        continue;
      j = skip_spaces (z, i + 2);
      if (j + len > z->n || g_ascii_strncasecmp (z->s + j, z->cdata_elem, len) != 0)
        continue;
      j = skip_spaces (z, j + len);
      if (j < z->n && z->s[j] == '>')
        return i;
    }
  return -1;
}

/* `&#(?:[0-9]+|[xX][0-9a-fA-F]+)[^0-9a-fA-F]` at @i: the end of the match, or 0. */
static gsize
match_charref (const Normalizer *z,
               gsize             i)
{
  gsize j = i + 2;
  gboolean hex = j < z->n && (z->s[j] == 'x' || z->s[j] == 'X');
  gsize digits;

  if (hex)
    j++;
  digits = j;
  while (j < z->n && (hex ? g_ascii_isxdigit (z->s[j]) : g_ascii_isdigit (z->s[j])))
    j++;
  if (j == digits || j >= z->n || g_ascii_isxdigit (z->s[j]))
    return 0;
  return j + 1;
}

/* `&([a-zA-Z][-.a-zA-Z0-9]*)[^a-zA-Z0-9]` at @i: the end of the name in @name_end and of the
 * match, or 0. The name gives back a '-' or '.' to end on when nothing follows it. */
static gsize
match_entityref (const Normalizer *z,
                 gsize             i,
                 gsize            *name_end)
{
  gsize j = i + 1;

  if (j >= z->n || !g_ascii_isalpha (z->s[j]))
    return 0;
  j++;
  while (j < z->n && (g_ascii_isalnum (z->s[j]) || z->s[j] == '-' || z->s[j] == '.'))
    j++;
  if (j < z->n)
    {
      *name_end = j;
      return j + 1;
    }
  for (gsize k = j - 1; k > i + 1; k--)
    if (z->s[k] == '-' || z->s[k] == '.')
      {
        *name_end = k;
        return k + 1;
      }
  return 0;
}

/* HTMLParser.goahead: parses what it can of the text fed so far (@end: all of it, the input is
 * complete), and returns how much it used; the rest waits for more. */
static gsize
goahead (Normalizer *z,
         gboolean    end)
{
  gsize i = 0;

  while (i < z->n)
    {
      gsize j;
      gssize k;

      if (z->cdata_elem != NULL)
        {
          gssize found = find_cdata_end (z, i);

          /* The text of a script or style waits for its end tag, for ever if need be. */
          if (found < 0)
            break;
          j = found;
        }
      else
        {
          j = i;
          while (j < z->n && z->s[j] != '<' && z->s[j] != '&')
            j++;
        }
      if (i < j)
        handle_data (z, z->s + i, j - i);
      i = j;
      if (i == z->n)
        break;

      if (z->s[i] == '<')
        {
          if (i + 1 < z->n && g_ascii_isalpha (z->s[i + 1]))
            k = parse_starttag (z, i);
          else if (has_prefix_at (z, i, "</", FALSE))
            k = parse_endtag (z, i);
          else if (has_prefix_at (z, i, "<!--", FALSE))
            k = parse_comment (z, i);
          else if (has_prefix_at (z, i, "<?", FALSE))
            k = parse_pi (z, i);
          else if (has_prefix_at (z, i, "<!", FALSE))
            k = parse_html_declaration (z, i);
          else if (i + 1 < z->n)
            {
              handle_data (z, "<", 1);
              k = i + 1;
            }
          else
            break;

          if (k < 0)
            {
              gssize gt;

              if (!end)
                break;
              /* Unfinished at the end of the input: up to the next '>' (or '<') is text. */
              gt = find_char (z, i + 1, '>');
              if (gt < 0)
                {
                  gssize lt = find_char (z, i + 1, '<');

                  k = lt < 0 ? (gssize) i + 1 : lt;
                }
              else
                {
                  k = gt + 1;
                }
              handle_data (z, z->s + i, k - i);
            }
          i = k;
        }
      else if (has_prefix_at (z, i, "&#", FALSE))
        {
          gsize match_end = match_charref (z, i);

          if (match_end > 0)
            {
              g_autofree char *name = g_strndup (z->s + i + 2, match_end - 1 - (i + 2));

              handle_charref (z, name);
              i = z->s[match_end - 1] == ';' ? match_end : match_end - 1;
              continue;
            }
          if (find_char (z, i, ';') >= 0)
            {
              handle_data (z, "&#", 2);
              i += 2;
            }
          break;
        }
      else
        {
          gsize name_end = 0;
          gsize match_end = match_entityref (z, i, &name_end);

          if (match_end > 0)
            {
              g_autofree char *name = g_strndup (z->s + i + 1, name_end - i - 1);

              handle_entityref (z, name);
              i = z->s[match_end - 1] == ';' ? match_end : match_end - 1;
              continue;
            }
          if (i + 1 < z->n && (g_ascii_isalpha (z->s[i + 1]) || z->s[i + 1] == '#'))
            {
              /* Unfinished: waits, and at the very end a lone "&x" loses its '&'. */
              if (end && z->n - i == 2)
                i++;
              break;
            }
          if (i + 1 < z->n)
            {
              handle_data (z, "&", 1);
              i++;
            }
          else
            {
              break;
            }
        }
    }

  if (end && i < z->n && z->cdata_elem == NULL)
    {
      handle_data (z, z->s + i, z->n - i);
      i = z->n;
    }
  return i;
}

/* HTMLParser.feed: @rawdata holds what was fed and not yet used. */
static void
feed (Normalizer *z,
      GString    *rawdata,
      const char *chunk,
      gsize       size,
      gboolean    end)
{
  gsize used;

  g_string_append_len (rawdata, chunk, size);
  z->s = rawdata->str;
  z->n = rawdata->len;
  used = goahead (z, end);
  g_string_erase (rawdata, 0, used);
}

/* `<!\[CDATA\[.*?\]\]>` at @i (`.` stopping at a newline): its end, or 0. */
static gsize
match_cdata_chunk (const char *html,
                   gsize       size,
                   gsize       i)
{
  if (size - i < 9 || strncmp (html + i, "<![CDATA[", 9) != 0)
    return 0;
  for (gsize j = i + 9; j + 2 < size && html[j] != '\n'; j++)
    if (html[j] == ']' && html[j + 1] == ']' && html[j + 2] == '>')
      return j + 3;
  return 0;
}

char *
spec_normalize_html (const char *html)
{
  Normalizer z = { NULL, };
  gsize size = strlen (html);
  g_autoptr(GString) rawdata = g_string_new (NULL);
  gsize i = 0;

  z.out = g_string_sized_new (size);
  z.last = LAST_STARTTAG;
  z.last_tag = g_strdup ("");

  /* The runner feeds the parser in pieces, and what the parser reads depends on them: a piece
   * is a CDATA section, or `<...>` up to the first '>', or the text up to the next '<'. A piece
   * that starts with "<![CDATA" is written out as it is, past the parser; a '<' with no '>'
   * anywhere after it starts no piece and is dropped. */
  while (i < size)
    {
      gsize chunk_end;

      if (html[i] != '<')
        {
          const char *lt = memchr (html + i, '<', size - i);

          chunk_end = lt ? (gsize) (lt - html) : size;
        }
      else if ((chunk_end = match_cdata_chunk (html, size, i)) == 0)
        {
          const char *gt = memchr (html + i, '>', size - i);

          if (gt == NULL)
            {
              i++;
              continue;
            }
          chunk_end = gt + 1 - html;
        }

      if (chunk_end - i >= 8 && strncmp (html + i, "<![CDATA", 8) == 0)
        g_string_append_len (z.out, html + i, chunk_end - i);
      else
        feed (&z, rawdata, html + i, chunk_end - i, FALSE);
      i = chunk_end;
    }
  /* close () */
  feed (&z, rawdata, "", 0, TRUE);

  g_free (z.last_tag);
  g_free (z.cdata_elem);
  return g_string_free (z.out, FALSE);
}
