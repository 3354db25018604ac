/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-link-checker.c: whether the links of a draft lead anywhere, asked over HTTP(S). */

#include "config.h"

#define G_LOG_DOMAIN "byline-link-checker"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "byline-link-checker.h"

#define DEFAULT_TIMEOUT 10
#define DEFAULT_MAX_AGE 600
/* A draft's links are mostly on a few sites: enough in flight to check 200 links in a few seconds,
 * few enough per site to look like one reader, not a crawler. */
#define MAX_IN_FLIGHT 6
#define MAX_IN_FLIGHT_PER_HOST 2
#define MAX_REDIRECTS 10

struct _BylineLinkChecker
{
  GObject          parent_instance;

  SoupSession     *session;
  GNetworkMonitor *network_monitor;
  GMainContext    *context;       /* the thread-default one it was made in */
  GHashTable      *cache;         /* url → CacheEntry */
  GHashTable      *probes;        /* url → Probe being asked, waiting or in flight */
  GQueue           waiting;       /* Probe, not started yet */
  GHashTable      *host_in_flight; /* "scheme://host:port" → count, as GUINT_TO_POINTER */
  guint            n_in_flight;
  guint            timeout;
  guint            max_age;
};

enum {
  PROP_0,
  PROP_NETWORK_MONITOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (BylineLinkChecker, byline_link_checker, G_TYPE_OBJECT)

typedef struct {
  BylineLinkResult *result;
  gint64            checked_at; /* g_get_monotonic_time () */
} CacheEntry;

/* One call of check_async. */
typedef struct {
  GPtrArray *urls;        /* the distinct addresses asked, in order */
  GPtrArray *results;     /* BylineLinkResult for each, NULL where still being asked */
  guint      n_pending;
  gulong     cancelled_id;
  gboolean   returned;
} Check;

/* A check waiting for a probe's result, at @index of its results. */
typedef struct {
  GTask *task;
  guint  index;
} Waiter;

/* One address being asked, for every check that waits for it: two checks of the same draft at
 * once (on demand, then Publish) ask each address once. */
typedef struct {
  BylineLinkChecker    *checker;
  GArray               *waiters;   /* Waiter; none once every check that asked was cancelled */
  char                 *url;
  GUri                 *uri;       /* where the next request goes */
  char                 *host_key;  /* the slot it holds, of the address first asked */
  SoupMessage          *msg;
  GCancellable         *cancellable;
  GSource              *timer;
  GTlsCertificateFlags  tls_errors;
  guint                 n_redirects;
  gboolean              use_get;
  gboolean              timed_out;
  gboolean              started;
} Probe;

void
byline_link_result_free (BylineLinkResult *result)
{
  if (result == NULL)
    return;
  g_free (result->url);
  g_free (result->final_url);
  g_free (result->message);
  g_free (result);
}

static BylineLinkResult *
link_result_copy (const BylineLinkResult *result)
{
  BylineLinkResult *copy = g_new0 (BylineLinkResult, 1);

  copy->url = g_strdup (result->url);
  copy->status = result->status;
  copy->http_status = result->http_status;
  copy->final_url = g_strdup (result->final_url);
  copy->message = g_strdup (result->message);
  return copy;
}

static BylineLinkResult *
link_result_new (const char       *url,
                 BylineLinkStatus  status,
                 char             *message)
{
  BylineLinkResult *result = g_new0 (BylineLinkResult, 1);

  result->url = g_strdup (url);
  result->status = status;
  result->message = message;
  return result;
}

static void
cache_entry_free (CacheEntry *entry)
{
  byline_link_result_free (entry->result);
  g_free (entry);
}

static void
check_free (Check *check)
{
  g_ptr_array_unref (check->urls);
  g_ptr_array_unref (check->results);
  g_free (check);
}

static void
waiter_clear (Waiter *waiter)
{
  g_clear_object (&waiter->task);
}

static void
probe_free (Probe *probe)
{
  if (probe->timer != NULL)
    {
      g_source_destroy (probe->timer);
      g_source_unref (probe->timer);
    }
  g_array_unref (probe->waiters);
  g_clear_object (&probe->msg);
  g_clear_object (&probe->cancellable);
  g_clear_object (&probe->checker);
  g_clear_pointer (&probe->uri, g_uri_unref);
  g_free (probe->host_key);
  g_free (probe->url);
  g_free (probe);
}

/* Messages */

static char *
message_for_http_status (guint status)
{
  switch (status)
    {
    case SOUP_STATUS_UNAUTHORIZED:
      return g_strdup_printf (_("The page asks for a sign-in (%u)."), status);
    case SOUP_STATUS_FORBIDDEN:
      return g_strdup_printf (_("The site refuses to show the page (%u)."), status);
    case SOUP_STATUS_NOT_FOUND:
      return g_strdup_printf (_("The page was not found (%u)."), status);
    case SOUP_STATUS_GONE:
      return g_strdup_printf (_("The page has been removed (%u)."), status);
    case 429: /* Too Many Requests, which libsoup 3.2 has no name for */
      return g_strdup_printf (_("The site asks to be asked less often; try again later (%u)."),
                              status);
    case SOUP_STATUS_SERVICE_UNAVAILABLE:
      return g_strdup_printf (_("The site is unavailable for now (%u)."), status);
    default:
      if (status >= 500)
        return g_strdup_printf (_("The site failed to show the page (%u)."), status);
      return g_strdup_printf (_("The site refused the request for the page (%u)."), status);
    }
}

static char *
describe_tls_errors (GTlsCertificateFlags errors)
{
  g_autoptr(GPtrArray) reasons = g_ptr_array_new ();

  if (errors & G_TLS_CERTIFICATE_UNKNOWN_CA)
    g_ptr_array_add (reasons,
                     (gpointer) _("it is not signed by an authority this computer trusts"));
  if (errors & G_TLS_CERTIFICATE_BAD_IDENTITY)
    g_ptr_array_add (reasons, (gpointer) _("it is for another site"));
  if (errors & G_TLS_CERTIFICATE_NOT_ACTIVATED)
    g_ptr_array_add (reasons, (gpointer) _("it is not valid yet"));
  if (errors & G_TLS_CERTIFICATE_EXPIRED)
    g_ptr_array_add (reasons, (gpointer) _("it has expired"));
  if (errors & G_TLS_CERTIFICATE_REVOKED)
    g_ptr_array_add (reasons, (gpointer) _("it has been revoked"));
  if (errors & G_TLS_CERTIFICATE_INSECURE)
    g_ptr_array_add (reasons, (gpointer) _("it uses insecure cryptography"));
  if (reasons->len == 0)
    return NULL;
  g_ptr_array_add (reasons, NULL);
  return g_strjoinv ("; ", (char **) reasons->pdata);
}

/* Results */

static void
check_maybe_complete (GTask *task)
{
  Check *check = g_task_get_task_data (task);

  if (check->n_pending > 0 || check->returned)
    return;
  check->returned = TRUE;
  g_cancellable_disconnect (g_task_get_cancellable (task), check->cancelled_id);
  check->cancelled_id = 0;
  if (g_task_return_error_if_cancelled (task))
    return;
  g_task_return_pointer (task, g_ptr_array_ref (check->results),
                         (GDestroyNotify) g_ptr_array_unref);
}

static void pump (BylineLinkChecker *self);

/* Ends @probe with @result (taken; NULL when it was stopped): keeps the result, hands a copy to
 * every check waiting for it, frees the probe and its slot, and starts the next. */
static void
probe_finish (Probe            *probe,
              BylineLinkResult *result)
{
  g_autoptr(BylineLinkChecker) self = g_object_ref (probe->checker);
  /* Only freed on the way out (clang counts a variable kept for its cleanup as unused). */
  G_GNUC_UNUSED g_autoptr(BylineLinkResult) owned = result;

  if (probe->started)
    {
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->host_in_flight, probe->host_key));

