/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-spelling.c: spell checking in the editor under Xvfb, with real keys and Debian's real
 * Hunspell dictionaries (hunspell-en-us, hunspell-fr): a misspelled word typed is marked once
 * it is finished, its corrections come from the keyboard (the Menu key, Shift+F10) or a right
 * click and reach the store; code, addresses and link destinations are never marked; Ignore and
 * Add to Dictionary; the draft's language from the status bar's menu changes the dictionary and
 * the preview's lang; and checking can be turned off. */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <gtksourceview/gtksource.h>

#include "byline-editor.h"
#include "byline-prepublish-check.h"
#include "byline-preview.h"
#include "byline-spelling.h"
#include "byline-test-ui-util.h"

typedef struct {
  GtkWidget              *window;
  BylineEditor           *editor;
  BylinePreview          *preview;
  GtkTextView            *view;
  GtkTextBuffer          *buffer;
  BylineSpellHighlighter *highlighter;
  BylineStore            *store;
  BylineDraft            *draft;
  char                   *xid;
} Fixture;

static gboolean
highlighter_idle (gpointer user_data)
{
  Fixture *fixture = user_data;

  return byline_spell_highlighter_is_idle (fixture->highlighter)
         && byline_preview_is_idle (fixture->preview);
}

static void
wait_checked (Fixture *fixture)
{
  g_assert_true (byline_test_wait_until (highlighter_idle, fixture, 20000));
}

static char *
buffer_text (GtkTextBuffer *buffer)
{
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
}

/* The marked words, in order, joined by "|". */
static char *
marked_words (Fixture *fixture)
{
  GtkTextTag *tag = byline_spell_highlighter_get_tag (fixture->highlighter);
  GString *words = g_string_new (NULL);
  GtkTextIter start, end;

  gtk_text_buffer_get_start_iter (fixture->buffer, &start);
  for (;;)
    {
      g_autofree char *word = NULL;

      if (!gtk_text_iter_has_tag (&start, tag) && !gtk_text_iter_forward_to_tag_toggle (&start, tag))
        break;
      end = start;
      gtk_text_iter_forward_to_tag_toggle (&end, tag);
      word = gtk_text_iter_get_slice (&start, &end);
      if (words->len > 0)
        g_string_append_c (words, '|');
      g_string_append (words, word);
      start = end;
    }
  return g_string_free (words, FALSE);
}

typedef struct {
  Fixture    *fixture;
  const char *words;
} MarkedWait;

static gboolean
marked_are (gpointer user_data)
{
  MarkedWait *wait = user_data;
  g_autofree char *words = marked_words (wait->fixture);

  return g_str_equal (words, wait->words);
}

static void
assert_marked (Fixture    *fixture,
               const char *expected)
{
  MarkedWait wait = { fixture, expected };

  if (!byline_test_wait_until (marked_are, &wait, 10000))
    {
      g_autofree char *words = marked_words (fixture);
      g_autofree char *text = buffer_text (fixture->buffer);
      g_autofree char *start = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, -1), 400));
      g_autofree char *escaped = g_strescape (start, "\u00e9");

      g_error ("The marked words are “%s”, expected “%s”, in “%s”", words, expected, escaped);
    }
}

