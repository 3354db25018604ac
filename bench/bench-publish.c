/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-publish.c: times publishing through the outbox and listing posts, against a real
 * WordPress.
 *
 * Run under tests/wordpress/with-wordpress, which stands a fresh site up on loopback and sets
 * BYLINE_WP_URL, BYLINE_WP_USER and BYLINE_WP_APP_PASSWORD. Everything goes through Byline's own
 * code: a store, the account added as the app adds it (its password in a private keyring), the
 * BylinePublisher, and a BylineWpClient. Prints numbers; fails only when something does not work
 * (an entry that does not end DONE, a site that does not answer), never on the numbers. */

#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "byline-accounts.h"
#include "byline-markdown.h"
#include "byline-publisher.h"
#include "byline-store.h"
#include "byline-test-util.h"
#include "byline-text-stats.h"
#include "byline-wp-client.h"

#define N_DRAFTS            20
#define N_UPDATES           20
#define DRAFT_WORDS         800
#define CATEGORIES          "City Hall, Transportation"
#define TAGS                "budget, city council, transit"

#define N_LISTED_POSTS      1000
#define BATCH_SIZE          25      /* WordPress's maximum for /batch/v1 */
#define PER_PAGE            100
#define MAX_PAGES           20      /* more than a listing of N_LISTED_POSTS can need */
#define N_LIST_RUNS         5
#define PAGES_IN_FLIGHT     3

/* How long an outbox entry may stay pending while the outbox is processed again and again. */
#define PROCESS_TIMEOUT_MS  60000
/* How long any single asynchronous call may take (the client gives up after 30 s itself). */
#define CALL_TIMEOUT_MS     60000
/* How long a whole listing may take. */
#define LIST_TIMEOUT_MS     120000

typedef gboolean (*Condition) (gpointer user_data);

typedef struct {
  BylineWpSite    *site;
  const char      *user;
  const char      *password;
  char            *store_path;
  BylineStore     *store;
  BylineAccounts  *accounts;
  BylinePublisher *publisher;
  gint64           account_id;
  /* A client of our own, to read the site and to fill it. */
  BylineWpClient  *client;
  /* The post published first, and so the ids its terms got. */
  gint64           first_post_id;
} Bench;

