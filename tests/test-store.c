/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store.c: drafts, revisions and the SQLite store, including its failure modes. */

#include "config.h"

/* unshare () and CLONE_NEWNS, for the read-only mount test. */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#ifdef __linux__
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#endif

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "byline-store.h"
/* For the store's own connection, to count the pages a list reads. */
#include "byline-store-private.h"
#include "byline-test-immutable.h"
#include "byline-test-util.h"

/* The test's own handle on a database, beside the store's: what a second process would see. */
static sqlite3 *
raw_open (const char *path)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL),
                   ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  return db;
}

static void
raw_exec (sqlite3    *db,
          const char *sql)
{
  char *message = NULL;

  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
}

static gint64
raw_int (sqlite3    *db,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;
  gint64 value;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return value;
}

/* A database path in a fresh folder, one level further down than exists, so that every test
 * also checks that the store makes its folder. */
static char *
make_db_path (void)
{
  g_autofree char *dir = byline_test_make_tmpdir ("store");

  return g_build_filename (dir, "data", "byline.db", NULL);
}

static BylineStore *
open_store (const char *path)
{
  g_autoptr(GError) error = NULL;
  BylineStore *store = byline_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  return store;
}

static void
close_store (BylineStore *store)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (byline_store_close (store, &error));
  g_assert_no_error (error);
  g_object_unref (store);
}

static BylineDraft *
create_draft (BylineStore *store)
{
  g_autoptr(GError) error = NULL;
  BylineDraft *draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);

  g_assert_no_error (error);
  g_assert_nonnull (draft);
  return draft;
}

static gint64
save (BylineStore    *store,
      BylineDraft    *draft,
      BylineSaveKind  kind)
{
  g_autoptr(GError) error = NULL;
  gint64 modified_at = 0;

  g_assert_true (byline_store_save_draft (store, draft, kind, &modified_at, &error));
  g_assert_no_error (error);
  g_assert_cmpint (modified_at, >, 0);
  return modified_at;
}

static BylineDraft *
load (BylineStore *store,
      gint64       id)
{
  g_autoptr(GError) error = NULL;
  BylineDraft *draft = byline_store_load_draft (store, id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (draft);
  return draft;
}

static GPtrArray *
list_drafts (BylineStore *store)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *drafts = byline_store_list_drafts (store, &error);

  g_assert_no_error (error);
  g_assert_nonnull (drafts);
  return drafts;
}

static GPtrArray *
list_revisions (BylineStore *store,
                gint64       draft_id)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *revisions = byline_store_list_revisions (store, draft_id, &error);

  g_assert_no_error (error);
  g_assert_nonnull (revisions);
  return revisions;
}

static guint
n_drafts (BylineStore *store)
{
  g_autoptr(GPtrArray) drafts = list_drafts (store);

  return drafts->len;
}

static guint
n_revisions (BylineStore *store,
             gint64       draft_id)
{
  g_autoptr(GPtrArray) revisions = list_revisions (store, draft_id);

  return revisions->len;
}

static gint64
draft_id_at (GPtrArray *drafts,
             guint      i)
{
  return byline_draft_get_id (g_ptr_array_index (drafts, i));
}

/* Makes the draft's revisions look @seconds older, as if that time had passed. */
static void
age_revisions (const char *path,
               gint64      draft_id,
               int         seconds)
{
  sqlite3 *db = raw_open (path);
  g_autofree char *sql = g_strdup_printf ("UPDATE revisions SET created_at = created_at - %d"
                                          " WHERE draft_id = %" G_GINT64_FORMAT,
                                          seconds * 1000000, draft_id);

  raw_exec (db, sql);
  sqlite3_close (db);
}

/* Checks that @listed came without its body, then reads it with its body as the revisions
 * window does, and compares that with @expected. */
static void
assert_revision_body (BylineStore    *store,
                      BylineRevision *listed,
                      const char     *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineRevision) loaded = NULL;

  g_assert_null (byline_revision_get_body (listed));
  loaded = byline_store_load_revision (store, byline_revision_get_id (listed), &error);
  g_assert_no_error (error);
  g_assert_nonnull (loaded);
  g_assert_cmpint (byline_revision_get_id (loaded), ==, byline_revision_get_id (listed));
  g_assert_cmpint (byline_revision_get_draft_id (loaded), ==,
                   byline_revision_get_draft_id (listed));
  g_assert_cmpint (byline_revision_get_kind (loaded), ==, byline_revision_get_kind (listed));
  g_assert_cmpint (byline_revision_get_created_at (loaded), ==,
                   byline_revision_get_created_at (listed));
  g_assert_cmpstr (byline_revision_get_title (loaded), ==, byline_revision_get_title (listed));
  g_assert_cmpstr (byline_revision_get_body (loaded), ==, expected);
}

static void
assert_drafts_equal (BylineDraft *a,
                     BylineDraft *b)
{
  g_assert_cmpint (byline_draft_get_id (a), ==, byline_draft_get_id (b));
  g_assert_cmpint (byline_draft_get_format (a), ==, byline_draft_get_format (b));
  g_assert_cmpstr (byline_draft_get_title (a), ==, byline_draft_get_title (b));
  g_assert_cmpstr (byline_draft_get_body (a), ==, byline_draft_get_body (b));
  g_assert_cmpstr (byline_draft_get_slug (a), ==, byline_draft_get_slug (b));
  g_assert_cmpstr (byline_draft_get_excerpt (a), ==, byline_draft_get_excerpt (b));
  g_assert_cmpstr (byline_draft_get_categories (a), ==, byline_draft_get_categories (b));
  g_assert_cmpstr (byline_draft_get_tags (a), ==, byline_draft_get_tags (b));
  g_assert_cmpstr (byline_draft_get_author (a), ==, byline_draft_get_author (b));
  g_assert_cmpstr (byline_draft_get_publish_date (a), ==, byline_draft_get_publish_date (b));
  g_assert_cmpstr (byline_draft_get_source_path (a), ==, byline_draft_get_source_path (b));
  g_assert_cmpstr (byline_draft_get_language (a), ==, byline_draft_get_language (b));
  g_assert_cmpint (byline_draft_get_created_at (a), ==, byline_draft_get_created_at (b));
}

/* About 300 KB of Markdown with accents, quotes and characters outside the BMP. */
static char *
make_long_body (void)
{
  GString *body = g_string_new ("# Apres, après\n\n");

  for (guint i = 0; body->len < 300 * 1024; i++)
    g_string_append_printf (body, "Paragraphe %u : « Apres, après » — ça déménage 🗞️ 中文.\n\n", i);
  return g_string_free (body, FALSE);
}

static void
fill_every_field (BylineDraft *draft,
                  const char  *body)
{
  byline_draft_set_format (draft, BYLINE_DRAFT_FORMAT_HTML);
  byline_draft_set_title (draft, "« Apres, après »");
  byline_draft_set_body (draft, body);
  byline_draft_set_slug (draft, "apres-apres");
  byline_draft_set_excerpt (draft, "Un résumé — court.");
  byline_draft_set_categories (draft, "Économie, Société");
  byline_draft_set_tags (draft, "élections, 2026");
  byline_draft_set_author (draft, "Zoë Ångström");
  byline_draft_set_publish_date (draft, "2026-12-01T09:30");
  byline_draft_set_source_path (draft, "/home/zoë/articles/après.md");
  byline_draft_set_language (draft, "fr_CA");
}

/* BylineDraft */

typedef struct {
  guint changed;
  guint notify_title;
  guint notify_created_at;
} Counts;

static void
count_changed (BylineDraft *draft,
               Counts      *counts)
{
  counts->changed++;
}

static void
count_notify (BylineDraft *draft,
              GParamSpec  *pspec,
              Counts      *counts)
{
  if (g_str_equal (pspec->name, "title"))
    counts->notify_title++;
  else if (g_str_equal (pspec->name, "created-at"))
    counts->notify_created_at++;
}

static void
test_draft_properties (void)
{
  g_autoptr(BylineDraft) draft = byline_draft_new ();
  g_autoptr(BylineDraft) copy = NULL;
  g_autofree char *title = NULL;
  BylineDraftFormat format;
  Counts counts = { 0 };
  guint64 serial;

  /* Never NULL, even before anything is set. */
  g_assert_cmpstr (byline_draft_get_title (draft), ==, "");
  g_assert_cmpstr (byline_draft_get_body (draft), ==, "");
  g_assert_cmpstr (byline_draft_get_source_path (draft), ==, "");
  g_object_get (draft, "publish-date", &title, NULL);
  g_assert_cmpstr (title, ==, "");
  g_clear_pointer (&title, g_free);

  g_signal_connect (draft, "changed", G_CALLBACK (count_changed), &counts);
  g_signal_connect (draft, "notify", G_CALLBACK (count_notify), &counts);

  serial = byline_draft_get_change_serial (draft);
  byline_draft_set_title (draft, "Hello");
  g_assert_cmpuint (counts.changed, ==, 1);
  g_assert_cmpuint (counts.notify_title, ==, 1);
  g_assert_cmpuint (byline_draft_get_change_serial (draft), ==, serial + 1);

  /* The same value again is no change. */
  byline_draft_set_title (draft, "Hello");
  g_object_set (draft, "title", "Hello", NULL);
  g_assert_cmpuint (counts.changed, ==, 1);
  g_assert_cmpuint (counts.notify_title, ==, 1);

  /* NULL reads back as "". */
  byline_draft_set_title (draft, NULL);
  g_assert_cmpstr (byline_draft_get_title (draft), ==, "");
  g_assert_cmpuint (counts.changed, ==, 2);

  /* Timestamps and the id are bookkeeping: notified, but not changes. */
  serial = byline_draft_get_change_serial (draft);
  byline_draft_set_created_at (draft, 1234);
  byline_draft_set_modified_at (draft, 5678);
  byline_draft_set_id (draft, 42);
  g_assert_cmpuint (counts.notify_created_at, ==, 1);
  g_assert_cmpuint (counts.changed, ==, 2);
  g_assert_cmpuint (byline_draft_get_change_serial (draft), ==, serial);

  /* The format is an enum property. */
  g_assert_true (G_TYPE_IS_ENUM (BYLINE_TYPE_DRAFT_FORMAT));
  g_object_set (draft, "format", BYLINE_DRAFT_FORMAT_HTML, NULL);
  g_object_get (draft, "format", &format, NULL);
  g_assert_cmpint (format, ==, BYLINE_DRAFT_FORMAT_HTML);
  g_assert_cmpuint (counts.changed, ==, 3);

  fill_every_field (draft, "Body");
  copy = byline_draft_copy (draft);
  assert_drafts_equal (draft, copy);
  g_assert_cmpint (byline_draft_get_modified_at (copy), ==, byline_draft_get_modified_at (draft));
  g_assert_cmpuint (byline_draft_get_change_serial (copy), ==,
                    byline_draft_get_change_serial (draft));

  /* The copy is independent. */
  byline_draft_set_body (copy, "Other");
  g_assert_cmpstr (byline_draft_get_body (draft), ==, "Body");
}

static char *
display_title (const char *title,
               const char *body)
{
  g_autoptr(BylineDraft) draft = byline_draft_new ();

  byline_draft_set_title (draft, title);
  byline_draft_set_body (draft, body);
  return byline_draft_dup_display_title (draft);
}

