/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store-recovery.c: the editor on a disk that fills up and on a drafts file made read-only
 * under it, and the app on a drafts file from a newer Byline or a damaged one, driven by keys
 * under Xvfb with xdotool.
 *
 * The full disk is a real one: a small tmpfs mounted in a private mount namespace, which this
 * program enters first thing, while it has one thread. The read-only file is real too: the
 * immutable attribute, which the kernel enforces even on files already open. Only root may do
 * either; elsewhere the test that needs it is skipped, and says why. */

#include "config.h"

/* unshare () and CLONE_NEWNS */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#ifdef __linux__
#include <sched.h>
#include <sys/mount.h>
#endif

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>
#include <adwaita.h>
#include <signal.h>
#include <sqlite3.h>

#include "byline-editor.h"
#include "byline-store.h"
#include "byline-test-immutable.h"
#include "byline-test-ui-util.h"

/* Whether this process has a mount namespace of its own, where it may mount a small disk. */
static gboolean private_mounts;

static void
press (const char *window,
       const char *keys)
{
  byline_test_run_command ("xdotool", "windowfocus", "--sync", window, NULL);
  byline_test_run_command ("xdotool", "key", keys, NULL);
}

/* Windows under Xvfb are drawn a moment after they change, later still under load. */
static void
screenshot (const char *name)
{
  if (g_getenv ("BYLINE_TEST_SCREENSHOT_DIR") == NULL)
    return;
  byline_test_iterate_for (1500);
  byline_test_screenshot (name);
}

static GSubprocess *
start_app (void)
{
  g_autofree char *app = g_test_build_filename (G_TEST_BUILT, "..", "src", "byline", NULL);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, app, NULL);
  g_assert_no_error (error);
  return process;
}

static void
quit_app (GSubprocess *app,
          const char  *window)
{
  g_autoptr(GError) error = NULL;

  press (window, "ctrl+q");
  g_subprocess_wait_check (app, NULL, &error);
  g_assert_no_error (error);
}

static char *
dup_app_db_path (void)
{
  return g_build_filename (g_get_user_data_dir (), APP_ID, "byline.db", NULL);
}

/* The app's store with @n drafts, written through the store as the app writes them. */
static void
make_app_store (guint n)
{
  g_autofree char *path = dup_app_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = NULL;

  byline_test_rm_rf (g_get_user_data_dir ());
  store = byline_store_open (path, &error);
  g_assert_no_error (error);
  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(BylineDraft) draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN,
                                                                &error);
      g_autofree char *title = g_strdup_printf ("Brouillon %u", i);

      g_assert_no_error (error);
      byline_draft_set_title (draft, title);
      byline_draft_set_body (draft, "Un texte à garder, quoi qu’il arrive au fichier.");
      g_assert_true (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));
      /* Distinct modification times, so that the newest is certain. */
      g_usleep (2000);
    }
  g_assert_true (byline_store_close (store, &error));
}

static void
raw_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
}

static gint64
raw_int (const char *path,
         const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, NULL);

  g_assert_nonnull (mapped);
  return g_mapped_file_get_bytes (mapped);
}

/* The one file in the app's data folder whose name holds @infix, or NULL. */
static char *
find_beside (const char *infix)
{
  g_autofree char *dir = g_build_filename (g_get_user_data_dir (), APP_ID, NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;
  char *found = NULL;

  g_assert_nonnull (listing);
  while ((name = g_dir_read_name (listing)) != NULL)
    if (strstr (name, infix) != NULL && !g_str_has_suffix (name, "-wal"))
      {
        g_assert_null (found);
        found = g_build_filename (dir, name, NULL);
      }
  return found;
}

/* ---- The editor on a disk that fills up ---- */

typedef struct {
  GtkRevealer *revealer;
  gboolean     revealed;
} RevealWait;

static gboolean
reveal_is (gpointer user_data)
{
  RevealWait *wait = user_data;

  return gtk_revealer_get_reveal_child (wait->revealer) == wait->revealed;
}

static char *
buffer_text (BylineEditor *editor)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (
                                                      byline_editor_get_source_view (editor)));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The keys xdotool sent have all arrived once the text ends with the last words typed. */
