/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-drafts-page.c: the Drafts view: the list of local drafts beside the editor.
 *
 * The list holds the same BylineDraft objects the editor edits, so a row follows typing without
 * asking the store. Drafts are ordered by when they were last saved, newest first. */

#define G_LOG_DOMAIN "byline-drafts"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "byline-draft-row.h"
#include "byline-drafts-page.h"
#include "byline-editor.h"
#include "byline-import.h"

struct _BylineDraftsPage
{
  GtkWidget           parent_instance;

  BylineStore        *store;
  BylineAccounts     *accounts;
  GSettings          *settings;
  GListStore         *drafts;
  GtkFilterListModel *filtered;
  BylineDraft        *draft;

  AdwToastOverlay    *toast_overlay;
  AdwFlap            *flap;
  GtkSearchEntry     *search_entry;
  GtkStack           *list_stack;
  GtkListBox         *drafts_list;
  GtkStack           *content_stack;
  AdwStatusPage      *cannot_list_page;
  BylineEditor       *editor;

  guint               clock_id;

  guint               reordering : 1;
};

enum {
  PROP_0,
  PROP_DRAFT,
  N_PROPS
};

enum {
  DRAFT_TITLE_CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BylineDraftsPage, byline_drafts_page, GTK_TYPE_WIDGET)

static void
byline_drafts_page_show_error (BylineDraftsPage *self,
                               const char       *message)
{
  AdwToast *toast = adw_toast_new (message);

  adw_toast_set_timeout (toast, 8);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static gboolean
byline_drafts_page_find (BylineDraftsPage *self,
                         BylineDraft      *draft,
                         guint            *position)
{
  return g_list_store_find (self->drafts, draft, position);
}

static GtkListBoxRow *
byline_drafts_page_row_for_draft (BylineDraftsPage *self,
                                  BylineDraft      *draft)
{
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->drafts_list, i)); i++)
    if (byline_draft_row_get_draft (BYLINE_DRAFT_ROW (row)) == draft)
      return row;
  return NULL;
}

static void
byline_drafts_page_draft_changed_cb (BylineDraftsPage *self)
{
  g_signal_emit (self, signals[DRAFT_TITLE_CHANGED], 0);
}

/* A draft that was just saved is the newest: it moves to the top without losing the selection. */
static void
byline_drafts_page_draft_saved_cb (BylineDraftsPage *self,
                                   GParamSpec       *pspec,
                                   BylineDraft      *draft)
{
  g_autoptr(BylineDraft) keep = g_object_ref (draft);
  guint position;

  if (!byline_drafts_page_find (self, draft, &position) || position == 0)
    return;

  self->reordering = TRUE;
  g_list_store_remove (self->drafts, position);
  g_list_store_insert (self->drafts, 0, draft);
  gtk_list_box_select_row (self->drafts_list, byline_drafts_page_row_for_draft (self, draft));
  self->reordering = FALSE;
}

static void
byline_drafts_page_open (BylineDraftsPage *self,
                         BylineDraft      *draft)
{
  if (self->draft == draft)
    return;

  if (self->draft != NULL)
    g_signal_handlers_disconnect_by_data (self->draft, self);
  g_set_object (&self->draft, draft);

  byline_editor_set_draft (self->editor, self->store, draft);
  gtk_stack_set_visible_child_name (self->content_stack, draft ? "editor" : "empty");

  if (draft != NULL)
    {
      g_signal_connect_object (draft, "changed", G_CALLBACK (byline_drafts_page_draft_changed_cb),
                               self, G_CONNECT_SWAPPED);
      g_signal_connect_object (draft, "notify::modified-at",
                               G_CALLBACK (byline_drafts_page_draft_saved_cb), self,
                               G_CONNECT_SWAPPED);
      g_settings_set_int64 (self->settings, "last-draft", byline_draft_get_id (draft));
    }

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DRAFT]);
}

static void
byline_drafts_page_select (BylineDraftsPage *self,
                           BylineDraft      *draft)
{
  GtkListBoxRow *row = draft ? byline_drafts_page_row_for_draft (self, draft) : NULL;

  /* A draft hidden by the search is still opened; the search is what the user typed last. */
  if (row != NULL)
    gtk_list_box_select_row (self->drafts_list, row);
  else
    gtk_list_box_unselect_all (self->drafts_list);
  byline_drafts_page_open (self, draft);
}

