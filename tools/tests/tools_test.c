// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of the user-space tools, printing TAP: the
 * errno -> NTSTATUS table, the Windows layer's answers that need no
 * kernel, and parclassctl's command-line parsing.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <parclass/libparclass.h>
#include <parclass/parclass_win.h>

#include "args.h"

static int n_tests, n_failed;

static void check(int ok, const char *fmt, const char *what)
{
	n_tests++;
	if (!ok)
		n_failed++;
	printf("%sok %d - ", ok ? "" : "not ", n_tests);
	printf(fmt, what);
	putchar('\n');
}

static const struct {
	int err;
	NTSTATUS status;
	const char *name;
} errno_rows[] = {
	{ 0, STATUS_SUCCESS, "0 -> STATUS_SUCCESS" },
	{ ETIMEDOUT, STATUS_DEVICE_BUSY, "ETIMEDOUT -> STATUS_DEVICE_BUSY" },
	{ EAGAIN, STATUS_DEVICE_BUSY, "EAGAIN -> STATUS_DEVICE_BUSY" },
	{ EBUSY, STATUS_DEVICE_BUSY, "EBUSY -> STATUS_DEVICE_BUSY" },
	{ EINTR, STATUS_CANCELLED, "EINTR -> STATUS_CANCELLED" },
	{ ESTALE, STATUS_INVALID_HANDLE, "ESTALE -> STATUS_INVALID_HANDLE" },
	{ ENODEV, STATUS_DEVICE_REMOVED, "ENODEV -> STATUS_DEVICE_REMOVED" },
	{ ENOENT, STATUS_NO_SUCH_DEVICE, "ENOENT -> STATUS_NO_SUCH_DEVICE" },
	{ ENXIO, STATUS_NO_SUCH_DEVICE, "ENXIO -> STATUS_NO_SUCH_DEVICE" },
	{ EINVAL, STATUS_INVALID_PARAMETER, "EINVAL -> STATUS_INVALID_PARAMETER" },
	{ E2BIG, STATUS_INVALID_PARAMETER, "E2BIG -> STATUS_INVALID_PARAMETER" },
	{ ENOTTY, STATUS_INVALID_PARAMETER, "ENOTTY -> STATUS_INVALID_PARAMETER" },
	{ EALREADY, STATUS_INVALID_DEVICE_STATE,
	  "EALREADY -> STATUS_INVALID_DEVICE_STATE" },
	{ EPERM, STATUS_INVALID_DEVICE_STATE,
	  "EPERM -> STATUS_INVALID_DEVICE_STATE" },
	{ ENOMEM, STATUS_INSUFFICIENT_RESOURCES,
	  "ENOMEM -> STATUS_INSUFFICIENT_RESOURCES" },
	{ EMFILE, STATUS_INSUFFICIENT_RESOURCES,
	  "EMFILE -> STATUS_INSUFFICIENT_RESOURCES" },
	{ ENFILE, STATUS_INSUFFICIENT_RESOURCES,
	  "ENFILE -> STATUS_INSUFFICIENT_RESOURCES" },
	{ EFAULT, STATUS_ACCESS_VIOLATION, "EFAULT -> STATUS_ACCESS_VIOLATION" },
	{ EIO, STATUS_IO_DEVICE_ERROR, "EIO -> STATUS_IO_DEVICE_ERROR" },
	{ EPROTO, STATUS_DEVICE_PROTOCOL_ERROR,
	  "EPROTO -> STATUS_DEVICE_PROTOCOL_ERROR" },
	{ EOPNOTSUPP, STATUS_NOT_SUPPORTED, "EOPNOTSUPP -> STATUS_NOT_SUPPORTED" },
	{ EXDEV, STATUS_UNSUCCESSFUL, "EXDEV (unlisted) -> STATUS_UNSUCCESSFUL" },
};

static void test_errno_table(void)
{
	size_t i;

	for (i = 0; i < sizeof(errno_rows) / sizeof(errno_rows[0]); i++) {
		check(ParclassNtStatusFromErrno(errno_rows[i].err) ==
		      errno_rows[i].status &&
		      ParclassNtStatusFromErrno(-errno_rows[i].err) ==
		      errno_rows[i].status,
		      "errno table: %s", errno_rows[i].name);
	}
}

static void test_control_codes(void)
{
	check(IOCTL_INTERNAL_PARCLASS_CONNECT == 0x160078,
	      "control code: %s", "IOCTL_INTERNAL_PARCLASS_CONNECT is 0x160078");
	check(IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE == 0x16002C &&
	      IOCTL_PAR_PING == IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
	      "control code: %s", "ALLOCATE is 0x16002C and shares PAR_PING's number");
	check(IOCTL_INTERNAL_PARALLEL_PORT_FREE == 0x1600A0,
	      "control code: %s", "IOCTL_INTERNAL_PARALLEL_PORT_FREE is 0x1600A0");
	check(IOCTL_PAR_IS_PORT_FREE == 0x160054,
	      "control code: %s", "IOCTL_PAR_IS_PORT_FREE is 0x160054");
}

