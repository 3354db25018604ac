/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-client-discovery.c: finding a WordPress site's REST API from the address of its home
 * page, and what its index says about the site. */

#define G_LOG_DOMAIN "byline-wp-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "byline-wp-client-private.h"

BylineWpSite *
byline_wp_site_copy (const BylineWpSite *site)
{
  BylineWpSite *copy = g_new0 (BylineWpSite, 1);

  copy->name = g_strdup (site->name);
  copy->description = g_strdup (site->description);
  copy->url = g_strdup (site->url);
  copy->home = g_strdup (site->home);
  copy->api_root = g_strdup (site->api_root);
  copy->gmt_offset = site->gmt_offset;
  copy->timezone_string = g_strdup (site->timezone_string);
  copy->authorization_endpoint = g_strdup (site->authorization_endpoint);
  return copy;
}

void
byline_wp_site_free (BylineWpSite *site)
{
  if (site == NULL)
    return;
  g_free (site->name);
  g_free (site->description);
  g_free (site->url);
  g_free (site->home);
  g_free (site->api_root);
  g_free (site->timezone_string);
  g_free (site->authorization_endpoint);
  g_free (site);
}

G_DEFINE_BOXED_TYPE (BylineWpSite, byline_wp_site, byline_wp_site_copy, byline_wp_site_free)

typedef struct {
  BylineWpClient *client;       /* anonymous, only for its session */
  char           *address;      /* what the person typed, for messages */
  GPtrArray      *candidates;   /* API roots to try, in order */
  guint           next;
  GError         *wp_error;     /* WordPress's own refusal of an index, the best thing to report */
  GError         *net_error;    /* or else why an index could not be fetched */
} Discovery;

static void
discovery_free (Discovery *discovery)
{
  g_clear_object (&discovery->client);
  g_free (discovery->address);
  g_clear_pointer (&discovery->candidates, g_ptr_array_unref);
  g_clear_error (&discovery->wp_error);
  g_clear_error (&discovery->net_error);
  g_free (discovery);
}

char *
_byline_wp_normalize_address (const char *address)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (address));
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (trimmed[0] == '\0')
    return NULL;
  with_scheme = strstr (trimmed, "://") ? g_strdup (trimmed)
                                        : g_strconcat ("https://", trimmed, NULL);
  uri = g_uri_parse (with_scheme, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return NULL;
  return g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO | G_URI_HIDE_FRAGMENT);
}

/* Whether a Link's parameters (what follows its <target>) have rel="https://api.w.org/" (among
 * others, perhaps: rel="shortlink https://api.w.org/"). */
static gboolean
link_params_have_api_rel (const char *params)
{
  GHashTable *table = soup_header_parse_semi_param_list (params);
  const char *rel = g_hash_table_lookup (table, "rel");
  g_auto(GStrv) rels = rel ? g_strsplit_set (rel, " \t", -1) : NULL;

  soup_header_free_param_list (table);
  return rels != NULL && g_strv_contains ((const char * const *) rels, "https://api.w.org/");
}

/* The target of the Link with rel="https://api.w.org/" in @header ("<a>; rel=x, <b>; rel=y"). */
static char *
find_api_link (const char *header)
{
  GSList *links = soup_header_parse_list (header);
  char *target = NULL;

  for (GSList *l = links; l != NULL && target == NULL; l = l->next)
    {
      g_autoptr(GString) link = g_string_new (l->data);
      const char *close;

      /* A comma inside the <target> separates nothing: join the pieces again. */
      while (link->str[0] == '<' && strchr (link->str, '>') == NULL && l->next != NULL)
        {
          l = l->next;
          g_string_append_printf (link, ",%s", (const char *) l->data);
        }
      if (link->str[0] != '<' || (close = strchr (link->str, '>')) == NULL)
        continue;
      if (link_params_have_api_rel (close + 1))
        target = g_strstrip (g_strndup (link->str + 1, close - link->str - 1));
    }
  soup_header_free_list (links);
  return target;
}

