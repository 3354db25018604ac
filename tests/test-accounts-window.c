/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-accounts-window.c: signing in to a real WordPress (run under wordpress/with-wordpress) from
 * the Accounts window, typed with keys: a wrong password is refused with WordPress's reason, the
 * right one signs in and lists the site with what the user may do. */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "byline-accounts-window.h"
#include "byline-test-ui-util.h"

/* Focuses @row's text and types @text into it with real key presses. */
static void
type_into (const char *xid,
           GtkWidget  *row,
           const char *text)
{
  gtk_widget_grab_focus (row);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  byline_test_run_command ("xdotool", "windowfocus", "--sync", xid, NULL);
  byline_test_run_command ("xdotool", "key", "ctrl+a", "BackSpace", NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "25", text, NULL);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  /* What the keys typed, checked here, so that a lost key reads as such and not as a sign-in
   * failure further on. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (row)), ==, text);
}

static void
test_sign_in (void)
{
  const char *url = g_getenv ("BYLINE_WP_URL");
  g_autofree char *dir = byline_test_make_tmpdir ("accounts-window");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) accounts_list = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *xid = NULL;
  g_autofree char *password = NULL;
  BylineAccountsWindow *window;
  BylineAccount *account;
  BylineTestLabelWait wait = { 0 };

  if (url == NULL)
    g_error ("Run this under tests/wordpress/with-wordpress: BYLINE_WP_URL is not set");

  store = byline_store_open (path, &error);
  g_assert_no_error (error);
  accounts = byline_accounts_new (store);
  window = byline_accounts_window_new (accounts);
  gtk_window_present (GTK_WINDOW (window));
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                           gtk_native_get_surface (GTK_NATIVE (window))));

  byline_test_collect_form (GTK_WIDGET (window), rows, &wait.label);
  g_assert_cmpuint (rows->len, ==, 3);
  g_assert_nonnull (wait.label);

  type_into (xid, g_ptr_array_index (rows, 0), url);
  type_into (xid, g_ptr_array_index (rows, 1), g_getenv ("BYLINE_WP_USER"));
  type_into (xid, g_ptr_array_index (rows, 2), "wrong password");
  byline_test_run_command ("xdotool", "key", "Return", NULL);
  wait.text = "refused the user name or application password";
  if (!byline_test_wait_until (byline_test_label_has, &wait, 30000))
    g_error ("No refusal shown: “%s”", gtk_label_get_label (wait.label));
  accounts_list = byline_accounts_list (accounts, &error);
  g_assert_cmpuint (accounts_list->len, ==, 0);
  g_clear_pointer (&accounts_list, g_ptr_array_unref);

  type_into (xid, g_ptr_array_index (rows, 2), g_getenv ("BYLINE_WP_APP_PASSWORD"));
  byline_test_run_command ("xdotool", "key", "Return", NULL);
  wait.text = "Signed in: DipNote Editor on DipNote Sandbox";
  if (!byline_test_wait_until (byline_test_label_has, &wait, 30000))
    g_error ("Not signed in: “%s”", gtk_label_get_label (wait.label));

  accounts_list = byline_accounts_list (accounts, &error);
  g_assert_cmpuint (accounts_list->len, ==, 1);
  account = g_ptr_array_index (accounts_list, 0);
  g_assert_cmpstr (byline_account_get_username (account), ==, g_getenv ("BYLINE_WP_USER"));
  g_assert_true (byline_account_get_capabilities (account) & BYLINE_ACCOUNT_CAN_PUBLISH);
  g_assert_true (byline_account_get_capabilities (account) & BYLINE_ACCOUNT_CAN_MODERATE);
  password = byline_accounts_lookup_password (accounts, account, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (password, ==, g_getenv ("BYLINE_WP_APP_PASSWORD"));
  /* The password field is emptied once it is kept. */
  g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (rows, 2)), ==, "");

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;

  byline_test_init (&argc, &argv);
  bus = byline_test_ui_start_with_keyring ();

  g_test_add_func ("/wordpress/accounts-window/sign-in", test_sign_in);

  return byline_test_run_and_stop_bus (bus);
}
