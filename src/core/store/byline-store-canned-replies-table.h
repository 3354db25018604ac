/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-canned-replies-table.h: the SQL of the canned_replies table, the replies each
 * site's moderators keep ready to insert in a reply. Every function takes the store's locked
 * connection. */
#pragma once

#include "byline-sqlite-connection.h"

G_BEGIN_DECLS

/* One kept reply, as the table holds it. */
typedef struct {
  gint64  id;
  char   *title;
  char   *body;
} BylineStoreCannedReplyRow;

void       byline_store_canned_reply_row_free          (BylineStoreCannedReplyRow *row);

/* BylineStoreCannedReplyRow of @account_id, in their order. */
GPtrArray *byline_store_canned_replies_table_list      (BylineSqliteConnection  *conn,
                                                        gint64                   account_id,
                                                        GError                 **error);
/* Adds a reply after the account's others; returns its id, 0 with @error set on a failure. */
gint64     byline_store_canned_replies_table_append    (BylineSqliteConnection  *conn,
                                                        gint64                   account_id,
                                                        const char              *title,
                                                        const char              *body,
                                                        gint64                   now,
                                                        GError                 **error);
/* @found FALSE when no reply has @id. */
gboolean   byline_store_canned_replies_table_update    (BylineSqliteConnection  *conn,
                                                        gint64                   id,
                                                        const char              *title,
                                                        const char              *body,
                                                        gint64                   now,
                                                        gboolean                *found,
                                                        GError                 **error);
gboolean   byline_store_canned_replies_table_delete    (BylineSqliteConnection  *conn,
                                                        gint64                   id,
                                                        gboolean                *found,
                                                        GError                 **error);
/* Puts reply @id of @account_id at @position (0 first); @found FALSE when the account has no
 * reply @id. */
gboolean   byline_store_canned_replies_table_set_position (BylineSqliteConnection  *conn,
                                                           gint64                   account_id,
                                                           gint64                   id,
                                                           gint64                   position,
                                                           gboolean                *found,
                                                           GError                 **error);

G_END_DECLS
