/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-check-list.h: the pre-publish check's findings, one row each, that take you there. */
#pragma once

#include <gtk/gtk.h>

#include "byline-prepublish-check.h"

G_BEGIN_DECLS

#define BYLINE_TYPE_CHECK_LIST (byline_check_list_get_type ())
G_DECLARE_FINAL_TYPE (BylineCheckList, byline_check_list, BYLINE, CHECK_LIST, GtkWidget)

/* Emits ::finding-activated (BylineFinding *finding, valid during the emission) when a row is
 * activated, by Enter or a click. */
GtkWidget *byline_check_list_new          (void);
/* Checks @draft as it will be sent to @account_id's site with @check: what the draft itself
 * says is listed at once, the links as their answers arrive (a spinner turns meanwhile). The
 * result is every finding, in the list's order. */
void       byline_check_list_check_async  (BylineCheckList       *self,
                                           BylinePrepublishCheck *check,
                                           BylineDraft           *draft,
                                           gint64                 account_id,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data);
GPtrArray *byline_check_list_check_finish (BylineCheckList       *self,
                                           GAsyncResult          *result,
                                           GError               **error);
/* Checks as byline_check_list_check_async; when something blocks, asks (in a dialog over the
 * list's window, its send button labelled @override_label) for a reason to send the post anyway,
 * and keeps it with the post's history (byline_prepublish_check_record_override). TRUE when the
 * post may go: nothing blocks, or the reason is kept. FALSE without an error when the person
 * chose not to send it. */
void       byline_check_list_clear_to_send_async  (BylineCheckList       *self,
                                                   BylinePrepublishCheck *check,
                                                   BylineDraft           *draft,
                                                   gint64                 account_id,
                                                   const char            *override_label,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
gboolean   byline_check_list_clear_to_send_finish (BylineCheckList       *self,
                                                   GAsyncResult          *result,
                                                   GError               **error);
/* The findings shown (of BylineFinding), or NULL before the first check. */
GPtrArray *byline_check_list_get_findings (BylineCheckList       *self);
/* Puts the keyboard focus on the first row; FALSE when there is none. */
gboolean   byline_check_list_focus_first  (BylineCheckList       *self);
/* The name of where @finding is, for a person: "Line 3, column 7", "Excerpt". */
char      *byline_check_list_dup_place    (const BylineFinding   *finding);

G_END_DECLS
