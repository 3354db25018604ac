/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-term-picker.c: the Publish window's categories and tags against a real WordPress (run
 * under wordpress/with-wordpress): the site's terms listed, the draft's checked, toggles and new
 * names written back to the draft. */

#include "config.h"

#include <string.h>

#include <adwaita.h>
#include <gdk/x11/gdkx.h>

#include "byline-publish-window.h"
#include "byline-term-cache.h"
#include "byline-term-picker.h"
#include "byline-test-ui-util.h"
#include "byline-wp-client.h"

static gboolean
is_loaded (gpointer user_data)
{
  return !byline_term_picker_get_loading (user_data);
}

static gboolean
is_group_titled (GtkWidget     *widget,
                 gconstpointer  title)
{
  return ADW_IS_PREFERENCES_GROUP (widget)
         && g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (widget)),
                       title) == 0;
}

/* The AdwPreferencesGroup titled @title under @widget. */
static GtkWidget *
find_group (GtkWidget  *widget,
            const char *title)
{
  return byline_test_find_descendant (widget, is_group_titled, title);
}

static gboolean
is_row_titled (GtkWidget     *widget,
               gconstpointer  title)
{
  return ADW_IS_PREFERENCES_ROW (widget)
         && g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)), title) == 0;
}

/* The row titled @title under @widget (an action row, or the entry row). */
static GtkWidget *
find_row (GtkWidget  *widget,
          const char *title)
{
  return byline_test_find_descendant (widget, is_row_titled, title);
}

static gboolean
is_shown_add_row (GtkWidget     *widget,
                  gconstpointer  data)
{
  return ADW_IS_PREFERENCES_ROW (widget) && gtk_widget_get_visible (widget)
         && g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget)),
                              "Add “");
}

