/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-draft.c: one local draft, the object the editor edits and the store saves. */

#include "config.h"

#define G_LOG_DOMAIN "byline-draft"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "byline-draft.h"

/* How long a title made from the body may be: a list row shows one line. */
#define DISPLAY_TITLE_CHARS 80

G_DEFINE_ENUM_TYPE (BylineDraftFormat, byline_draft_format,
                    G_DEFINE_ENUM_VALUE (BYLINE_DRAFT_FORMAT_MARKDOWN, "markdown"),
                    G_DEFINE_ENUM_VALUE (BYLINE_DRAFT_FORMAT_HTML, "html"))

struct _BylineDraft
{
  GObject            parent_instance;

  gint64             id;
  BylineDraftFormat  format;
  char              *title;
  char              *body;
  char              *slug;
  char              *excerpt;
  char              *categories;
  char              *tags;
  char              *author;
  char              *publish_date;
  char              *source_path;
  char              *featured_image;
  char              *language;
  gint64             created_at;
  gint64             modified_at;
  guint64            change_serial;

  /* The body's length in bytes and characters and the bytes allocated for it, so that an edit
   * can be made in place; and where the last edit was (in characters and bytes), since the next
   * one is most often near it. */
  gsize              body_length;
  glong              body_chars;
  gsize              body_allocated;
  glong              edit_chars;
  gsize              edit_bytes;
};

G_DEFINE_FINAL_TYPE (BylineDraft, byline_draft, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_FORMAT,
  PROP_TITLE,
  PROP_BODY,
  PROP_SLUG,
  PROP_EXCERPT,
  PROP_CATEGORIES,
  PROP_TAGS,
  PROP_AUTHOR,
  PROP_PUBLISH_DATE,
  PROP_SOURCE_PATH,
  PROP_FEATURED_IMAGE,
  PROP_LANGUAGE,
  PROP_CREATED_AT,
  PROP_MODIFIED_AT,
  N_PROPS
};

/* The text properties run from PROP_TITLE to this one. */
#define LAST_TEXT_PROP PROP_LANGUAGE

static GParamSpec *properties[N_PROPS];

enum {
  SIGNAL_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Where each text property lives, so that one getter and one setter serve them all. */
static char **
string_field (BylineDraft *self,
              guint        prop_id)
{
  switch (prop_id)
    {
    case PROP_TITLE: return &self->title;
    case PROP_BODY: return &self->body;
    case PROP_SLUG: return &self->slug;
    case PROP_EXCERPT: return &self->excerpt;
    case PROP_CATEGORIES: return &self->categories;
    case PROP_TAGS: return &self->tags;
    case PROP_AUTHOR: return &self->author;
    case PROP_PUBLISH_DATE: return &self->publish_date;
    case PROP_SOURCE_PATH: return &self->source_path;
    case PROP_FEATURED_IMAGE: return &self->featured_image;
    case PROP_LANGUAGE: return &self->language;
    default: g_assert_not_reached ();
    }
}

static void
content_changed (BylineDraft *self,
                 guint        prop_id)
{
  self->change_serial++;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0);
}

static void
body_measure (BylineDraft *self)
{
  self->body_length = strlen (self->body);
  self->body_chars = g_utf8_strlen (self->body, self->body_length);
  self->body_allocated = self->body_length + 1;
  self->edit_chars = 0;
  self->edit_bytes = 0;
}

static void
set_string (BylineDraft *self,
            guint        prop_id,
            const char  *value)
{
  char **field = string_field (self, prop_id);

  if (value == NULL)
    value = "";
  if (g_str_equal (*field, value))
    return;

  g_free (*field);
  *field = g_strdup (value);
  if (prop_id == PROP_BODY)
    body_measure (self);
  content_changed (self, prop_id);
}

static void
byline_draft_finalize (GObject *object)
{
  BylineDraft *self = BYLINE_DRAFT (object);

  for (guint prop_id = PROP_TITLE; prop_id <= LAST_TEXT_PROP; prop_id++)
    g_free (*string_field (self, prop_id));

  G_OBJECT_CLASS (byline_draft_parent_class)->finalize (object);
}

