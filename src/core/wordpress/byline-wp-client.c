/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-client.c: talks to one WordPress site's REST API with an Application Password.
 *
 * Three layers. An exchange sends one SoupMessage and reads its answer as a stream, under an
 * overall deadline and a size limit, and turns transport failures into BYLINE_WP_ERROR codes; it
 * remembers whether the request was sent (SoupMessage::wrote-body), which is what tells NETWORK
 * (the site cannot have acted) from TIMEOUT (it may have). A request adds the credentials, parses
 * the JSON and maps HTTP statuses and WordPress's error objects. The typed calls sit on top.
 *
 * An answer that is abandoned (too large, timed out, cancelled) is closed unread: libsoup only
 * keeps a connection whose body was read to its end, so it drops this one and the server sees
 * it go. The close gets a cancelled GCancellable so that it never waits for the rest of the body,
 * and it is never left to the stream's dispose, which would close it synchronously. */

#define G_LOG_DOMAIN "byline-wp-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "byline-html-text.h"
#include "byline-wp-client.h"

#define READ_CHUNK_SIZE (64 * 1024)
/* json-glib's parser recurses once per nesting level: deeper answers are refused before parsing,
 * so that no answer can exhaust the stack. WordPress's own answers nest less than 20 deep. */
#define MAX_JSON_DEPTH 512
/* The longest part of WordPress's own message that is quoted in an error. */
#define MAX_QUOTED_CHARS 400

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

enum {
  PROP_0,
  PROP_API_ROOT,
  PROP_USERNAME,
  PROP_PASSWORD,
  PROP_TIMEOUT,
  PROP_MAX_RESPONSE_SIZE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BylineWpClient, byline_wp_client, G_TYPE_OBJECT)

/* Boxed types */

BylineWpSite *
byline_wp_site_copy (const BylineWpSite *site)
{
  BylineWpSite *copy = g_new0 (BylineWpSite, 1);

  copy->name = g_strdup (site->name);
  copy->description = g_strdup (site->description);
  copy->url = g_strdup (site->url);
  copy->home = g_strdup (site->home);
  copy->api_root = g_strdup (site->api_root);
  copy->gmt_offset = site->gmt_offset;
  copy->timezone_string = g_strdup (site->timezone_string);
  copy->authorization_endpoint = g_strdup (site->authorization_endpoint);
  return copy;
}

void
byline_wp_site_free (BylineWpSite *site)
{
  if (site == NULL)
    return;
  g_free (site->name);
  g_free (site->description);
  g_free (site->url);
  g_free (site->home);
  g_free (site->api_root);
  g_free (site->timezone_string);
  g_free (site->authorization_endpoint);
  g_free (site);
}

BylineWpUser *
byline_wp_user_copy (const BylineWpUser *user)
{
  BylineWpUser *copy = g_memdup2 (user, sizeof *user);

  copy->name = g_strdup (user->name);
  copy->username = g_strdup (user->username);
  return copy;
}

void
byline_wp_user_free (BylineWpUser *user)
{
  if (user == NULL)
    return;
  g_free (user->name);
  g_free (user->username);
  g_free (user);
}

BylineWpTerm *
byline_wp_term_copy (const BylineWpTerm *term)
{
  BylineWpTerm *copy = g_memdup2 (term, sizeof *term);

  copy->name = g_strdup (term->name);
  copy->slug = g_strdup (term->slug);
  return copy;
}

void
byline_wp_term_free (BylineWpTerm *term)
{
  if (term == NULL)
    return;
  g_free (term->name);
  g_free (term->slug);
  g_free (term);
}

BylineWpMedia *
byline_wp_media_copy (const BylineWpMedia *media)
{
  BylineWpMedia *copy = g_memdup2 (media, sizeof *media);

  copy->source_url = g_strdup (media->source_url);
  copy->mime_type = g_strdup (media->mime_type);
  copy->alt_text = g_strdup (media->alt_text);
  copy->slug = g_strdup (media->slug);
  return copy;
}

void
byline_wp_media_free (BylineWpMedia *media)
{
  if (media == NULL)
    return;
  g_free (media->source_url);
  g_free (media->mime_type);
  g_free (media->alt_text);
  g_free (media->slug);
  g_free (media);
}

G_DEFINE_BOXED_TYPE (BylineWpSite, byline_wp_site, byline_wp_site_copy, byline_wp_site_free)
G_DEFINE_BOXED_TYPE (BylineWpUser, byline_wp_user, byline_wp_user_copy, byline_wp_user_free)
G_DEFINE_BOXED_TYPE (BylineWpTerm, byline_wp_term, byline_wp_term_copy, byline_wp_term_free)
G_DEFINE_BOXED_TYPE (BylineWpMedia, byline_wp_media, byline_wp_media_copy, byline_wp_media_free)

void
byline_wp_response_info_clear (BylineWpResponseInfo *info)
{
  g_clear_pointer (&info->wp_code, g_free);
  info->status = 0;
  info->total = -1;
  info->total_pages = -1;
  info->retry_after = 0;
}

/* Text helpers */

/* WordPress's messages are HTML: "you&#8217;ve", or "<h1>Error establishing…</h1>" from wp_die.
 * Quoted as one line of plain text, at most MAX_QUOTED_CHARS characters. */
static char *
html_to_text (const char *html)
{
  return byline_html_text_extract (html, -1, BYLINE_HTML_TEXT_ONE_LINE, MAX_QUOTED_CHARS);
}

static gboolean
looks_like_html (const char   *content_type,
                 const guint8 *data,
                 gsize         len)
{
  gsize i = 0;

  if (content_type != NULL && (g_str_has_prefix (content_type, "text/html")
                               || g_str_has_prefix (content_type, "application/xhtml")))
    return TRUE;
  while (i < len && g_ascii_isspace (data[i]))
    i++;
  return i < len && data[i] == '<';
}

/* Whether @data nests deeper than MAX_JSON_DEPTH, counting brackets outside strings. */
static gboolean
json_too_deep (const guint8 *data,
               gsize         len)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      guint8 c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            return TRUE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return FALSE;
}

static char *
describe_host (GUri *uri)
{
  const char *host = uri ? g_uri_get_host (uri) : NULL;
  int port = uri ? g_uri_get_port (uri) : -1;

  if (host == NULL)
    return g_strdup (_("the site"));
  if (port > 0 && port != 80 && port != 443)
    return strchr (host, ':') ? g_strdup_printf ("[%s]:%d", host, port)
                              : g_strdup_printf ("%s:%d", host, port);
  return g_strdup (host);
}

/* Exchange: one message, its answer read under a deadline and a size limit */

typedef struct {
  SoupMessage          *msg;
  GInputStream         *stream;
  GCancellable         *cancellable;          /* ours: cancelled by the caller's and the deadline */
  GCancellable         *caller_cancellable;
  gulong                caller_cancelled_id;
  GSource              *deadline;
  GByteArray           *body;
  guint8               *buffer;
  gsize                 limit;
  goffset               expected_length;      /* Content-Length, or -1 */
  guint                 timeout;
  GTlsCertificateFlags  tls_errors;
  guint                 sent : 1;                /* the whole request went out */
  guint                 answered : 1;            /* the answer's headers came in */
  guint                 timed_out : 1;
  guint                 headers_only : 1;
} Exchange;

/* What an exchange hands back. */
typedef struct {
  SoupMessage *msg;
  GBytes      *body;  /* NULL for a headers-only exchange */
} Answer;

static void
answer_free (Answer *answer)
{
  g_clear_object (&answer->msg);
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_free (answer);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Answer, answer_free)

static void
exchange_free (Exchange *ex)
{
  if (ex->deadline != NULL)
    {
      g_source_destroy (ex->deadline);
      g_source_unref (ex->deadline);
    }
  if (ex->caller_cancelled_id != 0)
    g_cancellable_disconnect (ex->caller_cancellable, ex->caller_cancelled_id);
  g_clear_object (&ex->caller_cancellable);
  g_signal_handlers_disconnect_by_data (ex->msg, ex);
  g_clear_object (&ex->msg);
  g_clear_object (&ex->stream);
  g_clear_object (&ex->cancellable);
  g_clear_pointer (&ex->body, g_byte_array_unref);
  g_free (ex->buffer);
  g_free (ex);
}

static void
exchange_wrote_body_cb (SoupMessage *msg,
                        Exchange    *ex)
{
  ex->sent = TRUE;
}

/* While a body (an image) is going out, the limit counts from the last bytes sent: a 10 MB
 * photo on a slow line keeps moving and must not time out on every attempt, while a site that
 * stops reading still does. */
static void
exchange_wrote_body_data_cb (SoupMessage *msg,
                             guint        chunk_size,
                             Exchange    *ex)
{
  if (ex->deadline != NULL)
    g_source_set_ready_time (ex->deadline,
                             g_get_monotonic_time () + (gint64) ex->timeout * G_USEC_PER_SEC);
}

static void
exchange_restarted_cb (SoupMessage *msg,
                       Exchange    *ex)
{
  /* libsoup sends an idempotent request again when a kept-alive connection turns out closed. */
  ex->sent = FALSE;
}

static gboolean
exchange_accept_certificate_cb (SoupMessage          *msg,
                                GTlsCertificate      *certificate,
                                GTlsCertificateFlags  errors,
                                Exchange             *ex)
{
  /* Only called for a certificate that failed verification: remember why, and refuse it. */
  ex->tls_errors = errors;
  return FALSE;
}

static void
exchange_caller_cancelled_cb (GCancellable *caller_cancellable,
                              GCancellable *cancellable)
{
  g_cancellable_cancel (cancellable);
}

