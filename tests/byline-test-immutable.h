/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-test-immutable.h: files made read-only under a running program, for real (Linux only). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A child process that makes files immutable and writable again for a test. */
typedef struct {
  GPid pid;
  int  command_fd;
  int  answer_fd;
} BylineTestImmutableGuard;

/* Sets or clears the immutable attribute of @path; FALSE with errno on failure. */
gboolean    byline_test_set_immutable          (const char                *path,
                                                gboolean                   immutable);
/* Why a file in @dir cannot be made read-only this way here (no privilege, a file system that
 * lacks or does not enforce the attribute), to skip with; NULL when it can. */
const char *byline_test_why_no_immutable       (const char                *dir);
/* Starts the child that guards @paths (which must stay valid until it is finished). */
void        byline_test_immutable_guard_start  (BylineTestImmutableGuard  *guard,
                                                char                     **paths);
/* Makes @paths immutable, through the child. */
void        byline_test_immutable_guard_set    (BylineTestImmutableGuard  *guard);
/* Makes @paths writable again and waits for the child to end. */
void        byline_test_immutable_guard_finish (BylineTestImmutableGuard  *guard);

G_END_DECLS
