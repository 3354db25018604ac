/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-wp-blocks-wordpress.c: a Markdown draft holding every kind of block, published to a real
 * WordPress (Debian's, on loopback, under wordpress/with-wordpress), read back by WordPress's own
 * parse_blocks () and opened in its block editor in a real browser (Debian's Chromium, headless,
 * driven over the DevTools protocol through libsoup's WebSocket client), where every block must
 * be valid; and a post opened from the site that keeps its block comments through an update. */

#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "byline-accounts.h"
#include "byline-publisher.h"
#include "byline-remote-import.h"
#include "byline-test-util.h"
#include "byline-wp-blocks.h"
#include "byline-wp-client.h"
#include "spec-examples.h"

#define PROCESS_TIMEOUT_SECONDS 60
#define BROWSER_TIMEOUT_SECONDS 45

#define ALT_UPLOADED "A navy flag, uploaded before"
#define ALT_WAITING  "A navy flag, uploaded with the post"

static GTestDBus  *bus;
static const char *wp_url;
static const char *wp_user;
static char       *login_password;
static char       *config_name;

/* A 4 × 3 RGB PNG, navy blue. */
static const guint8 tiny_png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03, 0x08, 0x02, 0x00, 0x00, 0x00, 0x3b, 0x96, 0x39,
  0x91, 0x00, 0x00, 0x00, 0x0f, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x60, 0x30, 0x9e, 0x89,
  0x40, 0x38, 0x39, 0x00, 0xb3, 0x73, 0x09, 0x91, 0xb9, 0x3f, 0x12, 0xf6, 0x00, 0x00, 0x00, 0x00,
  0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

/* The top-level blocks of the draft below, in order. */
static const char *const every_kind_names[] = {
  "core/heading", "core/paragraph", "core/more", "core/heading", "core/heading", "core/list",
  "core/list", "core/quote", "core/code", "core/separator", "core/table", "core/image",
  "core/image", "core/html", NULL
};

typedef struct {
  BylineStore     *store;
  BylineAccounts  *accounts;
  BylinePublisher *publisher;
  gint64           account_id;
  BylineWpClient  *client;
} Fixture;

/* A store of its own, as on a computer where Byline was just set up, with the test bed's
 * account. */
static void
open_store (Fixture *f)
{
  g_autofree char *dir = byline_test_make_tmpdir ("wp-blocks");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  f->store = byline_store_open (path, &error);
  g_assert_no_error (error);
  f->accounts = byline_accounts_new (f->store);
  f->publisher = byline_publisher_new (f->store, f->accounts);
  account = byline_test_add_wordpress_account (f->accounts);
  f->account_id = byline_account_get_id (account);
  if (f->client == NULL)
    f->client = byline_wp_client_new (byline_account_get_api_root (account), wp_user,
                                      g_getenv ("BYLINE_WP_APP_PASSWORD"));
}

static void
close_store (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->publisher);
  g_clear_object (&f->accounts);
  g_assert_true (byline_store_close (f->store, &error));
  g_clear_object (&f->store);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  open_store (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  close_store (f);
  g_clear_object (&f->client);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The outbox */

static BylineOutboxEntry *
process_until_settled (Fixture *f,
                       gint64   entry_id)
{
  gint64 deadline = g_get_monotonic_time () + PROCESS_TIMEOUT_SECONDS * G_TIME_SPAN_SECOND;

  for (;;)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      BylineOutboxEntry *entry;

      byline_publisher_process_async (f->publisher, NULL, byline_test_store_result_cb, &result);
      byline_test_wait_for_result (&result, PROCESS_TIMEOUT_SECONDS,
                                   "byline_publisher_process_async");
      if (!byline_publisher_process_finish (f->publisher, result, &error))
        g_error ("Processing the outbox failed: %s", error->message);
      entry = byline_publisher_get_entry (f->publisher, entry_id, &error);
      g_assert_no_error (error);
      if (entry->state != BYLINE_OUTBOX_STATE_PENDING)
        {
          if (entry->state != BYLINE_OUTBOX_STATE_DONE)
            g_error ("Outbox entry %" G_GINT64_FORMAT " did not succeed: %s", entry_id,
                     entry->last_error);
          return entry;
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("Outbox entry %" G_GINT64_FORMAT " still pending: %s", entry_id,
                 entry->last_error);
      byline_outbox_entry_free (entry);
      byline_test_iterate_for (100);
    }
}

static BylineOutboxEntry *
publish (Fixture     *f,
         BylineDraft *draft)
{
  BylinePublishOptions options = { .status = "publish" };
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = byline_publisher_enqueue_publish (f->publisher, draft, f->account_id, &options, &error);
  g_assert_no_error (error);
  return process_until_settled (f, id);
}

static gint64
enqueue_image (Fixture     *f,
               BylineDraft *draft,
               const char  *alt,
               char       **local_address)
{
  g_autoptr(GBytes) png = g_bytes_new_static (tiny_png, sizeof tiny_png);
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = byline_publisher_enqueue_upload (f->publisher, byline_draft_get_id (draft), f->account_id,
                                        png, "navy-flag.png", "image/png", alt, local_address,
                                        &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
save_draft (Fixture     *f,
            BylineDraft *draft)
{
  g_autoptr(GError) error = NULL;
  gint64 modified_at = 0;

  g_assert_true (byline_store_save_draft (f->store, draft, BYLINE_SAVE_EXPLICIT, &modified_at,
                                          &error));
  g_assert_no_error (error);
  byline_draft_set_modified_at (draft, modified_at);
}

/* A Markdown draft holding every kind of block, with two images: one already in the media
 * library (found by its address), one uploaded with the post (its id filled in when sent).
 * Returns the post, with the media ids. */
static gint64
publish_every_kind (Fixture *f,
                    gint64  *uploaded_media,
                    gint64  *waiting_media)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineDraft) draft = byline_store_create_draft (f->store,
                                                            BYLINE_DRAFT_FORMAT_MARKDOWN,
                                                            &error);
  g_autoptr(BylineDraft) reloaded = NULL;
  g_autoptr(BylineOutboxEntry) upload = NULL;
  g_autoptr(BylineOutboxEntry) waiting = NULL;
  g_autoptr(BylineOutboxEntry) post = NULL;
  g_autofree char *first_address = NULL;
  g_autofree char *second_address = NULL;
  g_autofree char *title = g_strdup_printf ("Every kind of block %08x", g_random_int ());
  g_autofree char *body = NULL;
  g_autofree char *with_second = NULL;
  gint64 upload_id, waiting_id;

  g_assert_no_error (error);
  byline_draft_set_title (draft, title);
  save_draft (f, draft);

  upload_id = enqueue_image (f, draft, ALT_UPLOADED, &first_address);
  body = g_strdup_printf (
    "# Every kind of block\n\n"
    "A paragraph with *emphasis*, **strong**, `code`, ~~struck~~ and "
    "[a link](https://example.org/?a=1&b=2 \"A title\"), après coup.\n"
    "A second line  \nafter a hard break.\n\n"
    "<!--more-->\n\n"
    "## A second-level heading\n\n"
    "### A third-level heading\n\n"
    "- One\n- Two\n  1. Two and a half\n  2. Two and three quarters\n- Three\n\n"
    "3. Third\n4. Fourth\n\n"
    "> A quote, *après* coup.\n>\n> Its second paragraph.\n\n"
    "```c\nint first[2] = { 1, 2 }; /* \"<&>\" */\nhttps://example.org/\n```\n\n"
    "---\n\n"
    "| Name | Count |\n|:-----|------:|\n| Flags | 3 |\n| Poles | 2 |\n\n"
    "![" ALT_UPLOADED "](%s)\n", first_address);
  byline_draft_set_body (draft, body);
  save_draft (f, draft);
  upload = process_until_settled (f, upload_id);
  *uploaded_media = upload->remote_id;
  g_assert_cmpint (*uploaded_media, >, 0);

  /* As the editor has it after the upload: the site's address in place of the local one. */
  reloaded = byline_store_load_draft (f->store, byline_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_nonnull (strstr (byline_draft_get_body (reloaded), upload->link));

  waiting_id = enqueue_image (f, reloaded, ALT_WAITING, &second_address);
  with_second = g_strdup_printf ("%s\n![" ALT_WAITING "](%s)\n\n"
                                 "<div class=\"note\">Raw <b>HTML</b>.</div>\n",
                                 byline_draft_get_body (reloaded), second_address);
  byline_draft_set_body (reloaded, with_second);
  save_draft (f, reloaded);

  post = publish (f, reloaded);
  waiting = byline_publisher_get_entry (f->publisher, waiting_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (waiting->state, ==, BYLINE_OUTBOX_STATE_DONE);
  *waiting_media = waiting->remote_id;
  g_assert_cmpint (*waiting_media, >, 0);
  return post->remote_id;
}

/* WordPress's parse_blocks () */

/* The blocks WordPress's parse_blocks () finds in the post, and (when @rendered is not NULL) the
 * post's content as the site shows it. */
static JsonArray *
parse_blocks_on_site (gint64   post_id,
                      char   **rendered)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "wordpress", "parse-blocks.php",
                                                   NULL);
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, post_id);
  const char *argv[] = { "php", script, config_name, wp_url, id, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  int status;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("parse-blocks.php failed: %s", err);
  node = json_from_string (out, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  if (rendered != NULL)
    *rendered = g_strdup (json_object_get_string_member (json_node_get_object (node),
                                                         "rendered"));
  return json_array_ref (json_object_get_array_member (json_node_get_object (node), "blocks"));
}

/* No Classic block: no freeform block, and nothing but white space between blocks. Returns the
 * names of the blocks of @blocks (not of their inner blocks) in order. */
static GPtrArray *
assert_no_freeform (JsonArray *blocks)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < json_array_get_length (blocks); i++)
    {
      JsonObject *block = json_array_get_object_element (blocks, i);
      const char *name = json_object_get_string_member (block, "name");
      const char *html = json_object_get_string_member (block, "html");
      g_autoptr(GPtrArray) inner = NULL;

      if (name == NULL)
        {
          g_autofree char *text = g_strstrip (g_strdup (html));

          if (*text != '\0')
            g_error ("WordPress reads content outside any block (a Classic block): %s", html);
          continue;
        }
      g_assert_cmpstr (name, !=, "core/freeform");
      g_assert_cmpstr (name, !=, "core/missing");
      inner = assert_no_freeform (json_object_get_array_member (block, "inner"));
      g_ptr_array_add (names, (gpointer) name);
    }
  return names;
}

static void
assert_names (GPtrArray         *names,
              const char *const *expected)
{
  g_autofree char *got = NULL;
  g_autofree char *wanted = g_strjoinv (" ", (char **) expected);

  g_ptr_array_add (names, NULL);
  got = g_strjoinv (" ", (char **) names->pdata);
  g_ptr_array_remove_index (names, names->len - 1);
  g_assert_cmpstr (got, ==, wanted);
}

static JsonObject *
block_at (JsonArray *blocks,
          guint      index)
{
  guint seen = 0;

  for (guint i = 0; i < json_array_get_length (blocks); i++)
    {
      JsonObject *block = json_array_get_object_element (blocks, i);

      if (json_object_get_string_member (block, "name") == NULL)
        continue;
      if (seen++ == index)
        return block;
    }
  g_assert_not_reached ();
}

/* The attribute @name of a block parse_blocks () read, which must be there. */
static gint64
block_int_attribute (JsonObject *block,
                     const char *name)
{
  JsonObject *attrs = json_object_get_object_member (block, "attrs");

  if (!json_object_has_member (attrs, name))
    g_error ("The %s block has no \"%s\" attribute", json_object_get_string_member (block, "name"),
             name);
  return json_object_get_int_member (attrs, name);
}

/* A real browser: Chromium over the DevTools protocol */

typedef struct {
  GSubprocess             *process;
  char                    *profile;
  SoupSession             *session;
  SoupWebsocketConnection *socket;
  GHashTable              *replies;  /* id → JsonObject */
  gint64                   next_id;
} Browser;

static void
browser_message_cb (SoupWebsocketConnection *socket,
                    int                      type,
                    GBytes                  *message,
                    Browser                 *browser)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *object;

  if (type != SOUP_WEBSOCKET_DATA_TEXT)
    return;
  node = json_from_string (g_bytes_get_data (message, NULL), NULL);
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return;
  object = json_node_get_object (node);
  /* Replies carry the id of their command; events (none asked for) have none. */
  if (json_object_has_member (object, "id"))
    g_hash_table_insert (browser->replies,
                         GINT_TO_POINTER ((int) json_object_get_int_member (object, "id")),
                         json_object_ref (object));
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_IS_REGULAR);
}

