/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-publish-check.c: the pre-publish check in the Publish window, driven by keys under Xvfb,
 * against a real WordPress (run under wordpress/with-wordpress): what blocks is listed and not
 * sent, a finding's row takes the writer to the word, an override with a reason sends the post
 * and is kept; warnings alone never stop a post. */

#include "config.h"

#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "byline-application.h"
#include "byline-check-list.h"
#include "byline-check-policy-window.h"
#include "byline-editor.h"
#include "byline-publish-window.h"
#include "byline-test-ui-util.h"
#include "byline-wp-client.h"

typedef struct {
  BylineApplication *app;
  BylineStore       *store;
  BylineAccounts    *accounts;
  BylinePublisher   *publisher;
  BylineAccount     *account;
  BylineWpClient    *client;
  GtkWindow         *main_window;
  BylineEditor      *editor;
} Fixture;

static gpointer
find_toplevel (GType type)
{
  g_autoptr(GList) toplevels = gtk_window_list_toplevels ();

  for (GList *l = toplevels; l != NULL; l = l->next)
    if (G_TYPE_CHECK_INSTANCE_TYPE (l->data, type) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
toplevel_mapped (gpointer type)
{
  GtkWidget *window = find_toplevel (*(GType *) type);

  return window != NULL && gtk_widget_get_mapped (window);
}

static gboolean
toplevel_gone (gpointer type)
{
  return find_toplevel (*(GType *) type) == NULL;
}

/* Waits for a window of @type to show, and gives it the keyboard. */
static gpointer
wait_for_window (GType       type,
                 const char *what)
{
  g_autofree char *xid = NULL;
  GtkWidget *window;

  if (!byline_test_wait_until (toplevel_mapped, &type, 30000))
    g_error ("%s did not open", what);
  window = find_toplevel (type);
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                           gtk_native_get_surface (GTK_NATIVE (window))));
  byline_test_run_command ("xdotool", "windowfocus", "--sync", xid, NULL);
  byline_test_iterate_for (100);
  return window;
}

static void
press (const char *keys)
{
  byline_test_run_command ("xdotool", "key", "--delay", "40", keys, NULL);
  byline_test_iterate_for (100);
}

static gboolean
check_list_settled (gpointer list)
{
  GtkSpinner *spinner = byline_test_find_widget (list, GTK_TYPE_SPINNER);

  return byline_check_list_get_findings (list) != NULL && !gtk_spinner_get_spinning (spinner);
}

static BylineFinding *
find_finding (GPtrArray       *findings,
              BylineCheckKind  kind)
{
  for (guint i = 0; findings != NULL && i < findings->len; i++)
    if (((BylineFinding *) g_ptr_array_index (findings, i))->kind == kind)
      return g_ptr_array_index (findings, i);
  return NULL;
}

/* How many posts (in any state) the site has with @title. */
static guint
count_site_posts (Fixture    *f,
                  const char *title)
{
  static const char * const statuses[] = { "publish", "future", "draft", "pending", "private",
                                           NULL };
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GError) error = NULL;
  GAsyncResult *result = NULL;
  guint count = 0;

  byline_wp_client_list_posts_async (f->client, statuses, title, 1, 100, NULL, NULL,
                                     byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, 30, "Listing the site's posts");
  posts = byline_wp_client_list_posts_finish (f->client, result, NULL, &error);
  g_clear_object (&result);
  g_assert_no_error (error);
  for (guint i = 0; i < posts->len; i++)
    if (g_str_equal (byline_wp_post_get_title (g_ptr_array_index (posts, i)), title))
      count++;
  return count;
}

