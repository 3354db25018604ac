/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store.c: the SQLite database that holds drafts and their revisions.
 *
 * One connection, serialised by a mutex, so that the UI thread and the autosave's worker threads
 * can share the store. The database runs in WAL mode with synchronous=NORMAL: a commit is in the
 * WAL file (in the kernel's cache) before sqlite3_step returns, so killing the process never
 * loses it; only a power cut can lose the last commits, never consistency.
 *
 * SQLite folds the WAL back into the database (a checkpoint, with its fsyncs) inside the commit
 * that makes it pass 1,000 pages, in whichever thread committed, often the UI's, for longer
 * than a frame. Here a worker thread does it instead, on a connection of its own, while commits
 * go on.
 *
 * This file opens the database, migrates it (the schema is in byline-store-schema.c), keeps the
 * session and the checkpoints, and serialises the connection; each table's SQL is in its own
 * byline-store-<table>-table.c. */

#include "config.h"

#define G_LOG_DOMAIN "byline-store"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "byline-language.h"
#include "byline-store.h"
#include "byline-sqlite-connection.h"
#include "byline-store-drafts-table.h"
#include "byline-store-meta-table.h"
#include "byline-store-private.h"
#include "byline-store-revisions-table.h"
#include "byline-store-schema.h"

/* Deleted drafts stay this long, for Undo and for second thoughts. */
#define PURGE_AFTER_USEC (7 * G_TIME_SPAN_DAY)
/* An automatic revision at most this often: while typing, the autosave saves several times a
 * second. */
#define AUTOMATIC_REVISION_INTERVAL_USEC (60 * G_TIME_SPAN_SECOND)
/* Thinning (see byline-store.h): every revision younger than this is kept... */
#define KEEP_EVERY_REVISION_USEC G_TIME_SPAN_HOUR
/* ...then one per hour until this age, then one per day. */
#define KEEP_HOURLY_REVISION_USEC G_TIME_SPAN_DAY
/* At most this many revisions deleted by one pass: in the steady state a pass has one or two to
 * delete, and a history from before thinning (hundreds of full copies of a long text) must not
 * hold up the save that meets it. */
#define THIN_BATCH 32
#define BUSY_TIMEOUT_MS 5000
/* SQLite's own threshold for a checkpoint; past WAL_BEHIND_PAGES, writers that can wait (the
 * moderator's slices) let the worker catch up first (_byline_store_is_folding_back ()); past
 * WAL_MAX_PAGES (commits that do not wait), the commit folds the WAL back itself. */
#define CHECKPOINT_PAGES 1000
#define WAL_BEHIND_PAGES (4 * CHECKPOINT_PAGES)
#define WAL_MAX_PAGES    (16 * CHECKPOINT_PAGES)
/* How soon a checkpoint that could not copy everything is tried again. */
#define RETRY_USEC       (5 * G_TIME_SPAN_MILLISECOND)

static const char user_version_sql[] = "PRAGMA user_version";
static const char quick_check_sql[] = "PRAGMA quick_check (1)";

struct _BylineStore
{
  GObject        parent_instance;

  /* Held by every public method: SQLite's own mutex makes each call safe, this one makes a
   * transaction and the statements it reuses belong to one caller at a time. */
  GMutex         mutex;
  BylineSqliteConnection *connection;   /* NULL once closed */
  sqlite3       *db;                    /* its handle, for SQLite's hooks and pragmas */

  char          *path;
  /* The checkpoint worker, started on the first checkpoint, and what it is asked: all under
   * checkpoint_mutex, never held with the other. */
  GMutex         checkpoint_mutex;
  GCond          checkpoint_cond;
  GThread       *checkpoint_thread;
  gboolean       checkpoint_wanted;
  gboolean       checkpoint_running;
  int            wal_pages;           /* as the last commit left the WAL */
  gboolean       checkpoint_stop;
  gboolean       checkpoint_paused;   /* tests: a checkpoint taken waits */
  guint          n_checkpoints;       /* started, for the tests */
  int            schema_version;
  gboolean       recovered;
  /* Opened on a file or file system that cannot be written: reading works, saving fails. */
  gboolean       read_only;
};

G_DEFINE_FINAL_TYPE (BylineStore, byline_store, G_TYPE_OBJECT)

G_DEFINE_QUARK (byline-store-error-quark, byline_store_error)

static void
set_not_found_error (GError **error,
                     gint64   id)
{
  g_autofree char *id_str = g_strdup_printf ("%" G_GINT64_FORMAT, id);

  g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND,
               _("There is no draft %s in the drafts database"), id_str);
}

static gboolean
check_open (BylineStore  *self,
            GError      **error)
{
  if (self->connection != NULL)
    return TRUE;

  g_set_error_literal (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CLOSED,
                       _("The drafts database is closed"));
  return FALSE;
}

static gboolean
read_user_version (BylineStore  *self,
                   int          *version,
                   GError      **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  stmt = byline_sqlite_connection_get_statement (self->connection, user_version_sql, error);

  if (stmt == NULL || !byline_sqlite_statement_step (stmt, error))
    return FALSE;
  *version = (int) byline_sqlite_statement_get_int64 (stmt, 0);
  return TRUE;
}

/* SQLite reads a page only when something needs it: damage in a table the start does not read
 * (revisions, comments, the outbox) would show only later, in the middle of work, and writes
 * meanwhile could spread it. PRAGMA quick_check walks the structure of every page, at a cost that
 * grows with the file (0.6 ms for 1 MB; for 148 MB, 30 ms in the page cache and 130 ms from
 * disk), so a damaged store is refused here, before anything is written, with the same way out
 * as a file cut short. It leaves out what only PRAGMA integrity_check does, at several times the
 * cost: indexes compared with their tables. */
