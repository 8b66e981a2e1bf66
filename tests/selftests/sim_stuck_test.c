// SPDX-License-Identifier: GPL-2.0
/*
 * sim_stuck_test: a WRITE stuck on a busy simulated peripheral (parport_sim
 * with the busy fault, a 30 s inactivity timeout) ends at once, with the
 * bytes done reported, when it is ended from outside:
 *
 * - DISCONNECT from another thread: ESTALE;
 * - a signal to the writing thread: EINTR;
 * - SIGKILL of the writing process: it dies, and the port is free;
 * - unplugging the port: ENODEV, and the unplug itself returns at once.
 *
 * While the transfer runs, the same session's other requests answer at
 * once: ALLOCATE gives EALREADY, FREE and a second WRITE give EBUSY, the
 * queries answer. A WRITE streaming to a healthy peripheral and ended by
 * a signal reports exactly the bytes that reached the peripheral.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/parclass.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
#include "sim_control.h"

#define MS		1000000ULL
#define STUCK_TIMEOUT	(30000 * MS)
/* An ended transfer returns within this. */
#define PROMPT		(100 * MS)
/* The unplug returns within this. */
#define UNPLUG_BOUND	(1000 * MS)
/* How long the writer is left stuck before it is ended. */
#define STUCK_MS	300

static void on_signal(int sig)
{
	(void)sig;
}

struct job {
	int fd;
	__u64 token;
	const void *buf;
	__u32 len;
	__u32 written;
	int ret;
	__u64 end;
	atomic_int done;
};

static void *job_thread(void *arg)
{
	struct job *j = arg;

	j->ret = pc_write(j->fd, j->token, j->buf, j->len, STUCK_TIMEOUT,
			  &j->written);
	j->end = now_ns();
	atomic_store(&j->done, 1);
	return NULL;
}

static unsigned char payload[1 << 20];

FIXTURE(stuck) {
	char name[32];
	int fd;
	__u64 token;
	int num;
	struct job j;
	pthread_t th;
};

FIXTURE_SETUP(stuck)
{
	struct sigaction sa = { .sa_handler = on_signal };

	/* No SA_RESTART: the signal must end the WRITE with EINTR. */
	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	snprintf(self->name, sizeof(self->name), "stuck%d", (int)getpid());
	ASSERT_EQ(0, sim_puts("", "new", self->name));
	ASSERT_EQ(0, sim_puts(self->name, "faults", "busy"));
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "1"));
	self->num = sim_number(self->name);
	ASSERT_LE(2, self->num);
	self->fd = pc_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->token));
	ASSERT_EQ(0, pc_try_allocate(self->fd, self->token));
	self->j.fd = self->fd;
	self->j.token = self->token;
	self->j.buf = payload;
	self->j.len = 4096;
}

FIXTURE_TEARDOWN(stuck)
{
	if (self->fd >= 0)
		close(self->fd);
	sim_puts(self->name, "plugged", "0");
	sim_puts("", "delete", self->name);
}

/* Start the writer thread and leave it stuck for STUCK_MS. */
static int start_stuck(struct __test_metadata *_metadata, struct job *j,
		       pthread_t *th)
{
	if (pthread_create(th, NULL, job_thread, j))
		return -1;
	sim_sleep_ms(STUCK_MS);
	if (atomic_load(&j->done)) {
		TH_LOG("the WRITE was not stuck: %s, %u bytes",
		       strerror(-j->ret), j->written);
		return -1;
	}
	return 0;
}

TEST_F(stuck, disconnect_ends_it_with_estale)
{
	__u64 t0;

	ASSERT_EQ(0, start_stuck(_metadata, &self->j, &self->th));
	t0 = now_ns();
	EXPECT_EQ(0, pc_disconnect(self->fd, self->token));
	ASSERT_EQ(0, pthread_join(self->th, NULL));
	EXPECT_EQ(-ESTALE, self->j.ret);
	EXPECT_EQ(0, self->j.written);
	EXPECT_GT(PROMPT, self->j.end - t0)
		TH_LOG("the WRITE took %llu ms to end",
		       (unsigned long long)((self->j.end - t0) / MS));
	EXPECT_EQ(-ESTALE, pc_free(self->fd, self->token));
}

