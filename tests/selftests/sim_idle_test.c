// SPDX-License-Identifier: GPL-2.0
/*
 * sim_idle_test: connected sessions that leave the port alone cost it
 * nothing.
 *
 * The parport core walks every device registered on a port at each
 * release, so parclass registers a session's parport device only when
 * the session asks for the port, and unregisters it once the session has
 * left the port alone for 2 s. A device a session lets go of (idle,
 * DISCONNECT or close) stays as the port's one spare, which the next
 * session to ask takes over, fresh, instead of registering one; the
 * port's arbiter comes when a session first has to wait, and goes, with
 * the spare, 2 s after the last session lets go of its own. The test counts
 * parclass's devices under the port in sysfs
 * (/sys/bus/parport/devices/parportN/) and reads their names from
 * LIST_PORTS.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <linux/parport.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
#include "sim_control.h"

#define IDLE_SESSIONS	500

/* parclass's pardevices on parport @num, or -1. */
static int parclass_devices(int num)
{
	char path[64];
	struct dirent *d;
	DIR *dir;
	int n = 0;

	snprintf(path, sizeof(path), "/sys/bus/parport/devices/parport%d", num);
	dir = opendir(path);
	if (!dir)
		return -1;
	while ((d = readdir(dir)))
		n += !strncmp(d->d_name, "parclass.", 9);
	closedir(dir);
	return n;
}

/* Wait up to @ms for parport @num to have @want parclass devices. */
static int wait_devices(int num, int want, unsigned int ms)
{
	int n = parclass_devices(num);

	while (n != want && ms >= 50) {
		sim_sleep_ms(50);
		ms -= 50;
		n = parclass_devices(num);
	}
	return n;
}

FIXTURE(idle) {
	char name[32];
	int num;
	int fd;
	__u64 tokens[IDLE_SESSIONS];
};

FIXTURE_SETUP(idle)
{
	alarm(60);
	snprintf(self->name, sizeof(self->name), "idle%d", (int)getpid());
	self->num = sim_create(self->name, NULL, NULL);
	ASSERT_LE(0, self->num);
	self->fd = pc_open();
	ASSERT_LE(0, self->fd);
}

FIXTURE_TEARDOWN(idle)
{
	if (self->fd >= 0)
		close(self->fd);
	sim_destroy(self->name);
}

TEST_F(idle, connected_sessions_register_nothing_until_they_allocate)
{
	int i;

	ASSERT_EQ(0, parclass_devices(self->num));
	for (i = 0; i < IDLE_SESSIONS; i++)
		ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->tokens[i]));
	/* Neither the sessions nor an arbiter are on the port. */
	EXPECT_EQ(0, parclass_devices(self->num));

	/* One asks for the port and gets it: its device comes, alone. */
	ASSERT_EQ(0, pc_allocate(self->fd, self->tokens[7], 0, 0));
	EXPECT_EQ(1, parclass_devices(self->num));
	/* Another one tries while it holds: it has a device too. */
	EXPECT_EQ(-EAGAIN, pc_try_allocate(self->fd, self->tokens[8]));
	EXPECT_EQ(2, parclass_devices(self->num));
	/* A third one waits: the arbiter comes. */
	EXPECT_EQ(-ETIMEDOUT, pc_allocate(self->fd, self->tokens[12], 0,
					  100000000ULL));
	EXPECT_EQ(4, parclass_devices(self->num));
	ASSERT_EQ(0, pc_free(self->fd, self->tokens[7]));

	/*
	 * Idle for 2 s, all lose theirs: one stays as the port's spare, the
	 * others go; 2 s later the arbiter goes, and the spare with it.
	 */
	EXPECT_EQ(2, wait_devices(self->num, 2, 4000));
	EXPECT_EQ(0, wait_devices(self->num, 0, 4000));

	/* DISCONNECT of a session with a device leaves it as the spare ... */
	ASSERT_EQ(0, pc_allocate(self->fd, self->tokens[9], 0, 0));
	ASSERT_EQ(0, pc_free(self->fd, self->tokens[9]));
	EXPECT_EQ(1, parclass_devices(self->num));
	ASSERT_EQ(0, pc_disconnect(self->fd, self->tokens[9]));
	EXPECT_EQ(1, parclass_devices(self->num));
	/* ... which the next session to ask takes: nothing new registers. */
	ASSERT_EQ(0, pc_allocate(self->fd, self->tokens[10], 0, 0));
	EXPECT_EQ(1, parclass_devices(self->num));
	/* Another one asks meanwhile: it registers its own. */
	EXPECT_EQ(-EAGAIN, pc_try_allocate(self->fd, self->tokens[11]));
	EXPECT_EQ(2, parclass_devices(self->num));
	ASSERT_EQ(0, pc_free(self->fd, self->tokens[10]));
	/* Both leave: one spare stays, never more, and goes 2 s later. */
	ASSERT_EQ(0, pc_disconnect(self->fd, self->tokens[10]));
	ASSERT_EQ(0, pc_disconnect(self->fd, self->tokens[11]));
	EXPECT_EQ(1, parclass_devices(self->num));
	EXPECT_EQ(0, wait_devices(self->num, 0, 4000));

	for (i = 0; i < IDLE_SESSIONS; i++)
		if (i < 9 || i > 11)
			EXPECT_EQ(0, pc_disconnect(self->fd, self->tokens[i]));
}

