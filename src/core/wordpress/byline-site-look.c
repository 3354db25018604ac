/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-site-look.c: a preview template captured from one of the site's own post pages.
 *
 * The capture asks the API for the latest published post, fetches its page anonymously, and keeps
 * only what makes the look: markup and styles. Every script, frame, object, form and event handler
 * goes, the page's stylesheets (same site only) are inlined, a Content-Security-Policy that allows
 * no script is put first, and the post's title and content elements are emptied and given the ids
 * that the preview's script patches. The network and parsing work runs in a worker thread with
 * its own SoupSession; only the API request uses the caller's client and thread. */

#define G_LOG_DOMAIN "byline-site-look"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <libsoup/soup.h>
#include <libxml/HTMLparser.h>
#include <libxml/HTMLtree.h>
#include <libxml/tree.h>

#include "byline-html-text.h"
#include "byline-site-look.h"

#define FETCH_TIMEOUT_SECONDS 30
#define CSP "default-src 'none'; script-src 'none'; object-src 'none'; style-src 'unsafe-inline'; " \
  "img-src data: https: http: byline-upload:; media-src https: http:; " \
  "font-src data: https: http:; frame-src 'none'; form-action 'none'"

G_DEFINE_QUARK (byline-site-look-error-quark, byline_site_look_error)

/* ---- names and the cache ---- */

char *
byline_site_look_get_cache_path (const char *cache_dir,
                                 const char *api_root)
{
  g_autofree char *hash = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (cache_dir != NULL, NULL);
  g_return_val_if_fail (api_root != NULL, NULL);

  hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, api_root, -1);
  name = g_strdup_printf ("site-look-%.32s.html", hash);
  return g_build_filename (cache_dir, name, NULL);
}

char *
byline_site_look_lookup (const char *cache_dir,
                         const char *api_root)
{
  g_autofree char *path = NULL;

  g_return_val_if_fail (cache_dir != NULL, NULL);
  g_return_val_if_fail (api_root != NULL, NULL);

  path = byline_site_look_get_cache_path (cache_dir, api_root);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return NULL;
  return g_steal_pointer (&path);
}

char *
byline_site_look_load (const char  *path,
                       char       **base_uri,
                       GError     **error)
{
  g_autofree char *contents = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (base_uri != NULL)
    *base_uri = NULL;
  if (!g_file_get_contents (path, &contents, NULL, error))
    return NULL;

  if (base_uri != NULL)
    {
      const char *start = strstr (contents, "<base href=\"");

      if (start != NULL)
        {
          const char *end;

          start += strlen ("<base href=\"");
          end = strchr (start, '"');
          if (end != NULL)
            {
              g_autofree char *raw = g_strndup (start, end - start);
              g_autoptr(GString) unescaped = g_string_new (raw);

              g_string_replace (unescaped, "&amp;", "&", 0);
              if (g_uri_is_valid (unescaped->str, G_URI_FLAGS_NONE, NULL))
                *base_uri = g_string_free (g_steal_pointer (&unescaped), FALSE);
            }
        }
    }
  return g_steal_pointer (&contents);
}

/* ---- the HTML step ---- */

static gboolean
is_tag (xmlNodePtr  node,
        const char *name)
{
  return node->type == XML_ELEMENT_NODE && g_ascii_strcasecmp ((const char *) node->name, name) == 0;
}

static char *
get_attr (xmlNodePtr  node,
          const char *name)
{
  xmlChar *value = xmlGetProp (node, (const xmlChar *) name);
  char *copy = value ? g_strdup ((const char *) value) : NULL;

  xmlFree (value);
  return copy;
}

static gboolean
has_class (xmlNodePtr  node,
           const char *class_name)
{
  g_autofree char *classes = get_attr (node, "class");
  g_auto(GStrv) tokens = NULL;

  if (classes == NULL)
    return FALSE;
  tokens = g_strsplit_set (classes, " \t\n\r\f", -1);
  return g_strv_contains ((const char * const *) tokens, class_name);
}

static gboolean
has_any_class (xmlNodePtr          node,
               const char * const *class_names)
{
  for (guint i = 0; class_names[i]; i++)
    if (has_class (node, class_names[i]))
      return TRUE;
  return FALSE;
}

/* Whether a rel attribute holds @token. */
static gboolean
rel_has (xmlNodePtr  node,
         const char *token)
{
  g_autofree char *rel = get_attr (node, "rel");
  g_auto(GStrv) tokens = NULL;

  if (rel == NULL)
    return FALSE;
  tokens = g_strsplit_set (rel, " \t\n\r\f", -1);
  for (guint i = 0; tokens[i]; i++)
    if (g_ascii_strcasecmp (tokens[i], token) == 0)
      return TRUE;
  return FALSE;
}

