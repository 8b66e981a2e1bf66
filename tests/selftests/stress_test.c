// SPDX-License-Identifier: GPL-2.0
/*
 * stress_test: many clients at once, and clients killed in the middle,
 * with the simulated peripheral as the witness of who wrote what.
 *
 * parport_sim records, for every forward byte it latches, the thread
 * whose port operation latched it (its writers file: runs of one
 * writer's bytes, in wire order). The tests:
 *
 * - witness.records_each_writer_in_order: the record itself. Bytes of two
 *   threads through one session come back as runs of the right thread
 *   IDs and lengths, in order; writing the file or opening it with
 *   O_TRUNC forgets them, clearing forward bytes forgets them too; past
 *   SIM_WRITERS_MAX runs the record says "overflow N" instead of losing
 *   writers silently.
 *
 * - mixed.sessions_stay_exclusive_under_load: 64 threads in 8 processes,
 *   for 10 s (6 s in the debug lane), mix CONNECT, ALLOCATE (blocking,
 *   TRY, with a timeout), WRITE, FREE, DISCONNECT and close() on two
 *   simulated ports and on QEMU's two LPTs (no WRITE there: their output
 *   is checked byte for byte by the host). Each thread owns its files,
 *   holds at most one port at a time and marks it taken in shared memory
 *   while it holds it: nobody may find it taken already. A holder of a
 *   simulated port sends one frame (thread, period number, length, a
 *   pattern) per holding period, in one to three WRITEs. Afterwards the
 *   forward bytes and the writers record must show every period's frame
 *   whole, inside one run of the thread that wrote it, in each thread's
 *   order, every period exactly once and nothing else, the byte total
 *   equal to what the threads wrote. Then every port is free with no
 *   session and no waiter (LIST_PORTS), a new session gets each port with
 *   TRY, the module reference counts of parclass, parport_sim and
 *   parport_pc come back where they were (once parclass's idle arbiters
 *   have gone, 2 s after the last session), and the simulated ports can
 *   be deleted.
 *
 * - storm.sigkill_leaves_the_port_free: 100 rounds on a simulated port.
 *   Each round a holder (the test itself, or a child in a WRITE stalled
 *   by a busy peripheral, or streaming to a healthy one) keeps the port
 *   while children queue behind it in ALLOCATE (blocking, one with a
 *   long timeout, one process with two threads waiting on two sessions
 *   of one file); then they are killed with SIGKILL, in one of several
 *   orders. Every killed child is reaped within 1 s of its kill; when the
 *   holder dies first, the oldest waiter gets the port; after the round
 *   the port is free, LIST_PORTS shows no holder, session or waiter, and
 *   TRY from a new session succeeds; at the end the module reference
 *   counts of parclass and parport_sim come back where they were.
 *
 * Counts (grants, bytes, rounds...) are reported as "# " lines.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/parclass.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
#include "sim_control.h"

#define MS		1000000ULL
#define SEC		1000000000ULL

#define REFCNT(mod)	"/sys/module/" mod "/refcnt"
/* How long module references may take to come back. */
#define SETTLE_NS	(10 * SEC)
/* parclass's PARCLASS_ARBITER_LINGER_MS, and a margin. */
#define LINGER_MS	2500

/* The QEMU LPTs' base addresses. */
#define LPT_BASE0	0x378
#define LPT_BASE1	0x278

/* A report line, flushed at once (the harness ends tests with _exit()). */
#define note(...) do { printf("# " __VA_ARGS__); fflush(stdout); } while (0)

/* A module's reference count, or -1. */
static long module_refcnt(const char *path)
{
	char buf[32];

	if (pc_file_get(path, buf, sizeof(buf)))
		return -1;
	return strtol(buf, NULL, 10);
}

/*
 * Module @path's reference count once it is @want, or what it still is at
 * @deadline: parclass keeps an idle port's arbiter, a device of the port's
 * driver, for 2 s after its last session (PARCLASS_ARBITER_LINGER_MS).
 */
static long refcnt_settled(const char *path, long want, __u64 deadline)
{
	long n;

	while ((n = module_refcnt(path)) != want && now_ns() < deadline)
		sim_sleep_ms(50);
	return n;
}

/* LIST_PORTS's entry for port @number; 0 or -errno (-ENOENT: unlisted). */
static int port_entry(__u32 number, struct parclass_port_entry *e)
{
	struct parclass_port_entry all[32];
	struct parclass_list_ports l = { .size = sizeof(l) };
	int fd = pc_open(), ret;
	__u32 i;

	if (fd < 0)
		return -errno;
	l.count = ARRAY_SIZE(all);
	l.entry_size = sizeof(all[0]);
	l.entries = (uintptr_t)all;
	ret = pc_ret(ioctl(fd, PARCLASS_IOC_LIST_PORTS, &l));
	close(fd);
	if (ret)
		return ret;
	for (i = 0; i < l.count && i < ARRAY_SIZE(all); i++) {
		if (all[i].info.number == number) {
			*e = all[i];
			return 0;
		}
	}
	return -ENOENT;
}

/* The number of the port at I/O base @base, or -1. */
static int port_at(__u64 base)
{
	struct parclass_port_entry all[32];
	struct parclass_list_ports l = { .size = sizeof(l) };
	int fd = pc_open(), num = -1;
	__u32 i;

	if (fd < 0)
		return -1;
	l.count = ARRAY_SIZE(all);
	l.entry_size = sizeof(all[0]);
	l.entries = (uintptr_t)all;
	if (!ioctl(fd, PARCLASS_IOC_LIST_PORTS, &l))
		for (i = 0; i < l.count && i < ARRAY_SIZE(all); i++)
			if (all[i].info.base == base)
				num = all[i].info.number;
	close(fd);
	return num;
}

/*
 * Port @number is clean: nobody holds it, no session, no waiter, and a
 * new session gets it with TRY. 0, or a description of what is wrong in
 * @why.
 */
