/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The CUPS backend's pieces that need no kernel: its URIs, the
 * make-and-model of a device ID, quoting for the device listing, the
 * printer-state-reasons of a status byte, and side-channel messages.
 */
#ifndef PARCLASS_CUPS_BACKEND_UTIL_H
#define PARCLASS_CUPS_BACKEND_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* CUPS' backend exit codes (backend(7)); the values are CUPS' own. */
enum {
	CUPS_BACKEND_OK = 0,
	CUPS_BACKEND_FAILED = 1,
	CUPS_BACKEND_AUTH_REQUIRED = 2,
	CUPS_BACKEND_HOLD = 3,
	CUPS_BACKEND_STOP = 4,
	CUPS_BACKEND_CANCEL = 5,
	CUPS_BACKEND_RETRY = 6,
	CUPS_BACKEND_RETRY_CURRENT = 7,
};

/* printer-state-reasons the backend sets while the printer stops. */
#define PCB_REASON_MEDIA_EMPTY	(1U << 0)	/* media-empty-error */
#define PCB_REASON_OFFLINE	(1U << 1)	/* offline-report */
#define PCB_REASON_OTHER	(1U << 2)	/* other */
#define PCB_REASON_COUNT	3

/**
 * pcb_parse_uri() - the port (and chain device) of a "parclass:/LPTn[.m]"
 *	URI
 * @uri: the device URI ("parclass:/LPT1"; "parclass:LPT1" and
 *	"parclass://LPT1" are taken too, the letters in any case);
 *	"parclass:/LPT1.2" names the IEEE 1284.3 daisy-chain device at
 *	address 2 on LPT1, as Windows' LPT1.2 and the port information's
 *	location do
 * @port: out: the parport number, n - 1 (LPT1 is parport0, as on Windows
 *	and in the port information's location)
 * @daisy: out: the chain address m, 0 to %PCB_DAISY_MAX, or -1 for the
 *	port itself
 *
 * Return: 0, or -1 for anything else (another scheme, no LPT name, LPT0,
 * a number above 4096, leading zeros, an address above %PCB_DAISY_MAX,
 * trailing characters).
 */
int pcb_parse_uri(const char *uri, uint32_t *port, int *daisy);

/* The highest IEEE 1284.3 chain address (four devices: 0 to 3). */
#define PCB_DAISY_MAX	3

/**
 * pcb_id_field() - the value of one key of an IEEE 1284 device ID
 * @id: the ID ("KEY:VALUE;" pairs, keys compared without case)
 * @key: the key wanted
 * @out: the value, blanks around it dropped, NUL-terminated; cut to fit
 * @size: room at @out (at least 1)
 *
 * Return: 1 if @id has the key with a value that is not empty, else 0.
 */
int pcb_id_field(const char *id, const char *key, char *out, size_t size);

/**
 * pcb_make_model() - the make-and-model CUPS shows for a device ID
 * @id: the device ID, or NULL or "" when the device gave none
 * @out: "MFG MDL" (MANUFACTURER and MODEL also taken; the make not
 *	repeated when the model starts with it), the model or make alone
 *	when only one is there, else "Unknown"
 * @size: room at @out
 */
void pcb_make_model(const char *id, char *out, size_t size);

/**
 * pcb_quote() - a string fit for a quoted field of the device listing
 * @in: any bytes, NUL-terminated
 * @out: @in with '"' and '\\' turned into '\'' and '/', control
 *	characters into spaces, and trailing blanks dropped
 * @size: room at @out
 */
void pcb_quote(const char *in, char *out, size_t size);

/**
 * pcb_reasons() - the printer-state-reasons of the peripheral's status
 * @status: Windows' status byte (PARCLASS_PARALLEL_*)
 * @raw: the status register (PARPORT_STATUS_* bits: 0x20 PError high,
 *	0x10 Select high, 0x08 nFault high)
 *
 * Paper empty gives media-empty-error; powered off, not connected, off
 * line or Select low give offline-report; nFault low alone gives other.
 * A busy peripheral that reports no fault is not stopped: none.
 *
 * Return: PCB_REASON_* bits.
 */
unsigned int pcb_reasons(uint8_t status, uint8_t raw);

/**
 * pcb_reason_name() - the keyword of one PCB_REASON_* bit
 * @bit: one bit
 *
 * Return: "media-empty-error", "offline-report", "other", or NULL.
 */
const char *pcb_reason_name(unsigned int bit);

/*
 * CUPS' side channel (cupsSideChannelDoRequest(), backend(7)): filters
 * send requests on fd 4, a socket, and the backend answers each. A
 * message is the command, the status, the data's length (2 bytes, big
 * endian) and the data; the values are CUPS' own.
 */