static gboolean
check_not_damaged (BylineStore  *self,
                   GError      **error)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;
  g_autofree char *display_path = NULL;
  const char *verdict;

  stmt = byline_sqlite_connection_get_statement (self->connection, quick_check_sql, error);
  if (stmt == NULL || !byline_sqlite_statement_step (stmt, error))
    return FALSE;
  verdict = byline_sqlite_statement_get_text (stmt, 0);
  if (g_strcmp0 (verdict, "ok") == 0)
    {
      g_autoptr(GError) shrink_error = NULL;

      byline_sqlite_statement_reset (stmt);
      /* The pages it went through last (the page cache, 2 MB by default) are not the ones the work
       * ahead needs: the memory goes back, which is worth trying, not worth failing for. */
      if (!byline_sqlite_connection_exec (self->connection, "PRAGMA shrink_memory", &shrink_error))
        g_debug ("Could not give back the check's memory: %s", shrink_error->message);
      return TRUE;
    }

  /* SQLite's first finding, without the line that names the database ("*** in database main
   * ***"), in the parentheses that hold SQLite's words in the store's other messages. */
  if (verdict != NULL && g_str_has_prefix (verdict, "***") && strchr (verdict, '\n') != NULL)
    verdict = strchr (verdict, '\n') + 1;
  display_path = g_filename_display_name (self->path);
  g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CORRUPT,
               _("The drafts database %s is damaged (%s)"), display_path,
               verdict != NULL ? verdict : "");
  return FALSE;
}

static void
set_too_new_error (BylineStore  *self,
                   int           version,
                   GError      **error)
{
  g_autofree char *display_path = g_filename_display_name (self->path);

  g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_TOO_NEW,
               _("The drafts database %s was written by a newer version of Byline (schema %d, "
                 "this version knows up to %d). Update Byline to open it."),
               display_path, version, BYLINE_STORE_SCHEMA_VERSION);
}

static gboolean
migrate (BylineStore  *self,
         GError      **error)
{
  for (;;)
    {
      g_autofree char *set_version = NULL;
      int version;

      if (!byline_sqlite_connection_begin (self->connection, error))
        return FALSE;

      /* Read again inside the transaction: another process may have migrated meanwhile. */
      if (!read_user_version (self, &version, error))
        goto failed;
      if (version > BYLINE_STORE_SCHEMA_VERSION)
        {
          set_too_new_error (self, version, error);
          goto failed;
        }
      if (version == BYLINE_STORE_SCHEMA_VERSION)
        {
          if (!byline_sqlite_connection_commit (self->connection, error))
            goto failed;
          return TRUE;
        }

      if (version > 0)
        g_debug ("Migrating %s from schema %d to %d", self->path, version, version + 1);
      set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      if (!byline_sqlite_connection_exec (self->connection,
                                          byline_store_schema_get_migration (version), error) ||
          !byline_sqlite_connection_exec (self->connection, set_version, error) ||
          !byline_sqlite_connection_commit (self->connection, error))
        goto failed;
      continue;

    failed:
      byline_sqlite_connection_rollback (self->connection);
      return FALSE;
    }
}

/* Notes whether the last session ended cleanly, marks this one as open, and drops the drafts
 * deleted over a week ago. */
static gboolean
start_session (BylineStore  *self,
               GError      **error)
{
  g_autofree char *session_open = NULL;
  gint64 n_purged = 0;

  if (self->read_only)
    {
      /* Nothing can be marked; still tell what the last writer left. */
      if (!byline_store_meta_table_get (self->connection, "session_open", &session_open, error))
        return FALSE;
      self->recovered = g_strcmp0 (session_open, "1") == 0;
      return TRUE;
    }

  if (!byline_sqlite_connection_begin (self->connection, error))
    return FALSE;
  if (!byline_store_meta_table_get (self->connection, "session_open", &session_open, error) ||
      !byline_store_meta_table_set (self->connection, "session_open", "1", error))
    goto failed;
  self->recovered = g_strcmp0 (session_open, "1") == 0;

  if (!byline_store_drafts_table_purge (self->connection, g_get_real_time () - PURGE_AFTER_USEC,
                                        &n_purged, error))
    goto failed;
  if (n_purged > 0)
    g_debug ("Purged %" G_GINT64_FORMAT " drafts deleted over a week ago", n_purged);

  if (!byline_sqlite_connection_commit (self->connection, error))
    goto failed;
  return TRUE;

failed:
  byline_sqlite_connection_rollback (self->connection);
  return FALSE;
}

/* ---- Checkpoints in a worker thread ---- */

/* The worker: a thread of its own, not one of GLib's shared pool, where other work (the
 * autosave's, a site's TLS) could keep it waiting while the WAL grows, and the store's close
 * with it. It runs one checkpoint at a time, on a connection of its own, and what commits ask
 * while it runs makes one more. */
static gpointer
checkpoint_worker (gpointer user_data)
{
  BylineStore *self = user_data;
  gboolean left_behind = FALSE;
  sqlite3 *db = NULL;

  g_mutex_lock (&self->checkpoint_mutex);
  for (;;)
    {
      int rc = SQLITE_OK, n_log = 0, n_done = 0;

      /* A checkpoint that could not copy everything (a reader held a page it needed) is tried
       * again a moment later, also when no commit asks: the WAL starts from its beginning
       * again only once one has copied all of it. */
      if (left_behind)
        g_cond_wait_until (&self->checkpoint_cond, &self->checkpoint_mutex,
                           g_get_monotonic_time () + RETRY_USEC);
      while (!self->checkpoint_stop && !self->checkpoint_wanted && !left_behind)
        g_cond_wait (&self->checkpoint_cond, &self->checkpoint_mutex);
      if (self->checkpoint_stop)
        break;
      self->checkpoint_wanted = FALSE;
      self->checkpoint_running = TRUE;
      self->n_checkpoints++;
      g_cond_broadcast (&self->checkpoint_cond);
      while (self->checkpoint_paused)
        g_cond_wait (&self->checkpoint_cond, &self->checkpoint_mutex);
      g_mutex_unlock (&self->checkpoint_mutex);

      /* A connection checkpoints only once it has read the database: until then it does not
       * know it is in WAL mode, and a checkpoint does nothing (and says so with -1). */
      if (db == NULL &&
          ((rc = sqlite3_open_v2 (self->path, &db, SQLITE_OPEN_READWRITE, NULL)) ||
           (rc = sqlite3_exec (db, "SELECT count (*) FROM sqlite_master", NULL, NULL, NULL))))
        g_clear_pointer (&db, sqlite3_close_v2);
      /* PASSIVE: it never waits for a reader or a writer, and the next one does what is left. */
      if (rc == SQLITE_OK)
        rc = sqlite3_wal_checkpoint_v2 (db, "main", SQLITE_CHECKPOINT_PASSIVE, &n_log, &n_done);
      if (rc != SQLITE_OK && rc != SQLITE_BUSY)
        g_debug ("Could not fold the WAL of %s into it: %s", self->path, sqlite3_errstr (rc));
      left_behind = (rc == SQLITE_OK || rc == SQLITE_BUSY) && n_done < n_log;

      g_mutex_lock (&self->checkpoint_mutex);
      self->checkpoint_running = FALSE;
      g_cond_broadcast (&self->checkpoint_cond);
    }
  g_mutex_unlock (&self->checkpoint_mutex);
  g_clear_pointer (&db, sqlite3_close_v2);
  return NULL;
}

