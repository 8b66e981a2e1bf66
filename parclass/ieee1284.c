// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: the IEEE 1284 operations a session performs on the port it
 * holds. Today: sending data in the port's current mode (Windows
 * ParallelWrite).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/jiffies.h>
#include <linux/parport.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "parclass.h"

/* Bytes copied from user space and handed to the port at a time. */
#define PARCLASS_WRITE_CHUNK 4096

/**
 * parclass_write() - send bytes through the port the session holds
 * @s: the session, in use (parclass_session_use())
 * @ubuf: the bytes, in user memory
 * @len: how many
 * @timeout_ns: the peripheral's inactivity timeout; 0 for the default
 * @written: out: how many bytes went out, also on error
 *
 * Return: 0 when all went out, or -EPERM, -EFAULT, -ETIMEDOUT, -EINTR,
 * -ENOMEM or -EIO.
 */
int parclass_write(struct parclass_session *s, const void __user *ubuf,
		   u32 len, u64 timeout_ns, u32 *written)
{
	struct pardevice *dev = s->pardev;
	long old_timeout = 0;
	u32 done = 0;
	void *kbuf;
	int ret = 0;

	*written = 0;
	/* claim_lock keeps this session's FREE out until the transfer ends. */
	mutex_lock(&s->claim_lock);
	if (!parclass_holds(s)) {
		ret = -EPERM;
		goto out_unlock;
	}
	kbuf = kmalloc(PARCLASS_WRITE_CHUNK, GFP_KERNEL);
	if (!kbuf) {
		ret = -ENOMEM;
		goto out_unlock;
	}
	if (timeout_ns) {
		long inactivity = max_t(long, 1, nsecs_to_jiffies(timeout_ns));

		old_timeout = parport_set_timeout(dev, inactivity);
	}

	while (done < len) {
		size_t chunk = min_t(size_t, len - done, PARCLASS_WRITE_CHUNK);
		ssize_t n;

		if (copy_from_user(kbuf, ubuf + done, chunk)) {
			ret = -EFAULT;
			break;
		}
		n = parport_write(dev->port, kbuf, chunk);
		if (n < 0) {
			ret = -EIO;
			break;
		}
		done += n;
		if (n < chunk) {
			ret = signal_pending(current) ? -EINTR : -ETIMEDOUT;
			break;
		}
		if (done < len && signal_pending(current)) {
			ret = -EINTR;
			break;
		}
		cond_resched();
	}

	if (timeout_ns)
		parport_set_timeout(dev, old_timeout);
	kfree(kbuf);
out_unlock:
	mutex_unlock(&s->claim_lock);
	*written = done;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_write);
