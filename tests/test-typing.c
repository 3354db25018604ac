/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-typing.c: real keys typed into a long draft under Xvfb. Every key shows as quickly as the
 * others, also those that make a line wrap; nothing but the text changes on screen while the
 * writer types; and the draft follows every kind of edit the text view makes. */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <gtksourceview/gtksource.h>

#include "byline-editor.h"
#include "byline-preview.h"
#include "byline-test-ui-util.h"

/* Typed at the end of a paragraph in the middle of the draft: 330 characters, some five lines
 * of the editor's column, so that the keys cross several wraps. */
static const char paragraph[] =
  " And the council said on Tuesday that the revised plan would restore library hours, repair"
  " the worst roads before winter, and set aside money for the crossing guards that parents"
  " asked for, while critics warned that the forecast behind it was optimistic and that the"
  " reserve could fall below its target within three years if receipts fall";

static const char *sentences[] = {
  "The city council voted on Tuesday night to approve a revised budget that trims spending on "
  "road repairs and expands the library's evening hours.",
  "Council members spent nearly four hours debating the plan, which had been delayed twice "
  "since the spring.",
  "Critics argued that the proposal relies on optimistic revenue forecasts and leaves the city "
  "exposed if sales tax receipts fall again.",
  "According to [the finance department](https://example.org/finance), the reserve fund would "
  "drop below its target within three years.",
  "The mayor called the vote *a reasonable compromise* and said she would sign it this week.",
};

/* About @words words of prose in paragraphs of some 90 words, with a heading now and then. */
static char *
make_draft_body (guint words)
{
  GString *body = g_string_new (NULL);

  for (guint n = 0, i = 0; n < words; i++)
    {
      if (i % 6 == 0)
        g_string_append_printf (body, "## Part %u of the budget debate\n\n", i / 6 + 1);
      for (guint s = 0; s < 5; s++)
        {
          const char *sentence = sentences[(i + s) % G_N_ELEMENTS (sentences)];

          g_string_append (body, sentence);
          g_string_append_c (body, s < 4 ? ' ' : '\n');
          n += 18;
        }
      g_string_append_c (body, '\n');
    }
  return g_string_free (body, FALSE);
}

typedef struct {
  GtkTextBuffer *buffer;
  /* When each key not yet shown was pressed (monotonic µs). */
  GArray        *pending;
  /* Each key's time from its press to the end of the frame that showed it (ms). */
  GArray        *latencies;
  gboolean       changed;
  /* Notifications of the status labels' text while keys were coming. */
  guint          label_changes;
  gboolean       typing;
  guint          preview_updates;
} Typing;

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                Typing                *typing)
{
  gint64 now = g_get_monotonic_time ();

  /* Only keys that type (not Shift for a capital). */
  if (gdk_keyval_to_unicode (keyval) != 0)
    g_array_append_val (typing->pending, now);
  return FALSE;
}

static void
buffer_changed_cb (GtkTextBuffer *buffer,
                   Typing        *typing)
{
  typing->changed = TRUE;
}

static void
after_paint_cb (GdkFrameClock *frame_clock,
                Typing        *typing)
{
  gint64 now = g_get_monotonic_time ();

  /* A frame drawn before the text changed shows no key yet. */
  if (!typing->changed)
    return;
  typing->changed = FALSE;
  for (guint i = 0; i < typing->pending->len; i++)
    {
      double ms = (now - g_array_index (typing->pending, gint64, i)) / 1000.0;

      g_array_append_val (typing->latencies, ms);
    }
  g_array_set_size (typing->pending, 0);
}

static void
label_notify_cb (GtkLabel   *label,
                 GParamSpec *pspec,
                 Typing     *typing)
{
  if (typing->typing)
    typing->label_changes++;
}

static void
preview_updated_cb (BylinePreview *preview,
                    Typing        *typing)
{
  typing->preview_updates++;
}

