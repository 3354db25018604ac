/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-check-policy.c: which findings a site requires and which stop a post, kept per account;
 * findings and overrides as values, and the names scripts and the store know them by. */

#define G_LOG_DOMAIN "byline-check"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "byline-prepublish-check.h"
#include "byline-store-check-policies-table.h"
#include "byline-store-private.h"

/* In the order of the enums: never reorder one without the other. */
static const char * const kind_names[BYLINE_CHECK_N_KINDS] = {
  "misspelling",
  "missing-alt",
  "broken-link",
  "links-not-checked",
  "missing-field",
  "skipped-heading",
  "date-in-past",
  "empty-body",
};

static const char * const field_names[BYLINE_CHECK_FIELD_PUBLISH_DATE + 1] = {
  "body",
  "title",
  "excerpt",
  "slug",
  "categories",
  "tags",
  "featured-image",
  "publish-date",
};

const char *
byline_check_kind_get_name (BylineCheckKind kind)
{
  g_return_val_if_fail (kind < BYLINE_CHECK_N_KINDS, NULL);

  return kind_names[kind];
}

const char *
byline_check_field_get_name (BylineCheckField field)
{
  g_return_val_if_fail (field <= BYLINE_CHECK_FIELD_PUBLISH_DATE, NULL);

  return field_names[field];
}

gboolean
byline_check_kind_from_name (const char      *name,
                             BylineCheckKind *kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (kind_names); i++)
    if (g_strcmp0 (name, kind_names[i]) == 0)
      {
        *kind = (BylineCheckKind) i;
        return TRUE;
      }
  return FALSE;
}

gboolean
byline_check_field_from_name (const char       *name,
                              BylineCheckField *field)
{
  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (g_strcmp0 (name, field_names[i]) == 0)
      {
        *field = (BylineCheckField) i;
        return TRUE;
      }
  return FALSE;
}

BylineFinding *
byline_finding_new (BylineCheckKind  kind,
                    BylineCheckField field)
{
  BylineFinding *finding = g_new0 (BylineFinding, 1);

  finding->kind = kind;
  finding->field = field;
  return finding;
}

BylineFinding *
byline_finding_copy (const BylineFinding *finding)
{
  BylineFinding *copy = g_memdup2 (finding, sizeof *finding);

  copy->subject = g_strdup (finding->subject);
  copy->message = g_strdup (finding->message);
  return copy;
}

void
byline_finding_free (BylineFinding *finding)
{
  if (finding == NULL)
    return;
  g_free (finding->subject);
  g_free (finding->message);
  g_free (finding);
}

char *
byline_finding_to_string (const BylineFinding *finding)
{
  g_return_val_if_fail (finding != NULL, NULL);

  if (finding->field == BYLINE_CHECK_FIELD_BODY && finding->line > 0)
    return g_strdup_printf ("%u:%u: %s: %s", finding->line, finding->column,
                            byline_check_kind_get_name (finding->kind),
                            finding->message ? finding->message : "");
  return g_strdup_printf ("%s: %s: %s", byline_check_field_get_name (finding->field),
                          byline_check_kind_get_name (finding->kind),
                          finding->message ? finding->message : "");
}

gboolean
byline_findings_block (GPtrArray *findings)
{
  g_return_val_if_fail (findings != NULL, FALSE);

  for (guint i = 0; i < findings->len; i++)
    if (((BylineFinding *) g_ptr_array_index (findings, i))->severity == BYLINE_CHECK_BLOCKING)
      return TRUE;
  return FALSE;
}

BylineCheckOverride *
byline_check_override_new (void)
{
  return g_new0 (BylineCheckOverride, 1);
}

void
byline_check_override_free (BylineCheckOverride *override)
{
  if (override == NULL)
    return;
  g_free (override->reason);
  g_free (override->findings);
  g_free (override);
}

