/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parclass: every difference between the kernel versions parclass builds
 * against (6.1 and 6.12) lives here, and only here.
 */
#ifndef _PARCLASS_COMPAT_H
#define _PARCLASS_COMPAT_H

#include <kunit/visibility.h>
#include <linux/parport.h>
#include <linux/parport_pc.h>
#include <linux/version.h>

/*
 * True when building against a kernel older than @major.@minor. This is
 * the one place that compares kernel versions: an out-of-tree module has
 * no single version to be "merged" into.
 */
#define PARCLASS_KERNEL_BEFORE(major, minor) \
	(KERNEL_VERSION(major, minor, 0) > LINUX_VERSION_CODE)

/**
 * parclass_compat_driver_init() - set version-specific parport_driver fields
 * @drv: the driver, before parport_register_driver()
 *
 * Before 6.11 a parport driver had to opt into the device model with
 * @devmodel (or only @attach was called). From 6.11 the field is gone and
 * the device model is the only one.
 */
static inline void parclass_compat_driver_init(struct parport_driver *drv)
{
#if PARCLASS_KERNEL_BEFORE(6, 11)
	drv->devmodel = true;
#endif
}

/**
 * parclass_compat_ecr_writable() - parport_pc's mask of writable ECR bits
 * @priv: the port's parport_pc private data
 *
 * From 6.2 parport_pc knows PCI chips whose ECR has bits that must not be
 * written; before, it had no such quirk.
 *
 * Return: the mask, or 0 when every bit may be written.
 */
static inline u8
parclass_compat_ecr_writable(const struct parport_pc_private *priv)
{
#if PARCLASS_KERNEL_BEFORE(6, 2)
	return 0;
#else
	return priv->ecr_writable;
#endif
}

/*
 * KUnit tests import the symbols exported with EXPORT_SYMBOL_IF_KUNIT()
 * (include/kunit/visibility.h); the namespace argument of
 * MODULE_IMPORT_NS() became a string literal in 6.13.
 */
#if PARCLASS_KERNEL_BEFORE(6, 13)
#define PARCLASS_IMPORT_KUNIT_NS() MODULE_IMPORT_NS(EXPORTED_FOR_KUNIT_TESTING)
#else
#define PARCLASS_IMPORT_KUNIT_NS() MODULE_IMPORT_NS("EXPORTED_FOR_KUNIT_TESTING")
#endif

#endif /* _PARCLASS_COMPAT_H */
