// SPDX-License-Identifier: GPL-2.0
/*
 * sim_ppdev_test: ppdev on simulated ports (parport_sim).
 *
 * ppdev negotiates IEEE 1284 modes with the simulated peripheral
 * (PPNEGOT) and reads its device ID and reverse data with read(), writes
 * with write(), sees faults in PPRSTATUS and counts interrupts
 * (PPCLRIRQ). A port is unplugged while a process holds it (PPCLAIM) and
 * another waits for it: nothing breaks, the module references balance
 * out, and the port plugged in again works. Every test removes the ports
 * it made.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/parport.h>
#include <linux/ppdev.h>

#include "kselftest_harness.h"

#include "sim_control.h"

#define SIM_ID		"MFG:parport_sim;MDL:ppdev test;CMD:PCL;CLS:PRINTER;"

/* Open ppdev's node for simulated port @sim. */
static int sim_open_ppdev(const char *sim)
{
	char path[32];
	int num = sim_number(sim);

	if (num < 0)
		return -1;
	snprintf(path, sizeof(path), "/dev/parport%d", num);
	return open(path, O_RDWR | O_CLOEXEC);
}

/* read() exactly @len bytes, giving up after a few empty reads. */
static ssize_t sim_read_all(int fd, void *buf, size_t len)
{
	size_t got = 0;
	ssize_t n;

	while (got < len) {
		n = read(fd, (char *)buf + got, len - got);
		if (n <= 0)
			return n < 0 ? -1 : (ssize_t)got;
		got += n;
	}
	return got;
}

/*
 * Interrupts ppdev counted (PPCLRIRQ) until @want arrived or 5 s passed,
 * plus any that come in a short while after: they arrive from a work item.
 */
static int sim_count_irqs(int fd, int want)
{
	int total = 0, count, i;

	for (i = 0; i < 100; i++) {
		count = 0;
		if (ioctl(fd, PPCLRIRQ, &count))
			return -1;
		total += count;
		if (total >= want && i)
			break;
		sim_sleep_ms(50);
	}
	return total;
}

static int sim_negot(int fd, int mode)
{
	return ioctl(fd, PPNEGOT, &mode);
}

FIXTURE(simport) {
	char name[32];
	int fd;
	long refs;
};

FIXTURE_SETUP(simport)
{
	snprintf(self->name, sizeof(self->name), "ppdev%d", (int)getpid());
	self->fd = -1;
	ASSERT_EQ(0, sim_puts("", "new", self->name))
		TH_LOG("creating a simulated port: %s", strerror(errno));
	self->refs = sim_refcnt();
	ASSERT_LE(0, self->refs);
	ASSERT_EQ(0, sim_puts(self->name, "device_id", SIM_ID));
}

FIXTURE_TEARDOWN(simport)
{
	if (self->fd >= 0)
		close(self->fd);
	sim_puts("", "delete", self->name);
}

/* Plug port @name in and open its ppdev node into @fd. */
static int sim_plug_open(struct __test_metadata *_metadata, const char *name,
			 int *fd)
{
	int num;

	if (sim_puts(name, "plugged", "1"))
		return -1;
	num = sim_number(name);
	if (num < 2) {
		TH_LOG("simulated port got number %d", num);
		return -1;
	}
	*fd = sim_open_ppdev(name);
	if (*fd < 0)
		TH_LOG("open /dev/parport%d: %s", num, strerror(errno));
	return *fd;
}

TEST_F(simport, nibble_mode_reads_the_device_id)
{
	char id[sizeof(SIM_ID)] = "";
	unsigned char hdr[2];
	size_t len = strlen(SIM_ID);

	ASSERT_LE(0, sim_plug_open(_metadata, self->name, &self->fd));
	ASSERT_EQ(0, ioctl(self->fd, PPCLAIM));
	ASSERT_EQ(0, sim_negot(self->fd, IEEE1284_MODE_NIBBLE |
			       IEEE1284_DEVICEID))
		TH_LOG("PPNEGOT: %s", strerror(errno));
	ASSERT_EQ(2, sim_read_all(self->fd, hdr, 2));
	EXPECT_EQ(len + 2, (size_t)(hdr[0] << 8 | hdr[1]));
	ASSERT_EQ((ssize_t)len, sim_read_all(self->fd, id, len));
	EXPECT_STREQ(SIM_ID, id);
	EXPECT_EQ(0, sim_negot(self->fd, IEEE1284_MODE_COMPAT));
	EXPECT_EQ(0, ioctl(self->fd, PPRELEASE));
}

