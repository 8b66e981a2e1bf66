// SPDX-License-Identifier: GPL-2.0
/*
 * sim_pins_test: REGISTER and PIN_PROGRAM against a simulated peripheral
 * (parport_sim) and QEMU's LPT.
 *
 * Every register operation does what ppdev's does, seen by the
 * peripheral: bytes strobed by a program arrive in order, reads land in
 * program order, a status wait that matches goes on and one that does
 * not stops the program with ETIMEDOUT and says how far it got, delays
 * last at least as long as asked. Refused programs (EINVAL, E2BIG,
 * EFAULT on the operations) touch nothing. Both requests need the port
 * held (EPERM), a live token (ESTALE) and a present port (ENODEV). A
 * program waiting or sleeping is a transfer: FREE and register writes
 * give EBUSY meanwhile, register reads answer, and DISCONNECT (ESTALE),
 * close (ESTALE), a signal (EINTR) and an unplug (ENODEV, the unplug
 * itself prompt) end it within 100 ms.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/parclass.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
#include "sim_control.h"

#define MS		1000000ULL
#define PROMPT		(100 * MS)

#define ST_NBUSY	0x80
#define CT_STROBE	0x01
#define CT_AUTOFD	0x02
#define CT_INIT		0x04
#define CT_SELECT	0x08

static struct parclass_pin_op ops[PARCLASS_PIN_MAX_OPS + 1];
static unsigned char results[PARCLASS_PIN_MAX_OPS];

FIXTURE(pins) {
	char name[32];
	int fd;
	__u64 token;
	int num;
};

FIXTURE_SETUP(pins)
{
	snprintf(self->name, sizeof(self->name), "pins%d", (int)getpid());
	self->num = sim_create(self->name, NULL, NULL);
	ASSERT_LE(2, self->num);
	self->fd = pc_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->token));
	ASSERT_EQ(0, pc_try_allocate(self->fd, self->token));
}

FIXTURE_TEARDOWN(pins)
{
	if (self->fd >= 0)
		close(self->fd);
	sim_destroy(self->name);
}

/* One strobed byte, as a compatibility-mode printer takes it. */
static unsigned int strobe_byte(struct parclass_pin_op *o, unsigned char b)
{
	o[0] = pc_op(PARCLASS_PIN_WRITE_DATA, 0, b, 0);
	o[1] = pc_op(PARCLASS_PIN_FROB_CONTROL, CT_STROBE, CT_STROBE, 0);
	o[2] = pc_op(PARCLASS_PIN_FROB_CONTROL, CT_STROBE, 0, 0);
	return 3;
}

TEST_F(pins, register_operations)
{
	__u32 v;

	v = 0xa5;
	ASSERT_EQ(0, pc_register(self->fd, self->token,
				 PARCLASS_PIN_WRITE_DATA, 0, &v));
	v = 0;
	ASSERT_EQ(0, pc_register(self->fd, self->token,
				 PARCLASS_PIN_READ_DATA, 0, &v));
	EXPECT_EQ(0xa5, v);

	v = CT_INIT | CT_SELECT | CT_AUTOFD;
	ASSERT_EQ(0, pc_register(self->fd, self->token,
				 PARCLASS_PIN_WRITE_CONTROL, 0, &v));
	EXPECT_EQ(CT_INIT | CT_SELECT | CT_AUTOFD,
		  sim_state(self->name, "control"));
	v = 0;
	ASSERT_EQ(0, pc_register(self->fd, self->token,
				 PARCLASS_PIN_FROB_CONTROL, CT_AUTOFD, &v));
	EXPECT_EQ(CT_INIT | CT_SELECT, sim_state(self->name, "control"));
	v = 0xff;
	ASSERT_EQ(0, pc_register(self->fd, self->token,
				 PARCLASS_PIN_READ_CONTROL, 0, &v));
	EXPECT_EQ(CT_INIT | CT_SELECT, v & PARCLASS_PIN_CONTROL_LINES);

	v = 0;
	ASSERT_EQ(0, pc_register(self->fd, self->token,
				 PARCLASS_PIN_READ_STATUS, 0, &v));
	EXPECT_EQ(sim_state(self->name, "status"), v);
	ASSERT_EQ(0, sim_puts(self->name, "faults", "busy"));
	ASSERT_EQ(0, pc_register(self->fd, self->token,
				 PARCLASS_PIN_READ_STATUS, 0, &v));
	EXPECT_EQ(sim_state(self->name, "status"), v);
	EXPECT_EQ(0, v & ST_NBUSY);
	ASSERT_EQ(0, sim_puts(self->name, "faults", "none"));

	v = 1;
	ASSERT_EQ(0, pc_register(self->fd, self->token,
				 PARCLASS_PIN_DATA_DIR, 0, &v));
	v = 0;
	ASSERT_EQ(0, pc_register(self->fd, self->token,
				 PARCLASS_PIN_DATA_DIR, 0, &v));
}

