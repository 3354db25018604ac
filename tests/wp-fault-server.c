/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wp-fault-server.c: a scripted HTTP server on loopback, in its own thread, that plays WordPress
 * and every way a site can fail.
 *
 * The SoupServer runs in a thread with its own GMainContext, so that a test's client may block
 * (a synchronous call) or iterate the test's own main context. Plain answers go out through
 * SoupServer. Faults need what SoupServer will not do (answer nothing, stop in the middle of a
 * body, reset): for those the handler pauses the message and, from an idle callback, steals its
 * connection and writes raw HTTP/1.1 on it. Stealing from inside a handler is not what libsoup
 * expects, which is why the idle. */

#include "config.h"

#include <string.h>
#include <sys/socket.h>

#include "wp-fault-server.h"

#define HUGE_CHUNK_SIZE (256 * 1024)

struct _WpFaultResponse
{
  WpFaultKind  kind;
  guint        status;
  char        *reason;        /* the status line's reason phrase; NULL: the usual one */
  char        *content_type;
  GBytes      *body;
  GPtrArray   *headers;       /* name, value, name, value… */
  guint        delay_ms;
  guint        drip_ms;
  guint64      huge_size;
  gboolean     huge_chunked;
  gboolean     site_first;
};

struct _WpFaultServer
{
  GThread         *thread;
  GMainContext    *context;
  GMainLoop       *loop;
  GTlsCertificate *certificate;
  char            *url;

  /* Only touched in the server's thread. */
  SoupServer      *server;
  GPtrArray       *held;        /* GIOStreams of stalled requests, open until the end */
  GHashTable      *jobs;        /* RawJob set: faults being written */
  WpFaultSiteFunc  site_func;
  gpointer         site_data;

  /* Shared with the tests' thread, under lock. */
  GMutex           lock;
  GCond            cond;
  gboolean         started;
  GHashTable      *scripts;     /* key → GQueue of WpFaultResponse */
  GPtrArray       *requests;    /* WpFaultRequest */
  guint64          stream_sent;
  gboolean         stream_ended;
  gboolean         stream_complete;
};

/* Responses */

static WpFaultResponse *
response_alloc (WpFaultKind kind)
{
  WpFaultResponse *response = g_new0 (WpFaultResponse, 1);

  response->kind = kind;
  response->status = SOUP_STATUS_OK;
  response->headers = g_ptr_array_new_with_free_func (g_free);
  response->drip_ms = 10;
  return response;
}

WpFaultResponse *
wp_fault_response_new (guint       status,
                       const char *content_type,
                       const char *body)
{
  WpFaultResponse *response = response_alloc (WP_FAULT_NONE);

  wp_fault_response_set_body (response, status, content_type, body);
  return response;
}

WpFaultResponse *
wp_fault_response_new_fault (WpFaultKind kind)
{
  return response_alloc (kind);
}

void
wp_fault_response_set_body (WpFaultResponse *response,
                            guint            status,
                            const char      *content_type,
                            const char      *body)
{
  response->status = status;
  g_free (response->content_type);
  response->content_type = g_strdup (content_type);
  g_clear_pointer (&response->body, g_bytes_unref);
  if (body != NULL)
    response->body = g_bytes_new (body, strlen (body));
}

