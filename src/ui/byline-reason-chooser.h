/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-reason-chooser.h: asks which of the site's policy reasons a decision carries, from the
 * keyboard: arrows and Enter, or the reason's digit. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A dialog titled @heading listing @reasons (their names, in the site's order), transient for
 * @parent (nullable), with "cancel" and "choose" as responses. Enter or a click on a reason, or
 * its digit (1-9), gives "choose"; the reason is then byline_reason_chooser_get_chosen (). */
AdwMessageDialog *byline_reason_chooser_new        (GtkWindow          *parent,
                                                    const char         *heading,
                                                    const char * const *reasons);
/* The position in @reasons of the reason chosen, or -1. */
int               byline_reason_chooser_get_chosen (AdwMessageDialog   *chooser);

G_END_DECLS
