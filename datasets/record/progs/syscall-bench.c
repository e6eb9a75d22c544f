/*
 * syscall-bench: the syscall micro-benchmark of `sandmine validate`'s overhead part
 * (pipeline/host/validate/micro.ts). Run through `docker exec` in the experiment's container, so it
 * gets the container's seccomp filter. For each hot call it makes ITER raw syscalls (no libc
 * wrappers or caches) and prints one line:
 * `bench NAME ns=WALL_NS_PER_CALL cpu_ns=CPU_NS_PER_CALL errno=ERRNO`
 * (errno of the last failing call: 0 when the filter let it through). The calls are ones the paper's
 * servers make most (Fig. 7) and whose arguments mined profiles constrain (Table 1): a call whose
 * rule has argument conditions cannot be answered from the kernel's seccomp action cache (Linux
 * >= 5.11), so the BPF program runs on every call; getppid has no arguments and stays cached.
 * ns is wall time from clock_gettime(CLOCK_MONOTONIC) through the vDSO (no syscall), the 10th
 * percentile over chunks of 25 calls (chunks in which the thread waited for a core fall above
 * it); cpu_ns is the thread's CPU time (CLOCK_THREAD_CPUTIME_ID, a real clock_gettime call, -1
 * when the filter denies it, as mined profiles of servers that read clocks through the vDSO do).
 * gcc -static.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/futex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static long iter = 50000;
static char out[4096];
static size_t outlen;

static double now_ns(clockid_t clock) {
  struct timespec ts;
  if (clock_gettime(clock, &ts) != 0) return -1;
  return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

#define CHUNK 25
#define MAXCHUNKS 4096
static double chunk_ns[MAXCHUNKS];

static int cmp(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return x < y ? -1 : x > y;
}

/* ns= is the 10th percentile over chunks of CHUNK calls, per call: chunks in which the thread
 * was preempted (a shared machine) fall above it. */
static void report(const char *name, long chunks, double cpu0, double cpu1, long n, int err) {
  double cpu = cpu0 < 0 || cpu1 < 0 ? -1 : (cpu1 - cpu0) / (double)n;
  qsort(chunk_ns, (size_t)chunks, sizeof chunk_ns[0], cmp);
  double p10 = chunk_ns[chunks / 10] / CHUNK;
  outlen += (size_t)snprintf(out + outlen, sizeof out - outlen, "bench %s ns=%.1f cpu_ns=%.1f errno=%d\n",
                             name, p10, cpu, err);
}

/* about N calls of CALL in chunks of CHUNK; the slow mmap+munmap pair gets a tenth of the iterations. */
#define BENCH(NAME, N, CALL)                                          \
  do {                                                                \
    int err = 0;                                                      \
    long chunks = (N) / CHUNK;                                        \
    if (chunks < 10) chunks = 10;                                     \
    if (chunks > MAXCHUNKS) chunks = MAXCHUNKS;                       \
    double c0 = now_ns(CLOCK_THREAD_CPUTIME_ID);                      \
    for (long c = 0; c < chunks; c++) {                               \
      double t0 = now_ns(CLOCK_MONOTONIC);                            \
      for (long i = 0; i < CHUNK; i++)                                \
        if ((CALL) < 0) err = errno;                                  \
      chunk_ns[c] = now_ns(CLOCK_MONOTONIC) - t0;                     \
    }                                                                 \
    report(NAME, chunks, c0, now_ns(CLOCK_THREAD_CPUTIME_ID), chunks * CHUNK, err); \
  } while (0)

int main(int argc, char **argv) {
  if (argc > 1) iter = atol(argv[1]);
  if (iter <= 0) iter = 50000;
  static int word;
  int ep = (int)syscall(SYS_epoll_create1, 0);
  if (ep < 0) ep = (int)syscall(SYS_epoll_create, 1); /* a profile may have only the old call */
  struct epoll_event ev;
  BENCH("getppid", iter, syscall(SYS_getppid));
  BENCH("fcntl", iter, syscall(SYS_fcntl, 1, F_GETFL));
  BENCH("futex", iter, syscall(SYS_futex, &word, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0));
  BENCH("epoll_wait", iter, syscall(SYS_epoll_wait, ep, &ev, 1, 0));
  BENCH("read", iter, syscall(SYS_read, -1, &word, 0));
  BENCH("mmap+munmap", iter / 10, ({
          long p = syscall(SYS_mmap, NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
          p >= 0 ? syscall(SYS_munmap, p, 4096) : p;
        }));
  if (write(1, out, outlen) < 0) return 1;
  return 0;
}