static int port_clean(__u32 number, char *why, size_t size)
{
	struct parclass_port_entry e;
	__u64 token;
	int fd, ret;

	ret = port_entry(number, &e);
	if (ret) {
		snprintf(why, size, "LIST_PORTS: %s", strerror(-ret));
		return -1;
	}
	if (e.holder != PARCLASS_HOLDER_NONE || e.holder_pid || e.sessions ||
	    e.waiters || e.other_waiters) {
		snprintf(why, size,
			 "parport%u: holder %u (pid %u, %s), %u sessions, %u waiters, %u other waiters",
			 number, e.holder, e.holder_pid, e.holder_name,
			 e.sessions, e.waiters, e.other_waiters);
		return -1;
	}
	fd = pc_open();
	if (fd < 0) {
		snprintf(why, size, "open: %s", strerror(errno));
		return -1;
	}
	ret = pc_connect(fd, number, &token);
	if (!ret) {
		ret = pc_try_allocate(fd, token);
		if (!ret)
			ret = pc_free(fd, token);
	}
	close(fd);
	if (ret) {
		snprintf(why, size, "parport%u: a new session's TRY: %s",
			 number, strerror(-ret));
		return -1;
	}
	return 0;
}

static __u64 rnd(__u64 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* The test's duration, by lane: the debug kernel runs everything slower. */
static int debug_lane(void)
{
	char lane[32] = "";

	return !pc_file_get("/etc/parclass/lane", lane, sizeof(lane)) &&
	       !strcmp(lane, "debug");
}

/* ---------------------------------------------------------------- */
/* witness: the writers record itself */

struct pinger {
	int fd;
	__u64 token;
	int go[2], back[2];
	int tid;
	int ret;
};

/* Writes one byte per byte received on go[0], answers on back[1]. */
static void *pinger_main(void *arg)
{
	struct pinger *p = arg;
	unsigned char c;
	__u32 w;

	p->tid = gettid();
	while (read(p->go[0], &c, 1) == 1) {
		p->ret = pc_write(p->fd, p->token, &c, 1, 0, &w);
		if (!p->ret && w != 1)
			p->ret = -EIO;
		if (write(p->back[1], &c, 1) != 1 || p->ret)
			break;
	}
	return NULL;
}

/* One byte through the other thread. */
static int ping(struct pinger *p, unsigned char c)
{
	if (write(p->go[1], &c, 1) != 1 || read(p->back[0], &c, 1) != 1)
		return -EIO;
	return p->ret;
}

FIXTURE(witness) {
	char name[32];
	int fd;
	__u64 token;
	struct pinger p;
	pthread_t th;
	int started;
};

FIXTURE_SETUP(witness)
{
	int num;

	snprintf(self->name, sizeof(self->name), "wit%d", (int)getpid());
	self->fd = -1;
	ASSERT_EQ(0, sim_puts("", "new", self->name));
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "1"));
	num = sim_number(self->name);
	ASSERT_LE(0, num);
	self->fd = pc_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, pc_connect(self->fd, num, &self->token));
	ASSERT_EQ(0, pc_try_allocate(self->fd, self->token));
	ASSERT_EQ(0, sim_puts(self->name, "forward", "x"));
	self->p.fd = self->fd;
	self->p.token = self->token;
	ASSERT_EQ(0, pipe(self->p.go));
	ASSERT_EQ(0, pipe(self->p.back));
	ASSERT_EQ(0, pthread_create(&self->th, NULL, pinger_main, &self->p));
	self->started = 1;
	/* The thread knows its ID once it answered. */
	ASSERT_EQ(0, ping(&self->p, 0xee));
	ASSERT_EQ(0, sim_puts(self->name, "forward", "x"));
}

FIXTURE_TEARDOWN(witness)
{
	if (self->started) {
		close(self->p.go[1]);
		pthread_join(self->th, NULL);
	}
	if (self->fd >= 0)
		close(self->fd);
	sim_destroy(self->name);
}

static int send_bytes(int fd, __u64 token, const void *buf, __u32 len)
{
	__u32 w = 0;
	int ret = pc_write(fd, token, buf, len, 0, &w);

	return ret ?: (w == len ? 0 : -EIO);
}

TEST_F(witness, records_each_writer_in_order)
{
	static const unsigned char a[10] = "0123456789", b = 'b', c[3] = "xyz";
	struct sim_run runs[8];
	unsigned long over = 1;
	char fwd[64], path[128];
	int me = gettid(), fd;

	ASSERT_NE(me, self->p.tid);
	ASSERT_EQ(0, send_bytes(self->fd, self->token, a, sizeof(a)));
	ASSERT_EQ(0, ping(&self->p, b));
	ASSERT_EQ(0, ping(&self->p, b));
	ASSERT_EQ(0, send_bytes(self->fd, self->token, c, sizeof(c)));

	ASSERT_EQ(3, sim_writers(self->name, runs, 8, &over));
	EXPECT_EQ(0, over);
	EXPECT_EQ(me, runs[0].pid);
	EXPECT_EQ(10, runs[0].count);
	EXPECT_EQ(self->p.tid, runs[1].pid);
	EXPECT_EQ(2, runs[1].count);
	EXPECT_EQ(me, runs[2].pid);
	EXPECT_EQ(3, runs[2].count);
	ASSERT_EQ(15, sim_get(self->name, "forward", fwd, sizeof(fwd)));
	EXPECT_EQ(0, memcmp(fwd, "0123456789bbxyz", 15));
	EXPECT_EQ(3, sim_state(self->name, "writers"));
	EXPECT_EQ(0, sim_state(self->name, "writers_lost"));

	/* Writing the file forgets the writers, not the bytes. */
	ASSERT_EQ(0, sim_puts(self->name, "writers", "0"));
	EXPECT_EQ(0, sim_writers(self->name, runs, 8, &over));
	EXPECT_EQ(15, sim_state(self->name, "forward"));
	ASSERT_EQ(0, ping(&self->p, b));
	ASSERT_EQ(1, sim_writers(self->name, runs, 8, &over));
	EXPECT_EQ(self->p.tid, runs[0].pid);
	EXPECT_EQ(1, runs[0].count);

	/* So does opening it with O_TRUNC. */
	snprintf(path, sizeof(path), "%s/%s/writers", SIM_DIR, self->name);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	ASSERT_LE(0, fd);
	close(fd);
	EXPECT_EQ(0, sim_writers(self->name, runs, 8, &over));

	/* Clearing the forward bytes forgets their writers. */
	ASSERT_EQ(0, send_bytes(self->fd, self->token, a, 4));
	ASSERT_EQ(1, sim_writers(self->name, runs, 8, &over));
	ASSERT_EQ(0, sim_puts(self->name, "forward", "x"));
	EXPECT_EQ(0, sim_writers(self->name, runs, 8, &over));
	EXPECT_EQ(0, sim_state(self->name, "forward"));
}

