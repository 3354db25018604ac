/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-list-pacer.c: BylineListPacer under a real GtkListView under Xvfb: what it reports is
 * always the start of its model, a big addition at the end of the list reaches the view a few
 * rows a frame, and an addition above rows already shown never hides them or moves the
 * selection off its item. */

#include "config.h"

#include <gtk/gtk.h>

#include "byline-list-pacer.h"
#include "byline-test-ui-util.h"

/* A window with a list view over a pacer over @store, and the selection model between them. */
typedef struct {
  GListStore         *store;
  GtkWidget          *window;
  GtkWidget          *view;
  BylineListPacer    *pacer;
  GtkSingleSelection *selection;
} Fixture;

static void
setup_cb (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          gpointer                  user_data)
{
  gtk_list_item_set_child (item, gtk_label_new (NULL));
}

static void
bind_cb (GtkSignalListItemFactory *factory,
         GtkListItem              *item,
         gpointer                  user_data)
{
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)),
                      gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  GtkWidget *scrolled = gtk_scrolled_window_new ();
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  f->store = g_list_store_new (GTK_TYPE_STRING_OBJECT);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cb), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cb), NULL);
  f->view = gtk_list_view_new (NULL, factory);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), f->view);
  f->window = gtk_window_new ();
  gtk_window_set_child (GTK_WINDOW (f->window), scrolled);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 400, 600);
  gtk_window_present (GTK_WINDOW (f->window));
  f->pacer = byline_list_pacer_new (G_LIST_MODEL (f->store), f->view);
  f->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (f->pacer)));
  /* The view takes a reference of its own: the fixture keeps its own too, and drops it. */
  gtk_list_view_set_model (GTK_LIST_VIEW (f->view), GTK_SELECTION_MODEL (f->selection));
  byline_test_iterate_for (200);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
  g_clear_object (&f->selection);
  g_clear_object (&f->pacer);
  g_clear_object (&f->store);
  byline_test_iterate_for (50);
}

/* Adds @n items named "@prefix N" at @position. */
static void
add_strings (GListStore *store,
             guint       position,
             guint       n,
             const char *prefix)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *text = g_strdup_printf ("%s %u", prefix, i);

      g_ptr_array_add (items, gtk_string_object_new (text));
    }
  g_list_store_splice (store, position, 0, items->pdata, n);
}

static guint
n_shown (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (f->pacer));
}

static guint
n_in_model (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (f->store));
}

/* What the pacer reports, item by item, is always the start of its model. */
typedef struct {
  Fixture    *f;
  GPtrArray  *mirror;     /* the items, as its items-changed told them */
  guint       n_signals;
  guint       most_added; /* the most items one items-changed added */
} Checker;

