/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-moderation-log-table.h: the SQL of the moderation_log table, the audit trail of
 * moderation. Entries are added, and the site's answer set once; nothing else changes (the
 * table's triggers refuse it). Every function takes the store's locked connection. */
#pragma once

#include "byline-moderation-log.h"
#include "byline-sqlite-connection.h"

G_BEGIN_DECLS

/* Records @action on comment @comment_id at @now (µs, @utc_offset seconds east), with what the
 * comment, its post and its account hold now (its text, author, the account's user name).
 * @outbox_id is the comment_actions entry that sends it with @sent_action/@sent_value (0: none,
 * and @confirmed_at says whether the site has it already). FALSE on an error, NOT_FOUND when
 * the comment is not in the store. */
gboolean   byline_store_moderation_log_table_add     (BylineSqliteConnection  *conn,
                                                      gint64                   comment_id,
                                                      gint64                   now,
                                                      gint                     utc_offset,
                                                      const char              *action,
                                                      const char              *status,
                                                      const char              *reason,
                                                      gint64                   outbox_id,
                                                      const char              *sent_action,
                                                      const char              *sent_value,
                                                      gint64                   confirmed_at,
                                                      GError                 **error);
/* The entries sent as outbox entry @outbox_id with @action/@value, not answered yet, are
 * confirmed at @now. */
gboolean   byline_store_moderation_log_table_confirm (BylineSqliteConnection  *conn,
                                                      gint64                   outbox_id,
                                                      const char              *action,
                                                      const char              *value,
                                                      gint64                   now,
                                                      GError                 **error);
/* … or refused at @now with @message. */
gboolean   byline_store_moderation_log_table_refuse  (BylineSqliteConnection  *conn,
                                                      gint64                   outbox_id,
                                                      const char              *action,
                                                      const char              *value,
                                                      gint64                   now,
                                                      const char              *message,
                                                      GError                 **error);
/* At most @limit entries (BylineModerationLogEntry), oldest first: of comment @comment_id when
 * not 0, else of @account_id (0: all) from @since to before @until, after entry @after_id (for
 * pages: the entries are in id order, which is their order of writing). */
GPtrArray *byline_store_moderation_log_table_list    (BylineSqliteConnection  *conn,
                                                      gint64                   comment_id,
                                                      gint64                   account_id,
                                                      gint64                   since,
                                                      gint64                   until,
                                                      gint64                   after_id,
                                                      guint                    limit,
                                                      GError                 **error);

G_END_DECLS
