/* SPDX-License-Identifier: GPL-3.0-or-later */
/* crash-writer.c: saves a draft over and over until test-crash kills it with SIGKILL.
 *
 * Usage: crash-writer DBPATH. Prints "open" once the store is open (so the session is marked),
 * then "saved N" after save N is committed. The body of iteration N is a pure function of N
 * (byline_test_crash_body (), which test-crash.c also calls), so the parent can tell whole from
 * torn. */

#include "config.h"

#define G_LOG_DOMAIN "crash-writer"

#include <stdio.h>
#include <string.h>

#include "byline-store.h"
#include "byline-test-util.h"

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  guint n = 0;

  if (argc != 2)
    {
      g_printerr ("Usage: %s DBPATH\n", argv[0]);
      return 2;
    }

  store = byline_store_open (argv[1], &error);
  if (store == NULL)
    {
      g_printerr ("crash-writer: %s\n", error->message);
      return 1;
    }
  printf ("open\n");
  fflush (stdout);

  if (!(drafts = byline_store_list_drafts (store, &error)))
    {
      g_printerr ("crash-writer: %s\n", error->message);
      return 1;
    }
  if (drafts->len > 0)
    draft = g_object_ref (g_ptr_array_index (drafts, 0));
  else if (!(draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error)))
    {
      g_printerr ("crash-writer: %s\n", error->message);
      return 1;
    }

  /* Go on from what the last run committed. */
  if (sscanf (byline_draft_get_body (draft), "iteration %u", &n) != 1)
    n = 0;

  for (;;)
    {
      g_autofree char *body = byline_test_crash_body (++n);
      g_autofree char *title = g_strdup_printf ("Crash test %u", n);

      byline_draft_set_title (draft, title);
      byline_draft_set_body (draft, body);
      if (!byline_store_save_draft (store, draft,
                                    n % 2 ? BYLINE_SAVE_AUTOMATIC : BYLINE_SAVE_EXPLICIT,
                                    NULL, &error))
        {
          g_printerr ("crash-writer: save %u: %s\n", n, error->message);
          return 1;
        }
      /* Only now is N known to be committed; a kill between the two leaves N on disk and N - 1
       * reported, which the parent allows. */
      printf ("saved %u\n", n);
      fflush (stdout);
    }
}
