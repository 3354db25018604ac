/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-editor.c: one draft open for writing: title, Markdown source, live preview, details.
 *
 * The widgets write straight into the BylineDraft; the BylineAutosave that watches the draft
 * writes it to the store, and the BylinePreview that watches it patches the page. */

#define G_LOG_DOMAIN "byline-editor"

#include "config.h"

#ifdef HAVE_MALLOC_TRIM
#include <malloc.h>
#endif

#include <adwaita.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "byline-application.h"
#include "byline-autosave.h"
#include "byline-date.h"
#include "byline-editor.h"
#include "byline-find-bar.h"
#include "byline-image-inserter.h"
#include "byline-label.h"
#include "byline-preview.h"
#include "byline-publish-window.h"
#include "byline-revisions-window.h"
#include "byline-site-look.h"
#include "byline-spelling.h"
#include "byline-text-stats.h"

/* The status bar's word count: once the writer pauses this long, or at the latest this long after
 * the first change it does not show (see byline_editor_queue_stats). */
#define STATS_PAUSE_MS 1000
#define STATS_LATEST_MS 10000
/* Saying "Saving…" for a save that takes a few milliseconds every few hundred would change the
 * screen on every key: only a save still waited for after this long is shown. */
#define SLOW_SAVE_MS 2000

/* Past this many edits in one user action (Replace All), the draft takes the buffer's text once
 * when the action ends instead of following each edit. */
#define MANY_EDITS 64

/* More than a screen of text: the part highlighted before the draft is first shown. */
#define FIRST_SCREEN_CHARS 8000

/* About 75 characters a line: the measure typographers give for comfortable reading. */
#define READABLE_WIDTH_CHARS 75
#define MIN_SIDE_MARGIN 24

struct _BylineEditor
{
  GtkWidget        parent_instance;

  BylineStore     *store;
  BylineDraft     *draft;
  BylineAutosave  *autosave;
  GSettings       *settings;
  GPtrArray       *bindings;
  GtkCssProvider  *font_css;
  BylineImageInserter *image_inserter;
  BylineSpelling  *spelling;

  GtkRevealer     *error_revealer;
  GtkLabel        *error_label;
  GtkPaned        *paned;
  GtkEntry        *title_entry;
  GtkScrolledWindow *scroller;
  BylineFindBar   *find_bar;
  GtkSourceView   *source_view;
  BylinePreview   *preview;
  GtkLabel        *stats_label;
  GtkLabel        *save_label;
  GtkMenuButton   *details_button;
  GtkMenuButton   *language_button;
  GtkToggleButton *preview_button;
  AdwEntryRow     *author_row;
  AdwEntryRow     *date_row;
  AdwEntryRow     *slug_row;
  AdwEntryRow     *excerpt_row;
  AdwEntryRow     *categories_row;
  AdwEntryRow     *tags_row;

  guint            stats_id;
  guint            slow_save_id;

  /* When the word count shown stopped being up to date, or 0. */
  gint64           stats_stale_since;

  /* When the cursor last moved: scrolling that soon after is the view following the cursor. */
  gint64           cursor_moved_at;

  /* The edits of the buffer's user action under way, and whether there were too many to follow
   * one by one (see byline_editor_follow_edit). */
  guint            edits_in_action;

  guint            loading : 1;
  guint            in_action : 1;
  guint            copy_after_action : 1;
};

G_DEFINE_FINAL_TYPE (BylineEditor, byline_editor, GTK_TYPE_WIDGET)

static GtkSourceBuffer *
byline_editor_get_buffer (BylineEditor *self)
{
  return GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view)));
}

static void
byline_editor_toast (BylineEditor *self,
                     const char   *message)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
}

static void
byline_editor_update_stats (BylineEditor *self)
{
  g_autofree char *text = NULL;
  guint words = 0;

  g_clear_handle_id (&self->stats_id, g_source_remove);
  self->stats_stale_since = 0;
  if (self->draft != NULL)
    words = byline_text_stats_count_words (byline_draft_get_body (self->draft), -1);
  text = byline_text_stats_format (words);
  byline_label_update (self->stats_label, text);
}

/* Each key renders and patches the preview, and the heap grows by what that briefly needs;
 * glibc keeps what is freed for later. With a 50,000-word draft, a typed paragraph left 11 MiB
 * of freed heap in the process; giving it back takes 0.4 ms, done when the writer pauses. */
static void
byline_editor_release_freed_memory (void)
{
#ifdef HAVE_MALLOC_TRIM
  malloc_trim (0);
#endif
}

static gboolean
byline_editor_update_stats_cb (gpointer user_data)
{
  BylineEditor *self = user_data;

  self->stats_id = 0;
  byline_editor_update_stats (self);
  byline_editor_release_freed_memory ();
  return G_SOURCE_REMOVE;
}

/* While the writer types, nothing but the text changes on screen. A label that changes between
 * two keys takes a frame of its own, and a key that comes during it waits for the next frame:
 * a word count updated every 200 ms made the median key take 20 ms to show instead of 5. So
 * the count follows when the writer pauses, or, during a long run of typing, together with a
 * key (in the key's own frame) every STATS_LATEST_MS. */
static void
byline_editor_queue_stats (BylineEditor *self)
{
  gint64 now = g_get_monotonic_time ();

  if (self->stats_stale_since == 0)
    self->stats_stale_since = now;
  else if (now - self->stats_stale_since >= STATS_LATEST_MS * 1000)
    {
      byline_editor_update_stats (self);
      return;
    }
  g_clear_handle_id (&self->stats_id, g_source_remove);
  self->stats_id = g_timeout_add (STATS_PAUSE_MS, byline_editor_update_stats_cb, self);
}

