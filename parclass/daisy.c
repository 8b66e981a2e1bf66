// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: the IEEE 1284.3 daisy chain, from the port the session holds.
 *
 * Chain devices sit between the port and the peripheral at the end of
 * the cable and listen for command packets in compatibility mode: the
 * data bytes AA 55 00 FF 87 78, then a command byte latched by an
 * nStrobe pulse, then FF. After FF every chain device on the cable
 * drives the status lines to Busy low with PError, Select and nFault
 * high; after 87, Busy high with Select and nFault high and PError low.
 * While nStrobe is low the addressed device answers the command on
 * nFault.
 *
 * The parport core numbers the chain when the port is registered, and
 * selects a chain pardevice's device whenever it claims the port for it
 * (a session connected to a chain device has such a pardevice), but does
 * not export its routines nor report a failed select. The ones below send
 * the same packets through the session's own pardevice, which holds the
 * port, so they never wait for it, and check the answers.
 *
 * Windows' port requests on top: INIT_1284_3_BUS (DAISY_INIT),
 * SELECT_DEVICE and DESELECT_DEVICE, with HAVE_PORT_KEEP_PORT.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/parport.h>

#include "parclass.h"

/* 1284.3 commands. */
#define PARCLASS_CPP_DESELECT_ALL	0x30
#define PARCLASS_CPP_SELECT_COMPAT	0xe0

/* The status lines the chain drives during a packet's preamble. */
#define PARCLASS_CPP_LINES \
	(PARPORT_STATUS_BUSY | PARPORT_STATUS_PAPEROUT | \
	 PARPORT_STATUS_SELECT | PARPORT_STATUS_ERROR)

/* Data lines settle, and chain devices see them, within this time. */
#define PARCLASS_CPP_SETTLE_US		2

/* Windows tries a select this many times, a few microseconds apart. */
#define PARCLASS_CPP_SELECT_TRIES	5
#define PARCLASS_CPP_RETRY_US		5

static void parclass_cpp_byte(struct parport *port, u8 byte)
{
	parport_write_data(port, byte);
	udelay(PARCLASS_CPP_SETTLE_US);
}

/*
 * The packet's prefix up to command mode: true when a chain answered it,
 * else the data lines are left idle (FF) and false.
 */
static bool parclass_cpp_prefix(struct parport *port)
{
	static const u8 preamble[] = { 0xaa, 0x55, 0x00, 0xff };
	unsigned int i;

	parport_data_forward(port);
	for (i = 0; i < ARRAY_SIZE(preamble); i++)
		parclass_cpp_byte(port, preamble[i]);
	/* Busy low (the register's bit set) with PError, Select, nFault high. */
	if ((parport_read_status(port) & PARCLASS_CPP_LINES) !=
	    PARCLASS_CPP_LINES)
		goto no_chain;
	parclass_cpp_byte(port, 0x87);
	if ((parport_read_status(port) & PARCLASS_CPP_LINES) !=
	    (PARPORT_STATUS_SELECT | PARPORT_STATUS_ERROR))
		goto no_chain;
	parclass_cpp_byte(port, 0x78);
	return true;

no_chain:
	/* Leave the data lines idle, as the end of a packet does. */
	parclass_cpp_byte(port, 0xff);
	return false;
}

/* Latch the byte on the data lines; the status lines while it is latched. */
static u8 parclass_cpp_strobe(struct parport *port, u8 byte)
{
	u8 status;

	parclass_cpp_byte(port, byte);
	parport_frob_control(port, PARPORT_CONTROL_STROBE,
			     PARPORT_CONTROL_STROBE);
	udelay(1);
	status = parport_read_status(port);
	parport_frob_control(port, PARPORT_CONTROL_STROBE, 0);
	udelay(1);
	return status;
}

/*
 * Send one command packet. Returns the status lines read while nStrobe
 * latched @cmd, or -ENXIO when no chain device answers the preamble.
 */
