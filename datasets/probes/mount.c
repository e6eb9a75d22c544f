/* mount(2) of a tmpfs. */
#include "probe.h"
#include <sys/mount.h>
int main(void) { return report("mount", mount("none", "/mnt", "tmpfs", 0, NULL)); }
