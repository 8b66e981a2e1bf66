// SPDX-License-Identifier: GPL-2.0
/*
 * Host-side unit tests of the user-space tools, printing TAP: the
 * errno -> NTSTATUS table, the Windows layer's answers that need no
 * kernel, parclassctl's command-line parsing, and the CUPS backend's
 * URIs, make-and-model, quoting and printer-state-reasons.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <parclass/libparclass.h>
#include <parclass/parclass_win.h>

#include "args.h"
#include "backend_util.h"

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
	{ ECANCELED, STATUS_CANCELLED, "ECANCELED -> STATUS_CANCELLED" },
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
	{ ENODATA, STATUS_IO_DEVICE_ERROR, "ENODATA -> STATUS_IO_DEVICE_ERROR" },
	{ ERANGE, STATUS_BUFFER_TOO_SMALL, "ERANGE -> STATUS_BUFFER_TOO_SMALL" },
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
	check(IOCTL_PAR_QUERY_DEVICE_ID == 0x16000C &&
	      IOCTL_PAR_QUERY_DEVICE_ID_SIZE == 0x160010 &&
	      IOCTL_PAR_QUERY_RAW_DEVICE_ID == 0x160030,
	      "control code: %s",
	      "QUERY_DEVICE_ID 0x16000C, _SIZE 0x160010, RAW 0x160030");
	check(sizeof(PAR_DEVICE_ID_SIZE_INFORMATION) == 4,
	      "structure: %s", "PAR_DEVICE_ID_SIZE_INFORMATION is a ULONG");
	check(IOCTL_IEEE1284_GET_MODE == 0x160014 &&
	      IOCTL_IEEE1284_NEGOTIATE == 0x160018 &&
	      IOCTL_PAR_SET_WRITE_ADDRESS == 0x16001C &&
	      IOCTL_PAR_SET_READ_ADDRESS == 0x160020 &&
	      IOCTL_PAR_GET_DEVICE_CAPS == 0x160024 &&
	      IOCTL_PAR_PING == 0x16002C &&
	      IOCTL_PAR_ECP_HOST_RECOVERY == 0x160034 &&
	      IOCTL_PAR_GET_READ_ADDRESS == 0x160038 &&
	      IOCTL_PAR_GET_WRITE_ADDRESS == 0x16003C &&
	      IOCTL_INTERNAL_DISCONNECT_IDLE == 0x160080,
	      "control code: %s",
	      "the IEEE 1284 mode requests, ntddpar.h's numbers");
	check(sizeof(PARCLASS_NEGOTIATION_MASK) == 4 &&
	      PARCLASS_MODE_NIBBLE == PARCLASS_1284_NIBBLE &&
	      PARCLASS_MODE_BYTE_BIDIR == PARCLASS_1284_BYTE_BIDIR &&
	      PARCLASS_MODE_EPP_SW == PARCLASS_1284_EPP_SW &&
	      PARCLASS_MODE_ECP_SW == PARCLASS_1284_ECP_SW &&
	      PARCLASS_MODE_ECP_ANY == 0x780 && PARCLASS_MODE_EPP_ANY == 0x60,
	      "structure: %s",
	      "PARCLASS_NEGOTIATION_MASK is two USHORTs, the mode bits ntddpar.h's");
}

/* The Windows layer's completions that need no kernel. */
static void test_win_no_kernel(void)
{
	PARCLASS_PORT_ACCESS acc = { 0x378, 0, 0, { 0 } };
	PARCLASS_HANDLE h = NULL;
	uint32_t done = 7;
	IO_STATUS_BLOCK io;
	uint8_t v = 0;
	NTSTATUS st;

	memset(&io, 0xa5, sizeof(io));
	st = ParclassDeviceIoControl(NULL, IOCTL_INTERNAL_PARCLASS_CONNECT,
				     NULL, 0, NULL, 0, &io);
	check(st == STATUS_INVALID_HANDLE && io.Status == st &&
	      io.Information == 0, "windows layer: %s",
	      "a NULL handle completes with STATUS_INVALID_HANDLE, Information 0");
	memset(&io, 0xa5, sizeof(io));
	st = ParclassUserDeviceIoControl(NULL, IOCTL_PAR_QUERY_DEVICE_ID,
					 NULL, 0, NULL, 0, &io);
	check(st == STATUS_INVALID_HANDLE && io.Status == st &&
	      io.Information == 0, "windows layer: %s",
	      "a user-mode request on a NULL handle: STATUS_INVALID_HANDLE");
	check(ParclassParallelRead(NULL, 1, &v, 1, &done, 0) ==
	      STATUS_INVALID_HANDLE && done == 0 &&
	      ParclassParallelWrite(NULL, 1, &v, 1, NULL, 0) ==
	      STATUS_INVALID_HANDLE &&
	      ParclassNegotiateIeeeMode(NULL, 1, 1, 4, SAFE_MODE, 0) ==
	      STATUS_INVALID_HANDLE &&
	      ParclassTerminateIeeeMode(NULL, 1) == STATUS_INVALID_HANDLE &&
	      ParclassIeeeFwdToRevMode(NULL, 1) == STATUS_INVALID_HANDLE &&
	      ParclassIeeeRevToFwdMode(NULL, 1) == STATUS_INVALID_HANDLE,
	      "windows layer: %s",
	      "the mode routines on a NULL handle: STATUS_INVALID_HANDLE");
	check(ParclassWaitAllocate(NULL, 0) == STATUS_INVALID_HANDLE &&
	      ParclassCancelAllocate(NULL) == STATUS_INVALID_HANDLE &&
	      ParclassEventFd(NULL) == -1 &&
	      ParclassQueryInterruptCount(NULL, &done) ==
	      STATUS_INVALID_HANDLE &&
	      ParclassTrySetChipMode(NULL, 1, ECR_ECP_MODE) ==
	      STATUS_INVALID_HANDLE &&
	      ParclassClearChipMode(NULL, 1, ECR_ECP_MODE) ==
	      STATUS_INVALID_HANDLE,
	      "windows layer: %s",
	      "the port-side routines on a NULL handle: STATUS_INVALID_HANDLE");
	check(ParclassOpenName(NULL, &h) == STATUS_OBJECT_NAME_INVALID &&
	      ParclassOpenName("LPT0", &h) == STATUS_OBJECT_NAME_INVALID &&
	      ParclassOpenName("LPT1.4", &h) == STATUS_OBJECT_NAME_INVALID &&
	      ParclassOpenName("LPT1.", &h) == STATUS_OBJECT_NAME_INVALID &&
	      ParclassOpenName("LPT1.12", &h) == STATUS_OBJECT_NAME_INVALID &&
	      ParclassOpenName("COM1", &h) == STATUS_OBJECT_NAME_INVALID &&
	      ParclassOpenName("LPTx", &h) == STATUS_OBJECT_NAME_INVALID,
	      "windows layer: %s",
	      "ParclassOpenName refuses names other than LPTn and LPTn.m");
	check(sizeof(PARALLEL_CHIP_MODE) == 2 &&
	      sizeof(PARALLEL_1284_COMMAND) == 8 &&
	      IOCTL_INTERNAL_PARALLEL_SET_CHIP_MODE == 0x16004C &&
	      IOCTL_INTERNAL_INIT_1284_3_BUS == 0x160058 &&
	      IOCTL_INTERNAL_SELECT_DEVICE == 0x16005C &&
	      IOCTL_INTERNAL_LOCK_PORT == 0x160094 &&
	      IOCTL_INTERNAL_UNLOCK_PORT_NO_DESELECT == 0x1600D4 &&
	      IOCTL_INTERNAL_PARALLEL_CONNECT_INTERRUPT == 0x160034,
	      "structure: %s",
	      "PARALLEL_CHIP_MODE, PARALLEL_1284_COMMAND and the port-side codes");
	check(ParclassReadPortUchar(NULL, 0x378, &v) == STATUS_INVALID_HANDLE &&
	      ParclassWritePortUchar(NULL, 0x378, 0) == STATUS_INVALID_HANDLE &&
	      ParclassAccessPorts(NULL, &acc, 1, &done) ==
	      STATUS_INVALID_HANDLE && done == 0,
	      "windows layer: %s",
	      "register access on a NULL handle: STATUS_INVALID_HANDLE");
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
	{ { "status", "1", "--timeout", "2", "--json" }, 1, PCCTL_CMD_STATUS,
	  1, 1, 2000000000ULL, 0, "status 1 --timeout 2 --json" },
	{ { "device-id", "LPT3" }, 1, PCCTL_CMD_DEVICE_ID, 2, 0, 0, 0,
	  "device-id LPT3" },
	{ { "device-id", "2", "--json", "--timeout", ".5" }, 1,
	  PCCTL_CMD_DEVICE_ID, 2, 1, 500000000ULL, 0,
	  "device-id 2 --json --timeout .5" },
	{ { "device-id" }, 0, 0, 0, 0, 0, 0, "device-id without a port" },
	{ { "device-id", "0", "--raw", "--json" }, 0, 0, 0, 0, 0, 0,
	  "device-id --raw with --json is refused" },
	{ { "device-id", "0", "--daisy", "4" }, 0, 0, 0, 0, 0, 0,
	  "--daisy 4 is past the chain's addresses" },
	{ { "device-id", "0", "--daisy", "x" }, 0, 0, 0, 0, 0, 0,
	  "--daisy x is no address" },
	{ { "device-id", "0", "--daisy", "-1" }, 0, 0, 0, 0, 0, 0,
	  "--daisy -1 is no address" },
	{ { "device-id", "0", "--daisy" }, 0, 0, 0, 0, 0, 0,
	  "--daisy without a value" },
	{ { "status", "0", "--raw" }, 0, 0, 0, 0, 0, 0,
	  "--raw outside device-id" },
	{ { "list", "--daisy", "0" }, 0, 0, 0, 0, 0, 0,
	  "--daisy outside device-id" },
	{ { "info", "0", "--timeout", "1" }, 0, 0, 0, 0, 0, 0,
	  "--timeout on info" },
	{ { "negotiate", "LPT3", "ecp,nibble" }, 1, PCCTL_CMD_NEGOTIATE, 2, 0,
	  0, 0, "negotiate LPT3 ecp,nibble" },
	{ { "negotiate", "1", "nibble", "--json", "--timeout", "2" }, 1,
	  PCCTL_CMD_NEGOTIATE, 1, 1, 2000000000ULL, 0,
	  "negotiate 1 nibble --json --timeout 2" },
	{ { "negotiate", "0" }, 0, 0, 0, 0, 0, 0, "negotiate without a mode" },
	{ { "negotiate", "0", "compat" }, 0, 0, 0, 0, 0, 0,
	  "negotiate compat: no such mode" },
	{ { "negotiate", "0", "ecp," }, 0, 0, 0, 0, 0, 0,
	  "a mode list ending in a comma" },
	{ { "negotiate", "0", "ecp", "--mode", "epp" }, 0, 0, 0, 0, 0, 0,
	  "--mode on negotiate" },
	{ { "read", "0" }, 1, PCCTL_CMD_READ, 0, 0, 0, 0, "read 0" },
	{ { "read", "parport2", "--mode", "byte", "--count", "10" }, 1,
	  PCCTL_CMD_READ, 2, 0, 0, 0, "read parport2 --mode byte --count 10" },
	{ { "read", "LPT1", "--timeout", "1" }, 1, PCCTL_CMD_READ, 0, 0,
	  1000000000ULL, 0, "read LPT1 --timeout 1" },
	{ { "read", "0", "--mode", "ecp,nibble" }, 0, 0, 0, 0, 0, 0,
	  "read --mode takes one mode" },
	{ { "read", "0", "--json" }, 0, 0, 0, 0, 0, 0, "--json on read" },
	{ { "read", "0", "--count", "0" }, 0, 0, 0, 0, 0, 0, "--count 0" },
	{ { "read", "0", "--count", "x" }, 0, 0, 0, 0, 0, 0, "--count x" },
	{ { "read", "0", "--count" }, 0, 0, 0, 0, 0, 0,
	  "--count without a value" },
	{ { "print", "0", "f", "--mode", "ecp" }, 1, PCCTL_CMD_PRINT, 0, 0, 0,
	  0, "print 0 f --mode ecp" },
	{ { "print", "0", "f", "--mode", "nibble" }, 0, 0, 0, 0, 0, 0,
	  "print --mode nibble: no write mode" },
	{ { "status", "0", "--mode", "ecp" }, 0, 0, 0, 0, 0, 0,
	  "--mode on status" },
	{ { "status", "0", "--count", "1" }, 0, 0, 0, 0, 0, 0,
	  "--count on status" },
	{ { "wait-irq", "LPT2" }, 1, PCCTL_CMD_WAIT_IRQ, 1, 0, 0, 0,
	  "wait-irq LPT2" },
	{ { "wait-irq", "0", "--count", "3", "--timeout", "2", "--json" }, 1,
	  PCCTL_CMD_WAIT_IRQ, 0, 1, 2000000000ULL, 0,
	  "wait-irq 0 --count 3 --timeout 2 --json" },
	{ { "wait-irq" }, 0, 0, 0, 0, 0, 0, "wait-irq without a port" },
	{ { "wait-irq", "0", "--count", "0" }, 0, 0, 0, 0, 0, 0,
	  "wait-irq --count 0" },
	{ { "wait-irq", "0", "--mode", "ecp" }, 0, 0, 0, 0, 0, 0,
	  "--mode on wait-irq" },
	{ { "wait-irq", "0", "--for", "1" }, 0, 0, 0, 0, 0, 0,
	  "--for on wait-irq" },
	{ { "info", "LPT1.2" }, 1, PCCTL_CMD_INFO, 0, 0, 0, 0,
	  "info LPT1.2 is port 0" },
	{ { "info", "LPT1.4" }, 0, 0, 0, 0, 0, 0,
	  "LPT1.4 is past the chain's addresses" },
	{ { "info", "LPT1." }, 0, 0, 0, 0, 0, 0, "LPT1. is no device" },
	{ { "info", "LPT1.x" }, 0, 0, 0, 0, 0, 0, "LPT1.x is no device" },
	{ { "info", "LPT0.1" }, 0, 0, 0, 0, 0, 0, "LPT0.1 is no device" },
	{ { "info", "LPT1.1.1" }, 0, 0, 0, 0, 0, 0, "LPT1.1.1 is no device" },
	{ { "device-id", "LPT1.1", "--daisy", "1" }, 0, 0, 0, 0, 0, 0,
	  "--daisy with a chain device's name is refused" },
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

/* device-id's own options land in their fields. */
static void test_parse_device_id(void)
{
	char *full[] = { "parclassctl", "device-id", "LPT1", "--raw",
			 "--daisy", "3", "--timeout", "0", NULL };
	char *bare[] = { "parclassctl", "device-id", "1", NULL };
	struct pcctl_args a;
	char err[160];

	check(!pcctl_parse(8, full, &a, err, sizeof(err)) &&
	      a.cmd == PCCTL_CMD_DEVICE_ID && a.port == 0 && a.raw &&
	      a.has_daisy && a.daisy == 3 && a.has_timeout && !a.timeout_ns,
	      "parclassctl args: %s", "device-id LPT1 --raw --daisy 3 --timeout 0");
	check(!pcctl_parse(3, bare, &a, err, sizeof(err)) && a.port == 1 &&
	      !a.raw && !a.has_daisy && !a.daisy && !a.has_timeout,
	      "parclassctl args: %s", "device-id 1 has no --raw, --daisy or --timeout");
}

/* Daisy-chain device names, and wait-irq's count. */
static void test_parse_daisy(void)
{
	static const struct {
		const char *s;
		int ok;
		uint32_t port;
		bool on_daisy;
		uint32_t daisy;
	} names[] = {
		{ "LPT1.2", 0, 0, true, 2 },
		{ "lpt3.0", 0, 2, true, 0 },
		{ "parport1.3", 0, 1, true, 3 },
		{ "2.1", 0, 2, true, 1 },
		{ "LPT2", 0, 1, false, 0 },
		{ "7", 0, 7, false, 0 },
		{ "LPT1.4", -1, 0, false, 0 },
		{ "LPT1.-1", -1, 0, false, 0 },
		{ ".1", -1, 0, false, 0 },
		{ "LPT1.", -1, 0, false, 0 },
	};
	char *wait[] = { "parclassctl", "wait-irq", "LPT1.1", NULL };
	char *dev[] = { "parclassctl", "status", "parport2.3", NULL };
	struct pcctl_args a;
	char err[160], what[64];
	uint32_t port, daisy;
	bool on;
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int ret = pcctl_parse_device(names[i].s, &port, &on, &daisy);

		snprintf(what, sizeof(what), "device name '%s'", names[i].s);
		check(ret == names[i].ok &&
		      (ret || (port == names[i].port &&
			       on == names[i].on_daisy &&
			       daisy == names[i].daisy)),
		      "parclassctl args: %s", what);
	}
	check(!pcctl_parse(3, wait, &a, err, sizeof(err)) &&
	      a.cmd == PCCTL_CMD_WAIT_IRQ && a.port == 0 && a.on_daisy &&
	      a.port_daisy == 1 && a.count == 1 && !a.has_count &&
	      !a.has_timeout,
	      "parclassctl args: %s", "wait-irq LPT1.1 waits for 1 interrupt");
	check(!pcctl_parse(3, dev, &a, err, sizeof(err)) &&
	      a.cmd == PCCTL_CMD_STATUS && a.port == 2 && a.on_daisy &&
	      a.port_daisy == 3 && !a.has_daisy,
	      "parclassctl args: %s", "status parport2.3 names chain device 3");
}

