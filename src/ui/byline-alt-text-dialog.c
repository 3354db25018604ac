/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-alt-text-dialog.c: asks for an image's alt text, which the newsroom requires. */

#include "config.h"

#include <glib/gi18n.h>

#include "byline-alt-text-dialog.h"

char *
byline_alt_text_dialog_dup_text (GtkEditable *entry)
{
  g_return_val_if_fail (GTK_IS_EDITABLE (entry), NULL);
  return g_strstrip (g_strdup (gtk_editable_get_text (entry)));
}

static void
entry_changed_cb (GtkEditable      *entry,
                  AdwMessageDialog *dialog)
{
  g_autofree char *alt = byline_alt_text_dialog_dup_text (entry);
  const char *accept_id = g_object_get_data (G_OBJECT (dialog), "byline-accept-id");

  adw_message_dialog_set_response_enabled (dialog, accept_id, *alt != '\0');
}

static void
entry_activate_cb (GtkEntry         *entry,
                   AdwMessageDialog *dialog)
{
  const char *accept_id = g_object_get_data (G_OBJECT (dialog), "byline-accept-id");

  if (adw_message_dialog_get_response_enabled (dialog, accept_id))
    adw_message_dialog_response (dialog, accept_id);
}

AdwMessageDialog *
byline_alt_text_dialog_new (GtkWindow    *parent,
                            GFile        *file,
                            const char   *accept_id,
                            const char   *accept_label,
                            GtkEditable **entry)
{
  g_autofree char *name = g_file_get_basename (file);
  g_autofree char *body = NULL;
  AdwMessageDialog *dialog;
  GtkWidget *text;

  g_return_val_if_fail (G_IS_FILE (file), NULL);
  g_return_val_if_fail (accept_id != NULL && entry != NULL, NULL);

  body = g_strdup_printf (_("Describe “%s” for readers who cannot see it: screen readers read this "
                            "alt text aloud, and it shows where the image does not load. The "
                            "newsroom requires it for every image."), name);
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, _("Alt Text"), body));
  g_object_set_data_full (G_OBJECT (dialog), "byline-accept-id", g_strdup (accept_id), g_free);

  text = gtk_entry_new ();
  /* Enter is handled here, where the empty case is refused, not by the default response. */
  gtk_entry_set_activates_default (GTK_ENTRY (text), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Alt text"), -1);
  adw_message_dialog_set_extra_child (dialog, text);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), accept_id, accept_label, NULL);
  adw_message_dialog_set_response_appearance (dialog, accept_id, ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_response_enabled (dialog, accept_id, FALSE);
  adw_message_dialog_set_default_response (dialog, accept_id);
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (text, "changed", G_CALLBACK (entry_changed_cb), dialog);
  g_signal_connect (text, "activate", G_CALLBACK (entry_activate_cb), dialog);

  *entry = GTK_EDITABLE (text);
  return dialog;
}
