// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for parclass: the ioctl dispatch table and the validation
 * of every command's struct, session tokens and the per-file session
 * table, and arbitration and revocation on a real parport.
 *
 * Built as parclass_test.ko against a kernel with CONFIG_KUNIT; it uses
 * the functions parclass.ko exports in the EXPORTED_FOR_KUNIT_TESTING
 * namespace. The port suite needs parport0 (parport_pc on QEMU's LPT).
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/ioctl.h>
#include <linux/jiffies.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/module.h>
#include <linux/parport.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/stddef.h>

#include "parclass.h"

static unsigned int parclass_test_cmd(unsigned int nr)
{
	return _IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + nr);
}

/* Every row is reachable under exactly its own request code. */
static void parclass_dispatch_finds_every_command(struct kunit *test)
{
	unsigned int nr;

	for (nr = 0; nr < PARCLASS_CMD_COUNT; nr++) {
		const struct parclass_ioctl_op *op;

		op = parclass_ioctl_op_find(parclass_test_cmd(nr));
		KUNIT_ASSERT_NOT_NULL_MSG(test, op, "command %u", nr);
		KUNIT_EXPECT_PTR_EQ(test, op, &parclass_ioctl_ops[nr]);
		KUNIT_EXPECT_EQ(test, op->ioctl_num, parclass_test_cmd(nr));
	}
}

struct parclass_test_bad_cmd {
	const char *desc;
	unsigned int cmd;
};

static const struct parclass_test_bad_cmd parclass_test_bad_cmds[] = {
	{ "other type", _IO('p', PARCLASS_CMD_BASE) },
	{ "number 0", _IO(PARCLASS_TYPE, 0) },
	{ "below the base", _IO(PARCLASS_TYPE, PARCLASS_CMD_BASE - 1) },
	{ "past the table", _IO(PARCLASS_TYPE,
				PARCLASS_CMD_BASE + PARCLASS_CMD_COUNT) },
	{ "last number", _IO(PARCLASS_TYPE, 0xff) },
	{ "size bits", _IOC(_IOC_NONE, PARCLASS_TYPE, PARCLASS_CMD_BASE, 24) },
	{ "read direction", _IOR(PARCLASS_TYPE, PARCLASS_CMD_BASE, u64) },
	{ "write direction", _IOW(PARCLASS_TYPE, PARCLASS_CMD_BASE, u64) },
};

