/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-moderation-wordpress.c: the real app's Comments view, driven by keys under Xvfb, against
 * a real WordPress (run under wordpress/with-wordpress) holding the four DipNote comments: a, s,
 * d, z and r as a moderator presses them, every status read back through the REST API; then
 * decisions made while the site is down, sent once it is back. */

#include "config.h"

#include <sqlite3.h>

#include "byline-comment-store.h"
#include "byline-test-util.h"
#include "byline-wp-client.h"

#define REPLY_TEXT "Thank you, Alivia: the full text of the speech is on state.gov."

typedef struct {
  BylineCommentStore *comments;
  gint64              account_id;
  gint64              remote_id;
  const char         *status;
  sqlite3            *db;
} Expect;

static void
key (const char *wid,
     const char *keys)
{
  byline_test_run_command ("xdotool", "windowfocus", "--sync", wid, NULL);
  byline_test_run_command ("xdotool", "key", "--delay", "60", keys, NULL);
}

static gboolean
has_status (gpointer user_data)
{
  Expect *e = user_data;
  g_autoptr(BylineComment) comment = byline_comment_store_find (e->comments, e->account_id,
                                                                e->remote_id, NULL);
  return comment != NULL && g_strcmp0 (byline_comment_get_status (comment), e->status) == 0;
}

static void
wait_status (Expect     *e,
             gint64      remote_id,
             const char *status)
{
  e->remote_id = remote_id;
  e->status = status;
  if (!byline_test_wait_until (has_status, e, 20000))
    g_error ("Comment %lld did not become %s in the store", (long long) remote_id, status);
}

static int
sql_int (sqlite3    *db,
         const char *sql)
{
  g_autofree char *text = byline_test_sql_text (db, sql);
  return text ? atoi (text) : 0;
}

static gboolean
synced (gpointer user_data)
{
  Expect *e = user_data;
  return sql_int (e->db, "SELECT count (*) FROM comments WHERE status = 'hold'") >= 4;
}

static gboolean
outbox_empty (gpointer user_data)
{
  Expect *e = user_data;
  return sql_int (e->db, "SELECT count (*) FROM comment_actions WHERE state = 0") == 0;
}

static gboolean
send_failed (gpointer user_data)
{
  Expect *e = user_data;
  return sql_int (e->db, "SELECT count (*) FROM comment_actions WHERE state = 0 AND attempts > 0") > 0;
}

static gboolean
reply_made (gpointer user_data)
{
  Expect *e = user_data;
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM comments WHERE parent_id = %lld "
                                          "AND raw = '" REPLY_TEXT "'", (long long) e->remote_id);
  return sql_int (e->db, sql) == 1;
}

static JsonNode *
api_get (BylineWpClient *client,
         const char     *route,
         const char     *query_string)
{
  g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) pairs = g_strsplit (query_string, "&", -1);
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  JsonNode *node;

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq = strchr (pairs[i], '=');
      *eq = '\0';
      g_hash_table_insert (query, pairs[i], eq + 1);
    }
  byline_wp_client_request_async (client, "GET", route, query, NULL, NULL,
                                  byline_test_store_result_cb, &result);
  g_assert_true (byline_test_wait_until (byline_test_has_result, &result, 30000));
  node = byline_wp_client_request_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (result);
  return node;
}

/* What the site says comment @id's status is. */
static char *
site_status (BylineWpClient *client,
             gint64          id)
{
  g_autofree char *route = g_strdup_printf ("/wp/v2/comments/%lld", (long long) id);
  g_autoptr(JsonNode) node = api_get (client, route, "context=edit");

  return g_strdup (json_object_get_string_member (json_node_get_object (node), "status"));
}

static void
testbed (const char *command)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "wordpress", "testbed", NULL);

  byline_test_run_command (script, command, g_getenv ("BYLINE_WP_STATEDIR"), NULL);
}

