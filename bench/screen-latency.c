/* SPDX-License-Identifier: GPL-3.0-or-later */
/* screen-latency.c: times what reaches the screen, not what a program thinks it drew.
 *
 *   screen-latency type [--gap MS] [--quiet MS] [--timeout MS] [--csv FILE]
 *                  TEXT_REGION [PREVIEW_REGION] -- STRING
 *     Types STRING one key at a time through XTest (as a keyboard would) into the focused
 *     window. For each key: the time until the pixels of TEXT_REGION change (the typed
 *     character) and until those of PREVIEW_REGION change (a preview), then waits for QUIET ms
 *     without a change before the next key. A region is X,Y,WxH in root window pixels.
 *   screen-latency launch [--name NAME] [--region REGION] [--quiet MS] [--timeout MS]
 *                  -- COMMAND [ARGS...]
 *     Starts COMMAND and reports when a top-level window whose name contains NAME is mapped,
 *     when the screen first changed, when REGION last changed (the document shown, say, while
 *     a preview beside it still draws) and when the screen settled (its last change before
 *     QUIET ms of quiet). COMMAND is left running; its pid is printed.
 *
 * The regions are read from the X server (XShm) and compared with their last reading. (Waiting
 * for the DAMAGE extension's reports instead would cost no polling, but a damage watch on the
 * root window makes GTK 4 programs under Xvfb stall for up to a second now and then.) Reading
 * costs the X server and this program CPU time that the program measured then lacks, so for each
 * key only a band of the region is read every POLL_MS: the rows around where the key before
 * changed it first (where the cursor is); the whole region is read every FULL_POLL_MS, which
 * catches a change outside the band (and gives the first key its band). Times are in
 * milliseconds from the moment the server has the key (or from the fork of COMMAND), late by
 * up to POLL_MS plus a reading (FULL_POLL_MS when the band missed). */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/shm.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <X11/Xlib.h>
#include <X11/Xatom.h>
#include <X11/Xutil.h>
#include <X11/extensions/XShm.h>
#include <X11/extensions/XTest.h>

#define MAX_KEYS 4096
/* How often the regions are read while a key is timed, and while a program starts. */
#define POLL_MS 2
#define FULL_POLL_MS 25
#define LAUNCH_POLL_MS 10
/* The band read often: this many rows above and below the row where the last key's change
 * began, enough for a wrapped line and the line after it. */
#define BAND_ROWS 60

typedef struct {
  int              x, y, width, height;
  XImage          *image;
  XShmSegmentInfo  shm;
  unsigned char   *last;       /* the pixels as last read */
  int              band_top;   /* the rows read every POLL_MS */
  int              band_bottom;
  int              first_row;  /* where the first change after the key began, or -1 */
  double           first_ms;   /* the first change after the key, or -1 */
  double           last_ms;    /* the latest change after the key, or -1 */
} Watched;

static Display *display;
static Window root;

