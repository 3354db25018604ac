/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-moderation-log.c: policy reasons and the audit trail of moderation, with a real store,
 * the password in a real keyring and a fake WordPress (wp-fake-comments, behind
 * wp-fault-server) that can refuse or be away; and the trail's export read back by Python. */

#include "config.h"

#include <string.h>

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include <sqlite3.h>

#include "byline-accounts.h"
#include "byline-comment-store.h"
#include "byline-moderation-log.h"
#include "byline-moderation-reasons.h"
#include "byline-moderator.h"
#include "byline-test-util.h"
#include "wp-fake-comments.h"
#include "wp-fault-server.h"

#define USERNAME "editor"
#define PASSWORD "abcd EFGH 1234 ijkl"
#define COMMENTS "/wp-json/wp/v2/comments"
#define N_SEEDED 8

static GTestDBus *bus;

typedef struct {
  WpFaultServer      *server;
  FakeComments       *site;
  char               *dir;
  char               *store_path;
  BylineStore        *store;
  BylineAccounts     *accounts;
  BylineCommentStore *comments;
  BylineModerator    *moderator;
  gint64              account_id;
  char               *last_failure;
} Fixture;

static void
on_action_failed (BylineModerator *moderator,
                  gint64           comment_id,
                  const char      *message,
                  Fixture         *f)
{
  g_free (f->last_failure);
  f->last_failure = g_strdup (message);
}

/* The site's comments 1..N_SEEDED (1-4 held, 5-8 approved), also in the store. */
static void
seed (Fixture *f)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  fake_comments_add_post (f->site, 4, "Council budget");
  for (gint64 id = 1; id <= N_SEEDED; id++)
    {
      g_autofree char *name = g_strdup_printf ("reader%lld", (long long) id);
      g_autofree char *json = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();

      fake_comments_add (f->site, id, 4, id <= 4 ? "hold" : "approved", name, (guint) id);
      json = fake_comments_dup_json (f->site, id);
      g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
      g_ptr_array_add (list, byline_comment_new_from_json (
                         json_node_get_object (json_parser_get_root (parser))));
    }
  g_assert_true (byline_comment_store_upsert (f->comments, f->account_id, list, NULL, &error));
  g_assert_no_error (error);
  /* As the sync names the posts. */
  g_assert_true (byline_comment_store_set_post (f->comments, f->account_id, 4, "Council budget",
                                                "http://example.org/?p=4", &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *api_root = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  f->dir = byline_test_make_tmpdir ("moderation-log");
  f->server = wp_fault_server_new (NULL);
  f->site = fake_comments_new (f->server);
  f->store_path = g_build_filename (f->dir, "byline.db", NULL);
  f->store = byline_store_open (f->store_path, &error);
  g_assert_no_error (error);
  f->accounts = byline_accounts_new (f->store);
  f->comments = byline_comment_store_new (f->store);
  f->moderator = byline_moderator_new (f->comments, f->accounts);
  byline_moderator_set_timeout (f->moderator, 1);
  g_signal_connect (f->moderator, "action-failed", G_CALLBACK (on_action_failed), f);

  api_root = g_strconcat (wp_fault_server_get_url (f->server), "/wp-json/", NULL);
  account = byline_account_new (wp_fault_server_get_url (f->server), api_root, USERNAME);
  byline_accounts_add (f->accounts, account, PASSWORD, &error);
  g_assert_no_error (error);
  f->account_id = byline_account_get_id (account);
  seed (f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->moderator);
  g_clear_object (&f->comments);
  g_clear_object (&f->accounts);
  g_clear_object (&f->store);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&f->server, wp_fault_server_free);
  g_clear_pointer (&f->site, fake_comments_free);
  g_free (f->last_failure);
  g_free (f->store_path);
  g_free (f->dir);
}

/* Helpers */

static gint64
local (Fixture *f,
       gint64   remote_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineComment) comment = byline_comment_store_find (f->comments, f->account_id,
                                                                remote_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (comment);
  return byline_comment_get_id (comment);
}

static void
decide (Fixture        *f,
        gint64          remote_id,
        BylineDecision  decision,
        const char     *reason)
{
  g_autoptr(GError) error = NULL;
  gint64 id = local (f, remote_id);

  g_assert_true (byline_moderator_decide_with_reason (f->moderator, &id, 1, decision, reason,
                                                      &error));
  g_assert_no_error (error);
}