WpFaultResponse *
wp_fault_response_new_recorded (const char *name)
{
  g_autofree char *headers_name = g_strconcat (name, ".headers", NULL);
  g_autofree char *body_name = g_strconcat (name, ".json", NULL);
  g_autofree char *headers_path = g_test_build_filename (G_TEST_DIST, "wp-responses", headers_name,
                                                         NULL);
  g_autofree char *body_path = g_test_build_filename (G_TEST_DIST, "wp-responses", body_name, NULL);
  g_autofree char *headers = NULL;
  g_autofree char *body = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  WpFaultResponse *response = response_alloc (WP_FAULT_NONE);
  gsize body_len;

  g_file_get_contents (headers_path, &headers, NULL, &error);
  g_assert_no_error (error);
  g_file_get_contents (body_path, &body, &body_len, &error);
  g_assert_no_error (error);

  lines = g_strsplit (headers, "\n", -1);
  /* "HTTP/1.1 201 Created" */
  g_assert_true (g_str_has_prefix (lines[0], "HTTP/1.1 "));
  response->status = (guint) g_ascii_strtoull (lines[0] + strlen ("HTTP/1.1 "), NULL, 10);
  for (guint i = 1; lines[i] != NULL; i++)
    {
      char *line = g_strstrip (lines[i]);
      char *colon = strchr (line, ':');

      if (colon == NULL)
        continue;
      *colon = '\0';
      if (g_ascii_strcasecmp (line, "Content-Type") == 0)
        {
          g_free (response->content_type);
          response->content_type = g_strdup (g_strstrip (colon + 1));
        }
      else if (g_ascii_strcasecmp (line, "Date") != 0 && g_ascii_strcasecmp (line, "Server") != 0
               && g_ascii_strcasecmp (line, "Content-Length") != 0
               && g_ascii_strcasecmp (line, "Transfer-Encoding") != 0
               && g_ascii_strcasecmp (line, "Connection") != 0)
        wp_fault_response_add_header (response, line, g_strstrip (colon + 1));
    }
  response->body = g_bytes_new_take (g_steal_pointer (&body), body_len);
  return response;
}

void
wp_fault_response_add_header (WpFaultResponse *response,
                              const char      *name,
                              const char      *value)
{
  g_ptr_array_add (response->headers, g_strdup (name));
  g_ptr_array_add (response->headers, g_strdup (value));
}

void
wp_fault_response_set_reason (WpFaultResponse *response,
                              const char      *reason)
{
  g_free (response->reason);
  response->reason = g_strdup (reason);
}

void
wp_fault_response_set_delay (WpFaultResponse *response,
                             guint            delay_ms)
{
  response->delay_ms = delay_ms;
}

void
wp_fault_response_set_drip (WpFaultResponse *response,
                            guint            interval_ms)
{
  response->drip_ms = MAX (interval_ms, 1);
}

void
wp_fault_response_set_huge (WpFaultResponse *response,
                            guint64          size,
                            gboolean         chunked)
{
  g_assert (size >= 2);
  response->huge_size = size;
  response->huge_chunked = chunked;
}

void
wp_fault_response_set_site_first (WpFaultResponse *response,
                                  gboolean         site_first)
{
  response->site_first = site_first;
}

void
wp_fault_response_free (WpFaultResponse *response)
{
  if (response == NULL)
    return;
  g_free (response->reason);
  g_free (response->content_type);
  g_clear_pointer (&response->body, g_bytes_unref);
  g_ptr_array_unref (response->headers);
  g_free (response);
}

static WpFaultResponse *
response_copy (const WpFaultResponse *response)
{
  WpFaultResponse *copy = g_memdup2 (response, sizeof *response);

  copy->reason = g_strdup (response->reason);
  copy->content_type = g_strdup (response->content_type);
  copy->body = response->body ? g_bytes_ref (response->body) : NULL;
  copy->headers = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < response->headers->len; i++)
    g_ptr_array_add (copy->headers, g_strdup (g_ptr_array_index (response->headers, i)));
  return copy;
}

/* Requests */

static void
request_free (WpFaultRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_free (request->key);
  g_clear_pointer (&request->headers, soup_message_headers_unref);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_free (request);
}

static char *
request_key (SoupServerMessage *msg,
             GHashTable        *query)
{
  const char *rest_route = query ? g_hash_table_lookup (query, "rest_route") : NULL;

  if (rest_route != NULL)
    return g_strconcat ("?rest_route=", rest_route, NULL);
  return g_strdup (g_uri_get_path (soup_server_message_get_uri (msg)));
}

static void
copy_header (const char *name,
             const char *value,
             gpointer    user_data)
{
  soup_message_headers_append (user_data, name, value);
}

