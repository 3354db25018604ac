/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-language.h: a draft's language: the system's default, its HTML tag and its name. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Languages are kept as POSIX locale names without encoding or modifier ("en_US", "fr_FR",
 * "fr"), as spelling dictionaries name them. */

/* The system's language for writing: the first of the user's locale languages that is not "C"
 * or "POSIX", as "ll_CC" or "ll"; "en_US" when there is none. */
char *byline_language_dup_default      (void);
/* @language without encoding or modifier, language in lower case and country in upper case
 * ("fr_fr.UTF-8" → "fr_FR", "pt-br" → "pt_BR"); NULL when it does not look like a language. */
char *byline_language_normalize        (const char *language);
/* The BCP 47 tag a page's lang attribute takes: "en_US" → "en-US". */
char *byline_language_dup_html_tag     (const char *language);
/* The language's name in that language, as a menu lists it: "English (United States)",
 * "Français (France)"; for a language or country not in Byline's table, its code stands in
 * ("Español (CL)", "xx"). */
char *byline_language_dup_display_name (const char *language);

G_END_DECLS
