#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sim_lp: lp prints to a simulated port (parport_sim), and the bytes come
# back through the port's forward file: once in compatibility mode, once
# with a peripheral that speaks ECP, which lp then uses. Prints TAP and
# exits non-zero if a test failed. Removes every port it made.

SIM=/sys/kernel/debug/parport_sim
DATA=/tmp/sim_lp.bin

. "$(dirname "$0")/tap.sh"

# lp_of SIM: the /dev/lpN that lp gave the simulated port SIM.
lp_of() {
	local want l

	want=$(cat "$SIM/$1/device")
	for l in /sys/class/printer/lp*; do
		[ -e "$l/device" ] || continue
		if [ "$(basename "$(readlink "$l/device")")" = "$want" ]; then
			echo "/dev/$(basename "$l")"
			return 0
		fi
	done
	return 1
}

# ecp_lines LP: how many times the kernel logged that LP uses ECP.
ecp_lines() {
	dmesg | grep -c "$(basename "$1"): ECP mode"
}

# print_through NAME MODES ECP WHAT: make port NAME with peripheral modes
# MODES, print DATA through its lp device, check that lp chose ECP
# exactly when ECP is 1, compare the bytes, remove the port (5 results).
print_through() {
	local name=$1 modes=$2 ecp=$3 what=$4 lp before after i
	if ! echo "$name" >"$SIM/new"; then
		for i in 1 2 3 4 5; do
			not_ok "$what: create the port"
		done
		return
	fi
	echo "$modes" >"$SIM/$name/modes" &&
		echo "MFG:parport_sim;MDL:lp test;CLS:PRINTER;" >"$SIM/$name/device_id" &&
		echo 1 >"$SIM/$name/plugged"
	check "$what: plug the port in ($(cat "$SIM/$name/port"))" \
		[ "$(cat "$SIM/$name/plugged")" = 1 ]

	lp=$(lp_of "$name")
	check "$what: lp attached to the port (${lp:-none})" [ -n "$lp" ]
	before=$(ecp_lines "${lp:-none}")
	if [ -n "$lp" ] && cat "$DATA" >"$lp" &&
	   cmp -s "$DATA" "$SIM/$name/forward"; then
		ok "$what: the $(wc -c <"$DATA") bytes printed arrive intact"
	else
		not_ok "$what: the bytes printed arrive intact"
	fi
	after=$(ecp_lines "${lp:-none}")
	if [ "$ecp" = 1 ]; then
		check "$what: lp chose ECP" [ "$after" -gt "$before" ]
	else
		check "$what: lp stayed in compatibility mode" \
			[ "$after" -eq "$before" ]
	fi

	echo "$name" >"$SIM/delete"
	check "$what: the port is gone, lp detached" \
		sh -c "[ ! -e '$SIM/$name' ] && [ ! -e '${lp:-/nonexistent}' ]"
}

echo "TAP version 13"
echo "1..10"

if [ ! -w "$SIM/new" ]; then
	for i in 1 2 3 4 5 6 7 8 9 10; do
		echo "not ok $i parport_sim is loaded and debugfs is mounted"
	done
	exit 1
fi
head -c 3000 /dev/urandom >"$DATA"

print_through simlp_compat "nibble" 0 "compatibility mode"
print_through simlp_ecp "nibble ecp" 1 "ECP mode"

rm -f "$DATA"
exit "$failed"
