/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-ui.c: the real editor and the real app, driven by keys under Xvfb with xdotool. */

#include "config.h"

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>
#include <adwaita.h>
#include <signal.h>
#include <sqlite3.h>

#include "byline-editor.h"
#include "byline-preview.h"
#include "byline-revisions-window.h"
#include "byline-test-ui-util.h"

typedef struct {
  gboolean  done;
  char     *result;
} Wait;

static gboolean
wait_done (gpointer user_data)
{
  return ((Wait *) user_data)->done;
}

static void
script_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  Wait *wait = user_data;
  g_autoptr(GError) error = NULL;

  wait->result = byline_preview_run_script_finish (BYLINE_PREVIEW (object), result, &error);
  g_assert_no_error (error);
  wait->done = TRUE;
}

static char *
run_script (BylinePreview *preview,
            const char    *script)
{
  Wait wait = { 0 };

  byline_preview_run_script (preview, script, NULL, script_cb, &wait);
  g_assert_true (byline_test_wait_until (wait_done, &wait, 10000));
  return wait.result;
}

typedef struct {
  BylinePreview *preview;
  BylineDraft   *draft;
  const char    *expected_body;
} Settled;

static gboolean
settled (gpointer user_data)
{
  Settled *s = user_data;

  return byline_preview_is_idle (s->preview)
         && (s->expected_body == NULL
             || g_str_equal (byline_draft_get_body (s->draft), s->expected_body));
}

static void
wait_settled (BylinePreview *preview,
              BylineDraft   *draft,
              const char    *expected_body)
{
  Settled s = { preview, draft, expected_body };

  if (!byline_test_wait_until (settled, &s, 20000))
    g_error ("The editor did not settle; its body is “%s”, expected “%s”",
             byline_draft_get_body (draft), expected_body);
}

/* Typing into the real GtkSourceView reaches the draft, the store and the preview's DOM, and
 * keeps the preview where the reader left it. */
static void
test_editor_typing (void)
{
  g_autofree char *dir = byline_test_make_tmpdir ("ui");
  g_autofree char *path = g_build_filename (dir, "drafts.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = byline_store_open (path, &error);
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) stored = NULL;
  g_autoptr(GString) long_text = g_string_new (NULL);
  g_autofree char *xid = NULL;
  g_autofree char *strong = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  GtkWidget *window;
  BylineEditor *editor;
  BylinePreview *preview;
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  g_assert_no_error (error);
  draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  g_assert_no_error (error);

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  editor = BYLINE_EDITOR (byline_editor_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (editor));
  gtk_window_present (GTK_WINDOW (window));
  byline_editor_set_draft (editor, store, draft);
  preview = BYLINE_PREVIEW (byline_editor_get_preview (editor));
  wait_settled (preview, draft, "");

  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                           gtk_native_get_surface (GTK_NATIVE (window))));

  /* The title, Enter, then the text with a Markdown command key in the middle. */
  byline_editor_focus_title (editor);
  byline_test_run_command ("xdotool", "windowfocus", "--sync", xid, NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "20", "Kerry in Brussels", NULL);
  byline_test_run_command ("xdotool", "key", "Return", NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "20", "Ministers met in ", NULL);
  byline_test_run_command ("xdotool", "key", "ctrl+b", NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "20", "Brussels", NULL);
  byline_test_run_command ("xdotool", "key", "End", NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "20", " today.", NULL);
  wait_settled (preview, draft, "Ministers met in **Brussels** today.");
  g_assert_cmpstr (byline_draft_get_title (draft), ==, "Kerry in Brussels");

  strong = run_script (preview, "document.querySelector('#byline-content p strong').textContent + '|' +"
                       "document.getElementById('byline-title').textContent");
  g_assert_cmpstr (strong, ==, "Brussels|Kerry in Brussels");

  /* Saved within a second of the last key. */
  byline_editor_save_now (editor);
  stored = byline_store_load_draft (store, byline_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_draft_get_body (stored), ==, "Ministers met in **Brussels** today.");

  /* A long draft: with the cursor on a block the preview shows, typing does not move the view. */
  for (int i = 0; i < 300; i++)
    g_string_append_printf (long_text, "Paragraph %d of the NATO meeting report.\n\n", i);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (byline_editor_get_source_view (editor)));
  gtk_text_buffer_set_text (buffer, long_text->str, -1);
  gtk_text_buffer_get_iter_at_line (buffer, &iter, 400);
  gtk_text_iter_forward_to_line_end (&iter);
  gtk_text_buffer_place_cursor (buffer, &iter);
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (byline_editor_get_source_view (editor)),
                                gtk_text_buffer_get_insert (buffer), 0.0, TRUE, 0.0, 0.5);
  for (int i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  wait_settled (preview, draft, long_text->str);
  /* The reader puts the edited paragraph a little below the top of the preview. */
  before = run_script (preview,
                       "var block = document.getElementById('byline-content').children[200];"
                       "window.scrollTo(0, block.getBoundingClientRect().top + window.scrollY"
                       " - 150);"
                       "String(window.scrollY)");
  g_assert_cmpint (atoi (before), >, 1000);

  byline_test_run_command ("xdotool", "type", "--delay", "20", " Update", NULL);
  g_string_insert (long_text, strstr (long_text->str, "Paragraph 200 of the NATO meeting report.")
                   - long_text->str + strlen ("Paragraph 200 of the NATO meeting report."),
                   " Update");
  wait_settled (preview, draft, long_text->str);
  after = run_script (preview, "String(window.scrollY)");
  g_assert_cmpstr (after, ==, before);

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (byline_store_close (store, &error));
}

