// SPDX-License-Identifier: GPL-2.0
/*
 * qemu_irq_test: PARCLASS_IOC_INTERRUPTS on QEMU's isa-parallel ports,
 * real parport_pc ports with an interrupt line, with the line's affinity
 * on CPU 0 (where the tests run) and on CPU 1.
 *
 * QEMU's LPT (hw/char/parallel.c) raises its interrupt when the control
 * register is written with nInit and nSelectIn set and nStrobe not, while
 * the interrupt enable bit (0x10) was set; a status read lowers it again.
 * That happens at the end of every nStrobe pulse of a compatibility-mode
 * WRITE, and when a session writes the control lines so by hand.
 *
 * Every interrupt the kernel takes on the port's line while an enabled
 * session holds the port is counted for that session: the counts read()
 * and INTERRUPTS report equal the growth of the line's row in
 * /proc/interrupts, on the CPU the affinity names and on no other, and an
 * enabled session that does not hold the port counts none. Control pulses
 * sent one at a time give one interrupt each on an edge-triggered line.
 *
 * A level-triggered line (QEMU's ACPI tables make ISA IRQ 5 one) stays
 * asserted until the status is read and interrupts again after each
 * end of interrupt; on the CPU that would read the status, the reading
 * code would hardly run again, so such a line is only moved to a CPU
 * other than the test's.
 *
 * The host compares each QEMU port's output with the data files staged
 * for it, byte for byte: the WRITE test prints the bytes of
 * /tests/data/qemu_irq_test.parportN.bin, and nothing else, to parportN,
 * and fails when no such file is staged.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/parport.h>
#include <linux/parclass.h>

#include "kselftest_harness.h"
#include "pc_ops.h"

#define MS		1000000ULL
#define IRQ_PARAM	PC_PARAM_ALLOW_IRQ
#define DATA_FMT	"/tests/data/qemu_irq_test.%s.bin"
#define MAX_CPUS	8
#define MAX_LINES	4
/* Control pulses per run. */
#define PULSES		8
/* How long one interrupt may take to be reported. */
#define WAKE_MS		2000

struct line {
	int irq;
	int num;		/* parportN */
	char name[16];
	int level;		/* level-triggered (fasteoi) */
	char affinity[64];	/* as found, to restore */
};

/*
 * The parport lines of /proc/interrupts, and with @counts (per line,
 * per CPU) their counts. Returns the lines found, or -1.
 */
static int read_lines(struct line *lines, int max,
		      unsigned long long counts[][MAX_CPUS], int *ncpu)
{
	char buf[1024], *p, *tok;
	int n = 0, cpus = 0, i;
	FILE *f = fopen("/proc/interrupts", "re");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f)) {
		fclose(f);
		return -1;
	}
	for (p = buf; (p = strstr(p, "CPU")); p += 3)
		cpus++;
	if (cpus > MAX_CPUS)
		cpus = MAX_CPUS;
	*ncpu = cpus;
	while (n < max && fgets(buf, sizeof(buf), f)) {
		unsigned long long c[MAX_CPUS];
		char *end;
		long irq;

		if (!strstr(buf, "parport"))
			continue;
		irq = strtol(buf, &end, 10);
		if (end == buf || *end != ':')
			continue;
		p = end + 1;
		for (i = 0; i < cpus; i++)
			c[i] = strtoull(p, &p, 10);
		lines[n].irq = irq;
		lines[n].level = strstr(p, "fasteoi") || strstr(p, "level");
		tok = strstr(p, "parport");
		snprintf(lines[n].name, sizeof(lines[n].name), "%.*s",
			 (int)strcspn(tok, " \t\n,"), tok);
		lines[n].num = atoi(tok + strlen("parport"));
		if (counts)
			memcpy(counts[n], c, sizeof(c));
		n++;
	}
	fclose(f);
	return n;
}

/* The interrupts taken on @irq so far, per CPU; 0 or -1. */
static int irq_counts(int irq, unsigned long long *c)
{
	struct line lines[MAX_LINES];
	unsigned long long counts[MAX_LINES][MAX_CPUS];
	int n, i, ncpu;

	n = read_lines(lines, MAX_LINES, counts, &ncpu);
	for (i = 0; i < n; i++) {
		if (lines[i].irq == irq) {
			memcpy(c, counts[i], sizeof(counts[i]));
			return 0;
		}
	}
	return -1;
}

static int set_affinity(int irq, const char *mask)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/irq/%d/smp_affinity", irq);
	return pc_file_put(path, mask);
}

/* A status read: QEMU lowers the interrupt line. */
static int read_status(int fd, __u64 token)
{
	__u32 status = 0;

	return pc_register(fd, token, PARCLASS_PIN_READ_STATUS, 0, &status);
}