static WpFaultRequest *
record_request (WpFaultServer     *self,
                SoupServerMessage *msg,
                const char        *key,
                gboolean           with_body)
{
  WpFaultRequest *request = g_new0 (WpFaultRequest, 1);

  request->received_at = g_get_monotonic_time ();
  GUri *uri = soup_server_message_get_uri (msg);

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (g_uri_get_path (uri));
  request->query = g_strdup (g_uri_get_query (uri));
  request->key = g_strdup (key);
  request->headers = soup_message_headers_new (SOUP_MESSAGE_HEADERS_REQUEST);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg), copy_header,
                                request->headers);
  if (with_body)
    request->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  else
    request->body = g_bytes_new (NULL, 0);

  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->requests, request);
  g_mutex_unlock (&self->lock);
  return request;
}

/* The answer scripted for a request, or NULL; with @stall_only, only a WP_FAULT_STALL one. */
static WpFaultResponse *
take_response (WpFaultServer *self,
               const char    *method,
               const char    *key,
               gboolean       stall_only)
{
  g_autofree char *method_key = g_strdup_printf ("%s %s", method, key);
  WpFaultResponse *response = NULL;
  GQueue *queue;

  g_mutex_lock (&self->lock);
  queue = g_hash_table_lookup (self->scripts, method_key);
  if (queue == NULL)
    queue = g_hash_table_lookup (self->scripts, key);
  if (queue != NULL
      && (!stall_only || ((WpFaultResponse *) g_queue_peek_head (queue))->kind == WP_FAULT_STALL))
    {
      if (g_queue_get_length (queue) > 1)
        response = g_queue_pop_head (queue);
      else
        response = response_copy (g_queue_peek_head (queue));
    }
  g_mutex_unlock (&self->lock);
  return response;
}

/* Raw answers on a stolen connection */

typedef struct {
  WpFaultServer     *server;
  SoupServerMessage *msg;
  WpFaultResponse   *response;
  GIOStream         *stream;
  GCancellable      *cancellable;
  GSource           *timer;
  char              *chunk;
  GString           *frame;
  gsize              offset;
  guint64            sent;        /* body bytes written */
  gsize              in_flight;
  gboolean           writing;
} RawJob;

static void
raw_job_free (RawJob *job)
{
  if (job->timer != NULL)
    {
      g_source_destroy (job->timer);
      g_source_unref (job->timer);
    }
  if (job->stream != NULL)
    g_io_stream_close (job->stream, NULL, NULL);
  g_clear_object (&job->stream);
  g_clear_object (&job->msg);
  g_clear_object (&job->cancellable);
  wp_fault_response_free (job->response);
  g_free (job->chunk);
  if (job->frame != NULL)
    g_string_free (job->frame, TRUE);
  g_free (job);
}

static void
raw_job_end (RawJob *job)
{
  g_hash_table_remove (job->server->jobs, job);
}

static void
stream_progress (WpFaultServer *self,
                 guint64        sent,
                 gboolean       ended,
                 gboolean       complete)
{
  g_mutex_lock (&self->lock);
  self->stream_sent = sent;
  self->stream_ended = ended;
  self->stream_complete = complete;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
}

static gboolean
raw_write (RawJob     *job,
           const void *data,
           gsize       len)
{
  GOutputStream *out = g_io_stream_get_output_stream (job->stream);

  return g_output_stream_write_all (out, data, len, NULL, job->cancellable, NULL)
         && g_output_stream_flush (out, job->cancellable, NULL);
}

static gboolean
raw_write_head (RawJob  *job,
                guint64  length,
                gboolean chunked)
{
  WpFaultResponse *response = job->response;
  g_autoptr(GString) head = g_string_new (NULL);

  g_string_append_printf (head, "HTTP/1.1 %u %s\r\n", response->status,
                          response->reason ? response->reason
                                           : soup_status_get_phrase (response->status));
  if (response->content_type != NULL)
    g_string_append_printf (head, "Content-Type: %s\r\n", response->content_type);
  for (guint i = 0; i + 1 < response->headers->len; i += 2)
    g_string_append_printf (head, "%s: %s\r\n", (char *) g_ptr_array_index (response->headers, i),
                            (char *) g_ptr_array_index (response->headers, i + 1));
  if (chunked)
    g_string_append (head, "Transfer-Encoding: chunked\r\n");
  else
    g_string_append_printf (head, "Content-Length: %" G_GUINT64_FORMAT "\r\n", length);
  g_string_append (head, "Connection: close\r\n\r\n");
  return raw_write (job, head->str, head->len);
}

