/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comments-page.c: the Comments view.
 *
 * The list is a GtkListView over BylineCommentQueue, which reads only the rows on screen, so a
 * queue of any size opens at once. A key press decides in the store (one small transaction),
 * the queue moves just that comment, and the next one is selected in the same frame; sending
 * happens afterwards, in the background, through the moderator's outbox. A decision on many
 * (shift+x, then shift+s) shows at once too, from what the view knows of them, and is written
 * a few milliseconds at a time between frames. The keys are WordPress's (moderation-keys.md)
 * and never fire while the focus is in a text field; the actions they fire are in
 * byline-comments-page-actions.c. */

#define G_LOG_DOMAIN "byline-comments"

#include "config.h"

#include <glib/gi18n.h>

#include "byline-comment-detail.h"
#include "byline-comment-queue.h"
#include "byline-comment-row.h"
#include "byline-comments-page-private.h"
#include "byline-list-item.h"
#include "byline-list-pacer.h"
#include "byline-window.h"

/* How often the queue asks the site what is new while Byline runs. */
#define SYNC_INTERVAL_SECONDS 120
#define OTHERS_BY_AUTHOR      10
#define REPLIES_SHOWN         50
/* Rows kept for reuse: as many as GTK 4.8's list view makes at most, and a few. */
#define SPARE_ROWS            256

G_DEFINE_FINAL_TYPE (BylineCommentsPage, byline_comments_page, GTK_TYPE_WIDGET)

BylineCommentView
_byline_comments_page_get_view (BylineCommentsPage *self)
{
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->approved_button)))
    return BYLINE_COMMENT_VIEW_APPROVED;
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->spam_button)))
    return BYLINE_COMMENT_VIEW_SPAM;
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->trash_button)))
    return BYLINE_COMMENT_VIEW_TRASH;
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->all_button)))
    return BYLINE_COMMENT_VIEW_ALL;
  return BYLINE_COMMENT_VIEW_PENDING;
}

void
_byline_comments_page_toast (BylineCommentsPage *self,
                             const char         *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  /* A toast's title is Pango markup in libadwaita 1.2, and messages can carry a commenter's
   * name or a site's words. */
  g_autofree char *escaped = g_markup_escape_text (message, -1);

  if (BYLINE_IS_WINDOW (root))
    byline_window_add_toast (BYLINE_WINDOW (root), adw_toast_new (escaped));
}

void
_byline_comments_page_toast_error (BylineCommentsPage *self,
                                   const GError       *error)
{
  _byline_comments_page_toast (self, error->message);
}

/* ---- The status line: syncing, sending, offline ---- */

static void
update_status (BylineCommentsPage *self)
{
  guint waiting = self->moderator ? byline_moderator_count_waiting (self->moderator, self->account_id) : 0;
  g_autofree char *text = NULL;

  if (self->syncing)
    return;   /* the sync's progress has the line */
  if (waiting > 0 && self->send_error != NULL && self->send_error_is_password)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u decision waits to be sent: %s It goes out once you "
                                         "sign in to the site again (main menu, Accounts).",
                                         "%u decisions wait to be sent: %s They go out once you "
                                         "sign in to the site again (main menu, Accounts).",
                                         waiting),
                            waiting, self->send_error);
  else if (waiting > 0 && self->send_error != NULL)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                         "%u decision waits to be sent: %s It goes out by itself "
                                         "once the site can be reached.",
                                         "%u decisions wait to be sent: %s They go out by "
                                         "themselves once the site can be reached.", waiting),
                            waiting, self->send_error);
  gtk_label_set_text (GTK_LABEL (self->status_label), text ? text : "");
  gtk_widget_set_visible (self->progress_bar, FALSE);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->status_revealer), text != NULL);
}

/* ---- Counts, posts and the detail, refreshed when the store changes ---- */