static void
byline_draft_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  BylineDraft *self = BYLINE_DRAFT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_FORMAT:
      g_value_set_enum (value, self->format);
      break;
    case PROP_TITLE:
    case PROP_BODY:
    case PROP_SLUG:
    case PROP_EXCERPT:
    case PROP_CATEGORIES:
    case PROP_TAGS:
    case PROP_AUTHOR:
    case PROP_PUBLISH_DATE:
    case PROP_SOURCE_PATH:
    case PROP_FEATURED_IMAGE:
    case PROP_LANGUAGE:
      g_value_set_string (value, *string_field (self, prop_id));
      break;
    case PROP_CREATED_AT:
      g_value_set_int64 (value, self->created_at);
      break;
    case PROP_MODIFIED_AT:
      g_value_set_int64 (value, self->modified_at);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byline_draft_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  BylineDraft *self = BYLINE_DRAFT (object);

  switch (prop_id)
    {
    case PROP_ID:
      byline_draft_set_id (self, g_value_get_int64 (value));
      break;
    case PROP_FORMAT:
      byline_draft_set_format (self, g_value_get_enum (value));
      break;
    case PROP_TITLE:
    case PROP_BODY:
    case PROP_SLUG:
    case PROP_EXCERPT:
    case PROP_CATEGORIES:
    case PROP_TAGS:
    case PROP_AUTHOR:
    case PROP_PUBLISH_DATE:
    case PROP_SOURCE_PATH:
    case PROP_FEATURED_IMAGE:
    case PROP_LANGUAGE:
      set_string (self, prop_id, g_value_get_string (value));
      break;
    case PROP_CREATED_AT:
      byline_draft_set_created_at (self, g_value_get_int64 (value));
      break;
    case PROP_MODIFIED_AT:
      byline_draft_set_modified_at (self, g_value_get_int64 (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
byline_draft_class_init (BylineDraftClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  static const struct {
    guint       prop_id;
    const char *name;
  } text_props[] = {
    { PROP_TITLE, "title" },
    { PROP_BODY, "body" },
    { PROP_SLUG, "slug" },
    { PROP_EXCERPT, "excerpt" },
    { PROP_CATEGORIES, "categories" },
    { PROP_TAGS, "tags" },
    { PROP_AUTHOR, "author" },
    { PROP_PUBLISH_DATE, "publish-date" },
    { PROP_SOURCE_PATH, "source-path" },
    { PROP_FEATURED_IMAGE, "featured-image" },
    { PROP_LANGUAGE, "language" },
  };
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY;

  object_class->finalize = byline_draft_finalize;
  object_class->get_property = byline_draft_get_property;
  object_class->set_property = byline_draft_set_property;

  properties[PROP_ID] =
    g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_FORMAT] =
    g_param_spec_enum ("format", NULL, NULL, BYLINE_TYPE_DRAFT_FORMAT,
                       BYLINE_DRAFT_FORMAT_MARKDOWN, flags);
  for (guint i = 0; i < G_N_ELEMENTS (text_props); i++)
    properties[text_props[i].prop_id] =
      g_param_spec_string (text_props[i].name, NULL, NULL, "", flags);
  properties[PROP_CREATED_AT] =
    g_param_spec_int64 ("created-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_MODIFIED_AT] =
    g_param_spec_int64 ("modified-at", NULL, NULL, 0, G_MAXINT64, 0, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[SIGNAL_CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
byline_draft_init (BylineDraft *self)
{
  for (guint prop_id = PROP_TITLE; prop_id <= LAST_TEXT_PROP; prop_id++)
    *string_field (self, prop_id) = g_strdup ("");
  body_measure (self);
}

BylineDraft *
byline_draft_new (void)
{
  return g_object_new (BYLINE_TYPE_DRAFT, NULL);
}

BylineDraft *
byline_draft_copy (BylineDraft *self)
{
  BylineDraft *copy;

  g_return_val_if_fail (BYLINE_IS_DRAFT (self), NULL);

  copy = byline_draft_new ();
  copy->id = self->id;
  copy->format = self->format;
  for (guint prop_id = PROP_TITLE; prop_id <= LAST_TEXT_PROP; prop_id++)
    {
      char **field = string_field (copy, prop_id);

      g_free (*field);
      *field = g_strdup (*string_field (self, prop_id));
    }
  body_measure (copy);
  copy->created_at = self->created_at;
  copy->modified_at = self->modified_at;
  /* The serial goes along so that whoever saves the copy can tell which edit it holds. */
  copy->change_serial = self->change_serial;

  return copy;
}

gint64
byline_draft_get_id (BylineDraft *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), 0);

  return self->id;
}

void
byline_draft_set_id (BylineDraft *self,
                     gint64       id)
{
  g_return_if_fail (BYLINE_IS_DRAFT (self));

  if (self->id == id)
    return;
  /* Not an edit: the store gives the id, the user never does. */
  self->id = id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ID]);
}

BylineDraftFormat
byline_draft_get_format (BylineDraft *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), BYLINE_DRAFT_FORMAT_MARKDOWN);

  return self->format;
}

