#!/usr/bin/env bash
# Summarize datasets/captures: per run, task files, strace lines, compressed size, distinct
# syscall names, syscalls seen in no other run of the same image, and whether runc, runc
# init and the server's execve are in the capture.
#
#   summarize.sh              print the markdown tables
#   summarize.sh --readme     also replace the block between the summary markers in
#                             datasets/README.md
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATASETS=$(cd "$HERE/.." && pwd)
CAPTURES=$DATASETS/captures
declare -A SERVER=([redis]=/usr/bin/redis-server [nginx]=/usr/sbin/nginx [memcached]=/usr/bin/memcached)

[[ -d $CAPTURES ]] || { echo "summarize: no $CAPTURES" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

runs=()
for d in "$CAPTURES"/*/run-*; do
  [[ -d $d ]] && runs+=("${d#"$CAPTURES"/}")
done

names() { grep -oE '^[0-9:.]+ [a-z_0-9]+\(' | awk '{sub(/\($/, "", $2); print $2}' | sort | uniq -c | awk '{print $2, $1}'; }
for r in "${runs[@]}"; do
  image=${r%%/*}
  mkdir -p "$tmp/$r"
  zcat "$CAPTURES/$r"/trace.*.gz >"$tmp/$r/all"
  names <"$tmp/$r/all" >"$tmp/$r/counts"
  # Server side: the task that execve()s the server, and every task that starts after that
  # execve (its threads and children). Same clock (-tt) in every file of a run.
  : >"$tmp/$r/server"
  t0=""
  for f in "$CAPTURES/$r"/trace.*.gz; do
    t=$(zcat "$f" | grep -m1 "execve(\"${SERVER[$image]}\"" | cut -d' ' -f1) || true
    if [[ -n $t ]]; then t0=$t; zcat "$f" | awk -v t="$t" '$1 >= t' >>"$tmp/$r/server"; fi
  done
  if [[ -n $t0 ]]; then
    for f in "$CAPTURES/$r"/trace.*.gz; do
      n=$(zcat "$f" | grep -c "execve(\"${SERVER[$image]}\"" || true)
      [[ $n -eq 0 ]] || continue
      first=$(zcat "$f" | sed -n '1s/ .*//p')
      if [[ $first > "$t0" ]]; then zcat "$f" >>"$tmp/$r/server"; fi
    done
  fi
  names <"$tmp/$r/server" >"$tmp/$r/scounts"
done

only_in() { # run file: names in $tmp/$r/$file that no other run of the same image has
  local r=$1 file=$2 image=${1%%/*} o
  for o in "$tmp/$image"/run-*; do [[ $o == "$tmp/$r" ]] || cut -d' ' -f1 "$o/$file"; done |
    sort -u | comm -23 <(cut -d' ' -f1 "$tmp/$r/$file") - | tr '\n' ' ' | sed 's/ $//'
}

server_table() {
  echo "Server side only (the task that execve()s the server and every task started after it):"
  echo
  echo "| image | run | server tasks' lines | distinct syscalls | syscalls only in this run (of this image) |"
  echo "|---|---|---:|---:|---|"
  local r only
  for r in "${runs[@]}"; do
    only=$(only_in "$r" scounts)
    echo "| ${r%%/*} | ${r#*/} | $(wc -l <"$tmp/$r/server") | $(wc -l <"$tmp/$r/scounts") | ${only:-—} |"
  done
}

table() {
  echo "Whole capture (runc create, runc init and the container's tasks):"
  echo
  echo "| image | run | task files | lines | compressed | distinct syscalls | runc / runc init / server execve | syscalls only in this run (of this image) |"
  echo "|---|---|---:|---:|---:|---:|---|---|"
  local r image run files lines size distinct checks only
  for r in "${runs[@]}"; do
    image=${r%%/*}
    run=${r#*/}
    files=$(find "$CAPTURES/$r" -name 'trace.*.gz' | wc -l)
    lines=$(wc -l <"$tmp/$r/all")
    size=$(du -k --apparent-size -c "$CAPTURES/$r"/trace.*.gz | tail -1 | cut -f1)
    distinct=$(wc -l <"$tmp/$r/counts")
    checks=""
    grep -q 'execve("/usr/bin/runc"' "$tmp/$r/all" && checks+="yes" || checks+="NO"
    grep -qE 'execve\("/proc/self/exe", \["[^"]*", "init"\]' "$tmp/$r/all" && checks+=" / yes" || checks+=" / NO"
    grep -q "execve(\"${SERVER[$image]}\"" "$tmp/$r/all" && checks+=" / yes" || checks+=" / NO"
    only=$(only_in "$r" counts)
    echo "| $image | $run | $files | $lines | ${size} KiB | $distinct | $checks | ${only:-—} |"
  done
}

per_image() {
  local image r
  echo
  echo "Distinct syscall names per image (union over its runs) and total size:"
  echo
  echo "| image | runs | distinct syscalls (union) | in every run | compressed |"
  echo "|---|---:|---:|---:|---:|"
  for image in $(printf '%s\n' "${runs[@]}" | cut -d/ -f1 | sort -u); do
    local n=0
    for r in "$tmp/$image"/run-*; do n=$((n + 1)); done
    local union every size
    union=$(cat "$tmp/$image"/run-*/counts | cut -d' ' -f1 | sort -u | wc -l)
    every=$(cat "$tmp/$image"/run-*/counts | cut -d' ' -f1 | sort | uniq -c | awk -v n="$n" '$1 == n' | wc -l)
    size=$(du -k --apparent-size -c "$CAPTURES/$image"/run-*/trace.*.gz | tail -1 | cut -f1)
    echo "| $image | $n | $union | $every | ${size} KiB |"
  done
  local total
  total=$(du -k --apparent-size -c "$CAPTURES"/*/run-*/trace.*.gz | tail -1 | cut -f1)
  echo
  echo "Total compressed size of all captures: ${total} KiB."
}

workloads() {
  echo "| image | run | workload (host side, against 127.0.0.1) |"
  echo "|---|---|---|"
  sed -nE 's/^  - \{ path: captures\/([^/]+)\/([^,]+),.* workload: "(.*)", server_port.*/| \1 | \2 | \3 |/p' \
    "$DATASETS/captures.yaml"
  echo
}

out=$tmp/summary.md
{ workloads; table; echo; server_table; per_image; } >"$out"
cat "$out"

if [[ ${1:-} == --readme ]]; then
  readme=$DATASETS/README.md
  begin='<!-- summary:begin (written by record/summarize.sh) -->'
  end='<!-- summary:end -->'
  grep -qF "$begin" "$readme" || { echo "summarize: no summary markers in $readme" >&2; exit 1; }
  awk -v b="$begin" -v e="$end" -v f="$out" '
    $0 == b { print; while ((getline l < f) > 0) print l; skip = 1; next }
    $0 == e { skip = 0 }
    !skip { print }' "$readme" >"$tmp/readme" && cat "$tmp/readme" >"$readme"
  echo "summarize: updated $readme" >&2
fi
