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
 *	struct parclass_connect c = { .size = sizeof(c), .port = 0 };
 *	struct parclass_allocate a = { .size = sizeof(a) };
 *	struct parclass_free f = { .size = sizeof(f) };
 *	struct parclass_disconnect d = { .size = sizeof(d) };
 *
 *	ioctl(fd, PARCLASS_IOC_CONNECT, &c);
 *	a.token = f.token = d.token = c.token;
 *	ioctl(fd, PARCLASS_IOC_ALLOCATE, &a);
 *	... use the port ...
 *	ioctl(fd, PARCLASS_IOC_FREE, &f);
 *	ioctl(fd, PARCLASS_IOC_DISCONNECT, &d);
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/compat.h>
#include <linux/err.h>
#include <linux/fdtable.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/nospec.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/uaccess.h>
#include <linux/kernel.h>
#include <linux/mm.h>

#include "parclass.h"

/*
 * Copy the kernel's answer back, never past the caller's size. Inline: a
 * caller whose struct has the kernel's size makes a copy of constant
 * size, checked when the module is built rather than at each call.
 */
static __always_inline int parclass_ucmd_respond(struct parclass_ucmd *ucmd,
						 size_t len)
{
	const u64 *src = (const u64 *)ucmd->cmd;
	u64 __user *dst = ucmd->ubuffer;
	unsigned long left;
	size_t i;

	/* The usual case, in words, with no call. */
	if (likely(ucmd->user_size >= len && !(len % sizeof(u64)) &&
		   IS_ALIGNED((unsigned long)dst, sizeof(u64)))) {
		if (!user_access_begin(dst, len))
			return -EFAULT;
		for (i = 0; i < len / sizeof(u64); i++)
			unsafe_put_user(src[i], dst + i, efault);
		user_access_end();
		return 0;
	}
	if (likely(ucmd->user_size >= len))
		left = copy_to_user(ucmd->ubuffer, ucmd->cmd, len);
	else
		left = copy_to_user(ucmd->ubuffer, ucmd->cmd, ucmd->user_size);
	return left ? -EFAULT : 0;
efault:
	user_access_end();
	return -EFAULT;
}

static int parclass_version_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_version *cmd = &buf->version;

	return cmd->flags || cmd->__reserved ? -EINVAL : 0;
}

static int parclass_version_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_version *cmd = &ucmd->cmd->version;

	cmd->abi_version = PARCLASS_ABI_VERSION;
	cmd->features = PARCLASS_FEATURES;
	return parclass_ucmd_respond(ucmd, sizeof(*cmd));
}

/* Look a token up in the caller's file and start a command on it. */
static struct parclass_session *parclass_ucmd_session(struct parclass_ucmd *ucmd,
						      u64 token)
{
	return parclass_table_use(&ucmd->pfile->sessions, token);
}

static void parclass_ucmd_session_done(struct parclass_session *s)
{
	parclass_session_unuse(s);
}

static int parclass_connect_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_connect *cmd = &buf->connect;

	if (cmd->flags & ~PARCLASS_CONNECT_DAISY)
		return -EINVAL;
	if (cmd->flags & PARCLASS_CONNECT_DAISY)
		return cmd->daisy < PARCLASS_DAISY_MAX ? 0 : -EINVAL;
	return cmd->daisy ? -EINVAL : 0;
}

static int parclass_connect_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_connect *cmd = &ucmd->cmd->connect;
	struct parclass_session *s;
	int ret;

	/* Create, answer, then publish or abort: iommufd's order. */
	s = parclass_session_connect(ucmd->pfile, cmd);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_ucmd_respond(ucmd, sizeof(*cmd));
	if (ret)
		/* The caller never saw the token: it never works. */
		parclass_session_abort(ucmd->pfile, s);
	else
		parclass_session_publish(ucmd->pfile, s);
	return ret;
}

static int parclass_disconnect_validate(const union parclass_ucmd_buffer *buf)
{
	return buf->disconnect.flags ? -EINVAL : 0;
}

static int parclass_disconnect_execute(struct parclass_ucmd *ucmd)
{
	return parclass_session_disconnect(ucmd->pfile,
					   ucmd->cmd->disconnect.token);
}

static int parclass_allocate_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_allocate *cmd = &buf->allocate;

	if (cmd->flags & ~(PARCLASS_ALLOCATE_TRY | PARCLASS_ALLOCATE_ASYNC))
		return -EINVAL;
	if ((cmd->flags & PARCLASS_ALLOCATE_ASYNC) &&
	    ((cmd->flags & PARCLASS_ALLOCATE_TRY) || cmd->timeout_ns))
		return -EINVAL;
	return 0;
}