static gboolean
exchange_deadline_cb (gpointer user_data)
{
  Exchange *ex = g_task_get_task_data (user_data);

  ex->timed_out = TRUE;
  g_clear_pointer (&ex->deadline, g_source_unref);
  g_cancellable_cancel (ex->cancellable);
  return G_SOURCE_REMOVE;
}

/* Drops an answer that is not read to its end, and with it the connection. */
static void
exchange_abandon_stream (Exchange *ex)
{
  g_autoptr(GInputStream) stream = g_steal_pointer (&ex->stream);

  if (stream == NULL)
    return;
  g_cancellable_cancel (ex->cancellable);
  g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, ex->cancellable, NULL, NULL);
}

/* The gravest reason first: a certificate from an unknown authority, and made for another name,
 * is above all not vouched for. */
static const char *
tls_problem (GTlsCertificateFlags flags)
{
  if (flags & G_TLS_CERTIFICATE_REVOKED)
    return _("it has been revoked");
  if (flags & G_TLS_CERTIFICATE_UNKNOWN_CA)
    return _("it is not signed by an authority this computer trusts");
  if (flags & G_TLS_CERTIFICATE_BAD_IDENTITY)
    return _("it was made for another site");
  if (flags & G_TLS_CERTIFICATE_EXPIRED)
    return _("it has expired");
  if (flags & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    return _("it is not valid yet");
  if (flags & G_TLS_CERTIFICATE_INSECURE)
    return _("it uses an insecure algorithm");
  return _("it is not valid");
}

/* Turns what went wrong below HTTP into an error a person can act on. */
static GError *
exchange_map_error (Exchange     *ex,
                    const GError *error)
{
  g_autofree char *host = describe_host (soup_message_get_uri (ex->msg));

  if (ex->caller_cancellable != NULL && g_cancellable_is_cancelled (ex->caller_cancellable))
    return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Cancelled"));

  if (ex->timed_out)
    {
      if (ex->answered)
        return g_error_new (BYLINE_WP_ERROR, BYLINE_WP_ERROR_TIMEOUT,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "The site did not finish its answer within %u second. It "
                                         "may have done what was asked anyway: check before "
                                         "trying again.",
                                         "The site did not finish its answer within %u seconds. It "
                                         "may have done what was asked anyway: check before "
                                         "trying again.",
                                         ex->timeout),
                            ex->timeout);
      if (ex->sent)
        return g_error_new (BYLINE_WP_ERROR, BYLINE_WP_ERROR_TIMEOUT,
                            g_dngettext (GETTEXT_PACKAGE,
                                         "The site did not answer within %u second. It may have "
                                         "done what was asked anyway: check before trying again.",
                                         "The site did not answer within %u seconds. It may have "
                                         "done what was asked anyway: check before trying again.",
                                         ex->timeout),
                            ex->timeout);
      return g_error_new (BYLINE_WP_ERROR, BYLINE_WP_ERROR_NETWORK,
                          g_dngettext (GETTEXT_PACKAGE,
                                       "Byline could not send the request to %s within %u "
                                       "second, so nothing was changed on the site. Check the "
                                       "internet connection.",
                                       "Byline could not send the request to %s within %u "
                                       "seconds, so nothing was changed on the site. Check the "
                                       "internet connection.",
                                       ex->timeout),
                          host, ex->timeout);
    }

  if (error->domain == G_TLS_ERROR && !(error->code == G_TLS_ERROR_EOF && ex->sent))
    {
      if (error->code == G_TLS_ERROR_BAD_CERTIFICATE || ex->tls_errors != 0)
        return g_error_new (BYLINE_WP_ERROR, BYLINE_WP_ERROR_TLS,
                            _("The security certificate of %s is not trusted (%s), so Byline did "
                              "not connect. Ask the site’s administrator to fix it."),
                            host, tls_problem (ex->tls_errors));
      return g_error_new (BYLINE_WP_ERROR, BYLINE_WP_ERROR_TLS,
                          _("Byline could not set up a secure connection with %s (%s)."),
                          host, error->message);
    }

  if (error->domain == G_RESOLVER_ERROR)
    return g_error_new (BYLINE_WP_ERROR, BYLINE_WP_ERROR_NETWORK,
                        _("Byline could not find %s. Check the site address and the internet "
                          "connection."), host);

  if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_PARSING)
      || g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_ENCODING))
    return g_error_new (BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                        _("%s answered with something that is not a web page or WordPress’s JSON "
                          "(%s)."), host, error->message);

  if (g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_TOO_MANY_REDIRECTS)
      || g_error_matches (error, SOUP_SESSION_ERROR, SOUP_SESSION_ERROR_REDIRECT_BAD_URI))
    return g_error_new (BYLINE_WP_ERROR, BYLINE_WP_ERROR_FAILED,
                        _("%s keeps sending Byline to other addresses (%s). Check the site "
                          "address."), host, error->message);

  if (ex->answered)
    return g_error_new (BYLINE_WP_ERROR, BYLINE_WP_ERROR_TIMEOUT,
                        _("The connection to %s broke before the whole answer arrived (%s). The "
                          "site may have done what was asked anyway: check before trying again."),
                        host, error->message);
  if (ex->sent)
    return g_error_new (BYLINE_WP_ERROR, BYLINE_WP_ERROR_TIMEOUT,
                        _("The connection to %s broke before it answered (%s). The site may have "
                          "done what was asked anyway: check before trying again."),
                        host, error->message);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    return g_error_new (BYLINE_WP_ERROR, BYLINE_WP_ERROR_NETWORK,
                        _("Byline could not connect to %s: nothing answers there. The site may "
                          "be down; if it stays so, check the site address."), host);

  return g_error_new (BYLINE_WP_ERROR, BYLINE_WP_ERROR_NETWORK,
                      _("Byline could not connect to %s (%s). Check the internet connection."),
                      host, error->message);
}

static void
exchange_fail (GTask        *task,
               const GError *error)
{
  Exchange *ex = g_task_get_task_data (task);

  exchange_abandon_stream (ex);
  g_task_return_error (task, exchange_map_error (ex, error));
}

static void
exchange_too_large (GTask *task)
{
  Exchange *ex = g_task_get_task_data (task);
  g_autofree char *size = g_format_size (ex->limit);

  exchange_abandon_stream (ex);
  g_task_return_new_error (task, BYLINE_WP_ERROR, BYLINE_WP_ERROR_TOO_LARGE,
                           _("The site’s answer is larger than %s, more than Byline accepts; "
                             "Byline stopped reading it."), size);
}

static void
exchange_return (GTask *task)
{
  Exchange *ex = g_task_get_task_data (task);
  Answer *answer = g_new0 (Answer, 1);

  answer->msg = g_object_ref (ex->msg);
  if (!ex->headers_only)
    answer->body = g_byte_array_free_to_bytes (g_steal_pointer (&ex->body));
  g_task_return_pointer (task, answer, (GDestroyNotify) answer_free);
}

static void exchange_read_next (GTask *task);

static void
exchange_read_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n < 0)
    {
      exchange_fail (task, error);
      return;
    }

  if (n == 0)
    {
      g_autoptr(GInputStream) stream = NULL;

      /* libsoup 3.2 reports a connection closed before the announced Content-Length as a normal
       * end of the body (and a cut chunked body too, which only the JSON parser can catch). */
      if (ex->expected_length >= 0 && (goffset) ex->body->len < ex->expected_length)
        {
          g_autoptr(GError) cut = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_PARTIAL_INPUT,
                                                       _("the answer was cut off"));

          exchange_fail (task, cut);
          return;
        }

      /* The whole answer is in: closing now keeps the connection for the next request. */
      stream = g_steal_pointer (&ex->stream);

      g_input_stream_close_async (stream, G_PRIORITY_DEFAULT, NULL, NULL, NULL);
      exchange_return (task);
      return;
    }

  if ((gsize) n > ex->limit - ex->body->len)
    {
      exchange_too_large (task);
      return;
    }
  g_byte_array_append (ex->body, ex->buffer, n);
  exchange_read_next (g_steal_pointer (&task));
}

static void
exchange_read_next (GTask *task)
{
  Exchange *ex = g_task_get_task_data (task);

  g_input_stream_read_async (ex->stream, ex->buffer, READ_CHUNK_SIZE, G_PRIORITY_DEFAULT,
                             ex->cancellable, exchange_read_cb, task);
}

static void
exchange_send_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Exchange *ex = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SoupMessageHeaders *headers;
  const char *encoding;
  goffset length = -1;

  ex->stream = soup_session_send_finish (SOUP_SESSION (object), result, &error);
  if (ex->stream == NULL)
    {
      exchange_fail (task, error);
      return;
    }

  /* An answer of any kind means that the request arrived. */
  ex->sent = TRUE;
  ex->answered = TRUE;

  if (ex->headers_only)
    {
      exchange_abandon_stream (ex);
      exchange_return (task);
      return;
    }

  headers = soup_message_get_response_headers (ex->msg);
  if (soup_message_headers_get_encoding (headers) == SOUP_ENCODING_CONTENT_LENGTH)
    length = soup_message_headers_get_content_length (headers);
  if (length > 0 && (guint64) length > ex->limit)
    {
      exchange_too_large (task);
      return;
    }
  /* With a Content-Encoding (gzip), the length is that of the encoded body, not of what is read. */
  encoding = soup_message_headers_get_one (headers, "Content-Encoding");
  ex->expected_length = (encoding == NULL || g_ascii_strcasecmp (encoding, "identity") == 0)
                        ? length : -1;

  ex->body = g_byte_array_sized_new (length > 0 ? (guint) length : READ_CHUNK_SIZE);
  ex->buffer = g_malloc (READ_CHUNK_SIZE);
  exchange_read_next (g_steal_pointer (&task));
}

