/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-link-checker.c: the link checker against a local server that answers, redirects, fails,
 * hangs and streams without end, over http and https. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>

#include "byline-link-checker.h"
#include "byline-test-util.h"
#include "wp-fault-server.h"

#define MIB (1024 * 1024)

typedef struct {
  WpFaultServer     *server;
  BylineLinkChecker *checker;
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = wp_fault_server_new (NULL);
  f->checker = byline_link_checker_new ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->checker);
  /* Let the checker's last callbacks (closing connections) run before its server goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&f->server, wp_fault_server_free);
}

static char *
server_url (WpFaultServer *server,
            const char    *path)
{
  return g_strconcat (wp_fault_server_get_url (server), path, NULL);
}

/* Checks @urls (NULL-terminated) and waits for the results; fails the test on an error. */
static GPtrArray *
check_urls (BylineLinkChecker  *checker,
            const char * const *urls)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *results;

  byline_link_checker_check_async (checker, urls, NULL, byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, 30, "the link check");
  results = byline_link_checker_check_finish (checker, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (results);
  return results;
}

/* Checks the one address @url and returns its result. */
static BylineLinkResult *
check_one (BylineLinkChecker *checker,
           const char        *url)
{
  const char *urls[] = { url, NULL };
  g_autoptr(GPtrArray) results = check_urls (checker, urls);
  BylineLinkResult *result;

  g_assert_cmpuint (results->len, ==, 1);
  result = g_ptr_array_steal_index (results, 0);
  g_assert_cmpstr (result->url, ==, url);
  return result;
}

static BylineLinkResult *
check_path (Fixture    *f,
            const char *path)
{
  g_autofree char *url = server_url (f->server, path);

  return check_one (f->checker, url);
}

static WpFaultResponse *
redirect_response (guint       status,
                   const char *location)
{
  WpFaultResponse *response = wp_fault_response_new (status, NULL, NULL);

  wp_fault_response_add_header (response, "Location", location);
  return response;
}

static void
assert_message_has (const BylineLinkResult *result,
                    const char             *part)
{
  if (result->message == NULL || strstr (result->message, part) == NULL)
    g_error ("The message for %s is “%s”, without “%s”", result->url,
             result->message ? result->message : "(none)", part);
}

static void
test_ok (Fixture       *f,
         gconstpointer  data)
{
  g_autoptr(BylineLinkResult) result = NULL;
  const WpFaultRequest *request;

  wp_fault_server_add (f->server, "/story",
                       wp_fault_response_new (200, "text/html", "<p>The story</p>"));
  result = check_path (f, "/story");
  g_assert_cmpint (result->status, ==, BYLINE_LINK_OK);
  g_assert_cmpuint (result->http_status, ==, 200);
  g_assert_null (result->final_url);
  g_assert_null (result->message);

  /* One HEAD, which names Byline and its version. */
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 1);
  request = wp_fault_server_get_request (f->server, 0);
  g_assert_cmpstr (request->method, ==, "HEAD");
  g_assert_cmpstr (soup_message_headers_get_one (request->headers, "User-Agent"), ==,
                   "Byline/" PACKAGE_VERSION);

  /* A fragment stays in the browser: the same page is asked. */
  g_clear_pointer (&result, byline_link_result_free);
  result = check_path (f, "/story#comments");
  g_assert_cmpint (result->status, ==, BYLINE_LINK_OK);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "HEAD", "/story"), ==, 2);

  /* A space, as writers paste them, goes out escaped, as a browser sends it. */
  wp_fault_server_add (f->server, "/two words", wp_fault_response_new (200, NULL, NULL));
  g_clear_pointer (&result, byline_link_result_free);
  result = check_path (f, "/two words");
  g_assert_cmpint (result->status, ==, BYLINE_LINK_OK);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "HEAD", "/two words"), ==, 1);
}

static void
test_nothing (Fixture       *f,
              gconstpointer  data)
{
  const char *urls[] = { NULL };
  g_autoptr(GPtrArray) results = check_urls (f->checker, urls);

  g_assert_cmpuint (results->len, ==, 0);
}