static int parclass_allocate_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_allocate *cmd = &ucmd->cmd->allocate;
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_allocate(s, cmd->flags, cmd->timeout_ns);
	parclass_ucmd_session_done(s);
	return ret;
}

static int parclass_free_validate(const union parclass_ucmd_buffer *buf)
{
	return buf->free.flags ? -EINVAL : 0;
}

static int parclass_free_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, ucmd->cmd->free.token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_free(s);
	parclass_ucmd_session_done(s);
	return ret;
}

static int parclass_port_free_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_port_free *cmd = &buf->port_free;

	return cmd->flags || cmd->__reserved ? -EINVAL : 0;
}

static int parclass_port_free_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_port_free *cmd = &ucmd->cmd->port_free;
	struct parclass_session *s;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	cmd->is_free = parclass_is_port_free(s);
	parclass_ucmd_session_done(s);
	return parclass_ucmd_respond(ucmd, sizeof(*cmd));
}

static int parclass_num_waiters_validate(const union parclass_ucmd_buffer *buf)
{
	return buf->num_waiters.flags ? -EINVAL : 0;
}

static int parclass_num_waiters_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_num_waiters *cmd = &ucmd->cmd->num_waiters;
	struct parclass_session *s;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	parclass_num_waiters(s, &cmd->waiters, &cmd->other_waiters);
	parclass_ucmd_session_done(s);
	return parclass_ucmd_respond(ucmd, sizeof(*cmd));
}

/* The size of the first version of struct parclass_port_entry. */
#define PARCLASS_PORT_ENTRY_SIZE_V1 \
	offsetofend(struct parclass_port_entry, __reserved)

static int parclass_list_ports_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_list_ports *cmd = &buf->list_ports;

	if ((cmd->flags & ~PARCLASS_LIST_PORTS_DAISY) ||
	    cmd->entry_size < PARCLASS_PORT_ENTRY_SIZE_V1)
		return -EINVAL;
	if (cmd->entry_size > PARCLASS_PORT_ENTRY_SIZE_MAX)
		return -E2BIG;
	return 0;
}

/* Copy entries out in the caller's entry size, zero-padding any excess. */
static int parclass_copy_entries(const struct parclass_list_ports *cmd,
				 const struct parclass_port_entry *entries,
				 u32 n)
{
	size_t len = min_t(size_t, cmd->entry_size, sizeof(*entries));
	void __user *dst = u64_to_user_ptr(cmd->entries);
	u32 i;

	for (i = 0; i < n; i++, dst += cmd->entry_size) {
		if (copy_to_user(dst, &entries[i], len))
			return -EFAULT;
		if (cmd->entry_size > len &&
		    clear_user(dst + len, cmd->entry_size - len))
			return -EFAULT;
	}
	return 0;
}

static int parclass_list_ports_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_list_ports *cmd = &ucmd->cmd->list_ports;
	struct parclass_port_entry *entries = NULL;
	bool daisy = cmd->flags & PARCLASS_LIST_PORTS_DAISY;
	u32 total, room, n;
	int ret;

	parclass_port_list(NULL, 0, &total, daisy);
	room = min(cmd->count, total);
	if (room) {
		entries = kvcalloc(room, sizeof(*entries), GFP_KERNEL);
		if (!entries)
			return -ENOMEM;
	}
	n = parclass_port_list(entries, room, &total, daisy);
	ret = parclass_copy_entries(cmd, entries, n);
	kvfree(entries);
	if (ret)
		return ret;
	cmd->count = total;
	return parclass_ucmd_respond(ucmd, sizeof(*cmd));
}

static int parclass_write_validate(const union parclass_ucmd_buffer *buf)
{
	return buf->write.flags & ~PARCLASS_WRITE_MODE ? -EINVAL : 0;
}

static int parclass_write_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_write *cmd = &ucmd->cmd->write;
	struct parclass_session *s;
	int ret, ret2;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_write(s, u64_to_user_ptr(cmd->buffer), cmd->length,
			     cmd->timeout_ns, cmd->flags, &cmd->written);
	parclass_ucmd_session_done(s);
	/* Refused before the transfer began: nothing is written back. */
	if (ret == -EPERM || ret == -EBUSY || ret == -ENOMEM)
		return ret;
	/* @written is reported also when the transfer stopped early. */
	ret2 = parclass_ucmd_respond(ucmd, sizeof(*cmd));
	return ret ?: ret2;
}

static int parclass_query_info_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_query_information *cmd = &buf->query_info;

	return cmd->flags || cmd->__reserved ? -EINVAL : 0;
}

