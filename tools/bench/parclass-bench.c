// SPDX-License-Identifier: GPL-2.0
/*
 * parclass-bench: parclass against its peers, in the same boot.
 *
 *   parclass-bench PORT [SIMPORT [SIMDIR [SIMPORT2]]]
 *
 * It prints one Markdown table: for each operation what parclass takes,
 * what the closest thing the kernel already offers takes on the same
 * port (ppdev, lp), their ratio and, where one is set, the goal and
 * whether this run met it. Unless a row says otherwise the ratio is the
 * peer's time over parclass's (parclass's rate over the peer's): above
 * 1, parclass is faster. Times are the median of ROUNDS rounds, the two
 * sides taking turns (CLOCK_MONOTONIC).
 *
 * On PORT (a port with nothing attached that lp and ppdev also serve):
 *
 * - a null request: GET_VERSION against ppdev's PPGETMODE on a file that
 *   never claimed (neither touches the port);
 * - claim + release of a free port: ALLOCATE(TRY) + FREE, and blocking
 *   ALLOCATE + FREE, against ppdev's PPCLAIM + PPRELEASE;
 * - a whole client: CONNECT + ALLOCATE(TRY) + FREE + DISCONNECT against
 *   open() + PPCLAIM + PPRELEASE + close() of /dev/parportN (ppdev
 *   registers its device at the first PPCLAIM and drops it at close),
 *   one after another, and one on a port its clients left alone for
 *   4.5 s (no parclass device left there to take over);
 * - printing 64 KiB: ALLOCATE + WRITE + FREE against write() to /dev/lpN;
 * - a JTAG-style bit-bang of 10,000 cycles (data with the clock low, data
 *   with the clock high, read the status: TDI/TMS out, TCK, TDO in) as
 *   one PIN_PROGRAM against one ppdev ioctl per operation (PPWDATA,
 *   PPWDATA, PPRSTATUS), on the held port;
 * - a status read: REGISTER(READ_STATUS) and QUERY_INFORMATION against
 *   PPRSTATUS;
 * - idle clients: ALLOCATE + FREE with IDLE_SESSIONS other sessions
 *   connected to the port (in one file), against none; ppdev's PPCLAIM +
 *   PPRELEASE with IDLE_PP_FILES other files open that each did one
 *   PPCLAIM + PPRELEASE (each has its pardevice registered), against
 *   none. Each is timed without the idle clients, with them and without
 *   them again, and reported as its speed with them over the mean of its
 *   speeds without. Then, the idle sessions still connected, each does
 *   one ALLOCATE + FREE, and ALLOCATE + FREE is timed at once and
 *   USED_IDLE_S seconds later (a module may drop what an idle session no
 *   longer needs). The module parameters max_sessions and
 *   max_sessions_per_file are raised for this if they are too low, and
 *   restored at exit;
 * - CONNECT + DISCONNECT of one more session with 1, 100, 1,000 and
 *   IDLE_SESSIONS + 1 sessions connected to the port.
 *   These rows compare phases of the bench seconds apart. Each phase
 *   takes the best of ROUNDS windows of WINDOW_NS, whatever one
 *   operation costs (it may grow with the idle clients), and waits first
 *   until the kernel has finished what the step before left it to do
 *   (freeing after RCU grace periods), which would otherwise slow the
 *   phase down;
 * - kernel memory per idle client: the slab memory (/proc/slabinfo, else
 *   /proc/meminfo's Slab) before and after connecting the idle sessions,
 *   and before and after opening the idle ppdev files, divided by their
 *   number; and the same from MemFree, which counts every allocation but
 *   moves by itself too.
 *
 * With SIMPORT, a simulated port (parport_sim, no interrupt line) whose
 * peripheral has a device ID:
 *
 * - claim + release of the free simulated port: blocking ALLOCATE + FREE
 *   against PPCLAIM + PPRELEASE, as on PORT. parport_sim's operations
 *   cost almost nothing (no I/O instruction for the emulator to
 *   handle), so this row shows the two drivers' own costs, which PORT's
 *   rows dilute;
 * - DEVICE_ID against ppdev's PPNEGOT(nibble | device ID) + read() +
 *   PPNEGOT(compat), both on the held port. The caller sets parclass's
 *   device_id_holdoff_ms to 0 first: with its default (40 ms, as Windows
 *   waits between queries) parclass answers 25 queries a second by
 *   design;
 * - handoff: a session holds the port while another one waits in a
 *   blocking ALLOCATE (QUERY_NUM_WAITERS says when it is queued); the
 *   time FREE takes, and the waiter's wake-up latency, from the start of
 *   FREE to its ALLOCATE returning, over HANDOFF_N handoffs. The holder
 *   runs SCHED_FIFO, so that the woken waiter (on the same CPU) cannot
 *   preempt it inside FREE and FREE's time is its own. ppdev's
 *   equivalent, PPRELEASE while another file sleeps in PPCLAIM, cannot
 *   complete: ppdev's PPCLAIM sleeps holding ppdev's global mutex, which
 *   PPRELEASE needs. The bench interrupts the sleeper after PP_BLOCK_S
 *   seconds and reports how long PPRELEASE was blocked;
 * - contention: CLIENTS threads, each with its own file and session, loop
 *   on blocking ALLOCATE + FREE (holding the port for no time) for
 *   CONTEND_S seconds. Reported: the grants, Jain's fairness index over
 *   the clients' grants ((sum x)^2 / (n sum x^2), 1 when equal), the
 *   share of grants made in request order (no client that asked earlier,
 *   by the time taken just before its ALLOCATE, still waiting), the most
 *   grants one client got while another waited (1 in a FIFO), and the
 *   wake-up latency of a client that asked before the previous holder
 *   began FREE, from that FREE to its ALLOCATE returning, p50 and p99.
 *   A client preempted during its request (an involuntary context switch
 *   counted by getrusage()) may have reached the kernel's queue later
 *   than its timestamp says: the grants that overtook such a client, and
 *   the waits of such a client, are counted apart. ppdev's CLIENTS threads
 *   (PPCLAIM + PPRELEASE) stall as soon as a PPCLAIM sleeps (see above):
 *   they run in a child process, killed after CONTEND_S seconds; their
 *   grants and fairness are reported.
 *
 * Both ppdev cases where a ppdev file waits in PPCLAIM run on the
 * simulated port, on CPU 0 only: the parport core's claim of a device on
 * its wait list turns interrupts on under the port's cad_lock, which
 * deadlocks a CPU that then takes that port's interrupt, and the
 * simulated port has none. (The guest sends the LPT interrupts to CPU 1.)
 *
 * With SIMDIR too (that port's parport_sim debugfs directory), block
 * transfers of 64 KiB on the simulated port: ECP and EPP writes, ECP,
 * EPP and nibble reads. parclass holds the port (ALLOCATE), NEGOTIATEs
 * the one mode, then times one WRITE with PARCLASS_WRITE_MODE or one
 * READ; ppdev, PPCLAIMed, PPNEGOTs the same mode (IEEE1284_MODE_ECP,
 * _EPP, _NIBBLE) and times write() or read() (which ppdev serves 1 KiB at
 * a time) through the parport core's software IEEE 1284 routines, which
 * are parport_sim's block operations. Only the transfer is timed: the
 * reverse data is queued, and the forward record cleared, before the
 * clock starts. Every round's data is new (no two equal bytes in a row,
 * so ECP run-length encoding, which parclass negotiates and ppdev's plain
 * ECP does not, never applies), and each transfer is checked afterwards:
 * all 65,536 bytes, and the same bytes, arrived, and nothing is left in
 * the peripheral's queue.
 *
 * With SIMPORT2, a second simulated port: scaling over two ports, blocking
 * ALLOCATE + FREE loops by two threads (on CPU 0 and CPU 1), one per
 * port, each with its own file and session, against one thread on one
 * port; the same with ppdev's PPCLAIM + PPRELEASE (whose ioctls all take
 * one global mutex). Reported: each side's total rate with two threads
 * over its rate with one.
 *
 * The goals printed are those set for parclass's performance: null
 * request, claim + release and whole client at least as fast as ppdev;
 * bit-bang 10 times as fast; transfers 0.95 of ppdev's throughput; idle
 * clients cost at most a fifth of the claim + release rate; CONNECT +
 * DISCONNECT at IDLE_SESSIONS + 1 sessions at most 1.1 times its time at
 * 1; at most 1 KiB of kernel memory per idle session; two-port scaling at
 * least ppdev's; Jain's index at least 0.99 and wake-up p99 under 10 ms
 * with CLIENTS clients.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <semaphore.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/parport.h>
#include <linux/ppdev.h>
#include <parclass/libparclass.h>

#define ROUNDS 7
#define OPS 2000
#define NULL_OPS 10000
#define PRINT_BYTES 65536
#define JTAG_CYCLES 10000
#define JTAG_OPS (3 * JTAG_CYCLES)
#define JTAG_TCK 0x02
#define DEVID_QUERIES 200
#define XFER_BYTES 65536
/* A transfer that takes longer than this is broken: stop the bench. */
#define XFER_ALARM_S 20
#define HANDOFF_N 1000
#define PP_BLOCK_S 1
#define SCALE_ROUNDS 5
#define SCALE_OPS 10000
#define CLIENTS 32
#define CONTEND_S 3
#define GRANT_CAP (1 << 19)
#define IDLE_SESSIONS 10000
#define IDLE_PP_FILES 2000
/* A timing window of the idle-client rows, whatever one operation costs. */
#define WINDOW_NS 30e6
/* How long sessions that used the port once stay idle before the last try. */
#define USED_IDLE_S 3
#define PARAMS "/sys/module/parclass/parameters"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void sleep_ns(double ns)
{
	struct timespec ts;

	if (ns <= 0)
		return;
	ts.tv_sec = (time_t)(ns / 1e9);
	ts.tv_nsec = (long)((long long)ns % 1000000000);
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp_double);
	return v[n / 2];
}

