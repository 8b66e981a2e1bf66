// SPDX-License-Identifier: GPL-2.0
/*
 * sim_devid_test: DEVICE_ID against a simulated peripheral (parport_sim)
 * and against QEMU's LPT.
 *
 * The ID comes back exactly as the peripheral was configured: without
 * its length bytes and with a NUL (Windows PAR_QUERY_DEVICE_ID), with
 * them (RAW), as a size only (length 0), refused with ERANGE and the
 * size needed when the buffer is one byte short, from 23 bytes to the
 * 64 KiB a 16-bit length allows, and from each daisy-chain device by
 * address. A peripheral without an ID gives ENODATA, one that does not
 * speak IEEE 1284 EIO, an address without a chain device ENXIO; the port
 * is back in compatibility mode after each. The query needs the port
 * held (EPERM) and a live token (ESTALE), refuses removed ports
 * (ENODEV), bad fields (EINVAL) and bad buffers (EFAULT), keeps the
 * 40 ms hold-off between queries, and is ended at once in that hold-off,
 * and in the negotiation with a peripheral that never answers, by a
 * signal (EINTR) or DISCONNECT (ESTALE), and in the negotiation by the
 * port's removal (ENODEV), whose unplug does not wait for it. QEMU's LPT has no reverse
 * channel: EIO, and the port still answers afterwards.
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
#define HOLDOFF_PARAM	"/sys/module/parclass/parameters/device_id_holdoff_ms"

static const char printer_id[] = "MFG:Acme;MDL:Jet 1;CMD:PCL;CLS:PRINTER;";

static unsigned char buf[PARCLASS_DEVICE_ID_MAX + 16];
static char want[PARCLASS_DEVICE_ID_MAX];

static int set_holdoff(const char *ms)
{
	int fd = open(HOLDOFF_PARAM, O_WRONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = write(fd, ms, strlen(ms));
	close(fd);
	return n == (ssize_t)strlen(ms) ? 0 : -EIO;
}

/* A plausible ID of exactly @len bytes. */
static void make_id(char *id, size_t len)
{
	static const char head[] = "MFG:Sim;CLS:PRINTER;MDL:";
	size_t i;

	memcpy(id, head, sizeof(head) - 1);
	for (i = sizeof(head) - 1; i + 1 < len; i++)
		id[i] = 'A' + i % 26;
	id[len - 1] = ';';
	id[len] = '\0';
}

static int phase_is_compat(const char *sim)
{
	char phase[32];

	return !sim_state_word(sim, "phase", phase, sizeof(phase)) &&
	       !strcmp(phase, "compat");
}

FIXTURE(devid) {
	char name[32];
	int fd;
	__u64 token;
	int num;
};

FIXTURE_SETUP(devid)
{
	/* Most tests ask back to back: no hold-off unless a test sets one. */
	ASSERT_EQ(0, set_holdoff("0"));
	snprintf(self->name, sizeof(self->name), "devid%d", (int)getpid());
	self->num = sim_create(self->name, NULL, NULL);
	ASSERT_LE(2, self->num);
	ASSERT_EQ(0, sim_puts(self->name, "device_id", printer_id));
	self->fd = pc_open();
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->token));
	ASSERT_EQ(0, pc_try_allocate(self->fd, self->token));
}

FIXTURE_TEARDOWN(devid)
{
	if (self->fd >= 0)
		close(self->fd);
	sim_destroy(self->name);
	set_holdoff("40");
}

TEST_F(devid, reads_the_configured_id)
{
	__u32 size;

	memset(buf, 0xee, sizeof(buf));
	ASSERT_EQ(0, pc_device_id(self->fd, self->token, 0, 0, buf, 256,
				  &size));
	EXPECT_EQ(strlen(printer_id) + 1, size);
	EXPECT_STREQ(printer_id, (char *)buf);
	/* Nothing past the answer is written. */
	EXPECT_EQ(0xee, buf[size]);
	EXPECT_TRUE(phase_is_compat(self->name));
	/* The port still prints after it. */
	ASSERT_EQ(0, pc_write(self->fd, self->token, "abc", 3, 0, &size));
	EXPECT_EQ(3, sim_state(self->name, "forward"));
}

TEST_F(devid, raw_keeps_the_length_bytes)
{
	size_t len = strlen(printer_id);
	__u32 size;

	ASSERT_EQ(0, pc_device_id(self->fd, self->token,
				  PARCLASS_DEVICE_ID_RAW, 0, buf, 256, &size));
	EXPECT_EQ(len + 3, size);
	EXPECT_EQ((len + 2) >> 8, buf[0]);
	EXPECT_EQ((len + 2) & 0xff, buf[1]);
	EXPECT_EQ(0, memcmp(buf + 2, printer_id, len));
	EXPECT_EQ(0, buf[len + 2]);
}

