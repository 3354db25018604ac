/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-post-changes-view.h: what an update would change on the live post, and on a conflict
 * what each side changed, with their merge. */
#pragma once

#include <adwaita.h>

#include "byline-post-changes.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_POST_CHANGES_VIEW (byline_post_changes_view_get_type ())
G_DECLARE_FINAL_TYPE (BylinePostChangesView, byline_post_changes_view, BYLINE, POST_CHANGES_VIEW,
                      GtkBox)

BylinePostChangesView *byline_post_changes_view_new       (void);
/* Compares @draft (the editor's own: a merge changes it) with its live post, read from the
 * site through @accounts, as publishing with @options would send it; shows the outcome when
 * it comes, replacing what was shown. Emits ::merged (BylineDraft *merged) when the person
 * merges: @draft then has the merged fields but the title and text, which ::merged's draft
 * holds (as HTML when the site changed the text) for the editor to put in, and the link is
 * based on the live version. With @take_focus, the keyboard focus moves to what is shown (and
 * the page scrolls there). */
void                   byline_post_changes_view_compare   (BylinePostChangesView      *self,
                                                           BylineAccounts             *accounts,
                                                           BylineDraft                *draft,
                                                           const BylinePublishOptions *options,
                                                           gboolean                    take_focus);
/* The text's difference as shown, deletions as [-…-] and insertions as {+…+}; "" before. */
char                  *byline_post_changes_view_dup_marked_text (BylinePostChangesView *self);

G_END_DECLS
