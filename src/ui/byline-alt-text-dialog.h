/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-alt-text-dialog.h: asks for an image's alt text, which the newsroom requires. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A dialog asking for @file's alt text, transient for @parent (nullable), with "cancel" and
 * @accept_id (labelled @accept_label) as responses: @accept_id is enabled only once something
 * other than spaces is typed, and Enter in the entry then gives it. The entry is returned in
 * @entry: focus it once the dialog is presented. */
AdwMessageDialog *byline_alt_text_dialog_new      (GtkWindow    *parent,
                                                   GFile        *file,
                                                   const char   *accept_id,
                                                   const char   *accept_label,
                                                   GtkEditable **entry);
/* What was typed in @entry, without surrounding spaces. */
char             *byline_alt_text_dialog_dup_text (GtkEditable  *entry);

G_END_DECLS
