// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: a session's IEEE 1284 modes (Windows IEEE1284_NEGOTIATE,
 * IEEE1284_GET_MODE, the NegotiateIeeeMode and TerminateIeeeMode
 * routines, ParallelRead).
 *
 * NEGOTIATE picks, in each of the caller's masks, the fastest mode that
 * the port, the peripheral and parclass can do, and makes it the
 * session's read or write mode. The port itself is in one mode at a
 * time: READ enters the read mode when the port is in another (after a
 * WRITE, which runs in compatibility mode, or a new ALLOCATE), so a
 * session may read in nibble mode and print in compatibility mode as
 * Windows clients do. FREE, DISCONNECT and close() terminate an active
 * mode (port.c), so the next holder of the port finds compatibility mode.
 *
 * Every handshake is parclass's own (negotiate.c, reverse.c): the port
 * is never released and a request ends at once when its session is
 * disconnected, the port removed or a signal arrives.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/kernel.h>
#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/parport.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "parclass.h"
#include "trace.h"

/* Bytes read into the kernel, then copied out, at a time. */
#define PARCLASS_READ_CHUNK		4096

/* Modes only the host sends in, and only the peripheral sends in. */
#define PARCLASS_1284_WRITE_ONLY \
	(PARCLASS_1284_CENTRONICS | PARCLASS_1284_IEEE_COMPAT)
#define PARCLASS_1284_READ_ONLY \
	(PARCLASS_1284_NIBBLE | PARCLASS_1284_CHANNEL_NIBBLE | \
	 PARCLASS_1284_BYTE_BIDIR)

/*
 * Every Windows mode bit with its parport mode, fastest first within
 * each direction (Windows' order: ECP, hardware before software, then
 * EPP, then byte, channel nibble and nibble for reading; compatibility
 * for writing).
 */
static const struct parclass_1284_mode {
	u32 bit;
	int mode;
} parclass_1284_modes[] = {
	{ PARCLASS_1284_ECP_HW_IRQ, IEEE1284_MODE_ECP },
	{ PARCLASS_1284_ECP_HW_NOIRQ, IEEE1284_MODE_ECP },
	{ PARCLASS_1284_ECP_SW, IEEE1284_MODE_ECPSWE },
	{ PARCLASS_1284_BOUNDED_ECP, IEEE1284_MODE_BECP },
	{ PARCLASS_1284_EPP_HW, IEEE1284_MODE_EPP },
	{ PARCLASS_1284_EPP_SW, IEEE1284_MODE_EPPSWE },
	{ PARCLASS_1284_BYTE_BIDIR, IEEE1284_MODE_BYTE },
	{ PARCLASS_1284_CHANNEL_NIBBLE, IEEE1284_MODE_NIBBLE },
	{ PARCLASS_1284_NIBBLE, IEEE1284_MODE_NIBBLE },
	{ PARCLASS_1284_IEEE_COMPAT, IEEE1284_MODE_COMPAT },
	{ PARCLASS_1284_CENTRONICS, IEEE1284_MODE_COMPAT },
};

/**
 * parclass_1284_to_linux() - the parport mode of a Windows mode bit
 * @bit: one PARCLASS_1284_* bit
 *
 * Return: the IEEE1284_MODE_* value, or -1 if @bit is not one mode bit.
 */
int parclass_1284_to_linux(u32 bit)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(parclass_1284_modes); i++)
		if (parclass_1284_modes[i].bit == bit)
			return parclass_1284_modes[i].mode;
	return -1;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_1284_to_linux);

/**
 * parclass_1284_from_linux() - the Windows mode bits of a parport mode
 * @mode: an IEEE1284_MODE_* value, without IEEE1284_DEVICEID or
 *	IEEE1284_ADDR
 *
 * Return: every PARCLASS_1284_* bit that stands for @mode (compatibility
 * mode is both CENTRONICS and IEEE_COMPAT), or %PARCLASS_1284_NONE.
 */