static void
byline_drafts_page_row_selected_cb (BylineDraftsPage *self,
                                    GtkListBoxRow    *row,
                                    GtkListBox       *list)
{
  if (self->reordering || row == NULL)
    return;
  byline_drafts_page_open (self, byline_draft_row_get_draft (BYLINE_DRAFT_ROW (row)));
}

static void
byline_drafts_page_row_activated_cb (BylineDraftsPage *self,
                                     GtkListBoxRow    *row,
                                     GtkListBox       *list)
{
  byline_editor_focus_body (self->editor);
}

static GtkWidget *
byline_drafts_page_create_row (gpointer item,
                               gpointer user_data)
{
  return byline_draft_row_new (BYLINE_DRAFT (item));
}

static gboolean
byline_drafts_page_filter_func (gpointer item,
                                gpointer user_data)
{
  BylineDraftsPage *self = user_data;
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *needle = NULL;
  g_autofree char *title = NULL;
  g_autofree char *body = NULL;

  if (*query == '\0')
    return TRUE;

  needle = g_utf8_casefold (query, -1);
  title = g_utf8_casefold (byline_draft_get_title (item), -1);
  if (strstr (title, needle) != NULL)
    return TRUE;
  body = g_utf8_casefold (byline_draft_get_body (item), -1);
  return strstr (body, needle) != NULL;
}

static void
byline_drafts_page_update_list_stack (BylineDraftsPage *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0;
  gboolean searching = *gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) != '\0';

  gtk_stack_set_visible_child_name (self->list_stack, empty && searching ? "no-results" : "list");
}

static void
byline_drafts_page_search_changed_cb (BylineDraftsPage *self)
{
  gtk_filter_changed (gtk_filter_list_model_get_filter (self->filtered), GTK_FILTER_CHANGE_DIFFERENT);
  byline_drafts_page_update_list_stack (self);
  if (self->draft != NULL)
    {
      GtkListBoxRow *row = byline_drafts_page_row_for_draft (self, self->draft);

      if (row != NULL)
        gtk_list_box_select_row (self->drafts_list, row);
    }
}

/* Enter in the search opens the first match; Escape clears the search and returns to the list. */
static void
byline_drafts_page_search_activate_cb (BylineDraftsPage *self)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (self->drafts_list, 0);

  if (row == NULL)
    return;
  gtk_list_box_select_row (self->drafts_list, row);
  byline_editor_focus_body (self->editor);
}

static void
byline_drafts_page_stop_search_cb (BylineDraftsPage *self)
{
  GtkListBoxRow *row;

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  row = gtk_list_box_get_selected_row (self->drafts_list);
  gtk_widget_grab_focus (row ? GTK_WIDGET (row) : GTK_WIDGET (self->drafts_list));
}

/* A new draft is signed by the person signed in to a site, as posts there are. */
static void
byline_drafts_page_sign (BylineDraftsPage *self,
                         BylineDraft      *draft)
{
  g_autofree char *byline = NULL;
  g_autoptr(GError) error = NULL;

  if (*byline_draft_get_author (draft) != '\0' || self->accounts == NULL)
    return;
  byline = byline_accounts_dup_byline (self->accounts);
  if (byline == NULL)
    return;
  byline_draft_set_author (draft, byline);
  if (!byline_store_save_draft (self->store, draft, BYLINE_SAVE_AUTOMATIC, NULL, &error))
    g_message ("The new draft's byline is not saved yet: %s", error->message);
}

void
byline_drafts_page_new_draft (BylineDraftsPage *self)
{
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BYLINE_IS_DRAFTS_PAGE (self));

  draft = byline_store_create_draft (self->store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  if (draft == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not create a draft: %s"), error->message);

      byline_drafts_page_show_error (self, message);
      return;
    }

  byline_drafts_page_sign (self, draft);
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  g_list_store_insert (self->drafts, 0, draft);
  byline_drafts_page_select (self, draft);
  byline_editor_focus_title (self->editor);
}

