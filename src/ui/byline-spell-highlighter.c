/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-spell-highlighter.c: underlines the misspelled words of a text view as the writer types.
 *
 * Text still to be checked carries a tag of its own that draws nothing (a tag that changes no
 * appearance costs no layout, and the buffer moves it along with every edit). An edit tags the
 * words it touches; just before the next frame, those words are checked, so an underline that
 * comes or goes shows in the key's own frame. The word being typed waits until it is finished (a
 * space or punctuation after it) or the writer pauses, so that it is not marked letter by letter.
 * A whole draft (on opening, or in another language) is checked in slices of a few milliseconds
 * when the main loop has nothing else to do, the part on screen first. The underline itself is
 * changed only where the result changes: each change lays its line out again. */

#define G_LOG_DOMAIN "byline-spell-highlighter"

#include "config.h"

#include <gtksourceview/gtksource.h>

#include "byline-spell-highlighter.h"
#include "byline-spell-words.h"

/* The word being typed is checked once the writer has paused this long. */
#define PAUSE_MS 500
/* Before a frame: the words the last keys touched, for at most this long (µs). */
#define SOON_USEC 1000
/* Before a frame, what is this near the cursor. */
#define NEAR_CURSOR_CHARS 300
/* In the background: slices this long (µs), so that a key waits no longer than that. */
#define SLICE_USEC 3000
/* An edit of at most this many characters at the cursor is typing. */
#define TYPED_CHARS 2
/* A line longer than this (minified HTML) is read around the part to check only. */
#define LONG_LINE_CHARS 4000
#define LONG_LINE_CONTEXT 1000
/* How far an edit's words are looked for on either side of it. */
#define MAX_WORD_CHARS 200

struct _BylineSpellHighlighter
{
  GObject             parent_instance;

  GtkTextView        *view;
  GtkTextBuffer      *buffer;
  BylineSpellChecker *checker;
  GtkTextTag         *tag;
  GtkTextTag         *unchecked_tag;
  /* Reused for every line: BylineSpellWord. */
  GArray             *words;

  guint               soon_id;
  guint               background_id;
  guint               pause_id;

  /* What GtkSourceView is asked to highlight (character offsets): see
   * byline_spell_highlighter_update_window. */
  int                 window_start;
  int                 window_end;

  /* The writer is typing at the cursor: the word there waits. */
  guint               typing : 1;
};

G_DEFINE_FINAL_TYPE (BylineSpellHighlighter, byline_spell_highlighter, G_TYPE_OBJECT)

static void byline_spell_highlighter_queue_soon       (BylineSpellHighlighter *self);
static void byline_spell_highlighter_queue_background (BylineSpellHighlighter *self);

static gboolean
is_word_char (gunichar c)
{
  return c != 0 && !g_unichar_isspace (c) && c != 0xFFFC;
}

/* Marks the words around [@start, @end) as to be checked. */
static void
byline_spell_highlighter_mark_unchecked (BylineSpellHighlighter *self,
                                         const GtkTextIter      *start,
                                         const GtkTextIter      *end)
{
  GtkTextIter from = *start, to = *end;

  for (guint i = 0; i < MAX_WORD_CHARS && !gtk_text_iter_starts_line (&from); i++)
    {
      gtk_text_iter_backward_char (&from);
      if (!is_word_char (gtk_text_iter_get_char (&from)))
        {
          gtk_text_iter_forward_char (&from);
          break;
        }
    }
  for (guint i = 0; i < MAX_WORD_CHARS && is_word_char (gtk_text_iter_get_char (&to)); i++)
    gtk_text_iter_forward_char (&to);
  if (!gtk_text_iter_equal (&from, &to))
    gtk_text_buffer_apply_tag (self->buffer, self->unchecked_tag, &from, &to);
}

static gboolean
byline_spell_highlighter_pause_cb (gpointer user_data)
{
  BylineSpellHighlighter *self = user_data;

  self->pause_id = 0;
  self->typing = FALSE;
  byline_spell_highlighter_queue_soon (self);
  return G_SOURCE_REMOVE;
}

