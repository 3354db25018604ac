/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-post-diff.c: what an update would change on a live post of 50,000 words: the word
 * diff of the reader texts when about 1% of the words changed, the same from the HTML (the
 * text extraction included), two versions that share no sentence, and the three-way merge of
 * the HTML when the site and the draft changed different paragraphs. Core only. Prints medians
 * and ranges; never passes or fails. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include "bench-document.h"
#include "byline-markdown.h"
#include "byline-post-changes.h"
#include "byline-text-merge.h"
#include "byline-word-diff.h"

#define N_WORDS  50000
#define N_ROUNDS 15

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_values (const char *what,
              GArray     *values)
{
  g_array_sort (values, compare_doubles);
  printf ("  %-58s median %8.2f ms (min %.2f, max %.2f, %u runs)\n", what,
          g_array_index (values, double, values->len / 2), g_array_index (values, double, 0),
          g_array_index (values, double, values->len - 1), values->len);
}

/* @text with every @every-th word of words [@from, @to) replaced by one it never has. */
static char *
change_words (const char *text,
              guint       every,
              guint       from,
              guint       to,
              guint      *n_changed)
{
  GString *out = g_string_new (NULL);
  const char *p = text;
  guint word = 0;

  *n_changed = 0;
  while (*p != '\0')
    {
      const char *start = p;

      if (g_ascii_isspace (*p))
        {
          g_string_append_c (out, *p++);
          continue;
        }
      while (*p != '\0' && !g_ascii_isspace (*p))
        p++;
      if (word >= from && word < to && word % every == 0 && g_ascii_isalpha (*start))
        {
          g_string_append_printf (out, "edited%u", word);
          (*n_changed)++;
        }
      else
        g_string_append_len (out, start, p - start);
      word++;
    }
  return g_string_free (out, FALSE);
}

/* The words of @text in a shuffled order, so that no sentence is shared. */
static char *
shuffle_words (const char *text)
{
  g_auto(GStrv) words = g_strsplit_set (text, " \n", -1);
  guint n = g_strv_length (words);
  g_autoptr(GRand) rand = g_rand_new_with_seed (50);
  GString *out = g_string_new (NULL);

  for (guint i = n; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i);
      char *swap = words[i - 1];

      words[i - 1] = words[j];
      words[j] = swap;
    }
  for (guint i = 0; i < n; i++)
    g_string_append_printf (out, "%s%s", words[i], i % 80 == 79 ? "\n" : " ");
  return g_string_free (out, FALSE);
}

static guint
count_changed (GPtrArray *runs)
{
  guint n = 0;

  for (guint i = 0; i < runs->len; i++)
    n += ((BylineWordRun *) g_ptr_array_index (runs, i))->op != BYLINE_DIFF_EQUAL;
  return n;
}

int
main (void)
{
  g_autofree char *markdown = bench_document_generate (N_WORDS);
  g_autofree char *live_html = byline_markdown_render_html (markdown, -1);
  g_autofree char *live_text = byline_post_reader_text (live_html);
  g_autofree char *sent_markdown = NULL;
  g_autofree char *sent_html = NULL;
  g_autofree char *sent_text = NULL;
  g_autofree char *other_text = shuffle_words (live_text);
  g_autofree char *theirs_html = NULL;
  g_autoptr(GArray) text_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) html_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) unrelated_times = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) merge_times = g_array_new (FALSE, FALSE, sizeof (double));
  guint n_changed, n_theirs, runs_changed = 0, runs_unrelated = 0;
  gboolean merged_cleanly = TRUE;

  /* The draft changes one word in fifty in the first half (1% of all), the site one in fifty in
   * the second half: changes in different paragraphs, which merge. */
  sent_markdown = change_words (markdown, 50, 0, N_WORDS / 2, &n_changed);
  sent_html = byline_markdown_render_html (sent_markdown, -1);
  sent_text = byline_post_reader_text (sent_html);
  {
    g_autofree char *theirs_markdown = change_words (markdown, 50, N_WORDS / 2 + 200, G_MAXUINT,
                                                     &n_theirs);

    theirs_html = byline_markdown_render_html (theirs_markdown, -1);
  }

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      gint64 start;
      double ms;

      start = g_get_monotonic_time ();
      {
        g_autoptr(GPtrArray) runs = byline_word_diff (live_text, sent_text);

        runs_changed = count_changed (runs);
      }
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (text_times, ms);

      start = g_get_monotonic_time ();
      {
        g_autoptr(GPtrArray) runs = byline_post_text_diff (live_html, sent_html);
      }
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (html_times, ms);

      start = g_get_monotonic_time ();
      {
        g_autoptr(GPtrArray) runs = byline_word_diff (live_text, other_text);

        runs_unrelated = count_changed (runs);
      }
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (unrelated_times, ms);

      start = g_get_monotonic_time ();
      {
        g_autoptr(GPtrArray) conflicts = NULL;
        g_autofree char *merged = byline_text_merge3 (live_html, sent_html, theirs_html,
                                                      &conflicts);

        merged_cleanly = merged != NULL;
      }
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (merge_times, ms);
    }

  printf ("Post diff: %u words (%zu bytes of HTML), %u words changed in the draft (%u changed "
          "runs); %u on the site\n", N_WORDS, strlen (live_html), n_changed, runs_changed,
          n_theirs);
  print_values ("word diff of the reader texts, 1% of words changed", text_times);
  print_values ("the same from the HTML (text extraction included)", html_times);
  {
    g_autofree char *what = g_strdup_printf ("word diff, the words shuffled (%u changed runs)",
                                             runs_unrelated);

    print_values (what, unrelated_times);
  }
  {
    g_autofree char *what = g_strdup_printf ("three-way merge of the HTML (%s)",
                                             merged_cleanly ? "merged" : "conflicts");

    print_values (what, merge_times);
  }
  return 0;
}
