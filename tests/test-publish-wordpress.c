/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-publish-wordpress.c: the outbox against a real WordPress (Debian's, on loopback), with a
 * real store, the account found by discovery and its password in a real keyring.
 *
 * Run under wordpress/with-wordpress, which stands a fresh site up and sets BYLINE_WP_URL,
 * BYLINE_WP_USER, BYLINE_WP_APP_PASSWORD and BYLINE_WP_POST_ID. Each test publishes through
 * BylinePublisher, then reads the site back with a BylineWpClient of its own (edit context: the
 * raw fields) and compares with what the draft asked for. Titles carry a token unique to the run,
 * so that counting the posts that bear one is exact. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "byline-accounts.h"
#include "byline-publisher.h"
#include "byline-test-util.h"
#include "byline-wp-blocks.h"
#include "byline-wp-client.h"

/* How long an entry may stay pending while the outbox is processed again and again. */
#define PROCESS_TIMEOUT_SECONDS 30
/* How long any single asynchronous call may take before the test gives up. */
#define CALL_TIMEOUT_SECONDS    60

#define EXISTING_CATEGORY "Europe and Eurasia"
#define NEW_CATEGORY      "Byline Test Category"
#define EXISTING_TAG      "NATO"
#define NEW_TAG           "Vérifier après"
#define ALT_TEXT          "A NATO flag, après"

static GTestDBus    *bus;
static BylineWpSite *site;
static const char   *wp_user;
static const char   *wp_password;
static char         *run_token;     /* in every title, unique to this run */
static guint         n_titles;
static GArray       *create_times;  /* ms, double: drafts published for the first time */
static GArray       *update_times;  /* ms, double: published again (the post existed) */

/* A 4 × 3 RGB PNG, navy blue. */
static const guint8 tiny_png[] = {
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52,
  0x00, 0x00, 0x00, 0x04, 0x00, 0x00, 0x00, 0x03, 0x08, 0x02, 0x00, 0x00, 0x00, 0x3b, 0x96, 0x39,
  0x91, 0x00, 0x00, 0x00, 0x0f, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x60, 0x30, 0x9e, 0x89,
  0x40, 0x38, 0x39, 0x00, 0xb3, 0x73, 0x09, 0x91, 0xb9, 0x3f, 0x12, 0xf6, 0x00, 0x00, 0x00, 0x00,
  0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
};

/* Waiting for asynchronous calls */

/* modified_gmt has a resolution of one second: two saves within a second show the same value.
 * Returns once the site's clock (this computer's) is past the second of @modified_gmt, so that
 * the next change on the site is told apart from the one that gave @modified_gmt. */
static void
wait_past_second (const char *modified_gmt)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) then = g_date_time_new_from_iso8601 (modified_gmt, utc);
  gint64 target;

  g_assert_nonnull (then);
  target = (g_date_time_to_unix (then) + 1) * G_USEC_PER_SEC;
  while (g_get_real_time () < target)
    byline_test_iterate_for ((guint) MAX (1, (target - g_get_real_time ()) / 1000 + 1));
}

/* The fixture: a store of its own, the account added as the app adds it, a client to read the
 * site back */

typedef struct {
  char            *store_path;
  BylineStore     *store;
  BylineAccounts  *accounts;
  BylinePublisher *publisher;
  gint64           account_id;
  BylineWpClient  *site;
} Fixture;

static void
open_publisher (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = byline_store_open (f->store_path, &error);
  g_assert_no_error (error);
  f->accounts = byline_accounts_new (f->store);
  f->publisher = byline_publisher_new (f->store, f->accounts);
}

/* As quitting does: nothing is processed, the store is closed cleanly. */
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
  g_autofree char *dir = byline_test_make_tmpdir ("publish-wordpress");
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  f->store_path = g_build_filename (dir, "byline.db", NULL);
  open_publisher (f);

  account = byline_account_new (site->home != NULL && *site->home != '\0' ? site->home : site->url,
                                site->api_root, wp_user);
  byline_account_set_site_name (account, site->name);
  byline_account_set_timezone (account, site->timezone_string, site->gmt_offset);
  g_assert_true (byline_accounts_add (f->accounts, account, wp_password, &error));
  g_assert_no_error (error);
  f->account_id = byline_account_get_id (account);
  g_assert_cmpint (f->account_id, >, 0);

  f->site = byline_wp_client_new (site->api_root, wp_user, wp_password);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->store != NULL)
    close_publisher (f);
  g_clear_object (&f->site);
  /* Let the clients' last callbacks (closing connections) run. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_free (f->store_path);
}

/* Drafts */

/* A title no other post on the site has: @what, then this run's token and a serial. */
static char *
make_title (const char *what)
{
  return g_strdup_printf ("%s %s%u", what, run_token, ++n_titles);
}

/* The word of @title that only its post has, to search the site with. */
static const char *
title_token (const char *title)
{
  const char *token = strstr (title, run_token);

  g_assert_nonnull (token);
  return token;
}

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
make_draft (Fixture    *f,
            const char *title,
            const char *body)
{
  g_autoptr(GError) error = NULL;
  BylineDraft *draft = byline_store_create_draft (f->store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);

  g_assert_no_error (error);
  byline_draft_set_title (draft, title);
  byline_draft_set_body (draft, body);
  save_draft (f, draft);
  return draft;
}

/* What a Markdown draft without images is published as: native blocks. */
static char *
render (const char *markdown)
{
  return byline_wp_blocks_render (markdown, -1, NULL, NULL);
}

/* The outbox */