static void
byline_spell_highlighter_typed (BylineSpellHighlighter *self)
{
  self->typing = TRUE;
  g_clear_handle_id (&self->pause_id, g_source_remove);
  self->pause_id = g_timeout_add (PAUSE_MS, byline_spell_highlighter_pause_cb, self);
}

static gboolean
is_at_cursor (GtkTextBuffer     *buffer,
              const GtkTextIter *iter)
{
  GtkTextIter cursor;

  gtk_text_buffer_get_iter_at_mark (buffer, &cursor, gtk_text_buffer_get_insert (buffer));
  return gtk_text_iter_equal (&cursor, iter);
}

static void
byline_spell_highlighter_insert_text_cb (BylineSpellHighlighter *self,
                                         GtkTextIter            *end,
                                         const char             *text,
                                         int                     length,
                                         GtkTextBuffer          *buffer)
{
  glong n_chars = g_utf8_strlen (text, length);
  GtkTextIter start = *end;

  if (self->checker == NULL)
    return;

  /* Connected after the insertion: @end is where the text ends now. */
  gtk_text_iter_backward_chars (&start, n_chars);
  byline_spell_highlighter_mark_unchecked (self, &start, end);
  if (n_chars <= TYPED_CHARS && is_at_cursor (buffer, end))
    {
      byline_spell_highlighter_typed (self);
      byline_spell_highlighter_queue_soon (self);
    }
  else
    {
      /* A word put in (a suggestion, an input method) is checked at once; a draft loaded or a
       * long paste in the background, after the frame that shows it. */
      self->typing = FALSE;
      if (n_chars < MAX_WORD_CHARS)
        byline_spell_highlighter_queue_soon (self);
      else
        byline_spell_highlighter_queue_background (self);
    }
}

static void
byline_spell_highlighter_delete_range_cb (BylineSpellHighlighter *self,
                                          GtkTextIter            *start,
                                          GtkTextIter            *end,
                                          GtkTextBuffer          *buffer)
{
  if (self->checker == NULL)
    return;

  /* Connected after the deletion: both ends are where the text was. */
  byline_spell_highlighter_mark_unchecked (self, start, start);
  if (is_at_cursor (buffer, start))
    byline_spell_highlighter_typed (self);
  byline_spell_highlighter_queue_soon (self);
}

/* The highlighting changed (a backtick typed makes the rest of the line code; a fence, the rest
 * of the draft): what is code and what is prose may have changed there. GtkSourceView says so
 * for every line it highlights again, also for each key (often from within the check before
 * the frame, which asks for the highlighting): checked again in the background, after the
 * frame, since it seldom changes anything. */
static void
byline_spell_highlighter_highlight_updated_cb (BylineSpellHighlighter *self,
                                               GtkTextIter            *start,
                                               GtkTextIter            *end,
                                               GtkSourceBuffer        *buffer)
{
  if (self->checker == NULL)
    return;

  byline_spell_highlighter_mark_unchecked (self, start, end);
  byline_spell_highlighter_queue_background (self);
}

/* The cursor moved away from the word being typed (an arrow key, a click): it is finished. */
static void
byline_spell_highlighter_cursor_moved_cb (BylineSpellHighlighter *self,
                                          GParamSpec             *pspec,
                                          GtkTextBuffer          *buffer)
{
  if (!self->typing)
    return;
  /* An edit moves the cursor before its handlers run, and says again that it is typing. */
  self->typing = FALSE;
  byline_spell_highlighter_queue_soon (self);
}

/* Whether [@start, @end) holds any of @tag. */
static gboolean
range_has_tag (const GtkTextIter *start,
               const GtkTextIter *end,
               GtkTextTag        *tag)
{
  GtkTextIter iter = *start;

  if (gtk_text_iter_has_tag (&iter, tag))
    return TRUE;
  return gtk_text_iter_forward_to_tag_toggle (&iter, tag) && gtk_text_iter_compare (&iter, end) < 0;
}

/* A word that stays marked (misspelled), or is left as it is (being typed). */
typedef struct {
  int      start;
  int      end;
  gboolean misspelled;
} Kept;

