/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-term-cache-table.h: the SQL of the term_cache table (each account's categories
 * and tags as last listed, one JSON array per taxonomy). */
#pragma once

#include "byline-sqlite-connection.h"

G_BEGIN_DECLS

/* The terms of @taxonomy kept for @account_id (JSON) and when they were listed (@fetched_at,
 * nullable); NULL with @error set on a failure, unset when none are kept. */
char     *byline_store_term_cache_table_load (BylineSqliteConnection  *conn,
                                              gint64                   account_id,
                                              const char              *taxonomy,
                                              gint64                  *fetched_at,
                                              GError                 **error);
/* Keeps @terms (JSON) of @taxonomy for @account_id, listed at @fetched_at, instead of those
 * kept before. */
gboolean  byline_store_term_cache_table_save (BylineSqliteConnection  *conn,
                                              gint64                   account_id,
                                              const char              *taxonomy,
                                              const char              *terms,
                                              gint64                   fetched_at,
                                              GError                 **error);

G_END_DECLS
