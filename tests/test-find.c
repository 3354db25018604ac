/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-find.c: find and replace in a draft with real keys under Xvfb: Ctrl+F finds as it is
 * typed, "N of M", Enter and Shift+Enter, Ctrl+G and Ctrl+Shift+G, Ctrl+H replaces one match or
 * all of them (Ctrl+Alt+Enter) in one step of undo, Escape gives the text its focus back; the
 * options (case, whole words, regular expressions with groups); Markdown and HTML drafts; and
 * a Replace All of thousands of matches that the draft follows. */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <gtksourceview/gtksource.h>

#include "byline-editor.h"
#include "byline-find-bar.h"
#include "byline-preview.h"
#include "byline-test-ui-util.h"

typedef struct {
  char          *dir;
  BylineStore   *store;
  BylineDraft   *draft;
  GtkWidget     *window;
  BylineEditor  *editor;
  GtkTextBuffer *buffer;
  BylineFindBar *find_bar;
  GtkWidget     *find_entry;
  GtkWidget     *replace_entry;
  GtkLabel      *position_label;
  char          *xid;
} Fixture;

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

static gboolean
is_entry_with_placeholder (GtkWidget     *widget,
                           gconstpointer  data)
{
  const char *placeholder = NULL;

  if (GTK_IS_SEARCH_ENTRY (widget) || GTK_IS_ENTRY (widget))
    g_object_get (widget, "placeholder-text", &placeholder, NULL);
  return placeholder != NULL && g_str_equal (placeholder, data);
}

static gboolean
is_numeric_label (GtkWidget     *widget,
                  gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_has_css_class (widget, "numeric");
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  const char *body = data;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = byline_test_make_tmpdir ("find");
  path = g_build_filename (fixture->dir, "drafts.db", NULL);
  fixture->store = byline_store_open (path, &error);
  g_assert_no_error (error);
  fixture->draft = byline_store_create_draft (fixture->store,
                                              g_str_has_prefix (body, "<")
                                              ? BYLINE_DRAFT_FORMAT_HTML
                                              : BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  g_assert_no_error (error);
  byline_draft_set_body (fixture->draft, body);

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1300, 850);
  fixture->editor = BYLINE_EDITOR (byline_editor_new ());
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->editor));
  gtk_window_present (GTK_WINDOW (fixture->window));
  byline_editor_set_draft (fixture->editor, fixture->store, fixture->draft);
  fixture->buffer = gtk_text_view_get_buffer (
    GTK_TEXT_VIEW (byline_editor_get_source_view (fixture->editor)));
  fixture->find_bar = byline_test_find_widget (GTK_WIDGET (fixture->editor), BYLINE_TYPE_FIND_BAR);
  fixture->find_entry = byline_test_find_descendant (GTK_WIDGET (fixture->find_bar),
                                                     is_entry_with_placeholder,
                                                     "Find in the draft");
  fixture->replace_entry = byline_test_find_descendant (GTK_WIDGET (fixture->find_bar),
                                                        is_entry_with_placeholder,
                                                        "Replace with");
  fixture->position_label = GTK_LABEL (byline_test_find_descendant (GTK_WIDGET (fixture->find_bar),
                                                                    is_numeric_label, NULL));
  g_assert_nonnull (fixture->find_entry);
  g_assert_nonnull (fixture->replace_entry);
  g_assert_nonnull (fixture->position_label);

  byline_test_iterate_for (300);
  fixture->xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                                    gtk_native_get_surface (GTK_NATIVE (fixture->window))));
  byline_editor_focus_body (fixture->editor);
  byline_test_run_command ("xdotool", "windowfocus", "--sync", fixture->xid, NULL);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_assert_true (byline_store_close (fixture->store, &error));
  g_clear_object (&fixture->draft);
  g_clear_object (&fixture->store);
  g_free (fixture->xid);
  g_free (fixture->dir);
}

typedef struct {
  Fixture    *fixture;
  const char *position;
} PositionWait;

static gboolean
position_is (gpointer user_data)
{
  PositionWait *wait = user_data;

  return g_str_equal (gtk_label_get_label (wait->fixture->position_label), wait->position);
}

static void
assert_position (Fixture    *fixture,
                 const char *position)
{
  PositionWait wait = { fixture, position };

  if (!byline_test_wait_until (position_is, &wait, 5000))
    {
      GtkTextIter start, end;
      g_autofree char *selected = NULL;

      gtk_text_buffer_get_selection_bounds (fixture->buffer, &start, &end);
      selected = gtk_text_iter_get_text (&start, &end);
      g_error ("The find bar says “%s”, expected “%s” (the selection is “%s” at %d)",
               gtk_label_get_label (fixture->position_label), position, selected,
               gtk_text_iter_get_offset (&start));
    }
}

