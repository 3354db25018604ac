/* SPDX-License-Identifier: GPL-3.0-or-later */
/* wp-fake-comments.h: the comment routes of a WordPress site, as wp-fault-server's site: a
 * small model of what WordPress does with comments (see the comment sections of
 * wordpress-rest.md), so that each answer is what the site would say at that moment, and a
 * count of what it really changed, to tell "applied once" from "applied twice". */
#pragma once

#include "wp-fault-server.h"

G_BEGIN_DECLS

typedef struct _FakeComments FakeComments;

/* Serves the comment routes of @server (under /wp-json/wp/v2/). */
FakeComments *fake_comments_new           (WpFaultServer *server);
void          fake_comments_free          (FakeComments  *self);
/* Every answer waits this long (a slow site: requests then overlap). */
void          fake_comments_set_delay     (FakeComments  *self,
                                           guint          delay_ms);
/* Page p > 1 also has the last item of page p - 1 first, as when items move between pages
 * while a client lists them. */
void          fake_comments_set_page_overlap (FakeComments *self,
                                              gboolean      overlap);
/* A comment by a visitor; dated @minute minutes after 2026-01-01T00:00:00 (GMT). */
void          fake_comments_add           (FakeComments  *self,
                                           gint64         id,
                                           gint64         post,
                                           const char    *status,
                                           const char    *author_name,
                                           guint          minute);
void          fake_comments_add_post      (FakeComments  *self,
                                           gint64         id,
                                           const char    *title);
/* As if a person did it in wp-admin. */
void          fake_comments_set_status    (FakeComments  *self,
                                           gint64         id,
                                           const char    *status);
void          fake_comments_delete        (FakeComments  *self,
                                           gint64         id);
/* The status on the site, NULL when there is no such comment. */
char         *fake_comments_dup_status    (FakeComments  *self,
                                           gint64         id);
char         *fake_comments_dup_raw       (FakeComments  *self,
                                           gint64         id);
/* How many times a request changed the comment's status, its text, or deleted it. */
guint         fake_comments_get_n_applied (FakeComments  *self,
                                           gint64         id);
/* The comment as GET /comments/ID?context=edit gives it. */
char         *fake_comments_dup_json      (FakeComments  *self,
                                           gint64         id);
/* Ids of the replies to @parent. */
GArray       *fake_comments_list_replies  (FakeComments  *self,
                                           gint64         parent);
guint         fake_comments_get_n         (FakeComments  *self);

G_END_DECLS
