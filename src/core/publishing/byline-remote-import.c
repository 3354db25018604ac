/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-remote-import.c: a post on a site becomes a local draft linked to it, once.
 *
 * The link is the publisher's remote_posts row, written the way publishing writes it, so that the
 * publisher treats an opened post exactly like one it created: the next publish updates it, after
 * comparing its modified_gmt. What the import wrote into the draft is remembered as a checksum in
 * the store's meta table ("remote_import/<draft id>"), which is how opening the post again tells
 * an untouched draft (refreshed) from an edited one (left alone). */

#define G_LOG_DOMAIN "byline-remote-import"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "byline-accounts.h"
#include "byline-post-changes.h"
#include "byline-remote-import.h"
#include "byline-store-meta-table.h"
#include "byline-store-private.h"
#include "byline-store-remote-posts-table.h"

#define META_PREFIX "remote_import/"

/* Reading the post */

static void
get_post_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  BylineWpPost *post;

  node = byline_wp_client_request_finish (BYLINE_WP_CLIENT (object), result, NULL, &error);
  if (node == NULL || !(post = byline_wp_post_new_from_json (node, &error)))
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, post, g_object_unref);
}

void
byline_remote_import_get_post_async (BylineWpClient      *client,
                                     gint64               id,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_autoptr(GHashTable) query = NULL;
  g_autofree char *route = NULL;
  GTask *task;

  g_return_if_fail (BYLINE_IS_WP_CLIENT (client));
  g_return_if_fail (id > 0);

  task = g_task_new (client, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_remote_import_get_post_async);

  query = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
  g_hash_table_insert (query, "context", g_strdup ("edit"));
  /* Only the terms and the author: their names come in the same answer, no request per
   * category, and the draft keeps the post's byline. */
  g_hash_table_insert (query, "_embed", g_strdup ("wp:term,author"));
  route = g_strdup_printf ("/wp/v2/posts/%" G_GINT64_FORMAT, id);
  byline_wp_client_request_async (client, "GET", route, query, NULL, cancellable, get_post_cb,
                                  task);
}

BylineWpPost *
byline_remote_import_get_post_finish (BylineWpClient  *client,
                                      GAsyncResult    *result,
                                      GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, client), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result))
                        == byline_remote_import_get_post_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The draft's fields from the post */

/* WordPress keeps a term's name HTML-escaped ("News &amp; Views") and the REST API hands it back
 * so: the draft holds what a person typed. */
static char *
unescape_term_name (const char *name)
{
  static const struct { const char *entity; const char *text; } entities[] = {
    { "&amp;", "&" }, { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#039;", "'" },
    { "&#39;", "'" },
  };
  GString *out = g_string_new (NULL);

  for (const char *p = name; *p != '\0';)
    {
      gboolean replaced = FALSE;

      for (guint i = 0; *p == '&' && i < G_N_ELEMENTS (entities); i++)
        if (g_str_has_prefix (p, entities[i].entity))
          {
            g_string_append (out, entities[i].text);
            p += strlen (entities[i].entity);
            replaced = TRUE;
            break;
          }
      if (!replaced)
        g_string_append_c (out, *p++);
    }
  return g_string_free (out, FALSE);
}

/* The names of @ids, in their order, comma-separated, from the post's _embedded "wp:term" (an
 * array per taxonomy of {id, name, taxonomy}); ids it does not name are left out. */
static char *
term_names (BylineWpPost *post,
            const char   *taxonomy,
            GArray       *ids)
{
  JsonObject *json = byline_wp_post_get_json (post);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  g_autoptr(GPtrArray) list = g_ptr_array_new ();
  JsonNode *embedded;
  JsonNode *groups;

  if (ids->len == 0 || json == NULL
      || !(embedded = json_object_get_member (json, "_embedded"))
      || !JSON_NODE_HOLDS_OBJECT (embedded)
      || !(groups = json_object_get_member (json_node_get_object (embedded), "wp:term"))
      || !JSON_NODE_HOLDS_ARRAY (groups))
    return g_strdup ("");

  for (guint i = 0; i < json_array_get_length (json_node_get_array (groups)); i++)
    {
      JsonNode *group = json_array_get_element (json_node_get_array (groups), i);

      if (!JSON_NODE_HOLDS_ARRAY (group))
        continue;
      for (guint j = 0; j < json_array_get_length (json_node_get_array (group)); j++)
        {
          JsonNode *node = json_array_get_element (json_node_get_array (group), j);
          JsonObject *term;
          JsonNode *id, *name;

          if (!JSON_NODE_HOLDS_OBJECT (node))
            continue;
          term = json_node_get_object (node);
          id = json_object_get_member (term, "id");
          name = json_object_get_member (term, "name");
          if (g_strcmp0 (json_object_get_string_member_with_default (term, "taxonomy", ""),
                         taxonomy) != 0
              || id == NULL || !JSON_NODE_HOLDS_VALUE (id)
              || json_node_get_value_type (id) != G_TYPE_INT64
              || name == NULL || !JSON_NODE_HOLDS_VALUE (name)
              || json_node_get_value_type (name) != G_TYPE_STRING)
            continue;
          g_hash_table_insert (names, g_memdup2 (&(gint64) { json_node_get_int (id) },
                                                 sizeof (gint64)),
                               unescape_term_name (json_node_get_string (name)));
        }
    }

  for (guint i = 0; i < ids->len; i++)
    {
      const char *name = g_hash_table_lookup (names, &g_array_index (ids, gint64, i));

      if (name != NULL && *name != '\0')
        g_ptr_array_add (list, (gpointer) name);
    }
  g_ptr_array_add (list, NULL);
  return g_strjoinv (", ", (char **) list->pdata);
}

/* The scheduled date of a "future" post in local time ("2030-01-02T09:30"), else "". Not the
 * others': a draft's date_gmt is WordPress's guess from its last save, and a published post's is
 * kept by the publisher anyway when the draft has none. */
static char *
publish_date (BylineWpPost *post)
{
  g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) local = NULL;

  if (g_strcmp0 (byline_wp_post_get_status (post), "future") != 0
      || *byline_wp_post_get_date_gmt (post) == '\0'
      || !(date = g_date_time_new_from_iso8601 (byline_wp_post_get_date_gmt (post), utc)))
    return g_strdup ("");
  local = g_date_time_to_local (date);
  return g_date_time_format (local, "%Y-%m-%dT%H:%M");
}

