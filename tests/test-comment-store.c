/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-comment-store.c: the comments in a real store, and the queue model over a view. */

#include "config.h"

#include <sqlite3.h>

#include "byline-accounts.h"
#include "byline-comment-queue.h"
#include "byline-comment-store.h"
#include "byline-moderator.h"
#include "byline-test-util.h"

static GTestDBus *bus;

typedef struct {
  BylineStore        *store;
  BylineAccounts     *accounts;
  BylineCommentStore *comments;
  BylineModerator    *moderator;
  gint64              account_id;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = byline_test_make_tmpdir ("comment-store");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  f->store = byline_store_open (path, &error);
  g_assert_no_error (error);
  f->accounts = byline_accounts_new (f->store);
  f->comments = byline_comment_store_new (f->store);
  f->moderator = byline_moderator_new (f->comments, f->accounts);
  account = byline_account_new ("http://127.0.0.1:9", "http://127.0.0.1:9/wp-json/", "editor");
  /* The moderator is never asked to send here: no site answers at that address. */
  g_assert_true (byline_accounts_add (f->accounts, account, "abcd EFGH 1234 ijkl", &error));
  g_assert_no_error (error);
  f->account_id = byline_account_get_id (account);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->moderator);
  g_clear_object (&f->comments);
  g_clear_object (&f->accounts);
  g_clear_object (&f->store);
}

static BylineComment *
make (gint64      id,
      gint64      post,
      const char *status,
      const char *name,
      const char *email,
      const char *ip,
      const char *url,
      const char *text,
      gint64      minute)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) date = g_date_time_add_minutes (start, minute);
  g_autofree char *date_text = g_date_time_format (date, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *html = g_markup_printf_escaped ("<p>%s</p>", text);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, id);
  json_builder_set_member_name (b, "post");
  json_builder_add_int_value (b, post);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, status);
  json_builder_set_member_name (b, "author_name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "author_email");
  json_builder_add_string_value (b, email);
  json_builder_set_member_name (b, "author_ip");
  json_builder_add_string_value (b, ip);
  json_builder_set_member_name (b, "author_url");
  json_builder_add_string_value (b, url);
  json_builder_set_member_name (b, "date_gmt");
  json_builder_add_string_value (b, date_text);
  json_builder_set_member_name (b, "content");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rendered");
  json_builder_add_string_value (b, html);
  json_builder_set_member_name (b, "raw");
  json_builder_add_string_value (b, text);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return byline_comment_new_from_json (json_node_get_object (root));
}

static void
upsert (Fixture   *f,
        GPtrArray *list,
        guint     *n_new_held)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (byline_comment_store_upsert (f->comments, f->account_id, list, n_new_held,
                                              &error));
  g_assert_no_error (error);
}

/* Ten comments: 1-4 held, 5-7 approved, 8 spam, 9-10 trash; posts 1 and 2. */
static void
seed (Fixture *f)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  guint n_held = 0;

  g_ptr_array_add (list, make (1, 1, "hold", "Ann", "ann@example.invalid", "10.0.0.1", "", "First!", 1));
  g_ptr_array_add (list, make (2, 1, "hold", "Bob", "bob@example.invalid", "10.0.0.2", "https://bob.example", "100% agree", 2));
  g_ptr_array_add (list, make (3, 2, "hold", "Ann", "ann@example.invalid", "10.0.0.1", "", "snake_case it", 3));
  g_ptr_array_add (list, make (4, 2, "hold", "Cy", "", "10.0.0.3", "", "back\\slash", 4));
  g_ptr_array_add (list, make (5, 1, "approved", "Dee", "dee@example.invalid", "10.0.0.4", "", "Well said", 5));
  g_ptr_array_add (list, make (6, 1, "approved", "Ann", "ann@example.invalid", "10.0.0.1", "", "Again", 6));
  g_ptr_array_add (list, make (7, 2, "approved", "Eve", "eve@example.invalid", "10.0.0.5", "", "Nice", 7));
  g_ptr_array_add (list, make (8, 2, "spam", "Spammer", "spam@example.invalid", "10.6.6.6", "https://pills.example", "Buy pills", 8));
  g_ptr_array_add (list, make (9, 1, "trash", "Troll", "troll@example.invalid", "10.6.6.7", "", "You are wrong", 9));
  g_ptr_array_add (list, make (10, 2, "trash", "Cy", "", "10.0.0.3", "", "oops", 10));
  upsert (f, list, &n_held);
  g_assert_cmpuint (n_held, ==, 4);
}

