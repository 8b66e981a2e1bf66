/* SPDX-License-Identifier: LGPL-2.1-or-later */
/*
 * libparclass, the Windows-shaped layer: DeviceIoControl with the real
 * Windows parallel-port control codes and structures, completing each
 * request with an IO_STATUS_BLOCK as Windows would.
 *
 * Two entry points, as Windows has two kinds of request that reuse the
 * same function numbers:
 *
 * - ParclassDeviceIoControl() takes the internal requests of parallel.h
 *   (IRP_MJ_INTERNAL_DEVICE_CONTROL): the class-driver interface,
 *   IOCTL_INTERNAL_PARCLASS_CONNECT, IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE...
 * - ParclassUserDeviceIoControl() takes the user-mode requests of
 *   ntddpar.h (IRP_MJ_DEVICE_CONTROL): IOCTL_PAR_IS_PORT_FREE...
 *
 * A handle stands for one port's device (\Device\ParallelN) and carries
 * at most one connection. Structures carry no pointers: routines are
 * functions of this library, and the Context a routine takes is the
 * connection's session token, which the kernel checks on every use.
 *
 * Requests supported (everything else completes with
 * STATUS_INVALID_PARAMETER, as Windows completes a code it does not know):
 *   internal: PARCLASS_CONNECT, PARCLASS_DISCONNECT, PARALLEL_PORT_ALLOCATE,
 *	PARALLEL_PORT_FREE, GET_PARALLEL_PORT_INFO, GET_MORE_PARALLEL_PORT_INFO,
 *	GET_PARALLEL_PNP_INFO, RELEASE_PARALLEL_PORT_INFO, DISCONNECT_IDLE,
 *	PARALLEL_SET_CHIP_MODE, PARALLEL_CLEAR_CHIP_MODE, LOCK_PORT,
 *	UNLOCK_PORT, LOCK_PORT_NO_SELECT, UNLOCK_PORT_NO_DESELECT,
 *	INIT_1284_3_BUS, SELECT_DEVICE, DESELECT_DEVICE,
 *	PARALLEL_CONNECT_INTERRUPT, PARALLEL_DISCONNECT_INTERRUPT
 *   user-mode: every request of ntddpar.h: PAR_IS_PORT_FREE,
 *	PAR_QUERY_LOCATION, PAR_GET_DEFAULT_MODES, PAR_QUERY_INFORMATION,
 *	PAR_SET_INFORMATION, PAR_QUERY_DEVICE_ID, PAR_QUERY_DEVICE_ID_SIZE,
 *	PAR_QUERY_RAW_DEVICE_ID, IEEE1284_GET_MODE, IEEE1284_NEGOTIATE,
 *	PAR_SET_READ_ADDRESS, PAR_SET_WRITE_ADDRESS, PAR_GET_READ_ADDRESS,
 *	PAR_GET_WRITE_ADDRESS, PAR_GET_DEVICE_CAPS, PAR_PING,
 *	PAR_ECP_HOST_RECOVERY
 * and, for code ported from inpout32-style port I/O (Inp32/Out32,
 * DlPortReadPortUchar, READ_PORT_UCHAR), the register access of
 * ParclassReadPortUchar(), ParclassWritePortUchar() and
 * ParclassAccessPorts(). The routines of PARALLEL_PORT_INFORMATION and
 * PARCLASS_INFORMATION are functions of this library (below).
 *
 * The device-side requests (PAR_QUERY_INFORMATION, PAR_SET_INFORMATION,
 * the three device-ID requests, IEEE1284_NEGOTIATE, PAR_SET_READ_ADDRESS,
 * PAR_SET_WRITE_ADDRESS, PAR_GET_DEVICE_CAPS, PAR_PING, DISCONNECT_IDLE,
 * INIT_1284_3_BUS, and each register access or list of them) run with the
 * port
 * allocated, as on Windows: with the handle's own allocation if it holds
 * the port, else within one made for the request, waiting at most
 * 500 ms (then STATUS_DEVICE_BUSY), and freed after it. Windows has no
 * signals, and a signal that arrives during that wait (an application's
 * SIGCHLD or SIGALRM handler, a stop and continue) does not cancel the
 * request: the wait goes on for what is left of the 500 ms. A handle
 * without a connection makes a brief one for the request as well (and
 * for PAR_IS_PORT_FREE, IEEE1284_GET_MODE, PAR_GET_READ_ADDRESS,
 * PAR_GET_WRITE_ADDRESS and PAR_ECP_HOST_RECOVERY, which need no
 * allocation), ended before the request completes, whatever its status.
 *
 * IEEE 1284 modes. Windows keeps the negotiated modes, the channel
 * addresses and the host-recovery setting in the device; parclass keeps
 * them in the connection (the kernel session). So:
 *
 * - On a connected handle they last until DISCONNECT, whether or not the
 *   handle holds the port. A request made within an allocation of its
 *   own (the handle does not hold the port) leaves the port in
 *   compatibility mode when that allocation ends, as every FREE does, so
 *   that the next holder (lp, ppdev, another client) finds it there; the
 *   modes stay the connection's, IEEE1284_GET_MODE reports them, and the
 *   connection's next read or write (ParclassParallelRead(),
 *   ParclassParallelWrite()) negotiates its mode again, within the
 *   connection's own allocation. A handle that holds the port keeps the
 *   peripheral in the mode between requests.
 * - A handle without a connection has only the brief connection of each
 *   request: IEEE1284_NEGOTIATE reports the modes reached, which end with
 *   the request; IEEE1284_GET_MODE then reports a new connection's modes
 *   (none for reading, CENTRONICS for writing), PAR_GET_READ_ADDRESS and
 *   PAR_GET_WRITE_ADDRESS 0, and PAR_SET_READ_ADDRESS,
 *   PAR_SET_WRITE_ADDRESS and PAR_ECP_HOST_RECOVERY have no lasting
 *   effect. Connect (IOCTL_INTERNAL_PARCLASS_CONNECT) to keep them.
 * - The modes not to use that PAR_GET_DEVICE_CAPS takes belong to the
 *   handle (Windows: the device), connected or not, and later
 *   negotiations of the handle skip them, until
 *   ParclassDetermineIeeeModes() clears them, as Windows does.
 *
 * A port that is not there: a handle without a connection whose port
 * does not exist, never did or has been removed, gets
 * STATUS_NO_SUCH_DEVICE from those requests, as from
 * IOCTL_INTERNAL_PARCLASS_CONNECT. A connected handle whose port has
 * been removed since gets STATUS_DEVICE_REMOVED from them, and from
 * ALLOCATE, FREE, PAR_IS_PORT_FREE, PAR_QUERY_LOCATION and the
 * port-information requests; DISCONNECT still ends its connection.
 */
#ifndef PARCLASS_WIN_H
#define PARCLASS_WIN_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int32_t NTSTATUS;

