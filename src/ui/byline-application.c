/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-application.c: the Byline application: its store, windows and app-wide actions. */

#define G_LOG_DOMAIN "byline"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "byline-accounts-window.h"
#include "byline-application.h"
#include "byline-button-names.h"
#include "byline-preview.h"
#include "byline-renderer.h"
#include "byline-window.h"
#include "byline-wp-authorize.h"

struct _BylineApplication
{
  AdwApplication  parent_instance;

  BylineStore    *store;
  BylineAccounts *accounts;
  BylinePublisher *publisher;
  BylineCommentStore *comments;
  BylineModerator *moderator;
  BylineCommentSync *comment_sync;
  BylineLinkChecker *link_checker;
  GSettings      *settings;

  guint           outbox_timer_id;
  /* Why the store did not open; for a file refused (from a newer Byline, or damaged), where a
   * copy of it was kept, or why none could be. */
  GError         *store_error;
  char           *kept_copy;
  GError         *keep_copy_error;
  /* Opened read-only on the person's choice, from the dialog about a refused file. */
  guint           read_only_by_choice : 1;
};

G_DEFINE_FINAL_TYPE (BylineApplication, byline_application, ADW_TYPE_APPLICATION)

/* Why nothing can be saved, for the bar above the views; NULL when the store can be written. */
static char *
byline_application_dup_read_only_message (BylineApplication *self)
{
  g_autofree char *display_path = NULL;

  if (!byline_store_get_read_only (self->store))
    return NULL;
  display_path = g_filename_display_name (byline_store_get_path (self->store));
  if (self->read_only_by_choice && self->kept_copy != NULL)
    {
      g_autofree char *display_copy = g_filename_display_name (self->kept_copy);

      return g_strdup_printf (_("Read-only: Byline changes nothing in %s. Select the text of a "
                                "draft and copy it to keep it. A copy of the file is at %s."),
                              display_path, display_copy);
    }
  if (self->read_only_by_choice)
    return g_strdup_printf (_("Read-only: Byline changes nothing in %s. Select the text of a "
                              "draft and copy it to keep it."), display_path);
  return g_strdup_printf (_("Read-only: the drafts database %s cannot be written, so nothing "
                            "changed here can be saved. Make it writable, then start Byline "
                            "again."), display_path);
}

static BylineWindow *
byline_application_ensure_window (BylineApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *read_only = NULL;

  if (window != NULL)
    return BYLINE_WINDOW (window);
  window = GTK_WINDOW (byline_window_new (self));
  read_only = byline_application_dup_read_only_message (self);
  byline_window_show_read_only (BYLINE_WINDOW (window), read_only);
  return BYLINE_WINDOW (window);
}

static void byline_application_use_store (BylineApplication *self,
                                          BylineStore       *store);
static gboolean byline_application_report_store_error (BylineApplication *self);

/* A file Byline must not write (from a newer version, or damaged) is copied first, before anything
 * else opens it: whatever the person chooses next, what it held is kept as it was. */
static void
byline_application_keep_refused_copy (BylineApplication *self,
                                      const char        *path)
{
  if (!g_error_matches (self->store_error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_TOO_NEW) &&
      !g_error_matches (self->store_error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CORRUPT))
    return;
  if (self->kept_copy != NULL || !g_file_test (path, G_FILE_TEST_IS_REGULAR))
    return;
  g_clear_error (&self->keep_copy_error);
  self->kept_copy = byline_store_keep_copy (path, &self->keep_copy_error);
  if (self->kept_copy == NULL)
    g_warning ("%s", self->keep_copy_error->message);
}

static void
byline_application_store_dialog_cb (BylineApplication *self,
                                    const char        *response,
                                    AdwMessageDialog  *dialog)
{
  g_autofree char *path = byline_store_dup_default_path ();
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(GError) error = NULL;

  if (g_str_equal (response, "retry"))
    store = byline_store_open (path, &error);
  else if (g_str_equal (response, "read-only"))
    store = byline_store_open_read_only (path, &error);
  else if (g_str_equal (response, "new"))
    {
      g_autofree char *aside = byline_store_set_aside (path, &error);

      if (aside != NULL)
        {
          g_message ("Set the drafts database aside as %s", aside);
          store = byline_store_open (path, &error);
        }
    }
  else
    return;  /* Quit: the dialog closes, and with the last window the application */

  if (store == NULL)
    {
      g_warning ("%s", error->message);
      g_clear_error (&self->store_error);
      self->store_error = g_steal_pointer (&error);
      byline_application_keep_refused_copy (self, path);
      byline_application_report_store_error (self);
      return;
    }

  self->read_only_by_choice = g_str_equal (response, "read-only");
  byline_application_use_store (self, store);
  gtk_window_present (GTK_WINDOW (byline_application_ensure_window (self)));
}

/* Without its database Byline could lose what is typed, so it says why and starts only once the
 * person has chosen a way out: try again (once there is room, or the folder is writable), or, for
 * a file it must not write, read it without changing it or start with new drafts. */