u32 parclass_1284_from_linux(int mode)
{
	unsigned int i;
	u32 bits = 0;

	for (i = 0; i < ARRAY_SIZE(parclass_1284_modes); i++)
		if (parclass_1284_modes[i].mode == mode)
			bits |= parclass_1284_modes[i].bit;
	/* Channel nibble is nibble mode, but nothing enters it as such. */
	return bits & ~PARCLASS_1284_CHANNEL_NIBBLE;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_1284_from_linux);

/**
 * parclass_1284_masks_valid() - may these masks be negotiated?
 * @read_mask: the read modes asked for
 * @write_mask: the write modes asked for
 *
 * Return: true if both masks hold only mode bits, and each only modes of
 * its direction.
 */
bool parclass_1284_masks_valid(u32 read_mask, u32 write_mask)
{
	return !((read_mask | write_mask) & ~PARCLASS_1284_ALL) &&
	       !(read_mask & PARCLASS_1284_WRITE_ONLY) &&
	       !(write_mask & PARCLASS_1284_READ_ONLY);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_1284_masks_valid);

/**
 * parclass_1284_reachable() - can parclass enter a mode on a port?
 * @bit: one PARCLASS_1284_* bit
 * @port_modes: the port's PARPORT_MODE_* capabilities
 *
 * parclass runs every handshake in software and does not drive the
 * chips' ECP FIFO or EPP registers: compatibility and nibble mode work on
 * any port; byte mode, ECP and EPP in software need a port whose data
 * lines can turn round.
 *
 * Return: true if parclass can run @bit on such a port.
 */
bool parclass_1284_reachable(u32 bit, unsigned int port_modes)
{
	switch (bit) {
	case PARCLASS_1284_CENTRONICS:
	case PARCLASS_1284_IEEE_COMPAT:
	case PARCLASS_1284_NIBBLE:
		return true;
	case PARCLASS_1284_BYTE_BIDIR:
	case PARCLASS_1284_ECP_SW:
	case PARCLASS_1284_EPP_SW:
		return port_modes & PARPORT_MODE_TRISTATE;
	}
	return false;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_1284_reachable);

/* The session's modes, as GET_MODE reports them. */
static void parclass_set_modes(struct parclass_session *s, u32 read_mode,
			       u32 write_mode)
{
	unsigned long flags;

	spin_lock_irqsave(&s->pport->lock, flags);
	s->read_mode = read_mode;
	s->write_mode = write_mode;
	spin_unlock_irqrestore(&s->pport->lock, flags);
}

/* Is the port, in parport mode @mode, in the mode Windows calls @bit? */
static bool parclass_in_mode(int mode, u32 bit)
{
	if (bit == PARCLASS_1284_ECP_SW && mode == IEEE1284_MODE_ECPRLE)
		return true;
	return mode == parclass_1284_to_linux(bit);
}

/**
 * parclass_enter() - put the port in a mode
 * @s: the session, holding the port and in a transfer
 * @bit: a reachable PARCLASS_1284_* mode bit
 *
 * ECP is asked for with run-length encoding first, which the peripheral
 * may decline.
 *
 * Return: 0, -EIO, -EOPNOTSUPP or why the transfer was ended, as
 * parclass_negotiate().
 */
int parclass_enter(struct parclass_session *s, u32 bit)
{
	int mode = s->pport->port->physport->ieee1284.mode;
	int ret;

	if (parclass_in_mode(mode, bit))
		return 0;
	if (bit == PARCLASS_1284_ECP_SW) {
		ret = parclass_negotiate(s, IEEE1284_MODE_ECPRLE);
		if (ret != -EOPNOTSUPP)
			return ret;
	}
	return parclass_negotiate(s, parclass_1284_to_linux(bit));
}