/* In the child, before Chromium starts: it ends when this test ends, even when the test fails
 * before it could stop the browser. */
static void
end_with_test (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

static Browser *
browser_start (void)
{
  Browser *browser = g_new0 (Browser, 1);
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *profile_arg = NULL;
  g_autofree char *port_file = NULL;
  g_autofree char *port_text = NULL;
  g_autofree char *list_url = NULL;
  g_autofree char *list = NULL;
  g_autofree char *page_url = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) targets = NULL;
  guint status;

  browser->profile = byline_test_make_tmpdir ("chromium");
  browser->replies = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) json_object_unref);
  profile_arg = g_strconcat ("--user-data-dir=", browser->profile, NULL);
  port_file = g_build_filename (browser->profile, "DevToolsActivePort", NULL);

  /* Headless as in CI: as root Chromium needs --no-sandbox; a private profile, no first run
   * screens; port 0, the one it chose written to DevToolsActivePort in the profile. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, end_with_test, NULL, NULL);
  browser->process = g_subprocess_launcher_spawn (launcher, &error, "chromium", "--headless=new",
                                                  "--no-sandbox", "--disable-gpu",
                                                  "--no-first-run", "--no-default-browser-check",
                                                  "--disable-extensions",
                                                  "--window-size=1280,1000", profile_arg,
                                                  "--remote-debugging-port=0", "about:blank",
                                                  NULL);
  if (browser->process == NULL)
    g_error ("Chromium did not start (apt-get install chromium): %s", error->message);
  if (!byline_test_wait_until (file_exists, port_file, BROWSER_TIMEOUT_SECONDS * 1000))
    g_error ("Chromium wrote no DevToolsActivePort within %d s", BROWSER_TIMEOUT_SECONDS);
  /* The file is written whole, but may still be empty for a moment. */
  for (guint i = 0; i < 50; i++)
    {
      g_clear_pointer (&port_text, g_free);
      if (g_file_get_contents (port_file, &port_text, NULL, NULL) && strchr (port_text, '\n'))
        break;
      byline_test_iterate_for (100);
    }
  g_assert_nonnull (port_text);
  *strchr (port_text, '\n') = '\0';

  browser->session = soup_session_new_with_options ("timeout", BROWSER_TIMEOUT_SECONDS, NULL);
  list_url = g_strdup_printf ("http://127.0.0.1:%s/json/list", port_text);
  {
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", list_url);
    g_autoptr(GBytes) body = NULL;

    soup_session_send_and_read_async (browser->session, msg, G_PRIORITY_DEFAULT, NULL,
                                      byline_test_store_result_cb, &result);
    byline_test_wait_for_result (&result, BROWSER_TIMEOUT_SECONDS, "Chromium's /json/list");
    body = soup_session_send_and_read_finish (browser->session, result, &error);
    g_assert_no_error (error);
    status = soup_message_get_status (msg);
    g_assert_cmpuint (status, ==, 200);
    list = g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body));
    g_clear_object (&result);
  }
  targets = json_from_string (list, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (targets)); i++)
    {
      JsonObject *target = json_array_get_object_element (json_node_get_array (targets), i);

      if (g_strcmp0 (json_object_get_string_member (target, "type"), "page") == 0)
        {
          page_url = g_strdup (json_object_get_string_member (target, "webSocketDebuggerUrl"));
          break;
        }
    }
  g_assert_nonnull (page_url);

  {
    g_autoptr(SoupMessage) msg = soup_message_new ("GET", page_url);

    soup_session_websocket_connect_async (browser->session, msg, NULL, NULL, G_PRIORITY_DEFAULT,
                                          NULL, byline_test_store_result_cb, &result);
    byline_test_wait_for_result (&result, BROWSER_TIMEOUT_SECONDS, "Chromium's page socket");
    browser->socket = soup_session_websocket_connect_finish (browser->session, result, &error);
    g_assert_no_error (error);
  }
  soup_websocket_connection_set_max_incoming_payload_size (browser->socket, 64 * 1024 * 1024);
  g_signal_connect (browser->socket, "message", G_CALLBACK (browser_message_cb), browser);
  return browser;
}