/* After each commit, with the pages the WAL holds: past SQLite's threshold, the worker folds it
 * back (replacing SQLite's checkpoint inside the commit). Runs in the committing thread.
 *
 * A checkpoint by another connection copies the pages that were in the WAL when it started;
 * the WAL starts again from its beginning only once one has copied all of it. Commits that
 * follow each other closely keep ahead of the worker, and the WAL would grow without end: past
 * WAL_BEHIND_PAGES, writers that can wait do (_byline_store_is_folding_back ()); past
 * WAL_MAX_PAGES, the commit waits for the worker and folds the rest back itself, as SQLite
 * does. */
static int
wal_hook_cb (void       *user_data,
             sqlite3    *db,
             const char *name,
             int         n_pages)
{
  BylineStore *self = user_data;
  g_autoptr(GError) error = NULL;

  g_mutex_lock (&self->checkpoint_mutex);
  self->wal_pages = n_pages;
  if (n_pages < CHECKPOINT_PAGES)
    {
      g_mutex_unlock (&self->checkpoint_mutex);
      return SQLITE_OK;
    }
  if (n_pages >= WAL_MAX_PAGES)
    {
      while (self->checkpoint_running)
        g_cond_wait (&self->checkpoint_cond, &self->checkpoint_mutex);
      g_mutex_unlock (&self->checkpoint_mutex);
      sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
      return SQLITE_OK;
    }
  if (self->checkpoint_thread == NULL && !self->checkpoint_stop)
    self->checkpoint_thread = g_thread_try_new ("byline-checkpoint", checkpoint_worker, self,
                                                &error);
  if (self->checkpoint_thread != NULL)
    {
      self->checkpoint_wanted = TRUE;
      g_cond_broadcast (&self->checkpoint_cond);
    }
  g_mutex_unlock (&self->checkpoint_mutex);
  /* No thread to be had: SQLite's own way, in this commit. */
  if (error != NULL)
    {
      g_debug ("No thread to fold the WAL of %s back: %s", self->path, error->message);
      sqlite3_wal_checkpoint_v2 (db, name, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
    }
  return SQLITE_OK;
}

gboolean
_byline_store_is_folding_back (BylineStore *self)
{
  gboolean behind;

  g_return_val_if_fail (BYLINE_IS_STORE (self), FALSE);

  g_mutex_lock (&self->checkpoint_mutex);
  behind = self->wal_pages >= WAL_BEHIND_PAGES &&
           (self->checkpoint_running || self->checkpoint_wanted);
  g_mutex_unlock (&self->checkpoint_mutex);
  return behind;
}

/* Waits for a checkpoint under way, and ends the worker (and its connection). */
static void
stop_checkpoints (BylineStore *self)
{
  GThread *thread;

  g_mutex_lock (&self->checkpoint_mutex);
  self->checkpoint_stop = TRUE;
  g_cond_broadcast (&self->checkpoint_cond);
  thread = g_steal_pointer (&self->checkpoint_thread);
  g_mutex_unlock (&self->checkpoint_mutex);
  if (thread != NULL)
    g_thread_join (thread);
}

/* Closes the connection without marking a clean shutdown. */
static void
close_db (BylineStore *self)
{
  if (self->db != NULL)
    sqlite3_wal_hook (self->db, NULL, NULL);
  stop_checkpoints (self);
  g_clear_pointer (&self->connection, byline_sqlite_connection_close);
  self->db = NULL;
}

static void
byline_store_finalize (GObject *object)
{
  BylineStore *self = BYLINE_STORE (object);

  /* Dropped without byline_store_close (): session_open stays '1' on purpose, so that the next
   * session reports what looks, from the database's side, exactly like a crash. */
  close_db (self);
  g_free (self->path);
  g_mutex_clear (&self->mutex);
  g_mutex_clear (&self->checkpoint_mutex);
  g_cond_clear (&self->checkpoint_cond);

  G_OBJECT_CLASS (byline_store_parent_class)->finalize (object);
}

static void
byline_store_class_init (BylineStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = byline_store_finalize;
}

static void
byline_store_init (BylineStore *self)
{
  g_mutex_init (&self->mutex);
  g_mutex_init (&self->checkpoint_mutex);
  g_cond_init (&self->checkpoint_cond);
}

/* What a failure to write a file or folder means for the person: no right to, or no room. */
static BylineStoreError
error_code_for_errno (int saved_errno)
{
  if (byline_sqlite_errno_is_read_only (saved_errno))
    return BYLINE_STORE_ERROR_READ_ONLY;
  if (saved_errno == ENOSPC || saved_errno == EDQUOT)
    return BYLINE_STORE_ERROR_FULL;
  return BYLINE_STORE_ERROR_FAILED;
}

static void
set_mkdir_error (GError    **error,
                 const char *dir,
                 int         saved_errno)
{
  g_autofree char *display_dir = g_filename_display_name (dir);

  g_set_error (error, BYLINE_STORE_ERROR, error_code_for_errno (saved_errno),
               _("Could not create the folder of the drafts database, %s: %s"),
               display_dir, g_strerror (saved_errno));
}

static gboolean
open_connection (BylineStore  *self,
                 const char   *uri,
                 int           flags,
                 GError      **error)
{
  self->connection = byline_sqlite_connection_open (self->path, uri, flags, error);
  if (self->connection == NULL)
    return FALSE;
  self->db = byline_sqlite_connection_get_handle (self->connection);
  return TRUE;
}

/* A WAL database can only be read when its -wal and -shm files exist or can be made. After a
 * clean close they are gone, so on a read-only file system (or in a folder we may not write)
 * even reading fails with SQLITE_CANTOPEN. Then no writer has the database open (it would have
 * made those files, or could not have), and nobody can open it through this path to write,
 * so it is read as immutable: the user still sees the drafts, and saving fails with READ_ONLY. */
static gboolean
reopen_immutable_if_needed (BylineStore  *self,
                            GError      **error)
{
  g_autofree char *absolute = NULL;
  g_autofree char *file_uri = NULL;
  g_autofree char *uri = NULL;
  g_autoptr(GError) uri_error = NULL;
  int rc;

  /* SQLITE_CANTOPEN on a read-only file system, SQLITE_READONLY_DIRECTORY in a folder we may
   * not write, SQLITE_READONLY_CANTINIT with a -shm we may only read. */
  rc = sqlite3_exec (self->db, "PRAGMA user_version", NULL, NULL, NULL);
  if ((rc & 0xff) != SQLITE_CANTOPEN && rc != SQLITE_READONLY_DIRECTORY &&
      rc != SQLITE_READONLY_CANTINIT)
    return TRUE;

  absolute = g_canonicalize_filename (self->path, NULL);
  file_uri = g_filename_to_uri (absolute, NULL, &uri_error);
  if (file_uri == NULL)
    {
      g_autofree char *display_path = g_filename_display_name (self->path);

      g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_READ_ONLY,
                   _("The drafts database cannot be written: %s (%s)"),
                   display_path, uri_error->message);
      return FALSE;
    }
  uri = g_strconcat (file_uri, "?immutable=1", NULL);

  g_debug ("%s is read-only and has no WAL files: reading it as immutable", self->path);
  close_db (self);
  return open_connection (self, uri,
                          SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_FULLMUTEX, error);
}

