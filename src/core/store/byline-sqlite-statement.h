/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-sqlite-statement.h: a prepared statement the connection keeps: binding, stepping,
 * reading columns. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _BylineSqliteStatement BylineSqliteStatement;

/* Parameters count from 1 (?1, ?2…). Text is not copied: it must outlive the statement's use,
 * up to its reset. NULL text binds NULL. */
void        byline_sqlite_statement_bind_int64  (BylineSqliteStatement  *self,
                                                 int                     position,
                                                 gint64                  value);
void        byline_sqlite_statement_bind_text   (BylineSqliteStatement  *self,
                                                 int                     position,
                                                 const char             *text);
void        byline_sqlite_statement_bind_double (BylineSqliteStatement  *self,
                                                 int                     position,
                                                 double                  value);
void        byline_sqlite_statement_bind_null   (BylineSqliteStatement  *self,
                                                 int                     position);
/* TRUE when a row is there to read; FALSE at the end, or on a failure (@error set):
 *   while (byline_sqlite_statement_step (stmt, &error)) { ... }
 *   if (error != NULL) ... */
gboolean    byline_sqlite_statement_step        (BylineSqliteStatement  *self,
                                                 GError                **error);
/* Steps a statement that returns no rows (or whose rows do not matter) to its end. */
gboolean    byline_sqlite_statement_run         (BylineSqliteStatement  *self,
                                                 GError                **error);
/* Columns count from 0. Text is SQLite's, valid until the next step or reset; NULL reads as "". */
gint64      byline_sqlite_statement_get_int64   (BylineSqliteStatement  *self,
                                                 int                     column);
double      byline_sqlite_statement_get_double  (BylineSqliteStatement  *self,
                                                 int                     column);
const char *byline_sqlite_statement_get_text    (BylineSqliteStatement  *self,
                                                 int                     column);
char       *byline_sqlite_statement_dup_text    (BylineSqliteStatement  *self,
                                                 int                     column);
gboolean    byline_sqlite_statement_get_is_null (BylineSqliteStatement  *self,
                                                 int                     column);
/* Makes the statement ready for its next use and lets go of the text bound to it (it may
 * belong to something about to be freed). It stays the connection's. */
void        byline_sqlite_statement_reset       (BylineSqliteStatement  *self);

/* g_autoptr(BylineSqliteStatement) resets the statement when it goes out of scope, on every
 * path: it is not freed, the connection keeps it. */
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineSqliteStatement, byline_sqlite_statement_reset)

G_END_DECLS