/*
 * Find the fastest reachable mode in @mask and enter it; *@bit gets it.
 * Compatibility mode needs no negotiation. 0, or -EIO (no negotiation
 * answered), -EOPNOTSUPP (none taken), or why the transfer was ended.
 */
static int parclass_negotiate_best(struct parclass_session *s, u32 mask,
				   u32 *bit)
{
	unsigned int port_modes = s->pport->port->modes;
	bool answered = false, silent = false;
	unsigned int i;
	int ret;

	*bit = PARCLASS_1284_NONE;
	for (i = 0; i < ARRAY_SIZE(parclass_1284_modes); i++) {
		const struct parclass_1284_mode *m = &parclass_1284_modes[i];

		if (!(mask & m->bit) || !parclass_1284_reachable(m->bit, port_modes))
			continue;
		if (m->mode == IEEE1284_MODE_COMPAT) {
			*bit = m->bit;
			return 0;
		}
		/* Not an IEEE 1284 peripheral: no other mode will do. */
		if (silent)
			continue;
		ret = parclass_enter(s, m->bit);
		if (!ret) {
			*bit = m->bit;
			return 0;
		}
		if (ret == -EIO)
			silent = true;
		else if (ret == -EOPNOTSUPP)
			answered = true;
		else
			return ret;
	}
	return silent && !answered ? -EIO : -EOPNOTSUPP;
}

/**
 * parclass_mode_negotiate() - NEGOTIATE: the fastest modes in common
 * @s: the session, in use (parclass_session_use())
 * @cmd: the request, its masks checked; @read_mode and @write_mode are
 *	set on success
 *
 * Return: 0, or -EPROTO, -EIO, -EOPNOTSUPP, -EPERM, -EBUSY, -ESTALE,
 * -ENODEV or -EINTR.
 */
int parclass_mode_negotiate(struct parclass_session *s,
			    struct parclass_negotiate *cmd)
{
	struct parport *port;
	u32 read_bit = PARCLASS_1284_NONE, write_bit = PARCLASS_1284_NONE;
	int ret;

	ret = parclass_xfer_begin(s);
	if (ret)
		return ret;
	port = s->pport->port;
	if ((cmd->flags & PARCLASS_NEGOTIATE_KEEP) &&
	    port->physport->ieee1284.mode != IEEE1284_MODE_COMPAT) {
		ret = -EPROTO;
		goto out;
	}
	parclass_terminate(s);
	s->ecp_run_left = 0;

	/* Writing first, so that the port is left in the read mode. */
	if (cmd->write_mask)
		ret = parclass_negotiate_best(s, cmd->write_mask, &write_bit);
	if (!ret && cmd->read_mask)
		ret = parclass_negotiate_best(s, cmd->read_mask, &read_bit);
	if (ret) {
		parclass_terminate(s);
		parclass_set_modes(s, PARCLASS_1284_NONE,
				   PARCLASS_1284_CENTRONICS);
		goto out;
	}
	parclass_set_modes(s, read_bit, write_bit);
	cmd->read_mode = read_bit;
	cmd->write_mode = write_bit;
out:
	parclass_xfer_end(s);
	return ret;
}

/**
 * parclass_mode_terminate() - TERMINATE: back to compatibility mode
 * @s: the session, in use (parclass_session_use())
 *
 * Return: 0, or -EPERM, -EBUSY, -ESTALE, -ENODEV or -EINTR.
 */
int parclass_mode_terminate(struct parclass_session *s)
{
	int ret = parclass_xfer_begin(s);

	if (ret)
		return ret;
	parclass_terminate(s);
	s->ecp_run_left = 0;
	parclass_set_modes(s, PARCLASS_1284_NONE, PARCLASS_1284_CENTRONICS);
	/* The lines went back either way; say if it was cut short. */
	ret = parclass_xfer_stop(s);
	parclass_xfer_end(s);
	return ret;
}

/**
 * parclass_mode_get() - GET_MODE: the session's modes
 * @s: the session, in use (parclass_session_use())
 * @cmd: out: @read_mode and @write_mode
 */
