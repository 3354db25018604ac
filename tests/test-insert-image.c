/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-insert-image.c: an image inserted into a draft in the editor, against a real WordPress
 * (run under wordpress/with-wordpress): in the text at once at its local address, uploaded
 * through the outbox with its alt text, then at its address on the site in the store and in the
 * editor (cursor and undo kept); set as the featured image and published, the post read back has
 * both. A file that is not an image is refused and the text left alone. */

#include "config.h"

#include <adwaita.h>
#include <libsoup/soup.h>

#include "byline-editor.h"
#include "byline-image-inserter.h"
#include "byline-preview.h"
#include "byline-test-ui-util.h"
#include "byline-wp-client.h"

/* A 1×1 PNG. */
static const char tiny_png[] =
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==";

static gboolean
body_has_image (gpointer user_data)
{
  return strstr (byline_draft_get_body (user_data), "![Alt après](http") != NULL;
}

static gboolean
entry_settled (gpointer user_data)
{
  gpointer *args = user_data;
  g_autoptr(BylineOutboxEntry) entry = byline_publisher_get_entry (args[0],
                                                                   *(gint64 *) args[1], NULL);

  return entry != NULL && entry->state != BYLINE_OUTBOX_STATE_PENDING;
}

static JsonNode *
request (BylineWpClient *client,
         const char     *route,
         GHashTable     *query)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  JsonNode *node;

  byline_wp_client_request_async (client, "GET", route, query, NULL, NULL,
                                  byline_test_store_result_cb, &result);
  g_assert_true (byline_test_wait_until (byline_test_has_result, &result, 30000));
  node = byline_wp_client_request_finish (client, result, NULL, &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  return node;
}

