// SPDX-License-Identifier: GPL-2.0
/*
 * sim_modes_test: a session's IEEE 1284 modes (NEGOTIATE, TERMINATE,
 * GET_MODE, READ) against a simulated peripheral (parport_sim).
 *
 * NEGOTIATE reaches, for every read mask and every set of modes the
 * peripheral answers, the fastest mode the two have in common (byte
 * before nibble), with the expected value written here from the
 * reference rather than taken from the module; the simulated peripheral
 * agrees which phase it is in. A peripheral without IEEE 1284, one that
 * is off and one without a cable give EIO, masks parclass cannot serve
 * EOPNOTSUPP, and the port is back in compatibility mode after each.
 * READ returns exactly the bytes the peripheral sends, in nibble and byte
 * mode, across the kernel's chunks, and a short read when it has no
 * more; it renegotiates after a WRITE. TERMINATE, FREE, DISCONNECT and
 * close() leave the port in compatibility mode, and lp prints after
 * FREE. A read stuck in a handshake is ended at once by a signal,
 * DISCONNECT and the port's removal.
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

#define ALL_READS	(PARCLASS_1284_ALL & ~(PARCLASS_1284_CENTRONICS | \
					       PARCLASS_1284_IEEE_COMPAT))

static unsigned char buf[3 * 4096 + 100];
static unsigned char want[sizeof(buf)];

static int phase_is(const char *sim, const char *phase)
{
	char got[32];

	return !sim_state_word(sim, "phase", got, sizeof(got)) &&
	       !strcmp(got, phase);
}

/* Random bytes for the peripheral to send. */
static void fill(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245 + 12345;
		p[i] = seed >> 16;
	}
}

FIXTURE(modes) {
	char name[32];
	int fd;
	__u64 token;
	int num;
};

FIXTURE_SETUP(modes)
{
	snprintf(self->name, sizeof(self->name), "modes%d", (int)getpid());
	self->num = sim_create(self->name, NULL, NULL);
	ASSERT_LE(2, self->num);
	self->fd = pc_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->token));
	ASSERT_EQ(0, pc_try_allocate(self->fd, self->token));
}

FIXTURE_TEARDOWN(modes)
{
	if (self->fd >= 0)
		close(self->fd);
	sim_destroy(self->name);
}

/*
 * The read mode Windows' order gives: ECP, EPP, byte, nibble, the first
 * that both the mask and the peripheral (which speaks nibble mode with
 * any other) have. parclass runs ECP and EPP in software only.
 */
static __u32 expected_read(const char *sim_modes, __u32 mask)
{
	if ((mask & PARCLASS_1284_ECP_SW) && strstr(sim_modes, "ecp"))
		return PARCLASS_1284_ECP_SW;
	if ((mask & PARCLASS_1284_EPP_SW) && strstr(sim_modes, "epp"))
		return PARCLASS_1284_EPP_SW;
	if ((mask & PARCLASS_1284_BYTE_BIDIR) && strstr(sim_modes, "byte"))
		return PARCLASS_1284_BYTE_BIDIR;
	if (mask & PARCLASS_1284_NIBBLE)
		return PARCLASS_1284_NIBBLE;
	return PARCLASS_1284_NONE;
}

static const char *phase_of(__u32 mode)
{
	switch (mode) {
	case PARCLASS_1284_ECP_SW:
		return "ecp-forward";
	case PARCLASS_1284_EPP_SW:
		return "epp";
	case PARCLASS_1284_BYTE_BIDIR:
		return "byte";
	}
	return "nibble";
}

/*
 * Every read mask against every set of peripheral modes: the fastest
 * common mode, or EOPNOTSUPP when there is none.
 */
TEST_F(modes, negotiate_reaches_the_fastest_common_read_mode)
{
	static const char *const sim_modes[] = {
		"nibble", "nibble byte", "ecp", "epp", "byte epp",
		"byte ecp epp",
	};
	static const __u32 masks[] = {
		PARCLASS_1284_NIBBLE, PARCLASS_1284_BYTE_BIDIR,
		PARCLASS_1284_NIBBLE | PARCLASS_1284_BYTE_BIDIR,
		PARCLASS_1284_CHANNEL_NIBBLE, ALL_READS,
		PARCLASS_1284_ECP_SW | PARCLASS_1284_EPP_SW,
		PARCLASS_1284_EPP_SW | PARCLASS_1284_NIBBLE,
		PARCLASS_1284_ECP_HW_IRQ | PARCLASS_1284_ECP_HW_NOIRQ |
		PARCLASS_1284_EPP_HW | PARCLASS_1284_BOUNDED_ECP,
	};
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(sim_modes); i++) {
		ASSERT_EQ(0, sim_puts(self->name, "modes", sim_modes[i]));
		for (j = 0; j < ARRAY_SIZE(masks); j++) {
			__u32 mask = masks[j], rd, wr, grd, gwr;
			__u32 expect = expected_read(sim_modes[i], mask);
			int ret;

			ret = pc_negotiate(self->fd, self->token, 0, mask,
					   PARCLASS_1284_CENTRONICS, &rd, &wr);
			ASSERT_EQ(0, pc_get_mode(self->fd, self->token, &grd,
						 &gwr));
			if (expect == PARCLASS_1284_NONE) {
				EXPECT_EQ(-EOPNOTSUPP, ret)
					TH_LOG("%s, mask 0x%x", sim_modes[i], mask);
				EXPECT_EQ(PARCLASS_1284_NONE, grd);
				EXPECT_TRUE(phase_is(self->name, "compat"));
				continue;
			}
			EXPECT_EQ(0, ret)
				TH_LOG("%s, mask 0x%x", sim_modes[i], mask);
			EXPECT_EQ(expect, rd)
				TH_LOG("%s, mask 0x%x", sim_modes[i], mask);
			EXPECT_EQ(PARCLASS_1284_CENTRONICS, wr);
			EXPECT_EQ(rd, grd);
			EXPECT_EQ(wr, gwr);
			EXPECT_TRUE(phase_is(self->name, phase_of(expect)))
				TH_LOG("%s, mask 0x%x", sim_modes[i], mask);
		}
	}
}