static void
set_view_label (GtkWidget  *button,
                const char *name,
                guint       count)
{
  g_autofree char *label = g_strdup_printf ("%s %u", name, count);

  gtk_button_set_label (GTK_BUTTON (button), label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
}

static void
update_counts (BylineCommentsPage *self)
{
  guint counts[BYLINE_COMMENT_N_VIEWS];
  const BylineCommentFilter *filter = byline_comment_queue_get_filter (self->queue);

  if (!byline_comment_store_count (self->comments, self->account_id, filter->post_id, counts, NULL))
    return;
  /* Translators: the moderation views, each followed by its count */
  set_view_label (self->pending_button, C_("comments view", "Pending"), counts[BYLINE_COMMENT_VIEW_PENDING]);
  set_view_label (self->approved_button, C_("comments view", "Approved"), counts[BYLINE_COMMENT_VIEW_APPROVED]);
  set_view_label (self->spam_button, C_("comments view", "Spam"), counts[BYLINE_COMMENT_VIEW_SPAM]);
  set_view_label (self->trash_button, C_("comments view", "Trash"), counts[BYLINE_COMMENT_VIEW_TRASH]);
  set_view_label (self->all_button, C_("comments view", "All"), counts[BYLINE_COMMENT_VIEW_ALL]);
}

BylineComment *
_byline_comments_page_dup_current (BylineCommentsPage *self)
{
  gpointer item = gtk_single_selection_get_selected_item (self->selection);

  /* The model makes a new comment each time: take what the store holds now. */
  if (item == NULL)
    return NULL;
  return byline_comment_queue_dup_comment (self->queue, byline_comment_get_id (item), NULL);
}

void
_byline_comments_page_update_detail (BylineCommentsPage *self)
{
  g_autoptr(BylineComment) comment = _byline_comments_page_dup_current (self);
  g_autoptr(BylineComment) parent = NULL;
  g_autoptr(GPtrArray) others = NULL;
  g_autoptr(GPtrArray) replies = NULL;

  if (comment != NULL)
    {
      replies = byline_comment_store_list_replies (self->comments, comment, REPLIES_SHOWN, NULL);
      if (byline_comment_get_parent_id (comment) > 0)
        parent = byline_comment_store_find (self->comments, self->account_id,
                                            byline_comment_get_parent_id (comment), NULL);
      others = byline_comment_store_list_by_author (self->comments, comment, OTHERS_BY_AUTHOR, NULL);
    }
  byline_comment_detail_set_comment (BYLINE_COMMENT_DETAIL (self->detail), comment, parent,
                                     replies, others);
  _byline_comments_page_update_history (self, comment);
}

static void
update_empty (BylineCommentsPage *self)
{
  gboolean empty = g_list_model_get_n_items (G_LIST_MODEL (self->queue)) == 0;
  const BylineCommentFilter *filter = byline_comment_queue_get_filter (self->queue);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  const char *title;

  if (!empty)
    {
      /* Filled again (a sync, an undo): the keys go back to the list, and the empty state
       * leaves the Tab order. */
      gboolean had_keys = root != NULL && gtk_root_get_focus (root) == self->empty_page;

      gtk_stack_set_visible_child_name (GTK_STACK (self->list_stack), "list");
      gtk_widget_set_focusable (self->empty_page, FALSE);
      if (had_keys)
        byline_comments_page_focus_queue (self);
      return;
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->list_stack), "empty");
  if (filter->search != NULL && filter->search[0] != '\0')
    title = _("No Matching Comments");
  else if (self->syncing)
    title = _("Getting the Comments…");
  else if (filter->view == BYLINE_COMMENT_VIEW_PENDING)
    title = _("No Comments to Moderate");
  else
    title = _("No Comments Here");
  /* Also what a screen reader says when it holds the keys (see keep_keys ()): libadwaita
   * names a status page after its title. */
  adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), title);
}

/* Nothing in the list to hold the keys: the empty state does, so that z still undoes and /
 * still searches; it is in the Tab order only meanwhile. */
static void
give_keys_to_empty_state (BylineCommentsPage *self)
{
  update_empty (self);
  gtk_widget_set_focusable (self->empty_page, TRUE);
  gtk_widget_grab_focus (self->empty_page);
}

/* Binds the rows on screen again (a sync changed their comments, or x their check marks)
 * without telling the list that every item changed, which would make the selection model read
 * them all. */
void
_byline_comments_page_refresh_visible_rows (BylineCommentsPage *self)
{

  for (GtkWidget *child = gtk_widget_get_first_child (self->list_view); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      GtkListItem *item = row ? g_object_get_data (G_OBJECT (row), "byline-list-item") : NULL;
      BylineComment *shown = item ? gtk_list_item_get_item (item) : NULL;
      g_autoptr(BylineComment) comment = NULL;
      gint64 id;

      if (shown == NULL)
        continue;
      id = byline_comment_get_id (shown);
      if (!(comment = byline_comment_queue_dup_comment (self->queue, id, NULL)))
        continue;
      byline_comment_row_set_comment (BYLINE_COMMENT_ROW (row), comment,
                                      _byline_comments_page_get_view (self) == BYLINE_COMMENT_VIEW_ALL,
                                      g_hash_table_contains (self->checked, &id));
      _byline_comments_page_show_reason (self, BYLINE_COMMENT_ROW (row), comment);
    }
}

