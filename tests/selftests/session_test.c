// SPDX-License-Identifier: GPL-2.0
/*
 * session_test: the session and arbitration commands of /dev/parclass.
 *
 * CONNECT, DISCONNECT, ALLOCATE, FREE, IS_PORT_FREE, QUERY_NUM_WAITERS and
 * LIST_PORTS, checked against include/uapi/linux/parclass.h: the port
 * information, every documented error, which tokens are valid (live,
 * disconnected, forged, another file's, inherited), waiting in
 * first-come, first-served order, giving a wait up by timeout, signal or
 * DISCONNECT without ever being granted the port afterwards, hand-over on
 * FREE, on close() and on process death, the size, flags and reserved
 * rules of every command, and the session limits set by the module
 * parameters max_sessions and max_sessions_per_file.
 *
 * Waiters run in fork()ed children that share the parent's open file (or
 * open their own) and report through their exit status. Every wait is
 * bounded, so a bug fails a test instead of hanging the guest.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/parclass.h>
#include <linux/parport.h>
#include <linux/ppdev.h>

#include "kselftest_harness.h"

#define PC_DEV		"/dev/parclass"
#define PC_PARAMS	"/sys/module/parclass/parameters/"
#define NO_SUCH_PORT	4000

#define NSEC_PER_MSEC	1000000ULL
/* How long a blocked waiter is given to prove that it stays blocked. */
#define BLOCKED_MS	300
/* How long to wait for something that must happen soon. */
#define SETTLE_MS	5000
/* A child that is still alive after this long is killed by SIGALRM. */
#define CHILD_ALARM_S	20

/* Exit codes of a waiter child besides 0 and an errno value. */
#define EXIT_PIPE	200
#define EXIT_FREE	201
/* ctx_reap(): a signal killed the child (plus its number), or it hung. */
#define REAPED_SIGNAL	1000
#define REAPED_HUNG	(-1)

#define MAX_KIDS	16
#define FIFO_WAITERS	8

/* ------------------------------------------------------------------ */
/* The commands, as 0 or -errno. */

static int pc_open(void)
{
	return open(PC_DEV, O_RDWR | O_CLOEXEC);
}

static int pc_ioctl(int fd, unsigned long request, void *arg)
{
	return ioctl(fd, request, arg) ? -errno : 0;
}

static int pc_connect(int fd, __u32 port, __u64 *token)
{
	struct parclass_connect c = { .size = sizeof(c), .port = port };
	int ret = pc_ioctl(fd, PARCLASS_IOC_CONNECT, &c);

	if (!ret && token)
		*token = c.token;
	return ret;
}

static int pc_disconnect(int fd, __u64 token)
{
	struct parclass_disconnect d = { .size = sizeof(d), .token = token };

	return pc_ioctl(fd, PARCLASS_IOC_DISCONNECT, &d);
}

static int pc_allocate(int fd, __u64 token, __u32 flags, __u64 timeout_ns)
{
	struct parclass_allocate a = {
		.size = sizeof(a),
		.flags = flags,
		.token = token,
		.timeout_ns = timeout_ns,
	};

	return pc_ioctl(fd, PARCLASS_IOC_ALLOCATE, &a);
}

static int pc_try(int fd, __u64 token)
{
	return pc_allocate(fd, token, PARCLASS_ALLOCATE_TRY, 0);
}

static int pc_free(int fd, __u64 token)
{
	struct parclass_free f = { .size = sizeof(f), .token = token };

	return pc_ioctl(fd, PARCLASS_IOC_FREE, &f);
}

/* IS_PORT_FREE's answer (0 or 1), or -errno. */
static int pc_is_free(int fd, __u64 token)
{
	struct parclass_port_free p = { .size = sizeof(p), .token = token };
	int ret = pc_ioctl(fd, PARCLASS_IOC_IS_PORT_FREE, &p);

	return ret ?: (int)p.is_free;
}

/* QUERY_NUM_WAITERS's parclass waiters, or -errno. */
static int pc_waiters(int fd, __u64 token)
{
	struct parclass_num_waiters n = { .size = sizeof(n), .token = token };
	int ret = pc_ioctl(fd, PARCLASS_IOC_QUERY_NUM_WAITERS, &n);

	return ret ?: (int)n.waiters;
}

static int pc_list(int fd, void *entries, __u32 count, __u32 entry_size,
		   __u32 *total)
{
	struct parclass_list_ports l = {
		.size = sizeof(l),
		.count = count,
		.entry_size = entry_size,
		.entries = (uintptr_t)entries,
	};
	int ret = pc_ioctl(fd, PARCLASS_IOC_LIST_PORTS, &l);

	if (!ret && total)
		*total = l.count;
	return ret;
}

/* @n sessions in @fd, on port @i & @port_mask for the i-th. */
static int connect_many(int fd, __u32 port_mask, __u64 *token, int n)
{
	int i, ret = 0;

	for (i = 0; i < n && !ret; i++)
		ret = pc_connect(fd, i & port_mask, &token[i]);
	return ret;
}

/* LIST_PORTS's entry for port @number, or -errno (-ENOENT if unlisted). */
static int pc_entry(int fd, __u32 number, struct parclass_port_entry *e)
{
	struct parclass_port_entry all[8];
	__u32 total, i;
	int ret;

	ret = pc_list(fd, all, ARRAY_SIZE(all), sizeof(all[0]), &total);
	if (ret)
		return ret;
	for (i = 0; i < total && i < ARRAY_SIZE(all); i++) {
		if (all[i].info.number == number) {
			*e = all[i];
			return 0;
		}
	}
	return -ENOENT;
}

/* Connected sessions on every port, or -errno. */
static int pc_total_sessions(int fd)
{
	struct parclass_port_entry all[8];
	__u32 total, i;
	int ret, n = 0;

	ret = pc_list(fd, all, ARRAY_SIZE(all), sizeof(all[0]), &total);
	if (ret)
		return ret;
	for (i = 0; i < total && i < ARRAY_SIZE(all); i++)
		n += all[i].sessions;
	return n;
}

/*
 * Every session command with @token: -1 if each one failed with ESTALE,
 * else the index in stale_cmds[] of the first that did not.
 */
static const char * const stale_cmds[] = {
	"ALLOCATE(TRY)", "ALLOCATE(1 ms)", "FREE", "IS_PORT_FREE",
	"QUERY_NUM_WAITERS", "DISCONNECT",
};

static int not_stale(int fd, __u64 token)
{
	if (pc_try(fd, token) != -ESTALE)
		return 0;
	if (pc_allocate(fd, token, 0, NSEC_PER_MSEC) != -ESTALE)
		return 1;
	if (pc_free(fd, token) != -ESTALE)
		return 2;
	if (pc_is_free(fd, token) != -ESTALE)
		return 3;
	if (pc_waiters(fd, token) != -ESTALE)
		return 4;
	if (pc_disconnect(fd, token) != -ESTALE)
		return 5;
	return -1;
}

/* ------------------------------------------------------------------ */
/* Time, files, module parameters. */

static __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Read @len bytes from @fd within @ms; return how many arrived. */
static size_t read_within(int fd, void *buf, size_t len, unsigned int ms)
{
	__u64 end = now_ns() + ms * NSEC_PER_MSEC;
	struct pollfd p = { .fd = fd, .events = POLLIN };
	size_t got = 0;
	ssize_t r;

	while (got < len && now_ns() < end) {
		if (poll(&p, 1, 10) <= 0)
			continue;
		r = read(fd, (char *)buf + got, len - got);
		if (r <= 0)
			break;
		got += r;
	}
	return got;
}

/* The first line of a small file, without its newline; -errno on error. */
static int read_line(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

static int param_read(const char *name, unsigned int *val)
{
	char path[128], buf[32];
	int ret;

	snprintf(path, sizeof(path), PC_PARAMS "%s", name);
	ret = read_line(path, buf, sizeof(buf));
	if (ret)
		return ret;
	*val = strtoul(buf, NULL, 10);
	return 0;
}

static int param_write(const char *name, unsigned int val)
{
	char path[128], buf[32];
	int fd, len, ret = 0;

	snprintf(path, sizeof(path), PC_PARAMS "%s", name);
	len = snprintf(buf, sizeof(buf), "%u\n", val);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (write(fd, buf, len) != len)
		ret = -errno ?: -EIO;
	close(fd);
	return ret;
}

/* A number from /proc/sys/dev/parport/parport<port>/<file>, field @field. */
static long parport_proc(__u32 port, const char *file, int field)
{
	char path[96], buf[64], *p = buf, *end;
	long val = 0;
	int i;

	snprintf(path, sizeof(path), "/proc/sys/dev/parport/parport%u/%s",
		 port, file);
	if (read_line(path, buf, sizeof(buf)))
		return -2;
	for (i = 0; i <= field; i++) {
		val = strtol(p, &end, 10);
		if (end == p)
			return -2;
		p = end;
	}
	return val;
}

static bool all_zero(const void *buf, size_t len)
{
	const unsigned char *p = buf;

	while (len--)
		if (*p++)
			return false;
	return true;
}

static bool all_byte(const void *buf, size_t len, unsigned char byte)
{
	const unsigned char *p = buf;

	while (len--)
		if (*p++ != byte)
			return false;
	return true;
}

/* A NUL-terminated string field whose bytes after the NUL are all zero. */
static bool clean_string(const char *s, size_t len)
{
	size_t n = strnlen(s, len);

	return n < len && all_zero(s + n, len - n);
}

/* ------------------------------------------------------------------ */
/* Children: fds and pids a test must clean up whatever happens. */

struct ctx {
	int fd[3];
	pid_t kids[MAX_KIDS];
};

static void ctx_init(struct ctx *c)
{
	int i;

	memset(c, 0, sizeof(*c));
	for (i = 0; i < 3; i++)
		c->fd[i] = -1;
}

static void ctx_forget(struct ctx *c, pid_t pid)
{
	int i;

	for (i = 0; i < MAX_KIDS; i++)
		if (c->kids[i] == pid)
			c->kids[i] = 0;
}

static void ctx_cleanup(struct ctx *c)
{
	int i;

	for (i = 0; i < MAX_KIDS; i++) {
		if (c->kids[i] > 0) {
			kill(c->kids[i], SIGKILL);
			waitpid(c->kids[i], NULL, 0);
		}
	}
	for (i = 0; i < 3; i++)
		if (c->fd[i] >= 0)
			close(c->fd[i]);
	ctx_init(c);
}

/* fork(); the parent records the child. */
static pid_t ctx_fork(struct ctx *c)
{
	pid_t pid = fork();
	int i;

	if (pid > 0) {
		for (i = 0; i < MAX_KIDS && c->kids[i]; i++)
			;
		if (i < MAX_KIDS)
			c->kids[i] = pid;
	} else if (pid == 0) {
		alarm(CHILD_ALARM_S);
	}
	return pid;
}

/*
 * Reap a child within @ms: its exit status, REAPED_SIGNAL plus the
 * signal that killed it, or REAPED_HUNG when it had to be killed.
 */
static int ctx_reap(struct ctx *c, pid_t pid, unsigned int ms)
{
	__u64 end = now_ns() + ms * NSEC_PER_MSEC;
	int status;
	pid_t r;

	while ((r = waitpid(pid, &status, WNOHANG)) == 0 && now_ns() < end)
		sleep_ms(2);
	if (r == 0) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
	}
	ctx_forget(c, pid);
	if (r != pid)
		return REAPED_HUNG;
	if (WIFSIGNALED(status))
		return REAPED_SIGNAL + WTERMSIG(status);
	return WEXITSTATUS(status);
}

