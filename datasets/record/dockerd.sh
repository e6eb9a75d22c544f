#!/usr/bin/env bash
# Start and stop a private Docker daemon for recording, by PID only.
#
#   dockerd.sh start STATE_DIR   start dockerd with its data root, exec root, socket, pid
#                                file and log inside STATE_DIR (which must not exist yet),
#                                with the runtime "strace" (strace-runc.sh) registered;
#                                prints the DOCKER_HOST value to use
#   dockerd.sh stop STATE_DIR    stop that dockerd by its recorded PID (and its managed
#                                containerd by its PID), unmount leftovers, remove STATE_DIR
#
# Files in STATE_DIR: docker.sock, dockerd.pid, containerd.pid, dockerd.log, data/, exec/,
# strace-runc (generated shim), trace-target (written by record.sh).
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { echo "dockerd.sh: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

alive() { [[ -n ${1:-} ]] && kill -0 "$1" 2>/dev/null; }

wait_gone() { # pid seconds
  local pid=$1 n=$(($2 * 10))
  while alive "$pid" && ((n-- > 0)); do sleep 0.1; done
  ! alive "$pid"
}

start() {
  local state=$1
  [[ $(id -u) -eq 0 ]] || die "must run as root"
  command -v dockerd >/dev/null || die "dockerd missing: run setup-host.sh"
  command -v docker >/dev/null || die "docker client missing: run setup-host.sh"
  command -v strace >/dev/null || die "strace missing: run setup-host.sh"
  [[ -x /usr/bin/runc ]] || die "/usr/bin/runc missing: run setup-host.sh"
  [[ ! -e $state ]] || die "state dir $state already exists (stale? stop it first)"
  mkdir -p "$state/data" "$state/exec"
  state=$(cd "$state" && pwd)

  # The runtime shim: dockerd/containerd start it with their own environment, so the
  # location of the trace-target file is baked into it here.
  cat >"$state/strace-runc" <<SHIM
#!/bin/sh
SANDMINE_TRACE_TARGET_FILE='$state/trace-target'
export SANDMINE_TRACE_TARGET_FILE
exec '$HERE/strace-runc.sh' "\$@"
SHIM
  chmod 755 "$state/strace-runc"
  chmod 755 "$HERE/strace-runc.sh"

  log "starting dockerd (state in $state)"
  setsid dockerd \
    --storage-driver=vfs --iptables=false --ip-masq=false --bridge=none \
    --data-root="$state/data" --exec-root="$state/exec" \
    --host="unix://$state/docker.sock" --pidfile="$state/dockerd.pid" \
    --add-runtime "strace=$state/strace-runc" \
    </dev/null >"$state/dockerd.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$state/dockerd.launch.pid"

  local n=600
  until docker -H "unix://$state/docker.sock" info >/dev/null 2>&1; do
    if ! alive "$pid"; then
      tail -30 "$state/dockerd.log" >&2
      die "dockerd exited during start-up (log above, $state/dockerd.log)"
    fi
    ((n-- > 0)) || { tail -30 "$state/dockerd.log" >&2; die "dockerd did not answer within 60 s"; }
    sleep 0.1
  done
  local recorded
  recorded=$(cat "$state/dockerd.pid")
  [[ $recorded == "$pid" ]] || log "note: dockerd pid file says $recorded, launched $pid"
  local cpid=$state/exec/containerd/containerd.pid
  [[ -s $cpid ]] && cp "$cpid" "$state/containerd.pid"
  log "dockerd up: pid $recorded, containerd pid $(cat "$state/containerd.pid" 2>/dev/null || echo '?')"
  echo "unix://$state/docker.sock"
}

stop() {
  local state=$1
  [[ -d $state ]] || { log "nothing to stop: $state does not exist"; return 0; }
  state=$(cd "$state" && pwd)
  local dpid="" cpid=""
  [[ -s $state/dockerd.pid ]] && dpid=$(cat "$state/dockerd.pid")
  [[ -z $dpid && -s $state/dockerd.launch.pid ]] && dpid=$(cat "$state/dockerd.launch.pid")
  [[ -s $state/containerd.pid ]] && cpid=$(cat "$state/containerd.pid")

  if alive "$dpid"; then
    # Remove our containers first, so no shim outlives the daemon.
    local sock=unix://$state/docker.sock ids
    ids=$(docker -H "$sock" ps -aq 2>/dev/null || true)
    if [[ -n $ids ]]; then
      log "removing leftover containers: $(echo $ids)"
      # shellcheck disable=SC2086
      docker -H "$sock" rm -f $ids >/dev/null 2>&1 || true
    fi
    log "stopping dockerd pid $dpid"
    kill -TERM "$dpid"
    if ! wait_gone "$dpid" 30; then
      log "dockerd pid $dpid still alive after 30 s: SIGKILL"
      kill -KILL "$dpid" 2>/dev/null || true
      wait_gone "$dpid" 5 || die "dockerd pid $dpid will not die"
    fi
  fi
  if alive "$cpid" && grep -q containerd "/proc/$cpid/comm" 2>/dev/null; then
    log "stopping managed containerd pid $cpid"
    kill -TERM "$cpid"
    wait_gone "$cpid" 15 || { kill -KILL "$cpid" 2>/dev/null || true; wait_gone "$cpid" 5 || true; }
  fi

  # Unmount anything left below the state dir (deepest first), then remove it.
  local m
  while read -r m; do
    umount "$m" 2>/dev/null || umount -l "$m" 2>/dev/null || log "could not unmount $m"
  done < <(awk -v p="$state/" 'index($2, p) == 1 {print $2}' /proc/self/mounts | sort -r)
  rm -rf --one-file-system "$state"
  log "stopped and removed $state"
}

case ${1:-} in
  start) [[ $# -eq 2 ]] || die "usage: $0 start STATE_DIR"; start "$2" ;;
  stop) [[ $# -eq 2 ]] || die "usage: $0 stop STATE_DIR"; stop "$2" ;;
  *) die "usage: $0 start|stop STATE_DIR" ;;
esac
