// SPDX-License-Identifier: GPL-2.0
/*
 * parport_sim: the peripheral.
 *
 * The host drives the data and control lines through the port operations.
 * Every change reaches the model at once, and the model sets its status
 * lines and its data lines before the operation returns. The parport
 * core's IEEE 1284 routines poll the status lines with timeouts
 * (parport_wait_peripheral()); since the peripheral has already answered
 * when they look, they never wait for it.
 *
 * The control lines as the peripheral sees them (a PARPORT_CONTROL_* bit
 * set means): STROBE, nStrobe low; AUTOFD, nAutoFd low; INIT, nInit high;
 * SELECT, nSelectIn low. IEEE 1284 is active while nSelectIn is high.
 *
 * What the peripheral does, by phase (event numbers are IEEE 1284's):
 *
 * - Compatibility mode: nStrobe going low latches the data lines into the
 *   forward buffer and raises Busy; nStrobe going high drops Busy and
 *   pulses nAck (an interrupt, if the host enabled it). A fault
 *   (PARPORT_SIM_FAULT_*) changes the status lines as parport_sim.h says
 *   and makes the peripheral ignore strobes. nInit low resets it.
 * - Negotiation: nSelectIn high with nAutoFd low (event 1) gets event 2
 *   (nAck low; PError, Select, nFault high); nStrobe low latches the
 *   extensibility byte (event 3); nStrobe and nAutoFd high (event 4) get
 *   the answer: Select (XFlag) high for an accepted mode other than plain
 *   nibble, low for a refused one, then nAck high (events 5 and 6). A
 *   peripheral without IEEE 1284 modes never answers event 1.
 * - Termination: nSelectIn low (event 22) gets nAck low (event 24),
 *   nAutoFd low (event 25) gets nAck high and compatibility mode back.
 * - Nibble and byte mode: nFault low (nDataAvail) says data waits.
 *   nAutoFd low presents a nibble on nFault, Select, PError and Busy
 *   (bits 0 to 3), or a byte on the data lines, with nAck low; nAutoFd
 *   high raises nAck. A byte is taken at the second nibble's nAutoFd high,
 *   or at the host's nStrobe pulse in byte mode.
 * - ECP: nAutoFd low in the setup phase raises PError (event 31). Forward,
 *   each nStrobe low latches a byte (nAutoFd high: data; low: a channel
 *   address if bit 7 is set, else a run length for the next data byte)
 *   and raises Busy until nStrobe goes high. nInit low turns the bus
 *   around (PError low, event 40), nInit high back (event 49). Reverse,
 *   with nAutoFd low the peripheral presents a byte with nAck low, Busy
 *   high for data and low for a run-length count (ECP with RLE only, for
 *   runs of two to 128 equal bytes); nAutoFd high takes it and raises
 *   nAck.
 * - EPP: nAutoFd low is a data strobe and nSelectIn low an address strobe,
 *   a write while nStrobe (nWrite) is low, else a read; the peripheral
 *   raises Busy (nWait) until the strobe ends. A data read with no data
 *   waiting is not answered. nInit low ends EPP.
 * - IEEE 1284.3 daisy chain (compatibility mode, with chain devices
 *   configured): the data bytes AA 55 00 FF 87 78 enter command mode
 *   (after FF the status reads Busy low and PError, Select and nFault
 *   high; after 87 Busy high, Select and nFault high). In command mode
 *   the status shows the next device to number (PError and Select high,
 *   Busy high for the last one), each strobed byte 0x00-0x0f numbers it,
 *   0x30 deselects every device, and 0xe0, 0xd0 or 0x20 plus an address
 *   selects that device (CPP, ECP, EPP), answered with nFault high while
 *   nStrobe is low, or nFault low if no device has the address (the
 *   parport core's parport_daisy_select() returns 0, success, for nFault
 *   high). FF leaves command mode. A selected device answers device ID requests
 *   with its own ID; with none selected the device at the end of the
 *   chain answers.
 *
 * Every forward data byte latched (compatibility mode, ECP, EPP) is also
 * recorded with its writer: the task whose port operation made the
 * peripheral latch it (struct parport_sim_writer), so that a test can
 * tell whose bytes reached the wire, and in what order.
 *
 * Everything here runs under the owner's lock (&parport_sim.lock).
 */
#include <linux/bug.h>
#include <linux/ktime.h>
#include <linux/limits.h>
#include <linux/minmax.h>
#include <linux/parport.h>
#include <linux/pid.h>
#include <linux/preempt.h>
#include <linux/sched.h>
#include <linux/slab.h>
#include <linux/stddef.h>
#include <linux/string.h>

#include "sim.h"