static void
browser_stop (Browser *browser)
{
  if (browser->socket != NULL)
    soup_websocket_connection_close (browser->socket, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
  g_clear_object (&browser->socket);
  g_clear_object (&browser->session);
  /* Our own child, by its process: Chromium ends its other processes when the browser ends. */
  g_subprocess_send_signal (browser->process, SIGTERM);
  g_subprocess_wait (browser->process, NULL, NULL);
  g_clear_object (&browser->process);
  g_hash_table_unref (browser->replies);
  byline_test_rm_rf (browser->profile);
  g_free (browser->profile);
  g_free (browser);
}

typedef struct {
  Browser *browser;
  gint64   id;
} Waiting;

static gboolean
has_reply (gpointer data)
{
  Waiting *waiting = data;

  return g_hash_table_contains (waiting->browser->replies, GINT_TO_POINTER ((int) waiting->id));
}

/* Sends a DevTools command (@params taken) and returns its reply: its "result", or NULL with
 * @message set to the protocol's error. */
static JsonObject *
browser_call (Browser     *browser,
              const char  *method,
              JsonObject  *params,
              char       **message)
{
  g_autoptr(JsonObject) command = json_object_new ();
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  g_autofree char *text = NULL;
  Waiting waiting = { browser, ++browser->next_id };
  JsonObject *reply;
  JsonObject *result;

  json_object_set_int_member (command, "id", waiting.id);
  json_object_set_string_member (command, "method", method);
  json_object_set_object_member (command, "params", params);
  json_node_set_object (node, command);
  text = json_to_string (node, FALSE);
  soup_websocket_connection_send_text (browser->socket, text);
  if (!byline_test_wait_until (has_reply, &waiting, BROWSER_TIMEOUT_SECONDS * 1000))
    g_error ("Chromium did not answer %s within %d s", method, BROWSER_TIMEOUT_SECONDS);
  reply = g_hash_table_lookup (browser->replies, GINT_TO_POINTER ((int) waiting.id));
  if (json_object_has_member (reply, "error"))
    {
      *message = g_strdup (json_object_get_string_member_with_default (
                             json_object_get_object_member (reply, "error"), "message", "?"));
      result = NULL;
    }
  else
    result = json_object_ref (json_object_get_object_member (reply, "result"));
  g_hash_table_remove (browser->replies, GINT_TO_POINTER ((int) waiting.id));
  return result;
}

/* Runs @expression in the page; its value (a string), or NULL when it threw or the page was
 * between documents. */
static char *
browser_evaluate (Browser    *browser,
                  const char *expression)
{
  JsonObject *params = json_object_new ();
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *message = NULL;
  JsonObject *value;

  json_object_set_string_member (params, "expression", expression);
  json_object_set_boolean_member (params, "returnByValue", TRUE);
  if (!(result = browser_call (browser, "Runtime.evaluate", params, &message)))
    return NULL;
  if (json_object_has_member (result, "exceptionDetails"))
    return NULL;
  value = json_object_get_object_member (result, "result");
  if (g_strcmp0 (json_object_get_string_member_with_default (value, "type", ""), "string") != 0)
    return NULL;
  return g_strdup (json_object_get_string_member (value, "value"));
}

static void
browser_navigate (Browser    *browser,
                  const char *url)
{
  JsonObject *params = json_object_new ();
  g_autoptr(JsonObject) result = NULL;
  g_autofree char *message = NULL;

  json_object_set_string_member (params, "url", url);
  if (!(result = browser_call (browser, "Page.navigate", params, &message)))
    g_error ("Chromium could not go to %s: %s", url, message);
}

/* Waits until @expression (JavaScript) is true in the page. */
static void
browser_wait_for (Browser    *browser,
                  const char *expression,
                  const char *what)
{
  g_autofree char *wrapped = g_strdup_printf ("(() => { try { return String (!!(%s)); } "
                                              "catch (e) { return 'false'; } }) ()", expression);
  gint64 deadline = g_get_monotonic_time () + BROWSER_TIMEOUT_SECONDS * G_TIME_SPAN_SECOND;

  for (;;)
    {
      g_autofree char *value = browser_evaluate (browser, wrapped);

      if (g_strcmp0 (value, "true") == 0)
        return;
      if (g_get_monotonic_time () > deadline)
        {
          g_autofree char *where = browser_evaluate (browser, "location.href");

          g_error ("Chromium: %s not within %d s (at %s)", what, BROWSER_TIMEOUT_SECONDS, where);
        }
      byline_test_iterate_for (200);
    }
}

static char *
js_string (const char *text)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_VALUE);

  json_node_set_string (node, text);
  return json_to_string (node, FALSE);
}

