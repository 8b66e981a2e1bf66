#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# lane.sh LANE RUNDIR: run one test lane and write its ledger
# (PASS|FAIL|SKIP <lane> <test>, one line per test) to RUNDIR/ledger.
#
# Lanes:
#   debian-6.1, debian-6.12  Debian's newest kernel of that series
#   debug                    6.12 built with KUnit, KASAN, lockdep (cached)
#   smp1                     the debug kernel on one CPU, parport0 with
#                            its interrupt line (a subset of the tests)
#   gates                    sparse, checkpatch, kernel-doc, uAPI header
#   tools                    the user-space tools and their host tests
#
# Each test lane has a manifest, tests/manifest/LANE (its format is in
# scripts/tap-ledger.awk): every test program, KUnit suite and final
# check, with the exact number of results each must give, the skips it
# may give and why, or "off" and why it does not run in that lane. A
# program without a line in the manifest still runs, and fails the lane.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

lane=$1 run=$(realpath -m "$2")
rm -rf "$run"
mkdir -p "$run"
ledger=$run/ledger
: >"$ledger"
info=$run/kernel
manifest=$PARCLASS_TOP/tests/manifest/$lane

pass() { echo "PASS $lane $*" >>"$ledger"; }
fail() { echo "FAIL $lane $*" >>"$ledger"; }
# verdict OK NAME: record NAME as passed when OK is 0.
verdict() { if [ "$1" = 0 ]; then pass "$2"; else fail "$2"; fi; }

# Lines in a guest's console log that fail a lane whatever the tests said.
BAD_LOG='BUG:|WARNING:|KASAN:|Oops|might_sleep|general protection fault|Kernel panic|UBSAN:|possible recursive locking|circular locking|DEBUG_LOCKS_WARN_ON|Call Trace:|INFO: task .* blocked'

# only_wanted NAME: for developers, PARCLASS_ONLY="t1 t2" builds and runs
# only those guest tests (and the KUnit modules); such a lane fails, so
# that a partial run is never taken for a whole one. make check leaves it
# unset.
only_wanted() {
	[ -z "${PARCLASS_ONLY:-}" ] && return 0
	case " $PARCLASS_ONLY " in *" $1 "*) return 0 ;; esac
	return 1
}

# manifest_says KIND NAME: what the manifest's line for KIND NAME says
# in its third field (a count, or "off"); nothing when it has no line.
# A KUnit module is named by its MODULE/SUITE lines too.
manifest_says() {
	[ -f "$manifest" ] || return 0
	awk -v k="$1" -v n="$2" '$1 == k && ($2 == n || index($2, n "/") == 1) {
		print $3; exit }' "$manifest"
}

# manifest_args KIND NAME: the arguments the manifest gives the program
# in this lane ("args ARG... --"), if any.
manifest_args() {
	[ -f "$manifest" ] || return 0
	awk -v k="$1" -v n="$2" '$1 == k && $2 == n {
		for (i = 4; i <= NF && $i != "args"; i++)
			;
		for (i++; i <= NF && $i != "--"; i++)
			printf "%s%s", (s++ ? " " : ""), $i
		exit
	}' "$manifest"
}

# runs KIND NAME: does this lane run the program? Everything does unless
# the manifest turns it off; with PARCLASS_ONLY, the selftests and final
# checks named there do, and no other (KUnit modules run whenever they
# are not off).
runs() {
	if [ -n "${PARCLASS_ONLY:-}" ] && [ "$1" != kunit ]; then
		only_wanted "$2"
		return
	fi
	[ "$(manifest_says "$1" "$2")" != off ]
}

