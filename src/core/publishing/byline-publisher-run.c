/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-publisher-run.c: runs of the publisher, which send the due entries one after another.
 *
 * A run takes the due entries one at a time, in the order they were written; each goes through
 * its steps (the account's client, then its requests: see the -posts, -terms and -uploads files)
 * as a chain of callbacks on the run's GTask, and ends here, in _byline_publisher_entry_done or
 * _byline_publisher_entry_failed, which record the outcome in the store before the next entry is
 * taken. A failure that the account's other entries would meet too holds them back until the next
 * run. */

#define G_LOG_DOMAIN "byline-publisher"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-post-changes.h"
#include "byline-publisher-private.h"
#include "byline-store-outbox-table.h"
#include "byline-store-private.h"
#include "byline-store-remote-posts-table.h"

/* The longest Retry-After obeyed: a site asking for more is asked again after an hour. */
#define MAX_RETRY_AFTER_SECONDS (60 * 60)

void
_byline_publisher_entry_free (BylinePublisherEntry *entry)
{
  g_clear_pointer (&entry->payload, json_object_unref);
  g_free (entry->client_key);
  g_free (entry->base_modified_gmt);
  g_free (entry->site_slug);
  g_free (entry->site_status);
  g_clear_object (&entry->client);
  g_strfreev (entry->term_names);
  g_clear_pointer (&entry->term_ids, g_array_unref);
  g_clear_object (&entry->site_categories);
  g_strfreev (entry->term_path);
  g_free (entry);
}

static void
run_free (BylinePublisherRun *run)
{
  g_hash_table_unref (run->held_back);
  g_clear_pointer (&run->entry, _byline_publisher_entry_free);
  g_free (run);
}

static gint64 *
int64_key (gint64 value)
{
  return g_memdup2 (&value, sizeof value);
}

/* The next due entry after @cursor whose account is not held back, and that no earlier entry of
 * the same draft and account still waits before (so that an older version never lands after a
 * newer one). NULL without an error when there is none. */
static BylinePublisherEntry *
load_next_due (BylinePublisher     *self,
               BylinePublisherRun  *run,
               GError             **error)
{
  g_autoptr(BylineStoreOutboxRow) row = NULL;
  g_autoptr(JsonNode) payload = NULL;
  BylineSqliteConnection *conn;
  BylinePublisherEntry *entry;

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  row = byline_store_outbox_table_next_due (conn, g_get_real_time (), run->cursor,
                                            run->held_back, error);
  _byline_store_unlock (self->store);
  if (row == NULL)
    return NULL;

  entry = g_new0 (BylinePublisherEntry, 1);
  entry->id = row->id;
  entry->account_id = row->account_id;
  entry->draft_id = row->draft_id;
  entry->action = row->action;
  /* Left NULL when it is not JSON any more: _byline_publisher_run_next fails the entry. */
  payload = json_from_string (row->payload, NULL);
  if (payload != NULL && JSON_NODE_HOLDS_OBJECT (payload))
    entry->payload = json_object_ref (json_node_get_object (payload));
  entry->client_key = g_steal_pointer (&row->client_key);
  entry->remote_id = row->remote_id;
  entry->base_modified_gmt = g_steal_pointer (&row->base_modified_gmt);
  entry->attempts = row->attempts;
  return entry;
}

/* Ends the run (the store failed under it, or it was cancelled), taking @task and @error. */
void
_byline_publisher_run_fail (GTask  *task,
                            GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static guint
backoff_seconds (guint attempts)
{
  guint seconds = BYLINE_PUBLISHER_BACKOFF_FIRST_SECONDS;

  for (guint i = 1; i < attempts && seconds < BYLINE_PUBLISHER_BACKOFF_MAX_SECONDS; i++)
    seconds *= 2;
  return MIN (seconds, BYLINE_PUBLISHER_BACKOFF_MAX_SECONDS);
}

/* Whether the next entries of the same account would only meet the same failure now. */
static gboolean
is_account_wide (const GError *error)
{
  return byline_wp_error_is_retryable (error)
         || g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_CREDENTIALS)
         || error->domain == BYLINE_ACCOUNTS_ERROR;
}

/* Records why the current entry's attempt failed, then goes on with the next entry. Failures
 * worth trying again (the network, the site's own trouble, a locked keyring) keep the entry
 * pending, after a backoff; the others (refused: credentials, rights, a bad request, a post gone)
 * fail it, with the message for the person. Nothing else changes: not the draft, not its link. */
void
_byline_publisher_entry_failed (GTask        *task,
                                const GError *error,
                                guint         retry_after)
{
  BylinePublisher *self = g_task_get_source_object (task);
  BylinePublisherRun *run = g_task_get_task_data (task);
  BylinePublisherEntry *entry = run->entry;
  g_autoptr(GError) store_error = NULL;
  gboolean retry;
  gint64 now = g_get_real_time ();
  gint64 create_settle = BYLINE_WP_CLIENT_CREATE_SETTLE_SECONDS * G_TIME_SPAN_SECOND;
  gint64 next_attempt_at = 0;
  BylineSqliteConnection *conn;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Left as it was: the next run takes it up, and finds a post this one may have made. */
      _byline_publisher_run_fail (task, g_error_copy (error));
      return;
    }

  retry = byline_wp_error_is_retryable (error)
          || g_error_matches (error, BYLINE_ACCOUNTS_ERROR, BYLINE_ACCOUNTS_ERROR_NO_KEYRING)
          || g_error_matches (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_WAITING);
  if (retry)
    {
      guint delay = MAX (backoff_seconds (entry->attempts + 1),
                         MIN (retry_after, MAX_RETRY_AFTER_SECONDS));

      next_attempt_at = now + (gint64) delay * G_TIME_SPAN_SECOND;
    }
  g_debug ("Entry %" G_GINT64_FORMAT " failed (%s): %s", entry->id,
           retry ? "will retry" : "for good", error->message);

  if (is_account_wide (error))
    g_hash_table_add (run->held_back, int64_key (entry->account_id));
  /* The next attempt reads the password again: another program may have changed it. */
  if (g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_CREDENTIALS))
    byline_accounts_forget_client (self->accounts, entry->account_id);

  if (!(conn = _byline_store_lock (self->store, &store_error)))
    {
      _byline_publisher_run_fail (task, g_steal_pointer (&store_error));
      return;
    }
  /* A create given up on (no answer in time, the connection lost after it went out) may still be
   * running on the site: the next attempt, which looks for what it made, comes only once it has
   * landed. An answer, even an error, means the site is done with it: no more wait than the
   * backoff's. */
  if (byline_store_outbox_table_set_failed (conn, entry->id,
                                            retry ? BYLINE_OUTBOX_STATE_PENDING
                                                  : BYLINE_OUTBOX_STATE_FAILED,
                                            next_attempt_at, error->message, now, &store_error)
      && entry->create_unanswered)
    byline_store_outbox_table_hold (conn, entry->id, byline_wp_error_may_have_applied (error)
                                    ? now + create_settle : 0, now, &store_error);
  _byline_store_unlock (self->store);

  if (store_error != NULL)
    {
      _byline_publisher_run_fail (task, g_steal_pointer (&store_error));
      return;
    }
  _byline_publisher_emit_entry_changed (self, entry->id);
  _byline_publisher_run_next (task);
}

