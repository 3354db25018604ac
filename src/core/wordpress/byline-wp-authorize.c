/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-authorize.c: an Application Password from WordPress's authorization page.
 *
 * Byline makes a one-shot callback with a random token and sends the browser to
 * authorize-application.php with success_url and reject_url pointing there. Once the person
 * approves, WordPress sends the browser to success_url with site_url, user_login and password
 * added; a refusal lands on reject_url, which carries success=false.
 *
 * The callback is either a link with Byline's own URI scheme, SCHEME://authorize/TOKEN, which the
 * browser hands to the desktop and the desktop to the application (its open handler calls
 * byline_wp_authorize_handle_uri), or http://127.0.0.1:PORT/TOKEN, which Byline listens on.
 * WordPress accepts any scheme but javascript: and data: as long as the link has a host, except
 * plain http outside a "local" site: production sites only take the app URI. (The page's
 * script, auth-app.js, sends the browser to it; WordPress's fallback form for browsers without
 * JavaScript drops a success_url of a scheme it does not know and shows the password instead,
 * to be typed in as an Application Password.) The first answer
 * with the right token settles the wait; the loopback listener stops once the browser has had
 * its answer. The password is never logged. */

#define G_LOG_DOMAIN "byline-wp-authorize"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/random.h>

#include <glib/gi18n.h>
#include <libsoup/soup.h>

#include "byline-wp-authorize.h"
#include "byline-wp-error.h"

/* Names Byline to WordPress across installations: the site lists its passwords by app. */
#define BYLINE_WP_APP_ID "6f1c2d3e-8a4b-4c5d-9e6f-0a1b2c3d4e5f"

struct _BylineWpAuthorize
{
  GObject       parent_instance;

  GMainContext *context;
  SoupServer   *server;          /* the loopback listener, NULL with the app URI */
  BylineWpAuthorizeReturn how;
  char         *path;            /* "/" + the token */
  char         *callback_url;
  char         *url;
  guint         timeout_seconds;

  GTask        *task;
  GSource      *timeout_source;
  GCancellable *cancellable;
  gulong        cancelled_id;

  gboolean      waited;          /* _wait_async was called */
  gboolean      visited;         /* the token's path was used: later visits get 404 */
  gboolean      settled;         /* the browser has had its answer: the outcome can be given */
  char         *user_login;
  char         *password;
  GError       *error;
};

G_DEFINE_FINAL_TYPE (BylineWpAuthorize, byline_wp_authorize, G_TYPE_OBJECT)

/* The authorizations waiting for an app URI (not owned: each removes itself once answered,
 * stopped or finalized). The desktop hands links to the main thread only. */
static GList *awaiting_links;

static void
clear_secret (char **secret)
{
  if (*secret != NULL)
    {
      explicit_bzero (*secret, strlen (*secret));
      g_clear_pointer (secret, g_free);
    }
}

static void
byline_wp_authorize_stop (BylineWpAuthorize *self)
{
  awaiting_links = g_list_remove (awaiting_links, self);
  if (self->timeout_source != NULL)
    {
      g_source_destroy (self->timeout_source);
      g_clear_pointer (&self->timeout_source, g_source_unref);
    }
  if (self->cancellable != NULL)
    {
      g_cancellable_disconnect (self->cancellable, self->cancelled_id);
      self->cancelled_id = 0;
      g_clear_object (&self->cancellable);
    }
  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
}

