// SPDX-License-Identifier: GPL-2.0
/*
 * winlayer_test: libparclass's Windows-shaped layer on QEMU's parport0
 * and on simulated ports (parport_sim), checking each request's NTSTATUS
 * and Information as Windows would complete it.
 *
 * The device-ID requests return the configured ID exactly (without or
 * with its length bytes, a NUL after it, Information counting what was
 * written), refuse short buffers with BUFFER_TOO_SMALL and Information
 * 0 leaving them untouched, and give IO_DEVICE_ERROR for a peripheral
 * without an ID, one without IEEE 1284 and QEMU's LPT. The register
 * accesses of ported inpout32-style code reach the port's data, status
 * and control registers at Controller + 0, 1 and 2 and nowhere else.
 * Both run in the handle's own allocation, or one made around them and
 * freed afterwards, ending with DEVICE_BUSY after 500 ms while another
 * client holds the port, which keeps it; a signal during that wait
 * does not cancel them, nor stretch the 500 ms. A handle without a
 * connection leaves no session behind, whatever the request's status; on
 * a port that is not there it gets NO_SUCH_DEVICE, and a connected
 * handle whose port was removed DEVICE_REMOVED.
 *
 * IEEE 1284 modes, on simulated peripherals speaking each set of modes:
 * IEEE1284_NEGOTIATE reaches, for every pair of masks, the modes the
 * reference says Windows reaches (NONE, with SUCCESS, for a mask that
 * gives none), answers masks that are the modes already at once, and
 * leaves the modes with the connection; GET_MODE, the channel addresses
 * (the peripheral sees the ECP channel command and the EPP address
 * cycle), GET_DEVICE_CAPS and its modes not to use, PING, ECP host
 * recovery and DISCONNECT_IDLE, each with its Status and Information.
 * The routines of PARCLASS_INFORMATION negotiate (refused with a mode
 * active), terminate, turn, read and write byte-exactly in every mode,
 * and need the port and a live connection. QEMU's LPT reaches no read
 * mode.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <parclass/libparclass.h>
#include <parclass/parclass_win.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
#include "sim_control.h"

FIXTURE(win) {
	PARCLASS_HANDLE h;
	PARCLASS_INFORMATION pci;
};

FIXTURE_SETUP(win)
{
	IO_STATUS_BLOCK io;

	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(0, &self->h));
	ASSERT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h, IOCTL_INTERNAL_PARCLASS_CONNECT,
					  NULL, 0, &self->pci, sizeof(self->pci),
					  &io));
	ASSERT_EQ(sizeof(self->pci), io.Information);
}

FIXTURE_TEARDOWN(win)
{
	ParclassClose(self->h);
}

TEST(connect_short_buffer_is_buffer_too_small)
{
	PARCLASS_INFORMATION pci;
	PARCLASS_HANDLE h;
	IO_STATUS_BLOCK io;

	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(0, &h));
	io.Information = 77;
	EXPECT_EQ(STATUS_BUFFER_TOO_SMALL,
		  ParclassDeviceIoControl(h, IOCTL_INTERNAL_PARCLASS_CONNECT,
					  NULL, 0, &pci, sizeof(pci) - 1, &io));
	EXPECT_EQ(STATUS_BUFFER_TOO_SMALL, io.Status);
	EXPECT_EQ(0, io.Information);
	ParclassClose(h);
}

TEST(connect_to_missing_port_is_no_such_device)
{
	PARCLASS_INFORMATION pci;
	PARCLASS_HANDLE h;
	IO_STATUS_BLOCK io;

	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(4000, &h));
	EXPECT_EQ(STATUS_NO_SUCH_DEVICE,
		  ParclassDeviceIoControl(h, IOCTL_INTERNAL_PARCLASS_CONNECT,
					  NULL, 0, &pci, sizeof(pci), &io));
	ParclassClose(h);
}

TEST_F(win, connect_reports_the_port)
{
	EXPECT_NE(0, self->pci.Controller);
	EXPECT_EQ(3, self->pci.SpanOfController);
	EXPECT_EQ(PPT_BYTE_PRESENT, self->pci.HardwareCapabilities);
	EXPECT_NE(0, self->pci.ParclassContext);
}

TEST_F(win, port_info_and_location)
{
	PARALLEL_PORT_INFORMATION ppi;
	PARALLEL_PNP_INFORMATION pnp;
	char loc[16];
	IO_STATUS_BLOCK io;

	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_GET_PARALLEL_PORT_INFO,
					  NULL, 0, &ppi, sizeof(ppi), &io));
	EXPECT_EQ(sizeof(ppi), io.Information);
	EXPECT_EQ(self->pci.Controller, ppi.Controller);
	EXPECT_EQ(self->pci.ParclassContext, ppi.Context);

	EXPECT_EQ(STATUS_BUFFER_TOO_SMALL,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_GET_PARALLEL_PORT_INFO,
					  NULL, 0, &ppi, sizeof(ppi) - 8, &io));
	EXPECT_EQ(0, io.Information);

	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_GET_PARALLEL_PNP_INFO,
					  NULL, 0, &pnp, sizeof(pnp), &io));
	EXPECT_EQ(0, strcmp(pnp.PortName, "LPT1"));

	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassUserDeviceIoControl(self->h, IOCTL_PAR_QUERY_LOCATION,
					      NULL, 0, loc, sizeof(loc), &io));
	EXPECT_EQ(5, io.Information);
	EXPECT_EQ(0, strcmp(loc, "LPT1"));
	EXPECT_EQ(STATUS_BUFFER_TOO_SMALL,
		  ParclassUserDeviceIoControl(self->h, IOCTL_PAR_QUERY_LOCATION,
					      NULL, 0, loc, 2, &io));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_RELEASE_PARALLEL_PORT_INFO,
					  NULL, 0, NULL, 0, &io));
	EXPECT_EQ(0, io.Information);
}

static unsigned char is_port_free(PARCLASS_HANDLE h, NTSTATUS *st)
{
	IO_STATUS_BLOCK io;
	unsigned char v = 0xa5;

	*st = ParclassUserDeviceIoControl(h, IOCTL_PAR_IS_PORT_FREE, NULL, 0,
					  &v, sizeof(v), &io);
	if (*st == STATUS_SUCCESS && io.Information != 1)
		*st = STATUS_UNSUCCESSFUL;
	return v;
}

TEST_F(win, allocate_free_and_is_port_free)
{
	IO_STATUS_BLOCK io;
	NTSTATUS st;

	EXPECT_EQ(1, is_port_free(self->h, &st));
	EXPECT_EQ(STATUS_SUCCESS, st);

	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
					  NULL, 0, NULL, 0, &io));
	EXPECT_EQ(0, io.Information);
	EXPECT_EQ(0, is_port_free(self->h, &st));
	EXPECT_EQ(STATUS_SUCCESS, st);
	EXPECT_EQ(0, ParclassQueryNumWaiters(self->h, self->pci.ParclassContext));

	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_FREE,
					  NULL, 0, NULL, 0, &io));
	/* FREE always succeeds on Windows, even when not holding. */
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_FREE,
					  NULL, 0, NULL, 0, &io));
	EXPECT_EQ(1, ParclassTryAllocatePort(self->h, self->pci.ParclassContext));
	ParclassFreePort(self->h, self->pci.ParclassContext);
	EXPECT_EQ(1, is_port_free(self->h, &st));
}

TEST_F(win, allocate_timeout_is_device_busy)
{
	PARCLASS_ALLOCATE_PARAMETERS p = { .TimeoutMs = 200 };
	PARCLASS_INFORMATION pci2;
	PARCLASS_HANDLE h2;
	IO_STATUS_BLOCK io;

	ASSERT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
					  NULL, 0, NULL, 0, &io));
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(0, &h2));
	ASSERT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(h2, IOCTL_INTERNAL_PARCLASS_CONNECT,
					  NULL, 0, &pci2, sizeof(pci2), &io));
	EXPECT_EQ(STATUS_DEVICE_BUSY,
		  ParclassDeviceIoControl(h2,
					  IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
					  &p, sizeof(p), NULL, 0, &io));
	EXPECT_EQ(0, io.Information);
	EXPECT_EQ(0, ParclassTryAllocatePort(h2, pci2.ParclassContext));
	ParclassClose(h2);
}

static void on_usr1(int sig)
{
	(void)sig;
}

TEST_F(win, cancelled_allocate_is_cancelled)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	IO_STATUS_BLOCK io;
	int status;
	pid_t pid;

	ASSERT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
					  NULL, 0, NULL, 0, &io));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		PARCLASS_INFORMATION pci;
		PARCLASS_HANDLE h;
		NTSTATUS st;

		sigaction(SIGUSR1, &sa, NULL);
		alarm(10);
		if (ParclassOpen(0, &h) ||
		    ParclassDeviceIoControl(h, IOCTL_INTERNAL_PARCLASS_CONNECT,
					    NULL, 0, &pci, sizeof(pci), &io))
			_exit(2);
		st = ParclassDeviceIoControl(h,
					     IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
					     NULL, 0, NULL, 0, &io);
		_exit(st == STATUS_CANCELLED ? 0 : 3);
	}
	usleep(500 * 1000);
	kill(pid, SIGUSR1);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST_F(win, dead_handle_is_invalid_handle)
{
	PARALLEL_PORT_INFORMATION ppi;
	IO_STATUS_BLOCK io;

	io.Information = 5;
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARCLASS_DISCONNECT,
					  NULL, 0, NULL, 0, &io));
	EXPECT_EQ(0, io.Information);
	EXPECT_EQ(STATUS_INVALID_HANDLE,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
					  NULL, 0, NULL, 0, &io));
	EXPECT_EQ(STATUS_INVALID_HANDLE,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_GET_PARALLEL_PORT_INFO,
					  NULL, 0, &ppi, sizeof(ppi), &io));
	EXPECT_EQ(STATUS_INVALID_HANDLE,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_FREE,
					  NULL, 0, NULL, 0, &io));
	EXPECT_EQ(STATUS_INVALID_HANDLE,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARCLASS_DISCONNECT,
					  NULL, 0, NULL, 0, &io));
	EXPECT_EQ(0, ParclassTryAllocatePort(self->h, self->pci.ParclassContext));
}

static long long elapsed_ms(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000LL +
	       (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * QUERY_INFORMATION and SET_INFORMATION on a handle that does not hold
 * the port: the layer allocates around the request and frees after.
 */
TEST_F(win, query_and_set_information_allocate_around_the_request)
{
	PAR_QUERY_INFORMATION q = { 0xff };
	PAR_SET_INFORMATION s = { PARALLEL_INIT };
	unsigned char is_free = 0;
	IO_STATUS_BLOCK io;
	PARCLASS_HANDLE h2;

	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassUserDeviceIoControl(self->h,
					      IOCTL_PAR_QUERY_INFORMATION,
					      NULL, 0, &q, sizeof(q), &io));
	EXPECT_EQ(1, io.Information);
	EXPECT_EQ(0, q.Status & (PARALLEL_INIT | PARALLEL_AUTOFEED));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassUserDeviceIoControl(self->h, IOCTL_PAR_SET_INFORMATION,
					      &s, sizeof(s), NULL, 0, &io));
	EXPECT_EQ(0, io.Information);
	/* Freed again afterwards. */
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassUserDeviceIoControl(self->h, IOCTL_PAR_IS_PORT_FREE,
					      NULL, 0, &is_free, 1, &io));
	EXPECT_EQ(1, is_free);

	/* A handle without a connection gets the same. */
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(0, &h2));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassUserDeviceIoControl(h2, IOCTL_PAR_QUERY_INFORMATION,
					      NULL, 0, &q, sizeof(q), &io));
	EXPECT_EQ(1, io.Information);
	ParclassClose(h2);
}

TEST_F(win, query_and_set_information_keep_an_existing_allocation)
{
	PAR_QUERY_INFORMATION q;
	PAR_SET_INFORMATION s = { PARALLEL_INIT };
	unsigned char is_free = 1;
	IO_STATUS_BLOCK io;

	ASSERT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
					  NULL, 0, NULL, 0, &io));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassUserDeviceIoControl(self->h,
					      IOCTL_PAR_QUERY_INFORMATION,
					      NULL, 0, &q, sizeof(q), &io));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassUserDeviceIoControl(self->h, IOCTL_PAR_SET_INFORMATION,
					      &s, sizeof(s), NULL, 0, &io));
	/* Still ours: IS_PORT_FREE says FALSE for the holder. */
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassUserDeviceIoControl(self->h, IOCTL_PAR_IS_PORT_FREE,
					      NULL, 0, &is_free, 1, &io));
	EXPECT_EQ(0, is_free);
}

TEST_F(win, query_and_set_information_bad_buffers_and_values)
{
	PAR_QUERY_INFORMATION q;
	PAR_SET_INFORMATION s = { 0 };
	IO_STATUS_BLOCK io;

	EXPECT_EQ(STATUS_BUFFER_TOO_SMALL,
		  ParclassUserDeviceIoControl(self->h,
					      IOCTL_PAR_QUERY_INFORMATION,
					      NULL, 0, &q, 0, &io));
	EXPECT_EQ(STATUS_BUFFER_TOO_SMALL,
		  ParclassUserDeviceIoControl(self->h, IOCTL_PAR_SET_INFORMATION,
					      &s, 0, NULL, 0, &io));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassUserDeviceIoControl(self->h, IOCTL_PAR_SET_INFORMATION,
					      &s, sizeof(s), NULL, 0, &io));
	s.Init = PARALLEL_AUTOFEED;
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassUserDeviceIoControl(self->h, IOCTL_PAR_SET_INFORMATION,
					      &s, sizeof(s), NULL, 0, &io));
}

/* Another client holds the port: Windows' 500 ms, then DEVICE_BUSY. */
TEST_F(win, query_information_on_a_busy_port_is_device_busy)
{
	PAR_QUERY_INFORMATION q;
	PARCLASS_INFORMATION pci;
	PARCLASS_HANDLE other;
	struct timespec t0;
	IO_STATUS_BLOCK io;
	long long ms;

	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(0, &other));
	ASSERT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(other, IOCTL_INTERNAL_PARCLASS_CONNECT,
					  NULL, 0, &pci, sizeof(pci), &io));
	ASSERT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(other,
					  IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
					  NULL, 0, NULL, 0, &io));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(STATUS_DEVICE_BUSY,
		  ParclassUserDeviceIoControl(self->h,
					      IOCTL_PAR_QUERY_INFORMATION,
					      NULL, 0, &q, sizeof(q), &io));
	ms = elapsed_ms(&t0);
	EXPECT_LE(450, ms);
	EXPECT_GT(2000, ms);
	EXPECT_EQ(0, io.Information);
	ParclassClose(other);
}

TEST_F(win, unsupported_requests_are_invalid_parameter)
{
	static const unsigned int internal[] = {
		IOCTL_INTERNAL_GET_PARPORT_FDO, IOCTL_INTERNAL_PARCHIP_CONNECT,
		PARCLASS_PAR_CODE(41), PARCLASS_PAR_CODE(42),
		PARCLASS_PAR_CODE(43), PARCLASS_PAR_CODE(44),
		PARCLASS_PAR_CODE(50), PARCLASS_PAR_CODE(51),
		PARCLASS_PAR_CODE(54), PARCLASS_PAR_CODE(55),
		IOCTL_PAR_GET_DEVICE_CAPS, 0x12345678,
	};
	/* Every user-mode request is supported: these are not ones. */
	static const unsigned int user[] = {
		IOCTL_INTERNAL_PARCLASS_CONNECT, IOCTL_INTERNAL_DISCONNECT_IDLE,
		PARCLASS_PAR_CODE(16), PARCLASS_PAR_CODE(20), 0x12345678,
	};
	unsigned char buf[64];
	IO_STATUS_BLOCK io;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(internal); i++) {
		EXPECT_EQ(STATUS_INVALID_PARAMETER,
			  ParclassDeviceIoControl(self->h, internal[i], NULL, 0,
						  buf, sizeof(buf), &io))
			TH_LOG("internal code %#x", internal[i]);
	}
	for (i = 0; i < ARRAY_SIZE(user); i++) {
		EXPECT_EQ(STATUS_INVALID_PARAMETER,
			  ParclassUserDeviceIoControl(self->h, user[i], NULL, 0,
						      buf, sizeof(buf), &io))
			TH_LOG("user code %#x", user[i]);
	}
}

/* A user-mode request without input, its IO_STATUS_BLOCK prefilled. */
static NTSTATUS user_io(PARCLASS_HANDLE h, __u32 code, void *out,
			__u32 out_len, IO_STATUS_BLOCK *io)
{
	memset(io, 0xa5, sizeof(*io));
	return ParclassUserDeviceIoControl(h, code, NULL, 0, out, out_len, io);
}

static NTSTATUS allocate(PARCLASS_HANDLE h)
{
	IO_STATUS_BLOCK io;

	return ParclassDeviceIoControl(h, IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
				       NULL, 0, NULL, 0, &io);
}