static void parclass_test_bad_cmd_desc(const struct parclass_test_bad_cmd *t,
				       char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(parclass_test_bad_cmd, parclass_test_bad_cmds,
		  parclass_test_bad_cmd_desc);

/* Anything that is not exactly a parclass request code is unknown. */
static void parclass_dispatch_rejects_unknown(struct kunit *test)
{
	const struct parclass_test_bad_cmd *t = test->param_value;

	KUNIT_EXPECT_NULL(test, parclass_ioctl_op_find(t->cmd));
}

/* The uAPI rules hold for every row: sizes, mandatory parts, handlers. */
static void parclass_dispatch_rows_follow_uapi_rules(struct kunit *test)
{
	unsigned int nr;

	for (nr = 0; nr < PARCLASS_CMD_COUNT; nr++) {
		const struct parclass_ioctl_op *op = &parclass_ioctl_ops[nr];

		KUNIT_EXPECT_EQ_MSG(test, op->size % 8, 0, "command %u", nr);
		KUNIT_EXPECT_GE_MSG(test, op->min_size, sizeof(u32),
				    "command %u", nr);
		KUNIT_EXPECT_LE_MSG(test, op->min_size, op->size,
				    "command %u", nr);
		KUNIT_EXPECT_LE_MSG(test, op->size,
				    sizeof(union parclass_ucmd_buffer),
				    "command %u", nr);
		KUNIT_EXPECT_NOT_NULL(test, op->validate);
		KUNIT_EXPECT_NOT_NULL(test, op->execute);
	}
}

static struct kunit_case parclass_dispatch_cases[] = {
	KUNIT_CASE(parclass_dispatch_finds_every_command),
	KUNIT_CASE_PARAM(parclass_dispatch_rejects_unknown,
			 parclass_test_bad_cmd_gen_params),
	KUNIT_CASE(parclass_dispatch_rows_follow_uapi_rules),
	{}
};

static struct kunit_suite parclass_dispatch_suite = {
	.name = "parclass_dispatch",
	.test_cases = parclass_dispatch_cases,
};

/*
 * Validation of every command's struct: start from a valid struct, set
 * one 32-bit field, and expect the validator's verdict. Output fields are
 * the kernel's to fill, so garbage in them is accepted.
 */
struct parclass_test_field {
	const char *desc;
	unsigned int nr;
	size_t offset;
	u32 value;
	int expect;
};

#define PARCLASS_FIELD(_desc, _nr, _type, _field, _value, _expect)	\
	{ _desc, PARCLASS_CMD_##_nr, offsetof(struct _type, _field),	\
	  _value, _expect }

static const struct parclass_test_field parclass_test_fields[] = {
	PARCLASS_FIELD("version ok", GET_VERSION, parclass_version, flags,
		       0, 0),
	PARCLASS_FIELD("version flags", GET_VERSION, parclass_version, flags,
		       1, -EINVAL),
	PARCLASS_FIELD("version reserved", GET_VERSION, parclass_version,
		       __reserved, 0x80000000, -EINVAL),
	PARCLASS_FIELD("version output garbage", GET_VERSION,
		       parclass_version, abi_version, 0xdead, 0),
	PARCLASS_FIELD("connect ok", CONNECT, parclass_connect, port, 7, 0),
	PARCLASS_FIELD("connect flags", CONNECT, parclass_connect, flags,
		       4, -EINVAL),
	PARCLASS_FIELD("connect flags bit 31", CONNECT, parclass_connect,
		       flags, 0x80000000, -EINVAL),
	PARCLASS_FIELD("connect daisy without flag", CONNECT,
		       parclass_connect, daisy, 1, -EINVAL),
	PARCLASS_FIELD("connect daisy flag", CONNECT, parclass_connect, flags,
		       PARCLASS_CONNECT_DAISY, 0),
	PARCLASS_FIELD("connect flag bit 1", CONNECT, parclass_connect, flags,
		       2, -EINVAL),
	PARCLASS_FIELD("connect output garbage", CONNECT, parclass_connect,
		       info.irq, 0xdead, 0),
	PARCLASS_FIELD("disconnect ok", DISCONNECT, parclass_disconnect,
		       token, 5, 0),
	PARCLASS_FIELD("disconnect flags", DISCONNECT, parclass_disconnect,
		       flags, 1, -EINVAL),
	PARCLASS_FIELD("allocate try", ALLOCATE, parclass_allocate, flags,
		       PARCLASS_ALLOCATE_TRY, 0),
	PARCLASS_FIELD("allocate async", ALLOCATE, parclass_allocate, flags,
		       PARCLASS_ALLOCATE_ASYNC, 0),
	PARCLASS_FIELD("allocate try and async", ALLOCATE, parclass_allocate,
		       flags, PARCLASS_ALLOCATE_TRY | PARCLASS_ALLOCATE_ASYNC,
		       -EINVAL),
	PARCLASS_FIELD("allocate flag bit 2", ALLOCATE, parclass_allocate,
		       flags, 4, -EINVAL),
	PARCLASS_FIELD("allocate flag bit 31", ALLOCATE, parclass_allocate,
		       flags, 0x80000000, -EINVAL),
	PARCLASS_FIELD("allocate timeout", ALLOCATE, parclass_allocate,
		       timeout_ns, 1000, 0),
	PARCLASS_FIELD("free flags", FREE, parclass_free, flags, 1, -EINVAL),
	PARCLASS_FIELD("is_port_free flags", IS_PORT_FREE, parclass_port_free,
		       flags, 1, -EINVAL),
	PARCLASS_FIELD("is_port_free reserved", IS_PORT_FREE,
		       parclass_port_free, __reserved, 1, -EINVAL),
	PARCLASS_FIELD("is_port_free output garbage", IS_PORT_FREE,
		       parclass_port_free, is_free, 7, 0),
	PARCLASS_FIELD("num_waiters flags", QUERY_NUM_WAITERS,
		       parclass_num_waiters, flags, 1, -EINVAL),
	PARCLASS_FIELD("num_waiters output garbage", QUERY_NUM_WAITERS,
		       parclass_num_waiters, waiters, 9, 0),
	PARCLASS_FIELD("list_ports daisy", LIST_PORTS, parclass_list_ports,
		       flags, PARCLASS_LIST_PORTS_DAISY, 0),
	PARCLASS_FIELD("list_ports flag bit 1", LIST_PORTS,
		       parclass_list_ports, flags, 2, -EINVAL),
	PARCLASS_FIELD("list_ports short entry", LIST_PORTS,
		       parclass_list_ports, entry_size,
		       sizeof(struct parclass_port_entry) - 8, -EINVAL),
	PARCLASS_FIELD("list_ports zero entry", LIST_PORTS,
		       parclass_list_ports, entry_size, 0, -EINVAL),
	PARCLASS_FIELD("list_ports longer entry", LIST_PORTS,
		       parclass_list_ports, entry_size,
		       sizeof(struct parclass_port_entry) + 8, 0),
	PARCLASS_FIELD("list_ports largest entry", LIST_PORTS,
		       parclass_list_ports, entry_size,
		       PARCLASS_PORT_ENTRY_SIZE_MAX, 0),
	PARCLASS_FIELD("list_ports entry too large", LIST_PORTS,
		       parclass_list_ports, entry_size,
		       PARCLASS_PORT_ENTRY_SIZE_MAX + 1, -E2BIG),
	PARCLASS_FIELD("list_ports entry 4 GiB", LIST_PORTS,
		       parclass_list_ports, entry_size, 0xffffffff, -E2BIG),
	PARCLASS_FIELD("list_ports count", LIST_PORTS, parclass_list_ports,
		       count, 1000, 0),
	PARCLASS_FIELD("write ok", WRITE, parclass_write, length, 4096, 0),
	PARCLASS_FIELD("write in mode", WRITE, parclass_write, flags,
		       PARCLASS_WRITE_MODE, 0),
	PARCLASS_FIELD("write flag bit 1", WRITE, parclass_write, flags, 2,
		       -EINVAL),
	PARCLASS_FIELD("write output garbage", WRITE, parclass_write, written,
		       0xdead, 0),
	PARCLASS_FIELD("query_info ok", QUERY_INFORMATION,
		       parclass_query_information, flags, 0, 0),
	PARCLASS_FIELD("query_info flags", QUERY_INFORMATION,
		       parclass_query_information, flags, 1, -EINVAL),
	PARCLASS_FIELD("query_info reserved", QUERY_INFORMATION,
		       parclass_query_information, __reserved, 1, -EINVAL),
	PARCLASS_FIELD("query_info output garbage", QUERY_INFORMATION,
		       parclass_query_information, raw_status, 0xff, 0),
	PARCLASS_FIELD("set_info init", SET_INFORMATION,
		       parclass_set_information, init, PARCLASS_PARALLEL_INIT,
		       0),
	PARCLASS_FIELD("set_info init 0", SET_INFORMATION,
		       parclass_set_information, init, 0, -EINVAL),
	PARCLASS_FIELD("set_info autofeed", SET_INFORMATION,
		       parclass_set_information, init,
		       PARCLASS_PARALLEL_AUTOFEED, -EINVAL),
	PARCLASS_FIELD("set_info init and more", SET_INFORMATION,
		       parclass_set_information, init, 0x101, -EINVAL),
	PARCLASS_FIELD("set_info flags", SET_INFORMATION,
		       parclass_set_information, flags, 1, -EINVAL),
	PARCLASS_FIELD("set_info reserved", SET_INFORMATION,
		       parclass_set_information, __reserved, 1, -EINVAL),
	PARCLASS_FIELD("device_id ok", DEVICE_ID, parclass_device_id, length,
		       PARCLASS_DEVICE_ID_MAX, 0),
	PARCLASS_FIELD("device_id too long", DEVICE_ID, parclass_device_id,
		       length, PARCLASS_DEVICE_ID_MAX + 1, -EINVAL),
	PARCLASS_FIELD("device_id raw", DEVICE_ID, parclass_device_id, flags,
		       PARCLASS_DEVICE_ID_RAW, 0),
	PARCLASS_FIELD("device_id daisy 0", DEVICE_ID, parclass_device_id,
		       flags, PARCLASS_DEVICE_ID_DAISY, 0),
	PARCLASS_FIELD("device_id flag bit 2", DEVICE_ID, parclass_device_id,
		       flags, 4, -EINVAL),
	PARCLASS_FIELD("device_id daisy without flag", DEVICE_ID,
		       parclass_device_id, daisy, 1, -EINVAL),
	PARCLASS_FIELD("device_id reserved", DEVICE_ID, parclass_device_id,
		       __reserved, 1, -EINVAL),
	PARCLASS_FIELD("device_id output garbage", DEVICE_ID,
		       parclass_device_id, id_size, 0xdead, 0),
	PARCLASS_FIELD("register read status", REGISTER, parclass_register,
		       op, PARCLASS_PIN_READ_STATUS, 0),
	PARCLASS_FIELD("register write data", REGISTER, parclass_register,
		       op, PARCLASS_PIN_WRITE_DATA, 0),
	PARCLASS_FIELD("register wait is no register", REGISTER,
		       parclass_register, op, PARCLASS_PIN_WAIT_STATUS,
		       -EINVAL),
	PARCLASS_FIELD("register delay is no register", REGISTER,
		       parclass_register, op, PARCLASS_PIN_DELAY, -EINVAL),
	PARCLASS_FIELD("register op 0", REGISTER, parclass_register, op, 0,
		       -EINVAL),
	PARCLASS_FIELD("register op 0x103", REGISTER, parclass_register, op,
		       0x103, -EINVAL),
	PARCLASS_FIELD("register read with mask", REGISTER, parclass_register,
		       mask, 1, -EINVAL),
	PARCLASS_FIELD("register read value is output", REGISTER,
		       parclass_register, value, 0xff, 0),
	PARCLASS_FIELD("register value above a byte", REGISTER,
		       parclass_register, value, 0x100, -EINVAL),
	PARCLASS_FIELD("register flags", REGISTER, parclass_register, flags,
		       1, -EINVAL),
	PARCLASS_FIELD("register reserved", REGISTER, parclass_register,
		       __reserved, 1, -EINVAL),
	PARCLASS_FIELD("pin_program ok", PIN_PROGRAM, parclass_pin_program,
		       count, PARCLASS_PIN_MAX_OPS, 0),
	PARCLASS_FIELD("pin_program no ops", PIN_PROGRAM, parclass_pin_program,
		       count, 0, -EINVAL),
	PARCLASS_FIELD("pin_program too many ops", PIN_PROGRAM,
		       parclass_pin_program, count, PARCLASS_PIN_MAX_OPS + 1,
		       -E2BIG),
	PARCLASS_FIELD("pin_program flags", PIN_PROGRAM, parclass_pin_program,
		       flags, 1, -EINVAL),
	PARCLASS_FIELD("pin_program output garbage", PIN_PROGRAM,
		       parclass_pin_program, done, 0xdead, 0),
	PARCLASS_FIELD("negotiate nibble", NEGOTIATE, parclass_negotiate,
		       read_mask, PARCLASS_1284_NIBBLE, 0),
	PARCLASS_FIELD("negotiate every read mode", NEGOTIATE,
		       parclass_negotiate, read_mask,
		       PARCLASS_1284_ALL & ~(PARCLASS_1284_CENTRONICS |
					     PARCLASS_1284_IEEE_COMPAT), 0),
	PARCLASS_FIELD("negotiate centronics to read", NEGOTIATE,
		       parclass_negotiate, read_mask,
		       PARCLASS_1284_CENTRONICS, -EINVAL),
	PARCLASS_FIELD("negotiate nibble to write", NEGOTIATE,
		       parclass_negotiate, write_mask, PARCLASS_1284_NIBBLE,
		       -EINVAL),
	PARCLASS_FIELD("negotiate byte to write", NEGOTIATE,
		       parclass_negotiate, write_mask,
		       PARCLASS_1284_BYTE_BIDIR, -EINVAL),
	PARCLASS_FIELD("negotiate unknown mode bit", NEGOTIATE,
		       parclass_negotiate, read_mask, 0x800, -EINVAL),
	PARCLASS_FIELD("negotiate keep", NEGOTIATE, parclass_negotiate, flags,
		       PARCLASS_NEGOTIATE_KEEP, 0),
	PARCLASS_FIELD("negotiate flag bit 1", NEGOTIATE, parclass_negotiate,
		       flags, 2, -EINVAL),
	PARCLASS_FIELD("negotiate output garbage", NEGOTIATE,
		       parclass_negotiate, read_mode, 0xdead, 0),
	PARCLASS_FIELD("terminate flags", TERMINATE, parclass_mode, flags, 1,
		       -EINVAL),
	PARCLASS_FIELD("get_mode flags", GET_MODE, parclass_mode, flags, 1,
		       -EINVAL),
	PARCLASS_FIELD("get_mode output garbage", GET_MODE, parclass_mode,
		       write_mode, 0xdead, 0),
	PARCLASS_FIELD("read ok", READ, parclass_read, length,
		       PARCLASS_READ_MAX, 0),
	PARCLASS_FIELD("read nothing", READ, parclass_read, length, 0,
		       -EINVAL),
	PARCLASS_FIELD("read too much", READ, parclass_read, length,
		       PARCLASS_READ_MAX + 1, -EINVAL),
	PARCLASS_FIELD("read flags", READ, parclass_read, flags, 1, -EINVAL),
	PARCLASS_FIELD("read output garbage", READ, parclass_read, done,
		       0xdead, 0),
	PARCLASS_FIELD("address read", ADDRESS, parclass_address, direction,
		       PARCLASS_ADDRESS_READ, 0),
	PARCLASS_FIELD("address write", ADDRESS, parclass_address, direction,
		       PARCLASS_ADDRESS_WRITE, 0),
	PARCLASS_FIELD("address no direction", ADDRESS, parclass_address,
		       direction, 2, -EINVAL),
	PARCLASS_FIELD("address report garbage", ADDRESS, parclass_address,
		       address, 0xdead, 0),
	PARCLASS_FIELD("address flag bit 1", ADDRESS, parclass_address, flags,
		       2, -EINVAL),
	PARCLASS_FIELD("host_recovery reserved", HOST_RECOVERY,
		       parclass_host_recovery, __reserved, 1, -EINVAL),
	PARCLASS_FIELD("host_recovery report garbage", HOST_RECOVERY,
		       parclass_host_recovery, enabled, 0xdead, 0),
	PARCLASS_FIELD("ping flags", PING, parclass_ping, flags, 1, -EINVAL),
	PARCLASS_FIELD("probe exclude all", PROBE, parclass_probe, exclude,
		       PARCLASS_1284_ALL, 0),
	PARCLASS_FIELD("probe exclude unknown", PROBE, parclass_probe,
		       exclude, 0x800, -EINVAL),
	PARCLASS_FIELD("probe output garbage", PROBE, parclass_probe, modes,
		       0xdead, 0),
	PARCLASS_FIELD("chip_mode report", CHIP_MODE, parclass_chip_mode,
		       flags, 0, 0),
	PARCLASS_FIELD("chip_mode report with a mode", CHIP_MODE,
		       parclass_chip_mode, mode, PARCLASS_CHIP_MODE_ECP, -EINVAL),
	PARCLASS_FIELD("chip_mode set initial", CHIP_MODE, parclass_chip_mode,
		       flags, PARCLASS_CHIP_MODE_SET, -EINVAL),
	PARCLASS_FIELD("chip_mode clear initial", CHIP_MODE,
		       parclass_chip_mode, flags, PARCLASS_CHIP_MODE_CLEAR, 0),
	PARCLASS_FIELD("chip_mode both flags", CHIP_MODE, parclass_chip_mode,
		       flags, PARCLASS_CHIP_MODE_SET | PARCLASS_CHIP_MODE_CLEAR,
		       -EINVAL),
	PARCLASS_FIELD("chip_mode flag bit 2", CHIP_MODE, parclass_chip_mode,
		       flags, 4, -EINVAL),
	PARCLASS_FIELD("chip_mode output garbage", CHIP_MODE,
		       parclass_chip_mode, current_mode, 0xdead, 0),
	PARCLASS_FIELD("lock no select", LOCK, parclass_lock, flags,
		       PARCLASS_LOCK_NO_SELECT, 0),
	PARCLASS_FIELD("lock flag bit 1", LOCK, parclass_lock, flags, 2,
		       -EINVAL),
	PARCLASS_FIELD("unlock no deselect", UNLOCK, parclass_lock, flags,
		       PARCLASS_LOCK_NO_SELECT, 0),
	PARCLASS_FIELD("unlock flag bit 31", UNLOCK, parclass_lock, flags,
		       0x80000000, -EINVAL),
	PARCLASS_FIELD("daisy_init reserved", DAISY_INIT, parclass_daisy_init,
		       __reserved, 1, -EINVAL),
	PARCLASS_FIELD("daisy_init output garbage", DAISY_INIT,
		       parclass_daisy_init, count, 0xdead, 0),
	PARCLASS_FIELD("select end of chain", SELECT_DEVICE, parclass_select,
		       device, PARCLASS_DAISY_END_OF_CHAIN, 0),
	PARCLASS_FIELD("select device 5", SELECT_DEVICE, parclass_select,
		       device, 5, -EINVAL),
	PARCLASS_FIELD("select keep port", SELECT_DEVICE, parclass_select,
		       flags, PARCLASS_SELECT_KEEP_PORT, 0),
	PARCLASS_FIELD("select flag bit 1", SELECT_DEVICE, parclass_select,
		       flags, 2, -EINVAL),
	PARCLASS_FIELD("select reserved", SELECT_DEVICE, parclass_select,
		       __reserved, 1, -EINVAL),
	PARCLASS_FIELD("select timeout", SELECT_DEVICE, parclass_select,
		       timeout_ns, 1000, 0),
	PARCLASS_FIELD("deselect device", DESELECT_DEVICE, parclass_select,
		       device, 1, -EINVAL),
	PARCLASS_FIELD("deselect timeout", DESELECT_DEVICE, parclass_select,
		       timeout_ns, 1000, -EINVAL),
	PARCLASS_FIELD("deselect keep port", DESELECT_DEVICE, parclass_select,
		       flags, PARCLASS_SELECT_KEEP_PORT, 0),
	PARCLASS_FIELD("cancel flags", CANCEL, parclass_cancel, flags, 1,
		       -EINVAL),
	PARCLASS_FIELD("interrupts enable", INTERRUPTS, parclass_interrupts,
		       flags, PARCLASS_INTERRUPTS_ENABLE, 0),
	PARCLASS_FIELD("interrupts disable", INTERRUPTS, parclass_interrupts,
		       flags, PARCLASS_INTERRUPTS_DISABLE, 0),
	PARCLASS_FIELD("interrupts both", INTERRUPTS, parclass_interrupts,
		       flags, PARCLASS_INTERRUPTS_ENABLE |
		       PARCLASS_INTERRUPTS_DISABLE, -EINVAL),
	PARCLASS_FIELD("interrupts flag bit 2", INTERRUPTS,
		       parclass_interrupts, flags, 4, -EINVAL),
	PARCLASS_FIELD("interrupts reserved", INTERRUPTS, parclass_interrupts,
		       __reserved, 1, -EINVAL),
	PARCLASS_FIELD("interrupts output garbage", INTERRUPTS,
		       parclass_interrupts, count, 0xdead, 0),
};

static void parclass_test_field_desc(const struct parclass_test_field *t,
				     char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(parclass_test_field, parclass_test_fields,
		  parclass_test_field_desc);

/* A struct that command @nr's validator accepts. */
static void parclass_test_valid_cmd(unsigned int nr,
				    union parclass_ucmd_buffer *buf)
{
	memset(buf, 0, sizeof(*buf));
	buf->size = parclass_ioctl_ops[nr].size;
	if (nr == PARCLASS_CMD_LIST_PORTS)
		buf->list_ports.entry_size = sizeof(struct parclass_port_entry);
	if (nr == PARCLASS_CMD_SET_INFORMATION)
		buf->set_info.init = PARCLASS_PARALLEL_INIT;
	if (nr == PARCLASS_CMD_REGISTER)
		buf->reg.op = PARCLASS_PIN_READ_STATUS;
	if (nr == PARCLASS_CMD_PIN_PROGRAM)
		buf->pin_program.count = 1;
	if (nr == PARCLASS_CMD_READ)
		buf->read.length = 1;
}

static void parclass_validate_field(struct kunit *test)
{
	const struct parclass_test_field *t = test->param_value;
	const struct parclass_ioctl_op *op = &parclass_ioctl_ops[t->nr];
	union parclass_ucmd_buffer buf;

	parclass_test_valid_cmd(t->nr, &buf);
	KUNIT_ASSERT_LE(test, t->offset + sizeof(u32), (size_t)op->size);
	memcpy((u8 *)&buf + t->offset, &t->value, sizeof(u32));
	KUNIT_EXPECT_EQ(test, op->validate(&buf), t->expect);
}

/* Every command with a flags word refuses every undefined bit. */
static void parclass_validate_every_unknown_flag(struct kunit *test)
{
	unsigned int nr, bit;

	for (nr = 0; nr < PARCLASS_CMD_COUNT; nr++) {
		const struct parclass_ioctl_op *op = &parclass_ioctl_ops[nr];
		u32 known = 0;

		if (nr == PARCLASS_CMD_CONNECT)
			known = PARCLASS_CONNECT_DAISY;
		if (nr == PARCLASS_CMD_ALLOCATE)
			known = PARCLASS_ALLOCATE_TRY | PARCLASS_ALLOCATE_ASYNC;
		if (nr == PARCLASS_CMD_LIST_PORTS)
			known = PARCLASS_LIST_PORTS_DAISY;
		if (nr == PARCLASS_CMD_CHIP_MODE)
			known = PARCLASS_CHIP_MODE_SET |
				PARCLASS_CHIP_MODE_CLEAR;
		if (nr == PARCLASS_CMD_LOCK || nr == PARCLASS_CMD_UNLOCK)
			known = PARCLASS_LOCK_NO_SELECT;
		if (nr == PARCLASS_CMD_SELECT_DEVICE ||
		    nr == PARCLASS_CMD_DESELECT_DEVICE)
			known = PARCLASS_SELECT_KEEP_PORT;
		if (nr == PARCLASS_CMD_INTERRUPTS)
			known = PARCLASS_INTERRUPTS_ENABLE |
				PARCLASS_INTERRUPTS_DISABLE;
		if (nr == PARCLASS_CMD_DEVICE_ID)
			known = PARCLASS_DEVICE_ID_RAW |
				PARCLASS_DEVICE_ID_DAISY;
		if (nr == PARCLASS_CMD_NEGOTIATE)
			known = PARCLASS_NEGOTIATE_KEEP;
		if (nr == PARCLASS_CMD_WRITE)
			known = PARCLASS_WRITE_MODE;
		if (nr == PARCLASS_CMD_ADDRESS)
			known = PARCLASS_ADDRESS_SET;
		if (nr == PARCLASS_CMD_HOST_RECOVERY)
			known = PARCLASS_HOST_RECOVERY_SET;

		for (bit = 0; bit < 32; bit++) {
			union parclass_ucmd_buffer buf;
			u32 flags = BIT(bit);

			if (known & flags)
				continue;
			parclass_test_valid_cmd(nr, &buf);
			/* flags is the second word of every struct */
			memcpy((u8 *)&buf + sizeof(u32), &flags, sizeof(flags));
			KUNIT_EXPECT_EQ_MSG(test, op->validate(&buf), -EINVAL,
					    "command %u flag bit %u", nr, bit);
		}
	}
}

static struct kunit_case parclass_validate_cases[] = {
	KUNIT_CASE_PARAM(parclass_validate_field,
			 parclass_test_field_gen_params),
	KUNIT_CASE(parclass_validate_every_unknown_flag),
	{}
};

static struct kunit_suite parclass_validate_suite = {
	.name = "parclass_validate",
	.test_cases = parclass_validate_cases,
};

/* Tokens: every part survives encoding, and only its own bits count. */
static void parclass_token_roundtrip(struct kunit *test)
{
	static const u32 slots[] = { 1, 2, 0x123456, PARCLASS_TOKEN_SLOT_MAX };
	static const u32 gens[] = { 0, 1, 0xbeef, 0xffff };
	unsigned int i, j;

	for (i = 0; i < ARRAY_SIZE(slots); i++) {
		for (j = 0; j < ARRAY_SIZE(gens); j++) {
			u64 token = parclass_token_encode(slots[i], gens[j],
							  0xabcdef);

			KUNIT_EXPECT_EQ(test, parclass_token_slot(token),
					slots[i]);
			KUNIT_EXPECT_EQ(test, parclass_token_generation(token),
					gens[j]);
			KUNIT_EXPECT_EQ(test, token >> 40, 0xabcdefULL);
		}
	}
}

static void parclass_token_masks_each_part(struct kunit *test)
{
	u64 token = parclass_token_encode(0xffffffff, 0xffffffff, 0xffffffff);

	KUNIT_EXPECT_EQ(test, token, ~0ULL);
	token = parclass_token_encode(PARCLASS_TOKEN_SLOT_MAX + 2, 0x10001, 0);
	KUNIT_EXPECT_EQ(test, parclass_token_slot(token), 1U);
	KUNIT_EXPECT_EQ(test, parclass_token_generation(token), 1U);
	KUNIT_EXPECT_EQ(test, token >> 40, 0ULL);
	KUNIT_EXPECT_NE(test, parclass_token_encode(1, 0, 0),
			parclass_token_encode(1, 1, 0));
	KUNIT_EXPECT_NE(test, parclass_token_encode(1, 0, 0),
			parclass_token_encode(1, 0, 1));
}

/* A bare session object: what the table stores, with no port behind it. */
static struct parclass_session *parclass_test_session(struct kunit *test)
{
	struct parclass_session *s;

	s = kunit_kzalloc(test, sizeof(*s), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, s);
	kref_init(&s->kref);
	return s;
}

static int parclass_table_test_init(struct kunit *test)
{
	struct parclass_table *t;

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	if (!t)
		return -ENOMEM;
	parclass_table_init(t, 2);
	test->priv = t;
	return 0;
}

static void parclass_table_test_exit(struct kunit *test)
{
	struct parclass_table *t = test->priv;

	while (parclass_table_take_any(t))
		;
	parclass_table_destroy(t);
}

static void parclass_table_finds_live_sessions(struct kunit *test)
{
	struct parclass_session *a = parclass_test_session(test);
	struct parclass_session *b = parclass_test_session(test);
	struct parclass_table *t = test->priv;

	KUNIT_ASSERT_EQ(test, parclass_table_insert(t, a, 10), 0);
	KUNIT_ASSERT_EQ(test, parclass_table_insert(t, b, 10), 0);
	KUNIT_EXPECT_NE(test, a->token, 0ULL);
	KUNIT_EXPECT_NE(test, a->token, b->token);
	KUNIT_EXPECT_NE(test, parclass_token_slot(a->token),
			parclass_token_slot(b->token));
	KUNIT_EXPECT_PTR_EQ(test, parclass_table_get(t, a->token), a);
	KUNIT_EXPECT_PTR_EQ(test, parclass_table_get(t, b->token), b);
	/* each get took a reference */
	KUNIT_EXPECT_EQ(test, kref_read(&a->kref), 2U);
}

static void parclass_table_stale_tokens(struct kunit *test)
{
	struct parclass_session *a = parclass_test_session(test);
	struct parclass_table *t = test->priv;
	u64 token;

	KUNIT_ASSERT_EQ(test, parclass_table_insert(t, a, 10), 0);
	token = a->token;

	/* forged: right slot, wrong random bits or generation */
	KUNIT_EXPECT_PTR_EQ(test, parclass_table_get(t, token ^ BIT_ULL(40)),
			    ERR_PTR(-ESTALE));
	KUNIT_EXPECT_PTR_EQ(test, parclass_table_get(t, token ^ BIT_ULL(24)),
			    ERR_PTR(-ESTALE));
	/* a slot with nothing in it, and slot 0, which is never used */
	KUNIT_EXPECT_PTR_EQ(test, parclass_table_get(t, token ^ 3),
			    ERR_PTR(-ESTALE));
	KUNIT_EXPECT_PTR_EQ(test, parclass_table_get(t, 0), ERR_PTR(-ESTALE));

	/* taken out: dead, and cannot be taken twice */
	KUNIT_EXPECT_PTR_EQ(test, parclass_table_take(t, token), a);
	KUNIT_EXPECT_PTR_EQ(test, parclass_table_get(t, token),
			    ERR_PTR(-ESTALE));
	KUNIT_EXPECT_PTR_EQ(test, parclass_table_take(t, token),
			    ERR_PTR(-ESTALE));
}

/*
 * A slot serves a new session only after the cyclic allocator wraps, and
 * the wrap bumps the generation: the old token stays dead.
 */
static void parclass_table_generation_after_reuse(struct kunit *test)
{
	struct parclass_session *a = parclass_test_session(test);
	struct parclass_session *b = parclass_test_session(test);
	struct parclass_session *c = parclass_test_session(test);
	struct parclass_table *t = test->priv;

	KUNIT_ASSERT_EQ(test, parclass_table_insert(t, a, 10), 0);
	KUNIT_ASSERT_PTR_EQ(test, parclass_table_take(t, a->token), a);
	KUNIT_ASSERT_EQ(test, parclass_table_insert(t, b, 10), 0);
	/* slot 1 was free again, but the allocator moved on to slot 2 */
	KUNIT_EXPECT_EQ(test, parclass_token_slot(b->token), 2U);
	KUNIT_ASSERT_PTR_EQ(test, parclass_table_take(t, b->token), b);

	KUNIT_ASSERT_EQ(test, parclass_table_insert(t, c, 10), 0);
	KUNIT_EXPECT_EQ(test, parclass_token_slot(c->token),
			parclass_token_slot(a->token));
	KUNIT_EXPECT_EQ(test, parclass_token_generation(c->token),
			parclass_token_generation(a->token) + 1);
	KUNIT_EXPECT_PTR_EQ(test, parclass_table_get(t, a->token),
			    ERR_PTR(-ESTALE));
	KUNIT_EXPECT_PTR_EQ(test, parclass_table_get(t, c->token), c);
}

static void parclass_table_caps(struct kunit *test)
{
	struct parclass_session *a = parclass_test_session(test);
	struct parclass_session *b = parclass_test_session(test);
	struct parclass_session *c = parclass_test_session(test);
	struct parclass_table *t = test->priv;

	KUNIT_ASSERT_EQ(test, parclass_table_insert(t, a, 1), 0);
	KUNIT_EXPECT_EQ(test, parclass_table_insert(t, b, 1), -EMFILE);
	/* the refused insert did not count */
	KUNIT_ASSERT_EQ(test, parclass_table_insert(t, b, 2), 0);
	/* no free slot left (max_slot is 2): also -EMFILE */
	KUNIT_EXPECT_EQ(test, parclass_table_insert(t, c, 10), -EMFILE);
	KUNIT_EXPECT_EQ(test, t->count, 2U);
}

/*
 * Windows' status byte: the status register of each parport_sim fault
 * (README, "The simulated port"), and the DDK sample's predicates at
 * their edges.
 */
struct parclass_test_status {
	const char *desc;
	u8 raw;
	u8 expect;
};

static const struct parclass_test_status parclass_test_statuses[] = {
	{ "healthy idle", 0xd8, PARCLASS_PARALLEL_SELECTED },
	{ "paperout", 0xf0,
	  PARCLASS_PARALLEL_PAPER_EMPTY | PARCLASS_PARALLEL_SELECTED },
	{ "offline", 0xc0, 0 },
	{ "error", 0xd0, PARCLASS_PARALLEL_SELECTED },
	{ "busy", 0x58, PARCLASS_PARALLEL_BUSY | PARCLASS_PARALLEL_SELECTED },
	{ "off", 0x80, PARCLASS_PARALLEL_POWER_OFF },
	{ "nocable", 0x78, PARCLASS_PARALLEL_POWER_OFF |
	  PARCLASS_PARALLEL_BUSY | PARCLASS_PARALLEL_SELECTED },
	{ "powered off with PError", 0xa0, PARCLASS_PARALLEL_POWER_OFF },
	{ "busy, no fault, selected, PError", 0x78 & ~0x40,
	  PARCLASS_PARALLEL_PAPER_EMPTY | PARCLASS_PARALLEL_BUSY |
	  PARCLASS_PARALLEL_SELECTED },
	{ "off line: nFault high, Busy high, Select low", 0x48,
	  PARCLASS_PARALLEL_OFF_LINE | PARCLASS_PARALLEL_BUSY },
	{ "not connected: nFault high, Busy low, Select low", 0xc8,
	  PARCLASS_PARALLEL_NOT_CONNECTED },
	{ "every line low", 0x00, 0 },
	{ "every line high", 0xf8,
	  PARCLASS_PARALLEL_PAPER_EMPTY | PARCLASS_PARALLEL_SELECTED },
	{ "unused low bits ignored", 0xd8 | 0x07, PARCLASS_PARALLEL_SELECTED },
};

static void parclass_test_status_desc(const struct parclass_test_status *t,
				      char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(parclass_test_status, parclass_test_statuses,
		  parclass_test_status_desc);

static void parclass_status_predicates(struct kunit *test)
{
	const struct parclass_test_status *t = test->param_value;

	KUNIT_EXPECT_EQ(test, parclass_status_byte(t->raw), t->expect);
}

/* At most one of the four conditions, for every register value. */
static void parclass_status_one_condition(struct kunit *test)
{
	const u8 conditions = PARCLASS_PARALLEL_POWER_OFF |
			      PARCLASS_PARALLEL_PAPER_EMPTY |
			      PARCLASS_PARALLEL_OFF_LINE |
			      PARCLASS_PARALLEL_NOT_CONNECTED;
	unsigned int raw;

	for (raw = 0; raw < 256; raw++) {
		u8 s = parclass_status_byte(raw);

		KUNIT_EXPECT_LE_MSG(test, hweight8(s & conditions), 1,
				    "raw 0x%02x", raw);
		KUNIT_EXPECT_EQ_MSG(test, !!(s & PARCLASS_PARALLEL_SELECTED),
				    !!(raw & PARPORT_STATUS_SELECT),
				    "raw 0x%02x", raw);
		KUNIT_EXPECT_FALSE_MSG(test, s & (PARCLASS_PARALLEL_INIT |
						  PARCLASS_PARALLEL_AUTOFEED),
				       "raw 0x%02x", raw);
	}
}

static struct kunit_case parclass_status_cases[] = {
	KUNIT_CASE_PARAM(parclass_status_predicates,
			 parclass_test_status_gen_params),
	KUNIT_CASE(parclass_status_one_condition),
	{}
};

static struct kunit_suite parclass_status_suite = {
	.name = "parclass_status",
	.test_cases = parclass_status_cases,
};

static struct kunit_case parclass_token_cases[] = {
	KUNIT_CASE(parclass_token_roundtrip),
	KUNIT_CASE(parclass_token_masks_each_part),
	KUNIT_CASE(parclass_table_finds_live_sessions),
	KUNIT_CASE(parclass_table_stale_tokens),
	KUNIT_CASE(parclass_table_generation_after_reuse),
	KUNIT_CASE(parclass_table_caps),
	{}
};

static struct kunit_suite parclass_token_suite = {
	.name = "parclass_token",
	.init = parclass_table_test_init,
	.exit = parclass_table_test_exit,
	.test_cases = parclass_token_cases,
};

/*
 * Arbitration and revocation on parport0, through a port entry of the
 * test's own (not the module's tracked one), so that revoking it does not
 * take the port away from anything else.
 */
struct parclass_test_waiter {
	struct parclass_session *s;
	struct completion done;
	int ret;
};

struct parclass_port_test {
	struct parclass_port *pport;
	struct parclass_session *s[3];
	struct parclass_test_waiter *waiter;
};

static int parclass_port_test_init(struct kunit *test)
{
	struct parclass_port_test *pt;
	struct parport *port;
	unsigned int i;

	port = parport_find_number(0);
	if (!port) {
		kunit_skip(test, "no parport0");
		return 0;
	}
	pt = kunit_kzalloc(test, sizeof(*pt), GFP_KERNEL);
	if (!pt) {
		parport_put_port(port);
		return -ENOMEM;
	}
	pt->pport = parclass_port_create(port);
	parport_put_port(port);
	if (!pt->pport)
		return -ENOMEM;
	test->priv = pt;
	for (i = 0; i < ARRAY_SIZE(pt->s); i++) {
		pt->s[i] = parclass_session_create(pt->pport, -1, NULL);
		if (IS_ERR(pt->s[i]))
			return PTR_ERR(pt->s[i]);
	}
	return 0;
}

static void parclass_port_test_exit(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	unsigned int i;

	if (!pt)
		return;
	for (i = 0; i < ARRAY_SIZE(pt->s); i++) {
		if (IS_ERR_OR_NULL(pt->s[i]))
			continue;
		parclass_port_unlink_session(pt->s[i]);
		parclass_session_shutdown(pt->s[i], true);
	}
	/* A waiter thread still running was ended by the shutdown above. */
	if (pt->waiter)
		wait_for_completion(&pt->waiter->done);
	for (i = 0; i < ARRAY_SIZE(pt->s); i++)
		if (!IS_ERR_OR_NULL(pt->s[i]))
			parclass_session_put(pt->s[i]);
	parclass_port_put(pt->pport);
}

static int parclass_test_allocate(struct parclass_session *s, u32 flags,
				  u64 timeout_ns)
{
	int ret = parclass_session_use(s);

	if (ret)
		return ret;
	ret = parclass_allocate(s, flags, timeout_ns);
	parclass_session_unuse(s);
	return ret;
}

static int parclass_test_free(struct parclass_session *s)
{
	int ret = parclass_session_use(s);

	if (ret)
		return ret;
	ret = parclass_free(s);
	parclass_session_unuse(s);
	return ret;
}

static struct pardevice *parclass_test_cad(struct parclass_port *pport)
{
	return READ_ONCE(pport->port->physport->cad);
}

static void parclass_arbitration_basics(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_session *a = pt->s[0], *b = pt->s[1];

	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, PARCLASS_ALLOCATE_TRY,
						     0), 0);
	KUNIT_EXPECT_PTR_EQ(test, parclass_test_cad(pt->pport), a->pardev);
	KUNIT_EXPECT_EQ(test, parclass_test_allocate(a, 0, 0), -EALREADY);
	KUNIT_EXPECT_EQ(test, parclass_test_allocate(b, PARCLASS_ALLOCATE_TRY,
						     0), -EAGAIN);
	KUNIT_EXPECT_FALSE(test, parclass_is_port_free(a));
	KUNIT_EXPECT_FALSE(test, parclass_is_port_free(b));
	KUNIT_EXPECT_EQ(test, parclass_test_free(b), -EPERM);

	KUNIT_EXPECT_EQ(test, parclass_test_free(a), 0);
	KUNIT_EXPECT_NULL(test, parclass_test_cad(pt->pport));
	KUNIT_EXPECT_TRUE(test, parclass_is_port_free(b));
	KUNIT_EXPECT_EQ(test, parclass_test_free(a), -EPERM);
}

/*
 * During a transfer the session keeps the port: FREE answers -EBUSY, a
 * second transfer is refused, the pardevice never yields; DISCONNECT
 * tells the transfer to stop.
 */
static void parclass_transfer_keeps_the_port(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_session *a = pt->s[0], *b = pt->s[1];

	KUNIT_EXPECT_EQ(test, parclass_xfer_begin(a), -EPERM);
	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	KUNIT_ASSERT_NOT_NULL(test, a->pardev);
	KUNIT_EXPECT_EQ(test, a->pardev->timeslice, ULONG_MAX);
	KUNIT_ASSERT_EQ(test, parclass_xfer_begin(a), 0);
	KUNIT_EXPECT_EQ(test, parclass_xfer_begin(a), -EBUSY);
	KUNIT_EXPECT_EQ(test, parclass_test_free(a), -EBUSY);
	KUNIT_EXPECT_PTR_EQ(test, parclass_test_cad(pt->pport), a->pardev);
	KUNIT_EXPECT_EQ(test, parclass_test_allocate(a, PARCLASS_ALLOCATE_TRY,
						     0), -EALREADY);
	KUNIT_EXPECT_EQ(test, parclass_xfer_cancelled(a), 0);
	parclass_port_cancel_wait(b, true);
	KUNIT_EXPECT_EQ(test, parclass_xfer_cancelled(b), -ESTALE);
	KUNIT_EXPECT_EQ(test, parclass_xfer_cancelled(a), 0);
	parclass_xfer_end(a);
	KUNIT_EXPECT_EQ(test, parclass_test_free(a), 0);
	KUNIT_EXPECT_NULL(test, parclass_test_cad(pt->pport));
}

/* A waiter that timed out is never handed the port afterwards. */
static void parclass_arbitration_timeout_gives_up(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_session *a = pt->s[0], *b = pt->s[1];
	u32 waiters, others;

	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, parclass_test_allocate(b, 0, 30 * NSEC_PER_MSEC),
			-ETIMEDOUT);
	KUNIT_EXPECT_EQ(test, READ_ONCE(b->state), PARCLASS_IDLE);
	parclass_num_waiters(a, &waiters, &others);
	KUNIT_EXPECT_EQ(test, waiters, 0U);

	KUNIT_EXPECT_EQ(test, parclass_test_free(a), 0);
	KUNIT_EXPECT_NULL(test, parclass_test_cad(pt->pport));
	KUNIT_EXPECT_EQ(test, READ_ONCE(b->state), PARCLASS_IDLE);
	KUNIT_EXPECT_TRUE(test, parclass_is_port_free(b));
	KUNIT_EXPECT_EQ(test, parclass_test_free(b), -EPERM);
}