/* The draft follows the buffer edit by edit: copying a 50,000-word buffer on every key took a
 * millisecond, and the draft would then compare and copy it again. An edit moves the rest of the
 * draft's text, though, so a user action of many edits across the text (Replace All of 5,000
 * matches) is followed by one copy of the buffer when it ends. Returns whether to pass this edit
 * on. */
static gboolean
byline_editor_follow_edit (BylineEditor *self)
{
  if (self->loading || self->draft == NULL || self->copy_after_action)
    return FALSE;
  if (self->in_action && ++self->edits_in_action > MANY_EDITS)
    {
      self->copy_after_action = TRUE;
      return FALSE;
    }
  return TRUE;
}

static void
byline_editor_user_action_began_cb (BylineEditor *self)
{
  self->in_action = TRUE;
  self->edits_in_action = 0;
}

static void
byline_editor_user_action_ended_cb (BylineEditor  *self,
                                    GtkTextBuffer *buffer)
{
  self->in_action = FALSE;
  if (self->copy_after_action && self->draft != NULL)
    {
      GtkTextIter start, end;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, TRUE);
      byline_draft_set_body (self->draft, text);
    }
  self->copy_after_action = FALSE;
}

static void
byline_editor_text_inserted_cb (BylineEditor  *self,
                                GtkTextIter   *end,
                                const char    *text,
                                int            length,
                                GtkTextBuffer *buffer)
{
  if (!byline_editor_follow_edit (self))
    return;

  /* Connected after the insertion: @end is where the text ends now. */
  byline_draft_edit_body (self->draft,
                          gtk_text_iter_get_offset (end) - g_utf8_strlen (text, length), 0,
                          text, length);
}

static void
byline_editor_text_deleted_cb (BylineEditor  *self,
                               GtkTextIter   *start,
                               GtkTextIter   *end,
                               GtkTextBuffer *buffer)
{
  int from = gtk_text_iter_get_offset (start);
  int to = gtk_text_iter_get_offset (end);

  if (!byline_editor_follow_edit (self))
    return;

  /* Connected before the deletion, while both ends are known. */
  byline_draft_edit_body (self->draft, MIN (from, to), ABS (to - from), "", 0);
}

static void
byline_editor_buffer_changed_cb (BylineEditor  *self,
                                 GtkTextBuffer *buffer)
{
  if (!self->loading && self->draft != NULL)
    byline_editor_queue_stats (self);
}

static void
byline_editor_cursor_moved_cb (BylineEditor  *self,
                               GParamSpec    *pspec,
                               GtkTextBuffer *buffer)
{
  GtkTextIter iter;

  if (self->loading)
    return;
  self->cursor_moved_at = g_get_monotonic_time ();
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  byline_preview_reveal_line (self->preview, gtk_text_iter_get_line (&iter));
}

/* The preview follows the cursor while it is on screen; when the reader scrolls the source away
 * from the cursor, it follows the top line instead. Scrolling right after the cursor moved is the
 * text view keeping the cursor in sight (or settling its line heights), not the reader: the cursor
 * already told the preview where to look. */
static void
byline_editor_scrolled_cb (BylineEditor  *self,
                           GtkAdjustment *adjustment)
{
  GtkTextView *view = GTK_TEXT_VIEW (self->source_view);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GdkRectangle visible, cursor;
  GtkTextIter iter;

  if (self->loading || self->draft == NULL
      || g_get_monotonic_time () - self->cursor_moved_at < G_USEC_PER_SEC / 2)
    return;

  gtk_text_view_get_visible_rect (view, &visible);
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  gtk_text_view_get_iter_location (view, &iter, &cursor);
  if (cursor.y < visible.y || cursor.y + cursor.height > visible.y + visible.height)
    gtk_text_view_get_line_at_y (view, &iter, visible.y, NULL);
  byline_preview_reveal_line (self->preview, gtk_text_iter_get_line (&iter));
}

/* The scroller's page size changes with its width (this runs while the text view is being
 * allocated): the text column is centred again at once, so that the first frame already shows
 * the text where it stays, and the text is not laid out twice. */
static void
byline_editor_width_changed_cb (BylineEditor *self)
{
  PangoContext *context = gtk_widget_get_pango_context (GTK_WIDGET (self->source_view));
  PangoFontMetrics *metrics = pango_context_get_metrics (context, NULL, NULL);
  int char_width = pango_font_metrics_get_approximate_char_width (metrics) / PANGO_SCALE;
  int width = gtk_widget_get_width (GTK_WIDGET (self->scroller));
  int margin = MAX (MIN_SIDE_MARGIN, (width - READABLE_WIDTH_CHARS * char_width) / 2);

  pango_font_metrics_unref (metrics);
  if (gtk_text_view_get_left_margin (GTK_TEXT_VIEW (self->source_view)) != margin)
    {
      gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->source_view), margin);
      gtk_text_view_set_right_margin (GTK_TEXT_VIEW (self->source_view), margin);
    }
}

static void
byline_editor_show_save_state (BylineEditor *self)
{
  const char *label = "";

  switch ((BylineAutosaveState) byline_autosave_get_state (self->autosave))
    {
    case BYLINE_AUTOSAVE_SAVED:
      label = _("Saved");
      gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
      break;
    case BYLINE_AUTOSAVE_PENDING:
    case BYLINE_AUTOSAVE_SAVING:
      label = _("Saving…");
      break;
    case BYLINE_AUTOSAVE_FAILED:
      label = _("Not saved");
      break;
    default:
      g_assert_not_reached ();
    }
  byline_label_update (self->save_label, label);
}