static NTSTATUS connect_handle(PARCLASS_HANDLE h, PARCLASS_INFORMATION *pci)
{
	IO_STATUS_BLOCK io;

	return ParclassDeviceIoControl(h, IOCTL_INTERNAL_PARCLASS_CONNECT, NULL,
				       0, pci, sizeof(*pci), &io);
}

static const __u32 devid_codes[] = {
	IOCTL_PAR_QUERY_DEVICE_ID, IOCTL_PAR_QUERY_DEVICE_ID_SIZE,
	IOCTL_PAR_QUERY_RAW_DEVICE_ID,
};

static PARCLASS_PORT_ACCESS acc(__u64 port, __u8 write, __u8 value)
{
	PARCLASS_PORT_ACCESS a = { port, write, value, { 0 } };

	return a;
}

/*
 * Device-side request @i of DEVICE_REQUESTS on @h, whose port's
 * Controller is @base; *@name says which. Each succeeds on a healthy
 * simulated printer; the mode requests that need no allocation are
 * those of request_needs_no_port().
 */
#define DEVICE_REQUESTS 17

/* Answers without the port: IS_PORT_FREE, GET_MODE, the addresses' GET, ECP_HOST_RECOVERY. */
static int request_needs_no_port(unsigned int i)
{
	return i == 5 || i == 10 || i == 11 || i == 12 || i == 15;
}

static NTSTATUS device_request(PARCLASS_HANDLE h, __u64 base, unsigned int i,
			       const char **name)
{
	static const char *const names[DEVICE_REQUESTS] = {
		"QUERY_INFORMATION", "SET_INFORMATION", "QUERY_DEVICE_ID",
		"QUERY_DEVICE_ID_SIZE", "QUERY_RAW_DEVICE_ID", "IS_PORT_FREE",
		"ReadPortUchar", "WritePortUchar", "AccessPorts",
		"IEEE1284_NEGOTIATE", "IEEE1284_GET_MODE", "GET_READ_ADDRESS",
		"GET_WRITE_ADDRESS", "GET_DEVICE_CAPS", "PAR_PING",
		"ECP_HOST_RECOVERY", "DISCONNECT_IDLE",
	};
	/* Two read modes: never the modes reached, so never answered at once. */
	PARCLASS_NEGOTIATION_MASK m = {
		PARCLASS_MODE_NIBBLE | PARCLASS_MODE_BYTE_BIDIR,
		PARCLASS_MODE_CENTRONICS,
	};
	PAR_SET_INFORMATION s = { PARALLEL_INIT };
	PARCLASS_PORT_ACCESS a[2];
	static unsigned char buf[512];
	__u16 bad = 0;
	IO_STATUS_BLOCK io;
	__u8 v = 0x77;

	*name = names[i];
	switch (i) {
	case 0:
		return user_io(h, IOCTL_PAR_QUERY_INFORMATION, buf, 1, &io);
	case 1:
		return ParclassUserDeviceIoControl(h, IOCTL_PAR_SET_INFORMATION,
						   &s, sizeof(s), NULL, 0, &io);
	case 2:
	case 3:
	case 4:
		return user_io(h, devid_codes[i - 2], buf, sizeof(buf), &io);
	case 5:
		return user_io(h, IOCTL_PAR_IS_PORT_FREE, buf, 1, &io);
	case 6:
		return ParclassReadPortUchar(h, base + 1, &v);
	case 7:
		return ParclassWritePortUchar(h, base, 0x42);
	case 9:
		return ParclassUserDeviceIoControl(h, IOCTL_IEEE1284_NEGOTIATE,
						   &m, sizeof(m), buf,
						   sizeof(m), &io);
	case 10:
		return user_io(h, IOCTL_IEEE1284_GET_MODE, buf, 4, &io);
	case 11:
		return user_io(h, IOCTL_PAR_GET_READ_ADDRESS, buf, 1, &io);
	case 12:
		return user_io(h, IOCTL_PAR_GET_WRITE_ADDRESS, buf, 1, &io);
	case 13:
		return ParclassUserDeviceIoControl(h, IOCTL_PAR_GET_DEVICE_CAPS,
						   &bad, sizeof(bad), buf, 2,
						   &io);
	case 14:
		return user_io(h, IOCTL_PAR_PING, NULL, 0, &io);
	case 15:
		return ParclassUserDeviceIoControl(h, IOCTL_PAR_ECP_HOST_RECOVERY,
						   &v, 1, NULL, 0, &io);
	case 16:
		return ParclassDeviceIoControl(h, IOCTL_INTERNAL_DISCONNECT_IDLE,
					       NULL, 0, NULL, 0, &io);
	}
	a[0] = acc(base, 1, 0x24);
	a[1] = acc(base + 1, 0, 0x77);
	return ParclassAccessPorts(h, a, 2, NULL);
}

/* Port @num's sessions (and parclass waiters), seen from a file of our own. */
static int port_sessions(int num, __u32 *waiters)
{
	struct parclass_port_entry *e;
	int fd = parclass_open(), ret = -1;
	__u32 n, i;

	if (fd < 0)
		return -1;
	if (!parclass_list_ports(fd, &e, &n)) {
		for (i = 0; i < n; i++) {
			if (e[i].info.number != (__u32)num)
				continue;
			ret = e[i].sessions;
			if (waiters)
				*waiters = e[i].waiters;
		}
		free(e);
	}
	close(fd);
	return ret;
}

/* QEMU's LPT has no reverse channel: IO_DEVICE_ERROR, the port freed. */
TEST_F(win, qemu_lpt_device_id_is_io_device_error)
{
	unsigned char buf[256];
	IO_STATUS_BLOCK io;
	unsigned int i;
	NTSTATUS st;

	for (i = 0; i < ARRAY_SIZE(devid_codes); i++) {
		memset(buf, 0xee, sizeof(buf));
		EXPECT_EQ(STATUS_IO_DEVICE_ERROR,
			  user_io(self->h, devid_codes[i], buf, sizeof(buf), &io))
			TH_LOG("code %#x", devid_codes[i]);
		EXPECT_EQ(STATUS_IO_DEVICE_ERROR, io.Status);
		EXPECT_EQ(0, io.Information);
		EXPECT_EQ(0xee, buf[0]);
		EXPECT_EQ(1, is_port_free(self->h, &st));
		EXPECT_EQ(STATUS_SUCCESS, st);
	}
}

/*
 * QEMU's LPT through the registers: the status register as the kernel
 * reads it, the control lines a new client starts with, and the data
 * register read back (no strobe: nothing is printed).
 */
TEST_F(win, qemu_lpt_registers)
{
	struct parclass_query_information q = { .size = sizeof(q) };
	__u64 base = self->pci.Controller;
	__u8 v, data;
	int fd;

	fd = pc_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pc_connect(fd, 0, &q.token));
	ASSERT_EQ(0, pc_allocate(fd, q.token, 0, 2000000000ULL));
	ASSERT_EQ(0, ioctl(fd, PARCLASS_IOC_QUERY_INFORMATION, &q));
	ASSERT_EQ(0, pc_free(fd, q.token));
	close(fd);

	v = ~q.raw_status;
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, base + 1, &v));
	EXPECT_EQ(q.raw_status, v);
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, base + 2, &v));
	EXPECT_EQ(0x0c, v);

	ASSERT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, base, &data));
	EXPECT_EQ(STATUS_SUCCESS, ParclassWritePortUchar(self->h, base, 0x3c));
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, base, &v));
	EXPECT_EQ(0x3c, v);
	EXPECT_EQ(STATUS_SUCCESS, ParclassWritePortUchar(self->h, base, data));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassReadPortUchar(self->h, base + 3, &v));
}

static const char printer_id[] = "MFG:Acme;MDL:Jet 1;CMD:PCL;CLS:PRINTER;";

/* A simulated port with a printer that has printer_id, connected. */
FIXTURE(sim) {
	char name[32];
	int num;
	PARCLASS_HANDLE h;
	PARCLASS_INFORMATION pci;
	__u64 base;
	unsigned char buf[512];
};

FIXTURE_SETUP(sim)
{
	snprintf(self->name, sizeof(self->name), "win%d", (int)getpid());
	self->num = sim_create(self->name, NULL, NULL);
	ASSERT_LE(2, self->num);
	ASSERT_EQ(0, sim_puts(self->name, "device_id", printer_id));
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &self->h));
	ASSERT_EQ(STATUS_SUCCESS, connect_handle(self->h, &self->pci));
	self->base = self->pci.Controller;
	ASSERT_NE(0, self->base);
	memset(self->buf, 0xee, sizeof(self->buf));
}

FIXTURE_TEARDOWN(sim)
{
	ParclassClose(self->h);
	sim_destroy(self->name);
}

/* The port is free again: the request's allocation was given back. */
#define EXPECT_PORT_FREE(h) do {					\
	NTSTATUS st_;							\
									\
	EXPECT_EQ(1, is_port_free(h, &st_));				\
	EXPECT_EQ(STATUS_SUCCESS, st_);					\
} while (0)

TEST_F(sim, device_id_is_the_id_and_a_nul)
{
	size_t len = strlen(printer_id);
	IO_STATUS_BLOCK io;

	EXPECT_EQ(STATUS_SUCCESS, user_io(self->h, IOCTL_PAR_QUERY_DEVICE_ID,
					  self->buf, sizeof(self->buf), &io));
	EXPECT_EQ(STATUS_SUCCESS, io.Status);
	EXPECT_EQ(0, io.Reserved);
	EXPECT_EQ(len + 1, io.Information);
	EXPECT_EQ(0, memcmp(self->buf, printer_id, len + 1));
	/* Nothing past the answer is written. */
	EXPECT_EQ(0xee, self->buf[len + 1]);
	EXPECT_PORT_FREE(self->h);
}

TEST_F(sim, raw_device_id_keeps_the_length_bytes)
{
	size_t len = strlen(printer_id);
	IO_STATUS_BLOCK io;

	EXPECT_EQ(STATUS_SUCCESS,
		  user_io(self->h, IOCTL_PAR_QUERY_RAW_DEVICE_ID, self->buf,
			  sizeof(self->buf), &io));
	EXPECT_EQ(len + 3, io.Information);
	EXPECT_EQ((len + 2) >> 8, self->buf[0]);
	EXPECT_EQ((len + 2) & 0xff, self->buf[1]);
	EXPECT_EQ(0, memcmp(self->buf + 2, printer_id, len + 1));
	EXPECT_EQ(0xee, self->buf[len + 3]);
	EXPECT_PORT_FREE(self->h);
}

TEST_F(sim, device_id_size)
{
	PAR_DEVICE_ID_SIZE_INFORMATION si[2];
	IO_STATUS_BLOCK io;

	memset(si, 0xee, sizeof(si));
	EXPECT_EQ(STATUS_SUCCESS,
		  user_io(self->h, IOCTL_PAR_QUERY_DEVICE_ID_SIZE, si,
			  sizeof(si), &io));
	EXPECT_EQ(4, io.Information);
	EXPECT_EQ(strlen(printer_id) + 1, si[0].DeviceIdSize);
	EXPECT_EQ(0xeeeeeeee, si[1].DeviceIdSize);
	memset(si, 0xee, sizeof(si));
	EXPECT_EQ(STATUS_BUFFER_TOO_SMALL,
		  user_io(self->h, IOCTL_PAR_QUERY_DEVICE_ID_SIZE, si, 3, &io));
	EXPECT_EQ(STATUS_BUFFER_TOO_SMALL, io.Status);
	EXPECT_EQ(0, io.Information);
	EXPECT_EQ(0xeeeeeeee, si[0].DeviceIdSize);
	EXPECT_PORT_FREE(self->h);
}

TEST_F(sim, short_buffers_are_buffer_too_small)
{
	__u32 len = strlen(printer_id);
	static const struct {
		__u32 code, more;
	} rows[] = {
		{ IOCTL_PAR_QUERY_DEVICE_ID, 1 },
		{ IOCTL_PAR_QUERY_RAW_DEVICE_ID, 3 },
	};
	IO_STATUS_BLOCK io;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		/* One byte short, and no buffer at all. */
		EXPECT_EQ(STATUS_BUFFER_TOO_SMALL,
			  user_io(self->h, rows[i].code, self->buf,
				  len + rows[i].more - 1, &io))
			TH_LOG("code %#x", rows[i].code);
		EXPECT_EQ(0, io.Information);
		EXPECT_EQ(0xee, self->buf[0]);
		EXPECT_EQ(STATUS_BUFFER_TOO_SMALL,
			  user_io(self->h, rows[i].code, self->buf, 0, &io));
		EXPECT_EQ(0, io.Information);
		EXPECT_PORT_FREE(self->h);
		/* Exactly enough. */
		EXPECT_EQ(STATUS_SUCCESS,
			  user_io(self->h, rows[i].code, self->buf,
				  len + rows[i].more, &io));
		EXPECT_EQ(len + rows[i].more, io.Information);
		EXPECT_EQ(0, self->buf[len + rows[i].more - 1]);
		memset(self->buf, 0xee, sizeof(self->buf));
	}
}

TEST_F(sim, peripheral_without_an_id_is_io_device_error)
{
	IO_STATUS_BLOCK io;
	unsigned int i;

	ASSERT_EQ(0, sim_put(self->name, "device_id", "", 0));
	for (i = 0; i < ARRAY_SIZE(devid_codes); i++) {
		EXPECT_EQ(STATUS_IO_DEVICE_ERROR,
			  user_io(self->h, devid_codes[i], self->buf,
				  sizeof(self->buf), &io))
			TH_LOG("code %#x", devid_codes[i]);
		EXPECT_EQ(0, io.Information);
		EXPECT_EQ(0xee, self->buf[0]);
	}
	/* Nor does one that does not speak IEEE 1284 at all. */
	ASSERT_EQ(0, sim_puts(self->name, "device_id", printer_id));
	ASSERT_EQ(0, sim_puts(self->name, "modes", "none"));
	for (i = 0; i < ARRAY_SIZE(devid_codes); i++) {
		EXPECT_EQ(STATUS_IO_DEVICE_ERROR,
			  user_io(self->h, devid_codes[i], self->buf,
				  sizeof(self->buf), &io))
			TH_LOG("code %#x", devid_codes[i]);
		EXPECT_EQ(0, io.Information);
	}
	EXPECT_PORT_FREE(self->h);
}

/* The handle holds the port: the request uses that, and it stays held. */
TEST_F(sim, device_id_keeps_the_handles_allocation)
{
	IO_STATUS_BLOCK io;
	unsigned int i;
	NTSTATUS st;

	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	for (i = 0; i < ARRAY_SIZE(devid_codes); i++) {
		EXPECT_EQ(STATUS_SUCCESS,
			  user_io(self->h, devid_codes[i], self->buf,
				  sizeof(self->buf), &io))
			TH_LOG("code %#x", devid_codes[i]);
		EXPECT_EQ(0, is_port_free(self->h, &st));
		EXPECT_EQ(STATUS_SUCCESS, st);
	}
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_FREE,
					  NULL, 0, NULL, 0, &io));
	EXPECT_PORT_FREE(self->h);
}

TEST_F(sim, device_id_without_a_connection)
{
	PARCLASS_HANDLE h2;
	IO_STATUS_BLOCK io;

	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &h2));
	EXPECT_EQ(STATUS_SUCCESS, user_io(h2, IOCTL_PAR_QUERY_DEVICE_ID,
					  self->buf, sizeof(self->buf), &io));
	EXPECT_EQ(strlen(printer_id) + 1, io.Information);
	EXPECT_STREQ(printer_id, (char *)self->buf);
	ParclassClose(h2);
	EXPECT_PORT_FREE(self->h);
}

/* Another client that holds the port: 500 ms, DEVICE_BUSY, it keeps it. */
TEST_F(sim, device_side_requests_on_a_busy_port_are_device_busy)
{
	PARCLASS_INFORMATION pci;
	PARCLASS_HANDLE other;
	PARCLASS_PORT_ACCESS a[2];
	struct timespec t0;
	IO_STATUS_BLOCK io;
	unsigned int i;
	long long ms;
	__u32 done;
	__u8 v;

	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &other));
	ASSERT_EQ(STATUS_SUCCESS, connect_handle(other, &pci));
	ASSERT_EQ(STATUS_SUCCESS, allocate(other));
	for (i = 0; i < ARRAY_SIZE(devid_codes) + 3; i++) {
		v = 0x77;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		if (i < ARRAY_SIZE(devid_codes)) {
			EXPECT_EQ(STATUS_DEVICE_BUSY,
				  user_io(self->h, devid_codes[i], self->buf,
					  sizeof(self->buf), &io))
				TH_LOG("code %#x", devid_codes[i]);
			EXPECT_EQ(0, io.Information);
			EXPECT_EQ(0xee, self->buf[0]);
		} else if (i == ARRAY_SIZE(devid_codes)) {
			EXPECT_EQ(STATUS_DEVICE_BUSY,
				  ParclassReadPortUchar(self->h, self->base + 1,
							&v));
			EXPECT_EQ(0x77, v);
		} else if (i == ARRAY_SIZE(devid_codes) + 1) {
			EXPECT_EQ(STATUS_DEVICE_BUSY,
				  ParclassWritePortUchar(self->h, self->base,
							 0x11));
		} else {
			/* A list: nothing done, its read not filled in. */
			a[0] = acc(self->base, 1, 0x11);
			a[1] = acc(self->base + 1, 0, 0x77);
			done = 7;
			EXPECT_EQ(STATUS_DEVICE_BUSY,
				  ParclassAccessPorts(self->h, a, 2, &done));
			EXPECT_EQ(0, done);
			EXPECT_EQ(0x77, a[1].Value);
		}
		ms = elapsed_ms(&t0);
		EXPECT_LE(450, ms) TH_LOG("request %u", i);
		EXPECT_GT(2000, ms) TH_LOG("request %u", i);
		/* The holder still holds it and works with it. */
		EXPECT_EQ(0, ParclassTryAllocatePort(self->h,
						     self->pci.ParclassContext));
		EXPECT_EQ(STATUS_SUCCESS,
			  user_io(other, IOCTL_PAR_QUERY_DEVICE_ID, self->buf,
				  sizeof(self->buf), &io));
		EXPECT_STREQ(printer_id, (char *)self->buf);
		memset(self->buf, 0xee, sizeof(self->buf));
	}
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(other, self->base, &v));
	EXPECT_NE(0x11, v);
	ParclassClose(other);
	EXPECT_PORT_FREE(self->h);
}

