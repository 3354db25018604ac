/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store.h: the SQLite database that holds drafts and their revisions. */
#pragma once

#include <gio/gio.h>

#include "byline-draft.h"
#include "byline-revision.h"

G_BEGIN_DECLS

#define BYLINE_STORE_ERROR (byline_store_error_quark ())

typedef enum {
  BYLINE_STORE_ERROR_FAILED,
  BYLINE_STORE_ERROR_READ_ONLY,   /* the database or its folder cannot be written */
  BYLINE_STORE_ERROR_FULL,        /* the disk (or the database's size limit) is full */
  BYLINE_STORE_ERROR_CORRUPT,     /* the file is not a database or is damaged */
  BYLINE_STORE_ERROR_TOO_NEW,     /* written by a newer Byline with a schema we do not know */
  BYLINE_STORE_ERROR_NOT_FOUND,
  BYLINE_STORE_ERROR_CLOSED,
} BylineStoreError;

typedef enum {
  BYLINE_SAVE_AUTOMATIC, /* a revision only when the newest is over a minute old and differs */
  BYLINE_SAVE_EXPLICIT,  /* always a revision, unless the newest one is identical */
} BylineSaveKind;

/* Revisions: saving keeps them as BylineSaveKind says, and a restore first keeps what the draft
 * held (BYLINE_REVISION_KIND_RESTORE). Whenever one is added, the draft's older ones are thinned
 * in the same transaction, so that a day of writing keeps dozens of copies of the text, not a
 * thousand:
 * - of the last hour, every revision is kept;
 * - of the last day, one per hour of the clock;
 * - before that, one per calendar day (local time).
 * The one kept in an hour or a day is the newest that the writer asked for (Ctrl+S, or kept
 * before a restore) or, when there is none, the newest of all: a version saved on purpose stays
 * findable as long as any version of its hour or day does. The newest revision is always of the
 * last hour, so it is never thinned. One pass deletes at most a few dozen, so a long history kept
 * before thinning existed is worked off over the next saves, each staying quick. */

#define BYLINE_STORE_SCHEMA_VERSION 13

#define BYLINE_TYPE_STORE (byline_store_get_type ())
G_DECLARE_FINAL_TYPE (BylineStore, byline_store, BYLINE, STORE, GObject)

GQuark       byline_store_error_quark          (void);

/* Opens (creating it and its folder when needed) the database at @path in WAL mode, migrates it
 * to the current schema and marks the session as open. Safe to call from any thread; every
 * method below may be called from any thread, they are serialised inside. A database that
 * cannot be written (read-only file system, file or folder) still opens, for reading: every
 * write then fails with BYLINE_STORE_ERROR_READ_ONLY. */
BylineStore *byline_store_open                 (const char    *path,
                                                GError       **error);
/* Opens an existing database only to read it, changing nothing in it: whatever its schema (one
 * from a newer Byline too), without migrating it or marking a session, so that the drafts of a
 * file that byline_store_open () refused (TOO_NEW or CORRUPT) can still be read and copied out.
 * What a damaged file cannot give back fails with CORRUPT when it is read; every write fails with
 * READ_ONLY. */
BylineStore *byline_store_open_read_only       (const char    *path,
                                                GError       **error);
/* Copies the database at @path (and its -wal, which may hold the newest commits) beside it, as
 * <path>.kept-<date and time>, and returns the copy's path: what a refused file held, kept before
 * anything else opens it. A copy kept earlier that holds the same bytes is returned instead of
 * making another. Fails with FULL when there is no room for the copy. */
char        *byline_store_keep_copy            (const char    *path,
                                                GError       **error);
/* Renames the database at @path (and its -wal) to <path>.set-aside-<date and time>, and returns
 * that path, so that the next byline_store_open () starts a new, empty database. A rename needs
 * no room on the disk, and nothing is deleted. */
char        *byline_store_set_aside            (const char    *path,
                                                GError       **error);