static gint64
local (Fixture *f,
       gint64   remote_id)
{
  g_autoptr(BylineComment) c = byline_comment_store_find (f->comments, f->account_id, remote_id,
                                                          NULL);
  g_assert_nonnull (c);
  return byline_comment_get_id (c);
}

/* The remote ids a filter shows, in order, as "1,2,3". */
static char *
shown (Fixture                   *f,
       const BylineCommentFilter *filter)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) keys = byline_comment_store_query (f->comments, filter, &error);
  GString *text = g_string_new (NULL);

  g_assert_no_error (error);
  for (guint i = 0; i < keys->len; i++)
    {
      g_autoptr(BylineComment) c = byline_comment_store_load (
        f->comments, g_array_index (keys, BylineCommentKey, i).id, NULL);
      g_string_append_printf (text, "%s%lld", i ? "," : "",
                              (long long) byline_comment_get_remote_id (c));
    }
  return g_string_free (text, FALSE);
}

static void
assert_shown (Fixture           *f,
              BylineCommentView  view,
              gint64             post_id,
              const char        *search,
              gboolean           oldest_first,
              const char        *expected)
{
  BylineCommentFilter filter = { f->account_id, view, post_id, search, oldest_first };
  g_autofree char *text = shown (f, &filter);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_views (Fixture       *f,
            gconstpointer  data)
{
  guint counts[BYLINE_COMMENT_N_VIEWS];
  g_autoptr(GError) error = NULL;

  seed (f);
  assert_shown (f, BYLINE_COMMENT_VIEW_PENDING, 0, NULL, FALSE, "4,3,2,1");
  assert_shown (f, BYLINE_COMMENT_VIEW_PENDING, 0, NULL, TRUE, "1,2,3,4");
  assert_shown (f, BYLINE_COMMENT_VIEW_APPROVED, 0, NULL, FALSE, "7,6,5");
  assert_shown (f, BYLINE_COMMENT_VIEW_SPAM, 0, NULL, FALSE, "8");
  assert_shown (f, BYLINE_COMMENT_VIEW_TRASH, 0, NULL, FALSE, "10,9");
  assert_shown (f, BYLINE_COMMENT_VIEW_ALL, 0, NULL, FALSE, "7,6,5,4,3,2,1");
  assert_shown (f, BYLINE_COMMENT_VIEW_ALL, 2, NULL, FALSE, "7,4,3");
  assert_shown (f, BYLINE_COMMENT_VIEW_PENDING, 1, NULL, TRUE, "1,2");

  /* Search: author, e-mail, address, IP, text; LIKE's own characters are literal. */
  assert_shown (f, BYLINE_COMMENT_VIEW_ALL, 0, "ann", FALSE, "6,3,1");
  assert_shown (f, BYLINE_COMMENT_VIEW_ALL, 0, "bob@", FALSE, "2");
  assert_shown (f, BYLINE_COMMENT_VIEW_SPAM, 0, "pills.example", FALSE, "8");
  assert_shown (f, BYLINE_COMMENT_VIEW_ALL, 0, "10.0.0.3", FALSE, "4");
  assert_shown (f, BYLINE_COMMENT_VIEW_ALL, 0, "well SAID", FALSE, "5");
  assert_shown (f, BYLINE_COMMENT_VIEW_ALL, 0, "100%", FALSE, "2");
  assert_shown (f, BYLINE_COMMENT_VIEW_ALL, 0, "0%", FALSE, "2");
  assert_shown (f, BYLINE_COMMENT_VIEW_ALL, 0, "e_c", FALSE, "3");
  assert_shown (f, BYLINE_COMMENT_VIEW_ALL, 0, "k\\s", FALSE, "4");
  assert_shown (f, BYLINE_COMMENT_VIEW_ALL, 0, "%", FALSE, "2");
  assert_shown (f, BYLINE_COMMENT_VIEW_ALL, 0, "_", FALSE, "3");
  assert_shown (f, BYLINE_COMMENT_VIEW_ALL, 0, "nobody", FALSE, "");

  g_assert_true (byline_comment_store_count (f->comments, f->account_id, 0, counts, &error));
  g_assert_cmpuint (counts[BYLINE_COMMENT_VIEW_PENDING], ==, 4);
  g_assert_cmpuint (counts[BYLINE_COMMENT_VIEW_APPROVED], ==, 3);
  g_assert_cmpuint (counts[BYLINE_COMMENT_VIEW_SPAM], ==, 1);
  g_assert_cmpuint (counts[BYLINE_COMMENT_VIEW_TRASH], ==, 2);
  g_assert_cmpuint (counts[BYLINE_COMMENT_VIEW_ALL], ==, 7);
  g_assert_true (byline_comment_store_count (f->comments, f->account_id, 2, counts, &error));
  g_assert_cmpuint (counts[BYLINE_COMMENT_VIEW_PENDING], ==, 2);
  g_assert_cmpuint (counts[BYLINE_COMMENT_VIEW_ALL], ==, 3);
  /* Another site's comments are not counted. */
  g_assert_true (byline_comment_store_count (f->comments, f->account_id + 1, 0, counts, &error));
  g_assert_cmpuint (counts[BYLINE_COMMENT_VIEW_ALL], ==, 0);
}

static void
test_upsert (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) again = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(BylineComment) one = NULL, two = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id1, id2;
  guint n_held = 99;

  seed (f);
  id1 = local (f, 1);
  id2 = local (f, 2);
  /* Comment 2 approved here, not sent yet. */
  g_assert_true (byline_moderator_decide (f->moderator, &id2, 1, BYLINE_DECISION_APPROVE, &error));

  /* The site says: 1 approved (by someone else) and edited, 2 still held, 11 new and held. */
  g_ptr_array_add (again, make (1, 1, "approved", "Ann", "ann@example.invalid", "10.0.0.1", "", "First! (edited)", 1));
  g_ptr_array_add (again, make (2, 1, "hold", "Bob", "bob@example.invalid", "10.0.0.2", "", "100% agree", 2));
  g_ptr_array_add (again, make (11, 1, "hold", "New", "", "", "", "hello", 11));
  upsert (f, again, &n_held);
  g_assert_cmpuint (n_held, ==, 1);

  one = byline_comment_store_load (f->comments, id1, &error);
  g_assert_cmpstr (byline_comment_get_status (one), ==, "approved");
  g_assert_cmpstr (byline_comment_get_text (one), ==, "First! (edited)");
  g_assert_cmpint (byline_comment_get_id (one), ==, id1);
  two = byline_comment_store_load (f->comments, id2, &error);
  g_assert_cmpstr (byline_comment_get_status (two), ==, "approved");
  g_assert_cmpstr (byline_comment_get_remote_status (two), ==, "hold");
  g_assert_true (byline_comment_get_sending (two));
  g_assert_cmpint (local (f, 11), >, 0);
}