static void
fill_draft (BylineDraft  *draft,
            BylineWpPost *post)
{
  g_autofree char *categories = term_names (post, "category",
                                            byline_wp_post_get_categories (post));
  g_autofree char *tags = term_names (post, "post_tag", byline_wp_post_get_tags (post));
  g_autofree char *date = publish_date (post);

  byline_draft_set_format (draft, BYLINE_DRAFT_FORMAT_HTML);
  byline_draft_set_title (draft, byline_wp_post_get_title (post));
  byline_draft_set_body (draft, byline_wp_post_get_content (post));
  byline_draft_set_excerpt (draft, byline_wp_post_get_excerpt (post));
  byline_draft_set_slug (draft, byline_wp_post_get_slug (post));
  byline_draft_set_categories (draft, categories);
  byline_draft_set_tags (draft, tags);
  byline_draft_set_publish_date (draft, date);
  /* The byline the site shows; a post read without its author keeps the draft's. */
  if (*byline_wp_post_get_author_name (post) != '\0')
    byline_draft_set_author (draft, byline_wp_post_get_author_name (post));
  /* Kept, so that publishing the draft again does not take the post's featured image away. */
  if (byline_wp_post_get_featured_media (post) > 0)
    {
      g_autofree char *featured = g_strdup_printf ("media:%" G_GINT64_FORMAT,
                                                   byline_wp_post_get_featured_media (post));

      byline_draft_set_featured_image (draft, featured);
    }
  else
    byline_draft_set_featured_image (draft, "");
}

/* A checksum of every field the import writes: equal means untouched since. */
static char *
fingerprint (BylineDraft *draft)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *fields[] = {
    byline_draft_get_title (draft), byline_draft_get_body (draft),
    byline_draft_get_excerpt (draft), byline_draft_get_slug (draft),
    byline_draft_get_categories (draft), byline_draft_get_tags (draft),
    byline_draft_get_publish_date (draft),
  };
  g_autofree char *format = g_strdup_printf ("%d;", (int) byline_draft_get_format (draft));

  g_checksum_update (checksum, (const guchar *) format, -1);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      /* Each field's length first, so that no two different drafts run together the same. */
      g_autofree char *length = g_strdup_printf ("%zu:", strlen (fields[i]));

      g_checksum_update (checksum, (const guchar *) length, -1);
      g_checksum_update (checksum, (const guchar *) fields[i], -1);
    }
  /* Only when there is one: drafts imported before featured images were kept keep their sum. */
  if (*byline_draft_get_featured_image (draft) != '\0')
    {
      g_checksum_update (checksum, (const guchar *) "featured:", -1);
      g_checksum_update (checksum, (const guchar *) byline_draft_get_featured_image (draft), -1);
    }
  return g_strdup (g_checksum_get_string (checksum));
}

