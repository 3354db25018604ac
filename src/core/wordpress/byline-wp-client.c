/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-client.c: talks to one WordPress site's REST API with an Application Password.
 *
 * Three layers, each in a file of its own (byline-wp-client-private.h says what they share). An
 * exchange (-exchange.c) sends one SoupMessage and reads its answer under an overall deadline and
 * a size limit, and turns transport failures into BYLINE_WP_ERROR codes. A request (-request.c)
 * adds the credentials; its answer (-answer.c) is parsed as JSON, or mapped from its HTTP status
 * and WordPress's error object to an error. The typed calls sit on top, by what they are about:
 * posts, terms, media, and the discovery of a site's API. This file holds the object itself,
 * its settings, the URLs of routes, and who is signed in. */

#define G_LOG_DOMAIN "byline-wp-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "byline-wp-client-private.h"

enum {
  PROP_0,
  PROP_API_ROOT,
  PROP_USERNAME,
  PROP_PASSWORD,
  PROP_TIMEOUT,
  PROP_MAX_RESPONSE_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BylineWpClient, byline_wp_client, G_TYPE_OBJECT)

/* Who is signed in */

BylineWpUser *
byline_wp_user_copy (const BylineWpUser *user)
{
  BylineWpUser *copy = g_memdup2 (user, sizeof *user);

  copy->name = g_strdup (user->name);
  copy->username = g_strdup (user->username);
  return copy;
}

void
byline_wp_user_free (BylineWpUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_free (user->username);
  g_free (user);
}

G_DEFINE_BOXED_TYPE (BylineWpUser, byline_wp_user, byline_wp_user_copy, byline_wp_user_free)

gpointer
_byline_wp_user_new_from_json (JsonNode  *node,
                               GError   **error)
{
  const char *what = _("user");
  g_autoptr(BylineWpUser) user = g_new0 (BylineWpUser, 1);
  JsonObject *object = _byline_wp_json_expect_object (node, what, error);
  JsonObject *caps;

  if (object == NULL
      || !_byline_wp_json_get_int (object, what, "id", TRUE, &user->id, error)
      || !_byline_wp_json_get_string (object, what, "name", TRUE, FALSE, &user->name, error)
      || !_byline_wp_json_get_string (object, what, "username", TRUE, FALSE, &user->username,
                                      error))
    return NULL;

  /* Only in edit context, which /users/me always allows for oneself. */
  caps = _byline_wp_json_expect_object (json_object_get_member (object, "capabilities"),
                                        _("list of capabilities"), error);
  if (caps == NULL
      || !_byline_wp_json_get_bool (caps, what, "publish_posts", FALSE, &user->publish_posts, error)
      || !_byline_wp_json_get_bool (caps, what, "edit_posts", FALSE, &user->edit_posts, error)
      || !_byline_wp_json_get_bool (caps, what, "upload_files", FALSE, &user->upload_files, error)
      || !_byline_wp_json_get_bool (caps, what, "moderate_comments", FALSE,
                                    &user->moderate_comments, error)
      || !_byline_wp_json_get_bool (caps, what, "manage_categories", FALSE,
                                    &user->manage_categories, error))
    return NULL;

  return g_steal_pointer (&user);
}

void
byline_wp_client_get_me_async (BylineWpClient      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GHashTable) query = _byline_wp_query_new ();

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));

  g_hash_table_insert (query, "context", g_strdup ("edit"));
  _byline_wp_client_call_async (self, byline_wp_client_get_me_async, "GET", "/wp/v2/users/me",
                                query, NULL, _byline_wp_user_new_from_json,
                                (GDestroyNotify) byline_wp_user_free, cancellable, callback,
                                user_data);
}

BylineWpUser *
byline_wp_client_get_me_finish (BylineWpClient  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return _byline_wp_client_call_finish (self, result, byline_wp_client_get_me_async, NULL, error);
}

/* The object */

