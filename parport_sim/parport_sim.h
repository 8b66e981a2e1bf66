/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parport_sim: a parallel port whose peripheral is modelled in software.
 *
 * This is the interface for other kernel code, such as a KUnit suite, that
 * builds simulated ports. User space has the same controls through
 * debugfs (see README.md, "The simulated port").
 */
#ifndef _PARPORT_SIM_H
#define _PARPORT_SIM_H

#include <linux/bits.h>
#include <linux/types.h>

struct parport;
struct parport_sim;

/*
 * The IEEE 1284 modes the peripheral answers, besides compatibility mode.
 * Any of them makes the peripheral IEEE 1284 compliant, and a compliant
 * peripheral always speaks nibble mode, so nibble mode comes with any
 * other. With none the peripheral ignores negotiation entirely.
 */
/** PARPORT_SIM_MODE_NIBBLE - nibble mode reverse transfers */
#define PARPORT_SIM_MODE_NIBBLE		BIT(0)
/** PARPORT_SIM_MODE_BYTE - byte mode reverse transfers */
#define PARPORT_SIM_MODE_BYTE		BIT(1)
/** PARPORT_SIM_MODE_ECP - ECP, with and without run-length encoding */
#define PARPORT_SIM_MODE_ECP		BIT(2)
/** PARPORT_SIM_MODE_EPP - EPP data and address cycles */
#define PARPORT_SIM_MODE_EPP		BIT(3)
/** PARPORT_SIM_MODE_ALL - every mode the model knows */
#define PARPORT_SIM_MODE_ALL		GENMASK(3, 0)

/*
 * Faults, and the status lines they show in compatibility mode (a line
 * named with a leading n is active low):
 */
/** PARPORT_SIM_FAULT_PAPEROUT - paper empty: PError high, nFault low */
#define PARPORT_SIM_FAULT_PAPEROUT	BIT(0)
/** PARPORT_SIM_FAULT_OFFLINE - off-line (deselected): Select low, nFault low */
#define PARPORT_SIM_FAULT_OFFLINE	BIT(1)
/** PARPORT_SIM_FAULT_ERROR - any other error: nFault low */
#define PARPORT_SIM_FAULT_ERROR		BIT(2)
/** PARPORT_SIM_FAULT_BUSY - stuck busy: Busy high, strobes ignored */
#define PARPORT_SIM_FAULT_BUSY		BIT(3)
/** PARPORT_SIM_FAULT_OFF - powered off: every status line low, no answers */
#define PARPORT_SIM_FAULT_OFF		BIT(4)
/** PARPORT_SIM_FAULT_NOCABLE - nothing connected: every line pulled high */
#define PARPORT_SIM_FAULT_NOCABLE	BIT(5)
/** PARPORT_SIM_FAULT_ALL - every fault */
#define PARPORT_SIM_FAULT_ALL		GENMASK(5, 0)

/** PARPORT_SIM_NAME_MAX - longest name of a simulated port */
#define PARPORT_SIM_NAME_MAX		31
/**
 * PARPORT_SIM_ID_MAX - longest device ID string of the device at the end
 * of the cable (without its length bytes): what a 16-bit length allows
 */
#define PARPORT_SIM_ID_MAX		65533
/** PARPORT_SIM_DAISY_ID_MAX - longest device ID of a daisy-chain device */
#define PARPORT_SIM_DAISY_ID_MAX	1020
/** PARPORT_SIM_DAISY_MAX - most IEEE 1284.3 daisy-chain devices */
#define PARPORT_SIM_DAISY_MAX		4
/** PARPORT_SIM_FWD_MAX - forward bytes kept for reading back */
#define PARPORT_SIM_FWD_MAX		(64 * 1024)
/** PARPORT_SIM_REV_MAX - reverse bytes that can wait for the host */
#define PARPORT_SIM_REV_MAX		(64 * 1024)
/**
 * PARPORT_SIM_WRITERS_MAX - runs of forward bytes whose writer is kept
 *	(see &struct parport_sim_writer)
 */
#define PARPORT_SIM_WRITERS_MAX		4096