static gboolean
is_status_label (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_LABEL (widget)
         && g_str_has_suffix (gtk_label_get_label (GTK_LABEL (widget)), (const char *) data);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

typedef struct {
  BylinePreview *preview;
  BylineDraft   *draft;
  GtkTextBuffer *buffer;
} Editing;

/* The preview has caught up, and the draft holds exactly what the buffer shows. */
static gboolean
draft_follows_buffer (gpointer user_data)
{
  Editing *editing = user_data;
  g_autofree char *text = buffer_text (editing->buffer);

  return byline_preview_is_idle (editing->preview)
         && g_str_equal (text, byline_draft_get_body (editing->draft));
}

static gboolean
cursor_in_view (gpointer user_data)
{
  GtkTextView *view = user_data;
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GdkRectangle visible, cursor;
  GtkTextIter iter;

  gtk_text_view_get_visible_rect (view, &visible);
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  gtk_text_view_get_iter_location (view, &iter, &cursor);
  if (visible.height > 0 && cursor.y >= visible.y + visible.height / 4
      && cursor.y + cursor.height <= visible.y + visible.height * 3 / 4)
    return TRUE;
  gtk_text_view_scroll_to_mark (view, gtk_text_buffer_get_insert (buffer), 0.0, TRUE, 0.0, 0.4);
  return FALSE;
}

typedef struct {
  GtkWidget     *window;
  BylineEditor  *editor;
  BylinePreview *preview;
  GtkTextView   *view;
  GtkTextBuffer *buffer;
  char          *xid;
} EditorWindow;

static void
window_open (EditorWindow      *w,
             BylineStore *store,
             BylineDraft *draft)
{
  Editing settled;

  w->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (w->window), 1300, 850);
  w->editor = BYLINE_EDITOR (byline_editor_new ());
  gtk_window_set_child (GTK_WINDOW (w->window), GTK_WIDGET (w->editor));
  gtk_window_present (GTK_WINDOW (w->window));
  byline_editor_set_draft (w->editor, store, draft);
  w->preview = BYLINE_PREVIEW (byline_editor_get_preview (w->editor));
  w->view = GTK_TEXT_VIEW (byline_editor_get_source_view (w->editor));
  w->buffer = gtk_text_view_get_buffer (w->view);
  settled = (Editing) { w->preview, draft, w->buffer };
  g_assert_true (byline_test_wait_until (draft_follows_buffer, &settled, 30000));
  w->xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                              gtk_native_get_surface (GTK_NATIVE (w->window))));
  byline_editor_focus_body (w->editor);
  byline_test_run_command ("xdotool", "windowfocus", "--sync", w->xid, NULL);
}

static void
window_close (EditorWindow *w)
{
  gtk_window_destroy (GTK_WINDOW (w->window));
  g_free (w->xid);
}

/* Typing a paragraph at the end of another in a 5,000-word draft, across several wraps: no key
 * costs many times what the others do (the median, measured in the same run, so that a loaded
 * machine slows all keys alike), and the status bar does not change until the writer pauses. */
