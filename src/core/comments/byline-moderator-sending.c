/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-moderator-sending.c: the moderator sends its outbox (comment_actions) to the sites.
 *
 * Entries go one request each, at most max_in_flight at once, never two for the same comment
 * at once; a site that fails gets nothing more in this run, and its entries wait for their
 * backoff. What the site answers is written to the store, and the views are told. */

#define G_LOG_DOMAIN "byline-moderator"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-comment-html.h"
#include "byline-comment-private.h"
#include "byline-moderator-private.h"
#include "byline-store-comment-actions-table.h"
#include "byline-store-comments-table.h"
#include "byline-store-moderation-log-table.h"
#include "byline-wp-client.h"

#define BACKOFF_FIRST_SECONDS 5
#define BACKOFF_MAX_SECONDS   (15 * 60)

static gint64 *
int64_key (gint64 value)
{
  return g_memdup2 (&value, sizeof value);
}

typedef struct {
  GHashTable *blocked;    /* account ids not to send to again in this run */
  GError     *error;      /* the first failure that stopped an account */
  guint       n_out;      /* requests (and password look-ups) in flight */
} Run;

static void
run_free (Run *run)
{
  g_hash_table_unref (run->blocked);
  g_clear_error (&run->error);
  g_free (run);
}

/* One entry being sent. */
typedef struct {
  BylineModerator *self;           /* owned: a request outlives a run dropped on closing */
  gint64           action_id;
  gint64           account_id;
  gint64           comment_id;
  gint64           remote_id;
  gint64           post_id;
  gint64           parent_id;
  char            *action;
  char            *value;
  guint            attempts;
  BylineWpClient  *client;
} Send;

static void
send_free (Send *send)
{
  g_clear_object (&send->client);
  g_clear_object (&send->self);
  g_free (send->action);
  g_free (send->value);
  g_free (send);
}

/* Byline is closing (byline_moderator_close ()): what comes back for @send is not written,
 * and its entry waits for the next start. Frees @send; TRUE then. */
static gboolean
drop_if_closed (Send *send)
{
  BylineModerator *self = send->self;   /* alive: @send holds it */

  if (!self->closed)
    return FALSE;
  if (self->in_flight != NULL)
    g_hash_table_remove (self->in_flight, &send->comment_id);
  send_free (send);
  return TRUE;
}

static void
send_done (Send *send)
{
  g_autoptr(BylineModerator) self = g_object_ref (send->self);
  Run *run = self->run ? g_task_get_task_data (self->run) : NULL;

  g_hash_table_remove (self->in_flight, &send->comment_id);
  send_free (send);
  if (run != NULL)
    run->n_out--;
  _byline_moderator_pump (self);
}

/* Takes the next due entries that may go now (not behind another entry of the same comment,
 * not for a comment with a request out, not for a stopped account). */
