/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-accounts.c: the WordPress accounts kept in the store, with passwords in the Secret Service.
 *
 * The store holds what can be shown (site, user, capabilities); the Application Password is
 * stored in the user's keyring under the account's API root and user name, never in a file. */

#define G_LOG_DOMAIN "byline-accounts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "byline-accounts.h"
#include "byline-store-private.h"

struct _BylineAccounts
{
  GObject      parent_instance;

  BylineStore *store;
};

G_DEFINE_FINAL_TYPE (BylineAccounts, byline_accounts, G_TYPE_OBJECT)
G_DEFINE_QUARK (byline-accounts-error-quark, byline_accounts_error)

#define ACCOUNT_COLUMNS \
  "id, site_url, api_root, username, display_name, site_name, capabilities, timezone, " \
  "gmt_offset, created_at"

static const SecretSchema *
get_secret_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".Account", SECRET_SCHEMA_NONE,
    {
      { "api-root", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "username", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    }
  };

  return &schema;
}

static void
set_keyring_error (GError     **error,
                   const GError *cause)
{
  g_set_error (error, BYLINE_ACCOUNTS_ERROR, BYLINE_ACCOUNTS_ERROR_NO_KEYRING,
               _("The password could not be kept in your keyring (%s). Byline never writes "
                 "passwords to a file; start or unlock your keyring and try again."),
               cause ? cause->message : _("no Secret Service is running"));
}

static BylineAccount *
account_from_row (sqlite3_stmt *stmt)
{
#define TEXT(i) ((const char *) sqlite3_column_text (stmt, i))
  BylineAccount *account = byline_account_new (TEXT (1), TEXT (2), TEXT (3));

  byline_account_set_id (account, sqlite3_column_int64 (stmt, 0));
  byline_account_set_display_name (account, TEXT (4));
  byline_account_set_site_name (account, TEXT (5));
  byline_account_set_capabilities (account, sqlite3_column_int (stmt, 6));
  byline_account_set_timezone (account, TEXT (7), sqlite3_column_double (stmt, 8));
  byline_account_set_created_at (account, sqlite3_column_int64 (stmt, 9));
#undef TEXT
  return account;
}

/* Runs a SELECT of ACCOUNT_COLUMNS with one optional id parameter. */
static GPtrArray *
query_accounts (BylineAccounts  *self,
                const char      *sql,
                gint64           id,
                GError         **error)
{
  g_autoptr(GPtrArray) accounts = g_ptr_array_new_with_free_func (g_object_unref);
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  int rc;

  if (!(db = _byline_store_lock_db (self->store, error)))
    return NULL;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK && id > 0)
    sqlite3_bind_int64 (stmt, 1, id);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_ptr_array_add (accounts, account_from_row (stmt));
      rc = SQLITE_OK;
    }
  if (rc != SQLITE_DONE)
    _byline_store_set_error (self->store, rc, _("Could not read the accounts"), error);
  sqlite3_finalize (stmt);
  _byline_store_unlock (self->store);

  return rc == SQLITE_DONE ? g_steal_pointer (&accounts) : NULL;
}

BylineStore *
byline_accounts_get_store (BylineAccounts *self)
{
  g_return_val_if_fail (BYLINE_IS_ACCOUNTS (self), NULL);

  return self->store;
}

GPtrArray *
byline_accounts_list (BylineAccounts  *self,
                      GError         **error)
{
  g_return_val_if_fail (BYLINE_IS_ACCOUNTS (self), NULL);

  return query_accounts (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts ORDER BY created_at, id",
                         0, error);
}

char *
byline_accounts_dup_byline (BylineAccounts *self)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  BylineAccount *oldest;

  g_return_val_if_fail (BYLINE_IS_ACCOUNTS (self), NULL);

  accounts = byline_accounts_list (self, &error);
  if (accounts == NULL)
    {
      g_debug ("No byline from the accounts: %s", error->message);
      return NULL;
    }
  if (accounts->len == 0)
    return NULL;
  oldest = g_ptr_array_index (accounts, 0);
  return g_strdup (*byline_account_get_display_name (oldest) != '\0'
                   ? byline_account_get_display_name (oldest)
                   : byline_account_get_username (oldest));
}

