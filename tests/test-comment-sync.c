/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-comment-sync.c: bringing a site's comments into the store, against a fake WordPress
 * (wp-fake-comments behind wp-fault-server), with a real store and keyring. */

#include "config.h"

#include <string.h>

#include "byline-accounts.h"
#include "byline-comment-store.h"
#include "byline-comment-sync.h"
#include "byline-moderator.h"
#include "byline-test-util.h"
#include "wp-fake-comments.h"
#include "wp-fault-server.h"

#define COMMENTS "/wp-json/wp/v2/comments"

static GTestDBus *bus;

typedef struct {
  WpFaultServer      *server;
  FakeComments       *site;
  BylineStore        *store;
  BylineAccounts     *accounts;
  BylineCommentStore *comments;
  BylineCommentSync  *sync;
  gint64              account_id;
  guint               n_progress;
  guint               last_fetched;
  guint               last_total;
} Fixture;

static void
on_progress (BylineCommentSync *sync,
             guint              fetched,
             guint              total,
             Fixture           *f)
{
  g_assert_cmpuint (fetched, >=, f->last_fetched);
  f->n_progress++;
  f->last_fetched = fetched;
  f->last_total = total;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = byline_test_make_tmpdir ("comment-sync");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autofree char *api_root = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  f->server = wp_fault_server_new (NULL);
  f->site = fake_comments_new (f->server);
  f->store = byline_store_open (path, &error);
  g_assert_no_error (error);
  f->accounts = byline_accounts_new (f->store);
  f->comments = byline_comment_store_new (f->store);
  f->sync = byline_comment_sync_new (f->comments, f->accounts);
  byline_comment_sync_set_timeout (f->sync, 5);
  g_signal_connect (f->sync, "progress", G_CALLBACK (on_progress), f);

  api_root = g_strconcat (wp_fault_server_get_url (f->server), "/wp-json/", NULL);
  account = byline_account_new (wp_fault_server_get_url (f->server), api_root, "editor");
  byline_accounts_add (f->accounts, account, "abcd EFGH 1234 ijkl", &error);
  g_assert_no_error (error);
  f->account_id = byline_account_get_id (account);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GWeakRef sync_ref;

  /* Nothing may keep the sync alive once its runs are over. */
  g_weak_ref_init (&sync_ref, f->sync);
  g_clear_object (&f->sync);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_null (g_weak_ref_get (&sync_ref));
  g_weak_ref_clear (&sync_ref);
  g_clear_object (&f->comments);
  g_clear_object (&f->accounts);
  g_clear_object (&f->store);
  g_clear_pointer (&f->server, wp_fault_server_free);
  g_clear_pointer (&f->site, fake_comments_free);
}

static gboolean
run (Fixture                *f,
     BylineCommentSyncMode   mode,
     guint                  *n_new_held,
     GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  f->n_progress = f->last_fetched = f->last_total = 0;
  byline_comment_sync_run_async (f->sync, f->account_id, mode, NULL, byline_test_store_result_cb,
                                 &result);
  byline_test_iterate_until_result (&result);
  return byline_comment_sync_run_finish (f->sync, result, n_new_held, error);
}

static guint
count_view (Fixture           *f,
            BylineCommentView  view)
{
  guint counts[BYLINE_COMMENT_N_VIEWS];
  g_autoptr(GError) error = NULL;

  g_assert_true (byline_comment_store_count (f->comments, f->account_id, 0, counts, &error));
  return counts[view];
}

static guint
count_store (Fixture *f)
{
  g_autoptr(GArray) ids = byline_comment_store_list_remote_ids (f->comments, f->account_id, NULL,
                                                                NULL);
  return ids->len;
}

static BylineComment *
find (Fixture *f,
      gint64   remote_id)
{
  return byline_comment_store_find (f->comments, f->account_id, remote_id, NULL);
}

