/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment-store.c: the comments of every site, kept in the drafts database.
 *
 * The store is the single source of truth for the Comments view: a decision changes the status
 * here first (BylineModerator), the network only confirms it, and the sync writes what the site
 * says. Views keep only ids and sort keys and load a comment when it is shown, so a queue of
 * 100,000 comments costs a few megabytes.
 *
 * A big decision (10,000 selected comments) is written a slice at a time, so that the window
 * keeps drawing. Until its slice is written, what it will make of a comment is an expectation
 * held here, in memory: every read shows it (a comment, a view, the counts), so a decision
 * looks done at once; the slice that writes it settles it. */

#define G_LOG_DOMAIN "byline-comments"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-comment-private.h"
#include "byline-comment-store.h"
#include "byline-store-comment-actions-table.h"
#include "byline-store-comment-posts-table.h"
#include "byline-store-comments-table.h"
#include "byline-store-private.h"

struct _BylineCommentStore
{
  GObject      parent_instance;
  BylineStore *store;
  GHashTable  *expected;   /* local id -> BylineCommentExpected, until written */
};

G_DEFINE_FINAL_TYPE (BylineCommentStore, byline_comment_store, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

void
byline_comment_post_free (BylineCommentPost *post)
{
  g_free (post->title);
  g_free (post->link);
  g_free (post);
}

static void
byline_comment_store_dispose (GObject *object)
{
  BylineCommentStore *self = BYLINE_COMMENT_STORE (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->expected, g_hash_table_unref);

  G_OBJECT_CLASS (byline_comment_store_parent_class)->dispose (object);
}

static void
byline_comment_store_class_init (BylineCommentStoreClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = byline_comment_store_dispose;

  /**
   * BylineCommentStore::changed:
   * @account_id: the site whose comments changed
   * @ids: (nullable): a GArray of the local ids of the comments that changed, or NULL when
   *   too many did: a view then reads itself again
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 2,
                                   G_TYPE_INT64, G_TYPE_POINTER);
}

static void
byline_comment_store_init (BylineCommentStore *self)
{
  /* Keyed by the id inside each value. */
  self->expected = g_hash_table_new_full (g_int64_hash, g_int64_equal, NULL, g_free);
}

BylineCommentStore *
byline_comment_store_new (BylineStore *store)
{
  BylineCommentStore *self;

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);

  self = g_object_new (BYLINE_TYPE_COMMENT_STORE, NULL);
  self->store = g_object_ref (store);
  return self;
}

BylineStore *
byline_comment_store_get_store (BylineCommentStore *self)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);
  return self->store;
}

void
byline_comment_store_emit_changed (BylineCommentStore *self,
                                   gint64              account_id,
                                   GArray             *ids)
{
  g_return_if_fail (BYLINE_IS_COMMENT_STORE (self));
  g_signal_emit (self, signals[CHANGED], 0, account_id, ids);
}

/* ---- Expectations: decisions taken, not yet written ---- */

/* The view a comment of @status counts in (ALL aside), or BYLINE_COMMENT_N_VIEWS. */
static BylineCommentView
view_of_status (const char *status)
{
  if (g_strcmp0 (status, BYLINE_COMMENT_STATUS_HOLD) == 0)
    return BYLINE_COMMENT_VIEW_PENDING;
  if (g_strcmp0 (status, BYLINE_COMMENT_STATUS_APPROVED) == 0)
    return BYLINE_COMMENT_VIEW_APPROVED;
  if (g_strcmp0 (status, BYLINE_COMMENT_STATUS_SPAM) == 0)
    return BYLINE_COMMENT_VIEW_SPAM;
  if (g_strcmp0 (status, BYLINE_COMMENT_STATUS_TRASH) == 0)
    return BYLINE_COMMENT_VIEW_TRASH;
  return BYLINE_COMMENT_N_VIEWS;
}

/* Whether @view shows a comment of @status; one being restored (NULL) is pending or approved,
 * which only All is sure to show. */
static gboolean
view_shows (BylineCommentView  view,
            const char        *status)
{
  BylineCommentView of = view_of_status (status);

  if (view == BYLINE_COMMENT_VIEW_ALL)
    return status == NULL || of == BYLINE_COMMENT_VIEW_PENDING ||
           of == BYLINE_COMMENT_VIEW_APPROVED;
  return status != NULL && of == view;
}

