/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-button-names.c: buttons with a mnemonic named as they read. */

#include "config.h"

#include "byline-button-names.h"

/* GtkButton sets its accessible label to the raw label, and names itself by its label widget
 * too (labelled-by); without the raw one, the name is the label widget's text. A newer GTK that
 * no longer sets it loses nothing by the reset. */
static void
name_by_text (GtkButton *button)
{
  if (gtk_button_get_use_underline (button) && gtk_button_get_label (button) != NULL)
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* "notify" takes no emission hook, so each button is followed from the first time it is shown:
 * before that, no screen reader sees it. */
static gboolean
widget_mapped_cb (GSignalInvocationHint *hint,
                  guint                  n_values,
                  const GValue          *values,
                  gpointer               user_data)
{
  GObject *object = g_value_get_object (&values[0]);
  static GQuark followed;

  if (!GTK_IS_BUTTON (object))
    return TRUE;
  if (followed == 0)
    followed = g_quark_from_static_string ("byline-button-name-followed");
  if (g_object_get_qdata (object, followed) == NULL)
    {
      g_object_set_qdata (object, followed, GINT_TO_POINTER (TRUE));
      g_signal_connect (object, "notify::label", G_CALLBACK (name_by_text), NULL);
      g_signal_connect (object, "notify::use-underline", G_CALLBACK (name_by_text), NULL);
    }
  name_by_text (GTK_BUTTON (object));
  return TRUE;
}

void
byline_button_names_follow_labels (void)
{
  static gsize installed;

  if (!g_once_init_enter (&installed))
    return;
  /* A signal exists once its class does, which may be before any widget is made. */
  g_type_class_ref (GTK_TYPE_WIDGET);
  g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0, widget_mapped_cb,
                              NULL, NULL);
  g_once_init_leave (&installed, 1);
}
