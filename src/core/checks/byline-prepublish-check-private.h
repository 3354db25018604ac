/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-prepublish-check-private.h: what the pre-publish check's parts share: reading a draft
 * for its findings and its links, without the network. */
#pragma once

#include "byline-prepublish-check.h"
#include "byline-spell-checker.h"

G_BEGIN_DECLS

/* A link of the body to check over the network, where it is in the body. */
typedef struct {
  char     *url;      /* absolute http(s) */
  gsize     offset;   /* byte offset and length in the body as typed */
  gsize     length;
  gboolean  invalid;  /* not a web address one could follow ("https://", "http://a b") */
} BylineCheckLink;

void byline_check_link_free (BylineCheckLink *link);

/* Reads @draft (its body in its format, its title and excerpt) and appends to @findings what is
 * wrong with it that needs no network: misspellings (when @spelling is not NULL), images
 * without alt text in the body, headings that skip a level and an empty body, with their byte
 * offsets (line and column are left 0: see _byline_prepublish_check_locate). Appends to @links
 * (nullable) the http(s) links and image sources of the body; addresses starting with "/" are
 * resolved against @site_url when it is not NULL. */
void _byline_prepublish_check_scan  (BylineDraft        *draft,
                                     BylineSpellChecker *spelling,
                                     const char         *site_url,
                                     GPtrArray          *findings,
                                     GPtrArray          *links);
/* Sorts @findings (the body's in the order of the text, then the fields', each in its own
 * order) and sets the line and column of each from its offset, counted in @draft's body or in
 * the field's text. */
void _byline_prepublish_check_locate (BylineDraft *draft,
                                      GPtrArray   *findings);

G_END_DECLS
