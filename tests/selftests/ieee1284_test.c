// SPDX-License-Identifier: GPL-2.0
/*
 * ieee1284_test: libieee1284 (Debian's libieee1284-3-dev, linked
 * statically) and libparclass read the same simulated peripheral
 * (parport_sim) and must agree.
 *
 * libieee1284 reaches the port through ppdev (/dev/parportN, found by
 * ieee1284_find_ports() in /proc/sys/dev/parport); libparclass through
 * /dev/parclass. Each claims the port only while the other has let it
 * go, so neither ever queues behind the other.
 *
 * The device ID: libieee1284's fresh read (F1284_FRESH: from the
 * peripheral, not the kernel's copy; ieee1284_get_deviceid() opens and
 * claims the port itself, so the port must not be open) is the two
 * big-endian length bytes and the ID, with a NUL after them that its
 * count leaves out; libparclass's raw read (PARCLASS_DEVICE_ID_RAW) is
 * the same bytes, its cooked read the ID alone. Without F1284_FRESH
 * libieee1284 takes the kernel's copy (/proc/sys/dev/parport/parportN/
 * autoprobe, as the parport core parsed it when the port came), which
 * names the same model.
 *
 * The status goes through ieee1284_open(), ieee1284_claim(),
 * ieee1284_read_status(), ieee1284_release() and ieee1284_close().
 *
 * The status: libieee1284 reports the IEEE 1284 levels of the five
 * status lines (S1284_BUSY set while Busy is high); parclass's
 * raw_status is the PC status register (0x80 set while Busy is low). So
 * ieee1284_read_status() == raw_status ^ S1284_INVERTED, over the five
 * line bits (0xf8). Windows' status byte is checked against the lines:
 * PAPER_EMPTY is PError high, SELECTED is Select high, BUSY is Busy high
 * with nFault high.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ieee1284.h>
#include <parclass/libparclass.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
#include "sim_control.h"

#define LINES	0xf8	/* the five status lines' bits */

static const char printer_id[] =
	"MFG:Acme;MDL:Cross 1284;CMD:PCL,PJL;CLS:PRINTER;DES:Acme Cross;";

FIXTURE(cross) {
	char name[32];
	int num;
	struct parport_list list;
	struct parport *port;
	int fd;
	__u64 token;
};

FIXTURE_SETUP(cross)
{
	char want[32];
	int i;

	snprintf(self->name, sizeof(self->name), "ieee%d", (int)getpid());
	ASSERT_EQ(0, sim_puts("", "new", self->name));
	ASSERT_EQ(0, sim_puts(self->name, "device_id", printer_id));
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "1"));
	self->num = sim_number(self->name);
	ASSERT_LE(2, self->num);
	/* ppdev's node for the new port (devtmpfs makes it). */
	snprintf(want, sizeof(want), "/dev/parport%d", self->num);
	for (i = 0; i < 50 && access(want, R_OK | W_OK); i++)
		sim_sleep_ms(20);
	ASSERT_EQ(0, access(want, R_OK | W_OK)) TH_LOG("%s", want);

	ASSERT_EQ(E1284_OK, ieee1284_find_ports(&self->list, 0));
	self->port = NULL;
	snprintf(want, sizeof(want), "parport%d", self->num);
	for (i = 0; i < self->list.portc; i++) {
		TH_LOG("libieee1284 port %s (%s)", self->list.portv[i]->name,
		       self->list.portv[i]->filename ?
		       self->list.portv[i]->filename : "no node");
		if (!strcmp(self->list.portv[i]->name, want))
			self->port = self->list.portv[i];
	}
	ASSERT_NE(NULL, self->port) TH_LOG("libieee1284 finds %s", want);

	self->fd = parclass_open();
	ASSERT_LE(0, self->fd);
	/* pc_ops.h's CONNECT: its token is a __u64; the rest is libparclass. */
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->token));
}

FIXTURE_TEARDOWN(cross)
{
	close(self->fd);
	ieee1284_free_ports(&self->list);
	sim_puts(self->name, "plugged", "0");
	sim_puts("", "delete", self->name);
}

static int ieee_status(struct parport *port)
{
	int caps = 0, st;

	if (ieee1284_open(port, 0, &caps) != E1284_OK)
		return -1000;
	if (ieee1284_claim(port) != E1284_OK) {
		ieee1284_close(port);
		return -1001;
	}
	st = ieee1284_read_status(port);
	ieee1284_release(port);
	ieee1284_close(port);
	return st;
}