static gboolean
process (Fixture  *f,
         GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byline_moderator_process_async (f->moderator, NULL, byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  return byline_moderator_process_finish (f->moderator, result, error);
}

static void
process_ok (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (process (f, &error));
  g_assert_no_error (error);
}

/* The history of the site's comment @remote_id. */
static GPtrArray *
history (Fixture *f,
         gint64   remote_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *entries = byline_moderation_log_list_comment (f->store, local (f, remote_id),
                                                           &error);

  g_assert_no_error (error);
  g_assert_nonnull (entries);
  return entries;
}

static BylineModerationLogEntry *
entry_at (GPtrArray *entries,
          guint      i)
{
  g_assert_cmpuint (i, <, entries->len);
  return g_ptr_array_index (entries, i);
}

static void
assert_on_site (Fixture    *f,
                gint64      remote_id,
                const char *status)
{
  g_autofree char *on_site = fake_comments_dup_status (f->site, remote_id);

  g_assert_cmpstr (on_site, ==, status);
}

/* The slug of comment @remote_id's reason, "" for none. */
static char *
reason_of (Fixture *f,
           gint64   remote_id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineModerationReason) reason =
    byline_moderation_reasons_get_for_comment (f->store, local (f, remote_id), &error);

  g_assert_no_error (error);
  return g_strdup (reason ? reason->slug : "");
}