TEST_F(pins, bad_register_requests_are_einval)
{
	static const struct { __u32 op, mask, value; } bad[] = {
		{ 0, 0, 0 },
		{ PARCLASS_PIN_WAIT_STATUS, 0x80, 0x80 },
		{ PARCLASS_PIN_DELAY, 0, 0 },
		{ 0x103, 0, 0 },
		{ PARCLASS_PIN_WRITE_DATA, 0, 0x100 },
		{ PARCLASS_PIN_WRITE_CONTROL, 0, 0x20 },
		{ PARCLASS_PIN_FROB_CONTROL, 0x01, 0x02 },
		{ PARCLASS_PIN_FROB_CONTROL, 0x10, 0x10 },
		{ PARCLASS_PIN_DATA_DIR, 0, 2 },
		{ PARCLASS_PIN_READ_STATUS, 1, 0 },
	};
	long long control = sim_state(self->name, "control");
	unsigned int i;
	__u32 v;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		v = bad[i].value;
		EXPECT_EQ(-EINVAL, pc_register(self->fd, self->token,
					       bad[i].op, bad[i].mask, &v))
			TH_LOG("row %u", i);
	}
	EXPECT_EQ(control, sim_state(self->name, "control"));
}

TEST_F(pins, strobed_bytes_reach_the_peripheral_in_order)
{
	char got[1024];
	unsigned int n = 0, i;
	__u32 done, used;

	for (i = 0; i < 256; i++)
		n += strobe_byte(ops + n, i ^ 0x5a);
	ASSERT_EQ(0, pc_program(self->fd, self->token, ops, n, NULL, 0, &done,
				&used));
	EXPECT_EQ(n, done);
	EXPECT_EQ(0, used);
	ASSERT_EQ(256, sim_get(self->name, "forward", got, sizeof(got)));
	for (i = 0; i < 256; i++) {
		EXPECT_EQ((unsigned char)(i ^ 0x5a), (unsigned char)got[i])
			TH_LOG("byte %u", i);
	}
}

TEST_F(pins, reads_land_in_program_order)
{
	__u32 done, used;
	unsigned int n = 0;

	ops[n++] = pc_op(PARCLASS_PIN_WRITE_DATA, 0, 0x11, 0);
	ops[n++] = pc_op(PARCLASS_PIN_READ_DATA, 0, 0, 0);
	ops[n++] = pc_op(PARCLASS_PIN_WRITE_DATA, 0, 0x22, 0);
	ops[n++] = pc_op(PARCLASS_PIN_READ_DATA, 0, 0, 0);
	ops[n++] = pc_op(PARCLASS_PIN_WRITE_CONTROL, 0,
			 CT_INIT | CT_SELECT | CT_AUTOFD, 0);
	ops[n++] = pc_op(PARCLASS_PIN_READ_CONTROL, 0, 0, 0);
	ops[n++] = pc_op(PARCLASS_PIN_FROB_CONTROL, CT_AUTOFD, 0, 0);
	ops[n++] = pc_op(PARCLASS_PIN_READ_CONTROL, 0, 0, 0);
	ops[n++] = pc_op(PARCLASS_PIN_READ_STATUS, 0, 0, 0);
	ops[n++] = pc_op(PARCLASS_PIN_DATA_DIR, 0, 1, 0);
	ops[n++] = pc_op(PARCLASS_PIN_DATA_DIR, 0, 0, 0);
	memset(results, 0xee, 16);
	ASSERT_EQ(0, pc_program(self->fd, self->token, ops, n, results, 16,
				&done, &used));
	EXPECT_EQ(n, done);
	EXPECT_EQ(5, used);
	EXPECT_EQ(0x11, results[0]);
	EXPECT_EQ(0x22, results[1]);
	EXPECT_EQ(CT_INIT | CT_SELECT | CT_AUTOFD,
		  results[2] & PARCLASS_PIN_CONTROL_LINES);
	EXPECT_EQ(CT_INIT | CT_SELECT, results[3] & PARCLASS_PIN_CONTROL_LINES);
	EXPECT_EQ(sim_state(self->name, "status"), results[4]);
	/* Nothing past the reads is written. */
	EXPECT_EQ(0xee, results[5]);
}

