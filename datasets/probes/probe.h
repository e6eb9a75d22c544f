/* Shared by every probe: print "probe NAME errno=N" (0 when the call succeeded) and exit with N.
 * Only write(2) and exit_group(2) are needed after the call, so the errno survives profiles that
 * deny much; the exit status carries it even when write(2) itself is denied. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

static int report(const char *name, long ret) {
  int e = ret < 0 ? errno : 0;
  char buf[160];
  int n = snprintf(buf, sizeof buf, "probe %s errno=%d (%s)\n", name, e, e ? strerror(e) : "success");
  if (n > 0) (void)!write(1, buf, (size_t)n);
  _exit(e);
}