static void
exchange_async (BylineWpClient      *self,
                SoupMessage         *msg,
                gboolean             headers_only,
                GCancellable        *cancellable,
                GAsyncReadyCallback  callback,
                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Exchange *ex;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, exchange_async);

  ex = g_new0 (Exchange, 1);
  ex->msg = g_object_ref (msg);
  ex->cancellable = g_cancellable_new ();
  ex->limit = self->max_response_size;
  ex->expected_length = -1;
  ex->timeout = self->timeout;
  ex->headers_only = headers_only;
  g_task_set_task_data (task, ex, (GDestroyNotify) exchange_free);

  g_signal_connect (msg, "wrote-body", G_CALLBACK (exchange_wrote_body_cb), ex);
  g_signal_connect (msg, "wrote-body-data", G_CALLBACK (exchange_wrote_body_data_cb), ex);
  g_signal_connect (msg, "restarted", G_CALLBACK (exchange_restarted_cb), ex);
  g_signal_connect (msg, "accept-certificate", G_CALLBACK (exchange_accept_certificate_cb), ex);

  if (cancellable != NULL)
    {
      ex->caller_cancellable = g_object_ref (cancellable);
      ex->caller_cancelled_id = g_cancellable_connect (cancellable,
                                                       G_CALLBACK (exchange_caller_cancelled_cb),
                                                       g_object_ref (ex->cancellable),
                                                       g_object_unref);
    }

  ex->deadline = g_timeout_source_new ((guint) MIN ((guint64) ex->timeout * 1000, G_MAXUINT));
  g_source_set_name (ex->deadline, "[byline] WordPress request deadline");
  g_source_set_callback (ex->deadline, exchange_deadline_cb, task, NULL);
  g_source_attach (ex->deadline, g_task_get_context (task));

  soup_session_send_async (self->session, msg, G_PRIORITY_DEFAULT, ex->cancellable,
                           exchange_send_cb, g_steal_pointer (&task));
}

static Answer *
exchange_finish (BylineWpClient  *self,
                 GAsyncResult    *result,
                 GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Request: credentials, JSON and WordPress's errors */

static gint64
header_int (SoupMessageHeaders *headers,
            const char         *name)
{
  const char *value = soup_message_headers_get_one (headers, name);
  g_autofree char *trimmed = NULL;
  guint64 number;

  if (value == NULL)
    return -1;
  trimmed = g_strstrip (g_strdup (value));
  if (!g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXINT64, &number, NULL))
    return -1;
  return (gint64) number;
}

static guint
retry_after_seconds (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 seconds = header_int (headers, "Retry-After");

  if (seconds >= 0)
    return (guint) MIN (seconds, G_MAXUINT);
  if (value == NULL || (when = soup_date_time_new_from_http_string (value)) == NULL)
    return 0;
  now = g_date_time_new_now_utc ();
  seconds = g_date_time_difference (when, now) / G_TIME_SPAN_SECOND;
  return (guint) CLAMP (seconds, 0, G_MAXUINT);
}

/* What WordPress said in an error object: its code and message, NULL when it is not one. */
static gboolean
parse_wp_error (JsonNode  *node,
                char     **code,
                char     **message)
{
  JsonObject *object;
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);

  member = json_object_get_member (object, "code");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member)
      || json_node_get_value_type (member) != G_TYPE_STRING)
    return FALSE;
  *code = g_strdup (json_node_get_string (member));

  member = json_object_get_member (object, "message");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member)
      && json_node_get_value_type (member) == G_TYPE_STRING)
    {
      g_autoptr(GString) text = g_string_new (json_node_get_string (member));
      JsonNode *data = json_object_get_member (object, "data");
      JsonNode *params = NULL;

      /* "Invalid parameter(s): status" says which, data.params says what is wrong with it. */
      if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
        params = json_object_get_member (json_node_get_object (data), "params");
      if (params != NULL && JSON_NODE_HOLDS_OBJECT (params))
        {
          g_autoptr(GList) names = json_object_get_members (json_node_get_object (params));
          gboolean first = TRUE;

          for (GList *l = names; l != NULL; l = l->next)
            {
              JsonNode *value = json_object_get_member (json_node_get_object (params), l->data);

              if (!JSON_NODE_HOLDS_VALUE (value)
                  || json_node_get_value_type (value) != G_TYPE_STRING)
                continue;
              g_string_append (text, first ? " (" : "; ");
              g_string_append (text, json_node_get_string (value));
              first = FALSE;
            }
          if (!first)
            g_string_append_c (text, ')');
        }
      *message = html_to_text (text->str);
    }
  return TRUE;
}

static JsonNode *
parse_json (GBytes  *bytes,
            GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (json_too_deep (data, len))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           _("it nests too deeply"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, (const char *) data, len, error))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, _("it is empty"));
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

static GError *
invalid_json_error (SoupMessage  *msg,
                    GBytes       *body,
                    const GError *parse_error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (body, &len);
  const char *content_type;

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                        NULL);
  if (looks_like_html (content_type, data, len))
    return g_error_new_literal (BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                                _("The site answered with something that is not WordPress’s JSON "
                                  "(an HTML error page?)."));
  if (len == 0)
    return g_error_new_literal (BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                                _("The site answered with nothing where WordPress’s JSON was "
                                  "expected."));
  return g_error_new (BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                      _("The site’s answer is not valid JSON; it may have been cut off (%s)."),
                      parse_error->message);
}

static GError *
status_error (SoupMessage *msg,
              GBytes      *body,
              const char  *wp_message,
              guint        retry_after)
{
  guint status = soup_message_get_status (msg);
  const char *reason = soup_message_get_reason_phrase (msg);
  g_autofree char *sentence = NULL;
  g_autofree char *detail = NULL;
  BylineWpError code;
  gsize len = 0;
  const guint8 *data = body ? g_bytes_get_data (body, &len) : NULL;
  const char *content_type;

  content_type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                        NULL);

  switch (status)
    {
    case SOUP_STATUS_BAD_REQUEST:
      code = BYLINE_WP_ERROR_BAD_REQUEST;
      sentence = g_strdup (_("WordPress refused what Byline sent."));
      break;
    case SOUP_STATUS_UNAUTHORIZED:
      code = BYLINE_WP_ERROR_BAD_CREDENTIALS;
      sentence = g_strdup (_("WordPress refused the user name or application password."));
      break;
    case SOUP_STATUS_FORBIDDEN:
      code = BYLINE_WP_ERROR_FORBIDDEN;
      sentence = g_strdup (_("WordPress does not allow this account to do that."));
      break;
    case SOUP_STATUS_NOT_FOUND:
      code = BYLINE_WP_ERROR_NOT_FOUND;
      sentence = g_strdup (_("WordPress could not find it on the site; it may have been deleted."));
      break;
    case SOUP_STATUS_CONFLICT:
      code = BYLINE_WP_ERROR_CONFLICT;
      sentence = g_strdup (_("WordPress refused it as a conflict with what is on the site."));
      break;
    case SOUP_STATUS_GONE:
      code = BYLINE_WP_ERROR_GONE;
      sentence = g_strdup (_("It is already in the site’s trash."));
      break;
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      code = BYLINE_WP_ERROR_BAD_REQUEST;
      sentence = g_strdup (_("The site refused it as too large."));
      break;
    case 429:
      code = BYLINE_WP_ERROR_RATE_LIMITED;
      if (retry_after > 0)
        sentence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "The site asks Byline to slow down; try again in "
                                                 "%u second.",
                                                 "The site asks Byline to slow down; try again in "
                                                 "%u seconds.", retry_after), retry_after);
      else
        sentence = g_strdup (_("The site asks Byline to slow down; try again in a while."));
      break;
    default:
      if (SOUP_STATUS_IS_SERVER_ERROR (status))
        {
          code = BYLINE_WP_ERROR_SERVER;
          sentence = g_strdup_printf (_("The site had a problem of its own (HTTP %u %s) and could "
                                        "not do it. Try again later."), status, reason);
        }
      else if (SOUP_STATUS_IS_REDIRECTION (status))
        {
          const char *location;

          location = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                   "Location");
          code = BYLINE_WP_ERROR_FAILED;
          sentence = g_strdup_printf (_("The site sent Byline to another address (%s) instead of "
                                        "answering. Check the site address in the account."),
                                      location ? location : "?");
        }
      else if (SOUP_STATUS_IS_CLIENT_ERROR (status))
        {
          code = BYLINE_WP_ERROR_FAILED;
          sentence = g_strdup_printf (_("The site refused the request (HTTP %u %s)."),
                                      status, reason);
        }
      else
        {
          code = BYLINE_WP_ERROR_INVALID_RESPONSE;
          sentence = g_strdup_printf (_("The site answered with an unexpected HTTP status "
                                        "(%u %s)."), status, reason);
        }
      break;
    }

  if (wp_message != NULL && *wp_message != '\0')
    detail = g_strdup_printf (_("WordPress said: “%s”"), wp_message);
  else if (data != NULL && looks_like_html (content_type, data, len))
    detail = g_strdup (_("The site sent an HTML page instead of WordPress’s JSON."));

  if (detail == NULL)
    return g_error_new_literal (BYLINE_WP_ERROR, code, sentence);
  return g_error_new (BYLINE_WP_ERROR, code, "%s %s", sentence, detail);
}

