// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: ECP and EPP transfers on a held port, with the handshakes in
 * software (Windows ECP_SW and EPP_SW).
 *
 * As in reverse.c, these are parclass's own loops rather than the parport
 * core's parport_ieee1284_ecp_*() and _epp_*(): every wait is
 * parclass_wait_status(), so DISCONNECT, removal and signals end a
 * transfer at once, and nothing here releases the port (the core's ECP
 * reverse loop releases it while the peripheral is quiet, on a port with
 * an interrupt).
 *
 * A read returns, short, once the peripheral has presented no byte for
 * PARCLASS_IDLE_MS (the IEEE 1284 response time): it never waits for
 * data to come. In the middle of a byte the peripheral has the caller's
 * step timeout.
 *
 * ECP reverse data may be run-length encoded: a command byte below 0x80
 * says that the next data byte stands for that many plus one. A run
 * longer than the room left in the caller's buffer is kept in the
 * session (@ecp_run_byte, @ecp_run_left) and delivered by the next read,
 * so no byte is lost and no run can stall a small reader. A command byte
 * with bit 7 set is a channel address: it is taken and remembered.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/parport.h>
#include <linux/string.h>

#include "parclass.h"

/* How long a peripheral may take to present a byte before a read ends. */
#define PARCLASS_IDLE_MS		35

/* ECP command bytes: bit 7 set, a channel address; else a run length. */
#define PARCLASS_ECP_CHANNEL		0x80

/*
 * ECP's reverse phase, between bytes, as the port's IEEE 1284 phase. Not
 * IEEE1284_PH_REV_IDLE: the parport core's interrupt hook answers an
 * interrupt in that phase with nibble mode's event 20 (nAutoFd high),
 * which in ECP is HostAck in the middle of a handshake. A session
 * counting interrupts would have its ECP reads broken by it.
 */
#define PARCLASS_PH_ECP_REV		IEEE1284_PH_REV_DATA

/*
 * ECP, reverse to forward (events 47-49): nInit high, then PError high.
 */
static int parclass_ecp_forward(struct parclass_session *s, ktime_t step)
{
	struct parport *port = s->pport->port;
	struct ieee1284_info *info = &port->physport->ieee1284;
	int ret;

	if (info->phase == IEEE1284_PH_FWD_IDLE)
		return 0;
	parport_frob_control(port, PARPORT_CONTROL_INIT | PARPORT_CONTROL_AUTOFD,
			     PARPORT_CONTROL_INIT | PARPORT_CONTROL_AUTOFD);
	ret = parclass_wait_status(s, PARPORT_STATUS_PAPEROUT,
				   PARPORT_STATUS_PAPEROUT,
				   step, 0, 0);
	if (ret) {
		info->phase = IEEE1284_PH_ECP_DIR_UNKNOWN;
		return ret;
	}
	parport_data_forward(port);
	info->phase = IEEE1284_PH_FWD_IDLE;
	return 0;
}

/*
 * ECP, forward to reverse (events 38-40): nAutoFd low, the data lines
 * turn round, nInit low, then PError low.
 */
static int parclass_ecp_reverse(struct parclass_session *s, ktime_t step)
{
	struct parport *port = s->pport->port;
	struct ieee1284_info *info = &port->physport->ieee1284;
	int ret;

	if (info->phase == PARCLASS_PH_ECP_REV)
		return 0;
	parport_frob_control(port, PARPORT_CONTROL_AUTOFD,
			     PARPORT_CONTROL_AUTOFD);
	parport_data_reverse(port);
	udelay(5);
	parport_frob_control(port, PARPORT_CONTROL_INIT, 0);
	ret = parclass_wait_status(s, PARPORT_STATUS_PAPEROUT, 0,
				   step, 0, 0);
	info->phase = ret ? IEEE1284_PH_ECP_DIR_UNKNOWN : PARCLASS_PH_ECP_REV;
	return ret;
}

