/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment-html.h: readers' comment HTML made safe to show, as Pango markup or plain text. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The most bytes of HTML that are read. WordPress keeps at most 65,525 characters of a comment,
 * so only a hostile or broken answer is longer; what is left unread ends the result with "…". */
#define BYLINE_COMMENT_HTML_MAX_INPUT  (512 * 1024)
/* The most bytes either function returns (a longer result is cut and ends with "…"). */
#define BYLINE_COMMENT_HTML_MAX_OUTPUT (64 * 1024)

/* Pango markup for a GtkLabel with use-markup, made from a comment's HTML (@length bytes; any
 * bytes: invalid UTF-8 and NULs become U+FFFD). Only <b>, <i>, <s>, <tt> and <a href> are
 * produced; every other character is escaped. Paragraphs are separated by a blank line, <br> is a
 * new line, quotes start each line with "> ", lists are "• " or "1. " lines, <code> and <pre> are
 * <tt>. A link keeps its <a href> only for an http, https or mailto destination, and is followed
 * by its real destination in brackets whenever that differs from its text; any other link is
 * plain text. An image is the text "[image: ALT]" (nothing without alt text); scripts, styles,
 * frames, objects, forms, SVG and the like are dropped with their content; every attribute other
 * than a link's href and an image's alt is ignored; unknown elements keep their text. Always
 * valid markup, never NULL. */
char     *byline_comment_html_to_markup  (const char *html,
                                          gsize       length);

/* The same comment as one line of plain text (for a list row, search and notifications):
 * entities decoded, every run of white space one space, links followed by their destination as
 * above. Never NULL. */
char     *byline_comment_html_to_text    (const char *html,
                                          gsize       length);

/* Whether @href may be opened: an absolute http or https address with a host, or a mailto
 * address, after dropping what browsers drop (surrounding spaces and control characters, tabs
 * and new lines inside). Returns the address to open, or NULL for anything else (javascript:,
 * data:, relative addresses, invisible or bidi control characters...). @shown, if not NULL, gets
 * what to show a reader: the host (in ASCII, so that look-alike letters show) with the path, or
 * the mail address. */
char     *byline_comment_html_safe_link  (const char *href,
                                          char      **shown);

G_END_DECLS
