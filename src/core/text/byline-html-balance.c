/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-html-balance.c: whether a run of HTML leaves anything open for the HTML after it.
 *
 * A tokenizer after the HTML standard's (the states that decide where markup ends: tags and
 * their quoted attributes, comments, the raw text of <script>, <style>, <textarea>...) drives
 * a model of the tree builder's stack of open elements, with the rules of the "in body"
 * insertion mode that close elements implicitly: a block-level start tag closes an open <p>,
 * <li> closes an open <li>, an end tag closes what is open above its element, and a formatting
 * element (<b>, <em>...) closed that way stays in the browser's list of active formatting
 * elements and is opened again in the text that follows, until its own end tag. What the model
 * does not follow (the adoption agency's moves when a formatting element's end tag meets a
 * block inside it, HTML breaking out of SVG or MathML, <plaintext>) makes it answer "open" for
 * good, which only costs the preview a larger block.
 *
 * Only what changes the answer is followed: attribute values are skipped, text is not looked
 * at, and names are compared in lowercase ASCII, as the tokenizer does.
 */

#include "config.h"

#include <string.h>

#include "byline-html-balance.h"

/* Deeper than this no article goes; the model gives up ("open") rather than grow. */
#define MAX_DEPTH    512
#define MAX_NAME     32

typedef enum {
  STATE_DATA,
  STATE_TAG_OPEN,
  STATE_END_TAG_OPEN,
  STATE_TAG_NAME,
  STATE_BEFORE_ATTRIBUTE,
  STATE_ATTRIBUTE_NAME,
  STATE_AFTER_ATTRIBUTE_NAME,
  STATE_BEFORE_VALUE,
  STATE_VALUE_DOUBLE,
  STATE_VALUE_SINGLE,
  STATE_VALUE_UNQUOTED,
  STATE_SELF_CLOSING,
  STATE_MARKUP_OPEN,
  STATE_MARKUP_DASH,
  STATE_COMMENT_START,
  STATE_COMMENT_START_DASH,
  STATE_COMMENT,
  STATE_COMMENT_BANG,
  STATE_BOGUS_COMMENT,
  STATE_RAW_TEXT,
  STATE_RAW_TEXT_LESS_THAN,
  STATE_RAW_TEXT_END_TAG,
  STATE_PLAINTEXT,
} State;

struct _BylineHtmlBalance
{
  GPtrArray *open;      /* names of the open elements, the current one last */
  GPtrArray *reopened;  /* formatting elements closed implicitly, opened again by the browser */
  State      state;
  char       name[MAX_NAME + 1];
  guint      name_length;
  guint      comment_dashes;
  guint      raw_text_matched; /* how much of "</name" the raw text has shown */
  guint      end_tag : 1;
  guint      self_closing : 1;
  guint      lost : 1;         /* markup the model does not follow: open for good */
};

static gboolean
is_one_of (const char        *name,
           const char *const *names)
{
  for (guint i = 0; names[i] != NULL; i++)
    if (strcmp (name, names[i]) == 0)
      return TRUE;
  return FALSE;
}

static const char *const void_elements[] = {
  "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "image", "img",
  "input", "keygen", "link", "meta", "param", "source", "track", "wbr", NULL,
};

static const char *const formatting_elements[] = {
  "a", "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
  NULL,
};

/* Start tags that close an open <p> first. */
static const char *const closes_p[] = {
  "address", "article", "aside", "blockquote", "center", "dd", "details", "dialog", "dir", "div",
  "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5",
  "h6", "header", "hgroup", "hr", "li", "listing", "main", "menu", "nav", "ol", "p", "plaintext",
  "pre", "search", "section", "summary", "table", "ul", "xmp", NULL,
};

/* End tags that close their element, and what is open above it, when it is in scope. */
static const char *const closed_in_scope[] = {
  "address", "applet", "article", "aside", "blockquote", "button", "center", "dd", "details",
  "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "header",
  "hgroup", "li", "listing", "main", "marquee", "menu", "nav", "object", "ol", "p", "pre",
  "search", "section", "summary", "ul", NULL,
};