/* A browser ignores ASCII whitespace and control characters inside a scheme. */
static gboolean
is_script_url (const char *value)
{
  g_autoptr(GString) squeezed = g_string_new (NULL);

  for (const char *p = value; *p && squeezed->len < 16; p++)
    if ((guchar) *p > 0x20)
      g_string_append_c (squeezed, g_ascii_tolower (*p));
  return g_str_has_prefix (squeezed->str, "javascript:") || g_str_has_prefix (squeezed->str, "vbscript:")
         || g_str_has_prefix (squeezed->str, "livescript:");
}

static const char * const removed_elements[] = {
  "script", "noscript", "iframe", "frame", "frameset", "object", "embed", "applet", "form",
  "base", "portal", "template", NULL
};

static const char * const comment_classes[] = {
  "comments-area", "comment-respond", "comments", "wp-block-comments", "wp-block-post-comments",
  "wp-block-post-comments-form", "wp-block-comment-template",
  /* The captured post's own picture and its neighbours are not the draft's. */
  "wp-block-post-featured-image", "post-thumbnail", "wp-block-post-navigation-link",
  "post-navigation", NULL
};

static void
remove_node (xmlNodePtr node)
{
  xmlUnlinkNode (node);
  xmlFreeNode (node);
}

static void
clean_attributes (xmlNodePtr node)
{
  xmlAttrPtr attr = node->properties;

  while (attr != NULL)
    {
      xmlAttrPtr next = attr->next;
      const char *name = (const char *) attr->name;
      xmlChar *value = xmlNodeGetContent ((xmlNodePtr) attr);
      gboolean drop = FALSE;

      if (g_ascii_strncasecmp (name, "on", 2) == 0
          || g_ascii_strcasecmp (name, "srcdoc") == 0
          || g_ascii_strcasecmp (name, "formaction") == 0)
        drop = TRUE;
      else if (value != NULL && is_script_url ((const char *) value))
        drop = TRUE;
      /* The ids the preview patches belong to the elements chosen below, and to nothing else. */
      else if (g_ascii_strcasecmp (name, "id") == 0 && value != NULL
               && g_str_has_prefix ((const char *) value, "byline-"))
        drop = TRUE;

      xmlFree (value);
      if (drop)
        xmlRemoveProp (attr);
      attr = next;
    }
}

static gboolean
is_void_element (xmlNodePtr node)
{
  static const char * const void_elements[] = {
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", NULL
  };

  for (guint i = 0; void_elements[i] != NULL; i++)
    if (is_tag (node, void_elements[i]))
      return TRUE;
  return FALSE;
}

/* A <style>'s text with every "</" written "<\/". An end tag inside it (</style>, in any letter
 * case, which libxml2 may leave in the text of a page's own <style>) would end the element early
 * once written and let the rest be read as the page's own HTML. "</" has no use in CSS outside
 * strings and comments, where "<\/" reads the same. */
static void
set_style_text (xmlNodePtr  style,
                const char *css)
{
  g_autoptr(GString) safe = g_string_new (css);

  g_string_replace (safe, "</", "<\\/", 0);
  while (style->children != NULL)
    remove_node (style->children);
  xmlAddChild (style, xmlNewDocText (style->doc, (const xmlChar *) safe->str));
}

/* Removes what may run, load a frame or submit, and what only comments need. Stylesheet links
 * are collected into @links in document order; other links go. */
