// SPDX-License-Identifier: GPL-2.0
/*
 * unplug_load_test: a simulated port (parport_sim) unplugged and plugged
 * in again 50 times while parclass is busy on it.
 *
 * At each unplug the port has: a holder writing in a loop (and now and
 * then freeing and allocating again), a second thread writing on the
 * holder's session, threads waiting in blocking ALLOCATE, in ALLOCATE with
 * a short and with a long timeout, two asynchronous ALLOCATEs awaiting
 * their grant (one with poll() and a non-blocking read(), one with a
 * blocking read()), each of these writing when it gets the port, threads
 * connecting and disconnecting (or closing) in a loop, and a thread asking
 * IS_PORT_FREE, QUERY_NUM_WAITERS, GET_MODE and LIST_PORTS in a loop, and
 * a thread reading parclass's debugfs sessions file in a loop. In every
 * third round the peripheral turns busy first, so that the writing
 * holder is stuck at the unplug.
 *
 * Every call answers only what the uAPI documents for it, and a session
 * call answers ENODEV from the unplug on, never before it and always once
 * the unplug has returned. Every read of the sessions file keeps the
 * file's format and gives this process's pid for the port's sessions; a
 * read begun after the unplug returned lists none of them. Every call
 * running at the unplug, or made after it, ends within 1 s of it (the
 * longest is printed), and so does the unplug itself; each asynchronous
 * waiter hears PARCLASS_EVENT_REMOVED within that time, and every other
 * session of the port finds it waiting on its file. After each round every
 * thread is joined, every session disconnected (DISCONNECT of a revoked
 * session succeeds) and every file closed; the port is gone from
 * LIST_PORTS and CONNECT refuses it. Plugged in again it gets its old
 * number back within REUSE_BOUND: the dead port was freed, so no session
 * or pardevice kept it (until it is, a new port gets another number, so a
 * port plugged in under another number is unplugged and plugged again; the
 * longest wait is printed). LIST_PORTS shows it without sessions, holder
 * or waiters, and CONNECT, ALLOCATE, WRITE (the bytes reach the
 * peripheral), FREE and DISCONNECT work on it.
 *
 * parport_sim's module references: after each round they are back where
 * they were, none lost and none given back twice. parport_sim gives back
 * at the unplug the reference of each device still registered, which the
 * parport core would put against the dead operations; a device that
 * unregisters while the unplug swaps the operations would be missed by
 * both (parport_sim's port.c says why). parclass's sessions never are:
 * the port's removal waits for every session that DISCONNECT or close
 * took off the port to unregister its pardevice, so the CONNECT and
 * reopen threads racing the unplug lose nothing.
 *
 * Across the rounds the unplug must have met at least one blocking
 * ALLOCATE, one timed ALLOCATE, one queued asynchronous ALLOCATE and one
 * WRITE in flight, and the sessions file must have been read while an
 * unplug ran and have shown a holder. The guest starts every test on CPU
 * 0; this one spreads its threads over every CPU, so that calls and
 * unplugs really run at the same time (it drives only its own simulated
 * port, which has no interrupt line, so the port interrupts kept away from
 * CPU 0 do not concern it). The whole run is bounded (60 s, 120 s on the
 * debug kernel); alarm() ends a round that hangs with the calls still
 * running named.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/parclass.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
#include "sim_control.h"

#define MS		1000000ULL
#define ROUNDS		50
/* Every call running at the unplug, or made after it, ends within this. */
#define END_BOUND	(1000 * MS)
/* A call still running this long after the unplug is taken for hung. */
#define HANG_BOUND	(5000 * MS)
/* The dead port is freed, and its number free again, within this. */
#define REUSE_BOUND	(10000 * MS)
/* A round (set-up, load, unplug, checks, plug) that outlasts this hangs. */
#define ROUND_ALARM_S	30
/* The whole run: on Debian's kernels, and on the debug kernel (two lanes). */
#define BUDGET_S	60
#define BUDGET_DEBUG_S	120
/* Transfers never time out by themselves here. */
#define XFER_TIMEOUT	(30000 * MS)
/* Load before the unplug: from LOAD_MIN_MS to LOAD_MIN_MS + LOAD_SPREAD_MS. */
#define LOAD_MIN_MS	40
#define LOAD_SPREAD_MS	120
#define LIST_ROOM	32
/* Room for the sessions file's text and lines. */
#define SESS_BUF	(256 * 1024)
#define SESS_ROOM	1024

enum role {
	R_HOLD,		/* holds the port: WRITE in a loop, FREE + ALLOCATE now and then */
	R_COWRITE,	/* WRITE in a loop on the holder's session */
	R_BLOCK,	/* blocking ALLOCATE, WRITE, QUERY_INFORMATION, FREE */
	R_TIMED,	/* the same with a timed ALLOCATE */
	R_ASYNC_POLL,	/* asynchronous ALLOCATE; poll() and non-blocking read() */
	R_ASYNC_READ,	/* asynchronous ALLOCATE; blocking read() */
	R_CONNECT,	/* CONNECT, try-ALLOCATE (WRITE, FREE), DISCONNECT */
	R_REOPEN,	/* open, CONNECT, QUERY_NUM_WAITERS, close */
	R_QUERY,	/* IS_PORT_FREE, QUERY_NUM_WAITERS, GET_MODE, LIST_PORTS */
	R_SESSIONS,	/* read PC_SESSIONS_FILE */
};

