/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-markdown-spec.c: every CommonMark and GitHub-Flavored Markdown spec example, through the
 * renderer that publishes and through md4c's own HTML renderer, against the spec.
 *
 * The examples are read from the shared data beside the source tree (spec-examples.c): a
 * missing file fails the test, it is never skipped. */

#include "config.h"

#include <string.h>

#include <md4c-html.h>

#include "byline-markdown.h"
#include "byline-test-util.h"
#include "spec-examples.h"
#include "spec-normalize.h"

/* md4c-html with the flags Byline's renderer promises: GitHub's dialect, and a UTF-8 byte order
 * mark skipped. Byline must write exactly this. */
#define PARSER_FLAGS   MD_DIALECT_GITHUB
#define RENDERER_FLAGS MD_HTML_FLAG_SKIP_UTF8_BOM

static GArray *examples;

/* Loads the examples, or fails the calling test with a sentence saying what is missing. */
static gboolean
load_examples (void)
{
  g_autoptr(GError) error = NULL;

  if (examples == NULL && (examples = spec_examples_load (&error)) == NULL)
    {
      g_test_message ("%s", error->message);
      g_test_fail ();
      return FALSE;
    }
  return TRUE;
}

static void
append_output_cb (const MD_CHAR *text,
                  MD_SIZE        size,
                  void          *user_data)
{
  g_string_append_len (user_data, text, size);
}

static char *
render_md4c_html (const char *markdown)
{
  GString *html = g_string_new (NULL);

  md_html (markdown, strlen (markdown), append_output_cb, html, PARSER_FLAGS, RENDERER_FLAGS);
  return g_string_free (html, FALSE);
}

static char *
join_blocks (GPtrArray *blocks)
{
  GString *html = g_string_new (NULL);

  for (guint i = 0; i < blocks->len; i++)
    g_string_append (html, ((BylineBlock *) g_ptr_array_index (blocks, i))->html);
  return g_string_free (html, FALSE);
}

static void
describe (GString       *report,
          const SpecExample *example,
          const char    *got)
{
  g_autofree char *markdown = g_strescape (example->markdown, NULL);
  g_autofree char *expected = g_strescape (example->html, NULL);
  g_autofree char *byline = g_strescape (got, NULL);

  g_string_append_printf (report,
                          "\n%s example %" G_GINT64_FORMAT " (%s, %s)\n"
                          "markdown: %s\nexpected: %s\nByline:   %s\n",
                          example->suite, example->number, example->file, example->section,
                          markdown, expected, byline);
}

/* The spec, after the spec's own normalisation: Byline must pass every example that md4c-html
 * passes with the same parser and flags. The counts show the rest. */
static void
test_spec_examples (void)
{
  g_autoptr(GString) regressions = g_string_new (NULL);
  guint both = 0, neither = 0, only_md4c = 0, only_byline = 0, disabled = 0;
  guint per_suite_passed[2] = { 0, 0 }, per_suite_total[2] = { 0, 0 };

  if (!load_examples ())
    return;

  for (guint i = 0; i < examples->len; i++)
    {
      const SpecExample *example = &g_array_index (examples, SpecExample, i);
      g_autofree char *byline = byline_markdown_render_html (example->markdown, -1);
      g_autofree char *md4c = render_md4c_html (example->markdown);
      g_autofree char *expected = spec_normalize_html (example->html);
      g_autofree char *normal_byline = spec_normalize_html (byline);
      g_autofree char *normal_md4c = spec_normalize_html (md4c);
      gboolean byline_passes = g_str_equal (normal_byline, expected);
      gboolean md4c_passes = g_str_equal (normal_md4c, expected);
      guint suite = g_str_equal (example->suite, "commonmark") ? 0 : 1;

      /* cmark-gfm's own runner skips these two (their expected boxes are its choice). */
      if (example->disabled)
        {
          disabled++;
          continue;
        }

      per_suite_total[suite]++;
      per_suite_passed[suite] += byline_passes;
      if (byline_passes && md4c_passes)
        both++;
      else if (!byline_passes && !md4c_passes)
        neither++;
      else if (md4c_passes)
        {
          only_md4c++;
          describe (regressions, example, byline);
        }
      else
        only_byline++;
    }

  g_test_message ("Markdown spec examples: %u, %u disabled (not compared, as cmark-gfm's runner "
                  "does)", examples->len, disabled);
  g_test_message ("passed by Byline and md4c-html: %u; failed by both (md4c 0.4.8's own "
                  "limits): %u; passed by md4c-html only: %u; passed by Byline only: %u",
                  both, neither, only_md4c, only_byline);
  g_test_message ("Byline passes %u of %u CommonMark 0.31.2 examples and %u of %u GFM 0.29 ones",
                  per_suite_passed[0], per_suite_total[0], per_suite_passed[1],
                  per_suite_total[1]);
  g_assert_cmpuint (both + neither + only_md4c + only_byline + disabled, ==, examples->len);

  if (only_md4c > 0)
    {
      g_test_message ("Examples md4c-html passes and Byline does not:%s", regressions->str);
      g_test_fail ();
    }
}

/* What is published is md4c-html's output, byte for byte, and the preview's blocks joined are
 * exactly that: the preview shows what will be published. */
static void
test_same_as_md4c_html (void)
{
  guint differ = 0, split = 0;

  if (!load_examples ())
    return;

  for (guint i = 0; i < examples->len; i++)
    {
      const SpecExample *example = &g_array_index (examples, SpecExample, i);
      g_autofree char *byline = byline_markdown_render_html (example->markdown, -1);
      g_autofree char *md4c = render_md4c_html (example->markdown);
      g_autoptr(GPtrArray) blocks = byline_markdown_render_blocks (example->markdown, -1);
      g_autofree char *joined = join_blocks (blocks);

      if (!g_str_equal (byline, md4c))
        {
          if (differ++ < 5)
            g_test_message ("%s example %" G_GINT64_FORMAT ": published HTML differs from "
                            "md4c-html's:\n%s\n%s", example->suite, example->number, byline, md4c);
        }
      if (!g_str_equal (joined, byline))
        {
          if (split++ < 5)
            g_test_message ("%s example %" G_GINT64_FORMAT ": the preview's blocks joined differ "
                            "from the published HTML:\n%s\n%s", example->suite, example->number,
                            joined, byline);
        }
    }

  g_test_message ("%u of %u examples published differently from md4c-html, %u previewed "
                  "differently from what is published", differ, examples->len, split);
  g_assert_cmpuint (differ, ==, 0);
  g_assert_cmpuint (split, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  byline_test_init (&argc, &argv);

  g_test_add_func ("/core/markdown-spec/examples", test_spec_examples);
  g_test_add_func ("/core/markdown-spec/same-as-md4c-html", test_same_as_md4c_html);

  status = g_test_run ();
  g_clear_pointer (&examples, g_array_unref);
  return status;
}
