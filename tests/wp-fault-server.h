/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wp-fault-server.h: a scripted HTTP server on loopback, in its own thread, that plays WordPress
 * and every way a site can fail. */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef enum {
  WP_FAULT_NONE,          /* answer: status, headers and body, after the delay if any */
  WP_FAULT_CLOSE,         /* read the request, answer nothing, close the connection (FIN) */
  WP_FAULT_RESET,         /* read the request, answer nothing, reset the connection (RST) */
  WP_FAULT_CLOSE_IN_BODY, /* send the headers (Content-Length of the whole body), half the body,
                           * then close */
  WP_FAULT_DRIP,          /* send the headers, then the body one byte every drip interval */
  WP_FAULT_HUGE,          /* send the headers, then a JSON array of huge_size bytes, streamed in
                           * chunks as the client reads, never held in memory */
  WP_FAULT_STALL,         /* read the request's headers but never its body, never answer: a
                           * large upload then stalls before it is sent */
  WP_FAULT_SITE,          /* no fault: the site (wp_fault_server_set_site) answers, after the
                           * response's delay if it has one */
} WpFaultKind;

typedef struct _WpFaultResponse WpFaultResponse;

/* A plain answer. @body (nullable) is copied. */
WpFaultResponse *wp_fault_response_new          (guint            status,
                                                 const char      *content_type,
                                                 const char      *body);
/* The answer recorded from a real WordPress in tests/wp-responses/@name.headers and .json: its
 * status and headers (but Date, Server, Content-Length, Transfer-Encoding, Connection) and body. */
WpFaultResponse *wp_fault_response_new_recorded (const char      *name);
/* A fault; for CLOSE_IN_BODY and DRIP, set the body with wp_fault_response_set_body. */
WpFaultResponse *wp_fault_response_new_fault    (WpFaultKind      kind);
void             wp_fault_response_set_body     (WpFaultResponse *response,
                                                 guint            status,
                                                 const char      *content_type,
                                                 const char      *body);
void             wp_fault_response_add_header   (WpFaultResponse *response,
                                                 const char      *name,
                                                 const char      *value);
/* The reason phrase of the status line, as bytes: by default the usual one for the status. */
void             wp_fault_response_set_reason   (WpFaultResponse *response,
                                                 const char      *reason);
/* Waits this long after reading the request before doing anything. */
void             wp_fault_response_set_delay    (WpFaultResponse *response,
                                                 guint            delay_ms);
void             wp_fault_response_set_drip     (WpFaultResponse *response,
                                                 guint            interval_ms);
/* For WP_FAULT_HUGE: the body's size, and whether it goes chunked or with a Content-Length. */
void             wp_fault_response_set_huge     (WpFaultResponse *response,
                                                 guint64          size,
                                                 gboolean         chunked);
/* The site (wp_fault_server_set_site) handles the request first, and then this answer goes out
 * instead of the site's: a change the site made whose answer was lost. */
void             wp_fault_response_set_site_first (WpFaultResponse *response,
                                                   gboolean         site_first);
void             wp_fault_response_free         (WpFaultResponse *response);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WpFaultResponse, wp_fault_response_free)

/* A request as the server received it. */
typedef struct {
  char               *method;
  char               *path;
  char               *query;    /* still encoded; NULL when there was none */
  char               *key;      /* what it was matched against: see wp_fault_server_add */
  SoupMessageHeaders *headers;
  GBytes             *body;     /* empty for WP_FAULT_STALL, whose body is never read */
  gint64              received_at; /* g_get_monotonic_time () when it was read */
} WpFaultRequest;

/* A fake site behind the script: answers a request no scripted answer is queued for (and those
 * scripted as WP_FAULT_SITE or site-first). Called in the server's thread; NULL means 404. */
typedef WpFaultResponse *(*WpFaultSiteFunc) (const WpFaultRequest *request,
                                             gpointer              user_data);

typedef struct _WpFaultServer WpFaultServer;

/* Listens on 127.0.0.1, on a free port, in a thread of its own. With @certificate: https. */
WpFaultServer        *wp_fault_server_new             (GTlsCertificate *certificate);
void                  wp_fault_server_free            (WpFaultServer   *self);
void                  wp_fault_server_set_site        (WpFaultServer   *self,
                                                       WpFaultSiteFunc  func,
                                                       gpointer         user_data);
/* "http://127.0.0.1:PORT", no trailing slash. */
const char           *wp_fault_server_get_url         (WpFaultServer   *self);

/* Queues @response (taken) for requests whose key is @key. A request's key is its path, or
 * "?rest_route=VALUE" when its query has a rest_route; "METHOD KEY" ("POST /wp-json/wp/v2/posts")
 * is tried first. Queued answers are used in turn and the last one stays. A request that
 * matches nothing gets WordPress's 404 rest_no_route. */
void                  wp_fault_server_add             (WpFaultServer   *self,
                                                       const char      *key,
                                                       WpFaultResponse *response);
void                  wp_fault_server_add_json        (WpFaultServer   *self,
                                                       const char      *key,
                                                       guint            status,
                                                       const char      *json);
void                  wp_fault_server_add_recorded    (WpFaultServer   *self,
                                                       const char      *key,
                                                       const char      *name);

guint                 wp_fault_server_get_n_requests  (WpFaultServer   *self);
/* Valid until the server is freed. */
const WpFaultRequest *wp_fault_server_get_request     (WpFaultServer   *self,
                                                       guint            i);
/* How many requests with @method (NULL: any) had @key. */
guint                 wp_fault_server_count_requests  (WpFaultServer   *self,
                                                       const char      *method,
                                                       const char      *key);

/* For streamed bodies (HUGE, DRIP): waits until the last one ended, whether all of it was sent
 * or the client went away, iterating the caller's thread-default main context meanwhile (where a
 * client closes its connections). FALSE if that did not happen within @timeout_ms. */
gboolean              wp_fault_server_wait_stream_end (WpFaultServer   *self,
                                                       guint            timeout_ms);
/* Bytes of the last streamed body that went out, and whether all of them did. */
guint64               wp_fault_server_get_stream_sent (WpFaultServer   *self);
gboolean              wp_fault_server_get_stream_complete (WpFaultServer *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WpFaultServer, wp_fault_server_free)

G_END_DECLS
