#!/usr/bin/env bash
# Installs pman on this machine as a package would: a self-contained, built copy of the program
# that every user can run (root and rootless), independent of where this checkout lives and of its
# permissions, plus manual pages and bash completion. Before that it sets the machine up to build
# and test pman: system packages, the busybox rootfs tarball build/busybox-rootfs.tar (the build
# trains its code caches on it), npm dependencies, the build, and root's default image
# localhost/busybox:latest made from the tarball.
# Idempotent: a second run checks each step and changes nothing; after `git pull` it installs the
# new build beside the old one and switches over in one rename. docs/install.md has the details.
#
# Usage: ./install.sh [--no-build]          install (or update)
#        ./install.sh --uninstall [--purge-state]
#
#   --no-build      install the build that is in the checkout as it is: no npm, no compilation
#   --uninstall     remove what install.sh installed; containers, images and state stay
#   --purge-state   with --uninstall: also remove root's containers, images and state
#                   (PMAN_ROOT or /var/lib/pman, PMAN_RUNROOT or /run/pman); users' own stores
#                   under their homes are never touched
#
#   PMAN_PREFIX=DIR          base of the locations below (default /usr/local)
#   PMAN_BINDIR=DIR          the `pman` command (default $PMAN_PREFIX/bin)
#   PMAN_LIBDIR=DIR          the program (default $PMAN_PREFIX/lib/pman)
#   PMAN_MANDIR=DIR          manual pages, under man1/ (default $PMAN_PREFIX/share/man)
#   PMAN_COMPLETIONDIR=DIR   bash completion (default $PMAN_PREFIX/share/bash-completion/completions)
#   PMAN_ROOT, PMAN_RUNROOT  root's store, where the default image goes (as for pman itself)
set -euo pipefail
umask 022

cd "$(dirname "$0")"
top=$(pwd)
export DEBIAN_FRONTEND=noninteractive

# System packages: the runtime and its helpers, then podman and friends for the interop tests
# and the benchmarks, then what building the native addons needs, then man for the manual pages.
PACKAGES=(runc uidmap busybox-static catatonit fuse-overlayfs zstd tar netavark aardvark-dns iptables iproute2
  passt slirp4netns
  podman skopeo umoci docker-registry tmux docker-compose
  gcc g++ make python3
  man-db)
PREFIX=${PMAN_PREFIX:-/usr/local}
BINDIR=${PMAN_BINDIR:-$PREFIX/bin}
LIBDIR=${PMAN_LIBDIR:-$PREFIX/lib/pman}
MANDIR=${PMAN_MANDIR:-$PREFIX/share/man}
COMPLETIONDIR=${PMAN_COMPLETIONDIR:-$PREFIX/share/bash-completion/completions}
IMAGE=localhost/busybox:latest
# The installed copy's layout: $LIBDIR/<version>-<hash>/ (one per distinct build), $LIBDIR/current
# naming the one in use, $LIBDIR/manifest listing what was put outside $LIBDIR.
CURRENT=$LIBDIR/current
MANIFEST=$LIBDIR/manifest

mode=install
build_it=1
purge=
for arg in "$@"; do
  case $arg in
    --no-build) build_it= ;;
    --uninstall) mode=uninstall ;;
    --purge-state) purge=1 ;;
    -h | --help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) printf 'install: error: unknown argument "%s" (see ./install.sh --help)\n' "$arg" >&2; exit 2 ;;
  esac
done
if [ -n "$purge" ] && [ "$mode" != uninstall ]; then
  printf 'install: error: --purge-state only goes with --uninstall\n' >&2
  exit 2
fi
for d in "$BINDIR" "$LIBDIR" "$MANDIR" "$COMPLETIONDIR"; do
  case $d in /?*) ;; *) printf 'install: error: "%s" is not an absolute path (PMAN_* directories must be)\n' "$d" >&2; exit 2 ;; esac
done

