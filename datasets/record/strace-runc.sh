#!/bin/sh
# OCI runtime wrapper registered with dockerd as "--add-runtime strace=<generated shim>".
# The shim (written by dockerd.sh) exports SANDMINE_TRACE_TARGET_FILE, the path of a file
# that holds the directory the next container's trace goes to (record.sh writes it before
# each `docker run`) on its first line and, optionally, the strace style on its second
# (record-styles.sh writes one). For `create`, runc itself, runc init and every process of
# the container are traced; every other sub-command (start, state, kill, delete, ...) goes
# to runc untouched. Styles (the strace command line):
#   ff        (default, no second line)  strace -D -f -ff -tt -T -yy -s 256 -o DIR/trace
#             one file per task, DIR/trace.PID
#   raw-n     strace -D -f -o DIR/trace -ttt -T -X raw -n -s 256
#             one file DIR/trace for all tasks: "PID " prefixes, epoch timestamps, hex
#             arguments, syscall numbers in brackets
#   xverbose  strace -D -f -o DIR/trace -tt -T -X verbose -yy -s 256 -e raw=SIGSET_CALLS
#             one file DIR/trace: constants as number plus name ("0x16 /* PR_SET_SECCOMP */");
#             the calls that take a signal mask are printed raw (hex): strace 6.1 dies in
#             -X verbose on long masks such as the Go runtime's (runc) with
#             "sprintsigmask_n: got unexpected return value 2 for snprintf(buf, 2, ...)"
#             and detaches from every task ("<detached ...>"), ending the capture.
set -eu

RUNC=${SANDMINE_RUNC:-/usr/bin/runc}
SIGSET_CALLS=rt_sigprocmask,rt_sigaction,rt_sigpending,rt_sigsuspend,rt_sigtimedwait,ppoll,pselect6,epoll_pwait,epoll_pwait2,signalfd,signalfd4

is_create=0
for arg in "$@"; do
  if [ "$arg" = "create" ]; then is_create=1; break; fi
done

if [ "$is_create" -eq 1 ]; then
  target_file=${SANDMINE_TRACE_TARGET_FILE:-}
  if [ -z "$target_file" ] || [ ! -s "$target_file" ]; then
    echo "strace-runc: no trace target (SANDMINE_TRACE_TARGET_FILE='$target_file' missing or empty)" >&2
    exit 1
  fi
  trace_dir=$(sed -n 1p "$target_file")
  style=$(sed -n 2p "$target_file")
  if [ ! -d "$trace_dir" ]; then
    echo "strace-runc: trace directory '$trace_dir' does not exist" >&2
    exit 1
  fi
  if [ -n "$(ls -A "$trace_dir")" ]; then
    echo "strace-runc: trace directory '$trace_dir' is not empty (one container per directory)" >&2
    exit 1
  fi
  case ${style:-ff} in
    ff) exec strace -D -f -ff -tt -T -yy -s 256 -o "$trace_dir/trace" "$RUNC" "$@" ;;
    raw-n) exec strace -D -f -o "$trace_dir/trace" -ttt -T -X raw -n -s 256 "$RUNC" "$@" ;;
    xverbose) exec strace -D -f -o "$trace_dir/trace" -tt -T -X verbose -yy -s 256 -e raw="$SIGSET_CALLS" "$RUNC" "$@" ;;
    *)
      echo "strace-runc: unknown strace style '$style' in $target_file (ff, raw-n, xverbose)" >&2
      exit 1
      ;;
  esac
fi

exec "$RUNC" "$@"
