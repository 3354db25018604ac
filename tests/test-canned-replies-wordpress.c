/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-canned-replies-wordpress.c: the real app's reply box, driven by keys under Xvfb, against
 * a real WordPress (run under wordpress/with-wordpress): r on a held comment, Ctrl+Shift+R, the
 * list's editor reached by keys (a reply added, written, saved, moved up), the new reply picked
 * by its number, a word of it changed, Ctrl+Return; the reply read back from the site with the
 * commenter's name and the post's title in it, and the change. */

#include "config.h"

#include <sqlite3.h>

#include "byline-comment-store.h"
#include "byline-test-util.h"
#include "byline-wp-client.h"

#define BODY "Hello {name}, <b>your note</b> on “{post}” went to the editors."

typedef struct {
  sqlite3 *db;
  gint64   parent_id;
} Expect;

static void
key (const char *wid,
     const char *keys)
{
  byline_test_run_command ("xdotool", "windowfocus", "--sync", wid, NULL);
  byline_test_run_command ("xdotool", "key", "--delay", "60", keys, NULL);
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
  return sql_int (e->db, "SELECT count (*) FROM comments WHERE status = 'hold'") >= 4 &&
         sql_int (e->db, "SELECT count (*) FROM comment_posts WHERE title != ''") >= 1;
}

static gboolean
reply_sent (gpointer user_data)
{
  Expect *e = user_data;
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM comments WHERE parent_id = %lld",
                                          (long long) e->parent_id);
  return sql_int (e->db, sql) == 1 &&
         sql_int (e->db, "SELECT count (*) FROM comment_actions WHERE state = 0") == 0;
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

