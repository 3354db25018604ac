/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-post-changes.c: the three-way merge of a post's text and fields: changes in different
 * places merged, overlapping ones a conflict that keeps both sides. */

#include "config.h"

#include "byline-post-changes.h"
#include "byline-test-util.h"

static const char base_html[] =
  "<h2>Budget</h2>\n"
  "<p>The council met on Monday.</p>\n"
  "<p>The vote was close.</p>\n"
  "<p>Schools get more money.</p>\n"
  "<p>Roads get less.</p>\n";

static void
test_merge_disjoint (void)
{
  /* The site fixed the first paragraph, the draft the last; and one added a line at the end. */
  const char *theirs = "<h2>Budget</h2>\n"
                       "<p>The council met on Tuesday.</p>\n"
                       "<p>The vote was close.</p>\n"
                       "<p>Schools get more money.</p>\n"
                       "<p>Roads get less.</p>\n";
  const char *mine = "<h2>Budget</h2>\n"
                     "<p>The council met on Monday.</p>\n"
                     "<p>The vote was close.</p>\n"
                     "<p>Schools get more money.</p>\n"
                     "<p>Roads get much less.</p>\n"
                     "<p>Read the full budget.</p>\n";
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *merged = byline_text_merge3 (base_html, mine, theirs, &conflicts);

  g_assert_null (conflicts);
  g_assert_cmpstr (merged, ==,
                   "<h2>Budget</h2>\n"
                   "<p>The council met on Tuesday.</p>\n"
                   "<p>The vote was close.</p>\n"
                   "<p>Schools get more money.</p>\n"
                   "<p>Roads get much less.</p>\n"
                   "<p>Read the full budget.</p>\n");
}

static void
test_merge_same_change (void)
{
  const char *both = "<h2>Budget 2031</h2>\n"
                     "<p>The council met on Monday.</p>\n"
                     "<p>The vote was close.</p>\n"
                     "<p>Schools get more money.</p>\n"
                     "<p>Roads get less.</p>\n";
  g_autofree char *merged = byline_text_merge3 (base_html, both, both, NULL);

  g_assert_cmpstr (merged, ==, both);
}

static void
test_merge_overlap (void)
{
  const char *theirs = "<h2>Budget</h2>\n"
                       "<p>The council met on Monday.</p>\n"
                       "<p>The vote was 5 to 4.</p>\n"
                       "<p>Schools get more money.</p>\n"
                       "<p>Roads get less.</p>\n";
  /* The same paragraph, and the one right after it (touching counts as overlapping). */
  const char *mine = "<h2>Budget</h2>\n"
                     "<p>The council met on Monday.</p>\n"
                     "<p>The vote was very close.</p>\n"
                     "<p>Schools get a lot more money.</p>\n"
                     "<p>Roads get less.</p>\n";
  g_autoptr(GPtrArray) conflicts = NULL;
  g_autofree char *merged = byline_text_merge3 (base_html, mine, theirs, &conflicts);
  BylineMergeConflict *conflict;

  g_assert_null (merged);
  g_assert_nonnull (conflicts);
  g_assert_cmpuint (conflicts->len, ==, 1);
  conflict = g_ptr_array_index (conflicts, 0);
  /* Nothing lost: each side's own text is there whole. */
  g_assert_cmpstr (conflict->base, ==,
                   "<p>The vote was close.</p>\n<p>Schools get more money.</p>\n");
  g_assert_cmpstr (conflict->mine, ==,
                   "<p>The vote was very close.</p>\n<p>Schools get a lot more money.</p>\n");
  g_assert_cmpstr (conflict->theirs, ==,
                   "<p>The vote was 5 to 4.</p>\n<p>Schools get more money.</p>\n");
}

static BylinePostVersion *
version (const char *title,
         const char *excerpt,
         const char *tags,
         const char *content)
{
  BylinePostVersion *v = g_new0 (BylinePostVersion, 1);

  v->fields[BYLINE_POST_FIELD_TITLE] = g_strdup (title);
  v->fields[BYLINE_POST_FIELD_EXCERPT] = g_strdup (excerpt);
  v->fields[BYLINE_POST_FIELD_STATUS] = g_strdup ("publish");
  v->fields[BYLINE_POST_FIELD_TAGS] = g_strdup (tags);
  v->fields[BYLINE_POST_FIELD_CONTENT] = g_strdup (content);
  return v;
}

