/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * parclass: the Windows parallel-port class driver model on Linux parport.
 *
 * User space opens /dev/parclass and issues the ioctls below on the file.
 *
 * Conventions shared by every command:
 *
 * - Every command struct begins with ``__u32 size``, which the caller sets
 *   to sizeof() the struct it was compiled with. Structs only ever grow at
 *   the end. The kernel accepts a caller's struct that is shorter than its
 *   own (the missing tail reads as zero) as long as it covers the
 *   command's mandatory fields, and a longer one as long as the unknown
 *   tail is all zero.
 * - Every struct is a multiple of 8 bytes. Fields named ``__reserved`` or
 *   ``flags`` bits without a defined meaning must be zero.
 * - Output fields are written back; bytes past the caller's @size are
 *   never written.
 *
 * Errors common to every command:
 *
 * - %ENOTTY: the request code is not a parclass command.
 * - %EFAULT: the argument pointer (or a pointer inside the struct) is not
 *   valid user memory.
 * - %EINVAL: @size is smaller than the command's mandatory part, a
 *   reserved field is non-zero, or an unknown flag is set.
 * - %E2BIG: @size is larger than the kernel's struct and the extra bytes
 *   are not all zero.
 */
#ifndef _UAPI_LINUX_PARCLASS_H
#define _UAPI_LINUX_PARCLASS_H

#include <linux/ioctl.h>
#include <linux/types.h>

/**
 * PARCLASS_ABI_VERSION - version of this interface
 *
 * Incremented only for a change old binaries could notice. New commands
 * and new struct fields are announced through &struct
 * parclass_version.features instead.
 */
#define PARCLASS_ABI_VERSION 1

/**
 * PARCLASS_TYPE - the ioctl type (magic) byte of every parclass command
 *
 * 0xBA is free in the kernel's ioctl-number registry
 * (Documentation/userspace-api/ioctl/ioctl-number.rst).
 */
#define PARCLASS_TYPE 0xBA

/**
 * PARCLASS_CMD_BASE - the ioctl number of the first parclass command
 *
 * Command n is _IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + n). The size and the
 * direction travel in the struct, not in the request code, so a struct
 * can grow without changing the code.
 */
#define PARCLASS_CMD_BASE 0x80

#define PARCLASS_CMD_GET_VERSION 0

/**
 * PARCLASS_FEATURE_VERSION - &PARCLASS_IOC_GET_VERSION is available
 *
 * Always set; the other feature bits name the command families that this
 * module provides.
 */
#define PARCLASS_FEATURE_VERSION (1ULL << 0)

/**
 * struct parclass_version - argument of &PARCLASS_IOC_GET_VERSION
 * @size: sizeof(struct parclass_version)
 * @flags: must be 0
 * @abi_version: out: %PARCLASS_ABI_VERSION of the running module
 * @__reserved: must be 0
 * @features: out: bitmask of PARCLASS_FEATURE_* supported by the module
 */
struct parclass_version {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 __reserved;
	__u64 features;
};

/**
 * PARCLASS_IOC_GET_VERSION - report the interface version and features
 *
 * Takes &struct parclass_version. Needs no session and never blocks.
 *
 * Return: 0 on success, or -1 with errno set to %EFAULT, %EINVAL or %E2BIG
 * as described for every command.
 */
#define PARCLASS_IOC_GET_VERSION \
	_IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + PARCLASS_CMD_GET_VERSION)

#endif /* _UAPI_LINUX_PARCLASS_H */