TEST_F(pins, a_matching_wait_goes_on)
{
	__u32 done, used;

	ops[0] = pc_op(PARCLASS_PIN_WAIT_STATUS, ST_NBUSY, ST_NBUSY, 1000000);
	ops[1] = pc_op(PARCLASS_PIN_READ_STATUS, 0, 0, 0);
	ASSERT_EQ(0, pc_program(self->fd, self->token, ops, 2, results, 1,
				&done, &used));
	EXPECT_EQ(2, done);
	EXPECT_EQ(1, used);
}

TEST_F(pins, a_wait_that_times_out_stops_and_reports_progress)
{
	unsigned int n = 0;
	__u32 done, used;
	__u64 t0, took;

	ops[n++] = pc_op(PARCLASS_PIN_READ_STATUS, 0, 0, 0);
	n += strobe_byte(ops + n, 'x');
	/* Busy never comes: the peripheral is idle. */
	ops[n++] = pc_op(PARCLASS_PIN_WAIT_STATUS, ST_NBUSY, 0, 20000);
	n += strobe_byte(ops + n, 'y');
	ops[n++] = pc_op(PARCLASS_PIN_READ_STATUS, 0, 0, 0);
	t0 = now_ns();
	EXPECT_EQ(-ETIMEDOUT, pc_program(self->fd, self->token, ops, n,
					 results, 2, &done, &used));
	took = now_ns() - t0;
	EXPECT_EQ(4, done);
	EXPECT_EQ(1, used);
	EXPECT_LE(20 * MS, took + MS);
	EXPECT_GT(1000 * MS, took);
	/* Only what ran before the wait reached the peripheral. */
	EXPECT_EQ(1, sim_state(self->name, "forward"));
}

TEST_F(pins, delays_last_at_least_as_asked)
{
	__u32 done, used;
	__u64 t0;

	ops[0] = pc_op(PARCLASS_PIN_DELAY, 0, 0, 15);
	ops[1] = pc_op(PARCLASS_PIN_DELAY, 0, 0, 30000);
	ops[2] = pc_op(PARCLASS_PIN_DELAY, 0, 0, 5);
	t0 = now_ns();
	ASSERT_EQ(0, pc_program(self->fd, self->token, ops, 3, NULL, 0, &done,
				&used));
	EXPECT_LE(30 * MS, now_ns() - t0 + MS);
	EXPECT_EQ(3, done);
}

