/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-crash-anywhere.c: kills Byline with SIGKILL at random moments, many times, while it types,
 * publishes (creates, updates, uploads) and moderates (decisions, bulk, undo, replies) against a
 * real WordPress, restarts it each time, and checks that nothing was lost or done twice.
 *
 * Run under wordpress/with-wordpress. The test puts the account into a store and CYCLES × 9
 * held comments on the site, then starts crash-worker (which uses Byline's core: the store, the
 * autosave, the publisher, the moderator, the comment sync) and kills it: a quarter of the
 * rounds after a random delay (0 to 2 s from its start, a quarter of those in its first 300 ms:
 * opening, recovery, the password, the first sync); a quarter right after it reported its Nth
 * request sent whole, and a third right after its first or second request that makes something
 * (a post, a file, a reply), plus 0 to 15 ms: while the site acts on it, or as its answer comes;
 * the rest right after its Nth step written or answer recorded, plus 0 to 15 ms. So the moments
 * around sending a request and recording its answer are hit again and again. After each kill:
 * SQLite finds the store intact, and the typed draft holds what was typed, whole, up to at most
 * TYPING_WINDOW_MS before the kill. At the end one run goes on to finish everything, and the test
 * reads the site back through the REST API: one post per article (by its title, which a post has
 * from the moment it is made) with the update and the image, one file per image (by its name),
 * every comment in the status its decisions give, one reply per cycle (by its text); and the
 * store: intact, nothing left to send, each reply linked to the site's, the typing all there.
 *
 * BYLINE_CRASH_ANYWHERE_SEED replays a run's kill moments (the site's timing is its own);
 * BYLINE_CRASH_ANYWHERE_KILLS lengthens it. The seed and the counts are printed. */

#include "config.h"

#define G_LOG_DOMAIN "test-crash-anywhere"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "byline-accounts.h"
#include "byline-autosave.h"
#include "byline-store.h"
#include "byline-test-util.h"
#include "byline-wp-client.h"
#include "crash-workload.h"

#define DEFAULT_KILLS       40
#define MAX_DELAY_USEC      2000000
#define STARTUP_DELAY_USEC  300000
#define MAX_LINE_DELAY_USEC 15000
/* No more typing lost than this before a kill: the autosave's delay, and time for the save
 * itself on a machine busy with WordPress. */
#define TYPING_WINDOW_MS    (BYLINE_AUTOSAVE_DELAY_MS + 700)
#define CALL_TIMEOUT_SECONDS 60

static GTestDBus      *bus;
static BylineWpClient *site;
static char           *token;
static guint           n_checks;

#define CHECK(cond) G_STMT_START { n_checks++; g_assert_true (cond); } G_STMT_END
#define CHECK_CMPSTR(a, op, b) G_STMT_START { n_checks++; g_assert_cmpstr (a, op, b); } G_STMT_END
#define CHECK_CMPINT(a, op, b) G_STMT_START { n_checks++; g_assert_cmpint (a, op, b); } G_STMT_END

/* The site, through its REST API */

static JsonNode *
site_request (const char           *method,
              const char           *route,
              const char           *query_string,
              JsonObject           *fields,
              BylineWpResponseInfo *info)
{
  g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) pairs = g_strsplit (query_string ? query_string : "", "&", -1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *eq = strchr (pairs[i], '=');

      if (eq != NULL)
        {
          *eq = '\0';
          g_hash_table_insert (query, pairs[i], eq + 1);
        }
    }
  if (fields != NULL)
    body = json_node_init_object (json_node_alloc (), fields);
  byline_wp_client_request_async (site, method, route, query, body, NULL,
                                  byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, CALL_TIMEOUT_SECONDS, route);
  node = byline_wp_client_request_finish (site, result, info, &error);
  g_assert_no_error (error);
  return node;
}