#define STATUS_SUCCESS			((NTSTATUS)0x00000000)
#define STATUS_TIMEOUT			((NTSTATUS)0x00000102)
#define STATUS_PENDING			((NTSTATUS)0x00000103)
#define STATUS_DEVICE_PAPER_EMPTY	((NTSTATUS)0x8000000E)
#define STATUS_DEVICE_POWERED_OFF	((NTSTATUS)0x8000000F)
#define STATUS_DEVICE_OFF_LINE		((NTSTATUS)0x80000010)
#define STATUS_DEVICE_BUSY		((NTSTATUS)0x80000011)
#define STATUS_UNSUCCESSFUL		((NTSTATUS)0xC0000001)
#define STATUS_ACCESS_VIOLATION		((NTSTATUS)0xC0000005)
#define STATUS_INVALID_HANDLE		((NTSTATUS)0xC0000008)
#define STATUS_INVALID_PARAMETER	((NTSTATUS)0xC000000D)
#define STATUS_NO_SUCH_DEVICE		((NTSTATUS)0xC000000E)
#define STATUS_BUFFER_TOO_SMALL		((NTSTATUS)0xC0000023)
#define STATUS_OBJECT_NAME_INVALID	((NTSTATUS)0xC0000033)
#define STATUS_DELETE_PENDING		((NTSTATUS)0xC0000056)
#define STATUS_INSUFFICIENT_RESOURCES	((NTSTATUS)0xC000009A)
#define STATUS_DEVICE_NOT_CONNECTED	((NTSTATUS)0xC000009D)
#define STATUS_IO_TIMEOUT		((NTSTATUS)0xC00000B5)
#define STATUS_NOT_SUPPORTED		((NTSTATUS)0xC00000BB)
#define STATUS_CANCELLED		((NTSTATUS)0xC0000120)
#define STATUS_INVALID_DEVICE_STATE	((NTSTATUS)0xC0000184)
#define STATUS_IO_DEVICE_ERROR		((NTSTATUS)0xC0000185)
#define STATUS_DEVICE_PROTOCOL_ERROR	((NTSTATUS)0xC0000186)
#define STATUS_DEVICE_REMOVED		((NTSTATUS)0xC00002B6)

/** IO_STATUS_BLOCK - how a request completed */
typedef struct _IO_STATUS_BLOCK {
	NTSTATUS Status;	/* an NTSTATUS */
	uint32_t Reserved;
	uint64_t Information;	/* bytes returned */
} IO_STATUS_BLOCK;

#define FILE_DEVICE_PARALLEL_PORT	0x00000016
#define METHOD_BUFFERED			0
#define FILE_ANY_ACCESS			0
#define CTL_CODE(type, fn, method, access) \
	(((uint32_t)(type) << 16) | ((uint32_t)(access) << 14) | \
	 ((uint32_t)(fn) << 2) | (uint32_t)(method))
#define PARCLASS_PAR_CODE(fn) \
	CTL_CODE(FILE_DEVICE_PARALLEL_PORT, fn, METHOD_BUFFERED, FILE_ANY_ACCESS)

/* parallel.h: internal requests */
#define IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE		PARCLASS_PAR_CODE(11)
#define IOCTL_INTERNAL_GET_PARALLEL_PORT_INFO		PARCLASS_PAR_CODE(12)
#define IOCTL_INTERNAL_PARALLEL_CONNECT_INTERRUPT	PARCLASS_PAR_CODE(13)
#define IOCTL_INTERNAL_PARALLEL_DISCONNECT_INTERRUPT	PARCLASS_PAR_CODE(14)
#define IOCTL_INTERNAL_RELEASE_PARALLEL_PORT_INFO	PARCLASS_PAR_CODE(15)
#define IOCTL_INTERNAL_GET_MORE_PARALLEL_PORT_INFO	PARCLASS_PAR_CODE(17)
#define IOCTL_INTERNAL_PARCHIP_CONNECT			PARCLASS_PAR_CODE(18)
#define IOCTL_INTERNAL_PARALLEL_SET_CHIP_MODE		PARCLASS_PAR_CODE(19)
#define IOCTL_INTERNAL_PARALLEL_CLEAR_CHIP_MODE		PARCLASS_PAR_CODE(20)
#define IOCTL_INTERNAL_GET_PARALLEL_PNP_INFO		PARCLASS_PAR_CODE(21)
#define IOCTL_INTERNAL_INIT_1284_3_BUS			PARCLASS_PAR_CODE(22)
#define IOCTL_INTERNAL_SELECT_DEVICE			PARCLASS_PAR_CODE(23)
#define IOCTL_INTERNAL_DESELECT_DEVICE			PARCLASS_PAR_CODE(24)
#define IOCTL_INTERNAL_GET_PARPORT_FDO			PARCLASS_PAR_CODE(29)
#define IOCTL_INTERNAL_PARCLASS_CONNECT			PARCLASS_PAR_CODE(30)
#define IOCTL_INTERNAL_PARCLASS_DISCONNECT		PARCLASS_PAR_CODE(31)
#define IOCTL_INTERNAL_DISCONNECT_IDLE			PARCLASS_PAR_CODE(32)
#define IOCTL_INTERNAL_LOCK_PORT			PARCLASS_PAR_CODE(37)
#define IOCTL_INTERNAL_UNLOCK_PORT			PARCLASS_PAR_CODE(38)
#define IOCTL_INTERNAL_PARALLEL_PORT_FREE		PARCLASS_PAR_CODE(40)
#define IOCTL_INTERNAL_LOCK_PORT_NO_SELECT		PARCLASS_PAR_CODE(52)
#define IOCTL_INTERNAL_UNLOCK_PORT_NO_DESELECT		PARCLASS_PAR_CODE(53)

/* ntddpar.h: user-mode requests */
#define IOCTL_PAR_QUERY_INFORMATION		PARCLASS_PAR_CODE(1)
#define IOCTL_PAR_SET_INFORMATION		PARCLASS_PAR_CODE(2)
#define IOCTL_PAR_QUERY_DEVICE_ID		PARCLASS_PAR_CODE(3)
#define IOCTL_PAR_QUERY_DEVICE_ID_SIZE		PARCLASS_PAR_CODE(4)
#define IOCTL_IEEE1284_GET_MODE			PARCLASS_PAR_CODE(5)
#define IOCTL_IEEE1284_NEGOTIATE		PARCLASS_PAR_CODE(6)
#define IOCTL_PAR_SET_WRITE_ADDRESS		PARCLASS_PAR_CODE(7)
#define IOCTL_PAR_SET_READ_ADDRESS		PARCLASS_PAR_CODE(8)
#define IOCTL_PAR_GET_DEVICE_CAPS		PARCLASS_PAR_CODE(9)
#define IOCTL_PAR_GET_DEFAULT_MODES		PARCLASS_PAR_CODE(10)
#define IOCTL_PAR_PING				PARCLASS_PAR_CODE(11)
#define IOCTL_PAR_QUERY_RAW_DEVICE_ID		PARCLASS_PAR_CODE(12)
#define IOCTL_PAR_ECP_HOST_RECOVERY		PARCLASS_PAR_CODE(13)
#define IOCTL_PAR_GET_READ_ADDRESS		PARCLASS_PAR_CODE(14)
#define IOCTL_PAR_GET_WRITE_ADDRESS		PARCLASS_PAR_CODE(15)
#define IOCTL_PAR_IS_PORT_FREE			PARCLASS_PAR_CODE(21)
#define IOCTL_PAR_QUERY_LOCATION		PARCLASS_PAR_CODE(22)

/* HardwareCapabilities */
#define PPT_NO_HARDWARE_PRESENT		0x00000000
#define PPT_ECP_PRESENT			0x00000001
#define PPT_EPP_PRESENT			0x00000002
#define PPT_EPP_32_PRESENT		0x00000004
#define PPT_BYTE_PRESENT		0x00000008
#define PPT_BIDI_PRESENT		0x00000008
#define PPT_1284_3_PRESENT		0x00000010

