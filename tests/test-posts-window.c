/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-posts-window.c: the Site Posts window, driven by keys under Xvfb, against a real WordPress
 * (run under wordpress/with-wordpress): list, load more, search, open a post as a linked draft
 * into the drafts list, and open it again. */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <gtksourceview/gtksource.h>

#include "byline-drafts-page.h"
#include "byline-preview.h"
#include "byline-posts-window.h"
#include "byline-publisher.h"
#include "byline-test-ui-util.h"
#include "byline-wp-client.h"

#define KERRY "Secretary Kerry Attends NATO Foreign Ministers Meeting in Brussels"
/* One more than a page of the window: the DipNote post, the oldest, is on the second page. */
#define N_FILLERS 21

/* What the window says: its one selectable label. */
static const char *
window_message (GtkWidget *widget)
{
  GtkLabel *label = byline_test_find_selectable_label (widget);

  return label != NULL ? gtk_label_get_label (label) : NULL;
}

/* The window's list, as a person sees it. */
typedef struct {
  GtkListBox *list;
  guint       n_rows;
  const char *first_title;
  gboolean    has_kerry;
} ListWait;

static const char *
row_title (GtkListBox *list,
           int         index)
{
  GtkListBoxRow *row = gtk_list_box_get_row_at_index (list, index);

  return row ? adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)) : NULL;
}

static guint
count_rows (GtkListBox *list)
{
  guint n = 0;

  while (gtk_list_box_get_row_at_index (list, (int) n) != NULL)
    n++;
  return n;
}

static gboolean
list_is (gpointer user_data)
{
  ListWait *wait = user_data;
  gboolean kerry = FALSE;

  for (guint i = 0; i < count_rows (wait->list); i++)
    kerry |= g_strcmp0 (row_title (wait->list, (int) i), KERRY) == 0;
  return count_rows (wait->list) == wait->n_rows && kerry == wait->has_kerry
         && (wait->first_title == NULL
             || g_strcmp0 (row_title (wait->list, 0), wait->first_title) == 0);
}

static void
wait_for_list (GtkListBox *list,
               guint       n_rows,
               gboolean    has_kerry,
               const char *first_title)
{
  ListWait wait = { list, n_rows, first_title, has_kerry };
  GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_WINDOW);
  GtkWidget *focus;

  if (byline_test_wait_until (list_is, &wait, 30000))
    return;
  focus = gtk_window_get_focus (GTK_WINDOW (window));
  g_error ("Expected %u rows%s, found %u (first: %s); the window (%s, focus on %s) says: %s; "
           "its search holds “%s”",
           n_rows, has_kerry ? " with the DipNote post" : "", count_rows (list),
           row_title (list, 0), gtk_window_is_active (GTK_WINDOW (window)) ? "active" : "inactive",
           focus ? G_OBJECT_TYPE_NAME (focus) : "nothing", window_message (window),
           gtk_editable_get_text (byline_test_find_widget (window, GTK_TYPE_SEARCH_ENTRY)));
}

static char *
present (GtkWindow *window)
{
  gtk_window_present (window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  return g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                            gtk_native_get_surface (GTK_NATIVE (window))));
}

typedef struct {
  BylineDraft *draft;
  int          outcome;
  gboolean     gone;
} Opened;

static void
open_draft_cb (BylinePostsWindow *window,
               BylineDraft       *draft,
               int                outcome,
               gpointer           user_data)
{
  Opened *opened = user_data;

  g_assert_null (opened->draft);
  opened->draft = g_object_ref (draft);
  opened->outcome = outcome;
}

static void
window_destroyed_cb (GtkWidget *window,
                     gpointer   user_data)
{
  ((Opened *) user_data)->gone = TRUE;
}

static gboolean
opened_and_gone (gpointer user_data)
{
  Opened *opened = user_data;

  return opened->draft != NULL && opened->gone;
}

