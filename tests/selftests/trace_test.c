// SPDX-License-Identifier: GPL-2.0
/*
 * trace_test: parclass's tracepoints (TRACE_SYSTEM parclass) and its
 * debugfs sessions file, on a simulated port.
 *
 * The events go to a tracefs instance of the test's own, so nothing else
 * that traces sees them or disturbs them. Each check names the session by
 * its port and slot (the token's low 24 bits) and the process's pid, and
 * the full token must appear nowhere in the trace.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
#include "sim_control.h"

#define TRACEFS		"/sys/kernel/tracing"
#define SLOT_MASK	0xffffffu
#define BUF_SIZE	(1024 * 1024)
#define MAX_EVENTS	256
#define MAX_LINES	64

/* One parclass event of the trace. */
struct ev {
	char name[32];		/* without "parclass_" */
	unsigned int port;
	unsigned int slot;
	int pid;
	char rest[160];		/* the fields after pid= */
};

/* Write @val to tracefs file @path; 0 or an errno value. */
static int put_file(const char *path, const char *val, int flags)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC | flags);
	ssize_t n;
	int err = 0;

	if (fd < 0)
		return errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		err = errno;
	close(fd);
	return err;
}

/* Parse the parclass events of the trace in @buf into @evs; how many. */
static int parse_events(char *buf, struct ev *evs, int max)
{
	char *line, *save = NULL, *p, *q;
	int n = 0;

	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		p = strstr(line, ": parclass_");
		if (!p || n >= max)
			continue;
		p += strlen(": parclass_");
		q = strchr(p, ':');
		if (!q)
			continue;
		snprintf(evs[n].name, sizeof(evs[n].name), "%.*s",
			 (int)(q - p), p);
		if (sscanf(q + 1, " port=%u slot=%u pid=%d", &evs[n].port,
			   &evs[n].slot, &evs[n].pid) != 3)
			continue;
		p = strstr(q, "pid=");
		p = strchr(p, ' ');
		snprintf(evs[n].rest, sizeof(evs[n].rest), "%s",
			 p ? p + 1 : "");
		n++;
	}
	return n;
}

/* Read and parse the sessions file; lines, or -1. */
static int read_sessions(struct pc_sess_line *ls, int max)
{
	char *buf = malloc(BUF_SIZE);
	int n = -1;

	if (buf && sim_read_path(PC_SESSIONS_FILE, buf, BUF_SIZE) >= 0)
		n = pc_sessions_parse(buf, ls, max);
	free(buf);
	return n;
}

/* The sessions line of (@port, @slot, @pid), or NULL. */
static struct pc_sess_line *find_line(struct pc_sess_line *ls, int n,
				      int port, unsigned int slot, int pid)
{
	int i;

	for (i = 0; i < n; i++)
		if (ls[i].port == port && ls[i].slot == slot &&
		    ls[i].pid == pid)
			return &ls[i];
	return NULL;
}