/* The elements whose text is raw: no markup in it but its own end tag. */
static const char *const raw_text_elements[] = {
  "iframe", "noembed", "noframes", "script", "style", "textarea", "title", "xmp", NULL,
};

/* End tags that close their element, and what is open above it, within their table. */
static const char *const table_parts[] = {
  "caption", "colgroup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", NULL,
};

/* Where looking for an element "in scope" stops. */
static const char *const scope_boundaries[] = {
  "applet", "caption", "html", "marquee", "object", "table", "td", "template", "th",
  "foreignobject", "desc", "annotation-xml", "mi", "mo", "mn", "ms", "mtext", NULL,
};

/* HTML's "special" elements: an end tag for something else does not reach past them. */
static const char *const special_elements[] = {
  "address", "applet", "area", "article", "aside", "base", "basefont", "bgsound", "blockquote",
  "body", "br", "button", "caption", "center", "col", "colgroup", "dd", "details", "dir", "div",
  "dl", "dt", "embed", "fieldset", "figcaption", "figure", "footer", "form", "frame", "frameset",
  "h1", "h2", "h3", "h4", "h5", "h6", "head", "header", "hgroup", "hr", "html", "iframe", "img",
  "input", "keygen", "li", "link", "listing", "main", "marquee", "menu", "meta", "nav", "noembed",
  "noframes", "noscript", "object", "ol", "p", "param", "plaintext", "pre", "script", "search",
  "section", "select", "source", "style", "summary", "table", "tbody", "td", "template",
  "textarea", "tfoot", "th", "thead", "title", "tr", "track", "ul", "wbr", "xmp", NULL,
};

/* HTML elements that end SVG or MathML content around them: rules the model does not follow. */
static const char *const foreign_breakers[] = {
  "b", "big", "blockquote", "body", "br", "center", "code", "dd", "div", "dl", "dt", "em", "embed",
  "font", "h1", "h2", "h3", "h4", "h5", "h6", "head", "hr", "i", "img", "li", "listing", "menu",
  "meta", "nobr", "ol", "p", "pre", "ruby", "s", "small", "span", "strong", "strike", "sub",
  "sup", "table", "tt", "u", "ul", "var", NULL,
};

static gboolean
is_heading (const char *name)
{
  return name[0] == 'h' && name[1] >= '1' && name[1] <= '6' && name[2] == '\0';
}

static const char *
current (BylineHtmlBalance *self)
{
  return self->open->len > 0 ? g_ptr_array_index (self->open, self->open->len - 1) : NULL;
}

/* Inside <svg> or <math> (and not back in HTML through <foreignObject>). */
static gboolean
in_foreign_content (BylineHtmlBalance *self)
{
  for (guint i = self->open->len; i-- > 0;)
    {
      const char *name = g_ptr_array_index (self->open, i);

      if (strcmp (name, "svg") == 0 || strcmp (name, "math") == 0)
        return TRUE;
      if (strcmp (name, "foreignobject") == 0)
        return FALSE;
    }
  return FALSE;
}

/* The index of the topmost open element named @name that is in scope (nothing from
 * @boundaries, nor @extra, above it), or -1. */
static gint
find_in_scope (BylineHtmlBalance *self,
               const char        *name,
               const char        *extra)
{
  for (guint i = self->open->len; i-- > 0;)
    {
      const char *open = g_ptr_array_index (self->open, i);

      if (strcmp (open, name) == 0)
        return (gint) i;
      if (is_one_of (open, scope_boundaries) || (extra != NULL && strcmp (open, extra) == 0))
        return -1;
    }
  return -1;
}

static void
forget_reopened (BylineHtmlBalance *self,
                 const char        *name)
{
  for (guint i = self->reopened->len; i-- > 0;)
    if (strcmp (g_ptr_array_index (self->reopened, i), name) == 0)
      {
        g_ptr_array_remove_index (self->reopened, i);
        return;
      }
}

/* Closes the open elements from the current one down to index @index, included. Formatting
 * elements closed on the way, but the one at @index, are opened again by the browser. */
