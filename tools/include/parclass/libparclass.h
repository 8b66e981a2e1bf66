/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libparclass: thin wrappers over the /dev/parclass ioctls.
 *
 * Every function returns 0 (or a non-negative count) on success and a
 * negative errno value on failure, never sets errno on purpose and never
 * prints. The kernel's documentation of each errno is in
 * <linux/parclass.h>.
 */
#ifndef LIBPARCLASS_H
#define LIBPARCLASS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <linux/parclass.h>

#ifdef __cplusplus
extern "C" {
#endif

/** The device node; the environment variable PARCLASS_DEVICE overrides it. */
#define PARCLASS_DEVICE_PATH "/dev/parclass"

/**
 * parclass_open() - open the parclass device
 *
 * Return: a file descriptor (close-on-exec), or -errno.
 */
int parclass_open(void);

/**
 * parclass_get_version() - the module's ABI version and feature bits
 * @fd: from parclass_open()
 * @abi_version: out, may be NULL
 * @features: out, may be NULL
 *
 * Return: 0 or -errno.
 */
int parclass_get_version(int fd, uint32_t *abi_version, uint64_t *features);

/**
 * parclass_connect() - open a session on a port
 * @fd: from parclass_open()
 * @port: the parport number
 * @token: out: the session token
 * @info: out, may be NULL: the port's information
 *
 * Return: 0 or -errno (-ENODEV: no such port).
 */
int parclass_connect(int fd, uint32_t port, uint64_t *token,
		     struct parclass_port_info *info);

/**
 * parclass_disconnect() - end a session; its token is dead afterwards
 * @fd: the file the session was opened through
 * @token: the session
 *
 * Return: 0 or -errno (-ESTALE: not a live session of @fd).
 */
int parclass_disconnect(int fd, uint64_t token);

/**
 * parclass_allocate() - claim the port, waiting in FIFO order
 * @fd: the session's file
 * @token: the session
 * @timeout_ns: longest wait; 0 waits for as long as it takes
 *
 * Return: 0, or -errno (-ETIMEDOUT, -EINTR, -EALREADY, -ESTALE, -ENODEV).
 */
int parclass_allocate(int fd, uint64_t token, uint64_t timeout_ns);

/**
 * parclass_try_allocate() - claim the port only if that needs no wait
 * @fd: the session's file
 * @token: the session
 *
 * Return: 0, or -errno (-EAGAIN when the port is busy).
 */
int parclass_try_allocate(int fd, uint64_t token);

/**
 * parclass_free() - release the port
 * @fd: the session's file
 * @token: the session
 *
 * Return: 0 or -errno (-EPERM: the session does not hold the port).
 */
int parclass_free(int fd, uint64_t token);

/**
 * parclass_is_port_free() - would a try-allocate succeed now?
 * @fd: the session's file
 * @token: the session
 *
 * Return: 1 if free, 0 if not, or -errno.
 */
int parclass_is_port_free(int fd, uint64_t token);

/**
 * parclass_query_num_waiters() - clients queued for the port
 * @fd: the session's file
 * @token: the session
 * @waiters: out: parclass clients waiting, may be NULL
 * @other_waiters: out: other drivers' devices queued, may be NULL
 *
 * Return: 0 or -errno.
 */
int parclass_query_num_waiters(int fd, uint64_t token, uint32_t *waiters,
			       uint32_t *other_waiters);

/**
 * parclass_list_ports() - every port parclass knows, with its holder
 * @fd: from parclass_open()
 * @entries: out: a malloc()ed array the caller frees
 * @count: out: its length
 *
 * Return: 0 or -errno.
 */
int parclass_list_ports(int fd, struct parclass_port_entry **entries,
			uint32_t *count);

/**
 * parclass_write() - send bytes through the port the session holds
 * @fd: the session's file
 * @token: the session
 * @buf: the bytes
 * @len: how many
 * @timeout_ns: how long the peripheral may stay busy; 0 for 5 s
 * @written: out, may be NULL: how many went out, also on error
 *
 * Return: 0 when all went out, or -errno (-ETIMEDOUT, -EINTR, -EPERM...).
 */
int parclass_write(int fd, uint64_t token, const void *buf, uint32_t len,
		   uint64_t timeout_ns, uint32_t *written);

/**
 * parclass_query_information() - the peripheral's status (the session
 *	must hold the port)
 * @fd: the session's file
 * @token: the session
 * @status: out, may be NULL: Windows' status byte (PARCLASS_PARALLEL_*)
 * @raw_status: out, may be NULL: the status register
 *
 * Return: 0 or -errno (-EPERM: not holding).
 */
int parclass_query_information(int fd, uint64_t token, uint8_t *status,
			       uint8_t *raw_status);

/**
 * parclass_init_peripheral() - pulse nInit to reset the peripheral (the
 *	session must hold the port)
 * @fd: the session's file
 * @token: the session
 *
 * Return: 0 or -errno (-EPERM: not holding, -EBUSY: a transfer runs).
 */
int parclass_init_peripheral(int fd, uint64_t token);

/**
 * parclass_device_id() - read the peripheral's IEEE 1284 device ID (the
 *	session must hold the port)
 * @fd: the session's file
 * @token: the session
 * @flags: PARCLASS_DEVICE_ID_RAW (keep the two length bytes),
 *	PARCLASS_DEVICE_ID_DAISY (ask daisy-chain device @daisy)
 * @daisy: the chain address with PARCLASS_DEVICE_ID_DAISY, else 0
 * @buf: room for the answer (a NUL follows it); may be NULL if @len is 0
 * @len: its size; 0 asks only for the size
 * @id_size: out, may be NULL: the bytes the answer takes, NUL included;
 *	set also with -ERANGE (@len too small)
 *
 * Return: 0 or -errno (-EPERM: not holding, -ERANGE: @len too small,
 * -ENODATA: the peripheral has no ID, -EIO: no IEEE 1284 answer,
 * -ENXIO: no such chain device, -EINTR...).
 */
int parclass_device_id(int fd, uint64_t token, uint32_t flags,
		       uint32_t daisy, void *buf, uint32_t len,
		       uint32_t *id_size);

/**
 * parclass_register() - one register access on the held port (ppdev's
 *	PPRDATA, PPWDATA, PPRSTATUS, PPRCONTROL, PPWCONTROL, PPFCONTROL,
 *	PPDATADIR)
 * @fd: the session's file
 * @token: the session
 * @op: PARCLASS_PIN_WRITE_DATA, _READ_DATA, _READ_STATUS,
 *	_WRITE_CONTROL, _READ_CONTROL, _FROB_CONTROL or _DATA_DIR
 * @mask: the control lines to change with PARCLASS_PIN_FROB_CONTROL, else 0
 * @value: the value to write (0 for the reads)
 * @out: out, may be NULL: what a read read
 *
 * Return: 0 or -errno (-EPERM: not holding, -EINVAL: bad @op, @mask or
 * @value, -EBUSY: a write while a transfer runs).
 */
int parclass_register(int fd, uint64_t token, uint32_t op, uint8_t mask,
		      uint8_t value, uint8_t *out);

/**
 * parclass_pin_program() - run a list of pin operations on the held port
 * @fd: the session's file
 * @token: the session
 * @ops: the program
 * @count: its operations, 1 to PARCLASS_PIN_MAX_OPS
 * @results: room for one byte per READ_ operation; may be NULL if none
 * @results_len: its size
 * @done: out, may be NULL: operations carried out, also on error
 * @results_used: out, may be NULL: bytes written at @results, also on error
 *
 * Return: 0 when every operation ran, or -errno (-ETIMEDOUT: a status
 * wait timed out at operation *@done; -EINVAL, -E2BIG: refused before
 * anything ran; -EINTR, -ESTALE, -ENODEV: ended part-way).
 */
int parclass_pin_program(int fd, uint64_t token,
			 const struct parclass_pin_op *ops, uint32_t count,
			 void *results, uint32_t results_len,
			 uint32_t *done, uint32_t *results_used);

/**
 * parclass_negotiate() - choose the fastest IEEE 1284 modes in common (the
 *	session must hold the port)
 * @fd: the session's file
 * @token: the session
 * @flags: PARCLASS_NEGOTIATE_KEEP: refuse (-EPROTO) if a mode is active
 * @read_mask: PARCLASS_1284_* read modes accepted, 0 for none
 * @write_mask: PARCLASS_1284_* write modes accepted, 0 for none
 * @read_mode: out, may be NULL: the read mode reached
 * @write_mode: out, may be NULL: the write mode reached
 *
 * Return: 0 or -errno (-EIO: no IEEE 1284 answer, -EOPNOTSUPP: no mode
 * of a mask could be had, -EPERM: not holding...).
 */
int parclass_negotiate(int fd, uint64_t token, uint32_t flags,
		       uint32_t read_mask, uint32_t write_mask,
		       uint32_t *read_mode, uint32_t *write_mode);

/**
 * parclass_terminate() - back to compatibility mode
 * @fd: the session's file
 * @token: the session
 *
 * Return: 0 or -errno.
 */
int parclass_terminate(int fd, uint64_t token);

/**
 * parclass_get_mode() - the session's IEEE 1284 read and write modes
 * @fd: the session's file
 * @token: the session
 * @read_mode: out, may be NULL
 * @write_mode: out, may be NULL
 *
 * Return: 0 or -errno.
 */
int parclass_get_mode(int fd, uint64_t token, uint32_t *read_mode,
		      uint32_t *write_mode);

/**
 * parclass_read() - read from the peripheral in the session's read mode
 * @fd: the session's file
 * @token: the session
 * @buf: where the bytes go
 * @len: at most this many (1 to PARCLASS_READ_MAX)
 * @timeout_ns: how long one handshake step may take; 0 for 5 s
 * @done: out, may be NULL: how many were read, also on error
 *
 * Return: 0 (*@done may be short: the peripheral had no more), or -errno
 * (-EPROTO: no read mode, -EINTR...).
 */
int parclass_read(int fd, uint64_t token, void *buf, uint32_t len,
		  uint64_t timeout_ns, uint32_t *done);

/**
 * parclass_write_flags() - parclass_write() with PARCLASS_WRITE_* flags
 * @fd: the session's file
 * @token: the session
 * @flags: PARCLASS_WRITE_MODE: in the session's ECP or EPP write mode
 * @buf: the bytes
 * @len: how many
 * @timeout_ns: how long the peripheral may stay busy; 0 for 5 s
 * @written: out, may be NULL: how many went out, also on error
 *
 * Return: 0 when all went out, or -errno.
 */
int parclass_write_flags(int fd, uint64_t token, uint32_t flags,
			 const void *buf, uint32_t len, uint64_t timeout_ns,
			 uint32_t *written);

/**
 * parclass_set_address() - set the ECP channel or EPP address
 * @fd: the session's file
 * @token: the session (holding the port, in ECP or EPP for @direction)
 * @direction: PARCLASS_ADDRESS_READ or PARCLASS_ADDRESS_WRITE
 * @address: ECP 0-127, EPP 0-255
 *
 * Return: 0 or -errno (-EPROTO: the mode is not ECP or EPP).
 */
int parclass_set_address(int fd, uint64_t token, uint32_t direction,
			 uint32_t address);

/**
 * parclass_get_address() - the address last set for a direction
 * @fd: the session's file
 * @token: the session
 * @direction: PARCLASS_ADDRESS_READ or PARCLASS_ADDRESS_WRITE
 * @address: out
 *
 * Return: 0 or -errno.
 */
int parclass_get_address(int fd, uint64_t token, uint32_t direction,
			 uint32_t *address);

/**
 * parclass_host_recovery() - set (@set) or report the ECP host-recovery
 *	setting
 * @fd: the session's file
 * @token: the session
 * @set: set it to *@enabled rather than report it
 * @enabled: in or out: 0 or 1
 *
 * Return: 0 or -errno.
 */
int parclass_host_recovery(int fd, uint64_t token, int set,
			   uint32_t *enabled);

/**
 * parclass_ping() - terminate and negotiate the session's mode again
 * @fd: the session's file
 * @token: the session (holding the port)
 *
 * Return: 0 if the peripheral answered, or -errno (-EIO: it did not).
 */
int parclass_ping(int fd, uint64_t token);

/**
 * parclass_probe() - the modes the peripheral accepts
 * @fd: the session's file
 * @token: the session (holding the port)
 * @exclude: PARCLASS_1284_* modes not to try
 * @modes: out: the modes accepted
 *
 * Return: 0 or -errno.
 */
int parclass_probe(int fd, uint64_t token, uint32_t exclude,
		   uint32_t *modes);

/**
 * parclass_holder_name() - "none", "session" or "other" for a holder kind
 * @holder: a PARCLASS_HOLDER_* value
 *
 * Return: a static string.
 */
const char *parclass_holder_name(uint32_t holder);

#ifdef __cplusplus
}
#endif

#endif /* LIBPARCLASS_H */
