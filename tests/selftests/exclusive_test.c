// SPDX-License-Identifier: GPL-2.0
/*
 * exclusive_test: a session's WRITE keeps the port from ALLOCATE to FREE,
 * with lp and ppdev queued for the port during the transfer.
 *
 * The session holds the port and sends a long job from one thread. While
 * it runs, an lp writer (its device already open) and a ppdev PPCLAIM
 * queue in the parport core. Neither may get the port before FREE: the
 * job ends, both are still queued and have done nothing, and after FREE
 * lp's bytes and then ppdev's bytes follow the job on the wire, unbroken.
 *
 * On QEMU's emulated LPT (parport0) the host checks the wire: the bytes
 * come from /tests/data/exclusive_test.parport0.bin (job, then lp's, then
 * ppdev's). On a simulated port (parport_sim) the peripheral toggles its
 * Busy line during the job, and the test reads the wire back from the
 * port's forward file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/parclass.h>
#include <linux/ppdev.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
#include "sim_control.h"

#define LPT_DATA	"/tests/data/exclusive_test.parport0.bin"
#define PEER_LEN	16
#define LPT_JOB		65536
/* parport_sim's forward file keeps 64 KiB: the job and both peers fit. */
#define SIM_JOB		61440
/* How long the peers must still be waiting after the job ended. */
#define STILL_MS	200

struct job {
	int fd;
	__u64 token;
	const unsigned char *buf;
	__u32 len;
	__u32 written;
	int ret;
	atomic_int done;
};

static void *job_thread(void *arg)
{
	struct job *j = arg;

	j->ret = pc_write(j->fd, j->token, j->buf, j->len, 0,
			  &j->written);
	atomic_store(&j->done, 1);
	return NULL;
}

/* Peer children report the time they got the port through a pipe. */
static void report(int fd, __u64 t)
{
	if (write(fd, &t, sizeof(t)) != sizeof(t))
		_exit(9);
}

/*
 * lp: open the device first (its open claims the port briefly), say so,
 * wait for the go byte, then write @len bytes in one write().
 */
static pid_t lp_peer(const char *dev, const unsigned char *buf, size_t len,
		     int *ready, int *go, int *when)
{
	int r[2], g[2], w[2];
	pid_t pid;

	if (pipe(r) || pipe(g) || pipe(w))
		return -1;
	pid = fork();
	if (pid == 0) {
		char c;
		int lp = open(dev, O_WRONLY);

		if (lp < 0)
			_exit(2);
		if (write(r[1], "r", 1) != 1 || read(g[0], &c, 1) != 1)
			_exit(3);
		if (write(lp, buf, len) != (ssize_t)len)
			_exit(4);
		report(w[1], now_ns());
		_exit(close(lp) ? 5 : 0);
	}
	close(r[1]);
	close(g[0]);
	close(w[1]);
	*ready = r[0];
	*go = g[1];
	*when = w[0];
	return pid;
}

/* ppdev: PPCLAIM (queued), then write @len bytes and release. */
static pid_t ppdev_peer(const char *dev, const unsigned char *buf, size_t len,
			int *when)
{
	int w[2];
	pid_t pid;

	if (pipe(w))
		return -1;
	pid = fork();
	if (pid == 0) {
		int pp = open(dev, O_RDWR);

		if (pp < 0)
			_exit(2);
		if (ioctl(pp, PPCLAIM))
			_exit(3);
		report(w[1], now_ns());
		if (write(pp, buf, len) != (ssize_t)len)
			_exit(4);
		if (ioctl(pp, PPRELEASE))
			_exit(5);
		_exit(close(pp) ? 6 : 0);
	}
	close(w[1]);
	*when = w[0];
	return pid;
}

/* The child's exit status once it ends, or -1 while it still runs. */
static int child_status(pid_t pid, int block)
{
	int status;
	pid_t r = waitpid(pid, &status, block ? 0 : WNOHANG);

	if (r == 0)
		return -1;
	if (r != pid || !WIFEXITED(status))
		return 255;
	return WEXITSTATUS(status);
}

