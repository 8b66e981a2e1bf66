#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# linux-source.sh [SERIES]: fetch Debian's linux-source-SERIES (default 6.12)
# and unpack it once into the cache. Prints the source tree's path.
# The debug kernel, checkpatch, kernel-doc and kselftest_harness.h come
# from this tree.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

series=${1:-6.12}
pkg=linux-source-$series
apt_refresh
ver=$(apt_version "$pkg")
[ -n "$ver" ] || die "apt knows no $pkg"

dest=$PARCLASS_CACHE/src/$pkg-$ver
if [ ! -f "$dest/.done" ]; then
	deb=$(fetch_deb "$pkg" "$ver")
	log "linux-source: unpacking $pkg $ver"
	tmp=$dest.tmp
	rm -rf "$tmp" "$dest"
	mkdir -p "$tmp/deb"
	dpkg-deb -x "$deb" "$tmp/deb"
	tar -C "$tmp" -xJf "$tmp/deb/usr/src/$pkg.tar.xz"
	rm -rf "$tmp/deb"
	mv "$tmp/$pkg" "$dest"
	rmdir "$tmp"
	touch "$dest/.done"
fi
printf '%s\n' "$dest"
