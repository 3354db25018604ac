/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-drafts-table.h: the SQL of the drafts table (a draft's text and its metadata). */
#pragma once

#include "byline-draft.h"
#include "byline-sqlite-connection.h"

G_BEGIN_DECLS

/* A new, empty draft of @format written in @language, created and modified at @now (µs since
 * the epoch); its id, or 0 on a failure. */
gint64       byline_store_drafts_table_insert           (BylineSqliteConnection  *conn,
                                                         BylineDraftFormat        format,
                                                         gint64                   now,
                                                         const char              *language,
                                                         GError                 **error);
/* The drafts that are not deleted, most recently modified first. NULL on a failure. */
GPtrArray   *byline_store_drafts_table_list             (BylineSqliteConnection  *conn,
                                                         GError                 **error);
/* Draft @id, deleted or not; NULL with @error set on a failure, unset when there is none. */
BylineDraft *byline_store_drafts_table_load             (BylineSqliteConnection  *conn,
                                                         gint64                   id,
                                                         GError                 **error);
/* The draft made from @source_path (one still listed rather than a deleted one, else the
 * newest); NULL with @error set on a failure, unset when there is none. */
BylineDraft *byline_store_drafts_table_find_by_source   (BylineSqliteConnection  *conn,
                                                         const char              *source_path,
                                                         GError                 **error);
/* Writes every field of @draft (its created-at only when set) with @modified_at. FALSE with
 * @error set on a failure, unset when there is no such draft. */
gboolean     byline_store_drafts_table_update           (BylineSqliteConnection  *conn,
                                                         BylineDraft             *draft,
                                                         gint64                   modified_at,
                                                         GError                 **error);
/* Marks draft @id deleted at @now (a draft deleted already keeps its first date), or not
 * deleted. FALSE with @error set on a failure, unset when there is no such draft. */
gboolean     byline_store_drafts_table_set_deleted      (BylineSqliteConnection  *conn,
                                                         gint64                   id,
                                                         gboolean                 deleted,
                                                         gint64                   now,
                                                         GError                 **error);
/* Deletes for good the drafts deleted before @deleted_before (their revisions go with them),
 * and says how many in @n_purged (nullable). */
gboolean     byline_store_drafts_table_purge            (BylineSqliteConnection  *conn,
                                                         gint64                   deleted_before,
                                                         gint64                  *n_purged,
                                                         GError                 **error);
/* Replaces every @from in the body of draft @id with @to; nothing when it has none (or there is
 * no such draft). The draft's modified-at stays: this is not the writer's edit. */
gboolean     byline_store_drafts_table_replace_in_body  (BylineSqliteConnection  *conn,
                                                         gint64                   id,
                                                         const char              *from,
                                                         const char              *to,
                                                         GError                 **error);

G_END_DECLS