TEST_F(modes, write_masks)
{
	__u32 rd, wr;

	EXPECT_EQ(0, pc_negotiate(self->fd, self->token, 0, 0,
				  PARCLASS_1284_CENTRONICS |
				  PARCLASS_1284_IEEE_COMPAT, &rd, &wr));
	EXPECT_EQ(PARCLASS_1284_NONE, rd);
	EXPECT_EQ(PARCLASS_1284_IEEE_COMPAT, wr);
	EXPECT_TRUE(phase_is(self->name, "compat"));
	/* ECP first, then EPP, for writing too. */
	EXPECT_EQ(0, pc_negotiate(self->fd, self->token, 0, 0,
				  PARCLASS_1284_ECP_SW | PARCLASS_1284_EPP_SW |
				  PARCLASS_1284_CENTRONICS, &rd, &wr));
	EXPECT_EQ(PARCLASS_1284_ECP_SW, wr);
	ASSERT_EQ(0, sim_puts(self->name, "modes", "nibble epp"));
	EXPECT_EQ(0, pc_negotiate(self->fd, self->token, 0,
				  PARCLASS_1284_NIBBLE,
				  PARCLASS_1284_ECP_SW | PARCLASS_1284_EPP_SW,
				  &rd, &wr));
	EXPECT_EQ(PARCLASS_1284_EPP_SW, wr);
	EXPECT_EQ(PARCLASS_1284_NIBBLE, rd);
	EXPECT_TRUE(phase_is(self->name, "nibble"));
	/* Not an IEEE 1284 peripheral: compatibility mode still writes. */
	ASSERT_EQ(0, sim_puts(self->name, "modes", "none"));
	EXPECT_EQ(0, pc_negotiate(self->fd, self->token, 0, 0,
				  PARCLASS_1284_ECP_SW | PARCLASS_1284_EPP_SW |
				  PARCLASS_1284_CENTRONICS, &rd, &wr));
	EXPECT_EQ(PARCLASS_1284_CENTRONICS, wr);
	EXPECT_EQ(-EIO, pc_negotiate(self->fd, self->token, 0, 0,
				     PARCLASS_1284_ECP_SW, NULL, NULL));
	ASSERT_EQ(0, sim_puts(self->name, "modes", "nibble byte ecp epp"));
	/* Modes parclass does not run: the chips' FIFO and registers. */
	EXPECT_EQ(-EOPNOTSUPP, pc_negotiate(self->fd, self->token, 0,
					    PARCLASS_1284_NIBBLE,
					    PARCLASS_1284_ECP_HW_IRQ |
					    PARCLASS_1284_EPP_HW, NULL, NULL));
	EXPECT_EQ(0, pc_get_mode(self->fd, self->token, &rd, &wr));
	EXPECT_EQ(PARCLASS_1284_NONE, rd);
	EXPECT_EQ(PARCLASS_1284_CENTRONICS, wr);
	/* Masks the wrong way round, or with unknown bits. */
	EXPECT_EQ(-EINVAL, pc_negotiate(self->fd, self->token, 0,
					PARCLASS_1284_CENTRONICS, 0, NULL, NULL));
	EXPECT_EQ(-EINVAL, pc_negotiate(self->fd, self->token, 0, 0,
					PARCLASS_1284_NIBBLE, NULL, NULL));
	EXPECT_EQ(-EINVAL, pc_negotiate(self->fd, self->token, 0, 0x800, 0,
					NULL, NULL));
	EXPECT_EQ(-EINVAL, pc_negotiate(self->fd, self->token, 2,
					PARCLASS_1284_NIBBLE, 0, NULL, NULL));
}

