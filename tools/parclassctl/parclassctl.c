// SPDX-License-Identifier: GPL-2.0
/*
 * parclassctl: see the ports, who holds them and who waits, and print
 * to one, through /dev/parclass. See parclassctl(1).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
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
"  status PORT            who holds PORT, how many wait, whether it is free\n"
"  print PORT FILE|-      send FILE (or standard input) to PORT's printer\n"
"  hold PORT --for SECS   hold PORT for SECS seconds, then free it\n"
"  version                parclassctl's and the module's versions\n"
"\n"
"PORT is a parport number (0), its name (parport0) or its location (LPT1).\n"
"\n"
"Options:\n"
"  --json                 machine-readable output (list, info, status, version)\n"
"  --timeout SECS         print, hold: give up if PORT stays busy this long\n"
"                         (default: wait for as long as it takes)\n"
"  -h, --help             this text\n"
"\n"
"Exit codes:\n"
"  0  success\n"
"  1  any other failure\n"
"  2  bad command line\n"
"  3  no such port, or the parclass module is not loaded\n"
"  4  the port stayed busy until --timeout\n"
"  5  interrupted by a signal\n"
"  6  the printer stopped accepting data\n"
"  7  no permission to open /dev/parclass\n";

static const char *pcctl_prog = "parclassctl";

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
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
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
	printf("\"number\":%u,\"name\":", i->number);
	pcctl_json_str(i->name);
	printf(",\"location\":");
	pcctl_json_str(i->location);
	printf(",\"base\":%" PRIu64 ",\"base_hi\":", (uint64_t)i->base);
	if (i->flags & PARCLASS_PORT_HAS_ECR)
		printf("%" PRIu64, (uint64_t)i->base_hi);
	else
		printf("null");
	printf(",\"span\":%u,\"irq\":", i->span);
	if (i->flags & PARCLASS_PORT_HAS_IRQ)
		printf("%u", i->irq);
	else
		printf("null");
	printf(",\"dma\":");
	if (i->flags & PARCLASS_PORT_HAS_DMA)
		printf("%u", i->dma);
	else
		printf("null");
	printf(",\"modes\":%u,\"modes_text\":", i->modes);
	pcctl_json_str(modes);
	printf(",\"hw_caps\":%u,\"hw_caps_text\":", i->hw_caps);
	pcctl_json_str(caps);
	printf(",\"fifo_depth\":%u,\"fifo_width\":%u", i->fifo_depth,
	       i->fifo_width);
}

static void pcctl_json_holder(const struct parclass_port_entry *e)
{
	printf("\"holder\":");
	pcctl_json_str(parclass_holder_name(e->holder));
	printf(",\"holder_pid\":");
	if (e->holder == PARCLASS_HOLDER_SESSION)
		printf("%u", e->holder_pid);
	else
		printf("null");
	printf(",\"holder_comm\":");
	pcctl_json_str(e->holder_comm);
	printf(",\"holder_name\":");
	pcctl_json_str(e->holder_name);
	printf(",\"sessions\":%u,\"waiters\":%u,\"other_waiters\":%u",
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

static int pcctl_list(int fd, const struct pcctl_args *a)
{
	struct parclass_port_entry *e;
	uint32_t n, i;
	int ret = parclass_list_ports(fd, &e, &n);

	if (ret) {
		fprintf(stderr, "%s: cannot list ports: %s\n", pcctl_prog,
			strerror(-ret));
		return pcctl_exit_code(ret);
	}
	if (a->json) {
		printf("{\"ports\":[");
		for (i = 0; i < n; i++) {
			printf("%s{", i ? "," : "");
			pcctl_json_info(&e[i].info);
			putchar(',');
			pcctl_json_holder(&e[i]);
			putchar('}');
		}
		printf("]}\n");
	} else {
		printf("%-9s %-5s %-6s %-4s %-24s %-8s %-22s %s\n", "PORT",
		       "LPT", "BASE", "IRQ", "MODES", "CAPS", "HELD BY",
		       "WAITING");
		for (i = 0; i < n; i++) {
			const struct parclass_port_info *p = &e[i].info;
			char modes[96], caps[64], holder[64], irq[12];

			pcctl_modes(p->modes, modes, sizeof(modes));
			pcctl_caps(p->hw_caps, caps, sizeof(caps));
			pcctl_holder_text(&e[i], holder, sizeof(holder));
			if (p->flags & PARCLASS_PORT_HAS_IRQ)
				snprintf(irq, sizeof(irq), "%u", p->irq);
			else
				snprintf(irq, sizeof(irq), "-");
			printf("%-9s %-5s 0x%-4" PRIx64 " %-4s %-24s %-8s %-22s %u\n",
			       p->name, p->location, (uint64_t)p->base, irq,
			       modes, caps, holder,
			       e[i].waiters + e[i].other_waiters);
		}
		if (!n)
			printf("(no parallel ports)\n");
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

	ret = parclass_connect(fd, a->port, &token, &i);
	if (ret == -ENODEV)
		return pcctl_no_port(a->port);
	if (ret) {
		fprintf(stderr, "%s: cannot connect to parport%u: %s\n",
			pcctl_prog, a->port, strerror(-ret));
		return pcctl_exit_code(ret);
	}
	parclass_disconnect(fd, token);
	if (a->json) {
		putchar('{');
		pcctl_json_info(&i);
		printf("}\n");
		return PCCTL_OK;
	}
	pcctl_modes(i.modes, modes, sizeof(modes));
	pcctl_caps(i.hw_caps, caps, sizeof(caps));
	printf("port:         %s (%s)\n", i.name, i.location);
	printf("base:         0x%" PRIx64 " (span %u)\n", (uint64_t)i.base,
	       i.span);
	if (i.flags & PARCLASS_PORT_HAS_ECR)
		printf("ecr base:     0x%" PRIx64 "\n", (uint64_t)i.base_hi);
	else
		printf("ecr base:     none\n");
	if (i.flags & PARCLASS_PORT_HAS_IRQ)
		printf("irq:          %u\n", i.irq);
	else
		printf("irq:          none\n");
	if (i.flags & PARCLASS_PORT_HAS_DMA)
		printf("dma:          %u\n", i.dma);
	else
		printf("dma:          none\n");
	printf("linux modes:  %s (0x%x)\n", modes, i.modes);
	printf("windows caps: %s (0x%x)\n", caps, i.hw_caps);
	printf("fifo:         depth %u, width %u\n", i.fifo_depth,
	       i.fifo_width);
	return PCCTL_OK;
}

static int pcctl_status(int fd, const struct pcctl_args *a)
{
	struct parclass_port_entry e;
	char holder[64];
	int ret = pcctl_find(fd, a->port, &e);

	if (ret == -ENODEV)
		return pcctl_no_port(a->port);
	if (ret) {
		fprintf(stderr, "%s: cannot read parport%u: %s\n", pcctl_prog,
			a->port, strerror(-ret));
		return pcctl_exit_code(ret);
	}
	if (a->json) {
		printf("{\"number\":%u,\"name\":", e.info.number);
		pcctl_json_str(e.info.name);
		printf(",\"free\":%s,", e.holder == PARCLASS_HOLDER_NONE &&
		       !e.waiters ? "true" : "false");
		pcctl_json_holder(&e);
		printf("}\n");
		return PCCTL_OK;
	}
	pcctl_holder_text(&e, holder, sizeof(holder));
	printf("%s (%s): %s\n", e.info.name, e.info.location,
	       e.holder == PARCLASS_HOLDER_NONE ? "free" : "busy");
	printf("held by:   %s\n", holder);
	printf("waiting:   %u parclass client(s), %u other device(s)\n",
	       e.waiters, e.other_waiters);
	printf("sessions:  %u\n", e.sessions);
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

/* Connect and allocate, honouring --timeout. */
static int pcctl_take(int fd, const struct pcctl_args *a, uint64_t *token)
{
	int ret = parclass_connect(fd, a->port, token, NULL);

	if (ret == -ENODEV)
		return pcctl_no_port(a->port);
	if (ret) {
		fprintf(stderr, "%s: cannot connect to parport%u: %s\n",
			pcctl_prog, a->port, strerror(-ret));
		return pcctl_exit_code(ret);
	}
	if (a->has_timeout && !a->timeout_ns)
		ret = parclass_try_allocate(fd, *token);
	else
		ret = parclass_allocate(fd, *token, a->timeout_ns);
	if (ret == -EAGAIN)
		ret = -ETIMEDOUT;
	if (ret) {
		int code = pcctl_busy(fd, a, ret);

		parclass_disconnect(fd, *token);
		return code;
	}
	return PCCTL_OK;
}

