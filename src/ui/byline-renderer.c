/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-renderer.c: GTK's cairo renderer where OpenGL would be drawn by the processor.
 *
 * GTK 4 draws windows with OpenGL when it can. Without a GPU, Mesa draws that OpenGL on the
 * processor, and GTK 4.8 then redraws and copies the whole window every frame: measured under
 * Xvfb, a typed character took a median of 87 ms to show in a 1500x900 window, against 5 ms
 * with the cairo renderer, which draws only what changed. So where OpenGL is a software
 * rasterizer, Byline's windows use cairo; GSK_RENDERER still decides when it is set.
 *
 * Two cases. A machine with no GPU at all has no DRM render node: GTK is then kept from setting
 * OpenGL up when it opens the display (GTK 4.8 does so at once, for nothing here: Mesa and its
 * LLVM cost the process some 8 MiB). A machine with a render node may still run Mesa's software
 * rasterizer (a GPU Mesa cannot drive, a virtual machine's): OpenGL is asked what draws it. */

#define G_LOG_DOMAIN "byline-renderer"

#include "config.h"

#include <string.h>

#include <epoxy/gl.h>

#include "byline-renderer.h"

/* Mesa's software rasterizers, as they name themselves in GL_RENDERER. */
static const char * const software_renderers[] = { "llvmpipe", "softpipe", "swrast" };

/* GDK_DEBUG as it was before byline_renderer_before_gtk_init, or NULL when it changed nothing. */
static char *saved_gdk_debug;
static gboolean no_gpu;

static gboolean
has_render_node (void)
{
  g_autoptr(GDir) dri = g_dir_open ("/dev/dri", 0, NULL);
  const char *name;

  while (dri != NULL && (name = g_dir_read_name (dri)) != NULL)
    if (g_str_has_prefix (name, "renderD"))
      return TRUE;
  return FALSE;
}

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

void
byline_renderer_before_gtk_init (void)
{
  const char *gdk_debug = g_getenv ("GDK_DEBUG");

  no_gpu = g_getenv ("GSK_RENDERER") == NULL && !has_render_node ();
  if (!no_gpu)
    return;

  /* GDK reads it when it opens the display; it is put back right after, so that the programs
   * Byline starts (a browser for a link) do not inherit it. */
  saved_gdk_debug = g_strdup (gdk_debug ? gdk_debug : "");
  if (gdk_debug != NULL && *gdk_debug != '\0')
    {
      g_autofree char *both = g_strconcat (gdk_debug, ",gl-disable", NULL);

      g_setenv ("GDK_DEBUG", both, TRUE);
    }
  else
    g_setenv ("GDK_DEBUG", "gl-disable", TRUE);
}

gboolean
byline_renderer_after_gtk_init (GdkDisplay *display)
{
  g_return_val_if_fail (GDK_IS_DISPLAY (display), FALSE);

  if (saved_gdk_debug != NULL)
    {
      if (*saved_gdk_debug != '\0')
        g_setenv ("GDK_DEBUG", saved_gdk_debug, TRUE);
      else
        g_unsetenv ("GDK_DEBUG");
      g_clear_pointer (&saved_gdk_debug, g_free);
    }

  if (g_getenv ("GSK_RENDERER") != NULL || (!no_gpu && !gl_is_software (display)))
    return FALSE;

  /* GTK reads a renderer chosen for the display before its own defaults (a display's
   * "gsk-renderer" data, GTK 4.0 and later); unlike setting GSK_RENDERER, it does not reach the
   * programs Byline starts. */
  g_object_set_data (G_OBJECT (display), "gsk-renderer", (gpointer) "cairo");
  return TRUE;
}
