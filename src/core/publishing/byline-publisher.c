/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-publisher.c: the durable outbox that publishes drafts to WordPress and links them.
 *
 * Publishing first writes an outbox entry with everything that will be sent, computed from the
 * draft at that moment; processing sends the due entries later, one at a time, and records each
 * step in the store before the next, so that a crash, a timeout or a lost answer never loses a
 * change nor makes it twice.
 *
 * Creating a post is the one request WordPress cannot make idempotent. A new post is therefore
 * created as a draft whose slug is "byline-" and the entry's random client key, and its id is
 * recorded at once in its own transaction; when an attempt ends without knowing whether the
 * create happened, the next one first looks for a post with that slug. Only then is the post
 * updated to what the person asked for (status included), which can be repeated safely.
 *
 * WordPress has no ETag either: before updating a post someone else may have edited, the post is
 * read and its modified_gmt compared, for equality, with the one the entry was based on. */

#define G_LOG_DOMAIN "byline-publisher"

#include "config.h"

#include <errno.h>

#include <glib/gstdio.h>
#include <glib/gi18n-lib.h>

#include "byline-markdown.h"
#include "byline-publisher.h"
#include "byline-store-drafts-table.h"
#include "byline-store-outbox-table.h"
#include "byline-store-private.h"
#include "byline-store-remote-posts-table.h"
#include "byline-term-cache.h"
#include "byline-term-index.h"
#include "byline-wp-client.h"

#define SLUG_PREFIX "byline-"
/* The longest Retry-After obeyed: a site asking for more is asked again after an hour. */
#define MAX_RETRY_AFTER_SECONDS (60 * 60)

struct _BylinePublisher
{
  GObject         parent_instance;

  BylineStore    *store;
  BylineAccounts *accounts;
  char           *uploads_dir;

  /* Process calls made while a run goes on: each starts a run of its own afterwards. */
  GQueue          waiting;

  guint           timeout;
  guint           running : 1;
};

enum {
  ENTRY_CHANGED,
  UPLOAD_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BylinePublisher, byline_publisher, G_TYPE_OBJECT)
G_DEFINE_QUARK (byline-publisher-error-quark, byline_publisher_error)

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

static void
emit_entry_changed (BylinePublisher *self,
                    gint64           entry_id)
{
  g_signal_emit (self, signals[ENTRY_CHANGED], 0, entry_id);
}

static void
set_entry_not_found (GError **error,
                     gint64   entry_id)
{
  g_set_error (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_NOT_FOUND,
               _("There is no entry %lld in the outbox"), (long long) entry_id);
}

/* Links the draft to its post (a draft has one link: publishing it to another account moves it
 * there), and moves the later entries of the same draft and account that were waiting, based on
 * what this entry replaced (or on no post yet), onto the post as it now is: they were queued on
 * top of this one, not on top of someone else's edit. Locked, inside a transaction. */
static gboolean
link_draft_locked (BylineSqliteConnection  *conn,
                   gint64                   entry_id,
                   gint64                   draft_id,
                   gint64                   account_id,
                   gint64                   remote_id,
                   const char              *old_base,
                   const char              *modified_gmt,
                   const char              *status,
                   const char              *link,
                   GError                 **error)
{
  if (draft_id <= 0)
    return TRUE;

  return byline_store_remote_posts_table_upsert (conn, draft_id, account_id, remote_id,
                                                 modified_gmt, status, link, error)
         && byline_store_outbox_table_follow_post (conn, entry_id, draft_id, account_id,
                                                   remote_id, old_base, modified_gmt,
                                                   g_get_real_time (), error);
}

/* Enqueueing */

static gboolean
is_status (const char *status)
{
  static const char * const statuses[] = { "draft", "pending", "future", "publish", "private" };

  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    if (g_strcmp0 (status, statuses[i]) == 0)
      return TRUE;
  return FALSE;
}

/* Checks @options and returns the UTC date to send ("" for none) in @date_gmt. */
static gboolean
validate_options (BylineDraft                 *draft,
                  const BylinePublishOptions  *options,
                  char                       **date_gmt,
                  GError                     **error)
{
  g_autoptr(GDateTime) date = NULL;
  g_autofree char *title = g_strstrip (g_strdup (byline_draft_get_title (draft)));
  gboolean publishes;

  if (!is_status (options->status))
    {
      g_set_error (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                   _("“%s” is not a status WordPress knows: choose draft, pending, future, "
                     "publish or private."), options->status ? options->status : "");
      return FALSE;
    }
  publishes = g_str_equal (options->status, "publish") || g_str_equal (options->status, "future");

  if (publishes && *title == '\0')
    {
      g_set_error_literal (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                           _("Give the post a title before publishing it."));
      return FALSE;
    }

  if (options->date_gmt != NULL && *options->date_gmt != '\0')
    {
      g_autoptr(GTimeZone) utc = g_time_zone_new_utc ();

      date = g_date_time_new_from_iso8601 (options->date_gmt, utc);
      if (date == NULL)
        {
          g_set_error (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                       _("“%s” is not a date and time Byline understands (for example "
                         "2030-01-02T03:04:05, in UTC)."), options->date_gmt);
          return FALSE;
        }
    }

  if (g_str_equal (options->status, "future"))
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      /* WordPress publishes at once a "future" post with no date or one less than a minute
       * ahead: refuse rather than publish what the person meant to schedule. */
      if (date == NULL)
        {
          g_set_error_literal (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                               _("Choose a date and time to schedule the post."));
          return FALSE;
        }
      if (g_date_time_difference (date, now)
          < BYLINE_PUBLISHER_MIN_SCHEDULE_SECONDS * G_TIME_SPAN_SECOND)
        {
          g_set_error_literal (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                               _("A scheduled post needs a date at least a minute ahead; "
                                 "WordPress would publish it at once."));
          return FALSE;
        }
    }

  if (options->comment_status != NULL && !g_str_equal (options->comment_status, "open")
      && !g_str_equal (options->comment_status, "closed"))
    {
      g_set_error (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                   _("Comments can be “open” or “closed”, not “%s”."), options->comment_status);
      return FALSE;
    }

  if (options->featured_media < 0)
    {
      g_set_error_literal (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                           _("The featured image is not one from the site."));
      return FALSE;
    }

  if (date != NULL)
    {
      g_autoptr(GDateTime) utc_date = g_date_time_to_utc (date);

      *date_gmt = g_date_time_format (utc_date, "%Y-%m-%dT%H:%M:%S");
    }
  else
    *date_gmt = g_strdup ("");
  return TRUE;
}

/* "News, World ,, news" as the names a person typed, trimmed, without empty ones or repeats. */
static void
add_names (JsonBuilder *builder,
           const char  *member,
           const char  *comma_separated)
{
  g_auto(GStrv) parts = g_strsplit (comma_separated, ",", -1);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *name = g_strstrip (parts[i]);

      if (*name == '\0' || !g_hash_table_add (seen, name))
        continue;
      json_builder_add_string_value (builder, name);
    }
  json_builder_end_array (builder);
}

static char *
build_payload (BylineDraft                *draft,
               const BylinePublishOptions *options,
               const char                 *date_gmt)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *content = NULL;
  const char *body = byline_draft_get_body (draft);
  const char *featured_image = byline_draft_get_featured_image (draft);
  gint64 featured_media = options->featured_media;
  const char *file;

  /* The options win; else the draft's own (kept from the site, or chosen in the window). */
  if (featured_media == 0 && g_str_has_prefix (featured_image, "media:"))
    featured_media = MAX (g_ascii_strtoll (featured_image + strlen ("media:"), NULL, 10), 0);

  if (byline_draft_get_format (draft) == BYLINE_DRAFT_FORMAT_MARKDOWN)
    content = byline_markdown_render_html (body, -1);
  else
    content = g_strdup (body);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, byline_draft_get_title (draft));
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, content);
  json_builder_set_member_name (builder, "excerpt");
  json_builder_add_string_value (builder, byline_draft_get_excerpt (draft));
  /* "" when the draft has none: WordPress then makes one from the title when publishing. */
  json_builder_set_member_name (builder, "slug");
  json_builder_add_string_value (builder, byline_draft_get_slug (draft));
  add_names (builder, "categories", byline_draft_get_categories (draft));
  add_names (builder, "tags", byline_draft_get_tags (draft));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, options->status);
  /* null, not left out: on an update it takes a scheduled post back to "now" (or a draft back
   * to a floating date) instead of keeping the date it had. */
  json_builder_set_member_name (builder, "date_gmt");
  if (*date_gmt != '\0')
    json_builder_add_string_value (builder, date_gmt);
  else
    json_builder_add_null_value (builder);
  if (options->comment_status != NULL)
    {
      json_builder_set_member_name (builder, "comment_status");
      json_builder_add_string_value (builder, options->comment_status);
    }
  /* Left out when nothing was chosen ("" — a draft made before featured images were kept):
   * an update then keeps the post's own instead of removing it. "none" removes it. */
  if (featured_media > 0 || *featured_image != '\0')
    {
      json_builder_set_member_name (builder, "featured_media");
      json_builder_add_int_value (builder, featured_media);
    }
  /* An image of the draft still on its way: its media id is only known when sending. */
  if (featured_media == 0 && (file = byline_upload_address_get_file (featured_image)) != NULL)
    {
      json_builder_set_member_name (builder, "featured_upload");
      json_builder_add_string_value (builder, file);
    }
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* The error of an entry for @draft_id that could not be written: the store's own, or a clear
 * "no such draft" when the draft is gone (a foreign key; the account was checked before). */