/**
 * parclass_ecp_out() - send bytes in ECP mode (events 34-37)
 * @s: the session, holding the port in ECP mode, in a transfer
 * @buf: the bytes
 * @len: how many
 * @command: send them as command bytes (HostAck low: a channel address
 *	is 0x80 | address) rather than data
 * @step: how long the peripheral may take over one handshake step
 * @err: out: why it stopped short: -ETIMEDOUT, -ESTALE, -ENODEV or -EINTR
 *
 * Return: the bytes the peripheral took.
 */
size_t parclass_ecp_out(struct parclass_session *s, const u8 *buf,
			size_t len, bool command, ktime_t step, int *err)
{
	struct parport *port = s->pport->port;
	struct ieee1284_info *info = &port->physport->ieee1284;
	size_t done = 0;

	*err = parclass_ecp_forward(s, step);
	if (*err)
		return 0;
	info->phase = IEEE1284_PH_FWD_DATA;
	/* HostAck (nAutoFd) high for data, low for commands. */
	parport_frob_control(port, PARPORT_CONTROL_AUTOFD |
			     PARPORT_CONTROL_STROBE | PARPORT_CONTROL_INIT,
			     PARPORT_CONTROL_INIT |
			     (command ? PARPORT_CONTROL_AUTOFD : 0));
	while (done < len) {
		*err = parclass_xfer_pause(s, done);
		if (*err)
			break;
		/* The peripheral is ready: PeriphAck (Busy) low. */
		*err = parclass_wait_status(s, PARPORT_STATUS_BUSY,
					    PARPORT_STATUS_BUSY, step, 0, 0);
		if (*err)
			break;
		/*
		 * Event 34: the byte; event 35: HostClk (nStrobe) low. The
		 * register write between them gives the data its setup
		 * time, as in the parport core's ECP and EPP routines.
		 */
		parport_write_data(port, buf[done]);
		parport_frob_control(port, PARPORT_CONTROL_STROBE,
				     PARPORT_CONTROL_STROBE);
		/* Event 36: PeriphAck (Busy) high: the peripheral has it. */
		*err = parclass_wait_status(s, PARPORT_STATUS_BUSY, 0,
					    step, 0, 0);
		/* Event 37: HostClk high. */
		parport_frob_control(port, PARPORT_CONTROL_STROBE, 0);
		if (*err)
			break;
		done++;
	}
	/* The last byte taken: the peripheral lets Busy go low again. */
	if (!*err && done)
		*err = parclass_wait_status(s, PARPORT_STATUS_BUSY,
					    PARPORT_STATUS_BUSY, step, 0, 0);
	parport_frob_control(port, PARPORT_CONTROL_AUTOFD, 0);
	info->phase = IEEE1284_PH_FWD_IDLE;
	return done;
}

/**
 * parclass_ecp_run_out() - hand out what is left of an ECP run
 * @s: the session, in a transfer
 * @buf: where the bytes go
 * @len: room there
 *
 * A read that could not take a run whole leaves the rest in the session;
 * the next read, in whatever mode, starts with it.
 *
 * Return: the bytes handed out.
 */
size_t parclass_ecp_run_out(struct parclass_session *s, u8 *buf, size_t len)
{
	size_t n = min_t(size_t, len, s->ecp_run_left);

	memset(buf, s->ecp_run_byte, n);
	s->ecp_run_left -= n;
	return n;
}

/**
 * parclass_ecp_in() - read bytes in ECP mode (events 43-46)
 * @s: the session, holding the port in ECP mode, in a transfer
 * @buf: where the bytes go
 * @len: at most this many
 * @step: how long the peripheral may take over a step within a byte, and
 *	to present the byte a run length announced
 * @err: out: why it stopped short: 0 when the peripheral presented
 *	nothing for PARCLASS_IDLE_MS, else -ETIMEDOUT, -ESTALE, -ENODEV or
 *	-EINTR
 *
 * A byte counts as read once the host has taken it (event 44): the
 * peripheral counts it as delivered then. A run length taken stays in
 * the session (@ecp_run_count) until its byte comes, in this read or the
 * next.
 *
 * Return: the bytes read, runs expanded.
 */