static void
byline_drafts_page_undo_delete_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  BylineDraftsPage *self = BYLINE_DRAFTS_PAGE (widget);
  gint64 id = g_variant_get_int64 (parameter);
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  guint position = 0;

  if (!byline_store_set_draft_deleted (self->store, id, FALSE, &error)
      || !(draft = byline_store_load_draft (self->store, id, &error)))
    {
      g_autofree char *message = g_strdup_printf (_("Could not restore the draft: %s"),
                                                  error->message);

      byline_drafts_page_show_error (self, message);
      return;
    }

  /* Back where it was in the newest-first order. */
  while (position < g_list_model_get_n_items (G_LIST_MODEL (self->drafts)))
    {
      g_autoptr(BylineDraft) other = g_list_model_get_item (G_LIST_MODEL (self->drafts), position);

      if (byline_draft_get_modified_at (other) < byline_draft_get_modified_at (draft))
        break;
      position++;
    }
  g_list_store_insert (self->drafts, position, draft);
  byline_drafts_page_select (self, draft);
}

void
byline_drafts_page_delete_draft (BylineDraftsPage *self)
{
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *message = NULL;
  AdwToast *toast;
  guint position;
  guint n_items;

  g_return_if_fail (BYLINE_IS_DRAFTS_PAGE (self));

  if (self->draft == NULL || !byline_drafts_page_find (self, self->draft, &position))
    return;

  draft = g_object_ref (self->draft);
  /* Save first, so that Undo brings back every last keystroke. */
  byline_editor_save_now (self->editor);
  if (!byline_store_set_draft_deleted (self->store, byline_draft_get_id (draft), TRUE, &error))
    {
      message = g_strdup_printf (_("Could not delete the draft: %s"), error->message);
      byline_drafts_page_show_error (self, message);
      return;
    }

  g_list_store_remove (self->drafts, position);
  n_items = g_list_model_get_n_items (G_LIST_MODEL (self->drafts));
  if (n_items > 0)
    {
      g_autoptr(BylineDraft) next = g_list_model_get_item (G_LIST_MODEL (self->drafts),
                                                           MIN (position, n_items - 1));

      byline_drafts_page_select (self, next);
    }
  else
    byline_drafts_page_select (self, NULL);

  title = byline_draft_dup_display_title (draft);
  /* Translators: a toast after deleting a draft, with an Undo button */
  message = g_strdup_printf (_("“%s” deleted"), title);
  toast = adw_toast_new (message);
  adw_toast_set_button_label (toast, _("_Undo"));
  adw_toast_set_action_name (toast, "drafts.undo-delete");
  adw_toast_set_action_target_value (toast, g_variant_new_int64 (byline_draft_get_id (draft)));
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static void
byline_drafts_page_delete_action (GtkWidget  *widget,
                                  const char *action_name,
                                  GVariant   *parameter)
{
  byline_drafts_page_delete_draft (BYLINE_DRAFTS_PAGE (widget));
}

void
byline_drafts_page_focus_search (BylineDraftsPage *self)
{
  g_return_if_fail (BYLINE_IS_DRAFTS_PAGE (self));

  g_settings_set_boolean (self->settings, "sidebar-visible", TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

void
byline_drafts_page_open_file (BylineDraftsPage *self,
                              GFile            *file)
{
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  BylineDraft *listed = NULL;
  gboolean already_there;

  g_return_if_fail (BYLINE_IS_DRAFTS_PAGE (self));

  draft = byline_import_file (self->store, file, &already_there, &error);
  if (draft == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);
      g_autofree char *message = g_strdup_printf (_("Could not open “%s”: %s"), name,
                                                  error->message);

      byline_drafts_page_show_error (self, message);
      return;
    }

  /* A draft opened again is the object the list already holds, if it does. */
  for (guint i = 0; already_there && i < g_list_model_get_n_items (G_LIST_MODEL (self->drafts)); i++)
    {
      g_autoptr(BylineDraft) item = g_list_model_get_item (G_LIST_MODEL (self->drafts), i);

      if (byline_draft_get_id (item) == byline_draft_get_id (draft))
        listed = item;
    }
  if (listed == NULL)
    {
      if (!already_there)
        byline_drafts_page_sign (self, draft);
      g_list_store_insert (self->drafts, 0, draft);
      listed = draft;
    }

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  byline_drafts_page_select (self, listed);
  byline_editor_focus_body (self->editor);
}

static gboolean
byline_drafts_page_same_text (BylineDraft *a,
                              BylineDraft *b)
{
  return byline_draft_get_format (a) == byline_draft_get_format (b)
         && g_str_equal (byline_draft_get_title (a), byline_draft_get_title (b))
         && g_str_equal (byline_draft_get_body (a), byline_draft_get_body (b))
         && g_str_equal (byline_draft_get_excerpt (a), byline_draft_get_excerpt (b))
         && g_str_equal (byline_draft_get_slug (a), byline_draft_get_slug (b))
         && g_str_equal (byline_draft_get_categories (a), byline_draft_get_categories (b))
         && g_str_equal (byline_draft_get_tags (a), byline_draft_get_tags (b))
         && g_str_equal (byline_draft_get_author (a), byline_draft_get_author (b))
         && g_str_equal (byline_draft_get_publish_date (a), byline_draft_get_publish_date (b));
}

void
byline_drafts_page_open_draft (BylineDraftsPage *self,
                               BylineDraft      *draft)
{
  g_autoptr(BylineDraft) listed = NULL;
  guint position = 0;

  g_return_if_fail (BYLINE_IS_DRAFTS_PAGE (self));
  g_return_if_fail (BYLINE_IS_DRAFT (draft));

  for (guint i = 0; listed == NULL && i < g_list_model_get_n_items (G_LIST_MODEL (self->drafts)); i++)
    {
      g_autoptr(BylineDraft) item = g_list_model_get_item (G_LIST_MODEL (self->drafts), i);

      if (byline_draft_get_id (item) == byline_draft_get_id (draft))
        {
          listed = g_steal_pointer (&item);
          position = i;
        }
    }

  if (listed != NULL && listed != draft && !byline_drafts_page_same_text (listed, draft))
    {
      /* Refreshed from the site: the editor lets go of the old copy (saved, so it writes
       * nothing), and the list holds the store's. */
      if (self->draft == listed)
        byline_drafts_page_open (self, NULL);
      g_list_store_remove (self->drafts, position);
      g_clear_object (&listed);
    }
  if (listed == NULL)
    {
      g_list_store_insert (self->drafts, 0, draft);
      listed = g_object_ref (draft);
    }

  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  byline_drafts_page_select (self, listed);
  byline_editor_focus_body (self->editor);
}

void
byline_drafts_page_save_now (BylineDraftsPage *self)
{
  g_return_if_fail (BYLINE_IS_DRAFTS_PAGE (self));

  byline_editor_save_now (self->editor);
}

static gboolean
byline_drafts_page_clock_cb (gpointer user_data)
{
  BylineDraftsPage *self = user_data;
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->drafts_list, i)); i++)
    byline_draft_row_update_time (BYLINE_DRAFT_ROW (row));
  return G_SOURCE_CONTINUE;
}

