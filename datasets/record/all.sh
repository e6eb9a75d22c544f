#!/usr/bin/env bash
# Re-record every capture in datasets/captures from scratch on this machine:
#   install the tools, build the rootfs and images, start a private dockerd with the strace
#   runtime, record every run, update captures.yaml and the README summary, stop dockerd.
#
#   bash datasets/record/all.sh [IMAGE[/RUN] ...]     (as root)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { echo "all.sh: $*" >&2; }

[[ $(id -u) -eq 0 ]] || { log "ERROR: must run as root"; exit 1; }

bash "$HERE/setup-host.sh"
bash "$HERE/build-images.sh" rootfs

STATE=$(mktemp -u /var/tmp/sandmine-dockerd.XXXXXX)
stop_daemon() {
  local rc=$?
  bash "$HERE/dockerd.sh" stop "$STATE" || rc=1
  exit $rc
}
trap stop_daemon EXIT
DOCKER_HOST=$(bash "$HERE/dockerd.sh" start "$STATE")
export DOCKER_HOST

bash "$HERE/build-images.sh" images
bash "$HERE/versions.sh" >"$STATE/versions.txt"
bash "$HERE/record.sh" "$STATE" "$@"
bash "$HERE/summarize.sh" --readme >/dev/null
log "done: $(du -sh --apparent-size "$HERE/../captures" | cut -f1) in datasets/captures"
