// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libparclass, the Windows-shaped layer: Windows control codes and
 * structures on top of the Linux wrappers, completing each request as
 * Windows would (see parclass_win.h).
 */
#include <ctype.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <parclass/libparclass.h>
#include <parclass/parclass_win.h>

/*
 * A port's Controller: its I/O base where it has one. A port without I/O
 * ports (memory-mapped, simulated) gets a made-up one, outside the PC's
 * I/O space and one 8-byte span per port, so that a client still reaches
 * its three registers at Controller + 0, 1 and 2 (always emulated here,
 * never real port I/O).
 */
#define PC_NO_IO_BASE		0x10000ULL
#define PC_NO_IO_SPAN		8

static uint64_t pc_controller(const struct parclass_port_info *i)
{
	if (i->flags & PARCLASS_PORT_BASE_IO)
		return i->base;
	return PC_NO_IO_BASE + PC_NO_IO_SPAN * (uint64_t)i->number;
}

static uint32_t pc_controller_span(const struct parclass_port_info *i)
{
	return i->flags & PARCLASS_PORT_BASE_IO ? i->span : 3;
}

/**
 * struct parclass_win_handle - one open port device
 * @fd: the /dev/parclass file; connections live and die with it
 * @port: the parport number
 * @token: the connection's session token, 0 before CONNECT; kept after
 *	DISCONNECT, so that later requests reach the kernel with the dead
 *	token and are refused there
 * @base: the connection's Controller (see pc_controller())
 * @reverse: PARCLASS_PORT_DIRECTION if the connection's last write of
 *	the control register turned the data lines around, else 0
 * @bad_modes: the modes not to use of IOCTL_PAR_GET_DEVICE_CAPS (Windows'
 *	BadProtocolModes), negotiated modes only
 * @has_daisy: the handle names daisy-chain device @daisy ("LPTn.m")
 * @daisy: its chain address
 * @pending: an ALLOCATE with PARCLASS_ALLOCATE_PENDING waits for its grant
 * @events: PARCLASS_EVENT_GRANTED and _REMOVED as the file reported them
 *	for the connection, for ParclassWaitAllocate()
 * @interrupts: interrupts the file reported for the connection, for
 *	ParclassQueryInterruptCount()
 */
struct parclass_win_handle {
	int fd;
	uint32_t port;
	uint64_t token;
	uint64_t base;
	uint8_t reverse;
	uint16_t bad_modes;
	uint8_t has_daisy;
	uint32_t daisy;
	uint8_t pending;
	uint32_t events;
	uint32_t interrupts;
};

/* The modes compatibility mode serves, which need no negotiation. */
#define PC_COMPAT_MODES	(PARCLASS_1284_CENTRONICS | PARCLASS_1284_IEEE_COMPAT)
/* The modes negotiated with the peripheral. */
#define PC_NEGOTIATED_MODES	(PARCLASS_1284_ALL & ~PC_COMPAT_MODES)
/* The modes each direction has (Windows' forward and reverse tables). */
#define PC_READ_MODES	PC_NEGOTIATED_MODES
#define PC_WRITE_MODES	(PARCLASS_1284_ALL & ~(PARCLASS_1284_NIBBLE | \
					       PARCLASS_1284_CHANNEL_NIBBLE | \
					       PARCLASS_1284_BYTE_BIDIR))

NTSTATUS ParclassNtStatusFromErrno(int err)
{
	switch (err < 0 ? -err : err) {
	case 0:
		return STATUS_SUCCESS;
	case ETIMEDOUT:
	case EAGAIN:
	case EBUSY:
		return STATUS_DEVICE_BUSY;
	case EINTR:
	case ECANCELED:
		return STATUS_CANCELLED;
	case ESTALE:
		return STATUS_INVALID_HANDLE;
	case ENODEV:
		return STATUS_DEVICE_REMOVED;
	case ENOENT:
	case ENXIO:
		return STATUS_NO_SUCH_DEVICE;
	case EINVAL:
	case E2BIG:
	case ENOTTY:
		return STATUS_INVALID_PARAMETER;
	case EALREADY:
	case EPERM:
		return STATUS_INVALID_DEVICE_STATE;
	case ENOMEM:
	case EMFILE:
	case ENFILE:
		return STATUS_INSUFFICIENT_RESOURCES;
	case EFAULT:
		return STATUS_ACCESS_VIOLATION;
	case EIO:
	case ENODATA:
		return STATUS_IO_DEVICE_ERROR;
	case ERANGE:
		return STATUS_BUFFER_TOO_SMALL;
	case EPROTO:
		return STATUS_DEVICE_PROTOCOL_ERROR;
	case EOPNOTSUPP:
		return STATUS_NOT_SUPPORTED;
	}
	return STATUS_UNSUCCESSFUL;
}

NTSTATUS ParclassOpen(uint32_t port_number, PARCLASS_HANDLE *handle)
{
	struct parclass_win_handle *h;
	int fd;

	h = calloc(1, sizeof(*h));
	if (!h)
		return STATUS_INSUFFICIENT_RESOURCES;
	fd = parclass_open();
	if (fd < 0) {
		free(h);
		return fd == -ENOENT ? STATUS_NO_SUCH_DEVICE :
				       ParclassNtStatusFromErrno(fd);
	}
	h->fd = fd;
	h->port = port_number;
	*handle = h;
	return STATUS_SUCCESS;
}

/* "LPTn" or "LPTn.m", with or without "\\.\": 0, or -1. */
static int pc_parse_name(const char *name, uint32_t *port, uint8_t *has_daisy,
			 uint32_t *daisy)
{
	unsigned long n, m;
	char *end;

	if (!strncmp(name, "\\\\.\\", 4))
		name += 4;
	if (strncasecmp(name, "lpt", 3) || !isdigit((unsigned char)name[3]))
		return -1;
	errno = 0;
	n = strtoul(name + 3, &end, 10);
	if (errno || !n || n > 0xffffffffUL)
		return -1;
	*port = n - 1;
	*has_daisy = 0;
	*daisy = 0;
	if (!*end)
		return 0;
	if (*end != '.' || !isdigit((unsigned char)end[1]) || end[2])
		return -1;
	m = end[1] - '0';
	if (m >= PARCLASS_DAISY_MAX)
		return -1;
	*has_daisy = 1;
	*daisy = m;
	return 0;
}

NTSTATUS ParclassOpenName(const char *name, PARCLASS_HANDLE *handle)
{
	uint32_t port, daisy;
	uint8_t has_daisy;
	NTSTATUS st;

	if (!name || !handle || pc_parse_name(name, &port, &has_daisy, &daisy))
		return STATUS_OBJECT_NAME_INVALID;
	st = ParclassOpen(port, handle);
	if (st == STATUS_SUCCESS) {
		(*handle)->has_daisy = has_daisy;
		(*handle)->daisy = daisy;
	}
	return st;
}

void ParclassClose(PARCLASS_HANDLE handle)
{
	if (!handle)
		return;
	close(handle->fd);
	free(handle);
}

static NTSTATUS pc_complete(IO_STATUS_BLOCK *iosb, NTSTATUS status,
			    uint64_t information)
{
	iosb->Status = status;
	iosb->Reserved = 0;
	iosb->Information = status == STATUS_SUCCESS ? information : 0;
	return status;
}

static NTSTATUS pc_fail(IO_STATUS_BLOCK *iosb, int err)
{
	return pc_complete(iosb, ParclassNtStatusFromErrno(err), 0);
}

/*
 * The port's entry in the kernel's port list, or with @device that of
 * the handle's daisy-chain device ("LPTn.m"; -ENXIO when the chain has
 * no device at its address).
 */
static int pc_port_entry(PARCLASS_HANDLE h, int device,
			 struct parclass_port_entry *out)
{
	uint32_t flags = device && h->has_daisy ? PARCLASS_LIST_PORTS_DAISY : 0;
	struct parclass_port_entry *e;
	int ret, port_found = 0;
	uint32_t n, i;

	ret = parclass_list_ports_flags(h->fd, flags, &e, &n);
	if (ret)
		return ret;
	ret = -ENODEV;
	for (i = 0; i < n; i++) {
		const struct parclass_port_info *info = &e[i].info;
		int chain = !!(info->flags & PARCLASS_PORT_DAISY_DEVICE);

		if (info->number != h->port)
			continue;
		port_found |= !chain;
		if (chain != !!flags || (chain && info->daisy != h->daisy))
			continue;
		*out = e[i];
		ret = 0;
		break;
	}
	free(e);
	return ret && port_found ? -ENXIO : ret;
}

