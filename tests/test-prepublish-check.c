/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-prepublish-check.c: the pre-publish check on real drafts, with the installed Hunspell
 * dictionaries, a real store, and links against a scripted server on loopback. */

/* unshare () and CLONE_NEWNET, to go offline for real. */
#define _GNU_SOURCE

#include "config.h"

#include <sched.h>
#include <string.h>
#include <unistd.h>

#include "byline-prepublish-check.h"
#include "byline-publisher.h"
#include "byline-spell-checker.h"
#include "byline-store-accounts-table.h"
#include "byline-store-private.h"
#include "byline-store-remote-posts-table.h"
#include "byline-test-util.h"
#include "wp-fault-server.h"

typedef struct {
  char                  *store_path;
  BylineStore           *store;
  BylineLinkChecker     *links;
  BylinePrepublishCheck *check;
  WpFaultServer         *server;
  gint64                 account_id;
} Fixture;

/* A store with an account on @site_url, and a check with its link checker. The account row is
 * all the check needs (its password, the keyring's, is for sending). */
static void
set_up_check (Fixture    *f,
              const char *site_url)
{
  g_autofree char *dir = byline_test_make_tmpdir ("prepublish-check");
  g_autofree char *api_root = g_strconcat (site_url, "/wp-json/", NULL);
  g_autoptr(BylineAccount) account = byline_account_new (site_url, api_root, "editor");
  g_autoptr(GError) error = NULL;
  BylineSqliteConnection *conn;

  f->store_path = g_build_filename (dir, "byline.db", NULL);
  f->store = byline_store_open (f->store_path, &error);
  g_assert_no_error (error);
  f->links = byline_link_checker_new ();
  byline_link_checker_set_timeout (f->links, 5);
  f->check = byline_prepublish_check_new (f->store, f->links);

  conn = _byline_store_lock (f->store, &error);
  g_assert_no_error (error);
  f->account_id = byline_store_accounts_table_upsert (conn, account, g_get_real_time (), &error);
  _byline_store_unlock (f->store);
  g_assert_no_error (error);
  g_assert_cmpint (f->account_id, >, 0);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  /* The site is the server: its own "/path" links lead there. */
  f->server = wp_fault_server_new (NULL);
  set_up_check (f, wp_fault_server_get_url (f->server));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_object (&f->check);
  g_clear_object (&f->links);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_pointer (&f->server, wp_fault_server_free);
  if (f->store != NULL)
    byline_store_close (f->store, NULL);
  g_clear_object (&f->store);
  g_free (f->store_path);
}

static void
fixture_clear (Fixture *f)
{
  fixture_tear_down (f, NULL);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Fixture, fixture_clear)

/* A saved draft, so that it has an id (overrides refer to it). */
static BylineDraft *
make_draft (Fixture           *f,
            BylineDraftFormat  format,
            const char        *language,
            const char        *title,
            const char        *excerpt,
            const char        *categories,
            const char        *body)
{
  g_autoptr(GError) error = NULL;
  BylineDraft *draft = byline_store_create_draft (f->store, format, &error);

  g_assert_no_error (error);
  byline_draft_set_language (draft, language);
  byline_draft_set_title (draft, title);
  byline_draft_set_excerpt (draft, excerpt);
  byline_draft_set_categories (draft, categories);
  byline_draft_set_body (draft, body);
  g_assert_true (byline_store_save_draft (f->store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error));
  g_assert_no_error (error);
  return draft;
}

static GPtrArray *
run_check (BylinePrepublishCheck *check,
           BylineDraft           *draft,
           gint64                 account_id,
           BylineCheckRunFlags    flags)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *findings;

  byline_prepublish_check_run_async (check, draft, account_id, flags, NULL,
                                     byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, 60, "the pre-publish check");
  findings = byline_prepublish_check_run_finish (check, result, &error);
  g_assert_no_error (error);
  g_assert_nonnull (findings);
  return findings;
}

/* The findings as lines, for a failure to show all of them. */
static char *
describe (GPtrArray *findings)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < findings->len; i++)
    {
      BylineFinding *finding = g_ptr_array_index (findings, i);
      g_autofree char *line = byline_finding_to_string (finding);

      g_string_append_printf (text, "%s [%s, offset %zu, length %zu, subject %s]\n", line,
                              finding->severity == BYLINE_CHECK_BLOCKING ? "blocking" : "warning",
                              finding->offset, finding->length, finding->subject);
    }
  return g_string_free (text, FALSE);
}

static BylineFinding *
find (GPtrArray       *findings,
      BylineCheckKind  kind,
      const char      *subject)
{
  for (guint i = 0; i < findings->len; i++)
    {
      BylineFinding *finding = g_ptr_array_index (findings, i);

      if (finding->kind == kind && (subject == NULL || g_strcmp0 (finding->subject, subject) == 0))
        return finding;
    }
  return NULL;
}

static guint
count (GPtrArray       *findings,
       BylineCheckKind  kind)
{
  guint n = 0;

  for (guint i = 0; i < findings->len; i++)
    n += ((BylineFinding *) g_ptr_array_index (findings, i))->kind == kind;
  return n;
}