static void
pop_to (BylineHtmlBalance *self,
        guint              index)
{
  while (self->open->len > index)
    {
      char *name = g_ptr_array_steal_index (self->open, self->open->len - 1);

      if (self->open->len > index && is_one_of (name, formatting_elements))
        g_ptr_array_add (self->reopened, name);
      else
        g_free (name);
    }
}

static void
push (BylineHtmlBalance *self,
      const char        *name)
{
  if (self->open->len >= MAX_DEPTH)
    {
      self->lost = TRUE;
      return;
    }
  g_ptr_array_add (self->open, g_strdup (name));
}

static void
close_p_in_button_scope (BylineHtmlBalance *self)
{
  gint p = find_in_scope (self, "p", "button");

  if (p >= 0)
    pop_to (self, p);
}

/* <li> (or <dd>, <dt>) closes the one open, unless a special element other than <address>,
 * <div> or <p> lies between. */
static void
close_list_item (BylineHtmlBalance *self,
                 const char *const *items)
{
  for (guint i = self->open->len; i-- > 0;)
    {
      const char *open = g_ptr_array_index (self->open, i);

      if (is_one_of (open, items))
        {
          pop_to (self, i);
          return;
        }
      if (is_one_of (open, special_elements) && strcmp (open, "address") != 0
          && strcmp (open, "div") != 0 && strcmp (open, "p") != 0)
        return;
    }
}

static void
start_tag (BylineHtmlBalance *self,
           const char        *name,
           gboolean           self_closing)
{
  if (in_foreign_content (self))
    {
      if (is_one_of (name, foreign_breakers))
        self->lost = TRUE;
      else if (!self_closing)
        push (self, name);
      return;
    }

  if (strcmp (name, "html") == 0 || strcmp (name, "body") == 0 || strcmp (name, "head") == 0
      || strcmp (name, "frameset") == 0)
    return;

  if (is_one_of (name, closes_p))
    close_p_in_button_scope (self);

  if (strcmp (name, "li") == 0)
    close_list_item (self, (const char *const[]) { "li", NULL });
  else if (strcmp (name, "dd") == 0 || strcmp (name, "dt") == 0)
    close_list_item (self, (const char *const[]) { "dd", "dt", NULL });
  else if (is_heading (name) && current (self) != NULL && is_heading (current (self)))
    pop_to (self, self->open->len - 1);
  else if (strcmp (name, "button") == 0)
    {
      gint button = find_in_scope (self, "button", NULL);

      if (button >= 0)
        pop_to (self, button);
    }
  else if (strcmp (name, "a") == 0 || strcmp (name, "nobr") == 0)
    {
      /* A second <a> ends the first through the adoption agency: followed when the first is
       * the current element or only waits to be opened again. */
      const char *open = current (self);

      forget_reopened (self, name);
      if (open != NULL && strcmp (open, name) == 0)
        pop_to (self, self->open->len - 1);
      else if (find_in_scope (self, name, NULL) >= 0)
        self->lost = TRUE;
    }
  else if (strcmp (name, "option") == 0 || strcmp (name, "optgroup") == 0)
    {
      const char *open = current (self);

      if (open != NULL && strcmp (open, "option") == 0)
        pop_to (self, self->open->len - 1);
    }
  else if (strcmp (name, "form") == 0)
    {
      /* A form inside a form is ignored. */
      for (guint i = 0; i < self->open->len; i++)
        if (strcmp (g_ptr_array_index (self->open, i), "form") == 0)
          return;
    }

  if (is_one_of (name, void_elements))
    return;
  /* <svg/> and <math/> are whole, as SVG and MathML elements are. */
  if (self_closing && (strcmp (name, "svg") == 0 || strcmp (name, "math") == 0))
    return;

  push (self, name);

  if (is_one_of (name, raw_text_elements))
    {
      self->state = STATE_RAW_TEXT;
      self->raw_text_matched = 0;
    }
  else if (strcmp (name, "plaintext") == 0)
    {
      self->state = STATE_PLAINTEXT;
    }
}

