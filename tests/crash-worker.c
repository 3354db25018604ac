/* SPDX-License-Identifier: GPL-3.0-or-later */
/* crash-worker.c: types, publishes and moderates against a real WordPress through Byline's own
 * core until test-crash-anywhere kills it with SIGKILL; started again, it goes on from what the
 * store holds.
 *
 * Usage: crash-worker DBPATH TOKEN CYCLES COMMENTS_FILE. The store holds the site's account (its
 * password in the keyring of the session bus). COMMENTS_FILE lists the reader comments the test
 * put on the site, "CYCLE K REMOTE_ID" a line. All along, one draft is typed into, a character
 * every TYPING_INTERVAL_MS, through BylineAutosave. Each cycle then: writes an article, uploads
 * its image, publishes it (a new post), takes the cycle's moderation steps (crash-workload.c:
 * decisions, a bulk one, an undo) and a reply, edits the article and publishes it again (an
 * update), and waits until the outbox and the moderation outbox have sent everything. Every
 * step looks first at the store to see whether an earlier run already took it; nothing is kept
 * anywhere else.
 *
 * It reports on stdout: "open"; "typed BYTES WHEN" after each character (WHEN: the monotonic
 * clock, µs); "op WHAT" after each step written to the store; "sent METHOD PATH" once a request
 * went out whole (from the client's debug message: from then on the site may act on it);
 * "entry ID STATE" when the outbox records an answer; "changed" when the moderator records one;
 * "found WHAT" when a post, a file or a reply made by an attempt that was killed is found again
 * rather than made twice; "finished TYPED_BYTES" at the end, after a clean close. Exit status 0
 * only then. */

#include "config.h"

#define G_LOG_DOMAIN "crash-worker"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byline-accounts.h"
#include "byline-autosave.h"
#include "byline-comment-store.h"
#include "byline-comment-sync.h"
#include "byline-moderation-log.h"
#include "byline-moderator.h"
#include "byline-publisher.h"
#include "byline-store.h"
#include "crash-workload.h"

#define TYPING_INTERVAL_MS 20
/* Long enough for any request of the test bed; a step that waits longer is a failure. */
#define WAIT_SECONDS       90

typedef struct {
  BylineStore        *store;
  BylineAccounts     *accounts;
  BylinePublisher    *publisher;
  BylineCommentStore *comments;
  BylineModerator    *moderator;
  BylineCommentSync  *sync;
  BylineAutosave     *autosave;
  gint64              account_id;
  const char         *token;
  guint               n_cycles;
  GHashTable         *remote_ids;  /* "CYCLE K" → remote id (gint64 *) */
  char               *typed;       /* all the text that will ever be typed */
  gsize               typed_max;
  gsize               typed_len;   /* bytes of it typed so far */
  guint               publishing : 1;
  guint               publish_again : 1;
  guint               moderating : 1;
  guint               moderate_again : 1;
} Worker;

static void die (const char *format,
                 ...) G_GNUC_NORETURN G_GNUC_PRINTF (1, 2);

static void
die (const char *format,
     ...)
{
  va_list args;

  va_start (args, format);
  fprintf (stderr, "crash-worker: ");
  vfprintf (stderr, format, args);
  fprintf (stderr, "\n");
  va_end (args);
  exit (1);
}

G_GNUC_PRINTF (1, 2) static void
report (const char *format,
        ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');
  fflush (stdout);
}

/* The core's debug messages that say a request went out, or that an earlier attempt's work was
 * found again, become reports; other messages go where they would. */
static GLogWriterOutput
log_writer (GLogLevelFlags   level,
            const GLogField *fields,
            gsize            n_fields,
            gpointer         user_data)
{
  const char *domain = NULL;
  const char *message = NULL;

  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "GLIB_DOMAIN"))
      domain = fields[i].value;
    else if (g_str_equal (fields[i].key, "MESSAGE"))
      message = fields[i].value;

  if ((level & G_LOG_LEVEL_DEBUG) && domain != NULL && message != NULL)
    {
      if (g_str_equal (domain, "byline-wp-client") && g_str_has_prefix (message, "Sent "))
        report ("sent %s", message + strlen ("Sent "));
      else if (strstr (message, "by an earlier attempt") != NULL)
        report ("found %s", message);
      return G_LOG_WRITER_HANDLED;
    }
  return g_log_writer_default (level, fields, n_fields, user_data);
}

/* Waiting: the main context runs (typing, saving, sending) until @done says so */

typedef gboolean (*Condition) (Worker *w);

