// SPDX-License-Identifier: GPL-2.0
/*
 * sim_shared_session_test: threads of one process share one session, and
 * its hold on the port stays real while they claim, release, read and
 * tear it down at once.
 *
 * A session's ALLOCATE and FREE run under the port's lock, and a command
 * starts with no lock at all: it counts itself in the session, and
 * DISCONNECT or the port's removal waits for the commands to drain. On a
 * simulated port:
 *
 * - threads_of_one_session_hold_for_real: four threads of one session
 *   take turns holding the port (ALLOCATE, TRY or blocking, then FREE by
 *   the thread that got it), a fifth reads the status register through
 *   the same session all along, and a rival session in another file
 *   wants the port too (TRY, and blocking ALLOCATE with a timeout, so
 *   that the session's FREE hands the port to a waiter). Whoever holds
 *   marks it in shared memory: nobody may find it marked by the other
 *   session, which would mean one of them held the port only on paper;
 *   and while it holds, the parport core's owner of the port (LIST_PORTS'
 *   holder name) must be its own parport device.
 *   Each errno is one the contract gives for the state; both sides get
 *   the port; afterwards it is free.
 * - disconnect_under_load_ends_every_thread: four threads hammer one
 *   session (ALLOCATE, REGISTER, FREE); DISCONNECT from the main thread
 *   ends them: from then on each of them gets ESTALE only, within 1 s.
 *   The port is left free for a new session.
 * - removal_and_disconnect_at_once: the same load, then the port is
 *   unplugged while the main thread DISCONNECTs: the threads end with
 *   ENODEV or ESTALE, and parport_sim's module count comes back.
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
#include "sim_control.h"

#define HOLDERS		4
#define LOAD_THREADS	4
/* How long the threads of the first case contend. */
#define CONTEND_MS	1500
/* How long the load runs before DISCONNECT or removal. */
#define LOAD_MS		300
/* How long each thread may take to see the end. */
#define END_MS		1000

enum { NOBODY, SHARED, RIVAL };

struct contest {
	int fd, rival_fd;
	int num;
	__u64 token, rival_token;
	char name[32], rival_name[32];
	atomic_int owner;
	atomic_int stop;
	atomic_int violations;
	atomic_int bad_errno;
	atomic_int noted;
	atomic_long grants, rival_grants, rival_waits, reads, reads_eperm;
	char why[160];
};

static void __printf(3, 4)
contest_fail(struct contest *c, atomic_int *counter, const char *fmt, ...)
{
	va_list ap;

	atomic_fetch_add(counter, 1);
	/* The first failure's words are kept. */
	if (!atomic_exchange(&c->noted, 1)) {
		va_start(ap, fmt);
		vsnprintf(c->why, sizeof(c->why), fmt, ap);
		va_end(ap);
	}
}

/*
 * Mark the port held by @who; it must have been marked by nobody, and
 * the core must have given it to @who's device.
 */
static void take_mark(struct contest *c, int who)
{
	const char *mine = who == SHARED ? c->name : c->rival_name;
	int expected = NOBODY, ret;
	char name[32];

	if (!atomic_compare_exchange_strong(&c->owner, &expected, who))
		contest_fail(c, &c->violations, "%s got the port marked by %s",
			     who == SHARED ? "the session" : "the rival",
			     who == SHARED ? "the rival" : "the session");
	ret = pc_holder_name(c->fd, c->num, name);
	if (ret)
		contest_fail(c, &c->bad_errno, "LIST_PORTS: %s", strerror(-ret));
	else if (strcmp(name, mine))
		contest_fail(c, &c->violations,
			     "%s held the port, the core's owner was \"%s\", not %s",
			     who == SHARED ? "the session" : "the rival", name, mine);
}

/*
 * One turn of @who: ALLOCATE (@flags, @timeout_ns) and, once granted,
 * mark the port, unmark it and FREE. 1 after a grant, 0 without one, -1
 * on an errno the contract does not give.
 */