static GPtrArray *
next_due (BylineModerator *self,
          Run             *run,
          guint            wanted)
{
  g_autoptr(GPtrArray) due = g_ptr_array_new ();
  g_autoptr(GPtrArray) listed = NULL;
  g_autoptr(GError) error = NULL;
  BylineSqliteConnection *conn;
  BylineStoreVersion version;

  if (!(conn = _byline_store_lock (self->store, NULL)))
    return g_steal_pointer (&due);
  if (self->idle && _byline_store_get_version (self->store, &version) &&
      version.changes == self->idle_version.changes &&
      version.data_version == self->idle_version.data_version)
    {
      _byline_store_unlock (self->store);
      return g_steal_pointer (&due);
    }
  /* Enough to skip those whose comment has a request out. */
  listed = byline_store_comment_actions_table_list_due (conn, g_get_real_time () / G_USEC_PER_SEC,
                                                        run->blocked,
                                                        wanted +
                                                        g_hash_table_size (self->in_flight) + 16,
                                                        &error);
  if (listed == NULL)
    g_debug ("The entries due could not be read: %s", error->message);
  for (guint i = 0; listed != NULL && i < listed->len && due->len < wanted; i++)
    {
      BylineStoreCommentAction *action = g_ptr_array_index (listed, i);
      Send *send;

      if (g_hash_table_contains (self->in_flight, &action->comment_id))
        continue;
      send = g_new0 (Send, 1);
      send->self = g_object_ref (self);
      send->action_id = action->id;
      send->account_id = action->account_id;
      send->comment_id = action->comment_id;
      send->action = g_steal_pointer (&action->action);
      send->value = g_steal_pointer (&action->value);
      send->attempts = action->attempts;
      send->remote_id = action->remote_id;
      send->post_id = action->post_id;
      send->parent_id = action->parent_id;
      g_hash_table_insert (self->in_flight, int64_key (send->comment_id),
                           int64_key (send->action_id));
      g_ptr_array_add (due, send);
    }
  /* From now on the site may apply it even if its answer is lost: undo must send, not drop.
   * (sent: 1 while out, 2 once an attempt may have been applied; see postpone.) */
  for (guint i = 0; i < due->len; i++)
    {
      Send *send = g_ptr_array_index (due, i);

      byline_store_comment_actions_table_mark_sent (conn, send->action_id, NULL);
      /* A reply creates a comment: after a crash it is not sent again before this one can no
       * longer be running on the site, or WordPress's duplicate check would not see it yet. */
      if (g_str_equal (send->action, "reply"))
        byline_store_comment_actions_table_hold (conn, send->action_id,
                                                 g_get_real_time () / G_USEC_PER_SEC
                                                 + BYLINE_WP_CLIENT_CREATE_SETTLE_SECONDS,
                                                 NULL);
    }
  /* Those marked just now aside, nothing else could go. */
  self->idle = due->len < wanted && _byline_store_get_version (self->store, &self->idle_version);
  _byline_store_unlock (self->store);
  return g_steal_pointer (&due);
}

/* The site confirmed @send with @comment (NULL for a permanent delete). */
static void
confirmed (Send          *send,
           BylineComment *comment)
{
  BylineModerator *self = send->self;
  g_autoptr(BylineCommentChanges) changed = byline_comment_changes_new ();
  g_autoptr(GError) error = NULL;
  BylineSqliteConnection *conn;
  gboolean undo_too_late = FALSE;
  gboolean ok;

  if (!(conn = _byline_moderator_begin_transaction (self, &error)))
    {
      g_warning ("A confirmed decision could not be recorded: %s", error->message);
      return;
    }
  if (comment == NULL)
    {
      /* Deleted for good: whatever else waited for it (an undo that came too late) goes too. */
      undo_too_late = byline_store_comment_actions_table_has_waiting (conn, send->comment_id,
                                                                      send->action_id, NULL);
      ok = byline_store_comment_actions_table_drop_comment (conn, send->comment_id, &error) &&
           byline_store_comments_table_delete (conn, send->comment_id, &error);
    }
  else
    {
      /* Only the entry as it was sent: another process (byline-cli) may have changed it since,
       * and then it waits to be sent again. */
      gboolean later;

      ok = byline_store_comment_actions_table_drop_if_sent_as (conn, send->action_id,
                                                               send->action, send->value,
                                                               &error) >= 0;
      later = byline_store_comment_actions_table_has_waiting (conn, send->comment_id,
                                                              send->action_id, NULL);
      /* A reply gets its id on the site; a sync may have brought it in meanwhile. */
      if (ok && g_str_equal (send->action, "reply"))
        ok = byline_store_comments_table_delete_remote (conn, send->account_id,
                                                        comment->remote_id, &error) &&
             byline_store_comments_table_set_remote_id (conn, send->comment_id,
                                                        comment->remote_id, &error);
      if (ok && !g_str_equal (send->action, "status"))
        ok = byline_store_comments_table_set_rendered (conn, send->comment_id, comment, &error);
      if (ok)
        ok = byline_store_comments_table_set_remote_status (conn, send->comment_id,
                                                            comment->status, later, &error);
    }
  /* The trail's entries that this request sent are confirmed now (not those whose entry was
   * changed by a later decision before it left: the site never had them). */
  ok = ok && byline_store_moderation_log_table_confirm (conn, send->action_id, send->action,
                                                        send->value, g_get_real_time (),
                                                        &error);
  if (!_byline_moderator_end_transaction (self, conn, ok, &error))
    {
      g_warning ("A confirmed decision could not be recorded: %s", error->message);
      return;
    }
  byline_comment_changes_add (changed, send->account_id, send->comment_id);
  byline_comment_store_emit_changes (self->comments, changed);
  if (undo_too_late)
    _byline_moderator_emit_comment_gone (self, send->comment_id,
                                         _("The comment was already deleted for good on the "
                                           "site: it cannot come back."));
}

