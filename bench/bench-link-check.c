/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-link-check.c: checking a draft's 200 links against a local server that answers each
 * after 20 ms, spread over 10 sites and all on one site; then checking them again from the
 * cache. Prints medians and ranges, never a verdict. */

#include "config.h"

#include <stdio.h>

#include <libsoup/soup.h>

#include "byline-link-checker.h"

#define N_LINKS    200
#define N_SITES    10
#define DELAY_MS   20
#define N_ROUNDS   7

/* The server: one SoupServer in a thread of its own, listening on N_SITES loopback ports (the
 * checker counts a port as a site), answering every request with 200 after DELAY_MS. */
typedef struct {
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  GThread      *thread;
  guint16       ports[N_SITES];
  GMutex        lock;
  GCond         cond;
  gboolean      started;
  guint         n_requests;
} Server;

static Server server;

static gboolean
answer_cb (gpointer user_data)
{
  SoupServerMessage *msg = user_data;

  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_STATIC, "<p>Story</p>", 12);
  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

static void
handler (SoupServer        *soup_server,
         SoupServerMessage *msg,
         const char        *path,
         GHashTable        *query,
         gpointer           user_data)
{
  g_autoptr(GSource) delay = g_timeout_source_new (DELAY_MS);

  g_atomic_int_inc (&server.n_requests);
  soup_server_message_pause (msg);
  g_source_set_callback (delay, answer_cb, g_object_ref (msg), g_object_unref);
  g_source_attach (delay, server.context);
}

static gpointer
server_thread (gpointer data)
{
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GError) error = NULL;
  GSList *uris;
  guint n = 0;

  g_main_context_push_thread_default (server.context);
  server.server = soup_server_new (NULL, NULL);
  soup_server_add_handler (server.server, NULL, handler, NULL, NULL);
  for (guint i = 0; i < N_SITES; i++)
    {
      g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);

      if (!soup_server_listen (server.server, address, 0, &error))
        g_error ("Could not listen on loopback: %s", error->message);
    }
  uris = soup_server_get_uris (server.server);
  for (GSList *l = uris; l != NULL; l = l->next)
    server.ports[n++] = (guint16) g_uri_get_port (l->data);
  g_assert (n == N_SITES);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_mutex_lock (&server.lock);
  server.started = TRUE;
  g_cond_signal (&server.cond);
  g_mutex_unlock (&server.lock);

  g_main_loop_run (server.loop);
  soup_server_disconnect (server.server);
  g_clear_object (&server.server);
  g_main_context_pop_thread_default (server.context);
  return NULL;
}

static void
server_start (void)
{
  server.context = g_main_context_new ();
  server.loop = g_main_loop_new (server.context, FALSE);
  server.thread = g_thread_new ("bench-server", server_thread, NULL);
  g_mutex_lock (&server.lock);
  while (!server.started)
    g_cond_wait (&server.cond, &server.lock);
  g_mutex_unlock (&server.lock);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (server.loop);
  return G_SOURCE_REMOVE;
}

static void
server_stop (void)
{
  g_main_context_invoke (server.context, quit_cb, NULL);
  g_thread_join (server.thread);
  g_main_loop_unref (server.loop);
  g_main_context_unref (server.context);
}

/* The run */

static void
store_result_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  GAsyncResult **slot = user_data;

  *slot = g_object_ref (result);
}

/* Checks @urls with @checker; returns the milliseconds it took. */
static double
time_check (BylineLinkChecker *checker,
            GStrv              urls)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  double ms;

  byline_link_checker_check_async (checker, (const char * const *) urls, NULL, store_result_cb,
                                   &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  ms = (g_get_monotonic_time () - start) / 1000.0;
  results = byline_link_checker_check_finish (checker, result, &error);
  if (results == NULL)
    g_error ("The check failed: %s", error->message);
  for (guint i = 0; i < results->len; i++)
    {
      BylineLinkResult *link = g_ptr_array_index (results, i);

      if (link->status != BYLINE_LINK_OK)
        g_error ("%s: %s", link->url, link->message);
    }
  return ms;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_values (const char *what,
              GArray     *values)
{
  g_array_sort (values, compare_doubles);
  printf ("  %-46s median %9.3f ms (min %.3f, max %.3f, %u runs)\n", what,
          g_array_index (values, double, values->len / 2), g_array_index (values, double, 0),
          g_array_index (values, double, values->len - 1), values->len);
}

/* 200 links over @n_sites sites; each round a new checker (nothing kept), then the same links
 * again on that checker (all kept). */
static void
run (guint n_sites)
{
  g_autoptr(GArray) cold = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cached = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) urls = NULL;
  g_autofree char *cold_label = NULL;
  guint n_requests = 0;

  for (guint i = 0; i < N_LINKS; i++)
    {
      g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u/2026/12/story-%u",
                                              server.ports[i % n_sites], i);

      g_strv_builder_add (builder, url);
    }
  urls = g_strv_builder_end (builder);

  for (guint round = 0; round < N_ROUNDS; round++)
    {
      g_autoptr(BylineLinkChecker) checker = byline_link_checker_new ();
      guint before = g_atomic_int_get (&server.n_requests);
      double ms;

      ms = time_check (checker, urls);
      g_array_append_val (cold, ms);
      n_requests = g_atomic_int_get (&server.n_requests) - before;
      ms = time_check (checker, urls);
      g_array_append_val (cached, ms);
      if (g_atomic_int_get (&server.n_requests) - before != n_requests)
        g_error ("The check from the cache asked the server again");
    }

  cold_label = g_strdup_printf ("%u links on %u site%s, %u requests", N_LINKS, n_sites,
                                n_sites == 1 ? "" : "s", n_requests);
  print_values (cold_label, cold);
  print_values ("the same links again, from the cache", cached);
}

int
main (int   argc,
      char *argv[])
{
  /* The system's network monitor may say a build machine without routes is offline; the links
   * are all on loopback. */
  g_setenv ("GIO_USE_NETWORK_MONITOR", "base", TRUE);
  server_start ();

  printf ("Link check (each answer after %u ms; at most 6 in flight, 2 a site):\n", DELAY_MS);
  run (N_SITES);
  run (1);

  server_stop ();
  return 0;
}
