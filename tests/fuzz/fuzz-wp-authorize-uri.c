/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-wp-authorize-uri.c: feeds bytes as the sign-in link that the desktop hands to Byline
 * (SCHEME://authorize/TOKEN?site_url=…&user_login=…&password=…, or …?success=false) to
 * byline_wp_authorize_is_app_uri and byline_wp_authorize_handle_uri, with an authorization
 * waiting for it. "@TOKEN@" in the input stands for the waiting authorization's random token, so
 * that inputs can reach past the token check.
 *
 * Invariants: a link that is not Byline's is refused as such, and one with another token is
 * refused without being read; an approval gives a user name and a password, both non-empty,
 * valid UTF-8 and free of control characters, and never after a refusal (success=false); a
 * refusal is a GError with a human message; nothing logged while reading the link holds the
 * password. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "byline-wp-authorize.h"
#include "fuzz-target.h"

#define ENDPOINT "https://example.org/wp-admin/authorize-application.php"
#define TOKEN_MARK "@TOKEN@"

/* Everything logged while one input is read. */
static GString *logged;

static GLogWriterOutput
keep_log (GLogLevelFlags   log_level,
          const GLogField *fields,
          gsize            n_fields,
          gpointer         user_data)
{
  for (gsize i = 0; i < n_fields; i++)
    if (g_str_equal (fields[i].key, "MESSAGE"))
      {
        if (fields[i].length < 0)
          g_string_append (logged, fields[i].value);
        else
          g_string_append_len (logged, fields[i].value, fields[i].length);
        g_string_append_c (logged, '\n');
      }
  /* Kept quiet but for warnings and worse, which are news. */
  if (log_level & (G_LOG_LEVEL_DEBUG | G_LOG_LEVEL_INFO | G_LOG_LEVEL_MESSAGE))
    return G_LOG_WRITER_HANDLED;
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

static void
init_once (void)
{
  if (logged != NULL)
    return;
  logged = g_string_new (NULL);
  /* Debug messages too: they are what a person pastes into a bug report. */
  g_setenv ("G_MESSAGES_DEBUG", "all", TRUE);
  g_log_set_writer_func (keep_log, NULL, NULL);
}

static void
store_result_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
assert_clean_text (const char *text)
{
  g_assert_nonnull (text);
  g_assert_cmpuint (strlen (text), >, 0);
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *c = text; *c != '\0'; c = g_utf8_next_char (c))
    g_assert_false (g_unichar_iscntrl (g_utf8_get_char (c)));
}

/* What the link's query says, read on its own: whether it is a refusal, and its password. */
static gboolean
link_says_declined (const char  *uri,
                    char       **password)
{
  g_autoptr(GUri) parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  g_autoptr(GHashTable) params = NULL;

  if (parsed == NULL || g_uri_get_query (parsed) == NULL)
    return FALSE;
  params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  if (params == NULL)
    return FALSE;
  *password = g_strdup (g_hash_table_lookup (params, "password"));
  return g_strcmp0 (g_hash_table_lookup (params, "success"), "false") == 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(BylineWpAuthorize) authorize = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) uri = NULL;
  g_autofree char *token = NULL;
  g_autofree char *user_login = NULL;
  g_autofree char *password = NULL;
  g_autofree char *link_password = NULL;
  const char *callback;
  gboolean is_app_uri;
  gboolean declined;

  init_once ();
  g_string_truncate (logged, 0);

  authorize = byline_wp_authorize_begin (ENDPOINT, BYLINE_WP_AUTHORIZE_RETURN_APP_URI, &error);
  g_assert_no_error (error);
  callback = byline_wp_authorize_get_callback_url (authorize);
  token = g_strdup (strstr (callback, "://" BYLINE_WP_AUTHORIZE_URI_HOST "/")
                    + strlen ("://" BYLINE_WP_AUTHORIZE_URI_HOST "/"));

  uri = g_string_new_len ((const char *) data, (gssize) size);
  g_string_truncate (uri, strlen (uri->str));  /* as a C string: up to a NUL */
  g_string_replace (uri, TOKEN_MARK, token, 0);

  is_app_uri = byline_wp_authorize_is_app_uri (uri->str);
  declined = link_says_declined (uri->str, &link_password);

  if (!byline_wp_authorize_handle_uri (uri->str, &error))
    {
      if (!is_app_uri)
        g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT));
      else
        g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED));
      assert_clean_text (error->message);
    }
  else
    {
      g_assert_true (is_app_uri);
      byline_wp_authorize_wait_async (authorize, NULL, store_result_cb, &result);
      while (result == NULL)
        g_main_context_iteration (NULL, TRUE);
      if (byline_wp_authorize_wait_finish (authorize, result, &user_login, &password, &error))
        {
          g_assert_false (declined);
          assert_clean_text (user_login);
          assert_clean_text (password);
        }
      else
        {
          g_assert_null (user_login);
          g_assert_null (password);
          if (declined)
            g_assert_true (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED));
          g_assert_true (error->domain == G_IO_ERROR);
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
          g_assert_cmpuint (strlen (error->message), >, 0);
        }
    }

  /* A password short enough to be any word proves nothing about leaks. */
  if (link_password != NULL && strlen (link_password) >= 8)
    g_assert_null (strstr (logged->str, link_password));
  if (password != NULL && strlen (password) >= 8)
    g_assert_null (strstr (logged->str, password));
  return 0;
}
