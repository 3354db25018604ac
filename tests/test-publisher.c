/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-publisher.c: the outbox against a scripted WordPress that fails in every way a site can,
 * with a real store and the password in a real keyring.
 *
 * wp-fault-server answers from queues scripted in advance. A tiny fake site in this file keeps
 * the posts, so that each answer (the create, the slug search, the update, the read before an
 * update) is what WordPress would say at that point of the story; each test scripts its story,
 * runs the publisher, then checks what the server received. */

#include "config.h"

/* unshare () and CLONE_NEWNS, for the full disk */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#ifdef __linux__
#include <sched.h>
#include <sys/mount.h>
#endif

#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "byline-accounts.h"
#include "byline-wp-blocks.h"
#include "byline-publisher.h"
#include "byline-test-util.h"
#include "wp-fault-server.h"

/* Whether this process has a mount namespace of its own, where it may mount a small disk. */
static gboolean private_mounts;

#define USERNAME "editor"
#define PASSWORD "abcd EFGH 1234 ijkl"
#define POSTS "/wp-json/wp/v2/posts"
#define FIRST_POST_ID 100

static GTestDBus *bus;

/* The fake site */

typedef struct {
  gint64  id;
  char   *status;
  char   *title;
  char   *content;
  char   *slug;
  char   *modified_gmt;
  char   *link;
} FakePost;

static void
fake_post_free (FakePost *post)
{
  g_free (post->status);
  g_free (post->title);
  g_free (post->content);
  g_free (post->slug);
  g_free (post->modified_gmt);
  g_free (post->link);
  g_free (post);
}

typedef struct {
  WpFaultServer   *server;
  char            *store_path;
  BylineStore     *store;
  BylineAccounts  *accounts;
  BylinePublisher *publisher;
  gint64           account_id;
  GArray          *changed;      /* entry ids, from ::entry-changed */

  GPtrArray       *posts;        /* FakePost */
  gint64           next_id;
  guint            clock;        /* seconds, for modified_gmt */
} Fixture;

/* Every change on the site moves its clock, as modified_gmt would. */
static char *
fake_tick (Fixture *f)
{
  f->clock++;
  return g_strdup_printf ("2026-11-27T20:%02u:%02u", f->clock / 60, f->clock % 60);
}

static FakePost *
fake_create (Fixture    *f,
             const char *title,
             const char *slug)
{
  FakePost *post = g_new0 (FakePost, 1);

  post->id = f->next_id++;
  post->status = g_strdup ("draft");
  post->title = g_strdup (title);
  post->content = g_strdup ("");
  post->slug = g_strdup (slug);
  post->modified_gmt = fake_tick (f);
  post->link = g_strdup_printf ("%s/?p=%" G_GINT64_FORMAT, wp_fault_server_get_url (f->server),
                                post->id);
  g_ptr_array_add (f->posts, post);
  return post;
}

/* @post as someone (us or another person) changed it. */
static void
fake_update (Fixture    *f,
             FakePost   *post,
             const char *title,
             const char *content,
             const char *status)
{
  /* Copied first: the new values may be the post's own. */
  char *new_title = g_strdup (title);
  char *new_content = g_strdup (content);
  char *new_status = g_strdup (status);

  g_free (post->title);
  post->title = new_title;
  g_free (post->content);
  post->content = new_content;
  g_free (post->status);
  post->status = new_status;
  g_free (post->modified_gmt);
  post->modified_gmt = fake_tick (f);
  if (g_str_equal (post->status, "publish"))
    {
      g_autofree char *slug = g_ascii_strdown (post->title, -1);

      g_strdelimit (slug, " ", '-');
      g_free (post->link);
      post->link = g_strdup_printf ("%s/%s/", wp_fault_server_get_url (f->server), slug);
    }
}

static void
add_rendered (JsonBuilder *builder,
              const char  *member,
              const char  *raw)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "raw");
  json_builder_add_string_value (builder, raw);
  json_builder_set_member_name (builder, "rendered");
  json_builder_add_string_value (builder, raw);
  json_builder_end_object (builder);
}

static void
add_post (JsonBuilder    *builder,
          const FakePost *post)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, post->id);
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, post->modified_gmt);
  json_builder_set_member_name (builder, "date_gmt");
  json_builder_add_string_value (builder, post->modified_gmt);
  json_builder_set_member_name (builder, "modified");
  json_builder_add_string_value (builder, post->modified_gmt);
  json_builder_set_member_name (builder, "modified_gmt");
  json_builder_add_string_value (builder, post->modified_gmt);
  json_builder_set_member_name (builder, "slug");
  json_builder_add_string_value (builder, post->slug);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, post->status);
  json_builder_set_member_name (builder, "type");
  json_builder_add_string_value (builder, "post");
  json_builder_set_member_name (builder, "link");
  json_builder_add_string_value (builder, post->link);
  add_rendered (builder, "title", post->title);
  add_rendered (builder, "content", post->content);
  add_rendered (builder, "excerpt", "");
  json_builder_set_member_name (builder, "author");
  json_builder_add_int_value (builder, 1);
  json_builder_set_member_name (builder, "comment_status");
  json_builder_add_string_value (builder, "open");
  json_builder_end_object (builder);
}

static char *
builder_to_string (JsonBuilder *builder)
{
  g_autoptr(JsonNode) root = json_builder_get_root (builder);

  return json_to_string (root, FALSE);
}

static char *
fake_post_json (const FakePost *post)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  add_post (builder, post);
  return builder_to_string (builder);
}

/* What GET /posts?slug=…&status=any answers now. */
static char *
fake_find_json (Fixture    *f,
                const char *slug)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_array (builder);
  for (guint i = 0; i < f->posts->len; i++)
    {
      FakePost *post = g_ptr_array_index (f->posts, i);

      if (g_str_equal (post->slug, slug) && !g_str_equal (post->status, "trash"))
        add_post (builder, post);
    }
  json_builder_end_array (builder);
  return builder_to_string (builder);
}

static char *
post_key (const char *method,
          gint64      id)
{
  return g_strdup_printf ("%s " POSTS "/%" G_GINT64_FORMAT, method, id);
}

/* Queues @post, as it is now, as the answer to the next "@method /posts/ID". */
static void
script_post (Fixture    *f,
             const char *method,
             guint       status,
             FakePost   *post)
{
  g_autofree char *key = post_key (method, post->id);
  g_autofree char *json = fake_post_json (post);

  wp_fault_server_add_json (f->server, key, status, json);
}

static void
script_find (Fixture    *f,
             const char *slug)
{
  g_autofree char *json = fake_find_json (f, slug);

  wp_fault_server_add_json (f->server, "GET " POSTS, 200, json);
}

static void
script_create (Fixture  *f,
               FakePost *post)
{
  g_autofree char *json = fake_post_json (post);

  wp_fault_server_add_json (f->server, "POST " POSTS, 201, json);
}

/* The fixture */

static void
on_entry_changed (BylinePublisher *publisher,
                  gint64           entry_id,
                  gpointer         user_data)
{
  Fixture *f = user_data;

  g_array_append_val (f->changed, entry_id);
}

static void
open_publisher (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = byline_store_open (f->store_path, &error);
  g_assert_no_error (error);
  f->accounts = byline_accounts_new (f->store);
  f->publisher = byline_publisher_new (f->store, f->accounts);
  g_signal_connect (f->publisher, "entry-changed", G_CALLBACK (on_entry_changed), f);
}

