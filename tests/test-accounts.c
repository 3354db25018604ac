/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-accounts.c: accounts in the store, passwords in a real Secret Service (gnome-keyring on a
 * private session bus), a clear error when no keyring answers, and one WordPress client per
 * account that signs in with the password kept last. */

#include "config.h"

#include <string.h>

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "byline-accounts.h"
#include "byline-test-util.h"
#include "wp-fault-server.h"

static GTestDBus *bus;

static BylineStore *
open_store (void)
{
  g_autofree char *dir = byline_test_make_tmpdir ("accounts");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(GError) error = NULL;
  BylineStore *store = byline_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static BylineAccount *
dipnote_account (const char *username)
{
  BylineAccount *account = byline_account_new ("http://127.0.0.1:8089",
                                               "http://127.0.0.1:8089/wp-json/", username);

  byline_account_set_display_name (account, "DipNote Editor");
  byline_account_set_site_name (account, "DipNote Sandbox");
  byline_account_set_capabilities (account, BYLINE_ACCOUNT_CAN_PUBLISH | BYLINE_ACCOUNT_CAN_MODERATE);
  byline_account_set_timezone (account, "UTC", 0);
  return account;
}

static void
test_add_list_remove (void)
{
  g_autoptr(BylineStore) store = open_store ();
  g_autoptr(BylineAccounts) accounts = byline_accounts_new (store);
  g_autoptr(BylineAccount) editor = dipnote_account ("editor");
  g_autoptr(BylineAccount) again = dipnote_account ("editor");
  g_autoptr(BylineAccount) other = dipnote_account ("moderator");
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *byline = NULL;
  g_autofree char *label = NULL;
  g_autofree char *db_text = NULL;
  g_autofree char *db_path = NULL;
  BylineAccount *first;

  /* No account, no byline for new drafts; then the oldest account's display name. */
  g_assert_null (byline_accounts_dup_byline (accounts));
  g_assert_true (byline_accounts_add (accounts, editor, "abcd efgh ijkl mnop", &error));
  g_assert_no_error (error);
  byline = byline_accounts_dup_byline (accounts);
  g_assert_cmpstr (byline, ==, "DipNote Editor");
  g_clear_pointer (&byline, g_free);
  g_assert_cmpint (byline_account_get_id (editor), >, 0);
  g_assert_true (byline_accounts_add (accounts, other, "other secret", &error));

  /* The same site and user again: updated, not doubled, and the new password wins. */
  byline_account_set_display_name (again, "D. Editor");
  g_assert_true (byline_accounts_add (accounts, again, "new password", &error));
  g_assert_cmpint (byline_account_get_id (again), ==, byline_account_get_id (editor));

  list = byline_accounts_list (accounts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (list->len, ==, 2);
  first = g_ptr_array_index (list, 0);
  g_assert_cmpstr (byline_account_get_username (first), ==, "editor");
  g_assert_cmpstr (byline_account_get_display_name (first), ==, "D. Editor");
  g_assert_cmpint (byline_account_get_capabilities (first), ==,
                   BYLINE_ACCOUNT_CAN_PUBLISH | BYLINE_ACCOUNT_CAN_MODERATE);
  label = byline_account_dup_label (first);
  g_assert_cmpstr (label, ==, "D. Editor on DipNote Sandbox");
  /* Its new display name. */
  byline = byline_accounts_dup_byline (accounts);
  g_assert_cmpstr (byline, ==, "D. Editor");

  password = byline_accounts_lookup_password (accounts, first, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, "new password");

  /* The password is nowhere in the database file. */
  db_path = g_strdup (byline_store_get_path (store));
  g_assert_true (byline_store_close (store, &error));
  g_assert_true (g_file_get_contents (db_path, &db_text, NULL, &error));
  g_assert_null (g_strstr_len (db_text, -1, "new password"));
  g_assert_null (g_strstr_len (db_text, -1, "other secret"));
}

static void
test_remove_clears_secret (void)
{
  g_autoptr(BylineStore) store = open_store ();
  g_autoptr(BylineAccounts) accounts = byline_accounts_new (store);
  g_autoptr(BylineAccount) account = dipnote_account ("remover");
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;

  g_assert_true (byline_accounts_add (accounts, account, "to be removed", &error));
  g_assert_true (byline_accounts_remove (accounts, byline_account_get_id (account), &error));
  g_assert_no_error (error);

  list = byline_accounts_list (accounts, &error);
  g_assert_cmpuint (list->len, ==, 0);
  password = byline_accounts_lookup_password (accounts, account, &error);
  g_assert_null (password);
  g_assert_error (error, BYLINE_ACCOUNTS_ERROR, BYLINE_ACCOUNTS_ERROR_NO_PASSWORD);
  g_clear_error (&error);

  g_assert_false (byline_accounts_remove (accounts, byline_account_get_id (account), &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND);
}

static BylineWpClient *
connect_account (BylineAccounts  *accounts,
                 gint64           id,
                 GError         **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byline_accounts_connect_async (accounts, id, NULL, byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  return byline_accounts_connect_finish (accounts, result, error);
}

/* The user name and password that @client signs its requests with, as a site receives them. */
static char *
signed_in_as (BylineWpClient *client,
              WpFaultServer  *server)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineWpUser) user = NULL;
  g_autoptr(GError) error = NULL;
  const char *authorization;
  g_autofree guchar *decoded = NULL;
  gsize length;

  byline_wp_client_get_me_async (client, NULL, byline_test_store_result_cb, &result);
  byline_test_iterate_until_result (&result);
  user = byline_wp_client_get_me_finish (client, result, &error);
  g_assert_no_error (error);

  authorization = soup_message_headers_get_one (
    wp_fault_server_get_request (server, wp_fault_server_get_n_requests (server) - 1)->headers,
    "Authorization");
  g_assert_nonnull (authorization);
  g_assert_true (g_str_has_prefix (authorization, "Basic "));
  decoded = g_base64_decode (authorization + strlen ("Basic "), &length);
  return g_strndup ((const char *) decoded, length);
}

static void
store_two_results_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  GAsyncResult **results = user_data;

  results[results[0] == NULL ? 0 : 1] = g_object_ref (result);
}

/* Everyone asking for an account's client gets the same one, made from one keyring look-up,
 * until the account is kept again with another password or removed. */
static void
test_one_client_per_account (void)
{
  g_autoptr(WpFaultServer) server = wp_fault_server_new (NULL);
  g_autofree char *api_root = g_strconcat (wp_fault_server_get_url (server), "/wp-json/", NULL);
  g_autoptr(BylineStore) store = open_store ();
  g_autoptr(BylineAccounts) accounts = byline_accounts_new (store);
  g_autoptr(BylineAccount) editor = byline_account_new (wp_fault_server_get_url (server),
                                                        api_root, "editor");
  g_autoptr(BylineAccount) author = byline_account_new (wp_fault_server_get_url (server),
                                                        api_root, "author");
  g_autoptr(BylineWpClient) first = NULL;
  g_autoptr(BylineWpClient) second = NULL;
  g_autoptr(BylineWpClient) again = NULL;
  g_autoptr(BylineWpClient) other = NULL;
  g_autoptr(BylineWpClient) renewed = NULL;
  g_autoptr(BylineWpClient) gone = NULL;
  g_autofree char *credentials = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *results[2] = { NULL, NULL };
  gint64 id;

  wp_fault_server_add_recorded (server, "/wp-json/wp/v2/users/me", "users-me");
  g_assert_true (byline_accounts_add (accounts, editor, "first password", &error));
  g_assert_no_error (error);
  g_assert_true (byline_accounts_add (accounts, author, "author password", &error));
  id = byline_account_get_id (editor);

  /* Two callers at once, while the keyring is asked: one answer for both. */
  byline_accounts_connect_async (accounts, id, NULL, store_two_results_cb, results);
  byline_accounts_connect_async (accounts, id, NULL, store_two_results_cb, results);
  while (results[1] == NULL)
    g_main_context_iteration (NULL, TRUE);
  first = byline_accounts_connect_finish (accounts, results[0], &error);
  g_assert_no_error (error);
  second = byline_accounts_connect_finish (accounts, results[1], &error);
  g_assert_no_error (error);
  g_clear_object (&results[0]);
  g_clear_object (&results[1]);
  g_assert_true (BYLINE_IS_WP_CLIENT (first));
  g_assert_true (first == second);

  /* Later callers too; another account has its own. */
  again = connect_account (accounts, id, &error);
  g_assert_no_error (error);
  g_assert_true (again == first);
  other = connect_account (accounts, byline_account_get_id (author), &error);
  g_assert_no_error (error);
  g_assert_true (other != first);
  credentials = signed_in_as (first, server);
  g_assert_cmpstr (credentials, ==, "editor:first password");
  g_clear_pointer (&credentials, g_free);
  credentials = signed_in_as (other, server);
  g_assert_cmpstr (credentials, ==, "author:author password");
  g_clear_pointer (&credentials, g_free);

  /* Signed in again with a new password: a new client, with it. */
  g_assert_true (byline_accounts_add (accounts, editor, "second password", &error));
  g_assert_cmpint (byline_account_get_id (editor), ==, id);
  renewed = connect_account (accounts, id, &error);
  g_assert_no_error (error);
  g_assert_true (renewed != first);
  credentials = signed_in_as (renewed, server);
  g_assert_cmpstr (credentials, ==, "editor:second password");
  g_clear_pointer (&credentials, g_free);
  /* The other account's client stays. */
  g_clear_object (&again);
  again = connect_account (accounts, byline_account_get_id (author), &error);
  g_assert_true (again == other);

  /* A new password kept while the keyring is being asked: the client has the new one. The
   * look-up's answer is let in only once the password is changed (its result waits in the main
   * context), so that it is the old one. */
  g_clear_object (&renewed);
  g_assert_true (byline_accounts_add (accounts, editor, "third password", &error));
  while (g_main_context_pending (NULL))
    g_main_context_iteration (NULL, FALSE);
  byline_accounts_connect_async (accounts, id, NULL, store_two_results_cb, results);
  for (guint waited = 0; waited < 5000 && !g_main_context_pending (NULL); waited++)
    g_usleep (1000);
  g_assert_true (byline_accounts_add (accounts, editor, "fourth password", &error));
  while (results[0] == NULL)
    g_main_context_iteration (NULL, TRUE);
  renewed = byline_accounts_connect_finish (accounts, results[0], &error);
  g_assert_no_error (error);
  g_clear_object (&results[0]);
  credentials = signed_in_as (renewed, server);
  g_assert_cmpstr (credentials, ==, "editor:fourth password");

  /* Another program (byline-cli) changes the password in the keyring: the kept client goes on
   * with the old one until the site refuses it and the client is forgotten; then the next
   * one reads the new password. */
  {
    g_autoptr(BylineAccounts) elsewhere = byline_accounts_new (store);
    g_autoptr(BylineWpClient) kept = NULL;
    g_autoptr(BylineWpClient) reread = NULL;

    g_assert_true (byline_accounts_add (elsewhere, editor, "fifth password", &error));
    g_assert_no_error (error);
    kept = connect_account (accounts, id, &error);
    g_assert_no_error (error);
    g_assert_true (kept == renewed);
    byline_accounts_forget_client (accounts, id);
    reread = connect_account (accounts, id, &error);
    g_assert_no_error (error);
    g_assert_true (reread != renewed);
    g_clear_pointer (&credentials, g_free);
    credentials = signed_in_as (reread, server);
    g_assert_cmpstr (credentials, ==, "editor:fifth password");
  }

  /* Removed: no client any more. */
  g_assert_true (byline_accounts_remove (accounts, id, &error));
  gone = connect_account (accounts, id, &error);
  g_assert_null (gone);
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND);
}