static void
test_canned_reply_with_keys (void)
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
  g_autoptr(JsonNode) parent_node = NULL;
  g_autoptr(JsonNode) post_node = NULL;
  g_autoptr(JsonNode) replies = NULL;
  g_autoptr(BylineComment) first = NULL;
  g_autofree char *wid = NULL;
  g_autofree char *editor = NULL;
  g_autofree char *order = NULL;
  g_autofree char *route = NULL;
  g_autofree char *query = NULL;
  g_autofree char *expected = NULL;
  BylineCommentFilter pending = { 0 };
  const char *name, *title;
  JsonObject *reply;
  Expect e = { 0 };

  g_assert_no_error (error);
  accounts = byline_accounts_new (store);
  account = byline_test_add_wordpress_account (accounts);
  byline_account_set_capabilities (account, BYLINE_ACCOUNT_CAN_MODERATE | BYLINE_ACCOUNT_CAN_PUBLISH);
  byline_accounts_add (accounts, account, g_getenv ("BYLINE_WP_APP_PASSWORD"), &error);
  g_assert_no_error (error);
  comments = byline_comment_store_new (store);
  client = byline_wp_client_new (byline_account_get_api_root (account),
                                 g_getenv ("BYLINE_WP_USER"), g_getenv ("BYLINE_WP_APP_PASSWORD"));
  g_assert_cmpint (sqlite3_open_v2 (path, &e.db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, app, NULL);
  g_assert_no_error (error);
  wid = byline_test_find_window ("^Byline$");
  if (!byline_test_wait_until (synced, &e, 60000))
    g_error ("The app did not bring the held DipNote comments and their post in");
  key (wid, "alt+2");

  /* The comment the Pending view shows first, newest first. */
  pending.account_id = byline_account_get_id (account);
  pending.view = BYLINE_COMMENT_VIEW_PENDING;
  keys = byline_comment_store_query (comments, &pending, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (keys->len, >=, 1);
  first = byline_comment_store_load (comments, g_array_index (keys, BylineCommentKey, 0).id, &error);
  g_assert_no_error (error);
  e.parent_id = byline_comment_get_remote_id (first);

  /* What the site says the commenter and the post are called, for the expected text. */
  route = g_strdup_printf ("/wp/v2/comments/%lld", (long long) e.parent_id);
  parent_node = api_get (client, route, "context=edit");
  name = json_object_get_string_member (json_node_get_object (parent_node), "author_name");
  g_clear_pointer (&route, g_free);
  route = g_strdup_printf ("/wp/v2/posts/%lld",
                           (long long) json_object_get_int_member (json_node_get_object (parent_node),
                                                                   "post"));
  post_node = api_get (client, route, "context=edit");
  title = json_object_get_string_member (json_object_get_object_member (json_node_get_object (post_node),
                                                                        "title"), "raw");
  g_assert_cmpstr (name, !=, "");
  g_assert_cmpstr (title, !=, "");

  key (wid, "r");
  /* The reply box opens and takes the focus first: keys sent meanwhile could land elsewhere. */
  byline_test_iterate_for (500);
  key (wid, "ctrl+shift+r");
  byline_test_iterate_for (800);
  byline_test_screenshot ("canned-replies.png");
  /* From the list to its editor: a reply added, written, saved and moved up one, to third. */
  key (wid, "Down");
  key (wid, "e");
  editor = byline_test_find_window ("^Canned Replies$");
  key (editor, "alt+a");
  byline_test_iterate_for (300);
  key (editor, "ctrl+a");
  byline_test_run_command ("xdotool", "type", "--delay", "40", "Forwarded", NULL);
  key (editor, "alt+x");
  key (editor, "ctrl+a");
  byline_test_run_command ("xdotool", "type", "--delay", "40", BODY, NULL);
  key (editor, "alt+s");
  key (editor, "alt+u");
  byline_test_iterate_for (300);
  byline_test_screenshot ("canned-replies-window.png");
  order = byline_test_sql_text (e.db, "SELECT group_concat (title, '|') FROM"
                                " (SELECT title FROM canned_replies ORDER BY position)");
  g_assert_cmpstr (order, ==, "Thank you|Comment policy|Forwarded|Passed on");
  /* A title changed and not saved is saved when the window closes. */
  key (editor, "alt+t");
  key (editor, "End");
  byline_test_run_command ("xdotool", "type", "--delay", "40", " on", NULL);
  key (editor, "Escape");
  byline_test_iterate_for (500);
  g_clear_pointer (&order, g_free);
  order = byline_test_sql_text (e.db, "SELECT group_concat (title, '|') FROM"
                                " (SELECT title FROM canned_replies ORDER BY position)");
  g_assert_cmpstr (order, ==, "Thank you|Comment policy|Forwarded on|Passed on");

  /* The new third one, by its number; then its first word changed. */
  key (wid, "ctrl+shift+r");
  byline_test_iterate_for (500);
  key (wid, "3");
  byline_test_iterate_for (500);
  key (wid, "ctrl+Home");
  for (guint i = 0; i < strlen ("Hello"); i++)
    key (wid, "Delete");
  byline_test_run_command ("xdotool", "type", "--delay", "40", "Hi", NULL);
  byline_test_iterate_for (300);
  byline_test_screenshot ("canned-reply-edited.png");
  key (wid, "ctrl+Return");
  if (!byline_test_wait_until (reply_sent, &e, 60000))
    g_error ("The canned reply did not reach the site");

  query = g_strdup_printf ("parent=%lld&status=any&context=edit", (long long) e.parent_id);
  replies = api_get (client, "/wp/v2/comments", query);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (replies)), ==, 1);
  reply = json_array_get_object_element (json_node_get_array (replies), 0);
  /* Its "Hello" made "Hi"; the markup in it was text typed, and stays as typed. */
  expected = g_strdup_printf ("Hi %s, <b>your note</b> on “%s” went to the editors.", name, title);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (reply, "content"), "raw"),
                   ==, expected);

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

  g_test_add_func ("/wordpress/canned-replies/keys", test_canned_reply_with_keys);

  return byline_test_run_and_stop_bus (bus);
}
