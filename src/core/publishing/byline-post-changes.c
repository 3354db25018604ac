/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-post-changes.c: what an update would change on the live post, what the site and the
 * draft each changed since they were last in step, and their merge.
 *
 * Three versions of a post meet here. The live one is read from the site (edit context). The
 * one that would be sent is the publisher's own payload, so that what is shown is what goes
 * out. The base is the post as the site held it when the draft was last linked to it (opened,
 * published, or the site's version taken), kept with the link in the store. Fields merge as
 * wholes: taken from the side that changed them, a conflict when both did differently. The
 * content merges line by line on its HTML, the form both the site and the publisher hold, and
 * only when both sides changed it; a Markdown draft whose content takes the site's changes
 * becomes an HTML draft, as Take Theirs makes it. Overlapping changes are never merged. */

#define G_LOG_DOMAIN "byline-publisher"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "byline-html-text.h"
#include "byline-post-changes.h"
#include "byline-store-private.h"
#include "byline-store-remote-posts-table.h"
#include "byline-term-cache.h"
#include "byline-term-index.h"

const char *
byline_post_field_get_label (BylinePostField field)
{
  switch (field)
    {
    case BYLINE_POST_FIELD_TITLE: return _("Title");
    case BYLINE_POST_FIELD_EXCERPT: return _("Excerpt");
    case BYLINE_POST_FIELD_SLUG: return _("Slug");
    case BYLINE_POST_FIELD_STATUS: return _("Status");
    case BYLINE_POST_FIELD_DATE: return _("Date");
    case BYLINE_POST_FIELD_CATEGORIES: return _("Categories");
    case BYLINE_POST_FIELD_TAGS: return _("Tags");
    case BYLINE_POST_FIELD_FEATURED_IMAGE: return _("Featured image");
    case BYLINE_POST_FIELD_CONTENT: return _("Text");
    case BYLINE_POST_N_FIELDS:
    default:
      g_return_val_if_reached ("");
    }
}

const char *
byline_post_field_get_key (BylinePostField field)
{
  static const char * const keys[BYLINE_POST_N_FIELDS] = {
    "title", "excerpt", "slug", "status", "date", "categories", "tags", "featured-image",
    "content",
  };

  g_return_val_if_fail (field < BYLINE_POST_N_FIELDS, "");
  return keys[field];
}

void
byline_post_version_free (BylinePostVersion *version)
{
  if (version == NULL)
    return;
  for (guint i = 0; i < BYLINE_POST_N_FIELDS; i++)
    g_free (version->fields[i]);
  g_free (version);
}

/* "2030-01-02T03:04:05" (UTC) as "2030-01-02 03:04:05 UTC"; "" for none. */
static char *
format_date_gmt (const char *date_gmt)
{
  g_autofree char *date = NULL;
  char *t;

  if (date_gmt == NULL || *date_gmt == '\0')
    return g_strdup ("");
  date = g_strndup (date_gmt, 19);
  if ((t = strchr (date, 'T')) != NULL)
    *t = ' ';
  return g_strdup_printf ("%s UTC", date);
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_utf8_collate (*(const char * const *) a, *(const char * const *) b);
}

/* The names of @ids, through @index (nullable), sorted and joined. */
static char *
name_ids (GArray          *ids,
          BylineTermIndex *index)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < ids->len; i++)
    {
      gint64 id = g_array_index (ids, gint64, i);
      char *name = NULL;

      for (guint p = 0; index != NULL && p < byline_term_index_get_n_terms (index); p++)
        if (byline_term_index_get_term (index, p)->id == id)
          {
            name = g_strdup (byline_term_index_get_path (index, p));
            break;
          }
      g_ptr_array_add (names, name ? name : g_strdup_printf ("#%" G_GINT64_FORMAT, id));
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

static char *
name_array (JsonObject *object,
            const char *member)
{
  JsonNode *node = json_object_get_member (object, member);
  JsonArray *array = node && JSON_NODE_HOLDS_ARRAY (node) ? json_node_get_array (node) : NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();

  for (guint i = 0; array != NULL && i < json_array_get_length (array); i++)
    {
      const char *name = json_array_get_string_element (array, i);

      if (name != NULL)
        g_ptr_array_add (names, (gpointer) name);
    }
  g_ptr_array_sort (names, compare_names);
  g_ptr_array_add (names, NULL);
  return g_strjoinv (", ", (char **) names->pdata);
}

static char *
media_value (gint64 id)
{
  return id > 0 ? g_strdup_printf ("media:%" G_GINT64_FORMAT, id) : g_strdup ("");
}

BylinePostVersion *
byline_post_version_new_from_post (BylineWpPost *post,
                                   GPtrArray    *categories,
                                   GPtrArray    *tags)
{
  g_autoptr(BylineTermIndex) category_index = NULL;
  g_autoptr(BylineTermIndex) tag_index = NULL;
  BylinePostVersion *version;

  g_return_val_if_fail (BYLINE_IS_WP_POST (post), NULL);

  if (categories != NULL)
    category_index = byline_term_index_new (categories, TRUE);
  if (tags != NULL)
    tag_index = byline_term_index_new (tags, FALSE);

  version = g_new0 (BylinePostVersion, 1);
  version->fields[BYLINE_POST_FIELD_TITLE] = g_strdup (byline_wp_post_get_title (post));
  version->fields[BYLINE_POST_FIELD_EXCERPT] = g_strdup (byline_wp_post_get_excerpt (post));
  version->fields[BYLINE_POST_FIELD_SLUG] = g_strdup (byline_wp_post_get_slug (post));
  version->fields[BYLINE_POST_FIELD_STATUS] = g_strdup (byline_wp_post_get_status (post));
  version->fields[BYLINE_POST_FIELD_DATE] = format_date_gmt (byline_wp_post_get_date_gmt (post));
  /* A post with none is put in the site's default category when next saved: none says
   * nothing (WordPress answers an update that sends none with none). */
  if (byline_wp_post_get_categories (post)->len > 0)
    version->fields[BYLINE_POST_FIELD_CATEGORIES] =
      name_ids (byline_wp_post_get_categories (post), category_index);
  version->fields[BYLINE_POST_FIELD_TAGS] = name_ids (byline_wp_post_get_tags (post), tag_index);
  version->fields[BYLINE_POST_FIELD_FEATURED_IMAGE] =
    media_value (byline_wp_post_get_featured_media (post));
  version->fields[BYLINE_POST_FIELD_CONTENT] = g_strdup (byline_wp_post_get_content (post));
  return version;
}

BylinePostVersion *
byline_post_version_new_from_payload (JsonObject *payload)
{
  BylinePostVersion *version;
  JsonNode *node;
  const char *slug;

  g_return_val_if_fail (payload != NULL, NULL);

  version = g_new0 (BylinePostVersion, 1);
  version->fields[BYLINE_POST_FIELD_TITLE] =
    g_strdup (json_object_get_string_member_with_default (payload, "title", ""));
  version->fields[BYLINE_POST_FIELD_EXCERPT] =
    g_strdup (json_object_get_string_member_with_default (payload, "excerpt", ""));
  /* An empty slug and no date leave the site's own (see keeps_site_value). */
  slug = json_object_get_string_member_with_default (payload, "slug", "");
  if (*slug != '\0')
    version->fields[BYLINE_POST_FIELD_SLUG] = g_strdup (slug);
  version->fields[BYLINE_POST_FIELD_STATUS] =
    g_strdup (json_object_get_string_member_with_default (payload, "status", ""));
  node = json_object_get_member (payload, "date_gmt");
  if (node != NULL && JSON_NODE_HOLDS_VALUE (node))
    version->fields[BYLINE_POST_FIELD_DATE] = format_date_gmt (json_node_get_string (node));
  /* None: the site puts the post in its default category, which is then no change. */
  version->fields[BYLINE_POST_FIELD_CATEGORIES] = name_array (payload, "categories");
  if (*version->fields[BYLINE_POST_FIELD_CATEGORIES] == '\0')
    g_clear_pointer (&version->fields[BYLINE_POST_FIELD_CATEGORIES], g_free);
  version->fields[BYLINE_POST_FIELD_TAGS] =
    name_array (payload, "tags");
  if (json_object_has_member (payload, "featured_upload"))
    version->fields[BYLINE_POST_FIELD_FEATURED_IMAGE] =
      g_strdup_printf ("upload:%s", json_object_get_string_member (payload, "featured_upload"));
  else if (json_object_has_member (payload, "featured_media"))
    version->fields[BYLINE_POST_FIELD_FEATURED_IMAGE] =
      media_value (json_object_get_int_member (payload, "featured_media"));
  version->fields[BYLINE_POST_FIELD_CONTENT] =
    g_strdup (json_object_get_string_member_with_default (payload, "content", ""));
  return version;
}

static void
add_raw (JsonBuilder *builder,
         const char  *member,
         const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "raw");
  json_builder_add_string_value (builder, value);
  json_builder_end_object (builder);
}