static void
test_remove_unseen (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  gint64 id3;

  seed (f);
  id3 = local (f, 3);
  g_assert_true (byline_moderator_decide (f->moderator, &id3, 1, BYLINE_DECISION_SPAM, &error));
  for (gint64 i = 5; i <= 10; i++)
    g_hash_table_add (seen, g_memdup2 (&i, sizeof i));
  /* 1-4 are gone from the site; 3 has a decision waiting and stays. */
  g_assert_cmpint (byline_comment_store_remove_unseen (f->comments, f->account_id, seen, &error),
                   ==, 3);
  g_assert_no_error (error);
  g_assert_null (byline_comment_store_find (f->comments, f->account_id, 1, NULL));
  g_assert_nonnull (byline_comment_store_find (f->comments, f->account_id, 3, NULL));
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 1);
}

static void
test_by_author (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineComment) ann = NULL, cy = NULL;
  g_autoptr(GPtrArray) others = NULL;

  seed (f);
  ann = byline_comment_store_find (f->comments, f->account_id, 1, NULL);
  others = byline_comment_store_list_by_author (f->comments, ann, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (others->len, ==, 2);
  g_assert_cmpint (byline_comment_get_remote_id (others->pdata[0]), ==, 6);
  g_assert_cmpint (byline_comment_get_remote_id (others->pdata[1]), ==, 3);
  g_clear_pointer (&others, g_ptr_array_unref);
  others = byline_comment_store_list_by_author (f->comments, ann, 1, &error);
  g_assert_cmpuint (others->len, ==, 1);
  g_clear_pointer (&others, g_ptr_array_unref);
  /* No e-mail: by name. */
  cy = byline_comment_store_find (f->comments, f->account_id, 4, NULL);
  others = byline_comment_store_list_by_author (f->comments, cy, 10, &error);
  g_assert_cmpuint (others->len, ==, 1);
  g_assert_cmpint (byline_comment_get_remote_id (others->pdata[0]), ==, 10);
  g_assert_cmpstr (byline_comment_get_status (others->pdata[0]), ==, "trash");
}