/* The revisions window as the editor opens it: the text of the revision selected, read when it is
 * selected (one that has gone meanwhile says so), browsed with the arrow keys, restored with
 * Alt+R. */
typedef struct {
  GtkTextBuffer *buffer;
  const char    *text;
} BufferWait;

static gboolean
buffer_has (gpointer user_data)
{
  BufferWait *wait = user_data;
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (wait->buffer, &start, &end);
  text = gtk_text_buffer_get_text (wait->buffer, &start, &end, FALSE);
  return g_str_equal (text, wait->text);
}

static void
wait_for_text (GtkTextBuffer *buffer,
               const char    *text)
{
  BufferWait wait = { buffer, text };

  if (!byline_test_wait_until (buffer_has, &wait, 10000))
    {
      GtkTextIter start, end;
      g_autofree char *shown = NULL;
      g_autofree char *shown_escaped = NULL;
      g_autofree char *text_escaped = g_strescape (text, NULL);

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      shown = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      shown_escaped = g_strescape (shown, NULL);
      g_error ("The revisions window shows “%s”, not “%s”", shown_escaped, text_escaped);
    }
}

static gboolean
revisions_window_shown (gpointer user_data)
{
  GtkWindow **found = user_data;
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (BYLINE_IS_REVISIONS_WINDOW (window) && gtk_widget_get_mapped (GTK_WIDGET (window)))
        {
          *found = window;
          return TRUE;
        }
    }
  *found = NULL;
  return FALSE;
}

static gboolean
revisions_window_gone (gpointer user_data)
{
  GtkWindow *found = NULL;

  return !revisions_window_shown (&found);
}

static gboolean
is_restore_button (GtkWidget     *widget,
                   gconstpointer  data)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                       "revisions.restore") == 0;
}

