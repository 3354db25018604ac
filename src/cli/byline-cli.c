/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-cli.c: byline-cli, the command line over Byline's core, for scripts and provisioning.
 *
 * Exit codes, so that scripts can act on them: 0 done, 1 failed, 2 wrong usage, 3 refused by the
 * site (sign-in or rights), 4 the site could not be reached (kept, to be sent again later), 5 the
 * post changed on the site meanwhile (nothing was overwritten), 6 the pre-publish check found
 * something that stops the post (nothing was sent; "publish --override REASON" sends it anyway).
 * With several comments, the code is the one a script most needs to act on: 4 (some decisions
 * wait to be sent) before 2, 3, 5 and 1. */

#define G_LOG_DOMAIN "byline-cli"

#include "config.h"

#include <errno.h>
#include <gio/gunixoutputstream.h>
#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "byline-accounts.h"
#include "byline-comment-store.h"
#include "byline-comment-sync.h"
#include "byline-date.h"
#include "byline-import.h"
#include "byline-moderation-log.h"
#include "byline-moderation-reasons.h"
#include "byline-moderator.h"
#include "byline-post-changes.h"
#include "byline-prepublish-check.h"
#include "byline-publisher.h"
#include "byline-store.h"
#include "byline-wp-client.h"

enum {
  EXIT_DONE = 0,
  EXIT_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_REFUSED = 3,
  EXIT_UNREACHABLE = 4,
  EXIT_CONFLICT = 5,
  EXIT_BLOCKED = 6,
};

typedef struct {
  BylineStore    *store;
  BylineAccounts *accounts;
} Cli;

typedef int (*CommandFunc) (Cli *cli, int argc, char **argv);

static int
fail (int         status,
      const char *format,
      ...) G_GNUC_PRINTF (2, 3);

static int
fail (int         status,
      const char *format,
      ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_printerr ("byline-cli: %s\n", message);
  return status;
}

/* Parses @entries out of argv (after the command words), leaving the positional arguments. */
static gboolean
parse_options (const char    *usage,
               const char    *summary,
               GOptionEntry  *entries,
               int           *argc,
               char        ***argv,
               int           *status)
{
  g_autoptr(GOptionContext) context = g_option_context_new (usage);
  g_autoptr(GError) error = NULL;

  g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      *status = fail (EXIT_USAGE, "%s", error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_id (const char *text,
          gint64     *id)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, G_MAXINT64, &value, NULL))
    return FALSE;
  *id = (gint64) value;
  return TRUE;
}

/* The exit code for a failure talking to a site. */
static int
status_for_error (const GError *error)
{
  if (g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_CREDENTIALS)
      || g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_FORBIDDEN))
    return EXIT_REFUSED;
  if (error->domain == BYLINE_WP_ERROR && byline_wp_error_is_retryable (error))
    return EXIT_UNREACHABLE;
  return EXIT_FAILED;
}

/* Runs the main loop until *@result is set by an async callback. */
static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* The password, from the standard input when it is not a terminal (one line), or asked for on
 * the terminal without echo. Never from an argument: those show in `ps` and shell histories. */
static char *
read_password (const char *prompt)
{
  g_autoptr(GString) line = g_string_new (NULL);
  struct termios saved, quiet;
  gboolean terminal = isatty (STDIN_FILENO);
  int c;

  if (terminal)
    {
      fprintf (stderr, "%s", prompt);
      fflush (stderr);
      tcgetattr (STDIN_FILENO, &saved);
      quiet = saved;
      quiet.c_lflag &= ~(tcflag_t) ECHO;
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet);
    }
  while ((c = getchar ()) != EOF && c != '\n')
    g_string_append_c (line, (char) c);
  if (terminal)
    {
      tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
      fputc ('\n', stderr);
    }
  g_strstrip (line->str);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* accounts add SITE --user NAME */
static int
accounts_add (Cli   *cli,
              int    argc,
              char **argv)
{
  g_autofree char *user = NULL;
  GOptionEntry entries[] = {
    { "user", 'u', 0, G_OPTION_ARG_STRING, &user, N_("Sign in as NAME"), N_("NAME") },
    { NULL },
  };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineWpSite) site = NULL;
  g_autoptr(BylineWpUser) me = NULL;
  g_autoptr(BylineWpClient) client = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *password = NULL;
  g_autofree char *label = NULL;
  BylineAccountCapabilities caps = 0;
  int status;

  if (!parse_options (_("SITE"), _("Sign in to a WordPress site with an Application Password, read "
                                   "from the standard input or asked for on the terminal."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 2 || user == NULL || *user == '\0')
    return fail (EXIT_USAGE, _("Give the site’s address and --user NAME."));

  password = read_password (_("Application password: "));
  if (*password == '\0')
    return fail (EXIT_USAGE, _("No password was given on the standard input."));

  byline_wp_client_discover_async (argv[1], NULL, store_result_cb, &result);
  wait_for (&result);
  site = byline_wp_client_discover_finish (result, &error);
  if (site == NULL)
    return fail (status_for_error (error), "%s", error->message);

  client = byline_wp_client_new (site->api_root, user, password);
  if (byline_wp_client_is_insecure (client))
    g_printerr (_("Warning: %s uses plain http; the password crosses the network readable by "
                  "others.\n"), site->url);

  g_clear_object (&result);
  byline_wp_client_get_me_async (client, NULL, store_result_cb, &result);
  wait_for (&result);
  me = byline_wp_client_get_me_finish (client, result, &error);
  if (me == NULL)
    return fail (status_for_error (error), "%s", error->message);

  caps |= me->edit_posts ? BYLINE_ACCOUNT_CAN_EDIT_POSTS : 0;
  caps |= me->publish_posts ? BYLINE_ACCOUNT_CAN_PUBLISH : 0;
  caps |= me->upload_files ? BYLINE_ACCOUNT_CAN_UPLOAD : 0;
  caps |= me->moderate_comments ? BYLINE_ACCOUNT_CAN_MODERATE : 0;
  caps |= me->manage_categories ? BYLINE_ACCOUNT_CAN_MANAGE_CATEGORIES : 0;
  account = byline_account_new (site->home ? site->home : site->url, site->api_root, user);
  byline_account_set_display_name (account, me->name);
  byline_account_set_site_name (account, site->name);
  byline_account_set_capabilities (account, caps);
  byline_account_set_timezone (account, site->timezone_string, site->gmt_offset);
  if (!byline_accounts_add (cli->accounts, account, password, &error))
    return fail (EXIT_FAILED, "%s", error->message);

  label = byline_account_dup_label (account);
  g_print (_("Signed in: %s (account %lld).\n"), label,
           (long long) byline_account_get_id (account));
  return EXIT_DONE;
}

/* accounts list */
static int
accounts_list (Cli   *cli,
               int    argc,
               char **argv)
{
  g_autoptr(GPtrArray) accounts = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!parse_options ("", _("List the WordPress accounts Byline signs in to."), NULL, &argc, &argv,
                      &status))
    return status;

  accounts = byline_accounts_list (cli->accounts, &error);
  if (accounts == NULL)
    return fail (EXIT_FAILED, "%s", error->message);
  for (guint i = 0; i < accounts->len; i++)
    {
      BylineAccount *account = g_ptr_array_index (accounts, i);
      g_autofree char *label = byline_account_dup_label (account);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\n", byline_account_get_id (account),
               byline_account_get_username (account), byline_account_get_site_url (account), label);
    }
  return EXIT_DONE;
}

/* accounts remove ID */
static int
accounts_remove (Cli   *cli,
                 int    argc,
                 char **argv)
{
  g_autoptr(GError) error = NULL;
  gint64 id;
  int status;

  if (!parse_options (_("ID"), _("Forget an account and remove its password from the keyring."),
                      NULL, &argc, &argv, &status))
    return status;
  if (argc != 2 || !parse_id (argv[1], &id))
    return fail (EXIT_USAGE, _("Give the number of one account (see “accounts list”)."));

  if (!byline_accounts_remove (cli->accounts, id, &error))
    return fail (EXIT_FAILED, "%s", error->message);
  g_print (_("Removed account %lld.\n"), (long long) id);
  return EXIT_DONE;
}