static gboolean
raw_drip_cb (gpointer user_data)
{
  RawJob *job = user_data;
  gsize len;
  const char *data = g_bytes_get_data (job->response->body, &len);

  if (job->offset < len && raw_write (job, data + job->offset, 1))
    {
      job->offset++;
      stream_progress (job->server, job->offset, job->offset == len, job->offset == len);
      if (job->offset < len)
        return G_SOURCE_CONTINUE;
    }
  else
    stream_progress (job->server, job->offset, TRUE, FALSE);

  g_clear_pointer (&job->timer, g_source_unref);
  raw_job_end (job);
  return G_SOURCE_REMOVE;
}

static void raw_huge_write_next (RawJob *job);

static void
raw_huge_wrote_cb (GObject      *object,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  RawJob *job = user_data;
  gboolean ok;

  job->writing = FALSE;
  ok = g_output_stream_write_all_finish (G_OUTPUT_STREAM (object), result, NULL, NULL);
  if (!ok)
    {
      /* The client went away (or the server is shutting down). */
      stream_progress (job->server, job->sent, TRUE, FALSE);
      raw_job_end (job);
      return;
    }

  job->sent += job->in_flight;
  job->in_flight = 0;
  if (job->sent >= job->response->huge_size)
    {
      stream_progress (job->server, job->sent, TRUE, TRUE);
      raw_job_end (job);
      return;
    }
  stream_progress (job->server, job->sent, FALSE, FALSE);
  raw_huge_write_next (job);
}

/* The body is "[" + spaces + "]": valid JSON of any size, sent one reused chunk at a time. */
static void
raw_huge_write_next (RawJob *job)
{
  gboolean chunked = job->response->huge_chunked;
  guint64 left = job->response->huge_size - job->sent;
  gsize n = (gsize) MIN (left, (guint64) HUGE_CHUNK_SIZE);
  GString *frame = g_string_sized_new (n + 32);
  gsize start;

  if (chunked)
    g_string_append_printf (frame, "%" G_GSIZE_MODIFIER "x\r\n", n);
  start = frame->len;
  g_string_append_len (frame, job->chunk, n);
  if (job->sent == 0)
    frame->str[start] = '[';
  if (left == n)
    frame->str[frame->len - 1] = ']';
  if (chunked)
    g_string_append (frame, left == n ? "\r\n0\r\n\r\n" : "\r\n");

  if (job->frame != NULL)
    g_string_free (job->frame, TRUE);
  job->frame = frame;
  job->in_flight = n;
  job->writing = TRUE;
  g_output_stream_write_all_async (g_io_stream_get_output_stream (job->stream), frame->str,
                                   frame->len, G_PRIORITY_DEFAULT, job->cancellable,
                                   raw_huge_wrote_cb, job);
}