static int parclass_query_info_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_query_information *cmd = &ucmd->cmd->query_info;
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_query_information(s, cmd);
	parclass_ucmd_session_done(s);
	return ret ?: parclass_ucmd_respond(ucmd, sizeof(*cmd));
}

static int parclass_set_info_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_set_information *cmd = &buf->set_info;

	if (cmd->flags || cmd->__reserved)
		return -EINVAL;
	return cmd->init == PARCLASS_PARALLEL_INIT ? 0 : -EINVAL;
}

static int parclass_set_info_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_set_information *cmd = &ucmd->cmd->set_info;
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_init_pulse(s);
	parclass_ucmd_session_done(s);
	return ret;
}

static int parclass_device_id_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_device_id *cmd = &buf->device_id;
	const u32 known = PARCLASS_DEVICE_ID_RAW | PARCLASS_DEVICE_ID_DAISY;

	if ((cmd->flags & ~known) || cmd->__reserved ||
	    cmd->length > PARCLASS_DEVICE_ID_MAX)
		return -EINVAL;
	if (cmd->flags & PARCLASS_DEVICE_ID_DAISY)
		return cmd->daisy < PARCLASS_DAISY_MAX ? 0 : -EINVAL;
	return cmd->daisy ? -EINVAL : 0;
}

static int parclass_device_id_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_device_id *cmd = &ucmd->cmd->device_id;
	struct parclass_session *s;
	size_t skip = 0;
	u8 *id;
	int ret, ret2;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_device_id(s, cmd, &id, &skip);
	parclass_ucmd_session_done(s);
	/* Out of the session: a fault here cannot hold up the port. */
	if (!ret && cmd->length &&
	    copy_to_user(u64_to_user_ptr(cmd->buffer), id + skip,
			 cmd->id_size))
		ret = -EFAULT;
	kvfree(id);
	if (ret && ret != -ERANGE)
		return ret;
	/* @id_size is reported also when the buffer was too small. */
	ret2 = parclass_ucmd_respond(ucmd, sizeof(*cmd));
	return ret ?: ret2;
}

static int parclass_register_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_register *cmd = &buf->reg;

	if (cmd->flags || cmd->__reserved)
		return -EINVAL;
	return parclass_register_valid(cmd) ? 0 : -EINVAL;
}

static int parclass_register_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_register *cmd = &ucmd->cmd->reg;
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_register_access(s, cmd);
	parclass_ucmd_session_done(s);
	return ret ?: parclass_ucmd_respond(ucmd, sizeof(*cmd));
}

static int parclass_pin_program_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_pin_program *cmd = &buf->pin_program;

	if (cmd->flags)
		return -EINVAL;
	if (cmd->count > PARCLASS_PIN_MAX_OPS)
		return -E2BIG;
	return cmd->count ? 0 : -EINVAL;
}

static int parclass_pin_program_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_pin_program *cmd = &ucmd->cmd->pin_program;
	struct parclass_pin_op *ops;
	struct parclass_session *s;
	bool started = false;
	u8 *results;
	int ret, ret2;

	s = parclass_table_get(&ucmd->pfile->sessions, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	/*
	 * User memory is read before the session is in use and written
	 * after: a page fault there never holds up the port's removal.
	 */
	ret = parclass_pin_prepare(cmd, &ops, &results);
	if (!ret) {
		ret = parclass_session_use(s);
		if (!ret) {
			ret = parclass_pin_program(s, cmd, ops, results,
						   &started);
			parclass_session_unuse(s);
		}
	}
	parclass_session_put(s);
	/* Results that could not be copied out were not delivered. */
	if (cmd->results_used &&
	    copy_to_user(u64_to_user_ptr(cmd->results), results,
			 cmd->results_used)) {
		cmd->results_used = 0;
		ret = ret ?: -EFAULT;
	}
	kvfree(results);
	kvfree(ops);
	/* A program refused before it started writes nothing back. */
	if (!started)
		return ret;
	/* @done and @results_used are reported also when it stopped early. */
	ret2 = parclass_ucmd_respond(ucmd, sizeof(*cmd));
	return ret ?: ret2;
}

static int parclass_negotiate_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_negotiate *cmd = &buf->negotiate;

	if (cmd->flags & ~PARCLASS_NEGOTIATE_KEEP)
		return -EINVAL;
	return parclass_1284_masks_valid(cmd->read_mask, cmd->write_mask) ?
	       0 : -EINVAL;
}

