// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: IEEE 1284 negotiation and termination on a held port.
 *
 * parclass runs these handshakes itself rather than through
 * parport_negotiate(), whose waits (parport_wait_peripheral()) last up
 * to 40 ms a step whatever happens to the session: a DISCONNECT, a close
 * or the port's removal would wait for a stalled peripheral, and removal
 * does so under the parport core's registration lock. Here every wait is
 * parclass_wait_status(), which ends as soon as the transfer is ended
 * from outside. The callers are in a transfer (parclass_xfer_begin()),
 * so the port is never released.
 *
 * An ended transfer still drives the host's lines through termination:
 * IEEE 1284 lets the host leave a mode by setting nSelectIn low. After a
 * signal or the port's removal it does not wait for the peripheral; a
 * session being disconnected waits a bounded 20 ms a step, so that slow
 * peripheral firmware sees each edge. The bookkeeping in the
 * port's ieee1284 state is kept as the parport core keeps it, so that
 * lp, ppdev and the core's routines see the mode the port is really in.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/parport.h>

#include "parclass.h"

/* The peripheral's time to answer one step (Windows and IEEE 1284: 35 ms). */
#define PARCLASS_1284_STEP_MS		35

/* Extensibility byte on the data lines before nSelectIn goes high. */
#define PARCLASS_1284_SETUP_US		50

/* EPP termination: how long nInit stays low. */
#define PARCLASS_EPP_RESET_US		50

/*
 * A session going away (DISCONNECT, close) still gives the peripheral
 * this long for each step of the termination, so that a peripheral whose
 * firmware polls its lines slowly sees every edge and ends in
 * compatibility mode for the next holder; three steps at most stay well
 * within the 100 ms in which a DISCONNECT ends a transfer.
 */
#define PARCLASS_TEARDOWN_STEP_MS	20

static int parclass_1284_step(struct parclass_session *s, u8 mask, u8 val)
{
	return parclass_wait_status(s, mask, val,
				    ms_to_ktime(PARCLASS_1284_STEP_MS), 0, 0);
}

/*
 * One step of a termination. A dead session's steps are not ended by the
 * DISCONNECT itself (nor by the signal that killed its process), only
 * bounded by PARCLASS_TEARDOWN_STEP_MS, and by the port's removal.
 */
static void parclass_terminate_step(struct parclass_session *s, u8 mask,
				    u8 val)
{
	struct parport *port = s->pport->port;
	ktime_t end;

	if (!READ_ONCE(s->dead)) {
		parclass_1284_step(s, mask, val);
		return;
	}
	end = ktime_add_ms(ktime_get(), PARCLASS_TEARDOWN_STEP_MS);
	while ((parport_read_status(port) & mask) != val &&
	       !READ_ONCE(s->pport->removed) && ktime_before(ktime_get(), end))
		usleep_range(50, 100);
}

/* Events 22-29: the termination handshake of every mode but EPP. */
static void parclass_terminate_handshake(struct parclass_session *s)
{
	struct parport *port = s->pport->port;

	/* Event 22: nSelectIn low, nAutoFd high; event 24: nAck low. */
	parport_frob_control(port,
			     PARPORT_CONTROL_SELECT | PARPORT_CONTROL_AUTOFD,
			     PARPORT_CONTROL_SELECT);
	parclass_terminate_step(s, PARPORT_STATUS_ACK, 0);
	/* Event 25: nAutoFd low; event 27: nAck high. */
	parport_frob_control(port, PARPORT_CONTROL_AUTOFD,
			     PARPORT_CONTROL_AUTOFD);
	parclass_terminate_step(s, PARPORT_STATUS_ACK, PARPORT_STATUS_ACK);
	/* Event 29: nAutoFd high. */
	parport_frob_control(port, PARPORT_CONTROL_AUTOFD, 0);
}

