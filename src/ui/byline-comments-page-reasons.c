/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comments-page-reasons.c: the Comments view's policy reasons: the digit after s, d or u
 * (and their Shift variants), the chooser (ctrl+s, ctrl+d, ctrl+u), the site's reasons editor and
 * the export of the moderation trail.
 *
 * A rejecting key decides at once, as it always did; for a short moment after it the reasons
 * are shown under the toolbar with their digits, and a digit gives the decision just made that
 * reason. A moderator who wants to look the list over asks for the chooser instead, which
 * decides once a reason is picked. */

#define G_LOG_DOMAIN "byline-comments"

#include "config.h"

#include <glib/gi18n.h>

#include "byline-comment-detail.h"
#include "byline-comments-page-private.h"
#include "byline-moderation-log.h"
#include "byline-moderation-reasons.h"
#include "byline-reason-chooser.h"
#include "byline-reasons-window.h"
#include "byline-trail-export-window.h"

/* How long a digit still gives a reason to the decision just made. */
#define REASON_MOMENT_MS 1500
/* The hint lists the reasons a digit can reach. */
#define REASON_DIGITS    9

static gboolean
rejects (BylineDecision decision)
{
  return decision == BYLINE_DECISION_SPAM || decision == BYLINE_DECISION_TRASH ||
         decision == BYLINE_DECISION_UNAPPROVE;
}

static void
end_reason_moment (BylineCommentsPage *self)
{
  g_clear_handle_id (&self->reason_moment_id, g_source_remove);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->reason_hint_revealer), FALSE);
}

/* The site's reasons, NULL (told) when they cannot be read. */
static GPtrArray *
list_reasons (BylineCommentsPage *self)
{
  BylineStore *store = byline_comment_store_get_store (self->comments);
  g_autoptr(GError) error = NULL;
  GPtrArray *reasons = byline_moderation_reasons_list (store, self->account_id, &error);

  if (reasons == NULL)
    _byline_comments_page_toast_error (self, error);
  return reasons;
}

gboolean
_byline_comments_page_in_reason_moment (BylineCommentsPage *self)
{
  return self->reason_moment_id != 0;
}

void
_byline_comments_page_end_reason_moment (BylineCommentsPage *self)
{
  gboolean was = self->reason_moment_id != 0;

  end_reason_moment (self);
  g_clear_pointer (&self->reason_keys, g_array_unref);
  g_clear_pointer (&self->reasons, g_ptr_array_unref);
  /* Sending waited for the moment, so that a reason given in it changes nothing on the site. */
  if (was && self->moderator != NULL && !byline_moderator_is_closed (self->moderator))
    _byline_comments_page_ensure_sending (self);
}

static gboolean
reason_moment_over_cb (gpointer user_data)
{
  BylineCommentsPage *self = user_data;

  self->reason_moment_id = 0;
  _byline_comments_page_end_reason_moment (self);
  return G_SOURCE_REMOVE;
}

void
_byline_comments_page_offer_reasons (BylineCommentsPage *self,
                                     GArray             *comments,
                                     BylineDecision      decision)
{
  g_autoptr(GString) hint = g_string_new (NULL);

  _byline_comments_page_end_reason_moment (self);
  if (!rejects (decision) || comments->len == 0)
    return;
  self->reasons = list_reasons (self);
  if (self->reasons == NULL || self->reasons->len == 0)
    {
      g_clear_pointer (&self->reasons, g_ptr_array_unref);
      return;
    }
  self->reason_keys = g_array_copy (comments);
  self->reason_decision = decision;
  for (guint i = 0; i < MIN (self->reasons->len, REASON_DIGITS); i++)
    {
      const BylineModerationReason *reason = g_ptr_array_index (self->reasons, i);

      if (i > 0)
        g_string_append (hint, "  ·  ");
      /* Translators: one reason in the hint after s or d: its digit and its name */
      g_string_append_printf (hint, _("%u %s"), i + 1, reason->name);
    }
  /* Translators: before the list of reasons that a digit gives the decision just made */
  {
    g_autofree char *text = g_strdup_printf (_("Reason? %s"), hint->str);
    gtk_label_set_text (GTK_LABEL (self->reason_hint_label), text);
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->reason_hint_label),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
  }
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->reason_hint_revealer), TRUE);
  self->reason_moment_id = g_timeout_add (REASON_MOMENT_MS, reason_moment_over_cb, self);
}

typedef struct {
  BylineCommentsPage *self;
  GArray             *keys;
  BylineDecision      decision;
  char               *slug;
  char               *name;
} GivenReason;

static void
given_reason_free (gpointer data)
{
  GivenReason *given = data;

  g_object_unref (given->self);
  g_array_unref (given->keys);
  g_free (given->slug);
  g_free (given->name);
  g_free (given);
}

/* The reason goes to the decision just made, as an entry of its own in the trail: nothing more
 * is sent to the site. It is given once the decision itself is written (a key pressed on one
 * is, within a frame or two). */
