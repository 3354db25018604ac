/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-wp-client.c: the WordPress client against answers recorded from a real WordPress and
 * against a scripted server that fails in every way a site can. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>

#include "byline-test-util.h"
#include "byline-wp-client.h"
#include "byline-wp-client-private.h"
#include "wp-fault-server.h"

#define USERNAME "editor"
#define PASSWORD "abcd EFGH 1234 ijkl MNOP 5678"
#define MIB (1024 * 1024)

typedef struct {
  WpFaultServer  *server;
  BylineWpClient *client;
  char           *api_root;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = wp_fault_server_new (NULL);
  f->api_root = g_strconcat (wp_fault_server_get_url (f->server), "/wp-json/", NULL);
  f->client = byline_wp_client_new (f->api_root, USERNAME, PASSWORD);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->client);
  /* Let the client's last callbacks (closing streams) run before its server goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&f->server, wp_fault_server_free);
  g_free (f->api_root);
}

static JsonNode *
request (Fixture               *f,
         const char            *method,
         const char            *route,
         GHashTable            *query,
         JsonNode              *body,
         BylineWpResponseInfo  *info,
         GError               **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byline_wp_client_request_async (f->client, method, route, query, body, NULL,
                                  byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  return byline_wp_client_request_finish (f->client, result, info, error);
}

static void
assert_message_has (const GError *error,
                    const char   *fragment)
{
  static const GError *last_shown;

  g_assert_nonnull (error);
  if (error != last_shown)
    g_test_message ("message: %s", error->message);
  last_shown = error;
  if (strstr (error->message, fragment) == NULL)
    g_test_fail_printf ("“%s” is not in the message “%s”", fragment, error->message);
}

static char *
read_response_file (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "wp-responses", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents = NULL;

  g_file_get_contents (path, &contents, NULL, &error);
  g_assert_no_error (error);
  return contents;
}

static JsonNode *
parse_file (const char *name)
{
  g_autofree char *text = read_response_file (name);
  g_autoptr(GError) error = NULL;
  JsonNode *node = json_from_string (text, &error);

  g_assert_no_error (error);
  return node;
}

static char *
expected_authorization (void)
{
  g_autofree char *encoded = g_base64_encode ((const guchar *) USERNAME ":" PASSWORD,
                                              strlen (USERNAME ":" PASSWORD));

  return g_strconcat ("Basic ", encoded, NULL);
}

/* A port on which nothing listens. */
static guint16
closed_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

/* Errors */

static void
test_error_predicates (void)
{
  static const struct {
    BylineWpError code;
    gboolean      retryable;
    gboolean      may_have_applied;
  } cases[] = {
    { BYLINE_WP_ERROR_FAILED, FALSE, FALSE },
    { BYLINE_WP_ERROR_BAD_CREDENTIALS, FALSE, FALSE },
    { BYLINE_WP_ERROR_FORBIDDEN, FALSE, FALSE },
    { BYLINE_WP_ERROR_NOT_FOUND, FALSE, FALSE },
    { BYLINE_WP_ERROR_GONE, FALSE, FALSE },
    { BYLINE_WP_ERROR_CONFLICT, FALSE, FALSE },
    { BYLINE_WP_ERROR_BAD_REQUEST, FALSE, FALSE },
    { BYLINE_WP_ERROR_RATE_LIMITED, TRUE, FALSE },
    { BYLINE_WP_ERROR_SERVER, TRUE, FALSE },
    { BYLINE_WP_ERROR_NETWORK, TRUE, FALSE },
    { BYLINE_WP_ERROR_TIMEOUT, TRUE, TRUE },
    { BYLINE_WP_ERROR_INVALID_RESPONSE, FALSE, FALSE },
    { BYLINE_WP_ERROR_TOO_LARGE, FALSE, FALSE },
    { BYLINE_WP_ERROR_TLS, FALSE, FALSE },
    { BYLINE_WP_ERROR_NOT_WORDPRESS, FALSE, FALSE },
  };
  g_autoptr(GError) other = g_error_new_literal (G_IO_ERROR, BYLINE_WP_ERROR_TIMEOUT, "x");

  g_assert_cmpstr (g_quark_to_string (BYLINE_WP_ERROR), ==, "byline-wp-error-quark");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = g_error_new_literal (BYLINE_WP_ERROR, cases[i].code, "x");

      g_test_message ("code %d", cases[i].code);
      g_assert_cmpint (byline_wp_error_is_retryable (error), ==, cases[i].retryable);
      g_assert_cmpint (byline_wp_error_may_have_applied (error), ==, cases[i].may_have_applied);
    }
  g_assert_false (byline_wp_error_is_retryable (NULL));
  g_assert_false (byline_wp_error_may_have_applied (NULL));
  /* The same number in another domain is not ours. */
  g_assert_false (byline_wp_error_is_retryable (other));
  g_assert_false (byline_wp_error_may_have_applied (other));
}

/* URLs and settings */

static char *
url_for (const char *api_root,
         const char *route,
         const char *first_key,
         ...)
{
  g_autoptr(BylineWpClient) client = byline_wp_client_new (api_root, NULL, NULL);
  g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
  const char *key = first_key;
  va_list args;

  va_start (args, first_key);
  while (key != NULL)
    {
      g_hash_table_insert (query, (gpointer) key, va_arg (args, char *));
      key = va_arg (args, const char *);
    }
  va_end (args);
  return byline_wp_client_build_url (client, route, query);
}

static void
assert_url (char       *url,
            const char *expected)
{
  g_assert_cmpstr (url, ==, expected);
  g_free (url);
}

static void
test_url_pretty (void)
{
  assert_url (url_for ("http://127.0.0.1:8089/wp-json/", "/wp/v2/posts", NULL),
              "http://127.0.0.1:8089/wp-json/wp/v2/posts");
  assert_url (url_for ("http://127.0.0.1:8089/wp-json", "/wp/v2/posts", NULL),
              "http://127.0.0.1:8089/wp-json/wp/v2/posts");
  assert_url (url_for ("https://example.org/blog/wp-json/", "/wp/v2/users/me",
                       "context", "edit", NULL),
              "https://example.org/blog/wp-json/wp/v2/users/me?context=edit");
  /* Keys in order; values escaped but for the commas of a list and slashes. */
  assert_url (url_for ("https://example.org/wp-json/", "/wp/v2/posts",
                       "status", "draft,future", "search", "après & co=1+1", "context", "edit",
                       NULL),
              "https://example.org/wp-json/wp/v2/posts?context=edit"
              "&search=apr%C3%A8s%20%26%20co%3D1%2B1&status=draft,future");
  assert_url (url_for ("not an address", "/wp/v2/posts", NULL), NULL);
  assert_url (url_for ("ftp://example.org/wp-json/", "/wp/v2/posts", NULL), NULL);
}

static void
test_url_rest_route (void)
{
  assert_url (url_for ("http://127.0.0.1:8089/?rest_route=/", "/wp/v2/posts", "context", "edit",
                       NULL),
              "http://127.0.0.1:8089/?rest_route=/wp/v2/posts&context=edit");
  assert_url (url_for ("http://example.org/index.php?rest_route=%2F", "/wp/v2/posts/5", NULL),
              "http://example.org/index.php?rest_route=/wp/v2/posts/5");
  /* The site's own parameters stay, after the route. */
  assert_url (url_for ("https://example.org/?lang=fr&rest_route=/", "/wp/v2/posts", "page", "2",
                       NULL),
              "https://example.org/?rest_route=/wp/v2/posts&lang=fr&page=2");
  assert_url (url_for ("https://example.org/blog/?rest_route=/", "/wp/v2/tags",
                       "search", "a&b", NULL),
              "https://example.org/blog/?rest_route=/wp/v2/tags&search=a%26b");
}

/* The query form reaches the server as ?rest_route=… and works like the pretty one. */
static void
test_url_rest_route_request (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *root = g_strconcat (wp_fault_server_get_url (f->server), "/?rest_route=/", NULL);
  g_autoptr(BylineWpClient) client = byline_wp_client_new (root, USERNAME, PASSWORD);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineWpUser) user = NULL;
  g_autoptr(GError) error = NULL;
  const WpFaultRequest *request;

  wp_fault_server_add_recorded (f->server, "?rest_route=/wp/v2/users/me", "users-me");
  byline_wp_client_get_me_async (client, NULL, byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  user = byline_wp_client_get_me_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (user->username, ==, "editor");

  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 1);
  request = wp_fault_server_get_request (f->server, 0);
  g_assert_cmpstr (request->path, ==, "/");
  g_assert_cmpstr (request->query, ==, "rest_route=/wp/v2/users/me&context=edit");
}

