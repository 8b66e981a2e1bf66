# SPDX-License-Identifier: GPL-2.0
#
# Turns a guest's report (see scripts/guest-init.sh) into ledger lines:
#   PASS|FAIL|SKIP <lane> <test name>
# Usage: awk -v lane=NAME [-v host=1] -f tap-ledger.awk results.txt
# (host=1: a report made on the host, with no guest status lines)
#
# TAP (kselftest) and KTAP (KUnit) are both read: only leaf results count,
# so a KUnit suite line that sums up its cases is not counted again. A
# section that never ends, ends with a non-zero status, has fewer results
# than its plan, or has no result at all counts as a failure, and so does a
# guest that never reports "done".

function emit(verdict, what) {
	printf "%s %s %s\n", verdict, lane, what
}

function close_section(rc) {
	if (nres == 0)
		emit("FAIL", sect ": no test results")
	else if (plan >= 0 && top < plan)
		emit("FAIL", sect ": " top " of " plan " planned results")
	if (rc != "" && rc != "rc=0")
		emit("FAIL", sect ": exited with " rc)
	sect = ""
}

{ sub(/\r$/, "") }

/^PARCLASS-STATUS / { status = $2; next }

/^PARCLASS-BEGIN / {
	if (sect != "")
		emit("FAIL", sect ": did not finish")
	sect = $2 "/" $3
	nres = 0; top = 0; plan = -1
	split("", pending)
	split("", subtest)
	next
}

/^PARCLASS-END / {
	if (sect != "")
		close_section($4)
	next
}

sect == "" { next }

# KTAP names nested tests in "# Subtest: NAME" lines; leaves are reported
# as SUITE.CASE[.PARAM].
/^[ \t]*# Subtest: / {
	match($0, /^[ \t]*/)
	depth = RLENGTH
	for (d in subtest)
		if (d + 0 >= depth)
			delete subtest[d]
	subtest[depth] = substr($0, RLENGTH + 12)
	next
}

/^[ \t]*1\.\.[0-9]+/ {
	if (match($0, /^[^ \t]/) && plan < 0) {
		plan = substr($0, 4) + 0
	}
	next
}

/^[ \t]*(not ok|ok)[ \t]/ {
	match($0, /^[ \t]*/)
	depth = RLENGTH
	line = substr($0, RLENGTH + 1)
	failed = (line ~ /^not ok/)
	sub(/^(not ok|ok)[ \t]+[0-9]*[ \t]*(- )?/, "", line)
	directive = ""
	if (match(line, /[ \t]#[ \t]/)) {
		directive = substr(line, RSTART + 3)
		line = substr(line, 1, RSTART - 1)
	}
	parent = (depth in pending) && pending[depth]
	pending[depth] = 0
	for (d = 0; d < depth; d++)
		pending[d] = 1
	if (depth == 0)
		top++
	nres++
	if (parent)
		next
	prefix = ""
	for (d = 1; d <= depth; d++)
		if (d in subtest)
			prefix = prefix subtest[d] "."
	line = prefix line
	if (toupper(directive) ~ /^SKIP/)
		emit("SKIP", sect ": " line)
	else if (failed)
		emit("FAIL", sect ": " line (directive != "" ? " (" directive ")" : ""))
	else
		emit("PASS", sect ": " line)
}

END {
	if (sect != "")
		emit("FAIL", sect ": did not finish")
	if (host)
		exit
	if (status == "done")
		emit("PASS", "guest: ran to completion")
	else
		emit("FAIL", "guest: did not run to completion (crash, panic or timeout)")
}