#define SIM_STROBE	PARPORT_CONTROL_STROBE
#define SIM_AUTOFD	PARPORT_CONTROL_AUTOFD
#define SIM_INIT	PARPORT_CONTROL_INIT
#define SIM_SELECT	PARPORT_CONTROL_SELECT

/* The extensibility request bits (IEEE 1284), as the host sends them. */
#define SIM_XREQ_BYTE		0x01
#define SIM_XREQ_DEVICEID	0x04
#define SIM_XREQ_ECP		0x10
#define SIM_XREQ_RLE		0x20
#define SIM_XREQ_EPP		0x40
#define SIM_XREQ_LINK		0x80

/* The longest run an ECP run-length count describes. */
#define SIM_RLE_MAX		128

/* Steps a single control write may take the model through, at most. */
#define SIM_MAX_STEPS		8

static const char *const sim_phase_names[] = {
	[SIM_PH_COMPAT] = "compat",
	[SIM_PH_NEG_REQUEST] = "negotiation",
	[SIM_PH_NEG_LATCHED] = "negotiation",
	[SIM_PH_REJECTED] = "rejected",
	[SIM_PH_TERMINATE] = "termination",
	[SIM_PH_NIBBLE] = "nibble",
	[SIM_PH_BYTE] = "byte",
	[SIM_PH_ECP_SETUP] = "ecp-setup",
	[SIM_PH_ECP_FWD] = "ecp-forward",
	[SIM_PH_ECP_REV] = "ecp-reverse",
	[SIM_PH_EPP] = "epp",
};

static bool sim_dead(const struct sim_model *m)
{
	return m->faults & (PARPORT_SIM_FAULT_OFF | PARPORT_SIM_FAULT_NOCABLE);
}

static void sim_set(struct sim_model *m, u8 line, bool high)
{
	if (high)
		m->lines |= line;
	else
		m->lines &= ~line;
}

/* The device that answers: the selected daisy-chain device, or the last. */
static const struct sim_id *sim_addressed_id(const struct sim_model *m)
{
	if (m->selected >= 0 && m->selected < m->chain_len)
		return &m->chain[m->selected];
	return &m->id;
}

/* Reverse bytes the host can still read. */
static size_t sim_rev_count(const struct sim_model *m)
{
	const struct sim_id *id;

	if (!m->devid)
		return m->rev_len;
	id = sim_addressed_id(m);
	if (!id->len || m->id_pos >= id->len + 2)
		return 0;
	return id->len + 2 - m->id_pos;
}

/* The reverse byte @off places after the next one; @off < sim_rev_count(). */
static u8 sim_rev_peek(const struct sim_model *m, size_t off)
{
	const struct sim_id *id;
	size_t pos, total;

	if (!m->devid)
		return m->rev[(m->rev_head + off) % PARPORT_SIM_REV_MAX];
	id = sim_addressed_id(m);
	total = id->len + 2;
	pos = m->id_pos + off;
	/* A device ID starts with its length, big-endian, counting itself. */
	if (pos == 0)
		return total >> 8;
	if (pos == 1)
		return total & 0xff;
	return id->str[pos - 2];
}

static void sim_rev_consume(struct sim_model *m, size_t n)
{
	n = min(n, sim_rev_count(m));
	if (m->devid) {
		m->id_pos += n;
		return;
	}
	m->rev_head = (m->rev_head + n) % PARPORT_SIM_REV_MAX;
	m->rev_len -= n;
}

/*
 * The writer of @n bytes being latched: the task whose port operation
 * drives the lines, merged into the last run if that is the same task.
 */
static void sim_note_writer(struct sim_model *m, unsigned int n)
{
	pid_t pid = in_task() ? task_pid_nr(current) : 0;
	struct parport_sim_writer *last;

	if (m->runs_lost) {
		m->runs_lost += n;
		return;
	}
	last = m->runs_len ? &m->runs[m->runs_len - 1] : NULL;
	if (last && last->pid == pid && last->count <= U32_MAX - n) {
		last->count += n;
		return;
	}
	if (m->runs_len == PARPORT_SIM_WRITERS_MAX) {
		m->runs_lost = n;
		return;
	}
	m->runs[m->runs_len].pid = pid;
	m->runs[m->runs_len].count = n;
	m->runs_len++;
}

static void sim_capture(struct sim_model *m, u8 byte, unsigned int times)
{
	if (times)
		sim_note_writer(m, times);
	while (times--) {
		if (m->fwd_len < PARPORT_SIM_FWD_MAX)
			m->fwd[m->fwd_len++] = byte;
		else
			m->fwd_dropped++;
	}
}

