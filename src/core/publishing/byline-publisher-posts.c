/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-publisher-posts.c: the publisher's requests about a post: create it (once), compare it
 * with the site's before overwriting it, update it, move it to the trash.
 *
 * Creating is the one request that cannot be repeated safely: a post is created as a draft
 * under the entry's slug and recorded at once, and every attempt first looks for that slug. The
 * entry is held before the create goes out (_byline_publisher_hold_for_create), so that after a
 * crash the look-up waits until that create can no longer be running on the site. The update
 * that follows (to the status asked for) can be repeated. */

#define G_LOG_DOMAIN "byline-publisher"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-post-changes.h"
#include "byline-publisher-private.h"
#include "byline-store-outbox-table.h"
#include "byline-store-private.h"

static void
post_call_async (GTask               *task,
                 const char          *method,
                 gint64               remote_id,
                 GHashTable          *query,
                 JsonObject          *fields,
                 GAsyncReadyCallback  callback)
{
  _byline_publisher_call_async (task, method, "posts", remote_id, query, fields, callback);
}

/* The post in @node, or NULL after recording the failure. */
static BylineWpPost *
post_call_parse (BylinePublisherCall *call,
                 JsonNode            *node)
{
  g_autoptr(GError) error = NULL;
  BylineWpPost *post = byline_wp_post_new_from_json (node, &error);

  if (post == NULL)
    _byline_publisher_entry_failed (g_steal_pointer (&call->task), error, 0);
  return post;
}

/* Trash */

static void
trash_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BylinePublisherCall) call = user_data;
  BylinePublisherRun *run = g_task_get_task_data (call->task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BylineWpPost) post = NULL;

  node = byline_wp_client_request_finish (run->entry->client, result, &call->info, &error);
  if (node == NULL)
    {
      /* Already in the trash: what was asked is true. */
      if (g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_GONE))
        _byline_publisher_entry_done (g_steal_pointer (&call->task), NULL, "trash");
      else
        _byline_publisher_entry_failed (g_steal_pointer (&call->task), error,
                                        call->info.retry_after);
      return;
    }
  if (!(post = post_call_parse (call, node)))
    return;
  _byline_publisher_entry_done (g_steal_pointer (&call->task), post,
                                byline_wp_post_get_status (post));
}

void
_byline_publisher_trash_post (GTask *task)
{
  BylinePublisherRun *run = g_task_get_task_data (task);

  post_call_async (task, "DELETE", run->entry->remote_id, NULL, NULL, trash_cb);
}

/* Publish: posts made twice
 *
 * A create that was still running on the site when a crash ended Byline, and landed after the
 * next process looked for it, is a second post under the entry's slug (WordPress does not make a
 * draft's slug unique). The hold before each create keeps that from happening; these undo it
 * should it happen all the same: the lowest id is kept, and the others are deleted for good when
 * they are bare drafts (a title only), which only Byline's own create makes under that slug. */

typedef struct {
  GTask        *task;       /* the run's */
  GArray       *stray_ids;  /* the posts to delete */
  guint         next;
  BylineWpPost *done_post;  /* NULL: go on with the post known; else the entry is done with it */
} Strays;

static void publish_after_post_known (GTask *task);

static void
strays_free (Strays *strays)
{
  g_clear_object (&strays->task);
  g_array_unref (strays->stray_ids);
  g_clear_object (&strays->done_post);
  g_free (strays);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Strays, strays_free)

static Strays *
strays_new (GTask        *task,
            BylineWpPost *done_post)
{
  Strays *strays = g_new0 (Strays, 1);

  strays->task = task;
  strays->stray_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  strays->done_post = done_post ? g_object_ref (done_post) : NULL;
  return strays;
}

static gboolean
is_bare_draft (BylineWpPost *post)
{
  return g_strcmp0 (byline_wp_post_get_status (post), "draft") == 0
         && g_strcmp0 (byline_wp_post_get_content (post), "") == 0;
}

static void strays_delete_next (Strays *strays);