/* What a comment the store holds as @status (restore_status @restore) shows under @expected. */
static const char *
expected_status (const BylineCommentExpected *expected,
                 const char                  *status,
                 const char                  *restore)
{
  if (expected->status != NULL)
    return expected->status;
  if (!byline_comment_status_is_spam_or_trash (status))
    return byline_comment_status_intern (status);
  return byline_comment_status_intern (restore != NULL && restore[0] != '\0'
                                       ? restore : BYLINE_COMMENT_STATUS_HOLD);
}

static BylineCommentExpected *
lookup_expected (BylineCommentStore *self,
                 gint64              id)
{
  return g_hash_table_size (self->expected) > 0 ? g_hash_table_lookup (self->expected, &id) : NULL;
}

/* ---- Changes gathered by site ---- */

struct _BylineCommentChanges
{
  GHashTable *by_account;   /* account id -> GArray of gint64 comment ids */
};

BylineCommentChanges *
byline_comment_changes_new (void)
{
  BylineCommentChanges *changes = g_new0 (BylineCommentChanges, 1);

  changes->by_account = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                               (GDestroyNotify) g_array_unref);
  return changes;
}

void
byline_comment_changes_free (BylineCommentChanges *changes)
{
  g_hash_table_unref (changes->by_account);
  g_free (changes);
}

void
byline_comment_changes_add (BylineCommentChanges *changes,
                            gint64                account_id,
                            gint64                id)
{
  GArray *ids;

  g_return_if_fail (changes != NULL);

  if (!(ids = g_hash_table_lookup (changes->by_account, &account_id)))
    {
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_hash_table_insert (changes->by_account, g_memdup2 (&account_id, sizeof account_id), ids);
    }
  g_array_append_val (ids, id);
}

void
byline_comment_store_emit_changes (BylineCommentStore   *self,
                                   BylineCommentChanges *changes)
{
  GHashTableIter iter;
  gpointer key, value;

  g_return_if_fail (BYLINE_IS_COMMENT_STORE (self));
  g_return_if_fail (changes != NULL);

  g_hash_table_iter_init (&iter, changes->by_account);
  while (g_hash_table_iter_next (&iter, &key, &value))
    byline_comment_store_emit_changed (self, *(gint64 *) key, value);
}

void
byline_comment_store_expect (BylineCommentStore          *self,
                             const BylineCommentExpected *expected,
                             guint                        n_expected)
{
  g_autoptr(BylineCommentChanges) changes = byline_comment_changes_new ();

  g_return_if_fail (BYLINE_IS_COMMENT_STORE (self));
  g_return_if_fail (n_expected == 0 || expected != NULL);

  for (guint i = 0; i < n_expected; i++)
    {
      BylineCommentExpected *known = lookup_expected (self, expected[i].id);
      BylineCommentExpected *entry = g_memdup2 (&expected[i], sizeof *entry);

      /* An earlier decision not yet written: the store still holds what it knew. */
      if (known != NULL)
        entry->stored_status = known->stored_status;
      g_hash_table_replace (self->expected, &entry->id, entry);
      byline_comment_changes_add (changes, entry->account_id, entry->id);
    }
  byline_comment_store_emit_changes (self, changes);
}

void
byline_comment_store_settle (BylineCommentStore         *self,
                             guint                       serial,
                             const BylineCommentWritten *written,
                             guint                       n_written)
{
  g_autoptr(BylineCommentChanges) changes = byline_comment_changes_new ();

  g_return_if_fail (BYLINE_IS_COMMENT_STORE (self));
  g_return_if_fail (n_written == 0 || written != NULL);

  for (guint i = 0; i < n_written; i++)
    {
      BylineCommentExpected *entry = lookup_expected (self, written[i].id);
      gint64 id = written[i].id;
      gboolean as_shown;

      if (entry == NULL)
        {
          /* Nothing was shown ahead of the store: the views read it again if it changed. */
          if (written[i].changed)
            byline_comment_changes_add (changes, written[i].account_id, id);
          continue;
        }
      if (entry->serial != serial && written[i].status != NULL)
        {
          /* Decided again since: that decision still shows, over what is now stored. */
          entry->stored_status = written[i].status;
          continue;
        }
      /* Written as the views show it already: nothing for them to read (a slice tells no one,
       * or the window would lay its rows out again after each). */
      as_shown = entry->serial == serial && entry->status != NULL &&
                 entry->status == written[i].status;
      if (!as_shown)
        byline_comment_changes_add (changes, entry->account_id, id);
      g_hash_table_remove (self->expected, &id);
    }

  byline_comment_store_emit_changes (self, changes);
}