log=$(mktemp "${TMPDIR:-/tmp}/pman-install.XXXXXX")
stage=
cleanup() {
  rm -f "$log"
  if [ -n "$stage" ]; then rm -rf "$stage"; fi
}
trap cleanup EXIT

say() { printf 'install: %s\n' "$*"; }
die() { printf 'install: error: %s\n' "$*" >&2; exit 1; }
# The summary printed at the end: what was installed where, packages added, settings changed.
summary=()
note() { summary+=("$*"); }

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
  command -v dpkg-query >/dev/null || die "dpkg-query not found: install.sh installs packages with apt-get (Debian 12); install these by other means: ${PACKAGES[*]}"
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
  note "packages added (apt-get): ${missing[*]}"
}

# The docker CLI (Debian's docker.io 20.10, API 1.41) is a client of `pman system service` in the
# API tests. The package would also bring containerd and dockerd and try to start them, and a
# second engine on the host is what the tests must never have: so only its client binary is taken
# out of the package (apt-get download + dpkg-deb), to $DOCKER_CLI, out of PATH (a docker already
# in PATH stays as it is). The tests find it there (or at PMAN_TEST_DOCKER).
DOCKER_CLI=/usr/local/libexec/pman-test/docker
install_docker_cli() {
  local dir deb
  if [ -x "$DOCKER_CLI" ] && "$DOCKER_CLI" --version 2>/dev/null | grep -q '^Docker version 20\.10'; then
    say "docker CLI: $DOCKER_CLI present"
    return
  fi
  say "docker CLI: taking usr/bin/docker out of the docker.io package"
  dir=$(mktemp -d "${TMPDIR:-/tmp}/pman-docker.XXXXXX")
  ( cd "$dir" && quietly apt-get download -q docker.io )
  deb=$(ls "$dir"/docker.io_*.deb)
  quietly dpkg-deb -x "$deb" "$dir/x"
  as_root install -D -m 0755 "$dir/x/usr/bin/docker" "$DOCKER_CLI"
  rm -rf "$dir"
  note "docker CLI (client only, no daemon): $DOCKER_CLI from $(basename "$deb")"
}

# Rootless containers' networks (pasta, slirp4netns) open /dev/net/tun as the user. Debian and most
# distributions ship it 0666 (opening it gives nothing beyond what the caller's own namespaces allow);
# some images leave it 0600, which leaves every rootless container without a network.
check_tun() {
  local tun=/dev/net/tun mode
  if [ ! -c "$tun" ]; then
    say "warning: $tun is missing: rootless containers get no network (load the tun module: modprobe tun)"
    return
  fi
  mode=$(stat -c %a "$tun")
  if [ "$mode" = 666 ]; then
    say "$tun: usable by users (0666)"
    return
  fi
  as_root chmod 0666 "$tun"
  say "$tun: mode $mode -> 0666, so rootless containers get a network (pasta/slirp4netns open it as the user)"
  note "changed $tun from mode $mode to 0666 (as Debian ships it): rootless networking needs it; not persistent across reboots unless udev does the same"
}

check_node() {
  command -v node >/dev/null || die "node not found (Node.js >= 20.19 is required)"
  node -e 'const [a,b]=process.versions.node.split(".").map(Number); process.exit(a>20||(a===20&&b>=19)?0:1)' \
    || die "Node.js $(node -v) is too old (>= 20.19 is required)"
  # bin/pman runs `node` from the caller's PATH: every user needs one they can run.
  local real
  real=$(readlink -f "$(command -v node)")
  if ! others_can_reach "$real" x; then
    say "warning: $real (node) cannot be run by other users: rootless pman needs a node every user can run (a system Node.js, e.g. in /usr/bin)"
  fi
}

PTY_NODE=node_modules/node-pty/build/Release/pty.node