/* No IEEE 1284 answer: EIO, compatibility mode, no read mode. */
TEST_F(modes, peripherals_that_do_not_answer_are_eio)
{
	static const struct {
		const char *file, *value;
	} cases[] = {
		{ "modes", "none" },
		{ "faults", "off" },
		{ "faults", "nocable" },
	};
	unsigned int i;
	__u32 rd, wr;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(0, sim_puts(self->name, "modes", "nibble byte"));
		ASSERT_EQ(0, sim_puts(self->name, "faults", "none"));
		ASSERT_EQ(0, pc_negotiate(self->fd, self->token, 0,
					  PARCLASS_1284_NIBBLE, 0, NULL, NULL));
		ASSERT_EQ(0, sim_puts(self->name, cases[i].file,
				      cases[i].value));
		EXPECT_EQ(-EIO, pc_negotiate(self->fd, self->token, 0,
					     ALL_READS,
					     PARCLASS_1284_CENTRONICS, NULL,
					     NULL))
			TH_LOG("%s %s", cases[i].file, cases[i].value);
		EXPECT_EQ(0, pc_get_mode(self->fd, self->token, &rd, &wr));
		EXPECT_EQ(PARCLASS_1284_NONE, rd);
		EXPECT_EQ(PARCLASS_1284_CENTRONICS, wr);
		if (strcmp(cases[i].file, "faults"))
			EXPECT_TRUE(phase_is(self->name, "compat"));
	}
}

/* The routine's form refuses to negotiate over an active mode. */
TEST_F(modes, keep_refuses_an_active_mode)
{
	__u32 rd;

	ASSERT_EQ(0, pc_negotiate(self->fd, self->token,
				  PARCLASS_NEGOTIATE_KEEP,
				  PARCLASS_1284_NIBBLE, 0, &rd, NULL));
	EXPECT_EQ(PARCLASS_1284_NIBBLE, rd);
	EXPECT_EQ(-EPROTO, pc_negotiate(self->fd, self->token,
					PARCLASS_NEGOTIATE_KEEP,
					PARCLASS_1284_BYTE_BIDIR, 0, NULL,
					NULL));
	EXPECT_TRUE(phase_is(self->name, "nibble"));
	ASSERT_EQ(0, pc_terminate(self->fd, self->token));
	EXPECT_TRUE(phase_is(self->name, "compat"));
	EXPECT_EQ(0, pc_negotiate(self->fd, self->token,
				  PARCLASS_NEGOTIATE_KEEP,
				  PARCLASS_1284_BYTE_BIDIR, 0, &rd, NULL));
	EXPECT_EQ(PARCLASS_1284_BYTE_BIDIR, rd);
}

/* The peripheral's bytes, exactly, then a clean short read. */
static void round_trip(struct __test_metadata *_metadata, int fd,
		       __u64 token, const char *sim, __u32 mask, size_t len)
{
	__u32 done, rd;

	fill(want, len, len);
	ASSERT_EQ(0, sim_put(sim, "reverse", want, len));
	ASSERT_EQ(0, pc_negotiate(fd, token, 0, mask, 0, &rd, NULL));
	ASSERT_EQ(mask, rd);
	memset(buf, 0, sizeof(buf));
	EXPECT_EQ(0, pc_read(fd, token, buf, sizeof(buf), 0, &done));
	EXPECT_EQ(len, done);
	EXPECT_EQ(0, memcmp(buf, want, len));
	EXPECT_EQ(0, sim_state(sim, "reverse"));
	/* Nothing more: at once, no bytes. */
	EXPECT_EQ(0, pc_read(fd, token, buf, sizeof(buf), 0, &done));
	EXPECT_EQ(0, done);
}

TEST_F(modes, nibble_read_round_trip)
{
	round_trip(_metadata, self->fd, self->token, self->name,
		   PARCLASS_1284_NIBBLE, 1000);
}

TEST_F(modes, byte_read_round_trip_across_chunks)
{
	round_trip(_metadata, self->fd, self->token, self->name,
		   PARCLASS_1284_BYTE_BIDIR, 3 * 4096 + 17);
}

TEST_F(modes, epp_read_round_trip)
{
	round_trip(_metadata, self->fd, self->token, self->name,
		   PARCLASS_1284_EPP_SW, 2000);
}

TEST_F(modes, ecp_read_round_trip)
{
	round_trip(_metadata, self->fd, self->token, self->name,
		   PARCLASS_1284_ECP_SW, 3 * 4096 + 5);
}

/*
 * ECP with run-length encoding: runs of every length up to 128 and
 * beyond come back expanded, also when a run is longer than the room
 * left in a read, which the next reads finish.
 */