static gboolean
refresh_idle_cb (gpointer user_data)
{
  BylineCommentsPage *self = user_data;

  self->refresh_idle_id = 0;
  if (self->refresh_all)
    {
      update_counts (self);
      update_empty (self);
      update_status (self);
      _byline_comments_page_refresh_visible_rows (self);
    }
  _byline_comments_page_update_detail (self);
  self->refresh_all = FALSE;
  return G_SOURCE_REMOVE;
}

static void
schedule_refresh (BylineCommentsPage *self)
{
  if (self->refresh_idle_id == 0)
    /* Before the next frame is drawn (GDK redraws at HIGH_IDLE + 20): the detail and the counts
     * change in the same frame as the list, and are not starved while GTK is busy. */
    self->refresh_idle_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, refresh_idle_cb, self, NULL);
}

/* Counts, the rows on screen, the detail and the empty state follow the store once per main
 * loop turn, after the list itself (which follows at once). */
static void
queue_refresh (BylineCommentsPage *self)
{
  self->refresh_all = TRUE;
  schedule_refresh (self);
}

/* Moving through the list changes only the detail: no counting on every j and k. */
static void
queue_refresh_detail (BylineCommentsPage *self)
{
  schedule_refresh (self);
}

static void
update_posts (BylineCommentsPage *self)
{
  g_autoptr(GPtrArray) posts = byline_comment_store_list_posts (self->comments, self->account_id, NULL);
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  const BylineCommentFilter *filter = byline_comment_queue_get_filter (self->queue);
  guint selected = 0;

  g_array_set_size (self->post_ids, 0);
  gtk_string_list_append (names, _("All Posts"));
  g_array_append_val (self->post_ids, (gint64) { 0 });
  for (guint i = 0; posts != NULL && i < posts->len; i++)
    {
      BylineCommentPost *post = g_ptr_array_index (posts, i);
      g_autofree char *name = NULL;

      if (post->title[0] != '\0')
        /* Translators: a post in the post filter, with its number of comments */
        name = g_strdup_printf (_("%s (%u)"), post->title, post->n_comments);
      else
        name = g_strdup_printf (_("Post %lld (%u)"), (long long) post->post_id, post->n_comments);
      gtk_string_list_append (names, name);
      g_array_append_val (self->post_ids, post->post_id);
      if (post->post_id == filter->post_id)
        selected = self->post_ids->len - 1;
    }
  self->updating_filters = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->post_dropdown), G_LIST_MODEL (names));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->post_dropdown), selected);
  self->updating_filters = FALSE;
}

/* ---- Filters ---- */

static void
apply_filter (BylineCommentsPage *self)
{
  BylineCommentFilter filter = { 0 };
  guint post = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->post_dropdown));
  g_autoptr(GError) error = NULL;

  if (self->updating_filters || self->queue == NULL)
    return;
  filter.account_id = self->account_id;
  filter.view = _byline_comments_page_get_view (self);
  filter.post_id = post < self->post_ids->len ? g_array_index (self->post_ids, gint64, post) : 0;
  filter.search = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  filter.oldest_first = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->order_dropdown)) == 1;
  g_hash_table_remove_all (self->checked);
  if (!byline_comment_queue_set_filter (self->queue, &filter, &error))
    _byline_comments_page_toast_error (self, error);
  if (g_list_model_get_n_items (G_LIST_MODEL (self->queue)) > 0)
    gtk_single_selection_set_selected (self->selection, 0);
  queue_refresh (self);
}

static void
view_toggled_cb (GtkToggleButton    *button,
                 BylineCommentsPage *self)
{
  if (gtk_toggle_button_get_active (button))
    apply_filter (self);
}

/* ---- Moving and acting ---- */

guint
_byline_comments_page_get_n_items (BylineCommentsPage *self)
{
  return g_list_model_get_n_items (G_LIST_MODEL (self->queue));
}

/* GTK 4.8 has no API to put the keyboard focus on an item (4.12 has): the row of @position, if
 * made, is found through the list item each row keeps, so that the focus ring follows j and k
 * instead of staying where the arrows left it. */
static void
focus_row (BylineCommentsPage *self,
           guint               position)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  /* The keys are in the list, or on the empty state while it was empty (see keep_keys ()). */
  if (focus == NULL || !(focus == self->list_view || focus == self->empty_page ||
                         gtk_widget_is_ancestor (focus, self->list_view)))
    return;
  for (GtkWidget *child = gtk_widget_get_first_child (self->list_view); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);
      GtkListItem *item = row ? g_object_get_data (G_OBJECT (row), "byline-list-item") : NULL;

      if (item != NULL && gtk_list_item_get_position (item) == position)
        {
          gtk_widget_grab_focus (child);
          gtk_widget_set_focusable (self->empty_page, FALSE);
          return;
        }
    }
}