G_GNUC_NORETURN
G_GNUC_PRINTF (1, 2) static void
fail (const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  fputs ("bench-publish: error: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  exit (1);
}

/* Document generation ------------------------------------------------------------------------ */

static const char *sentences[] = {
  "The city council voted %u to %u on Tuesday night to approve a revised budget that trims "
  "spending on road repairs and expands the library's evening hours.",
  "Council members spent nearly %u hours debating the plan, which had been delayed twice "
  "since the spring.",
  "\"We heard from residents in every ward, and this budget reflects what they asked us "
  "for,\" said the council president, who has held the seat since %u.",
  "Critics argued that the proposal relies on optimistic revenue forecasts and leaves the "
  "city exposed if sales tax receipts fall again.",
  "According to [the finance department's own "
  "projections](https://example.org/finance/forecast-%u), the reserve fund would drop below "
  "its target within three years.",
  "The mayor, who proposed the original plan in March, called the vote *a reasonable "
  "compromise* and said she would sign it this week.",
  "Transit officials warned that the **route %u** bus line could see reduced service on "
  "weekends if ridership does not recover by the end of the year.",
  "School board members have scheduled a public hearing for next Thursday to discuss the "
  "district's share of the funds.",
  "Local business owners along Main Street said construction on the new water main had cut "
  "foot traffic by as much as %u percent.",
  "\"We've been patient, but patience doesn't pay the rent,\" said the owner of a hardware "
  "store that has operated on the block for decades.",
  "The public works director said crews expect to finish the first phase of the project "
  "before the holiday shopping season begins.",
  "Court records show the lawsuit was filed in federal court in %u and has been stayed "
  "pending a ruling on a related case.",
  "Voters will decide in November whether to renew a property tax levy that funds the city's "
  "parks and recreation programs.",
  "Supporters of the levy say it costs the owner of a typical home about $%u a year and pays "
  "for lifeguards, youth leagues and trail upkeep.",
  "The newspaper reviewed more than %u pages of documents obtained through a public records "
  "request.",
  "Those records show that officials were aware of the problem as early as last summer but "
  "did not inform the public.",
  "The proposed development would add about %u apartments, a grocery store and a small park "
  "on the site of the former rail yard.",
  "Neighbors have raised concerns about traffic and parking, and the planning commission "
  "postponed its vote to gather more information.",
  "Election officials said turnout in the primary was about %u percent, higher than expected "
  "for a year without a statewide race.",
  "In a statement posted to [the department's website](https://example.org/health/updates), "
  "officials encouraged residents to get vaccinated.",
};

static const char *headings[] = {
  "What the vote means for residents",
  "Transit cuts loom on weekend routes",
  "Businesses weigh the cost of construction",
  "The levy on the November ballot",
  "What the records show",
  "The rail yard redevelopment",
};

static const char *list_items[] = {
  "Road repairs: $%u million, down from last year",
  "Library evening hours restored at %u branches",
  "A hiring freeze for non-emergency positions",
  "New crossing guards near %u elementary schools",
  "An independent audit of contracts above $%u,000",
  "Funding for %u additional paramedics",
};

static void
append_filled (GString    *out,
               GRand      *rand,
               const char *pattern)
{
  const char *hole;

  while ((hole = strstr (pattern, "%u")) != NULL)
    {
      g_string_append_len (out, pattern, hole - pattern);
      g_string_append_printf (out, "%u", (guint) g_rand_int_range (rand, 2, 2000));
      pattern = hole + 2;
    }
  g_string_append (out, pattern);
}

static const char *
pick (GRand       *rand,
      const char **strings,
      guint        n_strings)
{
  return strings[g_rand_int_range (rand, 0, (gint32) n_strings)];
}

/* A paragraph of 60 to 120 words, then a blank line. */
static void
append_paragraph (GString *out,
                  GRand   *rand)
{
  guint target = (guint) g_rand_int_range (rand, 60, 121);
  guint words = 0;
  gboolean first = TRUE;

  while (words < target)
    {
      g_autoptr(GString) sentence = g_string_new (NULL);
      guint sentence_words;

      append_filled (sentence, rand, pick (rand, sentences, G_N_ELEMENTS (sentences)));
      sentence_words = byline_text_stats_count_words (sentence->str, -1);
      if (words >= 60 && words + sentence_words > 120)
        break;
      if (!first)
        g_string_append_c (out, ' ');
      g_string_append (out, sentence->str);
      words += sentence_words;
      first = FALSE;
    }
  g_string_append (out, "\n\n");
}

/* Newsroom Markdown of about @target_words words (a paragraph more at most), the same for the
 * same @seed: paragraphs under headings, with a list, a quote, links and emphasis. */
static char *
generate_markdown (guint seed,
                   guint target_words)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261201 + seed);
  GString *out = g_string_new (NULL);

  append_paragraph (out, rand);
  for (guint section = 0; byline_text_stats_count_words (out->str, -1) < target_words; section++)
    {
      g_string_append_printf (out, "## %s\n\n", headings[section % G_N_ELEMENTS (headings)]);
      for (guint i = 0; i < 2 && byline_text_stats_count_words (out->str, -1) < target_words; i++)
        append_paragraph (out, rand);
      if (section == 1)
        {
          for (guint i = 0; i < 4; i++)
            {
              g_string_append (out, "- ");
              append_filled (out, rand, pick (rand, list_items, G_N_ELEMENTS (list_items)));
              g_string_append_c (out, '\n');
            }
          g_string_append_c (out, '\n');
        }
      else if (section == 2)
        {
          g_string_append (out, "> ");
          append_filled (out, rand, pick (rand, sentences, G_N_ELEMENTS (sentences)));
          g_string_append (out, "\n\n");
        }
    }
  return g_string_free (out, FALSE);
}

/* Waiting ------------------------------------------------------------------------------------- */

static gboolean
set_flag_cb (gpointer user_data)
{
  gboolean *flag = user_data;

  *flag = TRUE;
  return G_SOURCE_REMOVE;
}

/* Iterates the main context (sleeping in it, not spinning) until @condition holds or @timeout_ms
 * have passed; returns whether it holds. */
