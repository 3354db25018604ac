/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-spell-checker.h: one language's spelling dictionary (Enchant, with Hunspell's). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Everything Byline asks of a spelling library goes through this class, so that another library
 * (libspelling, once the platform has it) can take Enchant's place here alone.
 *
 * A checker is used from the main thread; only loading one may happen on another
 * (byline_spell_checker_new_async). Checkers of the same language share one dictionary, so a
 * word added or ignored in one is known to all. */

#define BYLINE_TYPE_SPELL_CHECKER (byline_spell_checker_get_type ())
G_DECLARE_FINAL_TYPE (BylineSpellChecker, byline_spell_checker, BYLINE, SPELL_CHECKER, GObject)

/* The languages of the installed dictionaries ("en_US", "fr_FR"), sorted. Any thread. */
GStrv               byline_spell_checker_list_languages (void);
/* The installed dictionary that fits @language best: its own, else the same language with the
 * same country left out or another country ("fr" → "fr_FR", "en_CA" → "en_US" when only that
 * is installed); NULL when no dictionary is of that language. Any thread. */
char               *byline_spell_checker_find_language  (const char          *language);
/* Loads the dictionary of @language, or of the installed one that fits it best. Blocks for tens
 * of milliseconds: see byline_spell_checker_new_async. G_IO_ERROR_NOT_FOUND when none fits. */
BylineSpellChecker *byline_spell_checker_new            (const char          *language,
                                                         GError             **error);
/* Loads the dictionary in a worker thread. */
void                byline_spell_checker_new_async      (const char          *language,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
BylineSpellChecker *byline_spell_checker_new_finish     (GAsyncResult        *result,
                                                         GError             **error);
/* The dictionary's language ("fr_FR"), which may be a better fit than the one asked for. */
const char         *byline_spell_checker_get_language   (BylineSpellChecker  *self);
/* Whether @word (@length bytes, or -1 when NUL-terminated) is spelled right, or was added or
 * ignored. */
gboolean            byline_spell_checker_check_word     (BylineSpellChecker  *self,
                                                         const char          *word,
                                                         gssize               length);
/* Spellings the dictionary suggests for @word, best first, at most @max_suggestions. */
GStrv               byline_spell_checker_suggest        (BylineSpellChecker  *self,
                                                         const char          *word,
                                                         gssize               length,
                                                         guint                max_suggestions);
/* Adds @word to the writer's personal word list of this language, which lasts (Enchant keeps it
 * in $XDG_CONFIG_HOME/enchant/). */
void                byline_spell_checker_add_word       (BylineSpellChecker  *self,
                                                         const char          *word,
                                                         gssize               length);
/* Accepts @word until Byline quits. */
void                byline_spell_checker_ignore_word    (BylineSpellChecker  *self,
                                                         const char          *word,
                                                         gssize               length);

G_END_DECLS