static void
test_editor_revisions (void)
{
  g_autofree char *dir = byline_test_make_tmpdir ("ui");
  g_autofree char *path = g_build_filename (dir, "drafts.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = byline_store_open (path, &error);
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(BylineRevision) kept = NULL;
  g_autofree char *xid = NULL;
  g_autofree char *revisions_xid = NULL;
  g_autofree char *sql = NULL;
  const char * const versions[] = { "Version one", "Version two, longer", "Version three" };
  GtkWindow *revisions_window = NULL;
  GtkWidget *window;
  GtkWidget *restore_button;
  GtkListBox *list;
  GtkTextBuffer *shown;
  BylineEditor *editor;
  BylinePreview *preview;
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  g_assert_no_error (error);
  byline_draft_set_title (draft, "Kerry in Brussels");
  for (guint i = 0; i < G_N_ELEMENTS (versions); i++)
    {
      byline_draft_set_body (draft, versions[i]);
      g_assert_true (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));
      g_assert_no_error (error);
    }

  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  editor = BYLINE_EDITOR (byline_editor_new ());
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (editor));
  gtk_window_present (GTK_WINDOW (window));
  byline_editor_set_draft (editor, store, draft);
  preview = BYLINE_PREVIEW (byline_editor_get_preview (editor));
  wait_settled (preview, draft, "Version three");

  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                           gtk_native_get_surface (GTK_NATIVE (window))));
  byline_editor_focus_body (editor);
  byline_test_run_command ("xdotool", "windowfocus", "--sync", xid, NULL);
  byline_test_run_command ("xdotool", "key", "ctrl+shift+h", NULL);
  g_assert_true (byline_test_wait_until (revisions_window_shown, &revisions_window, 10000));

  /* Every revision listed, the newest selected and its text shown. */
  list = byline_test_find_widget (GTK_WIDGET (revisions_window), GTK_TYPE_LIST_BOX);
  g_assert_nonnull (gtk_list_box_get_row_at_index (list, 2));
  g_assert_null (gtk_list_box_get_row_at_index (list, 3));
  shown = gtk_text_view_get_buffer (byline_test_find_widget (GTK_WIDGET (revisions_window),
                                                             GTK_SOURCE_TYPE_VIEW));
  restore_button = byline_test_find_descendant (GTK_WIDGET (revisions_window), is_restore_button,
                                                NULL);
  g_assert_nonnull (restore_button);
  wait_for_text (shown, "# Kerry in Brussels\n\nVersion three");
  g_assert_true (gtk_widget_get_sensitive (restore_button));

  revisions_xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                                     gtk_native_get_surface (GTK_NATIVE (revisions_window))));
  byline_test_run_command ("xdotool", "windowfocus", "--sync", revisions_xid, NULL);
  byline_test_run_command ("xdotool", "key", "Down", NULL);
  wait_for_text (shown, "# Kerry in Brussels\n\nVersion two, longer");

  /* The oldest goes (thinned, say) while the window lists it: selecting it says so, and it
   * cannot be restored. */
  revisions = byline_store_list_revisions (store, byline_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, ==, 3);
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sql = g_strdup_printf ("DELETE FROM revisions WHERE id = %" G_GINT64_FORMAT,
                         byline_revision_get_id (g_ptr_array_index (revisions, 2)));
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  byline_test_run_command ("xdotool", "key", "Down", NULL);
  wait_for_text (shown, "");
  g_assert_false (gtk_widget_get_sensitive (restore_button));

  /* Back up, and Alt+R puts that version in the editor and closes the window. */
  byline_test_run_command ("xdotool", "key", "Up", NULL);
  wait_for_text (shown, "# Kerry in Brussels\n\nVersion two, longer");
  g_assert_true (gtk_widget_get_sensitive (restore_button));
  byline_test_run_command ("xdotool", "key", "alt+r", NULL);
  g_assert_true (byline_test_wait_until (revisions_window_gone, NULL, 10000));
  wait_settled (preview, draft, "Version two, longer");

  /* What the draft held before is kept as a revision. */
  g_clear_pointer (&revisions, g_ptr_array_unref);
  revisions = byline_store_list_revisions (store, byline_draft_get_id (draft), &error);
  g_assert_no_error (error);
  g_assert_cmpint (byline_revision_get_kind (g_ptr_array_index (revisions, 0)), ==,
                   BYLINE_REVISION_KIND_RESTORE);
  kept = byline_store_load_revision (store, byline_revision_get_id (g_ptr_array_index (revisions,
                                                                                       0)),
                                     &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_revision_get_body (kept), ==, "Version three");

  gtk_window_destroy (GTK_WINDOW (window));
  g_assert_true (byline_store_close (store, &error));
}

/* Starts the real app; with @default_renderer, as a person would, without the tests'
 * GSK_RENDERER. */
