/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-check-policy-window.c: which fields a site requires and which findings stop a post.
 *
 * One switch a field and one a kind of finding; each turn is kept in the store at once, so
 * that there is nothing to forget to save. */

#define G_LOG_DOMAIN "byline-check"

#include "config.h"

#include <glib/gi18n.h>

#include "byline-check-policy-window.h"
#include "byline-prepublish-check.h"

struct _BylineCheckPolicyWindow
{
  AdwPreferencesWindow  parent_instance;

  BylineStore          *store;
  gint64                account_id;
  BylineCheckPolicy     policy;
};

G_DEFINE_FINAL_TYPE (BylineCheckPolicyWindow, byline_check_policy_window,
                     ADW_TYPE_PREFERENCES_WINDOW)

static const struct {
  BylineCheckField  field;
  const char       *title;
} field_rows[] = {
  { BYLINE_CHECK_FIELD_TITLE, N_("Title") },
  { BYLINE_CHECK_FIELD_EXCERPT, N_("Excerpt") },
  { BYLINE_CHECK_FIELD_SLUG, N_("Slug") },
  { BYLINE_CHECK_FIELD_CATEGORIES, N_("Categories") },
  { BYLINE_CHECK_FIELD_TAGS, N_("Tags") },
  { BYLINE_CHECK_FIELD_FEATURED_IMAGE, N_("Featured image") },
};

/* Links that could not be checked (offline) are always a warning: being offline must never
 * stop a post from being queued, so they have no switch. */
static const struct {
  BylineCheckKind  kind;
  const char      *title;
} kind_rows[] = {
  { BYLINE_CHECK_EMPTY_BODY, N_("Empty text") },
  { BYLINE_CHECK_MISSING_FIELD, N_("Required fields left empty") },
  { BYLINE_CHECK_MISSING_ALT, N_("Images without alt text") },
  { BYLINE_CHECK_BROKEN_LINK, N_("Broken links") },
  { BYLINE_CHECK_MISSPELLING, N_("Misspelled words") },
  { BYLINE_CHECK_SKIPPED_HEADING, N_("Headings that skip a level") },
  { BYLINE_CHECK_DATE_IN_PAST, N_("A scheduled date already gone by") },
};

static void
byline_check_policy_window_save (BylineCheckPolicyWindow *self)
{
  g_autoptr(GError) error = NULL;

  if (!byline_check_policy_save (self->store, self->account_id, &self->policy, &error))
    {
      /* A toast's title is Pango markup (libadwaita 1.2). */
      g_autofree char *text = g_markup_printf_escaped (_("Not kept: %s"), error->message);

      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
    }
}

static void
field_switch_cb (GtkSwitch               *toggle,
                 GParamSpec              *pspec,
                 BylineCheckPolicyWindow *self)
{
  guint field = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toggle), "byline-field"));

  self->policy.required[field] = gtk_switch_get_active (toggle);
  byline_check_policy_window_save (self);
}

static void
kind_switch_cb (GtkSwitch               *toggle,
                GParamSpec              *pspec,
                BylineCheckPolicyWindow *self)
{
  guint kind = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (toggle), "byline-kind"));

  self->policy.severity[kind] = gtk_switch_get_active (toggle) ? BYLINE_CHECK_BLOCKING
                                                               : BYLINE_CHECK_WARNING;
  byline_check_policy_window_save (self);
}

/* A row with a switch: the row's title is the switch's name for a screen reader too. */
static GtkSwitch *
add_switch_row (AdwPreferencesGroup *group,
                const char          *title,
                gboolean             active)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *toggle = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  gtk_switch_set_active (GTK_SWITCH (toggle), active);
  gtk_widget_set_valign (toggle, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (toggle), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), toggle);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), toggle);
  adw_preferences_group_add (group, row);
  return GTK_SWITCH (toggle);
}

static void
byline_check_policy_window_dispose (GObject *object)
{
  BylineCheckPolicyWindow *self = BYLINE_CHECK_POLICY_WINDOW (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (byline_check_policy_window_parent_class)->dispose (object);
}

static void
byline_check_policy_window_class_init (BylineCheckPolicyWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byline_check_policy_window_dispose;
}

static void
byline_check_policy_window_init (BylineCheckPolicyWindow *self)
{
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 680);
  adw_preferences_window_set_search_enabled (ADW_PREFERENCES_WINDOW (self), FALSE);
}

BylineCheckPolicyWindow *
byline_check_policy_window_new (BylineStore   *store,
                                BylineAccount *account)
{
  BylineCheckPolicyWindow *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *site = NULL;
  g_autofree char *title = NULL;
  AdwPreferencesPage *page;
  AdwPreferencesGroup *fields;
  AdwPreferencesGroup *kinds;

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);
  g_return_val_if_fail (BYLINE_IS_ACCOUNT (account), NULL);

  self = g_object_new (BYLINE_TYPE_CHECK_POLICY_WINDOW, NULL);
  self->store = g_object_ref (store);
  self->account_id = byline_account_get_id (account);
  site = byline_account_dup_label (account);
  /* Translators: the title of the window of a site's pre-publish check settings */
  title = g_strdup_printf (_("Check Settings: %s"), site);
  gtk_window_set_title (GTK_WINDOW (self), title);

  if (!byline_check_policy_load (store, self->account_id, &self->policy, &error))
    {
      g_autofree char *text = g_markup_printf_escaped (_("The settings could not be read: %s"),
                                                       error->message);

      byline_check_policy_init_default (&self->policy);
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), adw_toast_new (text));
    }

  page = ADW_PREFERENCES_PAGE (adw_preferences_page_new ());
  fields = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (fields, _("Required Fields"));
  adw_preferences_group_set_description (fields, _("Before a post goes to this site, each field "
                                                   "switched on here must be filled in."));
  for (guint i = 0; i < G_N_ELEMENTS (field_rows); i++)
    {
      GtkSwitch *toggle = add_switch_row (fields, _(field_rows[i].title),
                                          self->policy.required[field_rows[i].field]);

      g_object_set_data (G_OBJECT (toggle), "byline-field",
                         GUINT_TO_POINTER (field_rows[i].field));
      g_signal_connect_object (toggle, "notify::active", G_CALLBACK (field_switch_cb), self, 0);
    }
  adw_preferences_page_add (page, fields);

  kinds = ADW_PREFERENCES_GROUP (adw_preferences_group_new ());
  adw_preferences_group_set_title (kinds, _("What Stops a Post"));
  adw_preferences_group_set_description (kinds, _("Switched on, such a finding stops the post "
                                                  "until it is fixed or sent anyway with a "
                                                  "reason. Switched off, it is a warning."));
  for (guint i = 0; i < G_N_ELEMENTS (kind_rows); i++)
    {
      GtkSwitch *toggle = add_switch_row (kinds, _(kind_rows[i].title),
                                          self->policy.severity[kind_rows[i].kind]
                                          == BYLINE_CHECK_BLOCKING);

      g_object_set_data (G_OBJECT (toggle), "byline-kind", GUINT_TO_POINTER (kind_rows[i].kind));
      g_signal_connect_object (toggle, "notify::active", G_CALLBACK (kind_switch_cb), self, 0);
    }
  adw_preferences_page_add (page, kinds);
  adw_preferences_window_add (ADW_PREFERENCES_WINDOW (self), page);
  return self;
}
