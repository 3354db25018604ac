/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-accounts.c: the WordPress accounts kept in the store, with passwords in the Secret Service.
 *
 * The store holds what can be shown (site, user, capabilities); the Application Password is
 * stored in the user's keyring under the account's API root and user name, never in a file.
 *
 * Each account has one WordPress client (one SoupSession, its connections kept alive) that every
 * part of Byline shares: made once the keyring gave the password, kept until the account is
 * updated (its password may have changed) or removed. Callers that ask while the keyring is
 * being asked wait for the same answer. */

#define G_LOG_DOMAIN "byline-accounts"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <libsecret/secret.h>

#include "byline-accounts.h"
#include "byline-store-accounts-table.h"
#include "byline-store-private.h"

struct _BylineAccounts
{
  GObject       parent_instance;

  BylineStore  *store;
  GMainContext *context;     /* where the shared clients are made, used and let go */

  /* Adding and removing accounts happens in worker threads too: this guards what follows. */
  GMutex        mutex;
  GHashTable   *clients;     /* account id → BylineWpClient */
  GHashTable   *connecting;  /* account id → Connection, while its password is looked up */
};

G_DEFINE_FINAL_TYPE (BylineAccounts, byline_accounts, G_TYPE_OBJECT)
G_DEFINE_QUARK (byline-accounts-error-quark, byline_accounts_error)

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
  BylineSqliteConnection *conn;
  GPtrArray *accounts;

  g_return_val_if_fail (BYLINE_IS_ACCOUNTS (self), NULL);

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  accounts = byline_store_accounts_table_list (conn, error);
  _byline_store_unlock (self->store);
  return accounts;
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
  g_autoptr(GError) local_error = NULL;
  BylineSqliteConnection *conn;
  BylineAccount *account;

  g_return_val_if_fail (BYLINE_IS_ACCOUNTS (self), NULL);

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  account = byline_store_accounts_table_load (conn, id, &local_error);
  _byline_store_unlock (self->store);
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (account == NULL)
    g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND,
                 _("There is no account %lld"), (long long) id);
  return account;
}

/* One client per account */

/* The keyring look-up for an account's client, and the callers waiting for it. */
typedef struct {
  BylineAccounts *self;
  gint64          id;
  GPtrArray      *waiters;   /* GTask, one per caller */
  guint           shared : 1; /* in self->connecting, its client to be kept in self->clients */
  guint           stale : 1;  /* the account changed or went meanwhile: its answer is old */
} Connection;

static gint64 *
int64_key (gint64 value)
{
  return g_memdup2 (&value, sizeof value);
}

static gboolean
unref_client_cb (gpointer client)
{
  g_object_unref (client);
  return G_SOURCE_REMOVE;
}

/* Forgets the client of account @id, whose password changed or went, and tells a look-up under
 * way for it that its answer is out of date. Any thread: the client is let go in the context it
 * belongs to, where its session may still be in use. */
void
byline_accounts_forget_client (BylineAccounts *self,
                               gint64          id)
{
  g_autofree gint64 *key = NULL;
  gpointer client = NULL;
  Connection *connection;

  g_return_if_fail (BYLINE_IS_ACCOUNTS (self));

  g_mutex_lock (&self->mutex);
  g_hash_table_steal_extended (self->clients, &id, (gpointer *) &key, &client);
  if ((connection = g_hash_table_lookup (self->connecting, &id)))
    {
      connection->stale = TRUE;
      g_hash_table_remove (self->connecting, &id);
    }
  g_mutex_unlock (&self->mutex);

  if (client != NULL)
    {
      g_autoptr(GSource) idle = g_idle_source_new ();

      g_source_set_callback (idle, unref_client_cb, client, NULL);
      g_source_attach (idle, self->context);
    }
}

gboolean
byline_accounts_add (BylineAccounts  *self,
                     BylineAccount   *account,
                     const char      *password,
                     GError         **error)
{
  g_autoptr(GError) secret_error = NULL;
  g_autofree char *label = NULL;
  BylineSqliteConnection *conn;
  gint64 id = 0;

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

  if ((conn = _byline_store_lock (self->store, error)))
    {
      id = byline_store_accounts_table_upsert (conn, account, g_get_real_time (), error);
      _byline_store_unlock (self->store);
    }
  if (id == 0)
    {
      secret_password_clear_sync (get_secret_schema (), NULL, NULL,
                                  "api-root", byline_account_get_api_root (account),
                                  "username", byline_account_get_username (account),
                                  NULL);
      return FALSE;
    }
  byline_account_set_id (account, id);
  byline_accounts_forget_client (self, id);
  return TRUE;
}

gboolean
byline_accounts_remove (BylineAccounts  *self,
                        gint64           id,
                        GError         **error)
{
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GError) secret_error = NULL;
  BylineSqliteConnection *conn;
  gboolean removed;

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

  /* The password is gone: so is the client that used it. */
  byline_accounts_forget_client (self, id);

  if (!(conn = _byline_store_lock (self->store, error)))
    return FALSE;
  removed = byline_store_accounts_table_delete (conn, id, error);
  _byline_store_unlock (self->store);
  return removed;
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
connection_free (Connection *connection)
{
  g_object_unref (connection->self);
  g_clear_pointer (&connection->waiters, g_ptr_array_unref);
  g_free (connection);
}