BylineAccount *
byline_accounts_load (BylineAccounts  *self,
                      gint64           id,
                      GError         **error)
{
  g_autoptr(GPtrArray) found = NULL;

  g_return_val_if_fail (BYLINE_IS_ACCOUNTS (self), NULL);

  found = query_accounts (self, "SELECT " ACCOUNT_COLUMNS " FROM accounts WHERE id = ?1", id, error);
  if (found == NULL)
    return NULL;
  if (found->len == 0)
    {
      g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND,
                   _("There is no account %lld"), (long long) id);
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (found, 0));
}

/* Inserts or updates the row of (api_root, username) and returns its id, or 0. */
static gint64
upsert_account (BylineAccounts  *self,
                BylineAccount   *account,
                GError         **error)
{
  static const char sql[] =
    "INSERT INTO accounts (site_url, api_root, username, display_name, site_name, capabilities,"
    "                      timezone, gmt_offset, created_at)"
    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)"
    " ON CONFLICT (api_root, username) DO UPDATE SET site_url = ?1, display_name = ?4,"
    "   site_name = ?5, capabilities = ?6, timezone = ?7, gmt_offset = ?8"
    " RETURNING id";
  sqlite3_stmt *stmt = NULL;
  gint64 id = 0;
  sqlite3 *db;
  int rc;

  if (!(db = _byline_store_lock_db (self->store, error)))
    return 0;

  rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, byline_account_get_site_url (account), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, byline_account_get_api_root (account), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 3, byline_account_get_username (account), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 4, byline_account_get_display_name (account), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 5, byline_account_get_site_name (account), -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 6, byline_account_get_capabilities (account));
      sqlite3_bind_text (stmt, 7, byline_account_get_timezone (account), -1, SQLITE_STATIC);
      sqlite3_bind_double (stmt, 8, byline_account_get_gmt_offset (account));
      sqlite3_bind_int64 (stmt, 9, g_get_real_time ());
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_ROW)
        {
          id = sqlite3_column_int64 (stmt, 0);
          rc = sqlite3_step (stmt);
        }
    }
  if (rc != SQLITE_DONE)
    {
      _byline_store_set_error (self->store, rc, _("Could not keep the account"), error);
      id = 0;
    }
  sqlite3_finalize (stmt);
  _byline_store_unlock (self->store);

  return id;
}

gboolean
byline_accounts_add (BylineAccounts  *self,
                     BylineAccount   *account,
                     const char      *password,
                     GError         **error)
{
  g_autoptr(GError) secret_error = NULL;
  g_autofree char *label = NULL;
  gint64 id;

  g_return_val_if_fail (BYLINE_IS_ACCOUNTS (self), FALSE);
  g_return_val_if_fail (BYLINE_IS_ACCOUNT (account), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  /* The secret first: an account whose password was not kept would be useless. */
  label = g_strdup_printf (_("Byline: %s on %s"), byline_account_get_username (account),
                           byline_account_get_site_url (account));
  if (!secret_password_store_sync (get_secret_schema (), SECRET_COLLECTION_DEFAULT, label,
                                   password, NULL, &secret_error,
                                   "api-root", byline_account_get_api_root (account),
                                   "username", byline_account_get_username (account),
                                   NULL))
    {
      set_keyring_error (error, secret_error);
      return FALSE;
    }

  id = upsert_account (self, account, error);
  if (id == 0)
    {
      secret_password_clear_sync (get_secret_schema (), NULL, NULL,
                                  "api-root", byline_account_get_api_root (account),
                                  "username", byline_account_get_username (account),
                                  NULL);
      return FALSE;
    }
  byline_account_set_id (account, id);
  return TRUE;
}

gboolean
byline_accounts_remove (BylineAccounts  *self,
                        gint64           id,
                        GError         **error)
{
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GError) secret_error = NULL;
  sqlite3_stmt *stmt = NULL;
  sqlite3 *db;
  int rc;

  g_return_val_if_fail (BYLINE_IS_ACCOUNTS (self), FALSE);

  if (!(account = byline_accounts_load (self, id, error)))
    return FALSE;

  /* The secret first: an account removed from the list must not leave its password behind. */
  secret_password_clear_sync (get_secret_schema (), NULL, &secret_error,
                              "api-root", byline_account_get_api_root (account),
                              "username", byline_account_get_username (account),
                              NULL);
  if (secret_error != NULL)
    {
      set_keyring_error (error, secret_error);
      return FALSE;
    }

  if (!(db = _byline_store_lock_db (self->store, error)))
    return FALSE;
  rc = sqlite3_prepare_v2 (db, "DELETE FROM accounts WHERE id = ?1", -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      rc = sqlite3_step (stmt);
    }
  if (rc != SQLITE_DONE)
    _byline_store_set_error (self->store, rc, _("Could not remove the account"), error);
  sqlite3_finalize (stmt);
  _byline_store_unlock (self->store);

  return rc == SQLITE_DONE;
}