static void
test_insecure (void)
{
  static const struct {
    const char *api_root;
    gboolean    insecure;
  } cases[] = {
    { "http://example.org/wp-json/", TRUE },
    { "http://10.0.0.1/wp-json/", TRUE },
    { "http://localhost.example.org/wp-json/", TRUE },
    { "http://128.0.0.1/wp-json/", TRUE },
    { "https://example.org/wp-json/", FALSE },
    { "http://127.0.0.1:8089/wp-json/", FALSE },
    { "http://127.42.1.2/?rest_route=/", FALSE },
    { "http://[::1]:8080/wp-json/", FALSE },
    { "http://localhost/wp-json/", FALSE },
    { "http://LocalHost:8080/wp-json/", FALSE },
    { "nonsense", TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(BylineWpClient) client = byline_wp_client_new (cases[i].api_root, "u", "p");

      g_test_message ("%s", cases[i].api_root);
      g_assert_cmpint (byline_wp_client_is_insecure (client), ==, cases[i].insecure);
    }
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

static void
test_settings (void)
{
  g_autoptr(BylineWpClient) client = byline_wp_client_new ("https://example.org/wp-json/",
                                                           "editor", "secret");
  guint notifications = 0;

  g_assert_cmpstr (byline_wp_client_get_api_root (client), ==, "https://example.org/wp-json/");
  g_assert_cmpstr (byline_wp_client_get_username (client), ==, "editor");
  g_assert_cmpuint (byline_wp_client_get_timeout (client), ==, 30);
  g_assert_cmpuint (byline_wp_client_get_max_response_size (client), ==, 32 * MIB);

  g_signal_connect (client, "notify", G_CALLBACK (count_notify), &notifications);
  byline_wp_client_set_timeout (client, 5);
  byline_wp_client_set_timeout (client, 5);
  byline_wp_client_set_max_response_size (client, 1000);
  g_assert_cmpuint (byline_wp_client_get_timeout (client), ==, 5);
  g_assert_cmpuint (byline_wp_client_get_max_response_size (client), ==, 1000);
  g_assert_cmpuint (notifications, ==, 2);
}

/* Credentials */

static void
test_auth_every_request (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *authorization = expected_authorization ();
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineWpUser) user = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(BylineWpPost) created = NULL;
  g_autoptr(BylineWpPost) trashed = NULL;
  g_autoptr(BylineWpMedia) media = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GBytes) file = g_bytes_new_static ("\x89PNG\r\n\x1a\n", 8);
  g_autoptr(JsonNode) failed = NULL;
  guint n;

  wp_fault_server_add_recorded (f->server, "/wp-json/wp/v2/users/me", "users-me");
  wp_fault_server_add_recorded (f->server, "GET /wp-json/wp/v2/posts/5", "post-edit");
  wp_fault_server_add_recorded (f->server, "POST /wp-json/wp/v2/posts", "post-created");
  wp_fault_server_add_recorded (f->server, "DELETE /wp-json/wp/v2/posts/9", "post-trashed");
  wp_fault_server_add_recorded (f->server, "/wp-json/wp/v2/media", "media-uploaded");
  wp_fault_server_add_json (f->server, "/wp-json/wp/v2/media/14", 200,
                            "{\"id\":14,\"source_url\":\"http://x/a.png\",\"alt_text\":\"Logo\"}");
  wp_fault_server_add_recorded (f->server, "/wp-json/wp/v2/comments", "not-logged-in");

  byline_wp_client_get_me_async (f->client, NULL, byline_test_store_result_cb, &r1);
  byline_wp_client_get_post_async (f->client, 5, NULL, byline_test_store_result_cb, &r2);
  json_object_set_string_member (fields, "title", "Draft from DipNote");
  byline_wp_client_create_post_async (f->client, fields, NULL, byline_test_store_result_cb, &r3);
  byline_wp_client_delete_post_async (f->client, 9, FALSE, NULL, byline_test_store_result_cb, &r4);
  byline_wp_client_upload_media_async (f->client, file, "logo.png", "image/png", NULL, "Logo", NULL,
                                       byline_test_store_result_cb, &r5);
  byline_wp_client_request_async (f->client, "GET", "/wp/v2/comments", NULL, NULL, NULL,
                                  byline_test_store_result_cb, &r6);
  byline_test_iterate_until_result (&r1);
  byline_test_iterate_until_result (&r2);
  byline_test_iterate_until_result (&r3);
  byline_test_iterate_until_result (&r4);
  byline_test_iterate_until_result (&r5);
  byline_test_iterate_until_result (&r6);

  user = byline_wp_client_get_me_finish (f->client, r1, &error);
  g_assert_no_error (error);
  post = byline_wp_client_get_post_finish (f->client, r2, &error);
  g_assert_no_error (error);
  created = byline_wp_client_create_post_finish (f->client, r3, &error);
  g_assert_no_error (error);
  trashed = byline_wp_client_delete_post_finish (f->client, r4, &error);
  g_assert_no_error (error);
  media = byline_wp_client_upload_media_finish (f->client, r5, &error);
  g_assert_no_error (error);
  failed = byline_wp_client_request_finish (f->client, r6, NULL, &error);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_CREDENTIALS);

  n = wp_fault_server_get_n_requests (f->server);
  g_assert_cmpuint (n, ==, 7);
  for (guint i = 0; i < n; i++)
    {
      const WpFaultRequest *request = wp_fault_server_get_request (f->server, i);

      g_test_message ("%s %s", request->method, request->path);
      g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==,
                       authorization);
      g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Accept"), ==,
                       "application/json");
      g_assert_true (g_str_has_prefix (soup_message_headers_get_one (request->headers,
                                                                     "User-Agent"),
                                       "Byline/"));
    }
}

/* Recorded answers */

static void
test_parse_users_me (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineWpUser) user = NULL;
  g_autoptr(GError) error = NULL;
  const WpFaultRequest *request;

  wp_fault_server_add_recorded (f->server, "/wp-json/wp/v2/users/me", "users-me");
  byline_wp_client_get_me_async (f->client, NULL, byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  user = byline_wp_client_get_me_finish (f->client, result, &error);
  g_assert_no_error (error);

  g_assert_cmpint (user->id, ==, 1);
  g_assert_cmpstr (user->name, ==, "DipNote Editor");
  g_assert_cmpstr (user->username, ==, "editor");
  g_assert_true (user->publish_posts);
  g_assert_true (user->edit_posts);
  g_assert_true (user->upload_files);
  g_assert_true (user->moderate_comments);
  g_assert_true (user->manage_categories);

  request = wp_fault_server_get_request (f->server, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->query, ==, "context=edit");
}

/* A contributor: capabilities it lacks are absent, not false. */
static void
test_parse_users_me_contributor (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineWpUser) user = NULL;
  g_autoptr(GError) error = NULL;

  wp_fault_server_add_json (f->server, "/wp-json/wp/v2/users/me", 200,
                            "{\"id\":7,\"name\":\"Stringer\",\"username\":\"stringer\","
                            "\"capabilities\":{\"edit_posts\":true,\"read\":true}}");
  byline_wp_client_get_me_async (f->client, NULL, byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  user = byline_wp_client_get_me_finish (f->client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (user->id, ==, 7);
  g_assert_true (user->edit_posts);
  g_assert_false (user->publish_posts);
  g_assert_false (user->upload_files);
  g_assert_false (user->moderate_comments);
  g_assert_false (user->manage_categories);
}

static void
assert_post_edit (BylineWpPost *post)
{
  GArray *categories = byline_wp_post_get_categories (post);

  g_assert_cmpint (byline_wp_post_get_id (post), ==, 5);
  g_assert_cmpstr (byline_wp_post_get_status (post), ==, "draft");
  g_assert_cmpstr (byline_wp_post_get_title (post), ==, "Draft from DipNote (edited twice)");
  g_assert_cmpstr (byline_wp_post_get_content (post), ==,
                   "<p>Apres, après: first paragraph.</p>\n<p>Second paragraph.</p>");
  g_assert_cmpstr (byline_wp_post_get_excerpt (post), ==, "");
  g_assert_cmpstr (byline_wp_post_get_slug (post), ==, "");
  g_assert_cmpstr (byline_wp_post_get_generated_slug (post), ==, "draft-from-dipnote-edited-twice");
  g_assert_cmpstr (byline_wp_post_get_link (post), ==, "http://127.0.0.1:8089/?p=5");
  g_assert_cmpstr (byline_wp_post_get_date (post), ==, "2026-11-27T20:19:09");
  g_assert_cmpstr (byline_wp_post_get_date_gmt (post), ==, "2026-11-27T20:19:09");
  g_assert_cmpstr (byline_wp_post_get_modified_gmt (post), ==, "2026-11-27T20:19:09");
  g_assert_cmpuint (categories->len, ==, 1);
  g_assert_cmpint (g_array_index (categories, gint64, 0), ==, 1);
  g_assert_cmpuint (byline_wp_post_get_tags (post)->len, ==, 0);
  g_assert_cmpint (byline_wp_post_get_featured_media (post), ==, 0);
  g_assert_cmpstr (byline_wp_post_get_comment_status (post), ==, "open");
  g_assert_cmpint (byline_wp_post_get_author (post), ==, 1);
  g_assert_true (json_object_has_member (byline_wp_post_get_json (post), "permalink_template"));
}

static void
test_parse_post_edit (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GError) error = NULL;
  const WpFaultRequest *request;

  wp_fault_server_add_recorded (f->server, "/wp-json/wp/v2/posts/5", "post-edit");
  byline_wp_client_get_post_async (f->client, 5, NULL, byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  post = byline_wp_client_get_post_finish (f->client, result, &error);
  g_assert_no_error (error);
  assert_post_edit (post);

  request = wp_fault_server_get_request (f->server, 0);
  g_assert_cmpstr (request->method, ==, "GET");
  g_assert_cmpstr (request->query, ==, "context=edit");
}

static void
test_parse_post_created (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonNode) sent = NULL;
  const WpFaultRequest *request;
  JsonObject *sent_object;

  wp_fault_server_add_recorded (f->server, "POST /wp-json/wp/v2/posts", "post-created");
  json_object_set_string_member (fields, "title", "Draft from DipNote");
  json_object_set_string_member (fields, "content", "<p>Apres, après: first paragraph.</p>");
  json_object_set_string_member (fields, "status", "draft");
  json_object_set_string_member (fields, "slug", "byline-3f2a");
  byline_wp_client_create_post_async (f->client, fields, NULL, byline_test_store_result_cb,
                                      &result);
  byline_test_iterate_until_result (&result);
  post = byline_wp_client_create_post_finish (f->client, result, &error);
  g_assert_no_error (error);

  g_assert_cmpint (byline_wp_post_get_id (post), ==, 5);
  g_assert_cmpstr (byline_wp_post_get_status (post), ==, "draft");
  g_assert_cmpstr (byline_wp_post_get_title (post), ==, "Draft from DipNote");
  g_assert_cmpstr (byline_wp_post_get_content (post), ==, "<p>Apres, après: first paragraph.</p>");
  g_assert_cmpstr (byline_wp_post_get_generated_slug (post), ==, "draft-from-dipnote");
  g_assert_cmpstr (byline_wp_post_get_modified_gmt (post), ==, "2026-11-27T20:19:08");

  /* Sent once, as JSON, with exactly the fields given. */
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", "/wp-json/wp/v2/posts"),
                    ==, 1);
  request = wp_fault_server_get_request (f->server, 0);
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==,
                   "application/json");
  sent = json_from_string (g_bytes_get_data (request->body, NULL), &error);
  g_assert_no_error (error);
  sent_object = json_node_get_object (sent);
  g_assert_cmpuint (json_object_get_size (sent_object), ==, 4);
  g_assert_cmpstr (json_object_get_string_member (sent_object, "content"), ==,
                   "<p>Apres, après: first paragraph.</p>");
  g_assert_cmpstr (json_object_get_string_member (sent_object, "slug"), ==, "byline-3f2a");
}

