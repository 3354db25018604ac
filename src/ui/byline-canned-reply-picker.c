/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-canned-reply-picker.c: the button beside a reply box that lists the site's canned
 * replies and inserts the one picked.
 *
 * The list is read again each time it opens, so that what the editor window changed shows at
 * once. What is inserted is plain text in the reply box, to be edited before it is sent: a
 * commenter's name is never read as markup, here or in the rows that preview it. */

#include "config.h"

#include <glib/gi18n.h>

#include "byline-canned-replies.h"
#include "byline-canned-replies-window.h"
#include "byline-canned-reply-picker.h"

struct _BylineCannedReplyPicker
{
  GtkWidget      parent_instance;

  BylineStore   *store;
  BylineComment *comment;
  GtkTextView   *view;             /* weak */
  GPtrArray     *replies;          /* BylineCannedReply, as listed */

  GtkWidget     *button;
  GtkWidget     *popover;
  GtkWidget     *list;
  GtkWidget     *message_label;
};

G_DEFINE_FINAL_TYPE (BylineCannedReplyPicker, byline_canned_reply_picker, GTK_TYPE_WIDGET)

static void
byline_canned_reply_picker_dispose (GObject *object)
{
  BylineCannedReplyPicker *self = BYLINE_CANNED_REPLY_PICKER (object);

  g_clear_pointer (&self->button, gtk_widget_unparent);
  g_clear_object (&self->store);
  g_clear_object (&self->comment);
  g_clear_weak_pointer (&self->view);
  g_clear_pointer (&self->replies, g_ptr_array_unref);

  G_OBJECT_CLASS (byline_canned_reply_picker_parent_class)->dispose (object);
}

static void
insert_reply (BylineCannedReplyPicker *self,
              guint                    index)
{
  BylineCannedReply *reply;
  GtkTextBuffer *buffer;
  g_autofree char *text = NULL;

  if (self->replies == NULL || index >= self->replies->len || self->view == NULL ||
      self->comment == NULL)
    return;
  reply = g_ptr_array_index (self->replies, index);
  text = byline_canned_reply_expand (reply->body, self->comment);
  buffer = gtk_text_view_get_buffer (self->view);
  /* In place of a selection, as typing would; one step for undo. */
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_delete_selection (buffer, TRUE, TRUE);
  gtk_text_buffer_insert_at_cursor (buffer, text, -1);
  gtk_text_buffer_end_user_action (buffer);
  gtk_popover_popdown (GTK_POPOVER (self->popover));
}

static void
list_row_activated_cb (BylineCannedReplyPicker *self,
                       GtkListBoxRow           *row)
{
  insert_reply (self, gtk_list_box_row_get_index (row));
}

static GtkWidget *
reply_row (BylineCannedReplyPicker *self,
           guint                    index,
           BylineCannedReply       *reply)
{
  g_autofree char *expanded = byline_canned_reply_expand (reply->body, self->comment);
  g_autofree char *number = index < 9 ? g_strdup_printf ("%u", index + 1) : g_strdup ("");
  g_autofree char *accessible = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *key = gtk_label_new (number);
  GtkWidget *title = gtk_label_new (reply->title);
  GtkWidget *preview = gtk_label_new (expanded);

  gtk_widget_add_css_class (key, "dim-label");
  gtk_widget_add_css_class (key, "numeric");
  gtk_widget_set_valign (key, GTK_ALIGN_START);
  gtk_label_set_width_chars (GTK_LABEL (key), 1);
  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (title, "heading");
  gtk_label_set_xalign (GTK_LABEL (preview), 0);
  gtk_label_set_wrap (GTK_LABEL (preview), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (preview), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_lines (GTK_LABEL (preview), 2);
  gtk_label_set_ellipsize (GTK_LABEL (preview), PANGO_ELLIPSIZE_END);
  /* Wide enough to read the start of a reply, narrow enough to stay beside the box. */
  gtk_label_set_width_chars (GTK_LABEL (preview), 44);
  gtk_label_set_max_width_chars (GTK_LABEL (preview), 44);
  gtk_widget_add_css_class (preview, "dim-label");
  gtk_box_append (GTK_BOX (texts), title);
  gtk_box_append (GTK_BOX (texts), preview);
  gtk_box_append (GTK_BOX (box), key);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* Translators: a canned reply in the list, for screen readers: "3: Passed on" */
  accessible = number[0] ? g_strdup_printf (_("%s: %s"), number, reply->title)
                         : g_strdup (reply->title);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, expanded, -1);
  return row;
}

