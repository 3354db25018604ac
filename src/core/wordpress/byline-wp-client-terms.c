/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-client-terms.c: a site's categories and tags: listed, and created once however many
 * drafts bring the same new one. */

#define G_LOG_DOMAIN "byline-wp-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-wp-client-private.h"

BylineWpTerm *
byline_wp_term_copy (const BylineWpTerm *term)
{
  BylineWpTerm *copy = g_memdup2 (term, sizeof *term);

  copy->name = g_strdup (term->name);
  copy->slug = g_strdup (term->slug);
  return copy;
}

void
byline_wp_term_free (BylineWpTerm *term)
{
  if (term == NULL)
    return;
  g_free (term->name);
  g_free (term->slug);
  g_free (term);
}

G_DEFINE_BOXED_TYPE (BylineWpTerm, byline_wp_term, byline_wp_term_copy, byline_wp_term_free)

BylineWpTerm *
_byline_wp_term_new_from_json (JsonNode  *node,
                               GError   **error)
{
  const char *what = _("term");
  g_autoptr(BylineWpTerm) term = g_new0 (BylineWpTerm, 1);
  JsonObject *object = _byline_wp_json_expect_object (node, what, error);

  if (object == NULL
      || !_byline_wp_json_get_int (object, what, "id", TRUE, &term->id, error)
      || !_byline_wp_json_get_string (object, what, "name", TRUE, FALSE, &term->name, error)
      || !_byline_wp_json_get_string (object, what, "slug", TRUE, FALSE, &term->slug, error)
      || !_byline_wp_json_get_int (object, what, "parent", FALSE, &term->parent, error)
      || !_byline_wp_json_get_int (object, what, "count", FALSE, &term->count, error))
    return NULL;
  return g_steal_pointer (&term);
}

static gpointer
parse_term_array (JsonNode  *node,
                  GError   **error)
{
  g_autoptr(GPtrArray) terms = NULL;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                           _("The site’s answer is not what Byline expected from WordPress: it is "
                             "not a list of categories or tags."));
      return NULL;
    }

  array = json_node_get_array (node);
  terms = g_ptr_array_new_full (json_array_get_length (array),
                                (GDestroyNotify) byline_wp_term_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      BylineWpTerm *term = _byline_wp_term_new_from_json (element, error);

      if (term == NULL)
        return NULL;
      g_ptr_array_add (terms, term);
    }
  return g_steal_pointer (&terms);
}

static gboolean
is_taxonomy (const char *taxonomy)
{
  return g_strcmp0 (taxonomy, "categories") == 0 || g_strcmp0 (taxonomy, "tags") == 0;
}

void
byline_wp_client_list_terms_async (BylineWpClient      *self,
                                   const char          *taxonomy,
                                   const char          *search,
                                   guint                page,
                                   guint                per_page,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GHashTable) query = _byline_wp_query_new ();
  g_autofree char *route = NULL;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (is_taxonomy (taxonomy));
  g_return_if_fail (per_page <= 100);

  route = g_strdup_printf ("/wp/v2/%s", taxonomy);
  g_hash_table_insert (query, "context", g_strdup ("edit"));
  if (search != NULL && *search != '\0')
    g_hash_table_insert (query, "search", g_strdup (search));
  if (page > 0)
    g_hash_table_insert (query, "page", g_strdup_printf ("%u", page));
  if (per_page > 0)
    g_hash_table_insert (query, "per_page", g_strdup_printf ("%u", per_page));
  _byline_wp_client_call_async (self, byline_wp_client_list_terms_async, "GET", route, query, NULL,
                                parse_term_array, (GDestroyNotify) g_ptr_array_unref, cancellable,
                                callback, user_data);
}

GPtrArray *
byline_wp_client_list_terms_finish (BylineWpClient        *self,
                                    GAsyncResult          *result,
                                    BylineWpResponseInfo  *info,
                                    GError               **error)
{
  return _byline_wp_client_call_finish (self, result, byline_wp_client_list_terms_async, info,
                                        error);
}

/* ensure_term: create, or take the id WordPress names when the term exists.
 *
 * Two drafts published at the same time may both bring a new tag. WordPress answers the second
 * POST of a name with term_exists, but two POSTs that cross can still both insert before either
 * sees the other. So, within this process, calls for the same term on the same site and account
 * share one request: every caller waits for it and gets its answer. Across processes, the site's
 * term_exists answer is what there is. */

typedef struct {
  char      *key;
  GPtrArray *waiters;   /* GTask, one per caller */
} TermRequest;

