// SPDX-License-Identifier: GPL-2.0
/*
 * sim_starvation_test: how long a parclass waiter waits behind ppdev.
 *
 * parclass's waiters stay off the parport core's wait list (port.c). At
 * each release the core first hands the port to a device queued there
 * (ppdev and lp, blocked in their claim), and only when that list is
 * empty calls the wakeup callbacks, parclass's among them. So:
 *
 * - behind one ppdev client that claims and releases in a loop, a
 *   parclass waiter gets the port at that client's next release: the
 *   client is never queued when it releases;
 * - two clients that take turns (lp printing and a ppdev client) always
 *   have one of them queued at each release, and keep a parclass waiter
 *   out for as long as they go on; it gets the port at the first release
 *   after one stops. (Two ppdev clients cannot take turns at all: ppdev's
 *   PPCLAIM sleeps holding ppdev's global mutex, so the holder's
 *   PPRELEASE waits for it.)
 *
 * lp stops when its file is closed, as a spooler's is at the end of a
 * job: after a write() lp keeps the port unless another device asked for
 * it during that write(), and otherwise lets it go only at its next
 * write() or at close(). A ppdev claim that comes just after lp's last
 * write() would wait for ever with lp's file left open.
 *
 * The README ("Sharing the port") states this bound. The simulated port
 * has no interrupt line, so ppdev's handoffs here cannot meet the parport
 * core's wait-list interrupt bug.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/ppdev.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
#include "sim_control.h"

/* How long a ppdev client holds the port each time. */
#define HOLD_MS		20

struct client {
	pthread_t thread;
	int fd;
	int lp;
	atomic_int stop;
	atomic_int claims;
	atomic_int error;
};

static void *client_loop(void *arg)
{
	static const char line[64] = "lp takes its turn on the port\n";
	struct client *c = arg;

	while (c->lp && !atomic_load(&c->stop)) {
		/* lp claims the port for each write() and releases it after. */
		if (write(c->fd, line, sizeof(line)) != sizeof(line)) {
			atomic_store(&c->error, errno ? errno : EIO);
			break;
		}
		atomic_fetch_add(&c->claims, 1);
	}
	while (!c->lp && !atomic_load(&c->stop)) {
		if (ioctl(c->fd, PPCLAIM)) {
			atomic_store(&c->error, errno);
			break;
		}
		atomic_fetch_add(&c->claims, 1);
		sim_sleep_ms(HOLD_MS);
		if (ioctl(c->fd, PPRELEASE)) {
			atomic_store(&c->error, errno);
			break;
		}
	}
	return NULL;
}

struct starve {
	char name[32];
	int num;
	int fd;
	__u64 token;
	struct client c[2];
	int running;
};

FIXTURE(starve) {
	struct starve t;
};

/* The /dev node @fmt names for port @num, once devtmpfs has made it. */
static int open_node(const char *fmt, int num, int flags)
{
	char path[32];
	int i, fd;

	snprintf(path, sizeof(path), fmt, num);
	for (i = 0; i < 100; i++) {
		fd = open(path, flags | O_CLOEXEC);
		if (fd >= 0 || errno != ENOENT)
			return fd;
		sim_sleep_ms(20);
	}
	return -1;
}

/* The lp minor lp gave simulated port @sim, or -1. */
static int lp_minor(const char *sim)
{
	char want[64], link[256], path[96];
	int minor;
	ssize_t n;

	if (sim_get(sim, "device", want, sizeof(want)) <= 0)
		return -1;
	want[strcspn(want, "\n")] = '\0';
	for (minor = 0; minor < 8; minor++) {
		snprintf(path, sizeof(path), "/sys/class/printer/lp%d/device",
			 minor);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (!strcmp(strrchr(link, '/') ? strrchr(link, '/') + 1 : link,
			    want))
			return minor;
	}
	return -1;
}

FIXTURE_SETUP(starve)
{
	struct starve *t = &self->t;
	int i;

	alarm(60);
	snprintf(t->name, sizeof(t->name), "starve%d", (int)getpid());
	t->num = sim_create(t->name, NULL, NULL);
	ASSERT_LE(0, t->num);
	for (i = 0; i < 2; i++)
		t->c[i].fd = -1;
	/* Client 0 is ppdev's, client 1 lp's. */
	t->c[0].fd = open_node("/dev/parport%d", t->num, O_RDWR);
	ASSERT_LE(0, t->c[0].fd);
	for (i = 0; i < 100 && lp_minor(t->name) < 0; i++)
		sim_sleep_ms(20);
	ASSERT_LE(0, lp_minor(t->name));
	t->c[1].fd = open_node("/dev/lp%d", lp_minor(t->name), O_WRONLY);
	ASSERT_LE(0, t->c[1].fd);
	t->c[1].lp = 1;
	t->fd = pc_open();
	ASSERT_LE(0, t->fd);
	ASSERT_EQ(0, pc_connect(t->fd, t->num, &t->token));
}