static void
test_typing_across_wraps (void)
{
  g_autofree char *dir = byline_test_make_tmpdir ("typing");
  g_autofree char *path = g_build_filename (dir, "drafts.db", NULL);
  g_autofree char *body = make_draft_body (5000);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = byline_store_open (path, &error);
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GtkEventController) keys = NULL;
  g_autofree char *text = NULL;
  g_autofree char *words_before = NULL;
  Typing typing = { 0 };
  EditorWindow w = { 0 };
  Editing editing;
  GdkFrameClock *frame_clock;
  GtkLabel *stats_label, *save_label;
  GtkTextIter iter;
  double median, threshold;
  guint slow = 0, n_keys = strlen (paragraph);
  gulong after_paint_id;

  g_assert_no_error (error);
  draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  g_assert_no_error (error);
  byline_draft_set_body (draft, body);
  window_open (&w, store, draft);

  /* The end of a paragraph half-way down, in the middle of the view. */
  gtk_text_buffer_get_iter_at_line (w.buffer, &iter, gtk_text_buffer_get_line_count (w.buffer) / 2);
  while (gtk_text_iter_get_chars_in_line (&iter) < 100)
    gtk_text_iter_forward_line (&iter);
  gtk_text_iter_forward_to_line_end (&iter);
  gtk_text_buffer_place_cursor (w.buffer, &iter);
  g_assert_true (byline_test_wait_until (cursor_in_view, w.view, 10000));
  byline_test_iterate_for (500);

  stats_label = GTK_LABEL (byline_test_find_descendant (GTK_WIDGET (w.editor), is_status_label,
                                                        "read"));
  save_label = GTK_LABEL (byline_test_find_descendant (GTK_WIDGET (w.editor), is_status_label,
                                                       "Saved"));
  g_assert_nonnull (stats_label);
  g_assert_nonnull (save_label);
  words_before = g_strdup (gtk_label_get_label (stats_label));

  typing.buffer = w.buffer;
  typing.pending = g_array_new (FALSE, FALSE, sizeof (gint64));
  typing.latencies = g_array_new (FALSE, FALSE, sizeof (double));
  keys = g_object_ref (gtk_event_controller_key_new ());
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), &typing);
  gtk_widget_add_controller (w.window, g_object_ref (keys));
  g_signal_connect (w.buffer, "changed", G_CALLBACK (buffer_changed_cb), &typing);
  frame_clock = gtk_widget_get_frame_clock (w.window);
  after_paint_id = g_signal_connect (frame_clock, "after-paint", G_CALLBACK (after_paint_cb),
                                     &typing);
  g_signal_connect (stats_label, "notify::label", G_CALLBACK (label_notify_cb), &typing);
  g_signal_connect (save_label, "notify::label", G_CALLBACK (label_notify_cb), &typing);
  g_signal_connect (w.preview, "updated", G_CALLBACK (preview_updated_cb), &typing);

  typing.typing = TRUE;
  byline_test_run_command ("xdotool", "type", "--delay", "45", paragraph, NULL);
  typing.typing = FALSE;

  editing = (Editing) { w.preview, draft, w.buffer };
  g_assert_true (byline_test_wait_until (draft_follows_buffer, &editing, 20000));
  byline_test_iterate_for (100);
  g_signal_handler_disconnect (frame_clock, after_paint_id);
  g_signal_handlers_disconnect_by_data (w.buffer, &typing);

  /* Every key was seen and shown, and the draft holds what was typed where it was typed. */
  g_assert_cmpuint (typing.latencies->len, ==, n_keys);
  text = buffer_text (w.buffer);
  g_assert_nonnull (strstr (text, paragraph));
  g_assert_cmpstr (byline_draft_get_body (draft), ==, text);

  g_array_sort (typing.latencies, compare_doubles);
  median = g_array_index (typing.latencies, double, n_keys / 2);
  /* A frame (16.7 ms at 60 Hz) or two of jitter is normal; a key that lays out the whole
   * draft costs hundreds of milliseconds, on line after line. */
  threshold = 4 * median + 50;
  for (guint i = 0; i < n_keys; i++)
    slow += g_array_index (typing.latencies, double, i) > threshold;
  g_test_message ("%u keys: median %.1f ms, 90th percentile %.1f ms, slowest %.1f ms; %u over "
                  "%.1f ms", n_keys, median,
                  g_array_index (typing.latencies, double, n_keys * 9 / 10),
                  g_array_index (typing.latencies, double, n_keys - 1), slow, threshold);
  g_assert_cmpuint (slow, <=, 2);

  /* Nothing but the text changed while the keys came; the preview patched at most once a key. */
  g_assert_cmpuint (typing.label_changes, ==, 0);
  g_assert_cmpuint (typing.preview_updates, >, 0);
  g_assert_cmpuint (typing.preview_updates, <=, n_keys);

  /* Once the writer pauses, the word count follows. */
  byline_test_iterate_for (1500);
  g_assert_cmpstr (gtk_label_get_label (stats_label), !=, words_before);
  g_assert_cmpstr (gtk_label_get_label (save_label), ==, "Saved");

  window_close (&w);
  g_array_unref (typing.pending);
  g_array_unref (typing.latencies);
  g_assert_true (byline_store_close (store, &error));
}

/* After an edit (@what), the draft holds exactly what the text view shows. */
static void
check_draft_follows (Editing    *editing,
                     const char *what)
{
  if (!byline_test_wait_until (draft_follows_buffer, editing, 10000))
    {
      g_autofree char *text = buffer_text (editing->buffer);

      g_error ("After %s the draft holds “%s” but the text view shows “%s”", what,
               byline_draft_get_body (editing->draft), text);
    }
}

/* Every kind of edit reaches the draft exactly, since the draft is edited in place with what the
 * text view reports: typing (accents, CJK), deleting back and forward, words, a selection
 * replaced, cut and paste, undo and redo, the Markdown keys, new lines. */
