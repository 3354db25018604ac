/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-autosave.h: writes a draft to the store shortly after every change, off the main thread. */
#pragma once

#include "byline-store.h"

G_BEGIN_DECLS

typedef enum {
  BYLINE_AUTOSAVE_SAVED,   /* the store holds what the draft holds */
  BYLINE_AUTOSAVE_PENDING, /* a change waits for its save */
  BYLINE_AUTOSAVE_SAVING,
  BYLINE_AUTOSAVE_FAILED,  /* the last save failed; it is retried, and ::error said why */
} BylineAutosaveState;

/* The longest a change waits before its save starts, while typing goes on or not. */
#define BYLINE_AUTOSAVE_DELAY_MS 300
/* After a failure (full disk, read-only store), how long before the next attempt. */
#define BYLINE_AUTOSAVE_RETRY_MS 5000

#define BYLINE_TYPE_AUTOSAVE (byline_autosave_get_type ())
G_DECLARE_FINAL_TYPE (BylineAutosave, byline_autosave, BYLINE, AUTOSAVE, GObject)

BylineAutosave      *byline_autosave_new           (BylineStore    *store,
                                                    BylineDraft    *draft);
BylineDraft         *byline_autosave_get_draft     (BylineAutosave *self);
BylineAutosaveState  byline_autosave_get_state     (BylineAutosave *self);
/* Saves now, on the calling thread, if anything is unsaved: for quitting or switching drafts. */
gboolean             byline_autosave_flush         (BylineAutosave *self,
                                                    GError        **error);
/* Saves now and keeps a revision (Ctrl+S). */
gboolean             byline_autosave_save_revision (BylineAutosave *self,
                                                    GError        **error);

G_END_DECLS
