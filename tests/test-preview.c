/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-preview.c: the WebKit preview patches only what changed, keeps its scroll position, runs
 * no page script and never navigates. Needs a display (Xvfb). */

#include "config.h"

#include <gtk/gtk.h>
#include <webkit/webkit.h>

#include "byline-markdown.h"
#include "byline-preview.h"
#include "byline-test-util.h"
#include "spec-examples.h"

typedef struct {
  GtkWidget     *window;
  BylinePreview *preview;
  BylineDraft   *draft;
  char          *result;
  gboolean       done;
} Fixture;

static gboolean
is_idle (gpointer user_data)
{
  Fixture *fixture = user_data;

  return byline_preview_is_idle (fixture->preview);
}

static gboolean
is_busy (gpointer user_data)
{
  return !is_idle (user_data);
}

static void
wait_idle (Fixture *fixture)
{
  g_assert_true (byline_test_wait_until (is_idle, fixture, 20000));
}

static void
script_done_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  Fixture *fixture = user_data;
  g_autoptr(GError) error = NULL;

  fixture->result = byline_preview_run_script_finish (BYLINE_PREVIEW (object), result, &error);
  g_assert_no_error (error);
  fixture->done = TRUE;
}

static gboolean
script_done (gpointer user_data)
{
  return ((Fixture *) user_data)->done;
}

/* Runs @script in the preview's world and returns its result as a string. */
static char *
run (Fixture    *fixture,
     const char *script)
{
  fixture->done = FALSE;
  fixture->result = NULL;
  byline_preview_run_script (fixture->preview, script, NULL, script_done_cb, fixture);
  g_assert_true (byline_test_wait_until (script_done, fixture, 10000));
  return g_steal_pointer (&fixture->result);
}

/* Script that sets `same` to whether the article in the page is what the page makes of the
 * published HTML (base64 in @encoded) parsed in one piece, as the content of an element like the
 * one that holds the article; and `expected` and `actual` to both. */
static char *
same_as_published_script (const char *encoded)
{
  return g_strdup_printf ("var root = document.getElementById('byline-content');"
                          "var whole = document.createElement(root.localName);"
                          "whole.innerHTML = new TextDecoder().decode("
                          "  Uint8Array.from(atob('%s'), c => c.charCodeAt(0)));"
                          "var expected = whole.innerHTML, actual = root.innerHTML;"
                          "var same = expected === actual;",
                          encoded);
}

/* Whether the page's article is what parsing the whole published document at once would give. */
static void
assert_same_as_full_render (Fixture    *fixture,
                            const char *markdown)
{
  g_autofree char *expected = byline_markdown_render_html (markdown, -1);
  g_autofree char *encoded = g_base64_encode ((const guchar *) expected, strlen (expected));
  g_autofree char *compare = same_as_published_script (encoded);
  g_autofree char *script = g_strconcat (compare,
                                         "same ? 'true' : expected + '\\n---\\n' + actual",
                                         NULL);
  g_autofree char *same = run (fixture, script);

  g_assert_cmpstr (same, ==, "true");
}

static char *
long_document (guint paragraphs)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < paragraphs; i++)
    {
      if (i % 10 == 0)
        g_string_append_printf (text, "## Section %u\n\n", i / 10);
      g_string_append_printf (text, "Paragraph %u. The ministers met in Brussels to discuss "
                              "Afghanistan, Syria and the Alliance's partnerships, « après » "
                              "a long night of talks that ran well past midnight.\n\n", i);
    }
  return g_string_free (text, FALSE);
}

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  fixture->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), 800, 600);
  fixture->preview = BYLINE_PREVIEW (byline_preview_new ());
  gtk_window_set_child (GTK_WINDOW (fixture->window), GTK_WIDGET (fixture->preview));
  gtk_window_present (GTK_WINDOW (fixture->window));

  fixture->draft = byline_draft_new ();
  byline_draft_set_title (fixture->draft, "Kerry Attends NATO Meeting");
  byline_draft_set_author (fixture->draft, "David Siefkin");
  byline_preview_set_draft (fixture->preview, fixture->draft);
  wait_idle (fixture);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  g_clear_object (&fixture->draft);
}