/* The modes negotiate, read and print --mode ask for. */
static void test_parse_modes(void)
{
	char *neg[] = { "parclassctl", "negotiate", "0", "ecp,nibble", NULL };
	char *rd[] = { "parclassctl", "read", "0", NULL };
	char *rd_epp[] = { "parclassctl", "read", "0", "--mode", "EPP", NULL };
	char *pr[] = { "parclassctl", "print", "0", "-", "--mode", "epp", NULL };
	char *pr0[] = { "parclassctl", "print", "0", "-", NULL };
	uint32_t r = 0, w = 0;
	struct pcctl_args a;
	char err[160];

	check(!pcctl_parse(4, neg, &a, err, sizeof(err)) && a.has_mode &&
	      !strcmp(a.mode, "ecp,nibble") &&
	      a.read_mask == (PARCLASS_1284_ECP_SW | PARCLASS_1284_NIBBLE) &&
	      a.write_mask == (PARCLASS_1284_ECP_SW | PARCLASS_1284_CENTRONICS),
	      "parclassctl modes: %s",
	      "negotiate ecp,nibble reads ECP or nibble, writes ECP or CENTRONICS");
	check(!pcctl_parse(3, rd, &a, err, sizeof(err)) &&
	      !strcmp(a.mode, "nibble") &&
	      a.read_mask == PARCLASS_1284_NIBBLE && !a.write_mask &&
	      !a.has_count,
	      "parclassctl modes: %s", "read without --mode reads nibble");
	check(!pcctl_parse(5, rd_epp, &a, err, sizeof(err)) &&
	      a.read_mask == PARCLASS_1284_EPP_SW && !a.write_mask,
	      "parclassctl modes: %s", "read --mode EPP (any case)");
	check(!pcctl_parse(6, pr, &a, err, sizeof(err)) && a.has_mode &&
	      !a.read_mask && a.write_mask == PARCLASS_1284_EPP_SW,
	      "parclassctl modes: %s", "print --mode epp writes EPP");
	check(!pcctl_parse(4, pr0, &a, err, sizeof(err)) && !a.has_mode &&
	      !a.read_mask && !a.write_mask,
	      "parclassctl modes: %s", "print without --mode: no mode");
	check(!pcctl_parse_modes("byte,epp", true, &r, &w) &&
	      r == (PARCLASS_1284_BYTE_BIDIR | PARCLASS_1284_EPP_SW) &&
	      w == PARCLASS_1284_EPP_SW &&
	      pcctl_parse_modes("nibble,byte", false, &r, &w) == -1 &&
	      pcctl_parse_modes("", true, &r, &w) == -1 &&
	      pcctl_parse_modes("ecp,,epp", true, &r, &w) == -1 &&
	      pcctl_parse_modes("nibbles", true, &r, &w) == -1,
	      "parclassctl modes: %s",
	      "mode lists: names, commas, nothing else");
}