static void
test_draft_display_title (void)
{
  static const struct {
    const char *title;
    const char *body;
    const char *expected;
  } cases[] = {
    { "  Hello  ", "# Not this", "Hello" },
    { "", "# Après la pluie\nLe beau temps", "Après la pluie" },
    { " \t", "\n\n## Heading *one*\nmore", "Heading one" },
    { "", "> - quoted item\n", "quoted item" },
    { "", "* starred item", "starred item" },
    { "", "#tag is not a heading", "#tag is not a heading" },
    { "", "", "Untitled draft" },
    { "", "#\n>\n", "Untitled draft" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = display_title (cases[i].title, cases[i].body);

      g_assert_cmpstr (shown, ==, cases[i].expected);
    }
}

static char *
snippet (const char *body,
         guint       n_chars)
{
  g_autoptr(BylineDraft) draft = byline_draft_new ();

  byline_draft_set_body (draft, body);
  return byline_draft_dup_snippet (draft, n_chars);
}

static void
test_draft_snippet (void)
{
  static const struct {
    const char *body;
    guint n_chars;
    const char *expected;
  } cases[] = {
    { "# Title\n\nSome *emphasis*, __strong__ and `code` in snake_case_name.\n- item\n> quote",
      200, "Title Some emphasis, strong and code in snake_case_name. item quote" },
    { "2 * 3 = 6", 20, "2 * 3 = 6" },
    { "one two three four", 10, "one two…" },
    { "one two three", 8, "one two…" },
    { "Après après après", 8, "Après…" },
    { "abcdefghij", 5, "abcd…" },
    { "short", 5, "short" },
    { "anything", 0, "" },
    { "", 10, "" },
    { "   \n\n  ", 10, "" },
  };
  g_autofree char *long_body = make_long_body ();
  g_autofree char *long_snippet = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *shown = snippet (cases[i].body, cases[i].n_chars);

      g_assert_cmpstr (shown, ==, cases[i].expected);
      g_assert_cmpint (g_utf8_strlen (shown, -1), <=, cases[i].n_chars);
    }

  long_snippet = snippet (long_body, 40);
  g_assert_true (g_utf8_validate (long_snippet, -1, NULL));
  g_assert_true (g_str_has_prefix (long_snippet, "Apres, après Paragraphe 0"));
  g_assert_true (g_str_has_suffix (long_snippet, "…"));
  g_assert_cmpint (g_utf8_strlen (long_snippet, -1), <=, 40);
}

/* BylineStore */

static void
test_create_save_load (void)
{
  g_autofree char *path = make_db_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *body = make_long_body ();
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) loaded = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  GStatBuf st;
  gint64 before = g_get_real_time ();
  gint64 modified_at;

  store = open_store (path);
  g_assert_cmpstr (byline_store_get_path (store), ==, path);
  g_assert_cmpint (byline_store_get_schema_version (store), ==, BYLINE_STORE_SCHEMA_VERSION);
  g_assert_false (byline_store_get_recovered (store));

  /* The folder is made, private to the user. */
  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);

  /* A new draft is written in the system's language, as the store says too. */
  g_setenv ("LANGUAGE", "fr_BE.UTF-8", TRUE);
  draft = create_draft (store);
  g_unsetenv ("LANGUAGE");
  g_assert_cmpstr (byline_draft_get_language (draft), ==, "fr_BE");
  g_assert_cmpint (byline_draft_get_id (draft), >, 0);
  g_assert_cmpint (byline_draft_get_created_at (draft), >=, before);
  g_assert_cmpint (byline_draft_get_modified_at (draft), ==, byline_draft_get_created_at (draft));

  /* A new draft is listed, empty. */
  drafts = list_drafts (store);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpstr (byline_draft_get_body (g_ptr_array_index (drafts, 0)), ==, "");
  g_assert_cmpstr (byline_draft_get_language (g_ptr_array_index (drafts, 0)), ==, "fr_BE");
  g_clear_pointer (&drafts, g_ptr_array_unref);

  fill_every_field (draft, body);
  modified_at = save (store, draft, BYLINE_SAVE_EXPLICIT);
  g_assert_cmpint (modified_at, >=, byline_draft_get_created_at (draft));
  /* The draft itself is not touched: the caller sets what it wants. */
  g_assert_cmpint (byline_draft_get_modified_at (draft), ==, byline_draft_get_created_at (draft));

  loaded = load (store, byline_draft_get_id (draft));
  assert_drafts_equal (draft, loaded);
  g_assert_cmpint (byline_draft_get_modified_at (loaded), ==, modified_at);
  g_assert_cmpuint (strlen (byline_draft_get_body (loaded)), >=, 300 * 1024);

  close_store (g_steal_pointer (&store));
}

static void
test_default_path (void)
{
  g_autofree char *path = byline_store_dup_default_path ();
  g_autofree char *expected = g_build_filename (g_get_user_data_dir (), APP_ID, "byline.db", NULL);

  g_assert_cmpstr (path, ==, expected);
}

static void
test_list_order (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) a = create_draft (store);
  g_autoptr(BylineDraft) b = create_draft (store);
  g_autoptr(BylineDraft) c = create_draft (store);
  g_autoptr(GPtrArray) drafts = NULL;

  byline_draft_set_title (a, "A");
  byline_draft_set_title (b, "B");
  byline_draft_set_title (c, "C");
  save (store, b, BYLINE_SAVE_AUTOMATIC);
  g_usleep (1000);
  save (store, c, BYLINE_SAVE_AUTOMATIC);
  g_usleep (1000);
  save (store, a, BYLINE_SAVE_AUTOMATIC);

  drafts = list_drafts (store);
  g_assert_cmpuint (drafts->len, ==, 3);
  g_assert_cmpint (draft_id_at (drafts, 0), ==, byline_draft_get_id (a));
  g_assert_cmpint (draft_id_at (drafts, 1), ==, byline_draft_get_id (c));
  g_assert_cmpint (draft_id_at (drafts, 2), ==, byline_draft_get_id (b));
  g_clear_pointer (&drafts, g_ptr_array_unref);

  g_usleep (1000);
  save (store, b, BYLINE_SAVE_AUTOMATIC);
  drafts = list_drafts (store);
  g_assert_cmpint (draft_id_at (drafts, 0), ==, byline_draft_get_id (b));
  g_assert_cmpstr (byline_draft_get_title (g_ptr_array_index (drafts, 0)), ==, "B");

  close_store (g_steal_pointer (&store));
}