/*
 * A connection to the handle's device: the port, or its daisy-chain
 * device. A port (or chain device) that is not there is ENXIO, which
 * Windows calls NO_SUCH_DEVICE.
 */
static int pc_connect_device(PARCLASS_HANDLE h, uint64_t *token,
			     struct parclass_port_info *info)
{
	int ret;

	if (h->has_daisy)
		ret = parclass_connect_daisy(h->fd, h->port, h->daisy, token,
					     info);
	else
		ret = parclass_connect(h->fd, h->port, token, info);
	return ret == -ENODEV || (ret == -EINVAL && h->has_daisy) ? -ENXIO :
	       ret;
}

/*
 * A connected handle's session must be alive for requests that describe
 * it; asking the kernel is what makes a dead handle fail.
 */
static int pc_check_session(PARCLASS_HANDLE h)
{
	int ret;

	if (!h->token)
		return 0;
	ret = parclass_is_port_free(h->fd, h->token);
	return ret < 0 ? ret : 0;
}

static NTSTATUS pc_connect(PARCLASS_HANDLE h, void *out, uint32_t out_len,
			   IO_STATUS_BLOCK *iosb)
{
	struct parclass_port_info info;
	PARCLASS_INFORMATION pi;
	uint64_t token;
	int ret;

	if (out_len < sizeof(pi))
		return pc_complete(iosb, STATUS_BUFFER_TOO_SMALL, 0);
	if (h->token)
		return pc_complete(iosb, STATUS_INVALID_DEVICE_STATE, 0);
	ret = pc_connect_device(h, &token, &info);
	if (ret)
		return pc_fail(iosb, ret);
	h->token = token;
	h->base = pc_controller(&info);
	h->reverse = 0;
	memset(&pi, 0, sizeof(pi));
	pi.Controller = h->base;
	pi.EcrController = info.flags & PARCLASS_PORT_HAS_ECR ? info.base_hi : 0;
	pi.SpanOfController = pc_controller_span(&info);
	pi.HardwareCapabilities = info.hw_caps |
				  (info.daisy_count ? PPT_1284_3_PRESENT : 0);
	pi.FifoDepth = info.fifo_depth;
	pi.FifoWidth = info.fifo_width;
	pi.ParclassContext = token;
	memcpy(out, &pi, sizeof(pi));
	return pc_complete(iosb, STATUS_SUCCESS, sizeof(pi));
}

/*
 * Does connection @context hold the port? Reading the status register
 * answers without touching the lines: 0, or -EPERM, -ESTALE, -ENODEV.
 */
static int pc_holding(PARCLASS_HANDLE h, uint64_t context)
{
	uint8_t v;

	return parclass_register(h->fd, context, PARCLASS_PIN_READ_STATUS, 0,
				 0, &v);
}

/*
 * An allocation refused with EALREADY: the connection holds the port
 * (0), or another request of it waits for the port (-EBUSY: the port is
 * someone else's for now; Windows would queue this request behind that
 * one, and parclass queues a session once).
 */
static int pc_already(PARCLASS_HANDLE h, uint64_t token)
{
	int ret = pc_holding(h, token);

	return ret == -EPERM ? -EBUSY : ret;
}

/* ALLOCATE refused with EALREADY, as Windows' statuses say it. */
static int pc_allocate_already(PARCLASS_HANDLE h, uint64_t token)
{
	int ret = pc_already(h, token);

	return ret ? ret : -EALREADY;
}

static NTSTATUS pc_allocate(PARCLASS_HANDLE h, const void *in,
			    uint32_t in_len, IO_STATUS_BLOCK *iosb)
{
	PARCLASS_ALLOCATE_PARAMETERS p = { 0, 0 };
	int ret;

	if (in_len >= sizeof(p)) {
		memcpy(&p, in, sizeof(p));
		if (p.Flags & ~PARCLASS_ALLOCATE_PENDING ||
		    (p.Flags && p.TimeoutMs))
			return pc_complete(iosb, STATUS_INVALID_PARAMETER, 0);
	} else if (in_len) {
		return pc_complete(iosb, STATUS_INVALID_PARAMETER, 0);
	}
	if (!h->token)
		return pc_complete(iosb, STATUS_INVALID_DEVICE_STATE, 0);
	if (p.Flags & PARCLASS_ALLOCATE_PENDING) {
		ret = parclass_allocate_async(h->fd, h->token);
		if (ret == -EINPROGRESS) {
			h->pending = 1;
			return pc_complete(iosb, STATUS_PENDING, 0);
		}
	} else {
		ret = parclass_allocate(h->fd, h->token,
					p.TimeoutMs * 1000000ULL);
	}
	if (ret == -EALREADY)
		ret = pc_allocate_already(h, h->token);
	return pc_fail(iosb, ret);
}

/*
 * The port's chip mode, asked through the handle's connection or a brief
 * one; INITIAL_MODE when the module cannot say.
 */
static uint32_t pc_current_chip_mode(PARCLASS_HANDLE h)
{
	uint64_t token = h->token;
	uint32_t mode = INITIAL_MODE;

	if (!token && pc_connect_device(h, &token, NULL))
		return INITIAL_MODE;
	if (parclass_get_chip_mode(h->fd, token, &mode))
		mode = INITIAL_MODE;
	if (!h->token)
		parclass_disconnect(h->fd, token);
	return mode;
}

static NTSTATUS pc_port_info(PARCLASS_HANDLE h, uint32_t code, void *out,
			     uint32_t out_len, IO_STATUS_BLOCK *iosb)
{
	union {
		PARALLEL_PORT_INFORMATION port;
		MORE_PARALLEL_PORT_INFORMATION more;
		PARALLEL_PNP_INFORMATION pnp;
	} u;
	struct parclass_port_entry e;
	const struct parclass_port_info *i = &e.info;
	uint32_t len;
	int ret;

	len = code == IOCTL_INTERNAL_GET_PARALLEL_PORT_INFO ? sizeof(u.port) :
	      code == IOCTL_INTERNAL_GET_MORE_PARALLEL_PORT_INFO ?
	      sizeof(u.more) : sizeof(u.pnp);
	if (out_len < len)
		return pc_complete(iosb, STATUS_BUFFER_TOO_SMALL, 0);
	ret = pc_check_session(h);
	if (!ret)
		ret = pc_port_entry(h, 0, &e);
	if (ret)
		return pc_fail(iosb, ret);

	memset(&u, 0, sizeof(u));
	if (code == IOCTL_INTERNAL_GET_PARALLEL_PORT_INFO) {
		u.port.OriginalController = pc_controller(i);
		u.port.Controller = pc_controller(i);
		u.port.SpanOfController = pc_controller_span(i);
		u.port.Context = h->token;
	} else if (code == IOCTL_INTERNAL_GET_MORE_PARALLEL_PORT_INFO) {
		u.more.InterfaceType = 1;
		if (i->flags & PARCLASS_PORT_HAS_IRQ) {
			u.more.InterruptLevel = i->irq;
			u.more.InterruptVector = i->irq;
			u.more.InterruptAffinity = 1;
			u.more.InterruptMode = 1;
		}
	} else {
		if (i->flags & PARCLASS_PORT_HAS_ECR) {
			u.pnp.OriginalEcpController = i->base_hi;
			u.pnp.EcpController = i->base_hi;
			u.pnp.SpanOfEcpController = 3;
		}
		u.pnp.PortNumber = i->number;
		u.pnp.HardwareCapabilities = i->hw_caps |
			(i->daisy_count ? PPT_1284_3_PRESENT : 0);
		u.pnp.FifoDepth = i->fifo_depth;
		u.pnp.FifoWidth = i->fifo_width;
		u.pnp.Ieee1284_3DeviceCount = i->daisy_count;
		u.pnp.CurrentMode = pc_current_chip_mode(h);
		u.pnp.Context = h->token;
		snprintf(u.pnp.PortName, sizeof(u.pnp.PortName), "%s",
			 i->location);
	}
	memcpy(out, &u, len);
	return pc_complete(iosb, STATUS_SUCCESS, len);
}

static NTSTATUS pc_disconnect_idle(PARCLASS_HANDLE h, IO_STATUS_BLOCK *iosb);
static NTSTATUS pc_port_side(PARCLASS_HANDLE h, uint32_t code, const void *in,
			     uint32_t in_len, IO_STATUS_BLOCK *iosb);

