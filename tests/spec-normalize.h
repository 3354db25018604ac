/* SPDX-License-Identifier: GPL-3.0-or-later */
/* spec-normalize.h: the HTML normalisation the CommonMark spec's test runner compares after. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* @html as the CommonMark spec's test runner (test/normalize.py, on Python's HTMLParser) writes
 * it before comparing two renderings: white space collapsed outside <pre> and dropped around
 * block-level tags, tag and attribute names lowercased, attributes sorted, self-closing tags
 * written as start tags, character references decoded (HTML 4's names, as Python's
 * name2codepoint) and only '<', '>', '&' and '"' written as references. */
char *spec_normalize_html (const char *html);

G_END_DECLS