typedef struct {
  Fixture *fixture;
  int      count;
} CountWait;

/* "N matches", or "n of N" when the selection is one of them. */
static gboolean
count_is (gpointer user_data)
{
  CountWait *wait = user_data;
  const char *label = gtk_label_get_label (wait->fixture->position_label);
  const char *of = strstr (label, " of ");
  int count = 0;

  if (of != NULL)
    count = atoi (of + strlen (" of "));
  else if (g_str_has_suffix (label, " matches"))
    count = atoi (label);
  return count == wait->count;
}

static void
assert_count (Fixture *fixture,
              int      count)
{
  CountWait wait = { fixture, count };

  if (!byline_test_wait_until (count_is, &wait, 10000))
    g_error ("The find bar says “%s”, expected %d matches",
             gtk_label_get_label (fixture->position_label), count);
}

static gboolean
entry_has_error (gpointer entry)
{
  return gtk_widget_has_css_class (GTK_WIDGET (entry), "error");
}

static char *
selected_text (Fixture *fixture)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_selection_bounds (fixture->buffer, &start, &end);
  return gtk_text_iter_get_text (&start, &end);
}

static int
selection_offset (Fixture *fixture)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_selection_bounds (fixture->buffer, &start, &end);
  return gtk_text_iter_get_offset (&start);
}

static gboolean
draft_follows_buffer (gpointer user_data)
{
  Fixture *fixture = user_data;
  g_autofree char *text = buffer_text (fixture->buffer);

  return g_str_equal (text, byline_draft_get_body (fixture->draft));
}

static void
assert_draft_holds (Fixture    *fixture,
                    const char *expected)
{
  g_autofree char *text = NULL;

  g_assert_true (byline_test_wait_until (draft_follows_buffer, fixture, 5000));
  text = buffer_text (fixture->buffer);
  g_assert_cmpstr (text, ==, expected);
}

static gboolean
find_bar_is_open (gpointer user_data)
{
  return byline_find_bar_is_open (user_data);
}

static gboolean
find_bar_is_closed (gpointer user_data)
{
  return !byline_find_bar_is_open (user_data);
}

/* The window's focus is in @user_data (a widget) or one of its children. */
static gboolean
has_focus_within (gpointer user_data)
{
  GtkWidget *widget = user_data;
  GtkWidget *focus = gtk_root_get_focus (gtk_widget_get_root (widget));

  return focus != NULL && (focus == widget || gtk_widget_is_ancestor (focus, widget));
}

/* The keys xdotool sent are in the X server's queue once it returns, not yet handled by GTK. */
static void
assert_find_bar_open (Fixture   *fixture,
                      GtkWidget *focus_within)
{
  g_assert_true (byline_test_wait_until (find_bar_is_open, fixture->find_bar, 5000));
  g_assert_true (byline_test_wait_until (has_focus_within, focus_within, 5000));
}

static void
assert_find_bar_closed (Fixture *fixture)
{
  g_assert_true (byline_test_wait_until (find_bar_is_closed, fixture->find_bar, 5000));
}

static const char report[] =
  "The Council met on Tuesday. The council voted; councillors left.\n\n"
  "A council spokesperson said the council would meet again.\n\n"
  "`council` in code, and COUNCIL shouting.\n";

/* Ctrl+F, typing, Enter, Shift+Enter, Ctrl+G, Ctrl+Shift+G, the count, Escape. */
static void
test_find_by_keys (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *selected = NULL;
  g_autofree char *text = NULL;
  int first;

  byline_test_run_command ("xdotool", "key", "ctrl+Home", "ctrl+f", NULL);
  assert_find_bar_open (fixture, fixture->find_entry);

  /* Found as it is typed, in any case, and the count follows: 7 "council", of which one is in
   * "councillors". */
  byline_test_run_command ("xdotool", "type", "--delay", "30", "council", NULL);
  assert_position (fixture, "1 of 7");
  selected = selected_text (fixture);
  g_assert_cmpstr (selected, ==, "Council");
  first = selection_offset (fixture);

  byline_test_run_command ("xdotool", "key", "Return", NULL);
  assert_position (fixture, "2 of 7");
  byline_test_run_command ("xdotool", "key", "Return", NULL);
  assert_position (fixture, "3 of 7");
  byline_test_run_command ("xdotool", "key", "shift+Return", NULL);
  assert_position (fixture, "2 of 7");
  byline_test_run_command ("xdotool", "key", "ctrl+g", NULL);
  assert_position (fixture, "3 of 7");
  byline_test_run_command ("xdotool", "key", "ctrl+shift+g", "ctrl+shift+g", NULL);
  assert_position (fixture, "1 of 7");
  g_assert_cmpint (selection_offset (fixture), ==, first);
  /* Wrapping around backwards. */
  byline_test_run_command ("xdotool", "key", "shift+Return", NULL);
  assert_position (fixture, "7 of 7");

  /* Nothing found says so. */
  byline_test_run_command ("xdotool", "key", "ctrl+a", "type", "--delay", "30", "parliament", NULL);
  assert_position (fixture, "No matches");

  /* Escape: the bar closes and what is typed goes into the text again. */
  byline_test_run_command ("xdotool", "key", "Escape", NULL);
  assert_find_bar_closed (fixture);
  byline_test_run_command ("xdotool", "key", "ctrl+End", "type", "--delay", "30", "End.", NULL);
  text = g_strconcat (report, "End.", NULL);
  assert_draft_holds (fixture, text);
}