/* Gives the outcome (an error already set in self->error, or the login and password). */
static void
byline_wp_authorize_complete (BylineWpAuthorize *self)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  if (task == NULL)
    return;
  byline_wp_authorize_stop (self);
  if (self->error != NULL)
    g_task_return_error (task, g_steal_pointer (&self->error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
byline_wp_authorize_schedule (BylineWpAuthorize *self,
                              GSourceFunc        func)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_callback (source, func, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, "[byline] wp-authorize");
  g_source_attach (source, self->context);
}

static gboolean
byline_wp_authorize_settled_idle (gpointer user_data)
{
  byline_wp_authorize_complete (BYLINE_WP_AUTHORIZE (user_data));
  return G_SOURCE_REMOVE;
}

static gboolean
byline_wp_authorize_cancelled_idle (gpointer user_data)
{
  BylineWpAuthorize *self = BYLINE_WP_AUTHORIZE (user_data);

  if (self->task == NULL)
    return G_SOURCE_REMOVE;
  g_clear_error (&self->error);
  clear_secret (&self->password);
  g_set_error_literal (&self->error, G_IO_ERROR, G_IO_ERROR_CANCELLED,
                       _("Signing in with the browser was cancelled."));
  byline_wp_authorize_complete (self);
  return G_SOURCE_REMOVE;
}

static void
byline_wp_authorize_cancelled_cb (GCancellable *cancellable,
                                  gpointer      user_data)
{
  byline_wp_authorize_schedule (BYLINE_WP_AUTHORIZE (user_data), byline_wp_authorize_cancelled_idle);
}

static gboolean
byline_wp_authorize_timeout_cb (gpointer user_data)
{
  BylineWpAuthorize *self = BYLINE_WP_AUTHORIZE (user_data);

  g_clear_pointer (&self->timeout_source, g_source_unref);
  g_clear_error (&self->error);
  clear_secret (&self->password);
  g_set_error_literal (&self->error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                       _("WordPress did not come back from the browser in time. Try signing in "
                         "again."));
  byline_wp_authorize_complete (self);
  return G_SOURCE_REMOVE;
}

/* The browser has its answer: the outcome can be given (and the listener stopped). */
static void
byline_wp_authorize_message_finished_cb (SoupServerMessage *msg,
                                         gpointer           user_data)
{
  BylineWpAuthorize *self = BYLINE_WP_AUTHORIZE (user_data);

  if (self->settled)
    return;
  self->settled = TRUE;
  if (self->task != NULL)
    byline_wp_authorize_schedule (self, byline_wp_authorize_settled_idle);
}

static void
unref_closure_data (gpointer  data,
                    GClosure *closure)
{
  g_object_unref (data);
}

static void
answer (SoupServerMessage *msg,
        guint              status,
        const char        *text)
{
  g_autofree char *escaped = g_markup_escape_text (text, -1);
  g_autofree char *body = NULL;
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  body = g_strdup_printf ("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\">"
                          "<title>Byline</title></head>\n<body><p>%s</p></body></html>\n",
                          escaped);
  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_COPY,
                                    body, strlen (body));
}

static void byline_wp_authorize_take_answer (BylineWpAuthorize *self,
                                             GHashTable        *query);

static void
byline_wp_authorize_handler (SoupServer        *server,
                             SoupServerMessage *msg,
                             const char        *path,
                             GHashTable        *query,
                             gpointer           user_data)
{
  BylineWpAuthorize *self = BYLINE_WP_AUTHORIZE (user_data);
  const char *method = soup_server_message_get_method (msg);

  if (self->visited || g_strcmp0 (path, self->path) != 0)
    {
      g_debug ("No such page: %s", path);
      answer (msg, SOUP_STATUS_NOT_FOUND, _("Not found."));
      return;
    }
  if (g_strcmp0 (method, SOUP_METHOD_GET) != 0 && g_strcmp0 (method, SOUP_METHOD_HEAD) != 0)
    {
      answer (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, _("Not allowed."));
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Allow", "GET, HEAD");
      return;
    }

  byline_wp_authorize_take_answer (self, query);
  answer (msg, SOUP_STATUS_OK, self->error != NULL
          ? _("Byline was not signed in. You can close this page and return to Byline.")
          : _("Byline is signed in. You can close this page and return to Byline."));
  g_signal_connect_data (msg, "finished", G_CALLBACK (byline_wp_authorize_message_finished_cb),
                         g_object_ref (self), unref_closure_data, 0);
}

/* Whether @text (decoded from the link) can be a user name or an Application Password: UTF-8
 * without control characters. WordPress makes neither with those; a link that has them was not
 * made by WordPress, and they would end up in the keyring and in every request's header. */
static gboolean
is_clean_text (const char *text)
{
  if (!g_utf8_validate (text, -1, NULL))
    return FALSE;
  for (const char *c = text; *c != '\0'; c = g_utf8_next_char (c))
    if (g_unichar_iscntrl (g_utf8_get_char (c)))
      return FALSE;
  return TRUE;
}

