/* SPDX-License-Identifier: GPL-3.0-or-later */
/* byline-test-immutable.c: files made read-only under a running program, for real: the immutable
 * attribute (chattr +i), which the kernel enforces on files already open, root's too. */

#include "config.h"

/* pipe2 () */
#define _GNU_SOURCE

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <unistd.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include <glib/gstdio.h>

#include "byline-test-immutable.h"

/* Sets or clears the immutable attribute of @path (chattr +i): once set, not even root may write
 * the file, through a descriptor opened before either. FALSE with errno on failure. */
gboolean
byline_test_set_immutable (const char *path,
                           gboolean    immutable)
{
  int fd = open (path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  int flags = 0;
  gboolean done;
  int saved_errno;

  if (fd < 0)
    return FALSE;
  done = ioctl (fd, FS_IOC_GETFLAGS, &flags) == 0;
  if (done)
    {
      flags = immutable ? (flags | FS_IMMUTABLE_FL) : (flags & ~FS_IMMUTABLE_FL);
      done = ioctl (fd, FS_IOC_SETFLAGS, &flags) == 0;
    }
  saved_errno = errno;
  close (fd);
  errno = saved_errno;
  return done;
}

/* Why the immutable attribute cannot make a file in @dir read-only here, or NULL when it can: a
 * file made immutable while open for writing must refuse the next write. */
const char *
byline_test_why_no_immutable (const char *dir)
{
  g_autofree char *probe = g_build_filename (dir, "probe", NULL);
  const char *why = NULL;
  int fd = g_open (probe, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
  int write_errno = 0;

  g_assert_cmpint (fd, >=, 0);
  if (!byline_test_set_immutable (probe, TRUE))
    why = errno == EPERM ? "Setting the immutable attribute needs CAP_LINUX_IMMUTABLE"
                         : "The test folder's file system has no immutable attribute";
  else if (write (fd, "x", 1) == 1)
    why = "The test folder's file system lets an immutable file be written";
  else
    write_errno = errno;
  byline_test_set_immutable (probe, FALSE);
  g_assert_true (g_close (fd, NULL));
  g_assert_cmpint (g_unlink (probe), ==, 0);
  if (why == NULL)
    g_assert_cmpint (write_errno, ==, EPERM);
  return why;
}

/* A child process that makes @paths immutable when asked, and writable again when this process
 * says it is done (byline_test_immutable_guard_finish ()) or ends, however it ends (the child is in a session
 * of its own, deaf to the signals that end a test run), so that a failed test leaves no file that root itself cannot delete. It is the
 * child that opens the files for the attribute: a process that closes any descriptor of a file
 * loses its POSIX locks on it, and this one holds SQLite's. */
void
byline_test_immutable_guard_start (BylineTestImmutableGuard  *guard,
                                   char                     **paths)
{
  int command[2], answer[2];

  g_assert_cmpint (pipe2 (command, O_CLOEXEC), ==, 0);
  g_assert_cmpint (pipe2 (answer, O_CLOEXEC), ==, 0);
  guard->pid = fork ();
  g_assert_cmpint (guard->pid, >=, 0);
  if (guard->pid == 0)
    {
      gboolean cleared = TRUE;
      char byte;

      setsid ();
      signal (SIGINT, SIG_IGN);
      signal (SIGTERM, SIG_IGN);
      signal (SIGHUP, SIG_IGN);
      close (command[1]);
      close (answer[0]);
      while (read (command[0], &byte, 1) == 1)
        {
          gboolean done = TRUE;

          for (guint i = 0; paths[i] != NULL; i++)
            done = byline_test_set_immutable (paths[i], TRUE) && done;
          byte = done ? 'y' : 'n';
          if (write (answer[1], &byte, 1) != 1)
            break;
        }
      for (guint i = 0; paths[i] != NULL; i++)
        cleared = byline_test_set_immutable (paths[i], FALSE) && cleared;
      _exit (cleared ? 0 : 1);
    }
  close (command[0]);
  close (answer[1]);
  guard->command_fd = command[1];
  guard->answer_fd = answer[0];
}

void
byline_test_immutable_guard_set (BylineTestImmutableGuard *guard)
{
  char byte = '+';

  g_assert_cmpint (write (guard->command_fd, &byte, 1), ==, 1);
  g_assert_cmpint (read (guard->answer_fd, &byte, 1), ==, 1);
  g_assert_cmpint (byte, ==, 'y');
}

/* Writable again, and the guard gone. */
void
byline_test_immutable_guard_finish (BylineTestImmutableGuard *guard)
{
  int status;

  close (guard->command_fd);
  close (guard->answer_fd);
  g_assert_cmpint (waitpid (guard->pid, &status, 0), ==, guard->pid);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
}
