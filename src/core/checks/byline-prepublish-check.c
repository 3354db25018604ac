/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-prepublish-check.c: what is wrong with a draft as it will be sent, before it goes out:
 * the run (the site's policy, the dictionary, the links over the network) and the overrides.
 *
 * A run copies the draft first, so that what is checked is one version even while the writer
 * types on. The local part (byline-prepublish-check-scan.c) runs on the calling thread, as the
 * spell checker must (it shares its dictionary with the editor's); only loading a dictionary
 * and the link checker's requests wait. */

#define G_LOG_DOMAIN "byline-check"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "byline-date.h"
#include "byline-language.h"
#include "byline-prepublish-check-private.h"
#include "byline-store-accounts-table.h"
#include "byline-store-check-overrides-table.h"
#include "byline-store-outbox-table.h"
#include "byline-store-private.h"
#include "byline-store-remote-posts-table.h"

struct _BylinePrepublishCheck
{
  GObject            parent_instance;

  BylineStore       *store;
  BylineLinkChecker *links;
  /* Loaded dictionaries by language asked for; NULL for a language with none installed. */
  GHashTable        *spelling;
};

G_DEFINE_FINAL_TYPE (BylinePrepublishCheck, byline_prepublish_check, G_TYPE_OBJECT)

typedef struct {
  BylineDraft         *draft;      /* a copy: the version checked */
  gint64               account_id;
  BylineCheckRunFlags  flags;
  BylineCheckPolicy    policy;
  char                *site_url;
  char                *language;
  GPtrArray           *findings;
  GPtrArray           *links;      /* BylineCheckLink */
} Run;

static void
run_free (Run *run)
{
  g_clear_object (&run->draft);
  g_free (run->site_url);
  g_free (run->language);
  g_clear_pointer (&run->findings, g_ptr_array_unref);
  g_clear_pointer (&run->links, g_ptr_array_unref);
  g_free (run);
}

/* The spelling table's values: a checker, or NULL for a language without a dictionary. */
static void
clear_spelling (gpointer checker)
{
  if (checker != NULL)
    g_object_unref (checker);
}

static void
byline_prepublish_check_dispose (GObject *object)
{
  BylinePrepublishCheck *self = BYLINE_PREPUBLISH_CHECK (object);

  g_clear_object (&self->store);
  g_clear_object (&self->links);
  g_clear_pointer (&self->spelling, g_hash_table_unref);

  G_OBJECT_CLASS (byline_prepublish_check_parent_class)->dispose (object);
}

static void
byline_prepublish_check_class_init (BylinePrepublishCheckClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = byline_prepublish_check_dispose;
}

static void
byline_prepublish_check_init (BylinePrepublishCheck *self)
{
  self->spelling = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, clear_spelling);
}

BylinePrepublishCheck *
byline_prepublish_check_new (BylineStore       *store,
                             BylineLinkChecker *links)
{
  BylinePrepublishCheck *self;

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);
  g_return_val_if_fail (links == NULL || BYLINE_IS_LINK_CHECKER (links), NULL);

  self = g_object_new (BYLINE_TYPE_PREPUBLISH_CHECK, NULL);
  self->store = g_object_ref (store);
  self->links = links ? g_object_ref (links) : NULL;
  return self;
}

/* ---- Fields ---- */

