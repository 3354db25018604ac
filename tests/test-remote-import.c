/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-remote-import.c: a post read from a scripted WordPress becomes a linked local draft, once;
 * opened again it is refreshed only when untouched, and publishing it updates that post. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "byline-accounts.h"
#include "byline-publisher.h"
#include "byline-remote-import.h"
#include "byline-test-util.h"
#include "wp-fault-server.h"

#define USERNAME "editor"
#define PASSWORD "abcd EFGH 1234 ijkl"
#define POSTS "/wp-json/wp/v2/posts"
#define POST_ID 42

static GTestDBus *bus;

/* The post as the site holds it: what the next GET /posts/42 answers. */
typedef struct {
  const char *status;
  const char *title;
  const char *content;
  const char *excerpt;
  const char *slug;
  const char *date_gmt;
  const char *modified_gmt;
  gboolean    with_terms;
} SitePost;

static const SitePost kerry = {
  .status = "publish",
  .title = "Secretary Kerry Attends NATO Foreign Ministers Meeting in Brussels",
  .content = "<p>« Apres, après ».</p>\n<p>Second paragraph.</p>",
  .excerpt = "Kerry in Brussels",
  .slug = "secretary-kerry-attends-nato",
  .date_gmt = "2013-04-23T14:25:00",
  .modified_gmt = "2026-11-27T20:00:00",
  .with_terms = TRUE,
};

typedef struct {
  WpFaultServer   *server;
  BylineStore     *store;
  BylineAccounts  *accounts;
  BylinePublisher *publisher;
  BylineWpClient  *client;
  gint64           account_id;
  /* The server answers GET /posts/42 with what was queued, the last answer staying: once one
   * was, a new one is only served after that one once more. */
  gboolean         get_scripted;
} Fixture;

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
add_term (JsonBuilder *builder,
          gint64       id,
          const char  *name,
          const char  *taxonomy)
{
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "taxonomy");
  json_builder_add_string_value (builder, taxonomy);
  json_builder_end_object (builder);
}

static char *
site_post_json (Fixture        *f,
                const SitePost *post)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *link = g_strdup_printf ("%s/%s/", wp_fault_server_get_url (f->server),
                                           post->slug);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, POST_ID);
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, post->date_gmt);
  json_builder_set_member_name (builder, "date_gmt");
  json_builder_add_string_value (builder, post->date_gmt);
  json_builder_set_member_name (builder, "modified_gmt");
  json_builder_add_string_value (builder, post->modified_gmt);
  json_builder_set_member_name (builder, "slug");
  json_builder_add_string_value (builder, post->slug);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, post->status);
  json_builder_set_member_name (builder, "link");
  json_builder_add_string_value (builder, link);
  add_rendered (builder, "title", post->title);
  add_rendered (builder, "content", post->content);
  add_rendered (builder, "excerpt", post->excerpt);
  if (post->with_terms)
    {
      json_builder_set_member_name (builder, "featured_media");
      json_builder_add_int_value (builder, 42);
    }
  json_builder_set_member_name (builder, "categories");
  json_builder_begin_array (builder);
  if (post->with_terms)
    {
      json_builder_add_int_value (builder, 3);
      json_builder_add_int_value (builder, 4);
    }
  json_builder_end_array (builder);
  json_builder_set_member_name (builder, "tags");
  json_builder_begin_array (builder);
  if (post->with_terms)
    {
      json_builder_add_int_value (builder, 7);
      json_builder_add_int_value (builder, 5);
    }
  json_builder_end_array (builder);
  if (post->with_terms)
    {
      /* As WordPress embeds them: one array per taxonomy, names HTML-escaped, in its order. */
      json_builder_set_member_name (builder, "_embedded");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "wp:term");
      json_builder_begin_array (builder);
      json_builder_begin_array (builder);
      add_term (builder, 4, "Secretary of State", "category");
      add_term (builder, 3, "Europe &amp; Eurasia", "category");
      json_builder_end_array (builder);
      json_builder_begin_array (builder);
      add_term (builder, 5, "NATO", "post_tag");
      add_term (builder, 7, "Brussels", "post_tag");
      add_term (builder, 9, "Not this post's", "post_tag");
      json_builder_end_array (builder);
      json_builder_end_array (builder);
      /* The author, as _embed=author gives it: its public fields. */
      json_builder_set_member_name (builder, "author");
      json_builder_begin_array (builder);
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_int_value (builder, 1);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, "David Siefkin");
      json_builder_end_object (builder);
      json_builder_end_array (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = byline_test_make_tmpdir ("remote-import");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autofree char *api_root = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  f->server = wp_fault_server_new (NULL);
  f->store = byline_store_open (path, &error);
  g_assert_no_error (error);
  f->accounts = byline_accounts_new (f->store);
  f->publisher = byline_publisher_new (f->store, f->accounts);

  api_root = g_strconcat (wp_fault_server_get_url (f->server), "/wp-json/", NULL);
  account = byline_account_new (wp_fault_server_get_url (f->server), api_root, USERNAME);
  byline_accounts_add (f->accounts, account, PASSWORD, &error);
  g_assert_no_error (error);
  f->account_id = byline_account_get_id (account);
  f->client = byline_wp_client_new (api_root, USERNAME, PASSWORD);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->client);
  g_clear_object (&f->publisher);
  g_clear_object (&f->accounts);
  g_clear_object (&f->store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&f->server, wp_fault_server_free);
}

