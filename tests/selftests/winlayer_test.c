// SPDX-License-Identifier: GPL-2.0
/*
 * winlayer_test: libparclass's Windows-shaped layer on QEMU's parport0,
 * checking each request's NTSTATUS and Information as Windows would
 * complete it.
 */
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <parclass/parclass_win.h>

#include "kselftest_harness.h"

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
		IOCTL_PAR_QUERY_DEVICE_ID, IOCTL_IEEE1284_NEGOTIATE,
		IOCTL_INTERNAL_PARCLASS_CONNECT,
	};
	unsigned char buf[64];
	IO_STATUS_BLOCK io;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(internal); i++)
		EXPECT_EQ(STATUS_INVALID_PARAMETER,
			  ParclassDeviceIoControl(self->h, internal[i], NULL, 0,
						  buf, sizeof(buf), &io))
			TH_LOG("internal code %#x", internal[i]);
	for (i = 0; i < ARRAY_SIZE(user); i++)
		EXPECT_EQ(STATUS_INVALID_PARAMETER,
			  ParclassUserDeviceIoControl(self->h, user[i], NULL, 0,
						      buf, sizeof(buf), &io))
			TH_LOG("user code %#x", user[i]);
}

TEST_HARNESS_MAIN