/**
 * parclass_terminate() - leave any IEEE 1284 mode for compatibility mode
 * @s: the session, holding the port and in a transfer
 *
 * Does nothing in compatibility mode. A peripheral that misses a step of
 * the termination is passed over, as the parport core does. Once a signal
 * or the port's removal has ended the transfer the steps are not waited
 * for at all; a session being disconnected or closed gives each step up
 * to PARCLASS_TEARDOWN_STEP_MS. The port is left in compatibility mode,
 * forward idle, either way.
 */
void parclass_terminate(struct parclass_session *s)
{
	struct parport *port = s->pport->port;
	struct ieee1284_info *info = &port->physport->ieee1284;

	switch (info->mode) {
	case IEEE1284_MODE_COMPAT:
		return;
	case IEEE1284_MODE_EPP:
	case IEEE1284_MODE_EPPSL:
	case IEEE1284_MODE_EPPSWE:
		/* Events 68-69: nInit pulsed low, then nSelectIn low. */
		parport_frob_control(port, PARPORT_CONTROL_INIT, 0);
		udelay(PARCLASS_EPP_RESET_US);
		parport_frob_control(port,
				     PARPORT_CONTROL_SELECT | PARPORT_CONTROL_INIT,
				     PARPORT_CONTROL_SELECT | PARPORT_CONTROL_INIT);
		break;
	case IEEE1284_MODE_ECP:
	case IEEE1284_MODE_ECPRLE:
	case IEEE1284_MODE_ECPSWE:
		/* ECP terminates from forward idle only: turn round first. */
		if (info->phase != IEEE1284_PH_FWD_IDLE) {
			/* Event 47: nInit high; event 49: PError high. */
			parport_frob_control(port,
					     PARPORT_CONTROL_INIT |
					     PARPORT_CONTROL_AUTOFD,
					     PARPORT_CONTROL_INIT |
					     PARPORT_CONTROL_AUTOFD);
			parclass_terminate_step(s, PARPORT_STATUS_PAPEROUT,
						PARPORT_STATUS_PAPEROUT);
			parport_data_forward(port);
			info->phase = IEEE1284_PH_FWD_IDLE;
		}
		fallthrough;
	default:
		parclass_terminate_handshake(s);
		break;
	}
	parport_data_forward(port);
	info->mode = IEEE1284_MODE_COMPAT;
	info->phase = IEEE1284_PH_FWD_IDLE;
	/* The peripheral's ECP state is gone: a pending run length too. */
	s->ecp_run_count = 0;
	s->wire_addr = -1;
}

/**
 * parclass_negotiate() - enter an IEEE 1284 mode
 * @s: the session, holding the port and in a transfer
 * @mode: IEEE1284_MODE_COMPAT, _NIBBLE, _BYTE, _ECP, _ECPRLE, _ECPSWE,
 *	_EPP, _EPPSL or _EPPSWE, with IEEE1284_DEVICEID and IEEE1284_ADDR
 *	as IEEE 1284 allows them
 *
 * Terminates the current mode first, unless the port is in @mode (or in
 * @mode but for IEEE1284_ADDR) already.
 *
 * Return: 0 in @mode; -EIO if the peripheral did not answer the
 * negotiation (it is not an IEEE 1284 peripheral); -EOPNOTSUPP if it
 * refused @mode, or parclass does not negotiate it (extensibility link,
 * bounded ECP); -ESTALE, -ENODEV or -EINTR if the transfer was ended.
 * On failure the port is in compatibility mode.
 */