static void
raw_job_run (RawJob *job)
{
  WpFaultResponse *response = job->response;
  gsize len = 0;
  const char *data = response->body ? g_bytes_get_data (response->body, &len) : "";

  switch (response->kind)
    {
    case WP_FAULT_NONE:
      if (raw_write_head (job, len, FALSE))
        raw_write (job, data, len);
      break;

    case WP_FAULT_CLOSE:
      break;

    case WP_FAULT_RESET:
      {
        /* SO_LINGER with a zero time makes close() send RST instead of FIN. */
        GSocket *socket = g_object_get_data (G_OBJECT (job->stream), "GSocket");
        struct linger linger = { 1, 0 };

        g_assert_nonnull (socket);
        g_assert_cmpint (setsockopt (g_socket_get_fd (socket), SOL_SOCKET, SO_LINGER, &linger,
                                     sizeof linger), ==, 0);
      }
      break;

    case WP_FAULT_CLOSE_IN_BODY:
      if (raw_write_head (job, len, FALSE))
        raw_write (job, data, len / 2);
      break;

    case WP_FAULT_DRIP:
      stream_progress (job->server, 0, FALSE, FALSE);
      if (!raw_write_head (job, len, FALSE))
        {
          stream_progress (job->server, 0, TRUE, FALSE);
          break;
        }
      job->timer = g_timeout_source_new (response->drip_ms);
      g_source_set_callback (job->timer, raw_drip_cb, job, NULL);
      g_source_attach (job->timer, job->server->context);
      return;

    case WP_FAULT_HUGE:
      stream_progress (job->server, 0, FALSE, FALSE);
      if (!raw_write_head (job, response->huge_size, response->huge_chunked))
        {
          stream_progress (job->server, 0, TRUE, FALSE);
          break;
        }
      job->chunk = g_malloc (HUGE_CHUNK_SIZE);
      memset (job->chunk, ' ', HUGE_CHUNK_SIZE);
      raw_huge_write_next (job);
      return;

    case WP_FAULT_STALL:
      /* Keep the connection, read nothing, answer nothing. */
      g_ptr_array_add (job->server->held, g_steal_pointer (&job->stream));
      break;

    case WP_FAULT_SITE:   /* answered by the site, never written raw */
    default:
      g_assert_not_reached ();
    }

  raw_job_end (job);
}

static gboolean
raw_job_delay_cb (gpointer user_data)
{
  RawJob *job = user_data;

  g_clear_pointer (&job->timer, g_source_unref);
  raw_job_run (job);
  return G_SOURCE_REMOVE;
}

static gboolean
raw_job_steal_cb (gpointer user_data)
{
  RawJob *job = user_data;

  job->stream = soup_server_message_steal_connection (job->msg);
  if (job->stream == NULL)
    {
      raw_job_end (job);
      return G_SOURCE_REMOVE;
    }

  if (job->response->delay_ms > 0 && job->response->kind != WP_FAULT_STALL)
    {
      job->timer = g_timeout_source_new (job->response->delay_ms);
      g_source_set_callback (job->timer, raw_job_delay_cb, job, NULL);
      g_source_attach (job->timer, job->server->context);
    }
  else
    raw_job_run (job);
  return G_SOURCE_REMOVE;
}

/* Takes @response. */
static void
raw_job_start (WpFaultServer     *self,
               SoupServerMessage *msg,
               WpFaultResponse   *response)
{
  RawJob *job = g_new0 (RawJob, 1);
  g_autoptr(GSource) idle = g_idle_source_new ();

  job->server = self;
  job->msg = g_object_ref (msg);
  job->response = response;
  job->cancellable = g_cancellable_new ();
  g_hash_table_add (self->jobs, job);

  soup_server_message_pause (msg);
  g_source_set_callback (idle, raw_job_steal_cb, job, NULL);
  g_source_attach (idle, self->context);
}

/* Handlers */

static void
early_handler (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  WpFaultServer *self = user_data;
  g_autofree char *key = request_key (msg, query);
  WpFaultResponse *response;

  response = take_response (self, soup_server_message_get_method (msg), key, TRUE);
  if (response == NULL)
    return;
  record_request (self, msg, key, FALSE);
  raw_job_start (self, msg, response);
}