/* Signs in to wp-admin through wp-login.php, as a person does. */
static void
browser_log_in (Browser *browser)
{
  g_autofree char *login_url = g_strconcat (wp_url, "/wp-login.php", NULL);
  g_autofree char *user = js_string (wp_user);
  g_autofree char *password = js_string (login_password);
  g_autofree char *submit = NULL;
  g_autofree char *submitted = NULL;

  browser_navigate (browser, login_url);
  browser_wait_for (browser, "document.readyState === 'complete' && "
                    "document.getElementById ('loginform')", "the login form");
  submit = g_strdup_printf ("document.getElementById ('user_login').value = %s; "
                            "document.getElementById ('user_pass').value = %s; "
                            "document.getElementById ('loginform').submit (); 'sent'",
                            user, password);
  submitted = browser_evaluate (browser, submit);
  g_assert_cmpstr (submitted, ==, "sent");
  browser_wait_for (browser, "location.pathname.indexOf ('/wp-admin') >= 0 && "
                    "document.readyState === 'complete'", "wp-admin after signing in");
}

/* The blocks of post @post_id as the block editor reads them: name, validity and inner blocks,
 * from its data store. */
static JsonArray *
blocks_in_editor (Browser *browser,
                  gint64   post_id)
{
  g_autofree char *edit_url = g_strdup_printf ("%s/wp-admin/post.php?post=%" G_GINT64_FORMAT
                                               "&action=edit", wp_url, post_id);
  g_autofree char *json = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  browser_navigate (browser, edit_url);
  browser_wait_for (browser, "window.wp && wp.data && wp.blocks && "
                    "wp.data.select ('core/block-editor').getBlocks ().length > 0",
                    "the block editor with the post's blocks");
  json = browser_evaluate (browser,
                           "JSON.stringify ((function walk (blocks) {"
                           "  return blocks.map (b => ({ name: b.name, isValid: b.isValid,"
                           "                             attributes: b.attributes,"
                           "                             inner: walk (b.innerBlocks) }));"
                           "}) (wp.data.select ('core/block-editor').getBlocks ()))");
  g_assert_nonnull (json);
  node = json_from_string (json, &error);
  g_assert_no_error (error);
  return json_array_ref (json_node_get_array (node));
}

