/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-publish-window.c: publish, schedule, update or trash a draft's post on a site.
 *
 * Everything goes through the publisher's outbox: the window writes an entry, asks for it to be
 * sent, and shows what became of it, also later, when a retry in the background succeeds. */

#define G_LOG_DOMAIN "byline-publish"

#include "config.h"

#include <glib/gi18n.h>

#include "byline-alt-text-dialog.h"
#include "byline-check-list.h"
#include "byline-check-policy-window.h"
#include "byline-date.h"
#include "byline-override-dialog.h"
#include "byline-post-changes-view.h"
#include "byline-publish-window.h"
#include "byline-term-picker.h"

static const char * const status_values[] = { "publish", "future", "draft", "pending", "private" };

struct _BylinePublishWindow
{
  AdwWindow          parent_instance;

  BylinePublisher   *publisher;
  BylineAccounts    *accounts;
  BylineDraft       *draft;
  BylinePrepublishCheck *check;
  GPtrArray         *account_list;
  GCancellable      *cancellable;
  char              *link;
  gint64             entry_id;
  /* The draft's change serial when the check started: a post edited while it was checked is
   * not sent unchecked. */
  guint64            checked_serial;
  /* What each row of featured_row stands for: "" (none), "media:ID" or a local address. */
  GPtrArray         *featured_values;

  BylineCheckList   *check_list;
  AdwComboRow       *account_row;
  AdwComboRow       *status_row;
  AdwEntryRow       *date_row;
  AdwActionRow      *site_time_row;
  GtkSwitch         *comments_switch;
  AdwComboRow       *featured_row;
  AdwPreferencesGroup *terms_group;
  BylineTermPicker  *term_picker;
  GtkLabel          *result_label;
  GtkButton         *publish_button;
  GtkWidget         *keep_mine_button;
  GtkWidget         *take_theirs_button;
  GtkWidget         *changes_group;
  BylinePostChangesView *changes_view;
};

enum {
  TAKE_THEIRS,
  SHOW_PLACE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BylinePublishWindow, byline_publish_window, ADW_TYPE_WINDOW)

static BylineAccount *
byline_publish_window_get_account (BylinePublishWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->account_row);

  if (self->account_list == NULL || selected >= self->account_list->len)
    return NULL;
  return g_ptr_array_index (self->account_list, selected);
}

static void
byline_publish_window_show_remote (BylinePublishWindow *self)
{
  g_auto(BylineRemotePost) remote = { 0 };
  gboolean linked = byline_publisher_get_remote (self->publisher, byline_draft_get_id (self->draft),
                                                 &remote);

  g_clear_pointer (&self->link, g_free);
  if (linked && remote.link && *remote.link)
    self->link = g_strdup (remote.link);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "publish.open", self->link != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "publish.changes", linked);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "publish.trash",
                                 linked && g_strcmp0 (remote.status, "trash") != 0);
  gtk_button_set_label (self->publish_button, linked ? _("_Update") : _("_Publish"));
}

/* Shows what became of the entry being watched. */
static void
byline_publish_window_show_entry (BylinePublishWindow *self)
{
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gboolean conflict = FALSE;

  if (self->entry_id == 0)
    return;
  entry = byline_publisher_get_entry (self->publisher, self->entry_id, &error);
  if (entry == NULL)
    {
      gtk_label_set_label (self->result_label, error->message);
      return;
    }

  switch (entry->state)
    {
    case BYLINE_OUTBOX_STATE_DONE:
      if (entry->action == BYLINE_OUTBOX_ACTION_TRASH)
        text = g_strdup (_("Moved to the site’s trash."));
      else if (g_str_equal (entry->status, "future"))
        text = g_strdup_printf (_("Scheduled: %s"), entry->link);
      else if (g_str_equal (entry->status, "publish"))
        text = g_strdup_printf (_("Published: %s"), entry->link);
      else
        text = g_strdup_printf (_("Saved on the site (%s): %s"), entry->status, entry->link);
      break;
    case BYLINE_OUTBOX_STATE_PENDING:
      text = *entry->last_error
             ? g_strdup_printf (_("Not sent yet. %s Byline keeps it and tries again by itself."),
                                entry->last_error)
             : g_strdup (_("Sending…"));
      break;
    case BYLINE_OUTBOX_STATE_FAILED:
      text = g_strdup_printf (_("The site refused it. %s Your draft is unchanged."), entry->last_error);
      break;
    case BYLINE_OUTBOX_STATE_CONFLICT:
      {
        g_auto(BylineConflict) both = { 0 };

        conflict = TRUE;
        if (byline_publisher_get_conflict (self->publisher, self->entry_id, &both, NULL))
          text = g_strdup_printf (_("Someone changed this post on the site since you last published "
                                    "it. Nothing was overwritten.\n\nOn the site: “%s”\nYours: “%s”\n\n"
                                    "Keep yours (it replaces theirs on the site), or take theirs "
                                    "(it replaces your draft, which keeps a revision)."),
                                  both.theirs_title, both.mine_title);
        break;
      }
    default:
      g_assert_not_reached ();
    }

  gtk_label_set_label (self->result_label, text ? text : "");
  gtk_widget_set_visible (self->keep_mine_button, conflict);
  gtk_widget_set_visible (self->take_theirs_button, conflict);
  byline_publish_window_show_remote (self);
  if (conflict)
    gtk_widget_activate_action (GTK_WIDGET (self), "publish.changes", NULL);
}

