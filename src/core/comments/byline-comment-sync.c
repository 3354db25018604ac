/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment-sync.c: brings a site's comments into the store.
 *
 * WordPress lists comments 100 a page, with no "changed since" filter: a full sync pages
 * through every status ordered by id, so that comments arriving meanwhile land on the last
 * page instead of shifting the others, with a few pages in flight. A later sync asks only for
 * comments newer than the newest known (with a margin: `after` compares the site's local
 * date), then reads the held queue and checks the comments the store still thinks pending. */

#define G_LOG_DOMAIN "byline-comment-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-comment-private.h"
#include "byline-comment-sync.h"
#include "byline-wp-client.h"

#define PER_PAGE        100
#define AFTER_MARGIN    (2 * 24 * 3600)   /* seconds: more than any time zone's offset */
#define COMMENT_FIELDS  "id,post,parent,author,author_name,author_email,author_url,author_ip," \
  "date_gmt,content,link,status"

struct _BylineCommentSync
{
  GObject             parent_instance;
  BylineCommentStore *comments;
  BylineAccounts     *accounts;
  guint               timeout;
};

G_DEFINE_FINAL_TYPE (BylineCommentSync, byline_comment_sync, G_TYPE_OBJECT)

enum { PROGRESS, N_SIGNALS };
static guint signals[N_SIGNALS];

typedef enum {
  PHASE_NEW,        /* every comment (full) or the newer ones (changes) */
  PHASE_HELD,       /* changes: the site's held queue */
  PHASE_RECHECK,    /* changes: comments the store thinks pending but the site does not */
  PHASE_TITLES,     /* the titles of the posts the comments belong to */
} Phase;

typedef struct {
  gint64                account_id;
  BylineCommentSyncMode mode;
  BylineWpClient       *client;
  Phase                 phase;
  GHashTable           *base_query;   /* the query of the current listing, without its page */
  const char           *route;
  guint                 next_page;
  guint                 total_pages;  /* 0 until the first page says */
  guint                 pages_out;
  GHashTable           *seen;         /* remote ids listed in this phase */
  GArray               *recheck;      /* remote ids still to check (PHASE_RECHECK) */
  GArray               *asked;        /* the ones being checked now */
  GArray               *posts;        /* post ids still to name (PHASE_TITLES) */
  guint                 fetched;
  guint                 total;
  guint                 n_new_held;
  GError               *error;
} Sync;

static void
sync_free (Sync *sync)
{
  g_clear_object (&sync->client);
  g_clear_pointer (&sync->base_query, g_hash_table_unref);
  g_clear_pointer (&sync->seen, g_hash_table_unref);
  g_clear_pointer (&sync->recheck, g_array_unref);
  g_clear_pointer (&sync->asked, g_array_unref);
  g_clear_pointer (&sync->posts, g_array_unref);
  g_clear_error (&sync->error);
  g_free (sync);
}

static void
byline_comment_sync_dispose (GObject *object)
{
  BylineCommentSync *self = BYLINE_COMMENT_SYNC (object);

  g_clear_object (&self->comments);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (byline_comment_sync_parent_class)->dispose (object);
}

static void
byline_comment_sync_class_init (BylineCommentSyncClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = byline_comment_sync_dispose;

  signals[PROGRESS] = g_signal_new ("progress", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_UINT, G_TYPE_UINT);
}

static void
byline_comment_sync_init (BylineCommentSync *self)
{
}

BylineCommentSync *
byline_comment_sync_new (BylineCommentStore *comments,
                         BylineAccounts     *accounts)
{
  BylineCommentSync *self;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (comments), NULL);
  g_return_val_if_fail (BYLINE_IS_ACCOUNTS (accounts), NULL);

  self = g_object_new (BYLINE_TYPE_COMMENT_SYNC, NULL);
  self->comments = g_object_ref (comments);
  self->accounts = g_object_ref (accounts);
  return self;
}

void
byline_comment_sync_set_timeout (BylineCommentSync *self,
                                 guint              seconds)
{
  g_return_if_fail (BYLINE_IS_COMMENT_SYNC (self));
  self->timeout = seconds;
}

static GHashTable *
query_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

static void
query_set (GHashTable *query,
           const char *name,
           const char *value)
{
  g_hash_table_replace (query, g_strdup (name), g_strdup (value));
}