typedef struct {
  BylineWpResponseInfo  info;
  JsonNode             *error_json;   /* the body of an error answer, when it was JSON */
} RequestData;

static void
request_data_free (RequestData *data)
{
  byline_wp_response_info_clear (&data->info);
  g_clear_pointer (&data->error_json, json_node_unref);
  g_free (data);
}

/* Turns an answer into its JSON, or into the error it means. */
static JsonNode *
process_answer (Answer       *answer,
                RequestData  *data,
                GError      **error)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (answer->msg);
  guint status = soup_message_get_status (answer->msg);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *wp_message = NULL;

  data->info.status = status;
  data->info.total = header_int (headers, "X-WP-Total");
  data->info.total_pages = header_int (headers, "X-WP-TotalPages");
  data->info.retry_after = retry_after_seconds (headers);

  if (g_bytes_get_size (answer->body) > 0)
    node = parse_json (answer->body, &parse_error);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (node != NULL)
        return g_steal_pointer (&node);
      if (status == SOUP_STATUS_NO_CONTENT && g_bytes_get_size (answer->body) == 0)
        return json_node_new (JSON_NODE_NULL);
      g_propagate_error (error, invalid_json_error (answer->msg, answer->body, parse_error));
      return NULL;
    }

  if (parse_wp_error (node, &data->info.wp_code, &wp_message))
    data->error_json = g_steal_pointer (&node);
  g_propagate_error (error, status_error (answer->msg, answer->body, wp_message,
                                          data->info.retry_after));
  return NULL;
}

static void
request_exchange_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RequestData *data = g_task_get_task_data (task);
  g_autoptr(Answer) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  answer = exchange_finish (BYLINE_WP_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  node = process_answer (answer, data, &error);
  if (node == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

/* Sends @msg with the credentials and the usual headers. */
static void
request_message_async (BylineWpClient      *self,
                       SoupMessage         *msg,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  GTask *task;
  RequestData *data;

  if (self->authorization != NULL)
    soup_message_headers_replace (headers, "Authorization", self->authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  /* Following a redirect would carry the password to another address, and turn a POST into a
   * GET: a redirect is reported instead. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, request_message_async);
  data = g_new0 (RequestData, 1);
  byline_wp_response_info_clear (&data->info);
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  exchange_async (self, msg, FALSE, cancellable, request_exchange_cb, task);
}

/* @error_json: (out) (optional): the JSON of an error answer. */
static JsonNode *
request_message_finish (BylineWpClient        *self,
                        GAsyncResult          *result,
                        BylineWpResponseInfo  *info,
                        JsonNode             **error_json,
                        GError               **error)
{
  RequestData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (info != NULL)
    {
      byline_wp_response_info_clear (info);
      *info = data->info;
      info->wp_code = g_strdup (data->info.wp_code);
    }
  if (error_json != NULL)
    *error_json = data->error_json ? json_node_ref (data->error_json) : NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

static SoupMessage *
build_message (BylineWpClient  *self,
               const char      *method,
               const char      *route,
               GHashTable      *query,
               GError         **error)
{
  g_autofree char *url = byline_wp_client_build_url (self, route, query);
  SoupMessage *msg = url ? soup_message_new (method, url) : NULL;

  if (msg == NULL)
    g_set_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_FAILED,
                 _("The WordPress address “%s” is not a web address. Check the account."),
                 self->api_root);
  return msg;
}

static void
set_json_body (SoupMessage *msg,
               JsonNode    *body)
{
  g_autofree char *text = json_to_string (body, FALSE);
  gsize len = strlen (text);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), len);

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
}

void
byline_wp_client_request_async (BylineWpClient      *self,
                                const char          *method,
                                const char          *route,
                                GHashTable          *query,
                                JsonNode            *body,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (route != NULL && route[0] == '/');

  msg = build_message (self, method, route, query, &error);
  if (msg == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, request_message_async);
      g_task_set_task_data (task, g_new0 (RequestData, 1), (GDestroyNotify) request_data_free);
      byline_wp_response_info_clear (&((RequestData *) g_task_get_task_data (task))->info);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (body != NULL)
    set_json_body (msg, body);
  request_message_async (self, msg, cancellable, callback, user_data);
}

JsonNode *
byline_wp_client_request_finish (BylineWpClient        *self,
                                 GAsyncResult          *result,
                                 BylineWpResponseInfo  *info,
                                 GError               **error)
{
  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), NULL);
  return request_message_finish (self, result, info, NULL, error);
}

/* Typed calls: one request, its JSON parsed into a result */

typedef gpointer (*ParseFunc) (JsonNode  *node,
                               GError   **error);

typedef struct {
  ParseFunc             parse;
  GDestroyNotify        free_result;
  BylineWpResponseInfo  info;
} CallData;

static void
call_data_free (CallData *data)
{
  byline_wp_response_info_clear (&data->info);
  g_free (data);
}

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CallData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gpointer parsed;

  node = request_message_finish (BYLINE_WP_CLIENT (object), result, &data->info, NULL, &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  parsed = data->parse (node, &error);
  if (parsed == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, parsed, data->free_result);
}

static void
call_async (BylineWpClient      *self,
            gpointer             source_tag,
            const char          *method,
            const char          *route,
            GHashTable          *query,
            JsonNode            *body,
            ParseFunc            parse,
            GDestroyNotify       free_result,
            GCancellable        *cancellable,
            GAsyncReadyCallback  callback,
            gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  CallData *data = g_new0 (CallData, 1);

  g_task_set_source_tag (task, source_tag);
  data->parse = parse;
  data->free_result = free_result;
  byline_wp_response_info_clear (&data->info);
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);

  byline_wp_client_request_async (self, method, route, query, body, cancellable, call_cb,
                                  g_steal_pointer (&task));
}

static gpointer
call_finish (BylineWpClient        *self,
             GAsyncResult          *result,
             gpointer               source_tag,
             BylineWpResponseInfo  *info,
             GError               **error)
{
  CallData *data;

  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (info != NULL)
    {
      byline_wp_response_info_clear (info);
      *info = data->info;
      info->wp_code = g_strdup (data->info.wp_code);
    }
  return g_task_propagate_pointer (G_TASK (result), error);
}

static GHashTable *
new_query (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

static gpointer
parse_post (JsonNode  *node,
            GError   **error)
{
  return byline_wp_post_new_from_json (node, error);
}

static gpointer
parse_post_array (JsonNode  *node,
                  GError   **error)
{
  g_autoptr(GPtrArray) posts = NULL;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                           _("The site’s answer is not what Byline expected from WordPress: it is "
                             "not a list of posts."));
      return NULL;
    }

  array = json_node_get_array (node);
  posts = g_ptr_array_new_full (json_array_get_length (array), g_object_unref);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      BylineWpPost *post = byline_wp_post_new_from_json (json_array_get_element (array, i), error);

      if (post == NULL)
        return NULL;
      g_ptr_array_add (posts, post);
    }
  return g_steal_pointer (&posts);
}

/* A DELETE answers with the trashed post, or with force {"deleted":true,"previous":{post}}. */
static gpointer
parse_deleted_post (JsonNode  *node,
                    GError   **error)
{
  JsonObject *object = _byline_wp_json_expect_object (node, _("post"), error);
  gboolean deleted = FALSE;

  if (object == NULL)
    return NULL;
  if (!_byline_wp_json_get_bool (object, _("post"), "deleted", FALSE, &deleted, error))
    return NULL;
  if (deleted)
    return byline_wp_post_new_from_json (json_object_get_member (object, "previous"), error);
  return byline_wp_post_new_from_json (node, error);
}

static gpointer
parse_user (JsonNode  *node,
            GError   **error)
{
  const char *what = _("user");
  g_autoptr(BylineWpUser) user = g_new0 (BylineWpUser, 1);
  JsonObject *object = _byline_wp_json_expect_object (node, what, error);
  JsonObject *caps;

  if (object == NULL
      || !_byline_wp_json_get_int (object, what, "id", TRUE, &user->id, error)
      || !_byline_wp_json_get_string (object, what, "name", TRUE, FALSE, &user->name, error)
      || !_byline_wp_json_get_string (object, what, "username", TRUE, FALSE, &user->username,
                                      error))
    return NULL;

  /* Only in edit context, which /users/me always allows for oneself. */
  caps = _byline_wp_json_expect_object (json_object_get_member (object, "capabilities"),
                                        _("list of capabilities"), error);
  if (caps == NULL
      || !_byline_wp_json_get_bool (caps, what, "publish_posts", FALSE, &user->publish_posts, error)
      || !_byline_wp_json_get_bool (caps, what, "edit_posts", FALSE, &user->edit_posts, error)
      || !_byline_wp_json_get_bool (caps, what, "upload_files", FALSE, &user->upload_files, error)
      || !_byline_wp_json_get_bool (caps, what, "moderate_comments", FALSE,
                                    &user->moderate_comments, error)
      || !_byline_wp_json_get_bool (caps, what, "manage_categories", FALSE,
                                    &user->manage_categories, error))
    return NULL;

  return g_steal_pointer (&user);
}