static void
set_insert_error (GError  **error,
                  GError   *insert_error,
                  gint64    draft_id)
{
  if (g_error_matches (insert_error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND))
    {
      g_set_error (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND,
                   _("There is no draft %lld in the drafts database"), (long long) draft_id);
      g_error_free (insert_error);
    }
  else
    g_propagate_error (error, insert_error);
}

gint64
byline_publisher_enqueue_publish (BylinePublisher             *self,
                                  BylineDraft                 *draft,
                                  gint64                       account_id,
                                  const BylinePublishOptions  *options,
                                  GError                     **error)
{
  g_autoptr(BylineAccount) account = NULL;
  g_autofree char *date_gmt = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *client_key = NULL;
  gint64 draft_id;
  gint64 now = g_get_real_time ();
  gint64 id = 0;
  BylineSqliteConnection *conn;
  GError *insert_error = NULL;

  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), 0);
  g_return_val_if_fail (BYLINE_IS_DRAFT (draft), 0);
  g_return_val_if_fail (options != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  draft_id = byline_draft_get_id (draft);
  if (draft_id <= 0)
    {
      g_set_error_literal (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                           _("The draft has not been saved yet."));
      return 0;
    }
  if (!validate_options (draft, options, &date_gmt, error))
    return 0;
  /* A clear "no such account" rather than a foreign key failure. */
  if (!(account = byline_accounts_load (self->accounts, account_id, error)))
    return 0;

  payload = build_payload (draft, options, date_gmt);
  client_key = g_uuid_string_random ();

  if (!(conn = _byline_store_lock (self->store, error)))
    return 0;
  /* Based on the post the draft is linked to on that account, read as the entry is written. */
  id = byline_store_outbox_table_insert_publish (conn, account_id, draft_id, payload, client_key,
                                                 now, &insert_error);
  _byline_store_unlock (self->store);

  if (id == 0)
    {
      set_insert_error (error, insert_error, draft_id);
      return 0;
    }
  emit_entry_changed (self, id);
  return id;
}

gint64
byline_publisher_enqueue_trash (BylinePublisher  *self,
                                gint64            draft_id,
                                GError          **error)
{
  g_autofree char *client_key = NULL;
  gint64 id = 0;
  BylineSqliteConnection *conn;
  GError *insert_error = NULL;

  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  client_key = g_uuid_string_random ();

  if (!(conn = _byline_store_lock (self->store, error)))
    return 0;
  id = byline_store_outbox_table_insert_trash (conn, draft_id, client_key, g_get_real_time (),
                                               &insert_error);
  _byline_store_unlock (self->store);

  if (insert_error != NULL)
    {
      g_propagate_error (error, insert_error);
      return 0;
    }
  if (id == 0)
    {
      g_set_error_literal (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_NOT_LINKED,
                           _("This draft has not been published to a site, so there is no post "
                             "to move to the trash."));
      return 0;
    }
  emit_entry_changed (self, id);
  return id;
}

/* Uploads */

const char *
byline_upload_address_get_file (const char *address)
{
  const char *file;

  if (address == NULL || !g_str_has_prefix (address, BYLINE_UPLOAD_SCHEME ":"))
    return NULL;
  file = address + strlen (BYLINE_UPLOAD_SCHEME ":");
  /* Only names Byline makes: no folder, nothing hidden, nothing to escape in Markdown or HTML. */
  if (*file == '\0' || *file == '.' || strlen (file) > 80)
    return NULL;
  for (const char *p = file; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '.')
      return NULL;
  return file;
}

/* The local file's extension: the name's own when it is plain, else the type's ("image/png"). */
static char *
upload_extension (const char *filename,
                  const char *mime_type)
{
  const char *dot = strrchr (filename, '.');
  const char *candidates[] = { dot ? dot + 1 : "", strchr (mime_type, '/') };

  if (candidates[1] != NULL)
    candidates[1]++;
  for (guint i = 0; i < G_N_ELEMENTS (candidates); i++)
    {
      const char *ext = candidates[i];
      gboolean plain = ext != NULL && *ext != '\0' && strlen (ext) <= 5;

      for (const char *p = ext; plain && *p != '\0'; p++)
        plain = g_ascii_isalnum (*p);
      if (plain)
        return g_ascii_strdown (ext, -1);
    }
  return g_strdup ("img");
}

const char *
byline_publisher_get_uploads_dir (BylinePublisher *self)
{
  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), NULL);

  return self->uploads_dir;
}

gint64
byline_publisher_enqueue_upload (BylinePublisher  *self,
                                 gint64            draft_id,
                                 gint64            account_id,
                                 GBytes           *data,
                                 const char       *filename,
                                 const char       *mime_type,
                                 const char       *alt_text,
                                 char            **local_address,
                                 GError          **error)
{
  g_autoptr(BylineAccount) account = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *alt = NULL;
  g_autofree char *name = NULL;
  g_autofree char *client_key = NULL;
  g_autofree char *extension = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  g_autofree char *payload = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 now = g_get_real_time ();
  gint64 id = 0;
  BylineSqliteConnection *conn;
  GError *insert_error = NULL;

  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), 0);
  g_return_val_if_fail (data != NULL, 0);
  g_return_val_if_fail (filename != NULL, 0);
  g_return_val_if_fail (mime_type != NULL, 0);
  g_return_val_if_fail (error == NULL || *error == NULL, 0);

  alt = g_strstrip (g_strdup (alt_text ? alt_text : ""));
  if (*alt == '\0')
    {
      g_set_error_literal (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                           _("Describe the image in its alt text: the newsroom requires it."));
      return 0;
    }
  if (draft_id <= 0)
    {
      g_set_error_literal (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                           _("The draft has not been saved yet."));
      return 0;
    }
  if (!(account = byline_accounts_load (self->accounts, account_id, error)))
    return 0;

  name = g_path_get_basename (filename);
  client_key = g_uuid_string_random ();
  extension = upload_extension (name, mime_type);
  file = g_strconcat (client_key, ".", extension, NULL);
  path = g_build_filename (self->uploads_dir, file, NULL);

  /* Durable before the entry exists: an entry never names a file that a crash lost. */
  if (g_mkdir_with_parents (self->uploads_dir, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved_errno),
                   _("Byline could not keep a copy of “%s” to upload it (%s). Check that there "
                     "is room on the disk, then insert it again."), name, g_strerror (saved_errno));
      return 0;
    }
  if (!g_file_set_contents_full (path, g_bytes_get_data (data, NULL), g_bytes_get_size (data),
                                    G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                    0600, &local_error))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   _("Byline could not keep a copy of “%s” to upload it (%s). Check that there "
                     "is room on the disk, then insert it again."), name,
                   local_error->message);
      return 0;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, name);
  json_builder_set_member_name (builder, "file");
  json_builder_add_string_value (builder, file);
  json_builder_set_member_name (builder, "mime_type");
  json_builder_add_string_value (builder, mime_type);
  json_builder_set_member_name (builder, "alt_text");
  json_builder_add_string_value (builder, alt);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  payload = json_to_string (root, FALSE);

  if (!(conn = _byline_store_lock (self->store, error)))
    {
      g_unlink (path);
      return 0;
    }
  id = byline_store_outbox_table_insert_upload (conn, account_id, draft_id, payload, client_key,
                                                now, &insert_error);
  _byline_store_unlock (self->store);

  if (id == 0)
    {
      set_insert_error (error, insert_error, draft_id);
      g_unlink (path);
      return 0;
    }
  if (local_address != NULL)
    *local_address = g_strconcat (BYLINE_UPLOAD_SCHEME ":", file, NULL);
  emit_entry_changed (self, id);
  return id;
}