static void
close_publisher (Fixture *f)
{
  g_autoptr(GError) error = NULL;

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
  g_autofree char *dir = byline_test_make_tmpdir ("publisher");
  g_autofree char *api_root = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  f->server = wp_fault_server_new (NULL);
  f->store_path = g_build_filename (dir, "byline.db", NULL);
  f->changed = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->posts = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_post_free);
  f->next_id = FIRST_POST_ID;
  open_publisher (f);

  /* Each test's site has its own address, so its own password in the keyring. */
  api_root = g_strconcat (wp_fault_server_get_url (f->server), "/wp-json/", NULL);
  account = byline_account_new (wp_fault_server_get_url (f->server), api_root, USERNAME);
  byline_accounts_add (f->accounts, account, PASSWORD, &error);
  g_assert_no_error (error);
  f->account_id = byline_account_get_id (account);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->publisher);
  g_clear_object (&f->accounts);
  g_clear_object (&f->store);
  /* Let the clients' last callbacks (closing streams) run before their server goes. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&f->server, wp_fault_server_free);
  g_ptr_array_unref (f->posts);
  g_array_unref (f->changed);
  g_free (f->store_path);
}

/* Helpers */

/* As the autosave does: the draft then has the modified-at the store holds. */
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

static BylineDraft *
make_draft (Fixture           *f,
            BylineDraftFormat  format,
            const char        *title,
            const char        *body)
{
  g_autoptr(GError) error = NULL;
  BylineDraft *draft = byline_store_create_draft (f->store, format, &error);

  g_assert_no_error (error);
  byline_draft_set_title (draft, title);
  byline_draft_set_body (draft, body);
  save_draft (f, draft);
  return draft;
}

static gint64
enqueue (Fixture     *f,
         BylineDraft *draft,
         const char  *status)
{
  BylinePublishOptions options = { .status = status };
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = byline_publisher_enqueue_publish (f->publisher, draft, f->account_id, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* One run of the outbox, to its end. */
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

static void
retry (Fixture *f,
       gint64   id)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (byline_publisher_retry (f->publisher, id, &error));
  g_assert_no_error (error);
}

static char *
slug_of (Fixture *f,
         gint64   entry_id)
{
  g_autoptr(BylineOutboxEntry) entry = get_entry (f, entry_id);

  return g_strconcat ("byline-", entry->client_key, NULL);
}

/* The body of the @nth (from 0) request "@method @key" the server received, parsed. */
static JsonObject *
request_body (Fixture    *f,
              const char *method,
              const char *key,
              guint       nth)
{
  for (guint i = 0; i < wp_fault_server_get_n_requests (f->server); i++)
    {
      const WpFaultRequest *request = wp_fault_server_get_request (f->server, i);
      g_autoptr(JsonNode) node = NULL;
      g_autoptr(GError) error = NULL;
      g_autofree char *text = NULL;
      gsize len;
      const char *data;

      if (!g_str_equal (request->method, method) || !g_str_equal (request->key, key))
        continue;
      if (nth-- > 0)
        continue;

      data = g_bytes_get_data (request->body, &len);
      text = g_strndup (data, len);
      node = json_from_string (text, &error);
      g_assert_no_error (error);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
      return json_object_ref (json_node_get_object (node));
    }
  g_test_fail_printf ("no request %u for %s %s", nth, method, key);
  return json_object_new ();
}

static void
assert_ids (JsonObject   *object,
            const char   *member,
            guint         n,
            const gint64 *expected)
{
  JsonArray *array = json_object_get_array_member (object, member);

  g_assert_nonnull (array);
  g_assert_cmpuint (json_array_get_length (array), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpint (json_array_get_int_element (array, i), ==, expected[i]);
}

static void
assert_has (const char *text,
            const char *fragment)
{
  if (strstr (text, fragment) == NULL)
    g_test_fail_printf ("“%s” is not in “%s”", fragment, text);
}

static guint
count_posts_created (Fixture *f)
{
  return wp_fault_server_count_requests (f->server, "POST", POSTS);
}

/* A draft that the store still holds exactly as it was written. */
static void
assert_draft_untouched (Fixture     *f,
                        BylineDraft *draft)
{
  g_autoptr(BylineDraft) stored = NULL;
  g_autoptr(GError) error = NULL;

  stored = byline_store_load_draft (f->store, byline_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_draft_get_title (stored), ==, byline_draft_get_title (draft));
  g_assert_cmpstr (byline_draft_get_body (stored), ==, byline_draft_get_body (draft));
  g_assert_cmpstr (byline_draft_get_slug (stored), ==, byline_draft_get_slug (draft));
  g_assert_cmpint (byline_draft_get_modified_at (stored), ==,
                   byline_draft_get_modified_at (draft));
}

static gboolean
changed_has (Fixture *f,
             gint64   id)
{
  for (guint i = 0; i < f->changed->len; i++)
    if (g_array_index (f->changed, gint64, i) == id)
      return TRUE;
  return FALSE;
}

/* Scripts and runs the first publication of a new Markdown draft; returns the post. */
static FakePost *
publish_new (Fixture     *f,
             BylineDraft *draft,
             gint64      *entry_id)
{
  g_autofree char *slug = NULL;
  g_autofree char *html = byline_wp_blocks_render (byline_draft_get_body (draft), -1, NULL, NULL);
  g_autoptr(BylineOutboxEntry) entry = NULL;
  FakePost *post;

  *entry_id = enqueue (f, draft, "publish");
  slug = slug_of (f, *entry_id);
  script_find (f, slug);
  post = fake_create (f, byline_draft_get_title (draft), slug);
  script_create (f, post);
  fake_update (f, post, byline_draft_get_title (draft), html, "publish");
  script_post (f, "POST", 200, post);
  process (f);

  entry = get_entry (f, *entry_id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  return post;
}

/* Tests */

static void
test_publish_creates_one_post (Fixture       *f,
                               gconstpointer  data)
{
  static const char body[] = "# Hello\n\nSome *text*, après.\n";
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "Hello world", body);
  BylinePublishOptions options = { .status = "publish", .comment_status = "closed",
                                   .featured_media = 42 };
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(JsonObject) created = NULL;
  g_autoptr(JsonObject) updated = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *html = byline_wp_blocks_render (body, -1, NULL, NULL);
  g_autofree char *slug = NULL;
  g_autofree char *update_key = NULL;
  g_autofree char *credentials = NULL;
  g_autofree char *expected_authorization = NULL;
  g_auto(BylineRemotePost) remote = { 0 };
  static const gint64 category_ids[] = { 5, 6 };
  static const gint64 tag_ids[] = { 9 };
  const WpFaultRequest *first_request;
  FakePost *post;
  gint64 id;
  guint n_requests;

  byline_draft_set_excerpt (draft, "Short");
  byline_draft_set_categories (draft, "News, World ,, News");
  byline_draft_set_tags (draft, " Politics ");
  save_draft (f, draft);

  g_assert_false (byline_publisher_get_remote (f->publisher, byline_draft_get_id (draft),
                                               &remote));
  id = byline_publisher_enqueue_publish (f->publisher, draft, f->account_id, &options, &error);
  g_assert_no_error (error);
  g_assert_true (changed_has (f, id));
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
  g_assert_cmpint (entry->action, ==, BYLINE_OUTBOX_ACTION_PUBLISH);
  g_assert_cmpstr (entry->title, ==, "Hello world");
  g_assert_cmpstr (entry->status, ==, "publish");
  g_assert_cmpint (entry->remote_id, ==, 0);
  g_clear_pointer (&entry, byline_outbox_entry_free);

  /* Changed after publishing: what was published is what is sent. */
  byline_draft_set_title (draft, "Changed afterwards");
  byline_draft_set_body (draft, "Not this");
  save_draft (f, draft);

  /* The site's categories are listed first (none yet); then News is new, World exists
   * (made meanwhile: term_exists names its id), Politics is new. */
  wp_fault_server_add_json (f->server, "GET /wp-json/wp/v2/categories", 200, "[]");
  wp_fault_server_add_json (f->server, "POST /wp-json/wp/v2/categories", 201,
                            "{\"id\":5,\"count\":0,\"name\":\"News\",\"slug\":\"news\","
                            "\"taxonomy\":\"category\",\"parent\":0}");
  wp_fault_server_add_json (f->server, "POST /wp-json/wp/v2/categories", 400,
                            "{\"code\":\"term_exists\",\"message\":\"A term with the name provided "
                            "already exists with this parent.\",\"data\":{\"status\":400,"
                            "\"term_id\":6},\"additional_data\":[6,6]}");
  wp_fault_server_add_json (f->server, "POST /wp-json/wp/v2/tags", 201,
                            "{\"id\":9,\"count\":0,\"name\":\"Politics\",\"slug\":\"politics\","
                            "\"taxonomy\":\"post_tag\"}");
  slug = slug_of (f, id);
  script_find (f, slug);
  post = fake_create (f, "Hello world", slug);
  script_create (f, post);
  fake_update (f, post, "Hello world", html, "publish");
  script_post (f, "POST", 200, post);

  process (f);

  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpint (entry->remote_id, ==, FIRST_POST_ID);
  g_assert_cmpstr (entry->link, ==, post->link);
  g_assert_cmpstr (entry->last_error, ==, "");
  g_assert_cmpuint (entry->attempts, ==, 1);

  /* One create, as a draft with our slug and the title only. */
  g_assert_cmpuint (count_posts_created (f), ==, 1);
  created = request_body (f, "POST", POSTS, 0);
  g_assert_cmpstr (json_object_get_string_member (created, "slug"), ==, slug);
  g_assert_cmpstr (json_object_get_string_member (created, "status"), ==, "draft");
  g_assert_cmpstr (json_object_get_string_member (created, "title"), ==, "Hello world");
  g_assert_false (json_object_has_member (created, "content"));

  /* Then one update with everything, as it was when published. */
  update_key = g_strdup_printf (POSTS "/%d", FIRST_POST_ID);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", update_key), ==, 1);
  updated = request_body (f, "POST", update_key, 0);
  g_assert_cmpstr (json_object_get_string_member (updated, "title"), ==, "Hello world");
  g_assert_cmpstr (json_object_get_string_member (updated, "content"), ==, html);
  assert_has (json_object_get_string_member (updated, "content"), "<em>text</em>");
  g_assert_cmpstr (json_object_get_string_member (updated, "excerpt"), ==, "Short");
  g_assert_cmpstr (json_object_get_string_member (updated, "status"), ==, "publish");
  g_assert_cmpstr (json_object_get_string_member (updated, "slug"), ==, "");
  g_assert_cmpstr (json_object_get_string_member (updated, "comment_status"), ==, "closed");
  g_assert_cmpint (json_object_get_int_member (updated, "featured_media"), ==, 42);
  g_assert_true (json_object_get_null_member (updated, "date_gmt"));
  assert_ids (updated, "categories", G_N_ELEMENTS (category_ids), category_ids);
  assert_ids (updated, "tags", G_N_ELEMENTS (tag_ids), tag_ids);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST",
                                                    "/wp-json/wp/v2/categories"), ==, 2);

  /* The password came from the keyring. */
  credentials = g_base64_encode ((const guchar *) USERNAME ":" PASSWORD,
                                 strlen (USERNAME ":" PASSWORD));
  expected_authorization = g_strconcat ("Basic ", credentials, NULL);
  first_request = wp_fault_server_get_request (f->server, 0);
  g_assert_cmpstr (soup_message_headers_get_one (first_request->headers, "Authorization"), ==,
                   expected_authorization);

  /* The draft is linked to its post, and was not touched. */
  g_assert_true (byline_publisher_get_remote (f->publisher, byline_draft_get_id (draft), &remote));
  g_assert_cmpint (remote.remote_id, ==, FIRST_POST_ID);
  g_assert_cmpint (remote.account_id, ==, f->account_id);
  g_assert_cmpstr (remote.status, ==, "publish");
  g_assert_cmpstr (remote.link, ==, post->link);
  g_assert_cmpstr (remote.modified_gmt, ==, post->modified_gmt);
  assert_draft_untouched (f, draft);

  entries = byline_publisher_list_entries (f->publisher, byline_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpuint (f->changed->len, >=, 2);

  /* Nothing is due any more: a second run sends nothing. */
  n_requests = wp_fault_server_get_n_requests (f->server);
  process (f);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, n_requests);
}

