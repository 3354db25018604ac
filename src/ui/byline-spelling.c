/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-spelling.c: the editor's spelling: underlines, corrections, the draft's language.
 *
 * The words are marked by a BylineSpellHighlighter with the checker of the draft's language,
 * loaded in a worker thread so that opening a draft waits for no dictionary. The corrections go
 * in the text view's own context menu (its extra menu), filled for the word under the pointer or
 * the cursor just before the menu opens. */

#define G_LOG_DOMAIN "byline-spelling"

#include "config.h"

#include <glib/gi18n.h>

#include "byline-language.h"
#include "byline-spelling.h"

#define MAX_SUGGESTIONS 5

struct _BylineSpelling
{
  GObject                 parent_instance;

  GtkWidget              *host;
  GtkTextView            *view;
  GtkMenuButton          *language_button;
  BylineDraft            *draft;
  GSettings              *settings;
  GSimpleActionGroup     *actions;
  BylineSpellHighlighter *highlighter;
  /* The draft's language's, kept while checking is off too. */
  BylineSpellChecker     *checker;
  GCancellable           *loading;
  GMenu                  *context_menu;
  GMenu                  *language_menu;
  /* The word the context menu offers corrections for. */
  GtkTextMark            *word_start;
  GtkTextMark            *word_end;
  /* The language asked for (the draft's, or the system's when it has none). */
  char                   *language;
};

G_DEFINE_FINAL_TYPE (BylineSpelling, byline_spelling, G_TYPE_OBJECT)

static GtkTextBuffer *
byline_spelling_get_buffer (BylineSpelling *self)
{
  return gtk_text_view_get_buffer (self->view);
}

static void
byline_spelling_apply_checker (BylineSpelling *self)
{
  gboolean enabled = g_settings_get_boolean (self->settings, "spell-check");

  byline_spell_highlighter_set_checker (self->highlighter, enabled ? self->checker : NULL);
}

/* The menu button names the language (that of the dictionary found for it, when there is one);
 * it changes only when the language does, never while the writer types. */
static void
byline_spelling_show_language (BylineSpelling *self)
{
  const char *language = self->checker ? byline_spell_checker_get_language (self->checker)
                                       : self->language;
  g_autofree char *name = byline_language_dup_display_name (language);
  GAction *action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "language");

  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_string (language));
  if (self->language_button != NULL
      && g_strcmp0 (gtk_menu_button_get_label (self->language_button), name) != 0)
    gtk_menu_button_set_label (self->language_button, name);
  if (self->language_button != NULL)
    {
      g_autofree char *tooltip = NULL;

      if (self->checker != NULL)
        tooltip = g_strdup_printf (_("Language and Spelling: %s"), name);
      else
        tooltip = g_strdup_printf (_("No spelling dictionary for %s is installed"), name);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->language_button), tooltip);
    }
}

static void
byline_spelling_loaded_cb (GObject      *object,
                           GAsyncResult *result,
                           gpointer      user_data)
{
  g_autoptr(BylineSpelling) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineSpellChecker) checker = byline_spell_checker_new_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (error != NULL)
    g_debug ("%s", error->message);

  g_clear_object (&self->loading);
  g_set_object (&self->checker, checker);
  byline_spelling_apply_checker (self);
  byline_spelling_show_language (self);
}

static void
byline_spelling_load_language (BylineSpelling *self)
{
  g_autofree char *language = NULL;

  if (self->draft != NULL && *byline_draft_get_language (self->draft) != '\0')
    language = g_strdup (byline_draft_get_language (self->draft));
  else
    language = byline_language_dup_default ();
  if (g_strcmp0 (language, self->language) == 0)
    return;

  g_free (self->language);
  self->language = g_steal_pointer (&language);
  /* No word is marked in the other language meanwhile. */
  g_clear_object (&self->checker);
  byline_spelling_apply_checker (self);
  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  self->loading = g_cancellable_new ();
  byline_spell_checker_new_async (self->language, self->loading, byline_spelling_loaded_cb,
                                  g_object_ref (self));
}

void
byline_spelling_set_draft (BylineSpelling *self,
                           BylineDraft    *draft)
{
  g_return_if_fail (BYLINE_IS_SPELLING (self));
  g_return_if_fail (!draft || BYLINE_IS_DRAFT (draft));

  if (self->draft != NULL)
    g_signal_handlers_disconnect_by_data (self->draft, self);
  g_set_object (&self->draft, draft);
  if (draft != NULL)
    g_signal_connect_object (draft, "notify::language",
                             G_CALLBACK (byline_spelling_load_language), self, G_CONNECT_SWAPPED);
  byline_spelling_load_language (self);
}