static void
raw_exec (Fixture    *f,
          const char *sql,
          gboolean    must_succeed)
{
  sqlite3 *db = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (f->store_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  rc = sqlite3_exec (db, sql, NULL, NULL, NULL);
  if (must_succeed)
    g_assert_cmpint (rc, ==, SQLITE_OK);
  else
    g_assert_cmpint (rc, !=, SQLITE_OK);
  sqlite3_close (db);
}

static gint64
raw_int (Fixture    *f,
         const char *sql)
{
  sqlite3 *db = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (sqlite3_open (f->store_path, &db), ==, SQLITE_OK);
  text = byline_test_sql_text (db, sql);
  sqlite3_close (db);
  return text ? g_ascii_strtoll (text, NULL, 10) : 0;
}

/* Tests */

/* A site's reasons: the default list, then edited; the slugs stay through a rename. */
static void
test_reasons (Fixture       *f,
              gconstpointer  data)
{
  static const char * const defaults[] = {
    "off-topic", "abusive", "spam", "commercial", "personal-information",
  };
  static const char * const reordered[] = {
    "spam", "off-topic", "abusive", "commercial", "personal-information", "harassment", NULL,
  };
  g_autoptr(GPtrArray) reasons = NULL, again = NULL;
  g_autoptr(BylineModerationReason) added = NULL, found = NULL, by_slug = NULL, gone = NULL;
  g_autoptr(GError) error = NULL;

  reasons = byline_moderation_reasons_list (f->store, f->account_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reasons->len, ==, G_N_ELEMENTS (defaults));
  for (guint i = 0; i < reasons->len; i++)
    {
      BylineModerationReason *reason = g_ptr_array_index (reasons, i);

      g_assert_cmpstr (reason->slug, ==, defaults[i]);
      g_assert_cmpuint (reason->position, ==, i);
    }
  g_assert_cmpstr (((BylineModerationReason *) g_ptr_array_index (reasons, 0))->name, ==,
                   "Off topic");

  added = byline_moderation_reasons_add (f->store, f->account_id, "  Harassment ", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (added->slug, ==, "harassment");
  g_assert_cmpstr (added->name, ==, "Harassment");
  /* The same name twice, whatever its case, or no name: refused, nothing changes. */
  g_assert_null (byline_moderation_reasons_add (f->store, f->account_id, "ABUSIVE", &error));
  g_assert_error (error, BYLINE_MODERATION_REASONS_ERROR, BYLINE_MODERATION_REASONS_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_null (byline_moderation_reasons_add (f->store, f->account_id, "  ", &error));
  g_assert_error (error, BYLINE_MODERATION_REASONS_ERROR, BYLINE_MODERATION_REASONS_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (byline_moderation_reasons_rename (f->store, f->account_id, "off-topic",
                                                   "Not about the post", &error));
  g_assert_no_error (error);
  found = byline_moderation_reasons_find (f->store, f->account_id, "not ABOUT the post", FALSE,
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpstr (found->slug, ==, "off-topic");
  by_slug = byline_moderation_reasons_find (f->store, f->account_id, "personal-information",
                                            FALSE, &error);
  g_assert_cmpstr (by_slug->name, ==, "Personal information");

  g_assert_true (byline_moderation_reasons_reorder (f->store, f->account_id, reordered, &error));
  g_assert_no_error (error);
  /* An order that leaves one out is refused. */
  g_assert_false (byline_moderation_reasons_reorder (f->store, f->account_id, &reordered[1],
                                                     &error));
  g_assert_error (error, BYLINE_MODERATION_REASONS_ERROR, BYLINE_MODERATION_REASONS_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_true (byline_moderation_reasons_remove (f->store, f->account_id, "commercial",
                                                   &error));
  g_assert_no_error (error);
  g_assert_null (byline_moderation_reasons_find (f->store, f->account_id, "Commercial", FALSE,
                                                 &error));
  g_assert_no_error (error);
  gone = byline_moderation_reasons_find (f->store, f->account_id, "commercial", TRUE, &error);
  g_assert_nonnull (gone);

  /* Read again from the store: the order and the names are kept. */
  again = byline_moderation_reasons_list (f->store, f->account_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (again->len, ==, 5);
  g_assert_cmpstr (((BylineModerationReason *) g_ptr_array_index (again, 0))->slug, ==, "spam");
  g_assert_cmpstr (((BylineModerationReason *) g_ptr_array_index (again, 1))->name, ==,
                   "Not about the post");
  g_assert_cmpstr (((BylineModerationReason *) g_ptr_array_index (again, 3))->slug, ==,
                   "personal-information");
  g_assert_cmpstr (((BylineModerationReason *) g_ptr_array_index (again, 4))->slug, ==,
                   "harassment");
}

/* Each decision is in the trail as it is made, with who, what, why and the comment's text, and
 * confirmed once the site has it. */
static void
test_trail_decisions (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) two = NULL, five = NULL, after = NULL;
  g_autoptr(BylineComment) comment = byline_comment_store_find (f->comments, f->account_id, 2,
                                                                NULL);
  g_autofree char *reason = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = g_get_real_time ();
  BylineModerationLogEntry *entry;
  gint64 approve_id = local (f, 1);

  decide (f, 2, BYLINE_DECISION_SPAM, "off-topic");
  decide (f, 5, BYLINE_DECISION_UNAPPROVE, NULL);
  g_assert_true (byline_moderator_decide (f->moderator, &approve_id, 1, BYLINE_DECISION_APPROVE,
                                          &error));
  /* Only a rejection takes a reason. */
  g_assert_false (byline_moderator_decide_with_reason (f->moderator, &approve_id, 1,
                                                       BYLINE_DECISION_APPROVE, "spam", &error));
  g_assert_error (error, BYLINE_MODERATOR_ERROR, BYLINE_MODERATOR_ERROR_INVALID);
  g_clear_error (&error);

  two = history (f, 2);
  g_assert_cmpuint (two->len, ==, 1);
  entry = entry_at (two, 0);
  g_assert_cmpstr (entry->who, ==, USERNAME);
  g_assert_cmpstr (entry->action, ==, "spam");
  g_assert_cmpstr (entry->status, ==, "spam");
  g_assert_cmpstr (entry->reason, ==, "off-topic");
  g_assert_cmpstr (entry->reason_name, ==, "Off topic");
  g_assert_cmpstr (entry->author_name, ==, "reader2");
  g_assert_cmpstr (entry->post_title, ==, "Council budget");
  g_assert_cmpint (entry->post_id, ==, 4);
  g_assert_cmpint (entry->remote_id, ==, 2);
  g_assert_cmpstr (entry->snapshot, ==, byline_comment_get_text (comment));
  g_assert_cmpstr (entry->snapshot, !=, "");
  g_assert_cmpint (entry->created_at, >=, before);
  g_assert_cmpint (entry->created_at, <=, g_get_real_time ());
  g_assert_cmpint (entry->confirmed_at, ==, 0);
  reason = reason_of (f, 2);
  g_assert_cmpstr (reason, ==, "off-topic");
  five = history (f, 5);
  g_assert_cmpuint (five->len, ==, 1);
  g_assert_cmpstr (entry_at (five, 0)->action, ==, "unapprove");
  g_assert_cmpstr (entry_at (five, 0)->reason, ==, "");

  process_ok (f);
  after = history (f, 2);
  g_assert_cmpuint (after->len, ==, 1);
  g_assert_cmpint (entry_at (after, 0)->confirmed_at, >=, entry_at (after, 0)->created_at);
  g_assert_cmpint (entry_at (after, 0)->refused_at, ==, 0);
  assert_on_site (f, 2, "spam");
  /* What was recorded then stays, whatever the comment is now. */
  g_assert_cmpstr (entry_at (after, 0)->snapshot, ==, entry->snapshot);
}

/* A bulk decision carries its reason to every comment; each has its entry. */
static void
test_trail_bulk (Fixture       *f,
                 gconstpointer  data)
{
  gint64 ids[N_SEEDED];
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = NULL;

  for (guint i = 0; i < N_SEEDED; i++)
    ids[i] = local (f, i + 1);
  g_assert_true (byline_moderator_decide_with_reason (f->moderator, ids, N_SEEDED,
                                                      BYLINE_DECISION_TRASH, "abusive", &error));
  g_assert_no_error (error);
  process_ok (f);

  for (gint64 id = 1; id <= N_SEEDED; id++)
    {
      g_autoptr(GPtrArray) entries = history (f, id);
      g_autofree char *reason = reason_of (f, id);
      g_autofree char *on_site = fake_comments_dup_status (f->site, id);

      g_assert_cmpuint (entries->len, ==, 1);
      g_assert_cmpstr (entry_at (entries, 0)->action, ==, "trash");
      g_assert_cmpstr (entry_at (entries, 0)->reason_name, ==, "Abusive");
      g_assert_cmpint (entry_at (entries, 0)->confirmed_at, >, 0);
      g_assert_cmpstr (reason, ==, "abusive");
      g_assert_cmpstr (on_site, ==, "trash");
    }
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM moderation_log"), ==, N_SEEDED);

  /* Renamed: the comment shows the new name, the trail keeps the one of that day. */
  g_assert_true (byline_moderation_reasons_rename (f->store, f->account_id, "abusive", "Abuse",
                                                   &error));
  {
    g_autoptr(BylineModerationReason) shown =
      byline_moderation_reasons_get_for_comment (f->store, local (f, 1), &error);
    g_autoptr(GPtrArray) kept = history (f, 1);

    g_assert_no_error (error);
    g_assert_cmpstr (shown->name, ==, "Abuse");
    g_assert_cmpstr (entry_at (kept, 0)->reason_name, ==, "Abusive");
  }
}

/* An undo is an entry of its own and takes the reason back; the decision's entry stays. */
static void
test_trail_undo (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before_sent = NULL, after_sent = NULL;
  g_autofree char *reason = NULL, *reason_after = NULL, *on_site = NULL;

  /* Undone before it was sent: nothing goes to the site; both are recorded. */
  decide (f, 3, BYLINE_DECISION_TRASH, "spam");
  g_assert_true (byline_moderator_undo (f->moderator, NULL, &error));
  g_assert_no_error (error);
  reason = reason_of (f, 3);
  g_assert_cmpstr (reason, ==, "");
  before_sent = history (f, 3);
  g_assert_cmpuint (before_sent->len, ==, 2);
  g_assert_cmpstr (entry_at (before_sent, 0)->action, ==, "trash");
  g_assert_cmpstr (entry_at (before_sent, 0)->reason, ==, "spam");
  g_assert_cmpstr (entry_at (before_sent, 1)->action, ==, "undo");
  g_assert_cmpstr (entry_at (before_sent, 1)->status, ==, "hold");

  /* Undone after the site had it: the undo is sent, and confirmed in turn. */
  decide (f, 4, BYLINE_DECISION_SPAM, "commercial");
  process_ok (f);
  g_assert_true (byline_moderator_undo (f->moderator, NULL, &error));
  process_ok (f);
  reason_after = reason_of (f, 4);
  g_assert_cmpstr (reason_after, ==, "");
  on_site = fake_comments_dup_status (f->site, 4);
  g_assert_cmpstr (on_site, ==, "hold");
  after_sent = history (f, 4);
  g_assert_cmpuint (after_sent->len, ==, 2);
  g_assert_cmpstr (entry_at (after_sent, 0)->reason, ==, "commercial");
  g_assert_cmpint (entry_at (after_sent, 0)->confirmed_at, >, 0);
  g_assert_cmpstr (entry_at (after_sent, 1)->action, ==, "undo");
  g_assert_cmpint (entry_at (after_sent, 1)->confirmed_at, >=,
                   entry_at (after_sent, 0)->confirmed_at);
}

/* A reason given a moment after the decision (a digit after the key): an entry of its own, tied
 * to what the decision sends, confirmed with it; one request to the site; undo takes both back.
 * A comment no longer so gets no reason. */
static void
test_trail_reason_given (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GPtrArray) approved = NULL;
  g_autofree char *reason = NULL, *undone = NULL, *kept = NULL;
  gint64 id = local (f, 3);
  gint64 other = local (f, 5);
  guint n_requests;

  decide (f, 3, BYLINE_DECISION_SPAM, NULL);
  g_assert_true (byline_moderator_give_reason (f->moderator, &id, 1, BYLINE_DECISION_SPAM,
                                               "Abusive", &error));
  g_assert_no_error (error);
  reason = reason_of (f, 3);
  g_assert_cmpstr (reason, ==, "abusive");
  n_requests = wp_fault_server_get_n_requests (f->server);
  process_ok (f);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, n_requests + 1);
  assert_on_site (f, 3, "spam");
  entries = history (f, 3);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (entry_at (entries, 0)->action, ==, "spam");
  g_assert_cmpstr (entry_at (entries, 0)->reason, ==, "");
  g_assert_cmpstr (entry_at (entries, 1)->action, ==, "reason");
  g_assert_cmpstr (entry_at (entries, 1)->reason, ==, "abusive");
  g_assert_cmpint (entry_at (entries, 1)->confirmed_at, >, 0);

  /* Undo takes the decision back, and its reason. */
  g_assert_true (byline_moderator_undo (f->moderator, NULL, &error));
  g_assert_no_error (error);
  undone = reason_of (f, 3);
  g_assert_cmpstr (undone, ==, "");

  /* Comment 5 is approved, not spam: a reason for spam is not given to it. */
  g_assert_true (byline_moderator_give_reason (f->moderator, &other, 1, BYLINE_DECISION_SPAM,
                                               "abusive", &error));
  g_assert_no_error (error);
  kept = reason_of (f, 5);
  g_assert_cmpstr (kept, ==, "");
  approved = history (f, 5);
  g_assert_cmpuint (approved->len, ==, 0);
}

/* A decision changed before it was sent never reached the site: its entry stays unconfirmed,
 * also once the outbox is empty and another comment's decision is sent (no outbox id is used
 * twice). */
/* A reason with a long name: its slug stays whole through a decision and its undo. */
static void
test_reason_long_name (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(BylineModerationReason) first = NULL, second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *given = NULL, *back = NULL;
  g_autofree char *name = g_strnfill (90, 'x');
  g_autofree char *other_name = g_strconcat (name, " again", NULL);

  first = byline_moderation_reasons_add (f->store, f->account_id, name, &error);
  g_assert_no_error (error);
  second = byline_moderation_reasons_add (f->store, f->account_id, other_name, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (second->slug), <, 64);
  g_assert_cmpstr (first->slug, !=, second->slug);

  decide (f, 3, BYLINE_DECISION_SPAM, second->name);
  decide (f, 3, BYLINE_DECISION_TRASH, first->name);
  given = reason_of (f, 3);
  g_assert_cmpstr (given, ==, first->slug);
  g_assert_true (byline_moderator_undo (f->moderator, NULL, &error));
  g_assert_no_error (error);
  back = reason_of (f, 3);
  g_assert_cmpstr (back, ==, second->slug);
}

/* An export that fails leaves the file that was there as it was. */
static void
test_export_failed (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "trail.csv", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = NULL;

  decide (f, 3, BYLINE_DECISION_SPAM, NULL);
  g_assert_true (g_file_set_contents (path, "last week's export\n", -1, NULL));
  /* The trail unreadable: the export fails. */
  raw_exec (f, "ALTER TABLE moderation_log RENAME TO moderation_log_away", TRUE);
  g_assert_cmpint (byline_moderation_log_export_to_file (f->store, f->account_id, 0, G_MAXINT64,
                                                         BYLINE_MODERATION_LOG_CSV, file,
                                                         &error), ==, -1);
  g_assert_nonnull (error);
  g_assert_true (g_file_get_contents (path, &kept, NULL, NULL));
  g_assert_cmpstr (kept, ==, "last week's export\n");
  raw_exec (f, "ALTER TABLE moderation_log_away RENAME TO moderation_log", TRUE);

  /* Readable again: the file is replaced, whole. */
  g_clear_error (&error);
  g_clear_pointer (&kept, g_free);
  g_assert_cmpint (byline_moderation_log_export_to_file (f->store, f->account_id, 0, G_MAXINT64,
                                                         BYLINE_MODERATION_LOG_CSV, file,
                                                         &error), ==, 1);
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &kept, NULL, NULL));
  g_assert_nonnull (strstr (kept, "spam"));
}

static void
test_trail_superseded (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) first = NULL;
  g_autoptr(GPtrArray) other = NULL;

  decide (f, 3, BYLINE_DECISION_SPAM, NULL);
  decide (f, 3, BYLINE_DECISION_TRASH, NULL);
  process_ok (f);
  assert_on_site (f, 3, "trash");
  decide (f, 4, BYLINE_DECISION_SPAM, NULL);
  process_ok (f);
  assert_on_site (f, 4, "spam");

  first = history (f, 3);
  g_assert_cmpuint (first->len, ==, 2);
  g_assert_cmpstr (entry_at (first, 0)->action, ==, "spam");
  g_assert_cmpint (entry_at (first, 0)->confirmed_at, ==, 0);
  g_assert_cmpstr (entry_at (first, 1)->action, ==, "trash");
  g_assert_cmpint (entry_at (first, 1)->confirmed_at, >, 0);
  other = history (f, 4);
  g_assert_cmpuint (other->len, ==, 1);
  g_assert_cmpint (entry_at (other, 0)->confirmed_at, >, 0);
}

/* The site away: the decision is recorded at once, and confirmed when it is sent later. */
static void
test_trail_offline (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) waiting = NULL, sent = NULL;

  wp_fault_server_add (f->server, "POST " COMMENTS "/6",
                       wp_fault_response_new_fault (WP_FAULT_RESET));
  wp_fault_server_add (f->server, "POST " COMMENTS "/6",
                       wp_fault_response_new_fault (WP_FAULT_SITE));
  decide (f, 6, BYLINE_DECISION_TRASH, "personal-information");
  g_assert_false (process (f, &error));
  g_clear_error (&error);
  waiting = history (f, 6);
  g_assert_cmpuint (waiting->len, ==, 1);
  g_assert_cmpint (entry_at (waiting, 0)->confirmed_at, ==, 0);
  g_assert_cmpint (entry_at (waiting, 0)->refused_at, ==, 0);

  byline_moderator_retry_now (f->moderator, 0);
  process_ok (f);
  sent = history (f, 6);
  g_assert_cmpuint (sent->len, ==, 1);
  g_assert_cmpint (entry_at (sent, 0)->confirmed_at, >, entry_at (sent, 0)->created_at);
  assert_on_site (f, 6, "trash");
}

