// SPDX-License-Identifier: GPL-2.0
/*
 * parclassctl: see the ports, who holds them and who waits, read the
 * peripheral's status and device ID, negotiate IEEE 1284 modes, read
 * from the peripheral and print to it, through /dev/parclass. See
 * parclassctl(1).
 */
#define _GNU_SOURCE		/* fopencookie() */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <parclass/libparclass.h>

#include "args.h"

#define PCCTL_VERSION "0.2.0"

static const char pcctl_usage[] =
"usage: parclassctl COMMAND [ARGS] [OPTIONS]\n"
"\n"
"Commands:\n"
"  list                   the ports, their modes, who holds each, who waits\n"
"  info PORT              everything CONNECT reports about PORT\n"
"  status PORT            who holds PORT, how many wait, whether it is free,\n"
"                         and the peripheral's status (PORT held meanwhile)\n"
"  device-id PORT         the peripheral's IEEE 1284 device ID (PORT held\n"
"                         meanwhile)\n"
"  negotiate PORT MODE    negotiate MODE (nibble, byte, ecp, epp, or several\n"
"                         joined by commas: the fastest is taken) and show\n"
"                         the modes reached and every mode the peripheral\n"
"                         accepts (PORT held meanwhile; the mode ends when\n"
"                         parclassctl lets PORT go)\n"
"  read PORT              read what the peripheral sends, to standard output\n"
"                         (PORT held meanwhile)\n"
"  print PORT FILE|-      send FILE (or standard input) to PORT's printer\n"
"  hold PORT --for SECS   hold PORT for SECS seconds, then free it\n"
"  wait-irq PORT          hold PORT and count its interrupts until --count\n"
"                         came (default 1), then print the count (needs the\n"
"                         module parameter allow_interrupts)\n"
"  version                parclassctl's and the module's versions\n"
"\n"
"PORT is a parport number (0), its name (parport0) or its location (LPT1);\n"
"LPT1.2 (or parport0.2, 0.2) is its IEEE 1284.3 daisy-chain device 2.\n"
"\n"
"Options:\n"
"  --json                 machine-readable output (list, info, status,\n"
"                         device-id, negotiate, wait-irq, version)\n"
"  --timeout SECS         give up if PORT stays busy this long, 0: at once\n"
"                         (status, device-id, negotiate, read: default\n"
"                         0.5 s; print, hold: default: wait for as long as\n"
"                         it takes); wait-irq: give up when the port and\n"
"                         the interrupts took this long in all (default:\n"
"                         wait for as long as it takes)\n"
"  --raw                  device-id: the bytes as sent, with the two length\n"
"                         bytes, unchanged\n"
"  --daisy N              device-id: ask IEEE 1284.3 daisy-chain device N\n"
"                         (0 to 3)\n"
"  --mode MODE            read: in nibble (the default), byte, ecp or epp\n"
"                         mode; print: in ecp or epp mode (default:\n"
"                         compatibility mode)\n"
"  --count N              read: at most N bytes (default: until the\n"
"                         peripheral has no more, at most 16 MiB);\n"
"                         wait-irq: wait for N interrupts (default 1)\n"
"  -h, --help             this text\n"
"\n"
"Exit codes:\n"
"  0  success\n"
"  1  any other failure\n"
"  2  bad command line\n"
"  3  no such port, or the parclass module is not loaded\n"
"  4  the port stayed busy until --timeout (status: no peripheral status)\n"
"  5  interrupted by SIGINT or SIGTERM (the port freed); a stop and\n"
"     continue is not an interruption\n"
"  6  the printer stopped accepting data (read: the peripheral stopped\n"
"     within a byte, or stopped answering the mode)\n"
"  7  no permission to open /dev/parclass\n"
"  8  device-id: the peripheral gave no device ID (it has none, does not\n"
"     speak IEEE 1284, or no daisy-chain device has that address)\n"
"  9  negotiate, read, print --mode: the peripheral does not speak the\n"
"     mode (it refused it, does not speak IEEE 1284, or the port has no\n"
"     reverse channel)\n"
" 10  wait-irq: interrupts are not allowed (the parclass module parameter\n"
"     allow_interrupts is off)\n"
" 11  wait-irq: --timeout passed before --count interrupts came (the count\n"
"     is printed still)\n";

static const char *pcctl_prog = "parclassctl";

/*
 * Signals. The kernel ends a blocking request with a plain EINTR when any
 * signal arrives, a stop (Ctrl-Z, a debugger attaching) included, and
 * does not restart it. SIGINT and SIGTERM set pcctl_stop, and only then
 * does a request's EINTR end the command (exit 5, the port freed and the
 * session ended on the way out); any other EINTR is retried, from where
 * the request got to.
 */
static volatile sig_atomic_t pcctl_stop;

static void pcctl_on_stop(int sig)
{
	int saved = errno;

	pcctl_stop = sig;
	/*
	 * A signal that came after the last look at pcctl_stop but before a
	 * blocking call began would not end that call: the alarm does.
	 */
	alarm(1);
	errno = saved;
}

static void pcctl_on_alarm(int sig)
{
	(void)sig;
}

/* No SA_RESTART: a signal ends a blocking read() or write() too. */
static void pcctl_signals(void)
{
	static const int stops[] = { SIGINT, SIGTERM };
	struct sigaction sa, old;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = pcctl_on_alarm;
	sigaction(SIGALRM, &sa, NULL);
	sa.sa_handler = pcctl_on_stop;
	for (i = 0; i < sizeof(stops) / sizeof(stops[0]); i++) {
		/* A signal ignored from the start (nohup, "&") stays so. */
		if (!sigaction(stops[i], NULL, &old) &&
		    old.sa_handler == SIG_IGN)
			continue;
		sigaction(stops[i], &sa, NULL);
	}
}

/*
 * Standard output goes through pcctl_out, whose writes keep the errno
 * of the first one that fails for the final message, and retry when a
 * signal other than SIGINT or SIGTERM cut them short.
 */
static FILE *pcctl_out;
static int pcctl_out_errno;

static ssize_t pcctl_out_write(void *cookie, const char *buf, size_t len)
{
	size_t done = 0;
	ssize_t n;

	(void)cookie;
	while (done < len) {
		n = write(STDOUT_FILENO, buf + done, len - done);
		if (n < 0 && errno == EINTR && !pcctl_stop)
			continue;
		if (n <= 0) {
			if (!pcctl_out_errno)
				pcctl_out_errno = n < 0 ? errno : EIO;
			break;
		}
		done += n;
	}
	/* Short: the stream's error flag is set. */
	return done;
}

static int pcctl_out_open(void)
{
	static const cookie_io_functions_t io = { .write = pcctl_out_write };

	pcctl_out = fopencookie(NULL, "w", io);
	if (!pcctl_out)
		return -1;
	/* On a terminal, each line as it comes, as stdout would. */
	if (isatty(STDOUT_FILENO))
		setvbuf(pcctl_out, NULL, _IOLBF, 0);
	return 0;
}

/* Flush and close standard output: 0, or the first failure's errno. */
static int pcctl_out_close(void)
{
	bool bad = ferror(pcctl_out);

	if (fclose(pcctl_out))
		bad = true;
	if (!bad)
		return 0;
	return pcctl_out_errno ? pcctl_out_errno : EIO;
}

__attribute__((format(printf, 1, 2)))
static int pcctl_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vfprintf(pcctl_out, fmt, ap);
	va_end(ap);
	return n;
}

