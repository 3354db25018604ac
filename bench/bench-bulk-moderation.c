/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-bulk-moderation.c: the longest stall of the main thread while the Comments view acts on
 * 10,000 selected comments (shift+x, then shift+s, shift+t, shift+a, shift+d) and undoes it (z).
 *
 * The real Comments page in a window under Xvfb, over a real store of 10,000 pending and 2,000
 * approved comments; the site does not answer (nothing listens on its port), so the sending that
 * follows each decision fails at once, as offline. A timeout source ticks every millisecond at
 * high priority: the longest time between two ticks, from the key's action until every decision
 * is in the store and 300 ms more, is the longest the view could not draw or take a key. Also
 * timed: until the list shows the result, and until the store holds it. Prints the median and
 * the spread over several runs, each on a fresh store; fails only when something does not work
 * (a list or a store that does not show the decision), never on the numbers. */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include <adwaita.h>
#include <sqlite3.h>

#include "byline-comments-page.h"
#include "byline-test-ui-util.h"

#define N_PENDING   10000
#define N_APPROVED  2000
#define N_RUNS      5
#define AFTER_MS    300
#define WAIT_MS     60000
/* The rows one sees at the top of the list. */
#define FIRST_ROWS  10

typedef enum {
  STEP_SELECT_ALL,
  STEP_SPAM,
  STEP_SPAM_UNDO,
  STEP_TRASH,
  STEP_TRASH_UNDO,
  STEP_APPROVE,
  STEP_APPROVE_UNDO,
  STEP_DELETE_ASK,
  STEP_DELETE,
  STEP_DELETE_UNDO,
  N_STEPS
} Step;

static const char * const step_names[N_STEPS] = {
  [STEP_SELECT_ALL] = "shift+x, select all 10,000",
  [STEP_SPAM] = "shift+s, spam",
  [STEP_SPAM_UNDO] = "z, undo the spam",
  [STEP_TRASH] = "shift+t, trash",
  [STEP_TRASH_UNDO] = "z, undo the trash",
  [STEP_APPROVE] = "shift+a, approve",
  [STEP_APPROVE_UNDO] = "z, undo the approval",
  [STEP_DELETE_ASK] = "shift+d in Spam, until it asks",
  [STEP_DELETE] = "Delete for Good, answered",
  [STEP_DELETE_UNDO] = "z, undo the deletion",
};

typedef struct {
  GArray *stall[N_STEPS];     /* gint64 µs: the longest time between two ticks */
  GArray *shown[N_STEPS];     /* until the list shows the result where one looks (its top) */
  GArray *all[N_STEPS];       /* until the list holds all of it */
  GArray *kept[N_STEPS];      /* until the store holds every decision */
} Results;

typedef struct {
  char               *dir;
  GtkWidget          *window;
  BylineCommentsPage *page;
  GtkListView        *list;
  BylineStore        *store;
  BylineAccounts     *accounts;
  BylineCommentStore *comments;
  BylineModerator    *moderator;
  BylineCommentSync  *sync;
  gint64              account_id;
} Run;

G_GNUC_NORETURN
G_GNUC_PRINTF (1, 2) static void
fail (const char *format,
      ...)
{
  va_list args;

  va_start (args, format);
  fputs ("bench-bulk-moderation: error: ", stderr);
  vfprintf (stderr, format, args);
  fputc ('\n', stderr);
  va_end (args);
  exit (1);
}

/* The ticks ---------------------------------------------------------------------------------- */

static gint64 last_tick;
static gint64 longest_gap;

static gboolean
tick_cb (gpointer user_data)
{
  gint64 now = g_get_monotonic_time ();

  longest_gap = MAX (longest_gap, now - last_tick);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

/* Lets the main loop run until the next tick, so that a measure starts from a fresh one. */
static void
start_measure (void)
{
  gint64 seen = last_tick;

  while (last_tick == seen)
    g_main_context_iteration (NULL, TRUE);
  longest_gap = 0;
}

static gint64
end_measure (void)
{
  return MAX (longest_gap, g_get_monotonic_time () - last_tick);
}

static void
iterate_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * G_TIME_SPAN_MILLISECOND;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
}

/* Statistics ---------------------------------------------------------------------------------- */

static int
compare_gint64 (gconstpointer a,
                gconstpointer b)
{
  gint64 x = *(const gint64 *) a, y = *(const gint64 *) b;

  return (x > y) - (x < y);
}

