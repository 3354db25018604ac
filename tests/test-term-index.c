/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-term-index.c: categories as "Parent › Child" paths, found by what people type (any case,
 * with or without accents), the right one of two same-named children, and the store's cache. */

#include "config.h"

#include <sqlite3.h>

#include "byline-term-cache.h"
#include "byline-term-index.h"
#include "byline-test-util.h"

static void
add_term (GPtrArray  *terms,
          gint64      id,
          const char *name,
          gint64      parent)
{
  BylineWpTerm *term = g_new0 (BylineWpTerm, 1);

  term->id = id;
  term->name = g_strdup (name);
  term->slug = g_strdup_printf ("slug-%" G_GINT64_FORMAT, id);
  term->parent = parent;
  g_ptr_array_add (terms, term);
}

/* A newsroom's categories: two "Press Releases" under different parents. */
static GPtrArray *
newsroom_categories (void)
{
  GPtrArray *terms = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_wp_term_free);

  add_term (terms, 3, "Press Releases", 1);
  add_term (terms, 1, "Europe", 0);
  add_term (terms, 5, "Briefings", 3);
  add_term (terms, 2, "Asia", 0);
  add_term (terms, 4, "Press Releases", 2);
  add_term (terms, 6, "Après-guerre", 0);
  return terms;
}

static gboolean
matches (const char *text,
         const char *typed)
{
  g_autofree char *key = byline_term_search_key (text);
  g_auto(GStrv) words = byline_term_search_words (typed);

  return byline_term_search_matches (key, (const char * const *) words);
}

static void
test_search (void)
{
  g_autofree char *key = byline_term_search_key ("Après");

  g_assert_cmpstr (key, ==, "apres");
  /* Accents and case, either way round. */
  g_assert_true (matches ("Après", "apres"));
  g_assert_true (matches ("Après", "APRÈS"));
  g_assert_true (matches ("Apres", "après"));
  g_assert_true (matches ("Élysée", "ELYSEE"));
  g_assert_true (matches ("Straße", "STRASSE"));
  /* A decomposed "é" (e and a combining accent) is an "é" too. */
  g_assert_true (matches ("Cafe\xcc\x81", "café"));
  /* Inside a name, and every word of what is typed, in any order. */
  g_assert_true (matches ("Europe › Press Releases", "releases"));
  g_assert_true (matches ("Europe › Press Releases", "press eur"));
  g_assert_false (matches ("Europe › Press Releases", "press asia"));
  g_assert_false (matches ("Après", "apres x"));
  g_assert_false (matches ("NATO", "nat0"));
  /* Nothing typed shows everything. */
  g_assert_true (matches ("Anything", ""));
  g_assert_true (matches ("Anything", "  "));
}

static void
test_paths (void)
{
  g_autoptr(GPtrArray) terms = newsroom_categories ();
  g_autoptr(BylineTermIndex) index = byline_term_index_new (terms, TRUE);
  static const char * const expected[] = {
    "Après-guerre",
    "Asia",
    "Asia › Press Releases",
    "Europe",
    "Europe › Press Releases",
    "Europe › Press Releases › Briefings",
  };
  g_auto(GStrv) split = byline_term_path_split (" Europe ›› Press Releases › ");

  g_assert_cmpuint (byline_term_index_get_n_terms (index), ==, G_N_ELEMENTS (expected));
  /* Children right after their parent, each level in order. */
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (byline_term_index_get_path (index, i), ==, expected[i]);
  g_assert_cmpint (byline_term_index_get_term (index, 2)->id, ==, 4);
  g_assert_cmpint (byline_term_index_get_term (index, 4)->id, ==, 3);
  g_assert_cmpstr (byline_term_index_get_search_key (index, 0), ==, "apres-guerre");

  g_assert_cmpuint (g_strv_length (split), ==, 2);
  g_assert_cmpstr (split[0], ==, "Europe");
  g_assert_cmpstr (split[1], ==, "Press Releases");
}

/* A parent loop in the site's data (or a parent not listed) ends the path, never the program. */
static void
test_paths_broken_parents (void)
{
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_wp_term_free);
  g_autoptr(BylineTermIndex) index = NULL;

  add_term (terms, 8, "Ping", 9);
  add_term (terms, 9, "Pong", 8);
  add_term (terms, 10, "Orphan", 99);
  index = byline_term_index_new (terms, TRUE);
  g_assert_cmpuint (byline_term_index_get_n_terms (index), ==, 3);
  g_assert_cmpstr (byline_term_index_get_path (index, 0), ==, "Orphan");
  g_assert_cmpstr (byline_term_index_get_path (index, 1), ==, "Ping › Pong");
  g_assert_cmpstr (byline_term_index_get_path (index, 2), ==, "Pong › Ping");
}

static gint64
lookup_id (BylineTermIndex *index,
           const char      *path)
{
  guint position = G_MAXUINT;

  g_assert_cmpint (byline_term_index_lookup (index, path, &position, NULL, NULL), ==,
                   BYLINE_TERM_LOOKUP_FOUND);
  return byline_term_index_get_term (index, position)->id;
}

