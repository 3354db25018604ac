/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sign-in-browser.c: "Sign in with the browser" against a real WordPress in the production
 * environment (run under wordpress/with-wordpress with BYLINE_WP_ENVIRONMENT_TYPE=production),
 * the whole way a desktop goes: Byline's desktop file installed and registered, the Accounts
 * window opening WordPress's authorization page in "the browser" (a desktop file that notes the
 * address), a SoupSession approving there as auth-app.js does, and the link WordPress sends the
 * browser to launched through the desktop: `byline LINK`, which hands it to this running
 * application's open handler over D-Bus. */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <gdk/x11/gdkx.h>

#include "byline-accounts-window.h"
#include "byline-application.h"
#include "byline-test-ui-util.h"
#include "byline-wp-authorize.h"
#include "wp-browser.h"

static char *opened_urls_path;

/* What "the browser" was asked to open, once it has been. */
static gboolean
browser_opened (gpointer user_data)
{
  char **url = user_data;
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (opened_urls_path, &contents, NULL, NULL) || strchr (contents, '\n') == NULL)
    return FALSE;
  *url = g_strndup (contents, strchr (contents, '\n') - contents);
  return TRUE;
}

/* The Accounts window is not the application's (it belongs to no window list), so toplevels. */
static GtkWindow *
find_window (GtkApplication *app,
             GType           type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type))
      return l->data;
  return NULL;
}

typedef struct {
  GtkApplication *app;
  const char     *heading;
} DialogWait;

static gboolean
dialog_shown (gpointer user_data)
{
  DialogWait *wait = user_data;
  GtkWindow *dialog = find_window (wait->app, ADW_TYPE_MESSAGE_DIALOG);

  return dialog != NULL && g_strcmp0 (adw_message_dialog_get_heading (ADW_MESSAGE_DIALOG (dialog)),
                                      wait->heading) == 0;
}

/* The link handed to Byline the way the desktop does it (xdg-open, the browser): GIO launches
 * the scheme's default handler, our desktop file, whose `byline %U` passes it on to this
 * process, the application's primary instance. */
static void
launch_through_desktop (const char *link)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (g_app_info_launch_default_for_uri (link, NULL, &error));
  g_assert_no_error (error);
}

