/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-reasons-window.c: a site's policy reasons, one editable row each, in their order (a
 * reason's digit is its place). A name is renamed with Enter; the buttons beside it move it or
 * take it off the list (the comments and the trail that name it keep its name). */

#include "config.h"

#include <glib/gi18n.h>

#include "byline-moderation-reasons.h"
#include "byline-reasons-window.h"

struct _BylineReasonsWindow
{
  AdwWindow    parent_instance;

  BylineStore *store;
  gint64       account_id;
  GtkWidget   *list;
  GtkWidget   *add_row;
  GtkWidget   *error_label;
  GPtrArray   *reasons;     /* BylineModerationReason, as shown */
};

enum {
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BylineReasonsWindow, byline_reasons_window, ADW_TYPE_WINDOW)

static void reload (BylineReasonsWindow *self,
                    int                  focus_position);

static void
show_error (BylineReasonsWindow *self,
            const GError        *error)
{
  gtk_label_set_text (GTK_LABEL (self->error_label), error ? error->message : "");
  gtk_widget_set_visible (self->error_label, error != NULL);
}

static void
changed (BylineReasonsWindow *self,
         int                  focus_position)
{
  show_error (self, NULL);
  reload (self, focus_position);
  g_signal_emit (self, signals[CHANGED], 0);
}

static const BylineModerationReason *
reason_of (BylineReasonsWindow *self,
           GtkWidget           *widget)
{
  guint position = GPOINTER_TO_UINT (g_object_get_data (G_OBJECT (widget), "byline-position"));

  return position < self->reasons->len ? g_ptr_array_index (self->reasons, position) : NULL;
}

static void
rename_cb (AdwEntryRow         *row,
           BylineReasonsWindow *self)
{
  const BylineModerationReason *reason = reason_of (self, GTK_WIDGET (row));
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autoptr(GError) error = NULL;

  if (reason == NULL)
    return;
  if (!byline_moderation_reasons_rename (self->store, self->account_id, reason->slug, name, &error))
    show_error (self, error);
  else
    changed (self, reason->position);
}

static void
move (BylineReasonsWindow *self,
      guint                from,
      guint                to)
{
  g_autoptr(GPtrArray) slugs = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;

  if (to >= self->reasons->len)
    return;
  for (guint i = 0; i < self->reasons->len; i++)
    {
      const BylineModerationReason *reason = g_ptr_array_index (self->reasons, i);
      g_ptr_array_add (slugs, reason->slug);
    }
  slugs->pdata[from] = ((BylineModerationReason *) g_ptr_array_index (self->reasons, to))->slug;
  slugs->pdata[to] = ((BylineModerationReason *) g_ptr_array_index (self->reasons, from))->slug;
  g_ptr_array_add (slugs, NULL);
  if (!byline_moderation_reasons_reorder (self->store, self->account_id,
                                          (const char * const *) slugs->pdata, &error))
    show_error (self, error);
  else
    changed (self, to);
}

static void
up_cb (GtkButton           *button,
       BylineReasonsWindow *self)
{
  const BylineModerationReason *reason = reason_of (self, GTK_WIDGET (button));

  if (reason != NULL && reason->position > 0)
    move (self, reason->position, reason->position - 1);
}

static void
down_cb (GtkButton           *button,
         BylineReasonsWindow *self)
{
  const BylineModerationReason *reason = reason_of (self, GTK_WIDGET (button));

  if (reason != NULL)
    move (self, reason->position, reason->position + 1);
}

static void
remove_cb (GtkButton           *button,
           BylineReasonsWindow *self)
{
  const BylineModerationReason *reason = reason_of (self, GTK_WIDGET (button));
  g_autoptr(GError) error = NULL;

  if (reason == NULL)
    return;
  if (!byline_moderation_reasons_remove (self->store, self->account_id, reason->slug, &error))
    show_error (self, error);
  else
    changed (self, MIN (reason->position, self->reasons->len - 2));
}

static void
add_cb (AdwEntryRow         *row,
        BylineReasonsWindow *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autoptr(BylineModerationReason) added = NULL;
  g_autoptr(GError) error = NULL;

  added = byline_moderation_reasons_add (self->store, self->account_id, name, &error);
  if (added == NULL)
    {
      show_error (self, error);
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (row), "");
  changed (self, -1);
  gtk_widget_grab_focus (self->add_row);
}

