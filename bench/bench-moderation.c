/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-moderation.c: times the moderation path against a real WordPress: the first sync of
 * 10,000 comments, showing a 10,000-comment Pending view, one decision to the next comment,
 * sending 1,000 decisions with 1, 2, 4 and 8 requests in flight, and the longest stall of the
 * main thread while a decision on 10,000 goes out (and its undo).
 *
 * Run under tests/wordpress/with-wordpress (which stands a fresh site up on loopback) with the
 * test bed's script as the argument, to seed the comments:
 *   with-wordpress bench-moderation tests/wordpress/testbed
 * Everything goes through Byline's own code: a store, the account in a private keyring, the
 * BylineCommentSync, BylineCommentQueue and BylineModerator. Prints numbers; fails only when
 * something does not work (a decision the site did not take, a count that is off), never on the
 * numbers. */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "byline-accounts.h"
#include "byline-comment-queue.h"
#include "byline-comment-store.h"
#include "byline-comment-sync.h"
#include "byline-moderator.h"
#include "byline-store.h"
#include "byline-test-util.h"

#define N_SEEDED          10000
#define N_SYNC_RUNS       3
#define N_VIEW_RUNS       20
#define FIRST_ITEMS       50
#define N_DECISIONS       200
#define N_SENT            1000
#define N_SEND_ROUNDS     3
#define CALL_TIMEOUT_MS   600000

typedef struct {
  const char         *testbed;
  const char         *statedir;
  char               *root;
  BylineStore        *store;
  BylineAccounts     *accounts;
  BylineCommentStore *comments;
  gint64              account_id;
} Bench;