/* The @q quantile (nearest rank) of @n values, sorted here. */
static double quantile(double *v, int n, double q)
{
	int i;

	if (!n)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	i = (int)(q * n + 0.999999) - 1;
	return v[i < 0 ? 0 : i >= n ? n - 1 : i];
}

/* In a child process die() must not run the parent's atexit handlers. */
static bool in_child;

static void die(const char *what, int err)
{
	fprintf(stderr, "parclass-bench: %s: %s\n", what, strerror(err));
	if (in_child)
		_exit(1);
	exit(1);
}

/* Watchdog: an operation that takes longer than allowed stops the bench. */
static const char *watch_what = "an operation";

static void on_alarm(int sig)
{
	static const char pre[] = "parclass-bench: ", post[] = " hangs\n";

	(void)sig;
	if (write(2, pre, sizeof(pre) - 1) < 0 ||
	    write(2, watch_what, strlen(watch_what)) < 0 ||
	    write(2, post, sizeof(post) - 1) < 0)
		_exit(1);
	_exit(1);
}

static void watch(const char *what, unsigned int s)
{
	watch_what = what;
	alarm(s);
}

static void pin_cpu(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("sched_setaffinity", errno);
}

/* Text of the table's cells, from a ring of buffers. */
static char *fmt(const char *f, ...)
{
	static char ring[32][384];
	static unsigned int next;
	char *s = ring[next++ % 32];
	va_list ap;

	va_start(ap, f);
	vsnprintf(s, sizeof(ring[0]), f, ap);
	va_end(ap);
	return s;
}

/* @v rounded, with thousands separated by commas. */
static char *num(double v)
{
	char digits[32], *s;
	int n, i, o = 0;

	snprintf(digits, sizeof(digits), "%.0f", v < 0 ? -v : v);
	n = strlen(digits);
	s = fmt("%s", "");
	if (v <= -0.5)
		s[o++] = '-';
	for (i = 0; i < n; i++) {
		if (i && (n - i) % 3 == 0)
			s[o++] = ',';
		s[o++] = digits[i];
	}
	s[o] = '\0';
	return s;
}

static char *dur(double ns)
{
	if (ns < 1e3)
		return fmt("%.0f ns", ns);
	if (ns < 1e4)
		return fmt("%.1f µs", ns / 1e3);
	if (ns < 1e6)
		return fmt("%s µs", num(ns / 1e3));
	if (ns < 1e7)
		return fmt("%.1f ms", ns / 1e6);
	if (ns < 1e9)
		return fmt("%s ms", num(ns / 1e6));
	return fmt("%.2f s", ns / 1e9);
}

static char *rate(double ns_per_op)
{
	return fmt("%s /s", num(1e9 / ns_per_op));
}

static char *kibps(double ns)
{
	return fmt("%s KiB/s", num(XFER_BYTES / 1024.0 * 1e9 / ns));
}

static const char *met(bool ok)
{
	return ok ? "met" : "missed";
}

static void row(const char *op, const char *ours, const char *peer,
		const char *ratio, const char *goal)
{
	printf("| %s | %s | %s | %s | %s |\n", op, ours, peer, ratio, goal);
	fflush(stdout);
}

/* Median times of @ours and @peer over ROUNDS rounds, taking turns. */
static void pair(double (*ours)(void), double (*peer)(void), double *a,
		 double *b)
{
	double va[ROUNDS], vb[ROUNDS];
	int r;

	for (r = 0; r < ROUNDS; r++) {
		va[r] = ours();
		vb[r] = peer();
	}
	*a = median(va, ROUNDS);
	*b = median(vb, ROUNDS);
}

/* One row: times (@fmt_time: dur, rate or kibps) and peer/ours. */
static void compare(const char *op, char *(*fmt_time)(double),
		    const char *ours_name, double (*ours)(void),
		    const char *peer_name, double (*peer)(void), double goal)
{
	double a, b;

	pair(ours, peer, &a, &b);
	row(op, fmt("%s: %s", ours_name, fmt_time(a)),
	    fmt("%s: %s", peer_name, fmt_time(b)), fmt("%.2f", b / a),
	    goal > 0 ? fmt("≥ %g: %s", goal, met(b / a >= goal)) : "");
}

/* Iterations of the first rows' loops; fewer under --profile. */
static int null_ops = NULL_OPS, ops = OPS;

static unsigned int port;
static int pc_fd;
static uint64_t pc_token;
static char buf[PRINT_BYTES];

static int pp_open(unsigned int number)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "/dev/parport%u", number);
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		die(path, errno);
	return fd;
}

static int pp_open_claimed(unsigned int number)
{
	int fd = pp_open(number);

	if (ioctl(fd, PPCLAIM))
		die("PPCLAIM", errno);
	return fd;
}

static void pp_close_claimed(int fd)
{
	if (ioctl(fd, PPRELEASE))
		die("PPRELEASE", errno);
	close(fd);
}

/* One round of each operation, in nanoseconds per operation. */
static double pc_null(void)
{
	struct parclass_version v;
	double t0 = now_ns();
	int i;

	for (i = 0; i < null_ops; i++) {
		memset(&v, 0, sizeof(v));
		v.size = sizeof(v);
		if (ioctl(pc_fd, PARCLASS_IOC_GET_VERSION, &v))
			die("GET_VERSION", errno);
	}
	return (now_ns() - t0) / null_ops;
}

static double pp_null(void)
{
	int fd = pp_open(port), i, mode;
	double t0 = now_ns();

	for (i = 0; i < null_ops; i++)
		if (ioctl(fd, PPGETMODE, &mode))
			die("PPGETMODE", errno);
	t0 = (now_ns() - t0) / null_ops;
	close(fd);
	return t0;
}

static unsigned int sim_port, sim_port2;
static uint64_t sim_token;

/* ALLOCATE (TRY with @try) + FREE of session @token, @ops times. */
static double pc_claim_loop(uint64_t token, bool try)
{
	double t0 = now_ns();
	int i, ret;

	for (i = 0; i < ops; i++) {
		ret = try ? parclass_try_allocate(pc_fd, token) :
			    parclass_allocate(pc_fd, token, 0);
		if (!ret)
			ret = parclass_free(pc_fd, token);
		if (ret)
			die(try ? "ALLOCATE(TRY)/FREE" : "ALLOCATE/FREE", -ret);
	}
	return (now_ns() - t0) / ops;
}

static double pc_claim(void)
{
	return pc_claim_loop(pc_token, true);
}

static double pc_claim_block(void)
{
	return pc_claim_loop(pc_token, false);
}

static double pc_claim_sim(void)
{
	return pc_claim_loop(sim_token, false);
}

/* PPCLAIM + PPRELEASE on parport@number, @ops times. */
static double pp_claim_loop(unsigned int number)
{
	double t0;
	int fd, i;

	fd = pp_open(number);
	/* ppdev registers its device at the first claim: not timed. */
	if (ioctl(fd, PPCLAIM) || ioctl(fd, PPRELEASE))
		die("PPCLAIM", errno);
	t0 = now_ns();
	for (i = 0; i < ops; i++)
		if (ioctl(fd, PPCLAIM) || ioctl(fd, PPRELEASE))
			die("PPCLAIM/PPRELEASE", errno);
	t0 = (now_ns() - t0) / ops;
	close(fd);
	return t0;
}

static double pp_claim(void)
{
	return pp_claim_loop(port);
}

static double pp_claim_sim(void)
{
	return pp_claim_loop(sim_port);
}

/* One parclass client: CONNECT, ALLOCATE(TRY), FREE, DISCONNECT. */
static void pc_one_client(void)
{
	uint64_t token;
	int ret;

	ret = parclass_connect(pc_fd, port, &token, NULL);
	if (!ret)
		ret = parclass_try_allocate(pc_fd, token);
	if (!ret)
		ret = parclass_free(pc_fd, token);
	if (!ret)
		ret = parclass_disconnect(pc_fd, token);
	if (ret)
		die("CONNECT/ALLOCATE/FREE/DISCONNECT", -ret);
}

/* One ppdev client: open, PPCLAIM, PPRELEASE, close. */
static void pp_one_client(void)
{
	int fd = pp_open(port);

	if (ioctl(fd, PPCLAIM) || ioctl(fd, PPRELEASE))
		die("PPCLAIM/PPRELEASE", errno);
	close(fd);
}

static double pc_client(void)
{
	double t0 = now_ns();
	int i;

	for (i = 0; i < ops / 4; i++)
		pc_one_client();
	return (now_ns() - t0) / (ops / 4);
}

static double pp_client(void)
{
	double t0 = now_ns();
	int i;

	for (i = 0; i < ops / 4; i++)
		pp_one_client();
	return (now_ns() - t0) / (ops / 4);
}

/*
 * One client on a port its clients have left alone long enough for
 * parclass to drop every parport device it had there (an idle session
 * lets its own go after 2 s, the spare goes 2 s after that): it
 * registers its own. ppdev's client is timed after the same pause.
 */
#define COLD_NS 4.5e9

static double pc_client_cold(void)
{
	double t0;

	sleep_ns(COLD_NS);
	t0 = now_ns();
	pc_one_client();
	return now_ns() - t0;
}

/* One ppdev client, after as long a pause. */
static double pp_client_one(void)
{
	double t0;

	sleep_ns(COLD_NS);
	t0 = now_ns();
	pp_one_client();
	return now_ns() - t0;
}

static double pc_print(void)
{
	double t0 = now_ns();
	uint32_t written;
	int ret;

	ret = parclass_allocate(pc_fd, pc_token, 0);
	if (!ret)
		ret = parclass_write(pc_fd, pc_token, buf, sizeof(buf), 0,
				     &written);
	if (!ret)
		ret = parclass_free(pc_fd, pc_token);
	if (ret)
		die("ALLOCATE/WRITE/FREE", -ret);
	return now_ns() - t0;
}

