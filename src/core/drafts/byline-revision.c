/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-revision.c: a saved earlier version of a draft's title and body, immutable once made.
 * A list of revisions carries no bodies (a long draft's history would be hundreds of
 * megabytes); the one shown or restored is read again with its body. */

#include "config.h"

#define G_LOG_DOMAIN "byline-revision"

#include "byline-revision.h"

G_DEFINE_ENUM_TYPE (BylineRevisionKind, byline_revision_kind,
                    G_DEFINE_ENUM_VALUE (BYLINE_REVISION_KIND_AUTOMATIC, "automatic"),
                    G_DEFINE_ENUM_VALUE (BYLINE_REVISION_KIND_EXPLICIT, "explicit"),
                    G_DEFINE_ENUM_VALUE (BYLINE_REVISION_KIND_RESTORE, "restore"))

struct _BylineRevision
{
  GObject             parent_instance;

  gint64              id;
  gint64              draft_id;
  BylineRevisionKind  kind;
  gint64              created_at;
  char               *title;
  char               *body;  /* NULL when listed without it */
};

G_DEFINE_FINAL_TYPE (BylineRevision, byline_revision, G_TYPE_OBJECT)

/* Read-only properties, so that list rows can bind to them; they are set once, by _new (). */
enum {
  PROP_0,
  PROP_ID,
  PROP_DRAFT_ID,
  PROP_KIND,
  PROP_CREATED_AT,
  PROP_TITLE,
  PROP_BODY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
byline_revision_finalize (GObject *object)
{
  BylineRevision *self = BYLINE_REVISION (object);

  g_free (self->title);
  g_free (self->body);

  G_OBJECT_CLASS (byline_revision_parent_class)->finalize (object);
}

static void
byline_revision_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  BylineRevision *self = BYLINE_REVISION (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_DRAFT_ID:
      g_value_set_int64 (value, self->draft_id);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_BODY:
      g_value_set_string (value, self->body);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byline_revision_class_init (BylineRevisionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = byline_revision_finalize;
  object_class->get_property = byline_revision_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_DRAFT_ID] = g_param_spec_int64 ("draft-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_KIND] = g_param_spec_enum ("kind", NULL, NULL, BYLINE_TYPE_REVISION_KIND,
                                             BYLINE_REVISION_KIND_AUTOMATIC, flags);
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_TITLE] = g_param_spec_string ("title", NULL, NULL, "", flags);
  properties[PROP_BODY] = g_param_spec_string ("body", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
byline_revision_init (BylineRevision *self)
{
}

BylineRevision *
byline_revision_new (gint64              id,
                     gint64              draft_id,
                     BylineRevisionKind  kind,
                     gint64              created_at,
                     const char         *title,
                     const char         *body)
{
  BylineRevision *self = g_object_new (BYLINE_TYPE_REVISION, NULL);

  self->id = id;
  self->draft_id = draft_id;
  self->kind = kind;
  self->created_at = created_at;
  self->title = g_strdup (title ? title : "");
  self->body = g_strdup (body);

  return self;
}

gint64
byline_revision_get_id (BylineRevision *self)
{
  g_return_val_if_fail (BYLINE_IS_REVISION (self), 0);

  return self->id;
}

gint64
byline_revision_get_draft_id (BylineRevision *self)
{
  g_return_val_if_fail (BYLINE_IS_REVISION (self), 0);

  return self->draft_id;
}

BylineRevisionKind
byline_revision_get_kind (BylineRevision *self)
{
  g_return_val_if_fail (BYLINE_IS_REVISION (self), BYLINE_REVISION_KIND_AUTOMATIC);

  return self->kind;
}

gint64
byline_revision_get_created_at (BylineRevision *self)
{
  g_return_val_if_fail (BYLINE_IS_REVISION (self), 0);

  return self->created_at;
}

const char *
byline_revision_get_title (BylineRevision *self)
{
  g_return_val_if_fail (BYLINE_IS_REVISION (self), "");

  return self->title;
}

const char *
byline_revision_get_body (BylineRevision *self)
{
  g_return_val_if_fail (BYLINE_IS_REVISION (self), NULL);

  return self->body;
}