TEST_F(sim, data_register_write_and_read_back)
{
	static const __u8 bytes[] = { 0xa5, 0x5a, 0x3c, 0x00 };
	unsigned int i;
	__u8 v;

	for (i = 0; i < ARRAY_SIZE(bytes); i++) {
		v = ~bytes[i];
		EXPECT_EQ(STATUS_SUCCESS,
			  ParclassWritePortUchar(self->h, self->base, bytes[i]));
		EXPECT_EQ(STATUS_SUCCESS,
			  ParclassReadPortUchar(self->h, self->base, &v));
		EXPECT_EQ(bytes[i], v);
	}
	EXPECT_PORT_FREE(self->h);
	/* The same with the handle's own allocation, which it keeps. */
	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassWritePortUchar(self->h, self->base, 0x5a));
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, self->base, &v));
	EXPECT_EQ(0x5a, v);
	EXPECT_EQ(0, ParclassTryAllocatePort(self->h, self->pci.ParclassContext));
}

/* The status register against the README's fault table. */
TEST_F(sim, status_register_follows_the_faults)
{
	static const struct {
		const char *faults;
		__u8 status;
	} rows[] = {
		{ "none", 0xd8 }, { "paperout", 0xf0 }, { "offline", 0xc0 },
		{ "error", 0xd0 }, { "busy", 0x58 }, { "off", 0x80 },
		{ "nocable", 0x78 }, { "none", 0xd8 },
	};
	unsigned int i;
	__u8 v;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		ASSERT_EQ(0, sim_puts(self->name, "faults", rows[i].faults));
		v = ~rows[i].status;
		EXPECT_EQ(STATUS_SUCCESS,
			  ParclassReadPortUchar(self->h, self->base + 1, &v));
		EXPECT_EQ(rows[i].status, v) TH_LOG("%s", rows[i].faults);
		EXPECT_EQ(sim_state(self->name, "status"), v);
	}
	EXPECT_PORT_FREE(self->h);
}

/*
 * The control register: the four lines, the direction in bit 5 (seen
 * on the data lines: the idle peripheral drives 0xff), bit 4 and bits
 * 6-7 ignored.
 */
TEST_F(sim, control_register_lines_and_direction)
{
	__u64 ctl = self->base + 2;
	IO_STATUS_BLOCK io;
	__u8 v;

	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, ctl, &v));
	EXPECT_EQ(0x0c, v);
	EXPECT_EQ(STATUS_SUCCESS, ParclassWritePortUchar(self->h, ctl, 0x0e));
	EXPECT_EQ(0x0e, sim_state(self->name, "control"));
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, ctl, &v));
	EXPECT_EQ(0x0e, v);
	EXPECT_EQ(STATUS_SUCCESS, ParclassWritePortUchar(self->h, ctl, 0xdc));
	EXPECT_EQ(0x0c, sim_state(self->name, "control"));
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, ctl, &v));
	EXPECT_EQ(0x0c, v);

	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassWritePortUchar(self->h, self->base, 0x5a));
	EXPECT_EQ(STATUS_SUCCESS, ParclassWritePortUchar(self->h, ctl, 0x2e));
	EXPECT_EQ(0x0e, sim_state(self->name, "control"));
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, ctl, &v));
	EXPECT_EQ(0x2e, v);
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, self->base, &v));
	EXPECT_EQ(0xff, v);
	EXPECT_EQ(STATUS_SUCCESS, ParclassWritePortUchar(self->h, ctl, 0x0c));
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, ctl, &v));
	EXPECT_EQ(0x0c, v);
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, self->base, &v));
	EXPECT_EQ(0x5a, v);

	/* A device-ID query negotiates, which drives the data lines again. */
	EXPECT_EQ(STATUS_SUCCESS, ParclassWritePortUchar(self->h, ctl, 0x2c));
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, ctl, &v));
	EXPECT_EQ(0x2c, v);
	EXPECT_EQ(STATUS_SUCCESS, user_io(self->h, IOCTL_PAR_QUERY_DEVICE_ID,
					  self->buf, sizeof(self->buf), &io));
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, ctl, &v));
	EXPECT_EQ(0x0c, v);
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassWritePortUchar(self->h, self->base, 0x3c));
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, self->base, &v));
	EXPECT_EQ(0x3c, v);
	/* All of it in the handle's allocation, which it still holds. */
	EXPECT_EQ(0, ParclassTryAllocatePort(self->h, self->pci.ParclassContext));
}

/*
 * A connected handle that does not hold the port: each access is
 * allocated around, and the parport core gives the connection back its
 * control lines and direction each time, whatever others did between.
 */
TEST_F(sim, control_register_is_the_connections_between_accesses)
{
	__u64 ctl = self->base + 2;
	PARCLASS_INFORMATION pci;
	PARCLASS_HANDLE other;
	__u8 v;

	ASSERT_EQ(STATUS_SUCCESS,
		  ParclassWritePortUchar(self->h, self->base, 0x5a));
	EXPECT_EQ(STATUS_SUCCESS, ParclassWritePortUchar(self->h, ctl, 0x2e));
	EXPECT_PORT_FREE(self->h);

	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &other));
	ASSERT_EQ(STATUS_SUCCESS, connect_handle(other, &pci));
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(other, ctl, &v));
	EXPECT_EQ(0x0c, v);
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(other, self->base, &v));
	EXPECT_EQ(0x5a, v);
	EXPECT_EQ(STATUS_SUCCESS, ParclassWritePortUchar(other, ctl, 0x04));
	EXPECT_EQ(0x04, sim_state(self->name, "control"));
	ParclassClose(other);

	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, ctl, &v));
	EXPECT_EQ(0x2e, v);
	EXPECT_EQ(0x0e, sim_state(self->name, "control"));
	/* Reversed again: the peripheral's 0xff, not the 0x5a written. */
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, self->base, &v));
	EXPECT_EQ(0xff, v);
	EXPECT_PORT_FREE(self->h);
}

/* Without a connection, each access has a brief one of its own. */
TEST_F(sim, register_access_without_a_connection)
{
	__u64 ctl = self->base + 2;
	PARCLASS_HANDLE h2;
	__u8 v;

	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &h2));
	EXPECT_EQ(STATUS_SUCCESS, ParclassWritePortUchar(h2, self->base, 0xa5));
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(h2, self->base, &v));
	EXPECT_EQ(0xa5, v);
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(h2, self->base + 1, &v));
	EXPECT_EQ(0xd8, v);
	EXPECT_EQ(STATUS_SUCCESS, ParclassWritePortUchar(h2, ctl, 0x2e));
	EXPECT_PORT_FREE(self->h);
	/* The next brief connection starts as a new client: lines driven. */
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(h2, ctl, &v));
	EXPECT_EQ(0x0c, v);
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(h2, self->base, &v));
	EXPECT_EQ(0xa5, v);
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassWritePortUchar(h2, self->base + 1, 0));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassReadPortUchar(h2, self->base + 3, &v));
	ParclassClose(h2);
	EXPECT_PORT_FREE(self->h);
}

/*
 * Anything but Controller + 0, 1, 2, and writes of the status register,
 * are refused before the port is touched or allocated.
 */
TEST_F(sim, bad_ports_are_invalid_parameter)
{
	const __u64 bad[] = {
		0, self->base - 1, self->base + 3, self->base + 7,
		self->base + 0x400, self->base + (1ULL << 32),
		self->base - (1ULL << 32), ~0ULL,
	};
	long long control;
	unsigned int i;
	__u8 v;

	ASSERT_EQ(STATUS_SUCCESS,
		  ParclassWritePortUchar(self->h, self->base, 0x3c));
	control = sim_state(self->name, "control");
	ASSERT_LE(0, control);
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		v = 0x77;
		EXPECT_EQ(STATUS_INVALID_PARAMETER,
			  ParclassReadPortUchar(self->h, bad[i], &v))
			TH_LOG("port %#llx", (unsigned long long)bad[i]);
		EXPECT_EQ(0x77, v);
		EXPECT_EQ(STATUS_INVALID_PARAMETER,
			  ParclassWritePortUchar(self->h, bad[i], 0x0e))
			TH_LOG("port %#llx", (unsigned long long)bad[i]);
	}
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassWritePortUchar(self->h, self->base + 1, 0x0e));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassReadPortUchar(self->h, self->base, NULL));
	EXPECT_EQ(control, sim_state(self->name, "control"));
	EXPECT_PORT_FREE(self->h);
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, self->base, &v));
	EXPECT_EQ(0x3c, v);
}

TEST_F(sim, dead_handle_is_invalid_handle)
{
	PARCLASS_PORT_ACCESS a = { self->base + 1, 0, 0, { 0 } };
	long long control = sim_state(self->name, "control");
	IO_STATUS_BLOCK io;
	__u32 done = 7;
	__u8 v = 0x77;

	ASSERT_LE(0, control);
	ASSERT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARCLASS_DISCONNECT,
					  NULL, 0, NULL, 0, &io));
	EXPECT_EQ(STATUS_INVALID_HANDLE,
		  ParclassReadPortUchar(self->h, self->base + 1, &v));
	EXPECT_EQ(0x77, v);
	EXPECT_EQ(STATUS_INVALID_HANDLE,
		  ParclassWritePortUchar(self->h, self->base, 0x11));
	EXPECT_EQ(STATUS_INVALID_HANDLE,
		  ParclassWritePortUchar(self->h, self->base + 2, 0x0e));
	EXPECT_EQ(STATUS_INVALID_HANDLE, ParclassAccessPorts(self->h, &a, 1,
							     &done));
	EXPECT_EQ(0, done);
	EXPECT_EQ(STATUS_INVALID_HANDLE,
		  user_io(self->h, IOCTL_PAR_QUERY_DEVICE_ID, self->buf,
			  sizeof(self->buf), &io));
	EXPECT_EQ(0, io.Information);
	EXPECT_EQ(0xee, self->buf[0]);
	EXPECT_EQ(control, sim_state(self->name, "control"));
}

/* A list runs in order, in one allocation, reads filled in. */
TEST_F(sim, access_list_runs_in_order)
{
	__u64 d = self->base, st = d + 1, ctl = d + 2;
	PARCLASS_PORT_ACCESS a[] = {
		acc(d, 1, 0x11), acc(d, 0, 0), acc(d, 1, 0x22), acc(d, 0, 0),
		acc(ctl, 1, 0x1e), acc(ctl, 0, 0), acc(st, 0, 0),
		acc(ctl, 1, 0x2c), acc(ctl, 0, 0), acc(d, 0, 0),
		acc(ctl, 1, 0x0c), acc(ctl, 0, 0), acc(d, 0, 0),
	};
	static const __u8 want[] = {
		0x11, 0x11, 0x22, 0x22, 0x1e, 0x0e, 0xd8,
		0x2c, 0x2c, 0xff, 0x0c, 0x0c, 0x22,
	};
	__u32 done = 0;
	unsigned int i;
	__u8 v;

	ASSERT_EQ(STATUS_SUCCESS,
		  ParclassAccessPorts(self->h, a, ARRAY_SIZE(a), &done));
	EXPECT_EQ(ARRAY_SIZE(a), done);
	for (i = 0; i < ARRAY_SIZE(a); i++) {
		EXPECT_EQ(want[i], a[i].Value)
			TH_LOG("access %u", i);
	}
	EXPECT_PORT_FREE(self->h);

	/* The direction carries over, between lists and single accesses. */
	EXPECT_EQ(STATUS_SUCCESS, ParclassWritePortUchar(self->h, ctl, 0x2e));
	a[0] = acc(ctl, 0, 0);
	a[1] = acc(d, 0, 0);
	a[2] = acc(ctl, 1, 0x0c);
	ASSERT_EQ(STATUS_SUCCESS, ParclassAccessPorts(self->h, a, 3, NULL));
	EXPECT_EQ(0x2e, a[0].Value);
	EXPECT_EQ(0xff, a[1].Value);
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, ctl, &v));
	EXPECT_EQ(0x0c, v);
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, d, &v));
	EXPECT_EQ(0x22, v);

	/* In the handle's own allocation, which it keeps. */
	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	a[0] = acc(st, 0, 0);
	ASSERT_EQ(STATUS_SUCCESS, ParclassAccessPorts(self->h, a, 1, &done));
	EXPECT_EQ(1, done);
	EXPECT_EQ(0xd8, a[0].Value);
	EXPECT_EQ(0, ParclassTryAllocatePort(self->h, self->pci.ParclassContext));
}

/* A list with one bad access is refused whole, before anything runs. */
TEST_F(sim, bad_access_lists_touch_nothing)
{
	long long control = sim_state(self->name, "control");
	__u64 d = self->base, ctl = d + 2;
	PARCLASS_PORT_ACCESS a[4];
	__u32 done;
	unsigned int i;
	__u8 v;

	ASSERT_LE(0, control);
	for (i = 0; i < 5; i++) {
		/* Two writes and a read, all good, then a bad access. */
		a[0] = acc(d, 1, 0x11);
		a[1] = acc(ctl, 1, 0x0e);
		a[2] = acc(d + 1, 0, 0x99);
		a[3] = acc(d + 1, 0, 0x77);
		switch (i) {
		case 0:
			a[3].Port = d + 3;
			break;
		case 1:
			a[3].Write = 1;
			break;
		case 2:
			a[3].Write = 2;
			break;
		case 3:
			a[3].Reserved[5] = 1;
			break;
		case 4:
			a[3].Port = d - 1;
			break;
		}
		done = 7;
		EXPECT_EQ(STATUS_INVALID_PARAMETER,
			  ParclassAccessPorts(self->h, a, 4, &done))
			TH_LOG("case %u", i);
		EXPECT_EQ(0, done);
		/* The good read did not run: the status (0xd8) is not there. */
		EXPECT_EQ(0x99, a[2].Value) TH_LOG("case %u", i);
		EXPECT_EQ(0x77, a[3].Value) TH_LOG("case %u", i);
		EXPECT_EQ(control, sim_state(self->name, "control"));
	}
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassAccessPorts(self->h, a, 0, &done));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassAccessPorts(self->h, NULL, 1, &done));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassAccessPorts(self->h, a, PARCLASS_PORT_ACCESS_MAX + 1,
				      &done));
	EXPECT_PORT_FREE(self->h);
	EXPECT_EQ(STATUS_SUCCESS, ParclassReadPortUchar(self->h, d, &v));
	EXPECT_NE(0x11, v);
	/* The same list with the bad access fixed runs, read included. */
	a[3] = acc(d + 1, 0, 0x77);
	EXPECT_EQ(STATUS_SUCCESS, ParclassAccessPorts(self->h, a, 4, &done));
	EXPECT_EQ(4, done);
	EXPECT_EQ(0xd8, a[2].Value);
	EXPECT_EQ(0xd8, a[3].Value);
}

/* The longest list: each of its reads gets its own byte back. */
TEST_F(sim, longest_access_list)
{
	static PARCLASS_PORT_ACCESS a[PARCLASS_PORT_ACCESS_MAX];
	__u32 i, done = 0;

	for (i = 0; i < PARCLASS_PORT_ACCESS_MAX; i += 2) {
		a[i] = acc(self->base, 1, i * 7 / 2);
		a[i + 1] = acc(self->base, 0, 0);
	}
	ASSERT_EQ(STATUS_SUCCESS, ParclassAccessPorts(self->h, a,
						      PARCLASS_PORT_ACCESS_MAX,
						      &done));
	EXPECT_EQ(PARCLASS_PORT_ACCESS_MAX, done);
	for (i = 0; i < PARCLASS_PORT_ACCESS_MAX; i += 2)
		if (a[i + 1].Value != a[i].Value)
			break;
	EXPECT_EQ(PARCLASS_PORT_ACCESS_MAX, i) TH_LOG("access %u", i + 1);
}

/*
 * A handle without a connection makes a brief one for each device-side
 * request and ends it before the request completes, whatever its status:
 * counted while the handle is still open, since closing it would end
 * anything left over anyway.
 */