/*
 * IEEE 1284 mode masks (PARCLASS_NEGOTIATION_MASK, PAR_GET_DEVICE_CAPS);
 * ntddpar.h calls them NONE, CENTRONICS, IEEE_COMPATIBILITY, NIBBLE...,
 * names too generic to define here. The values are ntddpar.h's, and
 * <linux/parclass.h>'s PARCLASS_1284_* bits.
 */
#define PARCLASS_MODE_NONE		0x0000
#define PARCLASS_MODE_CENTRONICS	0x0001
#define PARCLASS_MODE_IEEE_COMPATIBILITY 0x0002
#define PARCLASS_MODE_NIBBLE		0x0004
#define PARCLASS_MODE_CHANNEL_NIBBLE	0x0008
#define PARCLASS_MODE_BYTE_BIDIR	0x0010
#define PARCLASS_MODE_EPP_HW		0x0020
#define PARCLASS_MODE_EPP_SW		0x0040
#define PARCLASS_MODE_EPP_ANY		0x0060
#define PARCLASS_MODE_BOUNDED_ECP	0x0080
#define PARCLASS_MODE_ECP_HW_NOIRQ	0x0100
#define PARCLASS_MODE_ECP_HW_IRQ	0x0200
#define PARCLASS_MODE_ECP_SW		0x0400
#define PARCLASS_MODE_ECP_ANY		0x0780

/*
 * Chip modes: PARALLEL_CHIP_MODE's ModeFlags, the mode field (bits 7:5)
 * of the ECP extended control register; the layer masks ModeFlags with
 * ~0x1F as Windows does.
 */
#define INITIAL_MODE			0x00
#define ECR_BYTE_MODE			0x20
#define ECR_ECP_MODE			0x60
#define ECR_EPP_MODE			0x80

/**
 * PARALLEL_CHIP_MODE - IOCTL_INTERNAL_PARALLEL_SET_CHIP_MODE's and
 * IOCTL_INTERNAL_PARALLEL_CLEAR_CHIP_MODE's input
 */
typedef struct _PARALLEL_CHIP_MODE {
	uint8_t ModeFlags;	/* ECR_BYTE_MODE, ECR_ECP_MODE, ECR_EPP_MODE */
	uint8_t success;	/* unused, as on Windows */
} PARALLEL_CHIP_MODE;

/* PARALLEL_1284_COMMAND's CommandFlags */
#define PAR_END_OF_CHAIN_DEVICE		0x00000001
#define PAR_HAVE_PORT_KEEP_PORT		0x00000002
#define PAR_LEGACY_ZIP_DRIVE		0x00000004

/* PARALLEL_1284_COMMAND's ID: 0-3 a daisy-chain device, or these */
#define PAR_END_OF_CHAIN_ID		4
#define PAR_LEGACY_ZIP_ID		5

/**
 * PARALLEL_1284_COMMAND - IOCTL_INTERNAL_SELECT_DEVICE's and
 * IOCTL_INTERNAL_DESELECT_DEVICE's input, and the argument of
 * ParclassTrySelectDevice() and ParclassDeselectDevice()
 */
typedef struct _PARALLEL_1284_COMMAND {
	uint8_t ID;		/* 0-3, PAR_END_OF_CHAIN_ID */
	uint8_t Port;		/* 0; ignored */
	uint32_t CommandFlags;	/* PAR_* above */
} PARALLEL_1284_COMMAND;

/** PARALLEL_SAFETY - NegotiateIeeeMode's ModeSafety (parallel.h) */
typedef enum _PARALLEL_SAFETY {
	SAFE_MODE = 0,
	UNSAFE_MODE = 1,
} PARALLEL_SAFETY;

/*
 * IOCTL_PAR_QUERY_INFORMATION's status byte and IOCTL_PAR_SET_INFORMATION's
 * Init (ntddpar.h's PARALLEL_* names and values).
 */
#define PARALLEL_INIT			0x01
#define PARALLEL_AUTOFEED		0x02
#define PARALLEL_PAPER_EMPTY		0x04
#define PARALLEL_OFF_LINE		0x08
#define PARALLEL_POWER_OFF		0x10
#define PARALLEL_NOT_CONNECTED		0x20
#define PARALLEL_BUSY			0x40
#define PARALLEL_SELECTED		0x80

/** PAR_QUERY_INFORMATION - IOCTL_PAR_QUERY_INFORMATION's output */
typedef struct _PAR_QUERY_INFORMATION {
	uint8_t Status;
} PAR_QUERY_INFORMATION;

/** PAR_SET_INFORMATION - IOCTL_PAR_SET_INFORMATION's input */
typedef struct _PAR_SET_INFORMATION {
	uint8_t Init;		/* must be PARALLEL_INIT */
} PAR_SET_INFORMATION;

/** PAR_DEVICE_ID_SIZE_INFORMATION - IOCTL_PAR_QUERY_DEVICE_ID_SIZE's output */
typedef struct _PAR_DEVICE_ID_SIZE_INFORMATION {
	uint32_t DeviceIdSize;	/* the ID's length + 1: QUERY_DEVICE_ID's room */
} PAR_DEVICE_ID_SIZE_INFORMATION;

/**
 * PARCLASS_INFORMATION - IOCTL_INTERNAL_PARCLASS_CONNECT's output. The
 * seven routines of the Windows struct are this library's functions;
 * ParclassContext is the connection's session token. Controller is the
 * port's I/O base; a port without I/O ports (memory-mapped, simulated)
 * gets 0x10000 + 8 * its number, outside the PC's I/O space, with a span
 * of 3. READ/WRITE_PORT_UCHAR on Controller + 0..2 always go through
 * parclass, never to the hardware directly.
 */
typedef struct _PARCLASS_INFORMATION {
	uint64_t Controller;
	uint64_t EcrController;
	uint32_t SpanOfController;
	uint32_t HardwareCapabilities;
	uint32_t FifoDepth;
	uint32_t FifoWidth;
	uint64_t ParclassContext;
} PARCLASS_INFORMATION;

/** PARALLEL_PORT_INFORMATION - IOCTL_INTERNAL_GET_PARALLEL_PORT_INFO's output */
typedef struct _PARALLEL_PORT_INFORMATION {
	uint64_t OriginalController;
	uint64_t Controller;
	uint32_t SpanOfController;
	uint32_t Reserved;
	uint64_t Context;
} PARALLEL_PORT_INFORMATION;

/** MORE_PARALLEL_PORT_INFORMATION - IOCTL_INTERNAL_GET_MORE_PARALLEL_PORT_INFO */
typedef struct _MORE_PARALLEL_PORT_INFORMATION {
	uint32_t InterfaceType;		/* Isa = 1 */
	uint32_t BusNumber;
	uint32_t InterruptLevel;
	uint32_t InterruptVector;
	uint64_t InterruptAffinity;
	uint32_t InterruptMode;		/* LevelSensitive 0, Latched 1 */
	uint32_t Reserved;
} MORE_PARALLEL_PORT_INFORMATION;

