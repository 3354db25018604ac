/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-prepublish-check.c: the pre-publish check of a 5,000-word draft with 200 links: the part
 * without network (spelling, images, headings, fields) alone, and with its links checked against
 * a SoupServer on loopback (a fresh checker each run, so nothing comes from its cache; then once
 * more with the same checker, from the cache). Prints medians and ranges, never pass/fail. */

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gstdio.h>
#include <libsoup/soup.h>

#include "bench-document.h"
#include "byline-prepublish-check.h"

#define N_WORDS      5000
#define N_LINKS      200
#define LOCAL_ROUNDS 30
#define LINK_ROUNDS  10

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static void
print_values (const char *what,
              GArray     *values,
              const char *unit)
{
  g_array_sort (values, compare_doubles);
  printf ("  %-52s median %9.2f %s (min %.2f, max %.2f, %u runs)\n", what,
          g_array_index (values, double, values->len / 2), unit,
          g_array_index (values, double, 0), g_array_index (values, double, values->len - 1),
          values->len);
}

static guint
count_links (const char *text)
{
  guint n = 0;

  for (const char *p = text; (p = strstr (p, "](http")) != NULL; p++)
    n++;
  return n;
}

/* The generated document, with links added at the end of its paragraphs until it has
 * @n_links, each to a page of @site; its own links lead to @site too. */
static char *
make_body (const char *site,
           guint       n_links)
{
  g_autofree char *document = bench_document_generate (N_WORDS);
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) body = g_string_new (NULL);
  g_autoptr(GString) replaced = NULL;
  guint have, added = 0, paragraphs = 0;

  /* Every link to the site under test. */
  replaced = g_string_new (document);
  g_string_replace (replaced, "https://example.org", site, 0);
  have = count_links (replaced->str);
  lines = g_strsplit (replaced->str, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (strlen (lines[i]) > 200 && g_ascii_isalpha (lines[i][0]))
      paragraphs++;

  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_string_append (body, lines[i]);
      if (strlen (lines[i]) > 200 && g_ascii_isalpha (lines[i][0]))
        {
          /* Spread over the paragraphs, a few to each. */
          guint here = (n_links - have + paragraphs - 1) / MAX (paragraphs, 1);

          for (guint j = 0; j < here && have + added < n_links; j++, added++)
            g_string_append_printf (body, " See [source %u](%s/sources/%u).", added, site, added);
        }
      if (lines[i + 1] != NULL)
        g_string_append_c (body, '\n');
    }
  return g_string_free (g_steal_pointer (&body), FALSE);
}

