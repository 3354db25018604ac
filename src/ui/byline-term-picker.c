/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-term-picker.c: a draft's categories and tags, picked from the site's or typed anew.
 *
 * The draft stays the truth: its comma-separated names say which rows are checked, and every
 * toggle writes the checked names back, in the order shown (the site's terms first, then names
 * the site does not have yet). Categories are written as their paths from the top ("Europe ›
 * Press Releases"), so that the publisher sends the one that was checked, not another of the
 * same name. The publisher creates the names the site lacks.
 *
 * A newsroom's site has hundreds of terms: the search entry filters both lists as each key is
 * typed, and only a bounded number of unchecked rows exists at a time (rows are made when first
 * shown); checked rows always show, and the group says which are checked. The site's terms come
 * from the store's cache at once, and are listed again from the site in the background. */

#define G_LOG_DOMAIN "byline-terms"

#include "config.h"

#include <glib/gi18n.h>

#include "byline-term-cache.h"
#include "byline-term-index.h"
#include "byline-term-picker.h"
#include "byline-wp-client.h"

/* Unchecked rows shown per list at most; the rest are counted, for typing to narrow. */
#define MAX_SHOWN 40

/* Row positions in a list's sort order, after the terms: the offer of a new name (Enter takes
 * it anyway), then the count of rows not shown. */
#define ADD_ROW_POSITION  (G_MAXINT - 1)
#define MORE_ROW_POSITION G_MAXINT

typedef struct {
  char           *name;         /* what the draft holds for it: a path for a site category */
  char           *key;          /* name key of @name: two items are one when these are equal */
  char           *search_key;
  gint64          id;           /* on the site; 0 for a name the site lacks */
  gboolean        ambiguous;    /* a bare name that several of the site's categories have */
  gboolean        checked;
  GtkWidget      *row;          /* AdwActionRow, owned by the list; NULL until first shown */
  GtkCheckButton *check;
} Item;

typedef struct {
  BylineTermPicker    *self;    /* not a reference: the section lives in it */
  const char          *taxonomy; /* the REST route's name, and the draft's property */
  gboolean             hierarchical;
  AdwPreferencesGroup *group;
  GtkListBox          *list;
  GtkWidget           *add_row;  /* "Add “…” as a new tag" */
  GtkWidget           *more_row; /* "312 more: type to narrow the list" */
  GPtrArray           *items;    /* Item, in the order shown */
  GPtrArray           *site_terms; /* BylineWpTerm, as last shown; NULL: none */
  BylineTermIndex     *index;
} Section;

enum { CATEGORIES, TAGS, N_SECTIONS };

struct _BylineTermPicker
{
  GtkBox           parent_instance;

  BylineDraft     *draft;
  GCancellable    *cancellable;  /* the current listing's */
  BylineTermCache *cache;
  GtkSearchEntry  *search_entry;
  GtkLabel        *status_label;
  Section          sections[N_SECTIONS];
  GStrv            search_words;
  guint            pending;      /* listings under way */
  GString         *errors;
  gboolean         from_cache;   /* what shows was kept from an earlier listing */
  gboolean         syncing;      /* setting checks from the draft: not a person's toggle */
  gboolean         writing;      /* writing to the draft: no need to read it back */
};

enum {
  PROP_0,
  PROP_LOADING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BylineTermPicker, byline_term_picker, GTK_TYPE_BOX)

static void section_refilter (Section *section);

static void
item_free (gpointer data)
{
  Item *item = data;

  g_free (item->name);
  g_free (item->key);
  g_free (item->search_key);
  g_free (item);
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

      if (*name == '\0' || !g_hash_table_add (seen, byline_term_name_key (name)))
        continue;
      g_ptr_array_add (names, g_strdup (name));
    }
  return names;
}

