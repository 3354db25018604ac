/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-date.c: dates and times as people type them. */

#include "config.h"

#include "byline-date.h"
#include "byline-test-util.h"

static void
assert_parses (const char *text,
               const char *expected_utc)
{
  g_autofree char *formatted = byline_date_parse_utc (text);

  if (formatted == NULL)
    g_error ("“%s” did not parse", text);
  g_assert_cmpstr (formatted, ==, expected_utc);
}

static void
test_forms (void)
{
  /* Local time is UTC here (TZ is set in main), so local and UTC agree. */
  assert_parses ("2030-01-02", "2030-01-02T00:00:00");
  assert_parses ("2030-01-02 09:30", "2030-01-02T09:30:00");
  assert_parses ("  2030-01-02T09:30  ", "2030-01-02T09:30:00");
  assert_parses ("2030-01-02T09:30:15", "2030-01-02T09:30:15");
  assert_parses ("2030-01-02T09:30Z", "2030-01-02T09:30:00");
  assert_parses ("2030-01-02T09:30+02:00", "2030-01-02T07:30:00");
  assert_parses ("2030-01-02 09:30:15-05:00", "2030-01-02T14:30:15");
}

static void
test_local_zone (void)
{
  g_autoptr(GDateTime) date = NULL;

  g_setenv ("TZ", "Europe/Brussels", TRUE);
  date = byline_date_parse ("2030-07-01 12:00");
  g_setenv ("TZ", "UTC", TRUE);
  g_assert_nonnull (date);
  /* Brussels is two hours ahead in summer. */
  g_assert_cmpint (g_date_time_get_utc_offset (date), ==, 2 * G_TIME_SPAN_HOUR);
}

static void
test_refused (void)
{
  const char *bad[] = { "", "tomorrow", "02/01/2030", "2030-13-01", "2030-01-02 25:00",
                        "2030-01-02 09", NULL };

  g_assert_null (byline_date_parse (NULL));
  for (guint i = 0; bad[i]; i++)
    {
      g_autoptr(GDateTime) date = byline_date_parse (bad[i]);

      if (date != NULL)
        g_error ("“%s” should not parse", bad[i]);
    }
}

/* A date in range in its own zone but not in UTC is refused: callers write dates in UTC. */
static void
test_out_of_utc_range (void)
{
  const char *bad[] = { "0001-01-01T00:30+01:00", "9999-12-31T23:30-01:00", NULL };
  g_autoptr(GDateTime) first_east = NULL;
  g_autoptr(GDateTime) last_west = NULL;
  g_autoptr(GDateTime) first_utc = byline_date_parse ("0001-01-01");
  g_autoptr(GDateTime) last_utc = byline_date_parse ("9999-12-31 23:59:59");

  g_assert_nonnull (first_utc);
  g_assert_nonnull (last_utc);
  for (guint i = 0; bad[i]; i++)
    {
      g_autoptr(GDateTime) date = byline_date_parse (bad[i]);

      if (date != NULL)
        g_error ("“%s” should not parse", bad[i]);
    }

  g_setenv ("TZ", "Europe/Brussels", TRUE);
  first_east = byline_date_parse ("0001-01-01");
  g_setenv ("TZ", "America/New_York", TRUE);
  last_west = byline_date_parse ("9999-12-31 23:30");
  g_setenv ("TZ", "UTC", TRUE);
  g_assert_null (first_east);
  g_assert_null (last_west);
}

int
main (int   argc,
      char *argv[])
{
  g_setenv ("TZ", "UTC", TRUE);
  byline_test_init (&argc, &argv);

  g_test_add_func ("/core/date/forms", test_forms);
  g_test_add_func ("/core/date/local-zone", test_local_zone);
  g_test_add_func ("/core/date/refused", test_refused);
  g_test_add_func ("/core/date/out-of-utc-range", test_out_of_utc_range);

  return g_test_run ();
}