/* Reading entries */

GPtrArray *
byline_publisher_list_entries (BylinePublisher  *self,
                               gint64            draft_id,
                               GError          **error)
{
  BylineSqliteConnection *conn;
  GPtrArray *entries;

  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  entries = byline_store_outbox_table_list (conn, draft_id, error);
  _byline_store_unlock (self->store);
  return entries;
}

/* The upload entry of @file: for @account_id (0: any), the done one first, else the newest. */
static BylineOutboxEntry *
find_upload (BylinePublisher  *self,
             gint64            account_id,
             const char       *file,
             GError          **error)
{
  BylineSqliteConnection *conn;
  BylineOutboxEntry *entry;

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  entry = byline_store_outbox_table_find_upload (conn, account_id, file, error);
  _byline_store_unlock (self->store);
  return entry;
}

BylineOutboxEntry *
byline_publisher_find_upload (BylinePublisher  *self,
                              const char       *local_address,
                              GError          **error)
{
  const char *file;

  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(file = byline_upload_address_get_file (local_address)))
    return NULL;
  return find_upload (self, 0, file, error);
}

BylineOutboxEntry *
byline_publisher_get_entry (BylinePublisher  *self,
                            gint64            entry_id,
                            GError          **error)
{
  BylineSqliteConnection *conn;
  BylineOutboxEntry *entry;
  GError *load_error = NULL;

  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  entry = byline_store_outbox_table_load (conn, entry_id, &load_error);
  _byline_store_unlock (self->store);

  if (load_error != NULL)
    g_propagate_error (error, load_error);
  else if (entry == NULL)
    set_entry_not_found (error, entry_id);
  return entry;
}

gboolean
byline_publisher_retry (BylinePublisher  *self,
                        gint64            entry_id,
                        GError          **error)
{
  BylineSqliteConnection *conn;
  GError *retry_error = NULL;
  gboolean due;

  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(conn = _byline_store_lock (self->store, error)))
    return FALSE;
  due = byline_store_outbox_table_make_due (conn, entry_id, g_get_real_time (), &retry_error);
  _byline_store_unlock (self->store);

  if (retry_error != NULL)
    {
      g_propagate_error (error, retry_error);
      return FALSE;
    }
  if (!due)
    {
      g_autoptr(BylineOutboxEntry) entry = byline_publisher_get_entry (self, entry_id, error);

      if (entry != NULL)
        g_set_error_literal (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_WRONG_STATE,
                             entry->state == BYLINE_OUTBOX_STATE_DONE
                             ? _("This change has already been sent.")
                             : _("This change waits for a choice between your version and the "
                                 "site’s."));
      return FALSE;
    }

  emit_entry_changed (self, entry_id);
  return TRUE;
}

/* Conflicts */

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
        set_entry_not_found (error, entry_id);
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
  gint64 now = g_get_real_time ();
  BylineSqliteConnection *conn;

  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), FALSE);
  g_return_val_if_fail (theirs_draft == NULL || BYLINE_IS_DRAFT (theirs_draft), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (!(row = load_conflict (self, entry_id, &mine, &theirs, error)))
    return FALSE;
  theirs_modified = json_object_get_string_member_with_default (theirs, "modified_gmt", "");
  theirs_link = json_object_get_string_member_with_default (theirs, "link", "");

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
          || !link_draft_locked (conn, entry_id, row->draft_id, row->account_id, row->remote_id,
                                 row->base_modified_gmt, theirs_modified,
                                 json_object_get_string_member_with_default (theirs, "status",
                                                                             ""),
                                 theirs_link, error))
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
  emit_entry_changed (self, entry_id);
  return TRUE;

failed:
  byline_sqlite_connection_rollback (conn);
  _byline_store_unlock (self->store);
  return FALSE;
}

gboolean
byline_publisher_get_remote (BylinePublisher  *self,
                             gint64            draft_id,
                             BylineRemotePost *out)
{
  g_autoptr(GError) error = NULL;
  BylineSqliteConnection *conn;
  gboolean linked;

  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  if (!(conn = _byline_store_lock (self->store, &error)))
    {
      g_debug ("Could not read the link of draft %" G_GINT64_FORMAT ": %s", draft_id,
               error->message);
      return FALSE;
    }
  linked = byline_store_remote_posts_table_load (conn, draft_id, out, &error);
  _byline_store_unlock (self->store);

  if (error != NULL)
    g_warning ("%s", error->message);
  return linked;
}

/* Processing: a run takes the due entries one after another; each entry goes through its steps
 * as a chain of callbacks on the run's GTask. */

typedef struct {
  gint64              id;
  gint64              account_id;
  gint64              draft_id;
  BylineOutboxAction  action;
  JsonObject         *payload;
  char               *client_key;
  gint64              remote_id;
  char               *base_modified_gmt;
  guint               attempts;

  BylineWpClient     *client;
  char              **term_names;   /* the categories (paths), then the tags */
  guint               n_categories;
  guint               term_index;
  GArray             *term_ids;
  BylineTermIndex    *site_categories;  /* as listed in this attempt */
  char              **term_path;     /* the names of the category being made, */
  guint               term_step;     /* and the one being made now */
  /* The post was created, or found by its slug, in this attempt: nobody else has touched it. */
  gboolean            fresh;
  /* The post's slug and status on the site, when this attempt has read them; else NULL. */
  char               *site_slug;
  char               *site_status;
} Entry;

static void
entry_free (Entry *entry)
{
  g_clear_pointer (&entry->payload, json_object_unref);
  g_free (entry->client_key);
  g_free (entry->base_modified_gmt);
  g_free (entry->site_slug);
  g_free (entry->site_status);
  g_clear_object (&entry->client);
  g_strfreev (entry->term_names);
  g_clear_pointer (&entry->term_ids, g_array_unref);
  g_clear_object (&entry->site_categories);
  g_strfreev (entry->term_path);
  g_free (entry);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Entry, entry_free)

typedef struct {
  GHashTable *held_back;  /* account ids whose entries wait for the next run */
  gint64      cursor;     /* the id of the last entry taken */
  Entry      *entry;
} Run;

static void
run_free (Run *run)
{
  g_hash_table_unref (run->held_back);
  g_clear_pointer (&run->entry, entry_free);
  g_free (run);
}

static void run_next (GTask *task);

static gint64 *
int64_key (gint64 value)
{
  return g_memdup2 (&value, sizeof value);
}

static void
collect_names (JsonObject  *payload,
               const char  *member,
               GPtrArray   *names)
{
  JsonArray *array;

  if (!json_object_has_member (payload, member)
      || !JSON_NODE_HOLDS_ARRAY (json_object_get_member (payload, member)))
    return;
  array = json_object_get_array_member (payload, member);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *node = json_array_get_element (array, i);

      if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
        g_ptr_array_add (names, g_strdup (json_node_get_string (node)));
    }
}

/* The next due entry after @cursor whose account is not held back, and that no earlier entry of
 * the same draft and account still waits before (so that an older version never lands after a
 * newer one). NULL without an error when there is none. */
static Entry *
load_next_due (BylinePublisher  *self,
               Run              *run,
               GError          **error)
{
  g_autoptr(BylineStoreOutboxRow) row = NULL;
  g_autoptr(JsonNode) payload = NULL;
  BylineSqliteConnection *conn;
  Entry *entry;

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  row = byline_store_outbox_table_next_due (conn, g_get_real_time (), run->cursor,
                                            run->held_back, error);
  _byline_store_unlock (self->store);
  if (row == NULL)
    return NULL;

  entry = g_new0 (Entry, 1);
  entry->id = row->id;
  entry->account_id = row->account_id;
  entry->draft_id = row->draft_id;
  entry->action = row->action;
  /* Left NULL when it is not JSON any more: run_next fails the entry. */
  payload = json_from_string (row->payload, NULL);
  if (payload != NULL && JSON_NODE_HOLDS_OBJECT (payload))
    entry->payload = json_object_ref (json_node_get_object (payload));
  entry->client_key = g_steal_pointer (&row->client_key);
  entry->remote_id = row->remote_id;
  entry->base_modified_gmt = g_steal_pointer (&row->base_modified_gmt);
  entry->attempts = row->attempts;
  return entry;
}

