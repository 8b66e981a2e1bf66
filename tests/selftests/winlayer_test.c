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
		IOCTL_INTERNAL_SELECT_DEVICE, IOCTL_INTERNAL_DESELECT_DEVICE,
		IOCTL_INTERNAL_PARALLEL_SET_CHIP_MODE,
		IOCTL_INTERNAL_PARALLEL_CONNECT_INTERRUPT,
		IOCTL_INTERNAL_LOCK_PORT, IOCTL_PAR_QUERY_LOCATION, 0x12345678,
	};
	static const unsigned int user[] = {
		IOCTL_PAR_GET_DEVICE_CAPS, IOCTL_IEEE1284_NEGOTIATE,
		IOCTL_INTERNAL_PARCLASS_CONNECT,
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
 * Controller is @base; *@name says which.
 */
#define DEVICE_REQUESTS 9

static NTSTATUS device_request(PARCLASS_HANDLE h, __u64 base, unsigned int i,
			       const char **name)
{
	static const char *const names[DEVICE_REQUESTS] = {
		"QUERY_INFORMATION", "SET_INFORMATION", "QUERY_DEVICE_ID",
		"QUERY_DEVICE_ID_SIZE", "QUERY_RAW_DEVICE_ID", "IS_PORT_FREE",
		"ReadPortUchar", "WritePortUchar", "AccessPorts",
	};
	PAR_SET_INFORMATION s = { PARALLEL_INIT };
	PARCLASS_PORT_ACCESS a[2];
	static unsigned char buf[512];
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
		/* IS_PORT_FREE answers (FALSE) without the port. */
		EXPECT_EQ(i == 5 ? STATUS_SUCCESS : STATUS_DEVICE_BUSY, st)
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

TEST_HARNESS_MAIN