static int turn(struct contest *c, int who, __u32 flags, __u64 timeout_ns)
{
	const char *side = who == SHARED ? "the session" : "the rival";
	int fd = who == SHARED ? c->fd : c->rival_fd;
	__u64 token = who == SHARED ? c->token : c->rival_token;
	int ret = pc_allocate(fd, token, flags, timeout_ns);

	/* Only the shared session has other threads holding or waiting. */
	if (ret == -EAGAIN || ret == -ETIMEDOUT ||
	    (ret == -EALREADY && who == SHARED))
		return 0;
	if (ret) {
		contest_fail(c, &c->bad_errno, "%s's ALLOCATE: %s", side,
			     strerror(-ret));
		return -1;
	}
	take_mark(c, who);
	atomic_store(&c->owner, NOBODY);
	ret = pc_free(fd, token);
	if (ret) {
		contest_fail(c, &c->bad_errno, "%s's FREE: %s", side,
			     strerror(-ret));
		return -1;
	}
	return 1;
}

static void *holder_main(void *arg)
{
	struct contest *c = arg;
	unsigned int i = 0;
	int ret = 0;

	/* Every other try blocks, briefly: the rival may queue. */
	while (!atomic_load(&c->stop) && ret >= 0) {
		ret = turn(c, SHARED, i++ % 2 ? PARCLASS_ALLOCATE_TRY : 0,
			   20000000ULL);
		if (ret > 0)
			atomic_fetch_add(&c->grants, 1);
	}
	return NULL;
}

static void *rival_main(void *arg)
{
	struct contest *c = arg;
	unsigned int i = 0;
	bool blocking;
	int ret = 0;

	/* One try in four blocks: the session's FREE then hands over. */
	while (!atomic_load(&c->stop) && ret >= 0) {
		blocking = !(i++ % 4);
		ret = turn(c, RIVAL, blocking ? 0 : PARCLASS_ALLOCATE_TRY,
			   50000000ULL);
		if (ret > 0) {
			atomic_fetch_add(&c->rival_grants, 1);
			if (blocking)
				atomic_fetch_add(&c->rival_waits, 1);
		}
	}
	return NULL;
}

static void *reader_main(void *arg)
{
	struct contest *c = arg;
	__u32 v;
	int ret;

	while (!atomic_load(&c->stop)) {
		v = 0;
		ret = pc_register(c->fd, c->token, PARCLASS_PIN_READ_STATUS, 0,
				  &v);
		if (!ret)
			atomic_fetch_add(&c->reads, 1);
		else if (ret == -EPERM)
			atomic_fetch_add(&c->reads_eperm, 1);
		else
			contest_fail(c, &c->bad_errno, "REGISTER read: %s", strerror(-ret));
	}
	return NULL;
}

FIXTURE(shared) {
	char name[32];
	int num;
	int fd;
	__u64 token;
	long refcnt;
};

FIXTURE_SETUP(shared)
{
	alarm(60);
	self->refcnt = sim_refcnt();
	ASSERT_LE(0, self->refcnt);
	snprintf(self->name, sizeof(self->name), "shared%d", (int)getpid());
	self->num = sim_create(self->name, NULL, NULL);
	ASSERT_LE(0, self->num);
	self->fd = pc_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->token));
}

FIXTURE_TEARDOWN(shared)
{
	if (self->fd >= 0)
		close(self->fd);
	sim_destroy(self->name);
}

/* A new session in a new file gets the port at once, and lets it go. */
static int port_is_free_for_a_newcomer(int num)
{
	int fd = pc_open(), ret;
	__u64 token;

	if (fd < 0)
		return -errno;
	ret = pc_connect(fd, num, &token);
	if (!ret)
		ret = pc_try_allocate(fd, token);
	if (!ret)
		ret = pc_free(fd, token);
	close(fd);
	return ret;
}