struct spec {
	enum role role;
	const char *name;
	__u64 timeout_ns;
};

static const struct spec specs[] = {
	{ R_HOLD, "holder" },
	{ R_COWRITE, "co-writer" },
	{ R_BLOCK, "blocking-1" },
	{ R_BLOCK, "blocking-2" },
	{ R_TIMED, "timed-5ms", 5 * MS },
	{ R_TIMED, "timed-10s", 10000 * MS },
	{ R_ASYNC_POLL, "async-poll" },
	{ R_ASYNC_READ, "async-read" },
	{ R_CONNECT, "connect-1" },
	{ R_CONNECT, "connect-2" },
	{ R_REOPEN, "reopen" },
	{ R_QUERY, "query" },
	{ R_SESSIONS, "sessions-file" },
};

#define NR_WORKERS	ARRAY_SIZE(specs)

struct worker {
	const struct spec *spec;
	int num;		/* the port's number */
	int fd;			/* a file the main thread opened, or -1 */
	__u64 token;		/* a session the main thread made, or 0 */
	pthread_t th;
	bool started;
	/* What runs now, for a report of a hang; since is 0 between calls. */
	const char *call;	/* __atomic_*_n() */
	atomic_ullong since;
	bool session_call;
	atomic_int finished;
	/* The call that met the removal. */
	const char *end_call;
	__u64 end_ns;
	bool end_in_flight;	/* it was running when the unplug began */
	bool granted;		/* async: the wait that met the removal was granted first */
	bool removed_event;	/* async: read PARCLASS_EVENT_REMOVED */
	/* sessions file: reads begun while the unplug ran, lines seen held */
	unsigned int reads_in_unplug, held_seen;
	/* The latest end of a call after the unplug began, and that call. */
	__u64 max_lat;
	const char *max_call;
	unsigned long calls;
	char err[256];
};

static struct worker workers[NR_WORKERS];
/* When the unplug began and when it returned; 0 before. */
static atomic_ullong unplug_t0, unplug_t1;
static atomic_int round_now;
static unsigned char payload[4096];

/* The first thing that went wrong in a worker; the main thread reports it. */
static void wfail(struct worker *w, const char *fmt, ...)
{
	va_list ap;

	if (w->err[0])
		return;
	va_start(ap, fmt);
	vsnprintf(w->err, sizeof(w->err), fmt, ap);
	va_end(ap);
}

static void begin(struct worker *w, const char *call, bool session_call)
{
	__atomic_store_n(&w->call, call, __ATOMIC_RELAXED);
	w->session_call = session_call;
	atomic_store(&w->since, now_ns());
}

static void met_removal(struct worker *w, const char *call, __u64 start,
			__u64 end, __u64 t0)
{
	if (w->end_call)
		return;
	w->end_call = call;
	w->end_ns = end;
	w->end_in_flight = start < t0;
}

/*
 * A call ended with @ret (0 or a count, or -errno), which @ok says the
 * uAPI allows. True when it is the removal's ENODEV: the worker stops.
 */
static bool finish(struct worker *w, int ret, bool ok)
{
	__u64 end = now_ns(), t0 = atomic_load(&unplug_t0);
	__u64 t1 = atomic_load(&unplug_t1), start = atomic_load(&w->since);
	const char *call = __atomic_load_n(&w->call, __ATOMIC_RELAXED);

	atomic_store(&w->since, 0);
	w->calls++;
	if (t0 && end > t0 && end - t0 > w->max_lat) {
		w->max_lat = end - t0;
		w->max_call = call;
	}
	if (!ok)
		wfail(w, "%s answered %d (%s)", call, ret,
		      ret < 0 ? strerror(-ret) : "a count");
	/* Begun after the unplug returned: the port is gone for it. */
	if (w->session_call && t1 && start > t1 && ret != -ENODEV)
		wfail(w, "%s, begun after the unplug returned, answered %d (%s)",
		      call, ret, ret < 0 ? strerror(-ret) : "success");
	if (ret != -ENODEV)
		return false;
	if (!t0) {
		wfail(w, "%s answered ENODEV before the unplug", call);
		t0 = end;
	}
	met_removal(w, call, start, end, t0);
	return true;
}

/* Between two tries of a call that answered busy. */
static void back_off(void)
{
	sim_sleep_ms(1);
}

static int pc_query_info(int fd, __u64 token)
{
	struct parclass_query_information q = { .size = sizeof(q) };

	q.token = token;
	return pc_ret(ioctl(fd, PARCLASS_IOC_QUERY_INFORMATION, &q));
}