/* Ends the run (the store failed under it, or it was cancelled), taking @task and @error. */
static void
run_fail (GTask  *task,
          GError *error)
{
  g_task_return_error (task, error);
  g_object_unref (task);
}

static guint
backoff_seconds (guint attempts)
{
  guint seconds = BYLINE_PUBLISHER_BACKOFF_FIRST_SECONDS;

  for (guint i = 1; i < attempts && seconds < BYLINE_PUBLISHER_BACKOFF_MAX_SECONDS; i++)
    seconds *= 2;
  return MIN (seconds, BYLINE_PUBLISHER_BACKOFF_MAX_SECONDS);
}

/* Whether the next entries of the same account would only meet the same failure now. */
static gboolean
is_account_wide (const GError *error)
{
  return byline_wp_error_is_retryable (error)
         || g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_CREDENTIALS)
         || error->domain == BYLINE_ACCOUNTS_ERROR;
}

/* Records why the current entry's attempt failed, then goes on with the next entry. Failures
 * worth trying again (the network, the site's own trouble, a locked keyring) keep the entry
 * pending, after a backoff; the others (refused: credentials, rights, a bad request, a post gone)
 * fail it, with the message for the person. Nothing else changes: not the draft, not its link. */
static void
entry_failed (GTask        *task,
              const GError *error,
              guint         retry_after)
{
  BylinePublisher *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  Entry *entry = run->entry;
  g_autoptr(GError) store_error = NULL;
  gboolean retry;
  gint64 now = g_get_real_time ();
  gint64 next_attempt_at = 0;
  BylineSqliteConnection *conn;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      /* Left as it was: the next run takes it up, and finds a post this one may have made. */
      run_fail (task, g_error_copy (error));
      return;
    }

  retry = byline_wp_error_is_retryable (error)
          || g_error_matches (error, BYLINE_ACCOUNTS_ERROR, BYLINE_ACCOUNTS_ERROR_NO_KEYRING)
          || g_error_matches (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_WAITING);
  if (retry)
    {
      guint delay = MAX (backoff_seconds (entry->attempts + 1),
                         MIN (retry_after, MAX_RETRY_AFTER_SECONDS));

      next_attempt_at = now + (gint64) delay * G_TIME_SPAN_SECOND;
    }
  g_debug ("Entry %" G_GINT64_FORMAT " failed (%s): %s", entry->id,
           retry ? "will retry" : "for good", error->message);

  if (is_account_wide (error))
    g_hash_table_add (run->held_back, int64_key (entry->account_id));

  if (!(conn = _byline_store_lock (self->store, &store_error)))
    {
      run_fail (task, g_steal_pointer (&store_error));
      return;
    }
  byline_store_outbox_table_set_failed (conn, entry->id,
                                        retry ? BYLINE_OUTBOX_STATE_PENDING
                                              : BYLINE_OUTBOX_STATE_FAILED,
                                        next_attempt_at, error->message, now, &store_error);
  _byline_store_unlock (self->store);

  if (store_error != NULL)
    {
      run_fail (task, g_steal_pointer (&store_error));
      return;
    }
  emit_entry_changed (self, entry->id);
  run_next (task);
}

/* Records that the entry did all it had to; @post (nullable) is the post as the site now has it. */
static void
entry_done (GTask        *task,
            BylineWpPost *post,
            const char   *status)
{
  BylinePublisher *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  Entry *entry = run->entry;
  g_autoptr(GError) store_error = NULL;
  const char *link = post ? byline_wp_post_get_link (post) : "";
  BylineSqliteConnection *conn;

  if (!(conn = _byline_store_lock (self->store, &store_error)))
    {
      run_fail (task, g_steal_pointer (&store_error));
      return;
    }
  if (!byline_sqlite_connection_begin (conn, &store_error)
      || !byline_store_outbox_table_set_done (conn, entry->id, entry->remote_id, link,
                                              g_get_real_time (), &store_error))
    goto failed;
  if (post != NULL)
    {
      if (!link_draft_locked (conn, entry->id, entry->draft_id, entry->account_id,
                              entry->remote_id, entry->base_modified_gmt,
                              byline_wp_post_get_modified_gmt (post), status, link, &store_error))
        goto failed;
    }
  /* Already gone from the site's point of view (trashed before): only the status changes. */
  else if (entry->draft_id > 0
           && !byline_store_remote_posts_table_set_status (conn, entry->draft_id,
                                                           entry->remote_id, status,
                                                           &store_error))
    goto failed;
  if (!byline_sqlite_connection_commit (conn, &store_error))
    goto failed;
  _byline_store_unlock (self->store);

  emit_entry_changed (self, entry->id);
  run_next (task);
  return;

failed:
  byline_sqlite_connection_rollback (conn);
  _byline_store_unlock (self->store);
  run_fail (task, g_steal_pointer (&store_error));
}

/* Requests about posts go through byline_wp_client_request_async rather than the typed calls,
 * whose _finish do not hand back the answer's headers: a site that is busy or in maintenance
 * says with Retry-After when to come back, and the backoff follows it. */

typedef struct {
  GTask                *task;   /* the run's */
  BylineWpResponseInfo  info;
} PostCall;

static void
post_call_free (PostCall *call)
{
  byline_wp_response_info_clear (&call->info);
  g_clear_object (&call->task);
  g_free (call);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PostCall, post_call_free)

/* @collection is "posts" or "media"; the item @remote_id in it, or the collection itself. */
static void
call_async (GTask               *task,
            const char          *method,
            const char          *collection,
            gint64               remote_id,
            GHashTable          *query,
            JsonObject          *fields,
            GAsyncReadyCallback  callback)
{
  Run *run = g_task_get_task_data (task);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *route = NULL;
  PostCall *call = g_new0 (PostCall, 1);

  call->task = task;
  route = remote_id > 0 ? g_strdup_printf ("/wp/v2/%s/%" G_GINT64_FORMAT, collection, remote_id)
                        : g_strdup_printf ("/wp/v2/%s", collection);
  if (fields != NULL)
    body = json_node_init_object (json_node_alloc (), fields);
  byline_wp_client_request_async (run->entry->client, method, route, query, body,
                                  g_task_get_cancellable (task), callback, call);
}

static void
post_call_async (GTask               *task,
                 const char          *method,
                 gint64               remote_id,
                 GHashTable          *query,
                 JsonObject          *fields,
                 GAsyncReadyCallback  callback)
{
  call_async (task, method, "posts", remote_id, query, fields, callback);
}

/* The answer's JSON, or NULL after recording the failure in the entry (and going on). */
static JsonNode *
post_call_finish (PostCall     *call,
                  GAsyncResult *result)
{
  Run *run = g_task_get_task_data (call->task);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  node = byline_wp_client_request_finish (run->entry->client, result, &call->info, &error);
  if (node == NULL)
    entry_failed (g_steal_pointer (&call->task), error, call->info.retry_after);
  return node;
}

/* The post in @node, or NULL after recording the failure. */
static BylineWpPost *
post_call_parse (PostCall *call,
                 JsonNode *node)
{
  g_autoptr(GError) error = NULL;
  BylineWpPost *post = byline_wp_post_new_from_json (node, &error);

  if (post == NULL)
    entry_failed (g_steal_pointer (&call->task), error, 0);
  return post;
}

static GHashTable *
new_query (void)
{
  return g_hash_table_new_full (g_str_hash, g_str_equal, NULL, g_free);
}

/* Trash */

static void
trash_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PostCall) call = user_data;
  Run *run = g_task_get_task_data (call->task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BylineWpPost) post = NULL;

  node = byline_wp_client_request_finish (run->entry->client, result, &call->info, &error);
  if (node == NULL)
    {
      /* Already in the trash: what was asked is true. */
      if (g_error_matches (error, BYLINE_WP_ERROR, BYLINE_WP_ERROR_GONE))
        entry_done (g_steal_pointer (&call->task), NULL, "trash");
      else
        entry_failed (g_steal_pointer (&call->task), error, call->info.retry_after);
      return;
    }
  if (!(post = post_call_parse (call, node)))
    return;
  entry_done (g_steal_pointer (&call->task), post, byline_wp_post_get_status (post));
}