/* Asserts one finding of @kind about @subject, at @line:@column, whose offset and length in
 * @text select @selected. */
static BylineFinding *
assert_finding (GPtrArray           *findings,
                BylineCheckKind      kind,
                const char          *subject,
                BylineCheckField     field,
                BylineCheckSeverity  severity,
                guint                line,
                guint                column,
                const char          *text,
                const char          *selected)
{
  BylineFinding *finding = find (findings, kind, subject);

  if (finding == NULL)
    {
      g_autofree char *all = describe (findings);

      g_error ("No %s finding about “%s” among:\n%s", byline_check_kind_get_name (kind), subject,
               all);
    }
  g_assert_cmpint (finding->field, ==, field);
  g_assert_cmpint (finding->severity, ==, severity);
  g_assert_cmpuint (finding->line, ==, line);
  g_assert_cmpuint (finding->column, ==, column);
  g_assert_nonnull (finding->message);
  g_assert_cmpstr (finding->message, !=, "");
  if (selected != NULL)
    {
      g_autofree char *got = g_strndup (text + finding->offset, finding->length);

      g_assert_cmpuint (finding->offset + finding->length, <=, strlen (text));
      g_assert_cmpstr (got, ==, selected);
    }
  return finding;
}

/* Every local kind in one Markdown draft: each at its place, with the default severities. */
static void
test_markdown_findings (Fixture       *f,
                        gconstpointer  data)
{
  const char *body =
    "Ministers met in Brussels to discuss the aliance.\n"  /* 1 */
    "\n"
    "“Quoted” — the summitt went on.\n"                    /* 3: a column in characters */
    "\n"
    "![](https://example.invalid/photo.jpg)\n"            /* 5 */
    "\n"
    "## Background\n"                                     /* 7 */
    "\n"
    "#### Too deep\n"                                     /* 9 */
    "\n"
    "A chart: <img src=\"chart.png\"> and ![A map](map.png).\n"  /* 11 */
    "\n"
    "```\n"
    "codde in a fenced block is not prose\n"
    "```\n"
    "\n"
    "    indentedd code neither\n"
    "\n"
    "Nor `spann` nor https://example.org/mispeled nor <b class=\"wrongg\">bold</b>.\n";
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "en_US",
                                             "Kerry at the summit", "", "News", body);
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *all = NULL;
  BylineFinding *finding;

  byline_draft_set_publish_date (draft, "2020-01-02T09:30");
  findings = run_check (f->check, draft, f->account_id, BYLINE_CHECK_RUN_LOCAL);
  all = describe (findings);
  g_test_message ("Findings:\n%s", all);

  assert_finding (findings, BYLINE_CHECK_MISSPELLING, "aliance", BYLINE_CHECK_FIELD_BODY,
                  BYLINE_CHECK_WARNING, 1, 42, body, "aliance");
  /* "“Quoted” — the " is 15 characters and 21 bytes. */
  finding = assert_finding (findings, BYLINE_CHECK_MISSPELLING, "summitt", BYLINE_CHECK_FIELD_BODY,
                            BYLINE_CHECK_WARNING, 3, 16, body, "summitt");
  g_assert_cmpuint (finding->offset, ==, strlen ("Ministers met in Brussels to discuss the "
                                                 "aliance.\n\n") + 21);
  assert_finding (findings, BYLINE_CHECK_MISSING_ALT, "https://example.invalid/photo.jpg",
                  BYLINE_CHECK_FIELD_BODY, BYLINE_CHECK_WARNING, 5, 1, body,
                  "![](https://example.invalid/photo.jpg)");
  assert_finding (findings, BYLINE_CHECK_SKIPPED_HEADING, NULL, BYLINE_CHECK_FIELD_BODY,
                  BYLINE_CHECK_WARNING, 9, 1, body, "#### Too deep");
  assert_finding (findings, BYLINE_CHECK_MISSING_ALT, "chart.png", BYLINE_CHECK_FIELD_BODY,
                  BYLINE_CHECK_WARNING, 11, 10, body, "<img src=\"chart.png\">");
  assert_finding (findings, BYLINE_CHECK_MISSING_FIELD, "excerpt", BYLINE_CHECK_FIELD_EXCERPT,
                  BYLINE_CHECK_BLOCKING, 0, 0, NULL, NULL);
  assert_finding (findings, BYLINE_CHECK_DATE_IN_PAST, "2020-01-02T09:30",
                  BYLINE_CHECK_FIELD_PUBLISH_DATE, BYLINE_CHECK_BLOCKING, 0, 0, NULL, NULL);

  /* Nothing else: not the image with alt text, not the code, the address or the tag. */
  g_assert_cmpuint (count (findings, BYLINE_CHECK_MISSPELLING), ==, 2);
  g_assert_cmpuint (count (findings, BYLINE_CHECK_MISSING_ALT), ==, 2);
  g_assert_cmpuint (count (findings, BYLINE_CHECK_SKIPPED_HEADING), ==, 1);
  g_assert_cmpuint (count (findings, BYLINE_CHECK_MISSING_FIELD), ==, 1);
  g_assert_cmpuint (findings->len, ==, 7);
  g_assert_true (byline_findings_block (findings));

  /* In the order of the text, then the fields. */
  for (guint i = 1; i < findings->len; i++)
    {
      BylineFinding *a = g_ptr_array_index (findings, i - 1);
      BylineFinding *b = g_ptr_array_index (findings, i);

      g_assert_true (a->field < b->field || (a->field == b->field && a->offset <= b->offset));
    }
  finding = g_ptr_array_index (findings, findings->len - 1);
  g_assert_cmpint (finding->field, ==, BYLINE_CHECK_FIELD_PUBLISH_DATE);

  /* Once the post is out, its date is when it went out: an update is not stopped by it. */
  {
    g_autoptr(GPtrArray) after = NULL;
    g_autoptr(GError) error = NULL;
    BylineSqliteConnection *conn = _byline_store_lock (f->store, &error);

    g_assert_no_error (error);
    g_assert_true (byline_store_remote_posts_table_upsert (conn, byline_draft_get_id (draft),
                                                           f->account_id, 42,
                                                           "2020-01-02T08:30:00", "publish",
                                                           "https://example.invalid/?p=42",
                                                           &error));
    _byline_store_unlock (f->store);
    g_assert_no_error (error);
    after = run_check (f->check, draft, f->account_id, BYLINE_CHECK_RUN_LOCAL);
    g_assert_cmpuint (count (after, BYLINE_CHECK_DATE_IN_PAST), ==, 0);
    g_assert_cmpuint (after->len, ==, findings->len - 1);
  }
}