#define PCB_SC_FD		4
/*
 * CUPS' back channel (cupsBackChannelWrite()): what the printer sends
 * back goes to fd 3, a pipe the filters read.
 */
#define PCB_BC_FD		3
#define PCB_SC_HEADER		4
#define PCB_SC_MAX_DATA		65535
#define PCB_SC_MAX_MSG		(PCB_SC_HEADER + PCB_SC_MAX_DATA)

enum {
	PCB_SC_CMD_SOFT_RESET = 1,
	PCB_SC_CMD_DRAIN_OUTPUT = 2,
	PCB_SC_CMD_GET_BIDI = 3,
	PCB_SC_CMD_GET_DEVICE_ID = 4,
	PCB_SC_CMD_GET_STATE = 5,
	PCB_SC_CMD_SNMP_GET = 6,
	PCB_SC_CMD_SNMP_GET_NEXT = 7,
	PCB_SC_CMD_GET_CONNECTED = 8,
	PCB_SC_CMD_MAX = 9,
};

enum {
	PCB_SC_STATUS_NONE = 0,
	PCB_SC_STATUS_OK = 1,
	PCB_SC_STATUS_IO_ERROR = 2,
	PCB_SC_STATUS_TIMEOUT = 3,
	PCB_SC_STATUS_NO_RESPONSE = 4,
	PCB_SC_STATUS_BAD_MESSAGE = 5,
	PCB_SC_STATUS_TOO_BIG = 6,
	PCB_SC_STATUS_NOT_IMPLEMENTED = 7,
};

/* GET_STATE's bits. */
#define PCB_SC_STATE_OFFLINE		0x00
#define PCB_SC_STATE_ONLINE		0x01
#define PCB_SC_STATE_BUSY		0x02
#define PCB_SC_STATE_ERROR		0x04
#define PCB_SC_STATE_MEDIA_EMPTY	0x20

/* GET_BIDI's and GET_CONNECTED's answers. */
#define PCB_SC_BIDI_NOT_SUPPORTED	0
#define PCB_SC_BIDI_SUPPORTED		1
#define PCB_SC_CONNECTED		1

/**
 * pcb_sc_parse() - check one side-channel request as cupsSideChannelRead()
 *	does
 * @msg: the bytes of one read() of the socket
 * @len: how many
 * @command: out: the command byte (when @len is at least 1, else 0)
 * @datalen: out: the data's length, when the message is well formed
 *
 * Return: 0 for a message of at least the header, whose data's length
 * fits in what was read and whose command is one CUPS defines; else -1
 * (the backend answers %PCB_SC_STATUS_BAD_MESSAGE).
 */
int pcb_sc_parse(const unsigned char *msg, size_t len, unsigned int *command,
		 size_t *datalen);

/**
 * pcb_sc_reply() - build a side-channel answer
 * @out: room for the header and @len bytes
 * @command: the request's command
 * @status: a PCB_SC_STATUS_* value
 * @data: the answer's data, or NULL when @len is 0
 * @len: its length, at most %PCB_SC_MAX_DATA (cut to that)
 *
 * Return: the bytes to write, header included.
 */
size_t pcb_sc_reply(unsigned char *out, unsigned int command,
		    unsigned int status, const void *data, size_t len);

/**
 * pcb_sc_state() - GET_STATE's answer for the peripheral's status
 * @status: Windows' status byte (PARCLASS_PARALLEL_*)
 * @raw: the status register
 *
 * Online unless pcb_reasons() says offline-report; busy when the status
 * byte says so; media empty for media-empty-error; error for
 * pcb_reasons()' other.
 *
 * Return: PCB_SC_STATE_* bits.
 */
unsigned int pcb_sc_state(uint8_t status, uint8_t raw);

/**
 * pcb_sc_needs_port() - does a request's answer need the port?
 * @command: the request's first byte (its command)
 *
 * SOFT_RESET and GET_STATE are done on the port, GET_DEVICE_ID is read
 * from the peripheral, and DRAIN_OUTPUT is answered once the job's bytes
 * have gone out through the port: the backend answers them only while
 * its job holds the port. The others (GET_BIDI, GET_CONNECTED, SNMP, and
 * what is no command at all) are answered at once, even while the job
 * waits for the port (GET_BIDI with what is known then: the printer is
 * asked for a reverse mode only once the job has the port).
 *
 * Return: true when the answer needs the port.
 */
bool pcb_sc_needs_port(unsigned int command);

#endif /* PARCLASS_CUPS_BACKEND_UTIL_H */
