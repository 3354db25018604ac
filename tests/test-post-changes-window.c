/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-post-changes-window.c: the Publish window's changes on the live post, driven by keys
 * under Xvfb against a real WordPress (run under wordpress/with-wordpress): a post changed on
 * the site and in the draft shows the changed title and the deleted and inserted words; Update
 * stops at the conflict, Merge (Alt+M) takes the site's changes in, Update (Ctrl+Return) sends
 * both. */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "byline-post-changes-view.h"
#include "byline-publish-window.h"
#include "byline-test-ui-util.h"
#include "byline-wp-blocks.h"
#include "byline-wp-client.h"

#define WAIT_MS 30000

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_ACTION_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

/* Whether the text view shows @word with the tag @tag_name on its first letter. */
static gboolean
word_has_tag (GtkTextView *view,
              const char  *word,
              const char  *tag_name)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextTag *tag = gtk_text_tag_table_lookup (gtk_text_buffer_get_tag_table (buffer), tag_name);
  GtkTextIter start, match_start;

  gtk_text_buffer_get_start_iter (buffer, &start);
  if (!gtk_text_iter_forward_search (&start, word, 0, &match_start, NULL, NULL))
    return FALSE;
  return gtk_text_iter_has_tag (&match_start, tag);
}

static void
take_theirs_cb (BylinePublishWindow  *window,
                BylineDraft          *merged,
                BylineDraft         **out)
{
  g_set_object (out, merged);
}

