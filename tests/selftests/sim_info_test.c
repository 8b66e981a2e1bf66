// SPDX-License-Identifier: GPL-2.0
/*
 * sim_info_test: QUERY_INFORMATION and SET_INFORMATION against a simulated
 * peripheral (parport_sim).
 *
 * The status byte is checked for every combination of the simulated
 * faults: the raw register against what parport_sim reports, the byte
 * against the Windows predicates (written here from the reference, not
 * from the module), and each fault alone against fixed values. The INIT
 * pulse is seen by the peripheral, at least 50 us long. Both requests
 * need the port held (EPERM), refuse dead tokens (ESTALE) and removed
 * ports (ENODEV); SET_INFORMATION refuses any value but PARALLEL_INIT
 * (EINVAL) and a session whose transfer runs (EBUSY), while
 * QUERY_INFORMATION answers during that transfer.
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/parclass.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
#include "sim_control.h"

static const char *const fault_names[] = {
	"paperout", "offline", "error", "busy", "off", "nocable",
};

#define NFAULTS ARRAY_SIZE(fault_names)

/* Each fault alone: the register (README) and Windows' byte. */
static const struct {
	unsigned char raw;
	unsigned char status;
} alone[NFAULTS] = {
	{ 0xf0, PARCLASS_PARALLEL_PAPER_EMPTY | PARCLASS_PARALLEL_SELECTED },
	{ 0xc0, 0 },
	{ 0xd0, PARCLASS_PARALLEL_SELECTED },
	{ 0x58, PARCLASS_PARALLEL_BUSY | PARCLASS_PARALLEL_SELECTED },
	{ 0x80, PARCLASS_PARALLEL_POWER_OFF },
	{ 0x78, PARCLASS_PARALLEL_POWER_OFF | PARCLASS_PARALLEL_BUSY |
		PARCLASS_PARALLEL_SELECTED },
};

/* The reference's predicates, over nBusy nAck PaperOut Select nFault. */
static unsigned int windows_status(unsigned int raw)
{
	int nbusy = !!(raw & 0x80), nack = !!(raw & 0x40);
	int perr = !!(raw & 0x20), sel = !!(raw & 0x10);
	int nfault = !!(raw & 0x08);
	unsigned int s = 0;

	if ((!nfault && !nack && nbusy) ||
	    (!nbusy && nack && perr && sel && nfault))
		s = PARCLASS_PARALLEL_POWER_OFF;
	else if (perr)
		s = PARCLASS_PARALLEL_PAPER_EMPTY;
	else if (nfault && !nbusy && !sel)
		s = PARCLASS_PARALLEL_OFF_LINE;
	else if (nfault && nbusy && !sel)
		s = PARCLASS_PARALLEL_NOT_CONNECTED;
	if (!nbusy && nfault)
		s |= PARCLASS_PARALLEL_BUSY;
	if (sel)
		s |= PARCLASS_PARALLEL_SELECTED;
	return s;
}

static int query(int fd, __u64 token, struct parclass_query_information *q)
{
	memset(q, 0, sizeof(*q));
	q->size = sizeof(*q);
	q->token = token;
	return pc_ret(ioctl(fd, PARCLASS_IOC_QUERY_INFORMATION, q));
}

static int set_info(int fd, __u64 token, __u32 init)
{
	struct parclass_set_information s = { .size = sizeof(s) };

	s.token = token;
	s.init = init;
	return pc_ret(ioctl(fd, PARCLASS_IOC_SET_INFORMATION, &s));
}

FIXTURE(info) {
	char name[32];
	int fd;
	__u64 token;
	int num;
};

FIXTURE_SETUP(info)
{
	snprintf(self->name, sizeof(self->name), "info%d", (int)getpid());
	ASSERT_EQ(0, sim_puts("", "new", self->name));
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "1"));
	self->num = sim_number(self->name);
	ASSERT_LE(2, self->num);
	self->fd = pc_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->token));
	ASSERT_EQ(0, pc_try_allocate(self->fd, self->token));
}

FIXTURE_TEARDOWN(info)
{
	close(self->fd);
	sim_puts(self->name, "plugged", "0");
	sim_puts("", "delete", self->name);
}

TEST_F(info, healthy_peripheral_is_selected)
{
	struct parclass_query_information q;

	memset(&q, 0xff, sizeof(q));
	ASSERT_EQ(0, query(self->fd, self->token, &q));
	EXPECT_EQ(0xd8, q.raw_status);
	EXPECT_EQ(PARCLASS_PARALLEL_SELECTED, q.status);
	EXPECT_EQ(0, q.__reserved);
	/* nSelectIn low and nInit high: what the model shows. */
	EXPECT_EQ(sim_state(self->name, "control"), q.raw_control);
}