static void
test_reopen (void)
{
  g_autofree char *path = make_db_path ();
  g_autofree char *body = make_long_body ();
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) draft = create_draft (store);
  g_autoptr(BylineDraft) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  gint64 modified_at;

  fill_every_field (draft, body);
  modified_at = save (store, draft, BYLINE_SAVE_AUTOMATIC);
  g_assert_true (byline_store_close (store, &error));
  g_assert_no_error (error);

  /* The WAL was folded in: the database file alone holds everything. */
  g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));

  /* A closed store says so. */
  g_assert_false (byline_store_close (store, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_null (byline_store_load_draft (store, byline_draft_get_id (draft), &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CLOSED);
  g_clear_error (&error);
  g_assert_false (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CLOSED);
  g_clear_error (&error);
  g_clear_object (&store);

  store = open_store (path);
  g_assert_false (byline_store_get_recovered (store));
  loaded = load (store, byline_draft_get_id (draft));
  assert_drafts_equal (draft, loaded);
  g_assert_cmpint (byline_draft_get_modified_at (loaded), ==, modified_at);
  close_store (g_steal_pointer (&store));
}

static void
test_recovered (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) draft = create_draft (store);
  g_autoptr(BylineDraft) loaded = NULL;

  g_assert_false (byline_store_get_recovered (store));
  byline_draft_set_body (draft, "Written just before the crash");
  save (store, draft, BYLINE_SAVE_AUTOMATIC);

  /* Dropped without close: from the database's side, a crash. */
  g_clear_object (&store);

  store = open_store (path);
  g_assert_true (byline_store_get_recovered (store));
  loaded = load (store, byline_draft_get_id (draft));
  g_assert_cmpstr (byline_draft_get_body (loaded), ==, "Written just before the crash");
  close_store (g_steal_pointer (&store));

  store = open_store (path);
  g_assert_false (byline_store_get_recovered (store));
  close_store (g_steal_pointer (&store));
}

static void
test_not_found (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) draft = byline_draft_new ();
  g_autoptr(GError) error = NULL;

  byline_draft_set_id (draft, 12345);
  byline_draft_set_body (draft, "Nowhere to go");
  g_assert_false (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_null (byline_store_load_draft (store, 12345, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (byline_store_add_revision (store, draft, BYLINE_REVISION_KIND_RESTORE, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_assert_false (byline_store_set_draft_deleted (store, 12345, TRUE, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Nothing half-written was left behind. */
  g_assert_cmpuint (n_drafts (store), ==, 0);
  close_store (g_steal_pointer (&store));
}

static void
test_revisions_automatic (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) draft = create_draft (store);
  g_autoptr(GPtrArray) revisions = NULL;
  gint64 id = byline_draft_get_id (draft);
  BylineRevision *newest;

  /* Nothing to keep in an empty draft. */
  save (store, draft, BYLINE_SAVE_AUTOMATIC);
  g_assert_cmpuint (n_revisions (store, id), ==, 0);

  /* The first save with text takes one... */
  byline_draft_set_body (draft, "First words");
  save (store, draft, BYLINE_SAVE_AUTOMATIC);
  revisions = list_revisions (store, id);
  g_assert_cmpuint (revisions->len, ==, 1);
  newest = g_ptr_array_index (revisions, 0);
  g_assert_cmpint (byline_revision_get_kind (newest), ==, BYLINE_REVISION_KIND_AUTOMATIC);
  g_assert_cmpint (byline_revision_get_draft_id (newest), ==, id);
  assert_revision_body (store, newest, "First words");
  g_clear_pointer (&revisions, g_ptr_array_unref);

  /* ...and the next ones within a minute do not. */
  byline_draft_set_body (draft, "First words, then more");
  save (store, draft, BYLINE_SAVE_AUTOMATIC);
  g_assert_cmpuint (n_revisions (store, id), ==, 1);

  /* A minute later, a save that differs takes another. */
  age_revisions (path, id, 61);
  save (store, draft, BYLINE_SAVE_AUTOMATIC);
  revisions = list_revisions (store, id);
  g_assert_cmpuint (revisions->len, ==, 2);
  assert_revision_body (store, g_ptr_array_index (revisions, 0), "First words, then more");
  assert_revision_body (store, g_ptr_array_index (revisions, 1), "First words");
  g_assert_cmpint (byline_revision_get_created_at (g_ptr_array_index (revisions, 0)), >,
                   byline_revision_get_created_at (g_ptr_array_index (revisions, 1)));
  g_clear_pointer (&revisions, g_ptr_array_unref);

  /* Old but the same: nothing new to keep. */
  age_revisions (path, id, 61);
  save (store, draft, BYLINE_SAVE_AUTOMATIC);
  g_assert_cmpuint (n_revisions (store, id), ==, 2);

  close_store (g_steal_pointer (&store));
}

static void
test_revisions_explicit (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) draft = create_draft (store);
  g_autoptr(GPtrArray) revisions = NULL;
  gint64 id = byline_draft_get_id (draft);

  byline_draft_set_title (draft, "Title");
  byline_draft_set_body (draft, "Body");
  save (store, draft, BYLINE_SAVE_EXPLICIT);
  g_assert_cmpuint (n_revisions (store, id), ==, 1);

  /* Ctrl+S twice on the same text keeps one. */
  save (store, draft, BYLINE_SAVE_EXPLICIT);
  g_assert_cmpuint (n_revisions (store, id), ==, 1);

  /* Within the minute, but asked for: kept. A title change is a change. */
  byline_draft_set_title (draft, "Better title");
  save (store, draft, BYLINE_SAVE_EXPLICIT);
  byline_draft_set_body (draft, "Body, edited");
  save (store, draft, BYLINE_SAVE_EXPLICIT);

  revisions = list_revisions (store, id);
  g_assert_cmpuint (revisions->len, ==, 3);
  assert_revision_body (store, g_ptr_array_index (revisions, 0), "Body, edited");
  g_assert_cmpstr (byline_revision_get_title (g_ptr_array_index (revisions, 1)), ==, "Better title");
  g_assert_cmpstr (byline_revision_get_title (g_ptr_array_index (revisions, 2)), ==, "Title");
  for (guint i = 0; i < revisions->len; i++)
    g_assert_cmpint (byline_revision_get_kind (g_ptr_array_index (revisions, i)), ==,
                     BYLINE_REVISION_KIND_EXPLICIT);

  close_store (g_steal_pointer (&store));
}

static void
test_revisions_restore (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) draft = create_draft (store);
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = byline_draft_get_id (draft);
  BylineRevision *newest;
  BylineRevisionKind kind;

  byline_draft_set_body (draft, "Version one");
  save (store, draft, BYLINE_SAVE_EXPLICIT);
  byline_draft_set_body (draft, "Version two");
  save (store, draft, BYLINE_SAVE_EXPLICIT);

  /* Restoring version one first records version two. */
  g_assert_true (byline_store_add_revision (store, draft, BYLINE_REVISION_KIND_RESTORE, &error));
  g_assert_no_error (error);

  revisions = list_revisions (store, id);
  g_assert_cmpuint (revisions->len, ==, 3);
  newest = g_ptr_array_index (revisions, 0);
  g_assert_cmpint (byline_revision_get_kind (newest), ==, BYLINE_REVISION_KIND_RESTORE);
  assert_revision_body (store, newest, "Version two");
  g_object_get (newest, "kind", &kind, NULL);
  g_assert_cmpint (kind, ==, BYLINE_REVISION_KIND_RESTORE);

  close_store (g_steal_pointer (&store));
}

/* Where a revision planted for the thinning tests lies in time. */
typedef enum {
  PLANTED_MINUTES_AGO,   /* @back minutes ago */
  PLANTED_HOURS,         /* minute @at of the clock hour @back hours before the current one */
  PLANTED_DAYS,          /* @at o'clock on the day @back days before today */
  PLANTED_MINUTES_AHEAD, /* @back minutes from now: the clock was ahead when it was kept */
} PlantedWhen;

typedef struct {
  PlantedWhen         when;
  int                 back;
  int                 at;
  BylineRevisionKind  kind;
  gboolean            kept;
} Planted;

#define AUTOMATIC BYLINE_REVISION_KIND_AUTOMATIC
#define EXPLICIT  BYLINE_REVISION_KIND_EXPLICIT
#define RESTORE   BYLINE_REVISION_KIND_RESTORE

/* Clear of the edges of the buckets: the hours are 2 to 22 hours back (the whole hour is between
 * a day and an hour ago), the days 2 or more back, between 03:00 and 22:00 (a day ago is
 * yesterday at the latest, and a change of summer time moves nothing to another day). */
static const Planted thinning_timeline[] = {
  /* The last hour: all kept. */
  { PLANTED_MINUTES_AGO, 50, 0, AUTOMATIC, TRUE },
  { PLANTED_MINUTES_AGO, 30, 0, EXPLICIT, TRUE },
  { PLANTED_MINUTES_AGO, 10, 0, AUTOMATIC, TRUE },
  { PLANTED_MINUTES_AGO, 9, 0, AUTOMATIC, TRUE },
  /* The last day: the newest of each hour... */
  { PLANTED_HOURS, 2, 10, AUTOMATIC, FALSE },
  { PLANTED_HOURS, 2, 25, AUTOMATIC, FALSE },
  { PLANTED_HOURS, 2, 40, AUTOMATIC, FALSE },
  { PLANTED_HOURS, 2, 55, AUTOMATIC, TRUE },
  /* ...unless one was saved with Ctrl+S: it wins over newer automatic ones... */
  { PLANTED_HOURS, 3, 10, AUTOMATIC, FALSE },
  { PLANTED_HOURS, 3, 25, EXPLICIT, TRUE },
  { PLANTED_HOURS, 3, 40, AUTOMATIC, FALSE },
  { PLANTED_HOURS, 3, 55, AUTOMATIC, FALSE },
  /* ...and among those asked for (Ctrl+S, or kept before a restore), the newest. */
  { PLANTED_HOURS, 4, 10, EXPLICIT, FALSE },
  { PLANTED_HOURS, 4, 30, RESTORE, TRUE },
  { PLANTED_HOURS, 4, 50, AUTOMATIC, FALSE },
  { PLANTED_HOURS, 5, 20, AUTOMATIC, TRUE },
  { PLANTED_HOURS, 7, 5, AUTOMATIC, FALSE },
  { PLANTED_HOURS, 7, 6, AUTOMATIC, TRUE },
  { PLANTED_HOURS, 22, 30, AUTOMATIC, FALSE },
  { PLANTED_HOURS, 22, 31, AUTOMATIC, TRUE },
  /* Before that, one per day, chosen the same way. */
  { PLANTED_DAYS, 2, 3, AUTOMATIC, FALSE },
  { PLANTED_DAYS, 2, 9, AUTOMATIC, FALSE },
  { PLANTED_DAYS, 2, 15, AUTOMATIC, FALSE },
  { PLANTED_DAYS, 2, 21, AUTOMATIC, TRUE },
  { PLANTED_DAYS, 3, 8, AUTOMATIC, FALSE },
  { PLANTED_DAYS, 3, 12, EXPLICIT, TRUE },
  { PLANTED_DAYS, 3, 20, AUTOMATIC, FALSE },
  { PLANTED_DAYS, 4, 6, RESTORE, FALSE },
  { PLANTED_DAYS, 4, 7, EXPLICIT, TRUE },
  { PLANTED_DAYS, 4, 22, AUTOMATIC, FALSE },
  { PLANTED_DAYS, 5, 10, AUTOMATIC, TRUE },
  { PLANTED_DAYS, 40, 4, AUTOMATIC, FALSE },
  { PLANTED_DAYS, 40, 20, AUTOMATIC, TRUE },
  { PLANTED_DAYS, 400, 12, EXPLICIT, TRUE },
  /* The newest revision, dated ahead of the clock: never thinned. */
  { PLANTED_MINUTES_AHEAD, 120, 0, AUTOMATIC, TRUE },
};

static gint64
usec_of (GDateTime *time)
{
  return g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
}

/* The time @planted stands for, seen from @now (local time). */
static gint64
planted_time (const Planted *planted,
              GDateTime     *now)
{
  g_autoptr(GDateTime) start = NULL;
  g_autoptr(GDateTime) shifted = NULL;
  g_autoptr(GDateTime) time = NULL;

  switch (planted->when)
    {
    case PLANTED_MINUTES_AGO:
      return usec_of (now) - planted->back * G_TIME_SPAN_MINUTE;
    case PLANTED_MINUTES_AHEAD:
      return usec_of (now) + planted->back * G_TIME_SPAN_MINUTE;
    case PLANTED_HOURS:
      start = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                     g_date_time_get_day_of_month (now),
                                     g_date_time_get_hour (now), 0, 0);
      time = g_date_time_add_minutes (start, planted->at - 60 * planted->back);
      return usec_of (time);
    case PLANTED_DAYS:
    default:
      start = g_date_time_new_local (g_date_time_get_year (now), g_date_time_get_month (now),
                                     g_date_time_get_day_of_month (now), 0, 0, 0);
      shifted = g_date_time_add_days (start, -planted->back);
      time = g_date_time_new_local (g_date_time_get_year (shifted),
                                    g_date_time_get_month (shifted),
                                    g_date_time_get_day_of_month (shifted), planted->at, 0, 0);
      return usec_of (time);
    }
}

/* Puts a revision straight into the database, dated @created_at as if it had been kept then;
 * returns its id. */
static gint64
plant_revision (sqlite3            *db,
                gint64              draft_id,
                BylineRevisionKind  kind,
                gint64              created_at,
                const char         *body)
{
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT INTO revisions (draft_id, kind, created_at,"
                                       " title, body) VALUES (?1, ?2, ?3, 'Planted', ?4)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, draft_id);
  sqlite3_bind_int (stmt, 2, kind);
  sqlite3_bind_int64 (stmt, 3, created_at);
  sqlite3_bind_text (stmt, 4, body, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  return sqlite3_last_insert_rowid (db);
}

static int
compare_ids (gconstpointer a,
             gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return x < y ? -1 : x > y;
}

/* The ids of @revisions, sorted. */
static GArray *
sorted_ids (GPtrArray *revisions)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  for (guint i = 0; i < revisions->len; i++)
    {
      gint64 revision_id = byline_revision_get_id (g_ptr_array_index (revisions, i));

      g_array_append_val (ids, revision_id);
    }
  g_array_sort (ids, compare_ids);
  return ids;
}

static void
assert_ids_equal (GArray *actual,
                  GArray *expected)
{
  g_array_sort (expected, compare_ids);
  for (guint i = 0; i < MIN (actual->len, expected->len); i++)
    g_assert_cmpint (g_array_index (actual, gint64, i), ==, g_array_index (expected, gint64, i));
  g_assert_cmpuint (actual->len, ==, expected->len);
}

/* Saving with a new revision thins the older ones to every one of the last hour, one per hour of
 * the last day and one per day before that, a revision saved on purpose winning its bucket. */
static void
test_revisions_thinning (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) draft = create_draft (store);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) listed_ids = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  gint64 id = byline_draft_get_id (draft);
  gint64 ahead_id = 0;
  gint64 saved_id;
  sqlite3 *db = raw_open (path);

  for (guint i = 0; i < G_N_ELEMENTS (thinning_timeline); i++)
    {
      const Planted *planted = &thinning_timeline[i];
      g_autofree char *body = g_strdup_printf ("Planted %u", i);
      gint64 revision_id = plant_revision (db, id, planted->kind, planted_time (planted, now),
                                           body);

      if (planted->kept)
        g_array_append_val (expected, revision_id);
      if (planted->when == PLANTED_MINUTES_AHEAD)
        ahead_id = revision_id;
    }
  sqlite3_close (db);

  /* Planting thinned nothing; the next revision kept does. */
  g_assert_cmpuint (n_revisions (store, id), ==, G_N_ELEMENTS (thinning_timeline));
  byline_draft_set_body (draft, "Now");
  save (store, draft, BYLINE_SAVE_EXPLICIT);

  revisions = list_revisions (store, id);
  g_assert_cmpuint (revisions->len, ==, expected->len + 1);
  /* The newest first, then what was just saved. */
  g_assert_cmpint (byline_revision_get_id (g_ptr_array_index (revisions, 0)), ==, ahead_id);
  saved_id = byline_revision_get_id (g_ptr_array_index (revisions, 1));
  assert_revision_body (store, g_ptr_array_index (revisions, 1), "Now");
  g_array_append_val (expected, saved_id);
  listed_ids = sorted_ids (revisions);
  assert_ids_equal (listed_ids, expected);
  g_clear_pointer (&listed_ids, g_array_unref);
  g_clear_pointer (&revisions, g_ptr_array_unref);

  /* What is left is what the rule keeps: the next revision takes nothing else away. */
  byline_draft_set_body (draft, "Now, and then some");
  save (store, draft, BYLINE_SAVE_EXPLICIT);
  revisions = list_revisions (store, id);
  g_assert_cmpuint (revisions->len, ==, expected->len + 1);
  saved_id = byline_revision_get_id (g_ptr_array_index (revisions, 1));
  g_array_append_val (expected, saved_id);
  listed_ids = sorted_ids (revisions);
  assert_ids_equal (listed_ids, expected);

  close_store (g_steal_pointer (&store));
}

/* A long history from before thinning is worked off over several saves, a bounded number of
 * revisions at a time, down to what the rule keeps. */
static void
test_revisions_thinning_bounded (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) draft = create_draft (store);
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GPtrArray) revisions = NULL;
  const Planted day = { PLANTED_DAYS, 3, 3, AUTOMATIC, FALSE };
  const guint n_planted = 200;
  gint64 id = byline_draft_get_id (draft);
  gint64 newest_planted = 0;
  guint n_saves = 0;
  guint left;
  sqlite3 *db = raw_open (path);

  /* A whole working day, one every five minutes from 03:00 to 19:35. */
  for (guint i = 0; i < n_planted; i++)
    newest_planted = plant_revision (db, id, AUTOMATIC,
                                     planted_time (&day, now) + i * 5 * G_TIME_SPAN_MINUTE,
                                     "Planted");
  sqlite3_close (db);

  /* One save deletes some, not all (THIN_BATCH in byline-store.c, 32)... */
  byline_draft_set_body (draft, "Save 0");
  save (store, draft, BYLINE_SAVE_EXPLICIT);
  left = n_revisions (store, id) - 1;
  g_assert_cmpuint (left, <, n_planted);
  g_assert_cmpuint (left, >, 1);

  /* ...and the next ones the rest, down to the newest of the day. */
  while (left > 1)
    {
      g_autofree char *body = g_strdup_printf ("Save %u", ++n_saves);

      g_assert_cmpuint (n_saves, <=, n_planted);
      byline_draft_set_body (draft, body);
      save (store, draft, BYLINE_SAVE_EXPLICIT);
      left = n_revisions (store, id) - (n_saves + 1);
    }
  g_test_message ("%u planted revisions thinned to 1 in %u saves", n_planted, n_saves + 1);
  revisions = list_revisions (store, id);
  g_assert_cmpint (byline_revision_get_id (g_ptr_array_index (revisions, revisions->len - 1)),
                   ==, newest_planted);

  close_store (g_steal_pointer (&store));
}

