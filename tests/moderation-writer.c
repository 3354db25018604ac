/* SPDX-License-Identifier: GPL-3.0-or-later */
/* moderation-writer.c: marks every pending comment of a store as spam, as the Comments view
 * does on shift+x then shift+s (byline_moderator_decide_async ()), for test-moderator, which
 * either kills it with SIGKILL while the decision is being written, or has it quit then as
 * the application does.
 *
 * Usage: moderation-writer DBPATH PAUSE_AT kill|quit. Prints "deciding N" once the decision on
 * N comments is taken. Once its first PAUSE_AT comments are written (checked between two
 * slices), prints "paused" if its last one is not (otherwise "all written before pausing", and
 * exits): with kill, it then waits for a line on its standard input and goes on writing (to be
 * killed meanwhile); with quit, it closes the moderator and the store as the application's
 * shutdown does, prints "closed" and exits.
 */

#include "config.h"

#define G_LOG_DOMAIN "moderation-writer"

#include <stdio.h>

#include "byline-accounts.h"
#include "byline-comment-store.h"
#include "byline-moderator.h"

typedef struct {
  BylineCommentStore *comments;
  GArray             *keys;
  guint               pause_at;
  gboolean            paused;
} Writer;

static void
decided_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  if (!byline_moderator_decide_finish (BYLINE_MODERATOR (object), result, &error))
    g_printerr ("moderation-writer: %s\n", error->message);
}

static gboolean
is_written (Writer *writer,
            guint   i)
{
  return !byline_comment_store_get_expected (writer->comments,
                                             g_array_index (writer->keys, BylineCommentKey, i).id,
                                             NULL);
}

/* Runs between two slices (its priority is above theirs): the main loop stops here, with the
 * decision written in part. */
static gboolean
check_cb (gpointer user_data)
{
  Writer *writer = user_data;

  if (!is_written (writer, writer->pause_at - 1))
    return G_SOURCE_CONTINUE;
  /* All written by then (PAUSE_AT in the last slice): not mid-way, which the test is told. */
  writer->paused = TRUE;
  return G_SOURCE_REMOVE;
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
  Writer writer = { 0 };
  gboolean quit;

  if (argc != 4 || !(g_str_equal (argv[3], "kill") || g_str_equal (argv[3], "quit")))
    {
      g_printerr ("Usage: %s DBPATH PAUSE_AT kill|quit\n", argv[0]);
      return 2;
    }
  quit = g_str_equal (argv[3], "quit");
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
  writer = (Writer) { comments, keys, (guint) g_ascii_strtoull (argv[2], NULL, 10) };
  if (writer.pause_at == 0 || writer.pause_at >= keys->len)
    {
      g_printerr ("moderation-writer: PAUSE_AT must be between 1 and %u\n", keys->len - 1);
      return 2;
    }

  byline_moderator_decide_async (moderator, &view, (const BylineCommentKey *) (gpointer) keys->data,
                                 keys->len, BYLINE_DECISION_SPAM, decided_cb, NULL);
  printf ("deciding %u\n", keys->len);
  fflush (stdout);
  g_timeout_add (1, check_cb, &writer);
  while (!writer.paused)
    g_main_context_iteration (NULL, TRUE);
  if (is_written (&writer, keys->len - 1))
    {
      printf ("all written before pausing\n");
      return 3;
    }
  printf ("paused\n");
  fflush (stdout);

  if (!quit)
    {
      /* Nothing runs until the test says go; it kills it a moment later, while the rest is
       * being written. */
      char line[8];

      if (fgets (line, sizeof line, stdin) == NULL)
        return 1;
      while (byline_moderator_is_deciding (moderator))
        g_main_context_iteration (NULL, TRUE);
      printf ("done\n");
      fflush (stdout);
      return 0;
    }
  byline_moderator_close (moderator);
  if (!byline_store_close (store, &error))
    {
      g_printerr ("moderation-writer: %s\n", error->message);
      return 1;
    }
  /* What GApplication runs after its shutdown. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  printf ("closed\n");
  fflush (stdout);
  return 0;
}