static void
fixture_open (Fixture           *fixture,
              BylineDraftFormat  format,
              const char        *language,
              const char        *body)
{
  g_autofree char *dir = byline_test_make_tmpdir ("spelling");
  g_autofree char *path = g_build_filename (dir, "drafts.db", NULL);
  g_autoptr(GError) error = NULL;

  fixture->store = byline_store_open (path, &error);
  g_assert_no_error (error);
  fixture->draft = byline_store_create_draft (fixture->store, format, &error);
  g_assert_no_error (error);
  byline_draft_set_language (fixture->draft, language);
  byline_draft_set_body (fixture->draft, body);

  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 1300, 800);
  fixture->editor = BYLINE_EDITOR (byline_editor_new ());
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->editor));
  gtk_window_present (GTK_WINDOW (fixture->window));
  byline_editor_set_draft (fixture->editor, fixture->store, fixture->draft);
  fixture->preview = BYLINE_PREVIEW (byline_editor_get_preview (fixture->editor));
  fixture->view = GTK_TEXT_VIEW (byline_editor_get_source_view (fixture->editor));
  fixture->buffer = gtk_text_view_get_buffer (fixture->view);
  fixture->highlighter = byline_spelling_get_highlighter (byline_editor_get_spelling (fixture->editor));
  wait_checked (fixture);
  fixture->xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                                    gtk_native_get_surface (GTK_NATIVE (fixture->window))));
  byline_editor_focus_body (fixture->editor);
  byline_test_run_command ("xdotool", "windowfocus", "--sync", fixture->xid, NULL);
}

static void
fixture_close (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;

  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_free (fixture->xid);
  g_clear_object (&fixture->draft);
  g_assert_true (byline_store_close (fixture->store, &error));
  g_clear_object (&fixture->store);
}

/* The body as the store holds it, once the editor has saved. */
static char *
stored_body (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineDraft) stored = NULL;

  byline_editor_save_now (fixture->editor);
  stored = byline_store_load_draft (fixture->store, byline_draft_get_id (fixture->draft), &error);
  g_assert_no_error (error);
  return g_strdup (byline_draft_get_body (stored));
}

/* Moves the pointer onto @widget's middle, in its own native surface (a popover has one), and
 * clicks @button there. */
static void
click_widget (GtkWidget  *widget,
              const char *button)
{
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t middle = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0,
                                                 gtk_widget_get_height (widget) / 2.0);
  graphene_point_t point;
  g_autofree char *xid = NULL;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  double dx, dy;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native), &middle, &point));
  gtk_native_get_surface_transform (native, &dx, &dy);
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (gtk_native_get_surface (native)));
  x = g_strdup_printf ("%d", (int) (point.x + dx));
  y = g_strdup_printf ("%d", (int) (point.y + dy));
  byline_test_run_command ("xdotool", "mousemove", "--window", xid, x, y, "click", button, NULL);
}

/* Right-clicks the @n-th (from 0) occurrence of @word in the text. */
static void
right_click_word (Fixture    *fixture,
                  const char *word,
                  guint       n)
{
  g_autofree char *text = buffer_text (fixture->buffer);
  const char *found = text;
  GtkWidget *view = GTK_WIDGET (fixture->view);
  GtkTextIter iter;
  GdkRectangle location;
  graphene_point_t point, in_window;
  g_autofree char *x = NULL;
  g_autofree char *y = NULL;
  int window_x, window_y;

  for (guint i = 0; i <= n; i++)
    {
      found = strstr (i == 0 ? found : found + 1, word);
      g_assert_nonnull (found);
    }
  gtk_text_buffer_get_iter_at_offset (fixture->buffer, &iter,
                                      g_utf8_pointer_to_offset (text, found) + 2);
  gtk_text_view_get_iter_location (fixture->view, &iter, &location);
  gtk_text_view_buffer_to_window_coords (fixture->view, GTK_TEXT_WINDOW_WIDGET, location.x,
                                         location.y + location.height / 2, &window_x, &window_y);
  point = GRAPHENE_POINT_INIT (window_x, window_y);
  g_assert_true (gtk_widget_compute_point (view, fixture->window, &point, &in_window));
  x = g_strdup_printf ("%d", (int) in_window.x);
  y = g_strdup_printf ("%d", (int) in_window.y);
  byline_test_run_command ("xdotool", "mousemove", "--window", fixture->xid, x, y, "click", "3",
                           NULL);
}

static gboolean
is_mapped_popover (GtkWidget     *widget,
                   gconstpointer  data)
{
  return GTK_IS_POPOVER_MENU (widget) && gtk_widget_get_mapped (widget);
}