/* An HTML draft as it is: images without alt or with an empty one, h2 then h4. */
static void
test_html_findings (Fixture       *f,
                    gconstpointer  data)
{
  const char *body =
    "<h2>Background</h2>\n"
    "<p>Text <img src=\"a.png\"> and <IMG alt=\"\" src=\"b.png\"></p>\n"
    "<h4>Too deep</h4>\n"
    "<p><img src=\"c.png\" alt=\"A chart\"> <img\n"
    "  src=\"d.png\"></p>\n";
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_HTML, "en_US",
                                             "Kerry at the summit", "An excerpt.", "News", body);
  g_autoptr(GPtrArray) findings = run_check (f->check, draft, f->account_id,
                                             BYLINE_CHECK_RUN_LOCAL);
  g_autofree char *all = describe (findings);

  g_test_message ("Findings:\n%s", all);
  assert_finding (findings, BYLINE_CHECK_MISSING_ALT, "a.png", BYLINE_CHECK_FIELD_BODY,
                  BYLINE_CHECK_WARNING, 2, 9, body, "<img src=\"a.png\">");
  assert_finding (findings, BYLINE_CHECK_MISSING_ALT, "b.png", BYLINE_CHECK_FIELD_BODY,
                  BYLINE_CHECK_WARNING, 2, 31, body, "<IMG alt=\"\" src=\"b.png\">");
  assert_finding (findings, BYLINE_CHECK_MISSING_ALT, "d.png", BYLINE_CHECK_FIELD_BODY,
                  BYLINE_CHECK_WARNING, 4, 36, body, "<img\n  src=\"d.png\">");
  assert_finding (findings, BYLINE_CHECK_SKIPPED_HEADING, NULL, BYLINE_CHECK_FIELD_BODY,
                  BYLINE_CHECK_WARNING, 3, 1, body, "<h4>");
  g_assert_null (find (findings, BYLINE_CHECK_MISSING_ALT, "c.png"));
  /* The attribute going on to line 5 is not prose. */
  g_assert_cmpuint (findings->len, ==, 4);
  g_assert_false (byline_findings_block (findings));
}

static void
test_empty_body (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "en_US",
                                             "", "An excerpt.", " , ", "  \n\t\n");
  g_autoptr(GPtrArray) findings = run_check (f->check, draft, f->account_id,
                                             BYLINE_CHECK_RUN_LOCAL);
  g_autofree char *all = describe (findings);
  BylineFinding *finding;

  g_test_message ("Findings:\n%s", all);
  finding = assert_finding (findings, BYLINE_CHECK_EMPTY_BODY, NULL, BYLINE_CHECK_FIELD_BODY,
                            BYLINE_CHECK_BLOCKING, 0, 0, NULL, NULL);
  g_assert_cmpuint (finding->offset, ==, 0);
  assert_finding (findings, BYLINE_CHECK_MISSING_FIELD, "title", BYLINE_CHECK_FIELD_TITLE,
                  BYLINE_CHECK_BLOCKING, 0, 0, NULL, NULL);
  /* " , " names no category. */
  assert_finding (findings, BYLINE_CHECK_MISSING_FIELD, "categories",
                  BYLINE_CHECK_FIELD_CATEGORIES, BYLINE_CHECK_BLOCKING, 0, 0, NULL, NULL);
  g_assert_cmpuint (findings->len, ==, 3);
}