static void
test_parse_comments (Fixture       *f,
                     gconstpointer  data)
{
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *first;

  wp_fault_server_add_recorded (f->server, "/wp-json/wp/v2/comments", "comments-hold");
  g_hash_table_insert (query, "status", "hold");
  g_hash_table_insert (query, "context", "edit");
  g_hash_table_insert (query, "per_page", "100");
  node = request (f, "GET", "/wp/v2/comments", query, NULL, &info, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (info.status, ==, 200);
  g_assert_cmpint (info.total, ==, 4);
  g_assert_cmpint (info.total_pages, ==, 1);
  g_assert_null (info.wp_code);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 4);
  first = json_array_get_object_element (json_node_get_array (node), 0);
  g_assert_cmpstr (json_object_get_string_member (first, "author_name"), ==, "Ashim C. in India");
  g_assert_cmpstr (wp_fault_server_get_request (f->server, 0)->query, ==,
                   "context=edit&per_page=100&status=hold");
}

static void
test_parse_errors (Fixture       *f,
                   gconstpointer  data)
{
  static const struct {
    const char   *recorded;
    guint         status;
    BylineWpError code;
    const char   *wp_code;
    const char   *sentence;
    const char   *wp_message;
  } cases[] = {
    { "not-logged-in", 401, BYLINE_WP_ERROR_BAD_CREDENTIALS, "rest_not_logged_in",
      "WordPress refused the user name or application password.",
      "WordPress said: “You are not currently logged in.”" },
    { "post-invalid-id", 404, BYLINE_WP_ERROR_NOT_FOUND, "rest_post_invalid_id",
      "could not find it", "“Invalid post ID.”" },
    { "post-already-trashed", 410, BYLINE_WP_ERROR_GONE, "rest_already_trashed",
      "already in the site’s trash", "“The post has already been deleted.”" },
    /* WordPress's own text has an HTML entity, &#8217;. */
    { "comment-duplicate", 409, BYLINE_WP_ERROR_CONFLICT, "comment_duplicate",
      "conflict", "it looks as though you’ve already said that!" },
    { "invalid-param", 400, BYLINE_WP_ERROR_BAD_REQUEST, "rest_invalid_param",
      "WordPress refused what Byline sent.",
      "Invalid parameter(s): status (status is not one of publish, future, draft, pending, and "
      "private.)" },
    { "posts-page-past-end", 400, BYLINE_WP_ERROR_BAD_REQUEST, "rest_post_invalid_page_number",
      "refused", "larger than the number of pages available" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *route = g_strdup_printf ("/wp/v2/case/%u", i);
      g_autofree char *key = g_strconcat ("/wp-json", route, NULL);
      g_auto(BylineWpResponseInfo) info = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      g_test_message ("%s", cases[i].recorded);
      wp_fault_server_add_recorded (f->server, key, cases[i].recorded);
      node = request (f, "GET", route, NULL, NULL, &info, &error);
      g_assert_null (node);
      g_assert_error (error, BYLINE_WP_ERROR, (int) cases[i].code);
      g_assert_cmpuint (info.status, ==, cases[i].status);
      g_assert_cmpstr (info.wp_code, ==, cases[i].wp_code);
      assert_message_has (error, cases[i].sentence);
      assert_message_has (error, cases[i].wp_message);
      g_assert_null (strstr (error->message, "&#"));
      g_assert_false (byline_wp_error_is_retryable (error));
    }
}

static void
assert_post_invalid (const char *json,
                     const char *fragment)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json ? json_from_string (json, &error) : NULL;
  g_autoptr(BylineWpPost) post = NULL;

  g_assert_no_error (error);
  post = byline_wp_post_new_from_json (node, &error);
  g_assert_null (post);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE);
  assert_message_has (error, fragment);
}

/* Edits the recorded post in edit context with @edit (JSON of members to set, or to remove when
 * null) and parses it. */
static BylineWpPost *
parse_edited_post (const char  *edit,
                   GError     **error)
{
  g_autoptr(JsonNode) node = parse_file ("post-edit.json");
  g_autoptr(JsonNode) changes = json_from_string (edit, NULL);
  JsonObject *object = json_node_get_object (node);
  g_autoptr(GList) members = json_object_get_members (json_node_get_object (changes));

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *value = json_object_get_member (json_node_get_object (changes), l->data);

      if (JSON_NODE_HOLDS_NULL (value) && !g_str_equal (l->data, "date_gmt"))
        json_object_remove_member (object, l->data);
      else
        json_object_set_member (object, l->data, json_node_copy (value));
    }
  return byline_wp_post_new_from_json (node, error);
}

static void
test_parse_defensive (void)
{
  static const struct {
    const char *edit;
    const char *fragment;  /* NULL: still a post */
  } cases[] = {
    { "{\"id\":null}", "“id”" },
    { "{\"id\":\"5\"}", "“id”" },
    { "{\"id\":0}", "“id”" },
    { "{\"id\":5.5}", "“id”" },
    { "{\"status\":null}", "“status”" },
    { "{\"status\":3}", "“status”" },
    { "{\"title\":\"plain\"}", "“title”" },
    { "{\"title\":{\"rendered\":\"view context\"}}", "“title.raw”" },
    { "{\"content\":{\"raw\":5}}", "“content.raw”" },
    { "{\"content\":null}", "“content.raw”" },
    { "{\"excerpt\":[]}", "“excerpt”" },
    { "{\"modified_gmt\":null}", "“modified_gmt”" },
    { "{\"modified_gmt\":false}", "“modified_gmt”" },
    { "{\"categories\":[\"1\"]}", "“categories”" },
    { "{\"categories\":{}}", "“categories”" },
    { "{\"tags\":[1,null]}", "“tags”" },
    { "{\"featured_media\":\"0\"}", "“featured_media”" },
    { "{\"author\":true}", "“author”" },
    { "{\"link\":null}", "“link”" },
    /* What a post type may switch off can be missing. */
    { "{\"excerpt\":null,\"comment_status\":null,\"categories\":null,\"tags\":null,"
      "\"featured_media\":null,\"author\":null,\"generated_slug\":null}", NULL },
    /* date_gmt may be null. */
    { "{\"date_gmt\":null}", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BylineWpPost) post = NULL;

      g_test_message ("%s", cases[i].edit);
      post = parse_edited_post (cases[i].edit, &error);
      if (cases[i].fragment == NULL)
        {
          g_assert_no_error (error);
          g_assert_nonnull (post);
          g_assert_cmpstr (byline_wp_post_get_excerpt (post), !=, NULL);
          g_assert_nonnull (byline_wp_post_get_categories (post));
          continue;
        }
      g_assert_null (post);
      g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE);
      assert_message_has (error, cases[i].fragment);
    }

  {
    g_autoptr(GError) error = NULL;
    g_autoptr(BylineWpPost) post = parse_edited_post ("{\"excerpt\":null,\"date_gmt\":null}",
                                                      &error);

    g_assert_no_error (error);
    g_assert_cmpstr (byline_wp_post_get_excerpt (post), ==, "");
    g_assert_cmpstr (byline_wp_post_get_date_gmt (post), ==, "");
  }

  assert_post_invalid (NULL, "not a post");
  assert_post_invalid ("[1,2]", "not a post");
  assert_post_invalid ("\"post\"", "not a post");
  assert_post_invalid ("{}", "“id”");
}

/* Through the client: a wrong shape is INVALID_RESPONSE, never a crash. */
static void
test_parse_defensive_client (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL;
  g_autoptr(GError) e1 = NULL, e2 = NULL, e3 = NULL, e4 = NULL, e5 = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(BylineWpUser) user = NULL;
  g_autoptr(GPtrArray) terms = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GString) deep = g_string_new (NULL);

  wp_fault_server_add_json (f->server, "/wp-json/wp/v2/posts/5", 200, "{\"id\":5}");
  wp_fault_server_add_json (f->server, "/wp-json/wp/v2/posts", 200, "{\"not\":\"a list\"}");
  wp_fault_server_add_json (f->server, "/wp-json/wp/v2/users/me", 200,
                            "{\"id\":1,\"name\":\"A\",\"username\":\"a\","
                            "\"capabilities\":\"all\"}");
  wp_fault_server_add_json (f->server, "/wp-json/wp/v2/tags", 200, "[{\"id\":\"4\"}]");
  /* json-glib's parser recurses per level: this would exhaust the stack. */
  for (guint i = 0; i < 200000; i++)
    g_string_append_c (deep, '[');
  wp_fault_server_add_json (f->server, "/wp-json/deep", 200, deep->str);

  byline_wp_client_get_post_async (f->client, 5, NULL, byline_test_store_result_cb, &r1);
  byline_wp_client_list_posts_async (f->client, NULL, NULL, 0, 0, NULL, NULL,
                                     byline_test_store_result_cb, &r2);
  byline_wp_client_get_me_async (f->client, NULL, byline_test_store_result_cb, &r3);
  byline_wp_client_list_terms_async (f->client, "tags", NULL, 0, 0, NULL,
                                     byline_test_store_result_cb, &r4);
  byline_test_iterate_until_result (&r1);
  byline_test_iterate_until_result (&r2);
  byline_test_iterate_until_result (&r3);
  byline_test_iterate_until_result (&r4);

  post = byline_wp_client_get_post_finish (f->client, r1, &e1);
  g_assert_error (e1, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE);
  assert_message_has (e1, "“status”");
  posts = byline_wp_client_list_posts_finish (f->client, r2, NULL, &e2);
  g_assert_error (e2, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE);
  user = byline_wp_client_get_me_finish (f->client, r3, &e3);
  g_assert_error (e3, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE);
  terms = byline_wp_client_list_terms_finish (f->client, r4, NULL, &e4);
  g_assert_error (e4, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE);
  g_assert_null (post);
  g_assert_null (posts);
  g_assert_null (user);
  g_assert_null (terms);

  node = request (f, "GET", "/deep", NULL, NULL, NULL, &e5);
  g_assert_null (node);
  g_assert_error (e5, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE);
}

