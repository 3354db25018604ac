/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-term-cache.c: each account's categories and tags as last listed from its site.
 *
 * A newsroom's site has hundreds of them: listing them takes several requests, and none can be
 * made offline. What was listed last is kept in the store (one JSON array per account and
 * taxonomy) to be shown at once, while a fresh listing runs in the background. */

#define G_LOG_DOMAIN "byline-terms"

#include "config.h"

#include <json-glib/json-glib.h>

#include "byline-store-private.h"
#include "byline-store-term-cache-table.h"
#include "byline-term-cache.h"

#define TERMS_PER_PAGE 100
#define MAX_PAGES      50

struct _BylineTermCache
{
  GObject      parent_instance;

  BylineStore *store;
};

G_DEFINE_FINAL_TYPE (BylineTermCache, byline_term_cache, G_TYPE_OBJECT)

static gboolean
is_taxonomy (const char *taxonomy)
{
  return g_strcmp0 (taxonomy, "categories") == 0 || g_strcmp0 (taxonomy, "tags") == 0;
}

BylineTermCache *
byline_term_cache_new (BylineStore *store)
{
  BylineTermCache *self;

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);

  self = g_object_new (BYLINE_TYPE_TERM_CACHE, NULL);
  self->store = g_object_ref (store);
  return self;
}

static char *
terms_to_json (GPtrArray *terms)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_array (builder);
  for (guint i = 0; i < terms->len; i++)
    {
      const BylineWpTerm *term = g_ptr_array_index (terms, i);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, term->id);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, term->name ? term->name : "");
      json_builder_set_member_name (builder, "slug");
      json_builder_add_string_value (builder, term->slug ? term->slug : "");
      json_builder_set_member_name (builder, "parent");
      json_builder_add_int_value (builder, term->parent);
      json_builder_set_member_name (builder, "count");
      json_builder_add_int_value (builder, term->count);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* What terms_to_json wrote; NULL when it is not that (a damaged row is only a cache miss). */
static GPtrArray *
terms_from_json (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) terms = NULL;
  JsonNode *root;
  JsonArray *array;

  if (!json_parser_load_from_data (parser, text, -1, NULL)
      || !(root = json_parser_get_root (parser)) || !JSON_NODE_HOLDS_ARRAY (root))
    return NULL;
  array = json_node_get_array (root);
  terms = g_ptr_array_new_full (json_array_get_length (array),
                                (GDestroyNotify) byline_wp_term_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);
      JsonObject *object;
      BylineWpTerm *term;

      if (!JSON_NODE_HOLDS_OBJECT (node))
        return NULL;
      object = json_node_get_object (node);
      term = g_new0 (BylineWpTerm, 1);
      term->id = json_object_get_int_member_with_default (object, "id", 0);
      term->name = g_strdup (json_object_get_string_member_with_default (object, "name", ""));
      term->slug = g_strdup (json_object_get_string_member_with_default (object, "slug", ""));
      term->parent = json_object_get_int_member_with_default (object, "parent", 0);
      term->count = json_object_get_int_member_with_default (object, "count", 0);
      g_ptr_array_add (terms, term);
    }
  return g_steal_pointer (&terms);
}

GPtrArray *
byline_term_cache_load (BylineTermCache  *self,
                        gint64            account_id,
                        const char       *taxonomy,
                        gint64           *fetched_at,
                        GError          **error)
{
  BylineSqliteConnection *conn;
  g_autofree char *text = NULL;

  g_return_val_if_fail (BYLINE_IS_TERM_CACHE (self), NULL);
  g_return_val_if_fail (is_taxonomy (taxonomy), NULL);

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  text = byline_store_term_cache_table_load (conn, account_id, taxonomy, fetched_at, error);
  _byline_store_unlock (self->store);

  if (text == NULL)
    return NULL;
  return terms_from_json (text);
}

gboolean
byline_term_cache_save (BylineTermCache  *self,
                        gint64            account_id,
                        const char       *taxonomy,
                        GPtrArray        *terms,
                        GError          **error)
{
  BylineSqliteConnection *conn;
  g_autofree char *text = NULL;
  gboolean saved;

  g_return_val_if_fail (BYLINE_IS_TERM_CACHE (self), FALSE);
  g_return_val_if_fail (is_taxonomy (taxonomy), FALSE);
  g_return_val_if_fail (terms != NULL, FALSE);

  text = terms_to_json (terms);
  if (!(conn = _byline_store_lock (self->store, error)))
    return FALSE;
  saved = byline_store_term_cache_table_save (conn, account_id, taxonomy, text,
                                              g_get_real_time (), error);
  _byline_store_unlock (self->store);
  return saved;
}

/* refresh: page after page, then kept */

typedef struct {
  BylineWpClient *client;
  gint64          account_id;
  char           *taxonomy;
  GPtrArray      *terms;
  guint           page;
} Refresh;

static void
refresh_free (Refresh *refresh)
{
  g_object_unref (refresh->client);
  g_free (refresh->taxonomy);
  g_ptr_array_unref (refresh->terms);
  g_free (refresh);
}

static void refresh_next (GTask *task);

static void
list_terms_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BylineTermCache *self = g_task_get_source_object (task);
  Refresh *refresh = g_task_get_task_data (task);
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) terms = NULL;

  terms = byline_wp_client_list_terms_finish (BYLINE_WP_CLIENT (object), result, &info, &error);
  if (terms == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  for (guint i = 0; i < terms->len; i++)
    g_ptr_array_add (refresh->terms, byline_wp_term_copy (g_ptr_array_index (terms, i)));
  if (terms->len > 0 && info.total_pages > (gint64) refresh->page && refresh->page < MAX_PAGES)
    {
      refresh->page++;
      refresh_next (g_steal_pointer (&task));
      return;
    }

  if (!byline_term_cache_save (self, refresh->account_id, refresh->taxonomy, refresh->terms,
                               &error))
    g_warning ("%s", error->message);
  g_task_return_pointer (task, g_ptr_array_ref (refresh->terms),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void
refresh_next (GTask *task)
{
  Refresh *refresh = g_task_get_task_data (task);

  byline_wp_client_list_terms_async (refresh->client, refresh->taxonomy, NULL, refresh->page,
                                     TERMS_PER_PAGE, g_task_get_cancellable (task),
                                     list_terms_cb, task);
}

void
byline_term_cache_refresh_async (BylineTermCache     *self,
                                 BylineWpClient      *client,
                                 gint64               account_id,
                                 const char          *taxonomy,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;
  Refresh *refresh;

  g_return_if_fail (BYLINE_IS_TERM_CACHE (self));
  g_return_if_fail (BYLINE_IS_WP_CLIENT (client));
  g_return_if_fail (is_taxonomy (taxonomy));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_term_cache_refresh_async);
  refresh = g_new0 (Refresh, 1);
  refresh->client = g_object_ref (client);
  refresh->account_id = account_id;
  refresh->taxonomy = g_strdup (taxonomy);
  refresh->terms = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_wp_term_free);
  refresh->page = 1;
  g_task_set_task_data (task, refresh, (GDestroyNotify) refresh_free);
  refresh_next (task);
}

GPtrArray *
byline_term_cache_refresh_finish (BylineTermCache  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (BYLINE_IS_TERM_CACHE (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
byline_term_cache_dispose (GObject *object)
{
  BylineTermCache *self = BYLINE_TERM_CACHE (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (byline_term_cache_parent_class)->dispose (object);
}

static void
byline_term_cache_class_init (BylineTermCacheClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = byline_term_cache_dispose;
}

static void
byline_term_cache_init (BylineTermCache *self)
{
}
