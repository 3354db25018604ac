/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-preview.c: the live WebKit preview of a draft, patched block by block as it changes.
 *
 * The page is loaded once. After that, each change of the draft is rendered to top-level blocks
 * (byline-markdown), compared with the blocks the page already shows, and only the changed run is
 * sent to the page's private-world script, so the cost follows the size of the edit and the scroll
 * position is never lost. One patch is in flight at a time; changes made meanwhile are folded into
 * the next one, so a slow page never builds a backlog behind the typist. */

#define G_LOG_DOMAIN "byline-preview"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <webkit/webkit.h>

#include "byline-date.h"
#include "byline-language.h"
#include "byline-markdown.h"
#include "byline-preview.h"
#include "byline-publisher.h"

#define SCRIPT_WORLD "byline"

/* Where byline-upload: addresses are read from (the publisher's uploads folder). */
static char *uploads_dir;

struct _BylinePreview
{
  GtkWidget               parent_instance;

  WebKitWebView          *web_view;
  BylineDraft            *draft;
  /* Keeps the last body's block renderings, so that a keystroke renders one block again. */
  BylineMarkdownRenderer *markdown;
  /* The blocks the page shows now, or is being sent. */
  GPtrArray              *shown_blocks;
  char                   *shown_meta;
  GCancellable           *cancellable;
  /* A captured site template (byline-site-look) and its page's address; NULL: the bundled one. */
  char                   *template_html;
  char                   *template_base_uri;

  guint                   reveal_line;
  guint                   flush_id;
  /* Waiting for the window's first frame to make the web view (see byline_preview_map). */
  GdkFrameClock          *frame_clock;
  gulong                  after_paint_id;

  guint                   loaded : 1;
  guint                   in_flight : 1;
  guint                   body_dirty : 1;
  guint                   meta_dirty : 1;
  guint                   reveal_pending : 1;
  guint                   dark : 1;
};

enum {
  PROP_0,
  PROP_DARK,
  N_PROPS
};

enum {
  UPDATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BylinePreview, byline_preview, GTK_TYPE_WIDGET)

static void byline_preview_flush           (BylinePreview *self);
static void byline_preview_load_template   (BylinePreview *self);
static void byline_preview_ensure_web_view (BylinePreview *self);

/* Loads the template again and shows the whole draft in it, from an empty page. */
static void
byline_preview_start_over (BylinePreview *self)
{
  g_ptr_array_set_size (self->shown_blocks, 0);
  g_clear_pointer (&self->shown_meta, g_free);
  self->loaded = FALSE;
  self->in_flight = FALSE;
  self->body_dirty = self->meta_dirty = TRUE;
  byline_preview_load_template (self);
}

/* Appends @text as a JavaScript string literal. */
static void
append_js_string (GString    *script,
                  const char *text)
{
  g_string_append_c (script, '"');
  for (const char *p = text; *p; p++)
    {
      guchar c = (guchar) *p;

      switch (c)
        {
        case '"':
          g_string_append (script, "\\\"");
          break;
        case '\\':
          g_string_append (script, "\\\\");
          break;
        case '\n':
          g_string_append (script, "\\n");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (script, "\\u%04x", c);
          /* U+2028 and U+2029 end a line inside a JavaScript string literal in older engines. */
          else if (c == 0xe2 && (guchar) p[1] == 0x80 && ((guchar) p[2] == 0xa8 || (guchar) p[2] == 0xa9))
            {
              g_string_append_printf (script, "\\u%04x", (guchar) p[2] == 0xa8 ? 0x2028 : 0x2029);
              p += 2;
            }
          else
            g_string_append_c (script, (char) c);
        }
    }
  g_string_append_c (script, '"');
}

static GPtrArray *
byline_preview_render_blocks (BylinePreview *self)
{
  const char *body = byline_draft_get_body (self->draft);
  GPtrArray *blocks;

  /* The same HTML as is published (byline_markdown_render_html), in blocks. */
  if (byline_draft_get_format (self->draft) == BYLINE_DRAFT_FORMAT_MARKDOWN)
    return byline_markdown_renderer_render_blocks (self->markdown, body, -1);

  /* An HTML draft came from the site as it is; it is shown as one block, since its markup may
   * span what a blank line would split. */
  blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_block_free);
  if (*body != '\0')
    {
      guint lines = 0;

      for (const char *p = body; *p; p++)
        lines += (*p == '\n');
      g_ptr_array_add (blocks, byline_block_new (body, 0, lines));
    }
  return blocks;
}

