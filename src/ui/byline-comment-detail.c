/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment-detail.c: one comment in full.
 *
 * A comment is untrusted: its HTML is never given to a web view. BylineCommentHtml turns it
 * into Pango markup with only bold, italic, code and http(s)/mailto links, each link followed
 * by its real destination; everything else a commenter wrote (names, e-mail, site) is set as
 * plain text. Nothing here can run script or load anything from the network. */

#include "config.h"

#include <glib/gi18n.h>

#include "byline-canned-reply-picker.h"
#include "byline-comment-detail.h"
#include "byline-comment-history.h"
#include "byline-comment-html.h"
#include "byline-comment-row.h"

struct _BylineCommentDetail
{
  GtkWidget          parent_instance;

  GtkWidget         *stack;
  GtkWidget         *scroller;
  GtkWidget         *author_label;
  GtkWidget         *identity_label;
  GtkWidget         *date_label;
  GtkWidget         *status_label;
  GtkWidget         *state_label;
  GtkWidget         *post_label;
  GtkWidget         *open_button;
  GtkWidget         *parent_label;
  GtkWidget         *content_label;
  GtkWidget         *trash_button;
  GtkWidget         *compose_revealer;
  GtkWidget         *compose_label;
  GtkWidget         *compose_view;
  GtkWidget         *compose_send_button;
  GtkWidget         *compose_cancel_button;
  GtkWidget         *canned_picker;
  GtkWidget         *history;
  GtkWidget         *replies_title;
  GtkWidget         *replies_list;
  GtkWidget         *others_title;
  GtkWidget         *others_list;

  BylineComment     *comment;
  BylineComposeMode  compose_mode;
  char              *content_markup;
  GHashTable        *replies;        /* comment id -> a reply typed but not sent */
};

G_DEFINE_FINAL_TYPE (BylineCommentDetail, byline_comment_detail, GTK_TYPE_WIDGET)

enum { SEND, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
byline_comment_detail_dispose (GObject *object)
{
  BylineCommentDetail *self = BYLINE_COMMENT_DETAIL (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BYLINE_TYPE_COMMENT_DETAIL);
  g_clear_object (&self->comment);
  g_clear_pointer (&self->content_markup, g_free);
  g_clear_pointer (&self->replies, g_hash_table_unref);

  G_OBJECT_CLASS (byline_comment_detail_parent_class)->dispose (object);
}

static void
send_compose (BylineCommentDetail *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->compose_view));
  GtkTextIter start, end;
  g_autofree char *text = NULL;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  text = gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
  g_signal_emit (self, signals[SEND], 0, (int) self->compose_mode, text);
}

static gboolean
compose_key_cb (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                BylineCommentDetail   *self)
{
  if ((keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter) && (state & GDK_CONTROL_MASK))
    {
      send_compose (self);
      return TRUE;
    }
  if (keyval == GDK_KEY_Escape)
    {
      byline_comment_detail_close_compose (self);
      return TRUE;
    }
  return FALSE;
}

static void
byline_comment_detail_class_init (BylineCommentDetailClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_comment_detail_dispose;

  /**
   * BylineCommentDetail::send:
   * @mode: a BylineComposeMode
   * @text: what was typed
   */
  signals[SEND] = g_signal_new ("send", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_INT, G_TYPE_STRING);

  g_type_ensure (BYLINE_TYPE_COMMENT_HISTORY);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/byline-comment-detail.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, BylineCommentDetail, name)
  BIND (stack);
  BIND (scroller);
  BIND (author_label);
  BIND (identity_label);
  BIND (date_label);
  BIND (status_label);
  BIND (state_label);
  BIND (post_label);
  BIND (open_button);
  BIND (parent_label);
  BIND (content_label);
  BIND (trash_button);
  BIND (compose_revealer);
  BIND (compose_label);
  BIND (compose_view);
  BIND (compose_send_button);
  BIND (compose_cancel_button);
  BIND (canned_picker);
  BIND (history);
  BIND (replies_title);
  BIND (replies_list);
  BIND (others_title);
  BIND (others_list);
#undef BIND
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
byline_comment_detail_init (BylineCommentDetail *self)
{
  GtkEventController *keys;

  g_type_ensure (BYLINE_TYPE_CANNED_REPLY_PICKER);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->replies = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (compose_key_cb), self);
  gtk_widget_add_controller (self->compose_view, keys);
  byline_canned_reply_picker_set_view (BYLINE_CANNED_REPLY_PICKER (self->canned_picker),
                                       GTK_TEXT_VIEW (self->compose_view));
  g_signal_connect_swapped (self->compose_send_button, "clicked", G_CALLBACK (send_compose), self);
  g_signal_connect_swapped (self->compose_cancel_button, "clicked",
                            G_CALLBACK (byline_comment_detail_close_compose), self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->content_label),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, _("Comment text"), -1);
}

