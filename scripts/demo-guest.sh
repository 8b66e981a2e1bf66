#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The narrated session "make demo" runs in the guest.

say() {
	printf '\n### %s\n' "$*"
}
show() {
	printf '$ %s\n' "$*"
	"$@"
	rc=$?
	[ "$rc" = 0 ] || printf '(exit code %s)\n' "$rc"
}

say "The ports parclass sees, who holds them and who waits"
show parclassctl list

say "What CONNECT reports about LPT1"
show parclassctl info LPT1

say "A C program: connect, allocate, print a text file, free, disconnect; then the dead token; then the same through the Windows-shaped layer"
show parclass-example 0 /job/hello.txt

say "Contention: another client holds LPT1 for 2 s"
parclassctl hold LPT1 --for 2 &
sleep 1
show parclassctl status LPT1
show parclassctl print LPT1 /job/hello.txt --timeout 0.5
wait

say "Machine-readable: parclassctl status --json"
show parclassctl status LPT1 --json
