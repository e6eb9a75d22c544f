/* keyctl(KEYCTL_JOIN_SESSION_KEYRING): kernel keyrings are not namespaced (CVE-2016-0728). */
#include "probe.h"
#include <linux/keyctl.h>
int main(void) { return report("keyctl", syscall(SYS_keyctl, KEYCTL_JOIN_SESSION_KEYRING, 0L)); }