G_GNUC_NORETURN
G_GNUC_PRINTF (1, 2) static void
fail (const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  fputs ("bench-moderation: error: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  exit (1);
}

/* Waiting and statistics ---------------------------------------------------------------------- */

static gboolean
set_flag_cb (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
wait_for_result (GAsyncResult **result,
                 const char    *what)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add (CALL_TIMEOUT_MS, set_flag_cb, &timed_out);

  while (*result == NULL && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (*result == NULL)
    fail ("%s: no answer within %u s", what, CALL_TIMEOUT_MS / 1000);
  g_source_remove (timeout_id);
}

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* @samples in microseconds, reported in milliseconds: median, p95 (nearest rank), min, max. */
static void
report (const char *what,
        GArray     *samples,
        const char *unit,
        const char *extra)
{
  gint64 *v;
  guint n = samples->len;
  double median;

  g_array_sort (samples, compare_gint64);
  v = (gint64 *) (gpointer) samples->data;
  median = (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0) / 1000.0;
  printf ("%s: median %.*f ms, p95 %.*f ms, spread %.*f ms (min %.*f, max %.*f; %u %s)%s\n",
          what, median < 10 ? 2 : 0, median,
          median < 10 ? 2 : 0, v[MIN (n - 1, (n * 95 + 99) / 100 - 1)] / 1000.0,
          median < 10 ? 2 : 0, (v[n - 1] - v[0]) / 1000.0,
          median < 10 ? 2 : 0, v[0] / 1000.0, median < 10 ? 2 : 0, v[n - 1] / 1000.0,
          n, unit, extra ? extra : "");
  fflush (stdout);
}

/* Setting up ---------------------------------------------------------------------------------- */

static char *private_root;

static void
remove_private_folders (void)
{
  if (private_root != NULL)
    byline_test_rm_rf (private_root);
  g_clear_pointer (&private_root, g_free);
}

/* Private HOME and XDG folders, removed at exit: the keyring and the stores live there. */
static void
make_private_folders (void)
{
  static const char *variables[][2] = {
    { "HOME", "home" }, { "XDG_DATA_HOME", "data" }, { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" }, { "XDG_STATE_HOME", "state" },
    { "XDG_RUNTIME_DIR", "runtime" },
  };
  g_autoptr(GError) error = NULL;

  private_root = g_dir_make_tmp ("byline-bench-moderation-XXXXXX", &error);
  if (private_root == NULL)
    fail ("could not make a temporary folder: %s", error->message);
  atexit (remove_private_folders);
  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    {
      g_autofree char *dir = g_build_filename (private_root, variables[i][1], NULL);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        fail ("could not make %s: %s", dir, g_strerror (errno));
      g_setenv (variables[i][0], dir, TRUE);
    }
}

static void
seed (Bench *b,
      guint  n)
{
  g_autofree char *count = g_strdup_printf ("%u", n);
  const char *argv[] = { b->testbed, "seed-comments", b->statedir, count, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err,
                     &status, &error))
    fail ("could not run %s: %s", b->testbed, error->message);
  if (!g_spawn_check_wait_status (status, NULL))
    fail ("testbed seed-comments failed: %s", err);
}

/* Opens a new, empty store at @name with the test bed's account (the password in the keyring). */
static void
open_store (Bench      *b,
            const char *name)
{
  g_autofree char *path = g_build_filename (private_root, name, NULL);
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_object (&b->comments);
  g_clear_object (&b->accounts);
  if (b->store != NULL && !byline_store_close (b->store, &error))
    fail ("could not close the store: %s", error->message);
  g_clear_object (&b->store);

  if (!(b->store = byline_store_open (path, &error)))
    fail ("could not open the store: %s", error->message);
  b->accounts = byline_accounts_new (b->store);
  account = byline_test_add_wordpress_account (b->accounts);
  b->account_id = byline_account_get_id (account);
  b->comments = byline_comment_store_new (b->store);
}

static gint64
sync_comments (Bench                *b,
               BylineCommentSyncMode mode)
{
  g_autoptr(BylineCommentSync) sync = byline_comment_sync_new (b->comments, b->accounts);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  byline_comment_sync_run_async (sync, b->account_id, mode, NULL, byline_test_store_result_cb,
                                 &result);
  wait_for_result (&result, "byline_comment_sync_run_async");
  if (!byline_comment_sync_run_finish (sync, result, NULL, &error))
    fail ("the sync failed: %s", error->message);
  return g_get_monotonic_time () - start;
}

static guint
count_view (Bench            *b,
            BylineCommentView view)
{
  guint counts[BYLINE_COMMENT_N_VIEWS];
  g_autoptr(GError) error = NULL;

  if (!byline_comment_store_count (b->comments, b->account_id, 0, counts, &error))
    fail ("could not count the comments: %s", error->message);
  return counts[view];
}

/* The benchmarks ------------------------------------------------------------------------------ */

/* (a) Every comment of the site into an empty store, as the first sync does. */
static void
bench_full_sync (Bench *b)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *what = NULL;
  guint total = 0;

  for (guint run = 0; run < N_SYNC_RUNS; run++)
    {
      g_autofree char *name = g_strdup_printf ("sync-%u.db", run);
      gint64 elapsed;

      open_store (b, name);
      elapsed = sync_comments (b, BYLINE_COMMENT_SYNC_FULL);
      g_array_append_val (samples, elapsed);
      total = 0;
      for (guint v = BYLINE_COMMENT_VIEW_PENDING; v <= BYLINE_COMMENT_VIEW_TRASH; v++)
        total += count_view (b, v);
    }
  if (total < N_SEEDED)
    fail ("the full sync brought %u comments, fewer than the %u seeded", total, N_SEEDED);
  what = g_strdup_printf ("(a) full first sync of %u comments into an empty store (%u pages "
                          "of 100, %u in flight)", total, (total + 99) / 100,
                          BYLINE_COMMENT_SYNC_PAGES_IN_FLIGHT);
  report (what, samples, "runs", NULL);
}

/* (b) From nothing to the first 50 rows of the Pending view: the query, and the items the list
 * view asks for first, through the GListModel. */
static void
bench_view (Bench *b)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *what = NULL;
  BylineCommentFilter filter = { .account_id = b->account_id,
                                 .view = BYLINE_COMMENT_VIEW_PENDING };
  guint n_items = 0;

  for (guint run = 0; run < N_VIEW_RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BylineCommentQueue) queue = NULL;
      gint64 start = g_get_monotonic_time (), elapsed;

      queue = byline_comment_queue_new (b->comments);
      if (!byline_comment_queue_set_filter (queue, &filter, &error))
        fail ("could not show the Pending view: %s", error->message);
      n_items = g_list_model_get_n_items (G_LIST_MODEL (queue));
      for (guint i = 0; i < MIN (FIRST_ITEMS, n_items); i++)
        {
          g_autoptr(BylineComment) comment = g_list_model_get_item (G_LIST_MODEL (queue), i);

          if (byline_comment_get_text (comment) == NULL)
            fail ("item %u has no text", i);
        }
      elapsed = g_get_monotonic_time () - start;
      g_array_append_val (samples, elapsed);
    }
  what = g_strdup_printf ("(b) show the Pending view of %u comments from the store (query + "
                          "first %u items)", n_items, FIRST_ITEMS);
  report (what, samples, "runs", NULL);
}