TEST_F_TIMEOUT(witness, overflow_is_reported_not_hidden, 60)
{
	static struct sim_run runs[SIM_WRITERS_MAX + 1];
	unsigned char x = 0x5a;
	unsigned long over = 0;
	int me = gettid(), i, bad = 0;
	__u64 t0 = now_ns();

	/* One-byte runs, alternating: three more than the record keeps. */
	for (i = 0; i < SIM_WRITERS_MAX + 3; i++) {
		int ret = i % 2 ? ping(&self->p, x) :
			  send_bytes(self->fd, self->token, &x, 1);

		ASSERT_EQ(0, ret);
	}
	/* More of the last writer's bytes are not merged into a kept run. */
	ASSERT_EQ(0, send_bytes(self->fd, self->token, &x, 1));

	ASSERT_EQ(SIM_WRITERS_MAX,
		  sim_writers(self->name, runs, SIM_WRITERS_MAX + 1, &over));
	EXPECT_EQ(4, over);
	for (i = 0; i < SIM_WRITERS_MAX; i++)
		bad += runs[i].count != 1 ||
		       runs[i].pid != (i % 2 ? self->p.tid : me);
	EXPECT_EQ(0, bad);
	EXPECT_EQ(SIM_WRITERS_MAX, sim_state(self->name, "writers"));
	EXPECT_EQ(4, sim_state(self->name, "writers_lost"));
	EXPECT_EQ(SIM_WRITERS_MAX + 4, sim_state(self->name, "forward"));
	note("%d one-byte WRITEs from two threads in %llu ms\n",
	     SIM_WRITERS_MAX + 4, (unsigned long long)((now_ns() - t0) / MS));

	/* Cleared, the record starts over and keeps writers again. */
	ASSERT_EQ(0, sim_puts(self->name, "writers", "0"));
	EXPECT_EQ(0, sim_state(self->name, "writers_lost"));
	ASSERT_EQ(0, send_bytes(self->fd, self->token, &x, 1));
	ASSERT_EQ(1, sim_writers(self->name, runs, 2, &over));
	EXPECT_EQ(0, over);
	EXPECT_EQ(me, runs[0].pid);
}

/* ---------------------------------------------------------------- */
/* mixed: 64 threads in 8 processes */

#define NPROC		8
#define NTHREAD		8
#define NWORK		(NPROC * NTHREAD)
#define NSIM		2
#define NPORTS		(NSIM + 2)
/* Sessions a thread keeps at most (it holds one port at most). */
#define NSLOT		2
#define FRAME_MIN	8
#define FRAME_MAX	96
#define FRAME_MAGIC	0xa5
/* Holding periods with a frame, per thread. */
#define PERIODS_MAX	2048
/* Bytes sent to each simulated port in all: the forward file keeps 64 KiB. */
#define SIM_BUDGET	(SIM_FWD_MAX - 2 * FRAME_MAX)
/* After the end, how long the processes may take to finish. */
#define FINISH_NS	(30 * SEC)

enum { GRANT_BLOCKING, GRANT_TRY, GRANT_TIMEOUT, GRANT_KINDS };
enum { BY_FREE, BY_DISCONNECT, BY_CLOSE, BY_KINDS };

struct period {
	__u32 seq;
	__u16 port;
	__u16 len;
};

struct counts {
	unsigned long connects, disconnects, closes;
	unsigned long grants[GRANT_KINDS], busy, timeouts;
	unsigned long released[BY_KINDS];
	unsigned long writes, bytes;
};

struct worker {
	int tid;
	__u32 nperiods;
	struct period periods[PERIODS_MAX];
	struct counts c;
	unsigned int errors;
	char error[200];
};

struct shared {
	__u32 number[NPORTS];	/* the simulated ports first */
	__u64 start, end;
	atomic_int owner[NPORTS];	/* worker index + 1 while held */
	atomic_uint reserved[NSIM];	/* bytes promised to frames */
	atomic_int violations;
	char violation[200];
	struct worker w[NWORK];
};

static struct shared *sh;

struct session {
	int live;
	__u64 token;
	int port;	/* index into sh->number */
};

struct wstate {
	struct worker *w;
	int idx;
	__u64 rng;
	int fd;
	struct session s[NSLOT];
	int held;	/* slot holding its port, or -1 */
	__u32 seq;	/* this holding period's number */
	unsigned char frame[FRAME_MAX];
	__u32 flen, fsent;
	__u32 parts;	/* WRITEs left for the frame */
};

/* Something unexpected: count it, and describe the first one. */
static void werror(struct wstate *st, const char *what, int ret)
{
	struct worker *w = st->w;
	char where[24] = "";

	if (st->held >= 0)
		snprintf(where, sizeof(where), " holding parport%u",
			 sh->number[st->s[st->held].port]);
	if (!w->errors++)
		snprintf(w->error, sizeof(w->error), "thread %d%s: %s: %s",
			 st->idx, where, what, strerror(-ret));
}

static void frame_fill(unsigned char *f, int idx, __u32 seq, int port,
		       __u32 len)
{
	__u32 i;

	f[0] = FRAME_MAGIC;
	f[1] = idx;
	f[2] = seq;
	f[3] = seq >> 8;
	f[4] = seq >> 16;
	f[5] = seq >> 24;
	f[6] = len;
	f[7] = port;
	for (i = 8; i < len; i++)
		f[i] = idx * 37 + seq * 11 + i * 7 + 1;
}

