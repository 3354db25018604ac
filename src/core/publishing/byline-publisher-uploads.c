/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-publisher-uploads.c: images of a draft: kept in the uploads folder, uploaded through
 * the outbox, and put at their address on the site in the posts that use them.
 *
 * Inserting an image copies it into the uploads folder and writes an entry, as any change; the
 * draft refers to it by a local address ("byline-upload:FILE") until the upload is done, when the
 * draft's stored body gets the site's address instead. A publish entry that still holds a local
 * address waits for its upload. */

#define G_LOG_DOMAIN "byline-publisher"

#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#include "byline-publisher-private.h"
#include "byline-store-drafts-table.h"
#include "byline-store-outbox-table.h"
#include "byline-store-private.h"

const char *
byline_upload_address_get_file (const char *address)
{
  const char *file;

  if (address == NULL || !g_str_has_prefix (address, BYLINE_UPLOAD_SCHEME ":"))
    return NULL;
  file = address + strlen (BYLINE_UPLOAD_SCHEME ":");
  /* Only names Byline makes: no folder, nothing hidden, nothing to escape in Markdown or HTML. */
  if (*file == '\0' || *file == '.' || strlen (file) > 80)
    return NULL;
  for (const char *p = file; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return NULL;
  return file;
}

/* The local file's extension: the name's own when it is plain, else the type's ("image/png"). */
static char *
upload_extension (const char *filename,
                  const char *mime_type)
{
  const char *dot = strrchr (filename, '.');
  const char *candidates[] = { dot ? dot + 1 : "", strchr (mime_type, '/') };

  if (candidates[1] != NULL)
    candidates[1]++;
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      const char *ext = candidates[i];
      gboolean plain = ext != NULL && *ext != '\0' && strlen (ext) <= 5;

      for (const char *p = ext; plain && *p != '\0'; p++)
        plain = g_ascii_isalnum (*p);
      if (plain)
        return g_ascii_strdown (ext, -1);
    }
  return g_strdup ("img");
}

const char *
byline_publisher_get_uploads_dir (BylinePublisher *self)
{
  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), NULL);

  return self->uploads_dir;
}

gint64
byline_publisher_enqueue_upload (BylinePublisher  *self,
                                 gint64            draft_id,
                                 gint64            account_id,
                                 GBytes           *data,
                                 const char       *filename,
                                 const char       *mime_type,
                                 const char       *alt_text,
                                 char            **local_address,
                                 GError          **error)
{
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *alt = NULL;
  g_autofree char *name = NULL;
  g_autofree char *client_key = NULL;
  g_autofree char *extension = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *payload = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 now = g_get_real_time ();
  gint64 id = 0;
  BylineSqliteConnection *conn;
  GError *insert_error = NULL;

  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), 0);
  g_return_val_if_fail (data != NULL, 0);
  g_return_val_if_fail (filename != NULL, 0);
  g_return_val_if_fail (mime_type != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  alt = g_strstrip (g_strdup (alt_text ? alt_text : ""));
  if (*alt == '\0')
    {
      g_set_error_literal (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                           _("Describe the image in its alt text: the newsroom requires it."));
      return 0;
    }
  if (draft_id <= 0)
    {
      g_set_error_literal (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                           _("The draft has not been saved yet."));
      return 0;
    }
  if (!(account = byline_accounts_load (self->accounts, account_id, error)))
    return 0;

  name = g_path_get_basename (filename);
  client_key = g_uuid_string_random ();
  extension = upload_extension (name, mime_type);
  file = g_strconcat (client_key, ".", extension, NULL);
  path = g_build_filename (self->uploads_dir, file, NULL);

  /* Durable before the entry exists: an entry never names a file that a crash lost. */
  if (g_mkdir_with_parents (self->uploads_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Byline could not keep a copy of “%s” to upload it (%s). Check that there "
                     "is room on the disk, then insert it again."), name, g_strerror (saved_errno));
      return 0;
    }
  if (!g_file_set_contents_full (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Byline could not keep a copy of “%s” to upload it (%s). Check that there "
                     "is room on the disk, then insert it again."), name,
                   local_error->message);
      return 0;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, file);
  json_builder_set_member_name (builder, "mime_type");
  json_builder_add_string_value (builder, mime_type);
  json_builder_set_member_name (builder, "alt_text");
  json_builder_add_string_value (builder, alt);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  payload = json_to_string (root, FALSE);

  if (!(conn = _byline_store_lock (self->store, error)))
    {
      g_unlink (path);
      return 0;
    }
  id = byline_store_outbox_table_insert_upload (conn, account_id, draft_id, payload, client_key,
                                                now, &insert_error);
  _byline_store_unlock (self->store);

  if (id == 0)
    {
      _byline_publisher_set_insert_error (error, insert_error, draft_id);
      g_unlink (path);
      return 0;
    }
  if (local_address != NULL)
    *local_address = g_strconcat (BYLINE_UPLOAD_SCHEME ":", file, NULL);
  _byline_publisher_emit_entry_changed (self, id);
  return id;
}

