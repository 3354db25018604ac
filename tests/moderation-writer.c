/* SPDX-License-Identifier: GPL-3.0-or-later */
/* moderation-writer.c: marks every pending comment of a store as spam, as the Comments view
 * does on shift+x then shift+s (byline_moderator_decide_async ()), until test-moderator kills
 * it with SIGKILL while the decision is being written.
 *
 * Usage: moderation-writer DBPATH. Prints "deciding N" once the decision on N comments is
 * taken, then "done" once all of it is in the store. */

#include "config.h"

#define G_LOG_DOMAIN "moderation-writer"

#include <stdio.h>

#include "byline-accounts.h"
#include "byline-comment-store.h"
#include "byline-moderator.h"

static void
decided_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!byline_moderator_decide_finish (BYLINE_MODERATOR (object), result, &error))
    g_printerr ("moderation-writer: %s\n", error->message);
  *(gboolean *) user_data = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(BylineCommentStore) comments = NULL;
  g_autoptr(BylineModerator) moderator = NULL;
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GArray) keys = NULL;
  BylineCommentFilter view = { .view = BYLINE_COMMENT_VIEW_PENDING };
  gboolean done = FALSE;

  if (argc != 2)
    {
      g_printerr ("Usage: %s DBPATH\n", argv[0]);
      return 2;
    }
  if (!(store = byline_store_open (argv[1], &error)))
    {
      g_printerr ("moderation-writer: %s\n", error->message);
      return 1;
    }
  accounts = byline_accounts_new (store);
  if (!(list = byline_accounts_list (accounts, &error)) || list->len == 0)
    {
      g_printerr ("moderation-writer: no account: %s\n", error ? error->message : "");
      return 1;
    }
  view.account_id = byline_account_get_id (g_ptr_array_index (list, 0));
  comments = byline_comment_store_new (store);
  moderator = byline_moderator_new (comments, accounts);
  if (!(keys = byline_comment_store_query (comments, &view, &error)))
    {
      g_printerr ("moderation-writer: %s\n", error->message);
      return 1;
    }

  byline_moderator_decide_async (moderator, &view, (const BylineCommentKey *) (gpointer) keys->data,
                                 keys->len, BYLINE_DECISION_SPAM, decided_cb, &done);
  printf ("deciding %u\n", keys->len);
  fflush (stdout);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
  printf ("done\n");
  fflush (stdout);
  return byline_store_close (store, NULL) ? 0 : 1;
}
