/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-revisions.c: a 300 KB draft written for 8 hours (a revision a minute, Ctrl+S every half
 * hour): the time and memory of listing its revisions for the revisions window, with every body
 * (what the list read before) and without (what it reads now); then the saves that thin that
 * history, and the list afterwards. Prints medians and ranges. */

#include "config.h"

#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "byline-store.h"

#define BODY_SIZE   (300 * 1024)
#define HOURS       8
#define N_ROUNDS    15

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_values (const char *what,
              GArray     *values,
              const char *unit)
{
  g_array_sort (values, compare_doubles);
  printf ("  %-52s median %10.3f %s (min %.3f, max %.3f, %u runs)\n", what,
          g_array_index (values, double, values->len / 2), unit,
          g_array_index (values, double, 0), g_array_index (values, double, values->len - 1),
          values->len);
}

/* Bytes the heap holds for the program: arenas and blocks mapped of their own. */
static double
heap_bytes (void)
{
  struct mallinfo2 info = mallinfo2 ();

  return (double) info.uordblks + (double) info.hblkhd;
}

/* A long article, different in each revision as it is written. */
static char *
make_body (guint version)
{
  GString *body = g_string_sized_new (BODY_SIZE + 128);

  g_string_append_printf (body, "Version %u.\n\n", version);
  while (body->len < BODY_SIZE)
    g_string_append (body, "Foreign ministers of the Alliance met in Brussels today to discuss "
                     "the situation beyond its borders, and agreed to meet again. ");
  return g_string_free (body, FALSE);
}

/* Writes 8 hours of revisions ending now straight into the database, as they would have been
 * kept, before thinning existed: returns how many. */
static guint
plant_history (const char *path,
               gint64      draft_id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 now = g_get_real_time ();
  guint n = 0;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "BEGIN", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO revisions (draft_id, kind, created_at,"
                                       " title, body) VALUES (?1, ?2, ?3, ?4, ?5)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  for (guint minute = 0; minute < HOURS * 60; minute++)
    {
      g_autofree char *body = make_body (minute);
      gboolean explicit = minute % 30 == 29;

      sqlite3_bind_int64 (stmt, 1, draft_id);
      sqlite3_bind_int (stmt, 2, explicit ? BYLINE_REVISION_KIND_EXPLICIT
                                          : BYLINE_REVISION_KIND_AUTOMATIC);
      sqlite3_bind_int64 (stmt, 3, now - (HOURS * 60 - minute) * G_TIME_SPAN_MINUTE);
      sqlite3_bind_text (stmt, 4, "Ministers meet in Brussels", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, body, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
      sqlite3_reset (stmt);
      n++;
    }
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  return n;
}

/* Lists the revisions N_ROUNDS times, with every body read (@bodies: all, as the list did before),
 * none, or only the newest (what the revisions window reads when it opens). */
typedef enum {
  READ_NO_BODY,
  READ_NEWEST_BODY,
  READ_EVERY_BODY,
} BodiesRead;

static void
time_list (BylineStore *store,
           gint64       draft_id,
           BodiesRead   bodies,
           const char  *what)
{
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) memory = g_array_new (FALSE, FALSE, sizeof (double));
  guint listed = 0;

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      g_autoptr(GPtrArray) revisions = NULL;
      g_autoptr(GPtrArray) loaded = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GError) error = NULL;
      double before = heap_bytes ();
      gint64 start = g_get_monotonic_time ();
      double ms, mib;

      revisions = byline_store_list_revisions (store, draft_id, &error);
      g_assert_no_error (error);
      for (guint i = 0; i < (bodies == READ_EVERY_BODY ? revisions->len
                             : bodies == READ_NEWEST_BODY ? MIN (revisions->len, 1) : 0); i++)
        {
          BylineRevision *revision =
            byline_store_load_revision (store,
                                        byline_revision_get_id (g_ptr_array_index (revisions, i)),
                                        &error);

          g_assert_no_error (error);
          g_ptr_array_add (loaded, revision);
        }
      ms = (g_get_monotonic_time () - start) / 1000.0;
      mib = (heap_bytes () - before) / (1024.0 * 1024.0);
      g_array_append_val (times, ms);
      g_array_append_val (memory, mib);
      listed = revisions->len;
    }

  printf (" %s, %u revisions:\n", what, listed);
  print_values ("time", times, "ms");
  print_values ("memory held while listed", memory, "MiB");
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("byline-bench-revisions-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(GArray) thinning_saves = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) steady_saves = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sizes = NULL;
  GStatBuf st;
  guint planted;
  guint version = HOURS * 60;
  guint left;

  g_assert_nonnull (dir);
  store = byline_store_open (path, &error);
  g_assert_no_error (error);
  draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  g_assert_no_error (error);
  planted = plant_history (path, byline_draft_get_id (draft));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  printf ("Revisions of a %u KB draft written for %u hours (%u revisions, database %.0f MiB)\n",
          BODY_SIZE / 1024, HOURS, planted, st.st_size / (1024.0 * 1024.0));

  time_list (store, byline_draft_get_id (draft), READ_EVERY_BODY,
             "Before: the list with every body");
  time_list (store, byline_draft_get_id (draft), READ_NO_BODY, "Now: the list, no body");
  time_list (store, byline_draft_get_id (draft), READ_NEWEST_BODY,
             "Now: the list and the newest body (the window opening)");

  /* Writing goes on, with Ctrl+S each time, so that every save keeps a revision: the history
   * from before thinning goes, a batch per save, until a save thins nothing. */
  left = planted;
  for (;;)
    {
      g_autofree char *body = make_body (version++);
      guint before = left;
      gint64 start;
      double ms;

      byline_draft_set_body (draft, body);
      start = g_get_monotonic_time ();
      g_assert_true (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));
      g_assert_no_error (error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_clear_pointer (&revisions, g_ptr_array_unref);
      revisions = byline_store_list_revisions (store, byline_draft_get_id (draft), &error);
      g_assert_no_error (error);
      left = revisions->len;
      if (left > before)
        break;
      g_array_append_val (thinning_saves, ms);
    }

  printf (" Thinning the old history: %u saves, down to %u revisions:\n", thinning_saves->len,
          left);
  print_values ("a save of the 300 KB text that thins a batch", thinning_saves, "ms");

  /* Steady state: each save keeps a revision and thins the one or two that fall out. */
  for (guint i = 0; i < N_ROUNDS; i++)
    {
      g_autofree char *body = make_body (version++);
      gint64 start;
      double ms;

      byline_draft_set_body (draft, body);
      start = g_get_monotonic_time ();
      g_assert_true (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));
      g_assert_no_error (error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (steady_saves, ms);
    }
  print_values ("a save of the 300 KB text with a revision, after", steady_saves, "ms");

  time_list (store, byline_draft_get_id (draft), READ_NO_BODY, "After thinning: the list");

  g_assert_true (byline_store_close (store, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  sizes = g_strdup_printf ("%.0f MiB", st.st_size / (1024.0 * 1024.0));
  printf (" Database file after thinning: %s (SQLite reuses the freed pages; VACUUM would shrink "
          "it)\n", sizes);

  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
