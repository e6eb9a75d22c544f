/* socket(AF_ALG): the kernel crypto API, a frequent source of bugs. */
#include "probe.h"
#include <sys/socket.h>
int main(void) { return report("socket-alg", socket(AF_ALG, SOCK_SEQPACKET, 0)); }