/* The site refuses: the entry keeps the decision, and the refusal with the site's message. */
static void
test_trail_refused (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *reason = NULL;

  wp_fault_server_add_json (f->server, "POST " COMMENTS "/7", 403,
                            "{\"code\":\"rest_cannot_edit\",\"message\":\"Sorry, you are not "
                            "allowed to edit this comment.\",\"data\":{\"status\":403}}");
  decide (f, 7, BYLINE_DECISION_SPAM, "spam");
  process_ok (f);

  entries = history (f, 7);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (entry_at (entries, 0)->action, ==, "spam");
  g_assert_cmpstr (entry_at (entries, 0)->reason, ==, "spam");
  g_assert_cmpint (entry_at (entries, 0)->confirmed_at, ==, 0);
  g_assert_cmpint (entry_at (entries, 0)->refused_at, >, 0);
  g_assert_nonnull (strstr (entry_at (entries, 0)->refusal, "not allowed to edit"));
  g_assert_cmpstr (entry_at (entries, 0)->refusal, ==, f->last_failure);
  /* The comment is as the site has it, without the reason of a decision that did not hold. */
  reason = reason_of (f, 7);
  g_assert_cmpstr (reason, ==, "");
  assert_on_site (f, 7, "approved");
}

/* Replies and edits are recorded too, and confirmed when the site has them. */
static void
test_trail_reply_edit (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) reply_entries = NULL, edit_entries = NULL;
  gint64 reply_id;

  reply_id = byline_moderator_reply (f->moderator, local (f, 5), "Thank you, we will look.",
                                     "Editor", &error);
  g_assert_no_error (error);
  g_assert_true (byline_moderator_edit (f->moderator, local (f, 8), "Edited: no phone numbers.",
                                        &error));
  g_assert_no_error (error);
  process_ok (f);

  reply_entries = byline_moderation_log_list_comment (f->store, reply_id, &error);
  g_assert_cmpuint (reply_entries->len, ==, 1);
  g_assert_cmpstr (entry_at (reply_entries, 0)->action, ==, "reply");
  g_assert_cmpstr (entry_at (reply_entries, 0)->snapshot, ==, "Thank you, we will look.");
  g_assert_cmpint (entry_at (reply_entries, 0)->confirmed_at, >, 0);
  edit_entries = history (f, 8);
  g_assert_cmpuint (edit_entries->len, ==, 1);
  g_assert_cmpstr (entry_at (edit_entries, 0)->action, ==, "edit");
  g_assert_cmpstr (entry_at (edit_entries, 0)->snapshot, ==, "Edited: no phone numbers.");
  g_assert_cmpint (entry_at (edit_entries, 0)->confirmed_at, >, 0);
}