/* Every item of a collection that @query_string selects, all pages. */
static GPtrArray *
site_list (const char *route,
           const char *query_string)
{
  GPtrArray *items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint page = 1;; page++)
    {
      g_auto(BylineWpResponseInfo) info = { 0 };
      g_autofree char *query = g_strdup_printf ("%s&per_page=100&page=%u", query_string, page);
      g_autoptr(JsonNode) node = site_request ("GET", route, query, NULL, &info);
      JsonArray *array;

      g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
      array = json_node_get_array (node);
      for (guint i = 0; i < json_array_get_length (array); i++)
        g_ptr_array_add (items, json_object_ref (json_array_get_object_element (array, i)));
      if (info.total_pages < 0 || page >= (guint) info.total_pages)
        break;
    }
  return items;
}

static const char *
raw_member (JsonObject *object,
            const char *member)
{
  JsonObject *inner = json_object_get_object_member (object, member);

  return json_object_get_string_member (inner, "raw");
}

/* Putting the comments on the site: a few requests at once (Apache serves them in parallel), for
 * this many cycles ahead of the work. */
#define SEED_IN_FLIGHT    8
#define SEED_AHEAD_CYCLES 8

typedef struct {
  gint64 *remote_ids;
  guint   first_cycle;
  guint   n_total;
  guint   n_sent;
  guint   n_done;
  gint64  post_id;
} Seeding;

static void seed_next (Seeding *seeding);

static void
seed_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  Seeding *seeding = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;

  node = byline_wp_client_request_finish (site, result, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  {
    JsonObject *comment = json_node_get_object (node);
    const char *raw = raw_member (comment, "content");
    guint cycle, k;

    /* Which comment it is, from its text. */
    g_assert_nonnull (strstr (raw, token));
    g_assert_true (sscanf (strstr (raw, token) + strlen (token), " c%u k%u", &cycle, &k) == 2);
    seeding->remote_ids[(cycle - seeding->first_cycle) * CRASH_COMMENTS_PER_CYCLE + k] =
      json_object_get_int_member (comment, "id");
  }
  seeding->n_done++;
  seed_next (seeding);
}

static void
seed_next (Seeding *seeding)
{
  if (seeding->n_sent < seeding->n_total)
    {
      guint cycle = seeding->first_cycle + seeding->n_sent / CRASH_COMMENTS_PER_CYCLE;
      guint k = seeding->n_sent % CRASH_COMMENTS_PER_CYCLE;
      g_autoptr(JsonObject) fields = json_object_new ();
      g_autoptr(JsonNode) body = NULL;
      g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
      g_autofree char *content = crash_workload_comment_text (token, cycle, k);
      g_autofree char *name = g_strdup_printf ("Reader %u-%u", cycle, k);
      g_autofree char *email = g_strdup_printf ("reader%u.%u@example.com", cycle, k);

      json_object_set_int_member (fields, "post", seeding->post_id);
      json_object_set_string_member (fields, "author_name", name);
      json_object_set_string_member (fields, "author_email", email);
      json_object_set_string_member (fields, "content", content);
      json_object_set_string_member (fields, "status", "hold");
      g_hash_table_insert (query, "context", "edit");
      body = json_node_init_object (json_node_alloc (), fields);
      seeding->n_sent++;
      byline_wp_client_request_async (site, "POST", "/wp/v2/comments", query, body, NULL,
                                      seed_cb, seeding);
    }
}

static gboolean
seeded (gpointer user_data)
{
  Seeding *seeding = user_data;

  return seeding->n_done == seeding->n_total;
}

/* The comments of cycles @first_cycle to @last_cycle, held, as readers' comments; their remote
 * ids added to @path. */
static void
seed_comments (gint64      post_id,
               guint       first_cycle,
               guint       last_cycle,
               const char *path)
{
  g_autoptr(GString) list = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  Seeding seeding = {
    NULL, first_cycle, (last_cycle - first_cycle + 1) * CRASH_COMMENTS_PER_CYCLE, 0, 0, post_id
  };

  if (g_file_get_contents (path, &before, NULL, NULL))
    g_string_append (list, before);
  seeding.remote_ids = g_new0 (gint64, seeding.n_total);
  for (guint i = 0; i < SEED_IN_FLIGHT; i++)
    seed_next (&seeding);
  g_assert_true (byline_test_wait_until (seeded, &seeding, 600 * 1000));
  for (guint i = 0; i < seeding.n_total; i++)
    {
      g_assert_cmpint (seeding.remote_ids[i], >, 0);
      g_string_append_printf (list, "%u %u %" G_GINT64_FORMAT "\n",
                              first_cycle + i / CRASH_COMMENTS_PER_CYCLE,
                              i % CRASH_COMMENTS_PER_CYCLE, seeding.remote_ids[i]);
    }
  g_free (seeding.remote_ids);
  /* Whole or not at all: a worker reads it at its start. */
  g_assert_true (g_file_set_contents (path, list->str, -1, &error));
  g_assert_no_error (error);
}