/* The site refused @send: the comment goes back to what the site has, and the entry stays
 * as failed with @message, for the comment's detail and for the record. */
static void
refused (Send       *send,
         const char *message)
{
  BylineModerator *self = send->self;
  g_autoptr(BylineCommentChanges) changed = byline_comment_changes_new ();
  g_autoptr(GError) error = NULL;
  BylineSqliteConnection *conn;
  gint64 marked;
  gboolean ok;

  if (!(conn = _byline_moderator_begin_transaction (self, &error)))
    return;
  marked = byline_store_comment_actions_table_mark_failed (conn, send->action_id, send->action,
                                                           send->value, message, &error);
  /* Changed by another process since it was sent: the newer decision waits; nothing to undo.
   * Nothing was written, but the comment is free for it. */
  if (marked == 0)
    {
      _byline_moderator_end_transaction (self, conn, TRUE, NULL);
      self->idle = FALSE;
      return;
    }
  ok = marked > 0 &&
       byline_store_moderation_log_table_refuse (conn, send->action_id, send->action,
                                                 send->value, g_get_real_time (), message,
                                                 &error);
  /* A reply that was never created stays, with its text, until the person deals with it. */
  if (ok && !g_str_equal (send->action, "reply") &&
      !byline_store_comment_actions_table_has_waiting (conn, send->comment_id, send->action_id,
                                                       NULL))
    ok = byline_store_comments_table_show_remote_status (conn, send->comment_id, &error);
  if (!_byline_moderator_end_transaction (self, conn, ok, &error))
    g_warning ("A refused decision could not be recorded: %s", error->message);

  byline_comment_changes_add (changed, send->account_id, send->comment_id);
  byline_comment_store_emit_changes (self->comments, changed);
  _byline_moderator_emit_action_failed (self, send->comment_id, message);
}

static void
gone (Send *send)
{
  BylineModerator *self = send->self;
  g_autoptr(BylineCommentChanges) changed = byline_comment_changes_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineComment) comment = byline_comment_store_load (self->comments, send->comment_id,
                                                                NULL);
  g_autofree char *message = NULL;

  message = g_strdup_printf (_("The comment by %s was deleted on the site meanwhile."),
                             comment && comment->author_name[0] ? comment->author_name
                                                                : _("a reader"));
  if (!byline_comment_store_remove (self->comments, send->comment_id, &error))
    g_warning ("A comment gone from the site could not be forgotten: %s", error->message);
  byline_comment_changes_add (changed, send->account_id, send->comment_id);
  byline_comment_store_emit_changes (self->comments, changed);
  _byline_moderator_emit_comment_gone (self, send->comment_id, message);
}

/* Whether the site may have done it although the answer says otherwise: a timeout after
 * sending, an answer that could not be read, a server error (a plugin can fail after WordPress
 * saved). A refused connection, a 429 or a refused password mean it was not done. */
static gboolean
may_have_applied (const GError *cause)
{
  return byline_wp_error_may_have_applied (cause) ||
         g_error_matches (cause, BYLINE_WP_ERROR, BYLINE_WP_ERROR_SERVER) ||
         g_error_matches (cause, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE) ||
         g_error_matches (cause, BYLINE_WP_ERROR, BYLINE_WP_ERROR_TOO_LARGE);
}

/* A failure worth retrying: the entry waits (5 s, doubling, at most 15 min, or what the site
 * asked for) and nothing more goes to this account in this run, so its order is kept. */
