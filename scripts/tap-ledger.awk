# SPDX-License-Identifier: GPL-2.0
#
# Turns a lane's report (see scripts/guest-init.sh) into ledger lines:
#   PASS|FAIL|SKIP <lane> <test name>
#   NOTE <lane> <what>       (not a test: a manifest's "off" or "args"
#                            line, shown with its reason)
# and checks the report against the lane's manifest (tests/manifest/).
# Usage:
#   awk -v lane=NAME -v manifest=FILE [-v inventory=FILE] [-v only="a b"]
#       [-v host=1] -f tap-ledger.awk results.txt
# host=1: a report made on the host, with no guest status lines.
# inventory: "KIND NAME" lines, every test program in the tree; each must
# have a line in the manifest.
# only: PARCLASS_ONLY's names; selftest and final programs not named there
# are not required to run (the lane records its partial run itself).
#
# TAP (kselftest) and KTAP (KUnit) are both read; only leaf results count,
# so a KUnit line that sums up its subtests is not counted again. Every
# plan ("1..N") is checked against the results at its level, nested KUnit
# plans included, and a top-level document without a plan fails. A
# section fails when it never ends, ends with a non-zero status, bails
# out or has no result at all; "1..0 # SKIP why" with exit status 4
# (kselftest's KSFT_SKIP) is one skipped result. A guest that never
# reports "done" fails.
#
# The manifest, one line per unit (blank lines and # comments aside):
#   KIND NAME RESULTS [skip N] [args ARG... --] [REASON...]
#   KIND NAME off REASON...
# KIND is selftest (NAME as in tests/selftests/, *.sh with its suffix),
# final (tests/final/NAME.sh), kunit (NAME is MODULE/SUITE, or MODULE for
# "off"), host or guest (the guest's own checks). RESULTS is the exact
# number of leaf results the unit gives: fewer means a test case did not
# run, more means the manifest no longer describes the unit, and either
# fails. "skip N" allows exactly N of them to be skips, for REASON (a skip
# is still counted as SKIP); any other number of skips fails. "args" runs
# the program with ARGs in this lane (a kselftest harness filter such as
# -T TEST), for REASON. "off" keeps the program out of the lane. REASON
# is required with skip, args and off, and is shown: in the SKIP lines,
# and as NOTE lines. A unit that runs without a line fails, and so does
# an inventory entry without one.

function emit(verdict, what) {
	printf "%s %s %s\n", verdict, lane, what
}

function words_to_set(s, set,    n, i, w) {
	n = split(s, w, /[ \t]+/)
	for (i = 1; i <= n; i++)
		if (w[i] != "")
			set[w[i]] = 1
}

# Must KIND/NAME run in this lane (PARCLASS_ONLY aside)?
function required(kind, name,    bare) {
	if (only == "" || kind == "kunit" || kind == "guest")
		return 1
	bare = name
	sub(/\.sh$/, "", bare)
	return (name in onlyset) || (bare in onlyset)
}

# The fields FROM to TO of F, joined by spaces.
function join(f, from, to,    s, i) {
	s = ""
	for (i = from; i <= to; i++)
		s = s (s == "" ? "" : " ") f[i]
	return s
}