static const char *
state_name (BylineOutboxState state)
{
  switch (state)
    {
    case BYLINE_OUTBOX_STATE_PENDING:
      return "PENDING";
    case BYLINE_OUTBOX_STATE_DONE:
      return "DONE";
    case BYLINE_OUTBOX_STATE_FAILED:
      return "FAILED";
    case BYLINE_OUTBOX_STATE_CONFLICT:
      return "CONFLICT";
    default:
      return "?";
    }
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
assert_state (const BylineOutboxEntry *entry,
              BylineOutboxState        state)
{
  if (entry->state != state)
    g_error ("Outbox entry %" G_GINT64_FORMAT " (%s \"%s\") is %s after %u attempt(s), not %s; "
             "last error: \"%s\"", entry->id, entry->status, entry->title,
             state_name (entry->state), entry->attempts, state_name (state), entry->last_error);
}

/* Processes the outbox, again and again, until the entry @entry_id is no longer pending. */
static BylineOutboxEntry *
process_until_settled (Fixture *f,
                       gint64   entry_id)
{
  gint64 deadline = g_get_monotonic_time () + PROCESS_TIMEOUT_SECONDS * G_TIME_SPAN_SECOND;
  guint runs = 0;

  for (;;)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(BylineOutboxEntry) entry = NULL;

      byline_publisher_process_async (f->publisher, NULL, byline_test_store_result_cb, &result);
      byline_test_wait_for_result (&result, PROCESS_TIMEOUT_SECONDS,
                                   "byline_publisher_process_async");
      runs++;
      if (!byline_publisher_process_finish (f->publisher, result, &error))
        g_error ("Processing the outbox failed: %s", error->message);

      entry = get_entry (f, entry_id);
      if (entry->state != BYLINE_OUTBOX_STATE_PENDING)
        {
          if (runs > 1)
            g_test_message ("Entry %" G_GINT64_FORMAT " settled after %u runs", entry_id, runs);
          return g_steal_pointer (&entry);
        }
      if (g_get_monotonic_time () > deadline)
        g_error ("Outbox entry %" G_GINT64_FORMAT " (%s \"%s\") is still PENDING after %d s and "
                 "%u runs of the outbox: %u attempt(s), last error: \"%s\"", entry->id,
                 entry->status, entry->title, PROCESS_TIMEOUT_SECONDS, runs, entry->attempts,
                 entry->last_error);
      byline_test_iterate_for (100);
    }
}

static gint64
enqueue_with (Fixture                    *f,
              BylineDraft                *draft,
              const BylinePublishOptions *options)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = byline_publisher_enqueue_publish (f->publisher, draft, f->account_id, options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

/* Publishes @draft with @options (NULL: publish now), from the enqueue to the end of processing,
 * timed; returns the entry, settled, in the state @expected. */
static BylineOutboxEntry *
publish_with (Fixture                    *f,
              BylineDraft                *draft,
              const BylinePublishOptions *options,
              BylineOutboxState           expected)
{
  static const BylinePublishOptions publish_now = { .status = "publish" };
  g_auto(BylineRemotePost) remote = { 0 };
  BylineOutboxEntry *entry;
  gboolean linked;
  gint64 start;
  double ms;

  if (options == NULL)
    options = &publish_now;
  linked = byline_publisher_get_remote (f->publisher, byline_draft_get_id (draft), &remote);

  start = g_get_monotonic_time ();
  entry = process_until_settled (f, enqueue_with (f, draft, options));
  ms = (g_get_monotonic_time () - start) / 1000.0;
  assert_state (entry, expected);

  g_test_message ("%s \"%s\" (%s) in %.0f ms: %s", linked ? "Updated" : "Published",
                  byline_draft_get_title (draft), options->status, ms, state_name (entry->state));
  if (expected == BYLINE_OUTBOX_STATE_DONE)
    g_array_append_val (linked ? update_times : create_times, ms);
  return entry;
}

static BylineOutboxEntry *
publish (Fixture     *f,
         BylineDraft *draft)
{
  return publish_with (f, draft, NULL, BYLINE_OUTBOX_STATE_DONE);
}

static void
get_remote (Fixture          *f,
            BylineDraft      *draft,
            BylineRemotePost *remote)
{
  if (!byline_publisher_get_remote (f->publisher, byline_draft_get_id (draft), remote))
    g_error ("Draft %" G_GINT64_FORMAT " (\"%s\") is linked to no post",
             byline_draft_get_id (draft), byline_draft_get_title (draft));
  g_assert_cmpint (remote->account_id, ==, f->account_id);
  g_assert_cmpint (remote->remote_id, >, 0);
}

/* Reading the site back */

static BylineWpPost *
site_get_post (BylineWpClient *client,
               gint64          id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BylineWpPost *post;

  byline_wp_client_get_post_async (client, id, NULL, byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, "byline_wp_client_get_post_async");
  post = byline_wp_client_get_post_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (post);
  g_assert_cmpint (byline_wp_post_get_id (post), ==, id);
  return post;
}

/* Someone else's edit: sends @fields with a client that is not the publisher's. */
static BylineWpPost *
site_update_post (BylineWpClient *client,
                  gint64          id,
                  JsonObject     *fields)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BylineWpPost *post;

  byline_wp_client_update_post_async (client, id, fields, NULL, byline_test_store_result_cb,
                                      &result);
  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, "byline_wp_client_update_post_async");
  post = byline_wp_client_update_post_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (post);
  return post;
}

/* The posts, of any status but trash, whose title is exactly @title. */
static GPtrArray *
site_posts_titled (BylineWpClient *client,
                   const char     *title)
{
  static const char * const statuses[] = {
    "publish", "future", "draft", "pending", "private", NULL,
  };
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  GPtrArray *titled = g_ptr_array_new_with_free_func (g_object_unref);

  byline_wp_client_list_posts_async (client, statuses, title_token (title), 1, 100, NULL, NULL,
                                     byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, "byline_wp_client_list_posts_async");
  posts = byline_wp_client_list_posts_finish (client, result, &info, &error);
  g_assert_no_error (error);
  g_assert_nonnull (posts);
  g_assert_cmpint (info.total_pages, <=, 1);
  for (guint i = 0; i < posts->len; i++)
    if (g_str_equal (byline_wp_post_get_title (posts->pdata[i]), title))
      g_ptr_array_add (titled, g_object_ref (posts->pdata[i]));
  return titled;
}

/* Every term of @taxonomy called exactly @name (the site has fewer than 100 terms). */
static GPtrArray *
site_terms_named (BylineWpClient *client,
                  const char     *taxonomy,
                  const char     *name)
{
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) terms = NULL;
  GPtrArray *named = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_wp_term_free);

  byline_wp_client_list_terms_async (client, taxonomy, NULL, 1, 100, NULL,
                                     byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, "byline_wp_client_list_terms_async");
  terms = byline_wp_client_list_terms_finish (client, result, &info, &error);
  g_assert_no_error (error);
  g_assert_nonnull (terms);
  g_assert_cmpint (info.total_pages, <=, 1);
  for (guint i = 0; i < terms->len; i++)
    {
      BylineWpTerm *term = terms->pdata[i];

      if (g_str_equal (term->name, name))
        g_ptr_array_add (named, byline_wp_term_copy (term));
    }
  return named;
}

/* The one term of @taxonomy called @name. */
static BylineWpTerm *
site_term (BylineWpClient *client,
           const char     *taxonomy,
           const char     *name)
{
  g_autoptr(GPtrArray) terms = site_terms_named (client, taxonomy, name);

  if (terms->len != 1)
    g_error ("The site has %u %s called \"%s\", not one", terms->len, taxonomy, name);
  return byline_wp_term_copy (terms->pdata[0]);
}