/* One application for the whole program, as in Byline: the editor asks it for the publisher. */
static BylineApplication *the_app;
static BylineAccount *the_account;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->app = the_app;
  f->store = byline_application_get_store (f->app);
  f->accounts = byline_application_get_accounts (f->app);
  f->publisher = byline_application_get_publisher (f->app);
  f->account = the_account;
  /* Each case starts from the default policy, whatever the one before changed. */
  {
    BylineCheckPolicy policy;

    byline_check_policy_init_default (&policy);
    g_assert_true (byline_check_policy_save (f->store, byline_account_get_id (f->account), &policy,
                                             NULL));
  }
  f->client = byline_wp_client_new (byline_account_get_api_root (f->account),
                                    g_getenv ("BYLINE_WP_USER"),
                                    g_getenv ("BYLINE_WP_APP_PASSWORD"));

  f->main_window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->main_window, 900, 700);
  f->editor = BYLINE_EDITOR (byline_editor_new ());
  gtk_window_set_child (f->main_window, GTK_WIDGET (f->editor));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  GtkWindow *window;

  while ((window = find_toplevel (GTK_TYPE_WINDOW)) != NULL)
    gtk_window_destroy (window);
  g_clear_object (&f->client);
}

static BylineDraft *
make_draft (Fixture    *f,
            const char *title,
            const char *body)
{
  g_autoptr(GError) error = NULL;
  BylineDraft *draft = byline_store_create_draft (f->store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);

  g_assert_no_error (error);
  byline_draft_set_title (draft, title);
  byline_draft_set_body (draft, body);
  byline_draft_set_language (draft, "en_US");
  byline_draft_set_categories (draft, "Uncategorized");
  g_assert_true (byline_store_save_draft (f->store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));
  return draft;
}

/* Ctrl+Return in the editor opens the Publish window, as in Byline. */
static BylinePublishWindow *
open_publish_window (Fixture *f)
{
  GType type = BYLINE_TYPE_PUBLISH_WINDOW;
  g_autofree char *xid = NULL;

  gtk_window_present (f->main_window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (f->main_window)))
    g_main_context_iteration (NULL, TRUE);
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                           gtk_native_get_surface (GTK_NATIVE (f->main_window))));
  byline_test_run_command ("xdotool", "windowfocus", "--sync", xid, NULL);
  byline_editor_focus_body (f->editor);
  byline_test_iterate_for (100);
  press ("ctrl+Return");
  return wait_for_window (type, "The Publish window");
}

