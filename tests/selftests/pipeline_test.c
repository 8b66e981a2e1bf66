// SPDX-License-Identifier: GPL-2.0
/*
 * pipeline_test: the guest-side proof that the test platform works. It
 * checks the device node, GET_VERSION, the errors every command shares,
 * and writes a host-chosen block of bytes to /dev/lp0 (the host then
 * checks that they reached the emulated port's output file).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <linux/parclass.h>

#include "kselftest_harness.h"

#define PARCLASS_DEV "/dev/parclass"
#define LP_DATA "/tests/data/pipeline_test.parport0.bin"
#define LP_DATA_LEN 32

TEST(dev_node_is_char_device_mode_0600)
{
	struct stat st;

	ASSERT_EQ(0, stat(PARCLASS_DEV, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(0600, st.st_mode & 07777);
}

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = open(PARCLASS_DEV, O_RDWR | O_CLOEXEC);
	ASSERT_LE(0, self->fd) TH_LOG("open %s: %s", PARCLASS_DEV,
				      strerror(errno));
}

FIXTURE_TEARDOWN(dev)
{
	close(self->fd);
}

TEST_F(dev, get_version_answers)
{
	struct parclass_version v;

	memset(&v, 0xa5, sizeof(v));
	v.size = sizeof(v);
	v.flags = 0;
	v.__reserved = 0;
	ASSERT_EQ(0, ioctl(self->fd, PARCLASS_IOC_GET_VERSION, &v));
	EXPECT_EQ(PARCLASS_ABI_VERSION, v.abi_version);
	EXPECT_TRUE(v.features & PARCLASS_FEATURE_VERSION);
	EXPECT_EQ(sizeof(v), v.size);
}

TEST_F(dev, unknown_ioctl_is_enotty)
{
	struct parclass_version v = { .size = sizeof(v) };
	const unsigned long bad[] = {
		/* another driver's type */
		_IO('p', PARCLASS_CMD_BASE),
		/* parclass's type, numbers below and past the table */
		_IO(PARCLASS_TYPE, 0),
		_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE - 1),
		_IO(PARCLASS_TYPE, 0xff),
		/* the right number with size or direction bits it never has */
		_IOWR(PARCLASS_TYPE, PARCLASS_CMD_BASE, struct parclass_version),
		_IOR(PARCLASS_TYPE, PARCLASS_CMD_BASE, __u32),
		/* a classic tty request */
		TCGETS,
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		errno = 0;
		EXPECT_EQ(-1, ioctl(self->fd, bad[i], &v))
			TH_LOG("request %#lx", bad[i]);
		EXPECT_EQ(ENOTTY, errno) TH_LOG("request %#lx", bad[i]);
	}
}

TEST_F(dev, bad_pointer_is_efault)
{
	__u32 *size;
	void *page;

	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, PARCLASS_IOC_GET_VERSION, NULL));
	EXPECT_EQ(EFAULT, errno);

	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, PARCLASS_IOC_GET_VERSION, (void *)8));
	EXPECT_EQ(EFAULT, errno);

	/* The size is readable but the rest of the struct is not. */
	page = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, page);
	ASSERT_EQ(0, munmap((char *)page + 4096, 4096));
	size = (__u32 *)((char *)page + 4096 - sizeof(__u32));
	*size = sizeof(struct parclass_version);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, PARCLASS_IOC_GET_VERSION, size));
	EXPECT_EQ(EFAULT, errno);
	munmap(page, 4096);
}

TEST_F(dev, get_version_size_sweep)
{
	struct {
		struct parclass_version v;
		__u64 tail;
	} big;

	/* Shorter than the mandatory part. */
	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big.v) - 1;
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, PARCLASS_IOC_GET_VERSION, &big));
	EXPECT_EQ(EINVAL, errno);

	big.v.size = 0;
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, PARCLASS_IOC_GET_VERSION, &big));
	EXPECT_EQ(EINVAL, errno);

	/* Longer, with a non-zero unknown tail. */
	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big);
	big.tail = 1;
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, PARCLASS_IOC_GET_VERSION, &big));
	EXPECT_EQ(E2BIG, errno);

	/* Longer, with a zero tail: accepted, and the tail is left alone. */
	memset(&big, 0, sizeof(big));
	big.v.size = sizeof(big);
	ASSERT_EQ(0, ioctl(self->fd, PARCLASS_IOC_GET_VERSION, &big));
	EXPECT_EQ(PARCLASS_ABI_VERSION, big.v.abi_version);
	EXPECT_EQ(0, big.tail);
}

TEST_F(dev, get_version_reserved_and_flags_are_einval)
{
	struct parclass_version v = { .size = sizeof(v), .flags = 1 };

	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, PARCLASS_IOC_GET_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);

	v.flags = 0;
	v.__reserved = 0x80000000u;
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, PARCLASS_IOC_GET_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);
	/* A refused call writes nothing back. */
	EXPECT_EQ(0, v.abi_version);
	EXPECT_EQ(0, v.features);
}

TEST(lp0_write_reaches_the_port)
{
	unsigned char buf[LP_DATA_LEN];
	int in, lp;

	in = open(LP_DATA, O_RDONLY);
	ASSERT_LE(0, in) TH_LOG("open %s: %s", LP_DATA, strerror(errno));
	ASSERT_EQ(LP_DATA_LEN, read(in, buf, sizeof(buf)));
	close(in);

	lp = open("/dev/lp0", O_WRONLY);
	ASSERT_LE(0, lp) TH_LOG("open /dev/lp0: %s", strerror(errno));
	EXPECT_EQ(LP_DATA_LEN, write(lp, buf, sizeof(buf)));
	EXPECT_EQ(0, close(lp));
}

TEST_HARNESS_MAIN