static double
now_ms (void)
{
  struct timespec t;

  clock_gettime (CLOCK_MONOTONIC, &t);
  return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static void
sleep_ms (double ms)
{
  struct timespec t = { (time_t) (ms / 1000), (long) ((ms - (time_t) (ms / 1000) * 1000) * 1e6) };

  nanosleep (&t, NULL);
}

static void
die (const char *message)
{
  fprintf (stderr, "screen-latency: %s\n", message);
  exit (1);
}

static int
ignore_x_errors (Display *d, XErrorEvent *e)
{
  (void) d;
  (void) e;
  return 0;
}

static void
parse_region (const char *text,
              Watched     *region)
{
  memset (region, 0, sizeof *region);
  if (sscanf (text, "%d,%d,%dx%d", &region->x, &region->y, &region->width, &region->height) != 4
      || region->width <= 0 || region->height <= 0)
    die ("a region is X,Y,WxH");
}

static size_t
region_size (const Watched *region)
{
  return (size_t) region->image->bytes_per_line * region->image->height;
}

static void
region_attach (Watched *region)
{
  int screen = DefaultScreen (display);

  region->image = XShmCreateImage (display, DefaultVisual (display, screen),
                                   DefaultDepth (display, screen), ZPixmap, NULL, &region->shm,
                                   region->width, region->height);
  if (region->image == NULL)
    die ("XShmCreateImage failed");
  region->shm.shmid = shmget (IPC_PRIVATE, region_size (region), IPC_CREAT | 0600);
  if (region->shm.shmid < 0)
    die ("shmget failed");
  region->shm.shmaddr = region->image->data = shmat (region->shm.shmid, NULL, 0);
  region->shm.readOnly = False;
  XShmAttach (display, &region->shm);
  XSync (display, False);
  /* Marked for removal now, so that it goes when this program ends, however it ends. */
  shmctl (region->shm.shmid, IPC_RMID, NULL);
  region->last = calloc (1, region_size (region));
  region->band_top = 0;
  region->band_bottom = region->height;
}

/* Reads rows @top to @bottom (excluded) of the region; returns the first row that differs from
 * the last reading (and keeps the new pixels), or -1. */
static int
region_read (Watched *region,
             int      top,
             int      bottom)
{
  size_t row_bytes = region->image->bytes_per_line;
  int height = region->image->height;
  int changed = -1;

  /* XShmGetImage reads as many rows as the image has: the image is made shorter for a band. */
  region->image->height = bottom - top;
  XShmGetImage (display, root, region->image, region->x, region->y + top, AllPlanes);
  region->image->height = height;

  if (memcmp (region->last + top * row_bytes, region->image->data, (bottom - top) * row_bytes) == 0)
    return -1;
  for (int row = top; row < bottom && changed < 0; row++)
    if (memcmp (region->last + row * row_bytes, region->image->data + (row - top) * row_bytes,
                row_bytes) != 0)
      changed = row;
  memcpy (region->last + top * row_bytes, region->image->data, (bottom - top) * row_bytes);
  return changed;
}

/* Reads the region's band, or all of it with @full, and notes the time @t of a change. */
static int
region_check (Watched *region,
              double   t,
              int      full)
{
  int row = full ? region_read (region, 0, region->height)
                 : region_read (region, region->band_top, region->band_bottom);

  if (row < 0)
    return 0;
  if (region->first_ms < 0)
    {
      region->first_ms = t;
      region->first_row = row;
    }
  region->last_ms = t;
  return 1;
}

/* Centres the band on where the last key's change began, for the next key. */
static void
region_follow (Watched *region)
{
  if (region->first_row < 0)
    return;
  region->band_top = region->first_row > BAND_ROWS ? region->first_row - BAND_ROWS : 0;
  region->band_bottom = region->first_row + BAND_ROWS < region->height
                        ? region->first_row + BAND_ROWS : region->height;
}

/* Reads every region until none changed for @quiet_ms (or @timeout_ms passed). */
static void
wait_quiet (Watched *regions,
            int      n_regions,
            double   quiet_ms,
            double   timeout_ms)
{
  double start = now_ms (), last_change = start;

  while (now_ms () - last_change < quiet_ms && now_ms () - start < timeout_ms)
    {
      sleep_ms (FULL_POLL_MS);
      for (int r = 0; r < n_regions; r++)
        if (region_check (&regions[r], 0, 1))
          last_change = now_ms ();
    }
}

/* Statistics */

static int
compare_doubles (const void *a,
                 const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

static double
percentile (const double *sorted,
            int           n,
            double        p)
{
  double rank = p * (n - 1);
  int low = (int) rank;

  if (low + 1 >= n)
    return sorted[n - 1];
  return sorted[low] + (rank - low) * (sorted[low + 1] - sorted[low]);
}

static void
print_stats (const char   *name,
             const double *values,
             int           n_values,
             int           n_keys)
{
  double sorted[MAX_KEYS];
  int n = 0;

  for (int i = 0; i < n_values; i++)
    if (values[i] >= 0)
      sorted[n++] = values[i];
  if (n == 0)
    {
      printf ("%s: no change seen in %d keys\n", name, n_keys);
      return;
    }
  qsort (sorted, n, sizeof *sorted, compare_doubles);
  printf ("%s: median %.1f ms, p10 %.1f, p90 %.1f, worst %.1f, best %.1f (%d of %d keys)\n", name,
          percentile (sorted, n, 0.5), percentile (sorted, n, 0.1), percentile (sorted, n, 0.9),
          sorted[n - 1], sorted[0], n, n_keys);
}

/* type */

static KeySym
keysym_for (char c,
            int *shifted)
{
  static const struct { char c; const char *name; } named[] = {
    { ' ', "space" }, { ',', "comma" }, { '.', "period" }, { '\'', "apostrophe" },
    { '-', "minus" }, { ';', "semicolon" }, { '\n', "Return" },
  };

  *shifted = c >= 'A' && c <= 'Z';
  for (size_t i = 0; i < sizeof named / sizeof named[0]; i++)
    if (named[i].c == c)
      return XStringToKeysym (named[i].name);
  if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
    {
      char name[2] = { c, '\0' };

      return XStringToKeysym (name);
    }
  if (*shifted)
    {
      char name[2] = { (char) (c - 'A' + 'a'), '\0' };

      return XStringToKeysym (name);
    }
  return NoSymbol;
}

static void
send_key (KeySym keysym,
          int    shifted)
{
  KeyCode shift = XKeysymToKeycode (display, XK_Shift_L);
  KeyCode code = XKeysymToKeycode (display, keysym);

  if (shifted)
    XTestFakeKeyEvent (display, shift, True, CurrentTime);
  XTestFakeKeyEvent (display, code, True, CurrentTime);
  XTestFakeKeyEvent (display, code, False, CurrentTime);
  if (shifted)
    XTestFakeKeyEvent (display, shift, False, CurrentTime);
  XSync (display, False);
}

static int
type_keys (int          argc,
           char       **argv)
{
  double gap = 50, quiet = 120, timeout = 3000;
  const char *csv_path = NULL;
  Watched regions[2];
  int n_regions = 0;
  const char *string = NULL;
  static double typed[MAX_KEYS], preview[MAX_KEYS];
  FILE *csv = NULL;
  int n_keys;

  for (int i = 0; i < argc; i++)
    {
      if (strcmp (argv[i], "--gap") == 0 && i + 1 < argc)
        gap = atof (argv[++i]);
      else if (strcmp (argv[i], "--quiet") == 0 && i + 1 < argc)
        quiet = atof (argv[++i]);
      else if (strcmp (argv[i], "--timeout") == 0 && i + 1 < argc)
        timeout = atof (argv[++i]);
      else if (strcmp (argv[i], "--csv") == 0 && i + 1 < argc)
        csv_path = argv[++i];
      else if (strcmp (argv[i], "--") == 0 && i + 1 < argc)
        {
          string = argv[i + 1];
          break;
        }
      else if (n_regions < 2)
        parse_region (argv[i], &regions[n_regions++]);
      else
        die ("usage: screen-latency type [--gap MS] [--quiet MS] [--timeout MS] [--csv FILE] "
             "TEXT_REGION [PREVIEW_REGION] -- STRING");
    }
  if (string == NULL || n_regions == 0)
    die ("usage: screen-latency type [options] TEXT_REGION [PREVIEW_REGION] -- STRING");

  n_keys = (int) strlen (string);
  if (n_keys > MAX_KEYS)
    die ("at most 4096 keys");
  for (int r = 0; r < n_regions; r++)
    region_attach (&regions[r]);
  if (csv_path != NULL && (csv = fopen (csv_path, "w")) == NULL)
    die ("cannot write the CSV file");
  if (csv != NULL)
    fprintf (csv, "key,char,typed_ms,preview_ms\n");

  for (int k = 0; k < n_keys; k++)
    {
      int shifted;
      KeySym keysym = keysym_for (string[k], &shifted);
      double t0, t;

      if (keysym == NoSymbol)
        die ("a character of STRING has no key here (letters, digits, space and , . ' - ;)");

      /* Whatever the key before still draws in the regions ends first (within reason). */
      wait_quiet (regions, n_regions, quiet, timeout);
      for (int r = 0; r < n_regions; r++)
        {
          regions[r].first_ms = regions[r].last_ms = -1;
          regions[r].first_row = -1;
        }

      send_key (keysym, shifted);
      t0 = now_ms ();
      for (int poll = 0;; poll++)
        {
          double last_change = -1;
          int full = poll % (FULL_POLL_MS / POLL_MS) == FULL_POLL_MS / POLL_MS - 1;

          t = now_ms () - t0;
          for (int r = 0; r < n_regions; r++)
            {
              region_check (&regions[r], t, full);
              if (regions[r].last_ms > last_change)
                last_change = regions[r].last_ms;
            }
          /* Done when the typed character is there and nothing changed for a quiet while. */
          if ((regions[0].first_ms >= 0 && t - last_change >= quiet) || t >= timeout)
            break;
          sleep_ms (POLL_MS);
        }
      for (int r = 0; r < n_regions; r++)
        region_follow (&regions[r]);

      typed[k] = regions[0].first_ms;
      preview[k] = n_regions > 1 ? regions[1].first_ms : -1;
      if (csv != NULL)
        fprintf (csv, "%d,\"%c\",%.1f,%.1f\n", k, string[k], typed[k], preview[k]);
      sleep_ms (gap);
    }

  if (csv != NULL)
    fclose (csv);
  print_stats ("typed", typed, n_keys, n_keys);
  if (n_regions > 1)
    print_stats ("preview", preview, n_keys, n_keys);
  return 0;
}

/* launch */

static int
window_name_contains (Window      window,
                      const char *name)
{
  Atom net_wm_name = XInternAtom (display, "_NET_WM_NAME", False);
  Atom utf8 = XInternAtom (display, "UTF8_STRING", False);
  Atom type;
  int format, found = 0;
  unsigned long n_items, after;
  unsigned char *data = NULL;
  char *plain = NULL;

  if (XGetWindowProperty (display, window, net_wm_name, 0, 1024, False, utf8, &type, &format,
                          &n_items, &after, &data) == Success && data != NULL)
    {
      found = strstr ((char *) data, name) != NULL;
      XFree (data);
    }
  if (!found && XFetchName (display, window, &plain) && plain != NULL)
    {
      found = strstr (plain, name) != NULL;
      XFree (plain);
    }
  return found;
}

static int
window_mapped (const char *name)
{
  Window root_return, parent, *children = NULL;
  unsigned int n_children;
  int found = 0;

  if (!XQueryTree (display, root, &root_return, &parent, &children, &n_children))
    return 0;
  for (unsigned int i = 0; i < n_children && !found; i++)
    {
      XWindowAttributes attributes;

      found = XGetWindowAttributes (display, children[i], &attributes)
              && attributes.map_state == IsViewable && attributes.width > 50
              && window_name_contains (children[i], name);
    }
  if (children != NULL)
    XFree (children);
  return found;
}

static int
launch (int    argc,
        char **argv)
{
  static const char usage[] = "usage: screen-latency launch [--name NAME] [--region REGION] "
                              "[--quiet MS] [--timeout MS] -- COMMAND";
  const char *name = "";
  double quiet = 1000, timeout = 30000;
  char **command = NULL;
  XWindowAttributes root_attributes;
  Watched screen, region;
  int has_region = 0;
  double t0, mapped = -1;
  pid_t pid;

  for (int i = 0; i < argc; i++)
    {
      if (strcmp (argv[i], "--name") == 0 && i + 1 < argc)
        name = argv[++i];
      else if (strcmp (argv[i], "--region") == 0 && i + 1 < argc)
        {
          parse_region (argv[++i], &region);
          has_region = 1;
        }
      else if (strcmp (argv[i], "--quiet") == 0 && i + 1 < argc)
        quiet = atof (argv[++i]);
      else if (strcmp (argv[i], "--timeout") == 0 && i + 1 < argc)
        timeout = atof (argv[++i]);
      else if (strcmp (argv[i], "--") == 0 && i + 1 < argc)
        {
          command = argv + i + 1;
          break;
        }
      else
        die (usage);
    }
  if (command == NULL)
    die (usage);

  XGetWindowAttributes (display, root, &root_attributes);
  memset (&screen, 0, sizeof screen);
  screen.width = root_attributes.width;
  screen.height = root_attributes.height;
  region_attach (&screen);
  region_read (&screen, 0, screen.height);
  screen.first_ms = screen.last_ms = -1;
  if (has_region)
    {
      region_attach (&region);
      region_read (&region, 0, region.height);
      region.first_ms = region.last_ms = -1;
    }

  t0 = now_ms ();
  pid = fork ();
  if (pid < 0)
    die ("fork failed");
  if (pid == 0)
    {
      dup2 (2, 1);
      execvp (command[0], command);
      _exit (127);
    }

  for (;;)
    {
      double t = now_ms () - t0;

      if (mapped < 0 && window_mapped (name))
        mapped = t;
      region_check (&screen, t, 1);
      if (has_region)
        region_check (&region, t, 1);
      if (mapped >= 0 && screen.last_ms >= 0 && t - screen.last_ms >= quiet)
        break;
      if (t >= timeout)
        break;
      if (waitpid (pid, NULL, WNOHANG) == pid)
        die ("the command ended before its window settled");
      sleep_ms (LAUNCH_POLL_MS);
    }
  printf ("pid %d mapped %.1f ms, first change %.1f ms, ", (int) pid, mapped, screen.first_ms);
  if (has_region)
    printf ("region settled %.1f ms, ", region.last_ms);
  printf ("settled %.1f ms\n", screen.last_ms);
  return 0;
}

int
main (int    argc,
      char **argv)
{
  if (argc < 2)
    die ("usage: screen-latency type|launch ...");
  display = XOpenDisplay (NULL);
  if (display == NULL)
    die ("cannot open the display");
  XSetErrorHandler (ignore_x_errors);
  root = DefaultRootWindow (display);

  if (strcmp (argv[1], "type") == 0)
    return type_keys (argc - 2, argv + 2);
  if (strcmp (argv[1], "launch") == 0)
    return launch (argc - 2, argv + 2);
  die ("usage: screen-latency type|launch ...");
}