static double lp_print(void)
{
	char path[32];
	double t0 = now_ns();
	int fd;

	snprintf(path, sizeof(path), "/dev/lp%u", port);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		die(path, errno);
	if (write(fd, buf, sizeof(buf)) != sizeof(buf))
		die("lp write", errno);
	close(fd);
	return now_ns() - t0;
}

static struct parclass_pin_op jtag_ops[JTAG_OPS];
static unsigned char jtag_tdo[JTAG_CYCLES];

/* The TDI/TMS bits of cycle @i: any pattern that changes. */
static unsigned char jtag_bits(int i)
{
	return (i * 0x45) & ~JTAG_TCK;
}

static void pc_hold(void)
{
	int ret = parclass_allocate(pc_fd, pc_token, 0);

	if (ret)
		die("ALLOCATE", -ret);
}

static void pc_unhold(void)
{
	int ret = parclass_free(pc_fd, pc_token);

	if (ret)
		die("FREE", -ret);
}

static double pc_jtag(void)
{
	struct parclass_pin_program p = { .size = sizeof(p) };
	double t0;
	int i;

	for (i = 0; i < JTAG_CYCLES; i++) {
		jtag_ops[3 * i].op = PARCLASS_PIN_WRITE_DATA;
		jtag_ops[3 * i].value = jtag_bits(i);
		jtag_ops[3 * i + 1].op = PARCLASS_PIN_WRITE_DATA;
		jtag_ops[3 * i + 1].value = jtag_bits(i) | JTAG_TCK;
		jtag_ops[3 * i + 2].op = PARCLASS_PIN_READ_STATUS;
	}
	p.token = pc_token;
	p.ops = (uintptr_t)jtag_ops;
	p.count = JTAG_OPS;
	p.results = (uintptr_t)jtag_tdo;
	p.results_len = sizeof(jtag_tdo);
	pc_hold();
	t0 = now_ns();
	if (ioctl(pc_fd, PARCLASS_IOC_PIN_PROGRAM, &p) || p.done != JTAG_OPS)
		die("PIN_PROGRAM", errno);
	t0 = now_ns() - t0;
	pc_unhold();
	return t0;
}

static double pp_jtag(void)
{
	int fd = pp_open_claimed(port);
	unsigned char d, st;
	double t0;
	int i;

	t0 = now_ns();
	for (i = 0; i < JTAG_CYCLES; i++) {
		d = jtag_bits(i);
		if (ioctl(fd, PPWDATA, &d))
			die("PPWDATA", errno);
		d |= JTAG_TCK;
		if (ioctl(fd, PPWDATA, &d) || ioctl(fd, PPRSTATUS, &st))
			die("PPWDATA/PPRSTATUS", errno);
		jtag_tdo[i] = st;
	}
	t0 = now_ns() - t0;
	pp_close_claimed(fd);
	return t0;
}

static double pc_status_reg(void)
{
	struct parclass_register r = { .size = sizeof(r) };
	double t0;
	int i;

	r.token = pc_token;
	r.op = PARCLASS_PIN_READ_STATUS;
	pc_hold();
	t0 = now_ns();
	for (i = 0; i < OPS; i++)
		if (ioctl(pc_fd, PARCLASS_IOC_REGISTER, &r))
			die("REGISTER", errno);
	t0 = (now_ns() - t0) / OPS;
	pc_unhold();
	return t0;
}

static double pc_status_info(void)
{
	struct parclass_query_information q = { .size = sizeof(q) };
	double t0;
	int i;

	q.token = pc_token;
	pc_hold();
	t0 = now_ns();
	for (i = 0; i < OPS; i++)
		if (ioctl(pc_fd, PARCLASS_IOC_QUERY_INFORMATION, &q))
			die("QUERY_INFORMATION", errno);
	t0 = (now_ns() - t0) / OPS;
	pc_unhold();
	return t0;
}

static double pp_status(void)
{
	int fd = pp_open_claimed(port);
	unsigned char st;
	double t0;
	int i;

	t0 = now_ns();
	for (i = 0; i < OPS; i++)
		if (ioctl(fd, PPRSTATUS, &st))
			die("PPRSTATUS", errno);
	t0 = (now_ns() - t0) / OPS;
	pp_close_claimed(fd);
	return t0;
}

static char id_buf[PRINT_BYTES];

static double pc_devid(void)
{
	struct parclass_device_id d = { .size = sizeof(d) };
	double t0;
	int i, ret;

	d.token = sim_token;
	d.buffer = (uintptr_t)id_buf;
	d.length = sizeof(id_buf);
	ret = parclass_allocate(pc_fd, sim_token, 0);
	if (ret)
		die("ALLOCATE", -ret);
	t0 = now_ns();
	for (i = 0; i < DEVID_QUERIES; i++)
		if (ioctl(pc_fd, PARCLASS_IOC_DEVICE_ID, &d) || d.id_size < 2)
			die("DEVICE_ID", errno);
	t0 = (now_ns() - t0) / DEVID_QUERIES;
	ret = parclass_free(pc_fd, sim_token);
	if (ret)
		die("FREE", -ret);
	return t0;
}

/* What a ppdev program does for a device ID: negotiate, read, back. */
static double pp_devid(void)
{
	int fd = pp_open_claimed(sim_port);
	unsigned char len[2];
	double t0;
	int i, mode, n, want;

	t0 = now_ns();
	for (i = 0; i < DEVID_QUERIES; i++) {
		mode = IEEE1284_MODE_NIBBLE | IEEE1284_DEVICEID;
		if (ioctl(fd, PPNEGOT, &mode))
			die("PPNEGOT", errno);
		if (read(fd, len, 2) != 2)
			die("ppdev read", errno);
		want = (len[0] << 8 | len[1]) - 2;
		for (n = 0; n < want; ) {
			int got = read(fd, id_buf + n, want - n);

			if (got <= 0)
				die("ppdev read", errno);
			n += got;
		}
		mode = IEEE1284_MODE_COMPAT;
		if (ioctl(fd, PPNEGOT, &mode))
			die("PPNEGOT", errno);
	}
	t0 = (now_ns() - t0) / DEVID_QUERIES;
	pp_close_claimed(fd);
	return t0;
}

/*
 * Block transfers on the simulated port. The peripheral's side is
 * parport_sim's debugfs directory: "reverse" queues bytes for the host
 * (64 KiB at most waiting), "forward" holds what the host sent in
 * compatibility, ECP and EPP mode (the first 64 KiB; writing clears it).
 */
struct xfer {
	uint32_t pc_mode;	/* PARCLASS_1284_* */
	int pp_mode;		/* IEEE1284_MODE_* */
	bool write;
};

static const char *sim_dir;
static const struct xfer *xfer;
static unsigned int xfer_round;
static unsigned char xfer_want[XFER_BYTES], xfer_got[XFER_BYTES + 1];

/* New data for each round; no byte equals the one before it. */
static void xfer_fill(void)
{
	uint32_t x = ++xfer_round * 2654435761u | 1;
	unsigned char b;
	int i;

	for (i = 0; i < XFER_BYTES; i++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		b = x >> 24;
		if (i && b == xfer_want[i - 1])
			b ^= 0x5a;
		xfer_want[i] = b;
	}
}

static int sim_open(const char *file, int flags)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", sim_dir, file);
	fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		die(path, errno);
	return fd;
}

/* Queue the round's bytes for the host to read; the queue must be empty. */
static void sim_queue_reverse(void)
{
	int fd = sim_open("reverse", O_WRONLY);
	ssize_t n = write(fd, xfer_want, XFER_BYTES);

	if (n != XFER_BYTES)
		die("queueing reverse data (queue not empty?)",
		    n < 0 ? errno : ENOSPC);
	close(fd);
}

/* Read a control file whole into xfer_got; the bytes read. */
static size_t sim_read_file(const char *file)
{
	int fd = sim_open(file, O_RDONLY);
	size_t got = 0;
	ssize_t n;

	while (got < sizeof(xfer_got)) {
		n = read(fd, xfer_got + got, sizeof(xfer_got) - got);
		if (n < 0)
			die(file, errno);
		if (!n)
			break;
		got += n;
	}
	close(fd);
	return got;
}

static void sim_clear_forward(void)
{
	int fd = sim_open("forward", O_WRONLY);

	if (write(fd, "x", 1) != 1)
		die("clearing forward", errno);
	close(fd);
}

static void xfer_fail(const char *who, const char *what, size_t n)
{
	fprintf(stderr, "parclass-bench: %s %s %s: %zu of %d bytes%s\n", who,
		xfer->write ? "write" : "read", what, n, XFER_BYTES,
		n == XFER_BYTES ? ", different" : "");
	exit(1);
}

/*
 * After the timed part: all the bytes and the right ones went across
 * (@n is what the call reported), and none is left in the peripheral.
 */
static void xfer_check(const char *who, size_t n)
{
	size_t got;

	if (n != XFER_BYTES)
		xfer_fail(who, "reported", n);
	if (xfer->write) {
		got = sim_read_file("forward");
		if (got != XFER_BYTES || memcmp(xfer_got, xfer_want, got))
			xfer_fail(who, "reached the peripheral with", got);
	} else {
		if (memcmp(xfer_got, xfer_want, XFER_BYTES))
			xfer_fail(who, "returned", n);
		got = sim_read_file("reverse");
		if (got)
			xfer_fail(who, "left in the peripheral's queue", got);
	}
}

