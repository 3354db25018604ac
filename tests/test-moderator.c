/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-moderator.c: the moderation outbox against a fake WordPress (wp-fake-comments, behind
 * wp-fault-server) that fails in every way a site can, with a real store and the password in a
 * real keyring. Every test ends by checking that each decision is on the site exactly as made
 * (or was reported), and that the site changed each comment no more often than it should. */

#include "config.h"

#include <signal.h>

#include <glib/gstdio.h>

#include <sqlite3.h>

#include "byline-accounts.h"
#include "byline-comment-queue.h"
#include "byline-comment-store.h"
#include "byline-moderator.h"
#include "byline-test-util.h"
#include "wp-fake-comments.h"
#include "wp-fault-server.h"

#define USERNAME "editor"
#define PASSWORD "abcd EFGH 1234 ijkl"
#define COMMENTS "/wp-json/wp/v2/comments"
#define N_SEEDED 12

static GTestDBus *bus;

typedef struct {
  WpFaultServer      *server;
  FakeComments       *site;
  char               *store_path;
  BylineStore        *store;
  BylineAccounts     *accounts;
  BylineCommentStore *comments;
  BylineModerator    *moderator;
  gint64              account_id;
  GArray             *failed;      /* comment ids, from ::action-failed */
  GArray             *gone;        /* comment ids, from ::comment-gone */
  char               *last_message;
} Fixture;

static void
on_action_failed (BylineModerator *moderator,
                  gint64           comment_id,
                  const char      *message,
                  Fixture         *f)
{
  g_array_append_val (f->failed, comment_id);
  g_free (f->last_message);
  f->last_message = g_strdup (message);
}

static void
on_comment_gone (BylineModerator *moderator,
                 gint64           comment_id,
                 const char      *message,
                 Fixture         *f)
{
  g_array_append_val (f->gone, comment_id);
  g_free (f->last_message);
  f->last_message = g_strdup (message);
}

static void
open_moderator (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  f->store = byline_store_open (f->store_path, &error);
  g_assert_no_error (error);
  f->accounts = byline_accounts_new (f->store);
  f->comments = byline_comment_store_new (f->store);
  f->moderator = byline_moderator_new (f->comments, f->accounts);
  byline_moderator_set_timeout (f->moderator, 1);
  g_signal_connect (f->moderator, "action-failed", G_CALLBACK (on_action_failed), f);
  g_signal_connect (f->moderator, "comment-gone", G_CALLBACK (on_comment_gone), f);
}

static void
close_moderator (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&f->moderator);
  g_clear_object (&f->comments);
  g_clear_object (&f->accounts);
  g_assert_true (byline_store_close (f->store, &error));
  g_assert_no_error (error);
  g_clear_object (&f->store);
}

/* The site's comments 1..N_SEEDED (1-4 held, 5-8 approved, 9-10 spam, 11-12 trash), also
 * in the store, as a sync would have put them. */
static void
seed (Fixture *f)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (gint64 id = 1; id <= N_SEEDED; id++)
    {
      const char *status = id <= 4 ? "hold" : id <= 8 ? "approved" : id <= 10 ? "spam" : "trash";
      g_autofree char *name = g_strdup_printf ("reader%lld", (long long) id);
      g_autofree char *json = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();

      fake_comments_add (f->site, id, 4, status, name, (guint) id);
      json = fake_comments_dup_json (f->site, id);
      g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
      g_ptr_array_add (list, byline_comment_new_from_json (json_node_get_object (json_parser_get_root (parser))));
    }
  g_assert_true (byline_comment_store_upsert (f->comments, f->account_id, list, NULL, &error));
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = byline_test_make_tmpdir ("moderator");
  g_autofree char *api_root = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  f->server = wp_fault_server_new (NULL);
  f->site = fake_comments_new (f->server);
  f->store_path = g_build_filename (dir, "byline.db", NULL);
  f->failed = g_array_new (FALSE, FALSE, sizeof (gint64));
  f->gone = g_array_new (FALSE, FALSE, sizeof (gint64));
  open_moderator (f);

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
  g_array_unref (f->failed);
  g_array_unref (f->gone);
  g_free (f->last_message);
  g_free (f->store_path);
}

/* Helpers */

/* The local id of the site's comment @remote_id. */
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
        BylineDecision  decision)
{
  g_autoptr(GError) error = NULL;
  gint64 id = local (f, remote_id);

  g_assert_true (byline_moderator_decide (f->moderator, &id, 1, decision, &error));
  g_assert_no_error (error);
}

/* One run of the outbox, to its end; FALSE with @error when it ended on a failure. */
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

/* As if the backoff had passed. */
static void
make_due (Fixture *f)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (f->store_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE comment_actions SET next_attempt_at = 0,"
                                 " create_settles_at = 0", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static gint64
next_attempt_at (Fixture *f)
{
  sqlite3 *db = NULL;
  g_autofree char *text = NULL;

  g_assert_cmpint (sqlite3_open (f->store_path, &db), ==, SQLITE_OK);
  text = byline_test_sql_text (db, "SELECT max (max (next_attempt_at, create_settles_at))"
                               " FROM comment_actions WHERE state = 0");
  sqlite3_close (db);
  return text ? g_ascii_strtoll (text, NULL, 10) : 0;
}

static BylineComment *
load (Fixture *f,
      gint64   remote_id)
{
  g_autoptr(GError) error = NULL;
  BylineComment *comment = byline_comment_store_find (f->comments, f->account_id, remote_id,
                                                      &error);
  g_assert_no_error (error);
  return comment;
}

/* The comment is @status on the site, in the store (shown and as the site last said), with
 * nothing waiting, and the site changed it @n_applied times. */
static void
assert_settled (Fixture    *f,
                gint64      remote_id,
                const char *status,
                guint       n_applied)
{
  g_autofree char *on_site = fake_comments_dup_status (f->site, remote_id);
  g_autoptr(BylineComment) comment = load (f, remote_id);

  g_assert_cmpstr (on_site, ==, status);
  g_assert_nonnull (comment);
  g_assert_cmpstr (byline_comment_get_status (comment), ==, status);
  g_assert_cmpstr (byline_comment_get_remote_status (comment), ==, status);
  g_assert_false (byline_comment_get_sending (comment));
  g_assert_cmpuint (fake_comments_get_n_applied (f->site, remote_id), ==, n_applied);
}

static guint
count (Fixture    *f,
       const char *method,
       gint64      remote_id)
{
  g_autofree char *key = g_strdup_printf (COMMENTS "/%lld", (long long) remote_id);
  return wp_fault_server_count_requests (f->server, method, key);
}

/* The status the @nth request to comment @remote_id asked for. */
static char *
sent_status (Fixture *f,
             gint64   remote_id,
             guint    nth)
{
  g_autofree char *key = g_strdup_printf (COMMENTS "/%lld", (long long) remote_id);

  for (guint i = 0, seen = 0; i < wp_fault_server_get_n_requests (f->server); i++)
    {
      const WpFaultRequest *request = wp_fault_server_get_request (f->server, i);
      g_autoptr(JsonParser) parser = json_parser_new ();
      gsize len;
      const char *data;

      if (!g_str_equal (request->path, key) || seen++ != nth)
        continue;
      data = g_bytes_get_data (request->body, &len);
      g_assert_true (json_parser_load_from_data (parser, data, len, NULL));
      return g_strdup (json_object_get_string_member (json_node_get_object (
                                                        json_parser_get_root (parser)), "status"));
    }
  g_assert_not_reached ();
}

/* Tests */

static void
test_every_decision (Fixture       *f,
                     gconstpointer  data)
{
  g_autofree char *s1 = NULL, *s5 = NULL, *s2 = NULL, *s3 = NULL, *s9 = NULL;
  const WpFaultRequest *request = NULL;

  decide (f, 1, BYLINE_DECISION_APPROVE);
  decide (f, 5, BYLINE_DECISION_UNAPPROVE);
  decide (f, 2, BYLINE_DECISION_SPAM);
  decide (f, 3, BYLINE_DECISION_TRASH);
  decide (f, 9, BYLINE_DECISION_RESTORE);   /* spam since before the first sync: unspam */
  decide (f, 11, BYLINE_DECISION_DELETE);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, f->account_id), ==, 6);
  {
    g_autoptr(BylineComment) c = load (f, 2);
    g_assert_cmpstr (byline_comment_get_status (c), ==, "spam");
    g_assert_cmpstr (byline_comment_get_remote_status (c), ==, "hold");
    g_assert_true (byline_comment_get_sending (c));
  }

  process_ok (f);

  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);
  s1 = sent_status (f, 1, 0);
  s5 = sent_status (f, 5, 0);
  s2 = sent_status (f, 2, 0);
  s3 = sent_status (f, 3, 0);
  s9 = sent_status (f, 9, 0);
  g_assert_cmpstr (s1, ==, "approved");
  g_assert_cmpstr (s5, ==, "hold");
  g_assert_cmpstr (s2, ==, "spam");
  g_assert_cmpstr (s3, ==, "trash");
  g_assert_cmpstr (s9, ==, "unspam");
  assert_settled (f, 1, "approved", 1);
  assert_settled (f, 5, "hold", 1);
  assert_settled (f, 2, "spam", 1);
  assert_settled (f, 3, "trash", 1);
  assert_settled (f, 9, "hold", 1);
  for (guint i = 0; i < wp_fault_server_get_n_requests (f->server); i++)
    if (g_str_equal (wp_fault_server_get_request (f->server, i)->method, "DELETE"))
      request = wp_fault_server_get_request (f->server, i);
  g_assert_nonnull (request);
  g_assert_cmpstr (request->path, ==, COMMENTS "/11");
  g_assert_cmpstr (request->query, ==, "force=true");
  g_assert_null (fake_comments_dup_status (f->site, 11));
  g_assert_null (load (f, 11));
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 6);
  g_assert_cmpuint (f->failed->len, ==, 0);

  /* Restore to where it was, when the store saw it go: the status itself is sent. */
  decide (f, 4, BYLINE_DECISION_SPAM);
  process_ok (f);
  decide (f, 4, BYLINE_DECISION_RESTORE);
  process_ok (f);
  {
    g_autofree char *restored = sent_status (f, 4, 1);
    g_assert_cmpstr (restored, ==, "hold");
  }
  assert_settled (f, 4, "hold", 2);
}

