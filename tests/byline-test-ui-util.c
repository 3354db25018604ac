/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-test-ui-util.c: finding widgets and waiting on labels, for the tests that show windows. */

#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "byline-test-ui-util.h"

GTestDBus *
byline_test_ui_start_with_keyring (void)
{
  GTestDBus *bus;

  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  bus = byline_test_start_keyring_keeping_display ();
  gtk_init ();
  adw_init ();
  return bus;
}

GtkWidget *
byline_test_find_descendant (GtkWidget             *root,
                             BylineTestWidgetMatch  match,
                             gconstpointer          data)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (match (child, data))
        return child;
      if ((found = byline_test_find_descendant (child, match, data)))
        return found;
    }
  return NULL;
}

static gboolean
is_of_type (GtkWidget     *widget,
            gconstpointer  type)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, *(const GType *) type);
}

gpointer
byline_test_find_widget (GtkWidget *root,
                         GType      type)
{
  return byline_test_find_descendant (root, is_of_type, &type);
}

static gboolean
is_named (GtkWidget     *widget,
          gconstpointer  name)
{
  return g_str_equal (gtk_widget_get_name (widget), name);
}

GtkWidget *
byline_test_find_named (GtkWidget  *root,
                        const char *name)
{
  return byline_test_find_descendant (root, is_named, name);
}

static gboolean
is_selectable_label (GtkWidget     *widget,
                     gconstpointer  data)
{
  return GTK_IS_LABEL (widget) && gtk_label_get_selectable (GTK_LABEL (widget));
}

GtkLabel *
byline_test_find_selectable_label (GtkWidget *root)
{
  return (GtkLabel *) byline_test_find_descendant (root, is_selectable_label, NULL);
}

void
byline_test_collect_form (GtkWidget  *root,
                          GPtrArray  *entry_rows,
                          GtkLabel  **status)
{
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      if (ADW_IS_ENTRY_ROW (child))
        g_ptr_array_add (entry_rows, child);
      else if (is_selectable_label (child, NULL))
        *status = GTK_LABEL (child);
      byline_test_collect_form (child, entry_rows, status);
    }
}

gboolean
byline_test_label_has (gpointer label_wait)
{
  BylineTestLabelWait *wait = label_wait;

  return strstr (gtk_label_get_label (wait->label), wait->text) != NULL;
}

gboolean
byline_test_label_starts_with (gpointer label_wait)
{
  BylineTestLabelWait *wait = label_wait;

  return g_str_has_prefix (gtk_label_get_label (wait->label), wait->text);
}