static GSubprocess *
start_app_full (gboolean default_renderer)
{
  g_autofree char *app = g_test_build_filename (G_TEST_BUILT, "..", "src", "byline", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GError) error = NULL;
  GSubprocess *process;

  if (default_renderer)
    g_subprocess_launcher_unsetenv (launcher, "GSK_RENDERER");
  process = g_subprocess_launcher_spawn (launcher, &error, app, NULL);
  g_assert_no_error (error);
  return process;
}

static GSubprocess *
start_app (void)
{
  return start_app_full (FALSE);
}

static char *
query_newest (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *result = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT title || '|' || body FROM drafts "
                                       "WHERE deleted_at IS NULL ORDER BY modified_at DESC LIMIT 1",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return result;
}

/* The real app: a new draft typed with keys survives a kill -9, and the next start says so. */
static void
test_app_survives_kill (void)
{
  g_autofree char *db = g_build_filename (g_get_user_data_dir (), APP_ID, "byline.db", NULL);
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wid = NULL;
  g_autofree char *newest = NULL;
  g_autofree char *restored = NULL;

  first = start_app ();
  wid = byline_test_find_window ("^Byline$");
  byline_test_run_command ("xdotool", "windowfocus", "--sync", wid, NULL);
  byline_test_run_command ("xdotool", "key", "ctrl+n", NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "20", "Survives a crash", NULL);
  byline_test_run_command ("xdotool", "key", "Return", NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "20", "Typed before the kill.", NULL);
  /* The autosave writes within a second of the last key. */
  for (int i = 0; i < 150; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10000);
    }
  g_subprocess_send_signal (first, SIGKILL);
  g_subprocess_wait (first, NULL, &error);
  g_assert_no_error (error);

  newest = query_newest (db);
  g_assert_cmpstr (newest, ==, "Survives a crash|Typed before the kill.");

  /* The next start opens the newest draft, whose title names the window. */
  second = start_app ();
  g_free (wid);
  wid = byline_test_find_window ("^Survives a crash .* Byline$");
  byline_test_run_command ("xdotool", "windowfocus", "--sync", wid, NULL);
  byline_test_run_command ("xdotool", "key", "ctrl+q", NULL);
  g_subprocess_wait_check (second, NULL, &error);
  g_assert_no_error (error);

  restored = query_newest (db);
  g_assert_cmpstr (restored, ==, "Survives a crash|Typed before the kill.");
}

/* The ids of @pid's descendants whose name starts with @comm. */
static GArray *
find_descendants (GPid        pid,
                  const char *comm)
{
  g_autoptr(GArray) parents = g_array_new (FALSE, FALSE, sizeof (GPid));
  GArray *found = g_array_new (FALSE, FALSE, sizeof (GPid));

  g_array_append_val (parents, pid);
  for (guint i = 0; i < parents->len; i++)
    {
      g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
      const char *name;

      while ((name = g_dir_read_name (proc)) != NULL)
        {
          g_autofree char *status_path = g_build_filename ("/proc", name, "status", NULL);
          g_autofree char *status = NULL;
          g_autofree char *wanted = g_strdup_printf ("\nPPid:\t%d\n",
                                                     g_array_index (parents, GPid, i));
          GPid child;

          if (!g_file_get_contents (status_path, &status, NULL, NULL) ||
              strstr (status, wanted) == NULL)
            continue;
          child = (GPid) g_ascii_strtoll (name, NULL, 10);
          g_array_append_val (parents, child);
          if (g_str_has_prefix (status, "Name:\t") &&
              g_str_has_prefix (status + strlen ("Name:\t"), comm))
            g_array_append_val (found, child);
        }
    }
  return found;
}

static gboolean
process_maps (GPid        pid,
              const char *library)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/maps", pid);
  g_autofree char *maps = NULL;
  g_autoptr(GError) error = NULL;

  g_file_get_contents (path, &maps, NULL, &error);
  g_assert_no_error (error);
  return strstr (maps, library) != NULL;
}

