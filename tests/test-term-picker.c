/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-term-picker.c: the Publish window's categories and tags against a real WordPress (run
 * under wordpress/with-wordpress): the site's terms listed, the draft's checked, toggles and new
 * names written back to the draft. */

#include "config.h"

#include <adwaita.h>

#include "byline-publish-window.h"
#include "byline-term-picker.h"
#include "byline-test-util.h"
#include "byline-wp-client.h"

static gboolean
is_loaded (gpointer user_data)
{
  return !byline_term_picker_get_loading (user_data);
}

static GtkWidget *
find_type (GtkWidget *widget,
           GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      if ((found = find_type (child, type)))
        return found;
    }
  return NULL;
}

/* The AdwPreferencesGroup titled @title under @widget. */
static GtkWidget *
find_group (GtkWidget  *widget,
            const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_PREFERENCES_GROUP (child)
          && g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (child)), title) == 0)
        return child;
      if ((found = find_group (child, title)))
        return found;
    }
  return NULL;
}

/* The row titled @title under @widget (an action row, or the entry row). */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_PREFERENCES_ROW (child)
          && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)), title) == 0)
        return child;
      if ((found = find_row (child, title)))
        return found;
    }
  return NULL;
}

/* The row offering a new name, when one shows under @widget. */
static GtkWidget *
find_shown_add_row (GtkWidget *widget)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (ADW_IS_PREFERENCES_ROW (child) && gtk_widget_get_visible (child)
          && g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (child)),
                               "Add “"))
        return child;
      if ((found = find_shown_add_row (child)))
        return found;
    }
  return NULL;
}

static gboolean
is_checked (GtkWidget  *group,
            const char *title)
{
  GtkWidget *row = find_row (group, title);
  GtkWidget *check;

  if (row == NULL)
    g_error ("No row “%s”", title);
  check = adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row));
  g_assert_true (GTK_IS_CHECK_BUTTON (check));
  return gtk_check_button_get_active (GTK_CHECK_BUTTON (check));
}