static void
byline_publish_window_processed_cb (GObject      *object,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(BylinePublishWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "publish.send", TRUE);
  if (!byline_publisher_process_finish (BYLINE_PUBLISHER (object), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->result_label, error->message);
      return;
    }
  byline_publish_window_show_entry (self);
}

static void
byline_publish_window_process (BylinePublishWindow *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "publish.send", FALSE);
  byline_publish_window_show_entry (self);
  byline_publisher_process_async (self->publisher, self->cancellable,
                                  byline_publish_window_processed_cb, g_object_ref (self));
}

static void byline_publish_window_fill_featured (BylinePublishWindow *self);

static void
byline_publish_window_entry_changed_cb (BylinePublishWindow *self,
                                        gint64               entry_id)
{
  g_autoptr(BylineOutboxEntry) entry = NULL;

  if (entry_id == self->entry_id)
    byline_publish_window_show_entry (self);
  /* An image of the draft that finished uploading (or was refused) shows as it now is. */
  entry = byline_publisher_get_entry (self->publisher, entry_id, NULL);
  if (entry != NULL && entry->action == BYLINE_OUTBOX_ACTION_UPLOAD && self->draft != NULL
      && entry->draft_id == byline_draft_get_id (self->draft) && self->featured_values != NULL)
    byline_publish_window_fill_featured (self);
}

/* The date as typed (local time), and the same moment on the site's clock. */
static void
byline_publish_window_date_changed_cb (BylinePublishWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->date_row));
  BylineAccount *account = byline_publish_window_get_account (self);
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) on_site = NULL;
  g_autoptr(GTimeZone) site_zone = NULL;
  g_autoptr(GDateTime) now = NULL;
  g_autofree char *formatted = NULL;

  if (*text == '\0')
    {
      adw_action_row_set_subtitle (self->site_time_row, _("When it is sent"));
      gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");
      return;
    }
  date = byline_date_parse (text);
  if (date == NULL)
    {
      adw_action_row_set_subtitle (self->site_time_row, _("Not a date and time"));
      gtk_widget_add_css_class (GTK_WIDGET (self->date_row), "error");
      return;
    }
  gtk_widget_remove_css_class (GTK_WIDGET (self->date_row), "error");

  if (account != NULL && *byline_account_get_timezone (account) != '\0')
    site_zone = g_time_zone_new_identifier (byline_account_get_timezone (account));
  if (site_zone == NULL)
    site_zone = g_time_zone_new_offset (account ? (gint32) (byline_account_get_gmt_offset (account)
                                                            * 3600) : 0);
  on_site = g_date_time_to_timezone (date, site_zone);
  /* Translators: a date and time on the site's clock, then the zone's name */
  formatted = g_date_time_format (on_site, _("%e %B %Y, %H:%M (%Z)"));
  adw_action_row_set_subtitle (self->site_time_row, formatted);

  /* A date ahead is a schedule. */
  now = g_date_time_new_now_utc ();
  if (g_date_time_difference (date, now) > 60 * G_TIME_SPAN_SECOND
      && adw_combo_row_get_selected (self->status_row) == 0)
    adw_combo_row_set_selected (self->status_row, 1);
}

/* The picker lists the selected site's categories and tags. */
static void
byline_publish_window_account_changed_cb (BylinePublishWindow *self)
{
  if (self->term_picker != NULL)
    byline_term_picker_set_account (self->term_picker, self->accounts,
                                    byline_publish_window_get_account (self));
}