static gboolean
all_typed (gpointer user_data)
{
  g_autofree char *text = buffer_text (user_data);

  return g_str_has_suffix (text, "line 12, with enough words to need new pages.");
}

/* An editor in a window on a new draft of the store at @path, and its bar for save errors. */
typedef struct {
  char         *path;
  BylineStore  *store;
  BylineDraft  *draft;
  GtkWidget    *window;
  BylineEditor *editor;
  RevealWait    wait;
  GtkLabel     *message;
  char         *typed;
} EditorSession;

/* Opens a store at @path with a new draft in an editor, types its title and a first line, and
 * saves them. */
static void
editor_session_start (EditorSession *session,
                      const char    *path,
                      const char    *title)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *xid = NULL;

  session->path = g_strdup (path);
  session->store = byline_store_open (path, &error);
  g_assert_no_error (error);
  session->draft = byline_store_create_draft (session->store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  g_assert_no_error (error);

  session->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (session->window), 1200, 800);
  session->editor = BYLINE_EDITOR (byline_editor_new ());
  gtk_window_set_child (GTK_WINDOW (session->window), GTK_WIDGET (session->editor));
  gtk_window_present (GTK_WINDOW (session->window));
  byline_editor_set_draft (session->editor, session->store, session->draft);
  byline_test_iterate_for (300);
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                           gtk_native_get_surface (GTK_NATIVE (session->window))));
  session->wait.revealer = byline_test_find_widget (GTK_WIDGET (session->editor),
                                                    GTK_TYPE_REVEALER);
  session->message = byline_test_find_selectable_label (
    gtk_revealer_get_child (session->wait.revealer));

  byline_editor_focus_title (session->editor);
  byline_test_run_command ("xdotool", "windowfocus", "--sync", xid, NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "10", title, NULL);
  byline_test_run_command ("xdotool", "key", "Return", NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "10", "Before the trouble.", NULL);
  byline_test_iterate_for (1000);
  byline_editor_save_now (session->editor);
  g_assert_false (gtk_revealer_get_reveal_child (session->wait.revealer));
}

/* Types twelve lines while the store cannot take them: the editor says so in words holding
 * @reason, keeps every word, and the store keeps what it held, whole. */
static void
editor_session_type_in_trouble (EditorSession *session,
                                const char    *reason,
                                const char    *screenshot_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineDraft) stored_draft = NULL;

  for (int i = 1; i <= 12; i++)
    {
      g_autofree char *line = g_strdup_printf (" Typed in trouble, line %d, with enough words to "
                                               "need new pages.", i);

      byline_test_run_command ("xdotool", "type", "--delay", "2", line, NULL);
    }
  g_assert_true (byline_test_wait_until (all_typed, session->editor, 10000));
  session->wait.revealed = TRUE;
  g_assert_true (byline_test_wait_until (reveal_is, &session->wait, 10000));
  g_test_message ("The bar says: %s", gtk_label_get_label (session->message));
  g_assert_nonnull (strstr (gtk_label_get_label (session->message), reason));
  g_assert_nonnull (strstr (gtk_label_get_label (session->message), "tries again"));
  screenshot (screenshot_name);
  session->typed = buffer_text (session->editor);
  g_assert_true (g_str_has_prefix (session->typed, "Before the trouble. Typed in trouble"));
  g_assert_true (g_str_has_suffix (session->typed, "line 12, with enough words to need new pages."));
  g_assert_cmpstr (byline_draft_get_body (session->draft), ==, session->typed);
  /* Every save since the trouble began has failed, the last one too (it comes at most a moment
   * after the last key). */
  byline_test_iterate_for (1500);
  g_assert_true (gtk_revealer_get_reveal_child (session->wait.revealer));
  stored_draft = byline_store_load_draft (session->store, byline_draft_get_id (session->draft),
                                          &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_draft_get_body (stored_draft), ==, "Before the trouble.");
}