static gboolean
is_blank (const char *text)
{
  for (; *text != '\0'; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* Whether a comma-separated list as typed ("News, ,World") names anything. */
static gboolean
names_something (const char *names)
{
  for (; *names != '\0'; names++)
    if (!g_ascii_isspace (*names) && *names != ',')
      return TRUE;
  return FALSE;
}

static void
add_field_finding (Run              *run,
                   BylineCheckKind   kind,
                   BylineCheckField  field,
                   const char       *subject,
                   char             *message)
{
  BylineFinding *finding = byline_finding_new (kind, field);

  finding->severity = run->policy.severity[kind];
  finding->subject = g_strdup (subject);
  finding->message = message;
  g_ptr_array_add (run->findings, finding);
}

static void
check_required (Run *run)
{
  BylineDraft *draft = run->draft;
  const char *featured = byline_draft_get_featured_image (draft);
  const struct {
    BylineCheckField  field;
    gboolean          empty;
    const char       *message;
  } fields[] = {
    { BYLINE_CHECK_FIELD_TITLE, is_blank (byline_draft_get_title (draft)),
      N_("The site requires a title.") },
    { BYLINE_CHECK_FIELD_EXCERPT, is_blank (byline_draft_get_excerpt (draft)),
      N_("The site requires an excerpt.") },
    { BYLINE_CHECK_FIELD_SLUG, is_blank (byline_draft_get_slug (draft)),
      N_("The site requires a slug.") },
    { BYLINE_CHECK_FIELD_CATEGORIES, !names_something (byline_draft_get_categories (draft)),
      N_("The site requires at least one category.") },
    { BYLINE_CHECK_FIELD_TAGS, !names_something (byline_draft_get_tags (draft)),
      N_("The site requires at least one tag.") },
    { BYLINE_CHECK_FIELD_FEATURED_IMAGE, *featured == '\0' || g_str_equal (featured, "none"),
      N_("The site requires a featured image.") },
    { BYLINE_CHECK_FIELD_PUBLISH_DATE, is_blank (byline_draft_get_publish_date (draft)),
      N_("The site requires a publishing date.") },
  };

  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    if (run->policy.required[fields[i].field] && fields[i].empty)
      add_field_finding (run, BYLINE_CHECK_MISSING_FIELD, fields[i].field,
                         byline_check_field_get_name (fields[i].field),
                         g_strdup (_(fields[i].message)));
}

/* Whether the draft's post is already out on the site (published or private). */
static gboolean
is_out_on_site (BylinePrepublishCheck *self,
                BylineDraft           *draft)
{
  g_auto(BylineRemotePost) remote = { 0 };
  g_autoptr(GError) error = NULL;
  BylineSqliteConnection *conn;
  gboolean linked;

  if (!(conn = _byline_store_lock (self->store, &error)))
    return FALSE;
  linked = byline_store_remote_posts_table_load (conn, byline_draft_get_id (draft), &remote,
                                                 &error);
  _byline_store_unlock (self->store);
  return linked && remote.status != NULL &&
         (g_str_equal (remote.status, "publish") || g_str_equal (remote.status, "private"));
}

static void
check_date (BylinePrepublishCheck *self,
            Run                   *run)
{
  const char *text = byline_draft_get_publish_date (run->draft);
  g_autoptr(GDateTime) date = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  /* A date that is no date is the post details' to refuse as it is typed. A post already out
   * keeps the date it went out on, which has always gone by: only a post still to go out can
   * be scheduled in the past. */
  if (is_blank (text) || !(date = byline_date_parse (text)) || is_out_on_site (self, run->draft))
    return;
  if (g_date_time_compare (date, now) <= 0)
    {
      g_autofree char *shown = g_date_time_format (date, "%Y-%m-%d %H:%M");

      add_field_finding (run, BYLINE_CHECK_DATE_IN_PAST, BYLINE_CHECK_FIELD_PUBLISH_DATE, text,
                         g_strdup_printf (_("The scheduled date, %s, has already gone by."),
                                          shown));
    }
}

/* The alt text a local upload was given, from its outbox entry; NULL when there is no entry. */
static char *
upload_alt_text (BylinePrepublishCheck  *self,
                 gint64                  account_id,
                 const char             *file,
                 GError                **error)
{
  g_autoptr(BylineOutboxEntry) entry = NULL;
  g_autoptr(BylineStoreOutboxRow) row = NULL;
  g_autoptr(JsonNode) payload = NULL;
  BylineSqliteConnection *conn;
  GError *local_error = NULL;

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  entry = byline_store_outbox_table_find_upload (conn, account_id, file, &local_error);
  if (entry != NULL)
    row = byline_store_outbox_table_load_row (conn, entry->id, &local_error);
  _byline_store_unlock (self->store);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (row == NULL)
    return NULL;
  payload = json_from_string (row->payload, NULL);
  if (payload == NULL || !JSON_NODE_HOLDS_OBJECT (payload))
    return g_strdup ("");
  return g_strdup (json_object_get_string_member_with_default (json_node_get_object (payload),
                                                               "alt_text", ""));
}

static gboolean
check_featured_image (BylinePrepublishCheck  *self,
                      Run                    *run,
                      GError                **error)
{
  const char *featured = byline_draft_get_featured_image (run->draft);
  const char *file = NULL;
  g_autofree char *alt = NULL;
  GError *local_error = NULL;

  /* "media:ID" is in the site's library already, with the alt text it has there, which is not
   * known here; "" and "none" have no image. Only a local upload's is ours to know. */
  if (!g_str_has_prefix (featured, BYLINE_UPLOAD_SCHEME ":"))
    return TRUE;
  file = featured + strlen (BYLINE_UPLOAD_SCHEME ":");
  alt = upload_alt_text (self, run->account_id, file, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (alt == NULL)
    add_field_finding (run, BYLINE_CHECK_MISSING_ALT, BYLINE_CHECK_FIELD_FEATURED_IMAGE, featured,
                       g_strdup_printf (_("The featured image “%s” is not among the images to "
                                          "upload, so its alt text is not known: choose it "
                                          "again."), file));
  else if (is_blank (alt))
    add_field_finding (run, BYLINE_CHECK_MISSING_ALT, BYLINE_CHECK_FIELD_FEATURED_IMAGE, featured,
                       g_strdup (_("The featured image has no alt text: describe it for readers "
                                   "who cannot see it.")));
  return TRUE;
}

/* ---- The run ---- */

static void
run_complete (GTask *task)
{
  Run *run = g_task_get_task_data (task);

  if (g_task_return_error_if_cancelled (task))
    return;
  _byline_prepublish_check_locate (run->draft, run->findings);
  g_task_return_pointer (task, g_ptr_array_ref (run->findings), (GDestroyNotify) g_ptr_array_unref);
}

/* Whatever the policy says, a link check that could not run never stops a post. @why is a
 * sentence. */
static void
add_not_checked (Run        *run,
                 const char *why)
{
  BylineFinding *finding = byline_finding_new (BYLINE_CHECK_LINKS_NOT_CHECKED,
                                               BYLINE_CHECK_FIELD_BODY);

  finding->severity = BYLINE_CHECK_WARNING;
  /* TRANSLATORS: %s is a sentence saying why the links were not checked. */
  finding->message = g_strdup_printf (_("%s The post can still be sent."), why);
  g_ptr_array_add (run->findings, finding);
}

static BylineFinding *
add_broken_link (Run             *run,
                 BylineCheckLink *link)
{
  BylineFinding *finding = byline_finding_new (BYLINE_CHECK_BROKEN_LINK, BYLINE_CHECK_FIELD_BODY);

  finding->severity = run->policy.severity[BYLINE_CHECK_BROKEN_LINK];
  finding->offset = link->offset;
  finding->length = link->length;
  finding->subject = g_strdup (link->url);
  g_ptr_array_add (run->findings, finding);
  return finding;
}

static void
links_checked_cb (GObject      *object,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Run *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) results = NULL;
  g_autoptr(GHashTable) by_url = NULL;
  g_autoptr(GError) error = NULL;
  const char *not_checked = NULL;

  results = byline_link_checker_check_finish (BYLINE_LINK_CHECKER (object), result, &error);
  if (results == NULL)
    {
      g_autofree char *why = NULL;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      why = g_strdup_printf (_("The links could not be checked (%s)."), error->message);
      add_not_checked (run, why);
      run_complete (task);
      return;
    }

  by_url = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < results->len; i++)
    {
      BylineLinkResult *link_result = g_ptr_array_index (results, i);

      g_hash_table_insert (by_url, link_result->url, link_result);
    }

  for (guint i = 0; i < run->links->len; i++)
    {
      BylineCheckLink *link = g_ptr_array_index (run->links, i);
      BylineLinkResult *link_result = g_hash_table_lookup (by_url, link->url);
      const char *why;
      BylineFinding *finding;

      if (link_result == NULL)
        continue;
      why = link_result->message ? link_result->message : "";
      switch (link_result->status)
        {
        case BYLINE_LINK_OK:
          if (link_result->final_url == NULL)
            continue;
          break;
        case BYLINE_LINK_NOT_CHECKED:
          /* Only what could be checked is asked: offline, or cancelled. */
          if (not_checked == NULL)
            not_checked = *why != '\0' ? why : _("The links could not be checked.");
          continue;
        case BYLINE_LINK_CLIENT_ERROR:
        case BYLINE_LINK_SERVER_ERROR:
        case BYLINE_LINK_DNS:
        case BYLINE_LINK_TLS:
        case BYLINE_LINK_TIMEOUT:
        case BYLINE_LINK_TOO_MANY_REDIRECTS:
        case BYLINE_LINK_FAILED:
        default:
          break;
        }

      finding = add_broken_link (run, link);
      if (link_result->status == BYLINE_LINK_OK)
        {
          /* Not broken: where it lands, and never blocking (see byline-prepublish-check.h). */
          finding->severity = BYLINE_CHECK_WARNING;
          finding->message = g_strdup_printf (_("The link to %s redirects to %s: link there "
                                                "directly."), link->url, link_result->final_url);
        }
      else if (link_result->final_url != NULL)
        finding->message = g_strdup_printf (_("The link to %s is broken (it leads to %s): %s"),
                                            link->url, link_result->final_url, why);
      else
        finding->message = g_strdup_printf (_("The link to %s is broken: %s"), link->url, why);
    }
  if (not_checked != NULL)
    add_not_checked (run, not_checked);
  run_complete (task);
}

/* The local part, with @spelling (NULL: no dictionary, or spelling not asked for), then the
 * links. */
static void
run_scan (GTask              *task,
          BylineSpellChecker *spelling)
{
  BylinePrepublishCheck *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  guint first = run->findings->len;

  if (g_task_return_error_if_cancelled (task))
    return;

  _byline_prepublish_check_scan (run->draft, spelling, run->site_url, run->findings, run->links);
  for (guint i = first; i < run->findings->len; i++)
    {
      BylineFinding *finding = g_ptr_array_index (run->findings, i);

      finding->severity = run->policy.severity[finding->kind];
    }

  if (run->flags & BYLINE_CHECK_RUN_LOCAL)
    {
      check_required (run);
      check_date (self, run);
      if (!check_featured_image (self, run, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }
  else
    /* The body was read for its links only. */
    g_ptr_array_set_size (run->findings, first);

  if (!(run->flags & BYLINE_CHECK_RUN_LINKS) || run->links->len == 0)
    {
      run_complete (task);
      return;
    }
  /* An address no one can follow is broken without asking the network. */
  for (guint i = 0; i < run->links->len; i++)
    {
      BylineCheckLink *link = g_ptr_array_index (run->links, i);

      if (link->invalid)
        add_broken_link (run, link)->message =
          g_strdup_printf (_("The link to %s is broken: it is not a web address one can "
                             "follow."), link->url);
    }
  if (self->links == NULL)
    {
      add_not_checked (run, _("The links could not be checked here."));
      run_complete (task);
      return;
    }

  {
    g_autoptr(GPtrArray) urls = g_ptr_array_new ();

    for (guint i = 0; i < run->links->len; i++)
      {
        BylineCheckLink *link = g_ptr_array_index (run->links, i);

        if (!link->invalid)
          g_ptr_array_add (urls, link->url);
      }
    if (urls->len == 0)
      {
        run_complete (task);
        return;
      }
    g_ptr_array_add (urls, NULL);
    byline_link_checker_check_async (self->links, (const char * const *) urls->pdata,
                                     g_task_get_cancellable (task), links_checked_cb,
                                     g_object_ref (task));
  }
}

static void
spelling_loaded_cb (GObject      *object,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BylinePrepublishCheck *self = g_task_get_source_object (task);
  Run *run = g_task_get_task_data (task);
  g_autoptr(BylineSpellChecker) spelling = NULL;
  g_autoptr(GError) error = NULL;

  spelling = byline_spell_checker_new_finish (result, &error);
  if (spelling == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* No dictionary of that language is installed: nothing to underline, nothing to find. */
  if (spelling == NULL)
    g_debug ("No spelling for %s: %s", run->language, error->message);
  g_hash_table_replace (self->spelling, g_strdup (run->language),
                        spelling ? g_object_ref (spelling) : NULL);
  run_scan (task, spelling);
}

/* The site's address, to resolve the body's "/path" links against; NULL without an account. */
static gboolean
load_site_url (BylinePrepublishCheck  *self,
               gint64                  account_id,
               char                  **site_url,
               GError                **error)
{
  g_autoptr(BylineAccount) account = NULL;
  BylineSqliteConnection *conn;
  GError *local_error = NULL;

  *site_url = NULL;
  if (account_id <= 0)
    return TRUE;
  if (!(conn = _byline_store_lock (self->store, error)))
    return FALSE;
  account = byline_store_accounts_table_load (conn, account_id, &local_error);
  _byline_store_unlock (self->store);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return FALSE;
    }
  if (account != NULL)
    *site_url = g_strdup (byline_account_get_site_url (account));
  return TRUE;
}

void
byline_prepublish_check_run_async (BylinePrepublishCheck *self,
                                   BylineDraft           *draft,
                                   gint64                 account_id,
                                   BylineCheckRunFlags    flags,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  Run *run;

  g_return_if_fail (BYLINE_IS_PREPUBLISH_CHECK (self));
  g_return_if_fail (BYLINE_IS_DRAFT (draft));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_prepublish_check_run_async);
  run = g_new0 (Run, 1);
  run->draft = byline_draft_copy (draft);
  run->account_id = account_id;
  run->flags = flags;
  run->findings = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_finding_free);
  run->links = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_check_link_free);
  g_task_set_task_data (task, run, (GDestroyNotify) run_free);

  if (!byline_check_policy_load (self->store, account_id, &run->policy, &error)
      || !load_site_url (self, account_id, &run->site_url, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (!(flags & BYLINE_CHECK_RUN_LOCAL))
    {
      run_scan (task, NULL);
      return;
    }

  run->language = *byline_draft_get_language (draft) != '\0'
                  ? g_strdup (byline_draft_get_language (draft))
                  : byline_language_dup_default ();
  if (g_hash_table_contains (self->spelling, run->language))
    {
      run_scan (task, g_hash_table_lookup (self->spelling, run->language));
      return;
    }
  byline_spell_checker_new_async (run->language, cancellable, spelling_loaded_cb,
                                  g_steal_pointer (&task));
}

GPtrArray *
byline_prepublish_check_run_finish (BylinePrepublishCheck  *self,
                                    GAsyncResult           *result,
                                    GError                **error)
{
  g_return_val_if_fail (BYLINE_IS_PREPUBLISH_CHECK (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Overrides ---- */

gboolean
byline_prepublish_check_record_override (BylinePrepublishCheck  *self,
                                         gint64                  draft_id,
                                         gint64                  account_id,
                                         const char             *reason,
                                         GPtrArray              *findings,
                                         GError                **error)
{
  g_autoptr(GString) text = g_string_new (NULL);
  g_autofree char *trimmed = NULL;
  BylineSqliteConnection *conn;
  gint64 id;

  g_return_val_if_fail (BYLINE_IS_PREPUBLISH_CHECK (self), FALSE);
  g_return_val_if_fail (findings != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  trimmed = g_strstrip (g_strdup (reason ? reason : ""));
  if (*trimmed == '\0')
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                           _("Say why the post goes out despite what the check found: the reason "
                             "is kept with the post’s history."));
      return FALSE;
    }

  for (guint i = 0; i < findings->len; i++)
    {
      BylineFinding *finding = g_ptr_array_index (findings, i);
      g_autofree char *line = NULL;

      if (finding->severity != BYLINE_CHECK_BLOCKING)
        continue;
      line = byline_finding_to_string (finding);
      g_string_append_printf (text, "%s%s", text->len ? "\n" : "", line);
    }

  if (!(conn = _byline_store_lock (self->store, error)))
    return FALSE;
  id = byline_store_check_overrides_table_insert (conn, draft_id, account_id, g_get_real_time (),
                                                  trimmed, text->str, error);
  _byline_store_unlock (self->store);
  return id > 0;
}

GPtrArray *
byline_prepublish_check_list_overrides (BylinePrepublishCheck  *self,
                                        gint64                  draft_id,
                                        GError                **error)
{
  BylineSqliteConnection *conn;
  GPtrArray *overrides;

  g_return_val_if_fail (BYLINE_IS_PREPUBLISH_CHECK (self), NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!(conn = _byline_store_lock (self->store, error)))
    return NULL;
  overrides = byline_store_check_overrides_table_list (conn, draft_id, error);
  _byline_store_unlock (self->store);
  return overrides;
}