static gboolean
wake_up_cb (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

static void
wait_until (Worker     *w,
            Condition   done,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  guint wake_up = g_timeout_add (50, wake_up_cb, NULL);

  while (!done (w))
    {
      if (g_get_monotonic_time () > deadline)
        die ("gave up waiting %d s for %s", WAIT_SECONDS, what);
      g_main_context_iteration (NULL, TRUE);
    }
  g_source_remove (wake_up);
}

/* Typing */

static gboolean
type_cb (gpointer user_data)
{
  Worker *w = user_data;
  BylineDraft *draft = byline_autosave_get_draft (w->autosave);
  g_autofree char *body = NULL;

  if (w->typed_len >= w->typed_max)
    return G_SOURCE_CONTINUE;
  w->typed_len = g_utf8_next_char (w->typed + w->typed_len) - w->typed;
  body = g_strndup (w->typed, w->typed_len);
  byline_draft_set_body (draft, body);
  report ("typed %zu %" G_GINT64_FORMAT, w->typed_len, g_get_monotonic_time ());
  return G_SOURCE_CONTINUE;
}

static BylineDraft *
find_draft (Worker     *w,
            const char *title)
{
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;

  if (!(drafts = byline_store_list_drafts (w->store, &error)))
    die ("listing the drafts: %s", error->message);
  for (guint i = 0; i < drafts->len; i++)
    if (g_str_equal (byline_draft_get_title (g_ptr_array_index (drafts, i)), title))
      return g_object_ref (g_ptr_array_index (drafts, i));
  return NULL;
}

/* Creating a draft and giving it its title are two transactions: a kill between leaves an empty
 * draft, which the next run takes rather than making another. */
static BylineDraft *
find_or_create_draft (Worker     *w,
                      const char *title,
                      const char *body)
{
  g_autoptr(BylineDraft) draft = find_draft (w, title);
  g_autoptr(GError) error = NULL;

  if (draft != NULL)
    return g_steal_pointer (&draft);
  if (!(draft = find_draft (w, "")) &&
      !(draft = byline_store_create_draft (w->store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error)))
    die ("creating a draft: %s", error->message);
  byline_draft_set_title (draft, title);
  byline_draft_set_body (draft, body);
  if (!byline_store_save_draft (w->store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error))
    die ("saving draft “%s”: %s", title, error->message);
  report ("op draft %s", title);
  return g_steal_pointer (&draft);
}

static void
start_typing (Worker *w)
{
  g_autofree char *title = crash_workload_typed_title (w->token);
  g_autoptr(BylineDraft) draft = find_or_create_draft (w, title, "");
  const char *body = byline_draft_get_body (draft);

  w->typed_len = strlen (body);
  if (w->typed_len > w->typed_max || memcmp (body, w->typed, w->typed_len) != 0)
    die ("the typed draft does not hold what was typed (%zu bytes)", w->typed_len);
  w->autosave = byline_autosave_new (w->store, draft);
  g_timeout_add (TYPING_INTERVAL_MS, type_cb, w);
}

/* Sending, in the background */

static void publish (Worker *w);
static void moderate (Worker *w);

static void
publish_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  Worker *w = user_data;
  g_autoptr(GError) error = NULL;

  if (!byline_publisher_process_finish (w->publisher, result, &error))
    die ("the outbox stopped: %s", error->message);
  w->publishing = FALSE;
  if (w->publish_again)
    publish (w);
}

static void
publish (Worker *w)
{
  w->publish_again = w->publishing;
  if (w->publishing)
    return;
  w->publishing = TRUE;
  byline_publisher_process_async (w->publisher, NULL, publish_cb, w);
}

static void
moderate_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  Worker *w = user_data;
  g_autoptr(GError) error = NULL;

  /* A site that failed (it does not here) keeps its changes for later: said, not fatal. */
  if (!byline_moderator_process_finish (w->moderator, result, &error))
    fprintf (stderr, "crash-worker: the moderator stopped: %s\n", error->message);
  w->moderating = FALSE;
  if (w->moderate_again)
    moderate (w);
}

static void
moderate (Worker *w)
{
  w->moderate_again = w->moderating;
  if (w->moderating)
    return;
  w->moderating = TRUE;
  byline_moderator_process_async (w->moderator, NULL, moderate_cb, w);
}

