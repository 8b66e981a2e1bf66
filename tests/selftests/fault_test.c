// SPDX-License-Identifier: GPL-2.0
/*
 * fault_test: every allocation on parclass's command paths fails once,
 * in turn, and the command fails cleanly.
 *
 * For n = 1, 2, ... the n-th allocation the calling thread makes from
 * the call on fails (/proc/thread-self/fail-nth, through failslab and
 * fail_page_alloc), until the call runs through with the failure never
 * injected. A call whose allocation failed either succeeds all the same,
 * in the same state as an untroubled call, or fails with ENOMEM (a
 * command that documents no ENOMEM must not fail at all): it writes back
 * nothing its command does not document, leaves no session, parport
 * device, module reference, queued request, transfer or event behind
 * (but for what lingers after a failed ALLOCATE as after a port's last
 * user, and goes by itself: a session's own device, once registered,
 * and the port's arbiter and spare), leaves the
 * peripheral's data where it was, and the same call without a failure
 * then succeeds.
 *
 * Covered: open(), CONNECT, LIST_PORTS, a session's first ALLOCATE,
 * which registers its parport device (the try each time on a port just
 * plugged in; the asynchronous one each time by a new session on a port
 * just plugged in, queued behind a holder, so with the port's arbiter);
 * read() of the events;
 * WRITE, DEVICE_ID, READ and PIN_PROGRAM. Every test has a simulated port
 * of its own, and reports how many allocations it failed.
 *
 * Only the debug lane's kernel has fault injection; in the other lanes
 * the test skips. In the debug lane missing fault-injection files fail.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/parclass.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
#include "sim_control.h"

#define LANE_FILE	"/etc/parclass/lane"
#define FAILSLAB	"/sys/kernel/debug/failslab/"
#define FAILPAGE	"/sys/kernel/debug/fail_page_alloc/"
#define FAIL_NTH	"/proc/thread-self/fail-nth"
#define PARPORT_BUS	"/sys/bus/parport/devices"

/* More allocations than any of the calls makes. */
#define MAX_POINTS	1000U
/* What a call must not touch when it fails. */
#define SENTINEL	0xdeadbeefU
#define SENTINEL64	0xdeadbeefcafef00dULL
#define MS		1000000ULL

#define ARRAY_LEN(a)	(sizeof(a) / sizeof((a)[0]))

static const char printer_id[] = "MFG:Acme;MDL:Fault 1;CMD:PCL;CLS:PRINTER;";
static const char reverse_data[] = "status: ready, 42 pages printed";

/*
 * The fault-injection settings, restored afterwards. Only the failure
 * fail-nth asks for is injected (probability 0), in silence (verbose 0:
 * no message, no stack dump on the console), into sleeping allocations
 * too and into every cache and page order. Highmem page allocations are
 * left alone: those are user pages, and a page fault on a user buffer
 * failing would make a copy fail with EFAULT, not the allocation the
 * test aims at (the buffers are touched before each call anyway). Last,
 * parclass's device-ID hold-off: none, the test's queries follow each
 * other at once.
 */
static const struct setting {
	const char *path;
	const char *value;
} settings[] = {
	{ FAILSLAB "probability", "0" },
	{ FAILPAGE "probability", "0" },
	{ FAILSLAB "verbose", "0" },
	{ FAILPAGE "verbose", "0" },
	{ FAILSLAB "ignore-gfp-wait", "N" },
	{ FAILSLAB "cache-filter", "N" },
	{ FAILPAGE "ignore-gfp-wait", "N" },
	{ FAILPAGE "ignore-gfp-highmem", "Y" },
	{ FAILPAGE "min-order", "0" },
	{ PC_PARAM_DIR "device_id_holdoff_ms", "0" },
};

/* Module parameters a test changes, restored afterwards. */
static const char *const params[] = {
	PC_PARAM_DIR "max_sessions",
	PC_PARAM_DIR "max_sessions_per_file",
};

/* The calls' buffers: static, and touched before each call. */
static struct parclass_port_entry entries[16];
static unsigned char wbuf[256], rbuf[256], results[8];
static struct parclass_pin_op ops[3];

/* How many of the @len bytes at @buf are no longer @fill. */
static size_t bytes_changed(const void *buf, size_t len, unsigned char fill)
{
	const unsigned char *p = buf;
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		n += p[i] != fill;
	return n;
}

/* A test's state. */
struct fault_ctx {
	char name[32];		/* the simulated port */
	int num;		/* its parport number */
	int fd;			/* /dev/parclass */
	int fd2;		/* what the open() under test opened */
	int nth;		/* /proc/thread-self/fail-nth */
	__u64 token;		/* a session on the port */
	__u64 token2;		/* another one */
	int sessions0;		/* sessions on the port before the call */
	int devs0;		/* parclass's parport devices before it */
	long refs0;		/* parport_sim's module references before it */
	unsigned int nset;	/* settings changed */
	char saved[ARRAY_LEN(settings)][40];
	bool param_saved[ARRAY_LEN(params)];
	char param_old[ARRAY_LEN(params)][24];
	bool sim_made;
	/* The call's argument, and a copy of it as it went in. */
	union {
		struct parclass_connect connect;
		struct parclass_list_ports list;
		struct parclass_write write;
		struct parclass_device_id devid;
		struct parclass_read read;
		struct parclass_pin_program prog;
	} arg, arg_in;
};