/* A category typed as "Europe›Press  Releases " kept as "Europe › Press Releases". */
static char *
tidy_name (Section    *section,
           const char *typed)
{
  g_auto(GStrv) names = NULL;

  if (!section->hierarchical)
    return g_strstrip (g_strdup (typed));
  names = byline_term_path_split (typed);
  return g_strjoinv (BYLINE_TERM_PATH_SEPARATOR, names);
}

static Item *
section_find (Section    *section,
              const char *name)
{
  g_autofree char *key = byline_term_name_key (name);

  for (guint i = 0; i < section->items->len; i++)
    {
      Item *item = g_ptr_array_index (section->items, i);

      if (g_str_equal (item->key, key))
        return item;
    }
  return NULL;
}

/* The item a draft's name means: the same path, else (a bare name from an older draft) the
 * site's term the name resolves to. */
static Item *
section_resolve (Section    *section,
                 const char *name,
                 gboolean   *ambiguous)
{
  Item *item = section_find (section, name);
  guint position = 0;

  *ambiguous = FALSE;
  if (item != NULL || section->index == NULL)
    return item;
  switch (byline_term_index_lookup (section->index, name, &position, NULL, NULL))
    {
    case BYLINE_TERM_LOOKUP_FOUND:
      /* Site items come first, in the index's order. */
      return g_ptr_array_index (section->items, position);
    case BYLINE_TERM_LOOKUP_AMBIGUOUS:
      *ambiguous = TRUE;
      return NULL;
    case BYLINE_TERM_LOOKUP_MISSING:
      return NULL;
    default:
      g_assert_not_reached ();
    }
}

/* Which are checked, in a line under the group's title. */
static void
section_show_summary (Section *section)
{
  g_autoptr(GString) names = g_string_new (NULL);
  g_autofree char *text = NULL;

  for (guint i = 0; i < section->items->len; i++)
    {
      Item *item = g_ptr_array_index (section->items, i);

      if (!item->checked)
        continue;
      if (names->len > 0)
        g_string_append (names, ", ");
      g_string_append (names, item->name);
    }
  if (names->len == 0)
    text = g_strdup (_("None checked"));
  else
    /* Translators: the names of the checked categories (or tags), separated by commas */
    text = g_strdup_printf (_("Checked: %s"), names->str);
  adw_preferences_group_set_description (section->group, text);
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

      if (!item->checked)
        continue;
      if (text->len > 0)
        g_string_append (text, ", ");
      g_string_append (text, item->name);
    }
  self->writing = TRUE;
  g_object_set (self->draft, section->taxonomy, text->str, NULL);
  self->writing = FALSE;
  section_show_summary (section);
}

static void
item_set_checked (Section *section,
                  Item    *item,
                  gboolean checked)
{
  item->checked = checked;
  if (item->check != NULL && gtk_check_button_get_active (item->check) != checked)
    {
      section->self->syncing = TRUE;
      gtk_check_button_set_active (item->check, checked);
      section->self->syncing = FALSE;
    }
}

static void
item_toggled_cb (GtkCheckButton *check,
                 Section        *section)
{
  Item *item = g_object_get_data (G_OBJECT (check), "item");

  if (section->self->syncing)
    return;
  item->checked = gtk_check_button_get_active (check);
  section_write (section);
}

static int
row_position (GtkListBoxRow *row)
{
  return GPOINTER_TO_INT (g_object_get_data (G_OBJECT (row), "position"));
}

static int
sort_rows (GtkListBoxRow *a,
           GtkListBoxRow *b,
           gpointer       user_data)
{
  int position_a = row_position (a);
  int position_b = row_position (b);

  return position_a < position_b ? -1 : position_a > position_b;
}

static const char *
item_subtitle (Section *section,
               Item    *item)
{
  if (item->ambiguous)
    return _("Several categories have this name: check the one you mean instead");
  if (item->id == 0)
    return _("New: made on the site when published");
  return NULL;
}

