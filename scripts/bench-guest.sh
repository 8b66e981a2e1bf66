#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What "make bench" runs in the guest: parclass against ppdev and lp on
# parport1, and on simulated ports, in this one boot (see the comment at
# the top of tools/bench/parclass-bench.c for every row). The device-ID
# row runs without parclass's 40 ms hold-off between queries, which would
# otherwise set its rate. On the first simulated port (every IEEE 1284
# mode, a peripheral with a device ID) the bench also times 64 KiB ECP
# and EPP writes and ECP, EPP and nibble reads against ppdev's, feeding
# and checking the peripheral's side through the port's debugfs
# directory, and hands the port over between waiting clients; the second
# one serves the two-port scaling row. Neither has an interrupt line.
sim=/sys/kernel/debug/parport_sim
echo bench >$sim/new &&
	echo "MFG:Bench;MDL:Sim 1;CMD:PCL,PJL;CLS:PRINTER;DES:parclass bench printer;" >$sim/bench/device_id &&
	echo nibble byte ecp epp >$sim/bench/modes &&
	echo 1 >$sim/bench/plugged &&
	echo bench2 >$sim/new &&
	echo 1 >$sim/bench2/plugged || { echo "bench: no simulated port"; exit 1; }
simport=$(sed 's/^parport//' $sim/bench/port)
simport2=$(sed 's/^parport//' $sim/bench2/port)
holdoff=/sys/module/parclass/parameters/device_id_holdoff_ms
old=$(cat $holdoff)
echo 0 >$holdoff
parclass-bench 1 "$simport" $sim/bench "$simport2"
rc=$?
echo "$old" >$holdoff
exit $rc
