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
# PARCLASS_BENCH_PROFILE=1 make bench: instead of the table, where the time
# of the first rows' loops goes. The function_graph tracer follows each
# system call (ioctl, open, close, and the deferred part of close) of the
# bench's own process, PROFILE_DEPTH calls deep; for each loop this prints
# every call path's time per loop iteration in microseconds (its callees
# included) and how often it ran per iteration, paths under 1 % of the
# loop's time left out. The tracer's own cost inflates each call, the
# more so the more calls a path makes: compare shares, not times. With
# PARCLASS_BENCH_PROFILE set to function names instead of 1, the paths
# start at those functions, PROFILE_DEPTH calls deep below them.
PROFILE_DEPTH=6
PROFILE_FUNCS="__x64_sys_ioctl __x64_sys_openat __x64_sys_close task_work_run"
profile_sum() {
	awk -v loops="$2" -v title="$1" '
	function strip(n) { sub(/ \[[^]]*\]/, "", n); sub(/\(\).*/, "", n); return n }
	function add(path, d) { t[path] += d; c[path]++ }
	{
		p = index($0, "|"); if (!p) next
		left = substr($0, 1, p - 1); right = substr($0, p + 1)
		d = 0
		if (match(left, /[0-9]+\.[0-9]+ us/)) d = substr(left, RSTART, RLENGTH - 3) + 0
		match(right, /^ */); depth = int((RLENGTH - 2) / 2); body = substr(right, RLENGTH + 1)
		if (body ~ /^\/\*/) next
		if (body ~ /\) \{$/) { st[depth] = strip(body); next }
		path = ""
		for (i = 0; i < depth; i++) path = path st[i] ">"
		if (body ~ /\);$/) add(path strip(body), d)
		else if (body ~ /^\} \/\* /) { n = body; sub(/^\} \/\* /, "", n); sub(/ \*\/.*/, "", n); add(path strip(n), d) }
	}
	END {
		for (k in t) if (k !~ />/) total += t[k]
		printf "### %s: %.2f us per iteration traced (%d iterations)\n", title, total / loops, loops
		for (k in t) {
			if (t[k] < total / 100) continue
			n = split(k, parts, ">"); ind = ""
			for (i = 1; i < n; i++) ind = ind "  "
			printf "%s\t%8.2f us %5.1f %% %6.2f calls  %s%s\n", k, t[k] / loops, 100 * t[k] / total, c[k] / loops, ind, parts[n]
		}
	}' | sort -t "$(printf '\t')" -k1,1 | cut -f2-
}
profile_run() {
	local tr=/sys/kernel/tracing name loops
	[ "$(cat /job/profile)" = 1 ] || PROFILE_FUNCS=$(cat /job/profile)
	[ -e $tr/trace ] || mount -t tracefs tracefs $tr || return 1
	echo 0 >$tr/tracing_on
	echo function_graph >$tr/current_tracer &&
		echo 16384 >$tr/buffer_size_kb &&
		echo "$PROFILE_DEPTH" >$tr/max_graph_depth &&
		echo funcgraph-tail >$tr/trace_options &&
		echo nofuncgraph-irqs >$tr/trace_options &&
		echo "$PROFILE_FUNCS" >$tr/set_graph_function || return 1
	parclass-bench --profile $tr 1 "$simport" >/tmp/profile.list || return 1
	while read -r _ name loops; do
		profile_sum "$name" "$loops" </tmp/profile-"$name"
		echo
	done </tmp/profile.list
	echo nop >$tr/current_tracer
}

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
if [ -e /job/profile ]; then
	profile_run
	rc=$?
else
	parclass-bench 1 "$simport" $sim/bench "$simport2"
	rc=$?
fi
echo "$old" >$holdoff
exit $rc
