/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-html-balance.h: whether a run of HTML leaves anything open for the HTML after it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Follows HTML fed piece by piece the way a browser's parser would build the page from it, far
 * enough to tell whether the pieces so far form a whole: every element they opened closed, no
 * comment, tag or script left unfinished, no formatting element left for the browser to open
 * again in what follows. The preview parses its blocks one by one; a block after which this is
 * not so must be parsed together with the blocks that close it, or the preview would differ
 * from the published page, which is parsed in one piece. When in doubt it answers "open". */
typedef struct _BylineHtmlBalance BylineHtmlBalance;

BylineHtmlBalance *byline_html_balance_new       (void);
void               byline_html_balance_free      (BylineHtmlBalance *self);
void               byline_html_balance_feed      (BylineHtmlBalance *self,
                                                  const char        *html,
                                                  gsize              size);
/* TRUE when the HTML fed so far leaves nothing open. A balance fed markup it does not follow
 * (adoption of misnested formatting across blocks, HTML inside SVG or MathML breaking out of
 * it, <plaintext>, very deep nesting) stays open for good. */
gboolean           byline_html_balance_is_closed (BylineHtmlBalance *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineHtmlBalance, byline_html_balance_free)

G_END_DECLS
