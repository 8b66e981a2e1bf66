#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# uapi-layout.sh HEADER WORKDIR: check that every struct in the uAPI
# header has no implicit padding, a size that is a multiple of 8, and the
# same size and field offsets for 64-bit and 32-bit (-m32) user space.
# Prints what is wrong; exits non-zero if anything is.
set -euo pipefail

header=$1 work=$2
mkdir -p "$work"

# Every "struct parclass_* {" block and its fields, as "STRUCT FIELD".
awk '
/^struct parclass_[a-z0-9_]+ \{/ { s = $2; next }
s && /^\};/ { print s " -"; s = ""; next }
s && match($0, /[a-z_0-9]+(\[[0-9]+\])?;/) {
	f = substr($0, RSTART, RLENGTH - 1)
	sub(/\[.*/, "", f)
	print s " " f
}' "$header" >"$work/fields"
[ -s "$work/fields" ] || { echo "no structs found in $header"; exit 1; }

{
	echo '#include <stddef.h>'
	echo '#include <stdio.h>'
	echo '#include <linux/parclass.h>'
	echo 'int main(void)'
	echo '{'
	echo '	size_t sum = 0;'
	while read -r s f; do
		if [ "$f" = - ]; then
			echo "	printf(\"sizeof(struct $s)|%zu\\n\", sizeof(struct $s));"
			echo "	if (sum != sizeof(struct $s))"
			echo "		printf(\"PADDING struct $s: fields %zu, struct %zu\\n\", sum, sizeof(struct $s));"
			echo "	if (sizeof(struct $s) % 8)"
			echo "		printf(\"SIZE struct $s is not a multiple of 8\\n\");"
			echo '	sum = 0;'
		else
			echo "	printf(\"offsetof(struct $s, $f)|%zu\\n\", offsetof(struct $s, $f));"
			echo "	sum += sizeof(((struct $s *)0)->$f);"
		fi
	done <"$work/fields"
	echo '	return 0;'
	echo '}'
} >"$work/layout.c"

inc=$(dirname "$(dirname "$header")")
gcc -Wall -Werror -I"$inc" -o "$work/layout" "$work/layout.c"
"$work/layout" >"$work/layout.txt"
if grep -E '^(PADDING|SIZE)' "$work/layout.txt"; then
	exit 1
fi

# The same numbers must hold when compiled for 32-bit user space.
{
	echo '#include <stddef.h>'
	echo '#include <linux/parclass.h>'
	n=0
	while IFS='|' read -r expr value; do
		n=$((n + 1))
		echo "typedef char layout_$n[($expr == $value) ? 1 : -1];"
	done <"$work/layout.txt"
} >"$work/layout32.c"
gcc -m32 -Wall -Werror -Wno-unused-local-typedefs -fsyntax-only \
	-I"$inc" "$work/layout32.c"