/* The draft's language's dictionary, the title and the excerpt, and words the writer accepted. */
static void
test_spelling (Fixture       *f,
               gconstpointer  data)
{
  const char *french = "Les ministres se sont réunis à Bruxelles hier soir.\n";
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "fr_FR",
                                             "Réunion à Bruxelles", "Un résumé.", "Europe",
                                             french);
  g_autoptr(GPtrArray) findings = run_check (f->check, draft, f->account_id,
                                             BYLINE_CHECK_RUN_LOCAL);
  g_autoptr(BylineSpellChecker) english = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *all = describe (findings);

  g_test_message ("French findings:\n%s", all);
  g_assert_cmpuint (findings->len, ==, 0);

  /* The same text in English is full of unknown words. */
  byline_draft_set_language (draft, "en_US");
  g_clear_pointer (&findings, g_ptr_array_unref);
  findings = run_check (f->check, draft, f->account_id, BYLINE_CHECK_RUN_LOCAL);
  assert_finding (findings, BYLINE_CHECK_MISSPELLING, "réunis", BYLINE_CHECK_FIELD_BODY,
                  BYLINE_CHECK_WARNING, 1, 23, french, "réunis");
  g_assert_nonnull (strstr (find (findings, BYLINE_CHECK_MISSPELLING, "réunis")->message,
                            "English"));

  /* The title and the excerpt, with their place in their own text. */
  byline_draft_set_title (draft, "Kerry in Brusels");
  byline_draft_set_excerpt (draft, "Ministers met.\nThey agred.");
  byline_draft_set_body (draft, "Ministers met in Brussels.\n");
  g_clear_pointer (&findings, g_ptr_array_unref);
  findings = run_check (f->check, draft, f->account_id, BYLINE_CHECK_RUN_LOCAL);
  assert_finding (findings, BYLINE_CHECK_MISSPELLING, "Brusels", BYLINE_CHECK_FIELD_TITLE,
                  BYLINE_CHECK_WARNING, 1, 10, byline_draft_get_title (draft), "Brusels");
  assert_finding (findings, BYLINE_CHECK_MISSPELLING, "agred", BYLINE_CHECK_FIELD_EXCERPT,
                  BYLINE_CHECK_WARNING, 2, 6, byline_draft_get_excerpt (draft), "agred");
  g_assert_cmpuint (findings->len, ==, 2);

  /* A language with no dictionary installed: nothing to find, nothing that fails, twice. */
  for (guint i = 0; i < 2; i++)
    {
      byline_draft_set_language (draft, "xx_XX");
      g_clear_pointer (&findings, g_ptr_array_unref);
      findings = run_check (f->check, draft, f->account_id, BYLINE_CHECK_RUN_LOCAL);
      g_assert_cmpuint (count (findings, BYLINE_CHECK_MISSPELLING), ==, 0);
    }
  byline_draft_set_language (draft, "en_US");

  /* A word the writer told the editor to accept is accepted here too: one dictionary. */
  english = byline_spell_checker_new ("en_US", &error);
  g_assert_no_error (error);
  byline_spell_checker_ignore_word (english, "agred", -1);
  g_clear_pointer (&findings, g_ptr_array_unref);
  findings = run_check (f->check, draft, f->account_id, BYLINE_CHECK_RUN_LOCAL);
  g_assert_null (find (findings, BYLINE_CHECK_MISSPELLING, "agred"));
  g_assert_nonnull (find (findings, BYLINE_CHECK_MISSPELLING, "Brusels"));
}

