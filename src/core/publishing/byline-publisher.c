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
 * read and its modified_gmt compared, for equality, with the one the entry was based on.
 *
 * This file holds the object, enqueueing posts and trash, and reading the entries and the links;
 * byline-publisher-private.h lists the files that do the rest. */

#define G_LOG_DOMAIN "byline-publisher"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-publisher-private.h"
#include "byline-store-outbox-table.h"
#include "byline-store-private.h"
#include "byline-store-remote-posts-table.h"
#include "byline-wp-blocks.h"

enum {
  ENTRY_CHANGED,
  UPLOAD_FINISHED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BylinePublisher, byline_publisher, G_TYPE_OBJECT)
G_DEFINE_QUARK (byline-publisher-error-quark, byline_publisher_error)

void
_byline_publisher_emit_entry_changed (BylinePublisher *self,
                                      gint64           entry_id)
{
  g_signal_emit (self, signals[ENTRY_CHANGED], 0, entry_id);
}

void
_byline_publisher_emit_upload_finished (BylinePublisher *self,
                                        gint64           draft_id,
                                        const char      *local_address,
                                        const char      *source_url)
{
  g_signal_emit (self, signals[UPLOAD_FINISHED], 0, draft_id, local_address, source_url);
}

void
_byline_publisher_set_entry_not_found (GError **error,
                                       gint64   entry_id)
{
  g_set_error (error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_NOT_FOUND,
               _("There is no entry %lld in the outbox"), (long long) entry_id);
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

typedef struct {
  BylineStore *store;
  gint64       account_id;
} MediaLookup;

/* The media id of an image of a Markdown draft, for its image block: an image still on its way
 * gets a placeholder that _byline_publisher_resolve_uploads () fills in when sending, as it does
 * its address; one already uploaded through the outbox is found by its address on the site. */
static char *
lookup_media_id (const char *src,
                 gpointer    user_data)
{
  MediaLookup *lookup = user_data;
  g_autoptr(GError) error = NULL;
  BylineSqliteConnection *conn;
  const char *file;
  gint64 media_id;

  if ((file = byline_upload_address_get_file (src)) != NULL)
    return g_strconcat (BYLINE_PUBLISHER_UPLOAD_ID_PREFIX, file, NULL);
  if (lookup->store == NULL)
    return NULL;
  if (!(conn = _byline_store_lock (lookup->store, &error)))
    media_id = 0;
  else
    {
      media_id = byline_store_outbox_table_media_id_at (conn, lookup->account_id, src,
                                                        &error);
      _byline_store_unlock (lookup->store);
    }
  /* Without its id the image is still a valid image block, only not linked to the library. */
  if (error != NULL)
    g_warning ("Could not look up the media id of %s: %s", src, error->message);
  return media_id > 0 ? g_strdup_printf ("%" G_GINT64_FORMAT, media_id) : NULL;
}

/* The payload of a publish entry; @store (nullable) and @account_id find the media ids of images
 * already uploaded to that account. */
static char *
build_payload (BylineStore                *store,
               BylineDraft                *draft,
               gint64                      account_id,
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

  /* Markdown goes out as native blocks, which the site's block editor opens as such; HTML (a
   * post from the site, with its own block comments or none) as it is. */
  if (byline_draft_get_format (draft) == BYLINE_DRAFT_FORMAT_MARKDOWN)
    {
      MediaLookup lookup = { store, account_id };

      content = byline_wp_blocks_render (body, -1, lookup_media_id, &lookup);
    }
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

JsonObject *
byline_publisher_build_payload (BylineStore                 *store,
                                BylineDraft                 *draft,
                                gint64                       account_id,
                                const BylinePublishOptions  *options,
                                GError                     **error)
{
  g_autofree char *date_gmt = NULL;
  g_autofree char *payload = NULL;
  g_autoptr(JsonNode) node = NULL;

  g_return_val_if_fail (BYLINE_IS_DRAFT (draft), NULL);
  g_return_val_if_fail (options != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!validate_options (draft, options, &date_gmt, error))
    return NULL;
  payload = build_payload (store, draft, account_id, options, date_gmt);
  node = json_from_string (payload, NULL);
  return json_object_ref (json_node_get_object (node));
}

/* The error of an entry for @draft_id that could not be written: the store's own, or a clear
 * "no such draft" when the draft is gone (a foreign key; the account was checked before). */
void
_byline_publisher_set_insert_error (GError  **error,
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

  payload = build_payload (self->store, draft, account_id, options, date_gmt);
  client_key = g_uuid_string_random ();

  if (!(conn = _byline_store_lock (self->store, error)))
    return 0;
  /* Based on the post the draft is linked to on that account, read as the entry is written. */
  id = byline_store_outbox_table_insert_publish (conn, account_id, draft_id, payload, client_key,
                                                 now, &insert_error);
  _byline_store_unlock (self->store);

  if (id == 0)
    {
      _byline_publisher_set_insert_error (error, insert_error, draft_id);
      return 0;
    }
  _byline_publisher_emit_entry_changed (self, id);
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
  _byline_publisher_emit_entry_changed (self, id);
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
    _byline_publisher_set_entry_not_found (error, entry_id);
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

  _byline_publisher_emit_entry_changed (self, entry_id);
  return TRUE;
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
