/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-label.h: setting a label's text only when it changes. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* GTK 4.8 lays a label out again (and with it the window, in a frame of its own) whenever its
 * text is set, even to the text it already shows. Labels refreshed by timers while the writer
 * types go through this, so that an unchanged label costs no frame that a key would wait for. */
static inline void
byline_label_update (GtkLabel   *label,
                     const char *text)
{
  if (g_strcmp0 (gtk_label_get_label (label), text) != 0)
    gtk_label_set_label (label, text);
}

G_END_DECLS