static void
test_redirect_chain (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BylineLinkResult) result = NULL;
  g_autofree char *landing = server_url (f->server, "/2026/12/landing");

  /* A relative Location, then an absolute one. */
  wp_fault_server_add (f->server, "/old", redirect_response (301, "/moved"));
  wp_fault_server_add (f->server, "/moved", redirect_response (302, landing));
  wp_fault_server_add (f->server, "/2026/12/landing", wp_fault_response_new (200, NULL, NULL));

  result = check_path (f, "/old");
  g_assert_cmpint (result->status, ==, BYLINE_LINK_OK);
  g_assert_cmpuint (result->http_status, ==, 200);
  g_assert_cmpstr (result->final_url, ==, landing);
  g_assert_null (result->message);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "HEAD", "/old"), ==, 1);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "HEAD", "/moved"), ==, 1);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "HEAD", "/2026/12/landing"), ==, 1);
}

static void
test_redirect_to_broken (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(BylineLinkResult) result = NULL;
  g_autofree char *gone = server_url (f->server, "/gone");

  wp_fault_server_add (f->server, "/old", redirect_response (308, "/gone"));
  wp_fault_server_add (f->server, "/gone", wp_fault_response_new (404, NULL, NULL));

  /* Where a redirect leads is what a reader gets: a 404 there is a broken link. */
  result = check_path (f, "/old");
  g_assert_cmpint (result->status, ==, BYLINE_LINK_CLIENT_ERROR);
  g_assert_cmpuint (result->http_status, ==, 404);
  g_assert_cmpstr (result->final_url, ==, gone);
}

static void
test_redirect_loop (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(BylineLinkResult) result = NULL;

  wp_fault_server_add (f->server, "/a", redirect_response (302, "/b"));
  wp_fault_server_add (f->server, "/b", redirect_response (307, "/a"));

  result = check_path (f, "/a");
  g_assert_cmpint (result->status, ==, BYLINE_LINK_TOO_MANY_REDIRECTS);
  g_assert_cmpuint (result->http_status, ==, 302);
  assert_message_has (result, "more than 10 times");
  /* The address asked (/a, 302), then ten redirects followed, and the eleventh (/a) refused. */
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 11);
}

static void
test_not_found (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(BylineLinkResult) result = NULL;

  wp_fault_server_add (f->server, "/missing", wp_fault_response_new (404, "text/html", "Nope"));
  result = check_path (f, "/missing");
  g_assert_cmpint (result->status, ==, BYLINE_LINK_CLIENT_ERROR);
  g_assert_cmpuint (result->http_status, ==, 404);
  g_assert_null (result->final_url);
  g_assert_cmpstr (result->message, ==, "The page was not found (404).");
  /* A failed HEAD is asked again with GET, whose answer stands. */
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "HEAD", "/missing"), ==, 1);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "GET", "/missing"), ==, 1);
}

static void
test_server_error (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BylineLinkResult) result = NULL;

  wp_fault_server_add (f->server, "/broken", wp_fault_response_new (500, "text/html", "Oops"));
  result = check_path (f, "/broken");
  g_assert_cmpint (result->status, ==, BYLINE_LINK_SERVER_ERROR);
  g_assert_cmpuint (result->http_status, ==, 500);
  assert_message_has (result, "(500)");
}

static void
test_head_refused (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(BylineLinkResult) result = NULL;

  wp_fault_server_add (f->server, "HEAD /page", wp_fault_response_new (405, NULL, NULL));
  wp_fault_server_add (f->server, "GET /page", wp_fault_response_new (200, "text/html", "Hi"));
  result = check_path (f, "/page");
  g_assert_cmpint (result->status, ==, BYLINE_LINK_OK);
  g_assert_cmpuint (result->http_status, ==, 200);
  g_assert_null (result->message);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "HEAD", "/page"), ==, 1);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "GET", "/page"), ==, 1);
}