FIXTURE(fault) {
	struct fault_ctx ctx;
};

/* One command path: how to call it and what to check afterwards. */
struct fault_path {
	const char *name;
	/* Before each call, outside the injection. */
	void (*prepare)(struct __test_metadata *_metadata,
			struct fault_ctx *self);
	/* The call: 0, or -errno. */
	int (*call)(struct fault_ctx *self);
	/* After the call worked: check what it did, then undo it. */
	void (*succeeded)(struct __test_metadata *_metadata,
			  struct fault_ctx *self);
	/* After it failed: check that it left nothing behind. */
	void (*failed)(struct __test_metadata *_metadata,
		       struct fault_ctx *self);
	/* The call's result when nothing fails. */
	int normal;
	/* The errno it may fail with, or 0: it must not fail. */
	int err;
};

/* Arm fail-nth: the @n-th allocation from now on fails (0: none does). */
static int nth_set(int fd, unsigned int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%u", n);

	return write(fd, buf, len) == len ? 0 : -errno;
}

/* What is left of fail-nth's count: 0 once the failure was injected. */
static long nth_left(int fd)
{
	char buf[16];
	ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);

	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtol(buf, NULL, 10);
}

/* parclass's parport devices (sessions and arbiters) on the parport bus. */
static int parclass_devices(void)
{
	DIR *dir = opendir(PARPORT_BUS);
	struct dirent *d;
	int n = 0;

	if (!dir)
		return -1;
	while ((d = readdir(dir)))
		n += !strncmp(d->d_name, "parclass.", 9);
	closedir(dir);
	return n;
}

/* The sessions on port @num (-1: on every port), or -errno. */
static int sessions_on(int fd, int num)
{
	struct parclass_port_entry list[16];
	struct parclass_list_ports l = { .size = sizeof(l) };
	int total = 0;
	__u32 i;

	l.count = ARRAY_LEN(list);
	l.entry_size = sizeof(list[0]);
	l.entries = (__u64)(unsigned long)list;
	if (ioctl(fd, PARCLASS_IOC_LIST_PORTS, &l))
		return -errno;
	for (i = 0; i < l.count && i < ARRAY_LEN(list); i++) {
		if (num < 0)
			total += list[i].sessions;
		else if (list[i].info.number == (__u32)num)
			return list[i].sessions;
	}
	return num < 0 ? total : -ENOENT;
}

/* The state before the call: sessions, devices, module references. */
static void note_state(struct __test_metadata *_metadata,
		       struct fault_ctx *self)
{
	self->sessions0 = sessions_on(self->fd, self->num);
	ASSERT_LE(0, self->sessions0);
	self->devs0 = parclass_devices();
	ASSERT_LE(0, self->devs0);
	self->refs0 = sim_refcnt();
	ASSERT_LE(0, self->refs0);
}

/* The state is the one note_state() saw. */
static void same_state(struct __test_metadata *_metadata,
		       struct fault_ctx *self)
{
	EXPECT_EQ(self->sessions0, sessions_on(self->fd, self->num));
	EXPECT_EQ(self->devs0, parclass_devices());
	EXPECT_EQ(self->refs0, sim_refcnt());
}

/* Set a module parameter, keeping its old value for the teardown. */
static void set_param(struct __test_metadata *_metadata,
		      struct fault_ctx *self, unsigned int i,
		      unsigned int value)
{
	char buf[24];

	if (!self->param_saved[i]) {
		ASSERT_EQ(0, pc_file_get(params[i], self->param_old[i],
					 sizeof(self->param_old[i])));
		self->param_saved[i] = true;
	}
	snprintf(buf, sizeof(buf), "%u", value);
	ASSERT_EQ(0, pc_file_put(params[i], buf));
}

/*
 * Everything a test needs: the settings, a simulated port with a
 * printer's device ID, the file, fail-nth, and with @sessions that many
 * sessions on the port, the first holding it with @hold.
 */
static void ready(struct __test_metadata *_metadata,
		  struct fault_ctx *self, int sessions, bool hold)
{
	unsigned int i;

