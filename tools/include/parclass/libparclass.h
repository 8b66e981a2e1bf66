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
 * Return: 0, or -errno (-ETIMEDOUT, -EINTR, -EALREADY, -ECANCELED, -ESTALE,
 * -ENODEV).
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
 * parclass_connect_daisy() - open a session on one IEEE 1284.3 daisy-chain
 *	device of a port (Windows' LPTn.m)
 * @fd: from parclass_open()
 * @port: the parport number
 * @daisy: the chain device's address, below the port's daisy_count
 * @token: out: the session token
 * @info: out, may be NULL: the device's information (location "LPTn.m",
 *	PARCLASS_PORT_DAISY_DEVICE set)
 *
 * Return: 0 or -errno (-ENODEV: no such port, -EINVAL: no device at that
 * address).
 */
int parclass_connect_daisy(int fd, uint32_t port, uint32_t daisy,
			   uint64_t *token, struct parclass_port_info *info);

/**
 * parclass_list_ports_flags() - parclass_list_ports() with
 *	PARCLASS_LIST_PORTS_* flags
 * @fd: from parclass_open()
 * @flags: PARCLASS_LIST_PORTS_DAISY: each port's daisy-chain devices too,
 *	right after it
 * @entries: out: a malloc()ed array the caller frees
 * @count: out: its length
 *
 * Return: 0 or -errno (-EINVAL: a flag the module does not know).
 */
int parclass_list_ports_flags(int fd, uint32_t flags,
			      struct parclass_port_entry **entries,
			      uint32_t *count);

/**
 * parclass_allocate_async() - claim the port, or queue for it and return
 * @fd: the session's file
 * @token: the session
 *
 * When the port is granted later the file reports PARCLASS_EVENT_GRANTED
 * (parclass_read_events(), poll() on @fd); parclass_cancel() withdraws
 * the request.
 *
 * Return: 0 (the session holds the port), -EINPROGRESS (queued), or
 * another -errno (-EALREADY: holding or queued already).
 */
int parclass_allocate_async(int fd, uint64_t token);

/**
 * parclass_cancel() - withdraw the session's queued ALLOCATE (an
 *	asynchronous one, or a blocking one waiting in another thread,
 *	which returns -ECANCELED)
 * @fd: the session's file
 * @token: the session
 *
 * Return: 0 when a request was withdrawn, or -errno (-EALREADY: the port
 * was granted first, -ENOENT: nothing queued).
 */
int parclass_cancel(int fd, uint64_t token);

/**
 * parclass_chip_mode() - set, clear or report the port's chip mode
 * @fd: the session's file
 * @token: the session (holding the port to set or clear)
 * @flags: PARCLASS_CHIP_MODE_SET, PARCLASS_CHIP_MODE_CLEAR, or 0 to report
 * @mode: with SET, PARCLASS_CHIP_MODE_BYTE, _ECP or _EPP; with CLEAR, the
 *	current mode; else 0
 * @current_mode: out, may be NULL: the port's chip mode afterwards
 *
 * Return: 0 or -errno (-EALREADY: SET while in ECP or EPP mode, -ENOENT:
 * CLEAR of another mode, -EOPNOTSUPP: the port lacks the mode, -EPERM:
 * not holding).
 */
int parclass_chip_mode(int fd, uint64_t token, uint32_t flags, uint32_t mode,
		       uint32_t *current_mode);

/**
 * parclass_get_chip_mode() - the port's chip mode (PARCLASS_CHIP_MODE_*)
 * @fd: the session's file
 * @token: the session (need not hold the port)
 * @current_mode: out
 *
 * Return: 0 or -errno.
 */
int parclass_get_chip_mode(int fd, uint64_t token, uint32_t *current_mode);

/**
 * parclass_lock() - allocate the port, waiting at most the module's
 *	acquire_timeout_ms, and select the session's chain device
 * @fd: the session's file
 * @token: the session
 * @flags: PARCLASS_LOCK_NO_SELECT: do not select
 *
 * Return: 0 or -errno (-ETIMEDOUT: the port stayed busy, -ENXIO: the
 * chain device did not answer, -EALREADY, -EINTR...).
 */
