/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-post-changes-view.c: what an update would change on the live post, and on a conflict
 * what each side changed, with their merge.
 *
 * Fields are rows ("Title", "old → new"); the text is the reader's text with deleted words
 * struck through and inserted ones underlined, as well as coloured, so that the difference does
 * not rest on colour alone. When the site changed since the draft was linked to it, two more
 * lists say what the site changed and what the draft changed, and Merge takes the site's
 * changes into the draft when they do not overlap. */

#define G_LOG_DOMAIN "byline-publish"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "byline-post-changes-view.h"

struct _BylinePostChangesView
{
  GtkBox             parent_instance;

  BylineAccounts    *accounts;
  BylineDraft       *draft;
  BylinePostChanges *changes;
  GCancellable      *cancellable;
  /* The draft's change serial when it was compared: a merge worked out on an older draft would
   * overwrite what was typed since. */
  guint64            compared_serial;

  GtkLabel          *status_label;
  GtkListBox        *fields_list;
  GtkTextView       *text_view;
  GtkBox            *sides_box;
  GtkLabel          *sides_label;
  GtkListBox        *theirs_list;
  GtkListBox        *mine_list;
  GtkLabel          *merge_label;
  GtkButton         *merge_button;

  guint              take_focus : 1;
};

enum {
  MERGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BylinePostChangesView, byline_post_changes_view, GTK_TYPE_BOX)

/* A field's value as a person reads it. */
static char *
describe_value (BylinePostField  field,
                const char      *value)
{
  if (field == BYLINE_POST_FIELD_FEATURED_IMAGE)
    {
      if (value == NULL || *value == '\0')
        return g_strdup (_("none"));
      if (g_str_has_prefix (value, "media:"))
        return g_strdup_printf (_("image %s"), value + strlen ("media:"));
      return g_strdup (_("an image being uploaded"));
    }
  if (value == NULL || *value == '\0')
    return g_strdup (_("(empty)"));
  return g_strdelimit (g_strdup (value), "\r\n", ' ');
}

static void
clear_list (GtkListBox *list)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (list))) != NULL)
    gtk_list_box_remove (list, child);
}

/* The rows of @changes; the text's says @text_note (where its words are shown, if they are). */
static void
fill_list (GtkListBox *list,
           GPtrArray  *changes,
           const char *text_note)
{
  clear_list (list);
  for (guint i = 0; changes != NULL && i < changes->len; i++)
    {
      BylinePostChange *change = g_ptr_array_index (changes, i);
      g_autofree char *old_value = describe_value (change->field, change->old_value);
      g_autofree char *new_value = describe_value (change->field, change->new_value);
      g_autofree char *subtitle = NULL;
      g_autofree char *accessible = NULL;
      GtkWidget *row = adw_action_row_new ();

      if (change->field == BYLINE_POST_FIELD_CONTENT)
        {
          g_free (old_value);
          g_free (new_value);
          old_value = g_strdup (_("the earlier text"));
          new_value = g_strdup (_("the changed text"));
          subtitle = g_strdup (text_note);
        }
      else
        subtitle = g_strdup_printf ("%s → %s", old_value, new_value);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row),
                                     byline_post_field_get_label (change->field));
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      /* Translators: a field of a post, its value before and after. */
      accessible = g_strdup_printf (_("%s: from “%s” to “%s”"),
                                    byline_post_field_get_label (change->field), old_value,
                                    new_value);
      gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      accessible, -1);
      gtk_list_box_append (list, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (list), changes != NULL && changes->len > 0);
}

