#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lane.sh LANE RUNDIR: run one test lane and write its ledger
# (PASS|FAIL|SKIP <lane> <test>, one line per test) to RUNDIR/ledger.
#
# Lanes:
#   debian-6.1, debian-6.12  Debian's newest kernel of that series
#   debug                    6.12 built with KUnit, KASAN, lockdep (cached)
#   gates                    sparse, checkpatch, kernel-doc, uAPI header
set -uo pipefail
. "$(dirname "$0")/lib.sh"

lane=$1 run=$2
rm -rf "$run"
mkdir -p "$run"
ledger=$run/ledger
: >"$ledger"
info=$run/kernel

pass() { echo "PASS $lane $*" >>"$ledger"; }
fail() { echo "FAIL $lane $*" >>"$ledger"; }
# verdict OK NAME: record NAME as passed when OK is 0.
verdict() { if [ "$1" = 0 ]; then pass "$2"; else fail "$2"; fi; }

# Lines in a guest's console log that fail a lane whatever the tests said.
BAD_LOG='BUG:|WARNING:|KASAN:|Oops|might_sleep|general protection fault|Kernel panic|UBSAN:|possible recursive locking|circular locking|DEBUG_LOCKS_WARN_ON|Call Trace:|INFO: task .* blocked'

ksft_dir() {
	local src
	src=$("$PARCLASS_TOP/scripts/linux-source.sh" 6.12) || return 1
	printf '%s\n' "$src/tools/testing/selftests"
}

# build_module KDIR: build parclass (and the KUnit module where the kernel
# has KUnit) with W=1 in a private copy of the tree; fail on any warning.
build_module() {
	local kdir=$1 src=$run/src blog=$run/build.log
	rm -rf "$src"
	mkdir -p "$src"
	cp -r "$PARCLASS_TOP"/{Kbuild,parclass,include,tests} "$src/"
	make -C "$kdir" M="$src" W=1 modules >"$blog" 2>&1
	local rc=$?
	if [ "$rc" != 0 ] || grep -qiE 'warning:|error:' "$blog"; then
		grep -iE -A3 'warning:|error:' "$blog" | head -n 30 >&2
		fail "build: parclass.ko builds with W=1 and no warning"
		return 1
	fi
	pass "build: parclass.ko builds with W=1 and no warning"
}