      g_assert (n > 0 && self->n_in_flight > 0);
      self->n_in_flight--;
      if (n > 1)
        g_hash_table_insert (self->host_in_flight, g_strdup (probe->host_key),
                             GUINT_TO_POINTER (n - 1));
      else
        g_hash_table_remove (self->host_in_flight, probe->host_key);
    }
  /* Out of the table before any check hears of it, so that a check started from a callback
   * below asks afresh (or finds the result kept) rather than joining a probe that is over. */
  if (g_hash_table_lookup (self->probes, probe->url) == probe)
    g_hash_table_remove (self->probes, probe->url);

  if (result != NULL && self->max_age > 0)
    {
      CacheEntry *entry = g_new0 (CacheEntry, 1);

      entry->result = link_result_copy (result);
      entry->checked_at = g_get_monotonic_time ();
      g_hash_table_replace (self->cache, g_strdup (result->url), entry);
    }

  for (guint i = 0; i < probe->waiters->len; i++)
    {
      Waiter *waiter = &g_array_index (probe->waiters, Waiter, i);
      Check *check = g_task_get_task_data (waiter->task);

      g_assert (g_ptr_array_index (check->results, waiter->index) == NULL);
      g_ptr_array_index (check->results, waiter->index) =
        result != NULL ? link_result_copy (result)
                       : link_result_new (probe->url, BYLINE_LINK_NOT_CHECKED,
                                          g_strdup (_("Not checked: the check was stopped.")));
      check->n_pending--;
      check_maybe_complete (waiter->task);
    }

  probe_free (probe);
  pump (self);
}

