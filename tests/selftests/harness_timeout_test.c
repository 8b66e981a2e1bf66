// SPDX-License-Identifier: GPL-2.0
/*
 * harness_timeout_test: the kselftest harness's per-test timeout really
 * ends a hung test in this kernel.
 *
 * Every guest test relies on it (and on alarm(), which it uses) to turn
 * a hang into a named failure rather than a lane timeout. A kernel built
 * without CONFIG_POSIX_TIMERS answers alarm() with ENOSYS, and the
 * harness then waits for a hung test for ever.
 *
 * The program runs itself again with the fixture "stuck" only: its one
 * test sleeps far past its one-second timeout. The harness must end it
 * within seconds, name the timeout, and fail. Run normally, the stuck
 * fixture is left out (-F stuck).
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"

#define CHILD_ENV	"PARCLASS_HARNESS_TIMEOUT_CHILD"
/* The stuck test's sleep, and how long the harness may take to end it. */
#define STUCK_S		30
#define ENDED_WITHIN_S	10

FIXTURE(stuck) {
	int unused;
};

FIXTURE_SETUP(stuck)
{
}

FIXTURE_TEARDOWN(stuck)
{
}

/* Only ever run in the child (see main()). */
TEST_F_TIMEOUT(stuck, sleeps_past_its_timeout, 1)
{
	sleep(STUCK_S);
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

TEST(alarm_works)
{
	/* What the harness's timeout is built on. */
	errno = 0;
	alarm(100);
	EXPECT_EQ(0, errno) TH_LOG("alarm(): %s", strerror(errno));
	EXPECT_EQ(100, alarm(0));
}

TEST(a_hung_test_is_ended_by_the_harness_timeout)
{
	char out[8192];
	size_t len = 0;
	int pipefd[2], status;
	double t0;
	ssize_t n;
	pid_t pid;

	ASSERT_EQ(0, pipe(pipefd));
	t0 = now_s();
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		dup2(pipefd[1], 1);
		dup2(pipefd[1], 2);
		close(pipefd[0]);
		setenv(CHILD_ENV, "1", 1);
		execl("/proc/self/exe", "harness_timeout_test", "-f", "stuck",
		      (char *)NULL);
		_exit(127);
	}
	close(pipefd[1]);
	while (len < sizeof(out) - 1 &&
	       (n = read(pipefd[0], out + len, sizeof(out) - 1 - len)) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;
		len += n;
	}
	out[len] = '\0';
	close(pipefd[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));

	EXPECT_GT(ENDED_WITHIN_S, now_s() - t0)
		TH_LOG("the stuck test ran its whole sleep: no timeout");
	ASSERT_TRUE(WIFEXITED(status));
	EXPECT_NE(0, WEXITSTATUS(status));
	EXPECT_NE(NULL, strstr(out, "Test terminated by timeout"))
		TH_LOG("child said:\n%s", out);
	EXPECT_NE(NULL, strstr(out, "not ok 1 stuck.sleeps_past_its_timeout"))
		TH_LOG("child said:\n%s", out);
}

int main(int argc, char **argv)
{
	char *args[4];

	if (getenv(CHILD_ENV))
		return test_harness_run(argc, argv);
	/* Everything but the stuck fixture. */
	args[0] = argv[0];
	args[1] = strdup("-F");
	args[2] = strdup("stuck");
	args[3] = NULL;
	if (!args[1] || !args[2])
		return KSFT_FAIL;
	return test_harness_run(3, args);
}
