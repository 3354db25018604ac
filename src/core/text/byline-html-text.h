/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-html-text.h: HTML from elsewhere read with libxml2's parser, within bounds, and its text. */
#pragma once

#include <glib.h>
#include <libxml/HTMLparser.h>

G_BEGIN_DECLS

/* The most bytes of HTML byline_html_text_extract () reads. */
#define BYLINE_HTML_TEXT_MAX_INPUT (512 * 1024)

/* Parses the first @max_input of @length bytes of @html (any bytes: invalid UTF-8 and NULs
 * become U+FFFD) with libxml2's HTML parser, which loads nothing (no network, no files) and
 * reports nothing. Start tags past 200 open elements and attributes past 32 in a tag are left
 * out first, so that the parser neither stops early nor takes quadratic time on hostile input.
 * @cut: set to whether something was left unread (past @max_input, or where the parser gave
 * up). NULL when there is no document (empty input); free it with xmlFreeDoc (). */
htmlDocPtr  byline_html_text_parse   (const char *html,
                                      gsize       length,
                                      gsize       max_input,
                                      gboolean   *cut);

typedef enum {
  BYLINE_HTML_TEXT_LINES    = 0,       /* a line break between blocks */
  BYLINE_HTML_TEXT_ONE_LINE = 1 << 0,  /* a space between blocks */
} BylineHtmlTextFlags;

/* The text of @html (@length bytes, or -1: up to its NUL; NULL reads as ""): entities decoded;
 * scripts, styles, the head, embedded objects and the like left out with their content; every
 * run of white space one space; a line break (or with ONE_LINE a space) between blocks such as
 * paragraphs, headings, list items and <br>; no space at either end; control and bidi override
 * characters dropped. At most @max_chars characters (0: any number), else cut and ended with
 * "…", as is a text whose HTML was cut (see byline_html_text_parse). Never NULL. */
char       *byline_html_text_extract (const char          *html,
                                      gssize               length,
                                      BylineHtmlTextFlags  flags,
                                      guint                max_chars);

G_END_DECLS
