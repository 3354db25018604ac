/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-outbox-table.h: the SQL of the outbox table (every change to a site, written
 * before it is sent). */
#pragma once

#include "byline-outbox-entry.h"
#include "byline-sqlite-connection.h"

G_BEGIN_DECLS

/* An entry with what sending it needs, as the row holds it. */
typedef struct {
  gint64              id;
  gint64              account_id;
  gint64              draft_id;           /* 0 once the draft was purged */
  BylineOutboxAction  action;
  BylineOutboxState   state;
  char               *payload;            /* JSON: what is sent */
  char               *client_key;
  gint64              remote_id;
  char               *base_modified_gmt;  /* the post's version the entry was based on */
  guint               attempts;
  char               *theirs;             /* in CONFLICT, the site's version (JSON); else "" */
} BylineStoreOutboxRow;

void byline_store_outbox_row_free (BylineStoreOutboxRow *row);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineStoreOutboxRow, byline_store_outbox_row_free)

/* An entry that publishes @payload for @draft_id to @account_id, based on the post the draft is
 * linked to there (read in the same statement), if any. Its id, or 0 on a failure (NOT_FOUND
 * when the draft or the account is gone). */
gint64                byline_store_outbox_table_insert_publish (BylineSqliteConnection  *conn,
                                                                gint64                   account_id,
                                                                gint64                   draft_id,
                                                                const char              *payload,
                                                                const char              *client_key,
                                                                gint64                   now,
                                                                GError                 **error);
/* An entry that moves the post @draft_id is linked to into the site's trash. Its id; 0 with
 * @error set on a failure, unset when the draft is linked to no post. */
gint64                byline_store_outbox_table_insert_trash   (BylineSqliteConnection  *conn,
                                                                gint64                   draft_id,
                                                                const char              *client_key,
                                                                gint64                   now,
                                                                GError                 **error);
/* An entry that uploads the file @payload names for @draft_id to @account_id. Its id, or 0. */
gint64                byline_store_outbox_table_insert_upload  (BylineSqliteConnection  *conn,
                                                                gint64                   account_id,
                                                                gint64                   draft_id,
                                                                const char              *payload,
                                                                const char              *client_key,
                                                                gint64                   now,
                                                                GError                 **error);

/* The entries of @draft_id (0: all), oldest first (BylineOutboxEntry). NULL on a failure. */
GPtrArray            *byline_store_outbox_table_list           (BylineSqliteConnection  *conn,
                                                                gint64                   draft_id,
                                                                GError                 **error);
/* Entry @id; NULL with @error set on a failure, unset when there is none. */
BylineOutboxEntry    *byline_store_outbox_table_load           (BylineSqliteConnection  *conn,
                                                                gint64                   id,
                                                                GError                 **error);
/* The upload entry of @file for @account_id (0: any account), the done one first, else the
 * newest; NULL with @error set on a failure, unset when there is none. */
BylineOutboxEntry    *byline_store_outbox_table_find_upload    (BylineSqliteConnection  *conn,
                                                                gint64                   account_id,
                                                                const char              *file,
                                                                GError                 **error);
/* The media id of the done upload to @account_id whose file is at @link on the site: 0 when
 * there is none (@error unset), or on a failure (@error set). */
gint64                byline_store_outbox_table_media_id_at    (BylineSqliteConnection  *conn,
                                                                gint64                   account_id,
                                                                const char              *link,
                                                                GError                 **error);
/* Entry @id with its payload; NULL with @error set on a failure, unset when there is none. */
BylineStoreOutboxRow *byline_store_outbox_table_load_row       (BylineSqliteConnection  *conn,
                                                                gint64                   id,
                                                                GError                 **error);
/* The first pending entry after @after_id that is due at @now, whose account is not in
 * @held_back (gint64 keys, nullable), and that no earlier entry of the same draft and
 * account still waits before (pending or in conflict), so that an older version never lands
 * after a newer one. NULL with @error set on a failure, unset when there is none. */
