/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-wp-client.h: talks to one WordPress site's REST API with an Application Password. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "byline-wp-error.h"
#include "byline-wp-post.h"

G_BEGIN_DECLS

#define BYLINE_WP_CLIENT_DEFAULT_TIMEOUT           30                   /* seconds */
#define BYLINE_WP_CLIENT_DEFAULT_MAX_RESPONSE_SIZE (32 * 1024 * 1024)   /* bytes */
/* How long a request that creates something (a post, a file, a reply) may still be running on
 * the site once Byline stopped waiting for it (killed, crashed): the site has no way to tell.
 * WordPress rarely takes more than a few seconds over a create; a longer wait costs only time
 * after a crash, a shorter one a post, file or reply made twice. */
#define BYLINE_WP_CLIENT_CREATE_SETTLE_SECONDS     10

/* What came with an answer besides its body. Filled by every _finish that takes one, on success
 * and on failure alike; start from { 0 } (g_auto() clears it). */
typedef struct {
  guint   status;       /* the HTTP status, 0 when no answer came */
  gint64  total;        /* X-WP-Total, -1 when absent */
  gint64  total_pages;  /* X-WP-TotalPages, -1 when absent */
  guint   retry_after;  /* Retry-After in seconds (429, 503), 0 when absent */
  char   *wp_code;      /* WordPress's error code, such as "rest_post_invalid_id"; NULL when none */
} BylineWpResponseInfo;

void byline_wp_response_info_clear (BylineWpResponseInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BylineWpResponseInfo, byline_wp_response_info_clear)

/* A site, as found by byline_wp_client_discover_async. */
typedef struct {
  char   *name;
  char   *description;
  char   *url;                    /* "url" of the index: where WordPress is installed */
  char   *home;                   /* "home": the site readers see; often the same */
  char   *api_root;               /* for byline_wp_client_new */
  double  gmt_offset;             /* hours east of UTC, may be fractional */
  char   *timezone_string;        /* "Europe/Brussels", or "" when only an offset is set */
  char   *authorization_endpoint; /* where a person approves an Application Password, or NULL
                                   * when the site does not offer them (e.g. plain http) */
} BylineWpSite;

/* The signed-in account, from GET /wp/v2/users/me?context=edit. */
typedef struct {
  gint64    id;
  char     *name;               /* the display name */
  char     *username;
  gboolean  publish_posts;
  gboolean  edit_posts;
  gboolean  upload_files;
  gboolean  moderate_comments;
  gboolean  manage_categories;
} BylineWpUser;

/* A category or a tag. */
typedef struct {
  gint64  id;
  char   *name;
  char   *slug;
  gint64  parent;               /* 0 for tags and top-level categories */
  gint64  count;                /* posts that use it */
} BylineWpTerm;

/* An uploaded file. */
typedef struct {
  gint64  id;
  char   *source_url;
  char   *mime_type;
  char   *alt_text;             /* what the site holds: compare it with what was asked for */
  char   *slug;
} BylineWpMedia;

#define BYLINE_TYPE_WP_SITE  (byline_wp_site_get_type ())
#define BYLINE_TYPE_WP_USER  (byline_wp_user_get_type ())
#define BYLINE_TYPE_WP_TERM  (byline_wp_term_get_type ())
#define BYLINE_TYPE_WP_MEDIA (byline_wp_media_get_type ())

GType          byline_wp_site_get_type  (void) G_GNUC_CONST;
BylineWpSite  *byline_wp_site_copy      (const BylineWpSite  *site);
void           byline_wp_site_free      (BylineWpSite        *site);
GType          byline_wp_user_get_type  (void) G_GNUC_CONST;
BylineWpUser  *byline_wp_user_copy      (const BylineWpUser  *user);
void           byline_wp_user_free      (BylineWpUser        *user);
GType          byline_wp_term_get_type  (void) G_GNUC_CONST;
BylineWpTerm  *byline_wp_term_copy      (const BylineWpTerm  *term);
void           byline_wp_term_free      (BylineWpTerm        *term);
GType          byline_wp_media_get_type (void) G_GNUC_CONST;
BylineWpMedia *byline_wp_media_copy     (const BylineWpMedia *media);
void           byline_wp_media_free     (BylineWpMedia       *media);
/* A file as the media routes answer it (an object with id and source_url at least). */
BylineWpMedia *byline_wp_media_new_from_json (JsonNode  *node,
                                              GError   **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineWpSite, byline_wp_site_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineWpUser, byline_wp_user_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineWpTerm, byline_wp_term_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BylineWpMedia, byline_wp_media_free)

