/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-text-merge.c: a three-way merge of two versions of a text, line by line.
 *
 * As diff3 does: each side is compared with the base (byline_diff_sequences over the lines),
 * the changed regions of both sides are walked in the base's order, and regions that overlap or
 * touch are grouped into one chunk. A chunk only one side changed takes that side; one both
 * changed the same way takes it once; any other is a conflict. Touching counts as overlapping
 * on purpose: two edits with no unchanged line between them are often one thought, and a
 * conflict the person looks at is better than a merge nobody read. */

#include "config.h"

#include <string.h>

#include "byline-text-merge.h"
#include "byline-word-diff.h"

/* A changed region: base lines [base_start, base_end) became side lines [side_start, side_end). */
typedef struct {
  gsize base_start;
  gsize base_end;
  gsize side_start;
  gsize side_end;
} Region;

typedef struct {
  GPtrArray *lines;  /* borrowed pointers into the text, each line with its "\n" */
  GArray    *ids;
} Lines;

static void
lines_clear (Lines *lines)
{
  g_clear_pointer (&lines->lines, g_ptr_array_unref);
  g_clear_pointer (&lines->ids, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Lines, lines_clear)

static void
split_lines (const char *text,
             GHashTable *interned,
             Lines      *out)
{
  const char *p = text;

  out->lines = g_ptr_array_new_with_free_func (g_free);
  out->ids = g_array_new (FALSE, FALSE, sizeof (guint));
  while (*p != '\0')
    {
      const char *end = strchr (p, '\n');
      char *line;
      gpointer value;
      guint id;

      end = end ? end + 1 : p + strlen (p);
      line = g_strndup (p, end - p);
      if (g_hash_table_lookup_extended (interned, line, NULL, &value))
        id = GPOINTER_TO_UINT (value);
      else
        {
          id = g_hash_table_size (interned);
          g_hash_table_insert (interned, g_strdup (line), GUINT_TO_POINTER (id));
        }
      g_ptr_array_add (out->lines, line);
      g_array_append_val (out->ids, id);
      p = end;
    }
}

static GArray *
changed_regions (const Lines *base,
                 const Lines *side)
{
  g_autoptr(GArray) hunks = byline_diff_sequences ((const guint *) base->ids->data, base->ids->len,
                                                   (const guint *) side->ids->data,
                                                   side->ids->len);
  GArray *regions = g_array_new (FALSE, FALSE, sizeof (Region));
  gsize base_pos = 0, side_pos = 0;
  Region *open = NULL;

  for (guint i = 0; i < hunks->len; i++)
    {
      const BylineDiffHunk *hunk = &g_array_index (hunks, BylineDiffHunk, i);

      if (hunk->op == BYLINE_DIFF_EQUAL)
        {
          open = NULL;
          base_pos = hunk->old_start + hunk->length;
          side_pos = hunk->new_start + hunk->length;
          continue;
        }
      if (open == NULL)
        {
          Region region = { base_pos, base_pos, side_pos, side_pos };

          g_array_append_val (regions, region);
          open = &g_array_index (regions, Region, regions->len - 1);
        }
      if (hunk->op == BYLINE_DIFF_DELETE)
        open->base_end = base_pos = hunk->old_start + hunk->length;
      else
        open->side_end = side_pos = hunk->new_start + hunk->length;
    }
  return regions;
}

static void
append_lines (GString     *out,
              const Lines *lines,
              gsize        from,
              gsize        to)
{
  for (gsize i = from; i < to; i++)
    g_string_append (out, g_ptr_array_index (lines->lines, i));
}

static char *
join_lines (const Lines *lines,
            gsize        from,
            gsize        to)
{
  GString *out = g_string_new (NULL);

  append_lines (out, lines, from, to);
  return g_string_free (out, FALSE);
}

/* The side's lines for base lines [lo, hi), given its regions [first, last) in that chunk. */
static void
side_range (GArray *regions,
            guint   first,
            guint   last,
            gsize   lo,
            gsize   hi,
            gsize  *side_lo,
            gsize  *side_hi)
{
  const Region *r0, *rn;

  if (first == last)
    {
      /* Unchanged by this side: its lines are the base's, shifted by its earlier changes. */
      gsize shift_from = 0, shift_to = 0;

      if (first > 0)
        {
          const Region *before = &g_array_index (regions, Region, first - 1);

          shift_from = before->base_end;
          shift_to = before->side_end;
        }
      *side_lo = shift_to + (lo - shift_from);
      *side_hi = shift_to + (hi - shift_from);
      return;
    }
  r0 = &g_array_index (regions, Region, first);
  rn = &g_array_index (regions, Region, last - 1);
  *side_lo = r0->side_start - (r0->base_start - lo);
  *side_hi = rn->side_end + (hi - rn->base_end);
}

void
byline_merge_conflict_free (BylineMergeConflict *conflict)
{
  if (conflict == NULL)
    return;
  g_free (conflict->base);
  g_free (conflict->mine);
  g_free (conflict->theirs);
  g_free (conflict);
}

char *
byline_text_merge3 (const char  *base_text,
                    const char  *mine_text,
                    const char  *theirs_text,
                    GPtrArray  **conflicts)
{
  g_autoptr(GHashTable) interned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_auto(Lines) base = { 0 };
  g_auto(Lines) mine = { 0 };
  g_auto(Lines) theirs = { 0 };
  g_autoptr(GArray) mine_regions = NULL;
  g_autoptr(GArray) theirs_regions = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (
    (GDestroyNotify) byline_merge_conflict_free);
  g_autoptr(GString) merged = g_string_new (NULL);
  guint i = 0, j = 0;
  gsize pos = 0;

  if (conflicts != NULL)
    *conflicts = NULL;
  split_lines (base_text ? base_text : "", interned, &base);
  split_lines (mine_text ? mine_text : "", interned, &mine);
  split_lines (theirs_text ? theirs_text : "", interned, &theirs);
  mine_regions = changed_regions (&base, &mine);
  theirs_regions = changed_regions (&base, &theirs);

  while (i < mine_regions->len || j < theirs_regions->len)
    {
      const Region *next_mine = i < mine_regions->len
                                ? &g_array_index (mine_regions, Region, i) : NULL;
      const Region *next_theirs = j < theirs_regions->len
                                  ? &g_array_index (theirs_regions, Region, j) : NULL;
      guint i0 = i, j0 = j;
      gsize lo, hi;
      gboolean grew = TRUE;

      if (next_theirs == NULL
          || (next_mine != NULL && next_mine->base_start <= next_theirs->base_start))
        lo = next_mine->base_start;
      else
        lo = next_theirs->base_start;
      hi = lo;
      while (grew)
        {
          grew = FALSE;
          while (i < mine_regions->len
                 && g_array_index (mine_regions, Region, i).base_start <= hi)
            {
              hi = MAX (hi, g_array_index (mine_regions, Region, i).base_end);
              i++;
              grew = TRUE;
            }
          while (j < theirs_regions->len
                 && g_array_index (theirs_regions, Region, j).base_start <= hi)
            {
              hi = MAX (hi, g_array_index (theirs_regions, Region, j).base_end);
              j++;
              grew = TRUE;
            }
        }

      append_lines (merged, &base, pos, lo);
      pos = hi;
      if (j == j0)
        {
          gsize s_lo, s_hi;

          side_range (mine_regions, i0, i, lo, hi, &s_lo, &s_hi);
          append_lines (merged, &mine, s_lo, s_hi);
        }
      else if (i == i0)
        {
          gsize s_lo, s_hi;

          side_range (theirs_regions, j0, j, lo, hi, &s_lo, &s_hi);
          append_lines (merged, &theirs, s_lo, s_hi);
        }
      else
        {
          gsize m_lo, m_hi, t_lo, t_hi;
          g_autofree char *mine_part = NULL;
          g_autofree char *theirs_part = NULL;

          side_range (mine_regions, i0, i, lo, hi, &m_lo, &m_hi);
          side_range (theirs_regions, j0, j, lo, hi, &t_lo, &t_hi);
          mine_part = join_lines (&mine, m_lo, m_hi);
          theirs_part = join_lines (&theirs, t_lo, t_hi);
          if (g_str_equal (mine_part, theirs_part))
            g_string_append (merged, mine_part);
          else
            {
              BylineMergeConflict *conflict = g_new0 (BylineMergeConflict, 1);

              conflict->base = join_lines (&base, lo, hi);
              conflict->mine = g_steal_pointer (&mine_part);
              conflict->theirs = g_steal_pointer (&theirs_part);
              g_ptr_array_add (found, conflict);
            }
        }
    }
  append_lines (merged, &base, pos, base.lines->len);

  if (found->len > 0)
    {
      if (conflicts != NULL)
        *conflicts = g_steal_pointer (&found);
      return NULL;
    }
  return g_string_free (g_steal_pointer (&merged), FALSE);
}