void parclass_mode_get(struct parclass_session *s, struct parclass_mode *cmd)
{
	unsigned long flags;

	spin_lock_irqsave(&s->pport->lock, flags);
	cmd->read_mode = s->read_mode;
	cmd->write_mode = s->write_mode;
	spin_unlock_irqrestore(&s->pport->lock, flags);
}

/**
 * parclass_mode_of() - the session's mode for a direction
 * @s: the session
 * @direction: %PARCLASS_ADDRESS_READ or %PARCLASS_ADDRESS_WRITE
 *
 * Return: the session's read or write mode, a PARCLASS_1284_* bit or
 * %PARCLASS_1284_NONE, read under the port lock.
 */
u32 parclass_mode_of(struct parclass_session *s, u32 direction)
{
	unsigned long flags;
	u32 bit;

	spin_lock_irqsave(&s->pport->lock, flags);
	bit = direction == PARCLASS_ADDRESS_READ ? s->read_mode : s->write_mode;
	spin_unlock_irqrestore(&s->pport->lock, flags);
	return bit;
}

/*
 * Read in the session's read mode @bit, entering it if need be, into
 * @kbuf (@len bytes). What is left of an ECP run comes first.
 */
static int parclass_read_in_mode(struct parclass_session *s, u32 bit,
				 u8 *kbuf, u32 len, ktime_t step, u32 *done)
{
	size_t chunk, got;
	int ret;

	*done = parclass_ecp_run_out(s, kbuf, len);
	if (*done == len)
		return 0;
	ret = parclass_enter(s, bit);
	if (ret)
		return ret == -EOPNOTSUPP ? -EIO : ret;
	if (bit == PARCLASS_1284_ECP_SW || bit == PARCLASS_1284_EPP_SW) {
		ret = parclass_address_ensure(s, bit, true, step);
		if (ret)
			return ret;
	}
	while (*done < len) {
		chunk = min_t(size_t, len - *done, PARCLASS_READ_CHUNK);
		switch (bit) {
		case PARCLASS_1284_BYTE_BIDIR:
			got = parclass_byte_in(s, kbuf + *done, chunk, step,
					       &ret);
			break;
		case PARCLASS_1284_ECP_SW:
			got = parclass_ecp_in(s, kbuf + *done, chunk, step,
					      &ret);
			break;
		case PARCLASS_1284_EPP_SW:
			got = parclass_epp_in(s, kbuf + *done, chunk, false,
					      step, &ret);
			break;
		default:
			got = parclass_nibble_in(s, kbuf + *done, chunk, step,
						 &ret);
			break;
		}
		*done += got;
		if (ret || got < chunk)
			break;
	}
	return ret;
}

/**
 * parclass_mode_read() - READ: bytes from the peripheral
 * @s: the session, in use (parclass_session_use())
 * @cmd: the request, its length checked; @done is set, also on error
 * @kbuf: out: a buffer (kvfree() it) with @cmd->done bytes, or NULL. The
 *	caller copies them out once it no longer uses @s, so that a page
 *	fault in user memory never holds up the port's removal.
 *
 * Return: 0 (@done may be short), or -EPROTO, -EIO, -EPERM, -EBUSY,
 * -ESTALE, -ENODEV, -EINTR, -ETIMEDOUT or -ENOMEM.
 */
int parclass_mode_read(struct parclass_session *s, struct parclass_read *cmd,
		       u8 **kbuf)
{
	ktime_t step;
	u32 bit;
	int ret;

	cmd->done = 0;
	*kbuf = kvmalloc(cmd->length, GFP_KERNEL_ACCOUNT);
	if (!*kbuf)
		return -ENOMEM;
	ret = parclass_xfer_begin(s);
	if (ret)
		return ret;
	trace_parclass_xfer_start(s, PARCLASS_XFER_READ, cmd->length);

	bit = parclass_mode_of(s, PARCLASS_ADDRESS_READ);
	step = parclass_step_timeout(s, cmd->timeout_ns);

	if (bit == PARCLASS_1284_NONE)
		ret = -EPROTO;
	else
		ret = parclass_read_in_mode(s, bit, *kbuf, cmd->length, step,
					    &cmd->done);
	atomic64_add(cmd->done, &s->bytes);
	trace_parclass_xfer_end(s, PARCLASS_XFER_READ, cmd->length, cmd->done,
				ret);
	parclass_xfer_end(s);
	return ret;
}

