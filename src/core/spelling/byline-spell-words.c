/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-spell-words.c: the words of a line of Markdown or HTML that spelling looks at. */

#include "config.h"

#define G_LOG_DOMAIN "byline-spell-words"

#include <string.h>

#include "byline-spell-words.h"

static gboolean
is_letter (gunichar c)
{
  return g_unichar_isalpha (c) || g_unichar_ismark (c);
}

/* An apostrophe, a hyphen or an underscore joins two parts of one word ("don’t", "well-known",
 * "snake_case"). */
static gboolean
is_joiner (gunichar c)
{
  return c == '\'' || c == 0x2019 || c == '-' || c == 0x2010 || c == '_';
}

/* The end of the run of characters from @p that an address or an e-mail address is made of. */
static const char *
address_run_end (const char *p,
                 const char *end)
{
  while (p < end)
    {
      guchar c = (guchar) *p;

      if (g_ascii_isspace (c) || c == '<' || c == '>' || c == '"' || c == '`' || c == '\''
          || c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '|'
          || c == '\\' || c == '*')
        break;
      p++;
    }
  return p;
}

static gboolean
has_scheme (const char *p,
            const char *end)
{
  static const char * const bare_schemes[] = { "mailto:", "tel:", "news:", "urn:", "data:" };
  const char *q = p;

  if (end - p >= 4 && g_ascii_strncasecmp (p, "www.", 4) == 0)
    return TRUE;
  for (guint i = 0; i < G_N_ELEMENTS (bare_schemes); i++)
    {
      gsize len = strlen (bare_schemes[i]);

      if ((gsize) (end - p) > len && g_ascii_strncasecmp (p, bare_schemes[i], len) == 0)
        return TRUE;
    }
  if (q < end && g_ascii_isalpha (*q))
    {
      while (q < end && (g_ascii_isalnum (*q) || *q == '+' || *q == '.' || *q == '-'))
        q++;
      return end - q >= 3 && strncmp (q, "://", 3) == 0;
    }
  return FALSE;
}

/* Whether the run [@p, @end) (see address_run_end) is an e-mail address ("a.b@c.org") or a
 * domain with a path ("example.org/page"). */
static gboolean
is_address (const char *p,
            const char *end)
{
  const char *at = memchr (p, '@', end - p);
  const char *slash = memchr (p, '/', end - p);

  if (at != NULL && at > p)
    {
      const char *dot = memchr (at, '.', end - at);

      return dot != NULL && dot > at + 1 && dot + 1 < end && g_ascii_isalnum (dot[1]);
    }
  if (slash != NULL && slash > p)
    {
      const char *dot = memchr (p, '.', slash - p);

      return dot != NULL && dot > p && g_ascii_isalpha (dot[1]);
    }
  return FALSE;
}

/* A link reference definition: up to 3 spaces, "[label]:". Returns where its label starts. */
static const char *
reference_definition (const char *line,
                      const char *end)
{
  const char *p = line;

  while (p < end && p - line < 3 && *p == ' ')
    p++;
  if (p >= end || *p != '[')
    return NULL;
  for (const char *q = p + 1; q + 1 < end; q++)
    {
      if (*q == ']')
        return q[1] == ':' ? p : NULL;
      if (*q == '[')
        return NULL;
    }
  return NULL;
}

/* After an opening character at @p (such as the "(" of a link destination), the end of the span
 * it opens: past the matching @close, nested pairs counted, or the end of the line. */
static const char *
skip_balanced (const char *p,
               const char *end,
               char        open,
               char        close)
{
  int depth = 0;

  for (; p < end && *p != '\n'; p++)
    {
      if (*p == '\\' && p + 1 < end)
        p++;
      else if (*p == open)
        depth++;
      else if (*p == close && --depth == 0)
        return p + 1;
    }
  return p;
}