/* The upload entry of @file: for @account_id (0: any), the done one first, else the newest. */
static BylineOutboxEntry *
find_upload (BylinePublisher  *self,
             gint64            account_id,
             const char       *file,
             GError          **error)
{
  BylineSqliteConnection *conn;
  BylineOutboxEntry *entry;

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  entry = byline_store_outbox_table_find_upload (conn, account_id, file, error);
  _byline_store_unlock (self->store);
  return entry;
}

BylineOutboxEntry *
byline_publisher_find_upload (BylinePublisher  *self,
                              const char       *local_address,
                              GError          **error)
{
  const char *file;

  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(file = byline_upload_address_get_file (local_address)))
    return NULL;
  return find_upload (self, 0, file, error);
}

/* Upload: like a post, a file sent twice would be in the media library twice, so each attempt
 * first looks for the file under the entry's slug ("byline-" and the client key), which the
 * upload itself asks for. */

static char *
upload_slug (BylinePublisherEntry *entry)
{
  return g_strconcat (BYLINE_PUBLISHER_SLUG_PREFIX, entry->client_key, NULL);
}

/* Records the upload as done, and puts the file's address on the site in place of its local one
 * in the draft's stored body, in the same transaction; then tells the open editor. */
static void
upload_done (GTask         *task,
             BylineWpMedia *media)
{
  BylinePublisher *self = g_task_get_source_object (task);
  BylinePublisherRun *run = g_task_get_task_data (task);
  BylinePublisherEntry *entry = run->entry;
  g_autoptr(GError) store_error = NULL;
  g_autofree char *local_address = NULL;
  BylineSqliteConnection *conn;

  local_address = g_strconcat (BYLINE_UPLOAD_SCHEME ":",
                               json_object_get_string_member_with_default (entry->payload, "file",
                                                                           ""), NULL);
  entry->remote_id = media->id;

  if (!(conn = _byline_store_lock (self->store, &store_error)))
    {
      _byline_publisher_run_fail (task, g_steal_pointer (&store_error));
      return;
    }
  if (!byline_sqlite_connection_begin (conn, &store_error)
      || !byline_store_outbox_table_set_done (conn, entry->id, media->id, media->source_url,
                                              g_get_real_time (), &store_error)
      || (entry->draft_id > 0
          && !byline_store_drafts_table_replace_in_body (conn, entry->draft_id, local_address,
                                                         media->source_url, &store_error))
      || !byline_sqlite_connection_commit (conn, &store_error))
    {
      byline_sqlite_connection_rollback (conn);
      _byline_store_unlock (self->store);
      _byline_publisher_run_fail (task, g_steal_pointer (&store_error));
      return;
    }
  _byline_store_unlock (self->store);

  g_debug ("Entry %" G_GINT64_FORMAT ": uploaded as media %" G_GINT64_FORMAT, entry->id,
           media->id);
  _byline_publisher_emit_entry_changed (self, entry->id);
  _byline_publisher_emit_upload_finished (self, entry->draft_id, local_address,
                                          media->source_url);
  _byline_publisher_run_next (task);
}

static void
upload_media_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineWpMedia) media = NULL;

  media = byline_wp_client_upload_media_finish (BYLINE_WP_CLIENT (object), result, &error);
  if (media == NULL)
    {
      _byline_publisher_entry_failed (g_steal_pointer (&task), error, 0);
      return;
    }
  /* The file is there but its alt text is not (the second request failed): the newsroom requires
   * it, so the upload is tried again, and the retry finds the file by its slug and sets it. */
  {
    BylinePublisherRun *run = g_task_get_task_data (task);
    const char *alt_text = json_object_get_string_member_with_default (run->entry->payload,
                                                                       "alt_text", "");

    if (*alt_text != '\0' && g_strcmp0 (media->alt_text, alt_text) != 0)
      {
        g_autoptr(GError) no_alt = g_error_new_literal (BYLINE_WP_ERROR, BYLINE_WP_ERROR_SERVER,
                                                        _("The image was uploaded but the site "
                                                          "did not keep its alt text; it will be "
                                                          "set again."));
        _byline_publisher_entry_failed (g_steal_pointer (&task), no_alt, 0);
        return;
      }
  }
  upload_done (g_steal_pointer (&task), media);
}