static gboolean
wait_until (Condition condition,
            gpointer  user_data,
            guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint timeout_id = g_timeout_add (timeout_ms, set_flag_cb, &timed_out);

  while (!condition (user_data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (timeout_id);
  return condition (user_data);
}

static gboolean
never (gpointer user_data)
{
  return FALSE;
}

static void
pause_ms (guint ms)
{
  wait_until (never, NULL, ms);
}

/* Runs the main context until *@result is set; fails, naming @what, after CALL_TIMEOUT_MS. */
static void
wait_for_result (GAsyncResult **result,
                 const char    *what)
{
  if (!wait_until (byline_test_has_result, result, CALL_TIMEOUT_MS))
    fail ("%s: no answer within %u s", what, CALL_TIMEOUT_MS / 1000);
}

/* Statistics ---------------------------------------------------------------------------------- */

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a;
  gint64 y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

typedef struct {
  double median;
  double p95;
  double min;
  double max;
} Summary;

/* Sorts @samples (microseconds) and summarises them in milliseconds; p95 is the nearest rank. */
static Summary
summarise (GArray *samples)
{
  Summary summary = { 0, 0, 0, 0 };
  guint n = samples->len;
  gint64 *values;

  if (n == 0)
    return summary;
  g_array_sort (samples, compare_gint64);
  values = (gint64 *) (gpointer) samples->data;
  summary.median = (n % 2 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2.0) / 1000.0;
  summary.p95 = values[MIN (n - 1, (guint) ((n * 95 + 99) / 100) - 1)] / 1000.0;
  summary.min = values[0] / 1000.0;
  summary.max = values[n - 1] / 1000.0;
  return summary;
}

static void
report_latency (const char *what,
                GArray     *samples,
                const char *unit,
                const char *note)
{
  Summary s = summarise (samples);

  printf ("%s: median %.0f ms, p95 %.0f ms, min %.0f ms, max %.0f ms (%u %s%s)\n", what,
          s.median, s.p95, s.min, s.max, samples->len, unit, note);
  fflush (stdout);
}

/* The outbox ---------------------------------------------------------------------------------- */

static const char *
state_name (BylineOutboxState state)
{
  switch (state)
    {
    case BYLINE_OUTBOX_STATE_PENDING:
      return "PENDING";
    case BYLINE_OUTBOX_STATE_DONE:
      return "DONE";
    case BYLINE_OUTBOX_STATE_FAILED:
      return "FAILED";
    case BYLINE_OUTBOX_STATE_CONFLICT:
      return "CONFLICT";
    default:
      return "?";
    }
}

static BylineOutboxEntry *
get_entry (Bench  *b,
           gint64  id)
{
  g_autoptr(GError) error = NULL;
  BylineOutboxEntry *entry = byline_publisher_get_entry (b->publisher, id, &error);

  if (entry == NULL)
    fail ("could not read outbox entry %" G_GINT64_FORMAT ": %s", id,
          error != NULL ? error->message : "no such entry");
  return entry;
}

/* Processes the outbox, again and again, until the entry @entry_id is no longer pending; fails
 * unless it ends DONE. */
static BylineOutboxEntry *
process_until_done (Bench  *b,
                    gint64  entry_id)
{
  gint64 deadline = g_get_monotonic_time () + PROCESS_TIMEOUT_MS * (gint64) 1000;

  for (;;)
    {
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(BylineOutboxEntry) entry = NULL;

      byline_publisher_process_async (b->publisher, NULL, byline_test_store_result_cb, &result);
      wait_for_result (&result, "byline_publisher_process_async");
      if (!byline_publisher_process_finish (b->publisher, result, &error))
        fail ("processing the outbox failed: %s", error->message);

      entry = get_entry (b, entry_id);
      if (entry->state == BYLINE_OUTBOX_STATE_DONE)
        return g_steal_pointer (&entry);
      if (entry->state != BYLINE_OUTBOX_STATE_PENDING)
        fail ("outbox entry %" G_GINT64_FORMAT " (\"%s\") is %s after %u attempt(s): %s",
              entry->id, entry->title, state_name (entry->state), entry->attempts,
              entry->last_error);
      if (g_get_monotonic_time () > deadline)
        fail ("outbox entry %" G_GINT64_FORMAT " (\"%s\") is still PENDING after %u s and %u "
              "attempt(s): %s", entry->id, entry->title, PROCESS_TIMEOUT_MS / 1000,
              entry->attempts, entry->last_error);
      pause_ms (100);
    }
}

/* As the autosave does: the draft then has the modified-at the store holds. */
static void
save_draft (Bench       *b,
            BylineDraft *draft)
{
  g_autoptr(GError) error = NULL;
  gint64 modified_at = 0;

  if (!byline_store_save_draft (b->store, draft, BYLINE_SAVE_EXPLICIT, &modified_at, &error))
    fail ("could not save a draft: %s", error->message);
  byline_draft_set_modified_at (draft, modified_at);
}

/* Publishes @draft now, from the enqueue to DONE; returns how long that took (µs), and in
 * @attempts how many sends the entry needed. */
static gint64
publish_timed (Bench       *b,
               BylineDraft *draft,
               guint       *attempts,
               gint64      *remote_id)
{
  static const BylinePublishOptions publish_now = { .status = "publish" };
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start_us = g_get_monotonic_time ();
  gint64 id;

  id = byline_publisher_enqueue_publish (b->publisher, draft, b->account_id, &publish_now,
                                         &error);
  if (id <= 0)
    fail ("could not enqueue \"%s\": %s", byline_draft_get_title (draft),
          error != NULL ? error->message : "no entry");
  entry = process_until_done (b, id);
  *attempts = entry->attempts;
  *remote_id = entry->remote_id;
  return g_get_monotonic_time () - start_us;
}

/* 1. Publishing and updating ------------------------------------------------------------------ */

static void
bench_publish (Bench *b)
{
  g_autoptr(GArray) creates = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) updates = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(BylineDraft) updated = NULL;
  g_autofree char *note = NULL;
  g_autofree char *base_body = NULL;
  g_autofree char *run_token = g_strdup_printf ("%08x", g_random_int ());
  guint min_words = G_MAXUINT, max_words = 0;
  guint retried = 0;
  gint64 first_us = 0;

  for (guint i = 0; i < N_DRAFTS; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(BylineDraft) draft = NULL;
      g_autofree char *body = generate_markdown (i, DRAFT_WORDS);
      g_autofree char *title = g_strdup_printf ("Council passes revised budget, part %u (%s)",
                                                i + 1, run_token);
      guint words = byline_text_stats_count_words (body, -1);
      guint attempts = 0;
      gint64 remote_id = 0;
      gint64 elapsed_us;

      draft = byline_store_create_draft (b->store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
      if (draft == NULL)
        fail ("could not create a draft: %s", error->message);
      byline_draft_set_title (draft, title);
      byline_draft_set_author (draft, "Staff reporter");
      byline_draft_set_body (draft, body);
      byline_draft_set_categories (draft, CATEGORIES);
      byline_draft_set_tags (draft, TAGS);
      save_draft (b, draft);

      elapsed_us = publish_timed (b, draft, &attempts, &remote_id);
      g_array_append_val (creates, elapsed_us);
      if (attempts > 1)
        retried++;
      min_words = MIN (min_words, words);
      max_words = MAX (max_words, words);
      if (i == 0)
        {
          first_us = elapsed_us;
          b->first_post_id = remote_id;
          updated = g_object_ref (draft);
          base_body = g_strdup (body);
        }
    }
  note = g_strdup_printf (" of %u to %u words, 2 categories and 3 tags; the first, which made "
                          "the terms, %.0f ms%s", min_words, max_words, first_us / 1000.0,
                          retried > 0 ? "; some needed a retry" : "");
  report_latency ("publish a new 800-word draft", creates, "drafts", note);

  /* A correction, again and again, to the first one: the draft changes, is saved, and sent. */
  retried = 0;
  for (guint i = 0; i < N_UPDATES; i++)
    {
      g_autofree char *body = g_strdup_printf ("%s_Correction %u: an earlier version of this "
                                               "story misstated the vote count._\n", base_body,
                                               i + 1);
      guint attempts = 0;
      gint64 remote_id = 0;
      gint64 elapsed_us;

      byline_draft_set_body (updated, body);
      save_draft (b, updated);
      elapsed_us = publish_timed (b, updated, &attempts, &remote_id);
      if (remote_id != b->first_post_id)
        fail ("updating the draft made post %" G_GINT64_FORMAT ", not an update of %"
              G_GINT64_FORMAT, remote_id, b->first_post_id);
      g_array_append_val (updates, elapsed_us);
      if (attempts > 1)
        retried++;
    }
  report_latency ("update an already published 800-word draft", updates, "updates",
                  retried > 0 ? "; some needed a retry" : "");
}

/* 2. Listing ---------------------------------------------------------------------------------- */

/* The ids of the categories and tags of post @id. */
static void
get_post_terms (Bench   *b,
                gint64   id,
                GArray **categories,
                GArray **tags)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineWpPost) post = NULL;

  byline_wp_client_get_post_async (b->client, id, NULL, byline_test_store_result_cb, &result);
  wait_for_result (&result, "byline_wp_client_get_post_async");
  post = byline_wp_client_get_post_finish (b->client, result, &error);
  if (post == NULL)
    fail ("could not read post %" G_GINT64_FORMAT ": %s", id, error->message);
  *categories = g_array_ref (byline_wp_post_get_categories (post));
  *tags = g_array_ref (byline_wp_post_get_tags (post));
}