/* The link and the checksum, written together. With @taken (for a new draft), first checks in
 * the same transaction that no other draft was linked to the post meanwhile (another import of
 * it, from byline-cli or another window); if one was, writes nothing and sets *@taken. */
static gboolean
write_link (BylineStore   *store,
            gint64         draft_id,
            gint64         account_id,
            BylineWpPost  *post,
            const char    *checksum,
            gboolean      *taken,
            GError       **error)
{
  g_autofree char *key = g_strdup_printf (META_PREFIX "%" G_GINT64_FORMAT, draft_id);
  g_autofree char *base = byline_post_snapshot (post);
  BylineSqliteConnection *conn;

  if (!(conn = _byline_store_lock (store, error)))
    return FALSE;
  if (!byline_sqlite_connection_begin (conn, error))
    goto failed;
  if (taken != NULL)
    {
      if (!byline_store_remote_posts_table_is_linked (conn, account_id,
                                                      byline_wp_post_get_id (post), draft_id,
                                                      taken, error))
        goto failed;
      if (*taken)
        {
          byline_sqlite_connection_rollback (conn);
          _byline_store_unlock (store);
          return TRUE;
        }
    }
  if (!byline_store_remote_posts_table_upsert (conn, draft_id, account_id,
                                               byline_wp_post_get_id (post),
                                               byline_wp_post_get_modified_gmt (post),
                                               byline_wp_post_get_status (post),
                                               byline_wp_post_get_link (post), error)
      || !byline_store_remote_posts_table_set_base (conn, draft_id, byline_wp_post_get_id (post),
                                                    base, error)
      || !byline_store_meta_table_set (conn, key, checksum, error)
      || !byline_sqlite_connection_commit (conn, error))
    goto failed;
  _byline_store_unlock (store);
  return TRUE;

failed:
  byline_sqlite_connection_rollback (conn);
  _byline_store_unlock (store);
  return FALSE;
}

typedef struct {
  BylineRemotePost  remote;   /* remote.draft_id 0: no draft is linked to the post */
  gboolean          deleted;
  char             *checksum; /* what the last import wrote, or NULL */
} Linked;

static void
linked_clear (Linked *linked)
{
  byline_remote_post_clear (&linked->remote);
  g_clear_pointer (&linked->checksum, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Linked, linked_clear)

/* Whether account @account_id exists: a clear "no such account" before anything is made. */
static gboolean
check_account (BylineStore  *store,
               gint64        account_id,
               GError      **error)
{
  g_autoptr(BylineAccounts) accounts = byline_accounts_new (store);
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(GError) load_error = NULL;

  if ((account = byline_accounts_load (accounts, account_id, &load_error)))
    return TRUE;
  if (g_error_matches (load_error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND))
    g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND,
                 _("There is no account %lld in the drafts database"), (long long) account_id);
  else
    g_propagate_error (error, g_steal_pointer (&load_error));
  return FALSE;
}

/* The draft linked to post @remote_id of @account_id (one still listed rather than a deleted
 * one, else the latest), with what the last import wrote into it. */
static gboolean
find_linked (BylineStore  *store,
             gint64        account_id,
             gint64        remote_id,
             Linked       *linked,
             GError      **error)
{
  g_autoptr(GError) find_error = NULL;
  g_autofree char *key = NULL;
  BylineSqliteConnection *conn;

  if (!(conn = _byline_store_lock (store, error)))
    return FALSE;
  if (!byline_store_remote_posts_table_find_post (conn, account_id, remote_id, &linked->remote,
                                                  &linked->deleted, &find_error)
      && find_error != NULL)
    goto failed;
  if (linked->remote.draft_id > 0)
    {
      key = g_strdup_printf (META_PREFIX "%" G_GINT64_FORMAT, linked->remote.draft_id);
      if (!byline_store_meta_table_get (conn, key, &linked->checksum, &find_error))
        goto failed;
    }
  _byline_store_unlock (store);
  return TRUE;

failed:
  _byline_store_unlock (store);
  g_propagate_error (error, g_steal_pointer (&find_error));
  return FALSE;
}

