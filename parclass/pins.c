// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: the port's registers in the hands of the session that holds
 * it, one access at a time (REGISTER, what ppdev's PPRDATA, PPWDATA,
 * PPRSTATUS, PPRCONTROL, PPWCONTROL, PPFCONTROL and PPDATADIR do) or as a
 * pin program (PIN_PROGRAM).
 *
 * A pin program is a list of register operations, status waits and
 * delays that runs in one call: what device programmers, JTAG cables and
 * CNC drivers bit-bang with one ppdev ioctl per pin change. It is checked
 * whole by parclass_pin_validate() before any of it runs, then runs as a
 * transfer of the session (parclass_xfer_begin()): the port is never
 * released, and the program stops as soon as the session is
 * disconnected, the port removed or a signal arrives, at the latest
 * after PARCLASS_PIN_CHECK_EVERY operations or within a wait or a delay.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/parport.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "parclass.h"

/* Operations run between two looks at whether the program must stop. */
#define PARCLASS_PIN_CHECK_EVERY	256

/* Delays up to this many microseconds spin; longer ones sleep. */
#define PARCLASS_PIN_SPIN_US		20

/* Operations a program may contain, by kind. */
static bool parclass_pin_is_register(u8 op)
{
	return op >= PARCLASS_PIN_WRITE_DATA && op <= PARCLASS_PIN_DATA_DIR;
}

static bool parclass_pin_is_read(u8 op)
{
	return op == PARCLASS_PIN_READ_DATA || op == PARCLASS_PIN_READ_STATUS ||
	       op == PARCLASS_PIN_READ_CONTROL;
}

/**
 * parclass_pin_op_valid() - is one operation well formed?
 * @op: the operation
 *
 * Every field an operation does not use must be 0; control values stay
 * within PARCLASS_PIN_CONTROL_LINES; a value never has bits outside its
 * mask; waits and delays last 1 microsecond at least and a wait at most
 * PARCLASS_PIN_WAIT_MAX_US.
 *
 * Return: true if @op may run.
 */
bool parclass_pin_op_valid(const struct parclass_pin_op *op)
{
	if (op->__reserved)
		return false;

	switch (op->op) {
	case PARCLASS_PIN_WRITE_DATA:
		return !op->mask && !op->arg;
	case PARCLASS_PIN_READ_DATA:
	case PARCLASS_PIN_READ_STATUS:
	case PARCLASS_PIN_READ_CONTROL:
		return !op->mask && !op->value && !op->arg;
	case PARCLASS_PIN_WRITE_CONTROL:
		return !op->mask && !op->arg &&
		       !(op->value & ~PARCLASS_PIN_CONTROL_LINES);
	case PARCLASS_PIN_FROB_CONTROL:
		return !op->arg && !(op->mask & ~PARCLASS_PIN_CONTROL_LINES) &&
		       !(op->value & ~op->mask);
	case PARCLASS_PIN_DATA_DIR:
		return !op->mask && !op->arg && op->value <= 1;
	case PARCLASS_PIN_WAIT_STATUS:
		return !(op->value & ~op->mask) && op->arg &&
		       op->arg <= PARCLASS_PIN_WAIT_MAX_US;
	case PARCLASS_PIN_DELAY:
		return !op->mask && !op->value && op->arg &&
		       op->arg <= PARCLASS_PIN_DELAY_MAX_US;
	default:
		return false;
	}
}
EXPORT_SYMBOL_IF_KUNIT(parclass_pin_op_valid);

/**
 * parclass_pin_validate() - check a whole program before it runs
 * @ops: the operations
 * @count: how many, 1 to PARCLASS_PIN_MAX_OPS
 * @results_len: room for read results, in bytes
 *
 * Return: 0 if the program may run; -E2BIG if @count is above
 * PARCLASS_PIN_MAX_OPS; -EINVAL if @count is 0, an operation is not
 * well formed (parclass_pin_op_valid()), the delays add up to more than
 * PARCLASS_PIN_DELAY_MAX_US, or the reads need more than @results_len
 * bytes.
 */