static void
test_hang (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(BylineLinkResult) result = NULL;
  gint64 start;
  double elapsed;

  wp_fault_server_add (f->server, "/hang", wp_fault_response_new_fault (WP_FAULT_STALL));
  byline_link_checker_set_timeout (f->checker, 1);
  start = g_get_monotonic_time ();
  result = check_path (f, "/hang");
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_cmpint (result->status, ==, BYLINE_LINK_TIMEOUT);
  g_assert_cmpuint (result->http_status, ==, 0);
  g_assert_cmpstr (result->message, ==, "No answer within 1 second.");
  g_assert_cmpfloat (elapsed, >=, 0.9);
  g_assert_cmpfloat (elapsed, <, 3.0);
}

/* A page whose body would take for ever: only its start may be read. */
static void
check_huge (Fixture  *f,
            gboolean  chunked)
{
  g_autoptr(WpFaultResponse) huge = wp_fault_response_new_fault (WP_FAULT_HUGE);
  g_autoptr(BylineLinkResult) result = NULL;
  gint64 start;
  double elapsed;

  /* HEAD refused, so that the GET's body is there to be read, or not. */
  wp_fault_server_add (f->server, "HEAD /huge", wp_fault_response_new (405, NULL, NULL));
  wp_fault_response_set_body (huge, 200, "text/html", NULL);
  wp_fault_response_set_huge (huge, (guint64) 50 * MIB, chunked);
  wp_fault_server_add (f->server, "GET /huge", g_steal_pointer (&huge));

  start = g_get_monotonic_time ();
  result = check_path (f, "/huge");
  elapsed = (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC;
  g_assert_cmpint (result->status, ==, BYLINE_LINK_OK);
  g_assert_cmpuint (result->http_status, ==, 200);
  g_assert_cmpfloat (elapsed, <, 5.0);

  /* The server stops when the checker closes the connection; what it wrote by then went into
   * the sockets' buffers while the answer's head was read (0.25 to 4 MiB seen on loopback),
   * never the whole body. */
  g_assert_true (wp_fault_server_wait_stream_end (f->server, 10000));
  g_test_message ("%s: %" G_GUINT64_FORMAT " bytes of 50 MiB sent", chunked ? "chunked" : "length",
                  wp_fault_server_get_stream_sent (f->server));
  g_assert_false (wp_fault_server_get_stream_complete (f->server));
  g_assert_cmpuint (wp_fault_server_get_stream_sent (f->server), <, 16 * MIB);
}

static void
test_huge_chunked (Fixture       *f,
                   gconstpointer  data)
{
  check_huge (f, TRUE);
}

static void
test_huge_length (Fixture       *f,
                  gconstpointer  data)
{
  check_huge (f, FALSE);
}

static GTlsCertificate *
test_certificate_from (const char *dir,
                       const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, dir, name, NULL);
  g_autoptr(GError) error = NULL;
  GTlsCertificate *certificate = g_tls_certificate_new_from_file (path, &error);

  g_assert_no_error (error);
  return certificate;
}

static GTlsDatabase *
database_trusting (const char *dir,
                   const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, dir, name, NULL);
  g_autoptr(GError) error = NULL;
  GTlsDatabase *database = g_tls_file_database_new (path, &error);

  g_assert_no_error (error);
  return database;
}

