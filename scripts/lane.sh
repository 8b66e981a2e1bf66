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
#   dkms                     Debian's dkms builds the module against the
#                            Debian 6.1 and 6.12 headers (no VM)
#   packages                 the Debian packages: build, lintian, a clean
#                            root, a program built with pkg-config (no VM)
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


# only_wanted NAME: for developers, PARCLASS_ONLY="t1 t2" builds and runs
# only those guest tests (and the KUnit modules); such a lane fails, so
# that a partial run is never taken for a whole one. make check leaves it
# unset. A shell test may be named with or without its .sh.
only_wanted() {
	local want

	[ -z "${PARCLASS_ONLY:-}" ] && return 0
	for want in $PARCLASS_ONLY; do
		[ "${want%.sh}" = "${1%.sh}" ] && return 0
	done
	return 1
}

# sourced_by_tests NAME: is tests/selftests/NAME a file the shell tests
# source (tap.sh), not a test program? Such a file is staged beside them
# without the execute bit (the guest runs only executable files there)
# and has no line in the manifests.
sourced_by_tests() {
	case $1 in tap.sh) return 0 ;; esac
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
		[ -f "$f" ] && ! sourced_by_tests "$(basename "$f")" &&
			echo "selftest $(basename "$f")"
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
	local ksft out=$run/selftests f name libs ok=0
	ksft=$(ksft_dir) || { fail "build: selftests (no kselftest_harness.h)"; return 1; }
	mkdir -p "$out" "$run/stage/tests/selftests"
	for f in "$PARCLASS_TOP"/tests/selftests/*.c; do
		name=$(basename "$f" .c)
		only_wanted "$name" || continue
		# Libraries a program needs besides libparclass, linked
		# statically too (Debian's libieee1284-3-dev has the .a).
		libs=
		case $name in
		ieee1284_test) libs=-lieee1284 ;;
		esac
		gcc -static -O2 -Wall -Werror -D_GNU_SOURCE \
			-I"$PARCLASS_TOP/include/uapi" -I"$ksft" \
			-I"$PARCLASS_TOP/tools/include" \
			-o "$out/$name" "$f" \
			"$PARCLASS_TOP"/tools/lib/*.c $libs \
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
		"$run/tools/parclass-bench" "$run/tools/cups/parclass" \
		>>"$run/build.log" 2>&1; then
		cp "$run/tools/parclassctl" "$run/tools/parclass-example" \
			"$run/tools/parclass-bench" "$run/stage/usr/bin/"
		# The CUPS backend, where CUPS keeps backends.
		mkdir -p "$run/stage/usr/lib/cups/backend"
		cp "$run/tools/cups/parclass" "$run/stage/usr/lib/cups/backend/"
		pass "build: parclassctl and the example build static with -Werror"
	else
		fail "build: parclassctl and the example build static with -Werror"
		return 1
	fi
}

# stage_data PROGRAM PORT BYTES: random bytes that guest program PROGRAM
# prints to PORT, staged only when the lane runs PROGRAM.
stage_data() {
	local prog=$1

	# A shell test's manifest name keeps its .sh.
	[ -f "$PARCLASS_TOP/tests/selftests/$1.sh" ] && prog=$1.sh
	runs selftest "$prog" || return 0
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
		if sourced_by_tests "$name"; then
			install -m 0644 "$m" "$run/stage/tests/selftests/"
			continue
		fi
		if [ -n "${PARCLASS_ONLY:-}" ]; then
			only_wanted "$name" || continue
		else
			runs selftest "$name" || continue
		fi
		install -m 0755 "$m" "$run/stage/tests/selftests/"
	done
	# The udev rule the tools install: the guest has no udevd, and
	# access_test applies the rule's MODE and GROUP itself.
	install -D -m 0644 "$PARCLASS_TOP/tools/udev/60-parclass.rules" \
		"$run/stage/lib/udev/rules.d/60-parclass.rules"
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
		# (Matched on the whole prefix: the tree's own path may hold
		# a directory named final.)
		case $m in
		"$run"/stage/tests/final/*)
			name=$(manifest_args final "$(basename "$m" .sh)") ;;
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
	stage_data qemu_pins_test parport1 512
	# cups_backend_test: one job through the CUPS backend to LPT2.
	stage_data cups_backend_test parport1 5000
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

# dkms_private TREE CMD...: run CMD (dkms) with a DKMS configuration of
# its own: in a private mount namespace, the host's /etc/dkms is hidden
# behind one whose framework.conf points every tree into TREE and names
# no signing tool (so no signing key is made), so nothing of the host's
# /var/lib/dkms, /usr/src or /lib/modules is read or written.
dkms_private() {
	local tree=$1
	shift
	mkdir -p "$tree/etc/framework.conf.d" "$tree/dkms" "$tree/modules"
	cat >"$tree/etc/framework.conf" <<-EOF
	dkms_tree="$tree/dkms"
	source_tree="$tree/root/usr/src"
	install_tree="$tree/modules"
	sign_file="$tree/no-sign-file"
	EOF
	unshare --mount --propagation private bash -c '
		mount --bind "$1" /etc/dkms || exit 97
		shift
		exec "$@"' dkms-private "$tree/etc" "$@" \
		--dkmstree "$tree/dkms" --sourcetree "$tree/root/usr/src" \
		--installtree "$tree/modules"
}

# modinfo_check KO SERIES: what modinfo says of the module DKMS built.
modinfo_check() {
	local ko=$1 k=$2 info p params desc ok
	info=$(modinfo "$ko" 2>&1)
	printf '%s\n' "$info" >"$run/modinfo-$k.txt"
	[ "$(printf '%s\n' "$info" | sed -n 's/^license: *//p')" = GPL ]
	verdict $? "$k: modinfo: license GPL"
	grep -qE '^description: +[^ ]' <<<"$info"
	verdict $? "$k: modinfo: a description"
	grep -qE '^softdep: +pre: parport$' <<<"$info"
	verdict $? "$k: modinfo: softdep pre: parport"
	[ "$(printf '%s\n' "$info" | sed -n 's/^version: *//p')" = \
	  "$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$PARCLASS_TOP/dkms.conf")" ]
	verdict $? "$k: modinfo: version is dkms.conf's PACKAGE_VERSION"
	# Every module_param of the source, each with a description (modinfo
	# prints "parm: NAME:DESCRIPTION (TYPE)", without the type for one
	# with operations of its own), and no other.
	params=$(sed -nE 's/^[[:space:]]*module_param(_cb|_named)?\(([a-z0-9_]+),.*/\2/p' \
		"$PARCLASS_TOP"/parclass/*.c | LC_ALL=C sort -u)
	ok=0
	[ -n "$params" ] || ok=1
	for p in $params; do
		desc=$(printf '%s\n' "$info" | sed -nE "s/^parm: +$p:(.*)$/\1/p" |
			sed -E 's/ ?\([a-z ]+\)$//; s/^[[:space:]]*//')
		[ -n "$desc" ] || { log "dkms: $k: parameter $p has no description"; ok=1; }
	done
	[ "$(printf '%s\n' "$info" | sed -nE 's/^parm: +([a-z0-9_]+):.*/\1/p' |
	     LC_ALL=C sort -u)" = "$params" ] || { log "dkms: $k: parameters differ from the source's"; ok=1; }
	verdict "$ok" "$k: modinfo: every parameter ($(echo $params | tr ' ' ',')) with a description"
}