/* Thinning that fails does not fail the save it is part of: the text is saved, every revision is
 * kept, and a later save thins them. */
static void
test_revisions_thinning_refused (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) draft = create_draft (store);
  g_autoptr(BylineDraft) loaded = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  const Planted day = { PLANTED_DAYS, 2, 9, AUTOMATIC, FALSE };
  gint64 id = byline_draft_get_id (draft);
  sqlite3 *db = raw_open (path);

  for (guint i = 0; i < 5; i++)
    plant_revision (db, id, AUTOMATIC, planted_time (&day, now) + i * G_TIME_SPAN_MINUTE,
                    "Planted");
  raw_exec (db, "CREATE TRIGGER refuse_deleting BEFORE DELETE ON revisions"
            " BEGIN SELECT RAISE (ABORT, 'refused by the test'); END");

  byline_draft_set_body (draft, "Saved all the same");
  save (store, draft, BYLINE_SAVE_EXPLICIT);
  loaded = load (store, id);
  g_assert_cmpstr (byline_draft_get_body (loaded), ==, "Saved all the same");
  g_assert_cmpuint (n_revisions (store, id), ==, 6);

  raw_exec (db, "DROP TRIGGER refuse_deleting");
  sqlite3_close (db);
  byline_draft_set_body (draft, "Saved again");
  save (store, draft, BYLINE_SAVE_EXPLICIT);
  g_assert_cmpuint (n_revisions (store, id), ==, 3);

  close_store (g_steal_pointer (&store));
}

/* After thinning, a kept revision still restores: the current text is kept first (which thins
 * too), the old text goes back into the draft, and both can be read. */
static void
test_revisions_restore_after_thinning (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) draft = create_draft (store);
  g_autoptr(BylineDraft) loaded = NULL;
  g_autoptr(BylineRevision) old = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GError) error = NULL;
  const Planted morning = { PLANTED_DAYS, 3, 8, AUTOMATIC, FALSE };
  const Planted noon = { PLANTED_DAYS, 3, 12, EXPLICIT, TRUE };
  const Planted evening = { PLANTED_DAYS, 3, 20, AUTOMATIC, FALSE };
  const Planted just_now = { PLANTED_MINUTES_AGO, 0, 0, AUTOMATIC, TRUE };
  gint64 id = byline_draft_get_id (draft);
  gint64 noon_id;
  sqlite3 *db = raw_open (path);

  plant_revision (db, id, morning.kind, planted_time (&morning, now), "Written in the morning");
  noon_id = plant_revision (db, id, noon.kind, planted_time (&noon, now), "Saved at noon");
  plant_revision (db, id, evening.kind, planted_time (&evening, now), "Written in the evening");
  plant_revision (db, id, just_now.kind, planted_time (&just_now, now), "Today's text");
  sqlite3_close (db);

  /* The same text as the newest revision: no revision, so nothing thinned yet. */
  byline_draft_set_body (draft, "Today's text");
  save (store, draft, BYLINE_SAVE_AUTOMATIC);
  g_assert_cmpuint (n_revisions (store, id), ==, 4);

  /* What the editor does to restore: keep the current text (which thins), then save the old
   * one. */
  old = byline_store_load_revision (store, noon_id, &error);
  g_assert_no_error (error);
  g_assert_true (byline_store_add_revision (store, draft, BYLINE_REVISION_KIND_RESTORE, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_revisions (store, id), ==, 3);
  byline_draft_set_body (draft, byline_revision_get_body (old));
  save (store, draft, BYLINE_SAVE_AUTOMATIC);

  loaded = load (store, id);
  g_assert_cmpstr (byline_draft_get_body (loaded), ==, "Saved at noon");
  revisions = list_revisions (store, id);
  g_assert_cmpuint (revisions->len, ==, 3);
  g_assert_cmpint (byline_revision_get_kind (g_ptr_array_index (revisions, 0)), ==,
                   BYLINE_REVISION_KIND_RESTORE);
  assert_revision_body (store, g_ptr_array_index (revisions, 0), "Today's text");
  assert_revision_body (store, g_ptr_array_index (revisions, 1), "Today's text");
  g_assert_cmpint (byline_revision_get_id (g_ptr_array_index (revisions, 2)), ==, noon_id);
  assert_revision_body (store, g_ptr_array_index (revisions, 2), "Saved at noon");
  g_clear_pointer (&revisions, g_ptr_array_unref);

  /* A revision thinned away since it was listed says so. */
  g_assert_null (byline_store_load_revision (store, noon_id + 1, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND);

  close_store (g_steal_pointer (&store));
}

/* Pages the store's connection has read from the file since the last call. */
static int
pages_read (BylineStore *store)
{
  g_autoptr(GError) error = NULL;
  BylineSqliteConnection *connection = _byline_store_lock (store, &error);
  sqlite3 *db = connection != NULL ? byline_sqlite_connection_get_handle (connection) : NULL;
  int current = 0;
  int highwater = 0;

  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_db_status (db, SQLITE_DBSTATUS_CACHE_MISS, &current, &highwater, TRUE),
                   ==, SQLITE_OK);
  _byline_store_unlock (store);
  return current;
}

/* Listing revisions reads no bodies: neither into the revisions listed nor from the file, where
 * listing 12 revisions of a 300 KB text costs fewer pages than reading one of them. */
static void
test_revisions_list_without_bodies (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) draft = create_draft (store);
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GPtrArray) bodies = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(BylineRevision) loaded = NULL;
  g_autoptr(GError) error = NULL;
  gint64 id = byline_draft_get_id (draft);
  const guint n = 12;
  int list_pages;
  int body_pages;

  for (guint i = 0; i < n; i++)
    {
      GString *body = g_string_new (NULL);

      while (body->len < 300 * 1024)
        g_string_append_printf (body, "Version %u: ministers met in Brussels. ", i);
      byline_draft_set_title (draft, "Ministers in Brussels");
      byline_draft_set_body (draft, body->str);
      save (store, draft, BYLINE_SAVE_EXPLICIT);
      g_ptr_array_add (bodies, g_string_free (body, FALSE));
    }

  /* From a fresh connection, with nothing in its page cache. */
  close_store (g_steal_pointer (&store));
  store = open_store (path);

  pages_read (store);
  revisions = list_revisions (store, id);
  list_pages = pages_read (store);
  g_assert_cmpuint (revisions->len, ==, n);
  /* Fewer pages than one body fills. */
  g_assert_cmpint (list_pages, <, 300 * 1024 / 4096);
  for (guint i = 0; i < n; i++)
    {
      BylineRevision *listed = g_ptr_array_index (revisions, i);

      g_assert_null (byline_revision_get_body (listed));
      g_assert_cmpstr (byline_revision_get_title (listed), ==, "Ministers in Brussels");
    }

  /* The body is there on demand. */
  loaded = byline_store_load_revision (store, byline_revision_get_id (g_ptr_array_index (revisions,
                                                                                         n - 1)),
                                       &error);
  g_assert_no_error (error);
  body_pages = pages_read (store);
  g_assert_cmpstr (byline_revision_get_body (loaded), ==, g_ptr_array_index (bodies, 0));
  g_test_message ("Listing %u revisions read %d pages; one body, %d", n, list_pages, body_pages);
  g_assert_cmpint (body_pages, >=, 300 * 1024 / 4096);

  for (guint i = 0; i < n; i++)
    assert_revision_body (store, g_ptr_array_index (revisions, i),
                          g_ptr_array_index (bodies, n - 1 - i));

  close_store (g_steal_pointer (&store));
}

static void
test_delete_undelete (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) a = create_draft (store);
  g_autoptr(BylineDraft) b = create_draft (store);
  g_autoptr(BylineDraft) loaded = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;

  byline_draft_set_body (a, "Draft A");
  save (store, a, BYLINE_SAVE_AUTOMATIC);

  g_assert_true (byline_store_set_draft_deleted (store, byline_draft_get_id (a), TRUE, &error));
  g_assert_no_error (error);
  drafts = list_drafts (store);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpint (draft_id_at (drafts, 0), ==, byline_draft_get_id (b));
  g_clear_pointer (&drafts, g_ptr_array_unref);

  /* Still there for Undo, and an autosave still in flight still lands. */
  byline_draft_set_body (a, "Draft A, last words");
  save (store, a, BYLINE_SAVE_AUTOMATIC);
  loaded = load (store, byline_draft_get_id (a));
  g_assert_cmpstr (byline_draft_get_body (loaded), ==, "Draft A, last words");
  g_assert_cmpuint (n_drafts (store), ==, 1);

  g_assert_true (byline_store_set_draft_deleted (store, byline_draft_get_id (a), FALSE, &error));
  g_assert_no_error (error);
  drafts = list_drafts (store);
  g_assert_cmpuint (drafts->len, ==, 2);
  g_assert_cmpint (draft_id_at (drafts, 0), ==, byline_draft_get_id (a));

  close_store (g_steal_pointer (&store));
}