/* Links the draft to its post (a draft has one link: publishing it to another account moves it
 * there), and moves the later entries of the same draft and account that were waiting, based on
 * what this entry replaced (or on no post yet), onto the post as it now is: they were queued on
 * top of this one, not on top of someone else's edit. Locked, inside a transaction. */
gboolean
_byline_publisher_link_draft_locked (BylineSqliteConnection  *conn,
                                     gint64                   entry_id,
                                     gint64                   draft_id,
                                     gint64                   account_id,
                                     gint64                   remote_id,
                                     const char              *old_base,
                                     const char              *modified_gmt,
                                     const char              *status,
                                     const char              *link,
                                     const char              *base,
                                     GError                 **error)
{
  if (draft_id <= 0)
    return TRUE;

  return byline_store_remote_posts_table_upsert (conn, draft_id, account_id, remote_id,
                                                 modified_gmt, status, link, error)
         && byline_store_remote_posts_table_set_base (conn, draft_id, remote_id,
                                                      base ? base : "", error)
         && byline_store_outbox_table_follow_post (conn, entry_id, draft_id, account_id,
                                                   remote_id, old_base, modified_gmt,
                                                   g_get_real_time (), error);
}

/* Records that the entry did all it had to; @post (nullable) is the post as the site now has it. */
void
_byline_publisher_entry_done (GTask        *task,
                              BylineWpPost *post,
                              const char   *status)
{
  BylinePublisher *self = g_task_get_source_object (task);
  BylinePublisherRun *run = g_task_get_task_data (task);
  BylinePublisherEntry *entry = run->entry;
  g_autoptr(GError) store_error = NULL;
  const char *link = post ? byline_wp_post_get_link (post) : "";
  BylineSqliteConnection *conn;

  if (!(conn = _byline_store_lock (self->store, &store_error)))
    {
      _byline_publisher_run_fail (task, g_steal_pointer (&store_error));
      return;
    }
  if (!byline_sqlite_connection_begin (conn, &store_error)
      || !byline_store_outbox_table_set_done (conn, entry->id, entry->remote_id, link,
                                              g_get_real_time (), &store_error))
    goto failed;
  if (post != NULL)
    {
      g_autofree char *base = byline_post_snapshot (post);

      if (!_byline_publisher_link_draft_locked (conn, entry->id, entry->draft_id,
                                                entry->account_id, entry->remote_id,
                                                entry->base_modified_gmt,
                                                byline_wp_post_get_modified_gmt (post), status,
                                                link, base, &store_error))
        goto failed;
    }
  /* Already gone from the site's point of view (trashed before): only the status changes. */
  else if (entry->draft_id > 0
           && !byline_store_remote_posts_table_set_status (conn, entry->draft_id,
                                                           entry->remote_id, status,
                                                           &store_error))
    goto failed;
  if (!byline_sqlite_connection_commit (conn, &store_error))
    goto failed;
  _byline_store_unlock (self->store);

  _byline_publisher_emit_entry_changed (self, entry->id);
  _byline_publisher_run_next (task);
  return;

failed:
  byline_sqlite_connection_rollback (conn);
  _byline_store_unlock (self->store);
  _byline_publisher_run_fail (task, g_steal_pointer (&store_error));
}