static void
test_production_site (void)
{
  const char *wp_url = g_getenv ("BYLINE_WP_URL");
  g_autoptr(BylineApplication) app = byline_application_new ();
  g_autoptr(GPtrArray) rows = g_ptr_array_new ();
  g_autoptr(GPtrArray) accounts_list = NULL;
  g_autoptr(SoupSession) browser = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GUri) link_uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *authorize_url = NULL;
  g_autofree char *page_success = NULL;
  g_autofree char *link = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *login_password = NULL;
  g_autofree char *xid = NULL;
  g_autofree char *expected_prefix = g_strconcat (byline_wp_authorize_get_uri_scheme (),
                                                  "://authorize/", NULL);
  BylineAccounts *accounts;
  GtkWindow *window;
  BylineTestLabelWait wait = { 0 };
  DialogWait dialog_wait = { GTK_APPLICATION (app), "No Sign-In Is Waiting" };

  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_assert_false (g_application_get_is_remote (G_APPLICATION (app)));
  accounts = byline_application_get_accounts (app);
  g_assert_nonnull (accounts);
  /* The installed desktop file is what makes the link reach Byline. */
  g_assert_true (byline_wp_authorize_app_uri_reaches_us ());

  g_action_group_activate_action (G_ACTION_GROUP (app), "accounts", NULL);
  window = find_window (GTK_APPLICATION (app), BYLINE_TYPE_ACCOUNTS_WINDOW);
  g_assert_nonnull (window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                           gtk_native_get_surface (GTK_NATIVE (window))));
  byline_test_collect_form (GTK_WIDGET (window), rows, &wait.label);
  g_assert_cmpuint (rows->len, ==, 3);

  gtk_widget_grab_focus (g_ptr_array_index (rows, 0));
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);
  byline_test_run_command ("xdotool", "windowfocus", "--sync", xid, NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "25", wp_url, NULL);
  for (int i = 0; i < 50; i++)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpstr (gtk_editable_get_text (g_ptr_array_index (rows, 0)), ==, wp_url);
  gtk_widget_activate_action (GTK_WIDGET (window), "accounts.sign-in-browser", NULL);

  if (!byline_test_wait_until (browser_opened, &authorize_url, 30000))
    g_error ("The browser was not opened: “%s”", gtk_label_get_label (wait.label));
  g_assert_true (g_str_has_prefix (authorize_url, wp_url));
  g_assert_nonnull (strstr (gtk_label_get_label (wait.label), "Approve Byline in your browser"));

  /* WordPress in production takes the link as success_url (no "Cannot Authorize Application")
   * and its page sends the approving browser there with the new password. */
  login_password = g_strdup (g_getenv ("BYLINE_WP_LOGIN_PASSWORD_FOR_TEST"));
  browser = wp_browser_log_in (wp_url, g_getenv ("BYLINE_WP_USER"), login_password);
  link = wp_browser_authorize_scripted (browser, authorize_url, "approve", &page_success);
  g_assert_true (g_str_has_prefix (page_success, expected_prefix));
  g_assert_true (g_str_has_prefix (link, page_success));
  link_uri = g_uri_parse (link, G_URI_FLAGS_ENCODED_QUERY, &error);
  g_assert_no_error (error);
  params = g_uri_parse_params (g_uri_get_query (link_uri), -1, "&", G_URI_PARAMS_WWW_FORM, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_hash_table_lookup (params, "user_login"), ==, "editor");
  /* The REST API gives the password in groups of four, "abcd efgh ...". */
  g_assert_cmpuint (strlen (g_hash_table_lookup (params, "password")), >=, 24);

  /* A link with another token changes nothing; the right one signs in. */
  {
    g_autofree char *forged = g_strdup (link);
    g_autoptr(GFile) file = NULL;

    forged[strlen (expected_prefix)] = forged[strlen (expected_prefix)] == 'a' ? 'b' : 'a';
    file = g_file_new_for_uri (forged);
    g_application_open (G_APPLICATION (app), &file, 1, "");
    for (int i = 0; i < 50; i++)
      g_main_context_iteration (NULL, FALSE);
    g_assert_nonnull (strstr (gtk_label_get_label (wait.label), "Approve Byline in your browser"));
    g_assert_null (find_window (GTK_APPLICATION (app), ADW_TYPE_MESSAGE_DIALOG));
  }
  launch_through_desktop (link);
  wait.text = "Signed in: DipNote Editor on DipNote Sandbox";
  if (!byline_test_wait_until (byline_test_label_has, &wait, 60000))
    g_error ("Not signed in: “%s”", gtk_label_get_label (wait.label));

  accounts_list = byline_accounts_list (accounts, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts_list->len, ==, 1);
  g_assert_cmpstr (byline_account_get_username (g_ptr_array_index (accounts_list, 0)), ==,
                   "editor");
  kept = byline_accounts_lookup_password (accounts, g_ptr_array_index (accounts_list, 0), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (kept, ==, g_hash_table_lookup (params, "password"));

  /* The same link again: nothing is waiting any more, and Byline says so. */
  launch_through_desktop (link);
  if (!byline_test_wait_until (dialog_shown, &dialog_wait, 30000))
    g_error ("No word that no sign-in was waiting");
  accounts_list = (g_ptr_array_unref (accounts_list), byline_accounts_list (accounts, &error));
  g_assert_cmpuint (accounts_list->len, ==, 1);

  gtk_window_destroy (window);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l != NULL;
       l = gtk_application_get_windows (GTK_APPLICATION (app)))
    gtk_window_destroy (l->data);
}

/* The reason for the link: this site refuses the loopback callback. */
static void
test_production_refuses_loopback (void)
{
  g_autoptr(BylineWpAuthorize) auth = NULL;
  g_autoptr(SoupSession) browser = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *endpoint = g_strconcat (g_getenv ("BYLINE_WP_URL"),
                                           "/wp-admin/authorize-application.php", NULL);
  g_autofree char *page = NULL;
  guint status;

  auth = byline_wp_authorize_begin (endpoint, BYLINE_WP_AUTHORIZE_RETURN_LOOPBACK, &error);
  g_assert_no_error (error);
  browser = wp_browser_log_in (g_getenv ("BYLINE_WP_URL"), g_getenv ("BYLINE_WP_USER"),
                               g_getenv ("BYLINE_WP_LOGIN_PASSWORD_FOR_TEST"));
  page = wp_browser_browse (browser, soup_message_new ("GET", byline_wp_authorize_get_url (auth)),
                            FALSE, &status, NULL);
  g_assert_nonnull (strstr (page, "The URL must be served over a secure connection."));
}