static void
add_string (JsonBuilder *builder,
            const char  *member,
            const char  *value)
{
  json_builder_set_member_name (builder, member);
  json_builder_add_string_value (builder, value);
}

static void
add_ids (JsonBuilder *builder,
         const char  *member,
         GArray      *ids)
{
  json_builder_set_member_name (builder, member);
  json_builder_begin_array (builder);
  for (guint i = 0; i < ids->len; i++)
    json_builder_add_int_value (builder, g_array_index (ids, gint64, i));
  json_builder_end_array (builder);
}

char *
byline_post_snapshot (BylineWpPost *post)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  g_return_val_if_fail (BYLINE_IS_WP_POST (post), NULL);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, byline_wp_post_get_id (post));
  add_string (builder, "status", byline_wp_post_get_status (post));
  add_raw (builder, "title", byline_wp_post_get_title (post));
  add_raw (builder, "content", byline_wp_post_get_content (post));
  add_raw (builder, "excerpt", byline_wp_post_get_excerpt (post));
  add_string (builder, "slug", byline_wp_post_get_slug (post));
  add_string (builder, "link", byline_wp_post_get_link (post));
  add_string (builder, "date", byline_wp_post_get_date (post));
  add_string (builder, "date_gmt", byline_wp_post_get_date_gmt (post));
  add_string (builder, "modified_gmt", byline_wp_post_get_modified_gmt (post));
  add_ids (builder, "categories", byline_wp_post_get_categories (post));
  add_ids (builder, "tags", byline_wp_post_get_tags (post));
  json_builder_set_member_name (builder, "featured_media");
  json_builder_add_int_value (builder, byline_wp_post_get_featured_media (post));
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

