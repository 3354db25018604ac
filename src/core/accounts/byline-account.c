/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-account.c: a WordPress site the user signed in to, and what they may do there. */

#define G_LOG_DOMAIN "byline-accounts"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "byline-account.h"

struct _BylineAccount
{
  GObject                    parent_instance;

  char                      *site_url;
  char                      *api_root;
  char                      *username;
  char                      *display_name;
  char                      *site_name;
  char                      *timezone;

  gint64                     id;
  gint64                     created_at;
  double                     gmt_offset;
  BylineAccountCapabilities  capabilities;
};

G_DEFINE_FINAL_TYPE (BylineAccount, byline_account, G_TYPE_OBJECT)

static void
byline_account_finalize (GObject *object)
{
  BylineAccount *self = BYLINE_ACCOUNT (object);

  g_free (self->site_url);
  g_free (self->api_root);
  g_free (self->username);
  g_free (self->display_name);
  g_free (self->site_name);
  g_free (self->timezone);

  G_OBJECT_CLASS (byline_account_parent_class)->finalize (object);
}

static void
byline_account_class_init (BylineAccountClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = byline_account_finalize;
}

static void
byline_account_init (BylineAccount *self)
{
  self->display_name = g_strdup ("");
  self->site_name = g_strdup ("");
  self->timezone = g_strdup ("");
}

BylineAccount *
byline_account_new (const char *site_url,
                    const char *api_root,
                    const char *username)
{
  BylineAccount *self;

  g_return_val_if_fail (site_url != NULL, NULL);
  g_return_val_if_fail (api_root != NULL, NULL);
  g_return_val_if_fail (username != NULL, NULL);

  self = g_object_new (BYLINE_TYPE_ACCOUNT, NULL);
  self->site_url = g_strdup (site_url);
  self->api_root = g_strdup (api_root);
  self->username = g_strdup (username);
  return self;
}

#define STRING_ACCESSORS(field)                                                   \
  const char *                                                                    \
  byline_account_get_ ## field (BylineAccount *self)                                \
  {                                                                               \
    g_return_val_if_fail (BYLINE_IS_ACCOUNT (self), NULL);                        \
    return self->field;                                                           \
  }

STRING_ACCESSORS (site_url)
STRING_ACCESSORS (api_root)
STRING_ACCESSORS (username)
STRING_ACCESSORS (display_name)
STRING_ACCESSORS (site_name)
STRING_ACCESSORS (timezone)

#undef STRING_ACCESSORS

void
byline_account_set_display_name (BylineAccount *self,
                                 const char    *display_name)
{
  g_return_if_fail (BYLINE_IS_ACCOUNT (self));

  g_free (self->display_name);
  self->display_name = g_strdup (display_name ? display_name : "");
}

void
byline_account_set_site_name (BylineAccount *self,
                              const char    *site_name)
{
  g_return_if_fail (BYLINE_IS_ACCOUNT (self));

  g_free (self->site_name);
  self->site_name = g_strdup (site_name ? site_name : "");
}

void
byline_account_set_timezone (BylineAccount *self,
                             const char    *time_zone,
                             double         gmt_offset)
{
  g_return_if_fail (BYLINE_IS_ACCOUNT (self));

  g_free (self->timezone);
  self->timezone = g_strdup (time_zone ? time_zone : "");
  self->gmt_offset = gmt_offset;
}

gint64
byline_account_get_id (BylineAccount *self)
{
  g_return_val_if_fail (BYLINE_IS_ACCOUNT (self), 0);

  return self->id;
}

void
byline_account_set_id (BylineAccount *self,
                       gint64         id)
{
  g_return_if_fail (BYLINE_IS_ACCOUNT (self));

  self->id = id;
}

BylineAccountCapabilities
byline_account_get_capabilities (BylineAccount *self)
{
  g_return_val_if_fail (BYLINE_IS_ACCOUNT (self), 0);

  return self->capabilities;
}

void
byline_account_set_capabilities (BylineAccount             *self,
                                 BylineAccountCapabilities  capabilities)
{
  g_return_if_fail (BYLINE_IS_ACCOUNT (self));

  self->capabilities = capabilities;
}

double
byline_account_get_gmt_offset (BylineAccount *self)
{
  g_return_val_if_fail (BYLINE_IS_ACCOUNT (self), 0);

  return self->gmt_offset;
}

gint64
byline_account_get_created_at (BylineAccount *self)
{
  g_return_val_if_fail (BYLINE_IS_ACCOUNT (self), 0);

  return self->created_at;
}

void
byline_account_set_created_at (BylineAccount *self,
                               gint64         created_at)
{
  g_return_if_fail (BYLINE_IS_ACCOUNT (self));

  self->created_at = created_at;
}

char *
byline_account_dup_label (BylineAccount *self)
{
  const char *who;
  const char *where;

  g_return_val_if_fail (BYLINE_IS_ACCOUNT (self), NULL);

  who = *self->display_name ? self->display_name : self->username;
  where = *self->site_name ? self->site_name : self->site_url;
  /* Translators: "<user> on <site>", naming a signed-in WordPress account */
  return g_strdup_printf (_("%s on %s"), who, where);
}