static char *
byline_preview_format_date (BylineDraft *draft)
{
  const char *publish_date = byline_draft_get_publish_date (draft);
  g_autoptr(GDateTime) date = NULL;

  if (*publish_date != '\0')
    date = byline_date_parse (publish_date);
  if (date == NULL)
    date = g_date_time_new_now_local ();

  /* Translators: the date of a post in the preview, in strftime format ("%-d": the day without
   * a padding space or zero) */
  return g_date_time_format (date, _("%B %-d, %Y"));
}

/* The page's lang is the draft's language, so that its hyphenation and quotation marks are
 * those of the language the draft is written in. */
static void
byline_preview_append_language (BylinePreview *self,
                                GString       *script)
{
  const char *language = byline_draft_get_language (self->draft);
  g_autofree char *system_language = *language ? NULL : byline_language_dup_default ();
  g_autofree char *tag = byline_language_dup_html_tag (*language ? language : system_language);

  g_string_append (script, "byline.setLang(");
  append_js_string (script, tag);
  g_string_append (script, ");");
}

static void
byline_preview_append_meta (BylinePreview *self,
                            GString       *script)
{
  g_autofree char *date = byline_preview_format_date (self->draft);
  g_autoptr(GString) meta = g_string_new ("byline.setMeta(");

  append_js_string (meta, byline_draft_get_title (self->draft));
  g_string_append_c (meta, ',');
  append_js_string (meta, _("Untitled draft"));
  g_string_append_c (meta, ',');
  append_js_string (meta, byline_draft_get_author (self->draft));
  g_string_append_c (meta, ',');
  append_js_string (meta, date);
  g_string_append (meta, ");");
  byline_preview_append_language (self, meta);

  if (g_strcmp0 (meta->str, self->shown_meta) != 0)
    {
      g_string_append (script, meta->str);
      g_free (self->shown_meta);
      self->shown_meta = g_string_free (g_steal_pointer (&meta), FALSE);
    }
}

static void
byline_preview_append_patch (BylinePreview *self,
                             GString       *script)
{
  g_autoptr(GPtrArray) blocks = byline_preview_render_blocks (self);
  BylineBlockDiff diff;

  byline_block_diff (self->shown_blocks, blocks, &diff);

  g_string_append_printf (script, "byline.patch(%u,%u,[", diff.prefix, diff.old_removed);
  for (guint i = 0; i < diff.new_inserted; i++)
    {
      BylineBlock *block = g_ptr_array_index (blocks, diff.prefix + i);

      if (i > 0)
        g_string_append_c (script, ',');
      append_js_string (script, block->html);
    }
  /* Every block's first line goes along: an edit above a block moves it in the source without
   * changing its HTML. */
  g_string_append (script, "],[");
  for (guint i = 0; i < blocks->len; i++)
    {
      BylineBlock *block = g_ptr_array_index (blocks, i);

      g_string_append_printf (script, i > 0 ? ",%u" : "%u", block->first_line);
    }
  g_string_append (script, "]);");

  g_ptr_array_unref (self->shown_blocks);
  self->shown_blocks = g_steal_pointer (&blocks);
}

static void
byline_preview_patch_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  g_autoptr(BylinePreview) self = user_data;
  g_autoptr(JSCValue) value = NULL;
  g_autoptr(GError) error = NULL;

  value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  /* WebKit now and then fails to hand back a plain number (headless-gtk.md): the script itself
   * ran, so the patch is in the page. */
  if (g_error_matches (error, WEBKIT_JAVASCRIPT_ERROR, WEBKIT_JAVASCRIPT_ERROR_INVALID_RESULT))
    g_clear_error (&error);
  if (error != NULL)
    {
      /* The page no longer matches what we think it shows. */
      g_warning ("Preview update failed: %s", error->message);
      byline_preview_start_over (self);
      return;
    }

  self->in_flight = FALSE;
  g_signal_emit (self, signals[UPDATED], 0);
  byline_preview_flush (self);
}