/* Back to compatibility mode, idle. */
static void sim_to_compat(struct sim_model *m)
{
	m->phase = SIM_PH_COMPAT;
	m->step = SIM_ST_IDLE;
	m->devid = false;
	m->rle = false;
	m->rle_sent = false;
	m->ecp_cmd = false;
	m->rle_run = 0;
	m->fwd_repeat = 0;
	m->strobing = false;
	m->cmd_strobe = false;
	m->epp_strobe = false;
	m->seq = SIM_SEQ_NONE;
	m->lines = SIM_L_NACK | SIM_L_SELECT | SIM_L_NFAULT;
	m->pdata = 0xff;
}

/* Compatibility mode's status lines, faults and daisy-chain answers included. */
static u8 sim_compat_lines(const struct sim_model *m)
{
	const u8 chain = SIM_L_NACK | SIM_L_PERROR | SIM_L_SELECT | SIM_L_NFAULT;
	u8 l = SIM_L_NACK | SIM_L_SELECT | SIM_L_NFAULT;

	switch (m->seq) {
	case SIM_SEQ_FF:
		return chain;
	case SIM_SEQ_87:
		return SIM_L_NACK | SIM_L_BUSY | SIM_L_SELECT | SIM_L_NFAULT;
	case SIM_SEQ_78:
		if (m->cmd_strobe)
			return m->cmd_ack ? chain : chain & ~SIM_L_NFAULT;
		if (m->assigned < m->chain_len)
			return m->assigned + 1 == m->chain_len ?
			       chain | SIM_L_BUSY : chain;
		break;
	default:
		break;
	}

	if (m->faults & PARPORT_SIM_FAULT_PAPEROUT)
		l = (l | SIM_L_PERROR) & ~SIM_L_NFAULT;
	if (m->faults & PARPORT_SIM_FAULT_OFFLINE)
		l &= ~(SIM_L_SELECT | SIM_L_NFAULT);
	if (m->faults & PARPORT_SIM_FAULT_ERROR)
		l &= ~SIM_L_NFAULT;
	if ((m->faults & PARPORT_SIM_FAULT_BUSY) || m->strobing)
		l |= SIM_L_BUSY;
	return l;
}

/* A strobed byte in daisy-chain command mode. */
static void sim_daisy_command(struct sim_model *m, u8 cmd)
{
	unsigned int i;

	m->cmd_ack = false;
	if (!(cmd & 0xf0)) {
		/* Assign Address, to the next device not yet numbered. */
		if (m->assigned < m->chain_len)
			m->chain_addr[m->assigned++] = cmd & 0x0f;
		return;
	}
	if (cmd == 0x30) {
		m->selected = -1;
		m->cmd_ack = true;
		return;
	}
	switch (cmd & 0xf0) {
	case 0xe0:
	case 0xd0:
	case 0x20:
		m->selected = -1;
		for (i = 0; i < m->chain_len; i++) {
			if (m->chain_addr[i] == (cmd & 0x0f)) {
				m->selected = i;
				m->cmd_ack = true;
				break;
			}
		}
		break;
	default:
		break;
	}
}

/* Data lines in compatibility mode: follow the 1284.3 command prefix. */
static void sim_daisy_data(struct sim_model *m, u8 data)
{
	static const u8 prefix[] = { 0xaa, 0x55, 0x00, 0xff, 0x87, 0x78 };

	BUILD_BUG_ON(ARRAY_SIZE(prefix) != SIM_SEQ_78);
	if (!m->chain_len || m->phase != SIM_PH_COMPAT) {
		m->seq = SIM_SEQ_NONE;
		return;
	}
	if (m->seq == SIM_SEQ_78) {
		if (data == 0xff)
			m->seq = SIM_SEQ_NONE;
		return;
	}
	if (data == prefix[m->seq]) {
		m->seq++;
		if (m->seq == SIM_SEQ_78)
			m->assigned = 0;
		return;
	}
	m->seq = data == prefix[0] ? SIM_SEQ_AA : SIM_SEQ_NONE;
}

static void sim_compat_strobe(struct sim_model *m)
{
	if (m->seq == SIM_SEQ_78) {
		sim_daisy_command(m, m->data);
		m->cmd_strobe = true;
		return;
	}
	/* The prefix is never strobed: a strobe makes it print data. */
	m->seq = SIM_SEQ_NONE;
	if (m->faults)
		return;
	sim_capture(m, m->data, 1);
	m->strobing = true;
}

static void sim_compat_unstrobe(struct sim_model *m)
{
	if (m->cmd_strobe) {
		m->cmd_strobe = false;
		return;
	}
	if (!m->strobing)
		return;
	m->strobing = false;
	/* The byte is taken: nAck pulses. */
	m->irq_pending++;
}

