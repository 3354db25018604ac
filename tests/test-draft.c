/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-draft.c: a draft's body edited in place, as the editor passes on a text buffer's edits. */

#include "config.h"

#include "byline-draft.h"

/* The body after an edit, made the plain way: what byline_draft_edit_body must give. */
static char *
splice (const char *body,
        glong       position,
        glong       n_removed,
        const char *text)
{
  const char *start = g_utf8_offset_to_pointer (body, position);
  const char *end = g_utf8_offset_to_pointer (start, n_removed);

  return g_strdup_printf ("%.*s%s%s", (int) (start - body), body, text, end);
}

static void
count_changes_cb (BylineDraft *draft,
                  GParamSpec  *pspec,
                  guint       *n_changes)
{
  (*n_changes)++;
}

static void
test_edit_body_basic (void)
{
  g_autoptr(BylineDraft) draft = byline_draft_new ();
  guint64 serial;
  guint n_changes = 0;

  byline_draft_set_body (draft, "Kerry in Brussels");
  g_signal_connect (draft, "notify::body", G_CALLBACK (count_changes_cb), &n_changes);
  serial = byline_draft_get_change_serial (draft);

  byline_draft_edit_body (draft, 9, 0, "rainy ", -1);
  g_assert_cmpstr (byline_draft_get_body (draft), ==, "Kerry in rainy Brussels");
  byline_draft_edit_body (draft, 0, 5, "Blinken", -1);
  g_assert_cmpstr (byline_draft_get_body (draft), ==, "Blinken in rainy Brussels");
  /* At the very end, and a deletion of everything. */
  byline_draft_edit_body (draft, 25, 0, ".", 1);
  g_assert_cmpstr (byline_draft_get_body (draft), ==, "Blinken in rainy Brussels.");
  g_assert_cmpuint (n_changes, ==, 3);
  g_assert_cmpuint (byline_draft_get_change_serial (draft), ==, serial + 3);

  /* Nothing removed and nothing inserted is no change. */
  byline_draft_edit_body (draft, 4, 0, "", 0);
  g_assert_cmpuint (n_changes, ==, 3);

  byline_draft_edit_body (draft, 0, 26, "", 0);
  g_assert_cmpstr (byline_draft_get_body (draft), ==, "");
  g_assert_cmpuint (n_changes, ==, 4);
}

/* Characters, not bytes: accented letters, CJK and emoji around the edits, edits that start
 * after a jump far from the last one (walked from the start, the end or the last edit), and a
 * body replaced whole in between. */
static void
test_edit_body_characters (void)
{
  g_autoptr(BylineDraft) draft = byline_draft_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261207);
  static const char *pieces[] = {
    "a", "é", "Brüssel ", "東京", "\xf0\x9f\x93\xb0", "\n\n", "**NATO** ", "", "Ω≈ç",
  };
  g_autofree char *expected = g_strdup ("Déjà vu in Zürich — 東京 \xf0\x9f\x97\x9e\n\n"
                                        "Second paragraph.");

  byline_draft_set_body (draft, expected);
  for (guint i = 0; i < 5000; i++)
    {
      glong length = g_utf8_strlen (expected, -1);
      glong position = g_rand_int_range (rand, 0, length + 1);
      glong n_removed = position < length
                        ? g_rand_int_range (rand, 0, MIN (6, length - position) + 1) : 0;
      const char *text = pieces[g_rand_int_range (rand, 0, G_N_ELEMENTS (pieces))];
      char *next;

      /* Now and then, typing: several edits right after one another. */
      if (i % 7 == 0 && position > 0)
        n_removed = 0;
      next = splice (expected, position, n_removed, text);
      byline_draft_edit_body (draft, position, n_removed, text, -1);
      g_free (expected);
      expected = next;
      g_assert_cmpstr (byline_draft_get_body (draft), ==, expected);

      if (i % 1000 == 999)
        {
          g_free (expected);
          expected = g_strdup ("Replaced whole: ünïcödé 東京");
          byline_draft_set_body (draft, expected);
        }
    }
  /* A copy made after edits is edited on its own. */
  {
    g_autoptr(BylineDraft) copy = byline_draft_copy (draft);

    byline_draft_edit_body (copy, 0, 0, "Copy: ", -1);
    g_assert_true (g_str_has_prefix (byline_draft_get_body (copy), "Copy: "));
    g_assert_cmpstr (byline_draft_get_body (draft), ==, expected);
  }
}

/* Typing near the end of a long body, a character at a time: each edit is found from the one
 * before it. */
static void
test_edit_body_typing (void)
{
  g_autoptr(BylineDraft) draft = byline_draft_new ();
  g_autoptr(GString) expected = g_string_new (NULL);

  for (guint i = 0; i < 2000; i++)
    g_string_append (expected, "The council voted on Tuesday night. ");
  byline_draft_set_body (draft, expected->str);
  for (guint i = 0; i < 3000; i++)
    {
      glong end = g_utf8_strlen (expected->str, -1);

      byline_draft_edit_body (draft, end - 1, 0, "x", 1);
      g_string_insert_c (expected, expected->len - 1, 'x');
    }
  g_assert_cmpstr (byline_draft_get_body (draft), ==, expected->str);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/core/draft/edit-body", test_edit_body_basic);
  g_test_add_func ("/core/draft/edit-body-characters", test_edit_body_characters);
  g_test_add_func ("/core/draft/edit-body-typing", test_edit_body_typing);

  return g_test_run ();
}