static void
probe_finish_with (Probe            *probe,
                   BylineLinkStatus  status,
                   guint             http_status,
                   char             *message)
{
  BylineLinkResult *result = link_result_new (probe->url, status, message);

  result->http_status = http_status;
  if (probe->n_redirects > 0)
    result->final_url = g_uri_to_string (probe->uri);
  probe_finish (probe, result);
}

static void
probe_finish_timed_out (Probe *probe)
{
  guint seconds = probe->checker->timeout;

  probe_finish_with (probe, BYLINE_LINK_TIMEOUT, 0,
                     g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "No answer within %u second.",
                                                   "No answer within %u seconds.", seconds),
                                      seconds));
}

static void
probe_finish_with_error (Probe        *probe,
                         const GError *error)
{
  const char *host = g_uri_get_host (probe->uri);

  if (probe->timed_out || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    probe_finish_timed_out (probe);
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    probe_finish (probe, NULL);
  else if (error->domain == G_RESOLVER_ERROR
           || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_HOST_NOT_FOUND))
    probe_finish_with (probe, BYLINE_LINK_DNS, 0,
                       g_strdup_printf (_("The site %s could not be found."), host));
  else if (probe->tls_errors != 0)
    {
      g_autofree char *reasons = describe_tls_errors (probe->tls_errors);

      probe_finish_with (probe, BYLINE_LINK_TLS, 0,
                         g_strdup_printf (_("The site’s certificate is not valid: %s."),
                                          reasons != NULL ? reasons : error->message));
    }
  else if (error->domain == G_TLS_ERROR)
    probe_finish_with (probe, BYLINE_LINK_TLS, 0,
                       g_strdup_printf (_("A secure connection to the site failed: %s"),
                                        error->message));
  else if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED))
    probe_finish_with (probe, BYLINE_LINK_FAILED, 0,
                       g_strdup_printf (_("The site %s refused the connection."), host));
  else
    probe_finish_with (probe, BYLINE_LINK_FAILED, 0,
                       g_strdup_printf (_("The link could not be followed: %s."), error->message));
}

/* Requests */

static void probe_send (Probe *probe);

static gboolean
probe_timeout_cb (gpointer user_data)
{
  Probe *probe = user_data;

  g_clear_pointer (&probe->timer, g_source_unref);
  probe->timed_out = TRUE;
  /* The request in flight ends with CANCELLED, which timed_out turns into a timeout. */
  g_cancellable_cancel (probe->cancellable);
  return G_SOURCE_REMOVE;
}

static gboolean
probe_accept_certificate_cb (SoupMessage          *msg,
                             GTlsCertificate      *certificate,
                             GTlsCertificateFlags  errors,
                             gpointer              user_data)
{
  Probe *probe = user_data;

  /* Kept for the message: a link to a site with a bad certificate is broken for the readers. */
  probe->tls_errors = errors;
  return FALSE;
}

