#!/usr/bin/env bash
# Sets up a machine to build, test and benchmark pman: system packages, npm dependencies (with
# node-pty's native module), the build, the `pman` command on PATH, the busybox rootfs tarball
# build/busybox-rootfs.tar and the default image localhost/busybox:latest made from it.
# Idempotent: a second run checks each step and changes nothing.
#
# Usage: ./install.sh
#   PMAN_BINDIR=DIR  where the `pman` symlink goes (default /usr/local/bin)
set -euo pipefail

cd "$(dirname "$0")"
top=$(pwd)
export DEBIAN_FRONTEND=noninteractive

# System packages: the runtime and its helpers, then podman and friends for the interop tests
# and the benchmarks, then what building the native addons needs.
PACKAGES=(runc uidmap busybox-static catatonit fuse-overlayfs zstd tar
  podman skopeo umoci docker-registry tmux
  gcc g++ make python3)
BINDIR=${PMAN_BINDIR:-/usr/local/bin}
IMAGE=localhost/busybox:latest

log=$(mktemp "${TMPDIR:-/tmp}/pman-install.XXXXXX")
trap 'rm -f "$log"' EXIT

say() { printf 'install: %s\n' "$*"; }
die() { printf 'install: error: %s\n' "$*" >&2; exit 1; }

# Runs a command with its output kept aside; shows that output only when the command fails.
quietly() {
  if ! "$@" >"$log" 2>&1; then
    cat "$log" >&2
    die "failed: $*"
  fi
}

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "need root for: $* (run as root or install sudo)"
  fi
}

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null || true)" = installed ] || missing+=("$p")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    say "packages: all ${#PACKAGES[@]} present"
    return
  fi
  say "packages: installing ${missing[*]}"
  quietly as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  quietly as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

check_node() {
  command -v node >/dev/null || die "node not found (Node.js >= 20.19 is required)"
  command -v npm >/dev/null || die "npm not found"
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
    || die "Node.js $(node -v) is too old (>= 20.19 is required)"
}

PTY_NODE=node_modules/node-pty/build/Release/pty.node

install_node_modules() {
  if [ ! -d node_modules ] || [ ! -f node_modules/.package-lock.json ] \
     || [ package-lock.json -nt node_modules/.package-lock.json ]; then
    say "npm: npm ci"
    quietly npm ci --no-fund --no-audit
  else
    say "npm: node_modules up to date"
  fi
  # npm 11 runs a dependency's install script only when package.json "allowScripts" approves it;
  # without it node-pty installs silently without its native module. Rebuild once, then insist.
  if [ ! -f "$PTY_NODE" ]; then
    say "npm: building node-pty's native module"
    quietly npm rebuild node-pty
  fi
  [ -f "$PTY_NODE" ] || die "node-pty's native module was not built ($PTY_NODE is missing):
  check that package.json \"allowScripts\" approves node-pty and that .npmrc points nodedir at Node's headers"
}

# Builds (tsc + native addon) only when a source changed since the last successful build.
build() {
  local stamp=dist/.install-build-stamp changed=
  if [ -f "$stamp" ] && [ -f build/pman_native.node ]; then
    changed=$(find lib test bench bin tsconfig.json package.json package-lock.json -newer "$stamp" -print -quit 2>/dev/null || true)
    if [ -z "$changed" ]; then
      say "build: up to date"
      return
    fi
  fi
  say "build: npm run build"
  # Stamped with the time the build started, so edits made during the build trigger the next one.
  local next
  next=$(mktemp "${TMPDIR:-/tmp}/pman-stamp.XXXXXX")
  quietly npm run build
  mkdir -p dist
  mv -f "$next" "$stamp"
}

link_bin() {
  local target=$top/bin/pman link=$BINDIR/pman
  [ -x "$target" ] || die "$target is missing or not executable"
  if [ "$(readlink "$link" 2>/dev/null || true)" = "$target" ]; then
    say "link: $link -> $target (already)"
    return
  fi
  as_root mkdir -p "$BINDIR"
  as_root ln -sfn "$target" "$link"
  say "link: $link -> $target"
}

# The default image's rootfs, kept under build/ (it is deterministic) so tests can import it into
# their own throw-away stores too.
ROOTFS=build/busybox-rootfs.tar

make_rootfs() {
  if [ -f "$ROOTFS" ] && [ ! scripts/make-busybox-rootfs.sh -nt "$ROOTFS" ] && [ ! /bin/busybox -nt "$ROOTFS" ]; then
    say "rootfs: $ROOTFS up to date"
    return
  fi
  say "rootfs: building $ROOTFS"
  quietly scripts/make-busybox-rootfs.sh "$ROOTFS"
}

create_default_image() {
  local pman=$top/bin/pman images=
  if ! images=$("$pman" images --format '{{.Repository}}:{{.Tag}}' 2>"$log"); then
    cat "$log" >&2
    die "'pman images' failed, cannot check for $IMAGE"
  fi
  if grep -qxF "$IMAGE" <<<"$images"; then
    say "image: $IMAGE present"
    return
  fi
  say "image: importing $ROOTFS as $IMAGE"
  quietly "$pman" import "$ROOTFS" busybox
}

# Unprivileged users run this same checkout (rootless pman, docs/rootless.md): it has to be
# readable by them, parents included. Only a warning: root's pman works either way.
check_rootless_access() {
  local d=$top bad=
  while [ "$d" != / ]; do
    [ "$(stat -c %A "$d" | cut -c10)" = x ] || { bad=$d; break; }
    d=$(dirname "$d")
  done
  [ -n "$bad" ] || bad=$(find bin dist/lib build/pman_native.node node_modules package.json \( ! -perm -o=r -o -type d ! -perm -o=x \) -print -quit 2>/dev/null || true)
  if [ -n "$bad" ]; then
    say "warning: $bad is not readable by other users, so they cannot run pman rootless (chmod o+rX, recursively for the checkout)"
  else
    say "rootless: the checkout is readable by other users"
  fi
}

install_packages
check_node
install_node_modules
build
link_bin
make_rootfs
create_default_image
check_rootless_access
say "done"
