/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-publisher-terms.c: a post's categories and tags, by name, made when missing.
 *
 * Tags are flat: WordPress finds a tag by its name (term_exists), so each is simply ensured.
 * Categories are not: a bare name ensured at the top would make a new top-level "Press Releases"
 * beside the "Europe › Press Releases" that was meant. So the site's categories are listed first
 * (and kept for the Publish window), each path is found among them, and only the missing end of
 * a path is made, each name under the one before. */

#define G_LOG_DOMAIN "byline-publisher"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-publisher-private.h"
#include "byline-term-cache.h"

/* Adds the strings of the array @member of @payload to @names (nothing when it is not one). */
static void
collect_names (JsonObject  *payload,
               const char  *member,
               GPtrArray   *names)
{
  JsonArray *array;

  if (!json_object_has_member (payload, member)
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (payload, member)))
    return;
  array = json_object_get_array_member (payload, member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_ptr_array_add (names, g_strdup (json_node_get_string (node)));
    }
}

static void publish_next_term (GTask *task);

static void
term_found (GTask  *task,
            gint64  id)
{
  BylinePublisherRun *run = g_task_get_task_data (task);

  g_clear_pointer (&run->entry->term_path, g_strfreev);
  g_array_append_val (run->entry->term_ids, id);
  run->entry->term_index++;
  publish_next_term (task);
}

static void
ensure_term (GTask  *task,
             gint64  parent);

static void
term_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BylinePublisherRun *run = g_task_get_task_data (task);
  BylinePublisherEntry *entry = run->entry;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = byline_wp_client_ensure_term_finish (BYLINE_WP_CLIENT (object), result, &error);
  if (id <= 0)
    {
      if (error == NULL)
        error = g_error_new_literal (BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                                     _("The site did not say which category or tag it made."));
      _byline_publisher_entry_failed (g_steal_pointer (&task), error, 0);
      return;
    }
  if (entry->term_path != NULL && entry->term_path[entry->term_step + 1] != NULL)
    {
      entry->term_step++;
      ensure_term (g_steal_pointer (&task), id);
      return;
    }
  term_found (g_steal_pointer (&task), id);
}

/* Makes (or finds, by term_exists) the current name under @parent. */
static void
ensure_term (GTask  *task,
             gint64  parent)
{
  BylinePublisherRun *run = g_task_get_task_data (task);
  BylinePublisherEntry *entry = run->entry;
  gboolean category = entry->term_index < entry->n_categories;
  const char *name = entry->term_path != NULL ? entry->term_path[entry->term_step]
                                              : entry->term_names[entry->term_index];

  byline_wp_client_ensure_term_async (entry->client, category ? "categories" : "tags", name,
                                      category ? parent : 0, g_task_get_cancellable (task),
                                      term_cb, task);
}

static void
categories_listed_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BylinePublisherRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) terms = NULL;

  terms = byline_term_cache_refresh_finish (BYLINE_TERM_CACHE (object), result, &error);
  if (terms == NULL)
    {
      _byline_publisher_entry_failed (g_steal_pointer (&task), error, 0);
      return;
    }
  run->entry->site_categories = byline_term_index_new (terms, TRUE);
  publish_next_term (g_steal_pointer (&task));
}

static void
publish_category (GTask *task)
{
  BylinePublisherRun *run = g_task_get_task_data (task);
  BylinePublisherEntry *entry = run->entry;
  const char *path = entry->term_names[entry->term_index];
  g_auto(GStrv) names = byline_term_path_split (path);
  guint position = 0, n_found = 0;
  gint64 parent = 0;
  g_autoptr(GError) error = NULL;

  switch (byline_term_index_lookup (entry->site_categories, path, &position, &n_found, &parent))
    {
    case BYLINE_TERM_LOOKUP_FOUND:
      term_found (task, byline_term_index_get_term (entry->site_categories, position)->id);
      return;

    case BYLINE_TERM_LOOKUP_AMBIGUOUS:
      error = g_error_new (BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_REQUEST,
                           _("The site has several categories called “%s”, under different "
                             "parents. Open Publish and check the one you mean: they show with "
                             "their parent, like “Parent › %s”."), path, path);
      _byline_publisher_entry_failed (task, error, 0);
      return;

    case BYLINE_TERM_LOOKUP_MISSING:
      if (names[0] == NULL)
        {
          /* Only separators: nothing to make. */
          entry->term_index++;
          publish_next_term (task);
          return;
        }
      entry->term_path = g_steal_pointer (&names);
      entry->term_step = n_found;
      ensure_term (task, parent);
      return;

    default:
      g_assert_not_reached ();
    }
}

static void
publish_next_term (GTask *task)
{
  BylinePublisher *self = g_task_get_source_object (task);
  BylinePublisherRun *run = g_task_get_task_data (task);
  BylinePublisherEntry *entry = run->entry;
  const char *name = entry->term_names[entry->term_index];

  if (name == NULL)
    {
      _byline_publisher_publish_post (task);
      return;
    }

  if (entry->term_index >= entry->n_categories)
    ensure_term (task, 0);
  else if (entry->site_categories == NULL)
    {
      g_autoptr(BylineTermCache) cache = byline_term_cache_new (self->store);

      byline_term_cache_refresh_async (cache, entry->client, entry->account_id, "categories",
                                       g_task_get_cancellable (task), categories_listed_cb, task);
    }
  else
    publish_category (task);
}

/* The categories first, so that their ids come before the tags' in term_ids, as publish_update
 * (byline-publisher-posts.c) splits them at n_categories. */
void
_byline_publisher_publish_terms (GTask *task)
{
  BylinePublisherRun *run = g_task_get_task_data (task);
  BylinePublisherEntry *entry = run->entry;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  collect_names (entry->payload, "categories", names);
  entry->n_categories = names->len;
  collect_names (entry->payload, "tags", names);
  g_ptr_array_add (names, NULL);
  entry->term_names = (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
  entry->term_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  publish_next_term (task);
}