static BylineWpTerm *
parse_term (JsonNode  *node,
            GError   **error)
{
  const char *what = _("term");
  g_autoptr(BylineWpTerm) term = g_new0 (BylineWpTerm, 1);
  JsonObject *object = _byline_wp_json_expect_object (node, what, error);

  if (object == NULL
      || !_byline_wp_json_get_int (object, what, "id", TRUE, &term->id, error)
      || !_byline_wp_json_get_string (object, what, "name", TRUE, FALSE, &term->name, error)
      || !_byline_wp_json_get_string (object, what, "slug", TRUE, FALSE, &term->slug, error)
      || !_byline_wp_json_get_int (object, what, "parent", FALSE, &term->parent, error)
      || !_byline_wp_json_get_int (object, what, "count", FALSE, &term->count, error))
    return NULL;
  return g_steal_pointer (&term);
}

static gpointer
parse_term_array (JsonNode  *node,
                  GError   **error)
{
  g_autoptr(GPtrArray) terms = NULL;
  JsonArray *array;

  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                           _("The site’s answer is not what Byline expected from WordPress: it is "
                             "not a list of categories or tags."));
      return NULL;
    }

  array = json_node_get_array (node);
  terms = g_ptr_array_new_full (json_array_get_length (array),
                                (GDestroyNotify) byline_wp_term_free);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      BylineWpTerm *term = parse_term (json_array_get_element (array, i), error);

      if (term == NULL)
        return NULL;
      g_ptr_array_add (terms, term);
    }
  return g_steal_pointer (&terms);
}

BylineWpMedia *
byline_wp_media_new_from_json (JsonNode  *node,
                               GError   **error)
{
  const char *what = _("file");
  g_autoptr(BylineWpMedia) media = g_new0 (BylineWpMedia, 1);
  JsonObject *object = _byline_wp_json_expect_object (node, what, error);

  if (object == NULL
      || !_byline_wp_json_get_int (object, what, "id", TRUE, &media->id, error)
      || !_byline_wp_json_get_string (object, what, "source_url", TRUE, FALSE, &media->source_url,
                                      error)
      || !_byline_wp_json_get_string (object, what, "mime_type", FALSE, FALSE, &media->mime_type,
                                      error)
      || !_byline_wp_json_get_string (object, what, "alt_text", FALSE, TRUE, &media->alt_text,
                                      error)
      || !_byline_wp_json_get_string (object, what, "slug", FALSE, TRUE, &media->slug, error))
    return NULL;
  if (media->slug == NULL)
    media->slug = g_strdup ("");
  if (media->alt_text == NULL)
    media->alt_text = g_strdup ("");
  if (media->mime_type == NULL)
    media->mime_type = g_strdup ("");
  return g_steal_pointer (&media);
}

void
byline_wp_client_get_me_async (BylineWpClient      *self,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_autoptr(GHashTable) query = new_query ();

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));

  g_hash_table_insert (query, "context", g_strdup ("edit"));
  call_async (self, byline_wp_client_get_me_async, "GET", "/wp/v2/users/me", query, NULL,
              parse_user, (GDestroyNotify) byline_wp_user_free, cancellable, callback, user_data);
}

BylineWpUser *
byline_wp_client_get_me_finish (BylineWpClient  *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  return call_finish (self, result, byline_wp_client_get_me_async, NULL, error);
}

void
byline_wp_client_get_post_async (BylineWpClient      *self,
                                 gint64               id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GHashTable) query = new_query ();
  g_autofree char *route = NULL;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (id > 0);

  route = g_strdup_printf ("/wp/v2/posts/%" G_GINT64_FORMAT, id);
  g_hash_table_insert (query, "context", g_strdup ("edit"));
  call_async (self, byline_wp_client_get_post_async, "GET", route, query, NULL, parse_post,
              g_object_unref, cancellable, callback, user_data);
}

BylineWpPost *
byline_wp_client_get_post_finish (BylineWpClient  *self,
                                  GAsyncResult    *result,
                                  GError         **error)
{
  return call_finish (self, result, byline_wp_client_get_post_async, NULL, error);
}

void
byline_wp_client_list_posts_async (BylineWpClient      *self,
                                   const char * const  *statuses,
                                   const char          *search,
                                   guint                page,
                                   guint                per_page,
                                   const char          *orderby,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GHashTable) query = new_query ();

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (per_page <= 100);

  g_hash_table_insert (query, "context", g_strdup ("edit"));
  if (statuses != NULL && statuses[0] != NULL)
    g_hash_table_insert (query, "status", g_strjoinv (",", (char **) statuses));
  if (search != NULL && *search != '\0')
    g_hash_table_insert (query, "search", g_strdup (search));
  if (page > 0)
    g_hash_table_insert (query, "page", g_strdup_printf ("%u", page));
  if (per_page > 0)
    g_hash_table_insert (query, "per_page", g_strdup_printf ("%u", per_page));
  if (orderby != NULL)
    g_hash_table_insert (query, "orderby", g_strdup (orderby));
  call_async (self, byline_wp_client_list_posts_async, "GET", "/wp/v2/posts", query, NULL,
              parse_post_array, (GDestroyNotify) g_ptr_array_unref, cancellable, callback,
              user_data);
}

GPtrArray *
byline_wp_client_list_posts_finish (BylineWpClient        *self,
                                    GAsyncResult          *result,
                                    BylineWpResponseInfo  *info,
                                    GError               **error)
{
  return call_finish (self, result, byline_wp_client_list_posts_async, info, error);
}

void
byline_wp_client_create_post_async (BylineWpClient      *self,
                                    JsonObject          *fields,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (fields != NULL);

  body = json_node_init_object (json_node_alloc (), fields);
  call_async (self, byline_wp_client_create_post_async, "POST", "/wp/v2/posts", NULL, body,
              parse_post, g_object_unref, cancellable, callback, user_data);
}

BylineWpPost *
byline_wp_client_create_post_finish (BylineWpClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return call_finish (self, result, byline_wp_client_create_post_async, NULL, error);
}

void
byline_wp_client_update_post_async (BylineWpClient      *self,
                                    gint64               id,
                                    JsonObject          *fields,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *route = NULL;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (id > 0);
  g_return_if_fail (fields != NULL);

  route = g_strdup_printf ("/wp/v2/posts/%" G_GINT64_FORMAT, id);
  body = json_node_init_object (json_node_alloc (), fields);
  call_async (self, byline_wp_client_update_post_async, "POST", route, NULL, body, parse_post,
              g_object_unref, cancellable, callback, user_data);
}

BylineWpPost *
byline_wp_client_update_post_finish (BylineWpClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return call_finish (self, result, byline_wp_client_update_post_async, NULL, error);
}

void
byline_wp_client_delete_post_async (BylineWpClient      *self,
                                    gint64               id,
                                    gboolean             force,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GHashTable) query = new_query ();
  g_autofree char *route = NULL;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (id > 0);

  route = g_strdup_printf ("/wp/v2/posts/%" G_GINT64_FORMAT, id);
  if (force)
    g_hash_table_insert (query, "force", g_strdup ("true"));
  call_async (self, byline_wp_client_delete_post_async, "DELETE", route, query, NULL,
              parse_deleted_post, g_object_unref, cancellable, callback, user_data);
}

BylineWpPost *
byline_wp_client_delete_post_finish (BylineWpClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  return call_finish (self, result, byline_wp_client_delete_post_async, NULL, error);
}

void
byline_wp_client_find_posts_by_slug_async (BylineWpClient      *self,
                                           const char          *slug,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GHashTable) query = new_query ();

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (slug != NULL && *slug != '\0');

  g_hash_table_insert (query, "slug", g_strdup (slug));
  g_hash_table_insert (query, "status", g_strdup ("any"));
  g_hash_table_insert (query, "context", g_strdup ("edit"));
  g_hash_table_insert (query, "per_page", g_strdup ("100"));
  call_async (self, byline_wp_client_find_posts_by_slug_async, "GET", "/wp/v2/posts", query, NULL,
              parse_post_array, (GDestroyNotify) g_ptr_array_unref, cancellable, callback,
              user_data);
}

GPtrArray *
byline_wp_client_find_posts_by_slug_finish (BylineWpClient  *self,
                                            GAsyncResult    *result,
                                            GError         **error)
{
  return call_finish (self, result, byline_wp_client_find_posts_by_slug_async, NULL, error);
}

static gboolean
is_taxonomy (const char *taxonomy)
{
  return g_strcmp0 (taxonomy, "categories") == 0 || g_strcmp0 (taxonomy, "tags") == 0;
}

void
byline_wp_client_list_terms_async (BylineWpClient      *self,
                                   const char          *taxonomy,
                                   const char          *search,
                                   guint                page,
                                   guint                per_page,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GHashTable) query = new_query ();
  g_autofree char *route = NULL;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (is_taxonomy (taxonomy));
  g_return_if_fail (per_page <= 100);

  route = g_strdup_printf ("/wp/v2/%s", taxonomy);
  g_hash_table_insert (query, "context", g_strdup ("edit"));
  if (search != NULL && *search != '\0')
    g_hash_table_insert (query, "search", g_strdup (search));
  if (page > 0)
    g_hash_table_insert (query, "page", g_strdup_printf ("%u", page));
  if (per_page > 0)
    g_hash_table_insert (query, "per_page", g_strdup_printf ("%u", per_page));
  call_async (self, byline_wp_client_list_terms_async, "GET", route, query, NULL,
              parse_term_array, (GDestroyNotify) g_ptr_array_unref, cancellable, callback,
              user_data);
}

GPtrArray *
byline_wp_client_list_terms_finish (BylineWpClient        *self,
                                    GAsyncResult          *result,
                                    BylineWpResponseInfo  *info,
                                    GError               **error)
{
  return call_finish (self, result, byline_wp_client_list_terms_async, info, error);
}