/* The date typed here, in UTC ("2030-01-02T08:30:00"), into @date_gmt: NULL when none is typed
 * (when sent). FALSE when what is typed is no date. */
static gboolean
byline_publish_window_get_date_gmt (BylinePublishWindow  *self,
                                    char                **date_gmt)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->date_row));

  *date_gmt = NULL;
  if (*text == '\0')
    return TRUE;
  *date_gmt = byline_date_parse_utc (text);
  return *date_gmt != NULL;
}

static void
byline_publish_window_send_now (BylinePublishWindow *self)
{
  BylineAccount *account = byline_publish_window_get_account (self);
  g_autofree char *date_gmt = NULL;
  g_autoptr(GError) error = NULL;
  BylinePublishOptions options = { 0 };
  guint status = adw_combo_row_get_selected (self->status_row);

  if (account == NULL)
    return;
  if (!byline_publish_window_get_date_gmt (self, &date_gmt))
    {
      gtk_label_set_label (self->result_label, _("The date is not a date and time like "
                                                 "“2030-01-02 09:30”."));
      return;
    }

  options.status = status_values[MIN (status, G_N_ELEMENTS (status_values) - 1)];
  options.date_gmt = date_gmt;
  options.comment_status = gtk_switch_get_active (self->comments_switch) ? "open" : "closed";
  self->entry_id = byline_publisher_enqueue_publish (self->publisher, self->draft,
                                                     byline_account_get_id (account), &options,
                                                     &error);
  if (self->entry_id == 0)
    {
      gtk_label_set_label (self->result_label, error->message);
      return;
    }
  byline_publish_window_process (self);
}

/* Published, scheduled or private: what readers (or the site's editors) will see as the post. */
static gboolean
status_is_public (BylinePublishWindow *self)
{
  const char *status = status_values[MIN (adw_combo_row_get_selected (self->status_row),
                                          G_N_ELEMENTS (status_values) - 1)];

  return !g_str_equal (status, "draft") && !g_str_equal (status, "pending");
}

/* While the post is checked, what it is sent as (site, status, date, comments) stays as it was
 * checked: the check's findings and the site's policy are those of that post. */
static void
byline_publish_window_set_checking (BylinePublishWindow *self,
                                    gboolean             checking)
{
  GtkWidget *rows[] = {
    GTK_WIDGET (self->account_row), GTK_WIDGET (self->status_row), GTK_WIDGET (self->date_row),
    GTK_WIDGET (self->comments_switch),
  };

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "publish.send", !checking);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "publish.check", !checking);
  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    gtk_widget_set_sensitive (rows[i], !checking);
  if (checking)
    self->checked_serial = byline_draft_get_change_serial (self->draft);
}

/* Sends the post that was checked, unless the draft changed since. */
static void
byline_publish_window_send_checked (BylinePublishWindow *self)
{
  if (byline_draft_get_change_serial (self->draft) != self->checked_serial)
    {
      gtk_label_set_label (self->result_label, _("Not sent: the draft changed while it was "
                                                 "checked. Check it again."));
      return;
    }
  byline_publish_window_send_now (self);
}

/* The draft as it will be sent: with the date typed here, which the check looks at. */
static BylineDraft *
byline_publish_window_dup_draft_as_sent (BylinePublishWindow *self)
{
  BylineDraft *sent = byline_draft_copy (self->draft);
  g_autofree char *date = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->date_row)));

  byline_draft_set_publish_date (sent, g_strstrip (g_strdelimit (date, " ", 'T')));
  return sent;
}

static void
byline_publish_window_checked_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(BylinePublishWindow) self = user_data;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  gboolean clear = FALSE;

  byline_publish_window_set_checking (self, FALSE);
  if (g_task_get_source_tag (G_TASK (result)) == byline_check_list_clear_to_send_async)
    clear = byline_check_list_clear_to_send_finish (BYLINE_CHECK_LIST (object), result, &error);
  else
    findings = byline_check_list_check_finish (BYLINE_CHECK_LIST (object), result, &error);
  if (error != NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->result_label, error->message);
      return;
    }
  if (clear)
    byline_publish_window_send_checked (self);
  else if (findings == NULL)
    {
      gtk_label_set_label (self->result_label, _("Not sent. Fix what the check found, or send "
                                                 "it anyway with a reason."));
      byline_check_list_focus_first (self->check_list);
    }
}

