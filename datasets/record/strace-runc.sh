#!/bin/sh
# OCI runtime wrapper registered with dockerd as "--add-runtime strace=<generated shim>".
# The shim (written by dockerd.sh) exports SANDMINE_TRACE_TARGET_FILE, the path of a file
# that holds the directory the next container's trace goes to (record.sh writes it before
# each `docker run`). For `create`, runc itself, runc init and every process of the
# container are traced, one file per task (trace.PID); every other sub-command (start,
# state, kill, delete, ...) goes to runc untouched.
set -eu

RUNC=${SANDMINE_RUNC:-/usr/bin/runc}

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
  trace_dir=$(cat "$target_file")
  if [ ! -d "$trace_dir" ]; then
    echo "strace-runc: trace directory '$trace_dir' does not exist" >&2
    exit 1
  fi
  if [ -n "$(ls -A "$trace_dir")" ]; then
    echo "strace-runc: trace directory '$trace_dir' is not empty (one container per directory)" >&2
    exit 1
  fi
  exec strace -D -f -ff -tt -T -yy -s 256 -o "$trace_dir/trace" "$RUNC" "$@"
fi

exec "$RUNC" "$@"