static void
test_renders_article (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *title = NULL;
  g_autofree char *author = NULL;
  g_autofree char *date = NULL;
  g_autofree char *html = NULL;
  const char *body = "# Heading\n\n| a | b |\n|---|--:|\n| 1 | 2 |\n\n- [x] done\n\n~~old~~ « après »\n";

  byline_draft_set_body (fixture->draft, body);
  wait_idle (fixture);

  title = run (fixture, "document.getElementById('byline-title').textContent");
  g_assert_cmpstr (title, ==, "Kerry Attends NATO Meeting");
  author = run (fixture, "document.getElementById('byline-author').textContent");
  g_assert_cmpstr (author, ==, "David Siefkin");

  /* The intended publishing date, as the editor stores it, is the article's date. */
  byline_draft_set_publish_date (fixture->draft, "2030-01-02T09:30");
  wait_idle (fixture);
  date = run (fixture, "document.getElementById('byline-date').textContent");
  /* One space between the month and a one-digit day. */
  g_assert_cmpstr (date, ==, "January 2, 2030");

  /* The column's alignment is md4c's align="right" (WebKit's -webkit-right), which the
   * article's style must not undo. */
  html = run (fixture, "getComputedStyle(document.querySelector('#byline-content td:last-child'))"
              ".textAlign.replace('-webkit-', '') + '|' + "
              "document.querySelectorAll('#byline-content del').length + '|' + "
              "document.querySelectorAll('#byline-content input[type=checkbox]').length + '|' + "
              "document.querySelector('#byline-content h1').textContent");
  g_assert_cmpstr (html, ==, "right|1|1|Heading");

  /* What the patches built is what a whole render gives. */
  assert_same_as_full_render (fixture, body);
}

/* An edit in the middle replaces that block only: the nodes around it are the same objects. */
static void
test_patches_only_changed_blocks (Fixture       *fixture,
                                  gconstpointer  data)
{
  g_autofree char *text = long_document (200);
  g_autoptr(GString) edited = NULL;
  g_autofree char *marks = NULL;
  g_autofree char *html = NULL;
  char *middle;

  byline_draft_set_body (fixture->draft, text);
  wait_idle (fixture);

  /* Mark the first and the last block's nodes with a property only JavaScript objects keep. */
  g_free (run (fixture, "var c = document.getElementById('byline-content');"
               "c.firstElementChild.bylineMark = 'first';"
               "c.lastElementChild.bylineMark = 'last';"
               "c.children[100].bylineMark = 'edited'; 0"));

  edited = g_string_new (text);
  middle = strstr (edited->str, "Paragraph 90.");
  g_assert_nonnull (middle);
  g_string_insert (edited, middle - edited->str + strlen ("Paragraph 90."), " **Breaking:**");
  byline_draft_set_body (fixture->draft, edited->str);
  wait_idle (fixture);

  marks = run (fixture, "var d = document.getElementById('byline-content');"
               "d.firstElementChild.bylineMark + ',' + d.lastElementChild.bylineMark + ',' +"
               "d.querySelectorAll('strong').length");
  g_assert_cmpstr (marks, ==, "first,last,1");

  assert_same_as_full_render (fixture, edited->str);

  /* Deleting everything empties the page; typing again fills it. */
  byline_draft_set_body (fixture->draft, "");
  wait_idle (fixture);
  html = run (fixture, "document.getElementById('byline-content').childNodes.length");
  g_assert_cmpstr (html, ==, "0");
}

static void
test_keeps_scroll_position (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *text = long_document (300);
  g_autoptr(GString) edited = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  char *where;

  byline_draft_set_body (fixture->draft, text);
  wait_idle (fixture);
  g_free (run (fixture, "window.scrollTo(0, 5000); 0"));
  before = run (fixture, "window.scrollY");
  g_assert_cmpstr (before, ==, "5000");

  /* Edit a paragraph far below the viewport, then one above it: the view does not move. */
  edited = g_string_new (text);
  where = strstr (edited->str, "Paragraph 250.");
  g_string_insert (edited, where - edited->str, "Update: ");
  byline_draft_set_body (fixture->draft, edited->str);
  wait_idle (fixture);
  after = run (fixture, "window.scrollY");
  g_assert_cmpstr (after, ==, before);

  /* Revealing the line of a block on screen does not scroll either. Every block of
   * long_document () is two source lines, so block k starts on line 2k. */
  g_free (after);
  after = run (fixture, "var y0 = window.scrollY; "
               "var topBlock = document.elementFromPoint(200, 100).closest('#byline-content > *');"
               "var k = Array.prototype.indexOf.call(topBlock.parentNode.children, topBlock);"
               "String(byline.revealLine(2 * k) === y0)");
  g_assert_cmpstr (after, ==, "true");

  /* Revealing a line far away brings its block into view. */
  byline_preview_reveal_line (fixture->preview, 2);
  wait_idle (fixture);
  g_free (after);
  after = run (fixture, "String(window.scrollY < 5000)");
  g_assert_cmpstr (after, ==, "true");
}

