// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: the reverse channel, peripheral to host, on a held port in
 * nibble or byte mode (IEEE 1284 events 7 to 17).
 *
 * These are parclass's own loops, not the parport core's
 * parport_ieee1284_read_nibble() and _read_byte(): every wait is
 * parclass_wait_status(), which sleeps on the session's wait queue, so
 * DISCONNECT, the port's removal and signals end a read at once; and
 * nothing here releases the port. A peripheral with no more data
 * (nDataAvail, that is nFault, high) ends a read at once, with what was
 * read: a read never waits for data to come.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/parport.h>

#include "parclass.h"

/* Byte mode: how long nStrobe (HostAck) stays low at event 16. */
#define PARCLASS_BYTE_ACK_US		5

/*
 * Wait for nAck to read @ack_high, for at most @step. 0, -ETIMEDOUT, or
 * why the transfer was ended.
 */
static int parclass_ack_step(struct parclass_session *s, bool ack_high,
			     ktime_t step)
{
	return parclass_wait_status(s, PARPORT_STATUS_ACK,
				    ack_high ? PARPORT_STATUS_ACK : 0,
				    step, 0, 0);
}

/*
 * The four status lines carry a nibble: nFault bit 0, Select bit 1,
 * PError bit 2, Busy bit 3 (the register reads Busy inverted).
 */
static u8 parclass_status_nibble(u8 status)
{
	return ((status >> 3) & 0x07) | (status & PARPORT_STATUS_BUSY ? 0 : 8);
}

/*
 * Before a byte, with data available (nDataAvail low): from reverse idle,
 * where the peripheral signalled the data (events 18-19), event 20, host
 * busy (nAutoFd high), so that event 7 is an edge the peripheral sees.
 */
static void parclass_reverse_wake(struct parport *port)
{
	struct ieee1284_info *info = &port->physport->ieee1284;

	if (info->phase != IEEE1284_PH_REV_IDLE)
		return;
	parport_frob_control(port, PARPORT_CONTROL_AUTOFD, 0);
	info->phase = IEEE1284_PH_HBUSY_DAVAIL;
}

/*
 * A read stopped in the middle of a byte: the two sides no longer agree
 * where they are, so the mode ends; the next read negotiates it again.
 * A missed step (-ETIMEDOUT) ends the read like the end of the data.
 */
static void parclass_reverse_stopped(struct parclass_session *s, int *err)
{
	parclass_terminate(s);
	if (*err == -ETIMEDOUT)
		*err = 0;
}

/*
 * The end of a read: reverse idle (nAutoFd low) if the peripheral has no
 * more data, else host busy with data available (nAutoFd high).
 */
static void parclass_reverse_end(struct parport *port)
{
	struct ieee1284_info *info = &port->physport->ieee1284;

	if (parport_read_status(port) & PARPORT_STATUS_ERROR) {
		parport_frob_control(port, PARPORT_CONTROL_AUTOFD,
				     PARPORT_CONTROL_AUTOFD);
		info->phase = IEEE1284_PH_REV_IDLE;
	} else {
		parport_frob_control(port, PARPORT_CONTROL_AUTOFD, 0);
		info->phase = IEEE1284_PH_HBUSY_DAVAIL;
	}
}

/**
 * parclass_nibble_in() - read bytes in nibble mode (IEEE 1284 events 7-11)
 * @s: the session, holding the port in nibble mode, in a transfer
 * @buf: where the bytes go
 * @len: at most this many
 * @step: how long the peripheral may take over one handshake step
 * @err: out: why it stopped short: 0 when the peripheral has no more
 *	data or missed a step, else -ESTALE, -ENODEV or -EINTR
 *
 * Return: the bytes read.
 */
size_t parclass_nibble_in(struct parclass_session *s, u8 *buf, size_t len,
			  ktime_t step, int *err)
{
	struct parport *port = s->pport->port;
	size_t done = 0;
	unsigned int half;
	u8 nibble[2];

	*err = 0;
	while (done < len) {
		*err = parclass_xfer_pause(s, done);
		if (*err)
			return done;
		/* nFault (nDataAvail) high: the peripheral has no more data. */
		if (parport_read_status(port) & PARPORT_STATUS_ERROR)
			break;
		parclass_reverse_wake(port);
		for (half = 0; half < 2; half++) {
			/* Event 7: nAutoFd low; event 9: nAck low. */
			parport_frob_control(port, PARPORT_CONTROL_AUTOFD,
					     PARPORT_CONTROL_AUTOFD);
			port->physport->ieee1284.phase = IEEE1284_PH_REV_DATA;
			*err = parclass_ack_step(s, false, step);
			if (*err)
				goto stopped;
			nibble[half] = parclass_status_nibble(parport_read_status(port));
			/* Event 10: nAutoFd high; event 11: nAck high. */
			parport_frob_control(port, PARPORT_CONTROL_AUTOFD, 0);
			*err = parclass_ack_step(s, true, step);
			if (*err)
				goto stopped;
		}
		buf[done++] = nibble[0] | nibble[1] << 4;
	}
	parclass_reverse_end(port);
	return done;

stopped:
	parclass_reverse_stopped(s, err);
	return done;
}

/**
 * parclass_byte_in() - read bytes in byte mode (IEEE 1284 events 7-17)
 * @s: the session, holding the port in byte mode, in a transfer
 * @buf: where the bytes go
 * @len: at most this many
 * @step: how long the peripheral may take over one handshake step
 * @err: out: as for parclass_nibble_in()
 *
 * Return: the bytes read.
 */
size_t parclass_byte_in(struct parclass_session *s, u8 *buf, size_t len,
			ktime_t step, int *err)
{
	struct parport *port = s->pport->port;
	size_t done = 0;

	*err = 0;
	while (done < len) {
		*err = parclass_xfer_pause(s, done);
		if (*err)
			return done;
		if (parport_read_status(port) & PARPORT_STATUS_ERROR)
			break;
		parclass_reverse_wake(port);
		/* Event 14: the data lines turn round; event 7: nAutoFd low. */
		parport_data_reverse(port);
		parport_frob_control(port, PARPORT_CONTROL_AUTOFD,
				     PARPORT_CONTROL_AUTOFD);
		port->physport->ieee1284.phase = IEEE1284_PH_REV_DATA;
		/* Event 9: nAck low, the byte is on the data lines. */
		*err = parclass_ack_step(s, false, step);
		if (*err)
			goto stopped;
		buf[done] = parport_read_data(port);
		/* Event 10: nAutoFd high; event 11: nAck high. */
		parport_frob_control(port, PARPORT_CONTROL_AUTOFD, 0);
		*err = parclass_ack_step(s, true, step);
		if (*err)
			goto stopped;
		/* Events 16-17: nStrobe (HostAck) pulsed low: delivered. */
		parport_frob_control(port, PARPORT_CONTROL_STROBE,
				     PARPORT_CONTROL_STROBE);
		udelay(PARCLASS_BYTE_ACK_US);
		parport_frob_control(port, PARPORT_CONTROL_STROBE, 0);
		done++;
	}
	parclass_reverse_end(port);
	return done;

stopped:
	parclass_reverse_stopped(s, err);
	return done;
}