/* $XDG_DATA_HOME/<app id>/byline.db */
char        *byline_store_dup_default_path     (void);
const char  *byline_store_get_path             (BylineStore   *self);
/* The schema of the file: BYLINE_STORE_SCHEMA_VERSION, or the one it holds when opened with
 * byline_store_open_read_only (). */
int          byline_store_get_schema_version   (BylineStore   *self);
/* TRUE when every write fails with READ_ONLY (see byline_store_open ()). */
gboolean     byline_store_get_read_only        (BylineStore   *self);
/* TRUE when the previous session did not close the store cleanly (a crash or a kill). */
gboolean     byline_store_get_recovered        (BylineStore   *self);
/* Marks a clean shutdown and closes the database; later calls fail with CLOSED. */
gboolean     byline_store_close                (BylineStore   *self,
                                                GError       **error);

BylineDraft *byline_store_create_draft         (BylineStore   *self,
                                                BylineDraftFormat format,
                                                GError       **error);
/* Drafts that are not deleted, most recently modified first. */
GPtrArray   *byline_store_list_drafts          (BylineStore   *self,
                                                GError       **error);
BylineDraft *byline_store_load_draft           (BylineStore   *self,
                                                gint64         id,
                                                GError       **error);
/* NULL without an error when no draft (deleted or not) came from @source_path. */
BylineDraft *byline_store_find_draft_by_source (BylineStore   *self,
                                                const char    *source_path,
                                                GError       **error);
/* Writes every field of @draft in one transaction and sets its modified-at to now (the value
 * written is returned in @modified_at when not NULL; @draft itself is not touched, so a copy
 * can be saved from a worker thread: see BylineAutosave, which keeps its saves in order). Takes a
 * revision as @kind says, and then thins the older ones (see above). */
gboolean     byline_store_save_draft           (BylineStore   *self,
                                                BylineDraft   *draft,
                                                BylineSaveKind kind,
                                                gint64        *modified_at,
                                                GError       **error);
/* Deleting is reversible (for Undo); deleted drafts are purged for good a week later. */
gboolean     byline_store_set_draft_deleted    (BylineStore   *self,
                                                gint64         id,
                                                gboolean       deleted,
                                                GError       **error);
/* Revisions of a draft, newest first, without their bodies (byline_revision_get_body () is
 * NULL): a list costs what its titles and dates do, whatever the length of the text. */
GPtrArray   *byline_store_list_revisions       (BylineStore   *self,
                                                gint64         draft_id,
                                                GError       **error);
/* One revision with its body, to show or restore it. NOT_FOUND when it is no longer kept
 * (thinned since it was listed, or its draft purged). */
BylineRevision *byline_store_load_revision     (BylineStore   *self,
                                                gint64         revision_id,
                                                GError       **error);
/* Records the draft's current title and body as a revision of @kind (used before a restore),
 * and thins the older ones. */
gboolean     byline_store_add_revision         (BylineStore   *self,
                                                BylineDraft   *draft,
                                                BylineRevisionKind kind,
                                                GError       **error);

/* Tests only: caps the database at @pages pages (PRAGMA max_page_count, which is per connection,
 * hence a function here) so that a save can meet BYLINE_STORE_ERROR_FULL without filling a disk.
 * SQLite never lowers the cap below the database's current size. */
void         byline_store_set_max_pages_for_testing (BylineStore *self,
                                                     guint        pages);
/* Tests only: while @paused, a checkpoint the worker thread starts waits before it runs (so that
 * one is certainly under way when the store closes). */
void         byline_store_pause_checkpoints_for_testing (BylineStore *self,
                                                         gboolean     paused);
/* Tests only: waits up to @timeout_ms until the worker has started @n_started checkpoints since
 * the store opened; returns how many it has. */
guint        byline_store_wait_checkpoints_for_testing (BylineStore *self,
                                                        guint        n_started,
                                                        guint        timeout_ms);

G_END_DECLS