static void
print_column (GArray *samples)
{
  gint64 *v;
  guint n = samples->len;
  double median;

  g_array_sort (samples, compare_gint64);
  v = (gint64 *) (gpointer) samples->data;
  median = (n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0) / 1000.0;
  printf (" %8.1f (%6.1f-%6.1f)", median, v[0] / 1000.0, v[n - 1] / 1000.0);
}

/* Setting up ---------------------------------------------------------------------------------- */

static BylineComment *
comment_json (gint64      id,
              const char *status,
              gint64      minute)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) date = g_date_time_add_minutes (start, minute);
  g_autofree char *date_text = g_date_time_format (date, "%Y-%m-%dT%H:%M:%S");
  g_autofree char *author = g_strdup_printf ("Reader %" G_GINT64_FORMAT, id % 700);
  g_autofree char *email = g_strdup_printf ("reader%" G_GINT64_FORMAT "@example.invalid", id % 700);
  g_autofree char *html = g_strdup_printf ("<p>Comment %" G_GINT64_FORMAT " on the Brussels "
                                           "meeting, a line or two long, as readers write.</p>",
                                           id);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, id);
  json_builder_set_member_name (builder, "post");
  json_builder_add_int_value (builder, 4 + id % 5);
  json_builder_set_member_name (builder, "author_name");
  json_builder_add_string_value (builder, author);
  json_builder_set_member_name (builder, "author_email");
  json_builder_add_string_value (builder, email);
  json_builder_set_member_name (builder, "date_gmt");
  json_builder_add_string_value (builder, date_text);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, status);
  json_builder_set_member_name (builder, "content");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "rendered");
  json_builder_add_string_value (builder, html);
  json_builder_set_member_name (builder, "raw");
  json_builder_add_string_value (builder, html);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
  node = json_builder_get_root (builder);
  return byline_comment_new_from_json (json_node_get_object (node));
}

static guint
n_shown (Run *run)
{
  return g_list_model_get_n_items (G_LIST_MODEL (gtk_list_view_get_model (run->list)));
}

static void
wait_shown (Run   *run,
            guint  n)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_MS * G_TIME_SPAN_MILLISECOND;

  while (n_shown (run) != n)
    {
      if (g_get_monotonic_time () > deadline)
        fail ("the view shows %u comments, not %u", n_shown (run), n);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
run_start (Run *run,
           guint number)
{
  g_autofree char *name = g_strdup_printf ("run-%u", number);
  g_autofree char *path = NULL;
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GError) error = NULL;

  run->dir = g_build_filename (g_get_tmp_dir (), name, NULL);
  path = g_build_filename (run->dir, "byline.db", NULL);
  if (!(run->store = byline_store_open (path, &error)))
    fail ("could not open the store: %s", error->message);
  run->accounts = byline_accounts_new (run->store);
  /* Nothing listens there: each send fails at once and the decisions wait, as offline. */
  account = byline_account_new ("http://127.0.0.1:9/", "http://127.0.0.1:9/wp-json/", "editor");
  byline_account_set_capabilities (account, BYLINE_ACCOUNT_CAN_MODERATE);
  if (!byline_accounts_add (run->accounts, account, "not used", &error))
    fail ("could not add the account: %s", error->message);
  run->account_id = byline_account_get_id (account);
  run->comments = byline_comment_store_new (run->store);

  for (guint first = 0; first < N_PENDING + N_APPROVED; first += 1000)
    {
      g_autoptr(GPtrArray) batch = g_ptr_array_new_with_free_func (g_object_unref);

      for (guint i = first; i < first + 1000; i++)
        g_ptr_array_add (batch, comment_json (1000 + i, i < N_PENDING ? "hold" : "approved", i));
      if (!byline_comment_store_upsert (run->comments, run->account_id, batch, NULL, &error))
        fail ("could not keep the comments: %s", error->message);
    }

  run->moderator = byline_moderator_new (run->comments, run->accounts);
  run->sync = byline_comment_sync_new (run->comments, run->accounts);
  run->window = gtk_window_new ();
  gtk_window_set_default_size (GTK_WINDOW (run->window), 1100, 760);
  run->page = g_object_new (BYLINE_TYPE_COMMENTS_PAGE, NULL);
  gtk_window_set_child (GTK_WINDOW (run->window), GTK_WIDGET (run->page));
  gtk_window_present (GTK_WINDOW (run->window));
  byline_comments_page_load (run->page, run->comments, run->moderator, run->sync, run->accounts);
  run->list = GTK_LIST_VIEW (byline_test_find_named (GTK_WIDGET (run->page), "comments-queue"));
  wait_shown (run, N_PENDING);
  /* The first sync, which fails (nothing listens), and the first frames, out of the way. */
  iterate_for (1000);
}

