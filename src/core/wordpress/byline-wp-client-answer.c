/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-client-answer.c: what a WordPress site's answer means: its JSON (parsed under a depth
 * limit), or the BYLINE_WP_ERROR its HTTP status and WordPress's error object say, and the
 * headers that come with it. */

#define G_LOG_DOMAIN "byline-wp-client"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "byline-html-text.h"
#include "byline-wp-client-private.h"
#include "byline-wp-error.h"

/* json-glib's parser recurses once per nesting level: deeper answers are refused before parsing,
 * so that no answer can exhaust the stack. WordPress's own answers nest less than 20 deep. */
#define MAX_JSON_DEPTH 512
/* The longest part of WordPress's own message that is quoted in an error. */
#define MAX_QUOTED_CHARS 400

void
byline_wp_response_info_clear (BylineWpResponseInfo *info)
{
  g_clear_pointer (&info->wp_code, g_free);
  info->status = 0;
  info->total = -1;
  info->total_pages = -1;
  info->retry_after = 0;
}

/* WordPress's messages are HTML: "you&#8217;ve", or "<h1>Error establishing…</h1>" from wp_die.
 * Quoted as one line of plain text, at most MAX_QUOTED_CHARS characters. */
char *
_byline_wp_html_to_text (const char *html)
{
  return byline_html_text_extract (html, -1, BYLINE_HTML_TEXT_ONE_LINE, MAX_QUOTED_CHARS);
}

static gboolean
looks_like_html (const char   *content_type,
                 const guint8 *data,
                 gsize         len)
{
  gsize i = 0;

  if (content_type != NULL && (g_str_has_prefix (content_type, "text/html")
                               || g_str_has_prefix (content_type, "application/xhtml")))
    return TRUE;
  while (i < len && g_ascii_isspace (data[i]))
    i++;
  return i < len && data[i] == '<';
}

/* Whether @data nests deeper than MAX_JSON_DEPTH, counting brackets outside strings. */
static gboolean
json_too_deep (const guint8 *data,
               gsize         len)
{
  guint depth = 0;
  gboolean in_string = FALSE;

  for (gsize i = 0; i < len; i++)
    {
      guint8 c = data[i];

      if (in_string)
        {
          if (c == '\\')
            i++;
          else if (c == '"')
            in_string = FALSE;
        }
      else if (c == '"')
        in_string = TRUE;
      else if (c == '[' || c == '{')
        {
          if (++depth > MAX_JSON_DEPTH)
            return TRUE;
        }
      else if ((c == ']' || c == '}') && depth > 0)
        depth--;
    }
  return FALSE;
}

static gint64
header_int (SoupMessageHeaders *headers,
            const char         *name)
{
  const char *value = soup_message_headers_get_one (headers, name);
  g_autofree char *trimmed = NULL;
  guint64 number;

  if (value == NULL)
    return -1;
  trimmed = g_strstrip (g_strdup (value));
  if (!g_ascii_string_to_unsigned (trimmed, 10, 0, G_MAXINT64, &number, NULL))
    return -1;
  return (gint64) number;
}

static guint
retry_after_seconds (SoupMessageHeaders *headers)
{
  const char *value = soup_message_headers_get_one (headers, "Retry-After");
  g_autoptr(GDateTime) when = NULL;
  g_autoptr(GDateTime) now = NULL;
  gint64 seconds = header_int (headers, "Retry-After");

  if (seconds >= 0)
    return (guint) MIN (seconds, G_MAXUINT);
  if (value == NULL || (when = soup_date_time_new_from_http_string (value)) == NULL)
    return 0;
  now = g_date_time_new_now_utc ();
  seconds = g_date_time_difference (when, now) / G_TIME_SPAN_SECOND;
  return (guint) CLAMP (seconds, 0, G_MAXUINT);
}

