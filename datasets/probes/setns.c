/* setns(2) into PID 1's mount namespace (fd -1 if it cannot be opened: EBADF when allowed). */
#include "probe.h"
#include <fcntl.h>
#include <sched.h>
int main(void) {
  int fd = open("/proc/1/ns/mnt", O_RDONLY | O_CLOEXEC);
  return report("setns", syscall(SYS_setns, fd, CLONE_NEWNS));
}
