# Shared by record.sh (datasets/captures) and record-styles.sh (datasets/styles): the
# workloads and the recording of one container run. Sourced, not run. The sourcing script
# sets HOST, TAG, STATE (the private dockerd's state dir) and defines log and die.
# shellcheck shell=bash

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
# Recording one container run.
CID=""
TRACE_DIR=""
record_cleanup() {
  local rc=$?
  rm -f "$STATE/trace-target"
  if [[ -n $CID ]]; then docker rm -f "$CID" >/dev/null 2>&1 || true; fi
  if [[ -n $TRACE_DIR && -d $TRACE_DIR ]]; then
    wait_trace_closed "$TRACE_DIR" 20 || true
    rm -rf "$TRACE_DIR"
  fi
  return $rc
}

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

# security_opts "DOCKER_RUN_OPTS": the values of its --security-opt X / --security-opt=X
# options, space-separated (empty if none).
security_opts() {
  local -a o=() out=()
  local i
  read -r -a o <<<"$1"
  for ((i = 0; i < ${#o[@]}; i++)); do
    [[ ${o[i]} == --security-opt ]] && out+=("${o[i + 1]:-}")
    [[ ${o[i]} == --security-opt=* ]] && out+=("${o[i]#--security-opt=}")
  done
  echo "${out[*]}"
}

# record_container IMAGE RUN PORT FN LABEL DEST STYLE NAME [DOCKER_RUN_OPTS]
# docker run -d --runtime strace --network host [DOCKER_RUN_OPTS] sandmine/IMAGE:TAG
# (container NAME) with the strace STYLE (ff, raw-n, xverbose: see strace-runc.sh), wait
# for PORT, run the workload function FN, docker stop -t 15 + docker rm, wait until strace
# has closed every trace file, then gzip -9 -n each file (trace.PID for ff, the single trace
# otherwise) into DEST (replacing what was there). DOCKER_RUN_OPTS (optional) is one string
# of extra docker run options split at spaces (no quoting), e.g.
# "--security-opt seccomp=unconfined"; its --security-opt values are checked against the
# container's HostConfig.SecurityOpt.
record_container() {
  local image=$1 run=$2 port=$3 fn=$4 label=$5 dest=$6 style=$7 name=$8 opts_str=${9:-}
  local -a opts=()
  [[ -n $opts_str ]] && read -r -a opts <<<"$opts_str"
  log "=== $image/$run ($style${opts_str:+, docker run $opts_str}): $label"
  mkdir -p "$STATE/traces"
  TRACE_DIR=$(mktemp -d "$STATE/traces/$image-$run.XXXXXX")
  nc -z "$HOST" "$port" 2>/dev/null && die "port $HOST:$port already in use"
  printf '%s\n%s\n' "$TRACE_DIR" "$style" >"$STATE/trace-target"
  CID=$(docker run -d --runtime strace --network host "${opts[@]}" --name "$name" "sandmine/$image:$TAG")
  rm -f "$STATE/trace-target"
  if [[ -n $opts_str ]]; then
    local have want
    have=$(docker inspect -f '{{join .HostConfig.SecurityOpt " "}}' "$CID")
    want=$(security_opts "$opts_str")
    log "$image/$run: HostConfig.SecurityOpt: [$have]"
    [[ $want == "$have" ]] || die "$image/$run: asked for --security-opt '$want', the container has '$have'"
  fi
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

  local files=("$TRACE_DIR"/trace*)
  [[ -e ${files[0]} ]] || die "$image/$run: no trace files (did the strace runtime run?)"
  if [[ $style != ff ]] && [[ ${#files[@]} -ne 1 || ${files[0]} != "$TRACE_DIR/trace" ]]; then
    die "$image/$run: style $style should write one file $TRACE_DIR/trace, found: ${files[*]}"
  fi
  # strace prints "<detached ...>" when it gives up tracing (a fatal signal, or one of its
  # own errors): the capture would end there, silently.
  if grep -l -F '<detached ...>' "${files[@]}" >&2; then
    die "$image/$run: strace detached early (files above); the capture is incomplete"
  fi
  rm -rf "$dest"
  mkdir -p "$dest"
  local f
  for f in "${files[@]}"; do
    gzip -9 -n -c "$f" >"$dest/$(basename "$f").gz"
  done
  local lines
  lines=$(cat "${files[@]}" | wc -l)
  log "$image/$run: ${#files[@]} trace files, $lines lines, $(du -sh "$dest" | cut -f1) compressed"
  rm -rf "$TRACE_DIR" "$TRACE_DIR.container.log"
  TRACE_DIR=""
}
