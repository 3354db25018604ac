/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-moderation-log.c: times the moderation trail: exporting 100,000 entries as CSV and as
 * JSON Lines to a file, and the cost of one decision on one comment, which now writes its trail
 * entry in its transaction (with a reason, and without).
 *
 * Core only, no site: decisions are written, not sent. The store, the comments and the trail's
 * entries are real rows of a real database in a temporary folder; the entries are made with
 * SQL in bulk (as 100,000 decisions would leave them, each with a 300-character snapshot).
 * Built with -DBENCH_WITHOUT_TRAIL against a core from before the trail, the same decisions
 * give the "before" numbers. Prints median and spread; never fails on the numbers. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "byline-accounts.h"
#include "byline-comment-store.h"
#include "byline-moderator.h"
#include "byline-store.h"
#ifndef BENCH_WITHOUT_TRAIL
#include "byline-moderation-log.h"
#endif

#define N_COMMENTS      2000
#define N_DECISIONS     500
#define N_ENTRIES       100000
#define N_EXPORT_RUNS   5

G_GNUC_NORETURN static void
fail (const char *what,
      const char *detail)
{
  fprintf (stderr, "bench-moderation-log: error: %s: %s\n", what, detail);
  exit (1);
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
        GArray     *samples)
{
  gint64 *v;
  guint n = samples->len;
  double median;

  g_array_sort (samples, compare_gint64);
  v = (gint64 *) (gpointer) samples->data;
  median = (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0) / 1000.0;
  printf ("%s: median %.3f ms, p95 %.3f ms, spread %.3f ms (min %.3f, max %.3f; %u runs)\n",
          what, median, v[MIN (n - 1, (n * 95 + 99) / 100 - 1)] / 1000.0,
          (v[n - 1] - v[0]) / 1000.0, v[0] / 1000.0, v[n - 1] / 1000.0, n);
  fflush (stdout);
}

static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  if (sqlite3_open (path, &db) != SQLITE_OK)
    fail ("open", sqlite3_errmsg (db));
  sqlite3_busy_timeout (db, 10000);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    fail ("sql", message);
  sqlite3_close (db);
}

/* One account and N_COMMENTS held comments of 300 characters, as a sync leaves them. */
static const char seed_sql[] =
  "INSERT INTO accounts (id, site_url, api_root, username, created_at)"
  "  VALUES (1, 'http://example.invalid', 'http://example.invalid/wp-json/', 'editor', 0);"
  "INSERT INTO comment_posts (account_id, post_id, title) VALUES (1, 4, 'Council budget');"
  "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)"
  " INSERT INTO comments (account_id, remote_id, post_id, author_name, author_email, date_gmt,"
  "  date_unix, content, raw, text, status, remote_status)"
  " SELECT 1, i, 4, 'Reader ' || i, 'reader' || i || '@example.org', '2026-01-01T00:00:00',"
  "  1767225600 + i, '<p>' || printf ('%.300c', 'x') || '</p>', printf ('%.300c', 'x'),"
  "  printf ('Comment %d: ', i) || printf ('%.290c', 'x'), 'hold', 'hold' FROM n;";

#ifndef BENCH_WITHOUT_TRAIL
/* N_ENTRIES trail entries over 100 days, with quotes, commas and newlines to quote. */
static const char entries_sql[] =
  "WITH RECURSIVE n (i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)"
  " INSERT INTO moderation_log (account_id, comment_id, remote_id, post_id, post_title,"
  "  author_name, author_email, who, created_at, utc_offset, action, status, reason,"
  "  reason_name, snapshot, confirmed_at)"
  " SELECT 1, i % 2000 + 1, i % 2000 + 1, 4, 'Council budget', 'Reader ' || i,"
  "  'reader@example.org', 'editor', 1764547200000000 + i * 86400, 3600, 'spam', 'spam',"
  "  'off-topic', 'Off topic',"
  "  '=SUM(1) \"quoted\", and' || char (10) || printf ('%.270c', 'y'),"
  "  1764547200000000 + i * 86400 + 500000 FROM n;";

