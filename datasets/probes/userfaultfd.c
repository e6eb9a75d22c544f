/* userfaultfd(2): used to win kernel races. */
#include "probe.h"
#include <fcntl.h>
int main(void) { return report("userfaultfd", syscall(SYS_userfaultfd, O_CLOEXEC)); }
