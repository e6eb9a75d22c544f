/* socket(AF_PACKET, SOCK_RAW): raw frames (ARP spoofing between containers). */
#include "probe.h"
#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <sys/socket.h>
int main(void) { return report("socket-packet", socket(AF_PACKET, SOCK_RAW, htons(ETH_P_ALL))); }
