// SPDX-License-Identifier: GPL-2.0
/*
 * sim_port_side_test: the device-side requests of parclass against
 * simulated ports (parport_sim): chip modes, LOCK and UNLOCK, the IEEE
 * 1284.3 daisy chain, asynchronous ALLOCATE with its events, CANCEL, and
 * interrupt counting.
 *
 * CHIP_MODE reports without the port and sets and clears with it, in the
 * order the header allows (byte before ECP, nothing over ECP or EPP, CLEAR
 * of the current mode only), refuses a mode the port lacks, bad values and
 * transfers in progress, and FREE, UNLOCK, DISCONNECT and close() put the
 * port back in its initial mode. LOCK waits acquire_timeout_ms (bounded to
 * 500..5000) and no longer, selects a chain session's device and checks
 * the answer, NO_SELECT does not; UNLOCK deselects. A chain of four
 * devices is counted at CONNECT and by DAISY_INIT, reached as "LPTn.m"
 * sessions that each read their own device ID, listed by LIST_PORTS with
 * its per-device session counts, selected by SELECT_DEVICE in the same
 * first-come, first-served queue as ALLOCATE, and revoked as a whole by
 * the port's removal. An ASYNC ALLOCATE is granted at once or queued
 * (EINPROGRESS) and then reported through poll() and read(), in FIFO order
 * with blocking callers; CANCEL withdraws it for good, and a blocking wait
 * ends with ECANCELED. Interrupts (nAck pulses, also those of a
 * compatibility-mode WRITE) are counted only for an enabled session that
 * holds the port, and only when the module parameter allow_interrupts
 * lets them. Every errno the header gives these requests is provoked.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/parport.h>
#include <linux/parclass.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
#include "sim_control.h"

#define MS		1000000ULL
#define ACQUIRE_PARAM	PC_PARAM_DIR "acquire_timeout_ms"
#define IRQ_PARAM	PC_PARAM_ALLOW_IRQ
#define HOLDOFF_PARAM	PC_PARAM_DIR "device_id_holdoff_ms"

/* The interrupt number the simulated port reports (no line is requested). */
#define SIM_IRQ		"9"
/* How long a thread is given to show that it stays blocked. */
#define BLOCKED_MS	200
/* How long an event or a woken thread may take to show up. */
#define WAKE_MS		3000
/* A bogus token: the high bits of a real one changed. */
#define STALE(t)	((t) ^ (1ULL << 40))

static const char *const chain_ids[PARCLASS_DAISY_MAX] = {
	"MFG:Chain;MDL:Dev Zero;CLS:SCANNER;",
	"MFG:Chain;MDL:Dev One;CLS:PRINTER;",
	"MFG:Chain;MDL:Dev Two;CLS:MODEM;",
	"MFG:Chain;MDL:Dev Three;CLS:STORAGE;",
};

static const char chain_text[] =
	"MFG:Chain;MDL:Dev Zero;CLS:SCANNER;\n"
	"MFG:Chain;MDL:Dev One;CLS:PRINTER;\n"
	"MFG:Chain;MDL:Dev Two;CLS:MODEM;\n"
	"MFG:Chain;MDL:Dev Three;CLS:STORAGE;\n";
static const char end_id[] = "MFG:Acme;MDL:End Of Cable;CLS:PRINTER;";

static void on_signal(int sig)
{
	(void)sig;
}

/* SIGUSR1 interrupts blocking calls (no SA_RESTART). */
static int catch_sigusr1(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigemptyset(&sa.sa_mask);
	return sigaction(SIGUSR1, &sa, NULL);
}

/* The new requests, each returning 0 or -errno */

static int sp_connect(int fd, __u32 port, __u32 flags, __u32 daisy,
		      __u64 *token, struct parclass_port_info *info)
{
	struct parclass_connect c = { .size = sizeof(c), .port = port };
	int ret;

	c.flags = flags;
	c.daisy = daisy;
	ret = pc_ret(ioctl(fd, PARCLASS_IOC_CONNECT, &c));
	if (!ret && token)
		*token = c.token;
	if (!ret && info)
		*info = c.info;
	return ret;
}

static int sp_chip(int fd, __u64 token, __u32 flags, __u32 mode, __u32 *cur)
{
	struct parclass_chip_mode m = { .size = sizeof(m), .token = token };
	int ret;

	m.flags = flags;
	m.mode = mode;
	m.current_mode = 0xdeadbeef;
	ret = pc_ret(ioctl(fd, PARCLASS_IOC_CHIP_MODE, &m));
	if (cur)
		*cur = m.current_mode;
	return ret;
}

/* The chip mode a session reports, or 0xdeadbeef if it cannot. */
static __u32 chip_of(int fd, __u64 token)
{
	__u32 cur;

	return sp_chip(fd, token, 0, 0, &cur) ? 0xdeadbeef : cur;
}

static int sp_lock(int fd, __u64 token, __u32 flags)
{
	struct parclass_lock l = { .size = sizeof(l), .token = token };

	l.flags = flags;
	return pc_ret(ioctl(fd, PARCLASS_IOC_LOCK, &l));
}

static int sp_unlock(int fd, __u64 token, __u32 flags)
{
	struct parclass_lock l = { .size = sizeof(l), .token = token };

	l.flags = flags;
	return pc_ret(ioctl(fd, PARCLASS_IOC_UNLOCK, &l));
}

static int sp_daisy_init(int fd, __u64 token, __u32 *count)
{
	struct parclass_daisy_init d = { .size = sizeof(d), .token = token };
	int ret;

	d.count = 0xdeadbeef;
	ret = pc_ret(ioctl(fd, PARCLASS_IOC_DAISY_INIT, &d));
	if (count)
		*count = d.count;
	return ret;
}

static int sp_select(int fd, __u64 token, __u32 flags, __u32 device,
		     __u64 timeout_ns)
{
	struct parclass_select s = { .size = sizeof(s), .token = token };

	s.flags = flags;
	s.device = device;
	s.timeout_ns = timeout_ns;
	return pc_ret(ioctl(fd, PARCLASS_IOC_SELECT_DEVICE, &s));
}

static int sp_deselect(int fd, __u64 token, __u32 flags)
{
	struct parclass_select s = { .size = sizeof(s), .token = token };

	s.flags = flags;
	return pc_ret(ioctl(fd, PARCLASS_IOC_DESELECT_DEVICE, &s));
}

static int sp_cancel(int fd, __u64 token)
{
	struct parclass_cancel c = { .size = sizeof(c), .token = token };

	return pc_ret(ioctl(fd, PARCLASS_IOC_CANCEL, &c));
}

static int sp_async(int fd, __u64 token)
{
	return pc_allocate(fd, token, PARCLASS_ALLOCATE_ASYNC, 0);
}

static __u32 waiters_of(int fd, __u64 token)
{
	__u32 w = 0xdeadbeef, o;

	if (pc_num_waiters(fd, token, &w, &o))
		return 0xdeadbeef;
	return w;
}

/* Wait up to @ms for the port's parclass waiters to number @want. */
static int wait_waiters(int fd, __u64 token, __u32 want, unsigned int ms)
{
	__u64 end = now_ns() + ms * MS;

	do {
		if (waiters_of(fd, token) == want)
			return 1;
		sim_sleep_ms(5);
	} while (now_ns() < end);
	return 0;
}

/* Events */

/* 1 if the file turns readable within @ms, else 0. */
static int readable(int fd, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return poll(&p, 1, ms) > 0 && (p.revents & POLLIN);
}

/*
 * Read what is there without waiting (poll first); the records read, 0
 * if none, or -errno.
 */
static int take_events(int fd, struct parclass_event *ev, int max)
{
	ssize_t n;

	if (!readable(fd, 0))
		return 0;
	n = read(fd, ev, max * sizeof(*ev));
	if (n < 0)
		return -errno;
	return n / sizeof(*ev);
}

/*
 * The interrupts read() reports for @token until they reach @want or @ms
 * pass; *@bad counts records for it without %PARCLASS_EVENT_INTERRUPT
 * but with interrupts, or partial records.
 */
static __u64 collect_irqs(int fd, __u64 token, __u64 want, int ms, int *bad)
{
	struct parclass_event ev[8];
	__u64 end = now_ns() + ms * MS, total = 0, now;
	ssize_t n;
	int i;

	while (total < want && (now = now_ns()) < end) {
		if (!readable(fd, (end - now) / MS + 1))
			continue;
		n = read(fd, ev, sizeof(ev));
		if (n < 0 || n % sizeof(ev[0])) {
			(*bad)++;
			break;
		}
		for (i = 0; i < n / (int)sizeof(ev[0]); i++) {
			if (ev[i].token != token)
				continue;
			if (ev[i].events & PARCLASS_EVENT_INTERRUPT)
				total += ev[i].interrupts;
			else if (ev[i].interrupts)
				(*bad)++;
		}
	}
	return total;
}

/* Drain the file's events; the interrupts they carried for @token. */
static __u64 drain_irqs(int fd, __u64 token, int settle_ms)
{
	int bad = 0;

	return collect_irqs(fd, token, ~0ULL, settle_ms, &bad);
}

/* Blocking calls in a thread */

enum op { OP_ALLOCATE, OP_LOCK, OP_SELECT, OP_READ };

struct job {
	int fd;
	__u64 token;
	enum op op;
	__u32 device;
	/* After a grant: record the order and the selected device, then free. */
	int release;
	const char *sim;
	int ret;
	int seq;
	long long selected;
	ssize_t nread;
	struct parclass_event ev;
	size_t read_len;
	atomic_int done;
	pthread_t th;
};

static atomic_int grant_seq;

static void *job_main(void *arg)
{
	struct job *j = arg;

	switch (j->op) {
	case OP_ALLOCATE:
		j->ret = pc_allocate(j->fd, j->token, 0, 0);
		break;
	case OP_LOCK:
		j->ret = sp_lock(j->fd, j->token, 0);
		break;
	case OP_SELECT:
		j->ret = sp_select(j->fd, j->token, 0, j->device, 0);
		break;
	case OP_READ:
		j->nread = read(j->fd, &j->ev, j->read_len);
		j->ret = j->nread < 0 ? -errno : 0;
		break;
	}
	if (j->release && !j->ret) {
		j->seq = atomic_fetch_add(&grant_seq, 1);
		j->selected = j->sim ? sim_state(j->sim, "selected") : -2;
		sim_sleep_ms(50);
		if (j->op == OP_SELECT)
			sp_deselect(j->fd, j->token, 0);
		else
			pc_free(j->fd, j->token);
	}
	atomic_store(&j->done, 1);
	return NULL;
}

static int job_start(struct job *j)
{
	atomic_store(&j->done, 0);
	j->seq = -1;
	return pthread_create(&j->th, NULL, job_main, j);
}

/* 1 once the job is done, 0 if it is still running after @ms. */
static int job_wait(struct job *j, unsigned int ms)
{
	__u64 end = now_ns() + ms * MS;

	while (!atomic_load(&j->done)) {
		if (now_ns() >= end)
			return 0;
		sim_sleep_ms(2);
	}
	pthread_join(j->th, NULL);
	return 1;
}

/* Simulated ports */

struct simport {
	char name[32];
	int num;
	int fd;
	char acquire[32];
	char allow[32];
	char holdoff[32];
};

static int simport_up(struct simport *p, const char *tag, const char *daisy,
		      const char *irq)
{
	p->fd = -1;
	p->num = -1;
	if (pc_file_get(ACQUIRE_PARAM, p->acquire, sizeof(p->acquire)) ||
	    pc_file_get(IRQ_PARAM, p->allow, sizeof(p->allow)) ||
	    pc_file_get(HOLDOFF_PARAM, p->holdoff, sizeof(p->holdoff)))
		return -1;
	snprintf(p->name, sizeof(p->name), "%s%d", tag, (int)getpid());
	if (sim_puts("", "new", p->name))
		return -1;
	if (daisy && sim_puts(p->name, "daisy", daisy))
		return -1;
	if (irq && sim_puts(p->name, "irq", irq))
		return -1;
	if (sim_puts(p->name, "device_id", end_id))
		return -1;
	if (sim_puts(p->name, "plugged", "1"))
		return -1;
	p->num = sim_number(p->name);
	p->fd = pc_open();
	return p->num >= 2 && p->fd >= 0 ? 0 : -1;
}

static void simport_down(struct simport *p)
{
	if (p->fd >= 0)
		close(p->fd);
	sim_destroy(p->name);
	if (p->acquire[0])
		pc_file_put(ACQUIRE_PARAM, p->acquire);
	if (p->allow[0])
		pc_file_put(IRQ_PARAM, p->allow);
	if (p->holdoff[0])
		pc_file_put(HOLDOFF_PARAM, p->holdoff);
}

static long long selected(const struct simport *p)
{
	return sim_state(p->name, "selected");
}

/* Every port parclass lists (with @flags), into a fresh array. */
static struct parclass_port_entry *list_ports(int fd, __u32 flags,
					      __u32 *count)
{
	struct parclass_list_ports l = { .size = sizeof(l) };
	struct parclass_port_entry *e;
	__u32 room;

	l.flags = flags;
	l.entry_size = sizeof(*e);
	if (ioctl(fd, PARCLASS_IOC_LIST_PORTS, &l))
		return NULL;
	room = l.count + 8;
	e = calloc(room, sizeof(*e));
	if (!e)
		return NULL;
	l.count = room;
	l.entries = (__u64)(unsigned long)e;
	if (ioctl(fd, PARCLASS_IOC_LIST_PORTS, &l) || l.count > room) {
		free(e);
		return NULL;
	}
	*count = l.count;
	return e;
}