static void
add_id_array (JsonBuilder *builder,
              const char  *name,
              GArray      *ids)
{
  json_builder_set_member_name (builder, name);
  json_builder_begin_array (builder);
  for (guint i = 0; i < ids->len; i++)
    json_builder_add_int_value (builder, g_array_index (ids, gint64, i));
  json_builder_end_array (builder);
}

/* Creates posts @first to @first + @n - 1 (WordPress drafts) with one POST /batch/v1. */
static void
create_batch (Bench  *b,
              guint   first,
              guint   n,
              GArray *categories,
              GArray *tags)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(JsonNode) answer = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(BylineWpResponseInfo) info = { 0 };
  JsonObject *object;
  JsonArray *responses;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "validation");
  json_builder_add_string_value (builder, "normal");
  json_builder_set_member_name (builder, "requests");
  json_builder_begin_array (builder);
  for (guint i = first; i < first + n; i++)
    {
      g_autofree char *markdown = generate_markdown (1000 + i, DRAFT_WORDS);
      g_autofree char *html = byline_markdown_render_html (markdown, -1);
      g_autofree char *title = g_strdup_printf ("Desk draft %04u: %s", i + 1,
                                                headings[i % G_N_ELEMENTS (headings)]);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "method");
      json_builder_add_string_value (builder, "POST");
      json_builder_set_member_name (builder, "path");
      json_builder_add_string_value (builder, "/wp/v2/posts");
      json_builder_set_member_name (builder, "body");
      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "title");
      json_builder_add_string_value (builder, title);
      json_builder_set_member_name (builder, "content");
      json_builder_add_string_value (builder, html);
      json_builder_set_member_name (builder, "status");
      json_builder_add_string_value (builder, "draft");
      add_id_array (builder, "categories", categories);
      add_id_array (builder, "tags", tags);
      json_builder_end_object (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);

  byline_wp_client_request_async (b->client, "POST", "/batch/v1", NULL, body, NULL,
                                  byline_test_store_result_cb, &result);
  wait_for_result (&result, "POST /batch/v1");
  answer = byline_wp_client_request_finish (b->client, result, &info, &error);
  if (answer == NULL)
    fail ("POST /batch/v1 failed (HTTP %u): %s", info.status, error->message);
  if (!JSON_NODE_HOLDS_OBJECT (answer)
      || (object = json_node_get_object (answer), !json_object_has_member (object, "responses"))
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (object, "responses")))
    fail ("POST /batch/v1 (HTTP %u) did not answer with a list of responses", info.status);
  if (json_object_has_member (object, "failed"))
    fail ("POST /batch/v1 failed its validation: nothing was created");
  responses = json_object_get_array_member (object, "responses");
  if (json_array_get_length (responses) != n)
    fail ("POST /batch/v1 answered %u responses for %u requests",
          json_array_get_length (responses), n);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (responses, i);
      JsonObject *response = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 status = response != NULL
                      ? json_object_get_int_member_with_default (response, "status", 0) : 0;

      if (status != 201)
        {
          g_autofree char *text = json_to_string (node, FALSE);

          fail ("creating post %u through /batch/v1 gave %" G_GINT64_FORMAT ": %.300s",
                first + i + 1, status, text);
        }
    }
}