static void
test_purge (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) old = create_draft (store);
  g_autoptr(BylineDraft) recent = create_draft (store);
  g_autoptr(BylineDraft) kept = create_draft (store);
  g_autoptr(BylineDraft) loaded = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  sqlite3 *db;

  byline_draft_set_body (old, "Deleted eight days ago");
  save (store, old, BYLINE_SAVE_EXPLICIT);
  byline_draft_set_body (recent, "Deleted six days ago");
  save (store, recent, BYLINE_SAVE_EXPLICIT);
  g_assert_true (byline_store_set_draft_deleted (store, byline_draft_get_id (old), TRUE, NULL));
  g_assert_true (byline_store_set_draft_deleted (store, byline_draft_get_id (recent), TRUE, NULL));
  close_store (g_steal_pointer (&store));

  db = raw_open (path);
  sql = g_strdup_printf ("UPDATE drafts SET deleted_at = deleted_at - 8 * 86400000000 WHERE id = %"
                         G_GINT64_FORMAT ";"
                         "UPDATE drafts SET deleted_at = deleted_at - 6 * 86400000000 WHERE id = %"
                         G_GINT64_FORMAT,
                         byline_draft_get_id (old), byline_draft_get_id (recent));
  raw_exec (db, sql);
  sqlite3_close (db);

  store = open_store (path);
  g_assert_null (byline_store_load_draft (store, byline_draft_get_id (old), &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND);
  loaded = load (store, byline_draft_get_id (recent));
  g_assert_cmpstr (byline_draft_get_body (loaded), ==, "Deleted six days ago");
  drafts = list_drafts (store);
  g_assert_cmpuint (drafts->len, ==, 1);
  g_assert_cmpint (draft_id_at (drafts, 0), ==, byline_draft_get_id (kept));
  close_store (g_steal_pointer (&store));

  /* The purged draft's revisions went with it. */
  db = raw_open (path);
  g_clear_pointer (&sql, g_free);
  sql = g_strdup_printf ("SELECT count(*) FROM revisions WHERE draft_id = %" G_GINT64_FORMAT,
                         byline_draft_get_id (old));
  g_assert_cmpint (raw_int (db, sql), ==, 0);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM revisions"), ==, 1);
  sqlite3_close (db);
}

static void
test_find_by_source (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) draft = create_draft (store);
  g_autoptr(BylineDraft) other = create_draft (store);
  g_autoptr(BylineDraft) found = NULL;
  g_autoptr(GError) error = NULL;

  byline_draft_set_source_path (draft, "/home/zoë/articles/après.md");
  byline_draft_set_body (draft, "From a file");
  save (store, draft, BYLINE_SAVE_AUTOMATIC);
  save (store, other, BYLINE_SAVE_AUTOMATIC);

  found = byline_store_find_draft_by_source (store, "/home/zoë/articles/après.md", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpint (byline_draft_get_id (found), ==, byline_draft_get_id (draft));
  g_assert_cmpstr (byline_draft_get_body (found), ==, "From a file");
  g_clear_object (&found);

  /* Exact matches only: the caller canonicalises. */
  g_assert_null (byline_store_find_draft_by_source (store, "/home/zoë/articles/../articles/après.md",
                                                    &error));
  g_assert_no_error (error);
  g_assert_null (byline_store_find_draft_by_source (store, "/home/zoë/articles/apres.md", &error));
  g_assert_no_error (error);
  /* "" is "no file", which every new draft has. */
  g_assert_null (byline_store_find_draft_by_source (store, "", &error));
  g_assert_no_error (error);

  /* Deleted or not. */
  g_assert_true (byline_store_set_draft_deleted (store, byline_draft_get_id (draft), TRUE, NULL));
  found = byline_store_find_draft_by_source (store, "/home/zoë/articles/après.md", &error);
  g_assert_no_error (error);
  g_assert_nonnull (found);
  g_assert_cmpint (byline_draft_get_id (found), ==, byline_draft_get_id (draft));

  close_store (g_steal_pointer (&store));
}

static void
test_migrate_v1 (void)
{
  g_autofree char *path = make_db_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autofree char *journal_mode = NULL;
  BylineDraft *first;
  BylineDraft *second;
  sqlite3 *db;

  /* A database as the first version left it. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  db = raw_open (path);
  raw_exec (db,
            "CREATE TABLE drafts (id INTEGER PRIMARY KEY, title TEXT NOT NULL DEFAULT '',"
            "  body TEXT NOT NULL DEFAULT '', modified_at INTEGER NOT NULL);"
            "INSERT INTO drafts (id, title, body, modified_at)"
            "  VALUES (3, '« Apres, après »', 'Un corps — en français.', 1700000000000000);"
            "INSERT INTO drafts (id, title, body, modified_at)"
            "  VALUES (7, 'Older', 'Second body', 1600000000000000);"
            "PRAGMA user_version = 1;");
  sqlite3_close (db);

  store = open_store (path);
  g_assert_cmpint (byline_store_get_schema_version (store), ==, BYLINE_STORE_SCHEMA_VERSION);
  g_assert_false (byline_store_get_recovered (store));

  drafts = list_drafts (store);
  g_assert_cmpuint (drafts->len, ==, 2);
  first = g_ptr_array_index (drafts, 0);
  second = g_ptr_array_index (drafts, 1);
  g_assert_cmpint (byline_draft_get_id (first), ==, 3);
  g_assert_cmpstr (byline_draft_get_title (first), ==, "« Apres, après »");
  g_assert_cmpstr (byline_draft_get_body (first), ==, "Un corps — en français.");
  g_assert_cmpint (byline_draft_get_modified_at (first), ==, 1700000000000000);
  g_assert_cmpint (byline_draft_get_created_at (first), ==, 1700000000000000);
  g_assert_cmpint (byline_draft_get_format (first), ==, BYLINE_DRAFT_FORMAT_MARKDOWN);
  g_assert_cmpstr (byline_draft_get_slug (first), ==, "");
  /* Drafts from before languages follow the system's. */
  g_assert_cmpstr (byline_draft_get_language (first), ==, "");
  g_assert_cmpint (byline_draft_get_id (second), ==, 7);
  g_assert_cmpstr (byline_draft_get_body (second), ==, "Second body");
  g_assert_cmpint (byline_draft_get_created_at (second), ==, 1600000000000000);

  /* The new columns and tables work on the old rows. */
  byline_draft_set_slug (first, "apres");
  byline_draft_set_language (first, "fr_FR");
  save (store, first, BYLINE_SAVE_EXPLICIT);
  g_assert_cmpuint (n_revisions (store, 3), ==, 1);
  close_store (g_steal_pointer (&store));

  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, BYLINE_STORE_SCHEMA_VERSION);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM drafts WHERE id = 3 AND language = 'fr_FR'"),
                   ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_master WHERE name IN"
                            " ('revisions', 'meta', 'drafts_modified_at',"
                            "  'revisions_draft_created', 'accounts')"), ==, 5);
  journal_mode = byline_test_sql_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "wal");
  sqlite3_close (db);
}

/* A database of schema 7, the last without languages: its drafts follow the system's language,
 * and a language set afterwards is kept. */
static void
test_migrate_v7 (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) loaded = NULL;
  gint64 id;
  sqlite3 *db;

  store = open_store (path);
  draft = create_draft (store);
  id = byline_draft_get_id (draft);
  byline_draft_set_title (draft, "Avant");
  save (store, draft, BYLINE_SAVE_AUTOMATIC);
  close_store (g_steal_pointer (&store));

  /* Version 7's shape: the same without the column, the check's tables (version 9), the
   * base kept with links (version 10), the moderation reasons and trail (version 11), the
   * canned replies (version 12) and the holds of creates (version 13). */
  db = raw_open (path);
  raw_exec (db, "ALTER TABLE drafts DROP COLUMN language; DROP TABLE check_overrides;"
            "DROP TABLE check_policies; ALTER TABLE remote_posts DROP COLUMN base;"
            "DROP TABLE moderation_log; DROP TABLE moderation_reasons;"
            "ALTER TABLE comments DROP COLUMN reason; DROP TABLE canned_replies;"
            "ALTER TABLE outbox DROP COLUMN create_settles_at;"
            "ALTER TABLE comment_actions DROP COLUMN create_settles_at;"
            " PRAGMA user_version = 7;");
  sqlite3_close (db);

  store = open_store (path);
  g_assert_cmpint (byline_store_get_schema_version (store), ==, BYLINE_STORE_SCHEMA_VERSION);
  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info ('remote_posts')"
                            " WHERE name = 'base'"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                            " AND name IN ('check_policies', 'check_overrides',"
                            "  'moderation_reasons', 'moderation_log')"), ==, 4);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'"
                            " AND name = 'canned_replies'"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info ('outbox')"
                            " WHERE name = 'create_settles_at'"), ==, 1);
  g_assert_cmpint (raw_int (db, "SELECT count(*) FROM pragma_table_info ('comment_actions')"
                            " WHERE name = 'create_settles_at'"), ==, 1);
  sqlite3_close (db);
  loaded = load (store, id);
  g_assert_cmpstr (byline_draft_get_title (loaded), ==, "Avant");
  g_assert_cmpstr (byline_draft_get_language (loaded), ==, "");
  byline_draft_set_language (loaded, "fr_FR");
  save (store, loaded, BYLINE_SAVE_AUTOMATIC);
  g_clear_object (&loaded);
  loaded = load (store, id);
  g_assert_cmpstr (byline_draft_get_language (loaded), ==, "fr_FR");
  close_store (g_steal_pointer (&store));
}

static void
test_too_new (void)
{
  g_autofree char *path = make_db_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *journal_mode = NULL;
  sqlite3 *db;

  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  db = raw_open (path);
  raw_exec (db, "CREATE TABLE future (x); PRAGMA user_version = 99;");
  sqlite3_close (db);

  store = byline_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version"));
  g_assert_nonnull (strstr (error->message, path));
  g_test_message ("%s", error->message);

  /* Left exactly as it was: not even switched to WAL. */
  db = raw_open (path);
  g_assert_cmpint (raw_int (db, "PRAGMA user_version"), ==, 99);
  journal_mode = byline_test_sql_text (db, "PRAGMA journal_mode");
  g_assert_cmpstr (journal_mode, ==, "delete");
  sqlite3_close (db);
}

static void
test_corrupt (void)
{
  g_autofree char *path = make_db_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);
  g_autofree char *garbage = g_malloc (16384);
  g_autofree char *after = NULL;
  gsize after_len;

  for (guint i = 0; i < 16384; i++)
    garbage[i] = (char) g_rand_int_range (rand, 0, 256);
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, garbage, 16384, NULL));

  store = byline_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, path));
  g_test_message ("%s", error->message);

  /* Not "repaired" into an empty database: the user may still rescue it. */
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (after, after_len, garbage, 16384);
}