/* The port was just granted to slot @k. */
static void granted(struct wstate *st, int k, int kind)
{
	int port = st->s[k].port, expect = 0;
	__u64 now = now_ns(), span = sh->end - sh->start, allowed;
	unsigned int old;

	st->w->c.grants[kind]++;
	st->held = k;
	if (!atomic_compare_exchange_strong(&sh->owner[port], &expect,
					    st->idx + 1) &&
	    !atomic_fetch_add(&sh->violations, 1))
		snprintf(sh->violation, sizeof(sh->violation),
			 "thread %d got parport%u, held by thread %d",
			 st->idx, sh->number[port], expect - 1);
	st->seq++;
	st->flen = 0;
	st->fsent = 0;
	if (port >= NSIM || st->w->nperiods == PERIODS_MAX)
		return;
	/* Spread the budget over the run: no more than its share so far. */
	allowed = SIM_BUDGET * (now - sh->start + span / 16) / span;
	if (allowed > SIM_BUDGET)
		allowed = SIM_BUDGET;
	st->flen = FRAME_MIN + rnd(&st->rng) % (FRAME_MAX - FRAME_MIN + 1);
	old = atomic_fetch_add(&sh->reserved[port], st->flen);
	if (old + st->flen > allowed) {
		atomic_fetch_sub(&sh->reserved[port], st->flen);
		st->flen = 0;
		return;
	}
	frame_fill(st->frame, st->idx, st->seq, port, st->flen);
	st->parts = 1 + rnd(&st->rng) % 3;
}

/* Before letting the port go: the period's record, the mark cleared. */
static void releasing(struct wstate *st)
{
	int port = st->s[st->held].port, expect = st->idx + 1;
	struct worker *w = st->w;

	if (st->flen) {
		w->periods[w->nperiods].seq = st->seq;
		w->periods[w->nperiods].port = port;
		w->periods[w->nperiods].len = st->fsent;
		w->nperiods++;
		if (st->fsent != st->flen)
			werror(st, "an incomplete frame", -EIO);
	}
	if (!atomic_compare_exchange_strong(&sh->owner[port], &expect, 0) &&
	    !atomic_fetch_add(&sh->violations, 1))
		snprintf(sh->violation, sizeof(sh->violation),
			 "thread %d held parport%u, marked as thread %d's",
			 st->idx, sh->number[port], expect - 1);
	st->flen = 0;
}

static void close_file(struct wstate *st)
{
	int k;

	if (st->held >= 0)
		releasing(st);
	if (close(st->fd))
		werror(st, "close", -errno);
	st->fd = -1;
	st->held = -1;
	for (k = 0; k < NSLOT; k++)
		st->s[k].live = 0;
	st->w->c.closes++;
}

static void disconnect_slot(struct wstate *st, int k)
{
	int ret;

	if (st->held == k)
		releasing(st);
	ret = pc_disconnect(st->fd, st->s[k].token);
	if (ret)
		werror(st, "DISCONNECT", ret);
	if (st->held == k)
		st->held = -1;
	st->s[k].live = 0;
	st->w->c.disconnects++;
}

/* One step of a thread holding a port. */
static void holding_step(struct wstate *st)
{
	__u32 r = rnd(&st->rng) % 100, part, w;
	struct session *s = &st->s[st->held];
	int ret;

	if (r < 15)
		usleep(rnd(&st->rng) % 400);
	if (st->fsent < st->flen) {
		/* The frame in one to three WRITEs. */
		part = st->flen - st->fsent;
		if (st->parts-- > 1 && part > st->parts)
			part = 1 + rnd(&st->rng) % (part - st->parts);
		ret = pc_write(st->fd, s->token, st->frame + st->fsent, part,
			       0, &w);
		if (ret || w != part)
			werror(st, "WRITE", ret ?: -EIO);
		st->fsent += w <= part ? w : 0;
		st->w->c.writes++;
		st->w->c.bytes += w <= part ? w : 0;
		if (ret || w != part)
			st->flen = st->fsent;
		return;
	}
	if (r < 80) {
		releasing(st);
		ret = pc_free(st->fd, s->token);
		if (ret)
			werror(st, "FREE", ret);
		st->held = -1;
		st->w->c.released[BY_FREE]++;
	} else if (r < 92) {
		st->w->c.released[BY_DISCONNECT]++;
		disconnect_slot(st, st->held);
	} else {
		st->w->c.released[BY_CLOSE]++;
		close_file(st);
	}
}

static int pick_port(struct wstate *st)
{
	__u32 r = rnd(&st->rng) % 100;

	if (r < 35)
		return 0;
	if (r < 70)
		return 1;
	return r < 85 ? 2 : 3;
}

/* One step of a thread not holding a port. */
static void idle_step(struct wstate *st)
{
	__u32 r = rnd(&st->rng) % 100;
	int k, live = -1, empty = -1, ret, n = 0;
	__u64 timeout;

	for (k = 0; k < NSLOT; k++) {
		if (!st->s[k].live)
			empty = k;
		else if (!n++ || rnd(&st->rng) % 2)
			live = k;
	}
	if (live < 0 || (empty >= 0 && r < 12)) {
		k = empty;
		st->s[k].port = pick_port(st);
		ret = pc_connect(st->fd, sh->number[st->s[k].port],
				 &st->s[k].token);
		if (ret) {
			werror(st, "CONNECT", ret);
			return;
		}
		st->s[k].live = 1;
		st->w->c.connects++;
		return;
	}
	k = live;
	if (r < 16) {
		disconnect_slot(st, k);
	} else if (r < 18) {
		close_file(st);
	} else if (r < 55) {
		ret = pc_allocate(st->fd, st->s[k].token, 0, 0);
		if (ret)
			werror(st, "ALLOCATE", ret);
		else
			granted(st, k, GRANT_BLOCKING);
	} else if (r < 78) {
		ret = pc_try_allocate(st->fd, st->s[k].token);
		if (ret == -EAGAIN)
			st->w->c.busy++;
		else if (ret)
			werror(st, "TRY ALLOCATE", ret);
		else
			granted(st, k, GRANT_TRY);
	} else {
		timeout = 50000 + rnd(&st->rng) % (5 * MS);
		ret = pc_allocate(st->fd, st->s[k].token, 0, timeout);
		if (ret == -ETIMEDOUT)
			st->w->c.timeouts++;
		else if (ret)
			werror(st, "ALLOCATE with a timeout", ret);
		else
			granted(st, k, GRANT_TIMEOUT);
	}
}

