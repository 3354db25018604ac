/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-upload-outbox.c: images uploaded through the outbox, against a scripted WordPress that
 * fails as a site can (a timeout after the file was sent, 5xx, 4xx), with a real store and the
 * password in a real keyring: never two copies on the site, nothing lost on a restart, and a
 * publish never sends an address that only means something on this computer. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "byline-accounts.h"
#include "byline-publisher.h"
#include "byline-test-util.h"
#include "wp-fault-server.h"

#define USERNAME "editor"
#define PASSWORD "abcd EFGH 1234 ijkl"
#define MEDIA "/wp-json/wp/v2/media"
#define POSTS "/wp-json/wp/v2/posts"
#define MEDIA_ID 14
#define POST_ID 100
#define ALT "A heron, « après » the rain"

static GTestDBus *bus;

typedef struct {
  WpFaultServer   *server;
  char            *store_path;
  BylineStore     *store;
  BylineAccounts  *accounts;
  BylinePublisher *publisher;
  gint64           account_id;
  BylineDraft     *draft;
  GPtrArray       *finished;   /* "draft_id local_address source_url", from ::upload-finished */
} Fixture;

static void
on_upload_finished (BylinePublisher *publisher,
                    gint64           draft_id,
                    const char      *local_address,
                    const char      *source_url,
                    gpointer         user_data)
{
  Fixture *f = user_data;

  g_ptr_array_add (f->finished, g_strdup_printf ("%" G_GINT64_FORMAT " %s %s", draft_id,
                                                 local_address, source_url));
}

static void
open_publisher (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = byline_store_open (f->store_path, &error);
  g_assert_no_error (error);
  f->accounts = byline_accounts_new (f->store);
  f->publisher = byline_publisher_new (f->store, f->accounts);
  byline_publisher_set_timeout (f->publisher, 1);
  g_signal_connect (f->publisher, "upload-finished", G_CALLBACK (on_upload_finished), f);
}

static void
close_publisher (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->draft);
  g_clear_object (&f->publisher);
  g_clear_object (&f->accounts);
  g_assert_true (byline_store_close (f->store, &error));
  g_assert_no_error (error);
  g_clear_object (&f->store);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = byline_test_make_tmpdir ("upload-outbox");
  g_autofree char *api_root = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  f->server = wp_fault_server_new (NULL);
  f->store_path = g_build_filename (dir, "byline.db", NULL);
  f->finished = g_ptr_array_new_with_free_func (g_free);
  open_publisher (f);

  api_root = g_strconcat (wp_fault_server_get_url (f->server), "/wp-json/", NULL);
  account = byline_account_new (wp_fault_server_get_url (f->server), api_root, USERNAME);
  byline_accounts_add (f->accounts, account, PASSWORD, &error);
  g_assert_no_error (error);
  f->account_id = byline_account_get_id (account);

  f->draft = byline_store_create_draft (f->store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  g_assert_no_error (error);
  byline_draft_set_title (f->draft, "Birds");
  byline_draft_set_body (f->draft, "Before.\n\n");
  g_assert_true (byline_store_save_draft (f->store, f->draft, BYLINE_SAVE_EXPLICIT, NULL, &error));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->draft);
  g_clear_object (&f->publisher);
  g_clear_object (&f->accounts);
  g_clear_object (&f->store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&f->server, wp_fault_server_free);
  g_ptr_array_unref (f->finished);
  g_free (f->store_path);
}

/* Helpers */

static void
process (Fixture *f)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  byline_publisher_process_async (f->publisher, NULL, byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  g_assert_true (byline_publisher_process_finish (f->publisher, result, &error));
  g_assert_no_error (error);
}