/* Every row of the view left it at once (a decision on all of them): GTK 4.8 leaves the
 * window's focus on the row that had it, out of the window already and dropped soon after (a
 * critical, and the keys then reach nothing). The empty state takes the keys until the list
 * has a row again. */
static void
keep_keys (BylineCommentsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  if (g_list_model_get_n_items (G_LIST_MODEL (self->queue)) > 0 || focus == NULL ||
      !(focus == self->list_view || gtk_widget_get_root (focus) != root ||
        gtk_widget_is_ancestor (focus, self->list_view)))
    return;
  give_keys_to_empty_state (self);
}

void
_byline_comments_page_select_position (BylineCommentsPage *self,
                                       guint               position)
{
  /* What the list shows: all of the queue, but for a few frames after a big addition. */
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->selection));

  if (shown == 0)
    return;
  position = MIN (position, shown - 1);
  gtk_single_selection_set_selected (self->selection, position);
  gtk_widget_activate_action (self->list_view, "list.scroll-to-item", "u", position);
  focus_row (self, position);
}

static void
decide_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(BylineCommentsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean decided = byline_moderator_decide_finish (BYLINE_MODERATOR (object), result, &error);

  /* Byline is quitting (the decision was written as it closed), or the page is gone. */
  if (self->moderator == NULL || byline_moderator_is_closed (self->moderator))
    return;
  if (!decided)
    _byline_comments_page_toast_error (self, error);
  /* What was written since the sending started goes out too. */
  _byline_comments_page_ensure_sending (self);
}

/* Decides on @comments (BylineCommentKey), then selects the comment that now follows the one
 * that was current. */
void
_byline_comments_page_decide (BylineCommentsPage *self,
                              GArray             *comments,
                              BylineDecision      decision)
{
  _byline_comments_page_decide_with_reason (self, comments, decision, NULL);
}

void
_byline_comments_page_decide_with_reason (BylineCommentsPage *self,
                                          GArray             *comments,
                                          BylineDecision      decision,
                                          const char         *reason)
{
  guint position = gtk_single_selection_get_selected (self->selection);
  gint64 current = position != GTK_INVALID_LIST_POSITION
                   ? byline_comment_queue_get_id (self->queue, position) : 0;
  gint still;

  if (comments->len == 0)
    return;
  /* The list follows inside this call; the store, within a few frames. */
  byline_moderator_decide_with_reason_async (self->moderator,
                                             byline_comment_queue_get_filter (self->queue),
                                             (const BylineCommentKey *) (gpointer) comments->data,
                                             comments->len, decision, reason, decide_cb,
                                             g_object_ref (self));
  g_hash_table_remove_all (self->checked);
  /* The comment left the view (the usual case, in Pending): the next one took its place. */
  still = current ? byline_comment_queue_find (self->queue, current) : -1;
  if (position != GTK_INVALID_LIST_POSITION)
    _byline_comments_page_select_position (self, still >= 0 ? (guint) still + 1 : position);
  keep_keys (self);
  gtk_widget_queue_draw (self->list_view);
  /* Sending starts once the decision is written (decide_cb). */
}

static const char *
account_name (BylineCommentsPage *self)
{
  for (guint i = 0; self->accounts != NULL && i < self->accounts->len; i++)
    {
      BylineAccount *account = g_ptr_array_index (self->accounts, i);

      if (byline_account_get_id (account) == self->account_id)
        return byline_account_get_display_name (account);
    }
  return "";
}

static void
compose_send_cb (BylineCommentDetail *detail,
                 int                  mode,
                 const char          *text,
                 BylineCommentsPage  *self)
{
  BylineComment *comment = byline_comment_detail_get_comment (detail);
  g_autoptr(GError) error = NULL;
  gboolean ok;

  if (comment == NULL)
    return;
  if (mode == BYLINE_COMPOSE_REPLY)
    ok = byline_moderator_reply (self->moderator, byline_comment_get_id (comment), text,
                                 account_name (self), &error) != 0;
  else
    ok = byline_moderator_edit (self->moderator, byline_comment_get_id (comment), text, &error);
  if (!ok)
    {
      _byline_comments_page_toast_error (self, error);
      return;
    }
  byline_comment_detail_close_compose (detail);
  _byline_comments_page_toast (self, mode == BYLINE_COMPOSE_REPLY ? _("Reply sent to the outbox; it appears on the site in a moment")
                                            : _("Edit sent to the outbox"));
  _byline_comments_page_ensure_sending (self);
}

/* ---- Sending and syncing ---- */

