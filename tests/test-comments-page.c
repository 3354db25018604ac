/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-comments-page.c: the Comments view driven by WordPress's keys under Xvfb, over a real
 * store: moving, deciding and moving on, selecting with x and acting on the selection, undo,
 * keys that must not fire while typing, and a hostile comment shown without anything active.
 * The site is unreachable (nothing listens), so what is checked is what the store holds: the
 * decisions, made at once, waiting to be sent. */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <sqlite3.h>

#include "byline-button-names.h"
#include "byline-comment-detail.h"
#include "byline-comment-row.h"
#include "byline-comments-page.h"
#include "byline-test-ui-util.h"

#define N_COMMENTS 30
#define HOSTILE_ID 500

typedef struct {
  GtkWidget          *window;
  BylineCommentsPage *page;
  GtkListView        *list;
  BylineCommentStore *comments;
  char               *xid;
} Fixture;

/* A held comment on post 4, dated @minute minutes after 1 October 2026, 09:00. */
static BylineComment *
comment_json (gint64      id,
              const char *author,
              const char *email,
              const char *html,
              int         minute)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 10, 1, 9, 0, 0);
  g_autoptr(GDateTime) when = g_date_time_add_minutes (start, minute);
  g_autofree char *date = g_date_time_format (when, "%Y-%m-%dT%H:%M:%S");

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "post");
  json_builder_add_int_value (builder, 4);
  json_builder_set_member_name (builder, "author_name");
  json_builder_add_string_value (builder, author);
  json_builder_set_member_name (builder, "author_email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "date_gmt");
  json_builder_add_string_value (builder, date);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, "hold");
  json_builder_set_member_name (builder, "content");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rendered");
  json_builder_add_string_value (builder, html);
  json_builder_set_member_name (builder, "raw");
  json_builder_add_string_value (builder, html);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  return byline_comment_new_from_json (json_node_get_object (node));
}

static guint
n_shown (Fixture *f)
{
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (f->list)));
}

static gint64
selected_remote_id (Fixture *f)
{
  GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (f->list));
  BylineComment *comment = gtk_single_selection_get_selected_item (selection);

  return comment ? byline_comment_get_remote_id (comment) : 0;
}

static gint64
remote_id_at (Fixture *f,
              guint    position)
{
  g_autoptr(BylineComment) comment = g_list_model_get_item (G_LIST_MODEL (gtk_list_view_get_model (f->list)),
                                                            position);
  return byline_comment_get_remote_id (comment);
}

static const char *
status_of (Fixture *f,
           gint64   remote_id)
{
  static char status[16];
  g_autoptr(BylineComment) comment = byline_comment_store_find (f->comments, 1, remote_id, NULL);

  g_assert_nonnull (comment);
  g_strlcpy (status, byline_comment_get_status (comment), sizeof status);
  return status;
}

/* A screen reader announces the focused row: it must say whose comment it is, its status, when,
 * and its first words, as the row shows them. */
static void
assert_focused_row_names (Fixture *f,
                          gint64   remote_id)
{
  g_autoptr(BylineComment) comment = byline_comment_store_find (f->comments, 1, remote_id, NULL);
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));
  g_autofree char *when = byline_comment_dup_relative_time (byline_comment_get_date_unix (comment));
  g_autofree char *expected = g_strdup_printf ("%s, %s, %s: %s", byline_comment_get_author_name (comment),
                                               byline_comment_status_label (byline_comment_get_status (comment)),
                                               when, byline_comment_get_text (comment));

  g_assert_nonnull (focus);
  g_assert_true (gtk_widget_is_ancestor (focus, GTK_WIDGET (f->list)));
  gtk_test_accessible_assert_property (focus, GTK_ACCESSIBLE_PROPERTY_LABEL, expected);
}

static gboolean
is_approve_button (GtkWidget     *widget,
                   gconstpointer  data)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), "_Approve") == 0;
}

/* A button with a mnemonic is named by its text alone ("Approve"), not by its raw label first
 * ("_Approve Approve", as GTK 4.8 names it). */