static int pc_list(int fd, struct parclass_port_entry *e, __u32 room,
		   __u32 *total)
{
	struct parclass_list_ports l = { .size = sizeof(l) };
	int ret;

	l.count = room;
	l.entry_size = sizeof(*e);
	l.entries = (__u64)(unsigned long)e;
	ret = pc_ret(ioctl(fd, PARCLASS_IOC_LIST_PORTS, &l));
	*total = l.count;
	return ret;
}

/* Holding the port: WRITE, QUERY_INFORMATION, FREE. True at the removal. */
static bool hold_work(struct worker *w, __u32 len)
{
	__u32 written;
	int ret;

	begin(w, "WRITE", true);
	ret = pc_write(w->fd, w->token, payload, len, XFER_TIMEOUT, &written);
	if (finish(w, ret, !ret || ret == -ENODEV))
		return true;
	begin(w, "QUERY_INFORMATION", true);
	ret = pc_query_info(w->fd, w->token);
	if (finish(w, ret, !ret || ret == -ENODEV))
		return true;
	begin(w, "FREE", true);
	ret = pc_free(w->fd, w->token);
	return finish(w, ret, !ret || ret == -ENODEV);
}

static void run_hold(struct worker *w)
{
	unsigned int n = 0;
	bool held = true;	/* the main thread allocated for it */
	__u32 written;
	int ret;

	for (;;) {
		if (!held) {
			begin(w, "ALLOCATE", true);
			ret = pc_allocate(w->fd, w->token, 0, 0);
			if (finish(w, ret, !ret || ret == -ENODEV))
				return;
			held = !ret;
			continue;
		}
		begin(w, "WRITE", true);
		ret = pc_write(w->fd, w->token, payload, 2048, XFER_TIMEOUT,
			       &written);
		/* EBUSY: the co-writer's WRITE runs. */
		if (finish(w, ret, !ret || ret == -EBUSY || ret == -ENODEV))
			return;
		if (ret) {
			back_off();
			continue;
		}
		if (++n % 4 == 0) {
			begin(w, "QUERY_INFORMATION", true);
			ret = pc_query_info(w->fd, w->token);
			if (finish(w, ret, !ret || ret == -ENODEV))
				return;
		}
		if (n % 8 == 0) {
			begin(w, "FREE", true);
			ret = pc_free(w->fd, w->token);
			if (finish(w, ret, !ret || ret == -EBUSY ||
				   ret == -ENODEV))
				return;
			held = ret != 0;
		}
	}
}

static void run_cowrite(struct worker *w)
{
	__u32 written;
	int ret;

	for (;;) {
		begin(w, "WRITE", true);
		ret = pc_write(w->fd, w->token, payload, 512, XFER_TIMEOUT,
			       &written);
		/* EBUSY: the holder's WRITE runs; EPERM: it freed the port. */
		if (finish(w, ret, !ret || ret == -EBUSY || ret == -EPERM ||
			   ret == -ENODEV))
			return;
		if (ret)
			back_off();
	}
}

static void run_allocate(struct worker *w)
{
	__u64 timeout = w->spec->timeout_ns;
	int ret;

	for (;;) {
		begin(w, "ALLOCATE", true);
		ret = pc_allocate(w->fd, w->token, 0, timeout);
		if (finish(w, ret, !ret || ret == -ENODEV ||
			   (timeout && ret == -ETIMEDOUT)))
			return;
		if (!ret && hold_work(w, 1024))
			return;
	}
}

/*
 * Wait for the file's events with poll() and a non-blocking read(), or a
 * blocking read(); the PARCLASS_EVENT_* bits of the worker's session, or
 * 0 when @poll_ms passed (poll() only) or nothing came.
 */
static __u32 await_events(struct worker *w, bool use_poll, int poll_ms,
			  __u64 *wait_start)
{
	struct parclass_event ev[4];
	struct pollfd p = { .fd = w->fd, .events = POLLIN };
	__u32 bits = 0;
	ssize_t r;
	size_t i;
	int n;

	*wait_start = now_ns();
	if (use_poll) {
		begin(w, "poll", false);
		n = poll(&p, 1, poll_ms);
		finish(w, n < 0 ? -errno : n, n >= 0);
		if (n <= 0)
			return 0;
		if (p.revents != POLLIN) {
			wfail(w, "poll reported %#x", p.revents);
			back_off();
			return 0;
		}
	}
	begin(w, "read", false);
	r = read(w->fd, ev, sizeof(ev));
	finish(w, r < 0 ? -errno : (int)r,
	       (r > 0 && r % sizeof(ev[0]) == 0) ||
	       (use_poll && r < 0 && errno == EAGAIN));
	if (r <= 0) {
		back_off();
		return 0;
	}
	for (i = 0; i < r / sizeof(ev[0]); i++) {
		if (ev[i].token != w->token)
			wfail(w, "read a record of token %#llx",
			      (unsigned long long)ev[i].token);
		else
			bits |= ev[i].events;
	}
	if (bits & ~(PARCLASS_EVENT_GRANTED | PARCLASS_EVENT_REMOVED))
		wfail(w, "read events %#x", bits);
	return bits;
}