static gboolean
set_cut_short_error (const char  *path,
                     goffset      size,
                     goffset      expected,
                     GError     **error)
{
  g_autofree char *display_path = g_filename_display_name (path);
  g_autofree char *size_str = g_format_size_full (size, G_FORMAT_SIZE_LONG_FORMAT);
  g_autofree char *expected_str = g_format_size_full (expected, G_FORMAT_SIZE_LONG_FORMAT);

  if (size == 0)
    g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CORRUPT,
                 _("The drafts database %s is damaged: the file is empty, cut short or emptied "
                   "by something other than Byline"), display_path);
  else
    g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CORRUPT,
                 _("The drafts database %s is damaged: the file was cut short (it holds %s of "
                   "the %s it should)"), display_path, size_str, expected_str);
  return FALSE;
}

/* SQLite reads a database that was cut short (a copy that ran out of room, a truncated file)
 * without a word until it needs a page that is missing, and takes an empty file for a new
 * database: either would show a shorter or an empty list of drafts, and the next writes would
 * make that so for good. The file's header says how long it should be; it is valid when its
 * "version valid for" matches the change counter, which every commit (WAL mode too) keeps so.
 * Byline itself never leaves an empty file (create_whole ()). */
static gboolean
check_not_cut_short (const char  *path,
                     GError     **error)
{
  g_autofree char *wal_path = g_strconcat (path, "-wal", NULL);
  guint8 header[100];
  GStatBuf st, wal_st;
  guint32 page_size, n_pages;
  gssize n_read;
  int fd;

  if (g_stat (path, &st) != 0 || !S_ISREG (st.st_mode))
    return TRUE;  /* not there yet, or SQLite says what is wrong */

  /* A WAL with frames holds pages the file may not have yet: killed while a checkpoint copied
   * them, the file can be shorter than the header it already got, and whole once SQLite reads
   * the WAL again. */
  if (g_stat (wal_path, &wal_st) == 0 && wal_st.st_size > 0)
    return TRUE;
  if (st.st_size == 0)
    return set_cut_short_error (path, 0, 0, error);

  fd = g_open (path, O_RDONLY | O_CLOEXEC, 0);
  if (fd < 0)
    return TRUE;
  n_read = read (fd, header, sizeof header);
  g_close (fd, NULL);
  if (n_read != sizeof header || memcmp (header, "SQLite format 3", 16) != 0)
    return TRUE;  /* SQLite tells a file that is not a database */

  page_size = (guint32) header[16] << 8 | header[17];
  if (page_size == 1)
    page_size = 65536;
  n_pages = (guint32) header[28] << 24 | (guint32) header[29] << 16 |
            (guint32) header[30] << 8 | header[31];
  if (memcmp (header + 24, header + 92, 4) != 0 || n_pages == 0)
    return TRUE;  /* written by a tool that does not keep the size in the header */

  if ((guint64) st.st_size < (guint64) n_pages * page_size)
    return set_cut_short_error (path, st.st_size, (goffset) n_pages * page_size, error);
  return TRUE;
}

static gboolean
set_create_error (GError    **error,
                  const char *path,
                  int         saved_errno)
{
  g_autofree char *display_path = g_filename_display_name (path);

  g_set_error (error, BYLINE_STORE_ERROR, error_code_for_errno (saved_errno),
               _("Could not create the drafts database %s: %s"),
               display_path, g_strerror (saved_errno));
  return FALSE;
}

/* Makes a new database whole beside @path and links it into place, so that Byline never leaves
 * an empty byline.db behind (killed between making the file and writing its first page): an
 * empty one can then only have been emptied, and check_not_cut_short () says so. link () and
 * not rename (): when another process (the app, byline-cli) made one meanwhile, that one stays. */
