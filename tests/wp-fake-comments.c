/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wp-fake-comments.c: the comment routes of a WordPress site, for wp-fault-server.
 *
 * Runs in the server's thread; the test reads it from its own, so everything is under a lock. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "wp-fake-comments.h"

#define PREFIX "/wp-json/wp/v2/"
#define JSON_TYPE "application/json; charset=UTF-8"

typedef struct {
  gint64  id;
  gint64  post;
  gint64  parent;
  gint64  author;
  char   *author_name;
  char   *status;
  char   *before_status;   /* what untrash/unspam go back to */
  char   *raw;
  guint   minute;
  guint   n_applied;
} FakeComment;

struct _FakeComments
{
  WpFaultServer *server;
  GMutex         lock;
  GPtrArray     *comments;   /* FakeComment, by id ascending */
  GHashTable    *posts;      /* post id (gint64 *) → title */
  guint          delay_ms;
  gboolean       page_overlap;
};

static void
fake_comment_free (FakeComment *c)
{
  g_free (c->author_name);
  g_free (c->status);
  g_free (c->before_status);
  g_free (c->raw);
  g_free (c);
}

static FakeComment *
find (FakeComments *self,
      gint64        id)
{
  for (guint i = 0; i < self->comments->len; i++)
    {
      FakeComment *c = g_ptr_array_index (self->comments, i);
      if (c->id == id)
        return c;
    }
  return NULL;
}

static char *
date_of (guint minute)
{
  g_autoptr(GDateTime) start = g_date_time_new_utc (2026, 1, 1, 0, 0, 0);
  g_autoptr(GDateTime) date = g_date_time_add_minutes (start, minute);

  return g_date_time_format (date, "%Y-%m-%dT%H:%M:%S");
}

static void
add_comment_json (FakeComments *self,
                  JsonBuilder  *b,
                  FakeComment  *c)
{
  g_autofree char *date = date_of (c->minute);
  g_autofree char *email = g_strdup_printf ("%s@example.invalid", c->author_name);
  g_autofree char *rendered = g_strdup_printf ("<p>%s</p>\n", c->raw);
  g_autofree char *link = g_strdup_printf ("%s/?p=%lld#comment-%lld",
                                           wp_fault_server_get_url (self->server),
                                           (long long) c->post, (long long) c->id);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_int_value (b, c->id);
  json_builder_set_member_name (b, "post");
  json_builder_add_int_value (b, c->post);
  json_builder_set_member_name (b, "parent");
  json_builder_add_int_value (b, c->parent);
  json_builder_set_member_name (b, "author");
  json_builder_add_int_value (b, c->author);
  json_builder_set_member_name (b, "author_name");
  json_builder_add_string_value (b, c->author_name);
  json_builder_set_member_name (b, "author_email");
  json_builder_add_string_value (b, email);
  json_builder_set_member_name (b, "author_url");
  json_builder_add_string_value (b, "");
  json_builder_set_member_name (b, "author_ip");
  json_builder_add_string_value (b, "127.0.0.1");
  json_builder_set_member_name (b, "date");
  json_builder_add_string_value (b, date);
  json_builder_set_member_name (b, "date_gmt");
  json_builder_add_string_value (b, date);
  json_builder_set_member_name (b, "content");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "rendered");
  json_builder_add_string_value (b, rendered);
  json_builder_set_member_name (b, "raw");
  json_builder_add_string_value (b, c->raw);
  json_builder_end_object (b);
  json_builder_set_member_name (b, "link");
  json_builder_add_string_value (b, link);
  json_builder_set_member_name (b, "status");
  json_builder_add_string_value (b, c->status);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, "comment");
  json_builder_end_object (b);
}

static char *
builder_string (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static char *
comment_json (FakeComments *self,
              FakeComment  *c)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  add_comment_json (self, b, c);
  return builder_string (b);
}

static WpFaultResponse *
answer (FakeComments *self,
        guint         status,
        const char   *body)
{
  WpFaultResponse *response = wp_fault_response_new (status, JSON_TYPE, body);

  if (self->delay_ms > 0)
    wp_fault_response_set_delay (response, self->delay_ms);
  return response;
}

static WpFaultResponse *
error_answer (FakeComments *self,
              guint         status,
              const char   *code,
              const char   *message)
{
  g_autofree char *body = g_strdup_printf ("{\"code\":\"%s\",\"message\":\"%s\","
                                           "\"data\":{\"status\":%u}}", code, message, status);
  return answer (self, status, body);
}

static gboolean
status_matches (const char *filter,
                const char *status)
{
  if (filter == NULL || g_str_equal (filter, "approve"))
    return g_str_equal (status, "approved");
  if (g_str_equal (filter, "any"))
    return TRUE;
  if (g_str_equal (filter, "all"))
    return g_str_equal (status, "approved") || g_str_equal (status, "hold");
  return g_str_equal (filter, status);
}