static void my_comm(char *buf, size_t size)
{
	if (sim_read_path("/proc/self/comm", buf, size) < 0)
		buf[0] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

static void on_usr1(int sig)
{
}

FIXTURE(tr) {
	char sim[32];
	char inst[96];
	int num;
	int fd;
	char *buf;
	struct ev evs[MAX_EVENTS];
	int nevs;
};

FIXTURE_SETUP(tr)
{
	char path[160];
	struct stat st;

	alarm(60);
	if (stat(TRACEFS "/instances", &st))
		mount("tracefs", TRACEFS, "tracefs", 0, NULL);
	ASSERT_EQ(0, stat(TRACEFS "/events/parclass", &st)) {
		TH_LOG("no parclass events in %s: %s", TRACEFS,
		       strerror(errno));
	}
	snprintf(self->inst, sizeof(self->inst), TRACEFS "/instances/pctr%d",
		 (int)getpid());
	rmdir(self->inst);
	ASSERT_EQ(0, mkdir(self->inst, 0755));
	snprintf(path, sizeof(path), "%s/events/parclass/enable", self->inst);
	ASSERT_EQ(0, put_file(path, "1", 0));
	self->buf = malloc(BUF_SIZE);
	ASSERT_NE(NULL, self->buf);

	snprintf(self->sim, sizeof(self->sim), "trace%d", (int)getpid());
	self->num = sim_create(self->sim, NULL, NULL);
	ASSERT_LE(0, self->num);
	self->fd = pc_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(tr)
{
	char path[160];

	if (self->fd >= 0)
		close(self->fd);
	sim_destroy(self->sim);
	snprintf(path, sizeof(path), "%s/events/parclass/enable", self->inst);
	put_file(path, "0", 0);
	rmdir(self->inst);
	free(self->buf);
}

/* Read the instance's trace: its parclass events into self->evs. */
static int trace_read(struct _test_data_tr *self)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/trace", self->inst);
	if (sim_read_path(path, self->buf, BUF_SIZE) < 0)
		return -1;
	self->nevs = parse_events(self->buf, self->evs, MAX_EVENTS);
	return self->nevs;
}

/* Does the raw trace text contain @token, in decimal or hex? */
static int trace_has_token(struct _test_data_tr *self, __u64 token)
{
	char path[160], dec[32], hex[32];

	snprintf(path, sizeof(path), "%s/trace", self->inst);
	if (sim_read_path(path, self->buf, BUF_SIZE) < 0)
		return -1;
	snprintf(dec, sizeof(dec), "%llu", (unsigned long long)token);
	snprintf(hex, sizeof(hex), "%llx", (unsigned long long)token);
	return strstr(self->buf, dec) || strstr(self->buf, hex);
}

/* Index of the first event @name of (port, slot, pid) at @from or later. */
static int find_ev(struct _test_data_tr *self, int from, const char *name,
		   unsigned int slot, int pid, const char *rest)
{
	int i;

	for (i = from; i < self->nevs; i++) {
		struct ev *e = &self->evs[i];

		if (!strcmp(e->name, name) && e->port == (unsigned int)self->num &&
		    e->slot == slot && e->pid == pid &&
		    (!rest || strstr(e->rest, rest)))
			return i;
	}
	return -1;
}

TEST_F(tr, connect_allocate_free_disconnect_in_order)
{
	__u64 token;
	unsigned int slot;
	int pid = getpid(), i, c, a, g, f, d;

	ASSERT_EQ(0, pc_connect(self->fd, self->num, &token));
	slot = token & SLOT_MASK;
	ASSERT_EQ(0, pc_allocate(self->fd, token, 0, 0));
	ASSERT_EQ(0, pc_free(self->fd, token));
	ASSERT_EQ(0, pc_disconnect(self->fd, token));

	ASSERT_LT(0, trace_read(self));
	c = find_ev(self, 0, "connect", slot, pid, NULL);
	a = find_ev(self, 0, "allocate_start", slot, pid,
		    "flags=0x0 timeout_ns=0");
	g = find_ev(self, 0, "allocate_end", slot, pid, "result=granted ret=0");
	f = find_ev(self, 0, "free", slot, pid, NULL);
	d = find_ev(self, 0, "disconnect", slot, pid, "by=DISCONNECT");
	for (i = 0; (c < 0 || a < c || g < a || f < g || d < f ||
		     self->nevs != 5) && i < self->nevs; i++)
		TH_LOG("%s port=%u slot=%u pid=%d %s", self->evs[i].name,
		       self->evs[i].port, self->evs[i].slot, self->evs[i].pid,
		       self->evs[i].rest);
	EXPECT_LE(0, c);
	EXPECT_LT(c, a);
	EXPECT_LT(a, g);
	EXPECT_LT(g, f);
	EXPECT_LT(f, d);
	/* Exactly those five for the port: nothing else, nothing twice. */
	EXPECT_EQ(5, self->nevs);
	EXPECT_EQ(0, trace_has_token(self, token));

	/* close() of the file ends a session too, and says so. */
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &token));
	close(self->fd);
	self->fd = -1;
	ASSERT_LT(0, trace_read(self));
	EXPECT_LE(0, find_ev(self, d + 1, "disconnect", token & SLOT_MASK, pid,
			     "by=close"));
}

TEST_F(tr, allocate_timed_out_and_interrupted_differ)
{
	struct sigaction sa = { .sa_handler = on_usr1 };
	__u64 holder, waiter;
	unsigned int slot;
	int pid = getpid(), t, i, ret;
	pid_t kid;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &holder));
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &waiter));
	slot = waiter & SLOT_MASK;
	ASSERT_EQ(0, pc_allocate(self->fd, holder, 0, 0));

	EXPECT_EQ(-ETIMEDOUT, pc_allocate(self->fd, waiter, 0, 50000000));

	kid = fork();
	ASSERT_LE(0, kid);
	if (kid == 0) {
		sim_sleep_ms(200);
		kill(getppid(), SIGUSR1);
		_exit(0);
	}
	ret = pc_allocate(self->fd, waiter, 0, 0);
	waitpid(kid, NULL, 0);
	EXPECT_EQ(-EINTR, ret);

	ASSERT_LT(0, trace_read(self));
	t = find_ev(self, 0, "allocate_end", slot, pid,
		    "result=timed_out ret=-110");
	i = find_ev(self, 0, "allocate_end", slot, pid,
		    "result=interrupted ret=-4");
	EXPECT_LE(0, t);
	EXPECT_LT(t, i);
	/* Each end follows its own start, which carries the timeout. */
	EXPECT_LE(0, find_ev(self, 0, "allocate_start", slot, pid,
			     "timeout_ns=50000000"));
	EXPECT_GT(t, find_ev(self, 0, "allocate_start", slot, pid,
			     "timeout_ns=50000000"));
	EXPECT_LT(t, find_ev(self, t, "allocate_start", slot, pid,
			     "timeout_ns=0"));
	EXPECT_EQ(0, pc_free(self->fd, holder));
}