static int parclass_negotiate_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_negotiate *cmd = &ucmd->cmd->negotiate;
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_mode_negotiate(s, cmd);
	parclass_ucmd_session_done(s);
	return ret ?: parclass_ucmd_respond(ucmd, sizeof(*cmd));
}

static int parclass_mode_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_mode *cmd = &buf->mode;

	return cmd->flags ? -EINVAL : 0;
}

static int parclass_terminate_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, ucmd->cmd->mode.token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_mode_terminate(s);
	parclass_ucmd_session_done(s);
	return ret;
}

static int parclass_get_mode_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_mode *cmd = &ucmd->cmd->mode;
	struct parclass_session *s;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	parclass_mode_get(s, cmd);
	parclass_ucmd_session_done(s);
	return parclass_ucmd_respond(ucmd, sizeof(*cmd));
}

static int parclass_read_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_read *cmd = &buf->read;

	if (cmd->flags)
		return -EINVAL;
	return cmd->length && cmd->length <= PARCLASS_READ_MAX ? 0 : -EINVAL;
}

static int parclass_read_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_read *cmd = &ucmd->cmd->read;
	struct parclass_session *s;
	u8 *kbuf = NULL;
	int ret, ret2;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_mode_read(s, cmd, &kbuf);
	parclass_ucmd_session_done(s);
	/* Out of the session: a fault here cannot hold up the port. */
	if (cmd->done && copy_to_user(u64_to_user_ptr(cmd->buffer), kbuf,
				      cmd->done)) {
		cmd->done = 0;
		ret = ret ?: -EFAULT;
	}
	kvfree(kbuf);
	/* @done is reported also when the read stopped early. */
	ret2 = parclass_ucmd_respond(ucmd, sizeof(*cmd));
	return ret ?: ret2;
}

static int parclass_address_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_address *cmd = &buf->address;

	if (cmd->flags & ~PARCLASS_ADDRESS_SET)
		return -EINVAL;
	if (cmd->direction != PARCLASS_ADDRESS_READ &&
	    cmd->direction != PARCLASS_ADDRESS_WRITE)
		return -EINVAL;
	/* The output of a report; the range of the mode's addresses. */
	if ((cmd->flags & PARCLASS_ADDRESS_SET) &&
	    cmd->address > PARCLASS_EPP_ADDRESS_MAX)
		return -EINVAL;
	return 0;
}

static int parclass_address_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_address *cmd = &ucmd->cmd->address;
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_mode_address(s, cmd);
	parclass_ucmd_session_done(s);
	return ret ?: parclass_ucmd_respond(ucmd, sizeof(*cmd));
}

static int
parclass_host_recovery_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_host_recovery *cmd = &buf->host_recovery;

	if (cmd->flags & ~PARCLASS_HOST_RECOVERY_SET || cmd->__reserved)
		return -EINVAL;
	if ((cmd->flags & PARCLASS_HOST_RECOVERY_SET) && cmd->enabled > 1)
		return -EINVAL;
	return 0;
}

static int parclass_host_recovery_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_host_recovery *cmd = &ucmd->cmd->host_recovery;
	struct parclass_session *s;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	parclass_mode_host_recovery(s, cmd);
	parclass_ucmd_session_done(s);
	return parclass_ucmd_respond(ucmd, sizeof(*cmd));
}

static int parclass_ping_validate(const union parclass_ucmd_buffer *buf)
{
	return buf->ping.flags ? -EINVAL : 0;
}

static int parclass_ping_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, ucmd->cmd->ping.token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_mode_ping(s);
	parclass_ucmd_session_done(s);
	return ret;
}

static int parclass_probe_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_probe *cmd = &buf->probe;

	return cmd->flags || cmd->exclude & ~PARCLASS_1284_ALL ? -EINVAL : 0;
}

static int parclass_probe_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_probe *cmd = &ucmd->cmd->probe;
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_mode_probe(s, cmd);
	parclass_ucmd_session_done(s);
	return ret ?: parclass_ucmd_respond(ucmd, sizeof(*cmd));
}

static int parclass_chip_mode_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_chip_mode *cmd = &buf->chip_mode;
	const u32 both = PARCLASS_CHIP_MODE_SET | PARCLASS_CHIP_MODE_CLEAR;

	if ((cmd->flags & ~both) || (cmd->flags & both) == both)
		return -EINVAL;
	switch (cmd->mode) {
	case PARCLASS_CHIP_MODE_INITIAL:
		return cmd->flags & PARCLASS_CHIP_MODE_SET ? -EINVAL : 0;
	case PARCLASS_CHIP_MODE_BYTE:
	case PARCLASS_CHIP_MODE_ECP:
	case PARCLASS_CHIP_MODE_EPP:
		return cmd->flags ? 0 : -EINVAL;
	default:
		return -EINVAL;
	}
}