/* The store, as the kill left it */

static char *
sql_text (sqlite3    *db,
          const char *sql)
{
  char *text = byline_test_sql_text (db, sql);

  g_assert_nonnull (text);
  return text;
}

/* Opens the store as SQLite does after a crash (recovering its log), and checks it. */
static sqlite3 *
open_checked (const char *path)
{
  g_autofree char *integrity = NULL;
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  integrity = sql_text (db, "PRAGMA integrity_check");
  CHECK_CMPSTR (integrity, ==, "ok");
  return db;
}

/* sqlite3_mprintf's quoting (%Q, %q), in memory g_free can free. */
static char *
sql_printf (const char *format,
            ...)
{
  va_list args;
  char *sql, *copy;

  va_start (args, format);
  sql = sqlite3_vmprintf (format, args);
  va_end (args);
  copy = g_strdup (sql);
  sqlite3_free (sql);
  return copy;
}

/* The typed draft's text, NULL before it exists. */
static char *
typed_body (sqlite3 *db)
{
  g_autofree char *title = crash_workload_typed_title (token);
  g_autofree char *sql = sql_printf ("SELECT body FROM drafts WHERE title = %Q", title);

  return byline_test_sql_text (db, sql);
}

/* A round: one run of the worker, and what it reported */

typedef struct {
  GArray  *typed_at;      /* gint64 µs, by typed length (bytes) reported; 0: not reported */
  guint    n_steps;       /* "op", "entry", "changed" and "found" lines */
  guint    n_sent;        /* "sent" lines */
  guint    n_creates;     /* of which requests that make something: a post, a file, a reply */
  guint    n_found;       /* "found" lines: an earlier attempt's work found again */
  guint    n_ops;
  guint    n_recorded;
  guint    last_cycle;    /* the last cycle it saw through to the end */
  gboolean saw_open;
  gsize    finished;      /* the typed length, once finished */
} Report;

static gboolean
read_line (GDataInputStream *in,
           Report           *report)
{
  g_autofree char *line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, NULL);
  gsize bytes;
  gint64 when;
  guint cycle;

  if (line == NULL)
    return FALSE;
  if (sscanf (line, "typed %zu %" G_GINT64_FORMAT, &bytes, &when) == 2)
    {
      if (bytes >= report->typed_at->len)
        g_array_set_size (report->typed_at, bytes + 1);
      g_array_index (report->typed_at, gint64, bytes) = when;
    }
  else if (g_str_equal (line, "open"))
    report->saw_open = TRUE;
  /* Said again by every run for the cycles done before it: not a step. */
  else if (sscanf (line, "op cycle %u", &cycle) == 1)
    report->last_cycle = MAX (report->last_cycle, cycle);
  else if (g_str_has_prefix (line, "op "))
    {
      report->n_steps++;
      report->n_ops++;
    }
  else if (g_str_has_prefix (line, "entry ") || g_str_equal (line, "changed"))
    {
      report->n_steps++;
      report->n_recorded++;
    }
  else if (g_str_has_prefix (line, "sent "))
    {
      report->n_sent++;
      report->n_creates += g_str_has_prefix (line, "sent POST ") &&
                           (g_str_has_suffix (line, "/wp/v2/posts") ||
                            g_str_has_suffix (line, "/wp/v2/media") ||
                            g_str_has_suffix (line, "/wp/v2/comments"));
    }
  else if (g_str_has_prefix (line, "found "))
    {
      g_test_message ("%s", line);
      report->n_steps++;
      report->n_found++;
    }
  else if (sscanf (line, "finished %zu", &bytes) == 1)
    report->finished = bytes;
  return TRUE;
}

