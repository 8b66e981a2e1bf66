/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parclassctl: command-line parsing, and the text helpers that need no
 * kernel (JSON strings, device-ID fields), kept apart from the commands
 * so that they can be tested on the host.
 */
#ifndef PARCLASSCTL_ARGS_H
#define PARCLASSCTL_ARGS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

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
	PCCTL_NO_ID = 8,	/* device-id: the peripheral gave no device ID */
	PCCTL_NO_MODE = 9,	/* negotiate, read, print --mode: the
				 * peripheral does not speak that mode */
	PCCTL_NO_IRQ = 10,	/* wait-irq: interrupts are not allowed (the
				 * module parameter allow_interrupts is off) */
	PCCTL_IRQ_TIMEOUT = 11,	/* wait-irq: --timeout passed before --count
				 * interrupts came */
};

/* status, device-id, negotiate, read: the default longest wait for the port, 0.5 s. */
#define PCCTL_QUERY_TIMEOUT_NS 500000000ULL

/* read: the most bytes read without --count. */
#define PCCTL_READ_DEFAULT_MAX (16U << 20)

enum pcctl_cmd {
	PCCTL_CMD_NONE,
	PCCTL_CMD_LIST,
	PCCTL_CMD_INFO,
	PCCTL_CMD_PRINT,
	PCCTL_CMD_STATUS,
	PCCTL_CMD_HOLD,
	PCCTL_CMD_DEVICE_ID,
	PCCTL_CMD_NEGOTIATE,
	PCCTL_CMD_READ,
	PCCTL_CMD_WAIT_IRQ,
	PCCTL_CMD_VERSION,
	PCCTL_CMD_HELP,
};

struct pcctl_args {
	enum pcctl_cmd cmd;
	bool json;
	bool has_port;
	uint32_t port;		/* parport number */
	bool on_daisy;		/* PORT names a daisy-chain device (LPT1.2) */
	uint32_t port_daisy;	/* its chain address */
	const char *file;	/* print: a path, or "-" for standard input */
	bool has_timeout;
	uint64_t timeout_ns;	/* --timeout: longest wait for the port */
	uint64_t hold_ns;	/* hold --for */
	bool raw;		/* device-id --raw */
	bool has_daisy;
	uint32_t daisy;		/* device-id --daisy: the chain address */
	bool has_mode;		/* negotiate's MODE, read --mode, print --mode */
	const char *mode;	/* its text, as given */
	uint32_t read_mask;	/* PARCLASS_1284_* modes to negotiate for reading */
	uint32_t write_mask;	/* ... and for writing */
	bool has_count;
	uint32_t count;		/* read --count: at most this many bytes;
				 * wait-irq --count: this many interrupts
				 * (1 without --count) */
};

/**
 * pcctl_parse_modes() - read a mode name, or a list of them
 * @s: "nibble", "byte", "ecp" or "epp", or with @list several joined by
 *	commas ("ecp,nibble")
 * @list: whether a list is allowed
 * @read_mask: out: the PARCLASS_1284_* read modes named (nibble:
 *	%PARCLASS_1284_NIBBLE, byte: %PARCLASS_1284_BYTE_BIDIR, ecp:
 *	%PARCLASS_1284_ECP_SW, epp: %PARCLASS_1284_EPP_SW)
 * @write_mask: out: the write modes named (ecp and epp only)
 *
 * Return: 0, or -1 if @s names no mode, an unknown one, or a list
 * where none is allowed.
 */
int pcctl_parse_modes(const char *s, bool list, uint32_t *read_mask,
		      uint32_t *write_mask);

/**
 * pcctl_parse_port() - read a port name
 * @s: "0", "parport0" or "LPT1" (case-insensitive LPT)
 * @port: out: the parport number
 *
 * Return: 0, or -1 if @s names no port.
 */
int pcctl_parse_port(const char *s, uint32_t *port);

/**
 * pcctl_parse_device() - read a port name, or a daisy-chain device's
 * @s: a port as pcctl_parse_port() reads it, or one followed by ".M", M a
 *	chain address (0 to %PARCLASS_DAISY_MAX - 1): "LPT1.2",
 *	"parport0.2", "0.2"
 * @port: out: the parport number
 * @on_daisy: out: whether @s names a chain device
 * @daisy: out: its address, else 0
 *
 * Return: 0, or -1 if @s names neither.
 */
int pcctl_parse_device(const char *s, uint32_t *port, bool *on_daisy,
		       uint32_t *daisy);

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

/**
 * pcctl_json_bytes() - write bytes as one JSON string
 * @f: where to
 * @s: the bytes, any of them (NUL included)
 * @len: how many
 *
 * Valid UTF-8 passes through, except that '"' and '\\' are escaped and
 * the control characters (0x00-0x1f, 0x7f) are written as \u00XX. Every
 * byte that is not part of a valid UTF-8 sequence (overlong forms and
 * surrogates included) is written as \u00XX too, the character with the
 * byte's number (as ISO 8859-1 reads it). The output is plain ASCII or
 * valid UTF-8, and always a valid JSON string.
 *
 * Return: true if @s was valid UTF-8 throughout.
 */
bool pcctl_json_bytes(FILE *f, const void *s, size_t len);

/**
 * struct pcctl_id_field - one KEY:VALUE; pair of an IEEE 1284 device ID
 * @key: the key, as the peripheral sent it, without the blanks (space,
 *	tab, CR, LF) around it
 * @key_len: its length
 * @value: the value, every byte after the first ':' up to the ';' (or
 *	the end of the ID), as sent
 * @value_len: its length
 */
struct pcctl_id_field {
	const char *key;
	size_t key_len;
	const char *value;
	size_t value_len;
};

/**
 * pcctl_id_next_field() - the next field of a device ID
 * @id: the ID, without its length bytes
 * @len: its length
 * @pos: in/out: where to look from (0 at the start)
 * @field: out
 *
 * Pieces between ';' without a ':' or with an empty key are skipped.
 *
 * Return: true with @field set, false when no field is left.
 */
bool pcctl_id_next_field(const char *id, size_t len, size_t *pos,
			 struct pcctl_id_field *field);

#endif /* PARCLASSCTL_ARGS_H */
