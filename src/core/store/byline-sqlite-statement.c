/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-sqlite-statement.c: a prepared statement the connection keeps. */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-sqlite-private.h"

BylineSqliteStatement *
_byline_sqlite_statement_new (BylineSqliteConnection *connection,
                              sqlite3_stmt           *stmt)
{
  BylineSqliteStatement *self = g_new0 (BylineSqliteStatement, 1);

  self->stmt = stmt;
  self->connection = connection;
  return self;
}

void
_byline_sqlite_statement_free (BylineSqliteStatement *self)
{
  sqlite3_finalize (self->stmt);
  g_free (self);
}

void
byline_sqlite_statement_bind_int64 (BylineSqliteStatement *self,
                                    int                    position,
                                    gint64                 value)
{
  sqlite3_bind_int64 (self->stmt, position, value);
}

void
byline_sqlite_statement_bind_text (BylineSqliteStatement *self,
                                   int                    position,
                                   const char            *text)
{
  if (text != NULL)
    sqlite3_bind_text (self->stmt, position, text, -1, SQLITE_STATIC);
  else
    sqlite3_bind_null (self->stmt, position);
}

void
byline_sqlite_statement_bind_double (BylineSqliteStatement *self,
                                     int                    position,
                                     double                 value)
{
  sqlite3_bind_double (self->stmt, position, value);
}

void
byline_sqlite_statement_bind_null (BylineSqliteStatement *self,
                                   int                    position)
{
  sqlite3_bind_null (self->stmt, position);
}

/* Whether a failure of the statement is one of writing. SQLite counts BEGIN and COMMIT as
 * read-only, but the store begins only the transactions that write (BEGIN IMMEDIATE takes the
 * write lock), and their writes reach the disk at COMMIT. */
static gboolean
is_writing (sqlite3_stmt *stmt)
{
  const char *sql = sqlite3_sql (stmt);

  return !sqlite3_stmt_readonly (stmt) || g_ascii_strncasecmp (sql, "BEGIN", 5) == 0 ||
         g_ascii_strncasecmp (sql, "COMMIT", 6) == 0;
}

gboolean
byline_sqlite_statement_step (BylineSqliteStatement  *self,
                              GError                **error)
{
  int rc = sqlite3_step (self->stmt);

  if (rc == SQLITE_ROW)
    return TRUE;
  if (rc != SQLITE_DONE)
    byline_sqlite_connection_set_error (self->connection, rc,
                                        is_writing (self->stmt)
                                        ? _("Could not write to the drafts database")
                                        : _("Could not read the drafts database"),
                                        error);
  return FALSE;
}

gboolean
byline_sqlite_statement_run (BylineSqliteStatement  *self,
                             GError                **error)
{
  GError *local_error = NULL;

  while (byline_sqlite_statement_step (self, &local_error))
    ;
  byline_sqlite_statement_reset (self);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

gint64
byline_sqlite_statement_get_int64 (BylineSqliteStatement *self,
                                   int                    column)
{
  return sqlite3_column_int64 (self->stmt, column);
}

double
byline_sqlite_statement_get_double (BylineSqliteStatement *self,
                                    int                    column)
{
  return sqlite3_column_double (self->stmt, column);
}

const char *
byline_sqlite_statement_get_text (BylineSqliteStatement *self,
                                  int                    column)
{
  const char *text = (const char *) sqlite3_column_text (self->stmt, column);

  return text != NULL ? text : "";
}

char *
byline_sqlite_statement_dup_text (BylineSqliteStatement *self,
                                  int                    column)
{
  return g_strdup (byline_sqlite_statement_get_text (self, column));
}

gboolean
byline_sqlite_statement_get_is_null (BylineSqliteStatement *self,
                                     int                    column)
{
  return sqlite3_column_type (self->stmt, column) == SQLITE_NULL;
}

void
byline_sqlite_statement_reset (BylineSqliteStatement *self)
{
  sqlite3_reset (self->stmt);
  sqlite3_clear_bindings (self->stmt);
}