/* Sends what waits, until nothing does; fails on any refusal. Returns the time taken. */
static gint64
send_all (Bench           *b,
          BylineModerator *moderator)
{
  gint64 start = g_get_monotonic_time ();

  while (byline_moderator_count_waiting (moderator, b->account_id) > 0)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;

      byline_moderator_process_async (moderator, NULL, byline_test_store_result_cb, &result);
      wait_for_result (&result, "byline_moderator_process_async");
      if (!byline_moderator_process_finish (moderator, result, &error))
        fail ("sending the decisions failed: %s", error->message);
    }
  return g_get_monotonic_time () - start;
}

static void
action_failed_cb (BylineModerator *moderator,
                  gint64           comment_id,
                  const char      *message,
                  gpointer         user_data)
{
  fail ("the site refused a decision on comment %" G_GINT64_FORMAT ": %s", comment_id, message);
}

/* (c) A moderator on the first comment presses a: the decision is applied, the list updates,
 * and the comment that takes its place is read for the detail pane. */
static void
bench_decide_next (Bench *b)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(BylineModerator) moderator = byline_moderator_new (b->comments, b->accounts);
  g_autoptr(BylineCommentQueue) queue = byline_comment_queue_new (b->comments);
  g_autoptr(GError) error = NULL;
  g_autofree char *what = NULL, *sent = NULL;
  BylineCommentFilter filter = { .account_id = b->account_id,
                                 .view = BYLINE_COMMENT_VIEW_PENDING };
  guint n_before;
  gint64 send_us;

  g_signal_connect (moderator, "action-failed", G_CALLBACK (action_failed_cb), NULL);
  if (!byline_comment_queue_set_filter (queue, &filter, &error))
    fail ("could not show the Pending view: %s", error->message);
  n_before = g_list_model_get_n_items (G_LIST_MODEL (queue));

  for (guint i = 0; i < N_DECISIONS; i++)
    {
      static const BylineDecision decisions[] = {
        BYLINE_DECISION_APPROVE, BYLINE_DECISION_SPAM, BYLINE_DECISION_TRASH,
      };
      gint64 id = byline_comment_queue_get_id (queue, 0);
      g_autoptr(BylineComment) next = NULL;
      gint64 start = g_get_monotonic_time (), elapsed;

      if (!byline_moderator_decide (moderator, &id, 1, decisions[i % 3], &error))
        fail ("the decision failed: %s", error->message);
      next = g_list_model_get_item (G_LIST_MODEL (queue), 0);
      elapsed = g_get_monotonic_time () - start;
      if (next == NULL || byline_comment_get_id (next) == id)
        fail ("the decided comment did not leave the Pending view");
      g_array_append_val (samples, elapsed);
    }
  if (g_list_model_get_n_items (G_LIST_MODEL (queue)) != n_before - N_DECISIONS)
    fail ("the Pending view has %u comments, not %u", g_list_model_get_n_items (G_LIST_MODEL (queue)),
          n_before - N_DECISIONS);
  what = g_strdup_printf ("(c) decide and show the next comment, Pending view of %u", n_before);
  report (what, samples, "decisions", NULL);

  /* Not timed: the site gets them, so that it and the store agree for (d). */
  send_us = send_all (b, moderator);
  sent = g_strdup_printf ("    (those %u decisions then sent in %.1f s, not timed above)\n",
                          N_DECISIONS, send_us / 1e6);
  fputs (sent, stdout);
}

/* (d) 1,000 decisions sent with 1, 2, 4 and 8 requests in flight. Each setting has its own
 * 1,000 pending comments, approved, then sent back to pending, then approved again: three
 * rounds of the same work, the settings taking turns in each round. */