static gboolean
create_whole (const char  *path,
              GError     **error)
{
  g_autofree char *new_path = g_strconcat (path, ".new-XXXXXX", NULL);
  BylineSqliteConnection *connection;
  gboolean ok;
  int fd, saved_errno;

  fd = g_mkstemp_full (new_path, O_RDWR | O_CLOEXEC, 0600);
  if (fd < 0)
    return set_create_error (error, path, errno);
  g_close (fd, NULL);

  /* Its first page, written through SQLite and folded back from the WAL when it closes. */
  connection = byline_sqlite_connection_open (new_path, NULL, SQLITE_OPEN_READWRITE, error);
  ok = connection != NULL &&
       byline_sqlite_connection_exec (connection, "PRAGMA journal_mode = WAL;"
                                      "CREATE TABLE byline_new (x); DROP TABLE byline_new",
                                      error);
  g_clear_pointer (&connection, byline_sqlite_connection_close);
  if (!ok)
    {
      g_unlink (new_path);
      return FALSE;
    }

  saved_errno = link (new_path, path) == 0 ? 0 : errno;
  /* A file system without hard links (FAT, some network ones): renamed instead, which only a
   * start at the very same moment could race. */
  if (saved_errno == EPERM || saved_errno == EOPNOTSUPP)
    {
      if (g_rename (new_path, path) == 0)
        return TRUE;
      saved_errno = errno;
    }
  g_unlink (new_path);
  if (saved_errno != 0 && saved_errno != EEXIST)
    return set_create_error (error, path, saved_errno);
  return TRUE;
}

BylineStore *
byline_store_open (const char  *path,
                   GError     **error)
{
  g_autoptr(BylineStore) self = NULL;
  g_autofree char *dir = NULL;
  int version;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      set_mkdir_error (error, dir, errno);
      return NULL;
    }

  if (!g_file_test (path, G_FILE_TEST_EXISTS) && !create_whole (path, error))
    return NULL;
  if (!check_not_cut_short (path, error))
    return NULL;

  self = g_object_new (BYLINE_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  if (!open_connection (self, NULL,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, error))
    return NULL;

  /* SQLite falls back to reading when the file cannot be opened for writing; a writable file in
   * a folder we may not write opens for writing but cannot even be read. Both end up immutable. */
  if (!reopen_immutable_if_needed (self, error))
    return NULL;
  self->read_only = sqlite3_db_readonly (self->db, "main") == 1;

  /* The first read, before anything is changed: a file that is not a database, or one from a
   * newer Byline, is left exactly as it was. */
  if (!read_user_version (self, &version, error))
    return NULL;
  if (version > BYLINE_STORE_SCHEMA_VERSION)
    {
      set_too_new_error (self, version, error);
      return NULL;
    }
  if (!check_not_damaged (self, error))
    return NULL;

  if (!self->read_only &&
      !byline_sqlite_connection_exec (self->connection, "PRAGMA journal_mode = WAL", error))
    return NULL;
  if (!byline_sqlite_connection_exec (self->connection,
                                      "PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON",
                                      error))
    return NULL;
  if (!self->read_only)
    sqlite3_wal_hook (self->db, wal_hook_cb, self);

  if (version < BYLINE_STORE_SCHEMA_VERSION)
    {
      if (self->read_only)
        {
          g_autofree char *display_path = g_filename_display_name (path);

          g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_READ_ONLY,
                       _("The drafts database cannot be written: %s needs an upgrade to open it"),
                       display_path);
          return NULL;
        }
      if (!migrate (self, error))
        return NULL;
    }
  self->schema_version = BYLINE_STORE_SCHEMA_VERSION;

  if (!start_session (self, error))
    return NULL;

  if (self->recovered)
    g_debug ("The last session did not close %s cleanly", path);

  return g_steal_pointer (&self);
}

BylineStore *
byline_store_open_read_only (const char  *path,
                             GError     **error)
{
  g_autoptr(BylineStore) self = NULL;
  g_autoptr(GError) session_error = NULL;
  int version;

  g_return_val_if_fail (path != NULL && *path != '\0', NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  self = g_object_new (BYLINE_TYPE_STORE, NULL);
  self->path = g_strdup (path);
  self->read_only = TRUE;

  /* Without SQLITE_OPEN_CREATE: a missing file stays missing. */
  if (!open_connection (self, NULL, SQLITE_OPEN_READONLY | SQLITE_OPEN_FULLMUTEX, error) ||
      !reopen_immutable_if_needed (self, error))
    return NULL;
  /* Belt and braces: even a statement that would write is refused by SQLite itself. */
  if (!byline_sqlite_connection_exec (self->connection, "PRAGMA query_only = ON", error) ||
      !read_user_version (self, &version, error))
    return NULL;
  self->schema_version = version;

  /* What the last writer left is worth knowing, not worth failing for. */
  if (!start_session (self, &session_error))
    g_debug ("Could not tell how %s was last closed: %s", path, session_error->message);

  return g_steal_pointer (&self);
}

/* <path>.<what>-<date and time>, with a number after it when that is taken already. */
static char *
dup_beside (const char *path,
            const char *what)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  char *beside = g_strdup_printf ("%s.%s-%s", path, what, stamp);

  for (guint i = 2; g_file_test (beside, G_FILE_TEST_EXISTS); i++)
    {
      g_free (beside);
      beside = g_strdup_printf ("%s.%s-%s-%u", path, what, stamp, i);
    }
  return beside;
}

static gboolean
copy_file (const char  *from,
           const char  *to,
           GError     **error)
{
  g_autoptr(GFile) source = g_file_new_for_path (from);
  g_autoptr(GFile) destination = g_file_new_for_path (to);
  g_autoptr(GError) copy_error = NULL;
  g_autofree char *display_path = NULL;

  if (g_file_copy (source, destination, G_FILE_COPY_NONE, NULL, NULL, NULL, &copy_error))
    return TRUE;

  /* A copy cut short by a full disk is no copy. */
  g_file_delete (destination, NULL, NULL);
  display_path = g_filename_display_name (from);
  g_set_error (error, BYLINE_STORE_ERROR,
               g_error_matches (copy_error, G_IO_ERROR, G_IO_ERROR_NO_SPACE)
               ? BYLINE_STORE_ERROR_FULL : BYLINE_STORE_ERROR_FAILED,
               _("Could not keep a copy of the drafts database %s: %s"),
               display_path, copy_error->message);
  return FALSE;
}

/* Whether the files at @a and @b hold the same bytes; a missing file counts as an empty one (SQLite
 * makes an empty -wal beside a database it only reads). */
