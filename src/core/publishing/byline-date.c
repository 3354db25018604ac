/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-date.c: dates and times as people type them. */

#include "config.h"

#include <string.h>

#include "byline-date.h"

GDateTime *
byline_date_parse (const char *text)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autofree char *iso = NULL;
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) utc = NULL;
  char *time;

  if (text == NULL)
    return NULL;

  /* ISO 8601 wants a "T" between date and time, and GLib wants the seconds. */
  iso = g_strdelimit (g_strstrip (g_strdup (text)), " ", 'T');
  time = strchr (iso, 'T');
  if (time == NULL)
    {
      g_autofree char *day = g_steal_pointer (&iso);

      iso = g_strconcat (day, "T00:00:00", NULL);
    }
  else if (strlen (time) >= 6 && time[3] == ':' && (time[6] == '\0' || strchr ("Z+-", time[6])))
    {
      g_autofree char *minutes = g_steal_pointer (&iso);
      gsize at = time - minutes + 6;

      iso = g_strdup_printf ("%.*s:00%s", (int) at, minutes, minutes + at);
    }
  date = g_date_time_new_from_iso8601 (iso, local);
  /* Every caller writes the date in UTC: one that is in range only in its own zone (the first
   * hours of year 1 east of UTC, the last of 9999 west of it) has no UTC form to write. */
  if (date == NULL || (utc = g_date_time_to_utc (date)) == NULL)
    return NULL;
  return g_steal_pointer (&date);
}

char *
byline_date_parse_utc (const char *text)
{
  g_autoptr(GDateTime) date = byline_date_parse (text);
  g_autoptr(GDateTime) utc = NULL;

  if (date == NULL)
    return NULL;
  utc = g_date_time_to_utc (date);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S");
}