/** PARALLEL_PNP_INFORMATION - IOCTL_INTERNAL_GET_PARALLEL_PNP_INFO */
typedef struct _PARALLEL_PNP_INFORMATION {
	uint64_t OriginalEcpController;
	uint64_t EcpController;
	uint32_t SpanOfEcpController;
	uint32_t PortNumber;
	uint32_t HardwareCapabilities;
	uint32_t FifoDepth;
	uint32_t FifoWidth;
	uint32_t SpanOfEppController;
	uint64_t EppControllerPhysicalAddress;
	uint32_t Ieee1284_3DeviceCount;
	uint32_t CurrentMode;
	uint64_t Context;
	char PortName[16];
} PARALLEL_PNP_INFORMATION;

/**
 * PARCLASS_NEGOTIATION_MASK - IOCTL_IEEE1284_NEGOTIATE's input and output,
 * IOCTL_IEEE1284_GET_MODE's and IOCTL_PAR_GET_DEFAULT_MODES's output
 */
typedef struct _PARCLASS_NEGOTIATION_MASK {
	uint16_t usReadMask;
	uint16_t usWriteMask;
} PARCLASS_NEGOTIATION_MASK;

/**
 * PARCLASS_ALLOCATE_PENDING - PARCLASS_ALLOCATE_PARAMETERS.Flags: complete
 * with STATUS_PENDING rather than wait when the port is busy, as Windows
 * completes a queued allocate; ParclassWaitAllocate() then learns of the
 * grant and ParclassCancelAllocate() cancels the request.
 */
#define PARCLASS_ALLOCATE_PENDING	0x00000001

/**
 * PARCLASS_ALLOCATE_PARAMETERS - optional input of
 * IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE. Windows clients cancel a pending
 * allocate to time out; here they may pass the timeout instead, or ask
 * for the pending completion with PARCLASS_ALLOCATE_PENDING.
 */
typedef struct _PARCLASS_ALLOCATE_PARAMETERS {
	uint32_t TimeoutMs;	/* 0: wait for as long as it takes; must be
				 * 0 with PARCLASS_ALLOCATE_PENDING */
	uint32_t Flags;		/* 0 or PARCLASS_ALLOCATE_PENDING */
} PARCLASS_ALLOCATE_PARAMETERS;

typedef struct parclass_win_handle *PARCLASS_HANDLE;

/**
 * ParclassOpen() - a handle on port @port_number's device
 * @port_number: the parport number (LPT1 is 0)
 * @handle: out
 *
 * Return: STATUS_SUCCESS, STATUS_NO_SUCH_DEVICE (no /dev/parclass), or
 * STATUS_INSUFFICIENT_RESOURCES.
 */
NTSTATUS ParclassOpen(uint32_t port_number, PARCLASS_HANDLE *handle);

/**
 * ParclassOpenName() - a handle on the device named @name
 * @name: "LPTn" (port n - 1's device) or "LPTn.m" (its IEEE 1284.3
 *	daisy-chain device at address m, 0 to 3), case-insensitive, with or
 *	without the "\\.\" prefix of a Win32 device path
 * @handle: out
 *
 * A handle on "LPTn.m" connects (IOCTL_INTERNAL_PARCLASS_CONNECT, and the
 * brief connections of requests made without one) to that chain device:
 * the parport core selects it whenever the connection gets the port,
 * LOCK_PORT selects it, and the device-ID requests ask it.
 * IOCTL_PAR_QUERY_LOCATION answers "LPTn.m". CONNECT gives
 * STATUS_NO_SUCH_DEVICE when the chain has no device at m.
 *
 * Return: STATUS_SUCCESS, STATUS_OBJECT_NAME_INVALID (@name is not such a
 * name), or a status of ParclassOpen().
 */
NTSTATUS ParclassOpenName(const char *name, PARCLASS_HANDLE *handle);

/**
 * ParclassClose() - close a handle; its connection, if any, ends with it
 * @handle: the handle
 */
void ParclassClose(PARCLASS_HANDLE handle);

/**
 * ParclassDeviceIoControl() - an internal (parallel.h) request
 * @handle: from ParclassOpen()
 * @code: IOCTL_INTERNAL_*
 * @in: input buffer, may be NULL when @in_len is 0
 * @in_len: its size
 * @out: output buffer, may be NULL when @out_len is 0
 * @out_len: its size
 * @iosb: out: Status and Information (bytes returned)
 *
 * IOCTL_INTERNAL_DISCONNECT_IDLE leaves any active IEEE 1284 mode for
 * compatibility mode, within the handle's allocation or one made around
 * it, as ParclassTerminateIeeeMode() does; Information 0.
 *
 * IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE: without input, or with a
 * PARCLASS_ALLOCATE_PARAMETERS, as ALLOCATE does; a wait a signal ends
 * STATUS_CANCELLED, one ParclassCancelAllocate() ends too. On a handle
 * that holds the port already, STATUS_INVALID_DEVICE_STATE; while
 * another request of the handle waits for the port (another thread's
 * ALLOCATE, LOCK_PORT or SELECT_DEVICE, or a PENDING one), the port is
 * not the handle's to take: STATUS_DEVICE_BUSY at once (Windows would
 * queue the second request behind the first, which parclass does not).
 * With PARCLASS_ALLOCATE_PENDING: STATUS_SUCCESS if the port was free,
 * else STATUS_PENDING, the request queued in the same order; see
 * ParclassWaitAllocate().
 *
 * The port-side requests that need the kernel's newer requests, as the
 * Windows sample completes them (Information 0 each):
 *
 * - IOCTL_INTERNAL_PARALLEL_SET_CHIP_MODE: in a PARALLEL_CHIP_MODE (short:
 *   STATUS_BUFFER_TOO_SMALL); the mode is ModeFlags & ~0x1F. The handle's
 *   connection must hold the port (else STATUS_INVALID_DEVICE_STATE), and
 *   FREE puts the port back in its initial mode. STATUS_INVALID_DEVICE_STATE
 *   while the port is in ECP or EPP mode (clear it first);
 *   STATUS_NO_SUCH_DEVICE for a mode the port lacks;
 *   STATUS_INVALID_PARAMETER for a mode that is none of ECR_BYTE_MODE,
 *   ECR_ECP_MODE, ECR_EPP_MODE. parclass writes the extended control
 *   register of a parport_pc port that has one; on other ports the mode
 *   is only checked and recorded.
 * - IOCTL_INTERNAL_PARALLEL_CLEAR_CHIP_MODE: in a PARALLEL_CHIP_MODE whose
 *   mode must be the port's current one (else STATUS_INVALID_DEVICE_STATE);
 *   back to the initial mode. Needs the port held, as SET does.
 * - IOCTL_INTERNAL_LOCK_PORT, IOCTL_INTERNAL_LOCK_PORT_NO_SELECT: allocate
 *   the port for the handle's connection, waiting at most the module
 *   parameter acquire_timeout_ms (500 ms by default, Windows'
 *   AcquirePortTimeout; then STATUS_DEVICE_BUSY), and on an "LPTn.m"
 *   handle select the chain device (LOCK_PORT only; STATUS_UNSUCCESSFUL if
 *   it does not answer, the port freed again). EALREADY as for ALLOCATE.
 * - IOCTL_INTERNAL_UNLOCK_PORT, IOCTL_INTERNAL_UNLOCK_PORT_NO_DESELECT:
 *   deselect the chain (UNLOCK_PORT only) and free the port; always
 *   STATUS_SUCCESS, held or not, as on Windows (a dead or removed
 *   connection answers as FREE does).
 * - IOCTL_INTERNAL_INIT_1284_3_BUS: addresses the IEEE 1284.3 daisy chain
 *   again, within the handle's allocation or one made around it; the
 *   count found becomes the port's, which GET_PARALLEL_PNP_INFO reports
 *   as Ieee1284_3DeviceCount.
 * - IOCTL_INTERNAL_SELECT_DEVICE: in a PARALLEL_1284_COMMAND (short:
 *   STATUS_INVALID_PARAMETER). ID 0-3 selects that chain device, ID
 *   PAR_END_OF_CHAIN_ID or PAR_END_OF_CHAIN_DEVICE the device at the end
 *   of the cable (no chain device selected). Without
 *   PAR_HAVE_PORT_KEEP_PORT the port is allocated first, waiting for as
 *   long as it takes as ALLOCATE does; with it the connection must hold
 *   the port (else STATUS_INVALID_DEVICE_STATE). An ID beyond the chain,
 *   and the legacy Zip select (PAR_LEGACY_ZIP_ID, PAR_LEGACY_ZIP_DRIVE),
 *   which has no Linux meaning: STATUS_INVALID_PARAMETER; a device that
 *   does not answer the select: STATUS_UNSUCCESSFUL.
 * - IOCTL_INTERNAL_DESELECT_DEVICE: in a PARALLEL_1284_COMMAND (short:
 *   STATUS_INVALID_PARAMETER); deselects the chain and, without
 *   PAR_HAVE_PORT_KEEP_PORT, frees the port. The port must be held
 *   (STATUS_INVALID_DEVICE_STATE).
 * - IOCTL_INTERNAL_PARALLEL_CONNECT_INTERRUPT: no input or output is
 *   needed (Windows' ISR descriptors are kernel pointers): the handle's
 *   connection counts the port's interrupts while it holds the port; read
 *   the count with ParclassQueryInterruptCount(), wait for it with poll()
 *   on ParclassEventFd(). As on Windows it is off by default:
 *   STATUS_UNSUCCESSFUL unless the module parameter allow_interrupts is
 *   set; STATUS_NOT_SUPPORTED on a port without an interrupt line.
 * - IOCTL_INTERNAL_PARALLEL_DISCONNECT_INTERRUPT: stops counting;
 *   STATUS_INVALID_PARAMETER if the connection was not counting.
 *
 * Each of them needs a connection (IOCTL_INTERNAL_PARCLASS_CONNECT; else
 * STATUS_INVALID_DEVICE_STATE), except INIT_1284_3_BUS, which makes a
 * brief one.
 *
 * GET_PARALLEL_PNP_INFO reports Ieee1284_3DeviceCount (the port's daisy
 * chain), CurrentMode (the port's chip mode) and HardwareCapabilities
 * with PPT_1284_3_PRESENT when a chain was found.
 *
 * Return: @iosb->Status.
 */