static double pc_xfer(void)
{
	uint32_t n = 0, rd = 0, wr = 0;
	double t0;
	int ret;

	xfer_fill();
	ret = parclass_allocate(pc_fd, sim_token, 0);
	if (ret)
		die("ALLOCATE", -ret);
	if (xfer->write) {
		ret = parclass_negotiate(pc_fd, sim_token, 0, 0, xfer->pc_mode,
					 NULL, &wr);
		if (!ret && wr != xfer->pc_mode)
			ret = -EOPNOTSUPP;
		sim_clear_forward();
	} else {
		sim_queue_reverse();
		ret = parclass_negotiate(pc_fd, sim_token, 0, xfer->pc_mode, 0,
					 &rd, NULL);
		if (!ret && rd != xfer->pc_mode)
			ret = -EOPNOTSUPP;
	}
	if (ret)
		die("NEGOTIATE", -ret);
	memset(xfer_got, 0, sizeof(xfer_got));
	watch("a transfer on the simulated port", XFER_ALARM_S);
	t0 = now_ns();
	if (xfer->write)
		ret = parclass_write_flags(pc_fd, sim_token,
					   PARCLASS_WRITE_MODE, xfer_want,
					   XFER_BYTES, 0, &n);
	else
		ret = parclass_read(pc_fd, sim_token, xfer_got, XFER_BYTES, 0,
				    &n);
	t0 = now_ns() - t0;
	alarm(0);
	if (ret)
		die(xfer->write ? "WRITE" : "READ", -ret);
	xfer_check("parclass", n);
	ret = parclass_free(pc_fd, sim_token);
	if (ret)
		die("FREE", -ret);
	return t0;
}

static double pp_xfer(void)
{
	int fd = pp_open_claimed(sim_port);
	size_t n = 0;
	ssize_t r;
	double t0;
	int mode;

	xfer_fill();
	if (xfer->write)
		sim_clear_forward();
	else
		sim_queue_reverse();
	mode = xfer->pp_mode;
	if (ioctl(fd, PPNEGOT, &mode))
		die("PPNEGOT", errno);
	memset(xfer_got, 0, sizeof(xfer_got));
	watch("a transfer on the simulated port", XFER_ALARM_S);
	t0 = now_ns();
	while (n < XFER_BYTES) {
		if (xfer->write)
			r = write(fd, xfer_want + n, XFER_BYTES - n);
		else
			r = read(fd, xfer_got + n, XFER_BYTES - n);
		if (r < 0)
			die(xfer->write ? "ppdev write" : "ppdev read", errno);
		if (!r)
			break;
		n += r;
	}
	t0 = now_ns() - t0;
	alarm(0);
	xfer_check("ppdev", n);
	mode = IEEE1284_MODE_COMPAT;
	if (ioctl(fd, PPNEGOT, &mode))
		die("PPNEGOT", errno);
	pp_close_claimed(fd);
	return t0;
}

static void compare_xfer(const char *what, uint32_t pc_mode, int pp_mode,
			 bool write)
{
	const struct xfer x = { pc_mode, pp_mode, write };

	xfer = &x;
	compare(what, kibps,
		write ? "NEGOTIATE + WRITE(PARCLASS_WRITE_MODE)" :
			"NEGOTIATE + READ", pc_xfer,
		write ? "ppdev PPNEGOT + write()" : "ppdev PPNEGOT + read()",
		pp_xfer, 0.95);
	xfer = NULL;
}

/* Wait until the port of @token has @n parclass clients queued. */
static void wait_waiters(int fd, uint64_t token, uint32_t n)
{
	uint32_t w = 0;
	int ret;

	for (;;) {
		ret = parclass_query_num_waiters(fd, token, &w, NULL);
		if (ret)
			die("QUERY_NUM_WAITERS", -ret);
		if (w >= n)
			return;
		sleep_ns(20e3);
	}
}

/* Handoff to a blocked waiter: parclass. */
static struct {
	int fd;
	uint64_t token;
	sem_t go, done;
	double free_start;
	double wake[HANDOFF_N];
	int err;
} ho;
static double ho_free[HANDOFF_N];

static void *ho_waiter(void *arg)
{
	double t, fs;
	int i, ret;

	(void)arg;
	for (i = 0; i < HANDOFF_N; i++) {
		while (sem_wait(&ho.go))
			;
		ret = parclass_allocate(ho.fd, ho.token, 0);
		t = now_ns();
		__atomic_load(&ho.free_start, &fs, __ATOMIC_ACQUIRE);
		ho.wake[i] = t - fs;
		if (!ret)
			ret = parclass_free(ho.fd, ho.token);
		ho.err = -ret;
		sem_post(&ho.done);
		if (ret)
			break;
	}
	return NULL;
}

static void handoff_pc(char *cell, size_t len, double *wake_p99)
{
	struct sched_param sp = { .sched_priority = 1 };
	pthread_t th;
	bool rt;
	double t0, t1;
	int i, ret;

	ho.fd = parclass_open();
	if (ho.fd < 0)
		die("/dev/parclass", -ho.fd);
	ret = parclass_connect(ho.fd, sim_port, &ho.token, NULL);
	if (ret)
		die("CONNECT", -ret);
	sem_init(&ho.go, 0, 0);
	sem_init(&ho.done, 0, 0);
	/* The waiter, created first, keeps the normal policy. */
	if (pthread_create(&th, NULL, ho_waiter, NULL))
		die("pthread_create", EAGAIN);
	rt = !pthread_setschedparam(pthread_self(), SCHED_FIFO, &sp);
	watch("a handoff between two parclass sessions", 60);
	for (i = 0; i < HANDOFF_N; i++) {
		ret = parclass_allocate(pc_fd, sim_token, 0);
		if (ret)
			die("ALLOCATE", -ret);
		sem_post(&ho.go);
		wait_waiters(pc_fd, sim_token, 1);
		t0 = now_ns();
		__atomic_store(&ho.free_start, &t0, __ATOMIC_RELEASE);
		ret = parclass_free(pc_fd, sim_token);
		t1 = now_ns();
		if (ret)
			die("FREE", -ret);
		ho_free[i] = t1 - t0;
		while (sem_wait(&ho.done))
			;
		if (ho.err)
			die("the waiter's ALLOCATE/FREE", ho.err);
	}
	alarm(0);
	sp.sched_priority = 0;
	pthread_setschedparam(pthread_self(), SCHED_OTHER, &sp);
	pthread_join(th, NULL);
	parclass_disconnect(ho.fd, ho.token);
	close(ho.fd);
	*wake_p99 = quantile(ho.wake, HANDOFF_N, 0.99);
	snprintf(cell, len,
		 "FREE: p50 %s, p99 %s; the waiter's wake-up: p50 %s, p99 %s (%s handoffs%s)",
		 dur(quantile(ho_free, HANDOFF_N, 0.5)),
		 dur(quantile(ho_free, HANDOFF_N, 0.99)),
		 dur(quantile(ho.wake, HANDOFF_N, 0.5)), dur(*wake_p99),
		 num(HANDOFF_N), rt ? "" : "; holder not SCHED_FIFO");
}

/* Handoff to a blocked waiter: ppdev, whose waiter is another process. */
static volatile int pp_ho_released;

static void on_usr1(int sig)
{
	(void)sig;
}