/*
 * The spare carries nothing of the session that let go of it: the next
 * session gets the state a new device gets (the control lines the port
 * restores when it claims it), and is the one that holds the port.
 */
TEST_F(idle, the_spare_comes_fresh_to_the_next_session)
{
	char first[32], again[32];
	__u32 fresh = 0, v = 0;

	/* A session's first device: the control lines it finds. */
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->tokens[0]));
	ASSERT_EQ(0, pc_allocate(self->fd, self->tokens[0], 0, 0));
	ASSERT_EQ(0, pc_register(self->fd, self->tokens[0],
				 PARCLASS_PIN_READ_CONTROL, 0, &fresh));
	ASSERT_EQ(0, pc_holder_name(self->fd, self->num, first));
	ASSERT_EQ(0, strncmp(first, "parclass.", 9));
	/* It changes them, lets go of the port and leaves. */
	v = fresh ^ (PARPORT_CONTROL_STROBE | PARPORT_CONTROL_AUTOFD);
	ASSERT_EQ(0, pc_register(self->fd, self->tokens[0],
				 PARCLASS_PIN_WRITE_CONTROL, 0, &v));
	ASSERT_EQ(0, pc_free(self->fd, self->tokens[0]));
	ASSERT_EQ(0, pc_disconnect(self->fd, self->tokens[0]));
	ASSERT_EQ(1, parclass_devices(self->num));

	/* The next one holds the port with that device, as it came new. */
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->tokens[1]));
	ASSERT_EQ(0, pc_allocate(self->fd, self->tokens[1], 0, 0));
	EXPECT_EQ(1, parclass_devices(self->num));
	ASSERT_EQ(0, pc_holder_name(self->fd, self->num, again));
	EXPECT_EQ(0, memcmp(first, again, sizeof(first)))
		TH_LOG("held by %.32s, the spare was %.32s", again, first);
	ASSERT_EQ(0, pc_register(self->fd, self->tokens[1],
				 PARCLASS_PIN_READ_CONTROL, 0, &v));
	EXPECT_EQ(fresh, v);
	EXPECT_EQ(0, pc_free(self->fd, self->tokens[1]));
	EXPECT_EQ(0, pc_disconnect(self->fd, self->tokens[1]));
}

TEST_F(idle, a_session_used_often_keeps_its_device)
{
	int i;

	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->tokens[0]));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, pc_allocate(self->fd, self->tokens[0], 0, 0));
		EXPECT_EQ(1, parclass_devices(self->num));
		ASSERT_EQ(0, pc_free(self->fd, self->tokens[0]));
		sim_sleep_ms(500);
		/* Half a second idle: still there. */
		EXPECT_EQ(1, parclass_devices(self->num));
	}
	/* A waiter keeps its device however long it waits. */
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->tokens[1]));
	ASSERT_EQ(0, pc_allocate(self->fd, self->tokens[0], 0, 0));
	EXPECT_EQ(-ETIMEDOUT, pc_allocate(self->fd, self->tokens[1], 0,
					  2500000000ULL));
	/* ... and the holder keeps its own while it holds; the arbiter too. */
	EXPECT_EQ(3, parclass_devices(self->num));
	ASSERT_EQ(0, pc_free(self->fd, self->tokens[0]));
	EXPECT_EQ(0, wait_devices(self->num, 0, 6000));
	/* Then it is registered anew, and works. */
	ASSERT_EQ(0, pc_allocate(self->fd, self->tokens[1], 0, 0));
	EXPECT_EQ(1, parclass_devices(self->num));
	EXPECT_EQ(0, pc_free(self->fd, self->tokens[1]));
}

TEST_HARNESS_MAIN