int parclass_negotiate(struct parclass_session *s, int mode)
{
	struct parport *port = s->pport->port;
	struct ieee1284_info *info = &port->physport->ieee1284;
	int m = mode & ~IEEE1284_ADDR;
	int ret;

	if (info->mode == mode)
		return 0;
	if ((info->mode & ~IEEE1284_ADDR) == m) {
		info->mode = mode;
		return 0;
	}
	parclass_terminate(s);
	if (mode == IEEE1284_MODE_COMPAT)
		return 0;
	if (mode & IEEE1284_EXT_LINK || m == IEEE1284_MODE_BECP)
		return -EOPNOTSUPP;
	/* The extensibility byte the peripheral is asked for. */
	if (m == IEEE1284_MODE_ECPSWE)
		m = IEEE1284_MODE_ECP;
	else if (m == IEEE1284_MODE_EPPSL || m == IEEE1284_MODE_EPPSWE)
		m = IEEE1284_MODE_EPP;

	info->phase = IEEE1284_PH_NEGOTIATION;
	parport_frob_control(port,
			     PARPORT_CONTROL_STROBE | PARPORT_CONTROL_AUTOFD |
			     PARPORT_CONTROL_SELECT,
			     PARPORT_CONTROL_SELECT);
	/* Event 0: the extensibility byte on the data lines. */
	parport_data_forward(port);
	parport_write_data(port, m);
	udelay(PARCLASS_1284_SETUP_US);
	/* Event 1: nSelectIn high, nAutoFd low. */
	parport_frob_control(port,
			     PARPORT_CONTROL_SELECT | PARPORT_CONTROL_AUTOFD,
			     PARPORT_CONTROL_AUTOFD);
	/* Event 2: PError, Select and nFault high, nAck low. */
	ret = parclass_1284_step(s, PARPORT_STATUS_ERROR | PARPORT_STATUS_SELECT |
				 PARPORT_STATUS_PAPEROUT | PARPORT_STATUS_ACK,
				 PARPORT_STATUS_ERROR | PARPORT_STATUS_SELECT |
				 PARPORT_STATUS_PAPEROUT);
	if (ret) {
		/* Nothing was negotiated: back to compatibility idle. */
		parport_frob_control(port,
				     PARPORT_CONTROL_SELECT | PARPORT_CONTROL_AUTOFD,
				     PARPORT_CONTROL_SELECT);
		info->phase = IEEE1284_PH_FWD_IDLE;
		return ret == -ETIMEDOUT ? -EIO : ret;
	}
	/* Events 3-4: nStrobe pulsed low, nAutoFd high. */
	parport_frob_control(port, PARPORT_CONTROL_STROBE,
			     PARPORT_CONTROL_STROBE);
	udelay(5);
	parport_frob_control(port,
			     PARPORT_CONTROL_STROBE | PARPORT_CONTROL_AUTOFD, 0);
	/* Event 6: nAck high; Select (XFlag) says whether @mode is taken. */
	ret = parclass_1284_step(s, PARPORT_STATUS_ACK, PARPORT_STATUS_ACK);
	if (!ret && m != IEEE1284_MODE_NIBBLE &&
	    !(parport_read_status(port) & PARPORT_STATUS_SELECT))
		ret = -EOPNOTSUPP;
	if (ret) {
		parclass_terminate_handshake(s);
		info->phase = IEEE1284_PH_FWD_IDLE;
		return ret == -ETIMEDOUT ? -EOPNOTSUPP : ret;
	}
	info->mode = mode;

	if (m & IEEE1284_MODE_ECP) {
		/* Events 30-31: nAutoFd low, PError high: forward idle. */
		info->phase = IEEE1284_PH_ECP_SETUP;
		parport_frob_control(port, PARPORT_CONTROL_AUTOFD,
				     PARPORT_CONTROL_AUTOFD);
		ret = parclass_1284_step(s, PARPORT_STATUS_PAPEROUT,
					 PARPORT_STATUS_PAPEROUT);
		info->phase = IEEE1284_PH_FWD_IDLE;
		/* A slow peripheral is given the benefit of the doubt. */
		if (ret && ret != -ETIMEDOUT) {
			parclass_terminate(s);
			return ret;
		}
	} else if ((m & ~IEEE1284_DEVICEID) == IEEE1284_MODE_NIBBLE ||
		   (m & ~IEEE1284_DEVICEID) == IEEE1284_MODE_BYTE) {
		info->phase = IEEE1284_PH_REV_IDLE;
	} else {
		info->phase = IEEE1284_PH_FWD_IDLE;
	}
	return 0;
}
