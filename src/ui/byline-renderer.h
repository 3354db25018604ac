/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-renderer.h: GTK's cairo renderer where OpenGL would be drawn by the processor. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Before GTK opens the display: on a machine with no GPU (no DRM render node), keeps GTK from
 * setting OpenGL up, unless the person chose a renderer with GSK_RENDERER. */
void     byline_renderer_before_gtk_init (void);
/* After GTK opened @display, before the first window is shown: makes its windows use GTK's
 * cairo renderer when there is no GPU or its OpenGL is a software rasterizer (Mesa's llvmpipe
 * or softpipe: a virtual machine, a remote desktop), unless GSK_RENDERER is set. Returns
 * whether it chose cairo. */
gboolean byline_renderer_after_gtk_init  (GdkDisplay *display);

G_END_DECLS