static void
clean_tree (xmlNodePtr  parent,
            GPtrArray  *links)
{
  xmlNodePtr child = parent->children;

  while (child != NULL)
    {
      xmlNodePtr next;

      /* libxml2 drops a prefix ("<a:meta>" is a <meta>) and lets such an empty element hold what
       * follows, which its writer then leaves out: out after it, as a browser has it. */
      if (child->type == XML_ELEMENT_NODE && child->children != NULL && is_void_element (child))
        while (child->last != NULL)
          {
            xmlNodePtr last = child->last;

            xmlUnlinkNode (last);
            xmlAddNextSibling (child, last);
          }
      next = child->next;

      /* libxml2 reads "<o:6>" as "6" in the namespace "o" and writes it back as "<6>", which a
       * browser reads as text, its end tag too: wherever that lands (inside the content element,
       * when libxml2 leaves out an optional </li> before it) text would appear. Its children stay,
       * in its place. */
      if (child->type == XML_ELEMENT_NODE && !g_ascii_isalpha (child->name[0]))
        {
          xmlNodePtr first = child->children;

          while (child->last != NULL)
            {
              xmlNodePtr last = child->last;

              xmlUnlinkNode (last);
              xmlAddNextSibling (child, last);
            }
          if (first != NULL)
            next = first;
          remove_node (child);
          child = next;
          continue;
        }

      if (child->type == XML_COMMENT_NODE || child->type == XML_PI_NODE)
        {
          remove_node (child);
        }
      else if (child->type == XML_ELEMENT_NODE)
        {
          gboolean drop = FALSE;

          for (guint i = 0; removed_elements[i] && !drop; i++)
            drop = is_tag (child, removed_elements[i]);

          if (!drop && is_tag (child, "link"))
            {
              g_autofree char *href = get_attr (child, "href");

              if (rel_has (child, "stylesheet") && !rel_has (child, "alternate") && href != NULL
                  && !is_script_url (href) && links != NULL)
                g_ptr_array_add (links, child);
              else
                drop = TRUE;
            }
          if (!drop && is_tag (child, "meta"))
            {
              g_autofree char *charset = get_attr (child, "charset");
              g_autofree char *name = get_attr (child, "name");

              /* A kept charset or viewport must not also carry http-equiv: a refresh there would
               * take the preview to another page, which the policy does not stop. */
              drop = (charset == NULL && g_strcmp0 (name, "viewport") != 0)
                     || xmlHasProp (child, (const xmlChar *) "http-equiv") != NULL;
            }
          /* The page's <html>, <head> and <body> stay whatever their id or class: build_doc ()
           * holds on to them. */
          if (!drop && !is_tag (child, "html") && !is_tag (child, "head")
              && !is_tag (child, "body"))
            {
              g_autofree char *id = get_attr (child, "id");

              drop = g_strcmp0 (id, "comments") == 0 || g_strcmp0 (id, "respond") == 0
                     || has_any_class (child, comment_classes);
            }

          if (drop)
            remove_node (child);
          else if (is_tag (child, "style"))
            {
              xmlChar *css = xmlNodeGetContent (child);

              clean_attributes (child);
              set_style_text (child, css ? (const char *) css : "");
              xmlFree (css);
            }
          else
            {
              clean_attributes (child);
              clean_tree (child, links);
            }
        }
      child = next;
    }
}