static void
handler (SoupServer        *server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  WpFaultServer *self = user_data;
  g_autofree char *key = request_key (msg, query);
  g_autoptr(WpFaultResponse) response = NULL;
  SoupMessageHeaders *headers;
  WpFaultRequest *request;
  gsize len = 0;
  const char *data;

  request = record_request (self, msg, key, TRUE);
  response = take_response (self, soup_server_message_get_method (msg), key, FALSE);
  if (self->site_func != NULL &&
      (response == NULL || response->kind == WP_FAULT_SITE || response->site_first))
    {
      WpFaultResponse *site_answer = self->site_func (request, self->site_data);

      if (response == NULL || response->kind == WP_FAULT_SITE)
        {
          /* "The site's own answer, late": the site answers, after the scripted delay. */
          guint delay_ms = response != NULL ? response->delay_ms : 0;

          g_clear_pointer (&response, wp_fault_response_free);
          response = site_answer;
          if (response != NULL && delay_ms > 0)
            response->delay_ms = delay_ms;
        }
      else if (site_answer != NULL)
        wp_fault_response_free (site_answer);
    }
  if (response != NULL && response->kind == WP_FAULT_SITE)
    g_clear_pointer (&response, wp_fault_response_free);
  if (response == NULL)
    response = wp_fault_response_new (SOUP_STATUS_NOT_FOUND, "application/json; charset=UTF-8",
                                      "{\"code\":\"rest_no_route\",\"message\":\"No route was "
                                      "found matching the URL and request method.\",\"data\":"
                                      "{\"status\":404}}");

  if (response->kind != WP_FAULT_NONE || response->delay_ms > 0)
    {
      raw_job_start (self, msg, g_steal_pointer (&response));
      return;
    }

  soup_server_message_set_status (msg, response->status, response->reason);
  headers = soup_server_message_get_response_headers (msg);
  for (guint i = 0; i + 1 < response->headers->len; i += 2)
    soup_message_headers_append (headers, g_ptr_array_index (response->headers, i),
                                 g_ptr_array_index (response->headers, i + 1));
  data = response->body ? g_bytes_get_data (response->body, &len) : NULL;
  if (data != NULL || response->content_type != NULL)
    soup_server_message_set_response (msg, response->content_type, SOUP_MEMORY_COPY,
                                      data ? data : "", len);
}

/* The server's thread */

static gboolean
quit_cb (gpointer user_data)
{
  WpFaultServer *self = user_data;

  g_main_loop_quit (self->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
jobs_writing (WpFaultServer *self)
{
  GHashTableIter iter;
  RawJob *job;

  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, (gpointer *) &job, NULL))
    if (job->writing)
      return TRUE;
  return FALSE;
}

