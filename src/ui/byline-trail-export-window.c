/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-trail-export-window.c: the moderation trail of a site, from one day to another (local
 * days, both included), to a CSV or JSON Lines file. The file is written by the core's export
 * (byline-moderation-log.h), which neutralises what a spreadsheet would run. */

#include "config.h"

#include <glib/gi18n.h>

#include "byline-moderation-log.h"
#include "byline-trail-export-window.h"

struct _BylineTrailExportWindow
{
  AdwWindow             parent_instance;

  BylineStore          *store;
  gint64                account_id;
  char                 *site_name;
  GtkWidget            *format_row;
  GtkWidget            *since_row;
  GtkWidget            *until_row;
  GtkWidget            *message_label;
  GtkFileChooserNative *chooser;
};

G_DEFINE_FINAL_TYPE (BylineTrailExportWindow, byline_trail_export_window, ADW_TYPE_WINDOW)

#define DAY_FORMAT "%Y-%m-%d"

/* The start of local day @text (YYYY-MM-DD), in µs since the epoch; @next_day: of the day
 * after. -1 with a message when it is not a date. */
static gint64
parse_day (const char  *text,
           gboolean     next_day,
           GError     **error)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) day = NULL;
  int year, month, date;
  char end;

  if (sscanf (text, "%4d-%2d-%2d%c", &year, &month, &date, &end) == 3)
    day = g_date_time_new (local, year, month, date, 0, 0, 0);
  if (day == NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                   /* Translators: %s is what was typed as a date */
                   _("“%s” is not a date: write it as 2026-12-07 (year, month, day)."), text);
      return -1;
    }
  if (next_day)
    {
      GDateTime *after = g_date_time_add_days (day, 1);
      g_date_time_unref (day);
      day = after;
    }
  return g_date_time_to_unix (day) * G_USEC_PER_SEC;
}

static BylineModerationLogFormat
chosen_format (BylineTrailExportWindow *self)
{
  return adw_combo_row_get_selected (ADW_COMBO_ROW (self->format_row)) == 1
         ? BYLINE_MODERATION_LOG_JSONL : BYLINE_MODERATION_LOG_CSV;
}

gint64
byline_trail_export_window_export (BylineTrailExportWindow *self,
                                   GFile                   *file,
                                   GError                 **error)
{
  gint64 since = parse_day (gtk_editable_get_text (GTK_EDITABLE (self->since_row)), FALSE, error);
  gint64 until;

  g_return_val_if_fail (BYLINE_IS_TRAIL_EXPORT_WINDOW (self), -1);

  if (since < 0)
    return -1;
  until = parse_day (gtk_editable_get_text (GTK_EDITABLE (self->until_row)), TRUE, error);
  if (until < 0)
    return -1;
  if (until <= since)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("The last day comes before the first: nothing to export."));
      return -1;
    }
  return byline_moderation_log_export_to_file (self->store, self->account_id, since, until,
                                               chosen_format (self), file, error);
}

static void
show_message (BylineTrailExportWindow *self,
              const char              *message,
              gboolean                 is_error)
{
  gtk_label_set_text (GTK_LABEL (self->message_label), message);
  gtk_widget_set_visible (self->message_label, message != NULL);
  if (is_error)
    gtk_widget_add_css_class (self->message_label, "error");
  else
    gtk_widget_remove_css_class (self->message_label, "error");
}

static void
chooser_response_cb (GtkNativeDialog         *chooser,
                     int                      response,
                     BylineTrailExportWindow *self)
{
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *told = NULL;
  gint64 written;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  g_clear_object (&self->chooser);
  if (file == NULL)
    return;
  written = byline_trail_export_window_export (self, file, &error);
  if (written < 0)
    {
      show_message (self, error->message, TRUE);
      return;
    }
  {
    g_autofree char *name = g_file_get_parse_name (file);
    told = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%lld entry written to %s.",
                                         "%lld entries written to %s.", written),
                            (long long) written, name);
  }
  show_message (self, told, FALSE);
}