NTSTATUS ParclassDeviceIoControl(PARCLASS_HANDLE h, uint32_t code,
				 const void *in, uint32_t in_len,
				 void *out, uint32_t out_len,
				 IO_STATUS_BLOCK *iosb)
{
	int ret;

	if (!h)
		return pc_complete(iosb, STATUS_INVALID_HANDLE, 0);
	switch (code) {
	case IOCTL_INTERNAL_PARCLASS_CONNECT:
		return pc_connect(h, out, out_len, iosb);
	case IOCTL_INTERNAL_PARCLASS_DISCONNECT:
		/* Windows returns success and trusts the client; here the
		 * kernel kills the session and refuses a dead one. */
		if (!h->token)
			return pc_complete(iosb, STATUS_INVALID_DEVICE_STATE, 0);
		/* The connection's events go with it. */
		h->pending = 0;
		h->events = 0;
		h->interrupts = 0;
		return pc_fail(iosb, parclass_disconnect(h->fd, h->token));
	case IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE:
		return pc_allocate(h, in, in_len, iosb);
	case IOCTL_INTERNAL_PARALLEL_PORT_FREE:
		if (!h->token)
			return pc_complete(iosb, STATUS_INVALID_DEVICE_STATE, 0);
		ret = parclass_free(h->fd, h->token);
		/* FREE always succeeds on Windows, held or not. */
		return pc_fail(iosb, ret == -EPERM ? 0 : ret);
	case IOCTL_INTERNAL_GET_PARALLEL_PORT_INFO:
	case IOCTL_INTERNAL_GET_MORE_PARALLEL_PORT_INFO:
	case IOCTL_INTERNAL_GET_PARALLEL_PNP_INFO:
		return pc_port_info(h, code, out, out_len, iosb);
	case IOCTL_INTERNAL_RELEASE_PARALLEL_PORT_INFO:
		return pc_fail(iosb, pc_check_session(h));
	case IOCTL_INTERNAL_DISCONNECT_IDLE:
		return pc_disconnect_idle(h, iosb);
	case IOCTL_INTERNAL_PARALLEL_SET_CHIP_MODE:
	case IOCTL_INTERNAL_PARALLEL_CLEAR_CHIP_MODE:
	case IOCTL_INTERNAL_LOCK_PORT:
	case IOCTL_INTERNAL_LOCK_PORT_NO_SELECT:
	case IOCTL_INTERNAL_UNLOCK_PORT:
	case IOCTL_INTERNAL_UNLOCK_PORT_NO_DESELECT:
	case IOCTL_INTERNAL_INIT_1284_3_BUS:
	case IOCTL_INTERNAL_SELECT_DEVICE:
	case IOCTL_INTERNAL_DESELECT_DEVICE:
	case IOCTL_INTERNAL_PARALLEL_CONNECT_INTERRUPT:
	case IOCTL_INTERNAL_PARALLEL_DISCONNECT_INTERRUPT:
		return pc_port_side(h, code, in, in_len, iosb);
	}
	return pc_complete(iosb, STATUS_INVALID_PARAMETER, 0);
}

/* IS_PORT_FREE asks through the handle's session, or a brief one. */
static NTSTATUS pc_is_port_free(PARCLASS_HANDLE h, void *out,
				uint32_t out_len, IO_STATUS_BLOCK *iosb)
{
	uint64_t token = h->token;
	int ret;

	if (out_len < 1)
		return pc_complete(iosb, STATUS_BUFFER_TOO_SMALL, 0);
	if (!token) {
		ret = pc_connect_device(h, &token, NULL);
		if (ret)
			return pc_fail(iosb, ret);
	}
	ret = parclass_is_port_free(h->fd, token);
	if (!h->token)
		parclass_disconnect(h->fd, token);
	if (ret < 0)
		return pc_fail(iosb, ret);
	*(uint8_t *)out = ret;
	return pc_complete(iosb, STATUS_SUCCESS, 1);
}

/* Windows' acquisition timeout for a request made without the port. */
#define PC_ACQUIRE_NS	(500 * 1000000ULL)

#define PC_UNDO_DISCONNECT	1
#define PC_UNDO_FREE		2

static void pc_device_end(PARCLASS_HANDLE h, uint64_t token, int undo)
{
	if (undo & PC_UNDO_FREE)
		parclass_free(h->fd, token);
	if (undo & PC_UNDO_DISCONNECT)
		parclass_disconnect(h->fd, token);
}

/*
 * Device-side requests run in the handle's connection, or (as Windows
 * answers a user-mode request on a handle that has made none) in a brief
 * one made for the request: *token is the session, *base its Controller.
 * *undo says what pc_device_end() takes back.
 */
static int pc_device_session(PARCLASS_HANDLE h, uint64_t *token,
			     uint64_t *base, int *undo)
{
	struct parclass_port_info info;
	int ret;

	*undo = 0;
	*token = h->token;
	*base = h->base;
	if (*token)
		return 0;
	ret = pc_connect_device(h, token, &info);
	if (ret)
		return ret;
	*undo = PC_UNDO_DISCONNECT;
	*base = pc_controller(&info);
	return 0;
}

/* The monotonic clock, in nanoseconds. */
static uint64_t pc_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

/*
 * ALLOCATE, waiting at most PC_ACQUIRE_NS in all. Windows has no
 * signals: one that ends the kernel's wait with EINTR (the
 * application's SIGCHLD or SIGALRM handler, a stop and continue) does
 * not cancel the request, whose wait goes on for what is left of its
 * 500 ms, by the monotonic clock.
 */
static int pc_acquire(PARCLASS_HANDLE h, uint64_t token)
{
	uint64_t end = pc_now() + PC_ACQUIRE_NS, left = PC_ACQUIRE_NS, now;
	int ret;

	for (;;) {
		/* A timeout of 0 means "for ever": try once instead. */
		if (left)
			ret = parclass_allocate(h->fd, token, left);
		else
			ret = parclass_try_allocate(h->fd, token);
		if (ret != -EINTR)
			break;
		now = pc_now();
		left = now < end ? end - now : 0;
	}
	return ret == -EAGAIN ? -ETIMEDOUT : ret;
}

/*
 * ... with the port allocated: the session's own allocation, or (as
 * Windows does for a request on a handle that does not hold the port)
 * one made around the request, waiting at most PC_ACQUIRE_NS. On
 * failure the session is taken back too.
 */
static int pc_device_allocate(PARCLASS_HANDLE h, uint64_t token, int *undo)
{
	int ret = pc_acquire(h, token);

	if (!ret) {
		*undo |= PC_UNDO_FREE;
		return 0;
	}
	/* EALREADY: the handle's own allocation, or one still to come. */
	if (ret == -EALREADY)
		ret = pc_already(h, token);
	if (ret)
		pc_device_end(h, token, *undo);
	return ret;
}

static int pc_device_begin(PARCLASS_HANDLE h, uint64_t *token, int *undo)
{
	uint64_t base;
	int ret;

	ret = pc_device_session(h, token, &base, undo);
	return ret ? ret : pc_device_allocate(h, *token, undo);
}

static NTSTATUS pc_query_information(PARCLASS_HANDLE h, void *out,
				     uint32_t out_len, IO_STATUS_BLOCK *iosb)
{
	PAR_QUERY_INFORMATION q;
	uint64_t token;
	int undo, ret;

	if (out_len < sizeof(q))
		return pc_complete(iosb, STATUS_BUFFER_TOO_SMALL, 0);
	ret = pc_device_begin(h, &token, &undo);
	if (ret)
		return pc_fail(iosb, ret);
	ret = parclass_query_information(h->fd, token, &q.Status, NULL);
	pc_device_end(h, token, undo);
	if (ret)
		return pc_fail(iosb, ret);
	memcpy(out, &q, sizeof(q));
	return pc_complete(iosb, STATUS_SUCCESS, sizeof(q));
}

static NTSTATUS pc_set_information(PARCLASS_HANDLE h, const void *in,
				   uint32_t in_len, IO_STATUS_BLOCK *iosb)
{
	PAR_SET_INFORMATION s;
	uint64_t token;
	int undo, ret;

	if (in_len < sizeof(s))
		return pc_complete(iosb, STATUS_BUFFER_TOO_SMALL, 0);
	memcpy(&s, in, sizeof(s));
	if (s.Init != PARALLEL_INIT)
		return pc_complete(iosb, STATUS_INVALID_PARAMETER, 0);
	ret = pc_device_begin(h, &token, &undo);
	if (ret)
		return pc_fail(iosb, ret);
	ret = parclass_init_peripheral(h->fd, token);
	pc_device_end(h, token, undo);
	return pc_fail(iosb, ret);
}