/* Sends what changed since the last patch, unless a patch is still on its way. */
static void
byline_preview_flush (BylinePreview *self)
{
  g_autoptr(GString) script = NULL;

  if (!self->loaded || self->in_flight)
    return;
  if (!self->body_dirty && !self->meta_dirty && !self->reveal_pending)
    return;

  script = g_string_new (NULL);
  g_string_append_printf (script, "byline.setDark(%s);", self->dark ? "true" : "false");

  if (self->draft != NULL)
    {
      if (self->meta_dirty)
        byline_preview_append_meta (self, script);
      if (self->body_dirty)
        byline_preview_append_patch (self, script);
    }
  else if (self->shown_blocks->len > 0)
    {
      g_string_append_printf (script, "byline.patch(0,%u,[],[]);", self->shown_blocks->len);
      g_ptr_array_set_size (self->shown_blocks, 0);
    }
  if (self->reveal_pending)
    g_string_append_printf (script, "byline.revealLine(%u);", self->reveal_line);
  /* Reading the height forces the layout, so the callback means "shown", not just "changed". */
  g_string_append (script, "document.documentElement.scrollHeight;");

  self->body_dirty = self->meta_dirty = self->reveal_pending = FALSE;
  self->in_flight = TRUE;
  webkit_web_view_evaluate_javascript (self->web_view, script->str, script->len, SCRIPT_WORLD, NULL,
                                       self->cancellable, byline_preview_patch_cb,
                                       g_object_ref (self));
}

static gboolean
byline_preview_flush_cb (gpointer user_data)
{
  BylinePreview *self = user_data;

  self->flush_id = 0;
  byline_preview_flush (self);
  return G_SOURCE_REMOVE;
}

/* A key changes the body and moves the cursor, and several keys can arrive before the main loop
 * is idle: the patch goes once for all of them. Its priority puts it after the text view has
 * laid out the typed text (GtkTextView validates at GDK_PRIORITY_REDRAW + 5) and after a frame
 * that is due at once, and before a frame that the frame clock holds back to its rate. (Asking
 * the frame clock for a phase instead starts a frame before the text view has laid the new
 * text out: the text then waits a whole frame more, measured 18 ms a key instead of 4.) */
static void
byline_preview_queue_flush (BylinePreview *self)
{
  if (self->flush_id == 0)
    self->flush_id = g_idle_add_full (GDK_PRIORITY_REDRAW + 10, byline_preview_flush_cb, self,
                                      NULL);
}

static void
byline_preview_draft_notify_cb (BylinePreview *self,
                                GParamSpec    *pspec,
                                BylineDraft   *draft)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "body") || g_str_equal (name, "format"))
    self->body_dirty = TRUE;
  else if (g_str_equal (name, "title") || g_str_equal (name, "author")
           || g_str_equal (name, "publish-date") || g_str_equal (name, "language"))
    self->meta_dirty = TRUE;
  else
    return;

  byline_preview_queue_flush (self);
}

void
byline_preview_set_draft (BylinePreview *self,
                          BylineDraft   *draft)
{
  g_return_if_fail (BYLINE_IS_PREVIEW (self));
  g_return_if_fail (!draft || BYLINE_IS_DRAFT (draft));

  if (self->draft == draft)
    return;

  if (self->draft != NULL)
    g_signal_handlers_disconnect_by_data (self->draft, self);
  g_set_object (&self->draft, draft);
  if (draft != NULL)
    g_signal_connect_object (draft, "notify", G_CALLBACK (byline_preview_draft_notify_cb), self,
                             G_CONNECT_SWAPPED);

  self->body_dirty = self->meta_dirty = TRUE;
  self->reveal_line = 0;
  byline_preview_flush (self);
}

BylineDraft *
byline_preview_get_draft (BylinePreview *self)
{
  g_return_val_if_fail (BYLINE_IS_PREVIEW (self), NULL);

  return self->draft;
}