static void
test_bad_certificate (void)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(WpFaultServer) server = NULL;
  g_autoptr(BylineLinkChecker) checker = byline_link_checker_new ();
  g_autoptr(GTlsDatabase) trusting = NULL;
  g_autoptr(BylineLinkResult) refused = NULL;
  g_autoptr(BylineLinkResult) trusted = NULL;
  g_autofree char *url = NULL;

  /* ./dev installs glib-networking: without it no https link could be checked at all, which is
   * a failure to report, not a test to skip. */
  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    g_error ("No TLS support: install glib-networking (./dev test does)");

  /* A certificate made for 127.0.0.1 that signs itself: no authority the system trusts. */
  certificate = test_certificate_from ("link-checker", "loopback.pem");
  server = wp_fault_server_new (certificate);
  wp_fault_server_add (server, "/secure", wp_fault_response_new (200, "text/html", "Hi"));
  url = server_url (server, "/secure");
  g_assert_true (g_str_has_prefix (url, "https://"));

  refused = check_one (checker, url);
  g_assert_cmpint (refused->status, ==, BYLINE_LINK_TLS);
  g_assert_cmpuint (refused->http_status, ==, 0);
  assert_message_has (refused, "The site’s certificate is not valid: ");
  assert_message_has (refused, "not signed by an authority");
  g_assert_cmpuint (wp_fault_server_get_n_requests (server), ==, 0);

  /* Trusted, the same site is fine (and the kept result was forgotten with the database). */
  trusting = database_trusting ("link-checker", "loopback-certificate.pem");
  byline_link_checker_set_tls_database (checker, trusting);
  trusted = check_one (checker, url);
  g_assert_cmpint (trusted->status, ==, BYLINE_LINK_OK);
  g_assert_cmpuint (trusted->http_status, ==, 200);
  g_assert_cmpuint (wp_fault_server_count_requests (server, "HEAD", "/secure"), ==, 1);

  g_clear_object (&checker);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_certificate_for_another_site (void)
{
  g_autoptr(GTlsCertificate) certificate = NULL;
  g_autoptr(WpFaultServer) server = NULL;
  g_autoptr(BylineLinkChecker) checker = byline_link_checker_new ();
  g_autoptr(GTlsDatabase) trusting = NULL;
  g_autoptr(BylineLinkResult) result = NULL;
  g_autofree char *url = NULL;

  if (!g_tls_backend_supports_tls (g_tls_backend_get_default ()))
    g_error ("No TLS support: install glib-networking (./dev test does)");

  /* Trusted, but made for byline-test.invalid, not for 127.0.0.1. */
  certificate = test_certificate_from ("wp-responses", "self-signed.pem");
  server = wp_fault_server_new (certificate);
  url = server_url (server, "/secure");
  trusting = database_trusting ("wp-responses", "self-signed.pem");
  byline_link_checker_set_tls_database (checker, trusting);

  result = check_one (checker, url);
  g_assert_cmpint (result->status, ==, BYLINE_LINK_TLS);
  assert_message_has (result, "it is for another site");
  g_assert_cmpuint (wp_fault_server_get_n_requests (server), ==, 0);

  g_clear_object (&checker);
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
test_dns (void)
{
  g_autoptr(BylineLinkChecker) checker = byline_link_checker_new ();
  g_autoptr(BylineLinkResult) result = NULL;

  /* .invalid never resolves (RFC 6761). */
  result = check_one (checker, "https://no-such-site.invalid/story");
  g_assert_cmpint (result->status, ==, BYLINE_LINK_DNS);
  g_assert_cmpuint (result->http_status, ==, 0);
  g_assert_cmpstr (result->message, ==, "The site no-such-site.invalid could not be found.");
}

/* A loopback port nothing listens on: one bound a moment ago, then closed. */
static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  guint16 port;

  g_assert_nonnull (socket);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}

static void
test_refused (void)
{
  g_autoptr(BylineLinkChecker) checker = byline_link_checker_new ();
  g_autoptr(BylineLinkResult) result = NULL;
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/story", free_port ());

  result = check_one (checker, url);
  g_assert_cmpint (result->status, ==, BYLINE_LINK_FAILED);
  g_assert_cmpuint (result->http_status, ==, 0);
  assert_message_has (result, "refused the connection");
}

