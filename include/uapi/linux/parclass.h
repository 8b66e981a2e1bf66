/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * parclass: the Windows parallel-port class driver model on Linux parport.
 *
 * User space opens /dev/parclass and issues the ioctls below on the file.
 *
 * Conventions shared by every command:
 *
 * - Every command struct begins with ``__u32 size``, which the caller sets
 *   to sizeof() the struct it was compiled with. Structs only ever grow at
 *   the end. The kernel accepts a caller's struct that is shorter than its
 *   own (the missing tail reads as zero) as long as it covers the
 *   command's mandatory fields, and a longer one as long as the unknown
 *   tail is all zero.
 * - Every struct is a multiple of 8 bytes. Fields named ``__reserved`` or
 *   ``flags`` bits without a defined meaning must be zero.
 * - Output fields are written back; bytes past the caller's @size are
 *   never written. A call refused with an error writes nothing back,
 *   unless its command says otherwise.
 *
 * Errors common to every command:
 *
 * - %ENOTTY: the request code is not a parclass command.
 * - %EFAULT: the argument pointer (or a pointer inside the struct) is not
 *   valid user memory.
 * - %EINVAL: @size is smaller than the command's mandatory part, a
 *   reserved field is non-zero, or an unknown flag is set.
 * - %E2BIG: @size is larger than the kernel's struct and the extra bytes
 *   are not all zero.
 */
#ifndef _UAPI_LINUX_PARCLASS_H
#define _UAPI_LINUX_PARCLASS_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * PARCLASS_ABI_VERSION - version of this interface
 *
 * Incremented only for a change old binaries could notice. New commands
 * and new struct fields are announced through &struct
 * parclass_version.features instead.
 */
#define PARCLASS_ABI_VERSION 1

/**
 * PARCLASS_TYPE - the ioctl type (magic) byte of every parclass command
 *
 * 0xBA is free in the kernel's ioctl-number registry
 * (Documentation/userspace-api/ioctl/ioctl-number.rst).
 */
#define PARCLASS_TYPE 0xBA

/**
 * PARCLASS_CMD_BASE - the ioctl number of the first parclass command
 *
 * Command n is _IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + n). The size and the
 * direction travel in the struct, not in the request code, so a struct
 * can grow without changing the code.
 */
#define PARCLASS_CMD_BASE 0x80

#define PARCLASS_CMD_GET_VERSION	0
#define PARCLASS_CMD_CONNECT		1
#define PARCLASS_CMD_DISCONNECT		2
#define PARCLASS_CMD_ALLOCATE		3
#define PARCLASS_CMD_FREE		4
#define PARCLASS_CMD_IS_PORT_FREE	5
#define PARCLASS_CMD_QUERY_NUM_WAITERS	6
#define PARCLASS_CMD_LIST_PORTS		7
#define PARCLASS_CMD_WRITE		8
#define PARCLASS_CMD_QUERY_INFORMATION	9
#define PARCLASS_CMD_SET_INFORMATION	10
#define PARCLASS_CMD_DEVICE_ID		11
#define PARCLASS_CMD_REGISTER		12
#define PARCLASS_CMD_PIN_PROGRAM	13
#define PARCLASS_CMD_NEGOTIATE		14
#define PARCLASS_CMD_TERMINATE		15
#define PARCLASS_CMD_GET_MODE		16
#define PARCLASS_CMD_READ		17
#define PARCLASS_CMD_ADDRESS		18
#define PARCLASS_CMD_HOST_RECOVERY	19
#define PARCLASS_CMD_PING		20
#define PARCLASS_CMD_PROBE		21
#define PARCLASS_CMD_CHIP_MODE		22
#define PARCLASS_CMD_LOCK		23
#define PARCLASS_CMD_UNLOCK		24
#define PARCLASS_CMD_DAISY_INIT		25
#define PARCLASS_CMD_SELECT_DEVICE	26
#define PARCLASS_CMD_DESELECT_DEVICE	27
#define PARCLASS_CMD_CANCEL		28
#define PARCLASS_CMD_INTERRUPTS		29

/**
 * PARCLASS_FEATURE_VERSION - &PARCLASS_IOC_GET_VERSION is available
 *
 * Always set; the other feature bits name the command families that this
 * module provides.
 */
#define PARCLASS_FEATURE_VERSION	(1ULL << 0)
/**
 * PARCLASS_FEATURE_SESSIONS - CONNECT, DISCONNECT, ALLOCATE, FREE,
 * IS_PORT_FREE, QUERY_NUM_WAITERS and LIST_PORTS are available
 */
#define PARCLASS_FEATURE_SESSIONS	(1ULL << 1)
/** PARCLASS_FEATURE_WRITE - &PARCLASS_IOC_WRITE is available */
#define PARCLASS_FEATURE_WRITE		(1ULL << 2)
/**
 * PARCLASS_FEATURE_INFORMATION - &PARCLASS_IOC_QUERY_INFORMATION and
 * &PARCLASS_IOC_SET_INFORMATION are available
 */
#define PARCLASS_FEATURE_INFORMATION	(1ULL << 3)
/** PARCLASS_FEATURE_DEVICE_ID - &PARCLASS_IOC_DEVICE_ID is available */
#define PARCLASS_FEATURE_DEVICE_ID	(1ULL << 4)
/**
 * PARCLASS_FEATURE_PINS - &PARCLASS_IOC_REGISTER and
 * &PARCLASS_IOC_PIN_PROGRAM are available
 */
#define PARCLASS_FEATURE_PINS		(1ULL << 5)
/**
 * PARCLASS_FEATURE_MODES - &PARCLASS_IOC_NEGOTIATE, &PARCLASS_IOC_TERMINATE,
 * &PARCLASS_IOC_GET_MODE, &PARCLASS_IOC_READ, &PARCLASS_IOC_ADDRESS,
 * &PARCLASS_IOC_HOST_RECOVERY, &PARCLASS_IOC_PING and &PARCLASS_IOC_PROBE
 * are available
 */
#define PARCLASS_FEATURE_MODES		(1ULL << 6)
/** PARCLASS_FEATURE_CHIP_MODE - &PARCLASS_IOC_CHIP_MODE is available */
#define PARCLASS_FEATURE_CHIP_MODE	(1ULL << 7)
/**
 * PARCLASS_FEATURE_LOCK - &PARCLASS_IOC_LOCK and &PARCLASS_IOC_UNLOCK are
 * available
 */
#define PARCLASS_FEATURE_LOCK		(1ULL << 8)
/**
 * PARCLASS_FEATURE_DAISY - the IEEE 1284.3 daisy chain:
 * %PARCLASS_CONNECT_DAISY, %PARCLASS_LIST_PORTS_DAISY,
 * &PARCLASS_IOC_DAISY_INIT, &PARCLASS_IOC_SELECT_DEVICE and
 * &PARCLASS_IOC_DESELECT_DEVICE are available
 */
#define PARCLASS_FEATURE_DAISY		(1ULL << 9)
/**
 * PARCLASS_FEATURE_ASYNC - %PARCLASS_ALLOCATE_ASYNC, &PARCLASS_IOC_CANCEL,
 * and read() and poll() of &struct parclass_event on the file are
 * available
 */
#define PARCLASS_FEATURE_ASYNC		(1ULL << 10)
/** PARCLASS_FEATURE_INTERRUPTS - &PARCLASS_IOC_INTERRUPTS is available */
#define PARCLASS_FEATURE_INTERRUPTS	(1ULL << 11)

/**
 * struct parclass_version - argument of &PARCLASS_IOC_GET_VERSION
 * @size: sizeof(struct parclass_version)
 * @flags: must be 0
 * @abi_version: out: %PARCLASS_ABI_VERSION of the running module
 * @__reserved: must be 0
 * @features: out: bitmask of PARCLASS_FEATURE_* supported by the module
 */
struct parclass_version {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 __reserved;
	__u64 features;
};

/*
 * Windows hardware capability flags (PARCLASS_INFORMATION and
 * PARALLEL_PNP_INFORMATION HardwareCapabilities), as parclass derives them
 * from the Linux port's modes.
 */
/** PARCLASS_HW_ECP_PRESENT - the port has an ECP FIFO (Linux PARPORT_MODE_ECP) */
#define PARCLASS_HW_ECP_PRESENT		0x01
/** PARCLASS_HW_EPP_PRESENT - the port does EPP cycles (Linux PARPORT_MODE_EPP) */
#define PARCLASS_HW_EPP_PRESENT		0x02
/** PARCLASS_HW_EPP_32_PRESENT - 32-bit EPP; Linux does not report it, never set */
#define PARCLASS_HW_EPP_32_PRESENT	0x04
/** PARCLASS_HW_BYTE_PRESENT - bidirectional data lines (Linux PARPORT_MODE_TRISTATE) */
#define PARCLASS_HW_BYTE_PRESENT	0x08
/**
 * PARCLASS_HW_1284_3_PRESENT - an IEEE 1284.3 daisy chain was found on the
 * port (&struct parclass_port_info.daisy_count is not 0)
 */
#define PARCLASS_HW_1284_3_PRESENT	0x10

/** PARCLASS_PORT_HAS_IRQ - &struct parclass_port_info.irq is valid */
#define PARCLASS_PORT_HAS_IRQ		(1U << 0)
/** PARCLASS_PORT_HAS_DMA - &struct parclass_port_info.dma is valid */
#define PARCLASS_PORT_HAS_DMA		(1U << 1)
/** PARCLASS_PORT_HAS_ECR - &struct parclass_port_info.base_hi is valid */
#define PARCLASS_PORT_HAS_ECR		(1U << 2)
/**
 * PARCLASS_PORT_DAISY_DEVICE - the information describes one IEEE 1284.3
 * daisy-chain device of the port, &struct parclass_port_info.daisy
 */
#define PARCLASS_PORT_DAISY_DEVICE	(1U << 3)
/**
 * PARCLASS_PORT_BASE_IO - &struct parclass_port_info.base and .span are
 * the port's I/O port numbers (a PC-style port driven by parport_pc).
 * Without it the port's registers are not I/O ports (memory-mapped or
 * simulated ports), and @base, @base_hi and @span are 0.
 */
#define PARCLASS_PORT_BASE_IO		(1U << 4)

