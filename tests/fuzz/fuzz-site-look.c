/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-site-look.c: the site-look page sanitizer on any page.
 *
 * The input's first line (at most 200 bytes) is the post's title, the rest the page's HTML, given
 * to byline_site_look_make_template () as the page at a fixed https address. When it makes a
 * template, the template is parsed again with libxml2's HTML parser and walked; it aborts when
 * the parsed template holds a script, noscript, frame, iframe, frameset, object, embed, applet,
 * form, portal or template element, a comment, an event handler (on*), srcdoc or formaction
 * attribute, any attribute that is a javascript:, vbscript: or livescript: address, a <link> other
 * than a stylesheet, a <meta> other than a charset or viewport one that says anything to the
 * browser (http-equiv), a <base> other than its own http(s) one; when the Content-Security-
 * Policy that forbids scripts is not the first thing in <head> after the charset (a policy
 * further down does not cover what comes before it, and one outside <head> is ignored); when
 * #byline-title, #byline-content, #byline-author and #byline-date are not there exactly once, or
 * the title or content element is not empty; and when the template, read again as a page, does
 * not make a template. A page it cannot use must give the UNRECOGNISED error and nothing else. */

#include "config.h"

#include <string.h>

#include <libxml/HTMLparser.h>
#include <libxml/tree.h>

#include "byline-site-look.h"
#include "fuzz-target.h"

#define PAGE_URL "https://news.example/2013/04/hello/"
#define MAX_TITLE 200

typedef struct
{
  guint title, content, author, date;
} MarkedIds;

static const char * const forbidden_elements[] = {
  "script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
  "portal", "template", NULL
};

static gboolean
is_named (xmlNodePtr  node,
          const char *name)
{
  return node != NULL && node->type == XML_ELEMENT_NODE &&
         g_ascii_strcasecmp ((const char *) node->name, name) == 0;
}

static char *
get_attribute (xmlNodePtr  node,
               const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  char *copy = g_strdup ((const char *) value);

  xmlFree (value);
  return copy;
}

/* As a browser reads an address's scheme: after leading spaces and controls, without tabs and
 * new lines, in any case. */
static gboolean
is_script_address (const char *value)
{
  g_autoptr(GString) squeezed = g_string_new (NULL);
  const char *p = value;

  while (*p != '\0' && (guchar) *p <= 0x20)
    p++;
  for (; *p; p++)
    if (*p != '\t' && *p != '\n' && *p != '\r')
      g_string_append_c (squeezed, g_ascii_tolower (*p));
  return g_str_has_prefix (squeezed->str, "javascript:") ||
         g_str_has_prefix (squeezed->str, "vbscript:") ||
         g_str_has_prefix (squeezed->str, "livescript:");
}

static void
count_id (MarkedIds  *ids,
          xmlNodePtr  node,
          const char *id)
{
  if (g_str_equal (id, "byline-title") || g_str_equal (id, "byline-content"))
    {
      /* Where the draft goes: nothing of the captured post is left in it. */
      if (node->children != NULL)
        g_error ("#%s is not empty", id);
      if (g_str_equal (id, "byline-title"))
        ids->title++;
      else
        ids->content++;
    }
  else if (g_str_equal (id, "byline-author"))
    ids->author++;
  else if (g_str_equal (id, "byline-date"))
    ids->date++;
}

static void
check_attributes (xmlNodePtr  node,
                  MarkedIds  *ids)
{
  for (xmlAttrPtr attr = node->properties; attr != NULL; attr = attr->next)
    {
      const char *name = (const char *) attr->name;
      xmlChar *content = xmlNodeGetContent ((xmlNodePtr) attr);
      g_autofree char *value = g_strdup (content ? (const char *) content : "");

      xmlFree (content);
      if (g_ascii_strncasecmp (name, "on", 2) == 0 || g_ascii_strcasecmp (name, "srcdoc") == 0 ||
          g_ascii_strcasecmp (name, "formaction") == 0)
        g_error ("attribute %s on <%s> in the template", name, node->name);
      if (is_script_address (value))
        g_error ("script address %s=\"%s\" on <%s> in the template", name, value, node->name);
      if (g_ascii_strcasecmp (name, "id") == 0)
        count_id (ids, node, value);
    }
}

static void
check_element (xmlNodePtr  node,
               MarkedIds  *ids)
{
  for (guint i = 0; forbidden_elements[i] != NULL; i++)
    if (is_named (node, forbidden_elements[i]))
      g_error ("element <%s> in the template", node->name);
  if (is_named (node, "link"))
    {
      g_autofree char *rel = get_attribute (node, "rel");
      g_auto(GStrv) tokens = g_strsplit_set (rel ? rel : "", " \t\n\r\f", -1);
      gboolean stylesheet = FALSE;

      for (guint i = 0; tokens[i] != NULL; i++)
        {
          if (g_ascii_strcasecmp (tokens[i], "alternate") == 0)
            g_error ("alternate <link rel=\"%s\"> in the template", rel);
          stylesheet = stylesheet || g_ascii_strcasecmp (tokens[i], "stylesheet") == 0;
        }
      if (!stylesheet)
        g_error ("<link rel=\"%s\"> in the template", rel ? rel : "");
    }
  check_attributes (node, ids);
}