static void
test_post_merge (void)
{
  g_autoptr(BylinePostVersion) base = version ("Budget", "Old", "city", base_html);
  g_autoptr(BylinePostVersion) theirs = version ("Budget passes", "Old", "city", base_html);
  g_autoptr(BylinePostVersion) mine = version ("Budget", "New summary", "city, money", base_html);
  g_autoptr(BylinePostVersion) mine_title = version ("Budget fails", "Old", "city", base_html);
  g_autoptr(BylinePostMerge) merge = byline_post_merge (base, mine, theirs);
  g_autoptr(BylinePostMerge) clash = byline_post_merge (base, mine_title, theirs);
  g_autoptr(GPtrArray) changes = byline_post_version_compare (theirs, mine);
  BylinePostChange *change;

  g_assert_cmpuint (merge->n_conflicts, ==, 0);
  g_assert_cmpint (merge->outcomes[BYLINE_POST_FIELD_TITLE], ==, BYLINE_MERGE_THEIRS);
  g_assert_cmpint (merge->outcomes[BYLINE_POST_FIELD_EXCERPT], ==, BYLINE_MERGE_MINE);
  g_assert_cmpint (merge->outcomes[BYLINE_POST_FIELD_TAGS], ==, BYLINE_MERGE_MINE);
  g_assert_cmpint (merge->outcomes[BYLINE_POST_FIELD_CONTENT], ==, BYLINE_MERGE_UNCHANGED);
  g_assert_cmpstr (merge->merged->fields[BYLINE_POST_FIELD_TITLE], ==, "Budget passes");
  g_assert_cmpstr (merge->merged->fields[BYLINE_POST_FIELD_EXCERPT], ==, "New summary");

  g_assert_cmpuint (clash->n_conflicts, ==, 1);
  g_assert_cmpint (clash->outcomes[BYLINE_POST_FIELD_TITLE], ==, BYLINE_MERGE_CONFLICT);

  /* Live (theirs) → sent (mine): title, excerpt and tags; the same text is no change. */
  g_assert_cmpuint (changes->len, ==, 3);
  change = g_ptr_array_index (changes, 0);
  g_assert_cmpint (change->field, ==, BYLINE_POST_FIELD_TITLE);
  g_assert_cmpstr (change->old_value, ==, "Budget passes");
  g_assert_cmpstr (change->new_value, ==, "Budget");
  change = g_ptr_array_index (changes, 2);
  g_assert_cmpint (change->field, ==, BYLINE_POST_FIELD_TAGS);
  g_assert_cmpstr (change->new_value, ==, "city, money");
}

static void
test_reader_text_diff (void)
{
  g_autoptr(GPtrArray) runs = NULL;
  const BylineWordRun *run;

  runs = byline_post_text_diff ("<p>The <b>vote</b> was close.</p>\n<p>Next</p>",
                                "<p>The vote was <em>very</em> close.</p><p>Next</p>");
  g_assert_cmpuint (runs->len, ==, 3);
  run = g_ptr_array_index (runs, 0);
  g_assert_cmpstr (run->text, ==, "The vote was ");
  run = g_ptr_array_index (runs, 1);
  g_assert_cmpint (run->op, ==, BYLINE_DIFF_INSERT);
  g_assert_cmpstr (run->text, ==, "very ");
  run = g_ptr_array_index (runs, 2);
  g_assert_cmpstr (run->text, ==, "close.\nNext");
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);

  g_test_add_func ("/core/post-changes/merge-disjoint", test_merge_disjoint);
  g_test_add_func ("/core/post-changes/merge-same-change", test_merge_same_change);
  g_test_add_func ("/core/post-changes/merge-overlap", test_merge_overlap);
  g_test_add_func ("/core/post-changes/post-merge", test_post_merge);
  g_test_add_func ("/core/post-changes/reader-text-diff", test_reader_text_diff);

  return g_test_run ();
}