/* nInit and nSelectIn set, nStrobe not: QEMU raises the line. */
static int pulse(int fd, __u64 token)
{
	__u32 control = PARPORT_CONTROL_SELECT | PARPORT_CONTROL_INIT;

	return pc_register(fd, token, PARCLASS_PIN_WRITE_CONTROL, 0, &control);
}

/* The interrupts read() reports for @token within @ms, up to @want. */
static __u64 collect(int fd, __u64 token, __u64 want, int ms)
{
	struct parclass_event ev[8];
	struct pollfd p = { .fd = fd, .events = POLLIN };
	__u64 end = now_ns() + ms * MS, total = 0, now;
	ssize_t n;
	int i;

	while (total < want && (now = now_ns()) < end) {
		if (poll(&p, 1, (end - now) / MS + 1) <= 0)
			continue;
		n = read(fd, ev, sizeof(ev));
		if (n <= 0)
			break;
		for (i = 0; i < n / (int)sizeof(ev[0]); i++)
			if (ev[i].token == token &&
			    (ev[i].events & PARCLASS_EVENT_INTERRUPT))
				total += ev[i].interrupts;
	}
	return total;
}

/* Everything counted so far, by read() and by INTERRUPTS. */
static __u64 settle(int fd, __u64 token, int ms)
{
	__u64 total = collect(fd, token, ~0ULL, ms);
	__u32 n = 0;

	if (!pc_interrupts(fd, token, 0, &n))
		total += n;
	return total;
}

static void quiet_line(const struct line *l);

FIXTURE(qemu) {
	struct line lines[MAX_LINES];
	int nlines;
	int ncpu;
	char allow[16];
};

FIXTURE_SETUP(qemu)
{
	int i;

	ASSERT_EQ(0, pc_file_get(IRQ_PARAM, self->allow, sizeof(self->allow)));
	self->nlines = read_lines(self->lines, MAX_LINES, NULL, &self->ncpu);
	ASSERT_LE(0, self->nlines);
	if (!self->nlines)
		SKIP(return, "no parallel port with an interrupt line");
	for (i = 0; i < self->nlines; i++) {
		char path[64];

		snprintf(path, sizeof(path), "/proc/irq/%d/smp_affinity",
			 self->lines[i].irq);
		if (pc_file_get(path, self->lines[i].affinity,
				sizeof(self->lines[i].affinity)))
			snprintf(self->lines[i].affinity,
				 sizeof(self->lines[i].affinity), "2");
		TH_LOG("%s: irq %d, %s-triggered, affinity %s",
		       self->lines[i].name, self->lines[i].irq,
		       self->lines[i].level ? "level" : "edge",
		       self->lines[i].affinity);
	}
	ASSERT_LE(2, self->ncpu) TH_LOG("the guest needs two CPUs");
	TH_LOG("running on CPU %d", sched_getcpu());
	ASSERT_EQ(0, pc_file_put(IRQ_PARAM, "1"));
}

FIXTURE_TEARDOWN(qemu)
{
	int i;

	for (i = 0; i < self->nlines; i++) {
		set_affinity(self->lines[i].irq, self->lines[i].affinity[0] ?
			     self->lines[i].affinity : "2");
		quiet_line(&self->lines[i]);
	}
	if (self->allow[0])
		pc_file_put(IRQ_PARAM, self->allow);
}

/* Open, connect, enable, allocate; the file or -1. */
static int take_port(struct __test_metadata *_metadata,
		     const struct line *l, __u64 *token)
{
	struct parclass_connect c = { .size = sizeof(c) };
	int fd = pc_open();
	struct parclass_allocate a = { .size = sizeof(a) };

	if (fd < 0)
		return -1;
	c.port = l->num;
	if (ioctl(fd, PARCLASS_IOC_CONNECT, &c)) {
		close(fd);
		return -1;
	}
	EXPECT_TRUE(c.info.flags & PARCLASS_PORT_HAS_IRQ);
	EXPECT_EQ(l->irq, c.info.irq);
	*token = c.token;
	if (pc_interrupts(fd, c.token, PARCLASS_INTERRUPTS_ENABLE, NULL)) {
		TH_LOG("%s: ENABLE: %s", l->name, strerror(errno));
		close(fd);
		return -1;
	}
	a.token = c.token;
	a.timeout_ns = 2000 * MS;
	if (ioctl(fd, PARCLASS_IOC_ALLOCATE, &a)) {
		TH_LOG("%s: ALLOCATE: %s", l->name, strerror(errno));
		close(fd);
		return -1;
	}
	/* Lower the line and forget what claiming the port raised. */
	read_status(fd, c.token);
	settle(fd, c.token, 100);
	return fd;
}