/* The post's content as stored (content.raw, through the REST API). */
static char *
stored_content (Fixture *f,
                gint64   post_id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GError) error = NULL;

  byline_remote_import_get_post_async (f->client, post_id, NULL, byline_test_store_result_cb,
                                       &result);
  byline_test_wait_for_result (&result, PROCESS_TIMEOUT_SECONDS, "reading the post");
  post = byline_remote_import_get_post_finish (f->client, result, &error);
  g_assert_no_error (error);
  return g_strdup (byline_wp_post_get_content (post));
}

/* The editor, saving the blocks it read (its own serialize () and each block's save ()), writes
 * exactly what was published: every block is as the editor itself makes it, not merely
 * accepted (a block matching an older save () is also valid, and then saved differently). */
static void
assert_editor_saves_same (Fixture *f,
                          Browser *browser,
                          gint64   post_id)
{
  g_autofree char *stored = stored_content (f, post_id);
  g_autofree char *saved = browser_evaluate (browser, "wp.blocks.serialize ("
                                             "wp.data.select ('core/block-editor').getBlocks ())");

  g_assert_nonnull (saved);
  g_assert_cmpstr (saved, ==, stored);
}

/* Every block valid, none Classic or missing; the names of @blocks in order. */
static GPtrArray *
assert_all_valid (JsonArray *blocks)
{
  GPtrArray *names = g_ptr_array_new ();

  for (guint i = 0; i < json_array_get_length (blocks); i++)
    {
      JsonObject *block = json_array_get_object_element (blocks, i);
      const char *name = json_object_get_string_member (block, "name");
      g_autoptr(GPtrArray) inner = NULL;

      if (!json_object_get_boolean_member (block, "isValid"))
        {
          g_autoptr(JsonNode) attributes = json_node_new (JSON_NODE_OBJECT);
          g_autofree char *text = NULL;

          json_node_set_object (attributes, json_object_get_object_member (block, "attributes"));
          text = json_to_string (attributes, FALSE);
          g_error ("The block editor marks a %s block invalid; its attributes: %s", name, text);
        }
      g_assert_cmpstr (name, !=, "core/freeform");
      g_assert_cmpstr (name, !=, "core/missing");
      inner = assert_all_valid (json_object_get_array_member (block, "inner"));
      g_ptr_array_add (names, (gpointer) name);
    }
  return names;
}

