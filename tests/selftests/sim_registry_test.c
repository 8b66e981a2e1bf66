// SPDX-License-Identifier: GPL-2.0
/*
 * sim_registry_test: parport_sim's names and their debugfs directories
 * stay one to one while "new" and "delete" race.
 *
 * One process creates a port while another spins on deleting it. Each
 * round ends with both done, and then a port's directory exists exactly
 * when the name is registered ("delete" succeeds exactly then), and a
 * new port of the same name gets its whole directory.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "sim_control.h"

#define ROUNDS	400
#define NAME	"racer"

static int dir_exists(const char *file)
{
	char path[128];
	struct stat st;

	snprintf(path, sizeof(path), "%s/%s%s%s", SIM_DIR, NAME,
		 *file ? "/" : "", file);
	return stat(path, &st) == 0;
}

/* The deleter: spins until "delete" succeeds, or gives up after 1 s. */
static void deleter(int go)
{
	struct timespec t0, t;
	char c;

	if (read(go, &c, 1) != 1)
		_exit(2);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (;;) {
		if (!sim_puts("", "delete", NAME))
			_exit(0);
		clock_gettime(CLOCK_MONOTONIC, &t);
		if (t.tv_sec - t0.tv_sec > 1)
			_exit(1);
	}
}

TEST(new_and_delete_race)
{
	int round, stale = 0, missing = 0, hits = 0;

	alarm(120);
	for (round = 0; round < ROUNDS; round++) {
		int go[2], status, del, ret;
		pid_t pid;

		ASSERT_EQ(0, pipe(go));
		pid = fork();
		ASSERT_GE(pid, 0);
		if (!pid) {
			close(go[1]);
			deleter(go[0]);
		}
		close(go[0]);
		ASSERT_EQ(1, write(go[1], "g", 1));
		close(go[1]);
		ret = sim_puts("", "new", NAME);
		ASSERT_EQ(0, ret);
		ASSERT_EQ(pid, waitpid(pid, &status, 0));
		ASSERT_TRUE(WIFEXITED(status));
		ASSERT_EQ(0, WEXITSTATUS(status)) {
			TH_LOG("round %d: the deleter never deleted", round);
		}
		/*
		 * The name is gone from the registry; its directory must be
		 * gone too.
		 */
		del = sim_puts("", "delete", NAME);
		EXPECT_EQ(ENOENT, del);
		if (dir_exists("")) {
			stale++;
			if (stale <= 3)
				TH_LOG("round %d: directory %s/%s outlives its port",
				       round, SIM_DIR, NAME);
		}
		/* The same name again gets its whole directory. */
		ret = sim_puts("", "new", NAME);
		if (ret) {
			missing++;
			TH_LOG("round %d: new %s: %s", round, NAME,
			       strerror(ret));
			continue;
		}
		if (!dir_exists("plugged") || !dir_exists("state")) {
			missing++;
			if (missing <= 3)
				TH_LOG("round %d: recreated port has no controls",
				       round);
		} else {
			hits++;
		}
		EXPECT_EQ(0, sim_puts("", "delete", NAME));
		/* A stale directory from an old port: clear it for the next. */
		if (dir_exists("")) {
			stale++;
			break;
		}
	}
	TH_LOG("%d rounds, %d recreated whole", round, hits);
	EXPECT_EQ(0, stale);
	EXPECT_EQ(0, missing);
}

TEST_HARNESS_MAIN
