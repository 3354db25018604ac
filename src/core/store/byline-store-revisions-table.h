/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-revisions-table.h: the SQL of the revisions table (earlier versions of a draft's
 * title and body). */
#pragma once

#include "byline-revision.h"
#include "byline-sqlite-connection.h"

G_BEGIN_DECLS

/* The newest revision of @draft_id: FALSE on a failure, else TRUE with @found. When found,
 * @created_at is its date and @same whether it holds @title and @body, compared only when
 * @always_compare or when it is older than @compare_before (else FALSE): comparing is done in
 * SQL, without copying a long body out, and only when the answer matters. */
gboolean        byline_store_revisions_table_get_newest (BylineSqliteConnection  *conn,
                                                         gint64                   draft_id,
                                                         const char              *title,
                                                         const char              *body,
                                                         gboolean                 always_compare,
                                                         gint64                   compare_before,
                                                         gboolean                *found,
                                                         gint64                  *created_at,
                                                         gboolean                *same,
                                                         GError                 **error);
gboolean        byline_store_revisions_table_insert     (BylineSqliteConnection  *conn,
                                                         gint64                   draft_id,
                                                         BylineRevisionKind       kind,
                                                         gint64                   created_at,
                                                         const char              *title,
                                                         const char              *body,
                                                         GError                 **error);
/* Thins the revisions of @draft_id (byline-store.h says how): those older than @every_since
 * fall in buckets, an hour of the local clock (@utc_offset, µs, is local time's offset from
 * UTC) when newer than @hourly_since, else a local calendar day; each bucket keeps its first by
 * (@automatic ones last, then newest first), and of the others the oldest @batch go. The number
 * deleted is in @n_deleted (nullable). */
gboolean        byline_store_revisions_table_thin       (BylineSqliteConnection  *conn,
                                                         gint64                   draft_id,
                                                         gint64                   every_since,
                                                         gint64                   hourly_since,
                                                         gint64                   utc_offset,
                                                         BylineRevisionKind       automatic,
                                                         guint                    batch,
                                                         gint64                  *n_deleted,
                                                         GError                 **error);
/* The revisions of @draft_id, newest first, without their bodies. NULL on a failure. */
GPtrArray      *byline_store_revisions_table_list       (BylineSqliteConnection  *conn,
                                                         gint64                   draft_id,
                                                         GError                 **error);
/* Revision @id with its body; NULL with @error set on a failure, unset when it is not kept. */
BylineRevision *byline_store_revisions_table_load       (BylineSqliteConnection  *conn,
                                                         gint64                   id,
                                                         GError                 **error);

G_END_DECLS
