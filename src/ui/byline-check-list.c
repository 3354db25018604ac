/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-check-list.c: the pre-publish check's findings, one row each, that take you there.
 *
 * What the draft itself says (spelling, images, fields) is known at once; the links need the
 * network and take up to the link checker's timeout. So the check runs in two steps, and the
 * list shows the first step's findings while the second one's spinner turns. */

#define G_LOG_DOMAIN "byline-check"

#include "config.h"

#include <glib/gi18n.h>

#include "byline-check-list.h"
#include "byline-override-dialog.h"

struct _BylineCheckList
{
  GtkWidget   parent_instance;

  GPtrArray  *findings;

  GtkBox     *box;
  GtkSpinner *spinner;
  GtkLabel   *summary_label;
  GtkListBox *list;

  /* Which check is the latest: an older one's answer is not shown over a newer one's. */
  guint       serial;
};

enum {
  FINDING_ACTIVATED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

G_DEFINE_FINAL_TYPE (BylineCheckList, byline_check_list, GTK_TYPE_WIDGET)

char *
byline_check_list_dup_place (const BylineFinding *finding)
{
  g_return_val_if_fail (finding != NULL, NULL);

  switch (finding->field)
    {
    case BYLINE_CHECK_FIELD_BODY:
      if (finding->line == 0)
        return g_strdup (_("Text"));
      /* Translators: where a finding is in the draft's text */
      return g_strdup_printf (_("Line %u, column %u"), finding->line, finding->column);
    case BYLINE_CHECK_FIELD_TITLE:
      return g_strdup (_("Title"));
    case BYLINE_CHECK_FIELD_EXCERPT:
      return g_strdup (_("Excerpt"));
    case BYLINE_CHECK_FIELD_SLUG:
      return g_strdup (_("Slug"));
    case BYLINE_CHECK_FIELD_CATEGORIES:
      return g_strdup (_("Categories"));
    case BYLINE_CHECK_FIELD_TAGS:
      return g_strdup (_("Tags"));
    case BYLINE_CHECK_FIELD_FEATURED_IMAGE:
      return g_strdup (_("Featured image"));
    case BYLINE_CHECK_FIELD_PUBLISH_DATE:
      return g_strdup (_("Date"));
    default:
      g_assert_not_reached ();
    }
}

static GtkWidget *
byline_check_list_make_row (const BylineFinding *finding)
{
  gboolean blocks = finding->severity == BYLINE_CHECK_BLOCKING;
  g_autofree char *place = byline_check_list_dup_place (finding);
  g_autofree char *name = NULL;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *texts = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *icon = gtk_image_new_from_icon_name (blocks ? "dialog-error-symbolic"
                                                         : "dialog-warning-symbolic");
  GtkWidget *message = gtk_label_new (finding->message);
  GtkWidget *where = gtk_label_new (place);

  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  gtk_widget_add_css_class (icon, blocks ? "error" : "warning");
  /* The icon says it to the eye; the row's name says it to a screen reader. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  blocks ? _("Stops the post") : _("Warning"), -1);
  gtk_widget_set_tooltip_text (icon, blocks ? _("Stops the post until fixed or overridden")
                                            : _("A warning: the post can go out"));

  gtk_label_set_xalign (GTK_LABEL (message), 0);
  gtk_label_set_wrap (GTK_LABEL (message), TRUE);
  gtk_label_set_wrap_mode (GTK_LABEL (message), PANGO_WRAP_WORD_CHAR);
  gtk_label_set_xalign (GTK_LABEL (where), 0);
  gtk_widget_add_css_class (where, "dim-label");
  gtk_widget_add_css_class (where, "caption");
  gtk_box_append (GTK_BOX (texts), message);
  gtk_box_append (GTK_BOX (texts), where);
  gtk_widget_set_hexpand (texts, TRUE);

  gtk_widget_set_margin_top (box, 9);
  gtk_widget_set_margin_bottom (box, 9);
  gtk_widget_set_margin_start (box, 12);
  gtk_widget_set_margin_end (box, 12);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), texts);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);

  /* Translators: a finding of the pre-publish check read aloud: whether it stops the post, what
   * it is, and where */
  name = g_strdup_printf (_("%s: %s (%s)"), blocks ? _("Stops the post") : _("Warning"),
                          finding->message, place);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  return row;
}

static void
byline_check_list_show_summary (BylineCheckList *self)
{
  guint blocking = 0, warnings = 0;
  g_autofree char *blocking_text = NULL;
  g_autofree char *warnings_text = NULL;

  for (guint i = 0; i < self->findings->len; i++)
    {
      BylineFinding *finding = g_ptr_array_index (self->findings, i);

      if (finding->severity == BYLINE_CHECK_BLOCKING)
        blocking++;
      else
        warnings++;
    }

  if (blocking == 0 && warnings == 0)
    {
      gtk_label_set_label (self->summary_label, _("No problems found."));
      return;
    }
  blocking_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u problem stops the post",
                                                "%u problems stop the post", blocking),
                                   blocking);
  warnings_text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u warning", "%u warnings",
                                                warnings),
                                   warnings);
  if (blocking == 0)
    gtk_label_set_label (self->summary_label, warnings_text);
  else if (warnings == 0)
    gtk_label_set_label (self->summary_label, blocking_text);
  else
    {
      /* Translators: "2 problems stop the post, 3 warnings" */
      g_autofree char *both = g_strdup_printf (_("%s, %s"), blocking_text, warnings_text);

      gtk_label_set_label (self->summary_label, both);
    }
}

