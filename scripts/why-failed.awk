# SPDX-License-Identifier: GPL-2.0
#
# Prints what the failed programs of a lane said about their failures, so
# that the end of "make check"'s output shows why as well as what.
# Usage:
#   awk -v lane=NAME -v failed="selftest/fuzz_test kunit/parclass_test" \
#       -f why-failed.awk results.txt
# failed: KIND/NAME of each program with a failed result, as the ledger
# names them (see scripts/tap-ledger.awk).
# For each of those programs' sections (PARCLASS-BEGIN ... PARCLASS-END),
# it prints its "not ok" lines, the diagnostic lines ("#") between each
# and the result before it (at most CONTEXT lines), and every diagnostic
# line that says FAIL or
# EXPECTATION FAILED with the indented diagnostics that follow it. A
# section that never ended has its last lines printed. At most MAX lines
# a program.

BEGIN {
	CONTEXT = 12
	MAX = 40
	n = split(failed, w, /[ \t]+/)
	for (i = 1; i <= n; i++)
		if (w[i] != "")
			want[w[i]] = 1
	cur = ""
}

function out(s) {
	if (shown >= MAX)
		return
	if (!header) {
		printf "  %s %s:\n", lane, cur
		header = 1
	}
	printf "    %s\n", s
	shown++
}

# The diagnostics between the previous result and this one (at most
# CONTEXT lines back) not printed yet, in order.
function flush_context(    i, k, first) {
	first = NR
	for (i = 1; i <= CONTEXT; i++) {
		k = NR - i
		if (!(k in buf) || buf[k] ~ /^[ \t]*(not )?ok /)
			break
		first = k
	}
	for (k = first; k < NR; k++)
		if (!(k in done) && buf[k] ~ /^[ \t]*#/) {
			out(buf[k])
			done[k] = 1
		}
}

{
	sub(/\r$/, "")
}

/^PARCLASS-BEGIN / {
	cur = $2 "/" $3
	active = (cur in want)
	header = 0
	shown = 0
	follow = 0
	split("", buf)
	split("", done)
	next
}

/^PARCLASS-END / {
	active = 0
	cur = ""
	next
}

/^PARCLASS-/ {
	next
}

active {
	buf[NR] = $0
	delete buf[NR - CONTEXT - 1]
	if ($0 ~ /^[ \t]*not ok/) {
		flush_context()
		out($0)
		follow = 0
	} else if ($0 ~ /^[ \t]*#.*(FAIL|EXPECTATION FAILED|ASSERTION FAILED)/ &&
		   $0 !~ /^#[ \t]+FAIL[ \t]+[^ \t]+$/) {
		# (Not the harness's own "#   FAIL  fixture.test" line,
		# which comes with its "not ok", in its place.)
		out($0)
		done[NR] = 1
		follow = 4
	} else if (follow && $0 ~ /^[ \t]*#/) {
		out($0)
		done[NR] = 1
		follow--
	} else {
		follow = 0
	}
}

END {
	# A section cut off (the guest died or timed out inside it).
	if (active && !shown) {
		for (i = NR - CONTEXT; i <= NR; i++)
			if (i in buf)
				out(buf[i])
	}
}
