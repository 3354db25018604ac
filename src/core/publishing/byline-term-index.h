/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-term-index.h: a site's categories or tags as people name and search them. */
#pragma once

#include <glib-object.h>

#include "byline-wp-client.h"

G_BEGIN_DECLS

/* Between a category's parents and its own name: "Europe › Press Releases". A draft keeps its
 * categories as such paths, so that two children of the same name under different parents stay
 * apart; a bare name (older drafts, the command line) still works when it is not ambiguous. */
#define BYLINE_TERM_PATH_SEPARATOR " › "

typedef enum {
  BYLINE_TERM_LOOKUP_FOUND,
  BYLINE_TERM_LOOKUP_MISSING,    /* the site has no such term (its first segments may exist) */
  BYLINE_TERM_LOOKUP_AMBIGUOUS,  /* a bare name that several categories, none at the top, have */
} BylineTermLookup;

#define BYLINE_TYPE_TERM_INDEX (byline_term_index_get_type ())
G_DECLARE_FINAL_TYPE (BylineTermIndex, byline_term_index, BYLINE, TERM_INDEX, GObject)

/* @text casefolded and without accents, for searching: "Après" and "APRES" both give "apres". */
char            *byline_term_search_key      (const char          *text);
/* The words of what was typed, each as a search key. */
GStrv            byline_term_search_words    (const char          *typed);
/* TRUE when every one of @words is in @key (a search key); no words match everything. */
gboolean         byline_term_search_matches  (const char          *key,
                                              const char * const  *words);
/* The names in a path, trimmed, without empty ones. */
GStrv            byline_term_path_split      (const char          *path);
/* Casefolded (accents kept): two names are the same term's when their name keys are equal. */
char            *byline_term_name_key        (const char          *name);

/* @terms (BylineWpTerm, copied) sorted by their paths. With @hierarchical FALSE (tags), a path
 * is just the name and lookups do not split it. */
BylineTermIndex *byline_term_index_new       (GPtrArray           *terms,
                                              gboolean             hierarchical);
guint            byline_term_index_get_n_terms (BylineTermIndex   *self);
const BylineWpTerm *byline_term_index_get_term (BylineTermIndex   *self,
                                              guint                position);
/* "Parent › Child", from the top. */
const char      *byline_term_index_get_path  (BylineTermIndex     *self,
                                              guint                position);
/* The path's search key. */
const char      *byline_term_index_get_search_key (BylineTermIndex *self,
                                              guint                position);
/* Which term @path names. A path of several names is followed from the top; a bare name is the
 * top-level term of that name, else the only one of that name at any level. FOUND sets
 * @position. MISSING sets @n_found to how many leading names of the path exist and @parent_id to
 * the id of the last of them (0: none), under which the rest is to be made. */
BylineTermLookup byline_term_index_lookup    (BylineTermIndex     *self,
                                              const char          *path,
                                              guint               *position,
                                              guint               *n_found,
                                              gint64              *parent_id);

G_END_DECLS