TEST_F(pins, refused_programs_touch_nothing)
{
	static const struct parclass_pin_op bad[] = {
		{ .op = 0 },
		{ .op = PARCLASS_PIN_DELAY + 1, .arg = 1 },
		{ .op = PARCLASS_PIN_READ_STATUS, .__reserved = 1 },
		{ .op = PARCLASS_PIN_READ_STATUS, .mask = 1 },
		{ .op = PARCLASS_PIN_WRITE_DATA, .value = 1, .arg = 1 },
		{ .op = PARCLASS_PIN_WRITE_CONTROL, .value = 0x20 },
		{ .op = PARCLASS_PIN_FROB_CONTROL, .mask = 1, .value = 3 },
		{ .op = PARCLASS_PIN_DATA_DIR, .value = 2 },
		{ .op = PARCLASS_PIN_WAIT_STATUS, .mask = 0x80, .value = 0x80 },
		{ .op = PARCLASS_PIN_WAIT_STATUS, .mask = 0x80,
		  .arg = PARCLASS_PIN_WAIT_MAX_US + 1 },
		{ .op = PARCLASS_PIN_WAIT_STATUS, .mask = 0x40, .value = 0x80,
		  .arg = 10 },
		{ .op = PARCLASS_PIN_DELAY },
		{ .op = PARCLASS_PIN_DELAY, .arg = PARCLASS_PIN_DELAY_MAX_US + 1 },
	};
	unsigned int i, n;
	__u32 done, used;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		n = strobe_byte(ops, 'z');
		ops[n++] = bad[i];
		EXPECT_EQ(-EINVAL, pc_program(self->fd, self->token, ops, n,
					      results, 1, &done, &used))
			TH_LOG("row %u", i);
		/* Refused before it started: nothing written back. */
		EXPECT_EQ(0xdeadbeef, done);
		EXPECT_EQ(0xdeadbeef, used);
	}
	/* Delays adding up to more than the budget. */
	n = strobe_byte(ops, 'z');
	ops[n++] = pc_op(PARCLASS_PIN_DELAY, 0, 0, PARCLASS_PIN_DELAY_MAX_US);
	ops[n++] = pc_op(PARCLASS_PIN_DELAY, 0, 0, 1);
	EXPECT_EQ(-EINVAL, pc_program(self->fd, self->token, ops, n, NULL, 0,
				      &done, &used));
	/* Two reads, room for one. */
	n = strobe_byte(ops, 'z');
	ops[n++] = pc_op(PARCLASS_PIN_READ_STATUS, 0, 0, 0);
	ops[n++] = pc_op(PARCLASS_PIN_READ_DATA, 0, 0, 0);
	EXPECT_EQ(-EINVAL, pc_program(self->fd, self->token, ops, n, results,
				      1, &done, &used));
	/* No operations, and too many. */
	EXPECT_EQ(-EINVAL, pc_program(self->fd, self->token, ops, 0, NULL, 0,
				      &done, &used));
	EXPECT_EQ(-E2BIG, pc_program(self->fd, self->token, ops,
				     PARCLASS_PIN_MAX_OPS + 1, NULL, 0, &done,
				     &used));
	/* Unreadable operations. */
	EXPECT_EQ(-EFAULT, pc_program(self->fd, self->token, (void *)8, 3,
				      NULL, 0, &done, &used));
	EXPECT_EQ(0, sim_state(self->name, "forward"));
}

TEST_F(pins, the_longest_program_runs)
{
	unsigned int i;
	__u32 done, used;

	for (i = 0; i < PARCLASS_PIN_MAX_OPS; i += 2) {
		ops[i] = pc_op(PARCLASS_PIN_WRITE_DATA, 0, i >> 1, 0);
		ops[i + 1] = pc_op(PARCLASS_PIN_READ_DATA, 0, 0, 0);
	}
	ASSERT_EQ(0, pc_program(self->fd, self->token, ops,
				PARCLASS_PIN_MAX_OPS, results,
				PARCLASS_PIN_MAX_OPS, &done, &used));
	EXPECT_EQ(PARCLASS_PIN_MAX_OPS, done);
	EXPECT_EQ(PARCLASS_PIN_MAX_OPS / 2, used);
	for (i = 0; i < PARCLASS_PIN_MAX_OPS / 2; i++)
		if (results[i] != (unsigned char)i)
			break;
	EXPECT_EQ(PARCLASS_PIN_MAX_OPS / 2, i);
}

TEST_F(pins, unwritable_results_are_efault_after_the_run)
{
	unsigned int n;
	__u32 done, used;

	n = strobe_byte(ops, 'q');
	ops[n++] = pc_op(PARCLASS_PIN_READ_STATUS, 0, 0, 0);
	EXPECT_EQ(-EFAULT, pc_program(self->fd, self->token, ops, n,
				      (void *)8, 1, &done, &used));
	EXPECT_EQ(n, done);
	EXPECT_EQ(1, sim_state(self->name, "forward"));
}