static BylineOutboxEntry *
get_entry (Fixture *f,
           gint64   id)
{
  g_autoptr(GError) error = NULL;
  BylineOutboxEntry *entry = byline_publisher_get_entry (f->publisher, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (entry);
  return entry;
}

/* "Send now", once an upload given up on can have landed (see test-publisher's
 * timeout-after-create for the wait itself). */
static void
retry (Fixture *f,
       gint64   id)
{
  g_autoptr(GError) error = NULL;

  byline_test_let_creates_settle (f->store_path);
  g_assert_true (byline_publisher_retry (f->publisher, id, &error));
  g_assert_no_error (error);
}

/* The image's bytes: not a real PNG, which neither the outbox nor the fake site looks into. */
static GBytes *
image_bytes (void)
{
  static const char data[] = "\x89PNG\r\n\x1a\n pretend this is a heron";

  return g_bytes_new_static (data, sizeof data - 1);
}

/* Enqueues the image, puts it into the draft at its local address as the editor does, saves. */
static gint64
insert_image (Fixture  *f,
              char    **local_address)
{
  g_autoptr(GBytes) data = image_bytes ();
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  gint64 id;

  id = byline_publisher_enqueue_upload (f->publisher, byline_draft_get_id (f->draft),
                                        f->account_id, data, "heron.png", "image/png", ALT,
                                        local_address, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  g_assert_true (g_str_has_prefix (*local_address, "byline-upload:"));
  g_assert_true (g_str_has_suffix (*local_address, ".png"));
  body = g_strdup_printf ("Before.\n\n![%s](%s)\n", ALT, *local_address);
  byline_draft_set_body (f->draft, body);
  g_assert_true (byline_store_save_draft (f->store, f->draft, BYLINE_SAVE_AUTOMATIC, NULL,
                                          &error));
  g_assert_no_error (error);
  return id;
}

static char *
local_path (Fixture    *f,
            const char *local_address)
{
  return g_build_filename (byline_publisher_get_uploads_dir (f->publisher),
                           byline_upload_address_get_file (local_address), NULL);
}

static char *
source_url (Fixture *f)
{
  return g_strconcat (wp_fault_server_get_url (f->server),
                      "/wp-content/uploads/2026/11/heron.png", NULL);
}

/* The file as WordPress describes it, under the slug the entry asked for. */
static char *
media_json (Fixture    *f,
            gint64      entry_id,
            const char *alt_text)
{
  g_autoptr(BylineOutboxEntry) entry = get_entry (f, entry_id);
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *slug = g_strconcat ("byline-", entry->client_key, NULL);
  g_autofree char *url = source_url (f);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, MEDIA_ID);
  json_builder_set_member_name (builder, "slug");
  json_builder_add_string_value (builder, slug);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "inherit");
  json_builder_set_member_name (builder, "source_url");
  json_builder_add_string_value (builder, url);
  json_builder_set_member_name (builder, "mime_type");
  json_builder_add_string_value (builder, "image/png");
  json_builder_set_member_name (builder, "alt_text");
  json_builder_add_string_value (builder, alt_text);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static char *
stored_body (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineDraft) draft = byline_store_load_draft (f->store,
                                                          byline_draft_get_id (f->draft), &error);

  g_assert_no_error (error);
  return g_strdup (byline_draft_get_body (draft));
}

static void
assert_has (const char *haystack,
            const char *needle)
{
  if (strstr (haystack, needle) == NULL)
    g_error ("“%s” is not in “%s”", needle, haystack);
}

/* The last request's body whose key is @key, as text. */
static char *
last_body (Fixture    *f,
           const char *method,
           const char *key)
{
  for (guint i = wp_fault_server_get_n_requests (f->server); i > 0; i--)
    {
      const WpFaultRequest *request = wp_fault_server_get_request (f->server, i - 1);

      if (g_str_equal (request->method, method) && g_str_equal (request->key, key))
        return g_strndup (g_bytes_get_data (request->body, NULL),
                          g_bytes_get_size (request->body));
    }
  return NULL;
}

static void
assert_done (Fixture    *f,
             gint64      id,
             const char *local_address)
{
  g_autoptr(BylineOutboxEntry) entry = get_entry (f, id);
  g_autofree char *url = source_url (f);
  g_autofree char *body = stored_body (f);
  g_autofree char *expected = g_strdup_printf ("Before.\n\n![%s](%s)\n", ALT, url);
  g_autofree char *signal = g_strdup_printf ("%" G_GINT64_FORMAT " %s %s",
                                             byline_draft_get_id (f->draft), local_address, url);

  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpint (entry->remote_id, ==, MEDIA_ID);
  g_assert_cmpstr (entry->link, ==, url);
  g_assert_cmpstr (entry->local_address, ==, local_address);
  /* The stored draft has the site's address in place of the local one. */
  g_assert_cmpstr (body, ==, expected);
  g_assert_cmpuint (f->finished->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->finished, 0), ==, signal);
}

/* Tests */