/* The child still runs (it is not reaped). */
static bool running(pid_t pid)
{
	siginfo_t si = { 0 };

	if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT))
		return false;
	return si.si_pid == 0;
}

static void on_signal(int sig)
{
	(void)sig;
}

struct waiter {
	int fd;
	__u64 token;
	__u64 timeout_ns;	/* ALLOCATE's; 0 waits for ever */
	int sa_flags;		/* of the child's SIGUSR1 handler */
	int pipe;		/* once granted, write @tag here; -1: don't */
	int drop_fd;		/* close this fd first (with @drop) */
	bool drop;
	char tag;
	bool release;		/* once granted, hold @hold_ms, then FREE */
	unsigned int hold_ms;
};

/*
 * A child that waits in ALLOCATE. It exits with 0 once granted (and, with
 * @release, freed again), with the errno ALLOCATE failed with, or with
 * EXIT_PIPE or EXIT_FREE.
 */
static pid_t start_waiter(struct ctx *c, const struct waiter *w)
{
	struct sigaction sa = { .sa_handler = on_signal };
	pid_t pid;
	int ret;

	pid = ctx_fork(c);
	if (pid)
		return pid;
	if (w->drop)
		close(w->drop_fd);
	sa.sa_flags = w->sa_flags;
	sigaction(SIGUSR1, &sa, NULL);
	ret = pc_allocate(w->fd, w->token, 0, w->timeout_ns);
	if (ret)
		_exit(-ret);
	if (w->pipe >= 0 && write(w->pipe, &w->tag, 1) != 1)
		_exit(EXIT_PIPE);
	if (w->release) {
		sleep_ms(w->hold_ms);
		if (pc_free(w->fd, w->token))
			_exit(EXIT_FREE);
	}
	_exit(0);
}

/* A waiter that keeps the port once granted. */
static pid_t start_simple_waiter(struct ctx *c, int fd, __u64 token,
				 __u64 timeout_ns)
{
	struct waiter w = {
		.fd = fd,
		.token = token,
		.timeout_ns = timeout_ns,
		.pipe = -1,
	};

	return start_waiter(c, &w);
}

/* Wait up to SETTLE_MS for QUERY_NUM_WAITERS to say @n; return its answer. */
static int wait_waiters(int fd, __u64 token, int n)
{
	__u64 end = now_ns() + SETTLE_MS * NSEC_PER_MSEC;
	int w;

	while ((w = pc_waiters(fd, token)) != n && now_ns() < end)
		sleep_ms(1);
	return w;
}

/* ------------------------------------------------------------------ */
/* One open file, sessions and children made by the test itself. */

FIXTURE(pc) {
	struct ctx c;
};

FIXTURE_SETUP(pc)
{
	ctx_init(&self->c);
	self->c.fd[0] = pc_open();
	ASSERT_LE(0, self->c.fd[0]) TH_LOG("open %s: %s", PC_DEV,
					   strerror(errno));
}

FIXTURE_TEARDOWN(pc)
{
	ctx_cleanup(&self->c);
}

/* Check what CONNECT says about port @n against the parport core. */
static void check_info(struct __test_metadata *_metadata,
		       const struct parclass_port_info *info, __u32 n)
{
	const __u32 *word = (const __u32 *)info;
	int garbage = 0;
	char want[32];
	long irq, dma;
	size_t i;

	EXPECT_EQ(n, info->number);
	snprintf(want, sizeof(want), "parport%u", n);
	EXPECT_STREQ(want, info->name);
	snprintf(want, sizeof(want), "LPT%u", n + 1);
	EXPECT_STREQ(want, info->location);
	EXPECT_TRUE(clean_string(info->name, sizeof(info->name)));
	EXPECT_TRUE(clean_string(info->location, sizeof(info->location)));

	/* parport_pc's ports: the base is an I/O port number. */
	EXPECT_TRUE(info->flags & PARCLASS_PORT_BASE_IO);
	EXPECT_NE(0, info->base);
	EXPECT_GE(0xffff, info->base);
	EXPECT_EQ(parport_proc(n, "base-addr", 0), (long)info->base);
	EXPECT_NE(0, info->span);
	if (info->flags & PARCLASS_PORT_HAS_ECR)
		EXPECT_EQ(parport_proc(n, "base-addr", 1),
			  (long)info->base_hi);
	irq = parport_proc(n, "irq", 0);
	EXPECT_EQ(irq >= 0, !!(info->flags & PARCLASS_PORT_HAS_IRQ));
	if (irq >= 0)
		EXPECT_EQ(irq, (long)info->irq);
	dma = parport_proc(n, "dma", 0);
	EXPECT_EQ(dma >= 0, !!(info->flags & PARCLASS_PORT_HAS_DMA));
	if (dma >= 0)
		EXPECT_EQ(dma, (long)info->dma);
	EXPECT_EQ(0, info->flags & ~(PARCLASS_PORT_HAS_IRQ |
				     PARCLASS_PORT_HAS_DMA |
				     PARCLASS_PORT_HAS_ECR |
				     PARCLASS_PORT_BASE_IO));

	EXPECT_TRUE(info->modes & PARPORT_MODE_PCSPP);
	EXPECT_TRUE(info->modes & PARPORT_MODE_TRISTATE);
	EXPECT_TRUE(info->hw_caps & PARCLASS_HW_BYTE_PRESENT);
	EXPECT_FALSE(info->hw_caps & (PARCLASS_HW_ECP_PRESENT |
				      PARCLASS_HW_EPP_PRESENT |
				      PARCLASS_HW_EPP_32_PRESENT |
				      PARCLASS_HW_1284_3_PRESENT));
	/* QEMU's LPTs have no IEEE 1284.3 chain. */
	EXPECT_EQ(0, info->daisy_count);
	EXPECT_EQ(0, info->daisy);

	/* No word up to the strings kept the caller's garbage. */
	for (i = 0; i < offsetof(struct parclass_port_info, name) / 4; i++)
		garbage += word[i] == 0xa5a5a5a5u;
	EXPECT_EQ(0, garbage);
}

TEST_F(pc, connect_reports_the_port)
{
	struct parclass_connect c;
	__u32 n;

	for (n = 0; n < 2; n++) {
		memset(&c, 0xa5, sizeof(c));
		c.size = sizeof(c);
		c.flags = 0;
		c.port = n;
		c.daisy = 0;
		ASSERT_EQ(0, pc_ioctl(self->c.fd[0], PARCLASS_IOC_CONNECT, &c));
		EXPECT_NE(0, c.token);
		EXPECT_NE(0xa5a5a5a5a5a5a5a5ULL, c.token);
		EXPECT_EQ(sizeof(c), c.size);
		EXPECT_EQ(0, c.flags);
		EXPECT_EQ(n, c.port);
		EXPECT_EQ(0, c.daisy);
		check_info(_metadata, &c.info, n);
		EXPECT_EQ(0, pc_disconnect(self->c.fd[0], c.token));
	}
}

TEST_F(pc, allocate_free_disconnect)
{
	int fd = self->c.fd[0];
	__u64 t;

	ASSERT_EQ(0, pc_connect(fd, 0, &t));
	EXPECT_EQ(1, pc_is_free(fd, t));
	ASSERT_EQ(0, pc_try(fd, t));
	EXPECT_EQ(0, pc_is_free(fd, t));
	EXPECT_EQ(0, pc_free(fd, t));
	EXPECT_EQ(1, pc_is_free(fd, t));
	/* A waiting ALLOCATE of a free port returns at once. */
	EXPECT_EQ(0, pc_allocate(fd, t, 0, 0));
	EXPECT_EQ(0, pc_free(fd, t));
	EXPECT_EQ(0, pc_disconnect(fd, t));
}

/* ------------------------------------------------------------------ */
/* Each error of the session commands. */

TEST_F(pc, connect_to_missing_port_is_enodev)
{
	const __u32 bad[] = { NO_SUCH_PORT, 2, 0xffffffffu };
	int before = pc_total_sessions(self->c.fd[0]);
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-ENODEV, pc_connect(self->c.fd[0], bad[i], NULL))
			TH_LOG("port %u", bad[i]);
	}
	EXPECT_EQ(before, pc_total_sessions(self->c.fd[0]));
}