static void pcctl_putc(int c)
{
	putc(c, pcctl_out);
}

/* The monotonic clock, in nanoseconds. */
static uint64_t pcctl_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static int pcctl_exit_code(int err)
{
	switch (-err) {
	case ENODEV:
	case ENOENT:
	case ENXIO:
		return PCCTL_NO_PORT;
	case ETIMEDOUT:
	case EAGAIN:
	case EBUSY:
		return PCCTL_BUSY;
	case EINTR:
		return PCCTL_INTERRUPTED;
	case EIO:
		return PCCTL_IO;
	case EACCES:
	case EPERM:
		return PCCTL_DENIED;
	}
	return PCCTL_FAILED;
}

static int pcctl_open(void)
{
	int fd = parclass_open();

	if (fd == -ENOENT || fd == -ENXIO || fd == -ENODEV)
		fprintf(stderr, "%s: /dev/parclass not found: is the parclass module loaded?\n",
			pcctl_prog);
	else if (fd == -EACCES || fd == -EPERM)
		fprintf(stderr, "%s: no permission to open /dev/parclass (it is mode 0600: run as root)\n",
			pcctl_prog);
	else if (fd < 0)
		fprintf(stderr, "%s: cannot open /dev/parclass: %s\n",
			pcctl_prog, strerror(-fd));
	return fd;
}

/* JSON string, escaped. */
static void pcctl_json_str(const char *s)
{
	pcctl_json_bytes(pcctl_out, s, strlen(s));
}

static void pcctl_modes(uint32_t modes, char *buf, size_t len)
{
	static const char *const names[] = {
		"PCSPP", "TRISTATE", "EPP", "ECP", "COMPAT", "DMA", "SAFEININT",
	};
	size_t i, n = 0;

	buf[0] = 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (modes & (1U << i))
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? "," : "", names[i]);
}

static void pcctl_caps(uint32_t caps, char *buf, size_t len)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ PARCLASS_HW_ECP_PRESENT, "ECP" },
		{ PARCLASS_HW_EPP_PRESENT, "EPP" },
		{ PARCLASS_HW_EPP_32_PRESENT, "EPP32" },
		{ PARCLASS_HW_BYTE_PRESENT, "BYTE" },
		{ PARCLASS_HW_1284_3_PRESENT, "1284.3" },
	};
	size_t i, n = 0;

	buf[0] = 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (caps & names[i].bit)
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? "," : "", names[i].name);
	if (!n)
		snprintf(buf, len, "none");
}

static void pcctl_holder_text(const struct parclass_port_entry *e, char *buf,
			      size_t len)
{
	switch (e->holder) {
	case PARCLASS_HOLDER_NONE:
		snprintf(buf, len, "-");
		break;
	case PARCLASS_HOLDER_SESSION:
		snprintf(buf, len, "pid %u (%s)", e->holder_pid, e->holder_comm);
		break;
	default:
		snprintf(buf, len, "%s", e->holder_name);
		break;
	}
}

static void pcctl_json_info(const struct parclass_port_info *i)
{
	char modes[96], caps[64];

	pcctl_modes(i->modes, modes, sizeof(modes));
	pcctl_caps(i->hw_caps, caps, sizeof(caps));
	pcctl_printf("\"number\":%u,\"name\":", i->number);
	pcctl_json_str(i->name);
	pcctl_printf(",\"location\":");
	pcctl_json_str(i->location);
	if (i->flags & PARCLASS_PORT_BASE_IO)
		pcctl_printf(",\"base\":%" PRIu64, (uint64_t)i->base);
	else
		pcctl_printf(",\"base\":null");
	pcctl_printf(",\"base_hi\":");
	if (i->flags & PARCLASS_PORT_HAS_ECR)
		pcctl_printf("%" PRIu64, (uint64_t)i->base_hi);
	else
		pcctl_printf("null");
	pcctl_printf(",\"span\":%u,\"irq\":", i->span);
	if (i->flags & PARCLASS_PORT_HAS_IRQ)
		pcctl_printf("%u", i->irq);
	else
		pcctl_printf("null");
	pcctl_printf(",\"dma\":");
	if (i->flags & PARCLASS_PORT_HAS_DMA)
		pcctl_printf("%u", i->dma);
	else
		pcctl_printf("null");
	pcctl_printf(",\"modes\":%u,\"modes_text\":", i->modes);
	pcctl_json_str(modes);
	pcctl_printf(",\"hw_caps\":%u,\"hw_caps_text\":", i->hw_caps);
	pcctl_json_str(caps);
	pcctl_printf(",\"fifo_depth\":%u,\"fifo_width\":%u", i->fifo_depth,
		     i->fifo_width);
	pcctl_printf(",\"daisy_count\":%u,\"daisy\":", i->daisy_count);
	if (i->flags & PARCLASS_PORT_DAISY_DEVICE)
		pcctl_printf("%u", i->daisy);
	else
		pcctl_printf("null");
}

static void pcctl_json_holder(const struct parclass_port_entry *e)
{
	pcctl_printf("\"holder\":");
	pcctl_json_str(parclass_holder_name(e->holder));
	pcctl_printf(",\"holder_pid\":");
	if (e->holder == PARCLASS_HOLDER_SESSION)
		pcctl_printf("%u", e->holder_pid);
	else
		pcctl_printf("null");
	pcctl_printf(",\"holder_comm\":");
	pcctl_json_str(e->holder_comm);
	pcctl_printf(",\"holder_name\":");
	pcctl_json_str(e->holder_name);
	pcctl_printf(",\"sessions\":%u,\"waiters\":%u,\"other_waiters\":%u",
		     e->sessions, e->waiters, e->other_waiters);
}

static int pcctl_find(int fd, uint32_t port, struct parclass_port_entry *out)
{
	struct parclass_port_entry *e;
	uint32_t n, i;
	int ret = parclass_list_ports(fd, &e, &n);

	if (ret)
		return ret;
	ret = -ENODEV;
	for (i = 0; i < n; i++) {
		if (e[i].info.number == port) {
			*out = e[i];
			ret = 0;
		}
	}
	free(e);
	return ret;
}

static int pcctl_no_port(uint32_t port)
{
	fprintf(stderr, "%s: parport%u does not exist (see 'parclassctl list')\n",
		pcctl_prog, port);
	return PCCTL_NO_PORT;
}

/*
 * Connect to PORT, or to its daisy-chain device (LPT1.2); a failure is
 * explained. Return: 0, or an exit code.
 */
static int pcctl_connect(int fd, const struct pcctl_args *a, uint64_t *token,
			 struct parclass_port_info *info)
{
	int ret;

	if (a->on_daisy)
		ret = parclass_connect_daisy(fd, a->port, a->port_daisy, token,
					     info);
	else
		ret = parclass_connect(fd, a->port, token, info);
	if (!ret)
		return PCCTL_OK;
	if (ret == -ENODEV)
		return pcctl_no_port(a->port);
	if (a->on_daisy && ret == -EINVAL) {
		fprintf(stderr, "%s: parport%u has no daisy-chain device %u (see 'parclassctl list')\n",
			pcctl_prog, a->port, a->port_daisy);
		return PCCTL_NO_PORT;
	}
	fprintf(stderr, "%s: cannot connect to parport%u%s: %s\n", pcctl_prog,
		a->port, a->on_daisy ? " (daisy chain)" : "", strerror(-ret));
	return pcctl_exit_code(ret);
}