install_node_modules() {
  command -v npm >/dev/null || die "npm not found"
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

# Builds (tsc + native addon + manual pages) only when a source changed since the last successful build.
build() {
  local stamp=dist/.install-build-stamp changed=
  if [ -f "$stamp" ] && [ -f build/pman_native.node ]; then
    changed=$(find lib test bench bin scripts docs README.md tsconfig.json package.json package-lock.json -newer "$stamp" -print -quit 2>/dev/null || true)
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

# Whether every user can reach PATH: each parent directory searchable by others, and PATH itself
# readable (r) or executable (x) by them.
others_can_reach() {
  local p=$1 want=$2 d perm
  perm=$(stat -L -c %A "$p" 2>/dev/null) || return 1
  if [ "$want" = r ]; then [ "${perm:7:1}" = r ] || return 1
  else case ${perm:9:1} in x | t) ;; *) return 1 ;; esac
  fi
  d=$(dirname "$p")
  while [ "$d" != / ]; do
    perm=$(stat -L -c %A "$d")
    case ${perm:9:1} in x | t) ;; *) return 1 ;; esac
    d=$(dirname "$d")
  done
}

# Fails early, before anything changed, when a destination cannot be written.
check_writable() {
  local d e
  for d in "$BINDIR" "$LIBDIR" "$MANDIR" "$COMPLETIONDIR"; do
    e=$d
    while [ ! -e "$e" ]; do e=$(dirname "$e"); done
    [ -w "$e" ] || die "cannot write to $e (for $d): run ./install.sh as root, or set PMAN_PREFIX to a directory you can write"
  done
}

# Makes DIR (and its missing parents) and records in the manifest the ones made, so that
# --uninstall can take away the directories it brought and no others.
made_dirs=()
make_dir() {
  local d=$1 missing=()
  while [ ! -d "$d" ]; do
    missing=("$d" "${missing[@]}")
    d=$(dirname "$d")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  mkdir -p -m 0755 "$1" || die "cannot create $1 (run as root, or choose PMAN_PREFIX)"
  made_dirs+=("${missing[@]}")
}

# Points LINK at TARGET in one rename (a reader never sees it missing). A LINK that exists and is
# not a symlink belongs to someone else: refused.
link() {
  local target=$1 link=$2 old
  if [ -e "$link" ] && [ ! -L "$link" ]; then
    die "$link exists and is not a symlink: not replacing it (remove it, or choose another PMAN_* directory)"
  fi
  old=$(readlink "$link" 2>/dev/null || true)
  [ "$old" = "$target" ] && return 1
  ln -sfn "$target" "$link.pman-new"
  mv -fT "$link.pman-new" "$link"
  # Worth saying when it pointed elsewhere (say, into a checkout, as install.sh once linked it).
  case $old in "" | "$LIBDIR"/* | [!/]*) ;; *) note "replaced $link (was -> $old)" ;; esac
  return 0
}

# How many processes still run code of an installed copy DIR (a container's shim, a command in
# progress): they name a file of its dist/ in their command line, as DIR/dist/… or, started by
# bin/pman, DIR/bin/../dist/…. ("[d]ist" keeps grep's own command line from matching.)
users_of() {
  local dir
  dir=$(printf '%s' "$1" | sed 's/[][\\.*^$]/\\&/g')
  { grep -ls -- "$dir/\(bin/\.\./\)\{0,1\}[d]ist/" /proc/[0-9]*/cmdline 2>/dev/null || true; } | wc -l
}

# Whether NAME in $LIBDIR is an installed copy (<version>-<12 hex digits>, with bin/pman): the
# only directories install.sh removes there, whatever else $LIBDIR may hold.
is_copy() {
  [[ $1 =~ ^[0-9][0-9A-Za-z.+-]*-[0-9a-f]{12}$ ]] && [ -f "$LIBDIR/$1/bin/pman" ] && [ ! -L "$LIBDIR/$1" ]
}

