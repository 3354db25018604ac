/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-override-dialog.c: asks why a post should go out despite what stops it.
 *
 * The reason is kept with the post's history, so that a newsroom can later see who let a post
 * without alt text or with a dead link go out, and why: an empty reason is refused. */

#include "config.h"

#include <glib/gi18n.h>

#include "byline-check-list.h"
#include "byline-override-dialog.h"

/* More than this many blocking findings are counted, not listed: the dialog stays readable. */
#define MAX_LISTED 6

char *
byline_override_dialog_dup_reason (GtkEditable *entry)
{
  g_return_val_if_fail (GTK_IS_EDITABLE (entry), NULL);
  return g_strstrip (g_strdup (gtk_editable_get_text (entry)));
}

static void
reason_changed_cb (GtkEditable      *entry,
                   AdwMessageDialog *dialog)
{
  g_autofree char *reason = byline_override_dialog_dup_reason (entry);

  adw_message_dialog_set_response_enabled (dialog, "override", *reason != '\0');
}

static void
reason_activate_cb (GtkEntry         *entry,
                    AdwMessageDialog *dialog)
{
  if (adw_message_dialog_get_response_enabled (dialog, "override"))
    adw_message_dialog_response (dialog, "override");
}

static void
dialog_shown_cb (GtkWidget *dialog,
                 GtkWidget *entry)
{
  gtk_widget_grab_focus (entry);
}

/* One line of the list of what stops the post, left-aligned as a list reads. */
static void
add_line (GtkBox     *list,
          const char *text)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (label), PANGO_WRAP_WORD_CHAR);
  gtk_box_append (list, label);
}

AdwMessageDialog *
byline_override_dialog_new (GtkWindow    *parent,
                            GPtrArray    *findings,
                            const char   *override_label,
                            GtkEditable **entry)
{
  AdwMessageDialog *dialog;
  GtkWidget *extra = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  GtkWidget *list = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *text;
  guint blocking = 0;

  g_return_val_if_fail (findings != NULL, NULL);
  g_return_val_if_fail (override_label != NULL && entry != NULL, NULL);

  for (guint i = 0; i < findings->len; i++)
    {
      BylineFinding *finding = g_ptr_array_index (findings, i);
      g_autofree char *place = NULL;
      g_autofree char *line = NULL;

      if (finding->severity != BYLINE_CHECK_BLOCKING)
        continue;
      if (++blocking > MAX_LISTED)
        continue;
      place = byline_check_list_dup_place (finding);
      /* Translators: one line of the list of what stops a post: the finding, then where */
      line = g_strdup_printf (_("• %s (%s)"), finding->message, place);
      add_line (GTK_BOX (list), line);
    }
  if (blocking > MAX_LISTED)
    {
      g_autofree char *more = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "…and %u more",
                                                            "…and %u more",
                                                            blocking - MAX_LISTED),
                                               blocking - MAX_LISTED);

      add_line (GTK_BOX (list), more);
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("What stops the post"), -1);

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (parent, NULL,
                                                       _("Nothing was sent. To send it anyway, "
                                                         "say why: the reason is kept with the "
                                                         "post’s history.")));
  adw_message_dialog_set_heading (dialog, g_dngettext (GETTEXT_PACKAGE,
                                                       "A Problem Stops This Post",
                                                       "Problems Stop This Post", blocking));

  text = gtk_entry_new ();
  gtk_entry_set_placeholder_text (GTK_ENTRY (text), _("Reason for sending it anyway"));
  /* Enter is handled here, where an empty reason is refused, not by the default response. */
  gtk_entry_set_activates_default (GTK_ENTRY (text), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (text), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Reason for sending it anyway"), -1);
  gtk_box_append (GTK_BOX (extra), list);
  gtk_box_append (GTK_BOX (extra), text);
  adw_message_dialog_set_extra_child (dialog, extra);
  adw_message_dialog_add_responses (dialog, "cancel", _("_Cancel"), "override", override_label,
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "override", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_enabled (dialog, "override", FALSE);
  adw_message_dialog_set_default_response (dialog, "cancel");
  adw_message_dialog_set_close_response (dialog, "cancel");
  g_signal_connect (text, "changed", G_CALLBACK (reason_changed_cb), dialog);
  g_signal_connect (text, "activate", G_CALLBACK (reason_activate_cb), dialog);
  g_signal_connect (dialog, "show", G_CALLBACK (dialog_shown_cb), text);

  *entry = GTK_EDITABLE (text);
  return dialog;
}