/* The state letter of process @pid (/proc/PID/stat), or 0. */
static char proc_state(pid_t pid)
{
	char path[64], line[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	p = fgets(line, sizeof(line), f);
	fclose(f);
	if (!p)
		return 0;
	p = strrchr(line, ')');
	return p && p[1] == ' ' ? p[2] : 0;
}

/* Interrupt the sleeper once it has blocked PPRELEASE for PP_BLOCK_S. */
static void *pp_ho_killer(void *arg)
{
	pid_t pid = *(pid_t *)arg;
	double t0 = now_ns();

	while (!pp_ho_released && now_ns() - t0 < PP_BLOCK_S * 1e9)
		sleep_ns(5e6);
	if (!pp_ho_released)
		kill(pid, SIGUSR1);
	while (!pp_ho_released && now_ns() - t0 < (PP_BLOCK_S + 5) * 1e9)
		sleep_ns(5e6);
	if (!pp_ho_released)
		kill(pid, SIGKILL);
	return NULL;
}

struct pp_ho_result {
	int err;
	double claimed;
};

static char *handoff_pp(void)
{
	int ready[2], result[2], done[2], hfd, fd, st;
	struct pp_ho_result r = { 0, 0 };
	struct sigaction sa;
	double t0, t1;
	pthread_t th;
	pid_t pid;
	char c = 0;

	pin_cpu(0);
	hfd = pp_open_claimed(sim_port);
	if (pipe2(ready, O_CLOEXEC) || pipe2(result, O_CLOEXEC) ||
	    pipe2(done, O_CLOEXEC))
		die("pipe", errno);
	pid = fork();
	if (pid < 0)
		die("fork", errno);
	if (!pid) {
		in_child = true;
		fd = pp_open(sim_port);
		memset(&sa, 0, sizeof(sa));
		sa.sa_handler = on_usr1;	/* no SA_RESTART */
		sigaction(SIGUSR1, &sa, NULL);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		r.err = ioctl(fd, PPCLAIM) ? errno : 0;
		r.claimed = now_ns();
		if (write(result[1], &r, sizeof(r)) != sizeof(r) ||
		    read(done[0], &c, 1) != 1)
			_exit(1);
		if (!r.err)
			ioctl(fd, PPRELEASE);
		close(fd);
		_exit(0);
	}
	if (read(ready[0], &c, 1) != 1)
		die("the ppdev waiter", EPIPE);
	/* Asleep in PPCLAIM, and still asleep a moment later. */
	for (t0 = now_ns(); now_ns() - t0 < 2e9;) {
		if (proc_state(pid) == 'S') {
			sleep_ns(20e6);
			if (proc_state(pid) == 'S')
				break;
		}
		sleep_ns(1e6);
	}
	pp_ho_released = 0;
	if (pthread_create(&th, NULL, pp_ho_killer, &pid))
		die("pthread_create", EAGAIN);
	t0 = now_ns();
	if (ioctl(hfd, PPRELEASE))
		die("PPRELEASE", errno);
	t1 = now_ns();
	pp_ho_released = 1;
	if (read(result[0], &r, sizeof(r)) != sizeof(r))
		r.err = ECHILD;
	if (write(done[1], "d", 1) != 1)
		r.err = r.err ? r.err : EPIPE;
	pthread_join(th, NULL);
	waitpid(pid, &st, 0);
	close(hfd);
	close(ready[0]);
	close(ready[1]);
	close(result[0]);
	close(result[1]);
	close(done[0]);
	close(done[1]);
	if (r.err == EINTR)
		return fmt("ppdev PPRELEASE, another file asleep in PPCLAIM: blocked %.2f s, until the sleeper was interrupted (it never got the port)",
			   (t1 - t0) / 1e9);
	if (r.err)
		return fmt("ppdev PPRELEASE, another file in PPCLAIM: %s; the waiter's PPCLAIM failed: %s",
			   dur(t1 - t0), strerror(r.err));
	return fmt("ppdev PPRELEASE, another file asleep in PPCLAIM: %s; the waiter's wake-up: %s (one handoff)",
		   dur(t1 - t0), dur(r.claimed - t0));
}

/* Scaling over two ports. */
struct scaler {
	bool ppdev;
	int cpu;
	unsigned int port;
	int fd;
	uint64_t token;
	pthread_barrier_t *start;
	double t0, t1;
};

static void *scale_loop(void *arg)
{
	struct scaler *s = arg;
	int i, ret = 0;

	pin_cpu(s->cpu);
	pthread_barrier_wait(s->start);
	s->t0 = now_ns();
	for (i = 0; i < SCALE_OPS; i++) {
		if (s->ppdev) {
			if (ioctl(s->fd, PPCLAIM) || ioctl(s->fd, PPRELEASE))
				die("PPCLAIM/PPRELEASE", errno);
			continue;
		}
		ret = parclass_allocate(s->fd, s->token, 0);
		if (!ret)
			ret = parclass_free(s->fd, s->token);
		if (ret)
			die("ALLOCATE/FREE", -ret);
	}
	s->t1 = now_ns();
	return NULL;
}

/* Claims + releases per second of @n threads, thread i on CPU i. */
static double scale_round(bool ppdev, int n)
{
	unsigned int ports[2] = { sim_port, sim_port2 };
	pthread_barrier_t start;
	struct scaler s[2];
	pthread_t th[2];
	double t0 = 0, t1 = 0;
	int i, ret;

	pthread_barrier_init(&start, NULL, n);
	for (i = 0; i < n; i++) {
		s[i] = (struct scaler){ .ppdev = ppdev, .cpu = i,
					.port = ports[i], .start = &start };
		if (ppdev) {
			s[i].fd = pp_open(ports[i]);
			/* Registers ppdev's device: not timed. */
			if (ioctl(s[i].fd, PPCLAIM) ||
			    ioctl(s[i].fd, PPRELEASE))
				die("PPCLAIM", errno);
		} else {
			s[i].fd = parclass_open();
			if (s[i].fd < 0)
				die("/dev/parclass", -s[i].fd);
			ret = parclass_connect(s[i].fd, ports[i], &s[i].token,
					       NULL);
			if (ret)
				die("CONNECT", -ret);
		}
	}
	for (i = 0; i < n; i++)
		if (pthread_create(&th[i], NULL, scale_loop, &s[i]))
			die("pthread_create", EAGAIN);
	for (i = 0; i < n; i++) {
		pthread_join(th[i], NULL);
		if (!i || s[i].t0 < t0)
			t0 = s[i].t0;
		if (!i || s[i].t1 > t1)
			t1 = s[i].t1;
	}
	for (i = 0; i < n; i++)
		close(s[i].fd);
	pthread_barrier_destroy(&start);
	return n * SCALE_OPS * 1e9 / (t1 - t0);
}

static void scaling(void)
{
	double v[4][SCALE_ROUNDS], pc1, pc2, pp1, pp2, spc, spp;
	int r;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		row("claim + release on 2 ports by 2 threads / on 1 by 1",
		    "not measured: one CPU", "", "", "");
		return;
	}
	watch("the two-port scaling loops", 60);
	for (r = 0; r < SCALE_ROUNDS; r++) {
		v[0][r] = scale_round(false, 1);
		v[1][r] = scale_round(false, 2);
		v[2][r] = scale_round(true, 1);
		v[3][r] = scale_round(true, 2);
	}
	alarm(0);
	pc1 = median(v[0], SCALE_ROUNDS);
	pc2 = median(v[1], SCALE_ROUNDS);
	pp1 = median(v[2], SCALE_ROUNDS);
	pp2 = median(v[3], SCALE_ROUNDS);
	spc = pc2 / pc1;
	spp = pp2 / pp1;
	row("claim + release scaling: 2 threads on 2 simulated ports (CPU 0 and 1) / 1 thread on 1 (ratio: parclass's scaling / ppdev's)",
	    fmt("ALLOCATE + FREE: 1 port %s, 2 ports %s: ×%.2f",
		fmt("%s /s", num(pc1)), fmt("%s /s", num(pc2)), spc),
	    fmt("ppdev PPCLAIM + PPRELEASE: 1 port %s, 2 ports %s: ×%.2f",
		fmt("%s /s", num(pp1)), fmt("%s /s", num(pp2)), spp),
	    fmt("%.2f", spc / spp), fmt("≥ ppdev's: %s", met(spc >= spp)));
}

/* Contention: CLIENTS parclass clients on one port. */
struct grant {
	double asked;		/* before its ALLOCATE */
	double got;		/* after its ALLOCATE returned */
	double prev_free;	/* when the previous holder began FREE */
	int client;
	/*
	 * The client was preempted (an involuntary context switch) between
	 * its timestamp and its ALLOCATE's return: it may have reached the
	 * kernel's queue later than @asked says.
	 */
	bool preempted;
};

static long nivcsw(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_THREAD, &ru))
		die("getrusage", errno);
	return ru.ru_nivcsw;
}

static struct grant grants[GRANT_CAP];
static unsigned int n_grants;
static double last_free;
static volatile int contend_stop;

struct contender {
	int id, fd;
	uint64_t token;
	pthread_barrier_t *start;
	pthread_t th;
};

static void *contend_loop(void *arg)
{
	struct contender *c = arg;
	struct grant g;
	unsigned int k;
	bool stop;
	long cs;
	int ret;

	pthread_barrier_wait(c->start);
	do {
		cs = nivcsw();
		g.asked = now_ns();
		ret = parclass_allocate(c->fd, c->token, 0);
		g.got = now_ns();
		if (ret)
			die("ALLOCATE", -ret);
		g.preempted = nivcsw() != cs;
		/* Only the holder gets here: the kernel orders the holders. */
		k = __atomic_fetch_add(&n_grants, 1, __ATOMIC_ACQ_REL);
		__atomic_load(&last_free, &g.prev_free, __ATOMIC_ACQUIRE);
		g.client = c->id;
		if (k < GRANT_CAP)
			grants[k] = g;
		stop = contend_stop || k + 1 >= GRANT_CAP;
		g.prev_free = now_ns();
		__atomic_store(&last_free, &g.prev_free, __ATOMIC_RELEASE);
		ret = parclass_free(c->fd, c->token);
		if (ret)
			die("FREE", -ret);
	} while (!stop);
	return NULL;
}

static double jain(const double *x, int n)
{
	double s = 0, s2 = 0;
	int i;

	for (i = 0; i < n; i++) {
		s += x[i];
		s2 += x[i] * x[i];
	}
	return s2 > 0 ? s * s / (n * s2) : 0;
}