/* A window for @account_id whose opened draft goes to @page. */
static BylinePostsWindow *
new_window (BylineStore      *store,
            BylineAccounts   *accounts,
            gint64            account_id,
            BylineDraftsPage *page,
            Opened           *opened)
{
  BylinePostsWindow *window = byline_posts_window_new (store, accounts);

  byline_posts_window_set_account (window, account_id);
  g_signal_connect (window, "open-draft", G_CALLBACK (open_draft_cb), opened);
  g_signal_connect_swapped (window, "open-draft", G_CALLBACK (byline_drafts_page_open_draft), page);
  g_signal_connect (window, "destroy", G_CALLBACK (window_destroyed_cb), opened);
  return window;
}

/* Types "NATO" and Enter in the search, then Down and Enter: the one post found, @title,
 * opens. */
static void
search_and_open (const char *xid,
                 GtkListBox *list,
                 const char *title,
                 Opened     *opened)
{
  byline_test_run_command ("xdotool", "windowfocus", "--sync", xid, NULL);
  byline_test_run_command ("xdotool", "type", "--delay", "50", "NATO", NULL);
  byline_test_run_command ("xdotool", "key", "Return", NULL);
  wait_for_list (list, 1, g_str_equal (title, KERRY), title);
  byline_test_run_command ("xdotool", "key", "Down", "Return", NULL);
  if (!byline_test_wait_until (opened_and_gone, opened, 30000))
    {
      GtkWidget *window = gtk_widget_get_ancestor (GTK_WIDGET (list), GTK_TYPE_WINDOW);
      GtkWidget *focus = opened->gone ? NULL : gtk_window_get_focus (GTK_WINDOW (window));

      g_error ("The post was not opened (draft %s, window %s, focus on %s): %s",
               opened->draft ? "made" : "not made", opened->gone ? "closed" : "open",
               focus ? G_OBJECT_TYPE_NAME (focus) : "nothing",
               opened->gone ? "" : window_message (window));
    }
}

static void
create_fillers (BylineWpClient *client)
{
  GAsyncResult *results[N_FILLERS] = { NULL };

  /* All at once: each is a new post, dated now, so listed before the DipNote one (2013). */
  for (guint i = 0; i < N_FILLERS; i++)
    {
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autofree char *title = g_strdup_printf ("Filler post %02u", i + 1);

      json_object_set_string_member (fields, "title", title);
      json_object_set_string_member (fields, "content", "<p>Nothing about the Alliance.</p>");
      json_object_set_string_member (fields, "status", i % 2 ? "draft" : "publish");
      byline_wp_client_create_post_async (client, fields, NULL, byline_test_store_result_cb,
                                          &results[i]);
    }
  for (guint i = 0; i < N_FILLERS; i++)
    {
      g_autoptr(BylineWpPost) post = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (byline_test_wait_until (byline_test_has_result, &results[i], 60000));
      post = byline_wp_client_create_post_finish (client, results[i], &error);
      g_assert_no_error (error);
      g_object_unref (results[i]);
    }
}

typedef struct {
  BylinePreview *preview;
  const char    *byline;
} PreviewByline;

static void
preview_byline_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  char **text = user_data;

  *text = byline_preview_run_script_finish (BYLINE_PREVIEW (object), result, NULL);
  if (*text == NULL)
    *text = g_strdup ("");
}

/* For byline_test_wait_until: the preview's byline reads the expected name. */
static gboolean
preview_byline_is (gpointer user_data)
{
  PreviewByline *wait = user_data;
  g_autofree char *text = NULL;

  if (!byline_preview_is_idle (wait->preview))
    return FALSE;
  byline_preview_run_script (wait->preview,
                             "document.getElementById('byline-author').textContent", NULL,
                             preview_byline_cb, &text);
  while (text == NULL)
    g_main_context_iteration (NULL, TRUE);
  return g_str_equal (text, wait->byline);
}