static void
stray_deleted_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  Strays *strays = user_data;
  BylinePublisherRun *run = g_task_get_task_data (strays->task);
  gint64 id = g_array_index (strays->stray_ids, gint64, strays->next - 1);
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = byline_wp_client_request_finish (run->entry->client, result, &info, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(Strays) cancelled = strays;

      _byline_publisher_entry_failed (g_steal_pointer (&cancelled->task), error, 0);
      return;
    }
  /* Not worth failing the entry for: ours is on the site and recorded either way. */
  if (node == NULL)
    g_debug ("Entry %" G_GINT64_FORMAT ": post %" G_GINT64_FORMAT ", made twice, could not be "
             "deleted: %s", run->entry->id, id, error->message);
  else
    g_debug ("Entry %" G_GINT64_FORMAT ": post %" G_GINT64_FORMAT ", made twice, was deleted",
             run->entry->id, id);
  strays_delete_next (strays);
}

/* Deletes the stray posts one after another, then goes on; takes @strays. */
static void
strays_delete_next (Strays *strays)
{
  g_autoptr(Strays) done = NULL;
  BylinePublisherRun *run = g_task_get_task_data (strays->task);
  g_autoptr(GHashTable) query = NULL;
  g_autofree char *route = NULL;

  if (strays->next < strays->stray_ids->len)
    {
      route = g_strdup_printf ("/wp/v2/posts/%" G_GINT64_FORMAT,
                               g_array_index (strays->stray_ids, gint64, strays->next++));
      query = _byline_publisher_new_query ();
      g_hash_table_insert (query, "force", g_strdup ("true"));
      byline_wp_client_request_async (run->entry->client, "DELETE", route, query, NULL,
                                      g_task_get_cancellable (strays->task), stray_deleted_cb,
                                      strays);
      return;
    }

  done = strays;
  if (done->done_post != NULL)
    _byline_publisher_entry_done (g_steal_pointer (&done->task), done->done_post,
                                  byline_wp_post_get_status (done->done_post));
  else
    publish_after_post_known (g_steal_pointer (&done->task));
}

/* Adds to @strays the posts of @node (the answer to a look-up by @slug) under @slug that are bare
 * drafts, but @keep_id. FALSE when @node is not a list. */
static gboolean
strays_collect (Strays     *strays,
                JsonNode   *node,
                const char *slug,
                gint64      keep_id)
{
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    return FALSE;
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      g_autoptr(BylineWpPost) post = byline_wp_post_new_from_json (element, NULL);
      gint64 id;

      if (post == NULL || g_strcmp0 (byline_wp_post_get_slug (post), slug) != 0)
        continue;
      id = byline_wp_post_get_id (post);
      if (id != keep_id && is_bare_draft (post))
        g_array_append_val (strays->stray_ids, id);
    }
  return TRUE;
}

static void
sweep_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  Strays *strays = user_data;
  BylinePublisherRun *run = g_task_get_task_data (strays->task);
  BylinePublisherEntry *entry = run->entry;
  g_autofree char *slug = g_strconcat (BYLINE_PUBLISHER_SLUG_PREFIX, entry->client_key, NULL);
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = byline_wp_client_request_finish (entry->client, result, &info, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_autoptr(Strays) cancelled = strays;

      _byline_publisher_entry_failed (g_steal_pointer (&cancelled->task), error, 0);
      return;
    }
  if (node == NULL || !strays_collect (strays, node, slug, entry->remote_id))
    g_debug ("Entry %" G_GINT64_FORMAT ": the posts under its slug could not be read again: %s",
             entry->id, error ? error->message : "not a list");
  strays_delete_next (strays);
}

static GHashTable *
slug_query (BylinePublisherEntry *entry)
{
  GHashTable *query = _byline_publisher_new_query ();

  g_hash_table_insert (query, "slug",
                       g_strconcat (BYLINE_PUBLISHER_SLUG_PREFIX, entry->client_key, NULL));
  g_hash_table_insert (query, "status", g_strdup ("any"));
  g_hash_table_insert (query, "context", g_strdup ("edit"));
  g_hash_table_insert (query, "per_page", g_strdup ("100"));
  return query;
}

/* Once the post made or found in this attempt is updated (and so no longer under the entry's
 * slug), the slug is looked up once more before the entry is done: a create that landed late is
 * found nowhere else. Takes @task. */
static void
sweep_then_done (GTask        *task,
                 BylineWpPost *post)
{
  BylinePublisherRun *run = g_task_get_task_data (task);
  g_autoptr(GHashTable) query = slug_query (run->entry);

  byline_wp_client_request_async (run->entry->client, "GET", "/wp/v2/posts", query, NULL,
                                  g_task_get_cancellable (task), sweep_cb,
                                  strays_new (task, post));
}

