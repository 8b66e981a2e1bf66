// SPDX-License-Identifier: GPL-2.0
/*
 * parclass-bench: parclass against its peers, in the same boot.
 *
 *   parclass-bench PORT [SIMPORT [SIMDIR]]
 *
 * For each operation it times parclass and the closest thing the kernel
 * already offers on the same port, and prints both and their ratio:
 *
 * - claim + release of a free port: ALLOCATE(TRY) + FREE against ppdev's
 *   PPCLAIM + PPRELEASE;
 * - a whole client: CONNECT + ALLOCATE + FREE + DISCONNECT against
 *   open() + PPCLAIM + PPRELEASE + close() of /dev/parportN (ppdev
 *   registers its device at the first PPCLAIM and drops it at close);
 * - printing 64 KiB: ALLOCATE + WRITE + FREE against write() to /dev/lpN;
 * - a JTAG-style bit-bang of 10,000 cycles (data with the clock low, data
 *   with the clock high, read the status: TDI/TMS out, TCK, TDO in) as
 *   one PIN_PROGRAM against one ppdev ioctl per operation (PPWDATA,
 *   PPWDATA, PPRSTATUS), on the held port;
 * - a status read: REGISTER(READ_STATUS) and QUERY_INFORMATION against
 *   PPRSTATUS;
 * - with SIMPORT, a simulated port (parport_sim) whose peripheral has a
 *   device ID: DEVICE_ID against ppdev's PPNEGOT(nibble | device ID) +
 *   read() + PPNEGOT(compat), both on the held port. The caller sets
 *   parclass's device_id_holdoff_ms to 0 first: with its default (40 ms,
 *   as Windows waits between queries) parclass answers 25 queries a
 *   second by design;
 * - with SIMDIR too (that port's parport_sim debugfs directory), block
 *   transfers of 64 KiB on the simulated port: ECP and EPP writes, ECP,
 *   EPP and nibble reads. parclass holds the port (ALLOCATE), NEGOTIATEs
 *   the one mode, then times one WRITE with PARCLASS_WRITE_MODE or one
 *   READ; ppdev, PPCLAIMed, PPNEGOTs the same mode (IEEE1284_MODE_ECP,
 *   _EPP, _NIBBLE) and times write() or read() (which ppdev serves 1 KiB
 *   at a time) through the parport core's software IEEE 1284 routines,
 *   which are parport_sim's block operations. Only the transfer is
 *   timed: the reverse data is queued, and the forward record cleared,
 *   before the clock starts. Every round's data is new (no two equal
 *   bytes in a row, so ECP run-length encoding, which parclass
 *   negotiates and ppdev's plain ECP does not, never applies), and each
 *   transfer is checked afterwards: all 65,536 bytes, and the same bytes,
 *   arrived, and nothing is left in the peripheral's queue. The goal for
 *   each transfer row: parclass's throughput at least 0.95 times
 *   ppdev's (ratio >= 0.95).
 *
 * Times are the median of several rounds (CLOCK_MONOTONIC).
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/parport.h>
#include <linux/ppdev.h>
#include <parclass/libparclass.h>

#define ROUNDS 7
#define OPS 2000
#define PRINT_BYTES 65536
#define JTAG_CYCLES 10000
#define JTAG_OPS (3 * JTAG_CYCLES)
#define JTAG_TCK 0x02
#define DEVID_QUERIES 200
#define XFER_BYTES 65536
/* A transfer that takes longer than this is broken: stop the bench. */
#define XFER_ALARM_S 20

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
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

static void die(const char *what, int err)
{
	fprintf(stderr, "parclass-bench: %s: %s\n", what, strerror(err));
	exit(1);
}

static unsigned int port;
static int pc_fd;
static uint64_t pc_token;
static char buf[PRINT_BYTES];