/* GET /posts/42 through byline_remote_import_get_post_async. */
static BylineWpPost *
fetch (Fixture  *f,
       GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byline_remote_import_get_post_async (f->client, POST_ID, NULL, byline_test_store_result_cb,
                                       &result);
  byline_test_iterate_until_result (&result);
  return byline_remote_import_get_post_finish (f->client, result, error);
}

/* The next GET /posts/42 (and every one after, until the next call) answers @post. */
static void
script_get (Fixture        *f,
            const SitePost *post)
{
  g_autofree char *json = site_post_json (f, post);

  wp_fault_server_add_json (f->server, "GET " POSTS "/42", 200, json);
  if (f->get_scripted)
    {
      g_autoptr(BylineWpPost) stale = fetch (f, NULL);
    }
  f->get_scripted = TRUE;
}

/* Fetches the post as scripted and opens it; checks the outcome. */
static BylineDraft *
open_post (Fixture                   *f,
           const SitePost            *site,
           BylineRemoteImportOutcome  expected)
{
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GError) error = NULL;
  BylineRemoteImportOutcome outcome = -1;
  BylineDraft *draft;

  script_get (f, site);
  post = fetch (f, &error);
  g_assert_no_error (error);
  draft = byline_remote_import_open (f->store, f->account_id, post, &outcome, &error);
  g_assert_no_error (error);
  g_assert_nonnull (draft);
  g_assert_cmpint (outcome, ==, expected);
  return draft;
}

static guint
count_drafts (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) drafts = byline_store_list_drafts (f->store, &error);

  g_assert_no_error (error);
  return drafts->len;
}

static guint
count_revisions (Fixture *f,
                 gint64   draft_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) revisions = byline_store_list_revisions (f->store, draft_id, &error);

  g_assert_no_error (error);
  return revisions->len;
}

static void
assert_linked (Fixture    *f,
               gint64      draft_id,
               const char *modified_gmt,
               const char *status)
{
  g_auto(BylineRemotePost) remote = { 0 };

  g_assert_true (byline_publisher_get_remote (f->publisher, draft_id, &remote));
  g_assert_cmpint (remote.account_id, ==, f->account_id);
  g_assert_cmpint (remote.remote_id, ==, POST_ID);
  g_assert_cmpstr (remote.modified_gmt, ==, modified_gmt);
  g_assert_cmpstr (remote.status, ==, status);
  g_assert_true (g_str_has_suffix (remote.link, "/secretary-kerry-attends-nato/"));
}