/* Shows @findings (taking them), the summary saying @busy_text while more are coming. */
static void
byline_check_list_show (BylineCheckList *self,
                        GPtrArray       *findings,
                        const char      *busy_text)
{
  GtkWidget *child;

  g_clear_pointer (&self->findings, g_ptr_array_unref);
  self->findings = findings;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))) != NULL)
    gtk_list_box_remove (self->list, child);
  for (guint i = 0; i < findings->len; i++)
    gtk_list_box_append (self->list, byline_check_list_make_row (g_ptr_array_index (findings, i)));
  gtk_widget_set_visible (GTK_WIDGET (self->list), findings->len > 0);

  gtk_spinner_set_spinning (self->spinner, busy_text != NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy_text != NULL);
  if (busy_text != NULL)
    gtk_label_set_label (self->summary_label, busy_text);
  else
    byline_check_list_show_summary (self);
}

/* The body's findings in the order of the text, then the fields' in the order given. */
static int
compare_findings (gconstpointer a,
                  gconstpointer b)
{
  const BylineFinding *first = *(BylineFinding * const *) a;
  const BylineFinding *second = *(BylineFinding * const *) b;
  gboolean first_in_body = first->field == BYLINE_CHECK_FIELD_BODY;
  gboolean second_in_body = second->field == BYLINE_CHECK_FIELD_BODY;

  if (first_in_body != second_in_body)
    return first_in_body ? -1 : 1;
  if (!first_in_body)
    return 0;
  return first->offset < second->offset ? -1 : first->offset > second->offset;
}

typedef struct {
  BylinePrepublishCheck *check;
  BylineDraft           *draft;
  gint64                 account_id;
  guint                  serial;
  GPtrArray             *local;
} CheckRun;

static void
check_run_free (CheckRun *run)
{
  g_clear_object (&run->check);
  g_clear_object (&run->draft);
  g_clear_pointer (&run->local, g_ptr_array_unref);
  g_free (run);
}

static void
byline_check_list_links_done_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BylineCheckList *self = g_task_get_source_object (task);
  CheckRun *run = g_task_get_task_data (task);
  g_autoptr(GPtrArray) links = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;

  links = byline_prepublish_check_run_finish (BYLINE_PREPUBLISH_CHECK (object), result, &error);
  if (links == NULL)
    {
      if (run->serial == self->serial)
        byline_check_list_show (self, g_ptr_array_ref (run->local), NULL);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  all = g_ptr_array_new_with_free_func ((GDestroyNotify) byline_finding_free);
  for (guint i = 0; i < run->local->len; i++)
    g_ptr_array_add (all, g_ptr_array_steal_index (run->local, i--));
  g_ptr_array_extend_and_steal (all, g_steal_pointer (&links));
  g_ptr_array_sort (all, compare_findings);
  if (run->serial == self->serial)
    byline_check_list_show (self, g_ptr_array_ref (all), NULL);
  g_task_return_pointer (task, g_steal_pointer (&all), (GDestroyNotify) g_ptr_array_unref);
}

