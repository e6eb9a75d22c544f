#!/usr/bin/env bash
# Build the server images the captures are recorded from, from Debian packages only.
#
#   build-images.sh rootfs   debootstrap a bookworm minbase tree with nginx-light,
#                            redis-server and memcached (cached under $SANDMINE_CACHE), and
#                            one copy of it per further subject of the paper's study, with
#                            Debian's postgresql (15), apache2, mariadb-server, nodejs or
#                            python3-django added
#   build-images.sh images   docker import the first tree as sandmine/base:bookworm and build
#                            sandmine/{nginx,redis,memcached}:bookworm on top of it; import
#                            the second as sandmine/base-postgres:bookworm and build
#                            sandmine/postgres:bookworm on it
#                            (needs DOCKER_HOST pointing at a running dockerd, see dockerd.sh)
#   build-images.sh          both
#   build-images.sh base     only the first tree (nginx-light, redis-server, memcached): what
#                            CI's reduced study (datasets/experiments/ci-reduced.yaml) needs
#
# The postgres tree is a separate copy so that sandmine/base:bookworm (and with it the
# nginx, redis and memcached images of datasets/captures) stays exactly the tree it was.
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE=${SANDMINE_CACHE:-/var/tmp/sandmine-cache}
ROOTFS=$CACHE/bookworm-rootfs
PG_ROOTFS=$CACHE/bookworm-postgres-rootfs
MIRROR=${SANDMINE_MIRROR:-http://deb.debian.org/debian}
SERVER_PACKAGES=(nginx-light redis-server memcached)
PG_PACKAGES=(postgresql)
APACHE_PACKAGES=(apache2)
MARIADB_PACKAGES=(mariadb-server)
NODE_PACKAGES=(nodejs)
DJANGO_PACKAGES=(python3-django)
# Recorded beside the named packages: what actually runs (the metapackages' real versions).
EXTRA_VERSIONED=(postgresql-15 apache2-bin mariadb-server-core libnode108 python3 python3.11)
TAG=bookworm

log() { echo "build-images: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

[[ $(id -u) -eq 0 ]] || die "must run as root (debootstrap, chroot)"

build_rootfs() {
  if [[ -f $ROOTFS/.sandmine-complete ]]; then
    log "reusing cached rootfs $ROOTFS (delete it to rebuild)"
    return
  fi
  command -v debootstrap >/dev/null || die "debootstrap missing: run setup-host.sh"
  mkdir -p "$CACHE"
  local work
  work=$(mktemp -d "$CACHE/rootfs.XXXXXX")
  chmod 755 "$work" # becomes the image's "/": mktemp's 0700 would lock out non-root users
  local proc_mounted=0
  cleanup_rootfs() {
    if [[ $proc_mounted -eq 1 ]]; then umount "$work/proc" || umount -l "$work/proc" || true; fi
    if [[ -n ${work:-} && -d $work ]]; then rm -rf --one-file-system "$work"; fi
  }
  trap cleanup_rootfs EXIT

  log "debootstrap --variant=minbase bookworm into $work (about a minute)"
  debootstrap --variant=minbase bookworm "$work" "$MIRROR" >"$work.debootstrap.log" 2>&1 ||
    { tail -20 "$work.debootstrap.log" >&2; die "debootstrap failed (log above)"; }
  rm -f "$work.debootstrap.log"

  # Keep services from starting inside the chroot during package installation.
  printf '#!/bin/sh\nexit 101\n' >"$work/usr/sbin/policy-rc.d"
  chmod 755 "$work/usr/sbin/policy-rc.d"

  mount -t proc proc "$work/proc"
  proc_mounted=1
  log "installing ${SERVER_PACKAGES[*]} in the chroot"
  chroot "$work" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  chroot "$work" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${SERVER_PACKAGES[@]}" >/dev/null
  chroot "$work" dpkg-query -W -f='${Package} ${Version}\n' \
    "${SERVER_PACKAGES[@]}" libc6 >"$work/.sandmine-packages"
  umount "$work/proc"
  proc_mounted=0

  # Smaller image: no apt caches, lists, docs, man pages, locales.
  chroot "$work" apt-get clean
  rm -rf "$work"/var/lib/apt/lists/* "$work"/var/cache/apt/*.bin \
    "$work"/usr/share/doc/* "$work"/usr/share/man/* "$work"/usr/share/info/* \
    "$work"/usr/share/locale/* "$work"/var/log/*.log "$work"/var/log/apt/* \
    "$work/usr/sbin/policy-rc.d"
  date -u +%FT%TZ >"$work/.sandmine-complete"

  rm -rf --one-file-system "$ROOTFS"
  mv "$work" "$ROOTFS"
  work=
  trap - EXIT
  log "rootfs ready: $ROOTFS ($(du -sh "$ROOTFS" | cut -f1)); packages:"
  sed 's/^/  /' "$ROOTFS/.sandmine-packages" >&2
}

# A copy of the base tree with more Debian packages added: build_extra_rootfs NAME PACKAGE...
# makes $CACHE/bookworm-NAME-rootfs. One tree per subject keeps each image small (the vfs
# storage driver copies the whole tree into every layer) and leaves the base tree (and with it
# the nginx, redis and memcached images) exactly as it was. `sandmine record|validate` pick,
# for an experiment's image.packages, the first tree (base first) that has them all.
# postgres: Debian's default "main" cluster is dropped again (the image's Dockerfile runs initdb).
# mariadb: the data dir Debian's postinst made is kept (the Dockerfile re-creates its own).
build_extra_rootfs() {
  local name=$1
  shift
  local packages=("$@")
  local dest=$CACHE/bookworm-$name-rootfs
  [[ -f $ROOTFS/.sandmine-complete ]] || die "no rootfs at $ROOTFS: build it first"
  if [[ -f $dest/.sandmine-complete ]]; then
    log "reusing cached $name rootfs $dest (delete it to rebuild)"
    return
  fi
  local work
  work=$(mktemp -d "$CACHE/$name-rootfs.XXXXXX")
  local proc_mounted=0
  cleanup_extra_rootfs() {
    if [[ $proc_mounted -eq 1 ]]; then umount "$work/proc" || umount -l "$work/proc" || true; fi
    if [[ -n ${work:-} && -d $work ]]; then rm -rf --one-file-system "$work"; fi
  }
  trap cleanup_extra_rootfs EXIT
  log "copying $ROOTFS to $work"
  cp -a "$ROOTFS/." "$work/"
  chmod 755 "$work"
  rm -f "$work/.sandmine-complete" "$work/.sandmine-packages"
  printf '#!/bin/sh\nexit 101\n' >"$work/usr/sbin/policy-rc.d"
  chmod 755 "$work/usr/sbin/policy-rc.d"

  mount -t proc proc "$work/proc"
  proc_mounted=1
  log "installing ${packages[*]} in the chroot"
  chroot "$work" /usr/bin/env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  chroot "$work" /usr/bin/env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  if [[ $name == postgres ]] && chroot "$work" pg_lsclusters -h 2>/dev/null | grep -q '^15 main '; then
    chroot "$work" pg_dropcluster 15 main
  fi
  # Every package of the tree that names a subject, plus libc6 (the versions a capture depends on).
  chroot "$work" dpkg-query -W -f='${Package} ${Version}\n' \
    "${SERVER_PACKAGES[@]}" "${packages[@]}" "${EXTRA_VERSIONED[@]}" libc6 2>/dev/null |
    awk 'NF == 2' | sort -u >"$work/.sandmine-packages" || true
  umount "$work/proc"
  proc_mounted=0

  chroot "$work" apt-get clean
  rm -rf "$work"/var/lib/apt/lists/* "$work"/var/cache/apt/*.bin \
    "$work"/usr/share/doc/* "$work"/usr/share/man/* "$work"/usr/share/info/* \
    "$work"/usr/share/locale/* "$work"/var/log/*.log "$work"/var/log/apt/* \
    "$work"/var/log/postgresql/* "$work/usr/sbin/policy-rc.d"
  date -u +%FT%TZ >"$work/.sandmine-complete"

  rm -rf --one-file-system "$dest"
  mv "$work" "$dest"
  work=
  trap - EXIT
  log "$name rootfs ready: $dest ($(du -sh "$dest" | cut -f1)); packages:"
  sed 's/^/  /' "$dest/.sandmine-packages" >&2
}

build_extra_rootfses() {
  build_extra_rootfs postgres "${PG_PACKAGES[@]}"
  build_extra_rootfs apache "${APACHE_PACKAGES[@]}"
  build_extra_rootfs mariadb "${MARIADB_PACKAGES[@]}"
  build_extra_rootfs node "${NODE_PACKAGES[@]}"
  build_extra_rootfs django "${DJANGO_PACKAGES[@]}"
}

build_images() {
  [[ -f $ROOTFS/.sandmine-complete ]] || die "no rootfs at $ROOTFS: run '$0 rootfs' first"
  [[ -n ${DOCKER_HOST:-} ]] || die "DOCKER_HOST is not set (start a daemon with dockerd.sh)"
  docker info >/dev/null 2>&1 || die "no docker daemon answers at $DOCKER_HOST"

  chmod 755 "$ROOTFS"
  log "docker import $ROOTFS as sandmine/base:$TAG"
  tar -C "$ROOTFS" --exclude=./.sandmine-complete -c . |
    docker import --change 'CMD ["/bin/bash"]' - "sandmine/base:$TAG" >/dev/null

  local ctx
  ctx=$(mktemp -d /var/tmp/sandmine-build.XXXXXX)
  chmod 755 "$ctx"
  trap 'rm -rf "$ctx"' RETURN
  [[ -f $PG_ROOTFS/.sandmine-complete ]] || die "no postgres rootfs at $PG_ROOTFS: run '$0 rootfs' first"
  chmod 755 "$PG_ROOTFS"
  log "docker import $PG_ROOTFS as sandmine/base-postgres:$TAG"
  tar -C "$PG_ROOTFS" --exclude=./.sandmine-complete -c . |
    docker import --change 'CMD ["/bin/bash"]' - "sandmine/base-postgres:$TAG" >/dev/null

  local name
  for name in nginx redis memcached postgres; do
    rm -rf "${ctx:?}"/*
    cp -r "$HERE/images/$name/." "$ctx/"
    log "building sandmine/$name:$TAG"
    DOCKER_BUILDKIT=0 docker build -q -t "sandmine/$name:$TAG" "$ctx" >/dev/null 2>"$ctx/.err" ||
      { cat "$ctx/.err" >&2; die "docker build of sandmine/$name failed"; }
  done
  docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep '^sandmine/' >&2
}

case ${1:-all} in
  rootfs) build_rootfs; build_extra_rootfses ;;
  base) build_rootfs ;;
  images) build_images ;;
  all) build_rootfs; build_extra_rootfses; build_images ;;
  *) die "usage: $0 [rootfs|base|images|all]" ;;
esac