static void
test_pick_terms (void)
{
  const char *url = g_getenv ("BYLINE_WP_URL");
  g_autofree char *dir = byline_test_make_tmpdir ("term-picker");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(BylinePublisher) publisher = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineAccount) account = NULL;
  const char *screenshot = g_getenv ("BYLINE_TEST_SCREENSHOT");
  BylinePublishWindow *window;
  BylineTermPicker *picker;
  GtkWidget *categories, *tags, *entry;
  static const char * const site_categories[] = { "Europe and Eurasia", "Secretary of State" };
  static const char * const site_tags[] = { "NATO", "Brussels", "Afghanistan", "Syria" };

  if (url == NULL)
    g_error ("Run this under tests/wordpress/with-wordpress: BYLINE_WP_URL is not set");

  store = byline_store_open (path, &error);
  g_assert_no_error (error);
  accounts = byline_accounts_new (store);
  publisher = byline_publisher_new (store, accounts);

  account = byline_test_add_wordpress_account (accounts);

  draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  g_assert_no_error (error);
  byline_draft_set_title (draft, "Terms from the window");
  byline_draft_set_categories (draft, "Europe and Eurasia, Brand New");
  byline_draft_set_tags (draft, "NATO");

  window = byline_publish_window_new (publisher, accounts, draft);
  gtk_window_present (GTK_WINDOW (window));
  picker = BYLINE_TERM_PICKER (find_type (GTK_WIDGET (window), BYLINE_TYPE_TERM_PICKER));
  g_assert_nonnull (picker);
  if (!byline_test_wait_until (is_loaded, picker, 30000))
    g_error ("The site's terms were not listed within 30 s");

  categories = find_group (GTK_WIDGET (picker), "Categories");
  tags = find_group (GTK_WIDGET (picker), "Tags");
  g_assert_nonnull (categories);
  g_assert_nonnull (tags);

  /* The site's terms are listed, the draft's checked, its new name too. */
  for (guint i = 0; i < G_N_ELEMENTS (site_categories); i++)
    g_assert_nonnull (find_row (categories, site_categories[i]));
  for (guint i = 0; i < G_N_ELEMENTS (site_tags); i++)
    g_assert_nonnull (find_row (tags, site_tags[i]));
  g_assert_true (is_checked (categories, "Europe and Eurasia"));
  g_assert_false (is_checked (categories, "Secretary of State"));
  g_assert_true (is_checked (categories, "Brand New"));
  g_assert_true (is_checked (tags, "NATO"));
  g_assert_false (is_checked (tags, "Syria"));
  g_assert_null (find_row (tags, "Brand New"));

  /* Unchecking NATO and checking Syria, by activating their rows. */
  gtk_widget_activate (find_row (tags, "NATO"));
  g_assert_false (is_checked (tags, "NATO"));
  gtk_widget_activate (find_row (tags, "Syria"));
  g_assert_true (is_checked (tags, "Syria"));
  g_assert_cmpstr (byline_draft_get_tags (draft), ==, "Syria");
  g_assert_cmpstr (byline_draft_get_categories (draft), ==, "Europe and Eurasia, Brand New");

  /* A new tag, typed in the search and entered. */
  entry = GTK_WIDGET (byline_term_picker_get_search_entry (picker));
  gtk_editable_set_text (GTK_EDITABLE (entry), "Vérifier");
  g_assert_true (gtk_widget_get_visible (find_row (tags, "Add “Vérifier” as a new tag")));
  g_assert_true (gtk_widget_get_visible (find_row (categories,
                                                   "Add “Vérifier” as a new category")));
  g_signal_emit_by_name (entry, "activate");  /* what Return does */
  g_assert_cmpstr (byline_draft_get_tags (draft), ==, "Syria, Vérifier");
  g_assert_true (is_checked (tags, "Vérifier"));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (entry)), ==, "");

  /* A name typed again in other case checks the row shown, adds none. */
  gtk_editable_set_text (GTK_EDITABLE (entry), "nato");
  g_assert_null (find_shown_add_row (tags));
  g_signal_emit_by_name (entry, "activate");  /* what Return does */
  g_assert_cmpstr (byline_draft_get_tags (draft), ==, "NATO, Syria, Vérifier");
  g_assert_null (find_row (tags, "nato"));

  if (screenshot != NULL)
    {
      GtkWidget *scrolled = find_type (GTK_WIDGET (window), GTK_TYPE_SCROLLED_WINDOW);

      if (scrolled != NULL)
        {
          GtkAdjustment *adjustment = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scrolled));

          gtk_adjustment_set_value (adjustment, gtk_adjustment_get_upper (adjustment));
        }
      for (int i = 0; i < 50; i++)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (10000);
        }
      byline_test_run_command ("import", "-window", "root", screenshot, NULL);
    }

  gtk_window_destroy (GTK_WINDOW (window));
}

/* With no account, the draft's own names show, checked; nothing is listed. */
static void
test_no_site (void)
{
  g_autoptr(BylineDraft) draft = byline_draft_new ();
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  BylineTermPicker *picker;
  GtkWidget *tags;

  byline_draft_set_tags (draft, "One, two ,, one");
  picker = byline_term_picker_new (draft);
  gtk_window_set_child (window, GTK_WIDGET (picker));
  g_assert_false (byline_term_picker_get_loading (picker));
  tags = find_group (GTK_WIDGET (picker), "Tags");
  g_assert_true (is_checked (tags, "One"));
  g_assert_true (is_checked (tags, "two"));
  gtk_widget_activate (find_row (tags, "One"));
  g_assert_cmpstr (byline_draft_get_tags (draft), ==, "two");
  /* A change made elsewhere shows. */
  byline_draft_set_tags (draft, "Three");
  g_assert_true (is_checked (tags, "Three"));
  g_assert_false (is_checked (tags, "two"));
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;
  g_autofree char *display = NULL;
  int status;

  byline_test_init (&argc, &argv);
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL);
  /* GTestDBus unsets DISPLAY (against X11 D-Bus autolaunch); this test needs it back. */
  display = g_strdup (g_getenv ("DISPLAY"));
  bus = byline_test_start_keyring ();
  if (display != NULL)
    g_setenv ("DISPLAY", display, TRUE);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/wordpress/term-picker/no-site", test_no_site);
  g_test_add_func ("/wordpress/term-picker/pick", test_pick_terms);

  status = g_test_run ();
  /* stop, not down (see byline_test_start_keyring). */
  g_test_dbus_stop (bus);
  return status;
}