TEST_F(tr, write_and_device_id_transfers_with_bytes)
{
	static const char msg[] = "parclass trace test";
	static const char id[] = "MFG:Acme;MDL:Trace 1;CLS:PRINTER;";
	char fwd[64], got[128];
	unsigned int slot;
	struct pc_sess_line ls[MAX_LINES], *l;
	__u32 written = 0, size = 0;
	__u64 token;
	int pid = getpid(), s, e, n;
	char want[64];

	ASSERT_EQ(0, sim_puts(self->sim, "device_id", id));
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &token));
	slot = token & SLOT_MASK;
	ASSERT_EQ(0, pc_allocate(self->fd, token, 0, 0));
	ASSERT_EQ(0, pc_write(self->fd, token, msg, strlen(msg), 0, &written));
	ASSERT_EQ(strlen(msg), written);
	ASSERT_EQ((ssize_t)strlen(msg),
		  sim_get(self->sim, "forward", fwd, sizeof(fwd)));
	EXPECT_EQ(0, memcmp(fwd, msg, strlen(msg)));

	ASSERT_LT(0, trace_read(self));
	snprintf(want, sizeof(want), "kind=WRITE len=%zu", strlen(msg));
	s = find_ev(self, 0, "xfer_start", slot, pid, want);
	snprintf(want, sizeof(want), "kind=WRITE len=%zu done=%zu ret=0",
		 strlen(msg), strlen(msg));
	e = find_ev(self, 0, "xfer_end", slot, pid, want);
	EXPECT_LE(0, s);
	EXPECT_LT(s, e);

	n = read_sessions(ls, MAX_LINES);
	ASSERT_LT(0, n);
	l = find_line(ls, n, self->num, slot, pid);
	ASSERT_NE(NULL, l);
	EXPECT_EQ((long long)strlen(msg), l->bytes);

	/* DEVICE_ID moves the ID and its two length bytes. */
	ASSERT_EQ(0, pc_device_id(self->fd, token, 0, 0, got, sizeof(got),
				  &size));
	EXPECT_EQ(strlen(id) + 1, size);
	ASSERT_LT(0, trace_read(self));
	snprintf(want, sizeof(want), "kind=DEVICE_ID len=%zu done=%zu ret=0",
		 sizeof(got), strlen(id) + 2);
	EXPECT_LT(e, find_ev(self, e, "xfer_end", slot, pid, want));
	EXPECT_LT(e, find_ev(self, e, "xfer_start", slot, pid,
			     "kind=DEVICE_ID"));
	n = read_sessions(ls, MAX_LINES);
	l = find_line(ls, n, self->num, slot, pid);
	ASSERT_NE(NULL, l);
	EXPECT_EQ((long long)(strlen(msg) + strlen(id) + 2), l->bytes);
	EXPECT_EQ(0, trace_has_token(self, token));
	EXPECT_EQ(0, pc_free(self->fd, token));
}

/*
 * A process of its own that connects, sends its token up @pipefd and
 * waits in ALLOCATE; once granted, it holds the port until a byte comes
 * down @gofd, then lets go and leaves.
 */
static pid_t start_waiter(int port, int *pipefd, int *gofd)
{
	pid_t kid;

	if (pipe(pipefd) || pipe(gofd))
		return -1;
	kid = fork();
	if (kid)
		return kid;
	{
		int fd = pc_open();
		__u64 token;
		char ok = 0, go;

		prctl(PR_SET_NAME, "pc waiter", 0, 0, 0);
		if (fd >= 0 && !pc_connect(fd, port, &token)) {
			ok = 1;
			if (write(pipefd[1], &token, sizeof(token)) < 0)
				_exit(2);
			if (pc_allocate(fd, token, 0, 0))
				_exit(3);
			if (read(gofd[0], &go, 1) != 1)
				_exit(4);
			pc_free(fd, token);
			pc_disconnect(fd, token);
		}
		_exit(ok ? 0 : 1);
	}
}