#define BYLINE_TYPE_WP_CLIENT (byline_wp_client_get_type ())
G_DECLARE_FINAL_TYPE (BylineWpClient, byline_wp_client, BYLINE, WP_CLIENT, GObject)

/* @api_root is the REST API's root, either pretty ("https://example.org/wp-json/") or in the
 * query form ("https://example.org/?rest_route=/"). Every request carries
 * "Authorization: Basic" with @username and @password (an Application Password): WordPress never
 * asks for them. With a NULL @username, requests go anonymous. A client, and the callbacks of its
 * calls, belong to the thread (and its thread-default main context) that made it. */
BylineWpClient *byline_wp_client_new                   (const char      *api_root,
                                                        const char      *username,
                                                        const char      *password);
const char     *byline_wp_client_get_api_root          (BylineWpClient  *self);
const char     *byline_wp_client_get_username          (BylineWpClient  *self);
/* The longest a whole request may take, from connecting to the last byte of the answer. */
void            byline_wp_client_set_timeout           (BylineWpClient  *self,
                                                        guint            seconds);
guint           byline_wp_client_get_timeout           (BylineWpClient  *self);
/* Answers past this size are not read further: BYLINE_WP_ERROR_TOO_LARGE. */
void            byline_wp_client_set_max_response_size (BylineWpClient  *self,
                                                        gsize            bytes);
gsize           byline_wp_client_get_max_response_size (BylineWpClient  *self);
/* TRUE for plain http to anything but this computer (127.0.0.0/8, ::1, localhost): the
 * password then crosses the network readable. The UI should warn. */
gboolean        byline_wp_client_is_insecure           (BylineWpClient  *self);
/* The address of @route ("/wp/v2/posts") under the API root, with @query (string to string,
 * nullable) added in the order of its keys. NULL when the API root is not a web address. */
char           *byline_wp_client_build_url             (BylineWpClient  *self,
                                                        const char      *route,
                                                        GHashTable      *query);

/* Any request: @body (nullable) is sent as application/json. Returns the answer's JSON when the
 * site answered 2xx with JSON; otherwise a BYLINE_WP_ERROR (or G_IO_ERROR_CANCELLED) whose
 * message says, for a person, what went wrong, followed by WordPress's own message. */
