/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-post-changes-wordpress.c: what an update would change on a live post, against a real
 * WordPress (Debian's, on loopback, under wordpress/with-wordpress): a post published from a
 * draft, changed on the site by someone else and in the draft; both sides are shown, changes in
 * different places merge (byline-cli diff --merge) and go out without a conflict, changes in the
 * same place are a conflict that changes nothing; byline-cli diff prints the unified diff. */

#include "config.h"

#include <string.h>

#include "byline-accounts.h"
#include "byline-post-changes.h"
#include "byline-publisher.h"
#include "byline-test-util.h"
#include "byline-wp-blocks.h"
#include "byline-wp-client.h"

#define CALL_TIMEOUT_SECONDS 60

static GTestDBus       *bus;
static BylineStore     *store;
static BylineAccounts  *accounts;
static BylinePublisher *publisher;
static BylineWpClient  *other;    /* someone else, editing on the site */
static gint64           account_id;
static char            *run_token;

static const char body_markdown[] =
  "The council met on Monday.\n\n"
  "The vote was close.\n\n"
  "Schools get more money.\n\n"
  "Roads get less.\n";

/* Publishes @draft as it is and returns the state its entry ends in. */
static BylineOutboxState
publish_draft (BylineDraft *draft)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineOutboxEntry) entry = NULL;
  BylinePublishOptions options = { .status = "publish" };
  gint64 entry_id;

  entry_id = byline_publisher_enqueue_publish (publisher, draft, account_id, &options, &error);
  g_assert_no_error (error);
  byline_publisher_process_async (publisher, NULL, byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, "byline_publisher_process_async");
  g_assert_true (byline_publisher_process_finish (publisher, result, &error));
  entry = byline_publisher_get_entry (publisher, entry_id, &error);
  g_assert_no_error (error);
  if (entry->state == BYLINE_OUTBOX_STATE_FAILED || entry->state == BYLINE_OUTBOX_STATE_PENDING)
    g_error ("Publishing failed: %s", entry->last_error);
  return entry->state;
}

static BylineDraft *
make_published_draft (const char *title)
{
  g_autoptr(GError) error = NULL;
  BylineDraft *draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);

  g_assert_no_error (error);
  byline_draft_set_title (draft, title);
  byline_draft_set_body (draft, body_markdown);
  g_assert_true (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));
  g_assert_cmpint (publish_draft (draft), ==, BYLINE_OUTBOX_STATE_DONE);
  return draft;
}

static gint64
remote_id_of (BylineDraft *draft)
{
  g_auto(BylineRemotePost) remote = { 0 };

  g_assert_true (byline_publisher_get_remote (publisher, byline_draft_get_id (draft), &remote));
  return remote.remote_id;
}

/* Someone else changes the post on the site, at least a second after Byline's last write
 * (modified_gmt counts in seconds). */
static void
change_on_site (gint64      id,
                const char *title,
                const char *markdown)
{
  /* As a colleague's edit in the block editor saves it: the same blocks, one paragraph
   * changed. */
  g_autofree char *content = byline_wp_blocks_render (markdown, -1, NULL, NULL);
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GError) error = NULL;

  byline_test_iterate_for (1100);
  json_object_set_string_member (fields, "title", title);
  json_object_set_string_member (fields, "content", content);
  byline_wp_client_update_post_async (other, id, fields, NULL, byline_test_store_result_cb,
                                      &result);
  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, "update_post_async");
  post = byline_wp_client_update_post_finish (other, result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_wp_post_get_title (post), ==, title);
}

static BylineWpPost *
get_live (gint64 id)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BylineWpPost *post;

  byline_wp_client_get_post_async (other, id, NULL, byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, "get_post_async");
  post = byline_wp_client_get_post_finish (other, result, &error);
  g_assert_no_error (error);
  return post;
}

static BylinePostChanges *
load_changes (BylineDraft *draft)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  BylinePostChanges *changes;

  byline_post_changes_load_async (store, accounts, draft, NULL, NULL,
                                  byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, "byline_post_changes_load_async");
  changes = byline_post_changes_load_finish (result, &error);
  g_assert_no_error (error);
  return changes;
}

static gboolean
has_change (GPtrArray       *changes,
            BylinePostField  field)
{
  for (guint i = 0; i < changes->len; i++)
    if (((BylinePostChange *) g_ptr_array_index (changes, i))->field == field)
      return TRUE;
  return FALSE;
}

