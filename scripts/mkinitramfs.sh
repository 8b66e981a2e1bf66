#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# mkinitramfs.sh STAGE OUT: pack the staged guest tree STAGE (laid out by
# lane.sh) with busybox and the guest init into the gzip'ed cpio OUT.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

stage=$1 out=$2
bb=$(command -v busybox || true)
[ -x /bin/busybox ] && bb=/bin/busybox
[ -n "$bb" ] || die "busybox not found (package busybox-static)"

mkdir -p "$stage/bin" "$stage/etc/parclass"
cp "$bb" "$stage/bin/busybox"
install -m 0755 "$PARCLASS_TOP/scripts/guest-init.sh" "$stage/init"
(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) |
	gzip -1 >"$out"
