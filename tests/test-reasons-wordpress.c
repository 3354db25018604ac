/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-reasons-wordpress.c: policy reasons in the Comments view, driven by real keys under Xvfb
 * against a real WordPress (run under wordpress/with-wordpress) holding the four DipNote
 * comments: s then a digit, the reason on the row and in the trail, undo taking it back, the
 * chooser (ctrl+s) picking by keys, a bulk decision (shift+t) with a digit, and the comment's
 * history in the detail pane. Statuses are read back from the site, reasons from the store. */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <sqlite3.h>

#include "byline-button-names.h"
#include "byline-comment-detail.h"
#include "byline-comment-history.h"
#include "byline-comment-row.h"
#include "byline-comments-page.h"
#include "byline-moderation-log.h"
#include "byline-moderation-reasons.h"
#include "byline-reasons-window.h"
#include "byline-test-ui-util.h"
#include "byline-trail-export-window.h"
#include "byline-wp-client.h"

typedef struct {
  BylineStore        *store;
  BylineCommentStore *comments;
  GtkWidget          *window;
  GtkWidget          *page;
  sqlite3            *db;
  char               *xid;
  gint64              account_id;
  gint64              id;         /* the local id waited on */
  const char         *status;
  const char         *reason;     /* a slug, or NULL for none */
} Fixture;

static void
keys (Fixture    *f,
      const char *first,
      ...)
{
  va_list args;

  byline_test_run_command ("xdotool", "windowfocus", "--sync", f->xid, NULL);
  va_start (args, first);
  for (const char *key = first; key != NULL; key = va_arg (args, const char *))
    byline_test_run_command ("xdotool", "key", key, NULL);
  va_end (args);
  byline_test_iterate_for (150);
}

static void
screenshot (const char *path)
{
  /* What was just changed is drawn at the next frames. */
  byline_test_iterate_for (300);
  byline_test_run_command ("import", "-window", "root", path, NULL);
}

static int
sql_int (sqlite3    *db,
         const char *sql)
{
  g_autofree char *text = byline_test_sql_text (db, sql);
  return text ? atoi (text) : 0;
}

static gboolean
synced (gpointer user_data)
{
  Fixture *f = user_data;
  return sql_int (f->db, "SELECT count (*) FROM comments WHERE status = 'hold'") >= 4;
}

static gboolean
outbox_empty (gpointer user_data)
{
  Fixture *f = user_data;
  return sql_int (f->db, "SELECT count (*) FROM comment_actions WHERE state = 0") == 0;
}

/* The comment has the status, and the reason (or none), in the store. */
static gboolean
decided (gpointer user_data)
{
  Fixture *f = user_data;
  g_autoptr(BylineComment) comment = byline_comment_store_load (f->comments, f->id, NULL);
  g_autoptr(BylineModerationReason) reason = NULL;

  if (comment == NULL || g_strcmp0 (byline_comment_get_status (comment), f->status) != 0)
    return FALSE;
  reason = byline_moderation_reasons_get_for_comment (f->store, f->id, NULL);
  return f->reason == NULL ? reason == NULL : reason != NULL && g_str_equal (reason->slug, f->reason);
}

static void
wait_decided (Fixture    *f,
              gint64      id,
              const char *status,
              const char *reason)
{
  f->id = id;
  f->status = status;
  f->reason = reason;
  if (!byline_test_wait_until (decided, f, 20000))
    {
      g_autoptr(BylineComment) comment = byline_comment_store_load (f->comments, id, NULL);
      g_autoptr(BylineModerationReason) now = byline_moderation_reasons_get_for_comment (f->store, id,
                                                                                         NULL);

      g_autofree char *all = byline_test_sql_text (f->db, "SELECT group_concat (id || ':' || status || ':' "
                                                   "|| reason, ' ') FROM comments");
      g_test_message ("Comments: %s", all);
      g_error ("Comment %lld did not become %s with reason %s in the store (it is %s, with %s)",
               (long long) id, status, reason ? reason : "(none)",
               comment ? byline_comment_get_status (comment) : "gone", now ? now->slug : "none");
    }
  if (!byline_test_wait_until (outbox_empty, f, 60000))
    g_error ("The decision on comment %lld was not sent", (long long) id);
}

