// SPDX-License-Identifier: GPL-2.0
/*
 * parport_sim: the low-level parport driver around the model.
 *
 * The register operations hand every line change to the model (model.c)
 * under the port's lock. The block transfers are the parport core's own
 * software IEEE 1284 routines, so the core's protocol code runs against
 * the model.
 *
 * Plugging registers and announces a port (parport_register_port(),
 * parport_announce_port(), which with CONFIG_PARPORT_1284 walks the daisy
 * chain and reads the device IDs through these operations). Unplugging
 * does what a USB adapter does on disconnect: parport_remove_port(), which
 * detaches every parport driver and swaps the port's operations for the
 * core's dead ones. Devices still registered (ppdev with the port claimed,
 * parclass sessions) keep the dead port until they unregister.
 *
 * Then the port must leave the parport bus, or it is never freed and its
 * number never comes back: the bus holds a reference to every device on
 * it. uss720 only drops its own reference (parport_put_port()) and leaks
 * the port that way; once the numbers reach PARPORT_MAX (16), ppdev's
 * pp_attach() indexes its PARPORT_MAX-entry table with the number
 * unchecked (KASAN: global-out-of-bounds). parport_pc takes the port off
 * the bus with parport_del_port(), but only ever when nothing is
 * registered on it: taking it off while devices hang below it removes
 * their sysfs directories, and each later parport_unregister_device()
 * warns ("sysfs group 'power' not found"). So parport_sim calls
 * parport_del_port() at once when the port is unused, and otherwise
 * keeps the dead port on a list and takes it off the bus at the next plug
 * or unplug (or module unload) once its last device is gone. A port that
 * would be numbered PARPORT_MAX or more is refused.
 *
 * A kernel quirk and what parport_sim does about it: every
 * parport_register_dev_model() takes a reference to ops->owner, and
 * parport_unregister_device() drops one from ops->owner again. A device
 * that unregisters after parport_remove_port() finds the dead operations,
 * whose owner is NULL, so the reference it took on this module is never
 * given back and the module could never be unloaded again. At unplug,
 * parport_sim gives back one reference for each device still registered
 * that took one: those that init_state() saw, which it marked in their
 * saved state. A device that registers or unregisters in the instant the
 * operations are swapped may still leak its reference; that only keeps
 * the module loaded. A caller may already be inside one of the operations
 * when the port goes away (the core offers no way to wait for it), so a
 * simulated port's structure lives until the module unloads, and every
 * operation on a port that is no longer the live one does nothing.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compiler.h>
#include <linux/delay.h>
#include <linux/device.h>
#include <linux/kref.h>
#include <linux/list.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/parport.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "sim.h"

/* A PC control register's interrupt enable and direction bits, in saved state. */
#define SIM_STATE_IRQ		0x10
#define SIM_STATE_REVERSE	0x20
/* Marks a device's saved state as set up by parport_sim's init_state(). */
#define SIM_STATE_MARK		0x5053494dU
/* How long a plug waits for dead ports' holders to let go: 50 x 20 ms. */
#define SIM_REAP_TRIES		50
#define SIM_REAP_WAIT_MS	20

/*
 * Unplugged ports whose numbers are not free yet: still on the parport
 * bus while devices hang below them, then (@off_bus) held by parport_sim's
 * own reference until nobody else holds them and no port of parport_sim's
 * numbered above them is left (see sim_port_reap()).
 */
struct sim_dead_port {
	struct list_head node;
	struct parport *port;
	bool off_bus;
};

/*
 * sim_dead_lock covers sim_dead_ports, each entry's @off_bus and
 * sim_numbers (the numbers of parport_sim's ports, plugged or dead, each
 * set from its registration until the port is freed), and orders a
 * plug's choice of number after every freeing of a number.
 */
static DEFINE_MUTEX(sim_dead_lock);
static LIST_HEAD(sim_dead_ports);
static DECLARE_BITMAP(sim_numbers, PARPORT_MAX);

/* Base addresses: outside the PC's I/O space, one 8-byte span per port. */
#define SIM_BASE		0x10000UL
#define SIM_SPAN		8