static void
assert_named_by_text (GtkWidget *button)
{
  GtkWidget *label = gtk_button_get_child (GTK_BUTTON (button));

  g_assert_true (GTK_IS_LABEL (label));
  g_assert_false (gtk_test_accessible_has_property (GTK_ACCESSIBLE (button),
                                                    GTK_ACCESSIBLE_PROPERTY_LABEL));
  gtk_test_accessible_assert_relation (button, GTK_ACCESSIBLE_RELATION_LABELLED_BY, label, NULL);
}

static void
keys (Fixture    *f,
      const char *first,
      ...)
{
  va_list args;

  byline_test_run_command ("xdotool", "windowfocus", "--sync", f->xid, NULL);
  va_start (args, first);
  for (const char *key = first; key != NULL; key = va_arg (args, const char *))
    /* keys (f, NULL) only lets the main loop run. */
    byline_test_run_command ("xdotool", "key", key, NULL);
  va_end (args);
  /* Let the keys' effects be drawn and the idle refreshes run. */
  for (gint64 end = g_get_monotonic_time () + 150 * G_TIME_SPAN_MILLISECOND;
       g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
}

static char *
compose_text (BylineCommentDetail *detail)
{
  GtkTextView *view = GTK_TEXT_VIEW (byline_test_find_widget (GTK_WIDGET (detail),
                                                              GTK_TYPE_TEXT_VIEW));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

/* The post under a row (an inscription) or in the detail (a label). */
static gboolean
is_titled_post_label (GtkWidget     *widget,
                      gconstpointer  data)
{
  const char *text = NULL;

  if (GTK_IS_LABEL (widget))
    text = gtk_label_get_text (GTK_LABEL (widget));
  else if (GTK_IS_INSCRIPTION (widget))
    text = gtk_inscription_get_text (GTK_INSCRIPTION (widget));

  return g_strcmp0 (text, "On “Kerry in Brussels”") == 0;
}

static gboolean
titled_row_shown (gpointer user_data)
{
  return byline_test_find_descendant (user_data, is_titled_post_label, NULL) != NULL;
}

static gboolean
typed_reply (gpointer user_data)
{
  g_autofree char *text = compose_text (user_data);
  return g_str_equal (text, "Thanks, Mallory");
}

static gboolean
typed_all (gpointer user_data)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (user_data);
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  return g_str_equal (text, "Half a reply");
}

static gboolean
all_shown (gpointer user_data)
{
  return n_shown (user_data) == N_COMMENTS + 1;
}

static gboolean
all_bulk_shown (gpointer user_data)
{
  return n_shown (user_data) == 5000;
}

static void
test_keys (void)
{
  g_autofree char *dir = byline_test_make_tmpdir ("comments-page");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = byline_store_open (path, &error);
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(BylineModerator) moderator = NULL;
  g_autoptr(BylineCommentSync) sync = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  BylineCommentDetail *detail;
  GtkWidget *search;
  const char *markup;
  gint64 third, fourth, fifth;
  Fixture f = { 0 };

  g_assert_no_error (error);
  accounts = byline_accounts_new (store);
  /* Nothing listens there: every send fails at once and the decisions wait in the store. */
  account = byline_account_new ("http://127.0.0.1:9/", "http://127.0.0.1:9/wp-json/", "editor");
  byline_account_set_display_name (account, "DipNote Editor");
  byline_account_set_capabilities (account, BYLINE_ACCOUNT_CAN_MODERATE);
  g_assert_true (byline_accounts_add (accounts, account, "not used", &error));
  g_assert_no_error (error);
  g_assert_cmpint (byline_account_get_id (account), ==, 1);

  f.comments = byline_comment_store_new (store);
  for (int i = 0; i < N_COMMENTS; i++)
    {
      g_autofree char *author = g_strdup_printf ("Reader %d", i);
      g_autofree char *email = g_strdup_printf ("reader%d@example.invalid", i % 7);
      g_autofree char *html = g_strdup_printf ("<p>Comment number %d on the Brussels meeting.</p>", i);

      g_ptr_array_add (batch, comment_json (100 + i, author, email, html, i));
    }
  g_ptr_array_add (batch, comment_json (HOSTILE_ID, "Mallory", "mallory@example.invalid",
                                        "<p>Hi<script>alert(1)</script> <a href=\"javascript:alert(2)\""
                                        " onclick=\"x()\">click me</a><img src=\"http://tracker.example/p.gif\">"
                                        "<iframe src=\"http://evil.example/\"></iframe> "
                                        "<a href=\"https://evil.example/x\">state.gov</a></p>", 0));
  g_assert_true (byline_comment_store_upsert (f.comments, 1, batch, NULL, &error));
  g_assert_no_error (error);
  moderator = byline_moderator_new (f.comments, accounts);
  sync = byline_comment_sync_new (f.comments, accounts);

  f.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f.window), 1100, 760);
  f.page = g_object_new (BYLINE_TYPE_COMMENTS_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (f.window), GTK_WIDGET (f.page));
  gtk_window_present (GTK_WINDOW (f.window));
  byline_comments_page_load (f.page, f.comments, moderator, sync, accounts);
  f.list = GTK_LIST_VIEW (byline_test_find_named (GTK_WIDGET (f.page), "comments-queue"));
  g_assert_nonnull (f.list);
  detail = byline_test_find_widget (GTK_WIDGET (f.page), BYLINE_TYPE_COMMENT_DETAIL);
  search = byline_test_find_named (GTK_WIDGET (f.page), "comments-search");
  g_assert_nonnull (search);
  if (!byline_test_wait_until (all_shown, &f, 10000))
    g_error ("The view shows %u comments, not %u", n_shown (&f), N_COMMENTS + 1);
  f.xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                             gtk_native_get_surface (GTK_NATIVE (f.window))));

  /* A sync names the post: the rows on screen follow, without the list being rebuilt. */
  g_assert_null (byline_test_find_descendant (GTK_WIDGET (f.list), is_titled_post_label, NULL));
  g_assert_true (byline_comment_store_set_post (f.comments, 1, 4, "Kerry in Brussels", "", &error));
  byline_comment_store_emit_changed (f.comments, 1, NULL);
  if (!byline_test_wait_until (titled_row_shown, f.list, 10000))
    g_error ("The rows on screen did not follow the store");
  /* Moving binds rows again, with the items the list already had: still the store's title. */
  byline_comments_page_focus_queue (f.page);
  keys (&f, "j", "k", NULL);
  byline_test_screenshot ("comments-view.png");
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (f.list)); row;
       row = gtk_widget_get_next_sibling (row))
    g_assert_nonnull (byline_test_find_descendant (row, is_titled_post_label, NULL));

  /* Newest first: the queue opens on the newest comment. */
  g_assert_cmpint (selected_remote_id (&f), ==, 100 + N_COMMENTS - 1);
  byline_comments_page_focus_queue (f.page);

  /* j j, then a: the third is approved and the fourth is current at once. */
  keys (&f, "j", "j", NULL);
  third = remote_id_at (&f, 2);
  fourth = remote_id_at (&f, 3);
  fifth = remote_id_at (&f, 4);
  g_assert_cmpint (selected_remote_id (&f), ==, third);
  assert_focused_row_names (&f, third);
  assert_named_by_text (byline_test_find_descendant (GTK_WIDGET (detail), is_approve_button, NULL));
  keys (&f, "a", NULL);
  g_assert_cmpstr (status_of (&f, third), ==, "approved");
  g_assert_cmpint (selected_remote_id (&f), ==, fourth);
  g_assert_cmpuint (n_shown (&f), ==, N_COMMENTS);
  assert_focused_row_names (&f, fourth);

  /* x, j, x selects two; shift+s marks both as spam; k goes back. */
  keys (&f, "x", "j", "x", "shift+s", NULL);
  g_assert_cmpstr (status_of (&f, fourth), ==, "spam");
  g_assert_cmpstr (status_of (&f, fifth), ==, "spam");
  g_assert_cmpuint (n_shown (&f), ==, N_COMMENTS - 2);

  /* z undoes the last step (both), then the approval. */
  keys (&f, "z", NULL);
  g_assert_cmpstr (status_of (&f, fourth), ==, "hold");
  g_assert_cmpstr (status_of (&f, fifth), ==, "hold");
  keys (&f, "z", NULL);
  g_assert_cmpstr (status_of (&f, third), ==, "hold");
  g_assert_cmpuint (n_shown (&f), ==, N_COMMENTS + 1);
  /* Nothing was sent, so nothing waits: each undo took its decision back. */
  g_assert_cmpuint (byline_moderator_count_waiting (moderator, 1), ==, 0);

  /* / goes to the search; the letters typed there search and decide nothing. */
  keys (&f, "slash", NULL);
  {
    GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f.window));
    g_assert_true (focus != NULL && gtk_widget_is_ancestor (focus, search));
  }
  keys (&f, "a", "s", "d", NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "asd");
  g_assert_cmpuint (byline_moderator_count_waiting (moderator, 1), ==, 0);
  keys (&f, "Escape", NULL);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (search)), ==, "");
  g_assert_cmpuint (n_shown (&f), ==, N_COMMENTS + 1);

  /* r opens the reply box; typing there (a, d) decides nothing; Escape closes it. */
  keys (&f, "r", NULL);
  g_assert_true (byline_comment_detail_is_composing (detail));
  byline_test_run_command ("xdotool", "type", "--delay", "25", "ad", NULL);
  g_assert_cmpuint (byline_moderator_count_waiting (moderator, 1), ==, 0);
  keys (&f, "Escape", NULL);
  g_assert_false (byline_comment_detail_is_composing (detail));

  /* A reply being typed survives its comment leaving the pane (a click elsewhere, a sync). */
  {
    GtkSingleSelection *selection = GTK_SINGLE_SELECTION (gtk_list_view_get_model (f.list));
    guint position = gtk_single_selection_get_selected (selection);
    GtkTextView *view;

    keys (&f, "r", NULL);
    view = GTK_TEXT_VIEW (byline_test_find_widget (GTK_WIDGET (detail), GTK_TYPE_TEXT_VIEW));
    byline_test_run_command ("xdotool", "type", "--delay", "25", "Half a reply", NULL);
    /* The keys are sent; the text view takes them as the main loop runs. */
    if (!byline_test_wait_until (typed_all, view, 10000))
      g_error ("The reply box did not get the typed text");
    gtk_single_selection_set_selected (selection, position + 1);
    keys (&f, NULL);
    g_assert_false (byline_comment_detail_is_composing (detail));
    gtk_single_selection_set_selected (selection, position);
    byline_comments_page_focus_queue (f.page);
    keys (&f, NULL);
    keys (&f, "r", NULL);
    {
      GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
      GtkTextIter start, end;
      g_autofree char *text = NULL;

      gtk_text_buffer_get_bounds (buffer, &start, &end);
      text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
      g_assert_cmpstr (text, ==, "Half a reply");
    }
    keys (&f, "Escape", NULL);
    g_assert_cmpuint (byline_moderator_count_waiting (moderator, 1), ==, 0);
  }

  /* d trashes; the decision waits to be sent (the site is unreachable). */
  {
    gint64 current = selected_remote_id (&f);

    keys (&f, "d", NULL);
    g_assert_cmpstr (status_of (&f, current), ==, "trash");
    g_assert_cmpuint (byline_moderator_count_waiting (moderator, 1), ==, 1);
  }

  /* The hostile comment, found by searching its author: nothing active or remote survives,
   * and the text and the link's real destination do. */
  gtk_editable_set_text (GTK_EDITABLE (search), "Mallory");
  for (gint64 end = g_get_monotonic_time () + 600 * G_TIME_SPAN_MILLISECOND;
       g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpint (selected_remote_id (&f), ==, HOSTILE_ID);
  markup = byline_comment_detail_get_content_markup (detail);
  g_assert_nonnull (markup);
  /* The label took it as markup (a link, not its tags, is what shows). */
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (byline_test_find_named (GTK_WIDGET (detail),
                                                                          "comment-content"))),
                   ==, "Hi click me state.gov (evil.example/x)");
  g_assert_null (strstr (markup, "script"));
  g_assert_null (strstr (markup, "javascript"));
  g_assert_null (strstr (markup, "onclick"));
  g_assert_null (strstr (markup, "tracker.example"));
  g_assert_null (strstr (markup, "iframe"));
  g_assert_nonnull (strstr (markup, "click me"));
  g_assert_nonnull (strstr (markup, "evil.example"));

  /* r, a reply and Ctrl+Return: it waits to be sent, and shows at once in the thread under the
   * comment, as the signed-in user's. */
  {
    GtkWidget *replies = byline_test_find_named (GTK_WIDGET (detail), "comment-replies");
    GtkWidget *row;
    GtkWidget *label;

    byline_comments_page_focus_queue (f.page);
    keys (&f, "r", NULL);
    g_assert_true (byline_comment_detail_is_composing (detail));
    byline_test_run_command ("xdotool", "type", "--delay", "25", "Thanks, Mallory", NULL);
    if (!byline_test_wait_until (typed_reply, detail, 10000))
      g_error ("The reply box did not get the typed text");
    keys (&f, "ctrl+Return", NULL);
    g_assert_false (byline_comment_detail_is_composing (detail));
    g_assert_true (gtk_widget_get_visible (replies));
    row = gtk_widget_get_first_child (replies);
    g_assert_nonnull (row);
    label = gtk_list_box_row_get_child (GTK_LIST_BOX_ROW (row));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "DipNote Editor"));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (label)), "Thanks, Mallory"));
  }

  gtk_window_destroy (GTK_WINDOW (f.window));
  g_free (f.xid);
  g_object_unref (f.comments);
}

