/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-spell-highlighter.h: underlines the misspelled words of a text view as the writer types. */
#pragma once

#include <gtk/gtk.h>

#include "byline-spell-checker.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_SPELL_HIGHLIGHTER (byline_spell_highlighter_get_type ())
G_DECLARE_FINAL_TYPE (BylineSpellHighlighter, byline_spell_highlighter, BYLINE, SPELL_HIGHLIGHTER,
                      GObject)

/* Watches @view, whose buffer is a GtkSourceBuffer: what its highlighting marks
 * "no-spell-check" (code, addresses, tags) and attribute values are never checked, nor what
 * byline_spell_words_scan leaves out. Checks nothing until it has a checker. */
BylineSpellHighlighter *byline_spell_highlighter_new             (GtkTextView            *view);
/* @checker's language from now on; NULL: nothing is checked, and no word stays marked. */
void                    byline_spell_highlighter_set_checker     (BylineSpellHighlighter *self,
                                                                  BylineSpellChecker     *checker);
BylineSpellChecker     *byline_spell_highlighter_get_checker     (BylineSpellHighlighter *self);
/* The tag that marks misspelled words. */
GtkTextTag             *byline_spell_highlighter_get_tag         (BylineSpellHighlighter *self);
/* Whether every word has been checked, the word being typed too. */
gboolean                byline_spell_highlighter_is_idle         (BylineSpellHighlighter *self);
/* Checks the word being typed now, as if the writer had paused (before a menu shows it). */
void                    byline_spell_highlighter_check_now       (BylineSpellHighlighter *self);
/* Whether a marked word is at @iter (in it, or just after it), and its bounds. */
gboolean                byline_spell_highlighter_get_marked_word (BylineSpellHighlighter *self,
                                                                  const GtkTextIter      *iter,
                                                                  GtkTextIter            *start,
                                                                  GtkTextIter            *end);
/* Unmarks every occurrence of @word, now that the checker accepts it (added or ignored). */
void                    byline_spell_highlighter_unmark_word     (BylineSpellHighlighter *self,
                                                                  const char             *word);

G_END_DECLS