TEST_F(pins, not_holding_dead_and_removed)
{
	__u32 v = 0, done, used;
	__u64 dead;

	ops[0] = pc_op(PARCLASS_PIN_WRITE_DATA, 0, 1, 0);
	ASSERT_EQ(0, pc_free(self->fd, self->token));
	EXPECT_EQ(-EPERM, pc_register(self->fd, self->token,
				      PARCLASS_PIN_READ_STATUS, 0, &v));
	EXPECT_EQ(-EPERM, pc_register(self->fd, self->token,
				      PARCLASS_PIN_WRITE_DATA, 0, &v));
	EXPECT_EQ(-EPERM, pc_program(self->fd, self->token, ops, 1, NULL, 0,
				     &done, &used));
	EXPECT_EQ(0xdeadbeef, done);
	EXPECT_EQ(0xdeadbeef, used);

	ASSERT_EQ(0, pc_connect(self->fd, self->num, &dead));
	ASSERT_EQ(0, pc_disconnect(self->fd, dead));
	EXPECT_EQ(-ESTALE, pc_register(self->fd, dead,
				       PARCLASS_PIN_READ_STATUS, 0, &v));
	EXPECT_EQ(-ESTALE, pc_program(self->fd, dead, ops, 1, NULL, 0, &done,
				      &used));

	ASSERT_EQ(0, pc_try_allocate(self->fd, self->token));
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "0"));
	EXPECT_EQ(-ENODEV, pc_register(self->fd, self->token,
				       PARCLASS_PIN_READ_STATUS, 0, &v));
	EXPECT_EQ(-ENODEV, pc_program(self->fd, self->token, ops, 1, NULL, 0,
				      &done, &used));
}

/* A program stuck in a long wait, in its own thread. */
struct job {
	int fd;
	__u64 token;
	pthread_t th;
	int ret;
	__u32 done;
	__u64 end;
};

static struct parclass_pin_op stuck_ops[8];

static void *stuck_thread(void *arg)
{
	struct job *j = arg;
	__u32 used;

	j->ret = pc_program(j->fd, j->token, stuck_ops, 8, NULL, 0, &j->done,
			    &used);
	j->end = now_ns();
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;
}

/* @delay: sleep in DELAYs rather than wait for a status that never comes. */
static void start_stuck(struct __test_metadata *_metadata, int fd,
			__u64 token, struct job *j, bool delay)
{
	struct sigaction sa = { .sa_handler = on_signal };
	unsigned int i;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	for (i = 0; i < 8; i++)
		stuck_ops[i] = delay ?
			pc_op(PARCLASS_PIN_DELAY, 0, 0, 120000) :
			pc_op(PARCLASS_PIN_WAIT_STATUS, ST_NBUSY, 0,
			      PARCLASS_PIN_WAIT_MAX_US);
	j->fd = fd;
	j->token = token;
	j->ret = 1;
	ASSERT_EQ(0, pthread_create(&j->th, NULL, stuck_thread, j));
	sim_sleep_ms(200);
}

TEST_F(pins, during_a_program_free_and_writes_are_ebusy_reads_answer)
{
	struct job j;
	__u32 v = 0;

	start_stuck(_metadata, self->fd, self->token, &j, false);
	EXPECT_EQ(-EBUSY, pc_free(self->fd, self->token));
	EXPECT_EQ(-EBUSY, pc_register(self->fd, self->token,
				      PARCLASS_PIN_WRITE_DATA, 0, &v));
	EXPECT_EQ(0, pc_register(self->fd, self->token,
				 PARCLASS_PIN_READ_STATUS, 0, &v));
	EXPECT_EQ(sim_state(self->name, "status"), v);
	ASSERT_EQ(0, pthread_kill(j.th, SIGUSR1));
	ASSERT_EQ(0, pthread_join(j.th, NULL));
	EXPECT_EQ(-EINTR, j.ret);
	EXPECT_EQ(0, pc_free(self->fd, self->token));
}

TEST_F(pins, disconnect_ends_a_wait_with_estale)
{
	struct job j;
	__u64 t0;

	start_stuck(_metadata, self->fd, self->token, &j, false);
	t0 = now_ns();
	ASSERT_EQ(0, pc_disconnect(self->fd, self->token));
	ASSERT_EQ(0, pthread_join(j.th, NULL));
	EXPECT_EQ(-ESTALE, j.ret);
	EXPECT_EQ(0, j.done);
	EXPECT_GT(PROMPT, j.end - t0);
}