static int
compare_int64 (gconstpointer a,
               gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

/* @ids, as a set, is exactly { @a, @b }. */
static void
assert_ids (GArray     *ids,
            const char *what,
            gint64      a,
            gint64      b)
{
  g_autoptr(GArray) sorted = g_array_copy (ids);
  gint64 expected[2] = { MIN (a, b), MAX (a, b) };

  g_array_sort (sorted, compare_int64);
  if (sorted->len != 2 || g_array_index (sorted, gint64, 0) != expected[0]
      || g_array_index (sorted, gint64, 1) != expected[1])
    {
      g_autoptr(GString) got = g_string_new ("");

      for (guint i = 0; i < sorted->len; i++)
        g_string_append_printf (got, "%s%" G_GINT64_FORMAT, i > 0 ? ", " : "",
                                g_array_index (sorted, gint64, i));
      g_error ("The post's %s are [%s], not [%" G_GINT64_FORMAT ", %" G_GINT64_FORMAT "]", what,
               got->str, expected[0], expected[1]);
    }
}

/* The pretty permalink of a published post: the site's home, its slug, a slash. */
static void
assert_pretty_link (BylineWpPost *post)
{
  const char *home = site->home != NULL && *site->home != '\0' ? site->home : site->url;
  g_autofree char *base = g_str_has_suffix (home, "/") ? g_strndup (home, strlen (home) - 1)
                                                       : g_strdup (home);
  g_autofree char *expected = g_strdup_printf ("%s/%s/", base, byline_wp_post_get_slug (post));

  g_assert_cmpstr (byline_wp_post_get_slug (post), !=, "");
  g_assert_cmpstr (byline_wp_post_get_link (post), ==, expected);
  g_assert_null (strstr (byline_wp_post_get_link (post), "?p="));
}

/* 1. A Markdown draft with Unicode, a list, a link and emphasis, existing and new terms */

static const char unicode_body[] =
  "Le porte-parole a répondu « Apres, après » — puis il est reparti 🇪🇺 vers Bruxelles.\n"
  "\n"
  "- un *premier* point, en italique\n"
  "- un **second**, en gras, avec [le communiqué](https://www.state.gov/remarks/)\n"
  "- et un troisième : `code` & ampersand\n"
  "\n"
  "Fin — _vraiment_ 🚀.\n";

static void
test_publish_markdown (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *title = make_title ("« Apres, après » — Byline publie 🚀");
  g_autofree char *second_title = make_title ("Second — même catégories 🙂");
  g_autofree char *html = render (unicode_body);
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) second = NULL;
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(BylineWpPost) second_post = NULL;
  g_autoptr(BylineWpTerm) europe = NULL;
  g_autoptr(BylineWpTerm) nato = NULL;
  g_autoptr(BylineWpTerm) new_category = NULL;
  g_autoptr(BylineWpTerm) new_tag = NULL;
  g_autoptr(GPtrArray) absent = NULL;
  g_autoptr(GPtrArray) titled = NULL;
  g_auto(BylineRemotePost) remote = { 0 };

  /* What the site has before: the seeded terms, and not the new ones. */
  europe = site_term (f->site, "categories", EXISTING_CATEGORY);
  nato = site_term (f->site, "tags", EXISTING_TAG);
  absent = site_terms_named (f->site, "categories", NEW_CATEGORY);
  g_assert_cmpuint (absent->len, ==, 0);
  g_clear_pointer (&absent, g_ptr_array_unref);
  absent = site_terms_named (f->site, "tags", NEW_TAG);
  g_assert_cmpuint (absent->len, ==, 0);

  /* The HTML has what the Markdown asked for, so that comparing it below means something. */
  g_assert_nonnull (strstr (html, "<ul>"));
  g_assert_nonnull (strstr (html, "<em>premier</em>"));
  g_assert_nonnull (strstr (html, "<strong>second</strong>"));
  g_assert_nonnull (strstr (html, "<a href=\"https://www.state.gov/remarks/\">"));
  g_assert_nonnull (strstr (html, "« Apres, après » —"));
  g_assert_nonnull (strstr (html, "🚀"));

  draft = make_draft (f, title, unicode_body);
  byline_draft_set_categories (draft, EXISTING_CATEGORY ", " NEW_CATEGORY);
  byline_draft_set_tags (draft, EXISTING_TAG ", " NEW_TAG);
  save_draft (f, draft);

  entry = publish (f, draft);
  g_assert_cmpint (entry->remote_id, >, 0);
  g_assert_cmpstr (entry->title, ==, title);
  g_assert_cmpstr (entry->last_error, ==, "");

  post = site_get_post (f->site, entry->remote_id);
  g_assert_cmpstr (byline_wp_post_get_status (post), ==, "publish");
  g_assert_cmpstr (byline_wp_post_get_title (post), ==, title);
  g_assert_cmpstr (byline_wp_post_get_content (post), ==, html);

  /* The terms: exactly those named, the new ones made. */
  new_category = site_term (f->site, "categories", NEW_CATEGORY);
  new_tag = site_term (f->site, "tags", NEW_TAG);
  assert_ids (byline_wp_post_get_categories (post), "categories", europe->id, new_category->id);
  assert_ids (byline_wp_post_get_tags (post), "tags", nato->id, new_tag->id);

  /* The pretty permalink, made from the title, not from the slug the post was created under. */
  assert_pretty_link (post);
  g_assert_false (g_str_has_prefix (byline_wp_post_get_slug (post), "byline-"));
  g_assert_cmpstr (entry->link, ==, byline_wp_post_get_link (post));
  get_remote (f, draft, &remote);
  g_assert_cmpint (remote.remote_id, ==, entry->remote_id);
  g_assert_cmpstr (remote.status, ==, "publish");
  g_assert_cmpstr (remote.link, ==, byline_wp_post_get_link (post));
  g_assert_cmpstr (remote.modified_gmt, ==, byline_wp_post_get_modified_gmt (post));

  titled = site_posts_titled (f->site, title);
  g_assert_cmpuint (titled->len, ==, 1);
  g_clear_pointer (&entry, byline_outbox_entry_free);

  /* A second draft with the same new names (in another order and spacing): no second term. */
  second = make_draft (f, second_title, "Deuxième article, *mêmes* rubriques.");
  byline_draft_set_categories (second, " " NEW_CATEGORY " ," EXISTING_CATEGORY);
  byline_draft_set_tags (second, NEW_TAG ",  " EXISTING_TAG ", " NEW_TAG);
  save_draft (f, second);
  entry = publish (f, second);
  g_assert_cmpint (entry->remote_id, !=, byline_wp_post_get_id (post));

  second_post = site_get_post (f->site, entry->remote_id);
  g_assert_cmpstr (byline_wp_post_get_status (second_post), ==, "publish");
  g_assert_cmpstr (byline_wp_post_get_title (second_post), ==, second_title);
  assert_ids (byline_wp_post_get_categories (second_post), "categories", europe->id,
              new_category->id);
  assert_ids (byline_wp_post_get_tags (second_post), "tags", nato->id, new_tag->id);

  g_clear_pointer (&new_category, byline_wp_term_free);
  g_clear_pointer (&new_tag, byline_wp_term_free);
  new_category = site_term (f->site, "categories", NEW_CATEGORY);  /* still exactly one */
  new_tag = site_term (f->site, "tags", NEW_TAG);
  g_assert_cmpint (new_category->count, ==, 2);
  g_assert_cmpint (new_tag->count, ==, 2);
}