/* ensure_term: create, or take the id WordPress names when the term exists.
 *
 * Two drafts published at the same time may both bring a new tag. WordPress answers the second
 * POST of a name with term_exists, but two POSTs that cross can still both insert before either
 * sees the other. So, within this process, calls for the same term on the same site and account
 * share one request: every caller waits for it and gets its answer. Across processes, the site's
 * term_exists answer is what there is. */

typedef struct {
  char      *key;
  GPtrArray *waiters;   /* GTask, one per caller */
} TermRequest;

G_LOCK_DEFINE_STATIC (terms_in_flight);
static GHashTable *terms_in_flight;  /* key → TermRequest, while its request runs */

static char *
term_request_key (BylineWpClient *self,
                  const char     *taxonomy,
                  const char     *name,
                  gint64          parent)
{
  g_autofree char *composed = g_utf8_normalize (name, -1, G_NORMALIZE_DEFAULT_COMPOSE);
  /* WordPress compares a new term's name with its siblings' in ASCII lower case only. */
  g_autofree char *folded = g_ascii_strdown (composed ? composed : name, -1);

  return g_strdup_printf ("%s\x1f%s\x1f%s\x1f%" G_GINT64_FORMAT "\x1f%s", self->api_root,
                          self->username ? self->username : "", taxonomy, parent, folded);
}

static void
term_request_finish (TermRequest  *request,
                     gint64        id,
                     const GError *error)
{
  G_LOCK (terms_in_flight);
  g_hash_table_remove (terms_in_flight, request->key);
  G_UNLOCK (terms_in_flight);

  for (guint i = 0; i < request->waiters->len; i++)
    {
      GTask *waiter = g_ptr_array_index (request->waiters, i);

      if (error != NULL)
        g_task_return_error (waiter, g_error_copy (error));
      else
        g_task_return_int (waiter, id);
    }
  g_ptr_array_unref (request->waiters);
  g_free (request->key);
  g_free (request);
}

static void
ensure_term_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  TermRequest *request = user_data;
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) error_json = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineWpTerm) term = NULL;

  node = request_message_finish (BYLINE_WP_CLIENT (object), result, &info, &error_json, &error);
  if (node == NULL)
    {
      /* {"code":"term_exists","data":{"status":400,"term_id":8}} */
      if (g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_REQUEST)
          && g_strcmp0 (info.wp_code, "term_exists") == 0 && error_json != NULL)
        {
          JsonObject *root = json_node_get_object (error_json);
          JsonNode *data = json_object_get_member (root, "data");
          gint64 id = 0;

          if (data != NULL && JSON_NODE_HOLDS_OBJECT (data)
              && _byline_wp_json_get_int (json_node_get_object (data), _("term"), "term_id", TRUE,
                                          &id, NULL)
              && id > 0)
            {
              term_request_finish (request, id, NULL);
              return;
            }
        }
      term_request_finish (request, 0, error);
      return;
    }

  term = parse_term (node, &error);
  term_request_finish (request, term ? term->id : 0, error);
}

void
byline_wp_client_ensure_term_async (BylineWpClient      *self,
                                    const char          *taxonomy,
                                    const char          *name,
                                    gint64               parent,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(JsonObject) fields = json_object_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *route = NULL;
  g_autofree char *key = NULL;
  TermRequest *request;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (is_taxonomy (taxonomy));
  g_return_if_fail (name != NULL && *name != '\0');
  g_return_if_fail (parent >= 0);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_wp_client_ensure_term_async);
  if (!g_str_equal (taxonomy, "categories"))
    parent = 0;

  key = term_request_key (self, taxonomy, name, parent);
  G_LOCK (terms_in_flight);
  if (terms_in_flight == NULL)
    terms_in_flight = g_hash_table_new (g_str_hash, g_str_equal);
  request = g_hash_table_lookup (terms_in_flight, key);
  if (request != NULL)
    {
      g_ptr_array_add (request->waiters, g_steal_pointer (&task));
      G_UNLOCK (terms_in_flight);
      return;
    }
  request = g_new0 (TermRequest, 1);
  request->key = g_steal_pointer (&key);
  request->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (request->waiters, g_steal_pointer (&task));
  g_hash_table_insert (terms_in_flight, request->key, request);
  G_UNLOCK (terms_in_flight);

  route = g_strdup_printf ("/wp/v2/%s", taxonomy);
  msg = build_message (self, "POST", route, NULL, &error);
  if (msg == NULL)
    {
      term_request_finish (request, 0, error);
      return;
    }

  json_object_set_string_member (fields, "name", name);
  if (parent > 0)
    json_object_set_int_member (fields, "parent", parent);
  body = json_node_init_object (json_node_alloc (), fields);
  set_json_body (msg, body);
  /* Not the first caller's cancellable: the others still want the answer. A caller that gives
   * up gets G_IO_ERROR_CANCELLED from its own task when the request ends (in its timeout). */
  request_message_async (self, msg, NULL, ensure_term_cb, request);
}

gint64
byline_wp_client_ensure_term_finish (BylineWpClient  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  gssize id;

  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), 0);
  g_return_val_if_fail (g_task_is_valid (result, self), 0);

  id = g_task_propagate_int (G_TASK (result), error);
  return MAX (id, 0);
}

/* upload_media: the file as the raw body, then its alternative text */

typedef struct {
  BylineWpMedia *media;
  char          *alt_text;
} Upload;

static void
upload_free (Upload *upload)
{
  g_clear_pointer (&upload->media, byline_wp_media_free);
  g_free (upload->alt_text);
  g_free (upload);
}

static void
upload_alt_text_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineWpMedia) updated = NULL;

  node = request_message_finish (BYLINE_WP_CLIENT (object), result, NULL, NULL, &error);
  if (node != NULL)
    updated = byline_wp_media_new_from_json (node, &error);
  if (updated == NULL)
    {
      /* The file is on the site: failing would have it uploaded twice on a retry. */
      g_message ("Uploaded file %" G_GINT64_FORMAT " kept no alternative text: %s",
                 upload->media->id, error->message);
      g_task_return_pointer (task, g_steal_pointer (&upload->media),
                             (GDestroyNotify) byline_wp_media_free);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&updated), (GDestroyNotify) byline_wp_media_free);
}

static void
upload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  BylineWpClient *self = BYLINE_WP_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *route = NULL;
  GCancellable *cancellable;

  node = request_message_finish (self, result, NULL, NULL, &error);
  if (node != NULL)
    upload->media = byline_wp_media_new_from_json (node, &error);
  if (upload->media == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (upload->alt_text == NULL || g_str_equal (upload->alt_text, upload->media->alt_text))
    {
      g_task_return_pointer (task, g_steal_pointer (&upload->media),
                             (GDestroyNotify) byline_wp_media_free);
      return;
    }

  route = g_strdup_printf ("/wp/v2/media/%" G_GINT64_FORMAT, upload->media->id);
  msg = build_message (self, "POST", route, NULL, NULL);
  g_assert (msg != NULL);  /* the upload's own address was good */
  fields = json_object_new ();
  json_object_set_string_member (fields, "alt_text", upload->alt_text);
  body = json_node_init_object (json_node_alloc (), fields);
  set_json_body (msg, body);
  /* Taken before the task is handed on: argument order is unspecified. */
  cancellable = g_task_get_cancellable (task);
  request_message_async (self, msg, cancellable, upload_alt_text_cb, g_steal_pointer (&task));
}

void
byline_wp_client_upload_media_async (BylineWpClient      *self,
                                     GBytes              *data,
                                     const char          *filename,
                                     const char          *mime_type,
                                     const char          *slug,
                                     const char          *alt_text,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  Upload *upload;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (data != NULL);
  g_return_if_fail (filename != NULL);
  g_return_if_fail (mime_type != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_wp_client_upload_media_async);
  upload = g_new0 (Upload, 1);
  upload->alt_text = (alt_text != NULL && *alt_text != '\0') ? g_strdup (alt_text) : NULL;
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);

  /* The slug rides in the query: a raw body has no other place for fields. */
  query = new_query ();
  if (slug != NULL && *slug != '\0')
    g_hash_table_insert (query, "slug", g_strdup (slug));
  msg = build_message (self, "POST", "/wp/v2/media", query, &error);
  if (msg == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* WordPress names the file after Content-Disposition (RFC 5987 for non-ASCII names), which it
   * requires: without it the upload is refused. */
  basename = g_path_get_basename (filename);
  if (basename[0] == '\0' || g_str_equal (basename, ".")
      || g_str_equal (basename, G_DIR_SEPARATOR_S))
    {
      g_free (basename);
      basename = g_strdup ("upload");
    }
  params = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (params, "filename", basename);
  soup_message_headers_set_content_disposition (soup_message_get_request_headers (msg),
                                                "attachment", params);
  soup_message_set_request_body_from_bytes (msg, mime_type, data);
  request_message_async (self, msg, cancellable, upload_cb, g_steal_pointer (&task));
}

