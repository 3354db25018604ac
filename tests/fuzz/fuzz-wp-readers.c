/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-wp-readers.c: feeds bytes as a WordPress site's answer, through the client's own answer
 * reading (its size limit, depth limit and json-glib parser), to every other reader of what a
 * site sends: a comment (byline_comment_new_from_json, as comment sync reads each item of a
 * page), a term, a media item, the signed-in user, and the API index that discovery reads. A
 * list is read item by item, as the client reads pages.
 *
 * Invariants: a refusal is a BYLINE_WP_ERROR with a human message (non-empty, valid UTF-8); a
 * comment, term, file or user that was read, written out again as WordPress would send it and
 * read back the same way, is the same, field by field; a site's name and description are one
 * line of valid UTF-8. */

#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "byline-comment.h"
#include "fuzz-target.h"
#include "fuzz-wp-read-answer.h"

/* @object written out as text and read back through the client; it takes @object. */
static JsonNode *
read_back (JsonObject *object)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  JsonNode *again;
  gsize length;

  json_object_unref (object);
  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, &length);
  again = fuzz_read_ok_answer (text, length, &error);
  g_assert_no_error (error);
  return again;
}

static void
assert_refused (const GError *error)
{
  g_assert_true (g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE));
  g_assert_cmpuint (strlen (error->message), >, 0);
  g_assert_true (g_utf8_validate (error->message, -1, NULL));
}

static void
assert_one_line (const char *text)
{
  g_assert_true (g_utf8_validate (text, -1, NULL));
  for (const char *c = text; *c != '\0'; c++)
    g_assert_true (*c != '\n' && *c != '\r');
}

static void
check_term (JsonNode *node)
{
  g_autoptr(BylineWpTerm) term = NULL;
  g_autoptr(BylineWpTerm) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) written = NULL;
  JsonObject *object;

  term = _byline_wp_term_new_from_json (node, &error);
  if (term == NULL)
    {
      assert_refused (error);
      return;
    }
  object = json_object_new ();
  json_object_set_int_member (object, "id", term->id);
  json_object_set_string_member (object, "name", term->name);
  json_object_set_string_member (object, "slug", term->slug);
  json_object_set_int_member (object, "parent", term->parent);
  json_object_set_int_member (object, "count", term->count);
  written = read_back (object);
  again = _byline_wp_term_new_from_json (written, &error);
  g_assert_no_error (error);
  g_assert_cmpint (term->id, ==, again->id);
  g_assert_cmpstr (term->name, ==, again->name);
  g_assert_cmpstr (term->slug, ==, again->slug);
  g_assert_cmpint (term->parent, ==, again->parent);
  g_assert_cmpint (term->count, ==, again->count);
}

static void
check_media (JsonNode *node)
{
  g_autoptr(BylineWpMedia) media = NULL;
  g_autoptr(BylineWpMedia) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) written = NULL;
  JsonObject *object;

  media = byline_wp_media_new_from_json (node, &error);
  if (media == NULL)
    {
      assert_refused (error);
      return;
    }
  g_assert_nonnull (media->mime_type);
  g_assert_nonnull (media->alt_text);
  g_assert_nonnull (media->slug);
  object = json_object_new ();
  json_object_set_int_member (object, "id", media->id);
  json_object_set_string_member (object, "source_url", media->source_url);
  json_object_set_string_member (object, "mime_type", media->mime_type);
  json_object_set_string_member (object, "alt_text", media->alt_text);
  json_object_set_string_member (object, "slug", media->slug);
  written = read_back (object);
  again = byline_wp_media_new_from_json (written, &error);
  g_assert_no_error (error);
  g_assert_cmpint (media->id, ==, again->id);
  g_assert_cmpstr (media->source_url, ==, again->source_url);
  g_assert_cmpstr (media->mime_type, ==, again->mime_type);
  g_assert_cmpstr (media->alt_text, ==, again->alt_text);
  g_assert_cmpstr (media->slug, ==, again->slug);
}

static void
check_user (JsonNode *node)
{
  g_autoptr(BylineWpUser) user = NULL;
  g_autoptr(BylineWpUser) again = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) written = NULL;
  JsonObject *object;
  JsonObject *caps;

  user = _byline_wp_user_new_from_json (node, &error);
  if (user == NULL)
    {
      assert_refused (error);
      return;
    }
  object = json_object_new ();
  caps = json_object_new ();
  json_object_set_int_member (object, "id", user->id);
  json_object_set_string_member (object, "name", user->name);
  json_object_set_string_member (object, "username", user->username);
  json_object_set_boolean_member (caps, "publish_posts", user->publish_posts);
  json_object_set_boolean_member (caps, "edit_posts", user->edit_posts);
  json_object_set_boolean_member (caps, "upload_files", user->upload_files);
  json_object_set_boolean_member (caps, "moderate_comments", user->moderate_comments);
  json_object_set_boolean_member (caps, "manage_categories", user->manage_categories);
  json_object_set_object_member (object, "capabilities", caps);
  written = read_back (object);
  again = _byline_wp_user_new_from_json (written, &error);
  g_assert_no_error (error);
  g_assert_cmpint (user->id, ==, again->id);
  g_assert_cmpstr (user->name, ==, again->name);
  g_assert_cmpstr (user->username, ==, again->username);
  g_assert_cmpint (user->publish_posts, ==, again->publish_posts);
  g_assert_cmpint (user->edit_posts, ==, again->edit_posts);
  g_assert_cmpint (user->upload_files, ==, again->upload_files);
  g_assert_cmpint (user->moderate_comments, ==, again->moderate_comments);
  g_assert_cmpint (user->manage_categories, ==, again->manage_categories);
}

