/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-text-stats.c: word count, reading time and relative times. */

#include "config.h"

#include "byline-test-util.h"
#include "byline-text-stats.h"

static void
test_count_words (void)
{
  g_assert_cmpuint (byline_text_stats_count_words ("", -1), ==, 0);
  g_assert_cmpuint (byline_text_stats_count_words (NULL, -1), ==, 0);
  g_assert_cmpuint (byline_text_stats_count_words ("one two  three", -1), ==, 3);
  /* Markdown syntax is not words. */
  g_assert_cmpuint (byline_text_stats_count_words ("# Title\n\n- **bold** item\n- *x*\n\n---\n", -1),
                    ==, 4);
  /* Apostrophes and hyphens inside a word keep it whole. */
  g_assert_cmpuint (byline_text_stats_count_words ("Kerry's well-known don’t - dash", -1), ==, 4);
  /* Accented words are one word each. */
  g_assert_cmpuint (byline_text_stats_count_words ("« Apres, après » déjà vu", -1), ==, 4);
  /* Only the given length is read. */
  g_assert_cmpuint (byline_text_stats_count_words ("one two three", 7), ==, 2);
  /* Invalid UTF-8 does not crash and separates words. */
  g_assert_cmpuint (byline_text_stats_count_words ("one\xff" "two", -1), ==, 2);
}

static void
test_reading_time (void)
{
  g_autofree char *empty = NULL;
  g_autofree char *one = NULL;
  g_autofree char *many = NULL;

  g_assert_cmpuint (byline_text_stats_reading_minutes (0), ==, 0);
  g_assert_cmpuint (byline_text_stats_reading_minutes (1), ==, 1);
  g_assert_cmpuint (byline_text_stats_reading_minutes (BYLINE_WORDS_PER_MINUTE), ==, 1);
  g_assert_cmpuint (byline_text_stats_reading_minutes (BYLINE_WORDS_PER_MINUTE + 1), ==, 2);

  empty = byline_text_stats_format (0);
  g_assert_cmpstr (empty, ==, "0 words");
  one = byline_text_stats_format (1);
  g_assert_cmpstr (one, ==, "1 word · 1 min read");
  many = byline_text_stats_format (1000);
  g_assert_true (g_str_has_suffix (many, "words · 5 min read"));
}

static void
test_relative_time (void)
{
  g_autoptr(GDateTime) now_dt = g_date_time_new_local (2026, 11, 27, 15, 0, 0);
  gint64 now = g_date_time_to_unix (now_dt) * G_USEC_PER_SEC;
  gint64 minute = 60 * G_USEC_PER_SEC;
  g_autofree char *just_now = byline_text_stats_format_relative (now - 10 * G_USEC_PER_SEC, now);
  g_autofree char *minutes = byline_text_stats_format_relative (now - 5 * minute, now);
  g_autofree char *today = byline_text_stats_format_relative (now - 3 * 60 * minute, now);
  g_autofree char *yesterday = byline_text_stats_format_relative (now - 24 * 60 * minute, now);
  g_autofree char *last_year = byline_text_stats_format_relative (now - 400LL * 24 * 60 * minute, now);

  g_assert_cmpstr (just_now, ==, "Just now");
  g_assert_cmpstr (minutes, ==, "5 minutes ago");
  g_assert_cmpstr (today, ==, "12:00");
  g_assert_cmpstr (yesterday, ==, "Yesterday");
  g_assert_true (g_str_has_suffix (last_year, "2025"));
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);

  g_test_add_func ("/core/text-stats/count-words", test_count_words);
  g_test_add_func ("/core/text-stats/reading-time", test_reading_time);
  g_test_add_func ("/core/text-stats/relative-time", test_relative_time);

  return g_test_run ();
}