TEST_F(pc, allocate_twice_is_ealready)
{
	int fd = self->c.fd[0];
	__u64 t;

	ASSERT_EQ(0, pc_connect(fd, 0, &t));
	ASSERT_EQ(0, pc_try(fd, t));
	EXPECT_EQ(-EALREADY, pc_try(fd, t));
	EXPECT_EQ(-EALREADY, pc_allocate(fd, t, 0, 0));
	EXPECT_EQ(-EALREADY, pc_allocate(fd, t, 0, 100 * NSEC_PER_MSEC));
	/* Still the holder. */
	EXPECT_EQ(0, pc_free(fd, t));
}

TEST_F(pc, free_without_holding_is_eperm)
{
	int fd = self->c.fd[0];
	__u64 t;

	ASSERT_EQ(0, pc_connect(fd, 0, &t));
	EXPECT_EQ(-EPERM, pc_free(fd, t));
	ASSERT_EQ(0, pc_try(fd, t));
	EXPECT_EQ(0, pc_free(fd, t));
	EXPECT_EQ(-EPERM, pc_free(fd, t));
}

TEST_F(pc, is_port_free_only_when_nobody_holds)
{
	int fd = self->c.fd[0];
	__u64 a, b;

	ASSERT_EQ(0, pc_connect(fd, 0, &a));
	ASSERT_EQ(0, pc_connect(fd, 0, &b));
	EXPECT_EQ(1, pc_is_free(fd, a));
	EXPECT_EQ(1, pc_is_free(fd, b));
	ASSERT_EQ(0, pc_try(fd, a));
	EXPECT_EQ(0, pc_is_free(fd, a));
	EXPECT_EQ(0, pc_is_free(fd, b));
	/* Asking does not claim the port. */
	EXPECT_EQ(-EAGAIN, pc_try(fd, b));
	EXPECT_EQ(0, pc_free(fd, a));
	EXPECT_EQ(1, pc_is_free(fd, b));
	EXPECT_EQ(0, pc_try(fd, b));
	EXPECT_EQ(0, pc_free(fd, b));
}

/* ------------------------------------------------------------------ */
/* Which tokens are valid. */

TEST_F(pc, disconnected_token_is_estale_for_ever)
{
	int fd = self->c.fd[0];
	__u64 old, other, t;
	int bad;

	ASSERT_EQ(0, pc_connect(fd, 0, &old));
	ASSERT_EQ(0, pc_connect(fd, 0, &other));
	ASSERT_EQ(0, pc_try(fd, old));
	/* DISCONNECT frees the port the session holds. */
	ASSERT_EQ(0, pc_disconnect(fd, old));
	EXPECT_EQ(1, pc_is_free(fd, other));
	bad = not_stale(fd, old);
	EXPECT_EQ(-1, bad) TH_LOG("%s", stale_cmds[bad]);

	/* New sessions in the file do not bring the old token back. */
	ASSERT_EQ(0, pc_connect(fd, 0, &t));
	EXPECT_NE(old, t);
	bad = not_stale(fd, old);
	EXPECT_EQ(-1, bad) TH_LOG("%s", stale_cmds[bad]);
	EXPECT_EQ(0, pc_try(fd, t));
	EXPECT_EQ(0, pc_waiters(fd, t));
	EXPECT_EQ(0, pc_free(fd, t));
	EXPECT_EQ(0, pc_disconnect(fd, other));
	ASSERT_EQ(0, pc_connect(fd, 1, &other));
	bad = not_stale(fd, old);
	EXPECT_EQ(-1, bad) TH_LOG("%s", stale_cmds[bad]);
	EXPECT_EQ(0, pc_disconnect(fd, t));
	EXPECT_EQ(0, pc_disconnect(fd, other));
}

static __u64 splitmix64(__u64 *state)
{
	__u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

TEST_F(pc, forged_token_is_estale)
{
	int fd = self->c.fd[0];
	__u64 forged[16 + 64], t, seed;
	size_t i, n = 0;
	int bad;

	ASSERT_EQ(0, pc_connect(fd, 0, &t));
	forged[n++] = t ^ 1;
	forged[n++] = t ^ 2;
	forged[n++] = t + (1ULL << 24);
	forged[n++] = t - (1ULL << 24);
	forged[n++] = t ^ (1ULL << 40);
	forged[n++] = t ^ (1ULL << 63);
	forged[n++] = t & 0xffffff;
	forged[n++] = t & 0xffffffffffULL;
	forged[n++] = 0;
	forged[n++] = ~0ULL;
	seed = now_ns() ^ getpid();
	while (n < ARRAY_SIZE(forged))
		forged[n++] = splitmix64(&seed);

	for (i = 0; i < n; i++) {
		if (forged[i] == t)
			continue;
		bad = not_stale(fd, forged[i]);
		EXPECT_EQ(-1, bad) TH_LOG("token %#llx: %s",
					  (unsigned long long)forged[i],
					  stale_cmds[bad]);
	}
	/* None of that touched the real session. */
	EXPECT_EQ(0, pc_try(fd, t));
	EXPECT_EQ(0, pc_free(fd, t));
	EXPECT_EQ(0, pc_disconnect(fd, t));
}

TEST_F(pc, token_of_another_open_is_estale)
{
	int fd = self->c.fd[0], fd2;
	__u64 t, t2;
	int bad;

	fd2 = pc_open();
	ASSERT_LE(0, fd2);
	self->c.fd[1] = fd2;
	ASSERT_EQ(0, pc_connect(fd, 0, &t));
	/* fd2 has a session in the same slot, with another token. */
	ASSERT_EQ(0, pc_connect(fd2, 0, &t2));
	bad = not_stale(fd2, t);
	EXPECT_EQ(-1, bad) TH_LOG("%s", stale_cmds[bad]);
	bad = not_stale(fd, t2);
	EXPECT_EQ(-1, bad) TH_LOG("%s", stale_cmds[bad]);
	EXPECT_EQ(0, pc_try(fd, t));
	EXPECT_EQ(0, pc_free(fd, t));
	EXPECT_EQ(0, pc_try(fd2, t2));
	EXPECT_EQ(0, pc_free(fd2, t2));
}

TEST_F(pc, token_in_child_with_own_open_is_estale)
{
	int fd = self->c.fd[0];
	pid_t pid;
	__u64 t;

	ASSERT_EQ(0, pc_connect(fd, 0, &t));
	pid = ctx_fork(&self->c);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int own = pc_open();

		if (own < 0 || pc_connect(own, 0, NULL))
			_exit(100);
		_exit(not_stale(own, t) + 1);
	}
	EXPECT_EQ(0, ctx_reap(&self->c, pid, SETTLE_MS));
	/* The child's DISCONNECT through its own file left t alone. */
	EXPECT_EQ(0, pc_try(fd, t));
	EXPECT_EQ(0, pc_free(fd, t));
}

TEST_F(pc, inherited_and_dup_fd_share_sessions)
{
	int fd = self->c.fd[0], dfd, pfd[2];
	__u64 t, ct = 0;
	pid_t pid;

	ASSERT_EQ(0, pc_connect(fd, 0, &t));
	ASSERT_EQ(0, pipe(pfd));
	self->c.fd[2] = pfd[0];
	pid = ctx_fork(&self->c);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (pc_try(fd, t) || pc_is_free(fd, t) || pc_free(fd, t))
			_exit(1);
		/* A session the child makes belongs to the shared file too. */
		if (pc_connect(fd, 1, &ct) ||
		    write(pfd[1], &ct, sizeof(ct)) != sizeof(ct))
			_exit(2);
		_exit(0);
	}
	close(pfd[1]);
	EXPECT_EQ(0, ctx_reap(&self->c, pid, SETTLE_MS));
	ASSERT_EQ(sizeof(ct), read_within(pfd[0], &ct, sizeof(ct), SETTLE_MS));
	EXPECT_EQ(0, pc_try(fd, ct));
	EXPECT_EQ(0, pc_free(fd, ct));
	EXPECT_EQ(0, pc_disconnect(fd, ct));

	dfd = dup(fd);
	ASSERT_LE(0, dfd);
	self->c.fd[1] = dfd;
	EXPECT_EQ(0, pc_try(dfd, t));
	EXPECT_EQ(0, pc_free(fd, t));
	EXPECT_EQ(0, pc_disconnect(dfd, t));
	EXPECT_EQ(-ESTALE, pc_disconnect(fd, t));
}

/* ------------------------------------------------------------------ */
/* Two sessions on port 0, A holding it; B in the same file or another. */

FIXTURE(pair) {
	struct ctx c;
	int fda, fdb;
	__u64 a, b;
};

FIXTURE_VARIANT(pair) {
	bool two_files;
};

FIXTURE_VARIANT_ADD(pair, same_file) {
	.two_files = false,
};

FIXTURE_VARIANT_ADD(pair, two_files) {
	.two_files = true,
};

FIXTURE_SETUP(pair)
{
	ctx_init(&self->c);
	self->c.fd[0] = pc_open();
	ASSERT_LE(0, self->c.fd[0]);
	self->fda = self->c.fd[0];
	self->fdb = self->fda;
	if (variant->two_files) {
		self->c.fd[1] = pc_open();
		ASSERT_LE(0, self->c.fd[1]);
		self->fdb = self->c.fd[1];
	}
	ASSERT_EQ(0, pc_connect(self->fda, 0, &self->a));
	ASSERT_EQ(0, pc_connect(self->fdb, 0, &self->b));
	ASSERT_EQ(0, pc_try(self->fda, self->a));
}

FIXTURE_TEARDOWN(pair)
{
	ctx_cleanup(&self->c);
}

