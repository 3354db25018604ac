/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-link-checker.h: whether the links of a draft lead anywhere, before it is published. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* What became of one address. */
typedef enum {
  BYLINE_LINK_OK,             /* 2xx, possibly after redirects (final_url says where) */
  BYLINE_LINK_CLIENT_ERROR,   /* 4xx: gone, forbidden, not found */
  BYLINE_LINK_SERVER_ERROR,   /* 5xx */
  BYLINE_LINK_DNS,            /* the host name does not resolve */
  BYLINE_LINK_TLS,            /* the certificate is not valid for the host, or TLS failed */
  BYLINE_LINK_TIMEOUT,        /* no answer in time (the checker's timeout) */
  BYLINE_LINK_TOO_MANY_REDIRECTS,
  BYLINE_LINK_FAILED,         /* any other failure: refused connection, a broken answer */
  BYLINE_LINK_NOT_CHECKED,    /* offline, cancelled, or not an http(s) address */
} BylineLinkStatus;

typedef struct {
  char             *url;        /* as asked */
  BylineLinkStatus  status;
  guint             http_status; /* the last answer's status, 0 without one */
  char             *final_url;  /* where redirects led; NULL without a redirect */
  char             *message;    /* a sentence for a person (translated), NULL when OK */
} BylineLinkResult;

void byline_link_result_free (BylineLinkResult *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineLinkResult, byline_link_result_free)

/* Checks addresses over HTTP(S) in parallel, with a short timeout, reading at most the start of
 * each answer (never a whole body), and keeps each result for a while, so that checking a
 * draft again right away asks nothing twice. A checker is used from one thread (its
 * thread-default main context). */
#define BYLINE_TYPE_LINK_CHECKER (byline_link_checker_get_type ())
G_DECLARE_FINAL_TYPE (BylineLinkChecker, byline_link_checker, BYLINE, LINK_CHECKER, GObject)

BylineLinkChecker *byline_link_checker_new          (void);
/* Seconds a request may take before it is a timeout (default 10). */
void               byline_link_checker_set_timeout  (BylineLinkChecker   *self,
                                                     guint                seconds);
/* Seconds a result is kept (default 600); 0 keeps none. */
void               byline_link_checker_set_max_age  (BylineLinkChecker   *self,
                                                     guint                seconds);
/* For tests: the TLS database certificates are checked against (the system's by default). */
void               byline_link_checker_set_tls_database (BylineLinkChecker *self,
                                                         GTlsDatabase      *database);
/* Checks @urls (duplicates are asked once). Offline (GNetworkMonitor says no network) every
 * result is BYLINE_LINK_NOT_CHECKED with a message saying the check could not run. */
void               byline_link_checker_check_async  (BylineLinkChecker   *self,
                                                     const char * const  *urls,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
/* One BylineLinkResult per distinct address, in the order first asked. */
GPtrArray         *byline_link_checker_check_finish (BylineLinkChecker   *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

G_END_DECLS