	for (i = 0; i < ARRAY_LEN(settings); i++) {
		ASSERT_EQ(0, pc_file_get(settings[i].path, self->saved[i],
					 sizeof(self->saved[i])))
			TH_LOG("%s unreadable", settings[i].path);
		self->nset = i + 1;
		ASSERT_EQ(0, pc_file_put(settings[i].path, settings[i].value))
			TH_LOG("%s refused %s", settings[i].path,
			       settings[i].value);
	}
	snprintf(self->name, sizeof(self->name), "fault%d", (int)getpid());
	ASSERT_EQ(0, sim_puts("", "new", self->name));
	self->sim_made = true;
	ASSERT_EQ(0, sim_puts(self->name, "device_id", printer_id));
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "1"));
	self->num = sim_number(self->name);
	ASSERT_LE(2, self->num);
	self->fd = pc_open();
	ASSERT_LE(0, self->fd);
	self->nth = open(FAIL_NTH, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->nth);
	ASSERT_EQ(0, nth_set(self->nth, 0));
	if (sessions > 0)
		ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->token));
	if (sessions > 1)
		ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->token2));
	if (hold)
		ASSERT_EQ(0, pc_try_allocate(self->fd, self->token));
	note_state(_metadata, self);
}

/*
 * Fail each allocation of @p's call in turn, as the head comment says,
 * and report how many there were.
 */
static void run_path(struct __test_metadata *_metadata,
		     struct fault_ctx *self, const struct fault_path *p)
{
	unsigned int n, failed = 0, absorbed = 0;
	long left;
	int ret;

	for (n = 1;; n++) {
		ASSERT_GT(MAX_POINTS, n)
			TH_LOG("%s: still allocating after %u failures",
			       p->name, MAX_POINTS);
		p->prepare(_metadata, self);
		ASSERT_EQ(0, nth_set(self->nth, n));
		ret = p->call(self);
		left = nth_left(self->nth);
		ASSERT_EQ(0, nth_set(self->nth, 0));
		ASSERT_LE(0, left);
		if (left) {
			/* It made fewer than n allocations: nothing failed. */
			ASSERT_EQ(p->normal, ret)
				TH_LOG("%s without a failure: %s", p->name,
				       strerror(-ret));
			p->succeeded(_metadata, self);
			break;
		}
		if (ret == p->normal) {
			/* The allocation's failure was handled inside. */
			absorbed++;
			p->succeeded(_metadata, self);
			continue;
		}
		failed++;
		if (p->err) {
			EXPECT_EQ(-p->err, ret)
				TH_LOG("%s, allocation %u failed: %s instead of %s",
				       p->name, n, strerror(-ret),
				       strerror(p->err));
		} else {
			EXPECT_EQ(p->normal, ret)
				TH_LOG("%s, allocation %u failed: %s (no ENOMEM documented)",
				       p->name, n, strerror(-ret));
		}
		p->failed(_metadata, self);
		/* The same call again, with nothing failing, works. */
		ret = p->call(self);
		ASSERT_EQ(p->normal, ret)
			TH_LOG("%s after the failure of allocation %u: %s",
			       p->name, n, strerror(-ret));
		p->succeeded(_metadata, self);
	}
	TH_LOG("%s: %u allocations failed in turn: %u calls failed cleanly, %u worked",
	       p->name, n - 1, failed, absorbed);
}

FIXTURE_SETUP(fault)
{
	char lane[32] = "";

	self->ctx.fd = -1;
	self->ctx.fd2 = -1;
	self->ctx.nth = -1;
	if (pc_file_get(LANE_FILE, lane, sizeof(lane)))
		SKIP(return, "not a parclass test guest (no %s)", LANE_FILE);
	if (strcmp(lane, "debug"))
		SKIP(return,
		     "%s lane: fault injection runs in the debug lane only (Debian's kernels lack it)",
		     lane);
	ASSERT_EQ(0, access(FAILSLAB, F_OK))
		TH_LOG("debug lane without " FAILSLAB);
	ASSERT_EQ(0, access(FAILPAGE, F_OK))
		TH_LOG("debug lane without " FAILPAGE);
	ASSERT_EQ(0, access(FAIL_NTH, F_OK))
		TH_LOG("debug lane without " FAIL_NTH);
}

FIXTURE_TEARDOWN(fault)
{
	unsigned int i;

	if (self->ctx.nth >= 0) {
		nth_set(self->ctx.nth, 0);
		close(self->ctx.nth);
	}
	if (self->ctx.fd2 >= 0)
		close(self->ctx.fd2);
	if (self->ctx.fd >= 0)
		close(self->ctx.fd);
	if (self->ctx.sim_made)
		sim_destroy(self->ctx.name);
	for (i = 0; i < ARRAY_LEN(params); i++)
		if (self->ctx.param_saved[i])
			pc_file_put(params[i], self->ctx.param_old[i]);
	for (i = self->ctx.nset; i-- > 0;)
		pc_file_put(settings[i].path, self->ctx.saved[i]);
}

static void prepare_nothing(struct __test_metadata *_metadata,
			    struct fault_ctx *self)
{
}

/* open() */

static int call_open(struct fault_ctx *self)
{
	self->fd2 = pc_open();
	return self->fd2 < 0 ? -errno : 0;
}

static void open_succeeded(struct __test_metadata *_metadata,
			   struct fault_ctx *self)
{
	__u64 token;

