#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# gates.sh RUNDIR: the static quality gates, each one a test in the ledger
# (RUNDIR/ledger): sparse, checkpatch --strict, kernel-doc, the uAPI header
# standalone as C90 and C++, and the ioctl magic number's registry check.
# The W=1 builds are part of each kernel lane.
set -uo pipefail
. "$(dirname "$0")/lib.sh"

run=$1
ledger=$run/ledger
pass() { echo "PASS gates $*" >>"$ledger"; }
fail() { echo "FAIL gates $*" >>"$ledger"; }
# gate NAME CMD...: run CMD with its output in the gate's log; the gate
# passes when CMD exits 0 and prints nothing.
gate() {
	local name=$1 out
	shift
	out=$("$@" 2>&1)
	if [ $? = 0 ] && [ -z "$out" ]; then
		pass "$name"
	else
		printf '%s\n' "--- $name" "$out" | head -n 40 >&2
		fail "$name"
	fi
}

cd "$PARCLASS_TOP" || exit 1
uapi=include/uapi/linux/parclass.h
src=$("$PARCLASS_TOP/scripts/linux-source.sh" 6.12) ||
	{ fail "setup: linux-source-6.12"; exit 0; }
kernel_sources=$(find parclass parport_sim tests/kunit -name '*.[ch]' ! -name '*.mod.c' |
	LC_ALL=C sort)
all_sources="$kernel_sources $uapi $(ls tests/selftests/*.[ch] scripts/*.c)"

for f in $all_sources; do
	# The compat header is the one file allowed to compare kernel
	# versions (see its comment); nothing else is exempted.
	ignore=
	[ "$f" = parclass/compat.h ] && ignore="--ignore LINUX_VERSION_CODE"
	# The Windows-shaped layer's test calls an API with Windows names.
	[ "$f" = tests/selftests/winlayer_test.c ] && ignore="--ignore CAMELCASE"
	gate "checkpatch --strict: $f" \
		"$src/scripts/checkpatch.pl" --strict --no-tree --quiet \
		--no-summary --show-types $ignore -f "$f"
done

gate "kernel-doc: $uapi" "$src/scripts/kernel-doc" -Wall -none "$uapi"
for f in $kernel_sources; do
	gate "kernel-doc: $f" "$src/scripts/kernel-doc" -Wall -none "$f"
done

# The header must stand alone, as C90 and as C++, and every macro in it
# must expand to something that compiles: each PARCLASS_* constant is
# used, and the request codes and command numbers are case labels, so
# that two equal ones do not compile.
probe=$run/uapi-probe.c
mkdir -p "$run"
macros=$(sed -n 's/^#define \(PARCLASS_[A-Z0-9_]*\)[[:space:]].*/\1/p' "$uapi")
{
	echo '#include <linux/parclass.h>'
	echo
	echo 'typedef char parclass_version_size_ok'
	echo '	[sizeof(struct parclass_version) % 8 == 0 ? 1 : -1];'
	echo
	echo 'unsigned long parclass_probe_values[] = {'
	for m in $macros; do
		echo "	(unsigned long)($m),"
	done
	echo '};'
	for kind in IOC CMD; do
		echo
		echo "int parclass_probe_$kind(unsigned long v);"
		echo "int parclass_probe_$kind(unsigned long v)"
		echo '{'
		echo '	switch (v) {'
		for m in $macros; do
			case $m in
			PARCLASS_${kind}_BASE) ;;
			PARCLASS_${kind}_*) echo "	case $m:" ;;
			esac
		done
		echo '		return 1;'
		echo '	}'
		echo '	return 0;'
		echo '}'
	done
} >"$probe"
gate "uapi: every PARCLASS_* macro ($(echo "$macros" | wc -l)) expands to a constant; request codes and command numbers are distinct" \
	grep -q 'case PARCLASS_IOC_PROBE:' "$probe"
gate "uapi: $uapi compiles alone as C90" \
	gcc -std=c90 -Wall -Wextra -Werror -fsyntax-only -Iinclude/uapi "$probe"
gate "uapi: $uapi compiles alone as C++" \
	g++ -std=c++98 -Wall -Wextra -Werror -fsyntax-only -x c++ \
	-Iinclude/uapi "$probe"

gate "uapi: no implicit padding, sizes multiple of 8, same layout for -m32 and -m64" \
	"$PARCLASS_TOP/scripts/uapi-layout.sh" "$uapi" "$run/layout"

# The C example in README.md must stay true to the header.
awk '/^```c$/ { on = 1; next } /^```$/ { on = 0 } on' README.md >"$run/readme-example.c"
gate "README: the C example compiles against the uAPI header" \
	gcc -Wall -Wextra -Werror -fsyntax-only -Iinclude/uapi \
	"$run/readme-example.c"

magic=$(sed -n 's/^#define PARCLASS_TYPE \(0x[0-9A-Fa-f]*\).*/\1/p' "$uapi")
registry=$src/Documentation/userspace-api/ioctl/ioctl-number.rst
if [ -n "$magic" ] && [ -f "$registry" ] &&
   ! grep -qiE "^$magic[[:space:]]" "$registry"; then
	pass "uapi: ioctl type $magic is free in the kernel's ioctl-number list"
else
	fail "uapi: ioctl type ${magic:-?} is free in the kernel's ioctl-number list"
fi

# sparse on every file of the module, against Debian's 6.12 headers.
kd=$("$PARCLASS_TOP/scripts/debian-kernel.sh" 6.12) ||
	{ fail "sparse: Debian 6.12 headers unavailable"; exit 0; }
copy=$run/src
copy_sources "$copy"
make -C "$(readlink -f "$kd/kdir")" M="$copy" C=2 modules \
	>"$run/sparse.log" 2>&1
rc=$?
if [ "$rc" = 0 ] && grep -q 'CHECK' "$run/sparse.log" &&
   ! grep -qiE 'warning:|error:' "$run/sparse.log"; then
	pass "sparse (C=2): clean"
else
	grep -iE 'warning:|error:' "$run/sparse.log" | head -n 30 >&2
	fail "sparse (C=2): clean"
fi
