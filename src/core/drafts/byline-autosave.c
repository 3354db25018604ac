/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-autosave.c: writes a draft to the store shortly after every change, off the main thread.
 *
 * A change starts a short timer that later changes do not push back, so that a draft being typed
 * into without pause is still written every BYLINE_AUTOSAVE_DELAY_MS: a crash loses at most that
 * plus one save. The save runs on a copy of the draft in a worker thread; the draft's change serial
 * tells whether the copy written is still the latest.
 *
 * A save on the main thread (Ctrl+S, a flush before quitting) can overtake a background save that
 * was queued earlier. Both write under write_lock and record the serial they wrote, and a save
 * whose copy is older than what is on disk is skipped: an older copy never overwrites a newer one. */

#define G_LOG_DOMAIN "byline-autosave"

#include "config.h"

#include "byline-autosave.h"

struct _BylineAutosave
{
  GObject              parent_instance;

  BylineStore         *store;
  BylineDraft         *draft;

  guint                timeout_id;

  /* Held while writing; written_serial is the serial of what the store holds. */
  GMutex               write_lock;
  guint64              written_serial;

  guint64              saved_serial;
  guint64              saving_serial;
  BylineAutosaveState  state;
  guint                saving : 1;
};

enum {
  PROP_0,
  PROP_STORE,
  PROP_DRAFT,
  PROP_STATE,
  N_PROPS
};

enum {
  SAVED,
  ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BylineAutosave, byline_autosave, G_TYPE_OBJECT)

static void byline_autosave_schedule (BylineAutosave *self,
                                      guint           delay_ms);

static void
byline_autosave_set_state (BylineAutosave      *self,
                           BylineAutosaveState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static gboolean
byline_autosave_is_dirty (BylineAutosave *self)
{
  return byline_draft_get_change_serial (self->draft) != self->saved_serial;
}

/* Called on the main thread with what a save wrote. */
static void
byline_autosave_record_success (BylineAutosave *self,
                                guint64         serial,
                                gint64          modified_at)
{
  /* A flush can finish before an older background save does: never step back. */
  self->saved_serial = MAX (self->saved_serial, serial);
  if (modified_at > 0)
    byline_draft_set_modified_at (self->draft, modified_at);

  if (byline_autosave_is_dirty (self))
    {
      byline_autosave_set_state (self, BYLINE_AUTOSAVE_PENDING);
      byline_autosave_schedule (self, BYLINE_AUTOSAVE_DELAY_MS);
    }
  else
    byline_autosave_set_state (self, BYLINE_AUTOSAVE_SAVED);

  g_signal_emit (self, signals[SAVED], 0);
}

static void
byline_autosave_record_failure (BylineAutosave *self,
                                const GError   *error)
{
  g_message ("Could not save draft %" G_GINT64_FORMAT ": %s",
             byline_draft_get_id (self->draft), error->message);
  byline_autosave_set_state (self, BYLINE_AUTOSAVE_FAILED);
  byline_autosave_schedule (self, BYLINE_AUTOSAVE_RETRY_MS);
  g_signal_emit (self, signals[ERROR], 0, error);
}

/* Writes @draft (of change serial @serial) unless the store already holds a newer copy. Sets
 * @modified_at to 0 when it skipped. Any thread. */
static gboolean
byline_autosave_write (BylineAutosave *self,
                       BylineDraft    *draft,
                       guint64         serial,
                       BylineSaveKind  kind,
                       gint64         *modified_at,
                       GError        **error)
{
  /* Held until the function returns (clang counts a variable kept for its cleanup as unused). */
  G_GNUC_UNUSED g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->write_lock);

  *modified_at = 0;
  if (serial < self->written_serial
      || (serial == self->written_serial && kind == BYLINE_SAVE_AUTOMATIC))
    return TRUE;
  if (!byline_store_save_draft (self->store, draft, kind, modified_at, error))
    return FALSE;
  self->written_serial = serial;
  return TRUE;
}

/* What a background save works on, and what it wrote. */
typedef struct {
  BylineDraft *copy;
  gint64       modified_at;
} BackgroundSave;

static void
background_save_free (BackgroundSave *save)
{
  g_clear_object (&save->copy);
  g_free (save);
}