/**
 * struct parclass_port_info - what a client learns about a port
 * @number: the parport number (parportN)
 * @flags: PARCLASS_PORT_HAS_* bits saying which optional fields are valid
 * @base: I/O base address of the port's registers (Windows Controller);
 *	valid with %PARCLASS_PORT_BASE_IO, else 0
 * @base_hi: I/O base of the ECP registers, the ECR at @base_hi + 2
 *	(Windows EcrController); valid with %PARCLASS_PORT_HAS_ECR, which
 *	is only set with %PARCLASS_PORT_BASE_IO
 * @span: number of I/O addresses at @base (Windows SpanOfController);
 *	valid with %PARCLASS_PORT_BASE_IO, else 0
 * @irq: interrupt line; valid with %PARCLASS_PORT_HAS_IRQ
 * @dma: DMA channel; valid with %PARCLASS_PORT_HAS_DMA
 * @modes: the Linux port's capabilities, PARPORT_MODE_* bits
 * @hw_caps: Windows hardware capabilities, PARCLASS_HW_* bits
 * @fifo_depth: ECP FIFO depth in words where known, else 0
 * @fifo_width: ECP FIFO word width in bytes where known, else 0
 * @daisy_count: IEEE 1284.3 daisy-chain devices found on the port (when
 *	parclass first saw it, or at the last &PARCLASS_IOC_DAISY_INIT),
 *	0 to %PARCLASS_DAISY_MAX
 * @daisy: with %PARCLASS_PORT_DAISY_DEVICE, the chain device's address;
 *	else 0
 * @name: the port's name, e.g. "parport0", NUL-terminated
 * @location: the Windows location, NUL-terminated: "LPT1" for parport0,
 *	"LPT1.2" for its daisy-chain device 2
 *
 * I/O addresses are port numbers, never kernel pointers: a port whose
 * low-level driver keeps a memory address as its base (sunbpp, amiga,
 * atari, mfc3, parport_sim...) reports none.
 */
struct parclass_port_info {
	__u32 number;
	__u32 flags;
	__u64 base;
	__u64 base_hi;
	__u32 span;
	__u32 irq;
	__u32 dma;
	__u32 modes;
	__u32 hw_caps;
	__u32 fifo_depth;
	__u32 fifo_width;
	__u16 daisy_count;
	__u16 daisy;
	char name[32];
	char location[16];
};

/**
 * PARCLASS_CONNECT_DAISY - connect to the IEEE 1284.3 daisy-chain device
 *	&struct parclass_connect.daisy of the port (Windows LPTn.m)
 */
#define PARCLASS_CONNECT_DAISY		(1U << 0)

/**
 * struct parclass_connect - argument of &PARCLASS_IOC_CONNECT
 * @size: sizeof(struct parclass_connect)
 * @flags: PARCLASS_CONNECT_* bits; others must be 0
 * @port: the parport number to connect to
 * @daisy: with %PARCLASS_CONNECT_DAISY, the chain device's address, below
 *	the port's &struct parclass_port_info.daisy_count; else must be 0
 * @token: out: the session token, to pass to every other session command
 * @info: out: the port's information
 */
struct parclass_connect {
	__u32 size;
	__u32 flags;
	__u32 port;
	__u32 daisy;
	__u64 token;
	struct parclass_port_info info;
};

/**
 * PARCLASS_IOC_CONNECT - open a session on a port
 *
 * Takes &struct parclass_connect. Returns the new session's token and the
 * port's information (Windows IOCTL_INTERNAL_PARCLASS_CONNECT). The
 * session gets a parport device of its own ("parclass.<id>") when it
 * first asks for the port (ALLOCATE, LOCK, SELECT_DEVICE), keeps it while
 * it waits for and holds the port, and gives it up once it has left the
 * port alone for 2 s, so that connected clients that do not use the port
 * cost its other users nothing. The session
 * belongs to the open file: the token is valid only through this file
 * (and its dup()s and fork()ed copies), and close() disconnects every
 * session still open in it. One file may hold many sessions, on one port
 * or several.
 *
 * With %PARCLASS_CONNECT_DAISY the session is a client of one IEEE 1284.3
 * daisy-chain device (Windows' LPTn.m): its parport device is registered
 * with that chain address, so the parport core selects the device each
 * time the session is given the port and deselects the chain when the
 * session releases it; &PARCLASS_IOC_LOCK and &PARCLASS_IOC_DEVICE_ID
 * address the device too. @info then carries %PARCLASS_PORT_DAISY_DEVICE
 * and the location "LPTn.m".
 *
 * Return: 0 on success, or -1 with errno set to one of the common errors
 * or to:
 *
 * - %EINVAL: with %PARCLASS_CONNECT_DAISY, @daisy is not below the port's
 *   chain device count (&struct parclass_port_info.daisy_count).
 * - %ENODEV: there is no port with that number (or it is being removed).
 * - %EBUSY: a driver holds the port exclusively (e.g. ppdev's PPEXCL).
 * - %EMFILE: the file already holds max_sessions_per_file sessions
 *   (module parameter).
 * - %ENFILE: the system already holds max_sessions sessions (module
 *   parameter).
 * - %ENOMEM: out of memory.
 */
#define PARCLASS_IOC_CONNECT \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_CONNECT)

/**
 * struct parclass_disconnect - argument of &PARCLASS_IOC_DISCONNECT
 * @size: sizeof(struct parclass_disconnect)
 * @flags: must be 0
 * @token: the session to end
 */
struct parclass_disconnect {
	__u32 size;
	__u32 flags;
	__u64 token;
};

/**
 * PARCLASS_IOC_DISCONNECT - end a session
 *
 * Takes &struct parclass_disconnect. Frees the port if the session holds
 * it, ends an ALLOCATE of the same session still waiting in another
 * thread (it returns %ESTALE), unregisters the session's parport device
 * if it has one and kills the token (Windows IOCTL_INTERNAL_PARCLASS_DISCONNECT). From
 * then on every command carrying the token fails with %ESTALE, for ever,
 * even once its slot serves a new session. Disconnecting a session
 * revoked by port removal cleans it up and succeeds.
 *
 * Return: 0 on success, or -1 with errno set to one of the common errors
 * or to:
 *
 * - %ESTALE: the token is not a live session of this file.
 */
#define PARCLASS_IOC_DISCONNECT \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_DISCONNECT)

/**
 * PARCLASS_ALLOCATE_TRY - never wait: fail with %EAGAIN if the port is busy
 *
 * Windows TryAllocatePort. It never queues, so it can starve.
 */
#define PARCLASS_ALLOCATE_TRY		(1U << 0)

/**
 * PARCLASS_ALLOCATE_ASYNC - queue and return at once (Windows' PENDING)
 *
 * If the port is free the call returns 0 holding it, and no event is
 * reported. If the port cannot be had at once the session is queued, in
 * the same first-come, first-served order as blocking callers, and the
 * call fails with %EINPROGRESS. When the port is granted the session
 * holds it and the file reports %PARCLASS_EVENT_GRANTED (read() and
 * poll(), see &struct parclass_event); a GRANTED not yet read is dropped
 * by the session's next asynchronous ALLOCATE, so it always names the
 * latest. &PARCLASS_IOC_CANCEL withdraws the request;
 * DISCONNECT, close() and port removal end it (removal reports
 * %PARCLASS_EVENT_REMOVED). Not with %PARCLASS_ALLOCATE_TRY, and
 * &struct parclass_allocate.timeout_ns must be 0: the client times out by
 * cancelling.
 */
#define PARCLASS_ALLOCATE_ASYNC		(1U << 1)

/**
 * struct parclass_allocate - argument of &PARCLASS_IOC_ALLOCATE
 * @size: sizeof(struct parclass_allocate)
 * @flags: PARCLASS_ALLOCATE_* bits; others must be 0
 * @token: the session that wants the port
 * @timeout_ns: how long to wait at most, in nanoseconds; 0 waits for as
 *	long as it takes, and so does a value above KTIME_MAX (2^63 - 1,
 *	about 292 years). Ignored with %PARCLASS_ALLOCATE_TRY.
 */
struct parclass_allocate {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u64 timeout_ns;
};

/**
 * PARCLASS_IOC_ALLOCATE - claim the port for a session
 *
 * Takes &struct parclass_allocate (Windows PARALLEL_PORT_ALLOCATE). If
 * the port is free the session gets it at once. If not, the caller waits
 * in first-come, first-served order behind the other parclass clients
 * waiting for the port; FREE hands the port to the oldest of them. Other
 * drivers on the port (lp, ppdev) get it when parclass frees it, in the
 * parport core's order. While a session holds the port, parclass refuses
 * every request to preempt it.
 *
 * A wait that times out, is interrupted by a signal, or is ended by
 * DISCONNECT or port removal leaves the session connected (except for
 * DISCONNECT) and not holding the port: the port is never handed to a
 * client that has given up.
 *
 * Return: 0 when the session holds the port, or -1 with errno set to one
 * of the common errors or to:
 *
 * - %EINVAL: %PARCLASS_ALLOCATE_TRY and %PARCLASS_ALLOCATE_ASYNC
 *   together, or %PARCLASS_ALLOCATE_ASYNC with a non-zero @timeout_ns.
 * - %ESTALE: the token is not a live session of this file, or another
 *   thread disconnected it during the wait.
 * - %ENODEV: the port was removed.
 * - %EALREADY: the session already holds the port, or already waits for
 *   it (in another thread, or queued by %PARCLASS_ALLOCATE_ASYNC), or
 *   another thread's FREE of it has not returned yet.
 * - %EAGAIN: with %PARCLASS_ALLOCATE_TRY, the port is busy.
 * - %EINPROGRESS: with %PARCLASS_ALLOCATE_ASYNC, the session is queued.
 * - %ETIMEDOUT: @timeout_ns passed (Windows DEVICE_BUSY).
 * - %EINTR: a signal arrived during the wait (Windows CANCELLED). The call
 *   is not restarted, so a timeout never silently starts over.
 * - %ECANCELED: &PARCLASS_IOC_CANCEL withdrew the wait.
 * - %EBUSY: a driver took the port exclusively (e.g. ppdev's PPEXCL)
 *   while the session had no parport device (see &PARCLASS_IOC_CONNECT).
 * - %ENOMEM: out of memory for the session's parport device.
 */
#define PARCLASS_IOC_ALLOCATE \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_ALLOCATE)

/**
 * struct parclass_free - argument of &PARCLASS_IOC_FREE
 * @size: sizeof(struct parclass_free)
 * @flags: must be 0
 * @token: the session that holds the port
 */
struct parclass_free {
	__u32 size;
	__u32 flags;
	__u64 token;
};

