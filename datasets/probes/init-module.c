/* init_module(2) with a junk image: loading kernel code. */
#include "probe.h"
int main(void) {
  static char image[16];
  return report("init-module", syscall(SYS_init_module, image, sizeof image, ""));
}
