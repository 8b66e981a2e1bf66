// SPDX-License-Identifier: GPL-2.0
/*
 * parclassctl_test: every parclassctl subcommand in the guest, its text
 * and --json output (checked to be well-formed JSON), its exit codes, and
 * a 64 KiB print to parport1 that the host checks byte for byte
 * (/tests/data/parclassctl_test.parport1.bin). Also runs the example
 * program from the README's demo.
 *
 * status and device-id run against simulated peripherals (parport_sim):
 * the status byte, the register and its lines for each fault of the
 * README's table; a port held by another session (exit 4, the holder
 * named, the holder still holding); the device ID as text, as raw bytes
 * (the length bytes included, up to the longest ID), as JSON with its
 * fields and escapes; from a daisy-chain device; and a peripheral with
 * no ID, one without IEEE 1284 and QEMU's LPT (exit 8).
 *
 * Signals, on simulated ports: a stop and continue while print waits
 * for the port or for the printer, or while status waits for the port,
 * does not end them (the whole job arrives, once); the wait for the
 * port keeps its --timeout; SIGINT or SIGTERM ends the wait or the
 * transfer at once with exit 5, the port freed and the session gone.
 * Output that cannot be written (--help and version included) exits 1
 * with the write's own error.
 *
 * IEEE 1284 modes, on simulated peripherals: negotiate shows the modes
 * reached and those the peripheral accepts, as text and JSON, and exits 9
 * for a mode it lacks or a peripheral without IEEE 1284; read writes the
 * peripheral's bytes exactly in every mode (ECP runs expanded), stops at
 * --count, and exits 9 likewise; print --mode ecp and epp deliver the job
 * byte for byte, and send nothing to a peripheral without the mode. On
 * QEMU's LPT (no reverse channel) all three exit 9, printing nothing.
 */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/parclass.h>
#include <parclass/libparclass.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
#include "sim_control.h"

#define CTL "/usr/bin/parclassctl"
#define PRINT_DATA "/tests/data/parclassctl_test.parport1.bin"

struct run {
	int code;		/* exit status, or -1 */
	char out[PARCLASS_DEVICE_ID_MAX + 4096];	/* standard output */
	size_t out_len;		/* its bytes, NULs included */
	char err[4096];		/* standard error */
	double seconds;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static size_t slurp(int fd, char *buf, size_t len)
{
	size_t n = 0;
	ssize_t r;

	while (n + 1 < len && (r = read(fd, buf + n, len - 1 - n)) > 0)
		n += r;
	buf[n] = 0;
	return n;
}

/* A program started in the background, its output going to pipes. */
struct job {
	pid_t pid;
	int out, err;	/* read ends */
	double t0;
};

/*
 * Start a program with arguments; its standard output goes to @out_path
 * instead of a pipe if given. SIGINT and SIGTERM are handed down at
 * their defaults, whatever the test runner left them at.
 */
static int start(struct job *j, const char *out_path, const char *const argv[])
{
	int out[2], err[2];

	j->t0 = now();
	if (pipe(out) || pipe(err))
		return -1;
	j->pid = fork();
	if (j->pid == 0) {
		sigset_t none;

		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		if (out_path) {
			close(out[1]);
			out[1] = open(out_path, O_WRONLY);
		}
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	j->out = out[0];
	j->err = err[0];
	return j->pid > 0 ? 0 : -1;
}

/* Collect a started program's output and exit status. */
static void finish(struct job *j, struct run *r)
{
	int status;

	memset(r, 0, sizeof(*r));
	r->code = -1;
	r->out_len = slurp(j->out, r->out, sizeof(r->out));
	slurp(j->err, r->err, sizeof(r->err));
	close(j->out);
	close(j->err);
	if (waitpid(j->pid, &status, 0) == j->pid && WIFEXITED(status))
		r->code = WEXITSTATUS(status);
	r->seconds = now() - j->t0;
}

/* Run a program with arguments, capturing its output and exit status. */
static void run_to(struct run *r, const char *out_path,
		   const char *const argv[])
{
	struct job j;

	if (start(&j, out_path, argv)) {
		memset(r, 0, sizeof(*r));
		r->code = -1;
		return;
	}
	finish(&j, r);
}

static void run(struct run *r, const char *const argv[])
{
	run_to(r, NULL, argv);
}

/* A small JSON checker: returns the end of one value, or NULL. */
static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *json_value(const char *p);

static const char *json_digits(const char *p)
{
	if (!isdigit((unsigned char)*p))
		return NULL;
	while (isdigit((unsigned char)*p))
		p++;
	return p;
}

/* RFC 8259: -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
static const char *json_number(const char *p)
{
	if (*p == '-')
		p++;
	if (*p == '0')
		p++;
	else
		p = json_digits(p);
	if (p && *p == '.')
		p = json_digits(p + 1);
	if (!p)
		return NULL;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		p = json_digits(p);
	}
	return p;
}

static const char *json_string(const char *p)
{
	if (*p++ != '"')
		return NULL;
	while (*p && *p != '"') {
		if ((unsigned char)*p < 0x20)
			return NULL;
		if (*p == '\\') {
			p++;
			if (*p == 'u') {
				int i;

				for (i = 1; i <= 4; i++)
					if (!isxdigit((unsigned char)p[i]))
						return NULL;
				p += 4;
			} else if (!strchr("\"\\/bfnrt", *p) || !*p) {
				return NULL;
			}
		}
		p++;
	}
	return *p == '"' ? p + 1 : NULL;
}

static const char *json_container(const char *p, char open, char close,
				  int keyed)
{
	if (*p++ != open)
		return NULL;
	p = json_ws(p);
	if (*p == close)
		return p + 1;
	for (;;) {
		if (keyed) {
			p = json_string(json_ws(p));
			if (!p)
				return NULL;
			p = json_ws(p);
			if (*p++ != ':')
				return NULL;
		}
		p = json_value(json_ws(p));
		if (!p)
			return NULL;
		p = json_ws(p);
		if (*p == close)
			return p + 1;
		if (*p++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *p)
{
	if (*p == '{')
		return json_container(p, '{', '}', 1);
	if (*p == '[')
		return json_container(p, '[', ']', 0);
	if (*p == '"')
		return json_string(p);
	if (!strncmp(p, "true", 4) || !strncmp(p, "null", 4))
		return p + 4;
	if (!strncmp(p, "false", 5))
		return p + 5;
	if (*p == '-' || isdigit((unsigned char)*p))
		return json_number(p);
	return NULL;
}

static int json_ok(const char *doc)
{
	const char *end = json_value(json_ws(doc));

	return end && !*json_ws(end);
}

#define CTL_RUN(r, ...) run(r, (const char *const[]){ CTL, __VA_ARGS__, NULL })
#define CTL_RUN_TO(r, path, ...) \
	run_to(r, path, (const char *const[]){ CTL, __VA_ARGS__, NULL })
#define CTL_START(j, ...) \
	start(j, NULL, (const char *const[]){ CTL, __VA_ARGS__, NULL })

/* The checker itself: JSON's grammar, not strtod()'s. */
TEST(json_checker_follows_the_grammar)
{
	static const char *const good[] = {
		"0", "-0", "7", "10", "-12.5", "0.25", "1e5", "1E+5", "2.5e-3",
		"[0,1,-1]", "{\"a\":-0.0e0}", " 3 ", NULL
	};
	static const char *const bad[] = {
		"0x1f", "-inf", "inf", "nan", "007", "01", "-", "+1", "1.",
		".5", "1e", "1e+", "-.5", "1.e5", "0x", "1_000", "[1,]", "--1",
		NULL
	};
	const char *const *doc;

	for (doc = good; *doc; doc++) {
		EXPECT_TRUE(json_ok(*doc))
			TH_LOG("accepts %s", *doc);
	}
	for (doc = bad; *doc; doc++) {
		EXPECT_FALSE(json_ok(*doc))
			TH_LOG("refuses %s", *doc);
	}
}

/* The first of @wants (NULL-terminated) that @text lacks, or NULL. */
static const char *missing(const char *text, const char *const *wants)
{
	for (; *wants; wants++)
		if (!strstr(text, *wants))
			return *wants;
	return NULL;
}

TEST(help_lists_commands_and_exit_codes)
{
	static const char code9[] =
		"  9  negotiate, read, print --mode: the peripheral does not speak the";
	struct run r;

	CTL_RUN(&r, "--help");
	EXPECT_EQ(0, r.code);
	EXPECT_NE(NULL, strstr(r.out, "Exit codes"));
	EXPECT_NE(NULL, strstr(r.out, "hold PORT --for"));
	EXPECT_NE(NULL, strstr(r.out, "device-id PORT"));
	EXPECT_NE(NULL, strstr(r.out, "  8  device-id: the peripheral gave no device ID"));
	EXPECT_NE(NULL, strstr(r.out, "  negotiate PORT MODE"));
	EXPECT_NE(NULL, strstr(r.out, "  read PORT"));
	EXPECT_NE(NULL, strstr(r.out, "  --mode MODE"));
	EXPECT_NE(NULL, strstr(r.out, "  --count N"));
	EXPECT_NE(NULL, strstr(r.out, code9));
}

TEST(bad_command_lines_exit_2_with_a_message)
{
	struct run r;

	CTL_RUN(&r, "frobnicate");
	EXPECT_EQ(2, r.code);
	EXPECT_NE(NULL, strstr(r.err, "unknown command"));
	CTL_RUN(&r, "hold", "0");
	EXPECT_EQ(2, r.code);
	CTL_RUN(&r, "info", "LPT0");
	EXPECT_EQ(2, r.code);
	CTL_RUN(&r, "device-id");
	EXPECT_EQ(2, r.code);
	CTL_RUN(&r, "device-id", "0", "--daisy", "4");
	EXPECT_EQ(2, r.code);
	EXPECT_NE(NULL, strstr(r.err, "not a chain address")) TH_LOG("%s", r.err);
	CTL_RUN(&r, "device-id", "0", "--daisy", "x");
	EXPECT_EQ(2, r.code);
	CTL_RUN(&r, "device-id", "0", "--daisy");
	EXPECT_EQ(2, r.code);
	CTL_RUN(&r, "device-id", "0", "--raw", "--json");
	EXPECT_EQ(2, r.code);
	EXPECT_NE(NULL, strstr(r.err, "--raw and --json")) TH_LOG("%s", r.err);
	CTL_RUN(&r, "status", "0", "--raw");
	EXPECT_EQ(2, r.code);
	CTL_RUN(&r, "status", "0", "--daisy", "1");
	EXPECT_EQ(2, r.code);
	CTL_RUN(&r, "status", "0", "--timeout", "x");
	EXPECT_EQ(2, r.code);
	CTL_RUN(&r, "device-id", "0", "extra");
	EXPECT_EQ(2, r.code);
	CTL_RUN(&r, "negotiate", "0", "ecp,compat");
	EXPECT_EQ(2, r.code);
	EXPECT_NE(NULL, strstr(r.err, "is not a mode")) TH_LOG("%s", r.err);
	CTL_RUN(&r, "negotiate", "0");
	EXPECT_EQ(2, r.code);
	CTL_RUN(&r, "read", "0", "--mode", "nibble,byte");
	EXPECT_EQ(2, r.code);
	CTL_RUN(&r, "read", "0", "--count", "0");
	EXPECT_EQ(2, r.code);
	CTL_RUN(&r, "read", "0", "--json");
	EXPECT_EQ(2, r.code);
	CTL_RUN(&r, "print", "0", "-", "--mode", "byte");
	EXPECT_EQ(2, r.code);
	EXPECT_NE(NULL, strstr(r.err, "is not a write mode")) TH_LOG("%s", r.err);
	CTL_RUN(&r, "status", "0", "--mode", "ecp");
	EXPECT_EQ(2, r.code);
	/* Nothing reached a port: standard output stays empty. */
	EXPECT_EQ(0, r.out_len);
}

TEST(version_text_and_json)
{
	struct run r;

	CTL_RUN(&r, "version");
	EXPECT_EQ(0, r.code);
	EXPECT_NE(NULL, strstr(r.out, "parclass module: ABI 1"));
	CTL_RUN(&r, "version", "--json");
	EXPECT_EQ(0, r.code);
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\"module_abi\":1"));
}