/* WordPress ignores a status it does not take and answers 200: the answer is read. */
static void
test_status_read_back (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *unchanged = fake_comments_dup_json (f->site, 1);
  g_autoptr(BylineComment) comment = NULL;

  wp_fault_server_add_json (f->server, "POST " COMMENTS "/1", 200, unchanged);
  decide (f, 1, BYLINE_DECISION_APPROVE);
  process_ok (f);

  g_assert_cmpuint (f->failed->len, ==, 1);
  g_assert_cmpint (g_array_index (f->failed, gint64, 0), ==, local (f, 1));
  g_assert_nonnull (strstr (f->last_message, "pending"));
  comment = load (f, 1);
  g_assert_cmpstr (byline_comment_get_status (comment), ==, "hold");
  g_assert_cmpstr (byline_comment_get_last_error (comment), ==, f->last_message);
  g_assert_false (byline_comment_get_sending (comment));
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);
}

static void
test_coalescing (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *sent = NULL;

  /* Approve, then undo before sending: nothing at all goes out. */
  decide (f, 1, BYLINE_DECISION_APPROVE);
  g_assert_true (byline_moderator_undo (f->moderator, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);

  /* Spam, then approve: one request, for the last. */
  decide (f, 2, BYLINE_DECISION_SPAM);
  decide (f, 2, BYLINE_DECISION_APPROVE);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 1);

  process_ok (f);
  g_assert_cmpuint (count (f, NULL, 1), ==, 0);
  g_assert_cmpuint (count (f, NULL, 2), ==, 1);
  sent = sent_status (f, 2, 0);
  g_assert_cmpstr (sent, ==, "approved");
  assert_settled (f, 1, "hold", 0);
  assert_settled (f, 2, "approved", 1);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 1);
}

static void
test_undo_levels (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) touched = NULL;
  gint64 two[2];

  decide (f, 1, BYLINE_DECISION_APPROVE);
  two[0] = local (f, 2);
  two[1] = local (f, 3);
  g_assert_true (byline_moderator_decide (f->moderator, two, 2, BYLINE_DECISION_SPAM, &error));
  decide (f, 5, BYLINE_DECISION_TRASH);
  process_ok (f);
  assert_settled (f, 5, "trash", 1);

  /* Three steps back, the last one first; the sent ones are sent back. */
  g_assert_true (byline_moderator_undo (f->moderator, &touched, &error));
  g_assert_cmpuint (touched->len, ==, 1);
  g_assert_cmpint (g_array_index (touched, gint64, 0), ==, local (f, 5));
  g_clear_pointer (&touched, g_array_unref);
  g_assert_true (byline_moderator_undo (f->moderator, &touched, &error));
  g_assert_cmpuint (touched->len, ==, 2);
  g_assert_true (byline_moderator_undo (f->moderator, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (byline_moderator_can_undo (f->moderator));
  g_assert_false (byline_moderator_undo (f->moderator, NULL, &error));
  g_assert_error (error, BYLINE_MODERATOR_ERROR, BYLINE_MODERATOR_ERROR_NOTHING_TO_UNDO);
  g_clear_error (&error);

  process_ok (f);
  assert_settled (f, 1, "hold", 2);
  assert_settled (f, 2, "hold", 2);
  assert_settled (f, 3, "hold", 2);
  assert_settled (f, 5, "approved", 2);

  /* A permanent delete, once done on the site, cannot come back. */
  decide (f, 12, BYLINE_DECISION_DELETE);
  process_ok (f);
  g_assert_false (byline_moderator_undo (f->moderator, NULL, &error));
  g_assert_error (error, BYLINE_MODERATOR_ERROR, BYLINE_MODERATOR_ERROR_ALREADY_DELETED);
}

/* Several in flight, but never two for one comment at once, and each comment's in order. */
static void
test_order_in_flight (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const guint delay_ms = 150;
  gint64 ids[8];
  gboolean overlapped = FALSE;
  guint n_twice = 0;

  fake_comments_set_delay (f->site, delay_ms);
  byline_moderator_set_timeout (f->moderator, 10);
  for (guint i = 0; i < 8; i++)
    ids[i] = local (f, i + 1);
  g_assert_true (byline_moderator_decide (f->moderator, ids, 8, BYLINE_DECISION_SPAM, &error));
  byline_moderator_process_async (f->moderator, NULL, byline_test_store_result_cb, &result);
  /* Once the first requests are out, two more decisions for every comment. */
  while (wp_fault_server_get_n_requests (f->server) < 2)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (byline_moderator_decide (f->moderator, ids, 8, BYLINE_DECISION_RESTORE, &error));
  g_assert_true (byline_moderator_decide (f->moderator, ids, 8, BYLINE_DECISION_TRASH, &error));
  g_assert_no_error (error);
  byline_test_iterate_until_result (&result);
  g_assert_true (byline_moderator_process_finish (f->moderator, result, &error));
  g_assert_no_error (error);

  for (guint i = 0; i < wp_fault_server_get_n_requests (f->server); i++)
    {
      const WpFaultRequest *a = wp_fault_server_get_request (f->server, i);

      for (guint j = i + 1; j < wp_fault_server_get_n_requests (f->server); j++)
        {
          const WpFaultRequest *b = wp_fault_server_get_request (f->server, j);

          if (g_str_equal (a->path, b->path))
            g_assert_cmpint (b->received_at - a->received_at, >=, delay_ms * 1000);
          else if (b->received_at - a->received_at < delay_ms * 1000 / 2)
            overlapped = TRUE;
        }
    }
  g_assert_true (overlapped);
  /* The spam already out is followed by the trash; one not yet out was changed in place
   * (spam, restore and trash make one trash). */
  for (gint64 id = 1; id <= 8; id++)
    {
      g_autofree char *last = sent_status (f, id, count (f, NULL, id) - 1);
      g_autofree char *first = sent_status (f, id, 0);
      g_autofree char *on_site = fake_comments_dup_status (f->site, id);

      g_assert_cmpstr (last, ==, "trash");
      g_assert_cmpuint (count (f, NULL, id), <=, 2);
      if (count (f, NULL, id) == 2)
        {
          g_assert_cmpstr (first, ==, "spam");
          n_twice++;
        }
      g_assert_cmpstr (on_site, ==, "trash");
      g_assert_cmpuint (fake_comments_get_n_applied (f->site, id), ==, count (f, NULL, id));
    }
  g_assert_cmpuint (n_twice, >=, 2);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);
}

typedef enum {
  TIMEOUT_BEFORE,
  TIMEOUT_AFTER,
  RESET,
  ERROR_500,
  ERROR_502,
  ERROR_503,
  TOO_MANY,
  GARBAGE,
} Fault;

/* One fault on comment 2's request among five approvals: the run reports it, the rest go, the
 * comment is sent again once due, and each ends approved, changed once on the site. */
static void
test_fault (Fixture       *f,
            gconstpointer  data)
{
  Fault fault = GPOINTER_TO_INT (data);
  WpFaultResponse *response = NULL;
  g_autoptr(GError) error = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;

  switch (fault)
    {
    case TIMEOUT_BEFORE:
      response = wp_fault_response_new_fault (WP_FAULT_STALL);
      break;
    case TIMEOUT_AFTER:
      response = wp_fault_response_new (200, "application/json", "{}");
      wp_fault_response_set_delay (response, 3000);
      wp_fault_response_set_site_first (response, TRUE);
      break;
    case RESET:
      response = wp_fault_response_new_fault (WP_FAULT_RESET);
      break;
    case ERROR_500:
    case ERROR_502:
    case ERROR_503:
      response = wp_fault_response_new (fault == ERROR_500 ? 500 : fault == ERROR_502 ? 502 : 503,
                                        "text/html", "<h1>Error establishing a database "
                                        "connection</h1>");
      if (fault == ERROR_503)
        wp_fault_response_add_header (response, "Retry-After", "30");
      break;
    case TOO_MANY:
      response = wp_fault_response_new (429, "application/json",
                                        "{\"code\":\"too_many\",\"message\":\"Slow down\"}");
      wp_fault_response_add_header (response, "Retry-After", "120");
      break;
    case GARBAGE:
      response = wp_fault_response_new (200, "application/json", "{\"id\":2,\"status\":");
      break;
    }
  wp_fault_server_add (f->server, "POST " COMMENTS "/2", response);
  wp_fault_server_add (f->server, "POST " COMMENTS "/2", wp_fault_response_new_fault (WP_FAULT_SITE));
  byline_moderator_set_in_flight (f->moderator, 1);

  for (gint64 id = 1; id <= 4; id++)
    decide (f, id, BYLINE_DECISION_APPROVE);
  g_assert_false (process (f, &error));
  {
    /* A reset after the request went out may hide a done change: the client says TIMEOUT. */
    gint expected = (fault == TIMEOUT_BEFORE || fault == TIMEOUT_AFTER || fault == RESET)
                  ? BYLINE_WP_ERROR_TIMEOUT
                  : fault == TOO_MANY ? BYLINE_WP_ERROR_RATE_LIMITED
                  : fault == GARBAGE ? BYLINE_WP_ERROR_INVALID_RESPONSE
                  : BYLINE_WP_ERROR_SERVER;
    g_assert_error (error, BYLINE_WP_ERROR, expected);
  }
  g_clear_error (&error);

  /* Comment 2 waits, shown as decided; the one before it went; the site's pacing is kept. */
  assert_settled (f, 1, "approved", 1);
  {
    g_autoptr(BylineComment) two = load (f, 2);
    g_assert_cmpstr (byline_comment_get_status (two), ==, "approved");
    g_assert_true (byline_comment_get_sending (two));
  }
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 3);
  if (fault == TOO_MANY)
    g_assert_cmpint (next_attempt_at (f), >=, before + 120);
  else if (fault == ERROR_503)
    g_assert_cmpint (next_attempt_at (f), >=, before + 30);
  else
    g_assert_cmpint (next_attempt_at (f), >=, before + 5);
  /* Not yet due: a run sends nothing. */
  process_ok (f);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 3);

  make_due (f);
  process_ok (f);
  for (gint64 id = 1; id <= 4; id++)
    assert_settled (f, id, "approved", 1);
  g_assert_cmpuint (count (f, NULL, 1), ==, 1);
  g_assert_cmpuint (count (f, NULL, 2), ==, 2);
  g_assert_cmpuint (count (f, NULL, 3), ==, 1);
  g_assert_cmpuint (count (f, NULL, 4), ==, 1);
  g_assert_cmpuint (f->failed->len, ==, 0);
}