static gboolean
byline_application_report_store_error (BylineApplication *self)
{
  gboolean refused;
  AdwMessageDialog *dialog;
  g_autoptr(GString) body = NULL;
  const char *heading;

  if (self->store != NULL)
    return FALSE;

  refused = g_error_matches (self->store_error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_TOO_NEW) ||
            g_error_matches (self->store_error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CORRUPT);
  if (g_error_matches (self->store_error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_TOO_NEW))
    heading = _("Your Drafts Are From a Newer Byline");
  else if (refused)
    heading = _("Your Drafts File Is Damaged");
  else
    heading = _("Your Drafts Cannot Be Opened");

  body = g_string_new (self->store_error->message);
  g_string_append (body, "\n\n");
  if (refused)
    {
      if (self->kept_copy != NULL)
        {
          g_autofree char *display_copy = g_filename_display_name (self->kept_copy);

          g_string_append_printf (body, _("A copy of the file was kept, as it was, at %s."),
                                  display_copy);
        }
      else if (self->keep_copy_error != NULL)
        g_string_append (body, self->keep_copy_error->message);
      g_string_append (body, "\n\n");
      g_string_append (body, _("Open it read-only to read your drafts and copy them out, or start "
                               "with new drafts: the file is then set aside, not deleted."));
    }
  else
    g_string_append (body, _("Byline did not change anything. Free some disk space or fix the "
                             "folder’s permissions, then try again."));

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (NULL, heading, body->str));
  /* The heading names the window too, for screen readers' window lists. */
  gtk_window_set_title (GTK_WINDOW (dialog), heading);
  adw_message_dialog_add_response (dialog, "quit", _("_Quit"));
  if (refused)
    {
      adw_message_dialog_add_responses (dialog, "new", _("Start _New Drafts"),
                                        "read-only", _("Open _Read-Only"), NULL);
      adw_message_dialog_set_response_appearance (dialog, "new", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_response_appearance (dialog, "read-only", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "read-only");
    }
  else
    {
      adw_message_dialog_add_response (dialog, "retry", _("_Try Again"));
      adw_message_dialog_set_response_appearance (dialog, "retry", ADW_RESPONSE_SUGGESTED);
      adw_message_dialog_set_default_response (dialog, "retry");
    }
  adw_message_dialog_set_close_response (dialog, "quit");
  g_signal_connect_object (dialog, "response",
                           G_CALLBACK (byline_application_store_dialog_cb), self,
                           G_CONNECT_SWAPPED);
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

/* WordPress's answer to "Sign in with the browser" on a site that takes no loopback callback
 * comes back as a link with Byline's own scheme, which the desktop hands over as a file to open.
 * The authorization waiting for it goes on in the Accounts window, which shows itself. */
static void
byline_application_open_sign_in_link (BylineApplication *self,
                                      const char        *uri)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *dialog;

  if (byline_wp_authorize_handle_uri (uri, &error))
    return;
  if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND))
    {
      /* A link with another token: stray, replayed or forged. The sign-in that is waiting goes
       * on undisturbed. */
      g_debug ("%s", error->message);
      return;
    }

  dialog = adw_message_dialog_new (gtk_application_get_active_window (GTK_APPLICATION (self)),
                                   _("No Sign-In Is Waiting"), error->message);
  adw_message_dialog_add_response (ADW_MESSAGE_DIALOG (dialog), "close", _("_Close"));
  gtk_window_set_application (GTK_WINDOW (dialog), GTK_APPLICATION (self));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