TEST_F(pair, try_while_held_is_eagain)
{
	EXPECT_EQ(-EAGAIN, pc_try(self->fdb, self->b));
	/* A failed TRY never queues. */
	EXPECT_EQ(0, pc_waiters(self->fdb, self->b));
	EXPECT_EQ(-EPERM, pc_free(self->fdb, self->b));
	EXPECT_EQ(0, pc_free(self->fda, self->a));
	EXPECT_EQ(0, pc_try(self->fdb, self->b));
	EXPECT_EQ(-EAGAIN, pc_try(self->fda, self->a));
	EXPECT_EQ(0, pc_free(self->fdb, self->b));
}

TEST_F(pair, timeout_is_etimedout)
{
	__u64 start, ms;

	start = now_ns();
	EXPECT_EQ(-ETIMEDOUT, pc_allocate(self->fdb, self->b, 0,
					  200 * NSEC_PER_MSEC));
	ms = (now_ns() - start) / NSEC_PER_MSEC;
	EXPECT_LE(190, ms);
	EXPECT_GT(2000, ms);
	EXPECT_EQ(0, pc_waiters(self->fdb, self->b));
	EXPECT_EQ(-EPERM, pc_free(self->fdb, self->b));
	EXPECT_EQ(0, pc_free(self->fda, self->a));
}

TEST_F(pair, blocked_until_holder_frees)
{
	pid_t pid;

	pid = start_simple_waiter(&self->c, self->fdb, self->b, 0);
	ASSERT_LE(0, pid);
	ASSERT_EQ(1, wait_waiters(self->fda, self->a, 1));
	sleep_ms(BLOCKED_MS);
	EXPECT_TRUE(running(pid)) TH_LOG("ALLOCATE returned while held");
	EXPECT_EQ(1, pc_waiters(self->fda, self->a));

	ASSERT_EQ(0, pc_free(self->fda, self->a));
	EXPECT_EQ(0, ctx_reap(&self->c, pid, SETTLE_MS));
	/* B holds the port now (its child is gone, its file is not). */
	EXPECT_EQ(0, pc_waiters(self->fda, self->a));
	EXPECT_EQ(-EAGAIN, pc_try(self->fda, self->a));
	EXPECT_EQ(0, pc_free(self->fdb, self->b));
}

TEST_F(pair, ealready_while_waiting_in_another_thread)
{
	pid_t pid;

	pid = start_simple_waiter(&self->c, self->fdb, self->b, 0);
	ASSERT_LE(0, pid);
	ASSERT_EQ(1, wait_waiters(self->fda, self->a, 1));
	EXPECT_EQ(-EALREADY, pc_try(self->fdb, self->b));
	EXPECT_EQ(-EALREADY, pc_allocate(self->fdb, self->b, 0,
					 10 * NSEC_PER_MSEC));
	EXPECT_EQ(1, pc_waiters(self->fda, self->a));
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	EXPECT_EQ(EINTR, ctx_reap(&self->c, pid, SETTLE_MS));
}

static void check_signal(struct __test_metadata *_metadata,
			 struct _test_data_pair *self, int sa_flags)
{
	struct waiter w = {
		.fd = self->fdb,
		.token = self->b,
		.sa_flags = sa_flags,
		.pipe = -1,
	};
	pid_t pid;

	pid = start_waiter(&self->c, &w);
	ASSERT_LE(0, pid);
	ASSERT_EQ(1, wait_waiters(self->fda, self->a, 1));
	ASSERT_EQ(0, kill(pid, SIGUSR1));
	EXPECT_EQ(EINTR, ctx_reap(&self->c, pid, SETTLE_MS));

	/* B is still connected, and neither holds nor waits. */
	EXPECT_EQ(0, pc_waiters(self->fdb, self->b));
	EXPECT_EQ(-EPERM, pc_free(self->fdb, self->b));
	EXPECT_EQ(-EAGAIN, pc_try(self->fdb, self->b));
	ASSERT_EQ(0, pc_free(self->fda, self->a));
	EXPECT_EQ(0, pc_try(self->fdb, self->b));
	EXPECT_EQ(0, pc_free(self->fdb, self->b));
}

TEST_F(pair, signal_interrupts_wait)
{
	check_signal(_metadata, self, 0);
}

/* EINTR even with SA_RESTART: ALLOCATE is never restarted. */
TEST_F(pair, signal_interrupts_wait_despite_sa_restart)
{
	check_signal(_metadata, self, SA_RESTART);
}

TEST_F(pair, disconnect_ends_wait_with_estale)
{
	pid_t pid;
	int bad;

	pid = start_simple_waiter(&self->c, self->fdb, self->b, 0);
	ASSERT_LE(0, pid);
	ASSERT_EQ(1, wait_waiters(self->fda, self->a, 1));
	ASSERT_EQ(0, pc_disconnect(self->fdb, self->b));
	EXPECT_EQ(ESTALE, ctx_reap(&self->c, pid, SETTLE_MS));
	EXPECT_EQ(0, pc_waiters(self->fda, self->a));
	bad = not_stale(self->fdb, self->b);
	EXPECT_EQ(-1, bad) TH_LOG("%s", stale_cmds[bad]);
	EXPECT_EQ(0, pc_free(self->fda, self->a));
}

/* ------------------------------------------------------------------ */
/* The port is never granted to a waiter that gave up. */

FIXTURE(give_up) {
	struct ctx c;
	__u64 a, b, c2;
};

FIXTURE_VARIANT(give_up) {
	bool by_signal;		/* else by timeout */
	bool next_waiter;	/* C waits behind B */
	__u64 timeout_ms;	/* B's, without a signal */
};

FIXTURE_VARIANT_ADD(give_up, timeout_then_next) {
	.by_signal = false,
	.next_waiter = true,
	/* Long enough for C to queue behind B before B gives up. */
	.timeout_ms = 600,
};

FIXTURE_VARIANT_ADD(give_up, signal_then_next) {
	.by_signal = true,
	.next_waiter = true,
};

FIXTURE_VARIANT_ADD(give_up, timeout_alone) {
	.by_signal = false,
	.next_waiter = false,
	.timeout_ms = 150,
};

FIXTURE_VARIANT_ADD(give_up, signal_alone) {
	.by_signal = true,
	.next_waiter = false,
};

FIXTURE_SETUP(give_up)
{
	int fd;

	ctx_init(&self->c);
	fd = pc_open();
	ASSERT_LE(0, fd);
	self->c.fd[0] = fd;
	ASSERT_EQ(0, pc_connect(fd, 0, &self->a));
	ASSERT_EQ(0, pc_connect(fd, 0, &self->b));
	ASSERT_EQ(0, pc_connect(fd, 0, &self->c2));
	ASSERT_EQ(0, pc_try(fd, self->a));
}

FIXTURE_TEARDOWN(give_up)
{
	ctx_cleanup(&self->c);
}

TEST_F(give_up, port_never_goes_to_a_waiter_that_gave_up)
{
	int fd = self->c.fd[0], queued = 1;
	pid_t kb, kc = 0;

	/* B queues first, so it is ahead of C until it gives up. */
	kb = start_simple_waiter(&self->c, fd, self->b,
				 variant->timeout_ms * NSEC_PER_MSEC);
	ASSERT_LE(0, kb);
	ASSERT_EQ(1, wait_waiters(fd, self->a, 1));
	if (variant->next_waiter) {
		kc = start_simple_waiter(&self->c, fd, self->c2, 0);
		ASSERT_LE(0, kc);
		ASSERT_EQ(2, wait_waiters(fd, self->a, 2))
			TH_LOG("B gave up before C queued");
		queued = 2;
	}
	EXPECT_EQ(queued, pc_waiters(fd, self->a));

	if (variant->by_signal) {
		ASSERT_EQ(0, kill(kb, SIGUSR1));
		EXPECT_EQ(EINTR, ctx_reap(&self->c, kb, SETTLE_MS));
	} else {
		EXPECT_EQ(ETIMEDOUT, ctx_reap(&self->c, kb, SETTLE_MS));
	}
	EXPECT_EQ(queued - 1, wait_waiters(fd, self->a, queued - 1));
	ASSERT_EQ(0, pc_free(fd, self->a));

	if (variant->next_waiter) {
		/* C got the port; B, ahead of it in line, did not. */
		EXPECT_EQ(0, ctx_reap(&self->c, kc, SETTLE_MS));
		EXPECT_EQ(-EPERM, pc_free(fd, self->b));
		EXPECT_EQ(0, pc_is_free(fd, self->b));
		EXPECT_EQ(-EAGAIN, pc_try(fd, self->b));
		EXPECT_EQ(0, pc_free(fd, self->c2));
	} else {
		/* Nobody got it. */
		EXPECT_EQ(1, pc_is_free(fd, self->b));
		EXPECT_EQ(-EPERM, pc_free(fd, self->b));
	}
	/* B is still a working session. */
	EXPECT_EQ(0, pc_try(fd, self->b));
	EXPECT_EQ(0, pc_free(fd, self->b));
}

/* ------------------------------------------------------------------ */
/* Hand-over: in arrival order, on close(), on process death. */