TEST_F(devid, length_zero_reports_the_size_only)
{
	__u32 size, raw_size;

	ASSERT_EQ(0, pc_device_id(self->fd, self->token, 0, 0, NULL, 0,
				  &size));
	EXPECT_EQ(strlen(printer_id) + 1, size);
	ASSERT_EQ(0, pc_device_id(self->fd, self->token,
				  PARCLASS_DEVICE_ID_RAW, 0, NULL, 0,
				  &raw_size));
	EXPECT_EQ(size + 2, raw_size);
}

TEST_F(devid, short_buffer_is_erange_with_the_size_needed)
{
	__u32 need = strlen(printer_id) + 1, size;

	memset(buf, 0xee, sizeof(buf));
	EXPECT_EQ(-ERANGE, pc_device_id(self->fd, self->token, 0, 0, buf,
					need - 1, &size));
	EXPECT_EQ(need, size);
	EXPECT_EQ(0xee, buf[0]);
	EXPECT_EQ(-ERANGE, pc_device_id(self->fd, self->token,
					PARCLASS_DEVICE_ID_RAW, 0, buf, need,
					&size));
	EXPECT_EQ(need + 2, size);
	EXPECT_EQ(0xee, buf[0]);
	/* Exactly the size needed is enough. */
	ASSERT_EQ(0, pc_device_id(self->fd, self->token, 0, 0, buf, need,
				  &size));
	EXPECT_STREQ(printer_id, (char *)buf);
}

TEST_F(devid, one_kib_and_the_longest_id)
{
	static const size_t lens[] = { 23, 1022, 1024, 4096, 65533 };
	unsigned int i;
	__u32 size;

	for (i = 0; i < ARRAY_SIZE(lens); i++) {
		make_id(want, lens[i]);
		ASSERT_EQ(0, sim_put(self->name, "device_id", want, lens[i]));
		memset(buf, 0, sizeof(buf));
		ASSERT_EQ(0, pc_device_id(self->fd, self->token,
					  PARCLASS_DEVICE_ID_RAW, 0, buf,
					  PARCLASS_DEVICE_ID_MAX, &size))
			TH_LOG("%zu bytes", lens[i]);
		EXPECT_EQ(lens[i] + 3, size);
		EXPECT_EQ(lens[i] + 2, (size_t)(buf[0] << 8 | buf[1]));
		EXPECT_EQ(0, memcmp(buf + 2, want, lens[i] + 1))
			TH_LOG("%zu bytes", lens[i]);
		EXPECT_TRUE(phase_is_compat(self->name));
	}
	/* The longest answer fills PARCLASS_DEVICE_ID_MAX exactly. */
	EXPECT_EQ(PARCLASS_DEVICE_ID_MAX, size);
}

TEST_F(devid, no_id_is_enodata_and_the_port_is_back_in_compat)
{
	ASSERT_EQ(0, sim_put(self->name, "device_id", "", 0));
	EXPECT_EQ(-ENODATA, pc_device_id(self->fd, self->token, 0, 0, buf,
					 256, NULL));
	EXPECT_TRUE(phase_is_compat(self->name));
	/* Configured again, it answers again. */
	ASSERT_EQ(0, sim_puts(self->name, "device_id", printer_id));
	ASSERT_EQ(0, pc_device_id(self->fd, self->token, 0, 0, buf, 256,
				  NULL));
	EXPECT_STREQ(printer_id, (char *)buf);
}

TEST_F(devid, peripheral_without_ieee1284_is_eio)
{
	ASSERT_EQ(0, sim_puts(self->name, "modes", "none"));
	EXPECT_EQ(-EIO, pc_device_id(self->fd, self->token, 0, 0, buf, 256,
				     NULL));
	EXPECT_TRUE(phase_is_compat(self->name));
}