TEST_F(simport, negotiation_answers_follow_the_modes)
{
	ASSERT_EQ(0, sim_puts(self->name, "modes", "nibble byte"));
	ASSERT_LE(0, sim_plug_open(_metadata, self->name, &self->fd));
	ASSERT_EQ(0, ioctl(self->fd, PPCLAIM));

	EXPECT_EQ(0, sim_negot(self->fd, IEEE1284_MODE_BYTE));
	EXPECT_EQ(0, sim_negot(self->fd, IEEE1284_MODE_COMPAT));
	/* Refused: PPNEGOT says ENXIO. */
	EXPECT_EQ(-1, sim_negot(self->fd, IEEE1284_MODE_ECP));
	EXPECT_EQ(ENXIO, errno);
	/* Not an IEEE 1284 peripheral: EIO. */
	ASSERT_EQ(0, sim_puts(self->name, "modes", "none"));
	EXPECT_EQ(-1, sim_negot(self->fd, IEEE1284_MODE_NIBBLE));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(0, ioctl(self->fd, PPRELEASE));
}

TEST_F(simport, reverse_data_and_forward_data)
{
	static const char rev[] = "from the peripheral";
	static const char fwd[] = "to the peripheral";
	char buf[64] = "";

	ASSERT_LE(0, sim_plug_open(_metadata, self->name, &self->fd));
	ASSERT_EQ(0, sim_puts(self->name, "forward", "\n"));
	ASSERT_EQ(0, ioctl(self->fd, PPCLAIM));

	ASSERT_EQ((ssize_t)strlen(fwd), write(self->fd, fwd, strlen(fwd)));
	ASSERT_LT(0, sim_get(self->name, "forward", buf, sizeof(buf)));
	EXPECT_STREQ(fwd, buf);

	ASSERT_EQ(0, sim_put(self->name, "reverse", rev, strlen(rev)));
	ASSERT_EQ(0, sim_negot(self->fd, IEEE1284_MODE_NIBBLE));
	memset(buf, 0, sizeof(buf));
	ASSERT_EQ((ssize_t)strlen(rev), sim_read_all(self->fd, buf,
						     strlen(rev)));
	EXPECT_STREQ(rev, buf);
	EXPECT_EQ(0, sim_negot(self->fd, IEEE1284_MODE_COMPAT));
	EXPECT_EQ(0, ioctl(self->fd, PPRELEASE));
}

TEST_F(simport, faults_show_in_the_status_lines)
{
	static const struct {
		const char *faults;
		unsigned char status;
	} cases[] = {
		{ "none", 0xd8 },
		{ "paperout", 0xf0 },
		{ "offline", 0xc0 },
		{ "error", 0xd0 },
		{ "busy", 0x58 },
		{ "off", 0x80 },
		{ "nocable", 0x78 },
	};
	unsigned char st;
	size_t i;

	ASSERT_LE(0, sim_plug_open(_metadata, self->name, &self->fd));
	ASSERT_EQ(0, ioctl(self->fd, PPCLAIM));
	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		ASSERT_EQ(0, sim_puts(self->name, "faults", cases[i].faults));
		ASSERT_EQ(0, ioctl(self->fd, PPRSTATUS, &st));
		EXPECT_EQ(cases[i].status, st)
			TH_LOG("faults %s", cases[i].faults);
	}
	ASSERT_EQ(0, sim_puts(self->name, "faults", "none"));
	EXPECT_EQ(0, ioctl(self->fd, PPRELEASE));
}

TEST_F(simport, interrupts_reach_ppdev)
{
	struct pollfd pfd;
	int count = 0;

	ASSERT_EQ(0, sim_puts(self->name, "irq", "7"));
	ASSERT_LE(0, sim_plug_open(_metadata, self->name, &self->fd));
	ASSERT_EQ(0, ioctl(self->fd, PPCLAIM));
	ASSERT_EQ(0, ioctl(self->fd, PPCLRIRQ, &count));

	/* poll() wakes up on the interrupt. */
	ASSERT_EQ(0, sim_puts(self->name, "interrupt", "1"));
	pfd.fd = self->fd;
	pfd.events = POLLIN;
	EXPECT_EQ(1, poll(&pfd, 1, 5000));
	EXPECT_EQ(1, sim_count_irqs(self->fd, 1));

	/* Each byte printed in compatibility mode pulses nAck. */
	ASSERT_EQ(3, write(self->fd, "abc", 3));
	EXPECT_EQ(3, sim_count_irqs(self->fd, 3));
	EXPECT_EQ(0, ioctl(self->fd, PPRELEASE));
}