/* Interrupts to deliver, if the host wants them; sim->lock held. */
static void sim_port_raise_locked(struct parport_sim *sim)
{
	struct sim_model *m = &sim->model;

	lockdep_assert_held(&sim->lock);
	if (!m->irq_pending)
		return;
	if (sim->port && sim->irq != PARPORT_IRQ_NONE && sim->irq_enabled) {
		sim->irq_queued += m->irq_pending;
		schedule_work(&sim->irq_work);
	}
	m->irq_pending = 0;
}

/**
 * sim_port_kick() - deliver the interrupts the model asked for
 * @sim: the simulated port
 *
 * For changes made outside the port operations (queued reverse data, a
 * requested nAck pulse).
 */
void sim_port_kick(struct parport_sim *sim)
{
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	sim_port_raise_locked(sim);
	spin_unlock_irqrestore(&sim->lock, flags);
}

/**
 * sim_port_irq_work() - the simulated port's interrupt
 * @work: &parport_sim.irq_work
 *
 * Hands each interrupt to the parport core as a real port's handler does
 * (parport_generic_irq(): the IEEE 1284 state, then the owning device's
 * irq_func), with interrupts off but from a work item, not from hard
 * interrupt context: parport_claim() of a device on the port's wait list
 * turns interrupts back on while it holds the port's cad_lock for
 * writing, so a hard interrupt that takes cad_lock on that CPU deadlocks
 * (lockdep reports it as soon as any port has taken cad_lock in one).
 */
void sim_port_irq_work(struct work_struct *work)
{
	struct parport_sim *sim = container_of(work, struct parport_sim,
					       irq_work);
	struct parport *port;
	unsigned long flags;
	unsigned int n;

	spin_lock_irqsave(&sim->lock, flags);
	port = sim->port;
	n = sim->irq_queued;
	sim->irq_queued = 0;
	if (port)
		sim->irqs += n;
	spin_unlock_irqrestore(&sim->lock, flags);

	while (port && n--) {
		local_irq_save(flags);
		parport_generic_irq(port);
		local_irq_restore(flags);
	}
}

static void sim_write_data(struct parport *p, unsigned char d)
{
	struct parport_sim *sim = p->private_data;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	if (sim->port == p)
		sim_model_write_data(&sim->model, d);
	spin_unlock_irqrestore(&sim->lock, flags);
}

static unsigned char sim_read_data(struct parport *p)
{
	struct parport_sim *sim = p->private_data;
	unsigned long flags;
	u8 d = 0;

	spin_lock_irqsave(&sim->lock, flags);
	if (sim->port == p)
		d = sim_model_read_data(&sim->model);
	spin_unlock_irqrestore(&sim->lock, flags);
	return d;
}

