/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-word-diff.c: the difference between two sequences, and between two texts word by word.
 *
 * The sequences are compared as GNU diff compares lines: the common prefix and suffix are
 * trimmed, items that occur on one side only are marked changed at once (they can match
 * nothing), and what is left is split recursively at the middle snake of Myers's O(ND)
 * algorithm, which needs memory linear in the length. Each search for a middle snake gives up
 * after a bounded number of steps and splits where it got furthest instead, so that the time
 * stays bounded when the two sides share little: two 50,000-word versions diff in milliseconds
 * whether 1% or all of their words changed. */

#include "config.h"

#include <string.h>

#include "byline-word-diff.h"

typedef struct {
  const guint *old_items;   /* the items left after those of one side only are set aside */
  const guint *new_items;
  gssize      *forward;     /* the furthest x on each diagonal, indexed by k + offset */
  gssize      *backward;
  gssize       offset;
  gssize       too_expensive;
  gboolean    *old_changed;
  gboolean    *new_changed;
} DiffContext;

/* Finds where to split [xoff, xlim) × [yoff, ylim): on the middle snake of a shortest edit
 * script, or where the search got furthest once it became too expensive. */
static void
find_split (DiffContext *ctx,
            gssize       xoff,
            gssize       xlim,
            gssize       yoff,
            gssize       ylim,
            gssize      *xmid,
            gssize      *ymid)
{
  gssize *fd = ctx->forward + ctx->offset;
  gssize *bd = ctx->backward + ctx->offset;
  const guint *xv = ctx->old_items;
  const guint *yv = ctx->new_items;
  gssize dmin = xoff - ylim;
  gssize dmax = xlim - yoff;
  gssize fmid = xoff - yoff;
  gssize bmid = xlim - ylim;
  gssize fmin = fmid, fmax = fmid;
  gssize bmin = bmid, bmax = bmid;
  gboolean odd = ((fmid - bmid) & 1) != 0;

  fd[fmid] = xoff;
  bd[bmid] = xlim;

  for (gssize c = 1;; c++)
    {
      gssize fxybest, fxbest, bxybest, bxbest;

      /* One more step forward on every diagonal in reach. */
      if (fmin > dmin)
        fd[--fmin - 1] = -1;
      else
        fmin++;
      if (fmax < dmax)
        fd[++fmax + 1] = -1;
      else
        fmax--;
      for (gssize d = fmax; d >= fmin; d -= 2)
        {
          gssize tlo = fd[d - 1], thi = fd[d + 1];
          gssize x = tlo >= thi ? tlo + 1 : thi;
          gssize y = x - d;

          while (x < xlim && y < ylim && xv[x] == yv[y])
            x++, y++;
          fd[d] = x;
          if (odd && bmin <= d && d <= bmax && bd[d] <= x)
            {
              *xmid = x;
              *ymid = y;
              return;
            }
        }

      /* And backward. */
      if (bmin > dmin)
        bd[--bmin - 1] = G_MAXSSIZE;
      else
        bmin++;
      if (bmax < dmax)
        bd[++bmax + 1] = G_MAXSSIZE;
      else
        bmax--;
      for (gssize d = bmax; d >= bmin; d -= 2)
        {
          gssize tlo = bd[d - 1], thi = bd[d + 1];
          gssize x = tlo < thi ? tlo : thi - 1;
          gssize y = x - d;

          while (x > xoff && y > yoff && xv[x - 1] == yv[y - 1])
            x--, y--;
          bd[d] = x;
          if (!odd && fmin <= d && d <= fmax && x <= fd[d])
            {
              *xmid = x;
              *ymid = y;
              return;
            }
        }

      if (c < ctx->too_expensive)
        continue;

      /* Too expensive: split on the diagonal that went furthest, forward or backward. */
      fxybest = -1;
      fxbest = xoff;
      for (gssize d = fmax; d >= fmin; d -= 2)
        {
          gssize x = MIN (fd[d], xlim);
          gssize y = x - d;

          if (ylim < y)
            x = ylim + d, y = ylim;
          if (fxybest < x + y)
            fxybest = x + y, fxbest = x;
        }
      bxybest = G_MAXSSIZE;
      bxbest = xlim;
      for (gssize d = bmax; d >= bmin; d -= 2)
        {
          gssize x = MAX (xoff, bd[d]);
          gssize y = x - d;

          if (y < yoff)
            x = yoff + d, y = yoff;
          if (x + y < bxybest)
            bxybest = x + y, bxbest = x;
        }
      if ((xlim + ylim) - bxybest < fxybest - (xoff + yoff))
        {
          *xmid = fxbest;
          *ymid = fxybest - fxbest;
        }
      else
        {
          *xmid = bxbest;
          *ymid = bxybest - bxbest;
        }
      return;
    }
}