int parclass_lock(int fd, uint64_t token, uint32_t flags);

/**
 * parclass_unlock() - deselect the chain and free the port
 * @fd: the session's file
 * @token: the session
 * @flags: PARCLASS_LOCK_NO_SELECT: do not deselect
 *
 * Return: 0 or -errno (-EPERM: not holding).
 */
int parclass_unlock(int fd, uint64_t token, uint32_t flags);

/**
 * parclass_daisy_init() - address the port's IEEE 1284.3 daisy chain
 *	again (the session must hold the port)
 * @fd: the session's file
 * @token: the session
 * @count: out, may be NULL: the chain devices found
 *
 * Return: 0 or -errno (-EPERM: not holding).
 */
int parclass_daisy_init(int fd, uint64_t token, uint32_t *count);

/**
 * parclass_select_device() - allocate the port (unless
 *	PARCLASS_SELECT_KEEP_PORT) and select a daisy-chain device
 * @fd: the session's file
 * @token: the session
 * @flags: PARCLASS_SELECT_KEEP_PORT: the session holds the port already
 * @device: the chain address, or PARCLASS_DAISY_END_OF_CHAIN
 * @timeout_ns: without KEEP_PORT, the longest wait for the port (0: for
 *	as long as it takes); with it, 0
 *
 * Return: 0 or -errno (-EINVAL: @device beyond the chain, -ENXIO: no
 * answer to the select, -EPERM, -ETIMEDOUT...).
 */
int parclass_select_device(int fd, uint64_t token, uint32_t flags,
			   uint32_t device, uint64_t timeout_ns);

/**
 * parclass_deselect_device() - deselect the chain, then free the port
 *	(unless PARCLASS_SELECT_KEEP_PORT)
 * @fd: the session's file
 * @token: the session
 * @flags: PARCLASS_SELECT_KEEP_PORT: keep the port
 *
 * Return: 0 or -errno (-EPERM: not holding).
 */
int parclass_deselect_device(int fd, uint64_t token, uint32_t flags);

/**
 * parclass_interrupts() - count the port's interrupts for the session,
 *	stop counting, or read and clear the count
 * @fd: the session's file
 * @token: the session
 * @flags: PARCLASS_INTERRUPTS_ENABLE, PARCLASS_INTERRUPTS_DISABLE, or 0
 *	to read and clear the count
 * @count: out, may be NULL: with @flags 0, the interrupts counted since
 *	the last report
 *
 * Interrupts are counted only while the session holds the port.
 *
 * Return: 0 or -errno (-EACCES: the module parameter allow_interrupts is
 * off, -ENXIO: the port has no interrupt line, -ENOENT: DISABLE of a
 * session that does not count).
 */
int parclass_interrupts(int fd, uint64_t token, uint32_t flags,
			uint32_t *count);

/**
 * parclass_read_events() - the events of the file's sessions
 * @fd: from parclass_open(); a read blocks unless it is O_NONBLOCK
 * @events: room for @max records
 * @max: at least 1
 *
 * Each record is one session's events since the last report
 * (PARCLASS_EVENT_GRANTED, _INTERRUPT with its count, _REMOVED); reading
 * clears them. A read that a signal ends is not restarted.
 *
 * Return: the records read (1 or more), or -errno (-EAGAIN: none, with
 * O_NONBLOCK; -EINTR).
 */
int parclass_read_events(int fd, struct parclass_event *events,
			 uint32_t max);

/**
 * parclass_event_fd() - the descriptor to poll() for events
 * @fd: from parclass_open()
 *
 * The parclass file itself: poll() reports POLLIN while a session of the
 * file has events for parclass_read_events().
 *
 * Return: @fd.
 */
int parclass_event_fd(int fd);

/**
 * parclass_wait_events() - wait until the file has events
 * @fd: from parclass_open()
 * @timeout_ms: the longest wait; -1 for ever, 0 to only look
 *
 * Return: 1 when events wait, 0 on timeout, or -errno (-EINTR).
 */
int parclass_wait_events(int fd, int timeout_ms);

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