	/* A working file, with an empty session table. */
	ASSERT_EQ(0, pc_connect(self->fd2, self->num, &token));
	EXPECT_EQ(0, pc_disconnect(self->fd2, token));
	close(self->fd2);
	self->fd2 = -1;
	same_state(_metadata, self);
}

static void open_failed(struct __test_metadata *_metadata,
			struct fault_ctx *self)
{
	EXPECT_EQ(-1, self->fd2);
	same_state(_metadata, self);
}

TEST_F_TIMEOUT(fault, open, 60)
{
	static const struct fault_path p = {
		.name = "open()",
		.prepare = prepare_nothing,
		.call = call_open,
		.succeeded = open_succeeded,
		.failed = open_failed,
		.err = ENOMEM,
	};

	/* The new file's sessions come and go beside one that stays. */
	ready(_metadata, &self->ctx, 1, false);
	run_path(_metadata, &self->ctx, &p);
}

/* CONNECT */

static void prepare_connect(struct __test_metadata *_metadata,
			    struct fault_ctx *self)
{
	struct parclass_connect *c = &self->arg.connect;

	memset(c, 0xa5, sizeof(*c));
	c->size = sizeof(*c);
	c->flags = 0;
	c->port = self->num;
	c->daisy = 0;
	c->token = SENTINEL64;
	self->arg_in = self->arg;
}

static int call_connect(struct fault_ctx *self)
{
	return pc_ret(ioctl(self->fd, PARCLASS_IOC_CONNECT, &self->arg.connect));
}

static void connect_succeeded(struct __test_metadata *_metadata,
			      struct fault_ctx *self)
{
	__u64 token = self->arg.connect.token;
	__u32 waiters = SENTINEL, other = SENTINEL;

	EXPECT_NE(SENTINEL64, token);
	EXPECT_EQ((__u32)self->num, self->arg.connect.info.number);
	EXPECT_EQ(self->sessions0 + 1, sessions_on(self->fd, self->num));
	/* A session that works; no parport device before its ALLOCATE. */
	EXPECT_EQ(0, pc_num_waiters(self->fd, token, &waiters, &other));
	EXPECT_EQ(1, pc_is_free(self->fd, token));
	EXPECT_EQ(self->devs0, parclass_devices());
	ASSERT_EQ(0, pc_disconnect(self->fd, token));
	same_state(_metadata, self);
}

static void connect_failed(struct __test_metadata *_metadata,
			   struct fault_ctx *self)
{
	/* Nothing written back, no token, no session. */
	EXPECT_EQ(0, memcmp(&self->arg_in.connect, &self->arg.connect,
			    sizeof(self->arg.connect)));
	same_state(_metadata, self);
}

/*
 * The caps on sessions: room for exactly one more, in the file and in
 * the system, so that a count a failed CONNECT leaked makes the next one
 * fail with EMFILE or ENFILE.
 */
static void tight_caps(struct __test_metadata *_metadata,
		       struct fault_ctx *self, int in_file)
{
	int all = sessions_on(self->fd, -1);

	ASSERT_LE(0, all);
	set_param(_metadata, self, 0, all + 1);
	set_param(_metadata, self, 1, in_file + 1);
}

TEST_F_TIMEOUT(fault, connect, 60)
{
	static const struct fault_path p = {
		.name = "CONNECT",
		.prepare = prepare_connect,
		.call = call_connect,
		.succeeded = connect_succeeded,
		.failed = connect_failed,
		.err = ENOMEM,
	};

	ready(_metadata, &self->ctx, 0, false);
	tight_caps(_metadata, &self->ctx, 0);
	run_path(_metadata, &self->ctx, &p);
}

/* LIST_PORTS */

static void prepare_list(struct __test_metadata *_metadata,
			 struct fault_ctx *self)
{
	struct parclass_list_ports *l = &self->arg.list;

	memset(entries, 0xa5, sizeof(entries));
	memset(l, 0, sizeof(*l));
	l->size = sizeof(*l);
	l->count = ARRAY_LEN(entries);
	l->entry_size = sizeof(entries[0]);
	l->entries = (__u64)(unsigned long)entries;
	self->arg_in = self->arg;
}

static int call_list(struct fault_ctx *self)
{
	return pc_ret(ioctl(self->fd, PARCLASS_IOC_LIST_PORTS, &self->arg.list));
}

static void list_succeeded(struct __test_metadata *_metadata,
			   struct fault_ctx *self)
{
	__u32 i, n = self->arg.list.count;
	int found = 0;

	/* parport0, parport1 and the simulated port at least. */
	ASSERT_LE(3, n);
	for (i = 0; i < n && i < ARRAY_LEN(entries); i++) {
		if (entries[i].info.number != (__u32)self->num)
			continue;
		found++;
		EXPECT_EQ(1, entries[i].sessions);
	}
	EXPECT_EQ(1, found);
}