void
byline_check_policy_init_default (BylineCheckPolicy *policy)
{
  g_return_if_fail (policy != NULL);

  memset (policy, 0, sizeof *policy);
  policy->required[BYLINE_CHECK_FIELD_TITLE] = TRUE;
  policy->required[BYLINE_CHECK_FIELD_EXCERPT] = TRUE;
  policy->required[BYLINE_CHECK_FIELD_CATEGORIES] = TRUE;
  for (guint i = 0; i < BYLINE_CHECK_N_KINDS; i++)
    policy->severity[i] = BYLINE_CHECK_WARNING;
  policy->severity[BYLINE_CHECK_EMPTY_BODY] = BYLINE_CHECK_BLOCKING;
  policy->severity[BYLINE_CHECK_MISSING_FIELD] = BYLINE_CHECK_BLOCKING;
  policy->severity[BYLINE_CHECK_DATE_IN_PAST] = BYLINE_CHECK_BLOCKING;
  policy->severity[BYLINE_CHECK_BROKEN_LINK] = BYLINE_CHECK_BLOCKING;
}

gboolean
byline_check_policy_load (BylineStore        *store,
                          gint64              account_id,
                          BylineCheckPolicy  *policy,
                          GError            **error)
{
  g_autofree char *required = NULL;
  g_autofree char *blocking = NULL;
  g_auto(GStrv) required_names = NULL;
  g_auto(GStrv) blocking_names = NULL;
  BylineSqliteConnection *conn;
  gboolean found = FALSE;
  gboolean ok;

  g_return_val_if_fail (BYLINE_IS_STORE (store), FALSE);
  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  byline_check_policy_init_default (policy);
  if (account_id <= 0)
    return TRUE;

  if (!(conn = _byline_store_lock (store, error)))
    return FALSE;
  ok = byline_store_check_policies_table_load (conn, account_id, &found, &required, &blocking,
                                               error);
  _byline_store_unlock (store);
  if (!ok || !found)
    return ok;

  /* Names this version does not know (a newer Byline's) are left out: the rest still holds. */
  memset (policy->required, 0, sizeof policy->required);
  required_names = g_strsplit (required, ",", -1);
  for (guint i = 0; required_names[i] != NULL; i++)
    {
      BylineCheckField field;

      if (byline_check_field_from_name (required_names[i], &field))
        policy->required[field] = TRUE;
    }
  for (guint i = 0; i < BYLINE_CHECK_N_KINDS; i++)
    policy->severity[i] = BYLINE_CHECK_WARNING;
  blocking_names = g_strsplit (blocking, ",", -1);
  for (guint i = 0; blocking_names[i] != NULL; i++)
    {
      BylineCheckKind kind;

      if (byline_check_kind_from_name (blocking_names[i], &kind))
        policy->severity[kind] = BYLINE_CHECK_BLOCKING;
    }
  return TRUE;
}

gboolean
byline_check_policy_save (BylineStore              *store,
                          gint64                    account_id,
                          const BylineCheckPolicy  *policy,
                          GError                  **error)
{
  g_autoptr(GString) required = g_string_new (NULL);
  g_autoptr(GString) blocking = g_string_new (NULL);
  BylineSqliteConnection *conn;
  gboolean ok;

  g_return_val_if_fail (BYLINE_IS_STORE (store), FALSE);
  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (account_id <= 0)
    {
      g_set_error_literal (error, BYLINE_STORE_ERROR, BYLINE_STORE_ERROR_NOT_FOUND,
                           _("A check policy belongs to an account: choose one."));
      return FALSE;
    }

  for (guint i = 0; i < G_N_ELEMENTS (field_names); i++)
    if (policy->required[i])
      g_string_append_printf (required, "%s%s", required->len ? "," : "", field_names[i]);
  for (guint i = 0; i < BYLINE_CHECK_N_KINDS; i++)
    if (policy->severity[i] == BYLINE_CHECK_BLOCKING)
      g_string_append_printf (blocking, "%s%s", blocking->len ? "," : "", kind_names[i]);

  if (!(conn = _byline_store_lock (store, error)))
    return FALSE;
  ok = byline_store_check_policies_table_save (conn, account_id, required->str, blocking->str,
                                               g_get_real_time (), error);
  _byline_store_unlock (store);
  return ok;
}
