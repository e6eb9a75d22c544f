#!/usr/bin/env bash
# Record the captures of datasets/styles (other strace styles, postgres, use cases, the
# spliced capture) from scratch on this machine: install the tools, build or reuse the
# rootfs trees and images, start a private dockerd with the strace runtime, record, write
# datasets/styles.yaml and append to datasets/styles/recorded-with.txt, stop dockerd.
# datasets/captures and captures.yaml are not touched.
#
#   bash datasets/record/all-styles.sh [GROUP[/IMAGE[/DIR]] ...]     (as root)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { echo "all-styles.sh: $*" >&2; }

[[ $(id -u) -eq 0 ]] || { log "ERROR: must run as root"; exit 1; }

bash "$HERE/setup-host.sh" styles
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
bash "$HERE/record-styles.sh" "$STATE" "$@"
log "done: $(du -sh --apparent-size "$HERE/../styles" | cut -f1) in datasets/styles"