/* Once the trouble is over, the next try saves everything without a key pressed; the store then
 * holds it all, whole, when opened again. */
static void
editor_session_recover (EditorSession *session,
                        const char    *title,
                        const char    *screenshot_name)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  gint64 id = byline_draft_get_id (session->draft);

  session->wait.revealed = FALSE;
  g_assert_true (byline_test_wait_until (reveal_is, &session->wait, 15000));
  screenshot (screenshot_name);
  gtk_window_destroy (GTK_WINDOW (session->window));
  g_assert_true (byline_store_close (session->store, &error));
  g_clear_object (&session->store);
  g_clear_object (&session->draft);

  session->store = byline_store_open (session->path, &error);
  g_assert_no_error (error);
  draft = byline_store_load_draft (session->store, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_draft_get_title (draft), ==, title);
  g_assert_cmpstr (byline_draft_get_body (draft), ==, session->typed);
  g_assert_true (byline_store_close (session->store, &error));
  g_clear_object (&session->store);
  g_assert_cmpint (raw_int (session->path, "SELECT count (*) FROM pragma_integrity_check "
                            "WHERE integrity_check = 'ok'"), ==, 1);
  g_free (session->path);
  g_free (session->typed);
}

/* Typing goes on while the disk is full: the editor says so, keeps every word, and saves it by
 * itself once there is room again, the store still open. */
