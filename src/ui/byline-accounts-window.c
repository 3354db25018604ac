/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-accounts-window.c: sign in to WordPress sites, see what you may do there, remove them.
 *
 * Signing in finds the site's API from its address, checks the user name and Application
 * Password with /users/me (WordPress treats wrong ones as anonymous, so that is the only sure
 * check), then keeps the account, its password going to the keyring. */

#define G_LOG_DOMAIN "byline-accounts"

#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "byline-accounts-window.h"
#include "byline-wp-authorize.h"
#include "byline-wp-client.h"

struct _BylineAccountsWindow
{
  AdwPreferencesWindow  parent_instance;

  BylineAccounts       *accounts;
  GCancellable         *cancellable;
  BylineWpClient       *client;
  BylineWpAuthorize    *authorize;            /* waiting for the browser to come back */
  char                 *authorize_address;    /* the site it was asked of */
  GCancellable         *authorize_cancellable;

  GtkListBox           *accounts_list;
  AdwEntryRow          *address_row;
  AdwEntryRow          *username_row;
  AdwPasswordEntryRow  *password_row;
  GtkLabel             *status_label;
};

G_DEFINE_FINAL_TYPE (BylineAccountsWindow, byline_accounts_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
byline_accounts_window_set_status (BylineAccountsWindow *self,
                                   const char           *message,
                                   gboolean              is_error)
{
  gtk_label_set_label (self->status_label, message);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->status_label), "error");
}

static void
byline_accounts_window_set_busy (BylineAccountsWindow *self,
                                 gboolean              busy)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "accounts.sign-in", !busy);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "accounts.sign-in-browser", !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->address_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->username_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->password_row), !busy);
}

static char *
describe_capabilities (BylineAccount *account)
{
  BylineAccountCapabilities caps = byline_account_get_capabilities (account);
  g_autoptr(GPtrArray) can = g_ptr_array_new ();

  if (caps & BYLINE_ACCOUNT_CAN_PUBLISH)
    g_ptr_array_add (can, (gpointer) _("publish"));
  else if (caps & BYLINE_ACCOUNT_CAN_EDIT_POSTS)
    g_ptr_array_add (can, (gpointer) _("write drafts"));
  if (caps & BYLINE_ACCOUNT_CAN_MODERATE)
    g_ptr_array_add (can, (gpointer) _("moderate comments"));
  if (caps & BYLINE_ACCOUNT_CAN_UPLOAD)
    g_ptr_array_add (can, (gpointer) _("upload images"));
  if (can->len == 0)
    return g_strdup (_("Can only read"));
  g_ptr_array_add (can, NULL);
  {
    g_autofree char *list = g_strjoinv (", ", (char **) can->pdata);

    /* Translators: %s is a list such as "publish, moderate comments, upload images" */
    return g_strdup_printf (_("Can %s"), list);
  }
}

static void byline_accounts_window_reload (BylineAccountsWindow *self);
static void byline_accounts_window_stop_authorize (BylineAccountsWindow *self);

static void
byline_accounts_window_remove_response_cb (AdwMessageDialog     *dialog,
                                           const char           *response,
                                           BylineAccountsWindow *self)
{
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (dialog), "account-id"));
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "remove"))
    return;
  if (!byline_accounts_remove (self->accounts, id, &error))
    byline_accounts_window_set_status (self, error->message, TRUE);
  byline_accounts_window_reload (self);
}

