/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-account.h: a WordPress site the user signed in to, and what they may do there. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum {
  BYLINE_ACCOUNT_CAN_EDIT_POSTS        = 1 << 0,
  BYLINE_ACCOUNT_CAN_PUBLISH           = 1 << 1,
  BYLINE_ACCOUNT_CAN_UPLOAD            = 1 << 2,
  BYLINE_ACCOUNT_CAN_MODERATE          = 1 << 3,
  BYLINE_ACCOUNT_CAN_MANAGE_CATEGORIES = 1 << 4,
} BylineAccountCapabilities;

#define BYLINE_TYPE_ACCOUNT (byline_account_get_type ())
G_DECLARE_FINAL_TYPE (BylineAccount, byline_account, BYLINE, ACCOUNT, GObject)

/* No password here: it lives in the Secret Service (BylineAccounts). */
BylineAccount            *byline_account_new              (const char                *site_url,
                                                           const char                *api_root,
                                                           const char                *username);
gint64                    byline_account_get_id           (BylineAccount             *self);
void                      byline_account_set_id           (BylineAccount             *self,
                                                           gint64                     id);
const char               *byline_account_get_site_url     (BylineAccount             *self);
const char               *byline_account_get_api_root     (BylineAccount             *self);
const char               *byline_account_get_username     (BylineAccount             *self);
const char               *byline_account_get_display_name (BylineAccount             *self);
void                      byline_account_set_display_name (BylineAccount             *self,
                                                           const char                *display_name);
const char               *byline_account_get_site_name    (BylineAccount             *self);
void                      byline_account_set_site_name    (BylineAccount             *self,
                                                           const char                *site_name);
BylineAccountCapabilities byline_account_get_capabilities (BylineAccount             *self);
void                      byline_account_set_capabilities (BylineAccount             *self,
                                                           BylineAccountCapabilities  capabilities);
/* The site's time zone: an Olson name ("Europe/Paris"), or "" when only an offset is known. */
const char               *byline_account_get_timezone     (BylineAccount             *self);
double                    byline_account_get_gmt_offset   (BylineAccount             *self);
void                      byline_account_set_timezone     (BylineAccount             *self,
                                                           const char                *time_zone,
                                                           double                     gmt_offset);
gint64                    byline_account_get_created_at   (BylineAccount             *self);
void                      byline_account_set_created_at   (BylineAccount             *self,
                                                           gint64                     created_at);
/* "DipNote Editor on DipNote Sandbox": how a list names it. */
char                     *byline_account_dup_label        (BylineAccount             *self);

G_END_DECLS
