/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-client-request.c: a request to the REST API with the credentials and the usual
 * headers, its answer as JSON; the typed calls' common part (one request, its JSON parsed into a
 * result). */

#define G_LOG_DOMAIN "byline-wp-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "byline-wp-client-private.h"

typedef struct {
  BylineWpResponseInfo  info;
  JsonNode             *error_json;   /* the body of an error answer, when it was JSON */
} RequestData;

static void
request_data_free (RequestData *data)
{
  byline_wp_response_info_clear (&data->info);
  g_clear_pointer (&data->error_json, json_node_unref);
  g_free (data);
}

static void
request_exchange_cb (GObject      *object,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  RequestData *data = g_task_get_task_data (task);
  g_autoptr(BylineWpAnswer) answer = NULL;
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  answer = _byline_wp_client_exchange_finish (BYLINE_WP_CLIENT (object), result, &error);
  if (answer == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  node = _byline_wp_answer_process (answer, &data->info, &data->error_json, &error);
  if (node == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, node, (GDestroyNotify) json_node_unref);
}

/* Sends @msg with the credentials and the usual headers. */
void
_byline_wp_client_send_async (BylineWpClient      *self,
                              SoupMessage         *msg,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  SoupMessageHeaders *headers = soup_message_get_request_headers (msg);
  GTask *task;
  RequestData *data;

  if (self->authorization != NULL)
    soup_message_headers_replace (headers, "Authorization", self->authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  /* Following a redirect would carry the password to another address, and turn a POST into a
   * GET: a redirect is reported instead. */
  soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, _byline_wp_client_send_async);
  data = g_new0 (RequestData, 1);
  byline_wp_response_info_clear (&data->info);
  g_task_set_task_data (task, data, (GDestroyNotify) request_data_free);

  _byline_wp_client_exchange_async (self, msg, FALSE, cancellable, request_exchange_cb, task);
}

/* @error_json: (out) (optional): the JSON of an error answer. */
JsonNode *
_byline_wp_client_send_finish (BylineWpClient        *self,
                               GAsyncResult          *result,
                               BylineWpResponseInfo  *info,
                               JsonNode             **error_json,
                               GError               **error)
{
  RequestData *data;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (info != NULL)
    {
      byline_wp_response_info_clear (info);
      *info = data->info;
      info->wp_code = g_strdup (data->info.wp_code);
    }
  if (error_json != NULL)
    *error_json = data->error_json ? json_node_ref (data->error_json) : NULL;
  return g_task_propagate_pointer (G_TASK (result), error);
}

SoupMessage *
_byline_wp_client_build_message (BylineWpClient  *self,
                                 const char      *method,
                                 const char      *route,
                                 GHashTable      *query,
                                 GError         **error)
{
  g_autofree char *url = byline_wp_client_build_url (self, route, query);
  SoupMessage *msg = url ? soup_message_new (method, url) : NULL;

  if (msg == NULL)
    g_set_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_FAILED,
                 _("The WordPress address “%s” is not a web address. Check the account."),
                 self->api_root);
  return msg;
}

void
_byline_wp_message_set_json_body (SoupMessage *msg,
                                  JsonNode    *body)
{
  g_autofree char *text = json_to_string (body, FALSE);
  gsize len = strlen (text);
  g_autoptr(GBytes) bytes = g_bytes_new_take (g_steal_pointer (&text), len);

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
}

void
byline_wp_client_request_async (BylineWpClient      *self,
                                const char          *method,
                                const char          *route,
                                GHashTable          *query,
                                JsonNode            *body,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(SoupMessage) msg = NULL;
  g_autoptr(GError) error = NULL;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (self));
  g_return_if_fail (method != NULL);
  g_return_if_fail (route != NULL && route[0] == '/');

  msg = _byline_wp_client_build_message (self, method, route, query, &error);
  if (msg == NULL)
    {
      g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

      g_task_set_source_tag (task, _byline_wp_client_send_async);
      g_task_set_task_data (task, g_new0 (RequestData, 1), (GDestroyNotify) request_data_free);
      byline_wp_response_info_clear (&((RequestData *) g_task_get_task_data (task))->info);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (body != NULL)
    _byline_wp_message_set_json_body (msg, body);
  _byline_wp_client_send_async (self, msg, cancellable, callback, user_data);
}

JsonNode *
byline_wp_client_request_finish (BylineWpClient        *self,
                                 GAsyncResult          *result,
                                 BylineWpResponseInfo  *info,
                                 GError               **error)
{
  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), NULL);
  return _byline_wp_client_send_finish (self, result, info, NULL, error);
}

/* Typed calls */

typedef struct {
  BylineWpParseFunc             parse;
  GDestroyNotify        free_result;
  BylineWpResponseInfo  info;
} CallData;

static void
call_data_free (CallData *data)
{
  byline_wp_response_info_clear (&data->info);
  g_free (data);
}

static void
call_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  CallData *data = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) error = NULL;
  gpointer parsed;

  node = _byline_wp_client_send_finish (BYLINE_WP_CLIENT (object), result, &data->info, NULL,
                                        &error);
  if (node == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  parsed = data->parse (node, &error);
  if (parsed == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, parsed, data->free_result);
}

void
_byline_wp_client_call_async (BylineWpClient      *self,
                              gpointer             source_tag,
                              const char          *method,
                              const char          *route,
                              GHashTable          *query,
                              JsonNode            *body,
                              BylineWpParseFunc            parse,
                              GDestroyNotify       free_result,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  CallData *data = g_new0 (CallData, 1);

  g_task_set_source_tag (task, source_tag);
  data->parse = parse;
  data->free_result = free_result;
  byline_wp_response_info_clear (&data->info);
  g_task_set_task_data (task, data, (GDestroyNotify) call_data_free);

  byline_wp_client_request_async (self, method, route, query, body, cancellable, call_cb,
                                  g_steal_pointer (&task));
}

gpointer
_byline_wp_client_call_finish (BylineWpClient        *self,
                               GAsyncResult          *result,
                               gpointer               source_tag,
                               BylineWpResponseInfo  *info,
                               GError               **error)
{
  CallData *data;

  g_return_val_if_fail (BYLINE_IS_WP_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  data = g_task_get_task_data (G_TASK (result));
  if (info != NULL)
    {
      byline_wp_response_info_clear (info);
      *info = data->info;
      info->wp_code = g_strdup (data->info.wp_code);
    }
  return g_task_propagate_pointer (G_TASK (result), error);
}

GHashTable *
_byline_wp_query_new (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}