static void
entry_changed_cb (BylinePublisher *publisher,
                  gint64           entry_id,
                  Worker          *w)
{
  g_autoptr(BylineOutboxEntry) entry = byline_publisher_get_entry (publisher, entry_id, NULL);

  report ("entry %" G_GINT64_FORMAT " %d", entry_id, entry ? (int) entry->state : -1);
}

static void
comments_changed_cb (BylineCommentStore *comments,
                     gint64              account_id,
                     GArray             *ids,
                     Worker             *w)
{
  report ("changed");
}

/* Whether every entry is done, making those that wait for a backoff due now (as "Send now"
 * does): a test cannot wait minutes. Those held for less (a create's settle time after a kill)
 * are sent once due. Those that failed for good end the run. */
static gboolean
outbox_sent (Worker *w)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  gboolean sent = TRUE;
  gint64 settled = g_get_real_time () + BYLINE_WP_CLIENT_CREATE_SETTLE_SECONDS * G_TIME_SPAN_SECOND;

  if (!(entries = byline_publisher_list_entries (w->publisher, 0, &error)))
    die ("listing the outbox: %s", error->message);
  for (guint i = 0; i < entries->len; i++)
    {
      BylineOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (entry->state == BYLINE_OUTBOX_STATE_CONFLICT)
        {
          g_auto(BylineConflict) conflict = { 0 };

          /* Both sides, to tell what changed the post. */
          if (byline_publisher_get_conflict (w->publisher, entry->id, &conflict, NULL))
            fprintf (stderr, "crash-worker: entry %" G_GINT64_FORMAT " (post %" G_GINT64_FORMAT
                     "): mine: %s | %s\ntheirs (%s): %s | %s\n", entry->id,
                     entry->remote_id, conflict.mine_title, conflict.mine_content,
                     conflict.theirs_modified_gmt, conflict.theirs_title,
                     conflict.theirs_content);
        }
      if (entry->state == BYLINE_OUTBOX_STATE_FAILED ||
          entry->state == BYLINE_OUTBOX_STATE_CONFLICT)
        die ("outbox entry %" G_GINT64_FORMAT " (%s) %s: %s", entry->id, entry->title,
             entry->state == BYLINE_OUTBOX_STATE_FAILED ? "failed" : "is in conflict",
             entry->last_error);
      if (entry->state != BYLINE_OUTBOX_STATE_PENDING)
        continue;
      sent = FALSE;
      /* Not one held after a crash for the create it may have sent to settle: that wait is
       * what keeps the post or file from being made twice, and it ends by itself. */
      if (entry->next_attempt_at > settled && !w->publishing)
        {
          fprintf (stderr, "crash-worker: entry %" G_GINT64_FORMAT " retried now after: %s\n",
                   entry->id, entry->last_error);
          if (!byline_publisher_retry (w->publisher, entry->id, &error))
            die ("retrying entry %" G_GINT64_FORMAT ": %s", entry->id, error->message);
        }
    }
  if (!sent)
    publish (w);
  return sent;
}

static gboolean
moderation_sent (Worker *w)
{
  if (byline_moderator_count_waiting (w->moderator, 0) == 0)
    return TRUE;
  if (!w->moderating)
    {
      byline_moderator_retry_now (w->moderator, 0);
      moderate (w);
    }
  return FALSE;
}

static gboolean
all_sent (Worker *w)
{
  /* Both, every time: each starts its own sending. */
  gboolean published = outbox_sent (w);

  return moderation_sent (w) && published;
}

/* Comments */

static gboolean sync_done;

static void
sync_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!byline_comment_sync_run_finish (BYLINE_COMMENT_SYNC (object), result, NULL, &error))
    die ("syncing the comments: %s", error->message);
  sync_done = TRUE;
}

static gboolean
synced (Worker *w)
{
  return sync_done;
}

static gint64
comment_id (Worker *w,
            guint   cycle,
            guint   k)
{
  g_autofree char *key = g_strdup_printf ("%u %u", cycle, k);
  gint64 *remote_id = g_hash_table_lookup (w->remote_ids, key);
  g_autoptr(BylineComment) comment = NULL;
  g_autoptr(GError) error = NULL;

  if (remote_id == NULL)
    die ("no comment %s in the list", key);
  if (!(comment = byline_comment_store_find (w->comments, w->account_id, *remote_id, &error)))
    die ("comment %" G_GINT64_FORMAT " is not in the store: %s", *remote_id,
         error ? error->message : "never synced");
  return byline_comment_get_id (comment);
}

