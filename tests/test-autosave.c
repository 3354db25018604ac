/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-autosave.c: a draft reaches the store within a second of each change, even while typing
 * never pauses, and a failing store keeps the text and retries. */

#include "config.h"

#include "byline-autosave.h"
#include "byline-test-util.h"

typedef struct {
  BylineStore    *store;
  BylineDraft    *draft;
  BylineAutosave *autosave;
  char           *dir;
  char           *path;
  guint           errors;
  guint           saves;
} Fixture;

static void
on_error (BylineAutosave *autosave,
          const GError   *error,
          Fixture        *fixture)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  fixture->errors++;
}

static void
on_saved (BylineAutosave *autosave,
          Fixture        *fixture)
{
  fixture->saves++;
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  fixture->dir = byline_test_make_tmpdir ("autosave");
  fixture->path = g_build_filename (fixture->dir, "drafts.db", NULL);
  fixture->store = byline_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->draft = byline_store_create_draft (fixture->store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  g_assert_no_error (error);
  fixture->autosave = byline_autosave_new (fixture->store, fixture->draft);
  g_signal_connect (fixture->autosave, "error", G_CALLBACK (on_error), fixture);
  g_signal_connect (fixture->autosave, "saved", G_CALLBACK (on_saved), fixture);
}

static gboolean
is_not_saving (gpointer user_data)
{
  Fixture *fixture = user_data;

  return byline_autosave_get_state (fixture->autosave) != BYLINE_AUTOSAVE_SAVING;
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  /* A background save still running keeps the autosave alive past this fixture. */
  g_signal_handlers_disconnect_by_data (fixture->autosave, fixture);
  g_assert_true (byline_test_wait_until (is_not_saving, fixture, 10000));
  g_clear_object (&fixture->autosave);
  g_clear_object (&fixture->draft);
  g_clear_object (&fixture->store);
  g_free (fixture->path);
  g_free (fixture->dir);
}

static char *
stored_body (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineDraft) stored = byline_store_load_draft (fixture->store,
                                                           byline_draft_get_id (fixture->draft),
                                                           &error);

  g_assert_no_error (error);
  return g_strdup (byline_draft_get_body (stored));
}

static gboolean
is_saved (gpointer user_data)
{
  Fixture *fixture = user_data;

  return byline_autosave_get_state (fixture->autosave) == BYLINE_AUTOSAVE_SAVED;
}

static void
test_saves_after_change (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *body = NULL;
  gint64 start = g_get_monotonic_time ();

  g_assert_cmpint (byline_autosave_get_state (fixture->autosave), ==, BYLINE_AUTOSAVE_SAVED);
  byline_draft_set_body (fixture->draft, "« Apres, après »");
  g_assert_cmpint (byline_autosave_get_state (fixture->autosave), ==, BYLINE_AUTOSAVE_PENDING);

  g_assert_true (byline_test_wait_until (is_saved, fixture, 1000));
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);
  body = stored_body (fixture);
  g_assert_cmpstr (body, ==, "« Apres, après »");
  g_assert_cmpint (byline_draft_get_modified_at (fixture->draft), >, 0);
  g_assert_cmpuint (fixture->errors, ==, 0);
}

/* Typing without a pause: the store never lags the draft by more than a second. */
static void
test_saves_while_typing (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(GString) typed = g_string_new (NULL);
  gint64 start = g_get_monotonic_time ();
  gint64 last_caught_up = start;
  gint64 worst_lag = 0;

  while (g_get_monotonic_time () - start < 3 * G_USEC_PER_SEC)
    {
      g_autofree char *body = NULL;
      gint64 now;

      g_string_append_c (typed, 'a' + typed->len % 26);
      byline_draft_set_body (fixture->draft, typed->str);
      for (int i = 0; i < 20; i++)
        {
          g_main_context_iteration (NULL, FALSE);
          g_usleep (1000);
        }

      /* The store holds some earlier prefix of what was typed; note when it last caught up. */
      body = stored_body (fixture);
      g_assert_true (g_str_has_prefix (typed->str, body));
      now = g_get_monotonic_time ();
      if (strlen (body) + 5 >= typed->len)
        last_caught_up = now;
      worst_lag = MAX (worst_lag, now - last_caught_up);
    }

  g_test_message ("worst lag of the store behind the typing: %" G_GINT64_FORMAT " ms",
                  worst_lag / 1000);
  g_assert_cmpint (worst_lag, <, G_USEC_PER_SEC);
  g_assert_cmpuint (fixture->saves, >=, 3);
}