static void
test_gone (Fixture       *f,
           gconstpointer  data)
{
  gint64 id = local (f, 2);

  fake_comments_delete (f->site, 2);
  decide (f, 1, BYLINE_DECISION_APPROVE);
  decide (f, 2, BYLINE_DECISION_APPROVE);
  decide (f, 3, BYLINE_DECISION_APPROVE);
  process_ok (f);

  g_assert_cmpuint (f->gone->len, ==, 1);
  g_assert_cmpint (g_array_index (f->gone, gint64, 0), ==, id);
  g_assert_nonnull (strstr (f->last_message, "reader2"));
  g_assert_null (load (f, 2));
  assert_settled (f, 1, "approved", 1);
  assert_settled (f, 3, "approved", 1);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);
  g_assert_cmpuint (f->failed->len, ==, 0);
}

/* Trashed on the site meanwhile: 410, which is what was asked. */
static void
test_gone_410 (Fixture       *f,
               gconstpointer  data)
{
  wp_fault_server_add_json (f->server, "POST " COMMENTS "/2", 410,
                            "{\"code\":\"rest_already_trashed\",\"message\":\"The comment has "
                            "already been trashed.\",\"data\":{\"status\":410}}");
  fake_comments_set_status (f->site, 2, "trash");
  decide (f, 2, BYLINE_DECISION_TRASH);
  process_ok (f);

  assert_settled (f, 2, "trash", 0);
  g_assert_cmpuint (count (f, NULL, 2), ==, 1);
  g_assert_cmpuint (f->failed->len, ==, 0);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);
}

/* The password refused in the middle: the rest wait, nothing is lost, and it resumes. */
static void
test_unauthorized_mid_queue (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  wp_fault_server_add_json (f->server, "POST " COMMENTS "/3", 401,
                            "{\"code\":\"rest_cannot_edit\",\"message\":\"Sorry, you are not "
                            "allowed to edit this comment.\",\"data\":{\"status\":401}}");
  wp_fault_server_add (f->server, "POST " COMMENTS "/3", wp_fault_response_new_fault (WP_FAULT_SITE));
  byline_moderator_set_in_flight (f->moderator, 1);
  for (gint64 id = 1; id <= 6; id++)
    decide (f, id, id % 2 ? BYLINE_DECISION_SPAM : BYLINE_DECISION_TRASH);

  g_assert_false (process (f, &error));
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_CREDENTIALS);
  g_clear_error (&error);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 4);
  for (gint64 id = 4; id <= 6; id++)
    g_assert_cmpuint (count (f, NULL, id), ==, 0);
  for (gint64 id = 3; id <= 6; id++)
    {
      g_autoptr(BylineComment) c = load (f, id);
      g_assert_cmpstr (byline_comment_get_status (c), ==, id % 2 ? "spam" : "trash");
    }

  /* The password fixed by another program (byline-cli, another BylineAccounts on the same
   * keyring): the next run reads it again and sends the rest at once. */
  {
    g_autoptr(BylineAccounts) elsewhere = byline_accounts_new (f->store);
    g_autoptr(BylineAccount) account = byline_accounts_load (elsewhere, f->account_id, NULL);
    g_autofree char *credentials = g_base64_encode ((const guchar *) USERNAME ":new password",
                                                    strlen (USERNAME ":new password"));
    g_autofree char *expected = g_strconcat ("Basic ", credentials, NULL);
    guint first_new = wp_fault_server_get_n_requests (f->server);
    const WpFaultRequest *request;

    g_assert_nonnull (account);
    g_assert_true (byline_accounts_add (elsewhere, account, "new password", &error));
    g_assert_no_error (error);
    process_ok (f);
    g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), >, first_new);
    request = wp_fault_server_get_request (f->server, first_new);
    g_assert_cmpstr (soup_message_headers_get_one (request->headers, "Authorization"), ==,
                     expected);
  }
  for (gint64 id = 1; id <= 6; id++)
    assert_settled (f, id, id % 2 ? "spam" : "trash", 1);
  g_assert_cmpuint (count (f, NULL, 3), ==, 2);
  g_assert_cmpuint (f->failed->len, ==, 0);
}

/* Written to the store, the decisions outlive the process. */
static void
test_restart (Fixture       *f,
              gconstpointer  data)
{
  decide (f, 1, BYLINE_DECISION_APPROVE);
  decide (f, 2, BYLINE_DECISION_SPAM);
  decide (f, 10, BYLINE_DECISION_DELETE);
  close_moderator (f);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 0);

  open_moderator (f);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 3);
  process_ok (f);
  assert_settled (f, 1, "approved", 1);
  assert_settled (f, 2, "spam", 1);
  g_assert_null (fake_comments_dup_status (f->site, 10));
  g_assert_null (load (f, 10));
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 3);
}

/* The first POST creates the reply but its answer is lost; the second, once the first can have
 * landed, gets 409 duplicate; the moderator finds the first instead of creating (or reporting)
 * another. */
static void
test_reply_after_timeout (Fixture       *f,
                          gconstpointer  data)
{
  WpFaultResponse *lost = wp_fault_response_new (201, "application/json", "{}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) replies = NULL;
  g_autoptr(BylineComment) reply = NULL;
  g_autofree char *raw = NULL;
  gint64 reply_id;
  gint64 before;

  wp_fault_response_set_delay (lost, 3000);
  wp_fault_response_set_site_first (lost, TRUE);
  wp_fault_server_add (f->server, "POST " COMMENTS, lost);
  wp_fault_server_add (f->server, "POST " COMMENTS, wp_fault_response_new_fault (WP_FAULT_SITE));

  reply_id = byline_moderator_reply (f->moderator, local (f, 2), "  Thanks, we will fix it.  ",
                                     "Editor", &error);
  g_assert_no_error (error);
  g_assert_cmpint (reply_id, >, 0);
  reply = byline_comment_store_load (f->comments, reply_id, &error);
  g_assert_cmpstr (byline_comment_get_status (reply), ==, "approved");
  g_assert_cmpint (byline_comment_get_remote_id (reply), ==, 0);
  g_assert_cmpint (byline_comment_get_parent_id (reply), ==, 2);
  g_clear_object (&reply);

  before = g_get_real_time () / G_USEC_PER_SEC;
  g_assert_false (process (f, &error));
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_TIMEOUT);
  g_clear_error (&error);
  /* The first may still be running on the site, where the duplicate check would not see it yet:
   * not sent again before it can have landed, counted from when Byline gave up on it (the 1 s
   * timeout after it went out), even when asked to retry now. */
  g_assert_cmpint (next_attempt_at (f), >=, before + 1 + BYLINE_WP_CLIENT_CREATE_SETTLE_SECONDS);
  byline_moderator_retry_now (f->moderator, 0);
  process_ok (f);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", COMMENTS), ==, 1);
  make_due (f);
  process_ok (f);

  replies = fake_comments_list_replies (f->site, 2);
  g_assert_cmpuint (replies->len, ==, 1);
  reply = byline_comment_store_load (f->comments, reply_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (byline_comment_get_remote_id (reply), ==, g_array_index (replies, gint64, 0));
  g_assert_cmpstr (byline_comment_get_remote_status (reply), ==, "approved");
  raw = fake_comments_dup_raw (f->site, g_array_index (replies, gint64, 0));
  g_assert_cmpstr (raw, ==, "Thanks, we will fix it.");
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", COMMENTS), ==, 2);
  g_assert_cmpuint (f->failed->len, ==, 0);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);

  /* An empty reply is refused at once. */
  g_assert_cmpint (byline_moderator_reply (f->moderator, local (f, 2), " \n", "Editor", &error),
                   ==, 0);
  g_assert_error (error, BYLINE_MODERATOR_ERROR, BYLINE_MODERATOR_ERROR_INVALID);
}

static gboolean
reply_received (gpointer user_data)
{
  Fixture *f = user_data;

  return wp_fault_server_count_requests (f->server, "POST", COMMENTS) == 1;
}

/* Byline stops (as a kill would, with nothing recorded) while the site still handles a reply:
 * the entry was held before the reply went out, so a new start does not send it again before
 * that one can have landed, even when asked to retry now; the site's other decisions are not
 * held back by it. Once due, the duplicate check finds the first. */
static void
test_reply_killed_in_flight (Fixture       *f,
                             gconstpointer  data)
{
  WpFaultResponse *slow = wp_fault_response_new (201, "application/json", "{}");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) replies = NULL;
  g_autoptr(BylineComment) reply = NULL;
  gint64 before = g_get_real_time () / G_USEC_PER_SEC;
  gint64 reply_id;

  wp_fault_response_set_delay (slow, 1500);
  wp_fault_response_set_site_first (slow, TRUE);
  wp_fault_server_add (f->server, "POST " COMMENTS, slow);
  wp_fault_server_add (f->server, "POST " COMMENTS, wp_fault_response_new_fault (WP_FAULT_SITE));
  reply_id = byline_moderator_reply (f->moderator, local (f, 2), "Thanks, noted.", "Editor",
                                     &error);
  g_assert_no_error (error);

  byline_moderator_process_async (f->moderator, NULL, byline_test_store_result_cb, &result);
  g_assert_true (byline_test_wait_until (reply_received, f, 10000));
  g_assert_cmpint (next_attempt_at (f), >=, before + BYLINE_WP_CLIENT_CREATE_SETTLE_SECONDS);
  byline_moderator_close (f->moderator);
  byline_test_iterate_until_result (&result);
  g_clear_object (&result);
  close_moderator (f);

  open_moderator (f);
  decide (f, 1, BYLINE_DECISION_APPROVE);
  byline_moderator_retry_now (f->moderator, 0);
  process_ok (f);
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, "POST", COMMENTS), ==, 1);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 1);
  assert_settled (f, 1, "approved", 1);

  make_due (f);
  process_ok (f);
  replies = fake_comments_list_replies (f->site, 2);
  g_assert_cmpuint (replies->len, ==, 1);
  reply = byline_comment_store_load (f->comments, reply_id, &error);
  g_assert_no_error (error);
  g_assert_cmpint (byline_comment_get_remote_id (reply), ==, g_array_index (replies, gint64, 0));
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);
  g_assert_cmpuint (f->failed->len, ==, 0);
}