/* pcctl_json_bytes() on @len bytes of @in gives @want. */
static void check_json(const char *in, size_t len, const char *want,
		       bool want_valid, const char *name)
{
	char *out = NULL;
	size_t out_len = 0;
	bool valid = !want_valid;
	FILE *f = open_memstream(&out, &out_len);

	if (f) {
		valid = pcctl_json_bytes(f, in, len);
		fclose(f);
	}
	check(out && !strcmp(out, want) && valid == want_valid,
	      "parclassctl JSON string: %s", name);
	free(out);
}

static void test_json_bytes(void)
{
	check_json("MFG:Acme;", 9, "\"MFG:Acme;\"", true, "ASCII as is");
	check_json("a\"b\\c/", 6, "\"a\\\"b\\\\c/\"", true,
		   "quote and backslash escaped");
	check_json("\x01\n\x1f\x7f", 4, "\"\\u0001\\u000a\\u001f\\u007f\"",
		   true, "control characters as \\u00XX");
	check_json("a\0b", 3, "\"a\\u0000b\"", true, "a NUL inside");
	check_json("\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", 9,
		   "\"\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"", true,
		   "UTF-8 of 2, 3 and 4 bytes passes through");
	check_json("\xe9t\xe9", 3, "\"\\u00e9t\\u00e9\"", false,
		   "ISO 8859-1 bytes as \\u00XX");
	check_json("\xff", 1, "\"\\u00ff\"", false, "0xff");
	check_json("x\xc3", 2, "\"x\\u00c3\"", false, "a cut sequence at the end");
	check_json("\xc3x", 2, "\"\\u00c3x\"", false,
		   "a lead byte without its continuation");
	check_json("\xc0\xaf", 2, "\"\\u00c0\\u00af\"", false, "an overlong form");
	check_json("\xed\xa0\x80", 3, "\"\\u00ed\\u00a0\\u0080\"", false,
		   "a surrogate");
	check_json("\xf4\x90\x80\x80", 4,
		   "\"\\u00f4\\u0090\\u0080\\u0080\"", false, "past U+10FFFF");
	check_json("\x80", 1, "\"\\u0080\"", false, "a lone continuation byte");
}

