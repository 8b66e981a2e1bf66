/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parport_sim: private definitions shared by the module's files.
 *
 * model.c is the peripheral (a state machine driven by the lines the host
 * writes), port.c the parport low-level driver around it, main.c the
 * registry of simulated ports and the exported interface, debugfs.c the
 * control files.
 */
#ifndef _PARPORT_SIM_SIM_H
#define _PARPORT_SIM_SIM_H

#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/workqueue.h>

#include "parport_sim.h"

struct dentry;
struct parport;
struct platform_device;

/*
 * Status lines as levels (1 = high), in the bit positions of the status
 * register. The register reads the Busy line inverted, so
 * status = lines ^ SIM_L_BUSY.
 */
#define SIM_L_NFAULT	0x08
#define SIM_L_SELECT	0x10
#define SIM_L_PERROR	0x20
#define SIM_L_NACK	0x40
#define SIM_L_BUSY	0x80
#define SIM_L_ALL	0xf8

/* The control lines a port has (the rest of a PC control register is not). */
#define SIM_CONTROL_MASK	0x0f

/* The peripheral's IEEE 1284 phase. */
enum sim_phase {
	SIM_PH_COMPAT,		/* compatibility mode */
	SIM_PH_NEG_REQUEST,	/* event 2 given, waiting for nStrobe low */
	SIM_PH_NEG_LATCHED,	/* request latched, waiting for event 4 */
	SIM_PH_REJECTED,	/* mode refused, waiting for termination */
	SIM_PH_TERMINATE,	/* event 24 given, waiting for nAutoFd low */
	SIM_PH_NIBBLE,		/* nibble mode, reverse */
	SIM_PH_BYTE,		/* byte mode, reverse */
	SIM_PH_ECP_SETUP,	/* ECP accepted, waiting for event 30 */
	SIM_PH_ECP_FWD,		/* ECP, forward */
	SIM_PH_ECP_REV,		/* ECP, reverse */
	SIM_PH_EPP,		/* EPP */
};

/* Where a reverse handshake stands. */
enum sim_step {
	SIM_ST_IDLE,		/* nothing presented */
	SIM_ST_FIRST,		/* (first nibble of) a byte presented, nAck low */
	SIM_ST_FIRST_DONE,	/* host acknowledged it, nAck high again */
	SIM_ST_SECOND,		/* second nibble presented, nAck low */
};

/* Progress through the IEEE 1284.3 command prefix AA 55 00 FF 87 78. */
enum sim_seq {
	SIM_SEQ_NONE,
	SIM_SEQ_AA,
	SIM_SEQ_55,
	SIM_SEQ_00,
	SIM_SEQ_FF,
	SIM_SEQ_87,
	SIM_SEQ_78,		/* command mode: strobed bytes are commands */
};

/* A device ID string, without the two length bytes. */
struct sim_id {
	char *str;
	size_t len;
};

/**
 * struct sim_forward - the forward bytes received, and their writers
 * @data: the bytes, oldest first (&sim_model.fwd points here)
 * @runs: who latched them (&sim_model.runs points here)
 *
 * One allocation, freed through &sim_model.fwd: @data comes first.
 */
struct sim_forward {
	u8 data[PARPORT_SIM_FWD_MAX];
	struct parport_sim_writer runs[PARPORT_SIM_WRITERS_MAX];
};

