// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: the IEEE 1284 operations a session performs on the port it
 * holds. Today: sending data in compatibility mode (Windows
 * ParallelWrite).
 *
 * parclass runs its own compatibility-mode handshake instead of the
 * parport core's parport_ieee1284_write_compat() (or a chip's FIFO
 * routine), for two reasons:
 *
 * - The core's routine gives the port away in the middle of a transfer:
 *   parport_yield_blocking() once the timeslice has passed and another
 *   device is queued, and parport_release() + parport_claim_or_block()
 *   while a slow peripheral on a polled port stays busy. A session holds
 *   its port from ALLOCATE to FREE, so nothing here may release it.
 * - Neither the core's routine nor parport_pc's FIFO routine can be
 *   ended from outside: they poll until the inactivity timeout, and the
 *   FIFO drain waits up to four seconds per FIFO slot. A parclass
 *   transfer ends as soon as its session is disconnected, its port is
 *   removed or a signal arrives, because every wait below sleeps on the
 *   session's wait queue, which DISCONNECT and removal wake.
 *
 * The price: on ECP chips, compatibility mode runs byte by byte rather
 * than through the chip's FIFO.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/ktime.h>
#include <linux/parport.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "parclass.h"
#include "trace.h"

/* Bytes copied from user space and handed to the port at a time. */
#define PARCLASS_WRITE_CHUNK 4096

/* A ready peripheral answers within this many microseconds of polling. */
#define PARCLASS_POLL_US 35

/* Sleeps between polls of a busy peripheral: from this, doubling... */
#define PARCLASS_SLEEP_MIN_NS (100 * NSEC_PER_USEC)
/* ...up to this, so that a peripheral that becomes ready is seen soon. */
#define PARCLASS_SLEEP_MAX_NS (10 * NSEC_PER_MSEC)

/**
 * parclass_xfer_stop() - must a transfer stop now?
 * @s: the session, in a transfer
 *
 * Return: -ESTALE (the session is being disconnected or its file
 * closed), -ENODEV (the port is going away), -EINTR (a signal), or 0.
 */
int parclass_xfer_stop(struct parclass_session *s)
{
	int ret = parclass_xfer_cancelled(s);

	if (!ret && signal_pending(current))
		ret = -EINTR;
	return ret;
}

/**
 * parclass_xfer_pause_slow() - parclass_xfer_pause() at a chunk's end
 * @s: the session, in a transfer
 *
 * Looks whether the transfer must stop and lets others run.
 *
 * Return: 0, or -ESTALE, -ENODEV or -EINTR as parclass_xfer_stop().
 */
int parclass_xfer_pause_slow(struct parclass_session *s)
{
	int err = parclass_xfer_stop(s);

	if (!err)
		cond_resched();
	return err;
}

/**
 * parclass_step_timeout() - how long a peripheral may take over one step
 * @s: the session
 * @timeout_ns: the caller's choice, in nanoseconds; 0 for the
 *	pardevice's (the parport default of 5 s)
 *
 * Return: the timeout, at most KTIME_MAX.
 */
ktime_t parclass_step_timeout(struct parclass_session *s, u64 timeout_ns)
{
	if (!timeout_ns)
		return ns_to_ktime(jiffies_to_nsecs(s->pardev->timeout));
	return timeout_ns > KTIME_MAX ? KTIME_MAX : ns_to_ktime(timeout_ns);
}

/**
 * parclass_wait_status_slow() - wait, without letting the port go, for
 *	the status lines to match
 * @s: the session, holding the port and in a transfer
 * @mask: the status bits that matter
 * @val: what they must read
 * @timeout: give up this long after the first look (parclass_wait_status()
 *	makes that look inline, so a step whose lines already match costs one
 *	status read)
 * @upset: if non-zero, status bits that must read as @upset_val, else the
 *	peripheral reports a fault
 * @upset_val: see @upset
 *
 * Return: 0 once they match; -ETIMEDOUT after @timeout; -EIO on a fault;
 * -ESTALE, -ENODEV or -EINTR when the transfer is ended from outside.
 */
int parclass_wait_status_slow(struct parclass_session *s, u8 mask, u8 val,
			      ktime_t timeout, u8 upset, u8 upset_val)
{
	struct parport *port = s->pport->port;
	u64 sleep_ns = PARCLASS_SLEEP_MIN_NS, left;
	ktime_t now, deadline;
	unsigned int i;
	u8 status;
	int ret;

	deadline = ktime_add_safe(ktime_get(), timeout);
	/* A ready peripheral answers within microseconds: spin first. */
	for (i = 0; i < PARCLASS_POLL_US; i++) {
		if ((parport_read_status(port) & mask) == val)
			return 0;
		if (!ktime_before(ktime_get(), deadline))
			break;
		udelay(1);
	}
	for (;;) {
		status = parport_read_status(port);
		if ((status & mask) == val)
			return 0;
		if (upset && (status & upset) != upset_val)
			return -EIO;
		ret = parclass_xfer_stop(s);
		if (ret)
			return ret;
		now = ktime_get();
		if (!ktime_before(now, deadline))
			return -ETIMEDOUT;
		/*
		 * Never past the deadline. DISCONNECT and removal wake s->wq;
		 * signals end the sleep.
		 */
		left = ktime_to_ns(ktime_sub(deadline, now));
		wait_event_interruptible_hrtimeout(s->wq,
						   parclass_xfer_cancelled(s),
						   ns_to_ktime(min(sleep_ns, left)));
		sleep_ns = min_t(u64, sleep_ns * 2, PARCLASS_SLEEP_MAX_NS);
	}
}

