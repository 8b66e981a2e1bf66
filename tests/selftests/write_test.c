// SPDX-License-Identifier: GPL-2.0
/*
 * write_test: PARCLASS_IOC_WRITE. The bytes of
 * /tests/data/write_test.parport1.bin go to parport1 through a session,
 * and the host checks that they arrived; every error path is checked
 * without sending anything.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/parclass.h>

#include "kselftest_harness.h"

#define DATA "/tests/data/write_test.parport1.bin"

FIXTURE(sess) {
	int fd;
	__u64 token;
};

FIXTURE_SETUP(sess)
{
	struct parclass_connect c = { .size = sizeof(c), .port = 1 };

	self->fd = open("/dev/parclass", O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, ioctl(self->fd, PARCLASS_IOC_CONNECT, &c));
	self->token = c.token;
}

FIXTURE_TEARDOWN(sess)
{
	close(self->fd);
}

static int do_write(int fd, struct parclass_write *w)
{
	return ioctl(fd, PARCLASS_IOC_WRITE, w) ? errno : 0;
}

static int allocate(int fd, __u64 token)
{
	struct parclass_allocate a = {
		.size = sizeof(a), .token = token,
		.flags = PARCLASS_ALLOCATE_TRY,
	};

	return ioctl(fd, PARCLASS_IOC_ALLOCATE, &a) ? errno : 0;
}

TEST_F(sess, write_without_holding_is_eperm)
{
	char byte = 'x';
	struct parclass_write w = {
		.size = sizeof(w), .token = self->token,
		.buffer = (__u64)(unsigned long)&byte, .length = 1,
		.written = 77,
	};

	EXPECT_EQ(EPERM, do_write(self->fd, &w));
	/* A refused call writes nothing back. */
	EXPECT_EQ(77, w.written);
}

TEST_F(sess, write_errors)
{
	char byte = 'x';
	struct parclass_write w = {
		.size = sizeof(w), .token = self->token,
		.buffer = (__u64)(unsigned long)&byte, .length = 1,
	};
	struct {
		struct parclass_write w;
		__u64 tail;
	} big;

	ASSERT_EQ(0, allocate(self->fd, self->token));

	w.flags = 2;	/* bit 0 is PARCLASS_WRITE_MODE */
	EXPECT_EQ(EINVAL, do_write(self->fd, &w));
	w.flags = 0;

	w.token ^= 1ULL << 40;
	EXPECT_EQ(ESTALE, do_write(self->fd, &w));
	w.token = self->token;

	w.buffer = 8;
	EXPECT_EQ(EFAULT, do_write(self->fd, &w));
	EXPECT_EQ(0, w.written);

	/* size sweep: short, long with junk, long with zeros (0 bytes) */
	memset(&big, 0, sizeof(big));
	big.w = w;
	big.w.length = 0;
	big.w.size = sizeof(big.w) - 1;
	EXPECT_EQ(EINVAL, do_write(self->fd, &big.w));
	big.w.size = sizeof(big);
	big.tail = 1;
	EXPECT_EQ(E2BIG, do_write(self->fd, &big.w));
	big.tail = 0;
	EXPECT_EQ(0, do_write(self->fd, &big.w));
	EXPECT_EQ(0, big.w.written);
}

TEST_F(sess, write_sends_the_data)
{
	static unsigned char buf[4096];
	struct parclass_write w = { .size = sizeof(w) };
	struct parclass_disconnect d = { .size = sizeof(d) };
	ssize_t len;
	int in;

	in = open(DATA, O_RDONLY);
	ASSERT_LE(0, in);
	len = read(in, buf, sizeof(buf));
	close(in);
	ASSERT_LT(0, len);

	ASSERT_EQ(0, allocate(self->fd, self->token));
	w.token = self->token;
	w.buffer = (__u64)(unsigned long)buf;
	w.length = len;
	w.timeout_ns = 2000000000ULL;
	EXPECT_EQ(0, do_write(self->fd, &w));
	EXPECT_EQ(len, w.written);

	/* after DISCONNECT the token cannot write */
	d.token = self->token;
	ASSERT_EQ(0, ioctl(self->fd, PARCLASS_IOC_DISCONNECT, &d));
	w.length = 1;
	EXPECT_EQ(ESTALE, do_write(self->fd, &w));
}

TEST_HARNESS_MAIN