static void
test_not_web (Fixture       *f,
              gconstpointer  data)
{
  const char *urls[] = {
    "mailto:desk@example.org",
    "javascript:alert(1)",
    "tel:+15555550100",
    "../2026/other-story",
    "/about",
    "#section",
    "",
    "http:///no-host",
    "http://[::1/",
    "https://example.org:99999/",
    NULL,
  };
  g_autoptr(GPtrArray) results = check_urls (f->checker, urls);

  g_assert_cmpuint (results->len, ==, G_N_ELEMENTS (urls) - 1);
  for (guint i = 0; i < results->len; i++)
    {
      BylineLinkResult *result = g_ptr_array_index (results, i);

      g_assert_cmpstr (result->url, ==, urls[i]);
      g_assert_cmpint (result->status, ==, BYLINE_LINK_NOT_CHECKED);
      g_assert_cmpuint (result->http_status, ==, 0);
      assert_message_has (result, "Not checked: ");
    }
  assert_message_has (g_ptr_array_index (results, 0), "not “mailto:” ones");
  assert_message_has (g_ptr_array_index (results, 1), "not “javascript:” ones");
  assert_message_has (g_ptr_array_index (results, 3), "not complete");
  assert_message_has (g_ptr_array_index (results, 8), "not a valid web address");
  assert_message_has (g_ptr_array_index (results, 9), "not a valid web address");
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 0);
}

static void
test_duplicates (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *one = server_url (f->server, "/one");
  g_autofree char *two = server_url (f->server, "/two");
  const char *urls[] = { one, two, one, "mailto:desk@example.org", two, one, NULL };
  g_autoptr(GPtrArray) results = NULL;

  wp_fault_server_add (f->server, "/one", wp_fault_response_new (200, NULL, NULL));
  wp_fault_server_add (f->server, "/two", wp_fault_response_new (404, NULL, NULL));
  results = check_urls (f->checker, urls);

  /* One result an address, in the order first asked. */
  g_assert_cmpuint (results->len, ==, 3);
  g_assert_cmpstr (((BylineLinkResult *) g_ptr_array_index (results, 0))->url, ==, one);
  g_assert_cmpint (((BylineLinkResult *) g_ptr_array_index (results, 0))->status, ==,
                   BYLINE_LINK_OK);
  g_assert_cmpstr (((BylineLinkResult *) g_ptr_array_index (results, 1))->url, ==, two);
  g_assert_cmpint (((BylineLinkResult *) g_ptr_array_index (results, 1))->status, ==,
                   BYLINE_LINK_CLIENT_ERROR);
  g_assert_cmpint (((BylineLinkResult *) g_ptr_array_index (results, 2))->status, ==,
                   BYLINE_LINK_NOT_CHECKED);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "HEAD", "/one"), ==, 1);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, NULL, "/one"), ==, 1);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "HEAD", "/two"), ==, 1);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "GET", "/two"), ==, 1);
}

static void
test_cache (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *one = server_url (f->server, "/one");
  g_autofree char *two = server_url (f->server, "/two");
  const char *urls[] = { one, two, NULL };
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) again = NULL;
  g_autoptr(GPtrArray) uncached = NULL;
  g_autoptr(GPtrArray) expired = NULL;
  BylineLinkResult *kept;

  wp_fault_server_add (f->server, "/one", redirect_response (301, "/one-moved"));
  wp_fault_server_add (f->server, "/one-moved", wp_fault_response_new (200, NULL, NULL));
  wp_fault_server_add (f->server, "/two", wp_fault_response_new (404, NULL, NULL));

  first = check_urls (f->checker, urls);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 4);

  /* Again within max_age: the same results, and not one request. */
  again = check_urls (f->checker, urls);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 4);
  g_assert_cmpuint (again->len, ==, 2);
  kept = g_ptr_array_index (again, 0);
  g_assert_cmpstr (kept->url, ==, one);
  g_assert_cmpint (kept->status, ==, BYLINE_LINK_OK);
  g_assert_cmpuint (kept->http_status, ==, 200);
  g_assert_true (g_str_has_suffix (kept->final_url, "/one-moved"));
  kept = g_ptr_array_index (again, 1);
  g_assert_cmpint (kept->status, ==, BYLINE_LINK_CLIENT_ERROR);
  g_assert_cmpstr (kept->message, ==, "The page was not found (404).");

  /* Keeping nothing: every check asks. */
  byline_link_checker_set_max_age (f->checker, 0);
  uncached = check_urls (f->checker, urls);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 8);
  g_clear_pointer (&uncached, g_ptr_array_unref);
  uncached = check_urls (f->checker, urls);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 12);

  /* Kept for a second: asked again once that second is over. */
  byline_link_checker_set_max_age (f->checker, 1);
  g_clear_pointer (&uncached, g_ptr_array_unref);
  uncached = check_urls (f->checker, urls);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 16);
  byline_test_iterate_for (1100);
  expired = check_urls (f->checker, urls);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 20);
}

