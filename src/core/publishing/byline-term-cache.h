/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-term-cache.h: each account's categories and tags as last listed from its site. */
#pragma once

#include <gio/gio.h>

#include "byline-store.h"
#include "byline-wp-client.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_TERM_CACHE (byline_term_cache_get_type ())
G_DECLARE_FINAL_TYPE (BylineTermCache, byline_term_cache, BYLINE, TERM_CACHE, GObject)

BylineTermCache *byline_term_cache_new           (BylineStore      *store);
/* The BylineWpTerm of @taxonomy ("categories" or "tags") kept for @account_id, and when they
 * were listed (@fetched_at, microseconds since the epoch, nullable). NULL without an error when
 * nothing is kept. */
GPtrArray       *byline_term_cache_load          (BylineTermCache  *self,
                                                  gint64            account_id,
                                                  const char       *taxonomy,
                                                  gint64           *fetched_at,
                                                  GError          **error);
gboolean         byline_term_cache_save          (BylineTermCache  *self,
                                                  gint64            account_id,
                                                  const char       *taxonomy,
                                                  GPtrArray        *terms,
                                                  GError          **error);
/* Lists every page of @taxonomy through @client (up to 5,000 terms), keeps it for @account_id,
 * and returns it (BylineWpTerm). A failure to keep it is only logged: the list is still good. */
void             byline_term_cache_refresh_async (BylineTermCache  *self,
                                                  BylineWpClient   *client,
                                                  gint64            account_id,
                                                  const char       *taxonomy,
                                                  GCancellable     *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer          user_data);
GPtrArray       *byline_term_cache_refresh_finish (BylineTermCache *self,
                                                  GAsyncResult     *result,
                                                  GError          **error);

G_END_DECLS