typedef struct {
  BylineWpClient *client;
  guint           max_in_flight;
  guint           in_flight;
  guint           next_page;
  gint64          total_pages;   /* -1 until an answer says */
  gint64          total;
  guint           requests;
  GHashTable     *ids;           /* the posts seen, to count them once each */
  GError         *error;
} Listing;

static const char * const listed_statuses[] = { "draft", NULL };

static void listing_page_cb (GObject      *source,
                             GAsyncResult *result,
                             gpointer      user_data);

static gboolean
listing_may_start (Listing *listing)
{
  return listing->error == NULL && listing->in_flight < listing->max_in_flight
         && listing->next_page <= MAX_PAGES
         && (listing->total_pages < 0 || listing->next_page <= (guint) listing->total_pages);
}

/* Starts pages while fewer than max_in_flight are under way. Before the first answer the number
 * of pages is unknown: as many are asked for at once as are allowed, as an app would. */
static void
listing_fill (Listing *listing)
{
  while (listing_may_start (listing))
    {
      byline_wp_client_list_posts_async (listing->client, listed_statuses, NULL,
                                         listing->next_page++, PER_PAGE, NULL, NULL,
                                         listing_page_cb, listing);
      listing->in_flight++;
      listing->requests++;
    }
}

static void
listing_page_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Listing *listing = user_data;
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GError) error = NULL;

  listing->in_flight--;
  posts = byline_wp_client_list_posts_finish (BYLINE_WP_CLIENT (source), result, &info, &error);
  if (posts == NULL)
    {
      /* A page asked for before the total was known, past the end. */
      if (g_strcmp0 (info.wp_code, "rest_post_invalid_page_number") != 0 && listing->error == NULL)
        listing->error = g_steal_pointer (&error);
      return;
    }
  if (info.total_pages >= 0)
    listing->total_pages = info.total_pages;
  if (info.total >= 0)
    listing->total = info.total;
  for (guint i = 0; i < posts->len; i++)
    g_hash_table_add (listing->ids, GSIZE_TO_POINTER (byline_wp_post_get_id (posts->pdata[i])));
  listing_fill (listing);
}

