// SPDX-License-Identifier: GPL-2.0
/*
 * parclassctl: command-line parsing.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "args.h"

#define PCCTL_MAX_SECONDS (10ULL * 24 * 3600)

static int pcctl_parse_uint(const char *s, uint32_t *out)
{
	unsigned long v;
	char *end;

	if (!isdigit((unsigned char)*s))
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 0xffffffffUL)
		return -1;
	*out = v;
	return 0;
}

int pcctl_parse_port(const char *s, uint32_t *port)
{
	uint32_t n;

	if (!strncmp(s, "parport", 7))
		return pcctl_parse_uint(s + 7, port);
	if (!strncasecmp(s, "lpt", 3)) {
		if (pcctl_parse_uint(s + 3, &n) || n == 0)
			return -1;
		*port = n - 1;
		return 0;
	}
	return pcctl_parse_uint(s, port);
}

int pcctl_parse_seconds(const char *s, uint64_t *ns)
{
	uint64_t whole = 0, frac = 0, scale = 1000000000ULL;
	const char *p = s;

	if (!isdigit((unsigned char)*p) && *p != '.')
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		whole = whole * 10 + (*p - '0');
		if (whole > PCCTL_MAX_SECONDS)
			return -1;
	}
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p) && p - 1 == s)
			return -1;
		for (; isdigit((unsigned char)*p); p++) {
			scale /= 10;
			frac += (*p - '0') * scale;
		}
	}
	if (*p)
		return -1;
	*ns = whole * 1000000000ULL + frac;
	return 0;
}

static const struct {
	const char *name;
	enum pcctl_cmd cmd;
	int nargs;	/* positional arguments after the command */
} pcctl_cmds[] = {
	{ "list", PCCTL_CMD_LIST, 0 },
	{ "info", PCCTL_CMD_INFO, 1 },
	{ "print", PCCTL_CMD_PRINT, 2 },
	{ "status", PCCTL_CMD_STATUS, 1 },
	{ "hold", PCCTL_CMD_HOLD, 1 },
	{ "version", PCCTL_CMD_VERSION, 0 },
	{ "help", PCCTL_CMD_HELP, 0 },
};

#define pcctl_fail(...) (snprintf(err, errlen, __VA_ARGS__), -1)

int pcctl_parse(int argc, char **argv, struct pcctl_args *args, char *err,
		size_t errlen)
{
	const char *pos[3];
	int npos = 0, i, c, want = -1;
	bool has_for = false;

	memset(args, 0, sizeof(*args));
	for (i = 1; i < argc; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "--json")) {
			args->json = true;
		} else if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			args->cmd = PCCTL_CMD_HELP;
			return 0;
		} else if (!strcmp(a, "--timeout") || !strcmp(a, "--for")) {
			uint64_t ns;

			if (i + 1 >= argc)
				return pcctl_fail("%s needs a number of seconds", a);
			if (pcctl_parse_seconds(argv[++i], &ns))
				return pcctl_fail("%s: '%s' is not a number of seconds",
						  a, argv[i]);
			if (!strcmp(a, "--for")) {
				args->hold_ns = ns;
				has_for = true;
			} else {
				args->timeout_ns = ns;
				args->has_timeout = true;
			}
		} else if (a[0] == '-' && a[1] == '-' && a[2]) {
			return pcctl_fail("unknown option '%s'", a);
		} else if (a[0] == '-' && a[1]) {
			return pcctl_fail("unknown option '%s'", a);
		} else if (npos < 3) {
			pos[npos++] = a;
		} else {
			return pcctl_fail("too many arguments");
		}
	}
	if (!npos)
		return pcctl_fail("no command given (try 'parclassctl --help')");
	for (c = 0; c < (int)(sizeof(pcctl_cmds) / sizeof(pcctl_cmds[0])); c++) {
		if (!strcmp(pos[0], pcctl_cmds[c].name)) {
			args->cmd = pcctl_cmds[c].cmd;
			want = pcctl_cmds[c].nargs;
			break;
		}
	}
	if (want < 0)
		return pcctl_fail("unknown command '%s'", pos[0]);
	if (npos - 1 != want)
		return pcctl_fail("'%s' takes %d argument%s", pos[0], want,
				  want == 1 ? "" : "s");
	if (want >= 1) {
		if (pcctl_parse_port(pos[1], &args->port))
			return pcctl_fail("'%s' is not a port (use 0, parport0 or LPT1)",
					  pos[1]);
		args->has_port = true;
	}
	if (want == 2)
		args->file = pos[2];
	if (args->cmd == PCCTL_CMD_HOLD && !has_for)
		return pcctl_fail("hold needs --for SECONDS");
	if (args->cmd != PCCTL_CMD_HOLD && has_for)
		return pcctl_fail("--for is only for hold");
	if (args->has_timeout && args->cmd != PCCTL_CMD_PRINT &&
	    args->cmd != PCCTL_CMD_HOLD)
		return pcctl_fail("--timeout is only for print and hold");
	if (args->json && (args->cmd == PCCTL_CMD_PRINT ||
			   args->cmd == PCCTL_CMD_HOLD))
		return pcctl_fail("--json is only for list, info, status and version");
	return 0;
}