int parclass_pin_validate(const struct parclass_pin_op *ops, u32 count,
			  u32 results_len)
{
	u64 delay_us = 0;
	u32 reads = 0, i;

	if (!count)
		return -EINVAL;
	if (count > PARCLASS_PIN_MAX_OPS)
		return -E2BIG;
	for (i = 0; i < count; i++) {
		if (!parclass_pin_op_valid(&ops[i]))
			return -EINVAL;
		if (parclass_pin_is_read(ops[i].op))
			reads++;
		else if (ops[i].op == PARCLASS_PIN_DELAY)
			delay_us += ops[i].arg;
	}
	if (delay_us > PARCLASS_PIN_DELAY_MAX_US || reads > results_len)
		return -EINVAL;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_pin_validate);

/*
 * One register operation on @port. Returns the byte a READ_ operation
 * fetched, else 0.
 *
 * With @pc_io (parport_pc drives the port, its registers I/O ports), the
 * data and status registers are read and written here: parport_pc's
 * write_data, read_data and read_status are one outb() or inb() each,
 * with nothing kept beside the register, and a bit-banged program is
 * mostly those. The control register's operations go through the
 * driver, which keeps a copy of it.
 */
static __always_inline u8 parclass_pin_access(struct parport *port,
					      bool pc_io,
					      const struct parclass_pin_op *op)
{
	switch (op->op) {
	case PARCLASS_PIN_WRITE_DATA:
		if (pc_io)
			outb(op->value, port->base);
		else
			parport_write_data(port, op->value);
		return 0;
	case PARCLASS_PIN_READ_DATA:
		return pc_io ? inb(port->base) : parport_read_data(port);
	case PARCLASS_PIN_READ_STATUS:
		return pc_io ? inb(port->base + 1) : parport_read_status(port);
	case PARCLASS_PIN_WRITE_CONTROL:
		parport_write_control(port, op->value);
		return 0;
	case PARCLASS_PIN_READ_CONTROL:
		return parport_read_control(port);
	case PARCLASS_PIN_FROB_CONTROL:
		parport_frob_control(port, op->mask, op->value);
		return 0;
	case PARCLASS_PIN_DATA_DIR:
		if (op->value)
			parport_data_reverse(port);
		else
			parport_data_forward(port);
		return 0;
	}
	return 0;
}

/* A delay: short ones spin, longer ones sleep until ended from outside. */
static int parclass_pin_delay(struct parclass_session *s, u32 us)
{
	if (us <= PARCLASS_PIN_SPIN_US) {
		udelay(us);
		return 0;
	}
	return parclass_xfer_sleep(s, (u64)us * NSEC_PER_USEC);
}

/*
 * Run a validated program on the port @s holds, in a transfer. @results
 * gets one byte per read. *@done and *@used say how far it got.
 */
static int parclass_pin_run(struct parclass_session *s,
			    const struct parclass_pin_op *ops, u32 count,
			    u8 *results, u32 *done, u32 *used)
{
	struct parport *port = s->pport->port;
	bool pc_io = s->pport->pc_io;
	u32 i, n = 0;
	int ret = 0;

	for (i = 0; i < count; i++) {
		const struct parclass_pin_op *op = &ops[i];

		if (!(i % PARCLASS_PIN_CHECK_EVERY)) {
			ret = parclass_xfer_stop(s);
			if (ret)
				break;
			cond_resched();
		}
		if (op->op == PARCLASS_PIN_WAIT_STATUS) {
			u64 ns = (u64)op->arg * NSEC_PER_USEC;

			ret = parclass_wait_status(s, op->mask, op->value,
						   ns_to_ktime(ns), 0, 0);
		} else if (op->op == PARCLASS_PIN_DELAY) {
			ret = parclass_pin_delay(s, op->arg);
		} else if (parclass_pin_is_read(op->op)) {
			results[n++] = parclass_pin_access(port, pc_io, op);
		} else {
			parclass_pin_access(port, pc_io, op);
		}
		if (ret)
			break;
	}
	*done = i;
	*used = n;
	return ret;
}

/**
 * parclass_pin_prepare() - copy a program in and check it
 * @cmd: the request; @done and @results_used are zeroed
 * @opsp: out: the operations (kvfree() them)
 * @resultsp: out: room for the results, or NULL (kvfree() it)
 *
 * Runs before the session is in use: a page fault on user memory never
 * holds up the port.
 *
 * Return: 0, or -EINVAL, -E2BIG, -EFAULT or -ENOMEM.
 */
int parclass_pin_prepare(struct parclass_pin_program *cmd,
			 struct parclass_pin_op **opsp, u8 **resultsp)
{
	struct parclass_pin_op *ops;
	u8 *results = NULL;
	u32 reads;
	int ret;

