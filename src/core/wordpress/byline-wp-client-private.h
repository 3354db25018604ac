/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-client-private.h: what the files of BylineWpClient share: the object, the exchange
 * of one message, the meaning of an answer, requests and the typed calls' common part. */
#pragma once

#include <libsoup/soup.h>

#include "byline-wp-client.h"

G_BEGIN_DECLS

struct _BylineWpClient
{
  GObject      parent_instance;

  SoupSession *session;
  char        *api_root;
  char        *username;
  char        *password;
  char        *authorization;

  gsize        max_response_size;
  guint        timeout;
};

/* What an exchange hands back. */
typedef struct {
  SoupMessage *msg;
  GBytes      *body;  /* NULL for a headers-only exchange */
} BylineWpAnswer;

void            _byline_wp_answer_free              (BylineWpAnswer        *answer);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineWpAnswer, _byline_wp_answer_free)

/* byline-wp-client-exchange.c: sends @msg as it is (no credentials added) and reads its answer,
 * only its headers when @headers_only, under the client's timeout and size limit. */
void            _byline_wp_client_exchange_async    (BylineWpClient        *self,
                                                     SoupMessage           *msg,
                                                     gboolean               headers_only,
                                                     GCancellable          *cancellable,
                                                     GAsyncReadyCallback    callback,
                                                     gpointer               user_data);
BylineWpAnswer *_byline_wp_client_exchange_finish   (BylineWpClient        *self,
                                                     GAsyncResult          *result,
                                                     GError               **error);

/* byline-wp-client-answer.c: an answer's JSON, or the error it means (see its file). */
JsonNode       *_byline_wp_answer_process           (BylineWpAnswer        *answer,
                                                     BylineWpResponseInfo  *info,
                                                     JsonNode             **error_json,
                                                     GError               **error);
/* The same from its parts: what the fuzz tests feed without a network. */
JsonNode       *_byline_wp_answer_read              (guint                  status,
                                                     const char            *reason,
                                                     SoupMessageHeaders    *headers,
                                                     GBytes                *body,
                                                     BylineWpResponseInfo  *info,
                                                     JsonNode             **error_json,
                                                     GError               **error);
char           *_byline_wp_html_to_text             (const char            *html);

/* byline-wp-client-discovery.c: what discovery reads from outside, apart for the fuzz tests.
 * What a person typed as a site's address ("example.org" → "https://example.org"), NULL when it
 * cannot be one. */
char           *_byline_wp_normalize_address        (const char            *address);
/* The API root that the Link header of the home page at @home names (rel="https://api.w.org/"),
 * resolved against @home; NULL when @header (all its values, comma-joined) names none. */
char           *_byline_wp_api_root_from_link       (GUri                  *home,
                                                     const char            *header);
/* The site an API index describes, or NULL when it is not a WordPress index. */
BylineWpSite   *_byline_wp_site_from_index          (JsonNode              *node,
                                                     const char            *api_root);

/* byline-wp-client-request.c: a message for @route (NULL with an error when the account's
 * address is not a web address), its JSON body, and sending it with the credentials. */
SoupMessage    *_byline_wp_client_build_message     (BylineWpClient        *self,
                                                     const char            *method,
                                                     const char            *route,
                                                     GHashTable            *query,
                                                     GError               **error);
void            _byline_wp_message_set_json_body    (SoupMessage           *msg,
                                                     JsonNode              *body);
/* Sends @msg with the credentials and the usual headers; its answer as JSON. */
void            _byline_wp_client_send_async        (BylineWpClient        *self,
                                                     SoupMessage           *msg,
                                                     GCancellable          *cancellable,
                                                     GAsyncReadyCallback    callback,
                                                     gpointer               user_data);
/* @error_json: (out) (optional): the JSON of an error answer. */
JsonNode       *_byline_wp_client_send_finish       (BylineWpClient        *self,
                                                     GAsyncResult          *result,
                                                     BylineWpResponseInfo  *info,
                                                     JsonNode             **error_json,
                                                     GError               **error);

/* A typed call: one request, its JSON turned into a result by a BylineWpParseFunc (NULL with
 * an error when the JSON is not what was expected). */
typedef gpointer (*BylineWpParseFunc) (JsonNode  *node,
                                       GError   **error);

void            _byline_wp_client_call_async        (BylineWpClient        *self,
                                                     gpointer               source_tag,
                                                     const char            *method,
                                                     const char            *route,
                                                     GHashTable            *query,
                                                     JsonNode              *body,
                                                     BylineWpParseFunc      parse,
                                                     GDestroyNotify         free_result,
                                                     GCancellable          *cancellable,
                                                     GAsyncReadyCallback    callback,
                                                     gpointer               user_data);
gpointer        _byline_wp_client_call_finish       (BylineWpClient        *self,
                                                     GAsyncResult          *result,
                                                     gpointer               source_tag,
                                                     BylineWpResponseInfo  *info,
                                                     GError               **error);
/* The readers of a term (-terms.c) and of the signed-in user (byline-wp-client.c), each a
 * BylineWpParseFunc; apart for the fuzz tests. */
BylineWpTerm   *_byline_wp_term_new_from_json       (JsonNode              *node,
                                                     GError               **error);
gpointer        _byline_wp_user_new_from_json       (JsonNode              *node,
                                                     GError               **error);
/* A query for byline_wp_client_build_url: static keys, values freed with it. */
GHashTable     *_byline_wp_query_new                (void);

G_END_DECLS