BylineSpellHighlighter *
byline_spelling_get_highlighter (BylineSpelling *self)
{
  g_return_val_if_fail (BYLINE_IS_SPELLING (self), NULL);

  return self->highlighter;
}

/* The context menu */

/* Labels in a popover menu take "_" as a mnemonic: a suggestion keeps its own. */
static char *
escape_underscores (const char *text)
{
  g_auto(GStrv) parts = g_strsplit (text, "_", -1);

  return g_strjoinv ("__", parts);
}

/* Fills the context menu for the word at @iter: its corrections when it is marked, nothing of
 * spelling otherwise. */
static void
byline_spelling_update_context_menu (BylineSpelling    *self,
                                     const GtkTextIter *iter)
{
  GtkTextBuffer *buffer = byline_spelling_get_buffer (self);
  g_autoptr(GMenu) suggestions_section = NULL;
  g_autoptr(GMenu) word_section = NULL;
  g_auto(GStrv) suggestions = NULL;
  g_autofree char *word = NULL;
  GtkTextIter start, end;

  g_menu_remove_all (self->context_menu);
  if (byline_spell_highlighter_get_checker (self->highlighter) == NULL
      || !byline_spell_highlighter_get_marked_word (self->highlighter, iter, &start, &end))
    return;

  word = gtk_text_iter_get_slice (&start, &end);
  suggestions = byline_spell_checker_suggest (byline_spell_highlighter_get_checker (self->highlighter),
                                              word, -1, MAX_SUGGESTIONS);
  suggestions_section = g_menu_new ();
  for (guint i = 0; suggestions[i] != NULL; i++)
    {
      g_autofree char *label = escape_underscores (suggestions[i]);
      g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);

      g_menu_item_set_action_and_target_value (item, "spelling.correct",
                                               g_variant_new_string (suggestions[i]));
      g_menu_append_item (suggestions_section, item);
    }
  if (suggestions[0] == NULL)
    g_menu_append (suggestions_section, _("No Suggestions"), "spelling.no-suggestions");
  g_menu_append_section (self->context_menu, NULL, G_MENU_MODEL (suggestions_section));

  word_section = g_menu_new ();
  g_menu_append (word_section, _("_Ignore"), "spelling.ignore");
  g_menu_append (word_section, _("_Add to Dictionary"), "spelling.add");
  g_menu_append_section (self->context_menu, NULL, G_MENU_MODEL (word_section));

  gtk_text_buffer_move_mark (buffer, self->word_start, &start);
  gtk_text_buffer_move_mark (buffer, self->word_end, &end);
}

/* A right click: the menu is about the word under the pointer, where the cursor goes too (unless
 * the click is in the selection, which the menu's Cut and Copy are for). Runs before the text
 * view's own handler, which opens the menu. */
static void
byline_spelling_right_click_cb (BylineSpelling  *self,
                                int              n_press,
                                double           x,
                                double           y,
                                GtkGestureClick *gesture)
{
  GtkTextBuffer *buffer = byline_spelling_get_buffer (self);
  GtkTextIter iter, selection_start, selection_end;
  int buffer_x, buffer_y;

  gtk_text_view_window_to_buffer_coords (self->view, GTK_TEXT_WINDOW_WIDGET, x, y,
                                         &buffer_x, &buffer_y);
  gtk_text_view_get_iter_at_location (self->view, &iter, buffer_x, buffer_y);
  if (!gtk_text_buffer_get_selection_bounds (buffer, &selection_start, &selection_end)
      || !gtk_text_iter_in_range (&iter, &selection_start, &selection_end))
    gtk_text_buffer_place_cursor (buffer, &iter);
  byline_spell_highlighter_check_now (self->highlighter);
  byline_spelling_update_context_menu (self, &iter);
}

/* The Menu key and Shift+F10 open the text view's menu at the cursor: it is about the word
 * there, the one being typed too. */
static gboolean
byline_spelling_key_pressed_cb (BylineSpelling        *self,
                                guint                  keyval,
                                guint                  keycode,
                                GdkModifierType        state,
                                GtkEventControllerKey *controller)
{
  GtkTextBuffer *buffer = byline_spelling_get_buffer (self);
  GtkTextIter cursor;

  if (keyval != GDK_KEY_Menu && !(keyval == GDK_KEY_F10 && (state & GDK_SHIFT_MASK)))
    return GDK_EVENT_PROPAGATE;

  byline_spell_highlighter_check_now (self->highlighter);
  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  byline_spelling_update_context_menu (self, &cursor);
  return GDK_EVENT_PROPAGATE;
}