/* A draft's HTML can contain anything: none of its script runs, and it cannot navigate. */
static void
test_no_script_no_navigation (Fixture       *fixture,
                              gconstpointer  data)
{
  g_autofree char *title = NULL;
  g_autofree char *marker = NULL;
  const char *uri;

  byline_draft_set_body (fixture->draft,
                         "<script>document.title = 'pwned'; window.pwned = 1;</script>\n\n"
                         "<img src=\"x\" onerror=\"document.title = 'pwned'\">\n\n"
                         "<meta http-equiv=\"refresh\" content=\"0; url=https://example.invalid/\">\n\n"
                         "[a link](https://example.invalid/) and <a id=\"l\" href=\"https://example.invalid/\">another</a>\n");
  wait_idle (fixture);
  /* Give an onerror handler time to fire, were it allowed to. */
  for (int i = 0; i < 50; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }

  title = run (fixture, "document.title");
  g_assert_cmpstr (title, !=, "pwned");
  g_assert_cmpstr (title, ==, "Kerry Attends NATO Meeting");

  /* A click that is not the user's is refused and opens nothing. */
  g_free (run (fixture, "document.getElementById('l').click(); location.href = 'https://example.invalid/'; 0"));
  for (int i = 0; i < 200; i++)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
  uri = webkit_web_view_get_uri (WEBKIT_WEB_VIEW (byline_preview_get_web_view (fixture->preview)));
  g_assert_cmpstr (uri, ==, "about:blank");
  marker = run (fixture, "document.getElementById('byline-content') ? 'still here' : 'gone'");
  g_assert_cmpstr (marker, ==, "still here");
}

/* A crashed or killed web process: the preview loads the page again and shows the whole draft. */
static void
test_survives_web_process_end (Fixture       *fixture,
                               gconstpointer  data)
{
  const char *body = "Before the crash.\n\nAnd *after* it.\n";
  WebKitWebView *web_view = WEBKIT_WEB_VIEW (byline_preview_get_web_view (fixture->preview));
  g_autofree char *text = NULL;

  byline_draft_set_body (fixture->draft, body);
  wait_idle (fixture);
  g_test_expect_message ("byline-preview", G_LOG_LEVEL_WARNING, "*web process ended*");
  webkit_web_view_terminate_web_process (web_view);
  /* First the preview notices the end and reloads, then it is idle again. */
  g_assert_true (byline_test_wait_until (is_busy, fixture, 10000));
  wait_idle (fixture);
  g_test_assert_expected_messages ();

  text = run (fixture, "document.getElementById('byline-title').textContent + '|' + "
              "document.querySelector('#byline-content em').textContent");
  g_assert_cmpstr (text, ==, "Kerry Attends NATO Meeting|after");
  assert_same_as_full_render (fixture, body);
}

static gboolean
image_loaded (gpointer user_data)
{
  Fixture *fixture = user_data;
  g_autofree char *state = run (fixture, "var i = document.querySelector('#byline-content img');"
                                "i && i.complete ? String (i.naturalWidth) : 'loading'");

  return g_strcmp0 (state, "loading") != 0;
}

/* An image still being uploaded shows at once, from the copy kept in the uploads folder, through
 * byline-upload: (never file://); a name that is not a plain file of that folder shows nothing. */
