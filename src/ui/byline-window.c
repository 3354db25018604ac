/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-window.c: the main window: the Drafts and Comments views. */

#define G_LOG_DOMAIN "byline-window"

#include "config.h"

#include <glib/gi18n.h>

#include "byline-comments-page.h"
#include "byline-drafts-page.h"
#include "byline-posts-window.h"
#include "byline-window.h"

struct _BylineWindow
{
  AdwApplicationWindow  parent_instance;

  GSettings            *settings;

  AdwToastOverlay      *toast_overlay;
  AdwViewStack         *stack;
  BylineDraftsPage     *drafts_page;
  BylineCommentsPage   *comments_page;
  GtkWidget            *sidebar_button;
  GtkWidget            *new_draft_button;
  GtkRevealer          *read_only_revealer;
  GtkLabel             *read_only_label;
};

G_DEFINE_FINAL_TYPE (BylineWindow, byline_window, ADW_TYPE_APPLICATION_WINDOW)

static gboolean
byline_window_drafts_visible (BylineWindow *self)
{
  return g_strcmp0 (adw_view_stack_get_visible_child_name (self->stack), "drafts") == 0;
}

static void
byline_window_show_drafts (BylineWindow *self)
{
  adw_view_stack_set_visible_child_name (self->stack, "drafts");
}

static void
byline_window_new_draft_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  BylineWindow *self = BYLINE_WINDOW (widget);

  byline_window_show_drafts (self);
  byline_drafts_page_new_draft (self->drafts_page);
}

static void
byline_window_search_action (GtkWidget  *widget,
                             const char *action_name,
                             GVariant   *parameter)
{
  BylineWindow *self = BYLINE_WINDOW (widget);

  byline_window_show_drafts (self);
  byline_drafts_page_focus_search (self->drafts_page);
}

static void
byline_window_toggle_sidebar_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  BylineWindow *self = BYLINE_WINDOW (widget);

  byline_window_show_drafts (self);
  g_settings_set_boolean (self->settings, "sidebar-visible",
                          !g_settings_get_boolean (self->settings, "sidebar-visible"));
}

static void
byline_window_show_view_action (GtkWidget  *widget,
                                const char *action_name,
                                GVariant   *parameter)
{
  BylineWindow *self = BYLINE_WINDOW (widget);

  adw_view_stack_set_visible_child_name (self->stack, g_variant_get_string (parameter, NULL));
}

static void
byline_window_open_draft_cb (BylineWindow *self,
                             BylineDraft  *draft,
                             int           outcome)
{
  const char *message = NULL;

  byline_window_show_drafts (self);
  byline_drafts_page_open_draft (self->drafts_page, draft);
  if (outcome == BYLINE_REMOTE_IMPORT_REFRESHED)
    message = _("The draft now holds the site’s latest version; the previous one is kept as a "
                "revision");
  else if (outcome == BYLINE_REMOTE_IMPORT_KEPT_EDITS)
    message = _("This draft has edits of its own, so it was not replaced by the site’s version");
  if (message != NULL)
    adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (message));
}

/* The site's posts, to open one as a draft (Ctrl+Shift+O). */
static void
byline_window_site_posts_action (GtkWidget  *widget,
                                 const char *action_name,
                                 GVariant   *parameter)
{
  BylineWindow *self = BYLINE_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  BylinePostsWindow *window;

  if (!BYLINE_IS_APPLICATION (app)
      || byline_application_get_accounts (BYLINE_APPLICATION (app)) == NULL)
    return;
  /* An untouched draft may be refreshed from the site: what was typed last is saved first. */
  byline_drafts_page_save_now (self->drafts_page);
  window = byline_posts_window_new (byline_application_get_store (BYLINE_APPLICATION (app)),
                                    byline_application_get_accounts (BYLINE_APPLICATION (app)));
  gtk_window_set_transient_for (GTK_WINDOW (window), GTK_WINDOW (self));
  g_signal_connect_object (window, "open-draft", G_CALLBACK (byline_window_open_draft_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (window));
}

static void
byline_window_update_title (BylineWindow *self)
{
  BylineDraft *draft = byline_drafts_page_get_draft (self->drafts_page);
  g_autofree char *title = NULL;
  g_autofree char *window_title = NULL;

  if (draft == NULL || !byline_window_drafts_visible (self))
    {
      gtk_window_set_title (GTK_WINDOW (self), _("Byline"));
      return;
    }
  title = byline_draft_dup_display_title (draft);
  /* Translators: the window title, "<draft title> — Byline" */
  window_title = g_strdup_printf (_("%s — Byline"), title);
  /* This runs on every keystroke; the title itself rarely changes. */
  if (g_strcmp0 (gtk_window_get_title (GTK_WINDOW (self)), window_title) != 0)
    gtk_window_set_title (GTK_WINDOW (self), window_title);
}

static void
byline_window_stack_notify_cb (BylineWindow *self)
{
  gboolean drafts = byline_window_drafts_visible (self);

  gtk_widget_set_visible (self->sidebar_button, drafts);
  gtk_widget_set_visible (self->new_draft_button, drafts);
  byline_window_update_title (self);
  /* The moderation keys act on the queue: be there as soon as it shows. */
  if (!drafts)
    byline_comments_page_focus_queue (self->comments_page);
}

void
byline_window_open_file (BylineWindow *self,
                         GFile        *file)
{
  g_return_if_fail (BYLINE_IS_WINDOW (self));
  g_return_if_fail (G_IS_FILE (file));

  byline_window_show_drafts (self);
  byline_drafts_page_open_file (self->drafts_page, file);
}

void
byline_window_add_toast (BylineWindow *self,
                         AdwToast     *toast)
{
  g_return_if_fail (BYLINE_IS_WINDOW (self));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

static gboolean
byline_window_close_request (GtkWindow *window)
{
  BylineWindow *self = BYLINE_WINDOW (window);
  int width, height;

  byline_drafts_page_save_now (self->drafts_page);

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));

  return GTK_WINDOW_CLASS (byline_window_parent_class)->close_request (window);
}

