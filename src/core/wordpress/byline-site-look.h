/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-site-look.h: a preview template captured from one of the site's own post pages. */
#pragma once

#include <gio/gio.h>

#include "byline-wp-client.h"

G_BEGIN_DECLS

#define BYLINE_SITE_LOOK_ERROR (byline_site_look_error_quark ())

typedef enum {
  BYLINE_SITE_LOOK_ERROR_FAILED,
  BYLINE_SITE_LOOK_ERROR_NO_POST,       /* the site has no published post to copy the look of */
  BYLINE_SITE_LOOK_ERROR_NETWORK,       /* the post's page could not be fetched */
  BYLINE_SITE_LOOK_ERROR_TOO_LARGE,     /* the page was over the size limit */
  BYLINE_SITE_LOOK_ERROR_UNRECOGNISED,  /* no post content element was found in the page */
} BylineSiteLookError;

#define BYLINE_SITE_LOOK_MAX_PAGE_SIZE        (4 * 1024 * 1024)
#define BYLINE_SITE_LOOK_MAX_STYLESHEETS      24
#define BYLINE_SITE_LOOK_MAX_STYLESHEET_SIZE  (2 * 1024 * 1024)
#define BYLINE_SITE_LOOK_MAX_STYLES_SIZE      (6 * 1024 * 1024)

GQuark  byline_site_look_error_quark     (void);

/* Where the look of the site at @api_root is cached: "<cache_dir>/site-look-<hash>.html". */
char   *byline_site_look_get_cache_path  (const char   *cache_dir,
                                          const char   *api_root);
/* The cached template's path, or NULL when none was captured. */
char   *byline_site_look_lookup          (const char   *cache_dir,
                                          const char   *api_root);
/* Reads a cached template; @base_uri (nullable) gets the address of the page it came from
 * (its <base href>), for byline_preview_set_template. */
char   *byline_site_look_load            (const char   *path,
                                          char        **base_uri,
                                          GError      **error);

/* The HTML step, without network: parses @page_html (the page at @page_url, a post titled
 * @title, plain text, nullable), removes scripts, frames, objects, forms, comments sections,
 * event handler attributes and javascript: addresses, empties the title and content elements
 * and marks them #byline-title and #byline-content (with #byline-author and #byline-date after
 * the title when the page has none). <link rel=stylesheet> elements stay in place here; the
 * capture replaces them with the stylesheets' text. UNRECOGNISED when no content element is
 * found. */
char   *byline_site_look_make_template   (const char   *page_html,
                                          const char   *page_url,
                                          const char   *title,
                                          GError      **error);

/* Captures the look of @client's site from its latest published post (anonymous reads only),
 * saves it atomically in @cache_dir and returns its path. */
void    byline_site_look_capture_async   (BylineWpClient      *client,
                                          const char          *cache_dir,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data);
char   *byline_site_look_capture_finish  (GAsyncResult        *result,
                                          GError             **error);

G_END_DECLS
