/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-comment-private.h: the fields of a BylineComment, for the classes that fill it. */
#pragma once

#include "byline-comment.h"

G_BEGIN_DECLS

struct _BylineComment
{
  GObject parent_instance;

  gint64  id;
  gint64  account_id;
  gint64  remote_id;
  gint64  post_id;
  gint64  parent_id;
  gint64  author_user_id;
  char   *author_name;
  char   *author_email;
  char   *author_url;
  char   *author_ip;
  char   *date_gmt;
  gint64  date_unix;
  char   *content;
  char   *raw;
  char   *text;
  char   *link;
  char   *status;
  char   *remote_status;
  gboolean sending;
  char   *last_error;
  char   *post_title;
  char   *post_link;
  /* What the store holds besides, for the comment store to show a decision not yet written:
   * where a restore goes back to, and whether all that waits to be sent for it is one
   * decision never sent (which a decision back to the site's status drops). */
  char   *restore_status;
  gboolean waiting_is_unsent_decision;
};

G_END_DECLS