static void
process_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(BylineCommentsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  gboolean sent = byline_moderator_process_finish (BYLINE_MODERATOR (object), result, &error);

  if (self->moderator == NULL || byline_moderator_is_closed (self->moderator))
    return;
  g_clear_pointer (&self->send_error, g_free);
  if (!sent &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      self->send_error = g_strdup (error->message);
      self->send_error_is_password =
        g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_CREDENTIALS);
    }
  update_status (self);
}

void
_byline_comments_page_ensure_sending (BylineCommentsPage *self)
{
  /* While a digit may still give the last decision a reason, it waits (see -reasons.c). */
  if (!byline_moderator_is_processing (self->moderator) &&
      !_byline_comments_page_in_reason_moment (self))
    byline_moderator_process_async (self->moderator, NULL, process_cb, g_object_ref (self));
  queue_refresh (self);
}

static void
notify_new_comments (BylineCommentsPage *self,
                     guint               n_new)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GNotification) notification = NULL;
  g_autofree char *title = NULL;

  if (n_new == 0 || root == NULL || gtk_window_is_active (GTK_WINDOW (root)))
    return;
  title = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u new comment to moderate",
                                        "%u new comments to moderate", n_new), n_new);
  notification = g_notification_new (title);
  g_notification_set_body (notification, account_name (self));
  g_notification_set_default_action (notification, "app.show-comments");
  if (g_application_get_default () != NULL)
    g_application_send_notification (g_application_get_default (), "new-comments", notification);
}

static void
sync_progress_cb (BylineCommentSync  *sync,
                  guint               fetched,
                  guint               total,
                  BylineCommentsPage *self)
{
  g_autofree char *text = NULL;

  if (total > 0)
    text = g_strdup_printf (_("Getting the site’s comments: %u of %u"), fetched, total);
  else
    text = g_strdup_printf (_("Getting the site’s comments: %u"), fetched);
  gtk_label_set_text (GTK_LABEL (self->status_label), text);
  gtk_widget_set_visible (self->progress_bar, total > 0);
  if (total > 0)
    gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), (double) fetched / total);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->status_revealer), TRUE);
}

static void
sync_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BylineCommentsPage) self = user_data;
  g_autoptr(GError) error = NULL;
  guint n_new = 0;

  if (self->sync == NULL)
    return;
  self->syncing = FALSE;
  gtk_widget_set_sensitive (self->refresh_button, TRUE);
  if (!byline_comment_sync_run_finish (BYLINE_COMMENT_SYNC (object), result, &n_new, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *text = g_strdup_printf (_("The comments could not be brought up to date: %s"),
                                                   error->message);
          gtk_label_set_text (GTK_LABEL (self->status_label), text);
          gtk_widget_set_visible (self->progress_bar, FALSE);
          gtk_revealer_set_reveal_child (GTK_REVEALER (self->status_revealer), TRUE);
        }
      return;
    }
  update_posts (self);
  update_status (self);
  queue_refresh (self);
  notify_new_comments (self, n_new);
  /* The site answers: what waited can go now. */
  _byline_comments_page_ensure_sending (self);
}

void
_byline_comments_page_start_sync (BylineCommentsPage *self)
{
  g_autofree char *newest = NULL;

  if (self->syncing || self->account_id == 0)
    return;
  newest = byline_comment_store_dup_newest_date (self->comments, self->account_id, NULL);
  self->syncing = TRUE;
  gtk_widget_set_sensitive (self->refresh_button, FALSE);
  sync_progress_cb (self->sync, 0, 0, self);
  byline_comment_sync_run_async (self->sync, self->account_id,
                                 newest ? BYLINE_COMMENT_SYNC_CHANGES : BYLINE_COMMENT_SYNC_FULL,
                                 self->cancellable, sync_cb, g_object_ref (self));
}

static gboolean
sync_timer_cb (gpointer user_data)
{
  _byline_comments_page_start_sync (user_data);
  return G_SOURCE_CONTINUE;
}

/* ---- Accounts ---- */

static void
show_account (BylineCommentsPage *self,
              gint64              account_id)
{
  if (account_id == self->account_id)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->syncing = FALSE;
  self->account_id = account_id;
  update_posts (self);
  apply_filter (self);
  _byline_comments_page_start_sync (self);
}

static void
account_selected_cb (GtkDropDown        *dropdown,
                     GParamSpec         *pspec,
                     BylineCommentsPage *self)
{
  guint selected = gtk_drop_down_get_selected (dropdown);

  if (self->updating_filters || self->accounts == NULL || selected >= self->accounts->len)
    return;
  show_account (self, byline_account_get_id (g_ptr_array_index (self->accounts, selected)));
}