TEST_F(modes, ecp_runs_are_expanded_across_reads)
{
	size_t len = 0, got = 0;
	unsigned int run;
	long long runs;
	__u32 done, rd;

	for (run = 1; run <= 130; run += 43) {
		memset(want + len, 'a' + run % 26, run);
		len += run;
		want[len++] = 0x5a;
	}
	memset(want + len, 0xee, 300);
	len += 300;
	fill(want + len, 20, 3);
	len += 20;
	ASSERT_EQ(0, sim_put(self->name, "reverse", want, len));
	ASSERT_EQ(0, pc_negotiate(self->fd, self->token, 0,
				  PARCLASS_1284_ECP_SW, 0, &rd, NULL));
	ASSERT_EQ(PARCLASS_1284_ECP_SW, rd);
	/* Reads of 7 bytes: shorter than most runs. */
	runs = sim_state(self->name, "rle_runs");
	ASSERT_LE(0, runs);
	while (got < len) {
		ASSERT_EQ(0, pc_read(self->fd, self->token, buf + got, 7, 0,
				     &done));
		ASSERT_LT(0, done) TH_LOG("at %zu of %zu", got, len);
		got += done;
	}
	EXPECT_EQ(len, got);
	EXPECT_EQ(0, memcmp(buf, want, len));
	/* The runs went as runs: 44, 87, 128 + 2 and 128 + 128 + 44. */
	EXPECT_LE(runs + 6, sim_state(self->name, "rle_runs"));
	EXPECT_EQ(0, pc_read(self->fd, self->token, buf, 7, 0, &done));
	EXPECT_EQ(0, done);
}

/* WRITE with PARCLASS_WRITE_MODE. */
static int pc_write_flags_ioctl(int fd, __u64 token, const void *data,
				__u32 len, __u32 *written)
{
	struct parclass_write w = {
		.size = sizeof(w), .flags = PARCLASS_WRITE_MODE,
		.token = token,
	};
	int ret;

	w.buffer = (__u64)(unsigned long)data;
	w.length = len;
	ret = pc_ret(ioctl(fd, PARCLASS_IOC_WRITE, &w));
	*written = w.written;
	return ret;
}

/* WRITE in the session's ECP or EPP write mode: the bytes arrive. */
static void write_in_mode(struct __test_metadata *_metadata, int fd,
			  __u64 token, const char *sim, __u32 mode)
{
	static unsigned char fwd[8192];
	__u32 written, wr;

	fill(want, 5000, mode);
	ASSERT_EQ(0, pc_negotiate(fd, token, 0, 0, mode, NULL, &wr));
	ASSERT_EQ(mode, wr);
	ASSERT_EQ(0, sim_puts(sim, "forward", "x"));
	EXPECT_EQ(0, pc_ret(ioctl(fd, PARCLASS_IOC_WRITE,
				  &(struct parclass_write){
					.size = sizeof(struct parclass_write),
					.flags = PARCLASS_WRITE_MODE,
					.token = token,
					.buffer = (__u64)(unsigned long)want,
					.length = 5000,
				  })));
	EXPECT_TRUE(phase_is(sim, phase_of(mode)));
	EXPECT_EQ(5000, sim_get(sim, "forward", (char *)fwd, sizeof(fwd)));
	EXPECT_EQ(0, memcmp(fwd, want, 5000));
	/* Without the flag, compatibility mode. */
	ASSERT_EQ(0, sim_puts(sim, "forward", "x"));
	EXPECT_EQ(0, pc_write(fd, token, want, 100, 0, &written));
	EXPECT_EQ(100, written);
	EXPECT_TRUE(phase_is(sim, "compat"));
	EXPECT_EQ(100, sim_get(sim, "forward", (char *)fwd, sizeof(fwd)));
	EXPECT_EQ(0, memcmp(fwd, want, 100));
}

TEST_F(modes, ecp_write)
{
	write_in_mode(_metadata, self->fd, self->token, self->name,
		      PARCLASS_1284_ECP_SW);
}

TEST_F(modes, epp_write)
{
	write_in_mode(_metadata, self->fd, self->token, self->name,
		      PARCLASS_1284_EPP_SW);
}

/*
 * Channel addresses: sent at once in the direction's mode (the simulated
 * peripheral sees them), reported back, refused outside ECP and EPP.
 */