static void
save (Fixture     *f,
      BylineDraft *draft)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (byline_store_save_draft (f->store, draft, BYLINE_SAVE_AUTOMATIC, NULL, &error));
  g_assert_no_error (error);
}

/* Tests */

static void
test_creates_linked_draft (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) stored = NULL;
  g_autoptr(GError) error = NULL;
  const WpFaultRequest *request;

  draft = open_post (f, &kerry, BYLINE_REMOTE_IMPORT_CREATED);

  /* Read in edit context, with the terms' and the author's names in the same answer. */
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 1);
  request = wp_fault_server_get_request (f->server, 0);
  g_assert_nonnull (strstr (request->query, "context=edit"));
  g_assert_true (strstr (request->query, "_embed=wp%3Aterm%2Cauthor") != NULL
                 || strstr (request->query, "_embed=wp:term,author") != NULL);

  g_assert_cmpint (byline_draft_get_format (draft), ==, BYLINE_DRAFT_FORMAT_HTML);
  g_assert_cmpstr (byline_draft_get_title (draft), ==, kerry.title);
  g_assert_cmpstr (byline_draft_get_body (draft), ==, kerry.content);
  g_assert_cmpstr (byline_draft_get_excerpt (draft), ==, "Kerry in Brussels");
  g_assert_cmpstr (byline_draft_get_slug (draft), ==, "secretary-kerry-attends-nato");
  /* In the post's order, unescaped; the term it does not use is left out. */
  g_assert_cmpstr (byline_draft_get_categories (draft), ==,
                   "Europe & Eurasia, Secretary of State");
  g_assert_cmpstr (byline_draft_get_tags (draft), ==, "Brussels, NATO");
  /* Its featured image too, so that publishing the draft again keeps it. */
  g_assert_cmpstr (byline_draft_get_featured_image (draft), ==, "media:42");
  /* A published post keeps its date when updated: the draft has none. */
  g_assert_cmpstr (byline_draft_get_publish_date (draft), ==, "");
  /* Its byline is the post's author, as the site shows it. */
  g_assert_cmpstr (byline_draft_get_author (draft), ==, "David Siefkin");

  /* What the store holds, with a revision of the post as it came. */
  stored = byline_store_load_draft (f->store, byline_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_draft_get_body (stored), ==, kerry.content);
  g_assert_cmpint (byline_draft_get_modified_at (stored), ==, byline_draft_get_modified_at (draft));
  g_assert_cmpuint (count_revisions (f, byline_draft_get_id (draft)), ==, 1);
  g_assert_cmpuint (count_drafts (f), ==, 1);

  assert_linked (f, byline_draft_get_id (draft), kerry.modified_gmt, "publish");

  /* The post as it came is kept as the base both sides' later changes are measured from. */
  {
    sqlite3 *db = NULL;
    g_autofree char *sql = g_strdup_printf ("SELECT base FROM remote_posts WHERE draft_id = %"
                                            G_GINT64_FORMAT, byline_draft_get_id (draft));
    g_autofree char *base = NULL;
    g_autoptr(JsonNode) node = NULL;
    g_autoptr(BylineWpPost) base_post = NULL;

    g_assert_cmpint (sqlite3_open_v2 (byline_store_get_path (f->store), &db,
                                      SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
    base = byline_test_sql_text (db, sql);
    sqlite3_close (db);
    node = json_from_string (base, NULL);
    g_assert_nonnull (node);
    base_post = byline_wp_post_new_from_json (node, &error);
    g_assert_no_error (error);
    g_assert_cmpstr (byline_wp_post_get_title (base_post), ==, kerry.title);
    g_assert_cmpstr (byline_wp_post_get_content (base_post), ==, kerry.content);
    g_assert_cmpstr (byline_wp_post_get_modified_gmt (base_post), ==, kerry.modified_gmt);
    g_assert_cmpint (byline_wp_post_get_featured_media (base_post), ==, 42);
  }
}

static void
test_open_again_same_draft (Fixture       *f,
                            gconstpointer  data)
{
  g_autoptr(BylineDraft) first = open_post (f, &kerry, BYLINE_REMOTE_IMPORT_CREATED);
  g_autoptr(BylineDraft) again = open_post (f, &kerry, BYLINE_REMOTE_IMPORT_UNCHANGED);
  g_autoptr(BylineDraft) deleted_again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (byline_draft_get_id (again), ==, byline_draft_get_id (first));
  g_assert_cmpuint (count_drafts (f), ==, 1);
  g_assert_cmpuint (count_revisions (f, byline_draft_get_id (first)), ==, 1);

  /* A deleted draft comes back rather than a second one being made. */
  g_assert_true (byline_store_set_draft_deleted (f->store, byline_draft_get_id (first), TRUE,
                                                 &error));
  g_assert_cmpuint (count_drafts (f), ==, 0);
  deleted_again = open_post (f, &kerry, BYLINE_REMOTE_IMPORT_UNCHANGED);
  g_assert_cmpint (byline_draft_get_id (deleted_again), ==, byline_draft_get_id (first));
  g_assert_cmpuint (count_drafts (f), ==, 1);
}

static void
test_refresh_when_untouched (Fixture       *f,
                             gconstpointer  data)
{
  SitePost changed = kerry;
  g_autoptr(BylineDraft) first = open_post (f, &kerry, BYLINE_REMOTE_IMPORT_CREATED);
  g_autoptr(BylineDraft) refreshed = NULL;
  g_autoptr(BylineDraft) stored = NULL;
  g_autoptr(GError) error = NULL;

  /* Someone edits the post on the site. The local draft was saved (as the autosave does when it
   * is opened) but not changed: it is refreshed. */
  save (f, first);
  changed.title = "Kerry in Brussels (updated)";
  changed.content = "<p>Updated on the site.</p>";
  changed.modified_gmt = "2026-11-28T09:00:00";
  refreshed = open_post (f, &changed, BYLINE_REMOTE_IMPORT_REFRESHED);
  g_assert_cmpint (byline_draft_get_id (refreshed), ==, byline_draft_get_id (first));
  g_assert_cmpstr (byline_draft_get_title (refreshed), ==, "Kerry in Brussels (updated)");
  stored = byline_store_load_draft (f->store, byline_draft_get_id (first), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_draft_get_body (stored), ==, "<p>Updated on the site.</p>");
  /* The previous text stays as a revision. */
  g_assert_cmpuint (count_revisions (f, byline_draft_get_id (first)), ==, 2);
  assert_linked (f, byline_draft_get_id (first), "2026-11-28T09:00:00", "publish");

  /* And the refreshed draft is untouched again: the next change refreshes it too. */
  g_clear_object (&refreshed);
  changed.content = "<p>Updated twice.</p>";
  changed.modified_gmt = "2026-11-28T10:00:00";
  refreshed = open_post (f, &changed, BYLINE_REMOTE_IMPORT_REFRESHED);
  g_assert_cmpstr (byline_draft_get_body (refreshed), ==, "<p>Updated twice.</p>");
  g_assert_cmpuint (count_drafts (f), ==, 1);
}

static void
test_edits_kept_then_conflict (Fixture       *f,
                               gconstpointer  data)
{
  SitePost changed = kerry;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) again = NULL;
  g_autoptr(BylineDraft) stored = NULL;
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BylinePublishOptions options = { .status = "publish" };
  gint64 entry_id;

  changed.with_terms = FALSE;
  draft = open_post (f, &changed, BYLINE_REMOTE_IMPORT_CREATED);
  byline_draft_set_body (draft, "<p>My local correction.</p>");
  save (f, draft);

  /* The site changed too: the local edits win locally, nothing is refreshed, and the link still
   * names the version the edits started from. */
  changed.content = "<p>Their correction.</p>";
  changed.modified_gmt = "2026-11-28T09:00:00";
  again = open_post (f, &changed, BYLINE_REMOTE_IMPORT_KEPT_EDITS);
  g_assert_cmpint (byline_draft_get_id (again), ==, byline_draft_get_id (draft));
  g_assert_cmpstr (byline_draft_get_body (again), ==, "<p>My local correction.</p>");
  stored = byline_store_load_draft (f->store, byline_draft_get_id (draft), &error);
  g_assert_cmpstr (byline_draft_get_body (stored), ==, "<p>My local correction.</p>");
  assert_linked (f, byline_draft_get_id (draft), kerry.modified_gmt, "publish");

  /* So publishing meets the conflict check instead of overwriting theirs. */
  entry_id = byline_publisher_enqueue_publish (f->publisher, draft, f->account_id, &options,
                                               &error);
  g_assert_no_error (error);
  byline_publisher_process_async (f->publisher, NULL, byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  g_assert_true (byline_publisher_process_finish (f->publisher, result, &error));
  g_assert_no_error (error);
  entry = byline_publisher_get_entry (f->publisher, entry_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_CONFLICT);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", POSTS "/42"), ==, 0);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", POSTS), ==, 0);
}