/* Publish: update */

static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BylinePublisherCall) call = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BylineWpPost) post = NULL;

  BylinePublisherRun *run = g_task_get_task_data (call->task);

  if (!(node = _byline_publisher_call_finish (call, result))
      || !(post = post_call_parse (call, node)))
    return;
  if (run->entry->fresh)
    {
      sweep_then_done (g_steal_pointer (&call->task), post);
      return;
    }
  _byline_publisher_entry_done (g_steal_pointer (&call->task), post,
                                byline_wp_post_get_status (post));
}

static JsonArray *
id_array (GArray *ids,
          guint   from,
          guint   to)
{
  JsonArray *array = json_array_new ();

  for (guint i = from; i < to; i++)
    json_array_add_int_element (array, g_array_index (ids, gint64, i));
  return array;
}

/* What the site holds now, as read in this attempt: publish_update keeps what must not change. */
static void
entry_saw_post (BylinePublisherEntry *entry,
                BylineWpPost         *post)
{
  g_free (entry->site_slug);
  entry->site_slug = g_strdup (byline_wp_post_get_slug (post));
  g_free (entry->site_status);
  entry->site_status = g_strdup (byline_wp_post_get_status (post));
}

static gboolean
is_out (const char *status)
{
  return g_strcmp0 (status, "publish") == 0 || g_strcmp0 (status, "private") == 0;
}

/* Whether to leave out a member of the payload, so that the site keeps its own value. A slug
 * left empty in the draft is WordPress's to make from the title when the post is first
 * published; sending "" again once the post has one (other than the one it was created under)
 * would make a new one from the current title and move the post to another address. No date
 * means "now" for a post that goes out with this entry; a post that is out already and stays out
 * keeps the date it came out on, or every correction would re-date it. */
static gboolean
keeps_site_value (BylinePublisherEntry *entry,
                  const char           *member)
{
  JsonNode *node = json_object_get_member (entry->payload, member);

  if (node == NULL)
    return FALSE;
  if (g_str_equal (member, "slug"))
    return g_strcmp0 (json_object_get_string_member_with_default (entry->payload, "slug", ""),
                      "") == 0
           && entry->site_slug != NULL && *entry->site_slug != '\0'
           && !g_str_has_prefix (entry->site_slug, BYLINE_PUBLISHER_SLUG_PREFIX);
  if (g_str_equal (member, "date_gmt"))
    return JSON_NODE_HOLDS_NULL (node)
           && is_out (entry->site_status)
           && is_out (json_object_get_string_member_with_default (entry->payload, "status", ""));
  return FALSE;
}

static void
publish_update (GTask *task)
{
  BylinePublisherRun *run = g_task_get_task_data (task);
  BylinePublisherEntry *entry = run->entry;
  g_autoptr(JsonObject) fields = json_object_new ();
  static const char * const copied[] = {
    "title", "content", "excerpt", "slug", "status", "date_gmt", "comment_status",
    "featured_media",
  };

  /* Every field of the payload, the term names replaced by their ids. */
  for (guint i = 0; i < G_N_ELEMENTS (copied); i++)
    if (json_object_has_member (entry->payload, copied[i])
        && !keeps_site_value (entry, copied[i]))
      json_object_set_member (fields, copied[i],
                              json_node_copy (json_object_get_member (entry->payload, copied[i])));
  json_object_set_array_member (fields, "categories",
                                id_array (entry->term_ids, 0, entry->n_categories));
  json_object_set_array_member (fields, "tags",
                                id_array (entry->term_ids, entry->n_categories,
                                          entry->term_ids->len));

  post_call_async (task, "POST", entry->remote_id, NULL, fields, update_cb);
}

