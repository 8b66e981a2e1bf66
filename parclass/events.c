// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: what a file's sessions report without being asked.
 *
 * Three things happen to a session while no request of it runs: an
 * ALLOCATE with PARCLASS_ALLOCATE_ASYNC is granted (the arbiter's wakeup
 * callback), the port raises interrupts (the parport core calls the
 * holder's irq_func), and the port goes away. Each is recorded in the
 * session (PARCLASS_EVENT_* bits, and a count of interrupts) and wakes
 * the file's wait queue; read() hands them out as struct parclass_event
 * records and clears them, poll() says whether there are any.
 *
 * Interrupts, as on Windows, are off unless the administrator allows them
 * (allow_interrupts) and a session asks (INTERRUPTS). Only then does the
 * session's pardevice get an irq_func, and only such a session has the
 * port's interrupt turned on while it holds the port. The irq_func is set
 * once and never cleared: parclass writes it without the core's cad_lock,
 * and the core reads it twice (test, then call), so DISABLE only stops
 * the counting. It runs in hard interrupt context, under the core's
 * cad_lock: it takes only the session's event_lock, never the port's
 * lock, which is held around calls that take cad_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/moduleparam.h>
#include <linux/parport.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "parclass.h"

static bool allow_interrupts;
module_param(allow_interrupts, bool, 0644);
MODULE_PARM_DESC(allow_interrupts,
		 "Let sessions count the port's interrupts (default off, as on Windows)");

/* The most records one read() returns. */
#define PARCLASS_EVENTS_PER_READ	64

/**
 * parclass_event_post() - record events of a session and wake its file
 * @s: the session
 * @events: PARCLASS_EVENT_* bits
 *
 * Any context.
 */
void parclass_event_post(struct parclass_session *s, u32 events)
{
	unsigned long flags;

	spin_lock_irqsave(&s->event_lock, flags);
	if (s->event_wq) {
		s->events |= events;
		s->event_ns = ktime_get_ns();
		wake_up_all(s->event_wq);
	}
	spin_unlock_irqrestore(&s->event_lock, flags);
}

/**
 * parclass_event_clear() - forget events of a session not yet read
 * @s: the session
 * @events: PARCLASS_EVENT_* bits
 *
 * Any context.
 */
void parclass_event_clear(struct parclass_session *s, u32 events)
{
	unsigned long flags;

	spin_lock_irqsave(&s->event_lock, flags);
	s->events &= ~events;
	spin_unlock_irqrestore(&s->event_lock, flags);
}

/**
 * parclass_event_detach() - the session no longer reports to its file
 * @s: the session, shut down
 */
void parclass_event_detach(struct parclass_session *s)
{
	unsigned long flags;

	spin_lock_irqsave(&s->event_lock, flags);
	s->event_wq = NULL;
	s->events = 0;
	s->irq_count = 0;
	spin_unlock_irqrestore(&s->event_lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_event_detach);

/* The holder's interrupt handler; hard interrupt context, under cad_lock. */
void parclass_irq(void *private)
{
	struct parclass_session *s = private;
	unsigned long flags;

	/* Under event_lock: DISABLE drops the count after clearing irq_on. */
	spin_lock_irqsave(&s->event_lock, flags);
	if (READ_ONCE(s->irq_on) && s->event_wq) {
		if (s->irq_count < U32_MAX)
			s->irq_count++;
		if (!(s->events & PARCLASS_EVENT_INTERRUPT)) {
			s->events |= PARCLASS_EVENT_INTERRUPT;
			s->event_ns = ktime_get_ns();
			wake_up_all(s->event_wq);
		}
	}
	spin_unlock_irqrestore(&s->event_lock, flags);
}

/**
 * parclass_irq_claimed() - the session was just given the port
 * @s: the session; under its port's lock
 *
 * Turns the port's interrupt on for a session that counts interrupts.
 */
void parclass_irq_claimed(struct parclass_session *s)
{
	lockdep_assert_held(&s->pport->lock);
	if (s->irq_on)
		parport_enable_irq(s->pport->port);
}

/*
 * Turn the port's interrupt off. An emulated PC port (QEMU's) latches an
 * interrupt on that control write and holds its line up until the status
 * is read; on a level-triggered line that interrupts for ever. Reading it
 * costs nothing on real hardware.
 */
static void parclass_irq_off(struct parport *port)
{
	parport_disable_irq(port);
	parport_read_status(port);
}

/**
 * parclass_irq_releasing() - the session is about to let the port go
 * @s: the session, holding the port, in a transfer or being torn down
 *
 * Turns the port's interrupt off again if the session had it on, so that
 * the next holder finds the port as parclass found it.
 */
void parclass_irq_releasing(struct parclass_session *s)
{
	if (READ_ONCE(s->irq_on))
		parclass_irq_off(s->pport->port);
}

/* Take the interrupts counted so far, and the event that announced them. */
static u32 parclass_irq_take(struct parclass_session *s)
{
	unsigned long flags;
	u32 n;

	spin_lock_irqsave(&s->event_lock, flags);
	n = s->irq_count;
	s->irq_count = 0;
	s->events &= ~PARCLASS_EVENT_INTERRUPT;
	spin_unlock_irqrestore(&s->event_lock, flags);
	return n;
}

/**
 * parclass_interrupts() - INTERRUPTS: enable, disable or read the count
 * @s: the session, in use (parclass_session_use())
 * @cmd: the request, validated; @count is set
 *
 * Return: 0, -EACCES, -ENXIO, -ENOENT or -EBUSY as
 * &PARCLASS_IOC_INTERRUPTS documents.
 */
int parclass_interrupts(struct parclass_session *s,
			struct parclass_interrupts *cmd)
{
	bool enable = cmd->flags & PARCLASS_INTERRUPTS_ENABLE;
	struct parclass_port *pport = s->pport;
	struct parport *port = s->pport->port;
	bool toggle = false;
	unsigned long flags;
	int ret = 0;

	cmd->count = 0;
	if (!cmd->flags) {
		cmd->count = parclass_irq_take(s);
		return 0;
	}
	if (enable) {
		if (!READ_ONCE(allow_interrupts))
			return -EACCES;
		if (port->irq == PARPORT_IRQ_NONE)
			return -ENXIO;
		parclass_session_want_irq(s);
	}

	/*
	 * A holder's control register is its transfers': the interrupt bit
	 * is turned as a transfer of @s, and outside pport->lock, because
	 * on some ports turning an interrupt off waits for its handler.
	 */
	spin_lock_irqsave(&pport->lock, flags);
	if (!enable && !s->irq_on) {
		ret = -ENOENT;
	} else if (s->state == PARCLASS_HELD && s->xfer) {
		ret = -EBUSY;
	} else {
		toggle = s->state == PARCLASS_HELD && s->irq_on != enable;
		if (toggle)
			s->xfer = true;
		WRITE_ONCE(s->irq_on, enable);
	}
	spin_unlock_irqrestore(&pport->lock, flags);
	if (ret)
		return ret;
	if (toggle) {
		if (enable)
			parport_enable_irq(port);
		else
			parclass_irq_off(port);
		parclass_xfer_end(s);
	}
	/* The handler counts under event_lock only while irq_on is set. */
	if (!enable)
		parclass_irq_take(s);
	return 0;
}

/* Does a session of the file have events? */
static bool parclass_events_pending(struct parclass_file *pfile)
{
	struct parclass_table *t = &pfile->sessions;
	struct parclass_session *s;
	unsigned long slot;
	bool any = false;

	xa_lock(&t->xa);
	xa_for_each(&t->xa, slot, s) {
		if (READ_ONCE(s->events)) {
			any = true;
			break;
		}
	}
	xa_unlock(&t->xa);
	return any;
}

/* Take up to @room sessions' events into @ev; returns how many. */
static size_t parclass_events_take(struct parclass_file *pfile,
				   struct parclass_event *ev, size_t room)
{
	struct parclass_table *t = &pfile->sessions;
	struct parclass_session *s;
	unsigned long slot, flags;
	size_t n = 0;

	xa_lock(&t->xa);
	xa_for_each(&t->xa, slot, s) {
		if (n == room)
			break;
		spin_lock_irqsave(&s->event_lock, flags);
		if (s->events) {
			ev[n].token = s->token;
			ev[n].events = s->events;
			if (s->events & PARCLASS_EVENT_INTERRUPT)
				ev[n].interrupts = s->irq_count;
			ev[n].timestamp_ns = s->event_ns;
			s->events = 0;
			if (ev[n].events & PARCLASS_EVENT_INTERRUPT)
				s->irq_count = 0;
			n++;
		}
		spin_unlock_irqrestore(&s->event_lock, flags);
	}
	xa_unlock(&t->xa);
	return n;
}

/* A copy-out failed: give the sessions still there their events back. */
static void parclass_events_untake(struct parclass_file *pfile,
				   const struct parclass_event *ev, size_t n)
{
	struct parclass_session *s;
	unsigned long flags;
	size_t i;

	for (i = 0; i < n; i++) {
		s = parclass_table_get(&pfile->sessions, ev[i].token);
		if (IS_ERR(s))
			continue;
		spin_lock_irqsave(&s->event_lock, flags);
		if (s->event_wq) {
			s->events |= ev[i].events;
			s->irq_count = min_t(u64, (u64)s->irq_count +
					     ev[i].interrupts, U32_MAX);
		}
		spin_unlock_irqrestore(&s->event_lock, flags);
		parclass_session_put(s);
	}
}

/**
 * parclass_events_read() - read() on the file
 * @pfile: the file
 * @buf: user buffer
 * @count: its size
 * @nonblock: O_NONBLOCK
 *
 * Return: bytes read (whole records), 0 once the file's last descriptor
 * is being closed, or -EINVAL, -EAGAIN, -EINTR, -EFAULT or -ENOMEM.
 */
ssize_t parclass_events_read(struct parclass_file *pfile, char __user *buf,
			     size_t count, bool nonblock)
{
	size_t room = min_t(size_t, count / sizeof(struct parclass_event),
			    PARCLASS_EVENTS_PER_READ);
	struct parclass_event *ev;
	size_t n;
	int ret;

	if (!room)
		return -EINVAL;
	ev = kcalloc(room, sizeof(*ev), GFP_KERNEL);
	if (!ev)
		return -ENOMEM;
	for (;;) {
		n = parclass_events_take(pfile, ev, room);
		if (n)
			break;
		if (READ_ONCE(pfile->closing)) {
			ret = 0;
			goto out;
		}
		if (nonblock) {
			ret = -EAGAIN;
			goto out;
		}
		if (wait_event_interruptible(pfile->event_wq,
					     parclass_events_pending(pfile) ||
					     READ_ONCE(pfile->closing))) {
			ret = -EINTR;
			goto out;
		}
	}
	if (copy_to_user(buf, ev, n * sizeof(*ev))) {
		parclass_events_untake(pfile, ev, n);
		ret = -EFAULT;
		goto out;
	}
	ret = n * sizeof(*ev);
out:
	kfree(ev);
	return ret;
}

/**
 * parclass_events_poll() - what poll() on the file reports now
 * @pfile: the file
 *
 * Return: EPOLLIN | EPOLLRDNORM when a session has events, and EPOLLHUP
 * once the file's last descriptor is being closed.
 */
__poll_t parclass_events_poll(struct parclass_file *pfile)
{
	__poll_t mask = READ_ONCE(pfile->closing) ? EPOLLHUP : 0;

	if (parclass_events_pending(pfile))
		mask |= EPOLLIN | EPOLLRDNORM;
	return mask;
}