/* The other fields a site may require; the featured image's alt text, kept by its upload. */
static void
test_fields (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "en_US",
                                             "Kerry at the summit", "An excerpt.", "News",
                                             "Ministers met in Brussels.\n");
  g_autoptr(BylineAccounts) accounts = byline_accounts_new (f->store);
  g_autoptr(BylinePublisher) publisher = byline_publisher_new (f->store, accounts);
  g_autoptr(GBytes) image = g_bytes_new_static ("GIF89a", 6);
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = NULL;
  g_autofree char *all = NULL;
  BylineCheckPolicy policy;

  byline_check_policy_init_default (&policy);
  policy.required[BYLINE_CHECK_FIELD_SLUG] = TRUE;
  policy.required[BYLINE_CHECK_FIELD_TAGS] = TRUE;
  policy.required[BYLINE_CHECK_FIELD_FEATURED_IMAGE] = TRUE;
  policy.required[BYLINE_CHECK_FIELD_PUBLISH_DATE] = TRUE;
  g_assert_true (byline_check_policy_save (f->store, f->account_id, &policy, &error));
  g_assert_no_error (error);

  /* "none" is no featured image. */
  byline_draft_set_featured_image (draft, "none");
  findings = run_check (f->check, draft, f->account_id, BYLINE_CHECK_RUN_LOCAL);
  all = describe (findings);
  g_test_message ("Findings:\n%s", all);
  assert_finding (findings, BYLINE_CHECK_MISSING_FIELD, "slug", BYLINE_CHECK_FIELD_SLUG,
                  BYLINE_CHECK_BLOCKING, 0, 0, NULL, NULL);
  assert_finding (findings, BYLINE_CHECK_MISSING_FIELD, "tags", BYLINE_CHECK_FIELD_TAGS,
                  BYLINE_CHECK_BLOCKING, 0, 0, NULL, NULL);
  assert_finding (findings, BYLINE_CHECK_MISSING_FIELD, "featured-image",
                  BYLINE_CHECK_FIELD_FEATURED_IMAGE, BYLINE_CHECK_BLOCKING, 0, 0, NULL, NULL);
  assert_finding (findings, BYLINE_CHECK_MISSING_FIELD, "publish-date",
                  BYLINE_CHECK_FIELD_PUBLISH_DATE, BYLINE_CHECK_BLOCKING, 0, 0, NULL, NULL);
  g_assert_cmpuint (findings->len, ==, 4);

  /* All there, a date ahead; a featured image Byline has no upload of: its alt text unknown. */
  byline_draft_set_slug (draft, "kerry-summit");
  byline_draft_set_tags (draft, "NATO");
  byline_draft_set_publish_date (draft, "2099-01-02T09:30");
  byline_draft_set_featured_image (draft, "byline-upload:lost.gif");
  g_clear_pointer (&findings, g_ptr_array_unref);
  findings = run_check (f->check, draft, f->account_id, BYLINE_CHECK_RUN_LOCAL);
  assert_finding (findings, BYLINE_CHECK_MISSING_ALT, "byline-upload:lost.gif",
                  BYLINE_CHECK_FIELD_FEATURED_IMAGE, BYLINE_CHECK_WARNING, 0, 0, NULL, NULL);
  g_assert_cmpuint (findings->len, ==, 1);

  /* Uploaded from Byline with its alt text (which the upload requires): nothing to say. */
  g_assert_cmpint (byline_publisher_enqueue_upload (publisher, byline_draft_get_id (draft),
                                                    f->account_id, image, "chart.gif",
                                                    "image/gif", "A chart of the budget",
                                                    &address, &error), >, 0);
  g_assert_no_error (error);
  byline_draft_set_featured_image (draft, address);
  g_clear_pointer (&findings, g_ptr_array_unref);
  findings = run_check (f->check, draft, f->account_id, BYLINE_CHECK_RUN_LOCAL);
  g_assert_cmpuint (findings->len, ==, 0);

  /* One from the site's library keeps the alt text it has there. */
  byline_draft_set_featured_image (draft, "media:42");
  g_clear_pointer (&findings, g_ptr_array_unref);
  findings = run_check (f->check, draft, f->account_id, BYLINE_CHECK_RUN_LOCAL);
  g_assert_cmpuint (findings->len, ==, 0);
}

static void
assert_policies_equal (const BylineCheckPolicy *a,
                       const BylineCheckPolicy *b)
{
  for (guint i = 0; i <= BYLINE_CHECK_FIELD_PUBLISH_DATE; i++)
    g_assert_cmpint (a->required[i], ==, b->required[i]);
  for (guint i = 0; i < BYLINE_CHECK_N_KINDS; i++)
    g_assert_cmpint (a->severity[i], ==, b->severity[i]);
}

