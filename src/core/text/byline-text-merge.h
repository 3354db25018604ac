/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-text-merge.h: a three-way merge of two versions of a text, line by line. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A place both sides changed differently: the lines there in each version. */
typedef struct {
  char *base;
  char *mine;
  char *theirs;
} BylineMergeConflict;

void  byline_merge_conflict_free (BylineMergeConflict *conflict);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineMergeConflict, byline_merge_conflict_free)

/* Merges the changes from @base to @mine and from @base to @theirs (NULL reads as ""), line by
 * line (Byline and WordPress both write one HTML block a line, or a few). Changes are taken
 * from whichever side made them; both sides making the same change is one change. Changes of
 * the two sides that overlap or touch (no unchanged line between them) and differ are a
 * conflict: then NULL is returned and @conflicts (nullable) gets a GPtrArray of
 * BylineMergeConflict, every one of them, so that the person chooses and nothing is lost.
 * Otherwise the merged text, and @conflicts is set to NULL. */
char *byline_text_merge3         (const char  *base,
                                  const char  *mine,
                                  const char  *theirs,
                                  GPtrArray  **conflicts);

G_END_DECLS
