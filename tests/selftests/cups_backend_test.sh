#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# cups_backend_test: the CUPS backend (/usr/lib/cups/backend/parclass) run
# as cupsd runs it, with no cupsd: argv, DEVICE_URI, the job on stdin or in
# a file, messages on stderr, the exit code. Against simulated ports
# (parport_sim) whose device IDs and faults it sets, and QEMU's second LPT,
# whose output the host compares with /tests/data/cups_backend_test.
# parport1.bin. Prints TAP, exits non-zero if a test failed, and removes
# every port it made.

SIM=/sys/kernel/debug/parport_sim
BE=/usr/lib/cups/backend/parclass
LPT_DATA=/tests/data/cups_backend_test.parport1.bin
T=/tmp/cups_backend_test
ID_A='MFG:Acme;MDL:Sim Jet 1;CMD:PCL,PJL;CLS:PRINTER;'
PLAN=31

. "$(dirname "$0")/tap.sh"

# res WHAT: one result, ok when the last command succeeded.
res() {
	if [ "$?" = 0 ]; then ok "$1"; else not_ok "$1"; fi
}

# wait_until TENTHS CMD...: until CMD succeeds, at most TENTHS tenths of
# a second; its status.
wait_until() {
	tenths=$1
	shift
	while ! "$@"; do
		[ "$tenths" -gt 0 ] || return 1
		tenths=$((tenths - 1))
		sleep 0.1
	done
}

# reap PID TENTHS: wait for PID to end (SIGKILL after TENTHS tenths of a
# second); sets rc to its exit status, 255 if it had to be killed.
reap() {
	if wait_until "$2" sh -c "! kill -0 $1 2>/dev/null"; then
		wait "$1"
		rc=$?
	else
		kill -9 "$1" 2>/dev/null
		wait "$1"
		rc=255
	fi
}

# forward_is NAME FILE: the bytes port NAME received are exactly FILE's.
forward_is() {
	cmp -s "$2" "$SIM/$1/forward"
}

# forward_size_is NAME N
forward_size_is() {
	[ "$(wc -c <"$SIM/$1/forward")" -eq "$2" ]
}

has() {
	grep -qF -- "$2" "$1"
}

# make_port NAME ID: a plugged simulated port with device ID ID ("" for
# none); prints its number.
make_port() {
	echo "$1" >"$SIM/new" &&
		printf '%s' "$2" >"$SIM/$1/device_id" &&
		echo 1 >"$SIM/$1/plugged" &&
		sed -n 's/^parport//p' "$SIM/$1/port"
}

# job NAME URI [ARGS...]: run the backend as CUPS does, its stderr in
# $T.NAME.err; rc is its exit status.
job() {
	name=$1
	DEVICE_URI=$2
	shift 2
	DEVICE_URI=$DEVICE_URI "$BE" "$@" 2>"$T.$name.err"
	rc=$?
}

cleanup() {
	for p in cups_a cups_b cups_c cups_d; do
		[ -d "$SIM/$p" ] && echo "$p" >"$SIM/delete"
	done
	rm -f "$T".*
}

echo "TAP version 13"
echo "1..$PLAN"

if [ ! -w "$SIM/new" ] || [ ! -x "$BE" ]; then
	i=0
	while [ "$i" -lt "$PLAN" ]; do
		i=$((i + 1))
		echo "not ok $i parport_sim is loaded and the backend is installed"
	done
	exit 1
fi

head -c 3000 /dev/urandom >"$T.d1"
head -c 2000 /dev/urandom >"$T.d2"
head -c 1500 /dev/urandom >"$T.d3"
cat "$T.d1" "$T.d2" >"$T.d12"

a=$(make_port cups_a "$ID_A")
b=$(make_port cups_b "")
c=$(make_port cups_c "MFG:Acme;MDL:Sim Jet 3;")
LA=LPT$((a + 1)) LB=LPT$((b + 1)) LC=LPT$((c + 1))
echo "# simulated ports: $LA (parport$a), $LB (parport$b), $LC (parport$c)"

# --- The listing: what lpinfo -v shows.
"$BE" >"$T.list" 2>"$T.list.err"
rc=$?
sed 's/^/# /' "$T.list"
nports=$(ls -d /proc/sys/dev/parport/parport* | wc -l)
[ "$rc" = 0 ] && [ "$(grep -c '^direct parclass:/LPT' "$T.list")" = "$nports" ]
res "listing: exit 0, one line per port ($nports)"
check "listing: $LA with its make-and-model and device ID" \
	has "$T.list" "direct parclass:/$LA \"Acme Sim Jet 1\" \"$LA (parport$a)\" \"$ID_A\""
check "listing: $LB without a device ID is Unknown" \
	has "$T.list" "direct parclass:/$LB \"Unknown\" \"$LB (parport$b)\" \"\""
check "listing: QEMU's LPT2 (no reverse channel, no ID) is Unknown" \
	has "$T.list" 'direct parclass:/LPT2 "Unknown" "LPT2 (parport1)" ""'