/* Publish: update */

static void
update_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PostCall) call = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BylineWpPost) post = NULL;

  if (!(node = post_call_finish (call, result)) || !(post = post_call_parse (call, node)))
    return;
  entry_done (g_steal_pointer (&call->task), post, byline_wp_post_get_status (post));
}

static JsonArray *
id_array (GArray *ids,
          guint   from,
          guint   to)
{
  JsonArray *array = json_array_new ();

  for (guint i = from; i < to; i++)
    json_array_add_int_element (array, g_array_index (ids, gint64, i));
  return array;
}

/* What the site holds now, as read in this attempt: publish_update keeps what must not change. */
static void
entry_saw_post (Entry        *entry,
                BylineWpPost *post)
{
  g_free (entry->site_slug);
  entry->site_slug = g_strdup (byline_wp_post_get_slug (post));
  g_free (entry->site_status);
  entry->site_status = g_strdup (byline_wp_post_get_status (post));
}

static gboolean
is_out (const char *status)
{
  return g_strcmp0 (status, "publish") == 0 || g_strcmp0 (status, "private") == 0;
}

/* Whether to leave out a member of the payload, so that the site keeps its own value. A slug
 * left empty in the draft is WordPress's to make from the title when the post is first
 * published; sending "" again once the post has one (other than the one it was created under)
 * would make a new one from the current title and move the post to another address. No date
 * means "now" for a post that goes out with this entry; a post that is out already and stays out
 * keeps the date it came out on, or every correction would re-date it. */
static gboolean
keeps_site_value (Entry      *entry,
                  const char *member)
{
  JsonNode *node = json_object_get_member (entry->payload, member);

  if (node == NULL)
    return FALSE;
  if (g_str_equal (member, "slug"))
    return g_strcmp0 (json_object_get_string_member_with_default (entry->payload, "slug", ""),
                      "") == 0
           && entry->site_slug != NULL && *entry->site_slug != '\0'
           && !g_str_has_prefix (entry->site_slug, SLUG_PREFIX);
  if (g_str_equal (member, "date_gmt"))
    return JSON_NODE_HOLDS_NULL (node)
           && is_out (entry->site_status)
           && is_out (json_object_get_string_member_with_default (entry->payload, "status", ""));
  return FALSE;
}

static void
publish_update (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  Entry *entry = run->entry;
  g_autoptr(JsonObject) fields = json_object_new ();
  static const char * const copied[] = {
    "title", "content", "excerpt", "slug", "status", "date_gmt", "comment_status",
    "featured_media",
  };

  /* Every field of the payload, the term names replaced by their ids. */
  for (guint i = 0; i < G_N_ELEMENTS (copied); i++)
    if (json_object_has_member (entry->payload, copied[i])
        && !keeps_site_value (entry, copied[i]))
      json_object_set_member (fields, copied[i],
                              json_node_copy (json_object_get_member (entry->payload, copied[i])));
  json_object_set_array_member (fields, "categories",
                                id_array (entry->term_ids, 0, entry->n_categories));
  json_object_set_array_member (fields, "tags",
                                id_array (entry->term_ids, entry->n_categories,
                                          entry->term_ids->len));

  post_call_async (task, "POST", entry->remote_id, NULL, fields, update_cb);
}

/* Publish: compare with the site before overwriting */

static void
check_cb (GObject      *object,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(PostCall) call = user_data;
  BylinePublisher *self = g_task_get_source_object (call->task);
  Run *run = g_task_get_task_data (call->task);
  Entry *entry = run->entry;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) theirs = NULL;
  g_autoptr(GError) store_error = NULL;
  g_autofree char *theirs_text = NULL;
  BylineSqliteConnection *conn;

  if (!(node = post_call_finish (call, result)) || !(post = post_call_parse (call, node)))
    return;
  entry_saw_post (entry, post);

  /* Equality, not order: modified_gmt can go back (a restored revision, a date set by hand). */
  if (g_strcmp0 (byline_wp_post_get_modified_gmt (post), entry->base_modified_gmt) == 0)
    {
      publish_update (g_steal_pointer (&call->task));
      return;
    }
  /* An earlier attempt's update may have been applied without its answer arriving: then the
   * site already has our version, which is no conflict. */
  if (g_strcmp0 (byline_wp_post_get_title (post),
                 json_object_get_string_member_with_default (entry->payload, "title", "")) == 0
      && g_strcmp0 (byline_wp_post_get_content (post),
                    json_object_get_string_member_with_default (entry->payload, "content",
                                                                "")) == 0)
    {
      publish_update (g_steal_pointer (&call->task));
      return;
    }

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "title");
  json_builder_add_string_value (builder, byline_wp_post_get_title (post));
  json_builder_set_member_name (builder, "content");
  json_builder_add_string_value (builder, byline_wp_post_get_content (post));
  json_builder_set_member_name (builder, "modified_gmt");
  json_builder_add_string_value (builder, byline_wp_post_get_modified_gmt (post));
  json_builder_set_member_name (builder, "link");
  json_builder_add_string_value (builder, byline_wp_post_get_link (post));
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, byline_wp_post_get_status (post));
  json_builder_end_object (builder);
  theirs = json_builder_get_root (builder);
  theirs_text = json_to_string (theirs, FALSE);

  if (!(conn = _byline_store_lock (self->store, &store_error)))
    {
      run_fail (g_steal_pointer (&call->task), g_steal_pointer (&store_error));
      return;
    }
  byline_store_outbox_table_set_conflict (conn, entry->id, theirs_text,
                                          _("The post was changed on the site since Byline last "
                                            "sent it. Choose which version to keep."),
                                          g_get_real_time (), &store_error);
  _byline_store_unlock (self->store);

  if (store_error != NULL)
    {
      run_fail (g_steal_pointer (&call->task), g_steal_pointer (&store_error));
      return;
    }
  emit_entry_changed (self, entry->id);
  run_next (g_steal_pointer (&call->task));
}

static void
publish_check (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  g_autoptr(GHashTable) query = new_query ();

  g_hash_table_insert (query, "context", g_strdup ("edit"));
  post_call_async (task, "GET", run->entry->remote_id, query, NULL, check_cb);
}

static void
publish_after_post_known (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  Entry *entry = run->entry;

  if (entry->fresh || *entry->base_modified_gmt == '\0')
    publish_update (task);
  else
    publish_check (task);
}

/* Publish: the post, found or created */

/* Records at once, in its own transaction, that the entry's post is @post, so that no later
 * attempt ever creates another one. */
static gboolean
record_post (GTask         *task,
             BylineWpPost  *post,
             GError       **error)
{
  BylinePublisher *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  Entry *entry = run->entry;
  const char *modified_gmt = byline_wp_post_get_modified_gmt (post);
  BylineSqliteConnection *conn;

  if (!(conn = _byline_store_lock (self->store, error)))
    return FALSE;
  /* The draft is linked from now on: publishing it again updates this post, never makes one. */
  if (!byline_sqlite_connection_begin (conn, error)
      || !byline_store_outbox_table_set_post (conn, entry->id, byline_wp_post_get_id (post),
                                              modified_gmt, g_get_real_time (), error)
      || !link_draft_locked (conn, entry->id, entry->draft_id, entry->account_id,
                             byline_wp_post_get_id (post), "", modified_gmt,
                             byline_wp_post_get_status (post), byline_wp_post_get_link (post),
                             error)
      || !byline_sqlite_connection_commit (conn, error))
    {
      byline_sqlite_connection_rollback (conn);
      _byline_store_unlock (self->store);
      return FALSE;
    }
  _byline_store_unlock (self->store);

  entry->remote_id = byline_wp_post_get_id (post);
  g_free (entry->base_modified_gmt);
  entry->base_modified_gmt = g_strdup (modified_gmt);
  entry->fresh = TRUE;
  entry_saw_post (entry, post);
  return TRUE;
}