TEST_F(pc, waiters_get_the_port_in_arrival_order)
{
	int fd = self->c.fd[0], pfd[2], k;
	__u64 a, t[FIFO_WAITERS];
	char order[FIFO_WAITERS];
	pid_t pid[FIFO_WAITERS];

	ASSERT_EQ(0, pc_connect(fd, 0, &a));
	ASSERT_EQ(0, connect_many(fd, 0, t, FIFO_WAITERS));
	ASSERT_EQ(0, pipe(pfd));
	self->c.fd[1] = pfd[0];
	self->c.fd[2] = pfd[1];
	ASSERT_EQ(0, pc_try(fd, a));

	for (k = 0; k < FIFO_WAITERS; k++) {
		struct waiter w = {
			.fd = fd,
			.token = t[k],
			.pipe = pfd[1],
			.tag = k,
			.release = true,
			.hold_ms = 20,
		};

		pid[k] = start_waiter(&self->c, &w);
		ASSERT_LE(0, pid[k]);
		ASSERT_EQ(k + 1, wait_waiters(fd, a, k + 1));
	}
	ASSERT_EQ(0, pc_free(fd, a));

	ASSERT_EQ(FIFO_WAITERS, read_within(pfd[0], order, sizeof(order),
					    SETTLE_MS));
	for (k = 0; k < FIFO_WAITERS; k++) {
		EXPECT_EQ(k, order[k]);
		EXPECT_EQ(0, ctx_reap(&self->c, pid[k], SETTLE_MS));
	}
	EXPECT_EQ(0, pc_waiters(fd, a));
	EXPECT_EQ(1, pc_is_free(fd, a));
}

TEST_F(pc, close_while_holding_hands_port_to_next_waiter)
{
	struct waiter w = { .pipe = -1, .drop = true };
	int fd2;
	__u64 a, b;
	pid_t pid;

	fd2 = pc_open();
	ASSERT_LE(0, fd2);
	self->c.fd[1] = fd2;
	ASSERT_EQ(0, pc_connect(self->c.fd[0], 0, &a));
	ASSERT_EQ(0, pc_connect(fd2, 0, &b));
	ASSERT_EQ(0, pc_try(self->c.fd[0], a));
	/* The child must not keep the holder's file open. */
	w.fd = fd2;
	w.token = b;
	w.drop_fd = self->c.fd[0];
	pid = start_waiter(&self->c, &w);
	ASSERT_LE(0, pid);
	ASSERT_EQ(1, wait_waiters(fd2, b, 1));

	close(self->c.fd[0]);
	self->c.fd[0] = -1;
	EXPECT_EQ(0, ctx_reap(&self->c, pid, SETTLE_MS));
	EXPECT_EQ(0, pc_free(fd2, b));
}

FIXTURE(death) {
	struct ctx c;
};

FIXTURE_VARIANT(death) {
	bool killed;	/* SIGKILL, else _exit() */
};

FIXTURE_VARIANT_ADD(death, exits) {
	.killed = false,
};

FIXTURE_VARIANT_ADD(death, killed) {
	.killed = true,
};

FIXTURE_SETUP(death)
{
	ctx_init(&self->c);
	self->c.fd[0] = pc_open();
	ASSERT_LE(0, self->c.fd[0]);
}

FIXTURE_TEARDOWN(death)
{
	ctx_cleanup(&self->c);
}

TEST_F(death, holder_dies_without_freeing)
{
	int fd = self->c.fd[0], up[2], go[2], ret;
	__u64 t, end;
	pid_t pid;
	char ok;

	ASSERT_EQ(0, pc_connect(fd, 0, &t));
	ASSERT_EQ(0, pipe(up));
	self->c.fd[1] = up[0];
	ASSERT_EQ(0, pipe(go));
	self->c.fd[2] = go[1];
	pid = ctx_fork(&self->c);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int own = pc_open();
		__u64 ct;

		close(fd);
		close(go[1]);
		if (own < 0 || pc_connect(own, 0, &ct) || pc_try(own, ct))
			_exit(1);
		/* Holding: tell the parent, then die when it says so. */
		if (write(up[1], "h", 1) != 1 || read(go[0], &ok, 1) != 1)
			_exit(2);
		_exit(0);
	}
	close(up[1]);
	close(go[0]);
	ASSERT_EQ(1, read_within(up[0], &ok, 1, SETTLE_MS));
	EXPECT_EQ(-EAGAIN, pc_try(fd, t));
	if (variant->killed) {
		ASSERT_EQ(0, kill(pid, SIGKILL));
		EXPECT_EQ(REAPED_SIGNAL + SIGKILL,
			  ctx_reap(&self->c, pid, SETTLE_MS));
	} else {
		ASSERT_EQ(1, write(go[1], "x", 1));
		EXPECT_EQ(0, ctx_reap(&self->c, pid, SETTLE_MS));
	}

	end = now_ns() + 2000 * NSEC_PER_MSEC;
	while ((ret = pc_try(fd, t)) == -EAGAIN && now_ns() < end)
		sleep_ms(5);
	EXPECT_EQ(0, ret);
	EXPECT_EQ(0, pc_free(fd, t));
}

/* ------------------------------------------------------------------ */
/* Several ports, counting waiters, listing ports. */

TEST_F(pc, sessions_on_two_ports_hold_both)
{
	int fd = self->c.fd[0];
	struct parclass_port_entry e;
	__u64 s0, s1, o0, o1;

	ASSERT_EQ(0, pc_connect(fd, 0, &s0));
	ASSERT_EQ(0, pc_connect(fd, 1, &s1));
	ASSERT_EQ(0, pc_connect(fd, 0, &o0));
	ASSERT_EQ(0, pc_connect(fd, 1, &o1));
	ASSERT_EQ(0, pc_try(fd, s0));
	ASSERT_EQ(0, pc_try(fd, s1));
	EXPECT_EQ(-EAGAIN, pc_try(fd, o0));
	EXPECT_EQ(-EAGAIN, pc_try(fd, o1));
	EXPECT_EQ(0, pc_is_free(fd, o0));
	EXPECT_EQ(0, pc_is_free(fd, o1));
	ASSERT_EQ(0, pc_entry(fd, 0, &e));
	EXPECT_EQ(PARCLASS_HOLDER_SESSION, e.holder);
	ASSERT_EQ(0, pc_entry(fd, 1, &e));
	EXPECT_EQ(PARCLASS_HOLDER_SESSION, e.holder);

	/* Freeing one port leaves the other held. */
	EXPECT_EQ(0, pc_free(fd, s0));
	EXPECT_EQ(1, pc_is_free(fd, o0));
	EXPECT_EQ(0, pc_is_free(fd, o1));
	EXPECT_EQ(0, pc_free(fd, s1));
	EXPECT_EQ(1, pc_is_free(fd, o1));
}

TEST_F(pc, num_waiters_counts_blocked_allocates)
{
	struct parclass_num_waiters n = { .size = sizeof(n) };
	int fd = self->c.fd[0];
	__u64 a, b, c, d;
	pid_t kb, kc, kd;

	ASSERT_EQ(0, pc_connect(fd, 0, &a));
	ASSERT_EQ(0, pc_connect(fd, 0, &b));
	ASSERT_EQ(0, pc_connect(fd, 0, &c));
	ASSERT_EQ(0, pc_connect(fd, 0, &d));
	EXPECT_EQ(0, pc_waiters(fd, a));
	ASSERT_EQ(0, pc_try(fd, a));
	EXPECT_EQ(0, pc_waiters(fd, b));
	EXPECT_EQ(-EAGAIN, pc_try(fd, d));
	EXPECT_EQ(0, pc_waiters(fd, b));

	kb = start_simple_waiter(&self->c, fd, b, 0);
	ASSERT_LE(0, kb);
	ASSERT_EQ(1, wait_waiters(fd, a, 1));
	kc = start_simple_waiter(&self->c, fd, c, 0);
	ASSERT_LE(0, kc);
	ASSERT_EQ(2, wait_waiters(fd, d, 2));
	/* Every session of the port sees the same count. */
	EXPECT_EQ(2, pc_waiters(fd, a));
	EXPECT_EQ(2, pc_waiters(fd, b));
	n.token = d;
	ASSERT_EQ(0, pc_ioctl(fd, PARCLASS_IOC_QUERY_NUM_WAITERS, &n));
	EXPECT_EQ(2, n.waiters);
	EXPECT_EQ(0, n.other_waiters);

	/* A hands over to B, B to C. */
	ASSERT_EQ(0, pc_free(fd, a));
	EXPECT_EQ(0, ctx_reap(&self->c, kb, SETTLE_MS));
	EXPECT_EQ(1, pc_waiters(fd, a));
	ASSERT_EQ(0, pc_free(fd, b));
	EXPECT_EQ(0, ctx_reap(&self->c, kc, SETTLE_MS));
	EXPECT_EQ(0, pc_waiters(fd, a));

	/* A waiter that times out stops counting. */
	kd = start_simple_waiter(&self->c, fd, d, 300 * NSEC_PER_MSEC);
	ASSERT_LE(0, kd);
	ASSERT_EQ(1, wait_waiters(fd, a, 1));
	EXPECT_EQ(ETIMEDOUT, ctx_reap(&self->c, kd, SETTLE_MS));
	EXPECT_EQ(0, pc_waiters(fd, a));
	EXPECT_EQ(0, pc_free(fd, c));
}

TEST_F(pc, list_ports_count_only)
{
	struct parclass_port_entry buf[2];
	__u32 total = 0;

	ASSERT_EQ(0, pc_list(self->c.fd[0], NULL, 0, sizeof(buf[0]), &total));
	EXPECT_LE(2, total);
	memset(buf, 0xa5, sizeof(buf));
	ASSERT_EQ(0, pc_list(self->c.fd[0], buf, 0, sizeof(buf[0]), &total));
	EXPECT_LE(2, total);
	EXPECT_TRUE(all_byte(buf, sizeof(buf), 0xa5));
}

/* Check an entry of a port that nobody holds or waits for. */
static void check_idle_entry(struct __test_metadata *_metadata,
			     const struct parclass_port_entry *e)
{
	EXPECT_EQ(PARCLASS_HOLDER_NONE, e->holder);
	EXPECT_EQ(0, e->holder_pid);
	EXPECT_TRUE(all_zero(e->holder_comm, sizeof(e->holder_comm)));
	EXPECT_TRUE(all_zero(e->holder_name, sizeof(e->holder_name)));
	EXPECT_EQ(0, e->waiters);
	EXPECT_EQ(0, e->__reserved);
}