static void
pacer_changed_cb (GListModel *pacer,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Checker    *c)
{
  g_assert_cmpuint (position + removed, <=, c->mirror->len);
  g_ptr_array_remove_range (c->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    g_ptr_array_insert (c->mirror, position + i, g_list_model_get_item (pacer, position + i));
  g_assert_cmpuint (c->mirror->len, ==, g_list_model_get_n_items (pacer));
  g_assert_cmpuint (c->mirror->len, <=, n_in_model (c->f));
  for (guint i = 0; i < c->mirror->len; i++)
    {
      g_autoptr(GObject) item = g_list_model_get_item (G_LIST_MODEL (c->f->store), i);

      g_assert_true (g_ptr_array_index (c->mirror, i) == item);
    }
  c->n_signals++;
  c->most_added = MAX (c->most_added, added);
}

static void
checker_init (Checker *c,
              Fixture *f)
{
  *c = (Checker) { f, g_ptr_array_new_with_free_func (g_object_unref) };
  for (guint i = 0; i < n_shown (f); i++)
    g_ptr_array_add (c->mirror, g_list_model_get_item (G_LIST_MODEL (f->pacer), i));
  g_signal_connect (f->pacer, "items-changed", G_CALLBACK (pacer_changed_cb), c);
}

static void
checker_clear (Checker *c)
{
  g_signal_handlers_disconnect_by_data (c->f->pacer, c);
  g_ptr_array_unref (c->mirror);
}

static gboolean
caught_up (gpointer user_data)
{
  Fixture *f = user_data;

  return n_shown (f) == n_in_model (f);
}

/* Thousands added at the end reach the list a few at a time, frame after frame; every other
 * change passes as it is, also while it paces; in the end the list has it all. */
static void
test_consistent (Fixture       *f,
                 gconstpointer  data)
{
  Checker c;

  checker_init (&c, f);

  /* A few pass at once. */
  add_strings (f->store, 0, 10, "first");
  g_assert_cmpuint (n_shown (f), ==, 10);

  /* Thousands after them: a few now, more each frame. */
  add_strings (f->store, 10, 3000, "paced");
  g_assert_cmpuint (n_shown (f), <, 100);
  /* Meanwhile, changes among the rows shown and past them. */
  add_strings (f->store, 0, 2, "top");
  g_list_store_remove (f->store, 3);
  g_list_store_splice (f->store, 2000, 5, NULL, 0);
  byline_test_iterate_for (20);
  add_strings (f->store, n_shown (f) - 1, 1, "among");
  if (!byline_test_wait_until (caught_up, f, 10000))
    g_error ("The list has %u items, not %u", n_shown (f), n_in_model (f));
  g_assert_cmpuint (c.most_added, <, 3000);
  g_assert_cmpuint (c.n_signals, >, 4);

  /* All gone, then all back: paced again. */
  g_list_store_remove_all (f->store);
  g_assert_cmpuint (n_shown (f), ==, 0);
  add_strings (f->store, 0, 5000, "back");
  g_assert_cmpuint (n_shown (f), <, 100);
  if (!byline_test_wait_until (caught_up, f, 10000))
    g_error ("The list did not take the 5,000 items");

  checker_clear (&c);
}

/* Items added above the rows shown (a sync bringing new comments to the top of a list, an
 * undo into a list that still has rows) come at once, whatever their number: the rows shown
 * stay, and the selection stays on its item. Paced, the list would end 16 items after the
 * addition for a few frames, the selected row would leave it, and GTK would select another. */
static void
test_keeps_shown_rows (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GObject) selected = NULL;
  Checker c;

  /* Into the empty list: paced, until all are there. */
  add_strings (f->store, 0, 40, "shown");
  g_assert_cmpuint (n_shown (f), <, 40);
  if (!byline_test_wait_until (caught_up, f, 10000))
    g_error ("The list has %u items, not 40", n_shown (f));
  /* The pacing is over after a few frames more. */
  byline_test_iterate_for (300);
  gtk_single_selection_set_selected (f->selection, 30);
  selected = g_object_ref (gtk_single_selection_get_selected_item (f->selection));
  byline_test_iterate_for (50);
  checker_init (&c, f);

  add_strings (f->store, 0, 17, "new");
  g_assert_cmpuint (n_shown (f), ==, 57);
  g_assert_cmpuint (gtk_single_selection_get_selected (f->selection), ==, 47);
  g_assert_true (gtk_single_selection_get_selected_item (f->selection) == (gpointer) selected);

  /* Hundreds just above the selected row: the same. */
  add_strings (f->store, 40, 500, "middle");
  g_assert_cmpuint (n_shown (f), ==, 557);
  g_assert_cmpuint (gtk_single_selection_get_selected (f->selection), ==, 547);
  g_assert_true (gtk_single_selection_get_selected_item (f->selection) == (gpointer) selected);
  byline_test_iterate_for (100);
  g_assert_true (gtk_single_selection_get_selected_item (f->selection) == (gpointer) selected);

  /* While a big addition at the end is paced, one above the selection keeps the rows shown
   * too: the end of what is shown moves down with them. */
  g_list_store_remove_all (f->store);
  add_strings (f->store, 0, 3000, "paced");
  g_assert_cmpuint (n_shown (f), <, 100);
  byline_test_iterate_for (50);
  {
    guint shown = n_shown (f);
    guint at = shown - 1;

    g_assert_cmpuint (shown, <, n_in_model (f));
    gtk_single_selection_set_selected (f->selection, at);
    g_clear_object (&selected);
    selected = g_object_ref (gtk_single_selection_get_selected_item (f->selection));
    add_strings (f->store, 0, 20, "above");
    g_assert_cmpuint (n_shown (f), >=, shown + 20);
    g_assert_cmpuint (gtk_single_selection_get_selected (f->selection), ==, at + 20);
    g_assert_true (gtk_single_selection_get_selected_item (f->selection) == (gpointer) selected);
  }
  if (!byline_test_wait_until (caught_up, f, 10000))
    g_error ("The list has %u items, not %u", n_shown (f), n_in_model (f));
  g_assert_true (gtk_single_selection_get_selected_item (f->selection) == (gpointer) selected);

  checker_clear (&c);
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  gtk_init ();

#define ADD(path, func) \
  g_test_add ("/ui/list-pacer/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("consistent", test_consistent);
  ADD ("keeps-shown-rows", test_keeps_shown_rows);
#undef ADD

  return g_test_run ();
}
