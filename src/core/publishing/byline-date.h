/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-date.h: dates and times as people type them. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* "2030-01-02", "2030-01-02 09:30", "2030-01-02T09:30:15" or any ISO 8601 date and time, in local
 * time unless it names a zone ("…Z", "…+02:00"). NULL when it is none of these, or when it has
 * no UTC form between years 1 and 9999. */
GDateTime *byline_date_parse     (const char *text);
/* The same date in UTC as WordPress's *_gmt fields take it ("2030-01-02T08:30:00"), or NULL. */
char      *byline_date_parse_utc (const char *text);

G_END_DECLS