/* Typed calls */

static void
test_list_posts (Fixture       *f,
                 gconstpointer  data)
{
  static const char * const statuses[] = { "draft", "future", "publish", NULL };
  g_autofree char *created = read_response_file ("post-created.json");
  g_autofree char *edited = read_response_file ("post-edit.json");
  g_autofree char *body = g_strdup_printf ("[%s,%s]", created, edited);
  g_autoptr(WpFaultResponse) response = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GError) error = NULL;

  response = wp_fault_response_new (200, "application/json; charset=UTF-8", body);
  wp_fault_response_add_header (response, "X-WP-Total", "12");
  wp_fault_response_add_header (response, "X-WP-TotalPages", "6");
  wp_fault_server_add (f->server, "GET /wp-json/wp/v2/posts", g_steal_pointer (&response));

  byline_wp_client_list_posts_async (f->client, statuses, "après", 2, 2, "modified", NULL,
                                     byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  posts = byline_wp_client_list_posts_finish (f->client, result, &info, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (posts->len, ==, 2);
  g_assert_cmpstr (byline_wp_post_get_title (g_ptr_array_index (posts, 0)), ==,
                   "Draft from DipNote");
  assert_post_edit (g_ptr_array_index (posts, 1));
  g_assert_cmpint (info.total, ==, 12);
  g_assert_cmpint (info.total_pages, ==, 6);
  g_assert_cmpstr (wp_fault_server_get_request (f->server, 0)->query, ==,
                   "context=edit&orderby=modified&page=2&per_page=2&search=apr%C3%A8s"
                   "&status=draft,future,publish");
}

static void
test_update_post (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  const WpFaultRequest *request;

  wp_fault_server_add_recorded (f->server, "POST /wp-json/wp/v2/posts/5", "post-edit");
  json_object_set_string_member (fields, "title", "Draft from DipNote (edited twice)");
  byline_wp_client_update_post_async (f->client, 5, fields, NULL, byline_test_store_result_cb,
                                      &result);
  byline_test_iterate_until_result (&result);
  post = byline_wp_client_update_post_finish (f->client, result, &error);
  g_assert_no_error (error);
  assert_post_edit (post);

  request = wp_fault_server_get_request (f->server, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (g_bytes_get_data (request->body, NULL), ==,
                   "{\"title\":\"Draft from DipNote (edited twice)\"}");
}

static void
test_delete_post (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL, r3 = NULL;
  g_autoptr(BylineWpPost) trashed = NULL;
  g_autoptr(BylineWpPost) deleted = NULL;
  g_autoptr(BylineWpPost) none = NULL;
  g_autoptr(GError) error = NULL;

  wp_fault_server_add_recorded (f->server, "DELETE /wp-json/wp/v2/posts/9", "post-trashed");
  wp_fault_server_add_recorded (f->server, "DELETE /wp-json/wp/v2/posts/9", "post-force-deleted");
  wp_fault_server_add_recorded (f->server, "DELETE /wp-json/wp/v2/posts/9", "post-already-trashed");

  byline_wp_client_delete_post_async (f->client, 9, FALSE, NULL, byline_test_store_result_cb, &r1);
  byline_test_iterate_until_result (&r1);
  trashed = byline_wp_client_delete_post_finish (f->client, r1, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_wp_post_get_status (trashed), ==, "trash");
  g_assert_null (wp_fault_server_get_request (f->server, 0)->query);

  byline_wp_client_delete_post_async (f->client, 9, TRUE, NULL, byline_test_store_result_cb, &r2);
  byline_test_iterate_until_result (&r2);
  deleted = byline_wp_client_delete_post_finish (f->client, r2, &error);
  g_assert_no_error (error);
  g_assert_cmpint (byline_wp_post_get_id (deleted), ==, 9);
  g_assert_cmpstr (byline_wp_post_get_title (deleted), ==, "Back-dated from DipNote");
  g_assert_cmpstr (wp_fault_server_get_request (f->server, 1)->query, ==, "force=true");

  byline_wp_client_delete_post_async (f->client, 9, FALSE, NULL, byline_test_store_result_cb, &r3);
  byline_test_iterate_until_result (&r3);
  none = byline_wp_client_delete_post_finish (f->client, r3, &error);
  g_assert_null (none);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_GONE);
}

static void
test_find_posts_by_slug (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *created = read_response_file ("post-created.json");
  g_autofree char *found = g_strdup_printf ("[%s]", created);
  g_autoptr(GAsyncResult) r1 = NULL, r2 = NULL;
  g_autoptr(GPtrArray) none = NULL;
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(GError) error = NULL;

  wp_fault_server_add_json (f->server, "/wp-json/wp/v2/posts", 200, "[]");
  wp_fault_server_add_json (f->server, "/wp-json/wp/v2/posts", 200, found);

  byline_wp_client_find_posts_by_slug_async (f->client, "byline-3f2a", NULL,
                                             byline_test_store_result_cb, &r1);
  byline_test_iterate_until_result (&r1);
  none = byline_wp_client_find_posts_by_slug_finish (f->client, r1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpstr (wp_fault_server_get_request (f->server, 0)->query, ==,
                   "context=edit&per_page=100&slug=byline-3f2a&status=any");

  byline_wp_client_find_posts_by_slug_async (f->client, "byline-3f2a", NULL,
                                             byline_test_store_result_cb, &r2);
  byline_test_iterate_until_result (&r2);
  one = byline_wp_client_find_posts_by_slug_finish (f->client, r2, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_cmpint (byline_wp_post_get_id (g_ptr_array_index (one, 0)), ==, 5);
}

static gint64
ensure_term (Fixture     *f,
             const char  *taxonomy,
             const char  *name,
             gint64       parent,
             GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byline_wp_client_ensure_term_async (f->client, taxonomy, name, parent, NULL,
                                      byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  return byline_wp_client_ensure_term_finish (f->client, result, error);
}

static void
test_terms (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(GPtrArray) terms = NULL;
  g_autoptr(GError) error = NULL;
  BylineWpTerm *term;

  wp_fault_server_add_recorded (f->server, "GET /wp-json/wp/v2/categories", "categories");
  byline_wp_client_list_terms_async (f->client, "categories", NULL, 1, 100, NULL,
                                     byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  terms = byline_wp_client_list_terms_finish (f->client, result, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (terms->len, ==, 3);
  term = g_ptr_array_index (terms, 0);
  g_assert_cmpint (term->id, ==, 2);
  g_assert_cmpstr (term->name, ==, "Europe and Eurasia");
  g_assert_cmpstr (term->slug, ==, "europe-and-eurasia");
  g_assert_cmpint (term->count, ==, 1);
  g_assert_cmpint (info.total, ==, 3);
  g_assert_cmpstr (wp_fault_server_get_request (f->server, 0)->query, ==,
                   "context=edit&page=1&per_page=100");

  /* Created, then found existing (400 term_exists), then refused for another reason. */
  wp_fault_server_add_recorded (f->server, "POST /wp-json/wp/v2/categories", "category-created");
  wp_fault_server_add_recorded (f->server, "POST /wp-json/wp/v2/categories", "term-exists");
  wp_fault_server_add_recorded (f->server, "POST /wp-json/wp/v2/categories", "invalid-param");
  g_assert_cmpint (ensure_term (f, "categories", "Verify Middle East", 0, &error), ==, 8);
  g_assert_no_error (error);
  g_assert_cmpstr (g_bytes_get_data (wp_fault_server_get_request (f->server, 1)->body, NULL), ==,
                   "{\"name\":\"Verify Middle East\"}");
  g_assert_cmpint (ensure_term (f, "categories", "Verify Middle East", 3, &error), ==, 8);
  g_assert_no_error (error);
  g_assert_cmpstr (g_bytes_get_data (wp_fault_server_get_request (f->server, 2)->body, NULL), ==,
                   "{\"name\":\"Verify Middle East\",\"parent\":3}");
  g_assert_cmpint (ensure_term (f, "categories", "Verify Middle East", 0, &error), ==, 0);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_REQUEST);
  g_clear_error (&error);

  /* Tags have no parent. */
  wp_fault_server_add_json (f->server, "POST /wp-json/wp/v2/tags", 201,
                            "{\"id\":9,\"name\":\"Verify Apr\\u00e8s\",\"slug\":\"verify-apres\"}");
  g_assert_cmpint (ensure_term (f, "tags", "Verify Après", 3, &error), ==, 9);
  g_assert_no_error (error);
  g_assert_cmpstr (g_bytes_get_data (wp_fault_server_get_request (f->server, 4)->body, NULL), ==,
                   "{\"name\":\"Verify Après\"}");
}

static BylineWpMedia *
upload (Fixture     *f,
        GBytes      *bytes,
        const char  *filename,
        const char  *alt_text,
        GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byline_wp_client_upload_media_async (f->client, bytes, filename, "image/png", NULL, alt_text, NULL,
                                       byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  return byline_wp_client_upload_media_finish (f->client, result, error);
}

static void
test_upload_media (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GByteArray) png = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(BylineWpMedia) media = NULL;
  g_autoptr(BylineWpMedia) plain = NULL;
  g_autoptr(BylineWpMedia) without_alt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *disposition = NULL;
  const WpFaultRequest *request;

  for (guint i = 0; i < 5000; i++)
    g_byte_array_append (png, (const guint8 *) &i, 1);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&png));

  wp_fault_server_add_recorded (f->server, "POST /wp-json/wp/v2/media", "media-uploaded");
  wp_fault_server_add_json (f->server, "POST /wp-json/wp/v2/media/14", 200,
                            "{\"id\":14,\"source_url\":\"http://127.0.0.1:8089/wp-content/uploads/"
                            "2026/11/dipnote-test.png\",\"mime_type\":\"image/png\","
                            "\"alt_text\":\"Le logo, après\"}");
  /* The second time, the alternative text is refused. */
  wp_fault_server_add_json (f->server, "POST /wp-json/wp/v2/media/14", 500,
                            "{\"code\":\"oops\",\"message\":\"Nope\",\"data\":{\"status\":500}}");
  media = upload (f, bytes, "/home/editor/Pictures/photo après.png", "Le logo, après", &error);
  g_assert_no_error (error);
  g_assert_cmpint (media->id, ==, 14);
  g_assert_cmpstr (media->source_url, ==,
                   "http://127.0.0.1:8089/wp-content/uploads/2026/11/dipnote-test.png");
  g_assert_cmpstr (media->alt_text, ==, "Le logo, après");
  g_assert_cmpstr (media->mime_type, ==, "image/png");

  /* The file as the body, named by Content-Disposition (the base name only). */
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 2);
  request = wp_fault_server_get_request (f->server, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpstr (soup_message_headers_get_content_type (request->headers, NULL), ==, "image/png");
  g_assert_true (soup_message_headers_get_content_disposition (request->headers, &disposition,
                                                               &params));
  g_assert_cmpstr (disposition, ==, "attachment");
  g_assert_cmpstr (g_hash_table_lookup (params, "filename"), ==, "photo après.png");
  g_assert_true (g_bytes_equal (request->body, bytes));
  request = wp_fault_server_get_request (f->server, 1);
  g_assert_cmpstr (request->path, ==, "/wp-json/wp/v2/media/14");
  g_assert_cmpstr (g_bytes_get_data (request->body, NULL), ==, "{\"alt_text\":\"Le logo, après\"}");

  /* No alternative text: one request. */
  plain = upload (f, bytes, "plain.png", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (plain->alt_text, ==, "");
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 3);

  /* The alternative text refused: the upload still stands, without it. */
  without_alt = upload (f, bytes, "again.png", "Logo", &error);
  g_assert_no_error (error);
  g_assert_cmpint (without_alt->id, ==, 14);
  g_assert_cmpstr (without_alt->alt_text, ==, "");
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 5);
}

/* Faults */

static void
test_fault_statuses (Fixture       *f,
                     gconstpointer  data)
{
  static const struct {
    guint         status;
    const char   *content_type;
    const char   *body;
    BylineWpError code;
    const char   *fragments[2];
  } cases[] = {
    { 401, "application/json", "{\"code\":\"rest_cannot_create\",\"message\":\"Sorry, you are not "
      "allowed to create posts as this user.\",\"data\":{\"status\":401}}",
      BYLINE_WP_ERROR_BAD_CREDENTIALS,
      { "WordPress refused the user name or application password.", "not allowed to create" } },
    { 403, "application/json", "{\"code\":\"rest_cannot_publish\",\"message\":\"Sorry, you are "
      "not allowed to publish posts in this post type.\",\"data\":{\"status\":403}}",
      BYLINE_WP_ERROR_FORBIDDEN, { "does not allow this account", "not allowed to publish" } },
    { 404, "text/html", "<html><body>Not Found</body></html>", BYLINE_WP_ERROR_NOT_FOUND,
      { "could not find", "HTML page" } },
    { 409, "application/json", "{\"code\":\"x\",\"message\":\"Clash\"}", BYLINE_WP_ERROR_CONFLICT,
      { "conflict", "Clash" } },
    { 410, "application/json", "{\"code\":\"rest_already_trashed\",\"message\":\"Gone\"}",
      BYLINE_WP_ERROR_GONE, { "trash", "Gone" } },
    { 400, "application/json", "{\"code\":\"rest_invalid_json\",\"message\":\"Invalid JSON body "
      "passed.\",\"data\":{\"status\":400}}",
      BYLINE_WP_ERROR_BAD_REQUEST, { "refused what Byline sent", "Invalid JSON body passed." } },
    { 413, "text/html", "<h1>Request Entity Too Large</h1>", BYLINE_WP_ERROR_BAD_REQUEST,
      { "too large", "HTML" } },
    { 500, "text/html; charset=UTF-8", "<!DOCTYPE html><html><head><title>Database Error</title>"
      "</head><body><h1>Error establishing a database connection</h1></body></html>",
      BYLINE_WP_ERROR_SERVER, { "problem of its own (HTTP 500", "HTML page" } },
    { 502, "text/html", "<html><body><h1>502 Bad Gateway</h1></body></html>",
      BYLINE_WP_ERROR_SERVER, { "HTTP 502", "Try again later" } },
    { 503, "application/json", "{\"code\":\"wp_die\",\"message\":\"<h1>Error establishing a "
      "database connection<\\/h1>\",\"data\":{\"status\":503}}",
      BYLINE_WP_ERROR_SERVER, { "HTTP 503", "said: “Error establishing a database connection”" } },
    { 405, "application/json", "{\"code\":\"rest_no_route\",\"message\":\"No\"}",
      BYLINE_WP_ERROR_FAILED, { "refused the request (HTTP 405", "No" } },
    { 302, "text/html", "", BYLINE_WP_ERROR_FAILED, { "another address", "https://elsewhere/" } },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *route = g_strdup_printf ("/wp/v2/status/%u", i);
      g_autofree char *key = g_strconcat ("/wp-json", route, NULL);
      g_autoptr(WpFaultResponse) response = NULL;
      g_auto(BylineWpResponseInfo) info = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      g_test_message ("HTTP %u", cases[i].status);
      response = wp_fault_response_new (cases[i].status, cases[i].content_type, cases[i].body);
      if (cases[i].status == 302)
        wp_fault_response_add_header (response, "Location", "https://elsewhere/");
      wp_fault_server_add (f->server, key, g_steal_pointer (&response));
      node = request (f, "POST", route, NULL, NULL, &info, &error);
      g_assert_null (node);
      g_assert_error (error, BYLINE_WP_ERROR, (int) cases[i].code);
      g_assert_cmpuint (info.status, ==, cases[i].status);
      assert_message_has (error, cases[i].fragments[0]);
      assert_message_has (error, cases[i].fragments[1]);
      g_assert_null (strstr (error->message, "<h1>"));
      g_assert_cmpint (byline_wp_error_is_retryable (error), ==,
                       cases[i].code == BYLINE_WP_ERROR_SERVER);
      g_assert_false (byline_wp_error_may_have_applied (error));
    }

  /* Each was asked once: no redirect followed, no retry. */
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, G_N_ELEMENTS (cases));
}

/* The status line and a Location are the site's own bytes, in no stated encoding: a proxy that
 * answers in Latin-1 or with a control character still gets a message that can be shown. */
static void
test_fault_reason_not_utf8 (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(WpFaultResponse) gateway = wp_fault_response_new (502, "text/html", "<p>Non</p>");
  g_autoptr(WpFaultResponse) moved = wp_fault_response_new (302, "text/html", "");
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  wp_fault_response_set_reason (gateway, "Passerelle erron\xe9" "e\x01");
  wp_fault_server_add (f->server, "/wp-json/wp/v2/gateway", g_steal_pointer (&gateway));
  node = request (f, "GET", "/wp/v2/gateway", NULL, NULL, &info, &error);
  g_assert_null (node);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_SERVER);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  assert_message_has (error, "(HTTP 502 Passerelle erron\xef\xbf\xbd" "e\xef\xbf\xbd)");
  g_clear_error (&error);

  wp_fault_response_add_header (moved, "Location", "https://elsewhere/caf\xe9\x01");
  wp_fault_server_add (f->server, "/wp-json/wp/v2/moved", g_steal_pointer (&moved));
  node = request (f, "GET", "/wp/v2/moved", NULL, NULL, &info, &error);
  g_assert_null (node);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_FAILED);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
  assert_message_has (error, "(https://elsewhere/caf\xef\xbf\xbd\xef\xbf\xbd)");
}

