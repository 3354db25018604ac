/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-comment-actions-table.h: the SQL of the comment_actions table, the moderation
 * outbox: every decision, reply and edit waits here until the site has it. Every function
 * takes the store's locked connection. */
#pragma once

#include "byline-sqlite-connection.h"

G_BEGIN_DECLS

/* An entry due to be sent, with what the request needs of its comment. */
typedef struct {
  gint64  id;
  gint64  account_id;
  gint64  comment_id;
  char   *action;        /* "status", "delete", "reply" or "edit" */
  char   *value;
  guint   attempts;
  gint64  remote_id;     /* the comment's on the site */
  gint64  post_id;
  gint64  parent_id;
} BylineStoreCommentAction;

void       byline_store_comment_action_free                   (BylineStoreCommentAction *action);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineStoreCommentAction, byline_store_comment_action_free)

/* Queues @action (@value) for comment @comment_id. */
gboolean   byline_store_comment_actions_table_add             (BylineSqliteConnection  *conn,
                                                               gint64                   account_id,
                                                               gint64                   comment_id,
                                                               const char              *action,
                                                               const char              *value,
                                                               GError                 **error);
/* Entry @id, still waiting, takes another decision, due at once. */
gboolean   byline_store_comment_actions_table_change          (BylineSqliteConnection  *conn,
                                                               gint64                   id,
                                                               const char              *action,
                                                               const char              *value,
                                                               GError                 **error);
gboolean   byline_store_comment_actions_table_drop            (BylineSqliteConnection  *conn,
                                                               gint64                   id,
                                                               GError                 **error);
/* Entry @id if it is still @action (@value), as it was sent: another process may have changed
 * it since. The rows removed (0 or 1), -1 on an error. */
gint64     byline_store_comment_actions_table_drop_if_sent_as (BylineSqliteConnection  *conn,
                                                               gint64                   id,
                                                               const char              *action,
                                                               const char              *value,
                                                               GError                 **error);
/* The entries the site refused for comment @comment_id. */
gboolean   byline_store_comment_actions_table_drop_failed     (BylineSqliteConnection  *conn,
                                                               gint64                   comment_id,
                                                               GError                 **error);
/* Every entry of comment @comment_id. */
gboolean   byline_store_comment_actions_table_drop_comment    (BylineSqliteConnection  *conn,
                                                               gint64                   comment_id,
                                                               GError                 **error);
/* Whether an entry other than @except_id waits for comment @comment_id; TRUE too when it
 * cannot be told (@error set). */
gboolean   byline_store_comment_actions_table_has_waiting     (BylineSqliteConnection  *conn,
                                                               gint64                   comment_id,
                                                               gint64                   except_id,
                                                               GError                 **error);
/* Entries waiting to be sent, of @account_id only unless 0. */
guint      byline_store_comment_actions_table_count_waiting   (BylineSqliteConnection  *conn,
                                                               gint64                   account_id,
                                                               GError                 **error);
/* Makes every entry waiting (of @account_id only unless 0) due now, but for a reply's hold. */
gboolean   byline_store_comment_actions_table_retry_now       (BylineSqliteConnection  *conn,
                                                               gint64                   account_id,
                                                               GError                 **error);
/* At most @limit BylineStoreCommentAction due at @now, oldest first: none behind another entry
 * of the same comment, none for a site whose backoff runs, none for the accounts in @blocked
 * (a set of gint64, nullable). */
GPtrArray *byline_store_comment_actions_table_list_due        (BylineSqliteConnection  *conn,
                                                               gint64                   now,
                                                               GHashTable              *blocked,
                                                               guint                    limit,
                                                               GError                 **error);
/* Entry @id is out: the site may apply it even if its answer is lost. */
gboolean   byline_store_comment_actions_table_mark_sent       (BylineSqliteConnection  *conn,
                                                               gint64                   id,
                                                               GError                 **error);
/* Entry @id is not sent before @until (seconds; 0: no longer held): set just before a reply is
 * sent and again when it fails without a clear answer, so that a later attempt (after a crash, a
 * backoff or "retry now", which this outlasts) does not send it again while the first may still
 * be running on the site. Another entry's wait is not held by it. */
gboolean   byline_store_comment_actions_table_hold            (BylineSqliteConnection  *conn,
                                                               gint64                   id,
                                                               gint64                   until,
                                                               GError                 **error);
/* Entry @id failed with @message and waits until @due_at; @maybe_done: the site may have done
 * it (then it is sent again, never dropped). */
gboolean   byline_store_comment_actions_table_postpone        (BylineSqliteConnection  *conn,
                                                               gint64                   id,
                                                               gint64                   due_at,
                                                               const char              *message,
                                                               gboolean                 maybe_done,
                                                               GError                 **error);
/* Entry @id, if still @action (@value), is kept as refused by the site with @message. The rows
 * changed (0 or 1), -1 on an error. */
gint64     byline_store_comment_actions_table_mark_failed     (BylineSqliteConnection  *conn,
                                                               gint64                   id,
                                                               const char              *action,
                                                               const char              *value,
                                                               const char              *message,
                                                               GError                 **error);

G_END_DECLS
