/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-spell-checker.c: Enchant with Debian's real Hunspell dictionaries (hunspell-en-us,
 * hunspell-fr), the words a line gives to check, and language names. */

#include "config.h"

#include <string.h>

#include "byline-language.h"
#include "byline-spell-checker.h"
#include "byline-spell-words.h"
#include "byline-test-util.h"

static BylineSpellChecker *
load_checker (const char *language)
{
  g_autoptr(GError) error = NULL;
  BylineSpellChecker *checker = byline_spell_checker_new (language, &error);

  /* ./dev installs the dictionaries: without them there is nothing to test. */
  g_assert_no_error (error);
  g_assert_nonnull (checker);
  return checker;
}

static gboolean
strv_has (GStrv       strv,
          const char *word)
{
  return g_strv_contains ((const char * const *) strv, word);
}

static void
test_languages (void)
{
  g_auto(GStrv) languages = byline_spell_checker_list_languages ();
  g_autofree char *french = byline_spell_checker_find_language ("fr");
  g_autofree char *swiss = byline_spell_checker_find_language ("fr_CH.UTF-8");
  g_autofree char *quebec = byline_spell_checker_find_language ("fr-ca");
  g_autofree char *english = byline_spell_checker_find_language ("en");
  g_autofree char *klingon = byline_spell_checker_find_language ("tlh");
  g_autofree char *nonsense = byline_spell_checker_find_language ("not a language");

  g_assert_true (strv_has (languages, "en_US"));
  g_assert_true (strv_has (languages, "fr_FR"));
  /* Sorted, each once. */
  for (guint i = 1; languages[i] != NULL; i++)
    g_assert_cmpint (strcmp (languages[i - 1], languages[i]), <, 0);

  /* The dictionary asked for when there is one ("fr" is too), else the language's own country
   * ("en" has none: American English). */
  g_assert_cmpstr (french, ==, "fr");
  g_assert_cmpstr (swiss, ==, "fr_CH");
  g_assert_cmpstr (quebec, ==, "fr_CA");
  g_assert_cmpstr (english, ==, "en_US");
  g_assert_null (klingon);
  g_assert_null (nonsense);
}

static void
test_english (void)
{
  g_autoptr(BylineSpellChecker) checker = load_checker ("en_US");
  g_auto(GStrv) suggestions = NULL;
  g_auto(GStrv) none = NULL;

  g_assert_cmpstr (byline_spell_checker_get_language (checker), ==, "en_US");
  g_assert_true (byline_spell_checker_check_word (checker, "government", -1));
  g_assert_false (byline_spell_checker_check_word (checker, "goverment", -1));
  g_assert_true (byline_spell_checker_check_word (checker, "Tuesday", -1));
  /* Both apostrophes. */
  g_assert_true (byline_spell_checker_check_word (checker, "don't", -1));
  g_assert_true (byline_spell_checker_check_word (checker, "don’t", -1));
  g_assert_false (byline_spell_checker_check_word (checker, "gouvernement", -1));
  /* A length: only the first word of the string. */
  g_assert_true (byline_spell_checker_check_word (checker, "council goverment", 7));
  g_assert_true (byline_spell_checker_check_word (checker, "", 0));

  suggestions = byline_spell_checker_suggest (checker, "goverment", -1, 5);
  g_assert_cmpstr (suggestions[0], ==, "government");
  g_assert_cmpuint (g_strv_length (suggestions), <=, 5);
  none = byline_spell_checker_suggest (checker, "goverment", -1, 0);
  g_assert_cmpuint (g_strv_length (none), ==, 0);
}

static void
test_french (void)
{
  g_autoptr(BylineSpellChecker) checker = load_checker ("fr_FR.UTF-8");
  g_auto(GStrv) suggestions = NULL;

  g_assert_cmpstr (byline_spell_checker_get_language (checker), ==, "fr_FR");
  g_assert_true (byline_spell_checker_check_word (checker, "gouvernement", -1));
  g_assert_true (byline_spell_checker_check_word (checker, "aujourd’hui", -1));
  g_assert_true (byline_spell_checker_check_word (checker, "c'est", -1));
  g_assert_true (byline_spell_checker_check_word (checker, "peut-être", -1));
  g_assert_true (byline_spell_checker_check_word (checker, "élections", -1));
  g_assert_false (byline_spell_checker_check_word (checker, "gouvernment", -1));
  g_assert_false (byline_spell_checker_check_word (checker, "government", -1));

  suggestions = byline_spell_checker_suggest (checker, "gouvernment", -1, 5);
  g_assert_true (strv_has (suggestions, "gouvernement"));
}