static gboolean
all_known (Worker *w)
{
  GHashTableIter iter;
  gpointer remote_id;

  g_hash_table_iter_init (&iter, w->remote_ids);
  while (g_hash_table_iter_next (&iter, NULL, &remote_id))
    {
      g_autoptr(BylineComment) comment = byline_comment_store_find (w->comments, w->account_id,
                                                                    *(gint64 *) remote_id, NULL);
      if (comment == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
run_sync (Worker               *w,
          BylineCommentSyncMode mode)
{
  sync_done = FALSE;
  byline_comment_sync_run_async (w->sync, w->account_id, mode, NULL, sync_cb, w);
  wait_until (w, synced, "the comments");
}

/* As the app does when it starts: what changed (new comments, and those held), and every
 * comment when that does not bring in all the test put on the site (the first time). */
static void
sync_comments (Worker *w)
{
  run_sync (w, BYLINE_COMMENT_SYNC_CHANGES);
  if (!all_known (w))
    run_sync (w, BYLINE_COMMENT_SYNC_FULL);
}

/* Decisions the comment's audit trail holds: what tells a step taken from one to take. */
static guint
count_decisions (Worker *w,
                 gint64  id)
{
  g_autoptr(GPtrArray) trail = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (!(trail = byline_moderation_log_list_comment (w->store, id, &error)))
    die ("reading the audit trail: %s", error->message);
  for (guint i = 0; i < trail->len; i++)
    {
      BylineModerationLogEntry *entry = g_ptr_array_index (trail, i);

      if (!g_str_equal (entry->action, "reply") && !g_str_equal (entry->action, "edit") &&
          !g_str_equal (entry->action, "reason"))
        n++;
    }
  return n;
}

static BylineDecision
to_decision (CrashDecision decision)
{
  switch (decision)
    {
    case CRASH_APPROVE:
      return BYLINE_DECISION_APPROVE;
    case CRASH_UNAPPROVE:
      return BYLINE_DECISION_UNAPPROVE;
    case CRASH_SPAM:
      return BYLINE_DECISION_SPAM;
    case CRASH_TRASH:
      return BYLINE_DECISION_TRASH;
    case CRASH_UNDO:
    default:
      return BYLINE_DECISION_RESTORE;
    }
}

static GArray *waiting_ids;

static gboolean
comments_sent (Worker *w)
{
  for (guint i = 0; i < waiting_ids->len; i++)
    {
      g_autoptr(BylineComment) comment = byline_comment_store_load (w->comments,
                                                                    g_array_index (waiting_ids,
                                                                                   gint64, i),
                                                                    NULL);
      if (comment != NULL && byline_comment_get_sending (comment))
        {
          /* Keeps the moderator sending. */
          moderation_sent (w);
          return FALSE;
        }
    }
  return TRUE;
}

static void
moderate_cycle (Worker *w,
                guint   cycle)
{
  guint n_steps;
  const CrashStep *steps = crash_workload_get_steps (&n_steps);
  gboolean undoable = FALSE;

  for (guint s = 0; s < n_steps; s++)
    {
      g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_autoptr(GError) error = NULL;
      guint before = 0;

      for (guint k = steps[s].first; k < steps[s].first + steps[s].n; k++)
        {
          gint64 id = comment_id (w, cycle, k);

          g_array_append_val (ids, id);
        }
      for (guint t = 0; t < s; t++)
        before += steps[t].first <= steps[s].first &&
                  steps[s].first < steps[t].first + steps[t].n;
      if (count_decisions (w, g_array_index (ids, gint64, 0)) > before)
        {
          undoable = FALSE;
          continue;
        }

      if (steps[s].decision == CRASH_UNDO && undoable && byline_moderator_can_undo (w->moderator))
        {
          /* Sent first, so that the undo is sent too, not only the decision dropped. */
          waiting_ids = ids;
          wait_until (w, comments_sent, "a decision to be sent before its undo");
          if (!byline_moderator_undo (w->moderator, NULL, &error))
            die ("undo: %s", error->message);
          report ("op undo %u", cycle);
        }
      else
        {
          if (!byline_moderator_decide (w->moderator, (gint64 *) ids->data, ids->len,
                                        to_decision (steps[s].decision), &error))
            die ("decision %u of cycle %u: %s", s, cycle, error->message);
          report ("op decide %u %u", cycle, s);
        }
      undoable = TRUE;
      moderate (w);
    }
}

static void
reply (Worker *w,
       guint   cycle)
{
  g_autofree char *text = crash_workload_reply_text (w->token, cycle);
  g_autoptr(BylineComment) parent = NULL;
  g_autoptr(GPtrArray) replies = NULL;
  g_autoptr(GError) error = NULL;

  if (!(parent = byline_comment_store_load (w->comments,
                                            comment_id (w, cycle, CRASH_REPLIED_COMMENT),
                                            &error)))
    die ("loading a comment: %s", error->message);
  if (!(replies = byline_comment_store_list_replies (w->comments, parent, 100, &error)))
    die ("listing replies: %s", error->message);
  for (guint i = 0; i < replies->len; i++)
    if (g_str_equal (byline_comment_get_raw (g_ptr_array_index (replies, i)), text))
      return;
  if (byline_moderator_reply (w->moderator, byline_comment_get_id (parent), text, "admin",
                              &error) == 0)
    die ("reply: %s", error->message);
  report ("op reply %u", cycle);
  moderate (w);
}

/* Publishing */

static BylineDraft *
load_draft (Worker *w,
            gint64  id)
{
  g_autoptr(GError) error = NULL;
  BylineDraft *draft = byline_store_load_draft (w->store, id, &error);

  if (draft == NULL)
    die ("loading draft %" G_GINT64_FORMAT ": %s", id, error->message);
  return draft;
}

static void
save_draft (Worker      *w,
            BylineDraft *draft)
{
  g_autoptr(GError) error = NULL;

  if (!byline_store_save_draft (w->store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error))
    die ("saving a draft: %s", error->message);
}

static guint
count_entries (Worker                 *w,
               gint64                  draft_id,
               BylineOutboxAction      action,
               BylineOutboxEntry     **last)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (!(entries = byline_publisher_list_entries (w->publisher, draft_id, &error)))
    die ("listing the outbox: %s", error->message);
  for (guint i = 0; i < entries->len; i++)
    {
      BylineOutboxEntry *entry = g_ptr_array_index (entries, i);

      if (entry->action != action)
        continue;
      n++;
      if (last != NULL)
        {
          g_clear_pointer (last, byline_outbox_entry_free);
          *last = byline_outbox_entry_copy (entry);
        }
    }
  return n;
}

static void
enqueue_publish (Worker *w,
                 gint64  draft_id,
                 guint   nth)
{
  g_autoptr(BylineDraft) draft = load_draft (w, draft_id);
  g_autoptr(GError) error = NULL;
  BylinePublishOptions options = { "publish", NULL, NULL, 0 };

  if (byline_publisher_enqueue_publish (w->publisher, draft, w->account_id, &options,
                                        &error) == 0)
    die ("publishing: %s", error->message);
  report ("op publish %" G_GINT64_FORMAT " %u", draft_id, nth);
  publish (w);
}

static gint64
write_article (Worker *w,
               guint   cycle)
{
  g_autofree char *title = crash_workload_article_title (w->token, cycle);
  g_autofree char *marker = crash_workload_article_marker (w->token, cycle);
  g_autofree char *body = g_strdup_printf ("The briefing, as filed (%s).\n", marker);
  g_autofree char *alt = crash_workload_upload_alt (cycle);
  g_autofree char *image_ref = g_strdup_printf ("![%s](", alt);
  g_autoptr(BylineDraft) draft = find_or_create_draft (w, title, body);
  g_autoptr(BylineOutboxEntry) upload = NULL;
  g_autoptr(GError) error = NULL;
  gint64 draft_id = byline_draft_get_id (draft);

  /* The image: an entry, then the draft refers to it (a kill may fall between). */
  if (count_entries (w, draft_id, BYLINE_OUTBOX_ACTION_UPLOAD, &upload) == 0)
    {
      g_autoptr(GBytes) png = crash_workload_png ();
      g_autofree char *name = crash_workload_upload_name (w->token, cycle);
      g_autofree char *address = NULL;

      if (byline_publisher_enqueue_upload (w->publisher, draft_id, w->account_id, png, name,
                                           "image/png", alt, &address, &error) == 0)
        die ("uploading: %s", error->message);
      report ("op upload %u", cycle);
      publish (w);
      count_entries (w, draft_id, BYLINE_OUTBOX_ACTION_UPLOAD, &upload);
    }
  g_clear_object (&draft);
  draft = load_draft (w, draft_id);
  if (strstr (byline_draft_get_body (draft), image_ref) == NULL)
    {
      g_autofree char *with_image = g_strdup_printf ("%s\n%s%s)\n", byline_draft_get_body (draft),
                                                     image_ref, upload->local_address);

      byline_draft_set_body (draft, with_image);
      save_draft (w, draft);
      report ("op image %u", cycle);
    }

  if (count_entries (w, draft_id, BYLINE_OUTBOX_ACTION_PUBLISH, NULL) == 0)
    enqueue_publish (w, draft_id, 1);
  return draft_id;
}

static void
update_article (Worker *w,
                guint   cycle,
                gint64  draft_id)
{
  g_autoptr(BylineDraft) draft = load_draft (w, draft_id);
  g_autofree char *marker = crash_workload_update_marker (w->token, cycle);

  if (strstr (byline_draft_get_body (draft), marker) == NULL)
    {
      g_autofree char *body = g_strdup_printf ("%s\nUpdated after the briefing (%s).\n",
                                               byline_draft_get_body (draft), marker);

      byline_draft_set_body (draft, body);
      save_draft (w, draft);
      report ("op edit %u", cycle);
    }
  if (count_entries (w, draft_id, BYLINE_OUTBOX_ACTION_PUBLISH, NULL) < 2)
    enqueue_publish (w, draft_id, 2);
}

static gboolean
never (Worker *w)
{
  return FALSE;
}

static gboolean
typing_saved (Worker *w)
{
  return byline_autosave_get_state (w->autosave) == BYLINE_AUTOSAVE_SAVED;
}

static void
read_comments_file (Worker     *w,
                    const char *path)
{
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    die ("%s", error->message);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      guint cycle, k;
      long long remote_id;

      if (sscanf (lines[i], "%u %u %lld", &cycle, &k, &remote_id) != 3)
        continue;
      g_hash_table_insert (w->remote_ids, g_strdup_printf ("%u %u", cycle, k),
                           g_memdup2 (&(gint64) { remote_id }, sizeof (gint64)));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) accounts = NULL;
  Worker w = { 0 };

  if (argc != 5)
    {
      fprintf (stderr, "Usage: %s DBPATH TOKEN CYCLES COMMENTS_FILE\n", argv[0]);
      return 2;
    }
  g_log_set_writer_func (log_writer, NULL, NULL);
  w.token = argv[2];
  w.n_cycles = (guint) g_ascii_strtoull (argv[3], NULL, 10);
  w.remote_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  read_comments_file (&w, argv[4]);
  w.typed_max = 4 * 1024 * 1024;
  w.typed = crash_workload_typed_text (w.typed_max);

  if (!(w.store = byline_store_open (argv[1], &error)))
    die ("%s", error->message);
  w.accounts = byline_accounts_new (w.store);
  if (!(accounts = byline_accounts_list (w.accounts, &error)) || accounts->len != 1)
    die ("the store must hold one account");
  w.account_id = byline_account_get_id (g_ptr_array_index (accounts, 0));
  w.publisher = byline_publisher_new (w.store, w.accounts);
  w.comments = byline_comment_store_new (w.store);
  w.moderator = byline_moderator_new (w.comments, w.accounts);
  w.sync = byline_comment_sync_new (w.comments, w.accounts);
  g_signal_connect (w.publisher, "entry-changed", G_CALLBACK (entry_changed_cb), &w);
  g_signal_connect (w.comments, "changed", G_CALLBACK (comments_changed_cb), &w);
  report ("open");

  start_typing (&w);
  /* What an earlier run left in either outbox goes first, as when the app starts. */
  publish (&w);
  sync_comments (&w);
  moderate (&w);

  for (guint cycle = 1; cycle <= w.n_cycles; cycle++)
    {
      g_autofree char *next = g_strdup_printf ("%u 0", cycle);

      /* The test puts the comments on the site ahead of the work; a run that gets further
       * types on until it is killed. */
      if (!g_hash_table_contains (w.remote_ids, next))
        wait_until (&w, never, "the comments of the next cycle");

      gint64 draft_id = write_article (&w, cycle);

      moderate_cycle (&w, cycle);
      reply (&w, cycle);
      update_article (&w, cycle, draft_id);
      wait_until (&w, all_sent, "everything to be sent");
      report ("op cycle %u", cycle);
    }

  /* As quitting does: the typing saved, the moderator closed, the store closed cleanly. */
  wait_until (&w, typing_saved, "the typing to be saved");
  g_source_remove_by_user_data (&w);
  if (!byline_autosave_flush (w.autosave, &error))
    die ("saving the typing: %s", error->message);
  byline_moderator_close (w.moderator);
  if (!byline_store_close (w.store, &error))
    die ("closing the store: %s", error->message);
  report ("finished %zu", w.typed_len);
  return 0;
}