static void
reload (BylineCannedReplyPicker *self)
{
  g_autoptr(GError) error = NULL;
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (self->list)))
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);
  g_clear_pointer (&self->replies, g_ptr_array_unref);
  gtk_widget_set_visible (self->message_label, FALSE);
  if (self->store == NULL || self->comment == NULL)
    return;

  self->replies = byline_canned_replies_list (self->store,
                                              byline_comment_get_account_id (self->comment),
                                              &error);
  if (self->replies == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The canned replies could not be read: %s"),
                                               error->message);
      gtk_label_set_text (GTK_LABEL (self->message_label), text);
      gtk_widget_set_visible (self->message_label, TRUE);
      return;
    }
  for (guint i = 0; i < self->replies->len; i++)
    gtk_list_box_append (GTK_LIST_BOX (self->list),
                         reply_row (self, i, g_ptr_array_index (self->replies, i)));
}

static void
popover_show_cb (BylineCannedReplyPicker *self)
{
  GtkListBoxRow *first;

  reload (self);
  if ((first = gtk_list_box_get_row_at_index (GTK_LIST_BOX (self->list), 0)))
    {
      gtk_list_box_select_row (GTK_LIST_BOX (self->list), first);
      gtk_widget_grab_focus (GTK_WIDGET (first));
    }
}

/* Back to typing, whether a reply was picked or not. */
static void
popover_closed_cb (BylineCannedReplyPicker *self)
{
  if (self->view != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->view));
}

static void edit_clicked_cb (BylineCannedReplyPicker *self);

/* 1 to 9 pick at once; e (or the button's Alt+E) opens the editor, however far down the list
 * the focus is. */
static gboolean
popover_key_cb (GtkEventControllerKey   *controller,
                guint                    keyval,
                guint                    keycode,
                GdkModifierType          state,
                BylineCannedReplyPicker *self)
{
  GdkModifierType mods = state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK);
  guint digit;

  if ((keyval == GDK_KEY_e || keyval == GDK_KEY_E) && (mods == 0 || mods == GDK_ALT_MASK))
    {
      edit_clicked_cb (self);
      return TRUE;
    }
  if (mods != 0)
    return FALSE;
  if (keyval >= GDK_KEY_1 && keyval <= GDK_KEY_9)
    digit = keyval - GDK_KEY_1;
  else if (keyval >= GDK_KEY_KP_1 && keyval <= GDK_KEY_KP_9)
    digit = keyval - GDK_KEY_KP_1;
  else
    return FALSE;
  insert_reply (self, digit);
  return TRUE;
}

static gboolean
view_key_cb (GtkEventControllerKey   *controller,
             guint                    keyval,
             guint                    keycode,
             GdkModifierType          state,
             BylineCannedReplyPicker *self)
{
  GdkModifierType mods = state & (GDK_CONTROL_MASK | GDK_SHIFT_MASK | GDK_ALT_MASK);

  if ((keyval == GDK_KEY_R || keyval == GDK_KEY_r) &&
      mods == (GDK_CONTROL_MASK | GDK_SHIFT_MASK) && gtk_widget_get_visible (GTK_WIDGET (self)))
    {
      byline_canned_reply_picker_popup (self);
      return TRUE;
    }
  return FALSE;
}

static void
edit_clicked_cb (BylineCannedReplyPicker *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *window;

  if (self->store == NULL || self->comment == NULL)
    return;
  gtk_popover_popdown (GTK_POPOVER (self->popover));
  window = byline_canned_replies_window_new (self->store,
                                             byline_comment_get_account_id (self->comment));
  if (GTK_IS_WINDOW (root))
    gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (root));
  gtk_window_present (GTK_WINDOW (window));
}