static void
test_edit (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineComment) comment = NULL;
  g_autofree char *raw = NULL;

  g_assert_true (byline_moderator_edit (f->moderator, local (f, 1), "Fixed <b>typo</b>", &error));
  g_assert_no_error (error);
  comment = load (f, 1);
  g_assert_cmpstr (byline_comment_get_raw (comment), ==, "Fixed <b>typo</b>");
  g_assert_true (byline_comment_get_sending (comment));
  g_clear_object (&comment);

  process_ok (f);
  raw = fake_comments_dup_raw (f->site, 1);
  g_assert_cmpstr (raw, ==, "Fixed <b>typo</b>");
  comment = load (f, 1);
  g_assert_cmpstr (byline_comment_get_content (comment), ==, "<p>Fixed <b>typo</b></p>\n");
  g_assert_cmpstr (byline_comment_get_text (comment), ==, "Fixed typo");
  g_assert_false (byline_comment_get_sending (comment));
  g_assert_cmpstr (byline_comment_get_status (comment), ==, "hold");
  g_assert_cmpuint (fake_comments_get_n_applied (f->site, 1), ==, 1);
}

/* Approve goes out, the site applies it, the answer is lost; then undo. The entry was sent, so
 * undo must send "hold" rather than drop it: the site ends as the person left it. */
static void
test_undo_after_lost_answer (Fixture       *f,
                             gconstpointer  data)
{
  WpFaultResponse *lost = wp_fault_response_new (200, "application/json", "{}");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;

  wp_fault_response_set_delay (lost, 3000);
  wp_fault_response_set_site_first (lost, TRUE);
  wp_fault_server_add (f->server, "POST " COMMENTS "/2", lost);
  wp_fault_server_add (f->server, "POST " COMMENTS "/2", wp_fault_response_new_fault (WP_FAULT_SITE));

  decide (f, 2, BYLINE_DECISION_APPROVE);
  g_assert_false (process (f, &error));
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_TIMEOUT);
  g_clear_error (&error);
  {
    g_autofree char *on_site = fake_comments_dup_status (f->site, 2);
    g_assert_cmpstr (on_site, ==, "approved");
  }

  g_assert_true (byline_moderator_undo (f->moderator, &ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 1);
  make_due (f);
  process_ok (f);
  assert_settled (f, 2, "hold", 2);
}

/* Undo of a permanent delete that is already out: the site deletes it; the comment leaves
 * with a notice, and nothing is left waiting for it. */
static void
test_undo_delete_too_late (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;
  WpFaultResponse *slow = wp_fault_response_new_fault (WP_FAULT_SITE);
  guint before;

  wp_fault_response_set_delay (slow, 500);
  wp_fault_server_add (f->server, "DELETE " COMMENTS "/9", slow);
  decide (f, 9, BYLINE_DECISION_DELETE);
  before = wp_fault_server_get_n_requests (f->server);
  byline_moderator_process_async (f->moderator, NULL, byline_test_store_result_cb, &result);
  while (wp_fault_server_get_n_requests (f->server) == before)
    g_main_context_iteration (NULL, TRUE);

  g_assert_true (byline_moderator_undo (f->moderator, &ids, &error));
  g_assert_no_error (error);
  byline_test_iterate_until_result (&result);
  g_assert_true (byline_moderator_process_finish (f->moderator, result, &error));
  g_assert_no_error (error);

  g_assert_null (fake_comments_dup_status (f->site, 9));
  g_assert_null (load (f, 9));
  g_assert_cmpuint (f->gone->len, ==, 1);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);
}

/* byline-cli, in another process, decides while the app sends: its entry goes out in the same
 * run, also when nothing the app writes itself says so (the site of the entry out failed). */
static void
test_entry_from_another_process (Fixture       *f,
                                 gconstpointer  data)
{
  g_autofree char *api_root = g_strconcat (wp_fault_server_get_url (f->server), "/wp-json/", NULL);
  g_autoptr(BylineAccount) other = byline_account_new (wp_fault_server_get_url (f->server),
                                                       api_root, "other-editor");
  g_autoptr(WpFaultResponse) slow =
    wp_fault_response_new (503, "application/json", "{\"code\":\"down\",\"message\":\"Down\"}");
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;
  g_autofree char *on_site = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();

  /* Another site (another login to the same fake WordPress), with a held comment, 50. */
  byline_accounts_add (f->accounts, other, PASSWORD, &error);
  g_assert_no_error (error);
  fake_comments_add (f->site, 50, 4, "hold", "reader50", 50);
  json = fake_comments_dup_json (f->site, 50);
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  g_ptr_array_add (list, byline_comment_new_from_json (
                     json_node_get_object (json_parser_get_root (parser))));
  g_assert_true (byline_comment_store_upsert (f->comments, byline_account_get_id (other), list,
                                              NULL, &error));
  g_assert_no_error (error);

  /* The app sends its one decision; the site answers late, and fails. */
  wp_fault_response_set_delay (slow, 300);
  wp_fault_server_add (f->server, "POST " COMMENTS "/1", g_steal_pointer (&slow));
  decide (f, 1, BYLINE_DECISION_APPROVE);
  byline_moderator_process_async (f->moderator, NULL, byline_test_store_result_cb, &result);

  /* Meanwhile another process approves comment 50, on a connection of its own. */
  {
    g_autoptr(BylineStore) store = byline_store_open (f->store_path, &error);
    g_autoptr(BylineAccounts) accounts = byline_accounts_new (store);
    g_autoptr(BylineCommentStore) comments = byline_comment_store_new (store);
    g_autoptr(BylineModerator) cli = byline_moderator_new (comments, accounts);
    g_autoptr(BylineComment) comment = byline_comment_store_find (comments,
                                                                  byline_account_get_id (other),
                                                                  50, &error);
    gint64 id = byline_comment_get_id (comment);

    g_assert_no_error (error);
    g_assert_true (byline_moderator_decide (cli, &id, 1, BYLINE_DECISION_APPROVE, &error));
    g_assert_no_error (error);
  }

  byline_test_iterate_until_result (&result);
  g_assert_false (byline_moderator_process_finish (f->moderator, result, &error));
  g_assert_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_SERVER);
  /* Comment 50 reached the site in that run; comment 1 waits for its site. */
  on_site = fake_comments_dup_status (f->site, 50);
  g_assert_cmpstr (on_site, ==, "approved");
  g_assert_cmpuint (count (f, "POST", 50), ==, 1);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 1);
}

/* Bulk decisions, written a slice at a time */

/* More comments than a decision writes before it returns, so that these go through the slices
 * and the expectations; from remote id BULK_FIRST on. */
#define N_BULK     500
#define BULK_FIRST 1000

/* The site's comments @first..@first + @n - 1, @status, also in the store. */
static void
seed_bulk (Fixture    *f,
           gint64      first,
           guint       n,
           const char *status)
{
  g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;

  for (gint64 id = first; id < first + n; id++)
    {
      g_autofree char *name = g_strdup_printf ("visitor%lld", (long long) id);
      g_autofree char *json = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();

      fake_comments_add (f->site, id, 5, status, name, (guint) id);
      json = fake_comments_dup_json (f->site, id);
      g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
      g_ptr_array_add (list, byline_comment_new_from_json (
                         json_node_get_object (json_parser_get_root (parser))));
    }
  g_assert_true (byline_comment_store_upsert (f->comments, f->account_id, list, NULL, &error));
  g_assert_no_error (error);
}

/* The keys of remote ids @first..@first + @n - 1, as a view shows them. */
static GArray *
keys_of (Fixture *f,
         gint64   first,
         guint    n)
{
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (BylineCommentKey));

  for (gint64 id = first; id < first + n; id++)
    {
      g_autoptr(BylineComment) comment = load (f, id);
      BylineCommentKey key = {
        byline_comment_get_id (comment), byline_comment_get_date_unix (comment),
        byline_comment_status_intern (byline_comment_get_status (comment)),
      };

      g_array_append_val (keys, key);
    }
  return keys;
}

static void
decide_async (Fixture        *f,
              GArray         *keys,
              BylineDecision  decision,
              GAsyncResult  **result)
{
  BylineCommentFilter view = { .account_id = f->account_id };

  byline_moderator_decide_async (f->moderator, &view, (const BylineCommentKey *) keys->data,
                                 keys->len, decision, byline_test_store_result_cb, result);
}

static void
decide_finish_ok (Fixture       *f,
                  GAsyncResult **result)
{
  g_autoptr(GError) error = NULL;

  byline_test_iterate_until_result (result);
  g_assert_true (byline_moderator_decide_finish (f->moderator, *result, &error));
  g_assert_no_error (error);
  g_clear_object (result);
}

static void
undo_finish_ok (Fixture       *f,
                GAsyncResult **result,
                guint          n_put_back)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) ids = NULL;

  byline_test_iterate_until_result (result);
  g_assert_true (byline_moderator_undo_finish (f->moderator, *result, &ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, n_put_back);
  g_clear_object (result);
}

/* What the store holds for remote ids @first..@first + @n - 1, one line each, ids left out:
 * the status shown, the site's, where a restore goes, and every outbox entry. */