static void
test_insert_image (void)
{
  const char *url = g_getenv ("BYLINE_WP_URL");
  g_autofree char *dir = byline_test_make_tmpdir ("insert-image");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autofree char *stem = g_strdup_printf ("byline-test-%08x", g_random_int ());
  g_autofree char *png_name = g_strconcat (stem, ".png", NULL);
  g_autofree char *png_path = g_build_filename (dir, png_name, NULL);
  g_autofree char *text_path = g_build_filename (dir, "notes.png", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(BylinePublisher) publisher = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(BylineWpClient) client = NULL;
  g_autoptr(GFile) png = NULL;
  g_autoptr(GFile) text = NULL;
  g_autoptr(JsonNode) found = NULL;
  g_autoptr(JsonNode) media = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(SoupSession) session = NULL;
  g_autoptr(SoupMessage) message = NULL;
  g_autoptr(GBytes) fetched = NULL;
  g_autofree guchar *png_data = NULL;
  g_autofree char *source_url = NULL;
  g_autofree char *route = NULL;
  g_autofree char *local_address = NULL;
  BylineImageInserter *inserter;
  GtkWidget *window, *editor;
  GtkTextBuffer *buffer;
  GtkTextIter iter;
  const char *body, *start, *end;
  JsonArray *array;
  gint64 media_id = 0;
  gsize png_length;

  if (url == NULL)
    g_error ("Run this under tests/wordpress/with-wordpress: BYLINE_WP_URL is not set");

  store = byline_store_open (path, &error);
  g_assert_no_error (error);
  accounts = byline_accounts_new (store);
  publisher = byline_publisher_new (store, accounts);

  account = byline_test_add_wordpress_account (accounts);

  draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  g_assert_no_error (error);
  byline_draft_set_title (draft, "With a picture");
  byline_draft_set_body (draft, "Before.\n\nAfter.\n");
  g_assert_true (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));

  window = gtk_window_new ();
  editor = byline_editor_new ();
  gtk_window_set_child (GTK_WINDOW (window), editor);
  byline_editor_set_draft (BYLINE_EDITOR (editor), store, draft);
  gtk_window_present (GTK_WINDOW (window));
  inserter = byline_editor_get_image_inserter (BYLINE_EDITOR (editor));
  byline_image_inserter_set_site (inserter, publisher, accounts);
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (byline_editor_get_source_view (BYLINE_EDITOR (editor))));

  /* Not an image, whatever its name says: refused, the text untouched. */
  text = g_file_new_for_path (text_path);
  g_assert_true (g_file_set_contents (text_path, "Just some notes, not a picture.\n", -1, &error));
  g_assert_false (byline_image_inserter_insert_file (inserter, text, "Alt", NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_cmpstr (byline_draft_get_body (draft), ==, "Before.\n\nAfter.\n");

  png_data = g_base64_decode (tiny_png, &png_length);
  g_assert_true (g_file_set_contents (png_path, (const char *) png_data, png_length, &error));
  png = g_file_new_for_path (png_path);

  /* The dialog asks for the alt text: Insert waits for some; cancelling leaves the text. */
  {
    GList files = { png, NULL, NULL };
    AdwMessageDialog *dialog = NULL;
    g_autoptr(GList) toplevels = NULL;
    GtkWidget *entry;

    byline_image_inserter_ask (inserter, &files, NULL);
    toplevels = gtk_window_list_toplevels ();
    for (GList *l = toplevels; l != NULL; l = l->next)
      if (ADW_IS_MESSAGE_DIALOG (l->data))
        dialog = l->data;
    g_assert_nonnull (dialog);
    entry = adw_message_dialog_get_extra_child (dialog);
    g_assert_true (GTK_IS_ENTRY (entry));
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "insert"));
    gtk_editable_set_text (GTK_EDITABLE (entry), "   ");
    g_assert_false (adw_message_dialog_get_response_enabled (dialog, "insert"));
    gtk_editable_set_text (GTK_EDITABLE (entry), "Alt");
    g_assert_true (adw_message_dialog_get_response_enabled (dialog, "insert"));
    adw_message_dialog_response (dialog, "cancel");
    g_assert_cmpstr (byline_draft_get_body (draft), ==, "Before.\n\nAfter.\n");
  }

  /* An image, between the two paragraphs: there at once, at its local address, with the
   * cursor left where the person typed (at the end). */
  byline_preview_set_uploads_dir (byline_publisher_get_uploads_dir (publisher));
  gtk_text_buffer_get_end_iter (buffer, &iter);
  gtk_text_buffer_place_cursor (buffer, &iter);
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, strlen ("Before.\n\n"));
  g_assert_true (byline_image_inserter_insert_file (inserter, png, "Alt après", &iter, &error));
  g_assert_no_error (error);
  g_assert_nonnull (strstr (byline_draft_get_body (draft), "![Alt après](byline-upload:"));
  {
    const char *local = strstr (byline_draft_get_body (draft), "byline-upload:");

    local_address = g_strndup (local, strchr (local, ')') - local);
  }
  if (!byline_test_wait_until (body_has_image, draft, 60000))
    g_error ("The image did not arrive: %s", byline_draft_get_body (draft));

  body = byline_draft_get_body (draft);
  g_assert_true (g_str_has_prefix (body, "Before.\n\n![Alt après](http"));
  g_assert_true (g_str_has_suffix (body, ")After.\n"));
  g_assert_null (strstr (body, "byline-upload:"));
  /* The cursor is still at the end, and what is saved has the site's address. */
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  g_assert_true (gtk_text_iter_is_end (&iter));
  byline_editor_save_now (BYLINE_EDITOR (editor));
  {
    g_autoptr(BylineDraft) stored = byline_store_load_draft (store, byline_draft_get_id (draft),
                                                             &error);

    g_assert_no_error (error);
    g_assert_null (strstr (byline_draft_get_body (stored), "byline-upload:"));
    g_assert_nonnull (strstr (byline_draft_get_body (stored), "![Alt après](http"));
  }
  /* The replacement is one step of the undo history, after the insertion. */
  g_assert_true (gtk_text_buffer_get_can_undo (buffer));
  start = strstr (body, "](") + 2;
  end = strchr (start, ')');
  source_url = g_strndup (start, end - start);

  /* The address serves the file. */
  session = soup_session_new ();
  message = soup_message_new ("GET", source_url);
  g_assert_nonnull (message);
  fetched = soup_session_send_and_read (session, message, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  g_assert_cmpuint (g_bytes_get_size (fetched), ==, png_length);

  /* And the media library has it with its alt text. */
  client = byline_wp_client_new (byline_account_get_api_root (account), g_getenv ("BYLINE_WP_USER"),
                                 g_getenv ("BYLINE_WP_APP_PASSWORD"));
  query = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (query, "search", stem);
  g_hash_table_insert (query, "context", "edit");
  found = request (client, "/wp/v2/media", query);
  array = json_node_get_array (found);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *item = json_array_get_object_element (array, i);

      if (g_strcmp0 (json_object_get_string_member_with_default (item, "source_url", ""),
                     source_url) == 0)
        media_id = json_object_get_int_member (item, "id");
    }
  g_assert_cmpint (media_id, >, 0);
  route = g_strdup_printf ("/wp/v2/media/%" G_GINT64_FORMAT, media_id);
  media = request (client, route, NULL);
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (media), "alt_text"), ==,
                   "Alt après");
  g_assert_cmpstr (json_object_get_string_member (json_node_get_object (media), "mime_type"), ==,
                   "image/png");

  /* Featured, and published: the post has the image at its site address with its alt text,
   * and featured_media is that file. */
  byline_draft_set_featured_image (draft, local_address);
  byline_editor_save_now (BYLINE_EDITOR (editor));
  {
    BylinePublishOptions options = { .status = "publish" };
    g_autoptr(BylineOutboxEntry) entry = NULL;
    g_autoptr(JsonNode) post = NULL;
    g_autofree char *post_route = NULL;
    g_autofree char *img = NULL;
    g_autoptr(GHashTable) edit = g_hash_table_new (g_str_hash, g_str_equal);
    JsonObject *object;
    gint64 entry_id;
    gpointer args[2];

    entry_id = byline_publisher_enqueue_publish (publisher, draft,
                                                 byline_account_get_id (account), &options,
                                                 &error);
    g_assert_no_error (error);
    byline_publisher_process_async (publisher, NULL, NULL, NULL);
    args[0] = publisher;
    args[1] = &entry_id;
    g_assert_true (byline_test_wait_until (entry_settled, args, 60000));
    entry = byline_publisher_get_entry (publisher, entry_id, &error);
    g_assert_no_error (error);
    if (entry->state != BYLINE_OUTBOX_STATE_DONE)
      g_error ("Not published: %s", entry->last_error);

    g_hash_table_insert (edit, "context", "edit");
    post_route = g_strdup_printf ("/wp/v2/posts/%" G_GINT64_FORMAT, entry->remote_id);
    post = request (client, post_route, edit);
    object = json_node_get_object (post);
    g_assert_cmpint (json_object_get_int_member (object, "featured_media"), ==, media_id);
    g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "publish");
    img = g_strdup_printf ("<img src=\"%s\" alt=\"Alt après\"", source_url);
    if (strstr (json_object_get_string_member (json_object_get_object_member (object, "content"),
                                               "raw"), img) == NULL)
      g_error ("%s is not in the post: %s", img,
               json_object_get_string_member (json_object_get_object_member (object, "content"),
                                              "raw"));
    g_assert_null (strstr (json_object_get_string_member (json_object_get_object_member (object,
                                                                                         "content"),
                                                          "raw"), "byline-upload"));
  }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;

  byline_test_init (&argc, &argv);
  bus = byline_test_ui_start_with_keyring ();

  g_test_add_func ("/wordpress/insert-image/upload", test_insert_image);

  return byline_test_run_and_stop_bus (bus);
}