static GHashTable *
query_copy (GHashTable *query)
{
  GHashTable *copy = query_new ();
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, query);
  while (g_hash_table_iter_next (&iter, &key, &value))
    query_set (copy, key, value);
  return copy;
}

/* The steps below borrow the task; each request holds a reference of its own until its
 * callback ends. */
static void next_phase (GTask *task);
static void fetch_pages (GTask *task);

/* Keeps a page of comments; FALSE (and sync->error) when the store fails. */
static gboolean
keep_page (GTask     *task,
           JsonArray *items)
{
  BylineCommentSync *self = g_task_get_source_object (task);
  Sync *sync = g_task_get_task_data (task);
  g_autoptr(GPtrArray) comments = g_ptr_array_new_with_free_func (g_object_unref);
  guint new_held = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonNode *item = json_array_get_element (items, i);
      BylineComment *comment;

      if (!JSON_NODE_HOLDS_OBJECT (item) ||
          !(comment = byline_comment_new_from_json (json_node_get_object (item))))
        continue;
      g_hash_table_add (sync->seen, g_memdup2 (&comment->remote_id, sizeof (gint64)));
      g_ptr_array_add (comments, comment);
    }
  if (!byline_comment_store_upsert (self->comments, sync->account_id, comments, &new_held,
                                    sync->error ? NULL : &sync->error))
    return FALSE;
  sync->n_new_held += new_held;
  sync->fetched += comments->len;
  byline_comment_store_emit_changed (self->comments, sync->account_id, NULL);
  g_signal_emit (self, signals[PROGRESS], 0, sync->fetched, MAX (sync->total, sync->fetched));
  return TRUE;
}

/* One page asked for. */
typedef struct {
  GTask *task;
  guint  page;
} PageRequest;

static void
page_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  PageRequest *request = user_data;
  g_autoptr(GTask) task = request->task;
  guint page = request->page;
  Sync *sync = g_task_get_task_data (task);
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  g_free (request);
  sync->pages_out--;
  node = byline_wp_client_request_finish (BYLINE_WP_CLIENT (object), result, &info, &error);
  if (node != NULL && !JSON_NODE_HOLDS_ARRAY (node))
    g_set_error_literal (&error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                         _("The site's list of comments could not be read."));
  if (error != NULL)
    {
      if (sync->error == NULL)
        sync->error = g_steal_pointer (&error);
    }
  else
    {
      if (page == 1)
        {
          /* Without the header, pages are asked for one at a time until one comes back short. */
          sync->total_pages = info.total_pages >= 0 ? MAX (info.total_pages, 1) : G_MAXUINT;
          if (sync->phase == PHASE_NEW && info.total > 0)
            sync->total = info.total;
        }
      if (json_array_get_length (json_node_get_array (node)) < PER_PAGE)
        sync->total_pages = MIN (sync->total_pages, page);
      keep_page (task, json_node_get_array (node));
    }
  fetch_pages (task);
}

static gboolean
may_ask_next_page (Sync *sync)
{
  if (sync->next_page == 1)
    return sync->pages_out == 0;
  if (sync->total_pages == G_MAXUINT)
    return sync->pages_out == 0;
  return sync->next_page <= sync->total_pages &&
         sync->pages_out < BYLINE_COMMENT_SYNC_PAGES_IN_FLIGHT;
}

/* Asks for the pages of the current listing: the first alone, for the count, then a few at
 * a time. Moves on to the next phase once every page is in. */
static void
fetch_pages (GTask *task)
{
  Sync *sync = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  while (sync->error == NULL && !g_cancellable_is_cancelled (cancellable) &&
         may_ask_next_page (sync))
    {
      g_autoptr(GHashTable) query = query_copy (sync->base_query);
      g_autofree char *page = g_strdup_printf ("%u", sync->next_page);
      PageRequest *request = g_new0 (PageRequest, 1);

      request->task = g_object_ref (task);
      request->page = sync->next_page++;
      query_set (query, "page", page);
      sync->pages_out++;
      byline_wp_client_request_async (sync->client, "GET", sync->route, query, NULL,
                                      cancellable, page_cb, request);
    }
  if (sync->pages_out > 0)
    return;
  if (g_task_return_error_if_cancelled (task))
    return;
  if (sync->error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&sync->error));
      return;
    }
  next_phase (task);
}