/*
 * QUERY_DEVICE_ID, QUERY_RAW_DEVICE_ID and QUERY_DEVICE_ID_SIZE: the
 * kernel writes the answer and its NUL, and says how long it is (ERANGE
 * when it does not fit; the size alone when asked for no bytes).
 */
static NTSTATUS pc_device_id(PARCLASS_HANDLE h, uint32_t code, void *out,
			     uint32_t out_len, IO_STATUS_BLOCK *iosb)
{
	PAR_DEVICE_ID_SIZE_INFORMATION si;
	uint32_t flags = 0, len = out_len, size = 0;
	uint64_t token;
	int undo, ret;

	if (code == IOCTL_PAR_QUERY_DEVICE_ID_SIZE) {
		if (out_len < sizeof(si))
			return pc_complete(iosb, STATUS_BUFFER_TOO_SMALL, 0);
		len = 0;
	} else if (!out_len) {
		return pc_complete(iosb, STATUS_BUFFER_TOO_SMALL, 0);
	}
	if (code == IOCTL_PAR_QUERY_RAW_DEVICE_ID)
		flags = PARCLASS_DEVICE_ID_RAW;
	/* No answer is longer than the kernel's limit. */
	if (len > PARCLASS_DEVICE_ID_MAX)
		len = PARCLASS_DEVICE_ID_MAX;
	ret = pc_device_begin(h, &token, &undo);
	if (ret)
		return pc_fail(iosb, ret);
	ret = parclass_device_id(h->fd, token, flags, 0, out, len, &size);
	/* Unless refused, the query negotiated: the data lines are driven. */
	if (ret != -EBUSY && !(undo & PC_UNDO_DISCONNECT))
		h->reverse = 0;
	pc_device_end(h, token, undo);
	if (ret)
		return pc_fail(iosb, ret);
	if (code != IOCTL_PAR_QUERY_DEVICE_ID_SIZE)
		return pc_complete(iosb, STATUS_SUCCESS, size);
	si.DeviceIdSize = size;
	memcpy(out, &si, sizeof(si));
	return pc_complete(iosb, STATUS_SUCCESS, sizeof(si));
}

/* No mode of a mask could be had: no IEEE 1284 answer, or all refused. */
static int pc_no_mode(int ret)
{
	return ret == -EIO || ret == -EOPNOTSUPP;
}

/*
 * After a request that may have negotiated for connection @token, which
 * ran with result @ret: the negotiation and the termination drive the
 * data lines, so the handle's connection has them forward again. A
 * request refused before it touched the port leaves them.
 */
static void pc_lines_reset(PARCLASS_HANDLE h, uint64_t token, int ret)
{
	if (token != h->token)
		return;
	switch (-ret) {
	case EBUSY:
	case EPERM:
	case EPROTO:
	case EINVAL:
	case ESTALE:
	case ENODEV:
		return;
	}
	h->reverse = 0;
}

/*
 * Windows' negotiation (IeeeNegotiateMode): each mask gets the fastest
 * mode that can be had in it, or none, and the request never fails for
 * want of a mode. Bits a direction has no mode for, and the handle's
 * modes not to use, are dropped first. The kernel's NEGOTIATE fails
 * instead (EIO, EOPNOTSUPP) and then leaves no read mode: find out which
 * mask gave nothing, and negotiate the other alone, so that the
 * connection ends up with the modes Windows would have, *rd and *wr.
 * @flags: PARCLASS_NEGOTIATE_KEEP for the routine's form.
 */
static int pc_negotiate(PARCLASS_HANDLE h, uint64_t token, uint32_t flags,
			uint32_t rmask, uint32_t wmask, uint32_t *rd,
			uint32_t *wr)
{
	uint32_t r = rmask & PC_READ_MODES & ~h->bad_modes;
	uint32_t w = wmask & PC_WRITE_MODES & ~h->bad_modes;
	int ret;

	ret = parclass_negotiate(h->fd, token, flags, r, w, rd, wr);
	if (!pc_no_mode(ret))
		return ret;
	/* The failure left compatibility mode: KEEP is no longer needed. */
	if (r && w) {
		ret = parclass_negotiate(h->fd, token, 0, 0, w, rd, wr);
		if (!pc_no_mode(ret))
			return ret;
		ret = parclass_negotiate(h->fd, token, 0, r, 0, rd, wr);
		if (!pc_no_mode(ret))
			return ret;
	}
	/* Neither mask gave a mode: none both ways, as Windows has it. */
	return parclass_negotiate(h->fd, token, 0, 0, 0, rd, wr);
}

static NTSTATUS pc_ieee_negotiate(PARCLASS_HANDLE h, const void *in,
				  uint32_t in_len, void *out, uint32_t out_len,
				  IO_STATUS_BLOCK *iosb)
{
	PARCLASS_NEGOTIATION_MASK m;
	uint64_t token, base;
	uint32_t rd, wr;
	int undo, ret;

	if (in_len < sizeof(m) || out_len < sizeof(m))
		return pc_complete(iosb, STATUS_INVALID_PARAMETER, 0);
	memcpy(&m, in, sizeof(m));
	ret = pc_device_session(h, &token, &base, &undo);
	if (ret)
		return pc_fail(iosb, ret);
	/* Windows answers at once if the masks are the modes already. */
	ret = parclass_get_mode(h->fd, token, &rd, &wr);
	if (!ret && (rd != m.usReadMask || wr != m.usWriteMask)) {
		ret = pc_device_allocate(h, token, &undo);
		if (ret)
			return pc_fail(iosb, ret);
		ret = pc_negotiate(h, token, 0, m.usReadMask, m.usWriteMask,
				   &rd, &wr);
		pc_lines_reset(h, token, ret);
	}
	pc_device_end(h, token, undo);
	if (ret)
		return pc_fail(iosb, ret);
	m.usReadMask = rd;
	m.usWriteMask = wr;
	memcpy(out, &m, sizeof(m));
	return pc_complete(iosb, STATUS_SUCCESS, sizeof(m));
}

static NTSTATUS pc_ieee_get_mode(PARCLASS_HANDLE h, void *out,
				 uint32_t out_len, IO_STATUS_BLOCK *iosb)
{
	PARCLASS_NEGOTIATION_MASK m;
	uint64_t token, base;
	uint32_t rd, wr;
	int undo, ret;

	if (out_len < sizeof(m))
		return pc_complete(iosb, STATUS_BUFFER_TOO_SMALL, 0);
	ret = pc_device_session(h, &token, &base, &undo);
	if (ret)
		return pc_fail(iosb, ret);
	ret = parclass_get_mode(h->fd, token, &rd, &wr);
	pc_device_end(h, token, undo);
	if (ret)
		return pc_fail(iosb, ret);
	m.usReadMask = rd;
	m.usWriteMask = wr;
	memcpy(out, &m, sizeof(m));
	return pc_complete(iosb, STATUS_SUCCESS, sizeof(m));
}

static uint32_t pc_direction(uint32_t code)
{
	return code == IOCTL_PAR_SET_READ_ADDRESS ||
	       code == IOCTL_PAR_GET_READ_ADDRESS ?
	       PARCLASS_ADDRESS_READ : PARCLASS_ADDRESS_WRITE;
}

/* SET_READ_ADDRESS, SET_WRITE_ADDRESS: sent at once, in the mode. */
static NTSTATUS pc_set_address(PARCLASS_HANDLE h, uint32_t code,
			       const void *in, uint32_t in_len,
			       IO_STATUS_BLOCK *iosb)
{
	uint64_t token;
	int undo, ret;
	uint8_t a;

	if (in_len < sizeof(a))
		return pc_complete(iosb, STATUS_INVALID_PARAMETER, 0);
	memcpy(&a, in, sizeof(a));
	ret = pc_device_begin(h, &token, &undo);
	if (ret)
		return pc_fail(iosb, ret);
	ret = parclass_set_address(h->fd, token, pc_direction(code), a);
	pc_lines_reset(h, token, ret);
	pc_device_end(h, token, undo);
	return pc_fail(iosb, ret);
}