static void
test_publish_updates_the_post (Fixture       *f,
                               gconstpointer  data)
{
  SitePost site = kerry;
  SitePost updated;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *updated_json = NULL;
  BylinePublishOptions options = { .status = "publish" };
  const WpFaultRequest *request = NULL;
  gint64 entry_id;

  site.with_terms = FALSE;
  draft = open_post (f, &site, BYLINE_REMOTE_IMPORT_CREATED);
  byline_draft_set_title (draft, "Kerry in Brussels, corrected");
  save (f, draft);

  /* The check before the update reads the post unchanged (the answer scripted last stays), then
   * the update answers the new version. */
  updated = site;
  updated.title = "Kerry in Brussels, corrected";
  updated.modified_gmt = "2026-11-28T11:00:00";
  updated_json = site_post_json (f, &updated);
  wp_fault_server_add_json (f->server, "POST " POSTS "/42", 200, updated_json);

  entry_id = byline_publisher_enqueue_publish (f->publisher, draft, f->account_id, &options,
                                               &error);
  g_assert_no_error (error);
  byline_publisher_process_async (f->publisher, NULL, byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  g_assert_true (byline_publisher_process_finish (f->publisher, result, &error));
  entry = byline_publisher_get_entry (f->publisher, entry_id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (entry->last_error, ==, "");
  g_assert_cmpint (entry->state, ==, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpint (entry->remote_id, ==, POST_ID);

  /* An update of post 42, never a new post. */
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", POSTS), ==, 0);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", POSTS "/42"), ==, 1);
  for (guint i = 0; i < wp_fault_server_get_n_requests (f->server); i++)
    if (g_str_equal (wp_fault_server_get_request (f->server, i)->method, "POST"))
      request = wp_fault_server_get_request (f->server, i);
  body = json_from_string (g_bytes_get_data (request->body, NULL), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (body), "title"), ==,
                   "Kerry in Brussels, corrected");
  assert_linked (f, byline_draft_get_id (draft), "2026-11-28T11:00:00", "publish");
}

