/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-replace-all.c: Replace All of about 5,000 matches in a 50,000-word draft, in the real
 * editor, timed on the main thread (the whole of it is a pause of the window). */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <adwaita.h>
#include <gtksourceview/gtksource.h>

#include "bench-document.h"
#include "byline-editor.h"
#include "byline-find-bar.h"
#include "byline-store.h"

#define RUNS 7
/* "the", "said" and "city" as whole words: 4,997 matches in the generated 50,000 words. */
#define PATTERN "\\b(the|said|city)\\b"

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
is_entry_with_placeholder (GtkWidget  *widget,
                           const char *placeholder)
{
  g_autofree char *text = NULL;

  if (GTK_IS_SEARCH_ENTRY (widget) || GTK_IS_ENTRY (widget))
    g_object_get (widget, "placeholder-text", &text, NULL);
  return text != NULL && g_str_equal (text, placeholder);
}

static GtkWidget *
find_entry (GtkWidget  *root,
            const char *placeholder)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = is_entry_with_placeholder (child, placeholder)
                         ? child : find_entry (child, placeholder);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_of_type (GtkWidget *root,
              GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = G_TYPE_CHECK_INSTANCE_TYPE (child, type) ? child
                                                                  : find_of_type (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static guint
count_char (const char *text,
            char        c)
{
  guint n = 0;

  for (const char *p = text; (p = strchr (p, c)) != NULL; p++)
    n++;
  return n;
}

static GtkWidget *
find_check (GtkWidget  *root,
            const char *label)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = NULL;

      if (GTK_IS_CHECK_BUTTON (child)
          && g_strcmp0 (gtk_check_button_get_label (GTK_CHECK_BUTTON (child)), label) == 0)
        return child;
      if (GTK_IS_MENU_BUTTON (child))
        found = find_check (GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (child))),
                            label);
      if (found == NULL)
        found = find_check (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *tmpdir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *body = bench_document_generate (50000);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  GtkWidget *window, *editor, *source_view, *find_bar;
  GtkSourceBuffer *buffer;
  double times[RUNS];
  guint replaced = 0;

  gtk_init ();
  gtk_source_init ();
  adw_init ();

  tmpdir = g_dir_make_tmp ("byline-bench-XXXXXX", &error);
  path = g_build_filename (tmpdir, "byline.db", NULL);
  store = byline_store_open (path, &error);
  if (store == NULL)
    {
      fprintf (stderr, "bench-replace-all: %s\n", error->message);
      return 1;
    }
  draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  byline_draft_set_body (draft, body);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  editor = byline_editor_new ();
  gtk_window_set_child (GTK_WINDOW (window), editor);
  gtk_window_present (GTK_WINDOW (window));
  byline_editor_set_draft (BYLINE_EDITOR (editor), store, draft);
  source_view = byline_editor_get_source_view (BYLINE_EDITOR (editor));
  buffer = GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (source_view)));
  find_bar = find_of_type (editor, BYLINE_TYPE_FIND_BAR);
  iterate_for (1000);

  gtk_widget_activate_action (editor, "editor.replace", NULL);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (find_check (find_bar, "_Regular Expressions")),
                               TRUE);
  gtk_editable_set_text (GTK_EDITABLE (find_entry (find_bar, "Find in the draft")), PATTERN);
  gtk_editable_set_text (GTK_EDITABLE (find_entry (find_bar, "Replace with")), "[\\1]");

  for (guint run = 0; run < RUNS; run++)
    {
      GtkTextIter start, end;
      g_autofree char *text = NULL;
      gint64 before;

      /* The count of the matches comes first, as it would for a person reading "N matches". */
      iterate_for (1500);
      before = g_get_monotonic_time ();
      gtk_widget_activate_action (find_bar, "find.replace-all", NULL);
      times[run] = (g_get_monotonic_time () - before) / 1000.0;

      gtk_text_buffer_get_bounds (GTK_TEXT_BUFFER (buffer), &start, &end);
      text = gtk_text_buffer_get_text (GTK_TEXT_BUFFER (buffer), &start, &end, TRUE);
      replaced = count_char (text, ']') - count_char (body, ']');
      if (!g_str_equal (text, byline_draft_get_body (draft)))
        fprintf (stderr, "bench-replace-all: warning: the draft does not hold the text view's "
                 "text\n");
      gtk_text_buffer_undo (GTK_TEXT_BUFFER (buffer));
    }

  qsort (times, RUNS, sizeof *times, compare_doubles);
  printf ("Replace All of %u matches (regular expression %s) in a 50,000-word draft, the window "
          "paused: median %.0f ms, min %.0f, max %.0f (%d runs)\n", replaced, PATTERN,
          times[RUNS / 2], times[0], times[RUNS - 1], RUNS);

  gtk_window_destroy (GTK_WINDOW (window));
  byline_store_close (store, NULL);
  return 0;
}