/* Removes the tag from [@from, @to) except from the kept words. */
static void
remove_tag_outside (BylineSpellHighlighter *self,
                    const GtkTextIter      *from,
                    const GtkTextIter      *to,
                    GArray                 *kept)
{
  GtkTextIter run_start = *from;

  for (;;)
    {
      GtkTextIter run_end;
      int start, end;

      if (!gtk_text_iter_has_tag (&run_start, self->tag)
          && !gtk_text_iter_forward_to_tag_toggle (&run_start, self->tag))
        return;
      if (gtk_text_iter_compare (&run_start, to) >= 0)
        return;
      run_end = run_start;
      gtk_text_iter_forward_to_tag_toggle (&run_end, self->tag);
      if (gtk_text_iter_compare (&run_end, to) > 0)
        run_end = *to;

      /* The run minus the kept words in it. */
      start = gtk_text_iter_get_offset (&run_start);
      end = gtk_text_iter_get_offset (&run_end);
      for (guint i = 0; i <= kept->len && start < end; i++)
        {
          int piece_end = i < kept->len ? MIN (end, g_array_index (kept, Kept, i).start) : end;

          if (piece_end > start)
            {
              GtkTextIter a, b;

              gtk_text_buffer_get_iter_at_offset (self->buffer, &a, start);
              gtk_text_buffer_get_iter_at_offset (self->buffer, &b, piece_end);
              gtk_text_buffer_remove_tag (self->buffer, self->tag, &a, &b);
            }
          if (i < kept->len)
            start = MAX (start, g_array_index (kept, Kept, i).end);
        }
      run_start = run_end;
    }
}

/* Whether the line of @iter starts with four spaces or a tab. */
static gboolean
line_is_indented (const GtkTextIter *iter)
{
  GtkTextIter start = *iter;
  guint spaces = 0;

  gtk_text_iter_set_line_offset (&start, 0);
  while (spaces < 4 && gtk_text_iter_get_char (&start) == ' ')
    {
      spaces++;
      gtk_text_iter_forward_char (&start);
    }
  return spaces == 4 || gtk_text_iter_get_char (&start) == '\t';
}

static gboolean
line_is_blank (const GtkTextIter *iter)
{
  GtkTextIter start = *iter;

  gtk_text_iter_set_line_offset (&start, 0);
  while (!gtk_text_iter_ends_line (&start))
    {
      if (!g_unichar_isspace (gtk_text_iter_get_char (&start)))
        return FALSE;
      gtk_text_iter_forward_char (&start);
    }
  return TRUE;
}

/* Whether the line of @iter is in a Markdown code block made by indenting (four spaces or a
 * tab, after a blank line), which GtkSourceView marks only from eight spaces on, since four
 * may also continue a list item. Here, code is the likelier. */
static gboolean
in_indented_code (GtkTextBuffer     *buffer,
                  const GtkTextIter *iter)
{
  GtkSourceLanguage *language = gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (buffer));
  GtkTextIter line = *iter;

  if (language == NULL || !g_str_equal (gtk_source_language_get_id (language), "markdown")
      || !line_is_indented (&line))
    return FALSE;
  for (guint i = 0; i < 200; i++)
    {
      if (!gtk_text_iter_backward_line (&line))
        return TRUE;
      if (line_is_blank (&line))
        return TRUE;
      if (!line_is_indented (&line))
        return FALSE;
    }
  return FALSE;
}

/* Checks the words that overlap [@from, @to) (on one line), reading the line around them for
 * what is a link, a tag or code. Returns where the words checked end. */