/* Which mode the extensibility byte asks for, and whether it is answered. */
static bool sim_accepts(const struct sim_model *m, u8 req,
			enum sim_phase *phase)
{
	if (req & SIM_XREQ_LINK)
		return false;
	if ((req & SIM_XREQ_DEVICEID) && !sim_addressed_id(m)->len)
		return false;

	switch (req & ~SIM_XREQ_DEVICEID) {
	case 0:
		*phase = SIM_PH_NIBBLE;
		return true;
	case SIM_XREQ_BYTE:
		*phase = SIM_PH_BYTE;
		return m->modes & PARPORT_SIM_MODE_BYTE;
	case SIM_XREQ_ECP:
	case SIM_XREQ_ECP | SIM_XREQ_RLE:
		*phase = SIM_PH_ECP_SETUP;
		return m->modes & PARPORT_SIM_MODE_ECP;
	case SIM_XREQ_EPP:
		*phase = SIM_PH_EPP;
		return !(req & SIM_XREQ_DEVICEID) &&
		       (m->modes & PARPORT_SIM_MODE_EPP);
	default:
		return false;
	}
}

/* Nibble and byte mode between transfers: nDataAvail and AckDataReq. */
static void sim_rev_idle_lines(struct sim_model *m)
{
	bool avail = sim_rev_count(m);

	m->lines = SIM_L_NACK | (m->xflag ? SIM_L_SELECT : 0) |
		   (avail ? SIM_L_PERROR : SIM_L_NFAULT);
}

/* Events 5 and 6: answer the extensibility byte latched at event 3. */
static void sim_negotiate_answer(struct sim_model *m)
{
	enum sim_phase phase = SIM_PH_REJECTED;
	u8 req = m->ext;

	if (!sim_accepts(m, req, &phase)) {
		m->phase = SIM_PH_REJECTED;
		m->xflag = false;
		m->lines = SIM_L_NACK | SIM_L_NFAULT;
		return;
	}

	m->phase = phase;
	m->step = SIM_ST_IDLE;
	m->xflag = req != 0;
	m->devid = req & SIM_XREQ_DEVICEID;
	m->id_pos = 0;
	m->rle = phase == SIM_PH_ECP_SETUP && (req & SIM_XREQ_RLE);
	m->rle_sent = false;
	m->ecp_cmd = false;
	switch (phase) {
	case SIM_PH_NIBBLE:
	case SIM_PH_BYTE:
		sim_rev_idle_lines(m);
		break;
	default:
		m->lines = SIM_L_NACK | SIM_L_SELECT | SIM_L_NFAULT;
		break;
	}
}

/* Events 22 to 24: the host ends the mode; nAck goes low. */
static void sim_terminate(struct sim_model *m)
{
	m->phase = SIM_PH_TERMINATE;
	m->lines = SIM_L_SELECT | SIM_L_NFAULT;
	m->pdata = 0xff;
}

static void sim_present_nibble(struct sim_model *m, u8 nibble)
{
	m->lines = (nibble & 1 ? SIM_L_NFAULT : 0) |
		   (nibble & 2 ? SIM_L_SELECT : 0) |
		   (nibble & 4 ? SIM_L_PERROR : 0) |
		   (nibble & 8 ? SIM_L_BUSY : 0);
}

static void sim_nibble_step(struct sim_model *m)
{
	bool autofd = m->ctrl & SIM_AUTOFD;

	switch (m->step) {
	case SIM_ST_IDLE:
		if (autofd && sim_rev_count(m)) {
			sim_present_nibble(m, sim_rev_peek(m, 0) & 0x0f);
			m->step = SIM_ST_FIRST;
		}
		break;
	case SIM_ST_FIRST:
		if (!autofd) {
			m->lines |= SIM_L_NACK;
			m->step = SIM_ST_FIRST_DONE;
		}
		break;
	case SIM_ST_FIRST_DONE:
		if (!autofd)
			break;
		if (!sim_rev_count(m)) {
			m->step = SIM_ST_IDLE;
			sim_rev_idle_lines(m);
			break;
		}
		sim_present_nibble(m, sim_rev_peek(m, 0) >> 4);
		m->step = SIM_ST_SECOND;
		break;
	case SIM_ST_SECOND:
		if (!autofd) {
			sim_rev_consume(m, 1);
			m->step = SIM_ST_IDLE;
			sim_rev_idle_lines(m);
		}
		break;
	}
}

