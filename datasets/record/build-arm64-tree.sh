#!/usr/bin/env bash
# The arm64 (aarch64) build of the style images' programs, for `sandmine reach` on aarch64 code:
# Debian bookworm's arm64 .debs of the packages that hold redis-server, memcached and nginx and
# every shared object they load (DT_NEEDED, followed in the x86_64 tree build-images.sh made, and
# nginx's dynamic modules),
# in the same versions as that tree (its dpkg database), unpacked with `dpkg-deb -x` into
# $SANDMINE_CACHE/bookworm-arm64-tree (default /var/tmp/sandmine-cache).
#
#   build-arm64-tree.sh     build it (once; reused while .sandmine-complete is there)
#
# apt runs in a private directory ($CACHE/arm64-apt: its own sources list, lists and status),
# so the host's apt configuration and architectures are left as they are. Not an image that
# runs: no maintainer scripts, no merged-/usr symlinks (ld.so's paths are searched both ways).
# Needs: apt-get, dpkg-deb, objdump (binutils) and the x86_64 tree (build-images.sh base); not root.
set -euo pipefail

CACHE=${SANDMINE_CACHE:-/var/tmp/sandmine-cache}
X86=$CACHE/bookworm-rootfs
DEST=$CACHE/bookworm-arm64-tree
APT=$CACHE/arm64-apt
MIRROR=${SANDMINE_MIRROR:-http://deb.debian.org/debian}
SECURITY=${SANDMINE_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# The programs the style recordings execute (redis-server is a symlink to redis-check-rdb).
PROGRAMS=(/usr/bin/redis-server /usr/bin/memcached /usr/sbin/nginx)

log() { echo "build-arm64-tree: $*" >&2; }
die() { log "ERROR: $*"; exit 1; }

if [[ -f $DEST/.sandmine-complete ]]; then
  log "reusing $DEST (delete it to rebuild)"
  exit 0
fi
[[ -f $X86/.sandmine-complete ]] || die "no x86_64 tree at $X86: run build-images.sh base first"
for t in apt-get dpkg-deb dpkg-query objdump; do
  command -v "$t" >/dev/null || die "$t missing"
done
[[ -f $KEYRING ]] || die "$KEYRING missing (Debian package debian-archive-keyring)"

# DT_NEEDED closure of the programs in the x86_64 tree → the packages that ship those files.
declare -A seen=()
queue=()
files=()
for p in "${PROGRAMS[@]}"; do
  files+=("$p")
  queue+=("$(realpath "$X86$p")")
done
# nginx's dynamic modules (dlopen targets the runs open) and what they need
for m in "$X86"/usr/lib/nginx/modules/*.so; do
  [[ -e $m ]] && queue+=("$m")
done
while ((${#queue[@]})); do
  f=${queue[0]}
  queue=("${queue[@]:1}")
  [[ -n ${seen[$f]:-} ]] && continue
  seen[$f]=1
  files+=("${f#"$X86"}")
  for lib in $(objdump -p "$f" | awk '$1 == "NEEDED" { print $2 }'); do
    for d in lib/x86_64-linux-gnu usr/lib/x86_64-linux-gnu lib usr/lib; do
      if [[ -e $X86/$d/$lib ]]; then
        queue+=("$(realpath "$X86/$d/$lib")")
        break
      fi
    done
  done
done
declare -A pkgs=()
for f in "${files[@]}"; do
  base=$(basename "$f")
  # the package whose file list holds a path ending in /NAME (a library's /lib or /usr/lib form)
  owner=$(dpkg-query --admindir="$X86/var/lib/dpkg" -S "$f" 2>/dev/null | cut -d: -f1) || true
  [[ -n $owner ]] || owner=$(dpkg-query --admindir="$X86/var/lib/dpkg" -S "*/$base" 2>/dev/null |
    awk -v b="/$base" 'substr($NF, length($NF) - length(b) + 1) == b { sub(/:.*/, "", $1); print $1; exit }') ||
    true
  [[ -n $owner ]] || die "no package of the x86_64 tree ships $f"
  pkgs[$owner]=1
done
pkgs[libc6]=1 # the loader and libc's NSS modules (dlopen targets)
list=()
for p in $(printf '%s\n' "${!pkgs[@]}" | sort); do
  v=$(dpkg-query --admindir="$X86/var/lib/dpkg" -W -f='${Version}' "$p")
  list+=("$p=$v")
done
log "packages (the x86_64 tree's versions): ${list[*]}"

# A private apt for arm64: bookworm, its updates and security suites.
mkdir -p "$APT"/{lists/partial,cache/archives/partial,parts,prefs}
: >"$APT/status"
cat >"$APT/sources.list" <<EOF
deb [arch=arm64 signed-by=$KEYRING] $MIRROR bookworm main
deb [arch=arm64 signed-by=$KEYRING] $MIRROR bookworm-updates main
deb [arch=arm64 signed-by=$KEYRING] $SECURITY bookworm-security main
EOF
opts=(
  -o "Dir::State=$APT" -o "Dir::State::Lists=$APT/lists" -o "Dir::State::status=$APT/status"
  -o "Dir::Cache=$APT/cache" -o "Dir::Etc::SourceList=$APT/sources.list"
  -o "Dir::Etc::SourceParts=$APT/parts" -o "Dir::Etc::PreferencesParts=$APT/prefs"
  -o "APT::Architecture=arm64" -o "APT::Architectures::=arm64" -o "APT::Sandbox::User=$(id -un)"
)
log "apt-get update (arm64 lists of bookworm, bookworm-updates, bookworm-security)"
apt-get "${opts[@]}" update -qq
work=$(mktemp -d "$CACHE/arm64-tree.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/debs" "$work/root"
(cd "$work/debs" && apt-get "${opts[@]}" download -qq "${list[@]}")
for deb in "$work"/debs/*.deb; do
  [[ $(dpkg-deb -f "$deb" Architecture) =~ ^(arm64|all)$ ]] || die "$deb is not an arm64 package"
  dpkg-deb -x "$deb" "$work/root"
  dpkg-deb -f "$deb" Package Version | paste -sd' ' | sed 's/Package: //; s/ Version: / /' \
    >>"$work/root/.sandmine-packages"
done
sort -o "$work/root/.sandmine-packages" "$work/root/.sandmine-packages"
chmod 755 "$work/root"
date -u +%FT%TZ >"$work/root/.sandmine-complete"
rm -rf "$DEST"
mv "$work/root" "$DEST"
log "ready: $DEST ($(du -sh "$DEST" | cut -f1)); packages:"
sed 's/^/  /' "$DEST/.sandmine-packages" >&2
