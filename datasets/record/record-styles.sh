#!/usr/bin/env bash
# Record the captures of datasets/styles: other strace styles than the -ff captures of
# datasets/captures, a PostgreSQL image, use-case runs, and one capture in which strace and
# the traced program write to the same stream.
#
#   record-styles.sh STATE_DIR [GROUP[/IMAGE[/DIR]] ...]
#
# STATE_DIR is the running private dockerd's state dir (dockerd.sh start STATE_DIR); the
# images must be built (build-images.sh). GROUP is raw-n, ff, usecase, xverbose, spliced,
# unconfined or nnp (the first folder below datasets/styles). With no selection, every run
# below is recorded. Container runs go through lib.sh's record_container (same steps as
# record.sh), with the strace style written as the second line of STATE_DIR/trace-target
# (see strace-runc.sh) and the run's extra docker run options, if it has any.
# The spliced run needs no container: strace runs memcached on the host, strace's and
# memcached's stderr go into the same pipe. Writes datasets/styles/GROUP/IMAGE/DIR/,
# rewrites datasets/styles.yaml from the table below and appends the versions and the runs
# recorded to datasets/styles/recorded-with.txt (runs of the groups in OWN_LOG_GROUPS: to
# datasets/styles/GROUP/recorded-with.txt instead). datasets/captures is not touched.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
DATASETS=$(cd "$HERE/.." && pwd)
STYLES=$DATASETS/styles
TAG=bookworm
HOST=127.0.0.1

