/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-sqlite-connection.c: one SQLite connection, its cached statements, transactions and
 * errors.
 *
 * Every statement is prepared once (SQLITE_PREPARE_PERSISTENT) and kept, keyed by its text, so
 * that work repeated many times (a decision on each of 10,000 comments) pays for parsing SQL
 * once. The connection is not locked here: its owner (the store) serialises its use. */

#include "config.h"

#define G_LOG_DOMAIN "byline-store"

#include <errno.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "byline-sqlite-private.h"
#include "byline-store.h"

#define BUSY_TIMEOUT_MS 5000

struct _BylineSqliteConnection
{
  sqlite3    *db;
  char       *path;
  GHashTable *statements;   /* SQL text → BylineSqliteStatement */
  GHashTable *by_address;   /* the caller's SQL pointer → the same statement */
};

gboolean
byline_sqlite_errno_is_read_only (int sys_errno)
{
  return sys_errno == EROFS || sys_errno == EACCES || sys_errno == EPERM;
}

static gboolean
is_write_failure (int rc)
{
  return rc == SQLITE_IOERR_WRITE || rc == SQLITE_IOERR_FSYNC || rc == SQLITE_IOERR_TRUNCATE ||
         rc == SQLITE_IOERR_SHMMAP || rc == SQLITE_IOERR_SHMOPEN;
}

/* Whether the database or its write-ahead log may not be written now. SQLite reports a write
 * refused without its errno (sqlite3_system_errno () gives whatever errno holds when the error is
 * reported, often 0 or a stale value), so a failed write is told apart from a broken disk by
 * asking the file system. */
static gboolean
is_unwritable (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);

  return (g_access (path, W_OK) != 0 && byline_sqlite_errno_is_read_only (errno)) ||
         (g_access (wal, W_OK) != 0 && byline_sqlite_errno_is_read_only (errno));
}

/* The error for a connection that could not even be made (@db may be NULL). */
static void
set_error_for (sqlite3    *db,
               const char *path,
               int         rc,
               const char *what,
               GError    **error)
{
  const char *detail = db ? sqlite3_errmsg (db) : sqlite3_errstr (rc);
  int sys_errno = db ? sqlite3_system_errno (db) : 0;
  g_autofree char *display_path = g_filename_display_name (path);

  switch (rc & 0xff)
    {
    case SQLITE_READONLY:
    case SQLITE_PERM:
      goto read_only;

    case SQLITE_CANTOPEN:
      /* A file that exists but cannot be opened (or whose -wal and -shm files cannot be made
       * beside it) sits on something we may not write; a missing one is another story. */
      if (sys_errno == ENOSPC || sys_errno == EDQUOT)
        goto full;
      if (g_file_test (path, G_FILE_TEST_EXISTS) &&
          (sys_errno == 0 || byline_sqlite_errno_is_read_only (sys_errno)))
        goto read_only;
      break;

    case SQLITE_FULL:
      goto full;

    case SQLITE_IOERR:
      /* The VFS tells write failures apart only by errno. */
      if (sys_errno == ENOSPC || sys_errno == EDQUOT)
        goto full;
      if (byline_sqlite_errno_is_read_only (sys_errno) ||
          (is_write_failure (rc) && is_unwritable (path)))
        goto read_only;
      break;

    case SQLITE_CONSTRAINT:
      /* A row refers to one that is gone (a draft deleted meanwhile): the caller says which. */
      if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
        {
          g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND,
                       "%s: %s (%s)", what, display_path, detail);
          return;
        }
      break;

    case SQLITE_NOTADB:
    case SQLITE_CORRUPT:
      g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CORRUPT,
                   _("The drafts database %s is damaged or is not a database (%s)"),
                   display_path, detail);
      return;

    default:
      break;
    }

  g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_FAILED,
               "%s: %s (%s)", what, display_path, detail);
  return;

read_only:
  g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_READ_ONLY,
               _("The drafts database cannot be written: %s (%s)"), display_path, detail);
  return;

full:
  g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_FULL,
               _("The disk is full: %s cannot grow (%s)"), display_path, detail);
}

void
byline_sqlite_connection_set_error (BylineSqliteConnection  *self,
                                    int                      rc,
                                    const char              *what,
                                    GError                 **error)
{
  set_error_for (self->db, self->path, rc, what, error);
}