/* PORT's name as parclassctl writes it: "parport0", "parport0.2". */
static void pcctl_entry_name(const struct parclass_port_info *p, char *buf,
			     size_t len)
{
	if (p->flags & PARCLASS_PORT_DAISY_DEVICE)
		snprintf(buf, len, "%s.%u", p->name, p->daisy);
	else
		snprintf(buf, len, "%s", p->name);
}

static int pcctl_list(int fd, const struct pcctl_args *a)
{
	struct parclass_port_entry *e;
	uint32_t n, i;
	int ret;

	/* The daisy-chain devices too, if the module knows them. */
	ret = parclass_list_ports_flags(fd, PARCLASS_LIST_PORTS_DAISY, &e, &n);
	if (ret == -EINVAL)
		ret = parclass_list_ports(fd, &e, &n);

	if (ret) {
		fprintf(stderr, "%s: cannot list ports: %s\n", pcctl_prog,
			strerror(-ret));
		return pcctl_exit_code(ret);
	}
	if (a->json) {
		pcctl_printf("{\"ports\":[");
		for (i = 0; i < n; i++) {
			pcctl_printf("%s{", i ? "," : "");
			pcctl_json_info(&e[i].info);
			pcctl_putc(',');
			pcctl_json_holder(&e[i]);
			pcctl_putc('}');
		}
		pcctl_printf("]}\n");
	} else {
		pcctl_printf("%-11s %-7s %-6s %-4s %-24s %-8s %-22s %s\n",
			     "PORT", "LPT", "BASE", "IRQ", "MODES", "CAPS",
			     "HELD BY", "WAITING");
		for (i = 0; i < n; i++) {
			const struct parclass_port_info *p = &e[i].info;
			char modes[96], caps[64], holder[64], irq[12], name[48];
			char base[24];

			pcctl_entry_name(p, name, sizeof(name));
			pcctl_modes(p->modes, modes, sizeof(modes));
			pcctl_caps(p->hw_caps, caps, sizeof(caps));
			pcctl_holder_text(&e[i], holder, sizeof(holder));
			if (p->flags & PARCLASS_PORT_HAS_IRQ)
				snprintf(irq, sizeof(irq), "%u", p->irq);
			else
				snprintf(irq, sizeof(irq), "-");
			if (p->flags & PARCLASS_PORT_BASE_IO)
				snprintf(base, sizeof(base), "0x%" PRIx64,
					 (uint64_t)p->base);
			else
				snprintf(base, sizeof(base), "-");
			pcctl_printf("%-11s %-7s %-6s %-4s %-24s %-8s %-22s %u\n",
				     name, p->location, base,
				     irq, modes, caps, holder,
				     e[i].waiters + e[i].other_waiters);
		}
		if (!n)
			pcctl_printf("(no parallel ports)\n");
	}
	free(e);
	return PCCTL_OK;
}

static int pcctl_info(int fd, const struct pcctl_args *a)
{
	struct parclass_port_info i;
	char modes[96], caps[64];
	uint64_t token;
	int ret;

	ret = pcctl_connect(fd, a, &token, &i);
	if (ret)
		return ret;
	parclass_disconnect(fd, token);
	if (a->json) {
		pcctl_putc('{');
		pcctl_json_info(&i);
		pcctl_printf("}\n");
		return PCCTL_OK;
	}
	pcctl_modes(i.modes, modes, sizeof(modes));
	pcctl_caps(i.hw_caps, caps, sizeof(caps));
	pcctl_printf("port:         %s (%s)\n", i.name, i.location);
	if (i.flags & PARCLASS_PORT_BASE_IO)
		pcctl_printf("base:         0x%" PRIx64 " (span %u)\n",
			     (uint64_t)i.base, i.span);
	else
		pcctl_printf("base:         none (no I/O ports)\n");
	if (i.flags & PARCLASS_PORT_HAS_ECR)
		pcctl_printf("ecr base:     0x%" PRIx64 "\n",
			     (uint64_t)i.base_hi);
	else
		pcctl_printf("ecr base:     none\n");
	if (i.flags & PARCLASS_PORT_HAS_IRQ)
		pcctl_printf("irq:          %u\n", i.irq);
	else
		pcctl_printf("irq:          none\n");
	if (i.flags & PARCLASS_PORT_HAS_DMA)
		pcctl_printf("dma:          %u\n", i.dma);
	else
		pcctl_printf("dma:          none\n");
	pcctl_printf("linux modes:  %s (0x%x)\n", modes, i.modes);
	pcctl_printf("windows caps: %s (0x%x)\n", caps, i.hw_caps);
	pcctl_printf("fifo:         depth %u, width %u\n", i.fifo_depth,
		     i.fifo_width);
	pcctl_printf("daisy chain:  %u device(s)\n", i.daisy_count);
	if (i.flags & PARCLASS_PORT_DAISY_DEVICE)
		pcctl_printf("chain device: %u\n", i.daisy);
	return PCCTL_OK;
}

static double pcctl_seconds(uint64_t ns)
{
	return ns / 1e9;
}

/* Explain a failed ALLOCATE in words, naming who holds the port. */
static int pcctl_busy(int fd, const struct pcctl_args *a, int err)
{
	struct parclass_port_entry e;
	char who[96] = "another client";

	if (!pcctl_find(fd, a->port, &e)) {
		if (e.holder == PARCLASS_HOLDER_SESSION)
			snprintf(who, sizeof(who), "parclass client pid %u (%s)",
				 e.holder_pid, e.holder_comm);
		else if (e.holder == PARCLASS_HOLDER_OTHER)
			snprintf(who, sizeof(who), "%s", e.holder_name);
	}
	if (err == -ETIMEDOUT)
		fprintf(stderr, "%s: parport%u is busy: held by %s; gave up after %.1f s\n",
			pcctl_prog, a->port, who, pcctl_seconds(a->timeout_ns));
	else if (err == -EINTR)
		fprintf(stderr, "%s: interrupted while waiting for parport%u (held by %s)\n",
			pcctl_prog, a->port, who);
	else if (err == -ENODEV)
		fprintf(stderr, "%s: parport%u went away\n", pcctl_prog,
			a->port);
	else
		fprintf(stderr, "%s: cannot get parport%u: %s\n", pcctl_prog,
			a->port, strerror(-err));
	return pcctl_exit_code(err);
}

/*
 * ALLOCATE, waiting at most --timeout (without it, for as long as it
 * takes). A stop and continue ends the kernel's wait with EINTR: the
 * wait goes on for what is left of the timeout, by the monotonic clock.
 * Return: 0, or -errno (-ETIMEDOUT when the port stayed busy, -EINTR
 * only after SIGINT or SIGTERM).
 */
static int pcctl_allocate(int fd, const struct pcctl_args *a, uint64_t token)
{
	bool timed = a->has_timeout;
	uint64_t left = timed ? a->timeout_ns : 0, end = pcctl_now() + left;
	int ret;

	for (;;) {
		if (pcctl_stop)
			return -EINTR;
		/* 0 means "for ever" to the kernel: try once instead. */
		if (timed && !left)
			ret = parclass_try_allocate(fd, token);
		else
			ret = parclass_allocate(fd, token, left);
		if (ret != -EINTR || pcctl_stop)
			break;
		if (timed) {
			uint64_t now = pcctl_now();

			left = now < end ? end - now : 0;
		}
	}
	return ret == -EAGAIN ? -ETIMEDOUT : ret;
}

/*
 * Connect and allocate, honouring --timeout. A failed ALLOCATE is
 * explained at once; with @alloc_err, its -errno is left there for the
 * caller to explain later (with pcctl_busy()). Either way the session is
 * gone then.
 */
