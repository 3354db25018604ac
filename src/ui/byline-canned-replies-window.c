/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-canned-replies-window.c: a site's canned replies, to add, edit, remove and put in
 * order.
 *
 * Every change is written at once (no Save for the whole list): the reply box reads the list
 * each time it opens. What is typed in the fields is saved too when another reply is chosen,
 * the list changed or the window closed; a refused edit (an empty title or text) says why and
 * keeps the reply and what was typed in front. */

#include "config.h"

#include <glib/gi18n.h>

#include "byline-canned-replies.h"
#include "byline-canned-replies-window.h"

struct _BylineCannedRepliesWindow
{
  AdwWindow    parent_instance;

  BylineStore *store;
  gint64       account_id;
  GPtrArray   *replies;           /* BylineCannedReply, in the list's order */
  gint64       shown_id;          /* the reply the fields hold, 0: none */

  GtkWidget   *list;
  GtkWidget   *title_entry;
  GtkWidget   *body_view;
  GtkWidget   *message_label;
  GtkWidget   *save_button;
  GtkWidget   *remove_button;
  GtkWidget   *up_button;
  GtkWidget   *down_button;
};

G_DEFINE_FINAL_TYPE (BylineCannedRepliesWindow, byline_canned_replies_window, ADW_TYPE_WINDOW)

static void
byline_canned_replies_window_dispose (GObject *object)
{
  BylineCannedRepliesWindow *self = BYLINE_CANNED_REPLIES_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->replies, g_ptr_array_unref);

  G_OBJECT_CLASS (byline_canned_replies_window_parent_class)->dispose (object);
}

static void
show_message (BylineCannedRepliesWindow *self,
              const char                *text)
{
  gtk_label_set_text (GTK_LABEL (self->message_label), text ? text : "");
  gtk_widget_set_visible (self->message_label, text != NULL);
}

static int
selected_index (BylineCannedRepliesWindow *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->list));

  return row ? gtk_list_box_row_get_index (row) : -1;
}

static void
update_sensitivity (BylineCannedRepliesWindow *self)
{
  int index = selected_index (self);
  guint n = self->replies ? self->replies->len : 0;

  gtk_widget_set_sensitive (self->title_entry, index >= 0);
  gtk_widget_set_sensitive (self->body_view, index >= 0);
  gtk_widget_set_sensitive (self->save_button, index >= 0);
  gtk_widget_set_sensitive (self->remove_button, index >= 0);
  gtk_widget_set_sensitive (self->up_button, index > 0);
  gtk_widget_set_sensitive (self->down_button, index >= 0 && (guint) index + 1 < n);
}

static char *
dup_body (BylineCannedRepliesWindow *self)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->body_view));
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static BylineCannedReply *
find_reply (BylineCannedRepliesWindow *self,
            gint64                     id,
            guint                     *index)
{
  for (guint i = 0; self->replies != NULL && i < self->replies->len; i++)
    {
      BylineCannedReply *reply = g_ptr_array_index (self->replies, i);

      if (reply->id == id)
        {
          if (index != NULL)
            *index = i;
          return reply;
        }
    }
  return NULL;
}

/* Saves what the fields hold if it differs from the reply they show. FALSE, with the reason
 * shown and the fields as typed, when it is refused. */
static gboolean
save_shown (BylineCannedRepliesWindow *self)
{
  BylineCannedReply *reply = find_reply (self, self->shown_id, NULL);
  const char *title = gtk_editable_get_text (GTK_EDITABLE (self->title_entry));
  g_autofree char *body = dup_body (self);
  g_autoptr(GError) error = NULL;

  if (reply == NULL || (g_str_equal (title, reply->title) && g_str_equal (body, reply->body)))
    return TRUE;
  if (!byline_canned_replies_update (self->store, reply->id, title, body, &error))
    {
      show_message (self, error->message);
      return FALSE;
    }
  g_free (reply->title);
  reply->title = g_strdup (title);
  g_free (reply->body);
  reply->body = g_steal_pointer (&body);
  show_message (self, NULL);
  return TRUE;
}