# --- A job on QEMU's LPT2: the host compares its output file.
if [ -f "$LPT_DATA" ]; then
	job lpt parclass:/LPT2 1 user title 1 "" "$LPT_DATA"
	[ "$rc" = 0 ] && has "$T.lpt.err" "INFO: Sent $(wc -c <"$LPT_DATA") bytes to LPT2"
	res "QEMU LPT2: a $(wc -c <"$LPT_DATA")-byte job from a file, exit 0"
else
	not_ok "QEMU LPT2: the job's data $LPT_DATA is staged"
fi

# --- Jobs on a simulated port: stdin (copies are the filters' then), and
# a file sent as many times as copies asks.
job stdin "parclass:/$LA" 2 user title 3 "" <"$T.d1"
[ "$rc" = 0 ] && forward_is cups_a "$T.d1"
res "stdin job: exit 0, the bytes arrive once"
echo x >"$SIM/cups_a/forward"
cat "$T.d1" "$T.d1" >"$T.d11"
job copies "parclass:/$LA" 3 user title 2 "" "$T.d1"
[ "$rc" = 0 ] && forward_is cups_a "$T.d11"
res "file job with copies=2: exit 0, the file arrives twice"

# --- Paper out in the middle of a job, then paper back.
echo x >"$SIM/cups_a/forward"
rm -f "$T.fifo"
mkfifo "$T.fifo"
DEVICE_URI="parclass:/$LA" "$BE" 4 user title 1 "" <"$T.fifo" 2>"$T.po.err" &
pid=$!
exec 4>"$T.fifo"
cat "$T.d1" >&4
wait_until 100 forward_size_is cups_a 3000
echo paperout >"$SIM/cups_a/faults"
cat "$T.d2" >&4
check "paper out mid-job: STATE: +media-empty-error" \
	wait_until 150 has "$T.po.err" "STATE: +media-empty-error"
sleep 0.5
check "paper out: nothing more arrives, the backend still runs" \
	sh -c "[ \$(wc -c <$SIM/cups_a/forward) = 3000 ] && kill -0 $pid"
echo none >"$SIM/cups_a/faults"
exec 4>&-
reap "$pid" 200
check "paper back: the job ends, exit 0" [ "$rc" = 0 ]
check "paper back: STATE: -media-empty-error after the +" \
	sh -c "grep -n 'media-empty-error' $T.po.err | tail -n 1 | grep -q 'STATE: -media-empty-error'"
check "paper out and back: every byte arrived once, in order" \
	forward_is cups_a "$T.d12"
sed 's/^/# /' "$T.po.err" | grep -E 'STATE|INFO'

# --- A second backend waits for the first, then prints after it.
echo x >"$SIM/cups_a/forward"
rm -f "$T.fifo"
mkfifo "$T.fifo"
DEVICE_URI="parclass:/$LA" "$BE" 5 user first 1 "" <"$T.fifo" 2>"$T.first.err" &
p1=$!
exec 4>"$T.fifo"
cat "$T.d1" >&4
wait_until 100 forward_size_is cups_a 3000
# (4>&-: the second must not keep the first's stdin open.)
DEVICE_URI="parclass:/$LA" "$BE" 6 user second 1 "" "$T.d3" 2>"$T.second.err" 4>&- &
p2=$!
check "second job waits: STATE: +connecting-to-device, INFO: Waiting for the port (1 ahead)" \
	wait_until 100 sh -c "grep -qF 'STATE: +connecting-to-device' $T.second.err &&
		grep -qF 'INFO: Waiting for the port (1 ahead)' $T.second.err"
sleep 1
check "second job: nothing printed while the first holds the port" \
	sh -c "[ \$(wc -c <$SIM/cups_a/forward) = 3000 ] && kill -0 $p2"
cat "$T.d2" >&4
exec 4>&-
reap "$p1" 200
rc1=$rc
reap "$p2" 200
[ "$rc1" = 0 ] && [ "$rc" = 0 ]
res "both jobs end with exit 0 (first $rc1, second $rc)"
check "second job: STATE: -connecting-to-device once granted" \
	has "$T.second.err" "STATE: -connecting-to-device"
cat "$T.d1" "$T.d2" "$T.d3" >"$T.d123"
check "the two jobs' bytes arrive whole, the first's then the second's" \
	forward_is cups_a "$T.d123"

# --- SIGTERM (a cancelled job) while the printer stays busy.
echo busy >"$SIM/cups_a/faults"
DEVICE_URI="parclass:/$LA" "$BE" 7 user title 1 "" "$T.d1" 2>"$T.term.err" &
pid=$!
wait_until 100 has "$T.term.err" "INFO: Printing on $LA"
sleep 1.5
kill -TERM "$pid"
reap "$pid" 30
[ "$rc" = 0 ] && has "$T.term.err" "INFO: Job cancelled"
res "SIGTERM during a stalled WRITE: ends within 3 s, exit 0 (rc $rc)"
echo none >"$SIM/cups_a/faults"
echo x >"$SIM/cups_a/forward"
job after "parclass:/$LA" 8 user title 1 "" "$T.d3"
[ "$rc" = 0 ] && forward_is cups_a "$T.d3" && ! grep -qF "connecting-to-device" "$T.after.err"
res "after the cancel the port is free: the next job prints"

