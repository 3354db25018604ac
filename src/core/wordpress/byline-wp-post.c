/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-post.c: a WordPress post as the REST API returns it in edit context.
 *
 * The JSON comes from a server that may be misconfigured, proxied or hostile: every member is
 * checked for its type before it is read, and anything unexpected becomes an
 * INVALID_RESPONSE error rather than a warning or a crash. */

#define G_LOG_DOMAIN "byline-wp-post"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-wp-error.h"
#include "byline-wp-post.h"

struct _BylineWpPost
{
  GObject     parent_instance;

  JsonObject *json;
  char       *status;
  char       *title;
  char       *content;
  char       *excerpt;
  char       *slug;
  char       *generated_slug;
  char       *link;
  char       *date;
  char       *date_gmt;
  char       *modified_gmt;
  char       *comment_status;
  char       *author_name;
  GArray     *categories;
  GArray     *tags;

  gint64      id;
  gint64      featured_media;
  gint64      author;
};

G_DEFINE_FINAL_TYPE (BylineWpPost, byline_wp_post, G_TYPE_OBJECT)

static void
set_missing_error (GError    **error,
                   const char *what,
                   const char *member)
{
  g_set_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
               _("The site’s answer is not what Byline expected from WordPress: the %s has no "
                 "“%s”."),
               what, member);
}

static void
set_type_error (GError    **error,
                const char *what,
                const char *member,
                const char *expected)
{
  g_set_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
               _("The site’s answer is not what Byline expected from WordPress: the %s’s “%s” is "
                 "not %s."),
               what, member, expected);
}

/* The member's node, or NULL with *missing set (and an error when @required). */
static JsonNode *
lookup (JsonObject  *object,
        const char  *what,
        const char  *member,
        gboolean     required,
        gboolean    *missing,
        GError     **error)
{
  JsonNode *node = json_object_get_member (object, member);

  *missing = node == NULL;
  if (node == NULL && required)
    set_missing_error (error, what, member);
  return node;
}

static gboolean
node_is_int (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

gboolean
_byline_wp_json_get_int (JsonObject  *object,
                         const char  *what,
                         const char  *member,
                         gboolean     required,
                         gint64      *out,
                         GError     **error)
{
  gboolean missing;
  JsonNode *node = lookup (object, what, member, required, &missing, error);

  if (missing)
    return !required;
  if (!node_is_int (node))
    {
      set_type_error (error, what, member, _("a whole number"));
      return FALSE;
    }
  *out = json_node_get_int (node);
  return TRUE;
}

gboolean
_byline_wp_json_get_string (JsonObject  *object,
                            const char  *what,
                            const char  *member,
                            gboolean     required,
                            gboolean     nullable,
                            char       **out,
                            GError     **error)
{
  gboolean missing;
  JsonNode *node = lookup (object, what, member, required, &missing, error);

  if (missing)
    return !required;
  if (nullable && JSON_NODE_HOLDS_NULL (node))
    {
      g_free (*out);
      *out = g_strdup ("");
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      set_type_error (error, what, member, _("text"));
      return FALSE;
    }
  g_free (*out);
  *out = g_strdup (json_node_get_string (node));
  return TRUE;
}

gboolean
_byline_wp_json_get_bool (JsonObject  *object,
                          const char  *what,
                          const char  *member,
                          gboolean     required,
                          gboolean    *out,
                          GError     **error)
{
  gboolean missing;
  JsonNode *node = lookup (object, what, member, required, &missing, error);

  if (missing)
    return !required;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
    {
      set_type_error (error, what, member, _("true or false"));
      return FALSE;
    }
  *out = json_node_get_boolean (node);
  return TRUE;
}

gboolean
_byline_wp_json_get_id_array (JsonObject  *object,
                              const char  *what,
                              const char  *member,
                              gboolean     required,
                              GArray     **out,
                              GError     **error)
{
  gboolean missing;
  JsonNode *node = lookup (object, what, member, required, &missing, error);
  g_autoptr(GArray) ids = NULL;
  JsonArray *array;
  guint n;

  if (missing)
    return !required;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      set_type_error (error, what, member, _("a list of numbers"));
      return FALSE;
    }

  array = json_node_get_array (node);
  n = json_array_get_length (array);
  ids = g_array_sized_new (FALSE, FALSE, sizeof (gint64), n);
  for (guint i = 0; i < n; i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      gint64 id;

      if (!node_is_int (element))
        {
          set_type_error (error, what, member, _("a list of numbers"));
          return FALSE;
        }
      id = json_node_get_int (element);
      g_array_append_val (ids, id);
    }

  g_clear_pointer (out, g_array_unref);
  *out = g_steal_pointer (&ids);
  return TRUE;
}

