/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-markdown.h: GitHub-flavoured Markdown to HTML, whole or in blocks with source lines. */
#pragma once

#include <glib.h>

#include "byline-block.h"

G_BEGIN_DECLS

/* The HTML that is published for @text (UTF-8, @length bytes or -1 for NUL-terminated): exactly
 * what md4c's own renderer writes, md_html () with md4c's GitHub dialect (tables,
 * strikethrough, autolinks, task lists; raw HTML allowed) and MD_HTML_FLAG_SKIP_UTF8_BOM, but
 * that NUL characters are read as U+FFFD, as CommonMark says. Never fails. */
char      *byline_markdown_render_html   (const char *text,
                                          gssize      length);

/* The same HTML cut into the document's top-level blocks, in order, as a GPtrArray of
 * BylineBlock (it frees them), each with the source lines it came from: the blocks' HTML joined
 * is exactly byline_markdown_render_html ()'s. Raw HTML that opens an element in one block and
 * closes it in a later one (a <div> around paragraphs) makes those blocks one, so that each
 * block's HTML reads the same on its own as within the whole page. Empty input gives an empty
 * array. */
GPtrArray *byline_markdown_render_blocks (const char *text,
                                          gssize      length);

/* Renders documents one after the other, each an edit of the one before (the preview's), and
 * renders again only the blocks whose source changed: the cost of a keystroke follows the
 * block it touched, plus one pass of md4c over the whole document. */
typedef struct _BylineMarkdownRenderer BylineMarkdownRenderer;

BylineMarkdownRenderer *byline_markdown_renderer_new           (void);
void                    byline_markdown_renderer_free          (BylineMarkdownRenderer *self);
/* As byline_markdown_render_blocks (). */
GPtrArray              *byline_markdown_renderer_render_blocks (BylineMarkdownRenderer *self,
                                                                const char             *text,
                                                                gssize                  length);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineMarkdownRenderer, byline_markdown_renderer_free)

G_END_DECLS