/* The fields pcctl_id_next_field() finds, as "KEY=VALUE|" each. */
static void check_fields(const char *id, const char *want, const char *name)
{
	char got[512] = "";
	struct pcctl_id_field f;
	size_t pos = 0, n = 0;

	while (pcctl_id_next_field(id, strlen(id), &pos, &f) &&
	       n < sizeof(got) - 1)
		n += snprintf(got + n, sizeof(got) - n, "%.*s=%.*s|",
			      (int)f.key_len, f.key, (int)f.value_len, f.value);
	check(!strcmp(got, want), "parclassctl device-ID fields: %s", name);
	if (strcmp(got, want))
		printf("# got '%s', want '%s'\n", got, want);
}

static void test_id_fields(void)
{
	check_fields("MFG:Acme;MDL:Jet 1;CMD:PCL;CLS:PRINTER;",
		     "MFG=Acme|MDL=Jet 1|CMD=PCL|CLS=PRINTER|", "short keys");
	check_fields("MANUFACTURER:Acme;COMMAND SET:PCL,PJL;MODEL:X",
		     "MANUFACTURER=Acme|COMMAND SET=PCL,PJL|MODEL=X|",
		     "long keys, a space inside, no final semicolon");
	check_fields(" MFG :Acme;\r\nMDL:Jet;", "MFG=Acme|MDL=Jet|",
		     "blanks around a key dropped");
	check_fields("DES:a:b ;junk;:novalue;;EMPTY:;",
		     "DES=a:b |EMPTY=|",
		     "the first colon splits; no colon or no key: skipped");
	check_fields("", "", "an empty ID has no field");
}