static unsigned char sim_frob_control(struct parport *p, unsigned char mask,
				      unsigned char val)
{
	struct parport_sim *sim = p->private_data;
	unsigned long flags;
	u8 c = 0;

	mask &= SIM_CONTROL_MASK;
	val &= SIM_CONTROL_MASK;
	spin_lock_irqsave(&sim->lock, flags);
	if (sim->port == p) {
		c = (sim->model.ctrl & ~mask) ^ val;
		sim_model_write_control(&sim->model, c);
		sim_port_raise_locked(sim);
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	return c;
}

static void sim_write_control(struct parport *p, unsigned char d)
{
	sim_frob_control(p, SIM_CONTROL_MASK, d);
}

static unsigned char sim_read_control(struct parport *p)
{
	struct parport_sim *sim = p->private_data;
	unsigned long flags;
	u8 c = 0;

	spin_lock_irqsave(&sim->lock, flags);
	if (sim->port == p)
		c = sim->model.ctrl;
	spin_unlock_irqrestore(&sim->lock, flags);
	return c;
}

static unsigned char sim_read_status(struct parport *p)
{
	struct parport_sim *sim = p->private_data;
	unsigned long flags;
	u8 s = 0;

	spin_lock_irqsave(&sim->lock, flags);
	if (sim->port == p)
		s = sim_model_read_status(&sim->model);
	spin_unlock_irqrestore(&sim->lock, flags);
	return s;
}

static void sim_set_irq_enabled(struct parport *p, bool on)
{
	struct parport_sim *sim = p->private_data;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	if (sim->port == p)
		sim->irq_enabled = on;
	spin_unlock_irqrestore(&sim->lock, flags);
}

static void sim_enable_irq(struct parport *p)
{
	sim_set_irq_enabled(p, true);
}

static void sim_disable_irq(struct parport *p)
{
	sim_set_irq_enabled(p, false);
}

static void sim_set_direction(struct parport *p, bool reverse)
{
	struct parport_sim *sim = p->private_data;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	if (sim->port == p)
		sim_model_set_reverse(&sim->model, reverse);
	spin_unlock_irqrestore(&sim->lock, flags);
}

static void sim_data_forward(struct parport *p)
{
	sim_set_direction(p, false);
}

static void sim_data_reverse(struct parport *p)
{
	sim_set_direction(p, true);
}

static void sim_init_state(struct pardevice *dev, struct parport_state *s)
{
	s->u.pc.ctr = PARPORT_CONTROL_SELECT | PARPORT_CONTROL_INIT;
	if (dev->irq_func && dev->port->irq != PARPORT_IRQ_NONE)
		s->u.pc.ctr |= SIM_STATE_IRQ;
	/* This device took a reference to this module (see the top). */
	WRITE_ONCE(s->u.pc.ecr, SIM_STATE_MARK);
}

static void sim_save_state(struct parport *p, struct parport_state *s)
{
	struct parport_sim *sim = p->private_data;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	if (sim->port == p)
		s->u.pc.ctr = sim->model.ctrl |
			      (sim->irq_enabled ? SIM_STATE_IRQ : 0) |
			      (sim->model.reverse ? SIM_STATE_REVERSE : 0);
	spin_unlock_irqrestore(&sim->lock, flags);
}

static void sim_restore_state(struct parport *p, struct parport_state *s)
{
	struct parport_sim *sim = p->private_data;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	if (sim->port == p) {
		sim->irq_enabled = s->u.pc.ctr & SIM_STATE_IRQ;
		sim_model_set_reverse(&sim->model,
				      s->u.pc.ctr & SIM_STATE_REVERSE);
		sim_model_write_control(&sim->model,
					s->u.pc.ctr & SIM_CONTROL_MASK);
		sim_port_raise_locked(sim);
	}
	spin_unlock_irqrestore(&sim->lock, flags);
}

/* Shared by every simulated port; the core only reads it. */
struct parport_operations sim_port_ops = {
	.write_data	= sim_write_data,
	.read_data	= sim_read_data,
	.write_control	= sim_write_control,
	.read_control	= sim_read_control,
	.frob_control	= sim_frob_control,
	.read_status	= sim_read_status,
	.enable_irq	= sim_enable_irq,
	.disable_irq	= sim_disable_irq,
	.data_forward	= sim_data_forward,
	.data_reverse	= sim_data_reverse,
	.init_state	= sim_init_state,
	.save_state	= sim_save_state,
	.restore_state	= sim_restore_state,

	.epp_write_data	= parport_ieee1284_epp_write_data,
	.epp_read_data	= parport_ieee1284_epp_read_data,
	.epp_write_addr	= parport_ieee1284_epp_write_addr,
	.epp_read_addr	= parport_ieee1284_epp_read_addr,

	.ecp_write_data	= parport_ieee1284_ecp_write_data,
	.ecp_read_data	= parport_ieee1284_ecp_read_data,
	.ecp_write_addr	= parport_ieee1284_ecp_write_addr,

	.compat_write_data	= parport_ieee1284_write_compat,
	.nibble_read_data	= parport_ieee1284_read_nibble,
	.byte_read_data		= parport_ieee1284_read_byte,

	.owner		= THIS_MODULE,
};

/*
 * Is a device still registered on the (removed) port? One that is
 * unregistering has left the port's list before device_unregister(), so
 * it counts until it has left the driver core's list of the port's
 * children as well: the port's sysfs directory must outlive its
 * children's power group.
 */
static bool sim_port_in_use(struct parport *port)
{
	struct parport *phys = port->physport;
	struct device *child;
	bool used;

	spin_lock(&phys->pardevice_lock);
	used = phys->devices;
	spin_unlock(&phys->pardevice_lock);
	if (used)
		return true;
	child = device_find_any_child(&port->bus_dev);
	used = child;
	put_device(child);
	return used;
}

/* Is a port of parport_sim's, plugged or dead, numbered above @d's? */
static bool sim_port_below_another(struct sim_dead_port *d)
{
	lockdep_assert_held(&sim_dead_lock);
	return find_next_bit(sim_numbers, PARPORT_MAX,
			     d->port->number + 1) < PARPORT_MAX;
}

/* sim_port_reap() with sim_dead_lock held. */
static unsigned int sim_port_reap_locked(bool all)
{
	struct sim_dead_port *d, *tmp;
	unsigned int held;
	bool freed;

	lockdep_assert_held(&sim_dead_lock);
	do {
		held = 0;
		freed = false;
		list_for_each_entry_safe(d, tmp, &sim_dead_ports, node) {
			if (!d->off_bus) {
				if (!sim_port_in_use(d->port))
					parport_del_port(d->port);
				else if (all)
					parport_put_port(d->port);
				else
					continue;
				d->off_bus = true;
			}
			if (!all && sim_port_below_another(d))
				continue;
			if (!all && kref_read(&d->port->bus_dev.kobj.kref) > 1) {
				held++;
				continue;
			}
			/* The last reference: the port and its number go now. */
			__clear_bit(d->port->number, sim_numbers);
			parport_put_port(d->port);
			list_del(&d->node);
			kfree(d);
			freed = true;
		}
	} while (freed && !all);
	return held;
}

/**
 * sim_port_reap() - take dead ports off the parport bus, free their numbers
 * @all: also those still in use, whose registration reference is then
 *	dropped and which stay on the bus; and every number (module unload)
 *
 * A dead port whose devices are all gone leaves the bus. Its number goes
 * when parport_sim drops its own reference, once nobody else holds the
 * port (parclass, for one, keeps a removed port for an RCU-tasks grace
 * period), and once no port of parport_sim's numbered above it is left.
 * The parport core gives a new port the number after the lowest gap
 * among the ports it knows ("p->number != num++" in
 * parport_register_port()), which is the next port's own number when the
 * gap lies below a port: the new port's sysfs directory then clashes and
 * its registration fails. parport_sim's numbers therefore go from the top
 * down, and a port plugged in while a lower number is kept gets one above
 * the ports there are. (Another driver's port numbered above a dead
 * simulated port does not keep that port's number.)
 *
 * Return: how many dead ports, their numbers free but for their other
 * holders, still wait for those.
 */
unsigned int sim_port_reap(bool all)
{
	unsigned int held;

	mutex_lock(&sim_dead_lock);
	held = sim_port_reap_locked(all);
	mutex_unlock(&sim_dead_lock);
	return held;
}

/* The port was removed: it leaves the bus, and its number, in turn. */
static void sim_port_retire(struct sim_dead_port *d, struct parport *port)
{
	d->port = port;
	d->off_bus = false;
	mutex_lock(&sim_dead_lock);
	list_add_tail(&d->node, &sim_dead_ports);
	mutex_unlock(&sim_dead_lock);
}

/**
 * sim_port_plug() - register and announce the port
 * @sim: the simulated port, unplugged; ctl_lock held
 *
 * Return: 0, -EBUSY if it is plugged already, -ENODEV if it was
 * destroyed or the parport core cannot use simulated ports, -ENOSPC if
 * it would be numbered %PARPORT_MAX or more, -ENOMEM.
 */
int sim_port_plug(struct parport_sim *sim)
{
	struct sim_dead_port *retire;
	struct parport *port;
	unsigned long flags;
	unsigned int tries;

	lockdep_assert_held(&sim->ctl_lock);
	if (!PARPORT_SIM_CORE_USES_OPS || sim->dead)
		return -ENODEV;
	if (sim->port)
		return -EBUSY;
	retire = kmalloc(sizeof(*retire), GFP_KERNEL);
	if (!retire)
		return -ENOMEM;

	/*
	 * Free the numbers of dead ports nobody uses any more, waiting a
	 * little for those still held, so that the new port takes the
	 * lowest number it can (see sim_port_reap()). The number is chosen
	 * under sim_dead_lock: a dead port freed in between could otherwise
	 * open a gap under the new port.
	 */
	for (tries = 0;; tries++) {
		mutex_lock(&sim_dead_lock);
		if (!sim_port_reap_locked(false) || tries >= SIM_REAP_TRIES)
			break;
		mutex_unlock(&sim_dead_lock);
		msleep(SIM_REAP_WAIT_MS);
	}
	port = parport_register_port(SIM_BASE + SIM_SPAN * sim->id, sim->irq,
				     PARPORT_DMA_NONE, &sim_port_ops);
	if (port && port->number < PARPORT_MAX)
		__set_bit(port->number, sim_numbers);
	mutex_unlock(&sim_dead_lock);
	if (!port) {
		kfree(retire);
		return -ENOMEM;
	}
	if (port->number >= PARPORT_MAX) {
		pr_warn("%s: no port numbers left below %d\n", sim->name,
			PARPORT_MAX);
		parport_del_port(port);
		kfree(retire);
		return -ENOSPC;
	}
	/* parport_sim's own: the number stays until sim_port_reap() frees it. */
	parport_get_port(port);
	port->size = SIM_SPAN;
	port->modes = PARPORT_MODE_PCSPP | PARPORT_MODE_TRISTATE |
		      PARPORT_MODE_EPP | PARPORT_MODE_ECP |
		      PARPORT_MODE_SAFEININT;
	port->dev = &sim->pdev->dev;
	port->private_data = sim;

	spin_lock_irqsave(&sim->lock, flags);
	sim_model_reset(&sim->model);
	sim->irq_enabled = false;
	sim->irq_queued = 0;
	sim->plugs++;
	sim->port = port;
	spin_unlock_irqrestore(&sim->lock, flags);
	sim->retire = retire;

	parport_announce_port(port);
	pr_debug("%s: plugged as %s\n", sim->name, port->name);
	return 0;
}

/* Give back the references of devices left on the removed port. */
static unsigned int sim_port_return_refs(struct parport *port)
{
	struct parport *phys = port->physport;
	struct pardevice *dev;
	unsigned int n = 0;

	spin_lock(&phys->pardevice_lock);
	for (dev = phys->devices; dev; dev = dev->next)
		if (READ_ONCE(dev->state->u.pc.ecr) == SIM_STATE_MARK)
			n++;
	spin_unlock(&phys->pardevice_lock);
	return n;
}

/**
 * sim_port_unplug() - remove the port, as a disconnected adapter does
 * @sim: the simulated port; ctl_lock held
 *
 * Devices still registered on the port stay on the dead port until they
 * unregister; the module references they hold are given back here (see
 * the comment at the top of this file).
 */
void sim_port_unplug(struct parport_sim *sim)
{
	struct parport *port = sim->port;
	unsigned long flags;
	unsigned int refs;

	lockdep_assert_held(&sim->ctl_lock);
	if (!port)
		return;

	parport_remove_port(port);

	spin_lock_irqsave(&sim->lock, flags);
	sim->port = NULL;
	sim->irq_enabled = false;
	spin_unlock_irqrestore(&sim->lock, flags);
	flush_work(&sim->irq_work);

	refs = sim_port_return_refs(port);
	spin_lock_irqsave(&sim->lock, flags);
	sim->refs_returned += refs;
	spin_unlock_irqrestore(&sim->lock, flags);
	while (refs--)
		module_put(THIS_MODULE);

	/* The platform device may go before the dead port does. */
	WRITE_ONCE(port->dev, NULL);
	pr_debug("%s: unplugged %s\n", sim->name, port->name);
	sim_port_retire(sim->retire, port);
	sim->retire = NULL;
	sim_port_reap(false);
}