static int parclass_test_waiter_fn(void *data)
{
	struct parclass_test_waiter *w = data;

	w->ret = parclass_test_allocate(w->s, 0, 0);
	complete_all(&w->done);
	return 0;
}

/*
 * Start a blocking ALLOCATE of @s in a thread, bound to @cpu unless it is
 * negative; wait until it is queued.
 */
static struct parclass_test_waiter *
parclass_test_start_waiter_on(struct kunit *test, struct parclass_session *s,
			      int cpu)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_test_waiter *w;
	struct task_struct *task;
	unsigned int i;

	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	w->s = s;
	w->ret = 1;
	init_completion(&w->done);
	task = kthread_create(parclass_test_waiter_fn, w, "parclass_waiter");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	if (cpu >= 0)
		kthread_bind(task, cpu);
	wake_up_process(task);
	pt->waiter = w;
	for (i = 0; i < 100 && READ_ONCE(s->state) != PARCLASS_WAITING; i++)
		msleep(20);
	KUNIT_ASSERT_EQ(test, READ_ONCE(s->state), PARCLASS_WAITING);
	return w;
}

static struct parclass_test_waiter *
parclass_test_start_waiter(struct kunit *test, struct parclass_session *s)
{
	return parclass_test_start_waiter_on(test, s, -1);
}