static void
list (GTask      *task,
      const char *route,
      GHashTable *query)
{
  Sync *sync = g_task_get_task_data (task);

  g_clear_pointer (&sync->base_query, g_hash_table_unref);
  sync->base_query = query;
  sync->route = route;
  sync->next_page = 1;
  sync->total_pages = 0;
  fetch_pages (task);
}

static GHashTable *
comments_query (const char *status)
{
  GHashTable *query = query_new ();

  query_set (query, "status", status);
  query_set (query, "context", "edit");
  query_set (query, "per_page", G_STRINGIFY (PER_PAGE));
  query_set (query, "orderby", "id");
  query_set (query, "order", "asc");
  query_set (query, "_fields", COMMENT_FIELDS);
  return query;
}

/* "1,2,3" from the first @max ids of @ids, which loses them. */
static char *
take_ids (GArray *ids,
          guint   max)
{
  GString *list = g_string_new (NULL);
  guint n = MIN (ids->len, max);

  for (guint i = 0; i < n; i++)
    g_string_append_printf (list, "%s%lld", i ? "," : "", (long long) g_array_index (ids, gint64, i));
  g_array_remove_range (ids, 0, n);
  return g_string_free (list, FALSE);
}

static void titles_next (GTask *task);

static void
titles_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BylineCommentSync *self = g_task_get_source_object (task);
  Sync *sync = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = byline_wp_client_request_finish (BYLINE_WP_CLIENT (object), result, NULL, &error);
  /* Titles are a nicety: a failure leaves the posts unnamed until the next sync. */
  if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *items = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonNode *item = json_array_get_element (items, i);
          JsonObject *post, *title;
          const char *text = "";

          if (!JSON_NODE_HOLDS_OBJECT (item))
            continue;
          post = json_node_get_object (item);
          title = json_object_get_object_member (post, "title");
          if (title != NULL)
            text = json_object_get_string_member_with_default (title, "rendered", "");
          byline_comment_store_set_post (self->comments, sync->account_id,
                                         json_object_get_int_member_with_default (post, "id", 0),
                                         text,
                                         json_object_get_string_member_with_default (post, "link", ""),
                                         NULL);
        }
    }
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  titles_next (task);
}

static void
titles_next (GTask *task)
{
  Sync *sync = g_task_get_task_data (task);
  g_autoptr(GHashTable) query = NULL;
  g_autofree char *include = NULL;

  if (sync->posts->len == 0)
    {
      BylineCommentSync *self = g_task_get_source_object (task);

      byline_comment_store_emit_changed (self->comments, sync->account_id, NULL);
      g_task_return_boolean (task, TRUE);
      return;
    }
  include = take_ids (sync->posts, PER_PAGE);
  query = query_new ();
  query_set (query, "include", include);
  query_set (query, "status", "publish,future,draft,pending,private");
  query_set (query, "per_page", G_STRINGIFY (PER_PAGE));
  query_set (query, "_fields", "id,title,link");
  byline_wp_client_request_async (sync->client, "GET", "/wp/v2/posts", query, NULL,
                                  g_task_get_cancellable (task), titles_cb, g_object_ref (task));
}

