/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wp-browser.c: a SoupSession playing the browser against the WordPress test bed. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "byline-test-util.h"
#include "wp-browser.h"

char *
wp_browser_browse (SoupSession  *session,
                   SoupMessage  *msg,
                   gboolean      no_redirect,
                   guint        *status,
                   char        **location)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GError) error = NULL;
  /* Without the query: the callback's carries the password. */
  g_autofree char *uri = g_uri_to_string_partial (soup_message_get_uri (msg), G_URI_HIDE_QUERY);

  if (no_redirect)
    soup_message_add_flags (msg, SOUP_MESSAGE_NO_REDIRECT);
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL,
                                    byline_test_store_result_cb, &result);
  if (!byline_test_wait_until (byline_test_has_result, &result, WP_BROWSER_TIMEOUT_SECONDS * 1000))
    g_error ("%s: no answer within %d s", uri, WP_BROWSER_TIMEOUT_SECONDS);
  body = soup_session_send_and_read_finish (session, result, &error);
  *status = body != NULL ? soup_message_get_status (msg) : 0;
  if (body == NULL)
    g_test_message ("%s: %s", uri, error->message);
  if (location != NULL)
    *location = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                        "Location"));
  g_object_unref (msg);
  return body != NULL ? g_strndup (g_bytes_get_data (body, NULL), g_bytes_get_size (body))
                      : NULL;
}

SoupSession *
wp_browser_log_in (const char *wp_url,
                   const char *wp_user,
                   const char *login_password)
{
  SoupSession *session = soup_session_new_with_options ("timeout", WP_BROWSER_TIMEOUT_SECONDS, NULL);
  g_autofree char *login_url = g_strconcat (wp_url, "/wp-login.php", NULL);
  g_autofree char *admin_url = g_strconcat (wp_url, "/wp-admin/", NULL);
  g_autofree char *body = NULL;
  g_autofree char *location = NULL;
  char *form;
  guint status;

  soup_session_add_feature_by_type (session, SOUP_TYPE_COOKIE_JAR);
  /* WordPress first sets its test cookie, then wants it back with the login. */
  body = wp_browser_browse (session, soup_message_new ("GET", login_url), FALSE, &status, NULL);
  g_assert_cmpuint (status, ==, 200);
  g_clear_pointer (&body, g_free);

  form = soup_form_encode ("log", wp_user, "pwd", login_password, "wp-submit", "Log In",
                           "redirect_to", admin_url, "testcookie", "1", NULL);
  body = wp_browser_browse (session, soup_message_new_from_encoded_form ("POST", login_url, form), TRUE,
                            &status, &location);
  if (status != 302)
    g_error ("Logging in through wp-login.php: status %u, page:\n%s", status, body);
  g_assert_cmpstr (location, ==, admin_url);
  return session;
}

static char *
decode_entities (const char *text)
{
  g_autoptr(GString) s = g_string_new (text);

  g_string_replace (s, "&#038;", "&", 0);
  g_string_replace (s, "&#38;", "&", 0);
  g_string_replace (s, "&quot;", "\"", 0);
  g_string_replace (s, "&#039;", "'", 0);
  g_string_replace (s, "&lt;", "<", 0);
  g_string_replace (s, "&gt;", ">", 0);
  g_string_replace (s, "&amp;", "&", 0);
  return g_string_free (g_steal_pointer (&s), FALSE);
}

char *
wp_browser_attribute (const char *tag,
                      const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("\\s%s=\"([^\"]*)\"", name);
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *raw = NULL;

  if (!g_regex_match (regex, tag, 0, &match))
    return NULL;
  raw = g_match_info_fetch (match, 1);
  return decode_entities (raw);
}

char *
wp_browser_submit_authorization (SoupSession *session,
                                 const char  *url,
                                 const char  *button)
{
  g_autoptr(GHashTable) fields = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GRegex) form_regex = g_regex_new ("<form\\b[^>]*authorize-application\\.php[^>]*>"
                                              "(.*?)</form>", G_REGEX_DOTALL, 0, NULL);
  g_autoptr(GRegex) input_regex = g_regex_new ("<input\\b[^>]*>", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *page = NULL;
  g_autofree char *form_tag = NULL;
  g_autofree char *action = NULL;
  g_autofree char *form = NULL;
  g_autofree char *location = NULL;
  g_autofree char *body = NULL;
  SoupMessage *msg;
  gboolean has_button = FALSE;
  guint status;
  int start, end;

  page = wp_browser_browse (session, soup_message_new ("GET", url), FALSE, &status, NULL);
  if (status != 200 || !g_regex_match (form_regex, page, 0, &match))
    g_error ("The authorization page (status %u) has no form:\n%s", status, page);
  g_match_info_fetch_pos (match, 0, &start, &end);
  form_tag = g_strndup (page + start, strchr (page + start, '>') - (page + start) + 1);
  action = wp_browser_attribute (form_tag, "action");
  g_assert_nonnull (action);
  form = g_match_info_fetch (match, 1);
  g_clear_pointer (&match, g_match_info_free);

  g_regex_match (input_regex, form, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *tag = g_match_info_fetch (match, 0);
      g_autofree char *name = wp_browser_attribute (tag, "name");
      g_autofree char *type = wp_browser_attribute (tag, "type");
      g_autofree char *value = wp_browser_attribute (tag, "value");

      if (name != NULL && g_strcmp0 (type, "submit") == 0)
        has_button |= g_str_equal (name, button);
      else if (name != NULL)
        g_hash_table_replace (fields, g_strdup (name), g_strdup (value ? value : ""));
      g_match_info_next (match, NULL);
    }
  g_assert_true (has_button);
  g_assert_true (g_hash_table_contains (fields, "_wpnonce"));
  g_assert_cmpstr (g_hash_table_lookup (fields, "action"), ==, "authorize_application_password");
  g_hash_table_replace (fields, g_strdup (button), g_strdup ("1"));

  msg = soup_message_new_from_encoded_form ("POST", action, soup_form_encode_hash (fields));
  body = wp_browser_browse (session, msg, TRUE, &status, &location);
  if (status != 302 || location == NULL)
    g_error ("Submitting the authorization form: status %u, page:\n%s", status, body);
  return g_steal_pointer (&location);
}