# inventory: "KIND NAME" for every test program in the tree that a guest
# lane can run; each must have a line in the lane's manifest.
inventory() {
	local f
	for f in "$PARCLASS_TOP"/tests/selftests/*.c; do
		[ -f "$f" ] && echo "selftest $(basename "$f" .c)"
	done
	for f in "$PARCLASS_TOP"/tests/selftests/*.sh; do
		[ -f "$f" ] && echo "selftest $(basename "$f")"
	done
	for f in "$PARCLASS_TOP"/tests/final/*.sh; do
		[ -f "$f" ] && echo "final $(basename "$f" .sh)"
	done
	# The KUnit modules: tests/kunit/Kbuild's obj-m.
	sed -n 's/^obj-m[[:space:]]*+*=//p' "$PARCLASS_TOP/tests/kunit/Kbuild" |
		tr -s ' \t' '\n\n' | sed -n 's/^\(.*\)\.o$/kunit \1/p'
}

# ledger_from REPORT [AWK ARGS...]: REPORT's results, checked against the
# manifest, into the ledger.
ledger_from() {
	local report=$1
	shift
	awk -v lane="$lane" -v manifest="$manifest" \
		-v inventory="$run/inventory" -v only="${PARCLASS_ONLY:-}" \
		"$@" -f "$PARCLASS_TOP/scripts/tap-ledger.awk" "$report" >>"$ledger"
}

ksft_dir() {
	local src
	src=$("$PARCLASS_TOP/scripts/linux-source.sh" 6.12) || return 1
	printf '%s\n' "$src/tools/testing/selftests"
}

# build_module KDIR: build parclass (and the KUnit module where the kernel
# has KUnit) with W=1 in a private copy of the tree; fail on any warning.
build_module() {
	local kdir=$1 src=$run/src blog=$run/build.log
	copy_sources "$src"
	make -C "$kdir" M="$src" W=1 modules >"$blog" 2>&1
	local rc=$?
	if [ "$rc" != 0 ] || grep -qiE 'warning:|error:' "$blog"; then
		grep -iE -A3 'warning:|error:' "$blog" | head -n 30 >&2
		fail "build: parclass.ko builds with W=1 and no warning"
		return 1
	fi
	pass "build: parclass.ko builds with W=1 and no warning"
}

# build_selftests: the guest programs, static, against this tree's uAPI;
# every one is built (so every one builds without a warning), and those
# the lane runs go into the guest.
build_selftests() {
	local ksft out=$run/selftests f name ok=0
	ksft=$(ksft_dir) || { fail "build: selftests (no kselftest_harness.h)"; return 1; }
	mkdir -p "$out" "$run/stage/tests/selftests"
	for f in "$PARCLASS_TOP"/tests/selftests/*.c; do
		name=$(basename "$f" .c)
		only_wanted "$name" || continue
		gcc -static -O2 -Wall -Werror -D_GNU_SOURCE \
			-I"$PARCLASS_TOP/include/uapi" -I"$ksft" \
			-I"$PARCLASS_TOP/tools/include" \
			-o "$out/$name" "$f" \
			"$PARCLASS_TOP"/tools/lib/*.c \
			>>"$run/build.log" 2>&1 || { ok=1; continue; }
		runs selftest "$name" && cp "$out/$name" "$run/stage/tests/selftests/"
	done
	verdict "$ok" "build: selftests build with -Wall -Werror"
	[ -z "${PARCLASS_ONLY:-}" ] ||
		fail "partial run: only PARCLASS_ONLY=\"$PARCLASS_ONLY\""
	return "$ok"
}

# stage_kmod MODDIR NAME [ARGS]: put kernel module NAME (decompressed) in
# the guest, loaded at boot with module parameters ARGS.
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
	echo "/ko/$2.ko${3:+ $3}" >>"$run/stage/etc/parclass/modules"
}

# host_port_check PORT: PORT's emulated output is its data files' bytes.
host_port_check() {
	local port=$1 base want f m
	m="host: bytes printed to $port arrive intact and in order"
	base=$(sed -n "s/\r\$//; s/^PARCLASS-PORT $port //p" "$run/vm/results.txt")
	want=$run/$port.expected
	find "$run/stage/tests/data" -name "*.$port.bin" | LC_ALL=C sort |
		xargs -r cat >"$want"
	f=$run/vm/lpt-$(printf '0x%x' "${base:-0}" 2>/dev/null).out
	if [ -n "$base" ] && [ -f "$f" ] && cmp -s "$want" "$f"; then
		pass "$m ($(stat -c %s "$want") bytes)"
	else
		[ -f "$f" ] && cmp "$want" "$f" >&2
		fail "$m"
	fi
}

# build_tools: libparclass, parclassctl and the example, static, for the
# guest.
build_tools() {
	mkdir -p "$run/stage/usr/bin"
	if make -C "$PARCLASS_TOP/tools" O="$run/tools" STATIC=1 \
		"$run/tools/parclassctl" "$run/tools/parclass-example" \
		"$run/tools/parclass-bench" >>"$run/build.log" 2>&1; then
		cp "$run/tools/parclassctl" "$run/tools/parclass-example" \
			"$run/tools/parclass-bench" "$run/stage/usr/bin/"
		pass "build: parclassctl and the example build static with -Werror"
	else
		fail "build: parclassctl and the example build static with -Werror"
		return 1
	fi
}

# stage_data PROGRAM PORT BYTES: random bytes that guest program PROGRAM
# prints to PORT, staged only when the lane runs PROGRAM.
stage_data() {
	runs selftest "$1" || return 0
	head -c "$3" /dev/urandom >"$run/stage/tests/data/$1.$2.bin"
}

# stage_guest MODDIR [PARPORT_PC_ARGS]: the kernel's parport modules and
# this tree's.
stage_guest() {
	local moddir=$1 m name

	mkdir -p "$run/stage/etc/parclass" "$run/stage/tests/data" \
		"$run/stage/usr/bin"
	# The guest credits its random pool with this at boot (guest-seed.c).
	head -c 64 /dev/urandom >"$run/stage/etc/parclass/seed"
	gcc -static -O2 -Wall -Werror -o "$run/stage/usr/bin/guest-seed" \
		"$PARCLASS_TOP/scripts/guest-seed.c" >>"$run/build.log" 2>&1 ||
		{ fail "stage: guest-seed"; return 1; }
	# The guest's tests may size their work by lane (the fuzzer, stress).
	echo "$lane" >"$run/stage/etc/parclass/lane"
	: >"$run/stage/etc/parclass/modules"
	for m in parport parport_pc ppdev lp; do
		stage_kmod "$moddir" "$m" "$([ "$m" = parport_pc ] && echo "${2:-}")" ||
			{ fail "stage: kernel module $m"; return 1; }
	done
	# This tree's modules, loaded at boot after the kernel's: every .ko
	# built in a top-level directory (parclass/, the simulated port...).
	for m in "$run"/src/*/*.ko; do
		[ -f "$m" ] || continue
		cp "$m" "$run/stage/ko/"
		echo "/ko/$(basename "$m")" >>"$run/stage/etc/parclass/modules"
	done
	# KUnit modules are loaded by the guest's test runner, not at boot.
	mkdir -p "$run/stage/tests/kunit"
	for m in "$run"/src/tests/kunit/*.ko; do
		[ -f "$m" ] && runs kunit "$(basename "$m" .ko)" &&
			cp "$m" "$run/stage/tests/kunit/"
	done
	# Shell tests run beside the compiled selftests (their name keeps
	# the .sh).
	mkdir -p "$run/stage/tests/selftests"
	for m in "$PARCLASS_TOP"/tests/selftests/*.sh; do
		[ -f "$m" ] || continue
		name=$(basename "$m")
		if [ -n "${PARCLASS_ONLY:-}" ]; then
			only_wanted "${name%.sh}" || only_wanted "$name" || continue
		else
			runs selftest "$name" || continue
		fi
		install -m 0755 "$m" "$run/stage/tests/selftests/"
	done
	# Checks that run once every other test has, KUnit included
	# (tests/final/*.sh, in name order).
	mkdir -p "$run/stage/tests/final"
	for m in "$PARCLASS_TOP"/tests/final/*.sh; do
		[ -f "$m" ] || continue
		runs final "$(basename "$m" .sh)" || continue
		install -m 0755 "$m" "$run/stage/tests/final/"
	done
	# The arguments a program runs with in this lane, from the manifest.
	mkdir -p "$run/stage/tests/args"
	for m in "$run"/stage/tests/selftests/* "$run"/stage/tests/final/*; do
		[ -f "$m" ] || continue
		case $m in
		*/final/*) name=$(manifest_args final "$(basename "$m" .sh)") ;;
		*) name=$(manifest_args selftest "$(basename "$m")") ;;
		esac
		[ -z "$name" ] || echo "$name" >"$run/stage/tests/args/$(basename "$m")"
	done
	# Random bytes the guest programs print, named PROGRAM.PORT.bin; the
	# host checks that each port's output is exactly its files' bytes.
	stage_data pipeline_test parport0 32
	stage_data coexist_test parport0 4096
	# exclusive_test: a 64 KiB job, then lp's 16 bytes, then ppdev's 16.
	stage_data exclusive_test parport0 65568
	stage_data parclassctl_test parport1 65536
	# qemu_irq_test needs the LPTs' interrupt lines, which the debug
	# kernel's parport_pc does not get (README, "Interrupts").
	[ "$lane" = debug ] || stage_data qemu_irq_test parport1 64
	stage_data write_test parport1 1000
}

# log_check: the guest's console log is free of kernel reports (and there
# is one: no log is no pass).
log_check() {
	if [ ! -s "$run/vm/console.log" ]; then
		fail "host: guest log free of BUG/WARNING/KASAN/lockdep/Oops (no console log)"
	elif grep -qE "$BAD_LOG" "$run/vm/console.log"; then
		grep -nE -B2 -A12 "$BAD_LOG" "$run/vm/console.log" | head -n 60 >&2
		fail "host: guest log free of BUG/WARNING/KASAN/lockdep/Oops"
	else
		pass "host: guest log free of BUG/WARNING/KASAN/lockdep/Oops"
	fi
}

# guest_lane KERNEL_IMAGE MODDIR TIMEOUT SMP [PARPORT_PC_ARGS]: stage,
# boot, read back.
guest_lane() {
	local image=$1 moddir=$2 limit=$3 smp=$4 p

	stage_guest "$moddir" "${5:-}" || return
	"$PARCLASS_TOP/scripts/mkinitramfs.sh" "$run/stage" "$run/initramfs.cpio.gz" ||
		{ fail "stage: initramfs"; return; }
	"$PARCLASS_TOP/scripts/vm-run.sh" "$image" "$run/initramfs.cpio.gz" \
		"$run/vm" "$limit" "$smp"
	if [ "$(cat "$run/vm/qemu.status")" = 124 ]; then
		fail "guest: finished within ${limit}s"
	fi

	# The guest's first line comes from its /init; without it the guest
	# never started (QEMU failed, or the kernel died before /init), and
	# there is nothing to compare with the manifest.
	if [ ! -s "$run/vm/results.txt" ]; then
		tail -n 20 "$run/vm/qemu.log" "$run/vm/console.log" >&2 2>/dev/null
		fail "guest: wrote no report (vm/results.txt missing or empty)"
		# A kernel that died early may say why.
		[ ! -s "$run/vm/console.log" ] || log_check
		return
	fi
	ledger_from "$run/vm/results.txt"

	# The host's side of the programs that print: each port's output file
	# holds exactly the bytes of its PROGRAM.PORT.bin files, complete and
	# in the order the programs ran (by name).
	for p in parport0 parport1; do
		host_port_check "$p"
	done

	log_check
}

lane_debian() {
	local kd kdir
	kd=$("$PARCLASS_TOP/scripts/debian-kernel.sh" "$1") ||
		{ fail "setup: Debian $1 kernel unavailable"; return; }
	cat "$kd/release" >"$info"
	kdir=$(readlink -f "$kd/kdir")
	build_module "$kdir" || return
	build_selftests || return
	build_tools || return
	guest_lane "$kd/vmlinuz" "$kd/modules/" 300 2
}

# lane_debug TIMEOUT SMP [PARPORT_PC_ARGS]
lane_debug() {
	local kd
	kd=$("$PARCLASS_TOP/scripts/debug-kernel.sh") ||
		{ fail "setup: debug kernel build"; return; }
	cat "$kd/include/config/kernel.release" >"$info"
	build_module "$kd" || return
	[ -f "$run/src/tests/kunit/parclass_test.ko" ] ||
		{ fail "build: KUnit module"; return; }
	build_selftests || return
	build_tools || return
	guest_lane "$kd/vmlinuz" "$kd/modroot/lib/modules" "$1" "$2" "${3:-}"
}

# smp1: one CPU, where the tests and the parport interrupts meet.
# parport_claim() of a device on the core's wait list turns interrupts
# back on while it holds the port's cad_lock for writing (the deadlock the
# other lanes keep away from by moving the LPTs' interrupts to CPU 1).
# parclass claims without ever queueing there; this lane shows it. The
# debug kernel's lockdep reports that claim path as soon as the lock class
# (one for every port) has also been taken in hard interrupt context, in
# either order: after one interrupt, every claim, grant and transfer of
# the run is checked, deterministically. (A kernel without lockdep would
# show the bug only if an interrupt hit that window.) That kernel's
# parport_pc finds no interrupt line for the LPTs (no PnP) unless told:
# parport0 gets QEMU's IRQ 7, edge-triggered; IRQ 5 is level-triggered
# (ACPI's override), and one CPU would spend itself on a line held up
# until the status is read, so parport1 stays polled. The guest makes
# sure an interrupt was taken (guest-init.sh, "guest irq"); the programs
# that hand lp or ppdev a port they queued for are off (see the manifest).
lane_smp1() {
	lane_debug 300 1 "io=0x378,0x278 irq=7,none"
}

# The user-space tools on the host: build everything, run the unit tests.
lane_tools() {
	local out=$run/tools rc
	if make -C "$PARCLASS_TOP/tools" O="$out" all >"$run/build.log" 2>&1; then
		pass "build: libparclass (static, shared, pkg-config), parclassctl, example with -Werror"
	else
		tail -n 20 "$run/build.log" >&2
		fail "build: libparclass (static, shared, pkg-config), parclassctl, example with -Werror"
		return
	fi
	# make install lays out a usable library: a program builds and links
	# against the installed header, static library and shared library.
	local root=$run/root m="build: make install gives headers, libraries, pkg-config file and man pages a program can use"
	if make -C "$PARCLASS_TOP/tools" O="$out" DESTDIR="$root" PREFIX=/usr \
		install >>"$run/build.log" 2>&1 &&
	   [ -f "$root/usr/share/man/man1/parclassctl.1" ] &&
	   [ -f "$root/usr/share/man/man4/parclass.4" ] &&
	   grep -q '^Libs: -L${libdir} -lparclass' "$root/usr/lib/pkgconfig/libparclass.pc" &&
	   printf '#include <parclass/libparclass.h>\n#include <parclass/parclass_win.h>\nint main(void) { return ParclassNtStatusFromErrno(0) + (parclass_open() < -1000); }\n' |
		gcc -x c - -I"$root/usr/include" -L"$root/usr/lib" -lparclass \
		-o "$run/installed-test" >>"$run/build.log" 2>&1 &&
	   LD_LIBRARY_PATH="$root/usr/lib" ldd "$run/installed-test" \
		>"$run/installed-test.ldd" &&
	   grep -q 'libparclass\.so\.0 => .*/root/usr/lib/' "$run/installed-test.ldd"; then
		pass "$m"
	else
		fail "$m"
	fi
	{
		echo "PARCLASS-BEGIN host tools_test"
		make -s -C "$PARCLASS_TOP/tools" O="$out" check 2>&1
		rc=$?
		echo "PARCLASS-END host tools_test rc=$rc"
	} >"$run/results.txt"
	echo "host tools_test" >"$run/inventory"
	ledger_from "$run/results.txt" -v host=1
}