/* drafts list */
static int
drafts_list (Cli   *cli,
             int    argc,
             char **argv)
{
  g_autoptr(GPtrArray) drafts = NULL;
  g_autoptr(GError) error = NULL;
  int status;

  if (!parse_options ("", _("List the local drafts, newest first."), NULL, &argc, &argv, &status))
    return status;

  drafts = byline_store_list_drafts (cli->store, &error);
  if (drafts == NULL)
    return fail (EXIT_FAILED, "%s", error->message);
  for (guint i = 0; i < drafts->len; i++)
    {
      BylineDraft *draft = g_ptr_array_index (drafts, i);
      g_autofree char *title = byline_draft_dup_display_title (draft);
      g_autoptr(GDateTime) modified = g_date_time_new_from_unix_local (
        byline_draft_get_modified_at (draft) / G_USEC_PER_SEC);
      g_autofree char *when = g_date_time_format (modified, "%Y-%m-%d %H:%M");

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\n", byline_draft_get_id (draft), when, title);
    }
  return EXIT_DONE;
}

/* drafts export ID [--output FILE] */
static int
drafts_export (Cli   *cli,
               int    argc,
               char **argv)
{
  g_autofree char *output = NULL;
  GOptionEntry entries[] = {
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE instead of the standard output"), N_("FILE") },
    { NULL },
  };
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gint64 id;
  int status;

  if (!parse_options (_("ID"), _("Write a draft out as Markdown (or HTML), its title first."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 2 || !parse_id (argv[1], &id))
    return fail (EXIT_USAGE, _("Give the number of one draft (see “drafts list”)."));

  draft = byline_store_load_draft (cli->store, id, &error);
  if (draft == NULL)
    return fail (EXIT_FAILED, "%s", error->message);

  if (byline_draft_get_format (draft) == BYLINE_DRAFT_FORMAT_MARKDOWN
      && *byline_draft_get_title (draft) != '\0')
    text = g_strdup_printf ("# %s\n\n%s", byline_draft_get_title (draft),
                            byline_draft_get_body (draft));
  else
    text = g_strdup (byline_draft_get_body (draft));

  if (output == NULL)
    {
      fputs (text, stdout);
      return fflush (stdout) == 0 ? EXIT_DONE : fail (EXIT_FAILED, "%s", g_strerror (errno));
    }
  if (!g_file_set_contents (output, text, -1, &error))
    return fail (EXIT_FAILED, "%s", error->message);
  return EXIT_DONE;
}

/* drafts import FILE */
static int
drafts_import (Cli   *cli,
               int    argc,
               char **argv)
{
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GError) error = NULL;
  gboolean already_there;
  int status;

  if (!parse_options (_("FILE"), _("Make a draft of a Markdown or HTML file (once: importing it "
                                   "again finds the same draft)."), NULL, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Give one file."));

  file = g_file_new_for_commandline_arg (argv[1]);
  draft = byline_import_file (cli->store, file, &already_there, &error);
  if (draft == NULL)
    return fail (EXIT_FAILED, "%s", error->message);
  g_print ("%" G_GINT64_FORMAT "\n", byline_draft_get_id (draft));
  return EXIT_DONE;
}

/* The account named by --account, or the only one there is. */
static BylineAccount *
pick_account (Cli     *cli,
              gint64   id,
              GError **error)
{
  g_autoptr(GPtrArray) accounts = NULL;

  if (id > 0)
    return byline_accounts_load (cli->accounts, id, error);

  accounts = byline_accounts_list (cli->accounts, error);
  if (accounts == NULL)
    return NULL;
  if (accounts->len != 1)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                           accounts->len == 0
                           ? _("There is no account yet: sign in with “accounts add” first.")
                           : _("There are several accounts: choose one with --account ID."));
      return NULL;
    }
  return g_object_ref (g_ptr_array_index (accounts, 0));
}

static BylineWpClient *
client_for (Cli            *cli,
            BylineAccount  *account,
            GError        **error)
{
  g_autofree char *password = byline_accounts_lookup_password (cli->accounts, account, error);

  if (password == NULL)
    return NULL;
  return byline_wp_client_new (byline_account_get_api_root (account),
                               byline_account_get_username (account), password);
}

/* posts list [--account ID] [--status S,...] [--search TEXT] [--page N] */
static int
posts_list (Cli   *cli,
            int    argc,
            char **argv)
{
  gint64 account_id = 0;
  g_autofree char *statuses = NULL;
  g_autofree char *search = NULL;
  int page = 1;
  GOptionEntry entries[] = {
    { "account", 'a', 0, G_OPTION_ARG_INT64, &account_id, N_("Use account ID"), N_("ID") },
    { "status", 's', 0, G_OPTION_ARG_STRING, &statuses,
      N_("Only posts in these statuses (publish, future, draft, pending, private; comma-separated)"),
      N_("STATUS") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search, N_("Only posts that contain TEXT"), N_("TEXT") },
    { "page", 'p', 0, G_OPTION_ARG_INT, &page, N_("Page N of the results (100 a page)"), N_("N") },
    { NULL },
  };
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(BylineWpClient) client = NULL;
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) status_list = NULL;
  int status;

  if (!parse_options ("", _("List the posts of a site, newest first: id, status, date, title."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 1 || page < 1)
    return fail (EXIT_USAGE, _("“posts list” takes options only."));

  if (!(account = pick_account (cli, account_id, &error))
      || !(client = client_for (cli, account, &error)))
    return fail (error->domain == G_OPTION_ERROR ? EXIT_USAGE : EXIT_FAILED, "%s", error->message);

  status_list = g_strsplit (statuses ? statuses : "publish,future,draft,pending,private", ",", -1);
  byline_wp_client_list_posts_async (client, (const char * const *) status_list, search, page, 100,
                                     NULL, NULL, store_result_cb, &result);
  wait_for (&result);
  posts = byline_wp_client_list_posts_finish (client, result, &info, &error);
  if (posts == NULL)
    return fail (status_for_error (error), "%s", error->message);

  for (guint i = 0; i < posts->len; i++)
    {
      BylineWpPost *post = g_ptr_array_index (posts, i);

      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\n", byline_wp_post_get_id (post),
               byline_wp_post_get_status (post), byline_wp_post_get_date (post),
               byline_wp_post_get_title (post));
    }
  if (info.total_pages > page)
    g_printerr (_("Page %d of %lld (%lld posts); see --page.\n"),
                page, (long long) info.total_pages, (long long) info.total);
  return EXIT_DONE;
}

/* The draft numbered @arg, or the one made of the file @arg (made now if need be). */
static BylineDraft *
open_draft (Cli         *cli,
            const char  *arg,
            GError     **error)
{
  g_autoptr(GFile) file = NULL;
  gint64 draft_id;

  if (parse_id (arg, &draft_id) && !g_file_test (arg, G_FILE_TEST_EXISTS))
    return byline_store_load_draft (cli->store, draft_id, error);
  file = g_file_new_for_commandline_arg (arg);
  return byline_import_file (cli->store, file, NULL, error);
}

/* The account named by --account, else the one the draft's post is on, else the only one there
 * is, or none (0) when there is none: the check then reads the draft with the default policy. */
static gboolean
pick_check_account (Cli          *cli,
                    BylineDraft  *draft,
                    gint64        id,
                    gint64       *account_id,
                    GError      **error)
{
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GPtrArray) accounts = NULL;

  *account_id = 0;
  if (id == 0)
    {
      g_autoptr(BylinePublisher) publisher = byline_publisher_new (cli->store, cli->accounts);
      g_auto(BylineRemotePost) remote = { 0 };

      if (byline_publisher_get_remote (publisher, byline_draft_get_id (draft), &remote))
        {
          *account_id = remote.account_id;
          return TRUE;
        }
      if (!(accounts = byline_accounts_list (cli->accounts, error)))
        return FALSE;
      if (accounts->len == 0)
        return TRUE;
    }
  if (!(account = pick_account (cli, id, error)))
    return FALSE;
  *account_id = byline_account_get_id (account);
  return TRUE;
}