static void
byline_wp_client_update_authorization (BylineWpClient *self)
{
  g_autofree char *pair = NULL;
  g_autofree char *encoded = NULL;

  g_clear_pointer (&self->authorization, g_free);
  if (self->username == NULL || self->username[0] == '\0')
    return;
  pair = g_strdup_printf ("%s:%s", self->username, self->password ? self->password : "");
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  self->authorization = g_strdup_printf ("Basic %s", encoded);
  memset (pair, 0, strlen (pair));
  memset (encoded, 0, strlen (encoded));
}

static void
byline_wp_client_constructed (GObject *object)
{
  BylineWpClient *self = BYLINE_WP_CLIENT (object);

  G_OBJECT_CLASS (byline_wp_client_parent_class)->constructed (object);

  byline_wp_client_update_authorization (self);
}

static void
byline_wp_client_finalize (GObject *object)
{
  BylineWpClient *self = BYLINE_WP_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_free (self->api_root);
  g_free (self->username);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  if (self->authorization != NULL)
    memset (self->authorization, 0, strlen (self->authorization));
  g_free (self->authorization);

  G_OBJECT_CLASS (byline_wp_client_parent_class)->finalize (object);
}

static void
byline_wp_client_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BylineWpClient *self = BYLINE_WP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_API_ROOT:
      g_value_set_string (value, self->api_root);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_MAX_RESPONSE_SIZE:
      g_value_set_uint64 (value, self->max_response_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byline_wp_client_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BylineWpClient *self = BYLINE_WP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_API_ROOT:
      self->api_root = g_value_dup_string (value);
      break;
    case PROP_USERNAME:
      self->username = g_value_dup_string (value);
      break;
    case PROP_PASSWORD:
      self->password = g_value_dup_string (value);
      break;
    case PROP_TIMEOUT:
      byline_wp_client_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RESPONSE_SIZE:
      byline_wp_client_set_max_response_size (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byline_wp_client_class_init (BylineWpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = byline_wp_client_constructed;
  object_class->finalize = byline_wp_client_finalize;
  object_class->get_property = byline_wp_client_get_property;
  object_class->set_property = byline_wp_client_set_property;

  properties[PROP_API_ROOT] =
    g_param_spec_string ("api-root", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, G_MAXUINT / 1000, BYLINE_WP_CLIENT_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_RESPONSE_SIZE] =
    g_param_spec_uint64 ("max-response-size", NULL, NULL, 1, G_MAXSIZE,
                         BYLINE_WP_CLIENT_DEFAULT_MAX_RESPONSE_SIZE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
byline_wp_client_init (BylineWpClient *self)
{
  self->timeout = BYLINE_WP_CLIENT_DEFAULT_TIMEOUT;
  self->max_response_size = BYLINE_WP_CLIENT_DEFAULT_MAX_RESPONSE_SIZE;
  self->session = soup_session_new_with_options ("user-agent", "Byline/" PACKAGE_VERSION,
                                                 "max-conns-per-host", 4,
                                                 NULL);
  /* Credentials go on every request: WordPress never sends a challenge to answer. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_AUTH_MANAGER);
}

BylineWpClient *
byline_wp_client_new (const char *api_root,
                      const char *username,
                      const char *password)
{
  g_return_val_if_fail (api_root != NULL, NULL);

  return g_object_new (BYLINE_TYPE_WP_CLIENT,
                       "api-root", api_root,
                       "username", username,
                       "password", password,
                       NULL);
}

const char *
byline_wp_client_get_api_root (BylineWpClient *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), NULL);
  return self->api_root;
}

const char *
byline_wp_client_get_username (BylineWpClient *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), NULL);
  return self->username;
}

void
byline_wp_client_set_timeout (BylineWpClient *self,
                              guint           seconds)
{
  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (seconds > 0 && seconds <= G_MAXUINT / 1000);

  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
byline_wp_client_get_timeout (BylineWpClient *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), 0);
  return self->timeout;
}

void
byline_wp_client_set_max_response_size (BylineWpClient *self,
                                        gsize           bytes)
{
  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (bytes > 0);

  if (self->max_response_size == bytes)
    return;
  self->max_response_size = bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RESPONSE_SIZE]);
}

gsize
byline_wp_client_get_max_response_size (BylineWpClient *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), 0);
  return self->max_response_size;
}

gboolean
byline_wp_client_is_insecure (BylineWpClient *self)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *host;

  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), TRUE);

  uri = g_uri_parse (self->api_root, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return TRUE;
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
    return FALSE;

  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return FALSE;
  address = g_inet_address_new_from_string (host);
  return address == NULL || !g_inet_address_get_is_loopback (address);
}

/* The URL of a route */

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
append_param (GString    *query,
              const char *key,
              const char *value)
{
  g_autofree char *escaped_key = g_uri_escape_string (key, NULL, FALSE);
  g_autofree char *escaped_value = g_uri_escape_string (value, ",/:", FALSE);

  if (query->len > 0)
    g_string_append_c (query, '&');
  g_string_append_printf (query, "%s=%s", escaped_key, escaped_value);
}

char *
byline_wp_client_build_url (BylineWpClient *self,
                            const char     *route,
                            GHashTable     *query)
{
  g_autoptr(GUri) root = NULL;
  g_autoptr(GString) params = g_string_new (NULL);
  g_autoptr(GString) root_params = g_string_new (NULL);
  g_autofree char *rest_route = NULL;
  g_autofree char *path = NULL;
  const char *scheme;

  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), NULL);
  g_return_val_if_fail (route != NULL && route[0] == '/', NULL);

  root = g_uri_parse (self->api_root, G_URI_FLAGS_ENCODED, NULL);
  if (root == NULL || g_uri_get_host (root) == NULL || g_uri_get_host (root)[0] == '\0')
    return NULL;
  scheme = g_uri_get_scheme (root);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return NULL;

  /* "…/?rest_route=/" keeps its path and puts the route into that parameter. */
  if (g_uri_get_query (root) != NULL)
    {
      g_auto(GStrv) pairs = g_strsplit (g_uri_get_query (root), "&", -1);

      for (guint i = 0; pairs[i] != NULL; i++)
        {
          if (g_str_has_prefix (pairs[i], "rest_route="))
            {
              g_free (rest_route);
              rest_route = g_uri_unescape_string (pairs[i] + strlen ("rest_route="), NULL);
            }
          else if (pairs[i][0] != '\0')
            {
              if (root_params->len > 0)
                g_string_append_c (root_params, '&');
              g_string_append (root_params, pairs[i]);
            }
        }
    }

  if (rest_route != NULL)
    {
      gsize len = strlen (rest_route);
      g_autofree char *full = NULL;

      while (len > 0 && rest_route[len - 1] == '/')
        rest_route[--len] = '\0';
      full = g_strconcat (rest_route, route, NULL);
      append_param (params, "rest_route", full);
      path = g_strdup (g_uri_get_path (root));
    }
  else
    {
      const char *root_path = g_uri_get_path (root);
      gsize len = strlen (root_path);

      while (len > 0 && root_path[len - 1] == '/')
        len--;
      path = g_strdup_printf ("%.*s%s", (int) len, root_path, route);
    }

  if (root_params->len > 0)
    {
      if (params->len > 0)
        g_string_append_c (params, '&');
      g_string_append (params, root_params->str);
    }

  if (query != NULL && g_hash_table_size (query) > 0)
    {
      guint n_keys;
      g_autofree const char **keys = NULL;

      keys = (const char **) g_hash_table_get_keys_as_array (query, &n_keys);

      qsort (keys, n_keys, sizeof (char *), compare_strings);
      for (guint i = 0; i < n_keys; i++)
        append_param (params, keys[i], g_hash_table_lookup (query, keys[i]));
    }

  return g_uri_join (G_URI_FLAGS_ENCODED, scheme, NULL, g_uri_get_host (root),
                     g_uri_get_port (root), path, params->len > 0 ? params->str : NULL, NULL);
}