static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) hanging = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(BylineLinkResult) after = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  /* Five hanging pages on one site: two in flight, three waiting for a slot. */
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *path = g_strdup_printf ("/hang-%u", i);

      wp_fault_server_add (f->server, path, wp_fault_response_new_fault (WP_FAULT_STALL));
      g_ptr_array_add (hanging, server_url (f->server, path));
    }
  g_ptr_array_add (hanging, NULL);
  wp_fault_server_add (f->server, "/story", wp_fault_response_new (200, NULL, NULL));

  byline_link_checker_check_async (f->checker, (const char * const *) hanging->pdata, cancellable,
                                   byline_test_store_result_cb, &result);
  byline_test_iterate_for (300);
  g_assert_null (result);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 2);

  start = g_get_monotonic_time ();
  g_cancellable_cancel (cancellable);
  byline_test_wait_for_result (&result, 5, "the cancelled check");
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
  results = byline_link_checker_check_finish (f->checker, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (results);
  /* The waiting ones were never sent. */
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 2);

  /* The two in flight were cancelled and every slot came back: the next check on the same site
   * goes out at once, not after the hanging ones time out. */
  start = g_get_monotonic_time ();
  after = check_path (f, "/story");
  g_assert_cmpint (after->status, ==, BYLINE_LINK_OK);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 2 * G_USEC_PER_SEC);
}

static void
test_concurrent (Fixture       *f,
                 gconstpointer  data)
{
  g_autofree char *slow = server_url (f->server, "/slow");
  g_autofree char *other = server_url (f->server, "/other");
  const char *first_urls[] = { slow, other, NULL };
  const char *second_urls[] = { slow, NULL };
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) first = NULL;
  g_autoptr(GAsyncResult) second = NULL;
  g_autoptr(GPtrArray) first_results = NULL;
  g_autoptr(GPtrArray) second_results = NULL;
  g_autoptr(GError) error = NULL;
  WpFaultResponse *response = wp_fault_response_new (200, NULL, NULL);

  wp_fault_response_set_delay (response, 500);
  wp_fault_server_add (f->server, "/slow", response);
  wp_fault_server_add (f->server, "/other", wp_fault_response_new (200, NULL, NULL));
  byline_link_checker_set_max_age (f->checker, 0);

  /* Two checks at once (on demand, then Publish) ask a shared address once. */
  byline_link_checker_check_async (f->checker, first_urls, NULL, byline_test_store_result_cb,
                                   &first);
  byline_link_checker_check_async (f->checker, second_urls, NULL, byline_test_store_result_cb,
                                   &second);
  byline_test_wait_for_result (&first, 10, "the first check");
  byline_test_wait_for_result (&second, 10, "the second check");
  first_results = byline_link_checker_check_finish (f->checker, first, &error);
  g_assert_no_error (error);
  second_results = byline_link_checker_check_finish (f->checker, second, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (first_results->len, ==, 2);
  g_assert_cmpuint (second_results->len, ==, 1);
  g_assert_cmpint (((BylineLinkResult *) g_ptr_array_index (first_results, 0))->status, ==,
                   BYLINE_LINK_OK);
  g_assert_cmpint (((BylineLinkResult *) g_ptr_array_index (second_results, 0))->status, ==,
                   BYLINE_LINK_OK);
  g_assert_cmpstr (((BylineLinkResult *) g_ptr_array_index (second_results, 0))->url, ==, slow);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, NULL, "/slow"), ==, 1);

  /* The first cancelled while the second waits for the same address: the first returns at once,
   * and the request goes on for the second. */
  g_clear_object (&first);
  g_clear_object (&second);
  g_clear_pointer (&first_results, g_ptr_array_unref);
  g_clear_pointer (&second_results, g_ptr_array_unref);
  byline_link_checker_check_async (f->checker, second_urls, cancellable,
                                   byline_test_store_result_cb, &first);
  byline_link_checker_check_async (f->checker, second_urls, NULL, byline_test_store_result_cb,
                                   &second);
  byline_test_iterate_for (100);
  g_cancellable_cancel (cancellable);
  byline_test_wait_for_result (&first, 10, "the cancelled check");
  g_assert_null (second);
  first_results = byline_link_checker_check_finish (f->checker, first, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (first_results);
  g_clear_error (&error);
  byline_test_wait_for_result (&second, 10, "the check that went on");
  second_results = byline_link_checker_check_finish (f->checker, second, &error);
  g_assert_no_error (error);
  g_assert_cmpint (((BylineLinkResult *) g_ptr_array_index (second_results, 0))->status, ==,
                   BYLINE_LINK_OK);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, NULL, "/slow"), ==, 2);
}