/* The bulk test: thousands, so that writing a decision on all of them takes many frames. */
#define N_BULK 5000

/* What the list and the store were at the first change of the list after a key. */
typedef struct {
  Fixture         *f;
  BylineModerator *moderator;
  sqlite3         *db;            /* a connection of the test's own: what is written */
  const char      *status;        /* the comments' status whose rows are counted */
  gboolean         armed;
  gboolean         seen;
  guint            n_shown;
  gboolean         deciding;
  guint            n_written;     /* comments the store held as @status then */
} FirstChange;

static guint
count_written (sqlite3    *db,
               const char *sql)
{
  g_autofree char *text = byline_test_sql_text (db, sql);

  return (guint) g_ascii_strtoull (text, NULL, 10);
}

static guint
count_status (sqlite3    *db,
              const char *status)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM comments WHERE status = '%s'",
                                          status);
  return count_written (db, sql);
}

static void
first_change_cb (GListModel  *model,
                 guint        position,
                 guint        removed,
                 guint        added,
                 FirstChange *change)
{
  if (!change->armed || change->seen)
    return;
  change->seen = TRUE;
  change->n_shown = g_list_model_get_n_items (model);
  change->deciding = byline_moderator_is_deciding (change->moderator);
  change->n_written = count_status (change->db, change->status);
}

