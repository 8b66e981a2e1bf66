// SPDX-License-Identifier: GPL-2.0
/*
 * parport_sim: a parallel port whose peripheral is modelled in software,
 * so that lp, ppdev, parclass and KUnit suites can exercise every IEEE
 * 1284 protocol path, faults, an IEEE 1284.3 daisy chain and port
 * removal, without hardware.
 *
 * This file keeps the registry of simulated ports and exports the
 * interface of parport_sim.h; debugfs.c gives user space the same
 * controls.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/ctype.h>
#include <linux/err.h>
#include <linux/idr.h>
#include <linux/module.h>
#include <linux/mm.h>
#include <linux/parport.h>
#include <linux/platform_device.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "compat.h"
#include "sim.h"

/*
 * sim_names_lock ties a name in the registry to its debugfs directory:
 * creation holds it from the name check until the directory is made, and
 * destruction from taking the port off the registry until its directory
 * is removed. So, outside it, a name is registered exactly when its
 * directory exists, and a name is given again only once the old port's
 * directory is gone. It is taken before sim_list_lock, and never by the
 * handlers of a port's own files, whose removal it waits for.
 *
 * sim_list_lock covers sim_list (the live simulated ports), sim_graveyard
 * (destroyed ones, kept until the module unloads, see port.c) and every
 * port's @destroyed flag.
 */
static DEFINE_MUTEX(sim_names_lock);
static DEFINE_MUTEX(sim_list_lock);
static LIST_HEAD(sim_list);
static LIST_HEAD(sim_graveyard);
static DEFINE_IDA(sim_ida);

static bool sim_name_valid(const char *name)
{
	size_t len = strlen(name), i;

	if (!len || len > PARPORT_SIM_NAME_MAX ||
	    !strcmp(name, "new") || !strcmp(name, "delete"))
		return false;
	for (i = 0; i < len; i++)
		if (!isalnum(name[i]) && !strchr("_-.", name[i]))
			return false;
	return name[0] != '.';
}

static struct parport_sim *sim_find_locked(const char *name)
{
	struct parport_sim *sim;

	lockdep_assert_held(&sim_list_lock);
	list_for_each_entry(sim, &sim_list, node)
		if (!strcmp(sim->name, name))
			return sim;
	return NULL;
}

/**
 * parport_sim_create() - make a simulated port, unplugged
 * @name: its name: 1 to %PARPORT_SIM_NAME_MAX letters, digits, '_', '-'
 *	or '.' (not first), and neither "new" nor "delete"
 *
 * The peripheral starts as an IEEE 1284 device that speaks every mode,
 * with no device ID, no faults and no daisy chain; the port reports no
 * interrupt. Its controls also appear in debugfs, under
 * parport_sim/@name.
 *
 * Return: the port, or ERR_PTR(-EINVAL) for a bad name, -EEXIST if the
 * name is taken, -ENOMEM.
 */
struct parport_sim *parport_sim_create(const char *name)
{
	struct parport_sim *sim;
	int ret;

	if (!sim_name_valid(name))
		return ERR_PTR(-EINVAL);
	sim = kzalloc(sizeof(*sim), GFP_KERNEL);
	if (!sim)
		return ERR_PTR(-ENOMEM);
	INIT_LIST_HEAD(&sim->node);
	strscpy(sim->name, name, sizeof(sim->name));
	mutex_init(&sim->ctl_lock);
	spin_lock_init(&sim->lock);
	INIT_WORK(&sim->irq_work, sim_port_irq_work);
	sim->irq = PARPORT_IRQ_NONE;
	ret = sim_model_init(&sim->model);
	if (ret)
		goto err_free;
	sim->id = ida_alloc(&sim_ida, GFP_KERNEL);
	if (sim->id < 0) {
		ret = sim->id;
		goto err_model;
	}
	sim->pdev = platform_device_register_simple(KBUILD_MODNAME, sim->id,
						    NULL, 0);
	if (IS_ERR(sim->pdev)) {
		ret = PTR_ERR(sim->pdev);
		goto err_id;
	}