static void
test_per_site_limit (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) urls = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) results = NULL;
  gint64 first;

  /* Six slow pages on one site: two at a time. */
  for (guint i = 0; i < 6; i++)
    {
      g_autofree char *path = g_strdup_printf ("/slow-%u", i);
      WpFaultResponse *slow = wp_fault_response_new (200, NULL, NULL);

      wp_fault_response_set_delay (slow, 500);
      wp_fault_server_add (f->server, path, slow);
      g_ptr_array_add (urls, server_url (f->server, path));
    }
  g_ptr_array_add (urls, NULL);

  results = check_urls (f->checker, (const char * const *) urls->pdata);
  g_assert_cmpuint (results->len, ==, 6);
  for (guint i = 0; i < results->len; i++)
    g_assert_cmpint (((BylineLinkResult *) g_ptr_array_index (results, i))->status, ==,
                     BYLINE_LINK_OK);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 6);

  /* The second went out with the first; the third only once one of them was answered. */
  first = wp_fault_server_get_request (f->server, 0)->received_at;
  g_assert_cmpint (wp_fault_server_get_request (f->server, 1)->received_at - first, <,
                   400 * G_TIME_SPAN_MILLISECOND);
  for (guint i = 2; i < 6; i++)
    g_assert_cmpint (wp_fault_server_get_request (f->server, i)->received_at - first, >=,
                     (i / 2) * 490 * G_TIME_SPAN_MILLISECOND);
}

/* A network monitor that says there is no network, as GIO's own do on a computer offline. */
typedef struct {
  GObject parent_instance;
} OfflineMonitor;

typedef GObjectClass OfflineMonitorClass;

GType offline_monitor_get_type (void);

enum {
  PROP_OFFLINE_0,
  PROP_NETWORK_AVAILABLE,
  PROP_NETWORK_METERED,
  PROP_CONNECTIVITY,
};

static void offline_monitor_initable_init (GInitableIface *iface);
static void offline_monitor_network_monitor_init (GNetworkMonitorInterface *iface);

G_DEFINE_TYPE_WITH_CODE (OfflineMonitor, offline_monitor, G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, offline_monitor_initable_init)
                         G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                offline_monitor_network_monitor_init))