# build_selftests: the guest programs, static, against this tree's uAPI.
build_selftests() {
	local ksft out=$run/stage/tests/selftests f ok=0
	ksft=$(ksft_dir) || { fail "build: selftests (no kselftest_harness.h)"; return 1; }
	mkdir -p "$out"
	for f in "$PARCLASS_TOP"/tests/selftests/*.c; do
		gcc -static -O2 -Wall -Werror -D_GNU_SOURCE \
			-I"$PARCLASS_TOP/include/uapi" -I"$ksft" \
			-o "$out/$(basename "$f" .c)" "$f" \
			>>"$run/build.log" 2>&1 || ok=1
	done
	verdict "$ok" "build: selftests build with -Wall -Werror"
	return "$ok"
}

# stage_kmod MODDIR NAME: put kernel module NAME (decompressed) in the guest.
stage_kmod() {
	local f dst=$run/stage/ko/$2.ko
	f=$(find "$1" -name "$2.ko" -o -name "$2.ko.xz" -o -name "$2.ko.zst" |
		head -n 1)
	[ -n "$f" ] || { log "lane $lane: no $2 module in $1"; return 1; }
	mkdir -p "$run/stage/ko"
	case "$f" in
	*.xz) xz -dc "$f" >"$dst" ;;
	*.zst) zstd -qdc "$f" >"$dst" ;;
	*) cp "$f" "$dst" ;;
	esac
	echo "/ko/$2.ko" >>"$run/stage/etc/parclass/modules"
}

# guest_lane KERNEL_IMAGE MODDIR TIMEOUT SMP: stage, boot, read back.
guest_lane() {
	local image=$1 moddir=$2 limit=$3 smp=$4 m base want f other

	mkdir -p "$run/stage/etc/parclass" "$run/stage/tests/data"
	: >"$run/stage/etc/parclass/modules"
	for m in parport parport_pc ppdev lp; do
		stage_kmod "$moddir" "$m" || { fail "stage: kernel module $m"; return; }
	done
	cp "$run/src/parclass/parclass.ko" "$run/stage/ko/"
	echo /ko/parclass.ko >>"$run/stage/etc/parclass/modules"
	if [ -f "$run/src/tests/kunit/parclass_test.ko" ]; then
		mkdir -p "$run/stage/tests/kunit"
		cp "$run/src/tests/kunit/parclass_test.ko" "$run/stage/tests/kunit/"
	fi
	head -c 32 /dev/urandom >"$run/stage/tests/data/lp0.bin"

	"$PARCLASS_TOP/scripts/mkinitramfs.sh" "$run/stage" "$run/initramfs.cpio.gz" ||
		{ fail "stage: initramfs"; return; }
	"$PARCLASS_TOP/scripts/vm-run.sh" "$image" "$run/initramfs.cpio.gz" \
		"$run/vm" "$limit" "$smp"
	if [ "$(cat "$run/vm/qemu.status")" = 124 ]; then
		fail "guest: finished within ${limit}s"
	fi

	awk -v lane="$lane" -f "$PARCLASS_TOP/scripts/tap-ledger.awk" \
		"$run/vm/results.txt" >>"$ledger"

	# The host's side of lp0_write_reaches_the_port: the bytes arrived
	# on parport0's output file, and nothing reached the other port.
	base=$(sed -n 's/\r$//; s/^PARCLASS-PORT parport0 //p' "$run/vm/results.txt")
	want=$run/stage/tests/data/lp0.bin
	f=$run/vm/lpt-$(printf '0x%x' "${base:-0}" 2>/dev/null).out
	if [ -n "$base" ] && [ -f "$f" ] && cmp -s "$want" "$f"; then
		other=$(find "$run/vm" -name 'lpt-*.out' ! -path "$f" -size +0c)
		verdict "$([ -z "$other" ]; echo $?)" \
			"host: 32 bytes from /dev/lp0 arrive intact on parport0's port only"
	else
		fail "host: 32 bytes from /dev/lp0 arrive intact on parport0's port only"
	fi

	if grep -qE "$BAD_LOG" "$run/vm/console.log"; then
		grep -nE -B2 -A12 "$BAD_LOG" "$run/vm/console.log" | head -n 60 >&2
		fail "host: guest log free of BUG/WARNING/KASAN/lockdep/Oops"
	else
		pass "host: guest log free of BUG/WARNING/KASAN/lockdep/Oops"
	fi
}

lane_debian() {
	local kd kdir
	kd=$("$PARCLASS_TOP/scripts/debian-kernel.sh" "$1") ||
		{ fail "setup: Debian $1 kernel unavailable"; return; }
	cat "$kd/release" >"$info"
	kdir=$(readlink -f "$kd/kdir")
	build_module "$kdir" || return
	build_selftests || return
	guest_lane "$kd/vmlinuz" "$kd/modules/" 300 1
}

lane_debug() {
	local kd
	kd=$("$PARCLASS_TOP/scripts/debug-kernel.sh") ||
		{ fail "setup: debug kernel build"; return; }
	cat "$kd/include/config/kernel.release" >"$info"
	build_module "$kd" || return
	[ -f "$run/src/tests/kunit/parclass_test.ko" ] ||
		{ fail "build: KUnit module"; return; }
	build_selftests || return
	guest_lane "$kd/vmlinuz" "$kd/modroot/lib/modules" 600 2
}

case "$lane" in
debian-*) lane_debian "${lane#debian-}" ;;
debug) lane_debug ;;
gates) "$PARCLASS_TOP/scripts/gates.sh" "$run" ;;
*) fail "no such lane" ;;
esac
exit 0
