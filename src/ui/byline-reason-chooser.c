/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-reason-chooser.c: the list of the site's policy reasons, to pick one from the keys. */

#include "config.h"

#include <glib/gi18n.h>

#include "byline-reason-chooser.h"

#define CHOSEN_KEY "byline-reason-chosen"
#define LIST_KEY "byline-reason-list"

static void
row_activated_cb (GtkListBox       *list,
                  GtkListBoxRow    *row,
                  AdwMessageDialog *chooser)
{
  g_object_set_data (G_OBJECT (chooser), CHOSEN_KEY,
                     GINT_TO_POINTER (gtk_list_box_row_get_index (row) + 1));
  adw_message_dialog_response (chooser, "choose");
}

/* The digits shown beside the reasons pick them at once, as after s or d in the list. */
static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                AdwMessageDialog      *chooser)
{
  GtkListBox *list = g_object_get_data (G_OBJECT (chooser), LIST_KEY);
  GtkListBoxRow *row;
  int digit = -1;

  if (keyval >= GDK_KEY_1 && keyval <= GDK_KEY_9)
    digit = keyval - GDK_KEY_1;
  else if (keyval >= GDK_KEY_KP_1 && keyval <= GDK_KEY_KP_9)
    digit = keyval - GDK_KEY_KP_1;
  if (digit < 0 || (row = gtk_list_box_get_row_at_index (list, digit)) == NULL)
    return FALSE;
  row_activated_cb (list, row, chooser);
  return TRUE;
}

static void
selected_rows_changed_cb (GtkListBox       *list,
                          AdwMessageDialog *chooser)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (list);

  g_object_set_data (G_OBJECT (chooser), CHOSEN_KEY,
                     GINT_TO_POINTER (row ? gtk_list_box_row_get_index (row) + 1 : 0));
  adw_message_dialog_set_response_enabled (chooser, "choose", row != NULL);
}

/* Once answered the dialog goes, and emptying the list then changes its selection after the
 * dialog's responses are gone. */
static void
answered_cb (AdwMessageDialog *chooser,
             const char       *response,
             GtkListBox       *list)
{
  g_signal_handlers_disconnect_by_func (list, selected_rows_changed_cb, chooser);
}

AdwMessageDialog *
byline_reason_chooser_new (GtkWindow          *parent,
                           const char         *heading,
                           const char * const *reasons)
{
  AdwMessageDialog *chooser = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, heading, NULL));
  GtkWidget *list = gtk_list_box_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  adw_message_dialog_set_body (chooser, _("Enter or the reason’s number chooses it."));
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_BROWSE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Policy reasons"), -1);
  for (guint i = 0; reasons != NULL && reasons[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *number = g_strdup_printf ("%u", i + 1);
      GtkWidget *digit = gtk_label_new (number);

      /* A reason's name is the site's own words: never markup. */
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), reasons[i]);
      if (i < 9)
        {
          gtk_widget_add_css_class (digit, "dim-label");
          gtk_widget_add_css_class (digit, "numeric");
          adw_action_row_add_prefix (ADW_ACTION_ROW (row), digit);
        }
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      reasons[i], -1);
      gtk_list_box_append (GTK_LIST_BOX (list), row);
    }
  g_object_set_data (G_OBJECT (chooser), LIST_KEY, list);
  adw_message_dialog_set_extra_child (chooser, list);
  adw_message_dialog_add_responses (chooser, "cancel", _("_Cancel"), "choose", _("C_hoose"), NULL);
  adw_message_dialog_set_response_appearance (chooser, "choose", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (chooser, "choose");
  adw_message_dialog_set_close_response (chooser, "cancel");
  g_signal_connect (list, "row-activated", G_CALLBACK (row_activated_cb), chooser);
  g_signal_connect (list, "selected-rows-changed", G_CALLBACK (selected_rows_changed_cb), chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (answered_cb), list);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), chooser);
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  gtk_widget_add_controller (GTK_WIDGET (chooser), keys);
  if (gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0) != NULL)
    {
      GtkListBoxRow *first = gtk_list_box_get_row_at_index (GTK_LIST_BOX (list), 0);

      gtk_list_box_select_row (GTK_LIST_BOX (list), first);
      gtk_window_set_focus (GTK_WINDOW (chooser), GTK_WIDGET (first));
    }
  else
    adw_message_dialog_set_response_enabled (chooser, "choose", FALSE);
  return chooser;
}

int
byline_reason_chooser_get_chosen (AdwMessageDialog *chooser)
{
  g_return_val_if_fail (ADW_IS_MESSAGE_DIALOG (chooser), -1);

  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (chooser), CHOSEN_KEY)) - 1;
}