/* No Secret Service at all (a bus with no keyring): a clear error, and no account half-kept. */
static void
test_no_keyring (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr(GTestDBus) empty_bus = g_test_dbus_new (G_TEST_DBUS_NONE);
      g_autoptr(BylineStore) store = NULL;
      g_autoptr(BylineAccounts) accounts = NULL;
      g_autoptr(BylineAccount) account = dipnote_account ("editor");
      g_autoptr(GPtrArray) list = NULL;
      g_autoptr(GError) error = NULL;

      g_test_dbus_up (empty_bus);
      store = open_store ();
      accounts = byline_accounts_new (store);
      g_assert_false (byline_accounts_add (accounts, account, "secret", &error));
      g_assert_error (error, BYLINE_ACCOUNTS_ERROR, BYLINE_ACCOUNTS_ERROR_NO_KEYRING);
      g_assert_nonnull (strstr (error->message, "keyring"));
      list = byline_accounts_list (accounts, NULL);
      g_assert_cmpuint (list->len, ==, 0);
      g_clear_object (&accounts);
      g_clear_object (&store);
      g_test_dbus_stop (empty_bus);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  int status;

  byline_test_init (&argc, &argv);

  /* gnome-keyring on the test's own bus; the subprocess of no-keyring makes an empty one. */
  if (!g_test_subprocess ())
    bus = byline_test_start_keyring ();

  g_test_add_func ("/core/accounts/add-list-remove", test_add_list_remove);
  g_test_add_func ("/core/accounts/remove-clears-secret", test_remove_clears_secret);
  g_test_add_func ("/core/accounts/no-keyring", test_no_keyring);
  g_test_add_func ("/core/accounts/one-client-per-account", test_one_client_per_account);

  status = g_test_run ();
  if (bus != NULL)
    {
      /* stop, not down (see byline_test_start_keyring). */
      g_test_dbus_stop (bus);
    }
  return status;
}
