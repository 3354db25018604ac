/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-document.h: generated newsroom Markdown of a chosen length, the same for every run. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Newsroom prose of at least @target_words words: paragraphs of 60 to 120 words, each on one
 * line, under a heading every few paragraphs, with lists, quotes, tables, code, links and
 * emphasis along the way. The same words always give the same text. */
char *bench_document_generate (guint target_words);

G_END_DECLS