/* The adoption agency, as far as the model follows it. */
static void
end_formatting_element (BylineHtmlBalance *self,
                        const char        *name)
{
  gint index = -1;

  for (guint i = self->open->len; i-- > 0;)
    if (strcmp (g_ptr_array_index (self->open, i), name) == 0)
      {
        index = (gint) i;
        break;
      }

  if (index < 0)
    {
      /* Not open: it leaves the list of those to open again, if it is there. */
      forget_reopened (self, name);
      return;
    }
  if (find_in_scope (self, name, NULL) != index)
    return;

  /* With a special element inside it, the browser moves that element and what is in it under
   * a copy of the formatting element, and keeps it open: not followed. */
  for (guint i = index + 1; i < self->open->len; i++)
    if (is_one_of (g_ptr_array_index (self->open, i), special_elements))
      {
        self->lost = TRUE;
        return;
      }
  pop_to (self, index);
}

static void
end_tag (BylineHtmlBalance *self,
         const char        *name)
{
  if (in_foreign_content (self))
    {
      for (guint i = self->open->len; i-- > 0;)
        {
          const char *open = g_ptr_array_index (self->open, i);

          if (strcmp (open, name) == 0)
            {
              pop_to (self, i);
              return;
            }
          if (strcmp (open, "svg") == 0 || strcmp (open, "math") == 0)
            break;
        }
      /* An HTML end tag inside SVG or MathML: not followed. */
      self->lost = TRUE;
      return;
    }

  if (is_one_of (name, formatting_elements))
    {
      end_formatting_element (self, name);
    }
  else if (strcmp (name, "form") == 0)
    {
      /* The form leaves the stack alone: what was open inside it stays open. */
      gint form = find_in_scope (self, "form", NULL);

      if (form >= 0)
        g_free (g_ptr_array_steal_index (self->open, form));
    }
  else if (is_heading (name))
    {
      for (guint i = self->open->len; i-- > 0;)
        {
          const char *open = g_ptr_array_index (self->open, i);

          if (is_heading (open))
            {
              pop_to (self, i);
              return;
            }
          if (is_one_of (open, scope_boundaries))
            return;
        }
    }
  else if (is_one_of (name, closed_in_scope))
    {
      const char *extra = strcmp (name, "p") == 0 ? "button" : NULL;
      gint index;

      if (strcmp (name, "li") == 0)
        {
          index = find_in_scope (self, "li", "ol");
          if (index < 0 || find_in_scope (self, "li", "ul") != index)
            index = -1;
        }
      else
        {
          index = find_in_scope (self, name, extra);
        }
      if (index >= 0)
        pop_to (self, index);
    }
  else if (is_one_of (name, table_parts))
    {
      for (guint i = self->open->len; i-- > 0;)
        {
          const char *open = g_ptr_array_index (self->open, i);

          if (strcmp (open, name) == 0)
            {
              pop_to (self, i);
              return;
            }
          if (strcmp (open, "table") == 0 || strcmp (open, "template") == 0
              || strcmp (open, "html") == 0)
            return;
        }
    }
  else if (strcmp (name, "br") == 0 || strcmp (name, "body") == 0 || strcmp (name, "html") == 0)
    {
      /* </br> is a <br>; </body> and </html> are ignored inside the page's content. */
    }
  else
    {
      /* Any other end tag closes the nearest element of its name, unless a special element
       * lies between. */
      for (guint i = self->open->len; i-- > 0;)
        {
          const char *open = g_ptr_array_index (self->open, i);

          if (strcmp (open, name) == 0)
            {
              pop_to (self, i);
              return;
            }
          if (is_one_of (open, special_elements))
            return;
        }
    }
}

static void
emit_tag (BylineHtmlBalance *self)
{
  char name[MAX_NAME + 1];

  memcpy (name, self->name, self->name_length);
  name[self->name_length] = '\0';
  self->state = STATE_DATA;

  if (self->end_tag)
    end_tag (self, name);
  else
    start_tag (self, name, self->self_closing);
}

static gboolean
is_space (char c)
{
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}

static void
begin_tag (BylineHtmlBalance *self,
           gboolean           end,
           char               first)
{
  self->state = STATE_TAG_NAME;
  self->end_tag = end;
  self->self_closing = FALSE;
  self->name[0] = g_ascii_tolower (first);
  self->name_length = 1;
}