/* 2. Scheduling */

static char *
utc_in (gint64 seconds)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) then = g_date_time_add_seconds (now, (gdouble) seconds);

  return g_date_time_format (then, "%Y-%m-%dT%H:%M:%S");
}

static void
test_schedule (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *title = make_title ("Scheduled for tomorrow");
  g_autofree char *tomorrow = utc_in (24 * 60 * 60);
  g_autofree char *too_soon = utc_in (30);
  BylinePublishOptions future = { .status = "future", .date_gmt = tomorrow };
  BylinePublishOptions hasty = { .status = "future", .date_gmt = too_soon };
  g_autoptr(BylineDraft) draft = make_draft (f, title, "Embargoed until *tomorrow*.");
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BylineRemotePost) remote = { 0 };
  guint n_entries;
  gint64 id;

  entry = publish_with (f, draft, &future, BYLINE_OUTBOX_STATE_DONE);
  post = site_get_post (f->site, entry->remote_id);
  g_assert_cmpstr (byline_wp_post_get_status (post), ==, "future");
  g_assert_cmpstr (byline_wp_post_get_date_gmt (post), ==, tomorrow);
  /* The site is on UTC: its local date is the same. */
  g_assert_cmpstr (byline_wp_post_get_date (post), ==, tomorrow);
  get_remote (f, draft, &remote);
  g_assert_cmpstr (remote.status, ==, "future");
  g_assert_cmpint (remote.remote_id, ==, entry->remote_id);

  /* 30 s ahead: WordPress would publish at once. Refused when asked, with a reason, and nothing
   * is written to the outbox. */
  entries = byline_publisher_list_entries (f->publisher, byline_draft_get_id (draft), &error);
  g_assert_no_error (error);
  n_entries = entries->len;
  g_clear_pointer (&entries, g_ptr_array_unref);

  id = byline_publisher_enqueue_publish (f->publisher, draft, f->account_id, &hasty, &error);
  g_assert_cmpint (id, ==, 0);
  g_assert_error (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID);
  g_assert_cmpuint (strlen (error->message), >, 0);
  g_test_message ("A date 30 s ahead is refused: %s", error->message);

  entries = byline_publisher_list_entries (f->publisher, byline_draft_get_id (draft), NULL);
  g_assert_cmpuint (entries->len, ==, n_entries);
  g_clear_object (&post);
  post = site_get_post (f->site, remote.remote_id);
  g_assert_cmpstr (byline_wp_post_get_status (post), ==, "future");
  g_assert_cmpstr (byline_wp_post_get_date_gmt (post), ==, tomorrow);
}

/* 3. Publishing again updates the same post */

static void
test_update (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *title = make_title ("Updated story");
  static const char new_body[] = "Corrected: the ministers met on *Tuesday*, not Monday — après.";
  g_autofree char *new_html = render (new_body);
  g_autoptr(BylineDraft) draft = make_draft (f, title, "The ministers met on *Monday*.");
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(BylineWpPost) before = NULL;
  g_autoptr(BylineWpPost) after = NULL;
  g_autoptr(GPtrArray) titled = NULL;
  g_auto(BylineRemotePost) first = { 0 };
  g_auto(BylineRemotePost) second = { 0 };

  entry = publish (f, draft);
  get_remote (f, draft, &first);
  before = site_get_post (f->site, first.remote_id);
  g_clear_pointer (&entry, byline_outbox_entry_free);

  wait_past_second (first.modified_gmt);
  byline_draft_set_body (draft, new_body);
  save_draft (f, draft);
  entry = publish (f, draft);
  g_assert_cmpint (entry->remote_id, ==, first.remote_id);

  after = site_get_post (f->site, first.remote_id);
  g_assert_cmpstr (byline_wp_post_get_status (after), ==, "publish");
  g_assert_cmpstr (byline_wp_post_get_title (after), ==, title);
  g_assert_cmpstr (byline_wp_post_get_content (after), ==, new_html);
  titled = site_posts_titled (f->site, title);
  g_assert_cmpuint (titled->len, ==, 1);
  g_assert_cmpint (byline_wp_post_get_id (titled->pdata[0]), ==, first.remote_id);

  get_remote (f, draft, &second);
  g_assert_cmpint (second.remote_id, ==, first.remote_id);
  g_assert_cmpstr (second.modified_gmt, !=, first.modified_gmt);
  g_assert_cmpstr (second.modified_gmt, >, first.modified_gmt);
  g_assert_cmpstr (second.modified_gmt, ==, byline_wp_post_get_modified_gmt (after));

  /* A correction is not a new publication: the post keeps its date and its address. */
  g_assert_cmpstr (byline_wp_post_get_date_gmt (after), ==,
                   byline_wp_post_get_date_gmt (before));
  g_assert_cmpstr (byline_wp_post_get_link (after), ==, byline_wp_post_get_link (before));
  g_assert_cmpstr (second.link, ==, first.link);
}

/* 4. Someone changed the post on the site meanwhile */

/* Someone else, with a client of their own, changes post @id a second after @modified_gmt (the
 * last version Byline saw: modified_gmt counts in seconds). Returns the new modified_gmt. */
