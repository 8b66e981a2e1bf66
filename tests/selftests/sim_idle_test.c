// SPDX-License-Identifier: GPL-2.0
/*
 * sim_idle_test: connected sessions that leave the port alone cost it
 * nothing.
 *
 * The parport core walks every device registered on a port at each
 * release, so parclass registers a session's parport device only when
 * the session asks for the port, and unregisters it once the session has
 * left the port alone for 2 s; the port's arbiter comes with the first
 * such device and goes 2 s after the last. The test counts parclass's
 * devices under the port in sysfs (/sys/bus/parport/devices/parportN/).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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

	/* One asks for the port: its device and the arbiter come. */
	ASSERT_EQ(0, pc_allocate(self->fd, self->tokens[7], 0, 0));
	EXPECT_EQ(2, parclass_devices(self->num));
	/* Another one tries while it holds: it has a device too. */
	EXPECT_EQ(-EAGAIN, pc_try_allocate(self->fd, self->tokens[8]));
	EXPECT_EQ(3, parclass_devices(self->num));
	ASSERT_EQ(0, pc_free(self->fd, self->tokens[7]));

	/* Idle for 2 s, both lose theirs; the arbiter follows 2 s later. */
	EXPECT_EQ(1, wait_devices(self->num, 1, 4000));
	EXPECT_EQ(0, wait_devices(self->num, 0, 4000));

	/* DISCONNECT of a session with a device removes it at once. */
	ASSERT_EQ(0, pc_allocate(self->fd, self->tokens[9], 0, 0));
	ASSERT_EQ(0, pc_free(self->fd, self->tokens[9]));
	EXPECT_EQ(2, parclass_devices(self->num));
	ASSERT_EQ(0, pc_disconnect(self->fd, self->tokens[9]));
	EXPECT_EQ(1, parclass_devices(self->num));
	EXPECT_EQ(0, wait_devices(self->num, 0, 4000));

	for (i = 0; i < IDLE_SESSIONS; i++)
		if (i != 9)
			EXPECT_EQ(0, pc_disconnect(self->fd, self->tokens[i]));
}

TEST_F(idle, a_session_used_often_keeps_its_device)
{
	int i;

	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->tokens[0]));
	for (i = 0; i < 5; i++) {
		ASSERT_EQ(0, pc_allocate(self->fd, self->tokens[0], 0, 0));
		EXPECT_EQ(2, parclass_devices(self->num));
		ASSERT_EQ(0, pc_free(self->fd, self->tokens[0]));
		sim_sleep_ms(500);
		/* Half a second idle: still there. */
		EXPECT_EQ(2, parclass_devices(self->num));
	}
	/* A waiter keeps its device however long it waits. */
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->tokens[1]));
	ASSERT_EQ(0, pc_allocate(self->fd, self->tokens[0], 0, 0));
	EXPECT_EQ(-ETIMEDOUT, pc_allocate(self->fd, self->tokens[1], 0,
					  2500000000ULL));
	/* ... and the holder keeps its own while it holds. */
	EXPECT_EQ(3, parclass_devices(self->num));
	ASSERT_EQ(0, pc_free(self->fd, self->tokens[0]));
	EXPECT_EQ(0, wait_devices(self->num, 0, 6000));
	/* Then it is registered anew, and works. */
	ASSERT_EQ(0, pc_allocate(self->fd, self->tokens[1], 0, 0));
	EXPECT_EQ(2, parclass_devices(self->num));
	EXPECT_EQ(0, pc_free(self->fd, self->tokens[1]));
}

TEST_HARNESS_MAIN
