/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-test-ui-util.h: what the tests that show windows share; only they link GTK. */
#pragma once

#include <gtk/gtk.h>

#include "byline-test-util.h"

G_BEGIN_DECLS

/* Whether @widget is the one looked for, @data saying what that is. */
typedef gboolean (*BylineTestWidgetMatch) (GtkWidget     *widget,
                                           gconstpointer  data);

/* Criticals made fatal, the keyring started with DISPLAY kept, then GTK and libadwaita set up:
 * the start of every test that shows a window and keeps secrets. Stop the bus it returns. */
GTestDBus *byline_test_ui_start_with_keyring      (void);
/* The first widget under @root (depth first, @root itself left out) that @match accepts. */
GtkWidget *byline_test_find_descendant            (GtkWidget             *root,
                                                   BylineTestWidgetMatch  match,
                                                   gconstpointer          data);
/* The first widget under @root of @type (or a subclass). */
gpointer   byline_test_find_widget                (GtkWidget             *root,
                                                   GType                  type);
/* The first widget under @root whose widget name is @name. */
GtkWidget *byline_test_find_named                 (GtkWidget             *root,
                                                   const char            *name);
/* The first selectable label under @root: where Byline's windows say how things went. */
GtkLabel  *byline_test_find_selectable_label      (GtkWidget             *root);
/* The entry rows under @root, in order, into @entry_rows, and the last selectable label into
 * @status: a sign-in form's fields and its message. */
void       byline_test_collect_form               (GtkWidget             *root,
                                                   GPtrArray             *entry_rows,
                                                   GtkLabel             **status);

/* A label to wait on, and the text it should come to hold. */
typedef struct {
  GtkLabel   *label;
  const char *text;
} BylineTestLabelWait;

/* For byline_test_wait_until: TRUE once the label holds the text anywhere. */
gboolean   byline_test_label_has                  (gpointer               label_wait);
/* For byline_test_wait_until: TRUE once the label starts with the text. */
gboolean   byline_test_label_starts_with          (gpointer               label_wait);

G_END_DECLS