static int pcctl_take(int fd, const struct pcctl_args *a, uint64_t *token,
		      int *alloc_err)
{
	int ret = pcctl_connect(fd, a, token, NULL);

	if (ret)
		return ret;
	ret = pcctl_allocate(fd, a, *token);
	if (ret && alloc_err) {
		parclass_disconnect(fd, *token);
		*alloc_err = ret;
		return pcctl_exit_code(ret);
	}
	if (ret) {
		int code = pcctl_busy(fd, a, ret);

		parclass_disconnect(fd, *token);
		return code;
	}
	return PCCTL_OK;
}

/* Windows' status byte, bit by bit, in the order of the bits. */
static const struct {
	uint32_t bit;
	const char *name;
} pcctl_status_names[] = {
	{ PARCLASS_PARALLEL_PAPER_EMPTY, "PAPER_EMPTY" },
	{ PARCLASS_PARALLEL_OFF_LINE, "OFF_LINE" },
	{ PARCLASS_PARALLEL_POWER_OFF, "POWER_OFF" },
	{ PARCLASS_PARALLEL_NOT_CONNECTED, "NOT_CONNECTED" },
	{ PARCLASS_PARALLEL_BUSY, "BUSY" },
	{ PARCLASS_PARALLEL_SELECTED, "SELECTED" },
};

/*
 * The status register's lines (PARPORT_STATUS_* bits): the register bit,
 * and whether the bit is set while the line is low (Busy's is).
 */
static const struct {
	uint8_t bit;
	bool inverted;
	const char *name;
} pcctl_lines[] = {
	{ 0x80, true, "Busy" },
	{ 0x40, false, "nAck" },
	{ 0x20, false, "PError" },
	{ 0x10, false, "Select" },
	{ 0x08, false, "nFault" },
};

#define PCCTL_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

static bool pcctl_line_high(uint8_t raw, size_t i)
{
	return !(raw & pcctl_lines[i].bit) == pcctl_lines[i].inverted;
}

/* "PAPER_EMPTY,SELECTED", "none", plus any bit without a name in hex. */
static void pcctl_status_text(uint8_t status, char *buf, size_t len)
{
	uint32_t rest = status;
	size_t i, n = 0;

	buf[0] = 0;
	for (i = 0; i < PCCTL_ARRAY_SIZE(pcctl_status_names); i++) {
		if (!(status & pcctl_status_names[i].bit))
			continue;
		n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
			      n ? "," : "", pcctl_status_names[i].name);
		rest &= ~pcctl_status_names[i].bit;
	}
	if (rest)
		n += snprintf(buf + n, n < len ? len - n : 0, "%s0x%02x",
			      n ? "," : "", rest);
	if (!n)
		snprintf(buf, len, "none");
}

static void pcctl_json_status(uint8_t status, uint8_t raw)
{
	size_t i, n = 0;

	pcctl_printf("\"status\":%u,\"status_flags\":[", status);
	for (i = 0; i < PCCTL_ARRAY_SIZE(pcctl_status_names); i++) {
		if (status & pcctl_status_names[i].bit)
			pcctl_printf("%s\"%s\"", n++ ? "," : "",
				     pcctl_status_names[i].name);
	}
	pcctl_printf("],\"raw_status\":%u,\"lines\":{", raw);
	for (i = 0; i < PCCTL_ARRAY_SIZE(pcctl_lines); i++)
		pcctl_printf("%s\"%s\":%d", i ? "," : "", pcctl_lines[i].name,
			     pcctl_line_high(raw, i));
	pcctl_printf("}");
}

/*
 * Free as IS_PORT_FREE means it: nobody holds the port and no parclass
 * client waits for it, so that a try-allocate would get it.
 */
static bool pcctl_is_free(const struct parclass_port_entry *e)
{
	return e->holder == PARCLASS_HOLDER_NONE && !e->waiters;
}

/* status and device-id wait 0.5 s for the port unless told otherwise. */
static void pcctl_query_args(const struct pcctl_args *a, struct pcctl_args *b)
{
	*b = *a;
	if (!b->has_timeout) {
		b->has_timeout = true;
		b->timeout_ns = PCCTL_QUERY_TIMEOUT_NS;
	}
}

static const char *pcctl_unavailable_word(int code)
{
	switch (code) {
	case PCCTL_BUSY:
		return "busy";
	case PCCTL_INTERRUPTED:
		return "interrupted";
	case PCCTL_NO_PORT:
		return "removed";
	}
	return "failed";
}

/*
 * The port's holder and waiters, and the peripheral's status, read with
 * the port allocated around QUERY_INFORMATION as Windows does for a
 * user-mode request. A port that stays busy past the timeout gives the
 * holder and waiters still, and exit code 4.
 */
static int pcctl_status(int fd, const struct pcctl_args *a)
{
	struct parclass_port_entry e;
	struct pcctl_args b;
	uint8_t status = 0, raw = 0;
	char holder[64], flags[96];
	uint64_t token;
	int code, aerr = 0, ret = pcctl_find(fd, a->port, &e);

	if (ret == -ENODEV)
		return pcctl_no_port(a->port);
	if (ret) {
		fprintf(stderr, "%s: cannot read parport%u: %s\n", pcctl_prog,
			a->port, strerror(-ret));
		return pcctl_exit_code(ret);
	}
	pcctl_query_args(a, &b);
	code = pcctl_take(fd, &b, &token, &aerr);
	if (code == PCCTL_NO_PORT && !aerr)
		return code;
	if (aerr == -ENODEV)
		return pcctl_busy(fd, &b, aerr);
	if (code == PCCTL_BUSY)
		pcctl_find(fd, a->port, &e);	/* who holds it now */
	if (!code) {
		do
			ret = parclass_query_information(fd, token, &status,
							 &raw);
		while (ret == -EINTR && !pcctl_stop);
		parclass_free(fd, token);
		parclass_disconnect(fd, token);
		if (ret == -ENOTTY) {
			fprintf(stderr, "%s: the parclass module cannot read the peripheral's status (no QUERY_INFORMATION)\n",
				pcctl_prog);
			code = PCCTL_FAILED;
		} else if (ret) {
			fprintf(stderr, "%s: cannot read the peripheral's status on parport%u: %s\n",
				pcctl_prog, a->port, strerror(-ret));
			code = ret == -EPERM ? PCCTL_FAILED :
			       pcctl_exit_code(ret);
		}
	}
	if (a->json) {
		pcctl_printf("{\"number\":%u,\"name\":", e.info.number);
		pcctl_json_str(e.info.name);
		pcctl_printf(",\"free\":%s,",
			     pcctl_is_free(&e) ? "true" : "false");
		pcctl_json_holder(&e);
		pcctl_putc(',');
		if (code) {
			pcctl_printf("\"status\":null,\"status_flags\":null,\"raw_status\":null,\"lines\":null,\"status_unavailable\":\"%s\"}\n",
				     pcctl_unavailable_word(code));
		} else {
			pcctl_json_status(status, raw);
			pcctl_printf(",\"status_unavailable\":null}\n");
		}
		goto out;
	}
	pcctl_holder_text(&e, holder, sizeof(holder));
	pcctl_printf("%s (%s): %s\n", e.info.name, e.info.location,
		     pcctl_is_free(&e) ? "free" : "busy");
	pcctl_printf("held by:   %s\n", holder);
	pcctl_printf("waiting:   %u parclass client(s), %u other device(s)\n",
		     e.waiters, e.other_waiters);
	pcctl_printf("sessions:  %u\n", e.sessions);
	if (aerr == -ETIMEDOUT) {
		pcctl_printf("status:    unavailable: the port is busy (gave up after %.1f s)\n",
			     pcctl_seconds(b.timeout_ns));
	} else if (code == PCCTL_BUSY) {
		pcctl_printf("status:    unavailable: the port is busy\n");
	} else if (code) {
		pcctl_printf("status:    unavailable\n");
	} else {
		size_t i;

		pcctl_status_text(status, flags, sizeof(flags));
		pcctl_printf("status:    0x%02x %s\n", status, flags);
		pcctl_printf("register:  0x%02x:", raw);
		for (i = 0; i < PCCTL_ARRAY_SIZE(pcctl_lines); i++)
			pcctl_printf("%s %s %s", i ? "," : "",
				     pcctl_lines[i].name,
				     pcctl_line_high(raw, i) ? "high" : "low");
		pcctl_putc('\n');
	}
out:
	/* Why the port could not be had, after what was printed. */
	if (aerr) {
		fflush(pcctl_out);
		pcctl_busy(fd, &b, aerr);
	}
	return code;
}