static void run_async(struct worker *w, bool use_poll)
{
	__u64 start, t0, end;
	__u32 bits;
	int ret;

	for (;;) {
		begin(w, "ALLOCATE async", true);
		ret = pc_allocate(w->fd, w->token, PARCLASS_ALLOCATE_ASYNC, 0);
		if (finish(w, ret, !ret || ret == -EINPROGRESS ||
			   ret == -ENODEV))
			break;
		if (ret == -EINPROGRESS) {
			do {
				bits = await_events(w, use_poll, 500, &start);
			} while (!bits);
			if (bits & PARCLASS_EVENT_REMOVED) {
				end = now_ns();
				t0 = atomic_load(&unplug_t0);
				if (!t0)
					wfail(w, "REMOVED before the unplug");
				w->removed_event = true;
				w->granted = bits & PARCLASS_EVENT_GRANTED;
				met_removal(w, use_poll ? "poll/read" : "read",
					    start, end, t0 ? t0 : end);
				return;
			}
		} else if (ret) {
			continue;
		}
		if (hold_work(w, 1024))
			break;
	}
	/* Met by a request: the REMOVED event comes all the same. */
	while (!w->removed_event) {
		bits = await_events(w, use_poll, 2000, &start);
		if (bits & PARCLASS_EVENT_REMOVED)
			w->removed_event = true;
		else if (use_poll && !bits &&
			 now_ns() - atomic_load(&unplug_t0) > HANG_BOUND)
			return;
	}
}

static void run_connect(struct worker *w)
{
	__u64 token;
	bool gone;
	int ret;

	for (;;) {
		begin(w, "CONNECT", true);
		ret = pc_connect(w->fd, w->num, &token);
		if (finish(w, ret, !ret || ret == -ENODEV))
			return;
		if (ret)
			continue;
		begin(w, "ALLOCATE try", true);
		ret = pc_try_allocate(w->fd, token);
		gone = finish(w, ret, !ret || ret == -EAGAIN || ret == -ENODEV);
		if (!ret) {
			__u32 written;

			begin(w, "WRITE", true);
			ret = pc_write(w->fd, token, payload, 64, XFER_TIMEOUT,
				       &written);
			gone |= finish(w, ret, !ret || ret == -ENODEV);
			begin(w, "FREE", true);
			ret = pc_free(w->fd, token);
			gone |= finish(w, ret, !ret || ret == -ENODEV);
		}
		/* A revoked session is disconnected all the same. */
		begin(w, "DISCONNECT", false);
		ret = pc_disconnect(w->fd, token);
		finish(w, ret, !ret);
		if (gone)
			return;
	}
}

static void run_reopen(struct worker *w)
{
	__u32 waiters, other;
	__u64 token;
	bool gone;
	int fd, ret;

	for (;;) {
		begin(w, "open", false);
		fd = pc_open();
		finish(w, fd < 0 ? -errno : 0, fd >= 0);
		if (fd < 0) {
			back_off();
			continue;
		}
		begin(w, "CONNECT", true);
		ret = pc_connect(fd, w->num, &token);
		gone = finish(w, ret, !ret || ret == -ENODEV);
		if (!ret) {
			begin(w, "QUERY_NUM_WAITERS", true);
			ret = pc_num_waiters(fd, token, &waiters, &other);
			gone |= finish(w, ret, !ret || ret == -ENODEV);
		}
		/* close() disconnects the session, revoked or not. */
		begin(w, "close", false);
		ret = close(fd);
		finish(w, ret ? -errno : 0, !ret);
		if (gone)
			return;
	}
}

static void run_query(struct worker *w)
{
	static struct parclass_port_entry e[LIST_ROOM];
	__u32 waiters, other, rmode, wmode, total;
	int ret;

	for (;;) {
		begin(w, "IS_PORT_FREE", true);
		ret = pc_is_free(w->fd, w->token);
		if (finish(w, ret, ret == 0 || ret == 1 || ret == -ENODEV))
			return;
		begin(w, "QUERY_NUM_WAITERS", true);
		ret = pc_num_waiters(w->fd, w->token, &waiters, &other);
		if (finish(w, ret, !ret || ret == -ENODEV))
			return;
		begin(w, "GET_MODE", true);
		ret = pc_get_mode(w->fd, w->token, &rmode, &wmode);
		if (finish(w, ret, !ret || ret == -ENODEV))
			return;
		begin(w, "LIST_PORTS", false);
		ret = pc_list(w->fd, e, LIST_ROOM, &total);
		finish(w, ret, !ret);
	}
}

/*
 * Read the sessions file in a loop until a read begun after the unplug
 * returned lists no session of the port any more, which must be the
 * first such read.
 */