static int first_after(double t, unsigned int n)
{
	unsigned int lo = 0, hi = n;

	while (lo < hi) {
		unsigned int mid = (lo + hi) / 2;

		if (grants[mid].got > t)
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

struct contend_result {
	unsigned long grants;
	double window;		/* ns */
	double jain;
	double in_order;	/* % of grants */
	unsigned int inversions;	/* grants out of request order */
	unsigned int unexplained;	/* ... the overtaken not preempted */
	int most;		/* grants to one client while another waited */
	int most_clean;		/* ... the waiting one not preempted */
	double w50, w99;	/* wake-up latency, ns */
	unsigned int nwake;
	double last;		/* ppdev: ns from the start to the last grant */
};

static void contend_pc(struct contend_result *r)
{
	static double wake[GRANT_CAP];
	struct contender c[CLIENTS];
	pthread_barrier_t start;
	double per[CLIENTS], t0, t_end;
	unsigned int n, counted = 0, k, j, inversions = 0, unexplained = 0;
	unsigned int nwake = 0;
	int next[CLIENTS], i, ret, most = 0, most_clean = 0;

	pthread_barrier_init(&start, NULL, CLIENTS + 1);
	n_grants = 0;
	last_free = 0;
	contend_stop = 0;
	for (i = 0; i < CLIENTS; i++) {
		c[i].id = i;
		c[i].start = &start;
		c[i].fd = parclass_open();
		if (c[i].fd < 0)
			die("/dev/parclass", -c[i].fd);
		ret = parclass_connect(c[i].fd, sim_port, &c[i].token, NULL);
		if (ret)
			die("CONNECT", -ret);
		if (pthread_create(&c[i].th, NULL, contend_loop, &c[i]))
			die("pthread_create", EAGAIN);
	}
	watch("the contention of parclass clients", CONTEND_S + 60);
	pthread_barrier_wait(&start);
	t0 = now_ns();
	while (now_ns() - t0 < CONTEND_S * 1e9 &&
	       __atomic_load_n(&n_grants, __ATOMIC_RELAXED) < GRANT_CAP)
		sleep_ns(10e6);
	t_end = now_ns();
	contend_stop = 1;
	for (i = 0; i < CLIENTS; i++) {
		pthread_join(c[i].th, NULL);
		close(c[i].fd);
	}
	alarm(0);
	pthread_barrier_destroy(&start);
	n = n_grants < GRANT_CAP ? n_grants : GRANT_CAP;

	/* Grants within the window; every request was granted by the end. */
	memset(per, 0, sizeof(per));
	for (k = 0; k < n && grants[k].got <= t_end; k++) {
		per[grants[k].client]++;
		counted++;
		if (k && grants[k].asked < grants[k].prev_free)
			wake[nwake++] = grants[k].got - grants[k].prev_free;
	}
	/*
	 * In request order: no other client's pending request (its first
	 * grant after k) was asked for before grant k's.
	 */
	for (i = 0; i < CLIENTS; i++)
		next[i] = -1;
	for (k = n; k-- > 0;) {
		int x = grants[k].client, over = 0, over_clean = 0;

		for (i = 0; k < counted && i < CLIENTS; i++)
			if (i != x && next[i] >= 0 &&
			    grants[next[i]].asked < grants[k].asked) {
				over++;
				over_clean += !grants[next[i]].preempted;
			}
		inversions += over > 0;
		unexplained += over_clean > 0;
		next[x] = k;
	}
	/* The most grants one client got while another one waited. */
	for (j = 0; j < counted; j++) {
		int cnt[CLIENTS] = { 0 };

		for (k = first_after(grants[j].asked, j); k < j; k++) {
			if (++cnt[grants[k].client] > most)
				most = cnt[grants[k].client];
			if (!grants[j].preempted &&
			    cnt[grants[k].client] > most_clean)
				most_clean = cnt[grants[k].client];
		}
	}
	r->grants = counted;
	r->window = t_end - t0;
	r->jain = jain(per, CLIENTS);
	r->in_order = counted ? 100.0 * (counted - inversions) / counted : 0;
	r->inversions = inversions;
	r->unexplained = unexplained;
	r->most = most;
	r->most_clean = most_clean;
	r->nwake = nwake;
	r->w50 = quantile(wake, nwake, 0.5);
	r->w99 = quantile(wake, nwake, 0.99);
}

/* Contention: CLIENTS ppdev clients on one port, in a child process. */
struct pp_shared {
	unsigned long count[CLIENTS];
	double start;		/* when the clients were let go */
	double last;		/* the last grant */
	int err;
};

struct pp_contender {
	int id, fd;
	struct pp_shared *sh;
	pthread_barrier_t *start;
};

static void *pp_contend_loop(void *arg)
{
	struct pp_contender *c = arg;

	pthread_barrier_wait(c->start);
	for (;;) {
		if (ioctl(c->fd, PPCLAIM)) {
			c->sh->err = errno;
			return NULL;
		}
		c->sh->count[c->id]++;
		c->sh->last = now_ns();
		if (ioctl(c->fd, PPRELEASE)) {
			c->sh->err = errno;
			return NULL;
		}
	}
	return NULL;
}

static void contend_pp(struct contend_result *r)
{
	static struct pp_contender c[CLIENTS];
	pthread_barrier_t start;
	struct pp_shared *sh;
	pthread_t th;
	double t0, per[CLIENTS];
	int ready[2], i, st;
	pid_t pid;
	char x = 0;

	sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (sh == MAP_FAILED)
		die("mmap", errno);
	memset(sh, 0, sizeof(*sh));
	if (pipe2(ready, O_CLOEXEC))
		die("pipe", errno);
	pin_cpu(0);
	pid = fork();
	if (pid < 0)
		die("fork", errno);
	if (!pid) {
		in_child = true;
		pthread_barrier_init(&start, NULL, CLIENTS + 1);
		for (i = 0; i < CLIENTS; i++) {
			c[i].id = i;
			c[i].sh = sh;
			c[i].start = &start;
			c[i].fd = pp_open(sim_port);
			if (pthread_create(&th, NULL, pp_contend_loop, &c[i]))
				die("pthread_create", EAGAIN);
		}
		sh->start = now_ns();
		pthread_barrier_wait(&start);
		if (write(ready[1], "r", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	if (read(ready[0], &x, 1) != 1)
		die("the ppdev clients", EPIPE);
	t0 = sh->start;
	sleep_ns(t0 + CONTEND_S * 1e9 - now_ns());
	r->window = now_ns() - t0;
	r->grants = 0;
	for (i = 0; i < CLIENTS; i++) {
		per[i] = __atomic_load_n(&sh->count[i], __ATOMIC_RELAXED);
		r->grants += per[i];
	}
	r->last = sh->last ? sh->last - t0 : 0;
	watch("killing the ppdev clients", 60);
	kill(pid, SIGKILL);
	waitpid(pid, &st, 0);
	alarm(0);
	r->jain = jain(per, CLIENTS);
	if (sh->err)
		fprintf(stderr, "parclass-bench: a ppdev client: %s\n",
			strerror(sh->err));
	munmap(sh, sizeof(*sh));
	close(ready[0]);
	close(ready[1]);
}

static void contention(void)
{
	struct contend_result pc, pp;
	char what[64];
	const char *why;

	snprintf(what, sizeof(what), "%d clients on one simulated port, %d s",
		 CLIENTS, CONTEND_S);
	contend_pc(&pc);
	contend_pp(&pp);
	row(fmt("%s: grants", what),
	    fmt("blocking ALLOCATE + FREE: %s grants (%s /s)", num(pc.grants),
		num(pc.grants * 1e9 / pc.window)),
	    fmt("ppdev PPCLAIM + PPRELEASE: %s grants, the last %s after the start%s",
		num(pp.grants), dur(pp.last),
		pp.window - pp.last > 1e9 ? ", then none (stalled) until killed" : ""),
	    pp.grants ? fmt("%.0f", (double)pc.grants / pp.grants) : "∞", "");
	row(fmt("%s: Jain's fairness index over the clients' grants", what),
	    fmt("%.4f", pc.jain), fmt("%.4f", pp.jain), "",
	    fmt("≥ 0.99: %s", met(pc.jain >= 0.99)));
	if (!pc.inversions)
		why = "";
	else if (!pc.unexplained)
		why = fmt(" (the %s others each overtook a client preempted during its request, whose timestamp may then precede its place in the queue)",
			  num(pc.inversions));
	else
		why = fmt(" (%s others, %s of them overtaking a client never preempted during its request)",
			  num(pc.inversions), num(pc.unexplained));
	row(fmt("%s: FIFO", what),
	    fmt("%.3f %% of grants in request order%s; the most grants to one client during another's wait: %d (%d counting waits that were preempted)",
		pc.in_order, why, pc.most_clean, pc.most),
	    "not measured (stalls)", "", "");
	row(fmt("%s: wake-up latency, previous holder's FREE to the waiter's ALLOCATE returning",
		what),
	    fmt("p50 %s, p99 %s (%s wake-ups)", dur(pc.w50), dur(pc.w99),
		num(pc.nwake)),
	    "none (stalls)", "", fmt("p99 < 10 ms: %s", met(pc.w99 < 10e6)));
}

/* Module parameters raised for the idle sessions, restored at exit. */
static struct {
	const char *name;
	long old;
	bool changed;
} params[] = {
	{ .name = "max_sessions" },
	{ .name = "max_sessions_per_file" },
};

static long param_get(const char *name)
{
	char path[128];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), PARAMS "/%s", name);
	f = fopen(path, "re");
	if (!f)
		return -1;
	if (fscanf(f, "%ld", &v) != 1)
		v = -1;
	fclose(f);
	return v;
}

static int param_set(const char *name, long v)
{
	char path[128];
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), PARAMS "/%s", name);
	f = fopen(path, "we");
	if (!f)
		return errno;
	if (fprintf(f, "%ld\n", v) < 0)
		err = EIO;
	if (fclose(f))
		err = errno;
	return err;
}

static void params_restore(void)
{
	unsigned int i;

	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++)
		if (params[i].changed) {
			param_set(params[i].name, params[i].old);
			params[i].changed = false;
		}
}

static void params_raise(long need)
{
	unsigned int i;
	int err;

	for (i = 0; i < sizeof(params) / sizeof(params[0]); i++) {
		params[i].old = param_get(params[i].name);
		if (params[i].old < 0 || params[i].old >= need)
			continue;
		err = param_set(params[i].name, need);
		if (err)
			die(params[i].name, err);
		params[i].changed = true;
	}
}

/* Kernel memory, in bytes. */
static double meminfo(const char *key)
{
	char line[256];
	double kb = -1;
	size_t len = strlen(key);
	FILE *f = fopen("/proc/meminfo", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, len) && line[len] == ':') {
			kb = strtod(line + len + 1, NULL);
			break;
		}
	fclose(f);
	return kb * 1024;
}

static const char *slab_source = "/proc/meminfo Slab";

/* The memory of every slab: /proc/slabinfo if readable, else meminfo. */
static double slab_bytes(void)
{
	unsigned long active, objs, size, per, pages, aslabs, nslabs;
	long page = sysconf(_SC_PAGESIZE);
	char line[512], name[64], *sd;
	double sum = 0;
	bool any = false;
	FILE *f = fopen("/proc/slabinfo", "re");

	if (f) {
		while (fgets(line, sizeof(line), f)) {
			if (sscanf(line, "%63s %lu %lu %lu %lu %lu", name,
				   &active, &objs, &size, &per, &pages) != 6)
				continue;
			sd = strstr(line, "slabdata");
			if (!sd || sscanf(sd, "slabdata %lu %lu", &aslabs,
					  &nslabs) != 2)
				continue;
			sum += (double)nslabs * pages * page;
			any = true;
		}
		fclose(f);
		if (any) {
			slab_source = "/proc/slabinfo";
			return sum;
		}
	}
	return meminfo("Slab");
}

/* RCU softirqs run so far on all CPUs (/proc/softirqs), or -1. */
static double rcu_softirqs(void)
{
	char line[1024], *p, *end;
	double sum = -1, v;
	FILE *f = fopen("/proc/softirqs", "re");

	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		for (p = line; *p == ' '; p++)
			;
		if (strncmp(p, "RCU:", 4))
			continue;
		for (sum = 0, p += 4;; p = end) {
			v = strtod(p, &end);
			if (end == p)
				break;
			sum += v;
		}
	}
	fclose(f);
	return sum;
}