/* What WordPress added to the callback, from the loopback visit or the app URI. */
static void
byline_wp_authorize_take_answer (BylineWpAuthorize *self,
                                 GHashTable        *query)
{
  const char *user_login = query ? g_hash_table_lookup (query, "user_login") : NULL;
  const char *password = query ? g_hash_table_lookup (query, "password") : NULL;
  const char *success = query ? g_hash_table_lookup (query, "success") : NULL;
  const char *wp_error = query ? g_hash_table_lookup (query, "error") : NULL;

  self->visited = TRUE;
  g_clear_error (&self->error);
  if (g_strcmp0 (success, "false") == 0)
    g_set_error_literal (&self->error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                         _("You declined to let Byline sign in: WordPress gave it no password."));
  else if (wp_error != NULL)
    {
      g_autofree char *quoted = byline_wp_error_quotable (wp_error);

      g_set_error (&self->error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("WordPress could not give Byline a password (%s): this site does not allow "
                     "Application Passwords. Create one in WordPress and sign in with it "
                     "instead."), quoted);
    }
  else if (user_login == NULL || *user_login == '\0' || password == NULL || *password == '\0')
    g_set_error_literal (&self->error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         _("WordPress came back without a user name or password."));
  else if (!is_clean_text (user_login) || !is_clean_text (password))
    g_set_error_literal (&self->error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                         _("The sign-in link holds a user name or password that WordPress cannot "
                           "have made. Sign in again from Byline."));
  else
    {
      g_free (self->user_login);
      self->user_login = g_strdup (user_login);
      clear_secret (&self->password);
      self->password = g_strdup (password);
    }
  g_debug ("The browser came back to the callback (%s)",
           self->error != NULL ? "refused" : "approved");
}

static void
byline_wp_authorize_finalize (GObject *object)
{
  BylineWpAuthorize *self = BYLINE_WP_AUTHORIZE (object);

  byline_wp_authorize_stop (self);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_free (self->path);
  g_free (self->callback_url);
  g_free (self->url);
  g_free (self->user_login);
  clear_secret (&self->password);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (byline_wp_authorize_parent_class)->finalize (object);
}

static void
byline_wp_authorize_class_init (BylineWpAuthorizeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = byline_wp_authorize_finalize;
}

static void
byline_wp_authorize_init (BylineWpAuthorize *self)
{
  self->timeout_seconds = BYLINE_WP_AUTHORIZE_DEFAULT_TIMEOUT;
}

static char *
make_token (GError **error)
{
  guint8 bytes[16];
  GString *token = g_string_new (NULL);

  if (getrandom (bytes, sizeof bytes, 0) != (ssize_t) sizeof bytes)
    {
      int saved = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("Could not make a random token: %s"), g_strerror (saved));
      g_string_free (token, TRUE);
      return NULL;
    }
  for (gsize i = 0; i < sizeof bytes; i++)
    g_string_append_printf (token, "%02x", bytes[i]);
  return g_string_free (token, FALSE);
}

static gboolean byline_wp_authorize_listen (BylineWpAuthorize  *self,
                                            GError            **error);

static void
append_param (GString    *url,
              const char *name,
              const char *value)
{
  g_autofree char *escaped = g_uri_escape_string (value, NULL, FALSE);

  g_string_append_c (url, strchr (url->str, '?') ? '&' : '?');
  g_string_append_printf (url, "%s=%s", name, escaped);
}

const char *
byline_wp_authorize_get_uri_scheme (void)
{
  static char *scheme;

  /* The application id is unique to Byline (and to its development build), and a URI scheme
   * may hold its letters, digits and dots; schemes are compared in lower case. */
  if (g_once_init_enter (&scheme))
    g_once_init_leave (&scheme, g_ascii_strdown (APP_ID, -1));
  return scheme;
}

gboolean
byline_wp_authorize_app_uri_reaches_us (void)
{
  g_autoptr(GAppInfo) handler = NULL;
  g_autofree char *desktop_id = g_strconcat (APP_ID, ".desktop", NULL);

  /* The desktop (xdg-open, the browser) launches the default handler of the scheme, which is
   * Byline once its desktop file is installed, also in the Flatpak, whose exported desktop file
   * GIO sees in /app/share/applications. Run from its source folder, Byline has none. */
  handler = g_app_info_get_default_for_uri_scheme (byline_wp_authorize_get_uri_scheme ());
  return handler != NULL && g_strcmp0 (g_app_info_get_id (handler), desktop_id) == 0;
}

