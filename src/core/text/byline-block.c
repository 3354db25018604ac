/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-block.c: rendered top-level blocks, and the prefix/suffix diff of two block lists. */

#include "config.h"

#include <string.h>

#include "byline-block.h"

BylineBlock *
byline_block_new (const char *html,
                  guint       first_line,
                  guint       last_line)
{
  BylineBlock *block = g_new (BylineBlock, 1);

  block->html = g_strdup (html ? html : "");
  block->first_line = first_line;
  block->last_line = last_line;

  return block;
}

void
byline_block_free (BylineBlock *block)
{
  if (block == NULL)
    return;

  g_free (block->html);
  g_free (block);
}

static gboolean
blocks_equal (GPtrArray *a,
              guint      a_index,
              GPtrArray *b,
              guint      b_index)
{
  const BylineBlock *block_a = g_ptr_array_index (a, a_index);
  const BylineBlock *block_b = g_ptr_array_index (b, b_index);

  return strcmp (block_a->html, block_b->html) == 0;
}

void
byline_block_diff (GPtrArray       *old_blocks,
                   GPtrArray       *new_blocks,
                   BylineBlockDiff *diff)
{
  guint old_len, new_len, shortest;
  guint prefix = 0, suffix = 0;

  g_return_if_fail (diff != NULL);

  /* A missing list is an empty one: the first render has nothing to compare with. */
  old_len = old_blocks ? old_blocks->len : 0;
  new_len = new_blocks ? new_blocks->len : 0;
  shortest = MIN (old_len, new_len);

  while (prefix < shortest && blocks_equal (old_blocks, prefix, new_blocks, prefix))
    prefix++;

  /* The suffix may only use what the prefix left: with repeated identical blocks both could
   * otherwise claim the same block, and prefix + suffix would exceed a list's length. */
  while (suffix < shortest - prefix
         && blocks_equal (old_blocks, old_len - 1 - suffix, new_blocks, new_len - 1 - suffix))
    suffix++;

  diff->prefix = prefix;
  diff->suffix = suffix;
  diff->old_removed = old_len - prefix - suffix;
  diff->new_inserted = new_len - prefix - suffix;
}