static void run_sessions(struct worker *w)
{
	static struct pc_sess_line ls[SESS_ROOM];
	static char buf[SESS_BUF];
	__u64 start, t0, t1;
	int i, n, mine;
	ssize_t got;

	for (;;) {
		begin(w, "sessions read", false);
		start = now_ns();
		got = sim_read_path(PC_SESSIONS_FILE, buf, sizeof(buf));
		n = got < 0 ? -1 : pc_sessions_parse(buf, ls, SESS_ROOM);
		t0 = atomic_load(&unplug_t0);
		t1 = atomic_load(&unplug_t1);
		finish(w, n < 0 ? -EIO : 0, n >= 0 && n < SESS_ROOM &&
		       (size_t)got + 1 < sizeof(buf));
		if (n < 0) {
			wfail(w, "read %zd bytes that break the format", got);
			return;
		}
		for (i = 0, mine = 0; i < n; i++) {
			if (ls[i].port != w->num)
				continue;
			mine++;
			if (ls[i].pid != getpid())
				wfail(w, "slot %u of the port gives pid %d",
				      ls[i].slot, ls[i].pid);
			if (!strcmp(ls[i].state, "held"))
				w->held_seen++;
		}
		if (t0 && start > t0 && (!t1 || start < t1))
			w->reads_in_unplug++;
		if (t1 && start > t1) {
			if (mine)
				wfail(w, "%d sessions of the removed port listed",
				      mine);
			met_removal(w, "sessions read", start, now_ns(), t0);
			return;
		}
	}
}

static void *worker_main(void *arg)
{
	struct worker *w = arg;

	switch (w->spec->role) {
	case R_HOLD:
		run_hold(w);
		break;
	case R_COWRITE:
		run_cowrite(w);
		break;
	case R_BLOCK:
	case R_TIMED:
		run_allocate(w);
		break;
	case R_ASYNC_POLL:
		run_async(w, true);
		break;
	case R_ASYNC_READ:
		run_async(w, false);
		break;
	case R_CONNECT:
		run_connect(w);
		break;
	case R_REOPEN:
		run_reopen(w);
		break;
	case R_QUERY:
		run_query(w);
		break;
	case R_SESSIONS:
		run_sessions(w);
		break;
	}
	atomic_store(&w->finished, 1);
	return NULL;
}

/* Names the calls still running; from the alarm and the hang check. */
static void report_running(int out)
{
	__u64 now = now_ns(), t0 = atomic_load(&unplug_t0), since;
	char line[192];
	size_t i;
	int n;

	n = snprintf(line, sizeof(line),
		     "# round %d: %s%llu ms after the unplug began\n",
		     atomic_load(&round_now), t0 ? "" : "not unplugged; ",
		     t0 ? (unsigned long long)((now - t0) / MS) : 0ULL);
	if (n > 0 && write(out, line, n) < 0)
		return;
	for (i = 0; i < NR_WORKERS; i++) {
		struct worker *w = &workers[i];

		if (!w->started || atomic_load(&w->finished))
			continue;
		since = atomic_load(&w->since);
		n = snprintf(line, sizeof(line),
			     "#   %s: %s running for %llu ms\n", w->spec->name,
			     since ? __atomic_load_n(&w->call, __ATOMIC_RELAXED) :
				     "(between calls)",
			     since ? (unsigned long long)((now - since) / MS) : 0ULL);
		if (n > 0 && write(out, line, n) < 0)
			return;
	}
}

static void on_alarm(int sig)
{
	static const char msg[] = "# unplug_load_test: a round hung\n";

	(void)sig;
	if (write(1, msg, sizeof(msg) - 1) > 0)
		report_running(1);
	_exit(KSFT_FAIL);
}

/* Let the calling thread, and the threads it makes, run on every CPU. */
static long spread_over_cpus(void)
{
	long i, n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	if (n < 2 || n > CPU_SETSIZE)
		return 1;
	CPU_ZERO(&set);
	for (i = 0; i < n; i++)
		CPU_SET(i, &set);
	return sched_setaffinity(0, sizeof(set), &set) ? 1 : n;
}

/* Does the guest run the debug kernel (KASAN, lockdep)? */
static bool lane_is_debug(void)
{
	char lane[32];

	if (pc_file_get("/etc/parclass/lane", lane, sizeof(lane)))
		return false;
	return !strcmp(lane, "debug") || !strcmp(lane, "smp1");
}

/* Every worker finished by @deadline? */
static bool workers_finish_by(__u64 deadline)
{
	size_t i;

	for (;;) {
		for (i = 0; i < NR_WORKERS; i++)
			if (workers[i].started && !atomic_load(&workers[i].finished))
				break;
		if (i == NR_WORKERS)
			return true;
		if (now_ns() > deadline)
			return false;
		sim_sleep_ms(1);
	}
}

/* The entry of port @num in LIST_PORTS into @out; false if not listed. */
static bool port_listed(int fd, int num, struct parclass_port_entry *out)
{
	static struct parclass_port_entry e[LIST_ROOM];
	__u32 total, i;

	if (pc_list(fd, e, LIST_ROOM, &total))
		return false;
	for (i = 0; i < total && i < LIST_ROOM; i++) {
		if (e[i].info.number == (__u32)num) {
			if (out)
				*out = e[i];
			return true;
		}
	}
	return false;
}