/* "e-mail · site · IP", each as the commenter gave it, shown as text. */
static char *
dup_identity (BylineComment *comment)
{
  g_autoptr(GStrvBuilder) parts = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  const char *url = byline_comment_get_author_url (comment);

  if (byline_comment_get_author_email (comment)[0] != '\0')
    g_strv_builder_add (parts, byline_comment_get_author_email (comment));
  if (url[0] != '\0')
    {
      g_autofree char *shown = NULL;
      g_autofree char *safe = byline_comment_html_safe_link (url, &shown);

      /* An address that may not be opened is still shown, for the moderator to judge. */
      g_strv_builder_add (parts, safe != NULL && shown != NULL ? shown : url);
    }
  if (byline_comment_get_author_ip (comment)[0] != '\0')
    g_strv_builder_add (parts, byline_comment_get_author_ip (comment));
  strv = g_strv_builder_end (parts);
  return g_strjoinv (" · ", strv);
}

static char *
dup_date (BylineComment *comment)
{
  gint64 when = byline_comment_get_date_unix (comment);
  g_autoptr(GDateTime) local = g_date_time_new_from_unix_local (when);
  g_autofree char *relative = NULL;
  /* Translators: the exact date of a comment; see strftime(3) */
  g_autofree char *exact = local ? g_date_time_format (local, _("%A %-d %B %Y, %H:%M")) : g_strdup ("");

  /* Past a week the relative time is a date already. */
  if (g_get_real_time () / G_USEC_PER_SEC - when >= 7 * 24 * 3600)
    return g_steal_pointer (&exact);
  relative = byline_comment_dup_relative_time (when);
  /* Translators: "3 hours ago (Monday 3 May 2024, 09:30)" */
  return g_strdup_printf (_("%s (%s)"), relative, exact);
}

/* One line for a comment in a list under the comment: "Spam · 3 days ago — text", or with
 * its author first for a reply. Plain text: nothing a commenter wrote is read as markup. */
static GtkWidget *
other_row (BylineComment *other,
           gboolean       with_author)
{
  GtkWidget *row;
  g_autofree char *when = byline_comment_dup_relative_time (byline_comment_get_date_unix (other));
  const char *text = byline_comment_get_text (other);
  g_autofree char *snippet = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, 300), 140));
  g_autofree char *line = NULL;

  if (with_author)
    /* Translators: a reply under a comment: "DipNote Editor · Approved · just now — text" */
    line = g_strdup_printf (_("%s · %s · %s — %s"), byline_comment_get_author_name (other),
                            byline_comment_get_sending (other) ? _("Sending")
                            : byline_comment_status_label (byline_comment_get_status (other)),
                            when, snippet);
  else
    /* Translators: another comment by the same author: "Spam · 3 days ago — text" */
    line = g_strdup_printf (_("%s · %s — %s"),
                            byline_comment_status_label (byline_comment_get_status (other)),
                            when, snippet);
  if (with_author)
    {
      /* A reply in the thread is read in full. */
      row = gtk_label_new (line);
      gtk_label_set_xalign (GTK_LABEL (row), 0);
      gtk_label_set_wrap (GTK_LABEL (row), TRUE);
      gtk_label_set_wrap_mode (GTK_LABEL (row), PANGO_WRAP_WORD_CHAR);
    }
  else
    {
      /* One line, sized without laying the text out: a label that wraps lays it out several
       * times to measure itself, and up to ten of these are made again each time a comment is
       * shown (the first frame after an undo of thousands holds that too). GTK 4.8 gives an
       * inscription's whole text to assistive technologies, as its name and its text, as it
       * does a label's: like the list's rows, it needs no label of its own. */
      row = gtk_inscription_new (line);
      gtk_inscription_set_xalign (GTK_INSCRIPTION (row), 0);
      gtk_inscription_set_text_overflow (GTK_INSCRIPTION (row),
                                         GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
      gtk_inscription_set_min_chars (GTK_INSCRIPTION (row), 20);
      gtk_inscription_set_nat_chars (GTK_INSCRIPTION (row), 90);
    }
  gtk_widget_set_margin_top (row, 6);
  gtk_widget_set_margin_bottom (row, 6);
  gtk_widget_set_margin_start (row, 12);
  gtk_widget_set_margin_end (row, 12);
  return row;
}

static void hide_compose (BylineCommentDetail *self);

/* A reply being typed is kept when its comment leaves the pane (another one selected, or the
 * comment moved out of the view), and comes back with r. */