/* The accounts may change in the Accounts window: read them each time the view is shown. */
static void
load_accounts (BylineCommentsPage *self)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  guint selected = 0;

  if (self->all_accounts == NULL || !(all = byline_accounts_list (self->all_accounts, NULL)))
    return;
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  self->accounts = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < all->len; i++)
    {
      BylineAccount *account = g_ptr_array_index (all, i);
      g_autofree char *label = NULL;

      if (!(byline_account_get_capabilities (account) & BYLINE_ACCOUNT_CAN_MODERATE))
        continue;
      g_ptr_array_add (self->accounts, g_object_ref (account));
      label = byline_account_dup_label (account);
      gtk_string_list_append (names, label);
      if (byline_account_get_id (account) == self->account_id)
        selected = self->accounts->len - 1;
    }
  self->updating_filters = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->account_dropdown), G_LIST_MODEL (names));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->account_dropdown), selected);
  self->updating_filters = FALSE;
  gtk_widget_set_visible (self->account_dropdown, self->accounts->len > 1);
  gtk_stack_set_visible_child_name (GTK_STACK (self->page_stack),
                                    self->accounts->len > 0 ? "queue" : "no-account");
  if (self->accounts->len > 0)
    show_account (self, byline_account_get_id (g_ptr_array_index (self->accounts, selected)));
}

static void
page_map_cb (BylineCommentsPage *self)
{
  load_accounts (self);
  byline_comments_page_focus_queue (self);
}

/* ---- The list ---- */

static void
setup_row_cb (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              BylineCommentsPage       *self)
{
  GtkWidget *row = self->spare_rows->len > 0
                   ? g_ptr_array_steal_index_fast (self->spare_rows, self->spare_rows->len - 1)
                   : g_object_ref_sink (byline_comment_row_new ());

  /* The item outlives its row (it owns it): a plain pointer is safe. */
  g_object_set_data (G_OBJECT (row), "byline-list-item", item);
  gtk_list_item_set_child (item, row);
  /* By teardown, GTK 4.8 has taken the row out of its item already: the item keeps it. */
  g_object_set_data_full (G_OBJECT (item), "byline-row", row, g_object_unref);
}

/* GTK 4.8 keeps up to 200 rows and drops them all when the list empties (a bulk decision in
 * Pending), then makes as many when it fills again (its undo): a row made from its template
 * costs far more than one bound again, so rows are kept for the next ones. */
static void
teardown_row_cb (GtkSignalListItemFactory *factory,
                 GtkListItem              *item,
                 BylineCommentsPage       *self)
{
  g_autoptr(GtkWidget) row = g_object_steal_data (G_OBJECT (item), "byline-row");

  if (row == NULL || self->spare_rows == NULL || self->spare_rows->len >= SPARE_ROWS)
    return;
  if (gtk_list_item_get_child (item) == row)
    gtk_list_item_set_child (item, NULL);
  g_object_set_data (G_OBJECT (row), "byline-list-item", NULL);
  g_ptr_array_add (self->spare_rows, g_steal_pointer (&row));
}

static void
bind_row_cb (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             BylineCommentsPage       *self)
{
  BylineComment *listed = gtk_list_item_get_item (item);
  g_autoptr(BylineComment) comment = NULL;
  BylineCommentRow *row;
  gint64 id;

  /* Deleted by another process (byline-cli) since the list was read: the next reload drops it. */
  if (listed == NULL)
    return;
  id = byline_comment_get_id (listed);
  /* GTK binds a row again (a selection change) with the item it already had, which may be older
   * than the store (a title or a status since): show the store's. */
  comment = byline_comment_queue_dup_comment (self->queue, id, NULL);
  if (comment == NULL)
    comment = g_object_ref (listed);

  row = BYLINE_COMMENT_ROW (gtk_list_item_get_child (item));
  byline_comment_row_set_comment (row, comment, _byline_comments_page_get_view (self) == BYLINE_COMMENT_VIEW_ALL,
                                  g_hash_table_contains (self->checked, &id));
  _byline_comments_page_show_reason (self, row, comment);
  byline_list_item_set_accessible_label (item, byline_comment_row_get_accessible_label (row));
}

static void
selection_changed_cb (BylineCommentsPage *self)
{
  guint selected = gtk_single_selection_get_selected (self->selection);

  if (self->queue_changing)
    return;
  if (selected != GTK_INVALID_LIST_POSITION)
    self->current_id = byline_comment_queue_get_id (self->queue, selected);
  queue_refresh_detail (self);
}

/* Runs before the selection model sees the change: what it selects meanwhile is not the
 * person's choice. */
static void
queue_items_changing_cb (BylineCommentsPage *self)
{
  self->queue_changing = TRUE;
}

/* Runs after it: a sync reads the whole list again, and the selection stays on the same
 * comment. */
