/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-comments-notify.c: new pending comments raise a desktop notification when Byline's
 * window is not focused, and only then. The Comments view syncs from a fake WordPress
 * (wp-fake-comments behind wp-fault-server) with a real store and keyring; the notification
 * goes through GLib to a notification server that this test plays itself on the private
 * session bus (org.freedesktop.Notifications, as a desktop's would be), which records what it
 * is asked to show. Windows are focused with xdotool under Xvfb.
 *
 * Which GLib backend: GLib 2.74 takes the portal only in a sandbox (or with GTK_USE_PORTAL),
 * org.gtk.Notifications only when that name has an owner on the session bus, and otherwise the
 * freedesktop one, which calls org.freedesktop.Notifications.Notify. Nobody owns
 * org.gtk.Notifications on the test's private bus (checked below), so it is the freedesktop
 * backend, as on a desktop without GNOME Shell. */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "byline-comments-page.h"
#include "byline-test-ui-util.h"
#include "wp-fake-comments.h"
#include "wp-fault-server.h"

#define NOTIFICATIONS_NAME "org.freedesktop.Notifications"
#define NOTIFICATIONS_PATH "/org/freedesktop/Notifications"
#define TEST_APP_ID "org.example.BylineNotifyTest"
#define ACCOUNT_NAME "DipNote Editor"

static const char notifications_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.Notifications'>"
  "    <method name='Notify'>"
  "      <arg type='s' name='app_name' direction='in'/>"
  "      <arg type='u' name='replaces_id' direction='in'/>"
  "      <arg type='s' name='app_icon' direction='in'/>"
  "      <arg type='s' name='summary' direction='in'/>"
  "      <arg type='s' name='body' direction='in'/>"
  "      <arg type='as' name='actions' direction='in'/>"
  "      <arg type='a{sv}' name='hints' direction='in'/>"
  "      <arg type='i' name='expire_timeout' direction='in'/>"
  "      <arg type='u' name='id' direction='out'/>"
  "    </method>"
  "    <method name='CloseNotification'>"
  "      <arg type='u' name='id' direction='in'/>"
  "    </method>"
  "    <method name='GetCapabilities'>"
  "      <arg type='as' name='capabilities' direction='out'/>"
  "    </method>"
  "    <method name='GetServerInformation'>"
  "      <arg type='s' name='name' direction='out'/>"
  "      <arg type='s' name='vendor' direction='out'/>"
  "      <arg type='s' name='version' direction='out'/>"
  "      <arg type='s' name='spec_version' direction='out'/>"
  "    </method>"
  "    <signal name='NotificationClosed'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='u' name='reason'/>"
  "    </signal>"
  "    <signal name='ActionInvoked'>"
  "      <arg type='u' name='id'/>"
  "      <arg type='s' name='action_key'/>"
  "    </signal>"
  "  </interface>"
  "</node>";

/* What the notification server was asked to show: Notify's arguments. */
typedef struct {
  char     *app_name;
  guint32   replaces_id;
  char     *summary;
  char     *body;
  char    **actions;
  GVariant *hints;
  guint32   id;        /* what the server answered */
} Shown;

static void
shown_free (Shown *shown)
{
  g_free (shown->app_name);
  g_free (shown->summary);
  g_free (shown->body);
  g_strfreev (shown->actions);
  g_variant_unref (shown->hints);
  g_free (shown);
}

/* The desktop's notification server, on a connection of its own to the session bus. */
typedef struct {
  GDBusConnection *connection;
  guint            registration_id;
  GPtrArray       *shown;      /* Shown, in the order asked */
  guint            n_closed;
  guint32          next_id;
} NotificationServer;

static void
notifications_method_cb (GDBusConnection       *connection,
                         const char            *sender,
                         const char            *object_path,
                         const char            *interface_name,
                         const char            *method_name,
                         GVariant              *parameters,
                         GDBusMethodInvocation *invocation,
                         gpointer               user_data)
{
  NotificationServer *server = user_data;

  if (g_str_equal (method_name, "Notify"))
    {
      Shown *shown = g_new0 (Shown, 1);
      gint32 expire_timeout;

      g_variant_get (parameters, "(su&sss^as@a{sv}i)", &shown->app_name, &shown->replaces_id,
                     NULL, &shown->summary, &shown->body, &shown->actions, &shown->hints,
                     &expire_timeout);
      /* As the specification says: replacing keeps the id, otherwise a new one. */
      shown->id = shown->replaces_id != 0 ? shown->replaces_id : ++server->next_id;
      g_ptr_array_add (server->shown, shown);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(u)", shown->id));
    }
  else if (g_str_equal (method_name, "CloseNotification"))
    {
      guint32 id;

      g_variant_get (parameters, "(u)", &id);
      server->n_closed++;
      g_dbus_connection_emit_signal (connection, NULL, NOTIFICATIONS_PATH, NOTIFICATIONS_NAME,
                                     "NotificationClosed", g_variant_new ("(uu)", id, 3), NULL);
      g_dbus_method_invocation_return_value (invocation, NULL);
    }
  else if (g_str_equal (method_name, "GetCapabilities"))
    {
      const char *capabilities[] = { "actions", "body", NULL };

      g_dbus_method_invocation_return_value (invocation,
                                             g_variant_new ("(^as)", capabilities));
    }
  else if (g_str_equal (method_name, "GetServerInformation"))
    g_dbus_method_invocation_return_value (invocation,
                                           g_variant_new ("(ssss)", "test-comments-notify",
                                                          "Byline", "1.0", "1.2"));
  else
    g_dbus_method_invocation_return_error (invocation, G_DBUS_ERROR, G_DBUS_ERROR_UNKNOWN_METHOD,
                                           "No method %s", method_name);
}

static const GDBusInterfaceVTable notifications_vtable = {
  notifications_method_cb, NULL, NULL, { 0 }
};

static NotificationServer *
notification_server_start (void)
{
  NotificationServer *server = g_new0 (NotificationServer, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (notifications_xml, &error);
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);
  g_autoptr(GVariant) reply = NULL;
  guint32 result;

  g_assert_no_error (error);
  server->shown = g_ptr_array_new_with_free_func ((GDestroyNotify) shown_free);
  server->connection = g_dbus_connection_new_for_address_sync (
    address,
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);
  server->registration_id = g_dbus_connection_register_object (server->connection,
                                                               NOTIFICATIONS_PATH,
                                                               node->interfaces[0],
                                                               &notifications_vtable, server, NULL,
                                                               &error);
  g_assert_no_error (error);
  /* The object is there before the name is: nobody can call into nothing. */
  reply = g_dbus_connection_call_sync (server->connection, "org.freedesktop.DBus",
                                       "/org/freedesktop/DBus", "org.freedesktop.DBus",
                                       "RequestName",
                                       g_variant_new ("(su)", NOTIFICATIONS_NAME,
                                                      0x4 /* DBUS_NAME_FLAG_DO_NOT_QUEUE */),
                                       G_VARIANT_TYPE ("(u)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                                       &error);
  g_assert_no_error (error);
  g_variant_get (reply, "(u)", &result);
  g_assert_cmpuint (result, ==, 1 /* DBUS_REQUEST_NAME_REPLY_PRIMARY_OWNER */);
  return server;
}

static void
notification_server_stop (NotificationServer *server)
{
  g_dbus_connection_unregister_object (server->connection, server->registration_id);
  g_dbus_connection_close_sync (server->connection, NULL, NULL);
  g_object_unref (server->connection);
  g_ptr_array_unref (server->shown);
  g_free (server);
}

static gboolean
has_owner (GDBusConnection *connection,
           const char      *name)
{
  g_autoptr(GVariant) reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus",
                                                           "/org/freedesktop/DBus",
                                                           "org.freedesktop.DBus", "NameHasOwner",
                                                           g_variant_new ("(s)", name),
                                                           G_VARIANT_TYPE ("(b)"),
                                                           G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  gboolean owned = FALSE;

  g_assert_nonnull (reply);
  g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* A round trip to the notification server over the connection GLib's backend sends on. The
 * bus keeps one sender's messages to one receiver in order, so once this is answered, every
 * Notify sent before it has been received: "no notification" is then a fact, not a timeout. */
static void
round_trip (GApplication *app)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  g_dbus_connection_call (g_application_get_dbus_connection (app), NOTIFICATIONS_NAME,
                          NOTIFICATIONS_PATH, NOTIFICATIONS_NAME, "GetServerInformation", NULL,
                          G_VARIANT_TYPE ("(ssss)"), G_DBUS_CALL_FLAGS_NONE, -1, NULL,
                          byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, 10, "The notification server");
  reply = g_dbus_connection_call_finish (g_application_get_dbus_connection (app), result, &error);
  g_assert_no_error (error);
}

typedef struct {
  GtkWidget *button;
  guint      n_insensitive;   /* syncs seen starting */
  guint      n_done;          /* syncs seen ending */
} SyncWatch;

/* The refresh button is insensitive while a sync runs and sensitive again in its callback,
 * right before the notification is decided. */
static void
sensitive_changed_cb (GtkWidget  *button,
                      GParamSpec *pspec,
                      SyncWatch  *watch)
{
  if (gtk_widget_get_sensitive (button))
    watch->n_done++;
  else
    watch->n_insensitive++;
}

static gboolean
syncs_done (gpointer user_data)
{
  SyncWatch *watch = user_data;

  return watch->n_done >= watch->n_insensitive && watch->n_insensitive > 0
         && gtk_widget_get_sensitive (watch->button);
}

static void
wait_for_sync (SyncWatch  *watch,
               guint       n_syncs,
               const char *what)
{
  if (!byline_test_wait_until (syncs_done, watch, 20000) || watch->n_done != n_syncs)
    g_error ("%s: %u syncs started and %u ended, not %u", what, watch->n_insensitive,
             watch->n_done, n_syncs);
}

static gboolean
is_active (gpointer window)
{
  return gtk_window_is_active (window);
}

static char *
xid_of (GtkWidget *window)
{
  return g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                            gtk_native_get_surface (GTK_NATIVE (window))));
}

static void
focus (GtkWidget  *window,
       GtkWidget  *other)
{
  g_autofree char *xid = xid_of (window);

  byline_test_run_command ("xdotool", "windowfocus", "--sync", xid, NULL);
  if (!byline_test_wait_until (is_active, window, 10000))
    g_error ("The window did not become active when focused");
  g_assert_false (gtk_window_is_active (GTK_WINDOW (other)));
}

static gboolean
is_refresh_button (GtkWidget     *widget,
                   gconstpointer  data)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)),
                       "comments.refresh") == 0;
}