static void
fill_text (BylinePostChangesView *self,
           GPtrArray             *runs)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (self->text_view);
  GtkTextIter end;
  gboolean changed = FALSE;

  gtk_text_buffer_set_text (buffer, "", 0);
  for (guint i = 0; runs != NULL && i < runs->len; i++)
    {
      BylineWordRun *run = g_ptr_array_index (runs, i);

      gtk_text_buffer_get_end_iter (buffer, &end);
      if (run->op == BYLINE_DIFF_EQUAL)
        gtk_text_buffer_insert (buffer, &end, run->text, -1);
      else
        {
          BylineWordRun *before = i > 0 ? g_ptr_array_index (runs, i - 1) : NULL;

          /* A word replaced by another: a space between them, or they read as one. */
          if (run->op == BYLINE_DIFF_INSERT && before != NULL && before->op == BYLINE_DIFF_DELETE
              && !g_ascii_isspace (before->text[strlen (before->text) - 1])
              && !g_ascii_isspace (run->text[0]))
            {
              gtk_text_buffer_insert (buffer, &end, " ", 1);
              gtk_text_buffer_get_end_iter (buffer, &end);
            }
          gtk_text_buffer_insert_with_tags_by_name (buffer, &end, run->text, -1,
                                                    run->op == BYLINE_DIFF_DELETE
                                                    ? "deleted" : "inserted", NULL);
          changed = TRUE;
        }
    }
  gtk_widget_set_visible (GTK_WIDGET (self->text_view), changed);
}

static void
show_changes (BylinePostChangesView *self)
{
  BylinePostChanges *changes = self->changes;
  gboolean any = changes->changes->len > 0;

  fill_list (self->fields_list, changes->changes, _("changed, word by word below"));
  fill_text (self, changes->text_runs);
  gtk_label_set_label (self->status_label,
                       any ? _("Publishing the draft now would change these on the live post.")
                           : _("The live post is the same as what would be sent."));

  gtk_widget_set_visible (GTK_WIDGET (self->sides_box), changes->site_changed);
  if (!changes->site_changed)
    return;
  if (changes->merge == NULL)
    {
      gtk_label_set_label (self->sides_label,
                           _("The post changed on the site since this draft was last published "
                             "or opened. Byline kept no earlier version of it, so it cannot tell "
                             "whose changes are whose: Keep Mine or Take Theirs."));
      fill_list (self->theirs_list, NULL, NULL);
      fill_list (self->mine_list, NULL, NULL);
      gtk_widget_set_visible (GTK_WIDGET (self->merge_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->merge_button), FALSE);
      return;
    }
  gtk_label_set_label (self->sides_label,
                       _("The post changed on the site since this draft was last published or "
                         "opened. Changed on the site, then in your draft:"));
  fill_list (self->theirs_list, changes->theirs_changes, _("changed"));
  fill_list (self->mine_list, changes->mine_changes, _("changed"));
  gtk_widget_set_visible (GTK_WIDGET (self->merge_label), TRUE);
  gtk_widget_set_visible (GTK_WIDGET (self->merge_button), TRUE);
  gtk_widget_set_sensitive (GTK_WIDGET (self->merge_button), changes->merge->n_conflicts == 0);
  if (changes->merge->n_conflicts == 0)
    gtk_label_set_label (self->merge_label,
                         _("The changes do not overlap: Merge takes the site’s into your draft, "
                           "then Update sends both."));
  else
    {
      g_autoptr(GString) fields = g_string_new (NULL);

      for (BylinePostField field = 0; field < BYLINE_POST_N_FIELDS; field++)
        if (changes->merge->outcomes[field] == BYLINE_MERGE_CONFLICT)
          g_string_append_printf (fields, "%s%s", fields->len ? ", " : "",
                                  byline_post_field_get_label (field));
      {
        g_autofree char *text =
          g_strdup_printf (_("Both changed the same place differently (%s): choose Keep Mine or "
                             "Take Theirs, or edit your draft and compare again."), fields->str);

        gtk_label_set_label (self->merge_label, text);
      }
    }
}

static void
byline_post_changes_view_compare_cb (GObject      *object,
                                     GAsyncResult *result,
                                     gpointer      user_data)
{
  g_autoptr(BylinePostChangesView) self = user_data;
  g_autoptr(GError) error = NULL;
  BylinePostChanges *changes = byline_post_changes_load_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_pointer (&self->changes, byline_post_changes_free);
  if (changes == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Could not compare with the live post: %s"),
                                               error->message);

      gtk_label_set_label (self->status_label, text);
      return;
    }
  self->changes = changes;
  show_changes (self);
  /* After a change on the site, to the choice it calls for; else to the first change. */
  if (self->take_focus && gtk_widget_get_visible (GTK_WIDGET (self->merge_button))
      && gtk_widget_get_sensitive (GTK_WIDGET (self->merge_button)))
    gtk_widget_grab_focus (GTK_WIDGET (self->merge_button));
  else if (self->take_focus)
    gtk_widget_child_focus (GTK_WIDGET (self), GTK_DIR_TAB_FORWARD);
}