static void *worker_main(void *arg)
{
	struct wstate st = { .w = arg, .fd = -1, .held = -1 };

	st.idx = st.w - sh->w;
	st.rng = 0x9e3779b97f4a7c15ULL * (st.idx + 1) ^ now_ns();
	st.w->tid = gettid();
	while (now_ns() < sh->end && st.w->errors < 1000) {
		if (st.fd < 0) {
			st.fd = pc_open();
			if (st.fd < 0) {
				werror(&st, "open", -errno);
				break;
			}
		} else if (st.held >= 0) {
			holding_step(&st);
		} else {
			idle_step(&st);
		}
	}
	/* Finish the frame, then let everything go. */
	while (st.held >= 0 && st.fsent < st.flen && !st.w->errors)
		holding_step(&st);
	if (st.fd >= 0)
		close_file(&st);
	return NULL;
}

static void worker_process(int p)
{
	pthread_t th[NTHREAD];
	int i, n = 0;

	for (i = 0; i < NTHREAD; i++)
		if (!pthread_create(&th[i], NULL, worker_main,
				    &sh->w[p * NTHREAD + i]))
			n++;
	for (i = 0; i < n; i++)
		pthread_join(th[i], NULL);
	_exit(n == NTHREAD ? 0 : 1);
}

/* The worker that thread ID @tid belongs to, or -1. */
static int worker_of(int tid)
{
	int i;

	for (i = 0; i < NWORK; i++)
		if (sh->w[i].tid == tid)
			return i;
	return -1;
}

/*
 * Simulated port @port's forward bytes against the writers record and the
 * threads' periods. 0, or -1 with the first discrepancy in @why.
 */
static int check_witness(const char *sim, int port, char *why, size_t size,
			 long *nruns, unsigned long *nframes)
{
	static unsigned char fwd[SIM_FWD_MAX + 1];
	static struct sim_run runs[SIM_WRITERS_MAX];
	__u32 next[NWORK] = { 0 };
	unsigned long over, total = 0, expected = 0;
	long n, r, len, off = 0, end;
	const unsigned char *f;
	__u32 seq, i;
	int idx;
	struct worker *w;
	struct period *pd;

	*nframes = 0;
	len = sim_get(sim, "forward", (char *)fwd, sizeof(fwd));
	n = sim_writers(sim, runs, SIM_WRITERS_MAX, &over);
	*nruns = n;
	if (len < 0 || n < 0) {
		snprintf(why, size, "%s: forward or writers unreadable", sim);
		return -1;
	}
	if (over || sim_state(sim, "forward_dropped") ||
	    sim_state(sim, "writers_lost")) {
		snprintf(why, size, "%s: bytes dropped (%lu writers lost)",
			 sim, over);
		return -1;
	}
	for (r = 0; r < n; r++) {
		total += runs[r].count;
		if (r && runs[r].pid == runs[r - 1].pid) {
			snprintf(why, size, "%s: runs %ld and %ld both thread %d's",
				 sim, r - 1, r, runs[r].pid);
			return -1;
		}
	}
	if (total != (unsigned long)len) {
		snprintf(why, size, "%s: %ld forward bytes, writers of %lu",
			 sim, len, total);
		return -1;
	}
	for (r = 0; r < n; r++) {
		end = off + runs[r].count;
		idx = worker_of(runs[r].pid);
		if (idx < 0) {
			snprintf(why, size, "%s: %lu bytes at %ld from thread %d, not a worker",
				 sim, runs[r].count, off, runs[r].pid);
			return -1;
		}
		w = &sh->w[idx];
		while (off < end) {
			f = fwd + off;
			if (end - off < FRAME_MIN || f[0] != FRAME_MAGIC ||
			    f[1] != idx || f[7] != port || f[6] < FRAME_MIN ||
			    off + f[6] > end) {
				snprintf(why, size,
					 "%s: at %ld, in run %ld (thread %d, %lu bytes at %ld), no whole frame of that thread",
					 sim, off, r, idx, runs[r].count,
					 end - (long)runs[r].count);
				return -1;
			}
			seq = f[2] | f[3] << 8 | f[4] << 16 | (__u32)f[5] << 24;
			for (i = 8; i < f[6]; i++)
				if (f[i] != (unsigned char)(idx * 37 + seq * 11 + i * 7 + 1))
					break;
			while (next[idx] < w->nperiods &&
			       w->periods[next[idx]].port != port)
				next[idx]++;
			pd = next[idx] < w->nperiods ?
			     &w->periods[next[idx]] : NULL;
			if (i < f[6] || !pd || pd->seq != seq ||
			    pd->len != f[6]) {
				snprintf(why, size,
					 "%s: at %ld, thread %d's frame %u (%u bytes) is not its next period (%u, %u bytes)%s",
					 sim, off, idx, seq, f[6],
					 pd ? pd->seq : 0, pd ? pd->len : 0,
					 i < f[6] ? ", and is damaged" : "");
				return -1;
			}
			next[idx]++;
			off += f[6];
			++*nframes;
		}
	}
	for (idx = 0; idx < NWORK; idx++) {
		w = &sh->w[idx];
		for (i = 0; i < w->nperiods; i++) {
			if (w->periods[i].port != port)
				continue;
			expected += w->periods[i].len;
			if (i >= next[idx]) {
				snprintf(why, size,
					 "%s: thread %d's period %u (%u bytes) never reached the port",
					 sim, idx, w->periods[i].seq,
					 w->periods[i].len);
				return -1;
			}
		}
	}
	if (expected != (unsigned long)len) {
		snprintf(why, size, "%s: %ld bytes arrived, %lu sent", sim, len,
			 expected);
		return -1;
	}
	return 0;
}

FIXTURE(mixed) {
	char sim[NSIM][32];
	/* Module references: before the test, and with its ports plugged. */
	long ref_parclass, ref_sim, ref_sim_plugged, ref_pc;
};

