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
	echo "Failed tests:"
	grep '^FAIL' "$out/ledger" | sed 's/^FAIL /  /'
fi
echo "Total time: $(($(date +%s) - t0))s"
echo "$passed passed, $failed failed, $skipped skipped"
[ "$failed" = 0 ] && [ "$passed" -gt 0 ]