static void list_failed(struct __test_metadata *_metadata,
			struct fault_ctx *self)
{
	EXPECT_EQ(0, memcmp(&self->arg_in.list, &self->arg.list,
			    sizeof(self->arg.list)));
	EXPECT_EQ(0, bytes_changed(entries, sizeof(entries), 0xa5));
}

TEST_F_TIMEOUT(fault, list_ports, 60)
{
	static const struct fault_path p = {
		.name = "LIST_PORTS",
		.prepare = prepare_list,
		.call = call_list,
		.succeeded = list_succeeded,
		.failed = list_failed,
		.err = ENOMEM,
	};

	ready(_metadata, &self->ctx, 1, false);
	run_path(_metadata, &self->ctx, &p);
}

/*
 * ALLOCATE: a session's first, which registers its parport device, and
 * the port's arbiter when it has to wait. Each call is on a port just
 * plugged in, by a new session: the port's removal takes away every
 * parport device parclass keeps track of (a lingering arbiter or
 * spare), so one still there afterwards leaked.
 */

/* Wait up to 5 s for the devices and module references of note_state(). */
static bool settled(struct fault_ctx *self)
{
	int i;

	for (i = 0; i < 50; i++) {
		if (parclass_devices() == self->devs0 &&
		    sim_refcnt() == self->refs0)
			return true;
		sim_sleep_ms(100);
	}
	return false;
}

/* This process holds the port, through a parport device of its own. */
static void held_by_us(struct __test_metadata *_metadata,
		       struct fault_ctx *self)
{
	struct parclass_port_entry e;
	char path[128];

	ASSERT_EQ(0, pc_port_entry(self->fd, self->num, -1, &e));
	EXPECT_EQ(PARCLASS_HOLDER_SESSION, e.holder);
	EXPECT_EQ(getpid(), (pid_t)e.holder_pid);
	EXPECT_EQ(0, strncmp(e.holder_name, "parclass.", 9));
	snprintf(path, sizeof(path), "%s/%.32s", PARPORT_BUS, e.holder_name);
	EXPECT_EQ(0, access(path, F_OK)) TH_LOG("no %s", path);
}

/* Nobody holds the port or waits for it. */
static void port_unused(struct __test_metadata *_metadata,
			struct fault_ctx *self)
{
	struct parclass_port_entry e;

	ASSERT_EQ(0, pc_port_entry(self->fd, self->num, -1, &e));
	EXPECT_EQ(PARCLASS_HOLDER_NONE, e.holder);
	EXPECT_EQ(0, e.waiters);
}

/* Unplug and plug the port again, the sessions on it disconnected. */
static void fresh_port(struct __test_metadata *_metadata,
		       struct fault_ctx *self)
{
	if (self->token)
		EXPECT_EQ(0, pc_disconnect(self->fd, self->token));
	if (self->token2)
		EXPECT_EQ(0, pc_disconnect(self->fd, self->token2));
	self->token = 0;
	self->token2 = 0;
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "0"));
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "1"));
	self->num = sim_number(self->name);
	ASSERT_LE(2, self->num);
	same_state(_metadata, self);
}

static void prepare_first_allocate(struct __test_metadata *_metadata,
				   struct fault_ctx *self)
{
	fresh_port(_metadata, self);
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->token));
}

static int call_try_allocate(struct fault_ctx *self)
{
	return pc_allocate(self->fd, self->token, PARCLASS_ALLOCATE_TRY, 0);
}

static void allocate_succeeded(struct __test_metadata *_metadata,
			       struct fault_ctx *self)
{
	held_by_us(_metadata, self);
	ASSERT_EQ(0, pc_free(self->fd, self->token));
}

static void allocate_failed(struct __test_metadata *_metadata,
			    struct fault_ctx *self)
{
	int devs = parclass_devices();

	/* Neither holding nor queued. */
	EXPECT_EQ(-EPERM, pc_free(self->fd, self->token));
	port_unused(_metadata, self);
	/*
	 * No parport device of the session's, and no arbiter: a try on a
	 * free port never waits, so it never registers one.
	 */
	EXPECT_EQ(self->devs0, devs);
	EXPECT_EQ(self->refs0, sim_refcnt());
}

TEST_F_TIMEOUT(fault, allocate, 180)
{
	static const struct fault_path p = {
		.name = "ALLOCATE (try, the session's first)",
		.prepare = prepare_first_allocate,
		.call = call_try_allocate,
		.succeeded = allocate_succeeded,
		.failed = allocate_failed,
		.err = ENOMEM,
	};

	ready(_metadata, &self->ctx, 0, false);
	run_path(_metadata, &self->ctx, &p);
	/* DISCONNECT takes the session's device, the arbiter goes later. */
	EXPECT_EQ(0, pc_disconnect(self->ctx.fd, self->ctx.token));
	self->ctx.token = 0;
	EXPECT_TRUE(settled(&self->ctx));
}