static GtkWidget *
icon_button (const char *icon,
             const char *name,
             guint       position)
{
  GtkWidget *button = gtk_button_new_from_icon_name (icon);

  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  gtk_widget_set_tooltip_text (button, name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  g_object_set_data (G_OBJECT (button), "byline-position", GUINT_TO_POINTER (position));
  return button;
}

static void
reload (BylineReasonsWindow *self,
        int                  focus_position)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *reasons = byline_moderation_reasons_list (self->store, self->account_id, &error);
  GtkWidget *child;

  if (reasons == NULL)
    {
      show_error (self, error);
      return;
    }
  g_clear_pointer (&self->reasons, g_ptr_array_unref);
  self->reasons = reasons;
  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);
  for (guint i = 0; i < reasons->len; i++)
    {
      const BylineModerationReason *reason = g_ptr_array_index (reasons, i);
      GtkWidget *row = adw_entry_row_new ();
      /* Translators: the title of a reason's row; its number is the digit that picks it */
      g_autofree char *title = g_strdup_printf (_("Reason %u"), i + 1);
      g_autofree char *up_name = g_strdup_printf (_("Move “%s” Up"), reason->name);
      g_autofree char *down_name = g_strdup_printf (_("Move “%s” Down"), reason->name);
      g_autofree char *remove_name = g_strdup_printf (_("Remove “%s”"), reason->name);
      GtkWidget *up = icon_button ("go-up-symbolic", up_name, i);
      GtkWidget *down = icon_button ("go-down-symbolic", down_name, i);
      GtkWidget *remove = icon_button ("user-trash-symbolic", remove_name, i);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
      gtk_editable_set_text (GTK_EDITABLE (row), reason->name);
      adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (row), TRUE);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                      -1);
      g_object_set_data (G_OBJECT (row), "byline-position", GUINT_TO_POINTER (i));
      gtk_widget_set_sensitive (up, i > 0);
      gtk_widget_set_sensitive (down, i + 1 < reasons->len);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), up);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), down);
      adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), remove);
      g_signal_connect (row, "apply", G_CALLBACK (rename_cb), self);
      g_signal_connect (up, "clicked", G_CALLBACK (up_cb), self);
      g_signal_connect (down, "clicked", G_CALLBACK (down_cb), self);
      g_signal_connect (remove, "clicked", G_CALLBACK (remove_cb), self);
      gtk_list_box_append (GTK_LIST_BOX (self->list), row);
      if ((int) i == focus_position)
        gtk_widget_grab_focus (row);
    }
}

static void
byline_reasons_window_dispose (GObject *object)
{
  BylineReasonsWindow *self = BYLINE_REASONS_WINDOW (object);

  g_clear_object (&self->store);
  g_clear_pointer (&self->reasons, g_ptr_array_unref);
  G_OBJECT_CLASS (byline_reasons_window_parent_class)->dispose (object);
}

static void
byline_reasons_window_class_init (BylineReasonsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_reasons_window_dispose;
  /**
   * BylineReasonsWindow::changed:
   *
   * The list was changed and written.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
byline_reasons_window_init (BylineReasonsWindow *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *scroller = gtk_scrolled_window_new ();
  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 12);
  GtkWidget *clamp = adw_clamp_new ();
  GtkWidget *intro = gtk_label_new (_("A rejected comment can carry one of these reasons: press "
                                      "its number just after s, d or u, or ctrl+s, ctrl+d or "
                                      "ctrl+u to choose from the list. Enter renames a reason."));
  GtkWidget *add_list = gtk_list_box_new ();

  gtk_window_set_title (GTK_WINDOW (self), _("Policy Reasons"));
  gtk_window_set_default_size (GTK_WINDOW (self), 520, 560);
  gtk_window_set_modal (GTK_WINDOW (self), TRUE);
  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());

  gtk_label_set_wrap (GTK_LABEL (intro), TRUE);
  gtk_label_set_xalign (GTK_LABEL (intro), 0);
  gtk_widget_add_css_class (intro, "dim-label");
  gtk_box_append (GTK_BOX (content), intro);

  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Policy reasons"), -1);
  gtk_box_append (GTK_BOX (content), self->list);

  self->add_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->add_row), _("New Reason"));
  adw_entry_row_set_show_apply_button (ADW_ENTRY_ROW (self->add_row), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->add_row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("New reason"), -1);
  g_signal_connect (self->add_row, "apply", G_CALLBACK (add_cb), self);
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (add_list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (add_list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (add_list), self->add_row);
  gtk_box_append (GTK_BOX (content), add_list);

  self->error_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (self->error_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (self->error_label), 0);
  gtk_widget_add_css_class (self->error_label, "error");
  gtk_widget_set_visible (self->error_label, FALSE);
  gtk_box_append (GTK_BOX (content), self->error_label);

  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 18);
  gtk_widget_set_margin_start (content, 12);
  gtk_widget_set_margin_end (content, 12);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), clamp);
  gtk_widget_set_vexpand (scroller, TRUE);
  gtk_box_append (GTK_BOX (box), scroller);
  adw_window_set_content (ADW_WINDOW (self), box);
}

GtkWidget *
byline_reasons_window_new (GtkWindow   *parent,
                           BylineStore *store,
                           gint64       account_id,
                           const char  *site_name)
{
  BylineReasonsWindow *self = g_object_new (BYLINE_TYPE_REASONS_WINDOW,
                                            "transient-for", parent, NULL);
  /* Translators: the title of the window editing a site's policy reasons */
  g_autofree char *title = g_strdup_printf (_("Policy Reasons of %s"), site_name);

  gtk_window_set_title (GTK_WINDOW (self), title);
  self->store = g_object_ref (store);
  self->account_id = account_id;
  reload (self, 0);
  return GTK_WIDGET (self);
}