/* Ctrl+H: Enter replaces the match and goes to the next, Ctrl+Alt+Enter replaces all of them,
 * and a single Ctrl+Z undoes the whole Replace All. */
static void
test_replace_by_keys (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *after_one = NULL;
  g_autofree char *after_all = NULL;
  g_autoptr(GString) expected = g_string_new (report);

  byline_test_run_command ("xdotool", "key", "ctrl+Home", "ctrl+f", NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "30", "council", NULL);
  assert_position (fixture, "1 of 7");
  byline_test_run_command ("xdotool", "key", "ctrl+h", NULL);
  assert_find_bar_open (fixture, fixture->replace_entry);
  byline_test_run_command ("xdotool", "type", "--delay", "30", "board", NULL);

  /* One: the first match (“Council”) becomes “board”, and the next is selected. (Only the
   * count is checked: now and then the text view loses its selection as the X server hands the
   * PRIMARY selection from one widget to another.) */
  byline_test_run_command ("xdotool", "key", "Return", NULL);
  g_string_replace (expected, "The Council met", "The board met", 1);
  assert_draft_holds (fixture, expected->str);
  assert_count (fixture, 6);

  /* All the others, at once. */
  byline_test_run_command ("xdotool", "key", "ctrl+alt+Return", NULL);
  assert_position (fixture, "6 replaced");
  after_all = g_strdup ("The board met on Tuesday. The board voted; boardlors left.\n\n"
                        "A board spokesperson said the board would meet again.\n\n"
                        "`board` in code, and board shouting.\n");
  assert_draft_holds (fixture, after_all);

  /* Back in the text, one undo takes all six back, and the next the first one. */
  byline_test_run_command ("xdotool", "key", "Escape", NULL);
  assert_find_bar_closed (fixture);
  byline_test_run_command ("xdotool", "key", "ctrl+z", NULL);
  assert_draft_holds (fixture, expected->str);
  byline_test_run_command ("xdotool", "key", "ctrl+z", NULL);
  assert_draft_holds (fixture, report);

  /* And the store has it once saved. */
  {
    g_autoptr(BylineDraft) stored = NULL;
    g_autoptr(GError) error = NULL;

    byline_editor_save_now (fixture->editor);
    stored = byline_store_load_draft (fixture->store, byline_draft_get_id (fixture->draft), &error);
    g_assert_no_error (error);
    g_assert_cmpstr (byline_draft_get_body (stored), ==, report);
  }
}

static GtkCheckButton *
find_check (Fixture    *fixture,
            const char *label)
{
  GtkWidget *button = byline_test_find_widget (GTK_WIDGET (fixture->find_bar),
                                               GTK_TYPE_MENU_BUTTON);
  GtkWidget *popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (button)));
  GtkWidget *check;

  for (check = byline_test_find_widget (popover, GTK_TYPE_CHECK_BUTTON); check != NULL;
       check = gtk_widget_get_next_sibling (check))
    if (g_str_equal (gtk_check_button_get_label (GTK_CHECK_BUTTON (check)), label))
      return GTK_CHECK_BUTTON (check);
  g_error ("No option “%s” in the find bar", label);
}

/* Match Case, Match Whole Words and Regular Expressions (with a group in the replacement). */
static void
test_options (Fixture       *fixture,
              gconstpointer  data)
{
  byline_test_run_command ("xdotool", "key", "ctrl+Home", "ctrl+f", NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "30", "council", NULL);
  assert_position (fixture, "1 of 7");

  gtk_check_button_set_active (find_check (fixture, "_Match Case"), TRUE);
  assert_count (fixture, 5);
  gtk_check_button_set_active (find_check (fixture, "Match _Whole Words"), TRUE);
  assert_count (fixture, 4);
  gtk_check_button_set_active (find_check (fixture, "_Match Case"), FALSE);
  assert_count (fixture, 6);

  /* A regular expression, and a replacement that uses its group. */
  gtk_check_button_set_active (find_check (fixture, "Match _Whole Words"), FALSE);
  gtk_check_button_set_active (find_check (fixture, "_Regular Expressions"), TRUE);
  byline_test_run_command ("xdotool", "key", "Escape", "ctrl+Home", "ctrl+f", "ctrl+a", "type",
                           "--delay", "30", "the (council|Council)", NULL);
  assert_position (fixture, "1 of 3");
  byline_test_run_command ("xdotool", "key", "ctrl+h", "type", "--delay", "30", "our \\1",
                           NULL);
  byline_test_run_command ("xdotool", "key", "ctrl+alt+Return", NULL);
  assert_position (fixture, "3 replaced");
  assert_draft_holds (fixture,
                      "our Council met on Tuesday. our council voted; councillors left.\n\n"
                      "A council spokesperson said our council would meet again.\n\n"
                      "`council` in code, and COUNCIL shouting.\n");

  /* A broken expression says what is wrong. */
  byline_test_run_command ("xdotool", "key", "ctrl+f", "ctrl+a", "type", "--delay", "30",
                           "(council", NULL);
  g_assert_true (byline_test_wait_until (entry_has_error, fixture->find_entry, 5000));
}

