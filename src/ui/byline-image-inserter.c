/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-image-inserter.c: puts images into a draft: asks for the alt text, uploads the file to
 * the site's media library and writes the image, at its address on the site, into the text.
 *
 * The upload goes through the publisher's outbox, like every change sent to a site: the image is
 * in the text at once, at its local address (byline-upload:FILE, which the preview shows from
 * the copy kept for the upload), and when the upload is done the publisher has replaced that
 * address in the stored draft; here it is replaced in the open text too, as one user action,
 * which keeps the undo history and the cursor. A refused upload leaves the text as it is and
 * says why. */

#define G_LOG_DOMAIN "byline-image-inserter"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "byline-alt-text-dialog.h"
#include "byline-application.h"
#include "byline-image-inserter.h"
#include "byline-wp-client.h"

struct _BylineImageInserter
{
  GObject          parent_instance;

  GtkTextView     *view;       /* weak */
  BylineStore     *store;
  BylineDraft     *draft;
  BylinePublisher *publisher;
  BylineAccounts  *accounts;
  BylinePublisher *connected;  /* weak: the publisher whose signals are connected */
};

G_DEFINE_FINAL_TYPE (BylineImageInserter, byline_image_inserter, G_TYPE_OBJECT)

static void
byline_image_inserter_toast (BylineImageInserter *self,
                             const char          *message)
{
  GtkWidget *overlay = NULL;

  if (self->view != NULL)
    overlay = gtk_widget_get_ancestor (GTK_WIDGET (self->view), ADW_TYPE_TOAST_OVERLAY);
  if (overlay != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (message));
  else
    g_debug ("%s", message);
}

/* Reads @file when it is an image of at most BYLINE_IMAGE_INSERTER_MAX_SIZE. Local files only
 * in practice (chooser, drop), so it reads on the calling thread. */
static GBytes *
byline_image_inserter_load (GFile   *file,
                            char   **mime_type,
                            GError **error)
{
  g_autoptr(GFileInfo) info = NULL;
  g_autofree char *name = NULL;
  g_autofree char *content_type = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *mime = NULL;
  gboolean uncertain = FALSE;
  gsize length;

  info = g_file_query_info (file, G_FILE_ATTRIBUTE_STANDARD_SIZE "," G_FILE_ATTRIBUTE_STANDARD_TYPE
                            "," G_FILE_ATTRIBUTE_STANDARD_DISPLAY_NAME,
                            G_FILE_QUERY_INFO_NONE, NULL, error);
  if (info == NULL)
    return NULL;
  name = g_strdup (g_file_info_get_display_name (info));
  if (g_file_info_get_file_type (info) != G_FILE_TYPE_REGULAR)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("“%s” is not an image"), name);
      return NULL;
    }
  if (g_file_info_get_size (info) > BYLINE_IMAGE_INSERTER_MAX_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("“%s” is larger than %d MB: make it smaller first"), name,
                   BYLINE_IMAGE_INSERTER_MAX_SIZE / (1024 * 1024));
      return NULL;
    }
  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return NULL;
  if (length > BYLINE_IMAGE_INSERTER_MAX_SIZE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_MESSAGE_TOO_LARGE,
                   _("“%s” is larger than %d MB: make it smaller first"), name,
                   BYLINE_IMAGE_INSERTER_MAX_SIZE / (1024 * 1024));
      return NULL;
    }

  /* By the bytes first: a text file called "photo.png" is not an image. The name decides only
   * when the bytes say nothing sure. */
  content_type = g_content_type_guess (NULL, (const guchar *) contents, length, &uncertain);
  mime = g_content_type_get_mime_type (content_type);
  if (uncertain && (mime == NULL || !g_str_has_prefix (mime, "image/")))
    {
      g_free (content_type);
      g_free (mime);
      content_type = g_content_type_guess (name, (const guchar *) contents, length, NULL);
      mime = g_content_type_get_mime_type (content_type);
    }
  if (mime == NULL || !g_str_has_prefix (mime, "image/"))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA, _("“%s” is not an image"), name);
      return NULL;
    }
  *mime_type = g_steal_pointer (&mime);
  return g_bytes_new_take (g_steal_pointer (&contents), length);
}