/* The item's row, made when it is first shown. */
static void
item_make_row (Section *section,
               Item    *item,
               guint    position)
{
  const char *subtitle = item_subtitle (section, item);

  item->check = GTK_CHECK_BUTTON (gtk_check_button_new ());
  gtk_widget_set_valign (GTK_WIDGET (item->check), GTK_ALIGN_CENTER);
  gtk_check_button_set_active (item->check, item->checked);
  gtk_accessible_update_property (GTK_ACCESSIBLE (item->check),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, item->name, -1);
  if (subtitle != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (item->check),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle, -1);
  g_object_set_data (G_OBJECT (item->check), "item", item);
  g_signal_connect (item->check, "toggled", G_CALLBACK (item_toggled_cb), section);

  item->row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (item->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (item->row), item->name);
  if (subtitle != NULL)
    adw_action_row_set_subtitle (ADW_ACTION_ROW (item->row), subtitle);
  adw_action_row_add_prefix (ADW_ACTION_ROW (item->row), GTK_WIDGET (item->check));
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (item->row), GTK_WIDGET (item->check));
  g_object_set_data (G_OBJECT (item->row), "position", GUINT_TO_POINTER (position));
  gtk_list_box_append (section->list, item->row);
}

static Item *
item_new (Section    *section,
          const char *name,
          gint64      id)
{
  Item *item = g_new0 (Item, 1);

  item->name = g_strdup (name);
  item->key = byline_term_name_key (name);
  item->search_key = byline_term_search_key (name);
  item->id = id;
  return item;
}

static void
section_clear_rows (Section *section)
{
  for (guint i = 0; i < section->items->len; i++)
    {
      Item *item = g_ptr_array_index (section->items, i);

      if (item->row != NULL)
        gtk_list_box_remove (section->list, item->row);
      item->row = NULL;
      item->check = NULL;
    }
}

/* Checks the rows named in the draft, and adds items for names not there yet. */
static void
section_sync (Section *section)
{
  BylineTermPicker *self = section->self;
  g_autofree char *value = NULL;
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GHashTable) wanted = g_hash_table_new (NULL, NULL);

  g_object_get (self->draft, section->taxonomy, &value, NULL);
  names = split_names (value);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      gboolean ambiguous;
      Item *item = section_resolve (section, name, &ambiguous);

      if (item == NULL)
        {
          item = item_new (section, name, 0);
          item->ambiguous = ambiguous;
          g_ptr_array_add (section->items, item);
        }
      g_hash_table_add (wanted, item);
    }

  for (guint i = 0; i < section->items->len; i++)
    {
      Item *item = g_ptr_array_index (section->items, i);

      item_set_checked (section, item, g_hash_table_contains (wanted, item));
    }
  section_show_summary (section);
  section_refilter (section);
}

static gboolean
same_terms (GPtrArray *a,
            GPtrArray *b)
{
  if (a == NULL || b == NULL || a->len != b->len)
    return FALSE;
  for (guint i = 0; i < a->len; i++)
    {
      const BylineWpTerm *x = g_ptr_array_index (a, i);
      const BylineWpTerm *y = g_ptr_array_index (b, i);

      if (x->id != y->id || x->parent != y->parent || g_strcmp0 (x->name, y->name) != 0)
        return FALSE;
    }
  return TRUE;
}