static gboolean
same_contents (const char *a,
               const char *b)
{
  g_autoptr(GMappedFile) mapped_a = NULL;
  g_autoptr(GMappedFile) mapped_b = NULL;
  GStatBuf st_a, st_b;
  goffset size_a, size_b;

  size_a = g_stat (a, &st_a) == 0 ? st_a.st_size : 0;
  size_b = g_stat (b, &st_b) == 0 ? st_b.st_size : 0;
  if (size_a != size_b)
    return FALSE;
  if (size_a == 0)
    return TRUE;
  mapped_a = g_mapped_file_new (a, FALSE, NULL);
  mapped_b = g_mapped_file_new (b, FALSE, NULL);
  return mapped_a != NULL && mapped_b != NULL &&
         g_mapped_file_get_length (mapped_a) == g_mapped_file_get_length (mapped_b) &&
         memcmp (g_mapped_file_get_contents (mapped_a), g_mapped_file_get_contents (mapped_b),
                 g_mapped_file_get_length (mapped_a)) == 0;
}

/* A copy kept earlier that holds exactly what @path (and its -wal) hold now, or NULL: each start
 * of the app, each command of byline-cli meets the same refused file, and one copy is enough. */
static char *
find_kept_copy (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, ".kept-", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autoptr(GDir) listing = g_dir_open (dir, 0, NULL);
  const char *name;

  while (listing != NULL && (name = g_dir_read_name (listing)) != NULL)
    {
      g_autofree char *copy = NULL;
      g_autofree char *wal_copy = NULL;

      if (!g_str_has_prefix (name, prefix) || g_str_has_suffix (name, "-wal"))
        continue;
      copy = g_build_filename (dir, name, NULL);
      wal_copy = g_strconcat (copy, "-wal", NULL);
      if (same_contents (path, copy) && same_contents (wal, wal_copy))
        return g_steal_pointer (&copy);
    }
  return NULL;
}

char *
byline_store_keep_copy (const char  *path,
                        GError     **error)
{
  g_autofree char *copy = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *wal_copy = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  copy = find_kept_copy (path);
  if (copy != NULL)
    return g_steal_pointer (&copy);
  copy = dup_beside (path, "kept");
  if (!copy_file (path, copy, error))
    return NULL;
  wal = g_strconcat (path, "-wal", NULL);
  wal_copy = g_strconcat (copy, "-wal", NULL);
  if (g_file_test (wal, G_FILE_TEST_EXISTS) && !copy_file (wal, wal_copy, error))
    {
      g_unlink (copy);
      return NULL;
    }
  return g_steal_pointer (&copy);
}

static gboolean
rename_file (const char  *from,
             const char  *to,
             GError     **error)
{
  g_autofree char *display_path = NULL;
  int saved_errno;

  if (g_rename (from, to) == 0)
    return TRUE;
  saved_errno = errno;
  display_path = g_filename_display_name (from);
  g_set_error (error, BYLINE_STORE_ERROR,
               byline_sqlite_errno_is_read_only (saved_errno)
               ? BYLINE_STORE_ERROR_READ_ONLY : BYLINE_STORE_ERROR_FAILED,
               _("Could not set the drafts database %s aside: %s"),
               display_path, g_strerror (saved_errno));
  return FALSE;
}

char *
byline_store_set_aside (const char  *path,
                        GError     **error)
{
  g_autofree char *aside = NULL;
  g_autofree char *wal = NULL;
  g_autofree char *wal_aside = NULL;
  g_autofree char *shm = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  aside = dup_beside (path, "set-aside");
  wal = g_strconcat (path, "-wal", NULL);
  wal_aside = g_strconcat (aside, "-wal", NULL);
  shm = g_strconcat (path, "-shm", NULL);

  /* The WAL first: a WAL left without its database would be read into the new one. */
  if (g_file_test (wal, G_FILE_TEST_EXISTS) && !rename_file (wal, wal_aside, error))
    return NULL;
  if (!rename_file (path, aside, error))
    {
      /* Both or neither: in one folder, what stops one rename stops the other. */
      g_rename (wal_aside, wal);
      return NULL;
    }
  /* The shared-memory index only describes the WAL; SQLite makes it again. */
  g_unlink (shm);
  return g_steal_pointer (&aside);
}

char *
byline_store_dup_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), APP_ID, "byline.db", NULL);
}

const char *
byline_store_get_path (BylineStore *self)
{
  g_return_val_if_fail (BYLINE_IS_STORE (self), NULL);

  return self->path;
}

int
byline_store_get_schema_version (BylineStore *self)
{
  g_return_val_if_fail (BYLINE_IS_STORE (self), 0);

  return self->schema_version;
}

gboolean
byline_store_get_read_only (BylineStore *self)
{
  g_return_val_if_fail (BYLINE_IS_STORE (self), FALSE);

  return self->read_only;
}

gboolean
byline_store_get_recovered (BylineStore *self)
{
  g_return_val_if_fail (BYLINE_IS_STORE (self), FALSE);

  return self->recovered;
}

