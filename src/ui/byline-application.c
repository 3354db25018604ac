/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-application.c: the Byline application: its store, windows and app-wide actions. */

#define G_LOG_DOMAIN "byline"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "byline-accounts-window.h"
#include "byline-application.h"
#include "byline-preview.h"
#include "byline-window.h"

struct _BylineApplication
{
  AdwApplication  parent_instance;

  BylineStore    *store;
  BylineAccounts *accounts;
  BylinePublisher *publisher;
  GSettings      *settings;

  guint           outbox_timer_id;
  GError         *store_error;
};

G_DEFINE_FINAL_TYPE (BylineApplication, byline_application, ADW_TYPE_APPLICATION)

static BylineWindow *
byline_application_ensure_window (BylineApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (byline_window_new (self));
  return BYLINE_WINDOW (window);
}

/* Without its database Byline could lose what is typed, so it says why and does not start. */
static gboolean
byline_application_report_store_error (BylineApplication *self)
{
  GtkWidget *dialog;

  if (self->store != NULL)
    return FALSE;

  dialog = adw_message_dialog_new (NULL, _("Your Drafts Cannot Be Opened"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("%s\n\nByline did not change anything. Free some disk space or "
                                    "fix the folder’s permissions, then start Byline again."),
                                  self->store_error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

static void
byline_application_activate (GApplication *app)
{
  BylineApplication *self = BYLINE_APPLICATION (app);

  if (byline_application_report_store_error (self))
    return;
  gtk_window_present (GTK_WINDOW (byline_application_ensure_window (self)));
}

static void
byline_application_open (GApplication  *app,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  BylineApplication *self = BYLINE_APPLICATION (app);
  BylineWindow *window;

  if (byline_application_report_store_error (self))
    return;

  window = byline_application_ensure_window (self);
  for (int i = 0; i < n_files; i++)
    byline_window_open_file (window, files[i]);
  gtk_window_present (GTK_WINDOW (window));
}

static void
byline_application_about_action (GSimpleAction *action,
                                 GVariant      *parameter,
                                 gpointer       user_data)
{
  BylineApplication *self = user_data;
  static const char *developers[] = { "The Byline developers", NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Byline"),
                        "application-icon", APP_ID,
                        "developer-name", _("The Byline developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Draft, publish and moderate your newsroom’s blog."),
                        "website", "https://github.com/byline/byline",
                        "issue-url", "https://github.com/byline/byline/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        /* Translators: put your names here, one per line */
                        "translator-credits", _("translator-credits"),
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
byline_application_quit_action (GSimpleAction *action,
                                GVariant      *parameter,
                                gpointer       user_data)
{
  BylineApplication *self = user_data;
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (self)));

  /* Closing each window first lets it save what is still pending. */
  for (GList *l = windows; l != NULL; l = l->next)
    gtk_window_close (l->data);
  g_application_quit (G_APPLICATION (self));
}

static void
byline_application_accounts_action (GSimpleAction *action,
                                    GVariant      *parameter,
                                    gpointer       user_data)
{
  BylineApplication *self = user_data;
  BylineAccountsWindow *window;

  if (self->accounts == NULL)
    return;
  window = byline_accounts_window_new (self->accounts);
  gtk_window_set_transient_for (GTK_WINDOW (window),
                                gtk_application_get_active_window (GTK_APPLICATION (self)));
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "about", byline_application_about_action },
  { "accounts", byline_application_accounts_action },
  { "quit", byline_application_quit_action },
};

/* Outbox entries wait at least a few seconds between tries; nothing is due more often. */
#define OUTBOX_INTERVAL_SECONDS 15

static gboolean
byline_application_outbox_cb (gpointer user_data)
{
  BylineApplication *self = user_data;

  byline_publisher_process_async (self->publisher, NULL, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

static void
byline_application_startup (GApplication *app)
{
  BylineApplication *self = BYLINE_APPLICATION (app);
  g_autofree char *path = byline_store_dup_default_path ();
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "win.new-draft", { "<Control>n", NULL } },
    { "win.search", { "<Control>f", NULL } },
    { "win.toggle-sidebar", { "F9", NULL } },
    { "win.site-posts", { "<Control><Shift>o", NULL } },
    { "win.show-view('drafts')", { "<Alt>1", NULL } },
    { "win.show-view('comments')", { "<Alt>2", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  G_APPLICATION_CLASS (byline_application_parent_class)->startup (app);

  gtk_source_init ();
  g_set_application_name (_("Byline"));
  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  self->settings = g_settings_new (APP_ID);
  self->store = byline_store_open (path, &self->store_error);
  if (self->store == NULL)
    g_warning ("%s", self->store_error->message);
  else
    {
      self->accounts = byline_accounts_new (self->store);
      self->publisher = byline_publisher_new (self->store, self->accounts);
      byline_preview_set_uploads_dir (byline_publisher_get_uploads_dir (self->publisher));
      /* What could not be sent (offline, the site down) goes out by itself once it can, also
       * what a previous session left in the outbox. */
      byline_publisher_process_async (self->publisher, NULL, NULL, NULL);
      self->outbox_timer_id = g_timeout_add_seconds (OUTBOX_INTERVAL_SECONDS,
                                                     byline_application_outbox_cb, self);
    }
}

static void
byline_application_shutdown (GApplication *app)
{
  BylineApplication *self = BYLINE_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->outbox_timer_id, g_source_remove);
  G_APPLICATION_CLASS (byline_application_parent_class)->shutdown (app);

  /* The windows are gone and have saved; marking the clean exit tells the next start so. */
  if (self->store != NULL && !byline_store_close (self->store, &error))
    g_warning ("Could not close the drafts database: %s", error->message);
}

static void
byline_application_finalize (GObject *object)
{
  BylineApplication *self = BYLINE_APPLICATION (object);

  g_clear_object (&self->publisher);
  g_clear_object (&self->accounts);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_error (&self->store_error);

  G_OBJECT_CLASS (byline_application_parent_class)->finalize (object);
}

static void
byline_application_class_init (BylineApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = byline_application_finalize;
  app_class->startup = byline_application_startup;
  app_class->shutdown = byline_application_shutdown;
  app_class->activate = byline_application_activate;
  app_class->open = byline_application_open;
}

static void
byline_application_init (BylineApplication *self)
{
}

BylineApplication *
byline_application_new (void)
{
  return g_object_new (BYLINE_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_HANDLES_OPEN,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

BylineStore *
byline_application_get_store (BylineApplication *self)
{
  g_return_val_if_fail (BYLINE_IS_APPLICATION (self), NULL);

  return self->store;
}

GSettings *
byline_application_get_settings (BylineApplication *self)
{
  g_return_val_if_fail (BYLINE_IS_APPLICATION (self), NULL);

  return self->settings;
}

BylineAccounts *
byline_application_get_accounts (BylineApplication *self)
{
  g_return_val_if_fail (BYLINE_IS_APPLICATION (self), NULL);

  return self->accounts;
}

BylinePublisher *
byline_application_get_publisher (BylineApplication *self)
{
  g_return_val_if_fail (BYLINE_IS_APPLICATION (self), NULL);

  return self->publisher;
}