/* The CUPS backend's device URIs. */
static void test_cups_uri(void)
{
	static const struct {
		const char *uri;
		int ok;
		uint32_t port;
		int daisy;
	} rows[] = {
		{ "parclass:/LPT1", 0, 0, -1 },
		{ "parclass:/lpt3", 0, 2, -1 },
		{ "parclass:LPT2", 0, 1, -1 },
		{ "parclass://LPT12", 0, 11, -1 },
		{ "PARCLASS:/LPT4096", 0, 4095, -1 },
		{ "parclass:/LPT1.2", 0, 0, 2 },
		{ "parclass:/LPT2.0", 0, 1, 0 },
		{ "parclass:/lpt12.3", 0, 11, 3 },
		{ "parclass:/LPT0", -1, 0, 0 },
		{ "parclass:/LPT01", -1, 0, 0 },
		{ "parclass:/LPT4097", -1, 0, 0 },
		{ "parclass:/LPT1.4", -1, 0, 0 },
		{ "parclass:/LPT1.02", -1, 0, 0 },
		{ "parclass:/LPT1.", -1, 0, 0 },
		{ "parclass:/LPT1.-1", -1, 0, 0 },
		{ "parclass:/LPT1.2x", -1, 0, 0 },
		{ "parclass:/LPT1.2.1", -1, 0, 0 },
		{ "parclass:/LPT", -1, 0, 0 },
		{ "parclass:/COM1", -1, 0, 0 },
		{ "parallel:/dev/lp0", -1, 0, 0 },
		{ "parclass:////LPT1", -1, 0, 0 },
		{ "", -1, 0, 0 },
	};
	char what[64];
	uint32_t port;
	size_t i;
	int daisy;

	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		int ret;

		port = 12345;
		daisy = 12345;
		ret = pcb_parse_uri(rows[i].uri, &port, &daisy);
		snprintf(what, sizeof(what), "'%s' %s", rows[i].uri,
			 rows[i].ok ? "refused" : "taken");
		check(ret == rows[i].ok &&
		      (ret || (port == rows[i].port && daisy == rows[i].daisy)),
		      "cups backend URI: %s", what);
	}
	check(pcb_parse_uri(NULL, &port, &daisy) == -1, "cups backend URI: %s",
	      "NULL refused");
}

