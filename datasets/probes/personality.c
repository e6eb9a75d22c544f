/* personality(READ_IMPLIES_EXEC): makes readable mappings executable. */
#include "probe.h"
#include <sys/personality.h>
int main(void) { return report("personality", syscall(SYS_personality, (long)READ_IMPLIES_EXEC)); }