/**
 * struct parport_sim_writer - forward bytes latched from one writer in a row
 * @pid: the task whose port operation made the peripheral latch them: its
 *	thread ID (gettid()) as the initial pid namespace numbers it; 0 for
 *	bytes latched outside task context
 * @count: how many bytes, one or more
 *
 * The peripheral records the writer of every forward data byte it
 * latches, in the order it latches them (kept in the forward buffer or
 * dropped), merging consecutive bytes of one writer into one run; the
 * runs' counts add up to &struct parport_sim_info.forward_len plus
 * &struct parport_sim_info.forward_dropped. When
 * %PARPORT_SIM_WRITERS_MAX runs are kept, the writers of later bytes are
 * not recorded, only counted (&struct parport_sim_info.writers_lost),
 * until the record is cleared.
 */
struct parport_sim_writer {
	pid_t pid;
	u32 count;
};

/**
 * struct parport_sim_info - a snapshot of a simulated port
 * @plugged: the port is registered with the parport core
 * @number: the port's number (parportN) while plugged, else -1
 * @plugs: how many times the port was plugged
 * @irq: the interrupt the port reports, or -1 (PARPORT_IRQ_NONE)
 * @modes: the PARPORT_SIM_MODE_* the peripheral answers
 * @faults: the PARPORT_SIM_FAULT_* it shows
 * @daisy_count: daisy-chain devices
 * @phase: the peripheral's IEEE 1284 phase, as a short name
 * @selected: the selected daisy-chain device, or -1 for none
 * @ecp_channel: the last ECP channel address the host sent, or -1
 * @epp_addr: the EPP address register
 * @control: the control lines as the host wrote them (PARPORT_CONTROL_*)
 * @status: the status register as the host reads it now (PARPORT_STATUS_*)
 * @forward_len: forward bytes kept for reading back
 * @forward_dropped: forward bytes lost because the buffer was full
 * @reverse_len: reverse bytes still waiting for the host
 * @irqs: interrupts delivered to the parport core
 * @refs_returned: module references given back on behalf of devices that
 *	were still registered when the port was unplugged (see
 *	parport_sim_unplug())
 * @init_pulses: nInit pulses (low, then high) the peripheral has seen
 * @init_low_ns: how long the last one kept nInit low
 * @rle_runs: ECP run-length counts the peripheral has sent the host
 * @writers: runs of forward bytes whose writer is recorded (see &struct
 *	parport_sim_writer)
 * @writers_lost: forward bytes latched while that record was full, whose
 *	writer is not recorded
 */
struct parport_sim_info {
	bool plugged;
	int number;
	unsigned int plugs;
	int irq;
	unsigned int modes;
	unsigned int faults;
	unsigned int daisy_count;
	const char *phase;
	int selected;
	int ecp_channel;
	u8 epp_addr;
	u8 control;
	u8 status;
	size_t forward_len;
	unsigned long forward_dropped;
	size_t reverse_len;
	unsigned long irqs;
	unsigned long refs_returned;
	unsigned long init_pulses;
	u64 init_low_ns;
	unsigned long rle_runs;
	size_t writers;
	unsigned long writers_lost;
};

struct parport_sim *parport_sim_create(const char *name);
void parport_sim_destroy(struct parport_sim *sim);
int parport_sim_plug(struct parport_sim *sim);
void parport_sim_unplug(struct parport_sim *sim);
struct parport *parport_sim_port(struct parport_sim *sim);
void parport_sim_get_info(struct parport_sim *sim,
			  struct parport_sim_info *info);
int parport_sim_set_device_id(struct parport_sim *sim, const char *id,
			      size_t len);
int parport_sim_set_daisy(struct parport_sim *sim, unsigned int count,
			  const char *const *ids);
void parport_sim_set_modes(struct parport_sim *sim, unsigned int modes);
void parport_sim_set_faults(struct parport_sim *sim, unsigned int faults);
int parport_sim_set_irq(struct parport_sim *sim, int irq);
int parport_sim_queue_reverse(struct parport_sim *sim, const void *buf,
			      size_t len);
size_t parport_sim_read_forward(struct parport_sim *sim, void *buf,
				size_t len);
void parport_sim_clear_forward(struct parport_sim *sim);
size_t parport_sim_read_writers(struct parport_sim *sim,
				struct parport_sim_writer *runs, size_t max,
				unsigned long *lost);
void parport_sim_clear_writers(struct parport_sim *sim);
void parport_sim_interrupt(struct parport_sim *sim);
void parport_sim_sync_irq(struct parport_sim *sim);

#endif /* _PARPORT_SIM_H */