static void
export_clicked_cb (GtkButton               *button,
                   BylineTrailExportWindow *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  gboolean jsonl = chosen_format (self) == BYLINE_MODERATION_LOG_JSONL;

  /* Dates are checked before a file is asked for. */
  if (parse_day (gtk_editable_get_text (GTK_EDITABLE (self->since_row)), FALSE, &error) < 0 ||
      parse_day (gtk_editable_get_text (GTK_EDITABLE (self->until_row)), TRUE, &error) < 0)
    {
      show_message (self, error->message, TRUE);
      return;
    }
  show_message (self, NULL, FALSE);
  self->chooser = gtk_file_chooser_native_new (_("Export the Moderation Trail"), GTK_WINDOW (self),
                                               GTK_FILE_CHOOSER_ACTION_SAVE, _("_Export"),
                                               _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->chooser), TRUE);
  /* Translators: the suggested file name of an export; no slashes */
  name = g_strdup_printf (_("moderation-trail-%s-to-%s.%s"),
                          gtk_editable_get_text (GTK_EDITABLE (self->since_row)),
                          gtk_editable_get_text (GTK_EDITABLE (self->until_row)),
                          jsonl ? "jsonl" : "csv");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (self->chooser), name);
  g_signal_connect (self->chooser, "response", G_CALLBACK (chooser_response_cb), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->chooser));
}

static void
byline_trail_export_window_dispose (GObject *object)
{
  BylineTrailExportWindow *self = BYLINE_TRAIL_EXPORT_WINDOW (object);

  if (self->chooser != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->chooser, self);
      gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->chooser));
      g_clear_object (&self->chooser);
    }
  g_clear_object (&self->store);
  g_clear_pointer (&self->site_name, g_free);
  G_OBJECT_CLASS (byline_trail_export_window_parent_class)->dispose (object);
}

static void
byline_trail_export_window_class_init (BylineTrailExportWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_trail_export_window_dispose;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static GtkWidget *
day_row (const char *title,
         GDateTime  *day)
{
  GtkWidget *row = adw_entry_row_new ();
  g_autofree char *text = g_date_time_format (day, DAY_FORMAT);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  return row;
}

static void
byline_trail_export_window_init (BylineTrailExportWindow *self)
{
  g_autoptr(GDateTime) today = g_date_time_new_now_local ();
  g_autoptr(GDateTime) month_ago = g_date_time_add_days (today, -30);
  const char *formats[] = { N_("CSV (spreadsheets)"), N_("JSON Lines"), NULL };
  g_autoptr(GtkStringList) format_names = gtk_string_list_new (NULL);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *group = adw_preferences_group_new ();
  GtkWidget *button = gtk_button_new_with_mnemonic (_("_Export…"));

  gtk_window_set_default_size (GTK_WINDOW (self), 480, -1);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());

  for (guint i = 0; formats[i] != NULL; i++)
    gtk_string_list_append (format_names, _(formats[i]));
  self->format_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->format_row), _("Format"));
  adw_combo_row_set_model (ADW_COMBO_ROW (self->format_row), G_LIST_MODEL (format_names));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->format_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Format"), -1);
  self->since_row = day_row (_("From (year-month-day)"), month_ago);
  self->until_row = day_row (_("To, included (year-month-day)"), today);
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group),
                                         _("Every decision, reply, edit and undo of the site in "
                                           "those days, with who made it, when and why."));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->format_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->since_row);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), self->until_row);
  gtk_box_append (GTK_BOX (content), group);

  self->message_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->message_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->message_label), 0);
  gtk_label_set_selectable (GTK_LABEL (self->message_label), TRUE);
  gtk_widget_set_visible (self->message_label, FALSE);
  gtk_box_append (GTK_BOX (content), self->message_label);

  gtk_widget_set_halign (button, GTK_ALIGN_END);
  gtk_widget_add_css_class (button, "suggested-action");
  g_signal_connect (button, "clicked", G_CALLBACK (export_clicked_cb), self);
  gtk_box_append (GTK_BOX (content), button);

  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 18);
  gtk_widget_set_margin_end (content, 18);
  gtk_box_append (GTK_BOX (box), content);
  adw_window_set_content (ADW_WINDOW (self), box);
  gtk_window_set_default_widget (GTK_WINDOW (self), button);
}

GtkWidget *
byline_trail_export_window_new (GtkWindow   *parent,
                                BylineStore *store,
                                gint64       account_id,
                                const char  *site_name)
{
  BylineTrailExportWindow *self = g_object_new (BYLINE_TYPE_TRAIL_EXPORT_WINDOW,
                                                "transient-for", parent, NULL);
  /* Translators: the title of the window exporting a site's moderation trail */
  g_autofree char *title = g_strdup_printf (_("Export the Moderation Trail of %s"), site_name);

  gtk_window_set_title (GTK_WINDOW (self), title);
  self->store = g_object_ref (store);
  self->account_id = account_id;
  self->site_name = g_strdup (site_name);
  return GTK_WIDGET (self);
}