/* Counts of removals met in flight, across the rounds. */
struct tally {
	unsigned int alloc_block, alloc_timed, async_wait, write, connect;
	unsigned int reads_in_unplug, held_seen;
	long lost_refs;
	__u64 max_lat, max_unplug, max_reuse;
	unsigned int replugs;
	const char *max_who, *max_call;
	int max_round;
};

FIXTURE(unplug) {
	char name[32];
	int num;
	long refs;
};

FIXTURE_SETUP(unplug)
{
	size_t i;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = i * 13 + 5;
	snprintf(self->name, sizeof(self->name), "unplug%d", (int)getpid());
	ASSERT_EQ(0, sim_puts("", "new", self->name));
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "1"));
	self->num = sim_number(self->name);
	ASSERT_LE(2, self->num);
	/* With the port plugged and no session on it. */
	self->refs = sim_refcnt();
	ASSERT_LE(0, self->refs);
}

FIXTURE_TEARDOWN(unplug)
{
	alarm(0);
	sim_destroy(self->name);
}

/* Set up a round's files and sessions on port @num and start the workers. */
static int start_round(struct __test_metadata *_metadata, int num)
{
	struct worker *holder = &workers[0];
	size_t i;

	memset(workers, 0, sizeof(workers));
	for (i = 0; i < NR_WORKERS; i++) {
		struct worker *w = &workers[i];

		w->spec = &specs[i];
		w->num = num;
		w->fd = -1;
		switch (w->spec->role) {
		case R_COWRITE:
			w->fd = holder->fd;
			w->token = holder->token;
			break;
		case R_REOPEN:
		case R_SESSIONS:
			break;
		case R_CONNECT:
			w->fd = pc_open();
			break;
		default:
			w->fd = pc_open();
			if (w->fd < 0 || pc_connect(w->fd, num, &w->token)) {
				TH_LOG("%s: set-up: %s", w->spec->name,
				       strerror(errno));
				return -1;
			}
		}
		if (w->spec->role != R_REOPEN && w->spec->role != R_SESSIONS &&
		    w->fd < 0) {
			TH_LOG("%s: open: %s", w->spec->name, strerror(errno));
			return -1;
		}
		if (w->spec->role == R_ASYNC_POLL &&
		    fcntl(w->fd, F_SETFL, O_NONBLOCK))
			return -1;
	}
	if (holder->spec->role != R_HOLD ||
	    pc_try_allocate(holder->fd, holder->token)) {
		TH_LOG("the holder could not take the port");
		return -1;
	}
	for (i = 0; i < NR_WORKERS; i++) {
		if (pthread_create(&workers[i].th, NULL, worker_main,
				   &workers[i]))
			return -1;
		workers[i].started = true;
	}
	return 0;
}

/* Sessions the main thread made (not the co-writer's copy of the holder's). */
static bool owns_session(const struct worker *w)
{
	return w->token && w->spec->role != R_COWRITE;
}

/* After the joins: each worker's verdict, into @t; false on a failure. */
static bool check_workers(struct __test_metadata *_metadata, int round,
			  struct tally *t)
{
	bool ok = true;
	size_t i;

	for (i = 0; i < NR_WORKERS; i++) {
		struct worker *w = &workers[i];
		__u64 t0 = atomic_load(&unplug_t0);
		enum role r = w->spec->role;

		if (w->err[0]) {
			TH_LOG("round %d: %s: %s", round, w->spec->name, w->err);
			ok = false;
		}
		if (!w->end_call) {
			TH_LOG("round %d: %s never met the removal", round,
			       w->spec->name);
			ok = false;
			continue;
		}
		if (w->max_lat > END_BOUND) {
			TH_LOG("round %d: %s: %s ended %llu ms after the unplug",
			       round, w->spec->name, w->max_call,
			       (unsigned long long)(w->max_lat / MS));
			ok = false;
		}
		if (w->max_lat > t->max_lat) {
			t->max_lat = w->max_lat;
			t->max_who = w->spec->name;
			t->max_call = w->max_call;
			t->max_round = round;
		}
		if ((r == R_ASYNC_POLL || r == R_ASYNC_READ) &&
		    !w->removed_event) {
			TH_LOG("round %d: %s: no PARCLASS_EVENT_REMOVED", round,
			       w->spec->name);
			ok = false;
		}
		t->reads_in_unplug += w->reads_in_unplug;
		t->held_seen += w->held_seen;
		if (w->end_ns < t0 || !w->end_in_flight)
			continue;
		if (!strcmp(w->end_call, "ALLOCATE"))
			(*(r == R_TIMED ? &t->alloc_timed : &t->alloc_block))++;
		else if (!strcmp(w->end_call, "WRITE"))
			t->write++;
		else if (!strcmp(w->end_call, "CONNECT"))
			t->connect++;
		else if ((!strcmp(w->end_call, "poll/read") ||
			  !strcmp(w->end_call, "read")) && !w->granted)
			t->async_wait++;
	}
	return ok;
}

