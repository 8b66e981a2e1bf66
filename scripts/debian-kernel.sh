#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# debian-kernel.sh SERIES: resolve Debian's newest amd64 kernel of SERIES
# (6.1, 6.12, ...) with apt, and unpack its image and its headers into the
# cache, never into /boot or /usr/src. Prints the directory, which holds:
#   vmlinuz   the kernel
#   modules   its /lib/modules/<release> tree
#   kdir      its headers, ready for "make -C kdir M=..."
#   release   the kernel release string
set -euo pipefail
. "$(dirname "$0")/lib.sh"

series=${1:?usage: debian-kernel.sh SERIES}
apt_refresh

re="^linux-image-(${series//./\\.}\\.[0-9]+(-[0-9]+|\\+deb[0-9]+))-amd64\$"
# The newest image that also has headers: walk down from the newest.
abi=
for a in $(apt-cache pkgnames "linux-image-$series." | sed -En "s/$re/\\1/p" |
	   sort -rV); do
	if apt-cache show --no-all-versions "linux-headers-$a-amd64" \
		>/dev/null 2>&1; then
		abi=$a
		break
	fi
done
[ -n "$abi" ] || die "apt knows no linux-image-$series.*-amd64 with headers"
release=$abi-amd64

dest=$PARCLASS_CACHE/debian/$release
if [ -f "$dest/.done" ]; then
	printf '%s\n' "$dest"
	exit 0
fi

log "debian-kernel: fetching $release"
img=linux-image-$release
hdr=linux-headers-$release
deps=$(apt-cache show --no-all-versions "$hdr" | sed -n 's/^Depends: //p')
first_match() { grep -oE "$1" | awk 'NR == 1 { print }'; }
common=$(printf '%s\n' "$deps" | first_match 'linux-headers-[^ ,]+-common')
kbuild=$(printf '%s\n' "$deps" | first_match 'linux-kbuild-[^ ,]+')
[ -n "$common" ] && [ -n "$kbuild" ] || die "cannot read $hdr's dependencies"

tmp=$dest.tmp
rm -rf "$tmp" "$dest"
mkdir -p "$tmp/root"
for p in "$img" "$hdr" "$common" "$kbuild"; do
	dpkg-deb -x "$(fetch_deb "$p" "$(apt_version "$p")")" "$tmp/root"
done

# The headers refer to each other by absolute /usr/src paths; point them
# into the unpacked tree instead.
kdir=$tmp/root/usr/src/linux-headers-$release
sed -i "s|/usr/src/|$dest/root/usr/src/|g" "$kdir/Makefile"
[ -f "$tmp/root/boot/vmlinuz-$release" ] || die "$img has no vmlinuz"

ln -s "root/boot/vmlinuz-$release" "$tmp/vmlinuz"
ln -s "root/lib/modules/$release" "$tmp/modules"
ln -s "root/usr/src/linux-headers-$release" "$tmp/kdir"
printf '%s\n' "$release" >"$tmp/release"
touch "$tmp/.done"
mv "$tmp" "$dest"
printf '%s\n' "$dest"
