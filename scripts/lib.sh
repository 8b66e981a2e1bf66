# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the parclass build and test scripts. Source it; do not run it.

PARCLASS_TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
PARCLASS_CACHE=${PARCLASS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/parclass}
export PARCLASS_TOP PARCLASS_CACHE

log() { printf '%s\n' "$*" >&2; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

# Lines in a guest's console log that fail a lane whatever the tests said.
BAD_LOG='BUG:|WARNING:|KASAN:|Oops|might_sleep|general protection fault|Kernel panic|UBSAN:|possible recursive locking|circular locking|DEBUG_LOCKS_WARN_ON|Call Trace:|INFO: task .* blocked'

# apt_version PKG: the candidate version apt would install, or nothing.
apt_version() {
	apt-cache show --no-all-versions "$1" 2>/dev/null |
		awk '/^Version: / && v == "" { v = $2 } END { print v }'
}

# apt_refresh: make sure the package lists exist (a fresh machine has none).
apt_refresh() {
	local stamp=$PARCLASS_CACHE/.apt-updated
	mkdir -p "$PARCLASS_CACHE"
	if [ -z "$(find "$stamp" -mmin -600 2>/dev/null)" ]; then
		apt-get update -qq >/dev/null || die "apt-get update failed"
		touch "$stamp"
	fi
}

# fetch_deb PKG VERSION: download one package into the cache, print its path.
fetch_deb() {
	local pkg=$1 ver=$2 dir=$PARCLASS_CACHE/debs f
	mkdir -p "$dir"
	f=$(find "$dir" -maxdepth 1 -name "${pkg}_*.deb" -print -quit)
	if [ -z "$f" ] || [ "$(dpkg-deb -f "$f" Version)" != "$ver" ]; then
		rm -f "$dir/${pkg}_"*.deb
		(cd "$dir" && apt-get download -q -o APT::Sandbox::User=root \
			"$pkg=$ver" >/dev/null 2>&1) ||
			die "cannot download $pkg=$ver"
		f=$(find "$dir" -maxdepth 1 -name "${pkg}_*.deb" -print -quit)
	fi
	[ -n "$f" ] || die "no .deb for $pkg"
	printf '%s\n' "$f"
}

# short_hash FILE...: a 12-hex-digit digest of the files' contents.
short_hash() {
	cat "$@" | sha256sum | cut -c1-12
}

# copy_sources DIR: a clean copy of the tree's sources in DIR (no build
# products, no .git), for building against one kernel without touching
# the work tree.
copy_sources() {
	rm -rf "$1"
	mkdir -p "$1"
	tar -C "$PARCLASS_TOP" -cf - --exclude=./.git --exclude=./build --exclude=./tools/build \
		--exclude='*.o' --exclude='*.ko' --exclude='*.mod' \
		--exclude='*.mod.c' --exclude='.*.cmd' --exclude='*.a' \
		--exclude=Module.symvers --exclude=modules.order \
		--exclude='.tmp_versions' . | tar -C "$1" -xf -
}
