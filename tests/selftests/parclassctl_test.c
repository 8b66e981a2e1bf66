// SPDX-License-Identifier: GPL-2.0
/*
 * parclassctl_test: every parclassctl subcommand in the guest, its text
 * and --json output (checked to be well-formed JSON), its exit codes, and
 * a 64 KiB print to parport1 that the host checks byte for byte
 * (/tests/data/parclassctl_test.parport1.bin). Also runs the example
 * program from the README's demo.
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

#include "kselftest_harness.h"

#define CTL "/usr/bin/parclassctl"
#define PRINT_DATA "/tests/data/parclassctl_test.parport1.bin"

struct run {
	int code;		/* exit status, or -1 */
	char out[16384];	/* standard output */
	char err[4096];		/* standard error */
	double seconds;
};

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void slurp(int fd, char *buf, size_t len)
{
	size_t n = 0;
	ssize_t r;

	while (n + 1 < len && (r = read(fd, buf + n, len - 1 - n)) > 0)
		n += r;
	buf[n] = 0;
}

/* Run a program with arguments, capturing its output and exit status. */
static void run(struct run *r, const char *const argv[])
{
	int out[2], err[2], status;
	double t0 = now();
	pid_t pid;

	memset(r, 0, sizeof(*r));
	r->code = -1;
	if (pipe(out) || pipe(err))
		return;
	pid = fork();
	if (pid == 0) {
		dup2(out[1], 1);
		dup2(err[1], 2);
		close(out[0]);
		close(err[0]);
		execv(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(out[1]);
	close(err[1]);
	slurp(out[0], r->out, sizeof(r->out));
	slurp(err[0], r->err, sizeof(r->err));
	close(out[0]);
	close(err[0]);
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status))
		r->code = WEXITSTATUS(status);
	r->seconds = now() - t0;
}

/* A small JSON checker: returns the end of one value, or NULL. */
static const char *json_ws(const char *p)
{
	while (*p == ' ' || *p == '\n' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

static const char *json_value(const char *p);

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
	if (*p == '-' || isdigit((unsigned char)*p)) {
		char *end;

		strtod(p, &end);
		return end;
	}
	return NULL;
}

static int json_ok(const char *doc)
{
	const char *end = json_value(json_ws(doc));

	return end && !*json_ws(end);
}

#define CTL_RUN(r, ...) run(r, (const char *const[]){ CTL, __VA_ARGS__, NULL })

TEST(help_lists_commands_and_exit_codes)
{
	struct run r;

	CTL_RUN(&r, "--help");
	EXPECT_EQ(0, r.code);
	EXPECT_NE(NULL, strstr(r.out, "Exit codes"));
	EXPECT_NE(NULL, strstr(r.out, "hold PORT --for"));
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

		CTL_RUN(&r, "status", port, "--json");
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

	pid = start_hold("0", "2");
	ASSERT_LT(0, pid);
	CTL_RUN(&r, "status", "0", "--json");
	EXPECT_TRUE(json_ok(r.out)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\"free\":false"));
	EXPECT_NE(NULL, strstr(r.out, "\"holder\":\"session\""));
	EXPECT_NE(NULL, strstr(r.out, "\"holder_comm\":\"parclassctl\""));
	CTL_RUN(&r, "status", "0");
	EXPECT_NE(NULL, strstr(r.out, "parport0 (LPT1): busy"));
	EXPECT_NE(NULL, strstr(r.out, "(parclassctl)"));
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

TEST_HARNESS_MAIN