char *
_byline_wp_api_root_from_link (GUri       *home,
                               const char *header)
{
  g_autofree char *link = NULL;
  g_autoptr(GUri) resolved = NULL;

  if (header == NULL || (link = find_api_link (header)) == NULL)
    return NULL;
  resolved = g_uri_parse_relative (home, link, SOUP_HTTP_URI_FLAGS, NULL);
  /* The target is the site's to choose, but an API root is only ever asked over http(s):
   * "javascript:…", "file:…" or "http:foo" (no host) name none. */
  if (resolved == NULL
      || (g_ascii_strcasecmp (g_uri_get_scheme (resolved), "http") != 0
          && g_ascii_strcasecmp (g_uri_get_scheme (resolved), "https") != 0)
      || g_uri_get_host (resolved) == NULL || g_uri_get_host (resolved)[0] == '\0')
    return NULL;
  return g_uri_to_string (resolved);
}

static void
add_candidate (Discovery  *discovery,
               const char *api_root)
{
  for (guint i = 0; i < discovery->candidates->len; i++)
    if (g_str_equal (g_ptr_array_index (discovery->candidates, i), api_root))
      return;
  g_ptr_array_add (discovery->candidates, g_strdup (api_root));
}

static double
number_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return (double) json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return json_node_get_double (node);
    case G_TYPE_STRING:
      /* Some sites keep the option as a string: "5.5". */
      return g_ascii_strtod (json_node_get_string (node), NULL);
    default:
      return 0;
    }
}

static const char *
string_at (JsonObject  *object,
           const char  *first,
           ...)
{
  const char *name = first;
  JsonNode *node = NULL;
  va_list args;

  va_start (args, first);
  while (name != NULL)
    {
      if (object == NULL)
        {
          node = NULL;
          break;
        }
      node = json_object_get_member (object, name);
      name = va_arg (args, const char *);
      object = (node != NULL && JSON_NODE_HOLDS_OBJECT (node)) ? json_node_get_object (node) : NULL;
    }
  va_end (args);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

BylineWpSite *
_byline_wp_site_from_index (JsonNode   *node,
                            const char *api_root)
{
  g_autoptr(BylineWpSite) site = NULL;
  JsonObject *object;
  JsonNode *namespaces;
  gboolean has_wp_v2 = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  namespaces = json_object_get_member (object, "namespaces");
  if (namespaces == NULL || !JSON_NODE_HOLDS_ARRAY (namespaces))
    return NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (namespaces)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (namespaces), i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING
          && g_str_equal (json_node_get_string (element), "wp/v2"))
        has_wp_v2 = TRUE;
    }
  if (!has_wp_v2)
    return NULL;

  site = g_new0 (BylineWpSite, 1);
  site->name = _byline_wp_html_to_text (or_empty (string_at (object, "name", NULL)));
  site->description = _byline_wp_html_to_text (or_empty (string_at (object, "description", NULL)));
  site->url = g_strdup (or_empty (string_at (object, "url", NULL)));
  site->home = g_strdup (string_at (object, "home", NULL));
  if (site->home == NULL)
    site->home = g_strdup (site->url);
  site->api_root = g_strdup (api_root);
  site->gmt_offset = number_member (object, "gmt_offset");
  site->timezone_string = g_strdup (or_empty (string_at (object, "timezone_string", NULL)));
  site->authorization_endpoint = g_strdup (string_at (object, "authentication",
                                                      "application-passwords", "endpoints",
                                                      "authorization", NULL));
  return g_steal_pointer (&site);
}

static void discovery_try_next (GTask *task);