TEST(list_text_and_json)
{
	struct run r;

	CTL_RUN(&r, "list");
	EXPECT_EQ(0, r.code);
	EXPECT_NE(NULL, strstr(r.out, "parport0"));
	EXPECT_NE(NULL, strstr(r.out, "LPT2"));
	EXPECT_NE(NULL, strstr(r.out, "PCSPP,TRISTATE"));
	CTL_RUN(&r, "list", "--json");
	EXPECT_EQ(0, r.code);
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\"name\":\"parport0\""));
	EXPECT_NE(NULL, strstr(r.out, "\"name\":\"parport1\""));
	EXPECT_NE(NULL, strstr(r.out, "\"holder\":\"none\""));
}

TEST(info_text_and_json)
{
	struct run r;

	CTL_RUN(&r, "info", "LPT2");
	EXPECT_EQ(0, r.code);
	EXPECT_NE(NULL, strstr(r.out, "parport1 (LPT2)"));
	CTL_RUN(&r, "info", "parport1", "--json");
	EXPECT_EQ(0, r.code);
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\"number\":1,"));
	EXPECT_NE(NULL, strstr(r.out, "\"location\":\"LPT2\""));
	EXPECT_NE(NULL, strstr(r.out, "\"hw_caps_text\":\"BYTE\""));
	CTL_RUN(&r, "info", "4000");
	EXPECT_EQ(3, r.code);
	EXPECT_NE(NULL, strstr(r.err, "does not exist"));
}

/* Start "parclassctl hold PORT --for SECS" and wait until it holds. */
static pid_t start_hold(const char *port, const char *secs)
{
	pid_t pid = fork();
	int i;

	if (pid == 0) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, 1);
		execl(CTL, CTL, "hold", port, "--for", secs, (char *)NULL);
		_exit(127);
	}
	for (i = 0; i < 100; i++) {
		struct run r;

		CTL_RUN(&r, "status", port, "--json", "--timeout", "0");
		if (strstr(r.out, "\"holder\":\"session\""))
			break;
		usleep(50 * 1000);
	}
	return pid;
}

TEST(status_shows_the_holder)
{
	struct run r;
	int status;
	pid_t pid;

	CTL_RUN(&r, "status", "0", "--json");
	EXPECT_EQ(0, r.code);
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\"free\":true"));
	EXPECT_NE(NULL, strstr(r.out, "\"status_unavailable\":null"));

	/* Held by another parclassctl: no peripheral status, exit 4. */
	pid = start_hold("0", "4");
	ASSERT_LT(0, pid);
	CTL_RUN(&r, "status", "0", "--json");
	EXPECT_EQ(4, r.code);
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\"free\":false"));
	EXPECT_NE(NULL, strstr(r.out, "\"holder\":\"session\""));
	EXPECT_NE(NULL, strstr(r.out, "\"holder_comm\":\"parclassctl\""));
	EXPECT_NE(NULL, strstr(r.out, "\"status\":null"));
	EXPECT_NE(NULL, strstr(r.out, "\"status_unavailable\":\"busy\""));
	CTL_RUN(&r, "status", "0");
	EXPECT_EQ(4, r.code);
	EXPECT_NE(NULL, strstr(r.out, "parport0 (LPT1): busy"));
	EXPECT_NE(NULL, strstr(r.out, "(parclassctl)"));
	EXPECT_NE(NULL, strstr(r.out, "status:    unavailable: the port is busy"))
		TH_LOG("%s", r.out);
	CTL_RUN(&r, "list");
	EXPECT_NE(NULL, strstr(r.out, "(parclassctl)"));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
}

TEST(print_timeout_against_a_held_port_is_busy)
{
	struct run r;
	int status;
	pid_t pid;

	pid = start_hold("0", "4");
	ASSERT_LT(0, pid);
	CTL_RUN(&r, "print", "0", "/dev/null", "--timeout", "1");
	EXPECT_EQ(4, r.code);
	EXPECT_GE(r.seconds, 0.9);
	EXPECT_LT(r.seconds, 3.0);
	EXPECT_NE(NULL, strstr(r.err, "parport0 is busy: held by parclass client pid"))
		TH_LOG("%s", r.err);
	EXPECT_NE(NULL, strstr(r.err, "gave up after 1.0 s")) TH_LOG("%s", r.err);
	CTL_RUN(&r, "print", "0", "/dev/null", "--timeout", "0");
	EXPECT_EQ(4, r.code);
	kill(pid, SIGTERM);
	waitpid(pid, &status, 0);
}

TEST(print_64k_to_parport1)
{
	struct run r;

	CTL_RUN(&r, "print", "LPT2", PRINT_DATA, "--timeout", "10");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	CTL_RUN(&r, "print", "1", "/no/such/file");
	EXPECT_EQ(1, r.code);
}

TEST(example_program_runs_both_flows)
{
	static const char *const argv[] = {
		"/usr/bin/parclass-example", "1", "/dev/null", NULL
	};
	char *line, *eol;
	struct run r;

	run(&r, argv);
	EXPECT_EQ(0, r.code) TH_LOG("%s%s", r.out, r.err);
	EXPECT_NE(NULL, strstr(r.out, "ESTALE"));
	EXPECT_NE(NULL, strstr(r.out, "Status=0xC0000008"));
	line = strstr(r.out, "IOCTL_INTERNAL_PARCLASS_DISCONNECT ");
	ASSERT_NE(NULL, line);
	eol = strchr(line, '\n');
	ASSERT_NE(NULL, eol);
	*eol = 0;
	EXPECT_NE(NULL, strstr(line, "Status=0x00000000 Information=0"))
		TH_LOG("%s", line);
}