BylineWpMedia *
byline_wp_client_upload_media_finish (BylineWpClient  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Discovery */

typedef struct {
  BylineWpClient *client;       /* anonymous, only for its session */
  char           *address;      /* what the person typed, for messages */
  GPtrArray      *candidates;   /* API roots to try, in order */
  guint           next;
  GError         *wp_error;     /* WordPress's own refusal of an index, the best thing to report */
  GError         *net_error;    /* or else why an index could not be fetched */
} Discovery;

static void
discovery_free (Discovery *discovery)
{
  g_clear_object (&discovery->client);
  g_free (discovery->address);
  g_clear_pointer (&discovery->candidates, g_ptr_array_unref);
  g_clear_error (&discovery->wp_error);
  g_clear_error (&discovery->net_error);
  g_free (discovery);
}

/* "example.org" → "https://example.org"; NULL when it cannot be a site's address. */
static char *
normalize_address (const char *address)
{
  g_autofree char *trimmed = g_strstrip (g_strdup (address));
  g_autofree char *with_scheme = NULL;
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  if (trimmed[0] == '\0')
    return NULL;
  with_scheme = strstr (trimmed, "://") ? g_strdup (trimmed)
                                        : g_strconcat ("https://", trimmed, NULL);
  uri = g_uri_parse (with_scheme, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || g_uri_get_host (uri)[0] == '\0')
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return NULL;
  return g_uri_to_string_partial (uri, G_URI_HIDE_USERINFO | G_URI_HIDE_FRAGMENT);
}

/* Whether a Link's parameters (what follows its <target>) have rel="https://api.w.org/" (among
 * others, perhaps: rel="shortlink https://api.w.org/"). */
static gboolean
link_params_have_api_rel (const char *params)
{
  GHashTable *table = soup_header_parse_semi_param_list (params);
  const char *rel = g_hash_table_lookup (table, "rel");
  g_auto(GStrv) rels = rel ? g_strsplit_set (rel, " \t", -1) : NULL;

  soup_header_free_param_list (table);
  return rels != NULL && g_strv_contains ((const char * const *) rels, "https://api.w.org/");
}

/* The target of the Link with rel="https://api.w.org/" in @header ("<a>; rel=x, <b>; rel=y"). */
static char *
find_api_link (const char *header)
{
  GSList *links = soup_header_parse_list (header);
  char *target = NULL;

  for (GSList *l = links; l != NULL && target == NULL; l = l->next)
    {
      g_autoptr(GString) link = g_string_new (l->data);
      const char *close;

      /* A comma inside the <target> separates nothing: join the pieces again. */
      while (link->str[0] == '<' && strchr (link->str, '>') == NULL && l->next != NULL)
        {
          l = l->next;
          g_string_append_printf (link, ",%s", (const char *) l->data);
        }
      if (link->str[0] != '<' || (close = strchr (link->str, '>')) == NULL)
        continue;
      if (link_params_have_api_rel (close + 1))
        target = g_strstrip (g_strndup (link->str + 1, close - link->str - 1));
    }
  soup_header_free_list (links);
  return target;
}

static void
add_candidate (Discovery  *discovery,
               const char *api_root)
{
  for (guint i = 0; i < discovery->candidates->len; i++)
    if (g_str_equal (g_ptr_array_index (discovery->candidates, i), api_root))
      return;
  g_ptr_array_add (discovery->candidates, g_strdup (api_root));
}

static double
number_member (JsonObject *object,
               const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return 0;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      return (double) json_node_get_int (node);
    case G_TYPE_DOUBLE:
      return json_node_get_double (node);
    case G_TYPE_STRING:
      /* Some sites keep the option as a string: "5.5". */
      return g_ascii_strtod (json_node_get_string (node), NULL);
    default:
      return 0;
    }
}

static const char *
string_at (JsonObject  *object,
           const char  *first,
           ...)
{
  const char *name = first;
  JsonNode *node = NULL;
  va_list args;

  va_start (args, first);
  while (name != NULL)
    {
      if (object == NULL)
        {
          node = NULL;
          break;
        }
      node = json_object_get_member (object, name);
      name = va_arg (args, const char *);
      object = (node != NULL && JSON_NODE_HOLDS_OBJECT (node)) ? json_node_get_object (node) : NULL;
    }
  va_end (args);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node)
      || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static const char *
or_empty (const char *text)
{
  return text != NULL ? text : "";
}

/* The site an API index describes, or NULL when it is not a WordPress index. */
static BylineWpSite *
site_from_index (JsonNode   *node,
                 const char *api_root)
{
  g_autoptr(BylineWpSite) site = NULL;
  JsonObject *object;
  JsonNode *namespaces;
  gboolean has_wp_v2 = FALSE;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  object = json_node_get_object (node);
  namespaces = json_object_get_member (object, "namespaces");
  if (namespaces == NULL || !JSON_NODE_HOLDS_ARRAY (namespaces))
    return NULL;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (namespaces)); i++)
    {
      JsonNode *element = json_array_get_element (json_node_get_array (namespaces), i);

      if (JSON_NODE_HOLDS_VALUE (element) && json_node_get_value_type (element) == G_TYPE_STRING
          && g_str_equal (json_node_get_string (element), "wp/v2"))
        has_wp_v2 = TRUE;
    }
  if (!has_wp_v2)
    return NULL;

  site = g_new0 (BylineWpSite, 1);
  site->name = html_to_text (or_empty (string_at (object, "name", NULL)));
  site->description = html_to_text (or_empty (string_at (object, "description", NULL)));
  site->url = g_strdup (or_empty (string_at (object, "url", NULL)));
  site->home = g_strdup (string_at (object, "home", NULL));
  if (site->home == NULL)
    site->home = g_strdup (site->url);
  site->api_root = g_strdup (api_root);
  site->gmt_offset = number_member (object, "gmt_offset");
  site->timezone_string = g_strdup (or_empty (string_at (object, "timezone_string", NULL)));
  site->authorization_endpoint = g_strdup (string_at (object, "authentication",
                                                      "application-passwords", "endpoints",
                                                      "authorization", NULL));
  return g_steal_pointer (&site);
}

static void discovery_try_next (GTask *task);

static void
discovery_index_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Discovery *discovery = g_task_get_task_data (task);
  const char *api_root = g_ptr_array_index (discovery->candidates, discovery->next - 1);
  g_autoptr(Answer) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  RequestData data = { { 0 } };
  BylineWpSite *site;

  answer = exchange_finish (BYLINE_WP_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_clear_error (&discovery->net_error);
      discovery->net_error = g_steal_pointer (&error);
      discovery_try_next (g_steal_pointer (&task));
      return;
    }

  byline_wp_response_info_clear (&data.info);
  node = process_answer (answer, &data, &error);
  if (node != NULL && (site = site_from_index (node, api_root)) != NULL)
    {
      byline_wp_response_info_clear (&data.info);
      g_task_return_pointer (task, site, (GDestroyNotify) byline_wp_site_free);
      return;
    }

  /* WordPress answering with its own error (a plugin that closes the API to visitors) is
   * WordPress all the same: say what it said rather than that there is no WordPress. */
  if (node == NULL && data.info.wp_code != NULL && discovery->wp_error == NULL)
    discovery->wp_error = g_steal_pointer (&error);
  byline_wp_response_info_clear (&data.info);
  g_clear_pointer (&data.error_json, json_node_unref);
  discovery_try_next (g_steal_pointer (&task));
}

static void
discovery_try_next (GTask *task)
{
  Discovery *discovery = g_task_get_task_data (task);
  g_autoptr(SoupMessage) msg = NULL;
  const char *api_root;

  while (discovery->next < discovery->candidates->len)
    {
      api_root = g_ptr_array_index (discovery->candidates, discovery->next++);
      msg = soup_message_new ("GET", api_root);
      if (msg == NULL)
        continue;
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                    "application/json");
      exchange_async (discovery->client, msg, FALSE, g_task_get_cancellable (task),
                      discovery_index_cb, task);
      return;
    }

  if (discovery->wp_error != NULL)
    g_task_return_error (task, g_steal_pointer (&discovery->wp_error));
  else
    g_task_return_new_error (task, BYLINE_WP_ERROR, BYLINE_WP_ERROR_NOT_WORDPRESS,
                             _("No WordPress site was found at %s. Check the address: it is the "
                               "address of the site’s home page, such as example.org or "
                               "example.org/blog."), discovery->address);
  g_object_unref (task);
}

static void
discovery_home_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Discovery *discovery = g_task_get_task_data (task);
  g_autoptr(Answer) answer = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *link = NULL;
  g_autofree char *fallback = NULL;
  g_autofree char *path = NULL;
  const char *header;
  GUri *home;

  answer = exchange_finish (BYLINE_WP_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Where the home page really is, after redirects (to https, to a trailing slash). */
  home = soup_message_get_uri (answer->msg);
  header = soup_message_headers_get_list (soup_message_get_response_headers (answer->msg), "Link");
  if (header != NULL && (link = find_api_link (header)) != NULL)
    {
      g_autoptr(GUri) resolved = g_uri_parse_relative (home, link, SOUP_HTTP_URI_FLAGS, NULL);

      if (resolved != NULL)
        {
          g_autofree char *resolved_str = g_uri_to_string (resolved);

          add_candidate (discovery, resolved_str);
        }
    }

  /* Without pretty permalinks (or without the header) the API still answers at ?rest_route=/. */
  if (g_str_has_suffix (g_uri_get_path (home), "/"))
    path = g_strdup (g_uri_get_path (home));
  else
    path = g_strconcat (g_uri_get_path (home), "/", NULL);
  fallback = g_uri_join (G_URI_FLAGS_ENCODED, g_uri_get_scheme (home), NULL, g_uri_get_host (home),
                         g_uri_get_port (home), path, "rest_route=/", NULL);
  add_candidate (discovery, fallback);

  discovery_try_next (g_steal_pointer (&task));
}