/* The row offering a new name, when one shows under @widget. */
static GtkWidget *
find_shown_add_row (GtkWidget *widget)
{
  return byline_test_find_descendant (widget, is_shown_add_row, NULL);
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
  picker = BYLINE_TERM_PICKER (byline_test_find_widget (GTK_WIDGET (window),
                                                        BYLINE_TYPE_TERM_PICKER));
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
      GtkWidget *scrolled = byline_test_find_widget (GTK_WIDGET (window), GTK_TYPE_SCROLLED_WINDOW);

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

/* The rows shown under @group that are terms (not the offer of a new name, nor the count). */
static guint
count_shown_terms (GtkWidget *group,
                   GString   *titles)
{
  /* The picker's list (the parent of its rows), not the group's own, empty one. */
  GtkWidget *first = byline_test_find_widget (group, ADW_TYPE_ACTION_ROW);
  GtkWidget *list = first != NULL ? gtk_widget_get_parent (first) : NULL;
  guint n = 0;

  g_assert_nonnull (list);
  for (GtkWidget *row = gtk_widget_get_first_child (list); row;
       row = gtk_widget_get_next_sibling (row))
    if (ADW_IS_ACTION_ROW (row) && gtk_widget_get_visible (row)
        && GTK_IS_CHECK_BUTTON (adw_action_row_get_activatable_widget (ADW_ACTION_ROW (row))))
      {
        n++;
        if (titles != NULL)
          g_string_append_printf (titles, "%s%s", titles->len ? "|" : "",
                                  adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
      }
  return n;
}

typedef struct {
  GtkEditable *entry;
  const char  *text;
} TextWait;

static gboolean
has_text (gpointer user_data)
{
  TextWait *wait = user_data;

  return g_strcmp0 (gtk_editable_get_text (wait->entry), wait->text) == 0;
}

/* Types @text into the focused window, then checks that it arrived whole. */
static void
type_text (GtkEditable *entry,
           const char  *text)
{
  TextWait wait = { entry, text };

  byline_test_run_command ("xdotool", "type", "--delay", "25", text, NULL);
  if (!byline_test_wait_until (has_text, &wait, 5000))
    g_error ("Typed “%s”, the search holds “%s”", text, gtk_editable_get_text (entry));
}

static void
press (const char *key)
{
  byline_test_run_command ("xdotool", "key", key, NULL);
}

static void
add_term (GPtrArray  *terms,
          gint64      id,
          const char *name,
          gint64      parent)
{
  BylineWpTerm *term = g_new0 (BylineWpTerm, 1);

  term->id = id;
  term->name = g_strdup (name);
  term->slug = g_strdup_printf ("t%" G_GINT64_FORMAT, id);
  term->parent = parent;
  g_ptr_array_add (terms, term);
}

/* Offline, from what was kept: a newsroom's 1,000 categories show at once; typing "apres"
 * narrows them to "Après-guerre"; "press rel" to the two "Press Releases", told apart by their
 * parents; Down and Space check the second from the keyboard, and the draft gets its path. */
static void
test_keys (void)
{
  g_autofree char *dir = byline_test_make_tmpdir ("term-picker-keys");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineAccounts) accounts = NULL;
  g_autoptr(BylinePublisher) publisher = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(BylineTermCache) cache = NULL;
  g_autoptr(GPtrArray) categories_kept = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_wp_term_free);
  g_autoptr(GPtrArray) tags_kept = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_wp_term_free);
  g_autoptr(GString) titles = g_string_new (NULL);
  g_autofree char *xid = NULL;
  BylinePublishWindow *window;
  BylineTermPicker *picker;
  GtkEditable *search;
  GtkWidget *categories, *tags;
  GtkLabel *status;

  store = byline_store_open (path, &error);
  g_assert_no_error (error);
  accounts = byline_accounts_new (store);
  publisher = byline_publisher_new (store, accounts);
  /* A site that cannot be reached (nothing listens on the discard port). */
  account = byline_account_new ("http://127.0.0.1:9/", "http://127.0.0.1:9/wp-json/", "editor");
  g_assert_true (byline_accounts_add (accounts, account, "app password", &error));
  g_assert_no_error (error);

  add_term (categories_kept, 1, "Europe", 0);
  add_term (categories_kept, 2, "Asia", 0);
  add_term (categories_kept, 3, "Press Releases", 1);
  add_term (categories_kept, 4, "Press Releases", 2);
  add_term (categories_kept, 5, "Après-guerre", 0);
  for (gint64 i = 6; i <= 1000; i++)
    {
      g_autofree char *name = g_strdup_printf ("Zone %04" G_GINT64_FORMAT, i);

      add_term (categories_kept, i, name, i % 3 == 0 ? 1 : 0);
    }
  add_term (tags_kept, 2001, "NATO", 0);
  cache = byline_term_cache_new (store);
  g_assert_true (byline_term_cache_save (cache, byline_account_get_id (account), "categories",
                                         categories_kept, &error));
  g_assert_true (byline_term_cache_save (cache, byline_account_get_id (account), "tags",
                                         tags_kept, &error));
  g_assert_no_error (error);

  draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  g_assert_no_error (error);

  window = byline_publish_window_new (publisher, accounts, draft);
  gtk_window_present (GTK_WINDOW (window));
  picker = BYLINE_TERM_PICKER (byline_test_find_widget (GTK_WIDGET (window),
                                                        BYLINE_TYPE_TERM_PICKER));
  categories = find_group (GTK_WIDGET (picker), "Categories");
  tags = find_group (GTK_WIDGET (picker), "Tags");

  /* At once, before the site answers: the kept terms, children under their parent's name. A
   * bounded number of rows shows; the rest are counted. */
  g_assert_true (byline_term_picker_get_loading (picker));
  g_assert_nonnull (find_row (categories, "Europe › Press Releases"));
  g_assert_nonnull (find_row (categories, "Asia › Press Releases"));
  g_assert_cmpuint (count_shown_terms (categories, NULL), ==, 40);
  g_assert_nonnull (find_row (categories, "960 more: type to search them"));
  g_assert_nonnull (find_row (tags, "NATO"));

  while (!gtk_widget_get_mapped (GTK_WIDGET (window)))
    g_main_context_iteration (NULL, TRUE);
  xid = g_strdup_printf ("%lu", (gulong) gdk_x11_surface_get_xid (
                           gtk_native_get_surface (GTK_NATIVE (window))));
  byline_test_run_command ("xdotool", "windowfocus", "--sync", xid, NULL);
  search = byline_term_picker_get_search_entry (picker);
  gtk_widget_grab_focus (GTK_WIDGET (search));

  /* Without the accent, in any case. */
  type_text (search, "APRES");
  g_string_truncate (titles, 0);
  g_assert_cmpuint (count_shown_terms (categories, titles), ==, 1);
  g_assert_cmpstr (titles->str, ==, "Après-guerre");
  g_assert_cmpuint (count_shown_terms (tags, NULL), ==, 0);

  /* Escape empties the search: everything again. */
  press ("Escape");
  g_assert_cmpstr (gtk_editable_get_text (search), ==, "");
  g_assert_cmpuint (count_shown_terms (categories, NULL), ==, 40);

  type_text (search, "press rel");
  g_string_truncate (titles, 0);
  g_assert_cmpuint (count_shown_terms (categories, titles), ==, 2);
  g_assert_cmpstr (titles->str, ==, "Asia › Press Releases|Europe › Press Releases");

  /* Down to the list, Down to Europe's, Space to check it. */
  press ("Down");
  press ("Down");
  press ("space");
  g_assert_true (is_checked (categories, "Europe › Press Releases"));
  g_assert_false (is_checked (categories, "Asia › Press Releases"));
  g_assert_cmpstr (byline_draft_get_categories (draft), ==, "Europe › Press Releases");
  g_assert_cmpstr (adw_preferences_group_get_description (ADW_PREFERENCES_GROUP (categories)), ==,
                   "Checked: Europe › Press Releases");

  /* A checked row stays in sight whatever is typed; a new name is offered, Enter makes it. */
  gtk_widget_grab_focus (GTK_WIDGET (search));
  press ("ctrl+a");
  type_text (search, "Breaking");
  g_string_truncate (titles, 0);
  g_assert_cmpuint (count_shown_terms (categories, titles), ==, 1);
  g_assert_cmpstr (titles->str, ==, "Europe › Press Releases");
  g_assert_nonnull (find_shown_add_row (tags));
  press ("Return");
  g_assert_cmpstr (byline_draft_get_tags (draft), ==, "Breaking");
  g_assert_cmpstr (gtk_editable_get_text (search), ==, "");

  /* The site cannot be reached: said, and the kept terms stay. */
  if (!byline_test_wait_until (is_loaded, picker, 30000))
    g_error ("The listing did not end within 30 s");
  status = NULL;
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (picker)); child;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LABEL (child))
      status = GTK_LABEL (child);
  g_assert_nonnull (status);
  g_test_message ("%s", gtk_label_get_label (status));
  g_assert_true (g_str_has_prefix (gtk_label_get_label (status), "Could not list"));
  g_assert_nonnull (strstr (gtk_label_get_label (status), "listed last time"));
  g_assert_nonnull (find_row (categories, "Asia › Press Releases"));

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int   argc,
      char *argv[])
{
  GTestDBus *bus;

  byline_test_init (&argc, &argv);
  bus = byline_test_ui_start_with_keyring ();

  g_test_add_func ("/wordpress/term-picker/no-site", test_no_site);
  g_test_add_func ("/wordpress/term-picker/pick", test_pick_terms);
  g_test_add_func ("/wordpress/term-picker/keys", test_keys);

  return byline_test_run_and_stop_bus (bus);
}