TEST_F(cross, device_id_agrees)
{
	char ieee[512], cooked[512];
	unsigned char raw[512];
	__u32 size = 0, raw_size = 0;
	size_t idlen = strlen(printer_id);
	ssize_t n;

	n = ieee1284_get_deviceid(self->port, -1, F1284_FRESH, ieee,
				  sizeof(ieee));
	ASSERT_EQ((ssize_t)(idlen + 2), n) TH_LOG("ieee1284_get_deviceid: %zd", n);

	ASSERT_EQ(0, parclass_allocate(self->fd, self->token, 0));
	ASSERT_EQ(0, parclass_device_id(self->fd, self->token, 0, 0, cooked,
					sizeof(cooked), &size));
	ASSERT_EQ(0, parclass_device_id(self->fd, self->token,
					PARCLASS_DEVICE_ID_RAW, 0, raw,
					sizeof(raw), &raw_size));
	ASSERT_EQ(0, parclass_free(self->fd, self->token));

	/* The ID itself, then the length bytes, then the NUL. */
	EXPECT_EQ(idlen + 1, size);
	EXPECT_STREQ(printer_id, cooked);
	EXPECT_EQ(0, memcmp(ieee + 2, cooked, idlen + 1))
		TH_LOG("libieee1284 '%.*s'", (int)idlen, ieee + 2);
	EXPECT_EQ(idlen + 3, raw_size);
	EXPECT_EQ(0, memcmp(ieee, raw, 2));
	EXPECT_EQ(idlen + 2, (size_t)(((unsigned char)ieee[0] << 8) |
				      (unsigned char)ieee[1]));
	EXPECT_EQ(0, memcmp(ieee, raw, idlen + 3));
}

/* The kernel's copy, which libieee1284 reads by default, names the model. */
TEST_F(cross, kernel_copy_agrees)
{
	char ieee[1024];
	ssize_t n;

	n = ieee1284_get_deviceid(self->port, -1, 0, ieee, sizeof(ieee) - 1);
	ASSERT_LT(0, n) TH_LOG("ieee1284_get_deviceid: %zd", n);
	ieee[n < (ssize_t)sizeof(ieee) - 1 ? n + 2 : n] = '\0';
	TH_LOG("kernel's copy: '%s'", ieee + 2);
	/* The core's names for the fields: this is its copy, not a read. */
	EXPECT_NE(NULL, strstr(ieee + 2, "MODEL:Cross 1284;"));
	EXPECT_NE(NULL, strstr(ieee + 2, "MANUFACTURER:Acme;"));
}

/* Both see no ID on a peripheral that has none. */
TEST_F(cross, no_device_id_agrees)
{
	char ieee[64], cooked[64];
	ssize_t n;

	ASSERT_EQ(0, sim_puts(self->name, "device_id", ""));
	n = ieee1284_get_deviceid(self->port, -1, F1284_FRESH, ieee,
				  sizeof(ieee));
	EXPECT_GT(0, n) TH_LOG("ieee1284_get_deviceid: %zd", n);
	ASSERT_EQ(0, parclass_allocate(self->fd, self->token, 0));
	EXPECT_EQ(-ENODATA, parclass_device_id(self->fd, self->token, 0, 0,
					       cooked, sizeof(cooked), NULL));
	ASSERT_EQ(0, parclass_free(self->fd, self->token));
}

/*
 * Each fault of the model (README, "The simulated port") and healthy:
 * the register through parclass, the lines through libieee1284.
 */
TEST_F(cross, status_agrees)
{
	static const struct {
		const char *faults;
		__u8 raw;	/* the PC status register */
		__u8 lines;	/* libieee1284's S1284_* levels */
	} rows[] = {
		{ "none", 0xd8, 0x58 },
		{ "paperout", 0xf0, 0x70 },
		{ "offline", 0xc0, 0x40 },
		{ "error", 0xd0, 0x50 },
		{ "busy", 0x58, 0xd8 },
		{ "paperout offline", 0xe0, 0x60 },
	};
	__u8 status, raw;
	size_t i;
	int st;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		ASSERT_EQ(0, sim_puts(self->name, "faults", rows[i].faults));
		st = ieee_status(self->port);
		ASSERT_LE(0, st) TH_LOG("%s: ieee1284_read_status %d",
					rows[i].faults, st);
		ASSERT_EQ(0, parclass_allocate(self->fd, self->token, 0));
		ASSERT_EQ(0, parclass_query_information(self->fd, self->token,
							&status, &raw));
		ASSERT_EQ(0, parclass_free(self->fd, self->token));

		EXPECT_EQ(rows[i].raw, raw & LINES) TH_LOG("%s", rows[i].faults);
		EXPECT_EQ(rows[i].lines, st & LINES) TH_LOG("%s", rows[i].faults);
		EXPECT_EQ(st & LINES, (raw ^ S1284_INVERTED) & LINES)
			TH_LOG("%s: libieee1284 0x%02x, parclass 0x%02x",
			       rows[i].faults, st, raw);
		EXPECT_EQ(!!(status & PARCLASS_PARALLEL_PAPER_EMPTY),
			  !!(st & S1284_PERROR)) TH_LOG("%s", rows[i].faults);
		EXPECT_EQ(!!(status & PARCLASS_PARALLEL_SELECTED),
			  !!(st & S1284_SELECT)) TH_LOG("%s", rows[i].faults);
		EXPECT_EQ(!!(status & PARCLASS_PARALLEL_BUSY),
			  (st & S1284_BUSY) && (st & S1284_NFAULT))
			TH_LOG("%s", rows[i].faults);
	}
	ASSERT_EQ(0, sim_puts(self->name, "faults", "none"));
}

TEST_HARNESS_MAIN