void            byline_wp_client_request_async         (BylineWpClient       *self,
                                                        const char           *method,
                                                        const char           *route,
                                                        GHashTable           *query,
                                                        JsonNode             *body,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
JsonNode       *byline_wp_client_request_finish        (BylineWpClient       *self,
                                                        GAsyncResult         *result,
                                                        BylineWpResponseInfo *info,
                                                        GError              **error);

/* Finds the WordPress REST API of the site a person typed: "example.org" (https is assumed),
 * "https://example.org/blog". Reads the home page's Link rel="https://api.w.org/" header, then
 * tries "?rest_route=/" on the site; NOT_WORDPRESS when neither is a WordPress API. */
void            byline_wp_client_discover_async        (const char           *address,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
BylineWpSite   *byline_wp_client_discover_finish       (GAsyncResult         *result,
                                                        GError              **error);

/* Checks the credentials: 401 here means a wrong user name or Application Password
 * (BAD_CREDENTIALS), since WordPress treats those as anonymous. */
void            byline_wp_client_get_me_async          (BylineWpClient       *self,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
BylineWpUser   *byline_wp_client_get_me_finish         (BylineWpClient       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

void            byline_wp_client_get_post_async        (BylineWpClient       *self,
                                                        gint64                id,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
BylineWpPost   *byline_wp_client_get_post_finish       (BylineWpClient       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

/* One page of posts in edit context. @statuses (NULL-terminated, nullable: WordPress's default,
 * published only), @search and @orderby ("date", "modified", ...) are nullable; @page counts from
 * 1 and @per_page is 1 to 100 (0 for either: WordPress's default). Returns a GPtrArray of
 * BylineWpPost; @info has the totals. */
void            byline_wp_client_list_posts_async      (BylineWpClient       *self,
                                                        const char * const   *statuses,
                                                        const char           *search,
                                                        guint                 page,
                                                        guint                 per_page,
                                                        const char           *orderby,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray      *byline_wp_client_list_posts_finish     (BylineWpClient       *self,
                                                        GAsyncResult         *result,
                                                        BylineWpResponseInfo *info,
                                                        GError              **error);

/* @fields: the post's fields to send ("title", "content", "status", "date", "slug",
 * "categories", ...). Creating is not idempotent: see byline_wp_client_find_posts_by_slug. */
void            byline_wp_client_create_post_async     (BylineWpClient       *self,
                                                        JsonObject           *fields,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
BylineWpPost   *byline_wp_client_create_post_finish    (BylineWpClient       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
/* Sends only @fields; WordPress keeps the others. */
void            byline_wp_client_update_post_async     (BylineWpClient       *self,
                                                        gint64                id,
                                                        JsonObject           *fields,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
BylineWpPost   *byline_wp_client_update_post_finish    (BylineWpClient       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
/* Moves the post to the trash, or with @force deletes it for good. Returns the post as it was
 * (status "trash" when trashed). A post already in the trash is GONE. */
void            byline_wp_client_delete_post_async     (BylineWpClient       *self,
                                                        gint64                id,
                                                        gboolean              force,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
BylineWpPost   *byline_wp_client_delete_post_finish    (BylineWpClient       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);
/* Posts of any status but trash whose slug is @slug: after a create that may have been applied
 * (byline_wp_error_may_have_applied), whether it was. Returns a GPtrArray of BylineWpPost. */
void            byline_wp_client_find_posts_by_slug_async  (BylineWpClient   *self,
                                                            const char       *slug,
                                                            GCancellable     *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer          user_data);
GPtrArray      *byline_wp_client_find_posts_by_slug_finish (BylineWpClient   *self,
                                                            GAsyncResult     *result,
                                                            GError          **error);

/* @taxonomy is "categories" or "tags". One page (see list_posts) of BylineWpTerm; @search is
 * nullable. */
void            byline_wp_client_list_terms_async      (BylineWpClient       *self,
                                                        const char           *taxonomy,
                                                        const char           *search,
                                                        guint                 page,
                                                        guint                 per_page,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
GPtrArray      *byline_wp_client_list_terms_finish     (BylineWpClient       *self,
                                                        GAsyncResult         *result,
                                                        BylineWpResponseInfo *info,
                                                        GError              **error);
/* The id of the term called @name (under @parent, categories only; 0 otherwise), created when
 * there is none. Returns 0 on error. */
void            byline_wp_client_ensure_term_async     (BylineWpClient       *self,
                                                        const char           *taxonomy,
                                                        const char           *name,
                                                        gint64                parent,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
gint64          byline_wp_client_ensure_term_finish    (BylineWpClient       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

/* Uploads @data as a file called @filename (a base name) of type @mime_type, under @slug
 * (nullable: WordPress makes one from the name), then sets its @alt_text (nullable) with a
 * second request. When only that second request fails, the upload
 * still succeeds: the returned alt_text then differs from @alt_text. */
void            byline_wp_client_upload_media_async    (BylineWpClient       *self,
                                                        GBytes               *data,
                                                        const char           *filename,
                                                        const char           *mime_type,
                                                        const char           *slug,
                                                        const char           *alt_text,
                                                        GCancellable         *cancellable,
                                                        GAsyncReadyCallback   callback,
                                                        gpointer              user_data);
BylineWpMedia  *byline_wp_client_upload_media_finish   (BylineWpClient       *self,
                                                        GAsyncResult         *result,
                                                        GError              **error);

G_END_DECLS
