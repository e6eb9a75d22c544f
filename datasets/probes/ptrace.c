/* ptrace(PTRACE_TRACEME): succeeds whenever ptrace is allowed at all. */
#include "probe.h"
#include <sys/ptrace.h>
int main(void) { return report("ptrace", ptrace(PTRACE_TRACEME, 0, NULL, NULL)); }
