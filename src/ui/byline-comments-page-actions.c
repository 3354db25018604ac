/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comments-page-actions.c: the Comments view's actions, one handler each, and the keys
 * that fire them.
 *
 * The keys are WordPress's (moderation-keys.md) and never fire while the focus is in a text
 * field; the buttons, the shortcuts window and the detail pane use the same actions. A key
 * acts on the current comment; with Shift, on those selected with x. */

#define G_LOG_DOMAIN "byline-comments"

#include "config.h"

#include <glib/gi18n.h>

#include "byline-comment-detail.h"
#include "byline-comment-html.h"
#include "byline-comment-queue.h"
#include "byline-comments-page-private.h"

static gboolean typing_in_a_field (BylineCommentsPage *self);

static void
move (BylineCommentsPage *self,
      int                 delta)
{
  guint position = gtk_single_selection_get_selected (self->selection);

  if (position == GTK_INVALID_LIST_POSITION)
    _byline_comments_page_select_position (self, 0);
  else if (delta < 0 && position > 0)
    _byline_comments_page_select_position (self, position - 1);
  else if (delta > 0)
    _byline_comments_page_select_position (self, position + 1);
}

/* The current comment, as a BylineCommentKey; none when nothing is selected. */
static GArray *
current_keys (BylineCommentsPage *self)
{
  GArray *keys = g_array_new (FALSE, FALSE, sizeof (BylineCommentKey));
  guint position = gtk_single_selection_get_selected (self->selection);

  if (position != GTK_INVALID_LIST_POSITION)
    g_array_append_vals (keys, byline_comment_queue_get_key (self->queue, position), 1);
  return keys;
}

/* The comments selected with x, in the list's order; the current one when there are none. */
static GArray *
selected_keys (BylineCommentsPage *self)
{
  GArray *keys;

  if (g_hash_table_size (self->checked) == 0)
    return current_keys (self);
  keys = g_array_new (FALSE, FALSE, sizeof (BylineCommentKey));
  for (guint i = 0; i < _byline_comments_page_get_n_items (self); i++)
    {
      const BylineCommentKey *key = byline_comment_queue_get_key (self->queue, i);

      if (g_hash_table_contains (self->checked, &key->id))
        g_array_append_vals (keys, key, 1);
    }
  return keys;
}

static gboolean
in_spam_or_trash (BylineCommentsPage *self)
{
  BylineCommentView view = _byline_comments_page_get_view (self);
  return view == BYLINE_COMMENT_VIEW_SPAM || view == BYLINE_COMMENT_VIEW_TRASH;
}

typedef struct {
  BylineCommentsPage *self;
  GArray             *keys;
} DeleteRequest;

static void
delete_request_free (gpointer  data,
                     GClosure *closure)
{
  DeleteRequest *request = data;

  g_array_unref (request->keys);
  g_object_unref (request->self);
  g_free (request);
}

static void
delete_response_cb (AdwMessageDialog *dialog,
                    const char       *response,
                    DeleteRequest    *request)
{
  /* The page may be gone (the window closed with the dialog open). */
  if (g_str_equal (response, "delete") && request->self->moderator != NULL)
    _byline_comments_page_decide (request->self, request->keys, BYLINE_DECISION_DELETE);
}