static void
test_shows_local_upload (Fixture       *fixture,
                         gconstpointer  data)
{
  /* A 3×2 PNG, whole: a broken one shows its size but fails to draw, now and then. */
  static const char png[] =
    "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR42mM4YaMBQQxwFgBKJAcJwugnqwAAAABJRU5ErkJggg==";
  g_autofree char *dir = byline_test_make_tmpdir ("preview-uploads");
  g_autofree char *path = g_build_filename (dir, "0a1b2c3d-e4f5.png", NULL);
  g_autofree char *outside = g_build_filename (dir, "..", "secret.png", NULL);
  g_autofree guchar *bytes = NULL;
  g_autofree char *width = NULL;
  g_autofree char *refused = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;

  bytes = g_base64_decode (png, &length);
  g_assert_true (g_file_set_contents (path, (const char *) bytes, length, &error));
  g_assert_true (g_file_set_contents (outside, (const char *) bytes, length, &error));
  g_assert_no_error (error);
  byline_preview_set_uploads_dir (dir);

  byline_draft_set_body (fixture->draft, "![A heron](byline-upload:0a1b2c3d-e4f5.png)\n");
  wait_idle (fixture);
  g_assert_true (byline_test_wait_until (image_loaded, fixture, 10000));
  width = run (fixture, "String (document.querySelector('#byline-content img').naturalWidth)");
  g_assert_cmpstr (width, ==, "3");

  byline_draft_set_body (fixture->draft, "![Not ours](byline-upload:../secret.png)\n");
  wait_idle (fixture);
  g_assert_true (byline_test_wait_until (image_loaded, fixture, 10000));
  refused = run (fixture, "String (document.querySelector('#byline-content img').naturalWidth)");
  g_assert_cmpstr (refused, ==, "0");
  byline_preview_set_uploads_dir (NULL);
}

/* Raw HTML whose elements span blank lines, and so several Markdown blocks. */
static const char *const across_blocks[] = {
  "<div class=\"note\">\n\n*Inside* the note.\n\nSecond paragraph.\n\n</div>\n\nAfter.\n",
  "<details>\n<summary>More</summary>\n\nHidden **text**.\n\n- a list\n\n</details>\n\nOut.\n",
  "<!-- a comment\n\nover blank lines\n\n-->\n\nVisible.\n",
  "<div>\n<!--\n\n*not* Markdown\n\n<div>\n-->\n</div>\n\nz\n",
  "Some <em>open emphasis\n\nin the next paragraph too.\n\n# And a heading\n",
  "<table>\n<tr>\n\n<td>*cell*</td>\n\n</tr>\n</table>\n\nBelow.\n",
  "<div title=\"a\n\nb\">x</div>\n\ny\n",
  "<tr><td>a row, alone</td></tr>\n\nText\n",
  "<p>a <div>b</p>\n\nc\n\n</div>\n\nd\n",
  "<span>open\n\nstill open?</span>\n\nno\n",
  "<svg width=\"10\" height=\"10\">\n\n<circle r=\"3\"/>\n\n</svg>\n\nafter\n",
  "<textarea>\n\n*x*\n\n</textarea>\n\nafter\n",
  "<ul>\n<li>one\n\n<li>two\n\n</ul>\n\n- three\n",
  "<b>bold\n\n<i>both\n\n</b>italic\n\n</i>plain\n",
  "<div>\n\n<div>\n\ninner\n\n</div>\n\nouter\n\n</div>\n\n> quote\n",
  "text <a href=\"https://example.invalid/\">link\n\nstill link</a>\n",
  "<form>\n\n<div>\n\n</form>\n\nin the div\n\n</div>\n",
  "<script type=\"text/plain\">\nlet a = '\n\n</div>';\n</script>\n\nText\n",
};

/* Such HTML reads in the preview as in the published page, also after edits inside, before and
 * after it. */
