/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-word-diff.h: the difference between two sequences, and between two texts word by word. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  BYLINE_DIFF_EQUAL,
  BYLINE_DIFF_DELETE,  /* in the old sequence only */
  BYLINE_DIFF_INSERT,  /* in the new sequence only */
} BylineDiffOp;

/* One step of an edit script: @length items of the old sequence from @old_start (EQUAL,
 * DELETE) and of the new one from @new_start (EQUAL, INSERT). */
typedef struct {
  BylineDiffOp op;
  gsize        old_start;
  gsize        new_start;
  gsize        length;
} BylineDiffHunk;

/* The edit script that turns @old_items into @new_items (items equal when their values are),
 * as a GArray of BylineDiffHunk in order, deletions before insertions where both meet; adjacent
 * hunks never have the same op. Myers's O(ND) algorithm in linear space after the common prefix
 * and suffix are trimmed and the items found on one side only are set aside; past a cost that
 * grows with the square root of the length, a split is taken where the search got furthest, so
 * that two long, very different sequences still finish quickly (the script is then correct but
 * may not be the shortest). */
GArray     *byline_diff_sequences   (const guint *old_items,
                                     gsize        n_old,
                                     const guint *new_items,
                                     gsize        n_new);

/* A run of text that is in both versions, or only in the old or the new one. */
typedef struct {
  BylineDiffOp  op;
  char         *text;
} BylineWordRun;

void        byline_word_run_free    (BylineWordRun *run);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineWordRun, byline_word_run_free)

/* The difference between two texts (UTF-8, NULL reads as ""), word by word: the tokens are
 * words (runs of characters other than white space), runs of spaces (any two equal) and line
 * breaks, so that paragraphs stay apart. Returns a GPtrArray of BylineWordRun whose EQUAL and
 * INSERT texts, in order, make @new_text and whose EQUAL and DELETE texts make @old_text but
 * for the length of runs of spaces; adjacent runs never have the same op. */
GPtrArray  *byline_word_diff        (const char  *old_text,
                                     const char  *new_text);

G_END_DECLS