static gboolean
first_change_seen (gpointer user_data)
{
  return ((FirstChange *) user_data)->seen;
}

static gboolean
done_deciding (gpointer user_data)
{
  FirstChange *change = user_data;

  return !byline_moderator_is_deciding (change->moderator) && n_shown (change->f) ==
         (g_str_equal (change->status, "spam") ? 0 : N_BULK);
}

static void
press_and_watch (Fixture     *f,
                 FirstChange *change,
                 const char  *key,
                 const char  *status)
{
  change->status = status;
  change->seen = FALSE;
  change->armed = TRUE;
  byline_test_run_command ("xdotool", "windowfocus", "--sync", f->xid, NULL);
  byline_test_run_command ("xdotool", "key", key, NULL);
  if (!byline_test_wait_until (first_change_seen, change, 10000))
    g_error ("The list did not change after %s", key);
  change->armed = FALSE;
}

/* The keys are in the list (a row or the list itself), and the empty state @empty is out of
 * the Tab order. */
static void
assert_keys_in_list (Fixture   *f,
                     GtkWidget *empty)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (f->window));

  g_assert_nonnull (focus);
  g_assert_true (focus == GTK_WIDGET (f->list) ||
                 gtk_widget_is_ancestor (focus, GTK_WIDGET (f->list)));
  g_assert_false (gtk_widget_get_focusable (empty));
  g_assert_false (gtk_widget_get_focusable (GTK_WIDGET (f->page)));
}