/* Records, in its own transaction, that the current entry may not be tried again before the
 * request that creates its post or file, about to be sent, can no longer be running on the site:
 * a process started after a crash then looks for what it made only once it would be found. A
 * success or a failure recorded afterwards replaces the time; only a crash leaves it. */
gboolean
_byline_publisher_hold_for_create (GTask   *task,
                                   GError **error)
{
  BylinePublisher *self = g_task_get_source_object (task);
  BylinePublisherRun *run = g_task_get_task_data (task);
  gint64 now = g_get_real_time ();
  gint64 settled = now + BYLINE_WP_CLIENT_CREATE_SETTLE_SECONDS * G_TIME_SPAN_SECOND;
  BylineSqliteConnection *conn;
  gboolean held;

  if (!(conn = _byline_store_lock (self->store, error)))
    return FALSE;
  held = byline_store_outbox_table_hold (conn, run->entry->id, settled, now, error);
  _byline_store_unlock (self->store);
  run->entry->create_unanswered = held;
  return held;
}

/* Requests for an entry, about posts and media, go through byline_wp_client_request_async rather
 * than the client's typed calls, whose _finish do not hand back the answer's headers: a site that
 * is busy or in maintenance says with Retry-After when to come back, and the backoff follows. */

void
_byline_publisher_call_free (BylinePublisherCall *call)
{
  byline_wp_response_info_clear (&call->info);
  g_clear_object (&call->task);
  g_free (call);
}

void
_byline_publisher_call_async (GTask               *task,
                              const char          *method,
                              const char          *collection,
                              gint64               remote_id,
                              GHashTable          *query,
                              JsonObject          *fields,
                              GAsyncReadyCallback  callback)
{
  BylinePublisherRun *run = g_task_get_task_data (task);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *route = NULL;
  BylinePublisherCall *call = g_new0 (BylinePublisherCall, 1);

  call->task = task;
  route = remote_id > 0 ? g_strdup_printf ("/wp/v2/%s/%" G_GINT64_FORMAT, collection, remote_id)
                        : g_strdup_printf ("/wp/v2/%s", collection);
  if (fields != NULL)
    body = json_node_init_object (json_node_alloc (), fields);
  byline_wp_client_request_async (run->entry->client, method, route, query, body,
                                  g_task_get_cancellable (task), callback, call);
}

