/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment-queue.c: a GListModel of the comments one view shows.
 *
 * Only ids and sort keys are kept (16 bytes a comment); a comment is read from the store when a
 * row asks for it, so a list view over 100,000 comments reads only the rows on screen. A change
 * the store reports for a few comments moves just those in or out of the list (one
 * items-changed each, so the selection follows); a change to everything (a sync) reads the
 * list again and reports the smallest span that differs. */

#include "config.h"

#include "byline-comment-queue.h"

struct _BylineCommentQueue
{
  GObject             parent_instance;

  BylineCommentStore *store;
  BylineCommentFilter filter;
  char               *search;     /* owns filter.search */
  GArray             *keys;       /* BylineCommentKey, in the view's order */
  GHashTable         *items;      /* id -> BylineComment read since the store last changed:
                                     GTK asks for a row's item more than once */
  gulong              changed_id;
};

static void byline_comment_queue_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BylineCommentQueue, byline_comment_queue, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      byline_comment_queue_list_model_init))

static GType
get_item_type (GListModel *model)
{
  return BYLINE_TYPE_COMMENT;
}

static guint
get_n_items (GListModel *model)
{
  return BYLINE_COMMENT_QUEUE (model)->keys->len;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  BylineCommentQueue *self = BYLINE_COMMENT_QUEUE (model);
  g_autoptr(GError) error = NULL;
  BylineComment *comment;

  if (position >= self->keys->len)
    return NULL;
  comment = byline_comment_queue_dup_comment (self,
                                              g_array_index (self->keys, BylineCommentKey,
                                                             position).id,
                                              &error);
  if (comment == NULL)
    g_warning ("Comment %u of the view could not be read: %s", position, error->message);
  return comment;
}

/* A list view binds a few hundred rows at once (GTK 4.8 keeps up to 200), each asked for
 * more than once: they are read once, until the store changes. */
#define ITEMS_KEPT 512

BylineComment *
byline_comment_queue_dup_comment (BylineCommentQueue  *self,
                                  gint64               id,
                                  GError             **error)
{
  BylineComment *comment;

  g_return_val_if_fail (BYLINE_IS_COMMENT_QUEUE (self), NULL);

  if ((comment = g_hash_table_lookup (self->items, &id)))
    return g_object_ref (comment);
  if (!(comment = byline_comment_store_load (self->store, id, error)))
    return NULL;
  if (g_hash_table_size (self->items) >= ITEMS_KEPT)
    g_hash_table_remove_all (self->items);
  g_hash_table_insert (self->items, g_memdup2 (&id, sizeof id), g_object_ref (comment));
  return comment;
}

static void
byline_comment_queue_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* The view's order: newest first unless asked otherwise, ties by id the same way. */
static int
compare_keys (const BylineCommentQueue *self,
              const BylineCommentKey   *a,
              const BylineCommentKey   *b)
{
  int order = a->date_unix != b->date_unix ? (a->date_unix < b->date_unix ? -1 : 1)
                                           : (a->id < b->id ? -1 : (a->id > b->id));
  return self->filter.oldest_first ? order : -order;
}

static guint
insertion_point (BylineCommentQueue     *self,
                 const BylineCommentKey *key)
{
  guint low = 0, high = self->keys->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (compare_keys (self, &g_array_index (self->keys, BylineCommentKey, middle), key) < 0)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}

gint
byline_comment_queue_find (BylineCommentQueue *self,
                           gint64              id)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_QUEUE (self), -1);

  for (guint i = 0; i < self->keys->len; i++)
    if (g_array_index (self->keys, BylineCommentKey, i).id == id)
      return i;
  return -1;
}

gint64
byline_comment_queue_get_id (BylineCommentQueue *self,
                             guint               position)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_QUEUE (self), 0);
  g_return_val_if_fail (position < self->keys->len, 0);

  return g_array_index (self->keys, BylineCommentKey, position).id;
}

const BylineCommentKey *
byline_comment_queue_get_key (BylineCommentQueue *self,
                              guint               position)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_QUEUE (self), NULL);
  g_return_val_if_fail (position < self->keys->len, NULL);

  return &g_array_index (self->keys, BylineCommentKey, position);
}