void
byline_preview_reveal_line (BylinePreview *self,
                            guint          line)
{
  g_return_if_fail (BYLINE_IS_PREVIEW (self));

  self->reveal_line = line;
  self->reveal_pending = TRUE;
  byline_preview_queue_flush (self);
}

gboolean
byline_preview_is_idle (BylinePreview *self)
{
  g_return_val_if_fail (BYLINE_IS_PREVIEW (self), FALSE);

  return self->loaded && !self->in_flight && self->flush_id == 0 && !self->body_dirty
         && !self->meta_dirty && !self->reveal_pending;
}

GtkWidget *
byline_preview_get_web_view (BylinePreview *self)
{
  g_return_val_if_fail (BYLINE_IS_PREVIEW (self), NULL);

  byline_preview_ensure_web_view (self);
  return GTK_WIDGET (self->web_view);
}

typedef struct {
  char  *script;
  guint  attempts;
} RunScript;

static void
run_script_free (RunScript *run)
{
  g_free (run->script);
  g_free (run);
}

static void byline_preview_run_script_cb (GObject      *object,
                                          GAsyncResult *result,
                                          gpointer      user_data);

static gboolean
byline_preview_run_script_again_cb (gpointer user_data)
{
  GTask *task = user_data;
  BylinePreview *self = g_task_get_source_object (task);
  RunScript *run = g_task_get_task_data (task);

  webkit_web_view_evaluate_javascript (self->web_view, run->script, -1, SCRIPT_WORLD, NULL,
                                       g_task_get_cancellable (task),
                                       byline_preview_run_script_cb, task);
  return G_SOURCE_REMOVE;
}

static void
byline_preview_run_script_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RunScript *run = g_task_get_task_data (task);
  g_autoptr(JSCValue) value = NULL;
  GError *error = NULL;

  value = webkit_web_view_evaluate_javascript_finish (WEBKIT_WEB_VIEW (object), result, &error);
  if (value != NULL)
    {
      g_task_return_pointer (task, jsc_value_to_string (value), g_free);
      return;
    }

  /* WebKit sometimes fails to hand back even a plain string (INVALID_RESULT, cause unknown, see
   * headless-gtk.md), for a few milliseconds in a row. The scripts tests and benchmarks run read
   * the page, so running one again a little later is harmless. */
  if (g_error_matches (error, WEBKIT_JAVASCRIPT_ERROR, WEBKIT_JAVASCRIPT_ERROR_INVALID_RESULT)
      && ++run->attempts < 20)
    {
      g_debug ("Running a script again after: %s", error->message);
      g_clear_error (&error);
      g_timeout_add (50, byline_preview_run_script_again_cb, g_steal_pointer (&task));
      return;
    }
  g_task_return_error (task, error);
}

void
byline_preview_run_script (BylinePreview      *self,
                           const char         *script,
                           GCancellable       *cancellable,
                           GAsyncReadyCallback callback,
                           gpointer            user_data)
{
  GTask *task;
  RunScript *run;

  g_return_if_fail (BYLINE_IS_PREVIEW (self));

  byline_preview_ensure_web_view (self);
  run = g_new0 (RunScript, 1);
  run->script = g_strdup (script);
  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_preview_run_script);
  g_task_set_task_data (task, run, (GDestroyNotify) run_script_free);
  webkit_web_view_evaluate_javascript (self->web_view, script, -1, SCRIPT_WORLD, NULL, cancellable,
                                       byline_preview_run_script_cb, task);
}