/* The findings of the pre-publish check of @draft for @account_id, the links checked over the
 * network unless @local_only. */
static GPtrArray *
run_check (BylinePrepublishCheck  *check,
           BylineDraft            *draft,
           gint64                  account_id,
           gboolean                local_only,
           GError                **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  BylineCheckRunFlags flags = BYLINE_CHECK_RUN_LOCAL | (local_only ? 0 : BYLINE_CHECK_RUN_LINKS);

  byline_prepublish_check_run_async (check, draft, account_id, flags, NULL, store_result_cb,
                                     &result);
  wait_for (&result);
  return byline_prepublish_check_run_finish (check, result, error);
}

static guint
count_blocking (GPtrArray *findings)
{
  guint n = 0;

  for (guint i = 0; i < findings->len; i++)
    if (((BylineFinding *) g_ptr_array_index (findings, i))->severity == BYLINE_CHECK_BLOCKING)
      n++;
  return n;
}

static void
print_findings (FILE      *out,
                GPtrArray *findings)
{
  for (guint i = 0; i < findings->len; i++)
    {
      g_autofree char *line = byline_finding_to_string (g_ptr_array_index (findings, i));

      fprintf (out, "%s\n", line);
    }
}

/* check FILE|DRAFT-ID [--account ID] [--local] */
static int
check (Cli   *cli,
       int    argc,
       char **argv)
{
  gint64 account_id = 0;
  gboolean local_only = FALSE;
  GOptionEntry entries[] = {
    { "account", 'a', 0, G_OPTION_ARG_INT64, &account_id,
      N_("Check against account ID’s policy and site (by default the site the draft was "
         "published to, or the only account)"), N_("ID") },
    { "local", 'l', 0, G_OPTION_ARG_NONE, &local_only,
      N_("Only what needs no network: leave the links unchecked"), NULL },
    { NULL },
  };
  g_autoptr(BylineLinkChecker) links = byline_link_checker_new ();
  g_autoptr(BylinePrepublishCheck) prepublish = byline_prepublish_check_new (cli->store, links);
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  g_autoptr(GError) error = NULL;
  guint blocking;
  int status;

  if (!parse_options (_("FILE|DRAFT-ID"),
                      _("Check a Markdown file or a draft as it would be published: spelling, "
                        "alt text, links, required fields, headings, date. One finding a line, "
                        "“LINE:COLUMN: KIND: message” or “FIELD: KIND: message”; exit code 6 when "
                        "one of them stops the post, 0 otherwise."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Give one file or one draft number."));

  if (!(draft = open_draft (cli, argv[1], &error)))
    return fail (EXIT_FAILED, "%s", error->message);
  if (!pick_check_account (cli, draft, account_id, &account_id, &error))
    return fail (error->domain == G_OPTION_ERROR ? EXIT_USAGE : EXIT_FAILED, "%s", error->message);
  if (!(findings = run_check (prepublish, draft, account_id, local_only, &error)))
    return fail (EXIT_FAILED, "%s", error->message);

  print_findings (stdout, findings);
  blocking = count_blocking (findings);
  if (blocking > 0)
    return fail (EXIT_BLOCKED, g_dngettext (GETTEXT_PACKAGE, "%u finding stops this post.",
                                            "%u findings stop this post.", blocking), blocking);
  return EXIT_DONE;
}

static void
process_done_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

/* publish FILE|DRAFT-ID [--account ID] [--status S] [--date D] [--categories A,B] [--tags X,Y]
 *   [--excerpt TEXT] [--override REASON]
 *
 * The pre-publish check runs first, on the draft with --date: the publisher itself does not run
 * it (see byline_publisher_enqueue_publish), so byline-cli and the Publish window do. What it
 * finds stops a post that goes public, not a draft or a post pending review on the site. */
static int
publish (Cli   *cli,
         int    argc,
         char **argv)
{
  gint64 account_id = 0;
  g_autofree char *status_name = NULL;
  g_autofree char *date = NULL;
  g_autofree char *categories = NULL;
  g_autofree char *tags = NULL;
  g_autofree char *excerpt = NULL;
  g_autofree char *override = NULL;
  GOptionEntry entries[] = {
    { "account", 'a', 0, G_OPTION_ARG_INT64, &account_id, N_("Publish to account ID"), N_("ID") },
    { "status", 's', 0, G_OPTION_ARG_STRING, &status_name,
      N_("publish (the default), future (with --date), draft, pending or private"), N_("STATUS") },
    { "date", 'd', 0, G_OPTION_ARG_STRING, &date,
      N_("Publishing date and time, local time (“2030-01-02 09:30”)"), N_("DATE") },
    { "categories", 'c', 0, G_OPTION_ARG_STRING, &categories,
      N_("Categories, comma-separated (made on the site when new)"), N_("NAMES") },
    { "tags", 't', 0, G_OPTION_ARG_STRING, &tags, N_("Tags, comma-separated"), N_("NAMES") },
    { "excerpt", 'e', 0, G_OPTION_ARG_STRING, &excerpt, N_("The post’s excerpt"), N_("TEXT") },
    { "override", 0, 0, G_OPTION_ARG_STRING, &override,
      N_("Publish even though the pre-publish check found something that stops the post; the "
         "reason is kept with the post’s history"), N_("REASON") },
    { NULL },
  };
  g_autoptr(BylinePublisher) publisher = NULL;
  g_autoptr(BylineLinkChecker) links = NULL;
  g_autoptr(BylinePrepublishCheck) check = NULL;
  g_autoptr(GPtrArray) findings = NULL;
  guint blocking;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) as_sent = NULL;
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *date_gmt = NULL;
  BylinePublishOptions options = { 0 };
  gint64 entry_id;
  int status;

  if (!parse_options (_("FILE|DRAFT-ID"), _("Publish a Markdown file or a draft to a WordPress site "
                                            "(again: updates the same post)."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 2)
    return fail (EXIT_USAGE, _("Give one file or one draft number."));
  if (override != NULL && *g_strstrip (override) == '\0')
    return fail (EXIT_USAGE, _("Give the reason for publishing anyway: --override \"REASON\"."));

  if (!(draft = open_draft (cli, argv[1], &error)))
    return fail (EXIT_FAILED, "%s", error->message);

  if (date != NULL && !(date_gmt = byline_date_parse_utc (date)))
    return fail (EXIT_USAGE, _("“%s” is not a date and time like “2030-01-02 09:30”."), date);
  if (categories != NULL || tags != NULL || excerpt != NULL)
    {
      if (categories != NULL)
        byline_draft_set_categories (draft, categories);
      if (tags != NULL)
        byline_draft_set_tags (draft, tags);
      if (excerpt != NULL)
        byline_draft_set_excerpt (draft, excerpt);
      if (!byline_store_save_draft (cli->store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error))
        return fail (EXIT_FAILED, "%s", error->message);
    }

  if (!(account = pick_account (cli, account_id, &error)))
    return fail (error->domain == G_OPTION_ERROR ? EXIT_USAGE : EXIT_FAILED, "%s", error->message);

  /* The check, on the draft as it is sent (with --date), for that site. */
  as_sent = byline_draft_copy (draft);
  if (date != NULL)
    {
      g_autofree char *local = g_strdup (date);

      byline_draft_set_publish_date (as_sent, g_strstrip (g_strdelimit (local, " ", 'T')));
    }
  links = byline_link_checker_new ();
  check = byline_prepublish_check_new (cli->store, links);
  if (!(findings = run_check (check, as_sent, byline_account_get_id (account), FALSE, &error)))
    return fail (EXIT_FAILED, "%s", error->message);
  print_findings (stderr, findings);
  /* As in the Publish window: a draft or a post pending review on the site is not published,
   * so what the check finds is shown and it goes all the same. */
  options.status = status_name ? status_name : (date_gmt ? "future" : "publish");
  if (g_str_equal (options.status, "draft") || g_str_equal (options.status, "pending"))
    blocking = 0;
  else
    blocking = count_blocking (findings);
  if (blocking > 0 && override == NULL)
    return fail (EXIT_BLOCKED, g_dngettext (GETTEXT_PACKAGE,
                                            "Not published: %u finding stops this post. Fix it, "
                                            "or publish anyway with --override \"REASON\".",
                                            "Not published: %u findings stop this post. Fix "
                                            "them, or publish anyway with --override \"REASON\".",
                                            blocking), blocking);
  /* Kept before the post goes out: a post never reaches the site without its reason on record. */
  if (blocking > 0)
    {
      if (!byline_prepublish_check_record_override (check, byline_draft_get_id (draft),
                                                    byline_account_get_id (account), override,
                                                    findings, &error))
        return fail (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT)
                     ? EXIT_USAGE : EXIT_FAILED, "%s", error->message);
    }

  options.date_gmt = date_gmt;
  publisher = byline_publisher_new (cli->store, cli->accounts);
  entry_id = byline_publisher_enqueue_publish (publisher, draft, byline_account_get_id (account),
                                               &options, &error);
  if (entry_id == 0)
    return fail (EXIT_USAGE, "%s", error->message);

  byline_publisher_process_async (publisher, NULL, process_done_cb, &result);
  wait_for (&result);
  if (!byline_publisher_process_finish (publisher, result, &error))
    return fail (EXIT_FAILED, "%s", error->message);

  entry = byline_publisher_get_entry (publisher, entry_id, &error);
  if (entry == NULL)
    return fail (EXIT_FAILED, "%s", error->message);
  switch (entry->state)
    {
    case BYLINE_OUTBOX_STATE_DONE:
      g_print ("%s\n", entry->link);
      return EXIT_DONE;
    case BYLINE_OUTBOX_STATE_PENDING:
      return fail (EXIT_UNREACHABLE, _("Not sent yet: %s It is kept and sent again by the next "
                                       "“publish” or by the app."), entry->last_error);
    case BYLINE_OUTBOX_STATE_CONFLICT:
      return fail (EXIT_CONFLICT, _("Someone changed the post on the site since this draft was "
                                    "last published; nothing was overwritten. Open the draft in "
                                    "Byline to choose which version to keep."));
    case BYLINE_OUTBOX_STATE_FAILED:
    default:
      return fail (EXIT_REFUSED, "%s", entry->last_error);
    }
}

/* diff DRAFT-ID [--status S] [--merge] */
static int
diff (Cli   *cli,
      int    argc,
      char **argv)
{
  g_autofree char *status_name = NULL;
  gboolean merge = FALSE;
  GOptionEntry entries[] = {
    { "status", 's', 0, G_OPTION_ARG_STRING, &status_name,
      N_("Compare with publishing as STATUS (the default: the post’s own)"), N_("STATUS") },
    { "merge", 'm', 0, G_OPTION_ARG_NONE, &merge,
      N_("Take the site’s changes into the draft when they do not overlap with the draft’s"),
      NULL },
    { NULL },
  };
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylinePostChanges) changes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *unified = NULL;
  BylinePublishOptions options = { 0 };
  gint64 draft_id;
  int status;

  if (!parse_options (_("DRAFT-ID"), _("Show what publishing a draft again would change on its "
                                       "live post, as a unified diff."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 2 || !parse_id (argv[1], &draft_id))
    return fail (EXIT_USAGE, _("Give one draft number."));
  if (!(draft = byline_store_load_draft (cli->store, draft_id, &error)))
    return fail (EXIT_FAILED, "%s", error->message);

  options.status = status_name;
  byline_post_changes_load_async (cli->store, cli->accounts, draft,
                                  status_name ? &options : NULL, NULL, store_result_cb, &result);
  wait_for (&result);
  if (!(changes = byline_post_changes_load_finish (result, &error)))
    return fail (status_for_error (error), "%s", error->message);

  unified = byline_post_changes_format_unified (changes);
  g_print ("%s", unified);
  if (!merge)
    return EXIT_DONE;

  if (changes->merge == NULL)
    {
      g_print ("%s\n", changes->site_changed
               ? _("Nothing was merged: Byline kept no earlier version of the post.")
               : _("Nothing to merge: the post has not changed on the site."));
      return changes->site_changed ? EXIT_CONFLICT : EXIT_DONE;
    }
  if (changes->merge->n_conflicts > 0)
    return fail (EXIT_CONFLICT, _("The draft and the site changed the same things differently; "
                                  "nothing was merged. Choose in Byline’s Publish window."));
  byline_post_merge_apply (changes->merge, draft);
  if (!byline_store_save_draft (cli->store, draft, BYLINE_SAVE_EXPLICIT, NULL, &error)
      || !byline_post_changes_rebase (cli->store, draft_id, changes, &error))
    return fail (EXIT_FAILED, "%s", error->message);
  g_print ("%s\n", _("Merged: the draft now has the site’s changes and its own."));
  return EXIT_DONE;
}

/* ---- comments ---- */

/* What the comments commands share: the account, and the core's moderation classes over the
 * app's store, so that decisions go through the same outbox as the app's. */
typedef struct {
  BylineAccount      *account;
  gint64              account_id;
  BylineCommentStore *comments;
  BylineModerator    *moderator;
  BylineCommentSync  *sync;
  GHashTable         *refused;    /* local comment id -> the site's reason */
  GHashTable         *gone;       /* local comment id -> what happened */
} Moderation;

static void
moderation_clear (Moderation *mod)
{
  g_clear_object (&mod->sync);
  g_clear_object (&mod->moderator);
  g_clear_object (&mod->comments);
  g_clear_object (&mod->account);
  g_clear_pointer (&mod->refused, g_hash_table_unref);
  g_clear_pointer (&mod->gone, g_hash_table_unref);
}
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Moderation, moderation_clear)

static void
action_failed_cb (BylineModerator *moderator,
                  gint64           comment_id,
                  const char      *message,
                  Moderation      *mod)
{
  g_hash_table_replace (mod->refused, g_memdup2 (&comment_id, sizeof comment_id),
                        g_strdup (message));
}

static void
comment_gone_cb (BylineModerator *moderator,
                 gint64           comment_id,
                 const char      *message,
                 Moderation      *mod)
{
  g_hash_table_replace (mod->gone, g_memdup2 (&comment_id, sizeof comment_id),
                        g_strdup (message));
}

/* Shows a full sync's progress on a terminal: the first one of a big site takes a while. */
static void
sync_progress_cb (BylineCommentSync *sync,
                  guint              fetched,
                  guint              total,
                  gpointer           user_data)
{
  if (total > 0)
    {
      /* Back to the start of the line, to write over the last count. */
      g_printerr ("\r");
      g_printerr (_("Fetching the site’s comments: %u of %u…"), fetched, total);
    }
}

static gboolean
moderation_init (Moderation *mod,
                 Cli        *cli,
                 gint64      account_id,
                 int        *status)
{
  g_autoptr(GError) error = NULL;

  mod->account = pick_account (cli, account_id, &error);
  if (mod->account == NULL)
    {
      *status = fail (error->domain == G_OPTION_ERROR ? EXIT_USAGE : EXIT_FAILED, "%s",
                      error->message);
      return FALSE;
    }
  mod->account_id = byline_account_get_id (mod->account);
  mod->comments = byline_comment_store_new (cli->store);
  mod->moderator = byline_moderator_new (mod->comments, cli->accounts);
  mod->sync = byline_comment_sync_new (mod->comments, cli->accounts);
  mod->refused = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  mod->gone = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_signal_connect (mod->moderator, "action-failed", G_CALLBACK (action_failed_cb), mod);
  g_signal_connect (mod->moderator, "comment-gone", G_CALLBACK (comment_gone_cb), mod);
  if (isatty (STDERR_FILENO))
    g_signal_connect (mod->sync, "progress", G_CALLBACK (sync_progress_cb), NULL);
  return TRUE;
}

/* Sends every decision of the account that waits, including those kept by earlier commands
 * or by the app while the site was unreachable. */
static gboolean
moderation_send (Moderation  *mod,
                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  byline_moderator_retry_now (mod->moderator, mod->account_id);
  byline_moderator_process_async (mod->moderator, NULL, store_result_cb, &result);
  wait_for (&result);
  return byline_moderator_process_finish (mod->moderator, result, error);
}

/* Brings the store up to date: what changed, or everything the first time. */
static gboolean
moderation_sync (Moderation  *mod,
                 GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *newest = NULL;
  BylineCommentSyncMode mode;
  gboolean ok;

  newest = byline_comment_store_dup_newest_date (mod->comments, mod->account_id, error);
  if (newest == NULL && error != NULL && *error != NULL)
    return FALSE;
  mode = newest != NULL ? BYLINE_COMMENT_SYNC_CHANGES : BYLINE_COMMENT_SYNC_FULL;
  byline_comment_sync_run_async (mod->sync, mod->account_id, mode, NULL, store_result_cb,
                                 &result);
  wait_for (&result);
  ok = byline_comment_sync_run_finish (mod->sync, result, NULL, error);
  if (mode == BYLINE_COMMENT_SYNC_FULL && isatty (STDERR_FILENO))
    g_printerr ("\n");
  return ok;
}

/* A comment's author or text on one line a terminal shows as it is: comments are untrusted,
 * and an escape sequence in them must not move the cursor, retitle the window or change the
 * colours. Control characters and bidirectional controls become spaces; then runs of white
 * space become one space; then the text is cut at @max_chars (0: whole) with "…". */
static char *
terminal_line (const char *text,
               guint       max_chars)
{
  g_autofree char *valid = g_utf8_make_valid (text ? text : "", -1);
  g_autoptr(GString) line = g_string_new (NULL);
  guint n = 0;

  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      /* The bidirectional controls, which can make a line read other than it is; not every
       * format character: the zero-width joiners are part of emoji and of some scripts. */
      gboolean bidi = c == 0x061C || c == 0x200E || c == 0x200F || (c >= 0x202A && c <= 0x202E)
                      || (c >= 0x2066 && c <= 0x2069);
      gboolean space = g_unichar_isspace (c) || g_unichar_iscntrl (c) || bidi;

      if (space && (line->len == 0 || line->str[line->len - 1] == ' '))
        continue;
      if (max_chars > 0 && n == max_chars)
        {
          g_string_append (line, "…");
          break;
        }
      if (space)
        g_string_append_c (line, ' ');
      else
        g_string_append_unichar (line, c);
      n++;
    }
  if (line->len > 0 && line->str[line->len - 1] == ' ')
    g_string_truncate (line, line->len - 1);
  return g_string_free (g_steal_pointer (&line), FALSE);
}

/* The status as the command line spells it: WordPress's "hold" is "pending" in wp-admin. A
 * status the site made up is not printed as it came (it could hold terminal escapes). */
static const char *
status_word (const char *status)
{
  static const char * const known[] = { BYLINE_COMMENT_STATUS_APPROVED, BYLINE_COMMENT_STATUS_SPAM,
                                        BYLINE_COMMENT_STATUS_TRASH, BYLINE_COMMENT_STATUS_DELETED };

  if (g_strcmp0 (status, BYLINE_COMMENT_STATUS_HOLD) == 0)
    return "pending";
  for (guint i = 0; i < G_N_ELEMENTS (known); i++)
    if (g_strcmp0 (status, known[i]) == 0)
      return known[i];
  return "unknown";
}

static gboolean
parse_view (const char        *text,
            BylineCommentView *view)
{
  static const char * const names[BYLINE_COMMENT_N_VIEWS] = {
    [BYLINE_COMMENT_VIEW_PENDING] = "pending",
    [BYLINE_COMMENT_VIEW_APPROVED] = "approved",
    [BYLINE_COMMENT_VIEW_SPAM] = "spam",
    [BYLINE_COMMENT_VIEW_TRASH] = "trash",
    [BYLINE_COMMENT_VIEW_ALL] = "all",
  };

  for (guint i = 0; i < BYLINE_COMMENT_N_VIEWS; i++)
    if (g_str_equal (text, names[i]))
      {
        *view = i;
        return TRUE;
      }
  return FALSE;
}

/* comments list [--account ID] [--status S] [--post ID] [--search TEXT] [--oldest] [--offline] */
static int
comments_list (Cli   *cli,
               int    argc,
               char **argv)
{
  gint64 account_id = 0;
  gint64 post_id = 0;
  g_autofree char *status_name = NULL;
  g_autofree char *search = NULL;
  gboolean oldest = FALSE;
  gboolean offline = FALSE;
  GOptionEntry entries[] = {
    { "account", 'a', 0, G_OPTION_ARG_INT64, &account_id, N_("Use account ID"), N_("ID") },
    { "status", 's', 0, G_OPTION_ARG_STRING, &status_name,
      N_("pending (the default), approved, spam, trash, or all (pending and approved)"),
      N_("STATUS") },
    { "post", 'p', 0, G_OPTION_ARG_INT64, &post_id, N_("Only the comments on post ID"),
      N_("ID") },
    { "search", 0, 0, G_OPTION_ARG_STRING, &search,
      N_("Only comments whose author, e-mail, address, IP or text contains TEXT"), N_("TEXT") },
    { "oldest", 0, 0, G_OPTION_ARG_NONE, &oldest, N_("Oldest first (newest first otherwise)"),
      NULL },
    { "offline", 0, 0, G_OPTION_ARG_NONE, &offline,
      N_("Do not ask the site: list what Byline has"), NULL },
    { NULL },
  };
  g_auto(Moderation) mod = { 0 };
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) site_error = NULL;
  g_autoptr(GArray) keys = NULL;
  BylineCommentFilter filter = { 0 };
  guint waiting;
  int status;

  if (!parse_options ("", _("List a site’s comments, newest first: id, status, date, author, "
                            "post, and the start of the text. Asks the site for what changed "
                            "first (everything, the first time), unless --offline."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc != 1)
    return fail (EXIT_USAGE, _("“comments list” takes options only."));
  if (post_id < 0)
    return fail (EXIT_USAGE, _("Give a post’s number to --post."));
  filter.view = BYLINE_COMMENT_VIEW_PENDING;
  if (status_name != NULL && !parse_view (status_name, &filter.view))
    return fail (EXIT_USAGE, _("“%s” is not a status: use pending, approved, spam, trash or all."),
                 status_name);

  if (!moderation_init (&mod, cli, account_id, &status))
    return status;

  /* Decisions kept from before go first, so that the sync reads the statuses they set. */
  if (!offline && moderation_send (&mod, &site_error))
    moderation_sync (&mod, &site_error);

  filter.account_id = mod.account_id;
  filter.post_id = post_id;
  filter.search = search;
  filter.oldest_first = oldest;
  keys = byline_comment_store_query (mod.comments, &filter, &error);
  if (keys == NULL)
    return fail (EXIT_FAILED, "%s", error->message);
  for (guint i = 0; i < keys->len; i++)
    {
      BylineCommentKey *key = &g_array_index (keys, BylineCommentKey, i);
      g_autoptr(BylineComment) comment = byline_comment_store_load (mod.comments, key->id, &error);
      g_autoptr(GDateTime) date = NULL;
      g_autofree char *when = NULL, *author = NULL, *snippet = NULL;

      if (comment == NULL)
        return fail (EXIT_FAILED, "%s", error->message);
      date = g_date_time_new_from_unix_local (byline_comment_get_date_unix (comment));
      when = g_date_time_format (date, "%Y-%m-%d %H:%M");
      author = terminal_line (byline_comment_get_author_name (comment), 40);
      snippet = terminal_line (byline_comment_get_text (comment), 72);
      g_print ("%" G_GINT64_FORMAT "\t%s\t%s\t%s\t%" G_GINT64_FORMAT "\t%s\n",
               byline_comment_get_remote_id (comment),
               status_word (byline_comment_get_status (comment)), when, author,
               byline_comment_get_post_id (comment), snippet);
    }

  if (keys->len == 0)
    {
      static const char * const empty[BYLINE_COMMENT_N_VIEWS] = {
        [BYLINE_COMMENT_VIEW_PENDING] = N_("No comment is waiting for moderation."),
        [BYLINE_COMMENT_VIEW_APPROVED] = N_("No approved comment."),
        [BYLINE_COMMENT_VIEW_SPAM] = N_("No comment in spam."),
        [BYLINE_COMMENT_VIEW_TRASH] = N_("No comment in the trash."),
        [BYLINE_COMMENT_VIEW_ALL] = N_("No comment."),
      };

      g_printerr ("%s%s\n", _(empty[filter.view]),
                  (post_id > 0 || (search != NULL && *search != '\0'))
                  ? _(" (with these filters)") : "");
    }
  waiting = byline_moderator_count_waiting (mod.moderator, mod.account_id);
  if (waiting > 0)
    g_printerr (g_dngettext (GETTEXT_PACKAGE,
                             "%u decision waits to be sent to the site.\n",
                             "%u decisions wait to be sent to the site.\n", waiting), waiting);
  if (site_error != NULL)
    return fail (status_for_error (site_error), _("%s The list shows what Byline had."),
                 site_error->message);
  return EXIT_DONE;
}

/* Brings comment @remote_id into the store from the site, when a sync did not: an old comment
 * the changes sync does not look at. NULL with @error, or NULL alone when the site has none. */
static BylineComment *
fetch_comment (Cli         *cli,
               Moderation  *mod,
               gint64       remote_id,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(BylineWpClient) client = NULL;
  g_autoptr(GHashTable) query = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) local_error = NULL;
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autofree char *route = g_strdup_printf ("/wp/v2/comments/%lld", (long long) remote_id);
  BylineComment *comment;

  byline_accounts_connect_async (cli->accounts, mod->account_id, NULL, store_result_cb, &result);
  wait_for (&result);
  client = byline_accounts_connect_finish (cli->accounts, result, error);
  if (client == NULL)
    return NULL;

  g_clear_object (&result);
  g_hash_table_insert (query, "context", "edit");
  byline_wp_client_request_async (client, "GET", route, query, NULL, NULL, store_result_cb,
                                  &result);
  wait_for (&result);
  node = byline_wp_client_request_finish (client, result, &info, &local_error);
  if (node == NULL)
    {
      if (!g_error_matches (local_error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_NOT_FOUND))
        g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node)
      || !(comment = byline_comment_new_from_json (json_node_get_object (node))))
    {
      g_set_error_literal (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                           _("The site’s answer was not a comment."));
      return NULL;
    }
  g_ptr_array_add (found, comment);
  if (!byline_comment_store_upsert (mod->comments, mod->account_id, found, NULL, error))
    return NULL;
  return byline_comment_store_find (mod->comments, mod->account_id, remote_id, error);
}

/* The exit code of several outcomes: what a script most needs to act on wins. */
static int
worse (int status,
       int other)
{
  static const int rank[] = {
    [EXIT_DONE] = 0, [EXIT_FAILED] = 1, [EXIT_CONFLICT] = 2, [EXIT_REFUSED] = 3,
    [EXIT_USAGE] = 4, [EXIT_UNREACHABLE] = 5,
  };

  return rank[other] > rank[status] ? other : status;
}

/* What a comment became, for a person. */
static char *
describe_outcome (BylineDecision  decision,
                  gint64          remote_id,
                  BylineComment  *comment)
{
  const char *status = comment ? byline_comment_get_status (comment) : "";

  switch (decision)
    {
    case BYLINE_DECISION_APPROVE:
      return g_strdup_printf (_("Comment %lld approved."), (long long) remote_id);
    case BYLINE_DECISION_UNAPPROVE:
      return g_strdup_printf (_("Comment %lld is pending again."), (long long) remote_id);
    case BYLINE_DECISION_SPAM:
      return g_strdup_printf (_("Comment %lld marked as spam."), (long long) remote_id);
    case BYLINE_DECISION_TRASH:
      return g_strdup_printf (_("Comment %lld moved to the trash."), (long long) remote_id);
    case BYLINE_DECISION_DELETE:
      return g_strdup_printf (_("Comment %lld deleted for good."), (long long) remote_id);
    case BYLINE_DECISION_RESTORE:
    default:
      return g_strdup_printf (_("Comment %lld restored: %s."), (long long) remote_id,
                              status_word (status));
    }
}

/* The slug of the site's reason named @name (or with that slug); NULL with a usage error that
 * lists the site's reasons otherwise. */
static char *
find_reason (Cli         *cli,
             gint64       account_id,
             const char  *name,
             int         *status)
{
  g_autoptr(BylineModerationReason) reason = NULL;
  g_autoptr(GPtrArray) reasons = NULL;
  g_autoptr(GString) names = g_string_new (NULL);
  g_autoptr(GError) error = NULL;

  reason = byline_moderation_reasons_find (cli->store, account_id, name, FALSE, &error);
  if (reason != NULL)
    return g_strdup (reason->slug);
  if (error != NULL)
    {
      *status = fail (EXIT_FAILED, "%s", error->message);
      return NULL;
    }
  if (!(reasons = byline_moderation_reasons_list (cli->store, account_id, &error)))
    {
      *status = fail (EXIT_FAILED, "%s", error->message);
      return NULL;
    }
  for (guint i = 0; i < reasons->len; i++)
    {
      BylineModerationReason *one = g_ptr_array_index (reasons, i);

      g_string_append_printf (names, "\n  %s (%s)", one->name, one->slug);
    }
  *status = fail (EXIT_USAGE, _("This site has no reason “%s”. Its reasons:%s"), name,
                  names->len > 0 ? names->str : _(" none"));
  return NULL;
}

/* comments approve|unapprove|spam|trash|delete|restore ID... [--account ID] [--reason NAME] */
static int
comments_decide (Cli            *cli,
                 int             argc,
                 char          **argv,
                 BylineDecision  decision,
                 const char     *summary)
{
  gint64 account_id = 0;
  g_autofree char *reason_name = NULL, *reason = NULL;
  gboolean rejects = decision == BYLINE_DECISION_SPAM || decision == BYLINE_DECISION_TRASH ||
                     decision == BYLINE_DECISION_UNAPPROVE;
  GOptionEntry entries[] = {
    { "account", 'a', 0, G_OPTION_ARG_INT64, &account_id, N_("Use account ID"), N_("ID") },
    /* Only a rejection takes a reason: the others do not offer the option. */
    { "reason", 'r', 0, G_OPTION_ARG_STRING, &reason_name,
      N_("The site’s policy reason for it (its name or its short name)"), N_("NAME") },
    { NULL },
  };
  g_auto(Moderation) mod = { 0 };
  g_autoptr(GArray) remote_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GArray) decided = g_array_new (FALSE, FALSE, sizeof (gint64)); /* remote ids */
  g_autoptr(GError) error = NULL;
  g_autoptr(GError) site_error = NULL;
  gboolean synced = FALSE;
  guint waiting;
  int status = EXIT_DONE;

  if (!rejects)
    memset (&entries[1], 0, sizeof entries[1]);
  if (!parse_options (_("ID…"), summary, entries, &argc, &argv, &status))
    return status;
  if (argc < 2)
    return fail (EXIT_USAGE, _("Give the numbers of the comments (as “comments list” shows "
                               "them)."));
  for (int i = 1; i < argc; i++)
    {
      gint64 id;
      gboolean seen = FALSE;

      if (!parse_id (argv[i], &id))
        return fail (EXIT_USAGE, _("“%s” is not a comment number."), argv[i]);
      for (guint j = 0; j < remote_ids->len; j++)
        seen |= g_array_index (remote_ids, gint64, j) == id;
      if (!seen)
        g_array_append_val (remote_ids, id);
    }

  if (!moderation_init (&mod, cli, account_id, &status))
    return status;
  /* An unknown reason is found before anything is decided or fetched. */
  if (reason_name != NULL && !(reason = find_reason (cli, mod.account_id, reason_name, &status)))
    return status;

  for (guint i = 0; i < remote_ids->len; i++)
    {
      gint64 remote_id = g_array_index (remote_ids, gint64, i);
      g_autoptr(BylineComment) comment = NULL;
      const char *current;

      comment = byline_comment_store_find (mod.comments, mod.account_id, remote_id, &error);
      if (comment == NULL && error == NULL && !synced && site_error == NULL)
        {
          /* Unknown here: the site may have it since the last sync. */
          synced = TRUE;
          if (moderation_sync (&mod, &site_error))
            comment = byline_comment_store_find (mod.comments, mod.account_id, remote_id,
                                                 &error);
        }
      if (comment == NULL && error == NULL && site_error == NULL)
        comment = fetch_comment (cli, &mod, remote_id, &site_error);
      if (comment == NULL)
        {
          if (error != NULL)
            return fail (EXIT_FAILED, "%s", error->message);
          if (site_error != NULL)
            status = worse (status, fail (status_for_error (site_error),
                                          _("Comment %lld is not known to Byline yet, and the "
                                            "site could not tell: %s"),
                                          (long long) remote_id, site_error->message));
          else
            status = worse (status, fail (EXIT_FAILED, _("The site has no comment %lld."),
                                          (long long) remote_id));
          continue;
        }

      current = byline_comment_get_status (comment);
      if ((decision == BYLINE_DECISION_DELETE || decision == BYLINE_DECISION_RESTORE)
          && g_strcmp0 (current, BYLINE_COMMENT_STATUS_SPAM) != 0
          && g_strcmp0 (current, BYLINE_COMMENT_STATUS_TRASH) != 0)
        {
          status = worse (status, fail (EXIT_FAILED, decision == BYLINE_DECISION_DELETE
                                        ? _("Comment %lld is %s: only spam and trashed comments "
                                            "can be deleted for good (trash it first).")
                                        : _("Comment %lld is %s: only spam and trashed comments "
                                            "can be restored."),
                                        (long long) remote_id, status_word (current)));
          continue;
        }
      {
        gint64 id = byline_comment_get_id (comment);

        g_array_append_val (ids, id);
        g_array_append_val (decided, remote_id);
      }
    }

  if (ids->len > 0
      && !byline_moderator_decide_with_reason (mod.moderator, (const gint64 *) ids->data,
                                               ids->len, decision, reason, &error))
    return fail (EXIT_FAILED, "%s", error->message);

  /* Even with nothing decided now, what earlier commands kept is sent. */
  if (site_error == NULL)
    moderation_send (&mod, &site_error);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      gint64 remote_id = g_array_index (decided, gint64, i);
      g_autoptr(BylineComment) comment = byline_comment_store_load (mod.comments, id, NULL);
      const char *why;

      if ((why = g_hash_table_lookup (mod.refused, &id)))
        status = worse (status, fail (EXIT_REFUSED, _("Comment %lld: the site refused: %s"),
                                      (long long) remote_id, why));
      else if ((why = g_hash_table_lookup (mod.gone, &id)))
        status = worse (status, fail (EXIT_FAILED, _("Comment %lld: %s"), (long long) remote_id,
                                      why));
      else if (comment != NULL && byline_comment_get_sending (comment))
        {
          g_print (_("Comment %lld: decided here, not sent yet.\n"), (long long) remote_id);
          status = worse (status, EXIT_UNREACHABLE);
        }
      else
        {
          g_autofree char *done = describe_outcome (decision, remote_id, comment);

          g_print ("%s\n", done);
        }
    }

  waiting = byline_moderator_count_waiting (mod.moderator, mod.account_id);
  if (site_error != NULL && waiting > 0)
    return worse (status, fail (status_for_error (site_error) == EXIT_REFUSED ? EXIT_REFUSED
                                                                              : EXIT_UNREACHABLE,
                                g_dngettext (GETTEXT_PACKAGE,
                                             "%s %u decision is kept and will be sent by the next "
                                             "“byline-cli comments” command or by the app.",
                                             "%s %u decisions are kept and will be sent by the "
                                             "next “byline-cli comments” command or by the app.",
                                             waiting),
                                site_error->message, waiting));
  if (site_error != NULL)
    return worse (status, fail (status_for_error (site_error), "%s", site_error->message));
  return status;
}