char *
byline_post_reader_text (const char *html)
{
  return byline_html_text_extract (html, -1, BYLINE_HTML_TEXT_LINES, 0);
}

void
byline_post_change_free (BylinePostChange *change)
{
  if (change == NULL)
    return;
  g_free (change->old_value);
  g_free (change->new_value);
  g_free (change);
}

/* Whether two values of @field differ as a reader would see them. */
static gboolean
field_differs (BylinePostField  field,
               const char      *a,
               const char      *b)
{
  g_autofree char *text_a = NULL;
  g_autofree char *text_b = NULL;

  if (g_strcmp0 (a, b) == 0)
    return FALSE;
  if (field != BYLINE_POST_FIELD_CONTENT)
    return TRUE;
  text_a = byline_post_reader_text (a);
  text_b = byline_post_reader_text (b);
  return !g_str_equal (text_a, text_b);
}

GPtrArray *
byline_post_version_compare (const BylinePostVersion *from,
                             const BylinePostVersion *to)
{
  GPtrArray *changes = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_post_change_free);

  g_return_val_if_fail (from != NULL && to != NULL, changes);

  for (BylinePostField field = 0; field < BYLINE_POST_N_FIELDS; field++)
    {
      const char *old_value = from->fields[field];
      BylinePostChange *change;

      if (old_value == NULL || to->fields[field] == NULL
          || !field_differs (field, old_value, to->fields[field]))
        continue;
      change = g_new0 (BylinePostChange, 1);
      change->field = field;
      change->old_value = g_strdup (old_value);
      change->new_value = g_strdup (to->fields[field]);
      g_ptr_array_add (changes, change);
    }
  return changes;
}

GPtrArray *
byline_post_text_diff (const char *old_html,
                       const char *new_html)
{
  g_autofree char *old_text = byline_post_reader_text (old_html);
  g_autofree char *new_text = byline_post_reader_text (new_html);

  return byline_word_diff (old_text, new_text);
}

/* Merge */

void
byline_post_merge_free (BylinePostMerge *merge)
{
  if (merge == NULL)
    return;
  byline_post_version_free (merge->merged);
  g_clear_pointer (&merge->content_conflicts, g_ptr_array_unref);
  g_free (merge);
}