/**
 * PARCLASS_IOC_FREE - release the port
 *
 * Takes &struct parclass_free (Windows PARALLEL_PORT_FREE). The oldest
 * parclass client waiting for the port gets it next; with none waiting,
 * the parport core offers it to the other drivers.
 *
 * Return: 0 on success, or -1 with errno set to one of the common errors
 * or to:
 *
 * - %ESTALE: the token is not a live session of this file.
 * - %ENODEV: the port was removed (the session no longer holds anything).
 * - %EPERM: the session does not hold the port.
 * - %EBUSY: a transfer of this session (&PARCLASS_IOC_WRITE from another
 *   thread) is running; the session still holds the port. FREE never
 *   waits for the transfer.
 */
#define PARCLASS_IOC_FREE \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_FREE)

/**
 * struct parclass_port_free - argument of &PARCLASS_IOC_IS_PORT_FREE
 * @size: sizeof(struct parclass_port_free)
 * @flags: must be 0
 * @token: the asking session
 * @is_free: out: 1 if the port is free, else 0
 * @__reserved: must be 0
 */
struct parclass_port_free {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u32 is_free;
	__u32 __reserved;
};

/**
 * PARCLASS_IOC_IS_PORT_FREE - would a try-allocate succeed now?
 *
 * Takes &struct parclass_port_free (Windows IOCTL_PAR_IS_PORT_FREE). The
 * answer is 1 only when nobody holds the port and no parclass client
 * waits for it, so that an ALLOCATE with %PARCLASS_ALLOCATE_TRY would
 * succeed at this instant; it is 0 when the asking session itself holds
 * the port. Unlike Windows, asking does not claim and release the port.
 *
 * Return: 0 on success, or -1 with errno set to one of the common errors
 * or to:
 *
 * - %ESTALE: the token is not a live session of this file.
 * - %ENODEV: the port was removed.
 */
#define PARCLASS_IOC_IS_PORT_FREE \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_IS_PORT_FREE)

/**
 * struct parclass_num_waiters - argument of &PARCLASS_IOC_QUERY_NUM_WAITERS
 * @size: sizeof(struct parclass_num_waiters)
 * @flags: must be 0
 * @token: the asking session
 * @waiters: out: parclass clients waiting in ALLOCATE for the port
 * @other_waiters: out: other drivers' devices (lp, ppdev, ...) queued for
 *	the port in the parport core
 */
struct parclass_num_waiters {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u32 waiters;
	__u32 other_waiters;
};

/**
 * PARCLASS_IOC_QUERY_NUM_WAITERS - how many clients are queued for the port
 *
 * Takes &struct parclass_num_waiters (Windows QueryNumWaiters).
 *
 * Return: 0 on success, or -1 with errno set to one of the common errors
 * or to:
 *
 * - %ESTALE: the token is not a live session of this file.
 * - %ENODEV: the port was removed.
 */
#define PARCLASS_IOC_QUERY_NUM_WAITERS \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_QUERY_NUM_WAITERS)

/** PARCLASS_HOLDER_NONE - nobody holds the port */
#define PARCLASS_HOLDER_NONE		0
/** PARCLASS_HOLDER_SESSION - a parclass session holds the port */
#define PARCLASS_HOLDER_SESSION		1
/** PARCLASS_HOLDER_OTHER - another driver's device (lp, ppdev, ...) holds it */
#define PARCLASS_HOLDER_OTHER		2

/**
 * struct parclass_port_entry - one port in &PARCLASS_IOC_LIST_PORTS
 * @info: the port's information, as CONNECT reports it
 * @holder: who holds the port, a PARCLASS_HOLDER_* value
 * @holder_pid: with %PARCLASS_HOLDER_SESSION, the process (thread group)
 *	whose ALLOCATE got the port; else 0
 * @holder_comm: with %PARCLASS_HOLDER_SESSION, that process's command
 *	name; else empty. NUL-terminated.
 * @holder_name: the holding parport device's name ("parclass.3", "lp",
 *	"ppdev0", ...); empty when nobody holds the port. NUL-terminated.
 * @sessions: parclass sessions connected to the port
 * @waiters: parclass clients waiting in ALLOCATE for the port
 * @other_waiters: other drivers' devices queued for the port
 * @__reserved: 0
 */
struct parclass_port_entry {
	struct parclass_port_info info;
	__u32 holder;
	__u32 holder_pid;
	char holder_comm[16];
	char holder_name[32];
	__u32 sessions;
	__u32 waiters;
	__u32 other_waiters;
	__u32 __reserved;
};

/**
 * PARCLASS_LIST_PORTS_DAISY - list each port's IEEE 1284.3 daisy-chain
 *	devices too, each right after its port, with
 *	%PARCLASS_PORT_DAISY_DEVICE in its &struct parclass_port_info.flags
 *	and @sessions counting the sessions connected to that device; the
 *	holder and waiter fields are the port's, shared by all its devices
 */
#define PARCLASS_LIST_PORTS_DAISY	(1U << 0)

/**
 * PARCLASS_PORT_ENTRY_SIZE_MAX - the largest &struct
 *	parclass_list_ports.entry_size: room for the entry to grow, without
 *	letting one call clear gigabytes
 */
#define PARCLASS_PORT_ENTRY_SIZE_MAX	4096

/**
 * struct parclass_list_ports - argument of &PARCLASS_IOC_LIST_PORTS
 * @size: sizeof(struct parclass_list_ports)
 * @flags: PARCLASS_LIST_PORTS_* bits; others must be 0
 * @count: in: room in @entries, in entries; out: the number of entries
 *	there are (ports, and chain devices with %PARCLASS_LIST_PORTS_DAISY),
 *	which may be more than it wrote
 * @entry_size: sizeof(struct parclass_port_entry) as the caller knows it;
 *	at least the size of the first version of that struct, at most
 *	%PARCLASS_PORT_ENTRY_SIZE_MAX. Bytes of an entry past the kernel's
 *	struct are written as zero.
 * @entries: user pointer (as a __u64) to @count entries of @entry_size
 *	bytes; may be 0 when @count is 0
 */
struct parclass_list_ports {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 entry_size;
	__u64 entries;
};

/**
 * PARCLASS_IOC_LIST_PORTS - list the ports a client can connect to
 *
 * Takes &struct parclass_list_ports. Needs no session. Ports are listed
 * in increasing number, each with who holds it and how many wait for
 * it. Call it with @count 0 to learn how many ports there are.
 *
 * Return: 0 on success, or -1 with errno set to one of the common errors
 * or to:
 *
 * - %EINVAL: @entry_size is smaller than the first version of &struct
 *   parclass_port_entry.
 * - %E2BIG: @entry_size is above %PARCLASS_PORT_ENTRY_SIZE_MAX.
 * - %EFAULT: @entries is not writable for @count entries.
 * - %ENOMEM: out of memory.
 */
#define PARCLASS_IOC_LIST_PORTS \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_LIST_PORTS)

/**
 * PARCLASS_WRITE_MODE - write in the session's write mode
 *
 * With this flag a WRITE runs in ECP or EPP when &PARCLASS_IOC_NEGOTIATE
 * made that the session's write mode, entering it first if the port is in
 * another mode; otherwise, and without the flag, in compatibility mode.
 */
#define PARCLASS_WRITE_MODE		(1U << 0)

/**
 * struct parclass_write - argument of &PARCLASS_IOC_WRITE
 * @size: sizeof(struct parclass_write)
 * @flags: PARCLASS_WRITE_* bits; others must be 0
 * @token: the session, which must hold the port
 * @buffer: user pointer (as a __u64) to the bytes to send
 * @length: how many bytes to send
 * @written: out: how many bytes the peripheral accepted; set also when
 *	the call fails once the transfer has begun (%ETIMEDOUT, %EINTR,
 *	%ESTALE, %ENODEV, %EIO, %EFAULT), not when it is refused (%EPERM,
 *	%EBUSY, %ENOMEM)
 * @timeout_ns: how long the peripheral may stay busy before the transfer
 *	gives up, in nanoseconds (the parport inactivity timeout); 0 keeps
 *	the parport default of 5 seconds
 */
struct parclass_write {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u64 buffer;
	__u32 length;
	__u32 written;
	__u64 timeout_ns;
};

/**
 * PARCLASS_IOC_WRITE - send bytes to the peripheral
 *
 * Takes &struct parclass_write (Windows ParallelWrite). The bytes go out
 * in compatibility (Centronics) mode, or with %PARCLASS_WRITE_MODE in the
 * session's ECP or EPP write mode, the session's pardevice keeping the
 * port for the whole transfer: no other device gets the port before FREE,
 * however slow the peripheral. The session must hold the port.
 *
 * The transfer ends early, with @written set, when the session is
 * disconnected or its file closed (%ESTALE), the port is removed
 * (%ENODEV) or a signal arrives (%EINTR); each takes effect at once,
 * including while the peripheral is busy. Meanwhile the session's other
 * requests answer at once: ALLOCATE gives %EALREADY, FREE %EBUSY.
 *
 * Return: 0 when all @length bytes were sent, or -1 with errno set to one
 * of the common errors or to:
 *
 * - %ESTALE: the token is not a live session of this file, or the session
 *   was disconnected during the transfer; @written bytes went out.
 * - %ENODEV: the port was removed, also during the transfer.
 * - %EPERM: the session does not hold the port.
 * - %EBUSY: another transfer of this session is running.
 * - %EFAULT: @buffer is not readable for @length bytes.
 * - %ETIMEDOUT: the peripheral stayed busy for @timeout_ns; @written
 *   bytes went out.
 * - %EINTR: a signal arrived; @written bytes went out.
 * - %EIO: the peripheral reports a fault (paper out, off line or nFault)
 *   while not ready; @written bytes went out. With %PARCLASS_WRITE_MODE:
 *   the peripheral no longer negotiates the write mode.
 * - %ENOMEM: out of memory.
 */
#define PARCLASS_IOC_WRITE \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_WRITE)

/*
 * The status byte of &PARCLASS_IOC_QUERY_INFORMATION: Windows'
 * PARALLEL_* bits (ntddpar.h), with the same values.
 */
/** PARCLASS_PARALLEL_INIT - SET_INFORMATION: pulse nInit */
#define PARCLASS_PARALLEL_INIT			0x01
/** PARCLASS_PARALLEL_AUTOFEED - never reported (Windows neither) */
#define PARCLASS_PARALLEL_AUTOFEED		0x02
/** PARCLASS_PARALLEL_PAPER_EMPTY - PError high */
#define PARCLASS_PARALLEL_PAPER_EMPTY		0x04
/** PARCLASS_PARALLEL_OFF_LINE - nFault high, Busy high, Select low */
#define PARCLASS_PARALLEL_OFF_LINE		0x08
/**
 * PARCLASS_PARALLEL_POWER_OFF - nFault, nAck low and Busy low (powered
 * off), or Busy high with every other line high (no cable)
 */