/**
 * parclass_xfer_sleep() - sleep in a transfer, ending early if it is ended
 * @s: the session, in a transfer
 * @ns: how long
 *
 * Return: 0 after @ns, or -ESTALE, -ENODEV or -EINTR as
 * parclass_xfer_stop() says, as soon as that happens.
 */
int parclass_xfer_sleep(struct parclass_session *s, u64 ns)
{
	wait_event_interruptible_hrtimeout(s->wq, parclass_xfer_cancelled(s),
					   ns_to_ktime(ns));
	return parclass_xfer_stop(s);
}

/*
 * Compatibility mode, host to peripheral (IEEE 1284 events): wait for
 * Busy low with nFault high, put the byte on the data lines, pulse
 * nStrobe. Returns how many bytes went out; *err says why it stopped
 * short.
 */
static size_t parclass_compat_out(struct parclass_session *s, const u8 *buf,
				  size_t len, ktime_t inactivity, int *err)
{
	struct parport *port = s->pport->port;
	const u8 ctl = PARPORT_CONTROL_SELECT | PARPORT_CONTROL_INIT;
	const u8 ready = PARPORT_STATUS_ERROR | PARPORT_STATUS_BUSY;
	const u8 upset = PARPORT_STATUS_PAPEROUT | PARPORT_STATUS_SELECT |
			 PARPORT_STATUS_ERROR;
	size_t done = 0;

	*err = 0;
	port->physport->ieee1284.phase = IEEE1284_PH_FWD_DATA;
	parport_write_control(port, ctl);
	parport_data_forward(port);
	while (done < len) {
		*err = parclass_wait_status(s, ready, ready, inactivity, upset,
					    PARPORT_STATUS_SELECT |
					    PARPORT_STATUS_ERROR);
		if (*err)
			break;
		parport_write_data(port, buf[done]);
		udelay(1);
		parport_write_control(port, ctl | PARPORT_CONTROL_STROBE);
		udelay(1);
		parport_write_control(port, ctl);
		udelay(1);
		done++;
		*err = parclass_xfer_stop(s);
		if (*err)
			break;
		cond_resched();
	}
	port->physport->ieee1284.phase = IEEE1284_PH_FWD_IDLE;
	return done;
}

/*
 * The mode a WRITE runs in: with PARCLASS_WRITE_MODE the session's write
 * mode if that is ECP or EPP, else compatibility mode.
 */
static u32 parclass_write_bit(struct parclass_session *s, u32 flags)
{
	u32 bit;

	if (!(flags & PARCLASS_WRITE_MODE))
		return PARCLASS_1284_CENTRONICS;
	bit = parclass_mode_of(s, PARCLASS_ADDRESS_WRITE);
	if (bit == PARCLASS_1284_ECP_SW || bit == PARCLASS_1284_EPP_SW)
		return bit;
	return PARCLASS_1284_CENTRONICS;
}

/**
 * parclass_write() - send bytes through the port the session holds
 * @s: the session, in use (parclass_session_use())
 * @ubuf: the bytes, in user memory
 * @len: how many
 * @timeout_ns: the peripheral's inactivity timeout; 0 for the pardevice's
 *	(the parport default of 5 s)
 * @flags: PARCLASS_WRITE_MODE: in the session's write mode
 * @written: out: how many bytes went out, also on error
 *
 * The port is never released during the transfer. It ends early, with
 * the bytes sent so far in @written, when the session is disconnected
 * (-ESTALE), the port is removed (-ENODEV) or a signal arrives (-EINTR).
 *
 * Return: 0 when all went out, or -EPERM, -EBUSY, -EFAULT, -ETIMEDOUT,
 * -EIO, -EINTR, -ESTALE, -ENODEV or -ENOMEM.
 */
int parclass_write(struct parclass_session *s, const void __user *ubuf,
		   u32 len, u64 timeout_ns, u32 flags, u32 *written)
{
	ktime_t inactivity;
	u32 done = 0, bit;
	size_t chunk;
	void *kbuf;
	int ret;

	*written = 0;
	kbuf = kmalloc(PARCLASS_WRITE_CHUNK, GFP_KERNEL);
	if (!kbuf)
		return -ENOMEM;
	/* From here until parclass_xfer_end(), FREE answers -EBUSY. */
	ret = parclass_xfer_begin(s);
	if (ret)
		goto out_free;
	trace_parclass_xfer_start(s, PARCLASS_XFER_WRITE, len);

	inactivity = parclass_step_timeout(s, timeout_ns);

	bit = parclass_write_bit(s, flags);
	if (bit == PARCLASS_1284_CENTRONICS) {
		parclass_terminate(s);
	} else {
		ret = parclass_enter(s, bit);
		if (ret == -EOPNOTSUPP)
			ret = -EIO;
		if (!ret)
			ret = parclass_address_ensure(s, bit, false, inactivity);
	}

	while (done < len && !ret) {
		chunk = min_t(size_t, len - done, PARCLASS_WRITE_CHUNK);
		if (copy_from_user(kbuf, ubuf + done, chunk)) {
			ret = -EFAULT;
			break;
		}
		if (bit == PARCLASS_1284_ECP_SW)
			done += parclass_ecp_out(s, kbuf, chunk, false,
						 inactivity, &ret);
		else if (bit == PARCLASS_1284_EPP_SW)
			done += parclass_epp_out(s, kbuf, chunk, false,
						 inactivity, &ret);
		else
			done += parclass_compat_out(s, kbuf, chunk, inactivity,
						    &ret);
		/* The last byte went out: a stop request comes too late. */
		if (done == len)
			ret = 0;
	}
	atomic64_add(done, &s->bytes);
	trace_parclass_xfer_end(s, PARCLASS_XFER_WRITE, len, done, ret);
	parclass_xfer_end(s);
out_free:
	kfree(kbuf);
	*written = done;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_write);