void
byline_drafts_page_load (BylineDraftsPage *self,
                         BylineStore      *store,
                         BylineAccounts   *accounts,
                         GSettings        *settings)
{
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  gint64 last_id;
  BylineDraft *open = NULL;

  g_return_if_fail (BYLINE_IS_DRAFTS_PAGE (self));
  g_return_if_fail (BYLINE_IS_STORE (store));

  g_set_object (&self->store, store);
  g_set_object (&self->accounts, accounts);
  g_set_object (&self->settings, settings);
  g_settings_bind (settings, "sidebar-visible", self->flap, "reveal-flap", G_SETTINGS_BIND_DEFAULT);

  drafts = byline_store_list_drafts (store, &error);
  if (drafts == NULL)
    {
      g_autofree char *message = g_strdup_printf (_("Could not list the drafts: %s"), error->message);

      /* Never "No Drafts": they may all still be in the file. */
      adw_status_page_set_description (self->cannot_list_page, error->message);
      gtk_stack_set_visible_child_name (self->content_stack, "cannot-list");
      byline_drafts_page_show_error (self, message);
      return;
    }

  g_list_store_splice (self->drafts, 0, g_list_model_get_n_items (G_LIST_MODEL (self->drafts)),
                       drafts->pdata, drafts->len);

  last_id = g_settings_get_int64 (settings, "last-draft");
  for (guint i = 0; i < drafts->len && open == NULL; i++)
    if (byline_draft_get_id (g_ptr_array_index (drafts, i)) == last_id)
      open = g_ptr_array_index (drafts, i);
  if (open == NULL && drafts->len > 0)
    open = g_ptr_array_index (drafts, 0);

  byline_drafts_page_select (self, open);
  /* Start where the writing is, so the editor's keys (Ctrl+S, Ctrl+Return…) work at once. */
  if (open != NULL)
    byline_editor_focus_body (self->editor);
}