BylineSqliteConnection *
byline_sqlite_connection_open (const char  *path,
                               const char  *uri,
                               int          flags,
                               GError     **error)
{
  BylineSqliteConnection *self;
  sqlite3 *db = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  rc = sqlite3_open_v2 (uri != NULL ? uri : path, &db, flags, NULL);
  if (rc != SQLITE_OK)
    {
      set_error_for (db, path, rc, _("Could not open the drafts database"), error);
      sqlite3_close_v2 (db);
      return NULL;
    }
  sqlite3_extended_result_codes (db, TRUE);
  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);

  self = g_new0 (BylineSqliteConnection, 1);
  self->db = db;
  self->path = g_strdup (path);
  self->statements = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                            (GDestroyNotify) _byline_sqlite_statement_free);
  self->by_address = g_hash_table_new (NULL, NULL);
  return self;
}

void
byline_sqlite_connection_close (BylineSqliteConnection *self)
{
  int rc;

  if (self == NULL)
    return;

  g_hash_table_destroy (self->by_address);
  g_hash_table_destroy (self->statements);
  rc = sqlite3_close_v2 (self->db);
  if (rc != SQLITE_OK)
    g_warning ("Could not close %s: %s", self->path, sqlite3_errstr (rc));
  g_free (self->path);
  g_free (self);
}

sqlite3 *
byline_sqlite_connection_get_handle (BylineSqliteConnection *self)
{
  return self->db;
}

const char *
byline_sqlite_connection_get_path (BylineSqliteConnection *self)
{
  return self->path;
}

BylineSqliteStatement *
byline_sqlite_connection_get_statement (BylineSqliteConnection  *self,
                                        const char              *sql,
                                        GError                 **error)
{
  BylineSqliteStatement *statement;
  sqlite3_stmt *stmt = NULL;
  int rc;

  /* A caller passes the same constant each time: its address finds the statement without
   * hashing SQL text of hundreds of characters, which a decision on 10,000 comments would do
   * 50,000 times. The text still finds it from another copy of the same SQL. */
  if ((statement = g_hash_table_lookup (self->by_address, sql)) != NULL)
    return statement;
  if ((statement = g_hash_table_lookup (self->statements, sql)) != NULL)
    {
      g_hash_table_insert (self->by_address, (gpointer) sql, statement);
      return statement;
    }

  rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      byline_sqlite_connection_set_error (self, rc, _("Could not read the drafts database"),
                                          error);
      sqlite3_finalize (stmt);
      return NULL;
    }
  /* Keyed by the caller's text, which lives as long as the program (a literal or a constant). */
  statement = _byline_sqlite_statement_new (self, stmt);
  g_hash_table_insert (self->statements, (gpointer) sql, statement);
  g_hash_table_insert (self->by_address, (gpointer) sql, statement);
  return statement;
}

gboolean
byline_sqlite_connection_exec (BylineSqliteConnection  *self,
                               const char              *sql,
                               GError                 **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    {
      byline_sqlite_connection_set_error (self, rc, _("Could not write to the drafts database"),
                                          error);
      return FALSE;
    }
  return TRUE;
}

static gboolean
run_cached (BylineSqliteConnection  *self,
            const char              *sql,
            GError                 **error)
{
  BylineSqliteStatement *statement = byline_sqlite_connection_get_statement (self, sql, error);

  return statement != NULL && byline_sqlite_statement_run (statement, error);
}

gboolean
byline_sqlite_connection_begin (BylineSqliteConnection  *self,
                                GError                 **error)
{
  return run_cached (self, "BEGIN IMMEDIATE", error);
}

gboolean
byline_sqlite_connection_commit (BylineSqliteConnection  *self,
                                 GError                 **error)
{
  return run_cached (self, "COMMIT", error);
}

void
byline_sqlite_connection_rollback (BylineSqliteConnection *self)
{
  g_autoptr(GError) error = NULL;

  /* Some errors (SQLITE_FULL, SQLITE_IOERR…) have already rolled the transaction back. */
  if (sqlite3_get_autocommit (self->db))
    return;
  if (!run_cached (self, "ROLLBACK", &error))
    g_warning ("Could not roll back: %s", error->message);
}

gint64
byline_sqlite_connection_get_changes (BylineSqliteConnection *self)
{
  return sqlite3_changes64 (self->db);
}

gint64
byline_sqlite_connection_get_last_insert_id (BylineSqliteConnection *self)
{
  return sqlite3_last_insert_rowid (self->db);
}
