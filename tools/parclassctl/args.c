// SPDX-License-Identifier: GPL-2.0
/*
 * parclassctl: command-line parsing, JSON strings and device-ID fields.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <linux/parclass.h>

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

int pcctl_parse_device(const char *s, uint32_t *port, bool *on_daisy,
		       uint32_t *daisy)
{
	const char *dot = strrchr(s, '.');
	char name[32];
	uint32_t m;

	*on_daisy = false;
	*daisy = 0;
	if (!dot)
		return pcctl_parse_port(s, port);
	if ((size_t)(dot - s) >= sizeof(name) ||
	    pcctl_parse_uint(dot + 1, &m) || m >= PARCLASS_DAISY_MAX)
		return -1;
	memcpy(name, s, dot - s);
	name[dot - s] = 0;
	if (pcctl_parse_port(name, port))
		return -1;
	*on_daisy = true;
	*daisy = m;
	return 0;
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

int pcctl_parse_modes(const char *s, bool list, uint32_t *read_mask,
		      uint32_t *write_mask)
{
	static const struct {
		const char *name;
		uint32_t read, write;
	} modes[] = {
		{ "nibble", PARCLASS_1284_NIBBLE, 0 },
		{ "byte", PARCLASS_1284_BYTE_BIDIR, 0 },
		{ "ecp", PARCLASS_1284_ECP_SW, PARCLASS_1284_ECP_SW },
		{ "epp", PARCLASS_1284_EPP_SW, PARCLASS_1284_EPP_SW },
	};
	uint32_t r = 0, w = 0;
	size_t len, i;

	for (;;) {
		len = strcspn(s, ",");
		for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
			if (strlen(modes[i].name) == len &&
			    !strncasecmp(s, modes[i].name, len))
				break;
		}
		if (i == sizeof(modes) / sizeof(modes[0]))
			return -1;
		r |= modes[i].read;
		w |= modes[i].write;
		if (!s[len])
			break;
		if (!list)
			return -1;
		s += len + 1;
	}
	*read_mask = r;
	*write_mask = w;
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
	{ "device-id", PCCTL_CMD_DEVICE_ID, 1 },
	{ "negotiate", PCCTL_CMD_NEGOTIATE, 2 },
	{ "read", PCCTL_CMD_READ, 1 },
	{ "wait-irq", PCCTL_CMD_WAIT_IRQ, 1 },
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
		} else if (!strcmp(a, "--raw")) {
			args->raw = true;
		} else if (!strcmp(a, "--daisy")) {
			if (i + 1 >= argc)
				return pcctl_fail("--daisy needs a chain address");
			if (pcctl_parse_uint(argv[++i], &args->daisy) ||
			    args->daisy >= PARCLASS_DAISY_MAX)
				return pcctl_fail("--daisy: '%s' is not a chain address (0 to %d)",
						  argv[i], PARCLASS_DAISY_MAX - 1);
			args->has_daisy = true;
		} else if (!strcmp(a, "--mode")) {
			if (i + 1 >= argc)
				return pcctl_fail("--mode needs a mode");
			args->mode = argv[++i];
			args->has_mode = true;
		} else if (!strcmp(a, "--count")) {
			if (i + 1 >= argc)
				return pcctl_fail("--count needs a number");
			if (pcctl_parse_uint(argv[++i], &args->count) ||
			    !args->count)
				return pcctl_fail("--count: '%s' is not a count (1 or more)",
						  argv[i]);
			args->has_count = true;
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
		if (pcctl_parse_device(pos[1], &args->port, &args->on_daisy,
				       &args->port_daisy))
			return pcctl_fail("'%s' is not a port (use 0, parport0 or LPT1, or LPT1.2 for daisy-chain device 2)",
					  pos[1]);
		args->has_port = true;
	}
	if (want == 2 && args->cmd == PCCTL_CMD_NEGOTIATE) {
		if (args->has_mode)
			return pcctl_fail("--mode is only for read and print (negotiate takes MODE)");
		args->mode = pos[2];
		args->has_mode = true;
	} else if (want == 2) {
		args->file = pos[2];
	}
	if (args->cmd == PCCTL_CMD_HOLD && !has_for)
		return pcctl_fail("hold needs --for SECONDS");
	if (args->cmd != PCCTL_CMD_HOLD && has_for)
		return pcctl_fail("--for is only for hold");
	if (args->has_timeout && args->cmd != PCCTL_CMD_PRINT &&
	    args->cmd != PCCTL_CMD_HOLD && args->cmd != PCCTL_CMD_STATUS &&
	    args->cmd != PCCTL_CMD_DEVICE_ID &&
	    args->cmd != PCCTL_CMD_NEGOTIATE && args->cmd != PCCTL_CMD_READ &&
	    args->cmd != PCCTL_CMD_WAIT_IRQ)
		return pcctl_fail("--timeout is only for status, device-id, negotiate, read, print, hold and wait-irq");
	if (args->json && (args->cmd == PCCTL_CMD_PRINT ||
			   args->cmd == PCCTL_CMD_HOLD ||
			   args->cmd == PCCTL_CMD_READ))
		return pcctl_fail("--json is only for list, info, status, device-id, negotiate, wait-irq and version");
	if (args->has_count && args->cmd != PCCTL_CMD_READ &&
	    args->cmd != PCCTL_CMD_WAIT_IRQ)
		return pcctl_fail("--count is only for read and wait-irq");
	if (args->cmd == PCCTL_CMD_WAIT_IRQ && !args->has_count)
		args->count = 1;
	if (args->has_mode && args->cmd != PCCTL_CMD_READ &&
	    args->cmd != PCCTL_CMD_PRINT && args->cmd != PCCTL_CMD_NEGOTIATE)
		return pcctl_fail("--mode is only for read and print");
	switch (args->cmd) {
	case PCCTL_CMD_NEGOTIATE:
		if (pcctl_parse_modes(args->mode, true, &args->read_mask,
				      &args->write_mask))
			return pcctl_fail("'%s' is not a mode or a list of modes (nibble, byte, ecp, epp, joined by commas)",
					  args->mode);
		/* Writing falls back to compatibility mode. */
		args->write_mask |= PARCLASS_1284_CENTRONICS;
		break;
	case PCCTL_CMD_READ:
		if (!args->has_mode) {
			args->mode = "nibble";
			args->read_mask = PARCLASS_1284_NIBBLE;
		} else if (pcctl_parse_modes(args->mode, false,
					     &args->read_mask,
					     &args->write_mask)) {
			return pcctl_fail("--mode: '%s' is not a read mode (nibble, byte, ecp or epp)",
					  args->mode);
		}
		args->write_mask = 0;
		break;
	case PCCTL_CMD_PRINT:
		if (args->has_mode &&
		    (pcctl_parse_modes(args->mode, false, &args->read_mask,
				       &args->write_mask) ||
		     !args->write_mask))
			return pcctl_fail("--mode: '%s' is not a write mode (ecp or epp)",
					  args->mode);
		args->read_mask = 0;
		break;
	default:
		break;
	}
	if ((args->raw || args->has_daisy) &&
	    args->cmd != PCCTL_CMD_DEVICE_ID)
		return pcctl_fail("%s is only for device-id",
				  args->raw ? "--raw" : "--daisy");
	if (args->raw && args->json)
		return pcctl_fail("--raw and --json do not go together");
	if (args->has_daisy && args->on_daisy)
		return pcctl_fail("--daisy and a daisy-chain device's name (%s) do not go together",
				  pos[1]);
	return 0;
}

