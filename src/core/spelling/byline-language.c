/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-language.c: a draft's language: the system's default, its HTML tag and its name. */

#include "config.h"

#define G_LOG_DOMAIN "byline-language"

#include <string.h>

#include "byline-language.h"

/* Languages by their own names, as GNOME's language chooser shows them: a writer looks for the
 * language the draft is written in, whatever the language of the menus. Those of the spelling
 * dictionaries Debian packages, and a few more. */
static const struct {
  const char *code;
  const char *name;
} language_names[] = {
  { "af", "Afrikaans" }, { "ar", "العربية" }, { "be", "Беларуская" }, { "bg", "Български" },
  { "bs", "Bosanski" }, { "ca", "Català" }, { "cs", "Čeština" }, { "cy", "Cymraeg" },
  { "da", "Dansk" }, { "de", "Deutsch" }, { "el", "Ελληνικά" }, { "en", "English" },
  { "eo", "Esperanto" }, { "es", "Español" }, { "et", "Eesti" }, { "eu", "Euskara" },
  { "fa", "فارسی" }, { "fi", "Suomi" }, { "fo", "Føroyskt" }, { "fr", "Français" },
  { "fy", "Frysk" }, { "ga", "Gaeilge" }, { "gd", "Gàidhlig" }, { "gl", "Galego" },
  { "gu", "ગુજરાતી" }, { "he", "עברית" }, { "hi", "हिन्दी" }, { "hr", "Hrvatski" },
  { "hu", "Magyar" }, { "hy", "Հայերեն" }, { "id", "Bahasa Indonesia" }, { "is", "Íslenska" },
  { "it", "Italiano" }, { "ja", "日本語" }, { "kk", "Қазақ тілі" }, { "ko", "한국어" },
  { "la", "Latina" }, { "lb", "Lëtzebuergesch" }, { "lt", "Lietuvių" }, { "lv", "Latviešu" },
  { "mk", "Македонски" }, { "ml", "മലയാളം" }, { "mn", "Монгол" }, { "mr", "मराठी" },
  { "ms", "Bahasa Melayu" }, { "nb", "Norsk bokmål" }, { "ne", "नेपाली" }, { "nl", "Nederlands" },
  { "nn", "Norsk nynorsk" }, { "no", "Norsk" }, { "oc", "Occitan" }, { "pa", "ਪੰਜਾਬੀ" },
  { "pl", "Polski" }, { "pt", "Português" }, { "ro", "Română" }, { "ru", "Русский" },
  { "rw", "Kinyarwanda" }, { "se", "Davvisámegiella" }, { "si", "සිංහල" }, { "sk", "Slovenčina" },
  { "sl", "Slovenščina" }, { "sq", "Shqip" }, { "sr", "Српски" }, { "sv", "Svenska" },
  { "sw", "Kiswahili" }, { "ta", "தமிழ்" }, { "te", "తెలుగు" }, { "th", "ไทย" },
  { "tr", "Türkçe" }, { "uk", "Українська" }, { "uz", "Oʻzbek" }, { "vi", "Tiếng Việt" },
  { "zh", "中文" },
};

/* Countries named in the language of the dictionary that pairs them: "Français (Canada)",
 * "Deutsch (Schweiz)". */
static const struct {
  const char *code;
  const char *name;
} country_names[] = {
  { "af_ZA", "Suid-Afrika" }, { "bg_BG", "България" }, { "ca_ES", "Espanya" },
  { "ca_AD", "Andorra" }, { "cs_CZ", "Česko" }, { "da_DK", "Danmark" },
  { "de_AT", "Österreich" }, { "de_BE", "Belgien" }, { "de_CH", "Schweiz" },
  { "de_DE", "Deutschland" }, { "de_LI", "Liechtenstein" }, { "de_LU", "Luxemburg" },
  { "el_GR", "Ελλάδα" }, { "en_AU", "Australia" }, { "en_CA", "Canada" },
  { "en_GB", "United Kingdom" }, { "en_IE", "Ireland" }, { "en_IN", "India" },
  { "en_NZ", "New Zealand" }, { "en_US", "United States" }, { "en_ZA", "South Africa" },
  { "es_AR", "Argentina" }, { "es_BO", "Bolivia" }, { "es_CL", "Chile" },
  { "es_CO", "Colombia" }, { "es_CR", "Costa Rica" }, { "es_CU", "Cuba" },
  { "es_DO", "República Dominicana" }, { "es_EC", "Ecuador" }, { "es_ES", "España" },
  { "es_GT", "Guatemala" }, { "es_HN", "Honduras" }, { "es_MX", "México" },
  { "es_NI", "Nicaragua" }, { "es_PA", "Panamá" }, { "es_PE", "Perú" },
  { "es_PR", "Puerto Rico" }, { "es_PY", "Paraguay" }, { "es_SV", "El Salvador" },
  { "es_US", "Estados Unidos" }, { "es_UY", "Uruguay" }, { "es_VE", "Venezuela" },
  { "et_EE", "Eesti" }, { "eu_ES", "Espainia" }, { "fi_FI", "Suomi" },
  { "fr_BE", "Belgique" }, { "fr_CA", "Canada" }, { "fr_CH", "Suisse" },
  { "fr_FR", "France" }, { "fr_LU", "Luxembourg" }, { "fr_MC", "Monaco" },
  { "ga_IE", "Éire" }, { "gl_ES", "España" }, { "he_IL", "ישראל" }, { "hr_HR", "Hrvatska" },
  { "hu_HU", "Magyarország" }, { "is_IS", "Ísland" }, { "it_CH", "Svizzera" },
  { "it_IT", "Italia" }, { "lt_LT", "Lietuva" }, { "lv_LV", "Latvija" },
  { "nb_NO", "Norge" }, { "nl_BE", "België" }, { "nl_NL", "Nederland" }, { "nn_NO", "Noreg" },
  { "pl_PL", "Polska" }, { "pt_BR", "Brasil" }, { "pt_PT", "Portugal" },
  { "ro_RO", "România" }, { "ru_RU", "Россия" }, { "sk_SK", "Slovensko" },
  { "sl_SI", "Slovenija" }, { "sr_RS", "Србија" }, { "sv_FI", "Finland" },
  { "sv_SE", "Sverige" }, { "tr_TR", "Türkiye" }, { "uk_UA", "Україна" },
  { "vi_VN", "Việt Nam" },
};