log() { echo "record-styles: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $# -ge 1 ]] || die "usage: $0 STATE_DIR [GROUP[/IMAGE[/DIR]] ...]"
STATE=$(cd "$1" && pwd) || die "state dir $1 missing"
shift
export DOCKER_HOST=unix://$STATE/docker.sock
docker info >/dev/null 2>&1 || die "no dockerd answers at $DOCKER_HOST (dockerd.sh start $STATE)"
for t in redis-benchmark redis-cli ab curl memcslap nc gzip psql pg_isready strace od stdbuf timeout; do
  command -v "$t" >/dev/null || die "'$t' missing: run setup-host.sh styles"
done
# pgbench: Debian 12 ships it with the server package (postgresql-15), /usr/bin/pgbench is
# postgresql-common's wrapper around it.
PGBENCH=""
for p in /usr/lib/postgresql/*/bin/pgbench; do [[ -x $p ]] && PGBENCH=$p; done
[[ -n $PGBENCH ]] || die "pgbench missing (apt-get install postgresql-15): run setup-host.sh styles"

# ---------------------------------------------------------------------------------------
# The runs. Each entry:
#   group|image|dir|run id|strace style|role|use case|port|workload function|label[|docker run options]
# path = styles/GROUP/IMAGE/DIR; run ids are unique per image over the whole manifest. The
# optional last field is added to `docker run` as is (split at spaces); each --security-opt
# value in it becomes the run's labels.security_opt in styles.yaml.
RUNS=(
  "raw-n|nginx|run-01|raw-01|raw-n|benchmark||18080|nginx_run01|ab -n 500 -c 1 /"
  "raw-n|nginx|run-02|raw-02|raw-n|benchmark||18080|nginx_run02|ab -n 2000 -c 20 /"
  "raw-n|redis|run-01|raw-01|raw-n|benchmark||16379|redis_run01|redis-benchmark -t set,get -n 2000 (50 clients)"
  "raw-n|redis|run-02|raw-02|raw-n|benchmark||16379|redis_run02|redis-benchmark -t lpush,lpop,incr -n 1000 -c 10"
  "raw-n|memcached|run-01|raw-01|raw-n|benchmark||11311|memcached_run01|memcslap --test=set --concurrency=1 --execute-number=500"
  "raw-n|memcached|run-02|raw-02|raw-n|benchmark||11311|memcached_run02|memcslap --test=get --concurrency=8 --execute-number=200"
  "raw-n|postgres|run-01|raw-01|raw-n|benchmark||15432|postgres_run01|pgbench -i -s 1, then pgbench -c 2 -j 1 -t 200"
  "raw-n|postgres|run-02|raw-02|raw-n|benchmark||15432|postgres_run02|pgbench -i -s 1, then pgbench -c 4 -j 1 -t 100"
  "ff|postgres|run-01|ff-01|ff|benchmark||15432|postgres_run01|pgbench -i -s 1, then pgbench -c 2 -j 1 -t 200"
  "ff|postgres|run-02|ff-02|ff|benchmark||15432|postgres_run02|pgbench -i -s 1, then pgbench -c 4 -j 1 -t 100"
  "usecase|nginx|autoindex|uc-autoindex|ff|usecase|autoindex|18080|nginx_uc_autoindex|autoindex listings via curl: /files/, /files/docs/, /files/empty/, a file, a symlink, a missing dir (404), HEAD; ab -n 100 -c 2 /files/"
  "usecase|redis|admin|uc-admin|ff|usecase|admin|16379|redis_uc_admin|redis-cli: DEBUG POPULATE, SAVE, BGSAVE, CLIENT SETNAME/LIST/INFO, BGREWRITEAOF, DEBUG SLEEP, DEBUG OBJECT, EXPIRE + active expiry, MONITOR, CONFIG GET, INFO all, FLUSHALL"
  "usecase|memcached|stats-binary|uc-stats-binary|ff|usecase|stats-binary|11311|memcached_uc_stats_binary|text stats (stats, slabs, items, sizes, detail on/dump/off, lru_crawler crawl), binary protocol by hand via nc (stats, version, noop, quit), memcslap --binary --test=get --concurrency=2 --execute-number=100"
  "usecase|postgres|maintenance|uc-maintenance|ff|usecase|maintenance|15432|postgres_uc_maintenance|psql -c per statement (a new connection each): CREATE TABLE AS, DELETE, VACUUM FULL, COPY TO/FROM '/tmp' server-side, CREATE INDEX, ANALYZE, CHECKPOINT, pg_reload_conf(); 20 more connections with one SELECT each"
  "xverbose|redis|run-01|xv-01|xverbose|benchmark||16379|redis_run01|redis-benchmark -t set,get -n 2000 (50 clients)"
  "spliced|memcached|run-01|spliced-01|spliced|benchmark||11411|memcached_spliced|memcslap --test=set --concurrency=1 --execute-number=50, then text protocol via nc (set, get, incr, delete, stats)"
  # Other confinements: no seccomp filter at all (runc loads none), and no-new-privileges
  # (Docker's default profile, which runc then loads last, just before the execve).
  "unconfined|nginx|ff-01|unconf-ff-01|ff|benchmark||18080|nginx_run01|ab -n 500 -c 1 /|--security-opt seccomp=unconfined"
  "unconfined|nginx|raw-01|unconf-raw-01|raw-n|benchmark||18080|nginx_run01|ab -n 500 -c 1 /|--security-opt seccomp=unconfined"
  "nnp|nginx|ff-01|nnp-ff-01|ff|benchmark||18080|nginx_run01|ab -n 500 -c 1 /|--security-opt no-new-privileges"
  "nnp|nginx|raw-01|nnp-raw-01|raw-n|benchmark||18080|nginx_run01|ab -n 500 -c 1 /|--security-opt no-new-privileges"
)
# Groups that keep their own styles/GROUP/recorded-with.txt (recorded separately, later).
OWN_LOG_GROUPS=(unconfined nnp)

# The strace command line of each style, for the manifest header and the README.
declare -A STRACE_CMD=(
  [ff]="strace -D -f -ff -tt -T -yy -s 256 -o DIR/trace /usr/bin/runc create ..."
  [raw-n]="strace -D -f -o DIR/trace -ttt -T -X raw -n -s 256 /usr/bin/runc create ..."
  [xverbose]="strace -D -f -o DIR/trace -tt -T -X verbose -yy -s 256 -e raw=rt_sigprocmask,rt_sigaction,rt_sigpending,rt_sigsuspend,rt_sigtimedwait,ppoll,pselect6,epoll_pwait,epoll_pwait2,signalfd,signalfd4 /usr/bin/runc create ..."
  [spliced]="strace -f -tt -T memcached -u memcache -vv -l 127.0.0.1 -p 11411 2>&1 | gzip -9 -n"
)

# ---------------------------------------------------------------------------------------
# Workloads of datasets/captures (redis_run01, nginx_run01, memcached_run01, ...) and
# record_container.
# shellcheck source=datasets/record/lib.sh
. "$HERE/lib.sh"

# --- postgres -----------------------------------------------------------------------------
pg_wait_ready() { # the port answers before postgres accepts connections: wait for that too
  local n=300
  until pg_isready -q -h "$HOST" -p "$PORT" -U postgres; do
    ((n-- > 0)) || die "postgres: not accepting connections after 30 s"
    sleep 0.1
  done
}
pgb() { # pgbench ARGS: must succeed; a benchmark must process every transaction, none failed
  local out
  out=$("$PGBENCH" -h "$HOST" -p "$PORT" -U postgres "$@" postgres 2>&1) ||
    { echo "$out" >&2; die "pgbench $* failed"; }
  echo "$out" | grep -E '^(done in|number of (transactions|failed)|tps|latency average)' | sed 's/^/pgbench: /' >&2
  if [[ " $* " != *" -i "* ]]; then
    echo "$out" | grep -qE '^number of transactions actually processed: ([0-9]+)/\1$' ||
      { echo "$out" >&2; die "pgbench $*: not every transaction was processed"; }
    if echo "$out" | grep -qE '^number of failed transactions: [1-9]'; then
      echo "$out" >&2
      die "pgbench $*: failed transactions"
    fi
  fi
}
postgres_run01() { pg_wait_ready; pgb -i -s 1 -q; pgb -c 2 -j 1 -t 200; }
postgres_run02() { pg_wait_ready; pgb -i -s 1 -q; pgb -c 4 -j 1 -t 100; }

pq() { # expected SQL: one psql process, so one new connection and one backend, per statement
  local want=$1 sql=$2 got
  got=$(psql -X -q -A -t -v ON_ERROR_STOP=1 -h "$HOST" -p "$PORT" -U postgres -d postgres -c "$sql" 2>&1) ||
    { echo "$got" >&2; die "psql -c \"$sql\" failed"; }
  [[ -z $want || $got == "$want" ]] || die "psql -c \"$sql\": expected '$want', got '$got'"
  local msg="psql: $sql -> ${got:-(ok)}"
  echo "${msg:0:300}" >&2
}
postgres_uc_maintenance() {
  pg_wait_ready
  pq "" "CREATE TABLE t AS SELECT g AS id, md5(g::text) AS v FROM generate_series(1, 20000) g"
  pq "" "DELETE FROM t WHERE id % 2 = 0"
  pq "" "VACUUM FULL t"
  pq "10000" "SELECT count(*) FROM t"
  # Server-side COPY: the backend itself writes and reads the file (superuser postgres).
  pq "" "COPY t TO '/tmp/sandmine-copy.csv' WITH (FORMAT csv)"
  pq "" "CREATE TABLE t2 (id int, v text)"
  pq "" "COPY t2 FROM '/tmp/sandmine-copy.csv' WITH (FORMAT csv)"
  pq "10000" "SELECT count(*) FROM t2"
  pq "" "CREATE INDEX t_v ON t (v)"
  pq "" "ANALYZE t"
  pq "" "CHECKPOINT"
  pq "t" "SELECT pg_reload_conf()"
  local i
  for i in $(seq 1 20); do pq "1" "SELECT count(*) FROM t WHERE id = $((2 * i - 1))"; done
  pq "" "DROP TABLE t, t2"
}

# --- nginx --------------------------------------------------------------------------------
get_expect() { # code path [curl args]: one GET that must answer code; prints the body size
  local want=$1 p=$2 code
  shift 2
  code=$(curl -sS -o "$STATE/body" -w '%{http_code}' "$@" "$(url "$p")")
  echo "curl: $* $p -> $code, $(wc -c <"$STATE/body") bytes" >&2
  [[ $code == "$want" ]] || die "GET $p answered $code, expected $want"
}
nginx_uc_autoindex() {
  get_expect 200 /files/
  grep -q 'file-8.dat' "$STATE/body" || die "autoindex /files/ does not list file-8.dat"
  grep -q 'docs/' "$STATE/body" || die "autoindex /files/ does not list docs/"
  get_expect 200 /files/docs/
  grep -q 'readme.txt' "$STATE/body" || die "autoindex /files/docs/ does not list readme.txt"
  get_expect 200 /files/empty/
  get_expect 200 /files/file-3.dat
  get_expect 200 /files/link-to-index.html
  get_expect 404 /files/missing/
  get_expect 301 /files/docs
  get_expect 200 /files/ -I
  rm -f "$STATE/body"
  abq -n 100 -c 2 "$(url /files/)"
}

# --- redis --------------------------------------------------------------------------------
rexpect() { # expected command...: one redis-cli call whose answer must be expected
  local want=$1 got
  shift
  got=$(rcli "$@" | tr -d '\r') || die "redis-cli $* failed"
  [[ $got == "$want" ]] || die "redis-cli $*: expected '$want', got '$got'"
  echo "redis-cli $* -> $got" >&2
}
redis_uc_admin() {
  rexpect OK DEBUG POPULATE 5000 key 32
  rexpect OK SAVE
  rexpect "Background saving started" BGSAVE
  sleep 0.5
  redis_wait_info rdb_bgsave_in_progress
  rexpect OK CLIENT SETNAME sandmine-admin
  rcli CLIENT LIST | grep -c '^id=' | sed 's/^/redis: CLIENT LIST lines: /' >&2
  rcli CLIENT INFO >/dev/null
  rexpect "Background append only file rewriting started" BGREWRITEAOF
  sleep 0.5
  redis_wait_info aof_rewrite_in_progress
  rexpect OK DEBUG SLEEP 0.2
  rcli DEBUG OBJECT key:1 | grep -q 'serializedlength' || die "DEBUG OBJECT key:1: no answer"
  rcli DEBUG DIGEST >/dev/null
  rexpect 1 EXPIRE key:2 1
  rexpect 1 PEXPIRE key:3 200
  # MONITOR for 2 s (bounded by timeout) while a few commands run.
  timeout 2 stdbuf -oL redis-cli -h "$HOST" -p "$PORT" MONITOR >"$STATE/monitor" 2>&1 &
  local mon=$!
  sleep 0.5
  rexpect OK SET monitored 1
  rexpect 2 INCR monitored
  wait "$mon" 2>/dev/null || true
  grep -q '"INCR" "monitored"' "$STATE/monitor" || die "MONITOR did not see INCR"
  rm -f "$STATE/monitor"
  sleep 1.5 # key:2 and key:3 expire (active expiry cycle)
  rexpect 0 EXISTS key:2
  rcli CONFIG GET '*' >/dev/null
  rcli INFO all >/dev/null
  rcli MEMORY USAGE key:4 >/dev/null
  rexpect OK FLUSHALL
  rexpect OK SAVE
  rcli LASTSAVE >/dev/null
}

# --- memcached ----------------------------------------------------------------------------
mc_text() { # commands...: one nc session; prints the answer
  printf '%s\r\n' "$@" | nc -q 2 "$HOST" "$PORT"
}
# One binary-protocol request header (24 bytes, no key, extras or body) for opcode $1 (hex).
mc_bin_req() { printf "\\x80\\x$1\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00\\x00"; }
memcached_uc_stats_binary() {
  local out
  # stats detail counts per key prefix (up to the ':' delimiter): keys sm:*.
  out=$(mc_text 'set sm:alpha 0 0 5' 'hello' 'get sm:alpha' 'gets sm:alpha' 'stats' 'stats slabs' \
    'stats items' 'stats sizes' 'stats detail on' 'get sm:alpha' 'get sm:missing' \
    'set sm:beta 0 0 2' 'hi' 'stats detail dump' 'stats detail off' 'lru_crawler crawl all' \
    'stats settings' 'quit')
  echo "$out" | grep -q '^STORED' || die "memcached: set sm:alpha not STORED"
  echo "$out" | grep -q '^STAT pid ' || die "memcached: no 'stats' answer"
  echo "$out" | grep -q '^PREFIX sm ' || die "memcached: no 'stats detail dump' answer"
  echo "$out" | grep -cE '^(STAT|PREFIX|VALUE)' | sed 's/^/memcached text: answer lines: /' >&2
  # Binary protocol: stats (0x10), version (0x0b), noop (0x0a), quit (0x07). Every answer
  # packet starts with the response magic 0x81.
  out=$({ mc_bin_req 10; mc_bin_req 0b; mc_bin_req 0a; mc_bin_req 07; } | nc -q 2 "$HOST" "$PORT" | od -An -v -tx1 | tr -s ' \n' ' ')
  [[ $out == " 81 10 "* ]] || die "memcached binary stats: unexpected answer '${out:0:60}'"
  echo "$out" | grep -q ' 81 0b ' || die "memcached binary version: no answer"
  echo "$out" | grep -q ' 81 0a ' || die "memcached binary noop: no answer"
  echo "memcached binary: $(($(echo "$out" | wc -w))) bytes of answers" >&2
  mslap --binary --test=get --concurrency=2 --execute-number=100
}

# --- spliced: strace and memcached on the host, writing to one pipe -------------------------
SPLICE_DIR=""
SPLICE_STRACE=""
SPLICE_GZIP=""
splice_cleanup() {
  local p
  for p in $SPLICE_STRACE $SPLICE_GZIP; do
    if kill -0 "$p" 2>/dev/null; then kill -TERM "$p" 2>/dev/null || true; fi
  done
  [[ -n $SPLICE_DIR && -d $SPLICE_DIR ]] && rm -rf "$SPLICE_DIR"
  return 0
}
memcached_spliced() {
  mslap --test=set --concurrency=1 --execute-number=50
  local out
  out=$(mc_text 'set k1 0 0 3' 'abc' 'get k1' 'set n 0 0 1' '5' 'incr n 10' 'delete k1' \
    'get k1' 'stats' 'quit')
  echo "$out" | grep -q '^STORED' || die "memcached: set k1 not STORED"
  echo "$out" | grep -q '^15' || die "memcached: incr n 10 did not answer 15"
  echo "$out" | grep -q '^STAT pid ' || die "memcached: no 'stats' answer"
}
running() { # pid: alive and not a zombie (strace is our child until we wait for it)
  local st
  st=$(awk '{print $3}' "/proc/$1/stat" 2>/dev/null) || return 1
  [[ -n $st && $st != Z ]]
}
record_spliced() { # image run port fn label dest
  local image=$1 run=$2 port=$3 fn=$4 label=$5 dest=$6
  log "=== $image/$run (spliced, on the host): $label"
  [[ -x /usr/bin/memcached ]] || die "/usr/bin/memcached missing: run setup-host.sh styles"
  nc -z "$HOST" "$port" 2>/dev/null && die "port $HOST:$port already in use"
  SPLICE_DIR=$(mktemp -d /var/tmp/sandmine-spliced.XXXXXX)
  mkfifo "$SPLICE_DIR/pipe"
  gzip -9 -n <"$SPLICE_DIR/pipe" >"$SPLICE_DIR/trace.gz" &
  SPLICE_GZIP=$!
  # stdout and stderr of strace (and so of memcached, its child) are the same pipe.
  strace -f -tt -T /usr/bin/memcached -u memcache -vv -l "$HOST" -p "$port" >"$SPLICE_DIR/pipe" 2>&1 &
  SPLICE_STRACE=$!
  if ! wait_port "$port" 60; then die "$image/$run: memcached did not listen on $HOST:$port within 60 s"; fi
  PORT=$port
  "$fn"
  local mc
  mc=$(cat "/proc/$SPLICE_STRACE/task/$SPLICE_STRACE/children" 2>/dev/null | awk '{print $1}')
  [[ -n $mc ]] && grep -q memcached "/proc/$mc/comm" 2>/dev/null ||
    die "$image/$run: memcached (child of strace pid $SPLICE_STRACE) is not running"
  log "stopping memcached pid $mc (SIGTERM)"
  kill -TERM "$mc"
  local n=300
  while running "$SPLICE_STRACE"; do
    ((n-- > 0)) || die "$image/$run: strace pid $SPLICE_STRACE still running 30 s after SIGTERM to memcached"
    sleep 0.1
  done
  wait "$SPLICE_STRACE" || log "strace exited with status $? (memcached's exit status)"
  wait "$SPLICE_GZIP" || die "$image/$run: gzip failed"
  SPLICE_STRACE=""
  SPLICE_GZIP=""
  rm -rf "$dest"
  mkdir -p "$dest"
  cp "$SPLICE_DIR/trace.gz" "$dest/trace.gz"
  log "$image/$run: 1 trace file, $(zcat "$dest/trace.gz" | wc -l) lines, $(du -sh "$dest" | cut -f1) compressed"
  rm -rf "$SPLICE_DIR"
  SPLICE_DIR=""
}

cleanup() {
  local rc=$?
  record_cleanup || true
  splice_cleanup || true
  rm -f "$STATE/body" "$STATE/monitor"
  exit $rc
}
trap cleanup EXIT

# ---------------------------------------------------------------------------------------
yaml_str() { local s=${1//\\/\\\\}; printf '"%s"' "${s//\"/\\\"}"; }
write_manifest() {
  local out=$DATASETS/styles.yaml entry group image dir id style role uc port fn label opts secopt
  {
    echo "# Written by datasets/record/record-styles.sh: one entry per run in datasets/styles (paths relative"
    echo "# to datasets/). labels.style is the strace style of the run:"
    local s
    for s in ff raw-n xverbose spliced; do echo "#   $s: ${STRACE_CMD[$s]}"; done
    echo "# ff folders hold one trace.PID.gz per task, the other styles one trace.gz for all tasks."
    echo "captures:"
    for entry in "${RUNS[@]}"; do
      IFS='|' read -r group image dir id style role uc port fn label opts <<<"$entry"
      [[ -d $STYLES/$group/$image/$dir ]] || continue
      printf '  - { path: styles/%s/%s/%s, image: %s, run: %s, format: strace, labels: { style: %s, role: %s, workload: %s' \
        "$group" "$image" "$dir" "$image" "$id" "$style" "$role" "$(yaml_str "$label")"
      [[ -n $uc ]] && printf ', usecase: %s' "$uc"
      printf ', server_port: "%s"' "$port"
      secopt=$(security_opts "$opts")
      [[ -n $secopt ]] && printf ', security_opt: %s' "$(yaml_str "$secopt")"
      printf ' } }\n'
    done
  } >"$out"
  log "wrote $out"
}

selected() { # group image dir
  [[ ${#SELECT[@]} -eq 0 ]] && return 0
  local s
  for s in "${SELECT[@]}"; do
    [[ $s == "$1" || $s == "$1/$2" || $s == "$1/$2/$3" ]] && return 0
  done
  return 1
}

# Run ids must be unique per image over the whole table.
dups=$(for entry in "${RUNS[@]}"; do IFS='|' read -r _ image _ id _ <<<"$entry"; echo "$image $id"; done | sort | uniq -d)
[[ -z $dups ]] || die "run ids not unique per image: $dups"

own_log() { # group: true if the group keeps its own styles/GROUP/recorded-with.txt
  local g
  for g in "${OWN_LOG_GROUPS[@]}"; do [[ $g == "$1" ]] && return 0; done
  return 1
}

SELECT=("$@")
# The runs recorded, per recorded-with.txt they are logged in.
declare -A RECORDED=()
LOGS=()
matched=0
for entry in "${RUNS[@]}"; do
  IFS='|' read -r group image dir id style role uc port fn label opts <<<"$entry"
  selected "$group" "$image" "$dir" || continue
  matched=1
  started=$(date -u +%FT%TZ)
  dest=$STYLES/$group/$image/$dir
  if [[ $style == spliced ]]; then
    record_spliced "$image" "$dir" "$port" "$fn" "$label" "$dest"
  else
    record_container "$image" "$dir" "$port" "$fn" "$label" "$dest" "$style" \
      "sandmine-rec-$group-$image-$dir" "$opts"
  fi
  logfile=$STYLES/recorded-with.txt
  own_log "$group" && logfile=$STYLES/$group/recorded-with.txt
  [[ -n ${RECORDED[$logfile]+set} ]] || LOGS+=("$logfile")
  RECORDED[$logfile]+="  styles/$group/$image/$dir ($image $id, style $style${opts:+, docker run $opts}) $started $label"$'\n'
done
[[ $matched -eq 1 ]] || die "no run matches: $*"
write_manifest

# recorded-with.txt: one block per invocation, appended (datasets/styles/recorded-with.txt,
# or styles/GROUP/recorded-with.txt for the groups in OWN_LOG_GROUPS).
for logfile in "${LOGS[@]}"; do
  {
    echo "=== record-styles.sh invocation"
    bash "$HERE/versions.sh"
    echo "postgres image packages (sandmine/base-postgres:bookworm: the base tree plus postgresql):"
    sed 's/^/  /' "${SANDMINE_CACHE:-/var/tmp/sandmine-cache}/bookworm-postgres-rootfs/.sandmine-packages"
    echo "host packages for these runs:"
    dpkg-query -W -f='  ${Package} ${Version}\n' postgresql-client-15 postgresql-15 memcached 2>/dev/null || true
    echo "pgbench: $("$PGBENCH" --version)"
    echo "strace command lines (strace-runc.sh; spliced: record_spliced):"
    for s in ff raw-n xverbose spliced; do echo "  $s: ${STRACE_CMD[$s]}"; done
    echo "runs recorded by this invocation (UTC start times):"
    printf '%s' "${RECORDED[$logfile]}"
    echo
  } >>"$logfile"
  log "appended to $logfile"
done