char *
byline_accounts_lookup_password (BylineAccounts  *self,
                                 BylineAccount   *account,
                                 GError         **error)
{
  g_autoptr(GError) secret_error = NULL;
  char *password;

  g_return_val_if_fail (BYLINE_IS_ACCOUNTS (self), NULL);
  g_return_val_if_fail (BYLINE_IS_ACCOUNT (account), NULL);

  password = secret_password_lookup_sync (get_secret_schema (), NULL, &secret_error,
                                          "api-root", byline_account_get_api_root (account),
                                          "username", byline_account_get_username (account),
                                          NULL);
  if (secret_error != NULL)
    {
      set_keyring_error (error, secret_error);
      return NULL;
    }
  if (password == NULL)
    {
      g_autofree char *label = byline_account_dup_label (account);

      g_set_error (error, BYLINE_ACCOUNTS_ERROR, BYLINE_ACCOUNTS_ERROR_NO_PASSWORD,
                   _("Your keyring has no password for %s. Sign in to the site again."), label);
      return NULL;
    }
  /* Out of libsecret's non-pageable memory into an ordinary string the client can send. */
  {
    char *copy = g_strdup (password);

    secret_password_free (password);
    return copy;
  }
}

static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  GError *error = NULL;
  char *password = byline_accounts_lookup_password (source_object, task_data, &error);

  if (password == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, password, g_free);
}

void
byline_accounts_connect_async (BylineAccounts      *self,
                               gint64               id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  BylineAccount *account;

  g_return_if_fail (BYLINE_IS_ACCOUNTS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_accounts_connect_async);
  if (!(account = byline_accounts_load (self, id, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, account, g_object_unref);
  g_task_run_in_thread (task, connect_thread);
}

BylineWpClient *
byline_accounts_connect_finish (BylineAccounts  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  BylineAccount *account;
  g_autofree char *password = NULL;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (!(password = g_task_propagate_pointer (G_TASK (result), error)))
    return NULL;
  /* Made here, not in the thread: a client belongs to the thread that made it. */
  account = g_task_get_task_data (G_TASK (result));
  return byline_wp_client_new (byline_account_get_api_root (account),
                               byline_account_get_username (account), password);
}

static void
byline_accounts_dispose (GObject *object)
{
  BylineAccounts *self = BYLINE_ACCOUNTS (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (byline_accounts_parent_class)->dispose (object);
}

static void
byline_accounts_class_init (BylineAccountsClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = byline_accounts_dispose;
}

static void
byline_accounts_init (BylineAccounts *self)
{
}

BylineAccounts *
byline_accounts_new (BylineStore *store)
{
  BylineAccounts *self;

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);

  self = g_object_new (BYLINE_TYPE_ACCOUNTS, NULL);
  self->store = g_object_ref (store);
  return self;
}