static void sim_byte_step(struct sim_model *m, u8 rose)
{
	bool autofd = m->ctrl & SIM_AUTOFD;

	switch (m->step) {
	case SIM_ST_IDLE:
		if (autofd && sim_rev_count(m)) {
			m->pdata = sim_rev_peek(m, 0);
			m->lines &= ~SIM_L_NACK;
			m->step = SIM_ST_FIRST;
		}
		break;
	case SIM_ST_FIRST:
		if (!autofd) {
			m->lines |= SIM_L_NACK;
			m->step = SIM_ST_FIRST_DONE;
		}
		break;
	case SIM_ST_FIRST_DONE:
		/* Events 16 and 17: the host's nStrobe pulse takes the byte. */
		if (rose & SIM_STROBE) {
			sim_rev_consume(m, 1);
			m->step = SIM_ST_IDLE;
			sim_rev_idle_lines(m);
		}
		break;
	default:
		break;
	}
}

static bool sim_ecp_fwd_step(struct sim_model *m, u8 rose, u8 fell)
{
	u8 c = m->ctrl;

	if (!(c & SIM_INIT)) {
		/* Events 39 and 40: the host asks for the reverse channel. */
		m->phase = SIM_PH_ECP_REV;
		m->step = SIM_ST_IDLE;
		m->rle_sent = false;
		m->ecp_cmd = false;
		m->lines = SIM_L_NACK | SIM_L_SELECT | SIM_L_NFAULT;
		return true;
	}
	if (rose & SIM_STROBE) {
		if (c & SIM_AUTOFD) {
			/* A command: a channel address, or a run length. */
			if (m->data & 0x80)
				m->ecp_channel = m->data & 0x7f;
			else
				m->fwd_repeat = m->data + 1;
		} else {
			sim_capture(m, m->data, m->fwd_repeat ?: 1);
			m->fwd_repeat = 0;
		}
		sim_set(m, SIM_L_BUSY, true);
	}
	if (fell & SIM_STROBE)
		sim_set(m, SIM_L_BUSY, false);
	return false;
}

/* Event 43: put the next reverse byte (or run-length count) on the bus. */
static void sim_ecp_present(struct sim_model *m)
{
	size_t n = sim_rev_count(m), run = 1;
	u8 byte = sim_rev_peek(m, 0);

	m->step = SIM_ST_FIRST;
	if (m->rle && !m->rle_sent) {
		while (run < n && run < SIM_RLE_MAX &&
		       sim_rev_peek(m, run) == byte)
			run++;
		if (run > 1) {
			m->rle_run = run;
			m->ecp_cmd = true;
			m->pdata = run - 1;
			m->lines &= ~(SIM_L_NACK | SIM_L_BUSY);
			return;
		}
	}
	m->ecp_cmd = false;
	m->pdata = byte;
	m->lines = (m->lines | SIM_L_BUSY) & ~SIM_L_NACK;
}

/* Event 44: the host took what was presented. */
static void sim_ecp_taken(struct sim_model *m)
{
	if (m->ecp_cmd) {
		m->ecp_cmd = false;
		m->rle_sent = true;
		m->rle_runs++;
		return;
	}
	if (m->rle_sent) {
		sim_rev_consume(m, m->rle_run);
		m->rle_sent = false;
		m->rle_run = 0;
		return;
	}
	sim_rev_consume(m, 1);
}

static bool sim_ecp_rev_step(struct sim_model *m)
{
	bool autofd = m->ctrl & SIM_AUTOFD;

	if (m->ctrl & SIM_INIT) {
		/* Events 47 and 49: back to forward. */
		m->phase = SIM_PH_ECP_FWD;
		m->step = SIM_ST_IDLE;
		m->rle_sent = false;
		m->ecp_cmd = false;
		m->pdata = 0xff;
		m->lines = SIM_L_NACK | SIM_L_PERROR | SIM_L_SELECT |
			   SIM_L_NFAULT;
		return true;
	}

	switch (m->step) {
	case SIM_ST_FIRST:
		if (!autofd) {
			/* Events 44 and 45. */
			m->lines |= SIM_L_NACK;
			sim_ecp_taken(m);
			m->step = SIM_ST_FIRST_DONE;
		}
		break;
	case SIM_ST_FIRST_DONE:
		if (!autofd)
			break;
		/* Event 46. */
		m->step = SIM_ST_IDLE;
		fallthrough;
	case SIM_ST_IDLE:
		if (autofd && sim_rev_count(m))
			sim_ecp_present(m);
		break;
	default:
		break;
	}
	return false;
}