TEST_F(devid, refusals)
{
	__u64 dead;
	__u32 size;

	EXPECT_EQ(-EINVAL, pc_device_id(self->fd, self->token, 4, 0, buf,
					256, NULL));
	EXPECT_EQ(-EINVAL, pc_device_id(self->fd, self->token, 0x80000000, 0,
					buf, 256, NULL));
	EXPECT_EQ(-EINVAL, pc_device_id(self->fd, self->token, 0, 0, buf,
					PARCLASS_DEVICE_ID_MAX + 1, NULL));
	EXPECT_EQ(-EINVAL, pc_device_id(self->fd, self->token, 0, 1, buf,
					256, NULL));
	EXPECT_EQ(-EINVAL, pc_device_id(self->fd, self->token,
					PARCLASS_DEVICE_ID_DAISY,
					PARCLASS_DAISY_MAX, buf, 256, NULL));
	EXPECT_EQ(-EFAULT, pc_device_id(self->fd, self->token, 0, 0,
					(void *)8, 256, NULL));
	/* A refused call writes nothing back. */
	EXPECT_EQ(-EINVAL, pc_device_id(self->fd, self->token, 4, 0, buf,
					256, &size));
	EXPECT_EQ(0xdeadbeef, size);

	ASSERT_EQ(0, pc_free(self->fd, self->token));
	EXPECT_EQ(-EPERM, pc_device_id(self->fd, self->token, 0, 0, buf, 256,
				       NULL));
	ASSERT_EQ(0, pc_connect(self->fd, self->num, &dead));
	ASSERT_EQ(0, pc_disconnect(self->fd, dead));
	EXPECT_EQ(-ESTALE, pc_device_id(self->fd, dead, 0, 0, buf, 256,
					NULL));
	ASSERT_EQ(0, pc_try_allocate(self->fd, self->token));
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "0"));
	EXPECT_EQ(-ENODEV, pc_device_id(self->fd, self->token, 0, 0, buf,
					256, NULL));
}

TEST_F(devid, queries_keep_the_holdoff)
{
	__u64 t0, t1;

	ASSERT_EQ(0, set_holdoff("40"));
	/*
	 * The hold-off counts from the end of the first query's bus
	 * traffic, which lies somewhere inside the first call: from that
	 * call's start the second cannot be done within 40 ms (each query
	 * alone takes well under 1 ms here). From the first call's return,
	 * it can: by as long as that return took.
	 */
	t0 = now_ns();
	ASSERT_EQ(0, pc_device_id(self->fd, self->token, 0, 0, buf, 256,
				  NULL));
	ASSERT_EQ(0, pc_device_id(self->fd, self->token, 0, 0, buf, 256,
				  NULL));
	t1 = now_ns();
	EXPECT_LE(40 * MS, t1 - t0);
	EXPECT_STREQ(printer_id, (char *)buf);
	/* At 0 there is no wait at all. */
	ASSERT_EQ(0, set_holdoff("0"));
	t0 = now_ns();
	ASSERT_EQ(0, pc_device_id(self->fd, self->token, 0, 0, buf, 256,
				  NULL));
	EXPECT_GT(40 * MS, now_ns() - t0);
}

struct job {
	int fd;
	__u64 token;
	pthread_t th;
	int ret;
	__u64 end;
};

static void *query_thread(void *arg)
{
	struct job *j = arg;

	j->ret = pc_device_id(j->fd, j->token, 0, 0, buf, 256, NULL);
	j->end = now_ns();
	return NULL;
}

static void on_signal(int sig)
{
	(void)sig;
}

/* A query waiting in its hold-off is a transfer: it is ended at once. */
TEST_F(devid, holdoff_is_ended_by_a_signal_and_by_disconnect)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct job j = { self->fd, self->token };
	__u64 t0;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, set_holdoff("1000"));
	ASSERT_EQ(0, pc_device_id(self->fd, self->token, 0, 0, buf, 256,
				  NULL));
	ASSERT_EQ(0, pthread_create(&j.th, NULL, query_thread, &j));
	sim_sleep_ms(200);
	/* FREE is refused while it waits. */
	EXPECT_EQ(-EBUSY, pc_free(self->fd, self->token));
	t0 = now_ns();
	ASSERT_EQ(0, pthread_kill(j.th, SIGUSR1));
	ASSERT_EQ(0, pthread_join(j.th, NULL));
	EXPECT_EQ(-EINTR, j.ret);
	EXPECT_GT(100 * MS, j.end - t0);

	ASSERT_EQ(0, pthread_create(&j.th, NULL, query_thread, &j));
	sim_sleep_ms(200);
	t0 = now_ns();
	ASSERT_EQ(0, pc_disconnect(self->fd, self->token));
	ASSERT_EQ(0, pthread_join(j.th, NULL));
	EXPECT_EQ(-ESTALE, j.ret);
	EXPECT_GT(100 * MS, j.end - t0);
}

/* Set by the signal handler: read and written with __atomic builtins. */
static int got_signal;

