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
 * The parport core numbers the chain when the port is registered and
 * has its own select and deselect routines, but does not export them;
 * the ones below send the same packets through the session's own
 * pardevice, which holds the port, so they never wait for it.
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

static void parclass_cpp_byte(struct parport *port, u8 byte)
{
	parport_write_data(port, byte);
	udelay(PARCLASS_CPP_SETTLE_US);
}

/*
 * Send one command packet. Returns the status lines read while nStrobe
 * latched @cmd, or -ENXIO when no chain device answers the preamble.
 */
static int parclass_cpp_command(struct parport *port, u8 cmd)
{
	static const u8 preamble[] = { 0xaa, 0x55, 0x00, 0xff };
	unsigned int i;
	u8 status;

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
	parclass_cpp_byte(port, cmd);
	parport_frob_control(port, PARPORT_CONTROL_STROBE,
			     PARPORT_CONTROL_STROBE);
	udelay(1);
	status = parport_read_status(port);
	parport_frob_control(port, PARPORT_CONTROL_STROBE, 0);
	udelay(1);
	parclass_cpp_byte(port, 0xff);
	return status;

no_chain:
	/* Leave the data lines idle, as the end of a packet does. */
	parclass_cpp_byte(port, 0xff);
	return -ENXIO;
}

/**
 * parclass_daisy_select() - select one chain device for compatibility
 *	mode and everything negotiated from it
 * @port: the port, held by the caller's session, in compatibility mode
 * @addr: the device's address, below PARCLASS_DAISY_MAX
 *
 * Return: 0, or -ENXIO if there is no chain or no device answered.
 */
int parclass_daisy_select(struct parport *port, unsigned int addr)
{
	int status = parclass_cpp_command(port,
					  PARCLASS_CPP_SELECT_COMPAT | addr);

	if (status < 0)
		return status;
	/* The addressed device answers with nFault high. */
	return status & PARPORT_STATUS_ERROR ? 0 : -ENXIO;
}

/**
 * parclass_daisy_deselect_all() - deselect every chain device
 * @port: the port, held by the caller's session, in compatibility mode
 */
void parclass_daisy_deselect_all(struct parport *port)
{
	parclass_cpp_command(port, PARCLASS_CPP_DESELECT_ALL);
}
