/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-moderation-log-export.c: the audit trail as CSV or JSON Lines, written to a stream an
 * entry at a time.
 *
 * The comment text in it is the commenters': untrusted. In CSV every cell is quoted as RFC 4180
 * asks, and a cell that a spreadsheet would take for a formula (=, +, -, @, or a tab or carriage
 * return first) is made text with a leading apostrophe, as OWASP's advice on CSV injection. */

#define G_LOG_DOMAIN "byline-moderation"

#include "config.h"

#include <json-glib/json-glib.h>

#include "byline-moderation-log.h"

static const char * const csv_columns[] = {
  "id", "time_utc", "time_local", "site_user", "action", "status", "reason", "reason_name",
  "comment_id", "remote_comment_id", "post_id", "post_title", "author_name", "author_email",
  "text", "site_answer", "answered_utc", "refusal",
};

char *
byline_moderation_log_csv_cell (const char *text)
{
  GString *cell = g_string_sized_new (strlen (text) + 3);

  g_string_append_c (cell, '"');
  if (strchr ("=+-@\t\r", text[0]) != NULL && text[0] != '\0')
    g_string_append_c (cell, '\'');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (cell, '"');
      g_string_append_c (cell, *p);
    }
  g_string_append_c (cell, '"');
  return g_string_free (cell, FALSE);
}

/* @usec as ISO 8601, in UTC, or at @utc_offset seconds east ("" for 0 µs). */
static char *
format_time (gint64   usec,
             gboolean utc,
             gint     utc_offset)
{
  g_autoptr(GDateTime) time = NULL;
  g_autoptr(GTimeZone) zone = NULL;

  if (usec == 0)
    return g_strdup ("");
  zone = utc ? g_time_zone_new_utc () : g_time_zone_new_offset (utc_offset);
  time = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);
  if (time == NULL)
    return g_strdup ("");
  if (!utc)
    {
      GDateTime *local = g_date_time_to_timezone (time, zone);

      g_date_time_unref (time);
      time = local;
    }
  return utc ? g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ")
             : g_date_time_format (time, "%Y-%m-%dT%H:%M:%S%:z");
}

/* "confirmed", "refused", or "waiting" for an entry not answered. */
static const char *
site_answer (const BylineModerationLogEntry *entry)
{
  if (entry->refused_at != 0)
    return "refused";
  if (entry->confirmed_at != 0)
    return "confirmed";
  return "waiting";
}

typedef struct {
  BylineModerationLogFormat  format;
  GOutputStream             *out;
  GCancellable              *cancellable;
  GString                   *line;
  gint64                     written;
} Export;

static void
append_csv (GString    *line,
            const char *text,
            gboolean    first)
{
  g_autofree char *cell = byline_moderation_log_csv_cell (text ? text : "");

  if (!first)
    g_string_append_c (line, ',');
  g_string_append (line, cell);
}

static void
entry_to_csv (const BylineModerationLogEntry *entry,
              GString                        *line)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, entry->id);
  g_autofree char *utc = format_time (entry->created_at, TRUE, 0);
  g_autofree char *local = format_time (entry->created_at, FALSE, entry->utc_offset);
  g_autofree char *comment_id = g_strdup_printf ("%" G_GINT64_FORMAT, entry->comment_id);
  g_autofree char *remote_id = g_strdup_printf ("%" G_GINT64_FORMAT, entry->remote_id);
  g_autofree char *post_id = g_strdup_printf ("%" G_GINT64_FORMAT, entry->post_id);
  g_autofree char *answered = format_time (entry->refused_at ? entry->refused_at
                                                             : entry->confirmed_at, TRUE, 0);
  const char *cells[] = {
    id, utc, local, entry->who, entry->action, entry->status, entry->reason,
    entry->reason_name, comment_id, remote_id, post_id, entry->post_title, entry->author_name,
    entry->author_email, entry->snapshot, site_answer (entry), answered, entry->refusal,
  };

  G_STATIC_ASSERT (G_N_ELEMENTS (cells) == G_N_ELEMENTS (csv_columns));
  for (guint i = 0; i < G_N_ELEMENTS (cells); i++)
    append_csv (line, cells[i], i == 0);
  g_string_append (line, "\r\n");
}

