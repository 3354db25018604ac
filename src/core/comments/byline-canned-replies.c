/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-canned-replies.c: the replies a site's moderators keep ready, and their placeholders
 * expanded for a comment.
 *
 * The defaults are written in the user's language the first time an account's list is read,
 * and are then the moderators' to change like any other. */

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "byline-canned-replies.h"
#include "byline-comment-html.h"
#include "byline-store-canned-replies-table.h"
#include "byline-store-private.h"

G_DEFINE_BOXED_TYPE (BylineCannedReply, byline_canned_reply, byline_canned_reply_copy,
                     byline_canned_reply_free)

BylineCannedReply *
byline_canned_reply_copy (const BylineCannedReply *reply)
{
  BylineCannedReply *copy = g_new0 (BylineCannedReply, 1);

  copy->id = reply->id;
  copy->title = g_strdup (reply->title);
  copy->body = g_strdup (reply->body);
  return copy;
}

void
byline_canned_reply_free (BylineCannedReply *reply)
{
  if (reply == NULL)
    return;
  g_free (reply->title);
  g_free (reply->body);
  g_free (reply);
}

static gboolean
check_text (const char  *title,
            const char  *body,
            GError     **error)
{
  g_autofree char *title_kept = g_strstrip (g_strdup (title ? title : ""));
  g_autofree char *body_kept = g_strstrip (g_strdup (body ? body : ""));

  if (title_kept[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A canned reply needs a title, to pick it by."));
      return FALSE;
    }
  if (body_kept[0] == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A canned reply needs some text to insert."));
      return FALSE;
    }
  if (!g_utf8_validate (title, -1, NULL) || !g_utf8_validate (body, -1, NULL))
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("A canned reply must be valid UTF-8 text."));
      return FALSE;
    }
  return TRUE;
}

static gboolean
add_defaults (BylineSqliteConnection  *conn,
              gint64                   account_id,
              GError                 **error)
{
  const struct { const char *title, *body; } defaults[] = {
    { N_("Thank you"),
      /* Translators: keep {name} (the commenter's name) and {post} (the post's title) as they
       * are: they are replaced when the reply is inserted. */
      N_("Thank you for your comment on “{post}”, {name}. We appreciate you taking the time.") },
    { N_("Comment policy"),
      /* Translators: keep {name} as it is: it is replaced by the commenter's name. */
      N_("Hello {name}, a reminder that comments here must stay civil and on topic; please see "
         "our comment policy before posting again.") },
    { N_("Passed on"),
      /* Translators: keep {name} and {post} as they are. */
      N_("Thank you, {name}. We have passed this on to the people responsible for “{post}”.") },
  };
  gint64 now = g_get_real_time ();

  if (!byline_sqlite_connection_begin (conn, error))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (defaults); i++)
    if (byline_store_canned_replies_table_append (conn, account_id, _(defaults[i].title),
                                                  _(defaults[i].body), now, error) == 0)
      {
        byline_sqlite_connection_rollback (conn);
        return FALSE;
      }
  return byline_sqlite_connection_commit (conn, error);
}

GPtrArray *
byline_canned_replies_list (BylineStore  *store,
                            gint64        account_id,
                            GError      **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  BylineSqliteConnection *conn;
  GPtrArray *replies;

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(conn = _byline_store_lock (store, error)))
    return NULL;
  rows = byline_store_canned_replies_table_list (conn, account_id, error);
  if (rows != NULL && rows->len == 0)
    {
      g_clear_pointer (&rows, g_ptr_array_unref);
      if (add_defaults (conn, account_id, error))
        rows = byline_store_canned_replies_table_list (conn, account_id, error);
    }
  _byline_store_unlock (store);
  if (rows == NULL)
    return NULL;

  replies = g_ptr_array_new_full (rows->len, (GDestroyNotify) byline_canned_reply_free);
  for (guint i = 0; i < rows->len; i++)
    {
      BylineStoreCannedReplyRow *row = g_ptr_array_index (rows, i);
      BylineCannedReply *reply = g_new0 (BylineCannedReply, 1);

      reply->id = row->id;
      reply->title = g_steal_pointer (&row->title);
      reply->body = g_steal_pointer (&row->body);
      g_ptr_array_add (replies, reply);
    }
  return replies;
}