static int parclass_cpp_command(struct parport *port, u8 cmd)
{
	u8 status;

	if (!parclass_cpp_prefix(port))
		return -ENXIO;
	status = parclass_cpp_strobe(port, cmd);
	parclass_cpp_byte(port, 0xff);
	return status;
}

/**
 * parclass_daisy_select() - select one chain device for compatibility
 *	mode and everything negotiated from it
 * @port: the port, held by the caller's session, in compatibility mode
 * @addr: the device's address, below PARCLASS_DAISY_MAX
 *
 * Tries up to PARCLASS_CPP_SELECT_TRIES times, as Windows does.
 *
 * Return: 0, or -ENXIO if there is no chain or no device answered.
 */
int parclass_daisy_select(struct parport *port, unsigned int addr)
{
	unsigned int i;
	int status;

	for (i = 0; i < PARCLASS_CPP_SELECT_TRIES; i++) {
		if (i)
			udelay(PARCLASS_CPP_RETRY_US);
		status = parclass_cpp_command(port,
					      PARCLASS_CPP_SELECT_COMPAT | addr);
		/* The addressed device answers with nFault high. */
		if (status >= 0 && (status & PARPORT_STATUS_ERROR))
			return 0;
	}
	return -ENXIO;
}

/**
 * parclass_daisy_deselect_all() - deselect every chain device
 * @port: the port, held by the caller's session, in compatibility mode
 */
void parclass_daisy_deselect_all(struct parport *port)
{
	parclass_cpp_command(port, PARCLASS_CPP_DESELECT_ALL);
}

/**
 * parclass_daisy_restore() - after a request addressed some chain device,
 *	address the session's own again
 * @s: the session, holding the port, in a transfer, in compatibility mode
 *
 * A session connected to a chain device gets that device selected again;
 * any other session leaves the chain deselected.
 */
void parclass_daisy_restore(struct parclass_session *s)
{
	struct parport *port = s->pport->port;

	if (s->daisy < 0 || parclass_daisy_select(port, s->daisy))
		parclass_daisy_deselect_all(port);
	s->daisy_selected = false;
}

/**
 * parclass_daisy_deselect() - leave any IEEE 1284 mode and deselect every
 *	chain device
 * @s: the session, holding the port, in a transfer
 */
void parclass_daisy_deselect(struct parclass_session *s)
{
	parclass_terminate(s);
	parclass_daisy_deselect_all(s->pport->port);
	s->daisy_selected = false;
}

/**
 * parclass_daisy_release() - the session lets the port go: deselect what
 *	SELECT_DEVICE selected
 * @s: the session, holding the port, in a transfer or being torn down
 *
 * The parport core deselects a chain device's session's device itself at
 * release; a device another session selected with SELECT_DEVICE would
 * stay selected, and the next holder's bytes would go to it.
 */
void parclass_daisy_release(struct parclass_session *s)
{
	if (s->daisy_selected)
		parclass_daisy_deselect(s);
}

/**
 * parclass_daisy_assign() - number the chain devices 0, 1, ... in cable
 *	order (IEEE 1284.3 Assign Address)
 * @port: the port, claimed by the caller, in compatibility mode
 *
 * In command mode each chain device not yet numbered shows PError and
 * Select high; each strobed byte 0x00-0x0f gives the next one its
 * address. Leaves every device deselected.
 *
 * Return: the number of devices that took an address, 0 to
 * PARCLASS_DAISY_MAX.
 */
unsigned int parclass_daisy_assign(struct parport *port)
{
	const u8 next = PARPORT_STATUS_PAPEROUT | PARPORT_STATUS_SELECT;
	unsigned int n = 0;
	u8 status;

	if (!parclass_cpp_prefix(port))
		return 0;
	status = parport_read_status(port);
	while (n < PARCLASS_DAISY_MAX && (status & next) == next) {
		parclass_cpp_strobe(port, n);
		n++;
		status = parport_read_status(port);
	}
	parclass_cpp_byte(port, 0xff);
	parclass_daisy_deselect_all(port);
	return n;
}