TEST_F(pc, list_ports_describes_each_port)
{
	struct parclass_port_entry e[8];
	struct parclass_connect c = { .size = sizeof(c) };
	int fd = self->c.fd[0];
	__u32 total, i, base[2];
	int failed = 0;
	char comm[32];
	__u64 t[4];
	pid_t pid;

	memset(e, 0xa5, sizeof(e));
	ASSERT_EQ(0, pc_list(fd, e, ARRAY_SIZE(e), sizeof(e[0]), &total));
	ASSERT_LE(2, total);
	ASSERT_GE(ARRAY_SIZE(e), total);
	for (i = 0; i < total; i++) {
		if (i)
			EXPECT_LT(e[i - 1].info.number, e[i].info.number);
		if (i < 2) {
			EXPECT_EQ(i, e[i].info.number);
			check_info(_metadata, &e[i].info, i);
			check_idle_entry(_metadata, &e[i]);
			base[i] = e[i].sessions;
		}
	}

	/* Sessions: 3 on port 0, 1 on port 1; the entry's info is CONNECT's. */
	for (i = 0; i < 4; i++) {
		c.port = i == 3;
		ASSERT_EQ(0, pc_ioctl(fd, PARCLASS_IOC_CONNECT, &c));
		t[i] = c.token;
	}
	ASSERT_EQ(0, pc_list(fd, e, 2, sizeof(e[0]), &total));
	EXPECT_EQ(base[0] + 3, e[0].sessions);
	EXPECT_EQ(base[1] + 1, e[1].sessions);
	EXPECT_EQ(0, memcmp(&c.info, &e[1].info, sizeof(c.info)));

	/* Held by this process, with one waiter. */
	ASSERT_EQ(0, read_line("/proc/self/comm", comm, sizeof(comm)));
	ASSERT_EQ(0, pc_try(fd, t[0]));
	pid = start_simple_waiter(&self->c, fd, t[1], 0);
	ASSERT_LE(0, pid);
	ASSERT_EQ(1, wait_waiters(fd, t[0], 1));
	ASSERT_EQ(0, pc_list(fd, e, 2, sizeof(e[0]), &total));
	EXPECT_EQ(PARCLASS_HOLDER_SESSION, e[0].holder);
	EXPECT_EQ(getpid(), (pid_t)e[0].holder_pid);
	EXPECT_STREQ(comm, e[0].holder_comm);
	EXPECT_TRUE(clean_string(e[0].holder_comm, sizeof(e[0].holder_comm)));
	EXPECT_EQ(0, strncmp(e[0].holder_name, "parclass.", 9))
		TH_LOG("holder_name \"%.32s\"", e[0].holder_name);
	EXPECT_TRUE(clean_string(e[0].holder_name, sizeof(e[0].holder_name)));
	EXPECT_EQ(1, e[0].waiters);
	EXPECT_EQ(0, e[0].other_waiters);
	check_idle_entry(_metadata, &e[1]);

	/* Handed to the waiter: the holder is the child's ALLOCATE. */
	ASSERT_EQ(0, pc_free(fd, t[0]));
	EXPECT_EQ(0, ctx_reap(&self->c, pid, SETTLE_MS));
	ASSERT_EQ(0, pc_list(fd, e, 2, sizeof(e[0]), &total));
	EXPECT_EQ(PARCLASS_HOLDER_SESSION, e[0].holder);
	EXPECT_EQ(pid, (pid_t)e[0].holder_pid);
	EXPECT_EQ(0, e[0].waiters);
	ASSERT_EQ(0, pc_free(fd, t[1]));

	/* Another process's ALLOCATE, under another name. */
	pid = ctx_fork(&self->c);
	ASSERT_LE(0, pid);
	if (pid == 0) {
		prctl(PR_SET_NAME, "pc-holder");
		_exit(-pc_try(fd, t[2]));
	}
	EXPECT_EQ(0, ctx_reap(&self->c, pid, SETTLE_MS));
	ASSERT_EQ(0, pc_list(fd, e, 2, sizeof(e[0]), &total));
	EXPECT_EQ(PARCLASS_HOLDER_SESSION, e[0].holder);
	EXPECT_EQ(pid, (pid_t)e[0].holder_pid);
	EXPECT_STREQ("pc-holder", e[0].holder_comm);
	EXPECT_TRUE(clean_string(e[0].holder_comm, sizeof(e[0].holder_comm)));
	ASSERT_EQ(0, pc_free(fd, t[2]));

	/* Free again. */
	ASSERT_EQ(0, pc_list(fd, e, 2, sizeof(e[0]), &total));
	check_idle_entry(_metadata, &e[0]);
	check_idle_entry(_metadata, &e[1]);
	for (i = 0; i < 4; i++)
		failed += !!pc_disconnect(fd, t[i]);
	EXPECT_EQ(0, failed);
	ASSERT_EQ(0, pc_list(fd, e, 2, sizeof(e[0]), &total));
	EXPECT_EQ(base[0], e[0].sessions);
	EXPECT_EQ(base[1], e[1].sessions);
}

TEST_F(pc, list_ports_shows_other_holder)
{
	struct parclass_port_entry e;
	int fd = self->c.fd[0], pp;
	__u64 t;

	ASSERT_EQ(0, pc_connect(fd, 0, &t));
	pp = open("/dev/parport0", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, pp) TH_LOG("/dev/parport0: %s", strerror(errno));
	self->c.fd[1] = pp;
	ASSERT_EQ(0, ioctl(pp, PPCLAIM));
	EXPECT_EQ(0, pc_is_free(fd, t));
	EXPECT_EQ(-EAGAIN, pc_try(fd, t));
	ASSERT_EQ(0, pc_entry(fd, 0, &e));
	EXPECT_EQ(PARCLASS_HOLDER_OTHER, e.holder);
	EXPECT_EQ(0, e.holder_pid);
	EXPECT_TRUE(all_zero(e.holder_comm, sizeof(e.holder_comm)));
	EXPECT_NE(0, e.holder_name[0]);
	EXPECT_NE(0, strncmp(e.holder_name, "parclass.", 9));
	EXPECT_TRUE(clean_string(e.holder_name, sizeof(e.holder_name)));
	ASSERT_EQ(0, ioctl(pp, PPRELEASE));
	EXPECT_EQ(1, pc_is_free(fd, t));
}

TEST_F(pc, list_ports_entry_size)
{
	const size_t es = sizeof(struct parclass_port_entry);
	unsigned char buf[4 * (sizeof(struct parclass_port_entry) + 8)];
	struct parclass_port_entry want[2];
	int fd = self->c.fd[0];
	__u32 total, i;

	ASSERT_EQ(0, pc_list(fd, want, 2, es, &total));
	ASSERT_EQ(2, total) TH_LOG("this test expects exactly 2 ports");

	/* Smaller than the first version of the entry. */
	memset(buf, 0xa5, sizeof(buf));
	EXPECT_EQ(-EINVAL, pc_list(fd, buf, 2, es - 1, NULL));
	EXPECT_EQ(-EINVAL, pc_list(fd, buf, 2, 0, NULL));
	EXPECT_EQ(-EINVAL, pc_list(fd, NULL, 0, es - 8, NULL));
	EXPECT_TRUE(all_byte(buf, sizeof(buf), 0xa5));

	/*
	 * Larger than PARCLASS_PORT_ENTRY_SIZE_MAX: refused before anything
	 * is written (4 GiB per entry once took the kernel a while).
	 */
	EXPECT_EQ(-E2BIG, pc_list(fd, buf, 2, PARCLASS_PORT_ENTRY_SIZE_MAX + 1,
				  NULL));
	EXPECT_EQ(-E2BIG, pc_list(fd, buf, 2, 0xffffffffu, NULL));
	EXPECT_TRUE(all_byte(buf, sizeof(buf), 0xa5));
	total = 0;
	EXPECT_EQ(0, pc_list(fd, NULL, 0, PARCLASS_PORT_ENTRY_SIZE_MAX,
			     &total));
	EXPECT_EQ(2, total);

	/* Larger: each entry's extra bytes are written as zero. */
	total = 0;
	ASSERT_EQ(0, pc_list(fd, buf, 2, es + 8, &total));
	EXPECT_EQ(2, total);
	for (i = 0; i < 2; i++) {
		EXPECT_EQ(0, memcmp(&want[i], buf + i * (es + 8), es));
		EXPECT_TRUE(all_zero(buf + i * (es + 8) + es, 8));
	}
	EXPECT_TRUE(all_byte(buf + 2 * (es + 8), sizeof(buf) - 2 * (es + 8),
			     0xa5));

	/* More room than ports: the rest is untouched, count is real. */
	memset(buf, 0xa5, sizeof(buf));
	total = 0;
	ASSERT_EQ(0, pc_list(fd, buf, 4, es, &total));
	EXPECT_EQ(2, total);
	EXPECT_EQ(0, memcmp(want, buf, 2 * es));
	EXPECT_TRUE(all_byte(buf + 2 * es, sizeof(buf) - 2 * es, 0xa5));
}

TEST_F(pc, list_ports_bad_pointer_is_efault)
{
	const size_t es = sizeof(struct parclass_port_entry);
	int fd = self->c.fd[0];
	void *ro;

	EXPECT_EQ(-EFAULT, pc_list(fd, NULL, 1, es, NULL));
	EXPECT_EQ(-EFAULT, pc_list(fd, (void *)8, 2, es, NULL));
	ro = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);
	EXPECT_EQ(-EFAULT, pc_list(fd, ro, 2, es, NULL));
	munmap(ro, 4096);
}

/* ------------------------------------------------------------------ */
/* Size, flags and reserved fields of every command. */