TEST_F(modes, channel_addresses)
{
	__u32 a;

	/* Compatibility and nibble mode have no addresses. */
	a = 3;
	ASSERT_EQ(0, pc_negotiate(self->fd, self->token, 0,
				  PARCLASS_1284_NIBBLE,
				  PARCLASS_1284_CENTRONICS, NULL, NULL));
	EXPECT_EQ(-EPROTO, pc_address(self->fd, self->token, 1,
				      PARCLASS_ADDRESS_READ, &a));
	EXPECT_EQ(-EPROTO, pc_address(self->fd, self->token, 1,
				      PARCLASS_ADDRESS_WRITE, &a));

	/* ECP: a channel command the peripheral records. */
	ASSERT_EQ(0, pc_negotiate(self->fd, self->token, 0,
				  PARCLASS_1284_ECP_SW, PARCLASS_1284_ECP_SW,
				  NULL, NULL));
	a = 5;
	EXPECT_EQ(0, pc_address(self->fd, self->token, 1,
				PARCLASS_ADDRESS_WRITE, &a));
	EXPECT_EQ(5, sim_state(self->name, "ecp_channel"));
	a = 127;
	EXPECT_EQ(0, pc_address(self->fd, self->token, 1,
				PARCLASS_ADDRESS_READ, &a));
	EXPECT_EQ(127, sim_state(self->name, "ecp_channel"));
	a = 128;
	EXPECT_EQ(-EINVAL, pc_address(self->fd, self->token, 1,
				      PARCLASS_ADDRESS_WRITE, &a));
	EXPECT_EQ(0, pc_address(self->fd, self->token, 0,
				PARCLASS_ADDRESS_WRITE, &a));
	EXPECT_EQ(5, a);
	EXPECT_EQ(0, pc_address(self->fd, self->token, 0,
				PARCLASS_ADDRESS_READ, &a));
	EXPECT_EQ(127, a);

	/* EPP: an address write cycle, up to 255. */
	ASSERT_EQ(0, pc_negotiate(self->fd, self->token, 0,
				  PARCLASS_1284_EPP_SW, PARCLASS_1284_EPP_SW,
				  NULL, NULL));
	a = 0xa5;
	EXPECT_EQ(0, pc_address(self->fd, self->token, 1,
				PARCLASS_ADDRESS_WRITE, &a));
	EXPECT_EQ(0xa5, sim_state(self->name, "epp_addr"));
	a = 256;
	EXPECT_EQ(-EINVAL, pc_address(self->fd, self->token, 1,
				      PARCLASS_ADDRESS_WRITE, &a));
	a = 0;
	EXPECT_EQ(-EINVAL, pc_address(self->fd, self->token, 1, 2, &a));
	/* Reporting needs no hold; setting does. */
	ASSERT_EQ(0, pc_free(self->fd, self->token));
	EXPECT_EQ(0, pc_address(self->fd, self->token, 0,
				PARCLASS_ADDRESS_WRITE, &a));
	EXPECT_EQ(0xa5, a);
	EXPECT_EQ(-EPERM, pc_address(self->fd, self->token, 1,
				     PARCLASS_ADDRESS_WRITE, &a));
}

/*
 * One channel is on the wire at a time: each transfer sends its
 * direction's address again when the other one went last, and after a
 * compatibility-mode WRITE left ECP.
 */
TEST_F(modes, addresses_follow_the_direction)
{
	__u32 a, done, written;

	ASSERT_EQ(0, pc_negotiate(self->fd, self->token, 0,
				  PARCLASS_1284_ECP_SW, PARCLASS_1284_ECP_SW,
				  NULL, NULL));
	a = 3;
	ASSERT_EQ(0, pc_address(self->fd, self->token, 1,
				PARCLASS_ADDRESS_READ, &a));
	a = 5;
	ASSERT_EQ(0, pc_address(self->fd, self->token, 1,
				PARCLASS_ADDRESS_WRITE, &a));
	EXPECT_EQ(5, sim_state(self->name, "ecp_channel"));

	ASSERT_EQ(0, sim_puts(self->name, "reverse", "r1"));
	EXPECT_EQ(0, pc_read(self->fd, self->token, buf, sizeof(buf), 0,
			     &done));
	EXPECT_EQ(2, done);
	EXPECT_EQ(3, sim_state(self->name, "ecp_channel"));

	EXPECT_EQ(0, pc_write_flags_ioctl(self->fd, self->token, "w1", 2,
					  &written));
	EXPECT_EQ(5, sim_state(self->name, "ecp_channel"));

	/* Compatibility mode, then a read: ECP again, channel 3 again. */
	EXPECT_EQ(0, pc_write(self->fd, self->token, "c", 1, 0, &written));
	EXPECT_TRUE(phase_is(self->name, "compat"));
	ASSERT_EQ(0, sim_puts(self->name, "reverse", "r2"));
	EXPECT_EQ(0, pc_read(self->fd, self->token, buf, sizeof(buf), 0,
			     &done));
	EXPECT_EQ(2, done);
	EXPECT_EQ(0, memcmp(buf, "r2", 2));
	EXPECT_EQ(3, sim_state(self->name, "ecp_channel"));
}

/* The INIT pulse means a reverse request in ECP: it leaves the mode. */
TEST_F(modes, init_pulse_leaves_the_mode)
{
	struct parclass_set_information si = {
		.size = sizeof(si), .token = self->token,
		.init = PARCLASS_PARALLEL_INIT,
	};
	__u32 done;

	ASSERT_EQ(0, pc_negotiate(self->fd, self->token, 0,
				  PARCLASS_1284_ECP_SW, 0, NULL, NULL));
	EXPECT_TRUE(phase_is(self->name, "ecp-forward"));
	EXPECT_EQ(0, pc_ret(ioctl(self->fd, PARCLASS_IOC_SET_INFORMATION,
				  &si)));
	EXPECT_TRUE(phase_is(self->name, "compat"));
	/* And the next read negotiates again. */
	ASSERT_EQ(0, sim_puts(self->name, "reverse", "ok"));
	EXPECT_EQ(0, pc_read(self->fd, self->token, buf, sizeof(buf), 0,
			     &done));
	EXPECT_EQ(2, done);
}