static void note_signal(int sig)
{
	(void)sig;
	__atomic_store_n(&got_signal, 1, __ATOMIC_SEQ_CST);
}

static int signal_came(void)
{
	return __atomic_load_n(&got_signal, __ATOMIC_SEQ_CST);
}

/*
 * Queries one after the other until one fails with something but EIO,
 * or a signal came (between two queries, it ends none).
 */
static void *silent_queries(void *arg)
{
	struct job *j = arg;

	do
		j->ret = pc_device_id(j->fd, j->token, 0, 0, buf, 256, NULL);
	while (j->ret == -EIO && !signal_came());
	j->end = now_ns();
	return NULL;
}

/*
 * A peripheral that never answers the negotiation keeps every query in
 * its IEEE 1284 handshakes (35 ms a step): DISCONNECT, a signal and the
 * port's removal still end the query at once, and the unplug does not
 * wait for it.
 */
TEST_F(devid, negotiation_with_a_silent_peripheral_is_ended_at_once)
{
	struct sigaction sa = { .sa_handler = note_signal };
	struct job j = { self->fd, self->token };
	__u64 t0, t1;

	ASSERT_EQ(0, sigaction(SIGUSR1, &sa, NULL));
	ASSERT_EQ(0, sim_puts(self->name, "modes", "none"));

	__atomic_store_n(&got_signal, 0, __ATOMIC_SEQ_CST);
	ASSERT_EQ(0, pthread_create(&j.th, NULL, silent_queries, &j));
	sim_sleep_ms(150);
	t0 = now_ns();
	ASSERT_EQ(0, pthread_kill(j.th, SIGUSR1));
	ASSERT_EQ(0, pthread_join(j.th, NULL));
	/* EIO only if the signal fell between two queries. */
	EXPECT_EQ(-EINTR, j.ret == -EIO ? -EINTR : j.ret);
	EXPECT_TRUE(signal_came());
	EXPECT_GT(100 * MS, j.end - t0);
	EXPECT_TRUE(phase_is_compat(self->name));
	__atomic_store_n(&got_signal, 0, __ATOMIC_SEQ_CST);

	ASSERT_EQ(0, pthread_create(&j.th, NULL, silent_queries, &j));
	sim_sleep_ms(150);
	t0 = now_ns();
	ASSERT_EQ(0, pc_disconnect(self->fd, self->token));
	ASSERT_EQ(0, pthread_join(j.th, NULL));
	EXPECT_EQ(-ESTALE, j.ret);
	EXPECT_GT(100 * MS, j.end - t0);

	ASSERT_EQ(0, pc_connect(self->fd, self->num, &self->token));
	ASSERT_EQ(0, pc_try_allocate(self->fd, self->token));
	j.token = self->token;
	ASSERT_EQ(0, pthread_create(&j.th, NULL, silent_queries, &j));
	sim_sleep_ms(150);
	t0 = now_ns();
	ASSERT_EQ(0, sim_puts(self->name, "plugged", "0"));
	t1 = now_ns();
	ASSERT_EQ(0, pthread_join(j.th, NULL));
	EXPECT_EQ(-ENODEV, j.ret);
	EXPECT_GT(100 * MS, j.end - t0);
	EXPECT_GT(1000 * MS, t1 - t0);
}

/*
 * The struct rules of every command, for DEVICE_ID: one byte short is
 * EINVAL, a longer struct with a non-zero tail E2BIG, with a zero tail
 * accepted; refused calls write nothing back.
 */
TEST_F(devid, struct_size_rules)
{
	struct {
		struct parclass_device_id d;
		unsigned char tail[8];
	} u, valid;
	unsigned int i;

	memset(&valid, 0, sizeof(valid));
	valid.d.size = sizeof(valid.d);
	valid.d.token = self->token;
	valid.d.buffer = (__u64)(unsigned long)buf;
	valid.d.length = 256;

	u = valid;
	u.d.size = sizeof(u.d) - 1;
	EXPECT_EQ(-1, ioctl(self->fd, PARCLASS_IOC_DEVICE_ID, &u));
	EXPECT_EQ(EINVAL, errno);
	for (i = 0; i < sizeof(u.tail); i += 7) {
		u = valid;
		u.d.size = sizeof(u);
		u.tail[i] = 1;
		EXPECT_EQ(-1, ioctl(self->fd, PARCLASS_IOC_DEVICE_ID, &u));
		EXPECT_EQ(E2BIG, errno);
		EXPECT_EQ(0, u.d.id_size);
	}
	u = valid;
	u.d.size = sizeof(u);
	ASSERT_EQ(0, ioctl(self->fd, PARCLASS_IOC_DEVICE_ID, &u));
	EXPECT_EQ(strlen(printer_id) + 1, u.d.id_size);
	for (i = 0; i < sizeof(u.tail); i++)
		EXPECT_EQ(0, u.tail[i]);
}