BylineStoreOutboxRow *byline_store_outbox_table_next_due       (BylineSqliteConnection  *conn,
                                                                gint64                   now,
                                                                gint64                   after_id,
                                                                GHashTable              *held_back,
                                                                GError                 **error);

/* Makes entry @id, when PENDING or FAILED, due at once. FALSE with @error set on a failure,
 * unset when the entry is in no such state (or is gone). */
gboolean              byline_store_outbox_table_make_due       (BylineSqliteConnection  *conn,
                                                                gint64                   id,
                                                                gint64                   now,
                                                                GError                 **error);
/* Entry @id, when PENDING, is not sent before @until (0: no longer held): set just before a
 * request that creates something and again when it fails without a clear answer, so that a later
 * attempt (after a crash, a backoff or "Send now", which this outlasts) does not look for what it
 * made while that request may still be running on the site. An entry's next_attempt_at, as
 * listed, includes it. */
gboolean              byline_store_outbox_table_hold           (BylineSqliteConnection  *conn,
                                                                gint64                   id,
                                                                gint64                   until,
                                                                gint64                   now,
                                                                GError                 **error);
/* Counts an attempt that failed: the entry goes to @state (PENDING, due at @due_at, or FAILED)
 * with @last_error. */
gboolean              byline_store_outbox_table_set_failed     (BylineSqliteConnection  *conn,
                                                                gint64                   id,
                                                                BylineOutboxState        state,
                                                                gint64                   due_at,
                                                                const char              *last_error,
                                                                gint64                   now,
                                                                GError                 **error);
/* Counts the attempt that did it: DONE, with the post (or media) @remote_id and its @link. */
gboolean              byline_store_outbox_table_set_done       (BylineSqliteConnection  *conn,
                                                                gint64                   id,
                                                                gint64                   remote_id,
                                                                const char              *link,
                                                                gint64                   now,
                                                                GError                 **error);
/* Counts an attempt that met the post changed on the site: CONFLICT, with @theirs (JSON). */
gboolean              byline_store_outbox_table_set_conflict   (BylineSqliteConnection  *conn,
                                                                gint64                   id,
                                                                const char              *theirs,
                                                                const char              *last_error,
                                                                gint64                   now,
                                                                GError                 **error);
/* The entry's post is @remote_id, at version @base (its modified_gmt). */
gboolean              byline_store_outbox_table_set_post       (BylineSqliteConnection  *conn,
                                                                gint64                   id,
                                                                gint64                   remote_id,
                                                                const char              *base,
                                                                gint64                   now,
                                                                GError                 **error);
/* Moves the pending entries of @draft_id and @account_id after @after_id that were based on
 * @old_base of @remote_id (or on no post yet) onto @remote_id at @new_base: they were queued on
 * top of the entry @after_id, not on top of someone else's edit. */
gboolean              byline_store_outbox_table_follow_post    (BylineSqliteConnection  *conn,
                                                                gint64                   after_id,
                                                                gint64                   draft_id,
                                                                gint64                   account_id,
                                                                gint64                   remote_id,
                                                                const char              *old_base,
                                                                const char              *new_base,
                                                                gint64                   now,
                                                                GError                 **error);
/* The same for a version of the same post: the pending entries after @after_id based on
 * @old_base are now based on @new_base. */
gboolean              byline_store_outbox_table_follow_base    (BylineSqliteConnection  *conn,
                                                                gint64                   after_id,
                                                                gint64                   draft_id,
                                                                gint64                   account_id,
                                                                const char              *old_base,
                                                                const char              *new_base,
                                                                gint64                   now,
                                                                GError                 **error);
/* Entry @id in CONFLICT is due again, based on the site's version @base. */
gboolean              byline_store_outbox_table_keep_mine      (BylineSqliteConnection  *conn,
                                                                gint64                   id,
                                                                const char              *base,
                                                                gint64                   now,
                                                                GError                 **error);
/* Entry @id in CONFLICT is done without sending; the post's address is @link. */
gboolean              byline_store_outbox_table_take_theirs    (BylineSqliteConnection  *conn,
                                                                gint64                   id,
                                                                const char              *link,
                                                                gint64                   now,
                                                                GError                 **error);

G_END_DECLS