static BylineWpPost *
get_live (BylineWpClient *client,
          gint64          id)
{
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  BylineWpPost *post;

  byline_wp_client_get_post_async (client, id, NULL, byline_test_store_result_cb, &result);
  g_assert_true (byline_test_wait_until (byline_test_has_result, &result, WAIT_MS));
  post = byline_wp_client_get_post_finish (client, result, &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  return post;
}

static void
test_changes_and_merge (void)
{
  g_autofree char *dir = byline_test_make_tmpdir ("post-changes-window");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autofree char *token = g_strdup_printf ("%08x", g_random_int ());
  g_autofree char *title = g_strdup_printf ("Budget %s", token);
  g_autofree char *their_title = g_strdup_printf ("Budget passes %s", token);
  g_autofree char *title_change = g_strdup_printf ("%s → %s", their_title, title);
  g_autofree char *xid = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(BylinePublisher) publisher = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) merged = NULL;
  GtkWidget *date_row;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(BylineWpClient) other = NULL;
  g_autoptr(BylineWpPost) theirs = NULL;
  g_autoptr(BylineWpPost) live = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autofree char *their_content = NULL;
  g_auto(BylineRemotePost) remote = { 0 };
  BylinePublishWindow *window;
  BylinePostChangesView *view;
  GtkWidget *title_row;
  GtkTextView *text_view;
  BylineTestLabelWait wait_result, wait_view;
  GAsyncResult *result = NULL;

  store = byline_store_open (path, &error);
  g_assert_no_error (error);
  accounts = byline_accounts_new (store);
  publisher = byline_publisher_new (store, accounts);
  account = byline_test_add_wordpress_account (accounts);
  other = byline_wp_client_new (byline_account_get_api_root (account),
                                g_getenv ("BYLINE_WP_USER"), g_getenv ("BYLINE_WP_APP_PASSWORD"));

  /* Published once, as the window does. */
  draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  byline_draft_set_title (draft, title);
  byline_draft_set_body (draft, "The council met on Monday.\n\nThe vote was close.\n\n"
                         "Schools get more money.\n\nRoads get less.\n");
  /* What the site requires by default, so that the pre-publish check lets the update go. */
  byline_draft_set_excerpt (draft, "The council's budget.");
  byline_draft_set_categories (draft, "Uncategorized");
  g_assert_true (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));
  {
    BylinePublishOptions options = { .status = "publish" };

    g_assert_cmpint (byline_publisher_enqueue_publish (publisher, draft,
                                                       byline_account_get_id (account), &options,
                                                       &error), >, 0);
    byline_publisher_process_async (publisher, NULL, byline_test_store_result_cb, &result);
    g_assert_true (byline_test_wait_until (byline_test_has_result, &result, WAIT_MS));
    g_assert_true (byline_publisher_process_finish (publisher, result, &error));
    g_clear_object (&result);
  }
  g_assert_true (byline_publisher_get_remote (publisher, byline_draft_get_id (draft), &remote));

  /* Someone else corrects the title and the first paragraph on the site, a second later. */
  byline_test_iterate_for (1100);
  json_object_set_string_member (fields, "title", their_title);
  /* As the block editor saves the edit: the same blocks, one paragraph changed. */
  their_content = byline_wp_blocks_render ("The council met on Tuesday.\n\nThe vote was close.\n\n"
                                           "Schools get more money.\n\nRoads get less.\n",
                                           -1, NULL, NULL);
  json_object_set_string_member (fields, "content", their_content);
  byline_wp_client_update_post_async (other, remote.remote_id, fields, NULL,
                                      byline_test_store_result_cb, &result);
  g_assert_true (byline_test_wait_until (byline_test_has_result, &result, WAIT_MS));
  theirs = byline_wp_client_update_post_finish (other, result, &error);
  g_clear_object (&result);
  g_assert_no_error (error);

  /* And the draft changes the last one. */
  byline_draft_set_body (draft, "The council met on Monday.\n\nThe vote was close.\n\n"
                         "Schools get more money.\n\nRoads get much less.\n");
  g_assert_true (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));

  /* Opening the window compares at once. */
  window = byline_publish_window_new (publisher, accounts, draft);
  g_signal_connect (window, "take-theirs", G_CALLBACK (take_theirs_cb), &merged);
  gtk_window_present (GTK_WINDOW (window));
  view = byline_test_find_widget (GTK_WIDGET (window), BYLINE_TYPE_POST_CHANGES_VIEW);
  g_assert_nonnull (view);
  wait_view.label = byline_test_find_widget (GTK_WIDGET (view), GTK_TYPE_LABEL);
  wait_view.text = "Publishing the draft now would change";
  if (!byline_test_wait_until (byline_test_label_starts_with, &wait_view, WAIT_MS))
    g_error ("No changes shown: %s", gtk_label_get_label (wait_view.label));

  /* The changed title as a row, old → new; the words struck through and underlined. */
  title_row = byline_test_find_descendant (GTK_WIDGET (view), is_row_titled, "Title");
  g_assert_nonnull (title_row);
  g_assert_cmpstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (title_row)), ==, title_change);
  text_view = byline_test_find_widget (GTK_WIDGET (view), GTK_TYPE_TEXT_VIEW);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (text_view)));
  g_assert_true (word_has_tag (text_view, "Tuesday", "deleted"));
  g_assert_true (word_has_tag (text_view, "Monday", "inserted"));
  g_assert_true (word_has_tag (text_view, "much", "inserted"));
  g_assert_false (word_has_tag (text_view, "Schools", "inserted"));
  {
    g_autofree char *marked = byline_post_changes_view_dup_marked_text (view);

    g_assert_nonnull (strstr (marked, "[-Tuesday.-]{+Monday.+}"));
    g_assert_nonnull (strstr (marked, "{+ much+}"));
  }

  g_assert_null (byline_test_find_descendant (GTK_WIDGET (view), is_row_titled, "Date"));

  /* Alt+C compares again, on demand, and takes the focus there; with the date typed in the
   * window, which an update would send. */
  date_row = byline_test_find_widget (GTK_WIDGET (window), ADW_TYPE_ENTRY_ROW);
  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (date_row)),
                                   "Date"));
  gtk_editable_set_text (GTK_EDITABLE (date_row), "2020-01-02 09:30");
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                           gtk_native_get_surface (GTK_NATIVE (window))));
  byline_test_run_command ("xdotool", "windowfocus", "--sync", xid, NULL);
  gtk_label_set_label (wait_view.label, "");
  byline_test_run_command ("xdotool", "key", "alt+c", NULL);
  g_assert_true (byline_test_wait_until (byline_test_label_starts_with, &wait_view, WAIT_MS));
  g_assert_nonnull (byline_test_find_descendant (GTK_WIDGET (view), is_row_titled, "Date"));
  gtk_editable_set_text (GTK_EDITABLE (date_row), "");
  g_assert_true (gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)),
                                         GTK_WIDGET (view)));
  byline_test_screenshot ("post-changes-window.png");

  /* Ctrl+Return: the update stops at the conflict; the view shows both sides. */
  byline_test_run_command ("xdotool", "key", "ctrl+Return", NULL);
  wait_result.label = byline_test_find_selectable_label (GTK_WIDGET (window));
  wait_result.text = "Someone changed this post on the site";
  if (!byline_test_wait_until (byline_test_label_starts_with, &wait_result, WAIT_MS))
    g_error ("No conflict: %s", gtk_label_get_label (wait_result.label));
  wait_view.text = "Publishing the draft now would change";
  g_assert_true (byline_test_wait_until (byline_test_label_starts_with, &wait_view, WAIT_MS));
  byline_test_screenshot ("post-changes-window-conflict.png");

  /* Typed after the comparison: Alt+M does not merge what was worked out before it. */
  byline_draft_set_excerpt (draft, "The council's budget, in full.");
  byline_test_run_command ("xdotool", "key", "alt+m", NULL);
  byline_test_iterate_for (500);
  g_assert_null (merged);
  /* Alt+C compares the draft as it is now. */
  gtk_label_set_label (wait_view.label, "");
  byline_test_run_command ("xdotool", "key", "alt+c", NULL);
  g_assert_true (byline_test_wait_until (byline_test_label_starts_with, &wait_view, WAIT_MS));

  /* Alt+M merges; the editor gets the merged title and text. */
  byline_test_run_command ("xdotool", "key", "alt+m", NULL);
  g_assert_true (byline_test_wait_until ((gboolean (*)(gpointer))byline_test_has_result,
                                         &merged, WAIT_MS));
  g_assert_cmpstr (byline_draft_get_title (merged), ==, their_title);
  g_assert_nonnull (strstr (byline_draft_get_body (merged), "Tuesday"));
  g_assert_nonnull (strstr (byline_draft_get_body (merged), "much less"));
  /* As the editor does with it. */
  byline_draft_set_title (draft, byline_draft_get_title (merged));
  byline_draft_set_format (draft, byline_draft_get_format (merged));
  byline_draft_set_body (draft, byline_draft_get_body (merged));

  /* Ctrl+Return: the update goes out, with both changes. (The label said "Published" already,
   * for the conflict taken as the site's: it is cleared, so that only the update's own result
   * ends the wait.) */
  gtk_label_set_label (wait_result.label, "");
  byline_test_run_command ("xdotool", "key", "ctrl+Return", NULL);
  wait_result.text = "Published: http";
  if (!byline_test_wait_until (byline_test_label_starts_with, &wait_result, WAIT_MS))
    g_error ("Not published: %s", gtk_label_get_label (wait_result.label));
  live = get_live (other, remote.remote_id);
  g_assert_cmpstr (byline_wp_post_get_title (live), ==, their_title);
  g_assert_nonnull (strstr (byline_wp_post_get_content (live), "Tuesday"));
  g_assert_nonnull (strstr (byline_wp_post_get_content (live), "much less"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;

  byline_test_init (&argc, &argv);
  bus = byline_test_ui_start_with_keyring ();
  if (g_getenv ("BYLINE_WP_URL") == NULL)
    g_error ("Run this under tests/wordpress/with-wordpress: BYLINE_WP_URL is not set");

  g_test_add_func ("/wordpress/post-changes-window/changes-and-merge", test_changes_and_merge);

  return byline_test_run_and_stop_bus (bus);
}