/* A simulated port, and its number as parclassctl's PORT argument. */
FIXTURE(sim) {
	char name[32];
	char port[16];
	int num;
};

FIXTURE_SETUP(sim)
{
	snprintf(self->name, sizeof(self->name), "ctl%d", (int)getpid());
	self->num = sim_create(self->name, NULL, NULL);
	ASSERT_LE(2, self->num);
	snprintf(self->port, sizeof(self->port), "%d", self->num);
}

FIXTURE_TEARDOWN(sim)
{
	sim_destroy(self->name);
}

/* The README's fault table, and what parclassctl shows for each row. */
static const struct {
	const char *faults;
	unsigned int raw;
	unsigned int status;
	const char *flags;	/* text */
	const char *json_flags;
	const char *lines;	/* text */
	const char *json_lines;
} fault_rows[] = {
	{ "none", 0xd8, 0x80, "SELECTED", "\"SELECTED\"",
	  "Busy low, nAck high, PError low, Select high, nFault high",
	  "\"Busy\":0,\"nAck\":1,\"PError\":0,\"Select\":1,\"nFault\":1" },
	{ "paperout", 0xf0, 0x84, "PAPER_EMPTY,SELECTED",
	  "\"PAPER_EMPTY\",\"SELECTED\"",
	  "Busy low, nAck high, PError high, Select high, nFault low",
	  "\"Busy\":0,\"nAck\":1,\"PError\":1,\"Select\":1,\"nFault\":0" },
	{ "offline", 0xc0, 0x00, "none", "",
	  "Busy low, nAck high, PError low, Select low, nFault low",
	  "\"Busy\":0,\"nAck\":1,\"PError\":0,\"Select\":0,\"nFault\":0" },
	{ "error", 0xd0, 0x80, "SELECTED", "\"SELECTED\"",
	  "Busy low, nAck high, PError low, Select high, nFault low",
	  "\"Busy\":0,\"nAck\":1,\"PError\":0,\"Select\":1,\"nFault\":0" },
	{ "busy", 0x58, 0xc0, "BUSY,SELECTED", "\"BUSY\",\"SELECTED\"",
	  "Busy high, nAck high, PError low, Select high, nFault high",
	  "\"Busy\":1,\"nAck\":1,\"PError\":0,\"Select\":1,\"nFault\":1" },
	{ "off", 0x80, 0x10, "POWER_OFF", "\"POWER_OFF\"",
	  "Busy low, nAck low, PError low, Select low, nFault low",
	  "\"Busy\":0,\"nAck\":0,\"PError\":0,\"Select\":0,\"nFault\":0" },
	{ "nocable", 0x78, 0xd0, "POWER_OFF,BUSY,SELECTED",
	  "\"POWER_OFF\",\"BUSY\",\"SELECTED\"",
	  "Busy high, nAck high, PError high, Select high, nFault high",
	  "\"Busy\":1,\"nAck\":1,\"PError\":1,\"Select\":1,\"nFault\":1" },
};

TEST_F(sim, status_decodes_each_fault)
{
	char want[256];
	unsigned int i;
	struct run r;

	for (i = 0; i < ARRAY_SIZE(fault_rows); i++) {
		ASSERT_EQ(0, sim_puts(self->name, "faults", fault_rows[i].faults));
		CTL_RUN(&r, "status", self->port);
		EXPECT_EQ(0, r.code) TH_LOG("%s: %s", fault_rows[i].faults, r.err);
		EXPECT_NE(NULL, strstr(r.out, "): free\n")) TH_LOG("%s", r.out);
		snprintf(want, sizeof(want), "\nstatus:    0x%02x %s\n",
			 fault_rows[i].status, fault_rows[i].flags);
		EXPECT_NE(NULL, strstr(r.out, want))
			TH_LOG("%s: want '%s' in:\n%s", fault_rows[i].faults,
			       want, r.out);
		snprintf(want, sizeof(want), "\nregister:  0x%02x: %s\n",
			 fault_rows[i].raw, fault_rows[i].lines);
		EXPECT_NE(NULL, strstr(r.out, want))
			TH_LOG("%s: want '%s' in:\n%s", fault_rows[i].faults,
			       want, r.out);

		CTL_RUN(&r, "status", self->port, "--json");
		EXPECT_EQ(0, r.code) TH_LOG("%s: %s", fault_rows[i].faults, r.err);
		EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
		snprintf(want, sizeof(want),
			 "\"status\":%u,\"status_flags\":[%s],\"raw_status\":%u,\"lines\":{%s},\"status_unavailable\":null}",
			 fault_rows[i].status, fault_rows[i].json_flags,
			 fault_rows[i].raw, fault_rows[i].json_lines);
		EXPECT_NE(NULL, strstr(r.out, want))
			TH_LOG("%s: want '%s' in:\n%s", fault_rows[i].faults,
			       want, r.out);
		/* The runs before let the port go and disconnected. */
		EXPECT_NE(NULL, strstr(r.out, "\"free\":true"));
		EXPECT_NE(NULL, strstr(r.out, "\"sessions\":0,"));
	}
}

/*
 * A port another parclass session holds: status waits 0.5 s (or
 * --timeout), names the holder, says the peripheral's status is
 * unavailable and exits 4; device-id exits 4 too; the holder keeps the
 * port throughout.
 */
TEST_F(sim, held_port_is_busy_and_the_holder_keeps_it)
{
	static const char *const busy_text[] = {
		"status:    unavailable: the port is busy (gave up after 0.5 s)\n",
		NULL
	};
	static const char *const busy_json[] = {
		"\"status\":null,\"status_flags\":null,\"raw_status\":null,\"lines\":null,\"status_unavailable\":\"busy\"}\n",
		NULL
	};
	struct parclass_query_information q = { .size = sizeof(q) };
	char want[128];
	__u64 token;
	struct run r;
	int fd;

	ASSERT_EQ(0, sim_puts(self->name, "device_id", "MFG:Acme;MDL:Held;"));
	fd = pc_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pc_connect(fd, self->num, &token));
	ASSERT_EQ(0, pc_try_allocate(fd, token));

	CTL_RUN(&r, "status", self->port);
	EXPECT_EQ(4, r.code) TH_LOG("%s%s", r.out, r.err);
	EXPECT_GE(r.seconds, 0.45);
	EXPECT_LT(r.seconds, 5.0);
	EXPECT_NE(NULL, strstr(r.out, "): busy\n")) TH_LOG("%s", r.out);
	snprintf(want, sizeof(want), "held by:   pid %d (", (int)getpid());
	EXPECT_NE(NULL, strstr(r.out, want)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "sessions:  1\n")) TH_LOG("%s", r.out);
	EXPECT_EQ(NULL, missing(r.out, busy_text)) TH_LOG("%s", r.out);
	EXPECT_EQ(NULL, strstr(r.out, "register:"));
	snprintf(want, sizeof(want), "is busy: held by parclass client pid %d (",
		 (int)getpid());
	EXPECT_NE(NULL, strstr(r.err, want)) TH_LOG("%s", r.err);

	CTL_RUN(&r, "status", self->port, "--json", "--timeout", "0.2");
	EXPECT_EQ(4, r.code);
	EXPECT_GE(r.seconds, 0.15);
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	snprintf(want, sizeof(want), "\"holder\":\"session\",\"holder_pid\":%d,",
		 (int)getpid());
	EXPECT_NE(NULL, strstr(r.out, want)) TH_LOG("%s", r.out);
	EXPECT_EQ(NULL, missing(r.out, busy_json)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.err, "gave up after 0.2 s")) TH_LOG("%s", r.err);

	CTL_RUN(&r, "status", self->port, "--timeout", "0");
	EXPECT_EQ(4, r.code);

	CTL_RUN(&r, "device-id", self->port, "--timeout", "0.2");
	EXPECT_EQ(4, r.code);
	EXPECT_EQ(0, r.out_len);
	snprintf(want, sizeof(want), "is busy: held by parclass client pid %d (",
		 (int)getpid());
	EXPECT_NE(NULL, strstr(r.err, want)) TH_LOG("%s", r.err);

	/* The holder still holds: QUERY_INFORMATION needs that, FREE too. */
	q.token = token;
	EXPECT_EQ(0, ioctl(fd, PARCLASS_IOC_QUERY_INFORMATION, &q));
	EXPECT_EQ(0xd8, q.raw_status);
	EXPECT_EQ(0, pc_is_free(fd, token));
	EXPECT_EQ(0, pc_free(fd, token));

	/* Free now: both answer. */
	CTL_RUN(&r, "status", self->port);
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_NE(NULL, strstr(r.out, "status:    0x80 SELECTED\n"));
	CTL_RUN(&r, "device-id", self->port);
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_STREQ("MFG:Acme;MDL:Held;\n", r.out);
	close(fd);
}