char *
byline_preview_run_script_finish (BylinePreview *self,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static gboolean
is_external_uri (const char *uri)
{
  g_autofree char *scheme = g_uri_parse_scheme (uri);

  return scheme != NULL
         && (g_str_equal (scheme, "http") || g_str_equal (scheme, "https")
             || g_str_equal (scheme, "mailto"));
}

/* The preview never navigates: the template is loaded with load_html, which does not ask, and every
 * later navigation is refused. A click on a web link opens it in the user's browser instead. */
static gboolean
byline_preview_decide_policy_cb (BylinePreview            *self,
                                 WebKitPolicyDecision     *decision,
                                 WebKitPolicyDecisionType  type,
                                 WebKitWebView            *web_view)
{
  WebKitNavigationAction *action;
  WebKitURIRequest *request;
  const char *uri;

  if (type != WEBKIT_POLICY_DECISION_TYPE_NAVIGATION_ACTION
      && type != WEBKIT_POLICY_DECISION_TYPE_NEW_WINDOW_ACTION)
    return FALSE;

  action = webkit_navigation_policy_decision_get_navigation_action (
    WEBKIT_NAVIGATION_POLICY_DECISION (decision));
  request = webkit_navigation_action_get_request (action);
  uri = webkit_uri_request_get_uri (request);

  if (!self->loaded
      && (g_str_equal (uri, "about:blank") || g_strcmp0 (uri, self->template_base_uri) == 0))
    return FALSE;

  webkit_policy_decision_ignore (decision);

  if (webkit_navigation_action_is_user_gesture (action) && is_external_uri (uri))
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

      gtk_show_uri (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, uri, GDK_CURRENT_TIME);
    }
  return TRUE;
}

static void
byline_preview_load_changed_cb (BylinePreview   *self,
                                WebKitLoadEvent  event,
                                WebKitWebView   *web_view)
{
  if (event != WEBKIT_LOAD_FINISHED)
    return;

  self->loaded = TRUE;
  self->body_dirty = self->meta_dirty = TRUE;
  byline_preview_flush (self);
}

/* The web process can die (out of memory, a crash in WebKit): the page is loaded again in a new
 * one, since a preview that silently stops following the draft would mislead. */
static void
byline_preview_web_process_terminated_cb (BylinePreview                     *self,
                                          WebKitWebProcessTerminationReason  reason,
                                          WebKitWebView                     *web_view)
{
  g_warning ("The preview's web process ended (%s); loading the page again",
             reason == WEBKIT_WEB_PROCESS_CRASHED ? "crashed" :
             reason == WEBKIT_WEB_PROCESS_EXCEEDED_MEMORY_LIMIT ? "out of memory" : "terminated");
  byline_preview_start_over (self);
}

/* Only actions that stay on the page are kept in the context menu: no reload, no "open link". */
static gboolean
byline_preview_context_menu_cb (BylinePreview       *self,
                                WebKitContextMenu   *menu,
                                WebKitHitTestResult *hit_test,
                                WebKitWebView       *web_view)
{
  GList *items = g_list_copy (webkit_context_menu_get_items (menu));

  for (GList *l = items; l; l = l->next)
    {
      WebKitContextMenuItem *item = l->data;

      WebKitContextMenuAction action = webkit_context_menu_item_get_stock_action (item);

      if (action != WEBKIT_CONTEXT_MENU_ACTION_COPY
          && action != WEBKIT_CONTEXT_MENU_ACTION_COPY_LINK_TO_CLIPBOARD
          && action != WEBKIT_CONTEXT_MENU_ACTION_COPY_IMAGE_TO_CLIPBOARD
          && action != WEBKIT_CONTEXT_MENU_ACTION_COPY_IMAGE_URL_TO_CLIPBOARD
          && action != WEBKIT_CONTEXT_MENU_ACTION_SELECT_ALL
          && action != WEBKIT_CONTEXT_MENU_ACTION_INSPECT_ELEMENT)
        webkit_context_menu_remove (menu, item);
    }
  g_list_free (items);

  return webkit_context_menu_get_n_items (menu) == 0;
}