/* The site creates the post, then answers too late: the retry finds it by its slug. */
static void
test_timeout_after_create (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "Slow site", "Body");
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(WpFaultResponse) late = NULL;
  g_autofree char *slug = NULL;
  g_autofree char *json = NULL;
  g_autofree char *post_path = g_strdup_printf (POSTS "/%d", FIRST_POST_ID);
  FakePost *post;
  guint n_requests;
  gint64 before;
  gint64 id;

  byline_publisher_set_timeout (f->publisher, 1);
  id = enqueue (f, draft, "publish");
  slug = slug_of (f, id);

  script_find (f, slug);
  post = fake_create (f, "Slow site", slug);
  json = fake_post_json (post);
  late = wp_fault_response_new (201, "application/json", json);
  wp_fault_response_set_delay (late, 2500);
  wp_fault_server_add (f->server, "POST " POSTS, g_steal_pointer (&late));
  /* The site did it: the next search finds it. */
  script_find (f, slug);
  fake_update (f, post, "Slow site", "<p>Body</p>\n", "publish");
  script_post (f, "POST", 200, post);

  before = g_get_real_time ();
  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
  g_assert_cmpuint (entry->attempts, ==, 1);
  g_assert_cmpint (entry->remote_id, ==, 0);
  assert_has (entry->last_error, "may have done");
  /* The create may still be running on the site: not the backoff's 5 s, but the time it may
   * take to land, counted from when Byline gave up on it (the 1 s timeout after it went out). */
  g_assert_cmpint (entry->next_attempt_at, >=,
                   before + (1 + BYLINE_WP_CLIENT_CREATE_SETTLE_SECONDS) * G_TIME_SPAN_SECOND);
  g_assert_cmpuint (count_posts_created (f), ==, 1);
  g_clear_pointer (&entry, byline_outbox_entry_free);

  /* "Send now" does not cut that short: nothing goes out, not even the look-up. */
  n_requests = wp_fault_server_get_n_requests (f->server);
  retry (f, id);
  process (f);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, n_requests);

  byline_test_let_creates_settle (f->store_path);
  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpint (entry->remote_id, ==, FIRST_POST_ID);
  g_assert_cmpuint (entry->attempts, ==, 2);
  /* Exactly one create was ever sent; the retry searched, then updated the post it found. */
  g_assert_cmpuint (count_posts_created (f), ==, 1);
  /* Three look-ups: one before each attempt, and one after the update (none found there). */
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "GET", POSTS), ==, 3);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", post_path), ==, 1);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "GET", post_path), ==, 0);
}

static gboolean
create_received (gpointer user_data)
{
  Fixture *f = user_data;

  return count_posts_created (f) == 1;
}