static void
test_fault_rate_limited (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(WpFaultResponse) response = NULL;
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  response = wp_fault_response_new (429, "text/plain", "Slow down");
  wp_fault_response_add_header (response, "Retry-After", "120");
  wp_fault_server_add (f->server, "/wp-json/wp/v2/comments/5", g_steal_pointer (&response));
  node = request (f, "POST", "/wp/v2/comments/5", NULL, NULL, &info, &error);
  g_assert_null (node);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_RATE_LIMITED);
  g_assert_cmpuint (info.status, ==, 429);
  g_assert_cmpuint (info.retry_after, ==, 120);
  assert_message_has (error, "try again in 120 seconds");
  g_assert_true (byline_wp_error_is_retryable (error));
}

static void
test_fault_not_json (Fixture       *f,
                     gconstpointer  data)
{
  static const struct {
    const char *content_type;
    const char *body;
    const char *fragment;
  } cases[] = {
    { "text/html; charset=UTF-8", "<!DOCTYPE html>\n<html><body><p>Site under maintenance</p>"
      "</body></html>", "not WordPress’s JSON (an HTML error page?)" },
    /* The site claims JSON, then sends a PHP warning before it. */
    { "application/json", "<br />\n<b>Warning</b>: something in plugin.php<br />\n{\"id\":5}",
      "an HTML error page?" },
    { "application/json", "{\"id\":5,\"title\":{\"raw\":\"Dra", "not valid JSON" },
    { "application/json", "{\"id\":5,,\"status\":}", "not valid JSON" },
    { "application/json", "", "nothing" },
    /* Escapes that json-glib takes but that make text that is not UTF-8: a lone surrogate, an
     * octal byte. */
    { "application/json", "{\"id\":5,\"name\":\"caf\\udc80e\"}", "not UTF-8" },
    { "application/json", "[{\"id\":5,\"name\":\"caf\\351\"}]", "not UTF-8" },
    /* json-glib's own message quotes the bytes of a string it did not expect. */
    { "application/json", "{\"id\":5,\"b\\666\"}", "not valid JSON" },
    { "application/json", "{\"id\":5,\"\001b\"}", "not valid JSON" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *route = g_strdup_printf ("/wp/v2/body/%u", i);
      g_autofree char *key = g_strconcat ("/wp-json", route, NULL);
      g_auto(BylineWpResponseInfo) info = { 0 };
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = NULL;

      g_test_message ("%s", cases[i].body);
      wp_fault_server_add (f->server, key,
                           wp_fault_response_new (200, cases[i].content_type, cases[i].body));
      node = request (f, "GET", route, NULL, NULL, &info, &error);
      g_assert_null (node);
      g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE);
      g_assert_cmpuint (info.status, ==, 200);
      assert_message_has (error, cases[i].fragment);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      for (const char *c = error->message; *c != '\0'; c++)
        g_assert_false (g_ascii_iscntrl (*c));
      g_assert_false (byline_wp_error_is_retryable (error));
    }
}