/* One round of each operation, in nanoseconds per operation. */
static double pc_claim(void)
{
	double t0 = now_ns();
	int i, ret;

	for (i = 0; i < OPS; i++) {
		ret = parclass_try_allocate(pc_fd, pc_token);
		if (!ret)
			ret = parclass_free(pc_fd, pc_token);
		if (ret)
			die("ALLOCATE/FREE", -ret);
	}
	return (now_ns() - t0) / OPS;
}

static double pp_claim(void)
{
	char path[32];
	double t0;
	int fd, i;

	snprintf(path, sizeof(path), "/dev/parport%u", port);
	fd = open(path, O_RDWR);
	if (fd < 0)
		die(path, errno);
	/* ppdev registers its device at the first claim: not timed. */
	if (ioctl(fd, PPCLAIM) || ioctl(fd, PPRELEASE))
		die("PPCLAIM", errno);
	t0 = now_ns();
	for (i = 0; i < OPS; i++)
		if (ioctl(fd, PPCLAIM) || ioctl(fd, PPRELEASE))
			die("PPCLAIM/PPRELEASE", errno);
	t0 = (now_ns() - t0) / OPS;
	close(fd);
	return t0;
}

static double pc_client(void)
{
	double t0 = now_ns();
	uint64_t token;
	int i, ret;

	for (i = 0; i < OPS / 4; i++) {
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
	return (now_ns() - t0) / (OPS / 4);
}

static double pp_client(void)
{
	char path[32];
	double t0 = now_ns();
	int fd, i;

	snprintf(path, sizeof(path), "/dev/parport%u", port);
	for (i = 0; i < OPS / 4; i++) {
		fd = open(path, O_RDWR);
		if (fd < 0)
			die(path, errno);
		if (ioctl(fd, PPCLAIM) || ioctl(fd, PPRELEASE))
			die("PPCLAIM/PPRELEASE", errno);
		close(fd);
	}
	return (now_ns() - t0) / (OPS / 4);
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
	fd = open(path, O_WRONLY);
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

static int pp_open_claimed(unsigned int num)
{
	char path[32];
	int fd;

	snprintf(path, sizeof(path), "/dev/parport%u", num);
	fd = open(path, O_RDWR);
	if (fd < 0)
		die(path, errno);
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

static unsigned int sim_port;
static uint64_t sim_token;
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

static void on_alarm(int sig)
{
	static const char msg[] =
		"parclass-bench: a transfer on the simulated port hangs\n";

	(void)sig;
	if (write(2, msg, sizeof(msg) - 1) < 0)
		_exit(1);
	_exit(1);
}

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
	alarm(XFER_ALARM_S);
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
	alarm(XFER_ALARM_S);
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

static void compare(const char *what, const char *unit, double scale,
		    double (*ours)(void), const char *peer_name,
		    double (*peer)(void))
{
	double a[ROUNDS], b[ROUNDS], ma, mb;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		a[r] = ours();
		b[r] = peer();
	}
	ma = median(a, ROUNDS) / scale;
	mb = median(b, ROUNDS) / scale;
	printf("%-34s parclass %10.1f %s   %-22s %10.1f %s   ratio %.2f\n",
	       what, ma, unit, peer_name, mb, unit, ma / mb);
}

/* As compare(), for requests answered per second. */
static void compare_rate(const char *what, double (*ours)(void),
			 const char *peer_name, double (*peer)(void))
{
	double a[ROUNDS], b[ROUNDS], ra, rb;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		a[r] = ours();
		b[r] = peer();
	}
	ra = 1e9 / median(a, ROUNDS);
	rb = 1e9 / median(b, ROUNDS);
	printf("%-34s parclass %10.0f /s      %-22s %10.0f /s      ratio %.2f\n",
	       what, ra, peer_name, rb, ra / rb);
}

/* As compare_rate(), for bytes per second of a transfer of @bytes. */
static void compare_throughput(const char *what, double bytes,
			       double (*ours)(void), const char *peer_name,
			       double (*peer)(void))
{
	double a[ROUNDS], b[ROUNDS], ra, rb;
	int r;

	for (r = 0; r < ROUNDS; r++) {
		a[r] = ours();
		b[r] = peer();
	}
	ra = bytes / 1024 * 1e9 / median(a, ROUNDS);
	rb = bytes / 1024 * 1e9 / median(b, ROUNDS);
	printf("%-34s parclass %10.0f KiB/s   %-22s %10.0f KiB/s   ratio %.2f\n",
	       what, ra, peer_name, rb, ra / rb);
}

static void compare_xfer(const char *what, uint32_t pc_mode, int pp_mode,
			 bool write)
{
	const struct xfer x = { pc_mode, pp_mode, write };

	xfer = &x;
	compare_throughput(what, XFER_BYTES, pc_xfer,
			   write ? "ppdev PPNEGOT+write" : "ppdev PPNEGOT+read",
			   pp_xfer);
	xfer = NULL;
}

int main(int argc, char **argv)
{
	int ret;

	if (argc < 2 || argc > 4) {
		fprintf(stderr,
			"usage: parclass-bench PORT [SIMPORT [SIMDIR]]\n");
		return 2;
	}
	port = strtoul(argv[1], NULL, 10);
	memset(buf, 'x', sizeof(buf));
	pc_fd = parclass_open();
	if (pc_fd < 0)
		die("/dev/parclass", -pc_fd);
	ret = parclass_connect(pc_fd, port, &pc_token, NULL);
	if (ret)
		die("CONNECT", -ret);

	printf("parclass-bench: parport%u, median of %d rounds\n", port, ROUNDS);
	compare("claim + release (free port)", "us/op", 1e3, pc_claim,
		"ppdev PPCLAIM/PPRELEASE", pp_claim);
	compare("whole client (connect..disconnect)", "us/op", 1e3, pc_client,
		"ppdev open..close", pp_client);
	compare("print 64 KiB (compat mode)", "ms", 1e6, pc_print,
		"lp write", lp_print);
	compare("JTAG bit-bang, 10,000 cycles", "ms", 1e6, pc_jtag,
		"ppdev ioctl per op", pp_jtag);
	compare_rate("status read (REGISTER)", pc_status_reg,
		     "ppdev PPRSTATUS", pp_status);
	compare_rate("status read (QUERY_INFORMATION)", pc_status_info,
		     "ppdev PPRSTATUS", pp_status);
	if (argc >= 3) {
		sim_port = strtoul(argv[2], NULL, 10);
		ret = parclass_connect(pc_fd, sim_port, &sim_token, NULL);
		if (ret)
			die("CONNECT (simulated port)", -ret);
		compare_rate("device ID read (parport_sim)", pc_devid,
			     "ppdev PPNEGOT+read", pp_devid);
	}
	if (argc == 4) {
		sim_dir = argv[3];
		signal(SIGALRM, on_alarm);
		compare_xfer("ECP write 64 KiB (parport_sim)",
			     PARCLASS_1284_ECP_SW, IEEE1284_MODE_ECP, true);
		compare_xfer("EPP write 64 KiB (parport_sim)",
			     PARCLASS_1284_EPP_SW, IEEE1284_MODE_EPP, true);
		compare_xfer("ECP read 64 KiB (parport_sim)",
			     PARCLASS_1284_ECP_SW, IEEE1284_MODE_ECP, false);
		compare_xfer("EPP read 64 KiB (parport_sim)",
			     PARCLASS_1284_EPP_SW, IEEE1284_MODE_EPP, false);
		compare_xfer("nibble read 64 KiB (parport_sim)",
			     PARCLASS_1284_NIBBLE, IEEE1284_MODE_NIBBLE, false);
	}
	if (argc >= 3)
		parclass_disconnect(pc_fd, sim_token);
	parclass_disconnect(pc_fd, pc_token);
	close(pc_fd);
	return 0;
}