static char *
change_behind_back (gint64      id,
                    const char *modified_gmt,
                    const char *title,
                    const char *content)
{
  g_autoptr(BylineWpClient) other = byline_wp_client_new (site->api_root, wp_user, wp_password);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(BylineWpPost) theirs = NULL;

  wait_past_second (modified_gmt);
  json_object_set_string_member (fields, "title", title);
  if (content != NULL)
    json_object_set_string_member (fields, "content", content);
  theirs = site_update_post (other, id, fields);
  g_assert_cmpstr (byline_wp_post_get_title (theirs), ==, title);
  g_assert_cmpstr (byline_wp_post_get_modified_gmt (theirs), !=, modified_gmt);
  return g_strdup (byline_wp_post_get_modified_gmt (theirs));
}

static void
test_conflict (Fixture       *f,
               gconstpointer  data)
{
  g_autofree char *title = make_title ("Conflicted story");
  g_autofree char *my_title = make_title ("Conflicted story, my edit");
  g_autofree char *their_title = make_title ("Conflicted story, edited on the site");
  g_autofree char *their_second_title = make_title ("Conflicted story, edited again on the site");
  static const char their_content[] = "<p>The desk rewrote this — après coup 🙂.</p>";
  g_autoptr(BylineDraft) draft = make_draft (f, title, "First version.");
  g_autoptr(BylineDraft) stored = NULL;
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GPtrArray) titled = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BylineRemotePost) remote = { 0 };
  g_auto(BylineConflict) conflict = { 0 };
  g_autofree char *link = NULL;
  g_autofree char *their_modified = NULL;
  g_autofree char *mine_html = render ("Second version, *mine*.");
  g_autofree char *first_html = render ("First version.");
  gint64 post_id;
  gint64 entry_id;

  entry = publish (f, draft);
  post_id = entry->remote_id;
  get_remote (f, draft, &remote);
  link = g_strdup (remote.link);
  g_clear_pointer (&entry, byline_outbox_entry_free);

  their_modified = change_behind_back (post_id, remote.modified_gmt, their_title, NULL);
  byline_draft_set_title (draft, my_title);
  byline_draft_set_body (draft, "Second version, *mine*.");
  save_draft (f, draft);
  entry = publish_with (f, draft, NULL, BYLINE_OUTBOX_STATE_CONFLICT);
  entry_id = entry->id;
  g_assert_cmpstr (entry->last_error, !=, "");
  g_assert_true (byline_publisher_get_conflict (f->publisher, entry_id, &conflict, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (conflict.mine_title, ==, my_title);
  g_assert_cmpstr (conflict.mine_content, ==, mine_html);
  g_assert_cmpstr (conflict.theirs_title, ==, their_title);
  g_assert_cmpstr (conflict.theirs_content, ==, first_html);
  g_assert_cmpstr (conflict.theirs_modified_gmt, ==, their_modified);
  /* Nothing was sent. */
  post = site_get_post (f->site, post_id);
  g_assert_cmpstr (byline_wp_post_get_title (post), ==, their_title);
  g_assert_cmpstr (byline_wp_post_get_modified_gmt (post), ==, their_modified);
  g_clear_object (&post);
  g_clear_pointer (&entry, byline_outbox_entry_free);

  /* Keep mine: the same entry is sent again, over their version. */
  g_assert_true (byline_publisher_resolve_conflict (f->publisher, entry_id,
                                                    BYLINE_CONFLICT_KEEP_MINE, NULL, &error));
  g_assert_no_error (error);
  entry = process_until_settled (f, entry_id);
  assert_state (entry, BYLINE_OUTBOX_STATE_DONE);
  post = site_get_post (f->site, post_id);
  g_assert_cmpstr (byline_wp_post_get_title (post), ==, my_title);
  g_assert_cmpstr (byline_wp_post_get_content (post), ==, mine_html);
  g_assert_cmpstr (byline_wp_post_get_status (post), ==, "publish");
  /* A new title does not move a published post to another address. */
  g_assert_cmpstr (byline_wp_post_get_link (post), ==, link);
  byline_remote_post_clear (&remote);
  get_remote (f, draft, &remote);
  g_assert_cmpint (remote.remote_id, ==, post_id);
  g_assert_cmpstr (remote.modified_gmt, ==, byline_wp_post_get_modified_gmt (post));
  g_clear_object (&post);
  g_clear_pointer (&entry, byline_outbox_entry_free);
  byline_conflict_clear (&conflict);
  g_clear_pointer (&their_modified, g_free);

  /* Again, and this time take theirs. */
  their_modified = change_behind_back (post_id, remote.modified_gmt, their_second_title,
                                       their_content);
  byline_draft_set_body (draft, "Third version, which will lose.");
  save_draft (f, draft);
  entry = publish_with (f, draft, NULL, BYLINE_OUTBOX_STATE_CONFLICT);
  entry_id = entry->id;
  g_clear_pointer (&entry, byline_outbox_entry_free);
  g_assert_true (byline_publisher_get_conflict (f->publisher, entry_id, &conflict, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (conflict.mine_title, ==, my_title);
  g_assert_cmpstr (conflict.theirs_title, ==, their_second_title);
  g_assert_cmpstr (conflict.theirs_content, ==, their_content);

  g_assert_true (byline_publisher_resolve_conflict (f->publisher, entry_id,
                                                    BYLINE_CONFLICT_TAKE_THEIRS, draft, &error));
  g_assert_no_error (error);
  entry = get_entry (f, entry_id);
  assert_state (entry, BYLINE_OUTBOX_STATE_DONE);
  g_clear_pointer (&entry, byline_outbox_entry_free);

  /* The draft gets theirs, as the caller then saves it. */
  g_assert_cmpstr (byline_draft_get_title (draft), ==, their_second_title);
  g_assert_cmpstr (byline_draft_get_body (draft), ==, their_content);
  g_assert_cmpint (byline_draft_get_format (draft), ==, BYLINE_DRAFT_FORMAT_HTML);
  save_draft (f, draft);
  stored = byline_store_load_draft (f->store, byline_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_draft_get_title (stored), ==, their_second_title);
  g_assert_cmpstr (byline_draft_get_body (stored), ==, their_content);
  g_assert_cmpint (byline_draft_get_format (stored), ==, BYLINE_DRAFT_FORMAT_HTML);

  /* The site keeps theirs: nothing was sent, and the link refers to their version. */
  post = site_get_post (f->site, post_id);
  g_assert_cmpstr (byline_wp_post_get_title (post), ==, their_second_title);
  g_assert_cmpstr (byline_wp_post_get_content (post), ==, their_content);
  g_assert_cmpstr (byline_wp_post_get_modified_gmt (post), ==, their_modified);
  byline_remote_post_clear (&remote);
  get_remote (f, draft, &remote);
  g_assert_cmpint (remote.remote_id, ==, post_id);
  g_assert_cmpstr (remote.modified_gmt, ==, their_modified);
  g_clear_object (&post);

  /* So the next edit goes through without a conflict, to the same post. */
  byline_draft_set_body (draft, "<p>Their version, with a line of mine.</p>");
  save_draft (f, draft);
  entry = publish (f, draft);
  g_assert_cmpint (entry->remote_id, ==, post_id);
  post = site_get_post (f->site, post_id);
  g_assert_cmpstr (byline_wp_post_get_title (post), ==, their_second_title);
  g_assert_cmpstr (byline_wp_post_get_content (post), ==,
                   "<p>Their version, with a line of mine.</p>");
  titled = site_posts_titled (f->site, their_second_title);
  g_assert_cmpuint (titled->len, ==, 1);
}

/* 5. Trash */

static void
test_trash (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *title = make_title ("Story to retract");
  g_autoptr(BylineDraft) draft = make_draft (f, title, "Published in error.");
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GPtrArray) titled = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BylineRemotePost) remote = { 0 };
  gint64 post_id;
  gint64 id;

  entry = publish (f, draft);
  post_id = entry->remote_id;
  g_clear_pointer (&entry, byline_outbox_entry_free);

  id = byline_publisher_enqueue_trash (f->publisher, byline_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  entry = process_until_settled (f, id);
  assert_state (entry, BYLINE_OUTBOX_STATE_DONE);
  g_assert_cmpint (entry->action, ==, BYLINE_OUTBOX_ACTION_TRASH);
  g_assert_cmpint (entry->remote_id, ==, post_id);

  post = site_get_post (f->site, post_id);
  g_assert_cmpstr (byline_wp_post_get_status (post), ==, "trash");
  get_remote (f, draft, &remote);
  g_assert_cmpint (remote.remote_id, ==, post_id);
  g_assert_cmpstr (remote.status, ==, "trash");
  /* Gone from the lists of live posts. */
  titled = site_posts_titled (f->site, title);
  g_assert_cmpuint (titled->len, ==, 0);
}

/* 6. A publication queued, then Byline quits before sending it */

static void
test_interrupted (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *title = make_title ("Queued before quitting");
  g_autoptr(BylineDraft) draft = make_draft (f, title, "Sent by the *next* session.");
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GPtrArray) titled = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  BylinePublishOptions options = { .status = "publish" };
  g_autofree char *sent_html = render ("Sent by the *next* session.");
  gint64 draft_id = byline_draft_get_id (draft);
  gint64 id;
  gint64 start;

  id = enqueue_with (f, draft, &options);
  close_publisher (f);
  g_clear_object (&draft);

  /* Nothing reached the site. */
  titled = site_posts_titled (f->site, title);
  g_assert_cmpuint (titled->len, ==, 0);
  g_clear_pointer (&titled, g_ptr_array_unref);

  /* The next session, on the same file. */
  open_publisher (f);
  g_assert_false (byline_store_get_recovered (f->store));
  entries = byline_publisher_list_entries (f->publisher, draft_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpint (((BylineOutboxEntry *) entries->pdata[0])->id, ==, id);
  g_assert_cmpint (((BylineOutboxEntry *) entries->pdata[0])->state, ==,
                   BYLINE_OUTBOX_STATE_PENDING);

  start = g_get_monotonic_time ();
  entry = process_until_settled (f, id);
  assert_state (entry, BYLINE_OUTBOX_STATE_DONE);
  g_test_message ("Published \"%s\" after reopening in %.0f ms", title,
                  (g_get_monotonic_time () - start) / 1000.0);

  titled = site_posts_titled (f->site, title);
  g_assert_cmpuint (titled->len, ==, 1);
  post = site_get_post (f->site, entry->remote_id);
  g_assert_cmpstr (byline_wp_post_get_status (post), ==, "publish");
  g_assert_cmpstr (byline_wp_post_get_content (post), ==, sent_html);

  /* Processing again sends nothing more. */
  g_clear_pointer (&entry, byline_outbox_entry_free);
  entry = process_until_settled (f, id);
  assert_state (entry, BYLINE_OUTBOX_STATE_DONE);
  g_clear_pointer (&titled, g_ptr_array_unref);
  titled = site_posts_titled (f->site, title);
  g_assert_cmpuint (titled->len, ==, 1);
}

/* 7. An image with its alternative text */

static void
test_media (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(GBytes) png = g_bytes_new_static (tiny_png, sizeof tiny_png);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineWpMedia) media = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GBytes) served = NULL;
  g_autofree char *route = NULL;
  g_auto(BylineWpResponseInfo) info = { 0 };
  JsonObject *object;
  const char *source_url;
  gint64 start = g_get_monotonic_time ();

  byline_wp_client_upload_media_async (f->site, png, "byline-test-flag.png", "image/png", NULL,
                                       ALT_TEXT, NULL, byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS,
                               "byline_wp_client_upload_media_async");
  media = byline_wp_client_upload_media_finish (f->site, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (media);
  g_test_message ("Uploaded a %" G_GSIZE_FORMAT "-byte PNG with its alt text in %.0f ms",
                  sizeof tiny_png, (g_get_monotonic_time () - start) / 1000.0);
  g_assert_cmpint (media->id, >, 0);
  g_assert_cmpstr (media->alt_text, ==, ALT_TEXT);
  g_assert_cmpstr (media->mime_type, ==, "image/png");
  g_clear_object (&result);

  /* What the site holds. */
  route = g_strdup_printf ("/wp/v2/media/%" G_GINT64_FORMAT, media->id);
  query = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (query, "context", "edit");
  byline_wp_client_request_async (f->site, "GET", route, query, NULL, NULL,
                                  byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, "byline_wp_client_request_async");
  node = byline_wp_client_request_finish (f->site, result, &info, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (info.status, ==, 200);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  object = json_node_get_object (node);
  g_assert_cmpint (json_object_get_int_member (object, "id"), ==, media->id);
  g_assert_cmpstr (json_object_get_string_member (object, "alt_text"), ==, ALT_TEXT);
  g_assert_cmpstr (json_object_get_string_member (object, "mime_type"), ==, "image/png");
  source_url = json_object_get_string_member (object, "source_url");
  g_assert_cmpstr (source_url, ==, media->source_url);
  g_assert_true (g_str_has_suffix (source_url, ".png"));

  /* The file is served there, as it was sent. */
  session = soup_session_new ();
  msg = soup_message_new ("GET", source_url);
  g_assert_nonnull (msg);
  served = soup_session_send_and_read (session, msg, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (msg), ==, SOUP_STATUS_OK);
  g_assert_cmpuint (g_bytes_get_size (served), ==, sizeof tiny_png);
  g_assert_true (g_bytes_equal (served, png));
}

/* Categories and tags: the right one of two same-named children, and one new tag for two */

/* Makes (or finds) a term on the site, as someone working in WordPress would. */
static gint64
site_ensure_term (BylineWpClient *client,
                  const char     *taxonomy,
                  const char     *name,
                  gint64          parent)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id;

  byline_wp_client_ensure_term_async (client, taxonomy, name, parent, NULL,
                                      byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, "byline_wp_client_ensure_term_async");
  id = byline_wp_client_ensure_term_finish (client, result, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);
  return id;
}

static void
assert_ids_are (GArray *ids,
                gint64  id)
{
  g_assert_nonnull (ids);
  g_assert_cmpuint (ids->len, ==, 1);
  g_assert_cmpint (g_array_index (ids, gint64, 0), ==, id);
}

/* "Press Releases" under two desks: the one checked is the one the post gets, read back by id;
 * a missing child is made under its parent; an old draft's bare, ambiguous name is refused
 * with a sentence, and makes no third "Press Releases". */
static void
test_child_category (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *europe_name = g_strdup_printf ("Europe Desk %s", run_token);
  g_autofree char *asia_name = g_strdup_printf ("Asia Desk %s", run_token);
  g_autofree char *child_name = g_strdup_printf ("Press Releases %s", run_token);
  g_autofree char *new_child = g_strdup_printf ("Briefings %s", run_token);
  g_autofree char *path = NULL;
  g_autofree char *new_path = NULL;
  g_autofree char *title = make_title ("Child category");
  g_autofree char *title2 = make_title ("New child category");
  g_autofree char *title3 = make_title ("Ambiguous category");
  g_autoptr(BylineDraft) draft = make_draft (f, title, "In Asia.");
  g_autoptr(BylineDraft) draft2 = make_draft (f, title2, "Briefly.");
  g_autoptr(BylineDraft) draft3 = make_draft (f, title3, "Which one?");
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GPtrArray) named = NULL;
  g_auto(BylineRemotePost) remote = { 0 };
  gint64 europe, asia, europe_child, asia_child;

  europe = site_ensure_term (f->site, "categories", europe_name, 0);
  asia = site_ensure_term (f->site, "categories", asia_name, 0);
  europe_child = site_ensure_term (f->site, "categories", child_name, europe);
  asia_child = site_ensure_term (f->site, "categories", child_name, asia);
  g_assert_cmpint (europe_child, !=, asia_child);

  /* The second of the two, by its path. */
  path = g_strdup_printf ("%s › %s", asia_name, child_name);
  byline_draft_set_categories (draft, path);
  save_draft (f, draft);
  entry = publish (f, draft);
  get_remote (f, draft, &remote);
  post = site_get_post (f->site, remote.remote_id);
  assert_ids_are (byline_wp_post_get_categories (post), asia_child);
  g_clear_pointer (&entry, byline_outbox_entry_free);
  g_clear_object (&post);
  byline_remote_post_clear (&remote);

  /* A child the site lacks: made under its parent, not at the top. */
  new_path = g_strdup_printf ("%s › %s", europe_name, new_child);
  byline_draft_set_categories (draft2, new_path);
  save_draft (f, draft2);
  entry = publish (f, draft2);
  get_remote (f, draft2, &remote);
  post = site_get_post (f->site, remote.remote_id);
  named = site_terms_named (f->site, "categories", new_child);
  g_assert_cmpuint (named->len, ==, 1);
  g_assert_cmpint (((BylineWpTerm *) named->pdata[0])->parent, ==, europe);
  assert_ids_are (byline_wp_post_get_categories (post), ((BylineWpTerm *) named->pdata[0])->id);
  g_clear_pointer (&entry, byline_outbox_entry_free);
  g_clear_pointer (&named, g_ptr_array_unref);

  /* A draft from before paths names only "Press Releases": which one cannot be known. */
  byline_draft_set_categories (draft3, child_name);
  save_draft (f, draft3);
  entry = publish_with (f, draft3, NULL, BYLINE_OUTBOX_STATE_FAILED);
  g_assert_nonnull (strstr (entry->last_error, "several categories"));
  g_assert_nonnull (strstr (entry->last_error, "Parent › "));
  named = site_terms_named (f->site, "categories", child_name);
  g_assert_cmpuint (named->len, ==, 2);
}