BylinePostMerge *
byline_post_merge (const BylinePostVersion *base,
                   const BylinePostVersion *mine,
                   const BylinePostVersion *theirs)
{
  BylinePostMerge *merge;

  g_return_val_if_fail (base != NULL && mine != NULL && theirs != NULL, NULL);

  merge = g_new0 (BylinePostMerge, 1);
  merge->merged = g_new0 (BylinePostVersion, 1);
  for (BylinePostField field = 0; field < BYLINE_POST_N_FIELDS; field++)
    {
      /* A field a version does not say is unchanged by it; one the base does not say was
       * changed by neither side but the draft, if the draft says otherwise. */
      const char *t = theirs->fields[field] ? theirs->fields[field]
                                            : base->fields[field] ? base->fields[field] : "";
      const char *b = base->fields[field] ? base->fields[field] : t;
      const char *m = mine->fields[field] ? mine->fields[field] : b;
      gboolean mine_changed = g_strcmp0 (m, b) != 0;
      gboolean theirs_changed = g_strcmp0 (t, b) != 0;
      BylineMergeOutcome outcome;
      char *value;

      if (!mine_changed && !theirs_changed)
        outcome = BYLINE_MERGE_UNCHANGED, value = g_strdup (m);
      else if (!theirs_changed)
        outcome = BYLINE_MERGE_MINE, value = g_strdup (m);
      else if (!mine_changed)
        outcome = BYLINE_MERGE_THEIRS, value = g_strdup (t);
      else if (g_str_equal (m, t))
        outcome = BYLINE_MERGE_SAME, value = g_strdup (m);
      else if (field == BYLINE_POST_FIELD_CONTENT
               && (value = byline_text_merge3 (b, m, t, &merge->content_conflicts)) != NULL)
        outcome = BYLINE_MERGE_COMBINED;
      else
        outcome = BYLINE_MERGE_CONFLICT, value = g_strdup (m);

      if (outcome == BYLINE_MERGE_CONFLICT)
        merge->n_conflicts++;
      merge->outcomes[field] = outcome;
      merge->merged->fields[field] = value;
    }
  return merge;
}

void
byline_post_merge_apply (BylinePostMerge *merge,
                         BylineDraft     *draft)
{
  const char * const *fields;
  const char *featured;

  g_return_if_fail (merge != NULL);
  g_return_if_fail (merge->n_conflicts == 0);
  g_return_if_fail (BYLINE_IS_DRAFT (draft));

  fields = (const char * const *) merge->merged->fields;
  byline_draft_set_title (draft, fields[BYLINE_POST_FIELD_TITLE]);
  byline_draft_set_excerpt (draft, fields[BYLINE_POST_FIELD_EXCERPT]);
  if (merge->outcomes[BYLINE_POST_FIELD_SLUG] == BYLINE_MERGE_THEIRS)
    byline_draft_set_slug (draft, fields[BYLINE_POST_FIELD_SLUG]);
  if (merge->outcomes[BYLINE_POST_FIELD_CATEGORIES] == BYLINE_MERGE_THEIRS)
    byline_draft_set_categories (draft, fields[BYLINE_POST_FIELD_CATEGORIES]);
  if (merge->outcomes[BYLINE_POST_FIELD_TAGS] == BYLINE_MERGE_THEIRS)
    byline_draft_set_tags (draft, fields[BYLINE_POST_FIELD_TAGS]);
  featured = fields[BYLINE_POST_FIELD_FEATURED_IMAGE];
  if (merge->outcomes[BYLINE_POST_FIELD_FEATURED_IMAGE] == BYLINE_MERGE_THEIRS
      && (g_str_has_prefix (featured, "media:") || *featured == '\0'))
    byline_draft_set_featured_image (draft, featured);
  if (merge->outcomes[BYLINE_POST_FIELD_CONTENT] == BYLINE_MERGE_THEIRS
      || merge->outcomes[BYLINE_POST_FIELD_CONTENT] == BYLINE_MERGE_COMBINED)
    {
      byline_draft_set_format (draft, BYLINE_DRAFT_FORMAT_HTML);
      byline_draft_set_body (draft, fields[BYLINE_POST_FIELD_CONTENT]);
    }
}

/* Loading */

