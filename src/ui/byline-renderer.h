/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-renderer.h: GTK's cairo renderer where OpenGL is drawn by the processor. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* Makes the windows of @display use GTK's cairo renderer when its OpenGL is a software
 * rasterizer (Mesa's llvmpipe or softpipe: a virtual machine, a remote desktop, no usable GPU),
 * unless the person chose a renderer with GSK_RENDERER. Call before the first window is shown.
 * Returns whether it chose cairo. */
gboolean byline_renderer_prefer_cairo_without_gpu (GdkDisplay *display);

G_END_DECLS