void
byline_draft_set_format (BylineDraft       *self,
                         BylineDraftFormat  format)
{
  g_return_if_fail (BYLINE_IS_DRAFT (self));

  if (self->format == format)
    return;
  self->format = format;
  content_changed (self, PROP_FORMAT);
}

const char *
byline_draft_get_title (BylineDraft *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), "");

  return self->title;
}

void
byline_draft_set_title (BylineDraft *self,
                        const char  *title)
{
  g_return_if_fail (BYLINE_IS_DRAFT (self));

  set_string (self, PROP_TITLE, title);
}

const char *
byline_draft_get_body (BylineDraft *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), "");

  return self->body;
}

void
byline_draft_set_body (BylineDraft *self,
                       const char  *body)
{
  g_return_if_fail (BYLINE_IS_DRAFT (self));

  set_string (self, PROP_BODY, body);
}

/* The byte offset of character @chars of the body, walked from the nearest of its start, its end
 * and the last edit. */
static gsize
body_byte_offset (BylineDraft *self,
                  glong        chars)
{
  glong from_edit = ABS (chars - self->edit_chars);

  if (chars <= from_edit && chars <= self->body_chars - chars)
    return g_utf8_offset_to_pointer (self->body, chars) - self->body;
  if (self->body_chars - chars < from_edit)
    return g_utf8_offset_to_pointer (self->body + self->body_length, chars - self->body_chars)
           - self->body;
  return g_utf8_offset_to_pointer (self->body + self->edit_bytes, chars - self->edit_chars)
         - self->body;
}

void
byline_draft_edit_body (BylineDraft *self,
                        glong        position,
                        glong        n_removed,
                        const char  *text,
                        gssize       length)
{
  gsize start, end, new_length;

  g_return_if_fail (BYLINE_IS_DRAFT (self));
  g_return_if_fail (position >= 0 && n_removed >= 0);
  g_return_if_fail (position + n_removed <= self->body_chars);
  g_return_if_fail (text != NULL || length == 0);

  if (length < 0)
    length = strlen (text);
  if (n_removed == 0 && length == 0)
    return;

  start = body_byte_offset (self, position);
  end = n_removed > 0 ? (gsize) (g_utf8_offset_to_pointer (self->body + start, n_removed)
                                 - self->body)
                      : start;
  new_length = self->body_length - (end - start) + length;
  if (new_length + 1 > self->body_allocated)
    {
      self->body_allocated = MAX (new_length + 1, self->body_allocated * 2);
      self->body = g_realloc (self->body, self->body_allocated);
    }
  memmove (self->body + start + length, self->body + end, self->body_length - end + 1);
  memcpy (self->body + start, text, length);
  self->body_length = new_length;
  self->body_chars += g_utf8_strlen (text, length) - n_removed;
  self->edit_chars = position;
  self->edit_bytes = start;
  content_changed (self, PROP_BODY);
}

const char *
byline_draft_get_slug (BylineDraft *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), "");

  return self->slug;
}

void
byline_draft_set_slug (BylineDraft *self,
                       const char  *slug)
{
  g_return_if_fail (BYLINE_IS_DRAFT (self));

  set_string (self, PROP_SLUG, slug);
}

const char *
byline_draft_get_excerpt (BylineDraft *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), "");

  return self->excerpt;
}

void
byline_draft_set_excerpt (BylineDraft *self,
                          const char  *excerpt)
{
  g_return_if_fail (BYLINE_IS_DRAFT (self));

  set_string (self, PROP_EXCERPT, excerpt);
}

const char *
byline_draft_get_categories (BylineDraft *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), "");

  return self->categories;
}

void
byline_draft_set_categories (BylineDraft *self,
                             const char  *categories)
{
  g_return_if_fail (BYLINE_IS_DRAFT (self));

  set_string (self, PROP_CATEGORIES, categories);
}

const char *
byline_draft_get_tags (BylineDraft *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), "");

  return self->tags;
}

void
byline_draft_set_tags (BylineDraft *self,
                       const char  *tags)
{
  g_return_if_fail (BYLINE_IS_DRAFT (self));

  set_string (self, PROP_TAGS, tags);
}

