/* io_uring_setup(2): io_uring work bypasses seccomp entirely once a ring exists. */
#include "probe.h"
#include <linux/io_uring.h>
int main(void) {
  struct io_uring_params p;
  memset(&p, 0, sizeof p);
  return report("io-uring-setup", syscall(SYS_io_uring_setup, 8, &p));
}