/**
 * parclass_daisy_init() - DAISY_INIT: address the chain again
 * @s: the session, in use (parclass_session_use())
 * @count: out: the devices found
 *
 * Return: 0, -EPERM if @s does not hold the port, -EBUSY while a transfer
 * of @s runs.
 */
int parclass_daisy_init(struct parclass_session *s, u32 *count)
{
	unsigned int n;
	int ret;

	ret = parclass_xfer_begin(s);
	if (ret)
		return ret;
	parclass_terminate(s);
	n = parclass_daisy_assign(s->pport->port);
	s->daisy_selected = false;
	WRITE_ONCE(s->pport->daisy_count, n);
	if (s->daisy >= 0 && s->daisy < n)
		parclass_daisy_restore(s);
	parclass_xfer_end(s);
	*count = n;
	return 0;
}

/**
 * parclass_daisy_take() - allocate the port unless @keep, then select a
 *	chain device (SELECT_DEVICE, LOCK)
 * @s: the session, in use (parclass_session_use())
 * @device: the chain device, or PARCLASS_DAISY_END_OF_CHAIN to deselect
 *	the chain
 * @keep: @s holds the port already, and keeps it whatever happens
 * @timeout_ns: the longest wait for the port, 0 for none
 *
 * Without @keep, a select that fails frees the port again, in the same
 * transfer, so that no other thread of @s can come in between.
 *
 * Return: 0, -ENXIO (no answer), or what parclass_allocate() and
 * parclass_xfer_begin() return.
 */
int parclass_daisy_take(struct parclass_session *s, u32 device, bool keep,
			u64 timeout_ns)
{
	int ret;

	if (!keep) {
		ret = parclass_allocate(s, 0, timeout_ns);
		if (ret)
			return ret;
	}
	ret = parclass_xfer_begin(s);
	if (ret)
		return ret;
	if (device == PARCLASS_DAISY_END_OF_CHAIN) {
		parclass_daisy_deselect(s);
	} else {
		parclass_terminate(s);
		ret = parclass_daisy_select(s->pport->port, device);
		s->daisy_selected = !ret;
	}
	if (ret && !keep)
		parclass_free_in_xfer(s);
	else
		parclass_xfer_end(s);
	return ret;
}

/**
 * parclass_select_device() - SELECT_DEVICE: allocate, then select
 * @s: the session, in use (parclass_session_use())
 * @cmd: the request, validated
 *
 * Return: 0, -EINVAL (no such device), or what parclass_daisy_take()
 * returns.
 */
int parclass_select_device(struct parclass_session *s,
			   const struct parclass_select *cmd)
{
	if (cmd->device != PARCLASS_DAISY_END_OF_CHAIN &&
	    cmd->device >= READ_ONCE(s->pport->daisy_count))
		return -EINVAL;
	return parclass_daisy_take(s, cmd->device,
				   cmd->flags & PARCLASS_SELECT_KEEP_PORT,
				   cmd->timeout_ns);
}

/**
 * parclass_deselect_device() - DESELECT_DEVICE: deselect, then free
 * @s: the session, in use (parclass_session_use())
 * @flags: PARCLASS_SELECT_* bits
 *
 * Return: 0, -EPERM if @s does not hold the port, -EBUSY while a transfer
 * of @s runs.
 */
int parclass_deselect_device(struct parclass_session *s, u32 flags)
{
	int ret;

	ret = parclass_xfer_begin(s);
	if (ret)
		return ret;
	parclass_daisy_deselect(s);
	if (flags & PARCLASS_SELECT_KEEP_PORT) {
		parclass_xfer_end(s);
		return 0;
	}
	return parclass_free_in_xfer(s);
}
