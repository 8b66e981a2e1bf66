#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# debug-kernel.sh: build the debug-lane kernel (tinyconfig plus
# config/debug.config: KUnit, KASAN, lockdep, ...) from Debian's
# linux-source-6.12, once. The result is cached under
# $PARCLASS_CACHE/kernels/<source-version>-<fragment-hash>/ and its path is
# printed. It holds the build tree (usable as KDIR), bzImage and the
# installed modules under modroot/.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

frag=$PARCLASS_TOP/config/debug.config
src=$("$PARCLASS_TOP/scripts/linux-source.sh" 6.12)
ver=$(basename "$src"); ver=${ver#linux-source-6.12-}
key=$ver-$(short_hash "$frag")
out=$PARCLASS_CACHE/kernels/$key

if [ -f "$out/.done" ]; then
	printf '%s\n' "$out"
	exit 0
fi

build=$out.tmp
rm -rf "$build" "$out"
mkdir -p "$build"
blog=$PARCLASS_CACHE/kernels/$key.log
log "debug-kernel: building $key (first run only; log in $blog)"
kmake() { make -C "$src" O="$build" ARCH=x86_64 "$@" >>"$blog" 2>&1; }
: >"$blog"
if ! {
	kmake tinyconfig &&
	"$src/scripts/kconfig/merge_config.sh" -m -O "$build" \
		"$build/.config" "$frag" >>"$blog" 2>&1 &&
	kmake olddefconfig
}; then
	tail -n 30 "$blog" >&2
	die "debug kernel configuration failed"
fi

# Every option the fragment asks for must have survived olddefconfig.
bad=0
while IFS= read -r line; do
	case "$line" in
	CONFIG_*=*)
		grep -qx -- "$line" "$build/.config" || {
			log "debug-kernel: fragment line not honoured: $line"
			bad=1
		}
		;;
	"# CONFIG_"*" is not set")
		opt=${line#\# }
		opt=${opt%% *}
		! grep -q "^$opt=" "$build/.config" || {
			log "debug-kernel: fragment line not honoured: $line"
			bad=1
		}
		;;
	esac
done <"$frag"
[ "$bad" = 0 ] || die "config/debug.config does not apply to $(basename "$src")"

if ! kmake -j"$(nproc)" bzImage modules ||
   ! kmake INSTALL_MOD_PATH="$build/modroot" INSTALL_MOD_STRIP=1 \
	modules_install; then
	tail -n 40 "$blog" >&2
	die "debug kernel build failed"
fi
cp "$build/arch/x86/boot/bzImage" "$build/vmlinuz"
touch "$build/.done"
mv "$build" "$out"
printf '%s\n' "$out"