/* A comment the store has from an earlier sync, which the site no longer has. */
static gint64
add_to_store_only (Fixture *f,
                   gint64   id)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *json = g_strdup_printf ("{\"id\":%lld,\"post\":3,\"status\":\"hold\","
                                           "\"author_name\":\"gone\",\"date_gmt\":"
                                           "\"2026-01-01T00:00:30\",\"content\":{\"rendered\":"
                                           "\"<p>x</p>\",\"raw\":\"x\"}}", (long long) id);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(BylineComment) comment = NULL;
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  g_ptr_array_add (list, byline_comment_new_from_json (json_node_get_object (json_parser_get_root (parser))));
  g_assert_true (byline_comment_store_upsert (f->comments, f->account_id, list, NULL, NULL));
  comment = find (f, id);
  return byline_comment_get_id (comment);
}

static void
test_full (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineModerator) moderator = byline_moderator_new (f->comments, f->accounts);
  g_autoptr(BylineComment) kept = NULL, decided = NULL, first = NULL;
  guint n_held = 0, n_pages = 0;
  gint64 id;

  for (gint64 i = 1; i <= 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("reader%lld", (long long) i);
      fake_comments_add (f->site, i, 1 + i % 7, i % 4 == 0 ? "hold" : i % 9 == 0 ? "spam" :
                         "approved", name, (guint) i);
    }
  fake_comments_set_page_overlap (f->site, TRUE);
  /* Deleted on the site since the last sync: 5001 goes, 5002 has a decision waiting. */
  add_to_store_only (f, 5001);
  id = add_to_store_only (f, 5002);
  g_assert_true (byline_moderator_decide (moderator, &id, 1, BYLINE_DECISION_SPAM, &error));
  /* Held on the site, approved here and not sent yet: stays approved. */
  id = add_to_store_only (f, 8);
  g_assert_true (byline_moderator_decide (moderator, &id, 1, BYLINE_DECISION_APPROVE, &error));

  g_assert_true (run (f, BYLINE_COMMENT_SYNC_FULL, &n_held, &error));
  g_assert_no_error (error);

  g_assert_cmpuint (count_store (f), ==, 1001);
  g_assert_null (find (f, 5001));
  kept = find (f, 5002);
  g_assert_nonnull (kept);
  g_assert_cmpstr (byline_comment_get_status (kept), ==, "spam");
  decided = find (f, 8);
  g_assert_cmpstr (byline_comment_get_status (decided), ==, "approved");
  g_assert_cmpstr (byline_comment_get_remote_status (decided), ==, "hold");
  first = find (f, 1);
  g_assert_cmpstr (byline_comment_get_author_name (first), ==, "reader1");
  g_assert_cmpstr (byline_comment_get_date_gmt (first), ==, "2026-01-01T00:01:00");
  g_assert_cmpuint (count_view (f, BYLINE_COMMENT_VIEW_PENDING), ==, 250 - 1);
  g_assert_cmpuint (n_held, ==, 250 - 1);
  for (guint i = 0; i < wp_fault_server_get_n_requests (f->server); i++)
    {
      const WpFaultRequest *request = wp_fault_server_get_request (f->server, i);
      if (g_str_equal (request->path, COMMENTS))
        {
          n_pages++;
          g_assert_nonnull (strstr (request->query, "orderby=id"));
          g_assert_nonnull (strstr (request->query, "status=any"));
          g_assert_nonnull (strstr (request->query, "per_page=100"));
        }
    }
  g_assert_cmpuint (n_pages, ==, 10);
  g_assert_cmpuint (f->n_progress, ==, 10);
  g_assert_cmpuint (f->last_fetched, >=, 1000);
  g_assert_cmpuint (f->last_total, >=, 1000);

  /* Post titles: asked for once, every post at once. */
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "GET", "/wp-json/wp/v2/posts"), ==, 1);
  g_clear_object (&moderator);
}

static void
test_titles (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(BylineComment) comment = NULL;

  fake_comments_add_post (f->site, 4, "Visit to &#8220;Kyiv&#8221;");
  fake_comments_add (f->site, 1, 4, "hold", "ann", 1);
  fake_comments_add (f->site, 2, 4, "approved", "bob", 2);
  fake_comments_add (f->site, 3, 9, "approved", "cy", 3);
  g_assert_true (run (f, BYLINE_COMMENT_SYNC_FULL, NULL, &error));
  g_assert_no_error (error);

  comment = find (f, 1);
  g_assert_cmpstr (byline_comment_get_post_title (comment), ==, "Visit to &#8220;Kyiv&#8221;");
  g_assert_true (g_str_has_suffix (byline_comment_get_post_link (comment), "/?p=4"));
  posts = byline_comment_store_list_posts (f->comments, f->account_id, &error);
  g_assert_cmpuint (posts->len, ==, 2);
  g_assert_cmpint (((BylineCommentPost *) posts->pdata[0])->post_id, ==, 4);
  g_assert_cmpuint (((BylineCommentPost *) posts->pdata[0])->n_comments, ==, 2);
}