union cmd_buf {
	__u64 align;
	unsigned char b[256];
	struct parclass_version version;
	struct parclass_connect connect;
	struct parclass_disconnect disconnect;
	struct parclass_allocate allocate;
	struct parclass_free free;
	struct parclass_port_free port_free;
	struct parclass_num_waiters num_waiters;
	struct parclass_list_ports list_ports;
	struct parclass_query_information query_info;
	struct parclass_set_information set_info;
	struct parclass_register reg;
	struct parclass_pin_program pin_program;
	struct parclass_negotiate negotiate;
	struct parclass_mode mode;
	struct parclass_address address;
	struct parclass_host_recovery host_recovery;
	struct parclass_probe probe;
	struct parclass_chip_mode chip_mode;
	struct parclass_lock lock;
	struct parclass_daisy_init daisy_init;
	struct parclass_select select;
	struct parclass_cancel cancel;
	struct parclass_interrupts interrupts;
};

/* Fill @u with a valid call of one command, made in file @fd. */
static int prep_version(int fd, union cmd_buf *u)
{
	return 0;
}

static int prep_connect(int fd, union cmd_buf *u)
{
	u->connect.port = 0;
	return 0;
}

static int prep_disconnect(int fd, union cmd_buf *u)
{
	return pc_connect(fd, 0, &u->disconnect.token);
}

static int prep_allocate(int fd, union cmd_buf *u)
{
	u->allocate.flags = PARCLASS_ALLOCATE_TRY;
	return pc_connect(fd, 0, &u->allocate.token);
}

static int prep_free(int fd, union cmd_buf *u)
{
	return pc_connect(fd, 0, &u->free.token) ?: pc_try(fd, u->free.token);
}

static int prep_port_free(int fd, union cmd_buf *u)
{
	return pc_connect(fd, 0, &u->port_free.token);
}

static int prep_num_waiters(int fd, union cmd_buf *u)
{
	return pc_connect(fd, 0, &u->num_waiters.token);
}

static int prep_list_ports(int fd, union cmd_buf *u)
{
	u->list_ports.entry_size = sizeof(struct parclass_port_entry);
	return 0;
}

static int prep_query_info(int fd, union cmd_buf *u)
{
	return pc_connect(fd, 0, &u->query_info.token) ?:
	       pc_try(fd, u->query_info.token);
}

static int prep_set_info(int fd, union cmd_buf *u)
{
	u->set_info.init = PARCLASS_PARALLEL_INIT;
	return pc_connect(fd, 0, &u->set_info.token) ?:
	       pc_try(fd, u->set_info.token);
}

static int prep_register(int fd, union cmd_buf *u)
{
	u->reg.op = PARCLASS_PIN_READ_STATUS;
	return pc_connect(fd, 0, &u->reg.token) ?: pc_try(fd, u->reg.token);
}

static const struct parclass_pin_op sweep_ops[2] = {
	{ .op = PARCLASS_PIN_READ_STATUS },
	{ .op = PARCLASS_PIN_READ_CONTROL },
};

static unsigned char sweep_results[2];

static int prep_pin_program(int fd, union cmd_buf *u)
{
	u->pin_program.ops = (__u64)(unsigned long)sweep_ops;
	u->pin_program.count = 2;
	u->pin_program.results = (__u64)(unsigned long)sweep_results;
	u->pin_program.results_len = sizeof(sweep_results);
	return pc_connect(fd, 0, &u->pin_program.token) ?:
	       pc_try(fd, u->pin_program.token);
}

/* QEMU's LPT speaks no IEEE 1284: compatibility mode is what it has. */
static int prep_negotiate(int fd, union cmd_buf *u)
{
	u->negotiate.write_mask = PARCLASS_1284_CENTRONICS;
	return pc_connect(fd, 0, &u->negotiate.token) ?:
	       pc_try(fd, u->negotiate.token);
}

static int prep_mode(int fd, union cmd_buf *u)
{
	return pc_connect(fd, 0, &u->mode.token) ?: pc_try(fd, u->mode.token);
}

static int prep_address(int fd, union cmd_buf *u)
{
	u->address.direction = PARCLASS_ADDRESS_WRITE;
	return pc_connect(fd, 0, &u->address.token);
}

static int prep_host_recovery(int fd, union cmd_buf *u)
{
	return pc_connect(fd, 0, &u->host_recovery.token);
}

static int prep_probe(int fd, union cmd_buf *u)
{
	return pc_connect(fd, 0, &u->probe.token) ?:
	       pc_try(fd, u->probe.token);
}

static int prep_chip_mode(int fd, union cmd_buf *u)
{
	return pc_connect(fd, 0, &u->chip_mode.token);
}

static int prep_lock(int fd, union cmd_buf *u)
{
	return pc_connect(fd, 0, &u->lock.token);
}

static int prep_unlock(int fd, union cmd_buf *u)
{
	return pc_connect(fd, 0, &u->lock.token) ?: pc_try(fd, u->lock.token);
}

static int prep_daisy_init(int fd, union cmd_buf *u)
{
	return pc_connect(fd, 0, &u->daisy_init.token) ?:
	       pc_try(fd, u->daisy_init.token);
}

static int prep_select(int fd, union cmd_buf *u)
{
	u->select.device = PARCLASS_DAISY_END_OF_CHAIN;
	return pc_connect(fd, 0, &u->select.token);
}

static int prep_deselect(int fd, union cmd_buf *u)
{
	return pc_connect(fd, 0, &u->select.token) ?:
	       pc_try(fd, u->select.token);
}

/* A second session of the file holds the port; this one is queued. */
static int prep_cancel(int fd, union cmd_buf *u)
{
	struct parclass_allocate a = {
		.size = sizeof(a),
		.flags = PARCLASS_ALLOCATE_ASYNC,
	};
	__u64 holder;
	int ret;

	ret = pc_connect(fd, 0, &holder) ?: pc_try(fd, holder) ?:
	      pc_connect(fd, 0, &u->cancel.token);
	if (ret)
		return ret;
	a.token = u->cancel.token;
	ret = pc_ioctl(fd, PARCLASS_IOC_ALLOCATE, &a);
	return ret == -EINPROGRESS ? 0 : ret ?: -EALREADY;
}

static int prep_interrupts(int fd, union cmd_buf *u)
{
	return pc_connect(fd, 0, &u->interrupts.token);
}

#define CMD(_name, _type, _reserved, _bad_flag, _prep) {		\
	.name = #_name,							\
	.request = PARCLASS_IOC_##_name,				\
	.size = sizeof(_type),						\
	.reserved = _reserved,						\
	.bad_flag = _bad_flag,						\
	.prep = _prep,							\
}

static const struct cmd {
	const char *name;
	unsigned long request;
	__u32 size;
	size_t reserved;	/* offset of __reserved, 0 for none */
	__u32 bad_flag;		/* the lowest flag without a meaning */
	int (*prep)(int fd, union cmd_buf *u);
} cmds[] = {
	CMD(GET_VERSION, struct parclass_version,
	    offsetof(struct parclass_version, __reserved), 1, prep_version),
	/* A chain device's number without PARCLASS_CONNECT_DAISY. */
	CMD(CONNECT, struct parclass_connect,
	    offsetof(struct parclass_connect, daisy), 1U << 1, prep_connect),
	CMD(DISCONNECT, struct parclass_disconnect, 0, 1, prep_disconnect),
	CMD(ALLOCATE, struct parclass_allocate, 0, 1U << 2, prep_allocate),
	CMD(FREE, struct parclass_free, 0, 1, prep_free),
	CMD(IS_PORT_FREE, struct parclass_port_free,
	    offsetof(struct parclass_port_free, __reserved), 1,
	    prep_port_free),
	CMD(QUERY_NUM_WAITERS, struct parclass_num_waiters, 0, 1,
	    prep_num_waiters),
	CMD(LIST_PORTS, struct parclass_list_ports, 0, 1U << 1,
	    prep_list_ports),
	CMD(QUERY_INFORMATION, struct parclass_query_information,
	    offsetof(struct parclass_query_information, __reserved), 1,
	    prep_query_info),
	CMD(SET_INFORMATION, struct parclass_set_information,
	    offsetof(struct parclass_set_information, __reserved), 1,
	    prep_set_info),
	/* DEVICE_ID's sweep is in sim_devid_test: QEMU's LPT has no ID. */
	CMD(REGISTER, struct parclass_register,
	    offsetof(struct parclass_register, __reserved), 1, prep_register),
	CMD(PIN_PROGRAM, struct parclass_pin_program, 0, 1, prep_pin_program),
	/* READ's sweep is in sim_modes_test: QEMU's LPT has no read mode. */
	CMD(NEGOTIATE, struct parclass_negotiate, 0, 1U << 1, prep_negotiate),
	CMD(TERMINATE, struct parclass_mode, 0, 1, prep_mode),
	CMD(GET_MODE, struct parclass_mode, 0, 1, prep_mode),
	/* Setting an address and PING need a mode QEMU's LPT lacks. */
	CMD(ADDRESS, struct parclass_address, 0, 1U << 1, prep_address),
	CMD(HOST_RECOVERY, struct parclass_host_recovery,
	    offsetof(struct parclass_host_recovery, __reserved), 1U << 1,
	    prep_host_recovery),
	CMD(PROBE, struct parclass_probe, 0, 1, prep_probe),
	CMD(CHIP_MODE, struct parclass_chip_mode, 0, 1U << 2, prep_chip_mode),
	CMD(LOCK, struct parclass_lock, 0, 1U << 1, prep_lock),
	CMD(UNLOCK, struct parclass_lock, 0, 1U << 1, prep_unlock),
	CMD(DAISY_INIT, struct parclass_daisy_init,
	    offsetof(struct parclass_daisy_init, __reserved), 1,
	    prep_daisy_init),
	CMD(SELECT_DEVICE, struct parclass_select,
	    offsetof(struct parclass_select, __reserved), 1U << 1,
	    prep_select),
	CMD(DESELECT_DEVICE, struct parclass_select,
	    offsetof(struct parclass_select, __reserved), 1U << 1,
	    prep_deselect),
	CMD(CANCEL, struct parclass_cancel, 0, 1, prep_cancel),
	CMD(INTERRUPTS, struct parclass_interrupts,
	    offsetof(struct parclass_interrupts, __reserved), 1U << 2,
	    prep_interrupts),
};

