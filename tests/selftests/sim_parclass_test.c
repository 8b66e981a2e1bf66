// SPDX-License-Identifier: GPL-2.0
/*
 * sim_parclass_test: parclass sessions on a simulated port (parport_sim)
 * that is unplugged under them.
 *
 * A session holds the port and another waits for it in ALLOCATE (in a
 * child process, with its own open file). When the port goes away the
 * waiter's ALLOCATE returns ENODEV, every later request on either token
 * returns ENODEV, DISCONNECT still succeeds and kills the tokens (ESTALE
 * from then on), the module references of parport_sim balance out, and
 * the port plugged in again serves new sessions. Every test removes the
 * ports it made.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/parclass.h>

#include "kselftest_harness.h"
#include "sim_control.h"

#define PC_DEV		"/dev/parclass"
#define NSEC_PER_SEC	1000000000ULL

/* Exit codes of the waiter child. */
#define WAITER_OK		0
#define WAITER_SETUP		100
#define WAITER_NOT_ENODEV	101
#define WAITER_LATER		102
#define WAITER_DISCONNECT	103
#define WAITER_STALE		104

static int pc_connect(int fd, int port, __u64 *token)
{
	struct parclass_connect c = { .size = sizeof(c) };

	c.port = port;
	if (ioctl(fd, PARCLASS_IOC_CONNECT, &c))
		return -1;
	*token = c.token;
	return 0;
}

static int pc_allocate(int fd, __u64 token, __u32 flags, __u64 timeout_ns)
{
	struct parclass_allocate a = { .size = sizeof(a) };

	a.token = token;
	a.flags = flags;
	a.timeout_ns = timeout_ns;
	return ioctl(fd, PARCLASS_IOC_ALLOCATE, &a);
}

static int pc_free(int fd, __u64 token)
{
	struct parclass_free f = { .size = sizeof(f), .token = token };

	return ioctl(fd, PARCLASS_IOC_FREE, &f);
}

static int pc_is_free(int fd, __u64 token)
{
	struct parclass_port_free p = { .size = sizeof(p), .token = token };

	return ioctl(fd, PARCLASS_IOC_IS_PORT_FREE, &p);
}

static int pc_waiters(int fd, __u64 token)
{
	struct parclass_num_waiters w = { .size = sizeof(w), .token = token };

	if (ioctl(fd, PARCLASS_IOC_QUERY_NUM_WAITERS, &w))
		return -1;
	return w.waiters;
}

static int pc_disconnect(int fd, __u64 token)
{
	struct parclass_disconnect d = { .size = sizeof(d), .token = token };

	return ioctl(fd, PARCLASS_IOC_DISCONNECT, &d);
}

static int pc_write(int fd, __u64 token, const void *buf, __u32 len)
{
	struct parclass_write w = { .size = sizeof(w) };

	w.token = token;
	w.buffer = (__u64)(unsigned long)buf;
	w.length = len;
	return ioctl(fd, PARCLASS_IOC_WRITE, &w);
}

/* -1 with errno @err: the result every request of a revoked session gets. */
static int failed_with(int ret, int err)
{
	return ret == -1 && errno == err;
}

/* What a revoked session's request returned: 0, or an errno value. */
static int outcome(int ret)
{
	return ret ? errno : 0;
}

/*
 * The waiter: its own file and session, blocked in ALLOCATE until the
 * port goes away; then a later ALLOCATE and DISCONNECT. It also reports,
 * through @report, what FREE, IS_PORT_FREE and QUERY_NUM_WAITERS answered
 * in between.
 */
static void waiter(int port, int report)
{
	int answers[3];
	__u64 token;
	int fd;

	alarm(30);
	fd = open(PC_DEV, O_RDWR | O_CLOEXEC);
	if (fd < 0 || pc_connect(fd, port, &token))
		_exit(WAITER_SETUP);
	if (!failed_with(pc_allocate(fd, token, 0, 20 * NSEC_PER_SEC),
			 ENODEV))
		_exit(WAITER_NOT_ENODEV);
	if (!failed_with(pc_allocate(fd, token, PARCLASS_ALLOCATE_TRY, 0),
			 ENODEV))
		_exit(WAITER_LATER);
	answers[0] = outcome(pc_free(fd, token));
	answers[1] = outcome(pc_is_free(fd, token));
	answers[2] = pc_waiters(fd, token) < 0 ? errno : 0;
	if (write(report, answers, sizeof(answers)) != sizeof(answers))
		_exit(WAITER_SETUP);
	if (pc_disconnect(fd, token))
		_exit(WAITER_DISCONNECT);
	if (!failed_with(pc_allocate(fd, token, PARCLASS_ALLOCATE_TRY, 0),
			 ESTALE))
		_exit(WAITER_STALE);
	_exit(WAITER_OK);
}

FIXTURE(simport) {
	char name[32];
	int fd;
	long refs;
};

