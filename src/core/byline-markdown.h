/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-markdown.h: GitHub-flavoured Markdown to HTML, block by block, with source lines. */
#pragma once

#include <glib.h>

#include "byline-block.h"

G_BEGIN_DECLS

/* Renders @text (UTF-8, @length bytes or -1 for NUL-terminated) into its top-level blocks, in
 * order, as a GPtrArray of BylineBlock (it frees them). Tables, strikethrough, autolinks, task
 * lists and raw HTML blocks are understood (md4c's GitHub dialect). Concatenating the blocks'
 * HTML gives the whole document. Never fails; empty input gives an empty array. */
GPtrArray *byline_markdown_render_blocks (const char *text,
                                          gssize      length);
/* The whole document as one HTML string. */
char      *byline_markdown_render_html   (const char *text,
                                          gssize      length);

G_END_DECLS
