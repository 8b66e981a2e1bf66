// SPDX-License-Identifier: GPL-2.0
/*
 * sim_registry_test: parport_sim's names and their debugfs directories
 * stay one to one while "new" and "delete" race, and its ports' numbers
 * stay one to one whatever order ports go in.
 *
 * One process creates a port while another spins on deleting it. Each
 * round ends with both done, and then a port's directory exists exactly
 * when the name is registered ("delete" succeeds exactly then), and a
 * new port of the same name gets its whole directory.
 *
 * The parport core numbers a new port after the lowest gap among its
 * ports, which is the next port's own number when the gap lies below a
 * port. A port unplugged below one that stays plugged in therefore keeps
 * its number until the ports above it are gone: every port plugged in
 * meanwhile gets a number of its own, and the numbers come back once
 * the ports above have gone.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
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

/* Does /sys/bus/parport/devices/parport@num exist? */
static int bus_has(int num)
{
	char path[64];
	struct stat st;

	snprintf(path, sizeof(path), "/sys/bus/parport/devices/parport%d", num);
	return stat(path, &st) == 0;
}

FIXTURE(numbers) {
	char name[4][32];
};

FIXTURE_SETUP(numbers)
{
	int i;

	alarm(60);
	for (i = 0; i < 4; i++)
		snprintf(self->name[i], sizeof(self->name[i]), "num%c%d",
			 'a' + i, (int)getpid());
}

FIXTURE_TEARDOWN(numbers)
{
	int i;

	for (i = 3; i >= 0; i--)
		sim_destroy(self->name[i]);
}

TEST_F_TIMEOUT(numbers,
	       a_port_plugged_under_a_live_one_gets_a_number_of_its_own, 60)
{
	const char *a = self->name[0], *b = self->name[1];
	const char *c = self->name[2], *d = self->name[3];
	int na, nb, nc, na2, nd, tries;
	__u64 t0;

	na = sim_create(a, NULL, NULL);
	ASSERT_LE(0, na);
	nb = sim_create(b, NULL, NULL);
	ASSERT_LE(0, nb);
	/* Numbered one after the other: nothing was plugged in between. */
	ASSERT_EQ(na + 1, nb);

	/* a goes; the next plug would find its number free below b's. */
	ASSERT_EQ(0, sim_puts(a, "plugged", "0"));
	nc = sim_create(c, NULL, NULL);
	ASSERT_LE(0, nc) {
		TH_LOG("%s did not plug in after %s went", c, a);
	}
	EXPECT_NE(nb, nc);
	EXPECT_NE(na, nc);
	EXPECT_EQ(nb, sim_number(b));
	EXPECT_TRUE(bus_has(nb));
	EXPECT_TRUE(bus_has(nc));

	/* a again: a number of its own once more. */
	ASSERT_EQ(0, sim_puts(a, "plugged", "1"));
	na2 = sim_number(a);
	ASSERT_LE(0, na2);
	EXPECT_NE(nb, na2);
	EXPECT_NE(nc, na2);
	EXPECT_EQ(nb, sim_number(b));
	EXPECT_EQ(nc, sim_number(c));

	/*
	 * With every port above gone, the lowest number comes back (or a
	 * lower one, freed meanwhile), once the removed ports' last holders
	 * have let go: a plug waits a little for them; plug again until
	 * then, for 10 s at most.
	 */
	sim_destroy(c);
	sim_destroy(b);
	sim_destroy(a);
	nd = sim_create(d, NULL, NULL);
	t0 = now_ns();
	for (tries = 0; nd > na && now_ns() - t0 < 10000000000ULL; tries++) {
		ASSERT_EQ(0, sim_puts(d, "plugged", "0"));
		sim_sleep_ms(100);
		ASSERT_EQ(0, sim_puts(d, "plugged", "1"));
		nd = sim_number(d);
	}
	EXPECT_LE(0, nd);
	EXPECT_GE(na, nd);
	EXPECT_TRUE(bus_has(nd));
	EXPECT_FALSE(bus_has(nc));
	TH_LOG("parport%d, %d; then %d and %d; %d back after %d more plugs",
	       na, nb, nc, na2, nd, tries);
}

TEST_HARNESS_MAIN