static unsigned int settle_timeouts;

/*
 * Let the kernel finish what the steps before left it to do (memory
 * freed after grace periods, RCU callbacks) before a measurement: wait
 * until, over 100 ms, the slab memory moved by less than 64 KiB and no
 * RCU softirq ran; 3 s at most.
 */
static void settle(void)
{
	double s0 = slab_bytes(), r0 = rcu_softirqs(), s1, r1, t0 = now_ns();

	while (now_ns() - t0 < 3e9) {
		sleep_ns(100e6);
		s1 = slab_bytes();
		r1 = rcu_softirqs();
		if (s1 - s0 < 64 * 1024 && s0 - s1 < 64 * 1024 && r1 == r0)
			return;
		s0 = s1;
		r0 = r1;
	}
	settle_timeouts++;
}

struct mem {
	double slab, free;
};

static void mem_read(struct mem *m)
{
	m->slab = slab_bytes();
	m->free = meminfo("MemFree");
}

static char *mem_cell(const struct mem *a, const struct mem *b, int n,
		      const char *what, double *per)
{
	char *s;

	*per = (b->slab - a->slab) / n;
	s = strdup(fmt("%s B per %s (slab); %s B by MemFree", num(*per), what,
		       num((a->free - b->free) / n)));
	if (!s)
		die("strdup", ENOMEM);
	return s;
}

static uint64_t idle_token[IDLE_SESSIONS];
static int idle_pp_fd[IDLE_PP_FILES];

/*
 * Windows of WINDOW_NS: the idle-client rows time operations whose cost
 * depends on the module's design (one per idle client, or none), in
 * rounds of a bounded length.
 */
static double pc_claim_window(void)
{
	double t0 = now_ns(), t;
	long n = 0;
	int i, ret;

	do {
		for (i = 0; i < 8; i++) {
			ret = parclass_allocate(pc_fd, pc_token, 0);
			if (!ret)
				ret = parclass_free(pc_fd, pc_token);
			if (ret)
				die("ALLOCATE/FREE", -ret);
		}
		n += 8;
		t = now_ns() - t0;
	} while (t < WINDOW_NS);
	return t / n;
}

static double pp_claim_window(void)
{
	double t0, t;
	long n = 0;
	int fd, i;

	fd = pp_open(port);
	/* ppdev registers its device at the first claim: not timed. */
	if (ioctl(fd, PPCLAIM) || ioctl(fd, PPRELEASE))
		die("PPCLAIM", errno);
	t0 = now_ns();
	do {
		for (i = 0; i < 8; i++)
			if (ioctl(fd, PPCLAIM) || ioctl(fd, PPRELEASE))
				die("PPCLAIM/PPRELEASE", errno);
		n += 8;
		t = now_ns() - t0;
	} while (t < WINDOW_NS);
	close(fd);
	return t / n;
}

/* CONNECT + DISCONNECT of one more session, on the main file. */
static double pc_connect_window(void)
{
	double t0 = now_ns(), t;
	uint64_t token;
	long n = 0;
	int i, ret;

	do {
		for (i = 0; i < 8; i++) {
			ret = parclass_connect(pc_fd, port, &token, NULL);
			if (!ret)
				ret = parclass_disconnect(pc_fd, token);
			if (ret)
				die("CONNECT/DISCONNECT", -ret);
		}
		n += 8;
		t = now_ns() - t0;
	} while (t < WINDOW_NS);
	return t / n;
}

/*
 * One phase of an idle-client row: an untimed window (a guest that slept
 * runs slower for some milliseconds), then the best of ROUNDS windows.
 * The phases compared are seconds apart, and the host's other load only
 * ever adds time, in bursts.
 */
static double phase_now(double (*f)(void))
{
	double best = 0, t;
	int r;

	f();
	for (r = 0; r < ROUNDS; r++) {
		t = f();
		if (!r || t < best)
			best = t;
	}
	return best;
}

/* The same, once the kernel is done with what the step before left it. */
static double phase(double (*f)(void))
{
	settle();
	return phase_now(f);
}

/* A new file with IDLE_SESSIONS sessions on the port; @took: how long. */
static int idle_connect(double *took)
{
	double t0 = now_ns();
	int fd, i, ret;

	fd = parclass_open();
	if (fd < 0)
		die("/dev/parclass", -fd);
	for (i = 0; i < IDLE_SESSIONS; i++) {
		ret = parclass_connect(fd, port, &idle_token[i], NULL);
		if (ret) {
			fprintf(stderr, "parclass-bench: CONNECT of idle session %d: %s\n",
				i + 1, strerror(-ret));
			exit(1);
		}
	}
	*took = now_ns() - t0;
	return fd;
}

/* IDLE_PP_FILES ppdev files on the port, each of which claimed it once. */
static void idle_pp_open(void)
{
	int i;

	for (i = 0; i < IDLE_PP_FILES; i++) {
		idle_pp_fd[i] = pp_open(port);
		if (ioctl(idle_pp_fd[i], PPCLAIM) ||
		    ioctl(idle_pp_fd[i], PPRELEASE))
			die("PPCLAIM/PPRELEASE", errno);
	}
}

static void idle_pp_close(void)
{
	int i;

	for (i = 0; i < IDLE_PP_FILES; i++)
		close(idle_pp_fd[i]);
}

static void idle_clients(void)
{
	double pc_wo[2], pc_with, pp_wo[2], pp_with, at[4], pc_mem, pp_mem;
	double t, ramp, used, pc_used, pc_used_later, pc_without, pp_without;
	struct mem m0, m1, p0, p1;
	char *pc_mem_cell, *pp_mem_cell;
	struct rlimit rl;
	int idle_fd, i, ret, n;

	/*
	 * parclass: without the idle sessions, with them, without them
	 * again; the baseline is the mean of the two. While they are
	 * connected, CONNECT + DISCONNECT at several sizes, and the idle
	 * sessions each use the port once.
	 */
	params_raise(IDLE_SESSIONS + 256);
	pc_wo[0] = phase(pc_claim_window);
	at[0] = phase(pc_connect_window);
	settle();
	mem_read(&m0);
	idle_fd = idle_connect(&ramp);
	mem_read(&m1);
	pc_with = phase(pc_claim_window);
	at[3] = phase(pc_connect_window);
	t = now_ns();
	for (i = 0; i < IDLE_SESSIONS; i++) {
		ret = parclass_allocate(idle_fd, idle_token[i], 0);
		if (!ret)
			ret = parclass_free(idle_fd, idle_token[i]);
		if (ret)
			die("ALLOCATE/FREE of an idle session", -ret);
	}
	used = now_ns() - t;
	/* At once: no settle(), which would wait. */
	pc_used = phase_now(pc_claim_window);
	sleep_ns(USED_IDLE_S * 1e9);
	pc_used_later = phase(pc_claim_window);
	for (n = IDLE_SESSIONS; n > 999; n--)
		parclass_disconnect(idle_fd, idle_token[n - 1]);
	at[2] = phase(pc_connect_window);
	for (; n > 99; n--)
		parclass_disconnect(idle_fd, idle_token[n - 1]);
	at[1] = phase(pc_connect_window);
	close(idle_fd);
	params_restore();
	pc_wo[1] = phase(pc_claim_window);
	pc_without = (pc_wo[0] + pc_wo[1]) / 2;
	pc_mem_cell = mem_cell(&m0, &m1, IDLE_SESSIONS, "session", &pc_mem);

	/* ppdev: the same, with files that each claimed the port once. */
	if (getrlimit(RLIMIT_NOFILE, &rl))
		die("getrlimit", errno);
	if (rl.rlim_cur < IDLE_PP_FILES + 64) {
		rl.rlim_cur = IDLE_PP_FILES + 64;
		if (rl.rlim_max < rl.rlim_cur)
			rl.rlim_max = rl.rlim_cur;
		if (setrlimit(RLIMIT_NOFILE, &rl))
			die("setrlimit", errno);
	}
	pp_wo[0] = phase(pp_claim_window);
	settle();
	mem_read(&p0);
	idle_pp_open();
	mem_read(&p1);
	pp_with = phase(pp_claim_window);
	idle_pp_close();
	pp_wo[1] = phase(pp_claim_window);
	pp_without = (pp_wo[0] + pp_wo[1]) / 2;
	pp_mem_cell = mem_cell(&p0, &p1, IDLE_PP_FILES,
			       "file that claimed once", &pp_mem);

	row(fmt("claim + release with idle clients on the port (best of %d windows; without them, with them, without again; ratio: parclass's speed with %s idle sessions / without)",
		ROUNDS, num(IDLE_SESSIONS)),
	    fmt("ALLOCATE + FREE: %s with %s idle sessions, %s and %s without: %.2f",
		dur(pc_with), num(IDLE_SESSIONS), dur(pc_wo[0]), dur(pc_wo[1]),
		pc_without / pc_with),
	    fmt("ppdev PPCLAIM + PPRELEASE: %s with %s idle files that each claimed once, %s and %s without: %.2f",
		dur(pp_with), num(IDLE_PP_FILES), dur(pp_wo[0]), dur(pp_wo[1]),
		pp_without / pp_with),
	    fmt("%.2f", pc_without / pc_with),
	    fmt("≥ 0.8: %s", met(pc_without / pc_with >= 0.8)));
	row(fmt("claim + release once the %s idle sessions each did one ALLOCATE + FREE (best of %d windows; ratio: parclass's speed right after / before they did)",
		num(IDLE_SESSIONS), ROUNDS),
	    fmt("ALLOCATE + FREE: %s before, %s right after, %s %d s later: %.2f and %.2f (their %s ALLOCATE + FREE took %s)",
		dur(pc_with), dur(pc_used), dur(pc_used_later),
		USED_IDLE_S, pc_with / pc_used, pc_with / pc_used_later,
		num(IDLE_SESSIONS), dur(used)),
	    "ppdev: files that each claimed once, the row above",
	    fmt("%.2f", pc_with / pc_used), "");
	row(fmt("CONNECT + DISCONNECT with 1, 100, 1,000 and %s sessions on the port (best of %d windows; ratio: time at %s / at 1)",
		num(IDLE_SESSIONS + 1), ROUNDS, num(IDLE_SESSIONS + 1)),
	    fmt("%s, %s, %s, %s (connecting %s sessions: %s)", dur(at[0]),
		dur(at[1]), dur(at[2]), dur(at[3]), num(IDLE_SESSIONS),
		dur(ramp)),
	    "", fmt("%.2f", at[3] / at[0]),
	    fmt("≤ 1.1: %s", met(at[3] / at[0] <= 1.1)));
	row(fmt("kernel memory per idle client (%s; ratio: parclass / ppdev)",
		slab_source),
	    pc_mem_cell, fmt("ppdev: %s", pp_mem_cell),
	    pp_mem > 0 ? fmt("%.2f", pc_mem / pp_mem) : "",
	    fmt("≤ 1 KiB: %s", met(pc_mem <= 1024)));
	free(pc_mem_cell);
	free(pp_mem_cell);
}