/* shift+x, shift+s on thousands, then z: the list shows each whole at once, while the store
 * is still being written; then the store holds all of it. Emptied, the empty state holds the
 * keys until the list has rows again. */
static void
test_bulk (void)
{
  g_autofree char *dir = byline_test_make_tmpdir ("comments-page-bulk");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = byline_store_open (path, &error);
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(BylineModerator) moderator = NULL;
  g_autoptr(BylineCommentSync) sync = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  Fixture f = { 0 };
  FirstChange change = { &f };
  GtkWidget *empty;
  gint64 newest;

  g_assert_no_error (error);
  accounts = byline_accounts_new (store);
  account = byline_account_new ("http://127.0.0.1:9/", "http://127.0.0.1:9/wp-json/", "editor");
  byline_account_set_capabilities (account, BYLINE_ACCOUNT_CAN_MODERATE);
  g_assert_true (byline_accounts_add (accounts, account, "not used", &error));
  g_assert_no_error (error);
  f.comments = byline_comment_store_new (store);
  for (int i = 0; i < N_BULK; i++)
    {
      g_autofree char *author = g_strdup_printf ("Reader %d", i);
      g_autofree char *html = g_strdup_printf ("<p>Comment number %d.</p>", i);

      g_ptr_array_add (batch, comment_json (1000 + i, author, "", html, i));
    }
  g_assert_true (byline_comment_store_upsert (f.comments, 1, batch, NULL, &error));
  g_assert_no_error (error);
  moderator = byline_moderator_new (f.comments, accounts);
  sync = byline_comment_sync_new (f.comments, accounts);
  change.moderator = moderator;
  g_assert_cmpint (sqlite3_open_v2 (path, &change.db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (change.db, 5000);

  f.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f.window), 1100, 760);
  f.page = g_object_new (BYLINE_TYPE_COMMENTS_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (f.window), GTK_WIDGET (f.page));
  gtk_window_present (GTK_WINDOW (f.window));
  byline_comments_page_load (f.page, f.comments, moderator, sync, accounts);
  f.list = GTK_LIST_VIEW (byline_test_find_named (GTK_WIDGET (f.page), "comments-queue"));
  if (!byline_test_wait_until (all_bulk_shown, &f, 10000))
    g_error ("The view shows %u comments, not %u", n_shown (&f), N_BULK);
  f.xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                             gtk_native_get_surface (GTK_NATIVE (f.window))));
  newest = selected_remote_id (&f);
  g_assert_cmpint (newest, ==, 1000 + N_BULK - 1);
  g_signal_connect (gtk_list_view_get_model (f.list), "items-changed",
                    G_CALLBACK (first_change_cb), &change);

  byline_comments_page_focus_queue (f.page);
  keys (&f, "shift+x", NULL);
  press_and_watch (&f, &change, "shift+s", "spam");
  /* The whole selection left the list in one go, before the store had any of it. */
  g_assert_cmpuint (change.n_shown, ==, 0);
  g_assert_true (change.deciding);
  g_assert_cmpuint (change.n_written, ==, 0);
  if (!byline_test_wait_until (done_deciding, &change, 30000))
    g_error ("The decision was not written");
  g_assert_cmpuint (count_status (change.db, "spam"), ==, N_BULK);
  g_assert_cmpuint (count_written (change.db, "SELECT count (*) FROM comment_actions "
                                   "WHERE action = 'status' AND value = 'spam'"),
                    ==, N_BULK);
  /* Nothing left in the list: the empty state holds the keys, not the page. */
  empty = byline_test_find_named (GTK_WIDGET (f.page), "comments-empty");
  g_assert_nonnull (empty);
  keys (&f, NULL);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f.window)) == empty);
  g_assert_true (gtk_widget_get_focusable (empty));
  byline_test_screenshot ("comments-empty.png");
  g_assert_false (gtk_widget_get_focusable (GTK_WIDGET (f.page)));

  /* z: they are back at once, the newest first, while the undo is still being written. */
  press_and_watch (&f, &change, "z", "hold");
  g_assert_cmpuint (change.n_shown, >=, 10);
  g_assert_true (change.deciding);
  g_assert_cmpuint (change.n_written, ==, 0);
  g_assert_cmpint (remote_id_at (&f, 0), ==, newest);
  if (!byline_test_wait_until (done_deciding, &change, 30000))
    g_error ("The undo was not written");
  g_assert_cmpuint (count_status (change.db, "hold"), ==, N_BULK);
  g_assert_cmpuint (count_written (change.db, "SELECT count (*) FROM comment_actions"), ==, 0);
  g_assert_cmpint (selected_remote_id (&f), ==, newest);
  /* Back in the list, and the empty state out of the Tab order. */
  keys (&f, NULL);
  assert_keys_in_list (&f, empty);

  /* Emptied again, then a sync brings new comments: the keys go back to the list too. */
  keys (&f, "shift+x", "shift+s", NULL);
  change.status = "spam";
  if (!byline_test_wait_until (done_deciding, &change, 30000))
    g_error ("The decision was not written");
  keys (&f, NULL);
  g_assert_true (gtk_root_get_focus (GTK_ROOT (f.window)) == empty);
  {
    g_autoptr(GPtrArray) newer = g_ptr_array_new_with_free_func (g_object_unref);

    for (int i = 0; i < 3; i++)
      g_ptr_array_add (newer, comment_json (9000 + i, "Newcomer", "", "<p>New.</p>", N_BULK + i));
    g_assert_true (byline_comment_store_upsert (f.comments, 1, newer, NULL, &error));
    g_assert_no_error (error);
    byline_comment_store_emit_changed (f.comments, 1, NULL);
  }
  keys (&f, NULL);
  g_assert_cmpuint (n_shown (&f), ==, 3);
  assert_keys_in_list (&f, empty);

  sqlite3_close (change.db);
  gtk_window_destroy (GTK_WINDOW (f.window));
  g_free (f.xid);
  g_object_unref (f.comments);
}