static void
test_moderate_with_keys (void)
{
  g_autofree char *path = byline_store_dup_default_path ();
  g_autofree char *app = g_test_build_filename (G_TEST_BUILT, "..", "src", "byline", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = byline_store_open (path, &error);
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(BylineCommentStore) comments = NULL;
  g_autoptr(BylineWpClient) client = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GArray) keys = NULL;
  g_autoptr(JsonNode) replies = NULL;
  g_autofree char *wid = NULL;
  BylineCommentFilter pending = { 0 };
  gint64 c[4];
  Expect e = { 0 };
  JsonObject *reply;

  g_assert_no_error (error);
  accounts = byline_accounts_new (store);
  account = byline_test_add_wordpress_account (accounts);
  /* As the Accounts window keeps them from /users/me: the Comments view lists only the sites
   * where the user may moderate. */
  byline_account_set_capabilities (account, BYLINE_ACCOUNT_CAN_MODERATE | BYLINE_ACCOUNT_CAN_PUBLISH);
  byline_accounts_add (accounts, account, g_getenv ("BYLINE_WP_APP_PASSWORD"), &error);
  g_assert_no_error (error);
  comments = byline_comment_store_new (store);
  client = byline_wp_client_new (byline_account_get_api_root (account),
                                 g_getenv ("BYLINE_WP_USER"), g_getenv ("BYLINE_WP_APP_PASSWORD"));
  g_assert_cmpint (sqlite3_open_v2 (path, &e.db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  e.comments = comments;
  e.account_id = byline_account_get_id (account);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, app, NULL);
  g_assert_no_error (error);
  wid = byline_test_find_window ("^Byline$");
  /* The queue is brought in from the start, before the Comments view is ever shown. */
  if (!byline_test_wait_until (synced, &e, 60000))
    {
      if (g_getenv ("BYLINE_TEST_SCREENSHOT_DIR"))
        byline_test_run_command ("import", "-window", "root", "/tmp/shot/fail.png", NULL);
      g_error ("The app did not bring the four held DipNote comments in");
    }
  key (wid, "alt+2");

  /* The Pending view's order, newest first, as the app shows it. */
  pending.account_id = e.account_id;
  pending.view = BYLINE_COMMENT_VIEW_PENDING;
  keys = byline_comment_store_query (comments, &pending, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(BylineComment) comment =
        byline_comment_store_load (comments, g_array_index (keys, BylineCommentKey, i).id, &error);
      g_assert_no_error (error);
      c[i] = byline_comment_get_remote_id (comment);
    }

  /* a on the first; the next one is current at once, so s spams the second, d trashes the
   * third, z brings it back, and r replies to it. */
  key (wid, "a");
  wait_status (&e, c[0], "approved");
  key (wid, "s");
  wait_status (&e, c[1], "spam");
  key (wid, "d");
  wait_status (&e, c[2], "trash");
  key (wid, "z");
  wait_status (&e, c[2], "hold");
  key (wid, "r");
  /* The reply box opens and takes the focus first: keys sent meanwhile could land elsewhere. */
  byline_test_iterate_for (500);
  byline_test_run_command ("xdotool", "type", "--delay", "40", REPLY_TEXT, NULL);
  byline_test_iterate_for (500);
  key (wid, "ctrl+Return");
  e.remote_id = c[2];
  if (!byline_test_wait_until (reply_made, &e, 60000))
    g_error ("The reply typed in the app did not reach the store");
  if (!byline_test_wait_until (outbox_empty, &e, 60000))
    g_error ("The app did not send its decisions");

  {
    g_autofree char *s0 = site_status (client, c[0]);
    g_autofree char *s1 = site_status (client, c[1]);
    g_autofree char *s2 = site_status (client, c[2]);
    g_autofree char *s3 = site_status (client, c[3]);

    g_assert_cmpstr (s0, ==, "approved");
    g_assert_cmpstr (s1, ==, "spam");
    g_assert_cmpstr (s2, ==, "hold");
    g_assert_cmpstr (s3, ==, "hold");
  }
  {
    g_autofree char *query = g_strdup_printf ("parent=%lld&status=any&context=edit", (long long) c[2]);
    replies = api_get (client, "/wp/v2/comments", query);
  }
  g_assert_cmpuint (json_array_get_length (json_node_get_array (replies)), ==, 1);
  reply = json_array_get_object_element (json_node_get_array (replies), 0);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply, "content"), "raw"),
                   ==, REPLY_TEXT);
  g_assert_cmpstr (json_object_get_string_member (reply, "status"), ==, "approved");

  /* The site goes down: two approvals are kept, and sent once it is back. */
  testbed ("web-stop");
  key (wid, "a");
  wait_status (&e, c[2], "approved");
  key (wid, "a");
  wait_status (&e, c[3], "approved");
  if (!byline_test_wait_until (send_failed, &e, 30000))
    g_error ("The app did not try to send while the site was down");
  g_assert_false (outbox_empty (&e));
  testbed ("web-start");
  /* The app retries by itself: after the backoff, on its outbox timer (15 s). */
  if (!byline_test_wait_until (outbox_empty, &e, 90000))
    g_error ("The decisions kept while the site was down were not sent once it was back");
  {
    g_autofree char *s2 = site_status (client, c[2]);
    g_autofree char *s3 = site_status (client, c[3]);

    g_assert_cmpstr (s2, ==, "approved");
    g_assert_cmpstr (s3, ==, "approved");
  }

  key (wid, "ctrl+q");
  g_subprocess_wait_check (process, NULL, &error);
  g_assert_no_error (error);
  sqlite3_close (e.db);
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;

  byline_test_init (&argc, &argv);
  bus = byline_test_start_keyring_keeping_display ();

  g_test_add_func ("/wordpress/moderation/keys", test_moderate_with_keys);

  return byline_test_run_and_stop_bus (bus);
}
