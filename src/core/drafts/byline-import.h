/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-import.h: a Markdown or HTML file becomes a draft, once. */
#pragma once

#include <gio/gio.h>

#include "byline-store.h"

G_BEGIN_DECLS

/* The draft made from @file: the one made earlier when there is one (brought back if it was
 * deleted; @already_there set), otherwise a new draft holding the file's text, with a revision of
 * it. A Markdown file's leading "# " heading becomes the title; otherwise the file's name does.
 * ".html"/".htm" files become HTML drafts. The same file reached through a symbolic link or
 * ".." is the same draft. */
BylineDraft *byline_import_file (BylineStore  *store,
                                 GFile        *file,
                                 gboolean     *already_there,
                                 GError      **error);

G_END_DECLS
