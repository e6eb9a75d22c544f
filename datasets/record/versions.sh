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
dpkg-query -W -f='  ${Package} ${Version}\n' docker.io containerd runc strace redis-tools apache2-utils libmemcached-tools
echo "image packages (sandmine/base:bookworm, debootstrap --variant=minbase bookworm):"
sed 's/^/  /' "$CACHE/bookworm-rootfs/.sandmine-packages"
echo "images:"
docker image ls --format '  {{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}' | grep 'sandmine/' | sort
