#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# check.sh [LANE...]: "make check". Installs what is missing, runs the
# lanes (default: all), prints every test's verdict (and the NOTE lines
# that say what a lane leaves out, and why) and ends with
#   N passed, N failed, N skipped
# It exits non-zero if any test failed, any lane could not run, or no
# test ran at all. What each lane must run is in tests/manifest/.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

all_lanes="gates tools dkms packages debian-6.1 debian-6.12 debug smp1"
lanes=${*:-$all_lanes}
out=$PARCLASS_TOP/build/check

"$PARCLASS_TOP/scripts/deps.sh" || die "installing build dependencies failed"
mkdir -p "$out"
: >"$out/ledger"

t0=$(date +%s)
for lane in $lanes; do
	case " $all_lanes " in
	*" $lane "*) ;;
	*) die "unknown lane '$lane' (lanes: $all_lanes)" ;;
	esac
	start=$(date +%s)
	echo "=== lane $lane"
	"$PARCLASS_TOP/scripts/lane.sh" "$lane" "$out/$lane"
	kernel=$(cat "$out/$lane/kernel" 2>/dev/null || echo "-")
	if [ ! -s "$out/$lane/ledger" ]; then
		echo "FAIL $lane lane: ran no test" >>"$out/$lane/ledger"
	fi
	cat "$out/$lane/ledger" | sed 's/^/  /'
	cat "$out/$lane/ledger" >>"$out/ledger"
	printf '=== lane %s: kernel %s, %d passed, %d failed, %d skipped, %ds\n' \
		"$lane" "$kernel" \
		"$(grep -c '^PASS' "$out/$lane/ledger")" \
		"$(grep -c '^FAIL' "$out/$lane/ledger")" \
		"$(grep -c '^SKIP' "$out/$lane/ledger")" \
		$(($(date +%s) - start))
done

passed=$(grep -c '^PASS' "$out/ledger")
failed=$(grep -c '^FAIL' "$out/ledger")
skipped=$(grep -c '^SKIP' "$out/ledger")
if [ "$failed" -gt 0 ]; then
	# What the failed programs said, then the list: both at the end of
	# the output, where a log cut to its tail still shows them.
	echo "What the failed programs said (the lanes' results.txt has all):"
	for lane in $lanes; do
		report=$out/$lane/vm/results.txt
		[ -f "$report" ] || report=$out/$lane/results.txt
		[ -f "$report" ] || continue
		progs=$(sed -n 's|^FAIL [^ ]* \([a-z]*/[^/: ]*\).*|\1|p' \
			"$out/$lane/ledger" | sort -u | tr '\n' ' ')
		if [ -n "$progs" ]; then
			awk -v lane="$lane" -v failed="$progs" \
				-f "$PARCLASS_TOP/scripts/why-failed.awk" "$report"
		fi
		# A kernel report: its first lines.
		if grep -q "^FAIL $lane host: guest log free of" "$out/$lane/ledger" &&
			[ -f "$out/$lane/vm/console.log" ]; then
			echo "  $lane console.log:"
			grep -m1 -nE -A15 "$BAD_LOG" "$out/$lane/vm/console.log" |
				sed 's/^/    /'
		fi
	done
	echo "Failed tests:"
	grep '^FAIL' "$out/ledger" | sed 's/^FAIL /  /'
fi
echo "Total time: $(($(date +%s) - t0))s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