/* The file is sent, the answer comes too late (the site kept it): the retry finds it by its
 * slug and never sends it again. */
static void
test_timeout_after_send (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *local_address = NULL;
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(WpFaultResponse) late = NULL;
  g_autofree char *json = NULL;
  g_autofree char *found = NULL;
  g_autofree char *path = NULL;
  const WpFaultRequest *upload = NULL;
  gint64 id;

  id = insert_image (f, &local_address);
  json = media_json (f, id, ALT);
  wp_fault_server_add_json (f->server, "GET " MEDIA, 200, "[]");
  late = wp_fault_response_new (201, "application/json", json);
  wp_fault_response_set_delay (late, 2500);
  wp_fault_server_add (f->server, "POST " MEDIA, g_steal_pointer (&late));
  found = g_strdup_printf ("[%s]", json);
  wp_fault_server_add_json (f->server, "GET " MEDIA, 200, found);

  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->action, ==, BYLINE_OUTBOX_ACTION_UPLOAD);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
  g_assert_cmpuint (entry->attempts, ==, 1);
  g_assert_cmpstr (entry->title, ==, "heron.png");
  g_assert_cmpstr (entry->last_error, !=, "");
  g_assert_cmpint (entry->next_attempt_at, >, g_get_real_time ());
  g_assert_cmpuint (f->finished->len, ==, 0);
  /* The file went with its slug, its name and its type. */
  for (guint i = 0; i < wp_fault_server_get_n_requests (f->server); i++)
    {
      const WpFaultRequest *request = wp_fault_server_get_request (f->server, i);

      if (g_str_equal (request->method, "POST") && g_str_equal (request->key, MEDIA))
        upload = request;
    }
  g_assert_nonnull (upload);
  assert_has (upload->query, "slug=byline-");
  assert_has (soup_message_headers_get_one (upload->headers, "Content-Disposition"), "heron.png");
  g_assert_cmpstr (soup_message_headers_get_content_type (upload->headers, NULL), ==, "image/png");
  {
    g_autoptr(GBytes) expected = image_bytes ();

    g_assert_true (g_bytes_equal (upload->body, expected));
  }
  /* Still the local address, and its copy is there for the preview and the retry. */
  {
    g_autofree char *body = stored_body (f);

    assert_has (body, local_address);
  }
  path = local_path (f, local_address);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_clear_pointer (&entry, byline_outbox_entry_free);

  retry (f, id);
  process (f);
  assert_done (f, id, local_address);
  /* One file on the site: the retry searched and found it. */
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", MEDIA), ==, 1);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "GET", MEDIA), ==, 2);
}

static gboolean
upload_received (gpointer user_data)
{
  Fixture *f = user_data;

  return wp_fault_server_count_requests (f->server, "POST", MEDIA) == 1;
}

/* Byline stops (its run cancelled, which records nothing, as a kill would) while the site
 * still handles the upload: the entry was held before the file went out, so the next start
 * does not look for it before the upload can have landed, and never sends it twice. */
