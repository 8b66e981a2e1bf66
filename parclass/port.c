// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: port tracking and arbitration.
 *
 * parclass registers itself as a parport driver. The parport core tells
 * it about every port, present and future (match_port), and about every
 * port that goes away (detach). parclass keeps a referenced entry per
 * port, indexed by the port's number.
 *
 * Arbitration. A session that uses the port has a pardevice of its own,
 * whose preempt callback always refuses (a session's pardevice is the
 * port's owner only while the session holds it) and which has no wakeup
 * callback, so a failed parport_claim() never puts it on the parport
 * core's wait list. parclass keeps its own FIFO of waiting sessions per
 * port and never sleeps inside the parport core:
 *
 * - ALLOCATE tries parport_claim() when no parclass client is queued;
 *   otherwise, or if the claim fails, it queues the session and sleeps on
 *   the session's own wait queue, with its timeout and signals handled
 *   by parclass.
 * - While its sessions wait for it, a port also has one more parclass
 *   pardevice, the arbiter, which only has a wakeup callback and never
 *   claims the port. When the port is released and no device queued in
 *   the parport core takes it, the core calls every wakeup callback; the
 *   arbiter's grants the port to the oldest waiting session, claiming it
 *   for that session there and then, and wakes it. The arbiter comes
 *   when a session first has to wait (a client that finds the port free
 *   never needs one): ALLOCATE registers it before it queues the
 *   session, then tries to claim the port again, so that a release in
 *   between is not missed. It stays while sessions of the port have
 *   pardevices and PARCLASS_ARBITER_LINGER_MS after the last one goes,
 *   so that clients that wait one after another cost no registration
 *   of it; then it goes, so that a port nobody uses through parclass
 *   carries no parclass device (ppdev's PPEXCL wants a port with no
 *   device at all).
 * - ALLOCATE and FREE take none of the session's locks (but for the
 *   claim_lock of ALLOCATE's registration of a pardevice the session does
 *   not have): ALLOCATE claims under the port lock, and FREE makes the
 *   session IDLE there, marked releasing, then releases the port
 *   (outside the lock, which the arbiter's wakeup takes) with interrupts
 *   normally still off, so that each of the two turns them off and on
 *   once. Until the release is done, another thread's ALLOCATE of the
 *   same session answers -EALREADY, as it would while the session held
 *   the port.
 * - A session that gives up (timeout, signal, DISCONNECT, removal) leaves
 *   the queue under the port lock, so no wakeup can grant it the port
 *   afterwards: the "granted after giving up" ownership that
 *   parport_claim_or_block() leaks on a signal cannot happen.
 * - Keeping parclass's pardevices off the core's wait list also keeps
 *   them out of parport_claim()'s wait-list branch, which re-enables
 *   interrupts while the port's cad_lock is held for writing: an
 *   interrupt from the previous owner's settings then deadlocks the CPU
 *   in parport_irq_handler(). The price: at each release, drivers queued
 *   in the core (lp, ppdev) go before parclass's waiters.
 * - Only sessions that enable INTERRUPTS get an irq_func (events.c);
 *   the others have none, so the parport core never calls them.
 *
 * Idle sessions cost the port nothing. parport_release() calls the
 * wakeup of every device on the port when nobody queued in the core takes
 * it, walking the port's whole list of devices, so each registered
 * pardevice makes every release of the port slower, whoever releases it.
 * A session therefore registers its pardevice at its first ALLOCATE (or
 * LOCK, SELECT_DEVICE), keeps it while it waits, holds and comes back
 * within PARCLASS_IDLE_MS, and loses it once it has been idle that long
 * (idle_work). Ten thousand connected sessions that do not use the port
 * leave its devices list as it was; CONNECT registers nothing, and
 * DISCONNECT lets go of a pardevice the session still has (below).
 * Whoever holds the port has a pardevice, so sysfs and LIST_PORTS name
 * the holder, and lp and ppdev see one well-behaved device per client
 * that uses the port. Measured with make bench (Debian 6.12, QEMU TCG,
 * 2 vCPUs): claim and release with 10,000 idle sessions connected ran
 * at 1.07 to 1.10 times its speed without them (ppdev with 2,000 idle
 * files: 0.10), CONNECT + DISCONNECT with 10,001 sessions took 1.00 to
 * 1.01 times its time with 1, and an idle session costs 510 bytes of
 * slab.
 *
 * Clients that come and go. Registering a pardevice costs far more than
 * the rest of a client's life: the driver core tries every parport
 * driver loaded before parclass on it (lp and ppdev refuse it, each after
 * linking it to itself in sysfs and unlinking it again), and sysfs and
 * uevents come and go with it. So a pardevice a session lets go of
 * (idle, DISCONNECT or close) stays registered as the port's spare if
 * the port has none, released and with no callback but preempt's; the
 * next session that needs a pardevice takes it over with the callbacks
 * and fresh saved state (init_state) a registration would have given
 * it, and is from then on its only user. The spare goes with the
 * arbiter, PARCLASS_ARBITER_LINGER_MS after the last session pardevice,
 * so a port never has more than one parclass pardevice that no session
 * uses, besides the arbiter, and none once its clients are idle.
 * Measured with make bench (Debian 6.12, QEMU TCG, 2 vCPUs), a whole
 * client (CONNECT, ALLOCATE, FREE, DISCONNECT) took 25 us with the spare
 * against 319 us registering and unregistering its own pardevice, and
 * ppdev's open, PPCLAIM, PPRELEASE, close 301 us.
 *
 * Unregistering. parport_release() walks the port's list of devices with
 * no lock, calling wakeup callbacks, so a pardevice unregistered while
 * another device's release walks the list could be read after it is
 * freed (its wakeup, private data and next pointer). parclass keeps the
 * memory of every pardevice it unregisters, with a device reference,
 * until an RCU grace period and an RCU-tasks grace period have passed:
 * by then every walk that could have been at it has ended, whether it
 * ran atomic (RCU waits for it) or preemptible and was preempted
 * (RCU-tasks waits for the task). A late walk that still calls a retired
 * arbiter's wakeup is harmless: the retired arbiter keeps a reference to
 * its port entry, and the callback only grants the free port to a
 * waiting session, as the current arbiter would. Lingering (above) keeps
 * such retirements rare.
 *
 * Holding. From ALLOCATE to FREE no other device gets the port, during
 * transfers too. The parport core gives a port away behind its owner's
 * back in two places only, both inside its software IEEE 1284 routines
 * (ieee1284_ops.c): parport_yield_blocking(), once the owner's timeslice
 * has passed and a device is queued, and a parport_release() +
 * parport_claim_or_block() pair while a slow peripheral on a polled port
 * stays busy. parclass calls neither those routines nor parport_yield*():
 * its transfers run their own handshakes (ieee1284.c), which poll and
 * sleep with the port still claimed. As a second guard, a session's
 * pardevice gets a timeslice that never runs out, so a core routine that
 * yields would not yield it either. The only parport_release() of a
 * session's pardevice is FREE's or teardown's, and FREE refuses with
 * -EBUSY while a transfer runs.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/device.h>
#include <linux/err.h>
#include <linux/idr.h>
#include <linux/ktime.h>
#include <linux/llist.h>
#include <linux/module.h>
#include <linux/moduleparam.h>
#include <linux/mutex.h>
#include <linux/parport.h>
#include <linux/parport_pc.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/xarray.h>

#include "parclass.h"
#include "trace.h"

/*
 * Ports by port->number. parclass_ports_lock covers insertion and removal
 * of entries and walks of the table; it is taken inside the parport
 * core's registration_lock (match_port and detach run under it), so
 * parclass never calls into parport registration with it held.
 */
static DEFINE_MUTEX(parclass_ports_lock);
static DEFINE_XARRAY(parclass_ports);

/* Unique ids for parclass's pardevices ("parclass.<id>"). */
static DEFINE_IDA(parclass_dev_ida);

/* How long a port keeps its arbiter after its last session. */
#define PARCLASS_ARBITER_LINGER_MS	2000

/* How long an idle session keeps its pardevice. */
#define PARCLASS_IDLE_MS		2000

/**
 * struct parclass_retired - a pardevice parclass unregistered, kept
 * @node: on parclass_retired_list
 * @pardev: the pardevice, with a device reference
 * @pport: the port entry its wakeup callback uses, referenced; or NULL
 */
struct parclass_retired {
	struct llist_node node;
	struct pardevice *pardev;
	struct parclass_port *pport;
};

/* Unregistered pardevices whose grace periods have not begun (lockless). */
static LLIST_HEAD(parclass_retired_list);

static void parclass_reap(struct work_struct *work);
static DECLARE_WORK(parclass_reap_work, parclass_reap);
static void parclass_arbiter_linger_end(struct work_struct *work);

/* Windows' AcquirePortTimeout: LOCK's wait for the port. */
#define PARCLASS_ACQUIRE_MIN_MS		500
#define PARCLASS_ACQUIRE_MAX_MS		5000

static unsigned int acquire_timeout_ms = 500;

static int parclass_acquire_set(const char *val, const struct kernel_param *kp)
{
	unsigned int ms;
	int ret;

	/* Out of range, also beyond what a uint holds: -EINVAL. */
	ret = kstrtouint(val, 0, &ms);
	if (ret || ms < PARCLASS_ACQUIRE_MIN_MS || ms > PARCLASS_ACQUIRE_MAX_MS)
		return -EINVAL;
	WRITE_ONCE(acquire_timeout_ms, ms);
	return 0;
}

static const struct kernel_param_ops parclass_acquire_ops = {
	.set = parclass_acquire_set,
	.get = param_get_uint,
};
module_param_cb(acquire_timeout_ms, &parclass_acquire_ops,
		&acquire_timeout_ms, 0644);
MODULE_PARM_DESC(acquire_timeout_ms,
		 "How long LOCK waits for the port, 500 to 5000 ms (default 500)");

static void parclass_port_release(struct kref *kref)
{
	struct parclass_port *pport = container_of(kref, struct parclass_port,
						   kref);

	WARN_ON(!list_empty(&pport->sessions) || pport->arbiter ||
		pport->spare);
	parport_put_port(pport->port);
	kfree(pport);
}

/**
 * parclass_port_put() - drop a reference to a port entry
 * @pport: the entry
 */
void parclass_port_put(struct parclass_port *pport)
{
	kref_put(&pport->kref, parclass_port_release);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_port_put);

/**
 * parclass_port_create() - make a port entry, not yet in the port table
 * @port: the parport; the entry takes its own reference
 *
 * Return: the entry with one reference, or NULL without memory.
 */
struct parclass_port *parclass_port_create(struct parport *port)
{
	struct parclass_port *pport;

	pport = kzalloc(sizeof(*pport), GFP_KERNEL);
	if (!pport)
		return NULL;
	kref_init(&pport->kref);
	pport->port = parport_get_port(port);
	spin_lock_init(&pport->lock);
	INIT_LIST_HEAD(&pport->waiters);
	mutex_init(&pport->sessions_lock);
	init_waitqueue_head(&pport->leave_wq);
	mutex_init(&pport->arbiter_lock);
	INIT_LIST_HEAD(&pport->sessions);
	INIT_DELAYED_WORK(&pport->arbiter_linger, parclass_arbiter_linger_end);
	return pport;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_port_create);

/**
 * parclass_port_get() - find a port by number
 * @number: the parport number
 *
 * Return: a referenced entry, or NULL if parclass knows no such port.
 */
struct parclass_port *parclass_port_get(u32 number)
{
	struct parclass_port *pport;

	mutex_lock(&parclass_ports_lock);
	pport = xa_load(&parclass_ports, number);
	if (pport)
		kref_get(&pport->kref);
	mutex_unlock(&parclass_ports_lock);
	return pport;
}

/*
 * The parport core asks parclass's devices to yield the port. A session's
 * pardevice owns the port only while the session holds it, and a holding
 * session is never preempted (Windows behaves the same way).
 */
static int parclass_preempt(void *private)
{
	return 1;
}

/* Grant the port to the oldest waiting session, if it can have it now. */
static void parclass_grant_locked(struct parclass_port *pport)
{
	struct parclass_session *s;

	lockdep_assert_held(&pport->lock);
	if (pport->holder || pport->removed)
		return;
	s = list_first_entry_or_null(&pport->waiters, struct parclass_session,
				     wait_entry);
	if (!s || parport_claim(s->pardev))
		return;
	list_del_init(&s->wait_entry);
	s->state = PARCLASS_HELD;
	s->held_since = ktime_get_ns();
	s->granted_seq = s->req_seq;
	pport->holder = s;
	parclass_irq_claimed(s);
	if (s->async) {
		s->async = false;
		parclass_event_post(s, PARCLASS_EVENT_GRANTED);
	}
	wake_up_all(&s->wq);
}

/*
 * The arbiter's wakeup callback: the parport core calls it when the port
 * was released and no device queued in the core took it.
 */
static void parclass_wakeup(void *private)
{
	struct parclass_port *pport = private;
	unsigned long flags;

	spin_lock_irqsave(&pport->lock, flags);
	parclass_grant_locked(pport);
	spin_unlock_irqrestore(&pport->lock, flags);
}

static struct pardevice *parclass_register(struct parclass_port *pport,
					   const struct pardev_cb *cb, int *id)
{
	struct pardevice *pardev;

	*id = ida_alloc(&parclass_dev_ida, GFP_KERNEL);
	if (*id < 0)
		return ERR_PTR(*id);
	pardev = parport_register_dev_model(pport->port, "parclass", cb, *id);
	if (!pardev) {
		ida_free(&parclass_dev_ida, *id);
		return ERR_PTR((pport->port->physport->flags & PARPORT_FLAG_EXCL) ?
			       -EBUSY : -ENOMEM);
	}
	return pardev;
}

/* Drop retired pardevices, once no release's walk can be at them. */
static void parclass_reap(struct work_struct *work)
{
	struct llist_node *list = llist_del_all(&parclass_retired_list);
	struct parclass_retired *r, *tmp;

	if (!list)
		return;
	synchronize_rcu();
	synchronize_rcu_tasks();
	llist_for_each_entry_safe(r, tmp, list, node) {
		put_device(&r->pardev->dev);
		if (r->pport)
			parclass_port_put(r->pport);
		kfree(r);
	}
}

/**
 * parclass_unregister() - unregister one of parclass's pardevices
 * @pardev: the pardevice, released
 * @id: its id
 * @pport: the port entry its callbacks use, or NULL if they use nothing
 *	that could go with it
 *
 * The pardevice leaves the port at once; its memory (and @pport) stays
 * until no parport_release() walk can reach it (see the top of this
 * file). Sleeps.
 */
VISIBLE_IF_KUNIT void parclass_unregister(struct pardevice *pardev, int id,
					  struct parclass_port *pport)
{
	struct parclass_retired *r = kmalloc(sizeof(*r), GFP_KERNEL);

	get_device(&pardev->dev);
	if (pport)
		kref_get(&pport->kref);
	parport_unregister_device(pardev);
	ida_free(&parclass_dev_ida, id);
	if (!r) {
		/* Without memory, the same wait, here and now. */
		synchronize_rcu();
		synchronize_rcu_tasks();
		put_device(&pardev->dev);
		if (pport)
			parclass_port_put(pport);
		return;
	}
	r->pardev = pardev;
	r->pport = pport;
	llist_add(&r->node, &parclass_retired_list);
	schedule_work(&parclass_reap_work);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_unregister);

/**
 * parclass_unregister_flush() - drop every retired pardevice now
 *
 * For module unload (and tests): once every port is detached, nothing
 * can retire a pardevice any more.
 */
VISIBLE_IF_KUNIT void parclass_unregister_flush(void)
{
	flush_work(&parclass_reap_work);
	parclass_reap(NULL);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_unregister_flush);

/**
 * parclass_arbiter_hold() - a session's pardevice comes: it counts
 * @pport: the port
 * @spare_id: out: the id of the pardevice returned
 *
 * Return: the port's spare pardevice, now the caller's, or NULL.
 */
static struct pardevice *parclass_arbiter_hold(struct parclass_port *pport,
					       int *spare_id)
{
	struct pardevice *spare;

	mutex_lock(&pport->arbiter_lock);
	pport->arbiter_users++;
	spare = pport->spare;
	*spare_id = pport->spare_id;
	pport->spare = NULL;
	mutex_unlock(&pport->arbiter_lock);
	return spare;
}

/**
 * parclass_arbiter_need() - a session must wait: the port gets its arbiter
 * @pport: the port
 *
 * The caller's session had a pardevice a moment ago, counted in
 * @pport->arbiter_users, so the arbiter stays at least until that session
 * lets go of it (ALLOCATE looks again under the port lock, and registers
 * a new one if the idle work took it meanwhile).
 *
 * Return: 0, -ENODEV on a removed port, or the arbiter's registration
 * error.
 */
static int parclass_arbiter_need(struct parclass_port *pport)
{
	const struct pardev_cb cb = {
		.wakeup = parclass_wakeup,
		.private = pport,
	};
	struct pardevice *arbiter;
	int ret = 0;

	mutex_lock(&pport->arbiter_lock);
	if (READ_ONCE(pport->removed)) {
		ret = -ENODEV;
	} else if (!pport->arbiter) {
		arbiter = parclass_register(pport, &cb, &pport->arbiter_id);
		if (IS_ERR(arbiter))
			ret = PTR_ERR(arbiter);
		else
			WRITE_ONCE(pport->arbiter, arbiter);
	}
	mutex_unlock(&pport->arbiter_lock);
	return ret;
}

/*
 * Unregister the arbiter, and the spare with it, if no session has a
 * pardevice; arbiter_lock.
 */
static void parclass_arbiter_retire_locked(struct parclass_port *pport)
{
	lockdep_assert_held(&pport->arbiter_lock);
	if (pport->arbiter_users)
		return;
	if (pport->spare) {
		parclass_unregister(pport->spare, pport->spare_id, NULL);
		pport->spare = NULL;
	}
	if (!pport->arbiter)
		return;
	parclass_unregister(pport->arbiter, pport->arbiter_id, pport);
	WRITE_ONCE(pport->arbiter, NULL);
}

/*
 * A session lets go of its pardevice @pardev (id @id), released, or NULL
 * if it had none to give back. It stays as the port's spare if the port
 * has none, else it is unregistered now. The arbiter, and the spare with
 * it, go once no session has had a pardevice for a while. On a removed
 * port all go now: the removal's own retire may have run while this
 * session still had its pardevice, and nothing else would unregister
 * them from the dead port.
 */
static void parclass_arbiter_unhold(struct parclass_port *pport,
				    struct pardevice *pardev, int id)
{
	bool removed;

	mutex_lock(&pport->arbiter_lock);
	removed = READ_ONCE(pport->removed);
	if (pardev && !pport->spare && !removed) {
		/* Nothing of the session's stays with it. */
		WRITE_ONCE(pardev->irq_func, NULL);
		WRITE_ONCE(pardev->private, NULL);
		pport->spare = pardev;
		pport->spare_id = id;
	} else if (pardev) {
		parclass_unregister(pardev, id, NULL);
	}
	if (--pport->arbiter_users) {
		mutex_unlock(&pport->arbiter_lock);
		return;
	}
	if (removed) {
		parclass_arbiter_retire_locked(pport);
	} else {
		/* The work's reference; dropped by the work, or by its cancel. */
		kref_get(&pport->kref);
		if (mod_delayed_work(system_wq, &pport->arbiter_linger,
				     msecs_to_jiffies(PARCLASS_ARBITER_LINGER_MS)))
			/* It was queued already, with a reference of its own. */
			parclass_port_put(pport);
	}
	mutex_unlock(&pport->arbiter_lock);
}

static void parclass_arbiter_linger_end(struct work_struct *work)
{
	struct parclass_port *pport = container_of(to_delayed_work(work),
						   struct parclass_port,
						   arbiter_linger);

	mutex_lock(&pport->arbiter_lock);
	parclass_arbiter_retire_locked(pport);
	mutex_unlock(&pport->arbiter_lock);
	parclass_port_put(pport);
}

/**
 * parclass_port_arbiter_retire() - unregister an unused arbiter now
 * @pport: the port
 *
 * What PARCLASS_ARBITER_LINGER_MS after the last session pardevice does;
 * the port keeps its arbiter while a session has a pardevice. Sleeps.
 */
void parclass_port_arbiter_retire(struct parclass_port *pport)
{
	if (cancel_delayed_work_sync(&pport->arbiter_linger))
		parclass_port_put(pport);
	mutex_lock(&pport->arbiter_lock);
	parclass_arbiter_retire_locked(pport);
	mutex_unlock(&pport->arbiter_lock);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_port_arbiter_retire);

/**
 * parclass_port_attach_session() - add a new session to its port
 * @pport: the port
 * @s: the session, not yet published
 *
 * Adds the session to the port's list. The session's own pardevice (and
 * the port's arbiter with the first one) comes with its first ALLOCATE.
 *
 * Return: 0, -ENODEV if the port is going away, -EBUSY if a driver holds
 * the port exclusively, or -ENOMEM.
 */
int parclass_port_attach_session(struct parclass_port *pport,
				 struct parclass_session *s)
{
	int ret;

	mutex_lock(&pport->sessions_lock);
	if (pport->removed) {
		ret = -ENODEV;
		goto out_unlock;
	}
	if (READ_ONCE(pport->port->physport->flags) & PARPORT_FLAG_EXCL) {
		ret = -EBUSY;
		goto out_unlock;
	}
	list_add_tail(&s->port_entry, &pport->sessions);
	pport->nr_sessions++;
out_unlock:
	mutex_unlock(&pport->sessions_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_port_attach_session);

/* Set @s->pardev: under its claim_lock. */
static void parclass_set_pardev(struct parclass_session *s,
				struct pardevice *pardev)
{
	unsigned long flags;

	lockdep_assert_held(&s->claim_lock);
	spin_lock_irqsave(&s->pport->lock, flags);
	s->pardev = pardev;
	spin_unlock_irqrestore(&s->pport->lock, flags);
}

/* Give @s its pardevice if it has none. */
static int parclass_session_register(struct parclass_session *s)
{
	struct pardev_cb cb = {
		.preempt = parclass_preempt,
		.private = s,
	};
	struct pardevice *pardev;
	int ret = 0;

	mutex_lock(&s->claim_lock);
	if (s->pardev)
		goto out;
	if (s->irq_wanted)
		cb.irq_func = parclass_irq;
	pardev = parclass_arbiter_hold(s->pport, &s->dev_id);
	if (pardev) {
		/*
		 * The port's spare, released and no one's: it becomes this
		 * session's as if registered for it now, with the callbacks
		 * and the fresh saved state a registration gives.
		 */
		WRITE_ONCE(pardev->private, s);
		WRITE_ONCE(pardev->irq_func, cb.irq_func);
		pardev->port->ops->init_state(pardev, pardev->state);
	} else {
		pardev = parclass_register(s->pport, &cb, &s->dev_id);
		if (IS_ERR(pardev)) {
			ret = PTR_ERR(pardev);
			parclass_arbiter_unhold(s->pport, NULL, 0);
			goto out;
		}
	}
	/* parport_yield*() compare the time held against this: never. */
	pardev->timeslice = ULONG_MAX;
	/* The core selects the chain device at each claim, deselects at release. */
	pardev->daisy = s->daisy;
	/* The idle work lets it be for PARCLASS_IDLE_MS from now. */
	WRITE_ONCE(s->idle_since, jiffies);
	parclass_set_pardev(s, pardev);
out:
	mutex_unlock(&s->claim_lock);
	return ret;
}

/**
 * parclass_session_want_irq() - the session's pardevice gets an irq_func
 * @s: the session, in use (parclass_session_use())
 *
 * Now, if it has a pardevice, and whenever it registers one from now on.
 */
void parclass_session_want_irq(struct parclass_session *s)
{
	mutex_lock(&s->claim_lock);
	s->irq_wanted = true;
	/* Set once; the core may read it at any moment from now. */
	if (s->pardev)
		WRITE_ONCE(s->pardev->irq_func, parclass_irq);
	mutex_unlock(&s->claim_lock);
}

/* The session let the port go: its pardevice goes if it stays idle. */
static void parclass_session_idle(struct parclass_session *s)
{
	WRITE_ONCE(s->idle_since, jiffies);
	if (delayed_work_pending(&s->idle_work))
		return;
	/* The work's reference; the caller has one, so never the last. */
	kref_get(&s->kref);
	if (!schedule_delayed_work(&s->idle_work,
				   msecs_to_jiffies(PARCLASS_IDLE_MS)))
		parclass_session_put(s);
}

/**
 * parclass_session_idle_end() - the idle work: drop an idle pardevice
 * @work: the session's idle_work
 *
 * Looks again later if the session was used since it was queued.
 */
void parclass_session_idle_end(struct work_struct *work)
{
	struct parclass_session *s = container_of(to_delayed_work(work),
						  struct parclass_session,
						  idle_work);
	unsigned long due, flags, now = jiffies;
	struct pardevice *pardev = NULL;
	bool again = false;
	int id = 0;

	mutex_lock(&s->claim_lock);
	/*
	 * ALLOCATE takes a session out of IDLE under the port lock, and FREE
	 * makes it IDLE there, with its @idle_since; a FREE still releasing
	 * the port queues this work again when it is done.
	 */
	spin_lock_irqsave(&s->pport->lock, flags);
	due = READ_ONCE(s->idle_since) + msecs_to_jiffies(PARCLASS_IDLE_MS);
	if (s->pardev && s->state == PARCLASS_IDLE &&
	    /* Pairs with FREE's release: the pardevice is the core's again. */
	    !smp_load_acquire(&s->releasing)) {
		if (time_before(now, due)) {
			again = true;
		} else {
			pardev = s->pardev;
			id = s->dev_id;
			s->pardev = NULL;
		}
	}
	spin_unlock_irqrestore(&s->pport->lock, flags);
	mutex_unlock(&s->claim_lock);
	if (pardev)
		parclass_arbiter_unhold(s->pport, pardev, id);
	/* Looking again keeps the reference, unless queued meanwhile. */
	if (again && schedule_delayed_work(&s->idle_work, due - now))
		return;
	parclass_session_put(s);
}

/**
 * parclass_port_unlink_session() - take a session off its port's list
 * @s: the session
 *
 * Idempotent: a session revoked by port removal is already off the list.
 */
void parclass_port_unlink_session(struct parclass_session *s)
{
	struct parclass_port *pport = s->pport;

	mutex_lock(&pport->sessions_lock);
	if (!list_empty(&s->port_entry)) {
		list_del_init(&s->port_entry);
		pport->nr_sessions--;
	}
	mutex_unlock(&pport->sessions_lock);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_port_unlink_session);

/**
 * parclass_port_leave() - DISCONNECT or close takes a session off its port
 * @s: the session
 *
 * Like parclass_port_unlink_session(), and until parclass_port_left(),
 * port removal waits for the session: its pardevice must be unregistered
 * while the port's driver is still there, or the core would drop the
 * device's reference on that driver's module against its dead operations.
 *
 * Return: true if @s was on the list; then call parclass_port_left() once
 * its pardevice is gone.
 */
bool parclass_port_leave(struct parclass_session *s)
{
	struct parclass_port *pport = s->pport;
	bool listed;

	mutex_lock(&pport->sessions_lock);
	listed = !list_empty(&s->port_entry);
	if (listed) {
		list_del_init(&s->port_entry);
		pport->nr_sessions--;
		WRITE_ONCE(pport->leaving, pport->leaving + 1);
	}
	mutex_unlock(&pport->sessions_lock);
	return listed;
}

/**
 * parclass_port_left() - a leaving session's pardevice is gone
 * @pport: its port
 */
void parclass_port_left(struct parclass_port *pport)
{
	mutex_lock(&pport->sessions_lock);
	WRITE_ONCE(pport->leaving, pport->leaving - 1);
	if (!pport->leaving)
		wake_up_all(&pport->leave_wq);
	mutex_unlock(&pport->sessions_lock);
}

/**
 * parclass_port_cancel_wait() - end a session's wait for the port
 * @s: the session
 * @disconnect: the session is being disconnected (its waits end with
 *	-ESTALE); else the port is going away (-ENODEV)
 *
 * After this, no wakeup can grant @s the port, and an ALLOCATE of @s that
 * has not queued yet will not queue.
 */
void parclass_port_cancel_wait(struct parclass_session *s, bool disconnect)
{
	struct parclass_port *pport = s->pport;
	unsigned long flags;

	spin_lock_irqsave(&pport->lock, flags);
	if (disconnect)
		WRITE_ONCE(s->dead, true);
	if (s->state == PARCLASS_WAITING) {
		list_del_init(&s->wait_entry);
		s->state = PARCLASS_IDLE;
		s->async = false;
	}
	/* Ends a wait in ALLOCATE and in a transfer alike. */
	wake_up_all(&s->wq);
	spin_unlock_irqrestore(&pport->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_port_cancel_wait);

/**
 * parclass_xfer_cancelled() - must a transfer of @s stop now?
 * @s: the session
 *
 * Return: -ESTALE once the session is being disconnected, -ENODEV once
 * its port is going away, else 0. Both wake @s->wq when they begin.
 */
int parclass_xfer_cancelled(struct parclass_session *s)
{
	if (READ_ONCE(s->dead))
		return -ESTALE;
	if (READ_ONCE(s->pport->removed))
		return -ENODEV;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_xfer_cancelled);

/**
 * parclass_xfer_begin() - start a transfer on the port @s holds
 * @s: the session, in use (parclass_session_use())
 *
 * Until parclass_xfer_end(), FREE of @s answers -EBUSY and another
 * transfer of @s is refused; ALLOCATE and the queries answer as usual.
 *
 * Return: 0, -EPERM if @s does not hold the port, -EBUSY if a transfer of
 * @s is already running.
 */
int parclass_xfer_begin(struct parclass_session *s)
{
	struct parclass_port *pport = s->pport;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&pport->lock, flags);
	if (s->state != PARCLASS_HELD)
		ret = -EPERM;
	else if (s->xfer)
		ret = -EBUSY;
	else
		s->xfer = true;
	spin_unlock_irqrestore(&pport->lock, flags);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_xfer_begin);

/**
 * parclass_xfer_end() - the transfer parclass_xfer_begin() started is over
 * @s: the session
 */
void parclass_xfer_end(struct parclass_session *s)
{
	struct parclass_port *pport = s->pport;
	unsigned long flags;

	spin_lock_irqsave(&pport->lock, flags);
	s->xfer = false;
	spin_unlock_irqrestore(&pport->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_xfer_end);

/*
 * Teardown stops holding the port. Returns 1 if @s held it (the caller
 * then owes the parport core a parport_release(), made without
 * pport->lock held, as the arbiter's wakeup then grants the port), 0 if
 * it did not. No command of @s runs, so neither does a transfer.
 */
static int parclass_unhold(struct parclass_session *s)
{
	struct parclass_port *pport = s->pport;
	unsigned long flags;
	int ret = 0;

	spin_lock_irqsave(&pport->lock, flags);
	if (s->state == PARCLASS_HELD) {
		s->state = PARCLASS_IDLE;
		pport->holder = NULL;
		ret = 1;
	}
	spin_unlock_irqrestore(&pport->lock, flags);
	return ret;
}

/* Nothing to put back before the port goes: under pport->lock. */
static bool parclass_clean_locked(struct parclass_session *s)
{
	struct parclass_port *pport = s->pport;

	lockdep_assert_held(&pport->lock);
	return READ_ONCE(pport->chip_mode) == PARCLASS_CHIP_MODE_INITIAL &&
	       pport->port->physport->ieee1284.mode == IEEE1284_MODE_COMPAT &&
	       !s->daisy_selected && !s->irq_on;
}

/*
 * FREE's end: stop holding the port, then release it, with one round
 * trip of the port lock. Until the parport core has the port back (its
 * release calls the arbiter's wakeup, which grants the port to the oldest
 * waiting session), @s->releasing keeps another thread of @s from
 * claiming it (-EALREADY, as while @s held it). Register reads of @s
 * running outside a transfer finish first (an uninterruptible wait, as
 * short as a register read), and none starts once FREE waits for them
 * (@s->freeing). With @own_xfer, the caller's
 * transfer (parclass_xfer_begin()) ends with the hold; with @clean, only
 * a port with nothing to put back is released (-EAGAIN otherwise).
 * Returns 1 if @s held the port, 0 if it did not, -EBUSY while a transfer
 * of @s runs (without @own_xfer).
 */
static int parclass_release(struct parclass_session *s, bool own_xfer,
			    bool clean)
{
	struct parclass_port *pport = s->pport;
	bool waited = false;
	unsigned long flags;
	int ret;

again:
	spin_lock_irqsave(&pport->lock, flags);
	if (waited) {
		s->freeing--;
		waited = false;
	}
	if (s->state != PARCLASS_HELD) {
		ret = 0;
	} else if (s->xfer && !own_xfer) {
		ret = -EBUSY;
	} else if (clean && !parclass_clean_locked(s)) {
		ret = -EAGAIN;
	} else if (s->reading) {
		/* No new read starts: the reads cannot keep FREE waiting. */
		s->freeing++;
		waited = true;
		spin_unlock_irqrestore(&pport->lock, flags);
		/* Register reads only: short, never waiting on the user. */
		wait_event(s->wq, !READ_ONCE(s->reading));
		goto again;
	} else {
		s->state = PARCLASS_IDLE;
		pport->holder = NULL;
		s->releasing = true;
		WRITE_ONCE(s->idle_since, jiffies);
		trace_parclass_free(s);
		ret = 1;
	}
	if (own_xfer)
		s->xfer = false;
	if (ret <= 0) {
		spin_unlock_irqrestore(&pport->lock, flags);
		return ret;
	}
	/*
	 * The release runs without the port lock (the arbiter's wakeup
	 * takes it) and, but on PREEMPT_RT, where the lock leaves
	 * interrupts on, with interrupts still off from the lock: they are
	 * turned off and on once (the parport core may turn them on in
	 * between, when it hands the port to a driver queued in it).
	 * Preemption stays off until interrupts are back on, so that on a
	 * fully preemptible kernel a reschedule the release asks for
	 * (waking the grantee of the arbiter's wakeup) happens there and is
	 * not left to the return to user space.
	 */
	if (IS_ENABLED(CONFIG_PREEMPT_RT)) {
		spin_unlock_irqrestore(&pport->lock, flags);
	} else {
		preempt_disable();
		spin_unlock(&pport->lock);
	}
	parport_release(s->pardev);
	/* Pairs with ALLOCATE's and the idle work's acquire. */
	smp_store_release(&s->releasing, false);
	if (!IS_ENABLED(CONFIG_PREEMPT_RT)) {
		local_irq_restore(flags);
		preempt_enable();
	}
	parclass_session_idle(s);
	return 1;
}

/**
 * parclass_read_begin() - start a register read on the held port
 * @s: the session, in use (parclass_session_use())
 *
 * For the reads that run outside a transfer (REGISTER's reads,
 * QUERY_INFORMATION): until parclass_read_end(), FREE waits, so the port
 * stays the session's.
 *
 * Return: 0, or -EPERM if @s does not hold the port, or a FREE of it has
 * begun.
 */
int parclass_read_begin(struct parclass_session *s)
{
	struct parclass_port *pport = s->pport;
	unsigned long flags;
	int ret = -EPERM;

	spin_lock_irqsave(&pport->lock, flags);
	/* A FREE waiting for the reads lets no new one start. */
	if (s->state == PARCLASS_HELD && !s->freeing) {
		s->reading++;
		ret = 0;
	}
	spin_unlock_irqrestore(&pport->lock, flags);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_read_begin);

/**
 * parclass_read_end() - the read parclass_read_begin() started is done
 * @s: the session
 */
void parclass_read_end(struct parclass_session *s)
{
	struct parclass_port *pport = s->pport;
	unsigned long flags;

	spin_lock_irqsave(&pport->lock, flags);
	if (!--s->reading)
		wake_up_all(&s->wq);
	spin_unlock_irqrestore(&pport->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_read_end);

/**
 * parclass_port_detach_session() - free the port if held, drop the pardevice
 * @s: the session, torn down: no command of it runs or starts
 *
 * Two teardowns of one session (port removal's and DISCONNECT's) take
 * turns here.
 */
void parclass_port_detach_session(struct parclass_session *s)
{
	struct pardevice *pardev;

	lockdep_assert(lock_is_held_type(&s->use_map, 0));
	/* Nothing queues it again: every command has left. */
	if (cancel_delayed_work_sync(&s->idle_work))
		parclass_session_put(s);
	mutex_lock(&s->claim_lock);
	pardev = s->pardev;
	if (!pardev)
		goto out;
	if (parclass_unhold(s) > 0) {
		/*
		 * The next holder finds compatibility mode. @s is dead or
		 * its port going away, so no step is waited for.
		 */
		/*
		 * Register writes that never wait, also while the port goes
		 * away (its driver still runs, or its dead operations do
		 * nothing): the chip first, so that the lines are the
		 * host's again, and the interrupt off before the core hands
		 * the port on.
		 */
		parclass_chip_mode_restore(s);
		parclass_irq_releasing(s);
		if (!READ_ONCE(s->pport->removed)) {
			parclass_terminate(s);
			parclass_daisy_release(s);
		}
		parport_release(pardev);
	}
	parclass_set_pardev(s, NULL);
	parclass_arbiter_unhold(s->pport, pardev, s->dev_id);
out:
	mutex_unlock(&s->claim_lock);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_port_detach_session);

/* parclass_do_allocate(): the request must wait, and the port has no arbiter. */
#define PARCLASS_NEED_ARBITER	2
/* parclass_do_allocate(): the session has no pardevice. */
#define PARCLASS_NEED_PARDEV	3

/* Request @seq of @s is no longer queued. */
static bool parclass_not_waiting(struct parclass_session *s, u32 seq)
{
	return READ_ONCE(s->state) != PARCLASS_WAITING ||
	       READ_ONCE(s->req_seq) != seq;
}

/* parclass_allocate(), between its two trace events. */
static int parclass_do_allocate(struct parclass_session *s, u32 flags,
				u64 timeout_ns)
{
	struct parclass_port *pport = s->pport;
	char comm[TASK_COMM_LEN];
	unsigned long irqflags;
	u32 seq = 0;
	int ret;

	/*
	 * The caller's own name, without get_task_comm()'s task_lock (as
	 * Linux 6.13 reads it): a rename by another thread at this moment
	 * may leave a mix of both names, always terminated.
	 */
	memcpy(comm, current->comm, sizeof(comm));
	comm[sizeof(comm) - 1] = '\0';
again:
	spin_lock_irqsave(&pport->lock, irqflags);
	if (s->dead) {
		ret = -ESTALE;
	} else if (pport->removed) {
		ret = -ENODEV;
	} else if (s->state != PARCLASS_IDLE ||
		   /* Pairs with FREE's release: the core has the port back. */
		   smp_load_acquire(&s->releasing)) {
		/* Holding, waiting, or a FREE of it has not returned yet. */
		ret = -EALREADY;
	} else if (!s->pardev) {
		/* Only a session that may queue gets one. */
		ret = PARCLASS_NEED_PARDEV;
	} else {
		s->alloc_pid = task_tgid_nr(current);
		memcpy(s->alloc_comm, comm, sizeof(comm));
		/* A grant not yet read is not this request's. */
		if (flags & PARCLASS_ALLOCATE_ASYNC)
			parclass_event_clear(s, PARCLASS_EVENT_GRANTED);
		/* Queued clients go first: only claim past an empty queue. */
		if (list_empty(&pport->waiters) && !parport_claim(s->pardev)) {
			s->state = PARCLASS_HELD;
			s->held_since = ktime_get_ns();
			pport->holder = s;
			parclass_irq_claimed(s);
			ret = 0;
		} else if (flags & PARCLASS_ALLOCATE_TRY) {
			ret = -EAGAIN;
			parclass_session_idle(s);
		} else if (!READ_ONCE(pport->arbiter)) {
			/* Nothing would wake a waiter: register the arbiter. */
			ret = PARCLASS_NEED_ARBITER;
		} else {
			s->state = PARCLASS_WAITING;
			s->wait_since = ktime_get_ns();
			seq = ++s->req_seq;
			list_add_tail(&s->wait_entry, &pport->waiters);
			ret = 1;
			if (flags & PARCLASS_ALLOCATE_ASYNC) {
				s->async = true;
				ret = -EINPROGRESS;
			}
		}
	}
	spin_unlock_irqrestore(&pport->lock, irqflags);
	if (ret == PARCLASS_NEED_PARDEV) {
		/* Then try again: it may have come meanwhile, or gone. */
		ret = parclass_session_register(s);
		if (!ret)
			goto again;
		return ret;
	}
	if (ret == PARCLASS_NEED_ARBITER) {
		/* Then try again: the port may have been freed meanwhile. */
		ret = parclass_arbiter_need(pport);
		if (!ret)
			goto again;
		parclass_session_idle(s);
	}
	if (ret <= 0)
		return ret;

	if (timeout_ns && timeout_ns <= KTIME_MAX) {
		ktime_t limit = ns_to_ktime(timeout_ns);

		ret = wait_event_interruptible_hrtimeout(s->wq,
							 parclass_not_waiting(s, seq),
							 limit);
	} else {
		ret = wait_event_interruptible(s->wq,
					       parclass_not_waiting(s, seq));
	}

	spin_lock_irqsave(&pport->lock, irqflags);
	if (s->granted_seq == seq || s->req_seq != seq) {
		/*
		 * Granted, even if the wait ended by timeout or signal, and
		 * even if another thread of the session has freed the port
		 * since (only a grant lets a new request queue behind this
		 * one without this thread).
		 */
		ret = 0;
	} else if (s->state == PARCLASS_WAITING) {
		/* Gave up: leave the queue; nothing can grant it now. */
		list_del_init(&s->wait_entry);
		s->state = PARCLASS_IDLE;
		ret = ret == -ETIME ? -ETIMEDOUT : -EINTR;
		parclass_session_idle(s);
	} else if (s->state == PARCLASS_CANCELLED) {
		s->state = PARCLASS_IDLE;
		ret = s->dead ? -ESTALE : -ECANCELED;
		parclass_session_idle(s);
	} else {
		/* Ended by DISCONNECT or by the port's removal. */
		ret = s->dead ? -ESTALE : -ENODEV;
	}
	spin_unlock_irqrestore(&pport->lock, irqflags);
	return ret;
}

/**
 * parclass_allocate() - claim the port for a session
 * @s: the session, in use (parclass_session_use())
 * @flags: PARCLASS_ALLOCATE_* bits
 * @timeout_ns: longest wait, 0 for none
 *
 * Return: 0 when @s holds the port; -EALREADY, -EAGAIN, -EINPROGRESS,
 * -ETIMEDOUT, -EINTR, -ECANCELED, -ESTALE or -ENODEV as
 * &PARCLASS_IOC_ALLOCATE documents.
 */
int parclass_allocate(struct parclass_session *s, u32 flags, u64 timeout_ns)
{
	int ret;

	trace_parclass_allocate_start(s, flags, timeout_ns);
	ret = parclass_do_allocate(s, flags, timeout_ns);
	trace_parclass_allocate_end(s, ret);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_allocate);

/**
 * parclass_free() - release the port
 * @s: the session, in use (parclass_session_use())
 *
 * An active IEEE 1284 mode is terminated first, as a transfer of @s, so
 * that the next holder finds compatibility mode (so are the chip mode,
 * a selected chain device and the interrupt put back); with nothing to
 * put back, the port is released at once.
 *
 * Waits for the session's register reads outside a transfer (REGISTER's
 * reads, QUERY_INFORMATION), which take no longer than a register read.
 *
 * Return: 0, -EPERM if @s does not hold the port, or -EBUSY while a
 * transfer of @s runs (from another thread).
 */
int parclass_free(struct parclass_session *s)
{
	int ret;

	ret = parclass_release(s, false, true);
	if (ret != -EAGAIN)
		return ret < 0 ? ret : ret ? 0 : -EPERM;

	/* Something to put back first: as a transfer. */
	ret = parclass_xfer_begin(s);
	if (ret)
		return ret;
	return parclass_free_in_xfer(s);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_free);

/**
 * parclass_free_in_xfer() - FREE, from inside a transfer of the session
 * @s: the session, holding the port, in a transfer (parclass_xfer_begin())
 *
 * Puts the port back as parclass found it (chip mode, compatibility mode,
 * no chain device selected, interrupt off), then releases it; the
 * transfer ends with the hold, so no other thread of @s can start one in
 * between.
 *
 * Return: 0 (-EPERM if @s did not hold the port after all).
 */
int parclass_free_in_xfer(struct parclass_session *s)
{
	int ret;

	parclass_chip_mode_restore(s);
	parclass_terminate(s);
	parclass_daisy_release(s);
	parclass_irq_releasing(s);

	ret = parclass_release(s, true, false);
	return ret ? 0 : -EPERM;
}

/**
 * parclass_cancel() - CANCEL: withdraw a session's queued ALLOCATE
 * @s: the session, in use (parclass_session_use())
 *
 * Return: 0, -EALREADY if @s holds the port, -ENOENT if it waits for
 * nothing.
 */
int parclass_cancel(struct parclass_session *s)
{
	struct parclass_port *pport = s->pport;
	unsigned long flags;
	int ret;

	spin_lock_irqsave(&pport->lock, flags);
	switch (s->state) {
	case PARCLASS_WAITING:
		list_del_init(&s->wait_entry);
		/* A blocked thread still owns its request until it returns. */
		if (s->async)
			parclass_session_idle(s);
		s->state = s->async ? PARCLASS_IDLE : PARCLASS_CANCELLED;
		s->async = false;
		wake_up_all(&s->wq);
		ret = 0;
		break;
	case PARCLASS_HELD:
		ret = -EALREADY;
		break;
	default:
		ret = -ENOENT;
		break;
	}
	spin_unlock_irqrestore(&pport->lock, flags);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_cancel);

/**
 * parclass_lock() - LOCK: allocate within acquire_timeout_ms, then select
 * @s: the session, in use (parclass_session_use())
 * @flags: PARCLASS_LOCK_* bits
 *
 * Return: 0, -ENXIO when the chain device did not answer (the port is
 * freed again), or what parclass_allocate() and parclass_xfer_begin()
 * return.
 */
int parclass_lock(struct parclass_session *s, u32 flags)
{
	u64 timeout = (u64)READ_ONCE(acquire_timeout_ms) * NSEC_PER_MSEC;

	if (s->daisy < 0 || (flags & PARCLASS_LOCK_NO_SELECT))
		return parclass_allocate(s, 0, timeout);
	return parclass_daisy_take(s, s->daisy, false, timeout);
}

/**
 * parclass_unlock() - UNLOCK: deselect the chain, then free
 * @s: the session, in use (parclass_session_use())
 * @flags: PARCLASS_LOCK_* bits
 *
 * Return: 0, -EPERM if @s does not hold the port, -EBUSY while a transfer
 * of @s runs.
 */
int parclass_unlock(struct parclass_session *s, u32 flags)
{
	int ret;

	ret = parclass_xfer_begin(s);
	if (ret)
		return ret;
	if (flags & PARCLASS_LOCK_NO_SELECT) {
		/* UNLOCK_PORT_NO_DESELECT: FREE leaves the selection alone. */
		s->daisy_selected = false;
	} else if (READ_ONCE(s->pport->daisy_count)) {
		/* The 1284.3 packets need the chip in its initial mode. */
		parclass_chip_mode_restore(s);
		parclass_daisy_deselect(s);
	}
	return parclass_free_in_xfer(s);
}

/**
 * parclass_is_port_free() - would a try-allocate by @s succeed now?
 * @s: the session, in use (parclass_session_use())
 *
 * Return: true if nobody holds the port and no parclass client waits.
 */
bool parclass_is_port_free(struct parclass_session *s)
{
	struct parclass_port *pport = s->pport;
	unsigned long flags;
	bool is_free;

	spin_lock_irqsave(&pport->lock, flags);
	is_free = !pport->removed && !pport->holder &&
		  list_empty(&pport->waiters) &&
		  !READ_ONCE(pport->port->physport->cad);
	spin_unlock_irqrestore(&pport->lock, flags);
	return is_free;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_is_port_free);

/*
 * Devices queued in the parport core; under pport->lock. parclass's own
 * pardevices never queue there, so they are all other drivers'.
 */
static u32 parclass_other_waiters_locked(struct parclass_port *pport)
{
	struct parport *phys = pport->port->physport;
	struct pardevice *pd;
	u32 n = 0;

	lockdep_assert_held(&pport->lock);
	spin_lock(&phys->waitlist_lock);
	for (pd = phys->waithead; pd; pd = pd->waitnext)
		n++;
	spin_unlock(&phys->waitlist_lock);
	return n;
}

static u32 parclass_waiters_locked(struct parclass_port *pport)
{
	struct parclass_session *s;
	u32 n = 0;

	lockdep_assert_held(&pport->lock);
	list_for_each_entry(s, &pport->waiters, wait_entry)
		n++;
	return n;
}

/**
 * parclass_num_waiters() - how many clients are queued for the port
 * @s: the session, in use (parclass_session_use())
 * @waiters: out: parclass sessions waiting in ALLOCATE
 * @other_waiters: out: other drivers' devices queued in the parport core
 */
void parclass_num_waiters(struct parclass_session *s, u32 *waiters,
			  u32 *other_waiters)
{
	struct parclass_port *pport = s->pport;
	unsigned long flags;

	spin_lock_irqsave(&pport->lock, flags);
	*waiters = parclass_waiters_locked(pport);
	*other_waiters = parclass_other_waiters_locked(pport);
	spin_unlock_irqrestore(&pport->lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_num_waiters);

/*
 * What parport_pc knows of a port with an extended control register: the
 * ECP FIFO's geometry and the ECR's writable bits. Only ports driven by
 * parport_pc have a struct parport_pc_private as their private data, and
 * it is read here once, from match_port: the parport core runs that under
 * its registration_lock, as it does the port's removal, after which
 * parport_pc frees the data. parport_pc is recognised by its module;
 * built into the kernel, its ports count as ports without an ECR.
 */
static void parclass_port_learn_pc(struct parclass_port *pport)
{
	struct parport *port = pport->port;
	const struct parport_pc_private *priv = port->private_data;
	struct module *owner = port->ops->owner;

	if (!owner || strcmp(module_name(owner), "parport_pc"))
		return;
	/* parport_pc's registers are I/O ports, its bases their numbers. */
	pport->pc_io = port->base <= IO_SPACE_LIMIT &&
		       port->base_hi <= IO_SPACE_LIMIT;
	if (!pport->pc_io || !priv || !priv->ecr)
		return;
	pport->pc_ecr = true;
	pport->ecr_writable = parclass_compat_ecr_writable(priv);
	if (priv->fifo_depth > 0 && priv->pword > 0) {
		pport->fifo_depth = priv->fifo_depth;
		pport->fifo_width = priv->pword;
	}
}

/**
 * parclass_port_fill_info() - describe a port the way CONNECT reports it
 * @pport: the port
 * @daisy: the chain device to describe, or -1 for the port itself
 * @info: out; every byte is written
 */
void parclass_port_fill_info(struct parclass_port *pport, int daisy,
			     struct parclass_port_info *info)
{
	struct parport *port = pport->port;

	memset(info, 0, sizeof(*info));
	info->number = port->number;
	/* Other drivers' bases can be kernel addresses: never shown. */
	if (pport->pc_io) {
		info->flags |= PARCLASS_PORT_BASE_IO;
		info->base = port->base;
		info->span = port->size;
		if (port->base_hi) {
			info->base_hi = port->base_hi;
			info->flags |= PARCLASS_PORT_HAS_ECR;
		}
	}
	if (port->irq >= 0) {
		info->irq = port->irq;
		info->flags |= PARCLASS_PORT_HAS_IRQ;
	}
	if (port->dma >= 0) {
		info->dma = port->dma;
		info->flags |= PARCLASS_PORT_HAS_DMA;
	}
	info->modes = port->modes;
	if (port->modes & PARPORT_MODE_ECP)
		info->hw_caps |= PARCLASS_HW_ECP_PRESENT;
	if (port->modes & PARPORT_MODE_EPP)
		info->hw_caps |= PARCLASS_HW_EPP_PRESENT;
	if (port->modes & PARPORT_MODE_TRISTATE)
		info->hw_caps |= PARCLASS_HW_BYTE_PRESENT;
	info->daisy_count = READ_ONCE(pport->daisy_count);
	if (info->daisy_count)
		info->hw_caps |= PARCLASS_HW_1284_3_PRESENT;
	info->fifo_depth = pport->fifo_depth;
	info->fifo_width = pport->fifo_width;
	strscpy(info->name, port->name, sizeof(info->name));
	if (daisy >= 0) {
		info->flags |= PARCLASS_PORT_DAISY_DEVICE;
		info->daisy = daisy;
		snprintf(info->location, sizeof(info->location), "LPT%d.%d",
			 port->number + 1, daisy);
	} else {
		snprintf(info->location, sizeof(info->location), "LPT%d",
			 port->number + 1);
	}
}
EXPORT_SYMBOL_IF_KUNIT(parclass_port_fill_info);

/* Who holds the port; under pport->lock. */
static void parclass_fill_holder_locked(struct parclass_port *pport,
					struct parclass_port_entry *e)
{
	struct parport *phys = pport->port->physport;
	struct pardevice *cad;

	lockdep_assert_held(&pport->lock);
	read_lock(&phys->cad_lock);
	cad = phys->cad;
	if (cad) {
		e->holder = PARCLASS_HOLDER_OTHER;
		strscpy(e->holder_name, dev_name(&cad->dev),
			sizeof(e->holder_name));
	}
	read_unlock(&phys->cad_lock);
	if (pport->holder) {
		e->holder = PARCLASS_HOLDER_SESSION;
		e->holder_pid = pport->holder->alloc_pid;
		strscpy(e->holder_comm, pport->holder->alloc_comm,
			sizeof(e->holder_comm));
	}
}

/* Sessions connected to chain device @daisy, or to the port for -1. */
static u32 parclass_count_sessions(struct parclass_port *pport, int daisy)
{
	struct parclass_session *s;
	u32 n = 0;

	mutex_lock(&pport->sessions_lock);
	if (daisy < 0) {
		n = pport->nr_sessions;
	} else {
		list_for_each_entry(s, &pport->sessions, port_entry)
			n += s->daisy == daisy;
	}
	mutex_unlock(&pport->sessions_lock);
	return n;
}

static void parclass_fill_entry(struct parclass_port *pport, int daisy,
				struct parclass_port_entry *e)
{
	unsigned long flags;

	parclass_port_fill_info(pport, daisy, &e->info);
	e->sessions = parclass_count_sessions(pport, daisy);
	spin_lock_irqsave(&pport->lock, flags);
	parclass_fill_holder_locked(pport, e);
	e->waiters = parclass_waiters_locked(pport);
	e->other_waiters = parclass_other_waiters_locked(pport);
	spin_unlock_irqrestore(&pport->lock, flags);
}

/**
 * parclass_port_list() - describe every port parclass knows
 * @entries: room for @room entries, zeroed by the caller
 * @room: how many entries fit
 * @total: out: how many entries there are
 * @daisy: list each port's daisy-chain devices after it
 *
 * Return: the number of entries written.
 */
int parclass_port_list(struct parclass_port_entry *entries, u32 room,
		       u32 *total, bool daisy)
{
	struct parclass_port *pport;
	unsigned long number;
	u32 n = 0;
	int d, devices;

	mutex_lock(&parclass_ports_lock);
	xa_for_each(&parclass_ports, number, pport) {
		devices = daisy ? READ_ONCE(pport->daisy_count) : 0;
		for (d = -1; d < devices; d++) {
			if (n < room)
				parclass_fill_entry(pport, d, &entries[n]);
			n++;
		}
	}
	mutex_unlock(&parclass_ports_lock);
	*total = n;
	return min(n, room);
}

/**
 * parclass_ports_for_each() - call @fn for every port parclass tracks
 * @fn: called under parclass_ports_lock (so the port stays in the table);
 *	a non-zero return stops the walk
 * @arg: passed to @fn
 *
 * Return: 0, or what @fn returned to stop the walk.
 */
int parclass_ports_for_each(parclass_port_fn fn, void *arg)
{
	struct parclass_port *pport;
	unsigned long number;
	int ret = 0;

	mutex_lock(&parclass_ports_lock);
	xa_for_each(&parclass_ports, number, pport) {
		ret = fn(pport, arg);
		if (ret)
			break;
	}
	mutex_unlock(&parclass_ports_lock);
	return ret;
}

/**
 * parclass_port_revoke() - end every session on a port that went away
 * @pport: the port
 *
 * Blocked ALLOCATE calls return -ENODEV at once; every session loses its
 * pardevice (released first if it held the port) and stays in its file as
 * a revoked session, refused with -ENODEV until DISCONNECT or close.
 * Sessions can no longer attach, and the arbiter is unregistered. Safe
 * against concurrent DISCONNECT, whose pardevice is gone, too, when this
 * returns.
 */
void parclass_port_revoke(struct parclass_port *pport)
{
	struct parclass_session *s, *tmp;
	unsigned long flags;
	LIST_HEAD(victims);

	mutex_lock(&pport->sessions_lock);
	spin_lock_irqsave(&pport->lock, flags);
	WRITE_ONCE(pport->removed, true);
	/* A transfer of the holder ends now, not at its own timeout. */
	if (pport->holder)
		wake_up_all(&pport->holder->wq);
	list_for_each_entry_safe(s, tmp, &pport->waiters, wait_entry) {
		list_del_init(&s->wait_entry);
		s->state = PARCLASS_IDLE;
		s->async = false;
		wake_up_all(&s->wq);
	}
	spin_unlock_irqrestore(&pport->lock, flags);
	/* Their files hear of it; none can be freed while they are listed. */
	list_for_each_entry(s, &pport->sessions, port_entry)
		parclass_event_post(s, PARCLASS_EVENT_REMOVED);
	list_splice_init(&pport->sessions, &victims);
	mutex_unlock(&pport->sessions_lock);

	/*
	 * The victims list is walked one session at a time under
	 * sessions_lock, because a concurrent DISCONNECT unlinks its session
	 * from it under the same lock.
	 */
	for (;;) {
		mutex_lock(&pport->sessions_lock);
		s = list_first_entry_or_null(&victims, struct parclass_session,
					     port_entry);
		if (s) {
			list_del_init(&s->port_entry);
			pport->nr_sessions--;
			kref_get(&s->kref);
		}
		mutex_unlock(&pport->sessions_lock);
		if (!s)
			break;
		trace_parclass_revoke(s, READ_ONCE(s->state));
		parclass_session_shutdown(s, false);
		parclass_session_put(s);
	}
	/*
	 * Sessions that DISCONNECT or close took off the list first let go
	 * of the port in their own time; promptly, as their commands end
	 * at once now. Every pardevice is gone before the port's driver.
	 */
	wait_event(pport->leave_wq, !READ_ONCE(pport->leaving));
	/* No session comes any more: the arbiter goes now. */
	parclass_port_arbiter_retire(pport);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_port_revoke);

/*
 * Count the port's daisy-chain devices, addressing them as the parport
 * core did when it announced the port. Only when nobody holds the port:
 * this runs from match_port, which must not wait, and must not take the
 * port from an idle owner that would agree (plip). Otherwise the count
 * stays 0 until a client's DAISY_INIT.
 */
static u8 parclass_daisy_probe(struct parclass_port *pport)
{
	const struct pardev_cb cb = {
		.preempt = parclass_preempt,
	};
	struct pardevice *pardev;
	unsigned int n = 0;
	int id;

	/* Never take the port from a driver that would let it go now. */
	if (READ_ONCE(pport->port->physport->cad))
		return 0;
	pardev = parclass_register(pport, &cb, &id);
	if (IS_ERR(pardev))
		return 0;
	if (!parport_claim(pardev)) {
		n = parclass_daisy_assign(pport->port);
		parport_release(pardev);
	}
	parclass_unregister(pardev, id, NULL);
	return n;
}

static void parclass_match_port(struct parport *port)
{
	struct parclass_port *pport;
	int ret;

	pport = parclass_port_create(port);
	if (!pport)
		return;
	parclass_port_learn_pc(pport);
	pport->daisy_count = parclass_daisy_probe(pport);
	mutex_lock(&parclass_ports_lock);
	ret = xa_insert(&parclass_ports, port->number, pport, GFP_KERNEL);
	mutex_unlock(&parclass_ports_lock);
	if (ret) {
		pr_warn("%s: not tracked (%d)\n", port->name, ret);
		parclass_port_put(pport);
		return;
	}
	pr_debug("%s: tracked\n", port->name);
}

static void parclass_detach(struct parport *port)
{
	struct parclass_port *pport;

	mutex_lock(&parclass_ports_lock);
	pport = xa_load(&parclass_ports, port->number);
	if (pport && pport->port == port)
		xa_erase(&parclass_ports, port->number);
	else
		pport = NULL;
	mutex_unlock(&parclass_ports_lock);
	if (!pport)
		return;
	pr_debug("%s: detached\n", port->name);
	parclass_port_revoke(pport);
	parclass_port_put(pport);
}

static struct parport_driver parclass_driver = {
	.name = "parclass",
	.match_port = parclass_match_port,
	.detach = parclass_detach,
};

/**
 * parclass_ports_init() - start tracking ports
 *
 * Return: 0, or the error from parport_register_driver().
 */
int parclass_ports_init(void)
{
	parclass_compat_driver_init(&parclass_driver);
	return parport_register_driver(&parclass_driver);
}

/**
 * parclass_ports_exit() - stop tracking ports
 *
 * The parport core detaches every port from the driver on the way out.
 */
void parclass_ports_exit(void)
{
	parport_unregister_driver(&parclass_driver);
	WARN_ON(!xa_empty(&parclass_ports));
	parclass_unregister_flush();
}
