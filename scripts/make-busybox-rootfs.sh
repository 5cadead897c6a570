#!/usr/bin/env bash
# Builds the default test image's root filesystem as a plain tar (for `pman import` and
# `podman import`) from the host's static busybox, so tests and benchmarks need no registry.
# The tarball is deterministic: the same busybox binary always gives the same sha256.
#
# Usage: scripts/make-busybox-rootfs.sh OUT.tar
#   BUSYBOX=/path/to/static/busybox overrides the binary (default /bin/busybox, from busybox-static).
set -euo pipefail

usage() { echo "usage: $0 OUT.tar" >&2; exit 2; }
[ $# -eq 1 ] || usage
out=$1
case $out in -*) usage ;; /*) ;; *) out=$PWD/$out ;; esac
busybox=${BUSYBOX:-/bin/busybox}

[ -x "$busybox" ] || { echo "make-busybox-rootfs: $busybox not found (apt-get install busybox-static)" >&2; exit 1; }
# A dynamically linked busybox (Debian's plain `busybox` package) would not run inside the image.
if ldd "$busybox" >/dev/null 2>&1; then
  echo "make-busybox-rootfs: $busybox is dynamically linked; install busybox-static" >&2
  exit 1
fi

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pman-rootfs.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
root=$tmp/root
# Modes are set explicitly below; the umask must not leak into the tarball.
umask 022

mkdir -p "$root"/{bin,etc,dev,proc,sys,run,home,var,tmp,root,usr/bin}
cp "$busybox" "$root/bin/busybox"
chmod 0755 "$root/bin/busybox"

# One relative symlink per applet, all in /bin as in the official busybox image. Relative links
# resolve the same inside and outside the rootfs, which keeps layer extraction simple.
applets=$("$busybox" --list | LC_ALL=C sort -u)
for applet in $applets; do
  [ "$applet" = busybox ] && continue
  ln -s busybox "$root/bin/$applet"
done
# So that `#!/usr/bin/env sh` scripts work too.
ln -s ../../bin/busybox "$root/usr/bin/env"

cat > "$root/etc/passwd" <<'EOF'
root:x:0:0:root:/root:/bin/sh
nobody:x:65534:65534:nobody:/nonexistent:/bin/false
pmanuser:x:1000:1000:pmanuser:/home/pmanuser:/bin/sh
EOF
cat > "$root/etc/group" <<'EOF'
root:x:0:
wheel:x:10:root
pmanuser:x:1000:
nogroup:x:65534:
EOF
# Empty mount targets: the engine bind-mounts its own hosts, hostname and resolv.conf here.
: > "$root/etc/hosts"
: > "$root/etc/hostname"
: > "$root/etc/resolv.conf"
chmod 0644 "$root"/etc/*

find "$root" -type d -exec chmod 0755 {} +
chmod 1777 "$root/tmp"
chmod 0700 "$root/root"

# GNU tar does the ownership and timestamps: no root privileges or fakeroot needed.
tar_opts=(--format=gnu --sort=name --owner=0 --group=0 --numeric-owner --mtime=@0 --no-acls --no-xattrs --no-selinux)
mkdir -p "$(dirname "$out")"
partial=$out.partial.$$
# Top-level entries are listed explicitly (sorted) so there is no "./" entry carrying the temp
# dir's own mode; --sort=name orders everything beneath them.
(cd "$root" && LC_ALL=C ls -A | LC_ALL=C sort | tar "${tar_opts[@]}" -cf "$partial" --verbatim-files-from -T -)

# pmanuser's home belongs to pmanuser; appended last so its entry is still in a fixed place.
mkdir -p "$tmp/home/home/pmanuser"
chmod 0755 "$tmp/home/home" && chmod 0700 "$tmp/home/home/pmanuser"
tar --format=gnu --owner=1000 --group=1000 --numeric-owner --mtime=@0 --no-acls --no-xattrs --no-selinux \
  -C "$tmp/home" -rf "$partial" --no-recursion home/pmanuser
mv -f "$partial" "$out"