# DKMS as a user of the tree gets it: make dkms-source lays out
# /usr/src/parclass-VERSION, and Debian's dkms adds, builds and installs
# it for each Debian kernel (into private trees, with the headers from the
# cache), with no compiler warning.
lane_dkms() {
	local series kd kver kdir tree ver ko blog m
	command -v dkms >/dev/null || { fail "setup: dkms is not installed (scripts/deps.sh)"; return; }
	ver=$(sed -n 's/^PACKAGE_VERSION="\(.*\)"$/\1/p' "$PARCLASS_TOP/dkms.conf")
	: >"$info"
	for series in 6.1 6.12; do
		kd=$("$PARCLASS_TOP/scripts/debian-kernel.sh" "$series") ||
			{ fail "setup: Debian $series kernel unavailable"; continue; }
		kver=$(cat "$kd/release")
		echo "$(cat "$info") $kver" | sed 's/^ //' >"$info.new"
		mv "$info.new" "$info"
		kdir=$(readlink -f "$kd/kdir")
		tree=$run/$series
		blog=$run/dkms-$series.log
		m="$series: dkms add, build, install $kver into a private tree"
		mkdir -p "$tree/modules/$kver"
		if make -s -C "$PARCLASS_TOP" DESTDIR="$tree/root" dkms-source >"$blog" 2>&1 &&
		   dkms_private "$tree" dkms add -m parclass -v "$ver" >>"$blog" 2>&1 &&
		   dkms_private "$tree" dkms build -m parclass -v "$ver" -k "$kver" \
			--kernelsourcedir "$kdir" >>"$blog" 2>&1 &&
		   dkms_private "$tree" dkms install -m parclass -v "$ver" -k "$kver" \
			--kernelsourcedir "$kdir" --no-depmod >>"$blog" 2>&1 &&
		   ko=$(find "$tree/modules/$kver" -name 'parclass.ko*' | head -n 1) &&
		   [ -n "$ko" ]; then
			pass "$m"
		else
			tail -n 30 "$blog" >&2
			find "$tree/dkms" -name make.log -exec tail -n 30 {} + >&2 2>/dev/null
			fail "$m"
			continue
		fi
		# dkms keeps the compiler's output in its tree's make.log.
		m="$series: dkms build log has no compiler warning"
		blog=$(find "$tree/dkms/parclass/$ver/$kver" -name make.log | head -n 1)
		if [ -s "$blog" ] && grep -q 'parclass/main\.o' "$blog" &&
		   ! grep -qiE 'warning:|error:' "$blog"; then
			pass "$m"
		else
			grep -iE -A3 'warning:|error:' "$blog" | head -n 30 >&2
			fail "$m"
		fi
		modinfo_check "$ko" "$series"
	done
}

