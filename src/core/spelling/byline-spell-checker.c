/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-spell-checker.c: one language's spelling dictionary (Enchant, with Hunspell's). */

#include "config.h"

#define G_LOG_DOMAIN "byline-spell-checker"

#include <string.h>

#include <enchant.h>
#include <glib/gi18n-lib.h>

#include "byline-language.h"
#include "byline-spell-checker.h"

struct _BylineSpellChecker
{
  GObject       parent_instance;

  EnchantDict  *dict;
  char         *language;
};

G_DEFINE_FINAL_TYPE (BylineSpellChecker, byline_spell_checker, G_TYPE_OBJECT)

/* One broker for the process, never freed: it keeps each language's dictionary loaded once
 * (Enchant counts its users), so that every checker of a language sees the same personal and
 * session words. Enchant's broker is not thread-safe: the lock guards every call on it. */
static GMutex broker_lock;
static EnchantBroker *broker;

static EnchantBroker *
get_broker_locked (void)
{
  if (broker == NULL)
    broker = enchant_broker_init ();
  return broker;
}

static void
add_language_cb (const char * const tag,
                 const char * const provider_name,
                 const char * const provider_desc,
                 const char * const provider_file,
                 void              *user_data)
{
  GPtrArray *languages = user_data;
  g_autofree char *normalized = byline_language_normalize (tag);

  if (normalized == NULL)
    return;
  /* Two providers (Hunspell and Aspell) may both have one. */
  for (guint i = 0; i < languages->len; i++)
    if (g_str_equal (g_ptr_array_index (languages, i), normalized))
      return;
  g_ptr_array_add (languages, g_steal_pointer (&normalized));
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

GStrv
byline_spell_checker_list_languages (void)
{
  GPtrArray *languages = g_ptr_array_new ();

  g_mutex_lock (&broker_lock);
  enchant_broker_list_dicts (get_broker_locked (), add_language_cb, languages);
  g_mutex_unlock (&broker_lock);

  g_ptr_array_sort (languages, compare_strings);
  g_ptr_array_add (languages, NULL);
  return (GStrv) g_ptr_array_free (languages, FALSE);
}

char *
byline_spell_checker_find_language (const char *language)
{
  g_autofree char *wanted = byline_language_normalize (language);
  g_auto(GStrv) installed = NULL;
  g_autofree char *code = NULL;
  const char *own_country = NULL;
  const char *plain_language = NULL;
  const char *other_country = NULL;

  if (wanted == NULL)
    return NULL;

  installed = byline_spell_checker_list_languages ();
  if (g_strv_contains ((const char * const *) installed, wanted))
    return g_steal_pointer (&wanted);

  /* Another dictionary of the same language: the one of its own country ("fr" → "fr_FR"),
   * else the language alone ("fr"), else American English for English, else the first. */
  code = g_strndup (wanted, strcspn (wanted, "_"));
  for (guint i = 0; installed[i] != NULL; i++)
    {
      const char *country = installed[i] + strlen (code);

      if (strncmp (installed[i], code, strlen (code)) != 0 || (*country != '\0' && *country != '_'))
        continue;
      if (*country == '\0')
        plain_language = installed[i];
      else if (g_ascii_strcasecmp (country + 1, code) == 0)
        own_country = installed[i];
      else if (other_country == NULL || g_str_equal (installed[i], "en_US"))
        other_country = installed[i];
    }
  if (own_country != NULL)
    return g_strdup (own_country);
  if (plain_language != NULL)
    return g_strdup (plain_language);
  return g_strdup (other_country);
}

static void
byline_spell_checker_finalize (GObject *object)
{
  BylineSpellChecker *self = BYLINE_SPELL_CHECKER (object);

  if (self->dict != NULL)
    {
      g_mutex_lock (&broker_lock);
      enchant_broker_free_dict (broker, self->dict);
      g_mutex_unlock (&broker_lock);
    }
  g_free (self->language);

  G_OBJECT_CLASS (byline_spell_checker_parent_class)->finalize (object);
}

static void
byline_spell_checker_class_init (BylineSpellCheckerClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = byline_spell_checker_finalize;
}

static void
byline_spell_checker_init (BylineSpellChecker *self)
{
}

BylineSpellChecker *
byline_spell_checker_new (const char  *language,
                          GError     **error)
{
  g_autoptr(BylineSpellChecker) self = NULL;
  g_autofree char *found = NULL;
  g_autofree char *name = NULL;

  g_return_val_if_fail (language != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  found = byline_spell_checker_find_language (language);
  if (found != NULL)
    {
      self = g_object_new (BYLINE_TYPE_SPELL_CHECKER, NULL);
      g_mutex_lock (&broker_lock);
      self->dict = enchant_broker_request_dict (get_broker_locked (), found);
      g_mutex_unlock (&broker_lock);
    }
  if (self == NULL || self->dict == NULL)
    {
      name = byline_language_dup_display_name (language);
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND,
                   _("No spelling dictionary for %s is installed"), name);
      return NULL;
    }
  self->language = g_steal_pointer (&found);
  return g_steal_pointer (&self);
}

static void
byline_spell_checker_load_thread (GTask        *task,
                                  gpointer      source_object,
                                  gpointer      task_data,
                                  GCancellable *cancellable)
{
  GError *error = NULL;
  BylineSpellChecker *self = byline_spell_checker_new (task_data, &error);

  if (self == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, self, g_object_unref);
}

void
byline_spell_checker_new_async (const char          *language,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (language != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_spell_checker_new_async);
  g_task_set_task_data (task, g_strdup (language), g_free);
  g_task_run_in_thread (task, byline_spell_checker_load_thread);
}

BylineSpellChecker *
byline_spell_checker_new_finish (GAsyncResult  *result,
                                 GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
byline_spell_checker_get_language (BylineSpellChecker *self)
{
  g_return_val_if_fail (BYLINE_IS_SPELL_CHECKER (self), NULL);

  return self->language;
}

gboolean
byline_spell_checker_check_word (BylineSpellChecker *self,
                                 const char         *word,
                                 gssize              length)
{
  g_return_val_if_fail (BYLINE_IS_SPELL_CHECKER (self), TRUE);
  g_return_val_if_fail (word != NULL, TRUE);

  if (length < 0)
    length = strlen (word);
  if (length == 0)
    return TRUE;
  /* 0: right; a positive number: wrong; negative: Enchant failed, which is not the writer's
   * mistake. */
  return enchant_dict_check (self->dict, word, length) <= 0;
}

GStrv
byline_spell_checker_suggest (BylineSpellChecker *self,
                              const char         *word,
                              gssize              length,
                              guint               max_suggestions)
{
  GPtrArray *suggestions = g_ptr_array_new ();
  char **found;
  size_t n_found = 0;

  g_return_val_if_fail (BYLINE_IS_SPELL_CHECKER (self), NULL);
  g_return_val_if_fail (word != NULL, NULL);

  if (length < 0)
    length = strlen (word);
  found = length > 0 ? enchant_dict_suggest (self->dict, word, length, &n_found) : NULL;
  for (size_t i = 0; i < n_found && suggestions->len < max_suggestions; i++)
    g_ptr_array_add (suggestions, g_strdup (found[i]));
  if (found != NULL)
    enchant_dict_free_string_list (self->dict, found);

  g_ptr_array_add (suggestions, NULL);
  return (GStrv) g_ptr_array_free (suggestions, FALSE);
}

void
byline_spell_checker_add_word (BylineSpellChecker *self,
                               const char         *word,
                               gssize              length)
{
  g_return_if_fail (BYLINE_IS_SPELL_CHECKER (self));
  g_return_if_fail (word != NULL);

  enchant_dict_add (self->dict, word, length);
}

void
byline_spell_checker_ignore_word (BylineSpellChecker *self,
                                  const char         *word,
                                  gssize              length)
{
  g_return_if_fail (BYLINE_IS_SPELL_CHECKER (self));
  g_return_if_fail (word != NULL);

  enchant_dict_add_to_session (self->dict, word, length);
}