/* Byline is killed (here: its run is cancelled, which records nothing either) while the site
 * still handles the create: the entry was held before the create went out, so a new start does
 * not look for the post before that create can have landed, even on "Send now", and never makes
 * a second one. */
static void
test_crash_during_create (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "Killed", "Body");
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(WpFaultResponse) slow = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *slug = NULL;
  g_autofree char *json = NULL;
  FakePost *post;
  guint n_requests;
  gint64 before;
  gint64 id;

  id = enqueue (f, draft, "publish");
  slug = slug_of (f, id);
  script_find (f, slug);
  post = fake_create (f, "Killed", slug);
  json = fake_post_json (post);
  slow = wp_fault_response_new (201, "application/json", json);
  wp_fault_response_set_delay (slow, 1500);
  wp_fault_server_add (f->server, "POST " POSTS, g_steal_pointer (&slow));
  /* Every look-up after this one finds the post: the create has landed by then. */
  script_find (f, slug);

  before = g_get_real_time ();
  byline_publisher_process_async (f->publisher, cancellable, byline_test_store_result_cb,
                                  &result);
  g_assert_true (byline_test_wait_until (create_received, f, 10000));
  /* Recorded before the create went out. */
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
  g_assert_cmpint (entry->next_attempt_at, >=,
                   before + BYLINE_WP_CLIENT_CREATE_SETTLE_SECONDS * G_TIME_SPAN_SECOND);
  g_clear_pointer (&entry, byline_outbox_entry_free);
  g_cancellable_cancel (cancellable);
  byline_test_iterate_until_result (&result);
  g_assert_false (byline_publisher_process_finish (f->publisher, result, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);

  /* The new start: the entry is not due yet, nothing is sent (not even the look-up, which could
   * come before the create has landed on a real site). */
  close_publisher (f);
  open_publisher (f);
  n_requests = wp_fault_server_get_n_requests (f->server);
  process (f);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, n_requests);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
  g_assert_cmpint (entry->next_attempt_at, >=,
                   before + BYLINE_WP_CLIENT_CREATE_SETTLE_SECONDS * G_TIME_SPAN_SECOND);
  g_clear_pointer (&entry, byline_outbox_entry_free);

  /* Nor on "Send now". */
  retry (f, id);
  process (f);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, n_requests);

  /* Once the create has landed, the post is found. */
  fake_update (f, post, "Killed", "<p>Body</p>\n", "publish");
  script_post (f, "POST", 200, post);
  byline_test_let_creates_settle (f->store_path);
  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpint (entry->remote_id, ==, post->id);
  g_assert_cmpuint (count_posts_created (f), ==, 1);
}

static void
script_deleted (Fixture  *f,
                FakePost *post)
{
  g_autofree char *key = post_key ("DELETE", post->id);
  g_autofree char *json = fake_post_json (post);
  g_autofree char *answer = g_strdup_printf ("{\"deleted\":true,\"previous\":%s}", json);

  wp_fault_server_add_json (f->server, key, 200, answer);
}

/* How many times post @id was deleted for good (force=true). */
static guint
count_deleted (Fixture *f,
               gint64   id)
{
  g_autofree char *path = g_strdup_printf (POSTS "/%" G_GINT64_FORMAT, id);
  guint n = 0;

  for (guint i = 0; i < wp_fault_server_get_n_requests (f->server); i++)
    {
      const WpFaultRequest *request = wp_fault_server_get_request (f->server, i);

      if (g_str_equal (request->method, "DELETE") && g_str_equal (request->path, path)
          && request->query != NULL && strstr (request->query, "force=true") != NULL)
        n++;
    }
  return n;
}

/* A create that landed after a later attempt made the post again left two posts under the
 * entry's slug: the first made is taken, the other (a bare draft) deleted for good. */
static void
test_two_posts_one_slug (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "Twice", "Body");
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autofree char *slug = NULL;
  FakePost *first;
  FakePost *second;
  gint64 id;

  id = enqueue (f, draft, "publish");
  slug = slug_of (f, id);
  first = fake_create (f, "Twice", slug);
  second = fake_create (f, "Twice", slug);
  script_find (f, slug);
  script_deleted (f, second);
  fake_update (f, first, "Twice", "<p>Body</p>\n", "publish");
  script_post (f, "POST", 200, first);
  /* The look-up again, once updated: nothing more under the slug. */
  wp_fault_server_add_json (f->server, "GET " POSTS, 200, "[]");

  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpint (entry->remote_id, ==, first->id);
  g_assert_cmpuint (count_posts_created (f), ==, 0);
  g_assert_cmpuint (count_deleted (f, second->id), ==, 1);
  g_assert_cmpuint (count_deleted (f, first->id), ==, 0);
}

/* A create that landed while this attempt made and updated the post is found by the look-up
 * before the entry is done, and deleted; a post under the slug with more than a title is not
 * Byline's create, and stays. */
static void
test_late_create_swept (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "Late", "Body");
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autofree char *slug = NULL;
  FakePost *ours;
  FakePost *late;
  FakePost *written;
  gint64 id;

  id = enqueue (f, draft, "publish");
  slug = slug_of (f, id);
  script_find (f, slug);
  ours = fake_create (f, "Late", slug);
  script_create (f, ours);
  fake_update (f, ours, "Late", "<p>Body</p>\n", "publish");
  g_free (ours->slug);
  ours->slug = g_strdup ("late");
  script_post (f, "POST", 200, ours);
  late = fake_create (f, "Late", slug);
  written = fake_create (f, "Late", slug);
  fake_update (f, written, "Late", "<p>Someone wrote this</p>", "draft");
  script_find (f, slug);
  script_deleted (f, late);

  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpint (entry->remote_id, ==, ours->id);
  g_assert_cmpuint (count_posts_created (f), ==, 1);
  g_assert_cmpuint (count_deleted (f, late->id), ==, 1);
  g_assert_cmpuint (count_deleted (f, written->id), ==, 0);
  g_assert_cmpuint (count_deleted (f, ours->id), ==, 0);
}

