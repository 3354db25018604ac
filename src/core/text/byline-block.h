/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-block.h: one top-level block of a rendered document, and the diff of two block lists. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char  *html;       /* the block's HTML, its outer element included, ending in "\n" */
  guint  first_line; /* 0-based source line where the block starts */
  guint  last_line;  /* 0-based source line where it ends (inclusive) */
} BylineBlock;

BylineBlock *byline_block_new  (const char *html, guint first_line, guint last_line);
void         byline_block_free (BylineBlock *block);

/* What changed between two block lists, compared by HTML: the first @prefix blocks and the last
 * @suffix blocks are the same, the @old_removed blocks between them in @old were replaced by the
 * @new_inserted blocks between them in @new. prefix + suffix never exceed either list's length. */
typedef struct {
  guint prefix;
  guint suffix;
  guint old_removed;
  guint new_inserted;
} BylineBlockDiff;

void byline_block_diff (GPtrArray       *old_blocks,
                        GPtrArray       *new_blocks,
                        BylineBlockDiff *diff);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineBlock, byline_block_free)

G_END_DECLS
