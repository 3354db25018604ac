/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment.c: one reader comment on a site, as the store holds it. */

#include "config.h"

#include "byline-comment-html.h"
#include "byline-comment-private.h"
#include "byline-date.h"

G_DEFINE_FINAL_TYPE (BylineComment, byline_comment, G_TYPE_OBJECT)

static void
byline_comment_finalize (GObject *object)
{
  BylineComment *self = BYLINE_COMMENT (object);

  g_free (self->author_name);
  g_free (self->author_email);
  g_free (self->author_url);
  g_free (self->author_ip);
  g_free (self->date_gmt);
  g_free (self->content);
  g_free (self->raw);
  g_free (self->text);
  g_free (self->link);
  g_free (self->status);
  g_free (self->remote_status);
  g_free (self->last_error);
  g_free (self->post_title);
  g_free (self->post_link);
  g_free (self->restore_status);

  G_OBJECT_CLASS (byline_comment_parent_class)->finalize (object);
}

static void
byline_comment_class_init (BylineCommentClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = byline_comment_finalize;
}

static void
byline_comment_init (BylineComment *self)
{
}

const char *
byline_comment_status_intern (const char *status)
{
  static const char * const known[] = {
    BYLINE_COMMENT_STATUS_HOLD, BYLINE_COMMENT_STATUS_APPROVED, BYLINE_COMMENT_STATUS_SPAM,
    BYLINE_COMMENT_STATUS_TRASH, BYLINE_COMMENT_STATUS_DELETED,
  };

  for (guint i = 0; status != NULL && i < G_N_ELEMENTS (known); i++)
    if (g_str_equal (status, known[i]))
      return g_intern_static_string (known[i]);
  return g_intern_static_string ("");
}

gboolean
byline_comment_status_is_spam_or_trash (const char *status)
{
  return g_strcmp0 (status, BYLINE_COMMENT_STATUS_SPAM) == 0 ||
         g_strcmp0 (status, BYLINE_COMMENT_STATUS_TRASH) == 0;
}

static char *
dup_member_string (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return g_strdup ("");
  return g_strdup (json_node_get_string (node));
}

static gint64
member_int (JsonObject *object,
            const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_INT64)
    return 0;
  return json_node_get_int (node);
}

/* content is {"rendered": …, "raw": …} in edit context. */
static char *
dup_content_part (JsonObject *object,
                  const char *part)
{
  JsonNode *node = json_object_get_member (object, "content");

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return g_strdup ("");
  return dup_member_string (json_node_get_object (node), part);
}

BylineComment *
byline_comment_new_from_json (JsonObject *object)
{
  g_autoptr(BylineComment) self = NULL;
  g_autoptr(GDateTime) date = NULL;

  g_return_val_if_fail (object != NULL, NULL);

  self = g_object_new (BYLINE_TYPE_COMMENT, NULL);
  self->remote_id = member_int (object, "id");
  self->post_id = member_int (object, "post");
  self->status = dup_member_string (object, "status");
  if (self->remote_id <= 0 || self->post_id < 0 || self->status[0] == '\0')
    return NULL;

  self->parent_id = member_int (object, "parent");
  self->author_user_id = member_int (object, "author");
  self->author_name = dup_member_string (object, "author_name");
  self->author_email = dup_member_string (object, "author_email");
  self->author_url = dup_member_string (object, "author_url");
  self->author_ip = dup_member_string (object, "author_ip");
  self->date_gmt = dup_member_string (object, "date_gmt");
  self->link = dup_member_string (object, "link");
  self->content = dup_content_part (object, "rendered");
  self->raw = dup_content_part (object, "raw");
  self->text = byline_comment_html_to_text (self->content, strlen (self->content));
  self->remote_status = g_strdup (self->status);
  self->last_error = g_strdup ("");
  self->post_title = g_strdup ("");
  self->post_link = g_strdup ("");

  /* date_gmt has no zone: it is UTC. A comment without a readable date sorts as the oldest. */
  if (self->date_gmt[0] != '\0')
    {
      g_autofree char *utc = g_strconcat (self->date_gmt, "Z", NULL);
      date = byline_date_parse (utc);
    }
  self->date_unix = date != NULL ? g_date_time_to_unix (date) : 0;

  return g_steal_pointer (&self);
}

gint64 byline_comment_get_id (BylineComment *self) { return self->id; }
gint64 byline_comment_get_account_id (BylineComment *self) { return self->account_id; }
gint64 byline_comment_get_remote_id (BylineComment *self) { return self->remote_id; }
gint64 byline_comment_get_post_id (BylineComment *self) { return self->post_id; }
gint64 byline_comment_get_parent_id (BylineComment *self) { return self->parent_id; }
gint64 byline_comment_get_author_user_id (BylineComment *self) { return self->author_user_id; }
const char *byline_comment_get_author_name (BylineComment *self) { return self->author_name; }
const char *byline_comment_get_author_email (BylineComment *self) { return self->author_email; }
const char *byline_comment_get_author_url (BylineComment *self) { return self->author_url; }
const char *byline_comment_get_author_ip (BylineComment *self) { return self->author_ip; }
const char *byline_comment_get_date_gmt (BylineComment *self) { return self->date_gmt; }
gint64 byline_comment_get_date_unix (BylineComment *self) { return self->date_unix; }
const char *byline_comment_get_content (BylineComment *self) { return self->content; }
const char *byline_comment_get_raw (BylineComment *self) { return self->raw; }
const char *byline_comment_get_text (BylineComment *self) { return self->text; }
const char *byline_comment_get_link (BylineComment *self) { return self->link; }
const char *byline_comment_get_status (BylineComment *self) { return self->status; }
const char *byline_comment_get_remote_status (BylineComment *self) { return self->remote_status; }
gboolean byline_comment_get_sending (BylineComment *self) { return self->sending; }
const char *byline_comment_get_last_error (BylineComment *self) { return self->last_error; }
const char *byline_comment_get_post_title (BylineComment *self) { return self->post_title; }
const char *byline_comment_get_post_link (BylineComment *self) { return self->post_link; }
