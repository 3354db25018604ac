/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-wp-authorize.c: signing in through WordPress's authorization page against a real
 * WordPress (run under wordpress/with-wordpress). A SoupSession with a cookie jar plays the
 * browser: it logs in through wp-login.php, opens the address Byline made, submits the page's
 * form (approve or reject) and follows the redirect to Byline's loopback callback. */

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>

#include "byline-test-util.h"
#include "byline-wp-authorize.h"
#include "byline-wp-client.h"
#include "wp-browser.h"

#define CALL_TIMEOUT_SECONDS 60

static const char *wp_url;
static const char *wp_user;
static char *login_password;
static BylineWpSite *site;

/* A browser logged in to the site as the editor. */
static SoupSession *
logged_in_browser (void)
{
  return wp_browser_log_in (wp_url, wp_user, login_password);
}

static BylineWpAuthorize *
begin (void)
{
  g_autoptr(GError) error = NULL;
  BylineWpAuthorize *auth = byline_wp_authorize_begin (site->authorization_endpoint,
                                                       BYLINE_WP_AUTHORIZE_RETURN_LOOPBACK,
                                                       &error);

  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (byline_wp_authorize_get_url (auth),
                                   site->authorization_endpoint));
  g_assert_true (g_str_has_prefix (byline_wp_authorize_get_callback_url (auth),
                                   "http://127.0.0.1:"));
  return auth;
}