/* The queue */

/* After every items-changed, the model must equal a fresh query of its filter. */
typedef struct {
  BylineCommentQueue *queue;
  BylineCommentStore *comments;
  GArray             *mirror;     /* gint64 ids, as the signals described them */
  guint               n_signals;
  gint                last_position;
  guint               last_removed;
  guint               last_added;
} Checker;

static void
checker_items_changed (GListModel *model,
                       guint       position,
                       guint       removed,
                       guint       added,
                       Checker    *c)
{
  g_assert_cmpuint (position + removed, <=, c->mirror->len);
  g_array_remove_range (c->mirror, position, removed);
  for (guint i = 0; i < added; i++)
    {
      gint64 id = byline_comment_queue_get_id (c->queue, position + i);
      g_array_insert_val (c->mirror, position + i, id);
    }
  g_assert_cmpuint (c->mirror->len, ==, g_list_model_get_n_items (model));
  for (guint i = 0; i < c->mirror->len; i++)
    g_assert_cmpint (g_array_index (c->mirror, gint64, i), ==,
                     byline_comment_queue_get_id (c->queue, i));
  c->n_signals++;
  c->last_position = position;
  c->last_removed = removed;
  c->last_added = added;
}

/* Once every signal has come: the model is what a fresh query says. */
static void
checker_assert_fresh (Checker *c)
{
  g_autoptr(GArray) fresh = byline_comment_store_query (c->comments,
                                                        byline_comment_queue_get_filter (c->queue),
                                                        NULL);

  g_assert_cmpuint (fresh->len, ==, g_list_model_get_n_items (G_LIST_MODEL (c->queue)));
  g_assert_cmpuint (c->mirror->len, ==, fresh->len);
  for (guint i = 0; i < fresh->len; i++)
    {
      g_autoptr(BylineComment) item = g_list_model_get_item (G_LIST_MODEL (c->queue), i);

      g_assert_cmpint (g_array_index (fresh, BylineCommentKey, i).id, ==,
                       byline_comment_get_id (item));
      g_assert_cmpint (g_array_index (c->mirror, gint64, i), ==, byline_comment_get_id (item));
    }
}

static void
checker_init (Checker            *c,
              BylineCommentQueue *queue,
              BylineCommentStore *comments)
{
  *c = (Checker) { queue, comments, g_array_new (FALSE, FALSE, sizeof (gint64)) };
  for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (queue)); i++)
    {
      gint64 id = byline_comment_queue_get_id (queue, i);
      g_array_append_val (c->mirror, id);
    }
  g_signal_connect (queue, "items-changed", G_CALLBACK (checker_items_changed), c);
}