static void parclass_arbitration_free_hands_over(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_session *a = pt->s[0], *b = pt->s[1];
	struct parclass_test_waiter *w;
	u32 waiters, others;

	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	w = parclass_test_start_waiter(test, b);
	parclass_num_waiters(a, &waiters, &others);
	KUNIT_EXPECT_EQ(test, waiters, 1U);

	KUNIT_EXPECT_EQ(test, parclass_test_free(a), 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&w->done, 5 * HZ));
	KUNIT_EXPECT_EQ(test, w->ret, 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(b->state), PARCLASS_HELD);
	KUNIT_EXPECT_PTR_EQ(test, parclass_test_cad(pt->pport), b->pardev);
	KUNIT_EXPECT_EQ(test, parclass_test_free(b), 0);
}

/* A thread's FREE or teardown of a session, for the cases below. */
struct parclass_test_call {
	struct parclass_session *s;
	struct completion done;
	int ret;
};

static int parclass_test_free_fn(void *data)
{
	struct parclass_test_call *c = data;

	c->ret = parclass_test_free(c->s);
	complete_all(&c->done);
	return 0;
}

static int parclass_test_shutdown_fn(void *data)
{
	struct parclass_test_call *c = data;

	parclass_session_shutdown(c->s, true);
	c->ret = 0;
	complete_all(&c->done);
	return 0;
}

