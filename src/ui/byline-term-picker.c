/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-term-picker.c: a draft's categories and tags, picked from the site's or typed anew.
 *
 * The draft stays the truth: its comma-separated names say which rows are checked, and every
 * toggle writes the checked names back, in the order shown (the site's terms first, then names
 * the site does not have yet). The publisher creates those on the site, as before. */

#define G_LOG_DOMAIN "byline-terms"

#include "config.h"

#include <glib/gi18n.h>

#include "byline-term-picker.h"
#include "byline-wp-client.h"

#define TERMS_PER_PAGE 100
#define MAX_PAGES      20

typedef struct {
  char           *name;
  char           *key;          /* casefolded, to compare names */
  gboolean        on_site;
  GtkWidget      *row;          /* AdwActionRow, owned by the list */
  GtkCheckButton *check;
} Item;

typedef struct {
  BylineTermPicker *self;       /* not a reference: the section lives in it */
  const char       *taxonomy;   /* the REST route's name, and the draft's property */
  GtkListBox       *list;
  AdwEntryRow      *entry;
  GPtrArray        *items;      /* Item, in the order shown */
} Section;

enum { CATEGORIES, TAGS, N_SECTIONS };

struct _BylineTermPicker
{
  GtkBox          parent_instance;

  BylineDraft    *draft;
  GCancellable   *cancellable;  /* the current listing's */
  BylineWpClient *client;
  GtkLabel       *status_label;
  Section         sections[N_SECTIONS];
  guint           pending;      /* listings under way */
  GString        *errors;
  gboolean        syncing;      /* setting checks from the draft: not a person's toggle */
  gboolean        writing;      /* writing to the draft: no need to read it back */
};

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BylineTermPicker, byline_term_picker, GTK_TYPE_BOX)

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->name);
  g_free (item->key);
  g_free (item);
}

static char *
name_key (const char *name)
{
  g_autofree char *normalized = g_utf8_normalize (name, -1, G_NORMALIZE_DEFAULT);

  return g_utf8_casefold (normalized ? normalized : name, -1);
}

/* "News, World ,, news" as trimmed names without empty ones or (case-insensitive) repeats. */
static GPtrArray *
split_names (const char *comma_separated)
{
  g_auto(GStrv) parts = g_strsplit (comma_separated ? comma_separated : "", ",", -1);
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *name = g_strstrip (parts[i]);

      if (*name == '\0' || !g_hash_table_add (seen, name_key (name)))
        continue;
      g_ptr_array_add (names, g_strdup (name));
    }
  return names;
}

static Item *
section_find (Section    *section,
              const char *name)
{
  g_autofree char *key = name_key (name);

  for (guint i = 0; i < section->items->len; i++)
    {
      Item *item = g_ptr_array_index (section->items, i);

      if (g_str_equal (item->key, key))
        return item;
    }
  return NULL;
}

/* The checked names, in the order shown, into the draft. */
static void
section_write (Section *section)
{
  BylineTermPicker *self = section->self;
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < section->items->len; i++)
    {
      Item *item = g_ptr_array_index (section->items, i);

      if (!gtk_check_button_get_active (item->check))
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, item->name);
    }
  self->writing = TRUE;
  g_object_set (self->draft, section->taxonomy, text->str, NULL);
  self->writing = FALSE;
}

static void
item_toggled_cb (GtkCheckButton *check,
                 Section        *section)
{
  if (!section->self->syncing)
    section_write (section);
}

static Item *
item_new (Section    *section,
          const char *name,
          gboolean    on_site)
{
  Item *item = g_new0 (Item, 1);

  item->name = g_strdup (name);
  item->key = name_key (name);
  item->on_site = on_site;
  item->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (item->check), GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (item->check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_signal_connect (item->check, "toggled", G_CALLBACK (item_toggled_cb), section);

  item->row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (item->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (item->row), name);
  if (!on_site)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (item->row),
                                 _("New: made on the site when published"));
  adw_action_row_add_prefix (ADW_ACTION_ROW (item->row), GTK_WIDGET (item->check));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (item->row), GTK_WIDGET (item->check));
  return item;
}