/*
 * ALLOCATE asynchronous, a session's first, queued behind the holder
 * (the first session, which keeps the port and the port's arbiter), by a
 * new session on a port just plugged in each time; then read() of the
 * GRANTED such a session gets.
 */

static void prepare_async(struct __test_metadata *_metadata,
			  struct fault_ctx *self)
{
	/*
	 * A port just plugged in, held by the first session: the second
	 * session's ALLOCATE registers a parport device each time (the
	 * device of one that left would stay as the port's spare).
	 */
	fresh_port(_metadata, self);
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->token));
	ASSERT_EQ(0, pc_try_allocate(self->fd, self->token));
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->token2));
}

static int call_async(struct fault_ctx *self)
{
	return pc_allocate(self->fd, self->token2, PARCLASS_ALLOCATE_ASYNC, 0);
}

/* Wait for the file's events: 1 if there are some, 0 if not. */
static int events_pending(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) == 1 && (p.revents & POLLIN);
}

/* read() one GRANTED for @token; 0, or -errno. */
static int read_granted(int fd, __u64 token)
{
	struct parclass_event ev[4];
	ssize_t n;

	memset(ev, 0xa5, sizeof(ev));
	n = read(fd, ev, sizeof(ev));
	if (n < 0)
		return -errno;
	if (n != sizeof(ev[0]) || ev[0].token != token ||
	    ev[0].events != PARCLASS_EVENT_GRANTED)
		return -EBADMSG;
	return 0;
}

/* The second session took the port: back to the first. */
static void port_back(struct __test_metadata *_metadata,
		      struct fault_ctx *self)
{
	held_by_us(_metadata, self);
	ASSERT_EQ(0, pc_free(self->fd, self->token2));
	ASSERT_EQ(0, pc_try_allocate(self->fd, self->token));
}

static void async_succeeded(struct __test_metadata *_metadata,
			    struct fault_ctx *self)
{
	__u32 waiters = SENTINEL, other = SENTINEL;

	ASSERT_EQ(0, pc_num_waiters(self->fd, self->token, &waiters, &other));
	EXPECT_EQ(1, waiters);
	/* FREE hands the port over, and the file says so. */
	ASSERT_EQ(0, pc_free(self->fd, self->token));
	ASSERT_TRUE(events_pending(self->fd, 5000));
	EXPECT_EQ(0, read_granted(self->fd, self->token2));
	port_back(_metadata, self);
}

static void async_failed(struct __test_metadata *_metadata,
			 struct fault_ctx *self)
{
	__u32 waiters = SENTINEL, other = SENTINEL;
	int devs;

	/*
	 * Not queued, no arbiter. The holder's device, and the second
	 * session's own if its registration went through and the
	 * arbiter's did not (it keeps it a while, as after a failed try).
	 */
	EXPECT_EQ(0, pc_num_waiters(self->fd, self->token, &waiters, &other));
	EXPECT_EQ(0, waiters);
	devs = parclass_devices();
	EXPECT_LE(self->devs0 + 1, devs);
	EXPECT_GE(self->devs0 + 2, devs);
	EXPECT_EQ(devs - self->devs0, sim_refcnt() - self->refs0);
	/* FREE leaves the port to nobody, and nothing comes. */
	ASSERT_EQ(0, pc_free(self->fd, self->token));
	port_unused(_metadata, self);
	EXPECT_FALSE(events_pending(self->fd, 100));
	EXPECT_EQ(-EPERM, pc_free(self->fd, self->token2));
	ASSERT_EQ(0, pc_try_allocate(self->fd, self->token));
}

static void prepare_granted(struct __test_metadata *_metadata,
			    struct fault_ctx *self)
{
	ASSERT_EQ(-EINPROGRESS, pc_allocate(self->fd, self->token2,
					    PARCLASS_ALLOCATE_ASYNC, 0));
	ASSERT_EQ(0, pc_free(self->fd, self->token));
	ASSERT_TRUE(events_pending(self->fd, 5000));
}

static int call_read_event(struct fault_ctx *self)
{
	return read_granted(self->fd, self->token2);
}

static void event_read(struct __test_metadata *_metadata,
		       struct fault_ctx *self)
{
	EXPECT_FALSE(events_pending(self->fd, 0));
	port_back(_metadata, self);
}

static void event_kept(struct __test_metadata *_metadata,
		       struct fault_ctx *self)
{
	/* The record is not lost: the next read() returns it. */
	EXPECT_TRUE(events_pending(self->fd, 0));
}

TEST_F_TIMEOUT(fault, allocate_async_and_its_event, 120)
{
	static const struct fault_path async = {
		.name = "ALLOCATE (asynchronous, the session's first)",
		.prepare = prepare_async,
		.call = call_async,
		.succeeded = async_succeeded,
		.failed = async_failed,
		.normal = -EINPROGRESS,
		.err = ENOMEM,
	};
	static const struct fault_path event = {
		.name = "read() of the events",
		.prepare = prepare_granted,
		.call = call_read_event,
		.succeeded = event_read,
		.failed = event_kept,
		.err = ENOMEM,
	};

	ready(_metadata, &self->ctx, 0, false);
	run_path(_metadata, &self->ctx, &async);
	run_path(_metadata, &self->ctx, &event);
}