TEST_F(sim, requests_without_a_connection_leave_no_session)
{
	PARCLASS_PORT_ACCESS bad[2];
	PARCLASS_INFORMATION pci;
	PARCLASS_HANDLE h2, other;
	const char *name;
	__u32 waiters;
	unsigned int i;
	NTSTATUS st;
	__u8 v;

	/* The fixture's connected handle has the one session. */
	ASSERT_EQ(1, port_sessions(self->num, NULL));
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &h2));
	for (i = 0; i < DEVICE_REQUESTS; i++) {
		st = device_request(h2, self->base, i, &name);
		EXPECT_EQ(STATUS_SUCCESS, st) TH_LOG("%s", name);
		EXPECT_EQ(1, port_sessions(self->num, NULL)) TH_LOG("%s", name);
	}
	/* Refused after the brief connection was made. */
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassReadPortUchar(h2, self->base + 3, &v));
	EXPECT_EQ(1, port_sessions(self->num, NULL));
	bad[0] = acc(self->base, 0, 0);
	bad[1] = acc(self->base + 1, 1, 0);
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassAccessPorts(h2, bad, 2, NULL));
	EXPECT_EQ(1, port_sessions(self->num, NULL));
	/* Failed at the peripheral. */
	ASSERT_EQ(0, sim_put(self->name, "device_id", "", 0));
	EXPECT_EQ(STATUS_IO_DEVICE_ERROR,
		  device_request(h2, self->base, 2, &name));
	EXPECT_EQ(1, port_sessions(self->num, NULL));

	/* Another client holds the port: DEVICE_BUSY, nothing left waiting. */
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &other));
	ASSERT_EQ(STATUS_SUCCESS, connect_handle(other, &pci));
	ASSERT_EQ(STATUS_SUCCESS, allocate(other));
	ASSERT_EQ(2, port_sessions(self->num, NULL));
	for (i = 0; i < DEVICE_REQUESTS; i++) {
		st = device_request(h2, self->base, i, &name);
		/*
		 * IS_PORT_FREE answers (FALSE) without the port, and so do
		 * the mode requests that only report or keep a setting.
		 */
		EXPECT_EQ(request_needs_no_port(i) ? STATUS_SUCCESS :
			  STATUS_DEVICE_BUSY, st)
			TH_LOG("%s", name);
		waiters = 7;
		EXPECT_EQ(2, port_sessions(self->num, &waiters))
			TH_LOG("%s", name);
		EXPECT_EQ(0, waiters) TH_LOG("%s", name);
	}
	EXPECT_EQ(0, ParclassTryAllocatePort(self->h, self->pci.ParclassContext));
	ParclassClose(other);
	ParclassClose(h2);
	EXPECT_EQ(1, port_sessions(self->num, NULL));
}

/*
 * The kernel's limit is 64 KiB; Windows takes any buffer. A bigger one
 * gets the ID, the longest one included, and nothing past the answer.
 */
TEST_F(sim, device_id_into_a_buffer_over_64_kib)
{
	const size_t size = PARCLASS_DEVICE_ID_MAX + 4096;
	size_t len = 65533, i;
	unsigned char *buf;
	IO_STATUS_BLOCK io;
	char *id;

	buf = malloc(size);
	id = malloc(len + 1);
	ASSERT_NE(NULL, buf);
	ASSERT_NE(NULL, id);
	memset(buf, 0xee, size);
	EXPECT_EQ(STATUS_SUCCESS,
		  user_io(self->h, IOCTL_PAR_QUERY_DEVICE_ID, buf, size, &io));
	EXPECT_EQ(strlen(printer_id) + 1, io.Information);
	EXPECT_STREQ(printer_id, (char *)buf);
	EXPECT_EQ(0xee, buf[strlen(printer_id) + 1]);

	for (i = 0; i < len; i++)
		id[i] = 'A' + i % 26;
	memcpy(id, "MFG:Sim;MDL:", 12);
	id[len - 1] = ';';
	ASSERT_EQ(0, sim_put(self->name, "device_id", id, len));
	memset(buf, 0xee, size);
	EXPECT_EQ(STATUS_SUCCESS,
		  user_io(self->h, IOCTL_PAR_QUERY_DEVICE_ID, buf, size, &io));
	EXPECT_EQ(len + 1, io.Information);
	EXPECT_EQ(0, memcmp(buf, id, len));
	EXPECT_EQ(0, buf[len]);
	EXPECT_EQ(0xee, buf[len + 1]);
	memset(buf, 0xee, size);
	EXPECT_EQ(STATUS_SUCCESS,
		  user_io(self->h, IOCTL_PAR_QUERY_RAW_DEVICE_ID, buf, size,
			  &io));
	EXPECT_EQ(len + 3, io.Information);
	EXPECT_EQ(0xff, buf[0]);
	EXPECT_EQ(0xff, buf[1]);
	EXPECT_EQ(0, memcmp(buf + 2, id, len));
	EXPECT_EQ(0, buf[len + 2]);
	EXPECT_EQ(0xee, buf[len + 3]);
	EXPECT_EQ(0xee, buf[size - 1]);
	EXPECT_PORT_FREE(self->h);
	free(id);
	free(buf);
}

/*
 * A port that is not there: NO_SUCH_DEVICE on a handle without a
 * connection (its brief CONNECT finds no port), DEVICE_REMOVED on a
 * connected handle whose port went away.
 */
TEST_F(sim, removed_port_is_removed_or_no_such_device)
{
	PARALLEL_PORT_INFORMATION ppi;
	PARCLASS_INFORMATION pci;
	PARCLASS_HANDLE h2;
	const char *name;
	IO_STATUS_BLOCK io;
	unsigned int i;
	char loc[16];

	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &h2));
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "0"));
	ASSERT_EQ(-1, port_sessions(self->num, NULL));

	for (i = 0; i < DEVICE_REQUESTS; i++) {
		EXPECT_EQ(STATUS_DEVICE_REMOVED,
			  device_request(self->h, self->base, i, &name))
			TH_LOG("connected: %s", name);
		EXPECT_EQ(STATUS_NO_SUCH_DEVICE,
			  device_request(h2, self->base, i, &name))
			TH_LOG("without a connection: %s", name);
	}
	EXPECT_EQ(STATUS_DEVICE_REMOVED, allocate(self->h));
	EXPECT_EQ(STATUS_DEVICE_REMOVED,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_FREE,
					  NULL, 0, NULL, 0, &io));
	EXPECT_EQ(STATUS_DEVICE_REMOVED,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_GET_PARALLEL_PORT_INFO,
					  NULL, 0, &ppi, sizeof(ppi), &io));
	EXPECT_EQ(STATUS_DEVICE_REMOVED,
		  user_io(self->h, IOCTL_PAR_QUERY_LOCATION, loc, sizeof(loc),
			  &io));
	EXPECT_EQ(STATUS_NO_SUCH_DEVICE, connect_handle(h2, &pci));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARCLASS_DISCONNECT,
					  NULL, 0, NULL, 0, &io));
	ParclassClose(h2);
}

TEST(device_side_requests_on_a_missing_port_are_no_such_device)
{
	PARCLASS_HANDLE h;
	const char *name;
	unsigned int i;

	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(4000, &h));
	for (i = 0; i < DEVICE_REQUESTS; i++) {
		EXPECT_EQ(STATUS_NO_SUCH_DEVICE,
			  device_request(h, 0x378, i, &name))
			TH_LOG("%s", name);
	}
	ParclassClose(h);
}

/* IEEE 1284 modes through the Windows layer. */

#define M_NONE		PARCLASS_MODE_NONE
#define M_CENTRONICS	PARCLASS_MODE_CENTRONICS
#define M_IEEE_COMPAT	PARCLASS_MODE_IEEE_COMPATIBILITY
#define M_NIBBLE	PARCLASS_MODE_NIBBLE
#define M_BYTE		PARCLASS_MODE_BYTE_BIDIR
#define M_EPP		PARCLASS_MODE_EPP_SW
#define M_ECP		PARCLASS_MODE_ECP_SW
/* What a peripheral speaking every mode accepts (PAR_GET_DEVICE_CAPS). */
#define M_ALL_CAPS	(M_CENTRONICS | M_IEEE_COMPAT | M_NIBBLE | M_BYTE | \
			 M_EPP | M_ECP)

static unsigned char mbuf[3 * 4096 + 100];
static unsigned char mwant[sizeof(mbuf)];

/* Random bytes. */
static void fill(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245 + 12345;
		p[i] = seed >> 16;
	}
}

static int phase_is(const char *sim, const char *phase)
{
	char got[32];

	return !sim_state_word(sim, "phase", got, sizeof(got)) &&
	       !strcmp(got, phase);
}

/* IOCTL_IEEE1284_NEGOTIATE with masks @rd and @wr; *@out the answer. */
static NTSTATUS negotiate(PARCLASS_HANDLE h, __u16 rd, __u16 wr,
			  PARCLASS_NEGOTIATION_MASK *out, IO_STATUS_BLOCK *io)
{
	PARCLASS_NEGOTIATION_MASK in = { rd, wr };

	memset(out, 0xa5, sizeof(*out));
	memset(io, 0xa5, sizeof(*io));
	return ParclassUserDeviceIoControl(h, IOCTL_IEEE1284_NEGOTIATE, &in,
					   sizeof(in), out, sizeof(*out), io);
}

/* IOCTL_IEEE1284_GET_MODE; UNSUCCESSFUL if Information is not 4. */
static NTSTATUS get_mode(PARCLASS_HANDLE h, PARCLASS_NEGOTIATION_MASK *out)
{
	IO_STATUS_BLOCK io;
	NTSTATUS st;

	memset(out, 0xa5, sizeof(*out));
	st = user_io(h, IOCTL_IEEE1284_GET_MODE, out, sizeof(*out), &io);
	if (st == STATUS_SUCCESS && io.Information != sizeof(*out))
		st = STATUS_UNSUCCESSFUL;
	return st;
}

/* PAR_GET_DEVICE_CAPS with @bad; *@caps the answer. */
static NTSTATUS device_caps(PARCLASS_HANDLE h, __u16 bad, __u16 *caps,
			    IO_STATUS_BLOCK *io)
{
	*caps = 0xa5a5;
	memset(io, 0xa5, sizeof(*io));
	return ParclassUserDeviceIoControl(h, IOCTL_PAR_GET_DEVICE_CAPS, &bad,
					   sizeof(bad), caps, sizeof(*caps),
					   io);
}

static NTSTATUS set_address(PARCLASS_HANDLE h, __u32 code, __u8 a,
			    IO_STATUS_BLOCK *io)
{
	memset(io, 0xa5, sizeof(*io));
	return ParclassUserDeviceIoControl(h, code, &a, 1, NULL, 0, io);
}

/* PAR_GET_*_ADDRESS: the address, or -1 (a status other than SUCCESS, or Information not 1). */
static int get_address(PARCLASS_HANDLE h, __u32 code)
{
	IO_STATUS_BLOCK io;
	__u8 a = 0xee;

	if (user_io(h, code, &a, 1, &io) != STATUS_SUCCESS ||
	    io.Information != 1)
		return -1;
	return a;
}

/*
 * Does the simulated peripheral answering @sim_modes speak @bit? It
 * speaks nibble mode with any other; parclass never reaches the
 * hardware modes, bounded ECP or channel nibble.
 */
static int speaks(const char *sim_modes, __u16 bit)
{
	if (!strcmp(sim_modes, "none"))
		return 0;
	switch (bit) {
	case M_NIBBLE:
		return 1;
	case M_BYTE:
		return !!strstr(sim_modes, "byte");
	case M_ECP:
		return !!strstr(sim_modes, "ecp");
	case M_EPP:
		return !!strstr(sim_modes, "epp");
	}
	return 0;
}

/*
 * Windows' answer, from the reference: in @mask, the first mode in
 * Windows' order that the peripheral speaks, compatibility mode needing
 * none; else NONE. Bits of the other direction are not looked at.
 */
static __u16 expect_mode(const char *sim_modes, __u16 mask, int write)
{
	static const __u16 reads[] = { M_ECP, M_EPP, M_BYTE, M_NIBBLE };
	static const __u16 writes[] = {
		M_ECP, M_EPP, M_IEEE_COMPAT, M_CENTRONICS,
	};
	const __u16 *order = write ? writes : reads;
	unsigned int i;

	for (i = 0; i < 4; i++) {
		if (!(mask & order[i]))
			continue;
		if (order[i] == M_IEEE_COMPAT || order[i] == M_CENTRONICS ||
		    speaks(sim_modes, order[i]))
			return order[i];
	}
	return M_NONE;
}

TEST_F(sim, ieee1284_negotiate_reaches_the_fastest_modes)
{
	static const char *const sim_modes[] = {
		"nibble byte ecp epp", "nibble", "epp", "none",
	};
	static const struct {
		__u16 rd, wr;
	} masks[] = {
		{ M_ECP | M_EPP | M_BYTE | M_NIBBLE, M_ECP | M_EPP | M_CENTRONICS },
		{ M_BYTE, M_CENTRONICS },
		{ M_NIBBLE, M_ECP },
		{ M_ECP, M_EPP },
		{ M_NONE, M_ECP | M_IEEE_COMPAT | M_CENTRONICS },
		{ PARCLASS_MODE_EPP_HW | PARCLASS_MODE_ECP_HW_IRQ |
		  PARCLASS_MODE_CHANNEL_NIBBLE,
		  PARCLASS_MODE_EPP_HW | PARCLASS_MODE_BOUNDED_ECP },
		/* The other direction's bits, and unknown ones: ignored. */
		{ M_BYTE | M_CENTRONICS | 0x8000, M_NIBBLE | M_ECP | 0x1000 },
	};
	PARCLASS_NEGOTIATION_MASK out, got;
	IO_STATUS_BLOCK io;
	unsigned int i, j;
	__u16 rd, wr;

	for (i = 0; i < ARRAY_SIZE(sim_modes); i++) {
		ASSERT_EQ(0, sim_puts(self->name, "modes", sim_modes[i]));
		for (j = 0; j < ARRAY_SIZE(masks); j++) {
			rd = expect_mode(sim_modes[i], masks[j].rd, 0);
			wr = expect_mode(sim_modes[i], masks[j].wr, 1);
			/* None both ways first: no answer given at once. */
			ASSERT_EQ(STATUS_SUCCESS,
				  negotiate(self->h, 0, 0, &out, &io));
			EXPECT_EQ(STATUS_SUCCESS,
				  negotiate(self->h, masks[j].rd, masks[j].wr,
					    &out, &io))
				TH_LOG("%s, masks %#x %#x", sim_modes[i],
				       masks[j].rd, masks[j].wr);
			EXPECT_EQ(STATUS_SUCCESS, io.Status);
			EXPECT_EQ(4, io.Information);
			EXPECT_EQ(rd, out.usReadMask)
				TH_LOG("%s, masks %#x %#x", sim_modes[i],
				       masks[j].rd, masks[j].wr);
			EXPECT_EQ(wr, out.usWriteMask)
				TH_LOG("%s, masks %#x %#x", sim_modes[i],
				       masks[j].rd, masks[j].wr);
			ASSERT_EQ(STATUS_SUCCESS, get_mode(self->h, &got));
			EXPECT_EQ(rd, got.usReadMask);
			EXPECT_EQ(wr, got.usWriteMask);
			/* The allocation made for it ended: FREE terminated. */
			EXPECT_TRUE(phase_is(self->name, "compat"));
		}
	}
	EXPECT_PORT_FREE(self->h);
	EXPECT_EQ(1, port_sessions(self->num, NULL));
}

/*
 * Buffers shorter than the masks are INVALID_PARAMETER (GET_MODE's
 * BUFFER_TOO_SMALL); masks that are the modes already are answered at
 * once, without the port, as Windows answers them.
 */