size_t parclass_ecp_in(struct parclass_session *s, u8 *buf, size_t len,
		       ktime_t step, int *err)
{
	struct parport *port = s->pport->port;
	struct ieee1284_info *info = &port->physport->ieee1284;
	size_t done = 0;
	bool command;
	u8 byte;

	*err = parclass_ecp_reverse(s, step);
	if (*err)
		return 0;
	info->phase = IEEE1284_PH_REV_DATA;
	/* HostAck (nAutoFd) low: the host takes data. */
	parport_frob_control(port, PARPORT_CONTROL_STROBE |
			     PARPORT_CONTROL_INIT | PARPORT_CONTROL_AUTOFD,
			     PARPORT_CONTROL_AUTOFD);
	while (done < len) {
		*err = parclass_xfer_pause(s, done);
		if (*err)
			break;
		/* Event 43: PeriphClk (nAck) low, a byte is presented. */
		*err = parclass_wait_status(s, PARPORT_STATUS_ACK, 0,
					    s->ecp_run_count ? step :
					    ms_to_ktime(PARCLASS_IDLE_MS),
					    0, 0);
		if (*err == -ETIMEDOUT && !s->ecp_run_count) {
			*err = 0;
			break;
		}
		if (*err)
			break;
		/*
		 * PeriphAck (Busy) low, which the register reads as the
		 * Busy bit set: a command byte. After a run length comes
		 * its data byte, whatever Busy says.
		 */
		command = !s->ecp_run_count &&
			  (parport_read_status(port) & PARPORT_STATUS_BUSY);
		byte = parport_read_data(port);
		/* Event 44: HostAck high, the byte is taken. */
		parport_frob_control(port, PARPORT_CONTROL_AUTOFD, 0);
		if (command && (byte & PARCLASS_ECP_CHANNEL)) {
			s->ecp_rev_channel = byte & ~PARCLASS_ECP_CHANNEL;
		} else if (command) {
			s->ecp_run_count = byte + 1;
		} else if (s->ecp_run_count) {
			s->ecp_run_byte = byte;
			s->ecp_run_left = s->ecp_run_count;
			s->ecp_run_count = 0;
			done += parclass_ecp_run_out(s, buf + done, len - done);
		} else {
			buf[done++] = byte;
		}
		/* Event 45: PeriphClk high; event 46: HostAck low. */
		*err = parclass_wait_status(s, PARPORT_STATUS_ACK,
					    PARPORT_STATUS_ACK, step, 0, 0);
		parport_frob_control(port, PARPORT_CONTROL_AUTOFD,
				     PARPORT_CONTROL_AUTOFD);
		if (*err)
			break;
	}
	info->phase = PARCLASS_PH_ECP_REV;
	return done;
}

/* EPP idle: nWrite (nStrobe) as @write says, strobes and nInit high. */
static void parclass_epp_idle(struct parport *port, bool write)
{
	parport_frob_control(port, PARPORT_CONTROL_STROBE |
			     PARPORT_CONTROL_AUTOFD | PARPORT_CONTROL_SELECT |
			     PARPORT_CONTROL_INIT,
			     PARPORT_CONTROL_INIT |
			     (write ? PARPORT_CONTROL_STROBE : 0));
}

/*
 * One EPP cycle (events 58-63), from nWait (Busy) low: the strobe (nDStrb
 * for data, nAStrb for an address) low; nWait high within @first; the
 * strobe high; nWait low within @step, ready for the next cycle. For a
 * read *@byte gets the data lines while nWait is high. The byte has gone
 * across once nWait rose: *@moved says so, whatever follows. -EAGAIN if
 * nWait never rose: the peripheral answered no cycle.
 */