static gboolean
menu_is_open (gpointer user_data)
{
  return byline_test_find_descendant (user_data, is_mapped_popover, NULL) != NULL;
}

/* The popover menu open under @parent (the text view, or a menu button). */
static GtkWidget *
wait_for_menu (GtkWidget *parent)
{
  g_assert_true (byline_test_wait_until (menu_is_open, parent, 10000));
  /* A popover is placed and sized over its first frames: a click computed before would land on
   * another item. */
  byline_test_iterate_for (400);
  return byline_test_find_descendant (parent, is_mapped_popover, NULL);
}

static gboolean
menu_is_closed (gpointer user_data)
{
  return !menu_is_open (user_data);
}

static gboolean
is_label (GtkWidget     *widget,
          gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_widget_get_mapped (widget)
         && g_str_equal (gtk_label_get_text (GTK_LABEL (widget)), (const char *) data);
}

static GtkWidget *
find_item (GtkWidget  *menu,
           const char *text)
{
  return byline_test_find_descendant (menu, is_label, text);
}

/* The menu's item labels, in order, joined by "|". */
static void
collect_labels (GtkWidget *widget,
                GString   *labels)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (GTK_IS_LABEL (child) && gtk_widget_get_mapped (child)
          && *gtk_label_get_text (GTK_LABEL (child)) != '\0')
        g_string_append_printf (labels, "%s%s", labels->len ? "|" : "",
                                gtk_label_get_text (GTK_LABEL (child)));
      collect_labels (child, labels);
    }
}

static char *
menu_labels (GtkWidget *menu)
{
  GString *labels = g_string_new (NULL);

  collect_labels (menu, labels);
  return g_string_free (labels, FALSE);
}

/* Presses Down in the open menu until the item @text has the focus, then Return. */
static void
choose_with_keys (Fixture    *fixture,
                  GtkWidget  *menu,
                  const char *text)
{
  for (guint i = 0; i < 30; i++)
    {
      GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (fixture->window));

      if (focus != NULL && gtk_widget_is_ancestor (focus, menu)
          && (find_item (focus, text) != NULL || is_label (focus, text)))
        {
          byline_test_run_command ("xdotool", "key", "Return", NULL);
          return;
        }
      byline_test_run_command ("xdotool", "key", "Down", NULL);
      byline_test_iterate_for (50);
    }
  g_error ("“%s” never had the focus in the menu", text);
}

typedef struct {
  GtkTextTag *tag;
  guint       applied;
  guint       removed;
} TagChanges;

static void
tag_applied_cb (GtkTextBuffer *buffer,
                GtkTextTag    *tag,
                GtkTextIter   *start,
                GtkTextIter   *end,
                TagChanges    *changes)
{
  if (tag == changes->tag)
    changes->applied++;
}

static void
tag_removed_cb (GtkTextBuffer *buffer,
                GtkTextTag    *tag,
                GtkTextIter   *start,
                GtkTextIter   *end,
                TagChanges    *changes)
{
  if (tag == changes->tag)
    changes->removed++;
}

/* "goverment" typed is marked once the word is finished, and only then: its underline is one
 * change of the buffer's tags, not one per letter. Its corrections (from the Menu key) include
 * "government"; choosing it with the keys replaces the word, and the store has it. */
