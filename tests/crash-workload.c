/* SPDX-License-Identifier: GPL-3.0-or-later */
/* crash-workload.c: the work crash-worker does and test-crash-anywhere checks on the site. */

#include "config.h"

#include "crash-workload.h"

/* Comment 0 approved (and replied to), 1 spam, 2 trash, 3 approved then back to pending, 4-6
 * approved at once, 7-8 trashed at once then undone. */
static const CrashStep steps[] = {
  { 0, 1, CRASH_APPROVE },
  { 1, 1, CRASH_SPAM },
  { 2, 1, CRASH_TRASH },
  { 3, 1, CRASH_APPROVE },
  { 3, 1, CRASH_UNAPPROVE },
  { 4, 3, CRASH_APPROVE },
  { 7, 2, CRASH_TRASH },
  { 7, 2, CRASH_UNDO },
};

static const char * const final_statuses[CRASH_COMMENTS_PER_CYCLE] = {
  "approved", "spam", "trash", "hold", "approved", "approved", "approved", "hold", "hold",
};

const CrashStep *
crash_workload_get_steps (guint *n_steps)
{
  *n_steps = G_N_ELEMENTS (steps);
  return steps;
}

const char *
crash_workload_final_status (guint k)
{
  g_assert (k < CRASH_COMMENTS_PER_CYCLE);
  return final_statuses[k];
}

char *
crash_workload_typed_text (gsize n)
{
  g_autoptr(GString) text = g_string_sized_new (n + 16);

  /* Words and line breaks, with a few letters outside ASCII: what the autosave writes. */
  for (guint i = 0; text->len < n; i++)
    g_string_append_printf (text, "%s%u%s", i % 7 == 3 ? "é" : "w", i, i % 12 == 11 ? "\n" : " ");
  /* Never half a character: the end moves back to the start of the last one. */
  while (n > 0 && (text->str[n] & 0xc0) == 0x80)
    n--;
  g_string_truncate (text, n);
  return g_string_free (g_steal_pointer (&text), FALSE);
}

char *
crash_workload_typed_title (const char *token)
{
  return g_strdup_printf ("Typed %s", token);
}

char *
crash_workload_article_title (const char *token,
                              guint       cycle)
{
  return g_strdup_printf ("Crash article %s %u", token, cycle);
}

char *
crash_workload_article_marker (const char *token,
                               guint       cycle)
{
  return g_strdup_printf ("crashmark-%s-a%u-end", token, cycle);
}

char *
crash_workload_update_marker (const char *token,
                              guint       cycle)
{
  return g_strdup_printf ("crashupdate-%s-a%u-end", token, cycle);
}

char *
crash_workload_upload_name (const char *token,
                            guint       cycle)
{
  return g_strdup_printf ("crash-%s-a%ux.png", token, cycle);
}

char *
crash_workload_upload_alt (guint cycle)
{
  return g_strdup_printf ("Figure %u, après", cycle);
}

char *
crash_workload_comment_text (const char *token,
                             guint       cycle,
                             guint       k)
{
  return g_strdup_printf ("Reader comment %s c%u k%u: a question about the briefing.", token,
                          cycle, k);
}

char *
crash_workload_reply_text (const char *token,
                           guint       cycle)
{
  return g_strdup_printf ("Reply %s c%u: thank you, the transcript is online.", token, cycle);
}

GBytes *
crash_workload_png (void)
{
  static const guint8 png[] = {
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44,
    0x52, 0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03, 0x08, 0x02, 0x00, 0x00, 0x00, 0x3b,
    0x96, 0x39, 0x91, 0x00, 0x00, 0x00, 0x0f, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x60,
    0x30, 0x9e, 0x89, 0x40, 0x38, 0x39, 0x00, 0xb3, 0x73, 0x09, 0x91, 0xb9, 0x3f, 0x12, 0xf6,
    0x00, 0x00, 0x00, 0x00, 0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
  };

  return g_bytes_new_static (png, sizeof png);
}
