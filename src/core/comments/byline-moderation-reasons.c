/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-moderation-reasons.c: each site's list of comment policy reasons.
 *
 * A site gets the default list the first time its reasons are asked for, named in the language
 * of that moment: the names are the site's own from then on (its moderators may rename them),
 * while the slugs stay, for the decisions and the trail that carry them. */

#define G_LOG_DOMAIN "byline-moderation"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-moderation-reasons.h"
#include "byline-store-comments-table.h"
#include "byline-store-moderation-reasons-table.h"
#include "byline-store-private.h"

G_DEFINE_QUARK (byline-moderation-reasons-error-quark, byline_moderation_reasons_error)

/* The usual reasons of a published comment policy. */
static const struct {
  const char *slug;
  const char *name;
} default_reasons[] = {
  { "off-topic", N_("Off topic") },
  { "abusive", N_("Abusive") },
  { "spam", N_("Spam") },
  { "commercial", N_("Commercial") },
  { "personal-information", N_("Personal information") },
};

BylineModerationReason *
byline_moderation_reason_copy (const BylineModerationReason *r)
{
  BylineModerationReason *copy = g_new (BylineModerationReason, 1);

  *copy = *r;
  copy->slug = g_strdup (r->slug);
  copy->name = g_strdup (r->name);
  return copy;
}

void
byline_moderation_reason_free (BylineModerationReason *reason)
{
  if (reason == NULL)
    return;
  g_free (reason->slug);
  g_free (reason->name);
  g_free (reason);
}

/* Takes the store and starts a transaction; end () ends both. */
static BylineSqliteConnection *
begin (BylineStore  *store,
       GError      **error)
{
  BylineSqliteConnection *conn = _byline_store_lock (store, error);

  if (conn != NULL && !byline_sqlite_connection_begin (conn, error))
    {
      _byline_store_unlock (store);
      return NULL;
    }
  return conn;
}

static gboolean
end (BylineStore             *store,
     BylineSqliteConnection  *conn,
     gboolean                 ok,
     GError                 **error)
{
  ok = ok && byline_sqlite_connection_commit (conn, error);
  if (!ok)
    byline_sqlite_connection_rollback (conn);
  _byline_store_unlock (store);
  return ok;
}

/* The list of @account_id, the default one written first if it has none. */
static GPtrArray *
list_locked (BylineSqliteConnection  *conn,
             gint64                   account_id,
             gboolean                 removed_too,
             GError                 **error)
{
  GError *local_error = NULL;

  if (!byline_store_moderation_reasons_table_has_any (conn, account_id, &local_error))
    {
      if (local_error != NULL)
        {
          g_propagate_error (error, local_error);
          return NULL;
        }
      for (guint i = 0; i < G_N_ELEMENTS (default_reasons); i++)
        if (!byline_store_moderation_reasons_table_add (conn, account_id, default_reasons[i].slug,
                                                        _(default_reasons[i].name), i, error))
          return NULL;
    }
  return byline_store_moderation_reasons_table_list (conn, account_id, removed_too, error);
}

GPtrArray *
byline_moderation_reasons_list (BylineStore  *store,
                                gint64        account_id,
                                GError      **error)
{
  g_autoptr(GPtrArray) reasons = NULL;
  BylineSqliteConnection *conn;

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);

  if (!(conn = begin (store, error)))
    return NULL;
  reasons = list_locked (conn, account_id, FALSE, error);
  if (!end (store, conn, reasons != NULL, error))
    return NULL;
  return g_steal_pointer (&reasons);
}

static BylineModerationReason *
find_in (GPtrArray  *reasons,
         const char *name_or_slug)
{
  g_autofree char *wanted = g_utf8_casefold (name_or_slug, -1);

  for (guint i = 0; i < reasons->len; i++)
    {
      BylineModerationReason *reason = g_ptr_array_index (reasons, i);
      g_autofree char *name = g_utf8_casefold (reason->name, -1);

      if (g_str_equal (reason->slug, name_or_slug) || g_str_equal (name, wanted))
        return reason;
    }
  return NULL;
}

BylineModerationReason *
byline_moderation_reasons_find (BylineStore  *store,
                                gint64        account_id,
                                const char   *name_or_slug,
                                gboolean      removed_too,
                                GError      **error)
{
  g_autoptr(GPtrArray) reasons = NULL;
  g_autofree char *trimmed = NULL;
  BylineSqliteConnection *conn;
  BylineModerationReason *found;

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);
  g_return_val_if_fail (name_or_slug != NULL, NULL);

  if (!(conn = begin (store, error)))
    return NULL;
  reasons = list_locked (conn, account_id, removed_too, error);
  if (!end (store, conn, reasons != NULL, error))
    return NULL;
  trimmed = g_strstrip (g_strdup (name_or_slug));
  found = find_in (reasons, trimmed);
  return found ? byline_moderation_reason_copy (found) : NULL;
}