JsonObject *
_byline_wp_json_expect_object (JsonNode    *node,
                               const char  *what,
                               GError     **error)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                   _("The site’s answer is not what Byline expected from WordPress: it is not a "
                     "%s."),
                   what);
      return NULL;
    }
  return json_node_get_object (node);
}

/* Reads @member.raw, where WordPress keeps the text as written in edit context. */
static gboolean
get_raw (JsonObject  *object,
         const char  *member,
         gboolean     required,
         char       **out,
         GError     **error)
{
  g_autofree char *path = g_strdup_printf ("%s.raw", member);
  JsonNode *node = json_object_get_member (object, member);
  JsonNode *raw;

  if (node == NULL)
    {
      if (required)
        set_missing_error (error, _("post"), path);
      return !required;
    }
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      set_type_error (error, _("post"), member, _("an object with a “raw” text"));
      return FALSE;
    }

  /* An object without raw: the post was read in view context, which Byline never asks for. */
  raw = json_object_get_member (json_node_get_object (node), "raw");
  if (raw == NULL)
    {
      set_missing_error (error, _("post"), path);
      return FALSE;
    }
  if (!JSON_NODE_HOLDS_VALUE (raw) || json_node_get_value_type (raw) != G_TYPE_STRING)
    {
      set_type_error (error, _("post"), path, _("text"));
      return FALSE;
    }
  g_free (*out);
  *out = g_strdup (json_node_get_string (raw));
  return TRUE;
}

static void
byline_wp_post_finalize (GObject *object)
{
  BylineWpPost *self = BYLINE_WP_POST (object);

  g_clear_pointer (&self->json, json_object_unref);
  g_free (self->status);
  g_free (self->title);
  g_free (self->content);
  g_free (self->excerpt);
  g_free (self->slug);
  g_free (self->generated_slug);
  g_free (self->link);
  g_free (self->date);
  g_free (self->date_gmt);
  g_free (self->modified_gmt);
  g_free (self->comment_status);
  g_free (self->author_name);
  g_clear_pointer (&self->categories, g_array_unref);
  g_clear_pointer (&self->tags, g_array_unref);

  G_OBJECT_CLASS (byline_wp_post_parent_class)->finalize (object);
}

static void
byline_wp_post_class_init (BylineWpPostClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = byline_wp_post_finalize;
}

static void
byline_wp_post_init (BylineWpPost *self)
{
  self->excerpt = g_strdup ("");
  self->generated_slug = g_strdup ("");
  self->date_gmt = g_strdup ("");
  self->comment_status = g_strdup ("");
  self->author_name = g_strdup ("");
  self->categories = g_array_new (FALSE, FALSE, sizeof (gint64));
  self->tags = g_array_new (FALSE, FALSE, sizeof (gint64));
}

/* What WordPress embeds is a courtesy: missing, refused (an error object in place of the user)
 * or of another shape, it leaves the name empty. */
static void
read_embedded_author_name (BylineWpPost *self,
                           JsonObject   *object)
{
  JsonNode *embedded = json_object_get_member (object, "_embedded");
  JsonNode *authors, *author, *name;

  if (embedded == NULL || !JSON_NODE_HOLDS_OBJECT (embedded))
    return;
  authors = json_object_get_member (json_node_get_object (embedded), "author");
  if (authors == NULL || !JSON_NODE_HOLDS_ARRAY (authors)
      || json_array_get_length (json_node_get_array (authors)) == 0)
    return;
  author = json_array_get_element (json_node_get_array (authors), 0);
  if (!JSON_NODE_HOLDS_OBJECT (author))
    return;
  name = json_object_get_member (json_node_get_object (author), "name");
  if (name == NULL || !JSON_NODE_HOLDS_VALUE (name)
      || json_node_get_value_type (name) != G_TYPE_STRING)
    return;
  g_free (self->author_name);
  self->author_name = g_strdup (json_node_get_string (name));
}