/* The number of requests the site has logged that contain @needle (Apache's access log). */
static guint
site_count_requests (const char *needle)
{
  g_autofree char *log_path = g_build_filename (g_getenv ("BYLINE_WP_STATEDIR"), "logs",
                                                "apache-access.log", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  guint n = 0;

  g_file_get_contents (log_path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strstr (lines[i], needle) != NULL)
      n++;
  return n;
}

/* The id of the term WordPress answered @answer created with, or 0 when it did not create one
 * (term_exists, an error, no JSON). */
static gint64
created_term_id (const char *answer)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *object;

  if (answer == NULL || !json_parser_load_from_data (parser, answer, -1, NULL) ||
      !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return 0;
  object = json_node_get_object (json_parser_get_root (parser));
  if (json_object_has_member (object, "code") || !json_object_has_member (object, "id"))
    return 0;
  return json_object_get_int_member (object, "id");
}

/* Two drafts published at the same time (two stores, as two windows or a second copy of the
 * app), each with the same new tag, while another program (curl) creates it too: one tag on
 * the site, and both posts carry its id. In this process the two share one request. */
static void
test_concurrent_new_tag (Fixture       *f,
                         gconstpointer  data)
{
  Fixture other = { 0 };
  g_autofree char *tag = g_strdup_printf ("Concurrent après %s", run_token);
  g_autofree char *title = make_title ("Concurrent tag one");
  g_autofree char *title2 = make_title ("Concurrent tag two");
  g_autoptr(BylineDraft) draft = make_draft (f, title, "One.");
  g_autoptr(BylineDraft) draft2 = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) result2 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) named = NULL;
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(BylineOutboxEntry) entry2 = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(BylineWpPost) post2 = NULL;
  g_autoptr(GSubprocess) curl = NULL;
  g_autofree char *credentials = g_strdup_printf ("%s:%s", wp_user, wp_password);
  g_autofree char *body = NULL;
  g_autofree char *tags_url = NULL;
  g_autofree char *curl_out = NULL;
  g_auto(BylineRemotePost) remote = { 0 };
  g_auto(BylineRemotePost) remote2 = { 0 };
  gint64 id, id2, tag_id, curl_id;
  guint posts_before;

  fixture_set_up (&other, NULL);
  draft2 = make_draft (&other, title2, "Two.");
  byline_draft_set_tags (draft, tag);
  byline_draft_set_tags (draft2, tag);
  save_draft (f, draft);
  save_draft (&other, draft2);
  id = enqueue_with (f, draft, &(BylinePublishOptions) { .status = "publish" });
  id2 = enqueue_with (&other, draft2, &(BylinePublishOptions) { .status = "publish" });

  /* Another program, at the same moment. */
  posts_before = site_count_requests ("POST /wp-json/wp/v2/tags");
  body = g_strdup_printf ("{\"name\":\"%s\"}", tag);
  tags_url = g_strdup_printf ("%swp/v2/tags", site->api_root);
  curl = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "curl", "-s", "-u",
                           credentials, "-H", "Content-Type: application/json", "-H",
                           "Accept: application/json", "--data-binary", body, tags_url, NULL);
  g_assert_no_error (error);

  byline_publisher_process_async (f->publisher, NULL, byline_test_store_result_cb, &result);
  byline_publisher_process_async (other.publisher, NULL, byline_test_store_result_cb, &result2);
  byline_test_wait_for_result (&result, PROCESS_TIMEOUT_SECONDS, "byline_publisher_process_async");
  byline_test_wait_for_result (&result2, PROCESS_TIMEOUT_SECONDS, "byline_publisher_process_async");
  g_assert_true (byline_publisher_process_finish (f->publisher, result, &error));
  g_assert_no_error (error);
  g_assert_true (byline_publisher_process_finish (other.publisher, result2, &error));
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (curl, NULL, NULL, &curl_out, NULL, &error));
  g_assert_no_error (error);
  g_test_message ("curl: %s", curl_out);

  entry = process_until_settled (f, id);
  entry2 = process_until_settled (&other, id2);
  assert_state (entry, BYLINE_OUTBOX_STATE_DONE);
  assert_state (entry2, BYLINE_OUTBOX_STATE_DONE);

  get_remote (f, draft, &remote);
  post = site_get_post (f->site, remote.remote_id);
  g_assert_cmpuint (byline_wp_post_get_tags (post)->len, ==, 1);
  tag_id = g_array_index (byline_wp_post_get_tags (post), gint64, 0);
  if (!byline_publisher_get_remote (other.publisher, byline_draft_get_id (draft2), &remote2))
    g_error ("The second draft is linked to no post");
  post2 = site_get_post (f->site, remote2.remote_id);
  assert_ids_are (byline_wp_post_get_tags (post2), tag_id);
  g_assert_cmpint (remote.remote_id, !=, remote2.remote_id);

  /* One tag of that name on the site, the one both posts carry. WordPress looks for the name,
   * then inserts it, without a lock (wp_insert_term): when curl's request and Byline's are
   * inside it at the same moment, it can make the tag twice. Then the other one must be the
   * one WordPress answered curl with as created: Byline made none of its own beside it. */
  named = site_terms_named (f->site, "tags", tag);
  curl_id = created_term_id (curl_out);
  if (named->len == 2 && curl_id != 0 && curl_id != tag_id)
    g_test_message ("WordPress made the tag twice, for curl (%" G_GINT64_FORMAT ") and for "
                    "Byline (%" G_GINT64_FORMAT ")", curl_id, tag_id);
  else
    g_assert_cmpuint (named->len, ==, 1);
  g_assert_true (((BylineWpTerm *) named->pdata[0])->id == tag_id ||
                 ((BylineWpTerm *) named->pdata[named->len - 1])->id == tag_id);
  /* This process asked once for both drafts; curl asked once. */
  g_assert_cmpuint (site_count_requests ("POST /wp-json/wp/v2/tags") - posts_before, ==, 2);

  fixture_tear_down (&other, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *url;
  int status;

  byline_test_init (&argc, &argv);
  bus = byline_test_start_keyring ();

  url = g_getenv ("BYLINE_WP_URL");
  wp_user = g_getenv ("BYLINE_WP_USER");
  wp_password = g_getenv ("BYLINE_WP_APP_PASSWORD");
  if (url == NULL || *url == '\0' || wp_user == NULL || wp_password == NULL)
    g_error ("BYLINE_WP_URL, BYLINE_WP_USER and BYLINE_WP_APP_PASSWORD are not set: run this "
             "test under tests/wordpress/with-wordpress (meson test --suite wordpress), which "
             "stands a WordPress up for it. It never skips.");

  byline_wp_client_discover_async (url, NULL, byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, "byline_wp_client_discover_async");
  site = byline_wp_client_discover_finish (result, &error);
  if (site == NULL)
    g_error ("No WordPress API found at %s: %s", url, error->message);

  run_token = g_strdup_printf ("bt%08x", g_random_int ());
  create_times = g_array_new (FALSE, FALSE, sizeof (double));
  update_times = g_array_new (FALSE, FALSE, sizeof (double));

#define ADD(path, func) \
  g_test_add ("/wordpress/publish/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("markdown", test_publish_markdown);
  ADD ("schedule", test_schedule);
  ADD ("update", test_update);
  ADD ("conflict", test_conflict);
  ADD ("trash", test_trash);
  ADD ("interrupted", test_interrupted);
  ADD ("media", test_media);
  ADD ("child-category", test_child_category);
  ADD ("concurrent-new-tag", test_concurrent_new_tag);
#undef ADD

  status = g_test_run ();

  for (guint k = 0; k < 2; k++)
    {
      GArray *times = k == 0 ? create_times : update_times;
      double sum = 0, lo = G_MAXDOUBLE, hi = 0;

      for (guint i = 0; i < times->len; i++)
        {
          double ms = g_array_index (times, double, i);

          sum += ms;
          lo = MIN (lo, ms);
          hi = MAX (hi, ms);
        }
      if (times->len > 0)
        g_test_message ("%s: %u, %.0f ms on average (%.0f to %.0f ms), enqueue to DONE",
                        k == 0 ? "New posts published" : "Posts updated", times->len,
                        sum / times->len, lo, hi);
    }

  g_array_unref (create_times);
  g_array_unref (update_times);
  g_free (run_token);
  g_clear_pointer (&site, byline_wp_site_free);
  /* stop, not down (see byline_test_start_keyring). */
  g_test_dbus_stop (bus);
  return status;
}