static int
byline_spell_highlighter_check_span (BylineSpellHighlighter *self,
                                     const GtkTextIter      *from,
                                     const GtkTextIter      *to)
{
  GtkSourceBuffer *source_buffer = GTK_SOURCE_BUFFER (self->buffer);
  g_autoptr(GArray) kept = g_array_new (FALSE, FALSE, sizeof (Kept));
  GtkTextIter scan_start = *from, scan_end = *to, cursor, iter, a, b;
  g_autofree char *text = NULL;
  int from_offset = gtk_text_iter_get_offset (from);
  int to_offset = gtk_text_iter_get_offset (to);
  int first, last, cursor_offset;
  gsize byte = 0;
  int chars = 0;
  gboolean tagged;

  gtk_text_iter_set_line_offset (&scan_start, 0);
  if (!gtk_text_iter_ends_line (&scan_end))
    gtk_text_iter_forward_to_line_end (&scan_end);
  if (from_offset - gtk_text_iter_get_offset (&scan_start) > LONG_LINE_CHARS)
    gtk_text_buffer_get_iter_at_offset (self->buffer, &scan_start, from_offset - LONG_LINE_CONTEXT);
  if (gtk_text_iter_get_offset (&scan_end) - to_offset > LONG_LINE_CHARS)
    gtk_text_buffer_get_iter_at_offset (self->buffer, &scan_end, to_offset + LONG_LINE_CONTEXT);

  /* The classes below exist only where the text is highlighted, which GtkSourceView does lazily:
   * near the screen, it is done now. */
  if (gtk_text_iter_get_offset (&scan_end) >= self->window_start
      && gtk_text_iter_get_offset (&scan_start) <= self->window_end)
    gtk_source_buffer_ensure_highlight (source_buffer, &scan_start, &scan_end);

  text = gtk_text_iter_get_slice (&scan_start, &scan_end);
  g_array_set_size (self->words, 0);
  byline_spell_words_scan (text, strlen (text), self->words);

  if (in_indented_code (self->buffer, from))
    g_array_set_size (self->words, 0);

  gtk_text_buffer_get_iter_at_mark (self->buffer, &cursor, gtk_text_buffer_get_insert (self->buffer));
  cursor_offset = self->typing ? gtk_text_iter_get_offset (&cursor) : -1;
  first = from_offset;
  last = to_offset;
  for (guint i = 0; i < self->words->len; i++)
    {
      BylineSpellWord *word = &g_array_index (self->words, BylineSpellWord, i);
      Kept span;

      chars += g_utf8_strlen (text + byte, word->start - byte);
      span.start = gtk_text_iter_get_offset (&scan_start) + chars;
      chars += g_utf8_strlen (text + word->start, word->end - word->start);
      span.end = gtk_text_iter_get_offset (&scan_start) + chars;
      byte = word->end;
      if (span.end <= from_offset)
        continue;
      if (span.start >= to_offset)
        break;
      first = MIN (first, span.start);
      last = MAX (last, span.end);

      if (cursor_offset >= span.start && cursor_offset <= span.end)
        {
          /* Being typed: left as it is, and still to be checked. */
          span.misspelled = FALSE;
          g_array_append_val (kept, span);
          continue;
        }

      gtk_text_buffer_get_iter_at_offset (self->buffer, &iter, span.start);
      /* Code, addresses, tags (GtkSourceView's "no-spell-check") and attribute values (HTML's
       * strings) are not prose. */
      if (gtk_source_buffer_iter_has_context_class (source_buffer, &iter, "no-spell-check")
          || gtk_source_buffer_iter_has_context_class (source_buffer, &iter, "string"))
        continue;
      if (byline_spell_checker_check_word (self->checker, text + word->start,
                                           word->end - word->start))
        continue;
      span.misspelled = TRUE;
      g_array_append_val (kept, span);
    }

  gtk_text_buffer_get_iter_at_offset (self->buffer, &a, first);
  gtk_text_buffer_get_iter_at_offset (self->buffer, &b, last);
  tagged = range_has_tag (&a, &b, self->tag);
  if (tagged)
    remove_tag_outside (self, &a, &b, kept);
  for (guint i = 0; i < kept->len; i++)
    {
      Kept *span = &g_array_index (kept, Kept, i);
      GtkTextIter word_start, word_end, toggle;

      gtk_text_buffer_get_iter_at_offset (self->buffer, &word_start, span->start);
      gtk_text_buffer_get_iter_at_offset (self->buffer, &word_end, span->end);
      if (!span->misspelled)
        {
          gtk_text_buffer_apply_tag (self->buffer, self->unchecked_tag, &word_start, &word_end);
          continue;
        }
      /* Already marked, from start to end: nothing to change, nothing to lay out again. */
      toggle = word_start;
      if (gtk_text_iter_has_tag (&word_start, self->tag)
          && gtk_text_iter_forward_to_tag_toggle (&toggle, self->tag)
          && gtk_text_iter_equal (&toggle, &word_end))
        continue;
      gtk_text_buffer_apply_tag (self->buffer, self->tag, &word_start, &word_end);
    }

  /* Checked, but for the word being typed (marked again above, after this). */
  gtk_text_buffer_remove_tag (self->buffer, self->unchecked_tag, &a, &b);
  for (guint i = 0; i < kept->len; i++)
    {
      Kept *span = &g_array_index (kept, Kept, i);

      if (!span->misspelled)
        {
          gtk_text_buffer_get_iter_at_offset (self->buffer, &a, span->start);
          gtk_text_buffer_get_iter_at_offset (self->buffer, &b, span->end);
          gtk_text_buffer_apply_tag (self->buffer, self->unchecked_tag, &a, &b);
        }
    }
  return last;
}

