/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-store-schema.h: the shape of the drafts database, one migration a version. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The SQL script that takes the schema from @version to @version + 1, for 0 <= @version <
 * BYLINE_STORE_SCHEMA_VERSION. The store runs it in one transaction with the user_version
 * update, so that a crash leaves either the old shape or the new one. */
const char *byline_store_schema_get_migration (int version);

G_END_DECLS