/* Deleting for good cannot be undone once sent: it asks first (Enter confirms). */
static void
confirm_delete (BylineCommentsPage *self,
                GArray             *keys)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  DeleteRequest *request;
  GtkWidget *dialog;
  guint kept = 0;

  /* As in WordPress, only spam and trash can be deleted for good; the moderator checks again
   * against the store. */
  for (guint i = 0; i < keys->len; i++)
    {
      const BylineCommentKey *key = &g_array_index (keys, BylineCommentKey, i);

      if (g_strcmp0 (key->status, BYLINE_COMMENT_STATUS_SPAM) == 0 ||
          g_strcmp0 (key->status, BYLINE_COMMENT_STATUS_TRASH) == 0)
        g_array_index (keys, BylineCommentKey, kept++) = *key;
    }
  g_array_set_size (keys, kept);
  if (keys->len == 0)
    {
      _byline_comments_page_toast (self, _("Only spam and comments in the trash can be deleted "
                                           "for good: trash them first."));
      g_array_unref (keys);
      return;
    }
  dialog = adw_message_dialog_new (GTK_WINDOW (root),
                                   g_dngettext (GETTEXT_PACKAGE, "Delete the Comment for Good?",
                                                "Delete the Comments for Good?", keys->len),
                                   NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  g_dngettext (GETTEXT_PACKAGE,
                                               "%u comment will be deleted from the site. This "
                                               "cannot be undone once it is sent.",
                                               "%u comments will be deleted from the site. This "
                                               "cannot be undone once they are sent.", keys->len),
                                  keys->len);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", _("_Cancel"),
                                    "delete", _("_Delete for Good"), NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "delete",
                                              ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "delete");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  request = g_new0 (DeleteRequest, 1);
  request->self = g_object_ref (self);
  request->keys = keys;
  /* Freed with the handler, when the dialog goes, whether or not it was answered. */
  g_signal_connect_data (dialog, "response", G_CALLBACK (delete_response_cb), request,
                         delete_request_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
undo_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(BylineCommentsPage) self = user_data;
  g_autoptr(GArray) ids = NULL;
  g_autoptr(GError) error = NULL;
  gboolean undone = byline_moderator_undo_finish (BYLINE_MODERATOR (object), result, &ids,
                                                  &error);

  if (self->moderator == NULL || byline_moderator_is_closed (self->moderator))
    return;
  if (!undone)
    _byline_comments_page_toast_error (self, error);
  /* The first comment put back becomes current, unless the person moved on meanwhile. */
  if (ids != NULL && ids->len > 0 && self->current_id == self->current_when_undone)
    {
      gint position = byline_comment_queue_find (self->queue, g_array_index (ids, gint64, 0));

      if (position >= 0)
        _byline_comments_page_select_position (self, position);
    }
  _byline_comments_page_ensure_sending (self);
}

static void
undo (BylineCommentsPage *self)
{
  /* In Spam and Trash, z restores the comment in front of you, as in wp-admin. */
  if (in_spam_or_trash (self))
    {
      g_autoptr(GArray) current = current_keys (self);
      _byline_comments_page_decide (self, current, BYLINE_DECISION_RESTORE);
      return;
    }
  if (!byline_moderator_can_undo (self->moderator))
    {
      _byline_comments_page_toast (self, _("There is nothing to undo."));
      return;
    }
  /* The list shows the comments back inside this call. */
  byline_moderator_undo_async (self->moderator, undo_cb, g_object_ref (self));
  self->current_when_undone = self->current_id;
}

static void
open_on_site (BylineCommentsPage *self)
{
  g_autoptr(BylineComment) comment = _byline_comments_page_dup_current (self);
  g_autofree char *safe = NULL;
  const char *link;

  if (comment == NULL)
    return;
  link = byline_comment_get_link (comment);
  if (link[0] == '\0')
    link = byline_comment_get_post_link (comment);
  /* The address comes from the site; only a web address is opened. */
  safe = byline_comment_html_safe_link (link, NULL);
  if (safe == NULL || !(g_str_has_prefix (safe, "https://") || g_str_has_prefix (safe, "http://")))
    {
      _byline_comments_page_toast (self, _("This comment has no address on the site yet."));
      return;
    }
  gtk_show_uri (GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))), safe, GDK_CURRENT_TIME);
}

static void
toggle_checked (BylineCommentsPage *self)
{
  guint position = gtk_single_selection_get_selected (self->selection);
  gint64 id;

  if (position == GTK_INVALID_LIST_POSITION)
    return;
  id = byline_comment_queue_get_id (self->queue, position);
  if (!g_hash_table_remove (self->checked, &id))
    g_hash_table_add (self->checked, g_memdup2 (&id, sizeof id));
  _byline_comments_page_refresh_visible_rows (self);
}

/* shift+x: everything in the view, or nothing when everything already is. */
static void
toggle_all (BylineCommentsPage *self)
{
  guint n = _byline_comments_page_get_n_items (self);
  gboolean all = g_hash_table_size (self->checked) == n;

  g_hash_table_remove_all (self->checked);
  if (!all)
    for (guint i = 0; i < n; i++)
      {
        gint64 id = byline_comment_queue_get_id (self->queue, i);
        g_hash_table_add (self->checked, g_memdup2 (&id, sizeof id));
      }
  _byline_comments_page_refresh_visible_rows (self);
}

static void
compose (BylineCommentsPage *self,
         BylineComposeMode   mode)
{
  g_autoptr(BylineComment) comment = _byline_comments_page_dup_current (self);

  if (comment == NULL)
    return;
  /* The pane follows the selection in an idle: make sure it shows this one before typing. */
  _byline_comments_page_update_detail (self);
  byline_comment_detail_compose (BYLINE_COMMENT_DETAIL (self->detail), mode,
                                 mode == BYLINE_COMPOSE_EDIT ? byline_comment_get_raw (comment)
                                                             : "");
}