/* The account the draft is linked to, else the first one; NULL when there is none. */
static BylineAccount *
byline_image_inserter_find_account (BylineImageInserter  *self,
                                    BylineAccounts      **accounts_out)
{
  GApplication *app = g_application_get_default ();
  BylinePublisher *publisher = self->publisher;
  BylineAccounts *accounts = self->accounts;
  g_auto(BylineRemotePost) remote = { 0 };
  g_autoptr(GPtrArray) list = NULL;
  g_autoptr(GError) error = NULL;

  if (accounts == NULL && BYLINE_IS_APPLICATION (app))
    {
      publisher = byline_application_get_publisher (BYLINE_APPLICATION (app));
      accounts = byline_application_get_accounts (BYLINE_APPLICATION (app));
    }
  if (accounts == NULL)
    return NULL;
  *accounts_out = accounts;

  if (publisher != NULL && self->draft != NULL
      && byline_publisher_get_remote (publisher, byline_draft_get_id (self->draft), &remote))
    {
      BylineAccount *account = byline_accounts_load (accounts, remote.account_id, &error);

      if (account != NULL)
        return account;
      g_debug ("The draft's account could not be read: %s", error->message);
      g_clear_error (&error);
    }

  list = byline_accounts_list (accounts, &error);
  if (list == NULL)
    {
      g_debug ("The accounts could not be read: %s", error->message);
      return NULL;
    }
  return list->len > 0 ? g_object_ref (g_ptr_array_index (list, 0)) : NULL;
}

/* Markdown's image text: brackets and backslashes escaped, on one line. */
static char *
escape_alt (const char *alt)
{
  GString *escaped = g_string_new (NULL);

  for (const char *p = alt; *p != '\0'; p++)
    {
      if (*p == '[' || *p == ']' || *p == '\\')
        g_string_append_c (escaped, '\\');
      g_string_append_c (escaped, (*p == '\n' || *p == '\r') ? ' ' : *p);
    }
  return g_string_free (escaped, FALSE);
}

/* The image is on the site: its address replaces the local one in the open text. The stored
 * draft has it already (the publisher wrote it); the buffer follows, so that the next save does
 * not put the local address back. */
static void
byline_image_inserter_upload_finished_cb (BylineImageInserter *self,
                                          gint64               draft_id,
                                          const char          *local_address,
                                          const char          *source_url,
                                          BylinePublisher     *publisher)
{
  GtkTextBuffer *buffer;
  GtkTextIter iter, match_start, match_end;
  gboolean in_action = FALSE;

  if (self->view == NULL || self->draft == NULL || byline_draft_get_id (self->draft) != draft_id)
    return;
  buffer = gtk_text_view_get_buffer (self->view);
  gtk_text_buffer_get_start_iter (buffer, &iter);
  while (gtk_text_iter_forward_search (&iter, local_address, GTK_TEXT_SEARCH_TEXT_ONLY, &match_start,
                                       &match_end, NULL))
    {
      if (!in_action)
        {
          gtk_text_buffer_begin_user_action (buffer);
          in_action = TRUE;
        }
      /* The new address goes in after the old one, then the old one goes: a cursor right
       * after the address stays after it, one right before stays before. */
      {
        int start_offset = gtk_text_iter_get_offset (&match_start);
        int address_chars = (int) g_utf8_strlen (local_address, -1);
        int end_offset;

        gtk_text_buffer_insert (buffer, &match_end, source_url, -1);
        end_offset = gtk_text_iter_get_offset (&match_end);
        gtk_text_buffer_get_iter_at_offset (buffer, &match_start, start_offset);
        gtk_text_buffer_get_iter_at_offset (buffer, &match_end, start_offset + address_chars);
        gtk_text_buffer_delete (buffer, &match_start, &match_end);
        gtk_text_buffer_get_iter_at_offset (buffer, &iter, end_offset - address_chars);
      }
    }
  if (in_action)
    gtk_text_buffer_end_user_action (buffer);
}

/* A refused upload: said once, the text kept as it is (the image stays at its local address,
 * which publishing refuses to send, so that the person removes it or inserts it again). */