static void
test_blocking_then_override (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *image = g_strconcat (g_getenv ("BYLINE_WP_URL"),
                                        "/wp-includes/images/w-logo-blue.png", NULL);
  g_autofree char *dead = g_strconcat (g_getenv ("BYLINE_WP_URL"), "/no-such-page-here/", NULL);
  g_autofree char *body = g_strdup_printf ("# The embassy\n\nThe ambassador recieved the "
                                           "delegation.\n\n![](%s)\n\nSee [the minutes](%s).\n",
                                           image, dead);
  const char *title = "Checked before it goes out";
  g_autoptr(BylineDraft) draft = make_draft (f, title, body);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autofree char *selected = NULL;
  g_auto(BylineRemotePost) remote = { 0 };
  BylinePublishWindow *window;
  BylineCheckList *list;
  AdwMessageDialog *dialog;
  BylineFinding *misspelling;
  BylineTestLabelWait wait_label;
  GtkTextBuffer *buffer;
  GtkTextIter start, end;
  GType dialog_type = ADW_TYPE_MESSAGE_DIALOG;
  GType window_type = BYLINE_TYPE_PUBLISH_WINDOW;
  gsize word_offset;
  GPtrArray *findings;

  byline_editor_set_draft (f->editor, f->store, draft);
  window = open_publish_window (f);
  list = byline_test_find_widget (GTK_WIDGET (window), BYLINE_TYPE_CHECK_LIST);
  g_assert_nonnull (list);
  wait_label.label = byline_test_find_selectable_label (GTK_WIDGET (window));

  /* Publish: the check runs, finds what blocks (no excerpt) and asks; nothing is sent. */
  press ("ctrl+Return");
  dialog = wait_for_window (dialog_type, "The override dialog");
  findings = byline_check_list_get_findings (list);
  g_assert_nonnull (findings);
  misspelling = find_finding (findings, BYLINE_CHECK_MISSPELLING);
  g_assert_nonnull (misspelling);
  g_assert_cmpstr (misspelling->subject, ==, "recieved");
  g_assert_cmpint (misspelling->severity, ==, BYLINE_CHECK_WARNING);
  g_assert_nonnull (find_finding (findings, BYLINE_CHECK_MISSING_ALT));
  g_assert_nonnull (find_finding (findings, BYLINE_CHECK_MISSING_FIELD));
  g_assert_cmpint (find_finding (findings, BYLINE_CHECK_MISSING_FIELD)->field, ==,
                   BYLINE_CHECK_FIELD_EXCERPT);
  /* The site's own dead page, checked over the network: a 404 that blocks. */
  g_assert_nonnull (find_finding (findings, BYLINE_CHECK_BROKEN_LINK));
  g_assert_cmpstr (find_finding (findings, BYLINE_CHECK_BROKEN_LINK)->subject, ==, dead);
  g_assert_cmpint (find_finding (findings, BYLINE_CHECK_BROKEN_LINK)->severity, ==,
                   BYLINE_CHECK_BLOCKING);
  g_assert_true (byline_findings_block (findings));
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "override"));
  byline_test_screenshot ("check-override.png");

  /* Escape: not sent, and the keyboard is on the first finding, the misspelling. */
  press ("Escape");
  g_assert_true (byline_test_wait_until (toplevel_gone, &dialog_type, 5000));
  g_assert_false (byline_publisher_get_remote (f->publisher, byline_draft_get_id (draft),
                                               &remote));
  g_assert_cmpuint (count_site_posts (f, title), ==, 0);
  g_assert_nonnull (strstr (gtk_label_get_label (wait_label.label), "Not sent"));
  byline_test_screenshot ("check-findings.png");

  /* Enter on its row: the window makes way, the word is selected in the editor. */
  press ("Return");
  g_assert_true (byline_test_wait_until (toplevel_gone, &window_type, 5000));
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (byline_editor_get_source_view (f->editor)));
  g_assert_true (gtk_text_buffer_get_selection_bounds (buffer, &start, &end));
  word_offset = strstr (body, "recieved") - body;
  g_assert_cmpint (gtk_text_iter_get_offset (&start), ==, (int) word_offset);
  g_assert_cmpint (gtk_text_iter_get_offset (&end), ==, (int) word_offset + 8);
  selected = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_assert_cmpstr (selected, ==, "recieved");
  g_assert_true (gtk_widget_has_focus (byline_editor_get_source_view (f->editor)));

  /* Publish again, this time anyway, with a reason: the button waits for one. */
  window = open_publish_window (f);
  wait_label.label = byline_test_find_selectable_label (GTK_WIDGET (window));
  press ("ctrl+Return");
  dialog = wait_for_window (dialog_type, "The override dialog");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "override"));
  press ("Return");
  g_assert_nonnull (find_toplevel (dialog_type));
  byline_test_run_command ("xdotool", "type", "--delay", "20", "Embargo lifts at noon", NULL);
  byline_test_iterate_for (100);
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "override"));
  press ("Return");
  wait_label.text = "Published: http";
  if (!byline_test_wait_until (byline_test_label_starts_with, &wait_label, 30000))
    g_error ("Not published: %s", gtk_label_get_label (wait_label.label));
  g_assert_cmpuint (count_site_posts (f, title), ==, 1);

  /* The override is kept with the post's history, with what it overrode. */
  {
    g_autoptr(BylinePrepublishCheck) check = byline_prepublish_check_new (f->store, NULL);
    g_autoptr(GPtrArray) overrides = NULL;
    BylineCheckOverride *override;

    overrides = byline_prepublish_check_list_overrides (check, byline_draft_get_id (draft),
                                                        &error);
    g_assert_no_error (error);
    g_assert_cmpuint (overrides->len, ==, 1);
    override = g_ptr_array_index (overrides, 0);
    g_assert_cmpstr (override->reason, ==, "Embargo lifts at noon");
    g_assert_cmpint (override->account_id, ==, byline_account_get_id (f->account));
    g_assert_nonnull (strstr (override->findings, "excerpt"));
  }
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_ACTION_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