#define PARCLASS_PARALLEL_POWER_OFF		0x10
/** PARCLASS_PARALLEL_NOT_CONNECTED - nFault high, Busy low, Select low */
#define PARCLASS_PARALLEL_NOT_CONNECTED		0x20
/** PARCLASS_PARALLEL_BUSY - Busy high and nFault high */
#define PARCLASS_PARALLEL_BUSY			0x40
/** PARCLASS_PARALLEL_SELECTED - Select high */
#define PARCLASS_PARALLEL_SELECTED		0x80

/**
 * struct parclass_query_information - argument of
 *	&PARCLASS_IOC_QUERY_INFORMATION
 * @size: sizeof(struct parclass_query_information)
 * @flags: must be 0
 * @token: the session, which must hold the port
 * @status: out: the Windows status byte: at most one of
 *	%PARCLASS_PARALLEL_POWER_OFF, %PARCLASS_PARALLEL_PAPER_EMPTY,
 *	%PARCLASS_PARALLEL_OFF_LINE and %PARCLASS_PARALLEL_NOT_CONNECTED (the
 *	first that holds, in that order), plus %PARCLASS_PARALLEL_BUSY and
 *	%PARCLASS_PARALLEL_SELECTED
 * @raw_status: out: the status register as the parport core reads it
 *	(PARPORT_STATUS_* bits: 0x80 set while Busy is low, 0x40 nAck,
 *	0x20 PError, 0x10 Select, 0x08 nFault)
 * @raw_control: out: the control lines as the parport core reads them
 *	(PARPORT_CONTROL_* bits)
 * @__reserved: must be 0
 */
struct parclass_query_information {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u32 status;
	__u32 raw_status;
	__u32 raw_control;
	__u32 __reserved;
};

/**
 * PARCLASS_IOC_QUERY_INFORMATION - the peripheral's status
 *
 * Takes &struct parclass_query_information (Windows
 * IOCTL_PAR_QUERY_INFORMATION). Reads the status lines of the port the
 * session holds; never blocks, also while a transfer of the session runs.
 * A FREE of the session from another thread waits until the lines are
 * read.
 *
 * Return: 0 on success, or -1 with errno set to one of the common errors
 * or to:
 *
 * - %ESTALE: the token is not a live session of this file.
 * - %ENODEV: the port was removed.
 * - %EPERM: the session does not hold the port, or another thread's FREE
 *   of it has begun.
 */
#define PARCLASS_IOC_QUERY_INFORMATION \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_QUERY_INFORMATION)

/**
 * struct parclass_set_information - argument of
 *	&PARCLASS_IOC_SET_INFORMATION
 * @size: sizeof(struct parclass_set_information)
 * @flags: must be 0
 * @token: the session, which must hold the port
 * @init: must be %PARCLASS_PARALLEL_INIT
 * @__reserved: must be 0
 */
struct parclass_set_information {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u32 init;
	__u32 __reserved;
};

/**
 * PARCLASS_IOC_SET_INFORMATION - reset the peripheral
 *
 * Takes &struct parclass_set_information (Windows
 * IOCTL_PAR_SET_INFORMATION): drives nInit low for at least 50
 * microseconds, then high again, on the port the session holds.
 *
 * Return: 0 on success, or -1 with errno set to one of the common errors
 * or to:
 *
 * - %EINVAL: @init is not %PARCLASS_PARALLEL_INIT (Windows
 *   INVALID_PARAMETER).
 * - %ESTALE: the token is not a live session of this file.
 * - %ENODEV: the port was removed.
 * - %EPERM: the session does not hold the port.
 * - %EBUSY: a transfer of this session runs in another thread.
 */
#define PARCLASS_IOC_SET_INFORMATION \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_SET_INFORMATION)

/**
 * PARCLASS_DEVICE_ID_RAW - keep the two length bytes
 *
 * The answer starts with the peripheral's two-byte big-endian length,
 * which counts itself (Windows PAR_QUERY_RAW_DEVICE_ID).
 */
#define PARCLASS_DEVICE_ID_RAW		(1U << 0)
/**
 * PARCLASS_DEVICE_ID_DAISY - ask the IEEE 1284.3 daisy-chain device at
 *	address &struct parclass_device_id.daisy
 *
 * The device is selected for the query; afterwards the session's own
 * chain device (%PARCLASS_CONNECT_DAISY) is selected again, or, for any
 * other session, every chain device is deselected. Without this flag a
 * session connected to a chain device asks that device the same way, and
 * any other session asks whatever device is addressed now: the one at
 * the end of the cable unless &PARCLASS_IOC_SELECT_DEVICE selected one.
 */
#define PARCLASS_DEVICE_ID_DAISY	(1U << 1)

/** PARCLASS_DEVICE_ID_MAX - the longest answer: 64 KiB */
#define PARCLASS_DEVICE_ID_MAX		65536
/** PARCLASS_DAISY_MAX - daisy-chain addresses run from 0 to this - 1 */
#define PARCLASS_DAISY_MAX		4

/**
 * struct parclass_device_id - argument of &PARCLASS_IOC_DEVICE_ID
 * @size: sizeof(struct parclass_device_id)
 * @flags: PARCLASS_DEVICE_ID_* bits; others must be 0
 * @token: the session, which must hold the port
 * @buffer: user pointer (as a __u64) to @length bytes for the answer;
 *	may be 0 when @length is 0
 * @length: room at @buffer, in bytes, at most %PARCLASS_DEVICE_ID_MAX;
 *	0 asks only for @id_size (Windows PAR_QUERY_DEVICE_ID_SIZE)
 * @id_size: out: the bytes the answer takes, its terminating NUL
 *	included: the ID's length + 1, or + 3 with %PARCLASS_DEVICE_ID_RAW
 *	(Windows' Information and DeviceIdSize); written back also with
 *	%ERANGE
 * @daisy: with %PARCLASS_DEVICE_ID_DAISY, the chain device's address,
 *	below %PARCLASS_DAISY_MAX; else must be 0
 * @__reserved: must be 0
 */
struct parclass_device_id {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u64 buffer;
	__u32 length;
	__u32 id_size;
	__u32 daisy;
	__u32 __reserved;
};

/**
 * PARCLASS_IOC_DEVICE_ID - read the peripheral's IEEE 1284 device ID
 *
 * Takes &struct parclass_device_id (Windows PAR_QUERY_DEVICE_ID,
 * PAR_QUERY_DEVICE_ID_SIZE and PAR_QUERY_RAW_DEVICE_ID). The session's
 * own parport device, which must hold the port, negotiates nibble mode
 * with the device-ID request, reads the ID (its length bytes say how
 * long it is, up to 65535 bytes with them; a peripheral that stops
 * sending earlier gives a shorter ID), and negotiates back to the IEEE
 * 1284 mode the port was in. The port is never released. Without
 * %PARCLASS_DEVICE_ID_RAW the answer is the ID string without its length
 * bytes; either way a NUL follows it. Like Windows, parclass waits until
 * 40 ms (module parameter device_id_holdoff_ms) have passed since the
 * previous device-ID query on the port ended, because some printers
 * cannot answer back-to-back queries.
 *
 * Like a transfer, the query ends at once when the session is
 * disconnected or its file closed (%ESTALE), the port is removed
 * (%ENODEV) or a signal arrives (%EINTR).
 *
 * Return: 0 on success, or -1 with errno set to one of the common errors
 * or to:
 *
 * - %EINVAL: @length is above %PARCLASS_DEVICE_ID_MAX, or @daisy is not
 *   below %PARCLASS_DAISY_MAX (or non-zero without
 *   %PARCLASS_DEVICE_ID_DAISY).
 * - %ESTALE: the token is not a live session of this file, or the session
 *   was disconnected during the query.
 * - %ENODEV: the port was removed.
 * - %EPERM: the session does not hold the port.
 * - %EBUSY: a transfer of this session runs in another thread.
 * - %ERANGE: @length is not 0 and is smaller than the answer (Windows
 *   BUFFER_TOO_SMALL); @id_size says how much it needs.
 * - %ENODATA: the peripheral refused the device-ID request: it speaks
 *   IEEE 1284 but has no ID (Windows IO_DEVICE_ERROR).
 * - %EIO: the peripheral did not answer the negotiation (it is not an
 *   IEEE 1284 peripheral, or the port has no reverse channel), or sent a
 *   length below 2 (Windows IO_DEVICE_ERROR); or the port could not be
 *   put back into the IEEE 1284 mode it was in, and is left in
 *   compatibility mode.
 * - %ENXIO: with %PARCLASS_DEVICE_ID_DAISY, or on a session connected to
 *   a chain device, the chain device did not answer the select (Windows
 *   UNSUCCESSFUL).
 * - %EFAULT: @buffer is not writable for the answer.
 * - %EINTR: a signal arrived.
 * - %ENOMEM: out of memory.
 */
#define PARCLASS_IOC_DEVICE_ID \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_DEVICE_ID)

/*
 * Pin operations: &struct parclass_pin_op.op, and &struct
 * parclass_register.op for the ones marked "register".
 */
/** PARCLASS_PIN_WRITE_DATA - register: data lines = @value (PPWDATA) */
#define PARCLASS_PIN_WRITE_DATA		1
/** PARCLASS_PIN_READ_DATA - register: read the data lines (PPRDATA) */
#define PARCLASS_PIN_READ_DATA		2
/** PARCLASS_PIN_READ_STATUS - register: read the status lines (PPRSTATUS) */
#define PARCLASS_PIN_READ_STATUS	3
/**
 * PARCLASS_PIN_WRITE_CONTROL - register: control lines = @value
 * (PPWCONTROL); only PARCLASS_PIN_CONTROL_LINES may be set
 */
#define PARCLASS_PIN_WRITE_CONTROL	4
/** PARCLASS_PIN_READ_CONTROL - register: read the control lines (PPRCONTROL) */
#define PARCLASS_PIN_READ_CONTROL	5
/**
 * PARCLASS_PIN_FROB_CONTROL - register: the control lines in @mask take
 * their values from @value, the others stay (PPFCONTROL); @mask within
 * PARCLASS_PIN_CONTROL_LINES, @value within @mask
 */
#define PARCLASS_PIN_FROB_CONTROL	6
/**
 * PARCLASS_PIN_DATA_DIR - register: @value 0 drives the data lines
 * (forward), 1 lets the peripheral drive them (reverse; PPDATADIR)
 */