TEST_F(sim, ieee1284_negotiate_buffers_and_the_answer_at_once)
{
	PARCLASS_NEGOTIATION_MASK in = { M_NIBBLE, M_CENTRONICS }, out;
	PARCLASS_INFORMATION pci;
	PARCLASS_HANDLE other;
	struct timespec t0;
	IO_STATUS_BLOCK io;

	memset(&out, 0xa5, sizeof(out));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassUserDeviceIoControl(self->h, IOCTL_IEEE1284_NEGOTIATE,
					      &in, 3, &out, sizeof(out), &io));
	EXPECT_EQ(0, io.Information);
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassUserDeviceIoControl(self->h, IOCTL_IEEE1284_NEGOTIATE,
					      &in, sizeof(in), &out, 3, &io));
	EXPECT_EQ(0, io.Information);
	EXPECT_EQ(0xa5a5, out.usReadMask);
	EXPECT_EQ(STATUS_BUFFER_TOO_SMALL,
		  user_io(self->h, IOCTL_IEEE1284_GET_MODE, &out, 3, &io));
	EXPECT_EQ(0, io.Information);
	EXPECT_EQ(0xa5a5, out.usReadMask);

	ASSERT_EQ(STATUS_SUCCESS,
		  negotiate(self->h, M_NIBBLE, M_CENTRONICS, &out, &io));
	EXPECT_EQ(M_NIBBLE, out.usReadMask);

	/* Another client holds the port: the same masks answer at once. */
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &other));
	ASSERT_EQ(STATUS_SUCCESS, connect_handle(other, &pci));
	ASSERT_EQ(STATUS_SUCCESS, allocate(other));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(STATUS_SUCCESS,
		  negotiate(self->h, M_NIBBLE, M_CENTRONICS, &out, &io));
	EXPECT_GT(100, elapsed_ms(&t0));
	EXPECT_EQ(4, io.Information);
	EXPECT_EQ(M_NIBBLE, out.usReadMask);
	EXPECT_EQ(M_CENTRONICS, out.usWriteMask);
	/* Others need the port: DEVICE_BUSY after 500 ms, modes kept. */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(STATUS_DEVICE_BUSY,
		  negotiate(self->h, M_BYTE, M_CENTRONICS, &out, &io));
	EXPECT_LE(450, elapsed_ms(&t0));
	EXPECT_EQ(0, io.Information);
	EXPECT_EQ(0xa5a5, out.usReadMask);
	ASSERT_EQ(STATUS_SUCCESS, get_mode(self->h, &out));
	EXPECT_EQ(M_NIBBLE, out.usReadMask);
	ParclassClose(other);

	/* The answer at once asks nothing: a peripheral gone quiet... */
	ASSERT_EQ(0, sim_puts(self->name, "modes", "none"));
	EXPECT_EQ(STATUS_SUCCESS,
		  negotiate(self->h, M_NIBBLE, M_CENTRONICS, &out, &io));
	EXPECT_EQ(M_NIBBLE, out.usReadMask);
	/* ... shows at the next negotiation. */
	EXPECT_EQ(STATUS_SUCCESS,
		  negotiate(self->h, M_NIBBLE | M_BYTE, M_CENTRONICS, &out,
			    &io));
	EXPECT_EQ(M_NONE, out.usReadMask);
	EXPECT_EQ(M_CENTRONICS, out.usWriteMask);
	EXPECT_PORT_FREE(self->h);
}

/*
 * The modes belong to the connection: kept with the port held (the
 * peripheral stays in the mode), and after an allocation made for the
 * request (the port back in compatibility mode, a read entering the mode
 * again); a handle without a connection keeps nothing.
 */
TEST_F(sim, ieee1284_modes_stay_with_the_connection)
{
	__u64 ctx = self->pci.ParclassContext;
	PARCLASS_NEGOTIATION_MASK out;
	IO_STATUS_BLOCK io;
	PARCLASS_HANDLE h2;
	__u32 n = 77;

	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	ASSERT_EQ(STATUS_SUCCESS,
		  negotiate(self->h, M_BYTE, M_CENTRONICS, &out, &io));
	EXPECT_EQ(M_BYTE, out.usReadMask);
	EXPECT_TRUE(phase_is(self->name, "byte"));
	EXPECT_EQ(0, ParclassTryAllocatePort(self->h, ctx));
	ParclassFreePort(self->h, ctx);
	EXPECT_TRUE(phase_is(self->name, "compat"));
	ASSERT_EQ(STATUS_SUCCESS, get_mode(self->h, &out));
	EXPECT_EQ(M_BYTE, out.usReadMask);
	EXPECT_EQ(M_CENTRONICS, out.usWriteMask);

	ASSERT_EQ(STATUS_SUCCESS,
		  negotiate(self->h, M_ECP | M_NIBBLE, M_ECP, &out, &io));
	EXPECT_EQ(M_ECP, out.usReadMask);
	EXPECT_EQ(M_ECP, out.usWriteMask);
	EXPECT_TRUE(phase_is(self->name, "compat"));
	ASSERT_EQ(STATUS_SUCCESS, get_mode(self->h, &out));
	EXPECT_EQ(M_ECP, out.usReadMask);
	ASSERT_EQ(0, sim_puts(self->name, "reverse", "back again"));
	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassParallelRead(self->h, ctx, mbuf, 100, &n, 0));
	EXPECT_EQ(10, n);
	EXPECT_EQ(0, memcmp(mbuf, "back again", 10));
	ParclassFreePort(self->h, ctx);

	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &h2));
	EXPECT_EQ(STATUS_SUCCESS, negotiate(h2, M_EPP, M_EPP, &out, &io));
	EXPECT_EQ(4, io.Information);
	EXPECT_EQ(M_EPP, out.usReadMask);
	EXPECT_EQ(M_EPP, out.usWriteMask);
	ASSERT_EQ(STATUS_SUCCESS, get_mode(h2, &out));
	EXPECT_EQ(M_NONE, out.usReadMask);
	EXPECT_EQ(M_CENTRONICS, out.usWriteMask);
	EXPECT_EQ(1, port_sessions(self->num, NULL));
	EXPECT_TRUE(phase_is(self->name, "compat"));
	ParclassClose(h2);
	EXPECT_PORT_FREE(self->h);
}

TEST_F(sim, channel_addresses)
{
	PARCLASS_NEGOTIATION_MASK out;
	PARCLASS_INFORMATION pci;
	PARCLASS_HANDLE h2, other;
	IO_STATUS_BLOCK io;
	__u8 a = 0xee;

	/* One byte in; none out. */
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassUserDeviceIoControl(self->h,
					      IOCTL_PAR_SET_WRITE_ADDRESS,
					      &a, 0, NULL, 0, &io));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassUserDeviceIoControl(self->h,
					      IOCTL_PAR_SET_READ_ADDRESS,
					      NULL, 0, NULL, 0, &io));
	EXPECT_EQ(STATUS_BUFFER_TOO_SMALL,
		  user_io(self->h, IOCTL_PAR_GET_WRITE_ADDRESS, &a, 0, &io));
	EXPECT_EQ(0, io.Information);
	EXPECT_EQ(0, get_address(self->h, IOCTL_PAR_GET_READ_ADDRESS));
	EXPECT_EQ(0, get_address(self->h, IOCTL_PAR_GET_WRITE_ADDRESS));

	/* Compatibility and nibble mode have no addresses. */
	EXPECT_EQ(STATUS_DEVICE_PROTOCOL_ERROR,
		  set_address(self->h, IOCTL_PAR_SET_WRITE_ADDRESS, 3, &io));
	EXPECT_EQ(0, io.Information);
	ASSERT_EQ(STATUS_SUCCESS,
		  negotiate(self->h, M_NIBBLE, M_CENTRONICS, &out, &io));
	EXPECT_EQ(STATUS_DEVICE_PROTOCOL_ERROR,
		  set_address(self->h, IOCTL_PAR_SET_READ_ADDRESS, 3, &io));

	/* ECP: a channel command, sent at once. */
	ASSERT_EQ(STATUS_SUCCESS, negotiate(self->h, M_ECP, M_ECP, &out, &io));
	ASSERT_EQ(M_ECP, out.usReadMask);
	EXPECT_EQ(STATUS_SUCCESS,
		  set_address(self->h, IOCTL_PAR_SET_WRITE_ADDRESS, 5, &io));
	EXPECT_EQ(0, io.Information);
	EXPECT_EQ(5, sim_state(self->name, "ecp_channel"));
	EXPECT_EQ(STATUS_SUCCESS,
		  set_address(self->h, IOCTL_PAR_SET_READ_ADDRESS, 127, &io));
	EXPECT_EQ(127, sim_state(self->name, "ecp_channel"));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  set_address(self->h, IOCTL_PAR_SET_WRITE_ADDRESS, 128, &io));
	EXPECT_EQ(127, sim_state(self->name, "ecp_channel"));
	EXPECT_EQ(5, get_address(self->h, IOCTL_PAR_GET_WRITE_ADDRESS));
	EXPECT_EQ(127, get_address(self->h, IOCTL_PAR_GET_READ_ADDRESS));
	EXPECT_PORT_FREE(self->h);

	/* EPP: an address cycle, up to 255. */
	ASSERT_EQ(STATUS_SUCCESS, negotiate(self->h, M_EPP, M_EPP, &out, &io));
	ASSERT_EQ(M_EPP, out.usWriteMask);
	EXPECT_EQ(STATUS_SUCCESS,
		  set_address(self->h, IOCTL_PAR_SET_WRITE_ADDRESS, 0xa5, &io));
	EXPECT_EQ(0xa5, sim_state(self->name, "epp_addr"));
	EXPECT_EQ(STATUS_SUCCESS,
		  set_address(self->h, IOCTL_PAR_SET_READ_ADDRESS, 0xff, &io));
	EXPECT_EQ(0xff, sim_state(self->name, "epp_addr"));
	EXPECT_EQ(0xa5, get_address(self->h, IOCTL_PAR_GET_WRITE_ADDRESS));
	EXPECT_EQ(0xff, get_address(self->h, IOCTL_PAR_GET_READ_ADDRESS));

	/* Setting needs the port, reporting does not. */
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &other));
	ASSERT_EQ(STATUS_SUCCESS, connect_handle(other, &pci));
	ASSERT_EQ(STATUS_SUCCESS, allocate(other));
	EXPECT_EQ(STATUS_DEVICE_BUSY,
		  set_address(self->h, IOCTL_PAR_SET_WRITE_ADDRESS, 1, &io));
	EXPECT_EQ(0xa5, get_address(self->h, IOCTL_PAR_GET_WRITE_ADDRESS));
	EXPECT_EQ(0xff, sim_state(self->name, "epp_addr"));
	ParclassClose(other);

	/* Without a connection, nothing lasts. */
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &h2));
	EXPECT_EQ(0, get_address(h2, IOCTL_PAR_GET_WRITE_ADDRESS));
	EXPECT_EQ(STATUS_DEVICE_PROTOCOL_ERROR,
		  set_address(h2, IOCTL_PAR_SET_WRITE_ADDRESS, 1, &io));
	EXPECT_EQ(1, port_sessions(self->num, NULL));
	ParclassClose(h2);
	EXPECT_PORT_FREE(self->h);
}

/*
 * PAR_GET_DEVICE_CAPS: what the peripheral accepts, less the modes not
 * to use, which the handle's negotiations then skip, until
 * DetermineIeeeModes forgets them.
 */
TEST_F(sim, device_caps_and_the_modes_not_to_use)
{
	static const struct {
		const char *modes;
		__u16 caps;
	} rows[] = {
		{ "nibble byte ecp epp", M_ALL_CAPS },
		{ "nibble byte", M_CENTRONICS | M_IEEE_COMPAT | M_NIBBLE | M_BYTE },
		{ "ecp", M_CENTRONICS | M_IEEE_COMPAT | M_NIBBLE | M_ECP },
		{ "none", M_CENTRONICS },
	};
	__u64 ctx = self->pci.ParclassContext;
	PARCLASS_NEGOTIATION_MASK out, got;
	IO_STATUS_BLOCK io;
	__u16 caps, bad = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		ASSERT_EQ(0, sim_puts(self->name, "modes", rows[i].modes));
		EXPECT_EQ(STATUS_SUCCESS, device_caps(self->h, 0, &caps, &io));
		EXPECT_EQ(2, io.Information);
		EXPECT_EQ(rows[i].caps, caps) TH_LOG("%s", rows[i].modes);
		EXPECT_TRUE(phase_is(self->name, "compat"));
	}
	ASSERT_EQ(0, sim_puts(self->name, "modes", "nibble byte ecp epp"));
	caps = 0xa5a5;
	EXPECT_EQ(STATUS_BUFFER_TOO_SMALL,
		  ParclassUserDeviceIoControl(self->h, IOCTL_PAR_GET_DEVICE_CAPS,
					      &bad, 1, &caps, 2, &io));
	EXPECT_EQ(STATUS_BUFFER_TOO_SMALL,
		  ParclassUserDeviceIoControl(self->h, IOCTL_PAR_GET_DEVICE_CAPS,
					      &bad, 2, &caps, 1, &io));
	EXPECT_EQ(0, io.Information);
	EXPECT_EQ(0xa5a5, caps);

	/* Compatibility mode is never left out, as on Windows. */
	ASSERT_EQ(STATUS_SUCCESS,
		  negotiate(self->h, M_BYTE, M_CENTRONICS, &out, &io));
	EXPECT_EQ(STATUS_SUCCESS,
		  device_caps(self->h, M_ECP | M_CENTRONICS, &caps, &io));
	EXPECT_EQ(M_ALL_CAPS & ~M_ECP, caps);
	/* The connection's modes do not change. */
	ASSERT_EQ(STATUS_SUCCESS, get_mode(self->h, &got));
	EXPECT_EQ(M_BYTE, got.usReadMask);
	EXPECT_EQ(M_CENTRONICS, got.usWriteMask);
	/* The handle's negotiations skip ECP now. */
	EXPECT_EQ(STATUS_SUCCESS,
		  negotiate(self->h, M_ECP | M_NIBBLE, M_ECP | M_CENTRONICS,
			    &out, &io));
	EXPECT_EQ(M_NIBBLE, out.usReadMask);
	EXPECT_EQ(M_CENTRONICS, out.usWriteMask);
	/* DetermineIeeeModes forgets them, as Windows does. */
	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	caps = 0;
	EXPECT_EQ(STATUS_SUCCESS, ParclassDetermineIeeeModes(self->h, ctx,
							     &caps));
	EXPECT_EQ(M_ALL_CAPS, caps);
	EXPECT_TRUE(phase_is(self->name, "compat"));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassDetermineIeeeModes(self->h, ctx, NULL));
	ParclassFreePort(self->h, ctx);
	EXPECT_EQ(STATUS_SUCCESS,
		  negotiate(self->h, M_ECP | M_NIBBLE, M_ECP | M_CENTRONICS,
			    &out, &io));
	EXPECT_EQ(M_ECP, out.usReadMask);
	EXPECT_EQ(M_ECP, out.usWriteMask);
	EXPECT_PORT_FREE(self->h);
}

TEST_F(sim, ping_asks_the_peripheral)
{
	PARCLASS_NEGOTIATION_MASK out;
	IO_STATUS_BLOCK io;

	/* No read mode: nibble mode, and back. */
	EXPECT_EQ(STATUS_SUCCESS, user_io(self->h, IOCTL_PAR_PING, NULL, 0,
					  &io));
	EXPECT_EQ(0, io.Information);
	ASSERT_EQ(STATUS_SUCCESS,
		  negotiate(self->h, M_BYTE, M_CENTRONICS, &out, &io));
	EXPECT_EQ(STATUS_SUCCESS, user_io(self->h, IOCTL_PAR_PING, NULL, 0,
					  &io));
	EXPECT_TRUE(phase_is(self->name, "compat"));
	/* It answers, but no longer takes byte mode. */
	ASSERT_EQ(0, sim_puts(self->name, "modes", "nibble"));
	EXPECT_EQ(STATUS_NOT_SUPPORTED,
		  user_io(self->h, IOCTL_PAR_PING, NULL, 0, &io));
	EXPECT_EQ(0, io.Information);
	/* No answer at all. */
	ASSERT_EQ(0, sim_puts(self->name, "modes", "none"));
	EXPECT_EQ(STATUS_IO_DEVICE_ERROR,
		  user_io(self->h, IOCTL_PAR_PING, NULL, 0, &io));
	ASSERT_EQ(0, sim_puts(self->name, "modes", "nibble byte ecp epp"));
	ASSERT_EQ(0, sim_puts(self->name, "faults", "nocable"));
	EXPECT_EQ(STATUS_IO_DEVICE_ERROR,
		  user_io(self->h, IOCTL_PAR_PING, NULL, 0, &io));
	ASSERT_EQ(0, sim_puts(self->name, "faults", "none"));
	EXPECT_EQ(STATUS_SUCCESS, user_io(self->h, IOCTL_PAR_PING, NULL, 0,
					  &io));
	EXPECT_PORT_FREE(self->h);
}

TEST_F(sim, ecp_host_recovery)
{
	IO_STATUS_BLOCK io;
	PARCLASS_HANDLE h2;
	__u8 flag;

	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassUserDeviceIoControl(self->h,
					      IOCTL_PAR_ECP_HOST_RECOVERY,
					      &flag, 0, NULL, 0, &io));
	/* A BOOLEAN: 0 is FALSE, anything else TRUE. */
	for (flag = 0; flag < 3; flag++) {
		memset(&io, 0xa5, sizeof(io));
		EXPECT_EQ(STATUS_SUCCESS,
			  ParclassUserDeviceIoControl(self->h,
						      IOCTL_PAR_ECP_HOST_RECOVERY,
						      &flag, 1, NULL, 0, &io))
			TH_LOG("flag %u", flag);
		EXPECT_EQ(0, io.Information);
	}
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &h2));
	flag = 1;
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassUserDeviceIoControl(h2, IOCTL_PAR_ECP_HOST_RECOVERY,
					      &flag, 1, NULL, 0, &io));
	EXPECT_EQ(1, port_sessions(self->num, NULL));
	ParclassClose(h2);
}