static void
byline_canned_reply_picker_class_init (BylineCannedReplyPickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_canned_reply_picker_dispose;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
byline_canned_reply_picker_init (BylineCannedReplyPicker *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *heading = gtk_label_new (_("Canned Replies"));
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *edit = gtk_button_new_with_mnemonic (_("_Edit Canned Replies…"));
  GtkEventController *keys;

  gtk_widget_add_css_class (heading, "heading");
  gtk_label_set_xalign (GTK_LABEL (heading), 0);
  gtk_widget_set_margin_start (heading, 6);
  gtk_box_append (GTK_BOX (box), heading);

  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_SINGLE);
  gtk_list_box_set_activate_on_single_click (GTK_LIST_BOX (self->list), TRUE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Canned replies: Enter or their number inserts one, E edits them"), -1);
  g_signal_connect_swapped (self->list, "row-activated", G_CALLBACK (list_row_activated_cb), self);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_NEVER,
                                  GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
  gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 420);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), self->list);
  gtk_box_append (GTK_BOX (box), scroller);

  self->message_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->message_label), TRUE);
  gtk_widget_add_css_class (self->message_label, "error");
  gtk_widget_set_visible (self->message_label, FALSE);
  gtk_box_append (GTK_BOX (box), self->message_label);

  gtk_widget_add_css_class (edit, "flat");
  gtk_widget_set_halign (edit, GTK_ALIGN_START);
  g_signal_connect_swapped (edit, "clicked", G_CALLBACK (edit_clicked_cb), self);
  gtk_box_append (GTK_BOX (box), edit);

  self->popover = gtk_popover_new ();
  gtk_popover_set_child (GTK_POPOVER (self->popover), box);
  g_signal_connect_swapped (self->popover, "show", G_CALLBACK (popover_show_cb), self);
  g_signal_connect_swapped (self->popover, "closed", G_CALLBACK (popover_closed_cb), self);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (popover_key_cb), self);
  gtk_widget_add_controller (self->popover, keys);

  self->button = gtk_menu_button_new ();
  gtk_menu_button_set_label (GTK_MENU_BUTTON (self->button), _("Canned Replies"));
  gtk_menu_button_set_direction (GTK_MENU_BUTTON (self->button), GTK_ARROW_UP);
  gtk_menu_button_set_popover (GTK_MENU_BUTTON (self->button), self->popover);
  gtk_widget_set_tooltip_text (self->button, _("Insert a canned reply (Ctrl+Shift+R)"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Insert a canned reply"), -1);
  gtk_widget_set_parent (self->button, GTK_WIDGET (self));
}

GtkWidget *
byline_canned_reply_picker_new (void)
{
  return g_object_new (BYLINE_TYPE_CANNED_REPLY_PICKER, NULL);
}

void
byline_canned_reply_picker_set_view (BylineCannedReplyPicker *self,
                                     GtkTextView             *view)
{
  GtkEventController *keys;

  g_return_if_fail (BYLINE_IS_CANNED_REPLY_PICKER (self));
  g_return_if_fail (GTK_IS_TEXT_VIEW (view));

  g_set_weak_pointer (&self->view, view);
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (view_key_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (view), keys);
}

void
byline_canned_reply_picker_set_store (BylineCannedReplyPicker *self,
                                      BylineStore             *store)
{
  g_return_if_fail (BYLINE_IS_CANNED_REPLY_PICKER (self));
  g_set_object (&self->store, store);
}

void
byline_canned_reply_picker_set_comment (BylineCannedReplyPicker *self,
                                        BylineComment           *comment)
{
  g_return_if_fail (BYLINE_IS_CANNED_REPLY_PICKER (self));
  g_set_object (&self->comment, comment);
}

void
byline_canned_reply_picker_popup (BylineCannedReplyPicker *self)
{
  g_return_if_fail (BYLINE_IS_CANNED_REPLY_PICKER (self));

  if (self->store == NULL || self->comment == NULL)
    return;
  gtk_menu_button_popup (GTK_MENU_BUTTON (self->button));
}
