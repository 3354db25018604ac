/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-wp-post.c: feeds bytes as a WordPress site's answer to a post request, through the
 * client's own answer reading (its size limit, depth limit and json-glib parser) and then
 * byline_wp_post_new_from_json, for one post, a list of them, or a deleted post's "previous".
 *
 * Invariants: a refusal is a BYLINE_WP_ERROR with a human message (non-empty, valid UTF-8); a
 * post that was read, written out again (from its getters, and from the JSON object it keeps)
 * and read back the same way, is the same post, field by field. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "byline-wp-post.h"
#include "fuzz-target.h"
#include "fuzz-wp-read-answer.h"

static void
assert_human_error (const GError *error)
{
  g_assert_nonnull (error);
  g_assert_nonnull (error->message);
  g_assert_cmpuint (strlen (error->message), >, 0);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
add_raw (JsonObject *object,
         const char *member,
         const char *raw)
{
  JsonObject *part = json_object_new ();

  json_object_set_string_member (part, "raw", raw);
  json_object_set_object_member (object, member, part);
}

static void
add_ids (JsonObject *object,
         const char *member,
         GArray     *ids)
{
  JsonArray *array = json_array_new ();

  for (guint i = 0; i < ids->len; i++)
    json_array_add_int_element (array, g_array_index (ids, gint64, i));
  json_object_set_array_member (object, member, array);
}

/* The post as WordPress would send it, from what the reader kept of it. */
static JsonNode *
post_to_json (BylineWpPost *post)
{
  JsonObject *object = json_object_new ();
  JsonNode *node = json_node_init_object (json_node_alloc (), object);

  json_object_set_int_member (object, "id", byline_wp_post_get_id (post));
  json_object_set_string_member (object, "status", byline_wp_post_get_status (post));
  add_raw (object, "title", byline_wp_post_get_title (post));
  add_raw (object, "content", byline_wp_post_get_content (post));
  add_raw (object, "excerpt", byline_wp_post_get_excerpt (post));
  json_object_set_string_member (object, "slug", byline_wp_post_get_slug (post));
  json_object_set_string_member (object, "generated_slug",
                                 byline_wp_post_get_generated_slug (post));
  json_object_set_string_member (object, "link", byline_wp_post_get_link (post));
  json_object_set_string_member (object, "date", byline_wp_post_get_date (post));
  json_object_set_string_member (object, "date_gmt", byline_wp_post_get_date_gmt (post));
  json_object_set_string_member (object, "modified_gmt", byline_wp_post_get_modified_gmt (post));
  add_ids (object, "categories", byline_wp_post_get_categories (post));
  add_ids (object, "tags", byline_wp_post_get_tags (post));
  json_object_set_int_member (object, "featured_media", byline_wp_post_get_featured_media (post));
  json_object_set_string_member (object, "comment_status",
                                 byline_wp_post_get_comment_status (post));
  json_object_set_int_member (object, "author", byline_wp_post_get_author (post));
  if (*byline_wp_post_get_author_name (post) != '\0')
    {
      JsonObject *embedded = json_object_new ();
      JsonArray *authors = json_array_new ();
      JsonObject *author = json_object_new ();

      json_object_set_string_member (author, "name", byline_wp_post_get_author_name (post));
      json_array_add_object_element (authors, author);
      json_object_set_array_member (embedded, "author", authors);
      json_object_set_object_member (object, "_embedded", embedded);
    }
  return node;
}

static void
assert_same_ids (GArray *a,
                 GArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    g_assert_cmpint (g_array_index (a, gint64, i), ==, g_array_index (b, gint64, i));
}

static void
assert_same_post (BylineWpPost *a,
                  BylineWpPost *b)
{
  g_assert_cmpint (byline_wp_post_get_id (a), ==, byline_wp_post_get_id (b));
  g_assert_cmpstr (byline_wp_post_get_status (a), ==, byline_wp_post_get_status (b));
  g_assert_cmpstr (byline_wp_post_get_title (a), ==, byline_wp_post_get_title (b));
  g_assert_cmpstr (byline_wp_post_get_content (a), ==, byline_wp_post_get_content (b));
  g_assert_cmpstr (byline_wp_post_get_excerpt (a), ==, byline_wp_post_get_excerpt (b));
  g_assert_cmpstr (byline_wp_post_get_slug (a), ==, byline_wp_post_get_slug (b));
  g_assert_cmpstr (byline_wp_post_get_generated_slug (a), ==,
                   byline_wp_post_get_generated_slug (b));
  g_assert_cmpstr (byline_wp_post_get_link (a), ==, byline_wp_post_get_link (b));
  g_assert_cmpstr (byline_wp_post_get_date (a), ==, byline_wp_post_get_date (b));
  g_assert_cmpstr (byline_wp_post_get_date_gmt (a), ==, byline_wp_post_get_date_gmt (b));
  g_assert_cmpstr (byline_wp_post_get_modified_gmt (a), ==, byline_wp_post_get_modified_gmt (b));
  assert_same_ids (byline_wp_post_get_categories (a), byline_wp_post_get_categories (b));
  assert_same_ids (byline_wp_post_get_tags (a), byline_wp_post_get_tags (b));
  g_assert_cmpint (byline_wp_post_get_featured_media (a), ==,
                   byline_wp_post_get_featured_media (b));
  g_assert_cmpstr (byline_wp_post_get_comment_status (a), ==,
                   byline_wp_post_get_comment_status (b));
  g_assert_cmpint (byline_wp_post_get_author (a), ==, byline_wp_post_get_author (b));
  g_assert_cmpstr (byline_wp_post_get_author_name (a), ==, byline_wp_post_get_author_name (b));
}

/* @node written out as text, and read back through the client as @post must be again. */
static void
assert_reads_back (BylineWpPost *post,
                   JsonNode     *node)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(BylineWpPost) post_again = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize length;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  again = fuzz_read_ok_answer (text, length, &error);
  g_assert_no_error (error);
  post_again = byline_wp_post_new_from_json (again, &error);
  g_assert_no_error (error);
  assert_same_post (post, post_again);
}

static void
check_post (JsonNode *node)
{
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(JsonNode) kept = NULL;

  post = byline_wp_post_new_from_json (node, &error);
  if (post == NULL)
    {
      g_assert_true (g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE));
      assert_human_error (error);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpint (byline_wp_post_get_id (post), >, 0);

  written = post_to_json (post);
  assert_reads_back (post, written);

  kept = json_node_init_object (json_node_alloc (), byline_wp_post_get_json (post));
  assert_reads_back (post, kept);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  /* The client stops reading an answer at this size. */
  if (size > BYLINE_WP_CLIENT_DEFAULT_MAX_RESPONSE_SIZE)
    return 0;

  root = fuzz_read_ok_answer (data, size, &error);
  if (root == NULL)
    {
      g_assert_true (g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE));
      assert_human_error (error);
      return 0;
    }

  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        check_post (json_array_get_element (array, i));
      return 0;
    }

  /* A deleted post comes back as {"deleted": true, "previous": {post}}. */
  if (JSON_NODE_HOLDS_OBJECT (root)
      && json_object_has_member (json_node_get_object (root), "previous"))
    check_post (json_object_get_member (json_node_get_object (root), "previous"));
  check_post (root);
  return 0;
}