static void
postpone (Send         *send,
          const GError *cause,
          guint         retry_after)
{
  BylineModerator *self = send->self;
  Run *run = g_task_get_task_data (self->run);
  guint delay = BACKOFF_FIRST_SECONDS << MIN (send->attempts, 10);
  BylineSqliteConnection *conn;
  gint64 create_settle = BYLINE_WP_CLIENT_CREATE_SETTLE_SECONDS;
  gint64 now, next;

  delay = MIN (delay, BACKOFF_MAX_SECONDS);
  if (retry_after > 0)
    delay = MIN (retry_after, BACKOFF_MAX_SECONDS);
  /* A refused password waits for the person, not for a clock: it is tried on the next run,
   * with the password read again (another program may have changed it). */
  if (g_error_matches (cause, BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_CREDENTIALS))
    {
      delay = 0;
      byline_accounts_forget_client (self->accounts, send->account_id);
    }
  now = g_get_real_time () / G_USEC_PER_SEC;
  next = now + delay;

  if ((conn = _byline_store_lock (self->store, NULL)))
    {
      g_autoptr(GError) error = NULL;
      BylineStoreVersion version;
      /* Nothing else changed since the last look found nothing to send: this entry's site is
       * stopped for this run, so after its change there is still nothing (a site that is down
       * does not have every entry waiting read again on each failed answer). */
      gboolean still_idle = self->idle && _byline_store_get_version (self->store, &version) &&
                            version.changes == self->idle_version.changes &&
                            version.data_version == self->idle_version.data_version;

      if (!byline_store_comment_actions_table_postpone (conn, send->action_id, next,
                                                        cause->message, may_have_applied (cause),
                                                        &error))
        g_debug ("A failed request could not be recorded: %s", error->message);
      /* A reply given up on (no answer in time, the connection lost after it went out) may
       * still be running on the site, where WordPress's duplicate check would not see it yet:
       * it is not sent again before it has landed, whatever the backoff or "retry now" say.
       * An answer, even an error, means the site is done with it. */
      else if (g_str_equal (send->action, "reply") &&
               !byline_store_comment_actions_table_hold (conn, send->action_id,
                                                         byline_wp_error_may_have_applied (cause)
                                                         ? now + create_settle : 0, &error))
        g_debug ("A failed reply could not be held: %s", error->message);
      if (still_idle)
        _byline_store_get_version (self->store, &self->idle_version);
      _byline_store_unlock (self->store);
    }
  g_hash_table_add (run->blocked, int64_key (send->account_id));
  if (run->error == NULL)
    run->error = g_error_copy (cause);
}

static void send_request (Send *send);

static void
duplicate_lookup_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  Send *send = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BylineWpResponseInfo) info = { 0 };
  /* WordPress may rewrite a reply's HTML (rel="nofollow ugc" on links, balanced tags): compare
   * what a reader reads. */
  g_autofree char *ours = byline_comment_html_to_text (send->value, strlen (send->value));

  node = byline_wp_client_request_finish (BYLINE_WP_CLIENT (object), result, &info, &error);
  if (drop_if_closed (send))
    return;
  if (node == NULL && byline_wp_error_is_retryable (error))
    postpone (send, error, info.retry_after);
  else if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *items = json_node_get_array (node);
      g_autoptr(BylineComment) found = NULL;

      for (guint i = 0; found == NULL && i < json_array_get_length (items); i++)
        {
          JsonNode *item = json_array_get_element (items, i);
          g_autoptr(BylineComment) candidate = NULL;
          g_autofree char *theirs = NULL;

          if (!JSON_NODE_HOLDS_OBJECT (item) ||
              !(candidate = byline_comment_new_from_json (json_node_get_object (item))))
            continue;
          /* Ours was written by a signed-in user, never by a visitor. */
          if (candidate->author_user_id <= 0)
            continue;
          theirs = byline_comment_html_to_text (candidate->raw, strlen (candidate->raw));
          if (g_str_equal (theirs, ours))
            found = g_steal_pointer (&candidate);
        }
      if (found != NULL)
        {
          g_debug ("Reply %" G_GINT64_FORMAT " was created by an earlier attempt, as %"
                   G_GINT64_FORMAT, send->comment_id, found->remote_id);
          confirmed (send, found);
        }
      else
        refused (send, _("The site refused this reply as a duplicate of another comment."));
    }
  else
    refused (send, error ? error->message : _("The site's answer could not be read."));
  send_done (send);
}