static const char printer_id[] = "MFG:Acme;MDL:Jet 1;CMD:PCL;CLS:PRINTER;";

TEST_F(sim, device_id_text_raw_and_json)
{
	static const char *const json[] = {
		"{\"port\":",
		"\"daisy\":null,\"length\":39,\"device_id\":\"MFG:Acme;MDL:Jet 1;CMD:PCL;CLS:PRINTER;\",\"valid_utf8\":true,",
		"\"fields\":{\"MFG\":\"Acme\",\"MDL\":\"Jet 1\",\"CMD\":\"PCL\",\"CLS\":\"PRINTER\"}}\n",
		NULL
	};
	size_t len = strlen(printer_id);
	struct run r;

	ASSERT_EQ(0, sim_puts(self->name, "device_id", printer_id));
	CTL_RUN(&r, "device-id", self->port);
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_EQ(len + 1, r.out_len);
	EXPECT_STREQ("MFG:Acme;MDL:Jet 1;CMD:PCL;CLS:PRINTER;\n", r.out);

	CTL_RUN(&r, "device-id", self->port, "--raw");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	ASSERT_EQ(len + 2, r.out_len);
	EXPECT_EQ(0, r.out[0]);
	EXPECT_EQ(len + 2, (unsigned char)r.out[1]);
	EXPECT_EQ(0, memcmp(r.out + 2, printer_id, len));

	CTL_RUN(&r, "device-id", self->port, "--json");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	EXPECT_EQ(NULL, missing(r.out, json)) TH_LOG("%s", r.out);

	/* The port is free and every session gone afterwards. */
	CTL_RUN(&r, "status", self->port, "--json");
	EXPECT_EQ(0, r.code);
	EXPECT_NE(NULL, strstr(r.out, "\"free\":true"));
	EXPECT_NE(NULL, strstr(r.out, "\"sessions\":0,"));
}

/* Long keys, blanks, quotes, a control byte, UTF-8 and a non-UTF-8 byte. */
TEST_F(sim, device_id_json_escapes_and_long_keys)
{
	static const char id[] = "MANUFACTURER:Acme \"Q\\\";\r\n"
				 "COMMAND SET:PCL\x01;MODEL:\xe9t\xc3\xa9;"
				 "junk;MODEL:second;";
	static const char *const json[] = {
		"\"device_id\":\"MANUFACTURER:Acme \\\"Q\\\\\\\";\\u000d\\u000aCOMMAND SET:PCL\\u0001;MODEL:\\u00e9t\xc3\xa9;junk;MODEL:second;\",\"valid_utf8\":false,",
		"\"fields\":{\"MANUFACTURER\":\"Acme \\\"Q\\\\\\\"\",\"COMMAND SET\":\"PCL\\u0001\",\"MODEL\":\"\\u00e9t\xc3\xa9\"}}",
		NULL
	};
	struct run r;

	ASSERT_EQ(0, sim_puts(self->name, "device_id", id));
	CTL_RUN(&r, "device-id", self->port, "--json");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	EXPECT_EQ(NULL, missing(r.out, json)) TH_LOG("%s", r.out);

	/* --raw gives the very bytes. */
	CTL_RUN(&r, "device-id", self->port, "--raw");
	EXPECT_EQ(0, r.code);
	ASSERT_EQ(strlen(id) + 2, r.out_len);
	EXPECT_EQ(0, memcmp(r.out + 2, id, strlen(id)));
}

/* The longest ID a 16-bit length allows, binary-safe through stdout. */
TEST_F(sim, device_id_longest)
{
	static char id[65533 + 1];
	size_t len = sizeof(id) - 1, i;
	struct run r;

	for (i = 0; i < len; i++)
		id[i] = 'A' + i % 26;
	memcpy(id, "MFG:Sim;MDL:", 12);
	id[len - 1] = ';';
	ASSERT_EQ(0, sim_put(self->name, "device_id", id, len));
	CTL_RUN(&r, "device-id", self->port, "--raw", "--timeout", "5");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	ASSERT_EQ(len + 2, r.out_len);
	EXPECT_EQ(0xff, (unsigned char)r.out[0]);
	EXPECT_EQ(0xff, (unsigned char)r.out[1]);
	EXPECT_EQ(0, memcmp(r.out + 2, id, len));
	CTL_RUN(&r, "device-id", self->port);
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	ASSERT_EQ(len + 1, r.out_len);
	EXPECT_EQ(0, memcmp(r.out, id, len));
	EXPECT_EQ('\n', r.out[len]);
}

TEST_F(sim, device_id_none_or_no_ieee1284_exits_8)
{
	struct run r;

	/* parport_sim's peripheral has no ID until told. */
	CTL_RUN(&r, "device-id", self->port);
	EXPECT_EQ(8, r.code);
	EXPECT_EQ(0, r.out_len);
	EXPECT_NE(NULL, strstr(r.err, "has no device ID")) TH_LOG("%s", r.err);
	CTL_RUN(&r, "device-id", self->port, "--json");
	EXPECT_EQ(8, r.code);
	EXPECT_EQ(0, r.out_len);

	ASSERT_EQ(0, sim_puts(self->name, "device_id", printer_id));
	ASSERT_EQ(0, sim_puts(self->name, "modes", "none"));
	CTL_RUN(&r, "device-id", self->port, "--raw");
	EXPECT_EQ(8, r.code);
	EXPECT_EQ(0, r.out_len);
	EXPECT_NE(NULL, strstr(r.err, "did not answer IEEE 1284 negotiation"))
		TH_LOG("%s", r.err);

	/* No port at all. */
	CTL_RUN(&r, "device-id", "4000");
	EXPECT_EQ(3, r.code);
	EXPECT_NE(NULL, strstr(r.err, "does not exist")) TH_LOG("%s", r.err);
	CTL_RUN(&r, "status", "4000");
	EXPECT_EQ(3, r.code);

	/* Nothing was left holding the port. */
	CTL_RUN(&r, "status", self->port, "--json");
	EXPECT_EQ(0, r.code);
	EXPECT_NE(NULL, strstr(r.out, "\"sessions\":0,"));
}

TEST(device_id_daisy_chain)
{
	static const char chain[] = "MFG:Chain;MDL:Zero;CLS:SCANNER;\n"
				    "MFG:Chain;MDL:One;CLS:PRINTER;\n";
	char name[32], port[24];
	struct run r;
	int num;

	snprintf(name, sizeof(name), "ctldaisy%d", (int)getpid());
	num = sim_create(name, "daisy", chain);
	ASSERT_LE(2, num);
	snprintf(port, sizeof(port), "parport%d", num);
	ASSERT_EQ(0, sim_puts(name, "device_id", printer_id));

	CTL_RUN(&r, "device-id", port, "--daisy", "1");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_STREQ("MFG:Chain;MDL:One;CLS:PRINTER;\n", r.out);
	CTL_RUN(&r, "device-id", port, "--daisy", "0");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_STREQ("MFG:Chain;MDL:Zero;CLS:SCANNER;\n", r.out);
	CTL_RUN(&r, "device-id", port);
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_STREQ("MFG:Acme;MDL:Jet 1;CMD:PCL;CLS:PRINTER;\n", r.out);
	CTL_RUN(&r, "device-id", port, "--daisy", "1", "--json");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\"daisy\":1,"));
	EXPECT_NE(NULL, strstr(r.out, "\"fields\":{\"MFG\":\"Chain\",\"MDL\":\"One\","))
		TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\"CLS\":\"PRINTER\"}}\n")) TH_LOG("%s", r.out);
	CTL_RUN(&r, "device-id", port, "--daisy", "1", "--raw");
	EXPECT_EQ(0, r.code);
	ASSERT_EQ(32, r.out_len);
	EXPECT_EQ(0, r.out[0]);
	EXPECT_EQ(32, r.out[1]);
	EXPECT_EQ(0, memcmp(r.out + 2, "MFG:Chain;MDL:One;CLS:PRINTER;", 30));
	/* No device at address 2 of a two-device chain. */
	CTL_RUN(&r, "device-id", port, "--daisy", "2");
	EXPECT_EQ(8, r.code);
	EXPECT_EQ(0, r.out_len);
	EXPECT_NE(NULL, strstr(r.err, "no daisy-chain device answers at address 2"))
		TH_LOG("%s", r.err);
	sim_destroy(name);
}