/* The site's terms first (by path), then the names it does not have. */
static void
section_set_site_terms (Section   *section,
                        GPtrArray *terms)
{
  g_autoptr(GPtrArray) old = NULL;

  /* A refresh that brings the same list leaves the rows (and the focus) alone. */
  if (terms != NULL && same_terms (section->site_terms, terms))
    return;

  section_clear_rows (section);
  old = g_steal_pointer (&section->items);
  section->items = g_ptr_array_new_with_free_func (item_free);
  g_clear_pointer (&section->site_terms, g_ptr_array_unref);
  g_clear_object (&section->index);

  if (terms != NULL)
    {
      section->site_terms = g_ptr_array_ref (terms);
      section->index = byline_term_index_new (terms, section->hierarchical);
      for (guint i = 0; i < byline_term_index_get_n_terms (section->index); i++)
        g_ptr_array_add (section->items,
                         item_new (section, byline_term_index_get_path (section->index, i),
                                   byline_term_index_get_term (section->index, i)->id));
    }
  /* Names typed earlier that the site (still) lacks stay, checked or not. */
  for (guint i = 0; i < old->len; i++)
    {
      Item *item = g_ptr_array_index (old, i);
      gboolean ambiguous;

      if (item->id == 0 && section_resolve (section, item->name, &ambiguous) == NULL
          && !ambiguous)
        g_ptr_array_add (section->items, item_new (section, item->name, 0));
    }
  section_sync (section);
}

/* Shows the checked rows, the first MAX_SHOWN others that match, and how many more match. */
static void
section_refilter (Section *section)
{
  BylineTermPicker *self = section->self;
  const char * const *words = (const char * const *) self->search_words;
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *typed_name = tidy_name (section, typed);
  guint shown = 0, more = 0;

  for (guint i = 0; i < section->items->len; i++)
    {
      Item *item = g_ptr_array_index (section->items, i);
      gboolean visible = item->checked;

      if (!visible && byline_term_search_matches (item->search_key, words))
        {
          if (shown < MAX_SHOWN)
            {
              visible = TRUE;
              shown++;
            }
          else
            more++;
        }
      if (visible && item->row == NULL)
        item_make_row (section, item, i);
      if (item->row != NULL)
        gtk_widget_set_visible (item->row, visible);
    }

  if (more > 0)
    {
      g_autofree char *text = NULL;

      if (*typed == '\0')
        text = g_strdup_printf (g_dngettext (NULL, "%u more: type to search them",
                                             "%u more: type to search them", more), more);
      else
        text = g_strdup_printf (g_dngettext (NULL, "%u more match: type more to narrow the list",
                                             "%u more match: type more to narrow the list",
                                             more), more);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (section->more_row), text);
    }
  gtk_widget_set_visible (section->more_row, more > 0);

  /* A name no row has yet: offered as a new one. */
  if (*typed_name != '\0' && section_find (section, typed_name) == NULL)
    {
      g_autofree char *title = NULL;

      title = g_strdup_printf (section->hierarchical ? _("Add “%s” as a new category")
                                                     : _("Add “%s” as a new tag"), typed_name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (section->add_row), title);
      gtk_accessible_update_property (GTK_ACCESSIBLE (section->add_row),
                                      GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      gtk_widget_set_visible (section->add_row, TRUE);
    }
  else
    gtk_widget_set_visible (section->add_row, FALSE);
}

static void
byline_term_picker_refilter (BylineTermPicker *self)
{
  g_clear_pointer (&self->search_words, g_strfreev);
  self->search_words = byline_term_search_words (
    gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  for (guint i = 0; i < N_SECTIONS; i++)
    section_refilter (&self->sections[i]);
}

/* Checks @typed (comma-separated names), adding the ones the list lacks as new. */
static void
section_check_typed (Section    *section,
                     const char *typed)
{
  g_autoptr(GPtrArray) names = split_names (typed);

  if (names->len == 0)
    return;
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *name = tidy_name (section, g_ptr_array_index (names, i));
      Item *item = *name != '\0' ? section_find (section, name) : NULL;

      if (*name == '\0')
        continue;
      if (item == NULL)
        {
          item = item_new (section, name, 0);
          g_ptr_array_add (section->items, item);
        }
      item_set_checked (section, item, TRUE);
    }
  section_write (section);
}

static void
byline_term_picker_clear_search (BylineTermPicker *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  byline_term_picker_refilter (self);
}