/* WRITE */

static void prepare_write(struct __test_metadata *_metadata,
			  struct fault_ctx *self)
{
	struct parclass_write *w = &self->arg.write;
	size_t i;

	for (i = 0; i < sizeof(wbuf); i++)
		wbuf[i] = 'A' + i % 26;
	ASSERT_EQ(0, sim_puts(self->name, "forward", "\n"));
	ASSERT_EQ(0, sim_state(self->name, "forward"));
	memset(w, 0, sizeof(*w));
	w->size = sizeof(*w);
	w->token = self->token;
	w->buffer = (__u64)(unsigned long)wbuf;
	w->length = sizeof(wbuf);
	w->written = SENTINEL;
	self->arg_in = self->arg;
}

static int call_write(struct fault_ctx *self)
{
	return pc_ret(ioctl(self->fd, PARCLASS_IOC_WRITE, &self->arg.write));
}

static void write_succeeded(struct __test_metadata *_metadata,
			    struct fault_ctx *self)
{
	char got[sizeof(wbuf) + 16];

	EXPECT_EQ(sizeof(wbuf), self->arg.write.written);
	ASSERT_EQ((ssize_t)sizeof(wbuf),
		  sim_get(self->name, "forward", got, sizeof(got)));
	EXPECT_EQ(0, memcmp(wbuf, got, sizeof(wbuf)));
}

static void write_failed(struct __test_metadata *_metadata,
			 struct fault_ctx *self)
{
	/* Refused: @written not written back, not a byte on the wire. */
	EXPECT_EQ(0, memcmp(&self->arg_in.write, &self->arg.write,
			    sizeof(self->arg.write)));
	EXPECT_EQ(0, sim_state(self->name, "forward"));
}

TEST_F_TIMEOUT(fault, write, 60)
{
	static const struct fault_path p = {
		.name = "WRITE",
		.prepare = prepare_write,
		.call = call_write,
		.succeeded = write_succeeded,
		.failed = write_failed,
		.err = ENOMEM,
	};

	ready(_metadata, &self->ctx, 1, true);
	run_path(_metadata, &self->ctx, &p);
}

/* DEVICE_ID */

static bool phase_is_compat(const char *sim)
{
	char phase[32];

	return !sim_state_word(sim, "phase", phase, sizeof(phase)) &&
	       !strcmp(phase, "compat");
}

static void prepare_devid(struct __test_metadata *_metadata,
			  struct fault_ctx *self)
{
	struct parclass_device_id *d = &self->arg.devid;

	memset(rbuf, 0xee, sizeof(rbuf));
	memset(d, 0, sizeof(*d));
	d->size = sizeof(*d);
	d->token = self->token;
	d->buffer = (__u64)(unsigned long)rbuf;
	d->length = sizeof(rbuf);
	d->id_size = SENTINEL;
	self->arg_in = self->arg;
}

static int call_devid(struct fault_ctx *self)
{
	return pc_ret(ioctl(self->fd, PARCLASS_IOC_DEVICE_ID, &self->arg.devid));
}

static void devid_succeeded(struct __test_metadata *_metadata,
			    struct fault_ctx *self)
{
	EXPECT_EQ(sizeof(printer_id), self->arg.devid.id_size);
	EXPECT_STREQ(printer_id, (char *)rbuf);
	EXPECT_TRUE(phase_is_compat(self->name));
}

static void devid_failed(struct __test_metadata *_metadata,
			 struct fault_ctx *self)
{
	/* @id_size is written back with ERANGE only; the buffer not at all. */
	EXPECT_EQ(0, memcmp(&self->arg_in.devid, &self->arg.devid,
			    sizeof(self->arg.devid)));
	EXPECT_EQ(0, bytes_changed(rbuf, sizeof(rbuf), 0xee));
	/* The port is back in the mode it was in. */
	EXPECT_TRUE(phase_is_compat(self->name));
}

TEST_F_TIMEOUT(fault, device_id, 60)
{
	static const struct fault_path p = {
		.name = "DEVICE_ID",
		.prepare = prepare_devid,
		.call = call_devid,
		.succeeded = devid_succeeded,
		.failed = devid_failed,
		.err = ENOMEM,
	};

	ready(_metadata, &self->ctx, 1, true);
	run_path(_metadata, &self->ctx, &p);
}

/* READ, in nibble mode */

static void prepare_read(struct __test_metadata *_metadata,
			 struct fault_ctx *self)
{
	struct parclass_read *r = &self->arg.read;