/* 503, 503 with Retry-After, then success: waits as told each time, one post. */
static void
test_server_error_backoff (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_HTML, "Busy", "<p>Busy</p>");
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(WpFaultResponse) busy = NULL;
  g_autoptr(WpFaultResponse) later = NULL;
  g_autoptr(JsonObject) updated = NULL;
  g_autofree char *slug = NULL;
  g_autofree char *update_key = g_strdup_printf (POSTS "/%d", FIRST_POST_ID);
  FakePost *post;
  guint n_requests;
  gint64 before;
  gint64 id;

  id = enqueue (f, draft, "publish");
  slug = slug_of (f, id);
  script_find (f, slug);
  post = fake_create (f, "Busy", slug);
  script_create (f, post);
  /* The retries read the post before updating it: unchanged since it was created. */
  script_post (f, "GET", 200, post);
  busy = wp_fault_response_new (503, "text/html", "<html><body>Briefly unavailable</body></html>");
  wp_fault_server_add (f->server, "POST /wp-json/wp/v2/posts/100", g_steal_pointer (&busy));
  later = wp_fault_response_new (503, "text/html", "<html><body>Maintenance</body></html>");
  wp_fault_response_add_header (later, "Retry-After", "120");
  wp_fault_server_add (f->server, "POST /wp-json/wp/v2/posts/100", g_steal_pointer (&later));
  fake_update (f, post, "Busy", "<p>Busy</p>", "publish");
  script_post (f, "POST", 200, post);

  before = g_get_real_time ();
  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
  g_assert_cmpuint (entry->attempts, ==, 1);
  g_assert_cmpint (entry->remote_id, ==, FIRST_POST_ID);
  assert_has (entry->last_error, "503");
  g_assert_cmpint (entry->next_attempt_at - before, >=, 5 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (entry->next_attempt_at - before, <, 6 * G_TIME_SPAN_SECOND);
  g_clear_pointer (&entry, byline_outbox_entry_free);

  /* Not due yet: nothing is sent. */
  n_requests = wp_fault_server_get_n_requests (f->server);
  process (f);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, n_requests);

  retry (f, id);
  before = g_get_real_time ();
  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
  g_assert_cmpuint (entry->attempts, ==, 2);
  /* The site's 120 s rather than the backoff's 10 s. */
  g_assert_cmpint (entry->next_attempt_at - before, >=, 120 * G_TIME_SPAN_SECOND);
  g_assert_cmpint (entry->next_attempt_at - before, <, 121 * G_TIME_SPAN_SECOND);
  g_clear_pointer (&entry, byline_outbox_entry_free);

  retry (f, id);
  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpuint (entry->attempts, ==, 3);
  g_assert_cmpuint (count_posts_created (f), ==, 1);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", update_key), ==, 3);
  updated = request_body (f, "POST", update_key, 2);
  /* An HTML draft goes as it is. */
  g_assert_cmpstr (json_object_get_string_member (updated, "content"), ==, "<p>Busy</p>");
}

/* The create's answer breaks off half-way, the update's connection is reset after the site
 * applied it: no second post, and our own update is not taken for someone else's. */
static void
test_reset_mid_body (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_HTML, "Cut", "<p>Cut off</p>");
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(WpFaultResponse) cut = NULL;
  g_autofree char *slug = NULL;
  g_autofree char *json = NULL;
  g_autofree char *update_key = g_strdup_printf (POSTS "/%d", FIRST_POST_ID);
  FakePost *post;
  gint64 id;

  id = enqueue (f, draft, "publish");
  slug = slug_of (f, id);
  script_find (f, slug);
  post = fake_create (f, "Cut", slug);
  json = fake_post_json (post);
  cut = wp_fault_response_new_fault (WP_FAULT_CLOSE_IN_BODY);
  wp_fault_response_set_body (cut, 201, "application/json", json);
  wp_fault_server_add (f->server, "POST " POSTS, g_steal_pointer (&cut));
  script_find (f, slug);
  /* The update is applied, then the connection is reset before any answer. */
  wp_fault_server_add (f->server, "POST /wp-json/wp/v2/posts/100",
                       wp_fault_response_new_fault (WP_FAULT_RESET));
  fake_update (f, post, "Cut", "<p>Cut off</p>", "publish");
  script_post (f, "GET", 200, post);
  fake_update (f, post, "Cut", "<p>Cut off</p>", "publish");
  script_post (f, "POST", 200, post);

  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
  g_assert_cmpint (entry->remote_id, ==, 0);
  assert_has (entry->last_error, "broke");
  g_clear_pointer (&entry, byline_outbox_entry_free);

  byline_test_let_creates_settle (f->store_path);
  retry (f, id);
  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
  g_assert_cmpint (entry->remote_id, ==, FIRST_POST_ID);
  g_clear_pointer (&entry, byline_outbox_entry_free);

  /* The post changed since it was found, but into what we sent: no conflict. */
  retry (f, id);
  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpuint (entry->attempts, ==, 3);
  g_assert_cmpuint (count_posts_created (f), ==, 1);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", update_key), ==, 2);
}

static void
test_bad_credentials (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "Locked out", "Body");
  g_autoptr(BylineDraft) other = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "Also", "Body");
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_auto(BylineRemotePost) remote = { 0 };
  guint n_requests;
  gint64 other_id;
  gint64 id;

  id = enqueue (f, draft, "publish");
  other_id = enqueue (f, other, "publish");
  wp_fault_server_add_recorded (f->server, "GET " POSTS, "not-logged-in");
  wp_fault_server_add_recorded (f->server, "POST " POSTS, "not-logged-in");

  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_FAILED);
  g_assert_cmpuint (entry->attempts, ==, 1);
  assert_has (entry->last_error, "application password");
  assert_has (entry->last_error, "You are not currently logged in.");
  g_assert_true (changed_has (f, id));
  g_assert_cmpuint (count_posts_created (f), ==, 0);
  g_clear_pointer (&entry, byline_outbox_entry_free);

  /* The account's other entries would meet the same refusal: they wait for the next run. */
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 1);
  entry = get_entry (f, other_id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
  g_assert_cmpuint (entry->attempts, ==, 0);
  g_assert_false (byline_publisher_get_remote (f->publisher, byline_draft_get_id (draft),
                                               &remote));
  assert_draft_untouched (f, draft);

  /* Failed is not retried on its own: the next run only tries the other entry, with the
   * password another program (byline-cli) put in the keyring meanwhile, not the refused one. */
  {
    g_autoptr(BylineAccounts) elsewhere = byline_accounts_new (f->store);
    g_autoptr(BylineAccount) account = byline_accounts_load (elsewhere, f->account_id, NULL);
    g_autofree char *credentials = g_base64_encode ((const guchar *) USERNAME ":new password",
                                                    strlen (USERNAME ":new password"));
    g_autofree char *expected = g_strconcat ("Basic ", credentials, NULL);
    const WpFaultRequest *request;

    g_assert_nonnull (account);
    g_assert_true (byline_accounts_add (elsewhere, account, "new password", NULL));
    n_requests = wp_fault_server_get_n_requests (f->server);
    process (f);
    g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, n_requests + 1);
    request = wp_fault_server_get_request (f->server, n_requests);
    g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==,
                     expected);
  }
  g_clear_pointer (&entry, byline_outbox_entry_free);
  entry = get_entry (f, other_id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_FAILED);
  n_requests = wp_fault_server_get_n_requests (f->server);
  process (f);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, n_requests);
}

/* The site refuses the update: failed with WordPress's words; the post made for it stays the
 * draft's, so that publishing again updates it instead of making another. */
static void
test_bad_request (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "Refused", "Body");
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(BylineOutboxEntry) again = NULL;
  g_auto(BylineRemotePost) remote = { 0 };
  g_autofree char *slug = NULL;
  FakePost *post;
  gint64 id;

  id = enqueue (f, draft, "publish");
  slug = slug_of (f, id);
  script_find (f, slug);
  post = fake_create (f, "Refused", slug);
  script_create (f, post);
  wp_fault_server_add_recorded (f->server, "POST /wp-json/wp/v2/posts/100", "invalid-param");

  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_FAILED);
  assert_has (entry->last_error, "refused what Byline sent");
  assert_has (entry->last_error, "Invalid parameter(s): status");
  g_assert_cmpint (entry->next_attempt_at, ==, 0);
  assert_draft_untouched (f, draft);

  g_assert_true (byline_publisher_get_remote (f->publisher, byline_draft_get_id (draft), &remote));
  g_assert_cmpint (remote.remote_id, ==, post->id);
  g_assert_cmpstr (remote.status, ==, "draft");

  /* Published again: based on that post. */
  again = get_entry (f, enqueue (f, draft, "publish"));
  g_assert_cmpint (again->remote_id, ==, post->id);
  g_assert_cmpuint (count_posts_created (f), ==, 1);
}

