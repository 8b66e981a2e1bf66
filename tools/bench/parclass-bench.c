// SPDX-License-Identifier: GPL-2.0
/*
 * parclass-bench: parclass against its peers, in the same boot.
 *
 *   parclass-bench PORT
 *
 * For each operation it times parclass and the closest thing the kernel
 * already offers on the same port, and prints both and their ratio:
 *
 * - claim + release of a free port: ALLOCATE(TRY) + FREE against ppdev's
 *   PPCLAIM + PPRELEASE;
 * - a whole client: CONNECT + ALLOCATE + FREE + DISCONNECT against
 *   open() + PPCLAIM + PPRELEASE + close() of /dev/parportN (ppdev
 *   registers its device at the first PPCLAIM and drops it at close);
 * - printing 64 KiB: ALLOCATE + WRITE + FREE against write() to /dev/lpN.
 *
 * Times are the median of several rounds (CLOCK_MONOTONIC).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/ppdev.h>
#include <parclass/libparclass.h>

#define ROUNDS 7
#define OPS 2000
#define PRINT_BYTES 65536

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

int main(int argc, char **argv)
{
	int ret;

	if (argc != 2) {
		fprintf(stderr, "usage: parclass-bench PORT\n");
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
	parclass_disconnect(pc_fd, pc_token);
	close(pc_fd);
	return 0;
}