/* A decision on the current comment, or on those selected with x. */
static void
decide_on (BylineCommentsPage *self,
           gboolean            selection,
           BylineDecision      decision)
{
  g_autoptr(GArray) keys = NULL;

  if (self->queue == NULL)
    return;
  keys = selection ? selected_keys (self) : current_keys (self);
  _byline_comments_page_decide (self, keys, decision);
  _byline_comments_page_offer_reasons (self, keys, decision);
}

/* ctrl+s, ctrl+d, ctrl+u: the reason first, from the list, then the decision; on the comments
 * selected with x, or the current one. (Shift+the key is already WordPress's bulk action.) */
static void
decide_with_chosen_reason (BylineCommentsPage *self,
                           BylineDecision      decision)
{
  g_autoptr(GArray) keys = NULL;

  /* Ctrl+the key may mean something else where text is typed. */
  if (self->queue == NULL || typing_in_a_field (self))
    return;
  keys = selected_keys (self);
  _byline_comments_page_choose_reason (self, keys, decision);
}

/* d trashes; in Spam and Trash it deletes for good (after asking), as in wp-admin. */
static void
trash_or_delete (BylineCommentsPage *self,
                 gboolean            selection)
{
  g_autoptr(GArray) keys = NULL;

  if (self->queue == NULL)
    return;
  keys = selection ? selected_keys (self) : current_keys (self);
  if (in_spam_or_trash (self))
    confirm_delete (self, g_steal_pointer (&keys));
  else
    {
      _byline_comments_page_decide (self, keys, BYLINE_DECISION_TRASH);
      _byline_comments_page_offer_reasons (self, keys, BYLINE_DECISION_TRASH);
    }
}

/* ---- The actions ---- */

/* j: the next comment. */
static void
byline_comments_page_actions_next (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  if (self->queue == NULL)
    return;
  move (self, 1);
}

/* k: the comment before. */
static void
byline_comments_page_actions_previous (GtkWidget  *widget,
                                       const char *action_name,
                                       GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  if (self->queue == NULL)
    return;
  move (self, -1);
}

/* a: approves the current comment. */
static void
byline_comments_page_actions_approve (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  decide_on (self, FALSE, BYLINE_DECISION_APPROVE);
}

/* u: back to pending. */
static void
byline_comments_page_actions_unapprove (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  decide_on (self, FALSE, BYLINE_DECISION_UNAPPROVE);
}

/* s: spam. */
static void
byline_comments_page_actions_spam (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  decide_on (self, FALSE, BYLINE_DECISION_SPAM);
}

/* d: the trash (in Spam and Trash, deletes for good). */
static void
byline_comments_page_actions_trash (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  trash_or_delete (self, FALSE);
}

/* z: undoes the last decision (in Spam and Trash, restores the current comment). */
static void
byline_comments_page_actions_undo (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  if (self->queue == NULL)
    return;
  undo (self);
}

/* r: a reply, in the detail pane. */
static void
byline_comments_page_actions_reply (GtkWidget  *widget,
                                    const char *action_name,
                                    GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  if (self->queue == NULL)
    return;
  compose (self, BYLINE_COMPOSE_REPLY);
}

/* q: edits the comment, in the detail pane. */
static void
byline_comments_page_actions_edit (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  if (self->queue == NULL)
    return;
  compose (self, BYLINE_COMPOSE_EDIT);
}

/* e: the comment on the site, in the browser. */
static void
byline_comments_page_actions_open (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  if (self->queue == NULL)
    return;
  open_on_site (self);
}

/* x: selects the current comment, or no longer. */
static void
byline_comments_page_actions_select (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  if (self->queue == NULL)
    return;
  toggle_checked (self);
}

/* shift+x: selects every comment of the view, or none. */
static void
byline_comments_page_actions_select_all (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  if (self->queue == NULL)
    return;
  toggle_all (self);
}

/* shift+a: approves the selected comments. */
static void
byline_comments_page_actions_approve_selected (GtkWidget  *widget,
                                               const char *action_name,
                                               GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  decide_on (self, TRUE, BYLINE_DECISION_APPROVE);
}

/* shift+u: the selected comments back to pending. */
static void
byline_comments_page_actions_unapprove_selected (GtkWidget  *widget,
                                                 const char *action_name,
                                                 GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  decide_on (self, TRUE, BYLINE_DECISION_UNAPPROVE);
}

/* shift+s: the selected comments are spam. */
static void
byline_comments_page_actions_spam_selected (GtkWidget  *widget,
                                            const char *action_name,
                                            GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  decide_on (self, TRUE, BYLINE_DECISION_SPAM);
}