static int parclass_chip_mode_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_chip_mode *cmd = &ucmd->cmd->chip_mode;
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_chip_mode(s, cmd);
	parclass_ucmd_session_done(s);
	return ret ?: parclass_ucmd_respond(ucmd, sizeof(*cmd));
}

static int parclass_lock_validate(const union parclass_ucmd_buffer *buf)
{
	return buf->lock.flags & ~PARCLASS_LOCK_NO_SELECT ? -EINVAL : 0;
}

static int parclass_lock_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, ucmd->cmd->lock.token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_lock(s, ucmd->cmd->lock.flags);
	parclass_ucmd_session_done(s);
	return ret;
}

static int parclass_unlock_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, ucmd->cmd->lock.token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_unlock(s, ucmd->cmd->lock.flags);
	parclass_ucmd_session_done(s);
	return ret;
}

static int parclass_daisy_init_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_daisy_init *cmd = &buf->daisy_init;

	return cmd->flags || cmd->__reserved ? -EINVAL : 0;
}

static int parclass_daisy_init_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_daisy_init *cmd = &ucmd->cmd->daisy_init;
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_daisy_init(s, &cmd->count);
	parclass_ucmd_session_done(s);
	return ret ?: parclass_ucmd_respond(ucmd, sizeof(*cmd));
}

static int parclass_select_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_select *cmd = &buf->select;

	if ((cmd->flags & ~PARCLASS_SELECT_KEEP_PORT) || cmd->__reserved ||
	    cmd->device > PARCLASS_DAISY_END_OF_CHAIN)
		return -EINVAL;
	if ((cmd->flags & PARCLASS_SELECT_KEEP_PORT) && cmd->timeout_ns)
		return -EINVAL;
	return 0;
}

static int parclass_select_device_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, ucmd->cmd->select.token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_select_device(s, &ucmd->cmd->select);
	parclass_ucmd_session_done(s);
	return ret;
}

static int parclass_deselect_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_select *cmd = &buf->select;

	if ((cmd->flags & ~PARCLASS_SELECT_KEEP_PORT) || cmd->__reserved ||
	    cmd->device || cmd->timeout_ns)
		return -EINVAL;
	return 0;
}

static int parclass_deselect_device_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, ucmd->cmd->select.token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_deselect_device(s, ucmd->cmd->select.flags);
	parclass_ucmd_session_done(s);
	return ret;
}

static int parclass_cancel_validate(const union parclass_ucmd_buffer *buf)
{
	return buf->cancel.flags ? -EINVAL : 0;
}

static int parclass_cancel_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, ucmd->cmd->cancel.token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_cancel(s);
	parclass_ucmd_session_done(s);
	return ret;
}

static int parclass_interrupts_validate(const union parclass_ucmd_buffer *buf)
{
	const struct parclass_interrupts *cmd = &buf->interrupts;
	const u32 both = PARCLASS_INTERRUPTS_ENABLE | PARCLASS_INTERRUPTS_DISABLE;

	if ((cmd->flags & ~both) || (cmd->flags & both) == both ||
	    cmd->__reserved)
		return -EINVAL;
	return 0;
}