static void
check_comment (JsonNode *node)
{
  g_autoptr(BylineComment) comment = NULL;
  g_autoptr(BylineComment) again = NULL;
  g_autoptr(JsonNode) written = NULL;
  JsonObject *object;
  JsonObject *content;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    return;
  comment = byline_comment_new_from_json (json_node_get_object (node));
  if (comment == NULL)
    return;
  g_assert_cmpint (byline_comment_get_remote_id (comment), >, 0);
  g_assert_cmpint (byline_comment_get_post_id (comment), >=, 0);
  g_assert_cmpstr (byline_comment_get_status (comment), !=, "");
  g_assert_true (g_utf8_validate (byline_comment_get_text (comment), -1, NULL));

  object = json_object_new ();
  content = json_object_new ();
  json_object_set_int_member (object, "id", byline_comment_get_remote_id (comment));
  json_object_set_int_member (object, "post", byline_comment_get_post_id (comment));
  json_object_set_string_member (object, "status", byline_comment_get_remote_status (comment));
  json_object_set_int_member (object, "parent", byline_comment_get_parent_id (comment));
  json_object_set_int_member (object, "author", byline_comment_get_author_user_id (comment));
  json_object_set_string_member (object, "author_name", byline_comment_get_author_name (comment));
  json_object_set_string_member (object, "author_email",
                                 byline_comment_get_author_email (comment));
  json_object_set_string_member (object, "author_url", byline_comment_get_author_url (comment));
  json_object_set_string_member (object, "author_ip", byline_comment_get_author_ip (comment));
  json_object_set_string_member (object, "date_gmt", byline_comment_get_date_gmt (comment));
  json_object_set_string_member (object, "link", byline_comment_get_link (comment));
  json_object_set_string_member (content, "rendered", byline_comment_get_content (comment));
  json_object_set_string_member (content, "raw", byline_comment_get_raw (comment));
  json_object_set_object_member (object, "content", content);
  written = read_back (object);
  again = byline_comment_new_from_json (json_node_get_object (written));
  g_assert_nonnull (again);
  g_assert_cmpint (byline_comment_get_remote_id (comment), ==,
                   byline_comment_get_remote_id (again));
  g_assert_cmpint (byline_comment_get_post_id (comment), ==, byline_comment_get_post_id (again));
  g_assert_cmpstr (byline_comment_get_status (comment), ==, byline_comment_get_status (again));
  g_assert_cmpstr (byline_comment_get_remote_status (comment), ==,
                   byline_comment_get_remote_status (again));
  g_assert_cmpint (byline_comment_get_parent_id (comment), ==,
                   byline_comment_get_parent_id (again));
  g_assert_cmpint (byline_comment_get_author_user_id (comment), ==,
                   byline_comment_get_author_user_id (again));
  g_assert_cmpstr (byline_comment_get_author_name (comment), ==,
                   byline_comment_get_author_name (again));
  g_assert_cmpstr (byline_comment_get_author_email (comment), ==,
                   byline_comment_get_author_email (again));
  g_assert_cmpstr (byline_comment_get_author_url (comment), ==,
                   byline_comment_get_author_url (again));
  g_assert_cmpstr (byline_comment_get_author_ip (comment), ==,
                   byline_comment_get_author_ip (again));
  g_assert_cmpstr (byline_comment_get_date_gmt (comment), ==,
                   byline_comment_get_date_gmt (again));
  g_assert_cmpint (byline_comment_get_date_unix (comment), ==,
                   byline_comment_get_date_unix (again));
  g_assert_cmpstr (byline_comment_get_link (comment), ==, byline_comment_get_link (again));
  g_assert_cmpstr (byline_comment_get_content (comment), ==, byline_comment_get_content (again));
  g_assert_cmpstr (byline_comment_get_raw (comment), ==, byline_comment_get_raw (again));
  g_assert_cmpstr (byline_comment_get_text (comment), ==, byline_comment_get_text (again));
}

static void
check_index (JsonNode *node)
{
  g_autoptr(BylineWpSite) site = _byline_wp_site_from_index (node, "https://example.org/wp-json/");

  if (site == NULL)
    return;
  assert_one_line (site->name);
  assert_one_line (site->description);
  g_assert_nonnull (site->url);
  g_assert_nonnull (site->home);
  g_assert_nonnull (site->timezone_string);
  g_assert_cmpstr (site->api_root, ==, "https://example.org/wp-json/");
}

static void
check_item (JsonNode *node)
{
  check_comment (node);
  check_term (node);
  check_media (node);
  check_user (node);
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
      assert_refused (error);
      return 0;
    }

  check_index (root);
  if (JSON_NODE_HOLDS_ARRAY (root))
    {
      JsonArray *array = json_node_get_array (root);

      for (guint i = 0; i < json_array_get_length (array); i++)
        check_item (json_array_get_element (array, i));
    }
  else
    check_item (root);
  return 0;
}
