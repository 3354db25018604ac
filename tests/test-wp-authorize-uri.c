/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-wp-authorize-uri.c: WordPress's answer coming back as a link with Byline's own URI scheme
 * (as the desktop hands it to the application's open handler), and how begin chooses between
 * that link and the loopback. No network: the links are made here as WordPress makes them. */

#include "config.h"

#include <string.h>

#include "byline-test-util.h"
#include "byline-wp-authorize.h"

#define ENDPOINT "https://news.example/wp-admin/authorize-application.php"

static BylineWpAuthorize *
begin_app_uri (void)
{
  g_autoptr(GError) error = NULL;
  BylineWpAuthorize *auth = byline_wp_authorize_begin (ENDPOINT, BYLINE_WP_AUTHORIZE_RETURN_APP_URI,
                                                       &error);
  g_autofree char *prefix = g_strconcat (byline_wp_authorize_get_uri_scheme (), "://authorize/",
                                         NULL);

  g_assert_no_error (error);
  g_assert_cmpint (byline_wp_authorize_get_return (auth), ==, BYLINE_WP_AUTHORIZE_RETURN_APP_URI);
  g_assert_true (g_str_has_prefix (byline_wp_authorize_get_callback_url (auth), prefix));
  g_assert_true (byline_wp_authorize_is_app_uri (byline_wp_authorize_get_callback_url (auth)));
  return auth;
}

/* The callback with what WordPress's auth-app.js adds on approval. */
static char *
approved_link (BylineWpAuthorize *auth,
               const char        *password)
{
  g_autofree char *escaped = g_uri_escape_string (password, NULL, FALSE);

  return g_strconcat (byline_wp_authorize_get_callback_url (auth),
                      "?site_url=https%3A%2F%2Fnews.example&user_login=editor%40news&password=",
                      escaped, NULL);
}

static void
test_scheme (void)
{
  g_autofree char *expected = g_ascii_strdown (APP_ID, -1);
  g_autoptr(BylineWpAuthorize) auth = begin_app_uri ();
  g_autofree char *url = NULL;
  g_autofree char *escaped = NULL;

  g_assert_cmpstr (byline_wp_authorize_get_uri_scheme (), ==, expected);
  /* What WordPress gets: the link as success_url, with a host, and the refusal beside it. */
  escaped = g_uri_escape_string (byline_wp_authorize_get_callback_url (auth), NULL, FALSE);
  url = g_strconcat ("success_url=", escaped, "&", NULL);
  g_assert_nonnull (strstr (byline_wp_authorize_get_url (auth), url));
  g_assert_nonnull (strstr (byline_wp_authorize_get_url (auth), "%3Fsuccess%3Dfalse"));

  g_assert_false (byline_wp_authorize_is_app_uri ("https://authorize/abc"));
  g_assert_false (byline_wp_authorize_is_app_uri ("file:///home/me/post.md"));
  {
    g_autofree char *other_host = g_strconcat (expected, "://elsewhere/abc", NULL);
    g_autofree char *upper = g_ascii_strup (byline_wp_authorize_get_callback_url (auth), -1);

    g_assert_false (byline_wp_authorize_is_app_uri (other_host));
    /* Schemes and hosts are case-insensitive. */
    g_assert_true (byline_wp_authorize_is_app_uri (upper));
  }
}

static void
test_right_token (void)
{
  g_autoptr(BylineWpAuthorize) auth = begin_app_uri ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = approved_link (auth, "abcd EFGH 1234 ijkl");
  g_autofree char *user_login = NULL;
  g_autofree char *password = NULL;

  byline_wp_authorize_wait_async (auth, NULL, byline_test_store_result_cb, &result);
  g_assert_true (byline_wp_authorize_handle_uri (link, &error));
  g_assert_no_error (error);
  g_assert_true (byline_test_wait_until (byline_test_has_result, &result, 5000));
  g_assert_true (byline_wp_authorize_wait_finish (auth, result, &user_login, &password, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (user_login, ==, "editor@news");
  g_assert_cmpstr (password, ==, "abcd EFGH 1234 ijkl");

  /* One-shot: the same link again finds nothing waiting. */
  g_assert_false (byline_wp_authorize_handle_uri (link, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* The desktop may hand the link over before the wait starts (the person was quick). */
static void
test_link_before_wait (void)
{
  g_autoptr(BylineWpAuthorize) auth = begin_app_uri ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = approved_link (auth, "secret");
  g_autofree char *password = NULL;

  g_assert_true (byline_wp_authorize_handle_uri (link, &error));
  byline_wp_authorize_wait_async (auth, NULL, byline_test_store_result_cb, &result);
  g_assert_true (byline_test_wait_until (byline_test_has_result, &result, 5000));
  g_assert_true (byline_wp_authorize_wait_finish (auth, result, NULL, &password, &error));
  g_assert_cmpstr (password, ==, "secret");
}

static void
test_wrong_token (void)
{
  g_autoptr(BylineWpAuthorize) auth = begin_app_uri ();
  g_autoptr(BylineWpAuthorize) other = begin_app_uri ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *user_login = NULL;
  g_autofree char *password = NULL;
  g_autofree char *right = approved_link (auth, "right");
  const char *callback = byline_wp_authorize_get_callback_url (auth);
  const char *token = strrchr (callback, '/') + 1;
  g_autofree char *base = g_strndup (callback, token - callback);
  g_autofree char *longer = g_strconcat (callback, "0?user_login=mallory&password=x", NULL);
  g_autofree char *shorter = g_strndup (callback, strlen (callback) - 1);
  g_autofree char *guessed = g_strconcat (base, "0123456789abcdef0123456789abcdef"
                                          "?user_login=mallory&password=x", NULL);
  g_autofree char *empty = g_strconcat (base, "?user_login=mallory&password=x", NULL);
  const char *wrong[] = { longer, shorter, guessed, empty };

  g_object_unref (g_steal_pointer (&other));
  byline_wp_authorize_wait_async (auth, NULL, byline_test_store_result_cb, &result);
  for (gsize i = 0; i < G_N_ELEMENTS (wrong); i++)
    {
      g_assert_true (byline_wp_authorize_is_app_uri (wrong[i]));
      g_assert_false (byline_wp_authorize_handle_uri (wrong[i], &error));
      g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
      g_clear_error (&error);
    }
  g_assert_false (byline_wp_authorize_handle_uri ("https://authorize/x?password=x", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  g_assert_false (byline_test_wait_until (byline_test_has_result, &result, 200));

  /* The right token still works after the wrong ones. */
  g_assert_true (byline_wp_authorize_handle_uri (right, &error));
  g_assert_true (byline_test_wait_until (byline_test_has_result, &result, 5000));
  g_assert_true (byline_wp_authorize_wait_finish (auth, result, &user_login, &password, &error));
  g_assert_cmpstr (user_login, ==, "editor@news");
  g_assert_cmpstr (password, ==, "right");
}

static void
test_decline (void)
{
  g_autoptr(BylineWpAuthorize) auth = begin_app_uri ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = g_strconcat (byline_wp_authorize_get_callback_url (auth),
                                       "?success=false", NULL);
  char *user_login = NULL;
  char *password = NULL;

  byline_wp_authorize_wait_async (auth, NULL, byline_test_store_result_cb, &result);
  g_assert_true (byline_wp_authorize_handle_uri (link, &error));
  g_assert_true (byline_test_wait_until (byline_test_has_result, &result, 5000));
  g_assert_false (byline_wp_authorize_wait_finish (auth, result, &user_login, &password, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
  g_assert_true (g_str_has_prefix (error->message, "You declined"));
  g_assert_null (user_login);
  g_assert_null (password);
}

/* WordPress makes neither a user name nor a password with control characters or bytes that are
 * not UTF-8: a link that has them is refused, and its error code is quoted as text that can be
 * shown. */
static void
test_unclean_answer (void)
{
  static const char *queries[] = {
    "?user_login=edit%7Fr&password=abcd%20EFGH%201234%20ijkl",
    "?user_login=editor&password=abcd%0AEFGH%201234%20ijkl",
    "?user_login=editor%00admin&password=abcd%20EFGH%201234%20ijkl",
    "?user_login=%FFeditor&password=abcd%20EFGH%201234%20ijkl",
    "?user_login=editor&password=abcd%C2%85EFGH",
    "?error=not%07allowed",
  };

  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_autoptr(BylineWpAuthorize) auth = begin_app_uri ();
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *link = g_strconcat (byline_wp_authorize_get_callback_url (auth), queries[i],
                                           NULL);
      char *user_login = NULL;
      char *password = NULL;

      g_test_message ("%s", queries[i]);
      byline_wp_authorize_wait_async (auth, NULL, byline_test_store_result_cb, &result);
      g_assert_true (byline_wp_authorize_handle_uri (link, &error));
      g_assert_true (byline_test_wait_until (byline_test_has_result, &result, 5000));
      g_assert_false (byline_wp_authorize_wait_finish (auth, result, &user_login, &password,
                                                       &error));
      g_assert_nonnull (error);
      g_assert_null (user_login);
      g_assert_null (password);
      g_assert_true (g_utf8_validate (error->message, -1, NULL));
      for (const char *c = error->message; *c != '\0'; c = g_utf8_next_char (c))
        g_assert_false (g_unichar_iscntrl (g_utf8_get_char (c)));
    }
}

static void
test_nothing_waiting (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *link = g_strconcat (byline_wp_authorize_get_uri_scheme (),
                                       "://authorize/0123456789abcdef0123456789abcdef"
                                       "?user_login=editor&password=x", NULL);

  g_assert_false (byline_wp_authorize_handle_uri (link, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "was not waiting"));
}

static void
test_timeout (void)
{
  g_autoptr(BylineWpAuthorize) auth = begin_app_uri ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = approved_link (auth, "late");

  byline_wp_authorize_set_timeout (auth, 1);
  byline_wp_authorize_wait_async (auth, NULL, byline_test_store_result_cb, &result);
  g_assert_true (byline_test_wait_until (byline_test_has_result, &result, 10000));
  g_assert_false (byline_wp_authorize_wait_finish (auth, result, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT);
  g_clear_error (&error);

  /* Too late: nothing waits for the link any more. */
  g_assert_false (byline_wp_authorize_handle_uri (link, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static void
test_cancel (void)
{
  g_autoptr(BylineWpAuthorize) auth = begin_app_uri ();
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = approved_link (auth, "late");

  byline_wp_authorize_wait_async (auth, cancellable, byline_test_store_result_cb, &result);
  g_assert_false (byline_test_wait_until (byline_test_has_result, &result, 100));
  g_cancellable_cancel (cancellable);
  g_assert_true (byline_test_wait_until (byline_test_has_result, &result, 5000));
  g_assert_false (byline_wp_authorize_wait_finish (auth, result, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);

  g_assert_false (byline_wp_authorize_handle_uri (link, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* Finalizing an authorization nobody waits on withdraws its link. */
static void
test_dropped (void)
{
  BylineWpAuthorize *auth = begin_app_uri ();
  g_autofree char *link = approved_link (auth, "x");
  g_autoptr(GError) error = NULL;

  g_object_unref (auth);
  g_assert_false (byline_wp_authorize_handle_uri (link, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

static gboolean
reaches_us (gpointer user_data)
{
  return byline_wp_authorize_app_uri_reaches_us ();
}

/* Without Byline's desktop file (run from the source folder) an http site gets the loopback and
 * an https one a clear sentence; once the desktop file is installed, every site gets the link. */
static void
test_auto (void)
{
  g_autoptr(BylineWpAuthorize) http = NULL;
  g_autoptr(BylineWpAuthorize) https = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *desktop = g_strconcat (dir, "/", APP_ID, ".desktop", NULL);
  g_autofree char *contents = NULL;

  g_assert_false (byline_wp_authorize_app_uri_reaches_us ());
  http = byline_wp_authorize_begin ("http://127.0.0.1:8080/wp-admin/authorize-application.php",
                                    BYLINE_WP_AUTHORIZE_RETURN_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpint (byline_wp_authorize_get_return (http), ==, BYLINE_WP_AUTHORIZE_RETURN_LOOPBACK);
  g_assert_true (g_str_has_prefix (byline_wp_authorize_get_callback_url (http),
                                   "http://127.0.0.1:"));
  g_assert_null (byline_wp_authorize_begin (ENDPOINT, BYLINE_WP_AUTHORIZE_RETURN_AUTO, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED);
  g_assert_nonnull (strstr (error->message, "Application Password"));
  g_clear_error (&error);
  g_clear_object (&http);

  contents = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Byline\nExec=true %%U\n"
                              "MimeType=x-scheme-handler/%s;\n",
                              byline_wp_authorize_get_uri_scheme ());
  g_assert_no_errno (g_mkdir_with_parents (dir, 0700));
  g_assert_true (g_file_set_contents (desktop, contents, -1, &error));
  /* GIO finds a scheme's handlers in mimeinfo.cache, which installing refreshes (meson's
   * post-install, the distribution's triggers, Flatpak's exports); it notices the change through
   * a file monitor. */
  byline_test_run_command ("update-desktop-database", dir, NULL);
  g_assert_true (byline_test_wait_until (reaches_us, NULL, 10000));

  https = byline_wp_authorize_begin (ENDPOINT, BYLINE_WP_AUTHORIZE_RETURN_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpint (byline_wp_authorize_get_return (https), ==, BYLINE_WP_AUTHORIZE_RETURN_APP_URI);
  http = byline_wp_authorize_begin ("http://127.0.0.1:8080/wp-admin/authorize-application.php",
                                    BYLINE_WP_AUTHORIZE_RETURN_AUTO, &error);
  g_assert_no_error (error);
  g_assert_cmpint (byline_wp_authorize_get_return (http), ==, BYLINE_WP_AUTHORIZE_RETURN_APP_URI);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *applications = NULL;

  byline_test_init (&argc, &argv);
  /* There before GIO first looks, so that it watches it for the desktop file test_auto adds. */
  applications = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_assert_no_errno (g_mkdir_with_parents (applications, 0700));

  g_test_add_func ("/core/wp-authorize-uri/scheme", test_scheme);
  g_test_add_func ("/core/wp-authorize-uri/right-token", test_right_token);
  g_test_add_func ("/core/wp-authorize-uri/link-before-wait", test_link_before_wait);
  g_test_add_func ("/core/wp-authorize-uri/wrong-token", test_wrong_token);
  g_test_add_func ("/core/wp-authorize-uri/decline", test_decline);
  g_test_add_func ("/core/wp-authorize-uri/unclean-answer", test_unclean_answer);
  g_test_add_func ("/core/wp-authorize-uri/nothing-waiting", test_nothing_waiting);
  g_test_add_func ("/core/wp-authorize-uri/timeout", test_timeout);
  g_test_add_func ("/core/wp-authorize-uri/cancel", test_cancel);
  g_test_add_func ("/core/wp-authorize-uri/dropped", test_dropped);
  g_test_add_func ("/core/wp-authorize-uri/auto", test_auto);
  return g_test_run ();
}