FIXTURE(plain) {
	struct simport p;
};

FIXTURE_SETUP(plain)
{
	ASSERT_EQ(0, simport_up(&self->p, "side", NULL, NULL));
}

FIXTURE_TEARDOWN(plain)
{
	simport_down(&self->p);
}

FIXTURE(chain) {
	struct simport p;
};

FIXTURE_SETUP(chain)
{
	ASSERT_EQ(0, simport_up(&self->p, "chain", chain_text, NULL));
}

FIXTURE_TEARDOWN(chain)
{
	simport_down(&self->p);
}

FIXTURE(irq) {
	struct simport p;
};

FIXTURE_SETUP(irq)
{
	ASSERT_EQ(0, simport_up(&self->p, "irq", NULL, SIM_IRQ));
}

FIXTURE_TEARDOWN(irq)
{
	simport_down(&self->p);
}

TEST(features_announce_the_new_requests)
{
	struct parclass_version v = { .size = sizeof(v) };
	int fd = pc_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, ioctl(fd, PARCLASS_IOC_GET_VERSION, &v));
	EXPECT_TRUE(v.features & PARCLASS_FEATURE_CHIP_MODE);
	EXPECT_TRUE(v.features & PARCLASS_FEATURE_LOCK);
	EXPECT_TRUE(v.features & PARCLASS_FEATURE_DAISY);
	EXPECT_TRUE(v.features & PARCLASS_FEATURE_ASYNC);
	EXPECT_TRUE(v.features & PARCLASS_FEATURE_INTERRUPTS);
	close(fd);
}

/*
 * Common argument checks of every new request: short @size, unknown
 * flags, reserved fields, a long struct with junk, a bad pointer, a token
 * that is not a live session of this file.
 */
TEST_F(plain, new_requests_check_their_argument_and_token)
{
	static const struct {
		const char *name;
		unsigned long code;
		size_t size;
		size_t reserved;	/* offset of __reserved, or 0 */
		__u32 bad_flag;
	} reqs[] = {
		{ "CHIP_MODE", PARCLASS_IOC_CHIP_MODE,
		  sizeof(struct parclass_chip_mode), 0, 1U << 2 },
		{ "LOCK", PARCLASS_IOC_LOCK, sizeof(struct parclass_lock), 0,
		  1U << 1 },
		{ "UNLOCK", PARCLASS_IOC_UNLOCK, sizeof(struct parclass_lock),
		  0, 1U << 1 },
		{ "DAISY_INIT", PARCLASS_IOC_DAISY_INIT,
		  sizeof(struct parclass_daisy_init),
		  offsetof(struct parclass_daisy_init, __reserved), 1U << 0 },
		{ "SELECT_DEVICE", PARCLASS_IOC_SELECT_DEVICE,
		  sizeof(struct parclass_select),
		  offsetof(struct parclass_select, __reserved), 1U << 1 },
		{ "DESELECT_DEVICE", PARCLASS_IOC_DESELECT_DEVICE,
		  sizeof(struct parclass_select),
		  offsetof(struct parclass_select, __reserved), 1U << 1 },
		{ "CANCEL", PARCLASS_IOC_CANCEL, sizeof(struct parclass_cancel),
		  0, 1U << 0 },
		{ "INTERRUPTS", PARCLASS_IOC_INTERRUPTS,
		  sizeof(struct parclass_interrupts),
		  offsetof(struct parclass_interrupts, __reserved), 1U << 2 },
	};
	union {
		unsigned char b[64];
		struct { __u32 size, flags; __u64 token; } h;
	} u;
	int fd = self->p.fd, fd2;
	__u64 t, gone, other;
	unsigned int i;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &t, NULL));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &gone, NULL));
	ASSERT_EQ(0, pc_disconnect(fd, gone));
	fd2 = pc_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, sp_connect(fd2, self->p.num, 0, 0, &other, NULL));

	for (i = 0; i < ARRAY_SIZE(reqs); i++) {
		/* Shorter than the mandatory part. */
		memset(&u, 0, sizeof(u));
		u.h.token = t;
		u.h.size = 0;
		EXPECT_EQ(-EINVAL, pc_ret(ioctl(fd, reqs[i].code, &u)))
			TH_LOG("%s, size 0", reqs[i].name);
		u.h.size = 8;
		EXPECT_EQ(-EINVAL, pc_ret(ioctl(fd, reqs[i].code, &u)))
			TH_LOG("%s, size 8", reqs[i].name);
		/* An unknown flag. */
		u.h.size = reqs[i].size;
		u.h.flags = reqs[i].bad_flag;
		EXPECT_EQ(-EINVAL, pc_ret(ioctl(fd, reqs[i].code, &u)))
			TH_LOG("%s, flag 0x%x", reqs[i].name, reqs[i].bad_flag);
		u.h.flags = 0;
		/* A reserved field set. */
		if (reqs[i].reserved) {
			u.b[reqs[i].reserved] = 1;
			EXPECT_EQ(-EINVAL, pc_ret(ioctl(fd, reqs[i].code, &u)))
				TH_LOG("%s, __reserved", reqs[i].name);
			u.b[reqs[i].reserved] = 0;
		}
		/* Longer than the kernel's, with junk in the tail. */
		u.h.size = reqs[i].size + 8;
		u.b[reqs[i].size + 3] = 0x5a;
		EXPECT_EQ(-E2BIG, pc_ret(ioctl(fd, reqs[i].code, &u)))
			TH_LOG("%s, long with junk", reqs[i].name);
		u.b[reqs[i].size + 3] = 0;
		u.h.size = reqs[i].size;
		/* Not user memory. */
		EXPECT_EQ(-EFAULT, pc_ret(ioctl(fd, reqs[i].code, (void *)8)))
			TH_LOG("%s, bad pointer", reqs[i].name);
		/* Tokens that are not live sessions of this file. */
		u.h.token = STALE(t);
		EXPECT_EQ(-ESTALE, pc_ret(ioctl(fd, reqs[i].code, &u)))
			TH_LOG("%s, bogus token", reqs[i].name);
		u.h.token = gone;
		EXPECT_EQ(-ESTALE, pc_ret(ioctl(fd, reqs[i].code, &u)))
			TH_LOG("%s, disconnected token", reqs[i].name);
		u.h.token = other;
		EXPECT_EQ(-ESTALE, pc_ret(ioctl(fd, reqs[i].code, &u)))
			TH_LOG("%s, another file's token", reqs[i].name);
	}
	/* None of it left the session holding or waiting. */
	EXPECT_EQ(1, pc_is_free(fd, t));
	EXPECT_EQ(-EPERM, pc_free(fd, t));
	close(fd2);
}

/*
 * A port whose low-level driver keeps a base that is no I/O port number
 * (parport_sim's lies outside the PC's I/O space, as memory-mapped
 * drivers' kernel addresses do) reports no base at all.
 */
TEST_F(plain, base_that_is_no_io_port_is_not_reported)
{
	struct parclass_port_info info;
	struct parclass_port_entry *e;
	unsigned long proc_base;
	char path[96], buf[64];
	__u32 i, n, found = 0;
	int fd, len;
	__u64 t;

	snprintf(path, sizeof(path), "/proc/sys/dev/parport/parport%d/base-addr",
		 self->p.num);
	fd = open(path, O_RDONLY);
	ASSERT_LE(0, fd);
	len = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	ASSERT_LT(0, len);
	buf[len] = '\0';
	proc_base = strtoul(buf, NULL, 0);
	/* The core shows the driver's base; it is no I/O port number. */
	ASSERT_LT(0xffff, proc_base);

	memset(&info, 0xa5, sizeof(info));
	ASSERT_EQ(0, sp_connect(self->p.fd, self->p.num, 0, 0, &t, &info));
	EXPECT_FALSE(info.flags & PARCLASS_PORT_BASE_IO);
	EXPECT_FALSE(info.flags & PARCLASS_PORT_HAS_ECR);
	EXPECT_EQ(0, info.base);
	EXPECT_EQ(0, info.base_hi);
	EXPECT_EQ(0, info.span);

	e = list_ports(self->p.fd, 0, &n);
	ASSERT_NE(NULL, e);
	for (i = 0; i < n; i++) {
		if (e[i].info.number != (__u32)self->p.num)
			continue;
		found++;
		EXPECT_FALSE(e[i].info.flags & PARCLASS_PORT_BASE_IO);
		EXPECT_EQ(0, e[i].info.base);
		EXPECT_EQ(0, e[i].info.span);
	}
	free(e);
	EXPECT_EQ(1, found);
}

/* Chip modes */

TEST_F(plain, chip_mode_reports_without_the_port)
{
	struct parclass_port_info info;
	int fd = self->p.fd;
	__u64 a, b;
	__u32 cur;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &a, &info));
	/* parport_sim's port has PS/2, EPP and ECP registers. */
	EXPECT_TRUE(info.modes & PARPORT_MODE_TRISTATE);
	EXPECT_TRUE(info.modes & PARPORT_MODE_EPP);
	EXPECT_TRUE(info.modes & PARPORT_MODE_ECP);
	EXPECT_EQ(PARCLASS_HW_BYTE_PRESENT | PARCLASS_HW_ECP_PRESENT |
		  PARCLASS_HW_EPP_PRESENT, info.hw_caps);

	ASSERT_EQ(0, sp_chip(fd, a, 0, 0, &cur));
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, cur);
	/* Also while another session holds the port. */
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &b, NULL));
	ASSERT_EQ(0, pc_try_allocate(fd, b));
	ASSERT_EQ(0, sp_chip(fd, a, 0, 0, &cur));
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, cur);
	/* A report takes no mode; a refused call writes nothing back. */
	EXPECT_EQ(-EINVAL, sp_chip(fd, a, 0, PARCLASS_CHIP_MODE_BYTE, &cur));
	EXPECT_EQ(0xdeadbeef, cur);
}

TEST_F(plain, chip_mode_set_and_clear_need_the_port)
{
	int fd = self->p.fd;
	__u64 a, b;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &b, NULL));
	EXPECT_EQ(-EPERM, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
				  PARCLASS_CHIP_MODE_BYTE, NULL));
	EXPECT_EQ(-EPERM, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
				  PARCLASS_CHIP_MODE_ECP, NULL));
	EXPECT_EQ(-EPERM, sp_chip(fd, a, PARCLASS_CHIP_MODE_CLEAR,
				  PARCLASS_CHIP_MODE_INITIAL, NULL));
	/* Another session holding it does not help. */
	ASSERT_EQ(0, pc_try_allocate(fd, b));
	EXPECT_EQ(-EPERM, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
				  PARCLASS_CHIP_MODE_EPP, NULL));
	ASSERT_EQ(0, sp_chip(fd, b, PARCLASS_CHIP_MODE_SET,
			     PARCLASS_CHIP_MODE_BYTE, NULL));
	EXPECT_EQ(-EPERM, sp_chip(fd, a, PARCLASS_CHIP_MODE_CLEAR,
				  PARCLASS_CHIP_MODE_BYTE, NULL));
	EXPECT_EQ(PARCLASS_CHIP_MODE_BYTE, chip_of(fd, a));
}

