/* kexec_load(2): replacing the running kernel. */
#include "probe.h"
int main(void) { return report("kexec-load", syscall(SYS_kexec_load, 0L, 0L, NULL, 0L)); }