/* What a refused call must leave alone: port 0's sessions and holder. */
static int port0_state(int fd)
{
	struct parclass_port_entry e;

	if (pc_entry(fd, 0, &e))
		return -1;
	return e.sessions * 4 + e.holder;
}

TEST(size_sweep_of_every_command)
{
	union cmd_buf valid, u;
	unsigned int i, tail;
	int fd, state;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		const struct cmd *cmd = &cmds[i];

		fd = pc_open();
		ASSERT_LE(0, fd);
		memset(&valid, 0, sizeof(valid));
		valid.version.size = cmd->size;
		ASSERT_EQ(0, cmd->prep(fd, &valid)) TH_LOG("%s", cmd->name);
		state = port0_state(fd);

		/* One byte short of the mandatory part. */
		u = valid;
		u.version.size = cmd->size - 1;
		EXPECT_EQ(-EINVAL, pc_ioctl(fd, cmd->request, &u))
			TH_LOG("%s", cmd->name);

		/* Longer, with a non-zero byte in the unknown tail. */
		for (tail = cmd->size; tail < cmd->size + 8; tail += 7) {
			u = valid;
			u.version.size = cmd->size + 8;
			u.b[tail] = 1;
			EXPECT_EQ(-E2BIG, pc_ioctl(fd, cmd->request, &u))
				TH_LOG("%s, tail byte %u", cmd->name,
				       tail - cmd->size);
			u.version.size = valid.version.size;
			u.b[tail] = 0;
			EXPECT_EQ(0, memcmp(&u, &valid, sizeof(u)))
				TH_LOG("%s: refused call wrote back",
				       cmd->name);
		}
		EXPECT_EQ(state, port0_state(fd)) TH_LOG("%s", cmd->name);

		/* Longer, with a zero tail: accepted; the tail stays zero. */
		u = valid;
		u.version.size = cmd->size + 8;
		EXPECT_EQ(0, pc_ioctl(fd, cmd->request, &u))
			TH_LOG("%s: %s", cmd->name, strerror(errno));
		EXPECT_EQ(cmd->size + 8, u.version.size);
		EXPECT_TRUE(all_zero(u.b + cmd->size, sizeof(u) - cmd->size))
			TH_LOG("%s", cmd->name);
		close(fd);
	}
}

TEST(reserved_fields_and_unknown_flags_are_einval)
{
	union cmd_buf valid, u;
	unsigned int i, k;
	int fd, state;

	for (i = 0; i < ARRAY_SIZE(cmds); i++) {
		const struct cmd *cmd = &cmds[i];
		const struct {
			size_t offset;
			__u32 value;
		} bad[] = {
			{ offsetof(struct parclass_version, flags),
			  cmd->bad_flag },
			{ offsetof(struct parclass_version, flags), 1U << 31 },
			{ cmd->reserved, 1 },
			{ cmd->reserved, 1U << 31 },
		};

		fd = pc_open();
		ASSERT_LE(0, fd);
		memset(&valid, 0, sizeof(valid));
		valid.version.size = cmd->size;
		ASSERT_EQ(0, cmd->prep(fd, &valid)) TH_LOG("%s", cmd->name);
		state = port0_state(fd);

		for (k = 0; k < ARRAY_SIZE(bad); k++) {
			__u32 *field = (__u32 *)(u.b + bad[k].offset);

			if (!bad[k].offset)
				continue;
			u = valid;
			*field |= bad[k].value;
			EXPECT_EQ(-EINVAL, pc_ioctl(fd, cmd->request, &u))
				TH_LOG("%s, %#x at offset %zu", cmd->name,
				       bad[k].value, bad[k].offset);
			*field = *(__u32 *)(valid.b + bad[k].offset);
			EXPECT_EQ(0, memcmp(&u, &valid, sizeof(u)))
				TH_LOG("%s: refused call wrote back",
				       cmd->name);
			EXPECT_EQ(state, port0_state(fd))
				TH_LOG("%s", cmd->name);
		}

		/*
		 * The refused calls had no effect: the valid call still
		 * works (a DISCONNECT finds its token alive, an ALLOCATE
		 * finds the session not holding, a FREE finds it holding).
		 */
		u = valid;
		EXPECT_EQ(0, pc_ioctl(fd, cmd->request, &u))
			TH_LOG("%s: %s", cmd->name, strerror(errno));
		close(fd);
	}
}

/* ------------------------------------------------------------------ */
/* The session limits. */

FIXTURE(caps) {
	unsigned int max_sessions;
	unsigned int max_per_file;
};

FIXTURE_SETUP(caps)
{
	ASSERT_EQ(0, param_read("max_sessions", &self->max_sessions));
	ASSERT_EQ(0, param_read("max_sessions_per_file", &self->max_per_file));
}

/*
 * In the parent of the test's process, so the limits come back even when
 * the test dies; its files are closed by then.
 */
FIXTURE_TEARDOWN_PARENT(caps)
{
	EXPECT_EQ(0, param_write("max_sessions", self->max_sessions));
	EXPECT_EQ(0, param_write("max_sessions_per_file", self->max_per_file));
}

TEST_F(caps, per_file_limit_is_emfile)
{
	int fd, fd2, before;
	__u64 t[4];

	fd = pc_open();
	fd2 = pc_open();
	ASSERT_LE(0, fd);
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, param_write("max_sessions_per_file", 4));
	ASSERT_EQ(0, connect_many(fd, 1, t, 4));
	before = pc_total_sessions(fd);
	EXPECT_EQ(-EMFILE, pc_connect(fd, 0, NULL));
	EXPECT_EQ(-EMFILE, pc_connect(fd, 1, NULL));
	EXPECT_EQ(before, pc_total_sessions(fd));
	/* Another file has its own allowance. */
	EXPECT_EQ(0, pc_connect(fd2, 0, NULL));
	/* A DISCONNECT makes room again. */
	ASSERT_EQ(0, pc_disconnect(fd, t[0]));
	EXPECT_EQ(0, pc_connect(fd, 0, NULL));
	EXPECT_EQ(-EMFILE, pc_connect(fd, 0, NULL));
	close(fd);
	close(fd2);
}

TEST_F(caps, system_limit_is_enfile)
{
	int fd, fd2, fd3, base;
	__u64 t;

	fd = pc_open();
	fd2 = pc_open();
	fd3 = pc_open();
	ASSERT_LE(0, fd);
	ASSERT_LE(0, fd2);
	ASSERT_LE(0, fd3);
	base = pc_total_sessions(fd);
	ASSERT_LE(0, base);
	EXPECT_EQ(0, base) TH_LOG("sessions left over from elsewhere");
	ASSERT_EQ(0, param_write("max_sessions", base + 3));
	ASSERT_EQ(0, pc_connect(fd, 0, &t));
	ASSERT_EQ(0, pc_connect(fd, 1, NULL));
	ASSERT_EQ(0, pc_connect(fd2, 0, NULL));
	EXPECT_EQ(-ENFILE, pc_connect(fd, 0, NULL));
	EXPECT_EQ(-ENFILE, pc_connect(fd2, 1, NULL));
	EXPECT_EQ(-ENFILE, pc_connect(fd3, 0, NULL));
	EXPECT_EQ(base + 3, pc_total_sessions(fd));
	ASSERT_EQ(0, pc_disconnect(fd, t));
	EXPECT_EQ(0, pc_connect(fd3, 0, NULL));
	EXPECT_EQ(-ENFILE, pc_connect(fd3, 0, NULL));
	close(fd);
	close(fd2);
	close(fd3);
}

#define MANY_FILES	10
#define MANY_PER_FILE	1000

/*
 * Each session registers a parport device: about 5 s for all of them
 * under TCG, but nearly two minutes on a KASAN and lockdep kernel.
 */
TEST_F_TIMEOUT(pc, ten_thousand_sessions, 300)
{
	unsigned int max, per_file;
	int fd[MANY_FILES], i, j, ret = 0, base;
	__u64 start, opened;

	ASSERT_EQ(0, param_read("max_sessions", &max));
	ASSERT_EQ(0, param_read("max_sessions_per_file", &per_file));
	base = pc_total_sessions(self->c.fd[0]);
	ASSERT_LE(0, base);
	ASSERT_LE(base + MANY_FILES * MANY_PER_FILE, max);
	ASSERT_LE(MANY_PER_FILE, per_file);

	start = now_ns();
	for (i = 0; i < MANY_FILES; i++) {
		fd[i] = pc_open();
		ASSERT_LE(0, fd[i]);
		for (j = 0; j < MANY_PER_FILE; j++) {
			ret = pc_connect(fd[i], (i + j) & 1, NULL);
			if (ret)
				break;
		}
		ASSERT_EQ(0, ret) TH_LOG("file %d, CONNECT %d: %s", i, j,
					 strerror(-ret));
	}
	opened = now_ns();
	EXPECT_EQ(base + MANY_FILES * MANY_PER_FILE,
		  pc_total_sessions(self->c.fd[0]));
	for (i = 0; i < MANY_FILES; i++)
		close(fd[i]);
	EXPECT_EQ(base, pc_total_sessions(self->c.fd[0]));
	TH_LOG("%d sessions: opened in %llu ms, closed in %llu ms",
	       MANY_FILES * MANY_PER_FILE,
	       (unsigned long long)(opened - start) / NSEC_PER_MSEC,
	       (unsigned long long)(now_ns() - opened) / NSEC_PER_MSEC);
}

TEST_HARNESS_MAIN