TEST_F(info, every_fault_alone_and_combined)
{
	struct parclass_query_information q;
	unsigned int set, i;
	char faults[80];

	for (set = 0; set < (1U << NFAULTS); set++) {
		faults[0] = '\0';
		for (i = 0; i < NFAULTS; i++) {
			if (!(set & (1U << i)))
				continue;
			strcat(faults, fault_names[i]);
			strcat(faults, " ");
		}
		ASSERT_EQ(0, sim_puts(self->name, "faults",
				      set ? faults : "none"));
		ASSERT_EQ(0, query(self->fd, self->token, &q)) TH_LOG("%s", faults);
		EXPECT_EQ(sim_state(self->name, "status"), q.raw_status)
			TH_LOG("faults %s", faults);
		EXPECT_EQ(windows_status(q.raw_status), q.status)
			TH_LOG("faults %s: raw 0x%02x", faults, q.raw_status);
		for (i = 0; i < NFAULTS; i++) {
			if (set != (1U << i))
				continue;
			EXPECT_EQ(alone[i].raw, q.raw_status)
				TH_LOG("%s alone", fault_names[i]);
			EXPECT_EQ(alone[i].status, q.status)
				TH_LOG("%s alone", fault_names[i]);
		}
	}
	ASSERT_EQ(0, sim_puts(self->name, "faults", "none"));
}

TEST_F(info, init_pulse_reaches_the_peripheral)
{
	long long before = sim_state(self->name, "init_pulses");

	ASSERT_LE(0, before);
	ASSERT_EQ(0, set_info(self->fd, self->token, PARCLASS_PARALLEL_INIT));
	EXPECT_EQ(before + 1, sim_state(self->name, "init_pulses"));
	EXPECT_LE(50000, sim_state(self->name, "init_low_ns"));
	/* nInit is high again afterwards. */
	EXPECT_TRUE(sim_state(self->name, "control") & 0x04);
}

TEST_F(info, bad_init_values_are_einval_and_send_nothing)
{
	static const __u32 bad[] = { 0, PARCLASS_PARALLEL_AUTOFEED, 3, 0x80,
				     0x101, 0xffffffff };
	long long before = sim_state(self->name, "init_pulses");
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		EXPECT_EQ(-EINVAL, set_info(self->fd, self->token, bad[i]))
			TH_LOG("init 0x%x", bad[i]);
	}
	EXPECT_EQ(before, sim_state(self->name, "init_pulses"));
}

TEST_F(info, not_holding_is_eperm)
{
	struct parclass_query_information q;
	long long before;

	ASSERT_EQ(0, pc_free(self->fd, self->token));
	before = sim_state(self->name, "init_pulses");
	EXPECT_EQ(-EPERM, query(self->fd, self->token, &q));
	EXPECT_EQ(-EPERM, set_info(self->fd, self->token,
				   PARCLASS_PARALLEL_INIT));
	EXPECT_EQ(before, sim_state(self->name, "init_pulses"));
}

TEST_F(info, dead_token_is_estale_and_removed_port_enodev)
{
	struct parclass_query_information q;
	__u64 token2;

	ASSERT_EQ(0, pc_connect(self->fd, self->num, &token2));
	ASSERT_EQ(0, pc_disconnect(self->fd, token2));
	EXPECT_EQ(-ESTALE, query(self->fd, token2, &q));
	EXPECT_EQ(-ESTALE, set_info(self->fd, token2, PARCLASS_PARALLEL_INIT));

	ASSERT_EQ(0, sim_puts(self->name, "plugged", "0"));
	EXPECT_EQ(-ENODEV, query(self->fd, self->token, &q));
	EXPECT_EQ(-ENODEV, set_info(self->fd, self->token,
				    PARCLASS_PARALLEL_INIT));
}

struct job {
	int fd;
	__u64 token;
	int ret;
};

static void *stuck_write(void *arg)
{
	static unsigned char buf[64];
	struct job *j = arg;
	__u32 written;

	j->ret = pc_write(j->fd, j->token, buf, sizeof(buf), 0, &written);
	return NULL;
}

TEST_F(info, during_a_transfer_query_answers_and_init_is_ebusy)
{
	struct parclass_query_information q;
	struct job j = { self->fd, self->token, 1 };
	pthread_t th;

	ASSERT_EQ(0, sim_puts(self->name, "faults", "busy"));
	ASSERT_EQ(0, pthread_create(&th, NULL, stuck_write, &j));
	sim_sleep_ms(200);
	EXPECT_EQ(0, query(self->fd, self->token, &q));
	EXPECT_EQ(PARCLASS_PARALLEL_BUSY | PARCLASS_PARALLEL_SELECTED,
		  q.status);
	EXPECT_EQ(-EBUSY, set_info(self->fd, self->token,
				   PARCLASS_PARALLEL_INIT));
	ASSERT_EQ(0, sim_puts(self->name, "faults", "none"));
	ASSERT_EQ(0, pthread_join(th, NULL));
	EXPECT_EQ(0, j.ret);
	EXPECT_EQ(0, set_info(self->fd, self->token, PARCLASS_PARALLEL_INIT));
}

/* QEMU's emulated LPT: the byte follows the register there too. */
TEST(qemu_lpt_status_follows_the_register)
{
	struct parclass_query_information q;
	__u64 token;
	int fd = pc_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pc_connect(fd, 0, &token));
	EXPECT_EQ(-EPERM, query(fd, token, &q));
	ASSERT_EQ(0, pc_allocate(fd, token, 0, 2000000000ULL));
	ASSERT_EQ(0, query(fd, token, &q));
	EXPECT_EQ(windows_status(q.raw_status), q.status)
		TH_LOG("raw 0x%02x", q.raw_status);
	EXPECT_EQ(0, set_info(fd, token, PARCLASS_PARALLEL_INIT));
	close(fd);
}

TEST_HARNESS_MAIN