static char *
site_status (BylineWpClient *client,
             gint64          remote_id)
{
  g_autofree char *route = g_strdup_printf ("/wp/v2/comments/%lld", (long long) remote_id);
  g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  GAsyncResult *result = NULL;

  g_hash_table_insert (query, "context", "edit");
  byline_wp_client_request_async (client, "GET", route, query, NULL, NULL,
                                  byline_test_store_result_cb, &result);
  g_assert_true (byline_test_wait_until (byline_test_has_result, &result, 30000));
  node = byline_wp_client_request_finish (client, result, NULL, &error);
  g_assert_no_error (error);
  g_object_unref (result);
  return g_strdup (json_object_get_string_member (json_node_get_object (node), "status"));
}

/* The last entry of the comment's trail. */
static BylineModerationLogEntry *
last_entry (Fixture *f,
            gint64   id)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) entries = byline_moderation_log_list_comment (f->store, id, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, >, 0);
  return g_ptr_array_steal_index (entries, entries->len - 1);
}

/* The row on screen showing comment @id. */
static BylineCommentRow *
find_row (Fixture *f,
          gint64   id)
{
  GtkWidget *list = byline_test_find_named (f->page, "comments-queue");

  for (GtkWidget *child = gtk_widget_get_first_child (list); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      GtkListItem *item = row ? g_object_get_data (G_OBJECT (row), "byline-list-item") : NULL;
      BylineComment *shown = item ? gtk_list_item_get_item (item) : NULL;

      if (shown != NULL && byline_comment_get_id (shown) == id && BYLINE_IS_COMMENT_ROW (row))
        return BYLINE_COMMENT_ROW (row);
    }
  return NULL;
}

typedef struct {
  Fixture    *f;
  gint64      id;
  const char *reason;
} RowWait;

static gboolean
row_shows (gpointer user_data)
{
  RowWait *w = user_data;
  BylineCommentRow *row = find_row (w->f, w->id);

  return row != NULL && g_strcmp0 (byline_comment_row_get_reason (row), w->reason) == 0;
}

static gboolean
is_view_button (GtkWidget     *widget,
                gconstpointer  data)
{
  return GTK_IS_TOGGLE_BUTTON (widget) &&
         g_str_has_prefix (gtk_button_get_label (GTK_BUTTON (widget)) ?: "", data);
}

/* Pending, Spam…: the view's buttons are labelled with their counts. */
static void
show_view (Fixture    *f,
           const char *name)
{
  GtkWidget *button = byline_test_find_descendant (f->page, is_view_button, name);

  g_assert_nonnull (button);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  byline_test_iterate_for (300);
  byline_comments_page_focus_queue (BYLINE_COMMENTS_PAGE (f->page));
}

static gboolean
chooser_open (gpointer user_data)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (ADW_IS_MESSAGE_DIALOG (window) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return TRUE;
    }
  return FALSE;
}

static gboolean
history_has (gpointer user_data)
{
  Fixture *f = user_data;
  BylineCommentDetail *detail = byline_test_find_widget (f->page, BYLINE_TYPE_COMMENT_DETAIL);
  g_autofree char *text = byline_comment_history_dup_text (byline_comment_detail_get_history (detail));

  return strstr (text, f->status) != NULL;
}

static GtkWidget *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type) && gtk_widget_get_visible (GTK_WIDGET (window)))
        return GTK_WIDGET (window);
    }
  return NULL;
}

static gboolean
is_new_reason_row (GtkWidget     *widget,
                   gconstpointer  data)
{
  return ADW_IS_ENTRY_ROW (widget) &&
         g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), "New Reason") == 0;
}

static gboolean
reason_added (gpointer user_data)
{
  Fixture *f = user_data;
  g_autoptr(BylineModerationReason) reason =
    byline_moderation_reasons_find (f->store, f->account_id, "Off the record", FALSE, NULL);

  return reason != NULL;
}