static xmlNodePtr
find_element (xmlNodePtr   node,
              gboolean   (*match)(xmlNodePtr node, gconstpointer data),
              gconstpointer data)
{
  for (xmlNodePtr child = node->children; child; child = child->next)
    {
      xmlNodePtr found;

      if (child->type != XML_ELEMENT_NODE)
        continue;
      if (match (child, data))
        return child;
      found = find_element (child, match, data);
      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Whether the draft's text, title, date or author can go into @node: not an element that holds
 * nothing (a <meta>, an <img>), nor one whose content is read as text or goes nowhere on the
 * page (a <style>, a <title>, a <textarea>). */
static gboolean
can_hold_text (xmlNodePtr node)
{
  static const char * const text_only[] = {
    "style", "script", "title", "textarea", "xmp", "iframe", "noembed", "noframes", "noscript",
    "plaintext", "template", "head", "html", "select", "option", "table", "tr", "thead", "tbody",
    "tfoot", "colgroup", NULL
  };

  if (is_void_element (node))
    return FALSE;
  for (guint i = 0; text_only[i] != NULL; i++)
    if (is_tag (node, text_only[i]))
      return FALSE;
  return TRUE;
}

/* Only an element whose name starts with a letter: libxml2 reads "<o:6>" as "6" in the namespace
 * "o" and writes it back as "<6>", which a browser reads as text, so an id given to it would be
 * lost. */
static gboolean
match_classes (xmlNodePtr    node,
               gconstpointer data)
{
  return g_ascii_isalpha (node->name[0]) && can_hold_text (node) && has_any_class (node, data);
}

static gboolean
match_tag (xmlNodePtr    node,
           gconstpointer data)
{
  return is_tag (node, data);
}

static char *
normalize_space (const char *text)
{
  g_autoptr(GString) out = g_string_new (NULL);
  gboolean space = FALSE;

  for (const char *p = text; *p; p++)
    {
      if (g_ascii_isspace (*p))
        space = TRUE;
      else
        {
          if (space && out->len > 0)
            g_string_append_c (out, ' ');
          space = FALSE;
          g_string_append_c (out, *p);
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
match_heading_text (xmlNodePtr    node,
                    gconstpointer data)
{
  static const char * const headings[] = { "h1", "h2", "h3", "h4", "h5", "h6", NULL };
  xmlChar *content;
  g_autofree char *text = NULL;
  gboolean heading = FALSE;

  for (guint i = 0; headings[i]; i++)
    heading = heading || is_tag (node, headings[i]);
  if (!heading)
    return FALSE;

  content = xmlNodeGetContent (node);
  text = normalize_space (content ? (const char *) content : "");
  xmlFree (content);
  return g_str_equal (text, data);
}

static void
empty_element (xmlNodePtr node)
{
  while (node->children != NULL)
    remove_node (node->children);
  /* An empty text, which a browser does not see: libxml2's writer leaves out the optional end
   * tag (</li>, </p>) of an element with no child at all, and what follows in the template would
   * then be read into the element the draft's text goes in. */
  xmlAddChild (node, xmlNewDocText (node->doc, (const xmlChar *) ""));
}

static xmlNodePtr
new_element (xmlDocPtr   doc,
             const char *name,
             const char *id)
{
  xmlNodePtr node = xmlNewDocNode (doc, NULL, (const xmlChar *) name, NULL);

  if (id != NULL)
    xmlSetProp (node, (const xmlChar *) "id", (const xmlChar *) id);
  return node;
}

static xmlNodePtr
get_root_child (xmlDocPtr   doc,
                const char *name)
{
  xmlNodePtr root = xmlDocGetRootElement (doc);

  for (xmlNodePtr child = root ? root->children : NULL; child; child = child->next)
    if (is_tag (child, name))
      return child;
  return NULL;
}

/* libxml2 stops reading a page at 256 nested elements (and the template, read again with the
 * elements Byline adds, may cross that where the page did not); a post page nests a few dozen. */
#define MAX_PAGE_DEPTH 200

static guint
get_depth (xmlNodePtr node)
{
  guint deepest = 0;

  for (xmlNodePtr child = node->children; child != NULL; child = child->next)
    if (child->type == XML_ELEMENT_NODE)
      {
        guint depth = get_depth (child) + 1;

        deepest = MAX (deepest, depth);
      }
  return deepest;
}

/* A second <body> in a page is merged into the first by a browser; libxml2 keeps it apart, after
 * the first. Its children go to the end of the first, as a browser has them. */
static void
merge_bodies (xmlNodePtr body)
{
  xmlNodePtr next;

  for (xmlNodePtr other = body->next; other != NULL; other = next)
    {
      next = other->next;
      if (!is_tag (other, "body"))
        continue;
      while (other->children != NULL)
        {
          xmlNodePtr first = other->children;

          xmlUnlinkNode (first);
          xmlAddChild (body, first);
        }
      remove_node (other);
    }
}

static xmlNodePtr
ensure_head (xmlDocPtr doc)
{
  xmlNodePtr root = xmlDocGetRootElement (doc);
  xmlNodePtr head = get_root_child (doc, "head");

  if (head == NULL)
    head = new_element (doc, "head", NULL);
  else if (head == root->children)
    return head;
  else
    xmlUnlinkNode (head);
  /* First in <html>: libxml2 can put a late <head> after <body>, and a browser reads what is in
   * it as part of the body, where the policy <meta> is ignored. */
  if (root->children != NULL)
    xmlAddPrevSibling (root->children, head);
  else
    xmlAddChild (root, head);
  return head;
}

static void
prepend_child (xmlNodePtr parent,
               xmlNodePtr child)
{
  if (parent->children != NULL)
    xmlAddPrevSibling (parent->children, child);
  else
    xmlAddChild (parent, child);
}

static const char * const title_classes[] = { "wp-block-post-title", "entry-title", "post-title", NULL };
static const char * const content_classes[] = {
  "wp-block-post-content", "entry-content", "post-content", "article-content", "post-body", NULL
};
static const char * const date_classes[] = { "wp-block-post-date", "posted-on", "entry-date", NULL };
static const char * const author_classes[] = { "wp-block-post-author-name", "wp-block-post-author__name", "entry-author", "author-name", NULL };

/* Whether @node is @other or holds it: emptying @node would take @other away. */
static gboolean
holds (xmlNodePtr node,
       xmlNodePtr other)
{
  for (; other != NULL; other = other->parent)
    if (other == node)
      return TRUE;
  return FALSE;
}

/* Gives @id to the element of @classes (or its <time>), emptied, and returns it; NULL when there
 * is none, or when it holds one of the elements already marked (@marked, NULL-terminated). */
static xmlNodePtr
mark_meta (xmlNodePtr          body,
           const char * const *classes,
           const char         *inner_tag,
           const char         *id,
           const xmlNodePtr   *marked)
{
  xmlNodePtr node = find_element (body, match_classes, classes);

  if (node == NULL)
    return NULL;
  if (inner_tag != NULL)
    {
      xmlNodePtr inner = find_element (node, match_tag, inner_tag);

      if (inner != NULL)
        node = inner;
    }
  for (guint i = 0; marked[i] != NULL; i++)
    if (holds (node, marked[i]))
      return NULL;
  empty_element (node);
  xmlSetProp (node, (const xmlChar *) "id", (const xmlChar *) id);
  return node;
}

/* Parses and cleans the page; the stylesheet links left in it go to @links (nullable). */
/* libxml2 keeps C0 control characters where it reads them but its writer leaves them out, so
 * what was checked ("b\x18yline-content") would not be what the template says ("byline-content").
 * They mean nothing in a page: they go before it is read, a form feed becoming the space it is. */
static void
drop_control_characters (char *html)
{
  char *out = html;

  for (const char *in = html; *in != '\0'; in++)
    {
      if (*in == '\f')
        *out++ = ' ';
      else if ((guchar) *in >= 0x20 || *in == '\t' || *in == '\n' || *in == '\r')
        *out++ = *in;
    }
  *out = '\0';
}

static xmlDocPtr
build_doc (const char  *page_html,
           gsize        page_len,
           const char  *page_url,
           const char  *title,
           char       **base_out,
           GPtrArray   *links,
           GError     **error)
{
  xmlDocPtr doc;
  xmlNodePtr body, head, title_node, content_node, date_node, node;
  g_autofree char *norm_title = title ? normalize_space (title) : NULL;
  g_autofree char *base = g_strdup (page_url);
  /* Bytes that are not UTF-8 would make libxml2 keep them as they are, and its writer then stop
   * at the first one, leaving a template cut short. */
  g_autofree char *valid_html = g_utf8_make_valid (page_html, MIN (page_len, (gsize) G_MAXINT));
  gboolean has_author, has_date;

  drop_control_characters (valid_html);

  doc = htmlReadMemory (valid_html, (int) strlen (valid_html), page_url, "UTF-8",
                        HTML_PARSE_NONET | HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING);
  if (doc == NULL || xmlDocGetRootElement (doc) == NULL || (body = get_root_child (doc, "body")) == NULL
      || get_depth ((xmlNodePtr) doc) > MAX_PAGE_DEPTH)
    {
      if (doc != NULL)
        xmlFreeDoc (doc);
      g_set_error (error, BYLINE_SITE_LOOK_ERROR, BYLINE_SITE_LOOK_ERROR_UNRECOGNISED,
                   "The page at %s is not an HTML page Byline can read", page_url);
      return NULL;
    }
  merge_bodies (body);

  /* The page's own <base>, if any, decides where its relative addresses lead. */
  head = get_root_child (doc, "head");
  node = head ? find_element (head, match_tag, "base") : NULL;
  if (node != NULL)
    {
      g_autofree char *href = get_attr (node, "href");
      g_autofree char *resolved = href && !is_script_url (href)
                                  ? g_uri_resolve_relative (page_url, href, G_URI_FLAGS_NONE, NULL)
                                  : NULL;

      if (resolved != NULL && (g_str_has_prefix (resolved, "http://") || g_str_has_prefix (resolved, "https://")))
        {
          g_free (base);
          base = g_steal_pointer (&resolved);
        }
    }

  clean_tree ((xmlNodePtr) doc, links);

  /* The content element first: without it, the page is no post page Byline understands. */
  content_node = find_element (body, match_classes, content_classes);
  if (content_node == NULL)
    content_node = find_element (body, match_classes, (const char * const []) { "hentry", NULL });
  if (content_node == NULL)
    {
      xmlFreeDoc (doc);
      g_set_error (error, BYLINE_SITE_LOOK_ERROR, BYLINE_SITE_LOOK_ERROR_UNRECOGNISED,
                   "The post's content was not found in the page at %s", page_url);
      return NULL;
    }
  empty_element (content_node);
  xmlSetProp (content_node, (const xmlChar *) "id", (const xmlChar *) "byline-content");

  title_node = NULL;
  if (norm_title != NULL && *norm_title != '\0')
    title_node = find_element (body, match_heading_text, norm_title);
  if (title_node == NULL)
    title_node = find_element (body, match_classes, title_classes);
  /* Not inside the content, which is the draft's, nor around it: emptying it would take the
   * content element away with it. */
  if (title_node != NULL && (holds (content_node, title_node) || holds (title_node, content_node)))
    title_node = NULL;
  if (title_node != NULL)
    empty_element (title_node);
  else
    {
      title_node = new_element (doc, "h1", NULL);
      xmlAddPrevSibling (content_node, title_node);
    }
  xmlSetProp (title_node, (const xmlChar *) "id", (const xmlChar *) "byline-title");

  date_node = mark_meta (body, date_classes, "time", "byline-date",
                         (const xmlNodePtr[]) { content_node, title_node, NULL });
  has_date = date_node != NULL;
  has_author = mark_meta (body, author_classes, NULL, "byline-author",
                          (const xmlNodePtr[]) { content_node, title_node, date_node, NULL })
               != NULL;
  if (!has_author || !has_date)
    {
      xmlNodePtr meta = new_element (doc, "p", NULL);

      xmlSetProp (meta, (const xmlChar *) "class", (const xmlChar *) "byline-meta");
      if (!has_author)
        xmlAddChild (meta, new_element (doc, "span", "byline-author"));
      if (!has_author && !has_date)
        xmlAddChild (meta, xmlNewDocText (doc, (const xmlChar *) " "));
      if (!has_date)
        xmlAddChild (meta, new_element (doc, "span", "byline-date"));
      xmlAddNextSibling (title_node, meta);
    }

  /* The document's title is the draft's; then the base and the policy go first in <head>. */
  head = ensure_head (doc);
  node = find_element (head, match_tag, "title");
  if (node != NULL)
    empty_element (node);
  node = new_element (doc, "base", NULL);
  xmlSetProp (node, (const xmlChar *) "href", (const xmlChar *) base);
  prepend_child (head, node);
  node = new_element (doc, "meta", NULL);
  xmlSetProp (node, (const xmlChar *) "http-equiv", (const xmlChar *) "Content-Security-Policy");
  xmlSetProp (node, (const xmlChar *) "content", (const xmlChar *) CSP);
  prepend_child (head, node);
  node = new_element (doc, "meta", NULL);
  xmlSetProp (node, (const xmlChar *) "charset", (const xmlChar *) "utf-8");
  prepend_child (head, node);

  if (base_out != NULL)
    *base_out = g_steal_pointer (&base);
  return doc;
}

/* In UTF-8, which the template's <meta charset> says. htmlDocDumpMemory () would take the
 * encoding from a Content-Type <meta> only, and without one write every other character as an
 * entity, which <style> does not read as such. */
static char *
serialize_doc (xmlDocPtr doc)
{
  xmlOutputBufferPtr buffer = xmlAllocOutputBuffer (NULL);
  char *out;

  htmlDocContentDumpFormatOutput (buffer, doc, "UTF-8", 0);
  xmlOutputBufferFlush (buffer);
  out = g_strndup ((const char *) xmlOutputBufferGetContent (buffer),
                   xmlOutputBufferGetSize (buffer));
  xmlOutputBufferClose (buffer);
  return out;
}

char *
byline_site_look_make_template (const char  *page_html,
                                const char  *page_url,
                                const char  *title,
                                GError     **error)
{
  xmlDocPtr doc;
  char *out;

  g_return_val_if_fail (page_html != NULL, NULL);
  g_return_val_if_fail (page_url != NULL, NULL);

  doc = build_doc (page_html, strlen (page_html), page_url, title, NULL, NULL, error);
  if (doc == NULL)
    return NULL;
  out = serialize_doc (doc);
  xmlFreeDoc (doc);
  return out;
}

/* ---- stylesheets ---- */

/* Makes the addresses in url(...) absolute, resolved against the stylesheet's own address: once
 * inlined, a relative one would resolve against the page. */
static char *
absolutize_css_urls (const char *css,
                     const char *css_url)
{
  g_autoptr(GString) out = g_string_new (NULL);
  const char *p = css;

  while (*p)
    {
      const char *hit = strstr (p, "url(");
      const char *start, *end;
      char quote = 0;
      g_autofree char *target = NULL;
      g_autofree char *resolved = NULL;

      if (hit == NULL)
        {
          g_string_append (out, p);
          break;
        }
      start = hit + 4;
      while (g_ascii_isspace (*start))
        start++;
      if (*start == '"' || *start == '\'')
        quote = *start++;
      end = start;
      while (*end && (quote ? *end != quote : (*end != ')' && !g_ascii_isspace (*end))))
        end++;
      if (*end == '\0')
        {
          g_string_append (out, p);
          break;
        }
      target = g_strndup (start, end - start);
      g_string_append_len (out, p, start - p);
      if (*target != '\0' && !g_str_has_prefix (target, "data:") && *target != '#')
        resolved = g_uri_resolve_relative (css_url, target, G_URI_FLAGS_NONE, NULL);
      g_string_append (out, resolved ? resolved : target);
      p = end;
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static gboolean
same_site (const char *a,
           const char *b)
{
  g_autoptr(GUri) ua = g_uri_parse (a, G_URI_FLAGS_NONE, NULL);
  g_autoptr(GUri) ub = g_uri_parse (b, G_URI_FLAGS_NONE, NULL);

  return ua != NULL && ub != NULL
         && g_ascii_strcasecmp (g_uri_get_scheme (ua), g_uri_get_scheme (ub)) == 0
         && g_uri_get_host (ua) != NULL && g_uri_get_host (ub) != NULL
         && g_ascii_strcasecmp (g_uri_get_host (ua), g_uri_get_host (ub)) == 0
         && g_uri_get_port (ua) == g_uri_get_port (ub);
}

/* A plain anonymous GET, bounded in size and (roughly) in time. @final_url gets the address
 * after redirects. */
static GBytes *
fetch (SoupSession   *session,
       const char    *url,
       gsize          limit,
       char         **final_url,
       GCancellable  *cancellable,
       GError       **error)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GInputStream) stream = NULL;
  g_autoptr(GByteArray) data = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 deadline = g_get_monotonic_time () + 2 * FETCH_TIMEOUT_SECONDS * G_USEC_PER_SEC;
  guint status;

  msg = soup_message_new ("GET", url);
  if (msg == NULL)
    {
      g_set_error (error, BYLINE_SITE_LOOK_ERROR, BYLINE_SITE_LOOK_ERROR_NETWORK,
                   "“%s” is not a web address", url);
      return NULL;
    }
  stream = soup_session_send (session, msg, cancellable, &local_error);
  if (stream == NULL)
    {
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error (error, BYLINE_SITE_LOOK_ERROR, BYLINE_SITE_LOOK_ERROR_NETWORK,
                     "Could not fetch %s: %s", url, local_error->message);
      return NULL;
    }
  status = soup_message_get_status (msg);
  if (status < 200 || status >= 300)
    {
      g_set_error (error, BYLINE_SITE_LOOK_ERROR, BYLINE_SITE_LOOK_ERROR_NETWORK,
                   "Could not fetch %s: the site answered %u", url, status);
      return NULL;
    }

  data = g_byte_array_new ();
  for (;;)
    {
      guint8 buffer[16384];
      gssize n = g_input_stream_read (stream, buffer, sizeof buffer, cancellable, &local_error);

      if (n < 0)
        {
          if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
            g_propagate_error (error, g_steal_pointer (&local_error));
          else
            g_set_error (error, BYLINE_SITE_LOOK_ERROR, BYLINE_SITE_LOOK_ERROR_NETWORK,
                         "Could not read %s: %s", url, local_error->message);
          return NULL;
        }
      if (n == 0)
        break;
      if (data->len + (gsize) n > limit)
        {
          g_set_error (error, BYLINE_SITE_LOOK_ERROR, BYLINE_SITE_LOOK_ERROR_TOO_LARGE,
                       "%s is larger than %" G_GSIZE_FORMAT " bytes", url, limit);
          return NULL;
        }
      g_byte_array_append (data, buffer, (guint) n);
      if (g_get_monotonic_time () > deadline)
        {
          g_set_error (error, BYLINE_SITE_LOOK_ERROR, BYLINE_SITE_LOOK_ERROR_NETWORK,
                       "%s took too long to arrive", url);
          return NULL;
        }
    }
  g_input_stream_close (stream, NULL, NULL);

  if (final_url != NULL)
    *final_url = g_uri_to_string (soup_message_get_uri (msg));
  return g_byte_array_free_to_bytes (g_steal_pointer (&data));
}

/* Replaces each stylesheet link with a <style> holding its text; links to other sites, past the
 * limits, or that fail are dropped. */
static void
inline_stylesheets (SoupSession  *session,
                    xmlDocPtr     doc,
                    const char   *base,
                    const char   *page_url,
                    GPtrArray    *links,
                    GCancellable *cancellable)
{
  gsize total = 0;
  guint fetched = 0;

  for (guint i = 0; i < links->len; i++)
    {
      xmlNodePtr link = g_ptr_array_index (links, i);
      g_autofree char *href = get_attr (link, "href");
      g_autofree char *media = get_attr (link, "media");
      g_autofree char *url = href ? g_uri_resolve_relative (base, href, G_URI_FLAGS_NONE, NULL) : NULL;
      g_autofree char *final_url = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *css = NULL;
      g_autofree char *text = NULL;
      xmlNodePtr style;

      if (url != NULL && same_site (url, page_url) && fetched < BYLINE_SITE_LOOK_MAX_STYLESHEETS
          && total < BYLINE_SITE_LOOK_MAX_STYLES_SIZE && !g_cancellable_is_cancelled (cancellable))
        {
          fetched++;
          bytes = fetch (session, url,
                         MIN (BYLINE_SITE_LOOK_MAX_STYLESHEET_SIZE, BYLINE_SITE_LOOK_MAX_STYLES_SIZE - total),
                         &final_url, cancellable, &error);
          if (bytes != NULL && !same_site (final_url, page_url))
            g_clear_pointer (&bytes, g_bytes_unref);
          if (error != NULL)
            g_debug ("Stylesheet left out: %s", error->message);
        }
      if (bytes == NULL)
        {
          remove_node (link);
          continue;
        }

      total += g_bytes_get_size (bytes);
      css = g_utf8_make_valid (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
      text = absolutize_css_urls (css, final_url);
      style = new_element (doc, "style", NULL);
      set_style_text (style, text);
      if (media != NULL)
        xmlSetProp (style, (const xmlChar *) "media", (const xmlChar *) media);
      xmlReplaceNode (link, style);
      xmlFreeNode (link);
    }
}

/* ---- the capture ---- */

typedef struct {
  char *cache_dir;
  char *api_root;
  char *page_url;
  char *title;
} Capture;

static void
capture_free (Capture *capture)
{
  g_free (capture->cache_dir);
  g_free (capture->api_root);
  g_free (capture->page_url);
  g_free (capture->title);
  g_free (capture);
}

static void
capture_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  Capture *capture = task_data;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GPtrArray) links = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *final_url = NULL;
  g_autofree char *base = NULL;
  g_autofree char *html = NULL;
  g_autofree char *path = NULL;
  xmlDocPtr doc;

  session = soup_session_new_with_options ("user-agent", "Byline/" PACKAGE_VERSION,
                                           "timeout", FETCH_TIMEOUT_SECONDS,
                                           "idle-timeout", 5,
                                           NULL);
  page = fetch (session, capture->page_url, BYLINE_SITE_LOOK_MAX_PAGE_SIZE, &final_url,
                cancellable, &error);
  if (page == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  doc = build_doc (g_bytes_get_data (page, NULL), g_bytes_get_size (page), final_url,
                   capture->title, &base, links, &error);
  if (doc == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  inline_stylesheets (session, doc, base, final_url, links, cancellable);
  html = serialize_doc (doc);
  xmlFreeDoc (doc);

  if (g_task_return_error_if_cancelled (task))
    return;

  path = byline_site_look_get_cache_path (capture->cache_dir, capture->api_root);
  if (g_mkdir_with_parents (capture->cache_dir, 0700) != 0
      || !g_file_set_contents_full (path, html, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0600, &error))
    {
      if (error == NULL)
        g_set_error (&error, G_IO_ERROR, g_io_error_from_errno (errno),
                     "Could not make the folder %s", capture->cache_dir);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&path), g_free);
}

static void
capture_posts_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Capture *capture = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BylineWpResponseInfo) info = { 0 };
  JsonArray *posts;
  JsonObject *post;
  const char *link = NULL;

  node = byline_wp_client_request_finish (BYLINE_WP_CLIENT (object), result, &info, &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  posts = JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  post = posts && json_array_get_length (posts) > 0
         && JSON_NODE_HOLDS_OBJECT (json_array_get_element (posts, 0))
         ? json_array_get_object_element (posts, 0) : NULL;
  if (post != NULL && json_object_has_member (post, "link")
      && JSON_NODE_HOLDS_VALUE (json_object_get_member (post, "link")))
    link = json_object_get_string_member (post, "link");
  if (link == NULL || !(g_str_has_prefix (link, "http://") || g_str_has_prefix (link, "https://")))
    {
      g_task_return_new_error (task, BYLINE_SITE_LOOK_ERROR, BYLINE_SITE_LOOK_ERROR_NO_POST,
                               "The site has no published post to take its look from");
      return;
    }
  capture->page_url = g_strdup (link);

  if (json_object_has_member (post, "title") && JSON_NODE_HOLDS_OBJECT (json_object_get_member (post, "title")))
    {
      JsonObject *title = json_object_get_object_member (post, "title");

      if (json_object_has_member (title, "rendered")
          && JSON_NODE_HOLDS_VALUE (json_object_get_member (title, "rendered")))
        {
          const char *rendered = json_object_get_string_member (title, "rendered");

          /* title.rendered is HTML: its text, entities decoded. */
          capture->title = byline_html_text_extract (rendered, -1, BYLINE_HTML_TEXT_ONE_LINE, 0);
        }
    }

  g_task_run_in_thread (task, capture_thread);
}

void
byline_site_look_capture_async (BylineWpClient      *client,
                                const char          *cache_dir,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GHashTable) query = NULL;
  GTask *task;
  Capture *capture;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (client));
  g_return_if_fail (cache_dir != NULL);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_site_look_capture_async);
  capture = g_new0 (Capture, 1);
  capture->cache_dir = g_strdup (cache_dir);
  capture->api_root = g_strdup (byline_wp_client_get_api_root (client));
  g_task_set_task_data (task, capture, (GDestroyNotify) capture_free);

  /* The view context: what anyone may read, so an anonymous client does as well. */
  query = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (query, "status", g_strdup ("publish"));
  g_hash_table_insert (query, "per_page", g_strdup ("1"));
  g_hash_table_insert (query, "_fields", g_strdup ("link,title"));
  byline_wp_client_request_async (client, "GET", "/wp/v2/posts", query, NULL, cancellable,
                                  capture_posts_cb, task);
}

char *
byline_site_look_capture_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (G_IS_TASK (result), NULL);
  g_return_val_if_fail (g_async_result_is_tagged (result, byline_site_look_capture_async), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