static GPtrArray *
dump_rows (Fixture *f,
           gint64   first,
           guint    n)
{
  g_autoptr(GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->store_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT c.status, c.remote_status, c.restore_status, "
                                       "  (SELECT group_concat (a.action || ':' || a.value || ':' "
                                       "          || a.state || ':' || a.sent, ' ') "
                                       "   FROM (SELECT * FROM comment_actions "
                                       "         WHERE comment_id = c.id ORDER BY id) a) "
                                       "FROM comments c WHERE c.account_id = ?1 "
                                       "AND c.remote_id >= ?2 AND c.remote_id < ?3 "
                                       "ORDER BY c.remote_id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, f->account_id);
  sqlite3_bind_int64 (stmt, 2, first);
  sqlite3_bind_int64 (stmt, 3, first + n);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_ptr_array_add (lines, g_strdup_printf ("%s %s %s [%s]", sqlite3_column_text (stmt, 0),
                                             sqlite3_column_text (stmt, 1),
                                             sqlite3_column_text (stmt, 2),
                                             sqlite3_column_text (stmt, 3) ?: (const guchar *) ""));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (lines->len, ==, n);
  return g_steal_pointer (&lines);
}

typedef struct {
  const char     *name;
  BylineDecision  decision;
  const char     *before;      /* the comments' status on the site and in the store */
  gboolean        trashed;     /* then trashed here, and sent: restore knows where they were */
  const char     *row;         /* what each row then holds (dump_rows), as every decision
                                  left it before bulk decisions were written in slices */
  const char     *after;       /* what they show once sent, the site having had one request
                                  each; NULL: deleted for good */
} BulkCase;

static const BulkCase bulk_cases[] = {
  { "spam", BYLINE_DECISION_SPAM, "hold", FALSE, "spam hold hold [status:spam:0:0]", "spam" },
  { "trash", BYLINE_DECISION_TRASH, "approved", FALSE,
    "trash approved approved [status:trash:0:0]", "trash" },
  { "approve", BYLINE_DECISION_APPROVE, "hold", FALSE, "approved hold  [status:approved:0:0]",
    "approved" },
  { "unapprove", BYLINE_DECISION_UNAPPROVE, "approved", FALSE, "hold approved  [status:hold:0:0]",
    "hold" },
  { "delete", BYLINE_DECISION_DELETE, "spam", FALSE, "deleted spam  [delete::0:0]", NULL },
  /* Trashed before Byline knew it: the site knows where it goes back to. */
  { "restore-unknown", BYLINE_DECISION_RESTORE, "trash", FALSE,
    "hold trash  [status:untrash:0:0]", "hold" },
  /* Trashed here: back to approved, which the store remembered. */
  { "restore-known", BYLINE_DECISION_RESTORE, "approved", TRUE,
    "approved trash approved [status:approved:0:0]", "approved" },
};

/* A bulk decision written a slice at a time, and the same decision written in one transaction
 * (byline_moderator_decide ()), both leave each comment as pinned in bulk_cases (its statuses
 * and outbox entries), show it decided at once, and the site gets each once. */
static void
test_bulk_sliced_rows (Fixture       *f,
                       gconstpointer  data)
{
  const BulkCase *c = data;
  const gint64 one = BULK_FIRST, sliced = BULK_FIRST + N_BULK;
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) rows_one = NULL, rows_sliced = NULL;
  g_autoptr(GError) error = NULL;

  seed_bulk (f, one, N_BULK, c->before);
  seed_bulk (f, sliced, N_BULK, c->before);
  if (c->trashed)
    {
      g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (gint64));

      for (gint64 id = one; id < one + 2 * N_BULK; id++)
        {
          gint64 local_id = local (f, id);
          g_array_append_val (all, local_id);
        }
      g_assert_true (byline_moderator_decide (f->moderator, (const gint64 *) all->data, all->len,
                                              BYLINE_DECISION_TRASH, &error));
      g_assert_no_error (error);
      process_ok (f);
    }

  for (gint64 id = one; id < one + N_BULK; id++)
    {
      gint64 local_id = local (f, id);
      g_array_append_val (ids, local_id);
    }
  g_assert_true (byline_moderator_decide (f->moderator, (const gint64 *) ids->data, ids->len,
                                          c->decision, &error));
  g_assert_no_error (error);

  keys = keys_of (f, sliced, N_BULK);
  decide_async (f, keys, c->decision, &result);
  /* Shown as decided at once, written later, in several slices. */
  g_assert_true (byline_moderator_is_deciding (f->moderator));
  {
    g_autoptr(BylineComment) first = load (f, sliced);
    g_autoptr(BylineComment) last = load (f, sliced + N_BULK - 1);

    g_assert_cmpstr (byline_comment_get_status (first), ==, c->after ? c->after : "deleted");
    g_assert_cmpstr (byline_comment_get_status (last), ==, c->after ? c->after : "deleted");
  }
  decide_finish_ok (f, &result);
  g_assert_false (byline_moderator_is_deciding (f->moderator));

  rows_one = dump_rows (f, one, N_BULK);
  rows_sliced = dump_rows (f, sliced, N_BULK);
  for (guint i = 0; i < N_BULK; i++)
    {
      g_assert_cmpstr (g_ptr_array_index (rows_one, i), ==, c->row);
      g_assert_cmpstr (g_ptr_array_index (rows_sliced, i), ==, c->row);
    }
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 2 * N_BULK);

  process_ok (f);
  for (gint64 id = one; id < one + 2 * N_BULK; id++)
    {
      if (c->after != NULL)
        assert_settled (f, id, c->after, c->trashed ? 2 : 1);
      else
        {
          g_assert_null (fake_comments_dup_status (f->site, id));
          g_assert_null (load (f, id));
        }
      g_assert_cmpuint (count (f, NULL, id), ==, c->trashed ? 2 : 1);
    }
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==,
                    (c->trashed ? 4 : 2) * N_BULK);
  g_assert_cmpuint (f->failed->len, ==, 0);
}

/* Undo of a bulk decision puts every comment back: before sending, nothing goes out at all;
 * after, each is sent back once. */
static void
test_bulk_undo (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  seed_bulk (f, BULK_FIRST, N_BULK, "hold");
  keys = keys_of (f, BULK_FIRST, N_BULK);

  decide_async (f, keys, BYLINE_DECISION_SPAM, &result);
  decide_finish_ok (f, &result);
  byline_moderator_undo_async (f->moderator, byline_test_store_result_cb, &result);
  {
    g_autoptr(BylineComment) shown = load (f, BULK_FIRST + N_BULK / 2);
    g_assert_cmpstr (byline_comment_get_status (shown), ==, "hold");
  }
  undo_finish_ok (f, &result, N_BULK);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);
  process_ok (f);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 0);
  for (gint64 id = BULK_FIRST; id < BULK_FIRST + N_BULK; id++)
    assert_settled (f, id, "hold", 0);

  /* Sent, then undone: each goes back to the site, once. */
  decide_async (f, keys, BYLINE_DECISION_SPAM, &result);
  decide_finish_ok (f, &result);
  process_ok (f);
  byline_moderator_undo_async (f->moderator, byline_test_store_result_cb, &result);
  undo_finish_ok (f, &result, N_BULK);
  process_ok (f);
  for (gint64 id = BULK_FIRST; id < BULK_FIRST + N_BULK; id++)
    {
      g_autofree char *first = sent_status (f, id, 0);
      g_autofree char *second = sent_status (f, id, 1);

      g_assert_cmpstr (first, ==, "spam");
      g_assert_cmpstr (second, ==, "hold");
      assert_settled (f, id, "hold", 2);
    }
  g_assert_false (byline_moderator_can_undo (f->moderator));
}

/* How many of the site's comments from remote id @first on the store holds as @status, read
 * on a connection of its own: what is written, not what is shown. */
static guint
count_written (Fixture    *f,
               gint64      first,
               const char *status)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM comments WHERE remote_id >= %lld "
                                          "AND status = '%s'", (long long) first, status);
  g_autofree char *text = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (f->store_path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  text = byline_test_sql_text (db, sql);
  sqlite3_close (db);
  return (guint) g_ascii_strtoull (text, NULL, 10);
}

/* Enough that writing them takes many slices, also on a fast machine (about 500 a slice here). */
#define N_WRITING 4000

/* z pressed while the bulk decision is still being written: the undo waits for it and undoes
 * all of it, whether none or some of it was written when it came. */
static void
test_bulk_undo_while_writing (Fixture       *f,
                              gconstpointer  data)
{
  guint written_before = GPOINTER_TO_UINT (data);
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GAsyncResult) decided = NULL, undone = NULL;

  seed_bulk (f, BULK_FIRST, N_WRITING, "hold");
  keys = keys_of (f, BULK_FIRST, N_WRITING);

  decide_async (f, keys, BYLINE_DECISION_SPAM, &decided);
  while (count_written (f, BULK_FIRST, "spam") < written_before)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (byline_moderator_is_deciding (f->moderator));
  g_assert_cmpuint (count_written (f, BULK_FIRST, "spam"), <, N_WRITING);
  g_assert_true (byline_moderator_can_undo (f->moderator));

  byline_moderator_undo_async (f->moderator, byline_test_store_result_cb, &undone);
  /* Every comment shows as it was at once, also those whose spam is not even written yet. */
  for (gint64 id = BULK_FIRST; id < BULK_FIRST + N_WRITING; id += 97)
    {
      g_autoptr(BylineComment) shown = load (f, id);
      g_assert_cmpstr (byline_comment_get_status (shown), ==, "hold");
    }
  /* The decision completes first, whole, then the undo. */
  while (decided == NULL)
    {
      g_assert_null (undone);
      g_main_context_iteration (NULL, TRUE);
    }
  decide_finish_ok (f, &decided);
  undo_finish_ok (f, &undone, N_WRITING);

  g_assert_cmpuint (count_written (f, BULK_FIRST, "hold"), ==, N_WRITING);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);
  process_ok (f);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 0);
  for (gint64 id = BULK_FIRST; id < BULK_FIRST + N_WRITING; id++)
    assert_settled (f, id, "hold", 0);
  g_assert_false (byline_moderator_can_undo (f->moderator));
}

/* Whether the decision on @keys is written in part: its first comment is, its last is not. */
static gboolean
written_in_part (Fixture *f,
                 GArray  *keys)
{
  return !byline_comment_store_get_expected (f->comments,
                                             g_array_index (keys, BylineCommentKey, 0).id, NULL) &&
         byline_comment_store_get_expected (f->comments,
                                            g_array_index (keys, BylineCommentKey,
                                                           keys->len - 1).id, NULL);
}

/* How many of @keys have no expectation left. */
static guint
count_settled (Fixture *f,
               GArray  *keys)
{
  guint n = 0;

  for (guint i = 0; i < keys->len; i++)
    if (!byline_comment_store_get_expected (f->comments,
                                            g_array_index (keys, BylineCommentKey, i).id, NULL))
      n++;
  return n;
}