/* The word the menu was opened for, if the text still holds it. */
static char *
byline_spelling_dup_menu_word (BylineSpelling *self,
                               GtkTextIter    *start,
                               GtkTextIter    *end)
{
  GtkTextBuffer *buffer = byline_spelling_get_buffer (self);

  gtk_text_buffer_get_iter_at_mark (buffer, start, self->word_start);
  gtk_text_buffer_get_iter_at_mark (buffer, end, self->word_end);
  if (gtk_text_iter_equal (start, end))
    return NULL;
  return gtk_text_iter_get_slice (start, end);
}

static void
byline_spelling_correct_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  BylineSpelling *self = user_data;
  GtkTextBuffer *buffer = byline_spelling_get_buffer (self);
  g_autofree char *word = NULL;
  GtkTextIter start, end;

  word = byline_spelling_dup_menu_word (self, &start, &end);
  if (word == NULL)
    return;

  /* One edit, undone by one Ctrl+Z; the draft follows it as it follows typing. */
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete (buffer, &start, &end);
  gtk_text_buffer_insert (buffer, &start, g_variant_get_string (parameter, NULL), -1);
  gtk_text_buffer_end_user_action (buffer);
  gtk_text_buffer_place_cursor (buffer, &start);
  gtk_text_buffer_move_mark (buffer, self->word_end, &start);
}

static void
byline_spelling_accept_word (BylineSpelling *self,
                             gboolean        for_good)
{
  BylineSpellChecker *checker = byline_spell_highlighter_get_checker (self->highlighter);
  g_autofree char *word = NULL;
  GtkTextIter start, end;

  word = byline_spelling_dup_menu_word (self, &start, &end);
  if (word == NULL || checker == NULL)
    return;

  if (for_good)
    byline_spell_checker_add_word (checker, word, -1);
  else
    byline_spell_checker_ignore_word (checker, word, -1);
  byline_spell_highlighter_unmark_word (self->highlighter, word);
}

static void
byline_spelling_ignore_action (GSimpleAction *action,
                               GVariant      *parameter,
                               gpointer       user_data)
{
  byline_spelling_accept_word (user_data, FALSE);
}

static void
byline_spelling_add_action (GSimpleAction *action,
                            GVariant      *parameter,
                            gpointer       user_data)
{
  byline_spelling_accept_word (user_data, TRUE);
}

/* The language menu */

static void
byline_spelling_language_change_state (GSimpleAction *action,
                                       GVariant      *value,
                                       gpointer       user_data)
{
  BylineSpelling *self = user_data;

  g_simple_action_set_state (action, value);
  /* Kept with the draft (and saved with it); the checker follows through ::notify. */
  if (self->draft != NULL)
    byline_draft_set_language (self->draft, g_variant_get_string (value, NULL));
}

static int
compare_collated (gconstpointer a,
                  gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* Lists the installed dictionaries each time the menu opens, so that one installed meanwhile
 * is there. */
static void
byline_spelling_fill_language_menu (GtkMenuButton *button,
                                    gpointer       user_data)
{
  BylineSpelling *self = user_data;
  g_auto(GStrv) languages = byline_spell_checker_list_languages ();
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GMenu) switch_section = g_menu_new ();
  g_autoptr(GMenu) languages_section = g_menu_new ();

  g_menu_remove_all (self->language_menu);
  g_menu_append (switch_section, _("_Check Spelling"), "spelling.spell-check");
  g_menu_append_section (self->language_menu, NULL, G_MENU_MODEL (switch_section));

  /* By name, as the writer reads them: "Français (France)" before "Français (Suisse)". */
  for (guint i = 0; languages[i] != NULL; i++)
    {
      g_autofree char *name = byline_language_dup_display_name (languages[i]);

      g_ptr_array_add (names, g_strconcat (name, "\n", languages[i], NULL));
    }
  g_ptr_array_sort (names, compare_collated);
  for (guint i = 0; i < names->len; i++)
    {
      g_auto(GStrv) name_and_tag = g_strsplit (g_ptr_array_index (names, i), "\n", 2);
      g_autoptr(GMenuItem) item = g_menu_item_new (name_and_tag[0], NULL);

      g_menu_item_set_action_and_target_value (item, "spelling.language",
                                               g_variant_new_string (name_and_tag[1]));
      g_menu_append_item (languages_section, item);
    }
  if (languages[0] == NULL)
    g_menu_append (languages_section, _("No Spelling Dictionaries Installed"),
                   "spelling.no-suggestions");
  g_menu_append_section (self->language_menu, _("Language of the Draft"),
                         G_MENU_MODEL (languages_section));
}

