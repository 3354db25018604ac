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

#include <stdarg.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "byline-remote-import.h"
#include "byline-store-private.h"

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

/* SQL on the store's connection, between _byline_store_lock and _byline_store_unlock */

/* Binds ?1, ?2… from @args: 'i' a gint64, 't' a string (not copied). */
static sqlite3_stmt *
prepare (sqlite3    *db,
         int        *rc,
         const char *sql,
         const char *types,
         ...)
{
  sqlite3_stmt *stmt = NULL;
  va_list args;

  *rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL);
  if (*rc != SQLITE_OK)
    {
      sqlite3_finalize (stmt);
      return NULL;
    }
  va_start (args, types);
  for (int i = 0; types[i] != '\0'; i++)
    if (types[i] == 'i')
      sqlite3_bind_int64 (stmt, i + 1, va_arg (args, gint64));
    else
      sqlite3_bind_text (stmt, i + 1, va_arg (args, const char *), -1, SQLITE_STATIC);
  va_end (args);
  return stmt;
}

/* SQLITE_DONE on success, else the failure's code. */
#define EXEC(db, sql, ...) \
  G_STMT_START { \
    sqlite3_stmt *exec_stmt_ = prepare (db, &rc, sql, __VA_ARGS__); \
    if (exec_stmt_ != NULL) \
      { \
        rc = sqlite3_step (exec_stmt_); \
        if (rc == SQLITE_ROW) \
          rc = SQLITE_DONE; \
      } \
    sqlite3_finalize (exec_stmt_); \
  } G_STMT_END

static void
rollback (sqlite3 *db)
{
  int rc;

  if (!sqlite3_get_autocommit (db))
    EXEC (db, "ROLLBACK", "");
  (void) rc;
}

/* The link and the checksum, written together. With @taken (for a new draft), first checks in
 * the same transaction that no other draft was linked to the post meanwhile (another import of
 * it, from byline-cli or another window); if one was, writes nothing and sets *@taken. Locked. */
static int
write_link_locked (sqlite3      *db,
                   gint64        draft_id,
                   gint64        account_id,
                   BylineWpPost *post,
                   const char   *checksum,
                   gboolean     *taken)
{
  g_autofree char *key = g_strdup_printf (META_PREFIX "%" G_GINT64_FORMAT, draft_id);
  int rc;

  EXEC (db, "BEGIN IMMEDIATE", "");
  if (rc != SQLITE_DONE)
    return rc;
  if (taken != NULL)
    {
      sqlite3_stmt *stmt = prepare (db, &rc,
                                    "SELECT EXISTS (SELECT 1 FROM remote_posts"
                                    "  WHERE account_id = ?1 AND remote_id = ?2 AND draft_id != ?3)",
                                    "iii", account_id, byline_wp_post_get_id (post), draft_id);

      if (stmt != NULL && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          *taken = sqlite3_column_int (stmt, 0);
          rc = SQLITE_DONE;
        }
      sqlite3_finalize (stmt);
      if (rc != SQLITE_DONE || *taken)
        {
          rollback (db);
          return rc;
        }
    }
  EXEC (db,
        "INSERT INTO remote_posts (draft_id, account_id, remote_id, modified_gmt, status, link)"
        " VALUES (?1, ?2, ?3, ?4, ?5, ?6)"
        " ON CONFLICT (draft_id) DO UPDATE SET account_id = ?2, remote_id = ?3,"
        "   modified_gmt = ?4, status = ?5, link = ?6",
        "iiittt", draft_id, account_id, byline_wp_post_get_id (post),
        byline_wp_post_get_modified_gmt (post), byline_wp_post_get_status (post),
        byline_wp_post_get_link (post));
  if (rc == SQLITE_DONE)
    EXEC (db, "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)", "tt", key, checksum);
  if (rc == SQLITE_DONE)
    EXEC (db, "COMMIT", "");
  if (rc != SQLITE_DONE)
    rollback (db);
  return rc;
}

typedef struct {
  gboolean  account_exists;
  gint64    draft_id;         /* 0: no draft is linked to the post */
  gboolean  deleted;
  char     *modified_gmt;
  char     *status;
  char     *link;
  char     *checksum;         /* what the last import wrote, or NULL */
} Linked;

