/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-text-stats.c: word count and reading time of a draft, and how long ago it changed. */

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "byline-text-stats.h"

static gboolean
is_word_char (gunichar c)
{
  return g_unichar_isalnum (c) || g_unichar_type (c) == G_UNICODE_NON_SPACING_MARK;
}

/* An apostrophe or hyphen joins two word characters ("don't", "well-known") into one word. */
static gboolean
is_joiner (gunichar c)
{
  return c == '\'' || c == 0x2019 || c == '-';
}

guint
byline_text_stats_count_words (const char *text,
                               gssize      length)
{
  const char *p;
  const char *end;
  gboolean in_word = FALSE;
  guint words = 0;

  if (text == NULL)
    return 0;
  if (length < 0)
    length = strlen (text);

  p = text;
  end = text + length;
  while (p < end)
    {
      gunichar c;

      /* ASCII is nearly all of a draft, so it skips the UTF-8 decoder. */
      if ((guchar) *p < 0x80)
        {
          c = (guchar) *p;
          p++;
        }
      else
        {
          c = g_utf8_get_char_validated (p, end - p);
          if (c == (gunichar) -1 || c == (gunichar) -2)
            {
              p++;
              in_word = FALSE;
              continue;
            }
          p = g_utf8_next_char (p);
        }

      if (c < 0x80 ? g_ascii_isalnum (c) : is_word_char (c))
        {
          if (!in_word)
            words++;
          in_word = TRUE;
        }
      else if (in_word && is_joiner (c) && p < end && g_ascii_isalnum (*p))
        ;
      else
        in_word = FALSE;
    }

  return words;
}

guint
byline_text_stats_reading_minutes (guint words)
{
  return (words + BYLINE_WORDS_PER_MINUTE - 1) / BYLINE_WORDS_PER_MINUTE;
}

char *
byline_text_stats_format (guint words)
{
  guint minutes = byline_text_stats_reading_minutes (words);
  g_autofree char *words_text = NULL;
  g_autofree char *minutes_text = NULL;

  /* Translators: the word count of a draft, "%'u" prints the number with thousands separators. */
  words_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%'u word", "%'u words", words), words);
  if (minutes == 0)
    return g_steal_pointer (&words_text);
  /* Translators: the reading time of a draft. */
  minutes_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u min read", "%u min read", minutes),
                                  minutes);
  /* Translators: "<word count> · <reading time>". */
  return g_strdup_printf (_("%s · %s"), words_text, minutes_text);
}

char *
byline_text_stats_format_relative (gint64 then,
                                   gint64 now)
{
  g_autoptr(GDateTime) then_dt = g_date_time_new_from_unix_local (then / G_USEC_PER_SEC);
  g_autoptr(GDateTime) now_dt = g_date_time_new_from_unix_local (now / G_USEC_PER_SEC);
  gint64 seconds = (now - then) / G_USEC_PER_SEC;
  int days;

  if (then_dt == NULL || now_dt == NULL)
    return g_strdup ("");

  if (seconds < 60)
    return g_strdup (_("Just now"));
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago",
                                         (gulong) (seconds / 60)),
                            (int) (seconds / 60));

  days = g_date_time_get_day_of_year (now_dt) - g_date_time_get_day_of_year (then_dt);
  if (g_date_time_get_year (now_dt) != g_date_time_get_year (then_dt))
    days = (int) ((now - then) / G_USEC_PER_SEC / 86400) + 1;

  if (days == 0)
    /* Translators: a time today, in strftime format */
    return g_date_time_format (then_dt, _("%H:%M"));
  if (days == 1)
    return g_strdup (_("Yesterday"));
  if (days < 7)
    /* Translators: a day this week, in strftime format */
    return g_date_time_format (then_dt, _("%A"));
  if (g_date_time_get_year (now_dt) == g_date_time_get_year (then_dt))
    /* Translators: a date this year, in strftime format */
    return g_date_time_format (then_dt, _("%e %B"));
  /* Translators: a date in another year, in strftime format */
  return g_date_time_format (then_dt, _("%e %B %Y"));
}
