// SPDX-License-Identifier: GPL-2.0
/*
 * KUnit tests for parport_sim: the parport core's own IEEE 1284 code
 * (negotiation, compatibility, nibble, byte, ECP and EPP transfers, device
 * IDs, the IEEE 1284.3 daisy chain, interrupts) runs against simulated
 * ports, and a port is unplugged while a device holds it.
 */
#include <kunit/test.h>
#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/module.h>
#include <linux/parport.h>
#include <linux/slab.h>
#include <linux/string.h>

#include "parport_sim.h"

/* Status registers (PARPORT_STATUS_* bits). */
#define ST_IDLE		0xd8	/* Busy low, nAck, Select and nFault high */

/* Bounds every wait of the core's routines (default: 5 s). */
#define TEST_TIMEOUT	(HZ / 5)

static atomic_t sim_test_serial = ATOMIC_INIT(0);

struct sim_test {
	struct parport_sim *sim;
	struct parport *port;
	struct pardevice *dev;
	bool claimed;
	atomic_t irqs;
};

static int sim_test_init(struct kunit *test)
{
	struct sim_test *t;
	char name[PARPORT_SIM_NAME_MAX + 1];

	t = kunit_kzalloc(test, sizeof(*t), GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, t);
	snprintf(name, sizeof(name), "kunit%d",
		 atomic_inc_return(&sim_test_serial));
	t->sim = parport_sim_create(name);
	KUNIT_ASSERT_FALSE(test, IS_ERR(t->sim));
	atomic_set(&t->irqs, 0);
	test->priv = t;
	return 0;
}

static void sim_test_drop_device(struct sim_test *t)
{
	if (!t->dev)
		return;
	if (t->claimed)
		parport_release(t->dev);
	parport_unregister_device(t->dev);
	t->dev = NULL;
	t->claimed = false;
}

static void sim_test_exit(struct kunit *test)
{
	struct sim_test *t = test->priv;

	sim_test_drop_device(t);
	parport_sim_destroy(t->sim);
}

static void sim_test_plug(struct kunit *test)
{
	struct sim_test *t = test->priv;

	KUNIT_ASSERT_EQ(test, parport_sim_plug(t->sim), 0);
	t->port = parport_sim_port(t->sim);
	KUNIT_ASSERT_NOT_NULL(test, t->port);
}

static void sim_test_irq(void *private)
{
	struct sim_test *t = private;

	atomic_inc(&t->irqs);
}

/* Register a device (daisy-chain address @daisy, or -1) and claim the port. */
static void sim_test_claim(struct kunit *test, int daisy)
{
	struct sim_test *t = test->priv;
	struct pardev_cb cb = {
		.irq_func = sim_test_irq,
		.private = t,
	};

	t->dev = parport_register_dev_model(t->port, "parport_sim_test", &cb,
					    atomic_inc_return(&sim_test_serial));
	KUNIT_ASSERT_NOT_NULL(test, t->dev);
	t->dev->daisy = daisy;
	parport_set_timeout(t->dev, TEST_TIMEOUT);
	KUNIT_ASSERT_EQ(test, parport_claim(t->dev), 0);
	t->claimed = true;
}

static void sim_test_info(struct kunit *test, struct parport_sim_info *info)
{
	struct sim_test *t = test->priv;

	parport_sim_get_info(t->sim, info);
}

/* Read @len bytes in the mode negotiated, in as many calls as it takes. */
static size_t sim_test_read(struct parport *port, u8 *buf, size_t len)
{
	size_t got = 0;
	int idle = 0;
	ssize_t n;

	while (got < len && idle < 3) {
		n = parport_read(port, buf + got, len - got);
		if (n < 0)
			break;
		idle = n ? 0 : idle + 1;
		got += n;
	}
	return got;
}

static void sim_test_back_to_compat(struct kunit *test)
{
	struct sim_test *t = test->priv;
	struct parport_sim_info info;

	KUNIT_EXPECT_EQ(test, parport_negotiate(t->port, IEEE1284_MODE_COMPAT),
			0);
	sim_test_info(test, &info);
	KUNIT_EXPECT_STREQ(test, info.phase, "compat");
	KUNIT_EXPECT_EQ(test, info.status, ST_IDLE);
}