/* Send @addr at once in mode @bit (ECP channel command, EPP address). */
static int parclass_address_send(struct parclass_session *s, u32 bit,
				 u8 addr, ktime_t step)
{
	u8 byte;
	int ret;

	if (bit == PARCLASS_1284_ECP_SW) {
		byte = 0x80 | addr;
		parclass_ecp_out(s, &byte, 1, true, step, &ret);
	} else {
		parclass_epp_out(s, &addr, 1, true, step, &ret);
	}
	s->wire_addr = ret ? -1 : addr;
	return ret;
}

/**
 * parclass_address_ensure() - the direction's address on the wire
 * @s: the session, in a transfer, the port in mode @bit
 * @bit: %PARCLASS_1284_ECP_SW or %PARCLASS_1284_EPP_SW
 * @read: for a read (else a write)
 * @step: how long the peripheral may take over a step
 *
 * Only one channel is in effect at a time, and a new negotiation resets
 * it: before a transfer, the address set for its direction goes out
 * again unless it is the one last sent in this mode.
 *
 * Return: 0, or why the address could not be sent.
 */
int parclass_address_ensure(struct parclass_session *s, u32 bit, bool read,
			    ktime_t step)
{
	unsigned long flags;
	bool set;
	u8 addr;

	spin_lock_irqsave(&s->pport->lock, flags);
	set = read ? s->read_addr_set : s->write_addr_set;
	addr = read ? s->read_addr : s->write_addr;
	spin_unlock_irqrestore(&s->pport->lock, flags);
	if (!set || s->wire_addr == addr)
		return 0;
	return parclass_address_send(s, bit, addr, step);
}

/**
 * parclass_mode_address() - ADDRESS: set or report a channel address
 * @s: the session, in use (parclass_session_use())
 * @cmd: the request, @direction checked; @address is set when reporting
 *
 * Return: 0, or -EINVAL, -EPROTO, -EIO, -ETIMEDOUT, -EPERM, -EBUSY,
 * -ESTALE, -ENODEV or -EINTR.
 */
int parclass_mode_address(struct parclass_session *s,
			  struct parclass_address *cmd)
{
	bool read = cmd->direction == PARCLASS_ADDRESS_READ;
	unsigned long flags;
	ktime_t step;
	u32 bit;
	int ret;

	if (!(cmd->flags & PARCLASS_ADDRESS_SET)) {
		spin_lock_irqsave(&s->pport->lock, flags);
		cmd->address = read ? s->read_addr : s->write_addr;
		spin_unlock_irqrestore(&s->pport->lock, flags);
		return 0;
	}

	ret = parclass_xfer_begin(s);
	if (ret)
		return ret;
	/* In the transfer, no NEGOTIATE can change the mode under us. */
	bit = parclass_mode_of(s, cmd->direction);
	if (bit != PARCLASS_1284_ECP_SW && bit != PARCLASS_1284_EPP_SW)
		ret = -EPROTO;
	else if (bit == PARCLASS_1284_ECP_SW &&
		 cmd->address > PARCLASS_ECP_CHANNEL_MAX)
		ret = -EINVAL;
	if (ret)
		goto out;