void
byline_post_changes_free (BylinePostChanges *changes)
{
  if (changes == NULL)
    return;
  g_clear_object (&changes->live_post);
  byline_post_version_free (changes->live);
  byline_post_version_free (changes->sent);
  byline_post_version_free (changes->base);
  g_clear_pointer (&changes->changes, g_ptr_array_unref);
  g_clear_pointer (&changes->text_runs, g_ptr_array_unref);
  g_clear_pointer (&changes->theirs_changes, g_ptr_array_unref);
  g_clear_pointer (&changes->mine_changes, g_ptr_array_unref);
  byline_post_merge_free (changes->merge);
  g_free (changes);
}

typedef struct {
  BylineStore      *store;
  BylineDraft      *draft;
  BylineRemotePost  remote;
  char             *base;
  char             *status;
  char             *date_gmt;
  char             *comment_status;
  gint64            featured_media;
  gboolean          has_options;
  BylineWpClient   *client;
  BylineTermCache  *cache;
  BylineWpPost     *live_post;
  GPtrArray        *terms[2];   /* categories, tags (BylineWpTerm) */
  guint             taxonomy;   /* the one being named */
} LoadData;

static void
load_data_free (LoadData *data)
{
  g_clear_object (&data->store);
  g_clear_object (&data->draft);
  byline_remote_post_clear (&data->remote);
  g_free (data->base);
  g_free (data->status);
  g_free (data->date_gmt);
  g_free (data->comment_status);
  g_clear_object (&data->client);
  g_clear_object (&data->cache);
  g_clear_object (&data->live_post);
  g_clear_pointer (&data->terms[0], g_ptr_array_unref);
  g_clear_pointer (&data->terms[1], g_ptr_array_unref);
  g_free (data);
}

static BylinePostChanges *
compare_with_live (LoadData      *data,
                   BylineWpPost  *live_post,
                   GError       **error)
{
  GPtrArray *categories = data->terms[0];
  GPtrArray *tags = data->terms[1];
  g_autoptr(JsonObject) payload = NULL;
  g_autoptr(BylinePostChanges) changes = g_new0 (BylinePostChanges, 1);
  BylinePublishOptions options = { 0 };
  gint64 account_id = data->remote.account_id;

  if (data->has_options)
    {
      options.status = data->status;
      options.date_gmt = data->date_gmt;
      options.comment_status = data->comment_status;
      options.featured_media = data->featured_media;
    }
  else
    {
      options.status = byline_wp_post_get_status (live_post);
      if (g_str_equal (options.status, "future"))
        options.date_gmt = byline_wp_post_get_date_gmt (live_post);
    }
  if (!(payload = byline_publisher_build_payload (data->store, data->draft, account_id, &options,
                                                  error)))
    return NULL;

  changes->draft_id = byline_draft_get_id (data->draft);
  changes->account_id = account_id;
  changes->live_post = g_object_ref (live_post);
  changes->live = byline_post_version_new_from_post (live_post, categories, tags);
  changes->sent = byline_post_version_new_from_payload (payload);
  changes->changes = byline_post_version_compare (changes->live, changes->sent);
  changes->text_runs = byline_post_text_diff (changes->live->fields[BYLINE_POST_FIELD_CONTENT],
                                              changes->sent->fields[BYLINE_POST_FIELD_CONTENT]);
  changes->site_changed = g_strcmp0 (byline_wp_post_get_modified_gmt (live_post),
                                     data->remote.modified_gmt) != 0;

  if (data->base != NULL && *data->base != '\0')
    {
      g_autoptr(JsonNode) node = json_from_string (data->base, NULL);
      g_autoptr(BylineWpPost) base_post = NULL;

      /* A damaged base only loses the three-way view, never the comparison. */
      if (node != NULL && (base_post = byline_wp_post_new_from_json (node, NULL)) != NULL)
        changes->base = byline_post_version_new_from_post (base_post, categories, tags);
      else
        g_warning ("The base kept for draft %" G_GINT64_FORMAT " cannot be read",
                   changes->draft_id);
    }
  if (changes->site_changed && changes->base != NULL)
    {
      changes->theirs_changes = byline_post_version_compare (changes->base, changes->live);
      changes->mine_changes = byline_post_version_compare (changes->base, changes->sent);
      changes->merge = byline_post_merge (changes->base, changes->sent, changes->live);
    }
  return g_steal_pointer (&changes);
}