static int
comments_approve (Cli *cli, int argc, char **argv)
{
  return comments_decide (cli, argc, argv, BYLINE_DECISION_APPROVE,
                          _("Approve comments: they show on the site."));
}

static int
comments_unapprove (Cli *cli, int argc, char **argv)
{
  return comments_decide (cli, argc, argv, BYLINE_DECISION_UNAPPROVE,
                          _("Put comments back in the queue of those waiting for moderation."));
}

static int
comments_spam (Cli *cli, int argc, char **argv)
{
  return comments_decide (cli, argc, argv, BYLINE_DECISION_SPAM, _("Mark comments as spam."));
}

static int
comments_trash (Cli *cli, int argc, char **argv)
{
  return comments_decide (cli, argc, argv, BYLINE_DECISION_TRASH,
                          _("Move comments to the trash (“comments restore” brings them back)."));
}

static int
comments_delete (Cli *cli, int argc, char **argv)
{
  return comments_decide (cli, argc, argv, BYLINE_DECISION_DELETE,
                          _("Delete spam or trashed comments for good, as “Delete Permanently” "
                            "does in WordPress. This cannot be undone."));
}

static int
comments_restore (Cli *cli, int argc, char **argv)
{
  return comments_decide (cli, argc, argv, BYLINE_DECISION_RESTORE,
                          _("Bring comments back from spam or the trash, to the status they had."));
}