static void
queue_items_changed_cb (GListModel         *model,
                        guint               position,
                        guint               removed,
                        guint               added,
                        BylineCommentsPage *self)
{
  guint selected = gtk_single_selection_get_selected (self->selection);

  if (self->current_id != 0 && removed > 1 &&
      (selected == GTK_INVALID_LIST_POSITION ||
       byline_comment_queue_get_id (self->queue, selected) != self->current_id))
    {
      gint position_now = byline_comment_queue_find (self->queue, self->current_id);

      /* Only among the rows the list has: past them (an addition it takes a few a frame),
       * the selection would be none, and GTK would pick a row of its own. */
      if (position_now >= 0 &&
          (guint) position_now < g_list_model_get_n_items (G_LIST_MODEL (self->selection)))
        gtk_single_selection_set_selected (self->selection, position_now);
    }
  self->queue_changing = FALSE;
  selection_changed_cb (self);
  queue_refresh (self);
}

/* A sync changes comments in place (titles, texts); the list reports only moves. */
static void
store_changed_cb (BylineCommentStore *comments,
                  gint64              account_id,
                  GArray             *ids,
                  BylineCommentsPage *self)
{
  if (account_id == self->account_id)
    queue_refresh (self);
}

static void
moderator_failed_cb (BylineModerator    *moderator,
                     gint64              comment_id,
                     const char         *message,
                     BylineCommentsPage *self)
{
  g_autofree char *text = g_strdup_printf (_("A decision was not applied: %s"), message);
  _byline_comments_page_toast (self, text);
}

static void
moderator_gone_cb (BylineModerator    *moderator,
                   gint64              comment_id,
                   const char         *message,
                   BylineCommentsPage *self)
{
  _byline_comments_page_toast (self, message);
}

static void
search_stop_cb (BylineCommentsPage *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  byline_comments_page_focus_queue (self);
}

void
byline_comments_page_focus_queue (BylineCommentsPage *self)
{
  g_return_if_fail (BYLINE_IS_COMMENTS_PAGE (self));

  if (self->queue != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->queue)) == 0)
    {
      give_keys_to_empty_state (self);
      return;
    }
  gtk_widget_set_focusable (self->empty_page, FALSE);
  gtk_widget_grab_focus (self->list_view);
}

void
byline_comments_page_load (BylineCommentsPage *self,
                           BylineCommentStore *comments,
                           BylineModerator    *moderator,
                           BylineCommentSync  *sync,
                           BylineAccounts     *accounts)
{
  GtkListItemFactory *factory;

  g_return_if_fail (BYLINE_IS_COMMENTS_PAGE (self));
  g_return_if_fail (BYLINE_IS_COMMENT_STORE (comments));

  self->all_accounts = g_object_ref (accounts);
  self->comments = g_object_ref (comments);
  byline_comment_detail_set_store (BYLINE_COMMENT_DETAIL (self->detail),
                                   byline_comment_store_get_store (comments));
  self->moderator = g_object_ref (moderator);
  self->sync = g_object_ref (sync);
  self->queue = byline_comment_queue_new (self->comments);
  g_signal_connect_object (self->queue, "items-changed", G_CALLBACK (queue_items_changing_cb), self,
                           G_CONNECT_SWAPPED);
  /* The list view takes a big addition (an undo of thousands) a few rows a frame. */
  self->pacer = byline_list_pacer_new (G_LIST_MODEL (self->queue), self->list_view);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->pacer)));
  gtk_single_selection_set_can_unselect (self->selection, FALSE);

  factory = gtk_signal_list_item_factory_new ();
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row_cb), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row_cb), self);
  g_signal_connect (factory, "teardown", G_CALLBACK (teardown_row_cb), self);
  gtk_list_view_set_factory (GTK_LIST_VIEW (self->list_view), factory);
  g_object_unref (factory);
  gtk_list_view_set_model (GTK_LIST_VIEW (self->list_view), GTK_SELECTION_MODEL (self->selection));

  g_signal_connect_object (self->queue, "items-changed", G_CALLBACK (queue_items_changed_cb), self,
                           G_CONNECT_AFTER);
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (selection_changed_cb),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->moderator, "action-failed", G_CALLBACK (moderator_failed_cb), self, 0);
  g_signal_connect_object (self->moderator, "comment-gone", G_CALLBACK (moderator_gone_cb), self, 0);
  g_signal_connect_object (self->sync, "progress", G_CALLBACK (sync_progress_cb), self, 0);
  g_signal_connect_object (self->comments, "changed", G_CALLBACK (store_changed_cb), self,
                           G_CONNECT_AFTER);

  self->sync_timer_id = g_timeout_add_seconds (SYNC_INTERVAL_SECONDS, sync_timer_cb, self);
  /* Synced from the start, not only once the view is shown: the queue is ready when the
   * moderator comes to it, and new comments are announced while they write in Drafts. */
  load_accounts (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    byline_comments_page_focus_queue (self);
}

