#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# kmemleak: once every other test has run (KUnit included), no memory
# that parclass or parport_sim allocated is left unreferenced.
#
# kmemleak scans twice, a pause apart (an object is reported only once it
# is older than 5 s and unchanged since the previous scan, see
# Documentation/dev-tools/kmemleak.rst), then lists what it suspects. One
# result: it fails if any suspected object's allocation backtrace runs
# through parclass or parport_sim (their modules, or functions named after
# them), and prints those reports. The count of all suspected objects and
# of those attributed to other code follow as comments.
#
# Only the debug lane's kernel has kmemleak: there a missing
# /sys/kernel/debug/kmemleak fails; in the other lanes the check skips.

KMEMLEAK=/sys/kernel/debug/kmemleak
LANE=/etc/parclass/lane
OURS='parclass|parport_sim'
WHAT="no unreferenced object allocated by parclass or parport_sim"
# Past kmemleak's minimum object age (5 s) between the two scans.
PAUSE=6

lane=$(cat "$LANE" 2>/dev/null)
echo "TAP version 13"
echo "1..1"
if [ "$lane" != debug ]; then
	echo "ok 1 $WHAT # SKIP kmemleak is checked in the debug lane only, not in ${lane:-this} lane (Debian's kernels are built without it)"
	exit 0
fi
if [ ! -e "$KMEMLEAK" ]; then
	echo "# $KMEMLEAK is missing: the debug kernel was built without CONFIG_DEBUG_KMEMLEAK, or kmemleak is off"
	echo "not ok 1 $WHAT"
	exit 1
fi

if ! echo scan >"$KMEMLEAK" 2>/dev/null; then
	echo "# kmemleak refused to scan (disabled after an error? see the console log)"
	echo "not ok 1 $WHAT"
	exit 1
fi
sleep "$PAUSE"
if ! echo scan >"$KMEMLEAK" 2>/dev/null; then
	echo "# kmemleak refused the second scan (disabled after an error? see the console log)"
	echo "not ok 1 $WHAT"
	exit 1
fi
report=/tmp/kmemleak.report
cat "$KMEMLEAK" >"$report"

# One line per suspected object: "ours" or "other", by its backtrace.
verdicts=$(awk -v ours="$OURS" '
	/^unreferenced object / {
		if (n++) print v
		v = "other"; bt = 0; next
	}
	/^  backtrace/ { bt = 1; next }
	bt && $0 ~ ours { v = "ours" }
	END { if (n) print v }' "$report")
total=$(printf '%s\n' "$verdicts" | grep -c .)
ours=$(printf '%s\n' "$verdicts" | grep -c '^ours$')
other=$((total - ours))

echo "# kmemleak: $total unreferenced object(s): $ours from parclass or parport_sim, $other from other code"
if [ "$ours" -gt 0 ]; then
	# The offending reports, whole.
	awk -v ours="$OURS" '
		function flush() { if (rec != "" && mine) printf "%s", rec }
		/^unreferenced object / { flush(); rec = ""; mine = 0; bt = 0 }
		{ rec = rec "# " $0 "\n" }
		/^  backtrace/ { bt = 1; next }
		bt && $0 ~ ours { mine = 1 }
		END { flush() }' "$report"
	echo "not ok 1 $WHAT"
	exit 1
fi
echo "ok 1 $WHAT"
exit 0
