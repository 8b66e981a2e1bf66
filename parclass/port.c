// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: port tracking.
 *
 * parclass registers itself as a parport driver. The parport core tells
 * it about every port, present and future (match_port), and about every
 * port that goes away (detach). parclass keeps a referenced entry per
 * port, indexed by the port's number, so that a client can name a port
 * by number and so that removal can reach every user of the port.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/mutex.h>
#include <linux/parport.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "parclass.h"

/**
 * struct parclass_port - parclass's view of one parport
 * @port: the parport, referenced with parport_get_port()
 */
struct parclass_port {
	struct parport *port;
};

/*
 * Ports by port->number. Covers insertion and removal of entries;
 * taken inside the parport core's registration_lock (match_port and
 * detach run under it), so never call into parport registration with
 * it held.
 */
static DEFINE_MUTEX(parclass_ports_lock);
static DEFINE_XARRAY(parclass_ports);

static void parclass_match_port(struct parport *port)
{
	struct parclass_port *pport;
	int ret;

	pport = kzalloc(sizeof(*pport), GFP_KERNEL);
	if (!pport)
		return;
	pport->port = parport_get_port(port);

	mutex_lock(&parclass_ports_lock);
	ret = xa_insert(&parclass_ports, port->number, pport, GFP_KERNEL);
	mutex_unlock(&parclass_ports_lock);
	if (ret) {
		pr_warn("%s: not tracked (%d)\n", port->name, ret);
		parport_put_port(port);
		kfree(pport);
		return;
	}
	pr_debug("%s: tracked\n", port->name);
}

static void parclass_detach(struct parport *port)
{
	struct parclass_port *pport;

	mutex_lock(&parclass_ports_lock);
	pport = xa_erase(&parclass_ports, port->number);
	mutex_unlock(&parclass_ports_lock);
	if (!pport)
		return;
	pr_debug("%s: detached\n", port->name);
	parport_put_port(pport->port);
	kfree(pport);
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
}
