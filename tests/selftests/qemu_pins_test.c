// SPDX-License-Identifier: GPL-2.0
/*
 * qemu_pins_test: REGISTER and PIN_PROGRAM on a port parport_pc drives
 * (QEMU's second LPT, parport1), where parclass reads and writes the data
 * and status registers itself rather than through the driver.
 *
 * The bytes of /tests/data/qemu_pins_test.parport1.bin are bit-banged to
 * the port by one pin program (data, strobe, strobe released, for each),
 * and the host checks that they arrived; the program reads each byte
 * back from the data register. Status reads read the status register,
 * as ppdev's PPRSTATUS (parport_pc's own read_status) does, and the
 * control register keeps what was written to it, whatever the data
 * operations do.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/parport.h>
#include <linux/ppdev.h>

#include "kselftest_harness.h"
#include "pc_ops.h"

#define DATA	"/tests/data/qemu_pins_test.parport1.bin"
#define MAXLEN	4096

FIXTURE(lpt) {
	int fd;
	__u64 token;
};

FIXTURE_SETUP(lpt)
{
	self->fd = pc_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, pc_connect(self->fd, 1, &self->token));
	ASSERT_EQ(0, pc_allocate(self->fd, self->token, 0, 5000000000ULL));
}

FIXTURE_TEARDOWN(lpt)
{
	pc_free(self->fd, self->token);
	close(self->fd);
}

TEST_F(lpt, a_pin_program_prints_its_bytes)
{
	static unsigned char data[MAXLEN], back[MAXLEN];
	static struct parclass_pin_op ops[4 * MAXLEN];
	__u32 done, used, n = 0;
	ssize_t len, i;
	int fd;

	fd = open(DATA, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, fd);
	len = read(fd, data, sizeof(data));
	close(fd);
	ASSERT_LT(0, len);
	for (i = 0; i < len; i++) {
		ops[n++] = pc_op(PARCLASS_PIN_WRITE_DATA, 0, data[i], 0);
		ops[n++] = pc_op(PARCLASS_PIN_READ_DATA, 0, 0, 0);
		ops[n++] = pc_op(PARCLASS_PIN_FROB_CONTROL,
				 PARPORT_CONTROL_STROBE,
				 PARPORT_CONTROL_STROBE, 0);
		ops[n++] = pc_op(PARCLASS_PIN_FROB_CONTROL,
				 PARPORT_CONTROL_STROBE, 0, 0);
	}
	memset(back, 0, sizeof(back));
	ASSERT_EQ(0, pc_program(self->fd, self->token, ops, n, back, len,
				&done, &used));
	EXPECT_EQ(n, done);
	EXPECT_EQ((__u32)len, used);
	/* The data register holds what each operation wrote. */
	EXPECT_EQ(0, memcmp(data, back, len));
}

TEST_F(lpt, data_register_reads_back_what_register_wrote)
{
	static const __u32 values[] = { 0x00, 0xff, 0x5a, 0xa5, 0x01, 0x80 };
	__u32 v, r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(values); i++) {
		v = values[i];
		ASSERT_EQ(0, pc_register(self->fd, self->token,
					 PARCLASS_PIN_WRITE_DATA, 0, &v));
		/* A read's value goes in ignored, and comes back read. */
		r = values[i] ^ 0xff;
		ASSERT_EQ(0, pc_register(self->fd, self->token,
					 PARCLASS_PIN_READ_DATA, 0, &r));
		EXPECT_EQ(values[i], r);
	}
}

/*
 * QEMU's printer moves its Busy and nAck lines as the status register is
 * read; Select and nFault stay high. Read with the data lines low (so a
 * read of the data register would give 0x00) and the control register
 * at Select-In and nInit (whose read would give Select low).
 */
#define STEADY	(PARPORT_STATUS_SELECT | PARPORT_STATUS_ERROR)

TEST_F(lpt, status_reads_read_the_status_register)
{
	struct parclass_pin_op ops[10];
	unsigned char st[8];
	__u32 done, used, v, i;
	int pp, pst = 0;

	ops[0] = pc_op(PARCLASS_PIN_WRITE_DATA, 0, 0x00, 0);
	ops[1] = pc_op(PARCLASS_PIN_WRITE_CONTROL, 0,
		       PARPORT_CONTROL_SELECT | PARPORT_CONTROL_INIT, 0);
	for (i = 2; i < 10; i++)
		ops[i] = pc_op(PARCLASS_PIN_READ_STATUS, 0, 0, 0);
	ASSERT_EQ(0, pc_program(self->fd, self->token, ops, 10, st,
				sizeof(st), &done, &used));
	EXPECT_EQ(8, used);
	for (i = 0; i < 8; i++) {
		int b = st[i];

		EXPECT_EQ(STEADY, b & STEADY)
			TH_LOG("status read %u: 0x%02x", i, b);
	}
	v = 0;
	ASSERT_EQ(0, pc_register(self->fd, self->token,
				 PARCLASS_PIN_READ_STATUS, 0, &v));
	EXPECT_EQ(STEADY, v & STEADY);
	ASSERT_EQ(0, pc_free(self->fd, self->token));

	/* ppdev, through parport_pc's read_status, agrees. */
	pp = open("/dev/parport1", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, pp);
	ASSERT_EQ(0, ioctl(pp, PPCLAIM));
	EXPECT_EQ(0, ioctl(pp, PPRSTATUS, &pst));
	EXPECT_EQ(0, ioctl(pp, PPRELEASE));
	close(pp);
	EXPECT_EQ(STEADY, pst & STEADY);
}

TEST_F(lpt, control_keeps_its_value_across_data_operations)
{
	struct parclass_pin_op ops[3];
	unsigned char back[2];
	__u32 done, used, v;

	v = PARPORT_CONTROL_SELECT | PARPORT_CONTROL_INIT |
	    PARPORT_CONTROL_AUTOFD;
	ASSERT_EQ(0, pc_register(self->fd, self->token,
				 PARCLASS_PIN_WRITE_CONTROL, 0, &v));
	ops[0] = pc_op(PARCLASS_PIN_WRITE_DATA, 0, 0x3c, 0);
	ops[1] = pc_op(PARCLASS_PIN_READ_CONTROL, 0, 0, 0);
	ops[2] = pc_op(PARCLASS_PIN_READ_DATA, 0, 0, 0);
	ASSERT_EQ(0, pc_program(self->fd, self->token, ops, 3, back,
				sizeof(back), &done, &used));
	EXPECT_EQ(3, done);
	EXPECT_EQ(v, back[0]);
	EXPECT_EQ(0x3c, back[1]);
	v = PARPORT_CONTROL_SELECT | PARPORT_CONTROL_INIT;
	EXPECT_EQ(0, pc_register(self->fd, self->token,
				 PARCLASS_PIN_WRITE_CONTROL, 0, &v));
}

TEST_HARNESS_MAIN