/* Follows a redirect; FALSE when the probe has ended instead. */
static gboolean
probe_follow_redirect (Probe *probe,
                       guint  status)
{
  SoupMessageHeaders *headers = soup_message_get_response_headers (probe->msg);
  const char *location = soup_message_headers_get_one (headers, "Location");
  g_autoptr(GUri) next = NULL;
  const char *scheme;

  if (location == NULL)
    {
      probe_finish_with (probe, BYLINE_LINK_FAILED, status,
                         g_strdup_printf (_("The site redirects without saying where to (%u)."),
                                          status));
      return FALSE;
    }
  next = g_uri_parse_relative (probe->uri, location, SOUP_HTTP_URI_FLAGS, NULL);
  scheme = next != NULL ? g_uri_get_scheme (next) : NULL;
  if (next == NULL || g_uri_get_host (next) == NULL || *g_uri_get_host (next) == '\0'
      || (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0))
    {
      probe_finish_with (probe, BYLINE_LINK_FAILED, status,
                         g_strdup_printf (_("The site redirects to an address that cannot be "
                                            "followed: %s"), location));
      return FALSE;
    }
  if (probe->n_redirects == MAX_REDIRECTS)
    {
      probe_finish_with (probe, BYLINE_LINK_TOO_MANY_REDIRECTS, status,
                         g_strdup_printf (_("The link redirects more than %u times, probably in "
                                            "a loop."), MAX_REDIRECTS));
      return FALSE;
    }
  probe->n_redirects++;
  g_uri_unref (probe->uri);
  probe->uri = g_steal_pointer (&next);
  return TRUE;
}

static void
probe_sent_cb (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  Probe *probe = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GInputStream) stream = NULL;
  guint status;

  stream = soup_session_send_finish (SOUP_SESSION (source), result, &error);
  if (stream == NULL)
    {
      probe_finish_with_error (probe, error);
      return;
    }

  status = soup_message_get_status (probe->msg);
  /* The body of a GET is never read: the status says whether the link works. libsoup 3.2 drops
   * the connection when a body is closed unread (the huge-body test counts what the server
   * wrote); cancelling first also makes sure that closing can neither wait for nor read the rest
   * of the body to keep the connection. After a HEAD there is no body, and the connection is
   * kept for the next link to the site. */
  if (probe->use_get)
    g_cancellable_cancel (probe->cancellable);
  g_input_stream_close (stream, probe->use_get ? probe->cancellable : NULL, NULL);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      probe_finish_with (probe, BYLINE_LINK_OK, status, NULL);
      return;
    }
  if (SOUP_STATUS_IS_REDIRECTION (status) && status != SOUP_STATUS_NOT_MODIFIED
      && status != SOUP_STATUS_MULTIPLE_CHOICES)
    {
      if (!probe_follow_redirect (probe, status))
        return;
      /* A GET after a HEAD refused had its cancellable cancelled above. */
      if (g_cancellable_is_cancelled (probe->cancellable))
        {
          g_clear_object (&probe->cancellable);
          probe->cancellable = g_cancellable_new ();
        }
      probe_send (probe);
      return;
    }
  /* HEAD is what a link check should send, but many sites answer it wrongly: 405 or 501 when
   * they do not implement it, and some (shops, CDNs, frameworks routing GET only) 403, 404 or
   * even 500 for a page that a browser's GET shows. A reader's browser sends GET, so a failed
   * HEAD is asked again with GET from where it ended, and the GET's answer is the verdict. That
   * costs a second request only for links that look broken, which are few. */
  if (status >= 400 && !probe->use_get)
    {
      probe->use_get = TRUE;
      probe_send (probe);
      return;
    }
  if (status >= 400 && status < 500)
    probe_finish_with (probe, BYLINE_LINK_CLIENT_ERROR, status, message_for_http_status (status));
  else if (status >= 500)
    probe_finish_with (probe, BYLINE_LINK_SERVER_ERROR, status, message_for_http_status (status));
  else
    /* 300 (a choice of pages, not followed), 304 or an informational status: the site
     * answered. */
    probe_finish_with (probe, BYLINE_LINK_OK, status, NULL);
}

static void
probe_send (Probe *probe)
{
  /* A redirect or a GET after a HEAD, when every check that asked was cancelled meanwhile, or
   * the deadline passed as the last answer came. */
  if (probe->waiters->len == 0)
    {
      probe_finish (probe, NULL);
      return;
    }
  if (probe->timed_out)
    {
      probe_finish_timed_out (probe);
      return;
    }
  g_clear_object (&probe->msg);
  probe->msg = soup_message_new_from_uri (probe->use_get ? SOUP_METHOD_GET : SOUP_METHOD_HEAD,
                                          probe->uri);
  /* Redirects are followed here, to count them, stop loops and say where the link lands. */
  soup_message_add_flags (probe->msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_message_headers_replace (soup_message_get_request_headers (probe->msg), "Accept",
                                "text/html,application/xhtml+xml,*/*;q=0.8");
  g_signal_connect (probe->msg, "accept-certificate", G_CALLBACK (probe_accept_certificate_cb),
                    probe);
  probe->tls_errors = 0;
  soup_session_send_async (probe->checker->session, probe->msg, G_PRIORITY_DEFAULT,
                           probe->cancellable, probe_sent_cb, probe);
}

static void
probe_start (Probe *probe)
{
  BylineLinkChecker *self = probe->checker;
  guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->host_in_flight, probe->host_key));

  g_hash_table_insert (self->host_in_flight, g_strdup (probe->host_key),
                       GUINT_TO_POINTER (n + 1));
  self->n_in_flight++;
  probe->started = TRUE;

  /* One deadline for the whole probe (its redirects, and the GET after a refused HEAD), counted
   * from when it goes out rather than from when it was queued behind other links. */
  probe->timer = g_timeout_source_new ((guint) MIN ((guint64) self->timeout * 1000, G_MAXUINT));
  g_source_set_callback (probe->timer, probe_timeout_cb, probe, NULL);
  g_source_attach (probe->timer, self->context);
  probe_send (probe);
}