/* The length of the valid UTF-8 sequence at @s, or 0. */
static size_t pcctl_utf8_len(const unsigned char *s, size_t len)
{
	uint32_t cp, min;
	size_t n, i;

	if (s[0] < 0x80)
		return 1;
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
		min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
		min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return n;
}

bool pcctl_json_bytes(FILE *f, const void *s, size_t len)
{
	const unsigned char *p = s;
	bool valid = true;
	size_t i = 0, n;

	putc('"', f);
	while (i < len) {
		unsigned char c = p[i];

		n = pcctl_utf8_len(p + i, len - i);
		if (c == '"' || c == '\\') {
			fprintf(f, "\\%c", c);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
		} else if (!n) {
			fprintf(f, "\\u%04x", c);
			valid = false;
			n = 1;
		} else {
			fwrite(p + i, 1, n, f);
		}
		i += n;
	}
	putc('"', f);
	return valid;
}

static bool pcctl_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

bool pcctl_id_next_field(const char *id, size_t len, size_t *pos,
			 struct pcctl_id_field *field)
{
	while (*pos < len) {
		const char *start = id + *pos;
		const char *end = memchr(start, ';', len - *pos);
		const char *colon, *k, *ke;

		if (!end)
			end = id + len;
		*pos = end - id + (end < id + len);
		colon = memchr(start, ':', end - start);
		if (!colon)
			continue;
		for (k = start; k < colon && pcctl_blank(*k); k++)
			;
		for (ke = colon; ke > k && pcctl_blank(ke[-1]); ke--)
			;
		if (ke == k)
			continue;
		field->key = k;
		field->key_len = ke - k;
		field->value = colon + 1;
		field->value_len = end - colon - 1;
		return true;
	}
	return false;
}
