/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-test-util.h: what every Byline test does first. */
#pragma once

#include <gio/gio.h>

#include "byline-accounts.h"

G_BEGIN_DECLS

/* g_test_init plus a private, empty HOME and XDG_{DATA,CONFIG,CACHE,STATE,RUNTIME}_DIR under a
 * fresh temporary folder (removed at exit unless BYLINE_TEST_KEEP is set), so that no test sees
 * the user's files or another test's. */
void        byline_test_init         (int    *argc,
                                      char ***argv);
/* The temporary folder made by byline_test_init. */
const char *byline_test_get_tmpdir   (void);
/* A new empty folder inside it. */
char       *byline_test_make_tmpdir  (const char *prefix);
/* Iterates the default main context until @condition returns TRUE or @timeout_ms passes. */
gboolean    byline_test_wait_until   (gboolean (*condition) (gpointer user_data),
                                      gpointer   user_data,
                                      guint      timeout_ms);
/* The first column of the first row of @sql on @db (a sqlite3 *), newly allocated. */
/* As if the time a create may take to land on the site had passed, for every entry of the store
 * at @store_path (a real file: waiting it out would only make a test slower). */
void        byline_test_let_creates_settle (const char *store_path);
char       *byline_test_sql_text     (gpointer    db,
                                      const char *sql);
/* The body the crash writer saves in iteration @n: 1 to 200 KB of Unicode lines naming @n, the same
 * every time, so that the test can rebuild what was written and tell whole from torn. */
char       *byline_test_crash_body   (guint       n);
/* Runs a command (xdotool, say) to its end while this process keeps iterating its main context, so
 * that its own windows draw and take the keys the command sends. Fails the test when the command
 * fails or takes over 30 s. NULL-terminated. */
void        byline_test_run_command  (const char *first_arg,
                                      ...) G_GNUC_NULL_TERMINATED;
/* Adds the test bed's WordPress account (BYLINE_WP_URL, _USER and _APP_PASSWORD, set by
 * wordpress/with-wordpress) to @accounts, its API found by discovery, and returns it. Fails the
 * test with a clear message when not run under with-wordpress. */
BylineAccount *byline_test_add_wordpress_account (BylineAccounts *accounts);
/* Removes a folder and everything in it. */
void        byline_test_rm_rf        (const char *path);
/* A private session bus with gnome-keyring-daemon on it, its login keyring made and unlocked
 * with a known password, as a desktop session would have it. End it with g_test_dbus_stop (),
 * not g_test_dbus_down () nor an unref (which downs it): libsecret keeps its bus connection for
 * the life of the process, and down would wait for that to go. */
GTestDBus  *byline_test_start_keyring (void);

/* Like byline_test_start_keyring, but puts DISPLAY back afterwards: GTestDBus unsets it (against
 * X11 D-Bus autolaunch), and a test that shows windows needs it. */
GTestDBus  *byline_test_start_keyring_keeping_display (void);
/* Runs the tests, then stops @bus (stop, not down: see byline_test_start_keyring); main's end. */
int         byline_test_run_and_stop_bus (GTestDBus *bus);
/* A GAsyncReadyCallback that keeps a reference to the result in the GAsyncResult * that
 * @result_slot points to, which must still be NULL (one answer per call). */
void        byline_test_store_result_cb (GObject      *source,
                                         GAsyncResult *result,
                                         gpointer      result_slot);
/* For byline_test_wait_until: TRUE once the GAsyncResult * at @result_slot is set. */
gboolean    byline_test_has_result   (gpointer     result_slot);
/* Iterates the default main context, blocking, until *@result_slot is set; no limit of its own. */
void        byline_test_iterate_until_result (GAsyncResult **result_slot);
/* Iterates the default main context until *@result_slot is set; after @seconds, fails the test
 * saying that @what had no answer. */
void        byline_test_wait_for_result (GAsyncResult **result_slot,
                                         guint          seconds,
                                         const char    *what);
/* Runs the default main context for @ms milliseconds. */
void        byline_test_iterate_for  (guint       ms);
/* With BYLINE_TEST_SCREENSHOT_DIR set, lets the windows draw for half a second and saves the
 * screen there as @name (ImageMagick's import); without it, does nothing. */
void        byline_test_screenshot   (const char *name);
/* The X window id, for xdotool, of the visible window whose name matches the regular expression
 * @name (the topmost when several do), waited for up to 30 s while the main loop runs; a
 * screenshot and a fatal error when none appears. */
char       *byline_test_find_window  (const char *name);

G_END_DECLS