static gboolean
in_list (const char *list,
         gint64      id)
{
  g_auto(GStrv) parts = g_strsplit (list, ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    if (g_ascii_strtoll (parts[i], NULL, 10) == id)
      return TRUE;
  return FALSE;
}

static WpFaultResponse *
list_comments (FakeComments *self,
               GHashTable   *params)
{
  const char *status = g_hash_table_lookup (params, "status");
  const char *include = g_hash_table_lookup (params, "include");
  const char *after = g_hash_table_lookup (params, "after");
  const char *post = g_hash_table_lookup (params, "post");
  const char *parent = g_hash_table_lookup (params, "parent");
  const char *search = g_hash_table_lookup (params, "search");
  const char *per_page_text = g_hash_table_lookup (params, "per_page");
  const char *page_text = g_hash_table_lookup (params, "page");
  guint per_page = per_page_text ? atoi (per_page_text) : 10;
  guint page = page_text ? atoi (page_text) : 1;
  g_autoptr(GPtrArray) matching = g_ptr_array_new ();
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *body = NULL, *total = NULL, *pages = NULL;
  WpFaultResponse *response;
  guint start;

  if (per_page < 1 || per_page > 100 || page < 1)
    return error_answer (self, 400, "rest_invalid_param", "Invalid parameter(s): per_page");
  for (guint i = 0; i < self->comments->len; i++)
    {
      FakeComment *c = g_ptr_array_index (self->comments, i);
      g_autofree char *date = date_of (c->minute);

      if (!status_matches (status, c->status) ||
          (include && !in_list (include, c->id)) ||
          (after && strcmp (date, after) <= 0) ||
          (post && g_ascii_strtoll (post, NULL, 10) != c->post) ||
          (parent && g_ascii_strtoll (parent, NULL, 10) != c->parent) ||
          (search && !strstr (c->raw, search)))
        continue;
      g_ptr_array_add (matching, c);
    }

  start = (page - 1) * per_page;
  json_builder_begin_array (b);
  for (guint i = self->page_overlap && page > 1 ? start - 1 : start;
       i < matching->len && i < start + per_page; i++)
    add_comment_json (self, b, g_ptr_array_index (matching, i));
  json_builder_end_array (b);
  body = builder_string (b);

  response = answer (self, 200, body);
  total = g_strdup_printf ("%u", matching->len);
  pages = g_strdup_printf ("%u", (matching->len + per_page - 1) / per_page);
  wp_fault_response_add_header (response, "X-WP-Total", total);
  wp_fault_response_add_header (response, "X-WP-TotalPages", pages);
  return response;
}

static void
set_status (FakeComment *c,
            const char  *status)
{
  if (g_str_equal (c->status, status))
    return;
  if (g_str_equal (status, "trash") || g_str_equal (status, "spam"))
    {
      g_free (c->before_status);
      c->before_status = g_strdup (c->status);
    }
  g_free (c->status);
  c->status = g_strdup (status);
  c->n_applied++;
}

static WpFaultResponse *
update_comment (FakeComments *self,
                FakeComment  *c,
                JsonObject   *body)
{
  g_autofree char *json = NULL;

  if (body && json_object_has_member (body, "status"))
    {
      const char *wanted = json_object_get_string_member_with_default (body, "status", "");

      if (g_str_equal (wanted, "approved") || g_str_equal (wanted, "approve") ||
          g_str_equal (wanted, "1"))
        set_status (c, "approved");
      else if (g_str_equal (wanted, "hold") || g_str_equal (wanted, "0"))
        set_status (c, "hold");
      else if (g_str_equal (wanted, "spam") || g_str_equal (wanted, "trash"))
        set_status (c, wanted);
      else if ((g_str_equal (wanted, "untrash") && g_str_equal (c->status, "trash")) ||
               (g_str_equal (wanted, "unspam") && g_str_equal (c->status, "spam")))
        set_status (c, c->before_status ? c->before_status : "hold");
      /* Anything else is ignored, with 200, as WordPress does. */
    }
  if (body && json_object_has_member (body, "content"))
    {
      const char *content = json_object_get_string_member_with_default (body, "content", "");

      if (!g_str_equal (content, c->raw))
        {
          g_free (c->raw);
          c->raw = g_strdup (content);
          c->n_applied++;
        }
    }
  json = comment_json (self, c);
  return answer (self, 200, json);
}

static WpFaultResponse *
create_comment (FakeComments *self,
                JsonObject   *body)
{
  const char *content = body ? json_object_get_string_member_with_default (body, "content", "")
                             : "";
  gint64 post = body ? json_object_get_int_member_with_default (body, "post", 0) : 0;
  FakeComment *c, *last;
  g_autofree char *json = NULL;
  WpFaultResponse *response;

  if (content[0] == '\0')
    return error_answer (self, 400, "rest_comment_content_invalid", "Invalid comment content.");
  for (guint i = 0; i < self->comments->len; i++)
    {
      FakeComment *other = g_ptr_array_index (self->comments, i);

      if (other->post == post && other->author == 1 && g_str_equal (other->raw, content))
        return error_answer (self, 409, "comment_duplicate",
                             "Duplicate comment detected; it looks as though you&#8217;ve "
                             "already said that!");
    }
  last = self->comments->len ? g_ptr_array_index (self->comments, self->comments->len - 1) : NULL;
  c = g_new0 (FakeComment, 1);
  c->id = last ? last->id + 1 : 1;
  c->post = post;
  c->parent = json_object_get_int_member_with_default (body, "parent", 0);
  c->author = 1;
  c->author_name = g_strdup ("Editor");
  c->status = g_strdup ("approved");
  c->raw = g_strdup (content);
  c->minute = last ? last->minute + 1 : 0;
  c->n_applied = 1;
  g_ptr_array_add (self->comments, c);
  json = comment_json (self, c);
  response = answer (self, 201, json);
  return response;
}

static WpFaultResponse *
list_posts (FakeComments *self,
            GHashTable   *params)
{
  const char *include = g_hash_table_lookup (params, "include");
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *body = NULL;
  GHashTableIter iter;
  gpointer key, value;

  json_builder_begin_array (b);
  g_hash_table_iter_init (&iter, self->posts);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 id = *(gint64 *) key;
      g_autofree char *link = g_strdup_printf ("%s/?p=%lld", wp_fault_server_get_url (self->server),
                                               (long long) id);

      if (include && !in_list (include, id))
        continue;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_int_value (b, id);
      json_builder_set_member_name (b, "title");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "rendered");
      json_builder_add_string_value (b, value);
      json_builder_end_object (b);
      json_builder_set_member_name (b, "link");
      json_builder_add_string_value (b, link);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  body = builder_string (b);
  return answer (self, 200, body);
}

