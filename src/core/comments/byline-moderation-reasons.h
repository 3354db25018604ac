/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-moderation-reasons.h: each site's list of comment policy reasons (off topic, abusive,
 * spam, …), which a rejection (spam, trash, unapprove) may carry. */
#pragma once

#include <gio/gio.h>

#include "byline-store.h"

G_BEGIN_DECLS

#define BYLINE_MODERATION_REASONS_ERROR (byline_moderation_reasons_error_quark ())

typedef enum {
  BYLINE_MODERATION_REASONS_ERROR_INVALID,     /* an empty name */
  BYLINE_MODERATION_REASONS_ERROR_EXISTS,      /* another reason has that name */
  BYLINE_MODERATION_REASONS_ERROR_NOT_FOUND,
} BylineModerationReasonsError;

/* One reason of a site. The slug stays when the reason is renamed: decisions and the trail
 * keep it. */
typedef struct {
  gint64  id;
  gint64  account_id;
  char   *slug;       /* "off-topic", "abusive", "spam", "commercial", "personal-information",
                         or made from the name of one added */
  char   *name;       /* as the site's moderators named it (the defaults in the language of
                         the day the list was made) */
  guint   position;   /* 0 first: its digit is position + 1 */
} BylineModerationReason;

GQuark                  byline_moderation_reasons_error_quark (void);
BylineModerationReason *byline_moderation_reason_copy         (const BylineModerationReason *r);
void                    byline_moderation_reason_free         (BylineModerationReason *reason);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineModerationReason, byline_moderation_reason_free)

/* The reasons of @account_id, in their order (BylineModerationReason). A site without a list
 * gets the default one, written now. NULL on a failure. */
GPtrArray              *byline_moderation_reasons_list        (BylineStore  *store,
                                                               gint64        account_id,
                                                               GError      **error);
/* The reason named @name_or_slug (a name, without regard to case, or a slug), removed ones
 * included when @removed_too; NULL without an error when there is none. */
BylineModerationReason *byline_moderation_reasons_find        (BylineStore  *store,
                                                               gint64        account_id,
                                                               const char   *name_or_slug,
                                                               gboolean      removed_too,
                                                               GError      **error);
/* Adds a reason named @name at the end of the list; it, or NULL with an error. */
BylineModerationReason *byline_moderation_reasons_add         (BylineStore  *store,
                                                               gint64        account_id,
                                                               const char   *name,
                                                               GError      **error);
gboolean                byline_moderation_reasons_rename      (BylineStore  *store,
                                                               gint64        account_id,
                                                               const char   *slug,
                                                               const char   *name,
                                                               GError      **error);
/* Takes it off the list; the comments and the trail that name it keep its name. */
gboolean                byline_moderation_reasons_remove      (BylineStore  *store,
                                                               gint64        account_id,
                                                               const char   *slug,
                                                               GError      **error);
/* Puts the list in the order of @slugs (NULL-terminated, every reason of the list once). */
gboolean                byline_moderation_reasons_reorder     (BylineStore        *store,
                                                               gint64              account_id,
                                                               const char * const *slugs,
                                                               GError            **error);
/* The reason of comment @comment_id's current decision, NULL (without an error) when it has
 * none. */
BylineModerationReason *byline_moderation_reasons_get_for_comment (BylineStore  *store,
                                                                   gint64        comment_id,
                                                                   GError      **error);

G_END_DECLS