char *
byline_language_normalize (const char *language)
{
  g_autofree char *copy = NULL;
  g_auto(GStrv) parts = NULL;
  char *end;
  gsize n_parts;

  if (language == NULL)
    return NULL;

  copy = g_strdup (language);
  /* "fr_FR.UTF-8@euro": the encoding and the modifier say nothing about the language. */
  if ((end = strpbrk (copy, ".@")) != NULL)
    *end = '\0';
  g_strdelimit (copy, "-", '_');
  parts = g_strsplit (copy, "_", 3);
  n_parts = g_strv_length (parts);
  if (n_parts == 0 || n_parts > 2)
    return NULL;

  for (const char *p = parts[0]; *p; p++)
    if (!g_ascii_isalpha (*p))
      return NULL;
  if (strlen (parts[0]) < 2 || strlen (parts[0]) > 3)
    return NULL;
  if (n_parts == 1)
    return g_ascii_strdown (parts[0], -1);

  for (const char *p = parts[1]; *p; p++)
    if (!g_ascii_isalnum (*p))
      return NULL;
  if (strlen (parts[1]) < 2 || strlen (parts[1]) > 3)
    return NULL;
  {
    g_autofree char *lang = g_ascii_strdown (parts[0], -1);
    g_autofree char *country = g_ascii_strup (parts[1], -1);

    return g_strconcat (lang, "_", country, NULL);
  }
}

char *
byline_language_dup_default (void)
{
  const char * const *names = g_get_language_names ();

  /* The list runs from the most specific ("fr_FR.UTF-8") to the least ("fr", "C"). */
  for (guint i = 0; names[i] != NULL; i++)
    {
      g_autofree char *language = NULL;

      if (g_str_equal (names[i], "C") || g_str_equal (names[i], "POSIX")
          || g_str_has_prefix (names[i], "C."))
        continue;
      language = byline_language_normalize (names[i]);
      if (language != NULL)
        return g_steal_pointer (&language);
    }
  return g_strdup ("en_US");
}

char *
byline_language_dup_html_tag (const char *language)
{
  g_autofree char *normalized = byline_language_normalize (language);

  if (normalized == NULL)
    return g_strdup ("");
  return g_strdelimit (g_steal_pointer (&normalized), "_", '-');
}

char *
byline_language_dup_display_name (const char *language)
{
  g_autofree char *normalized = byline_language_normalize (language);
  g_autofree char *code = NULL;
  const char *name = NULL;
  const char *country_name = NULL;
  const char *underscore;

  g_return_val_if_fail (language != NULL, NULL);

  if (normalized == NULL)
    return g_strdup (language);

  underscore = strchr (normalized, '_');
  code = g_strndup (normalized, underscore ? (gsize) (underscore - normalized) : strlen (normalized));
  for (guint i = 0; i < G_N_ELEMENTS (language_names); i++)
    if (g_str_equal (language_names[i].code, code))
      name = language_names[i].name;
  if (name == NULL)
    return g_steal_pointer (&normalized);
  if (underscore == NULL)
    return g_strdup (name);

  for (guint i = 0; i < G_N_ELEMENTS (country_names); i++)
    if (g_str_equal (country_names[i].code, normalized))
      country_name = country_names[i].name;
  return g_strdup_printf ("%s (%s)", name, country_name ? country_name : underscore + 1);
}