static gboolean
listing_done (gpointer user_data)
{
  Listing *listing = user_data;

  return listing->in_flight == 0 && !listing_may_start (listing);
}

/* Lists every WordPress draft, @max_in_flight pages at a time; returns how long that took (µs)
 * and in @n_posts and @requests how many posts were seen and requests made. */
static gint64
list_all (Bench *b,
          guint  max_in_flight,
          guint *n_posts,
          guint *requests)
{
  Listing listing = { b->client, max_in_flight, 0, 1, -1, -1, 0, NULL, NULL };
  gint64 start_us;
  gint64 elapsed_us;

  listing.ids = g_hash_table_new (g_direct_hash, g_direct_equal);
  start_us = g_get_monotonic_time ();
  listing_fill (&listing);
  if (!wait_until (listing_done, &listing, LIST_TIMEOUT_MS))
    fail ("listing the posts took more than %u s", LIST_TIMEOUT_MS / 1000);
  elapsed_us = g_get_monotonic_time () - start_us;
  if (listing.error != NULL)
    fail ("listing the posts failed: %s", listing.error->message);
  if (listing.total_pages >= 0 && listing.next_page <= (guint) listing.total_pages)
    fail ("the site has %" G_GINT64_FORMAT " pages of posts, more than %u", listing.total_pages,
          MAX_PAGES);

  *n_posts = g_hash_table_size (listing.ids);
  *requests = listing.requests;
  if (listing.total != (gint64) *n_posts)
    g_printerr ("bench-publish: warning: the site counts %" G_GINT64_FORMAT " posts, the "
                "listing saw %u\n", listing.total, *n_posts);
  g_hash_table_unref (listing.ids);
  return elapsed_us;
}

static void
report_spread (const char *what,
               GArray     *samples,
               guint       n_posts,
               guint       requests)
{
  Summary s = summarise (samples);

  printf ("%s: median %.0f ms, spread %.0f ms (min %.0f ms, max %.0f ms; %u runs of %u "
          "requests, %u posts)\n", what, s.median, s.max - s.min, s.min, s.max, samples->len,
          requests, n_posts);
  fflush (stdout);
}