TEST_F(modes, host_recovery_is_kept)
{
	struct parclass_host_recovery h = {
		.size = sizeof(h), .token = self->token,
	};

	EXPECT_EQ(0, pc_ret(ioctl(self->fd, PARCLASS_IOC_HOST_RECOVERY, &h)));
	EXPECT_EQ(1, h.enabled);
	h.flags = PARCLASS_HOST_RECOVERY_SET;
	h.enabled = 0;
	EXPECT_EQ(0, pc_ret(ioctl(self->fd, PARCLASS_IOC_HOST_RECOVERY, &h)));
	h.flags = 0;
	h.enabled = 7;
	EXPECT_EQ(0, pc_ret(ioctl(self->fd, PARCLASS_IOC_HOST_RECOVERY, &h)));
	EXPECT_EQ(0, h.enabled);
	h.flags = PARCLASS_HOST_RECOVERY_SET;
	h.enabled = 2;
	EXPECT_EQ(-EINVAL, pc_ret(ioctl(self->fd, PARCLASS_IOC_HOST_RECOVERY,
					&h)));
	h.enabled = 1;
	h.__reserved = 1;
	EXPECT_EQ(-EINVAL, pc_ret(ioctl(self->fd, PARCLASS_IOC_HOST_RECOVERY,
					&h)));
}

TEST_F(modes, ping_finds_the_peripheral)
{
	__u32 rd;

	ASSERT_EQ(0, pc_negotiate(self->fd, self->token, 0,
				  PARCLASS_1284_BYTE_BIDIR, 0, &rd, NULL));
	EXPECT_EQ(0, pc_ping(self->fd, self->token));
	EXPECT_TRUE(phase_is(self->name, "byte"));
	/* Without a read mode: nibble mode, then back. */
	ASSERT_EQ(0, pc_terminate(self->fd, self->token));
	EXPECT_EQ(0, pc_ping(self->fd, self->token));
	EXPECT_TRUE(phase_is(self->name, "compat"));
	/* Gone quiet. */
	ASSERT_EQ(0, sim_puts(self->name, "faults", "nocable"));
	EXPECT_EQ(-EIO, pc_ping(self->fd, self->token));
	ASSERT_EQ(0, sim_puts(self->name, "faults", "none"));
	ASSERT_EQ(0, sim_puts(self->name, "modes", "none"));
	EXPECT_EQ(-EIO, pc_ping(self->fd, self->token));
	EXPECT_TRUE(phase_is(self->name, "compat"));
}

/* PROBE: every mode the peripheral takes, each set the sim can have. */
TEST_F(modes, probe_reports_what_the_peripheral_accepts)
{
	static const struct {
		const char *modes;
		__u32 expect;
	} cases[] = {
		{ "none", PARCLASS_1284_CENTRONICS },
		{ "nibble", PARCLASS_1284_CENTRONICS |
		  PARCLASS_1284_IEEE_COMPAT | PARCLASS_1284_NIBBLE },
		{ "byte", PARCLASS_1284_CENTRONICS | PARCLASS_1284_IEEE_COMPAT |
		  PARCLASS_1284_NIBBLE | PARCLASS_1284_BYTE_BIDIR },
		{ "ecp epp", PARCLASS_1284_CENTRONICS |
		  PARCLASS_1284_IEEE_COMPAT | PARCLASS_1284_NIBBLE |
		  PARCLASS_1284_ECP_SW | PARCLASS_1284_EPP_SW },
		{ "nibble byte ecp epp", PARCLASS_1284_CENTRONICS |
		  PARCLASS_1284_IEEE_COMPAT | PARCLASS_1284_NIBBLE |
		  PARCLASS_1284_BYTE_BIDIR | PARCLASS_1284_ECP_SW |
		  PARCLASS_1284_EPP_SW },
	};
	unsigned int i;
	__u32 modes, rd, wr;

	ASSERT_EQ(0, pc_negotiate(self->fd, self->token, 0,
				  PARCLASS_1284_NIBBLE,
				  PARCLASS_1284_CENTRONICS, NULL, NULL));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(0, sim_puts(self->name, "modes", cases[i].modes));
		EXPECT_EQ(0, pc_probe(self->fd, self->token, 0, &modes));
		EXPECT_EQ(cases[i].expect, modes) TH_LOG("%s", cases[i].modes);
		EXPECT_TRUE(phase_is(self->name, "compat"));
	}
	/* Excluded modes are neither tried nor reported. */
	EXPECT_EQ(0, pc_probe(self->fd, self->token,
			      PARCLASS_1284_ECP_SW | PARCLASS_1284_CENTRONICS,
			      &modes));
	EXPECT_EQ(PARCLASS_1284_IEEE_COMPAT | PARCLASS_1284_NIBBLE |
		  PARCLASS_1284_BYTE_BIDIR | PARCLASS_1284_EPP_SW, modes);
	EXPECT_EQ(-EINVAL, pc_probe(self->fd, self->token, 0x800, &modes));
	/* The session's own modes stay. */
	EXPECT_EQ(0, pc_get_mode(self->fd, self->token, &rd, &wr));
	EXPECT_EQ(PARCLASS_1284_NIBBLE, rd);
	EXPECT_EQ(PARCLASS_1284_CENTRONICS, wr);
	ASSERT_EQ(0, pc_free(self->fd, self->token));
	EXPECT_EQ(-EPERM, pc_probe(self->fd, self->token, 0, &modes));
}