static void
add_row_activated_cb (AdwActionRow *row,
                      Section      *section)
{
  BylineTermPicker *self = section->self;

  section_check_typed (section, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  byline_term_picker_clear_search (self);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

/* Enter: the category or tag of exactly that name is checked; a name neither list has becomes
 * a new tag (a category path, "Parent › Child", a new category). */
static void
search_activate_cb (GtkSearchEntry   *entry,
                    BylineTermPicker *self)
{
  const char *typed = gtk_editable_get_text (GTK_EDITABLE (entry));
  g_autoptr(GPtrArray) names = split_names (typed);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      gboolean found = FALSE;

      for (guint s = 0; s < N_SECTIONS; s++)
        {
          Section *section = &self->sections[s];
          g_autofree char *tidy = tidy_name (section, name);
          gboolean ambiguous;
          Item *item = section_resolve (section, tidy, &ambiguous);

          if (item != NULL)
            {
              item_set_checked (section, item, TRUE);
              section_write (section);
              found = TRUE;
            }
        }
      if (!found)
        section_check_typed (strstr (name, "›") != NULL ? &self->sections[CATEGORIES]
                                                        : &self->sections[TAGS], name);
    }
  byline_term_picker_clear_search (self);
}

static void
search_changed_cb (GtkEditable      *editable,
                   BylineTermPicker *self)
{
  byline_term_picker_refilter (self);
}

static void
search_stop_cb (GtkSearchEntry   *entry,
                BylineTermPicker *self)
{
  byline_term_picker_clear_search (self);
}

static GtkWidget *
first_visible_row (GtkListBox *list)
{
  for (GtkWidget *row = gtk_widget_get_first_child (GTK_WIDGET (list)); row != NULL;
       row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && gtk_widget_get_visible (row)
        && gtk_list_box_row_get_activatable (GTK_LIST_BOX_ROW (row)))
      return row;
  return NULL;
}

/* Down from the search goes to the first row shown; from there, the arrows move, Space checks. */
static gboolean
search_key_pressed_cb (GtkEventControllerKey *controller,
                       guint                  keyval,
                       guint                  keycode,
                       GdkModifierType        state,
                       BylineTermPicker      *self)
{
  if (keyval != GDK_KEY_Down && keyval != GDK_KEY_KP_Down)
    return FALSE;
  for (guint i = 0; i < N_SECTIONS; i++)
    {
      GtkWidget *row = first_visible_row (self->sections[i].list);

      if (row != NULL)
        return gtk_widget_grab_focus (row);
    }
  return FALSE;
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
  g_autofree char *text = NULL;

  if (self->pending > 0)
    text = g_strdup (self->from_cache ? _("Checking the site for new categories and tags…")
                                      : _("Listing the site’s categories and tags…"));
  else if (self->errors->len > 0 && self->from_cache)
    text = g_strdup_printf (_("%s\nShowing the categories and tags listed last time; names "
                              "checked here are still sent when the site can be reached."),
                            self->errors->str);
  else
    text = g_strdup (self->errors->str);
  gtk_label_set_label (self->status_label, text);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), *text != '\0');
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

static void
byline_term_picker_fail (BylineTermPicker *self,
                         const char       *what,
                         const GError     *error)
{
  if (self->errors->len > 0)
    g_string_append_c (self->errors, '\n');
  g_string_append_printf (self->errors, "%s %s", what, error->message);
}

typedef struct {
  BylineTermPicker *self;
  Section          *section;      /* NULL while the account's client is asked for */
  GCancellable     *cancellable;
  gint64            account_id;
} Listing;

static Listing *
listing_new (BylineTermPicker *self,
             Section          *section,
             GCancellable     *cancellable,
             gint64            account_id)
{
  Listing *listing = g_new0 (Listing, 1);

  listing->self = g_object_ref (self);
  listing->section = section;
  listing->cancellable = g_object_ref (cancellable);
  listing->account_id = account_id;
  return listing;
}

static void
listing_free (Listing *listing)
{
  g_object_unref (listing->self);
  g_object_unref (listing->cancellable);
  g_free (listing);
}

