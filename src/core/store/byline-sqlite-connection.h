/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-sqlite-connection.h: one SQLite connection, its cached statements, transactions and
 * errors as BYLINE_STORE_ERROR. */
#pragma once

#include <glib.h>
#include <sqlite3.h>

#include "byline-sqlite-statement.h"

G_BEGIN_DECLS

typedef struct _BylineSqliteConnection BylineSqliteConnection;

/* Opens @path (or @uri, with SQLITE_OPEN_URI in @flags; @path still names it in messages) with
 * extended result codes and a busy timeout. NULL with a BYLINE_STORE_ERROR when it cannot. */
BylineSqliteConnection *byline_sqlite_connection_open          (const char              *path,
                                                                const char              *uri,
                                                                int                      flags,
                                                                GError                 **error);
/* Finalizes the cached statements and closes the connection (even with something still open on
 * it, rather than leak it). */
void                    byline_sqlite_connection_close         (BylineSqliteConnection  *self);
sqlite3                *byline_sqlite_connection_get_handle    (BylineSqliteConnection  *self);
const char             *byline_sqlite_connection_get_path      (BylineSqliteConnection  *self);

/* The statement for @sql, prepared on first use and kept until the connection closes: @sql is
 * its key, so pass the same text each time (a literal or a table's constant). Bind, step, then
 * reset it (g_autoptr does) before the next use. NULL with an error when it cannot be
 * prepared. */
BylineSqliteStatement  *byline_sqlite_connection_get_statement (BylineSqliteConnection  *self,
                                                                const char              *sql,
                                                                GError                 **error);
/* Runs @sql, one or more statements without parameters or rows (a migration, a pragma). */
gboolean                byline_sqlite_connection_exec          (BylineSqliteConnection  *self,
                                                                const char              *sql,
                                                                GError                 **error);
/* BEGIN IMMEDIATE: the write lock now, so that a transaction that reads before it writes cannot
 * fail half-way as busy; the busy timeout waits for another writer instead. */
gboolean                byline_sqlite_connection_begin         (BylineSqliteConnection  *self,
                                                                GError                 **error);
gboolean                byline_sqlite_connection_commit        (BylineSqliteConnection  *self,
                                                                GError                 **error);
/* Rolls back the transaction under way, if the failure that led here has not already. */
void                    byline_sqlite_connection_rollback      (BylineSqliteConnection  *self);
/* Rows changed by the last INSERT, UPDATE or DELETE; the rowid of the last INSERT. */
gint64                  byline_sqlite_connection_get_changes   (BylineSqliteConnection  *self);
gint64                  byline_sqlite_connection_get_last_insert_id (BylineSqliteConnection *self);

/* Turns SQLite's result @rc into a BYLINE_STORE_ERROR with a sentence a user can act on (the
 * disk is full, the file cannot be written, it is damaged), else "@what: path (SQLite's own
 * words)". Call it before anything else runs on the connection: SQLite describes the last call
 * only. */
void                    byline_sqlite_connection_set_error     (BylineSqliteConnection  *self,
                                                                int                      rc,
                                                                const char              *what,
                                                                GError                 **error);

/* Whether a system error means the file may not be written (a read-only file system, no right
 * to it, an immutable file), as opposed to a broken or a full disk. */
gboolean                byline_sqlite_errno_is_read_only       (int                      sys_errno);

G_END_DECLS