NTSTATUS ParclassDeviceIoControl(PARCLASS_HANDLE handle, uint32_t code,
				 const void *in, uint32_t in_len,
				 void *out, uint32_t out_len,
				 IO_STATUS_BLOCK *iosb);

/**
 * ParclassUserDeviceIoControl() - a user-mode (ntddpar.h) request
 * @handle: from ParclassOpen()
 * @code: IOCTL_PAR_* or IOCTL_IEEE1284_*
 * @in: input buffer
 * @in_len: its size
 * @out: output buffer
 * @out_len: its size
 * @iosb: out: Status and Information
 *
 * The device-ID requests read the IEEE 1284 device ID of the peripheral
 * at the end of the cable, in nibble mode, as Windows does:
 *
 * - IOCTL_PAR_QUERY_DEVICE_ID writes the ID without its two length bytes
 *   and a NUL after it; Information is the ID's length + 1.
 * - IOCTL_PAR_QUERY_RAW_DEVICE_ID writes the two big-endian length bytes
 *   (which count themselves), the ID and a NUL; Information is the ID's
 *   length + 3.
 * - IOCTL_PAR_QUERY_DEVICE_ID_SIZE writes a PAR_DEVICE_ID_SIZE_INFORMATION
 *   whose DeviceIdSize is the ID's length + 1; Information is 4.
 *
 * An output buffer too small for the answer (an empty one included)
 * gives STATUS_BUFFER_TOO_SMALL with Information 0, and nothing is
 * written to it. A peripheral that has no ID, that does not speak IEEE
 * 1284, or a port without a reverse channel gives STATUS_IO_DEVICE_ERROR.
 *
 * The IEEE 1284 mode requests, as the Windows sample answers them (the
 * PARCLASS_MODE_* bits; "the connection" as the file comment says):
 *
 * - IOCTL_IEEE1284_NEGOTIATE: in and out a PARCLASS_NEGOTIATION_MASK
 *   (either shorter than 4 bytes: STATUS_INVALID_PARAMETER). If the
 *   masks are the connection's modes already, it succeeds at once, as
 *   Windows does. Else it leaves any active mode and negotiates, in each
 *   mask, the fastest mode that the port, the peripheral and parclass can
 *   run (writing ECP, EPP, IEEE compatibility, CENTRONICS; reading ECP,
 *   EPP, byte, nibble; the modes not to use of PAR_GET_DEVICE_CAPS
 *   skipped). As on Windows a mask none of whose modes can be had gives
 *   PARCLASS_MODE_NONE for its direction, not a failure: a peripheral
 *   without IEEE 1284, or a port without a reverse channel, gets
 *   usReadMask NONE and usWriteMask CENTRONICS (if asked for) with
 *   STATUS_SUCCESS. Bits a direction has no mode for (NIBBLE in
 *   usWriteMask), and unknown bits, are ignored, as Windows ignores them.
 *   Out: the modes reached, which become the connection's; Information
 *   4. parclass reaches only ECP_SW and EPP_SW of the ECP and EPP modes
 *   (and never CHANNEL_NIBBLE).
 * - IOCTL_IEEE1284_GET_MODE: out the connection's modes; Information 4.
 *   Needs no allocation.
 * - IOCTL_PAR_SET_READ_ADDRESS, IOCTL_PAR_SET_WRITE_ADDRESS: in one byte
 *   (none: STATUS_INVALID_PARAMETER), the ECP channel (0-127) or EPP
 *   address to use reading or writing, sent to the peripheral at once in
 *   the connection's mode for that direction (entering it): an ECP
 *   channel command or an EPP address cycle; and sent again before the
 *   connection's next read (or write in its write mode) whenever a new
 *   negotiation has reset it, as Windows does. Information 0. A direction
 *   whose mode is neither ECP nor EPP gives STATUS_DEVICE_PROTOCOL_ERROR
 *   (Windows stores the address for later; parclass keeps only an
 *   address it has sent), a channel above 127 in ECP
 *   STATUS_INVALID_PARAMETER, a peripheral that stopped answering the
 *   mode STATUS_IO_DEVICE_ERROR, one that does not take the address
 *   within 5 s STATUS_DEVICE_BUSY.
 * - IOCTL_PAR_GET_READ_ADDRESS, IOCTL_PAR_GET_WRITE_ADDRESS: out one
 *   byte, the address last set (0 at first); Information 1. Need no
 *   allocation.
 * - IOCTL_PAR_GET_DEVICE_CAPS: in a USHORT, the modes not to use (kept
 *   by the handle, see above); out a USHORT, the modes the peripheral
 *   accepts when each is negotiated in turn, less those: CENTRONICS
 *   always, IEEE_COMPATIBILITY if the peripheral speaks IEEE 1284 (Windows
 *   reports it always), and NIBBLE, BYTE_BIDIR, EPP_SW, ECP_SW as they
 *   are accepted; Information 2. Either buffer shorter than 2 bytes:
 *   STATUS_BUFFER_TOO_SMALL. The connection's modes do not change, and
 *   the port is left in compatibility mode.
 * - IOCTL_PAR_PING: leaves the active mode and negotiates the
 *   connection's read mode again (its ECP or EPP write mode if it has no
 *   read mode; else nibble mode, and back); Information 0.
 *   STATUS_IO_DEVICE_ERROR if the peripheral did not answer,
 *   STATUS_NOT_SUPPORTED if it refused the mode. (The Windows sample's
 *   ParPing does nothing and succeeds; parclass asks the peripheral.)
 * - IOCTL_PAR_ECP_HOST_RECOVERY: in one byte (none:
 *   STATUS_INVALID_PARAMETER), non-zero to enable ECP host recovery; the
 *   connection keeps the setting, though parclass's ECP transfers do not
 *   act on it yet. Information 0. Needs no allocation.
 *
 * Return: @iosb->Status.
 */
