/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-revisions-window.c: browse a draft's revisions and restore one.
 *
 * The list holds no bodies (hours of writing a long draft keep hundreds of copies of its text):
 * only the revision shown is read with its body, when it is selected. */

#define G_LOG_DOMAIN "byline-revisions"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "byline-revisions-window.h"
#include "byline-text-stats.h"

struct _BylineRevisionsWindow
{
  AdwWindow        parent_instance;

  BylineStore     *store;
  /* As listed, without bodies; shown is the selected one, read with its body. */
  GPtrArray       *revisions;
  BylineRevision  *shown;

  AdwWindowTitle  *window_title;
  AdwToastOverlay *toast_overlay;
  GtkStack        *stack;
  GtkListBox      *revisions_list;
  GtkSourceView   *text_view;
  GtkWidget       *restore_button;
};

enum {
  RESTORE,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BylineRevisionsWindow, byline_revisions_window, ADW_TYPE_WINDOW)

static BylineRevision *
byline_revisions_window_get_selected (BylineRevisionsWindow *self)
{
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->revisions_list);

  if (row == NULL)
    return NULL;
  return g_ptr_array_index (self->revisions, gtk_list_box_row_get_index (row));
}

static void
byline_revisions_window_row_selected_cb (BylineRevisionsWindow *self)
{
  BylineRevision *revision = byline_revisions_window_get_selected (self);
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (self->text_view));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *stats = NULL;
  const char *body;

  /* The previous one's body goes before the next one's is read. */
  g_clear_object (&self->shown);
  gtk_text_buffer_set_text (buffer, "", 0);
  adw_window_title_set_subtitle (self->window_title, "");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "revisions.restore", FALSE);
  if (revision == NULL)
    return;

  self->shown = byline_store_load_revision (self->store, byline_revision_get_id (revision), &error);
  if (self->shown == NULL)
    {
      adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (error->message));
      return;
    }

  body = byline_revision_get_body (self->shown);
  text = g_strdup_printf ("# %s\n\n%s", byline_revision_get_title (self->shown), body);
  gtk_text_buffer_set_text (buffer, text, -1);
  stats = byline_text_stats_format (byline_text_stats_count_words (body, -1));
  adw_window_title_set_subtitle (self->window_title, stats);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "revisions.restore", TRUE);
}

static const char *
kind_label (BylineRevisionKind kind)
{
  switch (kind)
    {
    case BYLINE_REVISION_KIND_AUTOMATIC:
      return _("Kept while writing");
    case BYLINE_REVISION_KIND_EXPLICIT:
      return _("Saved with Ctrl+S");
    case BYLINE_REVISION_KIND_RESTORE:
      return _("Before a restore");
    default:
      g_assert_not_reached ();
    }
}

static GtkWidget *
byline_revisions_window_create_row (BylineRevision *revision,
                                    gint64          now)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (byline_revision_get_created_at (revision)
                                                               / G_USEC_PER_SEC);
  g_autofree char *relative = byline_text_stats_format_relative (byline_revision_get_created_at (revision),
                                                                 now);
  /* Translators: in strftime format */
  g_autofree char *exact = g_date_time_format (when, _("%e %B %Y, %H:%M:%S"));
  g_autofree char *subtitle = g_strdup_printf ("%s\n%s",
                                               kind_label (byline_revision_get_kind (revision)),
                                               exact);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), relative);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  return row;
}

static void
byline_revisions_window_restore_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  BylineRevisionsWindow *self = BYLINE_REVISIONS_WINDOW (widget);

  if (self->shown == NULL)
    return;
  g_signal_emit (self, signals[RESTORE], 0, self->shown);
  gtk_window_close (GTK_WINDOW (self));
}

static void
byline_revisions_window_dispose (GObject *object)
{
  BylineRevisionsWindow *self = BYLINE_REVISIONS_WINDOW (object);

  /* The list empties as it goes, and says so: by then there is nothing left to show it in. */
  if (self->revisions_list != NULL)
    g_signal_handlers_disconnect_by_func (self->revisions_list,
                                          byline_revisions_window_row_selected_cb, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), BYLINE_TYPE_REVISIONS_WINDOW);
  g_clear_pointer (&self->revisions, g_ptr_array_unref);
  g_clear_object (&self->shown);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (byline_revisions_window_parent_class)->dispose (object);
}

static void
byline_revisions_window_class_init (BylineRevisionsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_revisions_window_dispose;

  signals[RESTORE] = g_signal_new ("restore", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 1, BYLINE_TYPE_REVISION);

  g_type_ensure (GTK_SOURCE_TYPE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/byline-revisions-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BylineRevisionsWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, BylineRevisionsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BylineRevisionsWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, BylineRevisionsWindow, revisions_list);
  gtk_widget_class_bind_template_child (widget_class, BylineRevisionsWindow, text_view);
  gtk_widget_class_bind_template_child (widget_class, BylineRevisionsWindow, restore_button);

  gtk_widget_class_install_action (widget_class, "revisions.restore", NULL,
                                   byline_revisions_window_restore_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
byline_revisions_window_init (BylineRevisionsWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "revisions.restore", FALSE);
  g_signal_connect_object (self->revisions_list, "row-selected",
                           G_CALLBACK (byline_revisions_window_row_selected_cb), self,
                           G_CONNECT_SWAPPED);
}

BylineRevisionsWindow *
byline_revisions_window_new (BylineStore *store,
                             BylineDraft *draft)
{
  BylineRevisionsWindow *self;
  g_autoptr(GError) error = NULL;
  g_autofree char *title = NULL;
  g_autofree char *window_title = NULL;
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);
  g_return_val_if_fail (BYLINE_IS_DRAFT (draft), NULL);

  self = g_object_new (BYLINE_TYPE_REVISIONS_WINDOW, NULL);
  title = byline_draft_dup_display_title (draft);
  /* Translators: the title of the revisions window */
  window_title = g_strdup_printf (_("Revisions of “%s”"), title);
  gtk_window_set_title (GTK_WINDOW (self), window_title);
  adw_window_title_set_title (self->window_title, window_title);
  self->store = g_object_ref (store);

  self->revisions = byline_store_list_revisions (store, byline_draft_get_id (draft), &error);
  if (self->revisions == NULL)
    {
      g_warning ("Could not list revisions: %s", error->message);
      self->revisions = g_ptr_array_new_with_free_func (g_object_unref);
    }

  for (guint i = 0; i < self->revisions->len; i++)
    gtk_list_box_append (self->revisions_list,
                         byline_revisions_window_create_row (g_ptr_array_index (self->revisions, i),
                                                             now));
  gtk_stack_set_visible_child_name (self->stack, self->revisions->len > 0 ? "list" : "empty");
  if (self->revisions->len > 0)
    {
      GtkListBoxRow *newest = gtk_list_box_get_row_at_index (self->revisions_list, 0);

      /* Selected, and focused so that the arrow keys go through the revisions at once. */
      gtk_list_box_select_row (self->revisions_list, newest);
      gtk_widget_grab_focus (GTK_WIDGET (newest));
    }

  return self;
}