/* Negotiation */

struct negotiate_case {
	const char *desc;
	unsigned int modes;
	bool has_id;
	unsigned int faults;
	int mode;
	int expect;
};

static const struct negotiate_case negotiate_cases[] = {
	{ "compat", PARPORT_SIM_MODE_ALL, true, 0, IEEE1284_MODE_COMPAT, 0 },
	{ "nibble", PARPORT_SIM_MODE_ALL, true, 0, IEEE1284_MODE_NIBBLE, 0 },
	{ "byte", PARPORT_SIM_MODE_ALL, true, 0, IEEE1284_MODE_BYTE, 0 },
	{ "ecp", PARPORT_SIM_MODE_ALL, true, 0, IEEE1284_MODE_ECP, 0 },
	{ "ecp-rle", PARPORT_SIM_MODE_ALL, true, 0, IEEE1284_MODE_ECPRLE, 0 },
	{ "ecp-swe", PARPORT_SIM_MODE_ALL, true, 0, IEEE1284_MODE_ECPSWE, 0 },
	{ "epp", PARPORT_SIM_MODE_ALL, true, 0, IEEE1284_MODE_EPP, 0 },
	{ "epp-swe", PARPORT_SIM_MODE_ALL, true, 0, IEEE1284_MODE_EPPSWE, 0 },
	{ "nibble-device-id", PARPORT_SIM_MODE_ALL, true, 0,
	  IEEE1284_MODE_NIBBLE | IEEE1284_DEVICEID, 0 },
	{ "byte-device-id", PARPORT_SIM_MODE_ALL, true, 0,
	  IEEE1284_MODE_BYTE | IEEE1284_DEVICEID, 0 },
	{ "ecp-device-id", PARPORT_SIM_MODE_ALL, true, 0,
	  IEEE1284_MODE_ECP | IEEE1284_DEVICEID, 0 },
	{ "paper-out-still-negotiates", PARPORT_SIM_MODE_ALL, true,
	  PARPORT_SIM_FAULT_PAPEROUT, IEEE1284_MODE_NIBBLE, 0 },
	{ "no-device-id-refused", PARPORT_SIM_MODE_ALL, false, 0,
	  IEEE1284_MODE_NIBBLE | IEEE1284_DEVICEID, 1 },
	{ "byte-refused", PARPORT_SIM_MODE_NIBBLE, true, 0,
	  IEEE1284_MODE_BYTE, 1 },
	{ "ecp-refused", PARPORT_SIM_MODE_NIBBLE | PARPORT_SIM_MODE_EPP, true,
	  0, IEEE1284_MODE_ECP, 1 },
	{ "epp-refused", PARPORT_SIM_MODE_BYTE | PARPORT_SIM_MODE_ECP, true, 0,
	  IEEE1284_MODE_EPP, 1 },
	{ "epp-device-id-refused", PARPORT_SIM_MODE_ALL, true, 0,
	  IEEE1284_MODE_EPP | IEEE1284_DEVICEID, 1 },
	{ "extensibility-link-refused", PARPORT_SIM_MODE_ALL, true, 0,
	  IEEE1284_EXT_LINK, 1 },
	{ "not-ieee1284-nibble", 0, true, 0, IEEE1284_MODE_NIBBLE, -1 },
	{ "not-ieee1284-ecp", 0, true, 0, IEEE1284_MODE_ECP, -1 },
	{ "powered-off", PARPORT_SIM_MODE_ALL, true, PARPORT_SIM_FAULT_OFF,
	  IEEE1284_MODE_NIBBLE, -1 },
	{ "no-cable", PARPORT_SIM_MODE_ALL, true, PARPORT_SIM_FAULT_NOCABLE,
	  IEEE1284_MODE_ECP, -1 },
};