static NTSTATUS pc_get_address(PARCLASS_HANDLE h, uint32_t code, void *out,
			       uint32_t out_len, IO_STATUS_BLOCK *iosb)
{
	uint64_t token, base;
	uint32_t address;
	int undo, ret;
	uint8_t a;

	if (out_len < sizeof(a))
		return pc_complete(iosb, STATUS_BUFFER_TOO_SMALL, 0);
	ret = pc_device_session(h, &token, &base, &undo);
	if (ret)
		return pc_fail(iosb, ret);
	ret = parclass_get_address(h->fd, token, pc_direction(code), &address);
	pc_device_end(h, token, undo);
	if (ret)
		return pc_fail(iosb, ret);
	a = address;
	memcpy(out, &a, sizeof(a));
	return pc_complete(iosb, STATUS_SUCCESS, sizeof(a));
}

/* GET_DEVICE_CAPS: the modes not to use stay the handle's. */
static NTSTATUS pc_get_device_caps(PARCLASS_HANDLE h, const void *in,
				   uint32_t in_len, void *out,
				   uint32_t out_len, IO_STATUS_BLOCK *iosb)
{
	uint16_t bad, caps;
	uint64_t token;
	uint32_t modes;
	int undo, ret;

	if (out_len < sizeof(caps) || in_len < sizeof(bad))
		return pc_complete(iosb, STATUS_BUFFER_TOO_SMALL, 0);
	memcpy(&bad, in, sizeof(bad));
	h->bad_modes = bad & PC_NEGOTIATED_MODES;
	ret = pc_device_begin(h, &token, &undo);
	if (ret)
		return pc_fail(iosb, ret);
	ret = parclass_probe(h->fd, token, h->bad_modes, &modes);
	pc_lines_reset(h, token, ret);
	pc_device_end(h, token, undo);
	if (ret)
		return pc_fail(iosb, ret);
	caps = modes;
	memcpy(out, &caps, sizeof(caps));
	return pc_complete(iosb, STATUS_SUCCESS, sizeof(caps));
}

static NTSTATUS pc_ping(PARCLASS_HANDLE h, IO_STATUS_BLOCK *iosb)
{
	uint64_t token;
	int undo, ret;

	ret = pc_device_begin(h, &token, &undo);
	if (ret)
		return pc_fail(iosb, ret);
	ret = parclass_ping(h->fd, token);
	pc_lines_reset(h, token, ret);
	pc_device_end(h, token, undo);
	return pc_fail(iosb, ret);
}

static NTSTATUS pc_ecp_host_recovery(PARCLASS_HANDLE h, const void *in,
				     uint32_t in_len, IO_STATUS_BLOCK *iosb)
{
	uint64_t token, base;
	uint32_t enabled;
	int undo, ret;
	uint8_t flag;

	if (in_len < sizeof(flag))
		return pc_complete(iosb, STATUS_INVALID_PARAMETER, 0);
	memcpy(&flag, in, sizeof(flag));
	/* A BOOLEAN: any value but 0 is TRUE. */
	enabled = !!flag;
	ret = pc_device_session(h, &token, &base, &undo);
	if (ret)
		return pc_fail(iosb, ret);
	ret = parclass_host_recovery(h->fd, token, 1, &enabled);
	pc_device_end(h, token, undo);
	return pc_fail(iosb, ret);
}

/*
 * Compatibility mode, the session's modes kept: a WRITE of no bytes
 * without PARCLASS_WRITE_MODE terminates any mode and sends nothing.
 * (PARCLASS_IOC_TERMINATE would drop the modes, which Windows keeps.)
 */
static int pc_terminate(PARCLASS_HANDLE h, uint64_t token)
{
	int ret = parclass_write_flags(h->fd, token, 0, NULL, 0, 0, NULL);

	pc_lines_reset(h, token, ret);
	return ret;
}

static NTSTATUS pc_disconnect_idle(PARCLASS_HANDLE h, IO_STATUS_BLOCK *iosb)
{
	uint64_t token;
	int undo, ret;

	ret = pc_device_begin(h, &token, &undo);
	if (ret)
		return pc_fail(iosb, ret);
	ret = pc_terminate(h, token);
	pc_device_end(h, token, undo);
	return pc_fail(iosb, ret);
}

/*
 * SET_CHIP_MODE and CLEAR_CHIP_MODE on connection @token: the mode is
 * ModeFlags & ~0x1F (the ECR's mode field), as on Windows. EALREADY (SET
 * while in ECP or EPP) and ENOENT (CLEAR of another mode) are Windows'
 * INVALID_DEVICE_STATE, EOPNOTSUPP (a mode the port lacks) its
 * NO_SUCH_DEVICE.
 */
static NTSTATUS pc_chip_mode(PARCLASS_HANDLE h, uint64_t token, int set,
			     uint8_t mode_flags)
{
	int ret = parclass_chip_mode(h->fd, token,
				     set ? PARCLASS_CHIP_MODE_SET :
					   PARCLASS_CHIP_MODE_CLEAR,
				     mode_flags & ~0x1F, NULL);

	switch (-ret) {
	case EALREADY:
	case ENOENT:
		return STATUS_INVALID_DEVICE_STATE;
	case EOPNOTSUPP:
		return STATUS_NO_SUCH_DEVICE;
	}
	return ParclassNtStatusFromErrno(ret);
}

/* LOCK_PORT: EALREADY as for ALLOCATE, a silent chain device UNSUCCESSFUL. */
static NTSTATUS pc_lock(PARCLASS_HANDLE h, uint32_t flags)
{
	int ret = parclass_lock(h->fd, h->token, flags);

	if (ret == -EALREADY)
		ret = pc_allocate_already(h, h->token);
	if (ret == -ENXIO)
		return STATUS_UNSUCCESSFUL;
	return ParclassNtStatusFromErrno(ret);
}

/* UNLOCK_PORT: always SUCCESS on Windows, held or not, as FREE. */
static NTSTATUS pc_unlock(PARCLASS_HANDLE h, uint32_t flags)
{
	int ret = parclass_unlock(h->fd, h->token, flags);

	return ParclassNtStatusFromErrno(ret == -EPERM ? 0 : ret);
}

/*
 * SELECT_DEVICE and TrySelectDevice (@try: never wait for the port). ID
 * 4 or END_OF_CHAIN is the device at the end of the cable; the legacy
 * Zip select has no Linux meaning. EINVAL (an ID beyond the chain) is
 * INVALID_PARAMETER, ENXIO (no answer) UNSUCCESSFUL.
 */
static NTSTATUS pc_select(PARCLASS_HANDLE h, uint64_t token,
			  const PARALLEL_1284_COMMAND *c, int try)
{
	uint32_t device = c->ID, flags = 0;
	int ret, got = 0;

	if ((c->CommandFlags & PAR_END_OF_CHAIN_DEVICE) ||
	    c->ID == PAR_END_OF_CHAIN_ID)
		device = PARCLASS_DAISY_END_OF_CHAIN;
	else if ((c->CommandFlags & PAR_LEGACY_ZIP_DRIVE) ||
		 c->ID >= PARCLASS_DAISY_MAX)
		return STATUS_INVALID_PARAMETER;
	if (c->CommandFlags & PAR_HAVE_PORT_KEEP_PORT) {
		flags = PARCLASS_SELECT_KEEP_PORT;
	} else if (try) {
		ret = parclass_try_allocate(h->fd, token);
		if (ret == -EALREADY)
			ret = pc_allocate_already(h, token);
		if (ret)
			return ParclassNtStatusFromErrno(ret);
		flags = PARCLASS_SELECT_KEEP_PORT;
		got = 1;
	}
	ret = parclass_select_device(h->fd, token, flags, device, 0);
	if (ret && got)
		parclass_free(h->fd, token);
	if (ret == -EALREADY && !flags)
		ret = pc_allocate_already(h, token);
	switch (-ret) {
	case EINVAL:
		return STATUS_INVALID_PARAMETER;
	case ENXIO:
		return STATUS_UNSUCCESSFUL;
	}
	return ParclassNtStatusFromErrno(ret);
}

static NTSTATUS pc_deselect(PARCLASS_HANDLE h, uint64_t token,
			    const PARALLEL_1284_COMMAND *c)
{
	uint32_t flags = c->CommandFlags & PAR_HAVE_PORT_KEEP_PORT ?
			 PARCLASS_SELECT_KEEP_PORT : 0;

	return ParclassNtStatusFromErrno(parclass_deselect_device(h->fd, token,
								  flags));
}

/* INIT_1284_3_BUS, within the handle's allocation or one made for it. */
static NTSTATUS pc_init_bus(PARCLASS_HANDLE h)
{
	uint64_t token;
	int undo, ret;

	ret = pc_device_begin(h, &token, &undo);
	if (ret)
		return ParclassNtStatusFromErrno(ret);
	ret = parclass_daisy_init(h->fd, token, NULL);
	pc_device_end(h, token, undo);
	return ParclassNtStatusFromErrno(ret);
}