static void
next_phase (GTask *task)
{
  BylineCommentSync *self = g_task_get_source_object (task);
  Sync *sync = g_task_get_task_data (task);
  GError *error = NULL;

  if (sync->phase == PHASE_NEW && sync->mode == BYLINE_COMMENT_SYNC_FULL)
    {
      if (byline_comment_store_remove_unseen (self->comments, sync->account_id, sync->seen,
                                              &error) < 0)
        {
          g_task_return_error (task, error);
          return;
        }
      sync->phase = PHASE_RECHECK;
    }
  else if (sync->phase == PHASE_NEW)
    {
      sync->phase = PHASE_HELD;
      g_hash_table_remove_all (sync->seen);
      list (task, "/wp/v2/comments", comments_query ("hold"));
      return;
    }
  else if (sync->phase == PHASE_HELD)
    {
      /* What the store holds as pending but the site does not list as held any more. */
      g_autoptr(GArray) held = byline_comment_store_list_remote_ids (self->comments,
                                                                     sync->account_id,
                                                                     BYLINE_COMMENT_STATUS_HOLD,
                                                                     &error);
      if (held == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      sync->recheck = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (guint i = 0; i < held->len; i++)
        if (!g_hash_table_contains (sync->seen, &g_array_index (held, gint64, i)))
          g_array_append_val (sync->recheck, g_array_index (held, gint64, i));
      sync->phase = PHASE_RECHECK;
    }

  else if (sync->phase == PHASE_RECHECK && sync->asked != NULL)
    {
      /* Asked for by id with every status: those the site did not return were deleted there. */
      for (guint i = 0; i < sync->asked->len; i++)
        {
          gint64 remote_id = g_array_index (sync->asked, gint64, i);
          g_autoptr(BylineComment) comment = NULL;

          if (g_hash_table_contains (sync->seen, &remote_id))
            continue;
          comment = byline_comment_store_find (self->comments, sync->account_id, remote_id, NULL);
          if (comment != NULL && !byline_comment_store_remove (self->comments, comment->id, &error))
            {
              g_task_return_error (task, error);
              return;
            }
        }
      g_clear_pointer (&sync->asked, g_array_unref);
      byline_comment_store_emit_changed (self->comments, sync->account_id, NULL);
    }

  if (sync->phase == PHASE_RECHECK && sync->recheck != NULL && sync->recheck->len > 0)
    {
      g_autoptr(GHashTable) query = comments_query ("any");
      g_autofree char *include = NULL;

      sync->asked = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_vals (sync->asked, sync->recheck->data, MIN (sync->recheck->len, PER_PAGE));
      include = take_ids (sync->recheck, PER_PAGE);
      query_set (query, "include", include);
      g_hash_table_remove_all (sync->seen);
      list (task, "/wp/v2/comments", g_steal_pointer (&query));
      return;
    }

  sync->phase = PHASE_TITLES;
  if (!(sync->posts = byline_comment_store_list_untitled_posts (self->comments, sync->account_id,
                                                                &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  titles_next (task);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BylineCommentSync *self = g_task_get_source_object (task);
  Sync *sync = g_task_get_task_data (task);
  GError *error = NULL;
  g_autoptr(GHashTable) query = NULL;

  if (!(sync->client = byline_accounts_connect_finish (BYLINE_ACCOUNTS (object), result, &error)))
    {
      g_task_return_error (task, error);
      return;
    }
  if (self->timeout > 0)
    byline_wp_client_set_timeout (sync->client, self->timeout);

  query = comments_query ("any");
  if (sync->mode == BYLINE_COMMENT_SYNC_CHANGES)
    {
      g_autofree char *newest = byline_comment_store_dup_newest_date (self->comments,
                                                                      sync->account_id, NULL);
      g_autofree char *utc = newest ? g_strconcat (newest, "Z", NULL) : NULL;
      g_autoptr(GDateTime) date = utc ? g_date_time_new_from_iso8601 (utc, NULL) : NULL;

      if (date != NULL)
        {
          g_autoptr(GDateTime) after = g_date_time_add_seconds (date, -AFTER_MARGIN);
          g_autofree char *text = g_date_time_format (after, "%Y-%m-%dT%H:%M:%S");

          query_set (query, "after", text);
        }
    }
  list (task, "/wp/v2/comments", g_steal_pointer (&query));
}

void
byline_comment_sync_run_async (BylineCommentSync    *self,
                               gint64                account_id,
                               BylineCommentSyncMode mode,
                               GCancellable         *cancellable,
                               GAsyncReadyCallback   callback,
                               gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  Sync *sync;

  g_return_if_fail (BYLINE_IS_COMMENT_SYNC (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_comment_sync_run_async);
  sync = g_new0 (Sync, 1);
  sync->account_id = account_id;
  sync->mode = mode;
  sync->seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_task_set_task_data (task, sync, (GDestroyNotify) sync_free);
  byline_accounts_connect_async (self->accounts, account_id, cancellable, connect_cb,
                                 g_steal_pointer (&task));
}

gboolean
byline_comment_sync_run_finish (BylineCommentSync  *self,
                                GAsyncResult       *result,
                                guint              *n_new_held,
                                GError            **error)
{
  Sync *sync;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  sync = g_task_get_task_data (G_TASK (result));
  if (n_new_held != NULL)
    *n_new_held = sync->n_new_held;
  return g_task_propagate_boolean (G_TASK (result), error);
}