static void
byline_autosave_save_thread (GTask        *task,
                             gpointer      source_object,
                             gpointer      task_data,
                             GCancellable *cancellable)
{
  BackgroundSave *save = task_data;
  GError *error = NULL;

  if (byline_autosave_write (source_object, save->copy, byline_draft_get_change_serial (save->copy),
                             BYLINE_SAVE_AUTOMATIC, &save->modified_at, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void
byline_autosave_save_cb (GObject      *object,
                         GAsyncResult *result,
                         gpointer      user_data)
{
  BylineAutosave *self = BYLINE_AUTOSAVE (object);
  BackgroundSave *save = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  self->saving = FALSE;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      byline_autosave_record_failure (self, error);
      return;
    }

  byline_autosave_record_success (self, self->saving_serial, save->modified_at);
}

static gboolean
byline_autosave_timeout_cb (gpointer user_data)
{
  BylineAutosave *self = user_data;
  BackgroundSave *save;
  g_autoptr(GTask) task = NULL;

  self->timeout_id = 0;

  if (!byline_autosave_is_dirty (self))
    {
      byline_autosave_set_state (self, BYLINE_AUTOSAVE_SAVED);
      return G_SOURCE_REMOVE;
    }

  /* One save at a time: the callback of the running one schedules the next. */
  if (self->saving)
    return G_SOURCE_REMOVE;

  save = g_new0 (BackgroundSave, 1);
  save->copy = byline_draft_copy (self->draft);
  self->saving = TRUE;
  self->saving_serial = byline_draft_get_change_serial (save->copy);
  byline_autosave_set_state (self, BYLINE_AUTOSAVE_SAVING);

  /* The task holds the autosave until its callback, like any GTask source object. */
  task = g_task_new (self, NULL, byline_autosave_save_cb, NULL);
  g_task_set_source_tag (task, byline_autosave_timeout_cb);
  g_task_set_task_data (task, save, (GDestroyNotify) background_save_free);
  g_task_run_in_thread (task, byline_autosave_save_thread);

  return G_SOURCE_REMOVE;
}

static void
byline_autosave_schedule (BylineAutosave *self,
                          guint           delay_ms)
{
  if (self->timeout_id != 0)
    return;
  self->timeout_id = g_timeout_add (delay_ms, byline_autosave_timeout_cb, self);
}

static void
byline_autosave_draft_changed_cb (BylineAutosave *self,
                                  BylineDraft    *draft)
{
  if (self->state != BYLINE_AUTOSAVE_FAILED)
    byline_autosave_set_state (self, BYLINE_AUTOSAVE_PENDING);
  byline_autosave_schedule (self, BYLINE_AUTOSAVE_DELAY_MS);
}

static gboolean
byline_autosave_save_now (BylineAutosave *self,
                          BylineSaveKind  kind,
                          GError        **error)
{
  guint64 serial = byline_draft_get_change_serial (self->draft);
  g_autoptr(GError) local_error = NULL;
  gint64 modified_at = 0;

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  if (!byline_autosave_write (self, self->draft, serial, kind, &modified_at, &local_error))
    {
      byline_autosave_record_failure (self, local_error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  byline_autosave_record_success (self, serial, modified_at);
  return TRUE;
}

gboolean
byline_autosave_flush (BylineAutosave *self,
                       GError        **error)
{
  g_return_val_if_fail (BYLINE_IS_AUTOSAVE (self), FALSE);

  if (!byline_autosave_is_dirty (self))
    return TRUE;
  return byline_autosave_save_now (self, BYLINE_SAVE_AUTOMATIC, error);
}

gboolean
byline_autosave_save_revision (BylineAutosave *self,
                               GError        **error)
{
  g_return_val_if_fail (BYLINE_IS_AUTOSAVE (self), FALSE);

  return byline_autosave_save_now (self, BYLINE_SAVE_EXPLICIT, error);
}

BylineDraft *
byline_autosave_get_draft (BylineAutosave *self)
{
  g_return_val_if_fail (BYLINE_IS_AUTOSAVE (self), NULL);

  return self->draft;
}

BylineAutosaveState
byline_autosave_get_state (BylineAutosave *self)
{
  g_return_val_if_fail (BYLINE_IS_AUTOSAVE (self), BYLINE_AUTOSAVE_SAVED);

  return self->state;
}

static void
byline_autosave_constructed (GObject *object)
{
  BylineAutosave *self = BYLINE_AUTOSAVE (object);

  G_OBJECT_CLASS (byline_autosave_parent_class)->constructed (object);

  g_assert (BYLINE_IS_STORE (self->store));
  g_assert (BYLINE_IS_DRAFT (self->draft));

  /* The draft came from the store, so what it holds now is saved. */
  self->saved_serial = byline_draft_get_change_serial (self->draft);
  self->written_serial = self->saved_serial;
  g_signal_connect_object (self->draft, "changed",
                           G_CALLBACK (byline_autosave_draft_changed_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
byline_autosave_dispose (GObject *object)
{
  BylineAutosave *self = BYLINE_AUTOSAVE (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_object (&self->draft);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (byline_autosave_parent_class)->dispose (object);
}

static void
byline_autosave_finalize (GObject *object)
{
  BylineAutosave *self = BYLINE_AUTOSAVE (object);

  g_mutex_clear (&self->write_lock);

  G_OBJECT_CLASS (byline_autosave_parent_class)->finalize (object);
}

static void
byline_autosave_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BylineAutosave *self = BYLINE_AUTOSAVE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_DRAFT:
      g_value_set_object (value, self->draft);
      break;
    case PROP_STATE:
      g_value_set_int (value, self->state);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byline_autosave_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  BylineAutosave *self = BYLINE_AUTOSAVE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_DRAFT:
      self->draft = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byline_autosave_class_init (BylineAutosaveClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = byline_autosave_constructed;
  object_class->dispose = byline_autosave_dispose;
  object_class->finalize = byline_autosave_finalize;
  object_class->get_property = byline_autosave_get_property;
  object_class->set_property = byline_autosave_set_property;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, BYLINE_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DRAFT] =
    g_param_spec_object ("draft", NULL, NULL, BYLINE_TYPE_DRAFT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* A BylineAutosaveState; an int so that core needs no enum type registration. */
  properties[PROP_STATE] =
    g_param_spec_int ("state", NULL, NULL, BYLINE_AUTOSAVE_SAVED, BYLINE_AUTOSAVE_FAILED,
                      BYLINE_AUTOSAVE_SAVED,
                      G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SAVED] = g_signal_new ("saved", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  /* Carries the GError of a failed save: tell the user, the text stays in the draft. */
  signals[ERROR] = g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                 0, NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
byline_autosave_init (BylineAutosave *self)
{
  g_mutex_init (&self->write_lock);
}

BylineAutosave *
byline_autosave_new (BylineStore *store,
                     BylineDraft *draft)
{
  g_return_val_if_fail (BYLINE_IS_STORE (store), NULL);
  g_return_val_if_fail (BYLINE_IS_DRAFT (draft), NULL);

  return g_object_new (BYLINE_TYPE_AUTOSAVE, "store", store, "draft", draft, NULL);
}