static gboolean
byline_editor_slow_save_cb (gpointer user_data)
{
  BylineEditor *self = user_data;

  self->slow_save_id = 0;
  if (self->autosave != NULL)
    byline_editor_show_save_state (self);
  return G_SOURCE_REMOVE;
}

static void
byline_editor_autosave_state_cb (BylineEditor   *self,
                                 GParamSpec     *pspec,
                                 BylineAutosave *autosave)
{
  switch ((BylineAutosaveState) byline_autosave_get_state (autosave))
    {
    case BYLINE_AUTOSAVE_PENDING:
    case BYLINE_AUTOSAVE_SAVING:
      if (self->slow_save_id == 0)
        self->slow_save_id = g_timeout_add (SLOW_SAVE_MS, byline_editor_slow_save_cb, self);
      return;
    case BYLINE_AUTOSAVE_SAVED:
    case BYLINE_AUTOSAVE_FAILED:
      g_clear_handle_id (&self->slow_save_id, g_source_remove);
      byline_editor_show_save_state (self);
      return;
    default:
      g_assert_not_reached ();
    }
}

static void
byline_editor_autosave_error_cb (BylineEditor   *self,
                                 const GError   *error,
                                 BylineAutosave *autosave)
{
  g_autofree char *message = NULL;

  /* A store opened read-only stays so until Byline starts again: no try would succeed. */
  if (g_error_matches (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_READ_ONLY) &&
      self->store != NULL && byline_store_get_read_only (self->store))
    message = g_strdup_printf (_("Your latest changes could not be saved. %s Byline keeps the text "
                                 "here: select it and copy it to keep it."), error->message);
  else
    message = g_strdup_printf (_("Your latest changes could not be saved. %s Byline keeps the "
                                 "text here and tries again every few seconds."), error->message);
  gtk_label_set_label (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, TRUE);
}

static void
byline_editor_validate_date (BylineEditor *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->date_row));
  g_autoptr(GDateTime) date = NULL;

  if (*text == '\0')
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");
      if (self->draft != NULL)
        byline_draft_set_publish_date (self->draft, "");
      return;
    }

  date = byline_date_parse (text);
  if (date == NULL)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->date_row), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");
  if (self->draft != NULL)
    {
      g_autofree char *normalised = g_date_time_format (date, "%Y-%m-%dT%H:%M");

      byline_draft_set_publish_date (self->draft, normalised);
    }
}

static void
byline_editor_unbind (BylineEditor *self)
{
  for (guint i = 0; i < self->bindings->len; i++)
    g_binding_unbind (g_ptr_array_index (self->bindings, i));
  g_ptr_array_set_size (self->bindings, 0);
}

static void
byline_editor_bind (BylineEditor *self,
                    const char   *property,
                    gpointer      widget)
{
  GBinding *binding = g_object_bind_property (self->draft, property, widget, "text",
                                              G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);

  g_ptr_array_add (self->bindings, binding);
}

/* Markdown or HTML highlighting, as the draft is: a post taken from the site is HTML. */
static void
byline_editor_update_language (BylineEditor *self)
{
  GtkSourceLanguageManager *languages = gtk_source_language_manager_get_default ();
  gboolean html = self->draft && byline_draft_get_format (self->draft) == BYLINE_DRAFT_FORMAT_HTML;
  GtkSourceLanguage *language = gtk_source_language_manager_get_language (languages,
                                                                          html ? "html"
                                                                               : "markdown");

  gtk_source_buffer_set_language (byline_editor_get_buffer (self), language);
}

void
byline_editor_save_now (BylineEditor *self)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BYLINE_IS_EDITOR (self));

  /* A failure is shown by the autosave's ::error handler; the text stays in the draft. */
  if (self->autosave != NULL)
    byline_autosave_flush (self->autosave, &error);
}

/* The site's look: a draft linked to a post on an account is previewed in that site's theme,
 * captured in the background once per site and session, and cached; otherwise, or until then,
 * in the bundled template. */

static GHashTable *site_looks_tried;  /* API roots whose capture was started this session */

static void byline_editor_update_site_look (BylineEditor *self);

static void
byline_editor_site_look_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data)
{
  g_autoptr(BylineEditor) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *path = byline_site_look_capture_finish (result, &error);

  if (path == NULL)
    {
      g_debug ("The site's look was not captured: %s", error->message);
      return;
    }
  /* Disposed meanwhile: the preview and the draft are gone. */
  if (self->preview != NULL && self->draft != NULL)
    byline_editor_update_site_look (self);
}

