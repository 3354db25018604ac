/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-posts-window.c: the posts of a site, to open one as a local draft linked to it.
 *
 * The list is one request per page of 20 (X-WP-TotalPages says whether there are more), made again
 * from page 1 when the site, the status filter or the search (on Enter) changes; a listing that
 * is overtaken is cancelled, and its answer never lands in the new list. Opening a post reads it
 * again, whole and in edit context, and hands it to byline_remote_import_open. */

#define G_LOG_DOMAIN "byline-posts"

#include "config.h"

#include <glib/gi18n.h>

#include "byline-posts-window.h"
#include "byline-wp-client.h"

#define PAGE_SIZE 20

/* By the status filter's position; NULL-terminated. */
static const char * const statuses_all[] = { "publish", "future", "draft", "pending", "private",
                                             NULL };
static const char * const statuses_publish[] = { "publish", NULL };
static const char * const statuses_future[] = { "future", NULL };
static const char * const statuses_draft[] = { "draft", NULL };
static const char * const statuses_pending[] = { "pending", NULL };
static const char * const statuses_private[] = { "private", NULL };
static const char * const * const status_filters[] = {
  statuses_all, statuses_publish, statuses_future, statuses_draft, statuses_pending,
  statuses_private,
};

struct _BylinePostsWindow
{
  AdwWindow          parent_instance;

  BylineStore       *store;
  BylineAccounts    *accounts;
  GPtrArray         *account_list;
  GCancellable      *cancellable;       /* everything, until the window goes */
  GCancellable      *list_cancellable;  /* the listing under way */

  /* What the list shows: set when it is made again from page 1, kept for the next pages. */
  gint64             account_id;
  char              *query;
  guint              filter;
  guint              page;              /* pages listed so far */
  gint64             total_pages;

  guint              loading : 1;
  guint              opening : 1;

  GtkDropDown       *account_dropdown;
  GtkDropDown       *status_dropdown;
  GtkSearchEntry    *search_entry;
  GtkLabel          *message_label;
  GtkScrolledWindow *scrolled;
  GtkListBox        *posts_list;
  GtkButton         *more_button;
  GtkSpinner        *spinner;
  GtkLabel          *placeholder;
};

enum {
  OPEN_DRAFT,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BylinePostsWindow, byline_posts_window, ADW_TYPE_WINDOW)

static BylineAccount *
byline_posts_window_get_account (BylinePostsWindow *self)
{
  guint selected = gtk_drop_down_get_selected (self->account_dropdown);

  if (self->account_list == NULL || selected >= self->account_list->len)
    return NULL;
  return g_ptr_array_index (self->account_list, selected);
}

/* Shows @message (NULL: none); an error in the error colour. */
static void
byline_posts_window_set_message (BylinePostsWindow *self,
                                 const char        *message,
                                 gboolean           is_error)
{
  gtk_label_set_label (self->message_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->message_label), message != NULL);
  if (is_error)
    gtk_widget_add_css_class (GTK_WIDGET (self->message_label), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->message_label), "error");
}

static void
byline_posts_window_update_busy (BylinePostsWindow *self)
{
  gboolean busy = self->loading || self->opening;
  gboolean more = !self->loading && self->page > 0 && self->page < self->total_pages;

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->more_button), more);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "posts.load-more", more);
  gtk_label_set_label (self->placeholder, self->loading ? _("Loading the site’s posts…")
                                          : self->page > 0 ? _("No posts")
                                          : "");
}

static gint64 *
int64_key (gint64 value)
{
  return g_memdup2 (&value, sizeof value);
}

/* The list */

static const char *
status_label (const char *status)
{
  if (g_strcmp0 (status, "publish") == 0)
    return _("Published");
  if (g_strcmp0 (status, "future") == 0)
    return _("Scheduled");
  if (g_strcmp0 (status, "draft") == 0)
    return _("Draft");
  if (g_strcmp0 (status, "pending") == 0)
    return _("Pending review");
  if (g_strcmp0 (status, "private") == 0)
    return _("Private");
  if (g_strcmp0 (status, "trash") == 0)
    return _("In the trash");
  return status;
}