static void
test_html_across_blocks (Fixture       *fixture,
                         gconstpointer  data)
{
  static const char *const edits[] = {
    /* The note's paragraphs edited, its end removed and put back, a second note opened. */
    "<div class=\"note\">\n\n*Inside* the note, edited.\n\nSecond paragraph.\n\n</div>\n\nAfter.\n",
    "<div class=\"note\">\n\n*Inside* the note, edited.\n\nSecond paragraph.\n\nAfter.\n",
    "<div class=\"note\">\n\n*Inside* the note, edited.\n\nSecond paragraph.\n\n</div>\n\nAfter.\n",
    "Before.\n\n<div class=\"note\">\n\n*Inside* the note, edited.\n\nSecond.\n\n</div>\n\n"
    "<div>\n\nAfter.\n",
    "Before.\n\n<div class=\"note\">\n\n*Inside* the note, edited.\n\nSecond.\n\n</div>\n\n"
    "<div>\n\nAfter.\n\n</div>\n",
  };
  g_autofree char *inside = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (across_blocks); i++)
    {
      g_test_message ("document %u", i);
      byline_draft_set_body (fixture->draft, across_blocks[i]);
      wait_idle (fixture);
      assert_same_as_full_render (fixture, across_blocks[i]);
    }

  byline_draft_set_body (fixture->draft, across_blocks[0]);
  wait_idle (fixture);
  /* The Markdown between <div> and </div> is inside the note, as on the published page. */
  inside = run (fixture, "document.querySelectorAll('#byline-content div.note > p').length + '|' + "
                "document.querySelector('#byline-content div.note em').textContent");
  g_assert_cmpstr (inside, ==, "2|Inside");

  for (guint i = 0; i < G_N_ELEMENTS (edits); i++)
    {
      g_test_message ("edit %u", i);
      byline_draft_set_body (fixture->draft, edits[i]);
      wait_idle (fixture);
      assert_same_as_full_render (fixture, edits[i]);
    }
}

/* Every spec example (../shared/data/markdown-spec) reads in the preview as it is published. */
static void
test_spec_examples (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) examples = spec_examples_load (&error);
  g_autoptr(WebKitNetworkProxySettings) proxy = NULL;
  WebKitWebView *web_view;
  guint differ = 0;

  g_assert_no_error (error);

  /* Some examples link to or show images of real sites: nothing leaves this machine (a proxy
   * on a closed port of loopback refuses every load). */
  web_view = WEBKIT_WEB_VIEW (byline_preview_get_web_view (fixture->preview));
  proxy = webkit_network_proxy_settings_new ("http://127.0.0.1:9", NULL);
  webkit_network_session_set_proxy_settings (webkit_web_view_get_network_session (web_view),
                                             WEBKIT_NETWORK_PROXY_MODE_CUSTOM, proxy);

  for (guint i = 0; i < examples->len; i++)
    {
      const SpecExample *example = &g_array_index (examples, SpecExample, i);
      g_autofree char *published = byline_markdown_render_html (example->markdown, -1);
      g_autofree char *encoded = g_base64_encode ((const guchar *) published, strlen (published));
      g_autofree char *compare = same_as_published_script (encoded);
      g_autofree char *script = NULL;
      g_autofree char *same = NULL;

      script = g_strconcat (compare, "same ? 'true' : expected + '\\n---\\n' + actual", NULL);
      byline_draft_set_body (fixture->draft, example->markdown);
      wait_idle (fixture);
      same = run (fixture, script);
      if (!g_str_equal (same, "true") && differ++ < 10)
        g_test_message ("%s example %" G_GINT64_FORMAT " reads differently in the preview:\n%s",
                        example->suite, example->number, same);
    }

  g_test_message ("%u of %u spec examples read differently in the preview than published",
                  differ, examples->len);
  g_assert_cmpuint (differ, ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  byline_test_init (&argc, &argv);
  gtk_init ();

  g_test_add ("/preview/renders-article", Fixture, NULL, fixture_set_up, test_renders_article,
              fixture_tear_down);
  g_test_add ("/preview/patches-only-changed-blocks", Fixture, NULL, fixture_set_up,
              test_patches_only_changed_blocks, fixture_tear_down);
  g_test_add ("/preview/keeps-scroll-position", Fixture, NULL, fixture_set_up,
              test_keeps_scroll_position, fixture_tear_down);
  g_test_add ("/preview/survives-web-process-end", Fixture, NULL, fixture_set_up,
              test_survives_web_process_end, fixture_tear_down);
  g_test_add ("/preview/no-script-no-navigation", Fixture, NULL, fixture_set_up,
              test_no_script_no_navigation, fixture_tear_down);
  g_test_add ("/preview/shows-local-upload", Fixture, NULL, fixture_set_up,
              test_shows_local_upload, fixture_tear_down);
  g_test_add ("/preview/html-across-blocks", Fixture, NULL, fixture_set_up,
              test_html_across_blocks, fixture_tear_down);
  g_test_add ("/preview/spec-examples", Fixture, NULL, fixture_set_up, test_spec_examples,
              fixture_tear_down);

  return g_test_run ();
}