static void
byline_image_inserter_entry_changed_cb (BylineImageInserter *self,
                                        gint64               entry_id,
                                        BylinePublisher     *publisher)
{
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autofree char *message = NULL;

  if (self->draft == NULL)
    return;
  entry = byline_publisher_get_entry (publisher, entry_id, NULL);
  if (entry == NULL || entry->action != BYLINE_OUTBOX_ACTION_UPLOAD
      || entry->draft_id != byline_draft_get_id (self->draft)
      || entry->state != BYLINE_OUTBOX_STATE_FAILED)
    return;
  message = g_strdup_printf (_("“%s” was not uploaded: %s Remove it from the draft or insert it "
                               "again."), entry->title, entry->last_error);
  byline_image_inserter_toast (self, message);
}

/* The publisher of the inserter's site, with its signals connected once. */
static BylinePublisher *
byline_image_inserter_get_publisher (BylineImageInserter *self)
{
  GApplication *app = g_application_get_default ();
  BylinePublisher *publisher = self->publisher;

  if (publisher == NULL && BYLINE_IS_APPLICATION (app))
    publisher = byline_application_get_publisher (BYLINE_APPLICATION (app));
  if (publisher != NULL && publisher != self->connected)
    {
      if (self->connected != NULL)
        g_signal_handlers_disconnect_by_data (self->connected, self);
      g_set_weak_pointer (&self->connected, publisher);
      g_signal_connect_object (publisher, "upload-finished",
                               G_CALLBACK (byline_image_inserter_upload_finished_cb), self,
                               G_CONNECT_SWAPPED);
      g_signal_connect_object (publisher, "entry-changed",
                               G_CALLBACK (byline_image_inserter_entry_changed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  return publisher;
}

static gboolean
byline_image_inserter_start (BylineImageInserter *self,
                             GFile               *file,
                             GBytes              *data,
                             const char          *mime_type,
                             const char          *alt,
                             const GtkTextIter   *where,
                             GError             **error)
{
  GtkTextBuffer *buffer;
  BylineAccounts *accounts = NULL;
  BylinePublisher *publisher;
  g_autoptr(BylineAccount) account = NULL;
  g_autofree char *name = NULL;
  g_autofree char *escaped = NULL;
  g_autofree char *local_address = NULL;
  g_autofree char *image = NULL;
  GtkTextIter iter;
  gint64 entry_id;

  if (self->view == NULL || self->draft == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, _("No draft is open"));
      return FALSE;
    }
  account = byline_image_inserter_find_account (self, &accounts);
  publisher = byline_image_inserter_get_publisher (self);
  if (account == NULL || publisher == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, _("Sign in to a site first"));
      byline_image_inserter_toast (self, (*error)->message);
      return FALSE;
    }

  /* Into the outbox first (the file copied beside the drafts): from here on the image survives
   * a lost network, a refusal to be retried later, or quitting. */
  name = g_file_get_basename (file);
  entry_id = byline_publisher_enqueue_upload (publisher, byline_draft_get_id (self->draft),
                                              byline_account_get_id (account), data, name,
                                              mime_type, alt, &local_address, error);
  if (entry_id == 0)
    {
      byline_image_inserter_toast (self, (*error)->message);
      return FALSE;
    }

  buffer = gtk_text_view_get_buffer (self->view);
  if (where != NULL)
    iter = *where;
  else
    gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  escaped = escape_alt (alt);
  image = g_strdup_printf ("![%s](%s)", escaped, local_address);
  gtk_text_buffer_begin_user_action (buffer);
  gtk_text_buffer_insert (buffer, &iter, image, -1);
  gtk_text_buffer_end_user_action (buffer);

  byline_publisher_process_async (publisher, NULL, NULL, NULL);
  return TRUE;
}

gboolean
byline_image_inserter_insert_file (BylineImageInserter *self,
                                   GFile               *file,
                                   const char          *alt,
                                   const GtkTextIter   *where,
                                   GError             **error)
{
  g_autoptr(GBytes) data = NULL;
  g_autofree char *mime_type = NULL;
  GError *local_error = NULL;

  g_return_val_if_fail (BYLINE_IS_IMAGE_INSERTER (self), FALSE);
  g_return_val_if_fail (G_IS_FILE (file), FALSE);
  g_return_val_if_fail (alt != NULL, FALSE);

  data = byline_image_inserter_load (file, &mime_type, &local_error);
  if (data == NULL)
    {
      byline_image_inserter_toast (self, local_error->message);
      g_propagate_error (error, local_error);
      return FALSE;
    }
  return byline_image_inserter_start (self, file, data, mime_type, alt, where, error);
}

/* The alt text dialog, one file at a time. */

typedef struct {
  BylineImageInserter *self;
  GtkTextMark         *where;   /* right gravity: each image goes after the one before */
  GList               *files;   /* still to ask for, owned */
  GFile               *file;
  GBytes              *data;
  char                *mime_type;
  GtkEditable         *entry;
} AltRequest;

static void
alt_request_free (AltRequest *request)
{
  if (request->where != NULL && gtk_text_mark_get_buffer (request->where) != NULL)
    gtk_text_buffer_delete_mark (gtk_text_mark_get_buffer (request->where), request->where);
  g_clear_object (&request->where);
  g_list_free_full (request->files, g_object_unref);
  g_clear_object (&request->file);
  g_clear_pointer (&request->data, g_bytes_unref);
  g_free (request->mime_type);
  g_clear_object (&request->self);
  g_free (request);
}

static void byline_image_inserter_ask_next (AltRequest *request);

static char *
alt_request_get_text (AltRequest *request)
{
  return byline_alt_text_dialog_dup_text (request->entry);
}

static void
alt_dialog_response_cb (AdwMessageDialog *dialog,
                        const char       *response,
                        gpointer          user_data)
{
  AltRequest *request = user_data;
  g_autofree char *alt = alt_request_get_text (request);
  GtkTextIter where;
  g_autoptr(GError) error = NULL;

  if (g_strcmp0 (response, "insert") == 0 && *alt != '\0' && request->self->view != NULL
      && gtk_text_view_get_buffer (request->self->view) == gtk_text_mark_get_buffer (request->where))
    {
      gtk_text_buffer_get_iter_at_mark (gtk_text_mark_get_buffer (request->where), &where,
                                        request->where);
      if (!byline_image_inserter_start (request->self, request->file, request->data,
                                        request->mime_type, alt, &where, &error))
        {
          g_debug ("Not inserted: %s", error->message);
          alt_request_free (request);
          return;
        }
    }
  else if (g_strcmp0 (response, "insert") != 0)
    {
      /* Cancel skips the files still waiting too. */
      alt_request_free (request);
      return;
    }
  byline_image_inserter_ask_next (request);
}

static void
byline_image_inserter_ask_next (AltRequest *request)
{
  BylineImageInserter *self = request->self;
  g_autoptr(GError) error = NULL;
  AdwMessageDialog *dialog;
  GtkRoot *root;

  g_clear_object (&request->file);
  g_clear_pointer (&request->data, g_bytes_unref);
  g_clear_pointer (&request->mime_type, g_free);
  while (request->files != NULL && request->data == NULL)
    {
      request->file = request->files->data;
      request->files = g_list_delete_link (request->files, request->files);
      request->data = byline_image_inserter_load (request->file, &request->mime_type, &error);
      if (request->data == NULL)
        {
          byline_image_inserter_toast (self, error->message);
          g_clear_error (&error);
          g_clear_object (&request->file);
        }
    }
  if (request->data == NULL || self->view == NULL)
    {
      alt_request_free (request);
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self->view));
  dialog = byline_alt_text_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       request->file, "insert", _("_Insert"), &request->entry);
  g_signal_connect (dialog, "response", G_CALLBACK (alt_dialog_response_cb), request);
  gtk_window_present (GTK_WINDOW (dialog));
  gtk_widget_grab_focus (GTK_WIDGET (request->entry));
}