TEST_F(plain, chip_mode_set_and_clear_in_the_documented_order)
{
	int fd = self->p.fd;
	__u64 a, obs;
	__u32 cur;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &obs, NULL));
	ASSERT_EQ(0, pc_try_allocate(fd, a));

	/* Initial to byte, byte again, byte to ECP. */
	ASSERT_EQ(0, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
			     PARCLASS_CHIP_MODE_BYTE, &cur));
	EXPECT_EQ(PARCLASS_CHIP_MODE_BYTE, cur);
	EXPECT_EQ(PARCLASS_CHIP_MODE_BYTE, chip_of(fd, obs));
	ASSERT_EQ(0, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
			     PARCLASS_CHIP_MODE_BYTE, &cur));
	EXPECT_EQ(PARCLASS_CHIP_MODE_BYTE, cur);
	ASSERT_EQ(0, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
			     PARCLASS_CHIP_MODE_ECP, &cur));
	EXPECT_EQ(PARCLASS_CHIP_MODE_ECP, cur);
	EXPECT_EQ(PARCLASS_CHIP_MODE_ECP, chip_of(fd, obs));

	/* Nothing is set over ECP. */
	EXPECT_EQ(-EALREADY, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
				     PARCLASS_CHIP_MODE_BYTE, &cur));
	EXPECT_EQ(0xdeadbeef, cur);
	EXPECT_EQ(-EALREADY, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
				     PARCLASS_CHIP_MODE_EPP, NULL));
	EXPECT_EQ(-EALREADY, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
				     PARCLASS_CHIP_MODE_ECP, NULL));
	/* CLEAR names the current mode. */
	EXPECT_EQ(-ENOENT, sp_chip(fd, a, PARCLASS_CHIP_MODE_CLEAR,
				   PARCLASS_CHIP_MODE_BYTE, NULL));
	EXPECT_EQ(-ENOENT, sp_chip(fd, a, PARCLASS_CHIP_MODE_CLEAR,
				   PARCLASS_CHIP_MODE_EPP, NULL));
	EXPECT_EQ(-ENOENT, sp_chip(fd, a, PARCLASS_CHIP_MODE_CLEAR,
				   PARCLASS_CHIP_MODE_INITIAL, NULL));
	EXPECT_EQ(PARCLASS_CHIP_MODE_ECP, chip_of(fd, obs));
	ASSERT_EQ(0, sp_chip(fd, a, PARCLASS_CHIP_MODE_CLEAR,
			     PARCLASS_CHIP_MODE_ECP, &cur));
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, cur);
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, chip_of(fd, obs));

	/* EPP straight from the initial mode; nothing over it either. */
	ASSERT_EQ(0, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
			     PARCLASS_CHIP_MODE_EPP, &cur));
	EXPECT_EQ(PARCLASS_CHIP_MODE_EPP, cur);
	EXPECT_EQ(-EALREADY, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
				     PARCLASS_CHIP_MODE_ECP, NULL));
	EXPECT_EQ(-EALREADY, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
				     PARCLASS_CHIP_MODE_BYTE, NULL));
	EXPECT_EQ(-ENOENT, sp_chip(fd, a, PARCLASS_CHIP_MODE_CLEAR,
				   PARCLASS_CHIP_MODE_ECP, NULL));
	ASSERT_EQ(0, sp_chip(fd, a, PARCLASS_CHIP_MODE_CLEAR,
			     PARCLASS_CHIP_MODE_EPP, &cur));
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, cur);

	/* ECP straight from the initial mode. */
	ASSERT_EQ(0, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
			     PARCLASS_CHIP_MODE_ECP, &cur));
	EXPECT_EQ(PARCLASS_CHIP_MODE_ECP, cur);
	ASSERT_EQ(0, sp_chip(fd, a, PARCLASS_CHIP_MODE_CLEAR,
			     PARCLASS_CHIP_MODE_ECP, NULL));

	/* Byte mode is cleared like the others. */
	ASSERT_EQ(0, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
			     PARCLASS_CHIP_MODE_BYTE, NULL));
	EXPECT_EQ(-ENOENT, sp_chip(fd, a, PARCLASS_CHIP_MODE_CLEAR,
				   PARCLASS_CHIP_MODE_INITIAL, NULL));
	ASSERT_EQ(0, sp_chip(fd, a, PARCLASS_CHIP_MODE_CLEAR,
			     PARCLASS_CHIP_MODE_BYTE, &cur));
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, cur);
	/* CLEAR of the initial mode names the current mode. */
	ASSERT_EQ(0, sp_chip(fd, a, PARCLASS_CHIP_MODE_CLEAR,
			     PARCLASS_CHIP_MODE_INITIAL, &cur));
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, cur);
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, chip_of(fd, obs));
}

TEST_F(plain, chip_mode_bad_values_are_einval)
{
	static const __u32 bad_set[] = {
		PARCLASS_CHIP_MODE_INITIAL, 0x40, 0xa0, 0xc0, 0xe0, 0x21,
		PARCLASS_CHIP_MODE_ECP | 1, 0x100, 0xffffffff,
	};
	static const __u32 bad_clear[] = { 0x40, 0xa0, 0xe0, 0x61, 0xffffffff };
	int fd = self->p.fd;
	unsigned int i;
	__u64 a;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, pc_try_allocate(fd, a));
	for (i = 0; i < ARRAY_SIZE(bad_set); i++)
		EXPECT_EQ(-EINVAL, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
					   bad_set[i], NULL))
			TH_LOG("SET 0x%x", bad_set[i]);
	for (i = 0; i < ARRAY_SIZE(bad_clear); i++)
		EXPECT_EQ(-EINVAL, sp_chip(fd, a, PARCLASS_CHIP_MODE_CLEAR,
					   bad_clear[i], NULL))
			TH_LOG("CLEAR 0x%x", bad_clear[i]);
	/* Both flags, whatever the mode. */
	EXPECT_EQ(-EINVAL, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET |
				   PARCLASS_CHIP_MODE_CLEAR,
				   PARCLASS_CHIP_MODE_BYTE, NULL));
	EXPECT_EQ(-EINVAL, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET |
				   PARCLASS_CHIP_MODE_CLEAR,
				   PARCLASS_CHIP_MODE_INITIAL, NULL));
	/* A report with a mode. */
	EXPECT_EQ(-EINVAL, sp_chip(fd, a, 0, PARCLASS_CHIP_MODE_ECP, NULL));
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, chip_of(fd, a));
}

/* A port without ECP and EPP (QEMU's LPT): those modes are refused. */
TEST(chip_mode_a_mode_the_port_lacks_is_eopnotsupp)
{
	struct parclass_port_entry *e;
	struct parclass_port_info info;
	__u32 n, i, cur;
	int fd = pc_open(), num = -1;
	__u64 t;

	ASSERT_LE(0, fd);
	e = list_ports(fd, 0, &n);
	ASSERT_NE(NULL, e);
	for (i = 0; i < n && num < 0; i++)
		if (!(e[i].info.hw_caps & PARCLASS_HW_ECP_PRESENT) &&
		    !(e[i].info.hw_caps & PARCLASS_HW_EPP_PRESENT))
			num = e[i].info.number;
	free(e);
	/* Every lane boots QEMU's LPTs, which have neither. */
	ASSERT_LE(0, num) TH_LOG("no port without ECP and EPP");

	ASSERT_EQ(0, sp_connect(fd, num, 0, 0, &t, &info));
	ASSERT_EQ(0, pc_allocate(fd, t, 0, 2000 * MS));
	EXPECT_EQ(-EOPNOTSUPP, sp_chip(fd, t, PARCLASS_CHIP_MODE_SET,
				       PARCLASS_CHIP_MODE_ECP, &cur));
	EXPECT_EQ(0xdeadbeef, cur);
	EXPECT_EQ(-EOPNOTSUPP, sp_chip(fd, t, PARCLASS_CHIP_MODE_SET,
				       PARCLASS_CHIP_MODE_EPP, NULL));
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, chip_of(fd, t));
	if (info.hw_caps & PARCLASS_HW_BYTE_PRESENT) {
		ASSERT_EQ(0, sp_chip(fd, t, PARCLASS_CHIP_MODE_SET,
				     PARCLASS_CHIP_MODE_BYTE, &cur));
		EXPECT_EQ(PARCLASS_CHIP_MODE_BYTE, cur);
		EXPECT_EQ(-EOPNOTSUPP, sp_chip(fd, t, PARCLASS_CHIP_MODE_SET,
					       PARCLASS_CHIP_MODE_ECP, NULL));
		EXPECT_EQ(PARCLASS_CHIP_MODE_BYTE, chip_of(fd, t));
		ASSERT_EQ(0, sp_chip(fd, t, PARCLASS_CHIP_MODE_CLEAR,
				     PARCLASS_CHIP_MODE_BYTE, &cur));
		EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, cur);
	} else {
		EXPECT_EQ(-EOPNOTSUPP, sp_chip(fd, t, PARCLASS_CHIP_MODE_SET,
					       PARCLASS_CHIP_MODE_BYTE, NULL));
	}
	EXPECT_EQ(0, pc_free(fd, t));
	close(fd);
}

TEST_F(plain, free_unlock_disconnect_and_close_restore_the_initial_mode)
{
	int fd = self->p.fd, fd2;
	__u64 a, obs, c;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &obs, NULL));

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, pc_try_allocate(fd, a));
	ASSERT_EQ(0, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
			     PARCLASS_CHIP_MODE_ECP, NULL));
	EXPECT_EQ(PARCLASS_CHIP_MODE_ECP, chip_of(fd, obs));
	ASSERT_EQ(0, pc_free(fd, a));
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, chip_of(fd, obs));

	ASSERT_EQ(0, sp_lock(fd, a, 0));
	ASSERT_EQ(0, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
			     PARCLASS_CHIP_MODE_EPP, NULL));
	EXPECT_EQ(PARCLASS_CHIP_MODE_EPP, chip_of(fd, obs));
	ASSERT_EQ(0, sp_unlock(fd, a, 0));
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, chip_of(fd, obs));

	ASSERT_EQ(0, pc_try_allocate(fd, a));
	ASSERT_EQ(0, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
			     PARCLASS_CHIP_MODE_BYTE, NULL));
	EXPECT_EQ(PARCLASS_CHIP_MODE_BYTE, chip_of(fd, obs));
	ASSERT_EQ(0, pc_disconnect(fd, a));
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, chip_of(fd, obs));

	fd2 = pc_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, sp_connect(fd2, self->p.num, 0, 0, &c, NULL));
	ASSERT_EQ(0, pc_try_allocate(fd2, c));
	ASSERT_EQ(0, sp_chip(fd2, c, PARCLASS_CHIP_MODE_SET,
			     PARCLASS_CHIP_MODE_EPP, NULL));
	EXPECT_EQ(PARCLASS_CHIP_MODE_EPP, chip_of(fd, obs));
	close(fd2);
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, chip_of(fd, obs));
	/* And the next holder finds the port as it was. */
	ASSERT_EQ(0, pc_try_allocate(fd, obs));
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, chip_of(fd, obs));
}

struct stuck_write {
	int fd;
	__u64 token;
	__u32 written;
	int ret;
	atomic_int done;
};

static void *stuck_writer(void *arg)
{
	static const char byte = 'x';
	struct stuck_write *w = arg;

	w->ret = pc_write(w->fd, w->token, &byte, 1, 10000 * MS, &w->written);
	atomic_store(&w->done, 1);
	return NULL;
}

/*
 * While a WRITE of the session is stuck on a busy peripheral, the port
 * requests that need it answer EBUSY and do nothing.
 */
TEST_F(chain, port_requests_during_a_transfer_are_ebusy)
{
	struct stuck_write w = { .fd = self->p.fd };
	int fd = self->p.fd;
	pthread_t th;
	__u32 cur;
	__u64 a;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, pc_try_allocate(fd, a));
	ASSERT_EQ(0, sim_puts(self->p.name, "faults", "busy"));
	w.token = a;
	atomic_store(&w.done, 0);
	ASSERT_EQ(0, pthread_create(&th, NULL, stuck_writer, &w));
	sim_sleep_ms(300);
	ASSERT_EQ(0, atomic_load(&w.done)) TH_LOG("the WRITE did not block");

	EXPECT_EQ(-EBUSY, sp_chip(fd, a, PARCLASS_CHIP_MODE_SET,
				  PARCLASS_CHIP_MODE_BYTE, NULL));
	EXPECT_EQ(-EBUSY, sp_chip(fd, a, PARCLASS_CHIP_MODE_CLEAR,
				  PARCLASS_CHIP_MODE_INITIAL, NULL));
	/* A report does not need the port to itself. */
	EXPECT_EQ(0, sp_chip(fd, a, 0, 0, &cur));
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, cur);
	EXPECT_EQ(-EBUSY, sp_unlock(fd, a, 0));
	EXPECT_EQ(-EBUSY, sp_unlock(fd, a, PARCLASS_LOCK_NO_SELECT));
	EXPECT_EQ(-EBUSY, sp_daisy_init(fd, a, NULL));
	EXPECT_EQ(-EBUSY, sp_select(fd, a, PARCLASS_SELECT_KEEP_PORT, 1, 0));
	EXPECT_EQ(-EBUSY, sp_deselect(fd, a, PARCLASS_SELECT_KEEP_PORT));
	EXPECT_EQ(-EBUSY, sp_deselect(fd, a, 0));
	/* The session holds the port: LOCK is EALREADY, as ALLOCATE. */
	EXPECT_EQ(-EALREADY, sp_lock(fd, a, 0));
	EXPECT_EQ(-1, selected(&self->p));
	EXPECT_EQ(0, atomic_load(&w.done));

	ASSERT_EQ(0, sim_puts(self->p.name, "faults", "none"));
	pthread_join(th, NULL);
	EXPECT_EQ(0, w.ret);
	EXPECT_EQ(1, w.written);
	/* Nothing was done: the session still holds the port. */
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, chip_of(fd, a));
	EXPECT_EQ(0, pc_free(fd, a));
}

/* LOCK and UNLOCK */

TEST_F(plain, lock_holds_until_unlock)
{
	int fd = self->p.fd;
	__u64 a, b;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &b, NULL));
	ASSERT_EQ(0, sp_lock(fd, a, 0));
	EXPECT_EQ(0, pc_is_free(fd, b));
	EXPECT_EQ(-EAGAIN, pc_try_allocate(fd, b));
	EXPECT_EQ(-EALREADY, sp_lock(fd, a, 0));
	EXPECT_EQ(-EALREADY, pc_try_allocate(fd, a));
	ASSERT_EQ(0, sp_unlock(fd, a, 0));
	EXPECT_EQ(1, pc_is_free(fd, b));
	/* Not holding: Windows says SUCCESS, parclass EPERM. */
	EXPECT_EQ(-EPERM, sp_unlock(fd, a, 0));
	EXPECT_EQ(-EPERM, sp_unlock(fd, b, 0));
	EXPECT_EQ(-EPERM, sp_unlock(fd, b, PARCLASS_LOCK_NO_SELECT));
	EXPECT_EQ(-EPERM, pc_free(fd, a));

	/* FREE ends a LOCK too, and UNLOCK ends an ALLOCATE. */
	ASSERT_EQ(0, sp_lock(fd, a, 0));
	ASSERT_EQ(0, pc_free(fd, a));
	EXPECT_EQ(1, pc_is_free(fd, b));
	ASSERT_EQ(0, pc_try_allocate(fd, a));
	ASSERT_EQ(0, sp_unlock(fd, a, 0));
	EXPECT_EQ(1, pc_is_free(fd, b));
	/* NO_SELECT on a port without a chain. */
	ASSERT_EQ(0, sp_lock(fd, a, PARCLASS_LOCK_NO_SELECT));
	EXPECT_EQ(0, pc_is_free(fd, b));
	ASSERT_EQ(0, sp_unlock(fd, a, PARCLASS_LOCK_NO_SELECT));
	EXPECT_EQ(1, pc_is_free(fd, b));
}