static struct parclass_test_call *
parclass_test_start_call(struct kunit *test, struct parclass_session *s,
			 int (*fn)(void *data))
{
	struct parclass_test_call *c;
	struct task_struct *task;

	c = kunit_kzalloc(test, sizeof(*c), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, c);
	c->s = s;
	c->ret = 1;
	init_completion(&c->done);
	task = kthread_run(fn, c, "parclass_call");
	KUNIT_ASSERT_FALSE(test, IS_ERR(task));
	return c;
}

/*
 * FREE waits for a register read outside a transfer (REGISTER's reads,
 * QUERY_INFORMATION), so the port stays the session's until the read is
 * done, and lets no new read start meanwhile; a read without the port is
 * refused.
 */
static void parclass_free_waits_for_register_reads(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_session *a = pt->s[0], *b = pt->s[1];
	struct parclass_test_call *c;

	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, parclass_read_begin(b), -EPERM);
	KUNIT_ASSERT_EQ(test, parclass_read_begin(a), 0);
	c = parclass_test_start_call(test, a, parclass_test_free_fn);
	KUNIT_EXPECT_FALSE(test, wait_for_completion_timeout(&c->done,
							     msecs_to_jiffies(100)));
	KUNIT_EXPECT_PTR_EQ(test, parclass_test_cad(pt->pport), a->pardev);
	KUNIT_EXPECT_EQ(test, READ_ONCE(a->state), PARCLASS_HELD);
	/* No new read starts while FREE waits: reads cannot hold it off. */
	KUNIT_EXPECT_EQ(test, parclass_read_begin(a), -EPERM);
	parclass_read_end(a);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&c->done, 5 * HZ));
	KUNIT_EXPECT_EQ(test, c->ret, 0);
	KUNIT_EXPECT_NULL(test, parclass_test_cad(pt->pport));
	KUNIT_EXPECT_EQ(test, a->reading, 0);
	KUNIT_EXPECT_EQ(test, a->freeing, 0);
}

/*
 * Between FREE's hold ending and the parport core getting the port back,
 * another thread of the session cannot claim it (it would find its own
 * device still the owner, and the release would then take the port from
 * under it): ALLOCATE answers -EALREADY, a register read -EPERM, until
 * the release is done. FREE's window, made by hand.
 */
static void parclass_allocate_waits_out_a_release(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_port *pport = pt->pport;
	struct parclass_session *a = pt->s[0];
	unsigned long flags;

	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	spin_lock_irqsave(&pport->lock, flags);
	a->state = PARCLASS_IDLE;
	pport->holder = NULL;
	a->releasing = true;
	spin_unlock_irqrestore(&pport->lock, flags);

	KUNIT_EXPECT_EQ(test, parclass_test_allocate(a, PARCLASS_ALLOCATE_TRY, 0),
			-EALREADY);
	KUNIT_EXPECT_EQ(test, parclass_test_allocate(a, 0, 0), -EALREADY);
	KUNIT_EXPECT_EQ(test, parclass_read_begin(a), -EPERM);
	KUNIT_EXPECT_PTR_EQ(test, parclass_test_cad(pport), a->pardev);

	parport_release(a->pardev);
	/* As FREE ends it: the release is seen before the mark goes. */
	smp_store_release(&a->releasing, false);
	KUNIT_EXPECT_NULL(test, parclass_test_cad(pport));
	KUNIT_EXPECT_EQ(test, parclass_test_allocate(a, PARCLASS_ALLOCATE_TRY, 0),
			0);
	KUNIT_EXPECT_PTR_EQ(test, parclass_test_cad(pport), a->pardev);
	KUNIT_EXPECT_EQ(test, parclass_test_free(a), 0);
	KUNIT_EXPECT_NULL(test, parclass_test_cad(pport));
	KUNIT_EXPECT_FALSE(test, READ_ONCE(a->releasing));
}

/*
 * Teardown waits for the commands running on the session, and no command
 * starts once it has begun.
 */
static void parclass_teardown_waits_for_commands(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_session *a = pt->s[0];
	struct parclass_test_call *c;

	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	/* A command in flight. */
	KUNIT_ASSERT_EQ(test, parclass_session_use(a), 0);
	parclass_port_unlink_session(a);
	c = parclass_test_start_call(test, a, parclass_test_shutdown_fn);
	KUNIT_EXPECT_FALSE(test, wait_for_completion_timeout(&c->done,
							     msecs_to_jiffies(100)));
	/* Still the session's: teardown has not detached it. */
	KUNIT_EXPECT_PTR_EQ(test, parclass_test_cad(pt->pport), a->pardev);
	KUNIT_EXPECT_NOT_NULL(test, a->pardev);
	KUNIT_EXPECT_EQ(test, parclass_session_use(a), -ESTALE);
	KUNIT_EXPECT_EQ(test, atomic_read(&a->users), PARCLASS_USERS_SHUT + 1);
	parclass_session_unuse(a);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&c->done, 5 * HZ));
	KUNIT_EXPECT_NULL(test, a->pardev);
	KUNIT_EXPECT_NULL(test, parclass_test_cad(pt->pport));
	KUNIT_EXPECT_EQ(test, atomic_read(&a->users), PARCLASS_USERS_SHUT);
	KUNIT_EXPECT_EQ(test, parclass_session_use(a), -ESTALE);
}

/* DISCONNECT of a waiting session ends its wait with -ESTALE. */
static void parclass_arbitration_disconnect_ends_wait(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_session *a = pt->s[0], *b = pt->s[1];
	struct parclass_test_waiter *w;

	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	w = parclass_test_start_waiter(test, b);
	parclass_port_unlink_session(b);
	parclass_session_shutdown(b, true);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&w->done, 5 * HZ));
	KUNIT_EXPECT_EQ(test, w->ret, -ESTALE);
	KUNIT_EXPECT_NULL(test, b->pardev);
	KUNIT_EXPECT_EQ(test, parclass_session_use(b), -ESTALE);
	/* a still holds, and nothing else changed hands */
	KUNIT_EXPECT_PTR_EQ(test, parclass_test_cad(pt->pport), a->pardev);
	KUNIT_EXPECT_EQ(test, parclass_test_free(a), 0);
}

/*
 * The detach path: revoking the port ends a blocked ALLOCATE with -ENODEV,
 * frees the port from its holder, and leaves both sessions refusing with
 * -ENODEV; no new session can attach.
 */
static void parclass_revoke_ends_everything(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_session *a = pt->s[0], *b = pt->s[1];
	struct parclass_test_waiter *w;
	struct parclass_session *late;

	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	w = parclass_test_start_waiter(test, b);

	parclass_port_revoke(pt->pport);

	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&w->done, 5 * HZ));
	KUNIT_EXPECT_EQ(test, w->ret, -ENODEV);
	KUNIT_EXPECT_NULL(test, a->pardev);
	KUNIT_EXPECT_NULL(test, b->pardev);
	KUNIT_EXPECT_NULL(test, parclass_test_cad(pt->pport));
	KUNIT_EXPECT_EQ(test, parclass_session_use(a), -ENODEV);
	KUNIT_EXPECT_EQ(test, parclass_session_use(b), -ENODEV);
	KUNIT_EXPECT_EQ(test, pt->pport->nr_sessions, 0U);
	KUNIT_EXPECT_NULL(test, pt->pport->arbiter);
	KUNIT_EXPECT_NULL(test, pt->pport->spare);

	late = parclass_session_create(pt->pport, -1, NULL);
	KUNIT_EXPECT_PTR_EQ(test, late, ERR_PTR(-ENODEV));

	/* revoking twice is harmless */
	parclass_port_revoke(pt->pport);
}