FIXTURE_SETUP(mixed)
{
	int i, num;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, sh);
	/* Arbiters of earlier sessions on the LPTs go first (2 s). */
	sim_sleep_ms(LINGER_MS);
	self->ref_parclass = module_refcnt(REFCNT("parclass"));
	self->ref_sim = module_refcnt(REFCNT("parport_sim"));
	self->ref_pc = module_refcnt(REFCNT("parport_pc"));
	for (i = 0; i < NSIM; i++) {
		snprintf(self->sim[i], sizeof(self->sim[i]), "mix%d-%d", i,
			 (int)getpid());
		num = sim_create(self->sim[i], NULL, NULL);
		ASSERT_LE(0, num);
		sh->number[i] = num;
		ASSERT_EQ(0, sim_puts(self->sim[i], "forward", "x"));
	}
	self->ref_sim_plugged = module_refcnt(REFCNT("parport_sim"));
	num = port_at(LPT_BASE0);
	ASSERT_LE(0, num) TH_LOG("no port at %#x (QEMU's LPT)", LPT_BASE0);
	sh->number[NSIM] = num;
	num = port_at(LPT_BASE1);
	ASSERT_LE(0, num) TH_LOG("no port at %#x (QEMU's LPT)", LPT_BASE1);
	sh->number[NSIM + 1] = num;
}

FIXTURE_TEARDOWN(mixed)
{
	int i;

	for (i = 0; i < NSIM; i++)
		if (self->sim[i][0])
			sim_destroy(self->sim[i]);
}

TEST_F_TIMEOUT(mixed, sessions_stay_exclusive_under_load, 75)
{
	__u64 dur = debug_lane() ? 6 * SEC : 10 * SEC;
	struct counts all = { 0 };
	pid_t pid[NPROC];
	int i, k, status, left = NPROC, failed = 0;
	unsigned long frames;
	long nruns;
	__u64 settle;
	char why[256];

	ASSERT_LE(0, self->ref_parclass);
	ASSERT_LE(0, self->ref_sim);
	ASSERT_LE(0, self->ref_pc);
	sh->start = now_ns();
	sh->end = sh->start + dur;
	for (i = 0; i < NPROC; i++) {
		pid[i] = fork();
		ASSERT_LE(0, pid[i]);
		if (!pid[i])
			worker_process(i);
	}
	while (left && now_ns() < sh->end + FINISH_NS) {
		for (i = 0; i < NPROC; i++) {
			if (!pid[i] || waitpid(pid[i], &status, WNOHANG) <= 0)
				continue;
			pid[i] = 0;
			left--;
			failed += !WIFEXITED(status) || WEXITSTATUS(status);
		}
		sim_sleep_ms(10);
	}
	if (left) {
		for (k = 0; k < NPORTS; k++)
			if (port_clean(sh->number[k], why, sizeof(why)))
				TH_LOG("%s", why);
		for (i = 0; i < NPROC; i++)
			if (pid[i] && !kill(pid[i], SIGKILL))
				waitpid(pid[i], &status, 0);
	}
	ASSERT_EQ(0, left) TH_LOG("%d processes still running %llu s after the end",
				  left, FINISH_NS / SEC);
	EXPECT_EQ(0, failed);

	for (i = 0; i < NWORK; i++) {
		struct counts *c = &sh->w[i].c;

		if (sh->w[i].errors)
			TH_LOG("%u errors, the first: %s", sh->w[i].errors,
			       sh->w[i].error);
		EXPECT_EQ(0, sh->w[i].errors);
		all.connects += c->connects;
		all.disconnects += c->disconnects;
		all.closes += c->closes;
		all.busy += c->busy;
		all.timeouts += c->timeouts;
		all.writes += c->writes;
		all.bytes += c->bytes;
		for (k = 0; k < GRANT_KINDS; k++)
			all.grants[k] += c->grants[k];
		for (k = 0; k < BY_KINDS; k++)
			all.released[k] += c->released[k];
	}
	EXPECT_EQ(0, atomic_load(&sh->violations))
		TH_LOG("%s", sh->violation);

	note("%d threads in %d processes for %llu s\n", NWORK, NPROC,
	     dur / SEC);
	note("ports: parport%u parport%u (simulated), parport%u parport%u (LPTs)\n",
	     sh->number[0], sh->number[1], sh->number[2], sh->number[3]);
	note("grants: %lu (blocking %lu, try %lu, with a timeout %lu)\n",
	     all.grants[0] + all.grants[1] + all.grants[2], all.grants[0],
	     all.grants[1], all.grants[2]);
	note("try busy: %lu, timed out: %lu\n", all.busy, all.timeouts);
	note("released by FREE %lu, DISCONNECT %lu, close %lu\n",
	     all.released[BY_FREE], all.released[BY_DISCONNECT],
	     all.released[BY_CLOSE]);
	note("connects %lu, disconnects %lu, closes %lu\n", all.connects,
	     all.disconnects, all.closes);
	note("WRITEs %lu, bytes %lu\n", all.writes, all.bytes);
	EXPECT_LT(0, all.grants[GRANT_BLOCKING]);
	EXPECT_LT(0, all.grants[GRANT_TRY]);
	EXPECT_LT(0, all.grants[GRANT_TIMEOUT]);
	EXPECT_LT(0, all.busy);

	for (k = 0; k < NSIM; k++) {
		int bad = check_witness(self->sim[k], k, why, sizeof(why),
					&nruns, &frames);

		EXPECT_EQ(0, bad) TH_LOG("%s", why);
		note("parport%u: %lld bytes, %lu frames, %ld writer runs\n",
		     sh->number[k], sim_state(self->sim[k], "forward"), frames,
		     nruns);
		EXPECT_LT(0, frames);
	}

	/* Nothing left behind. */
	for (k = 0; k < NPORTS; k++)
		EXPECT_EQ(0, port_clean(sh->number[k], why, sizeof(why)))
			TH_LOG("%s", why);
	settle = now_ns() + SETTLE_NS;
	EXPECT_EQ(self->ref_parclass,
		  refcnt_settled(REFCNT("parclass"), self->ref_parclass, settle));
	EXPECT_EQ(self->ref_sim_plugged,
		  refcnt_settled(REFCNT("parport_sim"), self->ref_sim_plugged,
				 settle));
	EXPECT_EQ(self->ref_pc,
		  refcnt_settled(REFCNT("parport_pc"), self->ref_pc, settle));
	for (k = 0; k < NSIM; k++) {
		EXPECT_EQ(0, sim_puts(self->sim[k], "plugged", "0"));
		EXPECT_EQ(0, sim_puts("", "delete", self->sim[k]));
		self->sim[k][0] = '\0';
	}
	EXPECT_EQ(self->ref_sim,
		  refcnt_settled(REFCNT("parport_sim"), self->ref_sim,
				 now_ns() + SETTLE_NS));
}