/* Splits @uri when it is SCHEME://authorize/...: its path and its query (still encoded). */
static gboolean
parse_app_uri (const char  *uri,
               char       **path,
               char       **query)
{
  g_autoptr(GUri) parsed = NULL;

  if (uri != NULL)
    parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  if (parsed == NULL
      || g_ascii_strcasecmp (g_uri_get_scheme (parsed), byline_wp_authorize_get_uri_scheme ()) != 0
      || g_uri_get_host (parsed) == NULL
      || g_ascii_strcasecmp (g_uri_get_host (parsed), BYLINE_WP_AUTHORIZE_URI_HOST) != 0)
    return FALSE;
  if (path != NULL)
    *path = g_strdup (g_uri_get_path (parsed));
  if (query != NULL)
    *query = g_strdup (g_uri_get_query (parsed));
  return TRUE;
}

gboolean
byline_wp_authorize_is_app_uri (const char *uri)
{
  return parse_app_uri (uri, NULL, NULL);
}

/* Compares tokens in a time that does not tell how much of a guess was right. */
static gboolean
same_token (const char *a,
            const char *b)
{
  gsize length = strlen (a);
  guint8 difference = 0;

  if (length != strlen (b))
    return FALSE;
  for (gsize i = 0; i < length; i++)
    difference |= (guint8) a[i] ^ (guint8) b[i];
  return difference == 0;
}

gboolean
byline_wp_authorize_handle_uri (const char  *uri,
                                GError     **error)
{
  g_autoptr(GHashTable) params = NULL;
  g_autofree char *path = NULL;
  g_autofree char *query = NULL;
  BylineWpAuthorize *self = NULL;

  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!parse_app_uri (uri, &path, &query))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("This is not a sign-in link for Byline."));
      return FALSE;
    }
  if (awaiting_links == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                           _("Byline was not waiting to sign in to a site, so it did nothing with "
                             "this answer from WordPress. To add a site, open Accounts and choose "
                             "Sign In with the Browser."));
      return FALSE;
    }
  for (GList *l = awaiting_links; l != NULL && self == NULL; l = l->next)
    if (same_token (path, BYLINE_WP_AUTHORIZE (l->data)->path))
      self = l->data;
  if (self == NULL)
    {
      /* Neither the query nor the path is logged: a stray link may carry a password too. */
      g_debug ("A sign-in link with an unknown token was ignored");
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED,
                           _("This sign-in link is not the one Byline is waiting for."));
      return FALSE;
    }

  if (query != NULL)
    params = g_uri_parse_params (query, -1, "&", G_URI_PARAMS_WWW_FORM, NULL);
  awaiting_links = g_list_remove (awaiting_links, self);
  byline_wp_authorize_take_answer (self, params);
  self->settled = TRUE;
  if (self->task != NULL)
    byline_wp_authorize_schedule (self, byline_wp_authorize_settled_idle);
  return TRUE;
}

BylineWpAuthorize *
byline_wp_authorize_begin (const char               *authorization_endpoint,
                           BylineWpAuthorizeReturn   how,
                           GError                  **error)
{
  g_autoptr(BylineWpAuthorize) self = NULL;
  g_autoptr(GUri) endpoint = NULL;
  g_autofree char *token = NULL;
  g_autofree char *app_name = NULL;
  g_autofree char *reject_url = NULL;
  GString *url;
  const char *scheme;

  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (authorization_endpoint != NULL)
    endpoint = g_uri_parse (authorization_endpoint, G_URI_FLAGS_NONE, NULL);
  scheme = endpoint ? g_uri_get_scheme (endpoint) : NULL;
  if (scheme == NULL || (g_ascii_strcasecmp (scheme, "https") != 0 &&
                         g_ascii_strcasecmp (scheme, "http") != 0)
      || g_uri_get_fragment (endpoint) != NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                           _("This site does not offer signing in with the browser. Create an "
                             "Application Password in WordPress and sign in with it instead."));
      return NULL;
    }

  token = make_token (error);
  if (token == NULL)
    return NULL;

  if (how == BYLINE_WP_AUTHORIZE_RETURN_AUTO)
    {
      /* The app URI works with every site, whatever its environment type. Without it (Byline
       * run from its source folder, its desktop file not installed), the loopback is the way
       * for an http site: one that offers Application Passwords over plain http is a "local"
       * one, whose http callbacks WordPress accepts. An https site is most likely a production
       * one that would refuse the loopback with an error page in the browser and leave Byline
       * waiting, so Byline says at once what works instead. */
      if (byline_wp_authorize_app_uri_reaches_us ())
        how = BYLINE_WP_AUTHORIZE_RETURN_APP_URI;
      else if (g_ascii_strcasecmp (scheme, "http") == 0)
        how = BYLINE_WP_AUTHORIZE_RETURN_LOOPBACK;
      else
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                               _("Byline cannot hear back from your browser: it is not installed "
                                 "on this computer as the handler of its sign-in links. Create an "
                                 "Application Password in WordPress (Users, Profile) and sign in "
                                 "with it instead."));
          return NULL;
        }
    }

  self = g_object_new (BYLINE_TYPE_WP_AUTHORIZE, NULL);
  self->context = g_main_context_ref_thread_default ();
  self->how = how;
  self->path = g_strconcat ("/", token, NULL);
  if (how == BYLINE_WP_AUTHORIZE_RETURN_APP_URI)
    {
      self->callback_url = g_strconcat (byline_wp_authorize_get_uri_scheme (), "://",
                                        BYLINE_WP_AUTHORIZE_URI_HOST, self->path, NULL);
      awaiting_links = g_list_prepend (awaiting_links, self);
    }
  else if (!byline_wp_authorize_listen (self, error))
    return NULL;

  reject_url = g_strconcat (self->callback_url, "?success=false", NULL);
  app_name = g_strdup_printf ("Byline (%s)", g_get_host_name ());

  url = g_string_new (authorization_endpoint);
  append_param (url, "app_name", app_name);
  append_param (url, "app_id", BYLINE_WP_APP_ID);
  append_param (url, "success_url", self->callback_url);
  append_param (url, "reject_url", reject_url);
  self->url = g_string_free (url, FALSE);

  return g_steal_pointer (&self);
}

