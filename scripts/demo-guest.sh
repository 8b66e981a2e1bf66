#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The narrated session "make demo" runs in the guest.

say() {
	printf '\n### %s\n' "$*"
}
show() {
	printf '$ %s\n' "$*"
	"$@"
	rc=$?
	[ "$rc" = 0 ] || printf '(exit code %s)\n' "$rc"
}

say "The ports parclass sees, who holds them and who waits"
show parclassctl list

say "What CONNECT reports about LPT1"
show parclassctl info LPT1

say "A C program: connect, allocate, print a text file, free, disconnect; then the dead token; then the same through the Windows-shaped layer"
show parclass-example 0 /job/hello.txt

say "Contention: another client holds LPT1 for 2 s"
parclassctl hold LPT1 --for 2 &
sleep 1
show parclassctl status LPT1 --timeout 0
show parclassctl print LPT1 /job/hello.txt --timeout 0.5
wait

say "Free again: the peripheral's status, decoded as Windows' status byte"
show parclassctl status LPT1 --json

say "QEMU's LPT has no reverse channel, so no IEEE 1284 device ID"
show parclassctl device-id LPT1

sim=/sys/kernel/debug/parport_sim
if [ -d "$sim" ]; then
	say "A simulated IEEE 1284 printer (parport_sim): its device ID, and its status out of paper"
	echo demo >$sim/new
	echo 'MFG:Acme;MDL:Jet 1;CMD:PCL,PJL;CLS:PRINTER;DES:Acme Jet 1 (simulated);' >$sim/demo/device_id
	echo 1 >$sim/demo/plugged
	port=$(cat $sim/demo/port)
	show parclassctl device-id "$port"
	show parclassctl device-id "$port" --json
	echo paperout >$sim/demo/faults
	show parclassctl status "$port"
	echo none >$sim/demo/faults

	say "IEEE 1284 modes: what the simulated printer speaks, and a status report it sends back in ECP"
	show parclassctl negotiate "$port" ecp,nibble
	printf 'PAGES=12 TONER=OK\n' >$sim/demo/reverse
	show parclassctl read "$port" --mode ecp
	echo 0 >$sim/demo/plugged
	echo demo >$sim/delete
fi