BylineWpPost *
byline_wp_post_new_from_json (JsonNode  *node,
                              GError   **error)
{
  g_autoptr(BylineWpPost) self = NULL;
  const char *what = _("post");
  JsonObject *object;

  object = _byline_wp_json_expect_object (node, what, error);
  if (object == NULL)
    return NULL;

  self = g_object_new (BYLINE_TYPE_WP_POST, NULL);
  self->json = json_object_ref (object);

  if (!_byline_wp_json_get_int (object, what, "id", TRUE, &self->id, error)
      || !_byline_wp_json_get_string (object, what, "status", TRUE, FALSE, &self->status, error)
      || !get_raw (object, "title", TRUE, &self->title, error)
      || !get_raw (object, "content", TRUE, &self->content, error)
      || !get_raw (object, "excerpt", FALSE, &self->excerpt, error)
      || !_byline_wp_json_get_string (object, what, "slug", TRUE, FALSE, &self->slug, error)
      || !_byline_wp_json_get_string (object, what, "generated_slug", FALSE, FALSE,
                                      &self->generated_slug, error)
      || !_byline_wp_json_get_string (object, what, "link", TRUE, FALSE, &self->link, error)
      || !_byline_wp_json_get_string (object, what, "date", TRUE, TRUE, &self->date, error)
      || !_byline_wp_json_get_string (object, what, "date_gmt", FALSE, TRUE, &self->date_gmt, error)
      || !_byline_wp_json_get_string (object, what, "modified_gmt", TRUE, FALSE,
                                      &self->modified_gmt, error)
      || !_byline_wp_json_get_id_array (object, what, "categories", FALSE, &self->categories, error)
      || !_byline_wp_json_get_id_array (object, what, "tags", FALSE, &self->tags, error)
      || !_byline_wp_json_get_int (object, what, "featured_media", FALSE, &self->featured_media,
                                   error)
      || !_byline_wp_json_get_string (object, what, "comment_status", FALSE, FALSE,
                                      &self->comment_status, error)
      || !_byline_wp_json_get_int (object, what, "author", FALSE, &self->author, error))
    return NULL;

  if (self->id <= 0)
    {
      set_type_error (error, what, "id", _("a positive number"));
      return NULL;
    }
  read_embedded_author_name (self, object);

  return g_steal_pointer (&self);
}

gint64
byline_wp_post_get_id (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), 0);
  return self->id;
}

const char *
byline_wp_post_get_status (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), NULL);
  return self->status;
}

const char *
byline_wp_post_get_title (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), NULL);
  return self->title;
}

const char *
byline_wp_post_get_content (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), NULL);
  return self->content;
}

const char *
byline_wp_post_get_excerpt (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), NULL);
  return self->excerpt;
}

const char *
byline_wp_post_get_slug (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), NULL);
  return self->slug;
}

const char *
byline_wp_post_get_generated_slug (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), NULL);
  return self->generated_slug;
}

const char *
byline_wp_post_get_link (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), NULL);
  return self->link;
}

const char *
byline_wp_post_get_date (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), NULL);
  return self->date;
}

const char *
byline_wp_post_get_date_gmt (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), NULL);
  return self->date_gmt;
}

const char *
byline_wp_post_get_modified_gmt (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), NULL);
  return self->modified_gmt;
}

GArray *
byline_wp_post_get_categories (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), NULL);
  return self->categories;
}

GArray *
byline_wp_post_get_tags (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), NULL);
  return self->tags;
}

gint64
byline_wp_post_get_featured_media (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), 0);
  return self->featured_media;
}

const char *
byline_wp_post_get_comment_status (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), NULL);
  return self->comment_status;
}

gint64
byline_wp_post_get_author (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), 0);
  return self->author;
}

const char *
byline_wp_post_get_author_name (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), "");
  return self->author_name;
}

JsonObject *
byline_wp_post_get_json (BylineWpPost *self)
{
  g_return_val_if_fail (BYLINE_IS_WP_POST (self), NULL);
  return self->json;
}