static gboolean
give_reason_cb (gpointer user_data)
{
  GivenReason *given = user_data;
  BylineCommentsPage *self = given->self;
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;

  if (self->moderator == NULL || byline_moderator_is_closed (self->moderator))
    return G_SOURCE_REMOVE;
  if (byline_moderator_is_deciding (self->moderator))
    return G_SOURCE_CONTINUE;
  for (guint i = 0; i < given->keys->len; i++)
    g_array_append_val (ids, g_array_index (given->keys, BylineCommentKey, i).id);
  if (!byline_moderator_give_reason (self->moderator, (const gint64 *) (gpointer) ids->data,
                                     ids->len, given->decision, given->slug, &error))
    _byline_comments_page_toast_error (self, error);
  else
    {
      /* Translators: told once a reason was given to the decision just made */
      g_autofree char *told = g_strdup_printf (_("Reason: %s"), given->name);
      _byline_comments_page_toast (self, told);
    }
  _byline_comments_page_update_detail (self);
  _byline_comments_page_ensure_sending (self);
  return G_SOURCE_REMOVE;
}

gboolean
_byline_comments_page_reason_key (BylineCommentsPage *self,
                                  guint               keyval)
{
  const BylineModerationReason *reason;
  int digit = -1;

  if (self->reason_moment_id == 0)
    return FALSE;
  if (keyval >= GDK_KEY_1 && keyval <= GDK_KEY_9)
    digit = keyval - GDK_KEY_1;
  else if (keyval >= GDK_KEY_KP_1 && keyval <= GDK_KEY_KP_9)
    digit = keyval - GDK_KEY_KP_1;
  if (digit < 0 || (guint) digit >= self->reasons->len)
    {
      /* Any other key goes on as usual, and the moment is over. */
      _byline_comments_page_end_reason_moment (self);
      return FALSE;
    }
  reason = g_ptr_array_index (self->reasons, digit);
  {
    GivenReason *given = g_new0 (GivenReason, 1);

    given->self = g_object_ref (self);
    given->keys = g_array_ref (self->reason_keys);
    given->decision = self->reason_decision;
    given->slug = g_strdup (reason->slug);
    given->name = g_strdup (reason->name);
    g_timeout_add_full (G_PRIORITY_DEFAULT, 10, give_reason_cb, given, given_reason_free);
  }
  _byline_comments_page_end_reason_moment (self);
  return TRUE;
}

/* ---- The chooser: ctrl+s, ctrl+d, ctrl+u ---- */

typedef struct {
  BylineCommentsPage *self;
  GArray             *keys;
  BylineDecision      decision;
  GPtrArray          *reasons;
} ChooserRequest;

static void
chooser_request_free (gpointer  data,
                      GClosure *closure)
{
  ChooserRequest *request = data;

  g_array_unref (request->keys);
  g_ptr_array_unref (request->reasons);
  g_object_unref (request->self);
  g_free (request);
}

static void
chooser_response_cb (AdwMessageDialog *chooser,
                     const char       *response,
                     ChooserRequest   *request)
{
  BylineCommentsPage *self = request->self;
  int chosen = byline_reason_chooser_get_chosen (chooser);
  const BylineModerationReason *reason;

  /* The page may be gone (the window closed with the chooser open). */
  if (!g_str_equal (response, "choose") || chosen < 0 || (guint) chosen >= request->reasons->len ||
      self->moderator == NULL || self->queue == NULL)
    return;
  reason = g_ptr_array_index (request->reasons, chosen);
  _byline_comments_page_decide_with_reason (self, request->keys, request->decision, reason->slug);
}

void
_byline_comments_page_choose_reason (BylineCommentsPage *self,
                                     GArray             *comments,
                                     BylineDecision      decision)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GPtrArray) reasons = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  ChooserRequest *request;
  AdwMessageDialog *chooser;
  const char *heading;

  _byline_comments_page_end_reason_moment (self);
  if (comments->len == 0 || (reasons = list_reasons (self)) == NULL)
    return;
  for (guint i = 0; i < reasons->len; i++)
    g_ptr_array_add (names, ((BylineModerationReason *) g_ptr_array_index (reasons, i))->name);
  g_ptr_array_add (names, NULL);
  if (decision == BYLINE_DECISION_SPAM)
    heading = g_dngettext (GETTEXT_PACKAGE, "Spam, Because…", "Spam, Because…", comments->len);
  else if (decision == BYLINE_DECISION_TRASH)
    heading = g_dngettext (GETTEXT_PACKAGE, "Trash, Because…", "Trash, Because…", comments->len);
  else
    heading = g_dngettext (GETTEXT_PACKAGE, "Unapprove, Because…", "Unapprove, Because…",
                           comments->len);
  chooser = byline_reason_chooser_new (GTK_WINDOW (root), heading,
                                       (const char * const *) names->pdata);
  request = g_new0 (ChooserRequest, 1);
  request->self = g_object_ref (self);
  request->keys = g_array_copy (comments);
  request->decision = decision;
  request->reasons = g_steal_pointer (&reasons);
  g_signal_connect_data (chooser, "response", G_CALLBACK (chooser_response_cb), request,
                         chooser_request_free, 0);
  gtk_window_present (GTK_WINDOW (chooser));
}

