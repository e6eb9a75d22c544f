/* unshare(CLONE_NEWUSER): the first step of most container escapes through user namespaces. */
#include "probe.h"
#include <sched.h>
int main(void) { return report("unshare-userns", unshare(CLONE_NEWUSER)); }