/* QEMU's LPT has no reverse channel: exit 8, and the port still works. */
TEST(device_id_on_qemu_lpt_exits_8)
{
	struct run r;

	CTL_RUN(&r, "device-id", "LPT1");
	EXPECT_EQ(8, r.code);
	EXPECT_EQ(0, r.out_len);
	EXPECT_NE(NULL, strstr(r.err, "no device ID from parport0: "));
	EXPECT_NE(NULL, strstr(r.err, "did not answer IEEE 1284 negotiation"))
		TH_LOG("%s", r.err);
	CTL_RUN(&r, "device-id", "0", "--raw");
	EXPECT_EQ(8, r.code);
	EXPECT_EQ(0, r.out_len);
	CTL_RUN(&r, "status", "0", "--json");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\"status_unavailable\":null"));
	EXPECT_NE(NULL, strstr(r.out, "\"sessions\":0,"));
}

/* Port @num's entry, seen from a file of our own; 0, or -1 if none. */
static int port_entry(int num, struct parclass_port_entry *out)
{
	struct parclass_port_entry *e;
	int fd = parclass_open(), ret = -1;
	__u32 n, i;

	if (fd < 0)
		return -1;
	if (!parclass_list_ports(fd, &e, &n)) {
		for (i = 0; i < n; i++) {
			if (e[i].info.number == (__u32)num) {
				*out = e[i];
				ret = 0;
			}
		}
		free(e);
	}
	close(fd);
	return ret;
}

/* Wait up to 5 s until port @num has @want parclass waiters. */
static int wait_waiters(int num, __u32 want)
{
	struct parclass_port_entry e;
	int i;

	for (i = 0; i < 1000; i++) {
		if (!port_entry(num, &e) && e.waiters == want)
			return 0;
		usleep(5000);
	}
	return -1;
}

/* Wait up to 5 s until process @pid holds port @num. */
static int wait_holder(int num, pid_t pid)
{
	struct parclass_port_entry e;
	int i;

	for (i = 0; i < 1000; i++) {
		if (!port_entry(num, &e) && e.holder == PARCLASS_HOLDER_SESSION &&
		    e.holder_pid == (__u32)pid)
			return 0;
		usleep(5000);
	}
	return -1;
}

/* SIGSTOP, seen to take effect; then SIGCONT after @ms. */
static int stop_and_continue(pid_t pid, unsigned int ms)
{
	int status;

	if (kill(pid, SIGSTOP) || waitpid(pid, &status, WUNTRACED) != pid ||
	    !WIFSTOPPED(status))
		return -1;
	sim_sleep_ms(ms);
	return kill(pid, SIGCONT);
}

/* A print job of @len bytes, every byte value in it, at @path. */
static int make_job(const char *path, char *job, size_t len)
{
	size_t i;
	int fd;

	for (i = 0; i < len; i++)
		job[i] = (char)(i * 7 + 3);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -1;
	if (write(fd, job, len) != (ssize_t)len) {
		close(fd);
		return -1;
	}
	return close(fd);
}

/* What the simulated printer received is @job, once. */
static int got_job(const char *sim, const char *job, size_t len)
{
	static char fwd[65536 + 1];
	ssize_t n = sim_get(sim, "forward", fwd, sizeof(fwd));

	return n == (ssize_t)len && !memcmp(fwd, job, len) ? 0 : -1;
}

/*
 * A stop and continue while print waits for a held port ends the
 * kernel's wait (EINTR): print waits again, gets the port when it is
 * freed, and the whole job arrives.
 */
TEST_F(sim, stop_and_continue_while_print_waits_for_the_port)
{
	struct parclass_port_entry e;
	static char job[3000];
	int fd, status;
	char path[64];
	struct job j;
	struct run r;
	__u64 token;

	snprintf(path, sizeof(path), "/tmp/%s.job", self->name);
	ASSERT_EQ(0, make_job(path, job, sizeof(job)));
	ASSERT_EQ(0, sim_puts(self->name, "forward", "x"));
	fd = pc_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pc_connect(fd, self->num, &token));
	ASSERT_EQ(0, pc_try_allocate(fd, token));

	ASSERT_EQ(0, CTL_START(&j, "print", self->port, path));
	ASSERT_EQ(0, wait_waiters(self->num, 1));
	ASSERT_EQ(0, kill(j.pid, SIGSTOP));
	ASSERT_EQ(j.pid, waitpid(j.pid, &status, WUNTRACED));
	ASSERT_TRUE(WIFSTOPPED(status));
	/* Stopped: the signal ended its wait, nobody waits now. */
	ASSERT_EQ(0, port_entry(self->num, &e));
	EXPECT_EQ(0, e.waiters);
	sim_sleep_ms(200);
	ASSERT_EQ(0, kill(j.pid, SIGCONT));
	/* It waits again; the port is freed; it prints. */
	EXPECT_EQ(0, wait_waiters(self->num, 1));
	EXPECT_EQ(0, pc_free(fd, token));
	finish(&j, &r);
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_EQ(0, got_job(self->name, job, sizeof(job)));
	ASSERT_EQ(0, port_entry(self->num, &e));
	EXPECT_EQ(1, e.sessions);
	EXPECT_EQ(PARCLASS_HOLDER_NONE, e.holder);
	close(fd);
	unlink(path);
}

/*
 * A stop and continue while the printer is busy ends the WRITE early:
 * print goes on from the first byte not taken, nothing twice.
 */
TEST_F(sim, stop_and_continue_while_the_printer_is_busy)
{
	struct parclass_port_entry e;
	static char job[5000];
	char path[64];
	struct job j;
	struct run r;

	snprintf(path, sizeof(path), "/tmp/%s.job", self->name);
	ASSERT_EQ(0, make_job(path, job, sizeof(job)));
	ASSERT_EQ(0, sim_puts(self->name, "forward", "x"));
	ASSERT_EQ(0, sim_puts(self->name, "faults", "busy"));

	ASSERT_EQ(0, CTL_START(&j, "print", self->port, path));
	ASSERT_EQ(0, wait_holder(self->num, j.pid));
	sim_sleep_ms(200);
	EXPECT_EQ(0, sim_state(self->name, "forward"));
	ASSERT_EQ(0, stop_and_continue(j.pid, 200));
	sim_sleep_ms(200);
	ASSERT_EQ(0, sim_puts(self->name, "faults", "none"));
	finish(&j, &r);
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_EQ(0, got_job(self->name, job, sizeof(job)));
	ASSERT_EQ(0, port_entry(self->num, &e));
	EXPECT_EQ(0, e.sessions);
	EXPECT_EQ(PARCLASS_HOLDER_NONE, e.holder);
	unlink(path);
}

/* status waiting for a held port: a stop and continue, then the port. */
TEST_F(sim, stop_and_continue_while_status_waits_for_the_port)
{
	struct parclass_port_entry e;
	struct job j;
	struct run r;
	__u64 token;
	int fd;

	fd = pc_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pc_connect(fd, self->num, &token));
	ASSERT_EQ(0, pc_try_allocate(fd, token));
	ASSERT_EQ(0, CTL_START(&j, "status", self->port, "--timeout", "10"));
	ASSERT_EQ(0, wait_waiters(self->num, 1));
	ASSERT_EQ(0, stop_and_continue(j.pid, 200));
	EXPECT_EQ(0, wait_waiters(self->num, 1));
	EXPECT_EQ(0, pc_free(fd, token));
	finish(&j, &r);
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_NE(NULL, strstr(r.out, "\nstatus:    0x80 SELECTED\n"))
		TH_LOG("%s", r.out);
	ASSERT_EQ(0, port_entry(self->num, &e));
	EXPECT_EQ(1, e.sessions);
	close(fd);
}

/*
 * The wait for the port keeps its --timeout across a stop: 2 s in all,
 * not 2 s more after the continue.
 */
TEST_F(sim, stop_and_continue_keeps_the_timeout)
{
	struct job j;
	struct run r;
	__u64 token;
	int fd;

	fd = pc_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pc_connect(fd, self->num, &token));
	ASSERT_EQ(0, pc_try_allocate(fd, token));
	ASSERT_EQ(0, CTL_START(&j, "print", self->port, "/dev/null",
			       "--timeout", "2"));
	ASSERT_EQ(0, wait_waiters(self->num, 1));
	while (now() - j.t0 < 0.5)
		sim_sleep_ms(10);
	ASSERT_EQ(0, stop_and_continue(j.pid, 1000));
	finish(&j, &r);
	EXPECT_EQ(4, r.code) TH_LOG("%s", r.err);
	EXPECT_GE(r.seconds, 1.9);
	EXPECT_LT(r.seconds, 2.7);
	EXPECT_NE(NULL, strstr(r.err, "gave up after 2.0 s")) TH_LOG("%s", r.err);
	EXPECT_EQ(0, pc_free(fd, token));
	close(fd);
}

