/* SPDX-License-Identifier: GPL-3.0-or-later */
/* write-document.c: writes a generated Markdown document of WORDS words to FILE and prints the
 * number (from 0) of a prose paragraph's line near its middle, where the on-screen typing
 * benchmark types. Usage: write-document WORDS FILE */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench-document.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_auto(GStrv) lines = NULL;
  guint n_lines;

  if (argc != 3)
    {
      fprintf (stderr, "usage: write-document WORDS FILE\n");
      return 2;
    }
  body = bench_document_generate ((guint) g_ascii_strtoull (argv[1], NULL, 10));
  if (!g_file_set_contents (argv[2], body, -1, &error))
    {
      fprintf (stderr, "write-document: %s\n", error->message);
      return 1;
    }

  /* A paragraph line is long and starts with a capital letter (not "#", "-", "|" or ">"). */
  lines = g_strsplit (body, "\n", -1);
  n_lines = g_strv_length (lines);
  for (guint line = n_lines / 2; line < n_lines; line++)
    if (strlen (lines[line]) > 300 && g_ascii_isupper (lines[line][0]))
      {
        printf ("%u\n", line);
        return 0;
      }
  fprintf (stderr, "write-document: no prose paragraph in the second half\n");
  return 1;
}