static void check_mm(const char *id, const char *want, const char *name)
{
	char got[64];

	pcb_make_model(id, got, sizeof(got));
	check(!strcmp(got, want), "cups backend make-and-model: %s", name);
	if (strcmp(got, want))
		printf("# got '%s', want '%s'\n", got, want);
}

/* make-and-model, quoting and the reasons of each simulated fault. */
static void test_cups_strings(void)
{
	static const struct {
		uint8_t status, raw;
		unsigned int reasons;
		const char *name;
	} st[] = {
		{ PARCLASS_PARALLEL_SELECTED, 0xd8, 0, "healthy idle (0xd8)" },
		{ PARCLASS_PARALLEL_PAPER_EMPTY | PARCLASS_PARALLEL_SELECTED,
		  0xf0, PCB_REASON_MEDIA_EMPTY, "paper out (0xf0)" },
		{ 0, 0xc0, PCB_REASON_OFFLINE, "off line (0xc0)" },
		{ PARCLASS_PARALLEL_SELECTED, 0xd0, PCB_REASON_OTHER,
		  "nFault low (0xd0)" },
		{ PARCLASS_PARALLEL_BUSY | PARCLASS_PARALLEL_SELECTED, 0x58, 0,
		  "busy only (0x58): not stopped" },
		{ PARCLASS_PARALLEL_POWER_OFF, 0x80, PCB_REASON_OFFLINE,
		  "powered off (0x80)" },
		{ PARCLASS_PARALLEL_POWER_OFF | PARCLASS_PARALLEL_BUSY |
		  PARCLASS_PARALLEL_SELECTED, 0x78, PCB_REASON_OFFLINE,
		  "no cable (0x78)" },
		{ PARCLASS_PARALLEL_PAPER_EMPTY, 0xe0,
		  PCB_REASON_MEDIA_EMPTY | PCB_REASON_OFFLINE,
		  "paper out and off line (0xe0)" },
	};
	char got[32], id[16];
	size_t i;

	check_mm("MFG:Acme;MDL:Jet 1;CMD:PCL;", "Acme Jet 1", "MFG and MDL");
	check_mm("MANUFACTURER: HP ;MODEL:LaserJet 4;", "HP LaserJet 4",
		 "MANUFACTURER and MODEL, blanks dropped");
	check_mm("MFG:HP;MDL:HP LaserJet;", "HP LaserJet",
		 "a model that starts with the make");
	check_mm("mdl:Only;", "Only", "the model alone (keys in any case)");
	check_mm("MFG:Acme;MDL:;", "Acme", "an empty model: the make alone");
	check_mm("", "Unknown", "no ID");
	check_mm(NULL, "Unknown", "NULL");
	check_mm("CMD:PCL;CLS:PRINTER;", "Unknown", "no MFG nor MDL");
	pcb_quote("a\"b\\c\td  ", got, sizeof(got));
	check(!strcmp(got, "a'b/c d"), "cups backend quoting: %s",
	      "quotes, backslashes, controls, trailing blanks");
	pcb_quote("0123456789abcdefXYZ", id, sizeof(id));
	check(!strcmp(id, "0123456789abcde"), "cups backend quoting: %s",
	      "cut to fit");
	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++)
		check(pcb_reasons(st[i].status, st[i].raw) == st[i].reasons,
		      "cups backend printer-state-reasons: %s", st[i].name);
	check(!strcmp(pcb_reason_name(PCB_REASON_MEDIA_EMPTY),
		      "media-empty-error") &&
	      !strcmp(pcb_reason_name(PCB_REASON_OFFLINE), "offline-report") &&
	      !strcmp(pcb_reason_name(PCB_REASON_OTHER), "other") &&
	      !pcb_reason_name(0) && !pcb_reason_name(1U << PCB_REASON_COUNT),
	      "cups backend printer-state-reasons: %s", "keywords");
}