/* Whether [@start, @end) is nothing but the word being typed, which waits. */
static gboolean
is_word_being_typed (BylineSpellHighlighter *self,
                     const GtkTextIter      *start,
                     const GtkTextIter      *end)
{
  GtkTextIter cursor, iter;

  if (!self->typing)
    return FALSE;
  gtk_text_buffer_get_iter_at_mark (self->buffer, &cursor, gtk_text_buffer_get_insert (self->buffer));
  if (!gtk_text_iter_in_range (&cursor, start, end) && !gtk_text_iter_equal (&cursor, end))
    return FALSE;
  if (gtk_text_iter_get_offset (end) - gtk_text_iter_get_offset (start) > MAX_WORD_CHARS)
    return FALSE;
  for (iter = *start; gtk_text_iter_compare (&iter, end) < 0; gtk_text_iter_forward_char (&iter))
    if (!is_word_char (gtk_text_iter_get_char (&iter)))
      return FALSE;
  /* And the whole word: no more of it on either side. */
  if (is_word_char (gtk_text_iter_get_char (end)))
    return FALSE;
  iter = *start;
  return !gtk_text_iter_backward_char (&iter) || !is_word_char (gtk_text_iter_get_char (&iter));
}

/* Checks what is still to be checked in [@from, @limit), line by line, until @deadline
 * (monotonic µs). Returns FALSE when it stopped for time. */
static gboolean
byline_spell_highlighter_check_range (BylineSpellHighlighter *self,
                                      const GtkTextIter      *from,
                                      const GtkTextIter      *limit,
                                      gint64                  deadline)
{
  GtkTextIter iter = *from;

  for (;;)
    {
      GtkTextIter run_end, line_end;
      int checked_to;

      if (!gtk_text_iter_has_tag (&iter, self->unchecked_tag)
          && !gtk_text_iter_forward_to_tag_toggle (&iter, self->unchecked_tag))
        return TRUE;
      if (gtk_text_iter_compare (&iter, limit) >= 0)
        return TRUE;
      if (g_get_monotonic_time () >= deadline)
        return FALSE;

      run_end = iter;
      gtk_text_iter_forward_to_tag_toggle (&run_end, self->unchecked_tag);
      if (is_word_being_typed (self, &iter, &run_end))
        {
          iter = run_end;
          continue;
        }
      line_end = iter;
      if (!gtk_text_iter_ends_line (&line_end))
        gtk_text_iter_forward_to_line_end (&line_end);
      if (gtk_text_iter_compare (&run_end, &line_end) > 0)
        run_end = line_end;

      if (gtk_text_iter_equal (&iter, &run_end))
        {
          /* Only a line's end was left: nothing to read there. */
          gtk_text_iter_forward_char (&run_end);
          gtk_text_buffer_remove_tag (self->buffer, self->unchecked_tag, &iter, &run_end);
          iter = run_end;
          continue;
        }

      /* On after the words checked (the word being typed stays to be checked, behind). */
      checked_to = byline_spell_highlighter_check_span (self, &iter, &run_end);
      gtk_text_buffer_get_iter_at_offset (self->buffer, &iter,
                                          MAX (checked_to, gtk_text_iter_get_offset (&run_end)));
    }
}

static void
byline_spell_highlighter_get_visible (BylineSpellHighlighter *self,
                                      GtkTextIter            *start,
                                      GtkTextIter            *end)
{
  GdkRectangle visible;

  gtk_text_view_get_visible_rect (self->view, &visible);
  gtk_text_view_get_line_at_y (self->view, start, visible.y, NULL);
  gtk_text_view_get_line_at_y (self->view, end, visible.y + visible.height, NULL);
  if (!gtk_text_iter_ends_line (end))
    gtk_text_iter_forward_to_line_end (end);
}