/* The tests */

static void
test_every_kind (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(JsonArray) parsed = NULL;
  g_autoptr(JsonArray) edited = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) editor_names = NULL;
  g_autofree char *rendered = NULL;
  JsonArray *inner;
  gint64 uploaded_media, waiting_media;
  gint64 post_id;
  gint64 start;
  Browser *browser;

  post_id = publish_every_kind (f, &uploaded_media, &waiting_media);

  /* WordPress's own parser: every block by its name, no Classic block. */
  parsed = parse_blocks_on_site (post_id, &rendered);
  names = assert_no_freeform (parsed);
  assert_names (names, every_kind_names);
  /* As the site shows it, a line break within a paragraph is white space, as in the preview: in
   * block content WordPress does not turn it into <br /> (wpautop), as it did with plain HTML. */
  g_assert_nonnull (strstr (rendered, "après coup.\nA second line<br>\nafter a hard break."));
  g_assert_cmpint (block_int_attribute (block_at (parsed, 4), "level"), ==, 3);
  /* The nested list is an inner block of the second item. */
  inner = json_object_get_array_member (block_at (parsed, 5), "inner");
  g_assert_cmpstr (json_object_get_string_member (block_at (inner, 1), "name"), ==,
                   "core/list-item");
  g_assert_cmpstr (json_object_get_string_member (
                     block_at (json_object_get_array_member (block_at (inner, 1), "inner"), 0),
                     "name"), ==, "core/list");
  g_assert_true (json_object_get_boolean_member (
                   json_object_get_object_member (block_at (parsed, 6), "attrs"), "ordered"));
  /* The images name their files in the media library. */
  g_assert_cmpint (block_int_attribute (block_at (parsed, 11), "id"), ==, uploaded_media);
  g_assert_cmpint (block_int_attribute (block_at (parsed, 12), "id"), ==, waiting_media);

  /* The block editor, in Chromium: every block valid. */
  start = g_get_monotonic_time ();
  browser = browser_start ();
  browser_log_in (browser);
  edited = blocks_in_editor (browser, post_id);
  g_test_message ("Chromium started, signed in and opened the editor in %.1f s",
                  (g_get_monotonic_time () - start) / 1e6);
  editor_names = assert_all_valid (edited);
  assert_names (editor_names, every_kind_names);
  assert_editor_saves_same (f, browser, post_id);
  browser_stop (browser);
}

/* Markdown that md4c writes in less common ways (entities, quotes in titles, breaks, start 0,
 * deep and loose lists, quotes in quotes, code and headings in a quote, an empty quote, cells
 * with code, raw <br> and nothing, titled and linked images, code with markup, spaces and tabs,
 * a language, a "Read more" with its own text, a page break) is still valid in the block
 * editor. */
static const char edge_cases[] =
  "Setext heading, *with* `code`\n"
  "=============================\n"
  "\n"
  "Quotes \"double\" and 'single', &amp; &lt;tags&gt;, AT&T, 5 > 3 < 4, &copy; &#169; "
  "\\*escaped\\*, an\n"
  "autolink <https://example.org/a?b=1&c=2>, www.example.org, mail@example.org and a\n"
  "[link](<https://example.org/with space> 'single \"quoted\" title').\n"
  "\n"
  "Trailing backslash\\\n"
  "break, and `` code with ` backtick ``.\n"
  "\n"
  "0. Zero\n"
  "1. One\n"
  "\n"
  "- Level one\n"
  "  - Level two\n"
  "    - Level three with [a link](https://example.org/) and "
  "![an image](https://example.org/i.png)\n"
  "- Back\n"
  "\n"
  "- Loose\n"
  "\n"
  "  - Nested under loose\n"
  "\n"
  "> Outer\n"
  ">\n"
  "> > Inner quote\n"
  ">\n"
  "> ```\n"
  "> code in a quote [x]\n"
  "> ```\n"
  ">\n"
  "> ### A heading in a quote\n"
  ">\n"
  "> ---\n"
  "\n"
  ">\n"
  "\n"
  "| Code | Break | Empty |\n"
  "|------|:-----:|-------|\n"
  "| `a|b` | one<br>two | |\n"
  "| **bold** | [l](https://example.org/) | x |\n"
  "\n"
  "![Titled](https://example.org/t.png \"A \\\"title\\\"\")\n"
  "\n"
  "[![Linked image](https://example.org/l.png)](https://example.org/target?x=1&y=2)\n"
  "\n"
  "```\n"
  "<div class=\"x\">&nbsp;</div>\n"
  "   https://example.org/alone   \n"
  "tab\there\n"
  "```\n"
  "\n"
  "~~~js\n"
  "const a = [1, 2];\n"
  "~~~\n"
  "\n"
  "<!--more Keep \"reading\" & <see>-->\n"
  "\n"
  "***\n"
  "\n"
  "<!--nextpage-->\n"
  "\n"
  "Page two.\n";

