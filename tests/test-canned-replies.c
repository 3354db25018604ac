/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-canned-replies.c: a site's canned replies in a real store: the defaults a site starts
 * with, adding, editing, removing and reordering them, what is refused, and {name} and {post}
 * expanded from a comment the store holds, a hostile name staying plain text. */

#include "config.h"

#include <sqlite3.h>

#include "byline-accounts.h"
#include "byline-canned-replies.h"
#include "byline-comment-store.h"
#include "byline-test-util.h"

typedef struct {
  BylineStore        *store;
  BylineAccounts     *accounts;
  BylineCommentStore *comments;
  gint64              account_id;
  gint64              other_account_id;
  char               *path;
} Fixture;

/* What the database holds, read on a connection of its own. */
static char *
count_rows (Fixture *f)
{
  sqlite3 *db = NULL;
  char *text;

  g_assert_cmpint (sqlite3_open_v2 (f->path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  text = byline_test_sql_text (db, "SELECT count (*) FROM canned_replies");
  sqlite3_close (db);
  return text;
}

static gint64
add_account (Fixture    *f,
             const char *site)
{
  g_autoptr(BylineAccount) account = NULL;
  g_autofree char *root = g_strconcat (site, "/wp-json/", NULL);
  g_autoptr(GError) error = NULL;

  account = byline_account_new (site, root, "editor");
  g_assert_true (byline_accounts_add (f->accounts, account, "abcd EFGH 1234 ijkl", &error));
  g_assert_no_error (error);
  return byline_account_get_id (account);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *dir = byline_test_make_tmpdir ("canned-replies");
  g_autoptr(GError) error = NULL;

  f->path = g_build_filename (dir, "byline.db", NULL);
  f->store = byline_store_open (f->path, &error);
  g_assert_no_error (error);
  f->accounts = byline_accounts_new (f->store);
  f->comments = byline_comment_store_new (f->store);
  f->account_id = add_account (f, "http://127.0.0.1:9");
  f->other_account_id = add_account (f, "http://127.0.0.1:10");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->comments);
  g_clear_object (&f->accounts);
  g_clear_object (&f->store);
  g_clear_pointer (&f->path, g_free);
}

static GPtrArray *
list (Fixture *f,
      gint64   account_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *replies = byline_canned_replies_list (f->store, account_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (replies);
  return replies;
}

/* The titles, in order, joined by "|". */
static char *
titles (Fixture *f,
        gint64   account_id)
{
  g_autoptr(GPtrArray) replies = list (f, account_id);
  g_autoptr(GString) joined = g_string_new (NULL);

  for (guint i = 0; i < replies->len; i++)
    g_string_append_printf (joined, "%s%s", i ? "|" : "",
                            ((BylineCannedReply *) g_ptr_array_index (replies, i))->title);
  return g_string_free (g_steal_pointer (&joined), FALSE);
}

static void
test_defaults (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GPtrArray) first = list (f, f->account_id);
  g_autoptr(GPtrArray) again = NULL;
  g_autofree char *other = NULL;
  g_autofree char *count = NULL;

  g_assert_cmpuint (first->len, ==, 3);
  g_assert_cmpstr (((BylineCannedReply *) first->pdata[0])->title, ==, "Thank you");
  g_assert_cmpstr (((BylineCannedReply *) first->pdata[1])->title, ==, "Comment policy");
  g_assert_cmpstr (((BylineCannedReply *) first->pdata[2])->title, ==, "Passed on");
  g_assert_nonnull (strstr (((BylineCannedReply *) first->pdata[0])->body, "{name}"));
  g_assert_nonnull (strstr (((BylineCannedReply *) first->pdata[2])->body, "passed this on"));
  for (guint i = 0; i < first->len; i++)
    g_assert_cmpint (((BylineCannedReply *) first->pdata[i])->id, >, 0);

  /* Written once: reading again gives the same rows, not three more. */
  again = list (f, f->account_id);
  g_assert_cmpuint (again->len, ==, 3);
  g_assert_cmpint (((BylineCannedReply *) again->pdata[0])->id, ==,
                   ((BylineCannedReply *) first->pdata[0])->id);
  count = count_rows (f);
  g_assert_cmpstr (count, ==, "3");

  /* Each site has its own. */
  other = titles (f, f->other_account_id);
  g_assert_cmpstr (other, ==, "Thank you|Comment policy|Passed on");
  g_clear_pointer (&count, g_free);
  count = count_rows (f);
  g_assert_cmpstr (count, ==, "6");
}

static void
test_add_update_remove_reorder (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(GPtrArray) replies = list (f, f->account_id);
  g_autoptr(GPtrArray) now = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *order = NULL;
  gint64 thanks = ((BylineCannedReply *) replies->pdata[0])->id;
  gint64 policy = ((BylineCannedReply *) replies->pdata[1])->id;
  gint64 passed = ((BylineCannedReply *) replies->pdata[2])->id;
  gint64 added;

  added = byline_canned_replies_add (f->store, f->account_id, "Spam warning",
                                     "Links to shops are removed, {name}.", &error);
  g_assert_no_error (error);
  g_assert_cmpint (added, >, passed);
  order = titles (f, f->account_id);
  g_assert_cmpstr (order, ==, "Thank you|Comment policy|Passed on|Spam warning");

  g_assert_true (byline_canned_replies_update (f->store, policy, "Policy",
                                               "Please read the policy, {name}.", &error));
  g_assert_no_error (error);
  now = list (f, f->account_id);
  g_assert_cmpstr (((BylineCannedReply *) now->pdata[1])->title, ==, "Policy");
  g_assert_cmpstr (((BylineCannedReply *) now->pdata[1])->body, ==,
                   "Please read the policy, {name}.");

  {
    const gint64 ids[] = { added, passed };

    g_assert_true (byline_canned_replies_reorder (f->store, f->account_id, ids,
                                                  G_N_ELEMENTS (ids), &error));
    g_assert_no_error (error);
  }
  g_clear_pointer (&order, g_free);
  order = titles (f, f->account_id);
  /* Those not named keep their order after the others. */
  g_assert_cmpstr (order, ==, "Spam warning|Passed on|Thank you|Policy");

  g_assert_true (byline_canned_replies_remove (f->store, thanks, &error));
  g_assert_no_error (error);
  g_clear_pointer (&order, g_free);
  order = titles (f, f->account_id);
  g_assert_cmpstr (order, ==, "Spam warning|Passed on|Policy");
  /* Added after a reorder: last. */
  g_assert_cmpint (byline_canned_replies_add (f->store, f->account_id, "Last", "Bye", &error), >, 0);
  g_clear_pointer (&order, g_free);
  order = titles (f, f->account_id);
  g_assert_cmpstr (order, ==, "Spam warning|Passed on|Policy|Last");

  /* Another site's list is untouched. */
  g_clear_pointer (&order, g_free);
  order = titles (f, f->other_account_id);
  g_assert_cmpstr (order, ==, "Thank you|Comment policy|Passed on");
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GPtrArray) replies = list (f, f->account_id);
  gint64 thanks = ((BylineCannedReply *) replies->pdata[0])->id;
  g_autoptr(GError) error = NULL;
  g_autofree char *order = NULL;

  g_assert_cmpint (byline_canned_replies_add (f->store, f->account_id, "  ", "Text", &error), ==, 0);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "title"));
  g_clear_error (&error);
  g_assert_false (byline_canned_replies_update (f->store, thanks, "Thanks", "\n", &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "text"));
  g_clear_error (&error);
  /* A refused edit loses nothing. */
  g_clear_pointer (&replies, g_ptr_array_unref);
  replies = list (f, f->account_id);
  g_assert_cmpstr (((BylineCannedReply *) replies->pdata[0])->title, ==, "Thank you");

  g_assert_true (byline_canned_replies_remove (f->store, thanks, &error));
  g_assert_false (byline_canned_replies_remove (f->store, thanks, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (byline_canned_replies_update (f->store, thanks, "A", "B", &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND);
  order = titles (f, f->account_id);
  g_assert_cmpstr (order, ==, "Comment policy|Passed on");
}

/* A comment on post 7, kept in the store with its post's title, as the sync keeps them. */
static BylineComment *
stored_comment (Fixture    *f,
                const char *name,
                const char *post_title)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  BylineComment *found;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, 41);
  json_builder_set_member_name (b, "post");
  json_builder_add_int_value (b, 7);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, "hold");
  json_builder_set_member_name (b, "author_name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "date_gmt");
  json_builder_add_string_value (b, "2026-01-01T10:00:00");
  json_builder_set_member_name (b, "content");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rendered");
  json_builder_add_string_value (b, "<p>Hello</p>");
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  g_ptr_array_add (batch, byline_comment_new_from_json (json_node_get_object (root)));
  g_assert_true (byline_comment_store_upsert (f->comments, f->account_id, batch, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (byline_comment_store_set_post (f->comments, f->account_id, 7, post_title,
                                                "http://127.0.0.1:9/?p=7", &error));
  g_assert_no_error (error);
  found = byline_comment_store_find (f->comments, f->account_id, 41, &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  return found;
}

static void
test_expand (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GPtrArray) replies = list (f, f->account_id);
  g_autoptr(BylineComment) comment = NULL;
  g_autoptr(BylineComment) hostile = NULL;
  g_autoptr(BylineComment) anonymous = NULL;
  g_autofree char *thanks = NULL;
  g_autofree char *text = NULL;
  g_autofree char *plain = NULL;
  g_autofree char *none = NULL;

  /* The site's title.rendered, with its typographic entity. */
  comment = stored_comment (f, "Alivia Rhodes", "Secretary&#8217;s Remarks");
  thanks = byline_canned_reply_expand (((BylineCannedReply *) replies->pdata[0])->body, comment);
  g_assert_cmpstr (thanks, ==, "Thank you for your comment on “Secretary’s Remarks”, Alivia Rhodes. "
                   "We appreciate you taking the time.");
  g_clear_object (&comment);

  /* Markup, entities and placeholders in a name are the name's own characters. */
  hostile = stored_comment (f, "<b>Eve</b> &amp; {post} <a href=\"javascript:x\">x</a>",
                            "<em>Hi</em> &lt;there&gt;");
  text = byline_canned_reply_expand ("Dear {name}, on {post}: {unknown} {name", hostile);
  g_assert_cmpstr (text, ==, "Dear <b>Eve</b> &amp; {post} <a href=\"javascript:x\">x</a>, on "
                   "Hi <there>: {unknown} {name");
  g_clear_object (&hostile);

  anonymous = stored_comment (f, "", "");
  none = byline_canned_reply_expand ("{name} on {post}", anonymous);
  g_assert_cmpstr (none, ==, "Anonymous on this post");
  plain = byline_canned_reply_expand ("No placeholders.", anonymous);
  g_assert_cmpstr (plain, ==, "No placeholders.");
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;

  byline_test_init (&argc, &argv);
  bus = byline_test_start_keyring ();

#define ADD(path, func) \
  g_test_add ("/canned-replies/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("defaults", test_defaults);
  ADD ("add-update-remove-reorder", test_add_update_remove_reorder);
  ADD ("refused", test_refused);
  ADD ("expand", test_expand);
#undef ADD

  return byline_test_run_and_stop_bus (bus);
}
