// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: the port's chip mode (Windows TrySetChipMode, ClearChipMode,
 * PARALLEL_SET_CHIP_MODE and PARALLEL_CLEAR_CHIP_MODE).
 *
 * An ECP-capable PC port has an extended control register (ECR) whose
 * bits 7:5 choose how the chip runs: 000 standard, 001 byte (PS/2), 011
 * ECP, 100 EPP. The parport core has no call for it. On ports driven by
 * parport_pc that have an ECR, parclass writes the register itself, as
 * Windows does; on every other port there is no such register and the
 * mode is only checked against the port's capabilities and recorded
 * (port.c learns which ports have an ECR when it first sees them).
 *
 * Windows' rules: SET only from the initial mode or byte mode, a mode the
 * port lacks is refused, CLEAR names the current mode and puts back the
 * register SET found. parclass also puts the initial mode back when the
 * holder lets the port go (FREE, DISCONNECT, close), so that a client
 * that forgot to CLEAR does not leave the next holder a chip in ECP mode.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/io.h>
#include <linux/parport.h>

#include "parclass.h"

/* The ECR's mode field, and the mode every change to ECP or EPP crosses. */
#define PARCLASS_ECR_MODE_MASK	0xe0

/*
 * Write the ECR as parport_pc does: on chips whose ECR has bits that must
 * not be written (its ecr_writable quirk), only the others, with bit 0 set.
 */
static void parclass_ecr_out(struct parclass_port *pport, u8 ecr)
{
	if (pport->ecr_writable)
		ecr = (ecr & pport->ecr_writable) | 1;
	outb(ecr, pport->port->base_hi + 2);
}

/* The port capability a chip mode needs. */
static unsigned int parclass_chip_mode_needs(u32 mode)
{
	switch (mode) {
	case PARCLASS_CHIP_MODE_BYTE:
		return PARPORT_MODE_TRISTATE;
	case PARCLASS_CHIP_MODE_ECP:
		return PARPORT_MODE_ECP;
	default:
		return PARPORT_MODE_EPP;
	}
}

/* Put @mode in the ECR, if the port has one; the holder, in a transfer. */
static void parclass_chip_write(struct parclass_port *pport, u8 mode)
{
	u8 keep;

	if (!pport->pc_ecr)
		return;
	if (pport->chip_mode == PARCLASS_CHIP_MODE_INITIAL)
		pport->chip_ecr = inb(pport->port->base_hi + 2);
	keep = pport->chip_ecr & ~PARCLASS_ECR_MODE_MASK;
	/* The ECP specification: modes above byte mode are entered from it. */
	if (mode != PARCLASS_CHIP_MODE_BYTE)
		parclass_ecr_out(pport, keep | PARCLASS_CHIP_MODE_BYTE);
	parclass_ecr_out(pport, keep | mode);
}

/**
 * parclass_chip_mode_restore() - put the port back in its initial chip mode
 * @s: the session, holding the port and in a transfer (or being torn
 *	down, with the port still there)
 */
void parclass_chip_mode_restore(struct parclass_session *s)
{
	struct parclass_port *pport = s->pport;

	if (pport->chip_mode == PARCLASS_CHIP_MODE_INITIAL)
		return;
	/* Not once the port is gone: its I/O ports may be another's now. */
	if (pport->pc_ecr && !READ_ONCE(pport->removed)) {
		/* Leaving ECP or EPP for the saved mode goes through byte mode. */
		parclass_ecr_out(pport,
				 (pport->chip_ecr & ~PARCLASS_ECR_MODE_MASK) |
				 PARCLASS_CHIP_MODE_BYTE);
		parclass_ecr_out(pport, pport->chip_ecr);
	}
	WRITE_ONCE(pport->chip_mode, PARCLASS_CHIP_MODE_INITIAL);
}

static int parclass_chip_mode_change(struct parclass_session *s,
				     const struct parclass_chip_mode *cmd)
{
	struct parclass_port *pport = s->pport;
	u32 cur = pport->chip_mode;

	if (cmd->flags & PARCLASS_CHIP_MODE_CLEAR) {
		if (cmd->mode != cur)
			return -ENOENT;
		parclass_chip_mode_restore(s);
		return 0;
	}
	if (cur != PARCLASS_CHIP_MODE_INITIAL && cur != PARCLASS_CHIP_MODE_BYTE)
		return -EALREADY;
	if (!(pport->port->modes & parclass_chip_mode_needs(cmd->mode)))
		return -EOPNOTSUPP;
	parclass_chip_write(pport, cmd->mode);
	WRITE_ONCE(pport->chip_mode, cmd->mode);
	return 0;
}

/**
 * parclass_chip_mode() - CHIP_MODE: set, clear or report the chip mode
 * @s: the session, in use (parclass_session_use())
 * @cmd: the request, validated; @current_mode is set on success
 *
 * Return: 0, or -EALREADY, -ENOENT, -EOPNOTSUPP, -EPERM or -EBUSY as
 * &PARCLASS_IOC_CHIP_MODE documents.
 */
int parclass_chip_mode(struct parclass_session *s,
		       struct parclass_chip_mode *cmd)
{
	int ret;

	if (cmd->flags & (PARCLASS_CHIP_MODE_SET | PARCLASS_CHIP_MODE_CLEAR)) {
		ret = parclass_xfer_begin(s);
		if (ret)
			return ret;
		ret = parclass_chip_mode_change(s, cmd);
		parclass_xfer_end(s);
		if (ret)
			return ret;
	}
	cmd->current_mode = READ_ONCE(s->pport->chip_mode);
	return 0;
}