static void
compare (DiffContext *ctx,
         gssize       xoff,
         gssize       xlim,
         gssize       yoff,
         gssize       ylim)
{
  const guint *xv = ctx->old_items;
  const guint *yv = ctx->new_items;

  /* A loop for the second half, recursion for the first: the depth stays logarithmic in
   * practice. */
  for (;;)
    {
      gssize xmid, ymid;

      while (xoff < xlim && yoff < ylim && xv[xoff] == yv[yoff])
        xoff++, yoff++;
      while (xlim > xoff && ylim > yoff && xv[xlim - 1] == yv[ylim - 1])
        xlim--, ylim--;

      if (xoff == xlim)
        {
          for (; yoff < ylim; yoff++)
            ctx->new_changed[yoff] = TRUE;
          return;
        }
      if (yoff == ylim)
        {
          for (; xoff < xlim; xoff++)
            ctx->old_changed[xoff] = TRUE;
          return;
        }

      find_split (ctx, xoff, xlim, yoff, ylim, &xmid, &ymid);
      compare (ctx, xoff, xmid, yoff, ymid);
      xoff = xmid;
      yoff = ymid;
    }
}

/* The items of @items that also occur in @other (whose values are counted in @other_counts),
 * in @kept, their positions in @positions; the others are marked in @changed. */
static gsize
keep_shared (const guint *items,
             gsize        n_items,
             GHashTable  *other_values,
             guint       *kept,
             gsize       *positions,
             gboolean    *changed)
{
  gsize n_kept = 0;

  for (gsize i = 0; i < n_items; i++)
    {
      if (g_hash_table_contains (other_values, GUINT_TO_POINTER (items[i] + 1)))
        {
          kept[n_kept] = items[i];
          positions[n_kept++] = i;
        }
      else
        changed[i] = TRUE;
    }
  return n_kept;
}

static GHashTable *
value_set (const guint *items,
           gsize        n_items)
{
  GHashTable *set = g_hash_table_new (NULL, NULL);

  for (gsize i = 0; i < n_items; i++)
    g_hash_table_add (set, GUINT_TO_POINTER (items[i] + 1));
  return set;
}

static void
add_hunk (GArray       *hunks,
          BylineDiffOp  op,
          gsize         old_start,
          gsize         new_start,
          gsize         length)
{
  BylineDiffHunk hunk = { op, old_start, new_start, length };

  if (length > 0)
    g_array_append_val (hunks, hunk);
}

GArray *
byline_diff_sequences (const guint *old_items,
                       gsize        n_old,
                       const guint *new_items,
                       gsize        n_new)
{
  GArray *hunks = g_array_new (FALSE, FALSE, sizeof (BylineDiffHunk));
  g_autofree gboolean *old_changed = NULL;
  g_autofree gboolean *new_changed = NULL;
  gsize prefix = 0, suffix = 0;
  gsize i, j;

  g_return_val_if_fail (old_items != NULL || n_old == 0, hunks);
  g_return_val_if_fail (new_items != NULL || n_new == 0, hunks);

  while (prefix < n_old && prefix < n_new && old_items[prefix] == new_items[prefix])
    prefix++;
  while (suffix < n_old - prefix && suffix < n_new - prefix
         && old_items[n_old - 1 - suffix] == new_items[n_new - 1 - suffix])
    suffix++;

  old_changed = g_new0 (gboolean, n_old + 1);
  new_changed = g_new0 (gboolean, n_new + 1);

  if (prefix + suffix < n_old || prefix + suffix < n_new)
    {
      gsize n_mid_old = n_old - prefix - suffix;
      gsize n_mid_new = n_new - prefix - suffix;
      g_autoptr(GHashTable) old_values = value_set (old_items + prefix, n_mid_old);
      g_autoptr(GHashTable) new_values = value_set (new_items + prefix, n_mid_new);
      g_autofree guint *old_kept = g_new (guint, n_mid_old + 1);
      g_autofree guint *new_kept = g_new (guint, n_mid_new + 1);
      g_autofree gsize *old_positions = g_new (gsize, n_mid_old + 1);
      g_autofree gsize *new_positions = g_new (gsize, n_mid_new + 1);
      g_autofree gboolean *old_kept_changed = NULL;
      g_autofree gboolean *new_kept_changed = NULL;
      g_autofree gssize *forward = NULL;
      g_autofree gssize *backward = NULL;
      gsize n_old_kept, n_new_kept;
      gssize diagonals;
      DiffContext ctx = { 0 };

      n_old_kept = keep_shared (old_items + prefix, n_mid_old, new_values, old_kept,
                                old_positions, old_changed + prefix);
      n_new_kept = keep_shared (new_items + prefix, n_mid_new, old_values, new_kept,
                                new_positions, new_changed + prefix);
      old_kept_changed = g_new0 (gboolean, n_old_kept + 1);
      new_kept_changed = g_new0 (gboolean, n_new_kept + 1);
      diagonals = n_old_kept + n_new_kept + 3;
      forward = g_new (gssize, diagonals);
      backward = g_new (gssize, diagonals);

      ctx.old_items = old_kept;
      ctx.new_items = new_kept;
      ctx.forward = forward;
      ctx.backward = backward;
      ctx.offset = n_new_kept + 1;
      ctx.old_changed = old_kept_changed;
      ctx.new_changed = new_kept_changed;
      /* About the square root of the number of diagonals, and at least 256. */
      ctx.too_expensive = 1;
      for (gssize d = diagonals; d != 0; d >>= 2)
        ctx.too_expensive <<= 1;
      ctx.too_expensive = MAX (256, ctx.too_expensive);

      compare (&ctx, 0, n_old_kept, 0, n_new_kept);

      for (i = 0; i < n_old_kept; i++)
        if (old_kept_changed[i])
          old_changed[prefix + old_positions[i]] = TRUE;
      for (j = 0; j < n_new_kept; j++)
        if (new_kept_changed[j])
          new_changed[prefix + new_positions[j]] = TRUE;
    }

  /* The marks as hunks: a run of unchanged items on both sides, then the changed ones. */
  i = j = 0;
  while (i < n_old || j < n_new)
    {
      gsize start_i = i, start_j = j;

      while (i < n_old && j < n_new && !old_changed[i] && !new_changed[j])
        i++, j++;
      add_hunk (hunks, BYLINE_DIFF_EQUAL, start_i, start_j, i - start_i);
      start_i = i;
      start_j = j;
      while (i < n_old && old_changed[i])
        i++;
      while (j < n_new && new_changed[j])
        j++;
      add_hunk (hunks, BYLINE_DIFF_DELETE, start_i, start_j, i - start_i);
      add_hunk (hunks, BYLINE_DIFF_INSERT, i, start_j, j - start_j);
    }
  return hunks;
}