/* What WordPress said in an error object: its code and message, NULL when it is not one. */
static gboolean
parse_wp_error (JsonNode  *node,
                char     **code,
                char     **message)
{
  JsonObject *object;
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return FALSE;
  object = json_node_get_object (node);

  member = json_object_get_member (object, "code");
  if (member == NULL || !JSON_NODE_HOLDS_VALUE (member)
      || json_node_get_value_type (member) != G_TYPE_STRING)
    return FALSE;
  *code = g_strdup (json_node_get_string (member));

  member = json_object_get_member (object, "message");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member)
      && json_node_get_value_type (member) == G_TYPE_STRING)
    {
      g_autoptr(GString) text = g_string_new (json_node_get_string (member));
      JsonNode *data = json_object_get_member (object, "data");
      JsonNode *params = NULL;

      /* "Invalid parameter(s): status" says which, data.params says what is wrong with it. */
      if (data != NULL && JSON_NODE_HOLDS_OBJECT (data))
        params = json_object_get_member (json_node_get_object (data), "params");
      if (params != NULL && JSON_NODE_HOLDS_OBJECT (params))
        {
          g_autoptr(GList) names = json_object_get_members (json_node_get_object (params));
          gboolean first = TRUE;

          for (GList *l = names; l != NULL; l = l->next)
            {
              JsonNode *value = json_object_get_member (json_node_get_object (params), l->data);

              if (!JSON_NODE_HOLDS_VALUE (value)
                  || json_node_get_value_type (value) != G_TYPE_STRING)
                continue;
              g_string_append (text, first ? " (" : "; ");
              g_string_append (text, json_node_get_string (value));
              first = FALSE;
            }
          if (!first)
            g_string_append_c (text, ')');
        }
      *message = _byline_wp_html_to_text (text->str);
    }
  return TRUE;
}

/* Whether every string of @node, member names too, is UTF-8: json-glib takes escapes that JSON
 * does not have ("\312" as a byte) and lone surrogates ("\ud800"), which make text that is not,
 * and that the readers would pass on to the store and the screen. */
static gboolean
json_is_utf8 (JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT:
      {
        JsonObjectIter iter;
        const char *name;
        JsonNode *member;

        json_object_iter_init (&iter, json_node_get_object (node));
        while (json_object_iter_next (&iter, &name, &member))
          if (!g_utf8_validate (name, -1, NULL) || !json_is_utf8 (member))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);

        for (guint i = 0; i < json_array_get_length (array); i++)
          if (!json_is_utf8 (json_array_get_element (array, i)))
            return FALSE;
        return TRUE;
      }
    case JSON_NODE_VALUE:
      return json_node_get_value_type (node) != G_TYPE_STRING
             || g_utf8_validate (json_node_get_string (node), -1, NULL);
    case JSON_NODE_NULL:
    default:
      return TRUE;
    }
}

static JsonNode *
parse_json (GBytes  *bytes,
            GError **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);

  if (json_too_deep (data, len))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE,
                           _("it nests too deeply"));
      return NULL;
    }
  if (!json_parser_load_from_data (parser, (const char *) data, len, error))
    return NULL;
  if (json_parser_get_root (parser) == NULL)
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_PARSE, _("it is empty"));
      return NULL;
    }
  if (!json_is_utf8 (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                           _("it holds text that is not UTF-8"));
      return NULL;
    }
  return json_node_ref (json_parser_get_root (parser));
}

static GError *
invalid_json_error (SoupMessageHeaders *headers,
                    GBytes             *body,
                    const GError       *parse_error)
{
  gsize len;
  const guint8 *data = g_bytes_get_data (body, &len);
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);
  g_autofree char *quoted = NULL;

  if (looks_like_html (content_type, data, len))
    return g_error_new_literal (BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                                _("The site answered with something that is not WordPress’s JSON "
                                  "(an HTML error page?)."));
  if (len == 0)
    return g_error_new_literal (BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                                _("The site answered with nothing where WordPress’s JSON was "
                                  "expected."));
  quoted = byline_wp_error_quotable (parse_error->message);
  return g_error_new (BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                      _("The site’s answer is not valid JSON; it may have been cut off (%s)."),
                      quoted);
}

