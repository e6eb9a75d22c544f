#!/usr/bin/env bash
# Print the date and the versions of everything that shapes a capture (host tools, kernel,
# and the packages inside the images). Needs DOCKER_HOST for the image part.
set -euo pipefail
CACHE=${SANDMINE_CACHE:-/var/tmp/sandmine-cache}
echo "recorded: $(date -u +%FT%TZ)"
echo "kernel: $(uname -srm)"
echo "host: $(. /etc/os-release && echo "$PRETTY_NAME")"
echo "dockerd: $(dockerd --version)"
echo "docker client: $(docker --version)"
echo "containerd: $(containerd --version)"
echo "runc: $(runc --version | head -1) ($(runc --version | grep -i libseccomp))"
echo "strace: $(strace -V | head -1)"
echo "host packages:"
dpkg-query -W -f='  ${Package} ${Version}\n' docker.io containerd runc strace redis-tools apache2-utils \
  libmemcached-tools httperf wget sysbench mariadb-client postgresql-client postgresql-15 gcc 2>/dev/null || true
echo "image packages (sandmine/base:bookworm, debootstrap --variant=minbase bookworm):"
sed 's/^/  /' "$CACHE/bookworm-rootfs/.sandmine-packages"
# the per-subject copies build-images.sh makes (postgres, apache, mariadb, node, django)
for tree in "$CACHE"/bookworm-*-rootfs; do
  [[ -f $tree/.sandmine-packages ]] || continue
  echo "image packages ($(basename "$tree"): the base tree plus):"
  grep -vxF -f "$CACHE/bookworm-rootfs/.sandmine-packages" "$tree/.sandmine-packages" | sed 's/^/  /'
done
[[ -n ${DOCKER_HOST:-} ]] || exit 0
echo "images:"
docker image ls --format '  {{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}' | grep 'sandmine/' | sort