void
byline_word_run_free (BylineWordRun *run)
{
  if (run == NULL)
    return;
  g_free (run->text);
  g_free (run);
}

/* The tokens of @text: a word, a run of spaces, or a line break. @spans gets each token's
 * start and length; @ids its value, the same for two equal words, for any two runs of spaces and
 * for line breaks. */
static void
tokenize (const char *text,
          GHashTable *interned,
          GArray     *spans,
          GArray     *ids)
{
  const char *p = text;

  while (*p != '\0')
    {
      const char *start = p;
      g_autofree char *key = NULL;
      gpointer value;
      guint id;
      gsize span[2];

      if (*p == '\n')
        {
          p++;
          key = g_strdup ("\n");
        }
      else if (g_ascii_isspace (*p))
        {
          while (*p != '\0' && *p != '\n' && g_ascii_isspace (*p))
            p++;
          key = g_strdup (" ");
        }
      else
        {
          while (*p != '\0' && !g_ascii_isspace (*p))
            p++;
          key = g_strndup (start, p - start);
        }

      if (g_hash_table_lookup_extended (interned, key, NULL, &value))
        id = GPOINTER_TO_UINT (value);
      else
        {
          id = g_hash_table_size (interned);
          g_hash_table_insert (interned, g_steal_pointer (&key), GUINT_TO_POINTER (id));
        }
      span[0] = start - text;
      span[1] = p - start;
      g_array_append_vals (spans, span, 2);
      g_array_append_val (ids, id);
    }
}

static void
add_run (GPtrArray    *runs,
         BylineDiffOp  op,
         const char   *text,
         const gsize  *spans,
         gsize         first,
         gsize         length)
{
  BylineWordRun *run;
  gsize start, end;

  if (length == 0)
    return;
  start = spans[2 * first];
  end = spans[2 * (first + length - 1)] + spans[2 * (first + length - 1) + 1];
  run = g_new0 (BylineWordRun, 1);
  run->op = op;
  run->text = g_strndup (text + start, end - start);
  g_ptr_array_add (runs, run);
}

GPtrArray *
byline_word_diff (const char *old_text,
                  const char *new_text)
{
  g_autoptr(GHashTable) interned = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GArray) old_spans = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) new_spans = g_array_new (FALSE, FALSE, sizeof (gsize));
  g_autoptr(GArray) old_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) new_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) hunks = NULL;
  GPtrArray *runs = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_word_run_free);

  old_text = old_text ? old_text : "";
  new_text = new_text ? new_text : "";
  tokenize (old_text, interned, old_spans, old_ids);
  tokenize (new_text, interned, new_spans, new_ids);
  hunks = byline_diff_sequences ((const guint *) old_ids->data, old_ids->len,
                                 (const guint *) new_ids->data, new_ids->len);

  for (guint h = 0; h < hunks->len; h++)
    {
      const BylineDiffHunk *hunk = &g_array_index (hunks, BylineDiffHunk, h);

      /* Equal runs as the new text has them (their spaces may differ). */
      if (hunk->op == BYLINE_DIFF_EQUAL || hunk->op == BYLINE_DIFF_INSERT)
        add_run (runs, hunk->op, new_text, (const gsize *) new_spans->data, hunk->new_start,
                 hunk->length);
      else
        add_run (runs, hunk->op, old_text, (const gsize *) old_spans->data, hunk->old_start,
                 hunk->length);
    }
  return runs;
}
