/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-term-index.c: a site's categories or tags as people name and search them.
 *
 * WordPress tells categories apart by id; people, by name, and a newsroom may well have a
 * "Press Releases" under "Europe" and another under "Asia". The index gives every term its path
 * from the top, and finds the term a path names, so that the id sent is the one that was meant. */

#define G_LOG_DOMAIN "byline-terms"

#include "config.h"

#include <string.h>

#include "byline-term-index.h"

/* Parents deeper than this are taken for a loop in the site's data. */
#define MAX_DEPTH 32

typedef struct {
  BylineWpTerm *term;
  char         *path;
  char         *search_key;
  char         *name_key;
  GStrv         sort_keys;    /* one per name in the path */
} Entry;

struct _BylineTermIndex
{
  GObject   parent_instance;

  GArray   *entries;       /* Entry, sorted by path */
  gboolean  hierarchical;
};

G_DEFINE_FINAL_TYPE (BylineTermIndex, byline_term_index, G_TYPE_OBJECT)

char *
byline_term_search_key (const char *text)
{
  g_autofree char *decomposed = NULL;
  g_autoptr(GString) bare = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  /* Decomposed, an accented letter is the letter and a combining mark: drop the marks. */
  decomposed = g_utf8_normalize (text, -1, G_NORMALIZE_NFKD);
  if (decomposed == NULL)
    return g_utf8_casefold (text, -1);
  bare = g_string_sized_new (strlen (decomposed));
  for (const char *p = decomposed; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (!g_unichar_ismark (c))
        g_string_append_unichar (bare, c);
    }
  return g_utf8_casefold (bare->str, (gssize) bare->len);
}

GStrv
byline_term_search_words (const char *typed)
{
  g_autofree char *key = byline_term_search_key (typed ? typed : "");
  g_auto(GStrv) parts = g_strsplit_set (key, " \t\n›", -1);
  g_autoptr(GStrvBuilder) words = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    if (*parts[i] != '\0')
      g_strv_builder_add (words, parts[i]);
  return g_strv_builder_end (words);
}

gboolean
byline_term_search_matches (const char         *key,
                            const char * const *words)
{
  g_return_val_if_fail (key != NULL, FALSE);

  for (guint i = 0; words != NULL && words[i] != NULL; i++)
    if (strstr (key, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

GStrv
byline_term_path_split (const char *path)
{
  g_auto(GStrv) parts = g_strsplit (path ? path : "", "›", -1);
  g_autoptr(GStrvBuilder) names = g_strv_builder_new ();

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *name = g_strstrip (parts[i]);

      if (*name != '\0')
        g_strv_builder_add (names, name);
    }
  return g_strv_builder_end (names);
}

char *
byline_term_name_key (const char *name)
{
  g_autofree char *normalized = NULL;

  g_return_val_if_fail (name != NULL, NULL);

  normalized = g_utf8_normalize (name, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  return g_utf8_casefold (normalized ? normalized : name, -1);
}

static void
entry_clear (gpointer data)
{
  Entry *entry = data;

  byline_wp_term_free (entry->term);
  g_free (entry->path);
  g_free (entry->search_key);
  g_free (entry->name_key);
  g_strfreev (entry->sort_keys);
}

/* Name by name, so that children come right after their parent, and each level in the
 * locale's order. */
static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  char * const *keys_a = ((const Entry *) a)->sort_keys;
  char * const *keys_b = ((const Entry *) b)->sort_keys;
  guint i;

  for (i = 0; keys_a[i] != NULL && keys_b[i] != NULL; i++)
    {
      int order = strcmp (keys_a[i], keys_b[i]);

      if (order != 0)
        return order;
    }
  return keys_a[i] != NULL ? 1 : keys_b[i] != NULL ? -1 : 0;
}

/* "Grandparent › Parent › Name"; a parent the list lacks ends the path there. */
static char *
build_path (GHashTable         *by_id,
            const BylineWpTerm *term)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  const BylineWpTerm *step = term;

  for (guint depth = 0; step != NULL && depth < MAX_DEPTH; depth++)
    {
      /* A term met again: the parents loop. */
      if (!g_hash_table_add (seen, (gpointer) &step->id))
        break;
      g_ptr_array_insert (names, 0, step->name);
      if (step->parent <= 0)
        break;
      step = g_hash_table_lookup (by_id, &step->parent);
    }
  g_ptr_array_add (names, NULL);
  return g_strjoinv (BYLINE_TERM_PATH_SEPARATOR, (char **) names->pdata);
}

BylineTermIndex *
byline_term_index_new (GPtrArray *terms,
                       gboolean   hierarchical)
{
  BylineTermIndex *self;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_int64_hash, g_int64_equal);

  g_return_val_if_fail (terms != NULL, NULL);

  self = g_object_new (BYLINE_TYPE_TERM_INDEX, NULL);
  self->hierarchical = hierarchical;
  for (guint i = 0; i < terms->len; i++)
    {
      BylineWpTerm *term = g_ptr_array_index (terms, i);

      g_hash_table_insert (by_id, &term->id, term);
    }
  g_array_set_size (self->entries, terms->len);
  for (guint i = 0; i < terms->len; i++)
    {
      const BylineWpTerm *term = g_ptr_array_index (terms, i);
      Entry *entry = &g_array_index (self->entries, Entry, i);
      g_auto(GStrv) names = NULL;

      entry->term = byline_wp_term_copy (term);
      if (!hierarchical)
        entry->term->parent = 0;
      entry->path = hierarchical ? build_path (by_id, term) : g_strdup (term->name);
      entry->search_key = byline_term_search_key (entry->path);
      entry->name_key = byline_term_name_key (term->name);
      names = hierarchical ? byline_term_path_split (entry->path) : NULL;
      entry->sort_keys = g_new0 (char *, (names ? g_strv_length (names) : 1) + 1);
      for (guint n = 0; names ? names[n] != NULL : n < 1; n++)
        {
          g_autofree char *folded = g_utf8_casefold (names ? names[n] : term->name, -1);

          entry->sort_keys[n] = g_utf8_collate_key_for_filename (folded, -1);
        }
    }
  g_array_sort (self->entries, compare_entries);
  return self;
}

