/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-outbox-entry.c: one change waiting in the outbox to be sent to a WordPress site. */

#define G_LOG_DOMAIN "byline-outbox-entry"

#include "config.h"

#include "byline-outbox-entry.h"

G_DEFINE_BOXED_TYPE (BylineOutboxEntry, byline_outbox_entry,
                     byline_outbox_entry_copy, byline_outbox_entry_free)

BylineOutboxEntry *
byline_outbox_entry_new (void)
{
  BylineOutboxEntry *entry = g_new0 (BylineOutboxEntry, 1);

  /* Strings are never NULL, like a draft's. */
  entry->title = g_strdup ("");
  entry->status = g_strdup ("");
  entry->last_error = g_strdup ("");
  entry->link = g_strdup ("");
  entry->client_key = g_strdup ("");
  entry->local_address = g_strdup ("");
  return entry;
}

BylineOutboxEntry *
byline_outbox_entry_copy (const BylineOutboxEntry *entry)
{
  BylineOutboxEntry *copy;

  g_return_val_if_fail (entry != NULL, NULL);

  copy = g_memdup2 (entry, sizeof *entry);
  copy->title = g_strdup (entry->title);
  copy->status = g_strdup (entry->status);
  copy->last_error = g_strdup (entry->last_error);
  copy->link = g_strdup (entry->link);
  copy->client_key = g_strdup (entry->client_key);
  copy->local_address = g_strdup (entry->local_address);
  return copy;
}

void
byline_outbox_entry_free (BylineOutboxEntry *entry)
{
  if (entry == NULL)
    return;

  g_free (entry->title);
  g_free (entry->status);
  g_free (entry->last_error);
  g_free (entry->link);
  g_free (entry->client_key);
  g_free (entry->local_address);
  g_free (entry);
}