/* The JSON object a page's script assigns to `var NAME = {...};` (wp_localize_script). */
static JsonObject *
page_script_object (const char *page,
                    const char *name)
{
  g_autofree char *pattern = g_strdup_printf ("var %s = (\\{.*?\\});", name);
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *json = NULL;

  if (!g_regex_match (regex, page, 0, &match))
    g_error ("The page has no %s:\n%s", name, page);
  json = g_match_info_fetch (match, 1);
  if (!json_parser_load_from_data (parser, json, -1, &error))
    g_error ("%s is not JSON (%s): %s", name, error->message, json);
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

/* The value of the page's <input> whose attribute @key is @value. */
static char *
page_input_value (const char *page,
                  const char *key,
                  const char *value)
{
  g_autoptr(GRegex) input_regex = g_regex_new ("<input\\b[^>]*>", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;

  g_regex_match (input_regex, page, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *tag = g_match_info_fetch (match, 0);
      g_autofree char *found = wp_browser_attribute (tag, key);

      if (g_strcmp0 (found, value) == 0)
        return wp_browser_attribute (tag, "value");
      g_match_info_next (match, NULL);
    }
  g_error ("The page has no input with %s=\"%s\":\n%s", key, value, page);
  return NULL;
}

char *
wp_browser_authorize_scripted (SoupSession *session,
                               const char  *url,
                               const char  *button,
                               char       **page_success)
{
  g_autoptr(JsonObject) auth_app = NULL;
  g_autoptr(JsonObject) api_settings = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonNode) request = NULL;
  g_autoptr(GBytes) request_body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) next = NULL;
  g_autofree char *page = NULL;
  g_autofree char *app_name = NULL;
  g_autofree char *app_id = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *created = NULL;
  g_autofree char *site_url = NULL;
  g_autofree char *user_login = NULL;
  g_autofree char *password = NULL;
  const char *success;
  SoupMessage *msg;
  JsonObject *answer;
  char *json;
  guint status;

  page = wp_browser_browse (session, soup_message_new ("GET", url), FALSE, &status, NULL);
  if (status != 200 || strstr (page, "Cannot Authorize Application") != NULL)
    g_error ("The authorization page (status %u) refused the request:\n%s", status, page);
  auth_app = page_script_object (page, "authApp");
  success = json_object_get_string_member_with_default (auth_app, "success", NULL);
  if (page_success != NULL)
    *page_success = g_strdup (success);
  if (g_str_equal (button, "reject"))
    return g_strdup (json_object_get_string_member (auth_app, "reject"));
  g_assert_cmpstr (button, ==, "approve");

  /* auth-app.js: POST /wp/v2/users/me/application-passwords with the page's REST nonce. */
  api_settings = page_script_object (page, "wpApiSettings");
  app_name = page_input_value (page, "id", "app_name");
  app_id = page_input_value (page, "name", "app_id");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "name");
  json_builder_add_string_value (builder, app_name);
  if (*app_id != '\0')
    {
      json_builder_set_member_name (builder, "app_id");
      json_builder_add_string_value (builder, app_id);
    }
  json_builder_end_object (builder);
  request = json_builder_get_root (builder);
  json_generator_set_root (generator, request);
  json = json_generator_to_data (generator, NULL);
  request_body = g_bytes_new_take (json, strlen (json));
  endpoint = g_strconcat (json_object_get_string_member (api_settings, "root"),
                          "wp/v2/users/me/application-passwords?_locale=user", NULL);
  msg = soup_message_new ("POST", endpoint);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "X-WP-Nonce",
                                json_object_get_string_member (api_settings, "nonce"));
  soup_message_set_request_body_from_bytes (msg, "application/json", request_body);
  created = wp_browser_browse (session, msg, FALSE, &status, NULL);
  if (status != 201)
    g_error ("Creating the Application Password: status %u: %s", status, created);
  if (!json_parser_load_from_data (parser, created, -1, &error))
    g_error ("The new Application Password is not JSON (%s): %s", error->message, created);

  /* auth-app.js: window.location = success + site_url, user_login and password. */
  g_assert_nonnull (success);
  site_url = g_uri_escape_string (json_object_get_string_member (auth_app, "site_url"), NULL, FALSE);
  user_login = g_uri_escape_string (json_object_get_string_member (auth_app, "user_login"), NULL,
                                    FALSE);
  answer = json_node_get_object (json_parser_get_root (parser));
  password = g_uri_escape_string (json_object_get_string_member (answer, "password"), NULL, FALSE);
  next = g_string_new (success);
  g_string_append_printf (next, "%csite_url=%s&user_login=%s&password=%s",
                          strchr (success, '?') == NULL ? '?' : '&', site_url, user_login,
                          password);
  return g_string_free (g_steal_pointer (&next), FALSE);
}