function read_manifest(    line, n, f, key, i, module, lineno, bad, hasskip,
			   args, reason) {
	if (manifest == "")
		return
	lineno = 0
	while ((getline line < manifest) > 0) {
		lineno++
		sub(/\r$/, "", line)
		sub(/^[ \t]+/, "", line)
		sub(/[ \t]+$/, "", line)
		if (line ~ /^(#|$)/)
			continue
		split("", f)
		n = split(line, f, /[ \t]+/)
		key = f[1] "/" f[2]
		bad = f[1] !~ /^(selftest|final|kunit|host|guest)$/ || n < 3
		hasskip = 0
		args = ""
		reason = ""
		if (f[3] == "off") {
			reason = join(f, 4, n)
			bad = bad || reason == ""
		} else if (f[3] ~ /^[0-9]+$/) {
			i = 4
			if (f[i] == "skip") {
				hasskip = 1
				bad = bad || f[i + 1] !~ /^[0-9]+$/
				i += 2
			}
			if (f[i] == "args") {
				for (i++; i <= n && f[i] != "--"; i++)
					args = args (args == "" ? "" : " ") f[i]
				bad = bad || i > n || args == "" ||
				      (f[1] != "selftest" && f[1] != "final")
				i++
			}
			reason = join(f, i, n)
			# A reason goes with skip or args, and only with them.
			bad = bad || ((hasskip || args != "") != (reason != ""))
			# A KUnit count is a suite's: MODULE/SUITE.
			bad = bad || (f[1] == "kunit" && f[2] !~ /.\/./)
		} else {
			bad = 1
		}
		if (bad) {
			emit("FAIL", "manifest: " manifest_name ":" lineno \
			     ": not KIND NAME RESULTS [skip N] [args ARG... --] [REASON]" \
			     " or KIND NAME off REASON")
			continue
		}
		if (key in mline) {
			emit("FAIL", "manifest: " manifest_name ":" lineno ": " \
			     f[1] " " f[2] " listed twice")
			continue
		}
		mline[key] = lineno
		mkey[++nkeys] = key
		if (f[3] == "off") {
			moff[key] = reason
		} else {
			mcount[key] = f[3] + 0
			mskip[key] = hasskip ? f[5] + 0 : 0
			mreason[key] = reason
			if (args != "")
				margs[key] = args
		}
		# A program is listed when any line names it.
		module = f[2]
		if (f[1] == "kunit")
			sub(/\/.*/, "", module)
		listed[f[1] "/" module] = 1
	}
	close(manifest)
	if (lineno == 0)
		emit("FAIL", "manifest: " manifest_name " is missing or empty")
}

function read_inventory(    line, f) {
	if (inventory == "")
		return
	while ((getline line < inventory) > 0) {
		split(line, f, /[ \t]+/)
		if (f[1] != "")
			present[f[1] "/" f[2]] = 1
	}
	close(inventory)
}

BEGIN {
	manifest_name = manifest
	sub(/^.*\/tests\/manifest\//, "tests/manifest/", manifest_name)
	words_to_set(only, onlyset)
	read_manifest()
	read_inventory()
}

# Close the scopes at indentation D and deeper: check their plans.
function close_from(d,    i, j, t, n, k, lv, label) {
	n = 0
	for (k in open_)
		if (k + 0 >= d)
			lv[++n] = k + 0
	# Deepest first: a subtest's plan before its parent's.
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && lv[j - 1] < lv[j]; j--) {
			t = lv[j]; lv[j] = lv[j - 1]; lv[j - 1] = t
		}
	for (i = 1; i <= n; i++) {
		k = lv[i]
		label = (k in slabel) && slabel[k] != "" ? slabel[k] ": " : ""
		if (fresh[k])
			;	# nothing in it: no plan to check
		else if (plan[k] >= 0 && cnt[k] != plan[k])
			emit("FAIL", sect ": " label cnt[k] " of " plan[k] \
			     " planned results")
		else if (plan[k] < 0 && k == 0 && !skipall)
			emit("FAIL", sect ": " label "no plan (1..N)")
		delete open_[k]
		delete plan[k]
		delete cnt[k]
		delete slabel[k]
		delete fresh[k]
	}
	for (k in subtest)
		if (k + 0 > d || (k + 0 == d && d > 0))
			delete subtest[k]
}

function open_at(d, label) {
	open_[d] = 1
	plan[d] = -1
	cnt[d] = 0
	slabel[d] = label
	fresh[d] = 1
}

# The dotted names of the subtests enclosing indentation D.
function path_to(d,    k, p, ks, n, i, j, t) {
	n = 0
	for (k in subtest)
		if (k + 0 <= d)
			ks[++n] = k + 0
	for (i = 2; i <= n; i++)
		for (j = i; j > 1 && ks[j - 1] > ks[j]; j--) {
			t = ks[j]; ks[j] = ks[j - 1]; ks[j - 1] = t
		}
	p = ""
	for (i = 1; i <= n; i++)
		p = p (p == "" ? "" : ".") subtest[ks[i]]
	return p
}

function outer_subtest(    k, best) {
	best = -1
	for (k in subtest)
		if (k + 0 > 0 && (best < 0 || k + 0 < best))
			best = k + 0
	return best < 0 ? "" : subtest[best]
}

function close_section(rc) {
	close_from(0)
	if (nres == 0)
		emit("FAIL", sect ": no test results")
	# kselftest's exit status 4 (KSFT_SKIP) goes with a program whose
	# every result is a skip.
	if (rc != "" && rc != "rc=0" &&
	    !(rc == "rc=4" && sleaves > 0 && sskips == sleaves))
		emit("FAIL", sect ": exited with " rc)
	sect = ""
}

{ sub(/\r$/, "") }

/^PARCLASS-STATUS / { status = $2; next }

/^PARCLASS-BEGIN / {
	if (sect != "") {
		emit("FAIL", sect ": did not finish")
		close_from(0)
	}
	kind = $2
	sect = $2 "/" $3
	ran[sect] = 1
	nres = 0
	sleaves = 0
	sskips = 0
	skipall = 0
	split("", open_)
	split("", subtest)
	split("", haschild)
	open_at(0, "")
	next
}

/^PARCLASS-END / {
	if (sect != "")
		close_section($4)
	next
}

sect == "" { next }

{
	match($0, /^[ \t]*/)
	depth = RLENGTH
	body = substr($0, RLENGTH + 1)
}

body ~ /^Bail out!/ {
	emit("FAIL", sect ": " body)
	next
}

# A new document: at the top, the last one's plan is checked.
body ~ /^K?TAP version / {
	close_from(depth)
	open_at(depth, "")
	next
}

# KTAP names nested tests in "# Subtest: NAME" lines.
body ~ /^# Subtest: / {
	name = substr(body, 12)
	if (!(depth in open_) || !fresh[depth]) {
		close_from(depth)
		open_at(depth, "")
	}
	subtest[depth] = name
	slabel[depth] = path_to(depth)
	for (d in open_)
		if (d + 0 < depth)
			haschild[d] = 1
	next
}

body ~ /^1\.\.[0-9]+/ {
	if (!(depth in open_))
		open_at(depth, path_to(depth))
	n = substr(body, 4) + 0
	if (plan[depth] >= 0)
		emit("FAIL", sect ": " (slabel[depth] != "" ? slabel[depth] ": " : "") \
		     "a second plan (" body ")")
	plan[depth] = n
	fresh[depth] = 0
	# kselftest's "1..0 # SKIP why": the whole program skipped.
	if (n == 0 && depth == 0 && match(body, /#[ \t]*[Ss][Kk][Ii][Pp]/)) {
		skipall = 1
		why = substr(body, RSTART + RLENGTH)
		sub(/^[ \t]+/, "", why)
		leaf("SKIP", "(every test) " why, 1)
		nres++
	}
	next
}

# A leaf result: counted for its unit, and written to the ledger.
function leaf(verdict, what, skipped,    unit, suite) {
	unit = sect
	if (kind == "kunit") {
		suite = outer_subtest()
		if (suite != "")
			unit = sect "/" suite
	}
	results[unit]++
	sleaves++
	if (skipped) {
		skips[unit]++
		sskips++
		if ((unit in mcount) && mskip[unit] > 0)
			what = what " [allowed: " mreason[unit] "]"
	}
	emit(verdict, sect ": " what)
}

body ~ /^(not ok|ok)[ \t]/ {
	line = body
	failed = (line ~ /^not ok/)
	sub(/^(not ok|ok)[ \t]+[0-9]*[ \t]*(- )?/, "", line)
	directive = ""
	if (match(line, /[ \t]#[ \t]/)) {
		directive = substr(line, RSTART + 3)
		line = substr(line, 1, RSTART - 1)
	}
	close_from(depth + 1)
	if (!(depth in open_))
		open_at(depth, path_to(depth))
	fresh[depth] = 0
	cnt[depth]++
	nres++
	parent = (depth in haschild) && haschild[depth]
	haschild[depth] = 0
	for (d in open_)
		if (d + 0 < depth)
			haschild[d] = 1
	if (parent)
		next
	prefix = path_to(depth)
	line = (prefix != "" ? prefix "." : "") line
	if (toupper(directive) ~ /^SKIP/)
		leaf("SKIP", line (directive ~ /^....[ \t]*$/ ? "" : \
				   " (" directive ")"), 1)
	else if (failed)
		leaf("FAIL", line (directive != "" ? " (" directive ")" : ""), 0)
	else
		leaf("PASS", line, 0)
	next
}

function results_of(n) {
	return n (n == 1 ? " result" : " results")
}

function check_manifest(    key, i, f, module, n) {
	if (manifest == "")
		return
	for (i = 1; i <= nkeys; i++) {
		key = mkey[i]
		split(key, f, "/")
		if (key in moff) {
			emit("NOTE", key ": left out of this lane: " moff[key])
			if ((key in ran) || (key in results))
				emit("FAIL", key ": ran, but " manifest_name \
				     " keeps it out of this lane")
			continue
		}
		if (!required(f[1], f[2]))
			continue
		if (key in margs)
			emit("NOTE", key ": runs with " margs[key] ": " mreason[key])
		module = f[1] "/" f[2]
		if (!(module in ran) || (f[1] == "kunit" && !(key in results))) {
			emit("FAIL", key ": did not run (" manifest_name \
			     " expects " results_of(mcount[key]) ")")
			continue
		}
		n = (key in results) ? results[key] : 0
		if (n != mcount[key])
			emit("FAIL", key ": " results_of(n) ", " manifest_name \
			     " expects " mcount[key])
		n = (key in skips) ? skips[key] : 0
		if (n != mskip[key]) {
			if (mskip[key] == 0)
				emit("FAIL", key ": " n " skipped, and " \
				     manifest_name " allows no skip")
			else
				emit("FAIL", key ": " n " skipped, " manifest_name \
				     " expects " mskip[key] " (" mreason[key] ")")
		}
	}
	# What ran without a line.
	for (key in results)
		if (!(key in mline)) {
			split(key, f, "/")
			if (f[1] == "guest" || (f[1] == "kunit" && ((f[1] "/" f[2]) in moff)))
				continue
			emit("FAIL", key ": " results_of(results[key]) ", but " \
			     manifest_name " has no line for it (add: " \
			     f[1] " " substr(key, length(f[1]) + 2) " " \
			     results[key] ")")
		}
	for (key in ran)
		if (!(key in results) && !(key in listed) && key !~ /^guest\//) {
			split(key, f, "/")
			emit("FAIL", key ": ran, but " manifest_name \
			     " has no line for it")
		}
	# Every program in the tree has a line, whether it ran or not.
	for (key in present) {
		split(key, f, "/")
		if (!(key in listed) && !(key in ran) && required(f[1], f[2]))
			emit("FAIL", key ": in the tree, but " manifest_name \
			     " has no line for it (so it did not run)")
	}
}

END {
	if (sect != "") {
		emit("FAIL", sect ": did not finish")
		close_from(0)
	}
	check_manifest()
	if (host)
		exit
	if (status == "done")
		emit("PASS", "guest: ran to completion")
	else
		emit("FAIL", "guest: did not run to completion (crash, panic or timeout)")
}