TEST_F(pins, disconnect_ends_a_delay_with_estale)
{
	struct job j;
	__u64 t0;

	start_stuck(_metadata, self->fd, self->token, &j, true);
	t0 = now_ns();
	ASSERT_EQ(0, pc_disconnect(self->fd, self->token));
	ASSERT_EQ(0, pthread_join(j.th, NULL));
	EXPECT_EQ(-ESTALE, j.ret);
	EXPECT_GE(2, j.done);
	EXPECT_GT(PROMPT, j.end - t0);
}

TEST_F(pins, signal_ends_a_delay_with_eintr)
{
	struct job j;
	__u64 t0;

	start_stuck(_metadata, self->fd, self->token, &j, true);
	t0 = now_ns();
	ASSERT_EQ(0, pthread_kill(j.th, SIGUSR1));
	ASSERT_EQ(0, pthread_join(j.th, NULL));
	EXPECT_EQ(-EINTR, j.ret);
	EXPECT_GT(PROMPT, j.end - t0);
}

TEST_F(pins, close_ends_a_wait_with_estale)
{
	struct job j;
	__u64 t0;

	start_stuck(_metadata, self->fd, self->token, &j, false);
	t0 = now_ns();
	ASSERT_EQ(0, close(self->fd));
	self->fd = -1;
	ASSERT_EQ(0, pthread_join(j.th, NULL));
	EXPECT_EQ(-ESTALE, j.ret);
	EXPECT_GT(PROMPT, j.end - t0);
}

TEST_F(pins, unplug_ends_a_wait_with_enodev_at_once)
{
	struct job j;
	__u64 t0, unplugged;

	start_stuck(_metadata, self->fd, self->token, &j, false);
	t0 = now_ns();
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "0"));
	unplugged = now_ns();
	ASSERT_EQ(0, pthread_join(j.th, NULL));
	EXPECT_EQ(-ENODEV, j.ret);
	EXPECT_GT(1000 * MS, unplugged - t0);
	EXPECT_GT(PROMPT, j.end - t0);
}

/* QEMU's LPT: registers read back, and a long program runs. */
TEST(qemu_lpt_registers_and_programs)
{
	__u32 v, done, used;
	unsigned int i;
	__u64 token;
	int fd = pc_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pc_connect(fd, 0, &token));
	v = 0;
	EXPECT_EQ(-EPERM, pc_register(fd, token, PARCLASS_PIN_READ_DATA, 0,
				      &v));
	ASSERT_EQ(0, pc_allocate(fd, token, 0, 2000 * MS));
	v = 0x3c;
	ASSERT_EQ(0, pc_register(fd, token, PARCLASS_PIN_WRITE_DATA, 0, &v));
	v = 0;
	ASSERT_EQ(0, pc_register(fd, token, PARCLASS_PIN_READ_DATA, 0, &v));
	EXPECT_EQ(0x3c, v);
	v = CT_INIT | CT_SELECT | CT_AUTOFD;
	ASSERT_EQ(0, pc_register(fd, token, PARCLASS_PIN_WRITE_CONTROL, 0,
				 &v));
	ASSERT_EQ(0, pc_register(fd, token, PARCLASS_PIN_READ_CONTROL, 0, &v));
	EXPECT_EQ(CT_INIT | CT_SELECT | CT_AUTOFD,
		  v & PARCLASS_PIN_CONTROL_LINES);
	v = 0;
	ASSERT_EQ(0, pc_register(fd, token, PARCLASS_PIN_FROB_CONTROL,
				 CT_AUTOFD, &v));

	/* No strobe: nothing reaches the host's printer file. */
	for (i = 0; i < 30000; i += 3) {
		ops[i] = pc_op(PARCLASS_PIN_WRITE_DATA, 0, i / 3, 0);
		ops[i + 1] = pc_op(PARCLASS_PIN_READ_DATA, 0, 0, 0);
		ops[i + 2] = pc_op(PARCLASS_PIN_READ_STATUS, 0, 0, 0);
	}
	ASSERT_EQ(0, pc_program(fd, token, ops, 30000, results, 20000, &done,
				&used));
	EXPECT_EQ(30000, done);
	EXPECT_EQ(20000, used);
	for (i = 0; i < 10000; i++)
		if (results[2 * i] != (unsigned char)i)
			break;
	EXPECT_EQ(10000, i);
	ASSERT_EQ(0, pc_free(fd, token));
	close(fd);
}

TEST_HARNESS_MAIN