static void
upload_send (GTask *task)
{
  BylinePublisher *self = g_task_get_source_object (task);
  BylinePublisherRun *run = g_task_get_task_data (task);
  BylinePublisherEntry *entry = run->entry;
  const char *file = json_object_get_string_member_with_default (entry->payload, "file", "");
  const char *name = json_object_get_string_member_with_default (entry->payload, "title", file);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *slug = upload_slug (entry);
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_strconcat (BYLINE_UPLOAD_SCHEME ":", file, NULL);
  gsize length;

  /* A plain name, by the same rule as the addresses: never a path out of the folder. */
  path = g_build_filename (self->uploads_dir, file, NULL);
  if (byline_upload_address_get_file (address) == NULL
      || !g_file_get_contents (path, &contents, &length, &error))
    {
      g_autoptr(GError) gone = NULL;

      /* Not worth retrying: the copy will not come back by itself. */
      gone = g_error_new (BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                          _("The copy of “%s” that Byline kept for the upload is gone (%s). "
                            "Insert the image again."), name,
                          error ? error->message : _("no file"));
      _byline_publisher_entry_failed (task, gone, 0);
      return;
    }
  data = g_bytes_new_take (g_steal_pointer (&contents), length);
  /* After a crash the look-up by slug waits until this upload can no longer be running. */
  if (!_byline_publisher_hold_for_create (task, &error))
    {
      _byline_publisher_run_fail (task, g_steal_pointer (&error));
      return;
    }
  byline_wp_client_upload_media_async (
    entry->client, data, name,
    json_object_get_string_member_with_default (entry->payload, "mime_type",
                                                "application/octet-stream"),
    slug, json_object_get_string_member_with_default (entry->payload, "alt_text", ""),
    g_task_get_cancellable (task), upload_media_cb, task);
}

static void
upload_alt_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(BylinePublisherCall) call = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BylineWpMedia) media = NULL;
  g_autoptr(GError) error = NULL;

  if (!(node = _byline_publisher_call_finish (call, result)))
    return;
  if (!(media = byline_wp_media_new_from_json (node, &error)))
    {
      _byline_publisher_entry_failed (g_steal_pointer (&call->task), error, 0);
      return;
    }
  upload_done (g_steal_pointer (&call->task), media);
}

static void
upload_find_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(BylinePublisherCall) call = user_data;
  BylinePublisherRun *run = g_task_get_task_data (call->task);
  BylinePublisherEntry *entry = run->entry;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *slug = upload_slug (entry);
  const char *alt_text = json_object_get_string_member_with_default (entry->payload, "alt_text",
                                                                     "");
  JsonArray *array;

  if (!(node = _byline_publisher_call_finish (call, result)))
    return;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autoptr(GError) error = NULL;

      error = g_error_new_literal (BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                                   _("The site’s answer is not what Byline expected from "
                                     "WordPress: it is not a list of files."));
      _byline_publisher_entry_failed (g_steal_pointer (&call->task), error, 0);
      return;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(BylineWpMedia) media = NULL;
      g_autoptr(JsonObject) fields = NULL;

      media = byline_wp_media_new_from_json (json_array_get_element (array, i), NULL);
      /* Checked here too: a site that ignored the filter must not hand us someone's file. */
      if (media == NULL || g_strcmp0 (media->slug, slug) != 0)
        continue;
      g_debug ("Entry %" G_GINT64_FORMAT ": media %" G_GINT64_FORMAT " was uploaded by an "
               "earlier attempt", entry->id, media->id);
      if (g_strcmp0 (media->alt_text, alt_text) == 0)
        {
          upload_done (g_steal_pointer (&call->task), media);
          return;
        }
      /* The attempt that uploaded it ended before it could set the alt text. */
      fields = json_object_new ();
      json_object_set_string_member (fields, "alt_text", alt_text);
      _byline_publisher_call_async (g_steal_pointer (&call->task), "POST", "media", media->id,
                                    NULL, fields, upload_alt_cb);
      return;
    }

  upload_send (g_steal_pointer (&call->task));
}