TEST_F(stuck, close_from_another_thread_ends_it_with_estale)
{
	__u64 t0;
	int fd2;
	__u64 token2;

	ASSERT_EQ(0, start_stuck(_metadata, &self->j, &self->th));
	t0 = now_ns();
	EXPECT_EQ(0, close(self->fd));
	self->fd = -1;
	ASSERT_EQ(0, pthread_join(self->th, NULL));
	EXPECT_EQ(-ESTALE, self->j.ret);
	EXPECT_EQ(0, self->j.written);
	EXPECT_GT(PROMPT, self->j.end - t0);

	/* The file is gone with its last request: the port is free. */
	fd2 = pc_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, pc_connect(fd2, self->num, &token2));
	EXPECT_EQ(0, pc_try_allocate(fd2, token2));
	close(fd2);
}

TEST_F(stuck, close_of_a_dup_leaves_it_running)
{
	int dup_fd = dup(self->fd);

	ASSERT_LE(0, dup_fd);
	ASSERT_EQ(0, start_stuck(_metadata, &self->j, &self->th));
	EXPECT_EQ(0, close(dup_fd));
	sim_sleep_ms(STUCK_MS);
	EXPECT_EQ(0, atomic_load(&self->j.done))
		TH_LOG("closing a duplicate ended the transfer: %s",
		       strerror(-self->j.ret));
	ASSERT_EQ(0, pc_disconnect(self->fd, self->token));
	ASSERT_EQ(0, pthread_join(self->th, NULL));
	EXPECT_EQ(-ESTALE, self->j.ret);
}

TEST_F(stuck, signal_ends_it_with_eintr)
{
	__u64 t0;

	ASSERT_EQ(0, start_stuck(_metadata, &self->j, &self->th));
	t0 = now_ns();
	ASSERT_EQ(0, pthread_kill(self->th, SIGUSR1));
	ASSERT_EQ(0, pthread_join(self->th, NULL));
	EXPECT_EQ(-EINTR, self->j.ret);
	EXPECT_EQ(0, self->j.written);
	EXPECT_GT(PROMPT, self->j.end - t0);
	/* Still held: FREE works, and only once. */
	EXPECT_EQ(0, pc_free(self->fd, self->token));
	EXPECT_EQ(-EPERM, pc_free(self->fd, self->token));
}

TEST_F(stuck, same_session_answers_at_once_during_it)
{
	__u32 written = 1, waiters = 1, other = 1;
	__u64 t0;

	ASSERT_EQ(0, start_stuck(_metadata, &self->j, &self->th));
	t0 = now_ns();
	EXPECT_EQ(-EALREADY, pc_try_allocate(self->fd, self->token));
	EXPECT_EQ(-EALREADY, pc_allocate(self->fd, self->token, 0, 0));
	EXPECT_EQ(0, pc_is_free(self->fd, self->token));
	EXPECT_EQ(0, pc_num_waiters(self->fd, self->token, &waiters, &other));
	EXPECT_EQ(0, waiters);
	EXPECT_EQ(0, other);
	EXPECT_EQ(-EBUSY, pc_free(self->fd, self->token));
	EXPECT_EQ(-EBUSY, pc_write(self->fd, self->token, payload, 1, 0,
				   &written));
	EXPECT_EQ(0, written);
	EXPECT_GT(PROMPT, now_ns() - t0);
	EXPECT_EQ(0, atomic_load(&self->j.done));

	/* The peripheral recovers: the job completes, FREE works again. */
	ASSERT_EQ(0, sim_puts(self->name, "faults", "none"));
	ASSERT_EQ(0, pthread_join(self->th, NULL));
	EXPECT_EQ(0, self->j.ret);
	EXPECT_EQ(4096, self->j.written);
	EXPECT_EQ(0, pc_free(self->fd, self->token));
}