/* Appends an item's row before the entry, which stays last. */
static void
section_append (Section *section,
                Item    *item)
{
  g_ptr_array_add (section->items, item);
  gtk_list_box_insert (section->list, item->row, (int) section->items->len - 1);
}

/* Checks the rows named in the draft, and adds rows for names not shown yet. */
static void
section_sync (Section *section)
{
  BylineTermPicker *self = section->self;
  g_autofree char *value = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GHashTable) wanted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_object_get (self->draft, section->taxonomy, &value, NULL);
  names = split_names (value);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      g_hash_table_add (wanted, name_key (name));
      if (section_find (section, name) == NULL)
        section_append (section, item_new (section, name, FALSE));
    }

  self->syncing = TRUE;
  for (guint i = 0; i < section->items->len; i++)
    {
      Item *item = g_ptr_array_index (section->items, i);

      gtk_check_button_set_active (item->check, g_hash_table_contains (wanted, item->key));
    }
  self->syncing = FALSE;
}

/* The site's terms first (in the site's order), then the names it does not have. */
static void
section_set_site_terms (Section   *section,
                        GPtrArray *terms)
{
  g_autoptr(GPtrArray) old = section->items;
  g_autoptr(GHashTable) on_site = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < old->len; i++)
    gtk_list_box_remove (section->list, ((Item *) g_ptr_array_index (old, i))->row);
  section->items = g_ptr_array_new_with_free_func (item_free);

  for (guint i = 0; i < terms->len; i++)
    {
      BylineWpTerm *term = g_ptr_array_index (terms, i);

      if (!g_hash_table_add (on_site, name_key (term->name)))
        continue;
      section_append (section, item_new (section, term->name, TRUE));
    }
  for (guint i = 0; i < old->len; i++)
    {
      Item *item = g_ptr_array_index (old, i);

      if (!item->on_site && !g_hash_table_contains (on_site, item->key))
        section_append (section, item_new (section, item->name, FALSE));
    }
  section_sync (section);
}

/* "Brand New, Vérifier" typed in the entry: shown and checked. */
static void
section_add_typed (Section *section)
{
  g_autoptr(GPtrArray) names = split_names (gtk_editable_get_text (GTK_EDITABLE (section->entry)));

  if (names->len == 0)
    return;
  section->self->syncing = TRUE;
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      Item *item = section_find (section, name);

      if (item == NULL)
        {
          item = item_new (section, name, FALSE);
          section_append (section, item);
        }
      gtk_check_button_set_active (item->check, TRUE);
    }
  section->self->syncing = FALSE;
  section_write (section);
  gtk_editable_set_text (GTK_EDITABLE (section->entry), "");
}

static void
entry_activated_cb (AdwEntryRow *entry,
                    Section     *section)
{
  section_add_typed (section);
}

static void
draft_notify_cb (BylineDraft      *draft,
                 GParamSpec       *pspec,
                 BylineTermPicker *self)
{
  if (self->writing)
    return;
  for (guint i = 0; i < N_SECTIONS; i++)
    if (g_str_equal (pspec->name, self->sections[i].taxonomy))
      section_sync (&self->sections[i]);
}

static void
byline_term_picker_show_status (BylineTermPicker *self)
{
  if (self->pending > 0)
    gtk_label_set_label (self->status_label, _("Listing the site’s categories and tags…"));
  else
    gtk_label_set_label (self->status_label, self->errors->str);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label),
                          *gtk_label_get_label (self->status_label) != '\0');
}