static void
test_changes (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineComment) approved = NULL, added = NULL, old = NULL;
  const WpFaultRequest *first = NULL;
  guint n_before, n_held = 0;

  for (gint64 i = 1; i <= 150; i++)
    fake_comments_add (f->site, i, 1, i % 3 == 0 ? "hold" : "approved", "reader", (guint) i * 60);
  g_assert_true (run (f, BYLINE_COMMENT_SYNC_FULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_store (f), ==, 150);
  n_before = wp_fault_server_get_n_requests (f->server);

  /* Meanwhile on the site: a pending one approved, one deleted, an old approved one spammed
   * (not seen until the next full sync), and three new ones, two held. */
  fake_comments_set_status (f->site, 3, "approved");
  fake_comments_delete (f->site, 6);
  fake_comments_set_status (f->site, 1, "spam");
  fake_comments_add (f->site, 151, 1, "hold", "new", 151 * 60);
  fake_comments_add (f->site, 152, 1, "approved", "new", 152 * 60);
  fake_comments_add (f->site, 153, 1, "hold", "new", 153 * 60);

  g_assert_true (run (f, BYLINE_COMMENT_SYNC_CHANGES, &n_held, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_held, ==, 2);

  first = wp_fault_server_get_request (f->server, n_before);
  g_assert_cmpstr (first->path, ==, COMMENTS);
  /* Newest known: 150 hours in; asked with a two-day margin. */
  g_assert_nonnull (strstr (first->query, "after=2026-01-05T06%3A00%3A00") ?
                    strstr (first->query, "after=2026-01-05T06%3A00%3A00") :
                    strstr (first->query, "after=2026-01-05T06:00:00"));
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server) - n_before, <, 10);

  approved = find (f, 3);
  g_assert_cmpstr (byline_comment_get_status (approved), ==, "approved");
  g_assert_null (find (f, 6));
  added = find (f, 153);
  g_assert_cmpstr (byline_comment_get_status (added), ==, "hold");
  old = find (f, 1);
  g_assert_cmpstr (byline_comment_get_status (old), ==, "approved");
  g_assert_cmpuint (count_store (f), ==, 152);
  g_assert_cmpuint (count_view (f, BYLINE_COMMENT_VIEW_PENDING), ==, 50 - 2 + 2);
}

/* A page that fails: the sync says so and forgets nothing. */
static void
test_failing_page (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  for (gint64 i = 1; i <= 500; i++)
    fake_comments_add (f->site, i, 1, "hold", "reader", (guint) i);
  add_to_store_only (f, 9001);
  wp_fault_server_add (f->server, "GET " COMMENTS, wp_fault_response_new_fault (WP_FAULT_SITE));
  wp_fault_server_add (f->server, "GET " COMMENTS, wp_fault_response_new_fault (WP_FAULT_SITE));
  wp_fault_server_add (f->server, "GET " COMMENTS,
                       wp_fault_response_new (500, "text/html", "<h1>Database Error</h1>"));

  g_assert_false (run (f, BYLINE_COMMENT_SYNC_FULL, NULL, &error));
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_SERVER);
  g_assert_nonnull (find (f, 9001));
  g_assert_cmpuint (count_store (f), >=, 201);
  g_assert_cmpuint (count_store (f), <, 501);
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);
  bus = byline_test_start_keyring ();

#define ADD(path, func) \
  g_test_add ("/core/comment-sync/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("full", test_full);
  ADD ("titles", test_titles);
  ADD ("changes", test_changes);
  ADD ("failing-page", test_failing_page);
#undef ADD

  return byline_test_run_and_stop_bus (bus);
}