const char *
byline_draft_get_author (BylineDraft *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), "");

  return self->author;
}

void
byline_draft_set_author (BylineDraft *self,
                         const char  *author)
{
  g_return_if_fail (BYLINE_IS_DRAFT (self));

  set_string (self, PROP_AUTHOR, author);
}

const char *
byline_draft_get_publish_date (BylineDraft *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), "");

  return self->publish_date;
}

void
byline_draft_set_publish_date (BylineDraft *self,
                               const char  *publish_date)
{
  g_return_if_fail (BYLINE_IS_DRAFT (self));

  set_string (self, PROP_PUBLISH_DATE, publish_date);
}

const char *
byline_draft_get_source_path (BylineDraft *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), "");

  return self->source_path;
}

void
byline_draft_set_source_path (BylineDraft *self,
                              const char  *source_path)
{
  g_return_if_fail (BYLINE_IS_DRAFT (self));

  set_string (self, PROP_SOURCE_PATH, source_path);
}

const char *
byline_draft_get_featured_image (BylineDraft *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), "");

  return self->featured_image;
}

void
byline_draft_set_featured_image (BylineDraft *self,
                                 const char  *featured_image)
{
  g_return_if_fail (BYLINE_IS_DRAFT (self));

  set_string (self, PROP_FEATURED_IMAGE, featured_image);
}

const char *
byline_draft_get_language (BylineDraft *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), "");

  return self->language;
}

void
byline_draft_set_language (BylineDraft *self,
                           const char  *language)
{
  g_return_if_fail (BYLINE_IS_DRAFT (self));

  set_string (self, PROP_LANGUAGE, language);
}

gint64
byline_draft_get_created_at (BylineDraft *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), 0);

  return self->created_at;
}

void
byline_draft_set_created_at (BylineDraft *self,
                             gint64       created_at)
{
  g_return_if_fail (BYLINE_IS_DRAFT (self));

  if (self->created_at == created_at)
    return;
  /* Bookkeeping, not an edit: the autosave must not write again because a save set it. */
  self->created_at = created_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CREATED_AT]);
}

gint64
byline_draft_get_modified_at (BylineDraft *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), 0);

  return self->modified_at;
}

void
byline_draft_set_modified_at (BylineDraft *self,
                              gint64       modified_at)
{
  g_return_if_fail (BYLINE_IS_DRAFT (self));

  if (self->modified_at == modified_at)
    return;
  self->modified_at = modified_at;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODIFIED_AT]);
}

guint64
byline_draft_get_change_serial (BylineDraft *self)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), 0);

  return self->change_serial;
}

/* Skips the block markers a Markdown line may start with: "#"s before a space (headings), ">"
 * (quotes), "-", "*", "+" and "1." / "1)" before a space (list items), and the spaces between.
 * A marker without its space ("#tag", "-5 °C", "*bold*") is text and stays. */
static const char *
skip_line_markers (const char *line,
                   const char *end)
{
  const char *p = line;

  for (;;)
    {
      const char *q;

      while (p < end && (*p == ' ' || *p == '\t'))
        p++;
      q = p;

      if (p < end && *p == '>')
        {
          p++;
          continue;
        }
      if (p < end && *p == '#')
        {
          while (q < end && *q == '#')
            q++;
          if (q == end || *q == ' ' || *q == '\t')
            {
              p = q;
              continue;
            }
          return p;
        }
      if (p < end && (*p == '-' || *p == '*' || *p == '+'))
        {
          if (p + 1 == end || p[1] == ' ' || p[1] == '\t')
            {
              p++;
              continue;
            }
          return p;
        }
      if (p < end && g_ascii_isdigit (*p))
        {
          while (q < end && g_ascii_isdigit (*q))
            q++;
          if (q < end && (*q == '.' || *q == ')') && (q + 1 == end || q[1] == ' ' || q[1] == '\t'))
            {
              p = q + 1;
              continue;
            }
        }
      return p;
    }
}

/* Whether the character at @p is a letter or a digit; @p may be NULL (before the line). */
static gboolean
is_word_char (const char *p,
              const char *end)
{
  return p != NULL && p < end && g_unichar_isalnum (g_utf8_get_char (p));
}

static gboolean
is_space_or_edge (const char *p,
                  const char *end)
{
  return p == NULL || p >= end || g_ascii_isspace (*p);
}