/* LOCK against a holder: ETIMEDOUT after acquire_timeout_ms. */
TEST_F(plain, lock_times_out_after_acquire_timeout_ms)
{
	static const unsigned int timeouts[] = { 700, 500 };
	int fd = self->p.fd;
	char val[32];
	unsigned int i;
	__u64 a, h, t0, el;

	EXPECT_STREQ("500", self->p.acquire);
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &h, NULL));
	ASSERT_EQ(0, pc_try_allocate(fd, h));
	for (i = 0; i < ARRAY_SIZE(timeouts); i++) {
		snprintf(val, sizeof(val), "%u", timeouts[i]);
		ASSERT_EQ(0, pc_file_put(ACQUIRE_PARAM, val));
		t0 = now_ns();
		EXPECT_EQ(-ETIMEDOUT, sp_lock(fd, a, 0));
		el = now_ns() - t0;
		EXPECT_LE(timeouts[i] * MS, el)
			TH_LOG("%u ms: gave up after %llu ms", timeouts[i],
			       el / MS);
		EXPECT_GT(3 * timeouts[i] * MS, el)
			TH_LOG("%u ms: gave up after %llu ms", timeouts[i],
			       el / MS);
		/* It gave up: not holding, not waiting. */
		EXPECT_EQ(-EPERM, pc_free(fd, a));
		EXPECT_EQ(0, waiters_of(fd, h));
	}
	/* Once the port is free LOCK does not wait. */
	ASSERT_EQ(0, pc_free(fd, h));
	t0 = now_ns();
	EXPECT_EQ(0, sp_lock(fd, a, 0));
	EXPECT_GT(200 * MS, now_ns() - t0);
	EXPECT_EQ(0, sp_unlock(fd, a, 0));
}

TEST_F(plain, acquire_timeout_ms_is_500_to_5000)
{
	static const char *const bad[] = {
		"100", "6000", "499", "5001", "0", "-1", "abc",
	};
	static const char *const good[] = { "500", "5000", "1234" };
	char val[32];
	unsigned int i;

	ASSERT_EQ(0, pc_file_put(ACQUIRE_PARAM, "700"));
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, pc_file_put(ACQUIRE_PARAM, bad[i]))
			TH_LOG("writing %s", bad[i]);
		ASSERT_EQ(0, pc_file_get(ACQUIRE_PARAM, val, sizeof(val)));
		EXPECT_STREQ("700", val) TH_LOG("after writing %s", bad[i]);
	}
	for (i = 0; i < ARRAY_SIZE(good); i++) {
		EXPECT_EQ(0, pc_file_put(ACQUIRE_PARAM, good[i]))
			TH_LOG("writing %s", good[i]);
		ASSERT_EQ(0, pc_file_get(ACQUIRE_PARAM, val, sizeof(val)));
		EXPECT_STREQ(good[i], val);
	}
}

/* A LOCK waiting for the port ends with a signal (EINTR) or CANCEL. */
TEST_F(plain, lock_wait_ends_with_a_signal_or_cancel)
{
	struct job j = { .fd = self->p.fd, .op = OP_LOCK };
	int fd = self->p.fd;
	__u64 h, t0;

	ASSERT_EQ(0, catch_sigusr1());
	ASSERT_EQ(0, pc_file_put(ACQUIRE_PARAM, "5000"));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &j.token, NULL));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &h, NULL));
	ASSERT_EQ(0, pc_try_allocate(fd, h));

	ASSERT_EQ(0, job_start(&j));
	ASSERT_TRUE(wait_waiters(fd, h, 1, 2000));
	EXPECT_FALSE(job_wait(&j, BLOCKED_MS));
	t0 = now_ns();
	ASSERT_EQ(0, pthread_kill(j.th, SIGUSR1));
	ASSERT_TRUE(job_wait(&j, 2000));
	EXPECT_EQ(-EINTR, j.ret);
	EXPECT_GT(1000 * MS, now_ns() - t0);
	EXPECT_EQ(-EPERM, pc_free(fd, j.token));
	EXPECT_EQ(0, waiters_of(fd, h));

	ASSERT_EQ(0, job_start(&j));
	ASSERT_TRUE(wait_waiters(fd, h, 1, 2000));
	EXPECT_EQ(0, sp_cancel(fd, j.token));
	ASSERT_TRUE(job_wait(&j, 2000));
	EXPECT_EQ(-ECANCELED, j.ret);
	EXPECT_EQ(-EPERM, pc_free(fd, j.token));
	/* Nobody waits: FREE leaves the port free. */
	ASSERT_EQ(0, pc_free(fd, h));
	EXPECT_EQ(1, pc_is_free(fd, h));
}

TEST_F(chain, lock_selects_the_chain_device_and_unlock_deselects)
{
	int fd = self->p.fd;
	__u64 s, obs;
	__u32 d;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &obs, NULL));
	for (d = 0; d < PARCLASS_DAISY_MAX; d++) {
		ASSERT_EQ(0, sp_connect(fd, self->p.num, PARCLASS_CONNECT_DAISY,
					d, &s, NULL));
		ASSERT_EQ(0, sp_lock(fd, s, 0)) TH_LOG("device %u", d);
		EXPECT_EQ(d, selected(&self->p));
		EXPECT_EQ(0, pc_is_free(fd, obs));
		ASSERT_EQ(0, sp_unlock(fd, s, 0));
		EXPECT_EQ(-1, selected(&self->p));
		EXPECT_EQ(1, pc_is_free(fd, obs));
		ASSERT_EQ(0, pc_disconnect(fd, s));
	}
}

/*
 * LOCK checks that the chain device answers the select; with NO_SELECT it
 * does not select (the parport core's own select on claim goes
 * unchecked). A chain whose devices lost their addresses answers no
 * select until DAISY_INIT numbers it again.
 */
TEST_F(chain, lock_checks_the_select_and_no_select_skips_it)
{
	int fd = self->p.fd;
	__u64 s, p;
	__u32 n;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, PARCLASS_CONNECT_DAISY, 1, &s,
				NULL));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &p, NULL));
	/* The same chain again: the devices forget their addresses. */
	ASSERT_EQ(0, sim_puts(self->p.name, "daisy", chain_text));

	EXPECT_EQ(-ENXIO, sp_lock(fd, s, 0));
	/* The port was freed again. */
	EXPECT_EQ(-EPERM, pc_free(fd, s));
	EXPECT_EQ(1, pc_is_free(fd, p));

	/* SELECT_DEVICE checks too, and frees a port it allocated. */
	EXPECT_EQ(-ENXIO, sp_select(fd, p, 0, 1, 0));
	EXPECT_EQ(-EPERM, pc_free(fd, p));
	EXPECT_EQ(1, pc_is_free(fd, s));
	/* With KEEP_PORT the port stays with the session. */
	ASSERT_EQ(0, pc_try_allocate(fd, p));
	EXPECT_EQ(-ENXIO, sp_select(fd, p, PARCLASS_SELECT_KEEP_PORT, 2, 0));
	EXPECT_EQ(0, pc_is_free(fd, s));
	ASSERT_EQ(0, pc_free(fd, p));

	/* NO_SELECT does not ask the device. */
	ASSERT_EQ(0, sp_lock(fd, s, PARCLASS_LOCK_NO_SELECT));
	EXPECT_EQ(-1, selected(&self->p));
	EXPECT_EQ(0, pc_is_free(fd, p));
	ASSERT_EQ(0, sp_unlock(fd, s, PARCLASS_LOCK_NO_SELECT));
	EXPECT_EQ(1, pc_is_free(fd, p));

	/* Numbered again, the device answers. */
	ASSERT_EQ(0, pc_try_allocate(fd, p));
	ASSERT_EQ(0, sp_daisy_init(fd, p, &n));
	EXPECT_EQ(4, n);
	ASSERT_EQ(0, pc_free(fd, p));
	ASSERT_EQ(0, sp_lock(fd, s, 0));
	EXPECT_EQ(1, selected(&self->p));
	ASSERT_EQ(0, sp_unlock(fd, s, 0));
	EXPECT_EQ(-1, selected(&self->p));
}

/* UNLOCK deselects the chain a session selected, unless NO_SELECT. */
TEST_F(chain, unlock_deselects_the_chain_unless_no_select)
{
	int fd = self->p.fd;
	__u64 p, obs;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &p, NULL));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &obs, NULL));
	ASSERT_EQ(0, sp_lock(fd, p, 0));
	/* A session of the port itself selects nothing by locking. */
	EXPECT_EQ(-1, selected(&self->p));
	ASSERT_EQ(0, sp_select(fd, p, PARCLASS_SELECT_KEEP_PORT, 3, 0));
	EXPECT_EQ(3, selected(&self->p));
	ASSERT_EQ(0, sp_unlock(fd, p, 0));
	EXPECT_EQ(-1, selected(&self->p));
	EXPECT_EQ(1, pc_is_free(fd, obs));

	ASSERT_EQ(0, sp_lock(fd, p, 0));
	ASSERT_EQ(0, sp_select(fd, p, PARCLASS_SELECT_KEEP_PORT, 2, 0));
	EXPECT_EQ(2, selected(&self->p));
	ASSERT_EQ(0, sp_unlock(fd, p, PARCLASS_LOCK_NO_SELECT));
	EXPECT_EQ(2, selected(&self->p));
	EXPECT_EQ(1, pc_is_free(fd, obs));
}

/* The daisy chain */

TEST_F(chain, connect_reports_the_chain_and_its_devices)
{
	struct parclass_port_info info, dev;
	int fd = self->p.fd;
	char want[32];
	__u32 d;
	__u64 t;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &t, &info));
	EXPECT_EQ(4, info.daisy_count);
	EXPECT_TRUE(info.hw_caps & PARCLASS_HW_1284_3_PRESENT);
	EXPECT_FALSE(info.flags & PARCLASS_PORT_DAISY_DEVICE);
	EXPECT_EQ(0, info.daisy);
	snprintf(want, sizeof(want), "LPT%d", self->p.num + 1);
	EXPECT_STREQ(want, info.location);

	for (d = 0; d < PARCLASS_DAISY_MAX; d++) {
		memset(&dev, 0xa5, sizeof(dev));
		ASSERT_EQ(0, sp_connect(fd, self->p.num, PARCLASS_CONNECT_DAISY,
					d, &t, &dev)) TH_LOG("device %u", d);
		EXPECT_TRUE(dev.flags & PARCLASS_PORT_DAISY_DEVICE);
		EXPECT_EQ(d, dev.daisy);
		EXPECT_EQ(4, dev.daisy_count);
		EXPECT_EQ(self->p.num, dev.number);
		EXPECT_EQ(info.hw_caps, dev.hw_caps);
		EXPECT_STREQ(info.name, dev.name);
		snprintf(want, sizeof(want), "LPT%d.%u", self->p.num + 1, d);
		EXPECT_STREQ(want, dev.location);
	}
	/* Addresses at or beyond the count. */
	EXPECT_EQ(-EINVAL, sp_connect(fd, self->p.num, PARCLASS_CONNECT_DAISY,
				      4, &t, NULL));
	EXPECT_EQ(-EINVAL, sp_connect(fd, self->p.num, PARCLASS_CONNECT_DAISY,
				      5, &t, NULL));
	EXPECT_EQ(-EINVAL, sp_connect(fd, self->p.num, PARCLASS_CONNECT_DAISY,
				      0xffffffff, &t, NULL));
	/* An address without the flag, an unknown flag. */
	EXPECT_EQ(-EINVAL, sp_connect(fd, self->p.num, 0, 1, &t, NULL));
	EXPECT_EQ(-EINVAL, sp_connect(fd, self->p.num, 1U << 1, 0, &t, NULL));
}

TEST_F(plain, a_port_without_a_chain_refuses_chain_requests)
{
	struct parclass_port_info info;
	int fd = self->p.fd;
	__u64 t, u;
	__u32 n;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &t, &info));
	EXPECT_EQ(0, info.daisy_count);
	EXPECT_FALSE(info.hw_caps & PARCLASS_HW_1284_3_PRESENT);
	EXPECT_EQ(-EINVAL, sp_connect(fd, self->p.num, PARCLASS_CONNECT_DAISY,
				      0, &u, NULL));
	EXPECT_EQ(-EINVAL, sp_select(fd, t, 0, 0, 0));
	EXPECT_EQ(-EPERM, pc_free(fd, t));
	ASSERT_EQ(0, pc_try_allocate(fd, t));
	EXPECT_EQ(-EINVAL, sp_select(fd, t, PARCLASS_SELECT_KEEP_PORT, 0, 0));
	/* Addressing finds nothing; the port stays without a chain. */
	ASSERT_EQ(0, sp_daisy_init(fd, t, &n));
	EXPECT_EQ(0, n);
	ASSERT_EQ(0, pc_free(fd, t));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &u, &info));
	EXPECT_EQ(0, info.daisy_count);
	EXPECT_FALSE(info.hw_caps & PARCLASS_HW_1284_3_PRESENT);
}