/* A draft or a post pending review on the site is not published: what the check finds is shown,
 * and it is sent all the same, with no override to ask for. */
static void
byline_publish_window_checked_not_public_cb (GObject      *object,
                                             GAsyncResult *result,
                                             gpointer      user_data)
{
  g_autoptr(BylinePublishWindow) self = user_data;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;

  byline_publish_window_set_checking (self, FALSE);
  findings = byline_check_list_check_finish (BYLINE_CHECK_LIST (object), result, &error);
  if (findings == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        gtk_label_set_label (self->result_label, error->message);
      return;
    }
  byline_publish_window_send_checked (self);
}

/* Publish, Schedule and Update check the post first; Check only checks. */
static void
byline_publish_window_check_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  BylinePublishWindow *self = BYLINE_PUBLISH_WINDOW (widget);
  BylineAccount *account = byline_publish_window_get_account (self);
  g_autoptr(BylineDraft) sent = NULL;
  g_auto(BylineRemotePost) remote = { 0 };
  const char *override_label;

  if (account == NULL)
    return;
  sent = byline_publish_window_dup_draft_as_sent (self);
  byline_publish_window_set_checking (self, TRUE);
  if (g_str_equal (action_name, "publish.check") || !status_is_public (self))
    {
      byline_check_list_check_async (self->check_list, self->check, sent,
                                     byline_account_get_id (account), self->cancellable,
                                     g_str_equal (action_name, "publish.check")
                                     ? byline_publish_window_checked_cb
                                     : byline_publish_window_checked_not_public_cb,
                                     g_object_ref (self));
      return;
    }
  if (byline_publisher_get_remote (self->publisher, byline_draft_get_id (self->draft), &remote))
    override_label = _("_Update Anyway");
  else if (adw_combo_row_get_selected (self->status_row) == 1)
    override_label = _("_Schedule Anyway");
  else
    override_label = _("_Publish Anyway");
  byline_check_list_clear_to_send_async (self->check_list, self->check, sent,
                                         byline_account_get_id (account), override_label,
                                         self->cancellable, byline_publish_window_checked_cb,
                                         g_object_ref (self));
}

/* A field of this window is focused here; the rest are the editor's, under this window, which
 * closes to let the writer there (Ctrl+Return opens it again). */
static void
byline_publish_window_finding_activated_cb (BylinePublishWindow *self,
                                            BylineFinding       *finding)
{
  switch (finding->field)
    {
    case BYLINE_CHECK_FIELD_CATEGORIES:
    case BYLINE_CHECK_FIELD_TAGS:
      gtk_widget_grab_focus (GTK_WIDGET (byline_term_picker_get_search_entry (self->term_picker)));
      return;
    case BYLINE_CHECK_FIELD_FEATURED_IMAGE:
      gtk_widget_grab_focus (GTK_WIDGET (self->featured_row));
      return;
    case BYLINE_CHECK_FIELD_PUBLISH_DATE:
      gtk_widget_grab_focus (GTK_WIDGET (self->date_row));
      return;
    case BYLINE_CHECK_FIELD_BODY:
    case BYLINE_CHECK_FIELD_TITLE:
    case BYLINE_CHECK_FIELD_EXCERPT:
    case BYLINE_CHECK_FIELD_SLUG:
    default:
      g_signal_emit (self, signals[SHOW_PLACE], 0, (guint) finding->field,
                     (guint64) finding->offset, (guint64) finding->length);
      gtk_window_close (GTK_WINDOW (self));
    }
}

static void
byline_publish_window_check_settings_action (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *parameter)
{
  BylinePublishWindow *self = BYLINE_PUBLISH_WINDOW (widget);
  BylineAccount *account = byline_publish_window_get_account (self);
  BylineCheckPolicyWindow *window;

  if (account == NULL)
    return;
  window = byline_check_policy_window_new (byline_accounts_get_store (self->accounts), account);
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  gtk_window_present (GTK_WINDOW (window));
}

/* Featured image: none, one of the draft's images (uploaded or on their way, not refused), or the
 * one the post had on the site; the choice is the draft's, kept with it. */
static void byline_publish_window_featured_selected_cb (BylinePublishWindow *self);