static void negotiate_desc(const struct negotiate_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(negotiate, negotiate_cases, negotiate_desc);

static void parport_sim_negotiate(struct kunit *test)
{
	const struct negotiate_case *c = test->param_value;
	static const char id[] = "MFG:Sim;MDL:Negotiator;";
	struct sim_test *t = test->priv;

	parport_sim_set_modes(t->sim, c->modes);
	if (c->has_id)
		KUNIT_ASSERT_EQ(test, parport_sim_set_device_id(t->sim, id,
								strlen(id)),
				0);
	sim_test_plug(test);
	sim_test_claim(test, -1);
	parport_sim_set_faults(t->sim, c->faults);

	KUNIT_EXPECT_EQ(test, parport_negotiate(t->port, c->mode), c->expect);
	if (!c->expect)
		KUNIT_EXPECT_EQ(test, t->port->ieee1284.mode, c->mode);
	else
		KUNIT_EXPECT_EQ(test, t->port->ieee1284.mode,
				IEEE1284_MODE_COMPAT);

	parport_sim_set_faults(t->sim, 0);
	sim_test_back_to_compat(test);
}

/* Forward transfers */

struct mode_case {
	const char *desc;
	int mode;
};

static const struct mode_case forward_cases[] = {
	{ "compat", IEEE1284_MODE_COMPAT },
	{ "ecp", IEEE1284_MODE_ECP },
	{ "ecp-swe", IEEE1284_MODE_ECPSWE },
	{ "epp", IEEE1284_MODE_EPP },
	{ "epp-swe", IEEE1284_MODE_EPPSWE },
};

static void mode_desc(const struct mode_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(forward, forward_cases, mode_desc);

static void parport_sim_forward(struct kunit *test)
{
	const struct mode_case *c = test->param_value;
	struct sim_test *t = test->priv;
	const size_t len = 600;
	struct parport_sim_info info;
	u8 *out, *in;
	size_t i;

	out = kunit_kmalloc(test, len, GFP_KERNEL);
	in = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, in);
	for (i = 0; i < len; i++)
		out[i] = i * 7 + (i >> 8);

	sim_test_plug(test);
	sim_test_claim(test, -1);
	KUNIT_ASSERT_EQ(test, parport_negotiate(t->port, c->mode), 0);
	parport_sim_clear_forward(t->sim);

	KUNIT_EXPECT_EQ(test, parport_write(t->port, out, len), (ssize_t)len);
	KUNIT_EXPECT_EQ(test, parport_sim_read_forward(t->sim, in, len), len);
	KUNIT_EXPECT_MEMEQ(test, in, out, len);
	sim_test_info(test, &info);
	KUNIT_EXPECT_EQ(test, info.forward_len, len);
	KUNIT_EXPECT_EQ(test, info.forward_dropped, 0);

	sim_test_back_to_compat(test);
}

/* ECP channel addresses and run lengths, EPP address cycles. */
static void parport_sim_addresses(struct kunit *test)
{
	struct sim_test *t = test->priv;
	struct parport_sim_info info;
	u8 buf[8] = {};

	sim_test_plug(test);
	sim_test_claim(test, -1);

	KUNIT_ASSERT_EQ(test, parport_negotiate(t->port, IEEE1284_MODE_ECP), 0);
	parport_sim_clear_forward(t->sim);
	KUNIT_ASSERT_EQ(test, parport_negotiate(t->port, IEEE1284_MODE_ECP |
						IEEE1284_ADDR), 0);
	/* Channel 5, then a run length of 4 for the next data byte. */
	KUNIT_EXPECT_EQ(test, parport_write(t->port, "\x85\x03", 2), 2);
	sim_test_info(test, &info);
	KUNIT_EXPECT_EQ(test, info.ecp_channel, 5);
	KUNIT_ASSERT_EQ(test, parport_negotiate(t->port, IEEE1284_MODE_ECP), 0);
	KUNIT_EXPECT_EQ(test, parport_write(t->port, "zy", 2), 2);
	KUNIT_EXPECT_EQ(test, parport_sim_read_forward(t->sim, buf, sizeof(buf)),
			5);
	KUNIT_EXPECT_MEMEQ(test, buf, "zzzzy", 5);

	KUNIT_ASSERT_EQ(test, parport_negotiate(t->port, IEEE1284_MODE_EPP |
						IEEE1284_ADDR), 0);
	KUNIT_EXPECT_EQ(test, parport_write(t->port, "\x42", 1), 1);
	sim_test_info(test, &info);
	KUNIT_EXPECT_EQ(test, info.epp_addr, 0x42);
	KUNIT_EXPECT_EQ(test, parport_read(t->port, buf, 1), 1);
	KUNIT_EXPECT_EQ(test, buf[0], 0x42);

	KUNIT_ASSERT_EQ(test, parport_negotiate(t->port, IEEE1284_MODE_EPP), 0);
	KUNIT_ASSERT_EQ(test, parport_sim_queue_reverse(t->sim, "hi", 2), 2);
	KUNIT_EXPECT_EQ(test, parport_read(t->port, buf, 2), 2);
	KUNIT_EXPECT_MEMEQ(test, buf, "hi", 2);

	sim_test_back_to_compat(test);
}

/* Reverse transfers */

static const struct mode_case reverse_cases[] = {
	{ "nibble", IEEE1284_MODE_NIBBLE },
	{ "byte", IEEE1284_MODE_BYTE },
	{ "ecp", IEEE1284_MODE_ECP },
	{ "ecp-rle", IEEE1284_MODE_ECPRLE },
	{ "ecp-swe", IEEE1284_MODE_ECPSWE },
	{ "epp", IEEE1284_MODE_EPP },
};

KUNIT_ARRAY_PARAM(reverse, reverse_cases, mode_desc);

static void parport_sim_reverse(struct kunit *test)
{
	const struct mode_case *c = test->param_value;
	struct sim_test *t = test->priv;
	const size_t len = 256 + 40 + 130 + 3 + 2;
	struct parport_sim_info info;
	u8 *out, *in;
	size_t i, n = 0;

	out = kunit_kmalloc(test, len, GFP_KERNEL);
	in = kunit_kzalloc(test, len, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, out);
	KUNIT_ASSERT_NOT_NULL(test, in);
	/* Every byte value, then runs (for RLE): 40, 130 (> 128) and 3. */
	for (i = 0; i < 256; i++)
		out[n++] = i;
	for (i = 0; i < 40; i++)
		out[n++] = 0x55;
	for (i = 0; i < 130; i++)
		out[n++] = 0;
	for (i = 0; i < 3; i++)
		out[n++] = 0xaa;
	out[n++] = 'o';
	out[n++] = 'k';
	KUNIT_ASSERT_EQ(test, n, len);

	sim_test_plug(test);
	sim_test_claim(test, -1);
	KUNIT_ASSERT_EQ(test, parport_sim_queue_reverse(t->sim, out, len),
			(int)len);
	KUNIT_ASSERT_EQ(test, parport_negotiate(t->port, c->mode), 0);

	KUNIT_EXPECT_EQ(test, sim_test_read(t->port, in, len), len);
	KUNIT_EXPECT_MEMEQ(test, in, out, len);
	sim_test_info(test, &info);
	KUNIT_EXPECT_EQ(test, info.reverse_len, 0);

	sim_test_back_to_compat(test);
}

/* Device IDs */

struct device_id_case {
	const char *desc;
	size_t len;
	int mode;
};

static const struct device_id_case device_id_cases[] = {
	{ "nibble-short", 23, IEEE1284_MODE_NIBBLE },
	{ "nibble-255", 253, IEEE1284_MODE_NIBBLE },
	{ "nibble-256", 254, IEEE1284_MODE_NIBBLE },
	{ "nibble-longest", PARPORT_SIM_ID_MAX, IEEE1284_MODE_NIBBLE },
	{ "byte", 100, IEEE1284_MODE_BYTE },
	{ "ecp", 100, IEEE1284_MODE_ECP },
};

static void device_id_desc(const struct device_id_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(device_id, device_id_cases, device_id_desc);

/* A plausible device ID of exactly @len bytes. */
static void sim_test_make_id(char *id, size_t len)
{
	static const char head[] = "MFG:Sim;CLS:PRINTER;MDL:";
	size_t i;

	memcpy(id, head, min(len, sizeof(head) - 1));
	for (i = sizeof(head) - 1; i + 1 < len; i++)
		id[i] = 'A' + i % 26;
	id[len - 1] = ';';
	id[len] = '\0';
}

static void parport_sim_device_id(struct kunit *test)
{
	const struct device_id_case *c = test->param_value;
	struct sim_test *t = test->priv;
	char *id, *in;
	u8 hdr[2];

	id = kunit_kzalloc(test, c->len + 1, GFP_KERNEL);
	in = kunit_kzalloc(test, c->len + 1, GFP_KERNEL);
	KUNIT_ASSERT_NOT_NULL(test, id);
	KUNIT_ASSERT_NOT_NULL(test, in);
	sim_test_make_id(id, c->len);
	KUNIT_ASSERT_EQ(test, parport_sim_set_device_id(t->sim, id, c->len), 0);
	sim_test_plug(test);
	sim_test_claim(test, -1);

	KUNIT_ASSERT_EQ(test, parport_negotiate(t->port,
						c->mode | IEEE1284_DEVICEID), 0);
	KUNIT_ASSERT_EQ(test, sim_test_read(t->port, hdr, 2), 2);
	KUNIT_EXPECT_EQ(test, (hdr[0] << 8) | hdr[1], (int)c->len + 2);
	KUNIT_EXPECT_EQ(test, sim_test_read(t->port, in, c->len), c->len);
	KUNIT_EXPECT_STREQ(test, in, id);
	if (c->mode != IEEE1284_MODE_ECP)
		/* The peripheral said there is no more (nDataAvail high). */
		KUNIT_EXPECT_EQ(test, t->port->ieee1284.phase,
				IEEE1284_PH_REV_IDLE);

	sim_test_back_to_compat(test);
}

/* parport_announce_port() read the ID through the simulated port. */
static void parport_sim_probe_info(struct kunit *test)
{
	static const char id[] =
		"MFG:Acme;MDL:Sim Printer;CMD:PCL;CLS:PRINTER;DES:Simulated;";
	struct sim_test *t = test->priv;
	struct parport_device_info *info;

	KUNIT_ASSERT_EQ(test, parport_sim_set_device_id(t->sim, id,
							strlen(id)), 0);
	sim_test_plug(test);
	info = &t->port->probe_info[0];
	KUNIT_EXPECT_EQ(test, info->class, PARPORT_CLASS_PRINTER);
	KUNIT_ASSERT_NOT_NULL(test, info->mfr);
	KUNIT_EXPECT_STREQ(test, info->mfr, "Acme");
	KUNIT_ASSERT_NOT_NULL(test, info->model);
	KUNIT_EXPECT_STREQ(test, info->model, "Sim Printer");
	KUNIT_ASSERT_NOT_NULL(test, info->cmdset);
	KUNIT_EXPECT_STREQ(test, info->cmdset, "PCL");
	KUNIT_ASSERT_NOT_NULL(test, info->description);
	KUNIT_EXPECT_STREQ(test, info->description, "Simulated");
}

/* Faults */

struct fault_case {
	const char *desc;
	unsigned int faults;
	u8 status;
};

static const struct fault_case fault_cases[] = {
	{ "none", 0, ST_IDLE },
	{ "paper-out", PARPORT_SIM_FAULT_PAPEROUT,
	  PARPORT_STATUS_BUSY | PARPORT_STATUS_ACK | PARPORT_STATUS_PAPEROUT |
	  PARPORT_STATUS_SELECT },
	{ "off-line", PARPORT_SIM_FAULT_OFFLINE,
	  PARPORT_STATUS_BUSY | PARPORT_STATUS_ACK },
	{ "error", PARPORT_SIM_FAULT_ERROR,
	  PARPORT_STATUS_BUSY | PARPORT_STATUS_ACK | PARPORT_STATUS_SELECT },
	{ "busy", PARPORT_SIM_FAULT_BUSY,
	  PARPORT_STATUS_ACK | PARPORT_STATUS_SELECT | PARPORT_STATUS_ERROR },
	{ "powered-off", PARPORT_SIM_FAULT_OFF, PARPORT_STATUS_BUSY },
	{ "no-cable", PARPORT_SIM_FAULT_NOCABLE,
	  PARPORT_STATUS_ACK | PARPORT_STATUS_PAPEROUT |
	  PARPORT_STATUS_SELECT | PARPORT_STATUS_ERROR },
	{ "paper-out-and-busy",
	  PARPORT_SIM_FAULT_PAPEROUT | PARPORT_SIM_FAULT_BUSY,
	  PARPORT_STATUS_ACK | PARPORT_STATUS_PAPEROUT |
	  PARPORT_STATUS_SELECT },
};

static void fault_desc(const struct fault_case *c, char *desc)
{
	strscpy(desc, c->desc, KUNIT_PARAM_DESC_SIZE);
}

KUNIT_ARRAY_PARAM(fault, fault_cases, fault_desc);

static void parport_sim_faults(struct kunit *test)
{
	const struct fault_case *c = test->param_value;
	struct sim_test *t = test->priv;
	u8 buf[8];

	sim_test_plug(test);
	sim_test_claim(test, -1);
	parport_sim_set_faults(t->sim, c->faults);
	KUNIT_EXPECT_EQ(test, t->port->ops->read_status(t->port), c->status);

	/* A faulty printer takes nothing; a healthy one everything. */
	parport_sim_clear_forward(t->sim);
	KUNIT_EXPECT_EQ(test, parport_write(t->port, "abc", 3),
			c->faults ? 0 : 3);
	parport_sim_set_faults(t->sim, 0);
	KUNIT_EXPECT_EQ(test, t->port->ops->read_status(t->port), ST_IDLE);
	KUNIT_EXPECT_EQ(test, parport_write(t->port, "xyz", 3), 3);
	KUNIT_EXPECT_EQ(test, parport_sim_read_forward(t->sim, buf, sizeof(buf)),
			c->faults ? 3 : 6);
	KUNIT_EXPECT_MEMEQ(test, buf, c->faults ? "xyz" : "abc", 3);
}

/* IEEE 1284.3 daisy chain */

static const char *const daisy_ids[PARPORT_SIM_DAISY_MAX] = {
	"MFG:Daisy;MDL:Link 0;CLS:PRINTER;",
	"MFG:Daisy;MDL:Link 1;CLS:SCANNER;",
	"MFG:Daisy;MDL:Link 2;CLS:PRINTER;",
	"MFG:Daisy;MDL:Link 3;CLS:MODEM;",
};

static const char daisy_tail[] = "MFG:Sim;MDL:Tail;CLS:PRINTER;";

static const unsigned int daisy_lengths[] = { 0, 1, 2, 3, 4 };

static void daisy_desc(const unsigned int *n, char *desc)
{
	snprintf(desc, KUNIT_PARAM_DESC_SIZE, "%u-devices", *n);
}

KUNIT_ARRAY_PARAM(daisy, daisy_lengths, daisy_desc);

/* Read the ID of whichever device answers; t->dev holds the port. */
static void sim_test_expect_id(struct kunit *test, const char *want)
{
	struct sim_test *t = test->priv;
	size_t len = strlen(want);
	char buf[64] = {};
	u8 hdr[2];

	KUNIT_ASSERT_EQ(test, parport_negotiate(t->port, IEEE1284_MODE_NIBBLE |
						IEEE1284_DEVICEID), 0);
	KUNIT_EXPECT_EQ(test, sim_test_read(t->port, hdr, 2), 2);
	KUNIT_EXPECT_EQ(test, (hdr[0] << 8) | hdr[1], (int)len + 2);
	KUNIT_EXPECT_EQ(test, sim_test_read(t->port, buf, len), len);
	KUNIT_EXPECT_STREQ(test, buf, want);
	KUNIT_EXPECT_EQ(test, parport_negotiate(t->port, IEEE1284_MODE_COMPAT),
			0);
}

static void parport_sim_daisy(struct kunit *test)
{
	const unsigned int n = *(const unsigned int *)test->param_value;
	struct sim_test *t = test->priv;
	struct parport_sim_info info;
	char model[16];
	int k;

	KUNIT_ASSERT_EQ(test, parport_sim_set_daisy(t->sim, n, daisy_ids), 0);
	KUNIT_ASSERT_EQ(test, parport_sim_set_device_id(t->sim, daisy_tail,
							strlen(daisy_tail)),
			0);
	sim_test_plug(test);

	/* parport_announce_port() found every device and read its ID. */
	KUNIT_ASSERT_NOT_NULL(test, t->port->probe_info[0].model);
	KUNIT_EXPECT_STREQ(test, t->port->probe_info[0].model, "Tail");
	for (k = 0; k < n; k++) {
		snprintf(model, sizeof(model), "Link %d", k);
		KUNIT_ASSERT_NOT_NULL(test, t->port->probe_info[k + 1].model);
		KUNIT_EXPECT_STREQ(test, t->port->probe_info[k + 1].model,
				   model);
	}

	/* Claiming a daisy device selects it (CPP select, 0xe0 | id). */
	for (k = 0; k < PARPORT_SIM_DAISY_MAX; k++) {
		sim_test_claim(test, k);
		sim_test_info(test, &info);
		if (k < n) {
			KUNIT_EXPECT_EQ(test, t->port->daisy, k);
			KUNIT_EXPECT_EQ(test, info.selected, k);
			sim_test_expect_id(test, daisy_ids[k]);
		} else {
			/* No such device: the select is refused. */
			KUNIT_EXPECT_EQ(test, info.selected, -1);
			/*
			 * Without a chain the command prefix goes unanswered,
			 * and the core takes cpp_daisy()'s -ENXIO for a
			 * successful select: only a chain can say no.
			 */
			if (n)
				KUNIT_EXPECT_EQ(test, t->port->daisy, -1);
		}
		/* Releasing deselects every device (0x30). */
		sim_test_drop_device(t);
		sim_test_info(test, &info);
		KUNIT_EXPECT_EQ(test, info.selected, -1);
		KUNIT_EXPECT_EQ(test, t->port->daisy, -1);
	}

	/* With nothing selected, the device at the end answers. */
	sim_test_claim(test, -1);
	sim_test_expect_id(test, daisy_tail);
}

/* Interrupts */

static void parport_sim_interrupts(struct kunit *test)
{
	struct sim_test *t = test->priv;
	struct parport_sim_info info;
	u8 buf[2];

	KUNIT_ASSERT_EQ(test, parport_sim_set_irq(t->sim, 7), 0);
	sim_test_plug(test);
	KUNIT_EXPECT_EQ(test, t->port->irq, 7);
	KUNIT_EXPECT_EQ(test, parport_sim_set_irq(t->sim, 5), -EBUSY);
	sim_test_claim(test, -1);

	/* Each byte taken in compatibility mode pulses nAck. */
	KUNIT_EXPECT_EQ(test, parport_write(t->port, "abc", 3), 3);
	parport_sim_sync_irq(t->sim);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->irqs), 3);

	parport_sim_interrupt(t->sim);
	parport_sim_sync_irq(t->sim);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->irqs), 4);

	/* Data arriving in reverse idle: events 18 to 20. */
	KUNIT_ASSERT_EQ(test, parport_negotiate(t->port, IEEE1284_MODE_NIBBLE),
			0);
	KUNIT_EXPECT_EQ(test, parport_read(t->port, buf, 1), 0);
	KUNIT_EXPECT_EQ(test, t->port->ieee1284.phase, IEEE1284_PH_REV_IDLE);
	KUNIT_ASSERT_EQ(test, parport_sim_queue_reverse(t->sim, "!", 1), 1);
	parport_sim_sync_irq(t->sim);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->irqs), 5);
	KUNIT_EXPECT_EQ(test, t->port->ieee1284.phase,
			IEEE1284_PH_HBUSY_DAVAIL);
	KUNIT_EXPECT_EQ(test, parport_read(t->port, buf, 1), 1);
	KUNIT_EXPECT_EQ(test, buf[0], '!');
	KUNIT_EXPECT_EQ(test, parport_negotiate(t->port, IEEE1284_MODE_COMPAT),
			0);

	/* Nothing while the host keeps the interrupt disabled. */
	t->port->ops->disable_irq(t->port);
	parport_sim_interrupt(t->sim);
	parport_sim_sync_irq(t->sim);
	KUNIT_EXPECT_EQ(test, atomic_read(&t->irqs), 5);
	sim_test_info(test, &info);
	KUNIT_EXPECT_EQ(test, info.irqs, 5);
}