static void
test_typed_word_corrected_from_keyboard (void)
{
  Fixture fixture = { 0 };
  TagChanges changes = { 0 };
  g_autofree char *labels = NULL;
  g_autofree char *text = NULL;
  g_autofree char *stored = NULL;
  GtkWidget *menu;

  fixture_open (&fixture, BYLINE_DRAFT_FORMAT_MARKDOWN, "en_US", "The council met on Tuesday.\n");
  assert_marked (&fixture, "");
  byline_test_run_command ("xdotool", "key", "ctrl+End", NULL);

  changes.tag = byline_spell_highlighter_get_tag (fixture.highlighter);
  g_signal_connect (fixture.buffer, "apply-tag", G_CALLBACK (tag_applied_cb), &changes);
  g_signal_connect (fixture.buffer, "remove-tag", G_CALLBACK (tag_removed_cb), &changes);

  /* The word being typed is not marked while it is typed... */
  byline_test_run_command ("xdotool", "type", "--delay", "40", "The goverment", NULL);
  g_assert_cmpuint (changes.applied, ==, 0);
  g_assert_false (byline_spell_highlighter_is_idle (fixture.highlighter));
  /* ...but once it is finished. */
  byline_test_run_command ("xdotool", "type", "--delay", "40", " said", NULL);
  assert_marked (&fixture, "goverment");
  byline_test_run_command ("xdotool", "type", "--delay", "40", " so.", NULL);
  wait_checked (&fixture);
  assert_marked (&fixture, "goverment");
  g_assert_cmpuint (changes.applied, ==, 1);
  g_assert_cmpuint (changes.removed, ==, 0);
  g_signal_handlers_disconnect_by_data (fixture.buffer, &changes);

  /* Into the word, and its menu from the Menu key. */
  byline_test_run_command ("xdotool", "key", "--delay", "30", "ctrl+Left", "ctrl+Left",
                           "ctrl+Left", "ctrl+Left", "Right", NULL);
  byline_test_run_command ("xdotool", "key", "Menu", NULL);
  menu = wait_for_menu (GTK_WIDGET (fixture.view));
  labels = menu_labels (menu);
  g_test_message ("The menu: %s", labels);
  g_assert_nonnull (find_item (menu, "government"));
  g_assert_nonnull (find_item (menu, "Ignore"));
  g_assert_nonnull (find_item (menu, "Add to Dictionary"));
  byline_test_screenshot ("spelling-context-menu.png");
  choose_with_keys (&fixture, menu, "government");
  g_assert_true (byline_test_wait_until (menu_is_closed, fixture.view, 10000));

  wait_checked (&fixture);
  text = buffer_text (fixture.buffer);
  g_assert_cmpstr (text, ==, "The council met on Tuesday.\nThe government said so.");
  assert_marked (&fixture, "");
  stored = stored_body (&fixture);
  g_assert_cmpstr (stored, ==, text);

  /* One Ctrl+Z takes the correction back. */
  byline_test_run_command ("xdotool", "key", "ctrl+z", NULL);
  wait_checked (&fixture);
  g_clear_pointer (&text, g_free);
  text = buffer_text (fixture.buffer);
  g_assert_cmpstr (text, ==, "The council met on Tuesday.\nThe goverment said so.");
  assert_marked (&fixture, "goverment");

  fixture_close (&fixture);
}

/* A right click on a marked word offers its corrections there; clicking one replaces the word.
 * Shift+F10 opens the same menu at the cursor. Ignore and Add to Dictionary unmark every
 * occurrence; only the added word is written to the personal word list. */