/*
 * An asynchronous ALLOCATE queues and returns; CANCEL withdraws it and it
 * is never granted; a grant sets the holder and reports an event.
 */
static void parclass_arbitration_async_and_cancel(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_session *a = pt->s[0], *b = pt->s[1];
	wait_queue_head_t wq;

	init_waitqueue_head(&wq);
	WRITE_ONCE(b->event_wq, &wq);
	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, parclass_cancel(b), -ENOENT);
	KUNIT_EXPECT_EQ(test, parclass_test_allocate(b, PARCLASS_ALLOCATE_ASYNC,
						     0), -EINPROGRESS);
	KUNIT_EXPECT_EQ(test, READ_ONCE(b->state), PARCLASS_WAITING);
	KUNIT_EXPECT_EQ(test, parclass_test_allocate(b, 0, 0), -EALREADY);
	KUNIT_EXPECT_EQ(test, parclass_cancel(b), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(b->state), PARCLASS_IDLE);
	KUNIT_EXPECT_EQ(test, parclass_cancel(b), -ENOENT);
	KUNIT_EXPECT_EQ(test, parclass_test_free(a), 0);
	KUNIT_EXPECT_NULL(test, parclass_test_cad(pt->pport));
	KUNIT_EXPECT_EQ(test, READ_ONCE(b->events), 0U);

	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	KUNIT_EXPECT_EQ(test, parclass_test_allocate(b, PARCLASS_ALLOCATE_ASYNC,
						     0), -EINPROGRESS);
	KUNIT_EXPECT_EQ(test, parclass_test_free(a), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(b->state), PARCLASS_HELD);
	KUNIT_EXPECT_PTR_EQ(test, parclass_test_cad(pt->pport), b->pardev);
	KUNIT_EXPECT_EQ(test, READ_ONCE(b->events), PARCLASS_EVENT_GRANTED);
	KUNIT_EXPECT_EQ(test, parclass_cancel(b), -EALREADY);
	KUNIT_EXPECT_EQ(test, parclass_test_free(b), 0);
	parclass_event_detach(b);
}

/*
 * A blocking ALLOCATE is its own request. Granted, then freed and queued
 * again by other threads of the session before the waiting thread ran,
 * it returns 0 and leaves the new request queued; it used to take the new
 * request for its own and sleep on in its place (or, with a timeout,
 * dequeue it). The waiting thread shares this thread's CPU, and the
 * kernel does not preempt, so it runs only once this thread sleeps.
 */
static void parclass_arbitration_wait_is_per_request(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_session *a = pt->s[0], *b = pt->s[1];
	struct parclass_test_waiter *w;
	int cpu = raw_smp_processor_id();

	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of(cpu)), 0);
	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	w = parclass_test_start_waiter_on(test, b, cpu);

	/* Nothing below sleeps until the wait for the waiter. */
	KUNIT_EXPECT_EQ(test, parclass_test_free(a), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(b->state), PARCLASS_HELD);
	KUNIT_EXPECT_EQ(test, parclass_test_allocate(a, PARCLASS_ALLOCATE_ASYNC,
						     0), -EINPROGRESS);
	KUNIT_EXPECT_EQ(test, parclass_test_free(b), 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(a->state), PARCLASS_HELD);
	KUNIT_EXPECT_EQ(test, parclass_test_allocate(b, PARCLASS_ALLOCATE_ASYNC,
						     0), -EINPROGRESS);

	KUNIT_EXPECT_TRUE(test, wait_for_completion_timeout(&w->done, 5 * HZ));
	KUNIT_EXPECT_EQ(test, w->ret, 0);
	KUNIT_EXPECT_EQ(test, READ_ONCE(b->state), PARCLASS_WAITING);
	KUNIT_EXPECT_EQ(test, parclass_cancel(b), 0);
	KUNIT_EXPECT_EQ(test, parclass_test_free(a), 0);
	KUNIT_EXPECT_NULL(test, parclass_test_cad(pt->pport));
	set_cpus_allowed_ptr(current, cpu_possible_mask);
}

/* CANCEL ends a blocking ALLOCATE of another thread with -ECANCELED. */
static void parclass_arbitration_cancel_ends_wait(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_session *a = pt->s[0], *b = pt->s[1];
	struct parclass_test_waiter *w;

	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	w = parclass_test_start_waiter(test, b);
	KUNIT_EXPECT_EQ(test, parclass_cancel(b), 0);
	KUNIT_ASSERT_TRUE(test, wait_for_completion_timeout(&w->done, 5 * HZ));
	KUNIT_EXPECT_EQ(test, w->ret, -ECANCELED);
	KUNIT_EXPECT_EQ(test, parclass_test_free(a), 0);
	KUNIT_EXPECT_NULL(test, parclass_test_cad(pt->pport));
	KUNIT_EXPECT_EQ(test, READ_ONCE(b->state), PARCLASS_IDLE);
}

/*
 * parport_release() walks the port's devices with no lock: at each one it
 * reads the wakeup callback, the private data and the next pointer. A
 * walk that is at one of parclass's pardevices when parclass unregisters
 * it must still read valid memory. A thread stands for such a walk in
 * progress: it spins on another CPU with preemption off, as a walk in
 * atomic context runs, while the test unregisters the pardevice and then
 * reads what the walk reads. Freed memory there is a KASAN report, which
 * fails the test.
 */
struct parclass_walk {
	struct pardevice *pd;
	atomic_t stage;		/* 0 starting, 1 at @pd, 2 @pd unregistered */
	struct completion done;
	bool timed_out;
	void (*wakeup)(void *private);
	void *private;
};

static int parclass_walk_fn(void *data)
{
	struct parclass_walk *w = data;
	unsigned long end = jiffies + 5 * HZ;

	preempt_disable();
	atomic_set(&w->stage, 1);
	while (atomic_read(&w->stage) != 2 && time_before(jiffies, end))
		cpu_relax();
	w->timed_out = atomic_read(&w->stage) != 2;
	preempt_enable();
	complete(&w->done);
	return 0;
}

/*
 * Start a walk stopped at @pd on one CPU, and move the test to another,
 * so that the walk's spinning never holds up the test. Restored by
 * parclass_walk_end().
 */
static struct parclass_walk *parclass_walk_start(struct kunit *test,
						 struct pardevice *pd)
{
	struct parclass_walk *w;
	struct task_struct *t;
	unsigned int here, there;

	if (num_online_cpus() < 2) {
		kunit_skip(test, "needs two CPUs");
		return NULL;
	}
	w = kunit_kzalloc(test, sizeof(*w), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, w);
	w->pd = pd;
	init_completion(&w->done);
	here = raw_smp_processor_id();
	there = cpumask_any_but(cpu_online_mask, here);
	KUNIT_ASSERT_LT(test, there, nr_cpu_ids);
	KUNIT_ASSERT_EQ(test, set_cpus_allowed_ptr(current, cpumask_of(here)),
			0);
	t = kthread_create(parclass_walk_fn, w, "parclass-walk");
	KUNIT_ASSERT_FALSE(test, IS_ERR(t));
	kthread_bind(t, there);
	wake_up_process(t);
	while (atomic_read(&w->stage) != 1)
		usleep_range(100, 200);
	return w;
}

static void parclass_walk_end(struct kunit *test, struct parclass_walk *w)
{
	/* What the walk reads at the pardevice, before it ends. */
	w->wakeup = READ_ONCE(w->pd->wakeup);
	w->private = READ_ONCE(w->pd->private);
	(void)READ_ONCE(w->pd->next);
	atomic_set(&w->stage, 2);
	wait_for_completion(&w->done);
	set_cpus_allowed_ptr(current, cpu_possible_mask);
	KUNIT_EXPECT_FALSE_MSG(test, w->timed_out,
			       "unregistering waited for the walk");
}

/* A session's DISCONNECT, with a walk at its pardevice. */
static void parclass_release_walk_survives_disconnect(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_session *a = pt->s[0];
	struct parclass_walk *w;

	/* The session's pardevice comes with its first ALLOCATE. */
	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, parclass_test_free(a), 0);
	KUNIT_ASSERT_NOT_NULL(test, a->pardev);
	w = parclass_walk_start(test, a->pardev);
	if (!w)
		return;
	parclass_port_unlink_session(a);
	parclass_session_shutdown(a, true);
	KUNIT_EXPECT_NULL(test, a->pardev);
	/* It stays as the port's spare: unregister it with the arbiter. */
	KUNIT_EXPECT_PTR_EQ(test, pt->pport->spare, w->pd);
	parclass_port_arbiter_retire(pt->pport);
	KUNIT_EXPECT_NULL(test, pt->pport->spare);
	parclass_walk_end(test, w);
	/* A session's pardevice has no wakeup: the walk passes it by. */
	KUNIT_EXPECT_NULL(test, w->wakeup);
	parclass_unregister_flush();
}

/* The arbiter's retirement, with a walk at it: its wakeup still works. */
static void parclass_release_walk_survives_arbiter_retiring(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_session *a = pt->s[0], *b = pt->s[1];
	struct parclass_walk *w;

	/* The arbiter comes with the first session that has to wait. */
	KUNIT_EXPECT_NULL(test, pt->pport->arbiter);
	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	KUNIT_EXPECT_NULL(test, pt->pport->arbiter);
	KUNIT_ASSERT_EQ(test, parclass_test_allocate(b, 0, 10 * NSEC_PER_MSEC),
			-ETIMEDOUT);
	KUNIT_ASSERT_EQ(test, parclass_test_free(a), 0);
	KUNIT_ASSERT_NOT_NULL(test, pt->pport->arbiter);
	w = parclass_walk_start(test, pt->pport->arbiter);
	if (!w)
		return;
	parclass_port_unlink_session(a);
	parclass_session_shutdown(a, true);
	parclass_port_unlink_session(b);
	parclass_session_shutdown(b, true);
	parclass_port_arbiter_retire(pt->pport);
	KUNIT_EXPECT_NULL(test, pt->pport->arbiter);
	parclass_walk_end(test, w);
	KUNIT_EXPECT_NOT_NULL(test, w->wakeup);
	KUNIT_EXPECT_PTR_EQ(test, w->private, (void *)pt->pport);
	/* The late call a walk makes: the port is free, nobody waits. */
	w->wakeup(w->private);
	KUNIT_EXPECT_NULL(test, parclass_test_cad(pt->pport));
	parclass_unregister_flush();
}

/* Is @pd on its port's list of devices? */
static bool parclass_test_registered(struct parclass_port *pport,
				     struct pardevice *pd)
{
	struct parport *phys = pport->port->physport;
	struct pardevice *d;
	bool found = false;

	spin_lock(&phys->pardevice_lock);
	for (d = phys->devices; d; d = d->next)
		found |= d == pd;
	spin_unlock(&phys->pardevice_lock);
	return found;
}

/*
 * The arbiter comes when a session has to wait, and stays after the last
 * session pardevice goes, to serve the next; the first pardevice let go
 * of stays too, as the port's spare, which the next session takes over
 * with no callback of its last user's. A pardevice let go of while the
 * port has a spare is unregistered. The arbiter and the spare go once no
 * session has had a pardevice for a while.
 */