TEST_F(chain, daisy_init_needs_the_port_and_counts_the_chain)
{
	struct parclass_daisy_init di = { .size = sizeof(di) };
	struct parclass_port_info info;
	int fd = self->p.fd;
	__u64 p, s;
	__u32 n;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &p, NULL));
	EXPECT_EQ(-EPERM, sp_daisy_init(fd, p, &n));
	EXPECT_EQ(0xdeadbeef, n);
	ASSERT_EQ(0, pc_try_allocate(fd, p));
	ASSERT_EQ(0, sp_daisy_init(fd, p, &n));
	EXPECT_EQ(4, n);
	EXPECT_EQ(-1, selected(&self->p));
	di.token = p;
	di.__reserved = 1;
	EXPECT_EQ(-EINVAL, pc_ret(ioctl(fd, PARCLASS_IOC_DAISY_INIT, &di)));
	ASSERT_EQ(0, pc_free(fd, p));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, NULL, &info));
	EXPECT_EQ(4, info.daisy_count);
	EXPECT_TRUE(info.hw_caps & PARCLASS_HW_1284_3_PRESENT);

	/* A chain device's session finds its device selected again. */
	ASSERT_EQ(0, sp_connect(fd, self->p.num, PARCLASS_CONNECT_DAISY, 2, &s,
				NULL));
	EXPECT_EQ(-EPERM, sp_daisy_init(fd, s, NULL));
	ASSERT_EQ(0, pc_try_allocate(fd, s));
	EXPECT_EQ(2, selected(&self->p));
	ASSERT_EQ(0, sp_daisy_init(fd, s, &n));
	EXPECT_EQ(4, n);
	EXPECT_EQ(2, selected(&self->p));
	ASSERT_EQ(0, pc_free(fd, s));
	EXPECT_EQ(-1, selected(&self->p));
}

TEST_F(chain, each_device_session_reads_its_own_device_id)
{
	char buf[256];
	int fd = self->p.fd;
	__u64 s[PARCLASS_DAISY_MAX], p;
	__u32 d, size;

	ASSERT_EQ(0, pc_file_put(HOLDOFF_PARAM, "0"));
	for (d = 0; d < PARCLASS_DAISY_MAX; d++)
		ASSERT_EQ(0, sp_connect(fd, self->p.num, PARCLASS_CONNECT_DAISY,
					d, &s[d], NULL));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &p, NULL));
	/* In an order other than the cable's. */
	for (d = 0; d < PARCLASS_DAISY_MAX; d++) {
		__u32 dev = (d * 3 + 1) % PARCLASS_DAISY_MAX;

		ASSERT_EQ(0, pc_try_allocate(fd, s[dev]));
		memset(buf, 0, sizeof(buf));
		ASSERT_EQ(0, pc_device_id(fd, s[dev], 0, 0, buf, sizeof(buf),
					  &size)) TH_LOG("device %u", dev);
		EXPECT_STREQ(chain_ids[dev], buf);
		EXPECT_EQ(strlen(chain_ids[dev]) + 1, size);
		ASSERT_EQ(0, pc_free(fd, s[dev]));
	}
	/* The port's own session reaches the end of the cable. */
	ASSERT_EQ(0, pc_try_allocate(fd, p));
	ASSERT_EQ(0, pc_device_id(fd, p, 0, 0, buf, sizeof(buf), NULL));
	EXPECT_STREQ(end_id, buf);
	ASSERT_EQ(0, pc_free(fd, p));
}

TEST_F(chain, select_device_allocates_and_deselect_frees)
{
	struct parclass_select sel = { .size = sizeof(sel) };
	int fd = self->p.fd;
	__u64 p, obs;
	__u32 d;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &p, NULL));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &obs, NULL));
	for (d = 0; d < PARCLASS_DAISY_MAX; d++) {
		ASSERT_EQ(0, sp_select(fd, p, 0, d, 0)) TH_LOG("device %u", d);
		EXPECT_EQ(d, selected(&self->p));
		EXPECT_EQ(0, pc_is_free(fd, obs));
		ASSERT_EQ(0, sp_deselect(fd, p, 0));
		EXPECT_EQ(-1, selected(&self->p));
		EXPECT_EQ(1, pc_is_free(fd, obs));
	}
	/* The end of the cable: the port, with the chain deselected. */
	ASSERT_EQ(0, sp_select(fd, p, 0, 1, 0));
	ASSERT_EQ(0, sp_select(fd, p, PARCLASS_SELECT_KEEP_PORT,
			       PARCLASS_DAISY_END_OF_CHAIN, 0));
	EXPECT_EQ(-1, selected(&self->p));
	ASSERT_EQ(0, pc_free(fd, p));
	ASSERT_EQ(0, sp_select(fd, p, 0, PARCLASS_DAISY_END_OF_CHAIN, 0));
	EXPECT_EQ(-1, selected(&self->p));
	EXPECT_EQ(0, pc_is_free(fd, obs));
	ASSERT_EQ(0, pc_free(fd, p));

	/* Beyond the chain; the port is not allocated for it. */
	EXPECT_EQ(-EINVAL, sp_select(fd, p, 0, 5, 0));
	EXPECT_EQ(-EINVAL, sp_select(fd, p, 0, 0xffffffff, 0));
	EXPECT_EQ(-EPERM, pc_free(fd, p));
	EXPECT_EQ(1, pc_is_free(fd, obs));

	/* KEEP_PORT needs the port and keeps it. */
	EXPECT_EQ(-EPERM, sp_select(fd, p, PARCLASS_SELECT_KEEP_PORT, 1, 0));
	EXPECT_EQ(-1, selected(&self->p));
	ASSERT_EQ(0, pc_try_allocate(fd, p));
	ASSERT_EQ(0, sp_select(fd, p, PARCLASS_SELECT_KEEP_PORT, 1, 0));
	EXPECT_EQ(1, selected(&self->p));
	ASSERT_EQ(0, sp_select(fd, p, PARCLASS_SELECT_KEEP_PORT, 3, 0));
	EXPECT_EQ(3, selected(&self->p));
	EXPECT_EQ(-EINVAL, sp_select(fd, p, PARCLASS_SELECT_KEEP_PORT, 1,
				     100 * MS));
	EXPECT_EQ(-EINVAL, sp_select(fd, p, PARCLASS_SELECT_KEEP_PORT, 5, 0));
	EXPECT_EQ(0, pc_is_free(fd, obs));
	/* Without KEEP_PORT while holding: as ALLOCATE. */
	EXPECT_EQ(-EALREADY, sp_select(fd, p, 0, 2, 0));
	/* DESELECT with KEEP_PORT keeps the port. */
	ASSERT_EQ(0, sp_deselect(fd, p, PARCLASS_SELECT_KEEP_PORT));
	EXPECT_EQ(-1, selected(&self->p));
	EXPECT_EQ(0, pc_is_free(fd, obs));
	/* DESELECT takes no device, nothing reserved. */
	sel.token = p;
	sel.device = 1;
	EXPECT_EQ(-EINVAL, pc_ret(ioctl(fd, PARCLASS_IOC_DESELECT_DEVICE,
					&sel)));
	sel.device = 0;
	sel.timeout_ns = 1;
	EXPECT_EQ(-EINVAL, pc_ret(ioctl(fd, PARCLASS_IOC_DESELECT_DEVICE,
					&sel)));
	EXPECT_EQ(0, pc_is_free(fd, obs));
	ASSERT_EQ(0, sp_deselect(fd, p, 0));
	EXPECT_EQ(1, pc_is_free(fd, obs));
	EXPECT_EQ(-EPERM, sp_deselect(fd, p, 0));
	EXPECT_EQ(-EPERM, sp_deselect(fd, p, PARCLASS_SELECT_KEEP_PORT));

	/* SELECT waits for the port at most timeout_ns. */
	ASSERT_EQ(0, pc_try_allocate(fd, obs));
	EXPECT_EQ(-ETIMEDOUT, sp_select(fd, p, 0, 1, 200 * MS));
	EXPECT_EQ(-EPERM, pc_free(fd, p));
	ASSERT_EQ(0, pc_free(fd, obs));
}

/*
 * SELECT_DEVICE waits in the queue ALLOCATE waits in: behind a holder,
 * SELECTs and ALLOCATEs (of the port and of chain devices) get the port
 * in the order they asked.
 */
TEST_F(chain, select_device_queues_with_allocate_in_fifo_order)
{
	static const struct {
		enum op op;
		int daisy;	/* connect to this chain device, or -1 */
		__u32 device;	/* SELECT: the device */
		long long sel;	/* the device selected at the grant */
	} plan[] = {
		{ OP_SELECT, -1, 1, 1 },
		{ OP_ALLOCATE, -1, 0, -1 },
		{ OP_SELECT, -1, 3, 3 },
		{ OP_ALLOCATE, 2, 0, 2 },
		{ OP_SELECT, -1, 0, 0 },
	};
	struct job j[ARRAY_SIZE(plan)];
	int fd = self->p.fd;
	unsigned int i;
	__u64 h;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &h, NULL));
	ASSERT_EQ(0, pc_try_allocate(fd, h));
	atomic_store(&grant_seq, 0);
	memset(j, 0, sizeof(j));
	for (i = 0; i < ARRAY_SIZE(plan); i++) {
		j[i].fd = fd;
		j[i].op = plan[i].op;
		j[i].device = plan[i].device;
		j[i].release = 1;
		j[i].sim = self->p.name;
		ASSERT_EQ(0, sp_connect(fd, self->p.num,
					plan[i].daisy < 0 ? 0 :
					PARCLASS_CONNECT_DAISY,
					plan[i].daisy < 0 ? 0 : plan[i].daisy,
					&j[i].token, NULL));
		ASSERT_EQ(0, job_start(&j[i]));
		ASSERT_TRUE(wait_waiters(fd, h, i + 1, 2000))
			TH_LOG("waiter %u did not queue", i);
	}
	sim_sleep_ms(BLOCKED_MS);
	for (i = 0; i < ARRAY_SIZE(plan); i++)
		EXPECT_FALSE(atomic_load(&j[i].done));
	ASSERT_EQ(0, pc_free(fd, h));
	for (i = 0; i < ARRAY_SIZE(plan); i++) {
		ASSERT_TRUE(job_wait(&j[i], WAKE_MS)) TH_LOG("waiter %u", i);
		EXPECT_EQ(0, j[i].ret) TH_LOG("waiter %u", i);
		EXPECT_EQ((int)i, j[i].seq) TH_LOG("waiter %u", i);
		EXPECT_EQ(plan[i].sel, j[i].selected) TH_LOG("waiter %u", i);
	}
	EXPECT_EQ(1, pc_is_free(fd, h));
}

TEST_F(chain, a_blocking_select_device_ends_with_a_signal_or_cancel)
{
	struct job j = { .fd = self->p.fd, .op = OP_SELECT, .device = 2 };
	int fd = self->p.fd;
	__u64 h;

	ASSERT_EQ(0, catch_sigusr1());
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &j.token, NULL));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &h, NULL));
	ASSERT_EQ(0, pc_try_allocate(fd, h));

	ASSERT_EQ(0, job_start(&j));
	ASSERT_TRUE(wait_waiters(fd, h, 1, 2000));
	EXPECT_FALSE(job_wait(&j, BLOCKED_MS));
	ASSERT_EQ(0, pthread_kill(j.th, SIGUSR1));
	ASSERT_TRUE(job_wait(&j, 2000));
	EXPECT_EQ(-EINTR, j.ret);
	EXPECT_EQ(-EPERM, pc_free(fd, j.token));
	EXPECT_EQ(0, waiters_of(fd, h));

	ASSERT_EQ(0, job_start(&j));
	ASSERT_TRUE(wait_waiters(fd, h, 1, 2000));
	EXPECT_EQ(0, sp_cancel(fd, j.token));
	ASSERT_TRUE(job_wait(&j, 2000));
	EXPECT_EQ(-ECANCELED, j.ret);
	EXPECT_EQ(-ENOENT, sp_cancel(fd, j.token));
	ASSERT_EQ(0, pc_free(fd, h));
	EXPECT_EQ(1, pc_is_free(fd, h));
	EXPECT_EQ(-1, selected(&self->p));
}