/**
 * struct sim_model - the simulated peripheral
 * @modes: PARPORT_SIM_MODE_* it answers
 * @faults: PARPORT_SIM_FAULT_* it shows
 * @id: the device ID of the device at the end of the cable
 * @chain: the device IDs of the IEEE 1284.3 daisy-chain devices
 * @chain_len: how many daisy-chain devices there are
 * @data: the data lines as the host drives them
 * @ctrl: the control lines as the host drives them
 * @reverse: the host's data line drivers are off
 * @lines: the status lines outside compatibility mode (SIM_L_*)
 * @pdata: the data lines as the peripheral drives them
 * @phase: IEEE 1284 phase
 * @step: progress of the current reverse handshake
 * @ext: the extensibility byte of the last negotiation
 * @devid: the reverse channel carries the device ID
 * @xflag: the Select line's answer to the last negotiation
 * @rle: ECP with run-length encoding was negotiated
 * @rle_sent: a run-length count was acknowledged; its byte comes next
 * @ecp_cmd: the byte presented in ECP reverse is a run-length count
 * @rle_run: bytes the run being sent stands for
 * @rle_runs: run-length counts sent to the host, in all
 * @fwd_repeat: times the next forward ECP data byte counts (run length)
 * @strobing: a compatibility-mode byte is being strobed (Busy high)
 * @cmd_strobe: a daisy-chain command is being strobed
 * @cmd_ack: the daisy-chain command being strobed was understood
 * @epp_strobe: an EPP cycle is in progress (nWait high)
 * @ecp_channel: last ECP channel address received, or -1
 * @epp_addr: EPP address register
 * @init_pulses: nInit pulses seen (nInit low, then high again)
 * @init_fell_ns: when nInit last went low (ktime_get_ns())
 * @init_low_ns: how long the last pulse kept nInit low
 * @seq: progress through the 1284.3 command prefix
 * @assigned: daisy-chain addresses assigned since the last prefix
 * @chain_addr: each chain device's address, or -1 before assignment
 * @selected: the selected chain device, or -1
 * @id_pos: bytes of the device ID (with its length) already sent
 * @rev: reverse data waiting for the host (a ring)
 * @rev_head: index of the oldest byte in @rev
 * @rev_len: bytes in @rev
 * @fwd: forward data received
 * @fwd_len: bytes in @fwd
 * @fwd_dropped: forward bytes that did not fit in @fwd
 * @runs: the writers of the forward bytes latched (dropped ones too),
 *	oldest first, consecutive bytes of one writer merged; in @fwd's
 *	allocation (&struct sim_forward)
 * @runs_len: entries in @runs
 * @runs_lost: forward bytes latched with @runs full, whose writer is not
 *	recorded; while not 0 no writer is recorded, so that @runs never
 *	skips a byte
 * @irq_pending: nAck pulses not yet turned into interrupts
 *
 * The owner's lock (&parport_sim.lock) covers every field.
 */
struct sim_model {
	unsigned int modes;
	unsigned int faults;
	struct sim_id id;
	struct sim_id chain[PARPORT_SIM_DAISY_MAX];
	unsigned int chain_len;

	u8 data;
	u8 ctrl;
	bool reverse;

	u8 lines;
	u8 pdata;
	enum sim_phase phase;
	enum sim_step step;
	u8 ext;
	bool devid;
	bool xflag;
	bool rle;
	bool rle_sent;
	bool ecp_cmd;
	unsigned int rle_run;
	unsigned long rle_runs;
	unsigned int fwd_repeat;
	bool strobing;
	bool cmd_strobe;
	bool cmd_ack;
	bool epp_strobe;
	int ecp_channel;
	u8 epp_addr;
	unsigned long init_pulses;
	u64 init_fell_ns;
	u64 init_low_ns;

	enum sim_seq seq;
	unsigned int assigned;
	int chain_addr[PARPORT_SIM_DAISY_MAX];
	int selected;

	unsigned int id_pos;
	u8 *rev;
	size_t rev_head;
	size_t rev_len;
	u8 *fwd;
	size_t fwd_len;
	unsigned long fwd_dropped;
	struct parport_sim_writer *runs;
	size_t runs_len;
	unsigned long runs_lost;

	unsigned int irq_pending;
};

struct sim_dead_port;