/* ---- The comment's history, in the detail pane ---- */

static const char *
action_label (const char *action)
{
  static const struct {
    const char *action;
    const char *label;
  } labels[] = {
    { "approve", N_("Approved") },
    { "unapprove", N_("Back to pending") },
    { "spam", N_("Marked as spam") },
    { "trash", N_("Moved to the trash") },
    { "restore", N_("Restored") },
    { "delete", N_("Deleted for good") },
    { "undo", N_("Undone") },
    { "reason", N_("Reason given") },
    { "reply", N_("Replied") },
    { "edit", N_("Edited") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_strcmp0 (action, labels[i].action) == 0)
      return _(labels[i].label);
  return action;
}

void
_byline_comments_page_update_history (BylineCommentsPage *self,
                                      BylineComment      *comment)
{
  BylineCommentHistory *history =
    byline_comment_detail_get_history (BYLINE_COMMENT_DETAIL (self->detail));
  BylineStore *store;
  g_autoptr(BylineModerationReason) reason = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  if (comment == NULL || self->comments == NULL)
    {
      byline_comment_history_reset (history, NULL);
      return;
    }
  store = byline_comment_store_get_store (self->comments);
  reason = byline_moderation_reasons_get_for_comment (store, byline_comment_get_id (comment),
                                                      &error);
  if (error != NULL)
    g_warning ("Could not read the comment’s reason: %s", error->message);
  byline_comment_history_reset (history, reason ? reason->name : NULL);
  g_clear_error (&error);
  entries = byline_moderation_log_list_comment (store, byline_comment_get_id (comment), &error);
  if (entries == NULL)
    {
      g_warning ("Could not read the comment’s history: %s", error->message);
      return;
    }
  for (guint i = 0; i < entries->len; i++)
    {
      const BylineModerationLogEntry *entry = g_ptr_array_index (entries, i);
      g_autofree char *state = NULL;

      if (entry->refused_at != 0)
        /* Translators: in a comment's history: the site refused the decision, and why */
        state = g_strdup_printf (_("Refused by the site: %s"), entry->refusal);
      else if (entry->confirmed_at != 0)
        state = g_strdup (_("Confirmed by the site"));
      else
        state = g_strdup (_("Not confirmed by the site yet"));
      byline_comment_history_add (history, action_label (entry->action), entry->who,
                                  entry->created_at / G_USEC_PER_SEC, entry->reason_name, state);
    }
}

/* ---- The site's reasons, and the trail's export ---- */

static const char *
site_name (BylineCommentsPage *self)
{
  for (guint i = 0; self->accounts != NULL && i < self->accounts->len; i++)
    {
      BylineAccount *account = g_ptr_array_index (self->accounts, i);

      /* A site that gave no name is named by its address. */
      if (byline_account_get_id (account) == self->account_id)
        return byline_account_get_site_name (account)[0] != '\0'
               ? byline_account_get_site_name (account) : byline_account_get_site_url (account);
    }
  return "";
}

static void
reasons_changed_cb (BylineReasonsWindow *window,
                    BylineCommentsPage  *self)
{
  /* A renamed reason shows under its new name. */
  _byline_comments_page_refresh_visible_rows (self);
  _byline_comments_page_update_detail (self);
}

void
_byline_comments_page_edit_reasons (BylineCommentsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *window = byline_reasons_window_new (GTK_WINDOW (root),
                                                 byline_comment_store_get_store (self->comments),
                                                 self->account_id, site_name (self));

  g_signal_connect_object (window, "changed", G_CALLBACK (reasons_changed_cb), self, 0);
  gtk_window_present (GTK_WINDOW (window));
}

void
_byline_comments_page_export_trail (BylineCommentsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  BylineStore *store = byline_comment_store_get_store (self->comments);
  GtkWidget *window = byline_trail_export_window_new (GTK_WINDOW (root), store, self->account_id,
                                                      site_name (self));

  gtk_window_present (GTK_WINDOW (window));
}

void
_byline_comments_page_show_reason (BylineCommentsPage *self,
                                   BylineCommentRow   *row,
                                   BylineComment      *comment)
{
  BylineStore *store = byline_comment_store_get_store (self->comments);
  g_autoptr(BylineModerationReason) reason = NULL;
  g_autoptr(GError) error = NULL;

  /* Only a rejected comment carries one; the rest need not be asked about. */
  if (g_strcmp0 (byline_comment_get_status (comment), BYLINE_COMMENT_STATUS_APPROVED) != 0)
    reason = byline_moderation_reasons_get_for_comment (store, byline_comment_get_id (comment),
                                                        &error);
  if (error != NULL)
    g_warning ("Could not read the comment’s reason: %s", error->message);
  byline_comment_row_set_reason (row, reason ? reason->name : NULL);
}