static JsonNode *
create_post (Fixture  *f,
             GError  **error)
{
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineWpPost) post = NULL;

  json_object_set_string_member (fields, "title", "Breaking");
  byline_wp_client_create_post_async (f->client, fields, NULL, byline_test_store_result_cb,
                                      &result);
  byline_test_iterate_until_result (&result);
  post = byline_wp_client_create_post_finish (f->client, result, error);
  return post ? json_node_init_object (json_node_alloc (), byline_wp_post_get_json (post)) : NULL;
}

static void
test_fault_connection_refused (Fixture       *f,
                               gconstpointer  data)
{
  guint16 port = closed_port ();
  g_autofree char *root = g_strdup_printf ("http://127.0.0.1:%u/wp-json/", port);
  g_autofree char *host = g_strdup_printf ("127.0.0.1:%u", port);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_clear_object (&f->client);
  f->client = byline_wp_client_new (root, USERNAME, PASSWORD);
  node = create_post (f, &error);
  g_assert_null (node);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_NETWORK);
  assert_message_has (error, host);
  assert_message_has (error, "could not connect");
  g_assert_true (byline_wp_error_is_retryable (error));
  g_assert_false (byline_wp_error_may_have_applied (error));
}

/* The site read the request, then the connection ended with no answer: it may have acted. */
static void
test_fault_no_answer (Fixture       *f,
                      gconstpointer  data)
{
  WpFaultKind kind = GPOINTER_TO_INT (data);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(WpFaultResponse) response = wp_fault_response_new_fault (kind);

  if (kind == WP_FAULT_CLOSE_IN_BODY)
    {
      g_autofree char *body = read_response_file ("post-created.json");

      wp_fault_response_set_body (response, 201, "application/json; charset=UTF-8", body);
    }
  wp_fault_server_add (f->server, "POST /wp-json/wp/v2/posts", g_steal_pointer (&response));

  node = create_post (f, &error);
  g_assert_null (node);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_TIMEOUT);
  assert_message_has (error, kind == WP_FAULT_CLOSE_IN_BODY
                             ? "broke before the whole answer arrived"
                             : "broke before it answered");
  assert_message_has (error, "may have done what was asked anyway");
  g_assert_true (byline_wp_error_may_have_applied (error));
  g_assert_true (byline_wp_error_is_retryable (error));
  /* Received once: a POST is never sent again behind the caller's back. */
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", "/wp-json/wp/v2/posts"),
                    ==, 1);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 1);
}

static void
test_fault_timeout_after_sent (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(WpFaultResponse) response = wp_fault_response_new_recorded ("post-created");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 start = g_get_monotonic_time ();

  wp_fault_response_set_delay (response, 4000);
  wp_fault_server_add (f->server, "POST /wp-json/wp/v2/posts", g_steal_pointer (&response));
  byline_wp_client_set_timeout (f->client, 1);

  node = create_post (f, &error);
  g_assert_null (node);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_TIMEOUT);
  assert_message_has (error, "The site did not answer within 1 second.");
  g_assert_true (byline_wp_error_may_have_applied (error));
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 900 * G_TIME_SPAN_MILLISECOND);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", "/wp-json/wp/v2/posts"),
                    ==, 1);
}

/* An upload the site never reads: the deadline passes before the request is sent. */
static void
test_fault_timeout_before_sent (Fixture       *f,
                                gconstpointer  data)
{
  gsize size = 64 * MIB;
  g_autoptr(GBytes) big = g_bytes_new_take (g_malloc0 (size), size);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineWpMedia) media = NULL;
  const WpFaultRequest *request;

  wp_fault_server_add (f->server, "POST /wp-json/wp/v2/media",
                       wp_fault_response_new_fault (WP_FAULT_STALL));
  byline_wp_client_set_timeout (f->client, 1);

  media = upload (f, big, "video.png", NULL, &error);
  g_assert_null (media);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_NETWORK);
  assert_message_has (error, "within 1 second, so nothing was changed on the site");
  g_assert_false (byline_wp_error_may_have_applied (error));
  g_assert_true (byline_wp_error_is_retryable (error));

  /* The site did see the request start (its headers), never its body. */
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 1);
  request = wp_fault_server_get_request (f->server, 0);
  g_assert_cmpstr (request->method, ==, "POST");
  g_assert_cmpuint (g_bytes_get_size (request->body), ==, 0);
}

/* One byte every 50 ms keeps the connection busy, but the whole answer must come in time. */
static void
test_fault_slow_drip (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(WpFaultResponse) response = wp_fault_response_new_fault (WP_FAULT_DRIP);
  g_autofree char *body = read_response_file ("post-edit.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  gint64 start = g_get_monotonic_time ();

  wp_fault_response_set_body (response, 200, "application/json", body);
  wp_fault_response_set_drip (response, 50);
  wp_fault_server_add (f->server, "/wp-json/wp/v2/posts/5", g_steal_pointer (&response));
  byline_wp_client_set_timeout (f->client, 1);

  node = request (f, "GET", "/wp/v2/posts/5", NULL, NULL, NULL, &error);
  g_assert_null (node);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_TIMEOUT);
  assert_message_has (error, "did not finish its answer within 1 second");
  g_assert_true (byline_wp_error_may_have_applied (error));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_TIME_SPAN_SECOND);

  /* The client hung up: the server stops dripping long before the 2.7 KB are out. */
  g_assert_true (wp_fault_server_wait_stream_end (f->server, 5000));
  g_assert_false (wp_fault_server_get_stream_complete (f->server));
  g_assert_cmpuint (wp_fault_server_get_stream_sent (f->server), <, 200);
}

/* A drip that ends in time is a normal answer. */
static void
test_fault_drip_in_time (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(WpFaultResponse) response = wp_fault_response_new_fault (WP_FAULT_DRIP);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;

  wp_fault_response_set_body (response, 200, "application/json", "{\"id\":5,\"slow\":true}");
  wp_fault_response_set_drip (response, 5);
  wp_fault_server_add (f->server, "/wp-json/wp/v2/slow", g_steal_pointer (&response));
  byline_wp_client_set_timeout (f->client, 5);

  node = request (f, "GET", "/wp/v2/slow", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (node), "slow"));
  g_assert_true (wp_fault_server_wait_stream_end (f->server, 5000));
  g_assert_true (wp_fault_server_get_stream_complete (f->server));
}

static gboolean
cancel_cb (gpointer user_data)
{
  g_cancellable_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_fault_cancel (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(WpFaultResponse) response = wp_fault_response_new_recorded ("post-edit");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GError) error = NULL;

  wp_fault_response_set_delay (response, 3000);
  wp_fault_server_add (f->server, "/wp-json/wp/v2/posts/5", g_steal_pointer (&response));
  byline_wp_client_get_post_async (f->client, 5, cancellable, byline_test_store_result_cb, &result);
  g_timeout_add (100, cancel_cb, cancellable);
  byline_test_iterate_until_result (&result);
  post = byline_wp_client_get_post_finish (f->client, result, &error);
  g_assert_null (post);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

/* The resident memory now, and the peak since the last reset_peak_memory, in bytes; 0 when the
 * kernel does not tell. */
static guint64
memory_status (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (line = strstr (status, field)) == NULL)
    return 0;
  return g_ascii_strtoull (line + strlen (field), NULL, 10) * 1024;
}

#if defined(__SANITIZE_ADDRESS__)
#define UNDER_ASAN 1
#elif defined(__has_feature)
#if __has_feature (address_sanitizer)
#define UNDER_ASAN 1
#endif
#endif

