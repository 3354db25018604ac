/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-text-stats.h: word count and reading time of a draft, and how long ago it changed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Average adult silent reading speed of English prose, used for the reading time. */
#define BYLINE_WORDS_PER_MINUTE 238

/* Words are runs of letters and digits (an apostrophe or hyphen inside a word keeps it whole), so
 * Markdown punctuation such as "#", "*" or "-" is not counted. */
guint  byline_text_stats_count_words     (const char *text,
                                          gssize      length);
/* Whole minutes, rounded up; 0 only for an empty text. */
guint  byline_text_stats_reading_minutes (guint       words);
/* "1,234 words · 6 min read", translated. */
char  *byline_text_stats_format          (guint       words);
/* "Just now", "5 minutes ago", "Yesterday", "Monday", "12 March 2026": what a list shows for a
 * time @then, both in microseconds since the epoch, seen from @now. */
char  *byline_text_stats_format_relative (gint64      then,
                                          gint64      now);

G_END_DECLS