static void
byline_publish_window_fill_featured (BylinePublishWindow *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  const char *current = byline_draft_get_featured_image (self->draft);
  guint selected = 0;

  g_ptr_array_set_size (self->featured_values, 0);
  /* "none" removes the post's image; "" (nothing chosen yet) keeps what the site has. */
  gtk_string_list_append (names, _("None"));
  g_ptr_array_add (self->featured_values, g_strdup ("none"));

  entries = byline_publisher_list_entries (self->publisher, byline_draft_get_id (self->draft),
                                           &error);
  for (guint i = 0; entries != NULL && i < entries->len; i++)
    {
      BylineOutboxEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *label = NULL;

      if (entry->action != BYLINE_OUTBOX_ACTION_UPLOAD
          || entry->state == BYLINE_OUTBOX_STATE_FAILED)
        continue;
      label = entry->state == BYLINE_OUTBOX_STATE_DONE
              ? g_strdup (entry->title)
              : g_strdup_printf (_("%s (uploading)"), entry->title);
      if (g_str_equal (current, entry->local_address))
        selected = self->featured_values->len;
      gtk_string_list_append (names, label);
      g_ptr_array_add (self->featured_values, g_strdup (entry->local_address));
    }
  if (selected == 0 && g_str_has_prefix (current, "media:"))
    {
      g_autofree char *label = g_strdup_printf (_("The post’s image on the site (%s)"),
                                                current + strlen ("media:"));

      selected = self->featured_values->len;
      gtk_string_list_append (names, label);
      g_ptr_array_add (self->featured_values, g_strdup (current));
    }

  g_signal_handlers_block_by_func (self->featured_row, byline_publish_window_featured_selected_cb,
                                   self);
  adw_combo_row_set_model (self->featured_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->featured_row, selected);
  g_signal_handlers_unblock_by_func (self->featured_row,
                                     byline_publish_window_featured_selected_cb, self);
}

static void
byline_publish_window_featured_selected_cb (BylinePublishWindow *self)
{
  guint selected = adw_combo_row_get_selected (self->featured_row);

  if (selected < self->featured_values->len)
    byline_draft_set_featured_image (self->draft,
                                     g_ptr_array_index (self->featured_values, selected));
}

typedef struct {
  BylinePublishWindow *self;
  GFile               *file;
  GtkEditable         *entry;
} FeaturedRequest;

static void
featured_request_free (FeaturedRequest *request)
{
  g_clear_object (&request->self);
  g_clear_object (&request->file);
  g_free (request);
}

/* The file goes into the outbox like an image of the text (uploaded when it can be), and is the
 * draft's featured image at once. */
static void
featured_alt_response_cb (AdwMessageDialog *dialog,
                          const char       *response,
                          gpointer          user_data)
{
  FeaturedRequest *request = user_data;
  BylinePublishWindow *self = request->self;
  BylineAccount *account = byline_publish_window_get_account (self);
  g_autofree char *alt = byline_alt_text_dialog_dup_text (request->entry);
  g_autofree char *contents = NULL;
  g_autofree char *name = g_file_get_basename (request->file);
  g_autofree char *content_type = NULL;
  g_autofree char *mime_type = NULL;
  g_autofree char *local_address = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  if (!g_str_equal (response, "set") || *alt == '\0' || account == NULL)
    {
      featured_request_free (request);
      return;
    }
  if (!g_file_load_contents (request->file, NULL, &contents, &length, NULL, &error))
    {
      gtk_label_set_label (self->result_label, error->message);
      featured_request_free (request);
      return;
    }
  content_type = g_content_type_guess (name, (const guchar *) contents, length, NULL);
  mime_type = g_content_type_get_mime_type (content_type);
  if (mime_type == NULL || !g_str_has_prefix (mime_type, "image/"))
    {
      g_autofree char *text = g_strdup_printf (_("“%s” is not an image"), name);

      gtk_label_set_label (self->result_label, text);
      featured_request_free (request);
      return;
    }
  data = g_bytes_new_take (g_steal_pointer (&contents), length);
  if (byline_publisher_enqueue_upload (self->publisher, byline_draft_get_id (self->draft),
                                       byline_account_get_id (account), data, name, mime_type,
                                       alt, &local_address, &error) == 0)
    {
      gtk_label_set_label (self->result_label, error->message);
      featured_request_free (request);
      return;
    }
  byline_draft_set_featured_image (self->draft, local_address);
  byline_publish_window_fill_featured (self);
  byline_publish_window_process (self);
  featured_request_free (request);
}