static void
create_cb (GObject      *object,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(PostCall) call = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BylineWpPost) post = NULL;
  g_autoptr(GError) error = NULL;

  if (!(node = post_call_finish (call, result)) || !(post = post_call_parse (call, node)))
    return;
  if (record_post (call->task, post, &error))
    publish_update (g_steal_pointer (&call->task));
  else
    run_fail (g_steal_pointer (&call->task), g_steal_pointer (&error));
}

static void
find_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(PostCall) call = user_data;
  Run *run = g_task_get_task_data (call->task);
  Entry *entry = run->entry;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonObject) fields = NULL;
  g_autofree char *slug = g_strconcat (SLUG_PREFIX, entry->client_key, NULL);
  g_autoptr(GError) error = NULL;
  JsonArray *array;

  if (!(node = post_call_finish (call, result)))
    return;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      error = g_error_new_literal (BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                             _("The site’s answer is not what Byline expected from WordPress: it "
                               "is not a list of posts."));
      entry_failed (g_steal_pointer (&call->task), error, 0);
      return;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(BylineWpPost) post = NULL;

      if (!(post = post_call_parse (call, json_array_get_element (array, i))))
        return;
      /* Checked here too: a site that ignored the slug filter would hand back other posts,
       * which must never be taken for ours and overwritten. */
      if (g_strcmp0 (byline_wp_post_get_slug (post), slug) != 0)
        continue;
      g_debug ("Entry %" G_GINT64_FORMAT ": post %" G_GINT64_FORMAT " was created by an earlier "
               "attempt", entry->id, byline_wp_post_get_id (post));
      if (record_post (call->task, post, &error))
        publish_after_post_known (g_steal_pointer (&call->task));
      else
        run_fail (g_steal_pointer (&call->task), g_steal_pointer (&error));
      return;
    }

  /* Only the title, as a draft under our slug; everything else comes with the update. */
  fields = json_object_new ();
  json_object_set_string_member (fields, "title",
                                 json_object_get_string_member_with_default (entry->payload,
                                                                             "title", ""));
  json_object_set_string_member (fields, "slug", slug);
  json_object_set_string_member (fields, "status", "draft");
  post_call_async (g_steal_pointer (&call->task), "POST", 0, NULL, fields, create_cb);
}

static void
publish_find_or_create (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  g_autoptr(GHashTable) query = new_query ();

  /* Always, not only after a timeout: WordPress can save a post and still fail afterwards
   * (a plugin's 500), so any earlier attempt may have created it. */
  g_hash_table_insert (query, "slug", g_strconcat (SLUG_PREFIX, run->entry->client_key, NULL));
  g_hash_table_insert (query, "status", g_strdup ("any"));
  g_hash_table_insert (query, "context", g_strdup ("edit"));
  g_hash_table_insert (query, "per_page", g_strdup ("100"));
  post_call_async (task, "GET", 0, query, NULL, find_cb);
}

/* Publish: categories and tags, by name, made when missing.
 *
 * Tags are flat: WordPress finds a tag by its name (term_exists), so each is simply ensured.
 * Categories are not: a bare name ensured at the top would make a new top-level "Press Releases"
 * beside the "Europe › Press Releases" that was meant. So the site's categories are listed first
 * (and kept for the Publish window), each path is found among them, and only the missing end of
 * a path is made, each name under the one before. */

static void publish_next_term (GTask *task);

static void
term_found (GTask  *task,
            gint64  id)
{
  Run *run = g_task_get_task_data (task);

  g_clear_pointer (&run->entry->term_path, g_strfreev);
  g_array_append_val (run->entry->term_ids, id);
  run->entry->term_index++;
  publish_next_term (task);
}

static void
ensure_term (GTask  *task,
             gint64  parent);

static void
term_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  Entry *entry = run->entry;
  g_autoptr(GError) error = NULL;
  gint64 id;

  id = byline_wp_client_ensure_term_finish (BYLINE_WP_CLIENT (object), result, &error);
  if (id <= 0)
    {
      if (error == NULL)
        error = g_error_new_literal (BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                                     _("The site did not say which category or tag it made."));
      entry_failed (g_steal_pointer (&task), error, 0);
      return;
    }
  if (entry->term_path != NULL && entry->term_path[entry->term_step + 1] != NULL)
    {
      entry->term_step++;
      ensure_term (g_steal_pointer (&task), id);
      return;
    }
  term_found (g_steal_pointer (&task), id);
}

/* Makes (or finds, by term_exists) the current name under @parent. */
static void
ensure_term (GTask  *task,
             gint64  parent)
{
  Run *run = g_task_get_task_data (task);
  Entry *entry = run->entry;
  gboolean category = entry->term_index < entry->n_categories;
  const char *name = entry->term_path != NULL ? entry->term_path[entry->term_step]
                                              : entry->term_names[entry->term_index];

  byline_wp_client_ensure_term_async (entry->client, category ? "categories" : "tags", name,
                                      category ? parent : 0, g_task_get_cancellable (task),
                                      term_cb, task);
}

static void
categories_listed_cb (GObject      *object,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) terms = NULL;

  terms = byline_term_cache_refresh_finish (BYLINE_TERM_CACHE (object), result, &error);
  if (terms == NULL)
    {
      entry_failed (g_steal_pointer (&task), error, 0);
      return;
    }
  run->entry->site_categories = byline_term_index_new (terms, TRUE);
  publish_next_term (g_steal_pointer (&task));
}

static void
publish_category (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  Entry *entry = run->entry;
  const char *path = entry->term_names[entry->term_index];
  g_auto(GStrv) names = byline_term_path_split (path);
  guint position = 0, n_found = 0;
  gint64 parent = 0;
  g_autoptr(GError) error = NULL;

  switch (byline_term_index_lookup (entry->site_categories, path, &position, &n_found, &parent))
    {
    case BYLINE_TERM_LOOKUP_FOUND:
      term_found (task, byline_term_index_get_term (entry->site_categories, position)->id);
      return;

    case BYLINE_TERM_LOOKUP_AMBIGUOUS:
      error = g_error_new (BYLINE_WP_ERROR, BYLINE_WP_ERROR_BAD_REQUEST,
                           _("The site has several categories called “%s”, under different "
                             "parents. Open Publish and check the one you mean: they show with "
                             "their parent, like “Parent › %s”."), path, path);
      entry_failed (task, error, 0);
      return;

    case BYLINE_TERM_LOOKUP_MISSING:
      if (names[0] == NULL)
        {
          /* Only separators: nothing to make. */
          entry->term_index++;
          publish_next_term (task);
          return;
        }
      entry->term_path = g_steal_pointer (&names);
      entry->term_step = n_found;
      ensure_term (task, parent);
      return;

    default:
      g_assert_not_reached ();
    }
}

static void
publish_next_term (GTask *task)
{
  BylinePublisher *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  Entry *entry = run->entry;
  const char *name = entry->term_names[entry->term_index];

  if (name == NULL)
    {
      if (entry->remote_id == 0)
        publish_find_or_create (task);
      else
        publish_after_post_known (task);
      return;
    }

  if (entry->term_index >= entry->n_categories)
    ensure_term (task, 0);
  else if (entry->site_categories == NULL)
    {
      g_autoptr(BylineTermCache) cache = byline_term_cache_new (self->store);

      byline_term_cache_refresh_async (cache, entry->client, entry->account_id, "categories",
                                       g_task_get_cancellable (task), categories_listed_cb, task);
    }
  else
    publish_category (task);
}

/* Upload: like a post, a file sent twice would be in the media library twice, so each attempt
 * first looks for the file under the entry's slug ("byline-" and the client key), which the
 * upload itself asks for. */

static char *
upload_slug (Entry *entry)
{
  return g_strconcat (SLUG_PREFIX, entry->client_key, NULL);
}

/* Records the upload as done, and puts the file's address on the site in place of its local one
 * in the draft's stored body, in the same transaction; then tells the open editor. */