static void
test_disk_full (void)
{
#ifdef __linux__
  g_autofree char *dir = byline_test_make_tmpdir ("small-disk");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autofree char *filler = g_build_filename (dir, "filler", NULL);
  EditorSession session = { 0 };
  char block[4096] = { 0 };
  int fd;

  if (!private_mounts)
    {
      g_test_skip ("Cannot mount a tmpfs in a private mount namespace here (needs "
                   "CAP_SYS_ADMIN)");
      return;
    }
  g_assert_cmpint (mount ("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, "size=1m"), ==, 0);
  editor_session_start (&session, path, "Disque plein");

  /* The disk fills up, for real. */
  fd = g_open (filler, O_WRONLY | O_CREAT, 0600);
  g_assert_cmpint (fd, >=, 0);
  while (write (fd, block, sizeof block) > 0)
    ;
  g_assert_cmpint (errno, ==, ENOSPC);
  g_assert_true (g_close (fd, NULL));

  editor_session_type_in_trouble (&session, "disk is full", "store-disk-full.png");
  /* Room again. */
  g_assert_cmpint (g_unlink (filler), ==, 0);
  editor_session_recover (&session, "Disque plein", "store-disk-freed.png");
  g_assert_cmpint (umount2 (dir, MNT_DETACH), ==, 0);
#else
  g_test_skip ("Mount namespaces are Linux only");
#endif
}

/* The drafts file made read-only while the editor is open on it (the immutable attribute, which
 * binds root too and takes effect on files already open): the editor says it cannot write, keeps
 * every word, and saves it by itself once the file may be written again. */
static void
test_read_only_while_running (void)
{
#ifdef __linux__
  g_autofree char *dir = byline_test_make_tmpdir ("read-only-disk");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_auto(GStrv) files = NULL;
  EditorSession session = { 0 };
  BylineTestImmutableGuard guard;
  const char *why;

  why = byline_test_why_no_immutable (dir);
  if (why != NULL)
    {
      g_test_skip (why);
      return;
    }
  editor_session_start (&session, path, "Lecture seule");

  /* The database and its write-ahead log, as SQLite keeps them open. Not the log's index (-shm):
   * SQLite writes it through a shared memory map, where a write the file refuses is a SIGBUS that
   * no program survives. */
  files = g_new0 (char *, 3);
  files[0] = g_strdup (path);
  files[1] = g_strconcat (path, "-wal", NULL);
  byline_test_immutable_guard_start (&guard, files);
  byline_test_immutable_guard_set (&guard);

  editor_session_type_in_trouble (&session, "cannot be written", "store-read-only.png");
  /* Writable again. */
  byline_test_immutable_guard_finish (&guard);
  editor_session_recover (&session, "Lecture seule", "store-read-only-over.png");
#else
  g_test_skip ("The immutable attribute is Linux only");
#endif
}

/* ---- The app on a drafts file it must not write ---- */

/* From a newer Byline: a copy is kept at once, and Alt+R reads the drafts (the newest opens, and
 * names the window) without a byte of the file changed. */
static void
test_newer_read_only (void)
{
  g_autofree char *path = dup_app_db_path ();
  g_autofree char *future = g_strdup_printf ("PRAGMA user_version = %d",
                                             BYLINE_STORE_SCHEMA_VERSION + 1);
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GBytes) kept_bytes = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *dialog = NULL;
  g_autofree char *window = NULL;

  make_app_store (3);
  raw_exec (path, future);
  before = read_bytes (path);

  app = start_app ();
  dialog = byline_test_find_window ("^Your Drafts Are From a Newer Byline$");
  screenshot ("store-newer-dialog.png");
  kept = find_beside (".kept-");
  g_assert_nonnull (kept);
  kept_bytes = read_bytes (kept);
  g_assert_true (g_bytes_equal (kept_bytes, before));

  press (dialog, "alt+r");
  window = byline_test_find_window ("^Brouillon 3 — Byline$");
  screenshot ("store-newer-read-only.png");
  /* Typing changes nothing on disk. */
  byline_test_run_command ("xdotool", "type", "--delay", "10", "Not to be saved", NULL);
  byline_test_iterate_for (1500);
  quit_app (app, window);

  after = read_bytes (path);
  g_assert_true (g_bytes_equal (after, before));
  g_assert_cmpint (raw_int (path, "PRAGMA user_version"), ==, BYLINE_STORE_SCHEMA_VERSION + 1);
}

/* Damaged (the drafts table's b-tree page overwritten): a copy is kept, and Alt+N sets the file
 * aside as it was and starts new drafts, which are saved. */
static void
test_damaged_start_new (void)
{
  static const guint8 garbage[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
  g_autofree char *path = dup_app_db_path ();
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GBytes) damaged = NULL;
  g_autoptr(GBytes) kept_bytes = NULL;
  g_autoptr(GBytes) aside_bytes = NULL;
  g_autofree char *kept = NULL;
  g_autofree char *aside = NULL;
  g_autofree char *dialog = NULL;
  g_autofree char *window = NULL;
  gint64 page_size, root;
  int fd;

  make_app_store (3);
  page_size = raw_int (path, "PRAGMA page_size");
  root = raw_int (path, "SELECT rootpage FROM sqlite_schema WHERE name = 'drafts'");
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, garbage, sizeof garbage, (root - 1) * page_size), ==,
                   sizeof garbage);
  g_assert_true (g_close (fd, NULL));
  damaged = read_bytes (path);

  app = start_app ();
  dialog = byline_test_find_window ("^Your Drafts File Is Damaged$");
  screenshot ("store-damaged-dialog.png");
  press (dialog, "alt+n");
  window = byline_test_find_window ("^Byline$");
  byline_test_run_command ("xdotool", "windowfocus", "--sync", window, NULL);
  byline_test_run_command ("xdotool", "key", "ctrl+n", NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "10", "Fresh start", NULL);
  byline_test_iterate_for (1500);
  quit_app (app, window);

  kept = find_beside (".kept-");
  aside = find_beside (".set-aside-");
  g_assert_nonnull (kept);
  g_assert_nonnull (aside);
  kept_bytes = read_bytes (kept);
  aside_bytes = read_bytes (aside);
  g_assert_true (g_bytes_equal (kept_bytes, damaged));
  g_assert_true (g_bytes_equal (aside_bytes, damaged));
  g_assert_cmpint (raw_int (path, "SELECT count (*) FROM drafts WHERE title = 'Fresh start'"),
                   ==, 1);
  g_assert_cmpint (raw_int (path, "SELECT count (*) FROM drafts"), ==, 1);
}