/**
 * struct parport_sim - one simulated port and its peripheral
 * @node: entry in the registry of simulated ports (sim_list_lock)
 * @name: the name chosen at creation, also the debugfs directory's
 * @id: small number unique among live simulated ports; gives the base
 *	address and the platform device's name
 * @ctl_lock: serialises plugging and unplugging
 * @lock: covers @model, @port, @irq, @irq_enabled, @irq_queued, @irqs,
 *	@refs_returned, @plugs and @gone (@port and @irq change with
 *	@ctl_lock held too); taken with interrupts off, since the
 *	parport core calls the port operations with interrupts off, and
 *	from interrupt handlers
 * @model: the peripheral
 * @port: the registered port while plugged, else NULL
 * @irq: the interrupt number the port reports, or PARPORT_IRQ_NONE
 * @irq_enabled: the host enabled the port's interrupt
 * @irq_queued: interrupts waiting for @irq_work
 * @irq_work: delivers the interrupts (see sim_port_irq_work())
 * @irqs: interrupts delivered
 * @refs_returned: module references returned at unplug
 * @plugs: times plugged
 * @retire: while plugged, what keeps the port's number once it is
 *	unplugged (allocated at the plug, so that the unplug cannot fail;
 *	ctl_lock)
 * @dead: destroyed; never plugged again (ctl_lock)
 * @gone: destroyed; the model has no buffers any more (lock)
 * @destroyed: destroy has begun (sim_list_lock)
 * @pdev: the platform device that is the port's parent device
 * @dir: the debugfs directory
 */
struct parport_sim {
	struct list_head node;
	char name[PARPORT_SIM_NAME_MAX + 1];
	int id;
	/* serialises plugging and unplugging */
	struct mutex ctl_lock;
	/* the model and the port's state; see above */
	spinlock_t lock;
	struct sim_model model;
	struct parport *port;
	int irq;
	bool irq_enabled;
	unsigned int irq_queued;
	struct work_struct irq_work;
	unsigned long irqs;
	unsigned long refs_returned;
	unsigned int plugs;
	struct sim_dead_port *retire;
	bool dead;
	bool gone;
	bool destroyed;
	struct platform_device *pdev;
	struct dentry *dir;
};

/* model.c */
int sim_model_init(struct sim_model *m);
unsigned int sim_model_release(struct sim_model *m, void **bufs);
void sim_model_reset(struct sim_model *m);
void sim_model_write_data(struct sim_model *m, u8 data);
void sim_model_write_control(struct sim_model *m, u8 ctrl);
void sim_model_set_reverse(struct sim_model *m, bool reverse);
u8 sim_model_read_data(const struct sim_model *m);
u8 sim_model_read_status(const struct sim_model *m);
void sim_model_set_faults(struct sim_model *m, unsigned int faults);
void sim_model_set_chain(struct sim_model *m, struct sim_id *ids,
			 unsigned int count);
size_t sim_model_queue(struct sim_model *m, const u8 *buf, size_t len);
size_t sim_model_peek_reverse(const struct sim_model *m, u8 *buf,
			      size_t len);
const char *sim_model_phase_name(const struct sim_model *m);
void sim_model_clear_writers(struct sim_model *m);

/* port.c */
extern struct parport_operations sim_port_ops;
int sim_port_plug(struct parport_sim *sim);
void sim_port_unplug(struct parport_sim *sim);
void sim_port_kick(struct parport_sim *sim);
unsigned int sim_port_reap(bool all);
void sim_port_irq_work(struct work_struct *work);

/* main.c */
struct parport_sim *sim_take(const char *name);
void sim_destroy_taken(struct parport_sim *sim);
size_t sim_copy_id(struct parport_sim *sim, int which, char *buf,
		   size_t size);

/* debugfs.c */
void sim_debugfs_init(void);
void sim_debugfs_stop(void);
void sim_debugfs_exit(void);
void sim_debugfs_add(struct parport_sim *sim);
void sim_debugfs_remove(struct parport_sim *sim);

#endif /* _PARPORT_SIM_SIM_H */