void
byline_comment_store_forget (BylineCommentStore   *self,
                             guint                 serial,
                             BylineCommentChanges *changes)
{
  GHashTableIter iter;
  gpointer value;

  g_return_if_fail (BYLINE_IS_COMMENT_STORE (self));
  g_return_if_fail (changes != NULL);

  g_hash_table_iter_init (&iter, changes->by_account);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GArray *ids = value;

      for (guint i = 0; i < ids->len; i++)
        {
          gint64 id = g_array_index (ids, gint64, i);
          BylineCommentExpected *entry = lookup_expected (self, id);

          if (entry != NULL && entry->serial == serial)
            g_hash_table_remove (self->expected, &id);
        }
    }
  byline_comment_store_emit_changes (self, changes);
}

gboolean
byline_comment_store_get_expected (BylineCommentStore    *self,
                                   gint64                 id,
                                   BylineCommentExpected *expected)
{
  BylineCommentExpected *entry;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), FALSE);

  if (!(entry = lookup_expected (self, id)))
    return FALSE;
  if (expected != NULL)
    *expected = *entry;
  return TRUE;
}

/* Shows comment @comment as it will be when a decision taken on it and not yet written is. */
static BylineComment *
apply_expected (BylineCommentStore *self,
                BylineComment      *comment)
{
  BylineCommentExpected *expected = lookup_expected (self, comment->id);
  const char *status;

  if (expected == NULL)
    return comment;
  status = expected_status (expected, comment->status, comment->restore_status);
  /* Whether it will wait to be sent, as the moderator will decide when it writes it: not when
   * the site has that status already and nothing waits, nor when all that waits is one
   * decision never sent, which it then drops. */
  comment->sending = !(g_str_equal (status, comment->remote_status) &&
                       (!comment->sending || comment->waiting_is_unsent_decision));
  g_free (comment->status);
  comment->status = g_strdup (status);
  return comment;
}

static GPtrArray *
apply_expected_to_all (BylineCommentStore *self,
                       GPtrArray          *comments)
{
  for (guint i = 0; comments != NULL && i < comments->len; i++)
    apply_expected (self, g_ptr_array_index (comments, i));
  return comments;
}

BylineComment *
byline_comment_store_load (BylineCommentStore  *self,
                           gint64               id,
                           GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  BylineSqliteConnection *conn;
  BylineComment *comment;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  comment = byline_store_comments_table_load (conn, id, &local_error);
  _byline_store_unlock (self->store);

  if (comment == NULL && local_error == NULL)
    g_set_error (&local_error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND,
                 _("The comment is no longer in the queue."));
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  return apply_expected (self, comment);
}

BylineComment *
byline_comment_store_find (BylineCommentStore  *self,
                           gint64               account_id,
                           gint64               remote_id,
                           GError             **error)
{
  BylineSqliteConnection *conn;
  BylineComment *comment;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  comment = byline_store_comments_table_find_remote (conn, account_id, remote_id, error);
  _byline_store_unlock (self->store);
  return comment != NULL ? apply_expected (self, comment) : NULL;
}

gboolean
byline_comment_store_upsert (BylineCommentStore  *self,
                             gint64               account_id,
                             GPtrArray           *comments,
                             guint               *n_new_held,
                             GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  BylineSqliteConnection *conn;
  guint new_held = 0;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), FALSE);

  if (!(conn = _byline_store_lock (self->store, error)))
    return FALSE;
  if (!byline_sqlite_connection_begin (conn, error))
    {
      _byline_store_unlock (self->store);
      return FALSE;
    }
  for (guint i = 0; local_error == NULL && i < comments->len; i++)
    {
      BylineComment *c = g_ptr_array_index (comments, i);
      gint64 known = byline_store_comments_table_lookup_id (conn, account_id, c->remote_id,
                                                            &local_error);
      /* Decided and not written yet: the decision is taken on what the person saw, and its
       * undo goes back to that. */
      gboolean expected = known != 0 && lookup_expected (self, known) != NULL;

      if (local_error != NULL)
        break;
      c->id = byline_store_comments_table_upsert (conn, account_id, c, expected, now,
                                                  &local_error);
      c->account_id = account_id;
      if (known == 0 && g_strcmp0 (c->remote_status, BYLINE_COMMENT_STATUS_HOLD) == 0)
        new_held++;
    }
  if (local_error != NULL || !byline_sqlite_connection_commit (conn, &local_error))
    {
      byline_sqlite_connection_rollback (conn);
      _byline_store_unlock (self->store);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  _byline_store_unlock (self->store);

  if (n_new_held != NULL)
    *n_new_held = new_held;
  return TRUE;
}