static void
upload_done (GTask         *task,
             BylineWpMedia *media)
{
  BylinePublisher *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  Entry *entry = run->entry;
  g_autoptr(GError) store_error = NULL;
  g_autofree char *local_address = NULL;
  BylineSqliteConnection *conn;

  local_address = g_strconcat (BYLINE_UPLOAD_SCHEME ":",
                               json_object_get_string_member_with_default (entry->payload, "file",
                                                                           ""), NULL);
  entry->remote_id = media->id;

  if (!(conn = _byline_store_lock (self->store, &store_error)))
    {
      run_fail (task, g_steal_pointer (&store_error));
      return;
    }
  if (!byline_sqlite_connection_begin (conn, &store_error)
      || !byline_store_outbox_table_set_done (conn, entry->id, media->id, media->source_url,
                                              g_get_real_time (), &store_error)
      || (entry->draft_id > 0
          && !byline_store_drafts_table_replace_in_body (conn, entry->draft_id, local_address,
                                                         media->source_url, &store_error))
      || !byline_sqlite_connection_commit (conn, &store_error))
    {
      byline_sqlite_connection_rollback (conn);
      _byline_store_unlock (self->store);
      run_fail (task, g_steal_pointer (&store_error));
      return;
    }
  _byline_store_unlock (self->store);

  g_debug ("Entry %" G_GINT64_FORMAT ": uploaded as media %" G_GINT64_FORMAT, entry->id,
           media->id);
  emit_entry_changed (self, entry->id);
  g_signal_emit (self, signals[UPLOAD_FINISHED], 0, entry->draft_id, local_address,
                 media->source_url);
  run_next (task);
}

static void
upload_media_cb (GObject      *object,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(BylineWpMedia) media = NULL;

  media = byline_wp_client_upload_media_finish (BYLINE_WP_CLIENT (object), result, &error);
  if (media == NULL)
    {
      entry_failed (g_steal_pointer (&task), error, 0);
      return;
    }
  /* The file is there but its alt text is not (the second request failed): the newsroom requires
   * it, so the upload is tried again, and the retry finds the file by its slug and sets it. */
  {
    Run *run = g_task_get_task_data (task);
    const char *alt_text = json_object_get_string_member_with_default (run->entry->payload,
                                                                       "alt_text", "");

    if (*alt_text != '\0' && g_strcmp0 (media->alt_text, alt_text) != 0)
      {
        g_autoptr(GError) no_alt = g_error_new_literal (BYLINE_WP_ERROR, BYLINE_WP_ERROR_SERVER,
                                                        _("The image was uploaded but the site "
                                                          "did not keep its alt text; it will be "
                                                          "set again."));
        entry_failed (g_steal_pointer (&task), no_alt, 0);
        return;
      }
  }
  upload_done (g_steal_pointer (&task), media);
}

static void
upload_send (GTask *task)
{
  BylinePublisher *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  Entry *entry = run->entry;
  const char *file = json_object_get_string_member_with_default (entry->payload, "file", "");
  const char *name = json_object_get_string_member_with_default (entry->payload, "title", file);
  g_autofree char *path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *slug = upload_slug (entry);
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_strconcat (BYLINE_UPLOAD_SCHEME ":", file, NULL);
  gsize length;

  /* A plain name, by the same rule as the addresses: never a path out of the folder. */
  path = g_build_filename (self->uploads_dir, file, NULL);
  if (byline_upload_address_get_file (address) == NULL
      || !g_file_get_contents (path, &contents, &length, &error))
    {
      g_autoptr(GError) gone = NULL;

      /* Not worth retrying: the copy will not come back by itself. */
      gone = g_error_new (BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                          _("The copy of “%s” that Byline kept for the upload is gone (%s). "
                            "Insert the image again."), name,
                          error ? error->message : _("no file"));
      entry_failed (task, gone, 0);
      return;
    }
  data = g_bytes_new_take (g_steal_pointer (&contents), length);
  byline_wp_client_upload_media_async (
    entry->client, data, name,
    json_object_get_string_member_with_default (entry->payload, "mime_type",
                                                "application/octet-stream"),
    slug, json_object_get_string_member_with_default (entry->payload, "alt_text", ""),
    g_task_get_cancellable (task), upload_media_cb, task);
}

static void
upload_alt_cb (GObject      *object,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(PostCall) call = user_data;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(BylineWpMedia) media = NULL;
  g_autoptr(GError) error = NULL;

  if (!(node = post_call_finish (call, result)))
    return;
  if (!(media = byline_wp_media_new_from_json (node, &error)))
    {
      entry_failed (g_steal_pointer (&call->task), error, 0);
      return;
    }
  upload_done (g_steal_pointer (&call->task), media);
}

static void
upload_find_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(PostCall) call = user_data;
  Run *run = g_task_get_task_data (call->task);
  Entry *entry = run->entry;
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *slug = upload_slug (entry);
  const char *alt_text = json_object_get_string_member_with_default (entry->payload, "alt_text",
                                                                     "");
  JsonArray *array;

  if (!(node = post_call_finish (call, result)))
    return;
  if (!JSON_NODE_HOLDS_ARRAY (node))
    {
      g_autoptr(GError) error = NULL;

      error = g_error_new_literal (BYLINE_WP_ERROR, BYLINE_WP_ERROR_INVALID_RESPONSE,
                                   _("The site’s answer is not what Byline expected from "
                                     "WordPress: it is not a list of files."));
      entry_failed (g_steal_pointer (&call->task), error, 0);
      return;
    }

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autoptr(BylineWpMedia) media = NULL;
      g_autoptr(JsonObject) fields = NULL;

      media = byline_wp_media_new_from_json (json_array_get_element (array, i), NULL);
      /* Checked here too: a site that ignored the filter must not hand us someone's file. */
      if (media == NULL || g_strcmp0 (media->slug, slug) != 0)
        continue;
      g_debug ("Entry %" G_GINT64_FORMAT ": media %" G_GINT64_FORMAT " was uploaded by an "
               "earlier attempt", entry->id, media->id);
      if (g_strcmp0 (media->alt_text, alt_text) == 0)
        {
          upload_done (g_steal_pointer (&call->task), media);
          return;
        }
      /* The attempt that uploaded it ended before it could set the alt text. */
      fields = json_object_new ();
      json_object_set_string_member (fields, "alt_text", alt_text);
      call_async (g_steal_pointer (&call->task), "POST", "media", media->id, NULL, fields,
                  upload_alt_cb);
      return;
    }

  upload_send (g_steal_pointer (&call->task));
}

static void
upload_find (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  g_autoptr(GHashTable) query = new_query ();

  /* Always, not only after a timeout: the site may have kept the file and failed afterwards. */
  g_hash_table_insert (query, "slug", upload_slug (run->entry));
  g_hash_table_insert (query, "context", g_strdup ("edit"));
  g_hash_table_insert (query, "per_page", g_strdup ("100"));
  call_async (task, "GET", "media", 0, query, NULL, upload_find_cb);
}

/* Publish: the draft's images at their address on the site */

/* Whether @file's upload to the entry's account is done: its media in @media_id and @url. Else
 * FALSE with WAITING (still going) or INVALID (failed or never made), for a person. */
static gboolean
resolve_upload (BylinePublisher  *self,
                Entry            *entry,
                const char       *file,
                gint64           *media_id,
                char            **url,
                GError          **error)
{
  g_autoptr(BylineOutboxEntry) upload = find_upload (self, entry->account_id, file, error);

  if (upload == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                     _("The draft has an image (%s) that was never uploaded to this site. Insert "
                       "it again, or remove it, then publish again."), file);
      return FALSE;
    }
  switch (upload->state)
    {
    case BYLINE_OUTBOX_STATE_DONE:
      *media_id = upload->remote_id;
      *url = g_strdup (upload->link);
      return TRUE;
    case BYLINE_OUTBOX_STATE_PENDING:
      g_set_error (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_WAITING,
                   _("Waiting for the image “%s” to be uploaded first."), upload->title);
      return FALSE;
    case BYLINE_OUTBOX_STATE_FAILED:
    case BYLINE_OUTBOX_STATE_CONFLICT:
    default:
      g_set_error (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_INVALID,
                   _("The image “%s” could not be uploaded: %s Insert it again, or remove it, "
                     "then publish again."), upload->title, upload->last_error);
      return FALSE;
    }
}

/* Replaces, in the payload about to be sent (not in the stored entry), every local address of an
 * image with the file's on the site, and the featured image still being uploaded with its media
 * id: the site never receives an address that only means something on this computer. */