static void
finish_load (GTask *task)
{
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  BylinePostChanges *changes;

  if (!(changes = compare_with_live (data, data->live_post, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, changes, (GDestroyNotify) byline_post_changes_free);
}

static const char * const taxonomies[] = { "categories", "tags" };

/* Whether every one of @ids is in @terms (BylineWpTerm, nullable). */
static gboolean
terms_know (GPtrArray *terms,
            GArray    *ids)
{
  for (guint i = 0; i < ids->len; i++)
    {
      gboolean found = FALSE;

      for (guint t = 0; terms != NULL && t < terms->len && !found; t++)
        found = ((BylineWpTerm *) g_ptr_array_index (terms, t))->id
                == g_array_index (ids, gint64, i);
      if (!found)
        return FALSE;
    }
  return TRUE;
}

static void refresh_terms (GTask *owned_task);

static void
refresh_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GPtrArray *terms;

  /* Offline or refused, the names stay as the cache has them: ids at worst, not a failure. */
  terms = byline_term_cache_refresh_finish (BYLINE_TERM_CACHE (object), result, &error);
  if (terms != NULL)
    {
      g_clear_pointer (&data->terms[data->taxonomy], g_ptr_array_unref);
      data->terms[data->taxonomy] = terms;
    }
  data->taxonomy++;
  refresh_terms (g_steal_pointer (&task));
}

/* Names the live post's terms: from the cache, listed again from the site when it lacks one.
 * Takes @owned_task. */
static void
refresh_terms (GTask *owned_task)
{
  g_autoptr(GTask) task = owned_task;
  LoadData *data = g_task_get_task_data (task);

  for (; data->taxonomy < G_N_ELEMENTS (taxonomies); data->taxonomy++)
    {
      GArray *ids = data->taxonomy == 0 ? byline_wp_post_get_categories (data->live_post)
                                        : byline_wp_post_get_tags (data->live_post);

      if (data->terms[data->taxonomy] == NULL)
        data->terms[data->taxonomy] = byline_term_cache_load (data->cache,
                                                              data->remote.account_id,
                                                              taxonomies[data->taxonomy], NULL,
                                                              NULL);
      if (!terms_know (data->terms[data->taxonomy], ids))
        {
          GCancellable *cancellable = g_task_get_cancellable (task);

          byline_term_cache_refresh_async (data->cache, data->client, data->remote.account_id,
                                           taxonomies[data->taxonomy], cancellable, refresh_cb,
                                           g_steal_pointer (&task));
          return;
        }
    }
  finish_load (task);
}

static void
get_post_cb (GObject      *object,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->live_post = byline_wp_client_get_post_finish (BYLINE_WP_CLIENT (object), result, &error);
  if (data->live_post == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  refresh_terms (g_steal_pointer (&task));
}

static void
connect_cb (GObject      *object,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  LoadData *data = g_task_get_task_data (task);
  GError *error = NULL;

  data->client = byline_accounts_connect_finish (BYLINE_ACCOUNTS (object), result, &error);
  if (data->client == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  byline_wp_client_get_post_async (data->client, data->remote.remote_id,
                                   g_task_get_cancellable (task), get_post_cb,
                                   g_object_ref (task));
}

void
byline_post_changes_load_async (BylineStore                *store,
                                BylineAccounts             *accounts,
                                BylineDraft                *draft,
                                const BylinePublishOptions *options,
                                GCancellable               *cancellable,
                                GAsyncReadyCallback         callback,
                                gpointer                    user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  BylineSqliteConnection *conn;
  LoadData *data;
  gboolean ok;

  g_return_if_fail (BYLINE_IS_STORE (store));
  g_return_if_fail (BYLINE_IS_ACCOUNTS (accounts));
  g_return_if_fail (BYLINE_IS_DRAFT (draft));

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_post_changes_load_async);
  data = g_new0 (LoadData, 1);
  data->store = g_object_ref (store);
  data->cache = byline_term_cache_new (store);
  data->draft = byline_draft_copy (draft);
  if (options != NULL)
    {
      data->has_options = TRUE;
      data->status = g_strdup (options->status);
      data->date_gmt = g_strdup (options->date_gmt);
      data->comment_status = g_strdup (options->comment_status);
      data->featured_media = options->featured_media;
    }
  g_task_set_task_data (task, data, (GDestroyNotify) load_data_free);

  if (!(conn = _byline_store_lock (store, &error)))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ok = byline_store_remote_posts_table_load (conn, byline_draft_get_id (draft), &data->remote,
                                             &error)
       && byline_store_remote_posts_table_load_base (conn, byline_draft_get_id (draft),
                                                     &data->base, &error);
  _byline_store_unlock (store);
  if (!ok)
    {
      if (error == NULL)
        g_set_error_literal (&error, BYLINE_PUBLISHER_ERROR, BYLINE_PUBLISHER_ERROR_NOT_LINKED,
                             _("This draft has not been published to a site, so there is no "
                               "live post to compare it with."));
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  byline_accounts_connect_async (accounts, data->remote.account_id, cancellable, connect_cb,
                                 g_steal_pointer (&task));
}

BylinePostChanges *
byline_post_changes_load_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Unified diff */

#define CONTEXT_LINES 3

/* @value on one line. */
static char *
one_line (const char *value)
{
  char *line = g_strdup (value ? value : "");

  g_strdelimit (line, "\r\n", ' ');
  return line;
}

static void
format_fields (GString    *out,
               GPtrArray  *changes)
{
  for (guint i = 0; i < changes->len; i++)
    {
      BylinePostChange *change = g_ptr_array_index (changes, i);
      g_autofree char *old_line = NULL;
      g_autofree char *new_line = NULL;

      if (change->field == BYLINE_POST_FIELD_CONTENT)
        continue;
      old_line = one_line (change->old_value);
      new_line = one_line (change->new_value);
      g_string_append_printf (out, "-%s: %s\n+%s: %s\n",
                              byline_post_field_get_key (change->field), old_line,
                              byline_post_field_get_key (change->field), new_line);
    }
}

typedef struct {
  char        mark;
  const char *line;
} MarkedLine;

/* The paragraphs of the reader texts of @old_html and @new_html that differ, with context. */
static void
format_text (GString    *out,
             const char *old_html,
             const char *new_html)
{
  g_autofree char *old_text = byline_post_reader_text (old_html);
  g_autofree char *new_text = byline_post_reader_text (new_html);
  g_auto(GStrv) old_lines = g_strsplit (old_text, "\n", -1);
  g_auto(GStrv) new_lines = g_strsplit (new_text, "\n", -1);
  g_autoptr(GHashTable) interned = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GArray) old_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) new_ids = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GArray) hunks = NULL;
  g_autoptr(GArray) marked = g_array_new (FALSE, FALSE, sizeof (MarkedLine));
  g_autofree gboolean *shown = NULL;
  gboolean in_hunk = FALSE;

  if (g_str_equal (old_text, new_text))
    return;
  for (guint side = 0; side < 2; side++)
    {
      char **lines = side == 0 ? old_lines : new_lines;
      GArray *ids = side == 0 ? old_ids : new_ids;

      for (guint i = 0; lines[i] != NULL; i++)
        {
          gpointer value;
          guint id;

          if (!g_hash_table_lookup_extended (interned, lines[i], NULL, &value))
            {
              value = GUINT_TO_POINTER (g_hash_table_size (interned));
              g_hash_table_insert (interned, lines[i], value);
            }
          id = GPOINTER_TO_UINT (value);
          g_array_append_val (ids, id);
        }
    }
  hunks = byline_diff_sequences ((const guint *) old_ids->data, old_ids->len,
                                 (const guint *) new_ids->data, new_ids->len);
  for (guint h = 0; h < hunks->len; h++)
    {
      const BylineDiffHunk *hunk = &g_array_index (hunks, BylineDiffHunk, h);

      for (gsize k = 0; k < hunk->length; k++)
        {
          MarkedLine line;

          if (hunk->op == BYLINE_DIFF_EQUAL)
            line = (MarkedLine) { ' ', new_lines[hunk->new_start + k] }
          ;
          else if (hunk->op == BYLINE_DIFF_DELETE)
            line = (MarkedLine) { '-', old_lines[hunk->old_start + k] }
          ;
          else
            line = (MarkedLine) { '+', new_lines[hunk->new_start + k] }
          ;
          g_array_append_val (marked, line);
        }
    }

  /* Show the changed lines and CONTEXT_LINES unchanged ones on either side. */
  shown = g_new0 (gboolean, marked->len + 1);
  for (guint i = 0; i < marked->len; i++)
    if (g_array_index (marked, MarkedLine, i).mark != ' ')
      for (guint k = i > CONTEXT_LINES ? i - CONTEXT_LINES : 0;
           k < MIN (marked->len, i + CONTEXT_LINES + 1); k++)
        shown[k] = TRUE;
  for (guint i = 0; i < marked->len; i++)
    {
      const MarkedLine *line = &g_array_index (marked, MarkedLine, i);

      if (!shown[i])
        {
          in_hunk = FALSE;
          continue;
        }
      if (!in_hunk)
        g_string_append_printf (out, "@@ %s @@\n",
                                byline_post_field_get_key (BYLINE_POST_FIELD_CONTENT));
      in_hunk = TRUE;
      g_string_append_printf (out, "%c%s\n", line->mark, line->line);
    }
}