static int parclass_epp_cycle(struct parclass_session *s, u8 strobe,
			      bool read, u8 *byte, ktime_t first,
			      ktime_t step, bool *moved)
{
	struct parport *port = s->pport->port;
	int ret;

	*moved = false;
	parport_frob_control(port, strobe, strobe);
	ret = parclass_wait_status(s, PARPORT_STATUS_BUSY, 0,
				   first, 0, 0);
	if (!ret && read)
		*byte = parport_read_data(port);
	parport_frob_control(port, strobe, 0);
	if (ret)
		return ret == -ETIMEDOUT ? -EAGAIN : ret;
	*moved = true;
	return parclass_wait_status(s, PARPORT_STATUS_BUSY,
				    PARPORT_STATUS_BUSY,
				    step, 0, 0);
}

/**
 * parclass_epp_out() - EPP write cycles
 * @s: the session, holding the port in EPP mode, in a transfer
 * @buf: the bytes
 * @len: how many
 * @addr: address write cycles (nAStrb) rather than data (nDStrb)
 * @step: how long the peripheral may take over one handshake step
 * @err: out: why it stopped short: -ETIMEDOUT, -ESTALE, -ENODEV or -EINTR
 *
 * Return: the bytes the peripheral took.
 */
size_t parclass_epp_out(struct parclass_session *s, const u8 *buf,
			size_t len, bool addr, ktime_t step, int *err)
{
	struct parport *port = s->pport->port;
	u8 strobe = addr ? PARPORT_CONTROL_SELECT : PARPORT_CONTROL_AUTOFD;
	size_t done = 0;
	bool moved;

	parclass_epp_idle(port, true);
	parport_data_forward(port);
	/* A cycle starts from nWait low; each one ends there again. */
	*err = parclass_wait_status(s, PARPORT_STATUS_BUSY,
				    PARPORT_STATUS_BUSY, step, 0, 0);
	while (!*err && done < len) {
		*err = parclass_xfer_pause(s, done);
		if (*err)
			break;
		parport_write_data(port, buf[done]);
		*err = parclass_epp_cycle(s, strobe, false, NULL, step, step,
					  &moved);
		done += moved;
		if (*err == -EAGAIN)
			*err = -ETIMEDOUT;
		if (*err)
			break;
	}
	parclass_epp_idle(port, false);
	return done;
}

/**
 * parclass_epp_in() - EPP read cycles
 * @s: the session, holding the port in EPP mode, in a transfer
 * @buf: where the bytes go
 * @len: at most this many
 * @addr: address read cycles (nAStrb) rather than data (nDStrb)
 * @step: how long the peripheral may take over a step within a byte
 * @err: out: why it stopped short: 0 when the peripheral answered no
 *	cycle for PARCLASS_IDLE_MS, else -ETIMEDOUT, -ESTALE, -ENODEV or
 *	-EINTR
 *
 * Return: the bytes read.
 */
size_t parclass_epp_in(struct parclass_session *s, u8 *buf, size_t len,
		       bool addr, ktime_t step, int *err)
{
	struct parport *port = s->pport->port;
	u8 strobe = addr ? PARPORT_CONTROL_SELECT : PARPORT_CONTROL_AUTOFD;
	size_t done = 0;
	bool moved;

	parclass_epp_idle(port, false);
	parport_data_reverse(port);
	/* A cycle starts from nWait low; each one ends there again. */
	*err = parclass_wait_status(s, PARPORT_STATUS_BUSY,
				    PARPORT_STATUS_BUSY, step, 0, 0);
	while (!*err && done < len) {
		*err = parclass_xfer_pause(s, done);
		if (*err)
			break;
		*err = parclass_epp_cycle(s, strobe, true, &buf[done],
					  ms_to_ktime(PARCLASS_IDLE_MS), step,
					  &moved);
		done += moved;
		if (*err == -EAGAIN) {
			/* nWait never rose: the peripheral has no data. */
			*err = 0;
			break;
		}
		if (*err)
			break;
	}
	parport_data_forward(port);
	return done;
}