static gboolean
resolve_uploads (BylinePublisher  *self,
                 Entry            *entry,
                 GError          **error)
{
  const char *content = json_object_get_string_member_with_default (entry->payload, "content",
                                                                    "");
  const char *featured = json_object_get_string_member_with_default (entry->payload,
                                                                     "featured_upload", "");
  g_autoptr(GString) resolved = g_string_new (NULL);
  const char *prefix = BYLINE_UPLOAD_SCHEME ":";
  const char *p = content;
  const char *found;

  while ((found = strstr (p, prefix)) != NULL)
    {
      const char *file = found + strlen (prefix);
      const char *end = file;
      g_autofree char *name = NULL;
      g_autofree char *url = NULL;
      gint64 media_id;

      while (g_ascii_isalnum (*end) || *end == '-' || *end == '.')
        end++;
      g_string_append_len (resolved, p, found - p);
      if (end == file)
        {
          /* The words alone, not an address: left as they are. */
          g_string_append (resolved, prefix);
          p = file;
          continue;
        }
      name = g_strndup (file, end - file);
      if (!resolve_upload (self, entry, name, &media_id, &url, error))
        return FALSE;
      g_string_append (resolved, url);
      p = end;
    }
  g_string_append (resolved, p);
  json_object_set_string_member (entry->payload, "content", resolved->str);

  if (*featured != '\0')
    {
      g_autofree char *url = NULL;
      gint64 media_id = 0;

      if (!resolve_upload (self, entry, featured, &media_id, &url, error))
        return FALSE;
      json_object_set_int_member (entry->payload, "featured_media", media_id);
    }
  json_object_remove_member (entry->payload, "featured_upload");
  return TRUE;
}

/* An entry: its account's client, then its requests */

static void
entry_send (GTask *task)
{
  Run *run = g_task_get_task_data (task);
  Entry *entry = run->entry;

  switch (entry->action)
    {
    case BYLINE_OUTBOX_ACTION_TRASH:
      post_call_async (task, "DELETE", entry->remote_id, NULL, NULL, trash_cb);
      break;

    case BYLINE_OUTBOX_ACTION_UPLOAD:
      upload_find (task);
      break;

    case BYLINE_OUTBOX_ACTION_PUBLISH:
      {
        BylinePublisher *self = g_task_get_source_object (task);
        g_autoptr(GPtrArray) names = g_ptr_array_new ();
        g_autoptr(GError) error = NULL;

        if (!resolve_uploads (self, entry, &error))
          {
            entry_failed (task, error, 0);
            return;
          }

        collect_names (entry->payload, "categories", names);
        entry->n_categories = names->len;
        collect_names (entry->payload, "tags", names);
        g_ptr_array_add (names, NULL);
        entry->term_names = (char **) g_ptr_array_free (g_steal_pointer (&names), FALSE);
        entry->term_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
        publish_next_term (task);
      }
      break;

    default:
      g_assert_not_reached ();
    }
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BylinePublisher *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  BylineWpClient *client;

  client = byline_accounts_connect_finish (BYLINE_ACCOUNTS (object), result, &error);
  if (client == NULL)
    {
      entry_failed (g_steal_pointer (&task), error, 0);
      return;
    }
  /* The account's client, which the accounts may hand to other parts of Byline too: a test's
   * short timeout is set each time, since the client may be a new one (a password changed). */
  if (self->timeout > 0)
    byline_wp_client_set_timeout (client, self->timeout);
  run->entry->client = client;
  entry_send (g_steal_pointer (&task));
}

/* The accounts hand out the account's client: they look its password up in the keyring, which
 * answers over D-Bus and may ask to be unlocked, in a worker thread. */
static void
entry_start (GTask *task)
{
  BylinePublisher *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);

  byline_accounts_connect_async (self->accounts, run->entry->account_id,
                                 g_task_get_cancellable (task), connect_cb, task);
}

static void
run_next (GTask *task)
{
  BylinePublisher *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&run->entry, entry_free);

  if (g_task_return_error_if_cancelled (task))
    {
      g_object_unref (task);
      return;
    }

  run->entry = load_next_due (self, run, &error);
  if (run->entry == NULL)
    {
      if (error != NULL)
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  run->cursor = run->entry->id;

  if (run->entry->payload == NULL)
    {
      /* Not JSON any more: nothing can be sent from it. */
      error = g_error_new_literal (BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_CORRUPT,
                                   _("The outbox entry is damaged and cannot be sent."));
      entry_failed (task, error, 0);
      return;
    }

  entry_start (task);
}

/* Runs one after another */

static void process_run_cb (GObject      *object,
                            GAsyncResult *result,
                            gpointer      user_data);

static void
start_run (BylinePublisher *self,
           GTask           *caller)
{
  GTask *task;
  Run *run = g_new0 (Run, 1);

  self->running = TRUE;
  run->held_back = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  /* The run's own task, which the chain of callbacks carries; @caller hears when it ends. */
  task = g_task_new (self, g_task_get_cancellable (caller), process_run_cb, caller);
  g_task_set_source_tag (task, start_run);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);
  run_next (task);
}

static void
process_run_cb (GObject      *object,
                GAsyncResult *result,
                gpointer      user_data)
{
  BylinePublisher *self = BYLINE_PUBLISHER (object);
  g_autoptr(GTask) caller = user_data;
  g_autoptr(GError) error = NULL;
  GTask *next;

  self->running = FALSE;
  if (g_task_propagate_boolean (G_TASK (result), &error))
    g_task_return_boolean (caller, TRUE);
  else
    g_task_return_error (caller, g_steal_pointer (&error));

  if ((next = g_queue_pop_head (&self->waiting)))
    start_run (self, next);
}

void
byline_publisher_process_async (BylinePublisher     *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (BYLINE_IS_PUBLISHER (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_publisher_process_async);

  /* Entries that became due while a run went on may lie behind its cursor: another run. */
  if (self->running)
    g_queue_push_tail (&self->waiting, task);
  else
    start_run (self, task);
}

gboolean
byline_publisher_process_finish (BylinePublisher  *self,
                                 GAsyncResult     *result,
                                 GError          **error)
{
  g_return_val_if_fail (BYLINE_IS_PUBLISHER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == byline_publisher_process_async,
                        FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
byline_publisher_set_timeout (BylinePublisher *self,
                              guint            seconds)
{
  g_return_if_fail (BYLINE_IS_PUBLISHER (self));

  self->timeout = seconds;
}

static void
byline_publisher_dispose (GObject *object)
{
  BylinePublisher *self = BYLINE_PUBLISHER (object);

  g_clear_object (&self->accounts);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (byline_publisher_parent_class)->dispose (object);
}

static void
byline_publisher_finalize (GObject *object)
{
  BylinePublisher *self = BYLINE_PUBLISHER (object);

  g_free (self->uploads_dir);

  G_OBJECT_CLASS (byline_publisher_parent_class)->finalize (object);
}

static void
byline_publisher_class_init (BylinePublisherClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byline_publisher_dispose;
  object_class->finalize = byline_publisher_finalize;

  /**
   * BylinePublisher::entry-changed:
   * @entry_id: the outbox entry
   *
   * An entry was added, or changed: its state, attempts, error or link. Emitted on the thread
   * that made the change (the one running process, for what sending does).
   */
  signals[ENTRY_CHANGED] =
    g_signal_new ("entry-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);

  /**
   * BylinePublisher::upload-finished:
   * @draft_id: the draft the image belongs to (0 once it was purged)
   * @local_address: the address the draft used for it ("byline-upload:FILE")
   * @source_url: its address on the site
   *
   * An image is on the site, and the draft's stored body now has @source_url instead of
   * @local_address. An editor showing the draft replaces it in its text too.
   */
  signals[UPLOAD_FINISHED] =
    g_signal_new ("upload-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_STRING, G_TYPE_STRING);
}

static void
byline_publisher_init (BylinePublisher *self)
{
  g_queue_init (&self->waiting);
}

BylinePublisher *
byline_publisher_new (BylineStore    *store,
                      BylineAccounts *accounts)
{
  BylinePublisher *self;

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);
  g_return_val_if_fail (BYLINE_IS_ACCOUNTS (accounts), NULL);

  self = g_object_new (BYLINE_TYPE_PUBLISHER, NULL);
  self->store = g_object_ref (store);
  self->accounts = g_object_ref (accounts);
  {
    g_autofree char *folder = g_path_get_dirname (byline_store_get_path (store));

    self->uploads_dir = g_build_filename (folder, "uploads", NULL);
  }
  return self;
}