static void
linked_clear (Linked *linked)
{
  g_clear_pointer (&linked->modified_gmt, g_free);
  g_clear_pointer (&linked->status, g_free);
  g_clear_pointer (&linked->link, g_free);
  g_clear_pointer (&linked->checksum, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Linked, linked_clear)

static char *
column_text (sqlite3_stmt *stmt,
             int           column)
{
  return g_strdup ((const char *) sqlite3_column_text (stmt, column));
}

/* Whether the account exists, and the draft linked to post @remote_id there (one still listed
 * rather than a deleted one, else the latest). */
static gboolean
find_linked (BylineStore  *store,
             gint64        account_id,
             gint64        remote_id,
             Linked       *linked,
             GError      **error)
{
  sqlite3_stmt *stmt;
  sqlite3 *db;
  int rc;

  if (!(db = _byline_store_lock_db (store, error)))
    return FALSE;
  stmt = prepare (db, &rc, "SELECT EXISTS (SELECT 1 FROM accounts WHERE id = ?1)", "i",
                  account_id);
  if (stmt != NULL && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      linked->account_exists = sqlite3_column_int (stmt, 0);
      rc = SQLITE_DONE;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    goto failed;

  stmt = prepare (db, &rc,
                  "SELECT r.draft_id, d.deleted_at IS NOT NULL, r.modified_gmt, r.status, r.link,"
                  "       (SELECT value FROM meta WHERE key = ?3 || r.draft_id)"
                  " FROM remote_posts r JOIN drafts d ON d.id = r.draft_id"
                  " WHERE r.account_id = ?1 AND r.remote_id = ?2"
                  " ORDER BY d.deleted_at IS NOT NULL, d.modified_at DESC, r.draft_id DESC"
                  " LIMIT 1",
                  "iit", account_id, remote_id, META_PREFIX);
  if (stmt != NULL && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      linked->draft_id = sqlite3_column_int64 (stmt, 0);
      linked->deleted = sqlite3_column_int (stmt, 1);
      linked->modified_gmt = column_text (stmt, 2);
      linked->status = column_text (stmt, 3);
      linked->link = column_text (stmt, 4);
      if (sqlite3_column_type (stmt, 5) == SQLITE_TEXT)
        linked->checksum = column_text (stmt, 5);
      rc = SQLITE_DONE;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    goto failed;
  _byline_store_unlock (store);
  return TRUE;

failed:
  _byline_store_set_error (store, rc, _("Could not read the drafts database"), error);
  _byline_store_unlock (store);
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
  sqlite3 *db;
  int rc;

  if (linked->deleted
      && !byline_store_set_draft_deleted (store, linked->draft_id, FALSE, error))
    return NULL;
  if (!(draft = byline_store_load_draft (store, linked->draft_id, error)))
    return NULL;

  fill_draft (theirs, post);
  mine_sum = fingerprint (draft);
  theirs_sum = fingerprint (theirs);

  if (g_str_equal (mine_sum, theirs_sum))
    {
      *outcome = BYLINE_REMOTE_IMPORT_UNCHANGED;
      /* Nothing to write unless the post moved on without a change to the draft's fields
       * (a status, a save with the same text). */
      if (g_strcmp0 (linked->modified_gmt, byline_wp_post_get_modified_gmt (post)) == 0
          && g_strcmp0 (linked->status, byline_wp_post_get_status (post)) == 0
          && g_strcmp0 (linked->link, byline_wp_post_get_link (post)) == 0
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

  if (!(db = _byline_store_lock_db (store, error)))
    return NULL;
  rc = write_link_locked (db, linked->draft_id, account_id, post, theirs_sum, NULL);
  if (rc != SQLITE_DONE)
    {
      _byline_store_set_error (store, rc, _("Could not link the draft to the post"), error);
      _byline_store_unlock (store);
      return NULL;
    }
  _byline_store_unlock (store);
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
  sqlite3 *db;
  int rc;

  if (!(draft = byline_store_create_draft (store, BYLINE_DRAFT_FORMAT_HTML, error)))
    return NULL;
  draft_id = byline_draft_get_id (draft);
  fill_draft (draft, post);
  checksum = fingerprint (draft);
  /* With a revision: the post as it came can always be gone back to. */
  if (!byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, &modified_at, error))
    goto discard;
  byline_draft_set_modified_at (draft, modified_at);

  if (!(db = _byline_store_lock_db (store, error)))
    goto discard;
  rc = write_link_locked (db, draft_id, account_id, post, checksum, &taken);
  if (rc == SQLITE_CONSTRAINT_FOREIGNKEY)
    g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND,
                 _("There is no account %lld in the drafts database"), (long long) account_id);
  else if (rc != SQLITE_DONE)
    _byline_store_set_error (store, rc, _("Could not link the draft to the post"), error);
  _byline_store_unlock (store);
  if (rc != SQLITE_DONE)
    goto discard;
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

      if (!find_linked (store, account_id, byline_wp_post_get_id (post), &linked, error))
        return NULL;
      if (!linked.account_exists)
        {
          g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND,
                       _("There is no account %lld in the drafts database"),
                       (long long) account_id);
          return NULL;
        }
      if (linked.draft_id > 0)
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