static void
test_policy (Fixture       *f,
             gconstpointer  data)
{
  BylineCheckPolicy policy, loaded, defaults;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "en_US",
                                             "Kerry at the summit", "", "News",
                                             "Ministers met in Brusels.\n\n#### Deep\n");

  byline_check_policy_init_default (&defaults);
  g_assert_true (defaults.required[BYLINE_CHECK_FIELD_TITLE]);
  g_assert_true (defaults.required[BYLINE_CHECK_FIELD_EXCERPT]);
  g_assert_true (defaults.required[BYLINE_CHECK_FIELD_CATEGORIES]);
  g_assert_false (defaults.required[BYLINE_CHECK_FIELD_SLUG]);
  g_assert_cmpint (defaults.severity[BYLINE_CHECK_EMPTY_BODY], ==, BYLINE_CHECK_BLOCKING);
  g_assert_cmpint (defaults.severity[BYLINE_CHECK_BROKEN_LINK], ==, BYLINE_CHECK_BLOCKING);
  g_assert_cmpint (defaults.severity[BYLINE_CHECK_MISSPELLING], ==, BYLINE_CHECK_WARNING);
  g_assert_cmpint (defaults.severity[BYLINE_CHECK_MISSING_ALT], ==, BYLINE_CHECK_WARNING);

  /* Nothing saved: the default. */
  g_assert_true (byline_check_policy_load (f->store, f->account_id, &loaded, &error));
  g_assert_no_error (error);
  assert_policies_equal (&loaded, &defaults);

  /* This site wants a slug, not an excerpt, and stops misspellings, not skipped headings. */
  policy = defaults;
  policy.required[BYLINE_CHECK_FIELD_EXCERPT] = FALSE;
  policy.required[BYLINE_CHECK_FIELD_SLUG] = TRUE;
  policy.severity[BYLINE_CHECK_MISSPELLING] = BYLINE_CHECK_BLOCKING;
  policy.severity[BYLINE_CHECK_BROKEN_LINK] = BYLINE_CHECK_WARNING;
  g_assert_true (byline_check_policy_save (f->store, f->account_id, &policy, &error));
  g_assert_no_error (error);

  /* Kept across a restart. */
  byline_store_close (f->store, &error);
  g_assert_no_error (error);
  g_clear_object (&f->check);
  g_clear_object (&f->store);
  f->store = byline_store_open (f->store_path, &error);
  g_assert_no_error (error);
  f->check = byline_prepublish_check_new (f->store, f->links);
  g_assert_true (byline_check_policy_load (f->store, f->account_id, &loaded, &error));
  assert_policies_equal (&loaded, &policy);

  findings = run_check (f->check, draft, f->account_id, BYLINE_CHECK_RUN_LOCAL);
  g_assert_cmpint (find (findings, BYLINE_CHECK_MISSPELLING, "Brusels")->severity, ==,
                   BYLINE_CHECK_BLOCKING);
  g_assert_cmpint (find (findings, BYLINE_CHECK_SKIPPED_HEADING, NULL)->severity, ==,
                   BYLINE_CHECK_WARNING);
  g_assert_null (find (findings, BYLINE_CHECK_MISSING_FIELD, "excerpt"));
  g_assert_nonnull (find (findings, BYLINE_CHECK_MISSING_FIELD, "slug"));

  /* Another account, or none, keeps the default. */
  g_clear_pointer (&findings, g_ptr_array_unref);
  findings = run_check (f->check, draft, 0, BYLINE_CHECK_RUN_LOCAL);
  g_assert_cmpint (find (findings, BYLINE_CHECK_MISSPELLING, "Brusels")->severity, ==,
                   BYLINE_CHECK_WARNING);
  g_assert_nonnull (find (findings, BYLINE_CHECK_MISSING_FIELD, "excerpt"));
  g_assert_false (byline_check_policy_save (f->store, 0, &policy, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Changed again: severities go back. */
  policy.severity[BYLINE_CHECK_MISSPELLING] = BYLINE_CHECK_WARNING;
  policy.severity[BYLINE_CHECK_SKIPPED_HEADING] = BYLINE_CHECK_BLOCKING;
  g_assert_true (byline_check_policy_save (f->store, f->account_id, &policy, &error));
  g_clear_pointer (&findings, g_ptr_array_unref);
  findings = run_check (f->check, draft, f->account_id, BYLINE_CHECK_RUN_LOCAL);
  g_assert_cmpint (find (findings, BYLINE_CHECK_MISSPELLING, "Brusels")->severity, ==,
                   BYLINE_CHECK_WARNING);
  g_assert_cmpint (find (findings, BYLINE_CHECK_SKIPPED_HEADING, NULL)->severity, ==,
                   BYLINE_CHECK_BLOCKING);
}

static void
test_override (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "en_US",
                                             "Kerry at the summit", "", "News",
                                             "Ministers met in Brusels.\n");
  g_autoptr(GPtrArray) findings = run_check (f->check, draft, f->account_id,
                                             BYLINE_CHECK_RUN_LOCAL);
  g_autoptr(GPtrArray) overrides = NULL;
  g_autoptr(GError) error = NULL;
  BylineCheckOverride *override;
  gint64 before = g_get_real_time ();

  g_assert_true (byline_findings_block (findings));

  /* No reason, no override. */
  g_assert_false (byline_prepublish_check_record_override (f->check, byline_draft_get_id (draft),
                                                           f->account_id, "", findings, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_assert_nonnull (strstr (error->message, "reason"));
  g_clear_error (&error);
  g_assert_false (byline_prepublish_check_record_override (f->check, byline_draft_get_id (draft),
                                                           f->account_id, " \n ", findings,
                                                           &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  overrides = byline_prepublish_check_list_overrides (f->check, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overrides->len, ==, 0);
  g_clear_pointer (&overrides, g_ptr_array_unref);

  g_assert_true (byline_prepublish_check_record_override (f->check, byline_draft_get_id (draft),
                                                          f->account_id,
                                                          " The desk approved it by phone. ",
                                                          findings, &error));
  g_assert_no_error (error);

  /* Kept with the draft's history, across a restart. */
  byline_store_close (f->store, &error);
  g_clear_object (&f->check);
  g_clear_object (&f->store);
  f->store = byline_store_open (f->store_path, &error);
  g_assert_no_error (error);
  f->check = byline_prepublish_check_new (f->store, f->links);
  overrides = byline_prepublish_check_list_overrides (f->check, byline_draft_get_id (draft),
                                                      &error);
  g_assert_no_error (error);
  g_assert_cmpuint (overrides->len, ==, 1);
  override = g_ptr_array_index (overrides, 0);
  g_assert_cmpint (override->draft_id, ==, byline_draft_get_id (draft));
  g_assert_cmpint (override->account_id, ==, f->account_id);
  g_assert_cmpint (override->created_at, >=, before);
  g_assert_cmpint (override->created_at, <=, g_get_real_time ());
  g_assert_cmpstr (override->reason, ==, "The desk approved it by phone.");
  /* The blocking finding, as a person reads it; not the misspelling, a warning. */
  g_assert_cmpstr (override->findings, ==, "excerpt: missing-field: The site requires an excerpt.");
  g_clear_pointer (&overrides, g_ptr_array_unref);

  /* Another draft's list is empty; all drafts' has the one. */
  overrides = byline_prepublish_check_list_overrides (f->check, byline_draft_get_id (draft) + 1,
                                                      &error);
  g_assert_cmpuint (overrides->len, ==, 0);
  g_clear_pointer (&overrides, g_ptr_array_unref);
  overrides = byline_prepublish_check_list_overrides (f->check, 0, &error);
  g_assert_cmpuint (overrides->len, ==, 1);

  /* A draft that is not in the store has no history to keep it in. */
  g_assert_false (byline_prepublish_check_record_override (f->check, 9999, f->account_id,
                                                           "Because.", findings, &error));
  g_assert_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND);
}

static WpFaultResponse *
redirect_to (const char *location)
{
  WpFaultResponse *response = wp_fault_response_new (301, NULL, NULL);

  wp_fault_response_add_header (response, "Location", location);
  return response;
}

/* Links against a server on loopback: found, gone, failing, redirected; the site's own. */
static void
test_links (Fixture       *f,
            gconstpointer  data)
{
  const char *url = wp_fault_server_get_url (f->server);
  g_autofree char *body = g_strdup_printf (
    "Read [the story](%s/story) and [the old one](%s/gone).\n"
    "\n"
    "![A chart](%s/broken.png)\n"
    "\n"
    "<a href=\"%s/error\">Failing</a>, [moved](%s/old), [about us](/gone-too).\n"
    "\n"
    "[Nowhere](https://) and [mail](mailto:desk@example.org).\n",
    url, url, url, url, url);
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "en_US",
                                             "Kerry at the summit", "An excerpt.", "News", body);
  g_autoptr(GPtrArray) findings = NULL;
  g_autofree char *all = NULL;
  g_autofree char *gone = g_strconcat (url, "/gone", NULL);
  g_autofree char *broken = g_strconcat (url, "/broken.png", NULL);
  g_autofree char *error_url = g_strconcat (url, "/error", NULL);
  g_autofree char *old = g_strconcat (url, "/old", NULL);
  g_autofree char *gone_too = g_strconcat (url, "/gone-too", NULL);
  BylineFinding *finding;

  wp_fault_server_add (f->server, "/story", wp_fault_response_new (200, "text/html", "<p>Hi</p>"));
  wp_fault_server_add (f->server, "/gone", wp_fault_response_new (404, "text/html", "Gone"));
  wp_fault_server_add (f->server, "/gone-too", wp_fault_response_new (404, "text/html", "Gone"));
  wp_fault_server_add (f->server, "/broken.png", wp_fault_response_new (404, NULL, NULL));
  wp_fault_server_add (f->server, "/error", wp_fault_response_new (500, "text/html", "Oops"));
  wp_fault_server_add (f->server, "/old", redirect_to ("/story"));

  /* Local only: no request at all. */
  findings = run_check (f->check, draft, f->account_id, BYLINE_CHECK_RUN_LOCAL);
  g_assert_cmpuint (findings->len, ==, 0);
  g_assert_cmpuint (wp_fault_server_get_n_requests (f->server), ==, 0);
  g_clear_pointer (&findings, g_ptr_array_unref);

  findings = run_check (f->check, draft, f->account_id, BYLINE_CHECK_RUN_LINKS);
  all = describe (findings);
  g_test_message ("Findings:\n%s", all);
  assert_finding (findings, BYLINE_CHECK_BROKEN_LINK, gone, BYLINE_CHECK_FIELD_BODY,
                  BYLINE_CHECK_BLOCKING, 1, strlen (url) + 44, body, gone);
  finding = assert_finding (findings, BYLINE_CHECK_BROKEN_LINK, broken, BYLINE_CHECK_FIELD_BODY,
                            BYLINE_CHECK_BLOCKING, 3, 12, body, broken);
  g_assert_nonnull (strstr (finding->message, "404"));
  assert_finding (findings, BYLINE_CHECK_BROKEN_LINK, error_url, BYLINE_CHECK_FIELD_BODY,
                  BYLINE_CHECK_BLOCKING, 5, 10, body, error_url);
  /* Redirected: where it lands, as a warning. */
  finding = assert_finding (findings, BYLINE_CHECK_BROKEN_LINK, old, BYLINE_CHECK_FIELD_BODY,
                            BYLINE_CHECK_WARNING, 5, strlen (url) + 39, body, old);
  g_assert_nonnull (strstr (finding->message, "/story"));
  /* The site's own page, linked without its address. */
  assert_finding (findings, BYLINE_CHECK_BROKEN_LINK, gone_too, BYLINE_CHECK_FIELD_BODY,
                  BYLINE_CHECK_BLOCKING, 5, 2 * strlen (url) + 57, body, "/gone-too");
  /* An address that leads nowhere, without asking; not an e-mail address. */
  finding = assert_finding (findings, BYLINE_CHECK_BROKEN_LINK, "https://",
                            BYLINE_CHECK_FIELD_BODY, BYLINE_CHECK_BLOCKING, 7, 11, body,
                            "https://");
  g_assert_nonnull (strstr (finding->message, "not a web address"));
  g_assert_cmpuint (findings->len, ==, 6);
  g_assert_true (byline_findings_block (findings));
  g_assert_cmpuint (wp_fault_server_count_requests (f->server, NULL, "/story"), >=, 1);
}

static void
cancel_cb (gpointer cancellable)
{
  g_cancellable_cancel (cancellable);
}

/* Closing the Publish window while a site does not answer: the run ends at once, cancelled. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *body = g_strdup_printf ("See [the slow page](%s/slow).\n",
                                           wp_fault_server_get_url (f->server));
  g_autoptr(BylineDraft) draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "en_US",
                                             "Kerry at the summit", "An excerpt.", "News", body);
  g_autoptr(WpFaultResponse) slow = wp_fault_response_new (200, "text/html", "Late");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  /* Slower than the checker's timeout (5 s here): only the cancel can end it sooner. */
  wp_fault_response_set_delay (slow, 8000);
  wp_fault_server_add (f->server, "/slow", g_steal_pointer (&slow));
  g_timeout_add_once (300, cancel_cb, cancellable);
  byline_prepublish_check_run_async (f->check, draft, f->account_id,
                                     BYLINE_CHECK_RUN_LOCAL | BYLINE_CHECK_RUN_LINKS, cancellable,
                                     byline_test_store_result_cb, &result);
  byline_test_wait_for_result (&result, 30, "the cancelled check");
  findings = byline_prepublish_check_run_finish (f->check, result, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (findings);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
}

/* Offline for real: the network namespace of this process has no network at all, and GIO's
 * netlink monitor says so. One warning, whatever the number of links; nothing blocks. */
static void
test_offline (void)
{
  if (g_test_subprocess ())
    {
      g_auto(Fixture) fixture = { 0 };
      Fixture *f = &fixture;
      g_autoptr(BylineDraft) draft = NULL;
      g_autoptr(GPtrArray) findings = NULL;
      g_autofree char *all = NULL;
      g_autofree char *line = NULL;
      BylineFinding *finding;

      BylineCheckPolicy policy;

      /* Before anything asks GIO for its network monitor, which then watches this namespace. */
      g_assert_cmpint (unshare (CLONE_NEWNET), ==, 0);
      g_setenv ("GIO_USE_NETWORK_MONITOR", "netlink", TRUE);
      g_assert_false (g_network_monitor_get_network_available (g_network_monitor_get_default ()));
      set_up_check (f, "https://example.org");

      /* Even a policy that blocks everything does not make this one block. */
      byline_check_policy_init_default (&policy);
      for (guint i = 0; i < BYLINE_CHECK_N_KINDS; i++)
        policy.severity[i] = BYLINE_CHECK_BLOCKING;
      g_assert_true (byline_check_policy_save (f->store, f->account_id, &policy, NULL));

      draft = make_draft (f, BYLINE_DRAFT_FORMAT_MARKDOWN, "en_US", "Kerry at the summit",
                          "An excerpt.", "News",
                          "See [one](https://example.org/a), [two](https://example.org/b) "
                          "and ![A chart](https://example.org/c.png).\n");
      findings = run_check (f->check, draft, f->account_id,
                            BYLINE_CHECK_RUN_LOCAL | BYLINE_CHECK_RUN_LINKS);
      all = describe (findings);
      g_test_message ("Findings:\n%s", all);
      g_assert_cmpuint (findings->len, ==, 1);
      finding = g_ptr_array_index (findings, 0);
      g_assert_cmpint (finding->kind, ==, BYLINE_CHECK_LINKS_NOT_CHECKED);
      g_assert_cmpint (finding->severity, ==, BYLINE_CHECK_WARNING);
      g_assert_cmpint (finding->field, ==, BYLINE_CHECK_FIELD_BODY);
      g_assert_cmpuint (finding->line, ==, 0);
      g_assert_false (byline_findings_block (findings));
      line = byline_finding_to_string (finding);
      g_assert_true (g_str_has_prefix (line, "body: links-not-checked: "));
      return;
    }

  if (geteuid () != 0)
    {
      g_test_skip ("Going offline for real needs a network namespace of one's own (root)");
      return;
    }
  g_test_trap_subprocess (NULL, 60 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
  g_test_trap_assert_passed ();
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);

#define ADD(path, func) \
  g_test_add ("/core/prepublish-check/" path, Fixture, NULL, fixture_set_up, func, \
              fixture_tear_down)
  ADD ("markdown-findings", test_markdown_findings);
  ADD ("html-findings", test_html_findings);
  ADD ("empty-body", test_empty_body);
  ADD ("spelling", test_spelling);
  ADD ("fields", test_fields);
  ADD ("policy", test_policy);
  ADD ("override", test_override);
  ADD ("links", test_links);
  ADD ("cancel", test_cancel);
#undef ADD
  g_test_add_func ("/core/prepublish-check/offline", test_offline);

  return g_test_run ();
}