static void
bench_list (Bench *b)
{
  g_autoptr(GArray) categories = NULL;
  g_autoptr(GArray) tags = NULL;
  g_autoptr(GArray) sequential = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) parallel = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autofree char *what = NULL;
  guint n_posts = 0, sequential_requests = 0, parallel_requests = 0;
  gint64 start_us;

  /* The same terms as the drafts published above. */
  get_post_terms (b, b->first_post_id, &categories, &tags);
  start_us = g_get_monotonic_time ();
  for (guint first = 0; first < N_LISTED_POSTS; first += BATCH_SIZE)
    create_batch (b, first, MIN (BATCH_SIZE, N_LISTED_POSTS - first), categories, tags);
  printf ("setup: %u WordPress drafts of about %u words created in %u batches of %u in %.1f s "
          "(not timed below)\n", N_LISTED_POSTS, DRAFT_WORDS,
          (N_LISTED_POSTS + BATCH_SIZE - 1) / BATCH_SIZE, BATCH_SIZE,
          (g_get_monotonic_time () - start_us) / 1e6);
  fflush (stdout);

  /* One after the other, alternating, so that neither gets a warmer site than the other. */
  for (guint run = 0; run < N_LIST_RUNS; run++)
    {
      gint64 elapsed_us;

      elapsed_us = list_all (b, 1, &n_posts, &sequential_requests);
      g_array_append_val (sequential, elapsed_us);
      elapsed_us = list_all (b, PAGES_IN_FLIGHT, &n_posts, &parallel_requests);
      g_array_append_val (parallel, elapsed_us);
    }
  if (n_posts != N_LISTED_POSTS)
    g_printerr ("bench-publish: warning: listed %u posts, not %u\n", n_posts, N_LISTED_POSTS);

  what = g_strdup_printf ("list %u posts, %u a page, one page after another", n_posts, PER_PAGE);
  report_spread (what, sequential, n_posts, sequential_requests);
  g_free (what);
  what = g_strdup_printf ("list %u posts, %u a page, %u pages in flight at once", n_posts,
                          PER_PAGE, PAGES_IN_FLIGHT);
  report_spread (what, parallel, n_posts, parallel_requests);
}

/* Setting up ---------------------------------------------------------------------------------- */

static char *private_root;

static void
remove_private_folders (void)
{
  if (private_root != NULL)
    byline_test_rm_rf (private_root);
  g_clear_pointer (&private_root, g_free);
}

/* A private HOME and XDG folders, removed at exit, so that the keyring started below, the store
 * and libsecret neither see nor leave anything in the user's. (Not byline_test_init: that is
 * g_test_init too, which prints every debug message of GLib's between the numbers.) */
static void
make_private_folders (void)
{
  static const char *variables[][2] = {
    { "HOME", "home" },
    { "XDG_DATA_HOME", "data" },
    { "XDG_CONFIG_HOME", "config" },
    { "XDG_CACHE_HOME", "cache" },
    { "XDG_STATE_HOME", "state" },
    { "XDG_RUNTIME_DIR", "runtime" },
  };
  g_autoptr(GError) error = NULL;

  private_root = g_dir_make_tmp ("byline-bench-publish-XXXXXX", &error);
  if (private_root == NULL)
    fail ("could not make a temporary folder: %s", error->message);
  atexit (remove_private_folders);
  for (guint i = 0; i < G_N_ELEMENTS (variables); i++)
    {
      g_autofree char *dir = g_build_filename (private_root, variables[i][1], NULL);

      if (g_mkdir_with_parents (dir, 0700) != 0)
        fail ("could not make %s: %s", dir, g_strerror (errno));
      g_setenv (variables[i][0], dir, TRUE);
    }
}

static void
bench_open (Bench *b)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineAccount) account = NULL;
  const char *url = g_getenv ("BYLINE_WP_URL");

  b->user = g_getenv ("BYLINE_WP_USER");
  b->password = g_getenv ("BYLINE_WP_APP_PASSWORD");
  if (url == NULL || *url == '\0' || b->user == NULL || b->password == NULL)
    fail ("BYLINE_WP_URL, BYLINE_WP_USER and BYLINE_WP_APP_PASSWORD are not set: run this "
          "under tests/wordpress/with-wordpress, which stands a WordPress up for it");

  byline_wp_client_discover_async (url, NULL, byline_test_store_result_cb, &result);
  wait_for_result (&result, "byline_wp_client_discover_async");
  b->site = byline_wp_client_discover_finish (result, &error);
  if (b->site == NULL)
    fail ("no WordPress API found at %s: %s", url, error->message);

  b->store_path = g_build_filename (private_root, "byline.db", NULL);
  b->store = byline_store_open (b->store_path, &error);
  if (b->store == NULL)
    fail ("could not open the store: %s", error->message);
  b->accounts = byline_accounts_new (b->store);
  b->publisher = byline_publisher_new (b->store, b->accounts);

  /* As the app adds an account: the site found by discovery, the password in the keyring. */
  account = byline_account_new (b->site->home != NULL && *b->site->home != '\0' ? b->site->home
                                                                                : b->site->url,
                                b->site->api_root, b->user);
  byline_account_set_site_name (account, b->site->name);
  byline_account_set_timezone (account, b->site->timezone_string, b->site->gmt_offset);
  if (!byline_accounts_add (b->accounts, account, b->password, &error))
    fail ("could not add the account: %s", error->message);
  b->account_id = byline_account_get_id (account);

  b->client = byline_wp_client_new (b->site->api_root, b->user, b->password);
}