# --- An IEEE 1284.3 daisy chain: its devices listed, and printed to.
ID_D0='MFG:Acme;MDL:Chain Jet 0;CLS:PRINTER;'
ID_D1='MFG:Acme;MDL:Chain Jet 1;CLS:PRINTER;'
echo cups_d >"$SIM/new"
printf '%s\n%s\n' "$ID_D0" "$ID_D1" >"$SIM/cups_d/daisy"
echo 1 >"$SIM/cups_d/plugged"
d=$(sed -n 's/^parport//p' "$SIM/cups_d/port")
LD=LPT$((d + 1))
echo "# simulated port with a chain of 2: $LD (parport$d)"
"$BE" >"$T.list2" 2>"$T.list2.err"
sed 's/^/# /' "$T.list2" | grep -F "$LD"
check "listing: the chain's port $LD, then its devices" \
	sh -c "grep -F 'parclass:/$LD' $T.list2 | cut -d' ' -f2 | tr '\n' ' ' |
		grep -qx 'parclass:/$LD parclass:/$LD.0 parclass:/$LD.1 '"
check "listing: chain device $LD.0 with its own make-and-model and device ID" \
	has "$T.list2" "direct parclass:/$LD.0 \"Acme Chain Jet 0\" \"$LD.0 (parport$d)\" \"$ID_D0\""
check "listing: chain device $LD.1 with its own make-and-model and device ID" \
	has "$T.list2" "direct parclass:/$LD.1 \"Acme Chain Jet 1\" \"$LD.1 (parport$d)\" \"$ID_D1\""
echo x >"$SIM/cups_d/forward"
rm -f "$T.fifo"
mkfifo "$T.fifo"
DEVICE_URI="parclass:/$LD.1" "$BE" 13 user title 1 "" <"$T.fifo" 2>"$T.chain.err" &
pid=$!
exec 4>"$T.fifo"
cat "$T.d1" >&4
wait_until 100 forward_size_is cups_d 3000
sel=$(sed -n 's/^selected: //p' "$SIM/cups_d/state")
cat "$T.d2" >&4
exec 4>&-
reap "$pid" 200
check "chain device $LD.1: the one selected during its job (selected: $sel)" \
	[ "$sel" = 1 ]
[ "$rc" = 0 ] && forward_is cups_d "$T.d12" &&
	has "$T.chain.err" "INFO: Sent 5000 bytes to $LD.1"
res "chain device $LD.1: exit 0, every byte arrived once, in order (rc $rc)"
check "chain device $LD.1: the chain deselected after the job" \
	[ "$(sed -n 's/^selected: //p' "$SIM/cups_d/state")" = -1 ]
job nochain "parclass:/$LD.3" 14 user title 1 "" "$T.d3"
[ "$rc" = 4 ] && has "$T.nochain.err" "ERROR: No chain device $LD.3"
res "no chain device at that address: CUPS_BACKEND_STOP (4) (rc $rc)"
# The chain re-cabled behind parclass's back: its devices have no
# addresses until the next DAISY_INIT, so device 1 answers no select.
printf '%s\n' "$ID_D0" >"$SIM/cups_d/daisy"
echo x >"$SIM/cups_d/forward"
job deaf "parclass:/$LD.1" 15 user title 1 "" "$T.d3"
[ "$rc" = 6 ] && has "$T.deaf.err" "ERROR: The chain device $LD.1 does not answer" &&
	forward_size_is cups_d 0
res "a chain device that answers no select: CUPS_BACKEND_RETRY (6), nothing sent (rc $rc)"

# --- Exit codes.
job baduri parclass:/COM1 9 user title 1 "" "$T.d3"
[ "$rc" = 4 ] && has "$T.baduri.err" "ERROR: Bad device URI"
res "bad URI: CUPS_BACKEND_STOP (4), ERROR: line (rc $rc)"
job noport parclass:/LPT99 10 user title 1 "" "$T.d3"
[ "$rc" = 4 ] && has "$T.noport.err" "ERROR: No such port LPT99"
res "no such port: CUPS_BACKEND_STOP (4) (rc $rc)"
job usage parclass:/LPT1 11 user
[ "$rc" = 1 ] && has "$T.usage.err" "Usage:"
res "wrong argument count: usage, CUPS_BACKEND_FAILED (1) (rc $rc)"
rm -f "$T.fifo"
mkfifo "$T.fifo"
DEVICE_URI="parclass:/$LC" "$BE" 12 user title 1 "" <"$T.fifo" 2>"$T.gone.err" &
pid=$!
exec 4>"$T.fifo"
cat "$T.d1" >&4
wait_until 100 forward_size_is cups_c 3000
echo 0 >"$SIM/cups_c/plugged"
cat "$T.d2" >&4
exec 4>&-
reap "$pid" 100
[ "$rc" = 7 ] && has "$T.gone.err" "ERROR: $LC was removed"
res "port removed mid-job: CUPS_BACKEND_RETRY_CURRENT (7) (rc $rc)"

cleanup
exit "$failed"