static int parclass_interrupts_execute(struct parclass_ucmd *ucmd)
{
	struct parclass_interrupts *cmd = &ucmd->cmd->interrupts;
	struct parclass_session *s;
	int ret;

	s = parclass_ucmd_session(ucmd, cmd->token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	ret = parclass_interrupts(s, cmd);
	parclass_ucmd_session_done(s);
	return ret ?: parclass_ucmd_respond(ucmd, sizeof(*cmd));
}

#define PARCLASS_OP(_nr, _type, _last, _prefix)				\
	[PARCLASS_CMD_##_nr] = {					\
		.size = sizeof(_type),					\
		.min_size = offsetofend(_type, _last),			\
		.ioctl_num = PARCLASS_IOC_##_nr,			\
		.validate = _prefix##_validate,				\
		.execute = _prefix##_execute,				\
	}

/* The dispatch table: one row per command, indexed by command number. */
VISIBLE_IF_KUNIT const struct parclass_ioctl_op
parclass_ioctl_ops[PARCLASS_CMD_COUNT] = {
	PARCLASS_OP(GET_VERSION, struct parclass_version, features,
		    parclass_version),
	PARCLASS_OP(CONNECT, struct parclass_connect, info,
		    parclass_connect),
	PARCLASS_OP(DISCONNECT, struct parclass_disconnect, token,
		    parclass_disconnect),
	PARCLASS_OP(ALLOCATE, struct parclass_allocate, timeout_ns,
		    parclass_allocate),
	PARCLASS_OP(FREE, struct parclass_free, token, parclass_free),
	PARCLASS_OP(IS_PORT_FREE, struct parclass_port_free, __reserved,
		    parclass_port_free),
	PARCLASS_OP(QUERY_NUM_WAITERS, struct parclass_num_waiters,
		    other_waiters, parclass_num_waiters),
	PARCLASS_OP(LIST_PORTS, struct parclass_list_ports, entries,
		    parclass_list_ports),
	PARCLASS_OP(WRITE, struct parclass_write, timeout_ns, parclass_write),
	PARCLASS_OP(QUERY_INFORMATION, struct parclass_query_information,
		    __reserved, parclass_query_info),
	PARCLASS_OP(SET_INFORMATION, struct parclass_set_information,
		    __reserved, parclass_set_info),
	PARCLASS_OP(DEVICE_ID, struct parclass_device_id, __reserved,
		    parclass_device_id),
	PARCLASS_OP(REGISTER, struct parclass_register, __reserved,
		    parclass_register),
	PARCLASS_OP(PIN_PROGRAM, struct parclass_pin_program, results_used,
		    parclass_pin_program),
	PARCLASS_OP(NEGOTIATE, struct parclass_negotiate, write_mode,
		    parclass_negotiate),
	[PARCLASS_CMD_TERMINATE] = {
		.size = sizeof(struct parclass_mode),
		.min_size = offsetofend(struct parclass_mode, write_mode),
		.ioctl_num = PARCLASS_IOC_TERMINATE,
		.validate = parclass_mode_validate,
		.execute = parclass_terminate_execute,
	},
	[PARCLASS_CMD_GET_MODE] = {
		.size = sizeof(struct parclass_mode),
		.min_size = offsetofend(struct parclass_mode, write_mode),
		.ioctl_num = PARCLASS_IOC_GET_MODE,
		.validate = parclass_mode_validate,
		.execute = parclass_get_mode_execute,
	},
	PARCLASS_OP(READ, struct parclass_read, timeout_ns, parclass_read),
	PARCLASS_OP(ADDRESS, struct parclass_address, address,
		    parclass_address),
	PARCLASS_OP(HOST_RECOVERY, struct parclass_host_recovery, __reserved,
		    parclass_host_recovery),
	PARCLASS_OP(PING, struct parclass_ping, token, parclass_ping),
	PARCLASS_OP(PROBE, struct parclass_probe, modes, parclass_probe),
	PARCLASS_OP(CHIP_MODE, struct parclass_chip_mode, current_mode,
		    parclass_chip_mode),
	PARCLASS_OP(LOCK, struct parclass_lock, token, parclass_lock),
	[PARCLASS_CMD_UNLOCK] = {
		.size = sizeof(struct parclass_lock),
		.min_size = offsetofend(struct parclass_lock, token),
		.ioctl_num = PARCLASS_IOC_UNLOCK,
		.validate = parclass_lock_validate,
		.execute = parclass_unlock_execute,
	},
	PARCLASS_OP(DAISY_INIT, struct parclass_daisy_init, __reserved,
		    parclass_daisy_init),
	[PARCLASS_CMD_SELECT_DEVICE] = {
		.size = sizeof(struct parclass_select),
		.min_size = offsetofend(struct parclass_select, timeout_ns),
		.ioctl_num = PARCLASS_IOC_SELECT_DEVICE,
		.validate = parclass_select_validate,
		.execute = parclass_select_device_execute,
	},
	[PARCLASS_CMD_DESELECT_DEVICE] = {
		.size = sizeof(struct parclass_select),
		.min_size = offsetofend(struct parclass_select, timeout_ns),
		.ioctl_num = PARCLASS_IOC_DESELECT_DEVICE,
		.validate = parclass_deselect_validate,
		.execute = parclass_deselect_device_execute,
	},
	PARCLASS_OP(CANCEL, struct parclass_cancel, token, parclass_cancel),
	PARCLASS_OP(INTERRUPTS, struct parclass_interrupts, __reserved,
		    parclass_interrupts),
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

/*
 * A request (ioctl or read) is counted in @inflight_refs while it runs
 * when its caller shares its descriptor table: fdget() then took a
 * reference of its own to the file, which flush() must tell apart from
 * the descriptors still open.
 */
static bool parclass_inflight_begin(struct parclass_file *pfile)
{
	bool counted = atomic_read(&current->files->count) > 1;

	if (counted)
		atomic_inc(&pfile->inflight_refs);
	return counted;
}

static void parclass_inflight_end(struct parclass_file *pfile, bool counted)
{
	if (counted)
		atomic_dec(&pfile->inflight_refs);
}

/*
 * A hot command's size and, when it is the kernel's, its whole struct in
 * one user access, in words, with no call. Returns 1 when the struct was
 * copied, 0 when the caller must copy it the general way, or -EFAULT.
 */
static __always_inline int parclass_copy_in_fast(struct parclass_ucmd *ucmd,
						 unsigned int size)
{
	const u64 __user *src = ucmd->ubuffer;
	u64 *dst = (u64 *)ucmd->cmd;
	unsigned int i;
	u32 usize;

	if (size % sizeof(u64) || !IS_ALIGNED((unsigned long)src, sizeof(u64)))
		return 0;
	if (!user_access_begin(src, size))
		return 0;
	unsafe_get_user(usize, (const u32 __user *)src, efault);
	if (usize != size) {
		user_access_end();
		return 0;
	}
	for (i = 0; i < size / sizeof(u64); i++)
		unsafe_get_user(dst[i], src + i, efault);
	user_access_end();
	ucmd->user_size = usize;
	return 1;
efault:
	user_access_end();
	return -EFAULT;
}

/*
 * Copy one command's struct in, validate it and carry it out. Inline: with
 * @size, @validate and @execute constants (the hot commands below), the
 * usual copy, of the kernel's own size, has a constant size and the calls
 * are direct.
 */
static __always_inline long
parclass_ioctl_run(struct parclass_ucmd *ucmd, unsigned int size,
		   unsigned int min_size,
		   int (*validate)(const union parclass_ucmd_buffer *cmd),
		   int (*execute)(struct parclass_ucmd *ucmd))
{
	bool counted;
	int ret;

	ret = parclass_copy_in_fast(ucmd, size);
	if (ret < 0)
		return ret;
	if (!ret) {
		if (get_user(ucmd->user_size, (u32 __user *)ucmd->ubuffer))
			return -EFAULT;
		if (ucmd->user_size < min_size)
			return -EINVAL;
		ret = copy_struct_from_user(ucmd->cmd, size, ucmd->ubuffer,
					    ucmd->user_size);
		if (ret)
			return ret;
	}

	ret = validate(ucmd->cmd);
	if (ret)
		return ret;
	counted = parclass_inflight_begin(ucmd->pfile);
	ret = execute(ucmd);
	parclass_inflight_end(ucmd->pfile, counted);
	return ret;
}

/*
 * GET_VERSION with a struct of the kernel's own size, 8-byte aligned, in
 * one user access: the whole struct read, as a copy in reads it (so a
 * fault comes before a bad field), its flags and reserved field checked,
 * the two answers written (the other fields already hold what the answer
 * has there). Returns 0, -EINVAL or -EFAULT; or 1 when the struct has
 * another size or alignment, or is not accessible, for the general way
 * to answer.
 */
static __always_inline int parclass_version_fast(void __user *ubuf)
{
	struct parclass_version __user *u = ubuf;
	u32 size, flags, reserved;
	/* Read only to fault where a copy in would. */
	u64 features __always_unused;

	if (!IS_ALIGNED((unsigned long)u, sizeof(u64)) ||
	    !user_access_begin(u, sizeof(*u)))
		return 1;
	unsafe_get_user(size, &u->size, efault);
	if (size != sizeof(*u)) {
		user_access_end();
		return 1;
	}
	unsafe_get_user(flags, &u->flags, efault);
	unsafe_get_user(reserved, &u->__reserved, efault);
	unsafe_get_user(features, &u->features, efault);
	if (flags || reserved) {
		user_access_end();
		return -EINVAL;
	}
	unsafe_put_user(PARCLASS_ABI_VERSION, &u->abi_version, efault);
	unsafe_put_user(PARCLASS_FEATURES, &u->features, efault);
	user_access_end();
	return 0;
efault:
	user_access_end();
	return -EFAULT;
}

/* A command of the table's row for command _nr, as PARCLASS_OP() made it. */
#define PARCLASS_HOT(_nr, _type, _prefix)				\
	case PARCLASS_IOC_##_nr:					\
		return parclass_ioctl_run(&ucmd, sizeof(_type),		\
			parclass_ioctl_ops[PARCLASS_CMD_##_nr].min_size, \
			_prefix##_validate, _prefix##_execute)

static long parclass_fops_ioctl(struct file *filp, unsigned int cmd,
				unsigned long arg)
{
	const struct parclass_ioctl_op *op;
	/*
	 * Not zeroed first (CONFIG_INIT_STACK_ALL_ZERO would, at each call):
	 * the copy in writes the command's whole struct, and nothing reads
	 * past it.
	 */
	union parclass_ucmd_buffer buf __uninitialized;
	struct parclass_ucmd ucmd = {
		.pfile = filp->private_data,
		.ubuffer = (void __user *)arg,
		.cmd = &buf,
	};

	/* The null request, in one user access when it can be. */
	if (cmd == PARCLASS_IOC_GET_VERSION) {
		/* Counted like any request: close() must see it in flight. */
		bool counted = parclass_inflight_begin(ucmd.pfile);
		int ret = parclass_version_fast(ucmd.ubuffer);

		parclass_inflight_end(ucmd.pfile, counted);
		if (ret <= 0)
			return ret;
	}

	/* The requests a client makes most, each with its own copy. */
	switch (cmd) {
	PARCLASS_HOT(GET_VERSION, struct parclass_version, parclass_version);
	PARCLASS_HOT(CONNECT, struct parclass_connect, parclass_connect);
	PARCLASS_HOT(DISCONNECT, struct parclass_disconnect,
		     parclass_disconnect);
	PARCLASS_HOT(ALLOCATE, struct parclass_allocate, parclass_allocate);
	PARCLASS_HOT(FREE, struct parclass_free, parclass_free);
	}

	op = parclass_ioctl_op_find(cmd);
	if (!op)
		return -ENOTTY;
	return parclass_ioctl_run(&ucmd, op->size, op->min_size, op->validate,
				  op->execute);
}

static int parclass_fops_open(struct inode *inode, struct file *filp)
{
	struct parclass_file *pfile;

	pfile = kzalloc(sizeof(*pfile), GFP_KERNEL);
	if (!pfile)
		return -ENOMEM;
	parclass_table_init(&pfile->sessions, PARCLASS_TOKEN_SLOT_MAX);
	init_waitqueue_head(&pfile->event_wq);
	filp->private_data = pfile;
	return nonseekable_open(inode, filp);
}

/*
 * Every close() of a descriptor. When it closes the file's last one while
 * other threads still have requests in flight (each with its own
 * reference, so release() waits for them), those requests end now with
 * -ESTALE, as Windows cancels a handle's requests when it is closed.
 */
static int parclass_fops_flush(struct file *filp, fl_owner_t id)
{
	struct parclass_file *pfile = filp->private_data;

	/* One reference is the descriptor being closed. */
	if (file_count(filp) - 1 <= atomic_read(&pfile->inflight_refs))
		parclass_file_cancel(pfile);
	return 0;
}

/* close(), or the death of the last process holding the file. */
static int parclass_fops_release(struct inode *inode, struct file *filp)
{
	struct parclass_file *pfile = filp->private_data;

	parclass_file_release(pfile);
	kfree(pfile);
	return 0;
}

/* The sessions' events: struct parclass_event records. */
static ssize_t parclass_fops_read(struct file *filp, char __user *buf,
				  size_t count, loff_t *ppos)
{
	struct parclass_file *pfile = filp->private_data;
	bool counted = parclass_inflight_begin(pfile);
	ssize_t ret;

	ret = parclass_events_read(pfile, buf, count,
				   filp->f_flags & O_NONBLOCK);
	parclass_inflight_end(pfile, counted);
	return ret;
}

static __poll_t parclass_fops_poll(struct file *filp, poll_table *wait)
{
	struct parclass_file *pfile = filp->private_data;

	poll_wait(filp, &pfile->event_wq, wait);
	return parclass_events_poll(pfile);
}

static const struct file_operations parclass_fops = {
	.owner = THIS_MODULE,
	.open = parclass_fops_open,
	.read = parclass_fops_read,
	.poll = parclass_fops_poll,
	.flush = parclass_fops_flush,
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
	parclass_debugfs_init();

	pr_info("version %s, ABI %d\n", PARCLASS_VERSION, PARCLASS_ABI_VERSION);
	return 0;

err_ports_exit:
	parclass_ports_exit();
	return ret;
}

static void __exit parclass_exit(void)
{
	parclass_debugfs_exit();
	misc_deregister(&parclass_misc);
	parclass_ports_exit();
}

module_init(parclass_init);
module_exit(parclass_exit);

MODULE_DESCRIPTION("Windows parallel-port class driver semantics on Linux parport");
MODULE_AUTHOR("The parclass authors");
MODULE_LICENSE("GPL");
MODULE_VERSION(PARCLASS_VERSION);
MODULE_SOFTDEP("pre: parport");