/*
 * Leave the line low: releasing the port turns its interrupt off with a
 * control write that makes QEMU raise the line, and only a status read
 * lowers it (a level-triggered line would keep interrupting). A session
 * without interrupts claims the port, reads the status and frees it.
 */
static void quiet_line(const struct line *l)
{
	struct parclass_connect c = { .size = sizeof(c) };
	struct parclass_allocate a = { .size = sizeof(a) };
	int fd = pc_open();

	if (fd < 0)
		return;
	c.port = l->num;
	if (!ioctl(fd, PARCLASS_IOC_CONNECT, &c)) {
		a.token = c.token;
		a.timeout_ns = 2000 * MS;
		if (!ioctl(fd, PARCLASS_IOC_ALLOCATE, &a)) {
			read_status(fd, c.token);
			pc_free(fd, c.token);
		}
	}
	close(fd);
}

/* @k control pulses, one at a time; the interrupts counted for @token. */
static __u64 pulses(int fd, __u64 token, int k)
{
	__u64 total = 0;
	int i;

	for (i = 0; i < k; i++) {
		if (pulse(fd, token) || read_status(fd, token))
			break;
		total += collect(fd, token, 1, WAKE_MS);
	}
	return total + settle(fd, token, 200);
}

/*
 * Control-line pulses, one at a time: each one interrupt, counted for
 * the session and taken on the CPU the affinity names. An enabled
 * session that does not hold the port counts none of them.
 */
static void pulses_on_cpu(struct __test_metadata *_metadata,
			  const struct line *l, int cpu, int ncpu)
{
	unsigned long long before[MAX_CPUS], after[MAX_CPUS], kernel = 0;
	char mask[8];
	__u64 token, token2, total;
	int fd, other, i;

	snprintf(mask, sizeof(mask), "%x", 1 << cpu);
	ASSERT_EQ(0, set_affinity(l->irq, mask)) TH_LOG("%s", l->name);
	fd = take_port(_metadata, l, &token);
	ASSERT_LE(0, fd);

	/* The first interrupt moves the line to its new CPU. */
	ASSERT_EQ(0, pulse(fd, token));
	ASSERT_EQ(0, read_status(fd, token));
	EXPECT_LE(1, collect(fd, token, 1, WAKE_MS))
		TH_LOG("%s: no interrupt for a control pulse", l->name);
	settle(fd, token, 100);

	ASSERT_EQ(0, irq_counts(l->irq, before));
	total = pulses(fd, token, PULSES);
	ASSERT_EQ(0, irq_counts(l->irq, after));
	for (i = 0; i < ncpu; i++) {
		kernel += after[i] - before[i];
		if (i != cpu) {
			EXPECT_EQ(0, after[i] - before[i])
				TH_LOG("%s: irq on CPU %d, affinity CPU %d",
				       l->name, i, cpu);
		}
	}
	TH_LOG("%s on CPU %d: %d pulses, %llu counted, %llu taken", l->name,
	       cpu, PULSES, (unsigned long long)total, kernel);
	/* Every interrupt the kernel took went to the holding session. */
	EXPECT_EQ(kernel, total) TH_LOG("%s", l->name);
	EXPECT_LE(PULSES, after[cpu] - before[cpu]) TH_LOG("%s", l->name);
	/* One each on an edge-triggered line. */
	EXPECT_EQ(l->level ? total : PULSES, total) TH_LOG("%s", l->name);

	/*
	 * Another enabled session takes the port: it counts, the first
	 * (which may have counted the interrupt its own release raised)
	 * does not.
	 */
	ASSERT_EQ(0, pc_free(fd, token));
	settle(fd, token, 100);
	other = take_port(_metadata, l, &token2);
	ASSERT_LE(0, other);
	ASSERT_EQ(0, irq_counts(l->irq, before));
	total = pulses(other, token2, PULSES);
	ASSERT_EQ(0, irq_counts(l->irq, after));
	kernel = 0;
	for (i = 0; i < ncpu; i++)
		kernel += after[i] - before[i];
	EXPECT_EQ(kernel, total) TH_LOG("%s, second session", l->name);
	EXPECT_LE(PULSES, total) TH_LOG("%s, second session", l->name);
	EXPECT_EQ(0, settle(fd, token, 100))
		TH_LOG("%s: a session not holding the port counted", l->name);
	ASSERT_EQ(0, pc_free(other, token2));
	close(other);
	close(fd);
	quiet_line(l);
}

TEST_F(qemu, control_pulses_are_counted_with_the_irq_on_either_cpu)
{
	static const int cpus[] = { 0, 1 };
	unsigned int c;
	int i;

	for (i = 0; i < self->nlines; i++) {
		for (c = 0; c < ARRAY_SIZE(cpus); c++) {
			if (self->lines[i].level && cpus[c] == sched_getcpu()) {
				TH_LOG("%s: level-triggered irq %d not moved to the test's CPU %d",
				       self->lines[i].name,
				       self->lines[i].irq, cpus[c]);
				continue;
			}
			pulses_on_cpu(_metadata, &self->lines[i], cpus[c],
				      self->ncpu);
		}
		ASSERT_EQ(0, set_affinity(self->lines[i].irq,
					  self->lines[i].affinity));
	}
}

