// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: the peripheral's IEEE 1284 device ID (Windows
 * PAR_QUERY_DEVICE_ID, PAR_QUERY_DEVICE_ID_SIZE, PAR_QUERY_RAW_DEVICE_ID).
 *
 * The ID is read through the session's own pardevice while it holds the
 * port, never through parport_device_id(): that claims the port on a
 * pardevice of its own and would wait for the holder for ever.
 *
 * The query is a transfer of the session (parclass_xfer_begin()). It
 * negotiates with parclass's own handshakes (negotiate.c) and reads the
 * ID with parclass's own nibble-mode loop; every wait of both sleeps on
 * the session's wait queue, so DISCONNECT, removal and signals end the
 * query at once. Neither lets the port go.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ktime.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/parport.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "parclass.h"
#include "trace.h"

static unsigned int device_id_holdoff_ms = 40;
module_param(device_id_holdoff_ms, uint, 0644);
MODULE_PARM_DESC(device_id_holdoff_ms,
		 "Least time between two device-ID queries on a port, in ms (default 40, at most 1000)");

#define PARCLASS_DEVID_HOLDOFF_MAX_MS	1000

/*
 * How long the peripheral may take over one nibble handshake step before
 * the ID is taken to end there (the parport core allows about as long).
 */
#define PARCLASS_NIBBLE_STEP_MS		40

/*
 * Read the ID, length bytes first, into a new buffer with room for a NUL
 * after it. *@idp gets the buffer, *@lenp the bytes read (at least 2).
 */
static int parclass_read_id(struct parclass_session *s, u8 **idp,
			    size_t *lenp)
{
	ktime_t step = ms_to_ktime(PARCLASS_NIBBLE_STEP_MS);
	size_t total, got;
	u8 head[2], *id;
	int err;

	got = parclass_nibble_in(s, head, sizeof(head), step, &err);
	if (err)
		return err;
	if (got < sizeof(head))
		return -EIO;
	/* Big-endian, counting the two length bytes themselves. */
	total = head[0] << 8 | head[1];
	if (total < sizeof(head))
		return -EIO;

	id = kvmalloc(total + 1, GFP_KERNEL_ACCOUNT);
	if (!id)
		return -ENOMEM;
	memcpy(id, head, sizeof(head));
	got += parclass_nibble_in(s, id + got, total - got, step, &err);
	if (err) {
		kvfree(id);
		return err;
	}
	id[got] = '\0';
	*idp = id;
	*lenp = got;
	return 0;
}

/*
 * Wait until device_id_holdoff_ms has passed since @pport's last query.
 */
static int parclass_devid_holdoff(struct parclass_session *s)
{
	unsigned int ms = min(READ_ONCE(device_id_holdoff_ms),
			      PARCLASS_DEVID_HOLDOFF_MAX_MS);
	ktime_t ready = ktime_add_ms(READ_ONCE(s->pport->devid_done), ms);
	ktime_t now = ktime_get();
	int ret = 0;

	while (!ret && ktime_before(now, ready)) {
		ret = parclass_xfer_sleep(s, ktime_to_ns(ktime_sub(ready, now)));
		now = ktime_get();
	}
	return ret;
}

/*
 * The query proper, in a transfer on the held port: select the chain
 * device if asked, negotiate, read, and leave the port in the mode it
 * was in. Every step ends at once when the transfer is ended from
 * outside; the port is then left in compatibility mode.
 */
static int parclass_devid_query(struct parclass_session *s, bool daisy,
				u32 addr, u8 **idp, size_t *lenp)
{
	struct parport *port = s->pport->port;
	int mode = port->physport->ieee1284.mode;
	int ret, stop;

	ret = parclass_devid_holdoff(s);
	if (ret)
		return ret;

	/* From the start of the ID: out of any mode, device ID mode included. */
	parclass_terminate(s);
	if (daisy) {
		ret = parclass_daisy_select(port, addr);
		if (ret)
			goto restore;
	}
	ret = parclass_negotiate(s, IEEE1284_MODE_NIBBLE | IEEE1284_DEVICEID);
	if (ret == -EOPNOTSUPP)
		ret = -ENODATA;
	if (!ret)
		ret = parclass_read_id(s, idp, lenp);
	parclass_terminate(s);
	if (daisy)
		parclass_daisy_restore(s);
restore:
	/* Back to the mode the query found, unless it was ended. */
	if (mode != IEEE1284_MODE_COMPAT && !parclass_xfer_stop(s) &&
	    parclass_negotiate(s, mode) && !ret) {
		kvfree(*idp);
		ret = -EIO;
	}
	WRITE_ONCE(s->pport->devid_done, ktime_get());

	/* A failure that a cancel or a signal caused says so. */
	if (ret) {
		stop = parclass_xfer_stop(s);
		if (stop)
			ret = stop;
	}
	return ret;
}

/**
 * parclass_device_id() - DEVICE_ID: the peripheral's IEEE 1284 device ID
 * @s: the session, in use (parclass_session_use())
 * @cmd: the request; @id_size is set on success and with -ERANGE
 * @idp: out: the ID read (kvfree() it), or NULL; the caller copies
 *	@cmd->id_size bytes from *@idp + *@skip out once @s is no longer in
 *	use, so that a page fault never holds up the port
 * @skip: out: the length bytes to leave out of the answer, 0 or 2
 *
 * Return: 0, or -EPERM, -EBUSY, -ERANGE, -ENODATA, -EIO, -ENXIO,
 * -ENOMEM, -ESTALE, -ENODEV or -EINTR.
 */
int parclass_device_id(struct parclass_session *s,
		       struct parclass_device_id *cmd, u8 **idp, size_t *skip)
{
	bool daisy = cmd->flags & PARCLASS_DEVICE_ID_DAISY;
	u32 addr = cmd->daisy;
	size_t len = 0;
	int ret;

	/* A chain device's session asks its own device by default. */
	if (!daisy && s->daisy >= 0) {
		daisy = true;
		addr = s->daisy;
	}
	*idp = NULL;
	ret = parclass_xfer_begin(s);
	if (ret)
		return ret;
	trace_parclass_xfer_start(s, PARCLASS_XFER_DEVICE_ID, cmd->length);
	ret = parclass_devid_query(s, daisy, addr, idp, &len);
	if (ret)
		len = 0;
	atomic64_add(len, &s->bytes);
	trace_parclass_xfer_end(s, PARCLASS_XFER_DEVICE_ID, cmd->length, len,
				ret);
	parclass_xfer_end(s);
	if (ret) {
		*idp = NULL;
		return ret;
	}

	/* The answer and its NUL: id[len] is the NUL. */
	*skip = cmd->flags & PARCLASS_DEVICE_ID_RAW ? 0 : 2;
	cmd->id_size = len - *skip + 1;
	if (cmd->length && cmd->length < cmd->id_size)
		return -ERANGE;
	return 0;
}
