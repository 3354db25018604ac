/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-import.c: a Markdown or HTML file becomes a draft, once. */

#define G_LOG_DOMAIN "byline-import"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <stdlib.h>
#include <string.h>

#include "byline-import.h"

/* The title of a Markdown file is its leading "# " heading, which then leaves the body. */
static char *
split_markdown_title (char **body)
{
  const char *text = *body;
  const char *end;
  const char *rest;
  char *title;

  while (*text == '\n' || *text == '\r')
    text++;
  if (!g_str_has_prefix (text, "# "))
    return NULL;

  end = strchr (text, '\n');
  title = g_strstrip (g_strndup (text + 2, end ? (gsize) (end - text - 2) : strlen (text + 2)));
  rest = end ? end + 1 : "";
  while (*rest == '\n' || *rest == '\r')
    rest++;
  rest = g_strdup (rest);
  g_free (*body);
  *body = (char *) rest;
  return title;
}

BylineDraft *
byline_import_file (BylineStore  *store,
                    GFile        *file,
                    gboolean     *already_there,
                    GError      **error)
{
  g_autoptr(BylineDraft) draft = NULL;
  g_autofree char *path = NULL;
  g_autofree char *real_path = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *title = NULL;
  g_autofree char *basename = NULL;
  BylineDraftFormat format;
  gsize length;

  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);
  g_return_val_if_fail (G_IS_FILE (file), NULL);

  if (already_there)
    *already_there = FALSE;

  path = g_file_get_path (file);
  if (path == NULL)
    {
      g_autofree char *name = g_file_get_parse_name (file);

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_SUPPORTED,
                   _("“%s” is not a file on this computer"), name);
      return NULL;
    }

  real_path = realpath (path, NULL);
  if (real_path == NULL)
    real_path = g_strdup (path);
  draft = byline_store_find_draft_by_source (store, real_path, error);
  if (draft != NULL)
    {
      if (!byline_store_set_draft_deleted (store, byline_draft_get_id (draft), FALSE, error))
        return NULL;
      if (already_there)
        *already_there = TRUE;
      return g_steal_pointer (&draft);
    }
  if (error != NULL && *error != NULL)
    return NULL;

  if (!g_file_load_contents (file, NULL, &contents, &length, NULL, error))
    return NULL;
  if (!g_utf8_validate (contents, length, NULL) || memchr (contents, '\0', length) != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_INVALID_DATA,
                   _("“%s” is not a UTF-8 text file"), path);
      return NULL;
    }

  basename = g_file_get_basename (file);
  format = (g_str_has_suffix (basename, ".html") || g_str_has_suffix (basename, ".htm"))
           ? BYLINE_DRAFT_FORMAT_HTML : BYLINE_DRAFT_FORMAT_MARKDOWN;
  if (format == BYLINE_DRAFT_FORMAT_MARKDOWN)
    title = split_markdown_title (&contents);
  if (title == NULL)
    {
      char *dot = strrchr (basename, '.');

      if (dot != NULL && dot != basename)
        *dot = '\0';
      title = g_strdup (basename);
    }

  draft = byline_store_create_draft (store, format, error);
  if (draft == NULL)
    return NULL;
  byline_draft_set_source_path (draft, real_path);
  byline_draft_set_title (draft, title);
  byline_draft_set_body (draft, contents);
  /* With a revision: the file as it came in can always be gone back to. */
  if (!byline_store_save_draft (store, draft, BYLINE_SAVE_EXPLICIT, NULL, error))
    {
      byline_store_set_draft_deleted (store, byline_draft_get_id (draft), TRUE, NULL);
      return NULL;
    }
  return g_steal_pointer (&draft);
}
