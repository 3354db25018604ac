/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-publish-window.c: the Publish window, driven by keys under Xvfb, against a real WordPress
 * (run under wordpress/with-wordpress): publish, see the link, trash. */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "byline-publish-window.h"
#include "byline-test-ui-util.h"
#include "byline-wp-client.h"

static void
test_publish_with_keys (void)
{
  const char *url = g_getenv ("BYLINE_WP_URL");
  g_autofree char *dir = byline_test_make_tmpdir ("publish-window");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(BylinePublisher) publisher = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(BylineWpClient) client = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autofree char *xid = NULL;
  g_auto(BylineRemotePost) remote = { 0 };
  BylinePublishWindow *window;
  BylineTestLabelWait wait_label;
  GAsyncResult *result = NULL;

  if (url == NULL)
    g_error ("Run this under tests/wordpress/with-wordpress: BYLINE_WP_URL is not set");

  store = byline_store_open (path, &error);
  g_assert_no_error (error);
  accounts = byline_accounts_new (store);
  publisher = byline_publisher_new (store, accounts);

  account = byline_test_add_wordpress_account (accounts);

  draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  byline_draft_set_title (draft, "Published from the window");
  byline_draft_set_body (draft, "With **keys** only, « après ».\n");
  /* What the site requires by default, so that the check lets it go without asking. */
  byline_draft_set_excerpt (draft, "Keys only.");
  byline_draft_set_categories (draft, "Uncategorized");
  g_assert_true (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));

  window = byline_publish_window_new (publisher, accounts, draft);
  gtk_window_present (GTK_WINDOW (window));
  wait_label.label = byline_test_find_selectable_label (GTK_WIDGET (window));
  g_assert_nonnull (wait_label.label);
  g_assert_cmpstr (gtk_label_get_label (wait_label.label), ==, "Not published yet.");

  /* Ctrl+Return in the window publishes. */
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                           gtk_native_get_surface (GTK_NATIVE (window))));
  byline_test_run_command ("xdotool", "windowfocus", "--sync", xid, NULL);
  byline_test_run_command ("xdotool", "key", "ctrl+Return", NULL);
  wait_label.text = "Published: http";
  if (!byline_test_wait_until (byline_test_label_starts_with, &wait_label, 30000))
    g_error ("Not published: %s", gtk_label_get_label (wait_label.label));

  /* What the window says is what the site has. */
  g_assert_true (byline_publisher_get_remote (publisher, byline_draft_get_id (draft), &remote));
  g_assert_nonnull (strstr (gtk_label_get_label (wait_label.label), remote.link));
  client = byline_wp_client_new (byline_account_get_api_root (account), g_getenv ("BYLINE_WP_USER"),
                                 g_getenv ("BYLINE_WP_APP_PASSWORD"));
  byline_wp_client_get_post_async (client, remote.remote_id, NULL, byline_test_store_result_cb,
                                   &result);
  g_assert_true (byline_test_wait_until (byline_test_has_result, &result, 30000));
  post = byline_wp_client_get_post_finish (client, result, &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_wp_post_get_status (post), ==, "publish");
  g_assert_cmpstr (byline_wp_post_get_title (post), ==, "Published from the window");

  /* And Move to Trash takes it off the site. */
  gtk_widget_activate_action (GTK_WIDGET (window), "publish.trash", NULL);
  wait_label.text = "Moved to the site";
  if (!byline_test_wait_until (byline_test_label_starts_with, &wait_label, 30000))
    g_error ("Not trashed: %s", gtk_label_get_label (wait_label.label));
  g_clear_object (&post);
  byline_wp_client_get_post_async (client, remote.remote_id, NULL, byline_test_store_result_cb,
                                   &result);
  g_assert_true (byline_test_wait_until (byline_test_has_result, &result, 30000));
  post = byline_wp_client_get_post_finish (client, result, &error);
  g_clear_object (&result);
  g_assert_cmpstr (byline_wp_post_get_status (post), ==, "trash");

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_featured_row (GtkWidget     *widget,
                 gconstpointer  data)
{
  return ADW_IS_COMBO_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)),
                       "Featured image") == 0;
}

static AdwComboRow *
find_featured_row (GtkWidget *widget)
{
  return (AdwComboRow *) byline_test_find_descendant (widget, is_featured_row, NULL);
}

static gboolean
upload_done (gpointer user_data)
{
  gpointer *args = user_data;
  g_autoptr(BylineOutboxEntry) entry = byline_publisher_get_entry (args[0], *(gint64 *) args[1],
                                                                   NULL);

  return entry != NULL && entry->state == BYLINE_OUTBOX_STATE_DONE;
}