TEST_F(stuck, unplug_ends_it_with_enodev_and_returns_at_once)
{
	__u64 t0, t1;

	ASSERT_EQ(0, start_stuck(_metadata, &self->j, &self->th));
	t0 = now_ns();
	EXPECT_EQ(0, sim_puts(self->name, "plugged", "0"));
	t1 = now_ns();
	ASSERT_EQ(0, pthread_join(self->th, NULL));
	EXPECT_GT(UNPLUG_BOUND, t1 - t0)
		TH_LOG("the unplug took %llu ms",
		       (unsigned long long)((t1 - t0) / MS));
	EXPECT_EQ(-ENODEV, self->j.ret);
	EXPECT_EQ(0, self->j.written);
	EXPECT_GT(PROMPT, self->j.end - t0);
	EXPECT_EQ(-ENODEV, pc_free(self->fd, self->token));
	EXPECT_EQ(0, pc_disconnect(self->fd, self->token));
}

TEST_F(stuck, sigkill_ends_the_process_and_frees_the_port)
{
	__u64 t0;
	int status, fd2;
	__u64 token2;
	pid_t pid;

	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = pc_open();
		__u64 token;
		__u32 w;

		if (fd < 0 || pc_connect(fd, self->num, &token))
			_exit(2);
		if (pc_allocate(fd, token, 0, 2000 * MS))
			_exit(3);
		pc_write(fd, token, payload, 4096, STUCK_TIMEOUT, &w);
		_exit(4);
	}
	/* Let the child take the port after the fixture's session frees it. */
	ASSERT_EQ(0, pc_free(self->fd, self->token));
	sim_sleep_ms(STUCK_MS);
	EXPECT_EQ(0, waitpid(pid, &status, WNOHANG));
	EXPECT_EQ(0, pc_is_free(self->fd, self->token));

	t0 = now_ns();
	ASSERT_EQ(0, kill(pid, SIGKILL));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_GT(PROMPT, now_ns() - t0);
	EXPECT_TRUE(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);

	/* Its session is gone with it: the port is ours again. */
	fd2 = pc_open();
	ASSERT_LE(0, fd2);
	ASSERT_EQ(0, pc_connect(fd2, self->num, &token2));
	EXPECT_EQ(0, pc_try_allocate(fd2, token2));
	close(fd2);
}

/* A healthy peripheral: the bytes reported are the bytes that arrived. */
TEST_F(stuck, signal_mid_stream_reports_the_bytes_sent)
{
	static char got[65536 + 1];
	ssize_t n;
	size_t i;

	for (i = 0; i < sizeof(payload); i++)
		payload[i] = i * 7 + 3;
	ASSERT_EQ(0, sim_puts(self->name, "faults", "none"));
	ASSERT_EQ(0, sim_puts(self->name, "forward", "x"));
	self->j.len = sizeof(payload);
	ASSERT_EQ(0, pthread_create(&self->th, NULL, job_thread, &self->j));
	sim_sleep_ms(20);
	ASSERT_EQ(0, pthread_kill(self->th, SIGUSR1));
	ASSERT_EQ(0, pthread_join(self->th, NULL));
	EXPECT_EQ(-EINTR, self->j.ret);
	EXPECT_LT(0, self->j.written);
	EXPECT_GT(sizeof(payload), self->j.written);
	n = sim_get(self->name, "forward", got, sizeof(got));
	/* The forward file keeps the first 64 KiB. */
	EXPECT_EQ(self->j.written < 65536 ? self->j.written : 65536, n);
	EXPECT_EQ(0, memcmp(payload, got, n > 0 ? n : 0));
	EXPECT_EQ(0, pc_free(self->fd, self->token));
}

TEST_HARNESS_MAIN