/*
 * SIGINT or SIGTERM while waiting for the port: exit 5 at once, the
 * session gone, the holder still holding.
 */
TEST_F(sim, sigint_or_sigterm_while_waiting_exits_5)
{
	struct parclass_port_entry e;
	struct job j;
	struct run r;
	__u64 token;
	double t;
	int fd;

	fd = pc_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pc_connect(fd, self->num, &token));
	ASSERT_EQ(0, pc_try_allocate(fd, token));

	ASSERT_EQ(0, CTL_START(&j, "print", self->port, "/dev/null"));
	ASSERT_EQ(0, wait_waiters(self->num, 1));
	t = now();
	ASSERT_EQ(0, kill(j.pid, SIGINT));
	finish(&j, &r);
	EXPECT_EQ(5, r.code) TH_LOG("%s", r.err);
	EXPECT_LT(now() - t, 1.0);
	EXPECT_NE(NULL, strstr(r.err, "interrupted while waiting for parport"))
		TH_LOG("%s", r.err);
	ASSERT_EQ(0, port_entry(self->num, &e));
	EXPECT_EQ(1, e.sessions);
	EXPECT_EQ(0, e.waiters);
	EXPECT_EQ((__u32)getpid(), e.holder_pid);

	ASSERT_EQ(0, CTL_START(&j, "status", self->port, "--json",
			       "--timeout", "30"));
	ASSERT_EQ(0, wait_waiters(self->num, 1));
	t = now();
	ASSERT_EQ(0, kill(j.pid, SIGTERM));
	finish(&j, &r);
	EXPECT_EQ(5, r.code) TH_LOG("%s", r.err);
	EXPECT_LT(now() - t, 1.0);
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\"status_unavailable\":\"interrupted\""))
		TH_LOG("%s", r.out);
	ASSERT_EQ(0, port_entry(self->num, &e));
	EXPECT_EQ(1, e.sessions);
	EXPECT_EQ(0, e.waiters);
	EXPECT_EQ(0, pc_free(fd, token));
	close(fd);
}

/* SIGINT while the printer is busy: exit 5 at once, the port freed. */
TEST_F(sim, sigint_while_the_printer_is_busy_exits_5)
{
	struct parclass_port_entry e;
	static char job[1000];
	char path[64];
	struct job j;
	struct run r;
	double t;

	snprintf(path, sizeof(path), "/tmp/%s.job", self->name);
	ASSERT_EQ(0, make_job(path, job, sizeof(job)));
	ASSERT_EQ(0, sim_puts(self->name, "faults", "busy"));
	ASSERT_EQ(0, CTL_START(&j, "print", self->port, path));
	ASSERT_EQ(0, wait_holder(self->num, j.pid));
	sim_sleep_ms(200);
	t = now();
	ASSERT_EQ(0, kill(j.pid, SIGINT));
	finish(&j, &r);
	EXPECT_EQ(5, r.code) TH_LOG("%s", r.err);
	EXPECT_LT(now() - t, 1.0);
	EXPECT_NE(NULL, strstr(r.err, "interrupted after 0 bytes sent to parport"))
		TH_LOG("%s", r.err);
	ASSERT_EQ(0, port_entry(self->num, &e));
	EXPECT_EQ(0, e.sessions);
	EXPECT_EQ(PARCLASS_HOLDER_NONE, e.holder);
	ASSERT_EQ(0, sim_puts(self->name, "faults", "none"));
	unlink(path);
}

/* Output that cannot be written: exit 1 and the write's own error. */
/* IEEE 1284 modes: negotiate, read, print --mode. */

static unsigned char mwant[40000];

/* Random bytes: every value, NULs among them. */
static void fill(unsigned char *p, size_t len, unsigned int seed)
{
	size_t i;

	for (i = 0; i < len; i++) {
		seed = seed * 1103515245 + 12345;
		p[i] = seed >> 16;
	}
}

static int phase_is(const char *sim, const char *phase)
{
	char got[32];

	return !sim_state_word(sim, "phase", got, sizeof(got)) &&
	       !strcmp(got, phase);
}

/* Nobody holds port @num, and no session is left on it. */
static int port_left_alone(int num)
{
	struct parclass_port_entry e;

	return !port_entry(num, &e) && e.holder == PARCLASS_HOLDER_NONE &&
	       !e.sessions;
}

TEST_F(sim, negotiate_shows_the_modes_reached_and_accepted)
{
	static const char all[] =
		"CENTRONICS,IEEE_COMPATIBILITY,NIBBLE,BYTE_BIDIR,EPP_SW,ECP_SW";
	static const char byte_text[] =
		"\nread mode:  BYTE_BIDIR\n"
		"write mode: CENTRONICS\n"
		"accepts:    CENTRONICS,IEEE_COMPATIBILITY,NIBBLE,BYTE_BIDIR\n";
	char want[512];
	struct run r;

	CTL_RUN(&r, "negotiate", self->port, "ecp,nibble");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	snprintf(want, sizeof(want),
		 "port:       parport%d\nasked:      ecp,nibble\nread mode:  ECP_SW\nwrite mode: ECP_SW\naccepts:    %s\n",
		 self->num, all);
	EXPECT_STREQ(want, r.out);
	EXPECT_STREQ("", r.err);
	/* The mode went with parclassctl's session. */
	EXPECT_TRUE(phase_is(self->name, "compat"));
	EXPECT_TRUE(port_left_alone(self->num));

	CTL_RUN(&r, "negotiate", self->port, "byte,epp", "--json");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	snprintf(want, sizeof(want),
		 "{\"port\":%d,\"name\":\"parport%d\",\"mode\":\"byte,epp\",\"read_mask\":80,\"write_mask\":65,\"reached\":true,\"read_mode\":\"EPP_SW\",\"read_mode_bits\":64,\"write_mode\":\"EPP_SW\",\"write_mode_bits\":64,\"accepts\":[\"CENTRONICS\",\"IEEE_COMPATIBILITY\",\"NIBBLE\",\"BYTE_BIDIR\",\"EPP_SW\",\"ECP_SW\"],\"accepts_bits\":1111}\n",
		 self->num, self->num);
	EXPECT_STREQ(want, r.out);

	/* The fastest mode the peripheral takes; compatibility mode writes. */
	ASSERT_EQ(0, sim_puts(self->name, "modes", "nibble byte"));
	CTL_RUN(&r, "negotiate", self->port, "ecp,epp,byte,nibble");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_NE(NULL, strstr(r.out, byte_text)) TH_LOG("%s", r.out);
	CTL_RUN(&r, "negotiate", self->port, "NIBBLE");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_NE(NULL, strstr(r.out, "\nread mode:  NIBBLE\nwrite mode: CENTRONICS\n"))
		TH_LOG("%s", r.out);
	EXPECT_TRUE(port_left_alone(self->num));
}

TEST_F(sim, negotiate_a_mode_the_peripheral_lacks_exits_9)
{
	static const char text[] =
		"\nasked:      ecp\n"
		"read mode:  none\n"
		"write mode: none\n"
		"accepts:    CENTRONICS,IEEE_COMPATIBILITY,NIBBLE,BYTE_BIDIR\n";
	static const char *const json[] = {
		"\"reached\":false,\"read_mode\":null,\"read_mode_bits\":0,\"write_mode\":null,\"write_mode_bits\":0,\"accepts\":[\"CENTRONICS\",\"IEEE_COMPATIBILITY\",\"NIBBLE\",\"BYTE_BIDIR\"],\"accepts_bits\":23}\n",
		NULL
	};
	struct run r;

	ASSERT_EQ(0, sim_puts(self->name, "modes", "nibble byte"));
	CTL_RUN(&r, "negotiate", self->port, "ecp");
	EXPECT_EQ(9, r.code);
	EXPECT_NE(NULL, strstr(r.out, text)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.err, "the peripheral does not speak ecp"))
		TH_LOG("%s", r.err);
	CTL_RUN(&r, "negotiate", self->port, "epp", "--json");
	EXPECT_EQ(9, r.code);
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	EXPECT_EQ(NULL, missing(r.out, json)) TH_LOG("%s", r.out);

	/* Not an IEEE 1284 peripheral. */
	ASSERT_EQ(0, sim_puts(self->name, "modes", "none"));
	CTL_RUN(&r, "negotiate", self->port, "nibble");
	EXPECT_EQ(9, r.code);
	EXPECT_NE(NULL, strstr(r.out, "\naccepts:    CENTRONICS\n")) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.err, "did not answer IEEE 1284 negotiation"))
		TH_LOG("%s", r.err);
	EXPECT_TRUE(port_left_alone(self->num));
	EXPECT_TRUE(phase_is(self->name, "compat"));
}