NTSTATUS ParclassUserDeviceIoControl(PARCLASS_HANDLE handle, uint32_t code,
				     const void *in, uint32_t in_len,
				     void *out, uint32_t out_len,
				     IO_STATUS_BLOCK *iosb);

/*
 * Register access, for code written against inpout32-style port I/O.
 * Port is an absolute I/O address, which must be one of the handle's
 * port's registers: Controller + 0 (data), + 1 (status) or + 2
 * (control), Controller as IOCTL_INTERNAL_PARCLASS_CONNECT and
 * IOCTL_INTERNAL_GET_PARALLEL_PORT_INFO report it. The values are the
 * PC registers' bits, which are the parport core's PARPORT_STATUS_* and
 * PARPORT_CONTROL_* bits. The control register's bit 5 is the data
 * direction of a bidirectional port (set: the peripheral drives the data
 * lines), as on PC hardware. Its bit 4 (interrupt enable) is not given
 * to user space: writes ignore it, and reads return 0 there, as in bits
 * 6 and 7.
 *
 * Each access runs with the port allocated, like the device-side
 * requests: with the handle's own allocation, or one made around the
 * access (at most 500 ms of waiting, then STATUS_DEVICE_BUSY) and freed
 * after it. While the port is not allocated its lines belong to whoever
 * holds it next: the parport core restores a connection's control lines
 * and direction each time the connection gets the port again, so what a
 * connected handle wrote is there at its next access; a handle without
 * a connection makes a brief one for each access, which starts with a
 * new client's control lines and the data lines driven.
 */

/** PARCLASS_PORT_DIRECTION - the control register's data direction bit */
#define PARCLASS_PORT_DIRECTION		0x20

/**
 * ParclassReadPortUchar() - read one register (Inp32, DlPortReadPortUchar)
 * @handle: from ParclassOpen()
 * @port: Controller + 0, 1 or 2
 * @value: out: the register; for the control register the four control
 *	lines (bits 0-3) and PARCLASS_PORT_DIRECTION as the handle's
 *	connection last set it (0 after CONNECT, and after a device-ID
 *	request or an IEEE 1284 mode request or routine of the connection,
 *	whose negotiation drives the data lines; always 0 without a
 *	connection)
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER for a @port that is not
 * one of the three registers or a NULL @value; STATUS_DEVICE_BUSY when the
 * port could not be allocated within 500 ms; STATUS_INVALID_HANDLE after
 * DISCONNECT; STATUS_DEVICE_REMOVED when the handle's connection's port
 * has been removed; STATUS_NO_SUCH_DEVICE when the handle has no
 * connection and its port does not exist (or no longer does).
 */
NTSTATUS ParclassReadPortUchar(PARCLASS_HANDLE handle, uint64_t port,
			       uint8_t *value);

/**
 * ParclassWritePortUchar() - write one register (Out32,
 *	DlPortWritePortUchar)
 * @handle: from ParclassOpen()
 * @port: Controller + 0 (data) or + 2 (control)
 * @value: the data lines; or for the control register, the control lines
 *	(bits 0-3) and the data direction (PARCLASS_PORT_DIRECTION), bits 4,
 *	6 and 7 being ignored
 *
 * Return: STATUS_SUCCESS; STATUS_INVALID_PARAMETER for a @port that is not
 * the data or the control register (the status register is read-only);
 * the other statuses as ParclassReadPortUchar().
 */
NTSTATUS ParclassWritePortUchar(PARCLASS_HANDLE handle, uint64_t port,
				uint8_t value);

/** PARCLASS_PORT_ACCESS - one access of ParclassAccessPorts() */
typedef struct _PARCLASS_PORT_ACCESS {
	uint64_t Port;		/* Controller + 0, 1 or 2 */
	uint8_t Write;		/* 1: write Value; 0: read the register */
	uint8_t Value;		/* the value written, or out: the value read */
	uint8_t Reserved[6];	/* must be 0 */
} PARCLASS_PORT_ACCESS;

/** PARCLASS_PORT_ACCESS_MAX - the most accesses one list may hold */
#define PARCLASS_PORT_ACCESS_MAX	32768

/**
 * ParclassAccessPorts() - a list of register accesses, in one allocation
 *	and one call into the kernel
 * @handle: from ParclassOpen()
 * @accesses: the accesses, carried out in order, each as
 *	ParclassReadPortUchar() or ParclassWritePortUchar() would; reads
 *	fill in their Value
 * @count: how many, 1 to PARCLASS_PORT_ACCESS_MAX
 * @done: out, may be NULL: the accesses carried out, also on failure
 *
 * The whole list is checked first: a @count out of range, a bad Port, a
 * write of the status register, a Write other than 0 or 1 or non-zero
 * Reserved bytes give STATUS_INVALID_PARAMETER before the port is
 * allocated or touched. The port stays allocated from the first access
 * to the last.
 *
 * Return: STATUS_SUCCESS when all ran; STATUS_CANCELLED when a signal
 * ended the list part-way; the other statuses as ParclassReadPortUchar().
 */
NTSTATUS ParclassAccessPorts(PARCLASS_HANDLE handle,
			     PARCLASS_PORT_ACCESS *accesses, uint32_t count,
			     uint32_t *done);

/**
 * ParclassWaitAllocate() - wait for the grant of a PENDING allocate
 * @handle: from ParclassOpen()
 * @timeout_ms: the longest wait, 0 to only look; signals do not end it
 *
 * Return: STATUS_SUCCESS when the port was granted (the handle holds it),
 * STATUS_TIMEOUT when it was not within @timeout_ms (the request stays
 * queued), STATUS_DEVICE_REMOVED when the port went away,
 * STATUS_INVALID_DEVICE_STATE when the handle has no PENDING allocate.
 */
NTSTATUS ParclassWaitAllocate(PARCLASS_HANDLE handle, uint32_t timeout_ms);

/**
 * ParclassCancelAllocate() - cancel the handle's PENDING allocate, or an
 *	ALLOCATE, LOCK_PORT or SELECT_DEVICE of the handle waiting in another
 *	thread (which completes with STATUS_CANCELLED)
 * @handle: from ParclassOpen()
 *
 * Return: STATUS_CANCELLED when the request was withdrawn (it is never
 * granted), STATUS_SUCCESS when the port had been granted first (the
 * handle holds it), STATUS_INVALID_DEVICE_STATE when nothing waits.
 */