/* Each daisy-chain device answers with its own ID, by address. */
TEST(daisy_chain_devices_answer_by_address)
{
	static const char chain[] = "MFG:Chain;MDL:Zero;CLS:SCANNER;\n"
				    "MFG:Chain;MDL:One;CLS:PRINTER;\n";
	char name[32];
	__u64 token;
	int num, fd;
	__u32 size;

	ASSERT_EQ(0, set_holdoff("0"));
	snprintf(name, sizeof(name), "daisy%d", (int)getpid());
	num = sim_create(name, "daisy", chain);
	ASSERT_LE(2, num);
	ASSERT_EQ(0, sim_puts(name, "device_id", printer_id));
	fd = pc_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pc_connect(fd, num, &token));
	ASSERT_EQ(0, pc_try_allocate(fd, token));

	ASSERT_EQ(0, pc_device_id(fd, token, PARCLASS_DEVICE_ID_DAISY, 0, buf,
				  256, &size));
	EXPECT_STREQ("MFG:Chain;MDL:Zero;CLS:SCANNER;", (char *)buf);
	EXPECT_EQ(-1, sim_state(name, "selected"));
	ASSERT_EQ(0, pc_device_id(fd, token, PARCLASS_DEVICE_ID_DAISY, 1, buf,
				  256, &size));
	EXPECT_STREQ("MFG:Chain;MDL:One;CLS:PRINTER;", (char *)buf);
	EXPECT_EQ(-1, sim_state(name, "selected"));
	/* Without the flag: the device at the end of the cable. */
	ASSERT_EQ(0, pc_device_id(fd, token, 0, 0, buf, 256, &size));
	EXPECT_STREQ(printer_id, (char *)buf);
	/* No device at address 2 of a two-device chain. */
	EXPECT_EQ(-ENXIO, pc_device_id(fd, token, PARCLASS_DEVICE_ID_DAISY, 2,
				       buf, 256, NULL));
	EXPECT_TRUE(phase_is_compat(name));
	/* And the chain still answers afterwards. */
	ASSERT_EQ(0, pc_device_id(fd, token, PARCLASS_DEVICE_ID_DAISY, 1, buf,
				  256, &size));
	EXPECT_STREQ("MFG:Chain;MDL:One;CLS:PRINTER;", (char *)buf);

	close(fd);
	sim_destroy(name);
	set_holdoff("40");
}

/* A port without a chain: ENXIO for every address. */
TEST_F(devid, no_chain_is_enxio)
{
	EXPECT_EQ(-ENXIO, pc_device_id(self->fd, self->token,
				       PARCLASS_DEVICE_ID_DAISY, 0, buf, 256,
				       NULL));
	EXPECT_TRUE(phase_is_compat(self->name));
}

/* QEMU's LPT has no reverse channel: EIO, and the port is unharmed. */
TEST(qemu_lpt_has_no_reverse_channel)
{
	struct parclass_query_information q = { .size = sizeof(q) };
	__u32 before;
	__u64 token;
	int fd = pc_open();

	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pc_connect(fd, 0, &token));
	EXPECT_EQ(-EPERM, pc_device_id(fd, token, 0, 0, buf, 256, NULL));
	ASSERT_EQ(0, pc_allocate(fd, token, 0, 2000 * MS));
	q.token = token;
	ASSERT_EQ(0, ioctl(fd, PARCLASS_IOC_QUERY_INFORMATION, &q));
	before = q.raw_status;
	EXPECT_EQ(-EIO, pc_device_id(fd, token, 0, 0, buf, 256, NULL));
	EXPECT_EQ(-EIO, pc_device_id(fd, token, PARCLASS_DEVICE_ID_RAW, 0,
				     NULL, 0, NULL));
	ASSERT_EQ(0, ioctl(fd, PARCLASS_IOC_QUERY_INFORMATION, &q));
	EXPECT_EQ(before, q.raw_status);
	/* Back in compatibility mode: nSelectIn low, nInit high, nAutoFd high. */
	EXPECT_EQ(0x0c, q.raw_control & PARCLASS_PIN_CONTROL_LINES);
	ASSERT_EQ(0, pc_free(fd, token));
	close(fd);
}

TEST_HARNESS_MAIN