static void
test_full (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) draft = create_draft (store);
  g_autoptr(BylineDraft) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *huge = NULL;
  gint64 id = byline_draft_get_id (draft);

  byline_draft_set_title (draft, "Précieux");
  byline_draft_set_body (draft, "Le texte déjà enregistré.");
  save (store, draft, BYLINE_SAVE_EXPLICIT);

  /* No room to grow: SQLite keeps the cap at the current size. */
  byline_store_set_max_pages_for_testing (store, 1);
  huge = g_strnfill (2 * 1024 * 1024, 'x');
  byline_draft_set_body (draft, huge);
  g_assert_false (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_FULL);
  g_assert_nonnull (strstr (error->message, "full"));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  /* The failed save left nothing half-done, and the store still works. */
  loaded = load (store, id);
  g_assert_cmpstr (byline_draft_get_body (loaded), ==, "Le texte déjà enregistré.");
  g_clear_object (&loaded);
  g_assert_cmpuint (n_revisions (store, id), ==, 1);
  close_store (g_steal_pointer (&store));

  store = open_store (path);
  g_assert_false (byline_store_get_recovered (store));
  loaded = load (store, id);
  g_assert_cmpstr (byline_draft_get_title (loaded), ==, "Précieux");
  g_assert_cmpstr (byline_draft_get_body (loaded), ==, "Le texte déjà enregistré.");
  close_store (g_steal_pointer (&store));
}

/* A store as the app leaves it: @n drafts of a couple of kilobytes each, closed cleanly. */
static void
make_real_store (const char *path,
                 guint       n)
{
  g_autoptr(BylineStore) store = open_store (path);

  for (guint i = 1; i <= n; i++)
    {
      g_autoptr(BylineDraft) draft = create_draft (store);
      g_autofree char *title = g_strdup_printf ("Brouillon %u", i);
      g_autoptr(GString) body = g_string_new (NULL);

      for (guint j = 0; j < 40; j++)
        g_string_append_printf (body, "Paragraphe %u du brouillon %u, à garder. ", j, i);
      byline_draft_set_title (draft, title);
      byline_draft_set_body (draft, body->str);
      save (store, draft, BYLINE_SAVE_EXPLICIT);
    }
  close_store (g_steal_pointer (&store));
}

static GBytes *
read_bytes (const char *path)
{
  g_autoptr(GMappedFile) mapped = g_mapped_file_new (path, FALSE, NULL);

  g_assert_nonnull (mapped);
  return g_mapped_file_get_bytes (mapped);
}

static void
assert_same_bytes (const char *path,
                   GBytes     *expected)
{
  g_autoptr(GBytes) bytes = read_bytes (path);

  g_assert_true (g_bytes_equal (bytes, expected));
}

/* A real store cut short (truncated, as a copy that ran out of room leaves it, or emptied): the
 * store refuses it with CORRUPT and changes nothing, where SQLite alone reads an empty file as a
 * new database and a shorter one as fewer drafts. A copy can be kept, and it can be set aside
 * for a new, empty store. */
static void
test_cut_short (void)
{
  g_autofree char *original = make_db_path ();
  g_autoptr(GBytes) whole = NULL;
  gsize size;
  sqlite3 *db;
  gint64 page_size;

  make_real_store (original, 30);
  whole = read_bytes (original);
  size = g_bytes_get_size (whole);
  db = raw_open (original);
  page_size = raw_int (db, "PRAGMA page_size");
  g_assert_cmpint (raw_int (db, "PRAGMA page_count") * page_size, ==, size);
  sqlite3_close (db);

  /* Empty, one page, half of it, all but its last page, and all but its last byte. */
  for (gsize cut = 0; cut < 5; cut++)
    {
      gsize cuts[] = { 0, page_size, size / 2, size - page_size, size - 1 };
      g_autofree char *path = make_db_path ();
      g_autofree char *dir = g_path_get_dirname (path);
      g_autofree char *wal = g_strconcat (path, "-wal", NULL);
      g_autofree char *copy = NULL;
      g_autofree char *aside = NULL;
      g_autoptr(GBytes) short_bytes = g_bytes_new_from_bytes (whole, 0, cuts[cut]);
      g_autoptr(BylineStore) store = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
      g_assert_true (g_file_set_contents (path, g_bytes_get_data (short_bytes, NULL), cuts[cut],
                                          NULL));

      store = byline_store_open (path, &error);
      g_assert_null (store);
      g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CORRUPT);
      g_assert_nonnull (strstr (error->message, path));
      g_test_message ("%" G_GSIZE_FORMAT " bytes: %s", cuts[cut], error->message);
      g_clear_error (&error);
      /* Left exactly as it was: no WAL begun, not a byte written. */
      assert_same_bytes (path, short_bytes);
      g_assert_false (g_file_test (wal, G_FILE_TEST_EXISTS));

      copy = byline_store_keep_copy (path, &error);
      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (copy, path));
      g_assert_nonnull (strstr (copy, ".kept-"));
      assert_same_bytes (copy, short_bytes);

      /* A new store, once the person chooses it; the old file kept as it was. */
      aside = byline_store_set_aside (path, &error);
      g_assert_no_error (error);
      g_assert_nonnull (strstr (aside, ".set-aside-"));
      g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
      assert_same_bytes (aside, short_bytes);
      store = open_store (path);
      g_assert_cmpuint (n_drafts (store), ==, 0);
      close_store (g_steal_pointer (&store));
      assert_same_bytes (copy, short_bytes);
    }
}

/* Overwrites the start of the b-tree page of @table, found as SQLite describes its file: the
 * table's root page in sqlite_schema, at (page - 1) * page_size. */
static void
corrupt_table_page (const char *path,
                    const char *table)
{
  static const guint8 garbage[16] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
                                      0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
  sqlite3 *db = raw_open (path);
  gint64 page_size = raw_int (db, "PRAGMA page_size");
  g_autofree char *root_sql = g_strdup_printf ("SELECT rootpage FROM sqlite_schema "
                                               "WHERE name = '%s'", table);
  gint64 root = raw_int (db, root_sql);
  int fd;

  sqlite3_close (db);
  g_assert_cmpint (root, >, 1);
  fd = g_open (path, O_WRONLY, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, garbage, sizeof garbage, (root - 1) * page_size), ==,
                   sizeof garbage);
  g_assert_true (g_close (fd, NULL));
}

/* A real store of 30 drafts with @table's page damaged, refused with CORRUPT, not a byte
 * changed; its path into @path, its damaged bytes returned. */
static GBytes *
make_refused_damaged_store (char       **path,
                            const char  *table)
{
  g_autoptr(GError) error = NULL;
  GBytes *damaged;

  *path = make_db_path ();
  make_real_store (*path, 30);
  corrupt_table_page (*path, table);
  damaged = read_bytes (*path);

  g_assert_null (byline_store_open (*path, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CORRUPT);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "damaged"));
  assert_same_bytes (*path, damaged);
  return damaged;
}

/* A real store with a damaged page: refused with CORRUPT, unchanged; read-only, it opens and
 * says that the drafts cannot be listed rather than listing none. */
static void
test_corrupt_page (void)
{
  g_autofree char *path = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) damaged = make_refused_damaged_store (&path, "drafts");
  g_autofree char *copy = NULL;

  copy = byline_store_keep_copy (path, &error);
  g_assert_no_error (error);
  assert_same_bytes (copy, damaged);

  store = byline_store_open_read_only (path, &error);
  g_assert_no_error (error);
  g_assert_true (byline_store_get_read_only (store));
  drafts = byline_store_list_drafts (store, &error);
  g_assert_null (drafts);
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CORRUPT);
  g_clear_error (&error);
  close_store (g_steal_pointer (&store));
  assert_same_bytes (path, damaged);
}

/* Damage in a table the start does not read (the revisions): refused all the same, before a byte
 * of it changes, and not found first in the middle of work. */
static void
test_corrupt_page_unread (void)
{
  g_autofree char *path = NULL;
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) damaged = make_refused_damaged_store (&path, "revisions");

  /* Read-only, the drafts, whose pages are whole, can still be read and copied out. */
  store = byline_store_open_read_only (path, &error);
  g_assert_no_error (error);
  drafts = byline_store_list_drafts (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (drafts->len, ==, 30);
  close_store (g_steal_pointer (&store));
  assert_same_bytes (path, damaged);
}

/* The drafts file and its log made read-only under an open store (the immutable attribute): a
 * save fails as READ_ONLY, whatever errno SQLite reports with its I/O error, the store keeps
 * what it held, and the next save, once the file may be written again, goes through. */
static void
test_read_only_while_open (void)
{
  g_autofree char *dir = byline_test_make_tmpdir ("immutable");
  g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) stored = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) files = NULL;
  BylineTestImmutableGuard guard;
  const char *why = byline_test_why_no_immutable (dir);

  if (why != NULL)
    {
      g_test_skip (why);
      return;
    }
  store = open_store (path);
  draft = create_draft (store);
  byline_draft_set_body (draft, "Saved before.");
  save (store, draft, BYLINE_SAVE_EXPLICIT);

  files = g_new0 (char *, 3);
  files[0] = g_strdup (path);
  files[1] = g_strconcat (path, "-wal", NULL);
  byline_test_immutable_guard_start (&guard, files);
  byline_test_immutable_guard_set (&guard);

  byline_draft_set_body (draft, "Typed while the file could not be written.");
  g_assert_false (byline_store_save_draft (store, draft, BYLINE_SAVE_AUTOMATIC, NULL, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_READ_ONLY);
  g_test_message ("%s", error->message);
  g_clear_error (&error);
  stored = load (store, byline_draft_get_id (draft));
  g_assert_cmpstr (byline_draft_get_body (stored), ==, "Saved before.");
  g_clear_object (&stored);

  byline_test_immutable_guard_finish (&guard);
  save (store, draft, BYLINE_SAVE_AUTOMATIC);
  close_store (g_steal_pointer (&store));
  store = open_store (path);
  stored = load (store, byline_draft_get_id (draft));
  g_assert_cmpstr (byline_draft_get_body (stored), ==, "Typed while the file could not be written.");
  close_store (g_steal_pointer (&store));
}

/* A store from a newer Byline (schema 13, a column this one does not know): refused, then read
 * read-only, drafts and all, without a byte of it changed. */
static void
test_too_new_read_only (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) newer = NULL;
  g_autofree char *future = g_strdup_printf ("ALTER TABLE drafts ADD COLUMN future TEXT;"
                                             "PRAGMA user_version = %d;",
                                             BYLINE_STORE_SCHEMA_VERSION + 1);
  sqlite3 *db;

  make_real_store (path, 30);
  db = raw_open (path);
  raw_exec (db, future);
  sqlite3_close (db);
  newer = read_bytes (path);

  store = byline_store_open (path, &error);
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_TOO_NEW);
  g_clear_error (&error);

  store = byline_store_open_read_only (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (byline_store_get_schema_version (store), ==, BYLINE_STORE_SCHEMA_VERSION + 1);
  drafts = list_drafts (store);
  g_assert_cmpuint (drafts->len, ==, 30);
  draft = load (store, draft_id_at (drafts, 0));
  g_assert_cmpstr (byline_draft_get_title (draft), ==, "Brouillon 30");
  g_assert_nonnull (strstr (byline_draft_get_body (draft), "Paragraphe 39 du brouillon 30"));

  byline_draft_set_body (draft, "Not to be written");
  g_assert_false (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);
  close_store (g_steal_pointer (&store));
  assert_same_bytes (path, newer);
}

/* Makes a database with one draft in a fresh folder for the read-only tests. */
static gint64
make_read_only_candidate (const char *path)
{
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(BylineDraft) draft = create_draft (store);
  gint64 id = byline_draft_get_id (draft);

  byline_draft_set_title (draft, "Lecture seule");
  byline_draft_set_body (draft, "Still readable, après tout.");
  save (store, draft, BYLINE_SAVE_EXPLICIT);
  close_store (g_steal_pointer (&store));
  return id;
}