/* The post's date on the site's clock, as WordPress gives it (no zone). */
static char *
format_date (const char *date)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) when = g_date_time_new_from_iso8601 (date, utc);

  if (when == NULL)
    return g_strdup (date);
  /* Translators: a post's date and time in a list, in strftime format */
  return g_date_time_format (when, _("%-d %b %Y, %H:%M"));
}

static GtkWidget *
byline_posts_window_make_row (BylineWpPost *post)
{
  GtkWidget *row = adw_action_row_new ();
  const char *title = byline_wp_post_get_title (post);
  g_autofree char *date = format_date (byline_wp_post_get_date (post));
  g_autofree char *subtitle = NULL;

  if (*title == '\0')
    title = _("(no title)");
  /* Translators: a post's status, then its date: "Published · 23 Apr 2013, 14:25" */
  subtitle = g_strdup_printf (_("%s · %s"), status_label (byline_wp_post_get_status (post)), date);

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (row), 1);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, title,
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, subtitle,
                                  -1);
  g_object_set_data_full (G_OBJECT (row), "post-id", int64_key (byline_wp_post_get_id (post)),
                          g_free);
  return row;
}

typedef struct {
  BylinePostsWindow *self;
  GCancellable      *cancellable;
  guint              page;
} ListCall;

static void
list_call_free (ListCall *call)
{
  g_object_unref (call->self);
  g_object_unref (call->cancellable);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ListCall, list_call_free)

/* Whether the answer is for a listing that was overtaken (or a window that went). */
static gboolean
list_call_is_stale (ListCall     *call,
                    const GError *error)
{
  return g_cancellable_is_cancelled (call->cancellable)
         || g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
byline_posts_window_list_failed (BylinePostsWindow *self,
                                 const GError      *error)
{
  g_autofree char *message = g_strdup_printf (_("Could not list the site’s posts: %s"),
                                              error->message);

  self->loading = FALSE;
  byline_posts_window_set_message (self, message, TRUE);
  byline_posts_window_update_busy (self);
}

static void
byline_posts_window_list_cb (GObject      *object,
                             GAsyncResult *result,
                             gpointer      user_data)
{
  g_autoptr(ListCall) call = user_data;
  BylinePostsWindow *self = call->self;
  g_auto(BylineWpResponseInfo) info = { 0 };
  g_autoptr(GPtrArray) posts = NULL;
  g_autoptr(GError) error = NULL;

  posts = byline_wp_client_list_posts_finish (BYLINE_WP_CLIENT (object), result, &info, &error);
  if (list_call_is_stale (call, error))
    return;
  if (posts == NULL)
    {
      byline_posts_window_list_failed (self, error);
      return;
    }

  for (guint i = 0; i < posts->len; i++)
    gtk_list_box_append (self->posts_list,
                         byline_posts_window_make_row (g_ptr_array_index (posts, i)));
  self->loading = FALSE;
  self->page = call->page;
  /* Without the header (a proxy that drops it), a full page may have a next one. */
  self->total_pages = info.total_pages >= 0 ? info.total_pages
                                            : posts->len == PAGE_SIZE ? call->page + 1 : call->page;
  byline_posts_window_set_message (self, NULL, FALSE);
  byline_posts_window_update_busy (self);
}

static void
byline_posts_window_list_client_cb (GObject      *object,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(ListCall) call = user_data;
  BylinePostsWindow *self = call->self;
  g_autoptr(BylineWpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  GCancellable *cancellable;
  guint page;

  client = byline_accounts_connect_finish (BYLINE_ACCOUNTS (object), result, &error);
  if (list_call_is_stale (call, error))
    return;
  if (client == NULL)
    {
      byline_posts_window_list_failed (self, error);
      return;
    }
  /* Read before the call is handed on: the arguments are evaluated in no set order. */
  page = call->page;
  cancellable = call->cancellable;
  byline_wp_client_list_posts_async (client, status_filters[self->filter], self->query, page,
                                     PAGE_SIZE, NULL, cancellable, byline_posts_window_list_cb,
                                     g_steal_pointer (&call));
}

static void
byline_posts_window_load_page (BylinePostsWindow *self,
                               guint              page)
{
  BylineAccount *account = byline_posts_window_get_account (self);
  ListCall *call;

  if (account == NULL)
    return;
  call = g_new0 (ListCall, 1);
  call->self = g_object_ref (self);
  call->cancellable = g_object_ref (self->list_cancellable);
  call->page = page;
  self->loading = TRUE;
  byline_posts_window_update_busy (self);
  byline_accounts_connect_async (self->accounts, byline_account_get_id (account),
                                 call->cancellable, byline_posts_window_list_client_cb, call);
}

/* Lists again from page 1, with the site, status and search as they are now. */
static void
byline_posts_window_reload (BylinePostsWindow *self)
{
  BylineAccount *account = byline_posts_window_get_account (self);
  GtkListBoxRow *row;

  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();

  while ((row = gtk_list_box_get_row_at_index (self->posts_list, 0)) != NULL)
    gtk_list_box_remove (self->posts_list, GTK_WIDGET (row));
  self->page = 0;
  self->total_pages = 0;
  self->loading = FALSE;
  self->account_id = account ? byline_account_get_id (account) : 0;
  g_free (self->query);
  self->query = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->search_entry))));
  self->filter = MIN (gtk_drop_down_get_selected (self->status_dropdown),
                      G_N_ELEMENTS (status_filters) - 1);
  byline_posts_window_set_message (self, NULL, FALSE);

  if (account == NULL)
    {
      byline_posts_window_set_message (self, _("Sign in to a site first: main menu → Accounts."),
                                       FALSE);
      byline_posts_window_update_busy (self);
      return;
    }
  byline_posts_window_load_page (self, 1);
}