	ASSERT_EQ(0, sim_state(self->name, "reverse"));
	ASSERT_EQ(0, sim_put(self->name, "reverse", reverse_data,
			     strlen(reverse_data)));
	memset(rbuf, 0xee, sizeof(rbuf));
	memset(r, 0, sizeof(*r));
	r->size = sizeof(*r);
	r->token = self->token;
	r->buffer = (__u64)(unsigned long)rbuf;
	r->length = sizeof(rbuf);
	r->done = SENTINEL;
	self->arg_in = self->arg;
}

static int call_read(struct fault_ctx *self)
{
	return pc_ret(ioctl(self->fd, PARCLASS_IOC_READ, &self->arg.read));
}

static void read_succeeded(struct __test_metadata *_metadata,
			   struct fault_ctx *self)
{
	ASSERT_EQ(strlen(reverse_data), self->arg.read.done);
	EXPECT_EQ(0, memcmp(reverse_data, rbuf, strlen(reverse_data)));
	EXPECT_EQ(0, sim_state(self->name, "reverse"));
}

static void read_failed(struct __test_metadata *_metadata,
			struct fault_ctx *self)
{
	/* @done is set also on error: nothing was read. */
	EXPECT_EQ(0, self->arg.read.done);
	EXPECT_EQ(0, bytes_changed(rbuf, sizeof(rbuf), 0xee));
	/* The peripheral's bytes still wait for the next READ. */
	EXPECT_EQ(strlen(reverse_data), sim_state(self->name, "reverse"));
}

TEST_F_TIMEOUT(fault, read, 60)
{
	static const struct fault_path p = {
		.name = "READ (nibble)",
		.prepare = prepare_read,
		.call = call_read,
		.succeeded = read_succeeded,
		.failed = read_failed,
		.err = ENOMEM,
	};
	__u32 rd = SENTINEL;

	ready(_metadata, &self->ctx, 1, true);
	ASSERT_EQ(0, pc_negotiate(self->ctx.fd, self->ctx.token, 0,
				  PARCLASS_1284_NIBBLE, 0, &rd, NULL));
	ASSERT_EQ(PARCLASS_1284_NIBBLE, rd);
	run_path(_metadata, &self->ctx, &p);
}

/* PIN_PROGRAM */

static void prepare_program(struct __test_metadata *_metadata,
			    struct fault_ctx *self)
{
	struct parclass_pin_program *p = &self->arg.prog;
	__u32 v = 0;

	ASSERT_EQ(0, pc_register(self->fd, self->token,
				 PARCLASS_PIN_WRITE_DATA, 0, &v));
	ops[0] = pc_op(PARCLASS_PIN_WRITE_DATA, 0, 0x5a, 0);
	ops[1] = pc_op(PARCLASS_PIN_READ_DATA, 0, 0, 0);
	ops[2] = pc_op(PARCLASS_PIN_READ_STATUS, 0, 0, 0);
	memset(results, 0xee, sizeof(results));
	memset(p, 0, sizeof(*p));
	p->size = sizeof(*p);
	p->token = self->token;
	p->ops = (__u64)(unsigned long)ops;
	p->count = ARRAY_LEN(ops);
	p->results = (__u64)(unsigned long)results;
	p->results_len = sizeof(results);
	p->done = SENTINEL;
	p->results_used = SENTINEL;
	self->arg_in = self->arg;
}

static int call_program(struct fault_ctx *self)
{
	return pc_ret(ioctl(self->fd, PARCLASS_IOC_PIN_PROGRAM,
			    &self->arg.prog));
}

static void program_succeeded(struct __test_metadata *_metadata,
			      struct fault_ctx *self)
{
	EXPECT_EQ(ARRAY_LEN(ops), self->arg.prog.done);
	EXPECT_EQ(2, self->arg.prog.results_used);
	EXPECT_EQ(0x5a, results[0]);
	EXPECT_EQ(sim_state(self->name, "status"), results[1]);
	EXPECT_EQ(0xee, results[2]);
}

static void program_failed(struct __test_metadata *_metadata,
			   struct fault_ctx *self)
{
	__u32 v = 0;

	/* Not one operation ran, nothing was read (0 or left alone). */
	EXPECT_TRUE(self->arg.prog.done == 0 ||
		    self->arg.prog.done == SENTINEL);
	EXPECT_TRUE(self->arg.prog.results_used == 0 ||
		    self->arg.prog.results_used == SENTINEL);
	EXPECT_EQ(0, bytes_changed(results, sizeof(results), 0xee));
	ASSERT_EQ(0, pc_register(self->fd, self->token,
				 PARCLASS_PIN_READ_DATA, 0, &v));
	EXPECT_EQ(0, v);
}

TEST_F_TIMEOUT(fault, pin_program, 60)
{
	static const struct fault_path p = {
		.name = "PIN_PROGRAM",
		.prepare = prepare_program,
		.call = call_program,
		.succeeded = program_succeeded,
		.failed = program_failed,
		.err = ENOMEM,
	};

	ready(_metadata, &self->ctx, 1, true);
	run_path(_metadata, &self->ctx, &p);
}

TEST_HARNESS_MAIN
