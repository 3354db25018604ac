/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment-row.c: one comment in the moderation queue. */

#include "config.h"

#include <glib/gi18n.h>

#include "byline-comment-row.h"

struct _BylineCommentRow
{
  GtkWidget  parent_instance;

  GtkWidget *box;
  GtkWidget *check_image;
  GtkWidget *author_inscription;
  GtkWidget *sending_image;
  GtkWidget *status_label;
  GtkWidget *reason_label;
  GtkWidget *time_label;
  GtkWidget *snippet_inscription;
  GtkWidget *post_inscription;

  /* What a screen reader says for the comment (author, status, when, first words). */
  char      *accessible_label;
};

G_DEFINE_FINAL_TYPE (BylineCommentRow, byline_comment_row, GTK_TYPE_WIDGET)

const char *
byline_comment_status_label (const char *status)
{
  if (g_strcmp0 (status, BYLINE_COMMENT_STATUS_HOLD) == 0)
    return _("Pending");
  if (g_strcmp0 (status, BYLINE_COMMENT_STATUS_APPROVED) == 0)
    return _("Approved");
  if (g_strcmp0 (status, BYLINE_COMMENT_STATUS_SPAM) == 0)
    return _("Spam");
  if (g_strcmp0 (status, BYLINE_COMMENT_STATUS_TRASH) == 0)
    return _("Trash");
  if (g_strcmp0 (status, BYLINE_COMMENT_STATUS_DELETED) == 0)
    return _("Deleted");
  return status;
}

char *
byline_comment_dup_relative_time (gint64 unix_time)
{
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;
  gint64 seconds = MAX (now - unix_time, 0);
  g_autoptr(GDateTime) date = g_date_time_new_from_unix_local (unix_time);

  if (seconds < 60)
    return g_strdup (_("just now"));
  if (seconds < 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago",
                                         seconds / 60), (int) (seconds / 60));
  if (seconds < 24 * 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago",
                                         seconds / 3600), (int) (seconds / 3600));
  if (seconds < 7 * 24 * 3600)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago",
                                         seconds / 86400), (int) (seconds / 86400));
  /* Translators: a date in the comment list; see strftime(3) */
  return date ? g_date_time_format (date, _("%-d %b %Y")) : g_strdup ("");
}

static void
byline_comment_row_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), BYLINE_TYPE_COMMENT_ROW);
  G_OBJECT_CLASS (byline_comment_row_parent_class)->dispose (object);
}

static void
byline_comment_row_finalize (GObject *object)
{
  BylineCommentRow *self = BYLINE_COMMENT_ROW (object);

  g_free (self->accessible_label);
  G_OBJECT_CLASS (byline_comment_row_parent_class)->finalize (object);
}

static void
byline_comment_row_class_init (BylineCommentRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_comment_row_dispose;
  object_class->finalize = byline_comment_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/byline-comment-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BylineCommentRow, box);
  gtk_widget_class_bind_template_child (widget_class, BylineCommentRow, check_image);
  gtk_widget_class_bind_template_child (widget_class, BylineCommentRow, author_inscription);
  gtk_widget_class_bind_template_child (widget_class, BylineCommentRow, sending_image);
  gtk_widget_class_bind_template_child (widget_class, BylineCommentRow, status_label);
  gtk_widget_class_bind_template_child (widget_class, BylineCommentRow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, BylineCommentRow, time_label);
  gtk_widget_class_bind_template_child (widget_class, BylineCommentRow, snippet_inscription);
  gtk_widget_class_bind_template_child (widget_class, BylineCommentRow, post_inscription);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
byline_comment_row_init (BylineCommentRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
byline_comment_row_new (void)
{
  return g_object_new (BYLINE_TYPE_COMMENT_ROW, NULL);
}

void
byline_comment_row_set_comment (BylineCommentRow *self,
                                BylineComment    *comment,
                                gboolean          show_status,
                                gboolean          checked)
{
  const char *author = byline_comment_get_author_name (comment);
  const char *post = byline_comment_get_post_title (comment);
  g_autofree char *when = byline_comment_dup_relative_time (byline_comment_get_date_unix (comment));
  g_autofree char *on = NULL;
  g_autofree char *snippet = NULL;
  const char *text = byline_comment_get_text (comment);

  g_return_if_fail (BYLINE_IS_COMMENT_ROW (self));

  if (author[0] == '\0')
    author = _("Anonymous");
  /* Only the first words are shown; cutting here keeps a huge comment from costing layout. */
  snippet = g_utf8_substring (text, 0, MIN (g_utf8_strlen (text, 400), 200));
  if (post[0] != '\0')
    /* Translators: under a comment in the list: the post it belongs to */
    on = g_strdup_printf (_("On “%s”"), post);
  else
    on = g_strdup_printf (_("On post %lld"), (long long) byline_comment_get_post_id (comment));

  /* Plain text only: nothing a commenter wrote is read as markup. */
  gtk_inscription_set_text (GTK_INSCRIPTION (self->author_inscription), author);
  gtk_label_set_text (GTK_LABEL (self->time_label), when);
  gtk_inscription_set_text (GTK_INSCRIPTION (self->snippet_inscription), snippet);
  gtk_inscription_set_text (GTK_INSCRIPTION (self->post_inscription), on);
  gtk_widget_set_visible (self->status_label, show_status);
  gtk_label_set_text (GTK_LABEL (self->status_label),
                      byline_comment_status_label (byline_comment_get_status (comment)));
  gtk_widget_set_visible (self->sending_image, byline_comment_get_sending (comment));
  gtk_widget_set_opacity (self->check_image, checked ? 1.0 : 0.0);

  /* Translators: what a screen reader says for a comment row: author, status, when, text */
  g_free (self->accessible_label);
  self->accessible_label = g_strdup_printf (_("%s, %s, %s: %s"), author,
                                            byline_comment_status_label (byline_comment_get_status (comment)),
                                            when, snippet);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->accessible_label, -1);
  gtk_accessible_update_state (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_STATE_CHECKED,
                               checked ? GTK_ACCESSIBLE_TRISTATE_TRUE : GTK_ACCESSIBLE_TRISTATE_FALSE,
                               -1);
}

void
byline_comment_row_set_reason (BylineCommentRow *self,
                               const char       *reason)
{
  gboolean shown = reason != NULL && reason[0] != '\0';
  g_autofree char *label = NULL;

  g_return_if_fail (BYLINE_IS_COMMENT_ROW (self));

  /* The site's own words: plain text. */
  gtk_label_set_text (GTK_LABEL (self->reason_label), shown ? reason : "");
  gtk_widget_set_tooltip_text (self->reason_label, shown ? reason : NULL);
  gtk_widget_set_visible (self->reason_label, shown);
  if (!shown || self->accessible_label == NULL)
    return;
  /* Translators: a comment row's spoken name, then the policy reason of its decision */
  label = g_strdup_printf (_("%s (reason: %s)"), self->accessible_label, reason);
  g_free (self->accessible_label);
  self->accessible_label = g_steal_pointer (&label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->accessible_label, -1);
}

const char *
byline_comment_row_get_reason (BylineCommentRow *self)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_ROW (self), NULL);

  return gtk_widget_get_visible (self->reason_label)
         ? gtk_label_get_text (GTK_LABEL (self->reason_label)) : NULL;
}

const char *
byline_comment_row_get_accessible_label (BylineCommentRow *self)
{
  g_return_val_if_fail (BYLINE_IS_COMMENT_ROW (self), NULL);

  return self->accessible_label;
}