#define PARCLASS_PIN_DATA_DIR		7
/**
 * PARCLASS_PIN_WAIT_STATUS - wait until (status & @mask) == @value, for
 * at most @arg microseconds (1 to %PARCLASS_PIN_WAIT_MAX_US); @value
 * within @mask
 */
#define PARCLASS_PIN_WAIT_STATUS	8
/**
 * PARCLASS_PIN_DELAY - wait @arg microseconds (1 to
 * %PARCLASS_PIN_DELAY_MAX_US in all the program's delays together)
 */
#define PARCLASS_PIN_DELAY		9

/** PARCLASS_PIN_CONTROL_LINES - the control bits a program may drive */
#define PARCLASS_PIN_CONTROL_LINES	0x0f

/** PARCLASS_PIN_MAX_OPS - most operations in one program */
#define PARCLASS_PIN_MAX_OPS		65536
/** PARCLASS_PIN_WAIT_MAX_US - longest wait of one PARCLASS_PIN_WAIT_STATUS */
#define PARCLASS_PIN_WAIT_MAX_US	1000000
/** PARCLASS_PIN_DELAY_MAX_US - longest sum of a program's PARCLASS_PIN_DELAYs */
#define PARCLASS_PIN_DELAY_MAX_US	1000000

/**
 * struct parclass_pin_op - one operation of a pin program
 * @op: a PARCLASS_PIN_* operation
 * @mask: the lines that matter: FROB_CONTROL and WAIT_STATUS; else 0
 * @value: the value: WRITE_DATA, WRITE_CONTROL, FROB_CONTROL, DATA_DIR
 *	and WAIT_STATUS; else 0
 * @__reserved: must be 0
 * @arg: microseconds: WAIT_STATUS and DELAY; else 0
 *
 * Status and control values are the parport core's PARPORT_STATUS_* and
 * PARPORT_CONTROL_* bits (as &struct parclass_query_information reports
 * them), data values the data lines.
 */
struct parclass_pin_op {
	__u8 op;
	__u8 mask;
	__u8 value;
	__u8 __reserved;
	__u32 arg;
};

/**
 * struct parclass_register - argument of &PARCLASS_IOC_REGISTER
 * @size: sizeof(struct parclass_register)
 * @flags: must be 0
 * @token: the session, which must hold the port
 * @op: one of the register operations of the PARCLASS_PIN_* list
 *	(WRITE_DATA, READ_DATA, READ_STATUS, WRITE_CONTROL, READ_CONTROL,
 *	FROB_CONTROL, DATA_DIR)
 * @mask: as &struct parclass_pin_op.mask
 * @value: in: for the other operations, as &struct parclass_pin_op.value;
 *	for the READ_ operations ignored, but at most 255 (so that the
 *	struct of one read can be sent again as it came back); out: for
 *	the READ_ operations, what was read (else written back unchanged)
 * @__reserved: must be 0
 */
struct parclass_register {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u32 op;
	__u32 mask;
	__u32 value;
	__u32 __reserved;
};

/**
 * PARCLASS_IOC_REGISTER - read or write one port register
 *
 * Takes &struct parclass_register: what ppdev's PPRDATA, PPWDATA,
 * PPRSTATUS, PPRCONTROL, PPWCONTROL, PPFCONTROL and PPDATADIR do, on the
 * port the session holds. Reads answer also while a transfer of the
 * session runs; writes then fail with %EBUSY. Like ppdev's, a write does
 * not leave an IEEE 1284 mode the session negotiated: lines changed by
 * hand in a mode are the caller's business (TERMINATE first to be in
 * compatibility mode).
 *
 * Return: 0 on success, or -1 with errno set to one of the common errors
 * or to:
 *
 * - %EINVAL: @op is not a register operation, or @mask or @value is out
 *   of range for it (see &struct parclass_pin_op).
 * - %ESTALE: the token is not a live session of this file.
 * - %ENODEV: the port was removed.
 * - %EPERM: the session does not hold the port, or (a read) another
 *   thread's FREE of it has begun; a FREE waits for a read already
 *   under way.
 * - %EBUSY: a write, while a transfer of this session runs in another
 *   thread.
 */
#define PARCLASS_IOC_REGISTER \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_REGISTER)

/**
 * struct parclass_pin_program - argument of &PARCLASS_IOC_PIN_PROGRAM
 * @size: sizeof(struct parclass_pin_program)
 * @flags: must be 0
 * @token: the session, which must hold the port
 * @ops: user pointer (as a __u64) to @count &struct parclass_pin_op
 * @count: operations in the program, 1 to %PARCLASS_PIN_MAX_OPS
 * @done: out: operations carried out; set also when the program stops
 *	early; a call refused before the program started (it was invalid,
 *	or the session could not run it) writes nothing back
 * @results: user pointer (as a __u64) to @results_len bytes: one byte
 *	per READ_ operation, in program order; may be 0 when the program
 *	reads nothing
 * @results_len: room at @results, in bytes; at least the program's
 *	number of READ_ operations
 * @results_used: out: bytes written at @results
 */
struct parclass_pin_program {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u64 ops;
	__u32 count;
	__u32 done;
	__u64 results;
	__u32 results_len;
	__u32 results_used;
};

/**
 * PARCLASS_IOC_PIN_PROGRAM - run a list of pin operations on the held port
 *
 * Takes &struct parclass_pin_program. The whole program is checked
 * before any of it runs: a program refused with %EINVAL or %E2BIG has
 * not touched the port. It then runs in order, as one transfer of the
 * session: the port is never released, FREE from another thread answers
 * %EBUSY, and the program ends at once when the session is disconnected
 * (%ESTALE), the port removed (%ENODEV) or a signal arrives (%EINTR).
 * Whenever it stops, @done and @results_used say how far it got and the
 * results of the reads done are at @results.
 *
 * Return: 0 when every operation ran, or -1 with errno set to one of the
 * common errors or to:
 *
 * - %EINVAL: @count is 0; an operation is unknown, has a non-zero
 *   reserved field, a field its operation does not use, a value out of
 *   range, or a WAIT_STATUS timeout of 0 or above
 *   %PARCLASS_PIN_WAIT_MAX_US; the delays add up to more than
 *   %PARCLASS_PIN_DELAY_MAX_US; or @results_len is smaller than the
 *   number of reads.
 * - %E2BIG: @count is above %PARCLASS_PIN_MAX_OPS.
 * - %ETIMEDOUT: a WAIT_STATUS timed out; @done is the index of that
 *   operation.
 * - %ESTALE: the token is not a live session of this file, or the session
 *   was disconnected while the program ran.
 * - %ENODEV: the port was removed.
 * - %EPERM: the session does not hold the port.
 * - %EBUSY: a transfer of this session runs in another thread.
 * - %EFAULT: @ops is not readable, or @results not writable.
 * - %EINTR: a signal arrived.
 * - %ENOMEM: out of memory.
 */
#define PARCLASS_IOC_PIN_PROGRAM \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_PIN_PROGRAM)

/*
 * IEEE 1284 modes, as Windows' read and write masks name them (ntddpar.h,
 * same values): &struct parclass_negotiate and &struct parclass_mode.
 */
/** PARCLASS_1284_NONE - no mode */
#define PARCLASS_1284_NONE		0x0000
/** PARCLASS_1284_CENTRONICS - write: compatibility mode */
#define PARCLASS_1284_CENTRONICS	0x0001
/** PARCLASS_1284_IEEE_COMPAT - write: compatibility mode, as IEEE 1284 has it */
#define PARCLASS_1284_IEEE_COMPAT	0x0002
/** PARCLASS_1284_NIBBLE - read: nibble mode */
#define PARCLASS_1284_NIBBLE		0x0004
/** PARCLASS_1284_CHANNEL_NIBBLE - read: nibble mode with channels (never reached) */
#define PARCLASS_1284_CHANNEL_NIBBLE	0x0008
/** PARCLASS_1284_BYTE_BIDIR - read: byte mode */
#define PARCLASS_1284_BYTE_BIDIR	0x0010
/** PARCLASS_1284_EPP_HW - EPP through the chip (never reached) */
#define PARCLASS_1284_EPP_HW		0x0020
/** PARCLASS_1284_EPP_SW - EPP, handshakes in software */
#define PARCLASS_1284_EPP_SW		0x0040
/** PARCLASS_1284_BOUNDED_ECP - bounded ECP (never reached) */
#define PARCLASS_1284_BOUNDED_ECP	0x0080
/** PARCLASS_1284_ECP_HW_NOIRQ - ECP through the chip's FIFO (never reached) */
#define PARCLASS_1284_ECP_HW_NOIRQ	0x0100
/** PARCLASS_1284_ECP_HW_IRQ - ECP through the FIFO, with interrupts (never reached) */
#define PARCLASS_1284_ECP_HW_IRQ	0x0200
/**
 * PARCLASS_1284_ECP_SW - ECP, handshakes in software, run-length encoded
 * if the peripheral agrees
 */
#define PARCLASS_1284_ECP_SW		0x0400
/** PARCLASS_1284_ALL - every mode bit */
#define PARCLASS_1284_ALL		0x07ff

/**
 * PARCLASS_NEGOTIATE_KEEP - do not terminate an active mode first
 *
 * Windows' NegotiateIeeeMode routine: with a mode already active the
 * request fails with %EPROTO (Windows DEVICE_PROTOCOL_ERROR) instead.
 */
#define PARCLASS_NEGOTIATE_KEEP		(1U << 0)

/**
 * struct parclass_negotiate - argument of &PARCLASS_IOC_NEGOTIATE
 * @size: sizeof(struct parclass_negotiate)
 * @flags: PARCLASS_NEGOTIATE_* bits; others must be 0
 * @token: the session, which must hold the port
 * @read_mask: PARCLASS_1284_* read modes the caller accepts; 0 for none
 * @write_mask: PARCLASS_1284_* write modes the caller accepts; 0 for none
 * @read_mode: out: the read mode reached (one bit), or
 *	%PARCLASS_1284_NONE
 * @write_mode: out: the write mode reached (one bit), or
 *	%PARCLASS_1284_NONE
 */
struct parclass_negotiate {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u32 read_mask;
	__u32 write_mask;
	__u32 read_mode;
	__u32 write_mode;
};