	mutex_lock(&sim_names_lock);
	mutex_lock(&sim_list_lock);
	if (sim_find_locked(name)) {
		mutex_unlock(&sim_list_lock);
		mutex_unlock(&sim_names_lock);
		ret = -EEXIST;
		goto err_pdev;
	}
	list_add_tail(&sim->node, &sim_list);
	mutex_unlock(&sim_list_lock);
	sim_debugfs_add(sim);
	mutex_unlock(&sim_names_lock);
	return sim;

err_pdev:
	platform_device_unregister(sim->pdev);
err_id:
	ida_free(&sim_ida, sim->id);
err_model:
	kvfree(sim->model.fwd);
	kvfree(sim->model.rev);
err_free:
	kfree(sim);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_GPL(parport_sim_create);

/*
 * sim_unlist() - take a port off the registry and remove its directory
 * @sim: the port, or NULL for the first one registered
 * @name: or the name of the port to take, if @sim is NULL and this is not
 *
 * Return: the port, now out of the registry and without its debugfs
 * directory, for sim_destroy_taken(); NULL if there is no such port or
 * its destruction is already claimed.
 */
static struct parport_sim *sim_unlist(struct parport_sim *sim,
				      const char *name)
{
	mutex_lock(&sim_names_lock);
	mutex_lock(&sim_list_lock);
	if (!sim && name)
		sim = sim_find_locked(name);
	else if (!sim)
		sim = list_first_entry_or_null(&sim_list, struct parport_sim,
					       node);
	else if (sim->destroyed)
		sim = NULL;
	if (sim) {
		list_del_init(&sim->node);
		sim->destroyed = true;
	}
	mutex_unlock(&sim_list_lock);
	if (sim)
		sim_debugfs_remove(sim);
	mutex_unlock(&sim_names_lock);
	return sim;
}

/**
 * sim_take() - find a simulated port by name and claim its destruction
 * @name: the name
 *
 * Return: the port, now out of the registry and without its debugfs
 * directory, for sim_destroy_taken(); or NULL if there is none.
 */
struct parport_sim *sim_take(const char *name)
{
	return sim_unlist(NULL, name);
}

/**
 * sim_destroy_taken() - destroy a port taken out of the registry
 * @sim: the port, from sim_take() or sim_unlist()
 */
void sim_destroy_taken(struct parport_sim *sim)
{
	void *bufs[3 + PARPORT_SIM_DAISY_MAX];
	unsigned long flags;
	unsigned int n, i;

	mutex_lock(&sim->ctl_lock);
	sim_port_unplug(sim);
	sim->dead = true;
	mutex_unlock(&sim->ctl_lock);
	flush_work(&sim->irq_work);

	platform_device_unregister(sim->pdev);
	sim->pdev = NULL;
	ida_free(&sim_ida, sim->id);

	spin_lock_irqsave(&sim->lock, flags);
	n = sim_model_release(&sim->model, bufs);
	sim->gone = true;
	spin_unlock_irqrestore(&sim->lock, flags);
	kvfree(bufs[0]);
	kvfree(bufs[1]);
	for (i = 2; i < n; i++)
		kvfree(bufs[i]);

	mutex_lock(&sim_list_lock);
	list_add_tail(&sim->node, &sim_graveyard);
	mutex_unlock(&sim_list_lock);
}

/**
 * parport_sim_destroy() - unplug a simulated port and delete it
 * @sim: the port
 *
 * Its memory lives on until the module unloads (see port.c); every later
 * call on it fails or does nothing.
 */
void parport_sim_destroy(struct parport_sim *sim)
{
	if (sim_unlist(sim, NULL))
		sim_destroy_taken(sim);
}
EXPORT_SYMBOL_GPL(parport_sim_destroy);

/**
 * parport_sim_plug() - register and announce the port with the parport core
 * @sim: the port
 *
 * lp, ppdev, parclass and every other parport driver see it as a new
 * parportN. With CONFIG_PARPORT_1284 the core walks the daisy chain and
 * reads the device IDs during the call.
 *
 * Return: 0, -EBUSY if plugged already, -ENODEV if destroyed or if this
 * kernel's parport core cannot drive a simulated port, -ENOMEM.
 */
int parport_sim_plug(struct parport_sim *sim)
{
	int ret;

	mutex_lock(&sim->ctl_lock);
	ret = sim_port_plug(sim);
	mutex_unlock(&sim->ctl_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(parport_sim_plug);

/**
 * parport_sim_unplug() - remove the port, as a disconnected adapter does
 * @sim: the port
 *
 * parport_remove_port() detaches every parport driver and leaves devices
 * that are still registered on a dead port; then the port's registration
 * reference is dropped. Nothing happens if the port is not plugged.
 */
void parport_sim_unplug(struct parport_sim *sim)
{
	mutex_lock(&sim->ctl_lock);
	sim_port_unplug(sim);
	mutex_unlock(&sim->ctl_lock);
}
EXPORT_SYMBOL_GPL(parport_sim_unplug);

/**
 * parport_sim_port() - the parport of a plugged simulated port
 * @sim: the port
 *
 * Return: the port, valid until the caller unplugs it, or NULL when
 * unplugged. No reference is taken.
 */
struct parport *parport_sim_port(struct parport_sim *sim)
{
	unsigned long flags;
	struct parport *port;

	spin_lock_irqsave(&sim->lock, flags);
	port = sim->port;
	spin_unlock_irqrestore(&sim->lock, flags);
	return port;
}
EXPORT_SYMBOL_GPL(parport_sim_port);

/**
 * parport_sim_get_info() - a snapshot of a simulated port
 * @sim: the port
 * @info: filled in
 */
void parport_sim_get_info(struct parport_sim *sim,
			  struct parport_sim_info *info)
{
	struct sim_model *m = &sim->model;
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	info->plugged = sim->port;
	info->number = sim->port ? sim->port->number : -1;
	info->plugs = sim->plugs;
	info->irq = sim->irq;
	info->modes = m->modes;
	info->faults = m->faults;
	info->daisy_count = m->chain_len;
	info->phase = sim_model_phase_name(m);
	info->selected = m->selected;
	info->ecp_channel = m->ecp_channel;
	info->rle_runs = m->rle_runs;
	info->epp_addr = m->epp_addr;
	info->control = m->ctrl;
	info->status = sim_model_read_status(m);
	info->forward_len = m->fwd_len;
	info->forward_dropped = m->fwd_dropped;
	info->reverse_len = m->rev_len;
	info->irqs = sim->irqs;
	info->refs_returned = sim->refs_returned;
	info->init_pulses = m->init_pulses;
	info->init_low_ns = m->init_low_ns;
	info->writers = m->runs_len;
	info->writers_lost = m->runs_lost;
	spin_unlock_irqrestore(&sim->lock, flags);
}
EXPORT_SYMBOL_GPL(parport_sim_get_info);

/**
 * sim_copy_id() - copy a device ID string
 * @sim: the port
 * @which: -1 for the device at the end of the cable, else a daisy-chain
 *	position
 * @buf: where to copy; not NUL-terminated
 * @size: room in @buf
 *
 * Return: the bytes copied; 0 if that device has no ID or does not exist.
 */
size_t sim_copy_id(struct parport_sim *sim, int which, char *buf,
		   size_t size)
{
	struct sim_model *m = &sim->model;
	const struct sim_id *id = NULL;
	unsigned long flags;
	size_t n = 0;

	spin_lock_irqsave(&sim->lock, flags);
	if (which < 0)
		id = &m->id;
	else if (which < m->chain_len)
		id = &m->chain[which];
	if (id && id->len) {
		n = min(size, id->len);
		memcpy(buf, id->str, n);
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	return n;
}

static int sim_id_dup(struct sim_id *id, const char *str, size_t len,
		      size_t max)
{
	if (len > max || memchr(str, 0, len))
		return -EINVAL;
	id->len = len;
	id->str = NULL;
	if (!len)
		return 0;
	id->str = kvmalloc(len, GFP_KERNEL);
	if (!id->str)
		return -ENOMEM;
	memcpy(id->str, str, len);
	return 0;
}

/**
 * parport_sim_set_device_id() - set the IEEE 1284 device ID of the device
 *	at the end of the cable
 * @sim: the port
 * @id: the ID string, e.g. "MFG:Acme;MDL:Jet 1;CMD:PCL;CLS:PRINTER;"
 * @len: its length (no NUL), at most %PARPORT_SIM_ID_MAX; 0 for none
 *
 * A device-ID request gets the two length bytes (big-endian, counting
 * themselves) and then the string. A device without an ID refuses
 * device-ID requests. The parport core reads IDs when the port is
 * plugged, so set it before parport_sim_plug() for the core to know it.
 *
 * Return: 0, -EINVAL if too long or if it contains a NUL, -ENOMEM, or
 * -ENODEV if the port was destroyed.
 */
int parport_sim_set_device_id(struct parport_sim *sim, const char *id,
			      size_t len)
{
	struct sim_id new, old;
	unsigned long flags;
	int ret;

	ret = sim_id_dup(&new, id, len, PARPORT_SIM_ID_MAX);
	if (ret)
		return ret;
	spin_lock_irqsave(&sim->lock, flags);
	if (sim->gone) {
		old = new;
		ret = -ENODEV;
	} else {
		old = sim->model.id;
		sim->model.id = new;
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	kvfree(old.str);
	return ret;
}
EXPORT_SYMBOL_GPL(parport_sim_set_device_id);

/**
 * parport_sim_set_daisy() - set the IEEE 1284.3 daisy chain
 * @sim: the port
 * @count: how many devices, 0 to %PARPORT_SIM_DAISY_MAX; 0 for no chain
 * @ids: their NUL-terminated device IDs, nearest to the host first
 *
 * The devices sit between the port and the device at the end of the
 * cable and have no address until the host assigns them, which the
 * parport core does when the port is plugged: set the chain before
 * parport_sim_plug().
 *
 * Return: 0, -EINVAL for too many devices or a too long ID, -ENOMEM, or
 * -ENODEV if the port was destroyed.
 */
int parport_sim_set_daisy(struct parport_sim *sim, unsigned int count,
			  const char *const *ids)
{
	struct sim_id chain[PARPORT_SIM_DAISY_MAX] = {};
	unsigned long flags;
	unsigned int i;
	int ret = 0;

	if (count > PARPORT_SIM_DAISY_MAX)
		return -EINVAL;
	for (i = 0; i < count && !ret; i++)
		ret = sim_id_dup(&chain[i], ids[i], strlen(ids[i]),
				 PARPORT_SIM_DAISY_ID_MAX);
	if (!ret) {
		spin_lock_irqsave(&sim->lock, flags);
		if (sim->gone)
			ret = -ENODEV;
		else
			sim_model_set_chain(&sim->model, chain, count);
		spin_unlock_irqrestore(&sim->lock, flags);
	}
	for (i = 0; i < PARPORT_SIM_DAISY_MAX; i++)
		kvfree(chain[i].str);
	return ret;
}
EXPORT_SYMBOL_GPL(parport_sim_set_daisy);

/**
 * parport_sim_set_modes() - set the IEEE 1284 modes the peripheral answers
 * @sim: the port
 * @modes: PARPORT_SIM_MODE_* bits; nibble mode comes with any other, and
 *	0 makes a peripheral that ignores negotiation (not IEEE 1284)
 */
void parport_sim_set_modes(struct parport_sim *sim, unsigned int modes)
{
	unsigned long flags;

	modes &= PARPORT_SIM_MODE_ALL;
	if (modes)
		modes |= PARPORT_SIM_MODE_NIBBLE;
	spin_lock_irqsave(&sim->lock, flags);
	sim->model.modes = modes;
	spin_unlock_irqrestore(&sim->lock, flags);
}
EXPORT_SYMBOL_GPL(parport_sim_set_modes);

/**
 * parport_sim_set_faults() - set the faults the peripheral shows
 * @sim: the port
 * @faults: PARPORT_SIM_FAULT_* bits; 0 for none
 */
void parport_sim_set_faults(struct parport_sim *sim, unsigned int faults)
{
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	sim_model_set_faults(&sim->model, faults);
	spin_unlock_irqrestore(&sim->lock, flags);
}
EXPORT_SYMBOL_GPL(parport_sim_set_faults);

/**
 * parport_sim_set_irq() - choose the interrupt number the port reports
 * @sim: the port, unplugged
 * @irq: any number (no interrupt line is requested), or PARPORT_IRQ_NONE
 *	for a port that polls
 *
 * With an interrupt, each nAck pulse of the peripheral (a byte taken in
 * compatibility mode, data arriving in reverse idle,
 * parport_sim_interrupt()) reaches the parport core and the owning
 * device's irq_func while the host has the interrupt enabled.
 *
 * Return: 0, -EBUSY while plugged, -EINVAL for a negative number other
 * than PARPORT_IRQ_NONE.
 */
int parport_sim_set_irq(struct parport_sim *sim, int irq)
{
	unsigned long flags;
	int ret = 0;

	if (irq < 0 && irq != PARPORT_IRQ_NONE)
		return -EINVAL;
	mutex_lock(&sim->ctl_lock);
	spin_lock_irqsave(&sim->lock, flags);
	if (sim->port)
		ret = -EBUSY;
	else
		sim->irq = irq;
	spin_unlock_irqrestore(&sim->lock, flags);
	mutex_unlock(&sim->ctl_lock);
	return ret;
}
EXPORT_SYMBOL_GPL(parport_sim_set_irq);

/**
 * parport_sim_queue_reverse() - give the peripheral data to send the host
 * @sim: the port
 * @buf: the bytes
 * @len: how many
 *
 * Nibble, byte, ECP and EPP reads return them in order.
 *
 * Return: the bytes queued (fewer than @len if %PARPORT_SIM_REV_MAX would
 * be exceeded), or -ENODEV if the port was destroyed.
 */
int parport_sim_queue_reverse(struct parport_sim *sim, const void *buf,
			      size_t len)
{
	unsigned long flags;
	int n = -ENODEV;

	len = min_t(size_t, len, PARPORT_SIM_REV_MAX);
	spin_lock_irqsave(&sim->lock, flags);
	if (!sim->gone)
		n = sim_model_queue(&sim->model, buf, len);
	spin_unlock_irqrestore(&sim->lock, flags);
	sim_port_kick(sim);
	return n;
}
EXPORT_SYMBOL_GPL(parport_sim_queue_reverse);

/**
 * parport_sim_read_forward() - copy the bytes the peripheral received
 * @sim: the port
 * @buf: where to copy
 * @len: room in @buf
 *
 * Data bytes of compatibility mode, ECP (run lengths expanded) and EPP,
 * in order, since creation or the last parport_sim_clear_forward(); at
 * most %PARPORT_SIM_FWD_MAX are kept.
 *
 * Return: the bytes copied.
 */
size_t parport_sim_read_forward(struct parport_sim *sim, void *buf,
				size_t len)
{
	unsigned long flags;
	size_t n = 0;

	spin_lock_irqsave(&sim->lock, flags);
	if (!sim->gone) {
		n = min(len, sim->model.fwd_len);
		memcpy(buf, sim->model.fwd, n);
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	return n;
}
EXPORT_SYMBOL_GPL(parport_sim_read_forward);

/**
 * parport_sim_clear_forward() - forget the bytes received, and their writers
 * @sim: the port
 */
void parport_sim_clear_forward(struct parport_sim *sim)
{
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	sim->model.fwd_len = 0;
	sim->model.fwd_dropped = 0;
	sim_model_clear_writers(&sim->model);
	spin_unlock_irqrestore(&sim->lock, flags);
}
EXPORT_SYMBOL_GPL(parport_sim_clear_forward);

/**
 * parport_sim_read_writers() - copy the writers of the forward bytes
 * @sim: the port
 * @runs: where to copy them, oldest first (see &struct parport_sim_writer)
 * @max: room in @runs, in entries; %PARPORT_SIM_WRITERS_MAX takes them all
 * @lost: set to the bytes latched while the record was full, whose writer
 *	is not recorded (0 if every byte's writer is)
 *
 * The writers of every forward byte latched since creation or the last
 * parport_sim_clear_writers() or parport_sim_clear_forward(), taken at
 * one instant.
 *
 * Return: the runs copied.
 */
size_t parport_sim_read_writers(struct parport_sim *sim,
				struct parport_sim_writer *runs, size_t max,
				unsigned long *lost)
{
	unsigned long flags;
	size_t n = 0;

	*lost = 0;
	spin_lock_irqsave(&sim->lock, flags);
	if (!sim->gone) {
		n = min(max, sim->model.runs_len);
		memcpy(runs, sim->model.runs, n * sizeof(*runs));
		*lost = sim->model.runs_lost;
	}
	spin_unlock_irqrestore(&sim->lock, flags);
	return n;
}
EXPORT_SYMBOL_GPL(parport_sim_read_writers);

/**
 * parport_sim_clear_writers() - forget the writers of the forward bytes
 * @sim: the port
 *
 * The forward bytes stay; the writers of the bytes latched from now on
 * are recorded, with room for %PARPORT_SIM_WRITERS_MAX runs again.
 */
void parport_sim_clear_writers(struct parport_sim *sim)
{
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	sim_model_clear_writers(&sim->model);
	spin_unlock_irqrestore(&sim->lock, flags);
}
EXPORT_SYMBOL_GPL(parport_sim_clear_writers);

/**
 * parport_sim_interrupt() - the peripheral pulses nAck
 * @sim: the port
 *
 * An interrupt reaches the parport core if the port has one and the host
 * enabled it. It is delivered shortly after, from a work item with
 * interrupts off (see port.c); parport_sim_sync_irq() waits for it.
 */
void parport_sim_interrupt(struct parport_sim *sim)
{
	unsigned long flags;

	spin_lock_irqsave(&sim->lock, flags);
	if (sim->port)
		sim->model.irq_pending++;
	spin_unlock_irqrestore(&sim->lock, flags);
	sim_port_kick(sim);
}
EXPORT_SYMBOL_GPL(parport_sim_interrupt);

/**
 * parport_sim_sync_irq() - wait until raised interrupts were delivered
 * @sim: the port
 *
 * Must not be called from atomic context.
 */
void parport_sim_sync_irq(struct parport_sim *sim)
{
	flush_work(&sim->irq_work);
}
EXPORT_SYMBOL_GPL(parport_sim_sync_irq);

static int __init parport_sim_init(void)
{
	if (!PARPORT_SIM_CORE_USES_OPS) {
		pr_err("this kernel's parport core drives PC registers directly (CONFIG_PARPORT_NOT_PC is off)\n");
		return -ENODEV;
	}
	sim_debugfs_init();
	return 0;
}

static void __exit parport_sim_exit(void)
{
	struct parport_sim *sim, *tmp;

	sim_debugfs_stop();
	while ((sim = sim_unlist(NULL, NULL)))
		sim_destroy_taken(sim);
	sim_debugfs_exit();
	sim_port_reap(true);
	list_for_each_entry_safe(sim, tmp, &sim_graveyard, node) {
		list_del(&sim->node);
		mutex_destroy(&sim->ctl_lock);
		kfree(sim);
	}
	ida_destroy(&sim_ida);
}

module_init(parport_sim_init);
module_exit(parport_sim_exit);

MODULE_DESCRIPTION("Simulated parallel port with a software IEEE 1284 peripheral");
MODULE_LICENSE("GPL");