static void
bench_close (Bench *b)
{
  g_autoptr(GError) error = NULL;

  g_clear_object (&b->publisher);
  g_clear_object (&b->accounts);
  if (!byline_store_close (b->store, &error))
    g_printerr ("bench-publish: warning: could not close the store: %s\n", error->message);
  g_clear_object (&b->store);
  g_clear_object (&b->client);
  /* Let the clients' last callbacks (closing connections) run. */
  for (guint i = 0; i < 1000 && g_main_context_iteration (NULL, FALSE); i++)
    ;
  g_clear_pointer (&b->site, byline_wp_site_free);
  g_free (b->store_path);
}

/* 3. Uploading a 2 MB image through the outbox ------------------------------------------------ */

#define N_UPLOADS 5

/* From the enqueue (the file copied beside the database) to DONE (on the site, the draft's
 * address replaced): what a person waits for between inserting an image and the draft having
 * its site address. The image is noise, so that PNG cannot make it smaller. */
static void
bench_upload (Bench *b)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("byline-bench-upload-XXXXXX", &error);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *note = NULL;
  g_autoptr(GBytes) data = NULL;
  gsize length;

  if (dir == NULL)
    fail ("no folder for the image: %s", error->message);
  path = g_build_filename (dir, "noise.png", NULL);
  {
    g_autofree char *target = g_strconcat ("PNG24:", path, NULL);
    char *argv[] = { "convert", "-size", "820x820", "xc:", "+noise", "Random", target, NULL };
    int status = 0;

    if (!g_spawn_sync (NULL, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status,
                       &error) || !g_spawn_check_wait_status (status, &error))
      fail ("could not make the image with ImageMagick's convert: %s", error->message);
  }
  if (!g_file_get_contents (path, &contents, &length, &error))
    fail ("could not read the image: %s", error->message);
  data = g_bytes_new_take (g_steal_pointer (&contents), length);

  draft = byline_store_create_draft (b->store, BYLINE_DRAFT_FORMAT_MARKDOWN, &error);
  if (draft == NULL)
    fail ("could not make a draft: %s", error->message);
  byline_draft_set_title (draft, "Uploads");
  save_draft (b, draft);

  for (guint i = 0; i < N_UPLOADS; i++)
    {
      g_autoptr(BylineOutboxEntry) entry = NULL;
      g_autofree char *local_address = NULL;
      gint64 start_us = g_get_monotonic_time ();
      gint64 id, elapsed;

      id = byline_publisher_enqueue_upload (b->publisher, byline_draft_get_id (draft),
                                            b->account_id, data, "noise.png", "image/png",
                                            "Grey noise", &local_address, &error);
      if (id <= 0)
        fail ("could not enqueue the upload: %s", error->message);
      entry = process_until_done (b, id);
      elapsed = g_get_monotonic_time () - start_us;
      g_array_append_val (samples, elapsed);
    }
  note = g_strdup_printf (", %.2f MB PNG, enqueue to done", length / (1024.0 * 1024.0));
  report_latency ("Upload an image through the outbox", samples, "uploads", note);
  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  Bench bench = { 0 };
  GTestDBus *bus;

  make_private_folders ();
  /* Also keeps the shared bus connection from raising SIGTERM when the bus goes at the end. */
  bus = byline_test_start_keyring ();

  bench_open (&bench);
  bench_publish (&bench);
  bench_upload (&bench);
  bench_list (&bench);
  bench_close (&bench);

  /* stop, not down (see byline_test_start_keyring). */
  g_test_dbus_stop (bus);
  return 0;
}