/* ---------------------------------------------------------------- */
/* storm: SIGKILL in the middle */

#define ROUNDS		100
#define WAITERS		3
/* Waiters in all: the single ones, and the process with two threads. */
#define QUEUED		(WAITERS + 2)
#define REAP_NS		(1 * SEC)
#define STUCK_LEN	4096
#define STREAM_LEN	(64 << 20)

enum {
	R_TEST_HOLDS,		/* the test holds; the waiters are killed */
	R_STUCK_HOLDER_FIRST,	/* stalled WRITE killed, then the waiters */
	R_STREAM_ALL_AT_ONCE,	/* streaming WRITE and waiters killed at once */
	R_STUCK_WAITERS_FIRST,	/* the waiters killed, then the stalled WRITE */
	R_KINDS
};

/* A child: its pid and the pipe it reports on. */
struct child {
	pid_t pid;
	int rd;
};

/* Report @c to the test; children die if it cannot be told. */
static void tell(int fd, char c)
{
	if (write(fd, &c, 1) != 1)
		_exit(9);
}

/* A child's request failed: say so and end (not by the kill). */
static void child_failed(int fd)
{
	tell(fd, 'X');
	_exit(3);
}

/* The next report of @c, within @ms: 0, or -1 (another report, none). */
static int heard(struct child *c, char want, int ms)
{
	struct pollfd p = { .fd = c->rd, .events = POLLIN };
	char got;

	if (poll(&p, 1, ms) != 1 || read(c->rd, &got, 1) != 1)
		return -1;
	return got == want ? 0 : -1;
}

struct two_arg {
	int fd;
	__u64 token;
	int out;
};

static void *two_wait(void *arg)
{
	struct two_arg *a = arg;

	if (pc_allocate(a->fd, a->token, 0, 0))
		child_failed(a->out);
	tell(a->out, 'G');
	pause();
	return NULL;
}

/*
 * A child on port @num: kind 'H' holds it and WRITEs @len bytes, 'W'
 * waits in a blocking ALLOCATE (@timeout_ns), '2' waits in two threads on
 * two sessions. It reports 'C' once connected, 'H' holding, 'G' granted,
 * 'X' failed, 'E' when a WRITE ended; then it pauses until killed.
 */