static const char *const edge_case_names[] = {
  "core/heading", "core/paragraph", "core/paragraph", "core/list", "core/list", "core/quote",
  "core/quote", "core/table", "core/image", "core/image", "core/code", "core/code", "core/more",
  "core/separator", "core/nextpage", "core/paragraph", NULL
};

static void
test_edge_cases (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineDraft) draft = byline_store_create_draft (f->store,
                                                            BYLINE_DRAFT_FORMAT_MARKDOWN,
                                                            &error);
  g_autoptr(BylineOutboxEntry) published = NULL;
  g_autoptr(JsonArray) parsed = NULL;
  g_autoptr(JsonArray) edited = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) editor_names = NULL;
  Browser *browser;

  g_assert_no_error (error);
  byline_draft_set_title (draft, "Edge cases");
  byline_draft_set_body (draft, edge_cases);
  save_draft (f, draft);
  published = publish (f, draft);

  parsed = parse_blocks_on_site (published->remote_id, NULL);
  names = assert_no_freeform (parsed);
  assert_names (names, edge_case_names);

  browser = browser_start ();
  browser_log_in (browser);
  edited = blocks_in_editor (browser, published->remote_id);
  editor_names = assert_all_valid (edited);
  assert_names (editor_names, edge_case_names);
  assert_editor_saves_same (f, browser, published->remote_id);
  browser_stop (browser);
}

/* Every CommonMark and GFM spec example, as block markup, read by the block editor's own parser
 * (wp.blocks.parse) in Chromium: no Classic or missing block, every block but raw HTML valid and
 * saved back by the editor exactly as it was given. An HTML block holds the author's HTML as it
 * is; the editor checks it against the browser's reading of it, so HTML that the browser reads
 * otherwise (an element left open, a stray end tag: the spec has many on purpose) is marked
 * invalid, as in any HTML block. For each such block the test checks that the browser's reading
 * of that HTML, in an HTML block, is valid: the block comments around it are not the cause. */
static void
test_spec_examples (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) examples = spec_examples_load (&error);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) markups = NULL;
  g_autoptr(JsonNode) report = NULL;
  g_autofree char *markups_json = NULL;
  g_autofree char *check = NULL;
  g_autofree char *answer = NULL;
  g_autofree char *new_post_url = g_strconcat (wp_url, "/wp-admin/post-new.php", NULL);
  JsonArray *failed;
  Browser *browser;

  g_assert_no_error (error);
  json_builder_begin_array (builder);
  for (guint i = 0; i < examples->len; i++)
    {
      g_autofree char *markup = byline_wp_blocks_render (
        g_array_index (examples, SpecExample, i).markdown, -1, NULL, NULL);

      json_builder_add_string_value (builder, markup);
    }
  json_builder_end_array (builder);
  markups = json_builder_get_root (builder);
  markups_json = json_to_string (markups, FALSE);

  browser = browser_start ();
  browser_log_in (browser);
  browser_navigate (browser, new_post_url);
  browser_wait_for (browser, "window.wp && wp.blocks && wp.blocks.getBlockType ('core/list-item')",
                    "the block editor's blocks");
  check = g_strdup_printf (
    "(() => {"
    "  let rewrittenHtml = 0;"
    "  const asHtmlBlock = (html) => '<!-- wp:html -->\\n' + html + '\\n<!-- /wp:html -->';"
    "  const failures = %s.map ((markup, index) => {"
    "    const blocks = wp.blocks.parse (markup);"
    "    const problems = [];"
    "    const check = (list) => list.forEach (b => {"
    "      if (b.name === 'core/freeform' || b.name === 'core/missing')"
    "        problems.push (b.name);"
    "      else if (b.name === 'core/html' && !b.isValid) {"
    "        if (wp.blocks.parse (asHtmlBlock (b.attributes.content))[0].isValid)"
    "          rewrittenHtml++;"
    "        else"
    "          problems.push ('core/html invalid even as the browser reads its HTML');"
    "      } else if (!b.isValid)"
    "        problems.push (b.name + ' invalid');"
    "      check (b.innerBlocks);"
    "    });"
    "    check (blocks);"
    "    const again = blocks.map (b => b.name === 'core/html' ? asHtmlBlock (b.originalContent)"
    "                                                           : wp.blocks.serialize ([b]))"
    "                        .join ('\\n\\n');"
    "    if (again !== markup)"
    "      problems.push ('saved otherwise');"
    "    return problems.length ? { index, problems: problems.join (', '), again } : null;"
    "  }).filter (x => x !== null);"
    "  return JSON.stringify ({ failures, rewrittenHtml });"
    "}) ()", markups_json);
  answer = browser_evaluate (browser, check);
  browser_stop (browser);
  g_assert_nonnull (answer);
  report = json_from_string (answer, &error);
  g_assert_no_error (error);
  failed = json_object_get_array_member (json_node_get_object (report), "failures");
  for (guint i = 0; i < json_array_get_length (failed); i++)
    {
      JsonObject *failure = json_array_get_object_element (failed, i);
      const SpecExample *example = &g_array_index (examples, SpecExample,
                                                   json_object_get_int_member (failure, "index"));
      g_autofree char *markup = byline_wp_blocks_render (example->markdown, -1, NULL, NULL);

      g_test_message ("%s example %" G_GINT64_FORMAT " (%s): %s\nsent:  %s\nsaved: %s",
                      example->suite, example->number, example->section,
                      json_object_get_string_member (failure, "problems"), markup,
                      json_object_get_string_member (failure, "again"));
    }
  g_test_message ("%u spec examples: %u not as the editor saves them; %" G_GINT64_FORMAT
                  " HTML blocks whose HTML the browser reads otherwise", examples->len,
                  json_array_get_length (failed),
                  json_object_get_int_member (json_node_get_object (report), "rewrittenHtml"));
  g_assert_cmpuint (json_array_get_length (failed), ==, 0);
}

