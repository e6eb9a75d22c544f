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
# Workloads. $PORT and $CID are set. Every loop here is bounded.
rcli() { redis-cli -h "$HOST" -p "$PORT" "$@"; }
rbench() { redis-benchmark -h "$HOST" -p "$PORT" -q "$@" | tr '\r' '\n' | grep -v '^ *$' | grep -v 'rps=' >&2; }
redis_wait_info() { # field: wait until INFO persistence says field:0 (at most 30 s)
  local n=300
  until rcli INFO persistence | tr -d '\r' | grep -q "^$1:0$"; do
    ((n-- > 0)) || die "redis: $1 still in progress after 30 s"
    sleep 0.1
  done
}
redis_run01() { rbench -t set,get -n 2000; }
redis_run02() { rbench -t lpush,lpop,incr -n 1000 -c 10; }
redis_run03() { rbench -t mset,sadd,hset -n 1000 -c 4 -P 4; }
redis_run04() {
  rcli DEBUG POPULATE 2000 key 64 >&2
  rcli BGSAVE >&2
  sleep 0.5
  redis_wait_info rdb_bgsave_in_progress
  rcli SAVE >&2
  rcli CONFIG SET appendonly yes >&2
  sleep 0.5
  redis_wait_info aof_rewrite_in_progress
  rcli CONFIG SET appendfsync always >&2
  rcli SET counter 1 >&2
  rcli INCR counter >&2
  rcli BGREWRITEAOF >&2
  sleep 0.5
  redis_wait_info aof_rewrite_in_progress
  rcli DEBUG SLEEP 0 >&2
  rcli DEBUG RELOAD >&2
  rcli CONFIG SET maxmemory 16mb >&2
  rcli CONFIG SET maxmemory-policy allkeys-lru >&2
  rcli FLUSHALL ASYNC >&2
  rcli INFO all >/dev/null
  rcli CLIENT LIST >/dev/null
  rcli MEMORY DOCTOR >/dev/null
  rcli LATENCY DOCTOR >/dev/null
  rcli SLOWLOG GET 10 >/dev/null
  rcli DBSIZE >&2
  rcli LASTSAVE >/dev/null
}
redis_run05() {
  rbench -t rpush,lrange_100,spop,zadd,zpopmin -n 500 -c 3 -r 1000 -d 256
  # One subscriber (bounded by timeout) and a publisher.
  timeout 5 redis-cli -h "$HOST" -p "$PORT" SUBSCRIBE news >/dev/null 2>&1 &
  local sub=$!
  sleep 0.5
  local i
  for i in 1 2 3 4 5; do rcli PUBLISH news "message $i" >/dev/null; done
  kill "$sub" 2>/dev/null || true
  wait "$sub" 2>/dev/null || true
  rcli EVAL "return redis.call('INCRBY', KEYS[1], ARGV[1])" 1 evalkey 5 >&2
  rcli SCRIPT FLUSH >/dev/null
}

url() { echo "http://$HOST:$PORT$1"; }
abq() { # ab, print the summary; with expected=2xx (the default) any non-2xx answer is an error
  local out
  out=$(ab -q "$@" 2>&1) || { echo "$out" >&2; die "ab $* failed"; }
  echo "$out" | grep -E '^(Complete requests|Failed requests|Non-2xx responses|Requests per second)' | sed 's/^/ab: /' >&2
  if [[ ${expected:-2xx} == 2xx ]] && echo "$out" | grep -q '^Non-2xx responses'; then
    die "ab $*: non-2xx responses where 200 was expected"
  fi
}
nginx_run01() { abq -n 500 -c 1 "$(url /)"; }
nginx_run02() { abq -n 2000 -c 20 "$(url /)"; }
nginx_run03() { abq -k -n 2000 -c 4 "$(url /)"; }
nginx_run04() {
  expected=404 abq -n 200 -c 2 "$(url /missing.html)"
  abq -n 20 -c 2 "$(url /large.bin)"
  curl -sS -o /dev/null -H 'Accept-Encoding: gzip' -w 'gzip GET: %{http_code} %{size_download} bytes\n' "$(url /index.html)" >&2
  docker exec "$CID" nginx -c /etc/nginx/sandmine.conf -s reload
  sleep 2
  abq -n 100 -c 2 "$(url /)"
}
nginx_run05() {
  abq -i -n 300 -c 3 "$(url /)"
  docker exec "$CID" nginx -c /etc/nginx/sandmine.conf -s reopen
  sleep 1
  curl -sS -o /dev/null -r 0-1023 -w 'range GET: %{http_code} %{size_download} bytes\n' "$(url /large.bin)" >&2
}

dav() { # method path [curl args...]: one WebDAV request that must answer 2xx
  local m=$1 p=$2 code
  shift 2
  code=$(curl -sS -o /dev/null -w '%{http_code}' -X "$m" "$@" "$(url "$p")")
  echo "dav: $m $p -> $code" >&2
  [[ $code == 2?? ]] || die "WebDAV $m $p answered $code"
}
nginx_run06() {
  local small big
  small=$(mktemp "$STATE/upload-small.XXXXXX")
  big=$(mktemp "$STATE/upload-big.XXXXXX")
  head -c 1000 /dev/urandom >"$small"
  head -c 200000 /dev/urandom >"$big"
  dav MKCOL /dav/dir1/
  dav MKCOL /dav/dir2/
  dav PUT /dav/dir1/a.txt --data-binary "@$small"
  dav PUT /dav/dir1/b.bin --data-binary "@$big"
  dav PUT /dav/deep/path/c.txt --data-binary "@$small"
  dav COPY /dav/dir1/a.txt -H "Destination: $(url /dav/dir1/a-copy.txt)"
  dav MOVE /dav/dir1/b.bin -H "Destination: $(url /dav/dir2/b.bin)"
  dav GET /dav/dir1/a-copy.txt
  dav DELETE /dav/dir1/
  dav GET /status
  head -c 65536 /dev/urandom >"$big"
  abq -u "$big" -T application/octet-stream -n 50 -c 2 "$(url /dav/ab.bin)"
  dav DELETE /dav/ab.bin
  rm -f "$small" "$big"
}