gint64
byline_canned_replies_add (BylineStore  *store,
                           gint64        account_id,
                           const char   *title,
                           const char   *body,
                           GError      **error)
{
  BylineSqliteConnection *conn;
  gint64 id;

  g_return_val_if_fail (BYLINE_IS_STORE (store), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  if (!check_text (title, body, error))
    return 0;
  if (!(conn = _byline_store_lock (store, error)))
    return 0;
  id = byline_store_canned_replies_table_append (conn, account_id, title, body,
                                                 g_get_real_time (), error);
  _byline_store_unlock (store);
  return id;
}

static gboolean
found_or_error (gboolean   ok,
                gboolean   found,
                GError   **error)
{
  if (ok && !found)
    {
      g_set_error_literal (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND,
                           _("That canned reply was removed meanwhile."));
      return FALSE;
    }
  return ok;
}

gboolean
byline_canned_replies_update (BylineStore  *store,
                              gint64        id,
                              const char   *title,
                              const char   *body,
                              GError      **error)
{
  BylineSqliteConnection *conn;
  gboolean found = FALSE;
  gboolean ok;

  g_return_val_if_fail (BYLINE_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!check_text (title, body, error))
    return FALSE;
  if (!(conn = _byline_store_lock (store, error)))
    return FALSE;
  ok = byline_store_canned_replies_table_update (conn, id, title, body, g_get_real_time (),
                                                 &found, error);
  _byline_store_unlock (store);
  return found_or_error (ok, found, error);
}

gboolean
byline_canned_replies_remove (BylineStore  *store,
                              gint64        id,
                              GError      **error)
{
  BylineSqliteConnection *conn;
  gboolean found = FALSE;
  gboolean ok;

  g_return_val_if_fail (BYLINE_IS_STORE (store), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(conn = _byline_store_lock (store, error)))
    return FALSE;
  ok = byline_store_canned_replies_table_delete (conn, id, &found, error);
  _byline_store_unlock (store);
  return found_or_error (ok, found, error);
}

gboolean
byline_canned_replies_reorder (BylineStore   *store,
                               gint64         account_id,
                               const gint64  *ids,
                               guint          n_ids,
                               GError       **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  BylineSqliteConnection *conn;
  gint64 position = 0;
  gboolean ok;

  g_return_val_if_fail (BYLINE_IS_STORE (store), FALSE);
  g_return_val_if_fail (ids != NULL || n_ids == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(conn = _byline_store_lock (store, error)))
    return FALSE;
  /* The rest keep their order after the ones named: a reply added meanwhile is not lost. */
  ok = (rows = byline_store_canned_replies_table_list (conn, account_id, error)) != NULL &&
       byline_sqlite_connection_begin (conn, error);
  for (guint i = 0; ok && i < n_ids; i++)
    {
      gboolean found = FALSE;

      ok = byline_store_canned_replies_table_set_position (conn, account_id, ids[i], position,
                                                           &found, error);
      if (found)
        position++;
    }
  for (guint i = 0; ok && i < rows->len; i++)
    {
      BylineStoreCannedReplyRow *row = g_ptr_array_index (rows, i);
      gboolean named = FALSE;
      gboolean found = FALSE;

      for (guint j = 0; j < n_ids && !named; j++)
        named = ids[j] == row->id;
      if (!named)
        ok = byline_store_canned_replies_table_set_position (conn, account_id, row->id,
                                                             position++, &found, error);
    }
  if (ok)
    ok = byline_sqlite_connection_commit (conn, error);
  else if (rows != NULL)
    byline_sqlite_connection_rollback (conn);
  _byline_store_unlock (store);
  return ok;
}

char *
byline_canned_reply_expand (const char    *body,
                            BylineComment *comment)
{
  g_autoptr(GString) text = NULL;
  g_autofree char *title = NULL;
  const char *name;
  const char *post;

  g_return_val_if_fail (body != NULL, NULL);
  g_return_val_if_fail (BYLINE_IS_COMMENT (comment), NULL);

  name = byline_comment_get_author_name (comment);
  if (name[0] == '\0')
    name = _("Anonymous");
  /* The site gives the title as HTML (title.rendered): its entities are decoded, any tag in it
   * dropped, so that the reply says what the reader sees. */
  post = byline_comment_get_post_title (comment);
  title = byline_comment_html_to_text (post, strlen (post));
  g_strstrip (title);

  /* Read left to right in the original only, so that a name holding "{post}" stays as
   * written. */
  text = g_string_sized_new (strlen (body));
  for (const char *p = body; *p != '\0';)
    {
      if (g_str_has_prefix (p, "{name}"))
        {
          g_string_append (text, name);
          p += strlen ("{name}");
        }
      else if (g_str_has_prefix (p, "{post}"))
        {
          g_string_append (text, title[0] != '\0' ? title : _("this post"));
          p += strlen ("{post}");
        }
      else
        g_string_append_c (text, *p++);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}