/* Publish: compare with the site before overwriting */

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(BylinePublisherCall) call = user_data;
  BylinePublisher *self = g_task_get_source_object (call->task);
  BylinePublisherRun *run = g_task_get_task_data (call->task);
  BylinePublisherEntry *entry = run->entry;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) theirs = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autofree char *theirs_text = NULL;
  g_autofree char *snapshot = NULL;
  BylineSqliteConnection *conn;

  if (!(node = _byline_publisher_call_finish (call, result))
      || !(post = post_call_parse (call, node)))
    return;
  entry_saw_post (entry, post);

  /* Equality, not order: modified_gmt can go back (a restored revision, a date set by hand). */
  if (g_strcmp0 (byline_wp_post_get_modified_gmt (post), entry->base_modified_gmt) == 0)
    {
      publish_update (g_steal_pointer (&call->task));
      return;
    }
  /* An earlier attempt's update may have been applied without its answer arriving: then the
   * site already has our version, which is no conflict. */
  if (g_strcmp0 (byline_wp_post_get_title (post),
                 json_object_get_string_member_with_default (entry->payload, "title", "")) == 0
      && g_strcmp0 (byline_wp_post_get_content (post),
                    json_object_get_string_member_with_default (entry->payload, "content",
                                                                "")) == 0)
    {
      publish_update (g_steal_pointer (&call->task));
      return;
    }

  snapshot = byline_post_snapshot (post);
  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, byline_wp_post_get_title (post));
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, byline_wp_post_get_content (post));
  json_builder_set_member_name (builder, "modified_gmt");
  json_builder_add_string_value (builder, byline_wp_post_get_modified_gmt (post));
  json_builder_set_member_name (builder, "link");
  json_builder_add_string_value (builder, byline_wp_post_get_link (post));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, byline_wp_post_get_status (post));
  /* All of it, for the three-way view and to be the base once taken. */
  json_builder_set_member_name (builder, "post");
  json_builder_add_value (builder, json_from_string (snapshot, NULL));
  json_builder_end_object (builder);
  theirs = json_builder_get_root (builder);
  theirs_text = json_to_string (theirs, FALSE);

  if (!(conn = _byline_store_lock (self->store, &store_error)))
    {
      _byline_publisher_run_fail (g_steal_pointer (&call->task), g_steal_pointer (&store_error));
      return;
    }
  byline_store_outbox_table_set_conflict (conn, entry->id, theirs_text,
                                          _("The post was changed on the site since Byline last "
                                            "sent it. Choose which version to keep."),
                                          g_get_real_time (), &store_error);
  _byline_store_unlock (self->store);

  if (store_error != NULL)
    {
      _byline_publisher_run_fail (g_steal_pointer (&call->task), g_steal_pointer (&store_error));
      return;
    }
  _byline_publisher_emit_entry_changed (self, entry->id);
  _byline_publisher_run_next (g_steal_pointer (&call->task));
}

static void
publish_check (GTask *task)
{
  BylinePublisherRun *run = g_task_get_task_data (task);
  g_autoptr(GHashTable) query = _byline_publisher_new_query ();

  g_hash_table_insert (query, "context", g_strdup ("edit"));
  post_call_async (task, "GET", run->entry->remote_id, query, NULL, check_cb);
}

static void
publish_after_post_known (GTask *task)
{
  BylinePublisherRun *run = g_task_get_task_data (task);
  BylinePublisherEntry *entry = run->entry;

  if (entry->fresh || *entry->base_modified_gmt == '\0')
    publish_update (task);
  else
    publish_check (task);
}

/* Publish: the post, found or created */

/* Records at once, in its own transaction, that the entry's post is @post, so that no later
 * attempt ever creates another one. */