static void
discovery_index_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Discovery *discovery = g_task_get_task_data (task);
  const char *api_root = g_ptr_array_index (discovery->candidates, discovery->next - 1);
  g_autoptr(BylineWpAnswer) answer = NULL;
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  BylineWpSite *site;

  answer = _byline_wp_client_exchange_finish (BYLINE_WP_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_clear_error (&discovery->net_error);
      discovery->net_error = g_steal_pointer (&error);
      discovery_try_next (g_steal_pointer (&task));
      return;
    }

  node = _byline_wp_answer_process (answer, &info, NULL, &error);
  if (node != NULL && (site = _byline_wp_site_from_index (node, api_root)) != NULL)
    {
      g_task_return_pointer (task, site, (GDestroyNotify) byline_wp_site_free);
      return;
    }

  /* WordPress answering with its own error (a plugin that closes the API to visitors) is
   * WordPress all the same: say what it said rather than that there is no WordPress. */
  if (node == NULL && info.wp_code != NULL && discovery->wp_error == NULL)
    discovery->wp_error = g_steal_pointer (&error);
  discovery_try_next (g_steal_pointer (&task));
}

static void
discovery_try_next (GTask *task)
{
  Discovery *discovery = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = NULL;
  const char *api_root;

  while (discovery->next < discovery->candidates->len)
    {
      api_root = g_ptr_array_index (discovery->candidates, discovery->next++);
      msg = soup_message_new ("GET", api_root);
      if (msg == NULL)
        continue;
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                    "application/json");
      _byline_wp_client_exchange_async (discovery->client, msg, FALSE,
                                        g_task_get_cancellable (task), discovery_index_cb, task);
      return;
    }

  if (discovery->wp_error != NULL)
    g_task_return_error (task, g_steal_pointer (&discovery->wp_error));
  else
    g_task_return_new_error (task, BYLINE_WP_ERROR, BYLINE_WP_ERROR_NOT_WORDPRESS,
                             _("No WordPress site was found at %s. Check the address: it is the "
                               "address of the site’s home page, such as example.org or "
                               "example.org/blog."), discovery->address);
  g_object_unref (task);
}

static void
discovery_home_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Discovery *discovery = g_task_get_task_data (task);
  g_autoptr(BylineWpAnswer) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  g_autofree char *fallback = NULL;
  g_autofree char *path = NULL;
  const char *header;
  GUri *home;

  answer = _byline_wp_client_exchange_finish (BYLINE_WP_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Where the home page really is, after redirects (to https, to a trailing slash). */
  home = soup_message_get_uri (answer->msg);
  header = soup_message_headers_get_list (soup_message_get_response_headers (answer->msg), "Link");
  if ((link = _byline_wp_api_root_from_link (home, header)) != NULL)
    add_candidate (discovery, link);

  /* Without pretty permalinks (or without the header) the API still answers at ?rest_route=/. */
  if (g_str_has_suffix (g_uri_get_path (home), "/"))
    path = g_strdup (g_uri_get_path (home));
  else
    path = g_strconcat (g_uri_get_path (home), "/", NULL);
  fallback = g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (home), NULL, g_uri_get_host (home),
                         g_uri_get_port (home), path, "rest_route=/", NULL);
  add_candidate (discovery, fallback);

  discovery_try_next (g_steal_pointer (&task));
}

void
byline_wp_client_discover_async (const char          *address,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *home = NULL;
  Discovery *discovery;

  g_return_if_fail (address != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_wp_client_discover_async);

  home = _byline_wp_normalize_address (address);
  if (home == NULL || (msg = soup_message_new ("GET", home)) == NULL)
    {
      g_task_return_new_error (task, BYLINE_WP_ERROR, BYLINE_WP_ERROR_NOT_WORDPRESS,
                               _("“%s” is not a web address. Type the address of the site’s home "
                                 "page, such as example.org."), address);
      return;
    }

  discovery = g_new0 (Discovery, 1);
  discovery->client = byline_wp_client_new (home, NULL, NULL);
  discovery->address = g_strdup (address);
  discovery->candidates = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, discovery, (GDestroyNotify) discovery_free);

  /* Only the headers matter: the rest of the page is dropped unread. */
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "text/html, application/json;q=0.9");
  _byline_wp_client_exchange_async (discovery->client, msg, TRUE, cancellable, discovery_home_cb,
                                    g_steal_pointer (&task));
}

BylineWpSite *
byline_wp_client_discover_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byline_wp_client_discover_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