static void
byline_term_picker_set_pending (BylineTermPicker *self,
                                guint             pending)
{
  gboolean was_loading = self->pending > 0;

  self->pending = pending;
  byline_term_picker_show_status (self);
  if (was_loading != (pending > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* One listing: a taxonomy, page after page. */
typedef struct {
  BylineTermPicker *self;
  Section          *section;
  GCancellable     *cancellable;
  GPtrArray        *terms;
  guint             page;
} Listing;

static void
listing_free (Listing *listing)
{
  g_object_unref (listing->self);
  g_object_unref (listing->cancellable);
  g_ptr_array_unref (listing->terms);
  g_free (listing);
}

static void listing_next (Listing *listing);

static void
byline_term_picker_fail (BylineTermPicker *self,
                         const char       *what,
                         const GError     *error)
{
  if (self->errors->len > 0)
    g_string_append_c (self->errors, '\n');
  g_string_append_printf (self->errors, "%s %s", what, error->message);
}

static void
list_terms_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  Listing *listing = user_data;
  BylineTermPicker *self = listing->self;
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) terms = byline_wp_client_list_terms_finish (BYLINE_WP_CLIENT (object),
                                                                   result, &info, &error);

  if (g_cancellable_is_cancelled (listing->cancellable))
    {
      listing_free (listing);
      return;
    }
  if (terms == NULL)
    {
      byline_term_picker_fail (self, listing->section == &self->sections[CATEGORIES]
                                     ? _("Could not list the site’s categories:")
                                     : _("Could not list the site’s tags:"),
                               error);
      byline_term_picker_set_pending (self, self->pending - 1);
      listing_free (listing);
      return;
    }
  for (guint i = 0; i < terms->len; i++)
    g_ptr_array_add (listing->terms, byline_wp_term_copy (g_ptr_array_index (terms, i)));
  if (terms->len > 0 && info.total_pages > (gint64) listing->page && listing->page < MAX_PAGES)
    {
      listing->page++;
      listing_next (listing);
      return;
    }
  section_set_site_terms (listing->section, listing->terms);
  byline_term_picker_set_pending (self, self->pending - 1);
  listing_free (listing);
}

static void
listing_next (Listing *listing)
{
  byline_wp_client_list_terms_async (listing->self->client, listing->section->taxonomy, NULL,
                                     listing->page, TERMS_PER_PAGE, listing->cancellable,
                                     list_terms_cb, listing);
}

static void
lookup_password_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  BylineAccounts *accounts = g_object_get_data (G_OBJECT (task), "accounts");
  GError *error = NULL;
  char *password = byline_accounts_lookup_password (accounts, task_data, &error);

  if (password == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, g_free);
}

static void
lookup_password_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  BylineTermPicker *self = BYLINE_TERM_PICKER (object);
  BylineAccount *account = g_task_get_task_data (G_TASK (result));
  GCancellable *cancellable = g_task_get_cancellable (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *password = g_task_propagate_pointer (G_TASK (result), &error);

  if (g_cancellable_is_cancelled (cancellable))
    return;
  if (password == NULL)
    {
      byline_term_picker_fail (self, _("Could not list the site’s categories and tags:"),
                               error);
      byline_term_picker_set_pending (self, 0);
      return;
    }
  g_clear_object (&self->client);
  self->client = byline_wp_client_new (byline_account_get_api_root (account),
                                       byline_account_get_username (account), password);
  for (guint i = 0; i < N_SECTIONS; i++)
    {
      Listing *listing = g_new0 (Listing, 1);

      listing->self = g_object_ref (self);
      listing->section = &self->sections[i];
      listing->cancellable = g_object_ref (cancellable);
      listing->terms = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_wp_term_free);
      listing->page = 1;
      listing_next (listing);
    }
  byline_term_picker_set_pending (self, N_SECTIONS);
}

void
byline_term_picker_set_account (BylineTermPicker *self,
                                BylineAccounts   *accounts,
                                BylineAccount    *account)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) none = NULL;

  g_return_if_fail (BYLINE_IS_TERM_PICKER (self));
  g_return_if_fail (account == NULL || BYLINE_IS_ACCOUNTS (accounts));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  g_string_truncate (self->errors, 0);

  /* Another site's terms are not this one's: only the draft's names stay. */
  none = g_ptr_array_new ();
  for (guint i = 0; i < N_SECTIONS; i++)
    section_set_site_terms (&self->sections[i], none);

  if (account == NULL)
    {
      byline_term_picker_set_pending (self, 0);
      return;
    }
  self->cancellable = g_cancellable_new ();
  task = g_task_new (self, self->cancellable, lookup_password_cb, NULL);
  g_task_set_source_tag (task, byline_term_picker_set_account);
  g_task_set_task_data (task, g_object_ref (account), g_object_unref);
  g_object_set_data_full (G_OBJECT (task), "accounts", g_object_ref (accounts), g_object_unref);
  /* Counts as one until the password is found, then one per taxonomy. */
  byline_term_picker_set_pending (self, 1);
  g_task_run_in_thread (task, lookup_password_thread);
}