static void
test_lookup (void)
{
  g_autoptr(GPtrArray) terms = newsroom_categories ();
  g_autoptr(BylineTermIndex) index = byline_term_index_new (terms, TRUE);
  guint n_found = 99;
  gint64 parent = -1;

  /* The same child name under two parents: the path says which. */
  g_assert_cmpint (lookup_id (index, "Asia › Press Releases"), ==, 4);
  g_assert_cmpint (lookup_id (index, "Europe › Press Releases"), ==, 3);
  g_assert_cmpint (lookup_id (index, "europe›press releases"), ==, 3);
  g_assert_cmpint (lookup_id (index, "Europe › Press Releases › Briefings"), ==, 5);
  /* A bare name (a draft from before paths): the top-level one, else the only one anywhere. */
  g_assert_cmpint (lookup_id (index, "Europe"), ==, 1);
  g_assert_cmpint (lookup_id (index, "briefings"), ==, 5);
  g_assert_cmpint (lookup_id (index, "Après-guerre"), ==, 6);
  /* ... but two same-named children and no top-level one cannot be told apart. */
  g_assert_cmpint (byline_term_index_lookup (index, "Press Releases", NULL, NULL, NULL), ==,
                   BYLINE_TERM_LOOKUP_AMBIGUOUS);
  /* Accents are part of a name: "Apres-guerre" is not that term. */
  g_assert_cmpint (byline_term_index_lookup (index, "Apres-guerre", NULL, NULL, NULL), ==,
                   BYLINE_TERM_LOOKUP_MISSING);

  /* What is missing, and under what it is to be made. */
  g_assert_cmpint (byline_term_index_lookup (index, "Europe › Speeches", NULL, &n_found, &parent),
                   ==, BYLINE_TERM_LOOKUP_MISSING);
  g_assert_cmpuint (n_found, ==, 1);
  g_assert_cmpint (parent, ==, 1);
  g_assert_cmpint (byline_term_index_lookup (index, "Africa › Press Releases", NULL, &n_found,
                                             &parent), ==, BYLINE_TERM_LOOKUP_MISSING);
  g_assert_cmpuint (n_found, ==, 0);
  g_assert_cmpint (parent, ==, 0);
  /* A path names its terms from the top: no "Briefings" is at the top. */
  g_assert_cmpint (byline_term_index_lookup (index, "Briefings › Notes", NULL, &n_found, &parent),
                   ==, BYLINE_TERM_LOOKUP_MISSING);
  g_assert_cmpuint (n_found, ==, 0);

  /* Once the site has a top-level "Press Releases", the bare name is that one. */
  add_term (terms, 7, "Press Releases", 0);
  g_clear_object (&index);
  index = byline_term_index_new (terms, TRUE);
  g_assert_cmpint (lookup_id (index, "Press Releases"), ==, 7);
  g_assert_cmpint (lookup_id (index, "Asia › Press Releases"), ==, 4);
}

/* Tags are flat: a name is the whole text, whatever it holds. */
static void
test_lookup_tags (void)
{
  g_autoptr(GPtrArray) terms = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_wp_term_free);
  g_autoptr(BylineTermIndex) index = NULL;

  add_term (terms, 20, "NATO", 0);
  add_term (terms, 21, "Before › After", 0);
  index = byline_term_index_new (terms, FALSE);
  g_assert_cmpstr (byline_term_index_get_path (index, 0), ==, "Before › After");
  g_assert_cmpint (lookup_id (index, "nato"), ==, 20);
  g_assert_cmpint (lookup_id (index, "Before › After"), ==, 21);
  g_assert_cmpint (byline_term_index_lookup (index, "After", NULL, NULL, NULL), ==,
                   BYLINE_TERM_LOOKUP_MISSING);
}

static void
test_cache (void)
{
  g_autofree char *dir = byline_test_make_tmpdir ("term-cache");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineStore) store = byline_store_open (path, &error);
  g_autoptr(BylineTermCache) cache = NULL;
  g_autoptr(GPtrArray) terms = newsroom_categories ();
  g_autoptr(GPtrArray) loaded = NULL;
  gint64 before = g_get_real_time ();
  gint64 fetched_at = 0;
  sqlite3 *db = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  g_assert_cmpint (sqlite3_exec (db, "INSERT INTO accounts (id, site_url, api_root, username, "
                                 "created_at) VALUES (1, 'https://a', 'https://a/wp-json/', "
                                 "'u', 0)", NULL, NULL, NULL), ==, SQLITE_OK);

  cache = byline_term_cache_new (store);
  /* Nothing kept yet: no list, and no error. */
  g_assert_null (byline_term_cache_load (cache, 1, "categories", NULL, &error));
  g_assert_no_error (error);

  g_assert_true (byline_term_cache_save (cache, 1, "categories", terms, &error));
  g_assert_no_error (error);
  loaded = byline_term_cache_load (cache, 1, "categories", &fetched_at, &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpint (fetched_at, >=, before);
  g_assert_cmpuint (loaded->len, ==, terms->len);
  for (guint i = 0; i < terms->len; i++)
    {
      BylineWpTerm *a = g_ptr_array_index (terms, i);
      BylineWpTerm *b = g_ptr_array_index (loaded, i);

      g_assert_cmpint (a->id, ==, b->id);
      g_assert_cmpstr (a->name, ==, b->name);
      g_assert_cmpstr (a->slug, ==, b->slug);
      g_assert_cmpint (a->parent, ==, b->parent);
    }
  /* Per taxonomy: the tags are not the categories. */
  g_assert_null (byline_term_cache_load (cache, 1, "tags", NULL, &error));
  g_assert_no_error (error);

  /* Removing the account removes what was kept for it. */
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA foreign_keys = ON; DELETE FROM accounts WHERE id = 1",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_null (byline_term_cache_load (cache, 1, "categories", NULL, &error));
  g_assert_no_error (error);
  sqlite3_close (db);
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);

  g_test_add_func ("/core/term-index/search", test_search);
  g_test_add_func ("/core/term-index/paths", test_paths);
  g_test_add_func ("/core/term-index/paths-broken-parents", test_paths_broken_parents);
  g_test_add_func ("/core/term-index/lookup", test_lookup);
  g_test_add_func ("/core/term-index/lookup-tags", test_lookup_tags);
  g_test_add_func ("/core/term-index/cache", test_cache);

  return g_test_run ();
}