	*opsp = NULL;
	*resultsp = NULL;
	cmd->done = 0;
	cmd->results_used = 0;
	if (cmd->count > PARCLASS_PIN_MAX_OPS)
		return -E2BIG;
	if (!cmd->count)
		return -EINVAL;

	ops = kvmalloc_array(cmd->count, sizeof(*ops), GFP_KERNEL_ACCOUNT);
	if (!ops)
		return -ENOMEM;
	ret = -EFAULT;
	if (copy_from_user(ops, u64_to_user_ptr(cmd->ops),
			   array_size(cmd->count, sizeof(*ops))))
		goto err;
	ret = parclass_pin_validate(ops, cmd->count, cmd->results_len);
	if (ret)
		goto err;
	/* At most one result per operation, whatever @results_len says. */
	reads = min(cmd->results_len, cmd->count);
	if (reads) {
		ret = -ENOMEM;
		results = kvmalloc(reads, GFP_KERNEL_ACCOUNT);
		if (!results)
			goto err;
	}
	*opsp = ops;
	*resultsp = results;
	return 0;
err:
	kvfree(ops);
	return ret;
}

/**
 * parclass_pin_program() - PIN_PROGRAM: run a program on the held port
 * @s: the session, in use (parclass_session_use())
 * @cmd: the request; @done and @results_used are set, also on error
 *	once the program has started
 * @ops: the program, from parclass_pin_prepare()
 * @results: room for its reads, from parclass_pin_prepare(); the caller
 *	copies @results_used bytes out once @s is no longer in use
 * @started: set to whether the program started (and so whether @cmd
 *	has anything to report); a call refused before writes nothing back
 *
 * Return: 0 when the whole program ran, or -EPERM, -EBUSY, -ETIMEDOUT,
 * -ESTALE, -ENODEV or -EINTR.
 */
int parclass_pin_program(struct parclass_session *s,
			 struct parclass_pin_program *cmd,
			 const struct parclass_pin_op *ops, u8 *results,
			 bool *started)
{
	int ret;

	ret = parclass_xfer_begin(s);
	*started = !ret;
	if (ret)
		return ret;
	ret = parclass_pin_run(s, ops, cmd->count, results, &cmd->done,
			       &cmd->results_used);
	parclass_xfer_end(s);
	return ret;
}

/**
 * parclass_register_valid() - is a REGISTER request well formed?
 * @cmd: the request
 *
 * Return: true if @cmd names a register operation with a mask and a
 * value it accepts.
 */
bool parclass_register_valid(const struct parclass_register *cmd)
{
	struct parclass_pin_op op = {
		.op = cmd->op,
		.mask = cmd->mask,
		.value = cmd->value,
	};

	if (cmd->op > U8_MAX || cmd->mask > U8_MAX || cmd->value > U8_MAX)
		return false;
	/* A read's value field is output only. */
	if (parclass_pin_is_read(op.op))
		op.value = 0;
	return parclass_pin_is_register(op.op) && parclass_pin_op_valid(&op);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_register_valid);

/**
 * parclass_register_access() - REGISTER: one register access on the held port
 * @s: the session, in use (parclass_session_use())
 * @cmd: a request parclass_register_valid() accepted; a read's @value
 *	is set to what was read
 *
 * Reads need the port held; writes also that no transfer of @s runs.
 *
 * Return: 0, -EPERM if @s does not hold the port, or -EBUSY for a write
 * during a transfer of @s.
 */
int parclass_register_access(struct parclass_session *s,
			     struct parclass_register *cmd)
{
	struct parclass_pin_op op = {
		.op = cmd->op,
		.mask = cmd->mask,
		.value = cmd->value,
	};
	struct parport *port = s->pport->port;
	int ret;

	if (parclass_pin_is_read(op.op)) {
		/* FREE waits until the register is read. */
		ret = parclass_read_begin(s);
		if (ret)
			return ret;
		cmd->value = parclass_pin_access(port, s->pport->pc_io, &op);
		parclass_read_end(s);
		return 0;
	}
	ret = parclass_xfer_begin(s);
	if (ret)
		return ret;
	parclass_pin_access(port, s->pport->pc_io, &op);
	parclass_xfer_end(s);
	return 0;
}