static void
test_draft_follows_every_edit (void)
{
  g_autofree char *dir = byline_test_make_tmpdir ("edits");
  g_autofree char *path = g_build_filename (dir, "drafts.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = byline_store_open (path, &error);
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) stored = NULL;
  g_autofree char *text = NULL;
  EditorWindow w = { 0 };
  Editing editing;

  g_assert_no_error (error);
  draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  g_assert_no_error (error);
  byline_draft_set_body (draft, "Déjà vu in Zürich.\n\nThe second paragraph ends here.\n");
  window_open (&w, store, draft);
  editing = (Editing) { w.preview, draft, w.buffer };

  byline_test_run_command ("xdotool", "key", "ctrl+End", NULL);
  check_draft_follows (&editing, "ctrl+End");
  byline_test_run_command ("xdotool", "type", "--delay", "20",
                           "Ministers met in Brüssel, Genève and 東京.", NULL);
  check_draft_follows (&editing, "typing accents");
  byline_test_run_command ("xdotool", "key", "--delay", "20", "BackSpace",
                           "BackSpace", "BackSpace", NULL);
  check_draft_follows (&editing, "BackSpace");
  byline_test_run_command ("xdotool", "key", "ctrl+BackSpace", NULL);
  check_draft_follows (&editing, "ctrl+BackSpace");
  byline_test_run_command ("xdotool", "key", "Return", "Return", NULL);
  check_draft_follows (&editing, "Return");
  byline_test_run_command ("xdotool", "key", "shift+Up", "shift+Up",
                           "shift+Home", "type", "Replaced: ", NULL);
  check_draft_follows (&editing, "a selection replaced");
  byline_test_run_command ("xdotool", "key", "ctrl+Home", "End", "Delete", "Delete", NULL);
  check_draft_follows (&editing, "Delete at a line's end (joining lines)");
  byline_test_run_command ("xdotool", "key", "ctrl+Home", "shift+ctrl+Right",
                           "shift+ctrl+Right", "ctrl+x", NULL);
  check_draft_follows (&editing, "cut");
  byline_test_run_command ("xdotool", "key", "ctrl+End", "ctrl+v", "ctrl+v", NULL);
  check_draft_follows (&editing, "paste");
  byline_test_run_command ("xdotool", "key", "--delay", "30", "ctrl+z", "ctrl+z",
                           "ctrl+z", "ctrl+z", NULL);
  check_draft_follows (&editing, "undo");
  byline_test_run_command ("xdotool", "key", "--delay", "30", "ctrl+shift+z",
                           "ctrl+shift+z", NULL);
  check_draft_follows (&editing, "redo");
  byline_test_run_command ("xdotool", "key", "ctrl+Home", "shift+ctrl+Right", "ctrl+b", NULL);
  check_draft_follows (&editing, "bold (Ctrl+B) on a word");
  byline_test_run_command ("xdotool", "key", "ctrl+2", NULL);
  check_draft_follows (&editing, "a heading (Ctrl+2)");
  byline_test_run_command ("xdotool", "key", "ctrl+a", "type",
                           "--delay", "20", "Whole new text, ü 東京.", NULL);
  check_draft_follows (&editing, "select all and type");

  /* And what the store holds is the same. (Compared with the text view, not with what was
   * typed: xdotool now and then drops a character it types by remapping a key, such as a CJK
   * one on a loaded machine.) */
  byline_editor_save_now (w.editor);
  stored = byline_store_load_draft (store, byline_draft_get_id (draft), &error);
  g_assert_no_error (error);
  text = buffer_text (w.buffer);
  g_assert_true (g_str_has_prefix (text, "Whole new text, "));
  g_assert_cmpstr (byline_draft_get_body (stored), ==, text);

  window_close (&w);
  g_assert_true (byline_store_close (store, &error));
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  gtk_init ();
  adw_init ();
  gtk_source_init ();

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    g_error ("test-typing drives windows with xdotool and needs an X11 display (Xvfb)");

  g_test_add_func ("/ui/typing/across-wraps", test_typing_across_wraps);
  g_test_add_func ("/ui/typing/draft-follows-every-edit", test_draft_follows_every_edit);

  return g_test_run ();
}
