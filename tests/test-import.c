/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-import.c: files become drafts once, with their title, format and a first revision. */

#include "config.h"

#include <glib/gstdio.h>
#include <unistd.h>

#include "byline-import.h"
#include "byline-test-util.h"

typedef struct {
  BylineStore *store;
  char        *dir;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  fixture->dir = byline_test_make_tmpdir ("import");
  path = g_build_filename (fixture->dir, "byline.db", NULL);
  fixture->store = byline_store_open (path, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->store);
  g_free (fixture->dir);
}

static GFile *
write_file (Fixture    *fixture,
            const char *name,
            const char *contents,
            gssize      length)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, length, &error);
  g_assert_no_error (error);
  return g_file_new_for_path (path);
}

static void
test_markdown_once (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (fixture, "kerry.md",
                                      "\n# Kerry in Brussels\n\nMinisters met « après ».\n", -1);
  g_autofree char *link_path = g_build_filename (fixture->dir, "link.md", NULL);
  g_autofree char *dotted_path = g_build_filename (fixture->dir, "..",
                                                   strrchr (fixture->dir, '/') + 1, "kerry.md", NULL);
  g_autoptr(GFile) link = g_file_new_for_path (link_path);
  g_autoptr(GFile) dotted = g_file_new_for_path (dotted_path);
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) again = NULL;
  g_autoptr(BylineDraft) via_link = NULL;
  g_autoptr(BylineDraft) via_dots = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  gboolean already_there = TRUE;

  draft = byline_import_file (fixture->store, file, &already_there, &error);
  g_assert_no_error (error);
  g_assert_false (already_there);
  g_assert_cmpstr (byline_draft_get_title (draft), ==, "Kerry in Brussels");
  g_assert_cmpstr (byline_draft_get_body (draft), ==, "Ministers met « après ».\n");
  g_assert_cmpint (byline_draft_get_format (draft), ==, BYLINE_DRAFT_FORMAT_MARKDOWN);
  revisions = byline_store_list_revisions (fixture->store, byline_draft_get_id (draft), &error);
  g_assert_cmpuint (revisions->len, ==, 1);

  /* Again, through a symbolic link, and through "..": the same draft each time. */
  g_assert_cmpint (symlink (g_file_peek_path (file), link_path), ==, 0);
  again = byline_import_file (fixture->store, file, &already_there, &error);
  g_assert_true (already_there);
  via_link = byline_import_file (fixture->store, link, &already_there, &error);
  via_dots = byline_import_file (fixture->store, dotted, &already_there, &error);
  g_assert_no_error (error);
  g_assert_cmpint (byline_draft_get_id (again), ==, byline_draft_get_id (draft));
  g_assert_cmpint (byline_draft_get_id (via_link), ==, byline_draft_get_id (draft));
  g_assert_cmpint (byline_draft_get_id (via_dots), ==, byline_draft_get_id (draft));
  drafts = byline_store_list_drafts (fixture->store, &error);
  g_assert_cmpuint (drafts->len, ==, 1);
}

static void
test_deleted_comes_back (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (fixture, "gone.md", "Just text, no heading.\n", -1);
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) back = NULL;
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  gboolean already_there;

  draft = byline_import_file (fixture->store, file, NULL, &error);
  g_assert_cmpstr (byline_draft_get_title (draft), ==, "gone");
  g_assert_true (byline_store_set_draft_deleted (fixture->store, byline_draft_get_id (draft), TRUE,
                                                 &error));
  back = byline_import_file (fixture->store, file, &already_there, &error);
  g_assert_no_error (error);
  g_assert_true (already_there);
  g_assert_cmpint (byline_draft_get_id (back), ==, byline_draft_get_id (draft));
  drafts = byline_store_list_drafts (fixture->store, &error);
  g_assert_cmpuint (drafts->len, ==, 1);
}

static void
test_html (Fixture       *fixture,
           gconstpointer  data)
{
  g_autoptr(GFile) file = write_file (fixture, "from-site.html", "<p># not a title</p>\n", -1);
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GError) error = NULL;

  draft = byline_import_file (fixture->store, file, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (byline_draft_get_format (draft), ==, BYLINE_DRAFT_FORMAT_HTML);
  g_assert_cmpstr (byline_draft_get_title (draft), ==, "from-site");
  g_assert_cmpstr (byline_draft_get_body (draft), ==, "<p># not a title</p>\n");
}

static void
test_refused (Fixture       *fixture,
              gconstpointer  data)
{
  g_autoptr(GFile) binary = write_file (fixture, "photo.md", "\xff\xd8\xff\xe0 JFIF", 9);
  g_autoptr(GFile) nul = write_file (fixture, "nul.md", "a\0b", 3);
  g_autofree char *missing_path = g_build_filename (fixture->dir, "missing.md", NULL);
  g_autoptr(GFile) missing = g_file_new_for_path (missing_path);
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_null (byline_import_file (fixture->store, binary, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_assert_nonnull (strstr (error->message, "not a UTF-8 text file"));
  g_clear_error (&error);
  g_assert_null (byline_import_file (fixture->store, nul, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA);
  g_clear_error (&error);
  g_assert_null (byline_import_file (fixture->store, missing, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);

  drafts = byline_store_list_drafts (fixture->store, NULL);
  g_assert_cmpuint (drafts->len, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);

  g_test_add ("/core/import/markdown-once", Fixture, NULL, fixture_set_up, test_markdown_once,
              fixture_tear_down);
  g_test_add ("/core/import/deleted-comes-back", Fixture, NULL, fixture_set_up,
              test_deleted_comes_back, fixture_tear_down);
  g_test_add ("/core/import/html", Fixture, NULL, fixture_set_up, test_html, fixture_tear_down);
  g_test_add ("/core/import/refused", Fixture, NULL, fixture_set_up, test_refused,
              fixture_tear_down);

  return g_test_run ();
}
