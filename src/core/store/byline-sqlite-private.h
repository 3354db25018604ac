/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-sqlite-private.h: what the connection and its statements share. */
#pragma once

#include "byline-sqlite-connection.h"

G_BEGIN_DECLS

struct _BylineSqliteStatement
{
  sqlite3_stmt           *stmt;
  BylineSqliteConnection *connection;   /* unowned: it owns the statement */
};

BylineSqliteStatement *_byline_sqlite_statement_new  (BylineSqliteConnection *connection,
                                                      sqlite3_stmt           *stmt);
void                   _byline_sqlite_statement_free (BylineSqliteStatement  *self);

G_END_DECLS
