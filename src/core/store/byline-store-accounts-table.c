/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-accounts-table.c: the SQL of the accounts table (sites signed in to, no secrets).
 *
 * Callers hold the store's lock (_byline_store_lock) around these. */

#include "config.h"

#include "byline-store-accounts-table.h"

#define ACCOUNT_COLUMNS \
  "id, site_url, api_root, username, display_name, site_name, capabilities, timezone, " \
  "gmt_offset, created_at"

static const char list_sql[] =
  "SELECT " ACCOUNT_COLUMNS " FROM accounts ORDER BY created_at, id";
static const char load_sql[] =
  "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE id = ?1";
static const char upsert_sql[] =
  "INSERT INTO accounts (site_url, api_root, username, display_name, site_name, capabilities,"
  "                      timezone, gmt_offset, created_at)"
  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
  " ON CONFLICT (api_root, username) DO UPDATE SET site_url = ?1, display_name = ?4,"
  "   site_name = ?5, capabilities = ?6, timezone = ?7, gmt_offset = ?8"
  " RETURNING id";
static const char delete_sql[] =
  "DELETE FROM accounts WHERE id = ?1";

/* The account of the row @stmt is on, read in ACCOUNT_COLUMNS' order. */
static BylineAccount *
account_from_row (BylineSqliteStatement *stmt)
{
  BylineAccount *account = byline_account_new (byline_sqlite_statement_get_text (stmt, 1),
                                               byline_sqlite_statement_get_text (stmt, 2),
                                               byline_sqlite_statement_get_text (stmt, 3));

  byline_account_set_id (account, byline_sqlite_statement_get_int64 (stmt, 0));
  byline_account_set_display_name (account, byline_sqlite_statement_get_text (stmt, 4));
  byline_account_set_site_name (account, byline_sqlite_statement_get_text (stmt, 5));
  byline_account_set_capabilities (account, byline_sqlite_statement_get_int64 (stmt, 6));
  byline_account_set_timezone (account, byline_sqlite_statement_get_text (stmt, 7),
                               byline_sqlite_statement_get_double (stmt, 8));
  byline_account_set_created_at (account, byline_sqlite_statement_get_int64 (stmt, 9));
  return account;
}

GPtrArray *
byline_store_accounts_table_list (BylineSqliteConnection  *conn,
                                  GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  GError *local_error = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, list_sql, error)))
    return NULL;
  while (byline_sqlite_statement_step (stmt, &local_error))
    g_ptr_array_add (accounts, account_from_row (stmt));
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  return g_steal_pointer (&accounts);
}

BylineAccount *
byline_store_accounts_table_load (BylineSqliteConnection  *conn,
                                  gint64                   id,
                                  GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, load_sql, error)))
    return NULL;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  if (!byline_sqlite_statement_step (stmt, error))
    return NULL;
  return account_from_row (stmt);
}

gint64
byline_store_accounts_table_upsert (BylineSqliteConnection  *conn,
                                    BylineAccount           *account,
                                    gint64                   created_at,
                                    GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;
  GError *local_error = NULL;
  gint64 id;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, upsert_sql, error)))
    return 0;
  byline_sqlite_statement_bind_text (stmt, 1, byline_account_get_site_url (account));
  byline_sqlite_statement_bind_text (stmt, 2, byline_account_get_api_root (account));
  byline_sqlite_statement_bind_text (stmt, 3, byline_account_get_username (account));
  byline_sqlite_statement_bind_text (stmt, 4, byline_account_get_display_name (account));
  byline_sqlite_statement_bind_text (stmt, 5, byline_account_get_site_name (account));
  byline_sqlite_statement_bind_int64 (stmt, 6, byline_account_get_capabilities (account));
  byline_sqlite_statement_bind_text (stmt, 7, byline_account_get_timezone (account));
  byline_sqlite_statement_bind_double (stmt, 8, byline_account_get_gmt_offset (account));
  byline_sqlite_statement_bind_int64 (stmt, 9, created_at);
  /* The first step makes the change and gives RETURNING's row; outside a transaction the
   * commit happens when the statement ends, so it is stepped to its end, where a failed commit
   * (a full disk) is told, rather than left to the reset, which cannot tell it. */
  if (!byline_sqlite_statement_step (stmt, error))
    return 0;
  id = byline_sqlite_statement_get_int64 (stmt, 0);
  while (byline_sqlite_statement_step (stmt, &local_error))
    ;
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return 0;
    }
  return id;
}

gboolean
byline_store_accounts_table_delete (BylineSqliteConnection  *conn,
                                    gint64                   id,
                                    GError                 **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  if (!(stmt = byline_sqlite_connection_get_statement (conn, delete_sql, error)))
    return FALSE;
  byline_sqlite_statement_bind_int64 (stmt, 1, id);
  return byline_sqlite_statement_run (stmt, error);
}