/* GtkSourceView analyses the whole draft in the background, marking code and the like with its
 * classes as it goes and saying so (::highlight-updated), but colours only what is drawn or
 * asked for. gtk_source_buffer_ensure_highlight gets both at once; asked for all of a long
 * draft, it made every key slower after that: the screen bench measured each key of a
 * 50,000-word draft shown 2 ms later (median 4.4 ms instead of 2.4). So it is asked for only
 * around the screen (a screen's height above and below); further away, the words are checked
 * with the classes GtkSourceView's own analysis has put there yet (byline_spell_words_scan
 * leaves out code spans, tags and addresses anyway), and checked again when its analysis
 * reaches them. */
static void
byline_spell_highlighter_update_window (BylineSpellHighlighter *self)
{
  GdkRectangle visible;
  GtkTextIter iter;

  gtk_text_view_get_visible_rect (self->view, &visible);
  gtk_text_view_get_line_at_y (self->view, &iter, visible.y - visible.height, NULL);
  self->window_start = gtk_text_iter_get_offset (&iter);
  gtk_text_view_get_line_at_y (self->view, &iter, visible.y + 2 * visible.height, NULL);
  if (!gtk_text_iter_ends_line (&iter))
    gtk_text_iter_forward_to_line_end (&iter);
  self->window_end = gtk_text_iter_get_offset (&iter);
}

static gboolean
byline_spell_highlighter_has_unchecked (BylineSpellHighlighter *self)
{
  GtkTextIter iter;

  gtk_text_buffer_get_start_iter (self->buffer, &iter);
  return gtk_text_iter_has_tag (&iter, self->unchecked_tag)
         || gtk_text_iter_forward_to_tag_toggle (&iter, self->unchecked_tag);
}

/* Before the next frame: the words around the cursor, which the last keys touched, for at most
 * SOON_USEC; the rest in the background, after the frame. */
static gboolean
byline_spell_highlighter_soon_cb (gpointer user_data)
{
  BylineSpellHighlighter *self = user_data;
  gint64 deadline = g_get_monotonic_time () + SOON_USEC;
  GtkTextIter start, end;

  self->soon_id = 0;
  if (self->checker == NULL || self->view == NULL)
    return G_SOURCE_REMOVE;

  byline_spell_highlighter_update_window (self);
  gtk_text_buffer_get_iter_at_mark (self->buffer, &start, gtk_text_buffer_get_insert (self->buffer));
  end = start;
  gtk_text_iter_backward_chars (&start, NEAR_CURSOR_CHARS);
  gtk_text_iter_forward_chars (&end, NEAR_CURSOR_CHARS);
  byline_spell_highlighter_check_range (self, &start, &end, deadline);
  if (byline_spell_highlighter_has_unchecked (self))
    byline_spell_highlighter_queue_background (self);
  return G_SOURCE_REMOVE;
}

/* Before the frame: the text view lays text out at GDK_PRIORITY_REDRAW + 5, and the frame is
 * drawn at GDK_PRIORITY_REDRAW; G_PRIORITY_HIGH_IDLE comes before both, after the key events. */
static void
byline_spell_highlighter_queue_soon (BylineSpellHighlighter *self)
{
  if (self->soon_id == 0)
    self->soon_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, byline_spell_highlighter_soon_cb, self,
                                     NULL);
}

