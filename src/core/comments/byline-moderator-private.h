/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-moderator-private.h: what the moderator's files share: its fields, and what one part
 * asks of another. */
#pragma once

#include "byline-moderator.h"
#include "byline-store-private.h"

G_BEGIN_DECLS

struct _BylineModerator
{
  GObject             parent_instance;

  BylineCommentStore *comments;
  BylineStore        *store;
  BylineAccounts     *accounts;
  guint               timeout;
  guint               max_in_flight;
  GQueue              undo;              /* GArray of UndoItem per step, newest first */
  GQueue              jobs;              /* decisions and undos not all written, oldest first */
  guint               last_serial;
  guint               slices_id;         /* the idle that writes them */
  GHashTable         *in_flight;         /* comment id -> action id, while a request is out */
  GTask              *run;               /* the process_async in progress, or NULL */
  /* The database when a look found nothing more to send: until it changes (a decision, an
   * answer, another process's entry), another look would find nothing either. Looking again
   * after each failed answer of a site that is down reads every entry waiting. */
  BylineStoreVersion  idle_version;
  gboolean            idle;
  GCancellable       *closing;           /* cancelled by byline_moderator_close () */
  gboolean            closed;
};

/* byline-moderator.c */

/* After byline_moderator_close (), nothing more is taken: FALSE with G_IO_ERROR_CLOSED. */
gboolean                _byline_moderator_check_open         (BylineModerator         *self,
                                                              GError                 **error);
/* Takes the store's lock and starts a transaction; _byline_moderator_end_transaction () ends
 * both. NULL with an error, without the lock, when it cannot. */
BylineSqliteConnection *_byline_moderator_begin_transaction  (BylineModerator         *self,
                                                              GError                 **error);
/* Commits when @ok (rolls back otherwise, or when the commit fails) and lets the store go. */
gboolean                _byline_moderator_end_transaction    (BylineModerator         *self,
                                                              BylineSqliteConnection  *conn,
                                                              gboolean                 ok,
                                                              GError                 **error);
void                    _byline_moderator_emit_action_failed (BylineModerator         *self,
                                                              gint64                   comment_id,
                                                              const char              *message);
void                    _byline_moderator_emit_comment_gone  (BylineModerator         *self,
                                                              gint64                   comment_id,
                                                              const char              *message);

/* byline-moderator-decisions.c */

/* Writes every decision and undo accepted, whole, now; their tasks return. Sends nothing. */
void                    _byline_moderator_write_all          (BylineModerator         *self);
/* A forced dispose: the decisions not written go, their views read the store again, and whoever
 * waits for one learns it was cancelled. */
void                    _byline_moderator_abandon_jobs       (BylineModerator         *self);

/* byline-moderator-sending.c */

/* Starts sending what is due, as far as the run in progress (if any) allows, and ends the run
 * once nothing is out. */
void                    _byline_moderator_pump               (BylineModerator         *self);

G_END_DECLS