static void
bench_send (Bench *b)
{
  static const guint in_flight[] = { 1, 2, 4, 8 };
  g_autoptr(BylineModerator) moderator = byline_moderator_new (b->comments, b->accounts);
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GError) error = NULL;
  GArray *samples[G_N_ELEMENTS (in_flight)];
  gint64 ids[G_N_ELEMENTS (in_flight)][N_SENT];
  BylineCommentFilter filter = { .account_id = b->account_id,
                                 .view = BYLINE_COMMENT_VIEW_PENDING, .oldest_first = TRUE };
  guint approved_before = count_view (b, BYLINE_COMMENT_VIEW_APPROVED);

  g_signal_connect (moderator, "action-failed", G_CALLBACK (action_failed_cb), NULL);
  keys = byline_comment_store_query (b->comments, &filter, &error);
  if (keys == NULL || keys->len < G_N_ELEMENTS (in_flight) * N_SENT)
    fail ("not enough pending comments for (d)");
  for (guint k = 0; k < G_N_ELEMENTS (in_flight); k++)
    {
      samples[k] = g_array_new (FALSE, FALSE, sizeof (gint64));
      for (guint i = 0; i < N_SENT; i++)
        ids[k][i] = g_array_index (keys, BylineCommentKey, k * N_SENT + i).id;
    }

  for (guint round = 0; round < N_SEND_ROUNDS; round++)
    for (guint k = 0; k < G_N_ELEMENTS (in_flight); k++)
      {
        BylineDecision decision = round % 2 ? BYLINE_DECISION_UNAPPROVE : BYLINE_DECISION_APPROVE;
        gint64 elapsed;

        if (!byline_moderator_decide (moderator, ids[k], N_SENT, decision, &error))
          fail ("the decisions failed: %s", error->message);
        byline_moderator_set_in_flight (moderator, in_flight[k]);
        elapsed = send_all (b, moderator);
        g_array_append_val (samples[k], elapsed);
      }

  /* The site must have them all: an odd number of rounds ends approved. */
  if (count_view (b, BYLINE_COMMENT_VIEW_APPROVED) != approved_before + G_N_ELEMENTS (in_flight) * N_SENT)
    fail ("the store does not show the %u approved comments", (guint) G_N_ELEMENTS (in_flight) * N_SENT);
  sync_comments (b, BYLINE_COMMENT_SYNC_FULL);
  if (count_view (b, BYLINE_COMMENT_VIEW_APPROVED) != approved_before + G_N_ELEMENTS (in_flight) * N_SENT)
    fail ("the site does not have the %u approved comments", (guint) G_N_ELEMENTS (in_flight) * N_SENT);

  for (guint k = 0; k < G_N_ELEMENTS (in_flight); k++)
    {
      g_autofree char *what = g_strdup_printf ("(d) send %u decisions, %u request%s in flight",
                                               N_SENT, in_flight[k], in_flight[k] > 1 ? "s" : "");
      g_autofree char *extra = NULL;
      double median_ms;

      g_array_sort (samples[k], compare_gint64);
      median_ms = g_array_index (samples[k], gint64, samples[k]->len / 2) / 1000.0;
      extra = g_strdup_printf (": %.1f ms a decision", median_ms / N_SENT);
      report (what, samples[k], "rounds", extra);
      g_array_unref (samples[k]);
    }
}

/* (e) The longest stall of the main thread while the outbox sends, a decision on N_BULK
 * comments (then its undo) waiting: each answer has the moderator look for what is due next.
 * A timeout source ticks every millisecond; the longest time between two ticks is the longest
 * the window could not draw. */

#define N_BULK           10000
#define BULK_SEND_SECONDS 10

/* Half a frame: stalls longer than this are counted. WordPress's PHP runs on the same cores
 * and may take them from this process now and then, so the longest alone says little. */
#define LONG_GAP_USEC 8000

static gint64 last_tick, longest_gap;
static guint n_long_gaps;

static gboolean
tick_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  longest_gap = MAX (longest_gap, now - last_tick);
  if (now - last_tick > LONG_GAP_USEC)
    n_long_gaps++;
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

/* Sends for BULK_SEND_SECONDS (or until nothing waits); returns the longest stall, in
 * @n_long how many lasted over LONG_GAP_USEC, and in @n_sent how many decisions went. */
static gint64
send_for_a_while (Bench           *b,
                  BylineModerator *moderator,
                  guint           *n_long,
                  guint           *n_sent)
{
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  guint before = byline_moderator_count_waiting (moderator, b->account_id);
  gint64 end = g_get_monotonic_time () + BULK_SEND_SECONDS * G_TIME_SPAN_SECOND;
  guint tick_id;
  gint64 gap;

  last_tick = g_get_monotonic_time ();
  longest_gap = 0;
  n_long_gaps = 0;
  tick_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, tick_cb, NULL, NULL);
  byline_moderator_process_async (moderator, cancellable, byline_test_store_result_cb, &result);
  while (result == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  gap = MAX (longest_gap, g_get_monotonic_time () - last_tick);
  *n_long = n_long_gaps;
  g_source_remove (tick_id);
  /* What is out comes back; the rest waits. */
  g_cancellable_cancel (cancellable);
  wait_for_result (&result, "byline_moderator_process_async");
  *n_sent = before - byline_moderator_count_waiting (moderator, b->account_id);
  return gap;
}

