// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: the misc device /dev/parclass and its ioctl dispatch table.
 *
 * User space sees one character device. Every request is an ioctl whose
 * argument struct begins with its own size (see
 * include/uapi/linux/parclass.h). This file owns the only
 * copy_from_user() of those structs: each command's handler works on a
 * validated kernel copy.
 *
 *	int fd = open("/dev/parclass", O_RDWR | O_CLOEXEC);
 *	struct parclass_version v = { .size = sizeof(v) };
 *
 *	ioctl(fd, PARCLASS_IOC_GET_VERSION, &v);
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/uaccess.h>

#include "parclass.h"

/* Copy the kernel's answer back, never past the caller's size. */
static int parclass_ucmd_respond(struct parclass_ucmd *ucmd, size_t len)
{
	if (copy_to_user(ucmd->ubuffer, ucmd->cmd,
			 min_t(size_t, ucmd->user_size, len)))
		return -EFAULT;
	return 0;
}

static int parclass_version_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_version *cmd = &buf->version;

	if (cmd->flags || cmd->__reserved)
		return -EINVAL;
	return 0;
}

static int parclass_version_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_version *cmd = &ucmd->cmd->version;

	cmd->abi_version = PARCLASS_ABI_VERSION;
	cmd->features = PARCLASS_FEATURES;
	return parclass_ucmd_respond(ucmd, sizeof(*cmd));
}

#define PARCLASS_OP(_nr, _type, _last, _validate, _execute)		\
	[PARCLASS_CMD_##_nr] = {					\
		.size = sizeof(_type),					\
		.min_size = offsetofend(_type, _last),			\
		.ioctl_num = PARCLASS_IOC_##_nr,			\
		.validate = _validate,					\
		.execute = _execute,					\
	}

/* The dispatch table: one row per command, indexed by command number. */
VISIBLE_IF_KUNIT const struct parclass_ioctl_op
parclass_ioctl_ops[PARCLASS_CMD_COUNT] = {
	PARCLASS_OP(GET_VERSION, struct parclass_version, features,
		    parclass_version_validate, parclass_version_execute),
};
EXPORT_SYMBOL_IF_KUNIT(parclass_ioctl_ops);

/**
 * parclass_ioctl_op_find() - look a request code up in the dispatch table
 * @cmd: the request code user space passed to ioctl()
 *
 * Return: the table row, or NULL when @cmd is not exactly one of
 * parclass's request codes (another type, an unused number, or the right
 * number with size or direction bits that parclass never uses).
 */
VISIBLE_IF_KUNIT const struct parclass_ioctl_op *
parclass_ioctl_op_find(unsigned int cmd)
{
	const struct parclass_ioctl_op *op;
	unsigned int idx;

	if (_IOC_TYPE(cmd) != PARCLASS_TYPE || _IOC_NR(cmd) < PARCLASS_CMD_BASE)
		return NULL;
	idx = _IOC_NR(cmd) - PARCLASS_CMD_BASE;
	if (idx >= ARRAY_SIZE(parclass_ioctl_ops))
		return NULL;
	op = &parclass_ioctl_ops[array_index_nospec(idx,
					ARRAY_SIZE(parclass_ioctl_ops))];
	if (!op->execute || op->ioctl_num != cmd)
		return NULL;
	return op;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_ioctl_op_find);

static long parclass_fops_ioctl(struct file *filp, unsigned int cmd,
				unsigned long arg)
{
	const struct parclass_ioctl_op *op;
	union parclass_ucmd_buffer buf;
	struct parclass_ucmd ucmd = {
		.pfile = filp->private_data,
		.ubuffer = (void __user *)arg,
		.cmd = &buf,
	};
	int ret;

	op = parclass_ioctl_op_find(cmd);
	if (!op)
		return -ENOTTY;

	if (get_user(ucmd.user_size, (u32 __user *)ucmd.ubuffer))
		return -EFAULT;
	if (ucmd.user_size < op->min_size)
		return -EINVAL;
	ret = copy_struct_from_user(&buf, op->size, ucmd.ubuffer,
				    ucmd.user_size);
	if (ret)
		return ret;

	ret = op->validate(&buf);
	if (ret)
		return ret;
	return op->execute(&ucmd);
}

static int parclass_fops_open(struct inode *inode, struct file *filp)
{
	struct parclass_file *pfile;

	pfile = kzalloc(sizeof(*pfile), GFP_KERNEL);
	if (!pfile)
		return -ENOMEM;
	filp->private_data = pfile;
	return nonseekable_open(inode, filp);
}

static int parclass_fops_release(struct inode *inode, struct file *filp)
{
	kfree(filp->private_data);
	return 0;
}

static const struct file_operations parclass_fops = {
	.owner = THIS_MODULE,
	.open = parclass_fops_open,
	.release = parclass_fops_release,
	.unlocked_ioctl = parclass_fops_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
};

static struct miscdevice parclass_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "parclass",
	.fops = &parclass_fops,
	.mode = 0600,
};

static int __init parclass_init(void)
{
	int ret;

	ret = parclass_ports_init();
	if (ret)
		return ret;

	ret = misc_register(&parclass_misc);
	if (ret)
		goto err_ports_exit;

	pr_info("version %s, ABI %d\n", PARCLASS_VERSION, PARCLASS_ABI_VERSION);
	return 0;

err_ports_exit:
	parclass_ports_exit();
	return ret;
}

static void __exit parclass_exit(void)
{
	misc_deregister(&parclass_misc);
	parclass_ports_exit();
}

module_init(parclass_init);
module_exit(parclass_exit);

MODULE_DESCRIPTION("Windows parallel-port class driver semantics on Linux parport");
MODULE_AUTHOR("The parclass authors");
MODULE_LICENSE("GPL");
MODULE_VERSION(PARCLASS_VERSION);
