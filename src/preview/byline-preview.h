/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-preview.h: the live WebKit preview of a draft, patched block by block as it changes. */
#pragma once

#include <gtk/gtk.h>

#include "byline-draft.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_PREVIEW (byline_preview_get_type ())
G_DECLARE_FINAL_TYPE (BylinePreview, byline_preview, BYLINE, PREVIEW, GtkWidget)

GtkWidget *byline_preview_new              (void);
/* Makes WebKit's web context that every preview uses, with what it needs; the first preview to
 * show a page does so by itself, this does it sooner. */
void       byline_preview_prepare_web_context (void);
/* The folder whose files byline-upload:FILE addresses show (images still being uploaded, see
 * BylinePublisher); until set, such images do not load. */
void       byline_preview_set_uploads_dir  (const char    *dir);
/* Shows @draft (or nothing). The preview follows the draft's changes by itself. */
void       byline_preview_set_draft        (BylinePreview *self,
                                            BylineDraft   *draft);
BylineDraft *byline_preview_get_draft      (BylinePreview *self);
/* Shows the draft in @html, a page with #byline-title, #byline-author, #byline-date and
 * #byline-content (a site's look, see byline-site-look), whose relative addresses resolve against
 * @base_uri (nullable); NULL @html: the bundled template. The page is loaded again. */
void       byline_preview_set_template     (BylinePreview *self,
                                            const char    *html,
                                            const char    *base_uri);
/* Keeps the block that holds source line @line (0-based) in view. */
void       byline_preview_reveal_line      (BylinePreview *self,
                                            guint          line);
/* Whether the page is loaded and every change so far has been patched in and laid out. */
gboolean   byline_preview_is_idle          (BylinePreview *self);
/* The WebKitWebView, for tests and benchmarks that read the page. */
GtkWidget *byline_preview_get_web_view     (BylinePreview *self);
/* Runs @script in the preview's private script world (where `byline` lives). */
void       byline_preview_run_script       (BylinePreview      *self,
                                            const char         *script,
                                            GCancellable       *cancellable,
                                            GAsyncReadyCallback callback,
                                            gpointer            user_data);
/* The script's result as a string (numbers are printed). */
char      *byline_preview_run_script_finish (BylinePreview *self,
                                             GAsyncResult  *result,
                                             GError       **error);

G_END_DECLS