static void
test_right_click_ignore_add (void)
{
  Fixture fixture = { 0 };
  g_autofree char *text = NULL;
  g_autofree char *stored = NULL;
  g_autofree char *list_path = NULL;
  g_autofree char *list = NULL;
  GtkWidget *menu, *item;

  fixture_open (&fixture, BYLINE_DRAFT_FORMAT_MARKDOWN, "en_US",
                "A goverment report.\n\nZorblaxian and Bylinesque ideas, Zorblaxian again.\n");
  assert_marked (&fixture, "goverment|Zorblaxian|Bylinesque|Zorblaxian");

  right_click_word (&fixture, "goverment", 0);
  menu = wait_for_menu (GTK_WIDGET (fixture.view));
  item = find_item (menu, "government");
  g_assert_nonnull (item);
  click_widget (item, "1");
  g_assert_true (byline_test_wait_until (menu_is_closed, fixture.view, 10000));
  wait_checked (&fixture);
  text = buffer_text (fixture.buffer);
  g_assert_true (g_str_has_prefix (text, "A government report.\n"));
  assert_marked (&fixture, "Zorblaxian|Bylinesque|Zorblaxian");
  stored = stored_body (&fixture);
  g_assert_cmpstr (stored, ==, text);

  /* Shift+F10, with the cursor in "Zorblaxian": Ignore. */
  right_click_word (&fixture, "Zorblaxian", 0);
  menu = wait_for_menu (GTK_WIDGET (fixture.view));
  byline_test_run_command ("xdotool", "key", "Escape", NULL);
  g_assert_true (byline_test_wait_until (menu_is_closed, fixture.view, 10000));
  byline_test_run_command ("xdotool", "key", "shift+F10", NULL);
  menu = wait_for_menu (GTK_WIDGET (fixture.view));
  g_assert_nonnull (find_item (menu, "Ignore"));
  click_widget (find_item (menu, "Ignore"), "1");
  g_assert_true (byline_test_wait_until (menu_is_closed, fixture.view, 10000));
  assert_marked (&fixture, "Bylinesque");

  /* A right click on "Bylinesque": Add to Dictionary. */
  right_click_word (&fixture, "Bylinesque", 0);
  menu = wait_for_menu (GTK_WIDGET (fixture.view));
  click_widget (find_item (menu, "Add to Dictionary"), "1");
  g_assert_true (byline_test_wait_until (menu_is_closed, fixture.view, 10000));
  assert_marked (&fixture, "");

  list_path = g_build_filename (g_get_user_config_dir (), "enchant", "en_US.dic", NULL);
  g_assert_true (g_file_get_contents (list_path, &list, NULL, NULL));
  g_assert_nonnull (strstr (list, "Bylinesque"));
  g_assert_null (strstr (list, "Zorblaxian"));

  /* A word not marked has no spelling in its menu. */
  right_click_word (&fixture, "report", 0);
  menu = wait_for_menu (GTK_WIDGET (fixture.view));
  g_assert_null (find_item (menu, "Ignore"));
  g_assert_nonnull (find_item (menu, "Select All"));
  byline_test_run_command ("xdotool", "key", "Escape", NULL);

  fixture_close (&fixture);
}

/* Typed with real keys: a word in a code span, a bare address, a link's destination and an
 * e-mail address is not marked; the same word as prose (a link's text) is. */
static void
test_typed_code_and_addresses_not_marked (void)
{
  Fixture fixture = { 0 };
  g_autofree char *text = NULL;

  fixture_open (&fixture, BYLINE_DRAFT_FORMAT_MARKDOWN, "en_US", "");
  byline_test_run_command ("xdotool", "type", "--delay", "30",
                           "Run `goverment --fix` first, see https://example.org/goverment/list "
                           "and [the goverment](https://example.org/goverment) or write to "
                           "goverment@example.org today.", NULL);
  wait_checked (&fixture);
  text = buffer_text (fixture.buffer);
  g_assert_nonnull (strstr (text, "(https://example.org/goverment)"));
  assert_marked (&fixture, "goverment");
  /* The marked one is the link's text. */
  {
    GtkTextIter iter;

    gtk_text_buffer_get_iter_at_offset (fixture.buffer, &iter,
                                        g_utf8_pointer_to_offset (text, strstr (text, "[the ")) + 5);
    g_assert_true (gtk_text_iter_has_tag (&iter, byline_spell_highlighter_get_tag (fixture.highlighter)));
  }

  fixture_close (&fixture);
}