/* Every page is there, but one in ten is gone and one in ten moved. */
static void
server_cb (SoupServer        *server,
           SoupServerMessage *message,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  guint n = g_str_hash (path);

  if (n % 10 == 0)
    soup_server_message_set_status (message, 404, NULL);
  else if (n % 10 == 1 && !g_str_has_prefix (path, "/landed"))
    {
      g_autofree char *location = g_strconcat ("/landed", path, NULL);

      soup_server_message_set_redirect (message, 301, location);
    }
  else
    {
      soup_server_message_set_status (message, 200, NULL);
      soup_server_message_set_response (message, "text/html", SOUP_MEMORY_STATIC,
                                        "<p>Page</p>", 11);
    }
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* One check of @draft, timed from the call to its answer. */
static GPtrArray *
run_once (BylinePrepublishCheck *check,
          BylineDraft           *draft,
          BylineCheckRunFlags    flags,
          double                *ms)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  GPtrArray *findings;

  byline_prepublish_check_run_async (check, draft, 0, flags, NULL, store_result_cb, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  findings = byline_prepublish_check_run_finish (check, result, &error);
  *ms = (double) (g_get_monotonic_time () - start) / 1000.0;
  if (findings == NULL)
    g_error ("The check failed: %s", error->message);
  return findings;
}

static guint
count_kind (GPtrArray       *findings,
            BylineCheckKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < findings->len; i++)
    n += ((BylineFinding *) g_ptr_array_index (findings, i))->kind == kind;
  return n;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *dir = g_dir_make_tmp ("byline-bench-check-XXXXXX", NULL);
  g_autofree char *store_path = g_build_filename (dir, "byline.db", NULL);
  g_autoptr(SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr(BylineStore) store = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineLinkChecker) links = NULL;
  g_autoptr(BylinePrepublishCheck) check = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GArray) local_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) links_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cached_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  g_autofree char *site = NULL;
  g_autofree char *body = NULL;
  g_autofree char *load = NULL;
  GSList *uris;
  double ms;

  store = byline_store_open (store_path, &error);
  if (store == NULL)
    g_error ("%s", error->message);
  soup_server_add_handler (server, NULL, server_cb, NULL, NULL);
  if (!soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error))
    g_error ("%s", error->message);
  uris = soup_server_get_uris (server);
  site = g_uri_to_string_partial (uris->data, G_URI_HIDE_PASSWORD);
  if (g_str_has_suffix (site, "/"))
    site[strlen (site) - 1] = '\0';
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  body = make_body (site, N_LINKS);
  draft = byline_draft_new ();
  /* The dictionary it asks for, whatever the machine's language. */
  byline_draft_set_language (draft, "en_US");
  byline_draft_set_title (draft, "Foreign ministers meet in Brussels");
  byline_draft_set_body (draft, body);

  g_file_get_contents ("/proc/loadavg", &load, NULL, NULL);
  printf ("Pre-publish check of a %u-word draft (%zu bytes) with %u links (load: %s)\n",
          N_WORDS, strlen (body), count_links (body), load ? g_strstrip (load) : "?");

  links = byline_link_checker_new ();
  check = byline_prepublish_check_new (store, links);
  /* Once first, for the dictionary to load (it stays with the check, as in the app). */
  findings = run_once (check, draft, BYLINE_CHECK_RUN_LOCAL, &ms);
  printf ("  first run, loading the en_US dictionary: %.2f ms\n", ms);
  for (guint i = 0; i < LOCAL_ROUNDS; i++)
    {
      g_clear_pointer (&findings, g_ptr_array_unref);
      findings = run_once (check, draft, BYLINE_CHECK_RUN_LOCAL, &ms);
      g_array_append_val (local_ms, ms);
    }
  printf ("  local findings: %u (%u misspellings, %u missing fields)\n", findings->len,
          count_kind (findings, BYLINE_CHECK_MISSPELLING),
          count_kind (findings, BYLINE_CHECK_MISSING_FIELD));
  print_values ("spelling, images, headings, fields (no network)", local_ms, "ms");

  for (guint i = 0; i < LINK_ROUNDS; i++)
    {
      g_autoptr(BylineLinkChecker) fresh = byline_link_checker_new ();
      g_autoptr(BylinePrepublishCheck) fresh_check = byline_prepublish_check_new (store, fresh);

      g_clear_pointer (&findings, g_ptr_array_unref);
      findings = run_once (fresh_check, draft, BYLINE_CHECK_RUN_LINKS, &ms);
      g_array_append_val (links_ms, ms);
      g_clear_pointer (&findings, g_ptr_array_unref);
      findings = run_once (fresh_check, draft, BYLINE_CHECK_RUN_LINKS, &ms);
      g_array_append_val (cached_ms, ms);
    }
  printf ("  link findings: %u (%u broken or redirected, %u not checked)\n", findings->len,
          count_kind (findings, BYLINE_CHECK_BROKEN_LINK),
          count_kind (findings, BYLINE_CHECK_LINKS_NOT_CHECKED));
  print_values ("links over loopback, nothing cached", links_ms, "ms");
  print_values ("links again, from the checker's cache", cached_ms, "ms");

  g_clear_pointer (&findings, g_ptr_array_unref);
  g_clear_object (&check);
  byline_store_close (store, NULL);
  g_clear_object (&store);
  for (guint i = 0; i < 3; i++)
    {
      const char *suffix[] = { "", "-wal", "-shm" };
      g_autofree char *file = g_strconcat (store_path, suffix[i], NULL);

      g_unlink (file);
    }
  g_remove (dir);
  return 0;
}