struct pcctl_id_entry {
	struct pcctl_id_field f;
	size_t index;
	bool dup;
};

static int pcctl_id_entry_cmp(const void *pa, const void *pb)
{
	const struct pcctl_id_entry *x = pa, *y = pb;
	size_t n = x->f.key_len < y->f.key_len ? x->f.key_len : y->f.key_len;
	int c = memcmp(x->f.key, y->f.key, n);

	if (c)
		return c;
	if (x->f.key_len != y->f.key_len)
		return x->f.key_len < y->f.key_len ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int pcctl_id_index_cmp(const void *pa, const void *pb)
{
	const struct pcctl_id_entry *x = pa, *y = pb;

	return x->index < y->index ? -1 : x->index > y->index;
}

/*
 * The fields of a device ID as a JSON object, in the ID's order; a key
 * that comes again keeps its first value.
 */
static int pcctl_json_id_fields(const char *id, size_t len)
{
	struct pcctl_id_entry *e;
	struct pcctl_id_field f;
	size_t pos = 0, n = 0, i;

	/* Each field takes at least two bytes ("k:"), the last maybe one. */
	e = calloc(len / 2 + 1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	while (pcctl_id_next_field(id, len, &pos, &f)) {
		e[n].f = f;
		e[n].index = n;
		n++;
	}
	qsort(e, n, sizeof(*e), pcctl_id_entry_cmp);
	for (i = 1; i < n; i++)
		e[i].dup = e[i].f.key_len == e[i - 1].f.key_len &&
			   !memcmp(e[i].f.key, e[i - 1].f.key, e[i].f.key_len);
	qsort(e, n, sizeof(*e), pcctl_id_index_cmp);
	pcctl_putc('{');
	for (i = 0, pos = 0; i < n; i++) {
		if (e[i].dup)
			continue;
		if (pos++)
			pcctl_putc(',');
		pcctl_json_bytes(pcctl_out, e[i].f.key, e[i].f.key_len);
		pcctl_putc(':');
		pcctl_json_bytes(pcctl_out, e[i].f.value, e[i].f.value_len);
	}
	pcctl_putc('}');
	free(e);
	return 0;
}

/*
 * The peripheral's IEEE 1284 device ID, read with the port allocated
 * around the query: the string and a newline, the raw bytes with
 * --raw, or JSON with the fields.
 */
static int pcctl_device_id(int fd, const struct pcctl_args *a)
{
	static char buf[PARCLASS_DEVICE_ID_MAX];
	uint32_t flags = 0, size = 0;
	struct pcctl_args b;
	uint64_t token;
	size_t len;
	int code, ret;

	if (a->raw)
		flags |= PARCLASS_DEVICE_ID_RAW;
	if (a->has_daisy)
		flags |= PARCLASS_DEVICE_ID_DAISY;
	pcctl_query_args(a, &b);
	code = pcctl_take(fd, &b, &token, NULL);
	if (code)
		return code;
	do
		ret = parclass_device_id(fd, token, flags, a->daisy, buf,
					 sizeof(buf), &size);
	while (ret == -EINTR && !pcctl_stop);
	parclass_free(fd, token);
	parclass_disconnect(fd, token);
	switch (-ret) {
	case 0:
		break;
	case ENODATA:
		fprintf(stderr, "%s: the peripheral on parport%u has no device ID (it refused the request)\n",
			pcctl_prog, a->port);
		return PCCTL_NO_ID;
	case EIO:
		fprintf(stderr, "%s: no device ID from parport%u: the peripheral did not answer IEEE 1284 negotiation (not an IEEE 1284 peripheral, or the port has no reverse channel)\n",
			pcctl_prog, a->port);
		return PCCTL_NO_ID;
	case ENXIO:
		fprintf(stderr, "%s: no daisy-chain device answers at address %u on parport%u\n",
			pcctl_prog, a->daisy, a->port);
		return PCCTL_NO_ID;
	case ENODEV:
		fprintf(stderr, "%s: parport%u went away\n", pcctl_prog,
			a->port);
		return PCCTL_NO_PORT;
	case ENOTTY:
		fprintf(stderr, "%s: the parclass module cannot read device IDs (no DEVICE_ID)\n",
			pcctl_prog);
		return PCCTL_FAILED;
	case EINTR:
		fprintf(stderr, "%s: interrupted while reading the device ID on parport%u\n",
			pcctl_prog, a->port);
		return PCCTL_INTERRUPTED;
	default:
		fprintf(stderr, "%s: cannot read the device ID on parport%u: %s\n",
			pcctl_prog, a->port, strerror(-ret));
		return ret == -EPERM ? PCCTL_FAILED : pcctl_exit_code(ret);
	}
	/* The answer is followed by a NUL, which id_size counts. */
	len = size ? size - 1 : 0;
	if (len > sizeof(buf) - 1)
		len = sizeof(buf) - 1;
	if (a->raw) {
		fwrite(buf, 1, len, pcctl_out);
	} else if (a->json) {
		pcctl_printf("{\"port\":%u,\"name\":\"parport%u\",\"daisy\":",
			     a->port, a->port);
		if (a->has_daisy)
			pcctl_printf("%u", a->daisy);
		else
			pcctl_printf("null");
		pcctl_printf(",\"length\":%zu,\"device_id\":", len);
		ret = pcctl_json_bytes(pcctl_out, buf, len);
		pcctl_printf(",\"valid_utf8\":%s,\"fields\":",
			     ret ? "true" : "false");
		if (pcctl_json_id_fields(buf, len)) {
			pcctl_printf("null}\n");
			fprintf(stderr, "%s: out of memory\n", pcctl_prog);
			return PCCTL_FAILED;
		}
		pcctl_printf("}\n");
	} else {
		fwrite(buf, 1, len, pcctl_out);
		pcctl_putc('\n');
	}
	return PCCTL_OK;
}

/* Windows' names of the PARCLASS_1284_* bits, in the bits' order. */
static const char *const pcctl_mode_names[] = {
	"CENTRONICS", "IEEE_COMPATIBILITY", "NIBBLE", "CHANNEL_NIBBLE",
	"BYTE_BIDIR", "EPP_HW", "EPP_SW", "BOUNDED_ECP", "ECP_HW_NOIRQ",
	"ECP_HW_IRQ", "ECP_SW",
};

/* "NIBBLE,ECP_SW", or "none". */
static void pcctl_mode_text(uint32_t bits, char *buf, size_t len)
{
	size_t i, n = 0;

	buf[0] = 0;
	for (i = 0; i < PCCTL_ARRAY_SIZE(pcctl_mode_names); i++)
		if (bits & (1U << i))
			n += snprintf(buf + n, n < len ? len - n : 0, "%s%s",
				      n ? "," : "", pcctl_mode_names[i]);
	if (!n)
		snprintf(buf, len, "none");
}

/* One mode bit as a JSON string, or null for none. */
static void pcctl_json_mode(uint32_t bit)
{
	char text[160];

	if (!bit) {
		pcctl_printf("null");
		return;
	}
	pcctl_mode_text(bit, text, sizeof(text));
	pcctl_json_str(text);
}

/* Mode bits as a JSON array of names. */
static void pcctl_json_modes(uint32_t bits)
{
	size_t i, n = 0;

	pcctl_putc('[');
	for (i = 0; i < PCCTL_ARRAY_SIZE(pcctl_mode_names); i++)
		if (bits & (1U << i))
			pcctl_printf("%s\"%s\"", n++ ? "," : "",
				     pcctl_mode_names[i]);
	pcctl_putc(']');
}

/* Why NEGOTIATE (or PROBE, @what) failed, in words; the exit code. */
static int pcctl_mode_failed(const struct pcctl_args *a, const char *what,
			     int ret)
{
	switch (-ret) {
	case EIO:
		fprintf(stderr, "%s: parport%u: the peripheral did not answer IEEE 1284 negotiation (not an IEEE 1284 peripheral, or the port has no reverse channel)\n",
			pcctl_prog, a->port);
		return PCCTL_NO_MODE;
	case EOPNOTSUPP:
		fprintf(stderr, "%s: parport%u: the peripheral does not speak %s\n",
			pcctl_prog, a->port, a->mode);
		return PCCTL_NO_MODE;
	case ENODEV:
		fprintf(stderr, "%s: parport%u went away\n", pcctl_prog,
			a->port);
		return PCCTL_NO_PORT;
	case ENOTTY:
		fprintf(stderr, "%s: the parclass module cannot negotiate IEEE 1284 modes (no NEGOTIATE)\n",
			pcctl_prog);
		return PCCTL_FAILED;
	case EINTR:
		fprintf(stderr, "%s: interrupted while %s on parport%u\n",
			pcctl_prog, what, a->port);
		return PCCTL_INTERRUPTED;
	}
	fprintf(stderr, "%s: failed %s on parport%u: %s\n", pcctl_prog, what,
		a->port, strerror(-ret));
	return ret == -EPERM ? PCCTL_FAILED : pcctl_exit_code(ret);
}

/* NEGOTIATE, from where a stop and continue cut it short. */
static int pcctl_negotiate_masks(int fd, uint64_t token, uint32_t read_mask,
				 uint32_t write_mask, uint32_t *rd, uint32_t *wr)
{
	int ret;

	do
		ret = parclass_negotiate(fd, token, 0, read_mask, write_mask, rd,
					 wr);
	while (ret == -EINTR && !pcctl_stop);
	return ret;
}

/*
 * Negotiate the modes named, with the port allocated around it as
 * device-id does, and ask which modes the peripheral accepts: what was
 * reached, and what it could have been. The mode ends when the port is
 * freed, on the way out.
 */
static int pcctl_negotiate(int fd, const struct pcctl_args *a)
{
	uint32_t rd = 0, wr = 0, accepts = 0;
	char text[160];
	struct pcctl_args b;
	uint64_t token;
	int code, ret, pret = 0;

	pcctl_query_args(a, &b);
	code = pcctl_take(fd, &b, &token, NULL);
	if (code)
		return code;
	ret = pcctl_negotiate_masks(fd, token, a->read_mask, a->write_mask, &rd,
				    &wr);
	if (ret)
		rd = wr = 0;
	/* Asked also when the modes were refused: what does it speak? */
	if (!ret || ret == -EIO || ret == -EOPNOTSUPP) {
		do
			pret = parclass_probe(fd, token, 0, &accepts);
		while (pret == -EINTR && !pcctl_stop);
	}
	parclass_free(fd, token);
	parclass_disconnect(fd, token);
	if (ret && ret != -EIO && ret != -EOPNOTSUPP)
		return pcctl_mode_failed(a, "negotiating", ret);

	if (a->json) {
		pcctl_printf("{\"port\":%u,\"name\":\"parport%u\",\"mode\":",
			     a->port, a->port);
		pcctl_json_str(a->mode);
		pcctl_printf(",\"read_mask\":%u,\"write_mask\":%u,\"reached\":%s,\"read_mode\":",
			     a->read_mask, a->write_mask, ret ? "false" : "true");
		pcctl_json_mode(rd);
		pcctl_printf(",\"read_mode_bits\":%u,\"write_mode\":", rd);
		pcctl_json_mode(wr);
		pcctl_printf(",\"write_mode_bits\":%u,\"accepts\":", wr);
		if (pret) {
			pcctl_printf("null,\"accepts_bits\":null}\n");
		} else {
			pcctl_json_modes(accepts);
			pcctl_printf(",\"accepts_bits\":%u}\n", accepts);
		}
	} else {
		pcctl_printf("port:       parport%u\n", a->port);
		pcctl_printf("asked:      %s\n", a->mode);
		pcctl_mode_text(rd, text, sizeof(text));
		pcctl_printf("read mode:  %s\n", text);
		pcctl_mode_text(wr, text, sizeof(text));
		pcctl_printf("write mode: %s\n", text);
		if (pret) {
			pcctl_printf("accepts:    unknown\n");
		} else {
			pcctl_mode_text(accepts, text, sizeof(text));
			pcctl_printf("accepts:    %s\n", text);
		}
	}
	if (ret || pret)
		fflush(pcctl_out);
	if (ret)
		return pcctl_mode_failed(a, "negotiating", ret);
	if (pret)
		return pcctl_mode_failed(a, "asking which modes the peripheral accepts",
					 pret);
	return PCCTL_OK;
}

/* Why a READ ended early, in words; the exit code. */
static int pcctl_read_failed(const struct pcctl_args *a, int ret,
			     uint32_t total)
{
	switch (-ret) {
	case EIO:
		fprintf(stderr, "%s: the peripheral on parport%u no longer answers %s negotiation (after %u bytes)\n",
			pcctl_prog, a->port, a->mode, total);
		return PCCTL_IO;
	case ETIMEDOUT:
		fprintf(stderr, "%s: the peripheral on parport%u stopped within a byte (after %u bytes)\n",
			pcctl_prog, a->port, total);
		return PCCTL_IO;
	case EINTR:
		fprintf(stderr, "%s: interrupted after %u bytes read from parport%u\n",
			pcctl_prog, total, a->port);
		return PCCTL_INTERRUPTED;
	case ENODEV:
		fprintf(stderr, "%s: parport%u went away (after %u bytes)\n",
			pcctl_prog, a->port, total);
		return PCCTL_NO_PORT;
	}
	fprintf(stderr, "%s: reading from parport%u failed after %u bytes: %s\n",
		pcctl_prog, a->port, total, strerror(-ret));
	return ret == -EPERM ? PCCTL_FAILED : pcctl_exit_code(ret);
}

/*
 * Negotiate the read mode, then read until the peripheral has no more
 * (a READ comes back short) or --count bytes came, writing them to
 * standard output as they come.
 */
static int pcctl_read(int fd, const struct pcctl_args *a)
{
	static char buf[65536];
	uint32_t want = a->has_count ? a->count : PCCTL_READ_DEFAULT_MAX;
	uint32_t total = 0, n, done;
	struct pcctl_args b;
	uint64_t token;
	int code, ret;

	pcctl_query_args(a, &b);
	code = pcctl_take(fd, &b, &token, NULL);
	if (code)
		return code;
	ret = pcctl_negotiate_masks(fd, token, a->read_mask, 0, NULL, NULL);
	if (ret) {
		parclass_free(fd, token);
		parclass_disconnect(fd, token);
		return pcctl_mode_failed(a, "negotiating", ret);
	}
	while (total < want) {
		if (pcctl_stop) {
			ret = -EINTR;
			break;
		}
		n = want - total < sizeof(buf) ? want - total : sizeof(buf);
		done = 0;
		ret = parclass_read(fd, token, buf, n, 0, &done);
		if (done > n)
			done = n;
		fwrite(buf, 1, done, pcctl_out);
		total += done;
		/* Nobody takes the bytes: stop reading them. */
		if (ferror(pcctl_out))
			break;
		/* A stop and continue: on from where it got to. */
		if (ret == -EINTR && !pcctl_stop) {
			ret = 0;
			continue;
		}
		if (ret || done < n)
			break;
	}
	parclass_free(fd, token);
	parclass_disconnect(fd, token);
	if (ret) {
		fflush(pcctl_out);
		return pcctl_read_failed(a, ret, total);
	}
	return PCCTL_OK;
}

/* Why a WRITE ended early, in words; the exit code. */
static int pcctl_write_failed(const struct pcctl_args *a, int ret,
			      uint64_t total)
{
	if (ret == -EIO && a->has_mode) {
		fprintf(stderr, "%s: the peripheral on parport%u no longer answers %s negotiation (after %" PRIu64 " bytes)\n",
			pcctl_prog, a->port, a->mode, total);
		return PCCTL_IO;
	}
	switch (-ret) {
	case ETIMEDOUT:
		fprintf(stderr, "%s: the printer on parport%u stopped accepting data after %" PRIu64 " bytes\n",
			pcctl_prog, a->port, total);
		return PCCTL_IO;
	case EIO:
		fprintf(stderr, "%s: the printer on parport%u reports a fault (paper out, off line or error) after %" PRIu64 " bytes\n",
			pcctl_prog, a->port, total);
		return PCCTL_IO;
	case EINTR:
		fprintf(stderr, "%s: interrupted after %" PRIu64 " bytes sent to parport%u\n",
			pcctl_prog, total, a->port);
		return PCCTL_INTERRUPTED;
	}
	fprintf(stderr, "%s: writing to parport%u failed after %" PRIu64 " bytes: %s\n",
		pcctl_prog, a->port, total, strerror(-ret));
	return pcctl_exit_code(ret);
}

/*
 * Send @len bytes; *@total counts what the printer took. A WRITE that a
 * stop and continue cut short goes on from the first byte not taken.
 * Return: 0 or -errno (-EINTR only after SIGINT or SIGTERM).
 */
static int pcctl_write_all(int fd, uint64_t token, uint32_t flags,
			   const char *buf, size_t len, uint64_t *total)
{
	size_t off = 0;
	int ret = 0;

	while (off < len) {
		uint32_t written = 0;

		if (pcctl_stop)
			return -EINTR;
		ret = parclass_write_flags(fd, token, flags, buf + off,
					   len - off, 0, &written);
		if (!ret)
			written = len - off;
		else if (written > len - off)
			written = len - off;
		off += written;
		*total += written;
		if (ret && (ret != -EINTR || pcctl_stop))
			return ret;
	}
	return 0;
}

static int pcctl_print(int fd, const struct pcctl_args *a)
{
	static char buf[65536];
	uint64_t token, total = 0;
	int in, code, ret = 0;
	uint32_t flags = 0;
	ssize_t n;

	if (!strcmp(a->file, "-")) {
		in = 0;
	} else {
		in = open(a->file, O_RDONLY | O_CLOEXEC);
		if (in < 0) {
			fprintf(stderr, "%s: cannot read %s: %s\n", pcctl_prog,
				a->file, strerror(errno));
			return PCCTL_FAILED;
		}
	}
	code = pcctl_take(fd, a, &token, NULL);
	if (code)
		goto out_close;
	/* --mode: the write mode first; nothing is sent if it is refused. */
	if (a->has_mode) {
		ret = pcctl_negotiate_masks(fd, token, 0, a->write_mask, NULL,
					    NULL);
		if (ret) {
			code = pcctl_mode_failed(a, "negotiating", ret);
			goto out_free;
		}
		flags = PARCLASS_WRITE_MODE;
	}
	for (;;) {
		n = pcctl_stop ? -1 : read(in, buf, sizeof(buf));
		if (n < 0 && !pcctl_stop && errno == EINTR)
			continue;
		if (n < 0 && pcctl_stop) {
			ret = -EINTR;
			break;
		}
		if (n < 0) {
			fprintf(stderr, "%s: reading %s: %s\n", pcctl_prog,
				a->file, strerror(errno));
			code = PCCTL_FAILED;
			break;
		}
		if (!n)
			break;
		ret = pcctl_write_all(fd, token, flags, buf, n, &total);
		if (ret)
			break;
	}
	if (ret)
		code = pcctl_write_failed(a, ret, total);
out_free:
	parclass_free(fd, token);
	parclass_disconnect(fd, token);
out_close:
	if (in)
		close(in);
	return code;
}

static int pcctl_hold(int fd, const struct pcctl_args *a)
{
	struct timespec ts = {
		.tv_sec = a->hold_ns / 1000000000ULL,
		.tv_nsec = a->hold_ns % 1000000000ULL,
	};
	uint64_t token;
	int code = pcctl_take(fd, a, &token, NULL);

	if (code)
		return code;
	while (!pcctl_stop && nanosleep(&ts, &ts) && errno == EINTR)
		;
	parclass_free(fd, token);
	parclass_disconnect(fd, token);
	if (pcctl_stop) {
		fprintf(stderr, "%s: interrupted; parport%u freed\n",
			pcctl_prog, a->port);
		return PCCTL_INTERRUPTED;
	}
	return PCCTL_OK;
}

/* Interrupts counted for @token in the file's events; -errno on failure. */
static int pcctl_irq_events(int fd, uint64_t token, uint64_t *total)
{
	struct parclass_event ev[8];
	int n, i;

	/* Read only what waits: the file is not O_NONBLOCK. */
	n = parclass_wait_events(fd, 0);
	if (n <= 0)
		return n == -EINTR ? 0 : n;
	n = parclass_read_events(fd, ev, PCCTL_ARRAY_SIZE(ev));
	if (n == -EAGAIN || n == -EINTR)
		return 0;
	if (n < 0)
		return n;
	for (i = 0; i < n; i++) {
		if (ev[i].token != token)
			continue;
		if (ev[i].events & PARCLASS_EVENT_REMOVED)
			return -ENODEV;
		if (ev[i].events & PARCLASS_EVENT_INTERRUPT)
			*total += ev[i].interrupts;
	}
	return 0;
}

static void pcctl_irq_result(const struct pcctl_args *a, uint64_t total,
			     bool done)
{
	if (!a->json) {
		pcctl_printf("%" PRIu64 "\n", total);
		return;
	}
	pcctl_printf("{\"port\":%u,\"name\":\"parport%u\",\"daisy\":", a->port,
		     a->port);
	if (a->on_daisy)
		pcctl_printf("%u", a->port_daisy);
	else
		pcctl_printf("null");
	pcctl_printf(",\"interrupts\":%" PRIu64 ",\"wanted\":%u,\"complete\":%s}\n",
		     total, a->count, done ? "true" : "false");
}

/*
 * Hold the port with interrupts counted, and wait (poll() on the file)
 * until --count of them came or --timeout passed, the wait for the port
 * included. The parport core hands a port's interrupts to the device
 * holding it, so the session allocates the port for the whole wait.
 */
static int pcctl_wait_irq(int fd, const struct pcctl_args *a)
{
	uint64_t token, total = 0, end = 0, now;
	struct pcctl_args b = *a;
	int code, ret, ms;
	bool timed = a->has_timeout;

	if (timed)
		end = pcctl_now() + a->timeout_ns;
	code = pcctl_connect(fd, a, &token, NULL);
	if (code)
		return code;
	ret = parclass_interrupts(fd, token, PARCLASS_INTERRUPTS_ENABLE, NULL);
	if (ret) {
		parclass_disconnect(fd, token);
		switch (-ret) {
		case EACCES:
			fprintf(stderr, "%s: interrupts are not allowed: the parclass module parameter allow_interrupts is off (echo 1 >/sys/module/parclass/parameters/allow_interrupts)\n",
				pcctl_prog);
			return PCCTL_NO_IRQ;
		case ENXIO:
			fprintf(stderr, "%s: parport%u has no interrupt line\n",
				pcctl_prog, a->port);
			return PCCTL_FAILED;
		case ENOTTY:
			fprintf(stderr, "%s: the parclass module cannot count interrupts (no INTERRUPTS)\n",
				pcctl_prog);
			return PCCTL_FAILED;
		}
		fprintf(stderr, "%s: cannot count interrupts on parport%u: %s\n",
			pcctl_prog, a->port, strerror(-ret));
		return pcctl_exit_code(ret);
	}
	/* The wait for the port takes its share of --timeout. */
	code = pcctl_allocate(fd, &b, token);
	if (code) {
		code = pcctl_busy(fd, a, code);
		parclass_disconnect(fd, token);
		return code;
	}
	code = PCCTL_OK;
	for (;;) {
		ret = pcctl_irq_events(fd, token, &total);
		if (ret || total >= a->count)
			break;
		if (pcctl_stop) {
			ret = -EINTR;
			break;
		}
		ms = -1;
		if (timed) {
			now = pcctl_now();
			if (now >= end) {
				code = PCCTL_IRQ_TIMEOUT;
				break;
			}
			ms = (end - now + 999999) / 1000000;
		}
		ret = poll(&(struct pollfd){ .fd = fd, .events = POLLIN }, 1,
			   ms);
		if (ret < 0 && errno != EINTR) {
			ret = -errno;
			break;
		}
		ret = 0;
	}
	parclass_free(fd, token);
	parclass_disconnect(fd, token);
	if (ret == -EINTR) {
		fprintf(stderr, "%s: interrupted after %" PRIu64 " interrupt(s); parport%u freed\n",
			pcctl_prog, total, a->port);
		return PCCTL_INTERRUPTED;
	}
	if (ret == -ENODEV) {
		fprintf(stderr, "%s: parport%u went away\n", pcctl_prog,
			a->port);
		return PCCTL_NO_PORT;
	}
	if (ret) {
		fprintf(stderr, "%s: waiting for interrupts on parport%u: %s\n",
			pcctl_prog, a->port, strerror(-ret));
		return pcctl_exit_code(ret);
	}
	pcctl_irq_result(a, total, code == PCCTL_OK);
	if (code == PCCTL_IRQ_TIMEOUT)
		fprintf(stderr, "%s: %" PRIu64 " of %u interrupt(s) on parport%u within %.1f s\n",
			pcctl_prog, total, a->count, a->port,
			pcctl_seconds(a->timeout_ns));
	return code;
}

static int pcctl_version(const struct pcctl_args *a)
{
	uint32_t abi = 0;
	uint64_t features = 0;
	int fd = parclass_open(), ret = fd;

	if (fd >= 0) {
		ret = parclass_get_version(fd, &abi, &features);
		close(fd);
	}
	if (a->json) {
		pcctl_printf("{\"parclassctl\":\"%s\",\"uapi_abi\":%d,",
			     PCCTL_VERSION, PARCLASS_ABI_VERSION);
		if (ret)
			pcctl_printf("\"module_abi\":null,\"features\":null}\n");
		else
			pcctl_printf("\"module_abi\":%u,\"features\":%" PRIu64 "}\n",
				     abi, features);
	} else {
		pcctl_printf("parclassctl %s (ABI %d)\n", PCCTL_VERSION,
			     PARCLASS_ABI_VERSION);
		if (ret)
			pcctl_printf("parclass module: not available (%s)\n",
				     strerror(-ret));
		else
			pcctl_printf("parclass module: ABI %u, features 0x%" PRIx64 "\n",
				     abi, features);
	}
	return PCCTL_OK;
}

static int pcctl_run(const struct pcctl_args *a)
{
	int fd, code;

	if (a->cmd == PCCTL_CMD_HELP) {
		fputs(pcctl_usage, pcctl_out);
		return PCCTL_OK;
	}
	if (a->cmd == PCCTL_CMD_VERSION)
		return pcctl_version(a);

	fd = pcctl_open();
	if (fd < 0)
		return pcctl_exit_code(fd);
	switch (a->cmd) {
	case PCCTL_CMD_LIST:
		code = pcctl_list(fd, a);
		break;
	case PCCTL_CMD_INFO:
		code = pcctl_info(fd, a);
		break;
	case PCCTL_CMD_STATUS:
		code = pcctl_status(fd, a);
		break;
	case PCCTL_CMD_PRINT:
		code = pcctl_print(fd, a);
		break;
	case PCCTL_CMD_HOLD:
		code = pcctl_hold(fd, a);
		break;
	case PCCTL_CMD_DEVICE_ID:
		code = pcctl_device_id(fd, a);
		break;
	case PCCTL_CMD_NEGOTIATE:
		code = pcctl_negotiate(fd, a);
		break;
	case PCCTL_CMD_READ:
		code = pcctl_read(fd, a);
		break;
	case PCCTL_CMD_WAIT_IRQ:
		code = pcctl_wait_irq(fd, a);
		break;
	default:
		code = PCCTL_USAGE;
		break;
	}
	close(fd);
	return code;
}

int main(int argc, char **argv)
{
	struct pcctl_args a;
	char err[160];
	int code, out_err;

	if (pcctl_parse(argc, argv, &a, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", pcctl_prog, err);
		return PCCTL_USAGE;
	}
	if (pcctl_out_open()) {
		fprintf(stderr, "%s: %s\n", pcctl_prog, strerror(errno));
		return PCCTL_FAILED;
	}
	pcctl_signals();
	code = pcctl_run(&a);
	/* Every command's output, --help and version included, checked. */
	out_err = pcctl_out_close();
	if (out_err) {
		fprintf(stderr, "%s: writing the output failed: %s\n",
			pcctl_prog, strerror(out_err));
		if (!code)
			code = pcctl_stop ? PCCTL_INTERRUPTED : PCCTL_FAILED;
	}
	return code;
}