/* A draft opened with the word everywhere prose is not: only prose is marked. */
static void
test_loaded_markup_not_marked (void)
{
  Fixture fixture = { 0 };

  fixture_open (&fixture, BYLINE_DRAFT_FORMAT_MARKDOWN, "en_US",
                "# The goverment\n\n"
                "```\ngoverment = fetch (goverment_url)\n```\n\n"
                "    goverment in an indented code block\n\n"
                "See <https://example.org/goverment> and <goverment@example.org>, "
                "![a photo](images/goverment.jpg) and [text][goverment].\n\n"
                "<span class=\"goverment\" title=\"goverment\">Inline HTML</span> here.\n\n"
                "[goverment]: https://example.org/goverment \"Title\"\n\n"
                "Visit www.goverment.org or example.org/goverment, write to "
                "press.office@goverment.example.org.\n");
  assert_marked (&fixture, "goverment");
  fixture_close (&fixture);

  /* And in a post from the site, in HTML: tags and attributes, not the text. */
  fixture_open (&fixture, BYLINE_DRAFT_FORMAT_HTML, "en_US",
                "<p class=\"goverment\"><a href=\"https://example.org/goverment\"\n"
                "   title=\"goverment\">The goverment</a> &amp; more.</p>\n"
                "<img src=\"goverment.png\"\n  alt=\"goverment\">\n");
  assert_marked (&fixture, "goverment");
  fixture_close (&fixture);
}

/* Far below the screen, a code block is checked without GtkSourceView's highlighting (which
 * is asked for near the screen only); once it comes into view, it is highlighted and checked
 * again: its word is not marked. */
static void
test_code_far_below_not_marked (void)
{
  Fixture fixture = { 0 };
  GString *body = g_string_new ("The goverment met.\n\n");

  for (guint i = 0; i < 400; i++)
    g_string_append (body, "A line of plain prose that the council wrote.\n\n");
  g_string_append (body, "```\nlet goverment = fetch ();\n```\n\nThe end.\n");
  fixture_open (&fixture, BYLINE_DRAFT_FORMAT_MARKDOWN, "en_US", body->str);
  g_string_free (body, TRUE);

  byline_test_run_command ("xdotool", "key", "ctrl+End", NULL);
  byline_test_iterate_for (300);
  wait_checked (&fixture);
  assert_marked (&fixture, "goverment");

  fixture_close (&fixture);
}

/* The marked words as "start-end" character offsets, in order, joined by " ". */
static char *
marked_ranges (Fixture *fixture)
{
  GtkTextTag *tag = byline_spell_highlighter_get_tag (fixture->highlighter);
  GString *ranges = g_string_new (NULL);
  GtkTextIter start, end;

  gtk_text_buffer_get_start_iter (fixture->buffer, &start);
  for (;;)
    {
      if (!gtk_text_iter_has_tag (&start, tag)
          && !gtk_text_iter_forward_to_tag_toggle (&start, tag))
        break;
      end = start;
      gtk_text_iter_forward_to_tag_toggle (&end, tag);
      g_string_append_printf (ranges, "%s%d-%d", ranges->len ? " " : "",
                              gtk_text_iter_get_offset (&start), gtk_text_iter_get_offset (&end));
      start = end;
    }
  return g_string_free (ranges, FALSE);
}

/* The body's misspellings the pre-publish check finds, as marked_ranges () gives them. */
static char *
check_ranges (BylineStore *store,
              BylineDraft *draft)
{
  g_autoptr(BylinePrepublishCheck) check = byline_prepublish_check_new (store, NULL);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  GString *ranges = g_string_new (NULL);
  const char *body = byline_draft_get_body (draft);

  byline_prepublish_check_run_async (check, draft, 0, BYLINE_CHECK_RUN_LOCAL, NULL,
                                     byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, 30, "the pre-publish check");
  findings = byline_prepublish_check_run_finish (check, result, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < findings->len; i++)
    {
      BylineFinding *finding = g_ptr_array_index (findings, i);
      glong start;

      if (finding->kind != BYLINE_CHECK_MISSPELLING || finding->field != BYLINE_CHECK_FIELD_BODY)
        continue;
      start = g_utf8_pointer_to_offset (body, body + finding->offset);
      g_string_append_printf (ranges, "%s%ld-%ld", ranges->len ? " " : "", start,
                              start + g_utf8_strlen (body + finding->offset,
                                                     (gssize) finding->length));
    }
  return g_string_free (ranges, FALSE);
}

/* What the pre-publish check calls misspelled in the text is what the editor underlines, word
 * for word: Markdown with every kind of thing that is not prose, and HTML. */