FIXTURE_SETUP(simport)
{
	snprintf(self->name, sizeof(self->name), "parclass%d", (int)getpid());
	self->fd = -1;
	ASSERT_EQ(0, sim_puts("", "new", self->name));
	self->refs = sim_refcnt();
	ASSERT_LE(0, self->refs);
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "1"));
	ASSERT_LE(2, sim_number(self->name));
	self->fd = open(PC_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(simport)
{
	if (self->fd >= 0)
		close(self->fd);
	sim_puts("", "delete", self->name);
}

TEST_F(simport, write_reaches_the_peripheral)
{
	static const char msg[] = "parclass on a simulated port";
	char buf[64] = "";
	__u64 token;

	ASSERT_EQ(0, sim_puts(self->name, "forward", "\n"));
	ASSERT_EQ(0, pc_connect(self->fd, sim_number(self->name), &token));
	ASSERT_EQ(0, pc_allocate(self->fd, token, PARCLASS_ALLOCATE_TRY, 0));
	ASSERT_EQ(0, pc_write(self->fd, token, msg, strlen(msg)))
		TH_LOG("WRITE: %s", strerror(errno));
	ASSERT_LT(0, sim_get(self->name, "forward", buf, sizeof(buf)));
	EXPECT_STREQ(msg, buf);
	EXPECT_EQ(0, pc_free(self->fd, token));
	EXPECT_EQ(0, pc_disconnect(self->fd, token));
}

TEST_F(simport, unplug_with_holder_and_waiter)
{
	int num = sim_number(self->name), status, i, again, report[2];
	int answers[3] = { -1, -1, -1 };
	__u64 holder, token;
	pid_t child;

	ASSERT_EQ(0, pc_connect(self->fd, num, &holder));
	ASSERT_EQ(0, pc_allocate(self->fd, holder, PARCLASS_ALLOCATE_TRY, 0));

	ASSERT_EQ(0, pipe(report));
	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		close(self->fd);
		close(report[0]);
		waiter(num, report[1]);
	}
	close(report[1]);
	/* Wait until the child waits in ALLOCATE. */
	for (i = 0; i < 100 && pc_waiters(self->fd, holder) != 1; i++)
		sim_sleep_ms(50);
	ASSERT_EQ(1, pc_waiters(self->fd, holder));

	ASSERT_EQ(0, sim_puts(self->name, "plugged", "0"));
	ASSERT_EQ(child, waitpid(child, &status, 0));
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_EQ(WAITER_OK, WEXITSTATUS(status));
	/* The waiter's own requests after the removal: ENODEV, each. */
	EXPECT_EQ((ssize_t)sizeof(answers),
		  read(report[0], answers, sizeof(answers)));
	close(report[0]);
	EXPECT_EQ(ENODEV, answers[0]) TH_LOG("waiter's FREE after removal");
	EXPECT_EQ(ENODEV, answers[1]) TH_LOG("waiter's IS_PORT_FREE after removal");
	EXPECT_EQ(ENODEV, answers[2]) TH_LOG("waiter's QUERY_NUM_WAITERS after removal");

	/* The holder's session is revoked too. */
	EXPECT_TRUE(failed_with(pc_allocate(self->fd, holder,
					    PARCLASS_ALLOCATE_TRY, 0), ENODEV));
	EXPECT_TRUE(failed_with(pc_free(self->fd, holder), ENODEV));
	EXPECT_TRUE(failed_with(pc_is_free(self->fd, holder), ENODEV));
	EXPECT_EQ(-1, pc_waiters(self->fd, holder));
	EXPECT_EQ(ENODEV, errno);
	EXPECT_TRUE(failed_with(pc_write(self->fd, holder, "x", 1), ENODEV));
	/* A new session on the dead port number is refused. */
	EXPECT_EQ(-1, pc_connect(self->fd, num, &token));
	EXPECT_EQ(ENODEV, errno);

	EXPECT_EQ(0, pc_disconnect(self->fd, holder));
	EXPECT_TRUE(failed_with(pc_free(self->fd, holder), ESTALE));
	/* Every module reference parport_sim gave out came back. */
	EXPECT_EQ(self->refs, sim_refcnt());

	/* Plugged in again, the port serves new sessions. */
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "1"));
	again = sim_number(self->name);
	ASSERT_LE(2, again);
	ASSERT_EQ(0, pc_connect(self->fd, again, &token));
	EXPECT_EQ(0, pc_allocate(self->fd, token, 0, 5 * NSEC_PER_SEC));
	EXPECT_EQ(0, pc_write(self->fd, token, "ok", 2));
	EXPECT_EQ(0, pc_free(self->fd, token));
	EXPECT_EQ(0, pc_disconnect(self->fd, token));
}

/* Unplug with sessions that hold nothing, then close without DISCONNECT. */
TEST_F(simport, unplug_then_close)
{
	int num = sim_number(self->name);
	__u64 a, b;

	ASSERT_EQ(0, pc_connect(self->fd, num, &a));
	ASSERT_EQ(0, pc_connect(self->fd, num, &b));
	ASSERT_EQ(0, pc_allocate(self->fd, b, PARCLASS_ALLOCATE_TRY, 0));
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "0"));
	EXPECT_TRUE(failed_with(pc_allocate(self->fd, a,
					    PARCLASS_ALLOCATE_TRY, 0), ENODEV));
	close(self->fd);
	self->fd = -1;
	EXPECT_EQ(self->refs, sim_refcnt());
}

TEST_HARNESS_MAIN