/* The featured image row lists the draft's images; the one chosen is kept with the draft and
 * sent as featured_media when Ctrl+Return publishes; None takes it away again. */
static void
test_featured_image (void)
{
  /* A 1×1 PNG. */
  static const char png[] =
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";
  g_autofree char *dir = byline_test_make_tmpdir ("publish-window-featured");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(BylinePublisher) publisher = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(BylineWpClient) client = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(BylineOutboxEntry) upload = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autofree guchar *bytes = NULL;
  g_autofree char *local_address = NULL;
  g_autofree char *xid = NULL;
  g_auto(BylineRemotePost) remote = { 0 };
  BylinePublishWindow *window;
  AdwComboRow *row;
  GListModel *model;
  BylineTestLabelWait wait_label;
  GAsyncResult *result = NULL;
  gpointer args[2];
  gint64 upload_id;
  gsize length;

  store = byline_store_open (path, &error);
  g_assert_no_error (error);
  accounts = byline_accounts_new (store);
  publisher = byline_publisher_new (store, accounts);
  account = byline_test_add_wordpress_account (accounts);
  draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  byline_draft_set_title (draft, "With a featured image");
  byline_draft_set_body (draft, "Text.\n");
  byline_draft_set_excerpt (draft, "An image.");
  byline_draft_set_categories (draft, "Uncategorized");
  g_assert_true (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));

  bytes = g_base64_decode (png, &length);
  data = g_bytes_new (bytes, length);
  upload_id = byline_publisher_enqueue_upload (publisher, byline_draft_get_id (draft),
                                               byline_account_get_id (account), data, "flag.png",
                                               "image/png", "A flag", &local_address, &error);
  g_assert_no_error (error);
  byline_publisher_process_async (publisher, NULL, NULL, NULL);
  args[0] = publisher;
  args[1] = &upload_id;
  g_assert_true (byline_test_wait_until (upload_done, args, 30000));
  upload = byline_publisher_get_entry (publisher, upload_id, &error);

  window = byline_publish_window_new (publisher, accounts, draft);
  gtk_window_present (GTK_WINDOW (window));
  row = find_featured_row (GTK_WIDGET (window));
  g_assert_nonnull (row);
  model = adw_combo_row_get_model (row);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 2);
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 0), ==, "None");
  g_assert_cmpstr (gtk_string_list_get_string (GTK_STRING_LIST (model), 1), ==, "flag.png");
  g_assert_cmpuint (adw_combo_row_get_selected (row), ==, 0);

  /* Chosen: kept with the draft; None takes it away; chosen again for the publish. */
  adw_combo_row_set_selected (row, 1);
  g_assert_cmpstr (byline_draft_get_featured_image (draft), ==, local_address);
  adw_combo_row_set_selected (row, 0);
  g_assert_cmpstr (byline_draft_get_featured_image (draft), ==, "none");
  adw_combo_row_set_selected (row, 1);

  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  wait_label.label = byline_test_find_selectable_label (GTK_WIDGET (window));
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                           gtk_native_get_surface (GTK_NATIVE (window))));
  byline_test_run_command ("xdotool", "windowfocus", "--sync", xid, NULL);
  byline_test_run_command ("xdotool", "key", "ctrl+Return", NULL);
  wait_label.text = "Published: http";
  if (!byline_test_wait_until (byline_test_label_starts_with, &wait_label, 30000))
    g_error ("Not published: %s", gtk_label_get_label (wait_label.label));

  g_assert_true (byline_publisher_get_remote (publisher, byline_draft_get_id (draft), &remote));
  client = byline_wp_client_new (byline_account_get_api_root (account), g_getenv ("BYLINE_WP_USER"),
                                 g_getenv ("BYLINE_WP_APP_PASSWORD"));
  byline_wp_client_get_post_async (client, remote.remote_id, NULL, byline_test_store_result_cb,
                                   &result);
  g_assert_true (byline_test_wait_until (byline_test_has_result, &result, 30000));
  post = byline_wp_client_get_post_finish (client, result, &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  g_assert_cmpint (byline_wp_post_get_featured_media (post), ==, upload->remote_id);

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;

  byline_test_init (&argc, &argv);
  bus = byline_test_ui_start_with_keyring ();

  g_test_add_func ("/wordpress/publish-window/keys", test_publish_with_keys);
  g_test_add_func ("/wordpress/publish-window/featured-image", test_featured_image);

  return byline_test_run_and_stop_bus (bus);
}