static void test_cups_side_channel(void)
{
	static const unsigned char good[] = { 4, 0, 0, 0 };
	static const unsigned char snmp[] = { 6, 0, 0, 3, 'a', 'b', 'c' };
	static const struct {
		unsigned char msg[6];
		size_t len;
		const char *name;
	} bad[] = {
		{ { 4, 0, 0 }, 3, "shorter than the header" },
		{ { 0, 0, 0, 0 }, 4, "command 0" },
		{ { 9, 0, 0, 0 }, 4, "command past CUPS' last" },
		{ { 4, 0, 0, 3, 'x' }, 5, "data shorter than its length" },
		{ { 4, 0, 1, 0 }, 4, "a length of 256 with no data" },
	};
	static const struct {
		uint8_t status, raw;
		unsigned int state;
		const char *name;
	} st[] = {
		{ PARCLASS_PARALLEL_SELECTED, 0xd8, PCB_SC_STATE_ONLINE,
		  "healthy idle: online" },
		{ PARCLASS_PARALLEL_BUSY | PARCLASS_PARALLEL_SELECTED, 0x58,
		  PCB_SC_STATE_ONLINE | PCB_SC_STATE_BUSY, "busy: online, busy" },
		{ PARCLASS_PARALLEL_PAPER_EMPTY | PARCLASS_PARALLEL_SELECTED,
		  0xf0, PCB_SC_STATE_ONLINE | PCB_SC_STATE_MEDIA_EMPTY,
		  "paper out: online, media empty" },
		{ 0, 0xc0, PCB_SC_STATE_OFFLINE, "off line: offline" },
		{ PARCLASS_PARALLEL_SELECTED, 0xd0,
		  PCB_SC_STATE_ONLINE | PCB_SC_STATE_ERROR,
		  "nFault low: online, error" },
	};
	unsigned char out[PCB_SC_HEADER + 8];
	static unsigned char big[PCB_SC_MAX_MSG], src[PCB_SC_MAX_DATA + 8];
	unsigned int cmd = 99;
	size_t len = 99, i;

	check(!pcb_sc_parse(good, sizeof(good), &cmd, &len) && cmd == 4 &&
	      !len, "cups side channel: %s", "GET_DEVICE_ID parses");
	check(!pcb_sc_parse(snmp, sizeof(snmp), &cmd, &len) && cmd == 6 &&
	      len == 3, "cups side channel: %s", "a request with data parses");
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check(pcb_sc_parse(bad[i].msg, bad[i].len, &cmd, &len) == -1 &&
		      cmd == bad[i].msg[0], "cups side channel: bad: %s",
		      bad[i].name);
	check(pcb_sc_parse(good, 0, &cmd, &len) == -1 && cmd == 0,
	      "cups side channel: %s", "nothing read: bad, command 0");
	check(pcb_sc_reply(out, 5, PCB_SC_STATUS_OK, "\x01", 1) == 5 &&
	      !memcmp(out, "\x05\x01\x00\x01\x01", 5),
	      "cups side channel: %s", "a reply's header and data");
	check(pcb_sc_reply(out, 6, PCB_SC_STATUS_NOT_IMPLEMENTED, NULL, 0) ==
	      4 && !memcmp(out, "\x06\x07\x00\x00", 4),
	      "cups side channel: %s", "a reply without data");
	memset(src, 'i', sizeof(src));
	check(pcb_sc_reply(big, 4, PCB_SC_STATUS_OK, src, sizeof(src)) ==
	      PCB_SC_MAX_MSG && big[2] == 0xff && big[3] == 0xff &&
	      big[PCB_SC_MAX_MSG - 1] == 'i', "cups side channel: %s",
	      "a reply cut to 65535 bytes of data");
	for (i = 0; i < sizeof(st) / sizeof(st[0]); i++)
		check(pcb_sc_state(st[i].status, st[i].raw) == st[i].state,
		      "cups side channel: GET_STATE: %s", st[i].name);
	check(pcb_sc_needs_port(PCB_SC_CMD_SOFT_RESET) &&
	      pcb_sc_needs_port(PCB_SC_CMD_DRAIN_OUTPUT) &&
	      pcb_sc_needs_port(PCB_SC_CMD_GET_DEVICE_ID) &&
	      pcb_sc_needs_port(PCB_SC_CMD_GET_STATE),
	      "cups side channel: %s",
	      "reset, drain, device ID and state wait for the port");
	check(!pcb_sc_needs_port(PCB_SC_CMD_GET_BIDI) &&
	      !pcb_sc_needs_port(PCB_SC_CMD_GET_CONNECTED) &&
	      !pcb_sc_needs_port(PCB_SC_CMD_SNMP_GET) &&
	      !pcb_sc_needs_port(PCB_SC_CMD_SNMP_GET_NEXT) &&
	      !pcb_sc_needs_port(0) && !pcb_sc_needs_port(PCB_SC_CMD_MAX),
	      "cups side channel: %s",
	      "bidi, connected, SNMP and no command are answered at once");
}

int main(void)
{
	printf("TAP version 13\n");
	test_errno_table();
	test_control_codes();
	test_win_no_kernel();
	test_parse();
	test_parse_device_id();
	test_parse_daisy();
	test_parse_modes();
	test_json_bytes();
	test_id_fields();
	test_cups_uri();
	test_cups_strings();
	test_cups_side_channel();
	printf("1..%d\n", n_tests);
	return n_failed ? 1 : 0;
}
