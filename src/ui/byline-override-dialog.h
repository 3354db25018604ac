/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-override-dialog.h: asks why a post should go out despite what stops it. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

/* A dialog transient for @parent listing the blocking ones of @findings (of BylineFinding),
 * with "cancel" and "override" (labelled @override_label) as responses: "override" is enabled
 * only once a reason is typed, and Enter in the reason's entry then gives it. The entry is
 * returned in @entry; the dialog focuses it when shown. */
AdwMessageDialog *byline_override_dialog_new        (GtkWindow    *parent,
                                                     GPtrArray    *findings,
                                                     const char   *override_label,
                                                     GtkEditable **entry);
/* The reason typed in @entry, without surrounding spaces. */
char             *byline_override_dialog_dup_reason (GtkEditable  *entry);

G_END_DECLS