byline_application_open (GApplication  *app,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  BylineApplication *self = BYLINE_APPLICATION (app);
  g_autoptr(GPtrArray) documents = g_ptr_array_new ();
  BylineWindow *window;

  for (int i = 0; i < n_files; i++)
    {
      g_autofree char *uri = g_file_get_uri (files[i]);

      if (byline_wp_authorize_is_app_uri (uri))
        byline_application_open_sign_in_link (self, uri);
      else
        g_ptr_array_add (documents, files[i]);
    }
  if (documents->len == 0)
    return;

  if (byline_application_report_store_error (self))
    return;

  window = byline_application_ensure_window (self);
  for (guint i = 0; i < documents->len; i++)
    byline_window_open_file (window, g_ptr_array_index (documents, i));
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

/* From the new-comments notification. */
static void
byline_application_show_comments_action (GSimpleAction *action,
                                         GVariant      *parameter,
                                         gpointer       user_data)
{
  BylineApplication *self = user_data;
  BylineWindow *window;

  if (byline_application_report_store_error (self))
    return;
  window = byline_application_ensure_window (self);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-view", "s", "comments");
  gtk_window_present (GTK_WINDOW (window));
}

static const GActionEntry app_actions[] = {
  { "about", byline_application_about_action },
  { "show-comments", byline_application_show_comments_action },
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
  if (!byline_moderator_is_processing (self->moderator))
    byline_moderator_process_async (self->moderator, NULL, NULL, NULL);
  return G_SOURCE_CONTINUE;
}

static void
byline_application_startup (GApplication *app)
{
  BylineApplication *self = BYLINE_APPLICATION (app);
  g_autofree char *path = byline_store_dup_default_path ();
  g_autoptr(BylineStore) store = NULL;
  gboolean gl_hidden;
  static const struct {
    const char *action;
    const char *accels[3];
  } accels[] = {
    { "app.quit", { "<Control>q", NULL } },
    { "win.new-draft", { "<Control>n", NULL } },
    { "win.search", { "<Control><Shift>f", NULL } },
    { "win.toggle-sidebar", { "F9", NULL } },
    { "win.site-posts", { "<Control><Shift>o", NULL } },
    { "win.show-view('drafts')", { "<Alt>1", NULL } },
    { "win.show-view('comments')", { "<Alt>2", NULL } },
    { "window.close", { "<Control>w", NULL } },
  };

  gl_hidden = byline_renderer_hide_gl_without_gpu ();
  G_APPLICATION_CLASS (byline_application_parent_class)->startup (app);
  if (byline_renderer_prefer_cairo_without_gpu (gdk_display_get_default ()))
    g_debug ("OpenGL is drawn by the processor here: windows use the cairo renderer");
  if (gl_hidden)
    {
      /* WebKit's UI side looks for OpenGL when its web context is made (3-4 ms without it). */
      byline_preview_prepare_web_context ();
      byline_renderer_restore_gl ();
    }
  gtk_source_init ();
  byline_button_names_follow_labels ();
  g_set_application_name (_("Byline"));
  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions),
                                   self);
  for (guint i = 0; i < G_N_ELEMENTS (accels); i++)
    gtk_application_set_accels_for_action (GTK_APPLICATION (self), accels[i].action,
                                           accels[i].accels);

  self->settings = g_settings_new (APP_ID);
  store = byline_store_open (path, &self->store_error);
  if (store == NULL)
    {
      g_warning ("%s", self->store_error->message);
      byline_application_keep_refused_copy (self, path);
    }
  else
    byline_application_use_store (self, store);
}

static void
byline_application_use_store (BylineApplication *self,
                              BylineStore       *store)
{
  g_assert (self->store == NULL);

  self->store = g_object_ref (store);
  g_clear_error (&self->store_error);
  self->accounts = byline_accounts_new (self->store);
  self->publisher = byline_publisher_new (self->store, self->accounts);
  byline_preview_set_uploads_dir (byline_publisher_get_uploads_dir (self->publisher));
  self->comments = byline_comment_store_new (self->store);
  self->moderator = byline_moderator_new (self->comments, self->accounts);
  self->comment_sync = byline_comment_sync_new (self->comments, self->accounts);

  /* What is sent must be recorded as sent, or it would be sent again at every try. */
  if (byline_store_get_read_only (self->store))
    return;

  /* What could not be sent (offline, the site down) goes out by itself once it can, also
   * what a previous session left in the outbox. */
  byline_publisher_process_async (self->publisher, NULL, NULL, NULL);
  byline_moderator_process_async (self->moderator, NULL, NULL, NULL);
  self->outbox_timer_id = g_timeout_add_seconds (OUTBOX_INTERVAL_SECONDS,
                                                 byline_application_outbox_cb, self);
}

static void
byline_application_shutdown (GApplication *app)
{
  BylineApplication *self = BYLINE_APPLICATION (app);
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->outbox_timer_id, g_source_remove);
  G_APPLICATION_CLASS (byline_application_parent_class)->shutdown (app);

  /* Decisions taken are all kept, also the end of one on thousands of comments; nothing more
   * is sent, and what the windows still ask of the moderator is refused. */
  if (self->moderator != NULL)
    byline_moderator_close (self->moderator);
  /* The windows are gone and have saved; marking the clean exit tells the next start so. */
  if (self->store != NULL && !byline_store_close (self->store, &error))
    g_warning ("Could not close the drafts database: %s", error->message);
}

static void
byline_application_finalize (GObject *object)
{
  BylineApplication *self = BYLINE_APPLICATION (object);

  g_clear_object (&self->publisher);
  g_clear_object (&self->link_checker);
  g_clear_object (&self->comment_sync);
  g_clear_object (&self->moderator);
  g_clear_object (&self->comments);
  g_clear_object (&self->accounts);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_error (&self->store_error);
  g_free (self->kept_copy);
  g_clear_error (&self->keep_copy_error);

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

BylineCommentStore *
byline_application_get_comments (BylineApplication *self)
{
  g_return_val_if_fail (BYLINE_IS_APPLICATION (self), NULL);
  return self->comments;
}

BylineModerator *
byline_application_get_moderator (BylineApplication *self)
{
  g_return_val_if_fail (BYLINE_IS_APPLICATION (self), NULL);
  return self->moderator;
}

BylineCommentSync *
byline_application_get_comment_sync (BylineApplication *self)
{
  g_return_val_if_fail (BYLINE_IS_APPLICATION (self), NULL);
  return self->comment_sync;
}

BylineLinkChecker *
byline_application_get_link_checker (BylineApplication *self)
{
  g_return_val_if_fail (BYLINE_IS_APPLICATION (self), NULL);

  if (self->link_checker == NULL)
    self->link_checker = byline_link_checker_new ();
  return self->link_checker;
}
