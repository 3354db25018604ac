/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-client-media.c: files uploaded to a site's media library, with their alternative
 * text. */

#define G_LOG_DOMAIN "byline-wp-client"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-wp-client-private.h"

BylineWpMedia *
byline_wp_media_copy (const BylineWpMedia *media)
{
  BylineWpMedia *copy = g_memdup2 (media, sizeof *media);

  copy->source_url = g_strdup (media->source_url);
  copy->mime_type = g_strdup (media->mime_type);
  copy->alt_text = g_strdup (media->alt_text);
  copy->slug = g_strdup (media->slug);
  return copy;
}

void
byline_wp_media_free (BylineWpMedia *media)
{
  if (media == NULL)
    return;
  g_free (media->source_url);
  g_free (media->mime_type);
  g_free (media->alt_text);
  g_free (media->slug);
  g_free (media);
}

G_DEFINE_BOXED_TYPE (BylineWpMedia, byline_wp_media, byline_wp_media_copy, byline_wp_media_free)

BylineWpMedia *
byline_wp_media_new_from_json (JsonNode  *node,
                               GError   **error)
{
  const char *what = _("file");
  g_autoptr(BylineWpMedia) media = g_new0 (BylineWpMedia, 1);
  JsonObject *object = _byline_wp_json_expect_object (node, what, error);

  if (object == NULL
      || !_byline_wp_json_get_int (object, what, "id", TRUE, &media->id, error)
      || !_byline_wp_json_get_string (object, what, "source_url", TRUE, FALSE, &media->source_url,
                                      error)
      || !_byline_wp_json_get_string (object, what, "mime_type", FALSE, FALSE, &media->mime_type,
                                      error)
      || !_byline_wp_json_get_string (object, what, "alt_text", FALSE, TRUE, &media->alt_text,
                                      error)
      || !_byline_wp_json_get_string (object, what, "slug", FALSE, TRUE, &media->slug, error))
    return NULL;
  if (media->slug == NULL)
    media->slug = g_strdup ("");
  if (media->alt_text == NULL)
    media->alt_text = g_strdup ("");
  if (media->mime_type == NULL)
    media->mime_type = g_strdup ("");
  return g_steal_pointer (&media);
}

/* upload_media: the file as the raw body, then its alternative text */

typedef struct {
  BylineWpMedia *media;
  char          *alt_text;
} Upload;

static void
upload_free (Upload *upload)
{
  g_clear_pointer (&upload->media, byline_wp_media_free);
  g_free (upload->alt_text);
  g_free (upload);
}

static void
upload_alt_text_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineWpMedia) updated = NULL;

  node = _byline_wp_client_send_finish (BYLINE_WP_CLIENT (object), result, NULL, NULL, &error);
  if (node != NULL)
    updated = byline_wp_media_new_from_json (node, &error);
  if (updated == NULL)
    {
      /* The file is on the site: failing would have it uploaded twice on a retry. */
      g_message ("Uploaded file %" G_GINT64_FORMAT " kept no alternative text: %s",
                 upload->media->id, error->message);
      g_task_return_pointer (task, g_steal_pointer (&upload->media),
                             (GDestroyNotify) byline_wp_media_free);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&updated), (GDestroyNotify) byline_wp_media_free);
}

static void
upload_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  BylineWpClient *self = BYLINE_WP_CLIENT (object);
  g_autoptr(GTask) task = user_data;
  Upload *upload = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autofree char *route = NULL;
  GCancellable *cancellable;

  node = _byline_wp_client_send_finish (self, result, NULL, NULL, &error);
  if (node != NULL)
    upload->media = byline_wp_media_new_from_json (node, &error);
  if (upload->media == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (upload->alt_text == NULL || g_str_equal (upload->alt_text, upload->media->alt_text))
    {
      g_task_return_pointer (task, g_steal_pointer (&upload->media),
                             (GDestroyNotify) byline_wp_media_free);
      return;
    }

  route = g_strdup_printf ("/wp/v2/media/%" G_GINT64_FORMAT, upload->media->id);
  msg = _byline_wp_client_build_message (self, "POST", route, NULL, NULL);
  g_assert (msg != NULL);  /* the upload's own address was good */
  fields = json_object_new ();
  json_object_set_string_member (fields, "alt_text", upload->alt_text);
  body = json_node_init_object (json_node_alloc (), fields);
  _byline_wp_message_set_json_body (msg, body);
  /* Taken before the task is handed on: argument order is unspecified. */
  cancellable = g_task_get_cancellable (task);
  _byline_wp_client_send_async (self, msg, cancellable, upload_alt_text_cb,
                                g_steal_pointer (&task));
}

void
byline_wp_client_upload_media_async (BylineWpClient      *self,
                                     GBytes              *data,
                                     const char          *filename,
                                     const char          *mime_type,
                                     const char          *slug,
                                     const char          *alt_text,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(GHashTable) query = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *basename = NULL;
  Upload *upload;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (data != NULL);
  g_return_if_fail (filename != NULL);
  g_return_if_fail (mime_type != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_wp_client_upload_media_async);
  upload = g_new0 (Upload, 1);
  upload->alt_text = (alt_text != NULL && *alt_text != '\0') ? g_strdup (alt_text) : NULL;
  g_task_set_task_data (task, upload, (GDestroyNotify) upload_free);

  /* The slug rides in the query: a raw body has no other place for fields. */
  query = _byline_wp_query_new ();
  if (slug != NULL && *slug != '\0')
    g_hash_table_insert (query, "slug", g_strdup (slug));
  msg = _byline_wp_client_build_message (self, "POST", "/wp/v2/media", query, &error);
  if (msg == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* WordPress names the file after Content-Disposition (RFC 5987 for non-ASCII names), which it
   * requires: without it the upload is refused. */
  basename = g_path_get_basename (filename);
  if (basename[0] == '\0' || g_str_equal (basename, ".")
      || g_str_equal (basename, G_DIR_SEPARATOR_S))
    {
      g_free (basename);
      basename = g_strdup ("upload");
    }
  params = g_hash_table_new (g_str_hash, g_str_equal);
  g_hash_table_insert (params, "filename", basename);
  soup_message_headers_set_content_disposition (soup_message_get_request_headers (msg),
                                                "attachment", params);
  soup_message_set_request_body_from_bytes (msg, mime_type, data);
  _byline_wp_client_send_async (self, msg, cancellable, upload_cb, g_steal_pointer (&task));
}

BylineWpMedia *
byline_wp_client_upload_media_finish (BylineWpClient  *self,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