static void
byline_comments_page_dispose (GObject *object)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_handle_id (&self->sync_timer_id, g_source_remove);
  g_clear_handle_id (&self->refresh_idle_id, g_source_remove);
  /* What waited for a reason goes out with the moderator's next run. */
  g_clear_handle_id (&self->reason_moment_id, g_source_remove);
  g_clear_pointer (&self->reason_keys, g_array_unref);
  g_clear_pointer (&self->reasons, g_ptr_array_unref);
  /* The sync and the moderator are the application's and outlive this page. */
  if (self->sync != NULL)
    g_signal_handlers_disconnect_by_data (self->sync, self);
  if (self->moderator != NULL)
    g_signal_handlers_disconnect_by_data (self->moderator, self);
  if (self->comments != NULL)
    g_signal_handlers_disconnect_by_data (self->comments, self);
  if (self->list_view != NULL)
    gtk_list_view_set_model (GTK_LIST_VIEW (self->list_view), NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), BYLINE_TYPE_COMMENTS_PAGE);
  g_clear_object (&self->selection);
  g_clear_object (&self->pacer);
  g_clear_object (&self->queue);
  g_clear_object (&self->sync);
  g_clear_object (&self->moderator);
  g_clear_object (&self->comments);
  g_clear_object (&self->all_accounts);
  g_clear_pointer (&self->accounts, g_ptr_array_unref);
  g_clear_pointer (&self->checked, g_hash_table_unref);
  g_clear_pointer (&self->spare_rows, g_ptr_array_unref);
  g_clear_pointer (&self->post_ids, g_array_unref);
  g_clear_pointer (&self->send_error, g_free);

  G_OBJECT_CLASS (byline_comments_page_parent_class)->dispose (object);
}

static void
byline_comments_page_class_init (BylineCommentsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_comments_page_dispose;

  g_type_ensure (BYLINE_TYPE_COMMENT_DETAIL);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/byline-comments-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, BylineCommentsPage, name)
  BIND (page_stack);
  BIND (account_dropdown);
  BIND (pending_button);
  BIND (approved_button);
  BIND (spam_button);
  BIND (trash_button);
  BIND (all_button);
  BIND (post_dropdown);
  BIND (search_entry);
  BIND (order_dropdown);
  BIND (refresh_button);
  BIND (status_revealer);
  BIND (status_label);
  BIND (progress_bar);
  BIND (list_stack);
  BIND (list_view);
  BIND (empty_page);
  BIND (detail);
  BIND (reason_hint_revealer);
  BIND (reason_hint_label);
#undef BIND

  _byline_comments_page_class_actions_init (widget_class);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
byline_comments_page_init (BylineCommentsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->checked = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->spare_rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->post_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->cancellable = g_cancellable_new ();

  set_view_label (self->pending_button, C_("comments view", "Pending"), 0);
  set_view_label (self->approved_button, C_("comments view", "Approved"), 0);
  set_view_label (self->spam_button, C_("comments view", "Spam"), 0);
  set_view_label (self->trash_button, C_("comments view", "Trash"), 0);
  set_view_label (self->all_button, C_("comments view", "All"), 0);

  _byline_comments_page_actions_init (self);

  g_signal_connect (self->pending_button, "toggled", G_CALLBACK (view_toggled_cb), self);
  g_signal_connect (self->approved_button, "toggled", G_CALLBACK (view_toggled_cb), self);
  g_signal_connect (self->spam_button, "toggled", G_CALLBACK (view_toggled_cb), self);
  g_signal_connect (self->trash_button, "toggled", G_CALLBACK (view_toggled_cb), self);
  g_signal_connect (self->all_button, "toggled", G_CALLBACK (view_toggled_cb), self);
  g_signal_connect_swapped (self->post_dropdown, "notify::selected", G_CALLBACK (apply_filter), self);
  g_signal_connect_swapped (self->order_dropdown, "notify::selected", G_CALLBACK (apply_filter), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (apply_filter), self);
  g_signal_connect_swapped (self->search_entry, "activate",
                            G_CALLBACK (byline_comments_page_focus_queue), self);
  g_signal_connect_swapped (self->search_entry, "stop-search", G_CALLBACK (search_stop_cb), self);
  g_signal_connect (self->account_dropdown, "notify::selected", G_CALLBACK (account_selected_cb), self);
  g_signal_connect (self->detail, "send", G_CALLBACK (compose_send_cb), self);
  g_signal_connect (self, "map", G_CALLBACK (page_map_cb), NULL);
}