/* The answer's JSON, or NULL after recording the failure in the entry (and going on). */
JsonNode *
_byline_publisher_call_finish (BylinePublisherCall *call,
                               GAsyncResult        *result)
{
  BylinePublisherRun *run = g_task_get_task_data (call->task);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = byline_wp_client_request_finish (run->entry->client, result, &call->info, &error);
  if (node == NULL)
    _byline_publisher_entry_failed (g_steal_pointer (&call->task), error, call->info.retry_after);
  return node;
}

GHashTable *
_byline_publisher_new_query (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

/* An entry: its account's client, then its requests */

static void
entry_send (GTask *task)
{
  BylinePublisherRun *run = g_task_get_task_data (task);
  BylinePublisherEntry *entry = run->entry;

  switch (entry->action)
    {
    case BYLINE_OUTBOX_ACTION_TRASH:
      _byline_publisher_trash_post (task);
      break;

    case BYLINE_OUTBOX_ACTION_UPLOAD:
      _byline_publisher_send_upload (task);
      break;

    case BYLINE_OUTBOX_ACTION_PUBLISH:
      {
        BylinePublisher *self = g_task_get_source_object (task);
        g_autoptr(GError) error = NULL;

        /* The images first: a post is never sent with an address of this computer's. */
        if (!_byline_publisher_resolve_uploads (self, entry, &error))
          {
            _byline_publisher_entry_failed (task, error, 0);
            return;
          }
        _byline_publisher_publish_terms (task);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BylinePublisher *self = g_task_get_source_object (task);
  BylinePublisherRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  BylineWpClient *client;

  client = byline_accounts_connect_finish (BYLINE_ACCOUNTS (object), result, &error);
  if (client == NULL)
    {
      _byline_publisher_entry_failed (g_steal_pointer (&task), error, 0);
      return;
    }
  /* The account's client, which the accounts may hand to other parts of Byline too: a test's
   * short timeout is set each time, since the client may be a new one (a password changed). */
  if (self->timeout > 0)
    byline_wp_client_set_timeout (client, self->timeout);
  run->entry->client = client;
  entry_send (g_steal_pointer (&task));
}

/* The accounts hand out the account's client: they look its password up in the keyring, which
 * answers over D-Bus and may ask to be unlocked, in a worker thread. */
static void
entry_start (GTask *task)
{
  BylinePublisher *self = g_task_get_source_object (task);
  BylinePublisherRun *run = g_task_get_task_data (task);

  byline_accounts_connect_async (self->accounts, run->entry->account_id,
                                 g_task_get_cancellable (task), connect_cb, task);
}

void
_byline_publisher_run_next (GTask *task)
{
  BylinePublisher *self = g_task_get_source_object (task);
  BylinePublisherRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&run->entry, _byline_publisher_entry_free);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  run->entry = load_next_due (self, run, &error);
  if (run->entry == NULL)
    {
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  run->cursor = run->entry->id;

  if (run->entry->payload == NULL)
    {
      /* Not JSON any more: nothing can be sent from it. */
      error = g_error_new_literal (BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CORRUPT,
                                   _("The outbox entry is damaged and cannot be sent."));
      _byline_publisher_entry_failed (task, error, 0);
      return;
    }

  entry_start (task);
}

/* Runs one after another */

static void process_run_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data);

static void
start_run (BylinePublisher *self,
           GTask           *caller)
{
  GTask *task;
  BylinePublisherRun *run = g_new0 (BylinePublisherRun, 1);

  self->running = TRUE;
  run->held_back = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  /* The run's own task, which the chain of callbacks carries; @caller hears when it ends. */
  task = g_task_new (self, g_task_get_cancellable (caller), process_run_cb, caller);
  g_task_set_source_tag (task, start_run);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  _byline_publisher_run_next (task);
}

static void
process_run_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  BylinePublisher *self = BYLINE_PUBLISHER (object);
  g_autoptr(GTask) caller = user_data;
  g_autoptr(GError) error = NULL;
  GTask *next;

  self->running = FALSE;
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (caller, TRUE);
  else
    g_task_return_error (caller, g_steal_pointer (&error));

  if ((next = g_queue_pop_head (&self->waiting)))
    start_run (self, next);
}

void
byline_publisher_process_async (BylinePublisher     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (BYLINE_IS_PUBLISHER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_publisher_process_async);

  /* Entries that became due while a run went on may lie behind its cursor: another run. */
  if (self->running)
    g_queue_push_tail (&self->waiting, task);
  else
    start_run (self, task);
}

gboolean
byline_publisher_process_finish (BylinePublisher  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byline_publisher_process_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}