TEST_F(chain, list_ports_daisy_lists_the_chain_after_its_port)
{
	static const unsigned int per_dev[PARCLASS_DAISY_MAX] = { 1, 2, 0, 3 };
	struct parclass_port_entry *e;
	int fd = self->p.fd;
	__u32 n0, n1, i, d, k, at = ~0U, ndaisy = 0;
	char want[32];
	__u64 t;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &t, NULL));
	for (d = 0; d < PARCLASS_DAISY_MAX; d++)
		for (k = 0; k < per_dev[d]; k++)
			ASSERT_EQ(0, sp_connect(fd, self->p.num,
						PARCLASS_CONNECT_DAISY, d,
						NULL, NULL));

	/* Without the flag: ports only. */
	e = list_ports(fd, 0, &n0);
	ASSERT_NE(NULL, e);
	for (i = 0; i < n0; i++) {
		EXPECT_FALSE(e[i].info.flags & PARCLASS_PORT_DAISY_DEVICE);
		if (e[i].info.number == (__u32)self->p.num)
			at = i;
	}
	ASSERT_NE(~0U, at);
	EXPECT_EQ(4, e[at].info.daisy_count);
	EXPECT_TRUE(e[at].info.hw_caps & PARCLASS_HW_1284_3_PRESENT);
	EXPECT_LE(1, e[at].sessions);
	free(e);

	/* With it: each port's chain devices right after it. */
	e = list_ports(fd, PARCLASS_LIST_PORTS_DAISY, &n1);
	ASSERT_NE(NULL, e);
	at = ~0U;
	for (i = 0; i < n1; i++) {
		if (e[i].info.flags & PARCLASS_PORT_DAISY_DEVICE)
			ndaisy++;
		else if (e[i].info.number == (__u32)self->p.num)
			at = i;
	}
	EXPECT_EQ(n0 + ndaisy, n1);
	ASSERT_NE(~0U, at);
	ASSERT_LE(at + 1 + PARCLASS_DAISY_MAX, n1);
	EXPECT_FALSE(e[at].info.flags & PARCLASS_PORT_DAISY_DEVICE);
	for (d = 0; d < PARCLASS_DAISY_MAX; d++) {
		struct parclass_port_entry *x = &e[at + 1 + d];

		EXPECT_TRUE(x->info.flags & PARCLASS_PORT_DAISY_DEVICE)
			TH_LOG("entry of device %u", d);
		EXPECT_EQ(self->p.num, x->info.number);
		EXPECT_EQ(d, x->info.daisy);
		EXPECT_EQ(4, x->info.daisy_count);
		snprintf(want, sizeof(want), "LPT%d.%u", self->p.num + 1, d);
		EXPECT_STREQ(want, x->info.location);
		EXPECT_EQ(per_dev[d], x->sessions) TH_LOG("device %u", d);
	}
	/* The next entry, if any, is another port. */
	if (at + 1 + PARCLASS_DAISY_MAX < n1)
		EXPECT_FALSE(e[at + 1 + PARCLASS_DAISY_MAX].info.flags &
			     PARCLASS_PORT_DAISY_DEVICE);
	free(e);
}

/*
 * Unplugging a chained port revokes the sessions of every chain device
 * and of the port, and ends the waits for it.
 */
TEST_F(chain, removal_revokes_every_device_session)
{
	struct job wa = { .fd = self->p.fd, .op = OP_ALLOCATE };
	struct job ws = { .fd = self->p.fd, .op = OP_SELECT, .device = 0 };
	__u64 s[PARCLASS_DAISY_MAX + 1];
	int fd = self->p.fd;
	unsigned int i;
	__u32 cur;

	for (i = 0; i < PARCLASS_DAISY_MAX; i++)
		ASSERT_EQ(0, sp_connect(fd, self->p.num, PARCLASS_CONNECT_DAISY,
					i, &s[i], NULL));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &s[PARCLASS_DAISY_MAX],
				NULL));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, PARCLASS_CONNECT_DAISY, 2,
				&wa.token, NULL));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &ws.token, NULL));
	ASSERT_EQ(0, pc_try_allocate(fd, s[1]));
	ASSERT_EQ(0, job_start(&wa));
	ASSERT_TRUE(wait_waiters(fd, s[1], 1, 2000));
	ASSERT_EQ(0, job_start(&ws));
	ASSERT_TRUE(wait_waiters(fd, s[1], 2, 2000));

	ASSERT_EQ(0, sim_puts(self->p.name, "plugged", "0"));
	ASSERT_TRUE(job_wait(&wa, WAKE_MS));
	ASSERT_TRUE(job_wait(&ws, WAKE_MS));
	EXPECT_EQ(-ENODEV, wa.ret);
	EXPECT_EQ(-ENODEV, ws.ret);

	for (i = 0; i <= PARCLASS_DAISY_MAX; i++) {
		__u64 t = s[i];

		EXPECT_EQ(-ENODEV, pc_is_free(fd, t)) TH_LOG("session %u", i);
		EXPECT_EQ(-ENODEV, pc_try_allocate(fd, t));
		EXPECT_EQ(-ENODEV, sp_async(fd, t));
		EXPECT_EQ(-ENODEV, sp_chip(fd, t, 0, 0, &cur));
		EXPECT_EQ(-ENODEV, sp_lock(fd, t, 0)) TH_LOG("session %u", i);
		EXPECT_EQ(-ENODEV, sp_unlock(fd, t, 0));
		EXPECT_EQ(-ENODEV, sp_daisy_init(fd, t, NULL));
		EXPECT_EQ(-ENODEV, sp_select(fd, t, 0, 0, 0));
		EXPECT_EQ(-ENODEV, sp_deselect(fd, t, 0));
		EXPECT_EQ(-ENODEV, sp_cancel(fd, t));
		EXPECT_EQ(-ENODEV, pc_interrupts(fd, t, 0, NULL));
		EXPECT_EQ(-ENODEV, pc_free(fd, t));
		EXPECT_EQ(0, pc_disconnect(fd, t));
	}
	EXPECT_EQ(0, pc_disconnect(fd, wa.token));
	EXPECT_EQ(0, pc_disconnect(fd, ws.token));
}

/* Asynchronous ALLOCATE and events */

TEST_F(plain, async_allocate_of_a_free_port_is_granted_at_once)
{
	int fd = self->p.fd;
	__u64 a, b;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &b, NULL));
	ASSERT_EQ(0, sp_async(fd, a));
	EXPECT_EQ(-EAGAIN, pc_try_allocate(fd, b));
	EXPECT_EQ(-EALREADY, sp_async(fd, a));
	EXPECT_EQ(-EALREADY, sp_cancel(fd, a));
	ASSERT_EQ(0, pc_free(fd, a));
	EXPECT_EQ(1, pc_is_free(fd, b));

	/* Not with TRY, and no timeout: the client cancels instead. */
	EXPECT_EQ(-EINVAL, pc_allocate(fd, a, PARCLASS_ALLOCATE_ASYNC |
				       PARCLASS_ALLOCATE_TRY, 0));
	EXPECT_EQ(-EINVAL, pc_allocate(fd, a, PARCLASS_ALLOCATE_ASYNC,
				       100 * MS));
	EXPECT_EQ(-EINVAL, pc_allocate(fd, a, PARCLASS_ALLOCATE_ASYNC |
				       PARCLASS_ALLOCATE_TRY, 100 * MS));
	EXPECT_EQ(-EPERM, pc_free(fd, a));
	EXPECT_EQ(1, pc_is_free(fd, b));
	/* The same while the port is busy: still refused, nothing queued. */
	ASSERT_EQ(0, pc_try_allocate(fd, b));
	EXPECT_EQ(-EINVAL, pc_allocate(fd, a, PARCLASS_ALLOCATE_ASYNC,
				       100 * MS));
	EXPECT_EQ(0, waiters_of(fd, b));
	EXPECT_EQ(-ENOENT, sp_cancel(fd, a));
}