/* The app's data folder mounted read-only before the app starts (root ignores file modes, not a
 * read-only mount): the drafts open, a bar says why nothing can be saved, typing saves nothing
 * and changes no byte, and the app quits cleanly. */
static void
test_read_only_at_start (void)
{
#ifdef __linux__
  g_autofree char *path = dup_app_db_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *window = NULL;

  if (!private_mounts)
    {
      g_test_skip ("Cannot make a read-only bind mount in a private mount namespace here (needs "
                   "CAP_SYS_ADMIN)");
      return;
    }
  make_app_store (2);
  before = read_bytes (path);
  g_assert_cmpint (mount (dir, dir, NULL, MS_BIND, NULL), ==, 0);
  g_assert_cmpint (mount (NULL, dir, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL), ==, 0);

  app = start_app ();
  window = byline_test_find_window ("^Brouillon 2 — Byline$");
  byline_test_run_command ("xdotool", "windowfocus", "--sync", window, NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "10", "Not to be saved", NULL);
  byline_test_iterate_for (1500);
  screenshot ("store-read-only-at-start.png");
  quit_app (app, window);

  after = read_bytes (path);
  g_assert_true (g_bytes_equal (after, before));
  g_assert_cmpint (umount2 (dir, MNT_DETACH), ==, 0);
#else
  g_test_skip ("Mount namespaces are Linux only");
#endif
}

/* No store yet and a data folder that cannot be written: the dialog says so; once the folder
 * can be written, Try Again (Alt+T) starts Byline, without starting it again, on a new store. */
static void
test_try_again (void)
{
#ifdef __linux__
  g_autofree char *path = dup_app_db_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GSubprocess) app = NULL;
  g_autofree char *dialog = NULL;
  g_autofree char *window = NULL;

  if (!private_mounts)
    {
      g_test_skip ("Cannot make a read-only bind mount in a private mount namespace here (needs "
                   "CAP_SYS_ADMIN)");
      return;
    }
  byline_test_rm_rf (g_get_user_data_dir ());
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_cmpint (mount (dir, dir, NULL, MS_BIND, NULL), ==, 0);
  g_assert_cmpint (mount (NULL, dir, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL), ==, 0);

  app = start_app ();
  dialog = byline_test_find_window ("^Your Drafts Cannot Be Opened$");
  screenshot ("store-try-again-dialog.png");
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));

  g_assert_cmpint (umount2 (dir, MNT_DETACH), ==, 0);
  press (dialog, "alt+t");
  window = byline_test_find_window ("^Byline$");
  quit_app (app, window);
  g_assert_cmpint (raw_int (path, "PRAGMA user_version"), ==, BYLINE_STORE_SCHEMA_VERSION);
#else
  g_test_skip ("Mount namespaces are Linux only");
#endif
}

int
main (int   argc,
      char *argv[])
{
#ifdef __linux__
  /* Now, while this is the only thread: unshare () refuses a process whose threads share it. */
  private_mounts = geteuid () == 0 && unshare (CLONE_NEWNS) == 0 &&
                   mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0;
#endif

  byline_test_init (&argc, &argv);
  /* GTK 4.8 warns now and then that it snapshots a widget before its first allocation: GTK's
   * own harmless warning. Criticals stay fatal. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  gtk_init ();
  adw_init ();
  gtk_source_init ();

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    g_error ("test-store-recovery drives windows with xdotool and needs an X11 display (Xvfb)");

  g_test_add_func ("/ui/store/disk-full", test_disk_full);
  g_test_add_func ("/ui/store/read-only-while-running", test_read_only_while_running);
  g_test_add_func ("/ui/store/newer-read-only", test_newer_read_only);
  g_test_add_func ("/ui/store/damaged-start-new", test_damaged_start_new);
  g_test_add_func ("/ui/store/read-only-at-start", test_read_only_at_start);
  g_test_add_func ("/ui/store/try-again", test_try_again);

  return g_test_run ();
}