# Stages a complete copy (program, manual pages, completion) beside the installed ones, names it
# by its content, and switches $LIBDIR/current to it; older copies go once no process uses them.
install_copy() {
  local name old hash version
  make_dir "$LIBDIR"
  [ -w "$LIBDIR" ] || die "cannot write to $LIBDIR (run as root, or choose PMAN_PREFIX)"
  chmod 0755 "$LIBDIR"
  # A stage left by an interrupted run.
  find "$LIBDIR" -maxdepth 1 -name '.staging.*' -mmin +60 -exec rm -rf {} +
  stage=$(mktemp -d "$LIBDIR/.staging.XXXXXX")
  rmdir "$stage"
  quietly node scripts/runtime-tree.mjs copy "$stage"
  quietly node scripts/gen-man.mjs "$stage/share/man/man1"
  quietly node scripts/gen-completion.mjs "$stage/share/bash-completion/completions/pman"
  chmod -R u+rwX,go+rX,go-w "$stage/share"
  hash=$(node scripts/runtime-tree.mjs hash "$stage") || die "cannot hash $stage"
  version=$(node -p 'require("./package.json").version')
  name=$version-${hash:0:12}
  old=$(readlink "$CURRENT" 2>/dev/null || true)
  if [ "$old" = "$name" ] && [ -d "$LIBDIR/$name" ]; then
    rm -rf "$stage"
    stage=
    say "program: $LIBDIR/$name is up to date"
  else
    if [ -d "$LIBDIR/$name" ]; then rm -rf "$stage"; else mv -T "$stage" "$LIBDIR/$name"; fi
    stage=
    link "$name" "$CURRENT" || true
    say "program: installed $LIBDIR/$name${old:+ (replacing $old)}"
    note "program: $LIBDIR/$name (bin/, dist/, build/pman_native.node, production node_modules/), $CURRENT -> $name"
  fi
  # Older copies: kept while a process still runs from them (a running container's shim).
  local real d kept=()
  real=$(readlink -f "$LIBDIR")
  for d in "$LIBDIR"/*/; do
    d=${d%/}
    d=${d##*/}
    case $d in "$name" | current) continue ;; esac
    is_copy "$d" || continue
    if [ "$(users_of "$real/$d")" -gt 0 ]; then kept+=("$d"); else rm -rf "${LIBDIR:?}/$d"; fi
  done
  if [ ${#kept[@]} -gt 0 ]; then say "program: keeping ${kept[*]} in $LIBDIR while processes still run from it (removed by a later run)"; fi
}

# The command, the manual pages and the completion, as links into $LIBDIR/current (so they
# follow the switch to a new copy), listed in the manifest for --uninstall.
install_links() {
  local f page links=()
  make_dir "$BINDIR"
  if link "$CURRENT/bin/pman" "$BINDIR/pman"; then note "command: $BINDIR/pman -> $CURRENT/bin/pman"; fi
  links+=("$BINDIR/pman")

  make_dir "$MANDIR/man1"
  local added=0
  for f in "$CURRENT"/share/man/man1/*.1; do
    page=$MANDIR/man1/${f##*/}
    if link "$f" "$page"; then added=$((added + 1)); fi
    links+=("$page")
  done
  # Pages of commands that no longer exist.
  for page in "$MANDIR"/man1/pman*.1; do
    [ -L "$page" ] || continue
    case $(readlink "$page") in "$CURRENT"/*) [ -e "$page" ] || rm -f "$page" ;; esac
  done
  if [ $added -gt 0 ]; then note "manual pages: $added in $MANDIR/man1 (man pman, man pman-run, ...)"; fi
  say "man: $MANDIR/man1/pman.1 and $(($(ls "$CURRENT"/share/man/man1 | wc -l) - 1)) command pages"

  make_dir "$COMPLETIONDIR"
  if link "$CURRENT/share/bash-completion/completions/pman" "$COMPLETIONDIR/pman"; then
    note "bash completion: $COMPLETIONDIR/pman (read by the bash-completion package when installed)"
  fi
  links+=("$COMPLETIONDIR/pman")

  # The manifest: the links, and the directories this and earlier runs created.
  local dirs=()
  if [ -f "$MANIFEST" ]; then mapfile -t dirs < <(sed -n 's/^dir //p' "$MANIFEST"); fi
  {
    printf 'link %s\n' "${links[@]}"
    printf 'dir %s\n' "${dirs[@]}" "${made_dirs[@]}" | sort -u | grep -vx 'dir ' || true
  } >"$MANIFEST.new"
  mv -f "$MANIFEST.new" "$MANIFEST"
  chmod 0644 "$MANIFEST"
}

create_default_image() {
  local pman=$BINDIR/pman images=
  if ! images=$("$pman" images --format '{{.Repository}}:{{.Tag}}' 2>"$log"); then
    cat "$log" >&2
    die "'$pman images' failed, cannot check for $IMAGE"
  fi
  if grep -qxF "$IMAGE" <<<"$images"; then
    say "image: $IMAGE present"
    return
  fi
  say "image: importing $ROOTFS as $IMAGE"
  quietly "$pman" import "$ROOTFS" busybox
  note "image: $IMAGE in root's store (${PMAN_ROOT:-/var/lib/pman}), from $ROOTFS"
}

# Every user must be able to run the installed copy: its directories searchable by others.
check_access() {
  local bad= p
  for p in "$CURRENT/dist/bundle/main.cjs" "$CURRENT/bin/pman"; do
    others_can_reach "$(readlink -f "$p")" r || { bad=$p; break; }
  done
  if [ -n "$bad" ]; then
    say "warning: $bad cannot be read by other users (a parent directory is not searchable by them): rootless pman will not work for them; choose a PMAN_PREFIX every user can reach"
  else
    say "rootless: the installed copy is readable by every user"
  fi
}

# Unprivileged user namespaces, which rootless pman is built on: only reported, never changed.
check_userns() {
  local max
  max=$(cat /proc/sys/user/max_user_namespaces 2>/dev/null || echo 1)
  if [ "$max" = 0 ] || [ "$(cat /proc/sys/kernel/unprivileged_userns_clone 2>/dev/null || echo 1)" = 0 ]; then
    say "warning: unprivileged user namespaces are disabled (user.max_user_namespaces / kernel.unprivileged_userns_clone): rootless pman cannot work until they are enabled"
  fi
}

print_summary() {
  say "done"
  if [ ${#summary[@]} -eq 0 ]; then
    say "summary: nothing changed (everything was already installed and up to date)"
  else
    say "summary:"
    printf '  - %s\n' "${summary[@]}"
  fi
  say "machine settings changed: none"
}

# --- uninstall -----------------------------------------------------------------------------------

uninstall() {
  local l d n real removed=()
  if [ -n "$purge" ]; then purge_state; fi
  if [ ! -d "$LIBDIR" ] && [ ! -L "$BINDIR/pman" ]; then
    say "nothing to remove: $LIBDIR does not exist"
    [ -n "$purge" ] && print_uninstall_summary
    return 0
  fi
  if [ -d "$LIBDIR" ] && [ ! -L "$CURRENT" ] && [ ! -f "$MANIFEST" ]; then
    die "$LIBDIR does not look like a pman installation (no current, no manifest): not removing it"
  fi
  real=$(readlink -f "$LIBDIR" 2>/dev/null || echo "$LIBDIR")
  n=$(users_of "$real")
  if [ "$n" -gt 0 ]; then
    say "warning: $n processes still run from $LIBDIR (running containers' shims): they keep running; reinstall pman to manage them again"
  fi
  # Links listed in the manifest, and the usual ones: removed only while they point into $LIBDIR
  # (or, for the command, at this checkout, which is how install.sh linked it before).
  local candidates=("$BINDIR/pman" "$COMPLETIONDIR/pman" "$MANDIR"/man1/pman*.1)
  if [ -f "$MANIFEST" ]; then mapfile -t -O ${#candidates[@]} candidates < <(sed -n 's/^link //p' "$MANIFEST"); fi
  for l in "${candidates[@]}"; do
    [ -L "$l" ] || continue
    case $(readlink "$l") in
      "$LIBDIR"/* | "$real"/* | "$top/bin/pman") rm -f "$l" && removed+=("$l") ;;
    esac
  done
  local dirs=()
  if [ -f "$MANIFEST" ]; then mapfile -t dirs < <(sed -n 's/^dir //p' "$MANIFEST" | sort -r); fi
  # Inside $LIBDIR only what install.sh put there; then $LIBDIR itself when that leaves it empty.
  for d in "$LIBDIR"/* "$LIBDIR"/.staging.*; do
    [ -e "$d" ] || [ -L "$d" ] || continue
    n=${d##*/}
    case $n in
      current | manifest | .staging.*) rm -rf "$d" ;;
      *) if is_copy "$n"; then rm -rf "$d"; fi ;;
    esac
  done
  if [ ! -d "$LIBDIR" ]; then :
  elif rmdir "$LIBDIR" 2>/dev/null; then removed+=("$LIBDIR")
  else say "warning: $LIBDIR holds files install.sh did not put there: left in place"
  fi
  # Directories install.sh created, deepest first, if nothing else lives in them now.
  for d in "${dirs[@]}"; do
    [ "$d" = "$LIBDIR" ] && continue
    rmdir "$d" 2>/dev/null && removed+=("$d/") || true
  done
  local pages=0 dirs_gone=0 others=()
  for l in "${removed[@]}"; do
    case $l in *.1) pages=$((pages + 1)) ;; */) dirs_gone=$((dirs_gone + 1)) ;; *) others+=("$l") ;; esac
  done
  if [ $pages -gt 0 ]; then others+=("$pages manual pages"); fi
  if [ $dirs_gone -gt 0 ]; then others+=("$dirs_gone directories install.sh had created"); fi
  note "removed: ${others[*]}"
  print_uninstall_summary
}

