// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: the device side of a held port, as Windows' user-mode
 * requests on LPTn see it: the peripheral's status
 * (PAR_QUERY_INFORMATION) and its reset by an nInit pulse
 * (PAR_SET_INFORMATION).
 *
 * Both need the session to hold the port. The status byte follows the
 * predicates of the Windows DDK sample exactly (see parclass_status_byte()).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/mutex.h>
#include <linux/parport.h>

#include "parclass.h"

/* Status register bits, named as the DDK sample reads them. */
#define NBUSY		PARPORT_STATUS_BUSY	/* set: Busy low, not busy */
#define NACK		PARPORT_STATUS_ACK
#define PERROR		PARPORT_STATUS_PAPEROUT
#define SELECT		PARPORT_STATUS_SELECT
#define NFAULT		PARPORT_STATUS_ERROR	/* set: no fault */

/* The shortest nInit low pulse that resets a printer, plus margin. */
#define PARCLASS_INIT_LOW_US	60

/*
 * Are exactly the bits of @set set and the bits of @clear clear in @raw?
 */
static bool parclass_lines(u8 raw, u8 set, u8 clear)
{
	return (raw & (set | clear)) == set;
}

/**
 * parclass_status_byte() - Windows' status byte from the status register
 * @raw: the status register (PARPORT_STATUS_* bits)
 *
 * POWER_OFF when the peripheral looks powered off (nFault and nAck low,
 * Busy low) or the cable is missing (Busy high, every other line high);
 * else PAPER_EMPTY (PError high); else OFF_LINE (nFault high, Busy high,
 * Select low); else NOT_CONNECTED (nFault high, Busy low, Select low).
 * BUSY (Busy high, nFault high) and SELECTED (Select high) are added
 * independently.
 *
 * Return: the PARCLASS_PARALLEL_* bits.
 */
u8 parclass_status_byte(u8 raw)
{
	u8 status = 0;

	if (parclass_lines(raw, NBUSY, NFAULT | NACK) ||
	    parclass_lines(raw, NACK | PERROR | SELECT | NFAULT, NBUSY))
		status = PARCLASS_PARALLEL_POWER_OFF;
	else if (raw & PERROR)
		status = PARCLASS_PARALLEL_PAPER_EMPTY;
	else if (parclass_lines(raw, NFAULT, NBUSY | SELECT))
		status = PARCLASS_PARALLEL_OFF_LINE;
	else if (parclass_lines(raw, NFAULT | NBUSY, SELECT))
		status = PARCLASS_PARALLEL_NOT_CONNECTED;
	if (parclass_lines(raw, NFAULT, NBUSY))
		status |= PARCLASS_PARALLEL_BUSY;
	if (raw & SELECT)
		status |= PARCLASS_PARALLEL_SELECTED;
	return status;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_status_byte);

/**
 * parclass_query_information() - QUERY_INFORMATION: the peripheral's status
 * @s: the session, in use (parclass_session_use())
 * @cmd: out: @status, @raw_status and @raw_control
 *
 * Return: 0, or -EPERM if @s does not hold the port.
 */
int parclass_query_information(struct parclass_session *s,
			       struct parclass_query_information *cmd)
{
	struct parport *port = s->pport->port;
	u8 raw;

	/* FREE waits until the registers are read. */
	if (parclass_read_begin(s))
		return -EPERM;
	raw = parport_read_status(port);
	cmd->raw_control = parport_read_control(port);
	parclass_read_end(s);
	cmd->raw_status = raw;
	cmd->status = parclass_status_byte(raw);
	cmd->__reserved = 0;
	return 0;
}

/**
 * parclass_init_pulse() - SET_INFORMATION: reset the peripheral
 * @s: the session, in use (parclass_session_use())
 *
 * Drives nInit low for PARCLASS_INIT_LOW_US microseconds, then high.
 *
 * Return: 0, -EPERM if @s does not hold the port, -EBUSY while a transfer
 * of @s runs.
 */
int parclass_init_pulse(struct parclass_session *s)
{
	struct parport *port = s->pport->port;
	int ret;

	ret = parclass_xfer_begin(s);
	if (ret)
		return ret;
	/* nInit low means something else in ECP: leave any mode first. */
	parclass_terminate(s);
	parport_frob_control(port, PARPORT_CONTROL_INIT, 0);
	udelay(PARCLASS_INIT_LOW_US);
	parport_frob_control(port, PARPORT_CONTROL_INIT, PARPORT_CONTROL_INIT);
	parclass_xfer_end(s);
	return 0;
}