/* shift+t: the selected comments to the trash (from Spam and Trash, for good). */
static void
byline_comments_page_actions_trash_selected (GtkWidget  *widget,
                                             const char *action_name,
                                             GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  trash_or_delete (self, TRUE);
}

/* shift+z: restores the selected comments from spam or the trash. */
static void
byline_comments_page_actions_restore_selected (GtkWidget  *widget,
                                               const char *action_name,
                                               GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  decide_on (self, TRUE, BYLINE_DECISION_RESTORE);
}

/* shift+d: deletes the selected spam and trash for good, after asking. */
static void
byline_comments_page_actions_delete_selected (GtkWidget  *widget,
                                              const char *action_name,
                                              GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  if (self->queue == NULL)
    return;
  confirm_delete (self, selected_keys (self));
}

/* ctrl+s: spam, with a reason chosen from the list. */
static void
byline_comments_page_actions_spam_with_reason (GtkWidget  *widget,
                                               const char *action_name,
                                               GVariant   *param)
{
  decide_with_chosen_reason (BYLINE_COMMENTS_PAGE (widget), BYLINE_DECISION_SPAM);
}

/* ctrl+d: the trash, with a reason chosen from the list (not in Spam and Trash: deleting for
 * good carries none). */
static void
byline_comments_page_actions_trash_with_reason (GtkWidget  *widget,
                                                const char *action_name,
                                                GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  if (self->queue != NULL && in_spam_or_trash (self))
    {
      trash_or_delete (self, TRUE);
      return;
    }
  decide_with_chosen_reason (self, BYLINE_DECISION_TRASH);
}

/* ctrl+u: back to pending, with a reason chosen from the list. */
static void
byline_comments_page_actions_unapprove_with_reason (GtkWidget  *widget,
                                                    const char *action_name,
                                                    GVariant   *param)
{
  decide_with_chosen_reason (BYLINE_COMMENTS_PAGE (widget), BYLINE_DECISION_UNAPPROVE);
}

/* The site's policy reasons, in their window. */
static void
byline_comments_page_actions_edit_reasons (GtkWidget  *widget,
                                           const char *action_name,
                                           GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  if (self->queue == NULL)
    return;
  _byline_comments_page_edit_reasons (self);
}

/* The moderation trail, to a CSV or JSON Lines file. */
static void
byline_comments_page_actions_export_trail (GtkWidget  *widget,
                                           const char *action_name,
                                           GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  if (self->queue == NULL)
    return;
  _byline_comments_page_export_trail (self);
}

/* /: the search field. */
static void
byline_comments_page_actions_search (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  if (self->queue == NULL)
    return;
  gtk_widget_grab_focus (self->search_entry);
}

/* From the detail pane (Escape) back to the list. */
static void
byline_comments_page_actions_focus_list (GtkWidget  *widget,
                                         const char *action_name,
                                         GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  if (self->queue == NULL)
    return;
  byline_comments_page_focus_queue (self);
}

/* Ctrl+R: what is new on the site, and what waits for its backoff goes now (the person asks
 * because the site may be back). */
static void
byline_comments_page_actions_refresh (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *param)
{
  BylineCommentsPage *self = BYLINE_COMMENTS_PAGE (widget);

  if (self->moderator == NULL)
    return;
  byline_moderator_retry_now (self->moderator, self->account_id);
  _byline_comments_page_ensure_sending (self);
  _byline_comments_page_start_sync (self);
}

/* ---- The keys ---- */

/* WordPress's keys. A letter with Shift acts on the comments selected with x. */
static const struct {
  guint       keyval;
  const char *action;
} moderation_keys[] = {
  { GDK_KEY_j, "comments.next" },
  { GDK_KEY_k, "comments.previous" },
  { GDK_KEY_a, "comments.approve" },
  { GDK_KEY_u, "comments.unapprove" },
  { GDK_KEY_s, "comments.spam" },
  { GDK_KEY_d, "comments.trash" },
  { GDK_KEY_z, "comments.undo" },
  { GDK_KEY_r, "comments.reply" },
  { GDK_KEY_q, "comments.edit" },
  { GDK_KEY_e, "comments.open" },
  { GDK_KEY_x, "comments.select" },
  { GDK_KEY_X, "comments.select-all" },
  { GDK_KEY_A, "comments.approve-selected" },
  { GDK_KEY_U, "comments.unapprove-selected" },
  { GDK_KEY_S, "comments.spam-selected" },
  { GDK_KEY_T, "comments.trash-selected" },
  { GDK_KEY_Z, "comments.restore-selected" },
  { GDK_KEY_D, "comments.delete-selected" },
  { GDK_KEY_slash, "comments.search" },
};