static void
byline_posts_window_load_more (BylinePostsWindow *self)
{
  if (!self->loading && self->page > 0 && self->page < self->total_pages)
    byline_posts_window_load_page (self, self->page + 1);
}

static void
byline_posts_window_load_more_action (GtkWidget  *widget,
                                      const char *action_name,
                                      GVariant   *parameter)
{
  byline_posts_window_load_more (BYLINE_POSTS_WINDOW (widget));
}

static void
byline_posts_window_edge_reached_cb (BylinePostsWindow *self,
                                     GtkPositionType    position)
{
  if (position == GTK_POS_BOTTOM)
    byline_posts_window_load_more (self);
}

/* Opening a post */

typedef struct {
  BylinePostsWindow *self;
  gint64             account_id;
  gint64             post_id;
} OpenCall;

static void
open_call_free (OpenCall *call)
{
  g_object_unref (call->self);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (OpenCall, open_call_free)

static void
byline_posts_window_open_failed (BylinePostsWindow *self,
                                 const GError      *error)
{
  g_autofree char *message = NULL;

  /* Cancelled only when the window went. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  self->opening = FALSE;
  byline_posts_window_update_busy (self);
  message = g_strdup_printf (_("Could not open the post: %s"), error->message);
  byline_posts_window_set_message (self, message, TRUE);
}

static void
byline_posts_window_open_post_cb (GObject      *object,
                                  GAsyncResult *result,
                                  gpointer      user_data)
{
  g_autoptr(OpenCall) call = user_data;
  BylinePostsWindow *self = call->self;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(GError) error = NULL;
  BylineRemoteImportOutcome outcome;

  post = byline_remote_import_get_post_finish (BYLINE_WP_CLIENT (object), result, &error);
  if (post == NULL)
    {
      byline_posts_window_open_failed (self, error);
      return;
    }
  draft = byline_remote_import_open (self->store, call->account_id, post, &outcome, &error);
  if (draft == NULL)
    {
      byline_posts_window_open_failed (self, error);
      return;
    }

  self->opening = FALSE;
  byline_posts_window_update_busy (self);
  g_signal_emit (self, signals[OPEN_DRAFT], 0, draft, (int) outcome);
  gtk_window_close (GTK_WINDOW (self));
}

static void
byline_posts_window_open_client_cb (GObject      *object,
                                    GAsyncResult *result,
                                    gpointer      user_data)
{
  g_autoptr(OpenCall) call = user_data;
  BylinePostsWindow *self = call->self;
  g_autoptr(BylineWpClient) client = NULL;
  g_autoptr(GError) error = NULL;
  gint64 post_id;

  client = byline_accounts_connect_finish (BYLINE_ACCOUNTS (object), result, &error);
  if (client == NULL)
    {
      byline_posts_window_open_failed (self, error);
      return;
    }
  post_id = call->post_id;
  byline_remote_import_get_post_async (client, post_id, self->cancellable,
                                       byline_posts_window_open_post_cb, g_steal_pointer (&call));
}

static void
byline_posts_window_row_activated_cb (BylinePostsWindow *self,
                                      GtkListBoxRow     *row)
{
  gint64 *post_id = g_object_get_data (G_OBJECT (row), "post-id");
  OpenCall *call;

  if (post_id == NULL || self->opening || self->account_id == 0)
    return;

  call = g_new0 (OpenCall, 1);
  call->self = g_object_ref (self);
  /* The account the list was made for, whatever the drop-down says meanwhile. */
  call->account_id = self->account_id;
  call->post_id = *post_id;
  self->opening = TRUE;
  byline_posts_window_set_message (self, NULL, FALSE);
  byline_posts_window_update_busy (self);
  byline_accounts_connect_async (self->accounts, call->account_id, self->cancellable,
                                 byline_posts_window_open_client_cb, call);
}

/* Keys */

/* Down in the search goes to the list. */
static gboolean
byline_posts_window_search_down_cb (GtkWidget *widget,
                                    GVariant  *args,
                                    gpointer   user_data)
{
  BylinePostsWindow *self = user_data;
  GtkListBoxRow *row = gtk_list_box_get_selected_row (self->posts_list);

  if (row == NULL)
    row = gtk_list_box_get_row_at_index (self->posts_list, 0);
  if (row == NULL)
    return FALSE;
  gtk_list_box_select_row (self->posts_list, row);
  gtk_widget_grab_focus (GTK_WIDGET (row));
  return TRUE;
}

/* Escape clears a search, and closes the window when there is none. */
static void
byline_posts_window_stop_search_cb (BylinePostsWindow *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->search_entry)) == '\0')
    {
      gtk_window_close (GTK_WINDOW (self));
      return;
    }
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  if (self->query != NULL && *self->query != '\0')
    byline_posts_window_reload (self);
}