static void
run_end (Run *run)
{
  g_autoptr(GError) error = NULL;

  gtk_window_destroy (GTK_WINDOW (run->window));
  iterate_for (100);
  g_clear_object (&run->sync);
  g_clear_object (&run->moderator);
  g_clear_object (&run->comments);
  g_clear_object (&run->accounts);
  if (!byline_store_close (run->store, &error))
    fail ("could not close the store: %s", error->message);
  g_clear_object (&run->store);
  byline_test_rm_rf (run->dir);
  g_clear_pointer (&run->dir, g_free);
}

/* The steps ----------------------------------------------------------------------------------- */

/* How many comments the store holds with @status, read on a connection of its own. */
static guint
count_in_store (Run        *run,
                const char *status)
{
  g_autofree char *path = g_build_filename (run->dir, "byline.db", NULL);
  g_autofree char *sql = g_strdup_printf ("SELECT count (*) FROM comments WHERE status = '%s'",
                                          status);
  g_autofree char *text = NULL;
  sqlite3 *db = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    fail ("could not read the store");
  sqlite3_busy_timeout (db, 5000);
  text = byline_test_sql_text (db, sql);
  sqlite3_close (db);
  return atoi (text);
}

static void
activate (Run        *run,
          const char *action)
{
  if (!gtk_widget_activate_action (GTK_WIDGET (run->page), action, NULL))
    fail ("no action %s", action);
}

