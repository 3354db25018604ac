/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-list-pacer.c: a GListModel over another that lets a list view take a big addition a
 * few rows a frame.
 *
 * GTK 4.8's list view makes, binds and lays out a row for up to 200 items at once: when a
 * model goes from none to thousands (an undo putting back 10,000 comments, a view opened),
 * that is one long frame. Given the first rows of such an addition at once and the next ones
 * a few each frame until past those 200, each frame stays short; the items further on come
 * all together, since no row is made for them. Only an addition at the end of what is shown
 * is paced: one above rows already shown passes through, or those rows (and a selection on
 * one of them) would leave the list for a few frames. Any other change passes through as it
 * is, also while an addition is paced. Positions are the model's: the first n_items of it are
 * these. */

#include "config.h"

#include "byline-list-pacer.h"

/* Rows in the first frame (which also draws the rest of the window anew), in each one after,
 * and from how many on the rest comes at once. */
#define FIRST     16
#define STEP      48
#define PACED_TO  256

struct _BylineListPacer
{
  GObject     parent_instance;

  GListModel *model;
  GtkWidget  *view;         /* weak */
  guint       limit;        /* how many of the model to show; G_MAXUINT: all */
  guint       n_shown;
  guint       tick_id;
  gulong      changed_id;
  gulong      unrealize_id;
};

static void byline_list_pacer_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BylineListPacer, byline_list_pacer, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      byline_list_pacer_list_model_init))

static GType
get_item_type (GListModel *model)
{
  return g_list_model_get_item_type (BYLINE_LIST_PACER (model)->model);
}

static guint
get_n_items (GListModel *model)
{
  return BYLINE_LIST_PACER (model)->n_shown;
}

static gpointer
get_item (GListModel *model,
          guint       position)
{
  BylineListPacer *self = BYLINE_LIST_PACER (model);

  if (position >= self->n_shown)
    return NULL;
  return g_list_model_get_item (self->model, position);
}

static void
byline_list_pacer_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = get_item_type;
  iface->get_n_items = get_n_items;
  iface->get_item = get_item;
}

/* Shows MIN (limit, the model's items) from now on, the model having changed (or not) at
 * @position, @removed for @added since the last report. */
static void
report (BylineListPacer *self,
        guint            position,
        guint            removed,
        guint            added)
{
  guint old = self->n_shown;
  guint now = MIN (self->limit, g_list_model_get_n_items (self->model));

  if (position + removed <= old && position + added <= now)
    {
      /* The change falls in what is shown: as it is, then the end follows the limit. (A
       * model has, during each signal, the items that signal says it has.) */
      guint count = old - removed + added;

      self->n_shown = count;
      if (removed > 0 || added > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
      self->n_shown = now;
      if (count > now)
        g_list_model_items_changed (G_LIST_MODEL (self), now, count - now, 0);
      else if (count < now)
        g_list_model_items_changed (G_LIST_MODEL (self), count, 0, now - count);
    }
  else
    {
      guint from = MIN (position, old);

      self->n_shown = now;
      if (from < old || from < now)
        g_list_model_items_changed (G_LIST_MODEL (self), from, old - from, now - from);
    }
}

static gboolean
tick_cb (GtkWidget     *view,
         GdkFrameClock *clock,
         gpointer       user_data)
{
  BylineListPacer *self = user_data;

  self->limit = self->limit + STEP >= PACED_TO ? G_MAXUINT : self->limit + STEP;
  report (self, self->n_shown, 0, 0);
  if (self->limit != G_MAXUINT)
    return G_SOURCE_CONTINUE;
  self->tick_id = 0;
  return G_SOURCE_REMOVE;
}

static void
stop_pacing (BylineListPacer *self)
{
  if (self->tick_id != 0 && self->view != NULL)
    gtk_widget_remove_tick_callback (self->view, self->tick_id);
  self->tick_id = 0;
  self->limit = G_MAXUINT;
}

/* Without a window, no frame comes: the rest comes at once. */
static void
view_unrealize_cb (BylineListPacer *self)
{
  if (self->limit == G_MAXUINT)
    return;
  stop_pacing (self);
  report (self, self->n_shown, 0, 0);
}

static void
model_items_changed_cb (GListModel      *model,
                        guint            position,
                        guint            removed,
                        guint            added,
                        BylineListPacer *self)
{
  /* No row that is shown and stays comes after it. */
  gboolean at_the_end = position + removed >= self->n_shown;

  if (self->limit != G_MAXUINT && position < self->limit)
    {
      /* While pacing, a change among the rows shown moves the end of what is shown with it:
       * no row that was shown leaves. */
      self->limit = self->limit - MIN (removed, self->limit - position) + added;
    }
  else if (self->limit == G_MAXUINT && at_the_end && added > removed + FIRST &&
           position < PACED_TO && self->view != NULL && gtk_widget_get_realized (self->view))
    {
      self->limit = position + FIRST;
      self->tick_id = gtk_widget_add_tick_callback (self->view, tick_cb, self, NULL);
    }
  report (self, position, removed, added);
}

static void
byline_list_pacer_dispose (GObject *object)
{
  BylineListPacer *self = BYLINE_LIST_PACER (object);

  stop_pacing (self);
  if (self->view != NULL)
    {
      g_clear_signal_handler (&self->unrealize_id, self->view);
      g_object_remove_weak_pointer (G_OBJECT (self->view), (gpointer *) &self->view);
      self->view = NULL;
    }
  if (self->model != NULL)
    g_clear_signal_handler (&self->changed_id, self->model);
  g_clear_object (&self->model);

  G_OBJECT_CLASS (byline_list_pacer_parent_class)->dispose (object);
}

static void
byline_list_pacer_class_init (BylineListPacerClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = byline_list_pacer_dispose;
}

static void
byline_list_pacer_init (BylineListPacer *self)
{
  self->limit = G_MAXUINT;
}

BylineListPacer *
byline_list_pacer_new (GListModel *model,
                       GtkWidget  *view)
{
  BylineListPacer *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);
  g_return_val_if_fail (GTK_IS_WIDGET (view), NULL);

  self = g_object_new (BYLINE_TYPE_LIST_PACER, NULL);
  self->model = g_object_ref (model);
  self->n_shown = g_list_model_get_n_items (model);
  self->changed_id = g_signal_connect (model, "items-changed",
                                       G_CALLBACK (model_items_changed_cb), self);
  self->view = view;
  g_object_add_weak_pointer (G_OBJECT (view), (gpointer *) &self->view);
  self->unrealize_id = g_signal_connect_swapped (view, "unrealize", G_CALLBACK (view_unrealize_cb),
                                                 self);
  return self;
}
