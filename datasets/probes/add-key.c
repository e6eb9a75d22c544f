/* add_key(2) into the session keyring. */
#include "probe.h"
#include <linux/keyctl.h>
int main(void) {
  return report("add-key", syscall(SYS_add_key, "user", "sandmine", "x", 1L, (long)KEY_SPEC_SESSION_KEYRING));
}