/* The story of a conflict, scripted before anything runs (the server's queues keep their last
 * answer, so an answer added later would come after a stale one): a draft is published, someone
 * edits the post on the site, the draft is changed and published again. What the site would
 * answer if ours is then sent over theirs is queued too. */
typedef struct {
  BylineDraft *draft;
  gint64       entry_id;         /* the second publication, in CONFLICT */
  char        *theirs_modified;
  char        *theirs_link;
  char        *mine_html;
  char        *final_modified;   /* after KEEP_MINE */
} Conflict;

static void
conflict_clear (Conflict *c)
{
  g_clear_object (&c->draft);
  g_free (c->theirs_modified);
  g_free (c->theirs_link);
  g_free (c->mine_html);
  g_free (c->final_modified);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Conflict, conflict_clear)

static void
make_conflict (Fixture  *f,
               Conflict *c)
{
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autofree char *post_path = g_strdup_printf (POSTS "/%d", FIRST_POST_ID);
  g_autofree char *slug = NULL;
  g_autofree char *first_html = byline_wp_blocks_render ("First", -1, NULL, NULL);
  FakePost *post;
  gint64 first_id;

  c->draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "Ours", "First");
  c->mine_html = byline_wp_blocks_render ("Second *version*", -1, NULL, NULL);
  first_id = enqueue (f, c->draft, "publish");
  slug = slug_of (f, first_id);

  script_find (f, slug);
  post = fake_create (f, "Ours", slug);
  script_create (f, post);
  fake_update (f, post, "Ours", first_html, "publish");
  script_post (f, "POST", 200, post);
  /* Someone else, on the site; every later read finds their version. */
  fake_update (f, post, "Theirs", "<p>Their words</p>", "publish");
  script_post (f, "GET", 200, post);
  c->theirs_modified = g_strdup (post->modified_gmt);
  c->theirs_link = g_strdup (post->link);
  fake_update (f, post, "Ours again", c->mine_html, "publish");
  script_post (f, "POST", 200, post);
  c->final_modified = g_strdup (post->modified_gmt);

  process (f);
  entry = get_entry (f, first_id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_clear_pointer (&entry, byline_outbox_entry_free);

  byline_draft_set_title (c->draft, "Ours again");
  byline_draft_set_body (c->draft, "Second *version*");
  save_draft (f, c->draft);
  c->entry_id = enqueue (f, c->draft, "publish");
  process (f);

  entry = get_entry (f, c->entry_id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_CONFLICT);
  g_assert_cmpint (entry->remote_id, ==, FIRST_POST_ID);
  assert_has (entry->last_error, "changed on the site");
  g_assert_true (changed_has (f, c->entry_id));
  /* Theirs was read, not overwritten. */
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "GET", post_path), ==, 1);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", post_path), ==, 1);
  g_assert_cmpuint (count_posts_created (f), ==, 1);
}

static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  g_auto(Conflict) c = { 0 };
  g_auto(BylineConflict) conflict = { 0 };
  g_autoptr(GError) error = NULL;
  guint n_requests;

  make_conflict (f, &c);

  g_assert_true (byline_publisher_get_conflict (f->publisher, c.entry_id, &conflict, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (conflict.mine_title, ==, "Ours again");
  g_assert_cmpstr (conflict.mine_content, ==, c.mine_html);
  assert_has (conflict.mine_content, "<em>version</em>");
  g_assert_cmpstr (conflict.theirs_title, ==, "Theirs");
  g_assert_cmpstr (conflict.theirs_content, ==, "<p>Their words</p>");
  g_assert_cmpstr (conflict.theirs_modified_gmt, ==, c.theirs_modified);
  g_assert_cmpstr (conflict.theirs_link, ==, c.theirs_link);
  assert_draft_untouched (f, c.draft);

  /* A conflict waits for the person: neither retried nor sent on its own. */
  g_assert_false (byline_publisher_retry (f->publisher, c.entry_id, &error));
  g_assert_error (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_WRONG_STATE);
  n_requests = wp_fault_server_get_n_requests (f->server);
  process (f);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, n_requests);
}

static void
test_conflict_keep_mine (Fixture       *f,
                         gconstpointer  data)
{
  g_auto(Conflict) c = { 0 };
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(JsonObject) updated = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *post_path = g_strdup_printf (POSTS "/%d", FIRST_POST_ID);
  g_auto(BylineRemotePost) remote = { 0 };

  make_conflict (f, &c);

  g_assert_true (byline_publisher_resolve_conflict (f->publisher, c.entry_id,
                                                    BYLINE_CONFLICT_KEEP_MINE, NULL, &error));
  g_assert_no_error (error);
  entry = get_entry (f, c.entry_id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
  g_clear_pointer (&entry, byline_outbox_entry_free);

  /* The site still has their version, which is now the base: ours goes over it. */
  process (f);

  entry = get_entry (f, c.entry_id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "GET", post_path), ==, 2);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", post_path), ==, 2);
  updated = request_body (f, "POST", post_path, 1);
  g_assert_cmpstr (json_object_get_string_member (updated, "title"), ==, "Ours again");
  /* No featured image was chosen for the draft: the post keeps its own. */
  g_assert_false (json_object_has_member (updated, "featured_media"));
  g_assert_cmpstr (json_object_get_string_member (updated, "content"), ==, c.mine_html);
  g_assert_true (byline_publisher_get_remote (f->publisher, byline_draft_get_id (c.draft),
                                              &remote));
  g_assert_cmpstr (remote.modified_gmt, ==, c.final_modified);
  g_assert_cmpuint (count_posts_created (f), ==, 1);
}