gint
byline_comment_store_remove_unseen (BylineCommentStore  *self,
                                    gint64               account_id,
                                    GHashTable          *seen,
                                    GError             **error)
{
  g_autoptr(GArray) known = NULL;
  BylineSqliteConnection *conn;
  gint removed = 0;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), -1);

  if (!(known = byline_comment_store_list_remote_ids (self, account_id, NULL, error)))
    return -1;
  if (!(conn = _byline_store_lock (self->store, error)))
    return -1;
  for (guint i = 0; i < known->len; i++)
    {
      gint64 remote_id = g_array_index (known, gint64, i);
      gint64 n;

      if (g_hash_table_contains (seen, &remote_id))
        continue;
      /* One at a time, as the site's answers came: no transaction to hold. */
      n = byline_store_comments_table_delete_unseen (conn, account_id, remote_id, error);
      if (n < 0)
        {
          removed = -1;
          break;
        }
      removed += n;
    }
  _byline_store_unlock (self->store);
  return removed;
}

gboolean
byline_comment_store_remove (BylineCommentStore  *self,
                             gint64               id,
                             GError             **error)
{
  BylineSqliteConnection *conn;
  gboolean ok;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), FALSE);

  if (!(conn = _byline_store_lock (self->store, error)))
    return FALSE;
  ok = byline_store_comment_actions_table_drop_comment (conn, id, error) &&
       byline_store_comments_table_delete (conn, id, error);
  _byline_store_unlock (self->store);
  return ok;
}

gboolean
byline_comment_store_set_post (BylineCommentStore  *self,
                               gint64               account_id,
                               gint64               post_id,
                               const char          *title,
                               const char          *link,
                               GError             **error)
{
  BylineSqliteConnection *conn;
  gboolean ok;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), FALSE);

  if (!(conn = _byline_store_lock (self->store, error)))
    return FALSE;
  ok = byline_store_comment_posts_table_set (conn, account_id, post_id, title, link, error);
  _byline_store_unlock (self->store);
  return ok;
}

GArray *
byline_comment_store_list_untitled_posts (BylineCommentStore  *self,
                                          gint64               account_id,
                                          GError             **error)
{
  BylineSqliteConnection *conn;
  GArray *ids;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  ids = byline_store_comment_posts_table_list_untitled (conn, account_id, error);
  _byline_store_unlock (self->store);
  return ids;
}

GArray *
byline_comment_store_list_remote_ids (BylineCommentStore  *self,
                                      gint64               account_id,
                                      const char          *remote_status,
                                      GError             **error)
{
  BylineSqliteConnection *conn;
  GArray *ids;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  ids = byline_store_comments_table_list_remote_ids (conn, account_id, remote_status, error);
  _byline_store_unlock (self->store);
  return ids;
}

static int
compare_keys_newest_first (gconstpointer a,
                           gconstpointer b)
{
  const BylineCommentKey *x = a, *y = b;

  if (x->date_unix != y->date_unix)
    return x->date_unix > y->date_unix ? -1 : 1;
  return (x->id < y->id) - (x->id > y->id);
}

static int
compare_keys_oldest_first (gconstpointer a,
                           gconstpointer b)
{
  return compare_keys_newest_first (b, a);
}

/* Whether @filter narrows its view to a post or a search: what memory cannot tell. */
static gboolean
filter_narrows (const BylineCommentFilter *filter)
{
  return filter->post_id > 0 || (filter->search != NULL && filter->search[0] != '\0');
}

static gboolean
has_expected_for (BylineCommentStore *self,
                  gint64              account_id)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->expected);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    if (((BylineCommentExpected *) value)->account_id == account_id)
      return TRUE;
  return FALSE;
}

/* Whether the comment of @entry, decided and not written yet, is in @filter's view: it is when
 * the view shows its status once decided, and the comment as stored is in the view's post and
 * search (@stored_matches, its status aside). Without a post or a search every comment of the
 * site is, so memory alone tells. The one rule for query () and matches (), so that what a view
 * is told one comment at a time always agrees with what it reads whole. */
static gboolean
expected_in_view (const BylineCommentExpected *entry,
                  const BylineCommentFilter   *filter,
                  gboolean                     stored_matches)
{
  return entry->account_id == filter->account_id && view_shows (filter->view, entry->status) &&
         (stored_matches || !filter_narrows (filter));
}