/* "#   title, text" */
static void
format_summary (GString    *out,
                const char *heading,
                GPtrArray  *changes)
{
  g_string_append_printf (out, "# %s", heading);
  for (guint i = 0; i < changes->len; i++)
    {
      BylinePostChange *change = g_ptr_array_index (changes, i);

      g_string_append_printf (out, "%s%s", i == 0 ? " " : ", ",
                              byline_post_field_get_key (change->field));
    }
  if (changes->len == 0)
    g_string_append_printf (out, " %s", _("nothing"));
  g_string_append_c (out, '\n');
}

char *
byline_post_changes_format_unified (BylinePostChanges *changes)
{
  GString *out = g_string_new (NULL);
  BylineWpPost *live;

  g_return_val_if_fail (changes != NULL, NULL);

  live = changes->live_post;
  g_string_append_printf (out, "--- %s %" G_GINT64_FORMAT " (%s)\n", _("live post"),
                          byline_wp_post_get_id (live), byline_wp_post_get_link (live));
  g_string_append_printf (out, "+++ %s %" G_GINT64_FORMAT " (%s)\n", _("draft"),
                          changes->draft_id, _("as an update would send it"));
  format_fields (out, changes->changes);
  format_text (out, changes->live->fields[BYLINE_POST_FIELD_CONTENT],
               changes->sent->fields[BYLINE_POST_FIELD_CONTENT]);

  if (!changes->site_changed)
    return g_string_free (out, FALSE);
  g_string_append_printf (out, "# %s\n", _("The post changed on the site since this draft was "
                                           "last published or opened."));
  if (changes->merge == NULL)
    {
      g_string_append_printf (out, "# %s\n", _("Byline kept no earlier version of it, so it "
                                               "cannot tell whose changes are whose."));
      return g_string_free (out, FALSE);
    }
  format_summary (out, _("Changed on the site:"), changes->theirs_changes);
  format_summary (out, _("Changed in the draft:"), changes->mine_changes);
  if (changes->merge->n_conflicts == 0)
    g_string_append_printf (out, "# %s\n", _("The changes do not overlap: merging takes the "
                                             "site’s into the draft."));
  else
    {
      g_string_append_printf (out, "# %s", _("Both changed, differently:"));
      for (BylinePostField field = 0; field < BYLINE_POST_N_FIELDS; field++)
        if (changes->merge->outcomes[field] == BYLINE_MERGE_CONFLICT)
          g_string_append_printf (out, " %s", byline_post_field_get_key (field));
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

gboolean
byline_post_changes_rebase (BylineStore        *store,
                            gint64              draft_id,
                            BylinePostChanges  *changes,
                            GError            **error)
{
  g_autofree char *snapshot = NULL;
  BylineWpPost *live;
  BylineSqliteConnection *conn;
  gboolean ok;

  g_return_val_if_fail (BYLINE_IS_STORE (store), FALSE);
  g_return_val_if_fail (changes != NULL, FALSE);

  live = changes->live_post;
  snapshot = byline_post_snapshot (live);
  if (!(conn = _byline_store_lock (store, error)))
    return FALSE;
  ok = byline_sqlite_connection_begin (conn, error)
       && byline_store_remote_posts_table_upsert (conn, draft_id, changes->account_id,
                                                  byline_wp_post_get_id (live),
                                                  byline_wp_post_get_modified_gmt (live),
                                                  byline_wp_post_get_status (live),
                                                  byline_wp_post_get_link (live), error)
       && byline_store_remote_posts_table_set_base (conn, draft_id, byline_wp_post_get_id (live),
                                                    snapshot, error)
       && byline_sqlite_connection_commit (conn, error);
  if (!ok)
    byline_sqlite_connection_rollback (conn);
  _byline_store_unlock (store);
  return ok;
}