static gboolean
has_slug (GPtrArray  *reasons,
          const char *slug)
{
  for (guint i = 0; i < reasons->len; i++)
    if (g_str_equal (((BylineModerationReason *) g_ptr_array_index (reasons, i))->slug, slug))
      return TRUE;
  return FALSE;
}

/* The longest slug made of a name, leaving room for a "-N" suffix within the 63 bytes a
 * decision keeps of it (BylineStoreCommentState.reason). */
#define SLUG_MAX 48

/* A slug made of @name: lower-case ASCII letters and digits, words joined by '-'. */
static char *
slug_from_name (const char *name)
{
  g_autofree char *ascii = g_str_to_ascii (name, "C");
  GString *slug = g_string_new (NULL);

  for (const char *p = ascii; *p != '\0' && slug->len < SLUG_MAX; p++)
    {
      if (g_ascii_isalnum (*p))
        g_string_append_c (slug, g_ascii_tolower (*p));
      else if (slug->len > 0 && slug->str[slug->len - 1] != '-')
        g_string_append_c (slug, '-');
    }
  while (slug->len > 0 && slug->str[slug->len - 1] == '-')
    g_string_truncate (slug, slug->len - 1);
  if (slug->len == 0)
    g_string_append (slug, "reason");
  return g_string_free (slug, FALSE);
}

static gboolean
check_name (GPtrArray   *reasons,
            const char  *name,
            const char  *except_slug,
            GError     **error)
{
  BylineModerationReason *same;

  if (name[0] == '\0')
    {
      g_set_error_literal (error, BYLINE_MODERATION_REASONS_ERROR,
                           BYLINE_MODERATION_REASONS_ERROR_INVALID,
                           _("A reason needs a name."));
      return FALSE;
    }
  same = find_in (reasons, name);
  if (same != NULL && g_strcmp0 (same->slug, except_slug) != 0)
    {
      g_set_error (error, BYLINE_MODERATION_REASONS_ERROR, BYLINE_MODERATION_REASONS_ERROR_EXISTS,
                   _("There is already a reason named “%s”."), same->name);
      return FALSE;
    }
  return TRUE;
}

BylineModerationReason *
byline_moderation_reasons_add (BylineStore  *store,
                               gint64        account_id,
                               const char   *name,
                               GError      **error)
{
  g_autoptr(GPtrArray) reasons = NULL, all = NULL;
  g_autofree char *trimmed = NULL, *base = NULL, *slug = NULL;
  BylineModerationReason *added = NULL;
  BylineSqliteConnection *conn;
  gboolean ok;

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  trimmed = g_strstrip (g_strdup (name));
  if (!(conn = begin (store, error)))
    return NULL;
  ok = (reasons = list_locked (conn, account_id, FALSE, error)) != NULL &&
       (all = byline_store_moderation_reasons_table_list (conn, account_id, TRUE,
                                                          error)) != NULL &&
       check_name (reasons, trimmed, NULL, error);
  if (ok)
    {
      /* A new slug, not one of a removed reason: the trail's entries keep meaning theirs. */
      base = slug_from_name (trimmed);
      slug = g_strdup (base);
      for (guint n = 2; has_slug (all, slug); n++)
        {
          g_free (slug);
          slug = g_strdup_printf ("%s-%u", base, n);
        }
      ok = byline_store_moderation_reasons_table_add (conn, account_id, slug, trimmed,
                                                      reasons->len, error);
    }
  if (!end (store, conn, ok, error))
    return NULL;
  added = g_new0 (BylineModerationReason, 1);
  added->account_id = account_id;
  added->slug = g_steal_pointer (&slug);
  added->name = g_steal_pointer (&trimmed);
  added->position = reasons->len;
  return added;
}

gboolean
byline_moderation_reasons_rename (BylineStore  *store,
                                  gint64        account_id,
                                  const char   *slug,
                                  const char   *name,
                                  GError      **error)
{
  g_autoptr(GPtrArray) reasons = NULL;
  g_autofree char *trimmed = NULL;
  BylineModerationReason *reason = NULL;
  BylineSqliteConnection *conn;
  gboolean ok;

  g_return_val_if_fail (BYLINE_IS_STORE (store), FALSE);
  g_return_val_if_fail (slug != NULL && name != NULL, FALSE);

  trimmed = g_strstrip (g_strdup (name));
  if (!(conn = begin (store, error)))
    return FALSE;
  ok = (reasons = list_locked (conn, account_id, FALSE, error)) != NULL;
  for (guint i = 0; ok && i < reasons->len && reason == NULL; i++)
    if (g_str_equal (((BylineModerationReason *) g_ptr_array_index (reasons, i))->slug, slug))
      reason = g_ptr_array_index (reasons, i);
  if (ok && reason == NULL)
    {
      g_set_error (error, BYLINE_MODERATION_REASONS_ERROR,
                   BYLINE_MODERATION_REASONS_ERROR_NOT_FOUND,
                   _("There is no reason “%s”."), slug);
      ok = FALSE;
    }
  ok = ok && check_name (reasons, trimmed, slug, error) &&
       byline_store_moderation_reasons_table_update (conn, account_id, slug, trimmed,
                                                     reason->position, error) > 0;
  return end (store, conn, ok, error);
}

