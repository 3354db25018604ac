/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-comment-html.c: times the comment sanitizer on a typical comment, a long one and 10 MB. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "byline-comment-html.h"

/* One paragraph of a reader's comment as WordPress renders it: entities, a link, a line break. */
static const char paragraph[] =
  "<p>Mr. Secretary, it is encouraging to see the Alliance&#8217;s foreign ministers sitting "
  "down together again, but the real test of NATO&#8217;s relevance is <em>just beyond</em> its "
  "border. See <a href=\"https://www.example.org/report/2013/nato\" rel=\"nofollow ugc\">the "
  "report</a> &amp; the <strong>summary</strong>.<br />\nThanks &#8212; Ashim</p>\n";

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static char *
make_comment (gsize size)
{
  GString *html = g_string_sized_new (size + sizeof paragraph);

  while (html->len < size)
    g_string_append (html, paragraph);
  return g_string_free (html, FALSE);
}

static void
run (const char *what,
     gsize       size,
     guint       runs)
{
  g_autofree char *html = make_comment (size);
  gsize length = strlen (html);
  double *markup_ms = g_new (double, runs);
  double *text_ms = g_new (double, runs);
  gsize markup_length = 0;

  for (guint i = 0; i < runs; i++)
    {
      gint64 start = g_get_monotonic_time ();
      g_autofree char *markup = byline_comment_html_to_markup (html, length);
      gint64 middle = g_get_monotonic_time ();
      g_autofree char *text = byline_comment_html_to_text (html, length);
      gint64 end = g_get_monotonic_time ();

      markup_ms[i] = (middle - start) / 1000.0;
      text_ms[i] = (end - middle) / 1000.0;
      markup_length = strlen (markup);
    }
  qsort (markup_ms, runs, sizeof (double), compare_doubles);
  qsort (text_ms, runs, sizeof (double), compare_doubles);

  /* The spread as the 10th and 90th percentiles: the machine is shared, so max is noise. */
  printf ("comment html, %s (%zu bytes): to_markup median %.3f ms (p10 %.3f, p90 %.3f), "
          "to_text median %.3f ms (p10 %.3f, p90 %.3f), %zu bytes of markup (%u runs)\n",
          what, length, markup_ms[runs / 2], markup_ms[runs / 10], markup_ms[runs * 9 / 10],
          text_ms[runs / 2], text_ms[runs / 10], text_ms[runs * 9 / 10], markup_length, runs);

  g_free (markup_ms);
  g_free (text_ms);
}

int
main (int    argc,
      char **argv)
{
  run ("typical 1 KB", 1024, 1001);
  run ("long 100 KB", 100 * 1024, 101);
  run ("hostile 10 MB", 10 * 1024 * 1024, 21);
  return 0;
}
