#!/usr/bin/env bash
# Record strace captures of the sandmine/{redis,nginx,memcached} images under workloads.
#
#   record.sh STATE_DIR [IMAGE[/RUN] ...]
#
# STATE_DIR is the running private dockerd's state dir (dockerd.sh start STATE_DIR); the
# images must be built (build-images.sh). With no IMAGE, every run of every image is
# recorded. Each run: write the trace dir into STATE_DIR/trace-target, `docker run -d
# --runtime strace --network host` the image (server in the foreground on a 127.0.0.1 port),
# wait for the port, run the workload from the host, `docker stop` + `docker rm`, wait until
# strace has closed every trace file, then gzip -9 each trace.PID into
# datasets/captures/<image>/<run>/trace.PID.gz (replacing that run's previous capture).
# Finally datasets/captures.yaml is rewritten from the run table below.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATASETS=$(cd "$HERE/.." && pwd)
CAPTURES=$DATASETS/captures
TAG=bookworm
HOST=127.0.0.1

log() { echo "record: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $# -ge 1 ]] || die "usage: $0 STATE_DIR [IMAGE[/RUN] ...]"
STATE=$(cd "$1" && pwd) || die "state dir $1 missing"
shift
export DOCKER_HOST=unix://$STATE/docker.sock
docker info >/dev/null 2>&1 || die "no dockerd answers at $DOCKER_HOST (dockerd.sh start $STATE)"
for t in redis-benchmark redis-cli ab curl memcslap nc gzip; do
  command -v "$t" >/dev/null || die "'$t' missing: run setup-host.sh"
done

# ---------------------------------------------------------------------------------------
# The runs. Each entry: image|run|port|workload function|workload label (for the manifest).
RUNS=(
  "redis|run-01|16379|redis_run01|redis-benchmark -t set,get -n 2000 (50 clients)"
  "redis|run-02|16379|redis_run02|redis-benchmark -t lpush,lpop,incr -n 1000 -c 10"
  "redis|run-03|16379|redis_run03|redis-benchmark -t mset,sadd,hset -n 1000 -c 4 -P 4 (pipelined)"
  "redis|run-04|16379|redis_run04|redis-cli admin: DEBUG POPULATE, BGSAVE, SAVE, CONFIG SET appendonly yes, BGREWRITEAOF, DEBUG SLEEP 0, DEBUG RELOAD, FLUSHALL ASYNC, INFO"
  "redis|run-05|16379|redis_run05|redis-benchmark -t rpush,lrange_100,spop,zadd,zpopmin -n 500 -c 3 -r 1000 -d 256, plus SUBSCRIBE/PUBLISH and EVAL"
  "nginx|run-01|18080|nginx_run01|ab -n 500 -c 1 /"
  "nginx|run-02|18080|nginx_run02|ab -n 2000 -c 20 /"
  "nginx|run-03|18080|nginx_run03|ab -k -n 2000 -c 4 / (keep-alive)"
  "nginx|run-04|18080|nginx_run04|ab -n 200 -c 2 /missing.html (404), ab -n 20 -c 2 /large.bin (2 MiB, sendfile), curl gzip, nginx -s reload (docker exec), ab -n 100 -c 2 /"
  "nginx|run-05|18080|nginx_run05|ab -i -n 300 -c 3 / (HEAD), nginx -s reopen (docker exec), curl range request"
  "nginx|run-06|18080|nginx_run06|WebDAV via curl: MKCOL, PUT (1 kB, 200 kB, nested path), COPY, MOVE, GET, DELETE of a collection, GET /status; ab -u (PUT) -n 50 -c 2 of 64 kB"
  "memcached|run-01|11311|memcached_run01|memcslap --test=set --concurrency=1 --execute-number=500"
  "memcached|run-02|11311|memcached_run02|memcslap --test=get --concurrency=8 --execute-number=200"
  "memcached|run-03|11311|memcached_run03|memcslap --binary --flush --test=mget --concurrency=4 --execute-number=200"
  "memcached|run-04|11311|memcached_run04|text protocol admin via nc: stats (slabs, items, settings, conns), set/get/append/incr/touch, lru_crawler metadump all, flush_all, verbosity"
  "memcached|run-05|11311|memcached_run05|memcslap --binary --test=set --noreply --non-blocking --tcp-nodelay --concurrency=2 --execute-number=300"
)

# ---------------------------------------------------------------------------------------
# Workloads ($PORT and $CID are set, every loop bounded) and record_container.
# shellcheck source=datasets/record/lib.sh
. "$HERE/lib.sh"
cleanup() {
  local rc=$?
  record_cleanup || true
  exit $rc
}
trap cleanup EXIT

record_run() {
  record_container "$1" "$2" "$3" "$4" "$5" "$CAPTURES/$1/$2" ff "sandmine-rec-$1-$2"
}

write_manifest() {
  local out=$DATASETS/captures.yaml entry image run port fn label
  {
    echo "# Written by datasets/record/record.sh: one entry per recorded run (paths relative to datasets/)."
    echo "# Each run folder holds trace.PID.gz: strace -D -f -ff -tt -T -yy -s 256 of runc create,"
    echo "# runc init and every task of the container, one gzip-compressed file per task."
    echo "captures:"
    for entry in "${RUNS[@]}"; do
      IFS='|' read -r image run port fn label <<<"$entry"
      [[ -d $CAPTURES/$image/$run ]] || continue
      label=${label//\\/\\\\}
      label=${label//\"/\\\"}
      printf '  - { path: captures/%s/%s, image: %s, run: %s, format: strace, labels: { workload: "%s", server_port: "%s" } }\n' \
        "$image" "$run" "$image" "$run" "$label" "$port"
    done
  } >"$out"
  log "wrote $out"
}

selected() { # image run
  [[ ${#SELECT[@]} -eq 0 ]] && return 0
  local s
  for s in "${SELECT[@]}"; do
    [[ $s == "$1" || $s == "$1/$2" ]] && return 0
  done
  return 1
}

declare -A RECORDED=()
SELECT=("$@")
matched=0
for entry in "${RUNS[@]}"; do
  IFS='|' read -r image run port fn label <<<"$entry"
  selected "$image" "$run" || continue
  matched=1
  started=$(date -u +%FT%TZ)
  record_run "$image" "$run" "$port" "$fn" "$label"
  RECORDED[$image]+="  $run $started $label"$'\n'
done
[[ $matched -eq 1 ]] || die "no run matches: $*"
write_manifest

# captures/<image>/recorded-with.txt: versions (from all.sh's versions.sh output, if any)
# and which runs this invocation recorded, when.
for image in "${!RECORDED[@]}"; do
  {
    [[ -s $STATE/versions.txt ]] && cat "$STATE/versions.txt"
    echo "runs of $image recorded by this invocation (UTC start times):"
    printf '%s' "${RECORDED[$image]}"
  } >"$CAPTURES/$image/recorded-with.txt"
done