TEST_F(plain, async_allocate_queues_and_reports_the_grant)
{
	struct parclass_event ev[4];
	int fdh = self->p.fd, fda;
	__u64 h, a, t0;
	ssize_t n;

	fda = pc_open();
	ASSERT_LE(0, fda);
	ASSERT_EQ(0, sp_connect(fdh, self->p.num, 0, 0, &h, NULL));
	ASSERT_EQ(0, sp_connect(fda, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, pc_try_allocate(fdh, h));

	ASSERT_EQ(-EINPROGRESS, sp_async(fda, a));
	EXPECT_EQ(1, waiters_of(fdh, h));
	EXPECT_FALSE(readable(fda, 0));
	/* Queued already: another ALLOCATE of the session is EALREADY. */
	EXPECT_EQ(-EALREADY, sp_async(fda, a));
	EXPECT_EQ(-EALREADY, pc_allocate(fda, a, 0, 100 * MS));
	EXPECT_EQ(-EALREADY, sp_lock(fda, a, 0));
	EXPECT_EQ(1, waiters_of(fdh, h));
	/* Waiting is not holding. */
	EXPECT_EQ(-EPERM, pc_free(fda, a));
	EXPECT_EQ(0, pc_is_free(fda, a));
	EXPECT_FALSE(readable(fda, BLOCKED_MS));

	t0 = now_ns();
	ASSERT_EQ(0, pc_free(fdh, h));
	ASSERT_TRUE(readable(fda, WAKE_MS));
	n = read(fda, ev, sizeof(ev));
	ASSERT_EQ((ssize_t)sizeof(ev[0]), n) TH_LOG("read: %zd (%s)", n,
						    strerror(errno));
	EXPECT_EQ(a, ev[0].token);
	EXPECT_EQ(PARCLASS_EVENT_GRANTED, ev[0].events);
	EXPECT_EQ(0, ev[0].interrupts);
	EXPECT_LE(t0, ev[0].timestamp_ns);
	EXPECT_GE(now_ns(), ev[0].timestamp_ns);
	/* read() cleared it. */
	EXPECT_FALSE(readable(fda, 0));

	/* The session holds the port. */
	EXPECT_EQ(-EAGAIN, pc_try_allocate(fdh, h));
	EXPECT_EQ(-EALREADY, sp_cancel(fda, a));
	EXPECT_EQ(0, waiters_of(fdh, h));
	EXPECT_EQ(0, pc_free(fda, a));
	EXPECT_EQ(1, pc_is_free(fdh, h));
	close(fda);
}

/* Async, blocking, async behind a holder: served in that order. */
TEST_F(plain, async_and_blocking_waiters_share_one_fifo)
{
	struct job b = { .op = OP_ALLOCATE };
	struct parclass_event ev;
	int fdh = self->p.fd, fda, fdb, fdc;
	__u64 h, a, c;

	fda = pc_open();
	fdb = pc_open();
	fdc = pc_open();
	ASSERT_LE(0, fda);
	ASSERT_LE(0, fdb);
	ASSERT_LE(0, fdc);
	b.fd = fdb;
	ASSERT_EQ(0, sp_connect(fdh, self->p.num, 0, 0, &h, NULL));
	ASSERT_EQ(0, sp_connect(fda, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, sp_connect(fdb, self->p.num, 0, 0, &b.token, NULL));
	ASSERT_EQ(0, sp_connect(fdc, self->p.num, 0, 0, &c, NULL));
	ASSERT_EQ(0, pc_try_allocate(fdh, h));

	ASSERT_EQ(-EINPROGRESS, sp_async(fda, a));
	ASSERT_EQ(0, job_start(&b));
	ASSERT_TRUE(wait_waiters(fdh, h, 2, 2000));
	ASSERT_EQ(-EINPROGRESS, sp_async(fdc, c));
	EXPECT_EQ(3, waiters_of(fdh, h));

	/* First the first async one. */
	ASSERT_EQ(0, pc_free(fdh, h));
	ASSERT_TRUE(readable(fda, WAKE_MS));
	ASSERT_EQ((ssize_t)sizeof(ev), read(fda, &ev, sizeof(ev)));
	EXPECT_EQ(a, ev.token);
	EXPECT_EQ(PARCLASS_EVENT_GRANTED, ev.events);
	EXPECT_FALSE(job_wait(&b, BLOCKED_MS));
	EXPECT_FALSE(readable(fdc, 0));

	/* Then the blocking one. */
	ASSERT_EQ(0, pc_free(fda, a));
	ASSERT_TRUE(job_wait(&b, WAKE_MS));
	EXPECT_EQ(0, b.ret);
	EXPECT_FALSE(readable(fdc, BLOCKED_MS));
	EXPECT_EQ(-EAGAIN, pc_try_allocate(fda, a));

	/* Then the second async one. */
	ASSERT_EQ(0, pc_free(fdb, b.token));
	ASSERT_TRUE(readable(fdc, WAKE_MS));
	ASSERT_EQ((ssize_t)sizeof(ev), read(fdc, &ev, sizeof(ev)));
	EXPECT_EQ(c, ev.token);
	EXPECT_EQ(PARCLASS_EVENT_GRANTED, ev.events);
	EXPECT_EQ(0, pc_free(fdc, c));
	/* Nobody got an event meant for another. */
	EXPECT_FALSE(readable(fda, 0));
	EXPECT_FALSE(readable(fdb, 0));
	close(fda);
	close(fdb);
	close(fdc);
}

TEST_F(plain, cancel_withdraws_a_queued_async_allocate_for_good)
{
	struct parclass_event ev;
	int fdh = self->p.fd, fda, fdb;
	__u64 h, a, b;

	fda = pc_open();
	fdb = pc_open();
	ASSERT_LE(0, fda);
	ASSERT_LE(0, fdb);
	ASSERT_EQ(0, sp_connect(fdh, self->p.num, 0, 0, &h, NULL));
	ASSERT_EQ(0, sp_connect(fda, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, sp_connect(fdb, self->p.num, 0, 0, &b, NULL));
	ASSERT_EQ(0, pc_try_allocate(fdh, h));
	ASSERT_EQ(-EINPROGRESS, sp_async(fda, a));
	ASSERT_EQ(-EINPROGRESS, sp_async(fdb, b));
	EXPECT_EQ(2, waiters_of(fdh, h));

	EXPECT_EQ(0, sp_cancel(fda, a));
	EXPECT_EQ(1, waiters_of(fdh, h));
	EXPECT_EQ(-ENOENT, sp_cancel(fda, a));

	/* The next waiter gets the port; the cancelled one never does. */
	ASSERT_EQ(0, pc_free(fdh, h));
	ASSERT_TRUE(readable(fdb, WAKE_MS));
	ASSERT_EQ((ssize_t)sizeof(ev), read(fdb, &ev, sizeof(ev)));
	EXPECT_EQ(b, ev.token);
	EXPECT_EQ(PARCLASS_EVENT_GRANTED, ev.events);
	EXPECT_FALSE(readable(fda, BLOCKED_MS));
	EXPECT_EQ(-EPERM, pc_free(fda, a));
	ASSERT_EQ(0, pc_free(fdb, b));
	EXPECT_EQ(1, pc_is_free(fdh, h));
	EXPECT_FALSE(readable(fda, BLOCKED_MS));
	EXPECT_EQ(-EPERM, pc_free(fda, a));
	EXPECT_EQ(-ENOENT, sp_cancel(fda, a));
	/* It can ask again. */
	ASSERT_EQ(0, sp_async(fda, a));
	EXPECT_EQ(0, pc_free(fda, a));
	close(fda);
	close(fdb);
}

TEST_F(plain, cancel_when_idle_or_holding)
{
	int fd = self->p.fd;
	__u64 a;

	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &a, NULL));
	EXPECT_EQ(-ENOENT, sp_cancel(fd, a));
	ASSERT_EQ(0, pc_try_allocate(fd, a));
	EXPECT_EQ(-EALREADY, sp_cancel(fd, a));
	/* It still holds the port. */
	EXPECT_EQ(0, pc_free(fd, a));
	EXPECT_EQ(-ENOENT, sp_cancel(fd, a));
}

TEST_F(plain, cancel_ends_a_blocking_allocate_with_ecanceled)
{
	struct job j = { .op = OP_ALLOCATE };
	int fdh = self->p.fd;
	__u64 h;

	j.fd = pc_open();
	ASSERT_LE(0, j.fd);
	ASSERT_EQ(0, sp_connect(fdh, self->p.num, 0, 0, &h, NULL));
	ASSERT_EQ(0, sp_connect(j.fd, self->p.num, 0, 0, &j.token, NULL));
	ASSERT_EQ(0, pc_try_allocate(fdh, h));
	ASSERT_EQ(0, job_start(&j));
	ASSERT_TRUE(wait_waiters(fdh, h, 1, 2000));
	EXPECT_FALSE(job_wait(&j, BLOCKED_MS));
	/* From another thread, through another file's view of the same one. */
	EXPECT_EQ(0, sp_cancel(j.fd, j.token));
	ASSERT_TRUE(job_wait(&j, 2000));
	EXPECT_EQ(-ECANCELED, j.ret);
	EXPECT_EQ(0, waiters_of(fdh, h));
	EXPECT_EQ(-EPERM, pc_free(j.fd, j.token));
	ASSERT_EQ(0, pc_free(fdh, h));
	EXPECT_EQ(1, pc_is_free(fdh, h));
	EXPECT_EQ(-EPERM, pc_free(j.fd, j.token));
	close(j.fd);
}

TEST_F(plain, close_or_disconnect_before_the_grant_leaves_nothing_held)
{
	int fdh = self->p.fd, fda;
	__u64 h, a, b;

	ASSERT_EQ(0, sp_connect(fdh, self->p.num, 0, 0, &h, NULL));
	ASSERT_EQ(0, sp_connect(fdh, self->p.num, 0, 0, &b, NULL));
	ASSERT_EQ(0, pc_try_allocate(fdh, h));

	fda = pc_open();
	ASSERT_LE(0, fda);
	ASSERT_EQ(0, sp_connect(fda, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(-EINPROGRESS, sp_async(fda, a));
	EXPECT_EQ(1, waiters_of(fdh, h));
	close(fda);
	EXPECT_TRUE(wait_waiters(fdh, h, 0, 1000));
	ASSERT_EQ(0, pc_free(fdh, h));
	EXPECT_EQ(1, pc_is_free(fdh, b));
	ASSERT_EQ(0, pc_try_allocate(fdh, b));
	ASSERT_EQ(0, pc_free(fdh, b));

	ASSERT_EQ(0, pc_try_allocate(fdh, h));
	fda = pc_open();
	ASSERT_LE(0, fda);
	ASSERT_EQ(0, sp_connect(fda, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(-EINPROGRESS, sp_async(fda, a));
	ASSERT_EQ(0, pc_disconnect(fda, a));
	EXPECT_EQ(0, waiters_of(fdh, h));
	ASSERT_EQ(0, pc_free(fdh, h));
	EXPECT_FALSE(readable(fda, BLOCKED_MS));
	ASSERT_EQ(0, pc_try_allocate(fdh, b));
	ASSERT_EQ(0, pc_free(fdh, b));
	EXPECT_EQ(-ESTALE, sp_cancel(fda, a));
	close(fda);
}

TEST_F(plain, removal_before_the_grant_is_reported)
{
	struct parclass_event ev[4];
	int fdh = self->p.fd, fda, i, n, seen = 0;
	__u64 h, a;

	fda = pc_open();
	ASSERT_LE(0, fda);
	ASSERT_EQ(0, sp_connect(fdh, self->p.num, 0, 0, &h, NULL));
	ASSERT_EQ(0, sp_connect(fda, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, pc_try_allocate(fdh, h));
	ASSERT_EQ(-EINPROGRESS, sp_async(fda, a));

	ASSERT_EQ(0, sim_puts(self->p.name, "plugged", "0"));
	ASSERT_TRUE(readable(fda, WAKE_MS));
	n = take_events(fda, ev, ARRAY_SIZE(ev));
	ASSERT_LT(0, n);
	for (i = 0; i < n; i++) {
		EXPECT_EQ(a, ev[i].token);
		EXPECT_FALSE(ev[i].events & PARCLASS_EVENT_GRANTED);
		if (ev[i].events & PARCLASS_EVENT_REMOVED)
			seen++;
	}
	EXPECT_EQ(1, seen);
	EXPECT_EQ(-ENODEV, sp_async(fda, a));
	EXPECT_EQ(-ENODEV, sp_cancel(fda, a));
	EXPECT_EQ(-ENODEV, pc_free(fda, a));
	EXPECT_EQ(0, pc_disconnect(fda, a));
	close(fda);
}

TEST_F(plain, read_needs_room_for_a_record_and_waits_for_events)
{
	struct job r = { .op = OP_READ };
	struct parclass_event ev[2];
	unsigned char small[sizeof(struct parclass_event)];
	int fd = self->p.fd, fdh, flags;
	__u64 a, h, t0;

	ASSERT_EQ(0, catch_sigusr1());
	fdh = pc_open();
	ASSERT_LE(0, fdh);
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, sp_connect(fdh, self->p.num, 0, 0, &h, NULL));

	/* O_NONBLOCK without events: EAGAIN. */
	flags = fcntl(fd, F_GETFL);
	ASSERT_EQ(0, fcntl(fd, F_SETFL, flags | O_NONBLOCK));
	errno = 0;
	EXPECT_EQ(-1, read(fd, ev, sizeof(ev)));
	EXPECT_EQ(EAGAIN, errno);
	ASSERT_EQ(0, fcntl(fd, F_SETFL, flags));

	/* Too small for one record, blocking, no events: EINVAL at once. */
	r.fd = fd;
	r.read_len = sizeof(struct parclass_event) - 1;
	ASSERT_EQ(0, job_start(&r));
	if (!job_wait(&r, 1000)) {
		pthread_kill(r.th, SIGUSR1);
		job_wait(&r, 2000);
		EXPECT_TRUE(0) TH_LOG("a too small read() waited for events");
	}
	EXPECT_EQ(-EINVAL, r.ret);

	/* A blocking read() waits, and a signal ends it. */
	r.read_len = sizeof(struct parclass_event);
	ASSERT_EQ(0, job_start(&r));
	EXPECT_FALSE(job_wait(&r, BLOCKED_MS));
	t0 = now_ns();
	ASSERT_EQ(0, pthread_kill(r.th, SIGUSR1));
	ASSERT_TRUE(job_wait(&r, 2000));
	EXPECT_EQ(-EINTR, r.ret);
	EXPECT_GT(1000 * MS, now_ns() - t0);

	/* And a grant ends it with the record. */
	ASSERT_EQ(0, pc_try_allocate(fdh, h));
	ASSERT_EQ(-EINPROGRESS, sp_async(fd, a));
	ASSERT_EQ(0, job_start(&r));
	EXPECT_FALSE(job_wait(&r, BLOCKED_MS));
	ASSERT_EQ(0, pc_free(fdh, h));
	ASSERT_TRUE(job_wait(&r, WAKE_MS));
	EXPECT_EQ((ssize_t)sizeof(struct parclass_event), r.nread);
	EXPECT_EQ(a, r.ev.token);
	EXPECT_EQ(PARCLASS_EVENT_GRANTED, r.ev.events);
	ASSERT_EQ(0, pc_free(fd, a));

	/* Too small with an event pending: EINVAL, and the event stays. */
	ASSERT_EQ(0, pc_try_allocate(fdh, h));
	ASSERT_EQ(-EINPROGRESS, sp_async(fd, a));
	ASSERT_EQ(0, pc_free(fdh, h));
	ASSERT_TRUE(readable(fd, WAKE_MS));
	errno = 0;
	EXPECT_EQ(-1, read(fd, small, sizeof(small) - 1));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_TRUE(readable(fd, 0));
	ASSERT_EQ((ssize_t)sizeof(ev[0]), read(fd, ev, sizeof(ev)));
	EXPECT_EQ(a, ev[0].token);
	EXPECT_EQ(PARCLASS_EVENT_GRANTED, ev[0].events);
	ASSERT_EQ(0, pc_free(fd, a));
	close(fdh);
}

/* read() returns one record per session with events, as many as fit. */
TEST_F(plain, read_returns_a_record_per_session)
{
	struct parclass_event ev[3];
	unsigned char room[sizeof(ev[0]) * 3 / 2];
	int fd = self->p.fd, fdh;
	__u64 a, b, h;
	ssize_t n;

	fdh = pc_open();
	ASSERT_LE(0, fdh);
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &b, NULL));
	ASSERT_EQ(0, sp_connect(fdh, self->p.num, 0, 0, &h, NULL));
	ASSERT_EQ(0, pc_try_allocate(fdh, h));
	ASSERT_EQ(-EINPROGRESS, sp_async(fd, a));
	ASSERT_EQ(-EINPROGRESS, sp_async(fd, b));
	ASSERT_EQ(0, pc_free(fdh, h));
	ASSERT_TRUE(readable(fd, WAKE_MS));
	/* a holds; give it to b, whose grant is reported too. */
	ASSERT_EQ(0, pc_free(fd, a));
	ASSERT_TRUE(wait_waiters(fdh, h, 0, 2000));
	EXPECT_EQ(-EAGAIN, pc_try_allocate(fdh, h));

	/* Room for one and a half: one record. */
	n = read(fd, room, sizeof(room));
	ASSERT_EQ((ssize_t)sizeof(ev[0]), n);
	memcpy(&ev[0], room, sizeof(ev[0]));
	ASSERT_TRUE(readable(fd, 0));
	n = read(fd, &ev[1], 2 * sizeof(ev[0]));
	ASSERT_EQ((ssize_t)sizeof(ev[0]), n);
	EXPECT_FALSE(readable(fd, 0));
	EXPECT_NE(ev[0].token, ev[1].token);
	EXPECT_TRUE(ev[0].token == a || ev[0].token == b);
	EXPECT_TRUE(ev[1].token == a || ev[1].token == b);
	EXPECT_EQ(PARCLASS_EVENT_GRANTED, ev[0].events);
	EXPECT_EQ(PARCLASS_EVENT_GRANTED, ev[1].events);
	ASSERT_EQ(0, pc_free(fd, b));

	/* Two pending at once come back in one read() with room for both. */
	ASSERT_EQ(0, pc_try_allocate(fdh, h));
	ASSERT_EQ(-EINPROGRESS, sp_async(fd, a));
	ASSERT_EQ(-EINPROGRESS, sp_async(fd, b));
	ASSERT_EQ(0, pc_free(fdh, h));
	ASSERT_TRUE(readable(fd, WAKE_MS));
	ASSERT_EQ(0, pc_free(fd, a));
	ASSERT_TRUE(wait_waiters(fdh, h, 0, 2000));
	sim_sleep_ms(50);
	n = read(fd, ev, sizeof(ev));
	EXPECT_EQ((ssize_t)(2 * sizeof(ev[0])), n);
	ASSERT_EQ(0, pc_free(fd, b));
	/* Events of a session vanish with its DISCONNECT. */
	ASSERT_EQ(0, pc_try_allocate(fdh, h));
	ASSERT_EQ(-EINPROGRESS, sp_async(fd, a));
	ASSERT_EQ(0, pc_free(fdh, h));
	ASSERT_TRUE(readable(fd, WAKE_MS));
	ASSERT_EQ(0, pc_disconnect(fd, a));
	EXPECT_FALSE(readable(fd, 0));
	close(fdh);
}

/*
 * An event-driven client: one thread queues for the port, keeps using
 * the same file for other requests, and learns of the grant by poll().
 */
TEST_F(plain, an_event_driven_client_needs_one_thread)
{
	struct parclass_version v = { .size = sizeof(v) };
	struct parclass_port_entry *e;
	struct parclass_event ev;
	int fd = self->p.fd, fdh;
	__u64 w, h, x;
	__u32 n;

	fdh = pc_open();
	ASSERT_LE(0, fdh);
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &w, NULL));
	ASSERT_EQ(0, sp_connect(fdh, self->p.num, 0, 0, &h, NULL));
	ASSERT_EQ(0, pc_try_allocate(fdh, h));
	ASSERT_EQ(-EINPROGRESS, sp_async(fd, w));

	/* Meanwhile, on the same file, in the same thread. */
	EXPECT_EQ(0, ioctl(fd, PARCLASS_IOC_GET_VERSION, &v));
	EXPECT_EQ(0, pc_is_free(fd, w));
	EXPECT_EQ(1, waiters_of(fd, w));
	EXPECT_EQ(PARCLASS_CHIP_MODE_INITIAL, chip_of(fd, w));
	e = list_ports(fd, PARCLASS_LIST_PORTS_DAISY, &n);
	EXPECT_NE(NULL, e);
	free(e);
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &x, NULL));
	EXPECT_EQ(-EAGAIN, pc_try_allocate(fd, x));
	EXPECT_EQ(0, pc_disconnect(fd, x));
	EXPECT_FALSE(readable(fd, 0));

	ASSERT_EQ(0, pc_free(fdh, h));
	ASSERT_TRUE(readable(fd, WAKE_MS));
	ASSERT_EQ((ssize_t)sizeof(ev), read(fd, &ev, sizeof(ev)));
	EXPECT_EQ(w, ev.token);
	EXPECT_EQ(PARCLASS_EVENT_GRANTED, ev.events);
	EXPECT_EQ(0, pc_free(fd, w));
	close(fdh);
}