/* Reads the list again and selects reply @select_id (or the first). */
static void
reload (BylineCannedRepliesWindow *self,
        gint64                     select_id)
{
  g_autoptr(GError) error = NULL;
  GtkListBoxRow *selected = NULL;
  GtkWidget *child;

  /* The fields are left as they are until the new list's reply is shown. */
  self->shown_id = 0;
  while ((child = gtk_widget_get_first_child (self->list)))
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);
  g_clear_pointer (&self->replies, g_ptr_array_unref);
  self->replies = byline_canned_replies_list (self->store, self->account_id, &error);
  if (self->replies == NULL)
    {
      show_message (self, error->message);
      update_sensitivity (self);
      return;
    }
  for (guint i = 0; i < self->replies->len; i++)
    {
      BylineCannedReply *reply = g_ptr_array_index (self->replies, i);
      GtkWidget *label = gtk_label_new (reply->title);
      GtkWidget *row = gtk_list_box_row_new ();

      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
      gtk_widget_set_margin_top (label, 9);
      gtk_widget_set_margin_bottom (label, 9);
      gtk_widget_set_margin_start (label, 9);
      gtk_widget_set_margin_end (label, 9);
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      reply->title, -1);
      gtk_list_box_append (GTK_LIST_BOX (self->list), row);
      if (reply->id == select_id || (selected == NULL && i == 0))
        selected = GTK_LIST_BOX_ROW (row);
    }
  gtk_list_box_select_row (GTK_LIST_BOX (self->list), selected);
  update_sensitivity (self);
}

static void
list_row_selected_cb (BylineCannedRepliesWindow *self,
                      GtkListBoxRow             *row)
{
  BylineCannedReply *reply;
  int index = row ? gtk_list_box_row_get_index (row) : -1;
  guint shown_index;

  /* Leaving a reply saves it; a refused one stays chosen, with what was typed. */
  if (self->shown_id != 0 && !save_shown (self))
    {
      if (find_reply (self, self->shown_id, &shown_index))
        {
          g_signal_handlers_block_by_func (self->list, list_row_selected_cb, self);
          gtk_list_box_select_row (GTK_LIST_BOX (self->list),
                                   gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list),
                                                                  shown_index));
          g_signal_handlers_unblock_by_func (self->list, list_row_selected_cb, self);
        }
      return;
    }
  self->shown_id = 0;
  update_sensitivity (self);
  if (index < 0 || self->replies == NULL || (guint) index >= self->replies->len)
    {
      gtk_editable_set_text (GTK_EDITABLE (self->title_entry), "");
      gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->body_view)), "", -1);
      return;
    }
  reply = g_ptr_array_index (self->replies, index);
  gtk_editable_set_text (GTK_EDITABLE (self->title_entry), reply->title);
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->body_view)),
                            reply->body, -1);
  self->shown_id = reply->id;
  show_message (self, NULL);
}

static void
save_clicked_cb (BylineCannedRepliesWindow *self)
{
  gint64 id = self->shown_id;

  if (id != 0 && save_shown (self))
    reload (self, id);
}

static void
add_clicked_cb (BylineCannedRepliesWindow *self)
{
  g_autoptr(GError) error = NULL;
  gint64 id;

  if (!save_shown (self))
    return;
  /* Translators: a new canned reply, before it is edited; keep {name} as it is. */
  id = byline_canned_replies_add (self->store, self->account_id, _("New reply"),
                                  _("Thank you, {name}."), &error);
  if (id == 0)
    {
      show_message (self, error->message);
      return;
    }
  reload (self, id);
  gtk_widget_grab_focus (self->title_entry);
}

static void
remove_clicked_cb (BylineCannedRepliesWindow *self)
{
  g_autoptr(GError) error = NULL;
  BylineCannedReply *reply;
  gint64 next_id = 0;
  int index = selected_index (self);

  if (index < 0)
    return;
  reply = g_ptr_array_index (self->replies, index);
  if ((guint) index + 1 < self->replies->len)
    next_id = ((BylineCannedReply *) g_ptr_array_index (self->replies, index + 1))->id;
  else if (index > 0)
    next_id = ((BylineCannedReply *) g_ptr_array_index (self->replies, index - 1))->id;
  if (!byline_canned_replies_remove (self->store, reply->id, &error))
    {
      show_message (self, error->message);
      return;
    }
  reload (self, next_id);
  gtk_widget_grab_focus (self->list);
}

