/* socket(AF_VSOCK): host/guest sockets. */
#include "probe.h"
#include <sys/socket.h>
int main(void) { return report("socket-vsock", socket(AF_VSOCK, SOCK_STREAM, 0)); }