static GSubprocess *
start_worker (const char        *db_path,
              guint              n_cycles,
              const char        *comments_path,
              GDataInputStream **in)
{
  g_autofree char *worker = g_test_build_filename (G_TEST_BUILT, "crash-worker", NULL);
  g_autofree char *cycles = g_strdup_printf ("%u", n_cycles);
  g_autoptr(GError) error = NULL;
  GSubprocess *child;

  child = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, worker, db_path, token,
                            cycles, comments_path, NULL);
  g_assert_no_error (error);
  *in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (child));
  return child;
}

/* After a kill at @killed_at: the typed draft holds a prefix of the text, never shorter than
 * @floor (what the last run left), and nothing typed more than TYPING_WINDOW_MS before the kill
 * is missing. Returns its length; the age of the oldest missing character in @lost_ms. */
static gsize
check_typing (sqlite3      *db,
              const Report *report,
              gsize         floor,
              gint64        killed_at,
              gint64       *lost_ms)
{
  g_autofree char *body = typed_body (db);
  g_autofree char *expected = NULL;
  gsize length;

  *lost_ms = 0;
  if (body == NULL)
    {
      CHECK_CMPINT (floor, ==, 0);
      return 0;
    }
  length = strlen (body);
  expected = crash_workload_typed_text (length);
  CHECK (g_str_equal (body, expected));
  CHECK_CMPINT (length, >=, floor);
  /* The first character typed in this run that is not on disk. */
  for (gsize i = length + 1; i < report->typed_at->len; i++)
    {
      gint64 when = g_array_index (report->typed_at, gint64, i);

      if (when == 0)
        continue;
      *lost_ms = (killed_at - when) / 1000;
      n_checks++;
      if (*lost_ms > TYPING_WINDOW_MS)
        g_error ("Typing lost: %zu bytes on disk, but byte %zu was typed %" G_GINT64_FORMAT
                 " ms before the kill", length, i, *lost_ms);
      break;
    }
  return length;
}

/* The end: the site and the store */

static JsonObject *
find_by_id (GPtrArray *items,
            gint64     id)
{
  for (guint i = 0; i < items->len; i++)
    if (json_object_get_int_member (g_ptr_array_index (items, i), "id") == id)
      return g_ptr_array_index (items, i);
  return NULL;
}

