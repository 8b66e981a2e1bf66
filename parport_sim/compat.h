/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parport_sim: every difference between the kernels parport_sim builds
 * against (6.1 and 6.12) lives here, and only here.
 */
#ifndef _PARPORT_SIM_COMPAT_H
#define _PARPORT_SIM_COMPAT_H

#include <linux/parport.h>

/*
 * The parport core reaches a port's lines through parport_write_data(),
 * parport_read_status() and friends. Where only PC hardware is possible
 * those are parport_pc's inline register accessors instead of calls
 * through port->ops, and a port without registers cannot work: 6.1 takes
 * that route unless CONFIG_PARPORT_NOT_PC is set, 6.12 only when
 * parport_pc is also built in. <linux/parport.h> includes
 * <linux/parport_pc.h> exactly when it takes it, so its include guard
 * tells, whatever the version. No file of parport_sim includes
 * <linux/parport_pc.h> itself.
 */
#ifdef __LINUX_PARPORT_PC_H
#define PARPORT_SIM_CORE_USES_OPS 0
#else
#define PARPORT_SIM_CORE_USES_OPS 1
#endif

#endif /* _PARPORT_SIM_COMPAT_H */
