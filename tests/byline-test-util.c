/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-test-util.c: private folders and waiting helpers for the tests. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <gio/gio.h>

#include "byline-test-util.h"
#include "byline-wp-client.h"

static char *test_tmpdir;

void
byline_test_rm_rf (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) children = NULL;
  GFileInfo *info;

  children = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME ","
                                        G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                        G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, NULL);
  while (children && (info = g_file_enumerator_next_file (children, NULL, NULL)))
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        byline_test_rm_rf (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

static void
remove_test_tmpdir (void)
{
  if (test_tmpdir && !g_getenv ("BYLINE_TEST_KEEP"))
    byline_test_rm_rf (test_tmpdir);
}

void
byline_test_init (int    *argc,
                  char ***argv)
{
  static const char *xdg_vars[][2] = {
    { "HOME", "home" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" },
    { "XDG_RUNTIME_DIR", "runtime" },
  };
  g_autoptr(GError) error = NULL;

  g_test_init (argc, argv, NULL);

  test_tmpdir = g_dir_make_tmp ("byline-test-XXXXXX", &error);
  g_assert_no_error (error);
  atexit (remove_test_tmpdir);

  for (guint i = 0; i < G_N_ELEMENTS (xdg_vars); i++)
    {
      g_autofree char *dir = g_build_filename (test_tmpdir, xdg_vars[i][1], NULL);

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_setenv (xdg_vars[i][0], dir, TRUE);
    }
}

const char *
byline_test_get_tmpdir (void)
{
  return test_tmpdir;
}

char *
byline_test_make_tmpdir (const char *prefix)
{
  g_autofree char *template = g_strdup_printf ("%s-XXXXXX", prefix);
  g_autofree char *path = g_build_filename (test_tmpdir, template, NULL);

  g_assert_nonnull (g_mkdtemp (path));
  return g_steal_pointer (&path);
}

gboolean
byline_test_wait_until (gboolean (*condition)(gpointer user_data),
                        gpointer   user_data,
                        guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (user_data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

void
byline_test_let_creates_settle (const char *store_path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (store_path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "UPDATE outbox SET create_settles_at = 0;"
                                 "UPDATE comment_actions SET create_settles_at = 0", NULL, NULL,
                                 NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

char *
byline_test_sql_text (gpointer    db,
                      const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  char *value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  return value;
}

char *
byline_test_crash_body (guint n)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (n);
  gsize target = g_rand_int_range (rand, 1024, 200 * 1024 + 1);
  g_autofree char *unit = g_strdup_printf ("iteration %u — après « Ünïcødé » ✓ 🗞️\n", n);
  GString *body = g_string_sized_new (target + strlen (unit));

  while (body->len < target)
    g_string_append (body, unit);
  return g_string_free (body, FALSE);
}

GTestDBus *
byline_test_start_keyring (void)
{
  GTestDBus *bus = g_test_dbus_new (G_TEST_DBUS_NONE);
  g_autoptr(GSubprocess) keyring = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GDBusConnection) shared = NULL;
  gint64 deadline = g_get_monotonic_time () + 20 * G_TIME_SPAN_SECOND;
  GDBusConnectionFlags flags;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_test_dbus_up (bus);
  /* --unlock reads the login keyring's password on stdin, and makes the keyring if needed. */
  keyring = g_subprocess_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE,
                              &error, "gnome-keyring-daemon", "--unlock", "--components=secrets",
                              NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (keyring, "test", NULL, &out, NULL, &error);
  g_assert_no_error (error);

  /* The daemon goes on in the background and takes its bus name a little later: on a loaded
   * machine (tests in parallel) the first libsecret call could come before it. */
  flags = G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
          | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION;
  connection = g_dbus_connection_new_for_address_sync (g_test_dbus_get_bus_address (bus), flags,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  for (;;)
    {
      g_autoptr(GVariant) reply = NULL;
      gboolean has_owner = FALSE;

      reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                           "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                           "NameHasOwner",
                                           g_variant_new ("(s)", "org.freedesktop.secrets"),
                                           G_VARIANT_TYPE ("(b)"), G_DBUS_CALL_FLAGS_NONE, -1,
                                           NULL, &error);
      g_assert_no_error (error);
      g_variant_get (reply, "(b)", &has_owner);
      if (has_owner)
        break;
      if (g_get_monotonic_time () > deadline)
        g_error ("gnome-keyring-daemon did not appear on the test's bus within 20 s");
      g_usleep (10 * 1000);
    }
  g_dbus_connection_close_sync (connection, NULL, NULL);

  /* libsecret talks over the shared session connection, which by default raises SIGTERM when the
   * bus goes away: at g_test_dbus_stop () that would kill the test before it returns its result. */
  shared = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_assert_no_error (error);
  g_dbus_connection_set_exit_on_close (shared, FALSE);
  return bus;
}

static void
command_exited_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  g_subprocess_wait_check_finish (G_SUBPROCESS (object), result, &error);
  g_assert_no_error (error);
  *(gboolean *) user_data = TRUE;
}

static gboolean
is_true (gpointer user_data)
{
  return *(gboolean *) user_data;
}

void
byline_test_run_command (const char *first_arg,
                         ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  gboolean done = FALSE;
  va_list args;

  va_start (args, first_arg);
  for (const char *arg = first_arg; arg; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_newv ((const char * const *) argv->pdata, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (process, NULL, command_exited_cb, &done);
  if (!byline_test_wait_until (is_true, &done, 30000))
    g_error ("“%s” did not end within 30 s", first_arg);
}

BylineAccount *
byline_test_add_wordpress_account (BylineAccounts *accounts)
{
  const char *url = g_getenv ("BYLINE_WP_URL");
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineWpSite) site = NULL;
  g_autoptr(GError) error = NULL;
  BylineAccount *account;

  if (url == NULL)
    g_error ("Run this under tests/wordpress/with-wordpress: BYLINE_WP_URL is not set");

  byline_wp_client_discover_async (url, NULL, byline_test_store_result_cb, &result);
  g_assert_true (byline_test_wait_until (byline_test_has_result, &result, 30000));
  site = byline_wp_client_discover_finish (result, &error);
  g_assert_no_error (error);

  account = byline_account_new (url, site->api_root, g_getenv ("BYLINE_WP_USER"));
  byline_accounts_add (accounts, account, g_getenv ("BYLINE_WP_APP_PASSWORD"), &error);
  g_assert_no_error (error);
  return account;
}

GTestDBus *
byline_test_start_keyring_keeping_display (void)
{
  g_autofree char *display = g_strdup (g_getenv ("DISPLAY"));
  GTestDBus *bus = byline_test_start_keyring ();

  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  return bus;
}

int
byline_test_run_and_stop_bus (GTestDBus *bus)
{
  int status = g_test_run ();

  g_test_dbus_stop (bus);
  return status;
}

void
byline_test_store_result_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      result_slot)
{
  GAsyncResult **slot = result_slot;

  g_assert_null (*slot);
  *slot = g_object_ref (result);
}

gboolean
byline_test_has_result (gpointer result_slot)
{
  return *(GAsyncResult **) result_slot != NULL;
}

void
byline_test_iterate_until_result (GAsyncResult **result_slot)
{
  while (*result_slot == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static gboolean
set_flag (gpointer user_data)
{
  *(gboolean *) user_data = TRUE;
  return G_SOURCE_REMOVE;
}

void
byline_test_wait_for_result (GAsyncResult **result_slot,
                             guint          seconds,
                             const char    *what)
{
  gboolean expired = FALSE;
  guint timeout_id = g_timeout_add_seconds (seconds, set_flag, &expired);

  while (*result_slot == NULL && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (*result_slot == NULL)
    g_error ("%s: no answer within %u s", what, seconds);
  g_source_remove (timeout_id);
}

void
byline_test_iterate_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

void
byline_test_screenshot (const char *name)
{
  const char *dir = g_getenv ("BYLINE_TEST_SCREENSHOT_DIR");
  g_autofree char *path = NULL;

  if (dir == NULL)
    return;
  path = g_build_filename (dir, name, NULL);
  /* What was just changed is drawn at the next frames. */
  for (gint64 end = g_get_monotonic_time () + 500 * G_TIME_SPAN_MILLISECOND;
       g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  byline_test_run_command ("import", "-window", "root", path, NULL);
}

char *
byline_test_find_window (const char *name)
{
  const char *argv[] = { "xdotool", "search", "--onlyvisible", "--name", name, NULL };

  for (gint64 end = g_get_monotonic_time () + 30 * G_USEC_PER_SEC; g_get_monotonic_time () < end;)
    {
      g_autofree char *out = NULL;
      int status;

      g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, NULL,
                    &status, NULL);
      if (out != NULL && g_spawn_check_wait_status (status, NULL) && *g_strstrip (out) != '\0')
        return g_strdup (strrchr (out, '\n') ? strrchr (out, '\n') + 1 : out);
      byline_test_iterate_for (200);
    }
  byline_test_screenshot ("no-window.png");
  g_error ("No window named “%s” appeared", name);
}
