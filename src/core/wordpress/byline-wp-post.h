/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-post.h: a WordPress post as the REST API returns it in edit context. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define BYLINE_TYPE_WP_POST (byline_wp_post_get_type ())
G_DECLARE_FINAL_TYPE (BylineWpPost, byline_wp_post, BYLINE, WP_POST, GObject)

/* Reads a post from @node, a JSON object in edit context (the answer of GET ?context=edit, of a
 * create or of an update). id, status, title.raw, content.raw, slug, link, date and modified_gmt
 * must be there. The fields a post type can switch off (excerpt, generated_slug, date_gmt,
 * categories, tags, featured_media, comment_status, author) may be missing; they then read as
 * empty or 0. A field present with the wrong type is an error either way:
 * BYLINE_WP_ERROR_INVALID_RESPONSE, with a message naming the field. */
BylineWpPost *byline_wp_post_new_from_json       (JsonNode      *node,
                                                  GError       **error);

gint64        byline_wp_post_get_id              (BylineWpPost  *self);
/* "publish", "future", "draft", "pending", "private", "trash", or a plugin's own. */
const char   *byline_wp_post_get_status          (BylineWpPost  *self);
/* The raw fields, as the editor wrote them (not rendered). */
const char   *byline_wp_post_get_title           (BylineWpPost  *self);
const char   *byline_wp_post_get_content         (BylineWpPost  *self);
const char   *byline_wp_post_get_excerpt         (BylineWpPost  *self);
/* Empty for a draft that was never given one; generated_slug is what publishing would use. */
const char   *byline_wp_post_get_slug            (BylineWpPost  *self);
const char   *byline_wp_post_get_generated_slug  (BylineWpPost  *self);
const char   *byline_wp_post_get_link            (BylineWpPost  *self);
/* "YYYY-MM-DDTHH:MM:SS" with no zone: date in the site's time, the others in UTC. date_gmt
 * may be empty (WordPress sends null for some drafts). Compare modified_gmt for equality only. */
const char   *byline_wp_post_get_date            (BylineWpPost  *self);
const char   *byline_wp_post_get_date_gmt        (BylineWpPost  *self);
const char   *byline_wp_post_get_modified_gmt    (BylineWpPost  *self);
/* Term ids (gint64); never NULL. */
GArray       *byline_wp_post_get_categories      (BylineWpPost  *self);
GArray       *byline_wp_post_get_tags            (BylineWpPost  *self);
gint64        byline_wp_post_get_featured_media  (BylineWpPost  *self);
/* "open" or "closed", or empty when comments are switched off for the post type. */
const char   *byline_wp_post_get_comment_status  (BylineWpPost  *self);
gint64        byline_wp_post_get_author          (BylineWpPost  *self);
/* The author's display name when the post was read with its author embedded (_embed=author),
 * else "". */
const char   *byline_wp_post_get_author_name     (BylineWpPost  *self);
/* The whole object the post was read from, for the fields not above. */
JsonObject   *byline_wp_post_get_json            (BylineWpPost  *self);

/* Typed reads from WordPress's JSON, shared by the client. Each sets
 * BYLINE_WP_ERROR_INVALID_RESPONSE naming @what (e.g. "post") and the member when the member is
 * missing (unless @required is FALSE: then *out is left as it was) or of the wrong type. */
gboolean      _byline_wp_json_get_int            (JsonObject    *object,
                                                  const char    *what,
                                                  const char    *member,
                                                  gboolean       required,
                                                  gint64        *out,
                                                  GError       **error);
/* A string, or with @nullable a JSON null (read as ""). *out is newly allocated. */
gboolean      _byline_wp_json_get_string         (JsonObject    *object,
                                                  const char    *what,
                                                  const char    *member,
                                                  gboolean       required,
                                                  gboolean       nullable,
                                                  char         **out,
                                                  GError       **error);
gboolean      _byline_wp_json_get_bool           (JsonObject    *object,
                                                  const char    *what,
                                                  const char    *member,
                                                  gboolean       required,
                                                  gboolean      *out,
                                                  GError       **error);
/* An array of integers, as a GArray of gint64. */
gboolean      _byline_wp_json_get_id_array       (JsonObject    *object,
                                                  const char    *what,
                                                  const char    *member,
                                                  gboolean       required,
                                                  GArray       **out,
                                                  GError       **error);
/* @node as an object, or an INVALID_RESPONSE error saying that it is not @what. */
JsonObject   *_byline_wp_json_expect_object      (JsonNode      *node,
                                                  const char    *what,
                                                  GError       **error);

G_END_DECLS