static gboolean
n_shown_is (gpointer user_data)
{
  Fixture *f = user_data;

  return n_shown (f) == GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (f->list), "expected"));
}

/* A sync brings new comments to the top of the list while the moderator is further down: they
 * come all at once (the list does not pace them, which would hide the rows below for a few
 * frames), the selection stays on the comment it was on, and a key acts on that comment. */
static void
test_new_above (void)
{
  g_autofree char *dir = byline_test_make_tmpdir ("comments-page-new-above");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = byline_store_open (path, &error);
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(BylineModerator) moderator = NULL;
  g_autoptr(BylineCommentSync) sync = NULL;
  g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) newer = g_ptr_array_new_with_free_func (g_object_unref);
  Fixture f = { 0 };
  gint64 current;

  g_assert_no_error (error);
  accounts = byline_accounts_new (store);
  account = byline_account_new ("http://127.0.0.1:9/", "http://127.0.0.1:9/wp-json/", "editor");
  byline_account_set_capabilities (account, BYLINE_ACCOUNT_CAN_MODERATE);
  g_assert_true (byline_accounts_add (accounts, account, "not used", &error));
  g_assert_no_error (error);
  f.comments = byline_comment_store_new (store);
  for (int i = 0; i < 40; i++)
    {
      g_autofree char *author = g_strdup_printf ("Reader %d", i);

      g_ptr_array_add (batch, comment_json (100 + i, author, "", "<p>Older.</p>", i));
    }
  g_assert_true (byline_comment_store_upsert (f.comments, 1, batch, NULL, &error));
  g_assert_no_error (error);
  moderator = byline_moderator_new (f.comments, accounts);
  sync = byline_comment_sync_new (f.comments, accounts);

  f.window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (f.window), 1100, 760);
  f.page = g_object_new (BYLINE_TYPE_COMMENTS_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (f.window), GTK_WIDGET (f.page));
  gtk_window_present (GTK_WINDOW (f.window));
  byline_comments_page_load (f.page, f.comments, moderator, sync, accounts);
  f.list = GTK_LIST_VIEW (byline_test_find_named (GTK_WIDGET (f.page), "comments-queue"));
  g_object_set_data (G_OBJECT (f.list), "expected", GUINT_TO_POINTER (40));
  if (!byline_test_wait_until (n_shown_is, &f, 10000))
    g_error ("The view shows %u comments, not 40", n_shown (&f));
  f.xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                             gtk_native_get_surface (GTK_NATIVE (f.window))));

  /* Row 30, reached with j. */
  byline_comments_page_focus_queue (f.page);
  for (int i = 0; i < 30; i++)
    byline_test_run_command ("xdotool", "key", "j", NULL);
  keys (&f, NULL);
  current = selected_remote_id (&f);
  g_assert_cmpint (current, ==, remote_id_at (&f, 30));

  /* Twenty new held comments, newer than all: a sync writes them and has the view read itself
   * again. */
  for (int i = 0; i < 20; i++)
    {
      g_autofree char *author = g_strdup_printf ("Newcomer %d", i);

      g_ptr_array_add (newer, comment_json (500 + i, author, "", "<p>Newer.</p>", 100 + i));
    }
  g_assert_true (byline_comment_store_upsert (f.comments, 1, newer, NULL, &error));
  g_assert_no_error (error);
  byline_comment_store_emit_changed (f.comments, 1, NULL);
  /* All of them at once, and the same comment selected, 20 rows further down. */
  g_assert_cmpuint (n_shown (&f), ==, 60);
  g_assert_cmpint (selected_remote_id (&f), ==, current);
  keys (&f, NULL);
  g_assert_cmpint (selected_remote_id (&f), ==, current);
  g_assert_cmpint (remote_id_at (&f, 50), ==, current);

  /* a approves that comment, and no other. */
  keys (&f, "a", NULL);
  g_assert_cmpstr (status_of (&f, current), ==, "approved");
  g_assert_cmpuint (byline_moderator_count_waiting (moderator, 1), ==, 1);
  g_assert_cmpuint (n_shown (&f), ==, 59);

  gtk_window_destroy (GTK_WINDOW (f.window));
  g_free (f.xid);
  g_object_unref (f.comments);
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;

  byline_test_init (&argc, &argv);
  bus = byline_test_ui_start_with_keyring ();

  if (!GDK_IS_X11_DISPLAY (gdk_display_get_default ()))
    g_error ("test-comments-page drives windows with xdotool and needs an X11 display (Xvfb)");
  /* The application's own style sheet (AdwApplication loads it), so that the view looks as it
   * does in Byline. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

    gtk_css_provider_load_from_resource (css, RESOURCE_PREFIX "/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (),
                                                GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  /* As the application does at start. */
  byline_button_names_follow_labels ();

  g_test_add_func ("/ui/comments-page/keys", test_keys);
  g_test_add_func ("/ui/comments-page/bulk", test_bulk);
  g_test_add_func ("/ui/comments-page/new-above", test_new_above);

  return byline_test_run_and_stop_bus (bus);
}
