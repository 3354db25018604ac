/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-button-names.h: buttons with a mnemonic named as they read. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* GTK 4.8 names a button whose label has a mnemonic ("_Approve") with that raw label and then its
 * text again: a screen reader says "underscore Approve Approve" (checked with AT-SPI). From this
 * call on, every such button is named by its label's text alone, however and whenever its label
 * is set. Call once, before any window is built. */
void byline_button_names_follow_labels (void);

G_END_DECLS