static int pcctl_print(int fd, const struct pcctl_args *a)
{
	static char buf[65536];
	uint64_t token, total = 0;
	int in, code;
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
	code = pcctl_take(fd, a, &token);
	if (code)
		goto out_close;
	while ((n = read(in, buf, sizeof(buf))) > 0) {
		uint32_t written = 0;
		int ret = parclass_write(fd, token, buf, n, 0, &written);

		total += written;
		if (ret) {
			if (ret == -ETIMEDOUT)
				fprintf(stderr, "%s: the printer on parport%u stopped accepting data after %" PRIu64 " bytes\n",
					pcctl_prog, a->port, total);
			else if (ret == -EIO)
				fprintf(stderr, "%s: the printer on parport%u reports a fault (paper out, off line or error) after %" PRIu64 " bytes\n",
					pcctl_prog, a->port, total);
			else
				fprintf(stderr, "%s: writing to parport%u failed after %" PRIu64 " bytes: %s\n",
					pcctl_prog, a->port, total,
					strerror(-ret));
			code = ret == -ETIMEDOUT ? PCCTL_IO :
			       pcctl_exit_code(ret);
			break;
		}
	}
	if (n < 0) {
		fprintf(stderr, "%s: reading %s: %s\n", pcctl_prog, a->file,
			strerror(errno));
		code = PCCTL_FAILED;
	}
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
	int code = pcctl_take(fd, a, &token);

	if (code)
		return code;
	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
	parclass_free(fd, token);
	parclass_disconnect(fd, token);
	return PCCTL_OK;
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
		printf("{\"parclassctl\":\"%s\",\"uapi_abi\":%d,", PCCTL_VERSION,
		       PARCLASS_ABI_VERSION);
		if (ret)
			printf("\"module_abi\":null,\"features\":null}\n");
		else
			printf("\"module_abi\":%u,\"features\":%" PRIu64 "}\n",
			       abi, features);
	} else {
		printf("parclassctl %s (ABI %d)\n", PCCTL_VERSION,
		       PARCLASS_ABI_VERSION);
		if (ret)
			printf("parclass module: not available (%s)\n",
			       strerror(-ret));
		else
			printf("parclass module: ABI %u, features 0x%" PRIx64 "\n",
			       abi, features);
	}
	return PCCTL_OK;
}

int main(int argc, char **argv)
{
	struct pcctl_args a;
	char err[160];
	int fd, code;

	if (pcctl_parse(argc, argv, &a, err, sizeof(err))) {
		fprintf(stderr, "%s: %s\n", pcctl_prog, err);
		return PCCTL_USAGE;
	}
	if (a.cmd == PCCTL_CMD_HELP) {
		fputs(pcctl_usage, stdout);
		return PCCTL_OK;
	}
	if (a.cmd == PCCTL_CMD_VERSION)
		return pcctl_version(&a);

	fd = pcctl_open();
	if (fd < 0)
		return pcctl_exit_code(fd);
	switch (a.cmd) {
	case PCCTL_CMD_LIST:
		code = pcctl_list(fd, &a);
		break;
	case PCCTL_CMD_INFO:
		code = pcctl_info(fd, &a);
		break;
	case PCCTL_CMD_STATUS:
		code = pcctl_status(fd, &a);
		break;
	case PCCTL_CMD_PRINT:
		code = pcctl_print(fd, &a);
		break;
	case PCCTL_CMD_HOLD:
		code = pcctl_hold(fd, &a);
		break;
	default:
		code = PCCTL_USAGE;
		break;
	}
	close(fd);
	return code;
}
