/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-draft-row.c: a draft in the drafts list: title, first words and when it last changed. */

#include "config.h"

#include <glib/gi18n.h>

#include "byline-draft-row.h"
#include "byline-label.h"
#include "byline-text-stats.h"

#define SNIPPET_CHARS 90

struct _BylineDraftRow
{
  GtkListBoxRow  parent_instance;

  BylineDraft   *draft;

  GtkLabel      *title_label;
  GtkLabel      *snippet_label;
  GtkLabel      *time_label;

  guint          update_idle_id;
};

G_DEFINE_FINAL_TYPE (BylineDraftRow, byline_draft_row, GTK_TYPE_LIST_BOX_ROW)

void
byline_draft_row_update_time (BylineDraftRow *self)
{
  g_autofree char *relative = NULL;
  g_autoptr(GDateTime) modified = NULL;
  g_autofree char *exact = NULL;

  g_return_if_fail (BYLINE_IS_DRAFT_ROW (self));

  relative = byline_text_stats_format_relative (byline_draft_get_modified_at (self->draft),
                                                g_get_real_time ());
  byline_label_update (self->time_label, relative);

  modified = g_date_time_new_from_unix_local (byline_draft_get_modified_at (self->draft)
                                              / G_USEC_PER_SEC);
  /* Translators: the exact time a draft was last changed, in strftime format */
  exact = modified ? g_date_time_format (modified, _("Changed %e %B %Y at %H:%M")) : NULL;
  if (g_strcmp0 (gtk_widget_get_tooltip_text (GTK_WIDGET (self->time_label)), exact) != 0)
    gtk_widget_set_tooltip_text (GTK_WIDGET (self->time_label), exact);
}

/* Typing changes the body on every key; the row only needs to catch up once per frame or so. */
static gboolean
byline_draft_row_update_cb (gpointer user_data)
{
  BylineDraftRow *self = user_data;
  g_autofree char *title = byline_draft_dup_display_title (self->draft);
  g_autofree char *snippet = byline_draft_dup_snippet (self->draft, SNIPPET_CHARS);

  self->update_idle_id = 0;

  byline_label_update (self->title_label, title);
  byline_label_update (self->snippet_label, *snippet ? snippet : _("Empty draft"));
  byline_draft_row_update_time (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);

  return G_SOURCE_REMOVE;
}

static void
byline_draft_row_draft_changed_cb (BylineDraftRow *self)
{
  if (self->update_idle_id == 0)
    self->update_idle_id = g_timeout_add (250, byline_draft_row_update_cb, self);
}

static void
byline_draft_row_dispose (GObject *object)
{
  BylineDraftRow *self = BYLINE_DRAFT_ROW (object);

  g_clear_handle_id (&self->update_idle_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), BYLINE_TYPE_DRAFT_ROW);
  g_clear_object (&self->draft);

  G_OBJECT_CLASS (byline_draft_row_parent_class)->dispose (object);
}

static void
byline_draft_row_class_init (BylineDraftRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_draft_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/byline-draft-row.ui");
  gtk_widget_class_bind_template_child (widget_class, BylineDraftRow, title_label);
  gtk_widget_class_bind_template_child (widget_class, BylineDraftRow, snippet_label);
  gtk_widget_class_bind_template_child (widget_class, BylineDraftRow, time_label);
}

static void
byline_draft_row_init (BylineDraftRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
byline_draft_row_new (BylineDraft *draft)
{
  BylineDraftRow *self;

  g_return_val_if_fail (BYLINE_IS_DRAFT (draft), NULL);

  self = g_object_new (BYLINE_TYPE_DRAFT_ROW, NULL);
  self->draft = g_object_ref (draft);
  g_signal_connect_object (draft, "changed", G_CALLBACK (byline_draft_row_draft_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (draft, "notify::modified-at",
                           G_CALLBACK (byline_draft_row_update_time), self, G_CONNECT_SWAPPED);
  byline_draft_row_update_cb (self);

  return GTK_WIDGET (self);
}

BylineDraft *
byline_draft_row_get_draft (BylineDraftRow *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT_ROW (self), NULL);

  return self->draft;
}