static void start_client(struct __test_metadata *_metadata,
			 struct starve *t, int i)
{
	ASSERT_EQ(0, pthread_create(&t->c[i].thread, NULL, client_loop,
				    &t->c[i]));
	t->running |= 1 << i;
	/* Let it get going: a few claims of its own. */
	while (atomic_load(&t->c[i].claims) < 3 &&
	       !atomic_load(&t->c[i].error))
		sim_sleep_ms(5);
	ASSERT_EQ(0, atomic_load(&t->c[i].error));
}

/* Stop client @i; lp's file is closed, which gives back its port. */
static void stop_client(struct starve *t, int i)
{
	if (!(t->running & (1 << i)))
		return;
	atomic_store(&t->c[i].stop, 1);
	pthread_join(t->c[i].thread, NULL);
	t->running &= ~(1 << i);
	if (t->c[i].lp && t->c[i].fd >= 0) {
		if (close(t->c[i].fd))
			atomic_store(&t->c[i].error, errno);
		t->c[i].fd = -1;
	}
}

FIXTURE_TEARDOWN(starve)
{
	struct starve *t = &self->t;
	int i;

	for (i = 0; i < 2; i++) {
		stop_client(t, i);
		if (t->c[i].fd >= 0)
			close(t->c[i].fd);
	}
	if (t->fd >= 0)
		close(t->fd);
	sim_destroy(t->name);
}

TEST_F(starve, one_ppdev_client_lets_a_waiter_in_at_its_next_release)
{
	struct starve *t = &self->t;
	int round, before, during, worst = 0;
	__u64 t0, waited, longest = 0;

	start_client(_metadata, t, 0);
	for (round = 0; round < 10; round++) {
		before = atomic_load(&t->c[0].claims);
		t0 = now_ns();
		ASSERT_EQ(0, pc_allocate(t->fd, t->token, 0,
					 5000000000ULL));
		waited = now_ns() - t0;
		during = atomic_load(&t->c[0].claims) - before;
		if (during > worst)
			worst = during;
		if (waited > longest)
			longest = waited;
		sim_sleep_ms(HOLD_MS / 2);
		ASSERT_EQ(0, pc_free(t->fd, t->token));
		/* The client gets its turn before the next round. */
		before = atomic_load(&t->c[0].claims);
		while (atomic_load(&t->c[0].claims) == before)
			sim_sleep_ms(1);
	}
	TH_LOG("10 grants behind one ppdev client: at most %d of its claims",
	       worst);
	TH_LOG("during a wait, the longest wait %llu us",
	       (unsigned long long)(longest / 1000));
	/* The client's claim in flight when the waiter queued, at most. */
	EXPECT_GE(1, worst);
	EXPECT_EQ(0, atomic_load(&t->c[0].error));
}

TEST_F(starve, lp_and_ppdev_taking_turns_keep_a_waiter_out_until_one_stops)
{
	struct starve *t = &self->t;
	int before, during;
	__u64 t0, waited;

	start_client(_metadata, t, 0);
	start_client(_metadata, t, 1);

	/* While they take turns, the waiter's timeout runs out. */
	before = atomic_load(&t->c[0].claims) +
		 atomic_load(&t->c[1].claims);
	t0 = now_ns();
	EXPECT_EQ(-ETIMEDOUT, pc_allocate(t->fd, t->token, 0,
					  1000000000ULL));
	waited = now_ns() - t0;
	during = atomic_load(&t->c[0].claims) +
		 atomic_load(&t->c[1].claims) - before;
	TH_LOG("lp and ppdev: %d handoffs between them in the waiter's %llu ms",
	       during, (unsigned long long)(waited / 1000000));
	/* The port kept changing hands: it was never idle for the waiter. */
	EXPECT_LE(10, during);

	/* Once one stops, the waiter is next after the other's release. */
	stop_client(t, 1);
	before = atomic_load(&t->c[0].claims);
	ASSERT_EQ(0, pc_allocate(t->fd, t->token, 0, 5000000000ULL));
	during = atomic_load(&t->c[0].claims) - before;
	TH_LOG("then granted after %d more claims of the remaining client",
	       during);
	EXPECT_GE(1, during);
	EXPECT_EQ(0, pc_free(t->fd, t->token));
	EXPECT_EQ(0, atomic_load(&t->c[0].error));
	EXPECT_EQ(0, atomic_load(&t->c[1].error));
}

TEST_HARNESS_MAIN
