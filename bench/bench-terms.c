/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-terms.c: times the Publish window's term picker with 1,000 of a site's terms: showing
 * them (from the kept list) and filtering them as each key of a search is typed, each until the
 * next frame is painted. Prints medians. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "byline-accounts.h"
#include "byline-term-cache.h"
#include "byline-term-index.h"
#include "byline-term-picker.h"

#define N_TERMS    1000
#define N_SHOWS    15
#define N_ROUNDS   5

static const char * const searches[] = { "press releases", "apres", "zone 05", "europe desk" };

static guint paints;

static void
after_paint_cb (GdkFrameClock *clock,
                gpointer       user_data)
{
  paints++;
}

/* Runs the main context until a frame is painted after this call; returns the time taken. */
static double
until_painted_ms (gint64 start)
{
  guint seen = paints;

  while (paints == seen)
    g_main_context_iteration (NULL, TRUE);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

static void
print_times (const char *what,
             GArray     *values)
{
  double mid = median (values);

  printf ("  %-46s median %.2f ms of %u (min %.2f, max %.2f)\n", what, mid, values->len,
          g_array_index (values, double, 0), g_array_index (values, double, values->len - 1));
}

static void
add_term (GPtrArray  *terms,
          gint64      id,
          const char *name,
          gint64      parent)
{
  BylineWpTerm *term = g_new0 (BylineWpTerm, 1);

  term->id = id;
  term->name = g_strdup (name);
  term->slug = g_strdup_printf ("t%" G_GINT64_FORMAT, id);
  term->parent = parent;
  g_ptr_array_add (terms, term);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("byline-bench-terms-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(BylineTermCache) cache = NULL;
  g_autoptr(BylineDraft) draft = byline_draft_new ();
  g_autoptr(GPtrArray) categories = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_wp_term_free);
  g_autoptr(GPtrArray) tags = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_wp_term_free);
  g_autoptr(GArray) shows = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) index_builds = g_array_new (FALSE, FALSE, sizeof (double));
  GtkWindow *window;
  GtkWidget *scrolled;
  BylineTermPicker *picker;
  GtkEditable *search;
  sqlite3 *db = NULL;

  gtk_init ();
  adw_init ();

  store = byline_store_open (path, &error);
  g_assert_no_error (error);
  accounts = byline_accounts_new (store);
  /* The account straight into the table: the picker's background listing fails without a
   * password, which is what offline looks like; what is timed is the kept list. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO accounts (id, site_url, api_root, username, "
                                 "created_at) VALUES (1, 'http://127.0.0.1:9/', "
                                 "'http://127.0.0.1:9/wp-json/', 'editor', 0)",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  account = byline_accounts_load (accounts, 1, &error);
  g_assert_no_error (error);

  /* 800 categories (a third of them under one of 20 desks, two "Press Releases" among them)
   * and 200 tags: 1,000 terms. */
  for (gint64 i = 1; i <= 800; i++)
    {
      g_autofree char *name = i <= 20 ? g_strdup_printf ("Europe Desk %02" G_GINT64_FORMAT, i)
                              : i == 21 || i == 22 ? g_strdup ("Press Releases")
                              : i == 23 ? g_strdup ("Après-guerre")
                              : g_strdup_printf ("Zone %04" G_GINT64_FORMAT, i);

      add_term (categories, i, name, i == 21 ? 1 : i == 22 ? 2 : i > 23 && i % 3 == 0 ? i % 20 + 1 : 0);
    }
  for (gint64 i = 1; i <= 200; i++)
    {
      g_autofree char *name = g_strdup_printf ("Tag après %03" G_GINT64_FORMAT, i);

      add_term (tags, 1000 + i, name, 0);
    }
  cache = byline_term_cache_new (store);
  g_assert_true (byline_term_cache_save (cache, 1, "categories", categories, &error));
  g_assert_true (byline_term_cache_save (cache, 1, "tags", tags, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < N_SHOWS; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autoptr(BylineTermIndex) index = byline_term_index_new (categories, TRUE);
      double ms = (g_get_monotonic_time () - start) / 1000.0;

      g_array_append_val (index_builds, ms);
    }

  picker = byline_term_picker_new (draft);
  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 700, 900);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (picker));
  gtk_window_set_child (window, scrolled);
  gtk_window_present (window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (gtk_widget_get_frame_clock (GTK_WIDGET (window)), "after-paint",
                    G_CALLBACK (after_paint_cb), NULL);
  search = byline_term_picker_get_search_entry (picker);

  for (guint i = 0; i < N_SHOWS; i++)
    {
      gint64 start;
      double ms;

      byline_term_picker_set_account (picker, accounts, NULL);
      until_painted_ms (g_get_monotonic_time ());
      start = g_get_monotonic_time ();
      byline_term_picker_set_account (picker, accounts, account);
      ms = until_painted_ms (start);
      g_array_append_val (shows, ms);
    }

  for (guint round = 0; round < N_ROUNDS; round++)
    for (guint s = 0; s < G_N_ELEMENTS (searches); s++)
      {
        for (gsize n = 1; n <= strlen (searches[s]); n++)
          {
            g_autofree char *typed = g_strndup (searches[s], n);
            gint64 start = g_get_monotonic_time ();
            double ms;

            gtk_editable_set_text (search, typed);
            ms = until_painted_ms (start);
            g_array_append_val (keys, ms);
          }
        gtk_editable_set_text (search, "");
        until_painted_ms (g_get_monotonic_time ());
      }

  printf ("Term picker, %u terms (800 categories, 200 tags), GSK_RENDERER=%s:\n", N_TERMS,
          g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");
  print_times ("index of 800 categories (paths, keys, order)", index_builds);
  print_times ("shown from the kept list, until painted", shows);
  print_times ("one key of a search, until painted", keys);

  gtk_window_destroy (window);
  g_clear_object (&store);
  g_unlink (path);
  g_rmdir (dir);
  return 0;
}