static void
test_killed_during_upload (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *local_address = NULL;
  g_autofree char *json = NULL;
  g_autofree char *found = NULL;
  g_autoptr(WpFaultResponse) slow = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 draft_id = byline_draft_get_id (f->draft);
  gint64 before = g_get_real_time ();
  guint n_requests;
  gint64 id;

  id = insert_image (f, &local_address);
  json = media_json (f, id, ALT);
  wp_fault_server_add_json (f->server, "GET " MEDIA, 200, "[]");
  slow = wp_fault_response_new (201, "application/json", json);
  wp_fault_response_set_delay (slow, 1500);
  wp_fault_server_add (f->server, "POST " MEDIA, g_steal_pointer (&slow));
  /* Every look-up after the first finds the file: the upload has landed by then. */
  found = g_strdup_printf ("[%s]", json);
  wp_fault_server_add_json (f->server, "GET " MEDIA, 200, found);

  byline_publisher_process_async (f->publisher, cancellable, byline_test_store_result_cb,
                                  &result);
  g_assert_true (byline_test_wait_until (upload_received, f, 10000));
  {
    g_autoptr(BylineOutboxEntry) entry = get_entry (f, id);

    g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
    g_assert_cmpint (entry->next_attempt_at, >=,
                     before + BYLINE_WP_CLIENT_CREATE_SETTLE_SECONDS * G_TIME_SPAN_SECOND);
  }
  g_cancellable_cancel (cancellable);
  byline_test_iterate_until_result (&result);
  g_assert_false (byline_publisher_process_finish (f->publisher, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  close_publisher (f);

  /* The next start sends nothing until the entry is due. */
  open_publisher (f);
  f->draft = byline_store_load_draft (f->store, draft_id, NULL);
  g_assert_nonnull (f->draft);
  n_requests = wp_fault_server_get_n_requests (f->server);
  process (f);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, n_requests);

  /* Made due here rather than waited for: the file is found, not sent again. */
  retry (f, id);
  process (f);
  assert_done (f, id, local_address);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", MEDIA), ==, 1);
}

/* The file is uploaded but the request that sets its alt text fails: the upload is not done
 * without it. The retry finds the file by its slug (no second upload) and sets the alt text. */
static void
test_alt_text_not_kept (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *local_address = NULL;
  g_autofree char *without_alt = NULL;
  g_autofree char *with_alt = NULL;
  g_autofree char *found = NULL;
  g_autofree char *media_key = g_strdup_printf ("POST " MEDIA "/%d", MEDIA_ID);
  g_autoptr(BylineOutboxEntry) entry = NULL;
  gint64 id;

  id = insert_image (f, &local_address);
  without_alt = media_json (f, id, "");
  with_alt = media_json (f, id, ALT);
  wp_fault_server_add_json (f->server, "GET " MEDIA, 200, "[]");
  wp_fault_server_add_json (f->server, "POST " MEDIA, 201, without_alt);
  wp_fault_server_add (f->server, media_key,
                       wp_fault_response_new (500, "text/html", "<h1>Database error</h1>"));
  found = g_strdup_printf ("[%s]", without_alt);
  wp_fault_server_add_json (f->server, "GET " MEDIA, 200, found);
  wp_fault_server_add_json (f->server, media_key, 200, with_alt);

  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
  g_assert_cmpstr (entry->last_error, !=, "");
  g_assert_cmpuint (f->finished->len, ==, 0);
  {
    g_autofree char *body = stored_body (f);
    assert_has (body, local_address);
  }

  retry (f, id);
  process (f);
  assert_done (f, id, local_address);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", MEDIA), ==, 1);
}

/* 503 twice, with the backoff growing, then the upload goes through once. */
static void
test_server_error_backoff (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *local_address = NULL;
  g_autofree char *json = NULL;
  gint64 id, before;

  id = insert_image (f, &local_address);
  json = media_json (f, id, ALT);
  wp_fault_server_add_json (f->server, "GET " MEDIA, 200, "[]");
  wp_fault_server_add_json (f->server, "POST " MEDIA, 503,
                            "{\"code\":\"busy\",\"message\":\"Busy\",\"data\":{\"status\":503}}");
  wp_fault_server_add_json (f->server, "POST " MEDIA, 503,
                            "{\"code\":\"busy\",\"message\":\"Busy\",\"data\":{\"status\":503}}");
  wp_fault_server_add_json (f->server, "POST " MEDIA, 201, json);

  before = g_get_real_time ();
  process (f);
  {
    g_autoptr(BylineOutboxEntry) entry = get_entry (f, id);

    g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
    g_assert_cmpuint (entry->attempts, ==, 1);
    g_assert_cmpint (entry->next_attempt_at, >=, before + 5 * G_TIME_SPAN_SECOND);
    g_assert_cmpint (entry->next_attempt_at, <=, g_get_real_time () + 5 * G_TIME_SPAN_SECOND);
  }
  /* Not due yet: a run sends nothing. */
  process (f);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", MEDIA), ==, 1);

  retry (f, id);
  before = g_get_real_time ();
  process (f);
  {
    g_autoptr(BylineOutboxEntry) entry = get_entry (f, id);

    g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
    g_assert_cmpuint (entry->attempts, ==, 2);
    g_assert_cmpint (entry->next_attempt_at, >=, before + 10 * G_TIME_SPAN_SECOND);
  }

  retry (f, id);
  process (f);
  assert_done (f, id, local_address);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", MEDIA), ==, 3);
}

/* A 4xx: reported for a person, the draft keeps its text; publishing it then refuses to send
 * the local address and says what to do. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *local_address = NULL;
  g_autofree char *before_body = NULL;
  g_autofree char *after_body = NULL;
  g_autofree char *path = NULL;
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(BylineOutboxEntry) publish = NULL;
  g_autoptr(GError) error = NULL;
  BylinePublishOptions options = { .status = "publish" };
  gint64 id, publish_id;

  id = insert_image (f, &local_address);
  before_body = stored_body (f);
  wp_fault_server_add_json (f->server, "GET " MEDIA, 200, "[]");
  wp_fault_server_add_json (f->server, "POST " MEDIA, 400,
                            "{\"code\":\"rest_upload_file_too_big\",\"message\":\"This file is too "
                            "big.\",\"data\":{\"status\":400}}");

  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_FAILED);
  assert_has (entry->last_error, "This file is too big.");
  after_body = stored_body (f);
  g_assert_cmpstr (after_body, ==, before_body);
  path = local_path (f, local_address);
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpuint (f->finished->len, ==, 0);

  publish_id = byline_publisher_enqueue_publish (f->publisher, f->draft, f->account_id, &options,
                                                 &error);
  g_assert_no_error (error);
  process (f);
  publish = get_entry (f, publish_id);
  g_assert_cmpint (publish->state, ==, BYLINE_OUTBOX_STATE_FAILED);
  assert_has (publish->last_error, "“heron.png” could not be uploaded");
  assert_has (publish->last_error, "This file is too big.");
  /* Nothing went to the posts: no local address ever reached the site. */
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, NULL, POSTS), ==, 0);
}