static void
test_queue (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(BylineCommentQueue) queue = byline_comment_queue_new (f->comments);
  g_autoptr(GPtrArray) more = g_ptr_array_new_with_free_func (g_object_unref);
  BylineCommentFilter filter = { f->account_id, BYLINE_COMMENT_VIEW_PENDING };
  g_autoptr(GError) error = NULL;
  Checker checker;
  gint64 id;
  gint position;

  seed (f);
  g_assert_true (byline_comment_queue_set_filter (queue, &filter, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 4);
  checker_init (&checker, queue, f->comments);

  /* Approving the comment at position i removes exactly position i. */
  id = local (f, 3);
  position = byline_comment_queue_find (queue, id);
  g_assert_cmpint (position, ==, 1);
  g_assert_true (byline_moderator_decide (f->moderator, &id, 1, BYLINE_DECISION_APPROVE, &error));
  g_assert_cmpuint (checker.n_signals, ==, 1);
  g_assert_cmpint (checker.last_position, ==, 1);
  g_assert_cmpuint (checker.last_removed, ==, 1);
  g_assert_cmpuint (checker.last_added, ==, 0);
  checker_assert_fresh (&checker);

  /* Undo puts it back where it was. */
  g_assert_true (byline_moderator_undo (f->moderator, NULL, &error));
  g_assert_cmpint (byline_comment_queue_find (queue, id), ==, 1);
  checker_assert_fresh (&checker);

  /* Several at once, then a sync's change of everything. */
  {
    gint64 ids[3] = { local (f, 1), local (f, 4), local (f, 5) };
    g_assert_true (byline_moderator_decide (f->moderator, ids, 3, BYLINE_DECISION_SPAM, &error));
    checker_assert_fresh (&checker);
    g_assert_true (byline_moderator_decide (f->moderator, ids, 3, BYLINE_DECISION_UNAPPROVE, &error));
    checker_assert_fresh (&checker);
  }
  g_ptr_array_add (more, make (20, 1, "hold", "Late", "", "", "", "late", 0));
  g_ptr_array_add (more, make (21, 1, "hold", "Mid", "", "", "", "mid", 3));
  g_ptr_array_add (more, make (2, 1, "approved", "Bob", "", "", "", "100% agree", 2));
  upsert (f, more, NULL);
  byline_comment_store_emit_changed (f->comments, f->account_id, NULL);
  checker_assert_fresh (&checker);

  /* Oldest first, a post, a search: each a fresh list. */
  filter.oldest_first = TRUE;
  g_assert_true (byline_comment_queue_set_filter (queue, &filter, &error));
  checker_assert_fresh (&checker);
  id = local (f, 21);
  g_assert_true (byline_moderator_decide (f->moderator, &id, 1, BYLINE_DECISION_TRASH, &error));
  checker_assert_fresh (&checker);
  g_assert_true (byline_moderator_undo (f->moderator, NULL, &error));
  checker_assert_fresh (&checker);
  /* Another site's change is not ours. */
  byline_comment_store_emit_changed (f->comments, f->account_id + 1, NULL);
  checker_assert_fresh (&checker);
  g_array_unref (checker.mirror);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
wait_decided (Fixture       *f,
              GAsyncResult **result)
{
  g_autoptr(GError) error = NULL;

  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (byline_moderator_decide_finish (f->moderator, *result, &error));
  g_assert_no_error (error);
  g_clear_object (result);
}

static void
wait_undone (Fixture       *f,
             GAsyncResult **result)
{
  g_autoptr(GError) error = NULL;

  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (byline_moderator_undo_finish (f->moderator, *result, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (result);
}

static guint
count_of (Fixture           *f,
          BylineCommentView  view)
{
  guint counts[BYLINE_COMMENT_N_VIEWS];
  g_autoptr(GError) error = NULL;

  g_assert_true (byline_comment_store_count (f->comments, f->account_id, 0, counts, &error));
  g_assert_no_error (error);
  return counts[view];
}

#define N_QUEUE_BULK 600

/* A decision on hundreds, written a slice at a time: every view, its count and every comment
 * show it at once, and move again at once on undo; each items-changed agrees with a fresh
 * query all along, also for a view opened while it is written and one under a search. */
static void
test_queue_bulk (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BylineCommentQueue) pending = byline_comment_queue_new (f->comments);
  g_autoptr(BylineCommentQueue) spam = byline_comment_queue_new (f->comments);
  g_autoptr(BylineCommentQueue) searched = byline_comment_queue_new (f->comments);
  g_autoptr(BylineCommentQueue) all = byline_comment_queue_new (f->comments);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (BylineCommentKey));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BylineCommentFilter filter = { f->account_id, BYLINE_COMMENT_VIEW_PENDING };
  BylineCommentFilter search = { f->account_id, BYLINE_COMMENT_VIEW_PENDING, 0, "tenth" };
  Checker checker, spam_checker, search_checker, all_checker;

  for (gint64 i = 1; i <= N_QUEUE_BULK; i++)
    {
      g_autofree char *name = g_strdup_printf ("reader%lld", (long long) i);

      g_ptr_array_add (list, make (100 + i, 1 + i % 2, "hold", name, "", "", "",
                                   i % 10 ? "A comment" : "Every tenth comment", i));
    }
  upsert (f, list, NULL);
  g_assert_true (byline_comment_queue_set_filter (pending, &filter, &error));
  g_assert_true (byline_comment_queue_set_filter (searched, &search, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (searched)), ==, N_QUEUE_BULK / 10);
  checker_init (&checker, pending, f->comments);
  checker_init (&search_checker, searched, f->comments);
  for (guint i = 0; i < N_QUEUE_BULK; i++)
    g_array_append_vals (keys, byline_comment_queue_get_key (pending, i), 1);

  /* Spam on all of them: gone from Pending and counted as spam before any is written. */
  byline_moderator_decide_async (f->moderator, &filter, (const BylineCommentKey *) keys->data,
                                 keys->len, BYLINE_DECISION_SPAM, store_result_cb, &result);
  g_assert_true (byline_moderator_is_deciding (f->moderator));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pending)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (searched)), ==, 0);
  checker_assert_fresh (&checker);
  checker_assert_fresh (&search_checker);
  g_assert_cmpuint (count_of (f, BYLINE_COMMENT_VIEW_PENDING), ==, 0);
  g_assert_cmpuint (count_of (f, BYLINE_COMMENT_VIEW_SPAM), ==, N_QUEUE_BULK);
  {
    g_autoptr(BylineComment) one = byline_comment_store_find (f->comments, f->account_id, 150,
                                                              NULL);
    g_assert_cmpstr (byline_comment_get_status (one), ==, "spam");
    g_assert_true (byline_comment_get_sending (one));
  }
  /* Spam, opened meanwhile, has them all. */
  filter.view = BYLINE_COMMENT_VIEW_SPAM;
  g_assert_true (byline_comment_queue_set_filter (spam, &filter, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (spam)), ==, N_QUEUE_BULK);
  checker_init (&spam_checker, spam, f->comments);
  wait_decided (f, &result);
  g_assert_false (byline_moderator_is_deciding (f->moderator));
  checker_assert_fresh (&checker);
  checker_assert_fresh (&spam_checker);
  checker_assert_fresh (&search_checker);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (spam)), ==, N_QUEUE_BULK);

  /* Undo: back in Pending at once (under the search once written), out of Spam. */
  byline_moderator_undo_async (f->moderator, store_result_cb, &result);
  g_assert_true (byline_moderator_is_deciding (f->moderator));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pending)), ==, N_QUEUE_BULK);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (spam)), ==, 0);
  g_assert_cmpuint (count_of (f, BYLINE_COMMENT_VIEW_PENDING), ==, N_QUEUE_BULK);
  g_assert_cmpuint (count_of (f, BYLINE_COMMENT_VIEW_SPAM), ==, 0);
  checker_assert_fresh (&checker);
  checker_assert_fresh (&spam_checker);
  checker_assert_fresh (&search_checker);
  wait_undone (f, &result);
  checker_assert_fresh (&checker);
  checker_assert_fresh (&spam_checker);
  checker_assert_fresh (&search_checker);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (searched)), ==, N_QUEUE_BULK / 10);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);

  /* Approved in All: they stay, shown approved at once. */
  filter.view = BYLINE_COMMENT_VIEW_ALL;
  g_assert_true (byline_comment_queue_set_filter (all, &filter, &error));
  checker_init (&all_checker, all, f->comments);
  byline_moderator_decide_async (f->moderator, &filter, (const BylineCommentKey *) keys->data,
                                 keys->len, BYLINE_DECISION_APPROVE, store_result_cb, &result);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (all)), ==, N_QUEUE_BULK);
  g_assert_cmpstr (byline_comment_queue_get_key (all, 0)->status, ==, "approved");
  checker_assert_fresh (&all_checker);
  wait_decided (f, &result);
  checker_assert_fresh (&all_checker);
  checker_assert_fresh (&checker);
  g_assert_cmpuint (count_of (f, BYLINE_COMMENT_VIEW_APPROVED), ==, N_QUEUE_BULK);

  g_array_unref (checker.mirror);
  g_array_unref (spam_checker.mirror);
  g_array_unref (search_checker.mirror);
  g_array_unref (all_checker.mirror);
}