static void
byline_accounts_window_remove_clicked_cb (GtkButton            *button,
                                          BylineAccountsWindow *self)
{
  BylineAccount *account = g_object_get_data (G_OBJECT (button), "account");
  g_autofree char *label = byline_account_dup_label (account);
  GtkWidget *dialog;

  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Remove This Account?"), NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  _("Byline forgets %s and removes its password from your keyring. "
                                    "Your drafts stay."), label);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "remove", _("_Remove"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove",
                                              ADW_RESPONSE_DESTRUCTIVE);
  g_object_set_data (G_OBJECT (dialog), "account-id",
                     GSIZE_TO_POINTER (byline_account_get_id (account)));
  g_signal_connect_object (dialog, "response", G_CALLBACK (byline_accounts_window_remove_response_cb),
                           self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
byline_accounts_window_reload (BylineAccountsWindow *self)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->accounts_list))) != NULL)
    gtk_list_box_remove (self->accounts_list, child);

  accounts = byline_accounts_list (self->accounts, &error);
  if (accounts == NULL)
    {
      byline_accounts_window_set_status (self, error->message, TRUE);
      return;
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      BylineAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *label = byline_account_dup_label (account);
      g_autofree char *caps = describe_capabilities (account);
      g_autofree char *subtitle = g_strdup_printf ("%s · %s\n%s",
                                                   byline_account_get_username (account),
                                                   byline_account_get_site_url (account), caps);
      g_autofree char *remove_label = g_strdup_printf (_("Remove %s"), label);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("user-trash-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_tooltip_text (remove, remove_label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      remove_label, -1);
      g_object_set_data_full (G_OBJECT (remove), "account", g_object_ref (account), g_object_unref);
      g_signal_connect_object (remove, "clicked",
                               G_CALLBACK (byline_accounts_window_remove_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->accounts_list, row);
    }

  if (accounts->len == 0)
    {
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _("No sites yet"));
      gtk_list_box_append (self->accounts_list, row);
    }
}

/* The keyring may ask the user to unlock it: the store and keyring work is done off the main thread. */
static void
add_account_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  BylineAccountsWindow *self = source_object;
  BylineAccount *account = task_data;
  const char *password = g_object_get_data (G_OBJECT (task), "password");
  GError *error = NULL;

  if (byline_accounts_add (self->accounts, account, password, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
byline_accounts_window_added_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  BylineAccountsWindow *self = BYLINE_ACCOUNTS_WINDOW (object);
  BylineAccount *account = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *label = NULL;
  g_autofree char *message = NULL;

  byline_accounts_window_set_busy (self, FALSE);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      byline_accounts_window_set_status (self, error->message, TRUE);
      return;
    }

  label = byline_account_dup_label (account);
  message = g_strdup_printf (_("Signed in: %s."), label);
  byline_accounts_window_set_status (self, message, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  byline_accounts_window_reload (self);
}

static void
byline_accounts_window_me_cb (GObject      *object,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(BylineAccountsWindow) self = user_data;
  g_autoptr(BylineWpUser) user = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) task = NULL;
  BylineWpSite *site = g_object_get_data (G_OBJECT (self->client), "site");
  BylineAccount *account;
  BylineAccountCapabilities caps = 0;

  user = byline_wp_client_get_me_finish (BYLINE_WP_CLIENT (object), result, &error);
  if (user == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          byline_accounts_window_set_busy (self, FALSE);
          byline_accounts_window_set_status (self, error->message, TRUE);
        }
      return;
    }

  if (user->edit_posts)
    caps |= BYLINE_ACCOUNT_CAN_EDIT_POSTS;
  if (user->publish_posts)
    caps |= BYLINE_ACCOUNT_CAN_PUBLISH;
  if (user->upload_files)
    caps |= BYLINE_ACCOUNT_CAN_UPLOAD;
  if (user->moderate_comments)
    caps |= BYLINE_ACCOUNT_CAN_MODERATE;
  if (user->manage_categories)
    caps |= BYLINE_ACCOUNT_CAN_MANAGE_CATEGORIES;

  account = byline_account_new (site->home ? site->home : site->url, site->api_root,
                                byline_wp_client_get_username (self->client));
  byline_account_set_display_name (account, user->name);
  byline_account_set_site_name (account, site->name);
  byline_account_set_capabilities (account, caps);
  byline_account_set_timezone (account, site->timezone_string, site->gmt_offset);

  byline_accounts_window_set_status (self, _("Keeping the password in your keyring…"), FALSE);
  task = g_task_new (self, self->cancellable, byline_accounts_window_added_cb, NULL);
  g_task_set_task_data (task, account, g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "password",
                          g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->password_row))),
                          g_free);
  g_task_run_in_thread (task, add_account_thread);
}

