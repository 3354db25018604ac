/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-client-posts.c: a site's posts: read, listed, found by slug, created, updated and
 * trashed. */

#define G_LOG_DOMAIN "byline-wp-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-wp-client-private.h"

static gpointer
parse_post (JsonNode  *node,
            GError   **error)
{
  return byline_wp_post_new_from_json (node, error);
}

static gpointer
parse_post_array (JsonNode  *node,
                  GError   **error)
{
  g_autoptr(GPtrArray) posts = NULL;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                           _("The site’s answer is not what Byline expected from WordPress: it is "
                             "not a list of posts."));
      return NULL;
    }

  array = json_node_get_array (node);
  posts = g_ptr_array_new_full (json_array_get_length (array), g_object_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      BylineWpPost *post = byline_wp_post_new_from_json (json_array_get_element (array, i), error);

      if (post == NULL)
        return NULL;
      g_ptr_array_add (posts, post);
    }
  return g_steal_pointer (&posts);
}

/* A DELETE answers with the trashed post, or with force {"deleted":true,"previous":{post}}. */
static gpointer
parse_deleted_post (JsonNode  *node,
                    GError   **error)
{
  JsonObject *object = _byline_wp_json_expect_object (node, _("post"), error);
  gboolean deleted = FALSE;

  if (object == NULL)
    return NULL;
  if (!_byline_wp_json_get_bool (object, _("post"), "deleted", FALSE, &deleted, error))
    return NULL;
  if (deleted)
    return byline_wp_post_new_from_json (json_object_get_member (object, "previous"), error);
  return byline_wp_post_new_from_json (node, error);
}

void
byline_wp_client_get_post_async (BylineWpClient      *self,
                                 gint64               id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GHashTable) query = _byline_wp_query_new ();
  g_autofree char *route = NULL;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (id > 0);

  route = g_strdup_printf ("/wp/v2/posts/%" G_GINT64_FORMAT, id);
  g_hash_table_insert (query, "context", g_strdup ("edit"));
  _byline_wp_client_call_async (self, byline_wp_client_get_post_async, "GET", route, query, NULL,
                                parse_post, g_object_unref, cancellable, callback, user_data);
}

BylineWpPost *
byline_wp_client_get_post_finish (BylineWpClient  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  return _byline_wp_client_call_finish (self, result, byline_wp_client_get_post_async, NULL, error);
}

void
byline_wp_client_list_posts_async (BylineWpClient      *self,
                                   const char * const  *statuses,
                                   const char          *search,
                                   guint                page,
                                   guint                per_page,
                                   const char          *orderby,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GHashTable) query = _byline_wp_query_new ();

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (per_page <= 100);

  g_hash_table_insert (query, "context", g_strdup ("edit"));
  if (statuses != NULL && statuses[0] != NULL)
    g_hash_table_insert (query, "status", g_strjoinv (",", (char **) statuses));
  if (search != NULL && *search != '\0')
    g_hash_table_insert (query, "search", g_strdup (search));
  if (page > 0)
    g_hash_table_insert (query, "page", g_strdup_printf ("%u", page));
  if (per_page > 0)
    g_hash_table_insert (query, "per_page", g_strdup_printf ("%u", per_page));
  if (orderby != NULL)
    g_hash_table_insert (query, "orderby", g_strdup (orderby));
  _byline_wp_client_call_async (self, byline_wp_client_list_posts_async, "GET", "/wp/v2/posts",
                                query, NULL, parse_post_array, (GDestroyNotify) g_ptr_array_unref,
                                cancellable, callback, user_data);
}

GPtrArray *
byline_wp_client_list_posts_finish (BylineWpClient        *self,
                                    GAsyncResult          *result,
                                    BylineWpResponseInfo  *info,
                                    GError               **error)
{
  return _byline_wp_client_call_finish (self, result, byline_wp_client_list_posts_async, info,
                                        error);
}

void
byline_wp_client_create_post_async (BylineWpClient      *self,
                                    JsonObject          *fields,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (fields != NULL);

  body = json_node_init_object (json_node_alloc (), fields);
  _byline_wp_client_call_async (self, byline_wp_client_create_post_async, "POST", "/wp/v2/posts",
                                NULL, body, parse_post, g_object_unref, cancellable, callback,
                                user_data);
}

BylineWpPost *
byline_wp_client_create_post_finish (BylineWpClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return _byline_wp_client_call_finish (self, result, byline_wp_client_create_post_async, NULL,
                                        error);
}

void
byline_wp_client_update_post_async (BylineWpClient      *self,
                                    gint64               id,
                                    JsonObject          *fields,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *route = NULL;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (id > 0);
  g_return_if_fail (fields != NULL);

  route = g_strdup_printf ("/wp/v2/posts/%" G_GINT64_FORMAT, id);
  body = json_node_init_object (json_node_alloc (), fields);
  _byline_wp_client_call_async (self, byline_wp_client_update_post_async, "POST", route, NULL, body,
                                parse_post, g_object_unref, cancellable, callback, user_data);
}

BylineWpPost *
byline_wp_client_update_post_finish (BylineWpClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return _byline_wp_client_call_finish (self, result, byline_wp_client_update_post_async, NULL,
                                        error);
}

void
byline_wp_client_delete_post_async (BylineWpClient      *self,
                                    gint64               id,
                                    gboolean             force,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GHashTable) query = _byline_wp_query_new ();
  g_autofree char *route = NULL;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (id > 0);

  route = g_strdup_printf ("/wp/v2/posts/%" G_GINT64_FORMAT, id);
  if (force)
    g_hash_table_insert (query, "force", g_strdup ("true"));
  _byline_wp_client_call_async (self, byline_wp_client_delete_post_async, "DELETE", route, query,
                                NULL, parse_deleted_post, g_object_unref, cancellable, callback,
                                user_data);
}

BylineWpPost *
byline_wp_client_delete_post_finish (BylineWpClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return _byline_wp_client_call_finish (self, result, byline_wp_client_delete_post_async, NULL,
                                        error);
}

void
byline_wp_client_find_posts_by_slug_async (BylineWpClient      *self,
                                           const char          *slug,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GHashTable) query = _byline_wp_query_new ();

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (slug != NULL && *slug != '\0');

  g_hash_table_insert (query, "slug", g_strdup (slug));
  g_hash_table_insert (query, "status", g_strdup ("any"));
  g_hash_table_insert (query, "context", g_strdup ("edit"));
  g_hash_table_insert (query, "per_page", g_strdup ("100"));
  _byline_wp_client_call_async (self, byline_wp_client_find_posts_by_slug_async, "GET",
                                "/wp/v2/posts", query, NULL, parse_post_array,
                                (GDestroyNotify) g_ptr_array_unref, cancellable, callback,
                                user_data);
}

GPtrArray *
byline_wp_client_find_posts_by_slug_finish (BylineWpClient  *self,
                                            GAsyncResult    *result,
                                            GError         **error)
{
  return _byline_wp_client_call_finish (self, result, byline_wp_client_find_posts_by_slug_async,
                                        NULL, error);
}
