#!/usr/bin/env bash
# Records datasets/styles/odd/: real strace lines for the notations nothing else produces here —
# calls strace cannot name, x32 personality switches, -n's [???], and strace sharing its stream
# with the program (spliced lines). No container: progs/odd-syscalls.c is built with gcc and traced
# directly (strace 6.1, as root or not).
#
#   record-odd.sh
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
OUT=$HERE/../styles/odd
command -v gcc >/dev/null || { echo "record-odd: gcc missing" >&2; exit 1; }
command -v strace >/dev/null || { echo "record-odd: strace missing" >&2; exit 1; }
WORK=$(mktemp -d /tmp/sandmine-odd.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
gcc -O1 -o "$WORK/odd-syscalls" "$HERE/progs/odd-syscalls.c" -lpthread
mkdir -p "$OUT/raw-n/run-01" "$OUT/stderr-n/run-01"
# -o: strace's file alone (PID prefixes, hex constants, numbers)
strace -f -o "$WORK/trace" -ttt -T -X raw -n -s 256 "$WORK/odd-syscalls" 2>/dev/null || true
gzip -9 -n -c "$WORK/trace" >"$OUT/raw-n/run-01/trace.gz"
# no -o: strace and the program share stderr ([pid N] prefixes, personality lines, spliced calls)
strace -f -tt -T -n -s 256 "$WORK/odd-syscalls" 2>"$WORK/stderr" || true
gzip -9 -n -c "$WORK/stderr" >"$OUT/stderr-n/run-01/trace.gz"
for f in "$OUT"/*/run-01/trace.gz; do echo "record-odd: $f: $(zcat "$f" | wc -l) lines"; done
