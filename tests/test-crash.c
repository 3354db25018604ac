/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-crash.c: kills a writing process with SIGKILL, again and again, and checks that every
 * committed save survives whole.
 *
 * Each round starts crash-writer on the same database (a new one every ROUNDS_PER_DATABASE
 * rounds) and kills it at a random moment: a random 0-50 ms after the start (half the time within
 * the first 8 ms, during its open, migration or first save), or right after it reported a given
 * line. Then the store must open, SQLite must find the file intact, and the draft must hold
 * the last body the child reported committed, or the one after (committed, then killed before
 * the line was printed), whole: never an older one, never a mix. BYLINE_CRASH_SEED and
 * BYLINE_CRASH_ROUNDS replay or lengthen a run; the seed is printed. */

#include "config.h"

#define G_LOG_DOMAIN "test-crash"

#include <signal.h>
#include <stdio.h>
#include <string.h>

#include <gio/gio.h>
#include <sqlite3.h>

#include "byline-store.h"
#include "byline-test-util.h"

#define DEFAULT_SEED 20261201
#define DEFAULT_ROUNDS 300
#define MAX_DELAY_USEC 50000
/* Start-up (open, migration, first save) takes a few milliseconds: aim there often. */
#define STARTUP_DELAY_USEC 8000
/* Every so many rounds start over on a new database, so that creation and migration get killed
 * too, not only the first time. */
#define ROUNDS_PER_DATABASE 25

/* The iteration a title and body are from, after checking that they are that iteration's,
 * byte for byte; 0 for the empty draft the writer starts from. */
static guint
check_iteration (const char *title,
                 const char *body)
{
  g_autofree char *expected_body = NULL;
  g_autofree char *expected_title = NULL;
  guint n = 0;

  if (*body == '\0' && *title == '\0')
    return 0;

  if (sscanf (body, "iteration %u", &n) != 1 || n == 0)
    g_error ("Not a body the writer makes (%zu bytes): %.60s…", strlen (body), body);
  expected_body = byline_test_crash_body (n);
  expected_title = g_strdup_printf ("Crash test %u", n);
  g_assert_cmpstr (title, ==, expected_title);
  if (!g_str_equal (body, expected_body))
    g_error ("The body of iteration %u is torn: %zu bytes instead of %zu", n, strlen (body),
             strlen (expected_body));
  return n;
}

typedef struct {
  gboolean saw_open;   /* the child had opened the store, so its session was marked */
  guint    last_saved; /* the last iteration it reported committed this round, or 0 */
  guint    n_saved;    /* how many saves it reported this round */
} Report;

/* Reads one line of the child's; FALSE at the end. */
static gboolean
read_report_line (GDataInputStream *in,
                  Report           *report)
{
  g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, NULL);
  guint n;

  if (line == NULL)
    return FALSE;
  if (g_str_equal (line, "open"))
    report->saw_open = TRUE;
  else if (sscanf (line, "saved %u", &n) == 1)
    {
      g_assert_cmpuint (n, >, report->last_saved);
      report->last_saved = n;
      report->n_saved++;
    }
  return TRUE;
}

