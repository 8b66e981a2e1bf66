#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-2.0
#
# vm-run.sh KERNEL INITRD OUTDIR [TIMEOUT_S] [SMP]: boot one test guest
# under QEMU (TCG) with two emulated parallel ports and wait for it.
#   OUTDIR/console.log  the kernel console (ttyS0)
#   OUTDIR/results.txt  the guest's report (ttyS1, see guest-init.sh)
#   OUTDIR/lpt-0x378.out, OUTDIR/lpt-0x278.out  bytes each port emitted
#   OUTDIR/qemu.status  QEMU's exit status, 124 if the guest timed out
set -uo pipefail

kernel=$1 initrd=$2 out=$3 limit=${4:-300} smp=${5:-1}
mkdir -p "$out"
rm -f "$out"/console.log "$out"/results.txt "$out"/lpt-*.out
: >"$out/lpt-0x378.out"
: >"$out/lpt-0x278.out"

timeout --kill-after=10 "$limit" qemu-system-x86_64 \
	-machine pc -m 1024 -smp "$smp" \
	-nodefaults -display none -no-reboot \
	-kernel "$kernel" -initrd "$initrd" \
	-append "console=ttyS0 panic=-1 oops=panic" \
	-serial "file:$out/console.log" \
	-serial "file:$out/results.txt" \
	-chardev "file,id=lpt0,path=$out/lpt-0x378.out" \
	-device isa-parallel,index=0,iobase=0x378,irq=7,chardev=lpt0 \
	-chardev "file,id=lpt1,path=$out/lpt-0x278.out" \
	-device isa-parallel,index=1,iobase=0x278,irq=5,chardev=lpt1 \
	</dev/null >"$out/qemu.log" 2>&1
echo $? >"$out/qemu.status"