/*
 * CONNECT_INTERRUPT: EACCES (the module parameter allow_interrupts is
 * off) is Windows' UNSUCCESSFUL for a disabled CONNECT_INTERRUPT, ENXIO
 * (no interrupt line) its NOT_SUPPORTED. DISCONNECT_INTERRUPT of a
 * connection that does not count (ENOENT): INVALID_PARAMETER.
 */
static NTSTATUS pc_connect_interrupt(PARCLASS_HANDLE h, int enable)
{
	int ret = parclass_interrupts(h->fd, h->token,
				      enable ? PARCLASS_INTERRUPTS_ENABLE :
					       PARCLASS_INTERRUPTS_DISABLE,
				      NULL);

	switch (-ret) {
	case EACCES:
		return STATUS_UNSUCCESSFUL;
	case ENXIO:
		return STATUS_NOT_SUPPORTED;
	case ENOENT:
		return STATUS_INVALID_PARAMETER;
	}
	return ParclassNtStatusFromErrno(ret);
}

static NTSTATUS pc_port_side(PARCLASS_HANDLE h, uint32_t code, const void *in,
			     uint32_t in_len, IO_STATUS_BLOCK *iosb)
{
	PARALLEL_1284_COMMAND cmd;
	PARALLEL_CHIP_MODE cm;

	if (code == IOCTL_INTERNAL_INIT_1284_3_BUS)
		return pc_complete(iosb, pc_init_bus(h), 0);
	if (code == IOCTL_INTERNAL_PARALLEL_SET_CHIP_MODE ||
	    code == IOCTL_INTERNAL_PARALLEL_CLEAR_CHIP_MODE) {
		if (in_len < sizeof(cm))
			return pc_complete(iosb, STATUS_BUFFER_TOO_SMALL, 0);
		memcpy(&cm, in, sizeof(cm));
	}
	if (code == IOCTL_INTERNAL_SELECT_DEVICE ||
	    code == IOCTL_INTERNAL_DESELECT_DEVICE) {
		if (in_len < sizeof(cmd))
			return pc_complete(iosb, STATUS_INVALID_PARAMETER, 0);
		memcpy(&cmd, in, sizeof(cmd));
	}
	if (!h->token)
		return pc_complete(iosb, STATUS_INVALID_DEVICE_STATE, 0);
	switch (code) {
	case IOCTL_INTERNAL_PARALLEL_SET_CHIP_MODE:
	case IOCTL_INTERNAL_PARALLEL_CLEAR_CHIP_MODE:
		return pc_complete(iosb,
				   pc_chip_mode(h, h->token,
						code == IOCTL_INTERNAL_PARALLEL_SET_CHIP_MODE,
						cm.ModeFlags), 0);
	case IOCTL_INTERNAL_LOCK_PORT:
		return pc_complete(iosb, pc_lock(h, 0), 0);
	case IOCTL_INTERNAL_LOCK_PORT_NO_SELECT:
		return pc_complete(iosb, pc_lock(h, PARCLASS_LOCK_NO_SELECT), 0);
	case IOCTL_INTERNAL_UNLOCK_PORT:
		return pc_complete(iosb, pc_unlock(h, 0), 0);
	case IOCTL_INTERNAL_UNLOCK_PORT_NO_DESELECT:
		return pc_complete(iosb, pc_unlock(h, PARCLASS_LOCK_NO_SELECT),
				   0);
	case IOCTL_INTERNAL_SELECT_DEVICE:
		return pc_complete(iosb, pc_select(h, h->token, &cmd, 0), 0);
	case IOCTL_INTERNAL_DESELECT_DEVICE:
		return pc_complete(iosb, pc_deselect(h, h->token, &cmd), 0);
	case IOCTL_INTERNAL_PARALLEL_CONNECT_INTERRUPT:
		return pc_complete(iosb, pc_connect_interrupt(h, 1), 0);
	}
	return pc_complete(iosb, pc_connect_interrupt(h, 0), 0);
}

/*
 * Collect the file's events for the handle's connection, without
 * waiting: grants and removal in h->events, interrupts in h->interrupts.
 */
static int pc_read_events(PARCLASS_HANDLE h)
{
	struct parclass_event ev[8];
	uint32_t sum;
	int n, i;

	for (;;) {
		/* Only what waits: poll() said so, or look and go. */
		if (parclass_wait_events(h->fd, 0) <= 0)
			return 0;
		n = parclass_read_events(h->fd, ev, 8);
		if (n == -EINTR)
			continue;
		if (n == -EAGAIN)
			return 0;
		if (n < 0)
			return n;
		for (i = 0; i < n; i++) {
			if (ev[i].token != h->token)
				continue;
			h->events |= ev[i].events & (PARCLASS_EVENT_GRANTED |
						     PARCLASS_EVENT_REMOVED);
			sum = h->interrupts + ev[i].interrupts;
			h->interrupts = sum < h->interrupts ? UINT32_MAX : sum;
		}
	}
}

NTSTATUS ParclassWaitAllocate(PARCLASS_HANDLE h, uint32_t timeout_ms)
{
	uint64_t end, now;
	int ret, left;

	if (!h)
		return STATUS_INVALID_HANDLE;
	if (!h->pending)
		return STATUS_INVALID_DEVICE_STATE;
	end = pc_now() + timeout_ms * 1000000ULL;
	for (;;) {
		ret = pc_read_events(h);
		if (ret)
			return ParclassNtStatusFromErrno(ret);
		if (h->events & PARCLASS_EVENT_GRANTED) {
			h->pending = 0;
			h->events = 0;
			return STATUS_SUCCESS;
		}
		if (h->events & PARCLASS_EVENT_REMOVED) {
			h->pending = 0;
			h->events = 0;
			return STATUS_DEVICE_REMOVED;
		}
		now = pc_now();
		if (now >= end)
			return STATUS_TIMEOUT;
		/* Windows has no signals: an EINTR only looks again. */
		left = (end - now + 999999) / 1000000;
		ret = parclass_wait_events(h->fd, left);
		if (ret < 0 && ret != -EINTR)
			return ParclassNtStatusFromErrno(ret);
	}
}

NTSTATUS ParclassCancelAllocate(PARCLASS_HANDLE h)
{
	int ret;

	if (!h)
		return STATUS_INVALID_HANDLE;
	if (!h->token)
		return STATUS_INVALID_DEVICE_STATE;
	ret = parclass_cancel(h->fd, h->token);
	switch (-ret) {
	case 0:
		h->pending = 0;
		return STATUS_CANCELLED;
	case EALREADY:
		/* Granted first: the grant's event is answered here. */
		pc_read_events(h);
		h->pending = 0;
		h->events = 0;
		return STATUS_SUCCESS;
	case ENOENT:
		return STATUS_INVALID_DEVICE_STATE;
	}
	return ParclassNtStatusFromErrno(ret);
}

int ParclassEventFd(PARCLASS_HANDLE h)
{
	return h ? parclass_event_fd(h->fd) : -1;
}

NTSTATUS ParclassQueryInterruptCount(PARCLASS_HANDLE h, uint32_t *count)
{
	uint32_t n = 0, sum;
	int ret;

	if (!h)
		return STATUS_INVALID_HANDLE;
	if (!count)
		return STATUS_INVALID_PARAMETER;
	if (!h->token)
		return STATUS_INVALID_DEVICE_STATE;
	/* Counts the file reported, then what it has not reported yet. */
	ret = pc_read_events(h);
	if (!ret)
		ret = parclass_interrupts(h->fd, h->token, 0, &n);
	if (ret)
		return ParclassNtStatusFromErrno(ret);
	sum = n + h->interrupts;
	*count = sum < n ? UINT32_MAX : sum;
	h->interrupts = 0;
	return STATUS_SUCCESS;
}

NTSTATUS ParclassTrySetChipMode(PARCLASS_HANDLE h, uint64_t context,
				uint8_t chip_mode)
{
	return h ? pc_chip_mode(h, context, 1, chip_mode) :
		   STATUS_INVALID_HANDLE;
}

NTSTATUS ParclassClearChipMode(PARCLASS_HANDLE h, uint64_t context,
			       uint8_t chip_mode)
{
	return h ? pc_chip_mode(h, context, 0, chip_mode) :
		   STATUS_INVALID_HANDLE;
}