/* WordPress refused a reply as a duplicate (409): after a timeout that is our own reply,
 * created by the first attempt. Look it up rather than report a failure. */
static void
find_duplicate_reply (Send *send)
{
  g_autoptr(GHashTable) query = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_autofree char *search = g_utf8_substring (send->value, 0,
                                              MIN (g_utf8_strlen (send->value, -1), 40));

  g_hash_table_insert (query, "post", g_strdup_printf ("%lld", (long long) send->post_id));
  g_hash_table_insert (query, "parent", g_strdup_printf ("%lld", (long long) send->parent_id));
  g_hash_table_insert (query, "status", g_strdup ("any"));
  g_hash_table_insert (query, "context", g_strdup ("edit"));
  g_hash_table_insert (query, "per_page", g_strdup ("100"));
  g_hash_table_insert (query, "search", g_strdup (g_strstrip (search)));
  byline_wp_client_request_async (send->client, "GET", "/wp/v2/comments", query, NULL,
                                  send->self->closing, duplicate_lookup_cb, send);
}

/* Does the status the site answered mean it did what @send asked? */
static gboolean
status_applied (Send       *send,
                const char *status)
{
  if (g_str_equal (send->value, "untrash"))
    return !g_str_equal (status, BYLINE_COMMENT_STATUS_TRASH);
  if (g_str_equal (send->value, "unspam"))
    return !g_str_equal (status, BYLINE_COMMENT_STATUS_SPAM);
  return g_str_equal (status, send->value);
}

static const char *
status_label (const char *status)
{
  if (g_str_equal (status, BYLINE_COMMENT_STATUS_APPROVED))
    return _("approved");
  if (g_str_equal (status, BYLINE_COMMENT_STATUS_HOLD))
    return _("pending");
  if (g_str_equal (status, BYLINE_COMMENT_STATUS_SPAM))
    return _("spam");
  if (g_str_equal (status, BYLINE_COMMENT_STATUS_TRASH))
    return _("in the trash");
  return status;
}

static void
request_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Send *send = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(BylineComment) comment = NULL;
  gboolean is_delete = g_str_equal (send->action, "delete");
  gboolean is_reply = g_str_equal (send->action, "reply");

  node = byline_wp_client_request_finish (BYLINE_WP_CLIENT (object), result, &info, &error);
  if (drop_if_closed (send))
    return;
  if (node != NULL && !is_delete)
    {
      if (JSON_NODE_HOLDS_OBJECT (node))
        comment = byline_comment_new_from_json (json_node_get_object (node));
      if (comment == NULL)
        g_set_error_literal (&error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                             _("The site's answer was not a comment."));
    }

  if (error == NULL && is_delete)
    confirmed (send, NULL);
  else if (error == NULL && g_str_equal (send->action, "status") &&
           !status_applied (send, comment->status))
    {
      /* WordPress ignores a status it does not know and answers 200: read it back. */
      g_autofree char *message = g_strdup_printf (_("The site kept this comment %s."),
                                                  status_label (comment->status));
      refused (send, message);
    }
  else if (error == NULL)
    confirmed (send, comment);
  else if (g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_NOT_FOUND) && !is_reply)
    {
      if (is_delete)
        confirmed (send, NULL);
      else
        gone (send);
    }
  else if (g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_GONE) &&
           g_str_equal (send->value, BYLINE_COMMENT_STATUS_TRASH))
    {
      /* 410: it was in the trash already, which is what was asked. */
      g_autoptr(BylineComment) trashed = byline_comment_store_load (send->self->comments,
                                                                    send->comment_id, NULL);
      if (trashed != NULL)
        {
          g_free (trashed->status);
          trashed->status = g_strdup (BYLINE_COMMENT_STATUS_TRASH);
          confirmed (send, trashed);
        }
      else
        /* Gone from the store meanwhile (a sync): the entry is done, not left waiting. */
        confirmed (send, NULL);
    }
  else if (g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_CONFLICT) && is_reply)
    {
      find_duplicate_reply (send);
      return;
    }
  else if (byline_wp_error_is_retryable (error) ||
           g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE) ||
           g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_CREDENTIALS))
    /* An unreadable answer may hide a done change: every entry is safe to send again. */
    postpone (send, error, info.retry_after);
  else
    refused (send, error->message);

  send_done (send);
}