static void
test_approve (void)
{
  g_autoptr(BylineWpAuthorize) auth = begin ();
  g_autoptr(SoupSession) browser = logged_in_browser ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) me_result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineWpClient) client = NULL;
  g_autoptr(BylineWpUser) me = NULL;
  g_autofree char *location = NULL;
  g_autofree char *page = NULL;
  g_autofree char *user_login = NULL;
  g_autofree char *password = NULL;
  g_autofree char *again = NULL;
  guint status;

  byline_wp_authorize_wait_async (auth, NULL, byline_test_store_result_cb, &result);
  location = wp_browser_submit_authorization (browser, byline_wp_authorize_get_url (auth), "approve");
  g_assert_true (g_str_has_prefix (location, byline_wp_authorize_get_callback_url (auth)));
  g_assert_nonnull (strstr (location, "user_login=editor"));
  g_assert_null (result);

  page = wp_browser_browse (browser, soup_message_new ("GET", location), FALSE, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (page, "You can close this page and return to Byline."));

  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, "byline_wp_authorize_wait_async");
  g_assert_true (byline_wp_authorize_wait_finish (auth, result, &user_login, &password, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (user_login, ==, "editor");
  g_assert_cmpuint (strlen (password), >=, 24);

  /* One-shot: the listener is gone. */
  again = wp_browser_browse (browser, soup_message_new ("GET", location), FALSE, &status, NULL);
  g_assert_cmpuint (status, !=, 200);

  client = byline_wp_client_new (site->api_root, user_login, password);
  byline_wp_client_get_me_async (client, NULL, byline_test_store_result_cb, &me_result);
  byline_test_wait_for_result (&me_result, CALL_TIMEOUT_SECONDS, "byline_wp_client_get_me_async");
  me = byline_wp_client_get_me_finish (client, me_result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (me->username, ==, "editor");
}

static void
test_reject (void)
{
  g_autoptr(BylineWpAuthorize) auth = begin ();
  g_autoptr(SoupSession) browser = logged_in_browser ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *location = NULL;
  g_autofree char *page = NULL;
  char *user_login = NULL;
  char *password = NULL;
  guint status;

  byline_wp_authorize_wait_async (auth, NULL, byline_test_store_result_cb, &result);
  location = wp_browser_submit_authorization (browser, byline_wp_authorize_get_url (auth), "reject");
  g_assert_true (g_str_has_prefix (location, byline_wp_authorize_get_callback_url (auth)));
  g_assert_null (strstr (location, "password="));

  page = wp_browser_browse (browser, soup_message_new ("GET", location), FALSE, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_assert_nonnull (strstr (page, "You can close this page and return to Byline."));

  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, "byline_wp_authorize_wait_async");
  g_assert_false (byline_wp_authorize_wait_finish (auth, result, &user_login, &password, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_true (g_str_has_prefix (error->message, "You declined"));
  g_assert_null (user_login);
  g_assert_null (password);
}

static void
test_wrong_token (void)
{
  g_autoptr(BylineWpAuthorize) auth = begin ();
  g_autoptr(SoupSession) browser = soup_session_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user_login = NULL;
  g_autofree char *password = NULL;
  g_autofree char *page = NULL;
  const char *callback = byline_wp_authorize_get_callback_url (auth);
  const char *token = strrchr (callback, '/') + 1;
  g_autofree char *base = g_strndup (callback, token - callback);
  const char *wrong[] = { "", "0123456789abcdef0123456789abcdef", "favicon.ico" };

  byline_wp_authorize_wait_async (auth, NULL, byline_test_store_result_cb, &result);
  for (gsize i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_autofree char *url = g_strconcat (base, wrong[i], "?user_login=mallory&password=x", NULL);
      g_autofree char *body = NULL;
      guint status;

      body = wp_browser_browse (browser, soup_message_new ("GET", url), FALSE, &status, NULL);
      g_assert_cmpuint (status, ==, 404);
    }
  {
    g_autofree char *url = g_strconcat (callback, "x?user_login=mallory&password=x", NULL);
    g_autofree char *body = NULL;
    guint status;

    body = wp_browser_browse (browser, soup_message_new ("GET", url), FALSE, &status, NULL);
    g_assert_cmpuint (status, ==, 404);
  }
  byline_test_iterate_for (300);
  g_assert_null (result);

  /* The right token still works after the wrong ones. */
  {
    g_autofree char *url = g_strconcat (callback, "?site_url=x&user_login=editor&password=abcd+efgh",
                                        NULL);
    guint status;

    page = wp_browser_browse (browser, soup_message_new ("GET", url), FALSE, &status, NULL);
    g_assert_cmpuint (status, ==, 200);
  }
  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, "byline_wp_authorize_wait_async");
  g_assert_true (byline_wp_authorize_wait_finish (auth, result, &user_login, &password, &error));
  g_assert_cmpstr (user_login, ==, "editor");
  g_assert_cmpstr (password, ==, "abcd efgh");
}

static void
test_cancel_and_timeout (void)
{
  g_autoptr(BylineWpAuthorize) auth = begin ();
  g_autoptr(BylineWpAuthorize) slow = begin ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) slow_result = NULL;
  g_autoptr(GError) error = NULL;

  byline_wp_authorize_wait_async (auth, cancellable, byline_test_store_result_cb, &result);
  byline_test_iterate_for (100);
  g_assert_null (result);
  g_cancellable_cancel (cancellable);
  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, "cancelled wait");
  g_assert_false (byline_wp_authorize_wait_finish (auth, result, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  byline_wp_authorize_set_timeout (slow, 1);
  byline_wp_authorize_wait_async (slow, NULL, byline_test_store_result_cb, &slow_result);
  byline_test_wait_for_result (&slow_result, 10, "timed-out wait");
  g_assert_false (byline_wp_authorize_wait_finish (slow, slow_result, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
}

static char *
read_state (const char *key)
{
  const char *dir = g_getenv ("BYLINE_WP_STATEDIR");
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree char *prefix = g_strconcat (key, "=", NULL);
  g_autoptr(GError) error = NULL;

  if (dir == NULL)
    g_error ("BYLINE_WP_STATEDIR is not set: run this test under tests/wordpress/with-wordpress");
  path = g_build_filename (dir, "state.env", NULL);
  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("%s", error->message);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i] + strlen (prefix));
  g_error ("%s has no %s", path, key);
  return NULL;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  byline_test_init (&argc, &argv);

  wp_url = g_getenv ("BYLINE_WP_URL");
  wp_user = g_getenv ("BYLINE_WP_USER");
  if (wp_url == NULL || *wp_url == '\0' || wp_user == NULL)
    g_error ("BYLINE_WP_URL and BYLINE_WP_USER are not set: run this test under "
             "tests/wordpress/with-wordpress (meson test --suite wordpress). It never skips.");
  login_password = read_state ("BYLINE_WP_LOGIN_PASSWORD");

  byline_wp_client_discover_async (wp_url, NULL, byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, "byline_wp_client_discover_async");
  site = byline_wp_client_discover_finish (result, &error);
  if (site == NULL)
    g_error ("No WordPress API found at %s: %s", wp_url, error->message);
  if (site->authorization_endpoint == NULL)
    g_error ("%s offers no authorization endpoint", wp_url);

  g_test_add_func ("/wordpress/wp-authorize/approve", test_approve);
  g_test_add_func ("/wordpress/wp-authorize/reject", test_reject);
  g_test_add_func ("/wordpress/wp-authorize/wrong-token", test_wrong_token);
  g_test_add_func ("/wordpress/wp-authorize/cancel-and-timeout", test_cancel_and_timeout);
  status = g_test_run ();

  g_clear_pointer (&site, byline_wp_site_free);
  g_free (login_password);
  return status;
}