/*
 * A compatibility-mode WRITE of @len bytes: the end of each nStrobe
 * pulse (and the idle control lines the transfer starts with) interrupt.
 */
static void write_on_cpu(struct __test_metadata *_metadata,
			 const struct line *l, int cpu, int ncpu,
			 const unsigned char *buf, __u32 len)
{
	unsigned long long before[MAX_CPUS], after[MAX_CPUS], kernel = 0;
	struct parclass_write w = { .size = sizeof(w) };
	char mask[8];
	__u64 token, total;
	int fd, i;

	snprintf(mask, sizeof(mask), "%x", 1 << cpu);
	ASSERT_EQ(0, set_affinity(l->irq, mask)) TH_LOG("%s", l->name);
	fd = take_port(_metadata, l, &token);
	ASSERT_LE(0, fd);
	/* Move the line with one control pulse (no byte printed). */
	ASSERT_EQ(0, pulse(fd, token));
	ASSERT_EQ(0, read_status(fd, token));
	collect(fd, token, 1, WAKE_MS);
	settle(fd, token, 100);

	ASSERT_EQ(0, irq_counts(l->irq, before));
	w.token = token;
	w.buffer = (__u64)(unsigned long)buf;
	w.length = len;
	w.timeout_ns = 2000 * MS;
	ASSERT_EQ(0, ioctl(fd, PARCLASS_IOC_WRITE, &w))
		TH_LOG("%s: WRITE: %s", l->name, strerror(errno));
	EXPECT_EQ(len, w.written);
	/* The last pulse's interrupt stays pending until a status read. */
	ASSERT_EQ(0, read_status(fd, token));
	total = collect(fd, token, len, WAKE_MS);
	total += settle(fd, token, 200);
	ASSERT_EQ(0, irq_counts(l->irq, after));
	for (i = 0; i < ncpu; i++) {
		kernel += after[i] - before[i];
		if (i != cpu) {
			EXPECT_EQ(0, after[i] - before[i])
				TH_LOG("%s: irq on CPU %d, affinity CPU %d",
				       l->name, i, cpu);
		}
	}
	TH_LOG("%s on CPU %d: %u bytes, %llu counted, %llu taken", l->name,
	       cpu, len, (unsigned long long)total, kernel);
	EXPECT_EQ(kernel, total) TH_LOG("%s", l->name);
	EXPECT_LE(1, total) TH_LOG("%s: no interrupt for %u bytes", l->name,
				   len);
	/*
	 * QEMU's IOAPIC takes every raise of an edge-triggered line as an
	 * edge: the transfer's idle control write, its data_forward() and
	 * the end of each byte's nStrobe. On the writing CPU each is taken
	 * at once; sent to another CPU, some merge while one is pending.
	 */
	EXPECT_GE(l->level ? total : len + 2ULL, total) TH_LOG("%s", l->name);
	EXPECT_LE(l->level || cpu != sched_getcpu() ? 1ULL : len, total)
		TH_LOG("%s", l->name);
	ASSERT_EQ(0, pc_free(fd, token));
	close(fd);
	quiet_line(l);
}

TEST_F(qemu, compat_write_strobes_are_counted_with_the_irq_on_either_cpu)
{
	static unsigned char buf[4096];
	int i, files = 0;

	for (i = 0; i < self->nlines; i++) {
		const struct line *l = &self->lines[i];
		char path[96];
		ssize_t len;
		__u32 half;
		int in;

		snprintf(path, sizeof(path), DATA_FMT, l->name);
		in = open(path, O_RDONLY | O_CLOEXEC);
		if (in < 0)
			continue;
		len = read(in, buf, sizeof(buf));
		close(in);
		ASSERT_LT(1, len) TH_LOG("%s", path);
		files++;
		/* Each byte exactly once, in order: half per CPU. */
		half = l->level ? 0 : len / 2;
		if (half)
			write_on_cpu(_metadata, l, 0, self->ncpu, buf, half);
		write_on_cpu(_metadata, l, 1, self->ncpu, buf + half,
			     len - half);
		ASSERT_EQ(0, set_affinity(l->irq, l->affinity));
	}
	EXPECT_LT(0, files)
		TH_LOG("no " DATA_FMT " staged for any port: the host checks %s",
		       "parportN",
		       "every byte printed to QEMU's ports, so only staged bytes are printed");
}

TEST_HARNESS_MAIN