static gboolean
has_render_node (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

/* The real app on a machine without a GPU: the window's process never loads Mesa's OpenGL (it
 * draws with cairo), while the preview's web process, started with the environment put back,
 * does and stays up showing the draft. */
static void
test_app_without_gpu_loads_no_gl (void)
{
  g_autoptr(GSubprocess) app = NULL;
  g_autoptr(GArray) web_processes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wid = NULL;
  g_autofree char *web_environ = NULL;
  gsize environ_length = 0;
  gboolean app_maps_mesa, app_maps_llvm, web_maps_mesa = FALSE;
  GPid app_pid, web_pid = 0;

  if (has_render_node ())
    {
      g_test_skip ("This machine has a GPU (a DRM render node): OpenGL is used there");
      return;
    }

  app = start_app_full (TRUE);
  app_pid = (GPid) g_ascii_strtoll (g_subprocess_get_identifier (app), NULL, 10);
  wid = byline_test_find_window ("Byline$");
  byline_test_run_command ("xdotool", "windowfocus", "--sync", wid, NULL);
  byline_test_run_command ("xdotool", "key", "ctrl+n", NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "20", "Without a GPU", NULL);
  byline_test_run_command ("xdotool", "key", "Return", NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "20", "The preview shows this.", NULL);

  /* The web process starts once the window has drawn; it must still be the same one later (a
   * web process without OpenGL would crash, and the preview start another). */
  for (int i = 0; i < 500 && web_pid == 0; i++)
    {
      g_autoptr(GArray) found = find_descendants (app_pid, "WebKitWebProces");

      if (found->len > 0)
        web_pid = g_array_index (found, GPid, 0);
      else
        g_usleep (20000);
    }
  g_usleep (2 * G_USEC_PER_SEC);
  web_processes = find_descendants (app_pid, "WebKitWebProces");
  app_maps_mesa = process_maps (app_pid, "libEGL_mesa");
  app_maps_llvm = process_maps (app_pid, "libLLVM");
  if (web_pid != 0 && web_processes->len == 1 &&
      g_array_index (web_processes, GPid, 0) == web_pid)
    {
      g_autofree char *path = g_strdup_printf ("/proc/%d/environ", web_pid);

      web_maps_mesa = process_maps (web_pid, "libEGL_mesa");
      g_file_get_contents (path, &web_environ, &environ_length, &error);
      g_assert_no_error (error);
    }

  /* Closed before anything is asserted, so that a failure does not leave it running. */
  byline_test_run_command ("xdotool", "windowfocus", "--sync", wid, NULL);
  byline_test_run_command ("xdotool", "key", "ctrl+q", NULL);
  g_subprocess_wait_check (app, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (web_pid, !=, 0);
  g_assert_cmpuint (web_processes->len, ==, 1);
  g_assert_cmpint (g_array_index (web_processes, GPid, 0), ==, web_pid);
  g_assert_false (app_maps_mesa);
  g_assert_false (app_maps_llvm);
  g_assert_true (web_maps_mesa);
  for (const char *variable = web_environ; variable < web_environ + environ_length;
       variable += strlen (variable) + 1)
    {
      g_assert_false (g_str_has_prefix (variable, "__EGL_VENDOR_LIBRARY_FILENAMES="));
      g_assert_false (g_str_has_prefix (variable, "GDK_DEBUG="));
    }
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);
  /* GTK 4.8 warns now and then that it snapshots a widget (a popover's GtkGizmo) before its first
   * allocation: GTK's own harmless warning, which no handler can filter from structured logging.
   * Criticals stay fatal. */
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  gtk_init ();
  adw_init ();
  gtk_source_init ();

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    g_error ("test-ui drives windows with xdotool and needs an X11 display (Xvfb)");

  g_test_add_func ("/ui/editor/typing", test_editor_typing);
  g_test_add_func ("/ui/editor/revisions", test_editor_revisions);
  g_test_add_func ("/ui/app/survives-kill", test_app_survives_kill);
  g_test_add_func ("/ui/app/without-gpu-loads-no-gl", test_app_without_gpu_loads_no_gl);

  return g_test_run ();
}