static void
test_conflict_take_theirs (Fixture       *f,
                           gconstpointer  data)
{
  g_auto(Conflict) c = { 0 };
  g_autoptr(BylineDraft) theirs = byline_draft_new ();
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BylineRemotePost) remote = { 0 };
  guint n_requests;

  make_conflict (f, &c);
  n_requests = wp_fault_server_get_n_requests (f->server);

  g_assert_true (byline_publisher_resolve_conflict (f->publisher, c.entry_id,
                                                    BYLINE_CONFLICT_TAKE_THEIRS, theirs, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (byline_draft_get_title (theirs), ==, "Theirs");
  g_assert_cmpstr (byline_draft_get_body (theirs), ==, "<p>Their words</p>");
  g_assert_cmpint (byline_draft_get_format (theirs), ==, BYLINE_DRAFT_FORMAT_HTML);

  entry = get_entry (f, c.entry_id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpstr (entry->link, ==, c.theirs_link);
  g_assert_true (byline_publisher_get_remote (f->publisher, byline_draft_get_id (c.draft),
                                              &remote));
  g_assert_cmpstr (remote.modified_gmt, ==, c.theirs_modified);
  /* The publisher hands theirs back; the draft is the caller's to change. */
  assert_draft_untouched (f, c.draft);

  /* Nothing was sent for it. */
  process (f);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, n_requests);

  /* Resolved once only. */
  g_assert_false (byline_publisher_resolve_conflict (f->publisher, c.entry_id,
                                                     BYLINE_CONFLICT_KEEP_MINE, NULL, &error));
  g_assert_error (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_WRONG_STATE);
}

static void
assert_refused (Fixture                    *f,
                BylineDraft                *draft,
                const BylinePublishOptions *options,
                const char                 *fragment)
{
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (byline_publisher_enqueue_publish (f->publisher, draft, f->account_id, options,
                                                     &error), ==, 0);
  g_assert_error (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID);
  assert_has (error->message, fragment);
}

static void
test_validation (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "Later", "Body");
  g_autoptr(BylineDraft) untitled = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "  ", "Body");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) soon = g_date_time_add_seconds (now, 30);
  g_autoptr(GDateTime) later = g_date_time_add_seconds (now, 3600);
  g_autofree char *soon_text = g_date_time_format (soon, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *later_text = g_date_time_format (later, "%Y-%m-%dT%H:%M:%SZ");
  g_autofree char *later_expected = g_date_time_format (later, "%Y-%m-%dT%H:%M:%S");
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  BylinePublishOptions options = { .status = "future", .date_gmt = soon_text };
  gint64 id;

  assert_refused (f, draft, &options, "at least a minute");
  options.date_gmt = NULL;
  assert_refused (f, draft, &options, "date and time");
  options.date_gmt = "next Tuesday";
  assert_refused (f, draft, &options, "next Tuesday");
  options = (BylinePublishOptions) { .status = "published" };
  assert_refused (f, draft, &options, "published");
  options = (BylinePublishOptions) { .status = "publish", .comment_status = "maybe" };
  assert_refused (f, draft, &options, "maybe");
  options = (BylinePublishOptions) { .status = "publish" };
  assert_refused (f, untitled, &options, "title");
  options.status = "future";
  assert_refused (f, untitled, &options, "title");

  entries = byline_publisher_list_entries (f->publisher, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 0);
  g_assert_cmpuint (f->changed->len, ==, 0);

  /* An untitled draft may still be saved as a draft on the site. */
  options = (BylinePublishOptions) { .status = "draft" };
  g_assert_cmpint (byline_publisher_enqueue_publish (f->publisher, untitled, f->account_id,
                                                     &options, &error), >, 0);
  g_assert_no_error (error);

  /* An hour ahead is fine, and goes as UTC without the Z. */
  options = (BylinePublishOptions) { .status = "future", .date_gmt = later_text };
  id = byline_publisher_enqueue_publish (f->publisher, draft, f->account_id, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  {
    g_autofree char *sql = g_strdup_printf ("SELECT json_extract (payload, '$.date_gmt')"
                                            " FROM outbox WHERE id = %" G_GINT64_FORMAT, id);
    g_autofree char *date_gmt = NULL;
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (f->store_path, &db), ==, SQLITE_OK);
    date_gmt = byline_test_sql_text (db, sql);
    sqlite3_close (db);
    g_assert_cmpstr (date_gmt, ==, later_expected);
  }

  /* No such account. */
  options = (BylinePublishOptions) { .status = "draft" };
  g_assert_cmpint (byline_publisher_enqueue_publish (f->publisher, draft, f->account_id + 1000,
                                                     &options, &error), ==, 0);
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Not published: nothing to trash. */
  g_assert_cmpint (byline_publisher_enqueue_trash (f->publisher, byline_draft_get_id (draft),
                                                   &error), ==, 0);
  g_assert_error (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_NOT_LINKED);
}

/* Written to the store, the entry outlives the process: reopened, it is sent. */
static void
test_durable (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "Kept",
                                             "Kept *safe*");
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *slug = NULL;
  g_autofree char *html = byline_wp_blocks_render ("Kept *safe*", -1, NULL, NULL);
  g_autofree char *update_key = g_strdup_printf (POSTS "/%d", FIRST_POST_ID);
  g_autoptr(JsonObject) updated = NULL;
  FakePost *post;
  gint64 id;

  id = enqueue (f, draft, "publish");
  slug = slug_of (f, id);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 0);
  g_clear_object (&draft);
  close_publisher (f);

  open_publisher (f);
  entries = byline_publisher_list_entries (f->publisher, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  entry = byline_outbox_entry_copy (g_ptr_array_index (entries, 0));
  g_assert_cmpint (entry->id, ==, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_PENDING);
  g_assert_cmpstr (entry->title, ==, "Kept");
  g_clear_pointer (&entry, byline_outbox_entry_free);

  script_find (f, slug);
  post = fake_create (f, "Kept", slug);
  script_create (f, post);
  fake_update (f, post, "Kept", html, "publish");
  script_post (f, "POST", 200, post);
  process (f);

  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpuint (count_posts_created (f), ==, 1);
  updated = request_body (f, "POST", update_key, 0);
  g_assert_cmpstr (json_object_get_string_member (updated, "content"), ==, html);
}

/* Two publications queued before either is sent: one post, updated twice, in order. */
static void
test_two_entries_one_post (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_HTML, "Twice", "<p>One</p>");
  g_autoptr(BylineOutboxEntry) first = NULL;
  g_autoptr(BylineOutboxEntry) second = NULL;
  g_autoptr(JsonObject) last = NULL;
  g_autofree char *slug = NULL;
  g_autofree char *update_key = g_strdup_printf (POSTS "/%d", FIRST_POST_ID);
  FakePost *post;
  gint64 first_id;
  gint64 second_id;

  first_id = enqueue (f, draft, "draft");
  byline_draft_set_body (draft, "<p>Two</p>");
  save_draft (f, draft);
  second_id = enqueue (f, draft, "publish");

  slug = slug_of (f, first_id);
  script_find (f, slug);
  post = fake_create (f, "Twice", slug);
  script_create (f, post);
  fake_update (f, post, "Twice", "<p>One</p>", "draft");
  script_post (f, "POST", 200, post);
  /* The second reads the post before updating: it finds the first one's version. */
  script_post (f, "GET", 200, post);
  fake_update (f, post, "Twice", "<p>Two</p>", "publish");
  script_post (f, "POST", 200, post);

  process (f);

  first = get_entry (f, first_id);
  second = get_entry (f, second_id);
  g_assert_cmpint (first->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpint (second->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpint (second->remote_id, ==, FIRST_POST_ID);
  g_assert_cmpuint (count_posts_created (f), ==, 1);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", update_key), ==, 2);
  last = request_body (f, "POST", update_key, 1);
  g_assert_cmpstr (json_object_get_string_member (last, "content"), ==, "<p>Two</p>");
  g_assert_cmpstr (json_object_get_string_member (last, "status"), ==, "publish");
}

/* The first of two publications waits for its backoff: the second, newer one waits behind it
 * instead of overtaking it (the older version must never land last). */
static void
test_order_kept (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_HTML, "Order", "<p>One</p>");
  g_autoptr(BylineOutboxEntry) first = NULL;
  g_autoptr(BylineOutboxEntry) second = NULL;
  g_autoptr(JsonObject) last = NULL;
  g_autofree char *slug = NULL;
  g_autofree char *post_path = g_strdup_printf (POSTS "/%d", FIRST_POST_ID);
  FakePost *post;
  guint n_requests;
  gint64 first_id;
  gint64 second_id;

  first_id = enqueue (f, draft, "publish");
  byline_draft_set_body (draft, "<p>Two</p>");
  save_draft (f, draft);
  second_id = enqueue (f, draft, "publish");

  slug = slug_of (f, first_id);
  script_find (f, slug);
  post = fake_create (f, "Order", slug);
  script_create (f, post);
  wp_fault_server_add (f->server, "POST /wp-json/wp/v2/posts/100",
                       wp_fault_response_new (503, "text/html", "<html>Busy</html>"));
  script_post (f, "GET", 200, post);
  fake_update (f, post, "Order", "<p>One</p>", "publish");
  script_post (f, "POST", 200, post);
  script_post (f, "GET", 200, post);
  fake_update (f, post, "Order", "<p>Two</p>", "publish");
  script_post (f, "POST", 200, post);

  process (f);
  first = get_entry (f, first_id);
  second = get_entry (f, second_id);
  g_assert_cmpint (first->state, ==, BYLINE_OUTBOX_STATE_PENDING);
  g_assert_cmpuint (first->attempts, ==, 1);
  g_assert_cmpint (second->state, ==, BYLINE_OUTBOX_STATE_PENDING);
  g_assert_cmpuint (second->attempts, ==, 0);
  /* Already pointed at the post the first one made. */
  g_assert_cmpint (second->remote_id, ==, FIRST_POST_ID);
  g_clear_pointer (&first, byline_outbox_entry_free);
  g_clear_pointer (&second, byline_outbox_entry_free);

  /* The first is not due yet, and the second does not go ahead of it. */
  n_requests = wp_fault_server_get_n_requests (f->server);
  process (f);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, n_requests);
  second = get_entry (f, second_id);
  g_assert_cmpuint (second->attempts, ==, 0);
  g_clear_pointer (&second, byline_outbox_entry_free);

  retry (f, first_id);
  process (f);
  first = get_entry (f, first_id);
  second = get_entry (f, second_id);
  g_assert_cmpint (first->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpint (second->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpuint (count_posts_created (f), ==, 1);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", post_path), ==, 3);
  last = request_body (f, "POST", post_path, 2);
  g_assert_cmpstr (json_object_get_string_member (last, "content"), ==, "<p>Two</p>");
}

static void
test_trash (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "Doomed", "Body");
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *delete_key = g_strdup_printf (POSTS "/%d", FIRST_POST_ID);
  g_auto(BylineRemotePost) remote = { 0 };
  FakePost *post;
  gint64 publish_id;
  gint64 again_id;
  gint64 id;

  post = publish_new (f, draft, &publish_id);

  id = byline_publisher_enqueue_trash (f->publisher, byline_draft_get_id (draft), &error);
  g_assert_no_error (error);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->action, ==, BYLINE_OUTBOX_ACTION_TRASH);
  g_assert_cmpstr (entry->title, ==, "Doomed");
  g_assert_cmpint (entry->remote_id, ==, FIRST_POST_ID);
  g_clear_pointer (&entry, byline_outbox_entry_free);

  fake_update (f, post, post->title, post->content, "trash");
  script_post (f, "DELETE", 200, post);
  wp_fault_server_add_recorded (f->server, "DELETE /wp-json/wp/v2/posts/100",
                                "post-already-trashed");
  process (f);

  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_true (byline_publisher_get_remote (f->publisher, byline_draft_get_id (draft), &remote));
  g_assert_cmpstr (remote.status, ==, "trash");
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "DELETE", delete_key), ==, 1);
  byline_remote_post_clear (&remote);

  g_clear_pointer (&entry, byline_outbox_entry_free);

  /* Already in the trash (410): what was asked is true. */
  again_id = byline_publisher_enqueue_trash (f->publisher, byline_draft_get_id (draft), &error);
  g_assert_no_error (error);
  process (f);
  entry = get_entry (f, again_id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpstr (entry->last_error, ==, "");
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "DELETE", delete_key), ==, 2);
  g_assert_true (byline_publisher_get_remote (f->publisher, byline_draft_get_id (draft), &remote));
  g_assert_cmpstr (remote.status, ==, "trash");
}