static char *
read_state (const char *key)
{
  g_autofree char *path = g_build_filename (g_getenv ("BYLINE_WP_STATEDIR"), "state.env", NULL);
  g_autofree char *contents = NULL;
  g_autofree char *prefix = g_strconcat (key, "=", NULL);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;

  if (!g_file_get_contents (path, &contents, NULL, &error))
    g_error ("%s", error->message);
  lines = g_strsplit (contents, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], prefix))
      return g_strdup (lines[i] + strlen (prefix));
  g_error ("%s has no %s", path, key);
  return NULL;
}

/* Installs, in the private XDG folders, Byline's built desktop file (its `byline` found through
 * PATH) and a "browser" for http(s) that notes each address it is given, then refreshes
 * mimeinfo.cache as installing does. */
static void
install_desktop_files (void)
{
  const char *build = g_getenv ("G_TEST_BUILDDIR");
  g_autofree char *applications = g_build_filename (g_get_user_data_dir (), "applications", NULL);
  g_autofree char *built = g_build_filename (build, "..", "data", APP_ID ".desktop", NULL);
  g_autofree char *installed = g_build_filename (applications, APP_ID ".desktop", NULL);
  g_autofree char *src = g_build_filename (build, "..", "src", NULL);
  g_autofree char *path = g_strconcat (src, ":", g_getenv ("PATH"), NULL);
  g_autofree char *browser = g_build_filename (byline_test_get_tmpdir (), "browser", NULL);
  g_autofree char *browser_script = NULL;
  g_autofree char *browser_desktop = NULL;
  g_autofree char *browser_path = g_build_filename (applications, "byline-test-browser.desktop",
                                                    NULL);
  g_autofree char *mimeapps = g_build_filename (g_get_user_config_dir (), "mimeapps.list", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(GError) error = NULL;

  opened_urls_path = g_build_filename (byline_test_get_tmpdir (), "opened-urls", NULL);
  g_assert_no_errno (g_mkdir_with_parents (applications, 0700));
  g_assert_no_errno (g_mkdir_with_parents (g_get_user_config_dir (), 0700));
  if (!g_file_get_contents (built, &contents, NULL, &error))
    g_error ("The built desktop file: %s", error->message);
  g_assert_true (g_file_set_contents (installed, contents, -1, &error));
  g_setenv ("PATH", path, TRUE);

  browser_script = g_strdup_printf ("#!/bin/sh\nprintf '%%s\\n' \"$1\" >> '%s'\n",
                                    opened_urls_path);
  g_assert_true (g_file_set_contents (browser, browser_script, -1, &error));
  g_assert_no_errno (g_chmod (browser, 0700));
  browser_desktop = g_strdup_printf ("[Desktop Entry]\nType=Application\nName=Test Browser\n"
                                     "Exec=%s %%u\n"
                                     "MimeType=x-scheme-handler/http;x-scheme-handler/https;\n",
                                     browser);
  g_assert_true (g_file_set_contents (browser_path, browser_desktop, -1, &error));
  g_assert_true (g_file_set_contents (mimeapps, "[Default Applications]\n"
                                      "x-scheme-handler/http=byline-test-browser.desktop\n"
                                      "x-scheme-handler/https=byline-test-browser.desktop\n",
                                      -1, &error));
  byline_test_run_command ("update-desktop-database", applications, NULL);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *login_password = NULL;
  GTestDBus *bus;

  byline_test_init (&argc, &argv);
  if (g_getenv ("BYLINE_WP_URL") == NULL || g_getenv ("BYLINE_WP_STATEDIR") == NULL)
    g_error ("Run this under tests/wordpress/with-wordpress: BYLINE_WP_URL is not set");
  login_password = read_state ("BYLINE_WP_LOGIN_PASSWORD");
  g_setenv ("BYLINE_WP_LOGIN_PASSWORD_FOR_TEST", login_password, TRUE);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  install_desktop_files ();
  bus = byline_test_start_keyring_keeping_display ();

  g_test_add_func ("/wordpress/sign-in-browser/production-refuses-loopback",
                   test_production_refuses_loopback);
  g_test_add_func ("/wordpress/sign-in-browser/production-site", test_production_site);

  return byline_test_run_and_stop_bus (bus);
}