static guint
count_in (Fixture           *f,
          gint64             post_id,
          BylineCommentView  view)
{
  guint counts[BYLINE_COMMENT_N_VIEWS];
  g_autoptr(GError) error = NULL;

  g_assert_true (byline_comment_store_count (f->comments, f->account_id, post_id, counts,
                                             &error));
  g_assert_no_error (error);
  return counts[view];
}

#define N_QUEUE_FEW 150

/* A decision on fewer than a view reads again whole (its comments are told one at a time) and
 * more than are written at once: a view under a search and one under a post agree with a fresh
 * query after every change, while it and its undo are written; the counts under a post follow
 * a decision taken with all posts shown. */
static void
test_queue_bulk_narrowed (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(BylineCommentQueue) searched = byline_comment_queue_new (f->comments);
  g_autoptr(BylineCommentQueue) of_post = byline_comment_queue_new (f->comments);
  g_autoptr(BylineCommentQueue) spam_of_post = byline_comment_queue_new (f->comments);
  g_autoptr(BylineCommentQueue) pending = byline_comment_queue_new (f->comments);
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GArray) keys = g_array_new (FALSE, FALSE, sizeof (BylineCommentKey));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BylineCommentFilter all_posts = { f->account_id, BYLINE_COMMENT_VIEW_PENDING };
  BylineCommentFilter search = { f->account_id, BYLINE_COMMENT_VIEW_PENDING, 0, "tenth" };
  BylineCommentFilter post = { f->account_id, BYLINE_COMMENT_VIEW_PENDING, 1 };
  BylineCommentFilter spam_post = { f->account_id, BYLINE_COMMENT_VIEW_SPAM, 1 };
  Checker search_checker, post_checker, spam_post_checker;

  /* Posts 1 and 2 in turn; every tenth says so. */
  for (gint64 i = 1; i <= N_QUEUE_FEW; i++)
    {
      g_autofree char *name = g_strdup_printf ("reader%lld", (long long) i);

      g_ptr_array_add (list, make (100 + i, 1 + i % 2, "hold", name, "", "", "",
                                   i % 10 ? "A comment" : "Every tenth comment", i));
    }
  upsert (f, list, NULL);
  g_assert_true (byline_comment_queue_set_filter (pending, &all_posts, &error));
  g_assert_true (byline_comment_queue_set_filter (searched, &search, &error));
  g_assert_true (byline_comment_queue_set_filter (of_post, &post, &error));
  g_assert_true (byline_comment_queue_set_filter (spam_of_post, &spam_post, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (searched)), ==, N_QUEUE_FEW / 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (of_post)), ==, N_QUEUE_FEW / 2);
  checker_init (&search_checker, searched, f->comments);
  checker_init (&post_checker, of_post, f->comments);
  checker_init (&spam_post_checker, spam_of_post, f->comments);
  for (guint i = 0; i < N_QUEUE_FEW; i++)
    g_array_append_vals (keys, byline_comment_queue_get_key (pending, i), 1);

  /* Spam on all of them, with all posts shown. */
  byline_moderator_decide_async (f->moderator, &all_posts, (const BylineCommentKey *) keys->data,
                                 keys->len, BYLINE_DECISION_SPAM, store_result_cb, &result);
  g_assert_true (byline_moderator_is_deciding (f->moderator));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (searched)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (of_post)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (spam_of_post)), ==, N_QUEUE_FEW / 2);
  checker_assert_fresh (&search_checker);
  checker_assert_fresh (&post_checker);
  checker_assert_fresh (&spam_post_checker);
  /* The counts under the post follow too. */
  g_assert_cmpuint (count_in (f, 1, BYLINE_COMMENT_VIEW_PENDING), ==, 0);
  g_assert_cmpuint (count_in (f, 1, BYLINE_COMMENT_VIEW_SPAM), ==, N_QUEUE_FEW / 2);
  g_assert_cmpuint (count_in (f, 1, BYLINE_COMMENT_VIEW_ALL), ==, 0);
  wait_decided (f, &result);
  checker_assert_fresh (&search_checker);
  checker_assert_fresh (&post_checker);
  checker_assert_fresh (&spam_post_checker);
  g_assert_cmpuint (count_in (f, 1, BYLINE_COMMENT_VIEW_SPAM), ==, N_QUEUE_FEW / 2);

  /* Undo: back under the search and the post at once, as a fresh query has them. */
  byline_moderator_undo_async (f->moderator, store_result_cb, &result);
  g_assert_true (byline_moderator_is_deciding (f->moderator));
  checker_assert_fresh (&search_checker);
  checker_assert_fresh (&post_checker);
  checker_assert_fresh (&spam_post_checker);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (searched)), ==, N_QUEUE_FEW / 10);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (of_post)), ==, N_QUEUE_FEW / 2);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (spam_of_post)), ==, 0);
  g_assert_cmpuint (count_in (f, 1, BYLINE_COMMENT_VIEW_PENDING), ==, N_QUEUE_FEW / 2);
  g_assert_cmpuint (count_in (f, 1, BYLINE_COMMENT_VIEW_SPAM), ==, 0);
  wait_undone (f, &result);
  checker_assert_fresh (&search_checker);
  checker_assert_fresh (&post_checker);
  checker_assert_fresh (&spam_post_checker);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (searched)), ==, N_QUEUE_FEW / 10);
  g_assert_cmpuint (count_in (f, 1, BYLINE_COMMENT_VIEW_PENDING), ==, N_QUEUE_FEW / 2);

  g_array_unref (search_checker.mirror);
  g_array_unref (post_checker.mirror);
  g_array_unref (spam_post_checker.mirror);
}