static AdwMessageDialog *
find_dialog (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

/* Does @action (or answers the dialog that asks, with NULL) and times it: the longest stall
 * until every decision is in the store (and AFTER_MS more); until the list shows its first
 * FIRST_ROWS of @n_after comments, and all of them; until the store holds them. @status, if not
 * NULL, is what the store then holds for @n_kept comments. */
static void
measure (Run        *run,
         Results    *results,
         Step        step,
         const char *action,
         guint       n_after,
         const char *status,
         guint       n_kept)
{
  AdwMessageDialog *dialog = action ? NULL : find_dialog ();
  gint64 start, deadline, shown = -1, all = -1, kept = -1, stall;

  if (action == NULL && dialog == NULL)
    fail ("%s: nothing asks", step_names[step]);
  start_measure ();
  start = g_get_monotonic_time ();
  if (dialog != NULL)
    adw_message_dialog_response (dialog, "delete");
  else
    activate (run, action);
  deadline = start + WAIT_MS * G_TIME_SPAN_MILLISECOND;
  for (;;)
    {
      gint64 now = g_get_monotonic_time ();

      if (shown < 0 && n_shown (run) >= MIN (n_after, FIRST_ROWS))
        shown = now - start;
      if (all < 0 && n_shown (run) == n_after)
        all = now - start;
      if (kept < 0 && !byline_moderator_is_deciding (run->moderator))
        kept = now - start;
      if (shown >= 0 && all >= 0 && kept >= 0)
        break;
      if (now > deadline)
        fail ("%s: the view shows %u comments, not %u", step_names[step], n_shown (run), n_after);
      g_main_context_iteration (NULL, TRUE);
    }
  if (dialog != NULL)
    gtk_window_destroy (GTK_WINDOW (dialog));
  iterate_for (AFTER_MS);
  stall = end_measure ();

  if (status != NULL && count_in_store (run, status) != n_kept)
    fail ("%s: the store has %u comments %s, not %u", step_names[step],
          count_in_store (run, status), status, n_kept);
  g_array_append_val (results->stall[step], stall);
  g_array_append_val (results->shown[step], shown);
  g_array_append_val (results->all[step], all);
  g_array_append_val (results->kept[step], kept);
}

static void
select_all (Run     *run,
            Results *results)
{
  gint64 stall, zero = 0;

  start_measure ();
  activate (run, "comments.select-all");
  iterate_for (AFTER_MS);
  stall = end_measure ();
  g_array_append_val (results->stall[STEP_SELECT_ALL], stall);
  g_array_append_val (results->shown[STEP_SELECT_ALL], zero);
  g_array_append_val (results->all[STEP_SELECT_ALL], zero);
  g_array_append_val (results->kept[STEP_SELECT_ALL], zero);
}

/* The view's toggle, whose label is its name and count ("Spam 10000"). */
static gboolean
is_view_button (GtkWidget     *widget,
                gconstpointer  data)
{
  const char *label = GTK_IS_TOGGLE_BUTTON (widget) ? gtk_button_get_label (GTK_BUTTON (widget))
                                                    : NULL;

  return label != NULL && g_str_has_prefix (label, data);
}

static void
show_view (Run        *run,
           const char *name,
           guint       n)
{
  GtkWidget *button = byline_test_find_descendant (GTK_WIDGET (run->page), is_view_button, name);

  if (button == NULL)
    fail ("no %s button", name);
  gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  wait_shown (run, n);
  iterate_for (AFTER_MS);
}


static void
bench_run (Results *results,
           guint    number)
{
  Run run = { 0 };

  run_start (&run, number);

  select_all (&run, results);
  measure (&run, results, STEP_SPAM, "comments.spam-selected", 0, "spam", N_PENDING);
  measure (&run, results, STEP_SPAM_UNDO, "comments.undo", N_PENDING, "hold", N_PENDING);
  activate (&run, "comments.select-all");
  measure (&run, results, STEP_TRASH, "comments.trash-selected", 0, "trash", N_PENDING);
  measure (&run, results, STEP_TRASH_UNDO, "comments.undo", N_PENDING, "hold", N_PENDING);
  activate (&run, "comments.select-all");
  measure (&run, results, STEP_APPROVE, "comments.approve-selected", 0, "approved",
           N_PENDING + N_APPROVED);
  measure (&run, results, STEP_APPROVE_UNDO, "comments.undo", N_PENDING, "hold", N_PENDING);

  /* Delete for good: 10,000 spam first (not timed), then in the Spam view. */
  activate (&run, "comments.select-all");
  activate (&run, "comments.spam-selected");
  while (byline_moderator_is_deciding (run.moderator))
    g_main_context_iteration (NULL, TRUE);
  show_view (&run, "Spam", N_PENDING);
  activate (&run, "comments.select-all");
  iterate_for (AFTER_MS);
  measure (&run, results, STEP_DELETE_ASK, "comments.delete-selected", N_PENDING, NULL, 0);
  measure (&run, results, STEP_DELETE, NULL, 0, "deleted", N_PENDING);
  show_view (&run, "Pending", 0);
  measure (&run, results, STEP_DELETE_UNDO, "comments.undo", 0, "spam", N_PENDING);

  run_end (&run);
}

int
main (int   argc,
      char *argv[])
{
  Results results = { 0 };
  g_autofree char *load = NULL;
  GTestDBus *bus;

  bus = byline_test_ui_start_with_keyring ();
  for (guint i = 0; i < N_STEPS; i++)
    {
      results.stall[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
      results.shown[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
      results.all[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
      results.kept[i] = g_array_new (FALSE, FALSE, sizeof (gint64));
    }
  g_timeout_add_full (G_PRIORITY_HIGH, 1, tick_cb, NULL, NULL);
  last_tick = g_get_monotonic_time ();

  for (guint run = 0; run < N_RUNS; run++)
    bench_run (&results, run);

  g_file_get_contents ("/proc/loadavg", &load, NULL, NULL);
  printf ("Bulk moderation in the Comments view, %u pending and %u approved comments, "
          "%u runs (load %.14s):\n", N_PENDING, N_APPROVED, N_RUNS, load ? load : "?");
  printf ("  ms: median (min-max)              longest stall         list, top rows"
          "        list, all           store holds it\n");
  for (guint i = 0; i < N_STEPS; i++)
    {
      printf ("  %-31s", step_names[i]);
      print_column (results.stall[i]);
      print_column (results.shown[i]);
      print_column (results.all[i]);
      print_column (results.kept[i]);
      putchar ('\n');
      g_array_unref (results.stall[i]);
      g_array_unref (results.shown[i]);
      g_array_unref (results.all[i]);
      g_array_unref (results.kept[i]);
    }
  fflush (stdout);
  g_test_dbus_stop (bus);
  return 0;
}