/* Appends one line of Markdown as plain text: backticks go, and so do the "*" and "_" that mark
 * emphasis; a "*" between spaces ("2 * 3") or a "_" inside a word (snake_case) is text. Runs of
 * white space become one space. Stops once @out holds more than @max_len bytes. */
static void
append_plain_line (GString    *out,
                   const char *line,
                   const char *end,
                   gsize       max_len)
{
  const char *p = skip_line_markers (line, end);

  while (p < end)
    {
      /* Only ever stop at the start of a character, never inside one. */
      if (out->len > max_len && (*p & 0xC0) != 0x80)
        return;

      if (*p == '`')
        {
          p++;
          continue;
        }
      if (*p == '*' || *p == '_')
        {
          const char *before = g_utf8_find_prev_char (line, p);
          const char *run_end = p;
          gboolean keep;

          while (run_end < end && *run_end == *p)
            run_end++;
          keep = is_space_or_edge (before, end) && is_space_or_edge (run_end, end);
          if (*p == '_')
            keep = keep || (is_word_char (before, end) && is_word_char (run_end, end));
          if (keep)
            g_string_append_len (out, p, run_end - p);
          p = run_end;
          continue;
        }
      if (g_ascii_isspace (*p))
        {
          if (out->len > 0 && out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
          p++;
          continue;
        }
      g_string_append_c (out, *p);
      p++;
    }
}

/* Shortens @text (plain, one line) to at most @n_chars characters, the ellipsis included,
 * cutting between words when there is a word boundary in the second half. */
static char *
ellipsize (GString *text,
           guint    n_chars)
{
  const char *cut;
  const char *space = NULL;

  while (text->len > 0 && text->str[text->len - 1] == ' ')
    g_string_truncate (text, text->len - 1);

  if (g_utf8_strlen (text->str, -1) <= (glong) n_chars)
    return g_string_free (text, FALSE);
  if (n_chars == 0)
    {
      g_string_free (text, TRUE);
      return g_strdup ("");
    }

  /* The character after the last one kept: a space there means the cut is already between
   * two words. */
  cut = g_utf8_offset_to_pointer (text->str, n_chars - 1);
  if (*cut == ' ')
    space = cut;
  else
    {
      const char *half = g_utf8_offset_to_pointer (text->str, (n_chars - 1) / 2);

      for (const char *p = cut; p > half; p--)
        if (p[-1] == ' ')
          {
            space = p - 1;
            break;
          }
    }
  if (space)
    cut = space;

  g_string_truncate (text, cut - text->str);
  while (text->len > 0 && text->str[text->len - 1] == ' ')
    g_string_truncate (text, text->len - 1);
  g_string_append (text, "…");

  return g_string_free (text, FALSE);
}

/* The body as plain text on one line, reading only as far as @n_chars characters need (a body
 * can be hundreds of kilobytes, and lists ask for a snippet of each). @first_line_only stops at
 * the first line that has text. */
static char *
plain_text (const char *body,
            guint       n_chars,
            gboolean    first_line_only)
{
  /* Enough bytes for n_chars characters and the one after, which ellipsize () looks at. */
  gsize max_len = ((gsize) n_chars + 1) * 4;
  GString *out = g_string_new (NULL);
  const char *line = body;

  while (*line && out->len <= max_len)
    {
      const char *end = strchr (line, '\n');

      if (end == NULL)
        end = line + strlen (line);

      append_plain_line (out, line, end, max_len);
      if (out->len > 0)
        {
          if (first_line_only)
            break;
          if (out->str[out->len - 1] != ' ')
            g_string_append_c (out, ' ');
        }

      line = *end ? end + 1 : end;
    }

  return ellipsize (out, n_chars);
}

char *
byline_draft_dup_display_title (BylineDraft *self)
{
  g_autofree char *title = NULL;
  g_autofree char *first_line = NULL;

  g_return_val_if_fail (BYLINE_IS_DRAFT (self), NULL);

  title = g_strstrip (g_strdup (self->title));
  if (*title)
    return g_steal_pointer (&title);

  first_line = plain_text (self->body, DISPLAY_TITLE_CHARS, TRUE);
  if (*first_line)
    return g_steal_pointer (&first_line);

  return g_strdup (_("Untitled draft"));
}

char *
byline_draft_dup_snippet (BylineDraft *self,
                          guint        n_chars)
{
  g_return_val_if_fail (BYLINE_IS_DRAFT (self), NULL);

  return plain_text (self->body, n_chars, FALSE);
}