	step = parclass_step_timeout(s, 0);
	ret = parclass_enter(s, bit);
	if (ret == -EOPNOTSUPP)
		ret = -EIO;
	if (!ret)
		ret = parclass_address_send(s, bit, cmd->address, step);
	if (!ret) {
		spin_lock_irqsave(&s->pport->lock, flags);
		if (read) {
			s->read_addr = cmd->address;
			s->read_addr_set = true;
		} else {
			s->write_addr = cmd->address;
			s->write_addr_set = true;
		}
		spin_unlock_irqrestore(&s->pport->lock, flags);
	}
out:
	parclass_xfer_end(s);
	return ret;
}

/**
 * parclass_mode_host_recovery() - HOST_RECOVERY: the setting
 * @s: the session, in use (parclass_session_use())
 * @cmd: the request, checked; @enabled is set when reporting
 */
void parclass_mode_host_recovery(struct parclass_session *s,
				 struct parclass_host_recovery *cmd)
{
	unsigned long flags;

	spin_lock_irqsave(&s->pport->lock, flags);
	if (cmd->flags & PARCLASS_HOST_RECOVERY_SET)
		s->host_recovery = cmd->enabled;
	else
		cmd->enabled = s->host_recovery;
	spin_unlock_irqrestore(&s->pport->lock, flags);
}

/**
 * parclass_mode_ping() - PING: terminate and negotiate again
 * @s: the session, in use (parclass_session_use())
 *
 * Return: 0 if the peripheral answered, or -EIO, -EOPNOTSUPP, -EPERM,
 * -EBUSY, -ESTALE, -ENODEV or -EINTR.
 */
int parclass_mode_ping(struct parclass_session *s)
{
	u32 bit = parclass_mode_of(s, PARCLASS_ADDRESS_READ);
	int ret;

	if (bit == PARCLASS_1284_NONE) {
		bit = parclass_mode_of(s, PARCLASS_ADDRESS_WRITE);
		if (bit != PARCLASS_1284_ECP_SW && bit != PARCLASS_1284_EPP_SW)
			bit = PARCLASS_1284_NONE;
	}
	ret = parclass_xfer_begin(s);
	if (ret)
		return ret;
	parclass_terminate(s);
	ret = parclass_enter(s, bit ?: PARCLASS_1284_NIBBLE);
	if (!bit)
		parclass_terminate(s);
	parclass_xfer_end(s);
	return ret;
}

/**
 * parclass_mode_probe() - PROBE: the modes the peripheral accepts
 * @s: the session, in use (parclass_session_use())
 * @cmd: the request, @exclude checked; @modes is set
 *
 * Return: 0, or -EPERM, -EBUSY, -ESTALE, -ENODEV or -EINTR.
 */
int parclass_mode_probe(struct parclass_session *s, struct parclass_probe *cmd)
{
	unsigned int port_modes = s->pport->port->modes;
	u32 modes = 0, ieee = 0;
	unsigned int i;
	int ret;

	ret = parclass_xfer_begin(s);
	if (ret)
		return ret;
	parclass_terminate(s);
	for (i = 0; i < ARRAY_SIZE(parclass_1284_modes); i++) {
		const struct parclass_1284_mode *m = &parclass_1284_modes[i];

		if ((cmd->exclude & m->bit) || m->mode == IEEE1284_MODE_COMPAT ||
		    !parclass_1284_reachable(m->bit, port_modes))
			continue;
		ret = parclass_enter(s, m->bit);
		if (!ret)
			modes |= m->bit;
		if (!ret || ret == -EOPNOTSUPP) {
			/* It answered: an IEEE 1284 peripheral. */
			ieee = PARCLASS_1284_IEEE_COMPAT;
			ret = 0;
			continue;
		}
		if (ret == -EIO) {
			/* No answer: no other mode will do either. */
			ret = 0;
			break;
		}
		break;
	}
	parclass_terminate(s);
	if (!ret)
		cmd->modes = (modes | PARCLASS_1284_CENTRONICS | ieee) &
			     ~cmd->exclude;
	parclass_xfer_end(s);
	return ret;
}