/* Not in constructed(): "application" is an ordinary property, set only after it. */
static void
byline_window_load (BylineWindow      *self,
                    BylineApplication *app)
{
  self->settings = g_object_ref (byline_application_get_settings (app));

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  g_settings_bind (self->settings, "sidebar-visible", self->sidebar_button, "active",
                   G_SETTINGS_BIND_GET);

  byline_drafts_page_load (self->drafts_page, byline_application_get_store (app),
                           byline_application_get_accounts (app), self->settings);
  if (byline_application_get_comments (app) != NULL)
    byline_comments_page_load (self->comments_page, byline_application_get_comments (app),
                               byline_application_get_moderator (app),
                               byline_application_get_comment_sync (app),
                               byline_application_get_accounts (app));

  if (byline_store_get_recovered (byline_application_get_store (app)))
    {
      AdwToast *toast = adw_toast_new (_("Byline was not closed properly last time. "
                                         "Your drafts were recovered as last saved."));

      adw_toast_set_timeout (toast, 10);
      adw_toast_overlay_add_toast (self->toast_overlay, toast);
    }
}

static void
byline_window_dispose (GObject *object)
{
  BylineWindow *self = BYLINE_WINDOW (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), BYLINE_TYPE_WINDOW);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (byline_window_parent_class)->dispose (object);
}

static void
byline_window_class_init (BylineWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = byline_window_dispose;
  window_class->close_request = byline_window_close_request;

  g_type_ensure (BYLINE_TYPE_DRAFTS_PAGE);
  g_type_ensure (BYLINE_TYPE_COMMENTS_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/byline-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BylineWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BylineWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, BylineWindow, drafts_page);
  gtk_widget_class_bind_template_child (widget_class, BylineWindow, comments_page);
  gtk_widget_class_bind_template_child (widget_class, BylineWindow, sidebar_button);
  gtk_widget_class_bind_template_child (widget_class, BylineWindow, new_draft_button);
  gtk_widget_class_bind_template_child (widget_class, BylineWindow, read_only_revealer);
  gtk_widget_class_bind_template_child (widget_class, BylineWindow, read_only_label);

  gtk_widget_class_install_action (widget_class, "win.new-draft", NULL,
                                   byline_window_new_draft_action);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, byline_window_search_action);
  gtk_widget_class_install_action (widget_class, "win.toggle-sidebar", NULL,
                                   byline_window_toggle_sidebar_action);
  gtk_widget_class_install_action (widget_class, "win.show-view", "s",
                                   byline_window_show_view_action);
  gtk_widget_class_install_action (widget_class, "win.site-posts", NULL,
                                   byline_window_site_posts_action);
}

static void
byline_window_init (BylineWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_object (self->stack, "notify::visible-child-name",
                           G_CALLBACK (byline_window_stack_notify_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->drafts_page, "notify::draft",
                           G_CALLBACK (byline_window_update_title), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->drafts_page, "draft-title-changed",
                           G_CALLBACK (byline_window_update_title), self, G_CONNECT_SWAPPED);
}

BylineWindow *
byline_window_new (BylineApplication *application)
{
  BylineWindow *self = g_object_new (BYLINE_TYPE_WINDOW, "application", application, NULL);

  byline_window_load (self, application);
  return self;
}

void
byline_window_show_read_only (BylineWindow *self,
                              const char   *message)
{
  g_return_if_fail (BYLINE_IS_WINDOW (self));

  gtk_label_set_label (self->read_only_label, message != NULL ? message : "");
  gtk_revealer_set_reveal_child (self->read_only_revealer, message != NULL);
}