gboolean
byline_store_close (BylineStore  *self,
                    GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gboolean ok = TRUE;

  g_return_val_if_fail (BYLINE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  if (!check_open (self, error))
    return FALSE;

  if (!self->read_only)
    {
      int rc;

      /* When this fails the next session reports a recovery, which is the safe side. */
      ok = byline_store_meta_table_set (self->connection, "session_open", "0", error);

      /* Folds the WAL into the database and empties it, so that the file on its own is whole
       * (a copy or a backup of byline.db alone has everything). */
      sqlite3_wal_hook (self->db, NULL, NULL);
      stop_checkpoints (self);
      rc = sqlite3_exec (self->db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        g_debug ("Could not checkpoint %s: %s", self->path, sqlite3_errmsg (self->db));
    }

  close_db (self);
  return ok;
}

BylineDraft *
byline_store_create_draft (BylineStore        *self,
                           BylineDraftFormat   format,
                           GError            **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  BylineDraft *draft;
  gint64 now = g_get_real_time ();
  gint64 id;
  /* A new draft is written in the system's language until the writer says otherwise. */
  g_autofree char *language = byline_language_dup_default ();

  g_return_val_if_fail (BYLINE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  if (!check_open (self, error))
    return NULL;
  if (!(id = byline_store_drafts_table_insert (self->connection, format, now, language, error)))
    return NULL;

  draft = byline_draft_new ();
  byline_draft_set_id (draft, id);
  byline_draft_set_format (draft, format);
  byline_draft_set_created_at (draft, now);
  byline_draft_set_modified_at (draft, now);
  byline_draft_set_language (draft, language);
  return draft;
}

GPtrArray *
byline_store_list_drafts (BylineStore  *self,
                          GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (BYLINE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  if (!check_open (self, error))
    return NULL;

  return byline_store_drafts_table_list (self->connection, error);
}

BylineDraft *
byline_store_load_draft (BylineStore  *self,
                         gint64        id,
                         GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GError *load_error = NULL;
  BylineDraft *draft;

  g_return_val_if_fail (BYLINE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  if (!check_open (self, error))
    return NULL;

  draft = byline_store_drafts_table_load (self->connection, id, &load_error);
  if (draft == NULL && load_error == NULL)
    set_not_found_error (&load_error, id);
  if (load_error != NULL)
    g_propagate_error (error, load_error);
  return draft;
}

BylineDraft *
byline_store_find_draft_by_source (BylineStore  *self,
                                   const char   *source_path,
                                   GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (BYLINE_IS_STORE (self), NULL);
  g_return_val_if_fail (source_path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  /* "" means "not opened from a file", which is no file at all. */
  if (*source_path == '\0')
    return NULL;

  locker = g_mutex_locker_new (&self->mutex);
  if (!check_open (self, error))
    return NULL;

  return byline_store_drafts_table_find_by_source (self->connection, source_path, error);
}

static gboolean
insert_revision_locked (BylineStore         *self,
                        gint64               draft_id,
                        BylineRevisionKind   kind,
                        gint64               created_at,
                        const char          *title,
                        const char          *body,
                        GError             **error)
{
  GError *insert_error = NULL;

  if (byline_store_revisions_table_insert (self->connection, draft_id, kind, created_at, title,
                                           body, &insert_error))
    return TRUE;
  /* The draft's row is gone (a foreign key). */
  if (g_error_matches (insert_error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND))
    {
      g_clear_error (&insert_error);
      set_not_found_error (&insert_error, draft_id);
    }
  g_propagate_error (error, insert_error);
  return FALSE;
}

/* Thins the revisions of @draft_id as byline-store.h says, inside the caller's transaction, at
 * @now. A failure that leaves the transaction open (SQLite undid only this statement) is logged
 * and no more: the save it is part of goes on, nothing is lost, and the next one tries again. */
static gboolean
thin_revisions_locked (BylineStore  *self,
                       gint64        draft_id,
                       gint64        now,
                       GError      **error)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GError) thin_error = NULL;
  gint64 utc_offset;
  gint64 n_deleted = 0;

  utc_offset = g_time_zone_get_offset (local,
                                       g_time_zone_find_interval (local, G_TIME_TYPE_UNIVERSAL,
                                                                  now / G_USEC_PER_SEC));
  if (byline_store_revisions_table_thin (self->connection, draft_id,
                                         now - KEEP_EVERY_REVISION_USEC,
                                         now - KEEP_HOURLY_REVISION_USEC,
                                         utc_offset * G_USEC_PER_SEC,
                                         BYLINE_REVISION_KIND_AUTOMATIC, THIN_BATCH, &n_deleted,
                                         &thin_error))
    {
      if (n_deleted > 0)
        g_debug ("Thinned %" G_GINT64_FORMAT " revisions of draft %" G_GINT64_FORMAT,
                 n_deleted, draft_id);
      return TRUE;
    }

  /* Some failures (a full disk, an I/O error) take the whole transaction with them. */
  if (sqlite3_get_autocommit (self->db))
    {
      g_propagate_error (error, g_steal_pointer (&thin_error));
      return FALSE;
    }
  g_message ("Keeping every revision of draft %" G_GINT64_FORMAT " for now: %s",
             draft_id, thin_error->message);
  return TRUE;
}

/* Whether this save should also record a revision, by the policy in byline-store.h. */
static gboolean
wants_revision (BylineStore     *self,
                BylineDraft     *draft,
                BylineSaveKind   kind,
                gint64           now,
                gboolean        *wanted,
                GError         **error)
{
  const char *title = byline_draft_get_title (draft);
  const char *body = byline_draft_get_body (draft);
  gboolean has_newest = FALSE;
  gboolean same = FALSE;
  gint64 newest_at = 0;

  /* Compared only when the answer matters (an explicit save, or a newest revision older than
   * the interval), since most automatic saves come within a minute of the last revision. */
  if (!byline_store_revisions_table_get_newest (self->connection, byline_draft_get_id (draft),
                                                title, body, kind == BYLINE_SAVE_EXPLICIT,
                                                now - AUTOMATIC_REVISION_INTERVAL_USEC,
                                                &has_newest, &newest_at, &same, error))
    return FALSE;

  switch (kind)
    {
    case BYLINE_SAVE_EXPLICIT:
      *wanted = !has_newest || !same;
      break;
    case BYLINE_SAVE_AUTOMATIC:
    default:
      if (!has_newest)
        *wanted = *title != '\0' || *body != '\0';
      else
        *wanted = !same && now - newest_at > AUTOMATIC_REVISION_INTERVAL_USEC;
      break;
    }
  return TRUE;
}

gboolean
byline_store_save_draft (BylineStore     *self,
                         BylineDraft     *draft,
                         BylineSaveKind   kind,
                         gint64          *modified_at,
                         GError         **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GError *update_error = NULL;
  gint64 id;
  gint64 now;
  gboolean revision = FALSE;

  g_return_val_if_fail (BYLINE_IS_STORE (self), FALSE);
  g_return_val_if_fail (BYLINE_IS_DRAFT (draft), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  id = byline_draft_get_id (draft);

  locker = g_mutex_locker_new (&self->mutex);
  if (!check_open (self, error) || !byline_sqlite_connection_begin (self->connection, error))
    return FALSE;

  now = g_get_real_time ();
  if (!byline_store_drafts_table_update (self->connection, draft, now, &update_error))
    {
      if (update_error == NULL)
        set_not_found_error (&update_error, id);
      g_propagate_error (error, update_error);
      goto failed;
    }

  if (!wants_revision (self, draft, kind, now, &revision, error))
    goto failed;
  if (revision &&
      (!insert_revision_locked (self, id,
                                kind == BYLINE_SAVE_EXPLICIT ? BYLINE_REVISION_KIND_EXPLICIT
                                                             : BYLINE_REVISION_KIND_AUTOMATIC,
                                now, byline_draft_get_title (draft), byline_draft_get_body (draft),
                                error) ||
       !thin_revisions_locked (self, id, now, error)))
    goto failed;

  if (!byline_sqlite_connection_commit (self->connection, error))
    goto failed;

  if (modified_at)
    *modified_at = now;
  return TRUE;

failed:
  byline_sqlite_connection_rollback (self->connection);
  return FALSE;
}

gboolean
byline_store_set_draft_deleted (BylineStore  *self,
                                gint64        id,
                                gboolean      deleted,
                                GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GError *set_error = NULL;

  g_return_val_if_fail (BYLINE_IS_STORE (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  locker = g_mutex_locker_new (&self->mutex);
  if (!check_open (self, error))
    return FALSE;

  if (byline_store_drafts_table_set_deleted (self->connection, id, deleted, g_get_real_time (),
                                             &set_error))
    return TRUE;
  if (set_error == NULL)
    set_not_found_error (&set_error, id);
  g_propagate_error (error, set_error);
  return FALSE;
}

GPtrArray *
byline_store_list_revisions (BylineStore  *self,
                             gint64        draft_id,
                             GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;

  g_return_val_if_fail (BYLINE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  if (!check_open (self, error))
    return NULL;

  return byline_store_revisions_table_list (self->connection, draft_id, error);
}

BylineRevision *
byline_store_load_revision (BylineStore  *self,
                            gint64        revision_id,
                            GError      **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  GError *load_error = NULL;
  BylineRevision *revision;

  g_return_val_if_fail (BYLINE_IS_STORE (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  locker = g_mutex_locker_new (&self->mutex);
  if (!check_open (self, error))
    return NULL;

  revision = byline_store_revisions_table_load (self->connection, revision_id, &load_error);
  if (revision == NULL && load_error == NULL)
    g_set_error_literal (&load_error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND,
                         _("This revision is no longer kept: older revisions are thinned to "
                           "one an hour, then one a day"));
  if (load_error != NULL)
    g_propagate_error (error, load_error);
  return revision;
}

gboolean
byline_store_add_revision (BylineStore         *self,
                           BylineDraft         *draft,
                           BylineRevisionKind   kind,
                           GError             **error)
{
  g_autoptr(GMutexLocker) locker = NULL;
  gint64 id;
  gint64 now;

  g_return_val_if_fail (BYLINE_IS_STORE (self), FALSE);
  g_return_val_if_fail (BYLINE_IS_DRAFT (draft), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  id = byline_draft_get_id (draft);

  locker = g_mutex_locker_new (&self->mutex);
  if (!check_open (self, error) || !byline_sqlite_connection_begin (self->connection, error))
    return FALSE;

  now = g_get_real_time ();
  if (!insert_revision_locked (self, id, kind, now, byline_draft_get_title (draft),
                               byline_draft_get_body (draft), error) ||
      !thin_revisions_locked (self, id, now, error) ||
      !byline_sqlite_connection_commit (self->connection, error))
    {
      byline_sqlite_connection_rollback (self->connection);
      return FALSE;
    }
  return TRUE;
}

void
byline_store_set_max_pages_for_testing (BylineStore *self,
                                        guint        pages)
{
  g_autoptr(GMutexLocker) locker = NULL;
  g_autofree char *sql = NULL;

  g_return_if_fail (BYLINE_IS_STORE (self));

  locker = g_mutex_locker_new (&self->mutex);
  g_return_if_fail (self->db != NULL);

  /* Per connection, hence here: it is how a test fills "the disk" without filling one. */
  sql = g_strdup_printf ("PRAGMA max_page_count = %u", pages);
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    g_warning ("Could not limit %s: %s", self->path, sqlite3_errmsg (self->db));
}

void
byline_store_pause_checkpoints_for_testing (BylineStore *self,
                                            gboolean     paused)
{
  g_return_if_fail (BYLINE_IS_STORE (self));

  g_mutex_lock (&self->checkpoint_mutex);
  self->checkpoint_paused = paused;
  g_cond_broadcast (&self->checkpoint_cond);
  g_mutex_unlock (&self->checkpoint_mutex);
}

guint
byline_store_wait_checkpoints_for_testing (BylineStore *self,
                                           guint        n_started,
                                           guint        timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * G_TIME_SPAN_MILLISECOND;
  guint n;

  g_return_val_if_fail (BYLINE_IS_STORE (self), 0);

  g_mutex_lock (&self->checkpoint_mutex);
  while (self->n_checkpoints < n_started &&
         g_cond_wait_until (&self->checkpoint_cond, &self->checkpoint_mutex, end))
    ;
  n = self->n_checkpoints;
  g_mutex_unlock (&self->checkpoint_mutex);
  return n;
}

/* For the classes that keep their own tables in this database (byline-store-private.h). */

BylineSqliteConnection *
_byline_store_lock (BylineStore  *self,
                    GError      **error)
{
  g_return_val_if_fail (BYLINE_IS_STORE (self), NULL);

  g_mutex_lock (&self->mutex);
  if (!check_open (self, error))
    {
      g_mutex_unlock (&self->mutex);
      return NULL;
    }
  return self->connection;
}

void
_byline_store_unlock (BylineStore *self)
{
  g_mutex_unlock (&self->mutex);
}

gboolean
_byline_store_get_version (BylineStore        *self,
                           BylineStoreVersion *version)
{
  g_autoptr(BylineSqliteStatement) stmt = NULL;

  g_return_val_if_fail (BYLINE_IS_STORE (self) && self->connection != NULL, FALSE);

  stmt = byline_sqlite_connection_get_statement (self->connection, "PRAGMA data_version", NULL);
  if (stmt == NULL || !byline_sqlite_statement_step (stmt, NULL))
    return FALSE;
  version->data_version = byline_sqlite_statement_get_int64 (stmt, 0);
  version->changes = sqlite3_total_changes64 (self->db);
  return TRUE;
}
