#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the test guest (busybox). It reports on the second serial port
# (/dev/ttyS1), which the host captures to a file:
#   PARCLASS-STATUS fail      written first, so a guest that dies reports failure
#   PARCLASS-PORT <name> <base>
#   PARCLASS-BEGIN <kind> <name> ... TAP/KTAP ... PARCLASS-END <kind> <name> rc=N
#   PARCLASS-STATUS done      written last, once every test has run
# The kernel console stays on /dev/ttyS0 for the log checks.

/bin/busybox mkdir -p /proc /sys /dev /tmp /sbin /usr/bin /usr/sbin
/bin/busybox --install -s
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev 2>/dev/null
mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
mount -t tmpfs tmpfs /tmp 2>/dev/null

stty -F /dev/ttyS1 raw -echo 2>/dev/null
exec 3>/dev/ttyS1
say() { echo "$*" >&3; }

say "PARCLASS-STATUS fail"

# Modules, one at a time and in order: loading lp and parport_pc at the
# same moment can crash some kernels.
say "PARCLASS-BEGIN guest modules"
n=0
nmods=$(grep -c . /etc/parclass/modules)
say "1..$nmods"
while read -r ko args; do
	[ -n "$ko" ] || continue
	n=$((n + 1))
	if out=$(insmod "$ko" $args 2>&1); then
		say "ok $n insmod $(basename "$ko")"
	else
		say "not ok $n insmod $(basename "$ko") # $out"
	fi
done </etc/parclass/modules
say "PARCLASS-END guest modules rc=0"

# The random pool, ready before any test runs (see scripts/guest-seed.c).
if guest-seed; then
	sleep 1
else
	say "PARCLASS-NOTE guest-seed failed"
fi

# Let devtmpfs create the nodes, then tell the host which port is where.
for i in 1 2 3 4 5 6 7 8 9 10; do
	[ -e /dev/parclass ] && break
	sleep 1
done
for p in /proc/sys/dev/parport/parport*; do
	[ -d "$p" ] || continue
	say "PARCLASS-PORT $(basename "$p") $(cat "$p/base-addr" | awk '{print $1}')"
done

# A kernel bug: parport_claim() of a device on the port's wait list
# re-enables interrupts while it holds the port's cad_lock for writing. If
# the port interrupt then arrives on that CPU, parport_irq_handler() spins
# on cad_lock for ever. lp and ppdev hit it whenever one of them is handed
# the port. The tests run on CPU 0 and the parport interrupts go to CPU 1.
run=
if [ "$(nproc)" -ge 2 ]; then
	for irq in $(awk '/parport/ { sub(":", "", $1); print $1 }' /proc/interrupts); do
		echo 2 >"/proc/irq/$irq/smp_affinity" &&
			say "PARCLASS-NOTE parport irq $irq on cpu 1, tests on cpu 0"
	done
	run="taskset 1"
fi

# make demo and make bench run one job instead of the tests.
if [ -x /job/run.sh ]; then
	$run /job/run.sh >&3 2>&1
	say "PARCLASS-STATUS done"
	exec 3>&-
	sync
	reboot -f
fi

cd /tests || true
for t in /tests/selftests/*; do
	[ -x "$t" ] || continue
	name=$(basename "$t")
	say "PARCLASS-BEGIN selftest $name"
	$run "$t" >&3 2>&1
	say "PARCLASS-END selftest $name rc=$?"
done

for ko in /tests/kunit/*.ko; do
	[ -f "$ko" ] || continue
	name=$(basename "$ko" .ko)
	before=$(ls /sys/kernel/debug/kunit 2>/dev/null)
	say "PARCLASS-BEGIN kunit $name"
	insmod "$ko" >&3 2>&1
	rc=$?
	for s in $(ls /sys/kernel/debug/kunit 2>/dev/null); do
		case " $(echo $before) " in *" $s "*) continue ;; esac
		cat "/sys/kernel/debug/kunit/$s/results" >&3
	done
	say "PARCLASS-END kunit $name rc=$rc"
done

# Checks of the whole run (kmemleak...), after every test.
for t in /tests/final/*; do
	[ -x "$t" ] || continue
	name=$(basename "$t" .sh)
	say "PARCLASS-BEGIN final $name"
	$run "$t" >&3 2>&1
	say "PARCLASS-END final $name rc=$?"
done

say "PARCLASS-STATUS done"
exec 3>&-
sync
reboot -f