/* Unplug while a device holds the port, then plug it in again. */
static void parport_sim_unplug_held(struct kunit *test)
{
	struct sim_test *t = test->priv;
	struct parport_sim_info info;
	struct module *owner;
	unsigned int refs;
	struct parport *dead;
	u8 buf[4];

	/* The module's references with the port unplugged. */
	sim_test_plug(test);
	owner = t->port->ops->owner;
	KUNIT_ASSERT_NOT_NULL(test, owner);
	parport_sim_unplug(t->sim);
	refs = module_refcount(owner);

	sim_test_plug(test);
	sim_test_claim(test, -1);
	dead = t->port;
	parport_sim_unplug(t->sim);
	KUNIT_EXPECT_NULL(test, parport_sim_port(t->sim));
	/* The core's dead operations: no owner, nothing reaches the model. */
	KUNIT_EXPECT_NULL(test, dead->ops->owner);
	KUNIT_EXPECT_EQ(test, parport_write(dead, "lost", 4), 0);
	sim_test_info(test, &info);
	KUNIT_EXPECT_FALSE(test, info.plugged);
	KUNIT_EXPECT_EQ(test, info.forward_len, 0);
	KUNIT_EXPECT_EQ(test, info.refs_returned, 1);

	/* The holder lets go of the dead port; nothing is left behind. */
	sim_test_drop_device(t);
	KUNIT_EXPECT_EQ(test, module_refcount(owner), refs);

	/* Plugged in again, the port works. */
	sim_test_plug(test);
	sim_test_claim(test, -1);
	KUNIT_EXPECT_EQ(test, parport_write(t->port, "back", 4), 4);
	KUNIT_EXPECT_EQ(test, parport_sim_read_forward(t->sim, buf, sizeof(buf)),
			4);
	KUNIT_EXPECT_MEMEQ(test, buf, "back", 4);
	sim_test_info(test, &info);
	KUNIT_EXPECT_EQ(test, info.plugs, 3);
}

static struct kunit_case parport_sim_cases[] = {
	KUNIT_CASE_PARAM(parport_sim_negotiate, negotiate_gen_params),
	KUNIT_CASE_PARAM(parport_sim_forward, forward_gen_params),
	KUNIT_CASE(parport_sim_addresses),
	KUNIT_CASE_PARAM(parport_sim_reverse, reverse_gen_params),
	KUNIT_CASE_PARAM(parport_sim_device_id, device_id_gen_params),
	KUNIT_CASE(parport_sim_probe_info),
	KUNIT_CASE_PARAM(parport_sim_faults, fault_gen_params),
	KUNIT_CASE_PARAM(parport_sim_daisy, daisy_gen_params),
	KUNIT_CASE(parport_sim_interrupts),
	KUNIT_CASE(parport_sim_unplug_held),
	{}
};

static struct kunit_suite parport_sim_suite = {
	.name = "parport_sim",
	.init = sim_test_init,
	.exit = sim_test_exit,
	.test_cases = parport_sim_cases,
};

kunit_test_suite(parport_sim_suite);

MODULE_DESCRIPTION("KUnit tests for parport_sim");
MODULE_LICENSE("GPL");