static GError *
status_error (guint               status,
              const char         *site_reason,
              SoupMessageHeaders *headers,
              GBytes             *body,
              const char         *wp_message,
              guint               retry_after)
{
  g_autofree char *reason = byline_wp_error_quotable (site_reason);
  g_autofree char *sentence = NULL;
  g_autofree char *detail = NULL;
  BylineWpError code;
  gsize len = 0;
  const guint8 *data = body ? g_bytes_get_data (body, &len) : NULL;
  const char *content_type = soup_message_headers_get_content_type (headers, NULL);

  switch (status)
    {
    case SOUP_STATUS_BAD_REQUEST:
      code = BYLINE_WP_ERROR_BAD_REQUEST;
      sentence = g_strdup (_("WordPress refused what Byline sent."));
      break;
    case SOUP_STATUS_UNAUTHORIZED:
      code = BYLINE_WP_ERROR_BAD_CREDENTIALS;
      sentence = g_strdup (_("WordPress refused the user name or application password."));
      break;
    case SOUP_STATUS_FORBIDDEN:
      code = BYLINE_WP_ERROR_FORBIDDEN;
      sentence = g_strdup (_("WordPress does not allow this account to do that."));
      break;
    case SOUP_STATUS_NOT_FOUND:
      code = BYLINE_WP_ERROR_NOT_FOUND;
      sentence = g_strdup (_("WordPress could not find it on the site; it may have been deleted."));
      break;
    case SOUP_STATUS_CONFLICT:
      code = BYLINE_WP_ERROR_CONFLICT;
      sentence = g_strdup (_("WordPress refused it as a conflict with what is on the site."));
      break;
    case SOUP_STATUS_GONE:
      code = BYLINE_WP_ERROR_GONE;
      sentence = g_strdup (_("It is already in the site’s trash."));
      break;
    case SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE:
      code = BYLINE_WP_ERROR_BAD_REQUEST;
      sentence = g_strdup (_("The site refused it as too large."));
      break;
    case 429:
      code = BYLINE_WP_ERROR_RATE_LIMITED;
      if (retry_after > 0)
        sentence = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                 "The site asks Byline to slow down; try again in "
                                                 "%u second.",
                                                 "The site asks Byline to slow down; try again in "
                                                 "%u seconds.", retry_after), retry_after);
      else
        sentence = g_strdup (_("The site asks Byline to slow down; try again in a while."));
      break;
    default:
      if (SOUP_STATUS_IS_SERVER_ERROR (status))
        {
          code = BYLINE_WP_ERROR_SERVER;
          sentence = g_strdup_printf (_("The site had a problem of its own (HTTP %u %s) and could "
                                        "not do it. Try again later."), status, reason);
        }
      else if (SOUP_STATUS_IS_REDIRECTION (status))
        {
          const char *location = soup_message_headers_get_one (headers, "Location");
          g_autofree char *quoted = byline_wp_error_quotable (location != NULL ? location : "?");

          code = BYLINE_WP_ERROR_FAILED;
          sentence = g_strdup_printf (_("The site sent Byline to another address (%s) instead of "
                                        "answering. Check the site address in the account."),
                                      quoted);
        }
      else if (SOUP_STATUS_IS_CLIENT_ERROR (status))
        {
          code = BYLINE_WP_ERROR_FAILED;
          sentence = g_strdup_printf (_("The site refused the request (HTTP %u %s)."),
                                      status, reason);
        }
      else
        {
          code = BYLINE_WP_ERROR_INVALID_RESPONSE;
          sentence = g_strdup_printf (_("The site answered with an unexpected HTTP status "
                                        "(%u %s)."), status, reason);
        }
      break;
    }

  if (wp_message != NULL && *wp_message != '\0')
    detail = g_strdup_printf (_("WordPress said: “%s”"), wp_message);
  else if (data != NULL && looks_like_html (content_type, data, len))
    detail = g_strdup (_("The site sent an HTML page instead of WordPress’s JSON."));

  if (detail == NULL)
    return g_error_new_literal (BYLINE_WP_ERROR, code, sentence);
  return g_error_new (BYLINE_WP_ERROR, code, "%s %s", sentence, detail);
}

/* Turns an answer into its JSON, or into the error it means. @info gets what came with it, and
 * @error_json (optional) the JSON of an error answer that was WordPress's error object. */
JsonNode *
_byline_wp_answer_read (guint                  status,
                        const char            *reason,
                        SoupMessageHeaders    *headers,
                        GBytes                *body,
                        BylineWpResponseInfo  *info,
                        JsonNode             **error_json,
                        GError               **error)
{
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) parse_error = NULL;
  g_autofree char *wp_message = NULL;

  byline_wp_response_info_clear (info);
  if (error_json != NULL)
    *error_json = NULL;
  info->status = status;
  info->total = header_int (headers, "X-WP-Total");
  info->total_pages = header_int (headers, "X-WP-TotalPages");
  info->retry_after = retry_after_seconds (headers);

  if (g_bytes_get_size (body) > 0)
    node = parse_json (body, &parse_error);

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    {
      if (node != NULL)
        return g_steal_pointer (&node);
      if (status == SOUP_STATUS_NO_CONTENT && g_bytes_get_size (body) == 0)
        return json_node_new (JSON_NODE_NULL);
      g_propagate_error (error, invalid_json_error (headers, body, parse_error));
      return NULL;
    }

  if (parse_wp_error (node, &info->wp_code, &wp_message) && error_json != NULL)
    *error_json = g_steal_pointer (&node);
  g_propagate_error (error, status_error (status, reason, headers, body, wp_message,
                                          info->retry_after));
  return NULL;
}

JsonNode *
_byline_wp_answer_process (BylineWpAnswer        *answer,
                           BylineWpResponseInfo  *info,
                           JsonNode             **error_json,
                           GError               **error)
{
  return _byline_wp_answer_read (soup_message_get_status (answer->msg),
                                 soup_message_get_reason_phrase (answer->msg),
                                 soup_message_get_response_headers (answer->msg), answer->body,
                                 info, error_json, error);
}
