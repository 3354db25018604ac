/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-replay.c: runs every file of the folders given through a fuzz target, without libFuzzer.
 *
 * Linked with one fuzz-NAME.c in the ordinary builds (gcc, and the AddressSanitizer build), so
 * that the target's committed corpus, with every input that ever found a bug, is a regression
 * test wherever the tests run. The target's invariants abort on the input that breaks them; a
 * missing or empty folder fails too, so that a corpus cannot silently stop being replayed. */

#include <glib.h>

#include "fuzz-target.h"

/* Only some targets define it: weak, it is NULL for the others. */
#pragma weak LLVMFuzzerInitialize

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

/* The files of @folder, sorted so that runs are in the same order everywhere. */
static GPtrArray *
list_files (const char *folder)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = g_dir_open (folder, 0, &error);
  GPtrArray *paths = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  if (dir == NULL)
    g_error ("fuzz-replay: %s", error->message);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename (folder, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_ptr_array_add (paths, g_steal_pointer (&path));
    }
  g_ptr_array_sort (paths, compare_names);
  return paths;
}

int
main (int    argc,
      char **argv)
{
  guint total = 0;

  if (argc < 2)
    {
      g_printerr ("Usage: %s FOLDER...\n", argv[0]);
      return 2;
    }
  if (LLVMFuzzerInitialize != NULL)
    LLVMFuzzerInitialize (&argc, &argv);

  for (int i = 1; i < argc; i++)
    {
      g_autoptr(GPtrArray) paths = list_files (argv[i]);

      if (paths->len == 0)
        g_error ("fuzz-replay: %s holds no input", argv[i]);
      for (guint j = 0; j < paths->len; j++)
        {
          const char *path = g_ptr_array_index (paths, j);
          g_autoptr(GError) error = NULL;
          g_autofree char *contents = NULL;
          gsize length;

          if (!g_file_get_contents (path, &contents, &length, &error))
            g_error ("fuzz-replay: %s", error->message);
          /* Printed first, so that the input that aborts is the last line of the log. */
          g_print ("%s\n", path);
          LLVMFuzzerTestOneInput ((const uint8_t *) contents, length);
        }
      total += paths->len;
    }
  g_print ("%u inputs replayed\n", total);
  return 0;
}