static void
check_site (guint       n_cycles,
            gint64      post_id,
            const char *comments_path)
{
  g_autoptr(GPtrArray) posts = site_list ("/wp/v2/posts", "status=any&context=edit");
  g_autoptr(GPtrArray) media = site_list ("/wp/v2/media", "context=edit");
  g_autoptr(GPtrArray) comments = g_ptr_array_new_with_free_func ((GDestroyNotify)
                                                                  json_object_unref);
  g_autofree char *seeded = NULL;
  g_auto(GStrv) lines = NULL;
  const char * const statuses[] = { "approve", "hold", "spam", "trash" };
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      g_autofree char *query = g_strdup_printf ("post=%" G_GINT64_FORMAT "&status=%s"
                                                "&context=edit", post_id, statuses[i]);
      g_autoptr(GPtrArray) some = site_list ("/wp/v2/comments", query);

      g_ptr_array_extend_and_steal (comments, g_steal_pointer (&some));
    }
  g_assert_true (g_file_get_contents (comments_path, &seeded, NULL, &error));
  g_assert_no_error (error);
  lines = g_strsplit (seeded, "\n", -1);

  for (guint cycle = 1; cycle <= n_cycles; cycle++)
    {
      g_autofree char *marker = crash_workload_article_marker (token, cycle);
      g_autofree char *update = crash_workload_update_marker (token, cycle);
      g_autofree char *title = crash_workload_article_title (token, cycle);
      g_autofree char *name = crash_workload_upload_name (token, cycle);
      g_autofree char *alt = crash_workload_upload_alt (cycle);
      g_autofree char *stem = g_strndup (name, strlen (name) - strlen (".png"));
      g_autofree char *reply = crash_workload_reply_text (token, cycle);
      JsonObject *post = NULL, *file = NULL;
      guint n_posts = 0, n_files = 0, n_replies = 0;
      gint64 parent_id = 0;

      /* By title, which a post has from the moment it is made (its text comes with the update
       * that follows): a post made twice leaves a second one, at least a draft with the title. */
      for (guint i = 0; i < posts->len; i++)
        if (g_str_equal (raw_member (g_ptr_array_index (posts, i), "title"), title))
          {
            post = g_ptr_array_index (posts, i);
            n_posts++;
          }
      /* WordPress names a second copy of a file NAME-1.png. */
      for (guint i = 0; i < media->len; i++)
        {
          const char *url = json_object_get_string_member (g_ptr_array_index (media, i),
                                                           "source_url");
          const char *base = strrchr (url, '/') ? strrchr (url, '/') + 1 : url;

          if (g_str_has_prefix (base, stem) &&
              (base[strlen (stem)] == '.' || base[strlen (stem)] == '-'))
            {
              file = g_ptr_array_index (media, i);
              n_files++;
            }
        }
      if (n_posts != 1 || n_files != 1)
        g_error ("Article %u: %u posts and %u files on the site, instead of one each (the "
                 "last: post %" G_GINT64_FORMAT ", %s; file %s)", cycle, n_posts, n_files,
                 post ? json_object_get_int_member (post, "id") : 0,
                 post ? json_object_get_string_member (post, "status") : "none",
                 file ? json_object_get_string_member (file, "source_url") : "none");
      n_checks += 2;
      CHECK (strstr (raw_member (post, "content"), marker) != NULL);
      CHECK_CMPSTR (json_object_get_string_member (post, "status"), ==, "publish");
      CHECK (strstr (raw_member (post, "content"), update) != NULL);
      CHECK (strstr (raw_member (post, "content"),
                     json_object_get_string_member (file, "source_url")) != NULL);
      CHECK (strstr (raw_member (post, "content"), "byline-upload") == NULL);
      CHECK_CMPSTR (json_object_get_string_member (file, "alt_text"), ==, alt);

      /* Every comment as its decisions left it; one reply, to the first. */
      for (guint i = 0; lines[i] != NULL; i++)
        {
          guint c, k;
          long long remote_id;
          JsonObject *comment;

          if (sscanf (lines[i], "%u %u %lld", &c, &k, &remote_id) != 3 || c != cycle)
            continue;
          comment = find_by_id (comments, remote_id);
          CHECK (comment != NULL);
          if (g_strcmp0 (json_object_get_string_member (comment, "status"),
                         crash_workload_final_status (k)) != 0)
            g_error ("Comment %u-%u (%lld) is %s on the site, not %s", cycle, k, remote_id,
                     json_object_get_string_member (comment, "status"),
                     crash_workload_final_status (k));
          n_checks++;
          if (k == CRASH_REPLIED_COMMENT)
            parent_id = remote_id;
        }
      for (guint i = 0; i < comments->len; i++)
        {
          JsonObject *comment = g_ptr_array_index (comments, i);

          if (g_str_equal (raw_member (comment, "content"), reply))
            {
              n_replies++;
              CHECK_CMPINT (json_object_get_int_member (comment, "parent"), ==, parent_id);
              CHECK_CMPSTR (json_object_get_string_member (comment, "status"), ==, "approved");
            }
        }
      if (n_replies != 1)
        g_error ("Cycle %u: %u replies on the site, instead of one", cycle, n_replies);
      n_checks++;
    }
}

/* How many of a cycle's moderation steps take comment @k. */
static guint
count_steps (guint k)
{
  guint n_steps, n = 0;
  const CrashStep *steps = crash_workload_get_steps (&n_steps);

  for (guint s = 0; s < n_steps; s++)
    n += steps[s].first <= k && k < steps[s].first + steps[s].n;
  return n;
}