static void
byline_accounts_window_discovered_cb (GObject      *object,
                                      GAsyncResult *result,
                                      gpointer      user_data)
{
  g_autoptr(BylineAccountsWindow) self = user_data;
  g_autoptr(BylineWpSite) site = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *checking = NULL;
  g_autofree char *username = NULL;

  site = byline_wp_client_discover_finish (result, &error);
  if (site == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          byline_accounts_window_set_busy (self, FALSE);
          byline_accounts_window_set_status (self, error->message, TRUE);
        }
      return;
    }

  username = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->username_row))));
  g_clear_object (&self->client);
  self->client = byline_wp_client_new (site->api_root, username,
                                       gtk_editable_get_text (GTK_EDITABLE (self->password_row)));
  checking = g_strdup_printf (byline_wp_client_is_insecure (self->client)
                              ? _("Signing in to %s… Careful: this site uses plain http, so the "
                                  "password crosses the network readable by others.")
                              : _("Signing in to %s…"), site->name);
  byline_accounts_window_set_status (self, checking, byline_wp_client_is_insecure (self->client));
  g_object_set_data_full (G_OBJECT (self->client), "site", g_steal_pointer (&site),
                          (GDestroyNotify) byline_wp_site_free);
  byline_wp_client_get_me_async (self->client, self->cancellable, byline_accounts_window_me_cb,
                                 g_object_ref (self));
}

static void
byline_accounts_window_sign_in_action (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *parameter)
{
  BylineAccountsWindow *self = BYLINE_ACCOUNTS_WINDOW (widget);
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (
                                                     GTK_EDITABLE (self->address_row))));
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  byline_accounts_window_stop_authorize (self);
  if (*address == '\0' || *username == '\0' || *password == '\0')
    {
      byline_accounts_window_set_status (self, _("Fill in the site address, your user name and an "
                                                 "Application Password."), TRUE);
      return;
    }

  byline_accounts_window_set_busy (self, TRUE);
  byline_accounts_window_set_status (self, _("Looking for the site…"), FALSE);
  byline_wp_client_discover_async (address, self->cancellable, byline_accounts_window_discovered_cb,
                                   g_object_ref (self));
}

/* Signing in with the browser: WordPress's authorization page gives an Application Password to
 * a one-shot callback (a link with Byline's URI scheme that the desktop hands back to the
 * application, or a listener on loopback; byline_wp_authorize_begin chooses); then the sign-in
 * goes on as with a typed password. */

static void
byline_accounts_window_stop_authorize (BylineAccountsWindow *self)
{
  if (self->authorize_cancellable != NULL)
    g_cancellable_cancel (self->authorize_cancellable);
  g_clear_object (&self->authorize_cancellable);
  g_clear_object (&self->authorize);
}

static void
byline_accounts_window_authorized_cb (GObject      *object,
                                      GAsyncResult *result,
                                      gpointer      user_data)
{
  g_autoptr(BylineAccountsWindow) self = user_data;
  BylineWpAuthorize *authorize = BYLINE_WP_AUTHORIZE (object);
  g_autoptr(GError) error = NULL;
  g_autofree char *user_login = NULL;
  g_autofree char *password = NULL;

  if (!byline_wp_authorize_wait_finish (authorize, result, &user_login, &password, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && authorize == self->authorize)
        {
          byline_accounts_window_stop_authorize (self);
          /* An answer from the browser (not the clock) brings the window back in front. */
          if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
            gtk_window_present (GTK_WINDOW (self));
          byline_accounts_window_set_status (self, error->message, TRUE);
        }
      return;
    }
  if (authorize != self->authorize)
    return;
  byline_accounts_window_stop_authorize (self);

  /* The person was in the browser: bring the sign-in back in front of them. */
  gtk_window_present (GTK_WINDOW (self));
  /* The password is for the site the browser was sent to, even if the address was edited
   * while the person was away: never hand it to another. */
  if (self->authorize_address != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->address_row), self->authorize_address);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row), user_login);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  explicit_bzero (password, strlen (password));
  byline_accounts_window_set_busy (self, FALSE);
  gtk_widget_activate_action (GTK_WIDGET (self), "accounts.sign-in", NULL);
}