/* How often each comment was named by ::changed. */
static void
count_told_cb (BylineCommentStore *comments,
               gint64              account_id,
               GArray             *ids,
               GHashTable         *told)
{
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (told, &id));

      g_hash_table_insert (told, g_memdup2 (&id, sizeof id), GUINT_TO_POINTER (n + 1));
    }
}

/* The store fills up (a full disk) while a decision on thousands is being written: the slice
 * that fails writes nothing, the rest is not decided, whoever waits is told why, every view
 * shows the store again (each comment told once), and the undo step holds what was written. */
static void
test_bulk_fails_mid_way (Fixture       *f,
                         gconstpointer  data)
{
  BylineCommentFilter filter = { f->account_id, BYLINE_COMMENT_VIEW_PENDING };
  g_autoptr(BylineCommentQueue) pending = byline_comment_queue_new (f->comments);
  g_autoptr(GHashTable) told = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr(GArray) keys = NULL, fresh = NULL, ids = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer value;
  guint written;
  gulong told_id;

  seed_bulk (f, BULK_FIRST, N_WRITING, "hold");
  keys = keys_of (f, BULK_FIRST, N_WRITING);
  g_assert_true (byline_comment_queue_set_filter (pending, &filter, &error));
  decide_async (f, keys, BYLINE_DECISION_SPAM, &result);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pending)), ==, 4);
  while (!written_in_part (f, keys))
    g_main_context_iteration (NULL, TRUE);

  /* No page more: the next slice's entries do not fit. */
  byline_store_set_max_pages_for_testing (f->store, 1);
  told_id = g_signal_connect (f->comments, "changed", G_CALLBACK (count_told_cb), told);
  byline_test_iterate_until_result (&result);
  g_signal_handler_disconnect (f->comments, told_id);
  g_assert_false (byline_moderator_decide_finish (f->moderator, result, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_FULL);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  g_assert_false (byline_moderator_is_deciding (f->moderator));

  /* Each comment of the decision told once, and none is shown ahead of the store. */
  g_assert_cmpuint (g_hash_table_size (told), ==, N_WRITING);
  g_hash_table_iter_init (&iter, told);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_assert_cmpuint (GPOINTER_TO_UINT (value), ==, 1);
  g_assert_cmpuint (count_settled (f, keys), ==, N_WRITING);
  written = count_written (f, BULK_FIRST, "spam");
  g_test_message ("%u of %u written before the store was full", written, N_WRITING);
  g_assert_cmpuint (written, >, 0);
  g_assert_cmpuint (written, <, N_WRITING);
  /* Pending shows what the store holds: those not written are back. */
  fresh = byline_comment_store_query (f->comments, &filter, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (fresh->len, ==, N_WRITING - written + 4);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (pending)), ==, fresh->len);
  for (guint i = 0; i < fresh->len; i++)
    g_assert_cmpint (byline_comment_queue_get_id (pending, i), ==,
                     g_array_index (fresh, BylineCommentKey, i).id);
  {
    g_autoptr(BylineComment) last = load (f, BULK_FIRST + N_WRITING - 1);

    g_assert_cmpstr (byline_comment_get_status (last), ==, "hold");
    g_assert_false (byline_comment_get_sending (last));
  }
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, written);

  /* The undo step is what was written: undone, all are as before, nothing to send. */
  byline_store_set_max_pages_for_testing (f->store, 1073741823);
  g_assert_true (byline_moderator_can_undo (f->moderator));
  g_assert_true (byline_moderator_undo (f->moderator, &ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, written);
  g_assert_cmpuint (count_written (f, BULK_FIRST, "hold"), ==, N_WRITING);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);
}

/* The store fills up while an undo of thousands, after they were sent, is being written: what
 * it put back stays, and the undo step left is only what it did not put back. */
static void
test_bulk_undo_fails_mid_way (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(GArray) keys = NULL, ids = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  guint put_back;

  seed_bulk (f, BULK_FIRST, N_WRITING, "hold");
  keys = keys_of (f, BULK_FIRST, N_WRITING);
  decide_async (f, keys, BYLINE_DECISION_SPAM, &result);
  decide_finish_ok (f, &result);
  process_ok (f);
  /* Sent: the undo sends every one back, a new entry each. The pages the sent entries left
   * free go, so that the entries need new ones. */
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (f->store_path, &db), ==, SQLITE_OK);
    sqlite3_busy_timeout (db, 5000);
    g_assert_cmpint (sqlite3_exec (db, "VACUUM", NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }

  byline_moderator_undo_async (f->moderator, byline_test_store_result_cb, &result);
  while (!written_in_part (f, keys))
    g_main_context_iteration (NULL, TRUE);
  byline_store_set_max_pages_for_testing (f->store, 1);
  byline_test_iterate_until_result (&result);
  g_assert_false (byline_moderator_undo_finish (f->moderator, result, NULL, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_FULL);
  g_clear_error (&error);
  g_clear_object (&result);
  put_back = count_written (f, BULK_FIRST, "hold");
  g_test_message ("%u of %u put back before the store was full", put_back, N_WRITING);
  g_assert_cmpuint (put_back, >, 0);
  g_assert_cmpuint (put_back, <, N_WRITING);
  g_assert_cmpuint (count_settled (f, keys), ==, N_WRITING);

  /* Undo again: the rest, only. */
  byline_store_set_max_pages_for_testing (f->store, 1073741823);
  g_assert_true (byline_moderator_undo (f->moderator, &ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, N_WRITING - put_back);
  g_assert_cmpuint (count_written (f, BULK_FIRST, "hold"), ==, N_WRITING);
  g_assert_false (byline_moderator_can_undo (f->moderator));
  process_ok (f);
  for (gint64 id = BULK_FIRST; id < BULK_FIRST + N_WRITING; id += 7)
    assert_settled (f, id, "hold", 2);
}

/* While a decision on thousands is being written, a reply, an edit, a sync and a decision on
 * one of its comments not written yet: each is kept, in the order it was made; the sync does
 * not change what the decision and its undo start from (what the person saw). */
static void
test_bulk_between_slices (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GArray) keys = NULL, one = g_array_new (FALSE, FALSE, sizeof (BylineCommentKey));
  g_autoptr(GAsyncResult) decided = NULL, single = NULL;
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(GError) error = NULL;
  gint64 replied, edited, synced, redecided, reply_id;

  seed_bulk (f, BULK_FIRST, N_WRITING, "hold");
  keys = keys_of (f, BULK_FIRST, N_WRITING);
  decide_async (f, keys, BYLINE_DECISION_SPAM, &decided);
  while (!written_in_part (f, keys))
    g_main_context_iteration (NULL, TRUE);
  /* The last four are not written yet. */
  replied = BULK_FIRST + N_WRITING - 1;
  edited = replied - 1;
  synced = replied - 2;
  redecided = replied - 3;
  g_assert_true (byline_comment_store_get_expected (f->comments, local (f, redecided), NULL));

  reply_id = byline_moderator_reply (f->moderator, local (f, replied), "Thanks for this",
                                     "Editor", &error);
  g_assert_no_error (error);
  g_assert_cmpint (reply_id, >, 0);
  g_assert_true (byline_moderator_edit (f->moderator, local (f, edited), "Edited meanwhile",
                                        &error));
  g_assert_no_error (error);
  /* Another moderator approved one on the site, and a sync brings it. */
  {
    g_autoptr(GPtrArray) list = g_ptr_array_new_with_free_func (g_object_unref);
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autofree char *json = NULL;

    fake_comments_set_status (f->site, synced, "approved");
    json = fake_comments_dup_json (f->site, synced);
    g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
    g_ptr_array_add (list, byline_comment_new_from_json (
                       json_node_get_object (json_parser_get_root (parser))));
    g_assert_true (byline_comment_store_upsert (f->comments, f->account_id, list, NULL, &error));
    g_assert_no_error (error);
  }
  {
    g_autoptr(BylineComment) shown = load (f, synced);
    g_assert_cmpstr (byline_comment_get_status (shown), ==, "spam");
  }
  /* a on one of them, shown as spam: after the decision, whole. */
  {
    g_autoptr(BylineComment) shown = load (f, redecided);
    BylineCommentKey key = { byline_comment_get_id (shown), byline_comment_get_date_unix (shown),
                             byline_comment_status_intern (byline_comment_get_status (shown)) };

    g_array_append_val (one, key);
  }
  decide_async (f, one, BYLINE_DECISION_APPROVE, &single);
  byline_test_iterate_until_result (&decided);
  g_assert_null (single);
  decide_finish_ok (f, &decided);
  decide_finish_ok (f, &single);

  rows = dump_rows (f, redecided, 4);
  g_assert_cmpstr (g_ptr_array_index (rows, 0), ==, "approved hold hold [status:approved:0:0]");
  g_assert_cmpstr (g_ptr_array_index (rows, 1), ==, "spam approved hold [status:spam:0:0]");
  g_assert_cmpstr (g_ptr_array_index (rows, 2), ==,
                   "spam hold hold [edit:Edited meanwhile:0:0 status:spam:0:0]");
  g_assert_cmpstr (g_ptr_array_index (rows, 3), ==, "spam hold hold [status:spam:0:0]");
  g_assert_cmpuint (count_written (f, BULK_FIRST, "spam"), ==, N_WRITING - 1);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, N_WRITING + 2);

  /* Undo: the a, then the spam; the synced one goes back to pending, as the person saw it. */
  g_assert_true (byline_moderator_undo (f->moderator, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(BylineComment) back = load (f, redecided);
    g_assert_cmpstr (byline_comment_get_status (back), ==, "spam");
  }
  g_assert_true (byline_moderator_undo (f->moderator, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_written (f, BULK_FIRST, "hold"), ==, N_WRITING);
  process_ok (f);
  {
    g_autofree char *on_site = fake_comments_dup_status (f->site, synced);
    g_autofree char *text = fake_comments_dup_raw (f->site, edited);

    g_assert_cmpstr (on_site, ==, "hold");
    g_assert_cmpstr (text, ==, "Edited meanwhile");
  }
  assert_settled (f, replied, "hold", 0);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);
  g_assert_cmpuint (f->failed->len, ==, 0);
}

/* Whether a comment decided and not written yet will wait to be sent, as shown: as the
 * moderator will find when it writes it. */
static void
test_bulk_sending_shown (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(GArray) keys = NULL, ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 last = BULK_FIRST + N_WRITING - 1;

  seed_bulk (f, BULK_FIRST, N_WRITING, "hold");
  for (gint64 id = BULK_FIRST; id < BULK_FIRST + N_WRITING; id++)
    {
      gint64 local_id = local (f, id);
      g_array_append_val (ids, local_id);
    }
  /* Approved here, not sent; then back to pending: the approval is dropped, nothing goes. */
  g_assert_true (byline_moderator_decide (f->moderator, (const gint64 *) ids->data, ids->len,
                                          BYLINE_DECISION_APPROVE, &error));
  g_assert_no_error (error);
  keys = keys_of (f, BULK_FIRST, N_WRITING);
  decide_async (f, keys, BYLINE_DECISION_UNAPPROVE, &result);
  {
    g_autoptr(BylineComment) shown = load (f, last);

    g_assert_true (byline_moderator_is_deciding (f->moderator));
    g_assert_cmpstr (byline_comment_get_status (shown), ==, "hold");
    g_assert_false (byline_comment_get_sending (shown));
  }
  decide_finish_ok (f, &result);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);

  /* Spam, sent, then undone: each goes back to the site. */
  g_clear_pointer (&keys, g_array_unref);
  keys = keys_of (f, BULK_FIRST, N_WRITING);
  decide_async (f, keys, BYLINE_DECISION_SPAM, &result);
  {
    g_autoptr(BylineComment) shown = load (f, last);
    g_assert_true (byline_comment_get_sending (shown));
  }
  decide_finish_ok (f, &result);
  process_ok (f);
  byline_moderator_undo_async (f->moderator, byline_test_store_result_cb, &result);
  {
    g_autoptr(BylineComment) shown = load (f, last);

    g_assert_true (byline_moderator_is_deciding (f->moderator));
    g_assert_cmpstr (byline_comment_get_status (shown), ==, "hold");
    g_assert_true (byline_comment_get_sending (shown));
  }
  undo_finish_ok (f, &result, N_WRITING);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, N_WRITING);
}