static void
check_store_at_end (const char *path,
                    gsize       typed,
                    guint       n_cycles,
                    const char *comments_path)
{
  sqlite3 *db = open_checked (path);
  g_autofree char *body = typed_body (db);
  g_autofree char *expected = crash_workload_typed_text (typed);
  g_autofree char *unsent = sql_text (db, "SELECT count (*) FROM outbox WHERE state != 1");
  /* Sent entries leave; one the site refused would stay, failed. */
  g_autofree char *unconfirmed = sql_text (db, "SELECT count (*) FROM comment_actions");

  CHECK_CMPSTR (body, ==, expected);
  CHECK_CMPSTR (unsent, ==, "0");
  if (!g_str_equal (unconfirmed, "0"))
    {
      g_autofree char *rows = sql_text (db, "SELECT group_concat (action || ' ' || value || "
                                        "' (state ' || state || '): ' || last_error, '; ') "
                                        "FROM comment_actions");

      g_error ("%s moderation changes were not confirmed by the site: %s", unconfirmed, rows);
    }
  n_checks++;
  /* Each decision once in the audit trail (a step taken again after a kill would be there
   * twice), none refused by the site. */
  {
    g_autofree char *seeded = NULL;
    g_auto(GStrv) lines = NULL;
    g_autofree char *refused = sql_text (db, "SELECT count (*) FROM moderation_log "
                                         "WHERE refused_at > 0");

    CHECK_CMPSTR (refused, ==, "0");
    g_assert_true (g_file_get_contents (comments_path, &seeded, NULL, NULL));
    lines = g_strsplit (seeded, "\n", -1);
    for (guint i = 0; lines[i] != NULL; i++)
      {
        guint cycle, k;
        long long remote_id;
        g_autofree char *sql = NULL;
        g_autofree char *count = NULL;

        if (sscanf (lines[i], "%u %u %lld", &cycle, &k, &remote_id) != 3)
          continue;
        sql = g_strdup_printf ("SELECT count (*) FROM moderation_log WHERE comment_id = "
                               "(SELECT id FROM comments WHERE remote_id = %lld) AND action "
                               "NOT IN ('reply', 'edit', 'reason')", remote_id);
        count = sql_text (db, sql);
        if ((guint) atoi (count) != count_steps (k))
          g_error ("Comment %u-%u has %s decisions in its trail instead of %u", cycle, k, count,
                   count_steps (k));
        n_checks++;
      }
  }
  /* Each reply once in the store too, with its id on the site: not a failed one beside the
   * site's copy brought in by a sync. */
  for (guint cycle = 1; cycle <= n_cycles; cycle++)
    {
      g_autofree char *reply = crash_workload_reply_text (token, cycle);
      g_autofree char *count_sql = sql_printf ("SELECT count (*) FROM comments WHERE raw = %Q",
                                               reply);
      g_autofree char *linked_sql = sql_printf ("SELECT count (*) FROM comments WHERE raw = %Q "
                                                "AND remote_id > 0", reply);
      g_autofree char *count = sql_text (db, count_sql);
      g_autofree char *linked = sql_text (db, linked_sql);

      if (!g_str_equal (count, "1") || !g_str_equal (linked, "1"))
        g_error ("Cycle %u: the store has %s copies of the reply, %s of them on the site",
                 cycle, count, linked);
      n_checks++;
    }
  sqlite3_close (db);
}

