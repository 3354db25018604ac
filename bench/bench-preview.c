/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-preview.c: times the live preview (first render, typing, full reloads) and its memory. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <adwaita.h>
#include <glib/gstdio.h>
#include <gtksourceview/gtksource.h>
#include <webkit/webkit.h>

#include "bench-document.h"
#include "byline-editor.h"
#include "byline-markdown.h"
#include "byline-preview.h"
#include "byline-store.h"
#include "byline-text-stats.h"

#define N_KEYSTROKES        100
#define N_RELOADS           20
#define KEYSTROKE_GAP_MS    30
#define UPDATE_TIMEOUT_MS   5000
/* The first page load also starts WebKit's processes: it gets more time than an update. */
#define FIRST_RENDER_TIMEOUT_MS 20000
#define SETTLE_MS           500
#define SCROLL_ATTEMPTS     30
#define WINDOW_WIDTH        1400
#define WINDOW_HEIGHT       900
#define WEB_PROCESS         "WebKitWebProcess"

/* What is typed at the cursor, one character a sample, over and over. */
static const char typed_text[] = " and officials said the vote would come later this week";

/* The process's start, its entry into main() and the end of toolkit initialisation, on the
 * g_get_monotonic_time () clock. */
static gint64 process_start_us;
static gint64 main_entered_us;
static gint64 toolkit_ready_us;

typedef struct {
  BylinePreview *preview;
  guint          updates;
  /* The value of @updates when a keystroke was typed, and when the first update after it came. */
  guint          mark;
  gint64         first_update_us;
  /* When the page template finished loading. */
  gint64         loaded_us;
} Watch;

typedef struct {
  gboolean  done;
  char     *result;
  GError   *error;
} ScriptWait;

typedef gboolean (*Condition) (gpointer user_data);

