/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-client-exchange.c: one message to a WordPress site, its answer read under a deadline
 * and a size limit, and what went wrong below HTTP as a BYLINE_WP_ERROR.
 *
 * An exchange sends one SoupMessage and reads its answer as a stream, and remembers whether the
 * request was sent (SoupMessage::wrote-body), which is what tells NETWORK (the site cannot have
 * acted) from TIMEOUT (it may have).
 *
 * An answer that is abandoned (too large, timed out, cancelled) is closed unread: libsoup only
 * keeps a connection whose body was read to its end, so it drops this one and the server sees
 * it go. The close gets a cancelled GCancellable so that it never waits for the rest of the body,
 * and it is never left to the stream's dispose, which would close it synchronously. */

#define G_LOG_DOMAIN "byline-wp-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-wp-client-private.h"

#define READ_CHUNK_SIZE (64 * 1024)

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

void
_byline_wp_answer_free (BylineWpAnswer *answer)
{
  g_clear_object (&answer->msg);
  g_clear_pointer (&answer->body, g_bytes_unref);
  g_free (answer);
}

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
  /* From here on the site may act on it whatever becomes of the answer: the moment the
   * crash-anywhere test kills at. */
  g_debug ("Sent %s %s", soup_message_get_method (msg),
           g_uri_get_path (soup_message_get_uri (msg)));
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
  BylineWpAnswer *answer = g_new0 (BylineWpAnswer, 1);

  answer->msg = g_object_ref (ex->msg);
  if (!ex->headers_only)
    answer->body = g_byte_array_free_to_bytes (g_steal_pointer (&ex->body));
  g_task_return_pointer (task, answer, (GDestroyNotify) _byline_wp_answer_free);
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

void
_byline_wp_client_exchange_async (BylineWpClient      *self,
                                  SoupMessage         *msg,
                                  gboolean             headers_only,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  Exchange *ex;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _byline_wp_client_exchange_async);

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

BylineWpAnswer *
_byline_wp_client_exchange_finish (BylineWpClient  *self,
                                   GAsyncResult    *result,
                                   GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