TEST_F(tr, sessions_file_waiting_holding_idle)
{
	struct pc_sess_line ls[MAX_LINES], *h, *w, *i;
	unsigned long long t0, t1, t2, t3;
	char comm[32];
	__u64 held, idle, wtoken = 0;
	unsigned int hslot, islot, wslot;
	int pid = getpid(), pipefd[2], gofd[2], n, tries, status;
	__u32 written;
	pid_t kid;

	my_comm(comm, sizeof(comm));
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &idle));
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &held));
	islot = idle & SLOT_MASK;
	hslot = held & SLOT_MASK;
	t0 = now_ns() / 1000000;
	ASSERT_EQ(0, pc_allocate(self->fd, held, 0, 0));
	t1 = now_ns() / 1000000;

	kid = start_waiter(self->num, pipefd, gofd);
	ASSERT_LT(0, kid);
	ASSERT_EQ(sizeof(wtoken), read(pipefd[0], &wtoken, sizeof(wtoken)));
	wslot = wtoken & SLOT_MASK;
	t2 = t1;
	/* Until it waits. */
	for (tries = 0, w = NULL; tries < 200; tries++) {
		n = read_sessions(ls, MAX_LINES);
		ASSERT_LE(0, n);
		w = find_line(ls, n, self->num, wslot, kid);
		if (w && !strcmp(w->state, "waiting"))
			break;
		sim_sleep_ms(10);
	}
	t3 = now_ns() / 1000000;
	ASSERT_NE(NULL, w);
	EXPECT_STREQ("waiting", w->state);
	EXPECT_STREQ("pc waiter", w->comm);
	EXPECT_STREQ("-", w->held);
	EXPECT_LE(t2, strtoull(w->waiting, NULL, 10));
	EXPECT_GE(t3, strtoull(w->waiting, NULL, 10));
	EXPECT_EQ(0, w->bytes);

	h = find_line(ls, n, self->num, hslot, pid);
	ASSERT_NE(NULL, h);
	EXPECT_STREQ("held", h->state);
	EXPECT_STREQ(comm, h->comm);
	EXPECT_STREQ("-", h->waiting);
	EXPECT_LE(t0, strtoull(h->held, NULL, 10));
	EXPECT_GE(t1, strtoull(h->held, NULL, 10));
	EXPECT_EQ(0, h->bytes);

	i = find_line(ls, n, self->num, islot, pid);
	ASSERT_NE(NULL, i);
	EXPECT_STREQ("idle", i->state);
	EXPECT_STREQ(comm, i->comm);
	EXPECT_STREQ("-", i->waiting);
	EXPECT_STREQ("-", i->held);

	/* The holder's bytes after a WRITE. */
	ASSERT_EQ(0, pc_write(self->fd, held, "12345", 5, 0, &written));
	n = read_sessions(ls, MAX_LINES);
	h = find_line(ls, n, self->num, hslot, pid);
	ASSERT_NE(NULL, h);
	EXPECT_EQ(5, h->bytes);

	/* DISCONNECT of the holder: its line goes, the waiter holds. */
	ASSERT_EQ(0, pc_disconnect(self->fd, held));
	n = read_sessions(ls, MAX_LINES);
	EXPECT_EQ(NULL, find_line(ls, n, self->num, hslot, pid));
	w = find_line(ls, n, self->num, wslot, kid);
	ASSERT_NE(NULL, w);
	EXPECT_STREQ("held", w->state);
	EXPECT_STREQ("-", w->waiting);

	ASSERT_EQ(1, write(gofd[1], "g", 1));
	ASSERT_EQ(kid, waitpid(kid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	ASSERT_EQ(0, pc_disconnect(self->fd, idle));
	/* No line of the port is left. */
	n = read_sessions(ls, MAX_LINES);
	ASSERT_LE(0, n);
	for (tries = 0; tries < n; tries++)
		EXPECT_NE(self->num, ls[tries].port);
	close(pipefd[0]);
	close(pipefd[1]);
	close(gofd[0]);
	close(gofd[1]);
}

TEST_F(tr, revoke_on_unplug)
{
	__u64 token;
	unsigned int slot;
	int pid = getpid();

	ASSERT_EQ(0, pc_connect(self->fd, self->num, &token));
	slot = token & SLOT_MASK;
	ASSERT_EQ(0, pc_allocate(self->fd, token, 0, 0));
	ASSERT_EQ(0, sim_puts(self->sim, "plugged", "0"));
	EXPECT_EQ(-ENODEV, pc_free(self->fd, token));
	ASSERT_LT(0, trace_read(self));
	EXPECT_LE(0, find_ev(self, 0, "revoke", slot, pid, "state=held"));
	EXPECT_EQ(0, pc_disconnect(self->fd, token));
}

TEST_HARNESS_MAIN