/* The app quits in the middle: the entry and the copy of the file are still there, and the next
 * run finishes the upload. */
static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *local_address = NULL;
  g_autofree char *path = NULL;
  g_autofree char *json = NULL;
  gint64 draft_id = byline_draft_get_id (f->draft);
  gint64 id;

  id = insert_image (f, &local_address);
  path = local_path (f, local_address);
  wp_fault_server_add_json (f->server, "GET " MEDIA, 200, "[]");
  wp_fault_server_add (f->server, "POST " MEDIA, wp_fault_response_new_fault (WP_FAULT_RESET));
  json = media_json (f, id, ALT);
  wp_fault_server_add_json (f->server, "POST " MEDIA, 201, json);
  process (f);
  close_publisher (f);

  open_publisher (f);
  f->draft = byline_store_load_draft (f->store, draft_id, NULL);
  g_assert_nonnull (f->draft);
  {
    g_autoptr(BylineOutboxEntry) entry = get_entry (f, id);

    g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
    g_assert_cmpuint (entry->attempts, ==, 1);
    g_assert_cmpstr (entry->local_address, ==, local_address);
  }
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
  retry (f, id);
  process (f);
  assert_done (f, id, local_address);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", MEDIA), ==, 2);
}

/* A publish written while the image uploads waits for it, then sends the site's address and the
 * featured image's media id. */