static bool sim_epp_step(struct sim_model *m, u8 rose, u8 fell)
{
	u8 c = m->ctrl;
	bool write = c & SIM_STROBE;

	if (!(c & SIM_INIT)) {
		/* Event 68. */
		sim_to_compat(m);
		return true;
	}
	if (rose & SIM_AUTOFD) {
		if (write) {
			sim_capture(m, m->data, 1);
		} else if (sim_rev_count(m)) {
			m->pdata = sim_rev_peek(m, 0);
			sim_rev_consume(m, 1);
		} else {
			return false;
		}
		m->epp_strobe = true;
	}
	if (rose & SIM_SELECT) {
		if (write)
			m->epp_addr = m->data;
		else
			m->pdata = m->epp_addr;
		m->epp_strobe = true;
	}
	if ((fell & (SIM_AUTOFD | SIM_SELECT)) &&
	    !(c & (SIM_AUTOFD | SIM_SELECT)))
		m->epp_strobe = false;
	sim_set(m, SIM_L_BUSY, m->epp_strobe);
	return false;
}

static bool sim_compat_step(struct sim_model *m, u8 rose, u8 fell)
{
	u8 c = m->ctrl;

	if (!(c & SIM_INIT)) {
		/* nInit low resets the peripheral. */
		sim_to_compat(m);
		return false;
	}
	if (rose & SIM_STROBE)
		sim_compat_strobe(m);
	if (fell & SIM_STROBE)
		sim_compat_unstrobe(m);

	/* Event 1: nSelectIn high and nAutoFd low ask for negotiation. */
	if (!(c & SIM_SELECT) && (c & SIM_AUTOFD) && !(c & SIM_STROBE) &&
	    (m->modes & PARPORT_SIM_MODE_NIBBLE)) {
		m->phase = SIM_PH_NEG_REQUEST;
		m->seq = SIM_SEQ_NONE;
		/* Event 2. */
		m->lines = SIM_L_PERROR | SIM_L_SELECT | SIM_L_NFAULT;
		return true;
	}
	return false;
}

/* One reaction to the control lines; true if the phase changed. */
static bool sim_step(struct sim_model *m, u8 rose, u8 fell)
{
	u8 c = m->ctrl;
	bool active = !(c & SIM_SELECT);

	switch (m->phase) {
	case SIM_PH_COMPAT:
		return sim_compat_step(m, rose, fell);
	case SIM_PH_NEG_REQUEST:
		if (!active) {
			sim_to_compat(m);
			return true;
		}
		if (c & SIM_STROBE) {
			/* Event 3. */
			m->ext = m->data;
			m->phase = SIM_PH_NEG_LATCHED;
			return true;
		}
		return false;
	case SIM_PH_NEG_LATCHED:
		if (!active) {
			sim_to_compat(m);
			return true;
		}
		if (!(c & (SIM_STROBE | SIM_AUTOFD))) {
			/* Event 4. */
			sim_negotiate_answer(m);
			return true;
		}
		return false;
	case SIM_PH_TERMINATE:
		if (c & SIM_AUTOFD) {
			/* Events 25 to 28. */
			sim_to_compat(m);
			return true;
		}
		return false;
	case SIM_PH_EPP:
		return sim_epp_step(m, rose, fell);
	default:
		break;
	}

	/* Every other mode ends with event 22. */
	if (!active) {
		sim_terminate(m);
		return true;
	}

	switch (m->phase) {
	case SIM_PH_NIBBLE:
		sim_nibble_step(m);
		return false;
	case SIM_PH_BYTE:
		sim_byte_step(m, rose);
		return false;
	case SIM_PH_ECP_SETUP:
		if (c & SIM_AUTOFD) {
			/* Events 30 and 31. */
			sim_set(m, SIM_L_PERROR, true);
			m->phase = SIM_PH_ECP_FWD;
			return true;
		}
		return false;
	case SIM_PH_ECP_FWD:
		return sim_ecp_fwd_step(m, rose, fell);
	case SIM_PH_ECP_REV:
		return sim_ecp_rev_step(m);
	default:
		return false;
	}
}

/**
 * sim_model_init() - set up a peripheral with the default configuration
 * @m: the model, zeroed
 *
 * The default peripheral speaks every mode, has no device ID, no faults
 * and no daisy chain.
 *
 * Return: 0, or -ENOMEM.
 */
int sim_model_init(struct sim_model *m)
{
	struct sim_forward *fwd;
	unsigned int i;

	/* Whoever frees m->fwd frees the writers with it. */
	BUILD_BUG_ON(offsetof(struct sim_forward, data) != 0);
	fwd = kvmalloc(sizeof(*fwd), GFP_KERNEL);
	m->rev = kvmalloc(PARPORT_SIM_REV_MAX, GFP_KERNEL);
	if (!fwd || !m->rev) {
		kvfree(fwd);
		kvfree(m->rev);
		m->rev = NULL;
		return -ENOMEM;
	}
	m->fwd = fwd->data;
	m->runs = fwd->runs;
	m->modes = PARPORT_SIM_MODE_ALL;
	m->ecp_channel = -1;
	for (i = 0; i < PARPORT_SIM_DAISY_MAX; i++)
		m->chain_addr[i] = -1;
	m->selected = -1;
	m->ctrl = SIM_SELECT | SIM_INIT;
	sim_to_compat(m);
	return 0;
}

