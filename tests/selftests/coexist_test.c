// SPDX-License-Identifier: GPL-2.0
/*
 * coexist_test: parclass shares parport0 with lp and ppdev.
 *
 * While a parclass session holds the port, lp's write and ppdev's PPCLAIM
 * wait; once the session frees the port they go through. The bytes lp
 * writes come from /tests/data/coexist_test.parport0.bin, and the host checks
 * that they reached the emulated port complete and in order.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/parclass.h>
#include <linux/ppdev.h>

#include "kselftest_harness.h"

#define LP_DATA "/tests/data/coexist_test.parport0.bin"

/* How long a blocked peer is given to prove that it stays blocked. */
#define BLOCKED_MS 700

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

FIXTURE(held) {
	int fd;
	__u64 token;
};

FIXTURE_SETUP(held)
{
	struct parclass_connect c = { .size = sizeof(c) };
	struct parclass_allocate a = { .size = sizeof(a) };

	self->fd = open("/dev/parclass", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	c.port = 0;
	ASSERT_EQ(0, ioctl(self->fd, PARCLASS_IOC_CONNECT, &c))
		TH_LOG("CONNECT: %s", strerror(errno));
	self->token = c.token;
	a.token = c.token;
	a.flags = PARCLASS_ALLOCATE_TRY;
	ASSERT_EQ(0, ioctl(self->fd, PARCLASS_IOC_ALLOCATE, &a))
		TH_LOG("ALLOCATE: %s", strerror(errno));
}

FIXTURE_TEARDOWN(held)
{
	close(self->fd);
}

static int free_port(int fd, __u64 token)
{
	struct parclass_free f = { .size = sizeof(f), .token = token };

	return ioctl(fd, PARCLASS_IOC_FREE, &f);
}

/* The child's exit status once it ends, or -1 while it still runs. */
static int child_status(pid_t pid, int wait)
{
	int status;
	pid_t r = waitpid(pid, &status, wait ? 0 : WNOHANG);

	if (r == 0)
		return -1;
	if (r != pid || !WIFEXITED(status))
		return 255;
	return WEXITSTATUS(status);
}

TEST_F(held, lp_waits_until_free_then_prints_everything)
{
	static unsigned char buf[4096];
	ssize_t len;
	pid_t pid;
	int in;

	in = open(LP_DATA, O_RDONLY);
	ASSERT_LE(0, in) TH_LOG("%s: %s", LP_DATA, strerror(errno));
	len = read(in, buf, sizeof(buf));
	close(in);
	ASSERT_LT(0, len);

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int lp = open("/dev/lp0", O_WRONLY);

		if (lp < 0)
			_exit(2);
		if (write(lp, buf, len) != len)
			_exit(3);
		_exit(close(lp) ? 4 : 0);
	}

	sleep_ms(BLOCKED_MS);
	EXPECT_EQ(-1, child_status(pid, 0))
		TH_LOG("lp wrote while parclass held the port");

	ASSERT_EQ(0, free_port(self->fd, self->token));
	EXPECT_EQ(0, child_status(pid, 1));
}

TEST_F(held, ppdev_claim_waits_until_free)
{
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int pp = open("/dev/parport0", O_RDWR);

		if (pp < 0)
			_exit(2);
		if (ioctl(pp, PPCLAIM))
			_exit(3);
		if (ioctl(pp, PPRELEASE))
			_exit(4);
		_exit(close(pp) ? 5 : 0);
	}

	sleep_ms(BLOCKED_MS);
	EXPECT_EQ(-1, child_status(pid, 0))
		TH_LOG("ppdev claimed the port while parclass held it");

	ASSERT_EQ(0, free_port(self->fd, self->token));
	EXPECT_EQ(0, child_status(pid, 1));
}

/* ppdev's claim from the other side: parclass waits for ppdev. */
TEST(parclass_waits_for_ppdev)
{
	struct parclass_connect c = { .size = sizeof(c) };
	struct parclass_allocate a = { .size = sizeof(a) };
	int pp, fd;

	pp = open("/dev/parport0", O_RDWR);
	ASSERT_LE(0, pp);
	ASSERT_EQ(0, ioctl(pp, PPCLAIM));

	fd = open("/dev/parclass", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, fd);
	c.port = 0;
	ASSERT_EQ(0, ioctl(fd, PARCLASS_IOC_CONNECT, &c));
	a.token = c.token;

	a.flags = PARCLASS_ALLOCATE_TRY;
	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, PARCLASS_IOC_ALLOCATE, &a));
	EXPECT_EQ(EAGAIN, errno);

	a.flags = 0;
	a.timeout_ns = 200 * 1000 * 1000ULL;
	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, PARCLASS_IOC_ALLOCATE, &a));
	EXPECT_EQ(ETIMEDOUT, errno);

	/* After ppdev releases, parclass gets the port. */
	ASSERT_EQ(0, ioctl(pp, PPRELEASE));
	a.timeout_ns = 2000 * 1000 * 1000ULL;
	EXPECT_EQ(0, ioctl(fd, PARCLASS_IOC_ALLOCATE, &a))
		TH_LOG("ALLOCATE after PPRELEASE: %s", strerror(errno));
	EXPECT_EQ(0, free_port(fd, c.token));
	close(fd);
	close(pp);
}

TEST_HARNESS_MAIN