/* DISCONNECT_IDLE: compatibility mode, the port and the modes kept. */
TEST_F(sim, disconnect_idle_terminates_the_mode)
{
	__u64 ctx = self->pci.ParclassContext;
	PARCLASS_NEGOTIATION_MASK out;
	IO_STATUS_BLOCK io;

	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	ASSERT_EQ(STATUS_SUCCESS,
		  negotiate(self->h, M_NIBBLE, M_CENTRONICS, &out, &io));
	EXPECT_TRUE(phase_is(self->name, "nibble"));
	memset(&io, 0xa5, sizeof(io));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_DISCONNECT_IDLE,
					  NULL, 0, NULL, 0, &io));
	EXPECT_EQ(0, io.Information);
	EXPECT_TRUE(phase_is(self->name, "compat"));
	EXPECT_EQ(0, ParclassTryAllocatePort(self->h, ctx));
	ASSERT_EQ(STATUS_SUCCESS, get_mode(self->h, &out));
	EXPECT_EQ(M_NIBBLE, out.usReadMask);
	ParclassFreePort(self->h, ctx);
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_DISCONNECT_IDLE,
					  NULL, 0, NULL, 0, &io));
	EXPECT_PORT_FREE(self->h);
}

/*
 * NegotiateIeeeMode: refused with a mode active; the modes reached are
 * the connection's; IsForward says where the port is left.
 * TerminateIeeeMode keeps the modes; RevToFwd enters the write mode,
 * FwdToRev leaves the turn to the read.
 */
TEST_F(sim, routines_negotiate_terminate_and_turn)
{
	__u64 ctx = self->pci.ParclassContext;
	PARCLASS_NEGOTIATION_MASK got;
	__u32 n = 0;

	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	ASSERT_EQ(STATUS_SUCCESS,
		  ParclassNegotiateIeeeMode(self->h, ctx, M_ECP | M_CENTRONICS,
					    M_ECP | M_NIBBLE, SAFE_MODE, 0));
	ASSERT_EQ(STATUS_SUCCESS, get_mode(self->h, &got));
	EXPECT_EQ(M_ECP, got.usReadMask);
	EXPECT_EQ(M_ECP, got.usWriteMask);
	EXPECT_TRUE(phase_is(self->name, "ecp-forward"));
	/* A mode is active: refused, nothing changed. */
	EXPECT_EQ(STATUS_DEVICE_PROTOCOL_ERROR,
		  ParclassNegotiateIeeeMode(self->h, ctx, M_CENTRONICS,
					    M_NIBBLE, SAFE_MODE, 0));
	ASSERT_EQ(STATUS_SUCCESS, get_mode(self->h, &got));
	EXPECT_EQ(M_ECP, got.usReadMask);
	EXPECT_TRUE(phase_is(self->name, "ecp-forward"));
	/* Terminate: compatibility mode, the modes kept. */
	EXPECT_EQ(STATUS_SUCCESS, ParclassTerminateIeeeMode(self->h, ctx));
	EXPECT_TRUE(phase_is(self->name, "compat"));
	ASSERT_EQ(STATUS_SUCCESS, get_mode(self->h, &got));
	EXPECT_EQ(M_ECP, got.usReadMask);
	EXPECT_EQ(M_ECP, got.usWriteMask);

	/* IsForward: the write mode; else the read mode. */
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassNegotiateIeeeMode(self->h, ctx, M_CENTRONICS,
					    M_NIBBLE, SAFE_MODE, 1));
	EXPECT_TRUE(phase_is(self->name, "compat"));
	ASSERT_EQ(STATUS_SUCCESS, get_mode(self->h, &got));
	EXPECT_EQ(M_NIBBLE, got.usReadMask);
	EXPECT_EQ(M_CENTRONICS, got.usWriteMask);
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassNegotiateIeeeMode(self->h, ctx, M_ECP, M_NIBBLE,
					    SAFE_MODE, 0));
	EXPECT_TRUE(phase_is(self->name, "nibble"));

	/* RevToFwd turns to ECP; FwdToRev leaves the port as it is. */
	EXPECT_EQ(STATUS_SUCCESS, ParclassIeeeRevToFwdMode(self->h, ctx));
	EXPECT_TRUE(phase_is(self->name, "ecp-forward"));
	EXPECT_EQ(STATUS_SUCCESS, ParclassIeeeFwdToRevMode(self->h, ctx));
	EXPECT_TRUE(phase_is(self->name, "ecp-forward"));
	/* ... and the read turns. */
	ASSERT_EQ(0, sim_puts(self->name, "reverse", "turned"));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassParallelRead(self->h, ctx, mbuf, sizeof(mbuf), &n, 0));
	EXPECT_EQ(6, n);
	EXPECT_EQ(0, memcmp(mbuf, "turned", 6));
	EXPECT_TRUE(phase_is(self->name, "nibble"));

	/*
	 * UNSAFE_MODE as Windows allows it: compatibility mode with nibble
	 * or byte mode, or the same mode both ways.
	 */
	EXPECT_EQ(STATUS_SUCCESS, ParclassTerminateIeeeMode(self->h, ctx));
	EXPECT_EQ(STATUS_UNSUCCESSFUL,
		  ParclassNegotiateIeeeMode(self->h, ctx, M_ECP, M_NIBBLE,
					    UNSAFE_MODE, 0));
	EXPECT_EQ(STATUS_UNSUCCESSFUL,
		  ParclassNegotiateIeeeMode(self->h, ctx, M_CENTRONICS, M_ECP,
					    UNSAFE_MODE, 0));
	EXPECT_TRUE(phase_is(self->name, "compat"));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassNegotiateIeeeMode(self->h, ctx, M_EPP, M_EPP,
					    UNSAFE_MODE, 0));
	EXPECT_TRUE(phase_is(self->name, "epp"));
	EXPECT_EQ(STATUS_SUCCESS, ParclassTerminateIeeeMode(self->h, ctx));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassNegotiateIeeeMode(self->h, ctx, M_CENTRONICS, M_BYTE,
					    UNSAFE_MODE, 0));
	EXPECT_TRUE(phase_is(self->name, "byte"));

	/* No mode a mask can have: NONE, as on Windows, not a failure. */
	EXPECT_EQ(STATUS_SUCCESS, ParclassTerminateIeeeMode(self->h, ctx));
	ASSERT_EQ(0, sim_puts(self->name, "modes", "nibble"));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassNegotiateIeeeMode(self->h, ctx, M_ECP, M_BYTE,
					    SAFE_MODE, 0));
	ASSERT_EQ(STATUS_SUCCESS, get_mode(self->h, &got));
	EXPECT_EQ(M_NONE, got.usReadMask);
	EXPECT_EQ(M_NONE, got.usWriteMask);
	EXPECT_EQ(STATUS_DEVICE_PROTOCOL_ERROR,
		  ParclassIeeeFwdToRevMode(self->h, ctx));
	n = 77;
	EXPECT_EQ(STATUS_DEVICE_PROTOCOL_ERROR,
		  ParclassParallelRead(self->h, ctx, mbuf, 10, &n, 0));
	EXPECT_EQ(0, n);
	/* Writing without a write mode: compatibility mode. */
	ASSERT_EQ(0, sim_puts(self->name, "forward", "x"));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassParallelWrite(self->h, ctx, "plain", 5, &n, 0));
	EXPECT_EQ(5, n);
	EXPECT_EQ(5, sim_get(self->name, "forward", (char *)mbuf, 64));
	EXPECT_EQ(0, memcmp(mbuf, "plain", 5));
	ParclassFreePort(self->h, ctx);
}

/* The peripheral's bytes, exactly, in mode @rev_mode (write mode @fwd). */
static void routine_read(struct __test_metadata *_metadata, PARCLASS_HANDLE h,
			 __u64 ctx, const char *sim, __u16 fwd, __u16 rev,
			 size_t len)
{
	PARCLASS_NEGOTIATION_MASK got;
	__u32 n = 0;

	fill(mwant, len, len + rev);
	ASSERT_EQ(0, sim_put(sim, "reverse", mwant, len));
	ASSERT_EQ(STATUS_SUCCESS, ParclassTerminateIeeeMode(h, ctx));
	ASSERT_EQ(STATUS_SUCCESS,
		  ParclassNegotiateIeeeMode(h, ctx, fwd, rev, SAFE_MODE, 0));
	ASSERT_EQ(STATUS_SUCCESS, get_mode(h, &got));
	ASSERT_EQ(rev, got.usReadMask);
	memset(mbuf, 0, sizeof(mbuf));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassParallelRead(h, ctx, mbuf, sizeof(mbuf), &n, 0));
	EXPECT_EQ(len, n) TH_LOG("mode %#x", rev);
	EXPECT_EQ(0, memcmp(mbuf, mwant, len)) TH_LOG("mode %#x", rev);
	/* Nothing more: at once, no bytes. */
	n = 77;
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassParallelRead(h, ctx, mbuf, sizeof(mbuf), &n, 0));
	EXPECT_EQ(0, n);
}

/* The host's bytes, exactly, in write mode @fwd; the port left in it. */
static void routine_write(struct __test_metadata *_metadata,
			  PARCLASS_HANDLE h, __u64 ctx, const char *sim,
			  __u16 fwd, const char *phase, size_t len)
{
	static char fwd_got[8192];
	__u32 n = 0;

	fill(mwant, len, len + fwd);
	ASSERT_EQ(STATUS_SUCCESS, ParclassTerminateIeeeMode(h, ctx));
	ASSERT_EQ(STATUS_SUCCESS,
		  ParclassNegotiateIeeeMode(h, ctx, fwd, M_NIBBLE, SAFE_MODE,
					    1));
	ASSERT_EQ(0, sim_puts(sim, "forward", "x"));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassParallelWrite(h, ctx, mwant, len, &n, 0));
	EXPECT_EQ(len, n);
	EXPECT_TRUE(phase_is(sim, phase)) TH_LOG("mode %#x", fwd);
	EXPECT_EQ((ssize_t)len, sim_get(sim, "forward", fwd_got,
					sizeof(fwd_got)));
	EXPECT_EQ(0, memcmp(fwd_got, mwant, len)) TH_LOG("mode %#x", fwd);
}

TEST_F(sim, routines_read_and_write_in_each_mode)
{
	__u64 ctx = self->pci.ParclassContext;
	__u32 n = 77;

	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	routine_read(_metadata, self->h, ctx, self->name, M_CENTRONICS,
		     M_NIBBLE, 700);
	routine_read(_metadata, self->h, ctx, self->name, M_CENTRONICS,
		     M_BYTE, 3 * 4096 + 17);
	routine_read(_metadata, self->h, ctx, self->name, M_ECP, M_ECP,
		     3 * 4096 + 5);
	routine_read(_metadata, self->h, ctx, self->name, M_EPP, M_EPP, 2000);
	/* ECP run-length runs come expanded. */
	memset(mwant, 'r', 600);
	memset(mwant + 600, 0, 300);
	ASSERT_EQ(0, sim_put(self->name, "reverse", mwant, 900));
	/* EPP is still active. */
	EXPECT_EQ(STATUS_DEVICE_PROTOCOL_ERROR,
		  ParclassNegotiateIeeeMode(self->h, ctx, M_ECP, M_ECP,
					    SAFE_MODE, 0));
	EXPECT_EQ(STATUS_SUCCESS, ParclassTerminateIeeeMode(self->h, ctx));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassNegotiateIeeeMode(self->h, ctx, M_ECP, M_ECP,
					    SAFE_MODE, 0));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassParallelRead(self->h, ctx, mbuf, sizeof(mbuf), &n, 0));
	EXPECT_EQ(900, n);
	EXPECT_EQ(0, memcmp(mbuf, mwant, 900));
	/* Nothing asked, nothing read. */
	n = 77;
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassParallelRead(self->h, ctx, mbuf, 0, &n, 0));
	EXPECT_EQ(0, n);

	routine_write(_metadata, self->h, ctx, self->name, M_ECP,
		      "ecp-forward", 5000);
	routine_write(_metadata, self->h, ctx, self->name, M_EPP, "epp", 3000);
	routine_write(_metadata, self->h, ctx, self->name, M_CENTRONICS,
		      "compat", 100);
	ParclassFreePort(self->h, ctx);
}

/*
 * The routines are for a holder of the port: without it nothing is
 * done; after DISCONNECT the Context is dead.
 */
TEST_F(sim, routines_need_the_port_and_a_live_connection)
{
	__u64 ctx = self->pci.ParclassContext;
	IO_STATUS_BLOCK io;
	__u16 caps = 0;
	__u32 n = 77;

	ASSERT_EQ(0, sim_puts(self->name, "forward", "x"));
	ASSERT_EQ(0, sim_puts(self->name, "reverse", "unread"));
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  ParclassParallelRead(self->h, ctx, mbuf, 10, &n, 0));
	EXPECT_EQ(0, n);
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  ParclassParallelRead(self->h, ctx, mbuf, 0, &n, 0));
	n = 77;
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  ParclassParallelWrite(self->h, ctx, "lost", 4, &n, 0));
	EXPECT_EQ(0, n);
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  ParclassNegotiateIeeeMode(self->h, ctx, M_CENTRONICS,
					    M_NIBBLE, SAFE_MODE, 0));
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  ParclassTerminateIeeeMode(self->h, ctx));
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  ParclassIeeeFwdToRevMode(self->h, ctx));
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  ParclassIeeeRevToFwdMode(self->h, ctx));
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  ParclassDetermineIeeeModes(self->h, ctx, &caps));
	EXPECT_EQ(0, sim_get(self->name, "forward", (char *)mbuf, 64));
	EXPECT_EQ(6, sim_state(self->name, "reverse"));
	EXPECT_TRUE(phase_is(self->name, "compat"));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassParallelRead(self->h, ctx, NULL, 10, &n, 0));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassParallelWrite(self->h, ctx, NULL, 10, &n, 0));

	ASSERT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARCLASS_DISCONNECT,
					  NULL, 0, NULL, 0, &io));
	EXPECT_EQ(STATUS_INVALID_HANDLE,
		  ParclassParallelRead(self->h, ctx, mbuf, 10, &n, 0));
	EXPECT_EQ(STATUS_INVALID_HANDLE,
		  ParclassParallelWrite(self->h, ctx, "lost", 4, &n, 0));
	EXPECT_EQ(STATUS_INVALID_HANDLE,
		  ParclassNegotiateIeeeMode(self->h, ctx, M_CENTRONICS,
					    M_NIBBLE, SAFE_MODE, 0));
	EXPECT_EQ(STATUS_INVALID_HANDLE,
		  ParclassTerminateIeeeMode(self->h, ctx));
	EXPECT_EQ(STATUS_INVALID_HANDLE,
		  ParclassIeeeFwdToRevMode(self->h, ctx));
	EXPECT_EQ(STATUS_INVALID_HANDLE,
		  ParclassIeeeRevToFwdMode(self->h, ctx));
	EXPECT_EQ(STATUS_INVALID_HANDLE,
		  ParclassDetermineIeeeModes(self->h, ctx, &caps));
	EXPECT_EQ(0, sim_get(self->name, "forward", (char *)mbuf, 64));
}

/*
 * QEMU's LPT has no reverse channel: NEGOTIATE reaches no read mode and
 * compatibility mode for writing, PAR_GET_DEVICE_CAPS finds CENTRONICS
 * only, PAR_PING gets no answer. Nothing is printed.
 */
TEST_F(win, qemu_lpt_modes)
{
	PARCLASS_NEGOTIATION_MASK out;
	IO_STATUS_BLOCK io;
	__u16 caps;
	NTSTATUS st;

	EXPECT_EQ(STATUS_SUCCESS,
		  negotiate(self->h, M_ECP | M_EPP | M_BYTE | M_NIBBLE,
			    M_ECP | M_CENTRONICS, &out, &io));
	EXPECT_EQ(4, io.Information);
	EXPECT_EQ(M_NONE, out.usReadMask);
	EXPECT_EQ(M_CENTRONICS, out.usWriteMask);
	EXPECT_EQ(STATUS_SUCCESS, device_caps(self->h, 0, &caps, &io));
	EXPECT_EQ(2, io.Information);
	EXPECT_EQ(M_CENTRONICS, caps);
	EXPECT_EQ(STATUS_IO_DEVICE_ERROR,
		  user_io(self->h, IOCTL_PAR_PING, NULL, 0, &io));
	EXPECT_EQ(0, io.Information);
	EXPECT_EQ(1, is_port_free(self->h, &st));
	EXPECT_EQ(STATUS_SUCCESS, st);
}

/* A child's device-side request on a port the test holds. */
struct child_query {
	pid_t pid;
	int result;	/* read end: its NTSTATUS and milliseconds */
	int handled;	/* read end: a byte per signal handled */
};

static int handled_fd = -1;

static void on_usr1_tell(int sig)
{
	int saved = errno;
	ssize_t n;

	n = write(handled_fd, "s", 1);
	(void)n;
	(void)sig;
	errno = saved;
}

/*
 * QUERY_INFORMATION on a handle of the child's own without a connection,
 * with a SIGUSR1 handler installed without SA_RESTART, as an
 * application's SIGCHLD or SIGALRM handler would be.
 */
