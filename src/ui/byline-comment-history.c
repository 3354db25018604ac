/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment-history.c: the comment's decisions, as the audit trail has them, in the detail
 * pane. */

#include "config.h"

#include <glib/gi18n.h>

#include "byline-comment-history.h"

struct _BylineCommentHistory
{
  GtkWidget  parent_instance;

  GtkWidget *reason_label;
  GtkWidget *title;
  GtkWidget *list;
  char      *reason;
  GString   *text;      /* the entries, one line each */
};

G_DEFINE_FINAL_TYPE (BylineCommentHistory, byline_comment_history, GTK_TYPE_WIDGET)

static void
byline_comment_history_dispose (GObject *object)
{
  BylineCommentHistory *self = BYLINE_COMMENT_HISTORY (object);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  G_OBJECT_CLASS (byline_comment_history_parent_class)->dispose (object);
}

static void
byline_comment_history_finalize (GObject *object)
{
  BylineCommentHistory *self = BYLINE_COMMENT_HISTORY (object);

  g_free (self->reason);
  g_string_free (self->text, TRUE);
  G_OBJECT_CLASS (byline_comment_history_parent_class)->finalize (object);
}

static void
byline_comment_history_class_init (BylineCommentHistoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_comment_history_dispose;
  object_class->finalize = byline_comment_history_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BOX_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "comment-history");
}

static void
byline_comment_history_init (BylineCommentHistory *self)
{
  GtkLayoutManager *layout = gtk_widget_get_layout_manager (GTK_WIDGET (self));

  gtk_orientable_set_orientation (GTK_ORIENTABLE (layout), GTK_ORIENTATION_VERTICAL);
  gtk_box_layout_set_spacing (GTK_BOX_LAYOUT (layout), 6);
  self->text = g_string_new (NULL);

  self->reason_label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (self->reason_label), 0);
  gtk_label_set_wrap (GTK_LABEL (self->reason_label), TRUE);
  gtk_widget_set_visible (self->reason_label, FALSE);
  gtk_widget_set_parent (self->reason_label, GTK_WIDGET (self));

  self->title = gtk_label_new (_("History"));
  gtk_label_set_xalign (GTK_LABEL (self->title), 0);
  gtk_widget_set_margin_top (self->title, 12);
  gtk_widget_add_css_class (self->title, "heading");
  gtk_widget_set_parent (self->title, GTK_WIDGET (self));

  self->list = gtk_list_box_new ();
  gtk_list_box_set_selection_mode (GTK_LIST_BOX (self->list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (self->list, "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Moderation history of this comment"), -1);
  gtk_widget_set_parent (self->list, GTK_WIDGET (self));
  byline_comment_history_reset (self, NULL);
}

GtkWidget *
byline_comment_history_new (void)
{
  return g_object_new (BYLINE_TYPE_COMMENT_HISTORY, NULL);
}

void
byline_comment_history_reset (BylineCommentHistory *self,
                              const char           *reason)
{
  g_autofree char *shown = NULL;
  GtkWidget *child;

  g_return_if_fail (BYLINE_IS_COMMENT_HISTORY (self));

  g_free (self->reason);
  self->reason = reason != NULL && reason[0] != '\0' ? g_strdup (reason) : NULL;
  if (self->reason != NULL)
    /* Translators: in the detail pane, why the comment was rejected */
    shown = g_strdup_printf (_("Reason: %s"), self->reason);
  gtk_label_set_text (GTK_LABEL (self->reason_label), shown ? shown : "");
  gtk_widget_set_visible (self->reason_label, self->reason != NULL);
  /* gtk_list_box_remove_all () is GTK 4.12. */
  while ((child = gtk_widget_get_first_child (self->list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (self->list), child);
  g_string_truncate (self->text, 0);
  /* A comment nobody decided on yet has no history to show. */
  gtk_widget_set_visible (self->title, FALSE);
  gtk_widget_set_visible (self->list, FALSE);
}

void
byline_comment_history_add (BylineCommentHistory *self,
                            const char           *action,
                            const char           *who,
                            gint64                unix_time,
                            const char           *reason,
                            const char           *state)
{
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (unix_time);
  /* Translators: when a moderation decision was made, in local time; see strftime(3) */
  g_autofree char *when = date ? g_date_time_format (date, _("%-d %b %Y, %H:%M")) : g_strdup ("");
  g_autofree char *title = NULL;
  g_autoptr(GString) subtitle = g_string_new (NULL);
  GtkWidget *row = adw_action_row_new ();

  g_return_if_fail (BYLINE_IS_COMMENT_HISTORY (self));

  if (reason != NULL && reason[0] != '\0')
    /* Translators: a decision in a comment's history, with its reason ("Marked as spam: Off
     * topic") */
    title = g_strdup_printf (_("%s: %s"), action, reason);
  else
    title = g_strdup (action);
  /* Translators: under a decision in a comment's history: who, when */
  g_string_printf (subtitle, _("%s, %s"), who != NULL && who[0] != '\0' ? who : _("Unknown user"),
                   when);
  if (state != NULL && state[0] != '\0')
    g_string_append_printf (subtitle, " · %s", state);

  /* Reasons are the site's words and users its names: never markup. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle->str);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle->str, -1);
  gtk_list_box_append (GTK_LIST_BOX (self->list), row);
  g_string_append_printf (self->text, "%s — %s\n", title, subtitle->str);
  gtk_widget_set_visible (self->title, TRUE);
  gtk_widget_set_visible (self->list, TRUE);
}

const char *
byline_comment_history_get_reason (BylineCommentHistory *self)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_HISTORY (self), NULL);

  return self->reason;
}

char *
byline_comment_history_dup_text (BylineCommentHistory *self)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_HISTORY (self), NULL);

  return g_strdup (self->text->str);
}