/* A decision whose trail entry cannot be written is not made: same transaction. */
static void
test_trail_same_transaction (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineComment) comment = NULL;
  gint64 ids[] = { local (f, 1), local (f, 2) };
  g_autofree char *reason = NULL;

  raw_exec (f, "CREATE TRIGGER refuse_trail BEFORE INSERT ON moderation_log"
            " WHEN NEW.comment_id = (SELECT id FROM comments WHERE remote_id = 2)"
            "  OR NEW.action = 'reply'"
            " BEGIN SELECT RAISE (ABORT, 'no room in the trail'); END", TRUE);
  g_assert_false (byline_moderator_decide_with_reason (f->moderator, ids, 2,
                                                       BYLINE_DECISION_SPAM, "spam", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_cmpint (byline_moderator_reply (f->moderator, local (f, 2), "Hello", "Editor",
                                           &error), ==, 0);
  g_assert_nonnull (error);
  g_clear_error (&error);

  /* Neither comment changed (the first was written before the second failed), no reply was
   * added, nothing waits, nothing is in the trail. */
  comment = byline_comment_store_find (f->comments, f->account_id, 1, NULL);
  g_assert_cmpstr (byline_comment_get_status (comment), ==, "hold");
  reason = reason_of (f, 1);
  g_assert_cmpstr (reason, ==, "");
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM moderation_log"), ==, 0);
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM comments WHERE status = 'spam'"), ==, 0);
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM comments"), ==, N_SEEDED);
}

/* The trail's facts cannot be rewritten nor its entries deleted; an answer is set once. */
static void
test_trail_never_rewritten (Fixture       *f,
                            gconstpointer  data)
{
  decide (f, 1, BYLINE_DECISION_SPAM, "spam");
  process_ok (f);
  raw_exec (f, "UPDATE moderation_log SET snapshot = 'nothing to see'", FALSE);
  raw_exec (f, "UPDATE moderation_log SET who = 'someone else'", FALSE);
  raw_exec (f, "UPDATE moderation_log SET confirmed_at = 1", FALSE);
  raw_exec (f, "DELETE FROM moderation_log", FALSE);
  g_assert_cmpint (raw_int (f, "SELECT count (*) FROM moderation_log WHERE who = 'editor'"
                            " AND snapshot != 'nothing to see' AND confirmed_at > 1"), ==, 1);
}

/* The text of a hostile comment, its author and its reason, exported. */
#define HOSTILE_TEXT "=HYPERLINK(\"http://x\",\"click\")\n\"quoted\", line two\r\n+1 @SUM(A1) " \
  "\xe2\x80\xae" "evil\xe2\x80\xac"
#define HOSTILE_AUTHOR "+1 \"Reader\""
#define HOSTILE_REASON "-Rude, \"really\""
#define HOSTILE_TITLE "@SUM(1+1)\tbudget"

/* Rows of @path as Python reads them back (csv module or one JSON object a line). */
static JsonArray *
read_back (const char *kind,
           const char *path)
{
  g_autofree char *script = g_test_build_filename (G_TEST_DIST, "moderation-log-read.py", NULL);
  const char *argv[] = { "python3", script, kind, path, NULL };
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("Python could not read the export back: %s", err);
  g_assert_true (json_parser_load_from_data (parser, out, -1, &error));
  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static char *
export_to (Fixture                   *f,
           BylineModerationLogFormat  format,
           gint64                     since,
           gint64                     until,
           gint64                     expected)
{
  g_autofree char *path = g_build_filename (f->dir, format == BYLINE_MODERATION_LOG_CSV
                                            ? "trail.csv" : "trail.jsonl", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFileOutputStream) out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_NONE, NULL,
                                                     &error);

  g_assert_no_error (error);
  g_assert_cmpint (byline_moderation_log_export (f->store, f->account_id, since, until, format,
                                                 G_OUTPUT_STREAM (out), NULL, &error), ==,
                   expected);
  g_assert_no_error (error);
  g_assert_true (g_output_stream_close (G_OUTPUT_STREAM (out), NULL, &error));
  return g_steal_pointer (&path);
}

static void
test_export_hostile (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(BylineModerationReason) reason = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *csv = NULL, *jsonl = NULL, *empty = NULL, *contents = NULL;
  g_autoptr(JsonArray) rows = NULL, lines = NULL, none = NULL;
  gint64 start = g_get_real_time ();
  JsonObject *row, *line;

  raw_exec (f, "UPDATE comments SET author_name = '+1 \"Reader\"' WHERE remote_id = 3;"
            "UPDATE comment_posts SET title = '@SUM(1+1)' || char (9) || 'budget'", TRUE);
  reason = byline_moderation_reasons_add (f->store, f->account_id, HOSTILE_REASON, &error);
  g_assert_no_error (error);
  g_assert_true (byline_moderator_edit (f->moderator, local (f, 3), HOSTILE_TEXT, &error));
  g_assert_no_error (error);
  decide (f, 3, BYLINE_DECISION_TRASH, reason->slug);
  process_ok (f);

  csv = export_to (f, BYLINE_MODERATION_LOG_CSV, start, G_MAXINT64, 2);
  g_assert_true (g_file_get_contents (csv, &contents, NULL, NULL));
  g_assert_true (g_utf8_validate (contents, -1, NULL));
  rows = read_back ("csv", csv);
  g_assert_cmpuint (json_array_get_length (rows), ==, 2);
  row = json_array_get_object_element (rows, 1);
  /* Intact but for the apostrophe that makes each formula text. */
  g_assert_cmpstr (json_object_get_string_member (row, "text"), ==, "'" HOSTILE_TEXT);
  g_assert_cmpstr (json_object_get_string_member (row, "author_name"), ==, "'" HOSTILE_AUTHOR);
  g_assert_cmpstr (json_object_get_string_member (row, "reason_name"), ==, "'" HOSTILE_REASON);
  g_assert_cmpstr (json_object_get_string_member (row, "post_title"), ==, "'" HOSTILE_TITLE);
  g_assert_cmpstr (json_object_get_string_member (row, "action"), ==, "trash");
  g_assert_cmpstr (json_object_get_string_member (row, "site_user"), ==, USERNAME);
  g_assert_cmpstr (json_object_get_string_member (row, "site_answer"), ==, "confirmed");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (rows, 0),
                                                  "action"), ==, "edit");

  jsonl = export_to (f, BYLINE_MODERATION_LOG_JSONL, start, G_MAXINT64, 2);
  lines = read_back ("jsonl", jsonl);
  g_assert_cmpuint (json_array_get_length (lines), ==, 2);
  line = json_array_get_object_element (lines, 1);
  /* JSON is not a spreadsheet: the text exactly. */
  g_assert_cmpstr (json_object_get_string_member (line, "text"), ==, HOSTILE_TEXT);
  g_assert_cmpstr (json_object_get_string_member (line, "author_name"), ==, HOSTILE_AUTHOR);
  g_assert_cmpstr (json_object_get_string_member (line, "reason_name"), ==, HOSTILE_REASON);
  g_assert_cmpstr (json_object_get_string_member (line, "reason"), ==, reason->slug);
  g_assert_cmpint (json_object_get_int_member (line, "remote_comment_id"), ==, 3);

  /* A range before it has nothing but the header. */
  empty = export_to (f, BYLINE_MODERATION_LOG_CSV, 0, start, 0);
  none = read_back ("csv", empty);
  g_assert_cmpuint (json_array_get_length (none), ==, 0);
}