/* One character of the tokenizer. Returns FALSE when @c must be read again in the new state. */
static gboolean
step (BylineHtmlBalance *self,
      char               c)
{
  switch (self->state)
    {
    case STATE_DATA:
      if (c == '<')
        self->state = STATE_TAG_OPEN;
      return TRUE;

    case STATE_TAG_OPEN:
      if (c == '!')
        self->state = STATE_MARKUP_OPEN;
      else if (c == '/')
        self->state = STATE_END_TAG_OPEN;
      else if (g_ascii_isalpha (c))
        begin_tag (self, FALSE, c);
      else if (c == '?')
        self->state = STATE_BOGUS_COMMENT;
      else
        {
          self->state = STATE_DATA;
          return FALSE;
        }
      return TRUE;

    case STATE_END_TAG_OPEN:
      if (g_ascii_isalpha (c))
        begin_tag (self, TRUE, c);
      else if (c == '>')
        self->state = STATE_DATA;
      else
        self->state = STATE_BOGUS_COMMENT;
      return TRUE;

    case STATE_TAG_NAME:
      if (is_space (c))
        self->state = STATE_BEFORE_ATTRIBUTE;
      else if (c == '/')
        self->state = STATE_SELF_CLOSING;
      else if (c == '>')
        emit_tag (self);
      else if (self->name_length < MAX_NAME)
        self->name[self->name_length++] = g_ascii_tolower (c);
      return TRUE;

    case STATE_BEFORE_ATTRIBUTE:
      if (c == '/')
        self->state = STATE_SELF_CLOSING;
      else if (c == '>')
        emit_tag (self);
      else if (!is_space (c))
        self->state = STATE_ATTRIBUTE_NAME;
      return TRUE;

    case STATE_ATTRIBUTE_NAME:
      if (is_space (c))
        self->state = STATE_AFTER_ATTRIBUTE_NAME;
      else if (c == '/')
        self->state = STATE_SELF_CLOSING;
      else if (c == '=')
        self->state = STATE_BEFORE_VALUE;
      else if (c == '>')
        emit_tag (self);
      return TRUE;

    case STATE_AFTER_ATTRIBUTE_NAME:
      if (c == '/')
        self->state = STATE_SELF_CLOSING;
      else if (c == '=')
        self->state = STATE_BEFORE_VALUE;
      else if (c == '>')
        emit_tag (self);
      else if (!is_space (c))
        self->state = STATE_ATTRIBUTE_NAME;
      return TRUE;

    case STATE_BEFORE_VALUE:
      if (c == '"')
        self->state = STATE_VALUE_DOUBLE;
      else if (c == '\'')
        self->state = STATE_VALUE_SINGLE;
      else if (c == '>')
        emit_tag (self);
      else if (!is_space (c))
        self->state = STATE_VALUE_UNQUOTED;
      return TRUE;

    case STATE_VALUE_DOUBLE:
      if (c == '"')
        self->state = STATE_BEFORE_ATTRIBUTE;
      return TRUE;

    case STATE_VALUE_SINGLE:
      if (c == '\'')
        self->state = STATE_BEFORE_ATTRIBUTE;
      return TRUE;

    case STATE_VALUE_UNQUOTED:
      if (is_space (c))
        self->state = STATE_BEFORE_ATTRIBUTE;
      else if (c == '>')
        emit_tag (self);
      return TRUE;

    case STATE_SELF_CLOSING:
      if (c == '>')
        {
          self->self_closing = TRUE;
          emit_tag (self);
          return TRUE;
        }
      self->state = STATE_BEFORE_ATTRIBUTE;
      return FALSE;

    case STATE_MARKUP_OPEN:
      if (c == '-')
        {
          self->state = STATE_MARKUP_DASH;
          return TRUE;
        }
      /* <![CDATA[ is a real section only inside SVG or MathML: not followed. */
      if (c == '[' && in_foreign_content (self))
        self->lost = TRUE;
      /* <!DOCTYPE> and anything else after "<!" ends at the next '>'. */
      self->state = STATE_BOGUS_COMMENT;
      return FALSE;

    case STATE_MARKUP_DASH:
      if (c == '-')
        {
          self->state = STATE_COMMENT_START;
          return TRUE;
        }
      self->state = STATE_BOGUS_COMMENT;
      return FALSE;

    case STATE_COMMENT_START:
      if (c == '-')
        self->state = STATE_COMMENT_START_DASH;
      else if (c == '>')
        self->state = STATE_DATA;
      else
        {
          self->state = STATE_COMMENT;
          self->comment_dashes = 0;
        }
      return TRUE;

    case STATE_COMMENT_START_DASH:
      if (c == '>')
        self->state = STATE_DATA;
      else
        {
          self->state = STATE_COMMENT;
          self->comment_dashes = c == '-' ? 2 : 0;
        }
      return TRUE;

    case STATE_COMMENT:
      if (c == '-')
        self->comment_dashes = MIN (self->comment_dashes + 1, 2);
      else if (c == '>' && self->comment_dashes == 2)
        self->state = STATE_DATA;
      else if (c == '!' && self->comment_dashes == 2)
        self->state = STATE_COMMENT_BANG;
      else
        self->comment_dashes = 0;
      return TRUE;

    case STATE_COMMENT_BANG:
      if (c == '>')
        self->state = STATE_DATA;
      else
        {
          self->state = STATE_COMMENT;
          self->comment_dashes = c == '-' ? 1 : 0;
        }
      return TRUE;

    case STATE_BOGUS_COMMENT:
      if (c == '>')
        self->state = STATE_DATA;
      return TRUE;

    case STATE_RAW_TEXT:
      if (c == '<')
        self->state = STATE_RAW_TEXT_LESS_THAN;
      return TRUE;

    case STATE_RAW_TEXT_LESS_THAN:
      if (c == '/')
        {
          self->state = STATE_RAW_TEXT_END_TAG;
          self->raw_text_matched = 0;
          return TRUE;
        }
      self->state = STATE_RAW_TEXT;
      return FALSE;

    case STATE_RAW_TEXT_END_TAG:
      {
        const char *open = current (self);
        gsize length = strlen (open);

        if (self->raw_text_matched < length && g_ascii_tolower (c) == open[self->raw_text_matched])
          {
            self->raw_text_matched++;
            return TRUE;
          }
        /* Only the element's own end tag ends its text: "</name" then a space, '/' or '>'. */
        if (self->raw_text_matched == length && (is_space (c) || c == '/' || c == '>'))
          {
            self->end_tag = TRUE;
            self->self_closing = FALSE;
            memcpy (self->name, open, length);
            self->name_length = length;
            self->state = STATE_TAG_NAME;
            return FALSE;
          }
        self->state = STATE_RAW_TEXT;
        return FALSE;
      }

    case STATE_PLAINTEXT:
      return TRUE;
    }

  g_assert_not_reached ();
}