/* Interrupts */

TEST_F(irq, enable_needs_allow_interrupts)
{
	struct parclass_port_info info;
	int fd = self->p.fd;
	__u32 n;
	__u64 a;

	ASSERT_EQ(0, pc_file_put(IRQ_PARAM, "0"));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &a, &info));
	EXPECT_TRUE(info.flags & PARCLASS_PORT_HAS_IRQ);
	EXPECT_EQ(atoi(SIM_IRQ), info.irq);
	EXPECT_EQ(-EACCES, pc_interrupts(fd, a, PARCLASS_INTERRUPTS_ENABLE,
					 &n));
	EXPECT_EQ(0xdeadbeef, n);
	EXPECT_EQ(-ENOENT, pc_interrupts(fd, a, PARCLASS_INTERRUPTS_DISABLE,
					 NULL));
	ASSERT_EQ(0, pc_interrupts(fd, a, 0, &n));
	EXPECT_EQ(0, n);

	ASSERT_EQ(0, pc_file_put(IRQ_PARAM, "1"));
	ASSERT_EQ(0, pc_interrupts(fd, a, PARCLASS_INTERRUPTS_ENABLE, &n));
	EXPECT_EQ(0, n);
	ASSERT_EQ(0, pc_interrupts(fd, a, PARCLASS_INTERRUPTS_DISABLE, &n));
	EXPECT_EQ(0, n);
	EXPECT_EQ(-ENOENT, pc_interrupts(fd, a, PARCLASS_INTERRUPTS_DISABLE,
					 NULL));
	EXPECT_EQ(-EINVAL, pc_interrupts(fd, a, PARCLASS_INTERRUPTS_ENABLE |
					 PARCLASS_INTERRUPTS_DISABLE, NULL));
	EXPECT_EQ(-EINVAL, pc_interrupts(fd, a, 1U << 2, NULL));
	/* The refused requests changed nothing. */
	EXPECT_EQ(-ENOENT, pc_interrupts(fd, a, PARCLASS_INTERRUPTS_DISABLE,
					 NULL));
}

TEST_F(plain, enable_on_a_port_without_an_interrupt_is_enxio)
{
	struct parclass_port_info info;
	int fd = self->p.fd;
	__u64 a;

	ASSERT_EQ(0, pc_file_put(IRQ_PARAM, "1"));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &a, &info));
	EXPECT_FALSE(info.flags & PARCLASS_PORT_HAS_IRQ);
	EXPECT_EQ(-ENXIO, pc_interrupts(fd, a, PARCLASS_INTERRUPTS_ENABLE,
					NULL));
	EXPECT_EQ(-ENOENT, pc_interrupts(fd, a, PARCLASS_INTERRUPTS_DISABLE,
					 NULL));
	ASSERT_EQ(0, pc_try_allocate(fd, a));
	EXPECT_EQ(-ENXIO, pc_interrupts(fd, a, PARCLASS_INTERRUPTS_ENABLE,
					NULL));
}

/* Wait until parport_sim has delivered @want interrupts in all. */
static int sim_irqs_reach(const char *sim, long long want, unsigned int ms)
{
	__u64 end = now_ns() + ms * MS;

	do {
		if (sim_state(sim, "irqs") >= want)
			return 1;
		sim_sleep_ms(5);
	} while (now_ns() < end);
	return 0;
}

TEST_F(irq, nack_pulses_are_counted_reported_and_cleared)
{
	const unsigned int k = 5;
	struct parclass_event ev;
	int fd = self->p.fd, bad = 0;
	long long base;
	unsigned int i;
	__u64 a, got, t0;
	__u32 n;

	ASSERT_EQ(0, pc_file_put(IRQ_PARAM, "1"));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, pc_interrupts(fd, a, PARCLASS_INTERRUPTS_ENABLE, NULL));
	ASSERT_EQ(0, pc_try_allocate(fd, a));
	drain_irqs(fd, a, 100);
	ASSERT_EQ(0, pc_interrupts(fd, a, 0, &n));
	EXPECT_EQ(0, n);
	EXPECT_FALSE(readable(fd, 0));

	/* By read(): the first makes the file readable. */
	t0 = now_ns();
	for (i = 0; i < k; i++)
		ASSERT_EQ(0, sim_puts(self->p.name, "interrupt", "1"));
	ASSERT_TRUE(readable(fd, WAKE_MS));
	ASSERT_EQ((ssize_t)sizeof(ev), read(fd, &ev, sizeof(ev)));
	EXPECT_EQ(a, ev.token);
	EXPECT_EQ(PARCLASS_EVENT_INTERRUPT, ev.events);
	EXPECT_LE(1, ev.interrupts);
	EXPECT_LE(t0, ev.timestamp_ns);
	EXPECT_GE(now_ns(), ev.timestamp_ns);
	got = ev.interrupts;
	got += collect_irqs(fd, a, k - got, WAKE_MS, &bad);
	EXPECT_EQ(k, got);
	EXPECT_EQ(0, bad);
	/* No more than were pulsed. */
	EXPECT_EQ(0, drain_irqs(fd, a, 200));
	ASSERT_EQ(0, pc_interrupts(fd, a, 0, &n));
	EXPECT_EQ(0, n);

	/* By INTERRUPTS without flags, which clears the count. */
	base = sim_state(self->p.name, "irqs");
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, sim_puts(self->p.name, "interrupt", "1"));
	ASSERT_TRUE(sim_irqs_reach(self->p.name, base + 3, WAKE_MS));
	sim_sleep_ms(50);
	ASSERT_EQ(0, pc_interrupts(fd, a, 0, &n));
	EXPECT_EQ(3, n);
	ASSERT_EQ(0, pc_interrupts(fd, a, 0, &n));
	EXPECT_EQ(0, n);
	/* What the request reported, read() does not report again. */
	EXPECT_EQ(0, drain_irqs(fd, a, 100));

	/* After DISABLE nothing is counted. */
	ASSERT_EQ(0, pc_interrupts(fd, a, PARCLASS_INTERRUPTS_DISABLE, NULL));
	for (i = 0; i < 3; i++)
		ASSERT_EQ(0, sim_puts(self->p.name, "interrupt", "1"));
	EXPECT_EQ(0, drain_irqs(fd, a, 300));
	ASSERT_EQ(0, pc_interrupts(fd, a, 0, &n));
	EXPECT_EQ(0, n);
}

/* Only an enabled session that holds the port counts its interrupts. */
TEST_F(irq, only_the_enabled_holder_counts)
{
	int fda = self->p.fd, fdb, bad = 0;
	unsigned int i;
	__u64 a, b;
	__u32 n;

	ASSERT_EQ(0, pc_file_put(IRQ_PARAM, "1"));
	fdb = pc_open();
	ASSERT_LE(0, fdb);
	ASSERT_EQ(0, sp_connect(fda, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, sp_connect(fdb, self->p.num, 0, 0, &b, NULL));
	ASSERT_EQ(0, pc_interrupts(fda, a, PARCLASS_INTERRUPTS_ENABLE, NULL));

	/* b holds without counting: nobody gets anything. */
	ASSERT_EQ(0, pc_try_allocate(fdb, b));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, sim_puts(self->p.name, "interrupt", "1"));
	sim_sleep_ms(300);
	EXPECT_FALSE(readable(fda, 0));
	EXPECT_FALSE(readable(fdb, 0));
	ASSERT_EQ(0, pc_interrupts(fda, a, 0, &n));
	EXPECT_EQ(0, n);
	ASSERT_EQ(0, pc_interrupts(fdb, b, 0, &n));
	EXPECT_EQ(0, n);

	/* b counts too now and holds: b gets them, a does not. */
	ASSERT_EQ(0, pc_interrupts(fdb, b, PARCLASS_INTERRUPTS_ENABLE, NULL));
	drain_irqs(fdb, b, 100);
	ASSERT_EQ(0, pc_interrupts(fdb, b, 0, NULL));
	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, sim_puts(self->p.name, "interrupt", "1"));
	EXPECT_EQ(4, collect_irqs(fdb, b, 4, WAKE_MS, &bad));
	EXPECT_EQ(0, drain_irqs(fdb, b, 200));
	EXPECT_FALSE(readable(fda, 0));
	ASSERT_EQ(0, pc_interrupts(fda, a, 0, &n));
	EXPECT_EQ(0, n);

	/* The port passes to a: a counts, b no longer. */
	ASSERT_EQ(0, pc_free(fdb, b));
	ASSERT_EQ(0, pc_try_allocate(fda, a));
	drain_irqs(fda, a, 100);
	ASSERT_EQ(0, pc_interrupts(fda, a, 0, NULL));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, sim_puts(self->p.name, "interrupt", "1"));
	EXPECT_EQ(2, collect_irqs(fda, a, 2, WAKE_MS, &bad));
	EXPECT_EQ(0, drain_irqs(fda, a, 200));
	EXPECT_FALSE(readable(fdb, 0));
	ASSERT_EQ(0, pc_interrupts(fdb, b, 0, &n));
	EXPECT_EQ(0, n);
	EXPECT_EQ(0, bad);

	/* Nobody holds: nothing is counted. */
	ASSERT_EQ(0, pc_free(fda, a));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, sim_puts(self->p.name, "interrupt", "1"));
	EXPECT_EQ(0, drain_irqs(fda, a, 300));
	ASSERT_EQ(0, pc_interrupts(fda, a, 0, &n));
	EXPECT_EQ(0, n);
	close(fdb);
}

/* The peripheral's nAck after each byte of a compatibility WRITE. */
TEST_F(irq, compat_write_acknowledgements_are_counted)
{
	static const char data[] = "0123456789abcdef";
	const unsigned int len = sizeof(data) - 1;
	char fwd[64];
	int fd = self->p.fd, bad = 0;
	__u32 written, n;
	__u64 a;

	ASSERT_EQ(0, pc_file_put(IRQ_PARAM, "1"));
	ASSERT_EQ(0, sp_connect(fd, self->p.num, 0, 0, &a, NULL));
	ASSERT_EQ(0, pc_interrupts(fd, a, PARCLASS_INTERRUPTS_ENABLE, NULL));
	ASSERT_EQ(0, pc_try_allocate(fd, a));
	drain_irqs(fd, a, 100);
	ASSERT_EQ(0, pc_interrupts(fd, a, 0, NULL));
	ASSERT_EQ(0, sim_puts(self->p.name, "forward", "0"));

	ASSERT_EQ(0, pc_write(fd, a, data, len, 2000 * MS, &written));
	EXPECT_EQ(len, written);
	ASSERT_EQ((ssize_t)len, sim_get(self->p.name, "forward", fwd,
					sizeof(fwd)));
	EXPECT_EQ(0, memcmp(data, fwd, len));
	EXPECT_EQ(len, collect_irqs(fd, a, len, WAKE_MS, &bad));
	EXPECT_EQ(0, drain_irqs(fd, a, 200));
	EXPECT_EQ(0, bad);
	ASSERT_EQ(0, pc_interrupts(fd, a, 0, &n));
	EXPECT_EQ(0, n);
}

TEST_HARNESS_MAIN