static gboolean
typing_in_a_field (BylineCommentsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  for (; focus != NULL; focus = gtk_widget_get_parent (focus))
    if (GTK_IS_EDITABLE (focus) || GTK_IS_TEXT_VIEW (focus))
      return TRUE;
  return FALSE;
}

static gboolean
key_pressed_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                BylineCommentsPage    *self)
{
  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) != 0 || typing_in_a_field (self))
    return FALSE;
  /* Just after s, d or u, a digit gives that decision a reason. */
  if (_byline_comments_page_reason_key (self, keyval))
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (moderation_keys); i++)
    if (moderation_keys[i].keyval == keyval)
      {
        gtk_widget_activate_action (GTK_WIDGET (self), moderation_keys[i].action, NULL);
        return TRUE;
      }
  return FALSE;
}

void
_byline_comments_page_class_actions_init (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "comments.next", NULL,
                                   byline_comments_page_actions_next);
  gtk_widget_class_install_action (widget_class, "comments.previous", NULL,
                                   byline_comments_page_actions_previous);
  gtk_widget_class_install_action (widget_class, "comments.approve", NULL,
                                   byline_comments_page_actions_approve);
  gtk_widget_class_install_action (widget_class, "comments.unapprove", NULL,
                                   byline_comments_page_actions_unapprove);
  gtk_widget_class_install_action (widget_class, "comments.spam", NULL,
                                   byline_comments_page_actions_spam);
  gtk_widget_class_install_action (widget_class, "comments.trash", NULL,
                                   byline_comments_page_actions_trash);
  gtk_widget_class_install_action (widget_class, "comments.undo", NULL,
                                   byline_comments_page_actions_undo);
  gtk_widget_class_install_action (widget_class, "comments.reply", NULL,
                                   byline_comments_page_actions_reply);
  gtk_widget_class_install_action (widget_class, "comments.edit", NULL,
                                   byline_comments_page_actions_edit);
  gtk_widget_class_install_action (widget_class, "comments.open", NULL,
                                   byline_comments_page_actions_open);
  gtk_widget_class_install_action (widget_class, "comments.select", NULL,
                                   byline_comments_page_actions_select);
  gtk_widget_class_install_action (widget_class, "comments.select-all", NULL,
                                   byline_comments_page_actions_select_all);
  gtk_widget_class_install_action (widget_class, "comments.approve-selected", NULL,
                                   byline_comments_page_actions_approve_selected);
  gtk_widget_class_install_action (widget_class, "comments.unapprove-selected", NULL,
                                   byline_comments_page_actions_unapprove_selected);
  gtk_widget_class_install_action (widget_class, "comments.spam-selected", NULL,
                                   byline_comments_page_actions_spam_selected);
  gtk_widget_class_install_action (widget_class, "comments.trash-selected", NULL,
                                   byline_comments_page_actions_trash_selected);
  gtk_widget_class_install_action (widget_class, "comments.restore-selected", NULL,
                                   byline_comments_page_actions_restore_selected);
  gtk_widget_class_install_action (widget_class, "comments.delete-selected", NULL,
                                   byline_comments_page_actions_delete_selected);
  gtk_widget_class_install_action (widget_class, "comments.search", NULL,
                                   byline_comments_page_actions_search);
  gtk_widget_class_install_action (widget_class, "comments.focus-list", NULL,
                                   byline_comments_page_actions_focus_list);
  gtk_widget_class_install_action (widget_class, "comments.refresh", NULL,
                                   byline_comments_page_actions_refresh);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK,
                                       "comments.refresh", NULL);
  gtk_widget_class_install_action (widget_class, "comments.spam-with-reason", NULL,
                                   byline_comments_page_actions_spam_with_reason);
  gtk_widget_class_install_action (widget_class, "comments.trash-with-reason", NULL,
                                   byline_comments_page_actions_trash_with_reason);
  gtk_widget_class_install_action (widget_class, "comments.unapprove-with-reason", NULL,
                                   byline_comments_page_actions_unapprove_with_reason);
  gtk_widget_class_install_action (widget_class, "comments.edit-reasons", NULL,
                                   byline_comments_page_actions_edit_reasons);
  gtk_widget_class_install_action (widget_class, "comments.export-trail", NULL,
                                   byline_comments_page_actions_export_trail);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK,
                                       "comments.spam-with-reason", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK,
                                       "comments.trash-with-reason", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_u, GDK_CONTROL_MASK,
                                       "comments.unapprove-with-reason", NULL);
}

void
_byline_comments_page_actions_init (BylineCommentsPage *self)
{
  GtkEventController *keys = gtk_event_controller_key_new ();

  g_signal_connect (keys, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}