/* A read as long as the buffer stops there, and the rest follows. */
TEST_F(modes, read_stops_at_its_length)
{
	__u32 done;

	fill(want, 300, 7);
	ASSERT_EQ(0, sim_put(self->name, "reverse", want, 300));
	ASSERT_EQ(0, pc_negotiate(self->fd, self->token, 0,
				  PARCLASS_1284_NIBBLE, 0, NULL, NULL));
	EXPECT_EQ(0, pc_read(self->fd, self->token, buf, 100, 0, &done));
	EXPECT_EQ(100, done);
	EXPECT_EQ(0, memcmp(buf, want, 100));
	EXPECT_EQ(0, pc_read(self->fd, self->token, buf, sizeof(buf), 0,
			     &done));
	EXPECT_EQ(200, done);
	EXPECT_EQ(0, memcmp(buf, want + 100, 200));
}

/* WRITE goes back to compatibility mode; READ enters its mode again. */
TEST_F(modes, write_then_read_renegotiates)
{
	static const char job[] = "forward, then back";
	char fwd[64];
	__u32 done, written;

	ASSERT_EQ(0, pc_negotiate(self->fd, self->token, 0,
				  PARCLASS_1284_NIBBLE,
				  PARCLASS_1284_CENTRONICS, NULL, NULL));
	ASSERT_EQ(0, sim_puts(self->name, "forward", "x"));
	EXPECT_EQ(0, pc_write(self->fd, self->token, job, strlen(job), 0,
			      &written));
	EXPECT_EQ(strlen(job), written);
	EXPECT_TRUE(phase_is(self->name, "compat"));
	EXPECT_EQ((ssize_t)strlen(job),
		  sim_get(self->name, "forward", fwd, sizeof(fwd)));
	EXPECT_STREQ(job, fwd);

	ASSERT_EQ(0, sim_puts(self->name, "reverse", "back"));
	EXPECT_EQ(0, pc_read(self->fd, self->token, buf, sizeof(buf), 0,
			     &done));
	EXPECT_EQ(4, done);
	EXPECT_EQ(0, memcmp(buf, "back", 4));
	EXPECT_TRUE(phase_is(self->name, "nibble"));
}

TEST_F(modes, read_refusals)
{
	__u32 done;

	/* No read mode yet. */
	EXPECT_EQ(-EPROTO, pc_read(self->fd, self->token, buf, 10, 0, &done));
	EXPECT_EQ(0, done);
	ASSERT_EQ(0, pc_negotiate(self->fd, self->token, 0,
				  PARCLASS_1284_NIBBLE, 0, NULL, NULL));
	EXPECT_EQ(-EINVAL, pc_read(self->fd, self->token, buf, 0, 0, &done));
	EXPECT_EQ(-EINVAL, pc_read(self->fd, self->token, buf,
				   PARCLASS_READ_MAX + 1, 0, &done));
	ASSERT_EQ(0, sim_puts(self->name, "reverse", "lost"));
	EXPECT_EQ(-EFAULT, pc_read(self->fd, self->token, (void *)8, 10, 0,
				   &done));
	ASSERT_EQ(0, pc_free(self->fd, self->token));
	EXPECT_EQ(-EPERM, pc_read(self->fd, self->token, buf, 10, 0, &done));
	EXPECT_EQ(-EPERM, pc_negotiate(self->fd, self->token, 0,
				       PARCLASS_1284_NIBBLE, 0, NULL, NULL));
	EXPECT_EQ(-EPERM, pc_terminate(self->fd, self->token));
}