/* Wait up to 5 s until @n other drivers' devices are queued. */
static int wait_other_waiters(int fd, __u64 token, __u32 n)
{
	__u64 end = now_ns() + 5000000000ULL;
	__u32 waiters, other = 0;

	while (now_ns() < end) {
		if (pc_num_waiters(fd, token, &waiters, &other))
			return -1;
		if (other >= n)
			return other;
		sim_sleep_ms(5);
	}
	return other;
}

/* Flip the simulated peripheral's Busy line every 7 ms until killed. */
static pid_t busy_toggler(const char *sim)
{
	pid_t pid = fork();

	if (pid == 0) {
		for (;;) {
			sim_puts(sim, "faults", "busy");
			sim_sleep_ms(7);
			sim_puts(sim, "faults", "none");
			sim_sleep_ms(7);
		}
	}
	return pid;
}

/*
 * The whole scenario on port @port: @data holds the job (@job_len bytes),
 * then lp's and ppdev's PEER_LEN bytes each. With @sim, the peripheral's
 * Busy line toggles during the job.
 */
static void exclusive_job(struct __test_metadata *_metadata, int port,
			  const char *lpdev, const char *ppdev,
			  const unsigned char *data, __u32 job_len,
			  const char *sim)
{
	int fd, ready, go, lp_when, pp_when;
	__u64 token, lp_t = 0, pp_t = 0, free_t;
	__u32 waiters = 0, other = 0;
	struct job j = { 0 };
	pid_t lp, pp, toggler = -1;
	pthread_t th;
	char c;

	fd = pc_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pc_connect(fd, port, &token));

	lp = lp_peer(lpdev, data + job_len, PEER_LEN, &ready, &go, &lp_when);
	ASSERT_LT(0, lp);
	ASSERT_EQ(1, read(ready, &c, 1)) TH_LOG("lp could not open %s", lpdev);
	ASSERT_EQ(0, pc_try_allocate(fd, token));

	if (sim)
		toggler = busy_toggler(sim);
	j.fd = fd;
	j.token = token;
	j.buf = data;
	j.len = job_len;
	ASSERT_EQ(0, pthread_create(&th, NULL, job_thread, &j));

	/* lp's write and ppdev's claim queue while the job runs. */
	ASSERT_EQ(1, write(go, "g", 1));
	EXPECT_EQ(1, wait_other_waiters(fd, token, 1))
		TH_LOG("lp did not queue for the port");
	pp = ppdev_peer(ppdev, data + job_len + PEER_LEN, PEER_LEN, &pp_when);
	ASSERT_LT(0, pp);
	EXPECT_EQ(2, wait_other_waiters(fd, token, 2))
		TH_LOG("ppdev did not queue for the port");
	EXPECT_EQ(0, atomic_load(&j.done))
		TH_LOG("the job ended before both peers queued: nothing proven");

	ASSERT_EQ(0, pthread_join(th, NULL));
	if (toggler > 0) {
		kill(toggler, SIGKILL);
		waitpid(toggler, NULL, 0);
		sim_puts(sim, "faults", "none");
	}
	EXPECT_EQ(0, j.ret) TH_LOG("WRITE: %s", strerror(-j.ret));
	EXPECT_EQ(job_len, j.written);

	/* Still held: both peers still queued, neither has had the port. */
	sim_sleep_ms(STILL_MS);
	EXPECT_EQ(0, pc_num_waiters(fd, token, &waiters, &other));
	EXPECT_EQ(2, other);
	EXPECT_EQ(-1, child_status(lp, 0)) TH_LOG("lp finished before FREE");
	EXPECT_EQ(-1, child_status(pp, 0)) TH_LOG("ppdev finished before FREE");

	free_t = now_ns();
	ASSERT_EQ(0, pc_free(fd, token));
	EXPECT_EQ(0, child_status(lp, 1));
	EXPECT_EQ(0, child_status(pp, 1));
	EXPECT_EQ(sizeof(lp_t), read(lp_when, &lp_t, sizeof(lp_t)));
	EXPECT_EQ(sizeof(pp_t), read(pp_when, &pp_t, sizeof(pp_t)));
	/*
	 * Both were still queued just before FREE (above); their times
	 * confirm it. Equal is allowed: the debug guest's clock can be as
	 * coarse as a jiffy.
	 */
	EXPECT_LE(free_t, lp_t) TH_LOG("lp's write returned before FREE");
	EXPECT_LE(free_t, pp_t) TH_LOG("ppdev's PPCLAIM returned before FREE");
	/* The session never queued in the parport core: it could not. */
	EXPECT_EQ(0, pc_disconnect(fd, token));
	close(ready);
	close(go);
	close(lp_when);
	close(pp_when);
	close(fd);
}