G_GNUC_NORETURN
G_GNUC_PRINTF (1, 2) static void
fail (const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  fputs ("bench-preview: error: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  exit (1);
}

/* Waiting ------------------------------------------------------------------------------------- */

static gboolean
set_flag_cb (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context (sleeping in it, not spinning) until @condition holds or @timeout_ms
 * have passed; returns whether it holds. */
static gboolean
wait_until (Condition condition,
            gpointer  user_data,
            guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add (timeout_ms, set_flag_cb, &timed_out);

  while (!condition (user_data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  return condition (user_data);
}

static gboolean
never (gpointer user_data)
{
  return FALSE;
}

static void
pause_ms (guint ms)
{
  wait_until (never, NULL, ms);
}

static gboolean
preview_idle (gpointer user_data)
{
  Watch *watch = user_data;

  return byline_preview_is_idle (watch->preview);
}

static void
preview_updated_cb (BylinePreview *preview,
                    Watch         *watch)
{
  if (watch->updates == watch->mark)
    watch->first_update_us = g_get_monotonic_time ();
  watch->updates++;
}

static void
load_changed_cb (WebKitWebView   *web_view,
                 WebKitLoadEvent  event,
                 Watch           *watch)
{
  if (event == WEBKIT_LOAD_FINISHED && watch->loaded_us == 0)
    watch->loaded_us = g_get_monotonic_time ();
}

static void
wait_idle_or_fail (Watch      *watch,
                   guint       timeout_ms,
                   const char *what)
{
  if (!wait_until (preview_idle, watch, timeout_ms))
    fail ("the preview did not become idle within %.1f s (%s)", timeout_ms / 1000.0, what);
}

static gboolean
script_done (gpointer user_data)
{
  ScriptWait *wait = user_data;

  return wait->done;
}

static void
script_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  ScriptWait *wait = user_data;

  wait->result = byline_preview_run_script_finish (BYLINE_PREVIEW (object), result, &wait->error);
  wait->done = TRUE;
}

/* Runs @script in the preview and returns its result, or NULL with @error set. */
static char *
run_script (BylinePreview *preview,
            const char    *script,
            GError       **error)
{
  ScriptWait wait = { FALSE, NULL, NULL };

  byline_preview_run_script (preview, script, NULL, script_done_cb, &wait);
  if (!wait_until (script_done, &wait, UPDATE_TIMEOUT_MS))
    fail ("a preview script got no answer within %.1f s", UPDATE_TIMEOUT_MS / 1000.0);
  if (wait.error != NULL)
    g_propagate_error (error, wait.error);
  return wait.result;
}

/* Statistics ---------------------------------------------------------------------------------- */

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

typedef struct {
  double median;
  double p95;
  double min;
  double max;
} Summary;

/* Sorts @samples (microseconds) and summarises them in milliseconds; p95 is the nearest rank. */
static Summary
summarise (GArray *samples)
{
  Summary summary = { 0, 0, 0, 0 };
  guint n = samples->len;
  gint64 *values;

  if (n == 0)
    return summary;
  g_array_sort (samples, compare_gint64);
  values = (gint64 *) (gpointer) samples->data;
  summary.median = (n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0) / 1000.0;
  summary.p95 = values[MIN (n - 1, (guint) ((n * 95 + 99) / 100) - 1)] / 1000.0;
  summary.min = values[0] / 1000.0;
  summary.max = values[n - 1] / 1000.0;
  return summary;
}

/* /proc --------------------------------------------------------------------------------------- */

/* The value of "@key:" in /proc/@pid/status (kB for the memory fields), or 0. */
static guint64
read_status_field (const char *pid,
                   const char *key)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/status", pid);
  g_autofree char *contents = NULL;
  g_autofree char *needle = g_strdup_printf ("\n%s:", key);
  const char *found;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return 0;
  found = strstr (contents, needle);
  if (found == NULL)
    return 0;
  return g_ascii_strtoull (found + strlen (needle), NULL, 10);
}

/* Whether @pid's chain of parents reaches this process. */
static gboolean
descends_from_us (guint64 pid)
{
  guint64 self = (guint64) getpid ();

  for (guint depth = 0; depth < 64 && pid > 1; depth++)
    {
      g_autofree char *name = g_strdup_printf ("%" G_GUINT64_FORMAT, pid);

      pid = read_status_field (name, "PPid");
      if (pid == self)
        return TRUE;
    }
  return FALSE;
}

/* Our descendants whose program is @program: a map from their pid to their VmRSS (KiB). */
static GHashTable *
find_descendants (const char *program)
{
  GHashTable *found = g_hash_table_new (g_direct_hash, g_direct_equal);
  g_autoptr(GDir) proc = g_dir_open ("/proc", 0, NULL);
  const char *name;

  while (proc != NULL && (name = g_dir_read_name (proc)) != NULL)
    {
      g_autofree char *cmdline_path = NULL;
      g_autofree char *cmdline = NULL;
      g_autofree char *base = NULL;
      guint64 pid;
      gsize length;

      if (!g_ascii_isdigit (name[0]))
        continue;
      cmdline_path = g_strdup_printf ("/proc/%s/cmdline", name);
      /* argv[0] only: bwrap's own command line names the program it starts. */
      if (!g_file_get_contents (cmdline_path, &cmdline, &length, NULL) || length == 0)
        continue;
      base = g_path_get_basename (cmdline);
      pid = g_ascii_strtoull (name, NULL, 10);
      if (!g_str_equal (base, program) || !descends_from_us (pid))
        continue;
      g_hash_table_insert (found, GSIZE_TO_POINTER (pid),
                           GSIZE_TO_POINTER (read_status_field (name, "VmRSS")));
    }
  return found;
}

/* "N MiB (n processes: a MiB started for this window, b MiB older)", with the processes that
 * were not running before the window (in @before) told apart. */
static char *
describe_web_processes (GHashTable *before)
{
  g_autoptr(GHashTable) now = find_descendants (WEB_PROCESS);
  GHashTableIter iter;
  gpointer pid, rss;
  guint64 total = 0, new_total = 0;
  guint n_new = 0;

  g_hash_table_iter_init (&iter, now);
  while (g_hash_table_iter_next (&iter, &pid, &rss))
    {
      total += GPOINTER_TO_SIZE (rss);
      if (!g_hash_table_contains (before, pid))
        {
          new_total += GPOINTER_TO_SIZE (rss);
          n_new++;
        }
    }
  if (g_hash_table_size (now) == n_new)
    return g_strdup_printf ("%.1f MiB (%u process%s)", total / 1024.0, n_new,
                            n_new == 1 ? "" : "es");
  return g_strdup_printf ("%.1f MiB (%u processes: %.1f MiB in %u started for this window, "
                          "%.1f MiB in %u older)", total / 1024.0, g_hash_table_size (now),
                          new_total / 1024.0, n_new, (total - new_total) / 1024.0,
                          g_hash_table_size (now) - n_new);
}

/* When this process started, on the g_get_monotonic_time () clock (a 1/CLK_TCK resolution). */
static gint64
read_process_start_us (void)
{
  g_autofree char *contents = NULL;
  g_auto(GStrv) fields = NULL;
  struct timespec boot_now;
  gint64 monotonic_now;
  guint64 start_ticks;
  const char *after_name;
  long ticks_per_second = sysconf (_SC_CLK_TCK);

  if (!g_file_get_contents ("/proc/self/stat", &contents, NULL, NULL)
      || (after_name = strrchr (contents, ')')) == NULL)
    return 0;
  /* After "pid (comm) ", the fields start at 3 (state); starttime is field 22. */
  fields = g_strsplit (after_name + 2, " ", 0);
  if (g_strv_length (fields) < 20 || ticks_per_second <= 0)
    return 0;
  start_ticks = g_ascii_strtoull (fields[22 - 3], NULL, 10);

  clock_gettime (CLOCK_BOOTTIME, &boot_now);
  monotonic_now = g_get_monotonic_time ();
  return monotonic_now - ((gint64) boot_now.tv_sec * G_USEC_PER_SEC + boot_now.tv_nsec / 1000
                          - (gint64) (start_ticks * G_USEC_PER_SEC / (guint64) ticks_per_second));
}

/* The benchmark ------------------------------------------------------------------------------ */

static void
append_js_string (GString    *script,
                  const char *text)
{
  g_string_append_c (script, '"');
  for (const char *p = text; *p; p++)
    {
      guchar c = (guchar) *p;

      if (c == '"' || c == '\\')
        g_string_append_printf (script, "\\%c", c);
      else if (c == '\n')
        g_string_append (script, "\\n");
      else if (c < 0x20)
        g_string_append_printf (script, "\\u%04x", c);
      else if (c == 0xe2 && (guchar) p[1] == 0x80
               && ((guchar) p[2] == 0xa8 || (guchar) p[2] == 0xa9))
        {
          g_string_append_printf (script, "\\u%04x", (guchar) p[2] == 0xa8 ? 0x2028 : 0x2029);
          p += 2;
        }
      else
        g_string_append_c (script, (char) c);
    }
  g_string_append_c (script, '"');
}

/* Puts the cursor at the end of a word in the middle of a prose paragraph near the middle of the
 * document; returns the paragraph's line. */
static int
place_cursor_mid_document (GtkTextBuffer *buffer)
{
  int lines = gtk_text_buffer_get_line_count (buffer);

  for (int line = lines / 2; line < lines; line++)
    {
      GtkTextIter start, end, middle;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_iter_at_line (buffer, &start, line);
      end = start;
      if (!gtk_text_iter_ends_line (&end))
        gtk_text_iter_forward_to_line_end (&end);
      text = gtk_text_iter_get_text (&start, &end);
      if (strlen (text) < 300 || !g_ascii_isupper (text[0]))
        continue;

      middle = start;
      gtk_text_iter_forward_chars (&middle, gtk_text_iter_get_line_offset (&end) / 2);
      if (!gtk_text_iter_ends_word (&middle))
        gtk_text_iter_forward_word_end (&middle);
      gtk_text_buffer_place_cursor (buffer, &middle);
      return line;
    }
  fail ("found no prose paragraph in the second half of the document");
}

static gboolean
cursor_in_view (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GdkRectangle visible, cursor;
  GtkTextIter iter;

  gtk_text_view_get_visible_rect (view, &visible);
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  gtk_text_view_get_iter_location (view, &iter, &cursor);
  return visible.height > 0 && cursor.y >= visible.y
         && cursor.y + cursor.height <= visible.y + visible.height;
}

static void
report_latency (const char *what,
                guint       words,
                GArray     *samples,
                const char *unit)
{
  Summary s = summarise (samples);

  printf ("%s, %u words: median %.1f ms, p95 %.1f ms, min %.1f ms, max %.1f ms (%u %s)\n",
          what, words, s.median, s.p95, s.min, s.max, samples->len, unit);
}

/* Warns unless the page shows what was typed: the latencies above must be those of real updates. */
static void
check_typed_text_shown (BylinePreview *preview)
{
  g_autoptr(GString) typed = g_string_new (NULL);
  g_autoptr(GString) script = g_string_new ("document.getElementById('byline-content')"
                                            ".textContent.includes(");
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = NULL;

  for (guint i = 0; i < N_KEYSTROKES; i++)
    g_string_append_c (typed, typed_text[i % (sizeof typed_text - 1)]);
  append_js_string (script, typed->str);
  g_string_append (script, ") ? 'yes' : 'no'");
  shown = run_script (preview, script->str, &error);
  if (shown == NULL)
    fail ("could not read the preview: %s", error->message);
  if (!g_str_equal (shown, "yes"))
    g_printerr ("bench-preview: warning: the preview does not show the text typed\n");
}

static gboolean
weak_pointer_cleared (gpointer user_data)
{
  return *(gpointer *) user_data == NULL;
}

static void
bench_document (BylineStore *store,
                guint        target_words,
                gboolean     first_window)
{
  g_autofree char *body = bench_document_generate (target_words);
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) blocks = NULL;
  g_autoptr(GArray) keystrokes = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) patches = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) reloads = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *html = NULL;
  g_autofree char *elements_before = NULL;
  g_autofree char *elements_after = NULL;
  g_autoptr(GString) reload_script = NULL;
  Watch watch = { NULL, 0, 0, 0, 0 };
  GtkWidget *window;
  GtkWidget *editor;
  GtkWidget *source_view;
  GtkTextBuffer *buffer;
  gint64 window_start_us;
  gint64 first_render_us;
  guint words = byline_text_stats_count_words (body, -1);
  g_autoptr(GHashTable) web_before = NULL;
  g_autofree char *web_memory = NULL;
  guint failed_reloads = 0;
  guint updates_typed = 0;
  int line;

  draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  if (draft == NULL)
    fail ("could not create a draft: %s", error->message);
  byline_draft_set_title (draft, "Council passes revised budget after long debate");
  byline_draft_set_author (draft, "Staff reporter");
  byline_draft_set_body (draft, body);
  if (!byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error))
    fail ("could not save the draft: %s", error->message);

  web_before = find_descendants (WEB_PROCESS);
  /* Cold start: a new window, editor and preview (so a new page), until the draft is shown. */
  window_start_us = g_get_monotonic_time ();
  window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (window), "Byline preview benchmark");
  gtk_window_set_default_size (GTK_WINDOW (window), WINDOW_WIDTH, WINDOW_HEIGHT);
  editor = byline_editor_new ();
  watch.preview = BYLINE_PREVIEW (byline_editor_get_preview (BYLINE_EDITOR (editor)));
  g_signal_connect (watch.preview, "updated", G_CALLBACK (preview_updated_cb), &watch);
  g_signal_connect (byline_preview_get_web_view (watch.preview), "load-changed",
                    G_CALLBACK (load_changed_cb), &watch);
  gtk_window_set_child (GTK_WINDOW (window), editor);
  gtk_window_present (GTK_WINDOW (window));
  byline_editor_set_draft (BYLINE_EDITOR (editor), store, draft);

  wait_idle_or_fail (&watch, FIRST_RENDER_TIMEOUT_MS, "first render");
  first_render_us = g_get_monotonic_time ();

  html = byline_markdown_render_html (body, -1);
  blocks = byline_markdown_render_blocks (body, -1);
  printf ("document, %u words: %.1f KB of Markdown, %.1f KB of HTML, %u blocks\n", words,
          strlen (body) / 1000.0, strlen (html) / 1000.0, blocks->len);
  printf ("cold start to first rendered preview, %u words: %.0f ms from window creation "
          "(page template loaded after %.0f ms, draft patched in and laid out %.0f ms later; %s)\n",
          words, (first_render_us - window_start_us) / 1000.0,
          (watch.loaded_us - window_start_us) / 1000.0,
          (first_render_us - watch.loaded_us) / 1000.0,
          first_window ? "first window" : "second window, WebKit already running");
  if (first_window && process_start_us > 0)
    printf ("cold start to first rendered preview from process start, %u words: %.0f ms "
            "(exec to main %.0f ms, toolkit init %.0f ms, document and store %.0f ms, "
            "window to preview %.0f ms)\n",
            words, (first_render_us - process_start_us) / 1000.0,
            (main_entered_us - process_start_us) / 1000.0,
            (toolkit_ready_us - main_entered_us) / 1000.0,
            (window_start_us - toolkit_ready_us) / 1000.0,
            (first_render_us - window_start_us) / 1000.0);
  fflush (stdout);

  elements_before = run_script (watch.preview,
                                "document.getElementById('byline-content').childElementCount",
                                &error);
  if (elements_before == NULL)
    fail ("could not read the preview: %s", error->message);

  /* Typing in the middle of the document, with that paragraph in view. */
  source_view = byline_editor_get_source_view (BYLINE_EDITOR (editor));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (source_view));
  byline_editor_focus_body (BYLINE_EDITOR (editor));
  line = place_cursor_mid_document (buffer);
  /* The text view lays a long buffer out bit by bit, so a scroll can land short at first. */
  for (guint attempt = 0; !cursor_in_view (GTK_TEXT_VIEW (source_view)); attempt++)
    {
      if (attempt == SCROLL_ATTEMPTS)
        {
          g_printerr ("bench-preview: warning: could not scroll the cursor (line %d) into view\n",
                      line);
          break;
        }
      gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (source_view),
                                    gtk_text_buffer_get_insert (buffer), 0.0, TRUE, 0.0, 0.5);
      pause_ms (100);
    }
  pause_ms (SETTLE_MS);
  wait_idle_or_fail (&watch, UPDATE_TIMEOUT_MS, "after placing the cursor");

  for (guint i = 0; i < N_KEYSTROKES; i++)
    {
      gint64 start_us, latency_us, patch_us;

      wait_idle_or_fail (&watch, UPDATE_TIMEOUT_MS, "before a keystroke");
      watch.mark = watch.updates;

      start_us = g_get_monotonic_time ();
      gtk_text_buffer_begin_user_action (buffer);
      gtk_text_buffer_insert_at_cursor (buffer, &typed_text[i % (sizeof typed_text - 1)], 1);
      gtk_text_buffer_end_user_action (buffer);
      /* The changed handler has already sent the patch, so the preview is not idle now. */
      if (!wait_until (preview_idle, &watch, UPDATE_TIMEOUT_MS) || watch.updates == watch.mark)
        fail ("the preview did not update within %.1f s of keystroke %u (%u words)",
              UPDATE_TIMEOUT_MS / 1000.0, i + 1, words);
      latency_us = g_get_monotonic_time () - start_us;
      patch_us = watch.first_update_us - start_us;
      g_array_append_val (keystrokes, latency_us);
      g_array_append_val (patches, patch_us);
      updates_typed += watch.updates - watch.mark;
      pause_ms (KEYSTROKE_GAP_MS);
    }
  check_typed_text_shown (watch.preview);
  report_latency ("preview keystroke latency", words, keystrokes, "keystrokes");
  report_latency ("preview keystroke to first \"updated\"", words, patches, "keystrokes");
  printf ("preview updates per keystroke, %u words: %.2f\n", words,
          (double) updates_typed / N_KEYSTROKES);

  web_memory = describe_web_processes (web_before);
  printf ("memory, %u words: UI process VmRSS %.1f MiB, WebKit web processes VmRSS %s\n", words,
          read_status_field ("self", "VmRSS") / 1024.0, web_memory);
  fflush (stdout);

  /* For comparison: replacing the whole body, as a preview without patches would. */
  g_free (html);
  html = byline_markdown_render_html (byline_draft_get_body (draft), -1);
  reload_script = g_string_new ("document.getElementById('byline-content').innerHTML = ");
  append_js_string (reload_script, html);
  g_string_append (reload_script, "; document.documentElement.scrollHeight;");
  for (guint i = 0; i < N_RELOADS; i++)
    {
      g_autoptr(GError) script_error = NULL;
      g_autofree char *height = NULL;
      gint64 start_us = g_get_monotonic_time ();

      height = run_script (watch.preview, reload_script->str, &script_error);
      if (height == NULL)
        {
          g_printerr ("bench-preview: warning: full reload %u failed: %s\n", i + 1,
                      script_error->message);
          failed_reloads++;
        }
      else
        {
          gint64 reload_us = g_get_monotonic_time () - start_us;

          g_array_append_val (reloads, reload_us);
        }
      pause_ms (KEYSTROKE_GAP_MS);
    }
  {
    Summary s = summarise (reloads);

    printf ("full reload (innerHTML of the whole body), %u words: median %.1f ms, p95 %.1f ms "
            "(%u runs%s)\n", words, s.median, s.p95, reloads->len,
            failed_reloads > 0 ? ", some failed" : "");
  }
  fflush (stdout);

  /* Back to a patched page: the editor and preview only reload a draft they are not showing. */
  byline_editor_set_draft (BYLINE_EDITOR (editor), store, NULL);
  byline_editor_set_draft (BYLINE_EDITOR (editor), store, draft);
  wait_idle_or_fail (&watch, UPDATE_TIMEOUT_MS, "restoring the draft");
  elements_after = run_script (watch.preview,
                               "document.getElementById('byline-content').childElementCount",
                               &error);
  if (elements_after == NULL)
    fail ("could not read the preview: %s", error->message);
  if (!g_str_equal (elements_before, elements_after))
    g_printerr ("bench-preview: warning: the restored preview has %s elements, not %s\n",
                elements_after, elements_before);

  g_signal_handlers_disconnect_by_data (watch.preview, &watch);
  g_signal_handlers_disconnect_by_data (byline_preview_get_web_view (watch.preview), &watch);
  g_object_add_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
  g_object_add_weak_pointer (G_OBJECT (watch.preview), (gpointer *) &watch.preview);
  gtk_window_destroy (GTK_WINDOW (window));
  if (!wait_until (weak_pointer_cleared, &editor, UPDATE_TIMEOUT_MS))
    {
      g_printerr ("bench-preview: warning: the editor was not finalised\n");
      g_object_remove_weak_pointer (G_OBJECT (editor), (gpointer *) &editor);
    }
  /* A preview that outlives its editor keeps its web view, and so its web process. */
  if (!wait_until (weak_pointer_cleared, &watch.preview, 1000))
    {
      g_printerr ("bench-preview: warning: the preview (and its web view) was not finalised\n");
      g_object_remove_weak_pointer (G_OBJECT (watch.preview), (gpointer *) &watch.preview);
    }
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *tmpdir = NULL;
  g_autofree char *db_path = NULL;

  main_entered_us = g_get_monotonic_time ();
  process_start_us = read_process_start_us ();

  gtk_init ();
  gtk_source_init ();
  adw_init ();
  toolkit_ready_us = g_get_monotonic_time ();

  tmpdir = g_dir_make_tmp ("byline-bench-XXXXXX", &error);
  if (tmpdir == NULL)
    fail ("could not make a temporary folder: %s", error->message);
  db_path = g_build_filename (tmpdir, "byline.db", NULL);
  store = byline_store_open (db_path, &error);
  if (store == NULL)
    fail ("could not open the store: %s", error->message);

  bench_document (store, 5000, TRUE);
  bench_document (store, 50000, FALSE);

  if (!byline_store_close (store, &error))
    g_printerr ("bench-preview: warning: could not close the store: %s\n", error->message);
  g_clear_object (&store);
  remove_tree (tmpdir);
  return 0;
}