static gboolean
reset_peak_memory (void)
{
  /* g_file_set_contents would write a temporary file and rename it: not in /proc. */
  FILE *file;
  gboolean done;

#ifdef UNDER_ASAN
  /* AddressSanitizer keeps freed memory in quarantine: the peak says nothing about us. */
  return FALSE;
#endif
  file = g_fopen ("/proc/self/clear_refs", "w");
  if (file == NULL)
    return FALSE;
  done = fputs ("5", file) >= 0;
  return fclose (file) == 0 && done;
}

/* 100 MB answers: refused at once when their size is announced, cut at the limit when not. */
static void
test_fault_too_large (Fixture       *f,
                      gconstpointer  data)
{
  gboolean chunked = GPOINTER_TO_INT (data);
  guint64 size = 100 * 1000 * 1000;
  g_autoptr(WpFaultResponse) response = wp_fault_response_new_fault (WP_FAULT_HUGE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  guint64 sent, before, peak;
  gboolean measured;

  wp_fault_response_set_huge (response, size, chunked);
  wp_fault_server_add (f->server, "/wp-json/wp/v2/posts", g_steal_pointer (&response));

  measured = reset_peak_memory ();
  before = memory_status ("VmRSS:");
  node = request (f, "GET", "/wp/v2/posts", NULL, NULL, NULL, &error);
  peak = memory_status ("VmHWM:");
  g_assert_null (node);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_TOO_LARGE);
  assert_message_has (error, "larger than 33.6");
  g_assert_false (byline_wp_error_is_retryable (error));

  /* The client stopped reading and closed the connection: the server could not send it all. */
  g_assert_true (wp_fault_server_wait_stream_end (f->server, 10000));
  g_assert_false (wp_fault_server_get_stream_complete (f->server));
  sent = wp_fault_server_get_stream_sent (f->server);
  g_test_message ("the server sent %" G_GUINT64_FORMAT " bytes", sent);
  /* What the client read, plus what the sockets' buffers hold (a few MB on loopback). */
  if (chunked)
    g_assert_cmpuint (sent, <, 64 * MIB);
  else
    g_assert_cmpuint (sent, <, 32 * MIB);

  /* At most the limit was held, not the 100 MB (the server's thread shares this process and
   * holds one chunk at a time). */
  if (measured && before > 0 && peak > 0)
    {
      g_test_message ("resident memory grew by at most %" G_GUINT64_FORMAT " bytes",
                      peak > before ? peak - before : 0);
      g_assert_cmpuint (peak, <, before + (chunked ? 32 * MIB + 24 * MIB : 24 * MIB));
    }
  else
    g_test_message ("the peak of resident memory cannot be measured here");
}

/* A big answer under the limit is read whole, and the limit can be lowered. */
static void
test_fault_large_within_limit (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(WpFaultResponse) response = wp_fault_response_new_fault (WP_FAULT_HUGE);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) refused = NULL;

  wp_fault_response_set_huge (response, 3 * MIB, TRUE);
  wp_fault_server_add (f->server, "/wp-json/wp/v2/posts", g_steal_pointer (&response));

  node = request (f, "GET", "/wp/v2/posts", NULL, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
  g_assert_true (wp_fault_server_wait_stream_end (f->server, 10000));
  g_assert_true (wp_fault_server_get_stream_complete (f->server));

  byline_wp_client_set_max_response_size (f->client, 2 * MIB);
  refused = request (f, "GET", "/wp/v2/posts", NULL, NULL, NULL, &error);
  g_assert_null (refused);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_TOO_LARGE);
  assert_message_has (error, "larger than 2.1");
}

static GTlsCertificate *
test_certificate (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "wp-responses", "self-signed.pem",
                                                 NULL);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate = g_tls_certificate_new_from_file (path, &error);

  g_assert_no_error (error);
  return certificate;
}

static void
test_fault_tls (void)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(WpFaultServer) server = NULL;
  g_autoptr(BylineWpClient) client = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineWpUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;

  /* ./dev installs glib-networking: without it Byline cannot reach an https site at all, which
   * is a failure to report, not a test to skip. */
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    g_error ("No TLS support: install glib-networking (./dev test does)");

  certificate = test_certificate ();
  server = wp_fault_server_new (certificate);
  wp_fault_server_add_recorded (server, "/wp-json/wp/v2/users/me", "users-me");
  root = g_strconcat (wp_fault_server_get_url (server), "/wp-json/", NULL);
  g_assert_true (g_str_has_prefix (root, "https://"));
  client = byline_wp_client_new (root, USERNAME, PASSWORD);
  g_assert_false (byline_wp_client_is_insecure (client));

  byline_wp_client_get_me_async (client, NULL, byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  user = byline_wp_client_get_me_finish (client, result, &error);
  g_assert_null (user);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_TLS);
  assert_message_has (error, "security certificate of 127.0.0.1:");
  assert_message_has (error, "not trusted (it is not signed by an authority");
  g_assert_false (byline_wp_error_is_retryable (error));
  /* Refused before anything was sent: the password never left. */
  g_assert_cmpuint (wp_fault_server_get_n_requests (server), ==, 0);

  g_clear_object (&client);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

/* The fixture answers a blocking client too: it runs in its own thread. */
static void
test_fixture_sync_client (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(SoupSession) session = soup_session_new ();
  g_autofree char *url = g_strconcat (f->api_root, "wp/v2/users/me", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;

  wp_fault_server_add_recorded (f->server, "/wp-json/wp/v2/users/me", "users-me");
  body = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, 200);
  g_assert_cmpuint (g_bytes_get_size (body), ==, 2186);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "GET", "/wp-json/wp/v2/users/me"),
                    ==, 1);
}

/* Discovery */

static BylineWpSite *
discover (const char  *address,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byline_wp_client_discover_async (address, NULL, byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  return byline_wp_client_discover_finish (result, error);
}

#define HOME_PAGE "<!DOCTYPE html><html><head><title>News</title></head><body>Hello</body></html>"

static void
assert_no_credentials (WpFaultServer *server)
{
  for (guint i = 0; i < wp_fault_server_get_n_requests (server); i++)
    g_assert_null (soup_message_headers_get_one (wp_fault_server_get_request (server, i)->headers,
                                                 "Authorization"));
}

static void
test_discover_link (Fixture       *f,
                    gconstpointer  data)
{
  const char *url = wp_fault_server_get_url (f->server);
  g_autofree char *link = g_strdup_printf ("<%s/wp-json/>; rel=\"https://api.w.org/\"", url);
  g_autoptr(WpFaultResponse) home = wp_fault_response_new (200, "text/html", HOME_PAGE);
  g_autoptr(BylineWpSite) site = NULL;
  g_autoptr(GError) error = NULL;

  wp_fault_response_add_header (home, "Link", link);
  wp_fault_server_add (f->server, "/", g_steal_pointer (&home));
  wp_fault_server_add_recorded (f->server, "/wp-json/", "api-index");

  site = discover (url, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (site->name, ==, "DipNote Sandbox");
  g_assert_cmpstr (site->description, ==,
                   "Local WordPress test bed for the DipNote desktop editor");
  g_assert_cmpstr (site->url, ==, "http://127.0.0.1:8089");
  g_assert_cmpstr (site->home, ==, "http://127.0.0.1:8089");
  g_assert_cmpstr (site->api_root, ==, f->api_root);
  g_assert_cmpfloat (site->gmt_offset, ==, 0);
  g_assert_cmpstr (site->timezone_string, ==, "UTC");
  g_assert_cmpstr (site->authorization_endpoint, ==,
                   "http://127.0.0.1:8089/wp-admin/authorize-application.php");

  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 2);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "GET", "/"), ==, 1);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "GET", "/wp-json/"), ==, 1);
  assert_no_credentials (f->server);
}

/* Among other links, relative, and with a fractional offset as WordPress may store it. */
static void
test_discover_link_among_others (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(WpFaultResponse) home = wp_fault_response_new (200, "text/html", HOME_PAGE);
  g_autofree char *expected = g_strconcat (wp_fault_server_get_url (f->server), "/news/api/", NULL);
  g_autofree char *address = g_strconcat (wp_fault_server_get_url (f->server), "/news", NULL);
  g_autoptr(BylineWpSite) site = NULL;
  g_autoptr(GError) error = NULL;

  wp_fault_response_add_header (home, "Link", "<https://example.org/feed/>; rel=\"alternate\"; "
                                "type=\"application/rss+xml\", "
                                "</news/api/>; rel=\"https://api.w.org/\"");
  wp_fault_server_add (f->server, "/news", g_steal_pointer (&home));
  wp_fault_server_add_json (f->server, "/news/api/", 200,
                            "{\"name\":\"Gazette &amp; Co\",\"url\":\"https://example.org/news\","
                            "\"gmt_offset\":\"5.5\",\"namespaces\":[\"wp/v2\"]}");

  site = discover (address, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (site->api_root, ==, expected);
  g_assert_cmpstr (site->name, ==, "Gazette & Co");
  g_assert_cmpstr (site->home, ==, "https://example.org/news");
  g_assert_cmpfloat (site->gmt_offset, ==, 5.5);
  g_assert_cmpstr (site->timezone_string, ==, "");
  g_assert_null (site->authorization_endpoint);
}

/* The Link header as RFC 8288 allows it: a comma inside a target and inside a quoted
 * parameter, the parameter's name in capitals, several relations in one. */
static void
test_discover_link_forms (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(WpFaultResponse) home = wp_fault_response_new (200, "text/html", HOME_PAGE);
  g_autofree char *expected = g_strconcat (wp_fault_server_get_url (f->server), "/news/api,v2/",
                                           NULL);
  g_autoptr(BylineWpSite) site = NULL;
  g_autoptr(GError) error = NULL;

  wp_fault_response_add_header (home, "Link", "<https://example.org/?p=1,2>; rel=shortlink, "
                                "</news/api,v2/>; title=\"Gazette, the API\"; "
                                "REL=\"shortlink https://api.w.org/\", "
                                "<https://example.org/other/>; rel=\"alternate\"");
  wp_fault_server_add (f->server, "/", g_steal_pointer (&home));
  wp_fault_server_add_json (f->server, "/news/api,v2/", 200,
                            "{\"name\":\"Gazette\",\"namespaces\":[\"wp/v2\"]}");

  site = discover (wp_fault_server_get_url (f->server), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (site->api_root, ==, expected);
  g_assert_cmpstr (site->name, ==, "Gazette");
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "GET", "/news/api,v2/"), ==, 1);
}