BylineHtmlBalance *
byline_html_balance_new (void)
{
  BylineHtmlBalance *self = g_new0 (BylineHtmlBalance, 1);

  self->open = g_ptr_array_new_with_free_func (g_free);
  self->reopened = g_ptr_array_new_with_free_func (g_free);
  self->state = STATE_DATA;
  return self;
}

void
byline_html_balance_free (BylineHtmlBalance *self)
{
  if (self == NULL)
    return;

  g_ptr_array_unref (self->open);
  g_ptr_array_unref (self->reopened);
  g_free (self);
}

void
byline_html_balance_feed (BylineHtmlBalance *self,
                          const char        *html,
                          gsize              size)
{
  g_return_if_fail (self != NULL);
  g_return_if_fail (html != NULL || size == 0);

  for (gsize i = 0; i < size && !self->lost;)
    {
      /* Text outside markup is skipped a run at a time. */
      if (self->state == STATE_DATA)
        {
          const char *lt = memchr (html + i, '<', size - i);

          if (lt == NULL)
            return;
          i = lt - html;
        }
      if (step (self, html[i]))
        i++;
    }
}

gboolean
byline_html_balance_is_closed (BylineHtmlBalance *self)
{
  g_return_val_if_fail (self != NULL, FALSE);

  return !self->lost && self->state == STATE_DATA && self->open->len == 0
         && self->reopened->len == 0;
}