/* @text as a time: an ISO 8601 date and time, or a date alone (then the start of that day, in
 * local time, or of the next when @end_of_day). µs since the epoch; FALSE when it is neither. */
static gboolean
parse_time (const char *text,
            gboolean    end_of_day,
            gint64     *usec)
{
  g_autoptr(GTimeZone) local = g_time_zone_new_local ();
  g_autoptr(GDateTime) time = g_date_time_new_from_iso8601 (text, local);
  int year, month, day;
  char rest;

  if (time == NULL && sscanf (text, "%4d-%2d-%2d%c", &year, &month, &day, &rest) == 3)
    {
      g_autoptr(GDateTime) start = g_date_time_new (local, year, month, day, 0, 0, 0);

      if (start != NULL)
        time = end_of_day ? g_date_time_add_days (start, 1) : g_date_time_ref (start);
    }
  if (time == NULL)
    return FALSE;
  *usec = g_date_time_to_unix (time) * G_USEC_PER_SEC + g_date_time_get_microsecond (time);
  return TRUE;
}

/* comments log [--account ID] --since DATE --until DATE [--format csv|jsonl] [-o FILE] */
static int
comments_log (Cli   *cli,
              int    argc,
              char **argv)
{
  gint64 account_id = 0, since = 0, until = 0;
  g_autofree char *since_text = NULL, *until_text = NULL, *format_text = NULL, *output = NULL;
  GOptionEntry entries[] = {
    { "account", 'a', 0, G_OPTION_ARG_INT64, &account_id, N_("Use account ID"), N_("ID") },
    { "since", 's', 0, G_OPTION_ARG_STRING, &since_text,
      N_("From DATE (2026-12-01, or a date and time in ISO 8601)"), N_("DATE") },
    { "until", 'u', 0, G_OPTION_ARG_STRING, &until_text,
      N_("To DATE, that whole day included (or up to a date and time)"), N_("DATE") },
    { "format", 'f', 0, G_OPTION_ARG_STRING, &format_text,
      N_("csv (the default: for spreadsheets) or jsonl (one JSON object a line)"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write to FILE instead of the standard output"), N_("FILE") },
    { NULL },
  };
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GOutputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  BylineModerationLogFormat format = BYLINE_MODERATION_LOG_CSV;
  int status = EXIT_DONE;

  if (!parse_options ("", _("Export the moderation trail of a site (every decision, undo, reply "
                            "and edit, who made it, when and why, and the site’s answer)."),
                      entries, &argc, &argv, &status))
    return status;
  if (argc > 1)
    return fail (EXIT_USAGE, _("“comments log” takes options only."));
  if (since_text == NULL || until_text == NULL)
    return fail (EXIT_USAGE, _("Give the dates: --since DATE --until DATE."));
  if (!parse_time (since_text, FALSE, &since))
    return fail (EXIT_USAGE, _("“%s” is not a date (2026-12-01, or 2026-12-01T09:30:00)."),
                 since_text);
  if (!parse_time (until_text, TRUE, &until))
    return fail (EXIT_USAGE, _("“%s” is not a date (2026-12-01, or 2026-12-01T09:30:00)."),
                 until_text);
  if (until <= since)
    return fail (EXIT_USAGE, _("--until must come after --since."));
  if (format_text != NULL && g_str_equal (format_text, "jsonl"))
    format = BYLINE_MODERATION_LOG_JSONL;
  else if (format_text != NULL && !g_str_equal (format_text, "csv"))
    return fail (EXIT_USAGE, _("“%s” is not a format: csv or jsonl."), format_text);

  if (!(account = pick_account (cli, account_id, &error)))
    return fail (error->domain == G_OPTION_ERROR ? EXIT_USAGE : EXIT_FAILED, "%s",
                 error->message);
  if (output != NULL)
    {
      g_autoptr(GFile) file = g_file_new_for_commandline_arg (output);

      if (byline_moderation_log_export_to_file (cli->store, byline_account_get_id (account),
                                                since, until, format, file, &error) < 0)
        return fail (EXIT_FAILED, "%s", error->message);
      return EXIT_DONE;
    }
  out = g_unix_output_stream_new (STDOUT_FILENO, FALSE);
  if (byline_moderation_log_export (cli->store, byline_account_get_id (account), since, until,
                                    format, out, NULL, &error) < 0 ||
      !g_output_stream_close (out, NULL, &error))
    return fail (EXIT_FAILED, "%s", error->message);
  return EXIT_DONE;
}

static const struct {
  const char  *group;
  const char  *name;
  CommandFunc  func;
  const char  *summary;
} commands[] = {
  { "accounts", "add", accounts_add, N_("Sign in to a WordPress site") },
  { "accounts", "list", accounts_list, N_("List the WordPress accounts") },
  { "accounts", "remove", accounts_remove, N_("Forget an account and its password") },
  { "drafts", "list", drafts_list, N_("List the local drafts") },
  { "posts", "list", posts_list, N_("List a site’s posts") },
  { "check", NULL, check, N_("Check a file or a draft before publishing it") },
  { "publish", NULL, publish, N_("Publish a file or a draft (after the check)") },
  { "diff", NULL, diff, N_("Show what publishing a draft would change on its post") },
  { "drafts", "import", drafts_import, N_("Make a draft of a file") },
  { "drafts", "export", drafts_export, N_("Write a draft out") },
  { "comments", "list", comments_list, N_("List a site’s comments, pending first") },
  { "comments", "approve", comments_approve, N_("Approve comments") },
  { "comments", "unapprove", comments_unapprove, N_("Send comments back to pending") },
  { "comments", "spam", comments_spam, N_("Mark comments as spam") },
  { "comments", "trash", comments_trash, N_("Move comments to the trash") },
  { "comments", "restore", comments_restore, N_("Bring comments back from spam or trash") },
  { "comments", "delete", comments_delete, N_("Delete spam or trashed comments for good") },
  { "comments", "log", comments_log, N_("Export the moderation trail as CSV or JSON Lines") },
};

/* A drafts file Byline must not write (from a newer version, or damaged) is copied beside itself
 * before anything else opens it. The commands that only read drafts then read it read-only, so
 * that they can still be copied out; the others stop, saying which can. */
static BylineStore *
open_refused_store (const char  *path,
                    const char  *group,
                    const char  *name,
                    GError     **error)
{
  g_autofree char *copy = NULL;
  g_autoptr(GError) copy_error = NULL;
  gboolean reads_only = g_str_equal (group, "drafts") &&
                        (g_strcmp0 (name, "list") == 0 || g_strcmp0 (name, "export") == 0);

  if (!g_error_matches (*error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_TOO_NEW) &&
      !g_error_matches (*error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CORRUPT))
    return NULL;

  g_printerr ("byline-cli: %s\n", (*error)->message);
  copy = byline_store_keep_copy (path, &copy_error);
  if (copy != NULL)
    g_printerr (_("byline-cli: A copy of the file was kept, as it was, at %s.\n"), copy);
  else
    g_printerr ("byline-cli: %s\n", copy_error->message);

  if (!reads_only)
    {
      g_clear_error (error);
      g_set_error_literal (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_READ_ONLY,
                           _("Only “drafts list” and “drafts export” can read it, read-only."));
      return NULL;
    }
  g_clear_error (error);
  g_printerr ("%s\n", _("byline-cli: Reading it read-only: nothing in it is changed."));
  return byline_store_open_read_only (path, error);
}

static void
print_help (FILE *out)
{
  fprintf (out, "%s\n\n", _("Usage: byline-cli COMMAND [OPTIONS…]"));
  fprintf (out, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *command = g_strjoin (" ", commands[i].group, commands[i].name, NULL);

      fprintf (out, "  %-18s %s\n", command, _(commands[i].summary));
    }
  fprintf (out, "\n%s\n", _("Run “byline-cli COMMAND --help” for a command’s options. Byline keeps "
                            "its drafts in the same place as the app; passwords are only ever "
                            "read from the standard input or the terminal, never from an argument."));
  fprintf (out, "\n%s\n", _("Exit codes: 0 done, 1 failed, 2 wrong usage, 3 refused by the site, "
                            "4 the site could not be reached (kept, sent later), 5 the post "
                            "changed on the site meanwhile, 6 the pre-publish check found "
                            "something that stops the post (see “check”)."));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;
  Cli cli = { 0 };
  int status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("byline-cli");

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h")
      || g_str_equal (argv[1], "help"))
    {
      print_help (argc < 2 ? stderr : stdout);
      return argc < 2 ? EXIT_USAGE : EXIT_DONE;
    }
  if (g_str_equal (argv[1], "--version"))
    {
      g_print ("byline-cli %s\n", PACKAGE_VERSION);
      return EXIT_DONE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      /* "publish" and "check" are one word, "drafts list" two. */
      int words = commands[i].name ? 2 : 1;

      if (!g_str_equal (argv[1], commands[i].group)
          || (words == 2 && (argc < 3 || !g_str_equal (argv[2], commands[i].name))))
        continue;

      path = byline_store_dup_default_path ();
      cli.store = byline_store_open (path, &error);
      if (cli.store == NULL)
        cli.store = open_refused_store (path, commands[i].group, commands[i].name, &error);
      if (cli.store == NULL)
        return fail (EXIT_FAILED, "%s", error->message);
      cli.accounts = byline_accounts_new (cli.store);

      /* The command sees itself as argv[0], so its --help reads right. */
      status = commands[i].func (&cli, argc - words, argv + words);

      g_clear_object (&cli.accounts);
      if (!byline_store_close (cli.store, &error))
        g_printerr ("byline-cli: %s\n", error->message);
      g_clear_object (&cli.store);
      return status;
    }

  print_help (stderr);
  return fail (EXIT_USAGE, _("Unknown command “%s%s%s”."), argv[1], argc > 2 ? " " : "",
               argc > 2 ? argv[2] : "");
}
