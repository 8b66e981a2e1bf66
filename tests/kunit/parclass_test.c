// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for parclass: the ioctl dispatch table.
 *
 * Built as parclass_test.ko against a kernel with CONFIG_KUNIT; it uses
 * the functions parclass.ko exports in the EXPORTED_FOR_KUNIT_TESTING
 * namespace.
 */
#include <kunit/test.h>
#include <linux/ioctl.h>
#include <linux/kernel.h>
#include <linux/module.h>

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

/* GET_VERSION's validation: flags and the reserved word must be zero. */
static void parclass_version_validate_rejects_nonzero(struct kunit *test)
{
	const struct parclass_ioctl_op *op =
		&parclass_ioctl_ops[PARCLASS_CMD_GET_VERSION];
	union parclass_ucmd_buffer buf = {};

	buf.version.size = sizeof(buf.version);
	KUNIT_EXPECT_EQ(test, op->validate(&buf), 0);

	buf.version.flags = 1;
	KUNIT_EXPECT_EQ(test, op->validate(&buf), -EINVAL);

	buf.version.flags = 0;
	buf.version.__reserved = 1;
	KUNIT_EXPECT_EQ(test, op->validate(&buf), -EINVAL);

	/* Output fields are the kernel's to fill; input values are ignored. */
	buf.version.__reserved = 0;
	buf.version.abi_version = 0xdead;
	buf.version.features = ~0ULL;
	KUNIT_EXPECT_EQ(test, op->validate(&buf), 0);
}

static struct kunit_case parclass_test_cases[] = {
	KUNIT_CASE(parclass_dispatch_finds_every_command),
	KUNIT_CASE_PARAM(parclass_dispatch_rejects_unknown,
			 parclass_test_bad_cmd_gen_params),
	KUNIT_CASE(parclass_dispatch_rows_follow_uapi_rules),
	KUNIT_CASE(parclass_version_validate_rejects_nonzero),
	{}
};

static struct kunit_suite parclass_test_suite = {
	.name = "parclass",
	.test_cases = parclass_test_cases,
};

kunit_test_suite(parclass_test_suite);

MODULE_DESCRIPTION("KUnit tests for parclass");
MODULE_LICENSE("GPL");
PARCLASS_IMPORT_KUNIT_NS();
