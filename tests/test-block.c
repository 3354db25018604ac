/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-block.c: rendered blocks and the prefix/suffix diff between two block lists. */

#include "config.h"

#include "byline-block.h"
#include "byline-markdown.h"
#include "byline-test-util.h"

/* A block list from space-separated names: "a b a" gives three blocks whose HTML is "<p>a</p>\n",
 * "<p>b</p>\n" and "<p>a</p>\n". */
static GPtrArray *
make_blocks (const char *names)
{
  GPtrArray *blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_block_free);
  g_auto(GStrv) words = g_strsplit (names, " ", -1);
  guint line = 0;

  for (guint i = 0; words[i]; i++)
    {
      g_autofree char *html = NULL;

      if (words[i][0] == '\0')
        continue;
      html = g_strdup_printf ("<p>%s</p>\n", words[i]);
      g_ptr_array_add (blocks, byline_block_new (html, line, line));
      line += 2;
    }

  return blocks;
}

static void
assert_diff (const char *old_names,
             const char *new_names,
             guint       prefix,
             guint       suffix,
             guint       old_removed,
             guint       new_inserted)
{
  g_autoptr(GPtrArray) old_blocks = make_blocks (old_names);
  g_autoptr(GPtrArray) new_blocks = make_blocks (new_names);
  BylineBlockDiff diff = { 99, 99, 99, 99 };

  byline_block_diff (old_blocks, new_blocks, &diff);

  g_test_message ("\"%s\" -> \"%s\": prefix %u suffix %u removed %u inserted %u",
                  old_names, new_names, diff.prefix, diff.suffix, diff.old_removed,
                  diff.new_inserted);
  g_assert_cmpuint (diff.prefix, ==, prefix);
  g_assert_cmpuint (diff.suffix, ==, suffix);
  g_assert_cmpuint (diff.old_removed, ==, old_removed);
  g_assert_cmpuint (diff.new_inserted, ==, new_inserted);

  /* The counts always add up to both lists' lengths. */
  g_assert_cmpuint (diff.prefix + diff.suffix + diff.old_removed, ==, old_blocks->len);
  g_assert_cmpuint (diff.prefix + diff.suffix + diff.new_inserted, ==, new_blocks->len);
}

static void
test_new_free (void)
{
  g_autofree char *html = g_strdup ("<p>x</p>\n");
  g_autoptr(BylineBlock) block = byline_block_new (html, 3, 7);

  /* The block owns a copy of its HTML. */
  g_assert_true (block->html != html);
  html[1] = 'X';
  g_assert_cmpstr (block->html, ==, "<p>x</p>\n");
  g_assert_cmpuint (block->first_line, ==, 3);
  g_assert_cmpuint (block->last_line, ==, 7);

  byline_block_free (NULL);
}

static void
test_identical (void)
{
  assert_diff ("a b c", "a b c", 3, 0, 0, 0);
  assert_diff ("a", "a", 1, 0, 0, 0);
}

static void
test_empty (void)
{
  BylineBlockDiff diff = { 99, 99, 99, 99 };
  g_autoptr(GPtrArray) some = make_blocks ("a b");

  assert_diff ("", "", 0, 0, 0, 0);
  assert_diff ("", "a b c", 0, 0, 0, 3);
  assert_diff ("a b c", "", 0, 0, 3, 0);

  /* No list yet (the first rendering) is an empty list. */
  byline_block_diff (NULL, some, &diff);
  g_assert_cmpuint (diff.prefix, ==, 0);
  g_assert_cmpuint (diff.suffix, ==, 0);
  g_assert_cmpuint (diff.old_removed, ==, 0);
  g_assert_cmpuint (diff.new_inserted, ==, 2);
}

static void
test_insert (void)
{
  assert_diff ("a b c", "a x b c", 1, 2, 0, 1);
  assert_diff ("a b c", "x a b c", 0, 3, 0, 1);
  assert_diff ("a b c", "a b c x", 3, 0, 0, 1);
  assert_diff ("a b c", "a x y b c", 1, 2, 0, 2);
}

static void
test_delete (void)
{
  assert_diff ("a b c", "a c", 1, 1, 1, 0);
  assert_diff ("a b c", "b c", 0, 2, 1, 0);
  assert_diff ("a b c", "a b", 2, 0, 1, 0);
  assert_diff ("a b c d", "a d", 1, 1, 2, 0);
}

static void
test_replace (void)
{
  assert_diff ("a b c", "a x c", 1, 1, 1, 1);
  assert_diff ("a b c", "x b c", 0, 2, 1, 1);
  assert_diff ("a b c", "a b x", 2, 0, 1, 1);
  assert_diff ("a b c", "x y z", 0, 0, 3, 3);
  assert_diff ("a b c d", "a x d", 1, 1, 2, 1);
}

static void
test_repeated (void)
{
  /* Identical blocks could be matched by both the prefix and the suffix; the suffix only gets
   * what the prefix left, so neither list is over-counted. */
  assert_diff ("a a a", "a a a a", 3, 0, 0, 1);
  assert_diff ("a a a a", "a a a", 3, 0, 1, 0);
  assert_diff ("a a", "a", 1, 0, 1, 0);
  assert_diff ("a b a", "a", 1, 0, 2, 0);
  assert_diff ("x a a", "a a", 0, 2, 1, 0);
  assert_diff ("a x a", "a a", 1, 1, 1, 0);
  assert_diff ("a a", "a x a", 1, 1, 0, 1);
}

static void
test_rendered (void)
{
  /* What the preview does: render before and after an edit of the second paragraph. */
  const char *before = "# Titre\n\nPremier paragraphe.\n\nDeuxième paragraphe.\n\n- a\n- b\n";
  const char *after = "# Titre\n\nPremier paragraphe.\n\nDeuxième paragraphe, corrigé.\n\n- a\n- b\n";
  g_autoptr(GPtrArray) old_blocks = byline_markdown_render_blocks (before, -1);
  g_autoptr(GPtrArray) new_blocks = byline_markdown_render_blocks (after, -1);
  BylineBlockDiff diff = { 0, };
  const BylineBlock *changed;

  byline_block_diff (old_blocks, new_blocks, &diff);

  g_assert_cmpuint (diff.prefix, ==, 2);
  g_assert_cmpuint (diff.suffix, ==, 1);
  g_assert_cmpuint (diff.old_removed, ==, 1);
  g_assert_cmpuint (diff.new_inserted, ==, 1);

  changed = g_ptr_array_index (new_blocks, diff.prefix);
  g_assert_cmpstr (changed->html, ==, "<p>Deuxième paragraphe, corrigé.</p>\n");
  g_assert_cmpuint (changed->first_line, ==, 4);
  g_assert_cmpuint (changed->last_line, ==, 4);
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);

  g_test_add_func ("/core/block/new-free", test_new_free);
  g_test_add_func ("/core/block/identical", test_identical);
  g_test_add_func ("/core/block/empty", test_empty);
  g_test_add_func ("/core/block/insert", test_insert);
  g_test_add_func ("/core/block/delete", test_delete);
  g_test_add_func ("/core/block/replace", test_replace);
  g_test_add_func ("/core/block/repeated", test_repeated);
  g_test_add_func ("/core/block/rendered", test_rendered);

  return g_test_run ();
}