static void
test_check_matches_underlines (void)
{
  const struct {
    BylineDraftFormat  format;
    const char        *body;
  } drafts[] = {
    { BYLINE_DRAFT_FORMAT_MARKDOWN,
      "# The goverment’s budjet\n\n"
      "Ministers met « après » in Brusels; the *counsil* and **parliment** agreed.\n\n"
      "- a lisst item with `codde` and ``more `codde` here``\n"
      "- [a linkk](https://example.org/linkk \"Titel\") and ![a fotograph](img/fotograph.jpg)\n\n"
      "> A quotte, with <https://example.org/autolinkk> and <mailto:desk@example.org>.\n\n"
      "```\nfencedd code is not prose\n```\n\n"
      "    indentedd code neither\n\n"
      "| Colum | Valeu |\n|---|---|\n| one | twoo |\n\n"
      "<span class=\"wrongg\"\n  title=\"wrongg\">Inlinne HTML</span> &amp; entitties.\n\n"
      "[linkk]: https://example.org/referense \"Titel\"\n\n"
      "Visit www.goverment.org, example.org/goverment, or press@goverment.example.org, "
      "mp3 snake_case naïve café résumé.\n" },
    { BYLINE_DRAFT_FORMAT_HTML,
      "<h2>The goverment</h2>\n"
      "<p class=\"wrongg\"><a href=\"https://example.org/goverment\"\n"
      "   title=\"wrongg\">The budjet</a> &amp; parliment.</p>\n"
      "<!-- a commentt\n  over two linnes -->\n"
      "<img src=\"fotograph.png\"\n  alt=\"fotograph\">\n"
      "<p>Ministers met in Brusels.</p>\n" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (drafts); i++)
    {
      Fixture fixture = { 0 };
      g_autofree char *marked = NULL;
      g_autofree char *found = NULL;
      g_autofree char *words = NULL;

      fixture_open (&fixture, drafts[i].format, "en_US", drafts[i].body);
      marked = marked_ranges (&fixture);
      words = marked_words (&fixture);
      found = check_ranges (fixture.store, fixture.draft);
      g_test_message ("Marked: %s (%s)", marked, words);
      /* Not an empty comparison: the editor marks words in each. */
      g_assert_cmpstr (marked, !=, "");
      g_assert_cmpstr (found, ==, marked);
      fixture_close (&fixture);
    }
}

static gboolean
is_language_button (GtkWidget     *widget,
                    gconstpointer  data)
{
  return GTK_IS_MENU_BUTTON (widget)
         && g_strcmp0 (gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)), data) == 0;
}

typedef struct {
  Fixture    *fixture;
  const char *script;
  const char *expected;
} ScriptWait;

static void
script_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  char **value = user_data;
  g_autoptr(GError) error = NULL;

  *value = byline_preview_run_script_finish (BYLINE_PREVIEW (object), result, &error);
  if (*value == NULL)
    *value = g_strdup ("");
}