/* Starts waiting probes while there are free slots, overall and for their site. */
static void
pump (BylineLinkChecker *self)
{
  GList *link = self->waiting.head;

  while (link != NULL && self->n_in_flight < MAX_IN_FLIGHT)
    {
      Probe *probe = link->data;
      GList *next = link->next;
      guint n = GPOINTER_TO_UINT (g_hash_table_lookup (self->host_in_flight, probe->host_key));

      if (n < MAX_IN_FLIGHT_PER_HOST)
        {
          g_queue_delete_link (&self->waiting, link);
          probe_start (probe);
        }
      link = next;
    }
}

/* Takes @task's waiters off the probes it waits for. A probe no check waits for any more is
 * dropped if it has not gone out, and cancelled if it has (it ends in its callback, for none). */
static gboolean
check_cancel_in_context_cb (gpointer user_data)
{
  GTask *task = user_data;
  Check *check = g_task_get_task_data (task);
  BylineLinkChecker *self = g_task_get_source_object (task);

  if (check->returned)
    return G_SOURCE_REMOVE;
  for (guint i = 0; i < check->urls->len; i++)
    {
      const char *url = g_ptr_array_index (check->urls, i);
      Probe *probe;

      if (g_ptr_array_index (check->results, i) != NULL)
        continue;
      probe = g_hash_table_lookup (self->probes, url);
      g_assert (probe != NULL);
      for (guint j = 0; j < probe->waiters->len; j++)
        if (g_array_index (probe->waiters, Waiter, j).task == task)
          {
            g_array_remove_index (probe->waiters, j);
            break;
          }
      check->n_pending--;
      if (probe->waiters->len > 0)
        continue;
      g_hash_table_remove (self->probes, url);
      if (probe->started)
        g_cancellable_cancel (probe->cancellable);
      else
        {
          g_queue_remove (&self->waiting, probe);
          probe_free (probe);
        }
    }
  check_maybe_complete (task);
  return G_SOURCE_REMOVE;
}

static void
check_cancelled_cb (GCancellable *cancellable,
                    gpointer      user_data)
{
  GTask *task = user_data;
  g_autoptr(GSource) idle = g_idle_source_new ();

  /* Never at once: this may run in another thread, and ending the check disconnects this
   * handler, which must not happen from inside it. */
  g_source_set_callback (idle, check_cancel_in_context_cb, g_object_ref (task), g_object_unref);
  g_source_attach (idle, g_task_get_context (task));
}

/* The checker */

static void
byline_link_checker_dispose (GObject *object)
{
  BylineLinkChecker *self = BYLINE_LINK_CHECKER (object);

  /* Every check's task and every probe holds the checker: none is running when it goes. */
  g_assert (self->waiting.length == 0 && self->n_in_flight == 0);
  g_assert (g_hash_table_size (self->probes) == 0);
  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);
  g_clear_object (&self->network_monitor);
  g_clear_pointer (&self->cache, g_hash_table_unref);
  g_clear_pointer (&self->host_in_flight, g_hash_table_unref);
  g_clear_pointer (&self->probes, g_hash_table_unref);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (byline_link_checker_parent_class)->dispose (object);
}