/* A code span: a run of backticks up to the next run of the same length on the line. */
static const char *
skip_code_span (const char *p,
                const char *end)
{
  const char *run_end = p;
  gsize run;

  while (run_end < end && *run_end == '`')
    run_end++;
  run = run_end - p;
  for (const char *q = run_end; q < end && *q != '\n';)
    {
      const char *close = q;

      if (*q != '`')
        {
          q++;
          continue;
        }
      while (q < end && *q == '`')
        q++;
      if ((gsize) (q - close) == run)
        return q;
    }
  return run_end;
}

/* An HTML tag, comment or autolink ("<a href=…>", "</p>", "<!-- … -->", "<https://…>"), up to its
 * ">" or the end of the line. */
static const char *
skip_tag (const char *p,
          const char *end)
{
  const char *q = p + 1;

  while (q < end && *q != '>' && *q != '\n')
    q++;
  return q < end && *q == '>' ? q + 1 : q;
}

static const char *
skip_entity (const char *p,
             const char *end)
{
  const char *q = p + 1;

  if (q < end && *q == '#')
    q++;
  while (q < end && g_ascii_isalnum (*q) && q - p < 32)
    q++;
  return q < end && *q == ';' && q > p + 1 ? q + 1 : p + 1;
}

void
byline_spell_words_scan (const char *text,
                         gsize       length,
                         GArray     *words)
{
  const char *end = text + length;
  const char *line = text;
  const char *p = text;

  g_return_if_fail (text != NULL || length == 0);
  g_return_if_fail (words != NULL);

  while (p < end)
    {
      guchar c = (guchar) *p;
      gunichar uc;

      if (p == line)
        {
          const char *label = reference_definition (line, end);

          if (label != NULL)
            {
              /* The label and the destination (and its title): none of it is prose. */
              while (p < end && *p != '\n')
                p++;
              continue;
            }
        }

      if (c == '\n')
        {
          line = ++p;
          continue;
        }
      if (c == '`')
        {
          p = skip_code_span (p, end);
          continue;
        }
      if (c == '<' && p + 1 < end && (g_ascii_isalpha (p[1]) || p[1] == '/' || p[1] == '!'
                                      || p[1] == '?'))
        {
          p = skip_tag (p, end);
          continue;
        }
      if (c == '&')
        {
          p = skip_entity (p, end);
          continue;
        }
      if (c == ']' && p + 1 < end && (p[1] == '(' || p[1] == '['))
        {
          p = skip_balanced (p + 1, end, p[1], p[1] == '(' ? ')' : ']');
          continue;
        }
      if (c == '\\' && p + 1 < end)
        {
          /* An escaped character ("\*") is punctuation, not part of a word. */
          p += 2;
          continue;
        }

      if (c < 0x80 && !g_ascii_isalnum (c))
        {
          p++;
          continue;
        }

      /* At a word or a number: an address, whose parts are not words? */
      if (has_scheme (p, end))
        {
          p = address_run_end (p, end);
          continue;
        }
      {
        const char *run_end = address_run_end (p, end);

        if (is_address (p, run_end))
          {
            p = run_end;
            continue;
          }
      }

      uc = g_utf8_get_char_validated (p, end - p);
      if (uc == (gunichar) -1 || uc == (gunichar) -2)
        {
          p++;
          continue;
        }
      if (!is_letter (uc) && !g_unichar_isdigit (uc))
        {
          p = g_utf8_next_char (p);
          continue;
        }

      {
        const char *start = p;
        gboolean name = FALSE;

        while (p < end)
          {
            gunichar here = g_utf8_get_char (p);

            if (is_letter (here))
              p = g_utf8_next_char (p);
            else if (g_unichar_isdigit (here))
              {
                name = TRUE;
                p = g_utf8_next_char (p);
              }
            else if (is_joiner (here))
              {
                const char *next = g_utf8_next_char (p);
                gunichar after = next < end ? g_utf8_get_char (next) : 0;

                if (!is_letter (after) && !g_unichar_isdigit (after))
                  break;
                name = name || here == '_';
                p = next;
              }
            else
              break;
          }
        if (!name)
          {
            BylineSpellWord word = { start - text, p - text };

            g_array_append_val (words, word);
          }
      }
    }
}