static gboolean
record_post (GTask         *task,
             BylineWpPost  *post,
             GError       **error)
{
  BylinePublisher *self = g_task_get_source_object (task);
  BylinePublisherRun *run = g_task_get_task_data (task);
  BylinePublisherEntry *entry = run->entry;
  const char *modified_gmt = byline_wp_post_get_modified_gmt (post);
  g_autofree char *base = byline_post_snapshot (post);
  BylineSqliteConnection *conn;

  if (!(conn = _byline_store_lock (self->store, error)))
    return FALSE;
  /* The draft is linked from now on: publishing it again updates this post, never makes one. */
  if (!byline_sqlite_connection_begin (conn, error)
      || !byline_store_outbox_table_set_post (conn, entry->id, byline_wp_post_get_id (post),
                                              modified_gmt, g_get_real_time (), error)
      /* Known now: a crash from here on leaves nothing to wait for. */
      || !byline_store_outbox_table_hold (conn, entry->id, 0, g_get_real_time (), error)
      || !_byline_publisher_link_draft_locked (conn, entry->id, entry->draft_id,
                                               entry->account_id, byline_wp_post_get_id (post), "",
                                               modified_gmt, byline_wp_post_get_status (post),
                                               byline_wp_post_get_link (post), base, error)
      || !byline_sqlite_connection_commit (conn, error))
    {
      byline_sqlite_connection_rollback (conn);
      _byline_store_unlock (self->store);
      return FALSE;
    }
  _byline_store_unlock (self->store);

  entry->create_unanswered = FALSE;
  entry->remote_id = byline_wp_post_get_id (post);
  g_free (entry->base_modified_gmt);
  entry->base_modified_gmt = g_strdup (modified_gmt);
  entry->fresh = TRUE;
  entry_saw_post (entry, post);
  return TRUE;
}

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BylinePublisherCall) call = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GError) error = NULL;

  if (!(node = _byline_publisher_call_finish (call, result))
      || !(post = post_call_parse (call, node)))
    return;
  if (record_post (call->task, post, &error))
    publish_update (g_steal_pointer (&call->task));
  else
    _byline_publisher_run_fail (g_steal_pointer (&call->task), g_steal_pointer (&error));
}

static void
find_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BylinePublisherCall) call = user_data;
  BylinePublisherRun *run = g_task_get_task_data (call->task);
  BylinePublisherEntry *entry = run->entry;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autofree char *slug = g_strconcat (BYLINE_PUBLISHER_SLUG_PREFIX, entry->client_key, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineWpPost) found = NULL;
  JsonArray *array;

  if (!(node = _byline_publisher_call_finish (call, result)))
    return;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      error = g_error_new_literal (BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                                   _("The site’s answer is not what Byline expected from "
                                     "WordPress: it is not a list of posts."));
      _byline_publisher_entry_failed (g_steal_pointer (&call->task), error, 0);
      return;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(BylineWpPost) post = NULL;

      if (!(post = post_call_parse (call, json_array_get_element (array, i))))
        return;
      /* Checked here too: a site that ignored the slug filter would hand back other posts,
       * which must never be taken for ours and overwritten. Of several, the first made. */
      if (g_strcmp0 (byline_wp_post_get_slug (post), slug) == 0
          && (found == NULL || byline_wp_post_get_id (post) < byline_wp_post_get_id (found)))
        g_set_object (&found, post);
    }
  if (found != NULL)
    {
      g_autoptr(Strays) strays = NULL;

      g_debug ("Entry %" G_GINT64_FORMAT ": post %" G_GINT64_FORMAT " was created by an earlier "
               "attempt", entry->id, byline_wp_post_get_id (found));
      if (!record_post (call->task, found, &error))
        {
          _byline_publisher_run_fail (g_steal_pointer (&call->task), g_steal_pointer (&error));
          return;
        }
      strays = strays_new (g_steal_pointer (&call->task), NULL);
      strays_collect (strays, node, slug, byline_wp_post_get_id (found));
      strays_delete_next (g_steal_pointer (&strays));
      return;
    }

  /* Only the title, as a draft under our slug; everything else comes with the update. */
  fields = json_object_new ();
  json_object_set_string_member (fields, "title",
                                 json_object_get_string_member_with_default (entry->payload,
                                                                             "title", ""));
  json_object_set_string_member (fields, "slug", slug);
  json_object_set_string_member (fields, "status", "draft");
  if (!_byline_publisher_hold_for_create (call->task, &error))
    {
      _byline_publisher_run_fail (g_steal_pointer (&call->task), g_steal_pointer (&error));
      return;
    }
  post_call_async (g_steal_pointer (&call->task), "POST", 0, NULL, fields, create_cb);
}

static void
publish_find_or_create (GTask *task)
{
  BylinePublisherRun *run = g_task_get_task_data (task);
  /* Always, not only after a timeout: WordPress can save a post and still fail afterwards
   * (a plugin's 500), so any earlier attempt may have created it. */
  g_autoptr(GHashTable) query = slug_query (run->entry);

  post_call_async (task, "GET", 0, query, NULL, find_cb);
}

void
_byline_publisher_publish_post (GTask *task)
{
  BylinePublisherRun *run = g_task_get_task_data (task);

  if (run->entry->remote_id == 0)
    publish_find_or_create (task);
  else
    publish_after_post_known (task);
}
