/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-image-inserter.h: puts images into a draft: asks for the alt text, uploads the file to
 * the site's media library and writes the image, at its address on the site, into the text. */
#pragma once

#include <gtk/gtk.h>

#include "byline-accounts.h"
#include "byline-editor.h"
#include "byline-publisher.h"
#include "byline-store.h"

G_BEGIN_DECLS

/* Larger files are refused: most sites refuse them anyway, after a long upload. */
#define BYLINE_IMAGE_INSERTER_MAX_SIZE (20 * 1024 * 1024)

#define BYLINE_TYPE_IMAGE_INSERTER (byline_image_inserter_get_type ())
G_DECLARE_FINAL_TYPE (BylineImageInserter, byline_image_inserter, BYLINE, IMAGE_INSERTER, GObject)

/* Inserts into @view's buffer, which shows the draft given with set_draft. */
BylineImageInserter *byline_image_inserter_new         (GtkTextView         *view);
void                 byline_image_inserter_set_draft   (BylineImageInserter *self,
                                                        BylineStore         *store,
                                                        BylineDraft         *draft);
/* Where images go: the account the draft is linked to, else the first one. Until set (or with
 * NULL), the BylineApplication's publisher and accounts. */
void                 byline_image_inserter_set_site    (BylineImageInserter *self,
                                                        BylinePublisher     *publisher,
                                                        BylineAccounts      *accounts);
/* A file chooser, then the alt text dialog, then the image at the cursor, uploaded through the
 * outbox. */
void                 byline_image_inserter_choose      (BylineImageInserter *self);
/* The alt text dialog for each of @files in turn, then their uploads, at @where (NULL: the
 * cursor). What is not an image is refused with a toast. */
void                 byline_image_inserter_ask         (BylineImageInserter *self,
                                                        GList               *files,
                                                        const GtkTextIter   *where);
/* Without dialogs: the image at @where (NULL: the cursor), at its local address until the
 * outbox has uploaded it. FALSE, with a toast and @error, when the file is refused (not an
 * image, too large, unreadable), cannot be kept for the upload, or there is no account; the text
 * is then unchanged. The upload's outcome comes later. */
gboolean             byline_image_inserter_insert_file (BylineImageInserter *self,
                                                        GFile               *file,
                                                        const char          *alt,
                                                        const GtkTextIter   *where,
                                                        GError             **error);

G_END_DECLS
