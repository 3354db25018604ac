/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-spelling.c: times spell checking a whole draft in the editor: from opening a draft of
 * 5,000 and 50,000 words (with a misspelling every 250 words) to every misspelling marked, and
 * the longest the main loop was held by one piece of that work (what a key typed meanwhile could
 * wait). The first opening also loads the dictionary. Prints median and spread. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>

#include "bench-document.h"
#include "byline-editor.h"
#include "byline-spelling.h"
#include "byline-store.h"

#define N_OPENINGS   9
#define TYPO_EVERY   250
#define TIMEOUT_US   (60 * G_USEC_PER_SEC)

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
print_times (const char *what,
             GArray     *values)
{
  g_array_sort (values, compare_doubles);
  printf ("  %-52s median %.1f ms of %u (min %.1f, max %.1f)\n", what,
          g_array_index (values, double, values->len / 2), values->len,
          g_array_index (values, double, 0), g_array_index (values, double, values->len - 1));
}

/* The generated document with "goverment" put before every TYPO_EVERY-th word of prose. */
static char *
document_with_typos (guint  words,
                     guint *n_typos)
{
  g_autofree char *document = bench_document_generate (words);
  GString *out = g_string_new (NULL);
  guint n = 0;

  *n_typos = 0;
  for (const char *p = document; *p; p++)
    {
      if (*p == ' ' && g_ascii_islower (p[1]) && ++n % TYPO_EVERY == 0)
        {
          g_string_append (out, " goverment");
          (*n_typos)++;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static guint
count_marked (GtkTextBuffer *buffer,
              GtkTextTag    *tag)
{
  GtkTextIter iter;
  guint n = 0;

  gtk_text_buffer_get_start_iter (buffer, &iter);
  while (gtk_text_iter_forward_to_tag_toggle (&iter, tag))
    if (gtk_text_iter_starts_tag (&iter, tag))
      n++;
  gtk_text_buffer_get_start_iter (buffer, &iter);
  return n + gtk_text_iter_has_tag (&iter, tag);
}

/* Opens @draft in @editor and iterates until every word is checked; returns the time taken and
 * the longest single iteration of the main loop in @longest_ms. */
static double
open_until_checked (BylineEditor           *editor,
                    BylineStore            *store,
                    BylineDraft            *draft,
                    BylineSpellHighlighter *highlighter,
                    double                 *longest_ms)
{
  gint64 start = g_get_monotonic_time ();
  gint64 before;

  *longest_ms = 0;
  byline_editor_set_draft (editor, store, draft);
  before = g_get_monotonic_time ();
  while (!byline_spell_highlighter_is_idle (highlighter))
    {
      gint64 after;

      g_main_context_iteration (NULL, TRUE);
      after = g_get_monotonic_time ();
      *longest_ms = MAX (*longest_ms, (after - before) / 1000.0);
      before = after;
      if (after - start > TIMEOUT_US)
        g_error ("bench-spelling: the draft was not checked within a minute");
    }
  return (g_get_monotonic_time () - start) / 1000.0;
}

static void
bench_document (BylineStore *store,
                GtkWindow   *window,
                guint        words)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) empty = NULL;
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) longest = g_array_new (FALSE, FALSE, sizeof (double));
  g_autofree char *body = NULL;
  BylineEditor *editor;
  BylineSpellHighlighter *highlighter;
  GtkTextBuffer *buffer;
  double first, first_longest;
  guint n_typos;

  body = document_with_typos (words, &n_typos);
  draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  empty = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  if (draft == NULL || empty == NULL)
    g_error ("bench-spelling: %s", error->message);
  byline_draft_set_body (draft, body);
  byline_draft_set_language (draft, "en_US");
  byline_draft_set_language (empty, "en_US");

  /* A new editor: its first opening loads the dictionary too. */
  editor = BYLINE_EDITOR (byline_editor_new ());
  gtk_window_set_child (window, GTK_WIDGET (editor));
  while (!gtk_widget_get_mapped (GTK_WIDGET (editor)))
    g_main_context_iteration (NULL, TRUE);
  highlighter = byline_spelling_get_highlighter (byline_editor_get_spelling (editor));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (byline_editor_get_source_view (editor)));

  first = open_until_checked (editor, store, draft, highlighter, &first_longest);
  for (guint i = 0; i < N_OPENINGS; i++)
    {
      double ms, longest_ms, empty_longest;

      open_until_checked (editor, store, empty, highlighter, &empty_longest);
      ms = open_until_checked (editor, store, draft, highlighter, &longest_ms);
      g_array_append_val (times, ms);
      g_array_append_val (longest, longest_ms);
    }

  printf ("Spell checking a %u-word draft (%u misspellings put in, %u words marked), "
          "GSK_RENDERER=%s:\n", words, n_typos,
          count_marked (buffer, byline_spell_highlighter_get_tag (highlighter)),
          g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");
  printf ("  %-52s %.1f ms (longest main loop iteration %.1f ms)\n",
          "first opening, dictionary loaded, to all marked", first, first_longest);
  print_times ("opened again, to every misspelling marked", times);
  print_times ("longest main loop iteration meanwhile", longest);

  gtk_window_set_child (window, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *shm = NULL;
  GtkWindow *window;

  gtk_init ();
  adw_init ();
  gtk_source_init ();

  dir = g_dir_make_tmp ("byline-bench-spelling-XXXXXX", &error);
  if (dir == NULL)
    g_error ("bench-spelling: %s", error->message);
  path = g_build_filename (dir, "byline.db", NULL);
  store = byline_store_open (path, &error);
  if (store == NULL)
    g_error ("bench-spelling: %s", error->message);

  window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (window, 1400, 900);
  gtk_window_present (window);

  bench_document (store, window, 5000);
  bench_document (store, window, 50000);

  gtk_window_destroy (window);
  byline_store_close (store, NULL);
  g_clear_object (&store);
  g_unlink (path);
  wal = g_strconcat (path, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (dir);
  return 0;
}
