/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-list-item.h: the name a screen reader gives a list view's row. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* The widget that takes the focus on j and k, and that a screen reader announces, is the row
 * GtkListView makes around the item's child, not the child: a label on the child alone leaves an
 * unnamed list item (checked with AT-SPI on GTK 4.8). GTK 4.12 has API for it; 4.8 only lets
 * the row be reached as the child's parent, which is where the list puts it. */
static inline void
byline_list_item_set_accessible_label (GtkListItem *item,
                                       const char  *label)
{
#if GTK_CHECK_VERSION (4, 12, 0)
  /* Built against 4.12 or newer (the Flatpak) while the code targets 4.8's API. */
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_list_item_set_accessible_label (item, label);
  G_GNUC_END_IGNORE_DEPRECATIONS
#else
  GtkWidget *child = gtk_list_item_get_child (item);
  GtkWidget *row = child != NULL ? gtk_widget_get_parent (child) : NULL;

  if (row != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
#endif
}

G_END_DECLS