static void
byline_check_list_local_done_cb (GObject      *object,
                                 GAsyncResult *result,
                                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BylineCheckList *self = g_task_get_source_object (task);
  CheckRun *run = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;

  run->local = byline_prepublish_check_run_finish (BYLINE_PREPUBLISH_CHECK (object), result,
                                                   &error);
  if (run->local == NULL)
    {
      if (run->serial == self->serial)
        {
          gtk_spinner_set_spinning (self->spinner, FALSE);
          gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
          gtk_label_set_label (self->summary_label, error->message);
        }
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (run->serial == self->serial)
    byline_check_list_show (self, g_ptr_array_ref (run->local), _("Checking the links…"));
  byline_prepublish_check_run_async (run->check, run->draft, run->account_id,
                                     BYLINE_CHECK_RUN_LINKS, g_task_get_cancellable (task),
                                     byline_check_list_links_done_cb, g_object_ref (task));
}

void
byline_check_list_check_async (BylineCheckList       *self,
                               BylinePrepublishCheck *check,
                               BylineDraft           *draft,
                               gint64                 account_id,
                               GCancellable          *cancellable,
                               GAsyncReadyCallback    callback,
                               gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  CheckRun *run;

  g_return_if_fail (BYLINE_IS_CHECK_LIST (self));
  g_return_if_fail (BYLINE_IS_PREPUBLISH_CHECK (check));
  g_return_if_fail (BYLINE_IS_DRAFT (draft));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_check_list_check_async);
  run = g_new0 (CheckRun, 1);
  run->check = g_object_ref (check);
  run->draft = g_object_ref (draft);
  run->account_id = account_id;
  run->serial = ++self->serial;
  g_task_set_task_data (task, run, (GDestroyNotify) check_run_free);

  gtk_widget_set_visible (GTK_WIDGET (self->spinner), TRUE);
  gtk_spinner_set_spinning (self->spinner, TRUE);
  gtk_label_set_label (self->summary_label, _("Checking…"));
  byline_prepublish_check_run_async (check, draft, account_id, BYLINE_CHECK_RUN_LOCAL, cancellable,
                                     byline_check_list_local_done_cb, g_steal_pointer (&task));
}