static void
byline_editor_update_site_look (BylineEditor *self)
{
  GApplication *app = g_application_get_default ();
  BylinePublisher *publisher = NULL;
  BylineAccounts *accounts = NULL;
  g_auto(BylineRemotePost) remote = { 0 };
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(BylineWpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *cache_dir = NULL;
  g_autofree char *path = NULL;
  g_autofree char *html = NULL;
  g_autofree char *base_uri = NULL;
  const char *api_root;

  if (BYLINE_IS_APPLICATION (app))
    {
      publisher = byline_application_get_publisher (BYLINE_APPLICATION (app));
      accounts = byline_application_get_accounts (BYLINE_APPLICATION (app));
    }
  if (self->draft == NULL || publisher == NULL || accounts == NULL
      || !byline_publisher_get_remote (publisher, byline_draft_get_id (self->draft), &remote)
      || (account = byline_accounts_load (accounts, remote.account_id, NULL)) == NULL)
    {
      byline_preview_set_template (self->preview, NULL, NULL);
      return;
    }

  api_root = byline_account_get_api_root (account);
  cache_dir = g_build_filename (g_get_user_cache_dir (), APP_ID, NULL);
  path = byline_site_look_lookup (cache_dir, api_root);
  if (path != NULL)
    html = byline_site_look_load (path, &base_uri, &error);
  if (error != NULL)
    g_debug ("The site's look could not be read: %s", error->message);
  byline_preview_set_template (self->preview, html, base_uri);
  if (html != NULL)
    return;

  if (site_looks_tried == NULL)
    site_looks_tried = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  if (!g_hash_table_add (site_looks_tried, g_strdup (api_root)))
    return;
  /* Only published pages are read: no password needed. */
  client = byline_wp_client_new (api_root, NULL, NULL);
  byline_site_look_capture_async (client, cache_dir, NULL, byline_editor_site_look_cb,
                                  g_object_ref (self));
}

void
byline_editor_set_draft (BylineEditor *self,
                         BylineStore  *store,
                         BylineDraft  *draft)
{
  GtkSourceBuffer *buffer;
  GtkTextIter start, end;

  g_return_if_fail (BYLINE_IS_EDITOR (self));
  g_return_if_fail (!draft || BYLINE_IS_DRAFT (draft));

  if (self->draft == draft)
    return;

  byline_editor_save_now (self);
  byline_editor_unbind (self);
  if (self->autosave != NULL)
    g_signal_handlers_disconnect_by_data (self->autosave, self);
  g_clear_object (&self->autosave);
  g_set_object (&self->store, store);
  if (self->draft != NULL)
    g_signal_handlers_disconnect_by_data (self->draft, self);
  g_set_object (&self->draft, draft);
  gtk_revealer_set_reveal_child (self->error_revealer, FALSE);
  byline_image_inserter_set_draft (self->image_inserter, store, draft);

  buffer = byline_editor_get_buffer (self);
  self->loading = TRUE;
  gtk_text_buffer_begin_irreversible_action (GTK_TEXT_BUFFER (buffer));
  gtk_text_buffer_set_text (GTK_TEXT_BUFFER (buffer), draft ? byline_draft_get_body (draft) : "", -1);
  gtk_text_buffer_end_irreversible_action (GTK_TEXT_BUFFER (buffer));
  gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (buffer), &start);
  gtk_text_buffer_place_cursor (GTK_TEXT_BUFFER (buffer), &start);
  self->loading = FALSE;

  byline_editor_update_language (self);
  byline_spelling_set_draft (self->spelling, draft);
  /* GtkSourceView highlights in an idle, after the first frame: the draft would appear plain,
   * then in its colours. The start, where the view opens, is highlighted now. */
  gtk_text_buffer_get_start_iter (GTK_TEXT_BUFFER (buffer), &start);
  end = start;
  gtk_text_iter_forward_chars (&end, FIRST_SCREEN_CHARS);
  gtk_source_buffer_ensure_highlight (buffer, &start, &end);

  byline_preview_set_draft (self->preview, draft);
  byline_editor_update_site_look (self);
  byline_editor_update_stats (self);

  if (draft == NULL)
    return;

  byline_editor_bind (self, "title", self->title_entry);
  byline_editor_bind (self, "author", self->author_row);
  byline_editor_bind (self, "slug", self->slug_row);
  byline_editor_bind (self, "excerpt", self->excerpt_row);
  byline_editor_bind (self, "categories", self->categories_row);
  byline_editor_bind (self, "tags", self->tags_row);
  {
    g_autofree char *date = g_strdelimit (g_strdup (byline_draft_get_publish_date (draft)), "T", ' ');

    gtk_editable_set_text (GTK_EDITABLE (self->date_row), date);
  }

  g_signal_connect_object (draft, "notify::format", G_CALLBACK (byline_editor_update_language),
                           self, G_CONNECT_SWAPPED);
  g_clear_handle_id (&self->slow_save_id, g_source_remove);
  self->autosave = byline_autosave_new (store, draft);
  g_signal_connect_object (self->autosave, "notify::state",
                           G_CALLBACK (byline_editor_autosave_state_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->autosave, "error",
                           G_CALLBACK (byline_editor_autosave_error_cb), self, G_CONNECT_SWAPPED);
  byline_editor_autosave_state_cb (self, NULL, self->autosave);
}

BylineDraft *
byline_editor_get_draft (BylineEditor *self)
{
  g_return_val_if_fail (BYLINE_IS_EDITOR (self), NULL);

  return self->draft;
}

void
byline_editor_focus_title (BylineEditor *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->title_entry));
}

void
byline_editor_focus_body (BylineEditor *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
}

GtkWidget *
byline_editor_get_source_view (BylineEditor *self)
{
  return GTK_WIDGET (self->source_view);
}

GtkWidget *
byline_editor_get_preview (BylineEditor *self)
{
  return GTK_WIDGET (self->preview);
}

BylineSpelling *
byline_editor_get_spelling (BylineEditor *self)
{
  return self->spelling;
}

/* Markdown commands. Each is one user action, so one Ctrl+Z undoes it. */

/* Wraps the selection in @marker, or removes the marker when the selection is already wrapped;
 * with no selection it inserts a pair of markers and puts the cursor between them. */
