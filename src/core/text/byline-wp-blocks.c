/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-blocks.c: Markdown as WordPress block markup, each block as the editor saves it.
 *
 * How
 * ===
 *
 * The HTML is md4c-html's, as published before blocks existed and as the preview shows it:
 * byline_markdown_render_blocks () cuts it into the document's top-level blocks (raw HTML that
 * spans several of them already made one). Nothing of the text is written by hand here: only
 * the block comments, and the wrappers the editor's save () functions put around the content
 * (a <figure> around a table, a class on a quote), are.
 *
 * Outside raw HTML, md4c-html writes a small, fixed vocabulary: "<p>", "<h2>", "<ul>\n",
 * "<li>", "<blockquote>\n", "<pre><code>", "<hr>\n", "<table>\n" and so on for blocks, <em>,
 * <strong>, <a>, <img>, <code>, <del> and <br> inside them, and every '<' of the text escaped.
 * So each top-level block's HTML is read back by the small grammar below, and a block that does
 * not follow it (raw HTML, an unknown tag, inline raw HTML left open, a task list, a list item
 * holding more than one paragraph) is sent whole as an HTML block, which the editor keeps as it
 * is, unless it is WordPress's own "<!--more-->" or "<!--nextpage-->". A block that does
 * follow it is exactly what a browser reads it as, since every tag in it is one the grammar
 * knows.
 *
 * What the editor saves (WordPress 6.1, wp-includes/js/dist/block-library.js and blocks.js)
 * ======================================================================================
 *
 * serialize () writes a block as "<!-- wp:NAME ATTRS -->\n" + save ()'s HTML + "\n<!-- /wp:NAME
 * -->", ATTRS being the JSON of the attributes not read from the HTML and not at their default,
 * and joins blocks (inner ones too) with "\n\n". The save () functions:
 *
 *  - paragraph: <p>content</p>; heading: <hN>content</hN>, "level" when not 2. Both have
 *    supports.className false, so no wp-block-* class (6.1 adds none to headings).
 *  - list (6.1's list with list-item inner blocks): <ul> or <ol> (ordered, start), the items as
 *    inner blocks and nothing else; list-item: <li>content, then its nested lists as inner
 *    blocks, </li>. Neither has a class.
 *  - quote (inner blocks): <blockquote class="wp-block-quote">, its blocks, </blockquote>.
 *  - code: <pre class="wp-block-code"><code>content</code></pre>, where content has '[' as
 *    "&#91;" and the first line that is only an http(s) address has its "//" as "&#47;&#47;"
 *    (code/utils.js escape ()); no language (6.1's code block has none).
 *  - image: <figure class="wp-block-image"><img src alt class="wp-image-ID" title/></figure>,
 *    <a href> around the <img> when linked, "id" in the comment; attribute values escaped as
 *    escape-html's escapeAttribute ().
 *  - table: <figure class="wp-block-table"><table><thead><tr><th>…</th></tr></thead><tbody>…
 *    </tbody></table></figure>, no whitespace, an aligned cell as
 *    <td class="has-text-align-right" data-align="right">.
 *  - separator: <hr class="wp-block-separator has-alpha-channel-opacity"/>.
 *  - more and nextpage: the comment alone ("<!--more Text-->", "customText" in the comment).
 *  - html: the HTML as it is.
 *
 * An empty quote gets one empty paragraph, which the editor's template would add on opening.
 *
 * The content of paragraphs, headings, items and cells is rich text the editor takes from the
 * browser's reading of the element (its innerHTML) and writes back as it is. md4c's inline HTML
 * reads back the same but for '"' in text, which md4c writes as "&quot;" and the browser bare,
 * and U+00A0, which the browser writes as "&nbsp;": these are written as the browser does, so
 * that the editor saves exactly what it was given. Code content is the browser's reading too,
 * then escaped by the code block's own escape ().
 */

#include "config.h"

#include <string.h>

#include "byline-block.h"
#include "byline-markdown.h"
#include "byline-wp-blocks.h"

typedef struct {
  const char                *p;
  const char                *end;
  BylineWpBlocksMediaIdFunc  media_id;
  gpointer                   user_data;
} Reader;

static gboolean read_blocks (Reader     *r,
                             const char *closing,
                             GPtrArray  *out);

static gboolean
looking_at (const Reader *r,
            const char   *s)
{
  gsize n = strlen (s);

  return (gsize) (r->end - r->p) >= n && memcmp (r->p, s, n) == 0;
}

static gboolean
eat (Reader     *r,
     const char *s)
{
  if (!looking_at (r, s))
    return FALSE;
  r->p += strlen (s);
  return TRUE;
}

/* Serialized blocks (strings) joined as serialize () joins them. */
static char *
join_blocks (GPtrArray *blocks)
{
  g_auto(GStrv) strings = NULL;

  g_ptr_array_add (blocks, NULL);
  strings = (char **) g_ptr_array_steal (blocks, NULL);
  return g_strjoinv ("\n\n", strings);
}

/* "<!-- wp:NAME ATTRS -->\nHTML\n<!-- /wp:NAME -->", as serialize () writes a block. */
static char *
wrap_block (const char *name,
            const char *attrs,
            const char *html)
{
  return g_strdup_printf ("<!-- wp:%s %s%s-->\n%s\n<!-- /wp:%s -->", name,
                          attrs != NULL ? attrs : "", attrs != NULL ? " " : "", html, name);
}

/* Inline content */

static const char *const inline_tags[] = { "a", "em", "strong", "code", "del", "img", "br", NULL };

/* The '>' that ends the tag starting at @p, quoted attribute values skipped over; NULL if none. */
static const char *
find_tag_end (const char *p,
              const char *end)
{
  char quote = 0;

  for (; p < end; p++)
    {
      if (quote != 0)
        quote = *p == quote ? 0 : quote;
      else if (*p == '"' || *p == '\'')
        quote = *p;
      else if (*p == '>')
        return p;
    }
  return NULL;
}

/* The tag at r->p ("<name ...>" or "</name>"), quoted attribute values skipped over: its name
 * and whether it closes, and where it ends. FALSE when it is not a tag md4c writes inline. */
static gboolean
scan_inline_tag (const Reader  *r,
                 char         **name,
                 gboolean      *closing,
                 const char   **after)
{
  const char *p = r->p + 1;
  const char *name_start;

  *closing = p < r->end && *p == '/';
  if (*closing)
    p++;
  name_start = p;
  while (p < r->end && g_ascii_isalnum (*p))
    p++;
  if (p == name_start || p >= r->end || (*p != '>' && *p != '/' && !g_ascii_isspace (*p)))
    return FALSE;
  *name = g_strndup (name_start, p - name_start);
  if (!(p = find_tag_end (p, r->end)) || !g_strv_contains (inline_tags, *name))
    {
      g_clear_pointer (name, g_free);
      return FALSE;
    }
  *after = p + 1;
  return TRUE;
}

#define NBSP "\xc2\xa0"

/* @text as the browser writes it back: U+00A0 as "&nbsp;". */
static void
append_with_nbsp_entities (GString    *out,
                           const char *text,
                           gsize       length)
{
  const char *end = text + length;
  const char *nbsp;

  while ((nbsp = g_strstr_len (text, end - text, NBSP)) != NULL)
    {
      g_string_append_len (out, text, nbsp - text);
      g_string_append (out, "&nbsp;");
      text = nbsp + strlen (NBSP);
    }
  g_string_append_len (out, text, end - text);
}

/* Reads text and inline tags up to the first tag that is not one (left unread), and returns
 * them as the editor saves this rich text: the browser's reading of it, which writes '"' in text
 * bare where md4c wrote "&quot;", U+00A0 as "&nbsp;", and <br> and <img> without a closing
 * slash (raw HTML may have one); everything else md4c writes, the browser writes alike. NULL
 * when the inline tags read are not balanced, as a browser would then read them otherwise. */
static char *
read_inline (Reader *r)
{
  g_autoptr(GPtrArray) open = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) content = g_string_new (NULL);

  while (r->p < r->end)
    {
      g_autofree char *name = NULL;
      const char *after;
      gboolean closing;

      if (*r->p != '<')
        {
          if (eat (r, "&quot;"))
            g_string_append_c (content, '"');
          else if (eat (r, NBSP))
            g_string_append (content, "&nbsp;");
          else
            g_string_append_c (content, *r->p++);
          continue;
        }
      if (!scan_inline_tag (r, &name, &closing, &after))
        break;
      if (closing)
        {
          if (open->len == 0 || strcmp (g_ptr_array_index (open, open->len - 1), name) != 0)
            return NULL;
          g_ptr_array_remove_index (open, open->len - 1);
        }
      else if (strcmp (name, "img") != 0 && strcmp (name, "br") != 0)
        g_ptr_array_add (open, g_steal_pointer (&name));
      else if (after - r->p >= 3 && after[-2] == '/'
               && (g_ascii_isspace (after[-3]) || after[-3] == '"' || after[-3] == '\''
                   || memchr (r->p, '=', after - r->p) == NULL))
        {
          /* "<br/>", "<img … />": the slash means nothing in HTML, and the browser drops it
           * with the spaces before it. (After an unquoted value it would be part of it.) */
          const char *slash = after - 2;

          while (slash > r->p && g_ascii_isspace (slash[-1]))
            slash--;
          append_with_nbsp_entities (content, r->p, slash - r->p);
          g_string_append_c (content, '>');
          r->p = after;
          continue;
        }
      append_with_nbsp_entities (content, r->p, after - r->p);
      r->p = after;
    }
  if (open->len != 0)
    return NULL;
  return g_string_free (g_steal_pointer (&content), FALSE);
}

/* Reads inline content and then @closing: the content, or NULL. */
static char *
read_inline_until (Reader     *r,
                   const char *closing)
{
  g_autofree char *content = read_inline (r);

  if (content == NULL || !eat (r, closing))
    return NULL;
  return g_steal_pointer (&content);
}

/* Attribute values as md4c-html writes them: entities of '&', '<', '>' and '"'. */
static char *
decode_attribute (const char *value,
                  gsize       length)
{
  static const struct { const char *entity; char c; } entities[] = {
    { "&amp;", '&' }, { "&lt;", '<' }, { "&gt;", '>' }, { "&quot;", '"' },
  };
  GString *out = g_string_sized_new (length);

  for (gsize i = 0; i < length; i++)
    {
      gboolean decoded = FALSE;

      for (guint e = 0; e < G_N_ELEMENTS (entities) && value[i] == '&'; e++)
        {
          gsize n = strlen (entities[e].entity);

          if (i + n <= length && memcmp (value + i, entities[e].entity, n) == 0)
            {
              g_string_append_c (out, entities[e].c);
              i += n - 1;
              decoded = TRUE;
              break;
            }
        }
      if (!decoded)
        g_string_append_c (out, value[i]);
    }
  return g_string_free (out, FALSE);
}

/* escape-html's escapeAttribute (): '&' unless it starts a character reference, '"', '>'. */
static void
append_attribute (GString    *out,
                  const char *name,
                  const char *value)
{
  g_string_append_printf (out, " %s=\"", name);
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '&')
        {
          const char *q = p + 1;
          gboolean reference;

          if (*q == '#' && (q[1] == 'x' || q[1] == 'X'))
            for (q += 2; g_ascii_isxdigit (*q); q++)
              ;
          else if (*q == '#')
            for (q++; g_ascii_isdigit (*q); q++)
              ;
          else
            for (; g_ascii_isalnum (*q); q++)
              ;
          reference = *q == ';' && g_ascii_isalnum (q[-1]);
          g_string_append (out, reference ? "&" : "&amp;");
        }
      else if (*p == '"')
        g_string_append (out, "&quot;");
      else if (*p == '>')
        g_string_append (out, "&gt;");
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* The attributes of the tag @tag (its text from '<' to '>'), named in @names in this order, each
 * present or not; FALSE when it has others, or is not as md4c writes it (name="value"). */
static gboolean
read_attributes (const char         *tag,
                 gsize               length,
                 const char *const  *names,
                 char              **values)
{
  const char *p = tag + 1;
  const char *end = tag + length - 1;
  guint next = 0;

  while (p < end && *p != ' ')
    p++;
  while (p < end)
    {
      const char *name;
      const char *value;
      guint i;

      if (*p++ != ' ')
        return FALSE;
      name = p;
      while (p < end && *p != '=')
        p++;
      for (i = next; names[i] != NULL; i++)
        if ((gsize) (p - name) == strlen (names[i]) && memcmp (name, names[i], p - name) == 0)
          break;
      if (names[i] == NULL || p + 1 >= end || p[1] != '"')
        return FALSE;
      value = p + 2;
      if (!(p = memchr (value, '"', end - value)))
        return FALSE;
      values[i] = decode_attribute (value, p - value);
      next = i + 1;
      p++;
    }
  return TRUE;
}

/* Blocks */

/* A paragraph holding nothing but an image, maybe linked (md4c's "<a href><img></a>"), as an
 * image block; NULL when it is anything else. */
static char *
image_block (Reader     *r,
             const char *content)
{
  static const char *const img_names[] = { "src", "alt", "title", NULL };
  static const char *const a_names[] = { "href", NULL };
  /* Arrays of the values, not string vectors: an attribute left out leaves a NULL among them. */
  g_autoptr(GPtrArray) img_values = g_ptr_array_new_full (G_N_ELEMENTS (img_names), g_free);
  g_autoptr(GPtrArray) a_values = g_ptr_array_new_full (G_N_ELEMENTS (a_names), g_free);
  char **img;
  char **a;
  g_autoptr(GString) html = g_string_new ("<figure class=\"wp-block-image\">");
  g_autofree char *id = NULL;
  g_autofree char *attrs = NULL;
  const char *img_start = content;
  const char *img_end;
  gsize length = strlen (content);
  gboolean linked = g_str_has_prefix (content, "<a ");

  g_ptr_array_set_size (img_values, G_N_ELEMENTS (img_names));
  g_ptr_array_set_size (a_values, G_N_ELEMENTS (a_names));
  img = (char **) img_values->pdata;
  a = (char **) a_values->pdata;
  if (linked)
    {
      const char *a_end = find_tag_end (content, content + length);

      if (a_end == NULL || !g_str_has_suffix (content, "</a>")
          || !read_attributes (content, a_end + 1 - content, a_names, a) || a[0] == NULL)
        return NULL;
      img_start = a_end + 1;
      length -= strlen ("</a>");
    }
  if (!g_str_has_prefix (img_start, "<img "))
    return NULL;
  img_end = find_tag_end (img_start, content + length);
  if (img_end != content + length - 1
      || !read_attributes (img_start, img_end + 1 - img_start, img_names, img) || img[0] == NULL)
    return NULL;

  if (r->media_id != NULL && (id = r->media_id (img[0], r->user_data)) != NULL)
    attrs = g_strdup_printf ("{\"id\":%s}", id);
  if (linked)
    {
      g_string_append (html, "<a");
      append_attribute (html, "href", a[0]);
      g_string_append (html, ">");
    }
  g_string_append (html, "<img");
  append_attribute (html, "src", img[0]);
  append_attribute (html, "alt", img[1] != NULL ? img[1] : "");
  if (id != NULL)
    g_string_append_printf (html, " class=\"wp-image-%s\"", id);
  if (img[2] != NULL)
    append_attribute (html, "title", img[2]);
  g_string_append (html, "/>");
  if (linked)
    g_string_append (html, "</a>");
  g_string_append (html, "</figure>");
  return wrap_block ("image", attrs, html->str);
}

static gboolean
read_paragraph (Reader     *r,
                GPtrArray  *out)
{
  g_autofree char *content = read_inline_until (r, "</p>\n");
  g_autofree char *html = NULL;
  char *image;

  if (content == NULL)
    return FALSE;
  if ((image = image_block (r, content)) != NULL)
    {
      g_ptr_array_add (out, image);
      return TRUE;
    }
  html = g_strconcat ("<p>", content, "</p>", NULL);
  g_ptr_array_add (out, wrap_block ("paragraph", NULL, html));
  return TRUE;
}

static gboolean
read_heading (Reader     *r,
              GPtrArray  *out)
{
  g_autofree char *closing = NULL;
  g_autofree char *content = NULL;
  g_autofree char *html = NULL;
  g_autofree char *attrs = NULL;
  char level;

  if (r->end - r->p < 4 || (level = r->p[2]) < '1' || level > '6' || r->p[3] != '>')
    return FALSE;
  r->p += 4;
  closing = g_strdup_printf ("</h%c>\n", level);
  if (!(content = read_inline_until (r, closing)))
    return FALSE;
  html = g_strdup_printf ("<h%c>%s</h%c>", level, content, level);
  /* 2 is the block's default level, which serialize () leaves out. */
  if (level != '2')
    attrs = g_strdup_printf ("{\"level\":%c}", level);
  g_ptr_array_add (out, wrap_block ("heading", attrs, html));
  return TRUE;
}

/* The content of a code block as code/utils.js escape () writes it back. */
static char *
escape_code (const char *text,
             gsize       length)
{
  g_autoptr(GString) out = g_string_sized_new (length + 16);
  gboolean url_escaped = FALSE;
  const char *p = text;
  const char *end = text + length;

  /* The browser gives the editor '"' bare; md4c wrote it as an entity. */
  while (p < end)
    {
      const char *line_end = memchr (p, '\n', end - p);
      const char *q;
      const char *slashes = NULL;

      line_end = line_end != NULL ? line_end : end;
      /* The first line that is an address alone: /^(\s*https?:)\/\/([^\s<>"]+\s*)$/m. */
      q = p;
      while (q < line_end && g_ascii_isspace (*q))
        q++;
      if (!url_escaped
          && (g_str_has_prefix (q, "http://") || g_str_has_prefix (q, "https://")))
        {
          const char *rest = strchr (q, ':') + 3;
          const char *s = rest;

          while (s < line_end && !g_ascii_isspace (*s) && *s != '<' && *s != '>' && *s != '"'
                 && !(*s == '&' && g_str_has_prefix (s, "&quot;")))
            s++;
          if (s > rest)
            {
              const char *t = s;

              while (t < line_end && g_ascii_isspace (*t))
                t++;
              if (t == line_end)
                slashes = rest - 2;
            }
        }
      for (q = p; q < line_end; q++)
        {
          if (q == slashes)
            {
              g_string_append (out, "&#47;&#47;");
              q++;
              url_escaped = TRUE;
            }
          else if (*q == '[')
            g_string_append (out, "&#91;");
          else if (g_str_has_prefix (q, NBSP) && q + 1 < line_end)
            {
              g_string_append (out, "&nbsp;");
              q++;
            }
          else if (*q == '&' && g_str_has_prefix (q, "&quot;"))
            {
              g_string_append_c (out, '"');
              q += strlen ("&quot;") - 1;
            }
          else
            g_string_append_c (out, *q);
        }
      if (line_end < end)
        g_string_append_c (out, '\n');
      p = line_end + 1;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
read_code (Reader     *r,
           GPtrArray  *out)
{
  const char *start;
  const char *close;
  g_autofree char *code = NULL;
  g_autofree char *html = NULL;
  gsize length;

  r->p += strlen ("<pre><code");
  /* 6.1's code block has no language: md4c's class="language-…" is left out. */
  if (eat (r, " class=\"language-"))
    {
      const char *quote = memchr (r->p, '"', r->end - r->p);

      if (quote == NULL)
        return FALSE;
      r->p = quote + 1;
    }
  if (!eat (r, ">"))
    return FALSE;
  start = r->p;
  close = g_strstr_len (start, r->end - start, "</code></pre>\n");
  if (close == NULL || memchr (start, '<', close - start) != NULL)
    return FALSE;
  r->p = close + strlen ("</code></pre>\n");
  /* md4c ends the code with its last line's "\n"; the editor's code blocks have none. */
  length = close - start;
  if (length > 0 && start[length - 1] == '\n')
    length--;
  code = escape_code (start, length);
  html = g_strconcat ("<pre class=\"wp-block-code\"><code>", code, "</code></pre>", NULL);
  g_ptr_array_add (out, wrap_block ("code", NULL, html));
  return TRUE;
}

static gboolean
read_quote (Reader     *r,
            GPtrArray  *out)
{
  g_autoptr(GPtrArray) inner = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *blocks = NULL;
  g_autofree char *html = NULL;

  r->p += strlen ("<blockquote>\n");
  if (!read_blocks (r, "</blockquote>\n", inner))
    return FALSE;
  /* The editor fills an empty quote with its template, one empty paragraph, as it opens it:
   * given that already, it has nothing to change. */
  if (inner->len == 0)
    g_ptr_array_add (inner, wrap_block ("paragraph", NULL, "<p></p>"));
  blocks = join_blocks (inner);
  html = g_strconcat ("<blockquote class=\"wp-block-quote\">", blocks, "</blockquote>", NULL);
  g_ptr_array_add (out, wrap_block ("quote", NULL, html));
  return TRUE;
}

static gboolean read_list (Reader     *r,
                           GPtrArray  *out);

static gboolean
looking_at_list (const Reader *r)
{
  return looking_at (r, "<ul>\n") || looking_at (r, "<ol>\n") || looking_at (r, "<ol start=\"");
}

/* "<li>", the item's text (tight) or its one paragraph (loose), its nested lists, "</li>\n". A
 * task item ("<li class=…>") or an item with other blocks is not one the editor has. */
static gboolean
read_list_item (Reader     *r,
                GPtrArray  *out)
{
  g_autoptr(GPtrArray) nested = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *content = NULL;
  g_autofree char *lists = NULL;
  g_autofree char *html = NULL;

  if (!eat (r, "<li>"))
    return FALSE;
  if (eat (r, "<p>"))
    {
      if (!(content = read_inline_until (r, "</p>\n")))
        return FALSE;
    }
  else if (!(content = read_inline (r)))
    return FALSE;
  while (looking_at_list (r))
    if (!read_list (r, nested))
      return FALSE;
  if (!eat (r, "</li>\n"))
    return FALSE;
  lists = join_blocks (nested);
  html = g_strconcat ("<li>", content, lists, "</li>", NULL);
  g_ptr_array_add (out, wrap_block ("list-item", NULL, html));
  return TRUE;
}

static gboolean
read_list (Reader     *r,
           GPtrArray  *out)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *attrs = NULL;
  g_autofree char *open = NULL;
  g_autofree char *blocks = NULL;
  g_autofree char *html = NULL;
  gboolean ordered = !eat (r, "<ul>\n");
  const char *closing = ordered ? "</ol>\n" : "</ul>\n";

  if (ordered && eat (r, "<ol start=\""))
    {
      const char *digits = r->p;
      g_autofree char *start = NULL;

      while (r->p < r->end && g_ascii_isdigit (*r->p))
        r->p++;
      start = g_strndup (digits, r->p - digits);
      if (*start == '\0' || !eat (r, "\">\n"))
        return FALSE;
      /* The attributes in block.json's order: ordered, then start. */
      attrs = g_strdup_printf ("{\"ordered\":true,\"start\":%s}", start);
      open = g_strdup_printf ("<ol start=\"%s\">", start);
    }
  else if (ordered)
    {
      if (!eat (r, "<ol>\n"))
        return FALSE;
      attrs = g_strdup ("{\"ordered\":true}");
      open = g_strdup ("<ol>");
    }
  else
    open = g_strdup ("<ul>");

  while (!eat (r, closing))
    if (!read_list_item (r, items))
      return FALSE;
  blocks = join_blocks (items);
  html = g_strconcat (open, blocks, ordered ? "</ol>" : "</ul>", NULL);
  g_ptr_array_add (out, wrap_block ("list", attrs, html));
  return TRUE;
}

static gboolean
read_table_row (Reader  *r,
                GString *html)
{
  if (!eat (r, "<tr>\n"))
    return FALSE;
  g_string_append (html, "<tr>");
  while (!eat (r, "</tr>\n"))
    {
      static const char *const aligns[] = { "left", "center", "right" };
      const char *tag = looking_at (r, "<th") ? "th" : "td";
      const char *align = NULL;
      g_autofree char *closing = g_strdup_printf ("</%s>\n", tag);
      g_autofree char *content = NULL;

      if (!eat (r, "<th") && !eat (r, "<td"))
        return FALSE;
      for (guint i = 0; i < G_N_ELEMENTS (aligns) && align == NULL; i++)
        {
          g_autofree char *attribute = g_strdup_printf (" align=\"%s\">", aligns[i]);

          if (eat (r, attribute))
            align = aligns[i];
        }
      if (align == NULL && !eat (r, ">"))
        return FALSE;
      if (!(content = read_inline_until (r, closing)))
        return FALSE;
      if (align != NULL)
        g_string_append_printf (html, "<%s class=\"has-text-align-%s\" data-align=\"%s\">", tag,
                                align, align);
      else
        g_string_append_printf (html, "<%s>", tag);
      g_string_append_printf (html, "%s</%s>", content, tag);
    }
  g_string_append (html, "</tr>");
  return TRUE;
}

static gboolean
read_table (Reader     *r,
            GPtrArray  *out)
{
  static const char *const sections[] = { "thead", "tbody" };
  g_autoptr(GString) html = g_string_new ("<figure class=\"wp-block-table\"><table>");

  r->p += strlen ("<table>\n");
  for (guint i = 0; i < G_N_ELEMENTS (sections); i++)
    {
      g_autofree char *open = g_strdup_printf ("<%s>\n", sections[i]);
      g_autofree char *closing = g_strdup_printf ("</%s>\n", sections[i]);

      if (!eat (r, open))
        continue;
      g_string_append_printf (html, "<%s>", sections[i]);
      while (!eat (r, closing))
        if (!read_table_row (r, html))
          return FALSE;
      g_string_append_printf (html, "</%s>", sections[i]);
    }
  if (!eat (r, "</table>\n"))
    return FALSE;
  g_string_append (html, "</table></figure>");
  g_ptr_array_add (out, wrap_block ("table", NULL, html->str));
  return TRUE;
}

/* Blocks up to @closing (read too), or to the end when NULL. */
static gboolean
read_blocks (Reader     *r,
             const char *closing,
             GPtrArray  *out)
{
  for (;;)
    {
      gboolean ok;

      if (closing == NULL ? r->p >= r->end : eat (r, closing))
        return TRUE;
      if (eat (r, "<p>"))
        ok = read_paragraph (r, out);
      else if (eat (r, "<hr>\n"))
        {
          g_ptr_array_add (out, wrap_block ("separator", NULL,
                                            "<hr class=\"wp-block-separator "
                                            "has-alpha-channel-opacity\"/>"));
          ok = TRUE;
        }
      else if (looking_at (r, "<h"))
        ok = read_heading (r, out);
      else if (looking_at (r, "<pre><code"))
        ok = read_code (r, out);
      else if (looking_at (r, "<blockquote>\n"))
        ok = read_quote (r, out);
      else if (looking_at_list (r))
        ok = read_list (r, out);
      else if (looking_at (r, "<table>\n"))
        ok = read_table (r, out);
      else
        ok = FALSE;
      if (!ok)
        return FALSE;
    }
}

/* The first start tag <@name …> at or after @p, any case; NULL if none. */
static const char *
find_start_tag (const char *p,
                const char *end,
                const char *name)
{
  gsize n = strlen (name);

  for (; (p = memchr (p, '<', end - p)) != NULL; p++)
    if ((gsize) (end - p) > n + 1 && g_ascii_strncasecmp (p + 1, name, n) == 0
        && (g_ascii_isspace (p[n + 1]) || p[n + 1] == '>' || p[n + 1] == '/'))
      return p;
  return NULL;
}

/* Raw HTML with the <tbody> the browser adds around the rows of a table written without one
 * (<table><tr>…), as hand-written tables often are: the editor checks an HTML block against the
 * browser's reading of it, which has the <tbody>. Only plain tables, rows alone between
 * <table> and </table>, are changed; anything else is left for the browser. */
static char *
add_implied_tbody (const char *html)
{
  static const char *const sections[] = {
    "thead", "tbody", "tfoot", "caption", "colgroup", "col", "table"
  };
  GString *out = g_string_new (NULL);
  const char *end = html + strlen (html);
  const char *p = html;
  const char *table;

  while ((table = find_start_tag (p, end, "table")) != NULL)
    {
      const char *open_end = strchr (table, '>');
      /* (An end tag in capitals is not looked for: such a table is left alone.) */
      const char *close = open_end ? g_strstr_len (open_end, end - open_end, "</table") : NULL;
      const char *first_row = open_end ? find_start_tag (open_end, end, "tr") : NULL;
      const char *q;
      gboolean plain = close != NULL && first_row != NULL && first_row < close;

      for (q = open_end ? open_end + 1 : end; plain && q < first_row; q++)
        plain = g_ascii_isspace (*q);
      for (guint i = 0; plain && i < G_N_ELEMENTS (sections); i++)
        {
          const char *section = find_start_tag (open_end, close, sections[i]);

          plain = section == NULL;
        }
      if (!plain)
        {
          g_string_append_len (out, p, table + 1 - p);
          p = table + 1;
          continue;
        }
      g_string_append_len (out, p, first_row - p);
      g_string_append (out, "<tbody>");
      g_string_append_len (out, first_row, close - first_row);
      g_string_append (out, "</tbody>");
      p = close;
    }
  g_string_append (out, p);
  return g_string_free (out, FALSE);
}

/* @text as a JSON string the way serialize () writes attributes: JSON.stringify (), then "--",
 * '<', '>', '&' and '\"' as \u escapes, so that nothing in it ends or breaks the comment. */
static void
append_json_string (GString    *out,
                    const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '-' && p[1] == '-')
        {
          g_string_append (out, "\\u002d\\u002d");
          p++;
        }
      else if (*p == '"')
        g_string_append (out, "\\u0022");
      else if (*p == '\\')
        g_string_append (out, "\\\\");
      else if (*p == '<' || *p == '>' || *p == '&')
        g_string_append_printf (out, "\\u%04x", (guint) * p);
      else if (*p == '\t')
        g_string_append (out, "\\t");
      else if ((guchar) *p < 0x20)
        g_string_append_printf (out, "\\u%04x", (guint) * p);
      else
        g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

/* WordPress's "Read more" and page breaks, raw HTML comments in Markdown, as the blocks the
 * editor has for them (their save () writes the comment alone); NULL for any other HTML. */
static char *
page_break_block (const char *html)
{
  g_autoptr(GString) attrs = NULL;
  g_autofree char *text = NULL;

  if (strcmp (html, "<!--nextpage-->") == 0)
    return wrap_block ("nextpage", NULL, html);
  if (strcmp (html, "<!--more-->") == 0)
    return wrap_block ("more", NULL, html);
  /* "<!--more Keep reading-->": its text is the block's customText. */
  if (!g_str_has_prefix (html, "<!--more ") || !g_str_has_suffix (html, "-->")
      || strchr (html, '\n') != NULL)
    return NULL;
  text = g_strndup (html + strlen ("<!--more "),
                    strlen (html) - strlen ("<!--more ") - strlen ("-->"));
  if (*text == '\0' || strstr (text, "--") != NULL || text[strlen (text) - 1] == '-')
    return NULL;
  attrs = g_string_new ("{\"customText\":");
  append_json_string (attrs, text);
  g_string_append_c (attrs, '}');
  return wrap_block ("more", attrs->str, html);
}

char *
byline_wp_blocks_render (const char                *text,
                         gssize                     length,
                         BylineWpBlocksMediaIdFunc  media_id,
                         gpointer                   user_data)
{
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GPtrArray) out = g_ptr_array_new_with_free_func (g_free);

  g_return_val_if_fail (text != NULL || length == 0, NULL);

  blocks = byline_markdown_render_blocks (text, length);
  for (guint i = 0; i < blocks->len; i++)
    {
      BylineBlock *block = g_ptr_array_index (blocks, i);
      gsize size = strlen (block->html);
      Reader r = { block->html, block->html + size, media_id, user_data };
      const char *start = block->html;
      guint before = out->len;

      if (read_blocks (&r, NULL, out))
        continue;
      /* Not what md4c writes for Markdown: the whole block, as it is, in an HTML block, without
       * the white space around it (an HTML block may be indented by up to three spaces), which
       * the editor trims too. */
      g_ptr_array_set_size (out, before);
      while (size > 0 && g_ascii_isspace (block->html[size - 1]))
        size--;
      while (size > 0 && g_ascii_isspace (*start))
        {
          start++;
          size--;
        }
      if (size > 0)
        {
          g_autofree char *html = g_strndup (start, size);
          g_autofree char *with_tbody = NULL;
          char *page_break = page_break_block (html);

          if (page_break != NULL)
            g_ptr_array_add (out, page_break);
          else
            {
              with_tbody = add_implied_tbody (html);
              g_ptr_array_add (out, wrap_block ("html", NULL, with_tbody));
            }
        }
    }
  return join_blocks (out);
}
