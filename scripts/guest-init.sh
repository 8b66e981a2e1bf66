#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the test guest (busybox). It reports on the second serial port
# (/dev/ttyS1), which the host captures to a file:
#   PARCLASS-STATUS fail      written first, so a guest that dies reports failure
#   PARCLASS-PORT <name> <base>
#   PARCLASS-BEGIN <kind> <name> ... TAP/KTAP ... PARCLASS-END <kind> <name> rc=N t=S
#   PARCLASS-NOTE <text>      for the reader only
#   PARCLASS-STATUS done      written last, once every test has run
# (t=S: the seconds the section took.) The kernel console stays on
# /dev/ttyS0 for the log checks.

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
# uptime: seconds since boot, to the hundredth.
uptime() { read -r up _ </proc/uptime; echo "$up"; }
# elapsed T0: seconds since uptime T0.
elapsed() { awk -v a="$1" -v b="$(uptime)" 'BEGIN { printf "%.2f", b - a }'; }

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

# irq_count IRQ: the interrupts IRQ has taken, all CPUs together.
irq_count() {
	awk -v n="$1:" '$1 == n {
		for (i = 2; i <= NF && $i ~ /^[0-9]+$/; i++)
			s += $i
	} END { print s + 0 }' /proc/interrupts
}

# The parport lines of /proc/interrupts: "IRQ NAME" each.
parport_irqs() {
	awk '/parport/ { sub(":", "", $1); print $1, $NF }' /proc/interrupts
}

# One CPU: a hard interrupt on each LPT's line, taken on the CPU the tests
# run on. Its handler takes the port's cad_lock, and from then on lockdep
# checks every claim of every port (one lock class) against the claim path
# that turns interrupts on under that lock (see below). A session that
# counts interrupts holds the port and frees it: turning the interrupt
# enable bit off again latches an interrupt in QEMU's LPT, and parclass
# reads the status, which lowers the line. Nothing is printed.
one_cpu_irqs() {
	local lines n=0 irq name before after allow old t0
	t0=$(uptime)
	lines=$(parport_irqs)
	say "PARCLASS-BEGIN guest irq"
	if [ -z "$lines" ]; then
		say "1..1"
		say "not ok 1 a parallel port has an interrupt line"
		say "PARCLASS-END guest irq rc=1 t=$(elapsed "$t0")"
		return
	fi
	say "1..$(echo "$lines" | grep -c .)"
	allow=/sys/module/parclass/parameters/allow_interrupts
	old=$(cat "$allow")
	echo 1 >"$allow"
	echo "$lines" | while read -r irq name; do
		n=$((n + 1))
		before=$(irq_count "$irq")
		parclassctl wait-irq "${name#parport}" --count 1 --timeout 0.2 \
			</dev/null >/dev/null 2>&1
		after=$(irq_count "$irq")
		if [ "$after" -gt "$before" ]; then
			say "ok $n $name: irq $irq taken ($((after - before)) interrupt(s))"
		else
			say "not ok $n $name: irq $irq taken (no interrupt came)"
		fi
	done
	[ "$old" = Y ] || echo 0 >"$allow"
	say "PARCLASS-END guest irq rc=0 t=$(elapsed "$t0")"
}

# A kernel bug: parport_claim() of a device on the port's wait list
# re-enables interrupts while it holds the port's cad_lock for writing. If
# the port interrupt then arrives on that CPU, parport_irq_handler() spins
# on cad_lock for ever. lp and ppdev hit it whenever one of them is handed
# the port. With two CPUs, the tests run on CPU 0 and the parport
# interrupts go to CPU 1. With one (the smp1 lane), they share it: that
# lane runs no test that hands lp or ppdev a port, and proves that
# parclass's own claims never take that path.
run=
if [ "$(nproc)" -ge 2 ]; then
	for irq in $(parport_irqs | awk '{ print $1 }'); do
		echo 2 >"/proc/irq/$irq/smp_affinity" &&
			say "PARCLASS-NOTE parport irq $irq on cpu 1, tests on cpu 0"
	done
	run="taskset 1"
else
	say "PARCLASS-NOTE one cpu: the parport interrupts and the tests share it"
	one_cpu_irqs
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
	# The lane's arguments for the program (tests/manifest/), if any.
	args=$(cat "/tests/args/$name" 2>/dev/null)
	t0=$(uptime)
	say "PARCLASS-BEGIN selftest $name"
	$run "$t" $args >&3 2>&1
	say "PARCLASS-END selftest $name rc=$? t=$(elapsed "$t0")"
done

for ko in /tests/kunit/*.ko; do
	[ -f "$ko" ] || continue
	name=$(basename "$ko" .ko)
	before=$(ls /sys/kernel/debug/kunit 2>/dev/null)
	t0=$(uptime)
	say "PARCLASS-BEGIN kunit $name"
	insmod "$ko" >&3 2>&1
	rc=$?
	for s in $(ls /sys/kernel/debug/kunit 2>/dev/null); do
		case " $(echo $before) " in *" $s "*) continue ;; esac
		cat "/sys/kernel/debug/kunit/$s/results" >&3
	done
	say "PARCLASS-END kunit $name rc=$rc t=$(elapsed "$t0")"
done

# Checks of the whole run (kmemleak...), after every test.
for t in /tests/final/*; do
	[ -x "$t" ] || continue
	name=$(basename "$t" .sh)
	args=$(cat "/tests/args/$(basename "$t")" 2>/dev/null)
	t0=$(uptime)
	say "PARCLASS-BEGIN final $name"
	$run "$t" $args >&3 2>&1
	say "PARCLASS-END final $name rc=$? t=$(elapsed "$t0")"
done

say "PARCLASS-STATUS done"
exec 3>&-
sync
reboot -f
