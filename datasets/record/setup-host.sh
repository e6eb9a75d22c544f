#!/usr/bin/env bash
# Install everything the capture recorder needs from Debian's archive.
# Idempotent: packages already installed are left alone.
#
#   setup-host.sh          what record.sh (datasets/captures) and the paper study's experiments
#                          (datasets/experiments/paper/) need: their clients run on the host
#                          (wget, httperf, ab, redis-benchmark, psql/pgbench, mariadb, sysbench,
#                          memcslap, nc; pgbench is in postgresql-15 on Debian 12) and gcc builds
#                          the probes and the syscall micro-benchmark
#   setup-host.sh styles   that, plus what record-styles.sh (datasets/styles) needs:
#                          psql/pg_isready, pgbench (in postgresql-15 on Debian 12) and
#                          memcached on the host (for the spliced capture). On a host with
#                          an init system, Debian starts their services (ports 5432 and
#                          11211, not the ones the recorder uses); on this project's machines
#                          policy-rc.d keeps them from starting.
set -euo pipefail

if [[ $(id -u) -ne 0 ]]; then
  echo "setup-host.sh: must run as root (apt-get, dockerd, debootstrap need it)" >&2
  exit 1
fi

PACKAGES=(
  docker.io runc strace debootstrap gcc libc6-dev
  redis-tools apache2-utils libmemcached-tools httperf wget sysbench mariadb-client
  postgresql-client postgresql-15
  netcat-openbsd curl gzip zstd procps iproute2 ca-certificates
)
if [[ ${1:-} == styles ]]; then
  PACKAGES+=(memcached coreutils)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
  echo "setup-host.sh: all packages already installed: ${PACKAGES[*]}"
else
  echo "setup-host.sh: installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=600 update -qq
  apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "${missing[@]}"
fi

# docker.io's package may try to start a system daemon through its init scripts;
# on this machine there is no systemd, so nothing runs. We start our own dockerd
# (datasets/record/dockerd.sh) with a private data root and socket.
# pgbench: /usr/bin/pgbench is postgresql-common's wrapper; the program is in postgresql-15 on
# Debian 12 (the server package: on this project's machines policy-rc.d keeps it from starting)
for bin in dockerd runc strace debootstrap gcc redis-benchmark ab memcslap httperf wget sysbench \
  mariadb psql pgbench; do
  if ! command -v "$bin" >/dev/null 2>&1; then
    echo "setup-host.sh: '$bin' still missing after install" >&2
    exit 1
  fi
done
echo "setup-host.sh: ok"