/**
 * PARCLASS_IOC_NEGOTIATE - choose the fastest IEEE 1284 modes in common
 *
 * Takes &struct parclass_negotiate (Windows IEEE1284_NEGOTIATE and the
 * NegotiateIeeeMode routine). Terminates any active mode, then finds, in
 * each mask, the fastest mode that the port, the peripheral and parclass
 * can do, in Windows' order: ECP, EPP, byte mode, nibble mode for
 * reading; ECP, EPP, compatibility mode for writing. parclass runs ECP
 * and EPP with the handshakes in software (%PARCLASS_1284_ECP_SW,
 * %PARCLASS_1284_EPP_SW, on a port whose data lines can turn round);
 * the hardware and bounded modes are never reached. The peripheral is
 * asked with IEEE 1284 negotiations, each step given 35 ms; a peripheral
 * that answers none is not asked again, and compatibility mode still
 * serves a write mask that has it. The modes reached become the
 * session's: &PARCLASS_IOC_READ reads in the read mode and WRITE with
 * %PARCLASS_WRITE_MODE writes in the write mode, entering it when
 * needed, and GET_MODE reports them. The port is left in the read mode
 * if one was reached, else in the write mode.
 * Like a transfer, the request never lets the port go and ends at once on
 * DISCONNECT, removal or a signal.
 *
 * Return: 0 when each non-zero mask gave a mode, or -1 with errno set to
 * one of the common errors or to:
 *
 * - %EINVAL: a mask has bits outside %PARCLASS_1284_ALL, or a read mode
 *   in @write_mask or a write-only mode in @read_mask.
 * - %EIO: a mask asked for an IEEE 1284 mode and the peripheral answered
 *   no negotiation (it is not an IEEE 1284 peripheral, is off, or no
 *   cable is there).
 * - %EOPNOTSUPP: the peripheral answered but refused every mode of a
 *   mask, or neither the port nor parclass can do any of them.
 * - %EPROTO: with %PARCLASS_NEGOTIATE_KEEP, a mode is active.
 * - %EPERM: the session does not hold the port.
 * - %EBUSY: a transfer of this session runs in another thread.
 * - %ESTALE, %ENODEV, %EINTR: as for a transfer.
 *
 * When a negotiation failed (%EIO, %EOPNOTSUPP, or ended from outside)
 * the port is in compatibility mode and the session's modes are none for
 * reading and Centronics for writing; the other errors change nothing.
 */
#define PARCLASS_IOC_NEGOTIATE \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_NEGOTIATE)

/**
 * struct parclass_mode - argument of &PARCLASS_IOC_TERMINATE and
 *	&PARCLASS_IOC_GET_MODE
 * @size: sizeof(struct parclass_mode)
 * @flags: must be 0
 * @token: the session
 * @read_mode: out (GET_MODE): the session's read mode, a PARCLASS_1284_*
 *	bit or %PARCLASS_1284_NONE; TERMINATE ignores it
 * @write_mode: out (GET_MODE): the session's write mode; TERMINATE
 *	ignores it
 */
struct parclass_mode {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u32 read_mode;
	__u32 write_mode;
};

/**
 * PARCLASS_IOC_TERMINATE - back to compatibility mode
 *
 * Takes &struct parclass_mode (Windows TerminateIeeeMode and
 * DISCONNECT_IDLE). Runs the IEEE 1284 termination if a mode is active,
 * and sets the session's modes to none for reading and Centronics for
 * writing. FREE, DISCONNECT and close() terminate an active mode too, so
 * the next holder of the port finds compatibility mode.
 *
 * Return: 0, or -1 with errno set to one of the common errors or to
 * %EPERM (not holding), %EBUSY (a transfer of this session runs), or
 * %ESTALE, %ENODEV, %EINTR as for a transfer.
 */
#define PARCLASS_IOC_TERMINATE \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_TERMINATE)

/**
 * PARCLASS_IOC_GET_MODE - the session's IEEE 1284 read and write modes
 *
 * Takes &struct parclass_mode (Windows IEEE1284_GET_MODE). Needs no
 * hold on the port and never blocks.
 *
 * Return: 0, or -1 with errno set to one of the common errors, %ESTALE
 * or %ENODEV.
 */
#define PARCLASS_IOC_GET_MODE \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_GET_MODE)

/** PARCLASS_READ_MAX - the most bytes one &PARCLASS_IOC_READ asks for */
#define PARCLASS_READ_MAX		(1U << 20)

/**
 * struct parclass_read - argument of &PARCLASS_IOC_READ
 * @size: sizeof(struct parclass_read)
 * @flags: must be 0
 * @token: the session, which must hold the port
 * @buffer: user pointer (as a __u64) to @length bytes
 * @length: how many bytes to read at most, 1 to %PARCLASS_READ_MAX
 * @done: out: how many bytes were read; set also on error
 * @timeout_ns: how long the peripheral may take over one handshake step
 *	before the read ends there, in nanoseconds; 0 for the parport
 *	default of 5 seconds
 */
struct parclass_read {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u64 buffer;
	__u32 length;
	__u32 done;
	__u64 timeout_ns;
};

/**
 * PARCLASS_IOC_READ - read bytes from the peripheral
 *
 * Takes &struct parclass_read (Windows ParallelRead). Reads in the
 * session's read mode (&PARCLASS_IOC_NEGOTIATE), entering it first if the
 * port is in another mode. It returns as soon as the peripheral has no
 * more data, also with @done 0: a read never waits for data to come. In
 * nibble and byte mode that is when nDataAvail is high; in ECP and EPP
 * when the peripheral presents no byte within 35 ms. ECP run-length
 * runs are expanded; a run longer than the room left is finished by the
 * next READ (NEGOTIATE and TERMINATE drop it). A peripheral that stops in
 * the middle of a byte's handshake for @timeout_ns ends the read there,
 * with the bytes read (in ECP and EPP with %ETIMEDOUT).
 * Like a transfer, a read never lets the port go and ends at once on
 * DISCONNECT (%ESTALE), removal (%ENODEV) or a signal (%EINTR).
 *
 * Return: 0 (@done may be short), or -1 with errno set to one of the
 * common errors or to:
 *
 * - %EINVAL: @length is 0 or above %PARCLASS_READ_MAX.
 * - %EPROTO: the session has no read mode.
 * - %ETIMEDOUT: in ECP or EPP, the peripheral stopped for @timeout_ns in
 *   the middle of a byte, before the byte a run length announced, or
 *   while the bus turned round; @done bytes are at @buffer.
 * - %EIO: the peripheral no longer answers the read mode's negotiation;
 *   the port is in compatibility mode.
 * - %EFAULT: @buffer is not writable; the bytes read are lost and @done
 *   is 0.
 * - %EPERM: the session does not hold the port.
 * - %EBUSY: a transfer of this session runs in another thread.
 * - %ESTALE, %ENODEV, %EINTR: the read was ended; @done bytes are at
 *   @buffer.
 * - %ENOMEM: out of memory.
 */
#define PARCLASS_IOC_READ \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_READ)

/** PARCLASS_ADDRESS_READ - &struct parclass_address.direction: reads */
#define PARCLASS_ADDRESS_READ		0
/** PARCLASS_ADDRESS_WRITE - &struct parclass_address.direction: writes */
#define PARCLASS_ADDRESS_WRITE		1
/** PARCLASS_ADDRESS_SET - set the address (else report it) */
#define PARCLASS_ADDRESS_SET		(1U << 0)
/** PARCLASS_ECP_CHANNEL_MAX - ECP channel addresses run from 0 to this */
#define PARCLASS_ECP_CHANNEL_MAX	127
/** PARCLASS_EPP_ADDRESS_MAX - EPP addresses run from 0 to this */
#define PARCLASS_EPP_ADDRESS_MAX	255

/**
 * struct parclass_address - argument of &PARCLASS_IOC_ADDRESS
 * @size: sizeof(struct parclass_address)
 * @flags: PARCLASS_ADDRESS_* bits; others must be 0
 * @token: the session
 * @direction: %PARCLASS_ADDRESS_READ or %PARCLASS_ADDRESS_WRITE
 * @address: in (with %PARCLASS_ADDRESS_SET): the ECP channel (0 to
 *	%PARCLASS_ECP_CHANNEL_MAX) or EPP address (0 to
 *	%PARCLASS_EPP_ADDRESS_MAX); out (without): the address last set for
 *	@direction, 0 at first
 */
struct parclass_address {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u32 direction;
	__u32 address;
};

/**
 * PARCLASS_IOC_ADDRESS - set or report a channel address
 *
 * Takes &struct parclass_address (Windows PAR_SET_READ_ADDRESS,
 * PAR_SET_WRITE_ADDRESS, PAR_GET_READ_ADDRESS, PAR_GET_WRITE_ADDRESS).
 * Setting needs the port held and the session's mode for @direction to
 * be ECP or EPP; it enters that mode if need be and sends the address at
 * once: in ECP a channel command (0x80 | @address, HostAck low), in EPP
 * an address write cycle. Only one address is in effect on the wire, and
 * a new negotiation resets it, so each READ and each WRITE with
 * %PARCLASS_WRITE_MODE sends its direction's address again first when it
 * is not the one last sent in the current mode. Reporting needs neither.
 *
 * Return: 0, or -1 with errno set to one of the common errors or to:
 *
 * - %EINVAL: @direction is neither value, or @address is out of range
 *   for the mode.
 * - %EPROTO: the session's mode for @direction is not ECP or EPP.
 * - %EIO: the peripheral no longer negotiates the mode.
 * - %ETIMEDOUT: the peripheral did not take the address within the
 *   inactivity timeout (5 s).
 * - %EPERM, %EBUSY, %ESTALE, %ENODEV, %EINTR: as for a transfer.
 */
#define PARCLASS_IOC_ADDRESS \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_ADDRESS)

/** PARCLASS_HOST_RECOVERY_SET - set the setting (else report it) */
#define PARCLASS_HOST_RECOVERY_SET	(1U << 0)

/**
 * struct parclass_host_recovery - argument of &PARCLASS_IOC_HOST_RECOVERY
 * @size: sizeof(struct parclass_host_recovery)
 * @flags: PARCLASS_HOST_RECOVERY_* bits; others must be 0
 * @token: the session
 * @enabled: in (with %PARCLASS_HOST_RECOVERY_SET): 0 or 1; out (without):
 *	the session's setting, 1 at first
 * @__reserved: must be 0
 */
struct parclass_host_recovery {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u32 enabled;
	__u32 __reserved;
};

/**
 * PARCLASS_IOC_HOST_RECOVERY - the session's ECP host-recovery setting
 *
 * Takes &struct parclass_host_recovery (Windows PAR_ECP_HOST_RECOVERY).
 * The setting is kept and reported; parclass's ECP writes do not act on
 * it yet: a peripheral that stalls in the middle of a byte ends the write
 * with %ETIMEDOUT either way. Needs no hold on the port.
 *
 * Return: 0, or -1 with errno set to one of the common errors, %EINVAL
 * (@enabled above 1), %ESTALE or %ENODEV.
 */