void
byline_image_inserter_ask (BylineImageInserter *self,
                           GList               *files,
                           const GtkTextIter   *where)
{
  AltRequest *request;
  GtkTextBuffer *buffer;
  GtkTextIter iter;

  g_return_if_fail (BYLINE_IS_IMAGE_INSERTER (self));

  if (self->view == NULL || self->draft == NULL || files == NULL)
    return;
  buffer = gtk_text_view_get_buffer (self->view);
  if (where != NULL)
    iter = *where;
  else
    gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));

  request = g_new0 (AltRequest, 1);
  request->self = g_object_ref (self);
  request->where = g_object_ref (gtk_text_buffer_create_mark (buffer, NULL, &iter, FALSE));
  request->files = g_list_copy_deep (files, (GCopyFunc) (void (*)(void))g_object_ref, NULL);
  byline_image_inserter_ask_next (request);
}

static void
chooser_response_cb (GtkNativeDialog *chooser,
                     int              response,
                     gpointer         user_data)
{
  g_autoptr(BylineImageInserter) self = user_data;
  g_autoptr(GFile) file = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
  if (file != NULL)
    {
      GList files = { file, NULL, NULL };

      byline_image_inserter_ask (self, &files, NULL);
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

void
byline_image_inserter_choose (BylineImageInserter *self)
{
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  GtkRoot *root;

  g_return_if_fail (BYLINE_IS_IMAGE_INSERTER (self));

  if (self->view == NULL || self->draft == NULL)
    return;
  root = gtk_widget_get_root (GTK_WIDGET (self->view));
  chooser = gtk_file_chooser_native_new (_("Insert an Image"),
                                         GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                         GTK_FILE_CHOOSER_ACTION_OPEN, _("_Choose"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Images"));
  gtk_file_filter_add_mime_type (filter, "image/*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_response_cb), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* Dropped files: images go where they were dropped. */
static gboolean
drop_cb (GtkDropTarget *target,
         const GValue  *value,
         double         x,
         double         y,
         gpointer       user_data)
{
  BylineImageInserter *self = user_data;
  g_autoptr(GList) files = NULL;
  GtkTextIter where;
  int bx, by;

  if (self->view == NULL || self->draft == NULL)
    return FALSE;
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST) && g_value_get_boxed (value) != NULL)
    {
      g_autoptr(GSList) list = gdk_file_list_get_files (g_value_get_boxed (value));

      for (GSList *l = list; l != NULL; l = l->next)
        files = g_list_prepend (files, l->data);
      files = g_list_reverse (files);
    }
  else if (G_VALUE_HOLDS (value, G_TYPE_FILE) && g_value_get_object (value) != NULL)
    files = g_list_prepend (NULL, g_value_get_object (value));
  if (files == NULL)
    return FALSE;

  gtk_text_view_window_to_buffer_coords (self->view, GTK_TEXT_WINDOW_WIDGET, (int) x, (int) y,
                                         &bx, &by);
  gtk_text_view_get_iter_at_location (self->view, &where, bx, by);
  byline_image_inserter_ask (self, files, &where);
  return TRUE;
}

void
byline_image_inserter_set_draft (BylineImageInserter *self,
                                 BylineStore         *store,
                                 BylineDraft         *draft)
{
  g_return_if_fail (BYLINE_IS_IMAGE_INSERTER (self));

  g_set_object (&self->store, store);
  g_set_object (&self->draft, draft);
}

void
byline_image_inserter_set_site (BylineImageInserter *self,
                                BylinePublisher     *publisher,
                                BylineAccounts      *accounts)
{
  g_return_if_fail (BYLINE_IS_IMAGE_INSERTER (self));

  g_set_object (&self->publisher, publisher);
  g_set_object (&self->accounts, accounts);
}

static void
byline_image_inserter_dispose (GObject *object)
{
  BylineImageInserter *self = BYLINE_IMAGE_INSERTER (object);

  g_clear_weak_pointer (&self->view);
  g_clear_object (&self->store);
  g_clear_object (&self->draft);
  g_clear_object (&self->publisher);
  g_clear_object (&self->accounts);
  if (self->connected != NULL)
    g_signal_handlers_disconnect_by_data (self->connected, self);
  g_clear_weak_pointer (&self->connected);

  G_OBJECT_CLASS (byline_image_inserter_parent_class)->dispose (object);
}

static void
byline_image_inserter_class_init (BylineImageInserterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byline_image_inserter_dispose;
}

static void
byline_image_inserter_init (BylineImageInserter *self)
{
}

BylineImageInserter *
byline_image_inserter_new (GtkTextView *view)
{
  BylineImageInserter *self;
  GtkDropTarget *target;

  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);

  self = g_object_new (BYLINE_TYPE_IMAGE_INSERTER, NULL);
  g_set_weak_pointer (&self->view, view);

  target = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (target, (GType[]) { GDK_TYPE_FILE_LIST, G_TYPE_FILE }, 2);
  /* Before the text view's own target, which would take the files' addresses as text. */
  gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (target), GTK_PHASE_CAPTURE);
  g_signal_connect_object (target, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (view), GTK_EVENT_CONTROLLER (target));
  return self;
}