# make demo, make bench: the Debian 6.12 guest runs scripts/JOB-guest.sh
# instead of the tests; its output streams to the terminal as it comes.
lane_job() {
	local kd kdir base f
	kd=$("$PARCLASS_TOP/scripts/debian-kernel.sh" 6.12) ||
		die "cannot fetch Debian's 6.12 kernel"
	kdir=$(readlink -f "$kd/kdir")
	echo "$1: building parclass.ko and the tools for $(cat "$kd/release")"
	build_module "$kdir" || die "building parclass failed (see $run/build.log)"
	build_tools || die "building the tools failed (see $run/build.log)"
	stage_guest "$kd/modules/" || die "staging the guest failed"
	mkdir -p "$run/stage/job"
	install -m 0755 "$PARCLASS_TOP/scripts/$1-guest.sh" "$run/stage/job/run.sh"
	# PARCLASS_BENCH_PROFILE=1 make bench: the profile instead of the table.
	[ -z "${PARCLASS_BENCH_PROFILE:-}" ] ||
		echo "$PARCLASS_BENCH_PROFILE" >"$run/stage/job/profile"
	cp "$PARCLASS_TOP/scripts/demo-hello.txt" "$run/stage/job/hello.txt"
	"$PARCLASS_TOP/scripts/mkinitramfs.sh" "$run/stage" "$run/initramfs.cpio.gz"

	echo "$1: booting Linux $(cat "$kd/release") under QEMU with two emulated parallel ports"
	mkdir -p "$run/vm"
	: >"$run/vm/results.txt"
	"$PARCLASS_TOP/scripts/vm-run.sh" "$kd/vmlinuz" "$run/initramfs.cpio.gz" \
		"$run/vm" 120 2 &
	tail -n +1 -F "$run/vm/results.txt" --pid=$! 2>/dev/null |
		sed -u 's/\r$//; /^PARCLASS-BEGIN/,/^PARCLASS-END/d; /^PARCLASS-/d'
	wait
	grep -q '^PARCLASS-STATUS done' "$run/vm/results.txt" ||
		die "the $1 guest did not finish (console log: $run/vm/console.log)"
	[ "$1" = demo ] || return 0

	base=$(sed -n 's/\r$//; s/^PARCLASS-PORT parport0 //p' "$run/vm/results.txt")
	f=$run/vm/lpt-$(printf '0x%x' "${base:-0}").out
	echo
	echo "### On the host: what parport0's emulated printer received ($(stat -c %s "$f") bytes, $f)"
	cat "$f"
	pass "demo"
}

case "$lane" in
debian-* | debug | smp1) inventory >"$run/inventory" ;;
esac
case "$lane" in
demo | bench) lane_job "$lane" ;;
debian-*) lane_debian "${lane#debian-}" ;;
debug) lane_debug 600 2 ;;
smp1) lane_smp1 ;;
gates) "$PARCLASS_TOP/scripts/gates.sh" "$run" ;;
tools) lane_tools ;;
*) fail "no such lane" ;;
esac
exit 0