/* The Windows layer's completions that need no kernel. */
static void test_win_no_kernel(void)
{
	IO_STATUS_BLOCK io;
	NTSTATUS st;

	memset(&io, 0xa5, sizeof(io));
	st = ParclassDeviceIoControl(NULL, IOCTL_INTERNAL_PARCLASS_CONNECT,
				     NULL, 0, NULL, 0, &io);
	check(st == STATUS_INVALID_HANDLE && io.Status == st &&
	      io.Information == 0, "windows layer: %s",
	      "a NULL handle completes with STATUS_INVALID_HANDLE, Information 0");
}

struct parse_case {
	const char *argv[8];
	int ok;
	enum pcctl_cmd cmd;
	uint32_t port;
	int json;
	uint64_t timeout_ns;
	uint64_t hold_ns;
	const char *name;
};

static const struct parse_case parse_cases[] = {
	{ { "list" }, 1, PCCTL_CMD_LIST, 0, 0, 0, 0, "list" },
	{ { "list", "--json" }, 1, PCCTL_CMD_LIST, 0, 1, 0, 0, "list --json" },
	{ { "info", "LPT2" }, 1, PCCTL_CMD_INFO, 1, 0, 0, 0, "info LPT2 is port 1" },
	{ { "info", "lpt1", "--json" }, 1, PCCTL_CMD_INFO, 0, 1, 0, 0,
	  "info lpt1 --json" },
	{ { "status", "parport3" }, 1, PCCTL_CMD_STATUS, 3, 0, 0, 0,
	  "status parport3" },
	{ { "print", "0", "-", "--timeout", "2.5" }, 1, PCCTL_CMD_PRINT, 0, 0,
	  2500000000ULL, 0, "print 0 - --timeout 2.5" },
	{ { "print", "0", "f", "--timeout", ".25" }, 1, PCCTL_CMD_PRINT, 0, 0,
	  250000000ULL, 0, "--timeout .25" },
	{ { "hold", "1", "--for", "3" }, 1, PCCTL_CMD_HOLD, 1, 0, 0,
	  3000000000ULL, "hold 1 --for 3" },
	{ { "version", "--json" }, 1, PCCTL_CMD_VERSION, 0, 1, 0, 0,
	  "version --json" },
	{ { "--help" }, 1, PCCTL_CMD_HELP, 0, 0, 0, 0, "--help" },
	{ { "hold", "1" }, 0, 0, 0, 0, 0, 0, "hold without --for is refused" },
	{ { "list", "--for", "1" }, 0, 0, 0, 0, 0, 0, "--for outside hold" },
	{ { "info" }, 0, 0, 0, 0, 0, 0, "info without a port" },
	{ { "info", "LPT0" }, 0, 0, 0, 0, 0, 0, "LPT0 is no port" },
	{ { "info", "parportx" }, 0, 0, 0, 0, 0, 0, "parportx is no port" },
	{ { "info", "-1" }, 0, 0, 0, 0, 0, 0, "-1 is no port" },
	{ { "info", "99999999999" }, 0, 0, 0, 0, 0, 0, "an overflowing port" },
	{ { "print", "0", "f", "--timeout", "-1" }, 0, 0, 0, 0, 0, 0,
	  "a negative timeout" },
	{ { "print", "0", "f", "--timeout", "1x" }, 0, 0, 0, 0, 0, 0,
	  "a timeout with junk" },
	{ { "print", "0", "f", "--timeout" }, 0, 0, 0, 0, 0, 0,
	  "--timeout without a value" },
	{ { "print", "0", "f", "--timeout", "99999999" }, 0, 0, 0, 0, 0, 0,
	  "a timeout over ten days" },
	{ { "print", "0", "f", "--json" }, 0, 0, 0, 0, 0, 0,
	  "--json on print is refused" },
	{ { "frobnicate" }, 0, 0, 0, 0, 0, 0, "an unknown command" },
	{ { "list", "--bogus" }, 0, 0, 0, 0, 0, 0, "an unknown option" },
	{ { "list", "extra" }, 0, 0, 0, 0, 0, 0, "an extra argument" },
	{ { NULL }, 0, 0, 0, 0, 0, 0, "no command" },
};

static void test_parse(void)
{
	size_t i;

	for (i = 0; i < sizeof(parse_cases) / sizeof(parse_cases[0]); i++) {
		const struct parse_case *c = &parse_cases[i];
		char *argv[10] = { "parclassctl" };
		struct pcctl_args a;
		char err[160] = "";
		int argc = 1, ret, ok;

		while (c->argv[argc - 1])
			argv[argc] = (char *)c->argv[argc - 1], argc++;
		ret = pcctl_parse(argc, argv, &a, err, sizeof(err));
		if (c->ok)
			ok = !ret && a.cmd == c->cmd && a.port == c->port &&
			     a.json == c->json &&
			     a.timeout_ns == c->timeout_ns &&
			     a.hold_ns == c->hold_ns;
		else
			ok = ret == -1 && err[0];
		check(ok, "parclassctl args: %s", c->name);
	}
}

int main(void)
{
	printf("TAP version 13\n");
	test_errno_table();
	test_control_codes();
	test_win_no_kernel();
	test_parse();
	printf("1..%d\n", n_tests);
	return n_failed ? 1 : 0;
}