/* Opens what the killed child left and checks it; returns the iteration on disk. */
static guint
check_database (const char   *path,
                const Report *report,
                guint         committed_before)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autofree char *integrity = NULL;
  guint floor = MAX (committed_before, report->last_saved);
  guint n = 0;
  sqlite3 *db = NULL;

  store = byline_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_nonnull (store);
  /* Killed before its open committed, the child may or may not have marked the session. */
  if (report->saw_open)
    g_assert_true (byline_store_get_recovered (store));

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  integrity = byline_test_sql_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");

  drafts = byline_store_list_drafts (store, &error);
  g_assert_no_error (error);
  if (drafts->len == 0)
    g_assert_cmpuint (floor, ==, 0);
  else
    {
      BylineDraft *draft = g_ptr_array_index (drafts, 0);

      g_assert_cmpuint (drafts->len, ==, 1);
      n = check_iteration (byline_draft_get_title (draft), byline_draft_get_body (draft));
      if (n < floor || n > floor + 1)
        g_error ("On disk: iteration %u; reported committed: %u", n, floor);

      /* Revisions are written in the same transactions: whole, and never ahead. */
      revisions = byline_store_list_revisions (store, byline_draft_get_id (draft), &error);
      g_assert_no_error (error);
      for (guint i = 0; i < revisions->len; i++)
        {
          BylineRevision *listed = g_ptr_array_index (revisions, i);
          g_autoptr(BylineRevision) revision =
            byline_store_load_revision (store, byline_revision_get_id (listed), &error);

          g_assert_no_error (error);
          g_assert_cmpuint (check_iteration (byline_revision_get_title (revision),
                                             byline_revision_get_body (revision)), <=, n);
        }
    }

  /* Keeps the file small, so that integrity_check stays quick over hundreds of rounds. */
  g_assert_cmpint (sqlite3_exec (db, "DELETE FROM revisions WHERE id NOT IN"
                                 " (SELECT id FROM revisions ORDER BY id DESC LIMIT 3)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  g_assert_true (byline_store_close (store, &error));
  g_assert_no_error (error);
  return n;
}

static void
test_sigkill (void)
{
  g_autofree char *writer = g_test_build_filename (G_TEST_BUILT, "crash-writer", NULL);
  g_autofree char *dir = byline_test_make_tmpdir ("crash");
  g_autofree char *path = NULL;
  const char *seed_env = g_getenv ("BYLINE_CRASH_SEED");
  const char *rounds_env = g_getenv ("BYLINE_CRASH_ROUNDS");
  guint32 seed = seed_env ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : DEFAULT_SEED;
  guint rounds = rounds_env ? (guint) g_ascii_strtoull (rounds_env, NULL, 10) : DEFAULT_ROUNDS;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint committed = 0;
  guint total_saves = 0;
  guint before_open = 0;
  guint unreported = 0;
  gint64 start = g_get_monotonic_time ();

  g_test_message ("BYLINE_CRASH_SEED=%u BYLINE_CRASH_ROUNDS=%u", seed, rounds);
  g_assert_true (g_file_test (writer, G_FILE_TEST_IS_EXECUTABLE));

  for (guint round = 0; round < rounds; round++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GSubprocess) child = NULL;
      g_autoptr(GDataInputStream) in = NULL;
      Report report = { FALSE, 0, 0 };
      /* A third of the rounds kill right after a line (0 meaning "open"), the others after a
       * delay that often falls in the child's start-up. */
      gboolean after_line = g_rand_int_range (rand, 0, 3) == 0;
      guint target_line = g_rand_int_range (rand, 0, 8);
      guint delay = g_rand_int_range (rand, 0, g_rand_boolean (rand) ? STARTUP_DELAY_USEC + 1
                                                                      : MAX_DELAY_USEC + 1);
      guint on_disk;

      if (round % ROUNDS_PER_DATABASE == 0)
        {
          g_autofree char *name = g_strdup_printf ("byline-%u.db", round / ROUNDS_PER_DATABASE);

          g_free (path);
          path = g_build_filename (dir, name, NULL);
          committed = 0;
        }

      child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, writer, path, NULL);
      g_assert_no_error (error);
      in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));

      if (after_line)
        {
          while (read_report_line (in, &report))
            if (target_line == 0 ? report.saw_open : report.n_saved >= target_line)
              break;
        }
      else
        g_usleep (delay);

      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      /* Whatever it printed before dying is still in the pipe. */
      while (read_report_line (in, &report))
        ;
      if (!g_subprocess_get_if_signaled (child) || g_subprocess_get_term_sig (child) != SIGKILL)
        g_error ("Round %u: crash-writer ended on its own (status %d)", round,
                 g_subprocess_get_status (child));

      on_disk = check_database (path, &report, committed);
      if (!report.saw_open)
        before_open++;
      if (on_disk > MAX (committed, report.last_saved))
        unreported++;
      total_saves += on_disk - committed;
      committed = on_disk;
    }

  g_test_message ("%u rounds in %.1f s: %u saves committed, %u kills before the store was open, "
                  "%u saves committed but not yet reported",
                  rounds, (g_get_monotonic_time () - start) / 1e6, total_saves, before_open,
                  unreported);
  /* The kills must not all land before the first save, or nothing was tested. */
  g_assert_cmpuint (total_saves, >, rounds / 4);
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);

  g_test_add_func ("/core/crash/sigkill", test_sigkill);

  return g_test_run ();
}