/* When nothing else waits: the screen first, then the rest, a slice at a time. */
static gboolean
byline_spell_highlighter_background_cb (gpointer user_data)
{
  BylineSpellHighlighter *self = user_data;
  gint64 deadline = g_get_monotonic_time () + SLICE_USEC;
  GtkTextIter start, end;
  gboolean finished;

  if (self->checker == NULL || self->view == NULL)
    {
      self->background_id = 0;
      return G_SOURCE_REMOVE;
    }

  byline_spell_highlighter_update_window (self);
  byline_spell_highlighter_get_visible (self, &start, &end);
  finished = byline_spell_highlighter_check_range (self, &start, &end, deadline);
  if (finished)
    {
      gtk_text_buffer_get_bounds (self->buffer, &start, &end);
      finished = byline_spell_highlighter_check_range (self, &start, &end, deadline);
    }

  /* All done, but for the word being typed, which waits for the pause. */
  if (finished)
    {
      self->background_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
byline_spell_highlighter_queue_background (BylineSpellHighlighter *self)
{
  if (self->background_id == 0)
    self->background_id = g_idle_add_full (G_PRIORITY_LOW, byline_spell_highlighter_background_cb,
                                           self, NULL);
}

static void
byline_spell_highlighter_dispose (GObject *object)
{
  BylineSpellHighlighter *self = BYLINE_SPELL_HIGHLIGHTER (object);

  g_clear_handle_id (&self->soon_id, g_source_remove);
  g_clear_handle_id (&self->background_id, g_source_remove);
  g_clear_handle_id (&self->pause_id, g_source_remove);
  if (self->buffer != NULL)
    {
      GtkTextTagTable *tags = gtk_text_buffer_get_tag_table (self->buffer);

      g_signal_handlers_disconnect_by_data (self->buffer, self);
      gtk_text_tag_table_remove (tags, self->tag);
      gtk_text_tag_table_remove (tags, self->unchecked_tag);
    }
  g_clear_object (&self->buffer);
  g_clear_weak_pointer (&self->view);
  g_clear_object (&self->checker);
  g_clear_object (&self->tag);
  g_clear_object (&self->unchecked_tag);

  G_OBJECT_CLASS (byline_spell_highlighter_parent_class)->dispose (object);
}

static void
byline_spell_highlighter_finalize (GObject *object)
{
  BylineSpellHighlighter *self = BYLINE_SPELL_HIGHLIGHTER (object);

  g_array_unref (self->words);

  G_OBJECT_CLASS (byline_spell_highlighter_parent_class)->finalize (object);
}

static void
byline_spell_highlighter_class_init (BylineSpellHighlighterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byline_spell_highlighter_dispose;
  object_class->finalize = byline_spell_highlighter_finalize;
}

static void
byline_spell_highlighter_init (BylineSpellHighlighter *self)
{
  self->words = g_array_new (FALSE, FALSE, sizeof (BylineSpellWord));
}

BylineSpellHighlighter *
byline_spell_highlighter_new (GtkTextView *view)
{
  BylineSpellHighlighter *self;
  GdkRGBA red = { 0.878, 0.106, 0.141, 1.0 };  /* GNOME's red 3 */

  g_return_val_if_fail (GTK_IS_TEXT_VIEW (view), NULL);
  g_return_val_if_fail (GTK_SOURCE_IS_BUFFER (gtk_text_view_get_buffer (view)), NULL);

  self = g_object_new (BYLINE_TYPE_SPELL_HIGHLIGHTER, NULL);
  g_set_weak_pointer (&self->view, view);
  self->buffer = g_object_ref (gtk_text_view_get_buffer (view));
  self->tag = g_object_ref (gtk_text_buffer_create_tag (self->buffer, NULL,
                                                        "underline", PANGO_UNDERLINE_ERROR,
                                                        "underline-rgba", &red,
                                                        NULL));
  self->unchecked_tag = g_object_ref (gtk_text_buffer_create_tag (self->buffer, NULL, NULL));

  g_signal_connect_object (self->buffer, "insert-text",
                           G_CALLBACK (byline_spell_highlighter_insert_text_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->buffer, "delete-range",
                           G_CALLBACK (byline_spell_highlighter_delete_range_cb), self,
                           G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  g_signal_connect_object (self->buffer, "highlight-updated",
                           G_CALLBACK (byline_spell_highlighter_highlight_updated_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->buffer, "notify::cursor-position",
                           G_CALLBACK (byline_spell_highlighter_cursor_moved_cb), self,
                           G_CONNECT_SWAPPED);
  return self;
}

void
byline_spell_highlighter_set_checker (BylineSpellHighlighter *self,
                                      BylineSpellChecker     *checker)
{
  GtkTextIter start, end;

  g_return_if_fail (BYLINE_IS_SPELL_HIGHLIGHTER (self));
  g_return_if_fail (!checker || BYLINE_IS_SPELL_CHECKER (checker));

  if (self->checker == checker)
    return;
  g_set_object (&self->checker, checker);

  gtk_text_buffer_get_bounds (self->buffer, &start, &end);
  if (checker == NULL)
    {
      /* Nothing checked: no word stays marked. */
      if (range_has_tag (&start, &end, self->tag))
        gtk_text_buffer_remove_tag (self->buffer, self->tag, &start, &end);
      gtk_text_buffer_remove_tag (self->buffer, self->unchecked_tag, &start, &end);
      g_clear_handle_id (&self->soon_id, g_source_remove);
      g_clear_handle_id (&self->background_id, g_source_remove);
      return;
    }

  /* Everything again; marks change only where the new language disagrees. */
  gtk_text_buffer_apply_tag (self->buffer, self->unchecked_tag, &start, &end);
  byline_spell_highlighter_queue_background (self);
}

BylineSpellChecker *
byline_spell_highlighter_get_checker (BylineSpellHighlighter *self)
{
  g_return_val_if_fail (BYLINE_IS_SPELL_HIGHLIGHTER (self), NULL);

  return self->checker;
}

GtkTextTag *
byline_spell_highlighter_get_tag (BylineSpellHighlighter *self)
{
  g_return_val_if_fail (BYLINE_IS_SPELL_HIGHLIGHTER (self), NULL);

  return self->tag;
}

gboolean
byline_spell_highlighter_is_idle (BylineSpellHighlighter *self)
{
  g_return_val_if_fail (BYLINE_IS_SPELL_HIGHLIGHTER (self), FALSE);

  return self->checker != NULL && !self->typing && !byline_spell_highlighter_has_unchecked (self);
}

void
byline_spell_highlighter_check_now (BylineSpellHighlighter *self)
{
  g_return_if_fail (BYLINE_IS_SPELL_HIGHLIGHTER (self));

  g_clear_handle_id (&self->pause_id, g_source_remove);
  g_clear_handle_id (&self->soon_id, g_source_remove);
  self->typing = FALSE;
  byline_spell_highlighter_soon_cb (self);
}

gboolean
byline_spell_highlighter_get_marked_word (BylineSpellHighlighter *self,
                                          const GtkTextIter      *iter,
                                          GtkTextIter            *start,
                                          GtkTextIter            *end)
{
  GtkTextIter word_start = *iter, word_end;

  g_return_val_if_fail (BYLINE_IS_SPELL_HIGHLIGHTER (self), FALSE);

  if (!gtk_text_iter_has_tag (&word_start, self->tag))
    {
      /* Just after a word, where the cursor is once it is typed. */
      if (!gtk_text_iter_backward_char (&word_start)
          || !gtk_text_iter_has_tag (&word_start, self->tag))
        return FALSE;
    }
  if (!gtk_text_iter_starts_tag (&word_start, self->tag))
    gtk_text_iter_backward_to_tag_toggle (&word_start, self->tag);
  word_end = word_start;
  gtk_text_iter_forward_to_tag_toggle (&word_end, self->tag);
  if (start != NULL)
    *start = word_start;
  if (end != NULL)
    *end = word_end;
  return TRUE;
}

void
byline_spell_highlighter_unmark_word (BylineSpellHighlighter *self,
                                      const char             *word)
{
  GtkTextIter run_start, run_end;

  g_return_if_fail (BYLINE_IS_SPELL_HIGHLIGHTER (self));
  g_return_if_fail (word != NULL);

  gtk_text_buffer_get_start_iter (self->buffer, &run_start);
  for (;;)
    {
      g_autofree char *text = NULL;

      if (!gtk_text_iter_has_tag (&run_start, self->tag)
          && !gtk_text_iter_forward_to_tag_toggle (&run_start, self->tag))
        return;
      run_end = run_start;
      if (!gtk_text_iter_forward_to_tag_toggle (&run_end, self->tag))
        return;
      text = gtk_text_iter_get_slice (&run_start, &run_end);
      if (g_str_equal (text, word))
        gtk_text_buffer_remove_tag (self->buffer, self->tag, &run_start, &run_end);
      run_start = run_end;
    }
}