/* Warnings (a misspelling) never stop a post: Publish sends it without asking. */
static void
test_warnings_only (Fixture       *f,
                    gconstpointer  data)
{
  const char *title = "Only a warning stands in the way";
  g_autoptr(BylineDraft) draft = make_draft (f, title, "The delegation was recieved warmly.\n");
  BylinePublishWindow *window;
  BylineCheckList *list;
  BylineTestLabelWait wait_label;
  GPtrArray *findings;
  GtkWidget *status_row;

  byline_draft_set_excerpt (draft, "A warm welcome.");
  byline_editor_set_draft (f->editor, f->store, draft);
  window = open_publish_window (f);
  list = byline_test_find_widget (GTK_WIDGET (window), BYLINE_TYPE_CHECK_LIST);
  wait_label.label = byline_test_find_selectable_label (GTK_WIDGET (window));

  /* Ctrl+Shift+K checks on demand, and sends nothing. */
  press ("ctrl+shift+k");
  g_assert_true (byline_test_wait_until (check_list_settled, list, 30000));
  findings = byline_check_list_get_findings (list);
  g_assert_nonnull (find_finding (findings, BYLINE_CHECK_MISSPELLING));
  g_assert_false (byline_findings_block (findings));
  g_assert_cmpuint (count_site_posts (f, title), ==, 0);

  /* While the post is checked, what it goes out as stays as checked; and a draft changed
   * meanwhile is not sent unchecked. */
  status_row = byline_test_find_descendant (GTK_WIDGET (window), is_row_titled, "Status");
  g_assert_nonnull (status_row);
  gtk_widget_activate_action (GTK_WIDGET (window), "publish.send", NULL);
  g_assert_false (gtk_widget_get_sensitive (status_row));
  byline_draft_set_body (draft, "The delegation was recieved warmly, and thanked.\n");
  wait_label.text = "Not sent: the draft changed";
  if (!byline_test_wait_until (byline_test_label_starts_with, &wait_label, 30000))
    g_error ("Sent: %s", gtk_label_get_label (wait_label.label));
  g_assert_true (gtk_widget_get_sensitive (status_row));
  g_assert_cmpuint (count_site_posts (f, title), ==, 0);

  press ("ctrl+Return");
  wait_label.text = "Published: http";
  if (!byline_test_wait_until (byline_test_label_starts_with, &wait_label, 30000))
    g_error ("Not published: %s", gtk_label_get_label (wait_label.label));
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_cmpuint (count_site_posts (f, title), ==, 1);
}


/* The gear beside Check: the site's policy, by keys; the next check follows it. */
static void
test_policy (Fixture       *f,
             gconstpointer  data)
{
  const char *title = "A site that needs no excerpt";
  g_autoptr(BylineDraft) draft = make_draft (f, title, "Short and right.\n");
  g_autoptr(GError) error = NULL;
  BylineCheckPolicy policy;
  BylinePublishWindow *window;
  BylineCheckPolicyWindow *settings;
  BylineCheckList *list;
  GtkWidget *excerpt_switch;
  GType settings_type = BYLINE_TYPE_CHECK_POLICY_WINDOW;

  byline_editor_set_draft (f->editor, f->store, draft);
  window = open_publish_window (f);
  list = byline_test_find_widget (GTK_WIDGET (window), BYLINE_TYPE_CHECK_LIST);

  press ("ctrl+shift+k");
  g_assert_true (byline_test_wait_until (check_list_settled, list, 30000));
  g_assert_nonnull (find_finding (byline_check_list_get_findings (list),
                                  BYLINE_CHECK_MISSING_FIELD));

  gtk_widget_activate_action (GTK_WIDGET (window), "publish.check-settings", NULL);
  settings = wait_for_window (settings_type, "The check settings");
  excerpt_switch = byline_test_find_descendant (GTK_WIDGET (settings), is_row_titled, "Excerpt");
  g_assert_nonnull (excerpt_switch);
  excerpt_switch = byline_test_find_widget (excerpt_switch, GTK_TYPE_SWITCH);
  g_assert_nonnull (excerpt_switch);
  g_assert_true (gtk_switch_get_active (GTK_SWITCH (excerpt_switch)));
  gtk_widget_grab_focus (excerpt_switch);
  byline_test_screenshot ("check-policy.png");
  press ("space");
  g_assert_false (gtk_switch_get_active (GTK_SWITCH (excerpt_switch)));
  g_assert_true (byline_check_policy_load (f->store, byline_account_get_id (f->account), &policy,
                                           &error));
  g_assert_no_error (error);
  g_assert_false (policy.required[BYLINE_CHECK_FIELD_EXCERPT]);
  g_assert_true (policy.required[BYLINE_CHECK_FIELD_TITLE]);
  press ("Escape");
  g_assert_true (byline_test_wait_until (toplevel_gone, &settings_type, 5000));

  wait_for_window (BYLINE_TYPE_PUBLISH_WINDOW, "The Publish window");
  press ("ctrl+shift+k");
  g_assert_true (byline_test_wait_until (check_list_settled, list, 30000));
  g_assert_null (find_finding (byline_check_list_get_findings (list),
                               BYLINE_CHECK_MISSING_FIELD));
}