static void
move (BylineCannedRepliesWindow *self,
      int                        delta)
{
  g_autoptr(GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr(GError) error = NULL;
  int index = selected_index (self);
  gint64 moved;
  GtkListBoxRow *row;

  if (index < 0 || index + delta < 0 || (guint) (index + delta) >= self->replies->len ||
      !save_shown (self))
    return;
  for (guint i = 0; i < self->replies->len; i++)
    g_array_append_val (ids, ((BylineCannedReply *) g_ptr_array_index (self->replies, i))->id);
  moved = g_array_index (ids, gint64, index);
  g_array_index (ids, gint64, index) = g_array_index (ids, gint64, index + delta);
  g_array_index (ids, gint64, index + delta) = moved;
  if (!byline_canned_replies_reorder (self->store, self->account_id, (gint64 *) ids->data, ids->len,
                                      &error))
    {
      show_message (self, error->message);
      return;
    }
  reload (self, moved);
  if ((row = gtk_list_box_get_selected_row (GTK_LIST_BOX (self->list))))
    gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
up_clicked_cb (BylineCannedRepliesWindow *self)
{
  move (self, -1);
}

static void
down_clicked_cb (BylineCannedRepliesWindow *self)
{
  move (self, 1);
}

static gboolean
byline_canned_replies_window_close_request (GtkWindow *window)
{
  BylineCannedRepliesWindow *self = BYLINE_CANNED_REPLIES_WINDOW (window);

  /* Stays open, saying why, rather than lose what was typed. */
  if (!save_shown (self))
    return TRUE;
  return GTK_WINDOW_CLASS (byline_canned_replies_window_parent_class)->close_request (window);
}

static GtkWidget *
button (BylineCannedRepliesWindow *self,
        const char                *mnemonic,
        GCallback                  callback)
{
  GtkWidget *widget = gtk_button_new_with_mnemonic (mnemonic);

  g_signal_connect_swapped (widget, "clicked", callback, self);
  return widget;
}

static void
byline_canned_replies_window_class_init (BylineCannedRepliesWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_canned_replies_window_dispose;
  GTK_WINDOW_CLASS (klass)->close_request = byline_canned_replies_window_close_request;
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
byline_canned_replies_window_init (BylineCannedRepliesWindow *self)
{
  GtkWidget *toolbar = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  GtkWidget *panes = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 18);
  GtkWidget *left = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *right = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *list_label = gtk_label_new_with_mnemonic (_("_Replies"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *list_buttons = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *title_label = gtk_label_new_with_mnemonic (_("_Title"));
  GtkWidget *body_label = gtk_label_new_with_mnemonic (_("Te_xt"));
  GtkWidget *body_frame = gtk_frame_new (NULL);
  GtkWidget *body_scroller = gtk_scrolled_window_new ();
  GtkWidget *hint = gtk_label_new (_("{name} is replaced by the commenter's name, {post} by the "
                                     "post's title."));

  gtk_window_set_title (GTK_WINDOW (self), _("Canned Replies"));
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_window_set_default_size (GTK_WINDOW (self), 720, 460);

  gtk_box_append (GTK_BOX (toolbar), header);
  gtk_widget_set_margin_top (panes, 12);
  gtk_widget_set_margin_bottom (panes, 12);
  gtk_widget_set_margin_start (panes, 12);
  gtk_widget_set_margin_end (panes, 12);
  gtk_widget_set_vexpand (panes, TRUE);
  gtk_box_append (GTK_BOX (toolbar), panes);

  gtk_label_set_xalign (GTK_LABEL (list_label), 0);
  gtk_widget_add_css_class (list_label, "heading");
  gtk_box_append (GTK_BOX (left), list_label);
  self->list = gtk_list_box_new ();
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_label_set_mnemonic_widget (GTK_LABEL (list_label), self->list);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_RELATION_LABELLED_BY,
                                  list_label, NULL, -1);
  g_signal_connect_swapped (self->list, "row-selected", G_CALLBACK (list_row_selected_cb), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->list);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_widget_set_size_request (scroller, 240, -1);
  gtk_box_append (GTK_BOX (left), scroller);
  gtk_box_append (GTK_BOX (list_buttons), button (self, _("_Add"), G_CALLBACK (add_clicked_cb)));
  self->remove_button = button (self, _("Re_move"), G_CALLBACK (remove_clicked_cb));
  gtk_box_append (GTK_BOX (list_buttons), self->remove_button);
  self->up_button = button (self, _("Move _Up"), G_CALLBACK (up_clicked_cb));
  gtk_box_append (GTK_BOX (list_buttons), self->up_button);
  self->down_button = button (self, _("Move _Down"), G_CALLBACK (down_clicked_cb));
  gtk_box_append (GTK_BOX (list_buttons), self->down_button);
  gtk_box_append (GTK_BOX (left), list_buttons);
  gtk_box_append (GTK_BOX (panes), left);

  gtk_widget_set_hexpand (right, TRUE);
  gtk_label_set_xalign (GTK_LABEL (title_label), 0);
  gtk_widget_add_css_class (title_label, "heading");
  gtk_box_append (GTK_BOX (right), title_label);
  self->title_entry = gtk_entry_new ();
  gtk_label_set_mnemonic_widget (GTK_LABEL (title_label), self->title_entry);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->title_entry),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, title_label, NULL, -1);
  gtk_box_append (GTK_BOX (right), self->title_entry);
  gtk_label_set_xalign (GTK_LABEL (body_label), 0);
  gtk_widget_add_css_class (body_label, "heading");
  gtk_widget_set_margin_top (body_label, 6);
  gtk_box_append (GTK_BOX (right), body_label);
  self->body_view = gtk_text_view_new ();
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (self->body_view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (self->body_view), FALSE);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (self->body_view), 6);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (self->body_view), 6);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (self->body_view), 6);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (self->body_view), 6);
  gtk_label_set_mnemonic_widget (GTK_LABEL (body_label), self->body_view);
  gtk_accessible_update_relation (GTK_ACCESSIBLE (self->body_view),
                                  GTK_ACCESSIBLE_RELATION_LABELLED_BY, body_label, NULL, -1);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (body_scroller), self->body_view);
  gtk_frame_set_child (GTK_FRAME (body_frame), body_scroller);
  gtk_widget_set_vexpand (body_frame, TRUE);
  gtk_box_append (GTK_BOX (right), body_frame);
  gtk_label_set_xalign (GTK_LABEL (hint), 0);
  gtk_label_set_wrap (GTK_LABEL (hint), TRUE);
  gtk_widget_add_css_class (hint, "dim-label");
  gtk_box_append (GTK_BOX (right), hint);
  self->message_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->message_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->message_label), TRUE);
  gtk_widget_add_css_class (self->message_label, "error");
  gtk_widget_set_visible (self->message_label, FALSE);
  gtk_box_append (GTK_BOX (right), self->message_label);
  self->save_button = button (self, _("_Save Reply"), G_CALLBACK (save_clicked_cb));
  gtk_widget_add_css_class (self->save_button, "suggested-action");
  gtk_widget_set_halign (self->save_button, GTK_ALIGN_END);
  gtk_box_append (GTK_BOX (right), self->save_button);
  gtk_box_append (GTK_BOX (panes), right);

  adw_window_set_content (ADW_WINDOW (self), toolbar);
}

GtkWidget *
byline_canned_replies_window_new (BylineStore *store,
                                  gint64       account_id)
{
  BylineCannedRepliesWindow *self;

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);

  self = g_object_new (BYLINE_TYPE_CANNED_REPLIES_WINDOW, NULL);
  self->store = g_object_ref (store);
  self->account_id = account_id;
  reload (self, 0);
  return GTK_WIDGET (self);
}