# Root's containers (stopped and removed by pman, which unmounts them), then root's store.
purge_state() {
  local root=${PMAN_ROOT:-/var/lib/pman} runroot=${PMAN_RUNROOT:-/run/pman} pman=
  local d
  for d in "$root" "$runroot"; do
    case $d in /?*) ;; *) die "refusing to purge \"$d\": not an absolute path" ;; esac
    [ "$(readlink -f "$d")" != / ] || die "refusing to purge /"
  done
  if [ -x "$CURRENT/bin/pman" ]; then pman=$CURRENT/bin/pman
  elif [ -x "$BINDIR/pman" ]; then pman=$BINDIR/pman
  fi
  if [ -n "$pman" ] && [ -d "$root" ]; then
    # system reset: the containers (stopped, unmounted), the store, and the default bridge's keeper
    # when no container of another store is on it (docs/networking.md).
    PMAN_ROOT=$root PMAN_RUNROOT=$runroot "$pman" system reset -f >/dev/null 2>"$log" || { cat "$log" >&2; die "could not remove root's containers with $pman system reset: nothing purged"; }
  fi
  rm -rf "${root:?}" "${runroot:?}"
  note "purged root's state: $root and $runroot (containers, images, volumes); users' own stores are untouched"
}

print_uninstall_summary() {
  say "done"
  say "summary:"
  printf '  - %s\n' "${summary[@]}"
  if [ -z "$purge" ]; then
    printf '  - %s\n' "kept: containers, images and state (root's in ${PMAN_ROOT:-/var/lib/pman}; users' under their homes); ./install.sh --uninstall --purge-state removes root's"
  fi
  printf '  - %s\n' "kept: system packages (apt-get) and the checkout's own build"
}

if [ "$mode" = uninstall ]; then
  uninstall
  exit 0
fi

check_writable
install_packages
install_docker_cli
check_tun
check_node
# The rootfs first: the build trains its code caches on containers of it (scripts/train-code-caches.mjs).
make_rootfs
if [ -n "$build_it" ]; then
  install_node_modules
  build
else
  say "build: skipped (--no-build), installing the checkout's build as it is"
fi
install_copy
install_links
create_default_image
check_access
check_userns
print_summary