static void
byline_accounts_window_browser_discovered_cb (GObject      *object,
                                              GAsyncResult *result,
                                              gpointer      user_data)
{
  g_autoptr(BylineAccountsWindow) self = user_data;
  g_autoptr(BylineWpSite) site = NULL;
  g_autoptr(GError) error = NULL;

  site = byline_wp_client_discover_finish (result, &error);
  if (site == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          byline_accounts_window_set_busy (self, FALSE);
          byline_accounts_window_set_status (self, error->message, TRUE);
        }
      return;
    }

  byline_accounts_window_set_busy (self, FALSE);
  byline_accounts_window_stop_authorize (self);
  self->authorize = byline_wp_authorize_begin (site->authorization_endpoint,
                                               BYLINE_WP_AUTHORIZE_RETURN_AUTO, &error);
  if (self->authorize == NULL)
    {
      byline_accounts_window_set_status (self, error->message, TRUE);
      return;
    }
  self->authorize_cancellable = g_cancellable_new ();
  byline_wp_authorize_wait_async (self->authorize, self->authorize_cancellable,
                                  byline_accounts_window_authorized_cb, g_object_ref (self));
  gtk_show_uri (GTK_WINDOW (self), byline_wp_authorize_get_url (self->authorize),
                GDK_CURRENT_TIME);
  /* The window stays usable meanwhile: either button starts over. */
  byline_accounts_window_set_status (self, _("Approve Byline in your browser…"), FALSE);
}

static void
byline_accounts_window_sign_in_browser_action (GtkWidget  *widget,
                                               const char *action_name,
                                               GVariant   *parameter)
{
  BylineAccountsWindow *self = BYLINE_ACCOUNTS_WINDOW (widget);
  g_autofree char *address = g_strstrip (g_strdup (gtk_editable_get_text (
                                                     GTK_EDITABLE (self->address_row))));

  byline_accounts_window_stop_authorize (self);
  if (*address == '\0')
    {
      byline_accounts_window_set_status (self, _("Fill in the site address."), TRUE);
      return;
    }

  byline_accounts_window_set_busy (self, TRUE);
  byline_accounts_window_set_status (self, _("Looking for the site…"), FALSE);
  g_free (self->authorize_address);
  self->authorize_address = g_strdup (address);
  byline_wp_client_discover_async (address, self->cancellable,
                                   byline_accounts_window_browser_discovered_cb,
                                   g_object_ref (self));
}

/* Enter in the password signs in. */
static void
byline_accounts_window_password_activated_cb (BylineAccountsWindow *self)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "accounts.sign-in", NULL);
}

static void
byline_accounts_window_dispose (GObject *object)
{
  BylineAccountsWindow *self = BYLINE_ACCOUNTS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  byline_accounts_window_stop_authorize (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BYLINE_TYPE_ACCOUNTS_WINDOW);
  g_clear_pointer (&self->authorize_address, g_free);
  g_clear_object (&self->client);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->accounts);

  G_OBJECT_CLASS (byline_accounts_window_parent_class)->dispose (object);
}

static void
byline_accounts_window_class_init (BylineAccountsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_accounts_window_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/byline-accounts-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BylineAccountsWindow, accounts_list);
  gtk_widget_class_bind_template_child (widget_class, BylineAccountsWindow, address_row);
  gtk_widget_class_bind_template_child (widget_class, BylineAccountsWindow, username_row);
  gtk_widget_class_bind_template_child (widget_class, BylineAccountsWindow, password_row);
  gtk_widget_class_bind_template_child (widget_class, BylineAccountsWindow, status_label);

  gtk_widget_class_install_action (widget_class, "accounts.sign-in", NULL,
                                   byline_accounts_window_sign_in_action);
  gtk_widget_class_install_action (widget_class, "accounts.sign-in-browser", NULL,
                                   byline_accounts_window_sign_in_browser_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
byline_accounts_window_init (BylineAccountsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  g_signal_connect_object (self->password_row, "entry-activated",
                           G_CALLBACK (byline_accounts_window_password_activated_cb), self,
                           G_CONNECT_SWAPPED);
}

BylineAccountsWindow *
byline_accounts_window_new (BylineAccounts *accounts)
{
  BylineAccountsWindow *self;

  g_return_val_if_fail (BYLINE_IS_ACCOUNTS (accounts), NULL);

  self = g_object_new (BYLINE_TYPE_ACCOUNTS_WINDOW, NULL);
  self->accounts = g_object_ref (accounts);
  byline_accounts_window_reload (self);
  return self;
}