/* The rows of @filter's view, @keys, seen through the expectations: those expected elsewhere
 * leave, those expected here come in. @any_status: @keys are all of the view's post and
 * search whatever their status (a view that narrows), so its status is checked here. */
static void
apply_expected_to_view (BylineCommentStore        *self,
                        const BylineCommentFilter *filter,
                        GArray                    *keys,
                        gboolean                   any_status)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  GHashTableIter iter;
  gpointer value;
  guint kept = 0, before;

  for (guint i = 0; i < keys->len; i++)
    {
      BylineCommentKey *key = &g_array_index (keys, BylineCommentKey, i);
      BylineCommentExpected *entry = lookup_expected (self, key->id);

      if (entry != NULL)
        {
          g_hash_table_add (seen, &entry->id);
          if (!expected_in_view (entry, filter, TRUE))
            continue;
          key->status = entry->status;
        }
      else if (any_status && !view_shows (filter->view, key->status))
        continue;
      g_array_index (keys, BylineCommentKey, kept++) = *key;
    }
  g_array_set_size (keys, kept);

  /* Those not read: in the view's post and search only if it has none (any_status read all
   * that are). */
  before = keys->len;
  g_hash_table_iter_init (&iter, self->expected);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BylineCommentExpected *entry = value;

      if (!g_hash_table_contains (seen, &entry->id) && expected_in_view (entry, filter, FALSE))
        {
          BylineCommentKey key = { entry->id, entry->date_unix, entry->status };
          g_array_append_val (keys, key);
        }
    }
  if (keys->len > before)
    g_array_sort (keys, filter->oldest_first ? compare_keys_oldest_first
                                             : compare_keys_newest_first);
}

GArray *
byline_comment_store_query (BylineCommentStore         *self,
                            const BylineCommentFilter  *filter,
                            GError                    **error)
{
  g_autoptr(GArray) keys = NULL;
  BylineSqliteConnection *conn;
  gboolean expected, any_status;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);
  g_return_val_if_fail (filter->view < BYLINE_COMMENT_N_VIEWS, NULL);

  /* Under a post or a search, a comment decided into the view comes in only if it matches
   * them, which only the store knows: while decisions are being written, such a view reads
   * every status of its post or search, and sorts them out here. */
  expected = has_expected_for (self, filter->account_id);
  any_status = expected && filter_narrows (filter);

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  keys = byline_store_comments_table_query_keys (conn, filter, !any_status, error);
  _byline_store_unlock (self->store);
  if (keys == NULL)
    return NULL;
  if (expected)
    apply_expected_to_view (self, filter, keys, any_status);
  return g_steal_pointer (&keys);
}

gboolean
byline_comment_store_matches (BylineCommentStore        *self,
                              gint64                     id,
                              const BylineCommentFilter *filter,
                              BylineCommentKey          *key)
{
  BylineCommentExpected *expected = lookup_expected (self, id);
  BylineCommentKey found = { id, 0, NULL };
  BylineSqliteConnection *conn;
  gboolean stored, matches;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), FALSE);

  /* The comment if it is in the view's post and search, whatever its status. */
  if (!(conn = _byline_store_lock (self->store, NULL)))
    return FALSE;
  stored = byline_store_comments_table_find_in_filter (conn, id, filter, &found, NULL);
  _byline_store_unlock (self->store);

  /* Decided, not yet written: the view it is expected in, by the rule query () follows. */
  if (expected != NULL)
    {
      matches = expected_in_view (expected, filter, stored);
      if (!stored)
        found.date_unix = expected->date_unix;
      found.status = expected->status;
    }
  else
    matches = stored && view_shows (filter->view, found.status);
  if (matches && key != NULL)
    *key = found;
  return matches;
}

/* Adds one comment of @status (interned; NULL: being restored, to pending or approved) to
 * @counts; @restoring counts those All shows but no other view. */
static void
count_status (const char *status,
              guint       counts[BYLINE_COMMENT_N_VIEWS],
              guint      *restoring)
{
  BylineCommentView view = view_of_status (status);

  if (status == NULL)
    (*restoring)++;
  else if (view < BYLINE_COMMENT_N_VIEWS)
    counts[view]++;
}

/* Moves each comment decided but not yet written from the count of what the store holds to
 * the count of what it shows. A comment whose stored status is not known is left as stored. */