static void
test_scheduled_and_recorded (Fixture       *f,
                             gconstpointer  data)
{
  SitePost scheduled = kerry;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) recorded = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) error = NULL;
  BylineRemoteImportOutcome outcome;
  g_auto(BylineRemotePost) remote = { 0 };

  /* A scheduled post keeps its date, in local time as the draft's details hold it. */
  scheduled.status = "future";
  scheduled.date_gmt = "2030-01-02T09:30:00";
  draft = open_post (f, &scheduled, BYLINE_REMOTE_IMPORT_CREATED);
  utc = g_date_time_new_utc (2030, 1, 2, 9, 30, 0);
  local = g_date_time_to_local (utc);
  expected = g_date_time_format (local, "%Y-%m-%dT%H:%M");
  g_assert_cmpstr (byline_draft_get_publish_date (draft), ==, expected);
  assert_linked (f, byline_draft_get_id (draft), kerry.modified_gmt, "future");

  /* A real WordPress answer (a draft, read without _embed): no terms' names, and no date, since a
   * draft's date_gmt is only WordPress's guess. */
  wp_fault_server_add_recorded (f->server, "GET /wp-json/wp/v2/posts/5", "post-edit");
  {
    g_autoptr(GAsyncResult) result = NULL;

    byline_wp_client_get_post_async (f->client, 5, NULL, byline_test_store_result_cb, &result);
    byline_test_iterate_until_result (&result);
    post = byline_wp_client_get_post_finish (f->client, result, &error);
    g_assert_no_error (error);
  }
  recorded = byline_remote_import_open (f->store, f->account_id, post, &outcome, &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, BYLINE_REMOTE_IMPORT_CREATED);
  g_assert_cmpint (byline_draft_get_id (recorded), !=, byline_draft_get_id (draft));
  g_assert_cmpstr (byline_draft_get_title (recorded), ==, "Draft from DipNote (edited twice)");
  g_assert_nonnull (strstr (byline_draft_get_body (recorded), "après"));
  g_assert_cmpstr (byline_draft_get_categories (recorded), ==, "");
  g_assert_cmpstr (byline_draft_get_publish_date (recorded), ==, "");
  g_assert_true (byline_publisher_get_remote (f->publisher, byline_draft_get_id (recorded),
                                              &remote));
  g_assert_cmpint (remote.remote_id, ==, 5);
  g_assert_cmpstr (remote.status, ==, "draft");
}