static void
featured_chooser_response_cb (GtkNativeDialog *chooser,
                              int              response,
                              gpointer         user_data)
{
  g_autoptr(BylinePublishWindow) self = user_data;
  g_autoptr(GFile) file = NULL;
  FeaturedRequest *request;
  AdwMessageDialog *dialog;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
  if (file == NULL)
    return;

  request = g_new0 (FeaturedRequest, 1);
  request->self = g_object_ref (self);
  request->file = g_object_ref (file);
  dialog = byline_alt_text_dialog_new (GTK_WINDOW (self), file, "set", _("_Set as Featured Image"),
                                       &request->entry);
  g_signal_connect (dialog, "response", G_CALLBACK (featured_alt_response_cb), request);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (request->entry));
}

static void
byline_publish_window_choose_featured_action (GtkWidget  *widget,
                                              const char *action_name,
                                              GVariant   *parameter)
{
  BylinePublishWindow *self = BYLINE_PUBLISH_WINDOW (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  chooser = gtk_file_chooser_native_new (_("Choose the Featured Image"), GTK_WINDOW (self),
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"),
                                         _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_mime_type (filter, "image/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (featured_chooser_response_cb),
                    g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

static void
byline_publish_window_trash_action (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *parameter)
{
  BylinePublishWindow *self = BYLINE_PUBLISH_WINDOW (widget);
  g_autoptr(GError) error = NULL;

  self->entry_id = byline_publisher_enqueue_trash (self->publisher, byline_draft_get_id (self->draft),
                                                   &error);
  if (self->entry_id == 0)
    {
      gtk_label_set_label (self->result_label, error->message);
      return;
    }
  byline_publish_window_process (self);
}

static void
byline_publish_window_resolve_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  BylinePublishWindow *self = BYLINE_PUBLISH_WINDOW (widget);
  gboolean mine = g_str_equal (action_name, "publish.keep-mine");
  g_autoptr(BylineDraft) theirs = mine ? NULL : byline_draft_new ();
  g_autoptr(GError) error = NULL;

  if (!byline_publisher_resolve_conflict (self->publisher, self->entry_id,
                                          mine ? BYLINE_CONFLICT_KEEP_MINE
                                               : BYLINE_CONFLICT_TAKE_THEIRS,
                                          theirs, &error))
    {
      gtk_label_set_label (self->result_label, error->message);
      return;
    }
  if (mine)
    byline_publish_window_process (self);
  else
    {
      g_signal_emit (self, signals[TAKE_THEIRS], 0, theirs);
      byline_publish_window_show_entry (self);
    }
}

/* The live post against what would be sent with the status and comments chosen now. */
static void
byline_publish_window_changes_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  BylinePublishWindow *self = BYLINE_PUBLISH_WINDOW (widget);
  guint status = adw_combo_row_get_selected (self->status_row);
  BylinePublishOptions options = { 0 };
  g_autofree char *date_gmt = NULL;

  options.status = status_values[MIN (status, G_N_ELEMENTS (status_values) - 1)];
  options.comment_status = gtk_switch_get_active (self->comments_switch) ? "open" : "closed";
  /* The date that would be sent; one that is no date yet is left to the send to refuse. */
  if (byline_publish_window_get_date_gmt (self, &date_gmt))
    options.date_gmt = date_gmt;
  gtk_widget_set_visible (self->changes_group, TRUE);
  /* On demand (not as the window opens), the focus goes there. */
  byline_post_changes_view_compare (self->changes_view, self->accounts, self->draft, &options,
                                    gtk_widget_get_mapped (GTK_WIDGET (self)));
}

/* A merge puts the site's changes in the draft: a conflict waiting on the same change ends
 * without sending, as with Take Theirs, and the next Update sends the merge. */
static void
byline_publish_window_merged_cb (BylinePublishWindow *self,
                                 BylineDraft         *merged)
{
  g_autoptr(BylineOutboxEntry) entry = NULL;

  if (self->entry_id != 0
      && (entry = byline_publisher_get_entry (self->publisher, self->entry_id, NULL)) != NULL
      && entry->state == BYLINE_OUTBOX_STATE_CONFLICT)
    byline_publisher_resolve_conflict (self->publisher, self->entry_id,
                                       BYLINE_CONFLICT_TAKE_THEIRS, NULL, NULL);
  g_signal_emit (self, signals[TAKE_THEIRS], 0, merged);
  gtk_widget_set_visible (self->keep_mine_button, FALSE);
  gtk_widget_set_visible (self->take_theirs_button, FALSE);
}

static void
byline_publish_window_open_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  BylinePublishWindow *self = BYLINE_PUBLISH_WINDOW (widget);

  if (self->link != NULL)
    gtk_show_uri (GTK_WINDOW (self), self->link, GDK_CURRENT_TIME);
}

static void
byline_publish_window_dispose (GObject *object)
{
  BylinePublishWindow *self = BYLINE_PUBLISH_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  /* A send still running keeps this window alive past its dispose: its signals must not reach
   * the emptied window (g_signal_connect_object disconnects only at finalize). */
  if (self->publisher != NULL)
    g_signal_handlers_disconnect_by_data (self->publisher, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BYLINE_TYPE_PUBLISH_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->publisher);
  g_clear_object (&self->accounts);
  g_clear_object (&self->draft);
  g_clear_object (&self->check);
  g_clear_pointer (&self->account_list, g_ptr_array_unref);
  g_clear_pointer (&self->link, g_free);
  g_clear_pointer (&self->featured_values, g_ptr_array_unref);

  G_OBJECT_CLASS (byline_publish_window_parent_class)->dispose (object);
}

static void
byline_publish_window_class_init (BylinePublishWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_publish_window_dispose;

  signals[TAKE_THEIRS] = g_signal_new ("take-theirs", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                       0, NULL, NULL, NULL, G_TYPE_NONE, 1, BYLINE_TYPE_DRAFT);
  signals[SHOW_PLACE] = g_signal_new ("show-place", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_UINT,
                                      G_TYPE_UINT64, G_TYPE_UINT64);

  g_type_ensure (BYLINE_TYPE_CHECK_LIST);

  g_type_ensure (BYLINE_TYPE_POST_CHANGES_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/byline-publish-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BylinePublishWindow, check_list);
  gtk_widget_class_bind_template_child (widget_class, BylinePublishWindow, account_row);
  gtk_widget_class_bind_template_child (widget_class, BylinePublishWindow, status_row);
  gtk_widget_class_bind_template_child (widget_class, BylinePublishWindow, date_row);
  gtk_widget_class_bind_template_child (widget_class, BylinePublishWindow, site_time_row);
  gtk_widget_class_bind_template_child (widget_class, BylinePublishWindow, comments_switch);
  gtk_widget_class_bind_template_child (widget_class, BylinePublishWindow, featured_row);
  gtk_widget_class_bind_template_child (widget_class, BylinePublishWindow, terms_group);
  gtk_widget_class_bind_template_child (widget_class, BylinePublishWindow, result_label);
  gtk_widget_class_bind_template_child (widget_class, BylinePublishWindow, publish_button);
  gtk_widget_class_bind_template_child (widget_class, BylinePublishWindow, keep_mine_button);
  gtk_widget_class_bind_template_child (widget_class, BylinePublishWindow, take_theirs_button);
  gtk_widget_class_bind_template_child (widget_class, BylinePublishWindow, changes_group);
  gtk_widget_class_bind_template_child (widget_class, BylinePublishWindow, changes_view);

  gtk_widget_class_install_action (widget_class, "publish.send", NULL,
                                   byline_publish_window_check_action);
  gtk_widget_class_install_action (widget_class, "publish.check", NULL,
                                   byline_publish_window_check_action);
  gtk_widget_class_install_action (widget_class, "publish.check-settings", NULL,
                                   byline_publish_window_check_settings_action);
  gtk_widget_class_install_action (widget_class, "publish.choose-featured", NULL,
                                   byline_publish_window_choose_featured_action);
  gtk_widget_class_install_action (widget_class, "publish.trash", NULL,
                                   byline_publish_window_trash_action);
  gtk_widget_class_install_action (widget_class, "publish.keep-mine", NULL,
                                   byline_publish_window_resolve_action);
  gtk_widget_class_install_action (widget_class, "publish.take-theirs", NULL,
                                   byline_publish_window_resolve_action);
  gtk_widget_class_install_action (widget_class, "publish.open", NULL,
                                   byline_publish_window_open_action);
  gtk_widget_class_install_action (widget_class, "publish.changes", NULL,
                                   byline_publish_window_changes_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK,
                                       "publish.send", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_K, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "publish.check", NULL);
}

static void
byline_publish_window_init (BylinePublishWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->featured_values = g_ptr_array_new_with_free_func (g_free);
  g_signal_connect_object (self->date_row, "changed",
                           G_CALLBACK (byline_publish_window_date_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->check_list, "finding-activated",
                           G_CALLBACK (byline_publish_window_finding_activated_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->changes_view, "merged",
                           G_CALLBACK (byline_publish_window_merged_cb), self, G_CONNECT_SWAPPED);
}

void
byline_publish_window_set_link_checker (BylinePublishWindow *self,
                                        BylineLinkChecker   *links)
{
  g_return_if_fail (BYLINE_IS_PUBLISH_WINDOW (self));
  g_return_if_fail (BYLINE_IS_LINK_CHECKER (links));

  g_clear_object (&self->check);
  self->check = byline_prepublish_check_new (byline_accounts_get_store (self->accounts), links);
}

BylinePublishWindow *
byline_publish_window_new (BylinePublisher *publisher,
                           BylineAccounts  *accounts,
                           BylineDraft     *draft)
{
  BylinePublishWindow *self;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_auto(BylineRemotePost) remote = { 0 };
  g_autoptr(GError) error = NULL;
  gboolean linked;

  g_return_val_if_fail (BYLINE_IS_PUBLISHER (publisher), NULL);
  g_return_val_if_fail (BYLINE_IS_DRAFT (draft), NULL);

  self = g_object_new (BYLINE_TYPE_PUBLISH_WINDOW, NULL);
  self->publisher = g_object_ref (publisher);
  self->accounts = g_object_ref (accounts);
  self->draft = g_object_ref (draft);
  {
    g_autoptr(BylineLinkChecker) links = byline_link_checker_new ();

    byline_publish_window_set_link_checker (self, links);
  }
  g_signal_connect_object (publisher, "entry-changed",
                           G_CALLBACK (byline_publish_window_entry_changed_cb), self,
                           G_CONNECT_SWAPPED);

  self->account_list = byline_accounts_list (accounts, &error);
  if (self->account_list == NULL)
    self->account_list = g_ptr_array_new_with_free_func (g_object_unref);
  linked = byline_publisher_get_remote (publisher, byline_draft_get_id (draft), &remote);
  for (guint i = 0; i < self->account_list->len; i++)
    {
      BylineAccount *account = g_ptr_array_index (self->account_list, i);
      g_autofree char *label = byline_account_dup_label (account);

      gtk_string_list_append (names, label);
    }
  adw_combo_row_set_model (self->account_row, G_LIST_MODEL (names));
  for (guint i = 0; linked && i < self->account_list->len; i++)
    if (byline_account_get_id (g_ptr_array_index (self->account_list, i)) == remote.account_id)
      adw_combo_row_set_selected (self->account_row, i);

  if (self->account_list->len == 0)
    {
      gtk_label_set_label (self->result_label, _("Sign in to a site first: main menu → Accounts."));
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "publish.send", FALSE);
    }
  else if (linked)
    {
      g_autofree char *text = g_strdup_printf (_("On the site (%s): %s"), remote.status, remote.link);

      gtk_label_set_label (self->result_label, text);
    }

  /* The intended date from the post details, if it is still ahead. */
  if (*byline_draft_get_publish_date (draft) != '\0')
    {
      g_autofree char *shown = g_strdelimit (g_strdup (byline_draft_get_publish_date (draft)), "T", ' ');

      gtk_editable_set_text (GTK_EDITABLE (self->date_row), shown);
    }
  byline_publish_window_date_changed_cb (self);
  byline_publish_window_show_remote (self);

  /* Categories and tags: the site's to pick from, new ones to type. */
  self->term_picker = byline_term_picker_new (draft);
  adw_preferences_group_add (self->terms_group, GTK_WIDGET (self->term_picker));
  g_signal_connect_object (self->account_row, "notify::selected",
                           G_CALLBACK (byline_publish_window_account_changed_cb), self,
                           G_CONNECT_SWAPPED);
  byline_publish_window_account_changed_cb (self);

  byline_publish_window_fill_featured (self);
  g_signal_connect_object (self->featured_row, "notify::selected",
                           G_CALLBACK (byline_publish_window_featured_selected_cb), self,
                           G_CONNECT_SWAPPED);
  /* Before an update, what it would change. */
  if (linked)
    gtk_widget_activate_action (GTK_WIDGET (self), "publish.changes", NULL);
  return self;
}