static void
entry_to_json (const BylineModerationLogEntry *entry,
               GString                        *line)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *utc = format_time (entry->created_at, TRUE, 0);
  g_autofree char *local = format_time (entry->created_at, FALSE, entry->utc_offset);
  g_autofree char *answered = format_time (entry->refused_at ? entry->refused_at
                                                             : entry->confirmed_at, TRUE, 0);
  g_autofree char *json = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "id");
  json_builder_add_int_value (builder, entry->id);
  json_builder_set_member_name (builder, "time_utc");
  json_builder_add_string_value (builder, utc);
  json_builder_set_member_name (builder, "time_local");
  json_builder_add_string_value (builder, local);
  json_builder_set_member_name (builder, "site_user");
  json_builder_add_string_value (builder, entry->who);
  json_builder_set_member_name (builder, "action");
  json_builder_add_string_value (builder, entry->action);
  json_builder_set_member_name (builder, "status");
  json_builder_add_string_value (builder, entry->status);
  json_builder_set_member_name (builder, "reason");
  json_builder_add_string_value (builder, entry->reason);
  json_builder_set_member_name (builder, "reason_name");
  json_builder_add_string_value (builder, entry->reason_name);
  json_builder_set_member_name (builder, "comment_id");
  json_builder_add_int_value (builder, entry->comment_id);
  json_builder_set_member_name (builder, "remote_comment_id");
  json_builder_add_int_value (builder, entry->remote_id);
  json_builder_set_member_name (builder, "post_id");
  json_builder_add_int_value (builder, entry->post_id);
  json_builder_set_member_name (builder, "post_title");
  json_builder_add_string_value (builder, entry->post_title);
  json_builder_set_member_name (builder, "author_name");
  json_builder_add_string_value (builder, entry->author_name);
  json_builder_set_member_name (builder, "author_email");
  json_builder_add_string_value (builder, entry->author_email);
  json_builder_set_member_name (builder, "text");
  json_builder_add_string_value (builder, entry->snapshot);
  json_builder_set_member_name (builder, "site_answer");
  json_builder_add_string_value (builder, site_answer (entry));
  json_builder_set_member_name (builder, "answered_utc");
  json_builder_add_string_value (builder, answered);
  json_builder_set_member_name (builder, "refusal");
  json_builder_add_string_value (builder, entry->refusal);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json = json_generator_to_data (generator, NULL);
  g_string_append (line, json);
  g_string_append_c (line, '\n');
}

/* Lines are gathered to about this size before they are written. */
#define FLUSH_SIZE (64 * 1024)

static gboolean
flush (Export  *export,
       GError **error)
{
  gboolean ok = g_output_stream_write_all (export->out, export->line->str, export->line->len,
                                           NULL, export->cancellable, error);

  g_string_truncate (export->line, 0);
  return ok;
}

static gboolean
export_entry (const BylineModerationLogEntry  *entry,
              gpointer                         user_data,
              GError                         **error)
{
  Export *export = user_data;

  if (export->format == BYLINE_MODERATION_LOG_CSV)
    entry_to_csv (entry, export->line);
  else
    entry_to_json (entry, export->line);
  export->written++;
  return export->line->len < FLUSH_SIZE || flush (export, error);
}

gint64
byline_moderation_log_export (BylineStore              *store,
                              gint64                    account_id,
                              gint64                    since,
                              gint64                    until,
                              BylineModerationLogFormat format,
                              GOutputStream            *out,
                              GCancellable             *cancellable,
                              GError                  **error)
{
  g_autoptr(GString) line = g_string_sized_new (FLUSH_SIZE + 4096);
  Export export = { format, out, cancellable, line, 0 };

  g_return_val_if_fail (BYLINE_IS_STORE (store), -1);
  g_return_val_if_fail (G_IS_OUTPUT_STREAM (out), -1);

  if (format == BYLINE_MODERATION_LOG_CSV)
    {
      for (guint i = 0; i < G_N_ELEMENTS (csv_columns); i++)
        append_csv (line, csv_columns[i], i == 0);
      g_string_append (line, "\r\n");
    }
  if (!byline_moderation_log_foreach (store, account_id, since, until, export_entry, &export,
                                      error) ||
      !flush (&export, error))
    return -1;
  return export.written;
}

gint64
byline_moderation_log_export_to_file (BylineStore              *store,
                                      gint64                    account_id,
                                      gint64                    since,
                                      gint64                    until,
                                      BylineModerationLogFormat format,
                                      GFile                    *file,
                                      GError                  **error)
{
  g_autoptr(GFileOutputStream) out = NULL;
  g_autoptr(GCancellable) abandon = NULL;
  gint64 written;

  g_return_val_if_fail (G_IS_FILE (file), -1);

  if (!(out = g_file_replace (file, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION, NULL,
                              error)))
    return -1;
  written = byline_moderation_log_export (store, account_id, since, until, format,
                                          G_OUTPUT_STREAM (out), NULL, error);
  if (written >= 0)
    return g_output_stream_close (G_OUTPUT_STREAM (out), NULL, error) ? written : -1;
  /* Closed cancelled, the replacement is dropped and the file left as it was. */
  abandon = g_cancellable_new ();
  g_cancellable_cancel (abandon);
  g_output_stream_close (G_OUTPUT_STREAM (out), abandon, NULL);
  return -1;
}