static void
test_errors (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) other = NULL;
  g_autoptr(BylineAccount) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *api_root = NULL;
  BylineRemoteImportOutcome outcome;

  /* A post the site does not have: the client's error, for a person. */
  wp_fault_server_add_recorded (f->server, "GET " POSTS "/42", "post-invalid-id");
  f->get_scripted = TRUE;
  post = fetch (f, &error);
  g_assert_null (post);
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Invalid post ID"));
  g_clear_error (&error);

  /* No such account: nothing is made. */
  script_get (f, &kerry);
  post = fetch (f, &error);
  g_assert_no_error (error);
  draft = byline_remote_import_open (f->store, 999, post, &outcome, &error);
  g_assert_null (draft);
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_cmpuint (count_drafts (f), ==, 0);

  /* Post 42 of another account is another post. */
  draft = byline_remote_import_open (f->store, f->account_id, post, &outcome, &error);
  g_assert_no_error (error);
  api_root = g_strconcat (wp_fault_server_get_url (f->server), "/wp-json/", NULL);
  second = byline_account_new (wp_fault_server_get_url (f->server), api_root, "second");
  g_assert_true (byline_accounts_add (f->accounts, second, PASSWORD, &error));
  other = byline_remote_import_open (f->store, byline_account_get_id (second), post, &outcome,
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpint (outcome, ==, BYLINE_REMOTE_IMPORT_CREATED);
  g_assert_cmpint (byline_draft_get_id (other), !=, byline_draft_get_id (draft));
  g_assert_cmpuint (count_drafts (f), ==, 2);
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);
  bus = byline_test_start_keyring ();

#define ADD(path, func) \
  g_test_add ("/core/remote-import/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("creates-linked-draft", test_creates_linked_draft);
  ADD ("open-again-same-draft", test_open_again_same_draft);
  ADD ("refresh-when-untouched", test_refresh_when_untouched);
  ADD ("edits-kept-then-conflict", test_edits_kept_then_conflict);
  ADD ("publish-updates-the-post", test_publish_updates_the_post);
  ADD ("scheduled-and-recorded", test_scheduled_and_recorded);
  ADD ("errors", test_errors);
#undef ADD

  return byline_test_run_and_stop_bus (bus);
}
