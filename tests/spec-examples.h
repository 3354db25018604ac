/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spec-examples.h: the CommonMark and GFM spec examples, read from the shared data. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct {
  char     *markdown;
  char     *html;     /* what the spec expects */
  char     *suite;    /* "commonmark" or "gfm" */
  char     *file;
  char     *section;
  gint64    number;   /* within its file */
  gboolean  disabled; /* skipped by cmark-gfm's own runner */
} SpecExample;

/* Every example, in file order (an array of SpecExample, which frees them), from
 * ../shared/data/markdown-spec/examples.json beside the source tree, or the file
 * BYLINE_MARKDOWN_SPEC_EXAMPLES names (tests/meson.build sets it). NULL with @error saying
 * where it looked when it cannot be read. */
GArray *spec_examples_load (GError **error);

G_END_DECLS