static void
keep_reply (BylineCommentDetail *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->compose_view));
  GtkTextIter start, end;
  gint64 id;

  if (self->comment == NULL || self->compose_mode != BYLINE_COMPOSE_REPLY ||
      !byline_comment_detail_is_composing (self))
    return;
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  id = byline_comment_get_id (self->comment);
  g_hash_table_replace (self->replies, g_memdup2 (&id, sizeof id),
                        gtk_text_buffer_get_text (buffer, &start, &end, FALSE));
}

void
byline_comment_detail_set_comment (BylineCommentDetail *self,
                                   BylineComment       *comment,
                                   BylineComment       *parent,
                                   GPtrArray           *replies,
                                   GPtrArray           *others)
{
  const char *content, *status, *post_title, *error;
  g_autofree char *identity = NULL, *date = NULL, *on = NULL;
  gboolean same = FALSE;
  GtkWidget *child;

  g_return_if_fail (BYLINE_IS_COMMENT_DETAIL (self));

  if (comment == NULL)
    {
      keep_reply (self);
      hide_compose (self);
      g_clear_object (&self->comment);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  same = self->comment != NULL &&
         byline_comment_get_id (self->comment) == byline_comment_get_id (comment);
  if (!same)
    {
      keep_reply (self);
      hide_compose (self);
      gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (self->scroller)), 0);
    }
  g_set_object (&self->comment, comment);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "comment");

  gtk_label_set_text (GTK_LABEL (self->author_label),
                      byline_comment_get_author_name (comment)[0] ? byline_comment_get_author_name (comment)
                                                                  : _("Anonymous"));
  identity = dup_identity (comment);
  gtk_label_set_text (GTK_LABEL (self->identity_label), identity);
  gtk_widget_set_visible (self->identity_label, identity[0] != '\0');
  date = dup_date (comment);
  gtk_label_set_text (GTK_LABEL (self->date_label), date);

  status = byline_comment_get_status (comment);
  gtk_label_set_text (GTK_LABEL (self->status_label), byline_comment_status_label (status));

  error = byline_comment_get_last_error (comment);
  if (error[0] != '\0')
    {
      g_autofree char *text = g_strdup_printf (_("Not applied on the site: %s"), error);
      gtk_label_set_text (GTK_LABEL (self->state_label), text);
    }
  else if (byline_comment_get_sending (comment))
    gtk_label_set_text (GTK_LABEL (self->state_label),
                        _("Waiting to be sent to the site."));
  gtk_widget_set_visible (self->state_label,
                          error[0] != '\0' || byline_comment_get_sending (comment));
  gtk_widget_remove_css_class (self->state_label, "error");
  if (error[0] != '\0')
    gtk_widget_add_css_class (self->state_label, "error");

  post_title = byline_comment_get_post_title (comment);
  if (post_title[0] != '\0')
    /* Translators: the post a comment belongs to */
    on = g_strdup_printf (_("On “%s”"), post_title);
  else
    on = g_strdup_printf (_("On post %lld"), (long long) byline_comment_get_post_id (comment));
  gtk_label_set_text (GTK_LABEL (self->post_label), on);

  if (parent != NULL)
    {
      const char *text = byline_comment_get_text (parent);
      g_autofree char *snippet = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, 400), 200));
      /* Translators: "In reply to NAME: first words of that comment" */
      g_autofree char *line = g_strdup_printf (_("In reply to %s: %s"),
                                               byline_comment_get_author_name (parent), snippet);
      gtk_label_set_text (GTK_LABEL (self->parent_label), line);
    }
  else if (byline_comment_get_parent_id (comment) > 0)
    gtk_label_set_text (GTK_LABEL (self->parent_label), _("In reply to a comment not in Byline yet."));
  gtk_widget_set_visible (self->parent_label,
                          parent != NULL || byline_comment_get_parent_id (comment) > 0);

  content = byline_comment_get_content (comment);
  g_free (self->content_markup);
  self->content_markup = byline_comment_html_to_markup (content, strlen (content));
  gtk_label_set_markup (GTK_LABEL (self->content_label), self->content_markup);

  /* In Spam and Trash, d deletes for good, as in wp-admin. */
  gtk_button_set_label (GTK_BUTTON (self->trash_button),
                        g_str_equal (status, BYLINE_COMMENT_STATUS_SPAM) ||
                        g_str_equal (status, BYLINE_COMMENT_STATUS_TRASH)
                        ? _("_Delete for Good") : _("_Trash"));

  while ((child = gtk_widget_get_first_child (self->replies_list)))
    gtk_list_box_remove (GTK_LIST_BOX (self->replies_list), child);
  for (guint i = 0; replies != NULL && i < replies->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->replies_list),
                         other_row (g_ptr_array_index (replies, i), TRUE));
  gtk_widget_set_visible (self->replies_title, replies != NULL && replies->len > 0);
  gtk_widget_set_visible (self->replies_list, replies != NULL && replies->len > 0);

  while ((child = gtk_widget_get_first_child (self->others_list)))
    gtk_list_box_remove (GTK_LIST_BOX (self->others_list), child);
  for (guint i = 0; others != NULL && i < others->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->others_list),
                         other_row (g_ptr_array_index (others, i), FALSE));
  gtk_widget_set_visible (self->others_title, others != NULL && others->len > 0);
  gtk_widget_set_visible (self->others_list, others != NULL && others->len > 0);
}

