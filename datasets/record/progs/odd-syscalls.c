/*
 * Calls strace cannot name or numbers it prints oddly, so that the recorder captures real lines
 * of each: a number with no name (syscall_0x3e8), an x32 call (personality switch, 10-digit -n
 * number), -1 (strace prints [???] under -n), and a thread (clone3 with CLONE_THREAD, hex under
 * -X raw). It writes to stderr between the calls, so that a capture to the same stream is spliced.
 */
#include <pthread.h>
#include <stdio.h>
#include <sys/syscall.h>
#include <unistd.h>

static void *worker(void *arg) {
  (void)arg;
  fprintf(stderr, "odd-syscalls: thread says hello\n");
  return NULL;
}

int main(void) {
  pthread_t t;
  pthread_create(&t, NULL, worker, NULL);
  pthread_join(t, NULL);
  syscall(1000);                  /* no such syscall: syscall_0x3e8 */
  syscall(0x40000000 | SYS_getpid); /* x32 ABI bit: strace switches personality */
  syscall(-1L);                   /* not a number strace can map: [???] under -n */
  for (int i = 0; i < 3; i++) fprintf(stderr, "odd-syscalls: line %d of program output\n", i);
  return 0;
}