/* 100,000 comments: the time to show the Pending view and to apply one decision with its
 * model update. Printed, never asserted. */
static void
test_large (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(BylineCommentQueue) queue = byline_comment_queue_new (f->comments);
  BylineCommentFilter filter = { f->account_id, BYLINE_COMMENT_VIEW_PENDING };
  g_autoptr(GError) error = NULL;
  Checker checker;
  gint64 t0, t1, t2, id;
  guint middle;

  for (guint batch = 0; batch < 100; batch++)
    {
      g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = 0; i < 1000; i++)
        {
          gint64 n = batch * 1000 + i + 1;
          g_autofree char *name = g_strdup_printf ("reader%u", (guint) (n % 5000));
          g_ptr_array_add (list, make (n, 1 + n % 300, n % 3 ? "hold" : "approved", name, "", "",
                                       "", "A comment of some length, as readers write them.", n));
        }
      upsert (f, list, NULL);
    }

  t0 = g_get_monotonic_time ();
  g_assert_true (byline_comment_queue_set_filter (queue, &filter, &error));
  t1 = g_get_monotonic_time ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (queue)), ==, 66667);
  checker_init (&checker, queue, f->comments);

  middle = 30000;
  id = byline_comment_queue_get_id (queue, middle);
  t2 = g_get_monotonic_time ();
  g_assert_true (byline_moderator_decide (f->moderator, &id, 1, BYLINE_DECISION_APPROVE, &error));
  g_test_message ("100,000 comments: Pending view (66,667) read in %.1f ms; one approval with its "
                  "model update in %.2f ms", (t1 - t0) / 1000.0,
                  (g_get_monotonic_time () - t2) / 1000.0);
  g_assert_cmpint (checker.last_position, ==, middle);
  g_assert_cmpuint (checker.last_removed, ==, 1);
  g_assert_cmpuint (checker.n_signals, ==, 1);
  g_array_unref (checker.mirror);
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);
  bus = byline_test_start_keyring ();

#define ADD(path, func) \
  g_test_add ("/core/comment-store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("views", test_views);
  ADD ("upsert", test_upsert);
  ADD ("remove-unseen", test_remove_unseen);
  ADD ("by-author", test_by_author);
  ADD ("queue", test_queue);
  ADD ("queue-bulk", test_queue_bulk);
  ADD ("queue-bulk-narrowed", test_queue_bulk_narrowed);
  ADD ("large", test_large);
#undef ADD

  return byline_test_run_and_stop_bus (bus);
}