void
byline_post_changes_view_compare (BylinePostChangesView      *self,
                                  BylineAccounts             *accounts,
                                  BylineDraft                *draft,
                                  const BylinePublishOptions *options,
                                  gboolean                    take_focus)
{
  g_return_if_fail (BYLINE_IS_POST_CHANGES_VIEW (self));
  g_return_if_fail (BYLINE_IS_ACCOUNTS (accounts));
  g_return_if_fail (BYLINE_IS_DRAFT (draft));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_set_object (&self->accounts, accounts);
  g_set_object (&self->draft, draft);
  self->take_focus = take_focus;
  self->compared_serial = byline_draft_get_change_serial (draft);

  gtk_label_set_label (self->status_label, _("Comparing with the live post…"));
  byline_post_changes_load_async (byline_accounts_get_store (accounts), accounts, draft, options,
                                  self->cancellable, byline_post_changes_view_compare_cb,
                                  g_object_ref (self));
}

static void
byline_post_changes_view_merge_clicked_cb (BylinePostChangesView *self)
{
  g_autoptr(BylineDraft) merged = NULL;
  g_autoptr(GError) error = NULL;
  BylineStore *store;

  if (self->changes == NULL || self->changes->merge == NULL
      || self->changes->merge->n_conflicts > 0)
    return;
  if (byline_draft_get_change_serial (self->draft) != self->compared_serial)
    {
      gtk_label_set_label (self->merge_label, _("Not merged: the draft changed since it was "
                                                "compared. Compare again (Alt+C), then merge."));
      return;
    }

  merged = byline_draft_copy (self->draft);
  byline_post_merge_apply (self->changes->merge, merged);
  /* The post details are the draft's own; the title and text go through the editor, which
   * keeps a revision and its undo. */
  byline_draft_set_excerpt (self->draft, byline_draft_get_excerpt (merged));
  byline_draft_set_slug (self->draft, byline_draft_get_slug (merged));
  byline_draft_set_categories (self->draft, byline_draft_get_categories (merged));
  byline_draft_set_tags (self->draft, byline_draft_get_tags (merged));
  byline_draft_set_featured_image (self->draft, byline_draft_get_featured_image (merged));
  g_signal_emit (self, signals[MERGED], 0, merged);

  store = byline_accounts_get_store (self->accounts);
  if (!byline_store_save_draft (store, self->draft, BYLINE_SAVE_EXPLICIT, NULL, &error)
      || !byline_post_changes_rebase (store, byline_draft_get_id (self->draft), self->changes,
                                      &error))
    {
      g_autofree char *text = g_strdup_printf (_("Could not merge: %s"), error->message);

      gtk_label_set_label (self->merge_label, text);
      return;
    }
  gtk_label_set_label (self->merge_label,
                       _("Merged: your draft has the site’s changes and yours. Update sends "
                         "them."));
  gtk_widget_set_sensitive (GTK_WIDGET (self->merge_button), FALSE);
}

char *
byline_post_changes_view_dup_marked_text (BylinePostChangesView *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (BYLINE_IS_POST_CHANGES_VIEW (self), g_string_free (out, FALSE));

  for (guint i = 0; self->changes != NULL && i < self->changes->text_runs->len; i++)
    {
      BylineWordRun *run = g_ptr_array_index (self->changes->text_runs, i);

      if (run->op == BYLINE_DIFF_DELETE)
        g_string_append_printf (out, "[-%s-]", run->text);
      else if (run->op == BYLINE_DIFF_INSERT)
        g_string_append_printf (out, "{+%s+}", run->text);
      else
        g_string_append (out, run->text);
    }
  return g_string_free (out, FALSE);
}

static GtkListBox *
new_list (const char *accessible_label)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_widget_set_visible (list, FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  accessible_label, -1);
  return GTK_LIST_BOX (list);
}

static GtkLabel *
new_label (void)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  return GTK_LABEL (label);
}