mslap() {
  local out
  out=$(memcslap --servers="$HOST:$PORT" "$@" 2>&1) || { echo "$out" >&2; die "memcslap $* failed"; }
  echo "$out" | grep -v '^\s*$' | sed 's/^/memcslap: /' >&2
}
memcached_run01() { mslap --test=set --concurrency=1 --execute-number=500; }
memcached_run02() { mslap --test=get --concurrency=8 --execute-number=200; }
memcached_run03() { mslap --binary --flush --test=mget --concurrency=4 --execute-number=200; }
memcached_run04() {
  printf '%s\r\n' \
    'version' 'stats' 'stats slabs' 'stats items' 'stats settings' 'stats conns' \
    'set alpha 0 0 5' 'hello' 'get alpha' 'append alpha 0 0 6' ' world' 'gets alpha' \
    'set n 0 0 1' '1' 'incr n 41' 'decr n 2' 'touch alpha 60' 'delete n' \
    'lru_crawler metadump all' 'flush_all' 'verbosity 1' 'stats reset' 'quit' |
    nc -q 2 "$HOST" "$PORT" | grep -cE '^(STAT|ITEM|key=)' | sed 's/^/memcached admin: lines of stats: /' >&2
}
memcached_run05() { mslap --binary --test=set --noreply --non-blocking --tcp-nodelay --concurrency=2 --execute-number=300; }

# ---------------------------------------------------------------------------------------
CID=""
TRACE_DIR=""
cleanup() {
  local rc=$?
  rm -f "$STATE/trace-target"
  if [[ -n $CID ]]; then docker rm -f "$CID" >/dev/null 2>&1 || true; fi
  if [[ -n $TRACE_DIR && -d $TRACE_DIR ]]; then
    wait_trace_closed "$TRACE_DIR" 20 || true
    rm -rf "$TRACE_DIR"
  fi
  exit $rc
}
trap cleanup EXIT

wait_port() { # port seconds
  local n=$(($2 * 10))
  until nc -z "$HOST" "$1" 2>/dev/null; do
    ((n-- > 0)) || return 1
    sleep 0.1
  done
}

# True once no process has a file open below $1 (strace closes its output at exit).
trace_open() {
  local d=$1 fd
  for fd in /proc/[0-9]*/fd/*; do
    [[ $(readlink "$fd" 2>/dev/null) == "$d"/* ]] && return 0
  done
  return 1
}
wait_trace_closed() { # dir seconds
  local n=$(($2 * 2))
  while trace_open "$1"; do
    ((n-- > 0)) || return 1
    sleep 0.5
  done
}

record_run() {
  local image=$1 run=$2 port=$3 fn=$4 label=$5
  local dest=$CAPTURES/$image/$run
  log "=== $image/$run: $label"
  mkdir -p "$STATE/traces"
  TRACE_DIR=$(mktemp -d "$STATE/traces/$image-$run.XXXXXX")
  nc -z "$HOST" "$port" 2>/dev/null && die "port $HOST:$port already in use"
  echo "$TRACE_DIR" >"$STATE/trace-target"
  CID=$(docker run -d --runtime strace --network host --name "sandmine-rec-$image-$run" \
    "sandmine/$image:$TAG")
  rm -f "$STATE/trace-target"
  if ! wait_port "$port" 60; then
    docker logs "$CID" 2>&1 | tail -20 >&2
    die "$image/$run: server did not listen on $HOST:$port within 60 s"
  fi
  PORT=$port
  "$fn"
  [[ $(docker inspect -f '{{.State.Running}}' "$CID") == true ]] ||
    { docker logs "$CID" 2>&1 | tail -20 >&2; die "$image/$run: container died during the workload"; }
  docker stop -t 15 "$CID" >/dev/null
  docker logs "$CID" >"$TRACE_DIR.container.log" 2>&1 || true
  docker rm "$CID" >/dev/null
  CID=""
  wait_trace_closed "$TRACE_DIR" 60 || die "$image/$run: strace still writing after 60 s"

  local files=("$TRACE_DIR"/trace.*)
  [[ -e ${files[0]} ]] || die "$image/$run: no trace files (did the strace runtime run?)"
  rm -rf "$dest"
  mkdir -p "$dest"
  local f
  for f in "${files[@]}"; do
    gzip -9 -n -c "$f" >"$dest/$(basename "$f").gz"
  done
  local lines
  lines=$(cat "${files[@]}" | wc -l)
  log "$image/$run: ${#files[@]} task files, $lines lines, $(du -sh "$dest" | cut -f1) compressed"
  rm -rf "$TRACE_DIR" "$TRACE_DIR.container.log"
  TRACE_DIR=""
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