static gboolean
is_combo_titled (GtkWidget     *widget,
                 gconstpointer  title)
{
  return ADW_IS_COMBO_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

/* A draft on the site is not published: what blocks a post is listed, and it goes all the same,
 * with no override to ask for. */
static void
test_site_draft (Fixture       *f,
                 gconstpointer  data)
{
  const char *title = "Kept as a draft on the site";
  g_autoptr(BylineDraft) draft = make_draft (f, title, "Not finished yet.\n");
  BylinePublishWindow *window;
  BylineCheckList *list;
  BylineTestLabelWait wait_label;
  AdwComboRow *status_row;

  byline_editor_set_draft (f->editor, f->store, draft);
  window = open_publish_window (f);
  list = byline_test_find_widget (GTK_WIDGET (window), BYLINE_TYPE_CHECK_LIST);
  wait_label.label = byline_test_find_selectable_label (GTK_WIDGET (window));
  status_row = ADW_COMBO_ROW (byline_test_find_descendant (GTK_WIDGET (window), is_combo_titled,
                                                           "Status"));
  adw_combo_row_set_selected (status_row, 2);

  press ("ctrl+Return");
  wait_label.text = "Saved on the site (draft)";
  if (!byline_test_wait_until (byline_test_label_starts_with, &wait_label, 30000))
    g_error ("Not sent: %s", gtk_label_get_label (wait_label.label));
  g_assert_null (find_toplevel (ADW_TYPE_MESSAGE_DIALOG));
  g_assert_true (byline_findings_block (byline_check_list_get_findings (list)));
  g_assert_nonnull (find_finding (byline_check_list_get_findings (list),
                                  BYLINE_CHECK_MISSING_FIELD));
  g_assert_cmpuint (count_site_posts (f, title), ==, 1);
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
  the_app = byline_application_new ();
  g_application_set_flags (G_APPLICATION (the_app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (the_app), NULL, NULL));
  g_assert_nonnull (byline_application_get_publisher (the_app));
  the_account = byline_test_add_wordpress_account (byline_application_get_accounts (the_app));

  g_test_add ("/wordpress/publish-check/blocking-then-override", Fixture, NULL, fixture_set_up,
              test_blocking_then_override, fixture_tear_down);
  g_test_add ("/wordpress/publish-check/policy", Fixture, NULL, fixture_set_up, test_policy,
              fixture_tear_down);
  g_test_add ("/wordpress/publish-check/site-draft", Fixture, NULL, fixture_set_up,
              test_site_draft, fixture_tear_down);
  g_test_add ("/wordpress/publish-check/warnings-only", Fixture, NULL, fixture_set_up,
              test_warnings_only, fixture_tear_down);

  return byline_test_run_and_stop_bus (bus);
}