/*
 * Every session of the port that the main thread made finds
 * PARCLASS_EVENT_REMOVED on its file (the asynchronous ones read theirs);
 * DISCONNECT succeeds on it, and the files close.
 */
static void close_round(struct __test_metadata *_metadata, int round)
{
	struct parclass_event ev[4];
	size_t i;
	ssize_t r;

	for (i = 0; i < NR_WORKERS; i++) {
		struct worker *w = &workers[i];
		enum role role = w->spec->role;

		if (owns_session(w) && role != R_ASYNC_POLL &&
		    role != R_ASYNC_READ) {
			EXPECT_EQ(0, fcntl(w->fd, F_SETFL, O_NONBLOCK));
			r = read(w->fd, ev, sizeof(ev));
			EXPECT_EQ((ssize_t)sizeof(ev[0]), r)
				TH_LOG("round %d: %s: read: %zd (%s)", round,
				       w->spec->name, r, strerror(errno));
			if (r == sizeof(ev[0])) {
				EXPECT_EQ(w->token, ev[0].token);
				EXPECT_EQ(PARCLASS_EVENT_REMOVED, ev[0].events)
					TH_LOG("round %d: %s", round,
					       w->spec->name);
			}
		}
		if (owns_session(w)) {
			EXPECT_EQ(0, pc_disconnect(w->fd, w->token))
				TH_LOG("round %d: %s: DISCONNECT", round,
				       w->spec->name);
			EXPECT_EQ(-ESTALE, pc_is_free(w->fd, w->token));
		}
		if (w->fd >= 0 && role != R_COWRITE) {
			EXPECT_EQ(0, close(w->fd))
				TH_LOG("round %d: %s: close", round,
				       w->spec->name);
		}
		w->fd = -1;
	}
}

/*
 * Plug port @name in again until it gets number @num back (an extra
 * unplug and plug while the dead port is not freed yet); false if that
 * takes longer than REUSE_BOUND.
 */
static bool replug(struct __test_metadata *_metadata, const char *name,
		   int num, int round, struct tally *t)
{
	__u64 t0 = now_ns(), waited;
	int got;

	for (;;) {
		if (sim_puts(name, "plugged", "1"))
			return false;
		got = sim_number(name);
		waited = now_ns() - t0;
		if (got == num)
			break;
		if (waited > REUSE_BOUND) {
			TH_LOG("round %d: parport%d not free again after %llu ms (got parport%d)",
			       round, num, (unsigned long long)(waited / MS),
			       got);
			return false;
		}
		t->replugs++;
		if (sim_puts(name, "plugged", "0"))
			return false;
		sim_sleep_ms(50);
	}
	if (waited > t->max_reuse)
		t->max_reuse = waited;
	return true;
}

/* The port plugged in again is whole and serves a new session. */
static void check_replugged(struct __test_metadata *_metadata,
			    const char *name, int num, long *base_refs,
			    int round, struct tally *t)
{
	static const char msg[] = "unplug_load_test: a new session works";
	struct parclass_port_entry e = { 0 };
	char got[64] = "";
	__u32 written;
	__u64 token;
	long refs;
	int fd;

	/* See the top of the file. */
	refs = sim_refcnt();
	EXPECT_EQ(*base_refs, refs)
		TH_LOG("round %d: parport_sim's module references", round);
	t->lost_refs += refs - *base_refs;
	*base_refs = refs;
	fd = pc_open();
	ASSERT_LE(0, fd);
	EXPECT_TRUE(port_listed(fd, num, &e));
	EXPECT_EQ(0, e.sessions);
	EXPECT_EQ(PARCLASS_HOLDER_NONE, e.holder);
	EXPECT_EQ(0, e.waiters);

	ASSERT_EQ(0, sim_puts(name, "forward", "x"));
	ASSERT_EQ(0, pc_connect(fd, num, &token));
	EXPECT_EQ(0, pc_allocate(fd, token, 0, 2000 * MS));
	EXPECT_EQ(0, pc_write(fd, token, msg, strlen(msg), XFER_TIMEOUT,
			      &written));
	EXPECT_EQ(strlen(msg), written);
	EXPECT_EQ((ssize_t)strlen(msg),
		  sim_get(name, "forward", got, sizeof(got)));
	EXPECT_STREQ(msg, got);
	EXPECT_EQ(0, pc_free(fd, token));
	EXPECT_EQ(0, pc_disconnect(fd, token));
	EXPECT_EQ(0, close(fd));
}