NTSTATUS ParclassTrySelectDevice(PARCLASS_HANDLE h, uint64_t context,
				 PARALLEL_1284_COMMAND command)
{
	return h ? pc_select(h, context, &command, 1) : STATUS_INVALID_HANDLE;
}

NTSTATUS ParclassDeselectDevice(PARCLASS_HANDLE h, uint64_t context,
				PARALLEL_1284_COMMAND command)
{
	return h ? pc_deselect(h, context, &command) : STATUS_INVALID_HANDLE;
}

NTSTATUS ParclassUserDeviceIoControl(PARCLASS_HANDLE h, uint32_t code,
				     const void *in, uint32_t in_len,
				     void *out, uint32_t out_len,
				     IO_STATUS_BLOCK *iosb)
{
	struct parclass_port_entry e;
	PARCLASS_NEGOTIATION_MASK m;
	size_t len;
	int ret;

	if (!h)
		return pc_complete(iosb, STATUS_INVALID_HANDLE, 0);
	switch (code) {
	case IOCTL_PAR_QUERY_INFORMATION:
		return pc_query_information(h, out, out_len, iosb);
	case IOCTL_PAR_SET_INFORMATION:
		return pc_set_information(h, in, in_len, iosb);
	case IOCTL_PAR_QUERY_DEVICE_ID:
	case IOCTL_PAR_QUERY_DEVICE_ID_SIZE:
	case IOCTL_PAR_QUERY_RAW_DEVICE_ID:
		return pc_device_id(h, code, out, out_len, iosb);
	case IOCTL_PAR_IS_PORT_FREE:
		return pc_is_port_free(h, out, out_len, iosb);
	case IOCTL_PAR_QUERY_LOCATION:
		ret = pc_check_session(h);
		if (!ret)
			ret = pc_port_entry(h, 1, &e);
		if (ret)
			return pc_fail(iosb, ret);
		len = strlen(e.info.location) + 1;
		if (out_len < len)
			return pc_complete(iosb, STATUS_BUFFER_TOO_SMALL, 0);
		memcpy(out, e.info.location, len);
		return pc_complete(iosb, STATUS_SUCCESS, len);
	case IOCTL_PAR_GET_DEFAULT_MODES:
		if (out_len < sizeof(m))
			return pc_complete(iosb, STATUS_BUFFER_TOO_SMALL, 0);
		m.usReadMask = PARCLASS_MODE_NONE;
		m.usWriteMask = PARCLASS_MODE_CENTRONICS;
		memcpy(out, &m, sizeof(m));
		return pc_complete(iosb, STATUS_SUCCESS, sizeof(m));
	case IOCTL_IEEE1284_NEGOTIATE:
		return pc_ieee_negotiate(h, in, in_len, out, out_len, iosb);
	case IOCTL_IEEE1284_GET_MODE:
		return pc_ieee_get_mode(h, out, out_len, iosb);
	case IOCTL_PAR_SET_READ_ADDRESS:
	case IOCTL_PAR_SET_WRITE_ADDRESS:
		return pc_set_address(h, code, in, in_len, iosb);
	case IOCTL_PAR_GET_READ_ADDRESS:
	case IOCTL_PAR_GET_WRITE_ADDRESS:
		return pc_get_address(h, code, out, out_len, iosb);
	case IOCTL_PAR_GET_DEVICE_CAPS:
		return pc_get_device_caps(h, in, in_len, out, out_len, iosb);
	case IOCTL_PAR_PING:
		return pc_ping(h, iosb);
	case IOCTL_PAR_ECP_HOST_RECOVERY:
		return pc_ecp_host_recovery(h, in, in_len, iosb);
	}
	return pc_complete(iosb, STATUS_INVALID_PARAMETER, 0);
}

/*
 * The register at @port of a port whose Controller is @base: 0 data,
 * 1 status, 2 control; -1 for any other address.
 */
static int pc_register_of(uint64_t base, uint64_t port)
{
	return port >= base && port - base <= 2 ? (int)(port - base) : -1;
}

/*
 * The pin operations (at most two, at @op) of one access of register
 * @reg; how many. A write of the control register sets the control
 * lines and the data direction; its interrupt-enable bit is ignored.
 */
static unsigned int pc_port_ops(int reg, uint8_t write, uint8_t value,
				struct parclass_pin_op *op)
{
	static const uint8_t reads[] = {
		PARCLASS_PIN_READ_DATA, PARCLASS_PIN_READ_STATUS,
		PARCLASS_PIN_READ_CONTROL,
	};

	memset(op, 0, 2 * sizeof(*op));
	if (!write) {
		op[0].op = reads[reg];
		return 1;
	}
	if (!reg) {
		op[0].op = PARCLASS_PIN_WRITE_DATA;
		op[0].value = value;
		return 1;
	}
	op[0].op = PARCLASS_PIN_WRITE_CONTROL;
	op[0].value = value & PARCLASS_PIN_CONTROL_LINES;
	op[1].op = PARCLASS_PIN_DATA_DIR;
	op[1].value = !!(value & PARCLASS_PORT_DIRECTION);
	return 2;
}

/* What a read of the control register shows: the lines and the direction. */
static uint8_t pc_control_value(uint8_t lines, uint8_t reverse)
{
	return (lines & PARCLASS_PIN_CONTROL_LINES) | reverse;
}

/* The direction of the session a request ran in (see pc_device_session()). */
static uint8_t pc_reverse(PARCLASS_HANDLE h, int undo)
{
	return undo & PC_UNDO_DISCONNECT ? 0 : h->reverse;
}

/* One register access, through PARCLASS_IOC_REGISTER. */
static NTSTATUS pc_port_access(PARCLASS_HANDLE h, uint64_t port,
			       uint8_t write, uint8_t *value)
{
	struct parclass_pin_op op[2];
	uint64_t token, base;
	unsigned int i, n;
	int undo, reg, ret;
	uint8_t v = 0;

	if (!h)
		return STATUS_INVALID_HANDLE;
	if (!value)
		return STATUS_INVALID_PARAMETER;
	ret = pc_device_session(h, &token, &base, &undo);
	if (ret)
		return ParclassNtStatusFromErrno(ret);
	reg = pc_register_of(base, port);
	if (reg < 0 || (write && reg == 1)) {
		pc_device_end(h, token, undo);
		return STATUS_INVALID_PARAMETER;
	}
	ret = pc_device_allocate(h, token, &undo);
	if (ret)
		return ParclassNtStatusFromErrno(ret);
	n = pc_port_ops(reg, write, *value, op);
	for (i = 0; i < n && !ret; i++)
		ret = parclass_register(h->fd, token, op[i].op, op[i].mask,
					op[i].value, &v);
	pc_device_end(h, token, undo);
	if (ret)
		return ParclassNtStatusFromErrno(ret);
	/* A brief connection starts, and ends, with the data lines driven. */
	if (!write)
		*value = reg == 2 ? pc_control_value(v, pc_reverse(h, undo)) : v;
	else if (reg == 2 && !(undo & PC_UNDO_DISCONNECT))
		h->reverse = *value & PARCLASS_PORT_DIRECTION;
	return STATUS_SUCCESS;
}

NTSTATUS ParclassReadPortUchar(PARCLASS_HANDLE h, uint64_t port,
			       uint8_t *value)
{
	return pc_port_access(h, port, 0, value);
}

NTSTATUS ParclassWritePortUchar(PARCLASS_HANDLE h, uint64_t port,
				uint8_t value)
{
	return pc_port_access(h, port, 1, &value);
}

/*
 * After a list ran @ran pin operations and delivered @used read results:
 * the reads of the accesses that ran whole get their values, with the
 * direction followed through the list from @reverse. Return: how many
 * accesses ran whole.
 */
static uint32_t pc_access_results(PARCLASS_PORT_ACCESS *acc, uint32_t count,
				  uint64_t base, const uint8_t *results,
				  uint32_t ran, uint32_t used, uint8_t *reverse)
{
	uint32_t i, k = 0, reads = 0;
	int reg;

	for (i = 0; i < count; i++) {
		reg = pc_register_of(base, acc[i].Port);
		k += acc[i].Write && reg == 2 ? 2 : 1;
		if (k > ran || (!acc[i].Write && reads >= used))
			break;
		if (!acc[i].Write)
			acc[i].Value = reg == 2 ?
				       pc_control_value(results[reads++],
							*reverse) :
				       results[reads++];
		else if (reg == 2)
			*reverse = acc[i].Value & PARCLASS_PORT_DIRECTION;
	}
	return i;
}