/* Replaces the keys with @keys and reports the one span that differs. */
static void
replace_keys (BylineCommentQueue *self,
              GArray             *keys)
{
  g_autoptr(GArray) old = self->keys;
  guint prefix = 0, suffix = 0;

  self->keys = keys;
  while (prefix < old->len && prefix < keys->len &&
         g_array_index (old, BylineCommentKey, prefix).id ==
         g_array_index (keys, BylineCommentKey, prefix).id)
    prefix++;
  while (suffix < old->len - prefix && suffix < keys->len - prefix &&
         g_array_index (old, BylineCommentKey, old->len - 1 - suffix).id ==
         g_array_index (keys, BylineCommentKey, keys->len - 1 - suffix).id)
    suffix++;

  /* Same comments in the same order: nothing to report. (Reporting every item as changed
   * would make a GtkSingleSelection read each of them, 100,000 loads, to find its own; a view
   * refreshes the rows it shows when the store says everything changed.) */
  if (prefix == old->len && prefix == keys->len)
    return;
  g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                              old->len - prefix - suffix, keys->len - prefix - suffix);
}

static gboolean
reload (BylineCommentQueue  *self,
        GError             **error)
{
  GArray *keys = byline_comment_store_query (self->store, &self->filter, error);

  if (keys == NULL)
    return FALSE;
  replace_keys (self, keys);
  return TRUE;
}

static void
comment_changed (BylineCommentQueue *self,
                 gint64              id)
{
  BylineCommentKey key;
  gint position = byline_comment_queue_find (self, id);
  gboolean matches = byline_comment_store_matches (self->store, id, &self->filter, &key);

  if (position >= 0 && matches &&
      g_array_index (self->keys, BylineCommentKey, position).date_unix == key.date_unix)
    {
      /* In place (its status, shown in All). */
      g_array_index (self->keys, BylineCommentKey, position) = key;
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
      return;
    }
  if (position >= 0)
    {
      g_array_remove_index (self->keys, position);
      g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 0);
    }
  if (matches)
    {
      guint at = insertion_point (self, &key);

      g_array_insert_val (self->keys, at, key);
      g_list_model_items_changed (G_LIST_MODEL (self), at, 0, 1);
    }
}

static void
store_changed_cb (BylineCommentStore *store,
                  gint64              account_id,
                  GArray             *ids,
                  BylineCommentQueue *self)
{
  g_autoptr(GError) error = NULL;

  g_hash_table_remove_all (self->items);
  if (account_id != self->filter.account_id)
    return;
  /* Past a few hundred, moving each one costs more than reading the view again. */
  if (ids == NULL || ids->len > 200)
    {
      if (!reload (self, &error))
        g_warning ("The comments view could not be read again: %s", error->message);
      return;
    }
  for (guint i = 0; i < ids->len; i++)
    comment_changed (self, g_array_index (ids, gint64, i));
}

static void
byline_comment_queue_dispose (GObject *object)
{
  BylineCommentQueue *self = BYLINE_COMMENT_QUEUE (object);

  g_clear_signal_handler (&self->changed_id, self->store);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (byline_comment_queue_parent_class)->dispose (object);
}

static void
byline_comment_queue_finalize (GObject *object)
{
  BylineCommentQueue *self = BYLINE_COMMENT_QUEUE (object);

  g_clear_pointer (&self->keys, g_array_unref);
  g_clear_pointer (&self->items, g_hash_table_unref);
  g_free (self->search);

  G_OBJECT_CLASS (byline_comment_queue_parent_class)->finalize (object);
}

static void
byline_comment_queue_class_init (BylineCommentQueueClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byline_comment_queue_dispose;
  object_class->finalize = byline_comment_queue_finalize;
}

static void
byline_comment_queue_init (BylineCommentQueue *self)
{
  self->keys = g_array_new (FALSE, FALSE, sizeof (BylineCommentKey));
  self->items = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

BylineCommentQueue *
byline_comment_queue_new (BylineCommentStore *store)
{
  BylineCommentQueue *self;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (store), NULL);

  self = g_object_new (BYLINE_TYPE_COMMENT_QUEUE, NULL);
  self->store = g_object_ref (store);
  self->changed_id = g_signal_connect (store, "changed", G_CALLBACK (store_changed_cb), self);
  return self;
}

gboolean
byline_comment_queue_set_filter (BylineCommentQueue         *self,
                                 const BylineCommentFilter  *filter,
                                 GError                    **error)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_QUEUE (self), FALSE);
  g_return_val_if_fail (filter != NULL && filter->view < BYLINE_COMMENT_N_VIEWS, FALSE);

  g_hash_table_remove_all (self->items);
  g_free (self->search);
  self->search = g_strdup (filter->search);
  self->filter = *filter;
  self->filter.search = self->search;
  return reload (self, error);
}

const BylineCommentFilter *
byline_comment_queue_get_filter (BylineCommentQueue *self)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_QUEUE (self), NULL);
  return &self->filter;
}