static void
offline_monitor_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_NETWORK_AVAILABLE:
    case PROP_NETWORK_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case PROP_CONNECTIVITY:
      g_value_set_enum (value, G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
offline_monitor_class_init (OfflineMonitorClass *klass)
{
  klass->get_property = offline_monitor_get_property;
  g_object_class_override_property (klass, PROP_NETWORK_AVAILABLE, "network-available");
  g_object_class_override_property (klass, PROP_NETWORK_METERED, "network-metered");
  g_object_class_override_property (klass, PROP_CONNECTIVITY, "connectivity");
}

static void
offline_monitor_init (OfflineMonitor *self)
{
}

static gboolean
offline_monitor_initable_init_fn (GInitable     *initable,
                                  GCancellable  *cancellable,
                                  GError       **error)
{
  return TRUE;
}

static void
offline_monitor_initable_init (GInitableIface *iface)
{
  iface->init = offline_monitor_initable_init_fn;
}

static gboolean
offline_monitor_can_reach (GNetworkMonitor     *monitor,
                           GSocketConnectable  *connectable,
                           GCancellable        *cancellable,
                           GError             **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NETWORK_UNREACHABLE, "Offline");
  return FALSE;
}

static void
offline_monitor_network_monitor_init (GNetworkMonitorInterface *iface)
{
  iface->can_reach = offline_monitor_can_reach;
}

static void
test_offline (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GNetworkMonitor) offline = NULL;
  g_autoptr(BylineLinkChecker) checker = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *story = server_url (f->server, "/story");
  const char *urls[] = { story, "https://example.org/", "mailto:desk@example.org", NULL };

  offline = g_initable_new (offline_monitor_get_type (), NULL, &error, NULL);
  g_assert_no_error (error);
  g_assert_false (g_network_monitor_get_network_available (offline));
  checker = g_object_new (BYLINE_TYPE_LINK_CHECKER, "network-monitor", offline, NULL);

  wp_fault_server_add (f->server, "/story", wp_fault_response_new (200, NULL, NULL));
  results = check_urls (checker, urls);
  g_assert_cmpuint (results->len, ==, 3);
  for (guint i = 0; i < 2; i++)
    {
      BylineLinkResult *result = g_ptr_array_index (results, i);

      g_assert_cmpstr (result->url, ==, urls[i]);
      g_assert_cmpint (result->status, ==, BYLINE_LINK_NOT_CHECKED);
      assert_message_has (result, "without a network connection");
    }
  g_assert_cmpint (((BylineLinkResult *) g_ptr_array_index (results, 2))->status, ==,
                   BYLINE_LINK_NOT_CHECKED);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 0);

  /* Nothing offline is kept: back online, the link is asked. */
  g_clear_pointer (&results, g_ptr_array_unref);
  results = check_urls (f->checker, urls);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, NULL, "/story"), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  /* The system's network monitor reads the routes, which a build machine may lack: GIO's base
   * monitor says the network is there. The offline test gives the checker one that says not. */
  g_setenv ("GIO_USE_NETWORK_MONITOR", "base", TRUE);
  byline_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/core/link-checker/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("ok", test_ok);
  ADD ("nothing", test_nothing);
  ADD ("redirect-chain", test_redirect_chain);
  ADD ("redirect-to-broken", test_redirect_to_broken);
  ADD ("redirect-loop", test_redirect_loop);
  ADD ("not-found", test_not_found);
  ADD ("server-error", test_server_error);
  ADD ("head-refused", test_head_refused);
  ADD ("hang", test_hang);
  ADD ("huge-chunked", test_huge_chunked);
  ADD ("huge-length", test_huge_length);
  ADD ("not-web", test_not_web);
  ADD ("duplicates", test_duplicates);
  ADD ("cache", test_cache);
  ADD ("cancel", test_cancel);
  ADD ("concurrent", test_concurrent);
  ADD ("per-site-limit", test_per_site_limit);
  ADD ("offline", test_offline);
#undef ADD
  g_test_add_func ("/core/link-checker/bad-certificate", test_bad_certificate);
  g_test_add_func ("/core/link-checker/certificate-for-another-site",
                   test_certificate_for_another_site);
  g_test_add_func ("/core/link-checker/dns", test_dns);
  g_test_add_func ("/core/link-checker/refused", test_refused);
  return g_test_run ();
}