BylineComment *
byline_comment_detail_get_comment (BylineCommentDetail *self)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_DETAIL (self), NULL);
  return self->comment;
}

BylineCommentHistory *
byline_comment_detail_get_history (BylineCommentDetail *self)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_DETAIL (self), NULL);
  return BYLINE_COMMENT_HISTORY (self->history);
}

void
byline_comment_detail_compose (BylineCommentDetail *self,
                               BylineComposeMode    mode,
                               const char          *text)
{
  GtkTextBuffer *buffer;

  g_return_if_fail (BYLINE_IS_COMMENT_DETAIL (self));

  if (self->comment == NULL)
    return;
  self->compose_mode = mode;
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->compose_view));
  if (mode == BYLINE_COMPOSE_REPLY)
    {
      gint64 id = byline_comment_get_id (self->comment);
      const char *kept = g_hash_table_lookup (self->replies, &id);

      if (kept != NULL)
        text = kept;
    }
  gtk_text_buffer_set_text (buffer, text ? text : "", -1);
  /* Canned replies are for replies, not for editing what a commenter wrote. */
  byline_canned_reply_picker_set_comment (BYLINE_CANNED_REPLY_PICKER (self->canned_picker),
                                          mode == BYLINE_COMPOSE_REPLY ? self->comment : NULL);
  gtk_widget_set_visible (self->canned_picker, mode == BYLINE_COMPOSE_REPLY);
  if (mode == BYLINE_COMPOSE_REPLY)
    {
      g_autofree char *title = g_strdup_printf (_("Reply to %s"),
                                                byline_comment_get_author_name (self->comment));
      gtk_label_set_text (GTK_LABEL (self->compose_label), title);
      gtk_button_set_label (GTK_BUTTON (self->compose_send_button), _("_Send Reply"));
    }
  else
    {
      gtk_label_set_text (GTK_LABEL (self->compose_label), _("Edit the Comment"));
      gtk_button_set_label (GTK_BUTTON (self->compose_send_button), _("_Save"));
    }
  gtk_widget_set_tooltip_text (self->compose_send_button, _("Ctrl+Return"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->compose_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  gtk_label_get_text (GTK_LABEL (self->compose_label)), -1);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->compose_revealer), TRUE);
  gtk_widget_grab_focus (self->compose_view);
}

/* Closes the box; what was typed stays in self->replies if keep_reply put it there. */
static void
hide_compose (BylineCommentDetail *self)
{
  if (!gtk_revealer_get_reveal_child (GTK_REVEALER (self->compose_revealer)))
    return;
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->compose_revealer), FALSE);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->compose_view)), "", -1);
  /* Back to the queue, where the moderation keys work. */
  gtk_widget_activate_action (GTK_WIDGET (self), "comments.focus-list", NULL);
}

/* Closed on purpose (sent, or Escape): nothing is kept. */
void
byline_comment_detail_close_compose (BylineCommentDetail *self)
{
  g_return_if_fail (BYLINE_IS_COMMENT_DETAIL (self));

  if (self->comment != NULL)
    {
      gint64 id = byline_comment_get_id (self->comment);
      g_hash_table_remove (self->replies, &id);
    }
  hide_compose (self);
}

gboolean
byline_comment_detail_is_composing (BylineCommentDetail *self)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_DETAIL (self), FALSE);
  return gtk_revealer_get_reveal_child (GTK_REVEALER (self->compose_revealer));
}

void
byline_comment_detail_set_store (BylineCommentDetail *self,
                                 BylineStore         *store)
{
  g_return_if_fail (BYLINE_IS_COMMENT_DETAIL (self));
  byline_canned_reply_picker_set_store (BYLINE_CANNED_REPLY_PICKER (self->canned_picker), store);
}

const char *
byline_comment_detail_get_content_markup (BylineCommentDetail *self)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_DETAIL (self), NULL);
  return self->content_markup;
}