static void
test_publish_waits (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *local_address = NULL;
  g_autofree char *json = NULL;
  g_autofree char *url = source_url (f);
  g_autofree char *sent = NULL;
  g_autofree char *post = NULL;
  g_autofree char *update_key = g_strdup_printf (POSTS "/%d", POST_ID);
  g_autoptr(JsonNode) sent_node = NULL;
  g_autoptr(GError) error = NULL;
  BylinePublishOptions options = { .status = "publish" };
  JsonObject *fields;
  gint64 id, publish_id;

  id = insert_image (f, &local_address);
  byline_draft_set_featured_image (f->draft, local_address);
  publish_id = byline_publisher_enqueue_publish (f->publisher, f->draft, f->account_id, &options,
                                                 &error);
  g_assert_no_error (error);

  wp_fault_server_add_json (f->server, "GET " MEDIA, 200, "[]");
  wp_fault_server_add_json (f->server, "POST " MEDIA, 503,
                            "{\"code\":\"busy\",\"message\":\"Busy\",\"data\":{\"status\":503}}");
  json = media_json (f, id, ALT);
  wp_fault_server_add_json (f->server, "POST " MEDIA, 201, json);
  process (f);
  {
    g_autoptr(BylineOutboxEntry) publish = get_entry (f, publish_id);

    g_assert_cmpint (publish->state, ==, BYLINE_OUTBOX_STATE_PENDING);
    g_assert_cmpuint (publish->attempts, ==, 0);
  }
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, NULL, POSTS), ==, 0);

  post = g_strdup_printf ("{\"id\":%d,\"date\":\"2026-11-27T20:00:00\","
                          "\"date_gmt\":\"2026-11-27T20:00:00\",\"modified\":\"2026-11-27T20:00:00\","
                          "\"modified_gmt\":\"2026-11-27T20:00:00\",\"slug\":\"birds\","
                          "\"status\":\"publish\",\"type\":\"post\",\"link\":\"%s/birds/\","
                          "\"title\":{\"raw\":\"Birds\",\"rendered\":\"Birds\"},"
                          "\"content\":{\"raw\":\"\",\"rendered\":\"\"},"
                          "\"excerpt\":{\"raw\":\"\",\"rendered\":\"\"},\"author\":1,"
                          "\"comment_status\":\"open\"}", POST_ID,
                          wp_fault_server_get_url (f->server));
  wp_fault_server_add_json (f->server, "GET " POSTS, 200, "[]");
  wp_fault_server_add_json (f->server, "POST " POSTS, 201, post);
  wp_fault_server_add_json (f->server, "POST " POSTS "/100", 200, post);
  retry (f, id);
  process (f);

  assert_done (f, id, local_address);
  {
    g_autoptr(BylineOutboxEntry) publish = get_entry (f, publish_id);

    g_assert_cmpint (publish->state, ==, BYLINE_OUTBOX_STATE_DONE);
  }
  sent = last_body (f, "POST", update_key);
  g_assert_nonnull (sent);
  g_assert_null (strstr (sent, "byline-upload"));
  sent_node = json_from_string (sent, &error);
  g_assert_no_error (error);
  fields = json_node_get_object (sent_node);
  assert_has (json_object_get_string_member (fields, "content"), url);
  /* The image block names the file in the media library, known only once it was uploaded. */
  assert_has (json_object_get_string_member (fields, "content"),
              "<!-- wp:image {\"id\":" G_STRINGIFY (MEDIA_ID) "} -->");
  assert_has (json_object_get_string_member (fields, "content"),
              " class=\"wp-image-" G_STRINGIFY (MEDIA_ID) "\"/>");
  g_assert_cmpint (json_object_get_int_member (fields, "featured_media"), ==, MEDIA_ID);

  /* What an update would send, as the Publish window's Changes compares it: the image, now at
   * its address on the site, keeps its media id there too. */
  {
    g_autoptr(BylineDraft) later = byline_draft_copy (f->draft);
    g_autofree char *body = g_strdup_printf ("![" ALT "](%s)\n", url);
    g_autoptr(JsonObject) payload = NULL;

    byline_draft_set_body (later, body);
    payload = byline_publisher_build_payload (f->store, later, f->account_id, &options, &error);
    g_assert_no_error (error);
    assert_has (json_object_get_string_member (payload, "content"),
                "<!-- wp:image {\"id\":" G_STRINGIFY (MEDIA_ID) "} -->");
  }
}

/* Addresses the preview and the publisher accept: plain names only. */
static void
test_addresses (void)
{
  g_assert_cmpstr (byline_upload_address_get_file ("byline-upload:0a1b-c2.png"), ==, "0a1b-c2.png");
  g_assert_null (byline_upload_address_get_file ("byline-upload:../byline.db"));
  g_assert_null (byline_upload_address_get_file ("byline-upload:a/b.png"));
  g_assert_null (byline_upload_address_get_file ("byline-upload:.hidden"));
  g_assert_null (byline_upload_address_get_file ("byline-upload:"));
  g_assert_null (byline_upload_address_get_file ("file:///etc/passwd"));
  g_assert_null (byline_upload_address_get_file (NULL));
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);
  bus = byline_test_start_keyring ();

#define ADD(path, func) \
  g_test_add ("/core/upload-outbox/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("timeout-after-send", test_timeout_after_send);
  ADD ("killed-during-upload", test_killed_during_upload);
  ADD ("server-error-backoff", test_server_error_backoff);
  ADD ("refused", test_refused);
  ADD ("restart", test_restart);
  ADD ("publish-waits", test_publish_waits);
  ADD ("alt-text-not-kept", test_alt_text_not_kept);
#undef ADD
  g_test_add_func ("/core/upload-outbox/addresses", test_addresses);

  return byline_test_run_and_stop_bus (bus);
}