gboolean
byline_term_picker_get_loading (BylineTermPicker *self)
{
  g_return_val_if_fail (BYLINE_IS_TERM_PICKER (self), FALSE);

  return self->pending > 0;
}

static void
byline_term_picker_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  BylineTermPicker *self = BYLINE_TERM_PICKER (object);

  switch (prop_id)
    {
    case PROP_LOADING:
      g_value_set_boolean (value, self->pending > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byline_term_picker_dispose (GObject *object)
{
  BylineTermPicker *self = BYLINE_TERM_PICKER (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->client);
  if (self->draft != NULL)
    g_signal_handlers_disconnect_by_data (self->draft, self);
  g_clear_object (&self->draft);

  G_OBJECT_CLASS (byline_term_picker_parent_class)->dispose (object);
}

static void
byline_term_picker_finalize (GObject *object)
{
  BylineTermPicker *self = BYLINE_TERM_PICKER (object);

  for (guint i = 0; i < N_SECTIONS; i++)
    g_clear_pointer (&self->sections[i].items, g_ptr_array_unref);
  g_string_free (self->errors, TRUE);

  G_OBJECT_CLASS (byline_term_picker_parent_class)->finalize (object);
}

static void
byline_term_picker_class_init (BylineTermPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = byline_term_picker_get_property;
  object_class->dispose = byline_term_picker_dispose;
  object_class->finalize = byline_term_picker_finalize;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
section_init (BylineTermPicker *self,
              Section          *section,
              const char       *taxonomy,
              const char       *title,
              const char       *entry_title)
{
  GtkWidget *group = adw_preferences_group_new ();

  section->self = self;
  section->taxonomy = taxonomy;
  section->items = g_ptr_array_new_with_free_func (item_free);
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), title);

  section->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (section->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (section->list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (section->list),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  section->entry = ADW_ENTRY_ROW (adw_entry_row_new ());
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (section->entry), entry_title);
  adw_entry_row_set_show_apply_button (section->entry, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (section->entry),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, entry_title, -1);
  g_signal_connect (section->entry, "entry-activated", G_CALLBACK (entry_activated_cb), section);
  g_signal_connect (section->entry, "apply", G_CALLBACK (entry_activated_cb), section);
  gtk_list_box_append (section->list, GTK_WIDGET (section->entry));

  adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), GTK_WIDGET (section->list));
  gtk_box_append (GTK_BOX (self), group);
}

static void
byline_term_picker_init (BylineTermPicker *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 24);
  self->errors = g_string_new (NULL);

  self->status_label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->status_label, 0);
  gtk_label_set_wrap (self->status_label, TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self->status_label), "dim-label");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), FALSE);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->status_label));

  section_init (self, &self->sections[CATEGORIES], "categories", _("Categories"),
                _("New category…"));
  section_init (self, &self->sections[TAGS], "tags", _("Tags"), _("New tag…"));
}

BylineTermPicker *
byline_term_picker_new (BylineDraft *draft)
{
  BylineTermPicker *self;

  g_return_val_if_fail (BYLINE_IS_DRAFT (draft), NULL);

  self = g_object_new (BYLINE_TYPE_TERM_PICKER, NULL);
  self->draft = g_object_ref (draft);
  g_signal_connect (draft, "notify::categories", G_CALLBACK (draft_notify_cb), self);
  g_signal_connect (draft, "notify::tags", G_CALLBACK (draft_notify_cb), self);
  for (guint i = 0; i < N_SECTIONS; i++)
    section_sync (&self->sections[i]);
  return self;
}