BylineDraft *
byline_drafts_page_get_draft (BylineDraftsPage *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFTS_PAGE (self), NULL);

  return self->draft;
}

static void
byline_drafts_page_dispose (GObject *object)
{
  GtkWidget *child;
  BylineDraftsPage *self = BYLINE_DRAFTS_PAGE (object);

  g_clear_handle_id (&self->clock_id, g_source_remove);
  if (self->draft != NULL)
    g_signal_handlers_disconnect_by_data (self->draft, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BYLINE_TYPE_DRAFTS_PAGE);
  /* The template's top box is not a bound child, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->draft);
  g_clear_object (&self->filtered);
  g_clear_object (&self->drafts);
  g_clear_object (&self->settings);
  g_clear_object (&self->accounts);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (byline_drafts_page_parent_class)->dispose (object);
}

static void
byline_drafts_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BylineDraftsPage *self = BYLINE_DRAFTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_DRAFT:
      g_value_set_object (value, self->draft);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byline_drafts_page_class_init (BylineDraftsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_drafts_page_dispose;
  object_class->get_property = byline_drafts_page_get_property;

  properties[PROP_DRAFT] =
    g_param_spec_object ("draft", NULL, NULL, BYLINE_TYPE_DRAFT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The open draft's title (or first words) may have changed. */
  signals[DRAFT_TITLE_CHANGED] =
    g_signal_new ("draft-title-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);

  g_type_ensure (BYLINE_TYPE_EDITOR);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/byline-drafts-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BylineDraftsPage, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BylineDraftsPage, flap);
  gtk_widget_class_bind_template_child (widget_class, BylineDraftsPage, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BylineDraftsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, BylineDraftsPage, drafts_list);
  gtk_widget_class_bind_template_child (widget_class, BylineDraftsPage, content_stack);
  gtk_widget_class_bind_template_child (widget_class, BylineDraftsPage, cannot_list_page);
  gtk_widget_class_bind_template_child (widget_class, BylineDraftsPage, editor);

  gtk_widget_class_install_action (widget_class, "drafts.delete", NULL,
                                   byline_drafts_page_delete_action);
  gtk_widget_class_install_action (widget_class, "drafts.undo-delete", "x",
                                   byline_drafts_page_undo_delete_action);
}

static void
byline_drafts_page_init (BylineDraftsPage *self)
{
  GtkShortcutController *shortcuts;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->drafts = g_list_store_new (BYLINE_TYPE_DRAFT);
  self->filtered = gtk_filter_list_model_new (
    G_LIST_MODEL (g_object_ref (self->drafts)),
    GTK_FILTER (gtk_custom_filter_new (byline_drafts_page_filter_func, self, NULL)));
  gtk_list_box_bind_model (self->drafts_list, G_LIST_MODEL (self->filtered),
                           byline_drafts_page_create_row, self, NULL);

  /* Delete acts on the list only: in the editor it deletes text, as it should. */
  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_shortcut_controller_add_shortcut (shortcuts,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Delete,
                                                                                  0),
                                                          gtk_named_action_new ("drafts.delete")));
  gtk_widget_add_controller (GTK_WIDGET (self->drafts_list), GTK_EVENT_CONTROLLER (shortcuts));

  g_signal_connect_object (self->drafts_list, "row-selected",
                           G_CALLBACK (byline_drafts_page_row_selected_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->drafts_list, "row-activated",
                           G_CALLBACK (byline_drafts_page_row_activated_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "search-changed",
                           G_CALLBACK (byline_drafts_page_search_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "activate",
                           G_CALLBACK (byline_drafts_page_search_activate_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "stop-search",
                           G_CALLBACK (byline_drafts_page_stop_search_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "items-changed",
                           G_CALLBACK (byline_drafts_page_update_list_stack), self, G_CONNECT_SWAPPED);

  self->clock_id = g_timeout_add_seconds (60, byline_drafts_page_clock_cb, self);
}
