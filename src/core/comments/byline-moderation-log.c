/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-moderation-log.c: reading the audit trail of moderation (the moderator writes it, in
 * the transactions of the changes it records). */

#define G_LOG_DOMAIN "byline-moderation"

#include "config.h"

#include "byline-moderation-log.h"
#include "byline-store-moderation-log-table.h"
#include "byline-store-private.h"

/* Entries read at once while the store is held: the rest of the app waits no longer than that
 * for it, however long the range. */
#define PAGE_SIZE 500

void
byline_moderation_log_entry_free (BylineModerationLogEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->post_title);
  g_free (entry->author_name);
  g_free (entry->author_email);
  g_free (entry->who);
  g_free (entry->action);
  g_free (entry->status);
  g_free (entry->reason);
  g_free (entry->reason_name);
  g_free (entry->snapshot);
  g_free (entry->refusal);
  g_free (entry);
}

static GPtrArray *
read_page (BylineStore  *store,
           gint64        comment_id,
           gint64        account_id,
           gint64        since,
           gint64        until,
           gint64        after_id,
           guint         limit,
           GError      **error)
{
  BylineSqliteConnection *conn = _byline_store_lock (store, error);
  GPtrArray *entries;

  if (conn == NULL)
    return NULL;
  entries = byline_store_moderation_log_table_list (conn, comment_id, account_id, since, until,
                                                    after_id, limit, error);
  _byline_store_unlock (store);
  return entries;
}

GPtrArray *
byline_moderation_log_list_comment (BylineStore  *store,
                                    gint64        comment_id,
                                    GError      **error)
{
  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);
  g_return_val_if_fail (comment_id > 0, NULL);

  return read_page (store, comment_id, 0, 0, 0, 0, G_MAXINT, error);
}

gboolean
byline_moderation_log_foreach (BylineStore              *store,
                               gint64                    account_id,
                               gint64                    since,
                               gint64                    until,
                               BylineModerationLogFunc   func,
                               gpointer                  user_data,
                               GError                  **error)
{
  gint64 after_id = 0;

  g_return_val_if_fail (BYLINE_IS_STORE (store), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  for (;;)
    {
      g_autoptr(GPtrArray) page = read_page (store, 0, account_id, since, until, after_id,
                                             PAGE_SIZE, error);

      if (page == NULL)
        return FALSE;
      for (guint i = 0; i < page->len; i++)
        if (!func (g_ptr_array_index (page, i), user_data, error))
          return FALSE;
      if (page->len < PAGE_SIZE)
        return TRUE;
      after_id = ((BylineModerationLogEntry *) g_ptr_array_index (page, page->len - 1))->id;
    }
}