/*
 * --profile TRACEFS: where the time of the first rows goes. Each loop
 * runs PROFILE_LOOPS times untraced, then as many times again with the
 * function_graph tracer on (set up by the caller: scripts/bench-guest.sh
 * with PARCLASS_BENCH_PROFILE=1), only for this process; the trace of
 * each loop is left in /tmp/profile-NAME for the caller to sum up.
 */
#define PROFILE_LOOPS 200

static const char *tracefs;

static void trace_write(const char *file, const char *val)
{
	char path[256];
	int fd;

	snprintf(path, sizeof(path), "%s/%s", tracefs, file);
	fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	if (fd < 0 || write(fd, val, strlen(val)) != (ssize_t)strlen(val))
		die(path, errno);
	close(fd);
}

static void trace_save(const char *name)
{
	char path[256], chunk[65536];
	int in, out;
	ssize_t n;

	snprintf(path, sizeof(path), "%s/trace", tracefs);
	in = open(path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		die(path, errno);
	snprintf(path, sizeof(path), "/tmp/profile-%s", name);
	out = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (out < 0)
		die(path, errno);
	while ((n = read(in, chunk, sizeof(chunk))) > 0)
		if (write(out, chunk, n) != n)
			die(path, errno);
	close(in);
	close(out);
}

static void profile_one(const char *name, double (*loop)(void), int loops)
{
	loop();
	trace_write("trace", "");
	trace_write("tracing_on", "1");
	loop();
	trace_write("tracing_on", "0");
	trace_save(name);
	printf("PROFILE %s %d\n", name, loops);
	fflush(stdout);
}

static void profile(void)
{
	char pid[16];

	null_ops = ops = PROFILE_LOOPS;
	pin_cpu(0);
	snprintf(pid, sizeof(pid), "%d", getpid());
	trace_write("set_ftrace_pid", pid);
	/* Each loop once first, so that ppdev's device and parclass's exist. */
	pc_claim();
	pp_claim();
	profile_one("GET_VERSION", pc_null, null_ops);
	profile_one("PPGETMODE", pp_null, null_ops);
	profile_one("ALLOCATE_TRY+FREE", pc_claim, ops);
	profile_one("ALLOCATE+FREE", pc_claim_block, ops);
	profile_one("PPCLAIM+PPRELEASE", pp_claim, ops);
	profile_one("CONNECT+ALLOCATE_TRY+FREE+DISCONNECT", pc_client, ops / 4);
	profile_one("open+PPCLAIM+PPRELEASE+close", pp_client, ops / 4);
}

int main(int argc, char **argv)
{
	double t_start = now_ns(), wake_p99;
	char cell[384];
	int ret;

	if (argc >= 3 && !strcmp(argv[1], "--profile")) {
		tracefs = argv[2];
		argv += 2;
		argc -= 2;
	}
	if (argc < 2 || argc > 5) {
		fprintf(stderr,
			"usage: parclass-bench [--profile TRACEFS] PORT [SIMPORT [SIMDIR [SIMPORT2]]]\n");
		return 2;
	}
	port = strtoul(argv[1], NULL, 10);
	memset(buf, 'x', sizeof(buf));
	signal(SIGALRM, on_alarm);
	atexit(params_restore);
	pc_fd = parclass_open();
	if (pc_fd < 0)
		die("/dev/parclass", -pc_fd);
	ret = parclass_connect(pc_fd, port, &pc_token, NULL);
	if (ret)
		die("CONNECT", -ret);
	if (argc >= 3) {
		sim_port = strtoul(argv[2], NULL, 10);
		ret = parclass_connect(pc_fd, sim_port, &sim_token, NULL);
		if (ret)
			die("CONNECT (simulated port)", -ret);
	}

	if (tracefs) {
		profile();
		parclass_disconnect(pc_fd, pc_token);
		close(pc_fd);
		return 0;
	}
	printf("parclass-bench: parport%u", port);
	if (argc >= 3)
		printf(", simulated parport%u", sim_port);
	if (argc >= 5)
		printf(" and parport%s", argv[4]);
	printf("; times are medians of %d rounds. Unless a row says otherwise, ratio = the peer's time / parclass's: above 1, parclass is faster.\n\n",
	       ROUNDS);
	row("operation", "parclass", "peer (ppdev, lp)", "ratio", "goal");
	row("---", "---", "---", "---", "---");
	compare("null request (rate)", rate, "GET_VERSION", pc_null,
		"ppdev PPGETMODE", pp_null, 1.0);
	compare("claim + release a free port", dur, "ALLOCATE(TRY) + FREE",
		pc_claim, "ppdev PPCLAIM + PPRELEASE", pp_claim, 0);
	compare("claim + release a free port, blocking", dur,
		"ALLOCATE + FREE", pc_claim_block,
		"ppdev PPCLAIM + PPRELEASE", pp_claim, 1.0);
	compare("a whole client", dur,
		"CONNECT + ALLOCATE(TRY) + FREE + DISCONNECT", pc_client,
		"ppdev open + PPCLAIM + PPRELEASE + close", pp_client, 1.0);
	compare("a whole client after 4.5 s with no client on the port (parclass registers the client's parport device, as ppdev registers its own each time)",
		dur, "CONNECT + ALLOCATE(TRY) + FREE + DISCONNECT",
		pc_client_cold, "ppdev open + PPCLAIM + PPRELEASE + close",
		pp_client_one, 0);
	compare("print 64 KiB in compatibility mode", dur,
		"ALLOCATE + WRITE + FREE", pc_print, "lp write()", lp_print, 0);
	compare("JTAG-style bit-bang, 10,000 cycles (data, data with the clock, read status)",
		dur, "one PIN_PROGRAM of 30,000 operations", pc_jtag,
		"ppdev PPWDATA, PPWDATA, PPRSTATUS per cycle", pp_jtag, 10);
	compare("status reads (rate)", rate, "REGISTER(READ_STATUS)",
		pc_status_reg, "ppdev PPRSTATUS", pp_status, 0);
	compare("status reads (rate)", rate, "QUERY_INFORMATION",
		pc_status_info, "ppdev PPRSTATUS", pp_status, 0);
	if (argc >= 3) {
		compare("claim + release a free simulated port, blocking (parport_sim: its operations cost almost nothing, so the drivers' own costs show)",
			dur, "ALLOCATE + FREE", pc_claim_sim,
			"ppdev PPCLAIM + PPRELEASE", pp_claim_sim, 0);
		compare("device-ID reads (rate; parport_sim, 71-byte ID)", rate,
			"DEVICE_ID", pc_devid,
			"ppdev PPNEGOT(nibble, device ID) + read() + PPNEGOT(compat)",
			pp_devid, 0);
	}
	if (argc >= 4) {
		sim_dir = argv[3];
		compare_xfer("ECP write, 64 KiB (parport_sim)",
			     PARCLASS_1284_ECP_SW, IEEE1284_MODE_ECP, true);
		compare_xfer("EPP write, 64 KiB (parport_sim)",
			     PARCLASS_1284_EPP_SW, IEEE1284_MODE_EPP, true);
		compare_xfer("ECP read, 64 KiB (parport_sim)",
			     PARCLASS_1284_ECP_SW, IEEE1284_MODE_ECP, false);
		compare_xfer("EPP read, 64 KiB (parport_sim)",
			     PARCLASS_1284_EPP_SW, IEEE1284_MODE_EPP, false);
		compare_xfer("nibble read, 64 KiB (parport_sim)",
			     PARCLASS_1284_NIBBLE, IEEE1284_MODE_NIBBLE, false);
	}
	if (argc >= 3) {
		handoff_pc(cell, sizeof(cell), &wake_p99);
		row("handoff to a client blocked in ALLOCATE (parport_sim)",
		    cell, handoff_pp(), "",
		    fmt("wake-up p99 < 10 ms: %s", met(wake_p99 < 10e6)));
	}
	if (argc >= 5) {
		sim_port2 = strtoul(argv[4], NULL, 10);
		scaling();
	}
	if (argc >= 3)
		contention();
	idle_clients();

	if (argc >= 3)
		parclass_disconnect(pc_fd, sim_token);
	parclass_disconnect(pc_fd, pc_token);
	close(pc_fd);
	printf("\nparclass-bench: %.1f s", (now_ns() - t_start) / 1e9);
	if (settle_timeouts)
		printf("; the kernel was still busy after 3 s before %u of the measurements",
		       settle_timeouts);
	printf("\n");
	return 0;
}
