#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# What "make bench" runs in the guest: parclass against ppdev and lp on
# parport1, and on a simulated port whose peripheral has a device ID, in
# this one boot. The device-ID row runs without parclass's 40 ms
# hold-off between queries, which would otherwise set its rate. On the
# simulated port (every IEEE 1284 mode) the bench also times 64 KiB ECP
# and EPP writes and ECP, EPP and nibble reads against ppdev's; it feeds
# and checks the peripheral's side through the port's debugfs directory.
sim=/sys/kernel/debug/parport_sim
echo bench >$sim/new &&
	echo "MFG:Bench;MDL:Sim 1;CMD:PCL,PJL;CLS:PRINTER;DES:parclass bench printer;" >$sim/bench/device_id &&
	echo nibble byte ecp epp >$sim/bench/modes &&
	echo 1 >$sim/bench/plugged || { echo "bench: no simulated port"; exit 1; }
simport=$(sed 's/^parport//' $sim/bench/port)
echo 0 >/sys/module/parclass/parameters/device_id_holdoff_ms
parclass-bench 1 "$simport" $sim/bench