/**
 * sim_model_release() - take the buffers and strings out of a peripheral
 * @m: the model
 * @bufs: receives the two buffers (the forward one with its writers)
 *	and the device ID strings, to free once the owner's lock is
 *	dropped; at least 2 + 1 + %PARPORT_SIM_DAISY_MAX slots
 *
 * Leaves a peripheral with nothing to send or keep.
 *
 * Return: how many pointers were put in @bufs (some may be NULL).
 */
unsigned int sim_model_release(struct sim_model *m, void **bufs)
{
	unsigned int i, n = 0;

	bufs[n++] = m->fwd;
	bufs[n++] = m->rev;
	bufs[n++] = m->id.str;
	for (i = 0; i < m->chain_len; i++)
		bufs[n++] = m->chain[i].str;
	m->fwd = NULL;
	m->rev = NULL;
	m->fwd_len = 0;
	m->rev_len = 0;
	m->runs = NULL;
	sim_model_clear_writers(m);
	m->id.str = NULL;
	m->id.len = 0;
	m->chain_len = 0;
	m->selected = -1;
	sim_to_compat(m);
	return n;
}

/**
 * sim_model_reset() - the port was just plugged in
 * @m: the model
 *
 * The host's lines go to their power-on state (nSelectIn low, nInit high,
 * data forward), the peripheral to compatibility mode, and the daisy
 * chain forgets its addresses, which the host assigns again. Queued
 * reverse data and received forward data stay.
 */
void sim_model_reset(struct sim_model *m)
{
	unsigned int i;

	m->data = 0;
	m->ctrl = SIM_SELECT | SIM_INIT;
	m->reverse = false;
	m->irq_pending = 0;
	for (i = 0; i < PARPORT_SIM_DAISY_MAX; i++)
		m->chain_addr[i] = -1;
	m->selected = -1;
	m->assigned = 0;
	sim_to_compat(m);
}

/**
 * sim_model_write_data() - the host drives the data lines
 * @m: the model
 * @data: the byte
 */
void sim_model_write_data(struct sim_model *m, u8 data)
{
	m->data = data;
	if (sim_dead(m)) {
		m->seq = SIM_SEQ_NONE;
		return;
	}
	sim_daisy_data(m, data);
}

/**
 * sim_model_write_control() - the host drives the control lines
 * @m: the model
 * @ctrl: PARPORT_CONTROL_* bits
 *
 * The peripheral reacts before this returns.
 */
void sim_model_write_control(struct sim_model *m, u8 ctrl)
{
	u8 old = m->ctrl, rose, fell;
	unsigned int i;

	ctrl &= SIM_CONTROL_MASK;
	m->ctrl = ctrl;
	if (sim_dead(m))
		return;
	rose = ctrl & ~old;
	fell = old & ~ctrl;
	/* nInit pulses (a reset), and how long the last one stayed low. */
	if (fell & SIM_INIT)
		m->init_fell_ns = ktime_get_ns();
	if (rose & SIM_INIT) {
		m->init_pulses++;
		m->init_low_ns = ktime_get_ns() - m->init_fell_ns;
	}
	for (i = 0; i < SIM_MAX_STEPS && sim_step(m, rose, fell); i++) {
		/* Later steps react to levels only. */
		rose = 0;
		fell = 0;
	}
}

/**
 * sim_model_set_reverse() - the host turns its data line drivers off or on
 * @m: the model
 * @reverse: true when the peripheral may drive the data lines
 */
void sim_model_set_reverse(struct sim_model *m, bool reverse)
{
	m->reverse = reverse;
}

/**
 * sim_model_read_data() - what the host reads on the data lines
 * @m: the model
 *
 * Return: the peripheral's byte while the host's drivers are off, else
 * the host's own byte.
 */
u8 sim_model_read_data(const struct sim_model *m)
{
	if (!m->reverse)
		return m->data;
	return sim_dead(m) ? 0xff : m->pdata;
}

/**
 * sim_model_read_status() - what the host reads on the status lines
 * @m: the model
 *
 * Return: the status register, PARPORT_STATUS_* bits.
 */
