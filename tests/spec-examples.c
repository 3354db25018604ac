/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spec-examples.c: the CommonMark and GFM spec examples, read from the shared data.
 *
 * The examples (CC-BY-SA 4.0, see the README beside them) are not copied into this project:
 * the tests read them where CI and developers have them, beside the source tree. */

#include "config.h"

#include <json-glib/json-glib.h>

#include "spec-examples.h"

static char *
examples_path (void)
{
  const char *path = g_getenv ("BYLINE_MARKDOWN_SPEC_EXAMPLES");

  if (path != NULL)
    return g_strdup (path);
  /* Run by hand with G_TEST_SRCDIR set to tests/, as meson test does. */
  return g_test_build_filename (G_TEST_DIST, "..", "..", "shared", "data", "markdown-spec",
                                "examples.json", NULL);
}

static void
spec_example_clear (SpecExample *example)
{
  g_free (example->markdown);
  g_free (example->html);
  g_free (example->suite);
  g_free (example->file);
  g_free (example->section);
}

GArray *
spec_examples_load (GError **error)
{
  g_autofree char *path = examples_path ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local_error = NULL;
  JsonObject *root;
  JsonArray *array;
  GArray *examples;

  if (!json_parser_load_from_file (parser, path, &local_error))
    {
      g_set_error (error, local_error->domain, local_error->code,
                   "The Markdown spec examples could not be read from %s (%s). The tests read "
                   "them from ../shared/data/markdown-spec/ beside the source tree; "
                   "BYLINE_MARKDOWN_SPEC_EXAMPLES may name the file instead.",
                   path, local_error->message);
      return NULL;
    }

  root = json_node_get_object (json_parser_get_root (parser));
  array = json_object_get_array_member (root, "examples");
  examples = g_array_sized_new (FALSE, TRUE, sizeof (SpecExample), json_array_get_length (array));
  g_array_set_clear_func (examples, (GDestroyNotify) spec_example_clear);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);
      SpecExample example = {
        .markdown = g_strdup (json_object_get_string_member (object, "markdown")),
        .html = g_strdup (json_object_get_string_member (object, "html")),
        .suite = g_strdup (json_object_get_string_member (object, "suite")),
        .file = g_strdup (json_object_get_string_member (object, "file")),
        .section = g_strdup (json_object_get_string_member (object, "section")),
        .number = json_object_get_int_member (object, "example"),
        .disabled = json_object_get_boolean_member_with_default (object, "disabled", FALSE),
      };

      g_array_append_val (examples, example);
    }

  return examples;
}