static gboolean
script_gives (gpointer user_data)
{
  ScriptWait *wait = user_data;
  g_autofree char *value = NULL;

  byline_preview_run_script (wait->fixture->preview, wait->script, NULL, script_done_cb, &value);
  while (value == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_str_equal (value, wait->expected);
}

/* The draft's language, chosen from the status bar's menu: the dictionary changes (the French
 * word is no longer marked, the English typo is), the draft and the store keep it, and the
 * preview's page says it in its lang. */
static void
test_language_switch (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineDraft) stored = NULL;
  ScriptWait lang = { 0 };
  GtkWidget *button, *menu;

  fixture_open (&fixture, BYLINE_DRAFT_FORMAT_MARKDOWN, "en_US",
                "Le gouvernement a voté. The goverment voted.\n");
  assert_marked (&fixture, "gouvernement|vot\303\251|goverment");
  lang = (ScriptWait) { &fixture, "document.documentElement.lang", "en-US" };
  g_assert_true (byline_test_wait_until (script_gives, &lang, 10000));

  button = byline_test_find_descendant (GTK_WIDGET (fixture.editor), is_language_button,
                                        "English (United States)");
  g_assert_nonnull (button);
  click_widget (button, "1");
  menu = wait_for_menu (button);
  g_assert_nonnull (find_item (menu, "Check Spelling"));
  g_assert_nonnull (find_item (menu, "English (United States)"));
  byline_test_screenshot ("spelling-language-menu.png");
  click_widget (find_item (menu, "Français (France)"), "1");
  g_assert_true (byline_test_wait_until (menu_is_closed, button, 10000));

  g_assert_cmpstr (byline_draft_get_language (fixture.draft), ==, "fr_FR");
  wait_checked (&fixture);
  assert_marked (&fixture, "The|goverment|voted");
  g_assert_cmpstr (byline_spell_checker_get_language (
                     byline_spell_highlighter_get_checker (fixture.highlighter)), ==, "fr_FR");
  g_assert_cmpstr (gtk_menu_button_get_label (GTK_MENU_BUTTON (button)), ==, "Français (France)");
  lang.expected = "fr-FR";
  g_assert_true (byline_test_wait_until (script_gives, &lang, 10000));

  byline_editor_save_now (fixture.editor);
  stored = byline_store_load_draft (fixture.store, byline_draft_get_id (fixture.draft), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_draft_get_language (stored), ==, "fr_FR");

  fixture_close (&fixture);
}

/* Check Spelling in the same menu turns checking off, for every draft, remembered in
 * GSettings; on again, the words are marked again. */
static void
test_switch_off (void)
{
  Fixture fixture = { 0 };
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *button, *menu;

  fixture_open (&fixture, BYLINE_DRAFT_FORMAT_MARKDOWN, "en_US", "The goverment said.\n");
  assert_marked (&fixture, "goverment");
  g_assert_true (g_settings_get_boolean (settings, "spell-check"));

  button = byline_test_find_descendant (GTK_WIDGET (fixture.editor), is_language_button,
                                        "English (United States)");
  click_widget (button, "1");
  menu = wait_for_menu (button);
  click_widget (find_item (menu, "Check Spelling"), "1");
  assert_marked (&fixture, "");
  g_assert_false (g_settings_get_boolean (settings, "spell-check"));

  /* Typed while off (back in the text: the menu gave the focus back to its button): nothing
   * marked. */
  g_assert_true (byline_test_wait_until (menu_is_closed, button, 10000));
  byline_editor_focus_body (fixture.editor);
  byline_test_run_command ("xdotool", "key", "ctrl+End", "type", "--delay", "30",
                           "Anothr mistake. ", NULL);
  byline_test_iterate_for (800);
  assert_marked (&fixture, "");

  g_settings_set_boolean (settings, "spell-check", TRUE);
  wait_checked (&fixture);
  assert_marked (&fixture, "goverment|Anothr");

  fixture_close (&fixture);
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
    g_error ("test-spelling drives windows with xdotool and needs an X11 display (Xvfb)");

  g_test_add_func ("/ui/spelling/typed-word-corrected-from-keyboard",
                   test_typed_word_corrected_from_keyboard);
  g_test_add_func ("/ui/spelling/right-click-ignore-add", test_right_click_ignore_add);
  g_test_add_func ("/ui/spelling/typed-code-and-addresses-not-marked",
                   test_typed_code_and_addresses_not_marked);
  g_test_add_func ("/ui/spelling/loaded-markup-not-marked", test_loaded_markup_not_marked);
  g_test_add_func ("/ui/spelling/code-far-below-not-marked", test_code_far_below_not_marked);
  g_test_add_func ("/ui/spelling/check-matches-underlines", test_check_matches_underlines);
  g_test_add_func ("/ui/spelling/language-switch", test_language_switch);
  g_test_add_func ("/ui/spelling/switch-off", test_switch_off);

  return g_test_run ();
}