static int start_child_query(int num, struct child_query *c)
{
	struct sigaction sa = { .sa_handler = on_usr1_tell };
	int res[2], sig[2];

	if (pipe(res) || pipe(sig))
		return -1;
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (c->pid == 0) {
		PAR_QUERY_INFORMATION q;
		struct timespec t0;
		IO_STATUS_BLOCK io;
		PARCLASS_HANDLE h;
		long long r[2];

		close(res[0]);
		close(sig[0]);
		handled_fd = sig[1];
		sigaction(SIGUSR1, &sa, NULL);
		alarm(20);
		if (ParclassOpen(num, &h))
			_exit(2);
		clock_gettime(CLOCK_MONOTONIC, &t0);
		r[0] = ParclassUserDeviceIoControl(h, IOCTL_PAR_QUERY_INFORMATION,
						   NULL, 0, &q, sizeof(q), &io);
		r[1] = elapsed_ms(&t0);
		if (write(res[1], r, sizeof(r)) != sizeof(r))
			_exit(3);
		_exit(0);
	}
	close(res[1]);
	close(sig[1]);
	c->result = res[0];
	c->handled = sig[0];
	return 0;
}

/* Wait until port @num has @want parclass waiters; 0, or -1 after 5 s. */
static int wait_waiters(int num, __u32 want)
{
	__u32 waiters = ~want;
	int i;

	for (i = 0; i < 1000; i++) {
		if (port_sessions(num, &waiters) >= 0 && waiters == want)
			return 0;
		usleep(5000);
	}
	return -1;
}

/* Wait for the child to say it handled the signal; 0, or -1. */
static int wait_handled(struct child_query *c)
{
	struct pollfd p = { .fd = c->handled, .events = POLLIN };
	char b;

	if (poll(&p, 1, 5000) != 1 || read(c->handled, &b, 1) != 1)
		return -1;
	return 0;
}

/* The child's status and time; the child reaped. */
static int end_child_query(struct child_query *c, long long r[2])
{
	int status, ok;

	ok = read(c->result, r, 2 * sizeof(r[0])) == 2 * sizeof(r[0]);
	ok &= waitpid(c->pid, &status, 0) == c->pid && WIFEXITED(status) &&
	      !WEXITSTATUS(status);
	close(c->result);
	close(c->handled);
	return ok ? 0 : -1;
}

/*
 * A signal during the allocation made around a request does not cancel
 * it: the request gets the port when the holder frees it.
 */
TEST_F(sim, signal_while_waiting_for_the_port_does_not_cancel)
{
	struct child_query c;
	IO_STATUS_BLOCK io;
	long long r[2];

	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	ASSERT_EQ(0, start_child_query(self->num, &c));
	ASSERT_EQ(0, wait_waiters(self->num, 1));
	kill(c.pid, SIGUSR1);
	/* The signal ended the kernel's wait; the layer waits again. */
	ASSERT_EQ(0, wait_handled(&c));
	ASSERT_EQ(0, wait_waiters(self->num, 1));
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_FREE,
					  NULL, 0, NULL, 0, &io));
	ASSERT_EQ(0, end_child_query(&c, r));
	EXPECT_EQ(STATUS_SUCCESS, r[0]) TH_LOG("after %lld ms", r[1]);
	EXPECT_GT(500, r[1]);
	EXPECT_EQ(1, port_sessions(self->num, NULL));
	EXPECT_PORT_FREE(self->h);
}

/* ... nor does it stretch the 500 ms: the wait goes on for what is left. */
TEST_F(sim, signal_while_waiting_keeps_the_500_ms)
{
	struct child_query c;
	long long r[2];

	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	ASSERT_EQ(0, start_child_query(self->num, &c));
	ASSERT_EQ(0, wait_waiters(self->num, 1));
	usleep(300 * 1000);
	kill(c.pid, SIGUSR1);
	ASSERT_EQ(0, wait_handled(&c));
	ASSERT_EQ(0, end_child_query(&c, r));
	EXPECT_EQ(STATUS_DEVICE_BUSY, r[0]);
	/* Not cancelled at 300 ms, and not 500 ms more after the signal. */
	EXPECT_LE(450, r[1]);
	EXPECT_GT(750, r[1]);
	EXPECT_EQ(0, ParclassTryAllocatePort(self->h, self->pci.ParclassContext));
	EXPECT_EQ(1, port_sessions(self->num, NULL));
}

/* The port side: chip modes, locks, the daisy chain, interrupts. */

/* An internal request with input only; UNSUCCESSFUL if Information is not 0. */
static NTSTATUS port_io(PARCLASS_HANDLE h, __u32 code, const void *in,
			__u32 in_len)
{
	IO_STATUS_BLOCK io;
	NTSTATUS st;

	memset(&io, 0xa5, sizeof(io));
	st = ParclassDeviceIoControl(h, code, in, in_len, NULL, 0, &io);
	if (io.Status != st || io.Information)
		return STATUS_UNSUCCESSFUL;
	return st;
}

static NTSTATUS chip_mode(PARCLASS_HANDLE h, int set, __u8 flags)
{
	PARALLEL_CHIP_MODE m = { flags, 0 };

	return port_io(h, set ? IOCTL_INTERNAL_PARALLEL_SET_CHIP_MODE :
				IOCTL_INTERNAL_PARALLEL_CLEAR_CHIP_MODE,
		       &m, sizeof(m));
}

static NTSTATUS pnp_info(PARCLASS_HANDLE h, PARALLEL_PNP_INFORMATION *pnp)
{
	IO_STATUS_BLOCK io;
	NTSTATUS st;

	memset(pnp, 0xa5, sizeof(*pnp));
	st = ParclassDeviceIoControl(h, IOCTL_INTERNAL_GET_PARALLEL_PNP_INFO,
				     NULL, 0, pnp, sizeof(*pnp), &io);
	if (st == STATUS_SUCCESS && io.Information != sizeof(*pnp))
		return STATUS_UNSUCCESSFUL;
	return st;
}

/* The port's chip mode as GET_PARALLEL_PNP_INFO reports it, or -1. */
static long current_mode(PARCLASS_HANDLE h)
{
	PARALLEL_PNP_INFORMATION pnp;

	return pnp_info(h, &pnp) == STATUS_SUCCESS ? (long)pnp.CurrentMode : -1;
}

static NTSTATUS free_port(PARCLASS_HANDLE h)
{
	return port_io(h, IOCTL_INTERNAL_PARALLEL_PORT_FREE, NULL, 0);
}

TEST_F(sim, chip_modes_as_windows_answers)
{
	__u64 ctx = self->pci.ParclassContext;
	PARALLEL_CHIP_MODE m = { ECR_ECP_MODE, 0 };
	IO_STATUS_BLOCK io;

	EXPECT_EQ(INITIAL_MODE, current_mode(self->h));
	/* The port must be held. */
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE, chip_mode(self->h, 1, ECR_ECP_MODE));
	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	EXPECT_EQ(STATUS_BUFFER_TOO_SMALL,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_SET_CHIP_MODE,
					  &m, 1, NULL, 0, &io));
	/* ModeFlags & ~0x1F, as Windows masks it. */
	EXPECT_EQ(STATUS_SUCCESS, chip_mode(self->h, 1, ECR_ECP_MODE | 0x1f));
	EXPECT_EQ(ECR_ECP_MODE, current_mode(self->h));
	/* ECP or EPP set: clear it first. */
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  chip_mode(self->h, 1, ECR_BYTE_MODE));
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  chip_mode(self->h, 1, ECR_EPP_MODE));
	/* CLEAR must name the current mode. */
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  chip_mode(self->h, 0, ECR_EPP_MODE));
	EXPECT_EQ(ECR_ECP_MODE, current_mode(self->h));
	EXPECT_EQ(STATUS_SUCCESS, chip_mode(self->h, 0, ECR_ECP_MODE));
	EXPECT_EQ(INITIAL_MODE, current_mode(self->h));
	/* From byte mode on to EPP. */
	EXPECT_EQ(STATUS_SUCCESS, chip_mode(self->h, 1, ECR_BYTE_MODE));
	EXPECT_EQ(ECR_BYTE_MODE, current_mode(self->h));
	EXPECT_EQ(STATUS_SUCCESS, chip_mode(self->h, 1, ECR_EPP_MODE));
	EXPECT_EQ(ECR_EPP_MODE, current_mode(self->h));
	EXPECT_EQ(STATUS_SUCCESS, chip_mode(self->h, 0, ECR_EPP_MODE));
	/* Not a mode Windows sets. */
	EXPECT_EQ(STATUS_INVALID_PARAMETER, chip_mode(self->h, 1, 0x40));
	/* The routines of PARALLEL_PNP_INFORMATION answer alike. */
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassTrySetChipMode(self->h, ctx, ECR_ECP_MODE));
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  ParclassTrySetChipMode(self->h, ctx, ECR_ECP_MODE));
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  ParclassClearChipMode(self->h, ctx, ECR_BYTE_MODE));
	/* FREE puts the port back in its initial mode. */
	EXPECT_EQ(STATUS_SUCCESS, free_port(self->h));
	EXPECT_EQ(INITIAL_MODE, current_mode(self->h));
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  ParclassClearChipMode(self->h, ctx, ECR_ECP_MODE));
}

/* QEMU's LPT is byte-capable only: ECP and EPP are NO_SUCH_DEVICE. */
TEST_F(win, chip_mode_the_port_lacks_is_no_such_device)
{
	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	EXPECT_EQ(STATUS_NO_SUCH_DEVICE, chip_mode(self->h, 1, ECR_ECP_MODE));
	EXPECT_EQ(STATUS_NO_SUCH_DEVICE, chip_mode(self->h, 1, ECR_EPP_MODE));
	EXPECT_EQ(INITIAL_MODE, current_mode(self->h));
	EXPECT_EQ(STATUS_SUCCESS, chip_mode(self->h, 1, ECR_BYTE_MODE));
	EXPECT_EQ(ECR_BYTE_MODE, current_mode(self->h));
	EXPECT_EQ(STATUS_SUCCESS, chip_mode(self->h, 0, ECR_BYTE_MODE));
	EXPECT_EQ(STATUS_SUCCESS, free_port(self->h));
}

TEST_F(sim, lock_and_unlock_port)
{
	PARCLASS_INFORMATION pci;
	struct timespec t0;
	PARCLASS_HANDLE h2;
	long long ms;
	NTSTATUS st;

	EXPECT_EQ(STATUS_SUCCESS, port_io(self->h, IOCTL_INTERNAL_LOCK_PORT,
					  NULL, 0));
	EXPECT_EQ(0, is_port_free(self->h, &st));
	/* Locked already: as ALLOCATE twice. */
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  port_io(self->h, IOCTL_INTERNAL_LOCK_PORT, NULL, 0));
	EXPECT_EQ(STATUS_SUCCESS, port_io(self->h, IOCTL_INTERNAL_UNLOCK_PORT,
					  NULL, 0));
	EXPECT_PORT_FREE(self->h);
	/* UNLOCK always succeeds, held or not. */
	EXPECT_EQ(STATUS_SUCCESS, port_io(self->h, IOCTL_INTERNAL_UNLOCK_PORT,
					  NULL, 0));
	EXPECT_EQ(STATUS_SUCCESS,
		  port_io(self->h, IOCTL_INTERNAL_UNLOCK_PORT_NO_DESELECT,
			  NULL, 0));
	EXPECT_EQ(STATUS_SUCCESS,
		  port_io(self->h, IOCTL_INTERNAL_LOCK_PORT_NO_SELECT, NULL, 0));
	EXPECT_EQ(0, is_port_free(self->h, &st));
	EXPECT_EQ(STATUS_SUCCESS,
		  port_io(self->h, IOCTL_INTERNAL_UNLOCK_PORT_NO_DESELECT,
			  NULL, 0));
	EXPECT_PORT_FREE(self->h);

	/* Another client holds the port: acquire_timeout_ms, DEVICE_BUSY. */
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &h2));
	ASSERT_EQ(STATUS_SUCCESS, connect_handle(h2, &pci));
	ASSERT_EQ(STATUS_SUCCESS, allocate(h2));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(STATUS_DEVICE_BUSY,
		  port_io(self->h, IOCTL_INTERNAL_LOCK_PORT, NULL, 0));
	ms = elapsed_ms(&t0);
	EXPECT_LE(450, ms);
	EXPECT_GT(2000, ms);
	EXPECT_EQ(STATUS_DEVICE_BUSY,
		  port_io(self->h, IOCTL_INTERNAL_LOCK_PORT_NO_SELECT, NULL, 0));
	/* The holder still holds it. */
	EXPECT_EQ(0, ParclassTryAllocatePort(self->h, self->pci.ParclassContext));
	EXPECT_EQ(STATUS_SUCCESS, port_io(self->h, IOCTL_INTERNAL_UNLOCK_PORT,
					  NULL, 0));
	EXPECT_EQ(0, is_port_free(self->h, &st));
	ParclassClose(h2);
	EXPECT_EQ(STATUS_SUCCESS, port_io(self->h, IOCTL_INTERNAL_LOCK_PORT,
					  NULL, 0));
	EXPECT_EQ(STATUS_SUCCESS, port_io(self->h, IOCTL_INTERNAL_UNLOCK_PORT,
					  NULL, 0));

	/* Without a connection there is nothing to lock. */
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &h2));
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  port_io(h2, IOCTL_INTERNAL_LOCK_PORT, NULL, 0));
	ParclassClose(h2);
}

/*
 * ALLOCATE while another request of the handle waits for the port is
 * not the handle's "already holding": DEVICE_BUSY, at once, and the
 * device-side requests likewise.
 */
TEST_F(sim, allocate_while_the_handle_waits_is_device_busy)
{
	PARCLASS_ALLOCATE_PARAMETERS pend = { 0, PARCLASS_ALLOCATE_PENDING };
	PARCLASS_ALLOCATE_PARAMETERS p = { .TimeoutMs = 100 };
	PAR_QUERY_INFORMATION q;
	PARCLASS_INFORMATION pci;
	struct timespec t0;
	PARCLASS_HANDLE h2;
	IO_STATUS_BLOCK io;

	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &h2));
	ASSERT_EQ(STATUS_SUCCESS, connect_handle(h2, &pci));
	ASSERT_EQ(STATUS_SUCCESS, allocate(h2));
	ASSERT_EQ(STATUS_PENDING,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
					  &pend, sizeof(pend), NULL, 0, &io));
	EXPECT_EQ(0, io.Information);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(STATUS_DEVICE_BUSY,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
					  &p, sizeof(p), NULL, 0, &io));
	EXPECT_EQ(STATUS_DEVICE_BUSY,
		  user_io(self->h, IOCTL_PAR_QUERY_INFORMATION, &q, sizeof(q),
			  &io));
	EXPECT_GT(400, elapsed_ms(&t0));
	EXPECT_EQ(STATUS_CANCELLED, ParclassCancelAllocate(self->h));
	ParclassClose(h2);
	EXPECT_PORT_FREE(self->h);
	/* Holding, ALLOCATE stays INVALID_DEVICE_STATE. */
	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE, allocate(self->h));
}

TEST_F(sim, pending_allocate_waits_and_cancels)
{
	PARCLASS_ALLOCATE_PARAMETERS pend = { 0, PARCLASS_ALLOCATE_PENDING };
	PARCLASS_ALLOCATE_PARAMETERS bad = { 5, PARCLASS_ALLOCATE_PENDING };
	PARCLASS_INFORMATION pci;
	PARCLASS_HANDLE h2;
	IO_STATUS_BLOCK io;
	struct pollfd pfd;
	NTSTATUS st;

	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
					  &bad, sizeof(bad), NULL, 0, &io));
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE, ParclassWaitAllocate(self->h, 0));
	/* Free: granted at once. */
	EXPECT_EQ(STATUS_SUCCESS,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
					  &pend, sizeof(pend), NULL, 0, &io));
	EXPECT_EQ(STATUS_SUCCESS, free_port(self->h));

	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &h2));
	ASSERT_EQ(STATUS_SUCCESS, connect_handle(h2, &pci));
	ASSERT_EQ(STATUS_SUCCESS, allocate(h2));
	ASSERT_EQ(STATUS_PENDING,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
					  &pend, sizeof(pend), NULL, 0, &io));
	EXPECT_EQ(STATUS_TIMEOUT, ParclassWaitAllocate(self->h, 100));
	pfd.fd = ParclassEventFd(self->h);
	pfd.events = POLLIN;
	EXPECT_EQ(0, poll(&pfd, 1, 0));
	EXPECT_EQ(STATUS_SUCCESS, free_port(h2));
	EXPECT_EQ(1, poll(&pfd, 1, 2000));
	EXPECT_EQ(STATUS_SUCCESS, ParclassWaitAllocate(self->h, 2000));
	EXPECT_EQ(0, is_port_free(self->h, &st));
	EXPECT_EQ(0, ParclassTryAllocatePort(h2, pci.ParclassContext));
	EXPECT_EQ(STATUS_SUCCESS, free_port(self->h));

	/* Cancelled: never granted. */
	ASSERT_EQ(STATUS_SUCCESS, allocate(h2));
	ASSERT_EQ(STATUS_PENDING,
		  ParclassDeviceIoControl(self->h,
					  IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
					  &pend, sizeof(pend), NULL, 0, &io));
	EXPECT_EQ(STATUS_CANCELLED, ParclassCancelAllocate(self->h));
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE, ParclassWaitAllocate(self->h, 0));
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE, ParclassCancelAllocate(self->h));
	EXPECT_EQ(STATUS_SUCCESS, free_port(h2));
	EXPECT_PORT_FREE(self->h);
	ParclassClose(h2);
}