static void
byline_spelling_dispose (GObject *object)
{
  BylineSpelling *self = BYLINE_SPELLING (object);

  g_cancellable_cancel (self->loading);
  g_clear_object (&self->loading);
  if (self->draft != NULL)
    g_signal_handlers_disconnect_by_data (self->draft, self);
  g_clear_object (&self->draft);
  if (self->view != NULL)
    {
      GtkTextBuffer *buffer = byline_spelling_get_buffer (self);

      gtk_text_view_set_extra_menu (self->view, NULL);
      gtk_text_buffer_delete_mark (buffer, self->word_start);
      gtk_text_buffer_delete_mark (buffer, self->word_end);
    }
  if (self->language_button != NULL)
    gtk_menu_button_set_create_popup_func (self->language_button, NULL, NULL, NULL);
  if (self->host != NULL)
    gtk_widget_insert_action_group (self->host, "spelling", NULL);
  g_clear_weak_pointer (&self->view);
  g_clear_weak_pointer (&self->host);
  g_clear_weak_pointer (&self->language_button);
  g_clear_object (&self->word_start);
  g_clear_object (&self->word_end);
  g_clear_object (&self->highlighter);
  g_clear_object (&self->checker);
  g_clear_object (&self->settings);
  g_clear_object (&self->actions);
  g_clear_object (&self->context_menu);
  g_clear_object (&self->language_menu);
  g_clear_pointer (&self->language, g_free);

  G_OBJECT_CLASS (byline_spelling_parent_class)->dispose (object);
}

static void
byline_spelling_class_init (BylineSpellingClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = byline_spelling_dispose;
}

static void
byline_spelling_init (BylineSpelling *self)
{
}

BylineSpelling *
byline_spelling_new (GtkWidget     *host,
                     GtkTextView   *view,
                     GtkMenuButton *language_button)
{
  static const GActionEntry entries[] = {
    { "correct", byline_spelling_correct_action, "s" },
    { "ignore", byline_spelling_ignore_action },
    { "add", byline_spelling_add_action },
    { "language", NULL, "s", "''", byline_spelling_language_change_state },
    { "no-suggestions" },
  };
  BylineSpelling *self;
  GtkTextBuffer *buffer;
  GtkEventController *click, *keys;
  g_autoptr(GAction) switch_action = NULL;
  GtkTextIter start;

  g_return_val_if_fail (GTK_IS_WIDGET (host), NULL);
  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);
  g_return_val_if_fail (GTK_IS_MENU_BUTTON (language_button), NULL);

  self = g_object_new (BYLINE_TYPE_SPELLING, NULL);
  g_set_weak_pointer (&self->host, host);
  g_set_weak_pointer (&self->view, view);
  g_set_weak_pointer (&self->language_button, language_button);
  self->settings = g_settings_new (APP_ID);
  self->highlighter = byline_spell_highlighter_new (view);

  buffer = gtk_text_view_get_buffer (view);
  gtk_text_buffer_get_start_iter (buffer, &start);
  self->word_start = g_object_ref (gtk_text_buffer_create_mark (buffer, NULL, &start, TRUE));
  self->word_end = g_object_ref (gtk_text_buffer_create_mark (buffer, NULL, &start, FALSE));

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries),
                                   self);
  g_simple_action_set_enabled (
    G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (self->actions), "no-suggestions")),
    FALSE);
  switch_action = g_settings_create_action (self->settings, "spell-check");
  g_action_map_add_action (G_ACTION_MAP (self->actions), switch_action);
  gtk_widget_insert_action_group (host, "spelling", G_ACTION_GROUP (self->actions));
  g_signal_connect_object (self->settings, "changed::spell-check",
                           G_CALLBACK (byline_spelling_apply_checker), self, G_CONNECT_SWAPPED);

  self->context_menu = g_menu_new ();
  gtk_text_view_set_extra_menu (view, G_MENU_MODEL (self->context_menu));
  click = GTK_EVENT_CONTROLLER (gtk_gesture_click_new ());
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_SECONDARY);
  gtk_event_controller_set_propagation_phase (click, GTK_PHASE_CAPTURE);
  g_signal_connect_object (click, "pressed", G_CALLBACK (byline_spelling_right_click_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (view), click);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (byline_spelling_key_pressed_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_widget_add_controller (GTK_WIDGET (view), keys);

  self->language_menu = g_menu_new ();
  gtk_menu_button_set_menu_model (language_button, G_MENU_MODEL (self->language_menu));
  gtk_menu_button_set_create_popup_func (language_button, byline_spelling_fill_language_menu,
                                         self, NULL);
  return self;
}