static char *
load_resource_text (const char *name)
{
  g_autofree char *path = g_strconcat (RESOURCE_PREFIX "/preview/", name, NULL);
  g_autoptr(GBytes) bytes = g_resources_lookup_data (path, 0, NULL);

  g_assert (bytes != NULL);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

static void
byline_preview_load_template (BylinePreview *self)
{
  g_autofree char *page = NULL;
  g_autofree char *style = NULL;
  g_autoptr(GString) html = NULL;
  g_autofree char *site = NULL;

  /* Without a web view yet, the template is loaded once there is one. */
  if (self->web_view == NULL)
    return;

  page = load_resource_text ("article.html");
  style = load_resource_text ("article.css");
  html = g_string_new (page);
  site = g_markup_escape_text (_("Newsroom"), -1);

  g_string_replace (html, "@BYLINE_STYLE@", style, 1);
  g_string_replace (html, "@BYLINE_SITE@", site, 1);

  if (self->template_html != NULL)
    {
      /* Its scripts were removed and would not run anyway (enable-javascript-markup is off). */
      webkit_web_view_load_html (self->web_view, self->template_html,
                                 self->template_base_uri ? self->template_base_uri : "about:blank");
      return;
    }
  webkit_web_view_load_html (self->web_view, html->str, "about:blank");
}

void
byline_preview_set_template (BylinePreview *self,
                             const char    *html,
                             const char    *base_uri)
{
  g_return_if_fail (BYLINE_IS_PREVIEW (self));

  if (html == NULL)
    base_uri = NULL;
  if (g_strcmp0 (html, self->template_html) == 0 && g_strcmp0 (base_uri, self->template_base_uri) == 0)
    return;

  g_free (self->template_html);
  self->template_html = g_strdup (html);
  g_free (self->template_base_uri);
  self->template_base_uri = g_strdup (base_uri);
  /* A patch still on its way was meant for the old page. */
  g_cancellable_cancel (self->cancellable);
  g_object_unref (self->cancellable);
  self->cancellable = g_cancellable_new ();
  byline_preview_start_over (self);
}

void
byline_preview_set_uploads_dir (const char *dir)
{
  g_free (uploads_dir);
  uploads_dir = g_strdup (dir);
}

/* Serves an image that is still on its way to the site from the copy kept for its upload, so
 * that the preview shows it at once. Only plain names in the uploads folder: never a path, and
 * never file:// (which would open every file of the user to the page). */
static void
byline_preview_upload_scheme_cb (WebKitURISchemeRequest *request,
                                 gpointer                user_data)
{
  const char *file = byline_upload_address_get_file (webkit_uri_scheme_request_get_uri (request));
  g_autofree char *path = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *mime_type = NULL;
  g_autoptr(GFile) gfile = NULL;
  g_autoptr(GFileInputStream) stream = NULL;
  g_autoptr(GFileInfo) info = NULL;
  g_autoptr(GError) error = NULL;

  if (file == NULL || uploads_dir == NULL)
    {
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "No such upload");
      webkit_uri_scheme_request_finish_error (request, error);
      return;
    }
  path = g_build_filename (uploads_dir, file, NULL);
  gfile = g_file_new_for_path (path);
  if (!(stream = g_file_read (gfile, NULL, &error))
      || !(info = g_file_input_stream_query_info (stream, G_FILE_ATTRIBUTE_STANDARD_SIZE, NULL,
                                                  &error)))
    {
      webkit_uri_scheme_request_finish_error (request, error);
      return;
    }
  content_type = g_content_type_guess (file, NULL, 0, NULL);
  mime_type = g_content_type_get_mime_type (content_type);
  webkit_uri_scheme_request_finish (request, G_INPUT_STREAM (stream), g_file_info_get_size (info),
                                    mime_type ? mime_type : "application/octet-stream");
}

/* Typing into a long draft leaves 11-13 MiB of JavaScriptCore's heap behind in the web process
 * (each patch is a script call), which it kept. With these settings it looks at its memory every
 * 5 s and, above 30 MB of its own (the conservative threshold, a tenth of the limit), releases
 * what it does not need (garbage, caches): 9-10 MiB less PSS for the whole tree 6 s after a
 * paragraph typed into 50,000 words (bench/screen-bench), typing and preview times the same. A
 * look reads the process's memory map: about 6 ms of the web process every 5 s. The strict policy
 * (critical memory) starts only at 270 MB of its own, which a page of text does not reach. */
#define PREVIEW_MEMORY_LIMIT_MB          300
#define PREVIEW_MEMORY_RELEASE_FRACTION  0.1
#define PREVIEW_MEMORY_CRITICAL_FRACTION 0.9
#define PREVIEW_MEMORY_POLL_SECONDS      5.0