TEST_F(shared, threads_of_one_session_hold_for_real)
{
	struct contest *c = calloc(1, sizeof(*c));
	pthread_t th[HOLDERS + 2];
	int i;

	ASSERT_NE(NULL, c);
	c->fd = self->fd;
	c->num = self->num;
	c->token = self->token;
	c->rival_fd = pc_open();
	ASSERT_LE(0, c->rival_fd);
	ASSERT_EQ(0, pc_connect(c->rival_fd, self->num, &c->rival_token));
	/* Each side's parport device, as the core names its holder. */
	ASSERT_EQ(0, pc_try_allocate(c->fd, c->token));
	ASSERT_EQ(0, pc_holder_name(c->fd, c->num, c->name));
	ASSERT_EQ(0, pc_free(c->fd, c->token));
	ASSERT_EQ(0, pc_try_allocate(c->rival_fd, c->rival_token));
	ASSERT_EQ(0, pc_holder_name(c->fd, c->num, c->rival_name));
	ASSERT_EQ(0, pc_free(c->rival_fd, c->rival_token));
	ASSERT_EQ(0, strncmp(c->name, "parclass.", 9));
	ASSERT_NE(0, strcmp(c->name, c->rival_name));

	for (i = 0; i < HOLDERS; i++)
		ASSERT_EQ(0, pthread_create(&th[i], NULL, holder_main, c));
	ASSERT_EQ(0, pthread_create(&th[HOLDERS], NULL, reader_main, c));
	ASSERT_EQ(0, pthread_create(&th[HOLDERS + 1], NULL, rival_main, c));
	sim_sleep_ms(CONTEND_MS);
	atomic_store(&c->stop, 1);
	for (i = 0; i < HOLDERS + 2; i++)
		pthread_join(th[i], NULL);

	TH_LOG("grants: %ld shared, %ld rival (%ld waited); reads: %ld, %ld EPERM",
	       atomic_load(&c->grants), atomic_load(&c->rival_grants),
	       atomic_load(&c->rival_waits), atomic_load(&c->reads),
	       atomic_load(&c->reads_eperm));
	EXPECT_EQ(0, atomic_load(&c->violations)) TH_LOG("%s", c->why);
	EXPECT_EQ(0, atomic_load(&c->bad_errno)) TH_LOG("%s", c->why);
	EXPECT_LT(0, atomic_load(&c->grants));
	EXPECT_LT(0, atomic_load(&c->rival_grants));
	EXPECT_LT(0, atomic_load(&c->reads));
	/* Nobody holds it now: FREE refuses, a newcomer gets it. */
	EXPECT_EQ(-EPERM, pc_free(self->fd, self->token));
	EXPECT_EQ(-EPERM, pc_free(c->rival_fd, c->rival_token));
	EXPECT_EQ(0, port_is_free_for_a_newcomer(self->num));
	close(c->rival_fd);
	free(c);
}

struct load {
	int fd;
	__u64 token;
	atomic_int *ended;	/* threads that saw the end */
	int end_errno;		/* set before the end */
	__u64 ended_at;		/* when this thread first saw it */
	int bad;		/* an errno the contract does not give */
	int after;		/* a call that did not fail after the end */
	long calls;
};

/* An errno the load may see before the end. */
static int load_ok(int ret)
{
	return !ret || ret == -EAGAIN || ret == -EALREADY || ret == -EPERM;
}

/* An errno that says the session ended. */
static int load_end(int ret)
{
	return ret == -ESTALE || ret == -ENODEV;
}

static void *load_main(void *arg)
{
	struct load *l = arg;
	__u32 v;
	int ret, k, ended = 0;

	for (;;) {
		for (k = 0; k < 3; k++) {
			v = 0;
			ret = k == 0 ? pc_try_allocate(l->fd, l->token) :
			      k == 1 ? pc_register(l->fd, l->token,
						   PARCLASS_PIN_READ_STATUS, 0,
						   &v) :
			      pc_free(l->fd, l->token);
			l->calls++;
			if (load_end(ret)) {
				if (!ended) {
					ended = 1;
					l->ended_at = now_ns();
					atomic_fetch_add(l->ended, 1);
				}
			} else if (ended) {
				/* Once it ended, it stays ended. */
				l->after = ret ? ret : 1;
				return NULL;
			} else if (!load_ok(ret)) {
				l->bad = ret;
				return NULL;
			}
		}
		/* Twenty more rounds after the end, to see it stays. */
		if (ended && ++ended > 20)
			return NULL;
	}
}