void
byline_wp_client_discover_async (const char          *address,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *home = NULL;
  Discovery *discovery;

  g_return_if_fail (address != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_wp_client_discover_async);

  home = normalize_address (address);
  if (home == NULL || (msg = soup_message_new ("GET", home)) == NULL)
    {
      g_task_return_new_error (task, BYLINE_WP_ERROR, BYLINE_WP_ERROR_NOT_WORDPRESS,
                               _("“%s” is not a web address. Type the address of the site’s home "
                                 "page, such as example.org."), address);
      return;
    }

  discovery = g_new0 (Discovery, 1);
  discovery->client = byline_wp_client_new (home, NULL, NULL);
  discovery->address = g_strdup (address);
  discovery->candidates = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, discovery, (GDestroyNotify) discovery_free);

  /* Only the headers matter: the rest of the page is dropped unread. */
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "text/html, application/json;q=0.9");
  exchange_async (discovery->client, msg, TRUE, cancellable, discovery_home_cb,
                  g_steal_pointer (&task));
}

BylineWpSite *
byline_wp_client_discover_finish (GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byline_wp_client_discover_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The object */

static void
byline_wp_client_update_authorization (BylineWpClient *self)
{
  g_autofree char *pair = NULL;
  g_autofree char *encoded = NULL;

  g_clear_pointer (&self->authorization, g_free);
  if (self->username == NULL || self->username[0] == '\0')
    return;
  pair = g_strdup_printf ("%s:%s", self->username, self->password ? self->password : "");
  encoded = g_base64_encode ((const guchar *) pair, strlen (pair));
  self->authorization = g_strdup_printf ("Basic %s", encoded);
  memset (pair, 0, strlen (pair));
  memset (encoded, 0, strlen (encoded));
}

static void
byline_wp_client_constructed (GObject *object)
{
  BylineWpClient *self = BYLINE_WP_CLIENT (object);

  G_OBJECT_CLASS (byline_wp_client_parent_class)->constructed (object);

  byline_wp_client_update_authorization (self);
}

static void
byline_wp_client_finalize (GObject *object)
{
  BylineWpClient *self = BYLINE_WP_CLIENT (object);

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_free (self->api_root);
  g_free (self->username);
  if (self->password != NULL)
    memset (self->password, 0, strlen (self->password));
  g_free (self->password);
  if (self->authorization != NULL)
    memset (self->authorization, 0, strlen (self->authorization));
  g_free (self->authorization);

  G_OBJECT_CLASS (byline_wp_client_parent_class)->finalize (object);
}

static void
byline_wp_client_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  BylineWpClient *self = BYLINE_WP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_API_ROOT:
      g_value_set_string (value, self->api_root);
      break;
    case PROP_USERNAME:
      g_value_set_string (value, self->username);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout);
      break;
    case PROP_MAX_RESPONSE_SIZE:
      g_value_set_uint64 (value, self->max_response_size);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byline_wp_client_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  BylineWpClient *self = BYLINE_WP_CLIENT (object);

  switch (prop_id)
    {
    case PROP_API_ROOT:
      self->api_root = g_value_dup_string (value);
      break;
    case PROP_USERNAME:
      self->username = g_value_dup_string (value);
      break;
    case PROP_PASSWORD:
      self->password = g_value_dup_string (value);
      break;
    case PROP_TIMEOUT:
      byline_wp_client_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RESPONSE_SIZE:
      byline_wp_client_set_max_response_size (self, g_value_get_uint64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byline_wp_client_class_init (BylineWpClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = byline_wp_client_constructed;
  object_class->finalize = byline_wp_client_finalize;
  object_class->get_property = byline_wp_client_get_property;
  object_class->set_property = byline_wp_client_set_property;

  properties[PROP_API_ROOT] =
    g_param_spec_string ("api-root", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USERNAME] =
    g_param_spec_string ("username", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PASSWORD] =
    g_param_spec_string ("password", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, G_MAXUINT / 1000, BYLINE_WP_CLIENT_DEFAULT_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_RESPONSE_SIZE] =
    g_param_spec_uint64 ("max-response-size", NULL, NULL, 1, G_MAXSIZE,
                         BYLINE_WP_CLIENT_DEFAULT_MAX_RESPONSE_SIZE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
byline_wp_client_init (BylineWpClient *self)
{
  self->timeout = BYLINE_WP_CLIENT_DEFAULT_TIMEOUT;
  self->max_response_size = BYLINE_WP_CLIENT_DEFAULT_MAX_RESPONSE_SIZE;
  self->session = soup_session_new_with_options ("user-agent", "Byline/" PACKAGE_VERSION,
                                                 "max-conns-per-host", 4,
                                                 NULL);
  /* Credentials go on every request: WordPress never sends a challenge to answer. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_AUTH_MANAGER);
}

BylineWpClient *
byline_wp_client_new (const char *api_root,
                      const char *username,
                      const char *password)
{
  g_return_val_if_fail (api_root != NULL, NULL);

  return g_object_new (BYLINE_TYPE_WP_CLIENT,
                       "api-root", api_root,
                       "username", username,
                       "password", password,
                       NULL);
}

const char *
byline_wp_client_get_api_root (BylineWpClient *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), NULL);
  return self->api_root;
}

const char *
byline_wp_client_get_username (BylineWpClient *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), NULL);
  return self->username;
}

void
byline_wp_client_set_timeout (BylineWpClient *self,
                              guint           seconds)
{
  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (seconds > 0 && seconds <= G_MAXUINT / 1000);

  if (self->timeout == seconds)
    return;
  self->timeout = seconds;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
}

guint
byline_wp_client_get_timeout (BylineWpClient *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), 0);
  return self->timeout;
}

void
byline_wp_client_set_max_response_size (BylineWpClient *self,
                                        gsize           bytes)
{
  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (bytes > 0);

  if (self->max_response_size == bytes)
    return;
  self->max_response_size = bytes;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MAX_RESPONSE_SIZE]);
}

gsize
byline_wp_client_get_max_response_size (BylineWpClient *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), 0);
  return self->max_response_size;
}

gboolean
byline_wp_client_is_insecure (BylineWpClient *self)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GInetAddress) address = NULL;
  const char *host;

  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), TRUE);

  uri = g_uri_parse (self->api_root, SOUP_HTTP_URI_FLAGS, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL)
    return TRUE;
  if (g_ascii_strcasecmp (g_uri_get_scheme (uri), "https") == 0)
    return FALSE;

  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return FALSE;
  address = g_inet_address_new_from_string (host);
  return address == NULL || !g_inet_address_get_is_loopback (address);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
append_param (GString    *query,
              const char *key,
              const char *value)
{
  g_autofree char *escaped_key = g_uri_escape_string (key, NULL, FALSE);
  g_autofree char *escaped_value = g_uri_escape_string (value, ",/:", FALSE);

  if (query->len > 0)
    g_string_append_c (query, '&');
  g_string_append_printf (query, "%s=%s", escaped_key, escaped_value);
}

char *
byline_wp_client_build_url (BylineWpClient *self,
                            const char     *route,
                            GHashTable     *query)
{
  g_autoptr(GUri) root = NULL;
  g_autoptr(GString) params = g_string_new (NULL);
  g_autoptr(GString) root_params = g_string_new (NULL);
  g_autofree char *rest_route = NULL;
  g_autofree char *path = NULL;
  const char *scheme;

  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), NULL);
  g_return_val_if_fail (route != NULL && route[0] == '/', NULL);

  root = g_uri_parse (self->api_root, G_URI_FLAGS_ENCODED, NULL);
  if (root == NULL || g_uri_get_host (root) == NULL || g_uri_get_host (root)[0] == '\0')
    return NULL;
  scheme = g_uri_get_scheme (root);
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    return NULL;

  /* "…/?rest_route=/" keeps its path and puts the route into that parameter. */
  if (g_uri_get_query (root) != NULL)
    {
      g_auto(GStrv) pairs = g_strsplit (g_uri_get_query (root), "&", -1);

      for (guint i = 0; pairs[i] != NULL; i++)
        {
          if (g_str_has_prefix (pairs[i], "rest_route="))
            {
              g_free (rest_route);
              rest_route = g_uri_unescape_string (pairs[i] + strlen ("rest_route="), NULL);
            }
          else if (pairs[i][0] != '\0')
            {
              if (root_params->len > 0)
                g_string_append_c (root_params, '&');
              g_string_append (root_params, pairs[i]);
            }
        }
    }

  if (rest_route != NULL)
    {
      gsize len = strlen (rest_route);
      g_autofree char *full = NULL;

      while (len > 0 && rest_route[len - 1] == '/')
        rest_route[--len] = '\0';
      full = g_strconcat (rest_route, route, NULL);
      append_param (params, "rest_route", full);
      path = g_strdup (g_uri_get_path (root));
    }
  else
    {
      const char *root_path = g_uri_get_path (root);
      gsize len = strlen (root_path);

      while (len > 0 && root_path[len - 1] == '/')
        len--;
      path = g_strdup_printf ("%.*s%s", (int) len, root_path, route);
    }

  if (root_params->len > 0)
    {
      if (params->len > 0)
        g_string_append_c (params, '&');
      g_string_append (params, root_params->str);
    }

  if (query != NULL && g_hash_table_size (query) > 0)
    {
      guint n_keys;
      g_autofree const char **keys = NULL;

      keys = (const char **) g_hash_table_get_keys_as_array (query, &n_keys);

      qsort (keys, n_keys, sizeof (char *), compare_strings);
      for (guint i = 0; i < n_keys; i++)
        append_param (params, keys[i], g_hash_table_lookup (query, keys[i]));
    }

  return g_uri_join (G_URI_FLAGS_ENCODED, scheme, NULL, g_uri_get_host (root),
                     g_uri_get_port (root), path, params->len > 0 ? params->str : NULL, NULL);
}