static WebKitWebContext *
byline_preview_get_web_context (void)
{
  static WebKitWebContext *context;

  if (context == NULL)
    {
      g_autoptr(WebKitMemoryPressureSettings) memory = webkit_memory_pressure_settings_new ();

      webkit_memory_pressure_settings_set_memory_limit (memory, PREVIEW_MEMORY_LIMIT_MB);
      /* The strict threshold first: the conservative one must stay below it. */
      webkit_memory_pressure_settings_set_strict_threshold (memory,
                                                            PREVIEW_MEMORY_CRITICAL_FRACTION);
      webkit_memory_pressure_settings_set_conservative_threshold (memory,
                                                                  PREVIEW_MEMORY_RELEASE_FRACTION);
      webkit_memory_pressure_settings_set_poll_interval (memory, PREVIEW_MEMORY_POLL_SECONDS);
      context = g_object_new (WEBKIT_TYPE_WEB_CONTEXT, "memory-pressure-settings", memory, NULL);
    }
  return context;
}

/* Once, on the context that every preview uses (widgets live on the main thread). */
void
byline_preview_prepare_web_context (void)
{
  static gboolean registered;
  WebKitWebContext *context;

  if (registered)
    return;
  registered = TRUE;
  context = byline_preview_get_web_context ();
  webkit_web_context_register_uri_scheme (context, BYLINE_UPLOAD_SCHEME,
                                          byline_preview_upload_scheme_cb, NULL, NULL);
  /* Secure, so that a site template loaded over https shows it without a mixed-content
   * refusal. */
  webkit_security_manager_register_uri_scheme_as_secure (
    webkit_web_context_get_security_manager (context), BYLINE_UPLOAD_SCHEME);
}

static WebKitNetworkSession *
byline_preview_get_network_session (void)
{
  static WebKitNetworkSession *session;

  /* The preview keeps no cookies, cache or storage: an ephemeral session has nothing to lose. */
  if (session == NULL)
    session = webkit_network_session_new_ephemeral ();
  return session;
}

static void
byline_preview_stop_waiting_for_frame (BylinePreview *self)
{
  if (self->after_paint_id != 0)
    g_clear_signal_handler (&self->after_paint_id, self->frame_clock);
  g_clear_object (&self->frame_clock);
}