/* The store's checkpoint thread falls behind (held here) with a large WAL: the slices of a
 * decision wait for it rather than grow the WAL further, and go on once it has caught up. */
static void
test_bulk_waits_for_checkpoint (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autofree char *wal = g_strconcat (f->store_path, "-wal", NULL);
  GStatBuf before, after;

  seed_bulk (f, BULK_FIRST, N_WRITING, "hold");
  keys = keys_of (f, BULK_FIRST, N_WRITING);
  /* Some 5,000 pages in the WAL (a draft saved again and again) while the worker is held. */
  byline_store_pause_checkpoints_for_testing (f->store, TRUE);
  draft = byline_store_create_draft (f->store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  g_assert_no_error (error);
  while (body->len < 64 * 1024)
    g_string_append (body, "A long draft, saved again and again. ");
  for (guint i = 0; i < 200; i++)
    {
      body->str[i] = 'a' + i % 26;
      byline_draft_set_body (draft, body->str);
      g_assert_true (byline_store_save_draft (f->store, draft, BYLINE_SAVE_EXPLICIT, NULL,
                                              &error));
      g_assert_no_error (error);
    }
  g_assert_cmpuint (byline_store_wait_checkpoints_for_testing (f->store, 1, 5000), >=, 1);
  g_assert_cmpint (g_stat (wal, &before), ==, 0);
  g_assert_cmpint (before.st_size, >, 4000 * 4096);

  /* Accepted and shown at once; nothing written while the worker is behind. */
  decide_async (f, keys, BYLINE_DECISION_SPAM, &result);
  byline_test_iterate_for (300);
  g_assert_true (byline_moderator_is_deciding (f->moderator));
  g_assert_cmpuint (count_written (f, BULK_FIRST, "spam"), ==, 0);
  g_assert_cmpint (g_stat (wal, &after), ==, 0);
  g_assert_cmpint (after.st_size, ==, before.st_size);
  {
    g_autoptr(BylineComment) shown = load (f, BULK_FIRST);
    g_assert_cmpstr (byline_comment_get_status (shown), ==, "spam");
  }

  /* Caught up: written, into a WAL that started again from its beginning. */
  byline_store_pause_checkpoints_for_testing (f->store, FALSE);
  decide_finish_ok (f, &result);
  g_assert_cmpuint (count_written (f, BULK_FIRST, "spam"), ==, N_WRITING);
  g_assert_cmpint (g_stat (wal, &after), ==, 0);
  g_assert_cmpint (after.st_size, <=, before.st_size);
}

#define KILL_ROUNDS 12

/* Every comment from remote id @first on (@n) either is decided, spam with its one outbox entry
 * for it, or is as it was, pending with no entry: never a decision without its entry, nor an
 * entry without its decision. Returns how many are decided. */
static guint
check_whole_decisions (const char *path,
                       gint64      first,
                       guint       n)
{
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db = NULL;
  g_autofree char *integrity = NULL;
  guint decided = 0, seen = 0;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  integrity = byline_test_sql_text (db, "PRAGMA integrity_check");
  g_assert_cmpstr (integrity, ==, "ok");
  g_assert_cmpint (sqlite3_prepare_v2 (db,
                                       "SELECT c.status, "
                                       "  (SELECT count (*) FROM comment_actions a "
                                       "   WHERE a.comment_id = c.id), "
                                       "  (SELECT count (*) FROM comment_actions a "
                                       "   WHERE a.comment_id = c.id AND a.action = 'status' "
                                       "   AND a.value = 'spam' AND a.state = 0) "
                                       "FROM comments c WHERE c.remote_id >= ?1 "
                                       "ORDER BY c.remote_id",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, first);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *status = (const char *) sqlite3_column_text (stmt, 0);
      int entries = sqlite3_column_int (stmt, 1), spam_entries = sqlite3_column_int (stmt, 2);

      if (g_str_equal (status, "spam"))
        {
          g_assert_cmpint (entries, ==, 1);
          g_assert_cmpint (spam_entries, ==, 1);
          decided++;
        }
      else
        {
          g_assert_cmpstr (status, ==, "hold");
          g_assert_cmpint (entries, ==, 0);
        }
      seen++;
    }
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_assert_cmpuint (seen, ==, n);
  return decided;
}

/* How many outbox entries the store at @path holds. */
static guint
count_entries (const char *path)
{
  g_autofree char *text = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  text = byline_test_sql_text (db, "SELECT count (*) FROM comment_actions");
  sqlite3_close (db);
  return (guint) g_ascii_strtoull (text, NULL, 10);
}

/* Copies the store, with N_WRITING more pending comments, to a template that each round of a
 * test that runs tests/moderation-writer starts from. Returns the writer's path. */
static char *
make_writer_template (Fixture    *f,
                      const char *template)
{
  g_autofree char *writer = g_test_build_filename (G_TEST_BUILT, "moderation-writer", NULL);
  g_autoptr(GFile) from = NULL;
  g_autoptr(GFile) to = g_file_new_for_path (template);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_file_test (writer, G_FILE_TEST_IS_EXECUTABLE));
  seed_bulk (f, BULK_FIRST, N_WRITING, "hold");
  /* The 12 comments of every test wait in Pending too: the writer decides them with the rest. */
  close_moderator (f);
  from = g_file_new_for_path (f->store_path);
  g_assert_true (g_file_copy (from, to, G_FILE_COPY_NONE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&writer);
}

/* Runs the writer on a copy of @template at @path, until it says it paused with its first
 * @pause_at comments written and its last not: @mode "kill" (it waits there, and is killed)
 * or "quit" (it closes as the application does). Returns it, running or done. */
static GSubprocess *
run_writer (const char       *writer,
            const char       *template,
            const char       *path,
            guint             pause_at,
            const char       *mode,
            GDataInputStream **out)
{
  g_autoptr(GFile) from = g_file_new_for_path (template);
  g_autoptr(GFile) to = g_file_new_for_path (path);
  g_autofree char *pause_text = g_strdup_printf ("%u", pause_at);
  g_autofree char *deciding = NULL, *paused = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *child;

  g_assert_true (g_file_copy (from, to, G_FILE_COPY_OVERWRITE, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  /* Its standard input stays open: in kill mode it waits on it. */
  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDIN_PIPE,
                            &error, writer, path, pause_text, mode, NULL);
  g_assert_no_error (error);
  *out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  deciding = g_data_input_stream_read_line (*out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (deciding, "deciding "));
  paused = g_data_input_stream_read_line (*out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (paused, ==, "paused");
  return child;
}

/* The app killed (SIGKILL) while it writes a decision on thousands of comments: each comment is
 * decided with its outbox entry, or untouched. Started again, the moderator sends what was
 * decided, once each, and nothing else. The writer waits after a random number of comments is
 * written (less than half), then goes on and is killed a moment later, so each kill lands
 * while it writes. */
static void
test_bulk_killed_while_writing (Fixture       *f,
                                gconstpointer  data)
{
  g_autofree char *dir = byline_test_make_tmpdir ("killed");
  g_autofree char *template = g_build_filename (dir, "template.db", NULL);
  g_autofree char *writer = make_writer_template (f, template);
  g_autofree char *last = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261207);
  guint decided_last = 0;

  for (guint round = 0; round < KILL_ROUNDS; round++)
    {
      g_autofree char *path = g_strdup_printf ("%s/round-%u.db", dir, round);
      /* In the first half: the slices that follow cannot all be written before it pauses. */
      guint target = g_rand_int_range (rand, 1, N_WRITING / 2);
      g_autoptr(GDataInputStream) out = NULL;
      g_autoptr(GSubprocess) child = run_writer (writer, template, path, target, "kill", &out);
      GOutputStream *in = g_subprocess_get_stdin_pipe (child);
      g_autoptr(GError) error = NULL;
      guint decided;

      /* Paused between two slices with half or more to write: it goes on, and dies within
       * 2 ms, inside a slice or between two. */
      g_assert_true (g_output_stream_write_all (in, "go\n", 3, NULL, NULL, &error));
      g_assert_true (g_output_stream_flush (in, NULL, &error));
      g_assert_no_error (error);
      g_usleep (g_rand_int_range (rand, 0, 2000));
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      g_assert_false (g_subprocess_get_successful (child));

      decided = check_whole_decisions (path, BULK_FIRST, N_WRITING);
      g_test_message ("round %u: %u decided, paused after %u", round, decided, target);
      /* Killed mid-way: what the first slices wrote is there, not all of it (the oldest
       * comment, decided last, is not). */
      g_assert_cmpuint (decided, >=, target);
      decided_last = count_entries (path);
      g_assert_cmpuint (decided_last, <, N_WRITING + 4);
      g_free (last);
      last = g_strdup (path);
    }

  /* Started again on what a kill left: the decided ones go to the site, once each. */
  g_free (f->store_path);
  f->store_path = g_steal_pointer (&last);
  open_moderator (f);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, decided_last);
  process_ok (f);
  for (gint64 id = BULK_FIRST; id < BULK_FIRST + N_WRITING; id++)
    {
      g_autofree char *on_site = fake_comments_dup_status (f->site, id);

      if (g_str_equal (on_site, "spam"))
        assert_settled (f, id, "spam", 1);
      else
        assert_settled (f, id, "hold", 0);
    }
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, decided_last);
}

