/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-private.h: what the classes keeping tables in the drafts database share. */
#pragma once

#include "byline-sqlite-connection.h"
#include "byline-store.h"

G_BEGIN_DECLS

/* Takes the store's lock and returns its connection, or fails (CLOSED) without the lock. Every
 * use of the connection happens between this and _byline_store_unlock (). */
BylineSqliteConnection *_byline_store_lock (BylineStore  *self,
                                            GError      **error);
void     _byline_store_unlock    (BylineStore  *self);
/* What tells whether the database changed: this connection's writes, and the commits of other
 * connections (another process, such as byline-cli). */
typedef struct {
  gint64 changes;        /* sqlite3_total_changes64 () */
  gint64 data_version;   /* PRAGMA data_version */
} BylineStoreVersion;

/* Reads the database's version now; FALSE when it cannot be told (then treat it as changed).
 * Locked. */
gboolean _byline_store_get_version (BylineStore        *self,
                                    BylineStoreVersion *version);
/* Whether the WAL has grown well past SQLite's threshold while the checkpoint thread folds it
 * back: a writer that can wait (a decision written in slices) lets it catch up first, rather
 * than grow the WAL further and have a later commit fold it back in its own thread. Unlocked. */
gboolean _byline_store_is_folding_back (BylineStore *self);

G_END_DECLS