static void
send_request (Send *send)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autofree char *route = NULL;
  const char *method = "POST";

  json_builder_begin_object (builder);
  if (g_str_equal (send->action, "reply"))
    {
      route = g_strdup ("/wp/v2/comments");
      json_builder_set_member_name (builder, "post");
      json_builder_add_int_value (builder, send->post_id);
      json_builder_set_member_name (builder, "parent");
      json_builder_add_int_value (builder, send->parent_id);
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, send->value);
    }
  else
    {
      route = g_strdup_printf ("/wp/v2/comments/%lld", (long long) send->remote_id);
      if (g_str_equal (send->action, "delete"))
        {
          method = "DELETE";
          query = g_hash_table_new (g_str_hash, g_str_equal);
          g_hash_table_insert (query, "force", "true");
        }
      else
        {
          json_builder_set_member_name (builder, g_str_equal (send->action, "edit") ? "content"
                                                                                     : "status");
          json_builder_add_string_value (builder, send->value);
        }
    }
  json_builder_end_object (builder);
  if (query == NULL)
    body = json_builder_get_root (builder);

  byline_wp_client_request_async (send->client, method, route, query, body,
                                  send->self->closing, request_cb, send);
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Send *send = user_data;
  BylineModerator *self = send->self;
  g_autoptr(GError) error = NULL;
  BylineWpClient *client;

  client = byline_accounts_connect_finish (BYLINE_ACCOUNTS (object), result, &error);
  if (drop_if_closed (send))
    {
      g_clear_object (&client);
      return;
    }
  if (client == NULL)
    {
      g_autoptr(GError) wrapped = g_error_new_literal (BYLINE_WP_ERROR,
                                                       BYLINE_WP_ERROR_BAD_CREDENTIALS,
                                                       error->message);
      postpone (send, wrapped, 0);
      send_done (send);
      return;
    }
  if (self->timeout > 0)
    byline_wp_client_set_timeout (client, self->timeout);
  send->client = client;
  send_request (send);
}

/* The site's client comes from the accounts, which keep one for each site. */
static void
start (Send *send)
{
  BylineModerator *self = send->self;

  byline_accounts_connect_async (self->accounts, send->account_id, self->closing, connect_cb,
                                 send);
}

void
_byline_moderator_pump (BylineModerator *self)
{
  Run *run;
  g_autoptr(GPtrArray) due = NULL;

  if (self->run == NULL || self->closed)
    return;
  run = g_task_get_task_data (self->run);

  if (!g_cancellable_is_cancelled (g_task_get_cancellable (self->run)) &&
      run->n_out < self->max_in_flight)
    {
      due = next_due (self, run, self->max_in_flight - run->n_out);
      run->n_out += due->len;
      for (guint i = 0; i < due->len; i++)
        start (g_ptr_array_index (due, i));
    }

  if (run->n_out == 0 && self->run != NULL)
    {
      g_autoptr(GTask) task = g_steal_pointer (&self->run);

      if (g_task_return_error_if_cancelled (task))
        return;
      if (run->error != NULL)
        g_task_return_error (task, g_steal_pointer (&run->error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

void
byline_moderator_process_async (BylineModerator     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Run *run;

  g_return_if_fail (BYLINE_IS_MODERATOR (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_moderator_process_async);
  if (self->closed)
    {
      g_autoptr(GError) error = NULL;

      _byline_moderator_check_open (self, &error);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (self->run != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               _("The comments are already being sent."));
      return;
    }
  /* A new run may send to the sites the last one stopped for. */
  self->idle = FALSE;
  run = g_new0 (Run, 1);
  run->blocked = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  self->run = g_steal_pointer (&task);
  _byline_moderator_pump (self);
}

gboolean
byline_moderator_process_finish (BylineModerator  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
byline_moderator_is_processing (BylineModerator *self)
{
  g_return_val_if_fail (BYLINE_IS_MODERATOR (self), FALSE);
  return self->run != NULL;
}