static void
refreshed_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Listing *listing = user_data;
  BylineTermPicker *self = listing->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) terms = NULL;

  terms = byline_term_cache_refresh_finish (BYLINE_TERM_CACHE (object), result, &error);
  if (g_cancellable_is_cancelled (listing->cancellable))
    {
      listing_free (listing);
      return;
    }
  if (terms == NULL)
    byline_term_picker_fail (self, listing->section == &self->sections[CATEGORIES]
                                   ? _("Could not list the site’s categories:")
                                   : _("Could not list the site’s tags:"),
                             error);
  else
    section_set_site_terms (listing->section, terms);
  byline_term_picker_set_pending (self, self->pending - 1);
  listing_free (listing);
}

static void
connected_cb (GObject      *object,
              GAsyncResult *result,
              gpointer      user_data)
{
  Listing *listing = user_data;
  BylineTermPicker *self = listing->self;
  g_autoptr(BylineWpClient) client = NULL;
  g_autoptr(GError) error = NULL;

  client = byline_accounts_connect_finish (BYLINE_ACCOUNTS (object), result, &error);
  if (g_cancellable_is_cancelled (listing->cancellable))
    {
      listing_free (listing);
      return;
    }
  if (client == NULL)
    {
      byline_term_picker_fail (self, _("Could not list the site’s categories and tags:"),
                               error);
      byline_term_picker_set_pending (self, 0);
      listing_free (listing);
      return;
    }
  for (guint i = 0; i < N_SECTIONS; i++)
    {
      Listing *section_listing = listing_new (self, &self->sections[i], listing->cancellable,
                                              listing->account_id);

      byline_term_cache_refresh_async (self->cache, client, listing->account_id,
                                       section_listing->section->taxonomy,
                                       listing->cancellable, refreshed_cb, section_listing);
    }
  byline_term_picker_set_pending (self, N_SECTIONS);
  listing_free (listing);
}

void
byline_term_picker_set_account (BylineTermPicker *self,
                                BylineAccounts   *accounts,
                                BylineAccount    *account)
{
  g_return_if_fail (BYLINE_IS_TERM_PICKER (self));
  g_return_if_fail (account == NULL || BYLINE_IS_ACCOUNTS (accounts));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->cache);
  g_string_truncate (self->errors, 0);
  self->from_cache = FALSE;

  /* Another site's terms are not this one's: only the draft's names stay, until this site's
   * kept ones show. */
  for (guint i = 0; i < N_SECTIONS; i++)
    {
      g_autoptr(GPtrArray) kept = NULL;
      g_autoptr(GError) error = NULL;

      if (account != NULL)
        {
          if (self->cache == NULL)
            self->cache = byline_term_cache_new (byline_accounts_get_store (accounts));
          kept = byline_term_cache_load (self->cache, byline_account_get_id (account),
                                         self->sections[i].taxonomy, NULL, &error);
          if (error != NULL)
            g_warning ("%s", error->message);
        }
      self->from_cache |= kept != NULL;
      section_set_site_terms (&self->sections[i], kept);
    }

  if (account == NULL)
    {
      byline_term_picker_set_pending (self, 0);
      return;
    }
  self->cancellable = g_cancellable_new ();
  /* Counts as one until the client is there, then one per taxonomy. */
  byline_term_picker_set_pending (self, 1);
  byline_accounts_connect_async (accounts, byline_account_get_id (account), self->cancellable,
                                 connected_cb,
                                 listing_new (self, NULL, self->cancellable,
                                              byline_account_get_id (account)));
}

gboolean
byline_term_picker_get_loading (BylineTermPicker *self)
{
  g_return_val_if_fail (BYLINE_IS_TERM_PICKER (self), FALSE);

  return self->pending > 0;
}

