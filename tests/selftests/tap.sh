# SPDX-License-Identifier: GPL-2.0
#
# tap.sh: the TAP results of the shell selftests, sourced by them (POSIX
# sh; the guest's sh is busybox ash). It is not a test itself: lane.sh
# stages it beside them without the execute bit, and the guest runs only
# the executable files there. n counts the results printed so far;
# failed becomes 1 with the first "not ok" (the script's exit status).

n=0
failed=0

# ok WHAT: one passed result.
ok() {
	n=$((n + 1))
	echo "ok $n $*"
}

# not_ok WHAT: one failed result.
not_ok() {
	n=$((n + 1))
	failed=1
	echo "not ok $n $*"
}

# check WHAT CMD...: one result, ok when CMD succeeds.
check() {
	local what=$1

	shift
	if "$@"; then ok "$what"; else not_ok "$what"; fi
}