NTSTATUS ParclassCancelAllocate(PARCLASS_HANDLE handle);

/**
 * ParclassEventFd() - a descriptor to poll() for POLLIN: the grant of a
 *	PENDING allocate, or interrupts counted after
 *	IOCTL_INTERNAL_PARALLEL_CONNECT_INTERRUPT
 * @handle: from ParclassOpen()
 *
 * Return: the descriptor, or -1 for a NULL @handle.
 */
int ParclassEventFd(PARCLASS_HANDLE handle);

/**
 * ParclassQueryInterruptCount() - the interrupts counted since the last
 *	call, and the count cleared
 * @handle: from ParclassOpen()
 * @count: out
 *
 * Return: STATUS_SUCCESS, STATUS_INVALID_DEVICE_STATE (no connection),
 * STATUS_INVALID_PARAMETER (@count NULL), or a dead or removed
 * connection's status.
 */
NTSTATUS ParclassQueryInterruptCount(PARCLASS_HANDLE handle,
				     uint32_t *count);

/* The routines of PARALLEL_PORT_INFORMATION, taking its Context. */
/** ParclassTryAllocatePort() - TryAllocatePort: 1 if the port was free and is now held */
uint8_t ParclassTryAllocatePort(PARCLASS_HANDLE handle, uint64_t context);
/** ParclassFreePort() - FreePort */
void ParclassFreePort(PARCLASS_HANDLE handle, uint64_t context);
/** ParclassQueryNumWaiters() - QueryNumWaiters: parclass clients queued */
uint32_t ParclassQueryNumWaiters(PARCLASS_HANDLE handle, uint64_t context);

/*
 * The routines of PARALLEL_PNP_INFORMATION, taking its Context (the
 * connection's session token), with the statuses of the requests.
 */
/**
 * ParclassTrySetChipMode() - TrySetChipMode, as
 *	IOCTL_INTERNAL_PARALLEL_SET_CHIP_MODE with ModeFlags @chip_mode
 * @handle: from ParclassOpen()
 * @context: Context
 * @chip_mode: ECR_BYTE_MODE, ECR_ECP_MODE or ECR_EPP_MODE (masked with ~0x1F)
 *
 * Return: the request's status.
 */
NTSTATUS ParclassTrySetChipMode(PARCLASS_HANDLE handle, uint64_t context,
				uint8_t chip_mode);
/**
 * ParclassClearChipMode() - ClearChipMode, as
 *	IOCTL_INTERNAL_PARALLEL_CLEAR_CHIP_MODE
 * @handle: from ParclassOpen()
 * @context: Context
 * @chip_mode: the port's current chip mode (masked with ~0x1F)
 *
 * Return: the request's status.
 */
NTSTATUS ParclassClearChipMode(PARCLASS_HANDLE handle, uint64_t context,
			       uint8_t chip_mode);
/**
 * ParclassTrySelectDevice() - TrySelectDevice: as
 *	IOCTL_INTERNAL_SELECT_DEVICE, but without PAR_HAVE_PORT_KEEP_PORT it
 *	never waits for the port: STATUS_DEVICE_BUSY if it is not free
 * @handle: from ParclassOpen()
 * @context: Context
 * @command: the device and the flags
 *
 * Return: the request's status.
 */
NTSTATUS ParclassTrySelectDevice(PARCLASS_HANDLE handle, uint64_t context,
				 PARALLEL_1284_COMMAND command);
/**
 * ParclassDeselectDevice() - DeselectDevice, as
 *	IOCTL_INTERNAL_DESELECT_DEVICE
 * @handle: from ParclassOpen()
 * @context: Context
 * @command: the flags (PAR_HAVE_PORT_KEEP_PORT)
 *
 * Return: the request's status.
 */
NTSTATUS ParclassDeselectDevice(PARCLASS_HANDLE handle, uint64_t context,
				PARALLEL_1284_COMMAND command);

/*
 * The routines of PARCLASS_INFORMATION, taking its ParclassContext (the
 * connection's session token). As on Windows, they are for a client that
 * holds the port: none allocates it, and on a port the connection does
 * not hold they give STATUS_INVALID_DEVICE_STATE, with nothing done. A
 * dead Context gives STATUS_INVALID_HANDLE, a removed port
 * STATUS_DEVICE_REMOVED.
 */

/**
 * ParclassDetermineIeeeModes() - DetermineIeeeModes: the modes the
 *	peripheral accepts
 * @handle: from ParclassOpen()
 * @context: ParclassContext
 * @modes: out: PARCLASS_MODE_* bits, as IOCTL_PAR_GET_DEVICE_CAPS
 *	reports them with no modes excluded
 *
 * Windows' routine returns the USHORT; this one returns an NTSTATUS and
 * the modes through @modes. It clears the handle's modes not to use (of
 * IOCTL_PAR_GET_DEVICE_CAPS), as Windows does, negotiates each mode in
 * turn and leaves the port in compatibility mode; the connection's modes
 * do not change.
 *
 * Return: STATUS_SUCCESS, STATUS_INVALID_PARAMETER (@modes NULL), or a
 * status of the routines' (above).
 */
NTSTATUS ParclassDetermineIeeeModes(PARCLASS_HANDLE handle, uint64_t context,
				    uint16_t *modes);

/**
 * ParclassNegotiateIeeeMode() - NegotiateIeeeMode: negotiate without
 *	leaving an active mode
 * @handle: from ParclassOpen()
 * @context: ParclassContext
 * @mode_mask_fwd: PARCLASS_MODE_* write modes accepted (Windows' order of
 *	arguments: forward first)
 * @mode_mask_rev: PARCLASS_MODE_* read modes accepted
 * @mode_safety: SAFE_MODE, or UNSAFE_MODE, which Windows (and this
 *	routine) accepts only for a forward mask with CENTRONICS or
 *	IEEE_COMPATIBILITY and a reverse mask with NIBBLE, CHANNEL_NIBBLE or
 *	BYTE_BIDIR, or for two equal masks; any other value is SAFE_MODE,
 *	as on Windows. parclass runs both alike
 * @is_forward: non-zero: leave the port in the write mode reached (in
 *	compatibility mode for CENTRONICS or IEEE_COMPATIBILITY); 0: in the
 *	read mode reached, if any
 *
 * With a mode active, STATUS_DEVICE_PROTOCOL_ERROR and nothing done.
 * Else the masks are negotiated as IOCTL_IEEE1284_NEGOTIATE does (a mask
 * that gives no mode gives PARCLASS_MODE_NONE, not a failure, as on
 * Windows), and the modes reached become the connection's; read them
 * with IOCTL_IEEE1284_GET_MODE.
 *
 * Return: STATUS_SUCCESS; STATUS_UNSUCCESSFUL (UNSAFE_MODE with masks
 * it does not allow, checked first); STATUS_IO_DEVICE_ERROR
 * (@is_forward, and the peripheral no longer answers the write mode's
 * negotiation); or a status of the routines' (above).
 */
NTSTATUS ParclassNegotiateIeeeMode(PARCLASS_HANDLE handle, uint64_t context,
				   uint16_t mode_mask_fwd,
				   uint16_t mode_mask_rev,
				   PARALLEL_SAFETY mode_safety,
				   uint8_t is_forward);