static void
bench_bulk_sending (Bench *b)
{
  g_autoptr(BylineModerator) moderator = byline_moderator_new (b->comments, b->accounts);
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  BylineCommentFilter filter = { .account_id = b->account_id,
                                 .view = BYLINE_COMMENT_VIEW_PENDING };
  gint64 decided_gap, undone_gap;
  guint n_decided, n_undone, long_decided, long_undone;
  g_autofree char *what = NULL;

  g_signal_connect (moderator, "action-failed", G_CALLBACK (action_failed_cb), NULL);
  keys = byline_comment_store_query (b->comments, &filter, &error);
  if (keys == NULL || keys->len < N_BULK)
    fail ("not enough pending comments for (e): %u", keys ? keys->len : 0);
  for (guint i = 0; i < N_BULK; i++)
    g_array_append_val (ids, g_array_index (keys, BylineCommentKey, i).id);

  if (!byline_moderator_decide (moderator, (const gint64 *) ids->data, N_BULK,
                                BYLINE_DECISION_SPAM, &error))
    fail ("the decision failed: %s", error->message);
  decided_gap = send_for_a_while (b, moderator, &long_decided, &n_decided);
  if (!byline_moderator_undo (moderator, NULL, &error))
    fail ("the undo failed: %s", error->message);
  undone_gap = send_for_a_while (b, moderator, &long_undone, &n_undone);

  what = g_strdup_printf ("(e) sending with %u decisions waiting, %u s: longest main-thread stall "
                          "%.1f ms, %u over %u ms, %u sent; after their undo: %.1f ms, %u over "
                          "%u ms, %u sent\n", N_BULK, BULK_SEND_SECONDS, decided_gap / 1000.0,
                          long_decided, LONG_GAP_USEC / 1000, n_decided, undone_gap / 1000.0,
                          long_undone, LONG_GAP_USEC / 1000, n_undone);
  fputs (what, stdout);
  fflush (stdout);
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { 0 };
  g_autoptr(GError) error = NULL;
  GTestDBus *bus;
  gint64 elapsed;
  g_autofree char *what = NULL;

  if (argc != 2)
    fail ("usage: with-wordpress bench-moderation PATH/TO/tests/wordpress/testbed");
  bench.testbed = argv[1];
  bench.statedir = g_getenv ("BYLINE_WP_STATEDIR");
  if (bench.statedir == NULL)
    fail ("BYLINE_WP_STATEDIR is not set: run this under tests/wordpress/with-wordpress");

  make_private_folders ();
  /* Also keeps the shared bus connection from raising SIGTERM when the bus goes at the end. */
  bus = byline_test_start_keyring ();

  seed (&bench, N_SEEDED);
  printf ("setup: %u comments seeded (half held, 3 in 10 approved, 2 in 10 spam) besides the 4 "
          "DipNote ones\n", N_SEEDED);
  fflush (stdout);
  bench_full_sync (&bench);

  /* Another 10,000, half of them held, brought in as a later sync does: a Pending view of
   * 10,000. */
  seed (&bench, N_SEEDED);
  elapsed = sync_comments (&bench, BYLINE_COMMENT_SYNC_CHANGES);
  what = g_strdup_printf ("    later sync bringing %u new comments (store then %u pending): "
                          "%.1f s\n", N_SEEDED, count_view (&bench, BYLINE_COMMENT_VIEW_PENDING),
                          elapsed / 1e6);
  fputs (what, stdout);

  bench_view (&bench);
  bench_decide_next (&bench);
  bench_send (&bench);

  /* Another 20,000, half of them held, for (e). */
  seed (&bench, 2 * N_SEEDED);
  sync_comments (&bench, BYLINE_COMMENT_SYNC_CHANGES);
  bench_bulk_sending (&bench);

  g_clear_object (&bench.comments);
  g_clear_object (&bench.accounts);
  if (!byline_store_close (bench.store, &error))
    g_printerr ("bench-moderation: warning: could not close the store: %s\n", error->message);
  g_clear_object (&bench.store);
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  /* stop, not down (see byline_test_start_keyring). */
  g_test_dbus_stop (bus);
  return 0;
}