# deb_has DEB PATH...: DEB holds every PATH (as dpkg-deb lists it: ./usr/...).
deb_has() {
	local deb=$1 p list ok=0
	shift
	list=$(dpkg-deb -c "$deb" | awk '{ print $6 }')
	for p in "$@"; do
		grep -qxF "./$p" <<<"$list" ||
			{ log "packages: $(basename "$deb") lacks $p"; ok=1; }
	done
	return "$ok"
}

# The Debian packages, built from a copy of the tree with Debian's own
# tooling (debian/), checked by lintian, unpacked into an empty root and
# used from there: a program built with pkg-config runs against the
# packaged shared library.
lane_packages() {
	local ver src out root ma deb p m rc ok lint
	for p in dpkg-buildpackage dh lintian pkg-config dkms; do
		command -v "$p" >/dev/null ||
			{ fail "setup: $p is not installed (scripts/deps.sh)"; return; }
	done
	ver=$(dpkg-parsechangelog -l "$PARCLASS_TOP/debian/changelog" -S Version)
	ma=$(dpkg-architecture -qDEB_HOST_MULTIARCH)
	out=$run/build
	src=$out/parclass-$ver
	mkdir -p "$out"
	copy_sources "$src"
	echo "debian packages $ver" >"$info"

	m="build: dpkg-buildpackage -us -uc -b builds parclass-dkms, libparclass0, libparclass-dev, parclass-tools"
	(cd "$src" && dpkg-buildpackage -us -uc -b) >"$run/build.log" 2>&1
	rc=$?
	ok=$rc
	for p in parclass-dkms_${ver}_all libparclass0_${ver}_amd64 \
		 libparclass-dev_${ver}_amd64 parclass-tools_${ver}_amd64; do
		[ -f "$out/$p.deb" ] || { log "packages: no $p.deb"; ok=1; }
	done
	if [ "$ok" != 0 ]; then
		tail -n 30 "$run/build.log" >&2
		fail "$m"
		return
	fi
	pass "$m"

	# lintian: every finding is printed; one of severity error fails.
	lintian --display-info --display-experimental --pedantic --fail-on none \
		"$out/parclass_${ver}_amd64.changes" >"$run/lintian.out" 2>"$run/lintian.err"
	rc=$?
	grep -E '^[EWIPX]:' "$run/lintian.out" >"$run/lintian.txt"
	lint=$(awk '{ n[$1]++ } END { printf "%d errors, %d warnings, %d info, %d pedantic",
		n["E:"], n["W:"], n["I:"], n["P:"] }' "$run/lintian.txt")
	echo "lintian ($lint):"
	sed 's/^/  /' "$run/lintian.txt"
	m="lintian: no finding of severity error ($lint)"
	if [ "$rc" = 0 ]; then
		! grep -q '^E:' "$run/lintian.txt"
		verdict $? "$m"
	else
		cat "$run/lintian.err" >&2
		fail "$m (lintian failed)"
	fi

	# What each package holds. dpkg-deb's output is read whole before it
	# is searched: a grep -q that stopped reading at its match would kill
	# dpkg-deb's tar with SIGPIPE, and pipefail would call that a failure.
	deb_has "$out/parclass-dkms_${ver}_all.deb" \
		"usr/src/parclass-$ver/dkms.conf" "usr/src/parclass-$ver/parclass/Kbuild" \
		"usr/src/parclass-$ver/parclass/main.c" "usr/src/parclass-$ver/parclass/compat.h" \
		"usr/src/parclass-$ver/include/uapi/linux/parclass.h" &&
	    grep -qw dkms <<<"$(dpkg-deb -f "$out/parclass-dkms_${ver}_all.deb" Depends)" &&
	    grep -q 'dkms' <<<"$(dpkg-deb -I "$out/parclass-dkms_${ver}_all.deb" postinst)"
	verdict $? "contents: parclass-dkms holds the module's source and dkms.conf, depends on dkms, registers with it"
	deb_has "$out/libparclass0_${ver}_amd64.deb" \
		"usr/lib/$ma/libparclass.so.0" "usr/lib/$ma/libparclass.so.$ver" &&
	    ! grep -qE '\.h$|\.a$|\.pc$|libparclass\.so$' \
		<<<"$(dpkg-deb -c "$out/libparclass0_${ver}_amd64.deb")"
	verdict $? "contents: libparclass0 holds the shared library alone"
	deb_has "$out/libparclass-dev_${ver}_amd64.deb" \
		usr/include/parclass/libparclass.h usr/include/parclass/parclass_win.h \
		usr/include/linux/parclass.h "usr/lib/$ma/libparclass.a" \
		"usr/lib/$ma/libparclass.so" "usr/lib/$ma/pkgconfig/libparclass.pc" \
		usr/share/man/man3/libparclass.3.gz usr/share/man/man4/parclass.4.gz &&
	    grep -qF "libparclass0 (= $ver)" \
		<<<"$(dpkg-deb -f "$out/libparclass-dev_${ver}_amd64.deb" Depends)"
	verdict $? "contents: libparclass-dev holds the headers, static library, pkg-config file and man pages, depends on libparclass0 (= $ver)"
	# The CUPS backend is 0755: cupsd then runs it as lp, which the udev
	# rule lets open /dev/parclass.
	deb_has "$out/parclass-tools_${ver}_amd64.deb" usr/bin/parclassctl \
		usr/share/man/man1/parclassctl.1.gz lib/udev/rules.d/60-parclass.rules \
		usr/lib/cups/backend/parclass &&
	    grep -qE '^-rwxr-xr-x root/root .* \./usr/lib/cups/backend/parclass$' \
		<<<"$(dpkg-deb -c "$out/parclass-tools_${ver}_amd64.deb")"
	verdict $? "contents: parclass-tools holds parclassctl, its man page, the udev rule and the CUPS backend (0755)"

	# A clean root: the four packages unpacked into an empty directory.
	root=$run/root
	rm -rf "$root"
	mkdir -p "$root"
	for p in parclass-dkms_${ver}_all libparclass0_${ver}_amd64 \
		 libparclass-dev_${ver}_amd64 parclass-tools_${ver}_amd64; do
		dpkg-deb -x "$out/$p.deb" "$root"
	done
	m="root: the udev rule gives /dev/parclass to group lp, mode 0660"
	grep -qE '^KERNEL=="parclass",.*GROUP="lp".*MODE="0660"' \
		"$root/lib/udev/rules.d/60-parclass.rules"
	verdict $? "$m"

	# A program built with pkg-config against the root alone, run against
	# the packaged shared library.
	m="root: a program builds with pkg-config libparclass and runs against the packaged libparclass.so.0"
	local pc cflags libs prog=$run/pkgconfig-test
	pc() {
		PKG_CONFIG_SYSROOT_DIR=$root PKG_CONFIG_LIBDIR=$root/usr/lib/$ma/pkgconfig \
		PKG_CONFIG_PATH= PKG_CONFIG_ALLOW_SYSTEM_CFLAGS=1 \
		PKG_CONFIG_ALLOW_SYSTEM_LIBS=1 pkg-config "$@"
	}
	cat >"$prog.c" <<-'EOF'
	#include <errno.h>
	#include <stdio.h>
	#include <parclass/libparclass.h>
	#include <parclass/parclass_win.h>

	int main(void)
	{
		NTSTATUS s = ParclassNtStatusFromErrno(ETIMEDOUT);

		printf("ETIMEDOUT -> 0x%08x, holder %s\n", (unsigned int)s,
		       parclass_holder_name(PARCLASS_HOLDER_SESSION));
		return s != STATUS_DEVICE_BUSY;
	}
	EOF
	if [ "$(pc --modversion libparclass)" = "$ver" ] &&
	   cflags=$(pc --cflags libparclass) && libs=$(pc --libs libparclass) &&
	   case " $cflags $libs " in *" -I$root/usr/include "*" -L$root/usr/lib/$ma "*) ;; *) false ;; esac &&
	   gcc -Wall -Werror $cflags -o "$prog" "$prog.c" $libs >>"$run/build.log" 2>&1 &&
	   LD_LIBRARY_PATH=$root/usr/lib/$ma ldd "$prog" >"$prog.ldd" &&
	   grep -q "libparclass\.so\.0 => $root/usr/lib/$ma/libparclass\.so\.0 " "$prog.ldd" &&
	   LD_LIBRARY_PATH=$root/usr/lib/$ma "$prog" >"$prog.out" &&
	   grep -qx 'ETIMEDOUT -> 0x80000011, holder session' "$prog.out"; then
		pass "$m"
	else
		echo "cflags: ${cflags:-} libs: ${libs:-}" >&2
		cat "$prog.ldd" "$prog.out" >&2 2>/dev/null
		fail "$m"
	fi

	# The packaged module source, as the package's postinst hands it to
	# DKMS, builds for Debian's 6.12 kernel.
	local kd kver tree=$run/dkms
	m="root: parclass-dkms's source builds with dkms for Debian 6.12"
	kd=$("$PARCLASS_TOP/scripts/debian-kernel.sh" 6.12) ||
		{ fail "setup: Debian 6.12 kernel unavailable"; return; }
	kver=$(cat "$kd/release")
	mkdir -p "$tree/root/usr"
	cp -a "$root/usr/src" "$tree/root/usr/"
	if dkms_private "$tree" dkms add -m parclass -v "$ver" >"$run/dkms.log" 2>&1 &&
	   dkms_private "$tree" dkms build -m parclass -v "$ver" -k "$kver" \
		--kernelsourcedir "$(readlink -f "$kd/kdir")" >>"$run/dkms.log" 2>&1 &&
	   [ -n "$(find "$tree/dkms/parclass/$ver/$kver" -name 'parclass.ko*')" ]; then
		pass "$m"
	else
		tail -n 20 "$run/dkms.log" >&2
		fail "$m"
	fi
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
dkms) lane_dkms ;;
packages) lane_packages ;;
*) fail "no such lane" ;;
esac
exit 0