#define PARCLASS_IOC_HOST_RECOVERY \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_HOST_RECOVERY)

/**
 * struct parclass_ping - argument of &PARCLASS_IOC_PING
 * @size: sizeof(struct parclass_ping)
 * @flags: must be 0
 * @token: the session, which must hold the port
 */
struct parclass_ping {
	__u32 size;
	__u32 flags;
	__u64 token;
};

/**
 * PARCLASS_IOC_PING - is the peripheral still there?
 *
 * Takes &struct parclass_ping (Windows PAR_PING). Terminates the active
 * mode and negotiates the session's read mode again (its write mode if
 * it has no read mode but ECP or EPP; with neither, nibble mode, and then
 * back to compatibility mode).
 *
 * Return: 0 if the peripheral answered, or -1 with errno set to one of
 * the common errors or to %EIO (no IEEE 1284 answer; the port is in
 * compatibility mode), %EOPNOTSUPP (it answered but refused the mode),
 * or %EPERM, %EBUSY, %ESTALE, %ENODEV, %EINTR as for a transfer.
 */
#define PARCLASS_IOC_PING \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_PING)

/**
 * struct parclass_probe - argument of &PARCLASS_IOC_PROBE
 * @size: sizeof(struct parclass_probe)
 * @flags: must be 0
 * @token: the session, which must hold the port
 * @exclude: PARCLASS_1284_* modes not to try
 * @modes: out: the modes the peripheral accepted, and the port and
 *	parclass can run: compatibility mode (%PARCLASS_1284_CENTRONICS,
 *	and %PARCLASS_1284_IEEE_COMPAT if the peripheral speaks IEEE 1284)
 *	unless excluded, and each IEEE 1284 mode it negotiated
 */
struct parclass_probe {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u32 exclude;
	__u32 modes;
};

/**
 * PARCLASS_IOC_PROBE - which modes does the peripheral accept?
 *
 * Takes &struct parclass_probe (Windows DetermineIeeeModes and
 * PAR_GET_DEVICE_CAPS). Negotiates, one after the other, every mode the
 * port and parclass can run and @exclude does not name, and leaves the
 * port in compatibility mode. The session's modes do not change.
 *
 * Return: 0, or -1 with errno set to one of the common errors or to
 * %EINVAL (@exclude has bits outside %PARCLASS_1284_ALL), or %EPERM,
 * %EBUSY, %ESTALE, %ENODEV, %EINTR as for a transfer.
 */
#define PARCLASS_IOC_PROBE \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_PROBE)

/*
 * Chip modes: &struct parclass_chip_mode.mode, the mode field (bits 7:5)
 * of an ECP port's extended control register, as Windows' PARALLEL_CHIP_MODE
 * ModeFlags carries it.
 */
/** PARCLASS_CHIP_MODE_INITIAL - the mode the port had before any SET */
#define PARCLASS_CHIP_MODE_INITIAL	0x00
/** PARCLASS_CHIP_MODE_BYTE - PS/2 byte mode; needs %PARCLASS_HW_BYTE_PRESENT */
#define PARCLASS_CHIP_MODE_BYTE		0x20
/** PARCLASS_CHIP_MODE_ECP - ECP FIFO mode; needs %PARCLASS_HW_ECP_PRESENT */
#define PARCLASS_CHIP_MODE_ECP		0x60
/** PARCLASS_CHIP_MODE_EPP - EPP mode; needs %PARCLASS_HW_EPP_PRESENT */
#define PARCLASS_CHIP_MODE_EPP		0x80

/** PARCLASS_CHIP_MODE_SET - set @mode (Windows PARALLEL_SET_CHIP_MODE) */
#define PARCLASS_CHIP_MODE_SET		(1U << 0)
/** PARCLASS_CHIP_MODE_CLEAR - clear @mode (Windows PARALLEL_CLEAR_CHIP_MODE) */
#define PARCLASS_CHIP_MODE_CLEAR	(1U << 1)

/**
 * struct parclass_chip_mode - argument of &PARCLASS_IOC_CHIP_MODE
 * @size: sizeof(struct parclass_chip_mode)
 * @flags: %PARCLASS_CHIP_MODE_SET or %PARCLASS_CHIP_MODE_CLEAR, or neither
 *	to report; others must be 0
 * @token: the session
 * @mode: in: with SET, %PARCLASS_CHIP_MODE_BYTE, %PARCLASS_CHIP_MODE_ECP or
 *	%PARCLASS_CHIP_MODE_EPP; with CLEAR, the port's current chip mode
 *	(%PARCLASS_CHIP_MODE_INITIAL included); else must be 0
 * @current_mode: out: the port's chip mode once the request is done
 */
struct parclass_chip_mode {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u32 mode;
	__u32 current_mode;
};

/**
 * PARCLASS_IOC_CHIP_MODE - set, clear or report the port's chip mode
 *
 * Takes &struct parclass_chip_mode (Windows TrySetChipMode and
 * ClearChipMode). The chip mode belongs to the port. SET is allowed only
 * while the port is in its initial mode or in byte mode; CLEAR must name
 * the current mode and puts the port back in its initial mode. On a
 * parport_pc port with an extended control register (ECR) the mode is
 * written there: SET saves the register the first time and goes through
 * byte mode to reach ECP or EPP, as the ECP specification asks; CLEAR
 * writes the saved register back. On other ports (no ECR: an SPP or
 * EPP-only chip, QEMU's, a simulated or USB port) there is nothing to
 * switch, and the mode is checked against the port's capabilities and
 * recorded. FREE, DISCONNECT and close() put the port back in its initial
 * mode, so the next holder finds it as it was. While the chip is in ECP or
 * EPP mode its registers behave as that mode defines; parclass's
 * transfers, which drive the lines by hand, expect the initial or byte
 * mode. SET and CLEAR need the port held; reporting does not.
 *
 * Return: 0, or -1 with errno set to one of the common errors or to:
 *
 * - %EINVAL: both flags, a @mode that is not one of the values above for
 *   the request, or a non-zero @mode when reporting.
 * - %EALREADY: SET while the port is in ECP or EPP chip mode (Windows
 *   INVALID_DEVICE_STATE: clear it first).
 * - %ENOENT: CLEAR of a mode the port is not in (Windows
 *   INVALID_DEVICE_STATE).
 * - %EOPNOTSUPP: SET of a mode the port lacks (Windows NO_SUCH_DEVICE).
 * - %EPERM: SET or CLEAR, and the session does not hold the port.
 * - %EBUSY: SET or CLEAR while a transfer of this session runs.
 * - %ESTALE, %ENODEV: as for every session command.
 */
#define PARCLASS_IOC_CHIP_MODE \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_CHIP_MODE)

/**
 * PARCLASS_LOCK_NO_SELECT - &PARCLASS_IOC_LOCK: do not select the chain
 *	device (Windows LOCK_PORT_NO_SELECT); &PARCLASS_IOC_UNLOCK: do not
 *	deselect the chain (UNLOCK_PORT_NO_DESELECT)
 */
#define PARCLASS_LOCK_NO_SELECT		(1U << 0)

/**
 * struct parclass_lock - argument of &PARCLASS_IOC_LOCK and
 *	&PARCLASS_IOC_UNLOCK
 * @size: sizeof(struct parclass_lock)
 * @flags: PARCLASS_LOCK_* bits; others must be 0
 * @token: the session
 */
struct parclass_lock {
	__u32 size;
	__u32 flags;
	__u64 token;
};

/**
 * PARCLASS_IOC_LOCK - allocate the port the way Windows' device side does
 *
 * Takes &struct parclass_lock (Windows LOCK_PORT and LOCK_PORT_NO_SELECT).
 * Allocates the port as &PARCLASS_IOC_ALLOCATE does, waiting at most the
 * module parameter acquire_timeout_ms (500 ms by default, as Windows'
 * AcquirePortTimeout; 500 to 5000), then, on a session connected to a
 * daisy-chain device (%PARCLASS_CONNECT_DAISY) and without
 * %PARCLASS_LOCK_NO_SELECT, selects that device, trying up to 5 times. The
 * session holds the port until &PARCLASS_IOC_UNLOCK (or FREE).
 * (The parport core itself selects a chain device's session whenever it
 * gives it the port, without checking the answer; LOCK checks it.)
 *
 * Return: 0, or -1 with errno set to one of the common errors or to:
 *
 * - %ETIMEDOUT: the port stayed busy for acquire_timeout_ms (Windows
 *   DEVICE_BUSY).
 * - %ENXIO: the chain device did not answer the select; the port was
 *   freed again (Windows UNSUCCESSFUL).
 * - %EALREADY, %EINTR, %ECANCELED, %ESTALE, %ENODEV, %ENOMEM: as for
 *   ALLOCATE.
 * - %EPERM, %EBUSY: another thread of the session freed the port, or
 *   started a transfer, between the grant and the select; with %EBUSY
 *   the session holds the port. %EBUSY also as for ALLOCATE.
 */
#define PARCLASS_IOC_LOCK \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_LOCK)

/**
 * PARCLASS_IOC_UNLOCK - undo &PARCLASS_IOC_LOCK
 *
 * Takes &struct parclass_lock (Windows UNLOCK_PORT and
 * UNLOCK_PORT_NO_DESELECT). Deselects every chain device (on a port with
 * a chain, unless %PARCLASS_LOCK_NO_SELECT), then frees the port as FREE
 * does. With %PARCLASS_LOCK_NO_SELECT nothing is deselected, not even a
 * device SELECT_DEVICE selected, which FREE otherwise deselects; but for
 * a session connected to a chain device the parport core deselects the
 * chain at the release anyway.
 *
 * Return: 0, or -1 with errno set to one of the common errors or to
 * %EPERM (the session does not hold the port: Windows answers SUCCESS),
 * %EBUSY (a transfer of this session runs; nothing was done), %ESTALE or
 * %ENODEV.
 */
#define PARCLASS_IOC_UNLOCK \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_UNLOCK)

/**
 * struct parclass_daisy_init - argument of &PARCLASS_IOC_DAISY_INIT
 * @size: sizeof(struct parclass_daisy_init)
 * @flags: must be 0
 * @token: the session, which must hold the port
 * @count: out: the chain devices that took an address, 0 to
 *	%PARCLASS_DAISY_MAX
 * @__reserved: must be 0
 */
struct parclass_daisy_init {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u32 count;
	__u32 __reserved;
};