/* The draft already linked to the post: refreshed when untouched, else as it is. */
static BylineDraft *
open_linked (BylineStore                *store,
             gint64                      account_id,
             BylineWpPost               *post,
             Linked                     *linked,
             BylineRemoteImportOutcome  *outcome,
             GError                    **error)
{
  g_autoptr(BylineDraft) draft = NULL;
  g_autoptr(BylineDraft) theirs = byline_draft_new ();
  g_autofree char *mine_sum = NULL;
  g_autofree char *theirs_sum = NULL;

  if (linked->deleted
      && !byline_store_set_draft_deleted (store, linked->remote.draft_id, FALSE, error))
    return NULL;
  if (!(draft = byline_store_load_draft (store, linked->remote.draft_id, error)))
    return NULL;

  fill_draft (theirs, post);
  mine_sum = fingerprint (draft);
  theirs_sum = fingerprint (theirs);

  if (g_str_equal (mine_sum, theirs_sum))
    {
      *outcome = BYLINE_REMOTE_IMPORT_UNCHANGED;
      /* Nothing to write unless the post moved on without a change to the draft's fields
       * (a status, a save with the same text). */
      if (g_strcmp0 (linked->remote.modified_gmt, byline_wp_post_get_modified_gmt (post)) == 0
          && g_strcmp0 (linked->remote.status, byline_wp_post_get_status (post)) == 0
          && g_strcmp0 (linked->remote.link, byline_wp_post_get_link (post)) == 0
          && g_strcmp0 (linked->checksum, mine_sum) == 0)
        return g_steal_pointer (&draft);
    }
  else if (g_strcmp0 (linked->checksum, mine_sum) == 0)
    {
      gint64 modified_at;

      /* Untouched since the last import: the site's version replaces it, with a revision. */
      *outcome = BYLINE_REMOTE_IMPORT_REFRESHED;
      fill_draft (draft, post);
      if (!byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, &modified_at, error))
        return NULL;
      byline_draft_set_modified_at (draft, modified_at);
    }
  else
    {
      /* Edited here: theirs waits for the conflict check of the next publish. */
      *outcome = BYLINE_REMOTE_IMPORT_KEPT_EDITS;
      return g_steal_pointer (&draft);
    }

  if (!write_link (store, linked->remote.draft_id, account_id, post, theirs_sum, NULL, error))
    return NULL;
  return g_steal_pointer (&draft);
}

/* A new draft holding the post, linked to it; NULL without an error when another draft was
 * linked to it meanwhile (then that one is the post's draft). */
static BylineDraft *
open_new (BylineStore   *store,
          gint64         account_id,
          BylineWpPost  *post,
          GError       **error)
{
  g_autoptr(BylineDraft) draft = NULL;
  g_autofree char *checksum = NULL;
  gint64 draft_id, modified_at;
  gboolean taken = FALSE;
  g_autoptr(GError) link_error = NULL;

  if (!(draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_HTML, error)))
    return NULL;
  draft_id = byline_draft_get_id (draft);
  fill_draft (draft, post);
  checksum = fingerprint (draft);
  /* With a revision: the post as it came can always be gone back to. */
  if (!byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, &modified_at, error))
    goto discard;
  byline_draft_set_modified_at (draft, modified_at);

  if (!write_link (store, draft_id, account_id, post, checksum, &taken, &link_error))
    {
      /* A foreign key: the account went meanwhile. */
      if (g_error_matches (link_error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND))
        g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND,
                     _("There is no account %lld in the drafts database"),
                     (long long) account_id);
      else
        g_propagate_error (error, g_steal_pointer (&link_error));
      goto discard;
    }
  if (taken)
    {
      byline_store_set_draft_deleted (store, draft_id, TRUE, NULL);
      return NULL;
    }
  return g_steal_pointer (&draft);

discard:
  /* Like a file that could not be imported: nothing half-made stays in the list. */
  byline_store_set_draft_deleted (store, draft_id, TRUE, NULL);
  return NULL;
}

BylineDraft *
byline_remote_import_open (BylineStore                *store,
                           gint64                      account_id,
                           BylineWpPost               *post,
                           BylineRemoteImportOutcome  *outcome,
                           GError                    **error)
{
  BylineRemoteImportOutcome ignored;

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);
  g_return_val_if_fail (BYLINE_IS_WP_POST (post), NULL);
  g_return_val_if_fail (byline_wp_post_get_id (post) > 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (outcome == NULL)
    outcome = &ignored;

  /* Twice at most: a second pass only when another import linked a draft meanwhile. */
  for (int pass = 0; pass < 2; pass++)
    {
      g_auto(Linked) linked = { 0 };
      g_autoptr(GError) local_error = NULL;
      BylineDraft *draft;

      if (!check_account (store, account_id, error)
          || !find_linked (store, account_id, byline_wp_post_get_id (post), &linked, error))
        return NULL;
      if (linked.remote.draft_id > 0)
        return open_linked (store, account_id, post, &linked, outcome, error);

      *outcome = BYLINE_REMOTE_IMPORT_CREATED;
      draft = open_new (store, account_id, post, &local_error);
      if (draft != NULL)
        return draft;
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
    }

  g_set_error_literal (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_FAILED,
                       _("Could not link a draft to the post"));
  return NULL;
}