static void
byline_editor_toggle_wrap (BylineEditor *self,
                           const char   *marker)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (byline_editor_get_buffer (self));
  glong len = g_utf8_strlen (marker, -1);
  GtkTextIter start, end, before, after;
  g_autofree char *outside_start = NULL;
  g_autofree char *outside_end = NULL;

  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  gtk_text_buffer_begin_user_action (buffer);

  before = start;
  after = end;
  if (gtk_text_iter_backward_chars (&before, len) && gtk_text_iter_forward_chars (&after, len))
    {
      outside_start = gtk_text_iter_get_text (&before, &start);
      outside_end = gtk_text_iter_get_text (&end, &after);
    }

  if (outside_start && g_str_equal (outside_start, marker) && g_str_equal (outside_end, marker))
    {
      GtkTextMark *end_mark = gtk_text_buffer_create_mark (buffer, NULL, &end, FALSE);

      gtk_text_buffer_delete (buffer, &before, &start);
      gtk_text_buffer_get_iter_at_mark (buffer, &end, end_mark);
      after = end;
      gtk_text_iter_forward_chars (&after, len);
      gtk_text_buffer_delete (buffer, &end, &after);
      gtk_text_buffer_delete_mark (buffer, end_mark);
    }
  else
    {
      GtkTextMark *end_mark = gtk_text_buffer_create_mark (buffer, NULL, &end, FALSE);
      GtkTextMark *start_mark;
      gboolean empty = gtk_text_iter_equal (&start, &end);

      gtk_text_buffer_insert (buffer, &start, marker, -1);
      start_mark = gtk_text_buffer_create_mark (buffer, NULL, &start, TRUE);
      gtk_text_buffer_get_iter_at_mark (buffer, &end, end_mark);
      gtk_text_buffer_insert (buffer, &end, marker, -1);
      gtk_text_buffer_get_iter_at_mark (buffer, &start, start_mark);
      gtk_text_buffer_get_iter_at_mark (buffer, &end, end_mark);
      if (empty)
        gtk_text_buffer_place_cursor (buffer, &start);
      else
        gtk_text_buffer_select_range (buffer, &start, &end);
      gtk_text_buffer_delete_mark (buffer, start_mark);
      gtk_text_buffer_delete_mark (buffer, end_mark);
    }

  gtk_text_buffer_end_user_action (buffer);
}

static void
byline_editor_format_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  BylineEditor *self = BYLINE_EDITOR (widget);

  if (g_str_equal (action_name, "editor.bold"))
    byline_editor_toggle_wrap (self, "**");
  else if (g_str_equal (action_name, "editor.italic"))
    byline_editor_toggle_wrap (self, "*");
  else if (g_str_equal (action_name, "editor.code"))
    byline_editor_toggle_wrap (self, "`");
  else
    g_assert_not_reached ();
}

/* [selection](https://) with the address selected, ready to be typed or pasted over. */
static void
byline_editor_link_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  BylineEditor *self = BYLINE_EDITOR (widget);
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (byline_editor_get_buffer (self));
  static const char placeholder[] = "https://";
  GtkTextIter start, end;
  GtkTextMark *url_mark;

  gtk_text_buffer_get_selection_bounds (buffer, &start, &end);
  gtk_text_buffer_begin_user_action (buffer);

  url_mark = gtk_text_buffer_create_mark (buffer, NULL, &end, FALSE);
  gtk_text_buffer_insert (buffer, &start, "[", -1);
  gtk_text_buffer_get_iter_at_mark (buffer, &end, url_mark);
  gtk_text_buffer_insert (buffer, &end, "](", -1);
  gtk_text_buffer_move_mark (buffer, url_mark, &end);
  gtk_text_buffer_insert (buffer, &end, placeholder, -1);
  gtk_text_buffer_insert (buffer, &end, ")", -1);
  gtk_text_buffer_get_iter_at_mark (buffer, &start, url_mark);
  end = start;
  gtk_text_iter_forward_chars (&end, strlen (placeholder));
  gtk_text_buffer_select_range (buffer, &start, &end);
  gtk_text_buffer_delete_mark (buffer, url_mark);

  gtk_text_buffer_end_user_action (buffer);
}

/* Makes the cursor's line a heading of the given level (0: a plain paragraph). */
static void
byline_editor_heading_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  BylineEditor *self = BYLINE_EDITOR (widget);
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (byline_editor_get_buffer (self));
  int level = g_variant_get_int32 (parameter);
  GtkTextIter line_start, marks_end;

  gtk_text_buffer_get_iter_at_mark (buffer, &line_start, gtk_text_buffer_get_insert (buffer));
  gtk_text_iter_set_line_offset (&line_start, 0);
  marks_end = line_start;
  while (gtk_text_iter_get_char (&marks_end) == '#')
    gtk_text_iter_forward_char (&marks_end);
  while (gtk_text_iter_get_char (&marks_end) == ' ')
    gtk_text_iter_forward_char (&marks_end);

  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete (buffer, &line_start, &marks_end);
  if (level > 0)
    {
      g_autofree char *marks = g_strnfill (level, '#');
      g_autofree char *prefix = g_strconcat (marks, " ", NULL);

      gtk_text_buffer_insert (buffer, &line_start, prefix, -1);
    }
  gtk_text_buffer_end_user_action (buffer);
}

static void
byline_editor_save_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  BylineEditor *self = BYLINE_EDITOR (widget);
  g_autoptr(GError) error = NULL;

  if (self->autosave == NULL)
    return;
  if (byline_autosave_save_revision (self->autosave, &error))
    byline_editor_toast (self, _("Saved, with a revision you can go back to"));
}

/* Puts another version into the draft (an older revision, or the site's version of the post),
 * after keeping what the draft holds now as a revision, so that nothing is lost; one Ctrl+Z
 * takes it back in the text too. */
static gboolean
byline_editor_replace_text (BylineEditor      *self,
                            const char        *title,
                            const char        *body,
                            BylineDraftFormat  format)
{
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (byline_editor_get_buffer (self));
  g_autoptr(GError) error = NULL;

  byline_editor_save_now (self);
  if (!byline_store_add_revision (self->store, self->draft, BYLINE_REVISION_KIND_RESTORE, &error))
    {
      g_autofree char *message = g_strdup_printf (_("Could not keep the current text: %s"),
                                                  error->message);

      byline_editor_toast (self, message);
      return FALSE;
    }

  byline_draft_set_title (self->draft, title);
  byline_draft_set_format (self->draft, format);
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_set_text (buffer, body, -1);
  gtk_text_buffer_end_user_action (buffer);
  byline_editor_save_now (self);
  return TRUE;
}