/**
 * PARCLASS_IOC_DAISY_INIT - address the IEEE 1284.3 daisy chain again
 *
 * Takes &struct parclass_daisy_init (Windows INIT_1284_3_BUS). Sends the
 * 1284.3 address assignment: the chain devices take addresses 0, 1, ...
 * in cable order. The count becomes the port's
 * &struct parclass_port_info.daisy_count (and its
 * %PARCLASS_HW_1284_3_PRESENT). Every chain device is deselected
 * afterwards; on a session connected to a chain device, that device is
 * selected again.
 *
 * Return: 0, or -1 with errno set to one of the common errors or to
 * %EPERM (not holding), %EBUSY (a transfer of this session runs),
 * %ESTALE or %ENODEV.
 */
#define PARCLASS_IOC_DAISY_INIT \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_DAISY_INIT)

/**
 * PARCLASS_SELECT_KEEP_PORT - the session already holds the port, and
 *	keeps it: SELECT_DEVICE does not allocate, DESELECT_DEVICE does not
 *	free (Windows HAVE_PORT_KEEP_PORT)
 */
#define PARCLASS_SELECT_KEEP_PORT	(1U << 0)
/**
 * PARCLASS_DAISY_END_OF_CHAIN - &struct parclass_select.device: the
 *	peripheral at the end of the cable, reached with no chain device
 *	selected
 */
#define PARCLASS_DAISY_END_OF_CHAIN	4

/**
 * struct parclass_select - argument of &PARCLASS_IOC_SELECT_DEVICE and
 *	&PARCLASS_IOC_DESELECT_DEVICE
 * @size: sizeof(struct parclass_select)
 * @flags: PARCLASS_SELECT_* bits; others must be 0
 * @token: the session
 * @device: SELECT_DEVICE: the chain device's address, below the port's
 *	chain device count, or %PARCLASS_DAISY_END_OF_CHAIN; DESELECT_DEVICE:
 *	must be 0
 * @__reserved: must be 0
 * @timeout_ns: SELECT_DEVICE without %PARCLASS_SELECT_KEEP_PORT: how long
 *	to wait for the port at most, as &struct parclass_allocate.timeout_ns
 *	(0 waits for as long as it takes); else must be 0
 */
struct parclass_select {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u32 device;
	__u32 __reserved;
	__u64 timeout_ns;
};

/**
 * PARCLASS_IOC_SELECT_DEVICE - allocate the port and select a chain device
 *
 * Takes &struct parclass_select (Windows SELECT_DEVICE and TrySelectDevice).
 * Without %PARCLASS_SELECT_KEEP_PORT it first allocates the port as a
 * blocking &PARCLASS_IOC_ALLOCATE does, queued in the same order; with it
 * the session must hold the port already. It then sends the 1284.3
 * select for @device, trying up to 5 times; for
 * %PARCLASS_DAISY_END_OF_CHAIN it deselects the chain instead. Until the
 * next select or deselect the peripheral traffic goes to that device;
 * FREE, DISCONNECT and close() deselect it, so that the next holder of
 * the port finds the end of the chain addressed.
 *
 * Return: 0, or -1 with errno set to one of the common errors or to:
 *
 * - %EINVAL: @device is beyond the chain (Windows INVALID_PARAMETER), or
 *   @timeout_ns is set with %PARCLASS_SELECT_KEEP_PORT.
 * - %ENXIO: the device did not answer the select (Windows UNSUCCESSFUL);
 *   a port allocated by this call was freed again.
 * - %EPERM: with %PARCLASS_SELECT_KEEP_PORT, the session does not hold
 *   the port.
 * - %EBUSY: a transfer of this session runs (also one another thread
 *   started between the grant and the select: the session then holds the
 *   port).
 * - %EALREADY, %ETIMEDOUT, %EINTR, %ECANCELED, %ESTALE, %ENODEV,
 *   %ENOMEM: as for ALLOCATE; %EBUSY also as for ALLOCATE.
 */
#define PARCLASS_IOC_SELECT_DEVICE \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_SELECT_DEVICE)

/**
 * PARCLASS_IOC_DESELECT_DEVICE - deselect the chain, then free the port
 *
 * Takes &struct parclass_select (Windows DESELECT_DEVICE and
 * DeselectDevice). Sends the 1284.3 deselect-all, then, without
 * %PARCLASS_SELECT_KEEP_PORT, frees the port as FREE does.
 *
 * Return: 0, or -1 with errno set to one of the common errors or to
 * %EPERM (not holding), %EBUSY (a transfer of this session runs),
 * %ESTALE or %ENODEV.
 */
#define PARCLASS_IOC_DESELECT_DEVICE \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_DESELECT_DEVICE)

/**
 * struct parclass_cancel - argument of &PARCLASS_IOC_CANCEL
 * @size: sizeof(struct parclass_cancel)
 * @flags: must be 0
 * @token: the session whose queued ALLOCATE to withdraw
 */
struct parclass_cancel {
	__u32 size;
	__u32 flags;
	__u64 token;
};

/**
 * PARCLASS_IOC_CANCEL - withdraw a session's queued ALLOCATE
 *
 * Takes &struct parclass_cancel (Windows' cancelling of a PENDING
 * allocate). Takes the session out of the port's queue: a request queued
 * with %PARCLASS_ALLOCATE_ASYNC is gone, and a blocking ALLOCATE,
 * SELECT_DEVICE or LOCK waiting in another thread returns %ECANCELED. A
 * cancelled request is never granted. The cancel and a grant are
 * decided under one lock: either the session holds the port (%EALREADY)
 * or it never will through that request.
 *
 * Return: 0 when a queued request was withdrawn, or -1 with errno set to
 * one of the common errors or to:
 *
 * - %EALREADY: the session holds the port (it was granted first).
 * - %ENOENT: the session has no request queued.
 * - %ESTALE, %ENODEV: as for every session command.
 */
#define PARCLASS_IOC_CANCEL \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_CANCEL)

/** PARCLASS_INTERRUPTS_ENABLE - start counting the port's interrupts */
#define PARCLASS_INTERRUPTS_ENABLE	(1U << 0)
/** PARCLASS_INTERRUPTS_DISABLE - stop counting them */
#define PARCLASS_INTERRUPTS_DISABLE	(1U << 1)

/**
 * struct parclass_interrupts - argument of &PARCLASS_IOC_INTERRUPTS
 * @size: sizeof(struct parclass_interrupts)
 * @flags: one of PARCLASS_INTERRUPTS_* or none; others must be 0
 * @token: the session
 * @count: out: without flags, the interrupts counted since the last
 *	report (by this request or by read()), which clears the count; with
 *	a flag, 0
 * @__reserved: must be 0
 */
struct parclass_interrupts {
	__u32 size;
	__u32 flags;
	__u64 token;
	__u32 count;
	__u32 __reserved;
};

/**
 * PARCLASS_IOC_INTERRUPTS - count the port's interrupts for a session
 *
 * Takes &struct parclass_interrupts (Windows PARALLEL_CONNECT_INTERRUPT
 * and PARALLEL_DISCONNECT_INTERRUPT, for user space). Off by default, as
 * on Windows: the module parameter allow_interrupts must be set to
 * enable it. Sessions that never enable it have no interrupt handler. An
 * enabled session counts the port's interrupts (on a PC port, nAck
 * pulses) while it holds the port: the parport core hands a port's
 * interrupts to the device holding it. The port's interrupt is turned on
 * while such a session holds it. Each time the count goes from 0 to 1,
 * the file reports %PARCLASS_EVENT_INTERRUPT (read() and poll(), see
 * &struct parclass_event). The count stops at 2^32 - 1. ENABLE on a
 * session that already counts changes nothing; DISABLE also drops the
 * count not yet reported.
 *
 * Return: 0, or -1 with errno set to one of the common errors or to:
 *
 * - %EINVAL: both flags.
 * - %EACCES: ENABLE, and the module parameter allow_interrupts is off
 *   (Windows UNSUCCESSFUL).
 * - %ENXIO: ENABLE, and the port has no interrupt line.
 * - %ENOENT: DISABLE, and the session does not count interrupts (Windows
 *   INVALID_PARAMETER).
 * - %EBUSY: ENABLE or DISABLE while the session holds the port and a
 *   transfer of it runs.
 * - %ESTALE, %ENODEV: as for every session command.
 */
#define PARCLASS_IOC_INTERRUPTS \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_INTERRUPTS)

/** PARCLASS_EVENT_GRANTED - an ALLOCATE with %PARCLASS_ALLOCATE_ASYNC was granted */
#define PARCLASS_EVENT_GRANTED		(1U << 0)
/** PARCLASS_EVENT_INTERRUPT - interrupts were counted; see @interrupts */
#define PARCLASS_EVENT_INTERRUPT	(1U << 1)
/** PARCLASS_EVENT_REMOVED - the session's port was removed */
#define PARCLASS_EVENT_REMOVED		(1U << 2)

/**
 * struct parclass_event - what read() on the file returns
 * @token: the session the events belong to
 * @events: PARCLASS_EVENT_* bits: what happened since the last report
 * @interrupts: with %PARCLASS_EVENT_INTERRUPT, the interrupts counted
 *	since the last report, which clears the count; else 0
 * @timestamp_ns: CLOCK_MONOTONIC time of the newest of the events
 *
 * poll() on the file reports EPOLLIN when a session of the file has
 * events. read() returns one record per such session, as many as fit in
 * its buffer (which must fit one: else %EINVAL), and clears what it
 * returns. Without O_NONBLOCK it waits for events (a signal ends the wait
 * with %EINTR); with it, %EAGAIN says there are none. %ENOMEM: no memory
 * for the records, before any was taken (the events stay for the next
 * read()); %EFAULT: a bad buffer (the events taken are put back).
 * Closing the file's last descriptor (from another thread) ends a waiting
 * read() with 0 and makes poll() report EPOLLHUP. A thread blocked in poll() or select() on
 * the file holds it open, as it does any file: a close() from another
 * thread then ends nothing until that call returns (epoll does not hold
 * the file; DISCONNECT works either way). Events of a session vanish with its
 * DISCONNECT; a session revoked by port removal keeps its
 * %PARCLASS_EVENT_REMOVED until then.
 */
struct parclass_event {
	__u64 token;
	__u32 events;
	__u32 interrupts;
	__u64 timestamp_ns;
};

/**
 * PARCLASS_IOC_GET_VERSION - report the interface version and features
 *
 * Takes &struct parclass_version. Needs no session and never blocks.
 *
 * Return: 0 on success, or -1 with errno set to %EFAULT, %EINVAL or %E2BIG
 * as described for every command.
 */
#define PARCLASS_IOC_GET_VERSION \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_GET_VERSION)

#endif /* _UAPI_LINUX_PARCLASS_H */
