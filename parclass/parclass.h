/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parclass: declarations shared by the module's files and its KUnit tests.
 */
#ifndef _PARCLASS_H
#define _PARCLASS_H

#include <linux/types.h>
#include <uapi/linux/parclass.h>

#include "compat.h"

#define PARCLASS_VERSION "0.1.0"

/* Number of rows in the dispatch table: the highest command number + 1. */
#define PARCLASS_CMD_COUNT (PARCLASS_CMD_GET_VERSION + 1)

/* Every feature bit this build of the module provides. */
#define PARCLASS_FEATURES PARCLASS_FEATURE_VERSION

/**
 * struct parclass_file - state of one open file of /dev/parclass
 * @reserved: placeholder until sessions arrive; the file owns them
 */
struct parclass_file {
	u32 reserved;
};

/**
 * union parclass_ucmd_buffer - kernel copy of any command's struct
 * @size: the leading size field every command struct starts with
 * @version: %PARCLASS_IOC_GET_VERSION
 */
union parclass_ucmd_buffer {
	__u32 size;
	struct parclass_version version;
};

/**
 * struct parclass_ucmd - one ioctl call in flight
 * @pfile: the file the call came through
 * @ubuffer: the caller's struct
 * @user_size: the caller's idea of the struct's size
 * @cmd: kernel copy of the struct, already validated
 */
struct parclass_ucmd {
	struct parclass_file *pfile;
	void __user *ubuffer;
	u32 user_size;
	union parclass_ucmd_buffer *cmd;
};

/**
 * struct parclass_ioctl_op - one row of the dispatch table
 * @size: sizeof() the kernel's struct for this command
 * @min_size: smallest size a caller may pass: the end of the last
 *	mandatory field
 * @ioctl_num: the full request code
 * @validate: checks flags and reserved fields of the kernel copy; never
 *	touches user memory or module state
 * @execute: carries the command out
 */
struct parclass_ioctl_op {
	unsigned int size;
	unsigned int min_size;
	unsigned int ioctl_num;
	int (*validate)(const union parclass_ucmd_buffer *cmd);
	int (*execute)(struct parclass_ucmd *ucmd);
};

#if IS_ENABLED(CONFIG_KUNIT)
const struct parclass_ioctl_op *parclass_ioctl_op_find(unsigned int cmd);
extern const struct parclass_ioctl_op parclass_ioctl_ops[PARCLASS_CMD_COUNT];
#endif

int parclass_ports_init(void);
void parclass_ports_exit(void);

#endif /* _PARCLASS_H */