/* QEMU's LPT has no reverse channel: exit 9, nothing read or printed. */
TEST(negotiate_read_and_print_mode_on_qemu_lpt_exit_9)
{
	static const char text[] =
		"\nread mode:  none\nwrite mode: none\naccepts:    CENTRONICS\n";
	struct run r;

	CTL_RUN(&r, "negotiate", "LPT1", "ecp,nibble");
	EXPECT_EQ(9, r.code);
	EXPECT_NE(NULL, strstr(r.out, text)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.err, "did not answer IEEE 1284 negotiation"))
		TH_LOG("%s", r.err);
	CTL_RUN(&r, "read", "LPT1");
	EXPECT_EQ(9, r.code);
	EXPECT_EQ(0, r.out_len);
	CTL_RUN(&r, "read", "0", "--mode", "byte");
	EXPECT_EQ(9, r.code);
	EXPECT_EQ(0, r.out_len);
	/* An empty job: nothing to print even if the mode were taken. */
	CTL_RUN(&r, "print", "LPT1", "/dev/null", "--mode", "ecp");
	EXPECT_EQ(9, r.code);
	EXPECT_TRUE(port_left_alone(0));
}

/* read: the peripheral's bytes, exactly, in each mode; then nothing. */
TEST_F(sim, read_is_byte_exact_in_each_mode)
{
	static const struct {
		const char *mode;
		size_t len;
	} rows[] = {
		{ NULL, 500 }, { "nibble", 700 }, { "byte", 20000 },
		{ "ecp", 30000 }, { "epp", 3000 },
	};
	unsigned int i;
	struct run r;

	for (i = 0; i < ARRAY_SIZE(rows); i++) {
		fill(mwant, rows[i].len, i + 1);
		ASSERT_EQ(0, sim_put(self->name, "reverse", mwant, rows[i].len));
		if (rows[i].mode)
			CTL_RUN(&r, "read", self->port, "--mode", rows[i].mode);
		else
			CTL_RUN(&r, "read", self->port);
		EXPECT_EQ(0, r.code) TH_LOG("%s: %s", rows[i].mode, r.err);
		EXPECT_EQ(rows[i].len, r.out_len) TH_LOG("%s", rows[i].mode);
		EXPECT_EQ(0, memcmp(r.out, mwant, rows[i].len))
			TH_LOG("%s", rows[i].mode);
		EXPECT_EQ(0, sim_state(self->name, "reverse"));
		EXPECT_TRUE(phase_is(self->name, "compat"));
	}
	/* ECP run-length runs come expanded. */
	memset(mwant, 'z', 5000);
	memset(mwant + 5000, 0, 3000);
	fill(mwant + 8000, 100, 9);
	ASSERT_EQ(0, sim_put(self->name, "reverse", mwant, 8100));
	CTL_RUN(&r, "read", self->port, "--mode", "ecp");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	ASSERT_EQ(8100, r.out_len);
	EXPECT_EQ(0, memcmp(r.out, mwant, 8100));
	/* Nothing to send: nothing, at once. */
	CTL_RUN(&r, "read", self->port, "--mode", "byte");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_EQ(0, r.out_len);
	EXPECT_LT(r.seconds, 2.0);
	EXPECT_TRUE(port_left_alone(self->num));
}

/* read --count: that many, and the rest waits for the next read. */
TEST_F(sim, read_count_stops_there)
{
	struct run r;

	fill(mwant, 300, 5);
	ASSERT_EQ(0, sim_put(self->name, "reverse", mwant, 300));
	CTL_RUN(&r, "read", self->port, "--count", "100");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	ASSERT_EQ(100, r.out_len);
	EXPECT_EQ(0, memcmp(r.out, mwant, 100));
	EXPECT_EQ(200, sim_state(self->name, "reverse"));
	CTL_RUN(&r, "read", self->port, "--mode", "byte", "--count", "1000");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	ASSERT_EQ(200, r.out_len);
	EXPECT_EQ(0, memcmp(r.out, mwant + 100, 200));
}

TEST_F(sim, read_a_mode_the_peripheral_lacks_exits_9)
{
	struct run r;

	ASSERT_EQ(0, sim_puts(self->name, "modes", "nibble"));
	ASSERT_EQ(0, sim_puts(self->name, "reverse", "kept"));
	CTL_RUN(&r, "read", self->port, "--mode", "ecp");
	EXPECT_EQ(9, r.code);
	EXPECT_EQ(0, r.out_len);
	EXPECT_NE(NULL, strstr(r.err, "the peripheral does not speak ecp"))
		TH_LOG("%s", r.err);
	EXPECT_EQ(4, sim_state(self->name, "reverse"));
	ASSERT_EQ(0, sim_puts(self->name, "modes", "none"));
	CTL_RUN(&r, "read", self->port);
	EXPECT_EQ(9, r.code);
	EXPECT_EQ(0, r.out_len);
	EXPECT_NE(NULL, strstr(r.err, "did not answer IEEE 1284 negotiation"))
		TH_LOG("%s", r.err);
	EXPECT_TRUE(port_left_alone(self->num));
}

/* print --mode ecp|epp: the job, byte for byte, in that mode. */
TEST_F(sim, print_mode_ecp_and_epp)
{
	static const char *const modes[] = { "ecp", "epp" };
	static char job[20000];
	char path[64];
	unsigned int i;
	struct run r;

	snprintf(path, sizeof(path), "/tmp/%s.job", self->name);
	ASSERT_EQ(0, make_job(path, job, sizeof(job)));
	for (i = 0; i < ARRAY_SIZE(modes); i++) {
		ASSERT_EQ(0, sim_puts(self->name, "forward", "x"));
		CTL_RUN(&r, "print", self->port, path, "--mode", modes[i]);
		EXPECT_EQ(0, r.code) TH_LOG("%s: %s", modes[i], r.err);
		EXPECT_EQ(0, got_job(self->name, job, sizeof(job)))
			TH_LOG("%s", modes[i]);
		EXPECT_TRUE(phase_is(self->name, "compat"));
	}
	/* Without ECP: nothing sent, exit 9. */
	ASSERT_EQ(0, sim_puts(self->name, "modes", "nibble byte"));
	ASSERT_EQ(0, sim_puts(self->name, "forward", "x"));
	CTL_RUN(&r, "print", self->port, path, "--mode", "ecp");
	EXPECT_EQ(9, r.code);
	EXPECT_NE(NULL, strstr(r.err, "the peripheral does not speak ecp"))
		TH_LOG("%s", r.err);
	EXPECT_EQ(0, sim_state(self->name, "forward"));
	/* In compatibility mode it prints. */
	CTL_RUN(&r, "print", self->port, path);
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_EQ(0, got_job(self->name, job, sizeof(job)));
	EXPECT_TRUE(port_left_alone(self->num));
	unlink(path);
}

TEST(output_that_cannot_be_written_exits_1)
{
	static const char enospc[] = "writing the output failed: No space left on device";
	struct run r;

	CTL_RUN_TO(&r, "/dev/full", "version", "--json");
	EXPECT_EQ(1, r.code);
	EXPECT_NE(NULL, strstr(r.err, enospc)) TH_LOG("%s", r.err);
	CTL_RUN_TO(&r, "/dev/full", "--help");
	EXPECT_EQ(1, r.code);
	EXPECT_NE(NULL, strstr(r.err, enospc)) TH_LOG("%s", r.err);
	CTL_RUN_TO(&r, "/dev/full", "list", "--json");
	EXPECT_EQ(1, r.code);
	EXPECT_NE(NULL, strstr(r.err, enospc)) TH_LOG("%s", r.err);
	/* Written, it succeeds. */
	CTL_RUN_TO(&r, "/dev/null", "version", "--json");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
}

/* A long device ID whose first write fails: the same, the port freed. */
TEST_F(sim, device_id_to_a_full_device_exits_1)
{
	static char id[65533];
	struct parclass_port_entry e;
	struct run r;
	size_t i;

	for (i = 0; i < sizeof(id); i++)
		id[i] = 'a' + i % 26;
	ASSERT_EQ(0, sim_put(self->name, "device_id", id, sizeof(id)));
	CTL_RUN_TO(&r, "/dev/full", "device-id", self->port, "--raw",
		   "--timeout", "5");
	EXPECT_EQ(1, r.code);
	EXPECT_NE(NULL, strstr(r.err, "writing the output failed: No space left on device"))
		TH_LOG("%s", r.err);
	ASSERT_EQ(0, port_entry(self->num, &e));
	EXPECT_EQ(0, e.sessions);
}