GPtrArray *
byline_check_list_check_finish (BylineCheckList *self,
                                GAsyncResult    *result,
                                GError         **error)
{
  g_return_val_if_fail (BYLINE_IS_CHECK_LIST (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct {
  BylinePrepublishCheck *check;
  gint64                 draft_id;
  gint64                 account_id;
  char                  *override_label;
  GPtrArray             *findings;
  GtkEditable           *reason_entry;
} SendRequest;

static void
send_request_free (SendRequest *request)
{
  g_clear_object (&request->check);
  g_free (request->override_label);
  g_clear_pointer (&request->findings, g_ptr_array_unref);
  g_free (request);
}

static void
byline_check_list_override_response_cb (AdwMessageDialog *dialog,
                                        const char       *response,
                                        gpointer          user_data)
{
  g_autoptr(GTask) task = user_data;
  SendRequest *request = g_task_get_task_data (task);
  g_autofree char *reason = byline_override_dialog_dup_reason (request->reason_entry);
  g_autoptr(GError) error = NULL;

  if (!g_str_equal (response, "override") || *reason == '\0')
    {
      g_task_return_boolean (task, FALSE);
      return;
    }
  if (!byline_prepublish_check_record_override (request->check, request->draft_id,
                                                request->account_id, reason, request->findings,
                                                &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_boolean (task, TRUE);
}

static void
byline_check_list_checked_to_send_cb (GObject      *object,
                                      GAsyncResult *result,
                                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  BylineCheckList *self = BYLINE_CHECK_LIST (object);
  SendRequest *request = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GtkRoot *root;
  AdwMessageDialog *dialog;

  request->findings = byline_check_list_check_finish (self, result, &error);
  if (request->findings == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (!byline_findings_block (request->findings))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  root = gtk_widget_get_root (GTK_WIDGET (self));
  dialog = byline_override_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                       request->findings, request->override_label,
                                       &request->reason_entry);
  g_signal_connect (dialog, "response", G_CALLBACK (byline_check_list_override_response_cb),
                    g_steal_pointer (&task));
  gtk_window_present (GTK_WINDOW (dialog));
}

void
byline_check_list_clear_to_send_async (BylineCheckList       *self,
                                       BylinePrepublishCheck *check,
                                       BylineDraft           *draft,
                                       gint64                 account_id,
                                       const char            *override_label,
                                       GCancellable          *cancellable,
                                       GAsyncReadyCallback    callback,
                                       gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  SendRequest *request;

  g_return_if_fail (BYLINE_IS_CHECK_LIST (self));
  g_return_if_fail (BYLINE_IS_PREPUBLISH_CHECK (check));
  g_return_if_fail (BYLINE_IS_DRAFT (draft));
  g_return_if_fail (override_label != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, byline_check_list_clear_to_send_async);
  request = g_new0 (SendRequest, 1);
  request->check = g_object_ref (check);
  request->draft_id = byline_draft_get_id (draft);
  request->account_id = account_id;
  request->override_label = g_strdup (override_label);
  g_task_set_task_data (task, request, (GDestroyNotify) send_request_free);
  byline_check_list_check_async (self, check, draft, account_id, cancellable,
                                 byline_check_list_checked_to_send_cb, g_steal_pointer (&task));
}

gboolean
byline_check_list_clear_to_send_finish (BylineCheckList *self,
                                        GAsyncResult    *result,
                                        GError         **error)
{
  g_return_val_if_fail (BYLINE_IS_CHECK_LIST (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

GPtrArray *
byline_check_list_get_findings (BylineCheckList *self)
{
  g_return_val_if_fail (BYLINE_IS_CHECK_LIST (self), NULL);

  return self->findings;
}

gboolean
byline_check_list_focus_first (BylineCheckList *self)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (BYLINE_IS_CHECK_LIST (self), FALSE);

  row = gtk_list_box_get_row_at_index (self->list, 0);
  return row != NULL && gtk_widget_grab_focus (GTK_WIDGET (row));
}

static void
byline_check_list_row_activated_cb (BylineCheckList *self,
                                    GtkListBoxRow   *row)
{
  int index = gtk_list_box_row_get_index (row);

  if (self->findings != NULL && index >= 0 && (guint) index < self->findings->len)
    g_signal_emit (self, signals[FINDING_ACTIVATED], 0,
                   g_ptr_array_index (self->findings, index));
}

static void
byline_check_list_dispose (GObject *object)
{
  BylineCheckList *self = BYLINE_CHECK_LIST (object);

  if (self->box != NULL)
    {
      gtk_widget_unparent (GTK_WIDGET (self->box));
      self->box = NULL;
    }
  g_clear_pointer (&self->findings, g_ptr_array_unref);

  G_OBJECT_CLASS (byline_check_list_parent_class)->dispose (object);
}

static void
byline_check_list_class_init (BylineCheckListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = byline_check_list_dispose;

  signals[FINDING_ACTIVATED] = g_signal_new ("finding-activated", G_TYPE_FROM_CLASS (klass),
                                             G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE,
                                             1, G_TYPE_POINTER);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
byline_check_list_init (BylineCheckList *self)
{
  GtkWidget *header = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);

  self->box = GTK_BOX (gtk_box_new (GTK_ORIENTATION_VERTICAL, 12));
  gtk_widget_set_parent (GTK_WIDGET (self->box), GTK_WIDGET (self));

  self->spinner = GTK_SPINNER (gtk_spinner_new ());
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->spinner), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Checking"), -1);
  self->summary_label = GTK_LABEL (gtk_label_new (_("Publishing checks the post first; "
                                                    "Ctrl+Shift+K checks it now.")));
  gtk_label_set_xalign (self->summary_label, 0);
  gtk_label_set_wrap (self->summary_label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->summary_label), TRUE);
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->spinner));
  gtk_box_append (GTK_BOX (header), GTK_WIDGET (self->summary_label));
  gtk_box_append (self->box, header);

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_widget_set_visible (GTK_WIDGET (self->list), FALSE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Findings of the check"), -1);
  gtk_box_append (self->box, GTK_WIDGET (self->list));
  g_signal_connect_object (self->list, "row-activated",
                           G_CALLBACK (byline_check_list_row_activated_cb), self,
                           G_CONNECT_SWAPPED);
}

GtkWidget *
byline_check_list_new (void)
{
  return g_object_new (BYLINE_TYPE_CHECK_LIST, NULL);
}
