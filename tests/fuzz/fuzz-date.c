/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-date.c: feeds bytes as a date to byline_date_parse, the way a person types one (the
 * publish date, the command line's --date) and the way a comment's date_gmt from WordPress is
 * read (with "Z" added: byline_comment_new_from_json), in a local time zone with summer time so
 * that its gaps and overlaps are met.
 *
 * Invariants: no crash on any bytes; a parsed date written out as Byline writes dates, in UTC
 * (ISO 8601 with "Z", and as WordPress's date_gmt "YYYY-MM-DDTHH:MM:SS" read back with "Z"),
 * and parsed again is the same instant. (Not in local time with its offset: before time zones,
 * Brussels was 17 minutes and 30 seconds east, an offset ISO 8601 cannot write.) */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "byline-date.h"
#include "fuzz-target.h"

static void
assert_same_instant (GDateTime  *date,
                     const char *text)
{
  g_autoptr(GDateTime) again = byline_date_parse (text);

  /* abort (), not g_error (): libFuzzer keeps the input of an abort. */
  if (again == NULL)
    {
      g_printerr ("“%s” (written from a parsed date) does not parse\n", text);
      abort ();
    }
  if (g_date_time_compare (date, again) != 0)
    {
      g_autofree char *was = g_date_time_format_iso8601 (date);
      g_autofree char *is = g_date_time_format_iso8601 (again);

      g_printerr ("“%s” parses as %s, not %s\n", text, is, was);
      abort ();
    }
}

static void
check (const char *text)
{
  g_autoptr(GDateTime) date = byline_date_parse (text);
  g_autoptr(GDateTime) utc = NULL;
  g_autofree char *iso = NULL;
  g_autofree char *gmt = NULL;

  if (date == NULL)
    return;
  utc = g_date_time_to_utc (date);
  iso = g_date_time_format_iso8601 (utc);
  assert_same_instant (date, iso);

  /* WordPress keeps whole seconds. */
  gmt = g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
  if (g_date_time_get_year (utc) >= 1000 && g_date_time_get_microsecond (utc) == 0)
    assert_same_instant (utc, gmt);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  static gboolean zone_set;
  g_autofree char *text = NULL;
  g_autofree char *as_gmt = NULL;

  if (!zone_set)
    {
      /* Brussels: +01:00, +02:00 in summer, with a gap in March and an overlap in October. */
      g_setenv ("TZ", "Europe/Brussels", TRUE);
      zone_set = TRUE;
    }

  text = g_strndup ((const char *) data, size);
  check (text);
  as_gmt = g_strconcat (text, "Z", NULL);
  check (as_gmt);
  return 0;
}
