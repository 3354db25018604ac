/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-renderer.c: GTK's cairo renderer where OpenGL is drawn by the processor.
 *
 * GTK 4 draws windows with OpenGL when it can. Without a GPU, Mesa draws that OpenGL on the
 * processor, and GTK 4.8 then redraws and copies the whole window every frame: measured under
 * Xvfb, a typed character took a median of 87 ms to show in a 1500x900 window, against 5 ms
 * with the cairo renderer, which draws only what changed. So where OpenGL is a software
 * rasterizer, Byline's windows use cairo; GSK_RENDERER still decides when it is set.
 *
 * Where there is no GPU at all, the window's process then needs no OpenGL, yet it would still
 * load it: GTK 4.8 prepares OpenGL when it opens the display, and WebKit's UI side opens an EGL
 * display when its first web context is made. Mesa's software rasterizer and its LLVM cost that
 * process some 28 MiB of memory (measured with a 50,000-word draft open, 123 MiB of PSS against
 * 95) and WebKit's context 20 ms of the main thread (23 ms against 3-4). So both are kept from
 * OpenGL while they set up, through their own environment variables, which are then put back,
 * before the preview's web process (which draws with EGL) or any other program starts. */

#define G_LOG_DOMAIN "byline-renderer"

#include "config.h"

#include <string.h>

#include <epoxy/gl.h>

#include "byline-renderer.h"

/* The environment variables set by byline_renderer_hide_gl_without_gpu (), to put back. */
static const char *hidden_gl_variables[3];

/* Mesa's software rasterizers, as they name themselves in GL_RENDERER. */
static const char * const software_renderers[] = { "llvmpipe", "softpipe", "swrast" };

static gboolean
gl_is_software (GdkDisplay *display)
{
  g_autoptr(GdkGLContext) context = NULL;
  g_autoptr(GError) error = NULL;
  const char *renderer;
  gboolean software = FALSE;

  context = gdk_display_create_gl_context (display, &error);
  if (context == NULL || !gdk_gl_context_realize (context, &error))
    {
      /* No OpenGL at all: GTK falls back to cairo by itself. */
      g_debug ("No OpenGL context: %s", error->message);
      return FALSE;
    }
  gdk_gl_context_make_current (context);
  renderer = (const char *) glGetString (GL_RENDERER);
  for (guint i = 0; renderer != NULL && i < G_N_ELEMENTS (software_renderers); i++)
    software |= strstr (renderer, software_renderers[i]) != NULL;
  g_debug ("OpenGL renderer: %s", renderer ? renderer : "(unknown)");
  gdk_gl_context_clear_current ();
  return software;
}

gboolean
byline_renderer_prefer_cairo_without_gpu (GdkDisplay *display)
{
  g_return_val_if_fail (GDK_IS_DISPLAY (display), FALSE);

  if (g_getenv ("GSK_RENDERER") != NULL)
    return FALSE;
  /* With OpenGL hidden, GTK would try its GL renderer first, and say so on every window. */
  if (hidden_gl_variables[0] == NULL && !gl_is_software (display))
    return FALSE;

  /* GTK reads a renderer chosen for the display before its own defaults (a display's
   * "gsk-renderer" data, GTK 4.0 and later); unlike setting GSK_RENDERER, it does not reach the
   * programs Byline starts, such as the browser a link opens in. */
  g_object_set_data (G_OBJECT (display), "gsk-renderer", (gpointer) "cairo");
  return TRUE;
}


/* A DRM render node is how a GPU's OpenGL is reached, on X11 and Wayland alike (the Flatpak
 * sandbox shows them with --device=dri); without one, OpenGL can only be Mesa's software one. */
static gboolean
has_gpu_render_node (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

gboolean
byline_renderer_hide_gl_without_gpu (void)
{
  /* The person's own choices win; the vendor list also means someone set up EGL by hand. */
  static const char * const chosen[] = {
    "GSK_RENDERER", "GDK_DEBUG", "GDK_DISABLE", "__EGL_VENDOR_LIBRARY_FILENAMES",
  };
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (chosen); i++)
    if (g_getenv (chosen[i]) != NULL)
      return FALSE;
  if (has_gpu_render_node ())
    return FALSE;

  /* GTK 4.16 moved the switch from GDK_DEBUG to GDK_DISABLE (the Flatpak's newer runtime). */
  if (gtk_get_major_version () == 4 && gtk_get_minor_version () >= 16)
    {
      g_setenv ("GDK_DISABLE", "gl", TRUE);
      hidden_gl_variables[n++] = "GDK_DISABLE";
    }
  else
    {
      g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
      hidden_gl_variables[n++] = "GDK_DEBUG";
    }
  /* libglvnd then finds no EGL vendor: WebKit's UI side goes without, as it does on a machine
   * without EGL, and never loads Mesa. */
  g_setenv ("__EGL_VENDOR_LIBRARY_FILENAMES", "/dev/null", TRUE);
  hidden_gl_variables[n++] = "__EGL_VENDOR_LIBRARY_FILENAMES";
  return TRUE;
}

void
byline_renderer_restore_gl (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (hidden_gl_variables); i++)
    {
      if (hidden_gl_variables[i] != NULL)
        g_unsetenv (hidden_gl_variables[i]);
      hidden_gl_variables[i] = NULL;
    }
}