/* list shows the daisy-chain devices after their port; info takes LPTn.m. */
TEST(list_and_info_show_the_daisy_chain)
{
	static const char chain[] = "MFG:Chain;MDL:Zero;CLS:SCANNER;\n"
				    "MFG:Chain;MDL:One;CLS:PRINTER;\n";
	char name[32], want[64], dev[32];
	const char *port_row, *row0, *row1;
	struct run r;
	int num;

	snprintf(name, sizeof(name), "ctlchain%d", (int)getpid());
	num = sim_create(name, "daisy", chain);
	ASSERT_LE(2, num);

	CTL_RUN(&r, "list");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	/* The columns: PORT 11 wide, LPT 7. */
	snprintf(dev, sizeof(dev), "parport%d", num);
	snprintf(want, sizeof(want), "\n%-11s LPT%d ", dev, num + 1);
	port_row = strstr(r.out, want);
	EXPECT_NE(NULL, port_row) TH_LOG("%s", r.out);
	snprintf(dev, sizeof(dev), "parport%d.0", num);
	snprintf(want, sizeof(want), "\n%-11s LPT%d.0 ", dev, num + 1);
	row0 = strstr(r.out, want);
	EXPECT_NE(NULL, row0) TH_LOG("%s", r.out);
	snprintf(dev, sizeof(dev), "parport%d.1", num);
	snprintf(want, sizeof(want), "\n%-11s LPT%d.1 ", dev, num + 1);
	row1 = strstr(r.out, want);
	EXPECT_NE(NULL, row1) TH_LOG("%s", r.out);
	/* Right after their port, in order. */
	EXPECT_TRUE(port_row && row0 && row1 && port_row < row0 && row0 < row1);
	snprintf(want, sizeof(want), "parport%d.2 ", num);
	EXPECT_EQ(NULL, strstr(r.out, want));

	CTL_RUN(&r, "list", "--json");
	EXPECT_EQ(0, r.code);
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	snprintf(want, sizeof(want), "\"location\":\"LPT%d.1\"", num + 1);
	EXPECT_NE(NULL, strstr(r.out, want)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\"daisy_count\":2,\"daisy\":null"));
	EXPECT_NE(NULL, strstr(r.out, "\"daisy_count\":2,\"daisy\":1"));

	snprintf(dev, sizeof(dev), "LPT%d.1", num + 1);
	CTL_RUN(&r, "info", dev);
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	snprintf(want, sizeof(want), "(LPT%d.1)", num + 1);
	EXPECT_NE(NULL, strstr(r.out, want)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "daisy chain:  2 device(s)\n"));
	EXPECT_NE(NULL, strstr(r.out, "chain device: 1\n")) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "1284.3")) TH_LOG("%s", r.out);
	snprintf(dev, sizeof(dev), "parport%d.0", num);
	CTL_RUN(&r, "info", dev, "--json");
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\"daisy_count\":2,\"daisy\":0"));
	/* The chain device's device ID, named so. */
	snprintf(dev, sizeof(dev), "%d.1", num);
	CTL_RUN(&r, "device-id", dev);
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_STREQ("MFG:Chain;MDL:One;CLS:PRINTER;\n", r.out);
	/* Beyond the chain: no such device, exit 3. */
	snprintf(dev, sizeof(dev), "LPT%d.3", num + 1);
	CTL_RUN(&r, "info", dev);
	EXPECT_EQ(3, r.code);
	EXPECT_NE(NULL, strstr(r.err, "has no daisy-chain device 3"))
		TH_LOG("%s", r.err);
	/* The port itself: no chain device line. */
	snprintf(dev, sizeof(dev), "LPT%d", num + 1);
	CTL_RUN(&r, "info", dev);
	EXPECT_EQ(0, r.code);
	EXPECT_NE(NULL, strstr(r.out, "daisy chain:  2 device(s)\n"));
	EXPECT_EQ(NULL, strstr(r.out, "chain device:"));
	sim_destroy(name);
}

/* The sessions on port @num, or -1. */
static int sessions_of(int num)
{
	struct parclass_port_entry e;

	return port_entry(num, &e) ? -1 : (int)e.sessions;
}

/* A simulated port with interrupt 7; allow_interrupts restored after. */
FIXTURE(irq) {
	char name[32];
	char port[24];
	int num;
	char old;
};

FIXTURE_SETUP(irq)
{
	snprintf(self->name, sizeof(self->name), "ctlirq%d", (int)getpid());
	self->old = pc_allow_interrupts(0);
	ASSERT_NE(0, self->old);
	self->num = sim_create(self->name, "irq", "7");
	ASSERT_LE(2, self->num);
	snprintf(self->port, sizeof(self->port), "parport%d", self->num);
}

FIXTURE_TEARDOWN(irq)
{
	sim_destroy(self->name);
	if (self->old)
		pc_allow_interrupts(self->old == 'Y');
}

TEST_F(irq, wait_irq_not_allowed_exits_10)
{
	struct run r;

	CTL_RUN(&r, "wait-irq", self->port, "--timeout", "1");
	EXPECT_EQ(10, r.code);
	EXPECT_EQ(0, r.out_len);
	EXPECT_NE(NULL, strstr(r.err, "allow_interrupts is off")) TH_LOG("%s", r.err);
	/* Nothing left behind. */
	EXPECT_EQ(0, sessions_of(self->num));
}

TEST_F(irq, wait_irq_counts_the_interrupts)
{
	struct job j;
	struct run r;
	int i;

	ASSERT_NE(0, pc_allow_interrupts(1));
	ASSERT_EQ(0, CTL_START(&j, "wait-irq", self->port, "--count", "3",
			       "--timeout", "10"));
	ASSERT_EQ(0, wait_holder(self->num, j.pid));
	for (i = 0; i < 3; i++) {
		ASSERT_EQ(0, sim_puts(self->name, "interrupt", "1"));
		usleep(20 * 1000);
	}
	finish(&j, &r);
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_STREQ("3\n", r.out);
	EXPECT_GT(8, r.seconds);
	EXPECT_EQ(0, sessions_of(self->num));

	/* --json */
	ASSERT_EQ(0, CTL_START(&j, "wait-irq", self->port, "--json",
			       "--timeout", "10"));
	ASSERT_EQ(0, wait_holder(self->num, j.pid));
	ASSERT_EQ(0, sim_puts(self->name, "interrupt", "1"));
	finish(&j, &r);
	EXPECT_EQ(0, r.code) TH_LOG("%s", r.err);
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\"interrupts\":1,\"wanted\":1,\"complete\":true"))
		TH_LOG("%s", r.out);
}

TEST_F(irq, wait_irq_timeout_exits_11)
{
	struct run r;

	ASSERT_NE(0, pc_allow_interrupts(1));
	CTL_RUN(&r, "wait-irq", self->port, "--count", "2", "--timeout", "0.5");
	EXPECT_EQ(11, r.code) TH_LOG("%s", r.err);
	EXPECT_STREQ("0\n", r.out);
	EXPECT_NE(NULL, strstr(r.err, "0 of 2 interrupt(s)")) TH_LOG("%s", r.err);
	EXPECT_LE(0.45, r.seconds);
	EXPECT_GT(3, r.seconds);
	EXPECT_EQ(0, sessions_of(self->num));
}

TEST_F(irq, wait_irq_sigterm_exits_5)
{
	struct job j;
	struct run r;

	ASSERT_NE(0, pc_allow_interrupts(1));
	ASSERT_EQ(0, CTL_START(&j, "wait-irq", self->port, "--count", "5"));
	ASSERT_EQ(0, wait_holder(self->num, j.pid));
	ASSERT_EQ(0, sim_puts(self->name, "interrupt", "1"));
	usleep(100 * 1000);
	kill(j.pid, SIGTERM);
	finish(&j, &r);
	EXPECT_EQ(5, r.code) TH_LOG("%s", r.err);
	EXPECT_NE(NULL, strstr(r.err, "interrupted after 1 interrupt(s)"))
		TH_LOG("%s", r.err);
	EXPECT_EQ(0, sessions_of(self->num));
}

/* QEMU's parport0 has interrupt 7 too; a port without one exits 1. */
TEST(wait_irq_without_an_interrupt_line_exits_1)
{
	char name[32], port[24], old;
	struct run r;
	int num;

	snprintf(name, sizeof(name), "ctlnoirq%d", (int)getpid());
	num = sim_create(name, NULL, NULL);
	ASSERT_LE(2, num);
	old = pc_allow_interrupts(1);
	ASSERT_NE(0, old);
	snprintf(port, sizeof(port), "parport%d", num);
	CTL_RUN(&r, "wait-irq", port, "--timeout", "1");
	pc_allow_interrupts(old == 'Y');
	EXPECT_EQ(1, r.code);
	EXPECT_NE(NULL, strstr(r.err, "has no interrupt line")) TH_LOG("%s", r.err);
	sim_destroy(name);
}

TEST_HARNESS_MAIN
