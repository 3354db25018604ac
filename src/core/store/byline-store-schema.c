/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-schema.c: the shape of the drafts database, one migration a version.
 *
 * Every table the store holds is made here, and only here: read this file to know what the
 * database keeps, and the byline-store-<table>-table.c files for what is done with it. The store
 * runs the migrations when it opens (byline-store.c). */

#include "config.h"

#include "byline-store-schema.h"
#include "byline-store.h"

/* Each entry takes the schema from the version before it to its own index + 1; each runs in one
 * transaction with the user_version update, so a crash leaves either the old or the new shape.
 * Never edit a released entry: add one. */
static const char * const migrations[] = {
  /* 1: the first shape. Fresh databases go through it too, so that there is one path. */
  "CREATE TABLE drafts ("
  "  id INTEGER PRIMARY KEY,"
  "  title TEXT NOT NULL DEFAULT '',"
  "  body TEXT NOT NULL DEFAULT '',"
  "  modified_at INTEGER NOT NULL"
  ");",

  /* 2: publishing metadata, soft deletion, revisions and the meta table. */
  "ALTER TABLE drafts ADD COLUMN format INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE drafts ADD COLUMN slug TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE drafts ADD COLUMN excerpt TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE drafts ADD COLUMN categories TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE drafts ADD COLUMN tags TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE drafts ADD COLUMN author TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE drafts ADD COLUMN publish_date TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE drafts ADD COLUMN source_path TEXT NOT NULL DEFAULT '';"
  "ALTER TABLE drafts ADD COLUMN created_at INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE drafts ADD COLUMN deleted_at INTEGER;"
  /* Version 1 did not record creation: the last change is the best guess there is. */
  "UPDATE drafts SET created_at = modified_at;"
  "CREATE INDEX drafts_modified_at ON drafts (modified_at);"
  /* Opening a file asks whether a draft came from it. */
  "CREATE INDEX drafts_source_path ON drafts (source_path);"
  "CREATE TABLE revisions ("
  "  id INTEGER PRIMARY KEY,"
  "  draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,"
  "  kind INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  title TEXT NOT NULL,"
  "  body TEXT NOT NULL"
  ");"
  "CREATE INDEX revisions_draft_created ON revisions (draft_id, created_at);"
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY,"
  "  value"
  ");",

  /* 3: WordPress sites the user signed in to (their passwords live in the Secret Service). */
  "CREATE TABLE accounts ("
  "  id INTEGER PRIMARY KEY,"
  "  site_url TEXT NOT NULL,"
  "  api_root TEXT NOT NULL,"
  "  username TEXT NOT NULL,"
  "  display_name TEXT NOT NULL DEFAULT '',"
  "  site_name TEXT NOT NULL DEFAULT '',"
  "  capabilities INTEGER NOT NULL DEFAULT 0,"
  "  timezone TEXT NOT NULL DEFAULT '',"
  "  gmt_offset REAL NOT NULL DEFAULT 0,"
  "  created_at INTEGER NOT NULL,"
  "  UNIQUE (api_root, username)"
  ");",

  /* 4: publishing. remote_posts links a draft to its post on a site (only the publisher writes
   * it, never the draft's own save); outbox holds every change to be sent, written before it is
   * sent, so that nothing the user published is lost to a crash or a network failure. */
  "CREATE TABLE remote_posts ("
  "  draft_id INTEGER PRIMARY KEY REFERENCES drafts (id) ON DELETE CASCADE,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  remote_id INTEGER NOT NULL,"
  "  modified_gmt TEXT NOT NULL,"
  "  status TEXT NOT NULL,"
  "  link TEXT NOT NULL"
  ");"
  "CREATE TABLE outbox ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  draft_id INTEGER REFERENCES drafts (id) ON DELETE SET NULL,"
  "  action TEXT NOT NULL CHECK (action IN ('publish', 'trash')),"
  "  payload TEXT NOT NULL,"
  "  client_key TEXT NOT NULL UNIQUE,"
  "  remote_id INTEGER NOT NULL DEFAULT 0,"
  "  base_modified_gmt TEXT NOT NULL DEFAULT '',"
  "  state INTEGER NOT NULL DEFAULT 0,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT NOT NULL DEFAULT '',"
  "  theirs TEXT NOT NULL DEFAULT '',"
  "  link TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX outbox_due ON outbox (state, next_attempt_at);"
  /* A draft's entries are listed for its editor, and purging a draft nulls them. */
  "CREATE INDEX outbox_draft ON outbox (draft_id);",

  /* 5: images. An upload is an outbox entry like any change (its payload names the copy of the
   * file kept in the uploads folder); SQLite cannot change a CHECK, so the table is made again.
   * A draft keeps its featured image ("media:ID" or a local upload's address). */
  "CREATE TABLE outbox_new ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  draft_id INTEGER REFERENCES drafts (id) ON DELETE SET NULL,"
  "  action TEXT NOT NULL CHECK (action IN ('publish', 'trash', 'upload')),"
  "  payload TEXT NOT NULL,"
  "  client_key TEXT NOT NULL UNIQUE,"
  "  remote_id INTEGER NOT NULL DEFAULT 0,"
  "  base_modified_gmt TEXT NOT NULL DEFAULT '',"
  "  state INTEGER NOT NULL DEFAULT 0,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT NOT NULL DEFAULT '',"
  "  theirs TEXT NOT NULL DEFAULT '',"
  "  link TEXT NOT NULL DEFAULT '',"
  "  created_at INTEGER NOT NULL,"
  "  updated_at INTEGER NOT NULL"
  ");"
  "INSERT INTO outbox_new SELECT id, account_id, draft_id, action, payload, client_key,"
  "  remote_id, base_modified_gmt, state, attempts, next_attempt_at, last_error, theirs, link,"
  "  created_at, updated_at FROM outbox;"
  "DROP TABLE outbox;"
  "ALTER TABLE outbox_new RENAME TO outbox;"
  "CREATE INDEX outbox_due ON outbox (state, next_attempt_at);"
  "CREATE INDEX outbox_draft ON outbox (draft_id);"
  "ALTER TABLE drafts ADD COLUMN featured_image TEXT NOT NULL DEFAULT '';",

  /* 6: moderation. comments caches a site's comments; status is what the moderator decided
   * (shown at once), remote_status what the site last said. comment_actions is the moderation
   * outbox: every decision is written here before it is sent. comment_posts names the posts. */
  "CREATE TABLE comments ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  remote_id INTEGER NOT NULL DEFAULT 0,"       /* 0 for a reply not yet created on the site */
  "  post_id INTEGER NOT NULL,"
  "  parent_id INTEGER NOT NULL DEFAULT 0,"       /* the remote id of the comment replied to */
  "  author_user_id INTEGER NOT NULL DEFAULT 0,"
  "  author_name TEXT NOT NULL DEFAULT '',"
  "  author_email TEXT NOT NULL DEFAULT '',"
  "  author_url TEXT NOT NULL DEFAULT '',"
  "  author_ip TEXT NOT NULL DEFAULT '',"
  "  date_gmt TEXT NOT NULL,"
  "  date_unix INTEGER NOT NULL,"
  "  content TEXT NOT NULL DEFAULT '',"           /* content.rendered: untrusted HTML */
  "  raw TEXT NOT NULL DEFAULT '',"               /* content.raw, for editing */
  "  text TEXT NOT NULL DEFAULT '',"              /* plain text, for search and snippets */
  "  link TEXT NOT NULL DEFAULT '',"
  "  status TEXT NOT NULL,"
  "  remote_status TEXT NOT NULL,"
  "  restore_status TEXT NOT NULL DEFAULT '',"    /* what 'restore' goes back to from spam/trash */
  "  seen_at INTEGER NOT NULL DEFAULT 0"
  ");"
  "CREATE UNIQUE INDEX comments_remote ON comments (account_id, remote_id) WHERE remote_id > 0;"
  "CREATE INDEX comments_queue ON comments (account_id, status, date_unix, id);"
  "CREATE INDEX comments_post ON comments (account_id, post_id, date_unix);"
  "CREATE INDEX comments_author ON comments (account_id, author_email);"
  /* The author's other comments, for those who left no e-mail (pingbacks, anonymous). */
  "CREATE INDEX comments_author_name ON comments (account_id, author_name, date_unix);"
  /* A comment's replies, shown under it. */
  "CREATE INDEX comments_parent ON comments (account_id, parent_id);"
  "CREATE TABLE comment_posts ("
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  post_id INTEGER NOT NULL,"
  "  title TEXT NOT NULL DEFAULT '',"
  "  link TEXT NOT NULL DEFAULT '',"
  "  PRIMARY KEY (account_id, post_id)"
  ");"
  "CREATE TABLE comment_actions ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  comment_id INTEGER NOT NULL,"
  "  action TEXT NOT NULL CHECK (action IN ('status', 'delete', 'reply', 'edit')),"
  "  value TEXT NOT NULL DEFAULT '',"
  "  state INTEGER NOT NULL DEFAULT 0,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  next_attempt_at INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT NOT NULL DEFAULT '',"
  "  sent INTEGER NOT NULL DEFAULT 0,"            /* 1: out now; 2: may have been applied */
  "  created_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX comment_actions_due ON comment_actions (state, id);"
  "CREATE INDEX comment_actions_comment ON comment_actions (comment_id, state);",

  /* 7: each account's categories and tags as last listed, so that the Publish window shows them
   * at once, and offline; one JSON array per taxonomy. */
  "CREATE TABLE term_cache ("
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  taxonomy TEXT NOT NULL CHECK (taxonomy IN ('categories', 'tags')),"
  "  terms TEXT NOT NULL,"
  "  fetched_at INTEGER NOT NULL,"
  "  PRIMARY KEY (account_id, taxonomy)"
  ");",

  /* 8: the language a draft is written in, for its spelling and its preview ("" for the
   * system's, as drafts from before it are read). */
  "ALTER TABLE drafts ADD COLUMN language TEXT NOT NULL DEFAULT '';",

  /* 9: the pre-publish check. check_policies holds, per account, the fields its site requires
   * and the kinds of finding that stop a post (names, not numbers, so that the enums may grow);
   * an account without a row has the default policy. check_overrides is part of a post's
   * history: each time someone sent it despite blocking findings, with their reason and the
   * findings as they read them. It outlives the account (the history is the draft's). */
  "CREATE TABLE check_policies ("
  "  account_id INTEGER PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,"
  "  required TEXT NOT NULL,"      /* field names, comma-separated ("title,excerpt") */
  "  blocking TEXT NOT NULL,"      /* kind names, comma-separated ("empty-body,broken-link") */
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE TABLE check_overrides ("
  "  id INTEGER PRIMARY KEY,"
  "  draft_id INTEGER NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,"
  "  account_id INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL,"
  "  reason TEXT NOT NULL CHECK (reason != ''),"
  "  findings TEXT NOT NULL"         /* the blocking findings, one a line */
  ");"
  "CREATE INDEX check_overrides_draft ON check_overrides (draft_id, created_at);",

  /* 10: the post as the site held it when the draft was last linked to it (opened, published,
   * or the site's version taken), as a JSON object of its fields in edit context: the common
   * base from which both the site's changes and the draft's are measured ("" for links made
   * before it was kept). */
  "ALTER TABLE remote_posts ADD COLUMN base TEXT NOT NULL DEFAULT '';",

  /* 11: moderation by policy. moderation_reasons is each site's list of policy reasons (a slug
   * that stays, a name that may change; a removed reason is kept, marked, so that the trail and
   * the comments still name it). comments.reason is the slug of the reason of the comment's
   * current decision. moderation_log is the audit trail: one entry per decision, undo, reply and
   * edit, written in the transaction that makes it, with a snapshot of the comment; its facts
   * are never rewritten (the triggers refuse it), and the site's answer is set once. */
  "CREATE TABLE moderation_reasons ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  slug TEXT NOT NULL CHECK (slug != ''),"
  "  name TEXT NOT NULL CHECK (name != ''),"
  "  position INTEGER NOT NULL,"
  "  removed INTEGER NOT NULL DEFAULT 0,"
  "  UNIQUE (account_id, slug)"
  ");"
  "ALTER TABLE comments ADD COLUMN reason TEXT NOT NULL DEFAULT '';"
  "CREATE TABLE moderation_log ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL,"                /* no cascade: the record outlives the account */
  "  comment_id INTEGER NOT NULL,"
  "  remote_id INTEGER NOT NULL DEFAULT 0,"
  "  post_id INTEGER NOT NULL DEFAULT 0,"
  "  post_title TEXT NOT NULL DEFAULT '',"
  "  author_name TEXT NOT NULL DEFAULT '',"
  "  author_email TEXT NOT NULL DEFAULT '',"
  "  who TEXT NOT NULL,"                          /* the site user name of the account */
  "  created_at INTEGER NOT NULL,"                /* µs since the epoch, UTC */
  "  utc_offset INTEGER NOT NULL,"                /* seconds: local time when it was made */
  "  action TEXT NOT NULL,"
  "  status TEXT NOT NULL DEFAULT '',"            /* what it made the comment, for a decision */
  "  reason TEXT NOT NULL DEFAULT '',"            /* slug */
  "  reason_name TEXT NOT NULL DEFAULT '',"       /* as it was named then */
  "  snapshot TEXT NOT NULL DEFAULT '',"          /* the comment's text then */
  "  outbox_id INTEGER NOT NULL DEFAULT 0,"       /* the comment_actions entry that sends it */
  "  sent_action TEXT NOT NULL DEFAULT '',"       /* what that entry sends for it */
  "  sent_value TEXT NOT NULL DEFAULT '',"
  "  confirmed_at INTEGER NOT NULL DEFAULT 0,"    /* µs; the site has it */
  "  refused_at INTEGER NOT NULL DEFAULT 0,"
  "  refusal TEXT NOT NULL DEFAULT ''"            /* the site's message */
  ");"
  "CREATE INDEX moderation_log_account ON moderation_log (account_id, created_at);"
  "CREATE INDEX moderation_log_comment ON moderation_log (comment_id, id);"
  "CREATE INDEX moderation_log_outbox ON moderation_log (outbox_id) WHERE outbox_id > 0;"
  "CREATE TRIGGER moderation_log_kept BEFORE DELETE ON moderation_log"
  " BEGIN SELECT RAISE (ABORT, 'the moderation log is never rewritten'); END;"
  "CREATE TRIGGER moderation_log_facts BEFORE UPDATE OF id, account_id, comment_id, remote_id,"
  "  post_id, post_title, author_name, author_email, who, created_at, utc_offset, action,"
  "  status, reason, reason_name, snapshot, outbox_id, sent_action, sent_value"
  "  ON moderation_log"
  " BEGIN SELECT RAISE (ABORT, 'the moderation log is never rewritten'); END;"
  "CREATE TRIGGER moderation_log_answer BEFORE UPDATE OF confirmed_at, refused_at, refusal"
  "  ON moderation_log WHEN OLD.confirmed_at != 0 OR OLD.refused_at != 0"
  " BEGIN SELECT RAISE (ABORT, 'the site answered this entry already'); END;",

  /* 12: canned replies, per account, in the moderators' order; the body may hold {name} (the
   * commenter's) and {post} (the post's title), expanded when the reply is inserted. */
  "CREATE TABLE canned_replies ("
  "  id INTEGER PRIMARY KEY,"
  "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
  "  position INTEGER NOT NULL,"
  "  title TEXT NOT NULL CHECK (title != ''),"
  "  body TEXT NOT NULL CHECK (body != ''),"
  "  updated_at INTEGER NOT NULL"
  ");"
  "CREATE INDEX canned_replies_account ON canned_replies (account_id, position);",

  /* 13: until when a request that creates something (a post, a file, a reply) may still be
   * landing on the site, after a crash or a request given up on: nothing is sent for that entry
   * before, not even on "Send now", which clears next_attempt_at (outbox: µs; comment_actions:
   * seconds, as their other times). */
  ("ALTER TABLE outbox ADD COLUMN create_settles_at INTEGER NOT NULL DEFAULT 0;"
   "ALTER TABLE comment_actions ADD COLUMN create_settles_at INTEGER NOT NULL DEFAULT 0;"),
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == BYLINE_STORE_SCHEMA_VERSION);

const char *
byline_store_schema_get_migration (int version)
{
  g_return_val_if_fail (version >= 0 && version < BYLINE_STORE_SCHEMA_VERSION, NULL);

  return migrations[version];
}