/* Start LOAD_THREADS threads on the session; 0 or an errno. */
static int load_start(struct load *l, pthread_t *th, int fd, __u64 token,
		      atomic_int *ended)
{
	int i;

	for (i = 0; i < LOAD_THREADS; i++) {
		l[i] = (struct load){ .fd = fd, .token = token, .ended = ended };
		if (pthread_create(&th[i], NULL, load_main, &l[i]))
			return -EAGAIN;
	}
	return 0;
}

/* Wait up to END_MS for every thread to see the end. */
static int load_wait_end(atomic_int *ended)
{
	unsigned int ms;

	for (ms = 0; ms < END_MS && atomic_load(ended) < LOAD_THREADS; ms += 10)
		sim_sleep_ms(10);
	return atomic_load(ended);
}

TEST_F(shared, disconnect_under_load_ends_every_thread)
{
	struct load l[LOAD_THREADS];
	pthread_t th[LOAD_THREADS];
	atomic_int ended = 0;
	__u64 t0;
	int i;

	ASSERT_EQ(0, load_start(l, th, self->fd, self->token, &ended));
	sim_sleep_ms(LOAD_MS);
	t0 = now_ns();
	ASSERT_EQ(0, pc_disconnect(self->fd, self->token));
	EXPECT_EQ(LOAD_THREADS, load_wait_end(&ended));
	for (i = 0; i < LOAD_THREADS; i++) {
		pthread_join(th[i], NULL);
		EXPECT_EQ(0, l[i].bad) TH_LOG("thread %d: %s", i, strerror(-l[i].bad));
		EXPECT_EQ(0, l[i].after) TH_LOG("thread %d after the end: %d", i, l[i].after);
		EXPECT_LT(l[i].ended_at, t0 + END_MS * 1000000ULL);
		EXPECT_LT(100, l[i].calls) TH_LOG("thread %d made %ld calls", i, l[i].calls);
	}
	/* Every error after DISCONNECT was ESTALE, not ENODEV. */
	EXPECT_EQ(-ESTALE, pc_try_allocate(self->fd, self->token));
	EXPECT_EQ(0, port_is_free_for_a_newcomer(self->num));
}

TEST_F(shared, removal_and_disconnect_at_once)
{
	struct load l[LOAD_THREADS];
	pthread_t th[LOAD_THREADS];
	atomic_int ended = 0;
	int i, ret;

	ASSERT_EQ(0, load_start(l, th, self->fd, self->token, &ended));
	sim_sleep_ms(LOAD_MS);
	/* Unplugging revokes the session while DISCONNECT tears it down. */
	if (!fork()) {
		sim_puts(self->name, "plugged", "0");
		_exit(0);
	}
	/* Either teardown may come first: the other finds it done. */
	ret = pc_disconnect(self->fd, self->token);
	EXPECT_EQ(0, ret);
	wait(NULL);
	EXPECT_EQ(LOAD_THREADS, load_wait_end(&ended));
	for (i = 0; i < LOAD_THREADS; i++) {
		pthread_join(th[i], NULL);
		EXPECT_EQ(0, l[i].bad) TH_LOG("thread %d: %s", i, strerror(-l[i].bad));
		EXPECT_EQ(0, l[i].after) TH_LOG("thread %d after the end: %d", i, l[i].after);
	}
	EXPECT_EQ(-ESTALE, pc_try_allocate(self->fd, self->token));
	close(self->fd);
	self->fd = -1;
	sim_destroy(self->name);
	/* Nothing of parclass's keeps the simulated port's module. */
	for (i = 0; i < 300 && sim_refcnt() != self->refcnt; i++)
		sim_sleep_ms(10);
	EXPECT_EQ(self->refcnt, sim_refcnt());
}

TEST_HARNESS_MAIN
