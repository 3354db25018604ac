/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-check-override.h: a post sent despite the pre-publish check, as its history keeps it. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  gint64  id;
  gint64  draft_id;
  gint64  account_id;  /* the site it was sent to (the account may have been removed since) */
  gint64  created_at;  /* µs since the epoch (g_get_real_time) */
  char   *reason;      /* the person's, never empty */
  char   *findings;    /* the blocking findings as they read them, one a line
                        * (byline_finding_to_string) */
} BylineCheckOverride;

BylineCheckOverride *byline_check_override_new  (void);
void                 byline_check_override_free (BylineCheckOverride *override);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineCheckOverride, byline_check_override_free)

G_END_DECLS
