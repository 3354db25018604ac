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

/* Where the machine has no GPU (no DRM render node) and the person set nothing of their own,
 * keeps GTK and WebKit's UI side from loading OpenGL, which the window's process does not need
 * there: call before GTK opens the display, then byline_renderer_restore_gl () once GTK and
 * WebKit's default web context are set up, before any other process starts. Returns whether it
 * did. */
gboolean byline_renderer_hide_gl_without_gpu (void);
/* Puts back the environment byline_renderer_hide_gl_without_gpu () changed. */
void     byline_renderer_restore_gl          (void);

G_END_DECLS