GtkEditable *
byline_term_picker_get_search_entry (BylineTermPicker *self)
{
  g_return_val_if_fail (BYLINE_IS_TERM_PICKER (self), NULL);

  return GTK_EDITABLE (self->search_entry);
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
  g_clear_object (&self->cache);
  if (self->draft != NULL)
    g_signal_handlers_disconnect_by_data (self->draft, self);
  g_clear_object (&self->draft);
  gtk_widget_dispose_template (GTK_WIDGET (self), BYLINE_TYPE_TERM_PICKER);

  G_OBJECT_CLASS (byline_term_picker_parent_class)->dispose (object);
}

static void
byline_term_picker_finalize (GObject *object)
{
  BylineTermPicker *self = BYLINE_TERM_PICKER (object);

  for (guint i = 0; i < N_SECTIONS; i++)
    {
      g_clear_pointer (&self->sections[i].items, g_ptr_array_unref);
      g_clear_pointer (&self->sections[i].site_terms, g_ptr_array_unref);
      g_clear_object (&self->sections[i].index);
    }
  g_clear_pointer (&self->search_words, g_strfreev);
  g_string_free (self->errors, TRUE);

  G_OBJECT_CLASS (byline_term_picker_parent_class)->finalize (object);
}

/* A template child kept in a section of the picker. */
#define BIND_SECTION_CHILD(widget_class, name, section, member) \
  gtk_widget_class_bind_template_child_full (widget_class, name, FALSE, \
                                             G_STRUCT_OFFSET (BylineTermPicker, \
                                                              sections[section].member))

static void
byline_term_picker_class_init (BylineTermPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = byline_term_picker_get_property;
  object_class->dispose = byline_term_picker_dispose;
  object_class->finalize = byline_term_picker_finalize;

  properties[PROP_LOADING] =
    g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/byline-term-picker.ui");
  gtk_widget_class_bind_template_child (widget_class, BylineTermPicker, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BylineTermPicker, status_label);
  BIND_SECTION_CHILD (widget_class, "categories_group", CATEGORIES, group);
  BIND_SECTION_CHILD (widget_class, "categories_list", CATEGORIES, list);
  BIND_SECTION_CHILD (widget_class, "categories_add_row", CATEGORIES, add_row);
  BIND_SECTION_CHILD (widget_class, "categories_more_row", CATEGORIES, more_row);
  BIND_SECTION_CHILD (widget_class, "tags_group", TAGS, group);
  BIND_SECTION_CHILD (widget_class, "tags_list", TAGS, list);
  BIND_SECTION_CHILD (widget_class, "tags_add_row", TAGS, add_row);
  BIND_SECTION_CHILD (widget_class, "tags_more_row", TAGS, more_row);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_activate_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_stop_cb);
  gtk_widget_class_bind_template_callback (widget_class, search_key_pressed_cb);
}

/* The section's widgets come from the template: what is not there is how its rows sort and
 * what its row offering a new name does. */
static void
section_init (BylineTermPicker *self,
              Section          *section,
              const char       *taxonomy,
              gboolean          hierarchical)
{
  section->self = self;
  section->taxonomy = taxonomy;
  section->hierarchical = hierarchical;
  section->items = g_ptr_array_new_with_free_func (item_free);

  gtk_list_box_set_sort_func (section->list, sort_rows, NULL, NULL);
  g_object_set_data (G_OBJECT (section->add_row), "position",
                     GINT_TO_POINTER (ADD_ROW_POSITION));
  g_signal_connect (section->add_row, "activated", G_CALLBACK (add_row_activated_cb), section);
  g_object_set_data (G_OBJECT (section->more_row), "position",
                     GINT_TO_POINTER (MORE_ROW_POSITION));
}

static void
byline_term_picker_init (BylineTermPicker *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->errors = g_string_new (NULL);
  section_init (self, &self->sections[CATEGORIES], "categories", TRUE);
  section_init (self, &self->sections[TAGS], "tags", FALSE);
  self->search_words = g_new0 (char *, 1);
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