/* The /dev/lpN that lp gave simulated port @sim, into @path. */
static int lp_of(const char *sim, char *path, size_t len)
{
	char want_dev[64], link[256], dev[300];
	int i;
	ssize_t n;

	if (sim_get(sim, "device", want_dev, sizeof(want_dev)) <= 0)
		return -1;
	want_dev[strcspn(want_dev, "\n")] = '\0';
	for (i = 0; i < 16; i++) {
		snprintf(dev, sizeof(dev), "/sys/class/printer/lp%d/device", i);
		n = readlink(dev, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		if (!strcmp(strrchr(link, '/') ? strrchr(link, '/') + 1 : link,
			    want_dev)) {
			snprintf(path, len, "/dev/lp%d", i);
			return 0;
		}
	}
	return -1;
}

/* FREE leaves compatibility mode behind, and lp prints after it. */
TEST_F(modes, free_terminates_and_lp_prints_after)
{
	static const char job[] = "lp after parclass\n";
	char lp[32], fwd[64];
	int lpfd;

	ASSERT_EQ(0, sim_puts(self->name, "modes", "nibble byte"));
	ASSERT_EQ(0, pc_negotiate(self->fd, self->token, 0,
				  PARCLASS_1284_BYTE_BIDIR, 0, NULL, NULL));
	EXPECT_TRUE(phase_is(self->name, "byte"));
	ASSERT_EQ(0, pc_free(self->fd, self->token));
	EXPECT_TRUE(phase_is(self->name, "compat"));

	ASSERT_EQ(0, lp_of(self->name, lp, sizeof(lp)));
	ASSERT_EQ(0, sim_puts(self->name, "forward", "x"));
	lpfd = open(lp, O_WRONLY | O_CLOEXEC);
	ASSERT_LE(0, lpfd);
	EXPECT_EQ((ssize_t)strlen(job), write(lpfd, job, strlen(job)));
	close(lpfd);
	EXPECT_EQ((ssize_t)strlen(job),
		  sim_get(self->name, "forward", fwd, sizeof(fwd)));
	EXPECT_STREQ(job, fwd);
}

TEST_F(modes, disconnect_and_close_terminate)
{
	ASSERT_EQ(0, pc_negotiate(self->fd, self->token, 0,
				  PARCLASS_1284_NIBBLE, 0, NULL, NULL));
	EXPECT_TRUE(phase_is(self->name, "nibble"));
	ASSERT_EQ(0, pc_disconnect(self->fd, self->token));
	EXPECT_TRUE(phase_is(self->name, "compat"));

	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->token));
	ASSERT_EQ(0, pc_try_allocate(self->fd, self->token));
	ASSERT_EQ(0, pc_negotiate(self->fd, self->token, 0,
				  PARCLASS_1284_NIBBLE, 0, NULL, NULL));
	EXPECT_TRUE(phase_is(self->name, "nibble"));
	close(self->fd);
	self->fd = -1;
	EXPECT_TRUE(phase_is(self->name, "compat"));
}

struct job {
	int fd;
	__u64 token;
	pthread_t th;
	int ret;
	__u32 done;
	__u64 end;
};

static void *read_thread(void *arg)
{
	struct job *j = arg;

	j->ret = pc_read(j->fd, j->token, buf, sizeof(buf),
			 30000ULL * MS, &j->done);
	j->end = now_ns();
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;
}

/*
 * A peripheral that goes off in nibble mode announces data (nFault low)
 * and then never finishes the handshake: the read waits in it, with a
 * 30 s step timeout, until it is ended from outside.
 */
static void start_stuck_read(struct __test_metadata *_metadata,
			     const char *sim, struct job *j)
{
	ASSERT_EQ(0, sim_puts(sim, "faults", "none"));
	ASSERT_EQ(0, pc_negotiate(j->fd, j->token, 0, PARCLASS_1284_NIBBLE,
				  0, NULL, NULL));
	ASSERT_EQ(0, sim_puts(sim, "faults", "off"));
	ASSERT_EQ(0, pthread_create(&j->th, NULL, read_thread, j));
	sim_sleep_ms(200);
	/* Still reading; FREE is refused meanwhile. */
	EXPECT_EQ(-EBUSY, pc_free(j->fd, j->token));
}

TEST_F(modes, stuck_read_is_ended_at_once)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct job j = { self->fd, self->token };
	__u64 t0, t1;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));

	start_stuck_read(_metadata, self->name, &j);
	t0 = now_ns();
	ASSERT_EQ(0, pthread_kill(j.th, SIGUSR1));
	ASSERT_EQ(0, pthread_join(j.th, NULL));
	EXPECT_EQ(-EINTR, j.ret);
	EXPECT_GT(100 * MS, j.end - t0);

	start_stuck_read(_metadata, self->name, &j);
	t0 = now_ns();
	ASSERT_EQ(0, pc_disconnect(self->fd, self->token));
	ASSERT_EQ(0, pthread_join(j.th, NULL));
	EXPECT_EQ(-ESTALE, j.ret);
	EXPECT_GT(100 * MS, j.end - t0);

	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->token));
	ASSERT_EQ(0, pc_try_allocate(self->fd, self->token));
	j.token = self->token;
	start_stuck_read(_metadata, self->name, &j);
	t0 = now_ns();
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "0"));
	t1 = now_ns();
	ASSERT_EQ(0, pthread_join(j.th, NULL));
	EXPECT_EQ(-ENODEV, j.ret);
	EXPECT_GT(100 * MS, j.end - t0);
	EXPECT_GT(1000 * MS, t1 - t0);
}

TEST_HARNESS_MAIN