static void
count_expected (BylineCommentStore *self,
                gint64              account_id,
                guint               counts[BYLINE_COMMENT_N_VIEWS],
                guint              *restoring)
{
  GHashTableIter iter;
  gpointer value;

  g_hash_table_iter_init (&iter, self->expected);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      BylineCommentExpected *entry = value;
      BylineCommentView from;

      if (entry->account_id != account_id || entry->stored_status == NULL ||
          entry->stored_status == entry->status)
        continue;
      from = view_of_status (entry->stored_status);
      if (from < BYLINE_COMMENT_N_VIEWS && counts[from] > 0)
        counts[from]--;
      count_status (entry->status, counts, restoring);
    }
}


gboolean
byline_comment_store_count (BylineCommentStore  *self,
                            gint64               account_id,
                            gint64               post_id,
                            guint                counts[BYLINE_COMMENT_N_VIEWS],
                            GError             **error)
{
  g_autoptr(GHashTable) by_status = NULL;
  g_autoptr(GArray) of_post = NULL;
  BylineSqliteConnection *conn;
  gboolean expected, one_by_one;
  guint restoring = 0;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), FALSE);

  memset (counts, 0, sizeof (guint) * BYLINE_COMMENT_N_VIEWS);
  expected = has_expected_for (self, account_id);
  /* Which comments are in a post, only the store knows: while decisions are being written,
   * each comment of the post is counted as it is shown. */
  one_by_one = expected && post_id > 0;
  if (!(conn = _byline_store_lock (self->store, error)))
    return FALSE;
  if (one_by_one)
    of_post = byline_store_comments_table_list_post_keys (conn, account_id, post_id, error);
  else
    by_status = byline_store_comments_table_count_by_status (conn, account_id, post_id, error);
  _byline_store_unlock (self->store);

  if (of_post != NULL)
    for (guint i = 0; i < of_post->len; i++)
      {
        const BylineCommentKey *key = &g_array_index (of_post, BylineCommentKey, i);
        BylineCommentExpected *entry = lookup_expected (self, key->id);

        count_status (entry ? entry->status : key->status, counts, &restoring);
      }
  else if (by_status != NULL)
    {
      GHashTableIter iter;
      gpointer status, n;

      g_hash_table_iter_init (&iter, by_status);
      while (g_hash_table_iter_next (&iter, &status, &n))
        {
          BylineCommentView view = view_of_status (status);

          if (view < BYLINE_COMMENT_N_VIEWS)
            counts[view] = GPOINTER_TO_UINT (n);
        }
      if (expected)
        count_expected (self, account_id, counts, &restoring);
    }
  else
    return FALSE;
  counts[BYLINE_COMMENT_VIEW_ALL] = counts[BYLINE_COMMENT_VIEW_PENDING] +
                                    counts[BYLINE_COMMENT_VIEW_APPROVED] + restoring;
  return TRUE;
}

GPtrArray *
byline_comment_store_list_by_author (BylineCommentStore  *self,
                                     BylineComment       *comment,
                                     guint                limit,
                                     GError             **error)
{
  BylineSqliteConnection *conn;
  GPtrArray *found;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  found = byline_store_comments_table_list_by_author (conn, comment, limit, error);
  _byline_store_unlock (self->store);
  return apply_expected_to_all (self, found);
}

GPtrArray *
byline_comment_store_list_replies (BylineCommentStore  *self,
                                   BylineComment       *comment,
                                   guint                limit,
                                   GError             **error)
{
  BylineSqliteConnection *conn;
  GPtrArray *found;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);

  if (comment->remote_id <= 0)
    return g_ptr_array_new_with_free_func (g_object_unref);
  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  found = byline_store_comments_table_list_replies (conn, comment->account_id,
                                                    comment->remote_id, limit, error);
  _byline_store_unlock (self->store);
  return apply_expected_to_all (self, found);
}

GPtrArray *
byline_comment_store_list_posts (BylineCommentStore  *self,
                                 gint64               account_id,
                                 GError             **error)
{
  BylineSqliteConnection *conn;
  GPtrArray *posts;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  posts = byline_store_comment_posts_table_list_commented (conn, account_id, error);
  _byline_store_unlock (self->store);
  return posts;
}

char *
byline_comment_store_dup_newest_date (BylineCommentStore  *self,
                                      gint64               account_id,
                                      GError             **error)
{
  BylineSqliteConnection *conn;
  char *newest;

  g_return_val_if_fail (BYLINE_IS_COMMENT_STORE (self), NULL);

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  newest = byline_store_comments_table_dup_newest_date (conn, account_id, error);
  _byline_store_unlock (self->store);
  return newest;
}