/*
 * Unplug while this process holds the port: the holder goes on talking to
 * the dead port harmlessly, the module references balance out once it
 * lets go, and the port plugged in again works.
 */
TEST_F(simport, unplug_while_claimed)
{
	char buf[sizeof(SIM_ID)] = "";
	unsigned char hdr[2], st = 0xff;
	int num;

	ASSERT_LE(0, sim_plug_open(_metadata, self->name, &self->fd));
	num = sim_number(self->name);
	ASSERT_EQ(0, ioctl(self->fd, PPCLAIM));
	ASSERT_EQ(0, sim_negot(self->fd, IEEE1284_MODE_NIBBLE));

	ASSERT_EQ(0, sim_puts(self->name, "plugged", "0"));
	EXPECT_EQ(-1, sim_number(self->name));
	/* The core's dead operations: every line reads low, nothing moves. */
	EXPECT_EQ(0, ioctl(self->fd, PPRSTATUS, &st));
	EXPECT_EQ(0, st);
	EXPECT_EQ(-1, sim_negot(self->fd, IEEE1284_MODE_ECP));
	EXPECT_EQ(EIO, errno);
	EXPECT_EQ(0, write(self->fd, "lost", 4));
	EXPECT_EQ(0, ioctl(self->fd, PPRELEASE));
	close(self->fd);
	self->fd = -1;
	/* Every module reference taken was given back. */
	EXPECT_EQ(self->refs, sim_refcnt());

	/* Plugged in again, the port works. */
	ASSERT_LE(0, sim_plug_open(_metadata, self->name, &self->fd));
	TH_LOG("parport%d came back as parport%d", num,
	       sim_number(self->name));
	ASSERT_EQ(0, ioctl(self->fd, PPCLAIM));
	ASSERT_EQ(0, sim_negot(self->fd, IEEE1284_MODE_NIBBLE |
			       IEEE1284_DEVICEID));
	ASSERT_EQ(2, sim_read_all(self->fd, hdr, 2));
	ASSERT_EQ((ssize_t)strlen(SIM_ID), sim_read_all(self->fd, buf,
							strlen(SIM_ID)));
	EXPECT_STREQ(SIM_ID, buf);
	EXPECT_EQ(0, sim_negot(self->fd, IEEE1284_MODE_COMPAT));
	EXPECT_EQ(0, ioctl(self->fd, PPRELEASE));
}

/*
 * Unplug while this process holds the port and a child waits for it in
 * PPCLAIM. ppdev serialises every ioctl on one global mutex, which the
 * waiting PPCLAIM keeps, so the holder lets go with close(). The child is
 * then granted the dead port.
 */
TEST_F(simport, unplug_with_a_waiter)
{
	int status, ready[2];
	pid_t child;
	char c;

	ASSERT_LE(0, sim_plug_open(_metadata, self->name, &self->fd));
	ASSERT_EQ(0, ioctl(self->fd, PPCLAIM));
	ASSERT_EQ(0, pipe(ready));

	child = fork();
	ASSERT_LE(0, child);
	if (child == 0) {
		unsigned char st = 0xff;
		int fd;

		/* The holder's file must close when the holder closes it. */
		close(self->fd);
		fd = sim_open_ppdev(self->name);
		alarm(20);
		close(ready[0]);
		if (fd < 0 || write(ready[1], "r", 1) != 1)
			_exit(1);
		if (ioctl(fd, PPCLAIM))
			_exit(2);
		/* Granted the dead port: nothing reaches a peripheral. */
		if (ioctl(fd, PPRSTATUS, &st) || st)
			_exit(3);
		if (write(fd, "x", 1) != 0)
			_exit(4);
		_exit(ioctl(fd, PPRELEASE) ? 5 : 0);
	}
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	close(ready[0]);
	/* Give the child time to block in PPCLAIM. */
	sim_sleep_ms(300);
	EXPECT_EQ(0, waitpid(child, &status, WNOHANG));

	ASSERT_EQ(0, sim_puts(self->name, "plugged", "0"));
	close(self->fd);
	self->fd = -1;
	ASSERT_EQ(child, waitpid(child, &status, 0));
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(self->refs, sim_refcnt());

	ASSERT_LE(0, sim_plug_open(_metadata, self->name, &self->fd));
	EXPECT_EQ(0, ioctl(self->fd, PPCLAIM));
	EXPECT_EQ(0, ioctl(self->fd, PPRELEASE));
}

TEST_HARNESS_MAIN