static gboolean
has_notification (gpointer server)
{
  return ((NotificationServer *) server)->shown->len > 0;
}

static void
show_comments_cb (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  (*(guint *) user_data)++;
}

static gboolean
activated (gpointer count)
{
  return *(guint *) count > 0;
}

static gboolean
is_held (BylineCommentStore *comments,
         gint64              remote_id)
{
  g_autoptr(BylineComment) comment = byline_comment_store_find (comments, 1, remote_id, NULL);

  return comment != NULL && g_str_equal (byline_comment_get_status (comment), "hold");
}

static void
test_notify (void)
{
  g_autofree char *dir = byline_test_make_tmpdir ("comments-notify");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autofree char *api_root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GApplication) app = NULL;
  g_autoptr(GSimpleAction) show_comments = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(BylineCommentStore) comments = NULL;
  g_autoptr(BylineModerator) moderator = NULL;
  g_autoptr(BylineCommentSync) sync = NULL;
  NotificationServer *server;
  WpFaultServer *site_server;
  FakeComments *site;
  GtkWidget *window, *other;
  BylineCommentsPage *page;
  SyncWatch watch = { 0 };
  Shown *shown;
  guint n_show_comments = 0;
  const char *desktop_entry = NULL;

  /* The desktop's notification server; nobody offers org.gtk.Notifications here, so GLib's
   * freedesktop backend is the one that will be chosen (see the top of the file). */
  server = notification_server_start ();
  g_assert_false (has_owner (server->connection, "org.gtk.Notifications"));

  /* Byline as the default, registered application, whose show-comments action a click on the
   * notification activates. */
  app = g_application_new (TEST_APP_ID, G_APPLICATION_NON_UNIQUE);
  show_comments = g_simple_action_new ("show-comments", NULL);
  g_signal_connect (show_comments, "activate", G_CALLBACK (show_comments_cb), &n_show_comments);
  g_action_map_add_action (G_ACTION_MAP (app), G_ACTION (show_comments));
  g_assert_true (g_application_register (app, NULL, &error));
  g_assert_no_error (error);
  g_application_set_default (app);
  g_assert_nonnull (g_application_get_dbus_connection (app));

  /* The site: three comments held for moderation, one already approved. */
  site_server = wp_fault_server_new (NULL);
  site = fake_comments_new (site_server);
  fake_comments_add_post (site, 4, "Visit to Brussels");
  fake_comments_add (site, 1, 4, "approved", "ann", 10);
  fake_comments_add (site, 2, 4, "hold", "bob", 20);
  fake_comments_add (site, 3, 4, "hold", "cy", 30);
  fake_comments_add (site, 4, 4, "hold", "dee", 40);

  store = byline_store_open (path, &error);
  g_assert_no_error (error);
  accounts = byline_accounts_new (store);
  api_root = g_strconcat (wp_fault_server_get_url (site_server), "/wp-json/", NULL);
  account = byline_account_new (wp_fault_server_get_url (site_server), api_root, "editor");
  byline_account_set_display_name (account, ACCOUNT_NAME);
  byline_account_set_capabilities (account, BYLINE_ACCOUNT_CAN_MODERATE);
  g_assert_true (byline_accounts_add (accounts, account, "abcd EFGH 1234 ijkl", &error));
  g_assert_no_error (error);
  g_assert_cmpint (byline_account_get_id (account), ==, 1);
  comments = byline_comment_store_new (store);
  moderator = byline_moderator_new (comments, accounts);
  sync = byline_comment_sync_new (comments, accounts);

  /* The Comments view in its window, and another window that has the focus (as when the
   * person writes elsewhere). */
  window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (window), 900, 600);
  page = g_object_new (BYLINE_TYPE_COMMENTS_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (page));
  gtk_window_present (GTK_WINDOW (window));
  other = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (other), 300, 200);
  gtk_window_present (GTK_WINDOW (other));
  byline_test_iterate_for (200);
  focus (other, window);

  watch.button = byline_test_find_descendant (GTK_WIDGET (page), is_refresh_button, NULL);
  g_assert_nonnull (watch.button);
  g_signal_connect (watch.button, "notify::sensitive", G_CALLBACK (sensitive_changed_cb), &watch);

  /* (1) The first sync, at load, finds three new held comments while the window is not
   * active: one notification, saying so, with the account's name. */
  byline_comments_page_load (page, comments, moderator, sync, accounts);
  if (!byline_test_wait_until (has_notification, server, 20000))
    g_error ("No notification came for the first sync's three new comments");
  round_trip (app);
  g_assert_cmpuint (server->shown->len, ==, 1);
  shown = g_ptr_array_index (server->shown, 0);
  g_assert_cmpstr (shown->summary, ==, "3 new comments to moderate");
  g_assert_cmpstr (shown->body, ==, ACCOUNT_NAME);
  g_assert_cmpuint (shown->replaces_id, ==, 0);
  g_assert_true (g_variant_lookup (shown->hints, "desktop-entry", "&s", &desktop_entry));
  g_assert_cmpstr (desktop_entry, ==, TEST_APP_ID);
  /* It has a default action (a click on it), which opens the comments. */
  g_assert_true (g_strv_contains ((const char * const *) shown->actions, "default"));
  g_assert_true (is_held (comments, 2) && is_held (comments, 3) && is_held (comments, 4));
  g_dbus_connection_emit_signal (server->connection, NULL, NOTIFICATIONS_PATH, NOTIFICATIONS_NAME,
                                 "ActionInvoked", g_variant_new ("(us)", shown->id, "default"),
                                 &error);
  g_assert_no_error (error);
  if (!byline_test_wait_until (activated, &n_show_comments, 10000))
    g_error ("A click on the notification did not activate app.show-comments");
  wait_for_sync (&watch, 1, "The first sync");

  /* (2) A later sync (as the timer's) finds nothing new: the held comments it sees again are
   * known, so nothing more is announced. */
  gtk_widget_activate_action (GTK_WIDGET (page), "comments.refresh", NULL);
  wait_for_sync (&watch, 2, "The second sync");
  round_trip (app);
  g_assert_cmpuint (wp_fault_server_count_requests (site_server, "GET", "/wp-json/wp/v2/comments"),
                    >=, 2);
  g_assert_cmpuint (server->shown->len, ==, 1);

  /* (3) With the view's window focused, two new held comments come (Ctrl+R there): the person
   * is looking at it, so no notification. */
  focus (window, other);
  fake_comments_add (site, 5, 4, "hold", "eve", 50);
  fake_comments_add (site, 6, 4, "hold", "fay", 60);
  byline_comments_page_focus_queue (page);
  byline_test_run_command ("xdotool", "key", "ctrl+r", NULL);
  wait_for_sync (&watch, 3, "The sync asked for with Ctrl+R");
  g_assert_true (is_held (comments, 5) && is_held (comments, 6));
  g_assert_true (gtk_window_is_active (GTK_WINDOW (window)));
  round_trip (app);
  g_assert_cmpuint (server->shown->len, ==, 1);

  gtk_window_destroy (GTK_WINDOW (other));
  gtk_window_destroy (GTK_WINDOW (window));
  byline_test_iterate_for (100);
  g_clear_pointer (&site_server, wp_fault_server_free);
  g_clear_pointer (&site, fake_comments_free);
  g_application_set_default (NULL);
  notification_server_stop (server);
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;

  /* Let GLib choose its notification backend by its own rules, not by this environment's. */
  g_unsetenv ("GNOTIFICATION_BACKEND");
  g_unsetenv ("GTK_USE_PORTAL");
  byline_test_init (&argc, &argv);
  bus = byline_test_ui_start_with_keyring ();

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    g_error ("test-comments-notify focuses windows with xdotool and needs an X11 display (Xvfb)");

  g_test_add_func ("/ui/comments-notify/new-comments", test_notify);

  return byline_test_run_and_stop_bus (bus);
}
