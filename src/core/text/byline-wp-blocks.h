/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-blocks.h: Markdown as WordPress block markup, each block as the editor saves it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The media library id of the image at @src (its address as the post will show it), as the text
 * to write into the image block ("42", or a placeholder the caller replaces before sending), or
 * NULL when the image is not in the site's library. */
typedef char *(*BylineWpBlocksMediaIdFunc) (const char *src,
                                            gpointer    user_data);

/* @text (Markdown, UTF-8, @length bytes or -1 for NUL-terminated) as the block markup WordPress
 * 6.1's block editor reads back as native blocks: paragraphs, headings with their level, lists
 * (each item a list-item block, nested lists inside it), quotes holding their own blocks, code,
 * images (with @media_id's id when it gives one; may be NULL), tables, separators, and
 * WordPress's "<!--more-->" and "<!--nextpage-->" as its More and Page Break blocks, each with
 * the inner HTML the editor's own save () writes for it, so that none is marked invalid. The HTML
 * inside the blocks is md4c-html's, as byline_markdown_render_html () writes it; what the editor
 * has no block for (raw HTML, task lists, a list item holding paragraphs) goes out as an HTML
 * block holding exactly that HTML. Never fails; empty input gives "". */
char *byline_wp_blocks_render (const char                *text,
                               gssize                     length,
                               BylineWpBlocksMediaIdFunc  media_id,
                               gpointer                   user_data);

G_END_DECLS