static gpointer
server_thread (gpointer user_data)
{
  WpFaultServer *self = user_data;
  g_autoptr(GError) error = NULL;
  GSList *uris;
  GHashTableIter iter;
  RawJob *job;

  g_main_context_push_thread_default (self->context);

  self->server = soup_server_new ("server-header", "wp-fault-server ",
                                  "tls-certificate", self->certificate,
                                  NULL);
  soup_server_add_early_handler (self->server, NULL, early_handler, self, NULL);
  soup_server_add_handler (self->server, NULL, handler, self, NULL);
  soup_server_listen_local (self->server, 0,
                            SOUP_SERVER_LISTEN_IPV4_ONLY
                            | (self->certificate ? SOUP_SERVER_LISTEN_HTTPS : 0),
                            &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (self->server);
  g_assert_nonnull (uris);
  g_mutex_lock (&self->lock);
  self->url = g_strdup_printf ("%s://127.0.0.1:%d", self->certificate ? "https" : "http",
                               g_uri_get_port (uris->data));
  self->started = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (self->loop);

  /* Cancel what is being written, and let the callbacks see it before the jobs go. */
  g_hash_table_iter_init (&iter, self->jobs);
  while (g_hash_table_iter_next (&iter, (gpointer *) &job, NULL))
    g_cancellable_cancel (job->cancellable);
  while (jobs_writing (self))
    g_main_context_iteration (self->context, TRUE);
  g_hash_table_remove_all (self->jobs);
  for (guint i = 0; i < self->held->len; i++)
    g_io_stream_close (g_ptr_array_index (self->held, i), NULL, NULL);
  g_ptr_array_set_size (self->held, 0);

  soup_server_disconnect (self->server);
  g_clear_object (&self->server);
  while (g_main_context_pending (self->context))
    g_main_context_iteration (self->context, FALSE);

  g_main_context_pop_thread_default (self->context);
  return NULL;
}

WpFaultServer *
wp_fault_server_new (GTlsCertificate *certificate)
{
  WpFaultServer *self = g_new0 (WpFaultServer, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->certificate = certificate ? g_object_ref (certificate) : NULL;
  self->held = g_ptr_array_new_with_free_func (g_object_unref);
  self->jobs = g_hash_table_new_full (NULL, NULL, (GDestroyNotify) raw_job_free, NULL);
  self->scripts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  self->stream_ended = TRUE;

  self->thread = g_thread_new ("wp-fault-server", server_thread, self);
  g_mutex_lock (&self->lock);
  while (!self->started)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
  return self;
}

static void
free_queue (gpointer queue)
{
  g_queue_free_full (queue, (GDestroyNotify) wp_fault_response_free);
}

void
wp_fault_server_free (WpFaultServer *self)
{
  GHashTableIter iter;
  gpointer queue;

  if (self == NULL)
    return;

  g_main_context_invoke (self->context, quit_cb, self);
  g_thread_join (self->thread);

  g_hash_table_iter_init (&iter, self->scripts);
  while (g_hash_table_iter_next (&iter, NULL, &queue))
    free_queue (queue);
  g_hash_table_unref (self->scripts);
  g_ptr_array_unref (self->requests);
  g_ptr_array_unref (self->held);
  g_hash_table_unref (self->jobs);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_clear_object (&self->certificate);
  g_free (self->url);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}

/* Set before the first request: the server's thread reads it without the lock. */
void
wp_fault_server_set_site (WpFaultServer   *self,
                          WpFaultSiteFunc  func,
                          gpointer         user_data)
{
  g_mutex_lock (&self->lock);
  self->site_func = func;
  self->site_data = user_data;
  g_mutex_unlock (&self->lock);
}

const char *
wp_fault_server_get_url (WpFaultServer *self)
{
  return self->url;
}

void
wp_fault_server_add (WpFaultServer   *self,
                     const char      *key,
                     WpFaultResponse *response)
{
  GQueue *queue;

  g_mutex_lock (&self->lock);
  queue = g_hash_table_lookup (self->scripts, key);
  if (queue == NULL)
    {
      queue = g_queue_new ();
      g_hash_table_insert (self->scripts, g_strdup (key), queue);
    }
  g_queue_push_tail (queue, response);
  g_mutex_unlock (&self->lock);
}

void
wp_fault_server_add_json (WpFaultServer *self,
                          const char    *key,
                          guint          status,
                          const char    *json)
{
  wp_fault_server_add (self, key,
                       wp_fault_response_new (status, "application/json; charset=UTF-8", json));
}

void
wp_fault_server_add_recorded (WpFaultServer *self,
                              const char    *key,
                              const char    *name)
{
  wp_fault_server_add (self, key, wp_fault_response_new_recorded (name));
}

guint
wp_fault_server_get_n_requests (WpFaultServer *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->requests->len;
  g_mutex_unlock (&self->lock);
  return n;
}

const WpFaultRequest *
wp_fault_server_get_request (WpFaultServer *self,
                             guint          i)
{
  const WpFaultRequest *request;

  g_mutex_lock (&self->lock);
  g_assert_cmpuint (i, <, self->requests->len);
  request = g_ptr_array_index (self->requests, i);
  g_mutex_unlock (&self->lock);
  return request;
}

guint
wp_fault_server_count_requests (WpFaultServer *self,
                                const char    *method,
                                const char    *key)
{
  guint n = 0;

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->requests->len; i++)
    {
      WpFaultRequest *request = g_ptr_array_index (self->requests, i);

      if ((method == NULL || g_str_equal (method, request->method))
          && g_str_equal (key, request->key))
        n++;
    }
  g_mutex_unlock (&self->lock);
  return n;
}

gboolean
wp_fault_server_wait_stream_end (WpFaultServer *self,
                                 guint          timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  for (;;)
    {
      gboolean ended;

      g_mutex_lock (&self->lock);
      ended = self->stream_ended;
      g_mutex_unlock (&self->lock);
      if (ended)
        return TRUE;
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      /* The client lives in this thread: it closes its end only when its context runs. */
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

guint64
wp_fault_server_get_stream_sent (WpFaultServer *self)
{
  guint64 sent;

  g_mutex_lock (&self->lock);
  sent = self->stream_sent;
  g_mutex_unlock (&self->lock);
  return sent;
}

gboolean
wp_fault_server_get_stream_complete (WpFaultServer *self)
{
  gboolean complete;

  g_mutex_lock (&self->lock);
  complete = self->stream_complete;
  g_mutex_unlock (&self->lock);
  return complete;
}