/* The neutralising of a cell on its own. */
static void
test_csv_cell (void)
{
  static const struct {
    const char *text;
    const char *cell;
  } cases[] = {
    { "", "\"\"" },
    { "plain", "\"plain\"" },
    { "=1+1", "\"'=1+1\"" },
    { "+1", "\"'+1\"" },
    { "-1", "\"'-1\"" },
    { "@SUM(A1)", "\"'@SUM(A1)\"" },
    { "\t=1", "\"'\t=1\"" },
    { "\r=1", "\"'\r=1\"" },
    { "a \"b\"", "\"a \"\"b\"\"\"" },
    { "1=1", "\"1=1\"" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *cell = byline_moderation_log_csv_cell (cases[i].text);

      g_assert_cmpstr (cell, ==, cases[i].cell);
    }
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);
  bus = byline_test_start_keyring ();

#define ADD(path, func) \
  g_test_add ("/core/moderation-log/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("reasons", test_reasons);
  ADD ("trail/decisions", test_trail_decisions);
  ADD ("trail/bulk", test_trail_bulk);
  ADD ("trail/undo", test_trail_undo);
  ADD ("trail/reason-given", test_trail_reason_given);
  ADD ("trail/superseded", test_trail_superseded);
  ADD ("reasons/long-name", test_reason_long_name);
  ADD ("export/failed", test_export_failed);
  ADD ("trail/offline", test_trail_offline);
  ADD ("trail/refused", test_trail_refused);
  ADD ("trail/reply-edit", test_trail_reply_edit);
  ADD ("trail/same-transaction", test_trail_same_transaction);
  ADD ("trail/never-rewritten", test_trail_never_rewritten);
  ADD ("export/hostile", test_export_hostile);
  g_test_add_func ("/core/moderation-log/export/csv-cell", test_csv_cell);

  return byline_test_run_and_stop_bus (bus);
}