gboolean
byline_moderation_reasons_remove (BylineStore  *store,
                                  gint64        account_id,
                                  const char   *slug,
                                  GError      **error)
{
  g_autoptr(GPtrArray) reasons = NULL;
  BylineSqliteConnection *conn;
  gint64 removed = -1;

  g_return_val_if_fail (BYLINE_IS_STORE (store), FALSE);
  g_return_val_if_fail (slug != NULL, FALSE);

  if (!(conn = begin (store, error)))
    return FALSE;
  if ((reasons = list_locked (conn, account_id, FALSE, error)) != NULL)
    removed = byline_store_moderation_reasons_table_remove (conn, account_id, slug, error);
  if (removed == 0)
    g_set_error (error, BYLINE_MODERATION_REASONS_ERROR,
                 BYLINE_MODERATION_REASONS_ERROR_NOT_FOUND,
                 _("There is no reason “%s”."), slug);
  return end (store, conn, removed > 0, error);
}

gboolean
byline_moderation_reasons_reorder (BylineStore        *store,
                                   gint64              account_id,
                                   const char * const *slugs,
                                   GError            **error)
{
  g_autoptr(GPtrArray) reasons = NULL;
  BylineSqliteConnection *conn;
  gboolean ok;

  g_return_val_if_fail (BYLINE_IS_STORE (store), FALSE);
  g_return_val_if_fail (slugs != NULL, FALSE);

  if (!(conn = begin (store, error)))
    return FALSE;
  ok = (reasons = list_locked (conn, account_id, FALSE, error)) != NULL;
  if (ok && g_strv_length ((char **) slugs) != reasons->len)
    {
      g_set_error_literal (error, BYLINE_MODERATION_REASONS_ERROR,
                           BYLINE_MODERATION_REASONS_ERROR_INVALID,
                           _("The new order must name every reason once."));
      ok = FALSE;
    }
  for (guint i = 0; ok && slugs[i] != NULL; i++)
    {
      BylineModerationReason *reason = NULL;

      for (guint j = 0; j < reasons->len && reason == NULL; j++)
        if (g_str_equal (((BylineModerationReason *) g_ptr_array_index (reasons, j))->slug,
                         slugs[i]))
          reason = g_ptr_array_index (reasons, j);
      if (reason == NULL || g_strv_contains ((const char * const *) &slugs[i + 1], slugs[i]))
        {
          g_set_error_literal (error, BYLINE_MODERATION_REASONS_ERROR,
                               BYLINE_MODERATION_REASONS_ERROR_INVALID,
                               _("The new order must name every reason once."));
          ok = FALSE;
        }
      else
        ok = byline_store_moderation_reasons_table_update (conn, account_id, slugs[i],
                                                           reason->name, i, error) > 0;
    }
  return end (store, conn, ok, error);
}

BylineModerationReason *
byline_moderation_reasons_get_for_comment (BylineStore  *store,
                                           gint64        comment_id,
                                           GError      **error)
{
  g_autoptr(GPtrArray) reasons = NULL;
  g_autofree char *slug = NULL;
  BylineSqliteConnection *conn;
  BylineModerationReason *reason = NULL;
  BylineStoreCommentState state = { 0 };
  GError *local_error = NULL;

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);

  /* Read for every row shown: a read, no transaction, and one statement for a comment without
   * a reason. The list is there already: the decision that gave the reason read it. */
  if (!(conn = _byline_store_lock (store, error)))
    return NULL;
  slug = byline_store_comments_table_get_reason (conn, comment_id, &local_error);
  if (slug != NULL && slug[0] != '\0' &&
      byline_store_comments_table_read_state (conn, comment_id, &state, &local_error))
    reasons = byline_store_moderation_reasons_table_list (conn, state.account_id, TRUE,
                                                          &local_error);
  _byline_store_unlock (store);
  if (local_error != NULL)
    {
      g_propagate_error (error, local_error);
      return NULL;
    }
  if (slug == NULL || slug[0] == '\0')
    return NULL;
  for (guint i = 0; reasons != NULL && i < reasons->len && reason == NULL; i++)
    if (g_str_equal (((BylineModerationReason *) g_ptr_array_index (reasons, i))->slug, slug))
      reason = byline_moderation_reason_copy (g_ptr_array_index (reasons, i));
  /* A slug no longer on the list at all (written by another copy of the store): it names it. */
  if (reason == NULL)
    {
      reason = g_new0 (BylineModerationReason, 1);
      reason->account_id = state.account_id;
      reason->slug = g_strdup (slug);
      reason->name = g_strdup (slug);
    }
  return reason;
}