static void
test_open_with_keys (void)
{
  const char *url = g_getenv ("BYLINE_WP_URL");
  const char *post_id = g_getenv ("BYLINE_WP_POST_ID");
  g_autofree char *dir = byline_test_make_tmpdir ("posts-window");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(BylinePublisher) publisher = NULL;
  g_autoptr(BylineWpSite) site = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(BylineWpClient) client = NULL;
  g_autoptr(GSettings) settings = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autofree char *xid = NULL;
  g_auto(BylineRemotePost) remote = { 0 };
  Opened first = { 0 };
  Opened second = { 0 };
  Opened third = { 0 };
  BylinePostsWindow *window;
  GtkWindow *main_window;
  BylineDraftsPage *page;
  BylinePreview *preview;
  GtkListBox *list;
  GtkScrolledWindow *scrolled;
  GtkAdjustment *adjustment;
  GtkWidget *more_button;
  GAsyncResult *result = NULL;

  if (url == NULL || post_id == NULL)
    g_error ("Run this under tests/wordpress/with-wordpress: BYLINE_WP_URL is not set");

  store = byline_store_open (path, &error);
  g_assert_no_error (error);
  accounts = byline_accounts_new (store);
  publisher = byline_publisher_new (store, accounts);

  byline_wp_client_discover_async (url, NULL, byline_test_store_result_cb, &result);
  g_assert_true (byline_test_wait_until (byline_test_has_result, &result, 30000));
  site = byline_wp_client_discover_finish (result, &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  account = byline_account_new (url, site->api_root, g_getenv ("BYLINE_WP_USER"));
  byline_account_set_site_name (account, site->name);
  g_assert_true (byline_accounts_add (accounts, account, g_getenv ("BYLINE_WP_APP_PASSWORD"),
                                      &error));
  client = byline_wp_client_new (site->api_root, g_getenv ("BYLINE_WP_USER"),
                                 g_getenv ("BYLINE_WP_APP_PASSWORD"));
  create_fillers (client);

  /* The drafts list the opened post goes to, as in the main window. */
  settings = g_settings_new (APP_ID);
  page = g_object_new (BYLINE_TYPE_DRAFTS_PAGE, NULL);
  main_window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (main_window, 1000, 700);
  gtk_window_set_child (main_window, GTK_WIDGET (page));
  byline_drafts_page_load (page, store, accounts, settings);
  g_assert_null (byline_drafts_page_get_draft (page));
  present (main_window);

  /* The newest posts first, a page of them, with more to load. */
  window = new_window (store, accounts, byline_account_get_id (account), page, &first);
  gtk_window_set_transient_for (GTK_WINDOW (window), main_window);
  xid = present (GTK_WINDOW (window));
  list = byline_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LIST_BOX);
  scrolled = GTK_SCROLLED_WINDOW (gtk_widget_get_ancestor (GTK_WIDGET (list),
                                                           GTK_TYPE_SCROLLED_WINDOW));
  more_button = byline_test_find_widget (GTK_WIDGET (scrolled), GTK_TYPE_BUTTON);
  g_assert_nonnull (more_button);
  wait_for_list (list, 20, FALSE, NULL);
  g_assert_true (gtk_widget_get_visible (more_button));
  byline_test_screenshot ("posts-window.png");

  /* Scrolled to the end, the next page comes, with the DipNote post last. */
  adjustment = gtk_scrolled_window_get_vadjustment (scrolled);
  while (gtk_adjustment_get_upper (adjustment) <= gtk_adjustment_get_page_size (adjustment))
    g_main_context_iteration (NULL, TRUE);
  gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment)
                            - gtk_adjustment_get_page_size (adjustment));
  wait_for_list (list, N_FILLERS + 1, TRUE, NULL);
  g_assert_cmpstr (row_title (list, N_FILLERS), ==, KERRY);
  g_assert_false (gtk_widget_get_visible (more_button));

  /* Search, open with the keys: a linked HTML draft, listed and selected; the window closes. */
  search_and_open (xid, list, KERRY, &first);
  byline_test_screenshot ("posts-window-opened.png");
  g_assert_cmpint (first.outcome, ==, BYLINE_REMOTE_IMPORT_CREATED);
  g_assert_cmpint (byline_draft_get_format (first.draft), ==, BYLINE_DRAFT_FORMAT_HTML);
  g_assert_cmpstr (byline_draft_get_title (first.draft), ==, KERRY);
  g_assert_nonnull (strstr (byline_draft_get_body (first.draft), "après"));
  g_assert_cmpstr (byline_draft_get_tags (first.draft), ==, "Afghanistan, Brussels, NATO, Syria");
  /* The byline is the post's author on the site. */
  g_assert_cmpstr (byline_draft_get_author (first.draft), ==, "DipNote Editor");
  g_assert_true (byline_publisher_get_remote (publisher, byline_draft_get_id (first.draft),
                                              &remote));
  g_assert_cmpint (remote.remote_id, ==, g_ascii_strtoll (post_id, NULL, 10));
  g_assert_cmpint (remote.account_id, ==, byline_account_get_id (account));
  g_assert_cmpstr (remote.status, ==, "publish");
  g_assert_true (byline_drafts_page_get_draft (page) == first.draft);

  /* Opened again: the same draft, not a second one. */
  window = new_window (store, accounts, byline_account_get_id (account), page, &second);
  gtk_window_set_transient_for (GTK_WINDOW (window), main_window);
  g_free (xid);
  xid = present (GTK_WINDOW (window));
  list = byline_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LIST_BOX);
  wait_for_list (list, 20, FALSE, NULL);
  search_and_open (xid, list, KERRY, &second);
  g_assert_cmpint (second.outcome, ==, BYLINE_REMOTE_IMPORT_UNCHANGED);
  g_assert_cmpint (byline_draft_get_id (second.draft), ==, byline_draft_get_id (first.draft));
  drafts = byline_store_list_drafts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 1);
  /* The list kept the object the editor edits. */
  g_assert_true (byline_drafts_page_get_draft (page) == first.draft);

  /* Changed on the site meanwhile, the untouched draft takes the new version, in the list and
   * in the editor too. */
  {
    g_autoptr(JsonObject) fields = json_object_new ();
    g_autoptr(BylineWpPost) post = NULL;

    json_object_set_string_member (fields, "title", KERRY " (updated)");
    byline_wp_client_update_post_async (client, g_ascii_strtoll (post_id, NULL, 10), fields, NULL,
                                        byline_test_store_result_cb, &result);
    g_assert_true (byline_test_wait_until (byline_test_has_result, &result, 30000));
    post = byline_wp_client_update_post_finish (client, result, &error);
    g_clear_object (&result);
    g_assert_no_error (error);
  }
  window = new_window (store, accounts, byline_account_get_id (account), page, &third);
  gtk_window_set_transient_for (GTK_WINDOW (window), main_window);
  g_free (xid);
  xid = present (GTK_WINDOW (window));
  list = byline_test_find_widget (GTK_WIDGET (window), GTK_TYPE_LIST_BOX);
  wait_for_list (list, 20, FALSE, NULL);
  search_and_open (xid, list, KERRY " (updated)", &third);
  g_assert_cmpint (third.outcome, ==, BYLINE_REMOTE_IMPORT_REFRESHED);
  g_assert_cmpint (byline_draft_get_id (third.draft), ==, byline_draft_get_id (first.draft));
  g_assert_true (byline_drafts_page_get_draft (page) == third.draft);
  g_assert_cmpstr (byline_draft_get_title (byline_drafts_page_get_draft (page)), ==,
                   KERRY " (updated)");
  g_clear_pointer (&drafts, g_ptr_array_unref);
  drafts = byline_store_list_drafts (store, &error);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpstr (byline_draft_get_title (g_ptr_array_index (drafts, 0)), ==, KERRY " (updated)");

  /* The preview signs the post with its author, in whichever look it shows. */
  preview = byline_test_find_widget (GTK_WIDGET (page), BYLINE_TYPE_PREVIEW);
  g_assert_true (byline_test_wait_until (preview_byline_is, &(PreviewByline) { preview,
                                                                               "DipNote Editor" },
                                         20000));

  /* A new draft is signed by the person signed in to the site. */
  byline_drafts_page_new_draft (page);
  g_assert_cmpstr (byline_draft_get_author (byline_drafts_page_get_draft (page)), ==,
                   g_getenv ("BYLINE_WP_USER"));

  g_clear_object (&first.draft);
  g_clear_object (&second.draft);
  g_clear_object (&third.draft);
  byline_drafts_page_save_now (page);
  gtk_window_destroy (main_window);
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;

  byline_test_init (&argc, &argv);
  bus = byline_test_ui_start_with_keyring ();
  gtk_source_init ();

  g_test_add_func ("/wordpress/posts-window/keys", test_open_with_keys);

  return byline_test_run_and_stop_bus (bus);
}