TEST(qemu_lpt_job_unbroken_with_lp_and_ppdev_queued)
{
	static unsigned char data[LPT_JOB + 2 * PEER_LEN];
	ssize_t n;
	int in;

	in = open(LPT_DATA, O_RDONLY);
	ASSERT_LE(0, in) TH_LOG("%s: %s", LPT_DATA, strerror(errno));
	n = read(in, data, sizeof(data));
	close(in);
	ASSERT_EQ(sizeof(data), n);
	/* The host checks the wire: job, lp's bytes, ppdev's bytes. */
	exclusive_job(_metadata, 0, "/dev/lp0", "/dev/parport0", data,
		      LPT_JOB, NULL);
}

/* The /dev/lpN that lp gave simulated port @sim, in @dev. */
static int lp_of(const char *sim, char *dev, size_t size)
{
	char want[64], link[PATH_MAX], path[64];
	const char *base;
	int i;
	ssize_t n;

	if (sim_get(sim, "device", want, sizeof(want)) <= 0)
		return -1;
	want[strcspn(want, "\n")] = '\0';
	for (i = 0; i < 8; i++) {
		snprintf(path, sizeof(path), "/sys/class/printer/lp%d/device", i);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		base = strrchr(link, '/');
		if (!strcmp(base ? base + 1 : link, want)) {
			snprintf(dev, size, "/dev/lp%d", i);
			return 0;
		}
	}
	return -1;
}

TEST(sim_job_unbroken_with_busy_toggling)
{
	static unsigned char data[SIM_JOB + 2 * PEER_LEN];
	static char got[65536 + 1];
	char name[32], lpdev[32], ppdev[32];
	ssize_t n;
	size_t i;
	int num;

	srand(getpid());
	for (i = 0; i < sizeof(data); i++)
		data[i] = rand();
	snprintf(name, sizeof(name), "excl%d", (int)getpid());
	ASSERT_EQ(0, sim_puts("", "new", name));
	/* A plain printer: lp stays in compatibility mode. */
	ASSERT_EQ(0, sim_puts(name, "modes", "none"));
	ASSERT_EQ(0, sim_puts(name, "plugged", "1"));
	num = sim_number(name);
	ASSERT_LE(2, num);
	ASSERT_EQ(0, lp_of(name, lpdev, sizeof(lpdev)))
		TH_LOG("lp did not attach to %s", name);
	snprintf(ppdev, sizeof(ppdev), "/dev/parport%d", num);
	ASSERT_EQ(0, sim_puts(name, "forward", "x"));

	exclusive_job(_metadata, num, lpdev, ppdev, data, SIM_JOB, name);

	n = sim_get(name, "forward", got, sizeof(got));
	EXPECT_EQ(sizeof(data), n);
	EXPECT_EQ(0, memcmp(data, got, sizeof(data)))
		TH_LOG("the wire is not the job, then lp's, then ppdev's bytes");
	sim_puts(name, "plugged", "0");
	sim_puts("", "delete", name);
}

TEST_HARNESS_MAIN