G_LOCK_DEFINE_STATIC (terms_in_flight);
static GHashTable *terms_in_flight;  /* key → TermRequest, while its request runs */

static char *
term_request_key (BylineWpClient *self,
                  const char     *taxonomy,
                  const char     *name,
                  gint64          parent)
{
  g_autofree char *composed = g_utf8_normalize (name, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  /* WordPress compares a new term's name with its siblings' in ASCII lower case only. */
  g_autofree char *folded = g_ascii_strdown (composed ? composed : name, -1);

  return g_strdup_printf ("%s\x1f%s\x1f%s\x1f%" G_GINT64_FORMAT "\x1f%s", self->api_root,
                          self->username ? self->username : "", taxonomy, parent, folded);
}

static void
term_request_finish (TermRequest  *request,
                     gint64        id,
                     const GError *error)
{
  G_LOCK (terms_in_flight);
  g_hash_table_remove (terms_in_flight, request->key);
  G_UNLOCK (terms_in_flight);

  for (guint i = 0; i < request->waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (request->waiters, i);

      if (error != NULL)
        g_task_return_error (waiter, g_error_copy (error));
      else
        g_task_return_int (waiter, id);
    }
  g_ptr_array_unref (request->waiters);
  g_free (request->key);
  g_free (request);
}

static void
ensure_term_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  TermRequest *request = user_data;
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) error_json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineWpTerm) term = NULL;

  node = _byline_wp_client_send_finish (BYLINE_WP_CLIENT (object), result, &info, &error_json,
                                        &error);
  if (node == NULL)
    {
      /* {"code":"term_exists","data":{"status":400,"term_id":8}} */
      if (g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_REQUEST)
          && g_strcmp0 (info.wp_code, "term_exists") == 0 && error_json != NULL)
        {
          JsonObject *root = json_node_get_object (error_json);
          JsonNode *data = json_object_get_member (root, "data");
          gint64 id = 0;

          if (data != NULL && JSON_NODE_HOLDS_OBJECT (data)
              && _byline_wp_json_get_int (json_node_get_object (data), _("term"), "term_id", TRUE,
                                          &id, NULL)
              && id > 0)
            {
              term_request_finish (request, id, NULL);
              return;
            }
        }
      term_request_finish (request, 0, error);
      return;
    }

  term = _byline_wp_term_new_from_json (node, &error);
  term_request_finish (request, term ? term->id : 0, error);
}

void
byline_wp_client_ensure_term_async (BylineWpClient      *self,
                                    const char          *taxonomy,
                                    const char          *name,
                                    gint64               parent,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *route = NULL;
  g_autofree char *key = NULL;
  TermRequest *request;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (is_taxonomy (taxonomy));
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (parent >= 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_wp_client_ensure_term_async);
  if (!g_str_equal (taxonomy, "categories"))
    parent = 0;

  key = term_request_key (self, taxonomy, name, parent);
  G_LOCK (terms_in_flight);
  if (terms_in_flight == NULL)
    terms_in_flight = g_hash_table_new (g_str_hash, g_str_equal);
  request = g_hash_table_lookup (terms_in_flight, key);
  if (request != NULL)
    {
      g_ptr_array_add (request->waiters, g_steal_pointer (&task));
      G_UNLOCK (terms_in_flight);
      return;
    }
  request = g_new0 (TermRequest, 1);
  request->key = g_steal_pointer (&key);
  request->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (request->waiters, g_steal_pointer (&task));
  g_hash_table_insert (terms_in_flight, request->key, request);
  G_UNLOCK (terms_in_flight);

  route = g_strdup_printf ("/wp/v2/%s", taxonomy);
  msg = _byline_wp_client_build_message (self, "POST", route, NULL, &error);
  if (msg == NULL)
    {
      term_request_finish (request, 0, error);
      return;
    }

  json_object_set_string_member (fields, "name", name);
  if (parent > 0)
    json_object_set_int_member (fields, "parent", parent);
  body = json_node_init_object (json_node_alloc (), fields);
  _byline_wp_message_set_json_body (msg, body);
  /* Not the first caller's cancellable: the others still want the answer. A caller that gives
   * up gets G_IO_ERROR_CANCELLED from its own task when the request ends (in its timeout). */
  _byline_wp_client_send_async (self, msg, NULL, ensure_term_cb, request);
}

gint64
byline_wp_client_ensure_term_finish (BylineWpClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  gssize id;

  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  id = g_task_propagate_int (G_TASK (result), error);
  return MAX (id, 0);
}