static void
test_crash_anywhere (void)
{
  g_autofree char *dir = byline_test_make_tmpdir ("crash-anywhere");
  g_autofree char *db_path = g_build_filename (dir, "byline.db", NULL);
  g_autofree char *comments_path = g_build_filename (dir, "comments", NULL);
  const char *seed_env = g_getenv ("BYLINE_CRASH_ANYWHERE_SEED");
  const char *kills_env = g_getenv ("BYLINE_CRASH_ANYWHERE_KILLS");
  guint32 seed = seed_env ? (guint32) g_ascii_strtoull (seed_env, NULL, 10) : g_random_int ();
  guint kills = kills_env ? (guint) g_ascii_strtoull (kills_env, NULL, 10) : DEFAULT_KILLS;
  /* Work enough that the kills all land before the last cycle is done: a killed run gets through
   * about one cycle, often less. */
  guint n_cycles = kills + 2;
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(GError) error = NULL;
  gint64 post_id = g_ascii_strtoll (g_getenv ("BYLINE_WP_POST_ID"), NULL, 10);
  gint64 start = g_get_monotonic_time ();
  guint n_killed = 0, n_after_sent = 0, n_after_create = 0, n_after_step = 0, n_before_open = 0;
  guint n_found = 0, n_ops = 0, n_recorded = 0, n_cycles_killed = 0;
  /* Readers' comments come as the work gets to them: a store with thousands held would make
   * every start (which syncs the held ones) slow for nothing. */
  guint seeded_cycles = MIN (n_cycles, SEED_AHEAD_CYCLES);
  gint64 max_lost_ms = 0;
  gsize typed = 0;

  g_test_message ("BYLINE_CRASH_ANYWHERE_SEED=%u BYLINE_CRASH_ANYWHERE_KILLS=%u (%u cycles)",
                  seed, kills, n_cycles);
  CHECK (post_id > 0);

  /* The account, as the app adds it; its password goes to the keyring. */
  {
    g_autoptr(BylineStore) store = byline_store_open (db_path, &error);
    g_autoptr(BylineAccounts) accounts = NULL;
    g_autoptr(BylineAccount) account = NULL;

    g_assert_no_error (error);
    accounts = byline_accounts_new (store);
    account = byline_test_add_wordpress_account (accounts);
    site = byline_wp_client_new (byline_account_get_api_root (account),
                                 g_getenv ("BYLINE_WP_USER"), g_getenv ("BYLINE_WP_APP_PASSWORD"));
    g_assert_true (byline_store_close (store, &error));
    g_assert_no_error (error);
  }
  seed_comments (post_id, 1, seeded_cycles, comments_path);

  for (guint round = 0; round < kills; round++)
    {
      g_autoptr(GDataInputStream) in = NULL;
      g_autoptr(GSubprocess) child = NULL;
      Report report = { g_array_new (FALSE, TRUE, sizeof (gint64)) };
      /* 0: after a delay; 1: after the Nth request sent; 2: after the Nth step; 3: after the
       * first or second request that makes something (a post, a file, a reply), which only
       * finding it again afterwards keeps from being made twice. */
      guint weighted = g_rand_int_range (rand, 0, 12);
      guint mode = weighted < 3 ? 0 : weighted < 6 ? 1 : weighted < 8 ? 2 : 3;
      guint target = g_rand_int_range (rand, 1, mode == 3 ? 3 : 16);
      guint line_delay = g_rand_int_range (rand, 0, MAX_LINE_DELAY_USEC + 1);
      guint delay = g_rand_int_range (rand, 0, g_rand_int_range (rand, 0, 4) == 0
                                               ? STARTUP_DELAY_USEC + 1 : MAX_DELAY_USEC + 1);
      gint64 started, killed_at, lost_ms;
      sqlite3 *db;

      if (seeded_cycles < n_cycles && seeded_cycles < n_cycles_killed + SEED_AHEAD_CYCLES)
        {
          guint last = MIN (n_cycles, seeded_cycles + SEED_AHEAD_CYCLES);

          seed_comments (post_id, seeded_cycles + 1, last, comments_path);
          seeded_cycles = last;
        }
      child = start_worker (db_path, n_cycles, comments_path, &in);
      started = g_get_monotonic_time ();
      if (mode != 0)
        {
          /* Typing reports every few milliseconds, so the clock is looked at often. */
          while ((mode == 1 ? report.n_sent : mode == 2 ? report.n_steps : report.n_creates)
                 < target &&
                 g_get_monotonic_time () - started < 5 * MAX_DELAY_USEC &&
                 read_line (in, &report))
            ;
          g_usleep (line_delay);
        }
      else
        g_usleep (delay);
      killed_at = g_get_monotonic_time ();
      g_subprocess_send_signal (child, SIGKILL);
      g_subprocess_wait (child, NULL, &error);
      g_assert_no_error (error);
      while (read_line (in, &report))
        ;
      if (report.finished > 0)
        {
          /* Everything was done before the kills were: the final checks follow. */
          g_test_message ("The work was all done after %u kills", n_killed);
          g_array_unref (report.typed_at);
          typed = report.finished;
          goto finished;
        }
      if (!g_subprocess_get_if_signaled (child) || g_subprocess_get_term_sig (child) != SIGKILL)
        g_error ("Round %u: crash-worker ended on its own (status %d)", round,
                 g_subprocess_get_status (child));

      n_killed++;
      n_after_sent += mode == 1 || mode == 3;
      n_after_create += mode == 3;
      n_after_step += mode == 2;
      n_found += report.n_found;
      n_before_open += !report.saw_open;
      n_ops += report.n_ops;
      n_recorded += report.n_recorded;
      n_cycles_killed = MAX (n_cycles_killed, report.last_cycle);
      db = open_checked (db_path);
      typed = check_typing (db, &report, typed, killed_at, &lost_ms);
      max_lost_ms = MAX (max_lost_ms, lost_ms);
      sqlite3_close (db);
      g_array_unref (report.typed_at);
    }

  /* The last run finishes everything. */
  if (seeded_cycles < n_cycles)
    seed_comments (post_id, seeded_cycles + 1, n_cycles, comments_path);
  {
    g_autoptr(GDataInputStream) in = NULL;
    g_autoptr(GSubprocess) child = start_worker (db_path, n_cycles, comments_path, &in);
    Report report = { g_array_new (FALSE, TRUE, sizeof (gint64)) };

    while (read_line (in, &report))
      ;
    g_subprocess_wait (child, NULL, &error);
    g_assert_no_error (error);
    if (!g_subprocess_get_if_exited (child) || g_subprocess_get_exit_status (child) != 0)
      g_error ("The last run of crash-worker failed (see above)");
    CHECK (report.finished > 0);
    n_ops += report.n_ops;
    n_recorded += report.n_recorded;
    n_found += report.n_found;
    typed = report.finished;
    g_array_unref (report.typed_at);
  }

finished:
  check_store_at_end (db_path, typed, n_cycles, comments_path);
  check_site (n_cycles, post_id, comments_path);

  g_test_message ("Seed %u: %u kills: %u right after a request went out (%u of them one that "
                  "makes something), %u right after a step, %u before the store was open",
                  seed, n_killed, n_after_sent, n_after_create, n_after_step, n_before_open);
  g_test_message ("Operations: %u cycles (%u done in runs that were killed), each a post created "
                  "and updated, an upload, 8 moderation steps (single, bulk, undo) and a reply; "
                  "%u steps written and %u answers recorded across the runs; %u times a post, "
                  "file or reply an attempt made was found again; %zu bytes typed",
                  n_cycles, n_cycles_killed, n_ops, n_recorded, n_found, typed);
  g_test_message ("Checks: %u made, all passed; at most %" G_GINT64_FORMAT " ms of typing missing "
                  "at a kill (allowed: %d); %.0f s", n_checks, max_lost_ms, TYPING_WINDOW_MS,
                  (g_get_monotonic_time () - start) / 1e6);
  /* Not all at start-up, or nothing but starting was tested. */
  g_assert_cmpuint (n_ops, >, n_killed / 4);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  byline_test_init (&argc, &argv);
  bus = byline_test_start_keyring ();
  if (g_getenv ("BYLINE_WP_URL") == NULL || g_getenv ("BYLINE_WP_POST_ID") == NULL)
    g_error ("BYLINE_WP_URL and BYLINE_WP_POST_ID are not set: run this test under "
             "tests/wordpress/with-wordpress, which stands a WordPress up for it. It never "
             "skips.");
  token = g_strdup_printf ("k%08x", g_random_int ());

  g_test_add_func ("/wordpress/crash-anywhere/sigkill", test_crash_anywhere);

  status = g_test_run ();
  g_clear_object (&site);
  g_free (token);
  g_test_dbus_stop (bus);
  return status;
}