/*
 * A list of accesses, checked whole, then run as one pin program
 * (PARCLASS_IOC_PIN_PROGRAM) in one allocation.
 */
NTSTATUS ParclassAccessPorts(PARCLASS_HANDLE h,
			     PARCLASS_PORT_ACCESS *acc, uint32_t count,
			     uint32_t *done)
{
	static const uint8_t zero[sizeof(acc->Reserved)];
	uint32_t n = 0, reads = 0, ran = 0, used = 0, i;
	struct parclass_pin_op *ops;
	uint8_t *results, reverse;
	uint64_t token, base;
	int undo, reg, ret;

	if (done)
		*done = 0;
	if (!h)
		return STATUS_INVALID_HANDLE;
	if (!acc || !count || count > PARCLASS_PORT_ACCESS_MAX)
		return STATUS_INVALID_PARAMETER;
	ret = pc_device_session(h, &token, &base, &undo);
	if (ret)
		return ParclassNtStatusFromErrno(ret);
	ops = calloc(2 * (size_t)count, sizeof(*ops));
	results = malloc(count);
	ret = ops && results ? 0 : -ENOMEM;
	for (i = 0; !ret && i < count; i++) {
		reg = pc_register_of(base, acc[i].Port);
		if (reg < 0 || acc[i].Write > 1 || (acc[i].Write && reg == 1) ||
		    memcmp(acc[i].Reserved, zero, sizeof(zero)))
			ret = -EINVAL;
		else
			n += pc_port_ops(reg, acc[i].Write, acc[i].Value,
					 ops + n);
		reads += !acc[i].Write;
	}
	if (ret)
		pc_device_end(h, token, undo);
	else
		ret = pc_device_allocate(h, token, &undo);
	if (!ret) {
		ret = parclass_pin_program(h->fd, token, ops, n, results,
					   reads, &ran, &used);
		pc_device_end(h, token, undo);
		reverse = pc_reverse(h, undo);
		i = pc_access_results(acc, count, base, results, ran, used,
				      &reverse);
		if (!(undo & PC_UNDO_DISCONNECT))
			h->reverse = reverse;
		if (done)
			*done = i;
	}
	free(results);
	free(ops);
	return ParclassNtStatusFromErrno(ret);
}

uint8_t ParclassTryAllocatePort(PARCLASS_HANDLE h, uint64_t context)
{
	return h && !parclass_try_allocate(h->fd, context);
}

void ParclassFreePort(PARCLASS_HANDLE h, uint64_t context)
{
	if (h)
		parclass_free(h->fd, context);
}

uint32_t ParclassQueryNumWaiters(PARCLASS_HANDLE h, uint64_t context)
{
	uint32_t waiters = 0;

	if (h)
		parclass_query_num_waiters(h->fd, context, &waiters, NULL);
	return waiters;
}

/*
 * The routines of PARCLASS_INFORMATION. They run on the connection
 * @context names, which must hold the port; none allocates it.
 */

NTSTATUS ParclassDetermineIeeeModes(PARCLASS_HANDLE h, uint64_t context,
				    uint16_t *modes)
{
	uint32_t m;
	int ret;

	if (!h)
		return STATUS_INVALID_HANDLE;
	if (!modes)
		return STATUS_INVALID_PARAMETER;
	/* Windows forgets the modes not to use here. */
	h->bad_modes = 0;
	ret = parclass_probe(h->fd, context, 0, &m);
	pc_lines_reset(h, context, ret);
	if (!ret)
		*modes = m;
	return ParclassNtStatusFromErrno(ret);
}

NTSTATUS ParclassNegotiateIeeeMode(PARCLASS_HANDLE h, uint64_t context,
				   uint16_t mode_mask_fwd,
				   uint16_t mode_mask_rev,
				   PARALLEL_SAFETY mode_safety,
				   uint8_t is_forward)
{
	uint32_t rd, wr;
	int ret;

	if (!h)
		return STATUS_INVALID_HANDLE;
	/*
	 * Windows allows UNSAFE_MODE for compatibility mode forward with
	 * nibble or byte mode back, or one mode both ways.
	 */
	if (mode_safety == UNSAFE_MODE) {
		if (mode_mask_fwd & PC_COMPAT_MODES) {
			if (!(mode_mask_rev & (PARCLASS_1284_NIBBLE |
					       PARCLASS_1284_CHANNEL_NIBBLE |
					       PARCLASS_1284_BYTE_BIDIR)))
				return STATUS_UNSUCCESSFUL;
		} else if (mode_mask_fwd != mode_mask_rev) {
			return STATUS_UNSUCCESSFUL;
		}
	}
	ret = pc_negotiate(h, context, PARCLASS_NEGOTIATE_KEEP, mode_mask_rev,
			   mode_mask_fwd, &rd, &wr);
	/* NEGOTIATE leaves the read mode if it reached one. */
	if (!ret && is_forward)
		ret = parclass_write_flags(h->fd, context, PARCLASS_WRITE_MODE,
					   NULL, 0, 0, NULL);
	pc_lines_reset(h, context, ret);
	return ParclassNtStatusFromErrno(ret);
}

NTSTATUS ParclassTerminateIeeeMode(PARCLASS_HANDLE h, uint64_t context)
{
	if (!h)
		return STATUS_INVALID_HANDLE;
	return ParclassNtStatusFromErrno(pc_terminate(h, context));
}

NTSTATUS ParclassIeeeFwdToRevMode(PARCLASS_HANDLE h, uint64_t context)
{
	uint32_t rd;
	int ret;

	if (!h)
		return STATUS_INVALID_HANDLE;
	ret = pc_holding(h, context);
	if (!ret)
		ret = parclass_get_mode(h->fd, context, &rd, NULL);
	if (!ret && rd == PARCLASS_1284_NONE)
		ret = -EPROTO;
	return ParclassNtStatusFromErrno(ret);
}

NTSTATUS ParclassIeeeRevToFwdMode(PARCLASS_HANDLE h, uint64_t context)
{
	int ret;

	if (!h)
		return STATUS_INVALID_HANDLE;
	ret = parclass_write_flags(h->fd, context, PARCLASS_WRITE_MODE, NULL, 0,
				   0, NULL);
	pc_lines_reset(h, context, ret);
	return ParclassNtStatusFromErrno(ret);
}

NTSTATUS ParclassParallelRead(PARCLASS_HANDLE h, uint64_t context,
			      void *buffer, uint32_t num_bytes_to_read,
			      uint32_t *num_bytes_read, uint8_t channel)
{
	uint32_t total = 0, chunk, done;
	int ret;

	(void)channel;
	if (num_bytes_read)
		*num_bytes_read = 0;
	if (!h)
		return STATUS_INVALID_HANDLE;
	if (!buffer && num_bytes_to_read)
		return STATUS_INVALID_PARAMETER;
	if (!num_bytes_to_read)
		return ParclassNtStatusFromErrno(pc_holding(h, context));
	/* In the kernel's pieces, until one comes back short. */
	do {
		chunk = num_bytes_to_read - total;
		if (chunk > PARCLASS_READ_MAX)
			chunk = PARCLASS_READ_MAX;
		done = 0;
		ret = parclass_read(h->fd, context, (uint8_t *)buffer + total,
				    chunk, 0, &done);
		total += done > chunk ? chunk : done;
	} while (!ret && done == chunk && total < num_bytes_to_read);
	pc_lines_reset(h, context, ret);
	if (num_bytes_read)
		*num_bytes_read = total;
	return ParclassNtStatusFromErrno(ret);
}

NTSTATUS ParclassParallelWrite(PARCLASS_HANDLE h, uint64_t context,
			       const void *buffer, uint32_t num_bytes_to_write,
			       uint32_t *num_bytes_written, uint8_t channel)
{
	uint32_t written = 0;
	int ret;

	(void)channel;
	if (num_bytes_written)
		*num_bytes_written = 0;
	if (!h)
		return STATUS_INVALID_HANDLE;
	if (!buffer && num_bytes_to_write)
		return STATUS_INVALID_PARAMETER;
	ret = parclass_write_flags(h->fd, context, PARCLASS_WRITE_MODE, buffer,
				   num_bytes_to_write, 0, &written);
	pc_lines_reset(h, context, ret);
	if (num_bytes_written)
		*num_bytes_written = written > num_bytes_to_write ?
				     num_bytes_to_write : written;
	return ParclassNtStatusFromErrno(ret);
}