/* The loopback callback: a listener on 127.0.0.1 at a port the system picks. */
static gboolean
byline_wp_authorize_listen (BylineWpAuthorize  *self,
                            GError            **error)
{
  GSList *uris;
  int port = -1;

  self->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (self->server, NULL, byline_wp_authorize_handler, self, NULL);
  if (!soup_server_listen_local (self->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, error))
    return FALSE;
  uris = soup_server_get_uris (self->server);
  if (uris != NULL)
    port = g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  if (port <= 0)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                           _("Could not listen for the browser on this computer."));
      return FALSE;
    }
  self->callback_url = g_strdup_printf ("http://127.0.0.1:%d%s", port, self->path);
  return TRUE;
}

const char *
byline_wp_authorize_get_url (BylineWpAuthorize *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_AUTHORIZE (self), NULL);
  return self->url;
}

BylineWpAuthorizeReturn
byline_wp_authorize_get_return (BylineWpAuthorize *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_AUTHORIZE (self), BYLINE_WP_AUTHORIZE_RETURN_LOOPBACK);
  return self->how;
}

const char *
byline_wp_authorize_get_callback_url (BylineWpAuthorize *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_AUTHORIZE (self), NULL);
  return self->callback_url;
}

void
byline_wp_authorize_set_timeout (BylineWpAuthorize *self,
                                 guint              seconds)
{
  g_return_if_fail (BYLINE_IS_WP_AUTHORIZE (self));
  self->timeout_seconds = seconds;
}

void
byline_wp_authorize_wait_async (BylineWpAuthorize   *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (BYLINE_IS_WP_AUTHORIZE (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_wp_authorize_wait_async);
  if (self->waited)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "byline_wp_authorize_wait_async is called once");
      return;
    }
  self->waited = TRUE;
  self->task = g_steal_pointer (&task);

  if (self->settled)
    {
      byline_wp_authorize_schedule (self, byline_wp_authorize_settled_idle);
      return;
    }
  if (cancellable != NULL)
    {
      self->cancellable = g_object_ref (cancellable);
      self->cancelled_id = g_cancellable_connect (cancellable,
                                                  G_CALLBACK (byline_wp_authorize_cancelled_cb),
                                                  self, NULL);
    }
  self->timeout_source = g_timeout_source_new_seconds (self->timeout_seconds);
  g_source_set_callback (self->timeout_source, byline_wp_authorize_timeout_cb, self, NULL);
  g_source_set_static_name (self->timeout_source, "[byline] wp-authorize timeout");
  g_source_attach (self->timeout_source, self->context);
}

gboolean
byline_wp_authorize_wait_finish (BylineWpAuthorize  *self,
                                 GAsyncResult       *result,
                                 char              **user_login,
                                 char              **password,
                                 GError            **error)
{
  g_return_val_if_fail (BYLINE_IS_WP_AUTHORIZE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (user_login != NULL)
    *user_login = g_strdup (self->user_login);
  if (password != NULL)
    *password = g_strdup (self->password);
  return TRUE;
}