static const char chain_ids[] = "MFG:Chain;MDL:Zero;CLS:SCANNER;\n"
				"MFG:Chain;MDL:One;CLS:PRINTER;\n"
				"MFG:Chain;MDL:Two;CLS:PRINTER;\n"
				"MFG:Chain;MDL:Three;CLS:PRINTER;\n";

/* A simulated port with a four-device daisy chain, connected as LPTn. */
FIXTURE(chain) {
	char name[32];
	int num;
	PARCLASS_HANDLE h;
	PARCLASS_INFORMATION pci;
};

FIXTURE_SETUP(chain)
{
	snprintf(self->name, sizeof(self->name), "wch%d", (int)getpid());
	self->num = sim_create(self->name, "daisy", chain_ids);
	ASSERT_LE(2, self->num);
	ASSERT_EQ(0, sim_puts(self->name, "device_id", printer_id));
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &self->h));
	ASSERT_EQ(STATUS_SUCCESS, connect_handle(self->h, &self->pci));
}

FIXTURE_TEARDOWN(chain)
{
	ParclassClose(self->h);
	sim_destroy(self->name);
}

static NTSTATUS select_device(PARCLASS_HANDLE h, int select, __u8 id,
			      __u32 flags)
{
	PARALLEL_1284_COMMAND c = { id, 0, flags };

	return port_io(h, select ? IOCTL_INTERNAL_SELECT_DEVICE :
				   IOCTL_INTERNAL_DESELECT_DEVICE,
		       &c, sizeof(c));
}

TEST_F(chain, pnp_info_counts_the_chain)
{
	PARALLEL_PNP_INFORMATION pnp;

	EXPECT_EQ(PPT_1284_3_PRESENT,
		  self->pci.HardwareCapabilities & PPT_1284_3_PRESENT);
	ASSERT_EQ(STATUS_SUCCESS, pnp_info(self->h, &pnp));
	EXPECT_EQ(4, pnp.Ieee1284_3DeviceCount);
	EXPECT_EQ(PPT_1284_3_PRESENT,
		  pnp.HardwareCapabilities & PPT_1284_3_PRESENT);
	EXPECT_EQ(INITIAL_MODE, pnp.CurrentMode);
}

TEST_F(chain, init_1284_3_bus_counts_four)
{
	PARALLEL_PNP_INFORMATION pnp;
	PARCLASS_HANDLE h2;

	/* Within an allocation made around it, freed afterwards. */
	EXPECT_EQ(STATUS_SUCCESS,
		  port_io(self->h, IOCTL_INTERNAL_INIT_1284_3_BUS, NULL, 0));
	EXPECT_PORT_FREE(self->h);
	ASSERT_EQ(STATUS_SUCCESS, pnp_info(self->h, &pnp));
	EXPECT_EQ(4, pnp.Ieee1284_3DeviceCount);
	/* Within the handle's own. */
	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	EXPECT_EQ(STATUS_SUCCESS,
		  port_io(self->h, IOCTL_INTERNAL_INIT_1284_3_BUS, NULL, 0));
	EXPECT_EQ(-1, sim_state(self->name, "selected"));
	EXPECT_EQ(STATUS_SUCCESS, free_port(self->h));
	/* And without a connection. */
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &h2));
	EXPECT_EQ(STATUS_SUCCESS,
		  port_io(h2, IOCTL_INTERNAL_INIT_1284_3_BUS, NULL, 0));
	ASSERT_EQ(STATUS_SUCCESS, pnp_info(h2, &pnp));
	EXPECT_EQ(4, pnp.Ieee1284_3DeviceCount);
	ParclassClose(h2);
	EXPECT_PORT_FREE(self->h);
}

TEST_F(chain, select_and_deselect_device)
{
	__u64 ctx = self->pci.ParclassContext;
	PARALLEL_1284_COMMAND c = { 1, 0, 0 };
	IO_STATUS_BLOCK io;
	NTSTATUS st;

	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  ParclassDeviceIoControl(self->h, IOCTL_INTERNAL_SELECT_DEVICE,
					  &c, 4, NULL, 0, &io));
	/* KEEP_PORT without the port. */
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  select_device(self->h, 1, 2, PAR_HAVE_PORT_KEEP_PORT));
	/* Allocates, selects; DESELECT frees. */
	EXPECT_EQ(STATUS_SUCCESS, select_device(self->h, 1, 2, 0));
	EXPECT_EQ(2, sim_state(self->name, "selected"));
	EXPECT_EQ(0, is_port_free(self->h, &st));
	EXPECT_EQ(STATUS_SUCCESS, select_device(self->h, 0, 0, 0));
	EXPECT_EQ(-1, sim_state(self->name, "selected"));
	EXPECT_PORT_FREE(self->h);
	/* KEEP_PORT: the port stays the handle's. */
	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	EXPECT_EQ(STATUS_SUCCESS,
		  select_device(self->h, 1, 3, PAR_HAVE_PORT_KEEP_PORT));
	EXPECT_EQ(3, sim_state(self->name, "selected"));
	EXPECT_EQ(STATUS_SUCCESS,
		  select_device(self->h, 0, 0, PAR_HAVE_PORT_KEEP_PORT));
	EXPECT_EQ(-1, sim_state(self->name, "selected"));
	EXPECT_EQ(0, is_port_free(self->h, &st));
	/* The end of the chain: ID 4, or the flag. */
	EXPECT_EQ(STATUS_SUCCESS,
		  select_device(self->h, 1, 0, PAR_HAVE_PORT_KEEP_PORT));
	EXPECT_EQ(STATUS_SUCCESS,
		  select_device(self->h, 1, PAR_END_OF_CHAIN_ID,
				PAR_HAVE_PORT_KEEP_PORT));
	EXPECT_EQ(-1, sim_state(self->name, "selected"));
	EXPECT_EQ(STATUS_SUCCESS,
		  select_device(self->h, 1, 1, PAR_HAVE_PORT_KEEP_PORT));
	EXPECT_EQ(STATUS_SUCCESS,
		  select_device(self->h, 1, 1, PAR_HAVE_PORT_KEEP_PORT |
						PAR_END_OF_CHAIN_DEVICE));
	EXPECT_EQ(-1, sim_state(self->name, "selected"));
	/* The legacy Zip select, and IDs past it. */
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  select_device(self->h, 1, PAR_LEGACY_ZIP_ID,
				PAR_HAVE_PORT_KEEP_PORT));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  select_device(self->h, 1, 0, PAR_HAVE_PORT_KEEP_PORT |
						PAR_LEGACY_ZIP_DRIVE));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  select_device(self->h, 1, 9, PAR_HAVE_PORT_KEEP_PORT));
	/* The routines. */
	c.CommandFlags = PAR_HAVE_PORT_KEEP_PORT;
	EXPECT_EQ(STATUS_SUCCESS, ParclassTrySelectDevice(self->h, ctx, c));
	EXPECT_EQ(1, sim_state(self->name, "selected"));
	c.CommandFlags = 0;
	EXPECT_EQ(STATUS_SUCCESS, ParclassDeselectDevice(self->h, ctx, c));
	EXPECT_PORT_FREE(self->h);
	c.ID = 2;
	EXPECT_EQ(STATUS_SUCCESS, ParclassTrySelectDevice(self->h, ctx, c));
	EXPECT_EQ(2, sim_state(self->name, "selected"));
	EXPECT_EQ(STATUS_SUCCESS, ParclassDeselectDevice(self->h, ctx, c));
	/* Not holding: nothing to deselect. */
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE, select_device(self->h, 0, 0, 0));
}

/* A chain of two: IDs 2 and 3 are beyond it. */
TEST(select_beyond_the_chain_is_invalid_parameter)
{
	static const char two[] = "MFG:Chain;MDL:Zero;CLS:SCANNER;\n"
				  "MFG:Chain;MDL:One;CLS:PRINTER;\n";
	PARCLASS_INFORMATION pci;
	PARALLEL_PNP_INFORMATION pnp;
	PARCLASS_HANDLE h;
	char name[32], dev[32];
	int num;

	snprintf(name, sizeof(name), "wtwo%d", (int)getpid());
	num = sim_create(name, "daisy", two);
	ASSERT_LE(2, num);
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(num, &h));
	ASSERT_EQ(STATUS_SUCCESS, connect_handle(h, &pci));
	EXPECT_EQ(STATUS_SUCCESS, pnp_info(h, &pnp));
	EXPECT_EQ(2, pnp.Ieee1284_3DeviceCount);
	EXPECT_EQ(STATUS_INVALID_PARAMETER, select_device(h, 1, 2, 0));
	EXPECT_EQ(STATUS_INVALID_PARAMETER, select_device(h, 1, 3, 0));
	/* Refused before the allocation: the port stays free. */
	EXPECT_PORT_FREE(h);
	ASSERT_EQ(STATUS_SUCCESS, allocate(h));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  select_device(h, 1, 2, PAR_HAVE_PORT_KEEP_PORT));
	EXPECT_EQ(STATUS_SUCCESS,
		  select_device(h, 1, 1, PAR_HAVE_PORT_KEEP_PORT));
	ParclassClose(h);
	/* LPTn.3 does not exist on this chain. */
	snprintf(dev, sizeof(dev), "LPT%d.3", num + 1);
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpenName(dev, &h));
	EXPECT_EQ(STATUS_NO_SUCH_DEVICE, connect_handle(h, &pci));
	ParclassClose(h);
	sim_destroy(name);
}

TEST_F(chain, open_name_location_and_lock)
{
	char dev[32], want[32], loc[32];
	PARCLASS_INFORMATION pci;
	PARCLASS_HANDLE h2;
	IO_STATUS_BLOCK io;

	snprintf(dev, sizeof(dev), "lpt%d.2", self->num + 1);
	snprintf(want, sizeof(want), "LPT%d.2", self->num + 1);
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpenName(dev, &h2));
	/* Without a connection, and with one. */
	EXPECT_EQ(STATUS_SUCCESS, user_io(h2, IOCTL_PAR_QUERY_LOCATION, loc,
					  sizeof(loc), &io));
	EXPECT_EQ(strlen(want) + 1, io.Information);
	EXPECT_STREQ(want, loc);
	ASSERT_EQ(STATUS_SUCCESS, connect_handle(h2, &pci));
	EXPECT_EQ(self->pci.Controller, pci.Controller);
	EXPECT_EQ(STATUS_SUCCESS, user_io(h2, IOCTL_PAR_QUERY_LOCATION, loc,
					  sizeof(loc), &io));
	EXPECT_EQ(strlen(want) + 1, io.Information);
	EXPECT_STREQ(want, loc);
	EXPECT_EQ(STATUS_BUFFER_TOO_SMALL,
		  user_io(h2, IOCTL_PAR_QUERY_LOCATION, loc, 4, &io));
	/* LOCK_PORT selects the handle's chain device, UNLOCK deselects. */
	EXPECT_EQ(STATUS_SUCCESS, port_io(h2, IOCTL_INTERNAL_LOCK_PORT, NULL, 0));
	EXPECT_EQ(2, sim_state(self->name, "selected"));
	EXPECT_EQ(STATUS_SUCCESS, port_io(h2, IOCTL_INTERNAL_UNLOCK_PORT,
					  NULL, 0));
	EXPECT_EQ(-1, sim_state(self->name, "selected"));
	EXPECT_PORT_FREE(self->h);
	/* The device-ID requests ask the chain device. */
	memset(loc, 0, sizeof(loc));
	EXPECT_EQ(STATUS_SUCCESS,
		  user_io(h2, IOCTL_PAR_QUERY_DEVICE_ID, mbuf, sizeof(mbuf),
			  &io));
	EXPECT_EQ(0, strcmp((char *)mbuf, "MFG:Chain;MDL:Two;CLS:PRINTER;"))
		TH_LOG("%s", (char *)mbuf);
	ParclassClose(h2);
	/* The port's own handle is LPTn. */
	snprintf(want, sizeof(want), "LPT%d", self->num + 1);
	EXPECT_EQ(STATUS_SUCCESS, user_io(self->h, IOCTL_PAR_QUERY_LOCATION,
					  loc, sizeof(loc), &io));
	EXPECT_STREQ(want, loc);
	snprintf(dev, sizeof(dev), "\\\\.\\LPT%d", self->num + 1);
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpenName(dev, &h2));
	EXPECT_EQ(STATUS_SUCCESS, user_io(h2, IOCTL_PAR_QUERY_LOCATION, loc,
					  sizeof(loc), &io));
	EXPECT_STREQ(want, loc);
	ParclassClose(h2);
}

/* A simulated port with interrupt 7, connected; allow_interrupts restored. */
FIXTURE(irq) {
	char name[32];
	int num;
	char old;
	PARCLASS_HANDLE h;
	PARCLASS_INFORMATION pci;
};

FIXTURE_SETUP(irq)
{
	snprintf(self->name, sizeof(self->name), "wirq%d", (int)getpid());
	self->old = pc_allow_interrupts(0);
	ASSERT_NE(0, self->old);
	self->num = sim_create(self->name, "irq", "7");
	ASSERT_LE(2, self->num);
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &self->h));
	ASSERT_EQ(STATUS_SUCCESS, connect_handle(self->h, &self->pci));
}

FIXTURE_TEARDOWN(irq)
{
	ParclassClose(self->h);
	sim_destroy(self->name);
	if (self->old)
		pc_allow_interrupts(self->old == 'Y');
}

TEST_F(irq, connect_interrupt_is_unsuccessful_while_not_allowed)
{
	PARCLASS_HANDLE h2;

	EXPECT_EQ(STATUS_UNSUCCESSFUL,
		  port_io(self->h, IOCTL_INTERNAL_PARALLEL_CONNECT_INTERRUPT,
			  NULL, 0));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  port_io(self->h, IOCTL_INTERNAL_PARALLEL_DISCONNECT_INTERRUPT,
			  NULL, 0));
	ASSERT_EQ(STATUS_SUCCESS, ParclassOpen(self->num, &h2));
	EXPECT_EQ(STATUS_INVALID_DEVICE_STATE,
		  port_io(h2, IOCTL_INTERNAL_PARALLEL_CONNECT_INTERRUPT,
			  NULL, 0));
	ParclassClose(h2);
}

TEST_F(irq, connect_interrupt_counts_while_allowed)
{
	struct pollfd pfd;
	__u32 n = 77, total = 0;
	int i;

	ASSERT_NE(0, pc_allow_interrupts(1));
	EXPECT_EQ(STATUS_SUCCESS,
		  port_io(self->h, IOCTL_INTERNAL_PARALLEL_CONNECT_INTERRUPT,
			  NULL, 0));
	EXPECT_EQ(STATUS_SUCCESS, ParclassQueryInterruptCount(self->h, &n));
	EXPECT_EQ(0, n);
	ASSERT_EQ(STATUS_SUCCESS, allocate(self->h));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, sim_puts(self->name, "interrupt", "1"));
	pfd.fd = ParclassEventFd(self->h);
	pfd.events = POLLIN;
	EXPECT_EQ(1, poll(&pfd, 1, 2000));
	for (i = 0; i < 20 && total < 3; i++) {
		ASSERT_EQ(STATUS_SUCCESS,
			  ParclassQueryInterruptCount(self->h, &n));
		total += n;
		if (total < 3)
			sim_sleep_ms(50);
	}
	EXPECT_EQ(3, total);
	EXPECT_EQ(STATUS_SUCCESS, free_port(self->h));
	/* Not holding: the port's interrupts are not the connection's. */
	ASSERT_EQ(0, sim_puts(self->name, "interrupt", "1"));
	sim_sleep_ms(100);
	EXPECT_EQ(STATUS_SUCCESS, ParclassQueryInterruptCount(self->h, &n));
	EXPECT_EQ(0, n);
	EXPECT_EQ(STATUS_SUCCESS,
		  port_io(self->h, IOCTL_INTERNAL_PARALLEL_DISCONNECT_INTERRUPT,
			  NULL, 0));
	EXPECT_EQ(STATUS_INVALID_PARAMETER,
		  port_io(self->h, IOCTL_INTERNAL_PARALLEL_DISCONNECT_INTERRUPT,
			  NULL, 0));
}

/* A port without an interrupt line: NOT_SUPPORTED, allowed or not. */
TEST_F(sim, connect_interrupt_without_a_line_is_not_supported)
{
	char old = pc_allow_interrupts(1);

	ASSERT_NE(0, old);
	EXPECT_EQ(STATUS_NOT_SUPPORTED,
		  port_io(self->h, IOCTL_INTERNAL_PARALLEL_CONNECT_INTERRUPT,
			  NULL, 0));
	pc_allow_interrupts(old == 'Y');
}

TEST_HARNESS_MAIN
