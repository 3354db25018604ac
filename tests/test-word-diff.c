/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-word-diff.c: the word-level difference shown before an update: exact runs, the empty and
 * the all-changed cases, and two 50,000-word versions. */

#include "config.h"

#include "byline-test-util.h"
#include "byline-word-diff.h"

/* The runs as one string: =equal= -deleted- +inserted+. */
static char *
describe (GPtrArray *runs)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < runs->len; i++)
    {
      const BylineWordRun *run = g_ptr_array_index (runs, i);
      char mark = run->op == BYLINE_DIFF_EQUAL ? '=' : run->op == BYLINE_DIFF_DELETE ? '-' : '+';

      g_string_append_printf (out, "%c%s%c", mark, run->text, mark);
    }
  return g_string_free (out, FALSE);
}

static void
assert_diff (const char *old_text,
             const char *new_text,
             const char *expected)
{
  g_autoptr(GPtrArray) runs = byline_word_diff (old_text, new_text);
  g_autofree char *described = describe (runs);
  g_autoptr(GString) rebuilt_new = g_string_new (NULL);

  g_assert_cmpstr (described, ==, expected);
  for (guint i = 0; i < runs->len; i++)
    {
      const BylineWordRun *run = g_ptr_array_index (runs, i);

      if (i > 0)
        g_assert_cmpint (run->op, !=, ((BylineWordRun *) g_ptr_array_index (runs, i - 1))->op);
      if (run->op != BYLINE_DIFF_DELETE)
        g_string_append (rebuilt_new, run->text);
    }
  g_assert_cmpstr (rebuilt_new->str, ==, new_text ? new_text : "");
}

static void
test_runs (void)
{
  assert_diff ("The quick brown fox jumps", "The quick red fox jumps",
               "=The quick =-brown-+red+= fox jumps=");
  assert_diff ("a b c", "a c", "=a =-b -=c=");
  assert_diff ("a b", "a", "=a=- b-");
  assert_diff ("one two", "one two three", "=one two=+ three+");
  assert_diff ("Budget approved.\nThe vote was close.", "Budget approved.\nThe vote was 51 to 49.",
               "=Budget approved.\nThe vote was =-close.-+51 to 49.+");
  /* A paragraph break is a token: joining two paragraphs deletes it. */
  assert_diff ("First part.\nSecond part.", "First part. Second part.",
               "=First part.=-\n-+ +=Second part.=");
  /* Moving a word shows as a deletion and an insertion, not as everything changed. */
  assert_diff ("alpha beta gamma delta", "beta gamma alpha delta",
               "-alpha -=beta gamma=+ alpha+= delta=");
}

static void
test_empty (void)
{
  assert_diff ("", "", "");
  assert_diff (NULL, "new words", "+new words+");
  assert_diff ("old words", "", "-old words-");
  assert_diff ("same text", "same text", "=same text=");
}

static void
test_all_changed (void)
{
  /* Only the spaces are shared: they stay, each word changes. */
  assert_diff ("red green blue", "one two three", "-red-+one+= =-green-+two+= =-blue-+three+");
  assert_diff ("headline", "other words", "-headline-+other words+");
}

static void
test_sequences (void)
{
  static const guint old_items[] = { 1, 2, 3, 4, 5, 6 };
  static const guint new_items[] = { 1, 3, 4, 7, 6 };
  g_autoptr(GArray) hunks = byline_diff_sequences (old_items, 6, new_items, 5);
  static const BylineDiffHunk expected[] = {
    { BYLINE_DIFF_EQUAL, 0, 0, 1 },
    { BYLINE_DIFF_DELETE, 1, 1, 1 },
    { BYLINE_DIFF_EQUAL, 2, 1, 2 },
    { BYLINE_DIFF_DELETE, 4, 3, 1 },
    { BYLINE_DIFF_INSERT, 5, 3, 1 },
    { BYLINE_DIFF_EQUAL, 5, 4, 1 },
  };

  g_assert_cmpuint (hunks->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < hunks->len; i++)
    {
      const BylineDiffHunk *hunk = &g_array_index (hunks, BylineDiffHunk, i);

      g_assert_cmpint (hunk->op, ==, expected[i].op);
      g_assert_cmpuint (hunk->old_start, ==, expected[i].old_start);
      g_assert_cmpuint (hunk->new_start, ==, expected[i].new_start);
      g_assert_cmpuint (hunk->length, ==, expected[i].length);
    }
}

/* A text of @n_words words from a small vocabulary, as prose repeats words. */
static GString *
make_words (guint    n_words,
            GRand   *rand)
{
  static const char * const words[] = {
    "the", "council", "voted", "on", "budget", "after", "a", "long", "debate", "about",
    "schools", "roads", "and", "the", "new", "library", "which", "opens", "in", "spring",
  };
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < n_words; i++)
    {
      g_string_append (text, words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))]);
      g_string_append_c (text, i % 60 == 59 ? '\n' : ' ');
    }
  return text;
}

/* Counts the words of the runs of @op. */
static guint
count_words (GPtrArray    *runs,
             BylineDiffOp  op)
{
  guint n = 0;

  for (guint i = 0; i < runs->len; i++)
    {
      const BylineWordRun *run = g_ptr_array_index (runs, i);
      g_auto(GStrv) words = NULL;

      if (run->op != op)
        continue;
      words = g_strsplit_set (run->text, " \n", -1);
      for (guint w = 0; words[w] != NULL; w++)
        n += *words[w] != '\0';
    }
  return n;
}

static void
test_long (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(GString) old_text = make_words (50000, rand);
  g_autoptr(GString) new_text = g_string_new (NULL);
  g_autoptr(GString) other_text = make_words (50000, rand);
  g_auto(GStrv) words = g_strsplit (old_text->str, " ", -1);
  g_autoptr(GPtrArray) runs = NULL;
  g_autoptr(GPtrArray) all_runs = NULL;
  guint changed = 0;

  /* One word in a hundred replaced by one the text never has. */
  for (guint i = 0; words[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (new_text, ' ');
      if (i % 100 == 50 && strchr (words[i], '\n') == NULL)
        {
          g_string_append_printf (new_text, "changed%u", i);
          changed++;
        }
      else
        g_string_append (new_text, words[i]);
    }
  runs = byline_word_diff (old_text->str, new_text->str);
  g_assert_cmpuint (count_words (runs, BYLINE_DIFF_INSERT), ==, changed);
  g_assert_cmpuint (count_words (runs, BYLINE_DIFF_DELETE), ==, changed);

  /* Two unrelated texts of the same words: it finishes, and rebuilds both sides. */
  all_runs = byline_word_diff (old_text->str, other_text->str);
  g_assert_cmpuint (count_words (all_runs, BYLINE_DIFF_EQUAL)
                    + count_words (all_runs, BYLINE_DIFF_INSERT), ==, 50000);
  g_assert_cmpuint (count_words (all_runs, BYLINE_DIFF_EQUAL)
                    + count_words (all_runs, BYLINE_DIFF_DELETE), ==, 50000);
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);

  g_test_add_func ("/core/word-diff/runs", test_runs);
  g_test_add_func ("/core/word-diff/empty", test_empty);
  g_test_add_func ("/core/word-diff/all-changed", test_all_changed);
  g_test_add_func ("/core/word-diff/sequences", test_sequences);
  g_test_add_func ("/core/word-diff/long", test_long);

  return g_test_run ();
}