static void
test_flush (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GPtrArray) revisions = NULL;
  g_autoptr(BylineRevision) newest = NULL;

  byline_draft_set_body (fixture->draft, "flushed");
  g_assert_true (byline_autosave_flush (fixture->autosave, &error));
  g_assert_no_error (error);
  body = stored_body (fixture);
  g_assert_cmpstr (body, ==, "flushed");
  g_assert_cmpint (byline_autosave_get_state (fixture->autosave), ==, BYLINE_AUTOSAVE_SAVED);

  byline_draft_set_body (fixture->draft, "explicit");
  g_assert_true (byline_autosave_save_revision (fixture->autosave, &error));
  revisions = byline_store_list_revisions (fixture->store, byline_draft_get_id (fixture->draft),
                                           &error);
  g_assert_no_error (error);
  g_assert_cmpuint (revisions->len, >=, 2);
  newest = byline_store_load_revision (fixture->store,
                                       byline_revision_get_id (g_ptr_array_index (revisions, 0)),
                                       &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_revision_get_body (newest), ==, "explicit");
}

typedef struct {
  Fixture    *fixture;
  const char *new_body;
} Overtake;

/* Runs right after the autosave queued its background save of the older text, before the worker
 * thread is likely to have started: the newer text is saved at once, as Ctrl+S would. */
static void
overtake_on_saving (BylineAutosave *autosave,
                    GParamSpec     *pspec,
                    Overtake       *overtake)
{
  g_autoptr(GError) error = NULL;

  if (byline_autosave_get_state (autosave) != BYLINE_AUTOSAVE_SAVING || overtake->new_body == NULL)
    return;
  byline_draft_set_body (overtake->fixture->draft, overtake->new_body);
  overtake->new_body = NULL;
  g_assert_true (byline_autosave_flush (autosave, &error));
  g_assert_no_error (error);
}

/* Ctrl+S or a flush while a background save of an older copy is queued or running: the store
 * ends with the newer text, not with whichever write came last. */
static void
test_flush_overtakes_background_save (Fixture       *fixture,
                                      gconstpointer  data)
{
  Overtake overtake = { fixture, NULL };

  g_signal_connect (fixture->autosave, "notify::state", G_CALLBACK (overtake_on_saving), &overtake);
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *old_body = g_strdup_printf ("old %u", i);
      g_autofree char *new_body = g_strdup_printf ("new %u", i);
      g_autofree char *stored = NULL;

      overtake.new_body = new_body;
      byline_draft_set_body (fixture->draft, old_body);
      /* Wait for the flush and then for the background save's callback. */
      g_assert_true (byline_test_wait_until (is_saved, fixture, 2000));
      g_assert_null (overtake.new_body);
      stored = stored_body (fixture);
      g_assert_cmpstr (stored, ==, new_body);
    }
  g_signal_handlers_disconnect_by_data (fixture->autosave, &overtake);
}

static gboolean
has_error (gpointer user_data)
{
  Fixture *fixture = user_data;

  return fixture->errors > 0;
}

/* A full disk: the text stays in the draft, the user is told, and the save is retried. */
static void
test_full_store (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(GString) big = g_string_new ("kept ");
  g_autoptr(GError) error = NULL;
  g_autofree char *body = NULL;

  byline_draft_set_body (fixture->draft, "before");
  g_assert_true (byline_autosave_flush (fixture->autosave, &error));

  byline_store_set_max_pages_for_testing (fixture->store, 1);
  while (big->len < 2 * 1024 * 1024)
    g_string_append (big, "« Apres, après » the text must survive a full disk. ");
  byline_draft_set_body (fixture->draft, big->str);

  g_assert_true (byline_test_wait_until (has_error, fixture, 2000));
  g_assert_cmpint (byline_autosave_get_state (fixture->autosave), ==, BYLINE_AUTOSAVE_FAILED);
  g_assert_cmpstr (byline_draft_get_body (fixture->draft), ==, big->str);
  body = stored_body (fixture);
  g_assert_cmpstr (body, ==, "before");

  /* Space again: the next attempt (or a flush) writes the kept text. */
  byline_store_set_max_pages_for_testing (fixture->store, 1073741823);
  g_assert_true (byline_autosave_flush (fixture->autosave, &error));
  g_assert_no_error (error);
  g_clear_pointer (&body, g_free);
  body = stored_body (fixture);
  g_assert_cmpstr (body, ==, big->str);
  g_assert_cmpint (byline_autosave_get_state (fixture->autosave), ==, BYLINE_AUTOSAVE_SAVED);
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);

  g_test_add ("/core/autosave/saves-after-change", Fixture, NULL, fixture_set_up,
              test_saves_after_change, fixture_tear_down);
  g_test_add ("/core/autosave/saves-while-typing", Fixture, NULL, fixture_set_up,
              test_saves_while_typing, fixture_tear_down);
  g_test_add ("/core/autosave/flush", Fixture, NULL, fixture_set_up, test_flush, fixture_tear_down);
  g_test_add ("/core/autosave/flush-overtakes-background-save", Fixture, NULL, fixture_set_up,
              test_flush_overtakes_background_save, fixture_tear_down);
  g_test_add ("/core/autosave/full-store", Fixture, NULL, fixture_set_up, test_full_store,
              fixture_tear_down);

  return g_test_run ();
}