static void
test_reasons_by_keys (void)
{
  g_autofree char *dir = byline_test_make_tmpdir ("reasons-wordpress");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(BylineModerator) moderator = NULL;
  g_autoptr(BylineCommentSync) sync = NULL;
  g_autoptr(BylineWpClient) client = NULL;
  g_autoptr(GPtrArray) reasons = NULL;
  g_autoptr(GArray) pending_keys = NULL;
  g_autoptr(BylineModerationLogEntry) entry = NULL;
  BylineCommentFilter pending = { 0 };
  const BylineModerationReason *second, *third, *fourth;
  BylineCommentDetail *detail;
  gint64 id[4], remote[4];
  Fixture f = { 0 };

  f.store = byline_store_open (path, &error);
  g_assert_no_error (error);
  accounts = byline_accounts_new (f.store);
  account = byline_test_add_wordpress_account (accounts);
  byline_account_set_capabilities (account, BYLINE_ACCOUNT_CAN_MODERATE | BYLINE_ACCOUNT_CAN_PUBLISH);
  byline_accounts_add (accounts, account, g_getenv ("BYLINE_WP_APP_PASSWORD"), &error);
  g_assert_no_error (error);
  f.account_id = byline_account_get_id (account);
  client = byline_wp_client_new (byline_account_get_api_root (account),
                                 g_getenv ("BYLINE_WP_USER"), g_getenv ("BYLINE_WP_APP_PASSWORD"));
  g_assert_cmpint (sqlite3_open_v2 (path, &f.db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);

  f.comments = byline_comment_store_new (f.store);
  moderator = byline_moderator_new (f.comments, accounts);
  sync = byline_comment_sync_new (f.comments, accounts);
  f.window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (f.window), "Reasons");
  gtk_window_set_default_size (GTK_WINDOW (f.window), 1200, 800);
  f.page = g_object_new (BYLINE_TYPE_COMMENTS_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (f.window), f.page);
  gtk_window_present (GTK_WINDOW (f.window));
  byline_comments_page_load (BYLINE_COMMENTS_PAGE (f.page), f.comments, moderator, sync, accounts);
  if (!byline_test_wait_until (synced, &f, 60000))
    g_error ("The view did not bring the four held DipNote comments in");
  byline_test_iterate_for (500);
  f.xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                             gtk_native_get_surface (GTK_NATIVE (f.window))));
  detail = byline_test_find_widget (f.page, BYLINE_TYPE_COMMENT_DETAIL);

  /* The view's order, newest first. */
  pending.account_id = f.account_id;
  pending.view = BYLINE_COMMENT_VIEW_PENDING;
  pending_keys = byline_comment_store_query (f.comments, &pending, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (pending_keys->len, ==, 4);
  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(BylineComment) comment = NULL;

      id[i] = g_array_index (pending_keys, BylineCommentKey, i).id;
      comment = byline_comment_store_load (f.comments, id[i], &error);
      g_assert_no_error (error);
      remote[i] = byline_comment_get_remote_id (comment);
    }
  reasons = byline_moderation_reasons_list (f.store, f.account_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (reasons->len, >=, 4);
  for (guint i = 0; i < reasons->len; i++)
    g_test_message ("Reason %u: %s (%s)", i + 1,
                    ((BylineModerationReason *) g_ptr_array_index (reasons, i))->slug,
                    ((BylineModerationReason *) g_ptr_array_index (reasons, i))->name);
  second = g_ptr_array_index (reasons, 1);
  third = g_ptr_array_index (reasons, 2);
  fourth = g_ptr_array_index (reasons, 3);

  /* s, then 2 while the reasons are shown: spam, with the second reason. */
  byline_comments_page_focus_queue (BYLINE_COMMENTS_PAGE (f.page));
  keys (&f, "s", "2", NULL);
  wait_decided (&f, id[0], BYLINE_COMMENT_STATUS_SPAM, second->slug);
  {
    g_autofree char *status = site_status (client, remote[0]);
    g_assert_cmpstr (status, ==, "spam");
  }
  /* The trail: the decision, then the reason given to it, one request to the site. */
  entry = last_entry (&f, id[0]);
  g_assert_cmpstr (entry->action, ==, "reason");
  g_assert_cmpstr (entry->reason, ==, second->slug);
  g_assert_cmpstr (entry->reason_name, ==, second->name);
  g_clear_pointer (&entry, byline_moderation_log_entry_free);
  g_assert_cmpint (sql_int (f.db, "SELECT count (*) FROM moderation_log WHERE action = 'undo'"),
                   ==, 0);
  /* The digit went to the decision, not to the next comment: it is still pending. */
  g_assert_cmpint (sql_int (f.db, "SELECT count (*) FROM comments WHERE status = 'hold'"), ==, 3);

  /* The Spam view shows the reason on the comment's row, and the detail pane its history. */
  show_view (&f, "Spam");
  {
    RowWait w = { &f, id[0], second->name };
    if (!byline_test_wait_until (row_shows, &w, 10000))
      g_error ("The row of the spammed comment does not show “%s”", second->name);
  }
  g_assert_cmpstr (byline_comment_history_get_reason (byline_comment_detail_get_history (detail)),
                   ==, second->name);

  /* z in Pending takes the decision back, and its reason with it. */
  show_view (&f, "Pending");
  keys (&f, "z", NULL);
  wait_decided (&f, id[0], BYLINE_COMMENT_STATUS_HOLD, NULL);
  {
    g_autofree char *status = site_status (client, remote[0]);
    g_assert_cmpstr (status, ==, "hold");
  }
  {
    RowWait w = { &f, id[0], NULL };
    if (!byline_test_wait_until (row_shows, &w, 10000))
      g_error ("The row still shows a reason after the undo");
  }

  /* ctrl+s asks which reason: Down twice and Enter picks the third. The undone comment is the
   * current one again. */
  keys (&f, "ctrl+s", NULL);
  if (!byline_test_wait_until (chooser_open, NULL, 10000))
    g_error ("ctrl+s did not open the reasons");
  /* The keys go to the chooser, which has the focus once it is shown. */
  byline_test_iterate_for (500);
  byline_test_run_command ("xdotool", "key", "Down", "Down", NULL);
  screenshot ("/tmp/reasons-chooser.png");
  byline_test_run_command ("xdotool", "key", "Return", NULL);
  wait_decided (&f, id[0], BYLINE_COMMENT_STATUS_SPAM, third->slug);
  {
    g_autofree char *status = site_status (client, remote[0]);
    g_assert_cmpstr (status, ==, "spam");
  }

  /* Two selected with x, shift+t, then 4: both trashed with the fourth reason. */
  byline_comments_page_focus_queue (BYLINE_COMMENTS_PAGE (f.page));
  keys (&f, "x", "j", "x", "shift+t", "4", NULL);
  wait_decided (&f, id[1], BYLINE_COMMENT_STATUS_TRASH, fourth->slug);
  wait_decided (&f, id[2], BYLINE_COMMENT_STATUS_TRASH, fourth->slug);
  {
    g_autofree char *s1 = site_status (client, remote[1]);
    g_autofree char *s2 = site_status (client, remote[2]);
    g_assert_cmpstr (s1, ==, "trash");
    g_assert_cmpstr (s2, ==, "trash");
  }

  /* The history of the first comment, in the Spam view's detail pane: every decision, with its
   * reason, who made it and the site's confirmation. */
  show_view (&f, "Spam");
  keys (&f, "j", NULL);
  {
    g_autofree char *expected = g_strdup_printf ("Marked as spam: %s", third->name);
    g_autofree char *text = NULL;

    f.status = expected;
    if (!byline_test_wait_until (history_has, &f, 10000))
      g_error ("The history pane does not list “%s”", expected);
    text = byline_comment_history_dup_text (byline_comment_detail_get_history (detail));
    g_test_message ("History:\n%s", text);
    g_assert_nonnull (strstr (text, "Undone"));
    g_assert_nonnull (strstr (text, g_getenv ("BYLINE_WP_USER")));
    g_assert_nonnull (strstr (text, "Confirmed by the site"));
    {
      /* The digit's reason, given to the decision just made, as an entry of its own. */
      g_autofree char *earlier = g_strdup_printf ("Reason given: %s", second->name);
      g_assert_nonnull (strstr (text, earlier));
    }
  }
  screenshot ("/tmp/reasons-history.png");

  /* The site's reasons, from the view's menu: a reason added by typing its name and Enter. */
  gtk_widget_activate_action (f.page, "comments.edit-reasons", NULL);
  {
    GtkWidget *window = NULL;
    GtkWidget *row;

    for (int i = 0; i < 50 && (window = find_toplevel (BYLINE_TYPE_REASONS_WINDOW)) == NULL; i++)
      byline_test_iterate_for (100);
    g_assert_nonnull (window);
    byline_test_iterate_for (500);
    row = byline_test_find_descendant (window, is_new_reason_row, NULL);
    g_assert_nonnull (row);
    gtk_widget_grab_focus (row);
    byline_test_iterate_for (200);
    byline_test_run_command ("xdotool", "type", "--delay", "30", "Off the record", NULL);
    byline_test_run_command ("xdotool", "key", "Return", NULL);
    if (!byline_test_wait_until (reason_added, &f, 10000))
      g_error ("The reason typed in the reasons window was not added");
    screenshot ("/tmp/reasons-editor.png");
    gtk_window_destroy (GTK_WINDOW (window));
  }

  /* The trail, exported from the view as JSON Lines: one line per entry of the days shown. */
  gtk_widget_activate_action (f.page, "comments.export-trail", NULL);
  {
    GtkWidget *window = NULL;
    g_autofree char *out_path = g_build_filename (dir, "trail.jsonl", NULL);
    g_autoptr(GFile) out = g_file_new_for_path (out_path);
    g_autofree char *contents = NULL;
    g_auto(GStrv) lines = NULL;
    GtkWidget *format_row;
    gint64 written;

    for (int i = 0; i < 50 && (window = find_toplevel (BYLINE_TYPE_TRAIL_EXPORT_WINDOW)) == NULL; i++)
      byline_test_iterate_for (100);
    g_assert_nonnull (window);
    format_row = byline_test_find_widget (window, ADW_TYPE_COMBO_ROW);
    adw_combo_row_set_selected (ADW_COMBO_ROW (format_row), 1);
    screenshot ("/tmp/reasons-export.png");
    written = byline_trail_export_window_export (BYLINE_TRAIL_EXPORT_WINDOW (window), out, &error);
    g_assert_no_error (error);
    g_assert_cmpint (written, >=, 7);
    g_assert_true (g_file_get_contents (out_path, &contents, NULL, &error));
    lines = g_strsplit (g_strstrip (contents), "\n", -1);
    g_assert_cmpint (g_strv_length (lines), ==, written);
    g_assert_nonnull (strstr (contents, second->slug));
    gtk_window_destroy (GTK_WINDOW (window));
  }

  /* The hint, as it shows after s (on the last pending comment). */
  show_view (&f, "Pending");
  keys (&f, "s", NULL);
  screenshot ("/tmp/reasons-hint.png");

  gtk_window_destroy (GTK_WINDOW (f.window));
  byline_moderator_close (moderator);
  sqlite3_close (f.db);
  g_free (f.xid);
  g_object_unref (f.comments);
  g_object_unref (f.store);
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;

  byline_test_init (&argc, &argv);
  bus = byline_test_ui_start_with_keyring ();
  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    g_error ("test-reasons-wordpress drives windows with xdotool and needs an X11 display (Xvfb)");
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }
  byline_button_names_follow_labels ();

  g_test_add_func ("/wordpress/reasons/keys", test_reasons_by_keys);

  return byline_test_run_and_stop_bus (bus);
}
