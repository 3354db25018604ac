/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-publisher-conflicts.c: an entry that met its post changed on the site waits until the
 * person chooses between the site's version and their own.
 *
 * The attempt that met the change kept the site's version in the entry ("theirs"). Keep Mine
 * makes the entry due again, based on the version the person has seen, so that it overwrites
 * that one only; Take Theirs ends the entry without sending and links the draft to the site's
 * version. */

#define G_LOG_DOMAIN "byline-publisher"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-publisher-private.h"
#include "byline-store-outbox-table.h"
#include "byline-store-private.h"

void
byline_conflict_clear (BylineConflict *conflict)
{
  g_return_if_fail (conflict != NULL);

  g_clear_pointer (&conflict->mine_title, g_free);
  g_clear_pointer (&conflict->mine_content, g_free);
  g_clear_pointer (&conflict->theirs_title, g_free);
  g_clear_pointer (&conflict->theirs_content, g_free);
  g_clear_pointer (&conflict->theirs_modified_gmt, g_free);
  g_clear_pointer (&conflict->theirs_link, g_free);
}

/* The entry, its payload and the site's version; fails unless the entry is in CONFLICT. */
static BylineStoreOutboxRow *
load_conflict (BylinePublisher  *self,
               gint64            entry_id,
               JsonObject      **mine,
               JsonObject      **theirs,
               GError          **error)
{
  g_autoptr(BylineStoreOutboxRow) row = NULL;
  g_autoptr(JsonNode) payload_node = NULL;
  g_autoptr(JsonNode) theirs_node = NULL;
  BylineSqliteConnection *conn;
  GError *load_error = NULL;

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  row = byline_store_outbox_table_load_row (conn, entry_id, &load_error);
  _byline_store_unlock (self->store);

  if (row == NULL)
    {
      if (load_error != NULL)
        g_propagate_error (error, load_error);
      else
        _byline_publisher_set_entry_not_found (error, entry_id);
      return NULL;
    }
  if (row->state != BYLINE_OUTBOX_STATE_CONFLICT)
    {
      g_set_error_literal (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_WRONG_STATE,
                           _("This change is not in conflict with the site."));
      return NULL;
    }

  payload_node = json_from_string (row->payload, NULL);
  theirs_node = json_from_string (row->theirs, NULL);
  if (payload_node == NULL || !JSON_NODE_HOLDS_OBJECT (payload_node)
      || theirs_node == NULL || !JSON_NODE_HOLDS_OBJECT (theirs_node))
    {
      g_set_error_literal (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CORRUPT,
                           _("The outbox entry is damaged."));
      return NULL;
    }
  *mine = json_object_ref (json_node_get_object (payload_node));
  *theirs = json_object_ref (json_node_get_object (theirs_node));
  return g_steal_pointer (&row);
}

static char *
dup_member (JsonObject *object,
            const char *member)
{
  return g_strdup (json_object_get_string_member_with_default (object, member, ""));
}

gboolean
byline_publisher_get_conflict (BylinePublisher  *self,
                               gint64            entry_id,
                               BylineConflict   *conflict,
                               GError          **error)
{
  g_autoptr(BylineStoreOutboxRow) row = NULL;
  g_autoptr(JsonObject) mine = NULL;
  g_autoptr(JsonObject) theirs = NULL;

  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), FALSE);
  g_return_val_if_fail (conflict != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(row = load_conflict (self, entry_id, &mine, &theirs, error)))
    return FALSE;

  byline_conflict_clear (conflict);
  conflict->mine_title = dup_member (mine, "title");
  conflict->mine_content = dup_member (mine, "content");
  conflict->theirs_title = dup_member (theirs, "title");
  conflict->theirs_content = dup_member (theirs, "content");
  conflict->theirs_modified_gmt = dup_member (theirs, "modified_gmt");
  conflict->theirs_link = dup_member (theirs, "link");
  return TRUE;
}

gboolean
byline_publisher_resolve_conflict (BylinePublisher       *self,
                                   gint64                 entry_id,
                                   BylineConflictChoice   choice,
                                   BylineDraft           *theirs_draft,
                                   GError               **error)
{
  g_autoptr(BylineStoreOutboxRow) row = NULL;
  g_autoptr(JsonObject) mine = NULL;
  g_autoptr(JsonObject) theirs = NULL;
  const char *theirs_modified;
  const char *theirs_link;
  const char *theirs_status;
  g_autofree char *theirs_base = NULL;
  JsonNode *theirs_post;
  gint64 now = g_get_real_time ();
  BylineSqliteConnection *conn;

  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), FALSE);
  g_return_val_if_fail (theirs_draft == NULL || BYLINE_IS_DRAFT (theirs_draft), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(row = load_conflict (self, entry_id, &mine, &theirs, error)))
    return FALSE;
  theirs_modified = json_object_get_string_member_with_default (theirs, "modified_gmt", "");
  theirs_link = json_object_get_string_member_with_default (theirs, "link", "");
  theirs_status = json_object_get_string_member_with_default (theirs, "status", "");
  /* Kept since the three-way view; entries in conflict from before have none. */
  theirs_post = json_object_get_member (theirs, "post");
  if (theirs_post != NULL && JSON_NODE_HOLDS_OBJECT (theirs_post))
    theirs_base = json_to_string (theirs_post, FALSE);

  if (!(conn = _byline_store_lock (self->store, error)))
    return FALSE;
  if (!byline_sqlite_connection_begin (conn, error))
    goto failed;
  switch (choice)
    {
    case BYLINE_CONFLICT_KEEP_MINE:
      /* Based on the version the person has seen and chosen to overwrite; the later entries of
       * the draft that were based on the same old version too. */
      if (!byline_store_outbox_table_keep_mine (conn, entry_id, theirs_modified, now, error)
          || !byline_store_outbox_table_follow_base (conn, entry_id, row->draft_id,
                                                     row->account_id, row->base_modified_gmt,
                                                     theirs_modified, now, error))
        goto failed;
      break;

    case BYLINE_CONFLICT_TAKE_THEIRS:
      if (!byline_store_outbox_table_take_theirs (conn, entry_id, theirs_link, now, error)
          || !_byline_publisher_link_draft_locked (conn, entry_id, row->draft_id,
                                                   row->account_id, row->remote_id,
                                                   row->base_modified_gmt, theirs_modified,
                                                   theirs_status, theirs_link, theirs_base,
                                                   error))
        goto failed;
      break;

    default:
      g_assert_not_reached ();
    }
  if (!byline_sqlite_connection_commit (conn, error))
    goto failed;
  _byline_store_unlock (self->store);

  if (choice == BYLINE_CONFLICT_TAKE_THEIRS && theirs_draft != NULL)
    {
      byline_draft_set_format (theirs_draft, BYLINE_DRAFT_FORMAT_HTML);
      byline_draft_set_title (theirs_draft,
                              json_object_get_string_member_with_default (theirs, "title", ""));
      byline_draft_set_body (theirs_draft,
                             json_object_get_string_member_with_default (theirs, "content", ""));
    }
  _byline_publisher_emit_entry_changed (self, entry_id);
  return TRUE;

failed:
  byline_sqlite_connection_rollback (conn);
  _byline_store_unlock (self->store);
  return FALSE;
}