/**
 * ParclassTerminateIeeeMode() - TerminateIeeeMode: back to compatibility
 *	mode
 * @handle: from ParclassOpen()
 * @context: ParclassContext
 *
 * Runs the IEEE 1284 termination if a mode is active. As on Windows, the
 * connection's modes stay (IOCTL_IEEE1284_GET_MODE still reports them)
 * and its next read or write enters them again.
 *
 * Return: STATUS_SUCCESS, or a status of the routines' (above).
 */
NTSTATUS ParclassTerminateIeeeMode(PARCLASS_HANDLE handle, uint64_t context);

/**
 * ParclassIeeeFwdToRevMode() - IeeeFwdToRevMode: ready for reading
 * @handle: from ParclassOpen()
 * @context: ParclassContext
 *
 * parclass turns the bus round itself: ParclassParallelRead() enters the
 * read mode, negotiating it if the port is in another. So this routine
 * does not touch the port: it checks that the connection is alive and
 * has a read mode, and succeeds; the turn happens at the next read. (It
 * could not enter the read mode without reading or negotiating again,
 * which would drop what an ECP read left over.)
 *
 * Return: STATUS_SUCCESS, STATUS_DEVICE_PROTOCOL_ERROR (no read mode: a
 * read would fail so), STATUS_INVALID_HANDLE or STATUS_DEVICE_REMOVED.
 */
NTSTATUS ParclassIeeeFwdToRevMode(PARCLASS_HANDLE handle, uint64_t context);

/**
 * ParclassIeeeRevToFwdMode() - IeeeRevToFwdMode: into the write mode
 * @handle: from ParclassOpen()
 * @context: ParclassContext
 *
 * Puts the port in the connection's write mode: ECP or EPP, negotiated if
 * the port is in another mode, or compatibility mode for CENTRONICS,
 * IEEE_COMPATIBILITY or none, leaving a read mode. (A write of no bytes
 * in the write mode, which ParclassParallelWrite() would enter anyway.)
 *
 * Return: STATUS_SUCCESS; STATUS_IO_DEVICE_ERROR (the peripheral no
 * longer answers the write mode's negotiation); or a status of the
 * routines' (above).
 */
NTSTATUS ParclassIeeeRevToFwdMode(PARCLASS_HANDLE handle, uint64_t context);

/**
 * ParclassParallelRead() - ParallelRead: bytes from the peripheral
 * @handle: from ParclassOpen()
 * @context: ParclassContext
 * @buffer: where the bytes go
 * @num_bytes_to_read: at most this many; 0 reads nothing and succeeds
 * @num_bytes_read: out, may be NULL: how many were read, also on failure
 * @channel: ignored, as Windows ignores it (IOCTL_PAR_SET_READ_ADDRESS
 *	sets the channel)
 *
 * Reads in the connection's read mode, entering it first if the port is
 * in another. It returns as soon as the peripheral has no more data,
 * with fewer bytes (maybe none): it never waits for data to come. A
 * peripheral that stops within a byte for 5 s ends it.
 *
 * Return: STATUS_SUCCESS (maybe short); STATUS_DEVICE_PROTOCOL_ERROR (no
 * read mode); STATUS_IO_DEVICE_ERROR (the peripheral no longer answers
 * the mode's negotiation); STATUS_DEVICE_BUSY (it stopped within a byte);
 * STATUS_CANCELLED (a signal ended it); STATUS_INVALID_PARAMETER
 * (@buffer NULL with bytes to read); STATUS_ACCESS_VIOLATION (@buffer
 * not writable); or a status of the routines' (above).
 */
NTSTATUS ParclassParallelRead(PARCLASS_HANDLE handle, uint64_t context,
			      void *buffer, uint32_t num_bytes_to_read,
			      uint32_t *num_bytes_read, uint8_t channel);

/**
 * ParclassParallelWrite() - ParallelWrite: bytes to the peripheral
 * @handle: from ParclassOpen()
 * @context: ParclassContext
 * @buffer: the bytes
 * @num_bytes_to_write: how many
 * @num_bytes_written: out, may be NULL: how many the peripheral took,
 *	also on failure
 * @channel: ignored, as Windows ignores it (IOCTL_PAR_SET_WRITE_ADDRESS
 *	sets the channel)
 *
 * Writes in the connection's write mode: ECP or EPP, entering it first,
 * or compatibility mode for CENTRONICS, IEEE_COMPATIBILITY or none.
 *
 * Return: STATUS_SUCCESS when all went out; STATUS_DEVICE_BUSY (the
 * peripheral stayed busy for 5 s); STATUS_IO_DEVICE_ERROR (it reports a
 * fault, or no longer answers the write mode's negotiation);
 * STATUS_CANCELLED (a signal ended it); STATUS_INVALID_PARAMETER
 * (@buffer NULL with bytes to write); STATUS_ACCESS_VIOLATION; or a
 * status of the routines' (above).
 */
NTSTATUS ParclassParallelWrite(PARCLASS_HANDLE handle, uint64_t context,
			       const void *buffer, uint32_t num_bytes_to_write,
			       uint32_t *num_bytes_written, uint8_t channel);

/**
 * ParclassNtStatusFromErrno() - the NTSTATUS a Linux errno stands for
 * @err: an errno value, positive or negative
 *
 * The table, in the order a request's failure is matched:
 *   0                    STATUS_SUCCESS
 *   ETIMEDOUT, EAGAIN, EBUSY  STATUS_DEVICE_BUSY
 *   EINTR, ECANCELED     STATUS_CANCELLED (ECANCELED: a wait
 *                        ParclassCancelAllocate() withdrew)
 *   ESTALE               STATUS_INVALID_HANDLE (a disconnected or foreign
 *                        session: the dead handle's status)
 *   ENODEV               STATUS_DEVICE_REMOVED
 *   ENOENT, ENXIO        STATUS_NO_SUCH_DEVICE
 *   EINVAL, E2BIG, ENOTTY  STATUS_INVALID_PARAMETER
 *   EALREADY, EPERM      STATUS_INVALID_DEVICE_STATE
 *   ENOMEM, EMFILE, ENFILE  STATUS_INSUFFICIENT_RESOURCES
 *   EFAULT               STATUS_ACCESS_VIOLATION
 *   EIO, ENODATA         STATUS_IO_DEVICE_ERROR (EIO: no IEEE 1284
 *                        answer, a peripheral fault during a write;
 *                        ENODATA: the peripheral has no device ID)
 *   ERANGE               STATUS_BUFFER_TOO_SMALL
 *   EPROTO               STATUS_DEVICE_PROTOCOL_ERROR (a mode request in
 *                        the wrong state: a negotiation without leaving
 *                        an active mode, a read without a read mode, an
 *                        address in a mode that has none)
 *   EOPNOTSUPP           STATUS_NOT_SUPPORTED (the peripheral answered but
 *                        refused the mode: PAR_PING; IEEE1284_NEGOTIATE
 *                        answers NONE instead, as Windows does)
 *   anything else        STATUS_UNSUCCESSFUL
 *
 * Return: the NTSTATUS.
 */
NTSTATUS ParclassNtStatusFromErrno(int err);

#ifdef __cplusplus
}
#endif

#endif /* PARCLASS_WIN_H */