static void
byline_link_checker_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  BylineLinkChecker *self = BYLINE_LINK_CHECKER (object);

  switch (prop_id)
    {
    case PROP_NETWORK_MONITOR:
      g_set_object (&self->network_monitor, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byline_link_checker_constructed (GObject *object)
{
  BylineLinkChecker *self = BYLINE_LINK_CHECKER (object);

  G_OBJECT_CLASS (byline_link_checker_parent_class)->constructed (object);
  if (self->network_monitor == NULL)
    self->network_monitor = g_object_ref (g_network_monitor_get_default ());
}

static void
byline_link_checker_class_init (BylineLinkCheckerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = byline_link_checker_constructed;
  object_class->dispose = byline_link_checker_dispose;
  object_class->set_property = byline_link_checker_set_property;

  /* Whether there is a network to check over; the system's unless given (tests give their own,
   * to be offline on demand). */
  properties[PROP_NETWORK_MONITOR] =
    g_param_spec_object ("network-monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR,
                         G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
byline_link_checker_init (BylineLinkChecker *self)
{
  self->timeout = DEFAULT_TIMEOUT;
  self->max_age = DEFAULT_MAX_AGE;
  self->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify) cache_entry_free);
  self->host_in_flight = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  /* Keys are the probes' own urls; probes are freed when they end. */
  self->probes = g_hash_table_new (g_str_hash, g_str_equal);
  self->context = g_main_context_ref_thread_default ();
  g_queue_init (&self->waiting);
  /* The limits are kept by the checker itself (so that a link's deadline starts when it goes
   * out); libsoup's, a little higher, only bound what redirects to other sites add. The socket
   * timeout is a second guard behind each probe's own deadline. */
  self->session = soup_session_new_with_options ("user-agent", "Byline/" PACKAGE_VERSION,
                                                 "max-conns", MAX_IN_FLIGHT * 2,
                                                 "max-conns-per-host", MAX_IN_FLIGHT_PER_HOST * 2,
                                                 "timeout", self->timeout,
                                                 "idle-timeout", 30,
                                                 NULL);
  /* A link check never signs in, nor sends or keeps cookies. */
  soup_session_remove_feature_by_type (self->session, SOUP_TYPE_AUTH_MANAGER);
}

BylineLinkChecker *
byline_link_checker_new (void)
{
  return g_object_new (BYLINE_TYPE_LINK_CHECKER, NULL);
}

void
byline_link_checker_set_timeout (BylineLinkChecker *self,
                                 guint              seconds)
{
  g_return_if_fail (BYLINE_IS_LINK_CHECKER (self));
  g_return_if_fail (seconds > 0);

  self->timeout = seconds;
  soup_session_set_timeout (self->session, seconds);
}

void
byline_link_checker_set_max_age (BylineLinkChecker *self,
                                 guint              seconds)
{
  g_return_if_fail (BYLINE_IS_LINK_CHECKER (self));

  self->max_age = seconds;
  if (seconds == 0)
    g_hash_table_remove_all (self->cache);
}

void
byline_link_checker_set_tls_database (BylineLinkChecker *self,
                                      GTlsDatabase      *database)
{
  g_return_if_fail (BYLINE_IS_LINK_CHECKER (self));
  g_return_if_fail (database == NULL || G_IS_TLS_DATABASE (database));

  if (database == NULL)
    database = g_tls_backend_get_default_database (g_tls_backend_get_default ());
  soup_session_set_tls_database (self->session, database);
  /* What was said about certificates under the other database no longer holds. */
  g_hash_table_remove_all (self->cache);
}

static gboolean
cache_entry_expired (BylineLinkChecker *self,
                     const CacheEntry  *entry)
{
  return g_get_monotonic_time () - entry->checked_at >= (gint64) self->max_age * G_USEC_PER_SEC;
}

static gboolean
cache_entry_expired_cb (gpointer key,
                        gpointer value,
                        gpointer user_data)
{
  return cache_entry_expired (user_data, value);
}

/* So that a long session's checks keep only what is still good. */
static void
cache_forget_expired (BylineLinkChecker *self)
{
  g_hash_table_foreach_remove (self->cache, cache_entry_expired_cb, self);
}

/* The result kept for @url, copied, or NULL. */
static BylineLinkResult *
cache_lookup (BylineLinkChecker *self,
              const char        *url)
{
  CacheEntry *entry = g_hash_table_lookup (self->cache, url);

  if (entry == NULL)
    return NULL;
  if (cache_entry_expired (self, entry))
    {
      g_hash_table_remove (self->cache, url);
      return NULL;
    }
  return link_result_copy (entry->result);
}

/* The URI to ask for @url, or NULL when it is not a web address (a result says so). */
static GUri *
parse_web_address (const char        *url,
                   BylineLinkResult **not_checked)
{
  g_autoptr(GUri) uri = g_uri_parse (url, SOUP_HTTP_URI_FLAGS, NULL);
  const char *scheme = uri != NULL ? g_uri_get_scheme (uri) : NULL;

  if (uri == NULL)
    {
      const char *peeked = g_uri_peek_scheme (url);

      /* A relative address is resolved by whoever knows the page it is on, not here. */
      if (peeked == NULL)
        *not_checked = link_result_new (url, BYLINE_LINK_NOT_CHECKED,
                                        g_strdup (_("Not checked: the address is not complete (a "
                                                    "web address starts with https://).")));
      else
        *not_checked = link_result_new (url, BYLINE_LINK_NOT_CHECKED,
                                        g_strdup (_("Not checked: this is not a valid web "
                                                    "address.")));
      return NULL;
    }
  if (g_ascii_strcasecmp (scheme, "http") != 0 && g_ascii_strcasecmp (scheme, "https") != 0)
    {
      *not_checked = link_result_new (url, BYLINE_LINK_NOT_CHECKED,
                                      g_strdup_printf (_("Not checked: only web addresses are "
                                                         "checked, not “%s:” ones."), scheme));
      return NULL;
    }
  if (g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      *not_checked = link_result_new (url, BYLINE_LINK_NOT_CHECKED,
                                      g_strdup (_("Not checked: the address names no site.")));
      return NULL;
    }
  return g_steal_pointer (&uri);
}

void
byline_link_checker_check_async (BylineLinkChecker   *self,
                                 const char * const  *urls,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  gboolean online;
  Check *check;

  g_return_if_fail (BYLINE_IS_LINK_CHECKER (self));
  g_return_if_fail (urls != NULL);
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_link_checker_check_async);
  if (g_task_return_error_if_cancelled (task))
    return;
  check = g_new0 (Check, 1);
  check->urls = g_ptr_array_new_with_free_func (g_free);
  check->results = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_link_result_free);
  g_task_set_task_data (task, check, (GDestroyNotify) check_free);

  online = g_network_monitor_get_network_available (self->network_monitor);
  cache_forget_expired (self);
  for (guint i = 0; urls[i] != NULL; i++)
    {
      const char *url = urls[i];
      BylineLinkResult *result = NULL;
      g_autoptr(GUri) uri = NULL;
      Waiter waiter;
      Probe *probe;

      if (!g_hash_table_add (seen, (gpointer) url))
        continue;
      uri = parse_web_address (url, &result);
      if (result == NULL)
        result = cache_lookup (self, url);
      if (result == NULL && !online)
        result = link_result_new (url, BYLINE_LINK_NOT_CHECKED,
                                  g_strdup (_("Not checked: the links cannot be checked without "
                                              "a network connection.")));
      g_ptr_array_add (check->urls, g_strdup (url));
      g_ptr_array_add (check->results, result);
      if (result != NULL)
        continue;

      probe = g_hash_table_lookup (self->probes, url);
      if (probe == NULL)
        {
          probe = g_new0 (Probe, 1);
          probe->checker = g_object_ref (self);
          probe->waiters = g_array_new (FALSE, FALSE, sizeof (Waiter));
          g_array_set_clear_func (probe->waiters, (GDestroyNotify) waiter_clear);
          probe->url = g_strdup (url);
          probe->host_key = g_strdup_printf ("%s://%s:%d", g_uri_get_scheme (uri),
                                             g_uri_get_host (uri), g_uri_get_port (uri));
          probe->uri = g_steal_pointer (&uri);
          probe->cancellable = g_cancellable_new ();
          g_hash_table_insert (self->probes, probe->url, probe);
          g_queue_push_tail (&self->waiting, probe);
        }
      waiter.task = g_object_ref (task);
      waiter.index = check->results->len - 1;
      g_array_append_val (probe->waiters, waiter);
      check->n_pending++;
    }

  if (check->n_pending == 0)
    {
      check_maybe_complete (task);
      return;
    }
  if (cancellable != NULL)
    check->cancelled_id = g_cancellable_connect (cancellable, G_CALLBACK (check_cancelled_cb),
                                                 task, NULL);
  pump (self);
}

GPtrArray *
byline_link_checker_check_finish (BylineLinkChecker  *self,
                                  GAsyncResult       *result,
                                  GError            **error)
{
  g_return_val_if_fail (BYLINE_IS_LINK_CHECKER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