/* What every read-only store must do: show the drafts and refuse, with a reason, to write. */
static void
check_read_only_store (const char *path)
{
  g_autoptr(BylineStore) store = open_store (path);
  g_autoptr(GPtrArray) drafts = list_drafts (store);
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) created = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (drafts->len, ==, 1);
  draft = load (store, draft_id_at (drafts, 0));
  g_assert_cmpstr (byline_draft_get_title (draft), ==, "Lecture seule");
  g_assert_cmpstr (byline_draft_get_body (draft), ==, "Still readable, après tout.");
  g_assert_cmpuint (list_revisions (store, byline_draft_get_id (draft))->len, ==, 1);
  g_assert_false (byline_store_get_recovered (store));

  byline_draft_set_body (draft, "This cannot be saved");
  g_assert_false (byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_READ_ONLY);
  g_assert_nonnull (strstr (error->message, "cannot be written"));
  g_assert_nonnull (strstr (error->message, path));
  g_test_message ("%s", error->message);
  g_clear_error (&error);

  created = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  g_assert_null (created);
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_READ_ONLY);
  g_clear_error (&error);

  /* Reading still works after the failures. */
  g_clear_object (&draft);
  draft = load (store, draft_id_at (drafts, 0));
  g_assert_cmpstr (byline_draft_get_body (draft), ==, "Still readable, après tout.");
  /* Nothing to fold back: the checkpoint worker never started. */
  g_assert_cmpuint (byline_store_wait_checkpoints_for_testing (store, 1, 0), ==, 0);

  close_store (g_steal_pointer (&store));
}

#ifdef __linux__
/* Binds @dir onto itself read-only in a private mount namespace of this process. Root ignores
 * file modes, not a read-only mount, so this is a real EROFS even in CI. */
static gboolean
mount_read_only (const char *dir)
{
  return unshare (CLONE_NEWNS) == 0 &&
         mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
         mount (dir, dir, NULL, MS_BIND, NULL) == 0 &&
         mount (NULL, dir, NULL, MS_BIND | MS_REMOUNT | MS_RDONLY, NULL) == 0;
}

/* Tries the above in a throwaway child, so that the test can be skipped where it cannot run. */
static gboolean
can_mount_read_only (const char *dir)
{
  g_autofree char *probe = g_build_filename (dir, "probe", NULL);
  int status = 0;
  pid_t pid;

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    {
      int fd;

      /* Only system calls between fork and _exit: the parent has threads. */
      if (!mount_read_only (dir))
        _exit (1);
      fd = open (probe, O_CREAT | O_WRONLY, 0600);
      _exit (fd < 0 && errno == EROFS ? 0 : 1);
    }
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}
/* Mounts a @kib KiB tmpfs on @dir in a private mount namespace of this process: a real disk
 * that fills up, for root (in CI too) without filling the machine's. */
static gboolean
mount_small_disk (const char *dir,
                  guint       kib)
{
  char options[32];

  g_snprintf (options, sizeof options, "size=%uk", kib);
  return unshare (CLONE_NEWNS) == 0 &&
         mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) == 0 &&
         mount ("tmpfs", dir, "tmpfs", MS_NOSUID | MS_NODEV, options) == 0;
}

static gboolean
can_mount_small_disk (const char *dir)
{
  int status = 0;
  pid_t pid;

  pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid == 0)
    _exit (mount_small_disk (dir, 64) ? 0 : 1);
  g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
  return WIFEXITED (status) && WEXITSTATUS (status) == 0;
}

/* Writes @path until the disk has no room left. */
static void
fill_disk (const char *path)
{
  char block[4096] = { 0 };
  int fd = g_open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

  g_assert_cmpint (fd, >=, 0);
  while (write (fd, block, sizeof block) > 0)
    ;
  g_assert_cmpint (errno, ==, ENOSPC);
  g_assert_true (g_close (fd, NULL));
}
#endif

/* The disk fills up for real (a small tmpfs) under a store in use: saves fail with FULL and
 * leave the saved text whole, and once there is room again the same store saves, without being
 * opened again. */
static void
test_full_disk (void)
{
#ifdef __linux__
  if (g_test_subprocess ())
    {
      const char *dir = g_getenv ("BYLINE_TEST_SMALL_DISK");
      g_autofree char *path = g_build_filename (dir, "byline.db", NULL);
      g_autofree char *filler = g_build_filename (dir, "filler", NULL);
      g_autoptr(BylineStore) store = NULL;
      g_autoptr(BylineDraft) draft = NULL;
      g_autoptr(BylineDraft) loaded = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) longer = g_string_new ("Le texte déjà enregistré.");
      g_autofree char *integrity = NULL;
      sqlite3 *db;
      gint64 id;

      g_assert_true (mount_small_disk (dir, 2048));
      store = open_store (path);
      draft = create_draft (store);
      id = byline_draft_get_id (draft);
      byline_draft_set_title (draft, "Précieux");
      byline_draft_set_body (draft, longer->str);
      save (store, draft, BYLINE_SAVE_EXPLICIT);

      fill_disk (filler);
      while (longer->len < 200 * 1024)
        g_string_append (longer, " Tapé pendant que le disque était plein.");
      byline_draft_set_body (draft, longer->str);
      for (int i = 0; i < 3; i++)
        {
          g_assert_false (byline_store_save_draft (store, draft, i == 0 ? BYLINE_SAVE_EXPLICIT
                                                                        : BYLINE_SAVE_AUTOMATIC,
                                                   NULL, &error));
          g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_FULL);
          g_test_message ("%s", error->message);
          g_clear_error (&error);
        }
      loaded = load (store, id);
      g_assert_cmpstr (byline_draft_get_body (loaded), ==, "Le texte déjà enregistré.");
      g_clear_object (&loaded);

      /* Room again: the same store, still open, saves. */
      g_assert_cmpint (g_unlink (filler), ==, 0);
      byline_store_save_draft (store, draft, BYLINE_SAVE_AUTOMATIC, NULL, &error);
      g_assert_no_error (error);
      loaded = load (store, id);
      g_assert_cmpstr (byline_draft_get_body (loaded), ==, longer->str);
      close_store (g_steal_pointer (&store));

      db = raw_open (path);
      integrity = byline_test_sql_text (db, "PRAGMA integrity_check");
      g_assert_cmpstr (integrity, ==, "ok");
      sqlite3_close (db);
      return;
    }
  else
    {
      g_autofree char *dir = byline_test_make_tmpdir ("small-disk");

      if (!can_mount_small_disk (dir))
        {
          g_test_skip ("Cannot mount a tmpfs in a private mount namespace here (needs "
                       "CAP_SYS_ADMIN)");
          return;
        }
      g_setenv ("BYLINE_TEST_SMALL_DISK", dir, TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_unsetenv ("BYLINE_TEST_SMALL_DISK");
      g_test_trap_assert_passed ();
    }
#else
  g_test_skip ("Mount namespaces are Linux only");
#endif
}

static void
test_read_only_mount (void)
{
#ifdef __linux__
  if (g_test_subprocess ())
    {
      const char *path = g_getenv ("BYLINE_TEST_READ_ONLY_DB");
      g_autofree char *dir = g_path_get_dirname (path);

      g_assert_true (mount_read_only (dir));
      check_read_only_store (path);
      return;
    }
  else
    {
      g_autofree char *path = make_db_path ();
      g_autofree char *dir = g_path_get_dirname (path);
      g_autoptr(BylineStore) store = NULL;
      g_autoptr(BylineDraft) draft = NULL;
      gint64 id = make_read_only_candidate (path);

      if (!can_mount_read_only (dir))
        {
          g_test_skip ("Cannot make a private read-only bind mount here (needs CAP_SYS_ADMIN)");
          return;
        }

      g_setenv ("BYLINE_TEST_READ_ONLY_DB", path, TRUE);
      g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_unsetenv ("BYLINE_TEST_READ_ONLY_DB");
      g_test_trap_assert_passed ();

      /* The read-only session wrote nothing, not even its session mark. */
      store = open_store (path);
      g_assert_false (byline_store_get_recovered (store));
      draft = load (store, id);
      g_assert_cmpstr (byline_draft_get_body (draft), ==, "Still readable, après tout.");
      close_store (g_steal_pointer (&store));
    }
#else
  g_test_skip ("Mount namespaces are Linux only");
#endif
}

/* A database that the user may not write: as root, the check runs in a child that has become
 * "nobody", since root writes whatever the modes say. @data is the database file's mode: 0444 (a
 * read-only file) or 0666 (a writable file in a folder the user may not write, where SQLite can
 * open the file for writing but not make its WAL files, so it cannot even read it). */