guint
byline_term_index_get_n_terms (BylineTermIndex *self)
{
  g_return_val_if_fail (BYLINE_IS_TERM_INDEX (self), 0);

  return self->entries->len;
}

const BylineWpTerm *
byline_term_index_get_term (BylineTermIndex *self,
                            guint            position)
{
  g_return_val_if_fail (BYLINE_IS_TERM_INDEX (self), NULL);
  g_return_val_if_fail (position < self->entries->len, NULL);

  return g_array_index (self->entries, Entry, position).term;
}

const char *
byline_term_index_get_path (BylineTermIndex *self,
                            guint            position)
{
  g_return_val_if_fail (BYLINE_IS_TERM_INDEX (self), NULL);
  g_return_val_if_fail (position < self->entries->len, NULL);

  return g_array_index (self->entries, Entry, position).path;
}

const char *
byline_term_index_get_search_key (BylineTermIndex *self,
                                  guint            position)
{
  g_return_val_if_fail (BYLINE_IS_TERM_INDEX (self), NULL);
  g_return_val_if_fail (position < self->entries->len, NULL);

  return g_array_index (self->entries, Entry, position).search_key;
}

/* The position of the term called @name_key under @parent_id, or -1. */
static int
find_child (BylineTermIndex *self,
            gint64           parent_id,
            const char      *name_key)
{
  for (guint i = 0; i < self->entries->len; i++)
    {
      const Entry *entry = &g_array_index (self->entries, Entry, i);

      if (entry->term->parent == parent_id && g_str_equal (entry->name_key, name_key))
        return (int) i;
    }
  return -1;
}

BylineTermLookup
byline_term_index_lookup (BylineTermIndex *self,
                          const char      *path,
                          guint           *position,
                          guint           *n_found,
                          gint64          *parent_id)
{
  g_auto(GStrv) names = NULL;
  guint n_names;
  gint64 parent = 0;
  int found = -1;

  g_return_val_if_fail (BYLINE_IS_TERM_INDEX (self), BYLINE_TERM_LOOKUP_MISSING);
  g_return_val_if_fail (path != NULL, BYLINE_TERM_LOOKUP_MISSING);

  if (n_found != NULL)
    *n_found = 0;
  if (parent_id != NULL)
    *parent_id = 0;

  if (self->hierarchical)
    names = byline_term_path_split (path);
  else
    {
      names = g_new0 (char *, 2);
      names[0] = g_strstrip (g_strdup (path));
    }
  n_names = g_strv_length (names);
  if (n_names == 0 || *names[0] == '\0')
    return BYLINE_TERM_LOOKUP_MISSING;

  if (n_names == 1)
    {
      g_autofree char *key = byline_term_name_key (names[0]);
      guint matches = 0;

      found = find_child (self, 0, key);
      /* A bare name that is not at the top: a child's, if only one child has it. */
      for (guint i = 0; found < 0 && i < self->entries->len; i++)
        if (g_str_equal (g_array_index (self->entries, Entry, i).name_key, key))
          {
            matches++;
            if (position != NULL)
              *position = i;
          }
      if (found >= 0)
        {
          if (position != NULL)
            *position = (guint) found;
          return BYLINE_TERM_LOOKUP_FOUND;
        }
      return matches == 1 ? BYLINE_TERM_LOOKUP_FOUND
             : matches > 1 ? BYLINE_TERM_LOOKUP_AMBIGUOUS
             : BYLINE_TERM_LOOKUP_MISSING;
    }

  for (guint i = 0; i < n_names; i++)
    {
      g_autofree char *key = byline_term_name_key (names[i]);

      found = find_child (self, parent, key);
      if (found < 0)
        {
          if (n_found != NULL)
            *n_found = i;
          if (parent_id != NULL)
            *parent_id = parent;
          return BYLINE_TERM_LOOKUP_MISSING;
        }
      parent = g_array_index (self->entries, Entry, found).term->id;
    }
  if (position != NULL)
    *position = (guint) found;
  return BYLINE_TERM_LOOKUP_FOUND;
}

static void
byline_term_index_finalize (GObject *object)
{
  BylineTermIndex *self = BYLINE_TERM_INDEX (object);

  g_array_unref (self->entries);

  G_OBJECT_CLASS (byline_term_index_parent_class)->finalize (object);
}

static void
byline_term_index_class_init (BylineTermIndexClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = byline_term_index_finalize;
}

static void
byline_term_index_init (BylineTermIndex *self)
{
  self->entries = g_array_new (FALSE, TRUE, sizeof (Entry));
  g_array_set_clear_func (self->entries, entry_clear);
}