/* The Link target is the site's to choose, but only an http(s) address with a host is an API
 * root: any other is no Link at all. */
static void
test_discover_link_not_web (void)
{
  static const struct {
    const char *header;
    const char *api_root;
  } cases[] = {
    { "</wp-json/>; rel=\"https://api.w.org/\"", "https://example.org/wp-json/" },
    { "<//api.example.net/wp-json/>; rel=\"https://api.w.org/\"",
      "https://api.example.net/wp-json/" },
    { "<HTTP://example.org/wp-json/>; rel=\"https://api.w.org/\"", "http://example.org/wp-json/" },
    { "<javascript:alert(1)>; rel=\"https://api.w.org/\"", NULL },
    { "<file:///etc/passwd>; rel=\"https://api.w.org/\"", NULL },
    { "<http:wp-json>; rel=\"https://api.w.org/\"", NULL },
    { "<https:///wp-json/>; rel=\"https://api.w.org/\"", NULL },
  };
  g_autoptr(GUri) home = g_uri_parse ("https://example.org/blog/", SOUP_HTTP_URI_FLAGS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *api_root = _byline_wp_api_root_from_link (home, cases[i].header);

      g_test_message ("%s", cases[i].header);
      g_assert_cmpstr (api_root, ==, cases[i].api_root);
    }
}

static void
test_discover_rest_route (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *expected = g_strconcat (wp_fault_server_get_url (f->server),
                                           "/blog/?rest_route=/", NULL);
  g_autofree char *address = g_strconcat (wp_fault_server_get_url (f->server), "/blog", NULL);
  g_autoptr(BylineWpSite) site = NULL;
  g_autoptr(GError) error = NULL;
  const WpFaultRequest *request;

  wp_fault_server_add (f->server, "/blog", wp_fault_response_new (200, "text/html", HOME_PAGE));
  wp_fault_server_add_recorded (f->server, "?rest_route=/", "api-index");

  site = discover (address, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (site->api_root, ==, expected);
  g_assert_cmpstr (site->name, ==, "DipNote Sandbox");

  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 2);
  request = wp_fault_server_get_request (f->server, 1);
  g_assert_cmpstr (request->path, ==, "/blog/");
  g_assert_cmpstr (request->query, ==, "rest_route=/");
  assert_no_credentials (f->server);
}

static void
test_discover_not_wordpress (Fixture       *f,
                             gconstpointer  data)
{
  const char *url = wp_fault_server_get_url (f->server);
  g_autofree char *other_address = g_strconcat (url, "/other", NULL);
  g_autoptr(BylineWpSite) site = NULL;
  g_autoptr(BylineWpSite) other = NULL;
  g_autoptr(GError) error = NULL;

  /* An HTML site that answers everything with its page. */
  wp_fault_server_add (f->server, "/", wp_fault_response_new (200, "text/html", HOME_PAGE));
  wp_fault_server_add (f->server, "?rest_route=/",
                       wp_fault_response_new (200, "text/html", HOME_PAGE));
  site = discover (url, &error);
  g_assert_null (site);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_NOT_WORDPRESS);
  assert_message_has (error, "No WordPress site was found at ");
  assert_message_has (error, url);
  g_clear_error (&error);

  /* Some other JSON API. */
  wp_fault_server_add (f->server, "/other", wp_fault_response_new (404, "text/html", HOME_PAGE));
  wp_fault_server_add_json (f->server, "?rest_route=/", 200, "{\"namespaces\":[\"other/v1\"]}");
  other = discover (other_address, &error);
  g_assert_null (other);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_NOT_WORDPRESS);
}

/* WordPress with its API closed to visitors: say what WordPress said. */
static void
test_discover_closed_api (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(BylineWpSite) site = NULL;
  g_autoptr(GError) error = NULL;

  wp_fault_server_add (f->server, "/", wp_fault_response_new (200, "text/html", HOME_PAGE));
  wp_fault_server_add_json (f->server, "?rest_route=/", 401,
                            "{\"code\":\"rest_cannot_access\",\"message\":\"Only authenticated "
                            "users can access the REST API.\",\"data\":{\"status\":401}}");
  site = discover (wp_fault_server_get_url (f->server), &error);
  g_assert_null (site);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_CREDENTIALS);
  assert_message_has (error, "Only authenticated users can access the REST API.");
}

static void
test_discover_bad_addresses (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *closed = g_strdup_printf ("http://127.0.0.1:%u", closed_port ());
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineWpSite) s1 = NULL, s2 = NULL, s3 = NULL, s4 = NULL;

  s1 = discover ("  ", &error);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_NOT_WORDPRESS);
  assert_message_has (error, "not a web address");
  g_clear_error (&error);

  s2 = discover ("ftp://example.org/", &error);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_NOT_WORDPRESS);
  g_clear_error (&error);

  s3 = discover (closed, &error);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_NETWORK);
  g_clear_error (&error);

  /* Without a scheme, https is assumed: an https server answers (with a certificate that is
   * refused), where http would have been told to go away. */
  if (g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    {
      g_autoptr(GTlsCertificate) certificate = test_certificate ();
      g_autoptr(WpFaultServer) https = wp_fault_server_new (certificate);
      g_autofree char *bare = g_strdup (wp_fault_server_get_url (https) + strlen ("https://"));

      s4 = discover (bare, &error);
      g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_TLS);
      assert_message_has (error, "not signed by an authority this computer trusts");
      g_assert_null (s4);
      while (g_main_context_iteration (NULL, FALSE))
        ;
    }
  g_assert_null (s1);
  g_assert_null (s2);
  g_assert_null (s3);
}

#define ADD(path, func) \
  g_test_add ("/core/wp-client/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_DATA(path, data, func) \
  g_test_add ("/core/wp-client/" path, Fixture, GINT_TO_POINTER (data), fixture_set_up, func, \
              fixture_tear_down)

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);

  g_test_add_func ("/core/wp-client/error/predicates", test_error_predicates);
  g_test_add_func ("/core/wp-client/url/pretty", test_url_pretty);
  g_test_add_func ("/core/wp-client/url/rest-route", test_url_rest_route);
  ADD ("url/rest-route-request", test_url_rest_route_request);
  g_test_add_func ("/core/wp-client/insecure", test_insecure);
  g_test_add_func ("/core/wp-client/settings", test_settings);
  ADD ("auth/every-request", test_auth_every_request);

  ADD ("parse/users-me", test_parse_users_me);
  ADD ("parse/users-me-contributor", test_parse_users_me_contributor);
  ADD ("parse/post-edit", test_parse_post_edit);
  ADD ("parse/post-created", test_parse_post_created);
  ADD ("parse/comments", test_parse_comments);
  ADD ("parse/errors", test_parse_errors);
  g_test_add_func ("/core/wp-client/parse/defensive", test_parse_defensive);
  ADD ("parse/defensive-client", test_parse_defensive_client);

  ADD ("typed/list-posts", test_list_posts);
  ADD ("typed/update-post", test_update_post);
  ADD ("typed/delete-post", test_delete_post);
  ADD ("typed/find-posts-by-slug", test_find_posts_by_slug);
  ADD ("typed/terms", test_terms);
  ADD ("typed/upload-media", test_upload_media);

  ADD ("fault/statuses", test_fault_statuses);
  ADD ("fault/reason-not-utf8", test_fault_reason_not_utf8);
  ADD ("fault/rate-limited", test_fault_rate_limited);
  ADD ("fault/not-json", test_fault_not_json);
  ADD ("fault/connection-refused", test_fault_connection_refused);
  ADD_DATA ("fault/close-before-answer", WP_FAULT_CLOSE, test_fault_no_answer);
  ADD_DATA ("fault/reset-before-answer", WP_FAULT_RESET, test_fault_no_answer);
  ADD_DATA ("fault/close-in-body", WP_FAULT_CLOSE_IN_BODY, test_fault_no_answer);
  ADD ("fault/timeout-after-sent", test_fault_timeout_after_sent);
  ADD ("fault/timeout-before-sent", test_fault_timeout_before_sent);
  ADD ("fault/slow-drip", test_fault_slow_drip);
  ADD ("fault/drip-in-time", test_fault_drip_in_time);
  ADD ("fault/cancel", test_fault_cancel);
  ADD_DATA ("fault/too-large-announced", FALSE, test_fault_too_large);
  ADD_DATA ("fault/too-large-chunked", TRUE, test_fault_too_large);
  ADD ("fault/large-within-limit", test_fault_large_within_limit);
  g_test_add_func ("/core/wp-client/fault/tls", test_fault_tls);

  ADD ("fixture/sync-client", test_fixture_sync_client);

  ADD ("discover/link", test_discover_link);
  ADD ("discover/link-among-others", test_discover_link_among_others);
  ADD ("discover/link-forms", test_discover_link_forms);
  g_test_add_func ("/core/wp-client/discover/link-not-web", test_discover_link_not_web);
  ADD ("discover/rest-route", test_discover_rest_route);
  ADD ("discover/not-wordpress", test_discover_not_wordpress);
  ADD ("discover/closed-api", test_discover_closed_api);
  ADD ("discover/bad-addresses", test_discover_bad_addresses);

  return g_test_run ();
}