/* The text of the runs of @op, joined. */
static char *
runs_of (GPtrArray    *runs,
         BylineDiffOp  op)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < runs->len; i++)
    {
      BylineWordRun *run = g_ptr_array_index (runs, i);

      if (run->op == op)
        g_string_append_printf (out, "[%s]", run->text);
    }
  return g_string_free (out, FALSE);
}

/* Runs byline-cli with @args on this process's store and keyring; its standard output in @out. */
static int
run_cli (char       **out,
         const char  *first_arg,
         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *cli = g_getenv ("BYLINE_CLI");
  int wait_status;
  va_list ap;

  g_assert_nonnull (cli);
  g_ptr_array_add (argv, (char *) cli);
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                               out, &err, &wait_status, &error));
  g_assert_no_error (error);
  if (*err != '\0')
    g_test_message ("byline-cli said: %s", err);
  return WIFEXITED (wait_status) ? WEXITSTATUS (wait_status) : -1;
}

static void
test_disjoint (void)
{
  g_autofree char *title = g_strdup_printf ("Budget %s", run_token);
  g_autofree char *their_title = g_strdup_printf ("Budget passes %s", run_token);
  g_autofree char *id_text = NULL;
  g_autofree char *out = NULL;
  g_autofree char *expected = NULL;
  g_autofree char *deleted = NULL;
  g_autofree char *inserted = NULL;
  g_autoptr(BylineDraft) draft = make_published_draft (title);
  g_autoptr(BylineDraft) merged = NULL;
  g_autoptr(BylinePostChanges) changes = NULL;
  g_autoptr(BylinePostChanges) after = NULL;
  g_autoptr(BylineWpPost) live = NULL;
  g_autoptr(GError) error = NULL;
  gint64 remote_id = remote_id_of (draft);
  const char *body;

  /* The site corrects the first paragraph and the title; the draft the last, and the excerpt. */
  change_on_site (remote_id, their_title,
                  "The council met on Tuesday.\n\nThe vote was close.\n\n"
                  "Schools get more money.\n\nRoads get less.\n");
  byline_draft_set_body (draft, "The council met on Monday.\n\nThe vote was close.\n\n"
                         "Schools get more money.\n\nRoads get much less.\n");
  byline_draft_set_excerpt (draft, "Where the money goes");
  g_assert_true (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));

  changes = load_changes (draft);
  /* What an update would do now: put back the old title and Monday, add the draft's change. */
  g_assert_true (changes->site_changed);
  g_assert_true (has_change (changes->changes, BYLINE_POST_FIELD_TITLE));
  g_assert_true (has_change (changes->changes, BYLINE_POST_FIELD_EXCERPT));
  g_assert_true (has_change (changes->changes, BYLINE_POST_FIELD_CONTENT));
  g_assert_false (has_change (changes->changes, BYLINE_POST_FIELD_CATEGORIES));
  g_assert_false (has_change (changes->changes, BYLINE_POST_FIELD_STATUS));
  deleted = runs_of (changes->text_runs, BYLINE_DIFF_DELETE);
  inserted = runs_of (changes->text_runs, BYLINE_DIFF_INSERT);
  g_assert_cmpstr (deleted, ==, "[Tuesday.]");
  g_assert_cmpstr (inserted, ==, "[Monday.][ much]");

  /* Both sides, from the base: the site changed the title and the text, the draft the excerpt
   * and the text, in different paragraphs. */
  g_assert_nonnull (changes->base);
  g_assert_true (has_change (changes->theirs_changes, BYLINE_POST_FIELD_TITLE));
  g_assert_true (has_change (changes->theirs_changes, BYLINE_POST_FIELD_CONTENT));
  g_assert_false (has_change (changes->theirs_changes, BYLINE_POST_FIELD_EXCERPT));
  g_assert_true (has_change (changes->mine_changes, BYLINE_POST_FIELD_EXCERPT));
  g_assert_true (has_change (changes->mine_changes, BYLINE_POST_FIELD_CONTENT));
  g_assert_false (has_change (changes->mine_changes, BYLINE_POST_FIELD_TITLE));
  g_assert_cmpuint (changes->merge->n_conflicts, ==, 0);
  g_assert_cmpint (changes->merge->outcomes[BYLINE_POST_FIELD_TITLE], ==, BYLINE_MERGE_THEIRS);
  g_assert_cmpint (changes->merge->outcomes[BYLINE_POST_FIELD_CONTENT], ==,
                   BYLINE_MERGE_COMBINED);

  /* The command line prints the same as a unified diff. */
  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, byline_draft_get_id (draft));
  g_assert_cmpint (run_cli (&out, "diff", id_text, NULL), ==, 0);
  expected = g_strdup_printf ("--- live post %" G_GINT64_FORMAT " (%s)\n"
                              "+++ draft %s (as an update would send it)\n"
                              "-title: %s\n"
                              "+title: %s\n"
                              "-excerpt: \n"
                              "+excerpt: Where the money goes\n"
                              "@@ content @@\n"
                              "-The council met on Tuesday.\n"
                              "+The council met on Monday.\n"
                              " The vote was close.\n"
                              " Schools get more money.\n"
                              "-Roads get less.\n"
                              "+Roads get much less.\n"
                              "# The post changed on the site since this draft was last "
                              "published or opened.\n"
                              "# Changed on the site: title, content\n"
                              "# Changed in the draft: excerpt, content\n"
                              "# The changes do not overlap: merging takes the site’s into the "
                              "draft.\n",
                              remote_id, byline_wp_post_get_link (changes->live_post), id_text,
                              their_title, title);
  g_assert_cmpstr (out, ==, expected);

  /* Merge from the command line; then the update goes out with no conflict, and has both. */
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_cli (&out, "diff", id_text, "--merge", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Merged:"));
  merged = byline_store_load_draft (store, byline_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_draft_get_title (merged), ==, their_title);
  g_assert_cmpstr (byline_draft_get_excerpt (merged), ==, "Where the money goes");
  body = byline_draft_get_body (merged);
  g_assert_nonnull (strstr (body, "<p>The council met on Tuesday.</p>"));
  g_assert_nonnull (strstr (body, "<p>Roads get much less.</p>"));

  after = load_changes (merged);
  g_assert_false (after->site_changed);
  g_assert_false (has_change (after->changes, BYLINE_POST_FIELD_TITLE));
  g_assert_cmpint (publish_draft (merged), ==, BYLINE_OUTBOX_STATE_DONE);
  live = get_live (remote_id);
  g_assert_cmpstr (byline_wp_post_get_title (live), ==, their_title);
  g_assert_nonnull (strstr (byline_wp_post_get_content (live), "Tuesday"));
  g_assert_nonnull (strstr (byline_wp_post_get_content (live), "much less"));
  g_assert_cmpstr (byline_wp_post_get_excerpt (live), ==, "Where the money goes");
}