/* The disk fills up for real (a 1 MiB tmpfs) under the store: publishing is refused with FULL,
 * with no entry half-written; once there is room, the same publisher
 * queues it and the site gets the post once. */
static void
test_full_disk (Fixture       *f,
                gconstpointer  data)
{
#ifdef __linux__
  g_autofree char *dir = NULL;
  g_autofree char *small_path = NULL;
  g_autofree char *filler = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  BylinePublishOptions options = { .status = "publish" };
  g_autofree char *slug = NULL;
  char block[4096] = { 0 };
  FakePost *post;
  gint64 id;
  int fd;

  if (!private_mounts)
    {
      g_test_skip ("Cannot mount a tmpfs in a private mount namespace here (needs "
                   "CAP_SYS_ADMIN)");
      return;
    }
  /* The fixture's store (with its account) moved onto a small disk. */
  close_publisher (f);
  dir = byline_test_make_tmpdir ("small-disk");
  g_assert_cmpint (mount ("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m"), ==, 0);
  small_path = g_build_filename (dir, "byline.db", NULL);
  byline_test_run_command ("cp", f->store_path, small_path, NULL);
  g_free (f->store_path);
  f->store_path = g_strdup (small_path);
  open_publisher (f);

  for (guint i = 0; i < 400; i++)
    g_string_append_printf (body, "Paragraph %u of a post long enough to need pages.\n\n", i);
  draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "Full disk", body->str);

  filler = g_build_filename (dir, "filler", NULL);
  fd = g_open (filler, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  while (write (fd, block, sizeof block) > 0)
    ;
  g_assert_cmpint (errno, ==, ENOSPC);
  g_assert_true (g_close (fd, NULL));

  id = byline_publisher_enqueue_publish (f->publisher, draft, f->account_id, &options, &error);
  g_assert_cmpint (id, ==, 0);
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_FULL);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  entries = byline_publisher_list_entries (f->publisher, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 0);
  g_clear_pointer (&entries, g_ptr_array_unref);

  /* Room again: the same publisher, without a restart. */
  g_assert_cmpint (g_unlink (filler), ==, 0);
  id = enqueue (f, draft, "publish");
  slug = slug_of (f, id);
  script_find (f, slug);
  post = fake_create (f, "Full disk", slug);
  script_create (f, post);
  fake_update (f, post, "Full disk", "", "publish");
  script_post (f, "POST", 200, post);
  process (f);
  entry = get_entry (f, id);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpuint (count_posts_created (f), ==, 1);
  entries = byline_publisher_list_entries (f->publisher, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);

  close_publisher (f);
  g_assert_cmpint (umount2 (dir, MNT_DETACH), ==, 0);
  /* The tear-down closes what it finds. */
  open_publisher (f);
#else
  g_test_skip ("Mount namespaces are Linux only");
#endif
}

int
main (int   argc,
      char *argv[])
{
#ifdef __linux__
  /* Now, while this is the only thread: unshare () refuses a process whose threads share it. */
  private_mounts = geteuid () == 0 && unshare (CLONE_NEWNS) == 0 &&
                   mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
#endif
  byline_test_init (&argc, &argv);
  bus = byline_test_start_keyring ();

#define ADD(path, func) \
  g_test_add ("/core/publisher/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("publish-creates-one-post", test_publish_creates_one_post);
  ADD ("timeout-after-create", test_timeout_after_create);
  ADD ("crash-during-create", test_crash_during_create);
  ADD ("two-posts-one-slug", test_two_posts_one_slug);
  ADD ("late-create-swept", test_late_create_swept);
  ADD ("server-error-backoff", test_server_error_backoff);
  ADD ("reset-mid-body", test_reset_mid_body);
  ADD ("bad-credentials", test_bad_credentials);
  ADD ("bad-request", test_bad_request);
  ADD ("conflict", test_conflict);
  ADD ("conflict-keep-mine", test_conflict_keep_mine);
  ADD ("conflict-take-theirs", test_conflict_take_theirs);
  ADD ("validation", test_validation);
  ADD ("durable", test_durable);
  ADD ("two-entries-one-post", test_two_entries_one_post);
  ADD ("order-kept", test_order_kept);
  ADD ("trash", test_trash);
  ADD ("full-disk", test_full_disk);
#undef ADD

  return byline_test_run_and_stop_bus (bus);
}