static void
byline_editor_revision_restore_cb (BylineEditor   *self,
                                   BylineRevision *revision)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *date = NULL;
  g_autofree char *message = NULL;

  if (!byline_editor_replace_text (self, byline_revision_get_title (revision),
                                   byline_revision_get_body (revision),
                                   byline_draft_get_format (self->draft)))
    return;

  when = g_date_time_new_from_unix_local (byline_revision_get_created_at (revision) / G_USEC_PER_SEC);
  /* Translators: in strftime format */
  date = g_date_time_format (when, _("%e %B %Y at %H:%M"));
  message = g_strdup_printf (_("Restored the version of %s"), date);
  byline_editor_toast (self, message);
}

static void
byline_editor_take_theirs_cb (BylineEditor *self,
                              BylineDraft  *theirs)
{
  if (byline_editor_replace_text (self, byline_draft_get_title (theirs),
                                  byline_draft_get_body (theirs), byline_draft_get_format (theirs)))
    byline_editor_toast (self, _("The draft now has the site’s changes; the version before is "
                                 "kept as a revision"));
}

/* Selects @length bytes at byte @offset of @editable's text (a misspelling in the title, say). */
static void
select_bytes (GtkEditable *editable,
              gsize        offset,
              gsize        length)
{
  const char *text = gtk_editable_get_text (editable);
  gsize size = strlen (text);

  offset = MIN (offset, size);
  length = MIN (length, size - offset);
  if (length > 0)
    gtk_editable_select_region (editable, g_utf8_pointer_to_offset (text, text + offset),
                                g_utf8_pointer_to_offset (text, text + offset + length));
}

void
byline_editor_show_place (BylineEditor     *self,
                          BylineCheckField  field,
                          gsize             offset,
                          gsize             length)
{
  GtkTextBuffer *buffer;
  const char *body;
  GtkTextIter start, end;
  GtkWidget *row = NULL;

  g_return_if_fail (BYLINE_IS_EDITOR (self));

  if (self->draft == NULL)
    return;
  switch (field)
    {
    case BYLINE_CHECK_FIELD_BODY:
      break;
    case BYLINE_CHECK_FIELD_TITLE:
      gtk_widget_grab_focus (GTK_WIDGET (self->title_entry));
      select_bytes (GTK_EDITABLE (self->title_entry), offset, length);
      return;
    case BYLINE_CHECK_FIELD_EXCERPT:
      row = GTK_WIDGET (self->excerpt_row);
      break;
    case BYLINE_CHECK_FIELD_SLUG:
      row = GTK_WIDGET (self->slug_row);
      break;
    case BYLINE_CHECK_FIELD_CATEGORIES:
      row = GTK_WIDGET (self->categories_row);
      break;
    case BYLINE_CHECK_FIELD_TAGS:
      row = GTK_WIDGET (self->tags_row);
      break;
    case BYLINE_CHECK_FIELD_PUBLISH_DATE:
      row = GTK_WIDGET (self->date_row);
      break;
    case BYLINE_CHECK_FIELD_FEATURED_IMAGE:
    default:
      return;
    }
  if (row != NULL)
    {
      gtk_menu_button_popup (self->details_button);
      gtk_widget_grab_focus (row);
      select_bytes (GTK_EDITABLE (row), offset, length);
      return;
    }

  /* The finding counts bytes of the body as typed, which is the buffer's text; the buffer
   * counts characters. A finding about the body as a whole (an empty one) puts the cursor at
   * its start. */
  body = byline_draft_get_body (self->draft);
  offset = MIN (offset, strlen (body));
  length = MIN (length, strlen (body) - offset);
  buffer = GTK_TEXT_BUFFER (byline_editor_get_buffer (self));
  gtk_text_buffer_get_iter_at_offset (buffer, &start, g_utf8_pointer_to_offset (body, body + offset));
  gtk_text_buffer_get_iter_at_offset (buffer, &end,
                                      g_utf8_pointer_to_offset (body, body + offset + length));
  gtk_text_buffer_select_range (buffer, &start, &end);
  gtk_text_view_scroll_to_mark (GTK_TEXT_VIEW (self->source_view),
                                gtk_text_buffer_get_insert (buffer), 0.1, FALSE, 0, 0);
  gtk_widget_grab_focus (GTK_WIDGET (self->source_view));
}

static void
byline_editor_show_place_cb (BylineEditor *self,
                             guint         field,
                             guint64       offset,
                             guint64       length)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (GTK_IS_WINDOW (root))
    gtk_window_present (GTK_WINDOW (root));
  byline_editor_show_place (self, field, offset, length);
}

