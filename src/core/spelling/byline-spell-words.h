/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-spell-words.h: the words of a line of Markdown or HTML that spelling looks at. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A word as byte offsets into the text scanned. */
typedef struct {
  gsize start;
  gsize end;
} BylineSpellWord;

/* Appends to @words (of BylineSpellWord) the words of @text (@length bytes of valid UTF-8, one
 * line or more) that a spelling check should look at, in order.
 *
 * A word is a run of letters, with an apostrophe (' or ’), a hyphen or an underscore kept inside
 * it; one with a digit or an underscore ("mp3", "snake_case") is a name, not prose, and is left
 * out. Also left out, as no dictionary knows them: code spans (`…`), HTML tags with their
 * attributes (up to the end of the line when the tag goes on), entities (&amp;), Markdown link
 * destinations ("](…)", with nested parentheses) and reference labels ("][…]"), link reference
 * definitions ("[label]: …"), addresses with a scheme ("https://…", "mailto:…") or starting with
 * "www.", e-mail addresses, and domain names followed by a path ("example.org/page").
 *
 * Code blocks and tags that span lines are the caller's to know (GtkSourceView's highlighting
 * marks them "no-spell-check"). */
void byline_spell_words_scan (const char *text,
                              gsize       length,
                              GArray     *words);

G_END_DECLS