static void
lookup_password_thread (GTask        *task,
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

static void connection_start (Connection *connection);

static void
lookup_password_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  Connection *connection = user_data;
  BylineAccounts *self = connection->self;
  BylineAccount *account = g_task_get_task_data (G_TASK (result));
  g_autoptr(BylineWpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  gboolean stale;

  password = g_task_propagate_pointer (G_TASK (result), &error);
  /* Made here, not in the thread: a client belongs to the context that made it. */
  if (password != NULL)
    client = byline_wp_client_new (byline_account_get_api_root (account),
                                   byline_account_get_username (account), password);

  g_mutex_lock (&self->mutex);
  stale = connection->stale;
  if (connection->shared && !stale)
    {
      g_hash_table_remove (self->connecting, &connection->id);
      if (client != NULL)
        g_hash_table_replace (self->clients, int64_key (connection->id), g_object_ref (client));
    }
  g_mutex_unlock (&self->mutex);

  /* The password was changed (or removed) while it was read: read it again, for all, or wait
   * with the callers who already asked again. */
  if (stale)
    {
      Connection *again;

      g_mutex_lock (&self->mutex);
      again = g_hash_table_lookup (self->connecting, &connection->id);
      if (again != NULL)
        g_ptr_array_extend_and_steal (again->waiters, g_steal_pointer (&connection->waiters));
      g_mutex_unlock (&self->mutex);
      if (again != NULL)
        connection_free (connection);
      else
        {
          connection->stale = FALSE;
          connection_start (connection);
        }
      return;
    }

  for (guint i = 0; i < connection->waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (connection->waiters, i);

      if (client != NULL)
        g_task_return_pointer (waiter, g_object_ref (client), g_object_unref);
      else
        g_task_return_error (waiter, g_error_copy (error));
    }
  connection_free (connection);
}

/* Looks the password of the connection's account up in a worker thread: the keyring answers
 * over D-Bus and may ask to be unlocked. */
static void
connection_start (Connection *connection)
{
  BylineAccounts *self = connection->self;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) lookup = NULL;

  if (!(account = byline_accounts_load (self, connection->id, &error)))
    {
      for (guint i = 0; i < connection->waiters->len; i++)
        g_task_return_error (g_ptr_array_index (connection->waiters, i), g_error_copy (error));
      connection_free (connection);
      return;
    }

  if (connection->shared)
    {
      g_mutex_lock (&self->mutex);
      g_assert (!g_hash_table_contains (self->connecting, &connection->id));
      g_hash_table_insert (self->connecting, int64_key (connection->id), connection);
      g_mutex_unlock (&self->mutex);
    }
  lookup = g_task_new (self, NULL, lookup_password_cb, connection);
  g_task_set_source_tag (lookup, lookup_password_thread);
  g_task_set_task_data (lookup, g_steal_pointer (&account), g_object_unref);
  g_task_run_in_thread (lookup, lookup_password_thread);
}

void
byline_accounts_connect_async (BylineAccounts      *self,
                               gint64               id,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GMainContext) context = g_main_context_ref_thread_default ();
  g_autoptr(GTask) task = NULL;
  Connection *connection;

  g_return_if_fail (BYLINE_IS_ACCOUNTS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_accounts_connect_async);

  /* Shared only within the context the accounts belong to (the UI's): another thread gets a
   * client of its own. */
  if (context == self->context)
    {
      BylineWpClient *client;

      g_mutex_lock (&self->mutex);
      client = g_hash_table_lookup (self->clients, &id);
      if (client != NULL)
        {
          g_object_ref (client);
          g_mutex_unlock (&self->mutex);
          g_task_return_pointer (task, client, g_object_unref);
          return;
        }
      connection = g_hash_table_lookup (self->connecting, &id);
      if (connection != NULL)
        {
          g_ptr_array_add (connection->waiters, g_steal_pointer (&task));
          g_mutex_unlock (&self->mutex);
          return;
        }
      g_mutex_unlock (&self->mutex);
    }

  connection = g_new0 (Connection, 1);
  connection->self = g_object_ref (self);
  connection->id = id;
  connection->shared = context == self->context;
  connection->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (connection->waiters, g_steal_pointer (&task));
  connection_start (connection);
}

BylineWpClient *
byline_accounts_connect_finish (BylineAccounts  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
byline_accounts_dispose (GObject *object)
{
  BylineAccounts *self = BYLINE_ACCOUNTS (object);

  g_clear_object (&self->store);
  g_hash_table_remove_all (self->clients);

  G_OBJECT_CLASS (byline_accounts_parent_class)->dispose (object);
}

static void
byline_accounts_finalize (GObject *object)
{
  BylineAccounts *self = BYLINE_ACCOUNTS (object);

  /* Every look-up under way holds a reference: none is left. */
  g_assert (g_hash_table_size (self->connecting) == 0);
  g_hash_table_unref (self->connecting);
  g_hash_table_unref (self->clients);
  g_main_context_unref (self->context);
  g_mutex_clear (&self->mutex);

  G_OBJECT_CLASS (byline_accounts_parent_class)->finalize (object);
}

static void
byline_accounts_class_init (BylineAccountsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byline_accounts_dispose;
  object_class->finalize = byline_accounts_finalize;
}

static void
byline_accounts_init (BylineAccounts *self)
{
  self->context = g_main_context_ref_thread_default ();
  g_mutex_init (&self->mutex);
  self->clients = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
  /* The connections free themselves when their look-up ends. */
  self->connecting = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
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
