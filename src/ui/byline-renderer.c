/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-renderer.c: GTK's cairo renderer where OpenGL is drawn by the processor.
 *
 * GTK 4 draws windows with OpenGL when it can. Without a GPU, Mesa draws that OpenGL on the
 * processor, and GTK 4.8 then redraws and copies the whole window every frame: measured under
 * Xvfb, a typed character took a median of 87 ms to show in a 1500x900 window, against 5 ms
 * with the cairo renderer, which draws only what changed. So where OpenGL is a software
 * rasterizer, Byline's windows use cairo; GSK_RENDERER still decides when it is set. */

#define G_LOG_DOMAIN "byline-renderer"

#include "config.h"

#include <string.h>

#include <epoxy/gl.h>

#include "byline-renderer.h"

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

  if (g_getenv ("GSK_RENDERER") != NULL || !gl_is_software (display))
    return FALSE;

  /* GTK reads a renderer chosen for the display before its own defaults (a display's
   * "gsk-renderer" data, GTK 4.0 and later); unlike setting GSK_RENDERER, it does not reach the
   * programs Byline starts, such as the browser a link opens in. */
  g_object_set_data (G_OBJECT (display), "gsk-renderer", (gpointer) "cairo");
  return TRUE;
}