/* A post written elsewhere (here: published with blocks from another computer's Byline) and
 * opened from the site is an HTML draft holding the block markup as stored (content.raw);
 * edited and updated, its block comments are still there. */
static void
test_remote_keeps_blocks (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineDraft) draft = byline_store_create_draft (f->store,
                                                            BYLINE_DRAFT_FORMAT_MARKDOWN,
                                                            &error);
  g_autoptr(BylineOutboxEntry) published = NULL;
  g_autoptr(BylineOutboxEntry) updated = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(BylineWpPost) after = NULL;
  g_autoptr(BylineDraft) opened = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonArray) parsed = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GString) edited = NULL;
  g_autofree char *title = g_strdup_printf ("Blocks kept %08x", g_random_int ());
  static const char *const expected[] = {
    "core/heading", "core/paragraph", "core/list", NULL
  };

  g_assert_no_error (error);
  byline_draft_set_title (draft, title);
  byline_draft_set_body (draft, "## Kept\n\nThe first version.\n\n- one\n- two\n");
  save_draft (f, draft);
  published = publish (f, draft);
  g_clear_object (&draft);
  close_store (f);
  open_store (f);

  byline_remote_import_get_post_async (f->client, published->remote_id, NULL,
                                       byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, PROCESS_TIMEOUT_SECONDS, "reading the post");
  post = byline_remote_import_get_post_finish (f->client, result, &error);
  g_assert_no_error (error);
  opened = byline_remote_import_open (f->store, f->account_id, post, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (byline_draft_get_format (opened), ==, BYLINE_DRAFT_FORMAT_HTML);
  g_assert_nonnull (strstr (byline_draft_get_body (opened), "<!-- wp:paragraph -->"));

  /* Edited as a person would in the HTML: a word changed inside a block. */
  edited = g_string_new (byline_draft_get_body (opened));
  g_assert_cmpuint (g_string_replace (edited, "The first version.", "The second version.", 1),
                    ==, 1);
  byline_draft_set_body (opened, edited->str);
  save_draft (f, opened);
  updated = publish (f, opened);
  g_assert_cmpint (updated->remote_id, ==, published->remote_id);

  g_clear_object (&result);
  byline_remote_import_get_post_async (f->client, published->remote_id, NULL,
                                       byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, PROCESS_TIMEOUT_SECONDS, "reading the post again");
  after = byline_remote_import_get_post_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_wp_post_get_content (after), ==, edited->str);

  parsed = parse_blocks_on_site (published->remote_id, NULL);
  names = assert_no_freeform (parsed);
  assert_names (names, expected);
}

/* The test bed's state: the editor's normal password (for wp-login.php) and the name of its
 * configuration (for PHP). */
static void
read_state (void)
{
  const char *statedir = g_getenv ("BYLINE_WP_STATEDIR");
  g_autofree char *path = NULL;
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  if (statedir == NULL)
    g_error ("BYLINE_WP_STATEDIR is not set: run this test under tests/wordpress/with-wordpress.");
  path = g_build_filename (statedir, "state.env", NULL);
  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "BYLINE_WP_LOGIN_PASSWORD="))
        login_password = g_strdup (lines[i] + strlen ("BYLINE_WP_LOGIN_PASSWORD="));
      else if (g_str_has_prefix (lines[i], "BYLINE_WP_CONFIG_NAME="))
        config_name = g_strdup (lines[i] + strlen ("BYLINE_WP_CONFIG_NAME="));
    }
  g_assert_nonnull (login_password);
  g_assert_nonnull (config_name);
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);
  bus = byline_test_start_keyring ();

  wp_url = g_getenv ("BYLINE_WP_URL");
  wp_user = g_getenv ("BYLINE_WP_USER");
  if (wp_url == NULL || wp_user == NULL)
    g_error ("BYLINE_WP_URL and BYLINE_WP_USER are not set: run this test under "
             "tests/wordpress/with-wordpress, which stands a WordPress up for it.");
  read_state ();

  g_test_add ("/wordpress/wp-blocks/every-kind", Fixture, NULL, fixture_set_up, test_every_kind,
              fixture_tear_down);
  g_test_add ("/wordpress/wp-blocks/edge-cases", Fixture, NULL, fixture_set_up, test_edge_cases,
              fixture_tear_down);
  g_test_add ("/wordpress/wp-blocks/spec-examples", Fixture, NULL, fixture_set_up,
              test_spec_examples, fixture_tear_down);
  g_test_add ("/wordpress/wp-blocks/remote-keeps-blocks", Fixture, NULL, fixture_set_up,
              test_remote_keeps_blocks, fixture_tear_down);

  return byline_test_run_and_stop_bus (bus);
}