u8 sim_model_read_status(const struct sim_model *m)
{
	u8 lines;

	if (m->faults & PARPORT_SIM_FAULT_NOCABLE)
		lines = SIM_L_ALL;
	else if (m->faults & PARPORT_SIM_FAULT_OFF)
		lines = 0;
	else if (m->phase == SIM_PH_COMPAT)
		lines = sim_compat_lines(m);
	else
		lines = m->lines;
	return lines ^ SIM_L_BUSY;
}

/**
 * sim_model_set_faults() - change the peripheral's faults
 * @m: the model
 * @faults: PARPORT_SIM_FAULT_* bits
 *
 * A peripheral that comes back from being off or disconnected starts
 * over, in compatibility mode, without daisy-chain addresses.
 */
void sim_model_set_faults(struct sim_model *m, unsigned int faults)
{
	bool was_dead = sim_dead(m);
	unsigned int i;

	m->faults = faults & PARPORT_SIM_FAULT_ALL;
	if (!was_dead || sim_dead(m))
		return;
	for (i = 0; i < PARPORT_SIM_DAISY_MAX; i++)
		m->chain_addr[i] = -1;
	m->selected = -1;
	sim_to_compat(m);
}

/**
 * sim_model_set_chain() - replace the daisy chain
 * @m: the model
 * @ids: the new devices' IDs, taken over by the model; on return it holds
 *	the old ones, for the caller to free
 * @count: how many devices, at most %PARPORT_SIM_DAISY_MAX
 *
 * The new devices have no addresses until the host assigns them.
 */
void sim_model_set_chain(struct sim_model *m, struct sim_id *ids,
			 unsigned int count)
{
	struct sim_id old[PARPORT_SIM_DAISY_MAX] = {};
	unsigned int i;

	for (i = 0; i < m->chain_len; i++)
		old[i] = m->chain[i];
	for (i = 0; i < PARPORT_SIM_DAISY_MAX; i++) {
		m->chain[i] = i < count ? ids[i] : (struct sim_id){};
		ids[i] = old[i];
		m->chain_addr[i] = -1;
	}
	m->chain_len = count;
	m->selected = -1;
	m->assigned = 0;
	m->seq = SIM_SEQ_NONE;
}

/**
 * sim_model_queue() - give the peripheral reverse data to send
 * @m: the model
 * @buf: the bytes
 * @len: how many
 *
 * In nibble or byte mode the peripheral then says that data waits
 * (nDataAvail low) and, if the host waits in reverse idle, pulses nAck
 * (events 18 and 19). In ECP reverse with the host ready it presents the
 * first byte at once.
 *
 * Return: the bytes queued, fewer than @len if the queue is full.
 */
size_t sim_model_queue(struct sim_model *m, const u8 *buf, size_t len)
{
	size_t n = min(len, PARPORT_SIM_REV_MAX - m->rev_len), i;
	bool was_empty = !sim_rev_count(m);

	for (i = 0; i < n; i++)
		m->rev[(m->rev_head + m->rev_len + i) % PARPORT_SIM_REV_MAX] =
			buf[i];
	m->rev_len += n;
	if (!n || !was_empty || m->devid || sim_dead(m))
		return n;

	switch (m->phase) {
	case SIM_PH_NIBBLE:
	case SIM_PH_BYTE:
		if (m->step != SIM_ST_IDLE)
			break;
		sim_rev_idle_lines(m);
		if (m->ctrl & SIM_AUTOFD)
			m->irq_pending++;
		break;
	case SIM_PH_ECP_REV:
		if (m->step == SIM_ST_IDLE && (m->ctrl & SIM_AUTOFD))
			sim_ecp_present(m);
		break;
	default:
		break;
	}
	return n;
}

/**
 * sim_model_peek_reverse() - copy the reverse data still queued
 * @m: the model
 * @buf: where to copy
 * @len: room in @buf
 *
 * Return: the bytes copied.
 */
size_t sim_model_peek_reverse(const struct sim_model *m, u8 *buf, size_t len)
{
	size_t n = min(len, m->rev_len), i;

	for (i = 0; i < n; i++)
		buf[i] = m->rev[(m->rev_head + i) % PARPORT_SIM_REV_MAX];
	return n;
}

/**
 * sim_model_clear_writers() - forget the writers of the forward bytes
 * @m: the model
 */
void sim_model_clear_writers(struct sim_model *m)
{
	m->runs_len = 0;
	m->runs_lost = 0;
}

/**
 * sim_model_phase_name() - the peripheral's phase, for people
 * @m: the model
 *
 * Return: a short constant string.
 */
const char *sim_model_phase_name(const struct sim_model *m)
{
	if (sim_dead(m))
		return m->faults & PARPORT_SIM_FAULT_OFF ? "off" : "no-cable";
	return sim_phase_names[m->phase];
}