TEST_F_TIMEOUT(unplug, fifty_rounds_under_load, 180)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	unsigned int budget = lane_is_debug() ? BUDGET_DEBUG_S : BUDGET_S;
	struct tally t = { 0 };
	__u64 start = now_ns(), t0, t1;
	long cpus = spread_over_cpus();
	char port[16];
	int round, fd;
	__u64 token;
	size_t i;

	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	for (round = 0; round < ROUNDS; round++) {
		unsigned int load_ms = LOAD_MIN_MS + (round * 37) % LOAD_SPREAD_MS;
		bool busy = round % 3 == 2;

		atomic_store(&round_now, round);
		atomic_store(&unplug_t0, 0);
		atomic_store(&unplug_t1, 0);
		alarm(ROUND_ALARM_S);
		ASSERT_EQ(0, start_round(_metadata, self->num))
			TH_LOG("round %d: set-up", round);

		sim_sleep_ms(load_ms / 2);
		/* The writing holder is stuck at the unplug. */
		if (busy)
			ASSERT_EQ(0, sim_puts(self->name, "faults", "busy"));
		sim_sleep_ms(load_ms - load_ms / 2);

		t0 = now_ns();
		atomic_store(&unplug_t0, t0);
		ASSERT_EQ(0, sim_puts(self->name, "plugged", "0"));
		t1 = now_ns();
		atomic_store(&unplug_t1, t1);
		if (t1 - t0 > t.max_unplug)
			t.max_unplug = t1 - t0;
		EXPECT_GE(END_BOUND, t1 - t0)
			TH_LOG("round %d: the unplug took %llu ms", round,
			       (unsigned long long)((t1 - t0) / MS));

		if (!workers_finish_by(t0 + HANG_BOUND)) {
			TH_LOG("round %d: calls still running %llu ms after the unplug:",
			       round, (unsigned long long)(HANG_BOUND / MS));
			fflush(stdout);
			report_running(1);
			for (i = 0; i < NR_WORKERS; i++)
				if (workers[i].err[0])
					TH_LOG("%s: %s", workers[i].spec->name,
					       workers[i].err);
			ASSERT_TRUE(0);
		}
		for (i = 0; i < NR_WORKERS; i++)
			ASSERT_EQ(0, pthread_join(workers[i].th, NULL));
		EXPECT_TRUE(check_workers(_metadata, round, &t));
		close_round(_metadata, round);

		/* Unplugged: not listed, not connectable. */
		fd = pc_open();
		ASSERT_LE(0, fd);
		EXPECT_FALSE(port_listed(fd, self->num, NULL))
			TH_LOG("round %d: LIST_PORTS still lists the port",
			       round);
		EXPECT_EQ(-ENODEV, pc_connect(fd, self->num, &token));
		EXPECT_EQ(0, close(fd));
		EXPECT_LT(0, sim_get(self->name, "port", port, sizeof(port)));
		EXPECT_STREQ("none\n", port);

		ASSERT_EQ(0, sim_puts(self->name, "faults", "none"));
		/* The dead port was freed: no session or pardevice kept it. */
		ASSERT_TRUE(replug(_metadata, self->name, self->num, round,
				   &t));
		check_replugged(_metadata, self->name, self->num, &self->refs,
				round, &t);
		if (!__test_passed(_metadata))
			break;
		ASSERT_GE((__u64)budget * 1000 * MS, now_ns() - start)
			TH_LOG("%d rounds took longer than %u s", round + 1,
			       budget);
	}
	alarm(0);

	printf("# %d rounds in %llu ms (budget %u s), on %ld CPUs\n", round,
	       (unsigned long long)((now_ns() - start) / MS), budget, cpus);
	printf("# longest end of a call after an unplug began: %llu.%03llu ms (%s, %s, round %d)\n",
	       (unsigned long long)(t.max_lat / MS),
	       (unsigned long long)(t.max_lat % MS / 1000),
	       t.max_who ? t.max_who : "-", t.max_call ? t.max_call : "-",
	       t.max_round);
	printf("# longest unplug: %llu.%03llu ms\n",
	       (unsigned long long)(t.max_unplug / MS),
	       (unsigned long long)(t.max_unplug % MS / 1000));
	printf("# longest wait for the port's number: %llu ms (%u extra plugs in all)\n",
	       (unsigned long long)(t.max_reuse / MS), t.replugs);
	printf("# in flight: ALLOCATE %u, timed ALLOCATE %u, async wait %u, WRITE %u, CONNECT %u\n",
	       t.alloc_block, t.alloc_timed, t.async_wait, t.write, t.connect);
	printf("# sessions file: %u reads begun during an unplug, %u lines of a holder\n",
	       t.reads_in_unplug, t.held_seen);
	printf("# parport_sim module references lost: %ld\n",
	       t.lost_refs);
	fflush(stdout);
	EXPECT_GE(END_BOUND, t.max_lat);
	/* The load was there when the port went. */
	EXPECT_LT(0, t.alloc_block);
	EXPECT_LT(0, t.alloc_timed);
	EXPECT_LT(0, t.async_wait);
	EXPECT_LT(0, t.write);
	EXPECT_LT(0, t.reads_in_unplug);
	EXPECT_LT(0, t.held_seen);
}

TEST_HARNESS_MAIN