static int spawn(struct child *c, char kind, int num, __u64 timeout_ns,
		 __u32 len, int close_fd)
{
	int p[2];

	if (pipe(p))
		return -1;
	c->pid = fork();
	if (c->pid < 0)
		return -1;
	if (!c->pid) {
		int fd;
		__u64 token, token2;
		__u32 w;
		pthread_t th;
		struct two_arg a;

		if (close_fd >= 0)
			close(close_fd);
		close(p[0]);
		fd = pc_open();
		if (fd < 0 || pc_connect(fd, num, &token))
			child_failed(p[1]);
		if (kind == '2') {
			if (pc_connect(fd, num, &token2))
				child_failed(p[1]);
			tell(p[1], 'C');
			a.fd = fd;
			a.token = token2;
			a.out = p[1];
			if (pthread_create(&th, NULL, two_wait, &a) ||
			    pc_allocate(fd, token, 0, 0))
				child_failed(p[1]);
			tell(p[1], 'G');
		} else if (kind == 'W') {
			tell(p[1], 'C');
			if (pc_allocate(fd, token, 0, timeout_ns))
				child_failed(p[1]);
			tell(p[1], 'G');
		} else {
			void *buf = mmap(NULL, len, PROT_READ,
					 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

			if (buf == MAP_FAILED ||
			    pc_allocate(fd, token, 0, 2 * SEC))
				child_failed(p[1]);
			tell(p[1], 'H');
			pc_write(fd, token, buf, len, 60 * SEC, &w);
			tell(p[1], 'E');
		}
		for (;;)
			pause();
	}
	close(p[1]);
	c->rd = p[0];
	return 0;
}

/*
 * Kill @c (unless @t0, the time it was killed, is given) and reap it: 0
 * if that took less than REAP_NS from the kill and it died of SIGKILL.
 */
static int kill_reap(struct child *c, __u64 t0, __u64 *took)
{
	pid_t pid = c->pid, r = 0;
	int status = 0;

	*took = 0;
	if (!t0) {
		t0 = now_ns();
		if (kill(pid, SIGKILL))
			return -1;
	}
	while (now_ns() - t0 < REAP_NS) {
		r = waitpid(pid, &status, WNOHANG);
		if (r)
			break;
		usleep(200);
	}
	*took = now_ns() - t0;
	if (!r)
		r = waitpid(pid, &status, 0);
	close(c->rd);
	c->pid = 0;
	if (r != pid || *took >= REAP_NS)
		return -1;
	return WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL ? 0 : -1;
}

/* Wait (5 s at most) until port @num has @waiters waiters. */
static int waiters_reach(int num, __u32 waiters, struct parclass_port_entry *e)
{
	__u64 t0 = now_ns();

	while (now_ns() - t0 < 5 * SEC) {
		if (!port_entry(num, e) && e->waiters == waiters)
			return 0;
		usleep(500);
	}
	return -1;
}

FIXTURE(storm) {
	char name[32];
	int num;
	struct child kids[WAITERS + 2];
	long ref_parclass, ref_sim;	/* with the port plugged */
};

FIXTURE_SETUP(storm)
{
	snprintf(self->name, sizeof(self->name), "storm%d", (int)getpid());
	self->num = sim_create(self->name, NULL, NULL);
	ASSERT_LE(0, self->num);
	self->ref_parclass = module_refcnt(REFCNT("parclass"));
	self->ref_sim = module_refcnt(REFCNT("parport_sim"));
	ASSERT_LE(0, self->ref_parclass);
	ASSERT_LE(0, self->ref_sim);
}

FIXTURE_TEARDOWN(storm)
{
	unsigned int i;
	int status;

	for (i = 0; i < ARRAY_SIZE(self->kids); i++)
		if (self->kids[i].pid > 0 && !kill(self->kids[i].pid, SIGKILL))
			waitpid(self->kids[i].pid, &status, 0);
	sim_destroy(self->name);
}

TEST_F_TIMEOUT(storm, sigkill_leaves_the_port_free, 150)
{
	/* kids[0]: the holder; 1..WAITERS: waiters; WAITERS + 1: two threads. */
	struct child *k = self->kids, *holder = &k[0];
	const int nk = WAITERS + 2;
	unsigned long kills = 0, handed = 0, rounds = 0;
	__u64 took, worst = 0, token = 0, t_all, t_start = now_ns();
	struct parclass_port_entry e;
	int round, kind, i, fd, order[WAITERS + 2];
	pid_t holder_pid;
	long long fwd;
	char why[256];

	for (round = 0; round < ROUNDS; round++) {
		kind = round % R_KINDS;
		ASSERT_EQ(0, sim_puts(self->name, "faults",
				      kind == R_STREAM_ALL_AT_ONCE || kind == R_TEST_HOLDS ?
				      "none" : "busy"));
		ASSERT_EQ(0, sim_puts(self->name, "forward", "x"));
		fd = -1;
		if (kind == R_TEST_HOLDS) {
			fd = pc_open();
			ASSERT_LE(0, fd);
			ASSERT_EQ(0, pc_connect(fd, self->num, &token));
			ASSERT_EQ(0, pc_try_allocate(fd, token));
			holder_pid = getpid();
		} else {
			ASSERT_EQ(0, spawn(holder, 'H', self->num, 0,
					   kind == R_STREAM_ALL_AT_ONCE ?
					   STREAM_LEN : STUCK_LEN, -1));
			ASSERT_EQ(0, heard(holder, 'H', 5000))
				TH_LOG("round %d: the holder did not get the port",
				       round);
			holder_pid = holder->pid;
		}
		/* The waiters queue one by one, so their order is known. */
		for (i = 1; i <= WAITERS; i++) {
			ASSERT_EQ(0, spawn(&k[i], 'W', self->num,
					   i == 2 ? 60 * SEC : 0, 0, fd));
			ASSERT_EQ(0, heard(&k[i], 'C', 5000));
			ASSERT_EQ(0, waiters_reach(self->num, i, &e))
				TH_LOG("round %d: waiter %d never queued", round, i);
		}
		ASSERT_EQ(0, spawn(&k[nk - 1], '2', self->num, 0, 0, fd));
		ASSERT_EQ(0, heard(&k[nk - 1], 'C', 5000));
		ASSERT_EQ(0, waiters_reach(self->num, QUEUED, &e))
			TH_LOG("round %d: %u waiters, not %d", round, e.waiters,
			       QUEUED);
		EXPECT_EQ(PARCLASS_HOLDER_SESSION, e.holder);
		EXPECT_EQ(holder_pid, e.holder_pid);
		EXPECT_EQ(QUEUED + 1, e.sessions);

		if (kind != R_TEST_HOLDS) {
			/* The WRITE is under way: not ended, and streaming. */
			struct pollfd p = { .fd = holder->rd, .events = POLLIN };

			EXPECT_EQ(0, poll(&p, 1, 0))
				TH_LOG("round %d: the WRITE ended before the kill",
				       round);
			fwd = sim_state(self->name, "forward");
			if (kind == R_STREAM_ALL_AT_ONCE)
				EXPECT_LT(0, fwd);
			if (kind != R_STREAM_ALL_AT_ONCE)
				EXPECT_EQ(0, fwd);
		}

		/* The kills, in this round's order. */
		for (i = 0; i < nk; i++)
			order[i] = i;
		if (kind == R_STUCK_WAITERS_FIRST || kind == R_TEST_HOLDS) {
			for (i = 0; i < nk - 1; i++)
				order[i] = nk - 1 - i;
			order[nk - 1] = 0;
		}
		t_all = 0;
		if (kind == R_STREAM_ALL_AT_ONCE) {
			t_all = now_ns();
			for (i = 0; i < nk; i++)
				EXPECT_EQ(0, kill(k[i].pid, SIGKILL));
		}
		for (i = 0; i < nk; i++) {
			struct child *c = &k[order[i]];

			if (c == holder && kind == R_TEST_HOLDS) {
				/* Nobody waits any more; the test still holds. */
				ASSERT_EQ(0, port_entry(self->num, &e));
				EXPECT_EQ(0, e.waiters);
				EXPECT_EQ(1, e.sessions);
				EXPECT_EQ(holder_pid, e.holder_pid);
				EXPECT_EQ(0, pc_free(fd, token));
				EXPECT_EQ(0, pc_disconnect(fd, token));
				close(fd);
				continue;
			}
			EXPECT_EQ(0, kill_reap(c, t_all, &took))
				TH_LOG("round %d: child %d (pid %d) reaped after %llu ms",
				       round, order[i], c->pid,
				       (unsigned long long)(took / MS));
			kills++;
			if (took > worst)
				worst = took;
			if (c == holder && kind == R_STUCK_HOLDER_FIRST) {
				/* The oldest waiter gets the port. */
				EXPECT_EQ(0, heard(&k[1], 'G', 1000))
					TH_LOG("round %d: the first waiter was not handed the port",
					       round);
				ASSERT_EQ(0, port_entry(self->num, &e));
				EXPECT_EQ(k[1].pid, e.holder_pid);
				EXPECT_EQ(QUEUED - 1, e.waiters);
				handed++;
			}
		}
		EXPECT_EQ(0, port_clean(self->num, why, sizeof(why)))
			TH_LOG("round %d: %s", round, why);
		if (_metadata->exit_code)
			break;
		rounds++;
	}
	EXPECT_EQ(ROUNDS, rounds);
	t_all = now_ns() + SETTLE_NS;
	EXPECT_EQ(self->ref_parclass,
		  refcnt_settled(REFCNT("parclass"), self->ref_parclass, t_all));
	EXPECT_EQ(self->ref_sim,
		  refcnt_settled(REFCNT("parport_sim"), self->ref_sim, t_all));
	note("%lu rounds in %llu ms, %lu children killed, the slowest reaped in %llu ms\n",
	     rounds, (unsigned long long)((now_ns() - t_start) / MS), kills,
	     (unsigned long long)(worst / MS));
	note("the port went to the oldest waiter after its holder's kill %lu times\n",
	     handed);
}

TEST_HARNESS_MAIN