/* HTML drafts (posts from the site) are searched and replaced the same way. */
static void
test_html_draft (Fixture       *fixture,
                 gconstpointer  data)
{
  byline_test_run_command ("xdotool", "key", "ctrl+Home", "ctrl+h", NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "30", "Kerry", NULL);
  assert_position (fixture, "1 of 2");
  byline_test_run_command ("xdotool", "key", "ctrl+h", "type", "--delay", "30", "Blinken", NULL);
  byline_test_run_command ("xdotool", "key", "ctrl+alt+Return", NULL);
  assert_position (fixture, "2 replaced");
  assert_draft_holds (fixture, "<p>Secretary <strong>Blinken</strong> met ministers.</p>\n"
                      "<p>Blinken flew on to Brussels.</p>\n");
}

/* Replace All of 5,000 matches in a 50,000-word draft: the draft and the store end up with
 * exactly the text view's text, and one undo takes it all back. */
static void
test_replace_all_many (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GString) expected = g_string_new (NULL);
  g_autofree char *original = buffer_text (fixture->buffer);
  gint64 start;

  for (const char *p = original; *p != '\0'; p++)
    if (g_str_has_prefix (p, "council"))
      {
        g_string_append (expected, "board");
        p += strlen ("council") - 1;
      }
    else
      g_string_append_c (expected, *p);

  byline_test_run_command ("xdotool", "key", "ctrl+h", NULL);
  gtk_editable_set_text (GTK_EDITABLE (fixture->find_entry), "council");
  gtk_editable_set_text (GTK_EDITABLE (fixture->replace_entry), "board");
  gtk_check_button_set_active (find_check (fixture, "_Match Case"), TRUE);
  assert_count (fixture, 5000);
  start = g_get_monotonic_time ();
  gtk_widget_activate_action (GTK_WIDGET (fixture->find_bar), "find.replace-all", NULL);
  g_test_message ("Replace All of 5,000 matches in a 50,000-word draft: %.0f ms",
                  (g_get_monotonic_time () - start) / 1000.0);
  assert_position (fixture, "5000 replaced");
  assert_draft_holds (fixture, expected->str);

  byline_test_run_command ("xdotool", "key", "Escape", "ctrl+z", NULL);
  assert_draft_holds (fixture, original);
}

static char *
make_long_draft (void)
{
  GString *text = g_string_new (NULL);

  /* 50,000 words, "council" 5,000 times. */
  for (guint i = 0; i < 5000; i++)
    g_string_append_printf (text, "%sThe city council voted on Tuesday to approve the budget.%s",
                            i % 5 == 0 ? "" : " ", i % 5 == 4 ? "\n\n" : "");
  return g_string_free (text, FALSE);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *long_draft = NULL;

  byline_test_init (&argc, &argv);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  gtk_init ();
  adw_init ();
  gtk_source_init ();

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    g_error ("test-find drives windows with xdotool and needs an X11 display (Xvfb)");

  long_draft = make_long_draft ();
  g_test_add ("/ui/find/by-keys", Fixture, report, fixture_set_up, test_find_by_keys,
              fixture_tear_down);
  g_test_add ("/ui/find/replace-by-keys", Fixture, report, fixture_set_up, test_replace_by_keys,
              fixture_tear_down);
  g_test_add ("/ui/find/options", Fixture, report, fixture_set_up, test_options,
              fixture_tear_down);
  g_test_add ("/ui/find/html-draft", Fixture,
              "<p>Secretary <strong>Kerry</strong> met ministers.</p>\n"
              "<p>Kerry flew on to Brussels.</p>\n",
              fixture_set_up, test_html_draft, fixture_tear_down);
  g_test_add ("/ui/find/replace-all-many", Fixture, long_draft, fixture_set_up,
              test_replace_all_many, fixture_tear_down);

  return g_test_run ();
}