static void parclass_arbiter_lingers_then_goes(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_session *a = pt->s[0], *b = pt->s[1], *c = pt->s[2];
	struct pardevice *arbiter, *pd, *other;

	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, parclass_test_allocate(b, 0, 10 * NSEC_PER_MSEC),
			-ETIMEDOUT);
	arbiter = pt->pport->arbiter;
	KUNIT_ASSERT_NOT_NULL(test, arbiter);
	KUNIT_ASSERT_EQ(test, parclass_test_free(a), 0);
	pd = a->pardev;
	other = b->pardev;
	KUNIT_ASSERT_NOT_NULL(test, other);
	parclass_port_unlink_session(a);
	parclass_session_shutdown(a, true);
	KUNIT_EXPECT_PTR_EQ(test, pt->pport->spare, pd);
	KUNIT_EXPECT_TRUE(test, parclass_test_registered(pt->pport, pd));
	KUNIT_EXPECT_NULL(test, pd->private);
	KUNIT_EXPECT_NULL(test, pd->irq_func);
	/* One spare: the second to go is unregistered. */
	parclass_port_unlink_session(b);
	parclass_session_shutdown(b, true);
	KUNIT_EXPECT_PTR_EQ(test, pt->pport->spare, pd);
	KUNIT_EXPECT_FALSE(test, parclass_test_registered(pt->pport, other));
	KUNIT_EXPECT_EQ(test, pt->pport->arbiter_users, 0U);
	KUNIT_EXPECT_PTR_EQ(test, pt->pport->arbiter, arbiter);

	/* The next session takes the spare, and the arbiter serves it. */
	KUNIT_ASSERT_EQ(test, parclass_test_allocate(c, 0, 0), 0);
	KUNIT_EXPECT_PTR_EQ(test, pt->pport->arbiter, arbiter);
	KUNIT_EXPECT_PTR_EQ(test, c->pardev, pd);
	KUNIT_EXPECT_PTR_EQ(test, pd->private, (void *)c);
	KUNIT_EXPECT_PTR_EQ(test, parclass_test_cad(pt->pport), pd);
	KUNIT_EXPECT_NULL(test, pt->pport->spare);
	KUNIT_ASSERT_EQ(test, parclass_test_free(c), 0);
	parclass_port_unlink_session(c);
	parclass_session_shutdown(c, true);
	KUNIT_EXPECT_PTR_EQ(test, pt->pport->spare, pd);

	parclass_port_arbiter_retire(pt->pport);
	KUNIT_EXPECT_NULL(test, pt->pport->arbiter);
	KUNIT_EXPECT_NULL(test, pt->pport->spare);
	parclass_unregister_flush();
}

/*
 * A connected session has no pardevice until it asks for the port; a
 * failed try registers one as well (the session is about to use the
 * port), and the holder's is the port's owner.
 */
static void parclass_pardev_comes_with_allocate(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_session *a = pt->s[0], *b = pt->s[1];

	KUNIT_EXPECT_NULL(test, a->pardev);
	KUNIT_EXPECT_NULL(test, b->pardev);
	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, PARCLASS_ALLOCATE_TRY,
						     0), 0);
	KUNIT_ASSERT_NOT_NULL(test, a->pardev);
	KUNIT_EXPECT_TRUE(test, parclass_test_registered(pt->pport, a->pardev));
	KUNIT_EXPECT_PTR_EQ(test, parclass_test_cad(pt->pport), a->pardev);
	KUNIT_EXPECT_EQ(test, a->pardev->timeslice, ULONG_MAX);
	KUNIT_EXPECT_NULL(test, a->pardev->wakeup);
	KUNIT_EXPECT_EQ(test, parclass_test_allocate(b, PARCLASS_ALLOCATE_TRY,
						     0), -EAGAIN);
	KUNIT_EXPECT_NOT_NULL(test, b->pardev);
	KUNIT_EXPECT_EQ(test, parclass_test_free(a), 0);
	/* Freed, a's pardevice stays for now: it may come back soon. */
	KUNIT_EXPECT_NOT_NULL(test, a->pardev);
}

/*
 * An idle session's pardevice leaves the port after PARCLASS_IDLE_MS
 * (port.c, 2 s); a session that comes back keeps it, and the next
 * ALLOCATE registers a new one.
 */
static void parclass_pardev_goes_when_idle(struct kunit *test)
{
	struct parclass_port_test *pt = test->priv;
	struct parclass_session *a = pt->s[0], *b = pt->s[1];
	struct pardevice *old;
	unsigned int i;

	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	KUNIT_ASSERT_EQ(test, parclass_test_free(a), 0);
	KUNIT_ASSERT_EQ(test, parclass_test_allocate(b, 0, 0), 0);
	old = b->pardev;
	/* b holds the port all along: only a's pardevice goes. */
	for (i = 0; i < 40 && a->pardev; i++)
		msleep(100);
	KUNIT_EXPECT_NULL(test, a->pardev);
	KUNIT_EXPECT_PTR_EQ(test, b->pardev, old);
	KUNIT_EXPECT_TRUE(test, parclass_test_registered(pt->pport, old));
	KUNIT_EXPECT_EQ(test, parclass_test_free(b), 0);

	/* Used again within the idle time, it keeps its pardevice. */
	for (i = 0; i < 3; i++) {
		msleep(1000);
		KUNIT_ASSERT_EQ(test, parclass_test_allocate(b, 0, 0), 0);
		KUNIT_EXPECT_PTR_EQ(test, b->pardev, old);
		KUNIT_ASSERT_EQ(test, parclass_test_free(b), 0);
	}
	KUNIT_ASSERT_EQ(test, parclass_test_allocate(a, 0, 0), 0);
	KUNIT_ASSERT_NOT_NULL(test, a->pardev);
	KUNIT_EXPECT_PTR_EQ(test, parclass_test_cad(pt->pport), a->pardev);
	KUNIT_EXPECT_EQ(test, parclass_test_free(a), 0);
	parclass_unregister_flush();
}

static struct kunit_case parclass_port_cases[] = {
	KUNIT_CASE(parclass_arbitration_basics),
	KUNIT_CASE(parclass_arbitration_timeout_gives_up),
	KUNIT_CASE(parclass_transfer_keeps_the_port),
	KUNIT_CASE(parclass_arbitration_free_hands_over),
	KUNIT_CASE(parclass_arbitration_disconnect_ends_wait),
	KUNIT_CASE(parclass_free_waits_for_register_reads),
	KUNIT_CASE(parclass_allocate_waits_out_a_release),
	KUNIT_CASE(parclass_teardown_waits_for_commands),
	KUNIT_CASE(parclass_revoke_ends_everything),
	KUNIT_CASE(parclass_arbitration_async_and_cancel),
	KUNIT_CASE(parclass_arbitration_cancel_ends_wait),
	KUNIT_CASE(parclass_arbitration_wait_is_per_request),
	KUNIT_CASE(parclass_release_walk_survives_disconnect),
	KUNIT_CASE(parclass_release_walk_survives_arbiter_retiring),
	KUNIT_CASE(parclass_arbiter_lingers_then_goes),
	KUNIT_CASE(parclass_pardev_comes_with_allocate),
	KUNIT_CASE(parclass_pardev_goes_when_idle),
	{}
};

static struct kunit_suite parclass_port_suite = {
	.name = "parclass_port",
	.init = parclass_port_test_init,
	.exit = parclass_port_test_exit,
	.test_cases = parclass_port_cases,
};

/* Pin programs: every operation's fields, then whole programs. */
struct parclass_test_pin {
	const char *desc;
	struct parclass_pin_op op;
	bool valid;
};

#define PARCLASS_PIN(_desc, _op, _mask, _value, _arg, _valid)		\
	{ _desc, { .op = PARCLASS_PIN_##_op, .mask = _mask,		\
		   .value = _value, .arg = _arg }, _valid }

static const struct parclass_test_pin parclass_test_pins[] = {
	PARCLASS_PIN("write data", WRITE_DATA, 0, 0xa5, 0, true),
	PARCLASS_PIN("write data mask", WRITE_DATA, 1, 0xa5, 0, false),
	PARCLASS_PIN("write data arg", WRITE_DATA, 0, 0, 1, false),
	PARCLASS_PIN("read data", READ_DATA, 0, 0, 0, true),
	PARCLASS_PIN("read data value", READ_DATA, 0, 1, 0, false),
	PARCLASS_PIN("read status", READ_STATUS, 0, 0, 0, true),
	PARCLASS_PIN("read status mask", READ_STATUS, 0x80, 0, 0, false),
	PARCLASS_PIN("read control", READ_CONTROL, 0, 0, 0, true),
	PARCLASS_PIN("read control arg", READ_CONTROL, 0, 0, 5, false),
	PARCLASS_PIN("write control", WRITE_CONTROL, 0, 0x0f, 0, true),
	PARCLASS_PIN("write control direction bit", WRITE_CONTROL, 0, 0x20, 0,
		     false),
	PARCLASS_PIN("write control mask", WRITE_CONTROL, 1, 1, 0, false),
	PARCLASS_PIN("frob control", FROB_CONTROL, 0x01, 0x01, 0, true),
	PARCLASS_PIN("frob control clear", FROB_CONTROL, 0x0f, 0, 0, true),
	PARCLASS_PIN("frob control value outside mask", FROB_CONTROL, 0x01,
		     0x02, 0, false),
	PARCLASS_PIN("frob control irq bit", FROB_CONTROL, 0x10, 0x10, 0,
		     false),
	PARCLASS_PIN("frob control arg", FROB_CONTROL, 1, 1, 1, false),
	PARCLASS_PIN("data dir forward", DATA_DIR, 0, 0, 0, true),
	PARCLASS_PIN("data dir reverse", DATA_DIR, 0, 1, 0, true),
	PARCLASS_PIN("data dir 2", DATA_DIR, 0, 2, 0, false),
	PARCLASS_PIN("wait status", WAIT_STATUS, 0x80, 0x80, 1000, true),
	PARCLASS_PIN("wait status longest", WAIT_STATUS, 0x40, 0,
		     PARCLASS_PIN_WAIT_MAX_US, true),
	PARCLASS_PIN("wait status too long", WAIT_STATUS, 0x40, 0,
		     PARCLASS_PIN_WAIT_MAX_US + 1, false),
	PARCLASS_PIN("wait status no timeout", WAIT_STATUS, 0x40, 0, 0, false),
	PARCLASS_PIN("wait status value outside mask", WAIT_STATUS, 0x40, 0x80,
		     10, false),
	PARCLASS_PIN("delay", DELAY, 0, 0, 1, true),
	PARCLASS_PIN("delay longest", DELAY, 0, 0, PARCLASS_PIN_DELAY_MAX_US,
		     true),
	PARCLASS_PIN("delay too long", DELAY, 0, 0,
		     PARCLASS_PIN_DELAY_MAX_US + 1, false),
	PARCLASS_PIN("delay 0", DELAY, 0, 0, 0, false),
	PARCLASS_PIN("delay value", DELAY, 0, 1, 10, false),
	{ "op 0", { .op = 0 }, false },
	{ "op 10", { .op = PARCLASS_PIN_DELAY + 1, .arg = 1 }, false },
	{ "op 255", { .op = 255 }, false },
	{ "reserved", { .op = PARCLASS_PIN_READ_STATUS, .__reserved = 1 },
	  false },
};

