#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# sim_unload: with no simulated port left, parport_sim unloads (so the
# earlier tests, which unplugged ports under lp, ppdev and parclass, left
# no module reference behind) and loads again, and a port made after
# that works. Runs after the other sim_ tests. Prints TAP and exits
# non-zero if a test failed.

SIM=/sys/kernel/debug/parport_sim
KO=/ko/parport_sim.ko

. "$(dirname "$0")/tap.sh"

# no_ports: debugfs lists no simulated port (only new and delete).
no_ports() {
	[ -d "$SIM" ] && [ "$(ls "$SIM" | grep -vc -e '^new$' -e '^delete$')" = 0 ]
}

echo "TAP version 13"
echo "1..6"

check "no simulated port is left" no_ports
check "rmmod parport_sim" rmmod parport_sim
check "the module is gone, and its debugfs directory" \
	sh -c "[ ! -e /sys/module/parport_sim ] && [ ! -e '$SIM' ]"
check "insmod parport_sim again" insmod "$KO"
check "a new port plugs in" \
	sh -c "echo again >'$SIM/new' && echo 1 >'$SIM/again/plugged' &&
	       grep -q '^parport' '$SIM/again/port'"
check "and is deleted, leaving the module unused" \
	sh -c "echo again >'$SIM/delete' && [ ! -e '$SIM/again' ] &&
	       [ \"\$(cat /sys/module/parport_sim/refcnt)\" = 0 ]"
exit "$failed"