/* The app quits (its shutdown closes the moderator, then the store) while a decision on
 * thousands is being written: every comment of it is decided, with its outbox entry. */
static void
test_bulk_quit_while_writing (Fixture       *f,
                              gconstpointer  data)
{
  g_autofree char *dir = byline_test_make_tmpdir ("quit");
  g_autofree char *template = g_build_filename (dir, "template.db", NULL);
  g_autofree char *path = g_build_filename (dir, "quit.db", NULL);
  g_autofree char *writer = make_writer_template (f, template);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GSubprocess) child = run_writer (writer, template, path, N_WRITING / 4, "quit", &out);
  g_autofree char *closed = NULL;
  g_autoptr(GError) error = NULL;

  closed = g_data_input_stream_read_line (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (closed, ==, "closed");
  g_subprocess_wait (child, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (child));
  /* All of it: the N_WRITING comments and the 4 pending ones every test has. */
  g_assert_cmpuint (check_whole_decisions (path, BULK_FIRST, N_WRITING), ==, N_WRITING);
  g_assert_cmpuint (count_entries (path), ==, N_WRITING + 4);
}


/* byline_moderator_close () while a decision on thousands is being written and the outbox is
 * being sent: the decision is written whole before it returns, no request starts after it,
 * and nothing more is taken. Started again, the moderator sends it all. */
static void
test_bulk_close_while_writing (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GAsyncResult) decided = NULL, processed = NULL, refused = NULL;
  g_autoptr(WpFaultResponse) slow = wp_fault_response_new_fault (WP_FAULT_SITE);
  g_autoptr(GError) error = NULL;
  guint n_at_close;

  seed_bulk (f, BULK_FIRST, N_WRITING, "hold");
  keys = keys_of (f, BULK_FIRST, N_WRITING);
  /* Sending goes on while the decision is written, and the first answer is slow. */
  wp_fault_response_set_delay (slow, 300);
  wp_fault_server_add (f->server, "POST " COMMENTS "/1", g_steal_pointer (&slow));
  decide (f, 1, BYLINE_DECISION_APPROVE);
  byline_moderator_process_async (f->moderator, NULL, byline_test_store_result_cb, &processed);
  decide_async (f, keys, BYLINE_DECISION_SPAM, &decided);
  while (!written_in_part (f, keys))
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (byline_moderator_is_processing (f->moderator));
  g_assert_cmpuint (count_written (f, BULK_FIRST, "spam"), <, N_WRITING);

  byline_moderator_close (f->moderator);
  n_at_close = wp_fault_server_get_n_requests (f->server);
  g_assert_true (byline_moderator_is_closed (f->moderator));
  g_assert_false (byline_moderator_is_deciding (f->moderator));
  g_assert_false (byline_moderator_is_processing (f->moderator));
  g_assert_cmpuint (count_written (f, BULK_FIRST, "spam"), ==, N_WRITING);
  g_assert_false (byline_comment_store_get_expected (
                    f->comments, g_array_index (keys, BylineCommentKey, N_WRITING - 1).id, NULL));

  /* The calls waiting complete: the decision written, the sending stopped. */
  byline_test_iterate_until_result (&decided);
  g_assert_true (byline_moderator_decide_finish (f->moderator, decided, &error));
  g_assert_no_error (error);
  byline_test_iterate_until_result (&processed);
  g_assert_false (byline_moderator_process_finish (f->moderator, processed, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  /* What was out when it closed may still reach the site; nothing starts after it. */
  byline_test_iterate_for (800);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), <=,
                    n_at_close + BYLINE_MODERATOR_DEFAULT_IN_FLIGHT);

  /* Nothing more is taken. */
  decide_async (f, keys, BYLINE_DECISION_APPROVE, &refused);
  byline_test_iterate_until_result (&refused);
  g_assert_false (byline_moderator_decide_finish (f->moderator, refused, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  g_clear_object (&refused);
  byline_moderator_process_async (f->moderator, NULL, byline_test_store_result_cb, &refused);
  byline_test_iterate_until_result (&refused);
  g_assert_false (byline_moderator_process_finish (f->moderator, refused, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_cmpuint (count_written (f, BULK_FIRST, "spam"), ==, N_WRITING);

  /* Started again: everything decided reaches the site. */
  close_moderator (f);
  open_moderator (f);
  process_ok (f);
  for (gint64 id = BULK_FIRST; id < BULK_FIRST + N_WRITING; id++)
    {
      g_autofree char *on_site = fake_comments_dup_status (f->site, id);

      g_assert_cmpstr (on_site, ==, "spam");
    }
  assert_settled (f, 1, "approved", 1);
  g_assert_cmpuint (byline_moderator_count_waiting (f->moderator, 0), ==, 0);
}

/* A moderator disposed by force while a decision is being written: whoever waits for it
 * learns it was not kept, and the views show the store again. */
static void
test_bulk_disposed_while_writing (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(GArray) keys = NULL;
  g_autoptr(GAsyncResult) decided = NULL;
  g_autoptr(GError) error = NULL;

  seed_bulk (f, BULK_FIRST, N_WRITING, "hold");
  keys = keys_of (f, BULK_FIRST, N_WRITING);
  decide_async (f, keys, BYLINE_DECISION_SPAM, &decided);
  g_assert_true (byline_comment_store_get_expected (
                   f->comments, g_array_index (keys, BylineCommentKey, 0).id, NULL));

  g_object_run_dispose (G_OBJECT (f->moderator));
  byline_test_wait_for_result (&decided, 10, "The decision");
  g_assert_false (byline_moderator_decide_finish (f->moderator, decided, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  for (guint i = 0; i < keys->len; i++)
    g_assert_false (byline_comment_store_get_expected (
                      f->comments, g_array_index (keys, BylineCommentKey, i).id, NULL));
  for (gint64 id = BULK_FIRST; id < BULK_FIRST + N_WRITING; id += 97)
    {
      g_autoptr(BylineComment) shown = load (f, id);
      g_assert_cmpstr (byline_comment_get_status (shown), ==, "hold");
    }
}


int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);
  bus = byline_test_start_keyring ();

#define ADD(path, func) \
  g_test_add ("/core/moderator/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
#define ADD_FAULT(path, fault) \
  g_test_add ("/core/moderator/fault/" path, Fixture, GINT_TO_POINTER (fault), fixture_set_up, \
              test_fault, fixture_tear_down)
  ADD ("every-decision", test_every_decision);
  ADD ("status-read-back", test_status_read_back);
  ADD ("coalescing", test_coalescing);
  ADD ("undo-levels", test_undo_levels);
  ADD ("order-in-flight", test_order_in_flight);
  ADD_FAULT ("timeout-before-send", TIMEOUT_BEFORE);
  ADD_FAULT ("timeout-after-send", TIMEOUT_AFTER);
  ADD_FAULT ("reset", RESET);
  ADD_FAULT ("500", ERROR_500);
  ADD_FAULT ("502", ERROR_502);
  ADD_FAULT ("503", ERROR_503);
  ADD_FAULT ("429", TOO_MANY);
  ADD_FAULT ("garbage", GARBAGE);
  ADD ("gone", test_gone);
  ADD ("gone-410", test_gone_410);
  ADD ("unauthorized-mid-queue", test_unauthorized_mid_queue);
  ADD ("restart", test_restart);
  ADD ("reply-after-timeout", test_reply_after_timeout);
  ADD ("reply-killed-in-flight", test_reply_killed_in_flight);
  ADD ("edit", test_edit);
  ADD ("undo-after-lost-answer", test_undo_after_lost_answer);
  ADD ("undo-delete-too-late", test_undo_delete_too_late);
  ADD ("entry-from-another-process", test_entry_from_another_process);
  for (guint i = 0; i < G_N_ELEMENTS (bulk_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/core/moderator/bulk/sliced-rows/%s",
                                               bulk_cases[i].name);

      g_test_add (path, Fixture, &bulk_cases[i], fixture_set_up, test_bulk_sliced_rows,
                  fixture_tear_down);
    }
  ADD ("bulk/undo", test_bulk_undo);
  g_test_add ("/core/moderator/bulk/undo-before-written", Fixture, GUINT_TO_POINTER (0),
              fixture_set_up, test_bulk_undo_while_writing, fixture_tear_down);
  g_test_add ("/core/moderator/bulk/undo-half-written", Fixture, GUINT_TO_POINTER (N_WRITING / 2),
              fixture_set_up, test_bulk_undo_while_writing, fixture_tear_down);
  ADD ("bulk/killed-while-writing", test_bulk_killed_while_writing);
  ADD ("bulk/quit-while-writing", test_bulk_quit_while_writing);
  ADD ("bulk/close-while-writing", test_bulk_close_while_writing);
  ADD ("bulk/disposed-while-writing", test_bulk_disposed_while_writing);
  ADD ("bulk/fails-mid-way", test_bulk_fails_mid_way);
  ADD ("bulk/undo-fails-mid-way", test_bulk_undo_fails_mid_way);
  ADD ("bulk/between-slices", test_bulk_between_slices);
  ADD ("bulk/sending-shown", test_bulk_sending_shown);
  ADD ("bulk/waits-for-checkpoint", test_bulk_waits_for_checkpoint);
#undef ADD
#undef ADD_FAULT

  return byline_test_run_and_stop_bus (bus);
}