static void
byline_editor_publish_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  BylineEditor *self = BYLINE_EDITOR (widget);
  GApplication *app = g_application_get_default ();
  BylinePublishWindow *window;

  if (self->draft == NULL || !BYLINE_IS_APPLICATION (app)
      || byline_application_get_publisher (BYLINE_APPLICATION (app)) == NULL)
    return;

  /* What is published is what the store holds: save the last keystrokes first. */
  byline_editor_save_now (self);
  window = byline_publish_window_new (byline_application_get_publisher (BYLINE_APPLICATION (app)),
                                      byline_application_get_accounts (BYLINE_APPLICATION (app)),
                                      self->draft);
  gtk_window_set_transient_for (GTK_WINDOW (window),
                                GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  byline_publish_window_set_link_checker (window, byline_application_get_link_checker (
                                            BYLINE_APPLICATION (app)));
  g_signal_connect_object (window, "take-theirs", G_CALLBACK (byline_editor_take_theirs_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (window, "show-place", G_CALLBACK (byline_editor_show_place_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

static void
byline_editor_insert_image_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  BylineEditor *self = BYLINE_EDITOR (widget);

  if (self->draft != NULL)
    byline_image_inserter_choose (self->image_inserter);
}

BylineImageInserter *
byline_editor_get_image_inserter (BylineEditor *self)
{
  g_return_val_if_fail (BYLINE_IS_EDITOR (self), NULL);

  return self->image_inserter;
}

static void
byline_editor_revisions_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  BylineEditor *self = BYLINE_EDITOR (widget);
  BylineRevisionsWindow *window;

  if (self->draft == NULL)
    return;

  byline_editor_save_now (self);
  window = byline_revisions_window_new (self->store, self->draft);
  gtk_window_set_transient_for (GTK_WINDOW (window),
                                GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  g_signal_connect_object (window, "restore", G_CALLBACK (byline_editor_revision_restore_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

static void
byline_editor_find_action (GtkWidget  *widget,
                           const char *action_name,
                           GVariant   *parameter)
{
  BylineEditor *self = BYLINE_EDITOR (widget);

  if (g_str_equal (action_name, "editor.find"))
    byline_find_bar_open (self->find_bar, FALSE);
  else if (g_str_equal (action_name, "editor.replace"))
    byline_find_bar_open (self->find_bar, TRUE);
  else if (g_str_equal (action_name, "editor.find-next"))
    byline_find_bar_find_next (self->find_bar, FALSE);
  else if (g_str_equal (action_name, "editor.find-previous"))
    byline_find_bar_find_next (self->find_bar, TRUE);
}

static void
byline_editor_details_action (GtkWidget  *widget,
                              const char *action_name,
                              GVariant   *parameter)
{
  BylineEditor *self = BYLINE_EDITOR (widget);

  gtk_menu_button_popup (self->details_button);
}

static void
byline_editor_toggle_preview_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  BylineEditor *self = BYLINE_EDITOR (widget);

  g_settings_set_boolean (self->settings, "preview-visible",
                          !g_settings_get_boolean (self->settings, "preview-visible"));
}

static void
byline_editor_font_changed_cb (BylineEditor *self)
{
  g_autofree char *font = g_settings_get_string (self->settings, "editor-font");
  g_autoptr(PangoFontDescription) description = NULL;
  g_autofree char *css = NULL;

  gtk_text_view_set_monospace (GTK_TEXT_VIEW (self->source_view), *font == '\0');
  if (*font == '\0')
    {
      gtk_css_provider_load_from_data (self->font_css, "", -1);
      return;
    }

  description = pango_font_description_from_string (font);
  css = g_strdup_printf (".draft-body { font-family: \"%s\"; font-size: %dpt; }",
                         pango_font_description_get_family (description),
                         MAX (6, pango_font_description_get_size (description) / PANGO_SCALE));
  gtk_css_provider_load_from_data (self->font_css, css, -1);
}

static void
byline_editor_dark_changed_cb (BylineEditor    *self,
                               GParamSpec      *pspec,
                               AdwStyleManager *style)
{
  GtkSourceStyleSchemeManager *schemes = gtk_source_style_scheme_manager_get_default ();
  GtkSourceStyleScheme *scheme;
  gboolean dark = adw_style_manager_get_dark (style);

  g_object_set (self->preview, "dark", dark, NULL);
  scheme = gtk_source_style_scheme_manager_get_scheme (schemes, dark ? "Adwaita-dark" : "Adwaita");
  gtk_source_buffer_set_style_scheme (byline_editor_get_buffer (self), scheme);
}

static void
byline_editor_dispose (GObject *object)
{
  GtkWidget *child;
  BylineEditor *self = BYLINE_EDITOR (object);

  byline_editor_save_now (self);
  byline_editor_unbind (self);
  g_clear_handle_id (&self->stats_id, g_source_remove);
  g_clear_handle_id (&self->slow_save_id, g_source_remove);
  if (self->autosave != NULL)
    g_signal_handlers_disconnect_by_data (self->autosave, self);
  g_clear_object (&self->spelling);
  gtk_widget_dispose_template (GTK_WIDGET (self), BYLINE_TYPE_EDITOR);
  /* The template's top box is not a bound child, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->autosave);
  g_clear_object (&self->draft);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->font_css);
  g_clear_object (&self->image_inserter);
  g_clear_pointer (&self->bindings, g_ptr_array_unref);

  G_OBJECT_CLASS (byline_editor_parent_class)->dispose (object);
}

static void
byline_editor_class_init (BylineEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_editor_dispose;

  g_type_ensure (BYLINE_TYPE_PREVIEW);
  g_type_ensure (BYLINE_TYPE_FIND_BAR);
  g_type_ensure (GTK_SOURCE_TYPE_VIEW);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/byline-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, error_label);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, paned);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, title_entry);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, scroller);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, find_bar);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, source_view);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, preview);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, stats_label);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, save_label);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, details_button);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, language_button);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, preview_button);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, author_row);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, date_row);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, slug_row);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, excerpt_row);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, categories_row);
  gtk_widget_class_bind_template_child (widget_class, BylineEditor, tags_row);

  gtk_widget_class_install_action (widget_class, "editor.bold", NULL, byline_editor_format_action);
  gtk_widget_class_install_action (widget_class, "editor.italic", NULL, byline_editor_format_action);
  gtk_widget_class_install_action (widget_class, "editor.code", NULL, byline_editor_format_action);
  gtk_widget_class_install_action (widget_class, "editor.link", NULL, byline_editor_link_action);
  gtk_widget_class_install_action (widget_class, "editor.heading", "i", byline_editor_heading_action);
  gtk_widget_class_install_action (widget_class, "editor.save", NULL, byline_editor_save_action);
  gtk_widget_class_install_action (widget_class, "editor.revisions", NULL,
                                   byline_editor_revisions_action);
  gtk_widget_class_install_action (widget_class, "editor.publish", NULL,
                                   byline_editor_publish_action);
  gtk_widget_class_install_action (widget_class, "editor.insert-image", NULL,
                                   byline_editor_insert_image_action);
  gtk_widget_class_install_action (widget_class, "editor.details", NULL,
                                   byline_editor_details_action);
  gtk_widget_class_install_action (widget_class, "editor.toggle-preview", NULL,
                                   byline_editor_toggle_preview_action);
  gtk_widget_class_install_action (widget_class, "editor.find", NULL, byline_editor_find_action);
  gtk_widget_class_install_action (widget_class, "editor.replace", NULL, byline_editor_find_action);
  gtk_widget_class_install_action (widget_class, "editor.find-next", NULL,
                                   byline_editor_find_action);
  gtk_widget_class_install_action (widget_class, "editor.find-previous", NULL,
                                   byline_editor_find_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_b, GDK_CONTROL_MASK, "editor.bold", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK, "editor.italic", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "editor.code", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_k, GDK_CONTROL_MASK, "editor.link", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_0, GDK_CONTROL_MASK, "editor.heading", "i", 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_1, GDK_CONTROL_MASK, "editor.heading", "i", 1);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_2, GDK_CONTROL_MASK, "editor.heading", "i", 2);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_3, GDK_CONTROL_MASK, "editor.heading", "i", 3);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "editor.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_H, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "editor.revisions", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_i, GDK_CONTROL_MASK | GDK_ALT_MASK,
                                       "editor.insert-image", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_ALT_MASK,
                                       "editor.details", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_P, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "editor.toggle-preview", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "editor.find",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_h, GDK_CONTROL_MASK, "editor.replace",
                                       NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_g, GDK_CONTROL_MASK,
                                       "editor.find-next", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_G, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "editor.find-previous", NULL);
}

static void
byline_editor_init (BylineEditor *self)
{
  GtkTextBuffer *buffer;
  GtkShortcutController *shortcuts;
  AdwStyleManager *style = adw_style_manager_get_default ();

  gtk_widget_init_template (GTK_WIDGET (self));

  /* The text view would take Ctrl+Return as a new line: this one is caught on the way down. */
  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (shortcuts), GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (shortcuts,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Return,
                                                                                  GDK_CONTROL_MASK),
                                                          gtk_named_action_new ("editor.publish")));
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (shortcuts));

  self->bindings = g_ptr_array_new ();
  self->settings = g_settings_new (APP_ID);
  self->font_css = gtk_css_provider_new ();
  /* Images come from the file chooser (editor.insert-image) or are dropped on the text. */
  self->image_inserter = byline_image_inserter_new (GTK_TEXT_VIEW (self->source_view));
  self->spelling = byline_spelling_new (GTK_WIDGET (self), GTK_TEXT_VIEW (self->source_view),
                                        self->language_button);
  gtk_style_context_add_provider_for_display (gtk_widget_get_display (GTK_WIDGET (self)),
                                              GTK_STYLE_PROVIDER (self->font_css),
                                              GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);

  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->source_view));
  gtk_source_buffer_set_highlight_matching_brackets (GTK_SOURCE_BUFFER (buffer), FALSE);
  byline_find_bar_set_view (self->find_bar, self->source_view);
  g_signal_connect_object (buffer, "insert-text", G_CALLBACK (byline_editor_text_inserted_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (buffer, "delete-range", G_CALLBACK (byline_editor_text_deleted_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "begin-user-action",
                           G_CALLBACK (byline_editor_user_action_began_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "end-user-action",
                           G_CALLBACK (byline_editor_user_action_ended_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "changed", G_CALLBACK (byline_editor_buffer_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (buffer, "notify::cursor-position",
                           G_CALLBACK (byline_editor_cursor_moved_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_vadjustment (self->scroller), "value-changed",
                           G_CALLBACK (byline_editor_scrolled_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_scrolled_window_get_hadjustment (self->scroller), "changed",
                           G_CALLBACK (byline_editor_width_changed_cb), self, G_CONNECT_SWAPPED);
  /* Enter in the title goes on to the text, as on a typewriter. */
  g_signal_connect_object (self->title_entry, "activate", G_CALLBACK (byline_editor_focus_body), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->date_row, "changed", G_CALLBACK (byline_editor_validate_date), self,
                           G_CONNECT_SWAPPED);

  g_settings_bind (self->settings, "preview-visible", self->preview, "visible", G_SETTINGS_BIND_GET);
  g_settings_bind (self->settings, "preview-visible", self->preview_button, "active",
                   G_SETTINGS_BIND_GET);
  g_signal_connect_object (self->settings, "changed::editor-font",
                           G_CALLBACK (byline_editor_font_changed_cb), self, G_CONNECT_SWAPPED);
  byline_editor_font_changed_cb (self);

  g_signal_connect_object (style, "notify::dark", G_CALLBACK (byline_editor_dark_changed_cb), self,
                           G_CONNECT_SWAPPED);
  byline_editor_dark_changed_cb (self, NULL, style);
  byline_editor_update_stats (self);
}

GtkWidget *
byline_editor_new (void)
{
  return g_object_new (BYLINE_TYPE_EDITOR, NULL);
}
