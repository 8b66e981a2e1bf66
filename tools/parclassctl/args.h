/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parclassctl: command-line parsing, kept apart from the commands so that
 * it can be tested on the host.
 */
#ifndef PARCLASSCTL_ARGS_H
#define PARCLASSCTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Exit codes; parclassctl --help lists them too. */
enum pcctl_exit {
	PCCTL_OK = 0,
	PCCTL_FAILED = 1,	/* any other failure */
	PCCTL_USAGE = 2,	/* bad command line */
	PCCTL_NO_PORT = 3,	/* no such port, or parclass not loaded */
	PCCTL_BUSY = 4,		/* the port stayed busy until the timeout */
	PCCTL_INTERRUPTED = 5,	/* a signal ended the wait or the transfer */
	PCCTL_IO = 6,		/* the peripheral stopped accepting data */
	PCCTL_DENIED = 7,	/* no permission to open /dev/parclass */
};

enum pcctl_cmd {
	PCCTL_CMD_NONE,
	PCCTL_CMD_LIST,
	PCCTL_CMD_INFO,
	PCCTL_CMD_PRINT,
	PCCTL_CMD_STATUS,
	PCCTL_CMD_HOLD,
	PCCTL_CMD_VERSION,
	PCCTL_CMD_HELP,
};

struct pcctl_args {
	enum pcctl_cmd cmd;
	bool json;
	bool has_port;
	uint32_t port;		/* parport number */
	const char *file;	/* print: a path, or "-" for standard input */
	bool has_timeout;
	uint64_t timeout_ns;	/* --timeout: longest wait for the port */
	uint64_t hold_ns;	/* hold --for */
};

/**
 * pcctl_parse_port() - read a port name
 * @s: "0", "parport0" or "LPT1" (case-insensitive LPT)
 * @port: out: the parport number
 *
 * Return: 0, or -1 if @s names no port.
 */
int pcctl_parse_port(const char *s, uint32_t *port);

/**
 * pcctl_parse_seconds() - read a duration in seconds
 * @s: a decimal number of seconds, e.g. "5", "0.25"; at most 10 days
 * @ns: out: nanoseconds
 *
 * Return: 0, or -1 if @s is not a non-negative duration.
 */
int pcctl_parse_seconds(const char *s, uint64_t *ns);

/**
 * pcctl_parse() - read parclassctl's command line
 * @argc: as main() got it
 * @argv: as main() got it
 * @args: out
 * @err: out: a message for the user when parsing fails
 * @errlen: room in @err
 *
 * Return: 0, or -1 with @err set.
 */
int pcctl_parse(int argc, char **argv, struct pcctl_args *args, char *err,
		size_t errlen);

#endif /* PARCLASSCTL_ARGS_H */