static void
test_read_only_permissions (gconstpointer data)
{
  guint file_mode = GPOINTER_TO_UINT (data);
  g_autofree char *path = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *parent = NULL;

  if (g_test_subprocess ())
    {
      path = g_strdup (g_getenv ("BYLINE_TEST_READ_ONLY_DB"));
      if (geteuid () == 0)
        g_assert_true (setgid (65534) == 0 && setuid (65534) == 0);
      check_read_only_store (path);
      return;
    }

  path = make_db_path ();
  dir = g_path_get_dirname (path);
  parent = g_path_get_dirname (dir);
  make_read_only_candidate (path);

  g_assert_cmpint (g_chmod (path, file_mode), ==, 0);
  g_assert_cmpint (g_chmod (dir, 0555), ==, 0);
  /* Let "nobody" reach the folder through the test's private ones. */
  g_assert_cmpint (g_chmod (parent, 0711), ==, 0);
  g_assert_cmpint (g_chmod (byline_test_get_tmpdir (), 0711), ==, 0);

  g_setenv ("BYLINE_TEST_READ_ONLY_DB", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_unsetenv ("BYLINE_TEST_READ_ONLY_DB");

  g_chmod (byline_test_get_tmpdir (), 0700);
  g_chmod (dir, 0700);
  g_chmod (path, 0600);
  g_test_trap_assert_passed ();
}

/* Threads: several savers at once while the main thread lists. */

#define N_SAVER_THREADS 4
#define N_SAVES 40

static char *
thread_body (gint64 id,
             guint  i)
{
  /* Bodies of varied sizes, so that saves overlap for a while. */
  g_autofree char *filler = g_strnfill ((i % 7) * 4000, 'e');

  return g_strdup_printf ("draft %" G_GINT64_FORMAT " save %u é %s", id, i, filler);
}

/* Whether @draft holds one of the bodies thread_body () makes for it, whole. */
static gboolean
is_whole_body (BylineDraft *draft)
{
  const char *body = byline_draft_get_body (draft);
  gint64 id;
  guint i;
  g_autofree char *expected = NULL;

  if (*body == '\0')
    return TRUE;
  if (sscanf (body, "draft %" G_GINT64_FORMAT " save %u", &id, &i) != 2)
    return FALSE;
  expected = thread_body (id, i);
  return id == byline_draft_get_id (draft) && g_str_equal (body, expected);
}

typedef struct {
  BylineStore *store;
  gint64       id;
} Saver;

static gint running_threads;

static gpointer
saver_thread (gpointer user_data)
{
  Saver *saver = user_data;

  for (guint i = 1; i <= N_SAVES; i++)
    {
      g_autoptr(BylineDraft) draft = byline_draft_new ();
      g_autofree char *body = thread_body (saver->id, i);
      g_autoptr(GError) error = NULL;

      byline_draft_set_id (draft, saver->id);
      byline_draft_set_title (draft, "Thread");
      byline_draft_set_body (draft, body);
      if (!byline_store_save_draft (saver->store, draft,
                                    i % 2 ? BYLINE_SAVE_AUTOMATIC : BYLINE_SAVE_EXPLICIT,
                                    NULL, &error))
        g_error ("Save from a thread failed: %s", error->message);
    }

  g_atomic_int_add (&running_threads, -1);
  return NULL;
}

typedef struct {
  BylineStore *store;
  guint        lists;
} Watch;

/* Lists while the others save, and checks that every draft seen is whole. */
static gboolean
all_saved (gpointer user_data)
{
  Watch *watch = user_data;
  g_autoptr(GPtrArray) drafts = list_drafts (watch->store);

  watch->lists++;
  g_assert_cmpuint (drafts->len, ==, N_SAVER_THREADS);
  for (guint i = 0; i < drafts->len; i++)
    g_assert_true (is_whole_body (g_ptr_array_index (drafts, i)));

  return g_atomic_int_get (&running_threads) == 0;
}

static void
test_threads (void)
{
  g_autofree char *path = make_db_path ();
  g_autoptr(BylineStore) store = open_store (path);
  Saver savers[N_SAVER_THREADS];
  GThread *threads[N_SAVER_THREADS];
  Watch watch = { store, 0 };

  for (guint i = 0; i < N_SAVER_THREADS; i++)
    {
      g_autoptr(BylineDraft) draft = create_draft (store);

      savers[i] = (Saver) { store, byline_draft_get_id (draft) };
    }

  g_atomic_int_set (&running_threads, N_SAVER_THREADS);
  for (guint i = 0; i < N_SAVER_THREADS; i++)
    threads[i] = g_thread_new ("saver", saver_thread, &savers[i]);

  g_assert_true (byline_test_wait_until (all_saved, &watch, 60000));
  for (guint i = 0; i < N_SAVER_THREADS; i++)
    g_thread_join (threads[i]);
  g_test_message ("Listed %u times while saving", watch.lists);

  for (guint i = 0; i < N_SAVER_THREADS; i++)
    {
      Saver *saver = &savers[i];
      g_autoptr(BylineDraft) draft = load (store, saver->id);
      g_autofree char *expected = thread_body (saver->id, N_SAVES);

      g_assert_cmpstr (byline_draft_get_body (draft), ==, expected);
      g_assert_cmpstr (byline_draft_get_title (draft), ==, "Thread");
    }

  close_store (g_steal_pointer (&store));
}

/* The WAL file's size, 0 when there is none. */
static goffset
wal_size (const char *path)
{
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  GStatBuf st;

  return g_stat (wal, &st) == 0 ? st.st_size : 0;
}

/* Saves one draft with a body of @kb kilobytes @n times, @pause_ms apart; each save is one
 * commit of a few dozen pages (the draft and a revision). Returns the largest the WAL got. */
static goffset
write_a_lot (BylineStore *store,
             const char  *path,
             guint        n,
             guint        kb,
             guint        pause_ms)
{
  g_autoptr(BylineDraft) draft = create_draft (store);
  g_autoptr(GString) body = g_string_new (NULL);
  goffset largest = 0;

  for (guint i = 0; i < kb * 16; i++)
    g_string_append_printf (body, "Line %05u of a long text, written again and again. \n", i);
  g_string_truncate (body, kb * 1024);
  for (guint i = 0; i < n; i++)
    {
      /* A different body each time: every save writes its pages anew. */
      g_autofree char *title = g_strdup_printf ("Save %u", i);

      body->str[i % body->len] = 'a' + i % 26;
      byline_draft_set_title (draft, title);
      byline_draft_set_body (draft, body->str);
      save (store, draft, BYLINE_SAVE_EXPLICIT);
      largest = MAX (largest, wal_size (path));
      g_usleep (pause_ms * 1000);
    }
  return largest;
}

/* SQLite folds the WAL back into the database past 1,000 pages; the store does it in a worker
 * thread instead. Under a long run of commits, that keeps the WAL bounded: without it, the WAL
 * would hold every page written (here some 40,000). */
static void
test_checkpoint_bounded (void)
{
  g_autofree char *path = make_db_path ();
  BylineStore *store = open_store (path);
  goffset largest = write_a_lot (store, path, 900, 64, 0);

  g_test_message ("largest WAL: %" G_GOFFSET_FORMAT " bytes", largest);
  g_assert_cmpuint (byline_store_wait_checkpoints_for_testing (store, 1, 0), >=, 1);
  /* 4,096-byte pages: the commit past 16,000 folds it back itself. */
  g_assert_cmpint (largest, <, 17000 * 4096);
  close_store (store);
  /* Closed, the database file alone holds everything. */
  g_assert_cmpint (wal_size (path), ==, 0);
}

/* Commits with a pause between them (as the moderator's slices, one a frame): the worker folds
 * the WAL back meanwhile, and it starts again from its beginning, near SQLite's threshold. */
static void
test_checkpoint_keeps_up (void)
{
  g_autofree char *path = make_db_path ();
  BylineStore *store = open_store (path);
  goffset largest = write_a_lot (store, path, 300, 64, 4);

  g_test_message ("largest WAL: %" G_GOFFSET_FORMAT " bytes", largest);
  g_assert_cmpint (largest, <, 3000 * 4096);
  close_store (store);
}

/* The worker runs in a thread of its own: GLib's shared pool, busy with other work, does not
 * hold it up. */
static void
block_task_cb (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  GMutex *mutex = task_data;

  g_mutex_lock (mutex);
  g_mutex_unlock (mutex);
  g_task_return_boolean (task, TRUE);
}

static void
test_checkpoint_busy_pool (void)
{
  g_autofree char *path = make_db_path ();
  BylineStore *store = open_store (path);
  /* Static: the tasks may still be leaving it when the test ends. */
  static GMutex blocker;
  guint n_started;

  g_mutex_lock (&blocker);
  /* More than GLib's pool runs at once: all its threads wait. */
  for (guint i = 0; i < 40; i++)
    {
      g_autoptr(GTask) task = g_task_new (NULL, NULL, NULL, NULL);

      g_task_set_task_data (task, &blocker, NULL);
      g_task_run_in_thread (task, block_task_cb);
    }
  write_a_lot (store, path, 60, 64, 0);
  n_started = byline_store_wait_checkpoints_for_testing (store, 1, 2000);
  g_mutex_unlock (&blocker);
  g_assert_cmpuint (n_started, >=, 1);
  close_store (store);
}

typedef struct {
  BylineStore *store;
  gint         closed;
} Closer;

static gpointer
close_thread (gpointer user_data)
{
  Closer *closer = user_data;
  g_autoptr(GError) error = NULL;
  gboolean ok = byline_store_close (closer->store, &error);

  g_assert_no_error (error);
  g_atomic_int_set (&closer->closed, ok ? 1 : -1);
  return NULL;
}

/* Closing waits for a checkpoint under way (the worker reads the file and the WAL with a
 * connection of its own), then folds what is left and empties the WAL. */
static void
test_checkpoint_close_waits (void)
{
  g_autofree char *path = make_db_path ();
  Closer closer = { open_store (path), 0 };
  GThread *thread;

  byline_store_pause_checkpoints_for_testing (closer.store, TRUE);
  write_a_lot (closer.store, path, 60, 64, 0);
  g_assert_cmpuint (byline_store_wait_checkpoints_for_testing (closer.store, 1, 5000), ==, 1);

  thread = g_thread_new ("closer", close_thread, &closer);
  g_usleep (300 * 1000);
  g_assert_cmpint (g_atomic_int_get (&closer.closed), ==, 0);
  byline_store_pause_checkpoints_for_testing (closer.store, FALSE);
  g_thread_join (thread);
  g_assert_cmpint (g_atomic_int_get (&closer.closed), ==, 1);
  g_assert_cmpint (wal_size (path), ==, 0);
  g_object_unref (closer.store);

  /* All of it is there. */
  {
    BylineStore *store = open_store (path);
    g_autoptr(GPtrArray) drafts = byline_store_list_drafts (store, NULL);

    g_assert_cmpuint (drafts->len, ==, 1);
    close_store (store);
  }
}

int
main (int   argc,
      char *argv[])
{
  /* Revisions are thinned to one per local calendar day. Behind UTC, a local day is not a UTC
   * day: /core/store/revisions/thinning tells them apart here, whatever the machine's zone. */
  g_setenv ("TZ", "America/New_York", TRUE);
  byline_test_init (&argc, &argv);

  g_test_add_func ("/core/store/draft/properties", test_draft_properties);
  g_test_add_func ("/core/store/draft/display-title", test_draft_display_title);
  g_test_add_func ("/core/store/draft/snippet", test_draft_snippet);
  g_test_add_func ("/core/store/create-save-load", test_create_save_load);
  g_test_add_func ("/core/store/default-path", test_default_path);
  g_test_add_func ("/core/store/list-order", test_list_order);
  g_test_add_func ("/core/store/reopen", test_reopen);
  g_test_add_func ("/core/store/recovered", test_recovered);
  g_test_add_func ("/core/store/not-found", test_not_found);
  g_test_add_func ("/core/store/revisions/automatic", test_revisions_automatic);
  g_test_add_func ("/core/store/revisions/explicit", test_revisions_explicit);
  g_test_add_func ("/core/store/revisions/restore", test_revisions_restore);
  g_test_add_func ("/core/store/revisions/list-without-bodies", test_revisions_list_without_bodies);
  g_test_add_func ("/core/store/revisions/thinning", test_revisions_thinning);
  g_test_add_func ("/core/store/revisions/thinning-bounded", test_revisions_thinning_bounded);
  g_test_add_func ("/core/store/revisions/thinning-refused", test_revisions_thinning_refused);
  g_test_add_func ("/core/store/revisions/restore-after-thinning",
                   test_revisions_restore_after_thinning);
  g_test_add_func ("/core/store/delete-undelete", test_delete_undelete);
  g_test_add_func ("/core/store/purge", test_purge);
  g_test_add_func ("/core/store/find-by-source", test_find_by_source);
  g_test_add_func ("/core/store/migrate-v1", test_migrate_v1);
  g_test_add_func ("/core/store/migrate-v7", test_migrate_v7);
  g_test_add_func ("/core/store/too-new", test_too_new);
  g_test_add_func ("/core/store/corrupt", test_corrupt);
  g_test_add_func ("/core/store/full", test_full);
  g_test_add_func ("/core/store/full-disk", test_full_disk);
  g_test_add_func ("/core/store/cut-short", test_cut_short);
  g_test_add_func ("/core/store/corrupt-page", test_corrupt_page);
  g_test_add_func ("/core/store/corrupt-page-unread", test_corrupt_page_unread);
  g_test_add_func ("/core/store/read-only-while-open", test_read_only_while_open);
  g_test_add_func ("/core/store/too-new-read-only", test_too_new_read_only);
  g_test_add_func ("/core/store/read-only-mount", test_read_only_mount);
  g_test_add_data_func ("/core/store/read-only-file", GUINT_TO_POINTER (0444),
                        test_read_only_permissions);
  g_test_add_data_func ("/core/store/read-only-folder", GUINT_TO_POINTER (0666),
                        test_read_only_permissions);
  g_test_add_func ("/core/store/threads", test_threads);
  g_test_add_func ("/core/store/checkpoint/bounded", test_checkpoint_bounded);
  g_test_add_func ("/core/store/checkpoint/keeps-up", test_checkpoint_keeps_up);
  g_test_add_func ("/core/store/checkpoint/busy-pool", test_checkpoint_busy_pool);
  g_test_add_func ("/core/store/checkpoint/close-waits", test_checkpoint_close_waits);

  return g_test_run ();
}