static void
byline_post_changes_view_dispose (GObject *object)
{
  BylinePostChangesView *self = BYLINE_POST_CHANGES_VIEW (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->accounts);
  g_clear_object (&self->draft);
  g_clear_pointer (&self->changes, byline_post_changes_free);

  G_OBJECT_CLASS (byline_post_changes_view_parent_class)->dispose (object);
}

static void
byline_post_changes_view_class_init (BylinePostChangesViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = byline_post_changes_view_dispose;

  signals[MERGED] = g_signal_new ("merged", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                  NULL, NULL, G_TYPE_NONE, 1, BYLINE_TYPE_DRAFT);
}

static void
byline_post_changes_view_init (BylinePostChangesView *self)
{
  GtkTextBuffer *buffer;
  GdkRGBA deleted_color = { 0.88, 0.11, 0.14, 0.25 };
  GdkRGBA inserted_color = { 0.18, 0.76, 0.49, 0.25 };
  GtkWidget *sides_heading;

  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 12);

  self->status_label = new_label ();
  gtk_label_set_label (self->status_label, _("Not compared with the live post yet."));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->status_label));

  self->fields_list = new_list (_("What an update changes on the live post"));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->fields_list));

  self->text_view = GTK_TEXT_VIEW (gtk_text_view_new ());
  gtk_text_view_set_editable (self->text_view, FALSE);
  gtk_text_view_set_cursor_visible (self->text_view, TRUE);
  gtk_text_view_set_wrap_mode (self->text_view, GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_left_margin (self->text_view, 12);
  gtk_text_view_set_right_margin (self->text_view, 12);
  gtk_text_view_set_top_margin (self->text_view, 12);
  gtk_text_view_set_bottom_margin (self->text_view, 12);
  gtk_widget_add_css_class (GTK_WIDGET (self->text_view), "card");
  gtk_widget_set_visible (GTK_WIDGET (self->text_view), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->text_view),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("The text’s changes: deleted words struck through, inserted "
                                    "words underlined"), -1);
  buffer = gtk_text_view_get_buffer (self->text_view);
  gtk_text_buffer_create_tag (buffer, "deleted", "strikethrough", TRUE,
                              "background-rgba", &deleted_color, NULL);
  gtk_text_buffer_create_tag (buffer, "inserted", "underline", PANGO_UNDERLINE_SINGLE,
                              "background-rgba", &inserted_color, NULL);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->text_view));

  self->sides_box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  gtk_widget_set_visible (GTK_WIDGET (self->sides_box), FALSE);
  self->sides_label = new_label ();
  gtk_box_append (self->sides_box, GTK_WIDGET (self->sides_label));
  sides_heading = gtk_label_new (_("Changed on the site"));
  gtk_label_set_xalign (GTK_LABEL (sides_heading), 0);
  gtk_widget_add_css_class (sides_heading, "heading");
  gtk_box_append (self->sides_box, sides_heading);
  self->theirs_list = new_list (_("Changed on the site"));
  gtk_box_append (self->sides_box, GTK_WIDGET (self->theirs_list));
  sides_heading = gtk_label_new (_("Changed in your draft"));
  gtk_label_set_xalign (GTK_LABEL (sides_heading), 0);
  gtk_widget_add_css_class (sides_heading, "heading");
  gtk_box_append (self->sides_box, sides_heading);
  self->mine_list = new_list (_("Changed in your draft"));
  gtk_box_append (self->sides_box, GTK_WIDGET (self->mine_list));
  self->merge_label = new_label ();
  gtk_box_append (self->sides_box, GTK_WIDGET (self->merge_label));
  self->merge_button = GTK_BUTTON (gtk_button_new_with_mnemonic (_("_Merge")));
  gtk_widget_set_halign (GTK_WIDGET (self->merge_button), GTK_ALIGN_START);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->merge_button),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Merge the site’s changes into your draft"), -1);
  g_signal_connect_object (self->merge_button, "clicked",
                           G_CALLBACK (byline_post_changes_view_merge_clicked_cb), self,
                           G_CONNECT_SWAPPED);
  gtk_box_append (self->sides_box, GTK_WIDGET (self->merge_button));
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (self->sides_box));
}

BylinePostChangesView *
byline_post_changes_view_new (void)
{
  return g_object_new (BYLINE_TYPE_POST_CHANGES_VIEW, NULL);
}