void
_byline_publisher_send_upload (GTask *task)
{
  BylinePublisherRun *run = g_task_get_task_data (task);
  g_autoptr(GHashTable) query = _byline_publisher_new_query ();

  /* Always, not only after a timeout: the site may have kept the file and failed afterwards. */
  g_hash_table_insert (query, "slug", upload_slug (run->entry));
  g_hash_table_insert (query, "context", g_strdup ("edit"));
  g_hash_table_insert (query, "per_page", g_strdup ("100"));
  _byline_publisher_call_async (task, "GET", "media", 0, query, NULL, upload_find_cb);
}

/* Publish: the draft's images at their address on the site */

/* Whether @file's upload to the entry's account is done: its media in @media_id and @url. Else
 * FALSE with WAITING (still going) or INVALID (failed or never made), for a person. */
static gboolean
resolve_upload (BylinePublisher       *self,
                BylinePublisherEntry  *entry,
                const char            *file,
                gint64                *media_id,
                char                 **url,
                GError               **error)
{
  g_autoptr(BylineOutboxEntry) upload = find_upload (self, entry->account_id, file, error);

  if (upload == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                     _("The draft has an image (%s) that was never uploaded to this site. Insert "
                       "it again, or remove it, then publish again."), file);
      return FALSE;
    }
  switch (upload->state)
    {
    case BYLINE_OUTBOX_STATE_DONE:
      *media_id = upload->remote_id;
      *url = g_strdup (upload->link);
      return TRUE;
    case BYLINE_OUTBOX_STATE_PENDING:
      g_set_error (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_WAITING,
                   _("Waiting for the image “%s” to be uploaded first."), upload->title);
      return FALSE;
    case BYLINE_OUTBOX_STATE_FAILED:
    case BYLINE_OUTBOX_STATE_CONFLICT:
    default:
      g_set_error (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                   _("The image “%s” could not be uploaded: %s Insert it again, or remove it, "
                     "then publish again."), upload->title, upload->last_error);
      return FALSE;
    }
}

/* Replaces, in the payload about to be sent (not in the stored entry), every local address of an
 * image with the file's on the site, and the featured image still being uploaded with its media
 * id: the site never receives an address that only means something on this computer. */
gboolean
_byline_publisher_resolve_uploads (BylinePublisher       *self,
                                   BylinePublisherEntry  *entry,
                                   GError               **error)
{
  const char *content = json_object_get_string_member_with_default (entry->payload, "content",
                                                                    "");
  const char *featured = json_object_get_string_member_with_default (entry->payload,
                                                                     "featured_upload", "");
  g_autoptr(GString) resolved = g_string_new (NULL);
  const char *p = content;
  const char *found;

  /* Both the address ("byline-upload:FILE") and, in an image block, the media id
   * ("byline-upload-id:FILE"). */
  while ((found = strstr (p, BYLINE_UPLOAD_SCHEME)) != NULL)
    {
      gboolean wants_id = g_str_has_prefix (found, BYLINE_PUBLISHER_UPLOAD_ID_PREFIX);
      const char *prefix = wants_id ? BYLINE_PUBLISHER_UPLOAD_ID_PREFIX
                                    : BYLINE_UPLOAD_SCHEME ":";
      const char *file = found + strlen (prefix);
      const char *end = file;
      g_autofree char *name = NULL;
      g_autofree char *url = NULL;
      gint64 media_id;

      g_string_append_len (resolved, p, found - p);
      if (!g_str_has_prefix (found, prefix))
        {
          g_string_append (resolved, BYLINE_UPLOAD_SCHEME);
          p = found + strlen (BYLINE_UPLOAD_SCHEME);
          continue;
        }
      while (g_ascii_isalnum (*end) || *end == '-' || *end == '.')
        end++;
      if (end == file)
        {
          /* The words alone, not an address: left as they are. */
          g_string_append (resolved, prefix);
          p = file;
          continue;
        }
      name = g_strndup (file, end - file);
      if (!resolve_upload (self, entry, name, &media_id, &url, error))
        return FALSE;
      if (wants_id)
        g_string_append_printf (resolved, "%" G_GINT64_FORMAT, media_id);
      else
        g_string_append (resolved, url);
      p = end;
    }
  g_string_append (resolved, p);
  json_object_set_string_member (entry->payload, "content", resolved->str);

  if (*featured != '\0')
    {
      g_autofree char *url = NULL;
      gint64 media_id = 0;

      if (!resolve_upload (self, entry, featured, &media_id, &url, error))
        return FALSE;
      json_object_set_int_member (entry->payload, "featured_media", media_id);
    }
  json_object_remove_member (entry->payload, "featured_upload");
  return TRUE;
}
