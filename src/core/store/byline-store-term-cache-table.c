/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-term-cache-table.c: the SQL of the term_cache table (each account's categories
 * and tags as last listed, one JSON array per taxonomy).
 *
 * Callers hold the store's lock around these. */

#include "config.h"

#include "byline-store-term-cache-table.h"

static const char load_sql[] =
  "SELECT terms, fetched_at FROM term_cache WHERE account_id = ?1 AND taxonomy = ?2";
static const char save_sql[] =
  "INSERT OR REPLACE INTO term_cache (account_id, taxonomy, terms, fetched_at)"
  " VALUES (?1, ?2, ?3, ?4)";

char *
byline_store_term_cache_table_load (BylineSqliteConnection  *conn,
                                    gint64                   account_id,
                                    const char              *taxonomy,
                                    gint64                  *fetched_at,
                                    GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, load_sql, error)))
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_text (stmt, 2, taxonomy);
  if (!byline_sqlite_statement_step (stmt, error))
    return NULL;
  if (fetched_at != NULL)
    *fetched_at = byline_sqlite_statement_get_int64 (stmt, 1);
  return byline_sqlite_statement_dup_text (stmt, 0);
}

gboolean
byline_store_term_cache_table_save (BylineSqliteConnection  *conn,
                                    gint64                   account_id,
                                    const char              *taxonomy,
                                    const char              *terms,
                                    gint64                   fetched_at,
                                    GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, save_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, account_id);
  byline_sqlite_statement_bind_text (stmt, 2, taxonomy);
  byline_sqlite_statement_bind_text (stmt, 3, terms);
  byline_sqlite_statement_bind_int64 (stmt, 4, fetched_at);
  return byline_sqlite_statement_run (stmt, error);
}
