/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-accounts.c: accounts in the store, passwords in a real Secret Service (gnome-keyring on a
 * private session bus), and a clear error when no keyring answers. */

#include "config.h"

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "byline-accounts.h"
#include "byline-test-util.h"

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

  status = g_test_run ();
  if (bus != NULL)
    {
      /* stop, not down (see byline_test_start_keyring). */
      g_test_dbus_stop (bus);
    }
  return status;
}