static void
byline_preview_ensure_web_view (BylinePreview *self)
{
  g_autofree char *script_source = NULL;
  g_autoptr(WebKitUserContentManager) content = NULL;
  g_autoptr(WebKitUserScript) script = NULL;
  g_autoptr(WebKitSettings) settings = NULL;

  if (self->web_view != NULL)
    return;

  byline_preview_stop_waiting_for_frame (self);
  script_source = load_resource_text ("patch.js");
  content = webkit_user_content_manager_new ();
  byline_preview_prepare_web_context ();
  script = webkit_user_script_new_for_world (script_source, WEBKIT_USER_CONTENT_INJECT_TOP_FRAME,
                                             WEBKIT_USER_SCRIPT_INJECT_AT_DOCUMENT_START,
                                             SCRIPT_WORLD, NULL, NULL);
  webkit_user_content_manager_add_script (content, script);

  /* The page's own scripts never run; ours live in a private world that the page cannot reach.
   * An article page gains nothing from GPU compositing, and without it the web process keeps no
   * GL context: measured under Xvfb with software GL, 77 MiB less and a change on screen 10 ms
   * sooner (32 to 22 ms a key, 5,000 words). */
  settings = webkit_settings_new_with_settings (
    "hardware-acceleration-policy", WEBKIT_HARDWARE_ACCELERATION_POLICY_NEVER,
    "enable-javascript-markup", FALSE,
    "javascript-can-open-windows-automatically", FALSE,
    "enable-html5-local-storage", FALSE,
    "allow-file-access-from-file-urls", FALSE,
    "allow-universal-access-from-file-urls", FALSE,
    "enable-webgl", FALSE,
    "enable-webaudio", FALSE,
    "enable-developer-extras", g_getenv ("BYLINE_PREVIEW_INSPECTOR") != NULL,
    NULL);

  self->web_view = g_object_new (WEBKIT_TYPE_WEB_VIEW,
                                 "web-context", byline_preview_get_web_context (),
                                 "network-session", byline_preview_get_network_session (),
                                 "user-content-manager", content,
                                 "settings", settings,
                                 NULL);
  gtk_widget_set_parent (GTK_WIDGET (self->web_view), GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->web_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Preview"), -1);

  g_signal_connect_object (self->web_view, "decide-policy",
                           G_CALLBACK (byline_preview_decide_policy_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->web_view, "load-changed",
                           G_CALLBACK (byline_preview_load_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->web_view, "web-process-terminated",
                           G_CALLBACK (byline_preview_web_process_terminated_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->web_view, "context-menu",
                           G_CALLBACK (byline_preview_context_menu_cb), self, G_CONNECT_SWAPPED);
  byline_preview_load_template (self);
}

static void
byline_preview_after_first_frame_cb (GdkFrameClock *frame_clock,
                                     BylinePreview *self)
{
  byline_preview_ensure_web_view (self);
}

/* Making a web view takes some 20 ms of the main thread (its processes start later, on their
 * own): time in which the window would show nothing. So the preview's web view is made once the
 * window has drawn its first frame, the draft's text in it, or when first asked for. A preview
 * never shown never starts one. */
static void
byline_preview_map (GtkWidget *widget)
{
  BylinePreview *self = BYLINE_PREVIEW (widget);

  GTK_WIDGET_CLASS (byline_preview_parent_class)->map (widget);

  if (self->web_view != NULL || self->after_paint_id != 0)
    return;
  self->frame_clock = g_object_ref (gtk_widget_get_frame_clock (widget));
  self->after_paint_id = g_signal_connect (self->frame_clock, "after-paint",
                                           G_CALLBACK (byline_preview_after_first_frame_cb), self);
}

static void
byline_preview_dispose (GObject *object)
{
  BylinePreview *self = BYLINE_PREVIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_handle_id (&self->flush_id, g_source_remove);
  byline_preview_stop_waiting_for_frame (self);
  if (self->draft != NULL)
    g_signal_handlers_disconnect_by_data (self->draft, self);
  g_clear_object (&self->draft);
  if (self->web_view != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->web_view));
      self->web_view = NULL;
    }

  G_OBJECT_CLASS (byline_preview_parent_class)->dispose (object);
}

static void
byline_preview_finalize (GObject *object)
{
  BylinePreview *self = BYLINE_PREVIEW (object);

  g_clear_pointer (&self->shown_blocks, g_ptr_array_unref);
  g_clear_pointer (&self->markdown, byline_markdown_renderer_free);
  g_clear_pointer (&self->shown_meta, g_free);
  g_clear_pointer (&self->template_html, g_free);
  g_clear_pointer (&self->template_base_uri, g_free);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (byline_preview_parent_class)->finalize (object);
}

static void
byline_preview_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  BylinePreview *self = BYLINE_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_DARK:
      g_value_set_boolean (value, self->dark);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byline_preview_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  BylinePreview *self = BYLINE_PREVIEW (object);

  switch (prop_id)
    {
    case PROP_DARK:
      if (self->dark != g_value_get_boolean (value))
        {
          self->dark = g_value_get_boolean (value);
          self->meta_dirty = TRUE;
          byline_preview_flush (self);
          g_object_notify_by_pspec (object, pspec);
        }
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byline_preview_class_init (BylinePreviewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_preview_dispose;
  object_class->finalize = byline_preview_finalize;
  object_class->get_property = byline_preview_get_property;
  object_class->set_property = byline_preview_set_property;

  /* Whether the article is shown in its dark style; the window binds it to the app's style. */
  properties[PROP_DARK] =
    g_param_spec_boolean ("dark", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* Emitted each time a patch has been applied and laid out in the page. */
  signals[UPDATED] = g_signal_new ("updated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  widget_class->map = byline_preview_map;

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "preview");
}

static void
byline_preview_init (BylinePreview *self)
{
  self->shown_blocks = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_block_free);
  self->markdown = byline_markdown_renderer_new ();
  self->cancellable = g_cancellable_new ();

}

GtkWidget *
byline_preview_new (void)
{
  return g_object_new (BYLINE_TYPE_PREVIEW, NULL);
}