static WpFaultResponse *
site (const WpFaultRequest *request,
      gpointer              user_data)
{
  FakeComments *self = user_data;
  g_autoptr(GHashTable) params = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *body = NULL;
  const char *route;
  gsize len = 0;
  const char *data = request->body ? g_bytes_get_data (request->body, &len) : NULL;
  WpFaultResponse *response = NULL;

  if (!g_str_has_prefix (request->path, PREFIX))
    return NULL;
  route = request->path + strlen (PREFIX);
  params = request->query ? g_uri_parse_params (request->query, -1, "&", G_URI_PARAMS_NONE, NULL)
                          : NULL;
  if (params == NULL)
    params = g_hash_table_new (g_str_hash, g_str_equal);
  if (len > 0)
    {
      if (!json_parser_load_from_data (parser, data, len, NULL) ||
          !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        return error_answer (self, 400, "rest_invalid_json", "Invalid JSON body passed.");
      body = json_node_get_object (json_parser_get_root (parser));
    }

  g_mutex_lock (&self->lock);
  if (g_str_equal (route, "comments"))
    {
      if (g_str_equal (request->method, "GET"))
        response = list_comments (self, params);
      else if (g_str_equal (request->method, "POST"))
        response = create_comment (self, body);
    }
  else if (g_str_equal (route, "posts") && g_str_equal (request->method, "GET"))
    response = list_posts (self, params);
  else if (g_str_has_prefix (route, "comments/"))
    {
      gint64 id = g_ascii_strtoll (route + strlen ("comments/"), NULL, 10);
      FakeComment *c = find (self, id);
      const char *force = g_hash_table_lookup (params, "force");

      if (c == NULL)
        response = error_answer (self, 404, "rest_comment_invalid_id", "Invalid comment ID.");
      else if (g_str_equal (request->method, "POST"))
        response = update_comment (self, c, body);
      else if (g_str_equal (request->method, "DELETE") && force &&
               (g_str_equal (force, "true") || g_str_equal (force, "1")))
        {
          g_autofree char *previous = comment_json (self, c);
          g_autofree char *json = g_strdup_printf ("{\"deleted\":true,\"previous\":%s}", previous);

          g_ptr_array_remove (self->comments, c);
          response = answer (self, 200, json);
        }
      else if (g_str_equal (request->method, "DELETE"))
        {
          if (g_str_equal (c->status, "trash"))
            response = error_answer (self, 410, "rest_already_trashed",
                                     "The comment has already been trashed.");
          else
            {
              g_autofree char *json = NULL;

              set_status (c, "trash");
              json = comment_json (self, c);
              response = answer (self, 200, json);
            }
        }
      else if (g_str_equal (request->method, "GET"))
        {
          g_autofree char *json = comment_json (self, c);
          response = answer (self, 200, json);
        }
    }
  g_mutex_unlock (&self->lock);
  return response;
}

FakeComments *
fake_comments_new (WpFaultServer *server)
{
  FakeComments *self = g_new0 (FakeComments, 1);

  self->server = server;
  g_mutex_init (&self->lock);
  self->comments = g_ptr_array_new_with_free_func ((GDestroyNotify) fake_comment_free);
  self->posts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  wp_fault_server_set_site (server, site, self);
  return self;
}

/* Free after the server: its thread may still call in. */
void
fake_comments_free (FakeComments *self)
{
  g_ptr_array_unref (self->comments);
  g_hash_table_unref (self->posts);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
fake_comments_set_delay (FakeComments *self,
                         guint         delay_ms)
{
  g_mutex_lock (&self->lock);
  self->delay_ms = delay_ms;
  g_mutex_unlock (&self->lock);
}

void
fake_comments_set_page_overlap (FakeComments *self,
                                gboolean      overlap)
{
  g_mutex_lock (&self->lock);
  self->page_overlap = overlap;
  g_mutex_unlock (&self->lock);
}

void
fake_comments_add (FakeComments *self,
                   gint64        id,
                   gint64        post,
                   const char   *status,
                   const char   *author_name,
                   guint         minute)
{
  FakeComment *c = g_new0 (FakeComment, 1);

  c->id = id;
  c->post = post;
  c->author_name = g_strdup (author_name);
  c->status = g_strdup (status);
  c->raw = g_strdup_printf ("Comment %lld by %s.", (long long) id, author_name);
  c->minute = minute;
  g_mutex_lock (&self->lock);
  g_ptr_array_add (self->comments, c);
  g_mutex_unlock (&self->lock);
}

void
fake_comments_add_post (FakeComments *self,
                        gint64        id,
                        const char   *title)
{
  g_mutex_lock (&self->lock);
  g_hash_table_insert (self->posts, g_memdup2 (&id, sizeof id), g_strdup (title));
  g_mutex_unlock (&self->lock);
}

void
fake_comments_set_status (FakeComments *self,
                          gint64        id,
                          const char   *status)
{
  FakeComment *c;

  g_mutex_lock (&self->lock);
  if ((c = find (self, id)))
    {
      g_free (c->status);
      c->status = g_strdup (status);
    }
  g_mutex_unlock (&self->lock);
}

void
fake_comments_delete (FakeComments *self,
                      gint64        id)
{
  FakeComment *c;

  g_mutex_lock (&self->lock);
  if ((c = find (self, id)))
    g_ptr_array_remove (self->comments, c);
  g_mutex_unlock (&self->lock);
}

char *
fake_comments_dup_status (FakeComments *self,
                          gint64        id)
{
  FakeComment *c;
  char *status = NULL;

  g_mutex_lock (&self->lock);
  if ((c = find (self, id)))
    status = g_strdup (c->status);
  g_mutex_unlock (&self->lock);
  return status;
}

char *
fake_comments_dup_raw (FakeComments *self,
                       gint64        id)
{
  FakeComment *c;
  char *raw = NULL;

  g_mutex_lock (&self->lock);
  if ((c = find (self, id)))
    raw = g_strdup (c->raw);
  g_mutex_unlock (&self->lock);
  return raw;
}

guint
fake_comments_get_n_applied (FakeComments *self,
                             gint64        id)
{
  FakeComment *c;
  guint n = 0;

  g_mutex_lock (&self->lock);
  if ((c = find (self, id)))
    n = c->n_applied;
  g_mutex_unlock (&self->lock);
  return n;
}

char *
fake_comments_dup_json (FakeComments *self,
                        gint64        id)
{
  FakeComment *c;
  char *json = NULL;

  g_mutex_lock (&self->lock);
  if ((c = find (self, id)))
    json = comment_json (self, c);
  g_mutex_unlock (&self->lock);
  return json;
}

GArray *
fake_comments_list_replies (FakeComments *self,
                            gint64        parent)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  g_mutex_lock (&self->lock);
  for (guint i = 0; i < self->comments->len; i++)
    {
      FakeComment *c = g_ptr_array_index (self->comments, i);
      if (c->parent == parent)
        g_array_append_val (ids, c->id);
    }
  g_mutex_unlock (&self->lock);
  return ids;
}

guint
fake_comments_get_n (FakeComments *self)
{
  guint n;

  g_mutex_lock (&self->lock);
  n = self->comments->len;
  g_mutex_unlock (&self->lock);
  return n;
}