static void
bench_export (BylineStore               *store,
              const char                *dir,
              BylineModerationLogFormat  format,
              const char                *what)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *path = g_build_filename (dir, "export.out", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  goffset size = 0;

  for (guint run = 0; run < N_EXPORT_RUNS; run++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GFileOutputStream) out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE,
                                                         NULL, &error);
      gint64 start = g_get_monotonic_time ();
      gint64 n;

      if (out == NULL)
        fail ("export", error->message);
      n = byline_moderation_log_export (store, 0, 0, G_MAXINT64, format, G_OUTPUT_STREAM (out),
                                        NULL, &error);
      if (n != N_ENTRIES + 2 * N_DECISIONS ||
          !g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error))
        fail ("export", error ? error->message
                              : g_strdup_printf ("%" G_GINT64_FORMAT " entries written", n));
      g_array_append_val (samples, ((gint64) { g_get_monotonic_time () - start }));
      {
        GStatBuf st;

        size = g_stat (path, &st) == 0 ? st.st_size : 0;
      }
    }
  report (what, samples);
  printf ("    (%.1f MB written)\n", size / 1e6);
}
#endif

/* N_DECISIONS decisions on one comment each, alternately spam and approve (each a change). */
static void
bench_decisions (BylineModerator *moderator,
                 gint64           first_id,
                 const char      *reason,
                 const char      *what)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < N_DECISIONS; i++)
    {
      g_autoptr(GError) error = NULL;
      gint64 id = first_id + i;
      gint64 start = g_get_monotonic_time ();
      gboolean ok;

#ifdef BENCH_WITHOUT_TRAIL
      (void) reason;
      ok = byline_moderator_decide (moderator, &id, 1, BYLINE_DECISION_SPAM, &error);
#else
      ok = byline_moderator_decide_with_reason (moderator, &id, 1, BYLINE_DECISION_SPAM, reason,
                                                &error);
#endif
      if (!ok)
        fail ("decide", error->message);
      g_array_append_val (samples, ((gint64) { g_get_monotonic_time () - start }));
    }
  report (what, samples);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("bench-moderation-log-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(BylineCommentStore) comments = NULL;
  g_autoptr(BylineModerator) moderator = NULL;

  if (dir == NULL)
    fail ("temporary folder", error->message);
  path = g_build_filename (dir, "byline.db", NULL);
  if (!(store = byline_store_open (path, &error)))
    fail ("store", error->message);
  raw_exec (path, seed_sql);
  accounts = byline_accounts_new (store);
  comments = byline_comment_store_new (store);
  moderator = byline_moderator_new (comments, accounts);

#ifdef BENCH_WITHOUT_TRAIL
  bench_decisions (moderator, 1, NULL, "one decision (spam), before the trail");
  bench_decisions (moderator, 1 + N_DECISIONS, NULL,
                   "one decision (spam), before the trail, again");
#else
  bench_decisions (moderator, 1, "off-topic", "one decision (spam) with a reason and its trail "
                   "entry");
  bench_decisions (moderator, 1 + N_DECISIONS, NULL, "one decision (spam) without a reason, "
                   "with its trail entry");
  raw_exec (path, entries_sql);
  bench_export (store, dir, BYLINE_MODERATION_LOG_CSV, "export of 101,000 trail entries as CSV");
  bench_export (store, dir, BYLINE_MODERATION_LOG_JSONL,
                "export of 101,000 trail entries as JSON Lines");
#endif

  g_clear_object (&moderator);
  g_clear_object (&comments);
  g_clear_object (&accounts);
  if (!byline_store_close (store, &error))
    fail ("close", error->message);
  g_clear_object (&store);
  {
    g_autoptr(GFile) folder = g_file_new_for_path (dir);
    g_autoptr(GFileEnumerator) files = g_file_enumerate_children (folder, "standard::name", 0,
                                                                  NULL, NULL);
    GFileInfo *info;

    while (files && (info = g_file_enumerator_next_file (files, NULL, NULL)))
      {
        g_autofree char *child = g_build_filename (dir, g_file_info_get_name (info), NULL);

        g_unlink (child);
        g_object_unref (info);
      }
    g_rmdir (dir);
  }
  return 0;
}