static void
byline_posts_window_dispose (GObject *object)
{
  BylinePostsWindow *self = BYLINE_POSTS_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->list_cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), BYLINE_TYPE_POSTS_WINDOW);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->list_cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->accounts);
  g_clear_pointer (&self->account_list, g_ptr_array_unref);
  g_clear_pointer (&self->query, g_free);

  G_OBJECT_CLASS (byline_posts_window_parent_class)->dispose (object);
}

static void
byline_posts_window_class_init (BylinePostsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_posts_window_dispose;

  /**
   * BylinePostsWindow::open-draft:
   * @draft: the draft linked to the post
   * @outcome: a BylineRemoteImportOutcome
   *
   * A post was opened; the window closes next.
   */
  signals[OPEN_DRAFT] = g_signal_new ("open-draft", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                      0, NULL, NULL, NULL, G_TYPE_NONE, 2, BYLINE_TYPE_DRAFT,
                                      G_TYPE_INT);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               RESOURCE_PREFIX "/ui/byline-posts-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BylinePostsWindow, account_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BylinePostsWindow, status_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BylinePostsWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BylinePostsWindow, message_label);
  gtk_widget_class_bind_template_child (widget_class, BylinePostsWindow, scrolled);
  gtk_widget_class_bind_template_child (widget_class, BylinePostsWindow, posts_list);
  gtk_widget_class_bind_template_child (widget_class, BylinePostsWindow, more_button);
  gtk_widget_class_bind_template_child (widget_class, BylinePostsWindow, spinner);

  gtk_widget_class_install_action (widget_class, "posts.load-more", NULL,
                                   byline_posts_window_load_more_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static void
byline_posts_window_init (BylinePostsWindow *self)
{
  GtkShortcutController *shortcuts;
  GtkShortcutAction *search_down;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->list_cancellable = g_cancellable_new ();

  self->placeholder = GTK_LABEL (gtk_label_new (NULL));
  gtk_widget_set_margin_top (GTK_WIDGET (self->placeholder), 18);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->placeholder), 18);
  gtk_widget_add_css_class (GTK_WIDGET (self->placeholder), "dim-label");
  gtk_list_box_set_placeholder (self->posts_list, GTK_WIDGET (self->placeholder));

  shortcuts = GTK_SHORTCUT_CONTROLLER (gtk_shortcut_controller_new ());
  /* Before the entry's text, which takes Down for itself. */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (shortcuts), GTK_PHASE_CAPTURE);
  search_down = gtk_callback_action_new (byline_posts_window_search_down_cb, self, NULL);
  gtk_shortcut_controller_add_shortcut (shortcuts,
                                        gtk_shortcut_new (gtk_keyval_trigger_new (GDK_KEY_Down, 0),
                                                          search_down));
  gtk_widget_add_controller (GTK_WIDGET (self->search_entry), GTK_EVENT_CONTROLLER (shortcuts));

  g_signal_connect_object (self->search_entry, "activate",
                           G_CALLBACK (byline_posts_window_reload), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->search_entry, "stop-search",
                           G_CALLBACK (byline_posts_window_stop_search_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->posts_list, "row-activated",
                           G_CALLBACK (byline_posts_window_row_activated_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->scrolled, "edge-reached",
                           G_CALLBACK (byline_posts_window_edge_reached_cb), self,
                           G_CONNECT_SWAPPED);
  byline_posts_window_update_busy (self);
}

BylinePostsWindow *
byline_posts_window_new (BylineStore    *store,
                         BylineAccounts *accounts)
{
  BylinePostsWindow *self;
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);
  g_return_val_if_fail (BYLINE_IS_ACCOUNTS (accounts), NULL);

  self = g_object_new (BYLINE_TYPE_POSTS_WINDOW, NULL);
  self->store = g_object_ref (store);
  self->accounts = g_object_ref (accounts);

  self->account_list = byline_accounts_list (accounts, &error);
  if (self->account_list == NULL)
    {
      g_warning ("Could not list the accounts: %s", error->message);
      self->account_list = g_ptr_array_new_with_free_func (g_object_unref);
    }
  for (guint i = 0; i < self->account_list->len; i++)
    {
      g_autofree char *label = byline_account_dup_label (g_ptr_array_index (self->account_list, i));

      gtk_string_list_append (names, label);
    }
  gtk_drop_down_set_model (self->account_dropdown, G_LIST_MODEL (names));
  if (self->account_list->len == 0)
    {
      /* Nothing to list until there is a site: only the message says what to do. */
      gtk_widget_set_sensitive (GTK_WIDGET (self->account_dropdown), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->status_dropdown), FALSE);
      gtk_widget_set_sensitive (GTK_WIDGET (self->search_entry), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->scrolled), FALSE);
    }

  /* Connected only now: setting the model selected the first account. */
  g_signal_connect_object (self->account_dropdown, "notify::selected",
                           G_CALLBACK (byline_posts_window_reload), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->status_dropdown, "notify::selected",
                           G_CALLBACK (byline_posts_window_reload), self, G_CONNECT_SWAPPED);
  byline_posts_window_reload (self);
  /* Setting the model moved the focus into the drop-down's list: the search is where it starts. */
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
  return self;
}

void
byline_posts_window_set_account (BylinePostsWindow *self,
                                 gint64             account_id)
{
  g_return_if_fail (BYLINE_IS_POSTS_WINDOW (self));

  for (guint i = 0; i < self->account_list->len; i++)
    if (byline_account_get_id (g_ptr_array_index (self->account_list, i)) == account_id)
      gtk_drop_down_set_selected (self->account_dropdown, i);
}