static void
test_missing_dictionary (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineSpellChecker) checker = byline_spell_checker_new ("tlh", &error);

  g_assert_null (checker);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "tlh"));
}

static void
test_async (void)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GAsyncResult) missing = NULL;
  g_autoptr(BylineSpellChecker) checker = NULL;
  g_autoptr(GError) error = NULL;

  byline_spell_checker_new_async ("fr_BE", NULL, byline_test_store_result_cb, &result);
  byline_spell_checker_new_async ("tlh", NULL, byline_test_store_result_cb, &missing);
  byline_test_wait_for_result (&result, 10, "loading fr_BE");
  byline_test_wait_for_result (&missing, 10, "loading tlh");

  checker = byline_spell_checker_new_finish (result, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (byline_spell_checker_get_language (checker), ==, "fr_BE");
  g_assert_true (byline_spell_checker_check_word (checker, "septante", -1));
  g_assert_null (byline_spell_checker_new_finish (missing, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
}

/* A word added lasts: Enchant writes it to the personal word list in the (private) config
 * folder, where a new process finds it. An ignored word lasts for this process only. */
static void
test_personal_words (void)
{
  g_autoptr(BylineSpellChecker) checker = NULL;
  g_autoptr(BylineSpellChecker) other = NULL;
  g_autofree char *list_path = NULL;
  g_autofree char *list = NULL;

  if (g_test_subprocess ())
    {
      /* byline_test_init gave this process a config folder of its own: take the parent's. */
      g_setenv ("XDG_CONFIG_HOME", g_getenv ("BYLINE_TEST_PARENT_CONFIG"), TRUE);
      checker = load_checker ("en_US");
      if (g_str_equal (g_getenv ("BYLINE_TEST_WORD"), "added"))
        g_assert_true (byline_spell_checker_check_word (checker, "Bylinesque", -1));
      else
        g_assert_false (byline_spell_checker_check_word (checker, "Zorblaxian", -1));
      return;
    }

  checker = load_checker ("en_US");
  g_assert_false (byline_spell_checker_check_word (checker, "Bylinesque", -1));
  g_assert_false (byline_spell_checker_check_word (checker, "Zorblaxian", -1));
  byline_spell_checker_add_word (checker, "Bylinesque", -1);
  byline_spell_checker_ignore_word (checker, "Zorblaxian", -1);
  g_assert_true (byline_spell_checker_check_word (checker, "Bylinesque", -1));
  g_assert_true (byline_spell_checker_check_word (checker, "Zorblaxian", -1));

  /* Another checker of the language sees both at once. */
  other = load_checker ("en_US");
  g_assert_true (byline_spell_checker_check_word (other, "Bylinesque", -1));
  g_assert_true (byline_spell_checker_check_word (other, "Zorblaxian", -1));

  list_path = g_build_filename (g_get_user_config_dir (), "enchant", "en_US.dic", NULL);
  g_assert_true (g_file_get_contents (list_path, &list, NULL, NULL));
  g_assert_nonnull (strstr (list, "Bylinesque"));
  g_assert_null (strstr (list, "Zorblaxian"));

  /* A new process, with the same config folder. */
  g_setenv ("BYLINE_TEST_PARENT_CONFIG", g_get_user_config_dir (), TRUE);
  g_setenv ("BYLINE_TEST_WORD", "added", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
  g_setenv ("BYLINE_TEST_WORD", "ignored", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

/* The words of @line that spelling looks at, joined by "|". */
static char *
scan (const char *line)
{
  g_autoptr(GArray) words = g_array_new (FALSE, FALSE, sizeof (BylineSpellWord));
  GString *joined = g_string_new (NULL);

  byline_spell_words_scan (line, strlen (line), words);
  for (guint i = 0; i < words->len; i++)
    {
      BylineSpellWord *word = &g_array_index (words, BylineSpellWord, i);

      if (i > 0)
        g_string_append_c (joined, '|');
      g_string_append_len (joined, line + word->start, word->end - word->start);
    }
  return g_string_free (joined, FALSE);
}

static void
test_words (void)
{
  static const struct {
    const char *line;
    const char *words;
  } cases[] = {
    { "The goverment said so.", "The|goverment|said|so" },
    { "## Don’t stop, well-known l'État", "Don’t|stop|well-known|l'État" },
    { "Zürich, Genève and 東京 — déjà vu", "Zürich|Genève|and|東京|déjà|vu" },
    /* Names, not prose. */
    { "mp3 files, COVID-19, snake_case and 2026", "files|and" },
    /* Emphasis marks are punctuation. */
    { "*goverment* and **strong** _words_", "goverment|and|strong|words" },
    /* Code spans, of one or more backticks; one left open is just a backtick. */
    { "run `goverment --fix` or ``a ` b`` now", "run|or|now" },
    { "an `open span", "an|open|span" },
    /* Link destinations (nested parentheses too) and reference labels; the text stays. */
    { "[the goverment](https://example.org/goverment) said", "the|goverment|said" },
    { "[report](wiki/Budget_(goverment)) here", "report|here" },
    { "[report](goverment.html \"Title\") and [text][goverment-ref]", "report|and|text" },
    { "![A photo of the goverment](images/goverment.jpg)", "A|photo|of|the|goverment" },
    { "[goverment]: https://example.org/goverment \"Goverment\"", "" },
    { "   [label]: /goverment", "" },
    /* Addresses: with a scheme, www., e-mail, a domain with a path. */
    { "See https://example.org/goverment/page?q=goverment now", "See|now" },
    { "(https://example.org/goverment).", "" },
    { "Write to goverment@example.org or john.goverment@mail.example.org.", "Write|to|or" },
    { "Go to www.goverment.org or example.org/goverment today", "Go|to|or|today" },
    { "mailto:goverment@example.org", "" },
    { "<https://example.org/goverment> <goverment@example.org>", "" },
    /* HTML tags and attributes, entities; a tag going on to the next line. */
    { "<p class=\"goverment\">The goverment</p>", "The|goverment" },
    { "<a href=\"https://x.org\" title=\"goverment\">link</a> &amp; &eacute; &#233;", "link" },
    { "Text <img src=\"a.png\"\n  alt=\"goverment\"> after", "Text|alt|goverment|after" },
    { "<!-- goverment -->", "" },
    /* Escapes are punctuation; a colon after a word is not a scheme. */
    { "Note: \\*goverment\\*", "Note|goverment" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *words = scan (cases[i].line);

      if (g_strcmp0 (words, cases[i].words) != 0)
        g_error ("In “%s” the words are “%s”, expected “%s”", cases[i].line, words,
                 cases[i].words);
    }
}

static void
test_language_names (void)
{
  static const struct {
    const char *language;
    const char *normalized;
    const char *html;
    const char *name;
  } cases[] = {
    { "en_US", "en_US", "en-US", "English (United States)" },
    { "fr_FR.UTF-8", "fr_FR", "fr-FR", "Français (France)" },
    { "fr-ca", "fr_CA", "fr-CA", "Français (Canada)" },
    { "de_CH@euro", "de_CH", "de-CH", "Deutsch (Schweiz)" },
    { "fr", "fr", "fr", "Français" },
    { "es_CL", "es_CL", "es-CL", "Español (Chile)" },
    { "pt_AO", "pt_AO", "pt-AO", "Português (AO)" },
    { "tlh", "tlh", "tlh", "tlh" },
    { "not a language", NULL, "", "not a language" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *normalized = byline_language_normalize (cases[i].language);
      g_autofree char *html = byline_language_dup_html_tag (cases[i].language);
      g_autofree char *name = byline_language_dup_display_name (cases[i].language);

      g_assert_cmpstr (normalized, ==, cases[i].normalized);
      g_assert_cmpstr (html, ==, cases[i].html);
      g_assert_cmpstr (name, ==, cases[i].name);
    }
}

static void
test_default_language (void)
{
  g_autofree char *french = NULL;
  g_autofree char *fallback = NULL;

  g_setenv ("LANGUAGE", "fr_CA.UTF-8:fr", TRUE);
  french = byline_language_dup_default ();
  g_setenv ("LANGUAGE", "C", TRUE);
  g_setenv ("LC_ALL", "C.UTF-8", TRUE);
  fallback = byline_language_dup_default ();
  g_unsetenv ("LANGUAGE");
  g_unsetenv ("LC_ALL");

  g_assert_cmpstr (french, ==, "fr_CA");
  g_assert_cmpstr (fallback, ==, "en_US");
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);

  g_test_add_func ("/core/spell-checker/languages", test_languages);
  g_test_add_func ("/core/spell-checker/english", test_english);
  g_test_add_func ("/core/spell-checker/french", test_french);
  g_test_add_func ("/core/spell-checker/missing-dictionary", test_missing_dictionary);
  g_test_add_func ("/core/spell-checker/async", test_async);
  g_test_add_func ("/core/spell-checker/personal-words", test_personal_words);
  g_test_add_func ("/core/spell-words/scan", test_words);
  g_test_add_func ("/core/language/names", test_language_names);
  g_test_add_func ("/core/language/default", test_default_language);

  return g_test_run ();
}