static void
walk (xmlNodePtr  parent,
      MarkedIds  *ids,
      guint      *n_bases)
{
  for (xmlNodePtr node = parent->children; node != NULL; node = node->next)
    {
      if (node->type == XML_COMMENT_NODE || node->type == XML_PI_NODE)
        g_error ("comment or processing instruction in the template");
      if (node->type != XML_ELEMENT_NODE)
        continue;
      check_element (node, ids);
      if (is_named (node, "base"))
        (*n_bases)++;
      if (is_named (node, "meta") && xmlHasProp (node, (const xmlChar *) "http-equiv") != NULL)
        {
          g_autofree char *equiv = get_attribute (node, "http-equiv");

          /* Only the policy says something to the browser, and only from the top of <head>. */
          if (g_ascii_strcasecmp (equiv, "Content-Security-Policy") != 0 ||
              !is_named (node->parent, "head"))
            g_error ("<meta http-equiv=\"%s\"> in the template", equiv);
        }
      walk (node, ids, n_bases);
    }
}

/* The first element children of <head>, in order: the charset, the policy and the base. */
static void
check_head (xmlDocPtr doc)
{
  xmlNodePtr root = xmlDocGetRootElement (doc);
  xmlNodePtr head = NULL;
  xmlNodePtr first[3] = { NULL, };
  guint n = 0;
  g_autofree char *charset = NULL;
  g_autofree char *equiv = NULL;
  g_autofree char *policy = NULL;
  g_autofree char *base = NULL;

  g_assert_true (is_named (root, "html"));
  for (xmlNodePtr child = root->children; child != NULL && head == NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE)
      {
        if (!is_named (child, "head"))
          g_error ("<%s> before <head> in the template", child->name);
        head = child;
      }
  g_assert_nonnull (head);
  for (xmlNodePtr child = head->children; child != NULL && n < 3; child = child->next)
    if (child->type == XML_ELEMENT_NODE)
      first[n++] = child;
  g_assert_cmpuint (n, ==, 3);

  g_assert_true (is_named (first[0], "meta"));
  charset = get_attribute (first[0], "charset");
  g_assert_cmpstr (charset, ==, "utf-8");
  g_assert_true (is_named (first[1], "meta"));
  equiv = get_attribute (first[1], "http-equiv");
  policy = get_attribute (first[1], "content");
  g_assert_cmpstr (equiv, ==, "Content-Security-Policy");
  g_assert_nonnull (policy);
  g_assert_true (g_str_has_prefix (policy, "default-src 'none'; script-src 'none'; "));
  g_assert_nonnull (strstr (policy, "frame-src 'none'; form-action 'none'"));
  g_assert_true (is_named (first[2], "base"));
  base = get_attribute (first[2], "href");
  g_assert_true (g_str_has_prefix (base, "https://") || g_str_has_prefix (base, "http://"));
}

static void
check_template (const char *html,
                const char *title)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *again = NULL;
  MarkedIds ids = { 0, };
  guint n_bases = 0;
  xmlDocPtr doc;

  g_assert_true (g_utf8_validate (html, -1, NULL));
  doc = htmlReadMemory (html, (int) strlen (html), PAGE_URL, "UTF-8",
                        HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
  g_assert_nonnull (doc);
  check_head (doc);
  walk ((xmlNodePtr) doc, &ids, &n_bases);
  xmlFreeDoc (doc);

  g_assert_cmpuint (n_bases, ==, 1);
  g_assert_cmpuint (ids.title, ==, 1);
  g_assert_cmpuint (ids.content, ==, 1);
  g_assert_cmpuint (ids.author, ==, 1);
  g_assert_cmpuint (ids.date, ==, 1);

  /* The template is a post page too: its content element is still marked by its class. */
  again = byline_site_look_make_template (html, PAGE_URL, title, &error);
  g_assert_no_error (error);
  g_assert_nonnull (again);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  const char *line_end = memchr (text, '\n', MIN (size, MAX_TITLE));
  gsize title_length = line_end ? (gsize) (line_end - text) : 0;
  g_autofree char *title = g_strndup (text, title_length);
  g_autofree char *page = NULL;
  g_autofree char *html = NULL;
  g_autoptr(GError) error = NULL;

  if (line_end == NULL)
    page = g_strndup (text, size);
  else
    page = g_strndup (line_end + 1, size - title_length - 1);

  html = byline_site_look_make_template (page, PAGE_URL, title, &error);
  if (html == NULL)
    g_assert_error (error, BYLINE_SITE_LOOK_ERROR, BYLINE_SITE_LOOK_ERROR_UNRECOGNISED);
  else
    {
      g_assert_no_error (error);
      check_template (html, title);
    }
  return 0;
}