static void
test_overlap (void)
{
  g_autofree char *title = g_strdup_printf ("Roads %s", run_token);
  g_autofree char *their_content = g_strdup ("The council met on Monday.\n\n"
                                             "The vote was 5 to 4.\n\n"
                                             "Schools get more money.\n\n"
                                             "Roads get less.\n");
  g_autofree char *id_text = NULL;
  g_autofree char *out = NULL;
  g_autoptr(BylineDraft) draft = make_published_draft (title);
  g_autoptr(BylineDraft) kept = NULL;
  g_autoptr(BylinePostChanges) changes = NULL;
  g_autoptr(BylinePostChanges) taken = NULL;
  g_autoptr(BylineWpPost) live = NULL;
  g_autoptr(BylineWpPost) site_version = NULL;
  g_autoptr(BylineDraft) theirs = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  BylineOutboxEntry *conflicted;
  gint64 remote_id = remote_id_of (draft);
  const char *my_body = "The council met on Monday.\n\nThe vote was very close.\n\n"
                        "Schools get more money.\n\nRoads get less.\n";

  /* Both change the same paragraph, differently. */
  change_on_site (remote_id, title, their_content);
  site_version = get_live (remote_id);
  byline_draft_set_body (draft, my_body);
  g_assert_true (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));

  changes = load_changes (draft);
  g_assert_true (changes->site_changed);
  g_assert_cmpuint (changes->merge->n_conflicts, ==, 1);
  g_assert_cmpint (changes->merge->outcomes[BYLINE_POST_FIELD_CONTENT], ==,
                   BYLINE_MERGE_CONFLICT);
  g_assert_cmpuint (changes->merge->content_conflicts->len, ==, 1);
  /* Nothing lost: both paragraphs are there to choose from. */
  g_assert_cmpstr (((BylineMergeConflict *) changes->merge->content_conflicts->pdata[0])->mine,
                   ==, "<p>The vote was very close.</p>\n");
  g_assert_cmpstr (((BylineMergeConflict *) changes->merge->content_conflicts->pdata[0])->theirs,
                   ==, "<p>The vote was 5 to 4.</p>\n");

  id_text = g_strdup_printf ("%" G_GINT64_FORMAT, byline_draft_get_id (draft));
  g_assert_cmpint (run_cli (&out, "diff", id_text, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "-The vote was 5 to 4.\n+The vote was very close.\n"));
  g_assert_nonnull (strstr (out, "# Both changed, differently: content\n"));
  g_clear_pointer (&out, g_free);
  /* Refused, and neither the draft nor the site changed. */
  g_assert_cmpint (run_cli (&out, "diff", id_text, "--merge", NULL), ==, 5);
  kept = byline_store_load_draft (store, byline_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_draft_get_body (kept), ==, my_body);
  g_assert_cmpint (byline_draft_get_format (kept), ==, BYLINE_DRAFT_FORMAT_MARKDOWN);
  live = get_live (remote_id);
  g_assert_cmpstr (byline_wp_post_get_content (live), ==,
                   byline_wp_post_get_content (site_version));
  /* And an update still stops at the conflict rather than overwrite. */
  g_assert_cmpint (publish_draft (kept), ==, BYLINE_OUTBOX_STATE_CONFLICT);

  /* Take Theirs keeps the site's version as the new base: then nothing differs. */
  entries = byline_publisher_list_entries (publisher, byline_draft_get_id (kept), &error);
  g_assert_no_error (error);
  conflicted = g_ptr_array_index (entries, entries->len - 1);
  g_assert_cmpint (conflicted->state, ==, BYLINE_OUTBOX_STATE_CONFLICT);
  theirs = byline_draft_new ();
  g_assert_true (byline_publisher_resolve_conflict (publisher, conflicted->id,
                                                    BYLINE_CONFLICT_TAKE_THEIRS, theirs, &error));
  g_assert_no_error (error);
  byline_draft_set_format (kept, byline_draft_get_format (theirs));
  byline_draft_set_body (kept, byline_draft_get_body (theirs));
  g_assert_true (byline_store_save_draft (store, kept, BYLINE_SAVE_EXPLICIT, NULL, &error));
  taken = load_changes (kept);
  g_assert_false (taken->site_changed);
  g_assert_cmpuint (taken->changes->len, ==, 0);
  g_assert_nonnull (taken->base);
  g_assert_cmpstr (taken->base->fields[BYLINE_POST_FIELD_CONTENT], ==,
                   byline_wp_post_get_content (site_version));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BylineAccount) account = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  byline_test_init (&argc, &argv);
  bus = byline_test_start_keyring ();
  if (g_getenv ("BYLINE_WP_URL") == NULL)
    g_error ("Run this under tests/wordpress/with-wordpress; it never skips.");

  /* The store byline-cli opens too. */
  path = byline_store_dup_default_path ();
  store = byline_store_open (path, &error);
  g_assert_no_error (error);
  accounts = byline_accounts_new (store);
  publisher = byline_publisher_new (store, accounts);
  account = byline_test_add_wordpress_account (accounts);
  account_id = byline_account_get_id (account);
  other = byline_wp_client_new (byline_account_get_api_root (account),
                                g_getenv ("BYLINE_WP_USER"), g_getenv ("BYLINE_WP_APP_PASSWORD"));
  run_token = g_strdup_printf ("pc%08x", g_random_int ());

  g_test_add_func ("/wordpress/post-changes/disjoint", test_disjoint);
  g_test_add_func ("/wordpress/post-changes/overlap", test_overlap);
  status = g_test_run ();

  g_clear_object (&publisher);
  g_clear_object (&accounts);
  g_clear_object (&other);
  g_assert_true (byline_store_close (store, NULL));
  g_clear_object (&store);
  g_test_dbus_stop (bus);
  return status;
}