static void parclass_test_pin_desc(const struct parclass_test_pin *t,
				   char *desc)
{
	strscpy(desc, t->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(parclass_test_pin, parclass_test_pins,
		  parclass_test_pin_desc);

static void parclass_pin_op_fields(struct kunit *test)
{
	const struct parclass_test_pin *t = test->param_value;

	KUNIT_EXPECT_EQ(test, parclass_pin_op_valid(&t->op), t->valid);
	/* A program of that one operation, with room for its result. */
	KUNIT_EXPECT_EQ(test, parclass_pin_validate(&t->op, 1, 1),
			t->valid ? 0 : -EINVAL);
}

/* Whole programs: counts, the delay budget, room for the results. */
static void parclass_pin_program_limits(struct kunit *test)
{
	const struct parclass_pin_op read = { .op = PARCLASS_PIN_READ_STATUS };
	const struct parclass_pin_op half = {
		.op = PARCLASS_PIN_DELAY, .arg = PARCLASS_PIN_DELAY_MAX_US / 2,
	};
	struct parclass_pin_op *ops;
	u32 n = PARCLASS_PIN_MAX_OPS + 1, i;

	ops = kunit_kcalloc(test, n, sizeof(*ops), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, ops);
	for (i = 0; i < n; i++)
		ops[i] = read;

	KUNIT_EXPECT_EQ(test, parclass_pin_validate(ops, 0, 0), -EINVAL);
	KUNIT_EXPECT_EQ(test, parclass_pin_validate(ops, n - 1, n - 1), 0);
	KUNIT_EXPECT_EQ(test, parclass_pin_validate(ops, n, n), -E2BIG);
	/* One result byte per read: one short is refused. */
	KUNIT_EXPECT_EQ(test, parclass_pin_validate(ops, 100, 99), -EINVAL);
	KUNIT_EXPECT_EQ(test, parclass_pin_validate(ops, 100, 1000), 0);

	/* Two half delays fit; a third microsecond does not. */
	ops[0] = half;
	ops[1] = half;
	KUNIT_EXPECT_EQ(test, parclass_pin_validate(ops, 2, 0), 0);
	ops[2] = (struct parclass_pin_op){ .op = PARCLASS_PIN_DELAY, .arg = 1 };
	KUNIT_EXPECT_EQ(test, parclass_pin_validate(ops, 3, 0), -EINVAL);

	/* A bad operation anywhere refuses the program. */
	ops[2] = read;
	ops[n - 2].__reserved = 1;
	KUNIT_EXPECT_EQ(test, parclass_pin_validate(ops, n - 1, n), -EINVAL);
}

/* REGISTER takes the register operations only, reads' value as output. */
static void parclass_pin_register_ops(struct kunit *test)
{
	struct parclass_register r = {};
	unsigned int op;

	for (op = 0; op < 256; op++) {
		bool reg = op >= PARCLASS_PIN_WRITE_DATA &&
			   op <= PARCLASS_PIN_DATA_DIR;

		r.op = op;
		r.value = 0;
		r.mask = op == PARCLASS_PIN_FROB_CONTROL ? 1 : 0;
		KUNIT_EXPECT_EQ_MSG(test, parclass_register_valid(&r), reg,
				    "op %u", op);
	}
	r.op = PARCLASS_PIN_READ_CONTROL;
	r.mask = 0;
	r.value = 0xff;
	KUNIT_EXPECT_TRUE(test, parclass_register_valid(&r));
	r.op = PARCLASS_PIN_WRITE_CONTROL;
	KUNIT_EXPECT_FALSE(test, parclass_register_valid(&r));
	r.value = 0x0f;
	KUNIT_EXPECT_TRUE(test, parclass_register_valid(&r));
}

static struct kunit_case parclass_pins_cases[] = {
	KUNIT_CASE_PARAM(parclass_pin_op_fields, parclass_test_pin_gen_params),
	KUNIT_CASE(parclass_pin_program_limits),
	KUNIT_CASE(parclass_pin_register_ops),
	{}
};

static struct kunit_suite parclass_pins_suite = {
	.name = "parclass_pins",
	.test_cases = parclass_pins_cases,
};

/*
 * The IEEE 1284 mode table: Windows' mask bits (reference, section 6)
 * to parport modes, and back.
 */
static const struct {
	u32 bit;
	int mode;
} parclass_test_modes[] = {
	{ PARCLASS_1284_CENTRONICS, IEEE1284_MODE_COMPAT },
	{ PARCLASS_1284_IEEE_COMPAT, IEEE1284_MODE_COMPAT },
	{ PARCLASS_1284_NIBBLE, IEEE1284_MODE_NIBBLE },
	{ PARCLASS_1284_CHANNEL_NIBBLE, IEEE1284_MODE_NIBBLE },
	{ PARCLASS_1284_BYTE_BIDIR, IEEE1284_MODE_BYTE },
	{ PARCLASS_1284_EPP_HW, IEEE1284_MODE_EPP },
	{ PARCLASS_1284_EPP_SW, IEEE1284_MODE_EPPSWE },
	{ PARCLASS_1284_BOUNDED_ECP, IEEE1284_MODE_BECP },
	{ PARCLASS_1284_ECP_HW_NOIRQ, IEEE1284_MODE_ECP },
	{ PARCLASS_1284_ECP_HW_IRQ, IEEE1284_MODE_ECP },
	{ PARCLASS_1284_ECP_SW, IEEE1284_MODE_ECPSWE },
};

static void parclass_mode_table(struct kunit *test)
{
	u32 seen = 0;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(parclass_test_modes); i++) {
		u32 bit = parclass_test_modes[i].bit;
		int mode = parclass_test_modes[i].mode;

		KUNIT_EXPECT_EQ_MSG(test, parclass_1284_to_linux(bit), mode,
				    "bit 0x%x", bit);
		/* The reverse names the bit, but for channel nibble. */
		if (bit != PARCLASS_1284_CHANNEL_NIBBLE)
			KUNIT_EXPECT_TRUE_MSG(test,
					      parclass_1284_from_linux(mode) & bit,
					      "mode 0x%x", mode);
		seen |= bit;
	}
	KUNIT_EXPECT_EQ(test, seen, (u32)PARCLASS_1284_ALL);
	/* Not one mode bit: none, several, unknown. */
	KUNIT_EXPECT_EQ(test, parclass_1284_to_linux(PARCLASS_1284_NONE), -1);
	KUNIT_EXPECT_EQ(test, parclass_1284_to_linux(PARCLASS_1284_NIBBLE |
						     PARCLASS_1284_BYTE_BIDIR),
			-1);
	KUNIT_EXPECT_EQ(test, parclass_1284_to_linux(0x800), -1);
	/* Back: exactly the bits of each mode. */
	KUNIT_EXPECT_EQ(test, parclass_1284_from_linux(IEEE1284_MODE_COMPAT),
			(u32)(PARCLASS_1284_CENTRONICS |
			      PARCLASS_1284_IEEE_COMPAT));
	KUNIT_EXPECT_EQ(test, parclass_1284_from_linux(IEEE1284_MODE_NIBBLE),
			(u32)PARCLASS_1284_NIBBLE);
	KUNIT_EXPECT_EQ(test, parclass_1284_from_linux(IEEE1284_MODE_ECP),
			(u32)(PARCLASS_1284_ECP_HW_NOIRQ |
			      PARCLASS_1284_ECP_HW_IRQ));
	KUNIT_EXPECT_EQ(test, parclass_1284_from_linux(IEEE1284_MODE_EPPSL),
			(u32)PARCLASS_1284_NONE);
}

static void parclass_mode_masks(struct kunit *test)
{
	const u32 reads = PARCLASS_1284_NIBBLE | PARCLASS_1284_CHANNEL_NIBBLE |
			  PARCLASS_1284_BYTE_BIDIR;
	const u32 writes = PARCLASS_1284_CENTRONICS | PARCLASS_1284_IEEE_COMPAT;
	const u32 both = PARCLASS_1284_ALL & ~(reads | writes);

	KUNIT_EXPECT_TRUE(test, parclass_1284_masks_valid(0, 0));
	KUNIT_EXPECT_TRUE(test, parclass_1284_masks_valid(reads | both,
							  writes | both));
	KUNIT_EXPECT_FALSE(test, parclass_1284_masks_valid(writes, 0));
	KUNIT_EXPECT_FALSE(test, parclass_1284_masks_valid(0, reads));
	KUNIT_EXPECT_FALSE(test, parclass_1284_masks_valid(0x800, 0));
	KUNIT_EXPECT_FALSE(test, parclass_1284_masks_valid(0, 0x8000));
}

/* What parclass can run today, on a plain and a bidirectional port. */
static void parclass_mode_reachable(struct kunit *test)
{
	const unsigned int spp = PARPORT_MODE_PCSPP;
	const unsigned int bidir = spp | PARPORT_MODE_TRISTATE |
				   PARPORT_MODE_ECP | PARPORT_MODE_EPP;
	unsigned int i;

	KUNIT_EXPECT_TRUE(test, parclass_1284_reachable(PARCLASS_1284_NIBBLE, spp));
	KUNIT_EXPECT_TRUE(test,
			  parclass_1284_reachable(PARCLASS_1284_CENTRONICS, spp));
	KUNIT_EXPECT_FALSE(test,
			   parclass_1284_reachable(PARCLASS_1284_BYTE_BIDIR, spp));
	KUNIT_EXPECT_TRUE(test,
			  parclass_1284_reachable(PARCLASS_1284_BYTE_BIDIR, bidir));
	KUNIT_EXPECT_FALSE(test,
			   parclass_1284_reachable(PARCLASS_1284_ECP_SW, spp));
	KUNIT_EXPECT_TRUE(test,
			  parclass_1284_reachable(PARCLASS_1284_ECP_SW, bidir));
	KUNIT_EXPECT_FALSE(test,
			   parclass_1284_reachable(PARCLASS_1284_EPP_SW, spp));
	KUNIT_EXPECT_TRUE(test,
			  parclass_1284_reachable(PARCLASS_1284_EPP_SW, bidir));
	/* The chips' FIFO and EPP registers, bounded ECP, channel nibble. */
	for (i = 0; i < ARRAY_SIZE(parclass_test_modes); i++) {
		u32 bit = parclass_test_modes[i].bit;

		if (parclass_test_modes[i].mode == IEEE1284_MODE_COMPAT ||
		    bit == PARCLASS_1284_NIBBLE ||
		    bit == PARCLASS_1284_BYTE_BIDIR ||
		    bit == PARCLASS_1284_ECP_SW || bit == PARCLASS_1284_EPP_SW)
			continue;
		KUNIT_EXPECT_FALSE_MSG(test, parclass_1284_reachable(bit, bidir),
				       "bit 0x%x", bit);
	}
}

static struct kunit_case parclass_mode_cases[] = {
	KUNIT_CASE(parclass_mode_table),
	KUNIT_CASE(parclass_mode_masks),
	KUNIT_CASE(parclass_mode_reachable),
	{}
};

static struct kunit_suite parclass_mode_suite = {
	.name = "parclass_mode",
	.test_cases = parclass_mode_cases,
};

kunit_test_suites(&parclass_dispatch_suite, &parclass_validate_suite,
		  &parclass_token_suite, &parclass_port_suite,
		  &parclass_status_suite, &parclass_pins_suite,
		  &parclass_mode_suite);

MODULE_DESCRIPTION("KUnit tests for parclass");
MODULE_LICENSE("GPL");
PARCLASS_IMPORT_KUNIT_NS();
