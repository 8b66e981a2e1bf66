/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parclass: declarations shared by the module's files and its KUnit tests.
 *
 * Objects and their lifetimes:
 *
 * - struct parclass_port: one per parport parclass knows. Referenced by
 *   the port table (until the port goes away), by every session on it,
 *   by its arbiter's linger work while that is queued, and by a retired
 *   arbiter until no parport_release() can reach it (port.c).
 * - struct parclass_session: one per CONNECT. Referenced by its file's
 *   session table (until DISCONNECT or close), by its idle work while
 *   queued, and by whoever must keep it past a command. A command in
 *   flight counts in its @users instead, which keeps the table's
 *   reference: teardown waits for the commands before it drops it. Freed
 *   an RCU grace period after its last reference, so that a token lookup
 *   may read it under rcu_read_lock(). Owns a pardevice from its first
 *   ALLOCATE until it has been idle a while, or is disconnected or
 *   revoked.
 * - struct parclass_file: one per open() of /dev/parclass. Owns its
 *   sessions; a token means nothing through any other file.
 *
 * Lock order, outermost first:
 *   parport core registration_lock (detach)
 *   parclass_ports_lock
 *   parclass_port.sessions_lock
 *   a session's use (a command's, counted in its @users; teardown waits
 *	for them, so lockdep follows it as a lock, "&s->use")
 *   parclass_session.claim_lock
 *   parclass_port.arbiter_lock
 *   a file's session table's xa_lock (parclass_file_cancel(), publishing
 *	a session)
 *   parclass_port.lock
 *   parport core cad_lock, waitlist_lock
 *   parclass_session.event_lock
 *   the file's event wait queue's lock (in wake_up)
 * parport_release() is never called with parclass_port.lock held: it calls
 * parclass's wakeup callback, which takes that lock (FREE calls it with
 * interrupts still off from that lock, but on PREEMPT_RT, and no parclass
 * lock held). FREE may wait, holding only its command's use of the
 * session, on the session's wq for its register reads, which take only
 * parclass_port.lock. event_lock is also
 * taken under a file's xa_lock (read()) and under sessions_lock (port
 * removal), and in the port's interrupt handler under cad_lock; it never
 * has parclass_port.lock or cad_lock inside it. debugfs's sessions file
 * takes parclass_ports_lock, then each port's sessions_lock, then its
 * lock, in the order above.
 */
#ifndef _PARCLASS_H
#define _PARCLASS_H

#include <linux/atomic.h>
#include <linux/bits.h>
#include <linux/kref.h>
#include <linux/ktime.h>
#include <linux/list.h>
#include <linux/lockdep.h>
#include <linux/mutex.h>
#include <linux/parport.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>
#include <linux/wait_bit.h>
#include <linux/workqueue.h>
#include <linux/xarray.h>
#include <uapi/linux/parclass.h>

#include "compat.h"

#define PARCLASS_VERSION "0.2.0"

/* Number of rows in the dispatch table: the highest command number + 1. */
#define PARCLASS_CMD_COUNT (PARCLASS_CMD_INTERRUPTS + 1)

/* Every feature bit this build of the module provides. */
#define PARCLASS_FEATURES \
	(PARCLASS_FEATURE_VERSION | PARCLASS_FEATURE_SESSIONS | \
	 PARCLASS_FEATURE_WRITE | PARCLASS_FEATURE_INFORMATION | \
	 PARCLASS_FEATURE_DEVICE_ID | PARCLASS_FEATURE_PINS | \
	 PARCLASS_FEATURE_MODES | PARCLASS_FEATURE_CHIP_MODE | \
	 PARCLASS_FEATURE_LOCK | PARCLASS_FEATURE_DAISY | \
	 PARCLASS_FEATURE_ASYNC | PARCLASS_FEATURE_INTERRUPTS)

/*
 * Session tokens: slot (the index in the file's table) in the low bits,
 * then the table's generation, then random bits. A slot is handed out
 * again only after the table's cyclic allocator wraps, and each wrap
 * bumps the generation, so a (generation, slot) pair repeats only after
 * 2^40 CONNECTs on one file; the random part makes tokens unguessable.
 */
#define PARCLASS_TOKEN_SLOT_BITS	24
#define PARCLASS_TOKEN_GEN_BITS		16
#define PARCLASS_TOKEN_RAND_BITS	24
#define PARCLASS_TOKEN_SLOT_MAX		((1U << PARCLASS_TOKEN_SLOT_BITS) - 1)

/**
 * parclass_token_encode() - build a token
 * @slot: index in the file's table
 * @generation: the table's generation when the slot was handed out
 * @random: random bits
 *
 * Only the low PARCLASS_TOKEN_*_BITS of each part are used.
 *
 * Return: the token.
 */
static inline u64 parclass_token_encode(u32 slot, u32 generation, u32 random)
{
	u64 gen = generation & ((1U << PARCLASS_TOKEN_GEN_BITS) - 1);
	u64 rnd = random & ((1U << PARCLASS_TOKEN_RAND_BITS) - 1);

	return (u64)(slot & PARCLASS_TOKEN_SLOT_MAX) |
	       gen << PARCLASS_TOKEN_SLOT_BITS |
	       rnd << (PARCLASS_TOKEN_SLOT_BITS + PARCLASS_TOKEN_GEN_BITS);
}

/**
 * parclass_token_slot() - the table slot a token names
 * @token: the token
 *
 * Return: the slot.
 */
static inline u32 parclass_token_slot(u64 token)
{
	return token & PARCLASS_TOKEN_SLOT_MAX;
}

/**
 * parclass_token_generation() - the table generation a token was made in
 * @token: the token
 *
 * Return: the generation's low PARCLASS_TOKEN_GEN_BITS.
 */
static inline u32 parclass_token_generation(u64 token)
{
	return (token >> PARCLASS_TOKEN_SLOT_BITS) &
	       ((1U << PARCLASS_TOKEN_GEN_BITS) - 1);
}

/**
 * enum parclass_alloc_state - where a session stands with its port
 * @PARCLASS_IDLE: connected, neither holding nor waiting
 * @PARCLASS_WAITING: in ALLOCATE, queued on &parclass_port.waiters
 * @PARCLASS_HELD: holds the port (its pardevice is the port's cad)
 * @PARCLASS_CANCELLED: CANCEL withdrew a blocking ALLOCATE whose thread
 *	has not returned yet; that thread makes it %PARCLASS_IDLE
 */
enum parclass_alloc_state {
	PARCLASS_IDLE,
	PARCLASS_WAITING,
	PARCLASS_HELD,
	PARCLASS_CANCELLED,
};

/**
 * struct parclass_port - parclass's view of one parport
 * @kref: references: the port table's and one per session
 * @port: the parport, referenced with parport_get_port()
 * @lock: covers @holder, @waiters, @removed, and the @state,
 *	@wait_entry, @dead, @xfer, @reading, @freeing, @alloc_pid,
 *	@alloc_comm, @wait_since and @held_since of every session on the
 *	port (and, with its claim_lock, its @pardev; and the setting of its
 *	@releasing). A spinlock taken with interrupts off, because the
 *	parport core's wakeup callback may run in any context.
 * @holder: the session holding the port, or NULL
 * @waiters: sessions waiting in ALLOCATE, oldest first
 * @removed: the port went away; set once, never cleared
 * @sessions_lock: covers @sessions, @nr_sessions and @leaving; a mutex,
 *	never taken inside @lock
 * @sessions: every session connected to the port and not yet revoked
 * @nr_sessions: length of @sessions
 * @leaving: sessions taken off @sessions by DISCONNECT or close whose
 *	pardevice may not be unregistered yet; read with READ_ONCE() by
 *	port removal, which waits on @leave_wq until it is 0
 * @leave_wq: woken when @leaving drops to 0
 * @arbiter_lock: covers @arbiter, @arbiter_id, @arbiter_users, @spare
 *	and @spare_id; a mutex, taken inside a session's claim_lock and
 *	never around any other parclass lock
 * @arbiter: parclass's pardevice that receives the parport core's wakeup
 *	calls for this port, or NULL; registered when a session must wait,
 *	kept while @arbiter_users > 0 and for PARCLASS_ARBITER_LINGER_MS
 *	(port.c) after. Written under @arbiter_lock with WRITE_ONCE();
 *	ALLOCATE reads it with READ_ONCE() under @lock, where a session
 *	with a pardevice sees it stay non-NULL once it is
 * @arbiter_users: sessions of the port that have a pardevice
 * @arbiter_id: its pardevice id
 * @arbiter_linger: unregisters the arbiter once the port has had no
 *	session for a while; holds a reference to the entry while queued
 * @spare: a pardevice a session let go of (idle, DISCONNECT or close),
 *	released, with no callback but preempt's; the next session that
 *	needs a pardevice takes it instead of registering one. At most one
 *	per port; it goes with the arbiter
 * @spare_id: its pardevice id
 * @devid_done: when the last device-ID query on the port ended; read and
 *	written only by the session holding the port, in a transfer
 * @daisy_count: IEEE 1284.3 chain devices found (when parclass first saw
 *	the port, before the entry is published, or at the last
 *	DAISY_INIT, by the holder in a transfer); read with READ_ONCE()
 * @chip_mode: the chip mode CHIP_MODE set, PARCLASS_CHIP_MODE_*; written
 *	only by the session holding the port, in a transfer, read with
 *	READ_ONCE()
 * @chip_ecr: the extended control register as the first SET found it;
 *	valid while @chip_mode is not PARCLASS_CHIP_MODE_INITIAL on a port
 *	with an ECR; same rules as @chip_mode
 * @pc_io: parport_pc drives the port, whose base and base_hi are I/O
 *	port numbers; set before the entry is published, like the four below
 * @pc_ecr: parport_pc drives the port and found an ECR (at base_hi + 2)
 * @ecr_writable: parport_pc's mask of the ECR's writable bits, 0 for all
 * @fifo_depth: the ECP FIFO's depth in words, 0 if unknown
 * @fifo_width: its word width in bytes, 0 if unknown
 */
struct parclass_port {
	struct kref kref;
	struct parport *port;

	spinlock_t lock; /* arbitration state; see above */
	struct parclass_session *holder;
	struct list_head waiters;
	bool removed;

	struct mutex sessions_lock; /* @sessions, @nr_sessions, @leaving */
	struct list_head sessions;
	unsigned int nr_sessions;
	unsigned int leaving;
	wait_queue_head_t leave_wq;
	/* @arbiter, @arbiter_id, @arbiter_users, @spare, @spare_id */
	struct mutex arbiter_lock;
	struct pardevice *arbiter;
	int arbiter_id;
	unsigned int arbiter_users;
	struct delayed_work arbiter_linger;
	struct pardevice *spare;
	int spare_id;

	ktime_t devid_done;
	u8 daisy_count;
	u8 chip_mode;
	u8 chip_ecr;
	bool pc_io;
	bool pc_ecr;
	u8 ecr_writable;
	u32 fifo_depth;
	u32 fifo_width;
};

/**
 * struct parclass_session - one CONNECT
 * @kref: references: the file table's, the idle work's, and those taken
 *	to keep the session past a command (port removal, PIN_PROGRAM,
 *	event reads)
 * @rcu: frees the session a grace period after its last reference
 * @token: the token CONNECT returned; set once, before the session is
 *	published in its table
 * @pport: the port, referenced
 * @dev_id: the pardevice's unique id ("parclass.<id>")
 * @users: the commands in flight on the session (parclass_session_use()),
 *	each for its whole duration (ALLOCATE's wait included), plus
 *	%PARCLASS_USERS_SHUT once teardown has begun: from then on no
 *	command starts, and teardown, which first cancels any wait so that
 *	commands leave promptly, waits until none is left. Atomic, no lock
 * @use_map: lockdep's view of @users, as of a read-write lock that
 *	commands hold for reading and teardown for writing
 * @pardev: the session's parport device, which its first ALLOCATE
 *	(LOCK, SELECT_DEVICE) registers or takes over as the port's spare,
 *	and which the session lets go of (as the spare, or unregistered)
 *	once it has been idle for PARCLASS_IDLE_MS (port.c), or at
 *	teardown; NULL without one. Written under both @claim_lock and
 *	@pport->lock, read under either, or by a command of the session
 *	while it waits for the port, holds it or releases it: a session
 *	then always has one, which stays until it is idle again.
 * @claim_lock: serialises the registration (or takeover) of @pardev and
 *	its loss (idle work, teardown), and covers @irq_wanted; never held
 *	across a transfer or a wait for the port (teardown holds it while it
 *	puts the port back and lets go of the pardevice). ALLOCATE claims
 *	the port under @pport->lock, and FREE sets @releasing there before
 *	it releases the port, so two threads of one session cannot
 *	interleave their claim and release calls.
 * @irq_wanted: INTERRUPTS enabled counting once: the session's pardevice
 *	has parclass's irq_func (set once, never cleared)
 * @idle_since: when the session last let the port go, or got its
 *	pardevice (jiffies); READ_ONCE()/WRITE_ONCE(), no lock needed: FREE
 *	also writes it under @pport->lock with the session's IDLE state, so
 *	that the idle work sees both together; the idle work checks it again
 *	before it acts
 * @idle_work: unregisters @pardev once the session has been idle long
 *	enough; holds a reference to the session while queued
 * @state: &enum parclass_alloc_state; under @pport->lock
 * @wait_entry: link in @pport->waiters while @state is
 *	%PARCLASS_WAITING; under @pport->lock
 * @dead: DISCONNECT or close has begun; set under @pport->lock, read
 *	with READ_ONCE() without it by a command's start and a transfer
 * @xfer: a transfer on the held port is running; under @pport->lock
 * @reading: register reads running outside a transfer on the held port
 *	(REGISTER's reads, QUERY_INFORMATION), which FREE waits for; under
 *	@pport->lock (FREE's wait reads it with READ_ONCE())
 * @freeing: FREEs of the session waiting for its register reads; no read
 *	starts meanwhile; under @pport->lock
 * @releasing: a FREE has made the session IDLE and not yet given the
 *	port back to the parport core: ALLOCATE of the session answers
 *	-EALREADY, and the idle work keeps the pardevice, meanwhile. Only
 *	that FREE writes it: set under @pport->lock, cleared with
 *	smp_store_release() once the release is done; read under
 *	@pport->lock with smp_load_acquire()
 * @read_mode: the IEEE 1284 read mode NEGOTIATE reached, a
 *	PARCLASS_1284_* bit or %PARCLASS_1284_NONE; under @pport->lock
 * @write_mode: likewise, the write mode (%PARCLASS_1284_CENTRONICS at
 *	first); under @pport->lock
 * @read_addr: the channel address last set for reading (ADDRESS); under
 *	@pport->lock
 * @write_addr: likewise, for writing
 * @read_addr_set: @read_addr was set, so reads send it; under @pport->lock
 * @write_addr_set: likewise, for writing
 * @wire_addr: the address last sent in the current ECP or EPP mode, -1
 *	for none; touched only by the session's transfers (termination
 *	forgets it)
 * @host_recovery: the ECP host-recovery setting (HOST_RECOVERY); under
 *	@pport->lock
 * @ecp_run_byte: an ECP run-length run a READ could not take whole: its
 *	byte; touched only by the session's transfers (parclass_xfer_begin()
 *	makes them exclusive)
 * @ecp_run_left: how many of it are still to be delivered; likewise
 * @ecp_run_count: a run length the peripheral sent whose byte has not
 *	come yet, 0 for none; likewise (termination forgets it)
 * @ecp_rev_channel: the last ECP channel address the peripheral sent;
 *	likewise
 * @async: the session waits from an ALLOCATE with PARCLASS_ALLOCATE_ASYNC,
 *	so a grant is reported as an event; under @pport->lock
 * @req_seq: numbers the session's queued requests, so that a blocking
 *	waiter knows its own; under @pport->lock
 * @granted_seq: the number of the request the port was last granted to;
 *	under @pport->lock
 * @daisy_selected: SELECT_DEVICE left a chain device selected that the
 *	parport core will not deselect at release; touched only by the
 *	session's transfers
 * @daisy: the IEEE 1284.3 chain device the session is connected to, or
 *	-1; set before the session is published
 * @irq_on: INTERRUPTS enabled counting; under @pport->lock (read in the
 *	interrupt handler with READ_ONCE())
 * @event_lock: covers @events, @irq_count, @event_ns and @event_wq;
 *	taken with interrupts off, also in the port's interrupt handler
 *	(under the parport core's cad_lock); only a wait queue's lock is
 *	taken inside it
 * @events: PARCLASS_EVENT_* bits not yet read
 * @irq_count: interrupts counted and not yet reported
 * @event_ns: when the newest of @events happened
 * @event_wq: the file's wait queue for events, NULL once the session is
 *	shut down
 * @alloc_pid: thread group of the last ALLOCATE caller; under @pport->lock
 * @alloc_comm: its command name; under @pport->lock
 * @conn_pid: thread group of the process that connected the session; set
 *	before the session is on @pport->sessions, never changed
 * @conn_comm: its command name; likewise
 * @wait_since: when the session last queued in ALLOCATE (ktime_get_ns());
 *	under @pport->lock
 * @held_since: when it was last granted the port (ktime_get_ns()); under
 *	@pport->lock
 * @bytes: bytes moved by the session's WRITE, READ and DEVICE_ID
 *	transfers; atomic, no lock
 * @port_entry: link in @pport->sessions; under @pport->sessions_lock
 * @wq: where ALLOCATE waits for @state to leave %PARCLASS_WAITING, a
 *	transfer for the peripheral, and FREE for @reading to drop to 0
 *	(parclass_read_end() wakes it); woken when @dead or the port's
 *	@removed is set
 */
struct parclass_session {
	struct kref kref;
	struct rcu_head rcu;
	u64 token;
	struct parclass_port *pport;
	int dev_id;

	atomic_t users;
#ifdef CONFIG_DEBUG_LOCK_ALLOC
	struct lockdep_map use_map;
#endif
	struct pardevice *pardev;
	struct mutex claim_lock; /* @pardev's coming and going; see above */
	bool irq_wanted;
	unsigned long idle_since;
	struct delayed_work idle_work;

	enum parclass_alloc_state state;
	struct list_head wait_entry;
	bool dead;
	bool xfer;
	unsigned int reading;
	unsigned int freeing;
	bool releasing;
	u32 read_mode;
	u32 write_mode;
	u8 read_addr;
	u8 write_addr;
	bool read_addr_set;
	bool write_addr_set;
	int wire_addr;
	bool host_recovery;
	u8 ecp_run_byte;
	u8 ecp_rev_channel;
	u32 ecp_run_left;
	u32 ecp_run_count;
	bool async;
	u32 req_seq;
	u32 granted_seq;
	int daisy;
	bool daisy_selected;
	bool irq_on;
	spinlock_t event_lock; /* @events, @irq_count, @event_ns, @event_wq */
	u32 events;
	u32 irq_count;
	u64 event_ns;
	wait_queue_head_t *event_wq;
	pid_t alloc_pid;
	char alloc_comm[TASK_COMM_LEN];
	pid_t conn_pid;
	char conn_comm[TASK_COMM_LEN];
	u64 wait_since;
	u64 held_since;
	atomic64_t bytes;

	struct list_head port_entry;
	wait_queue_head_t wq;
};

/**
 * struct parclass_table - a file's sessions, by token slot
 * @xa: slot -> session; its lock (xa_lock) also covers @next, @generation
 *	and @count
 * @next: where the cyclic slot allocator goes on
 * @generation: bumped each time the slot allocator wraps
 * @max_slot: the highest slot handed out (PARCLASS_TOKEN_SLOT_MAX, less
 *	in tests)
 * @count: sessions in the table, those CONNECT has reserved a slot for
 *	and not yet published included
 * @alloc_lock: serialises slot allocation, which may drop xa_lock to get
 *	memory: without it a slot freed and taken again meanwhile could be
 *	handed out twice in one generation
 */
struct parclass_table {
	struct xarray xa;
	u32 next;
	u32 generation;
	u32 max_slot;
	unsigned int count;
	struct mutex alloc_lock; /* slot allocation */
};

/**
 * struct parclass_file - state of one open file of /dev/parclass
 * @sessions: the sessions opened through this file
 * @inflight_refs: requests in flight that hold their own reference to
 *	the file (those made from a process whose descriptor table is
 *	shared, where fdget() takes one); what flush() must not count as
 *	descriptors
 * @event_wq: where read() and poll() wait for the sessions' events
 * @closing: the last descriptor is being closed (parclass_file_cancel());
 *	set once
 */
struct parclass_file {
	struct parclass_table sessions;
	atomic_t inflight_refs;
	wait_queue_head_t event_wq;
	bool closing;
};

/**
 * union parclass_ucmd_buffer - kernel copy of any command's struct
 * @size: the leading size field every command struct starts with
 * @version: %PARCLASS_IOC_GET_VERSION
 * @connect: %PARCLASS_IOC_CONNECT
 * @disconnect: %PARCLASS_IOC_DISCONNECT
 * @allocate: %PARCLASS_IOC_ALLOCATE
 * @free: %PARCLASS_IOC_FREE
 * @port_free: %PARCLASS_IOC_IS_PORT_FREE
 * @num_waiters: %PARCLASS_IOC_QUERY_NUM_WAITERS
 * @list_ports: %PARCLASS_IOC_LIST_PORTS
 * @write: %PARCLASS_IOC_WRITE
 * @query_info: %PARCLASS_IOC_QUERY_INFORMATION
 * @set_info: %PARCLASS_IOC_SET_INFORMATION
 * @device_id: %PARCLASS_IOC_DEVICE_ID
 * @reg: %PARCLASS_IOC_REGISTER
 * @pin_program: %PARCLASS_IOC_PIN_PROGRAM
 * @negotiate: %PARCLASS_IOC_NEGOTIATE
 * @mode: %PARCLASS_IOC_TERMINATE and %PARCLASS_IOC_GET_MODE
 * @read: %PARCLASS_IOC_READ
 * @address: %PARCLASS_IOC_ADDRESS
 * @host_recovery: %PARCLASS_IOC_HOST_RECOVERY
 * @ping: %PARCLASS_IOC_PING
 * @probe: %PARCLASS_IOC_PROBE
 * @chip_mode: %PARCLASS_IOC_CHIP_MODE
 * @lock: %PARCLASS_IOC_LOCK and %PARCLASS_IOC_UNLOCK
 * @daisy_init: %PARCLASS_IOC_DAISY_INIT
 * @select: %PARCLASS_IOC_SELECT_DEVICE and %PARCLASS_IOC_DESELECT_DEVICE
 * @cancel: %PARCLASS_IOC_CANCEL
 * @interrupts: %PARCLASS_IOC_INTERRUPTS
 */
union parclass_ucmd_buffer {
	__u32 size;
	struct parclass_version version;
	struct parclass_connect connect;
	struct parclass_disconnect disconnect;
	struct parclass_allocate allocate;
	struct parclass_free free;
	struct parclass_port_free port_free;
	struct parclass_num_waiters num_waiters;
	struct parclass_list_ports list_ports;
	struct parclass_write write;
	struct parclass_query_information query_info;
	struct parclass_set_information set_info;
	struct parclass_device_id device_id;
	struct parclass_register reg;
	struct parclass_pin_program pin_program;
	struct parclass_negotiate negotiate;
	struct parclass_mode mode;
	struct parclass_read read;
	struct parclass_address address;
	struct parclass_host_recovery host_recovery;
	struct parclass_ping ping;
	struct parclass_probe probe;
	struct parclass_chip_mode chip_mode;
	struct parclass_lock lock;
	struct parclass_daisy_init daisy_init;
	struct parclass_select select;
	struct parclass_cancel cancel;
	struct parclass_interrupts interrupts;
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

/* session.c: tokens, per-file tables, session lifetime */
#if IS_ENABLED(CONFIG_KUNIT)
int parclass_table_insert(struct parclass_table *t, struct parclass_session *s,
			  unsigned int cap);
struct parclass_session *parclass_table_take(struct parclass_table *t,
					     u64 token);
struct parclass_session *parclass_table_take_any(struct parclass_table *t);
void parclass_table_destroy(struct parclass_table *t);
#endif
void parclass_table_init(struct parclass_table *t, u32 max_slot);
struct parclass_session *parclass_table_get(struct parclass_table *t,
					    u64 token);

struct parclass_session *parclass_session_connect(struct parclass_file *pfile,
						  struct parclass_connect *cmd);
void parclass_session_publish(struct parclass_file *pfile,
			      struct parclass_session *s);
void parclass_session_abort(struct parclass_file *pfile,
			    struct parclass_session *s);
int parclass_session_disconnect(struct parclass_file *pfile, u64 token);
void parclass_file_release(struct parclass_file *pfile);
void parclass_file_cancel(struct parclass_file *pfile);
struct parclass_session *
parclass_session_create(struct parclass_port *pport, int daisy,
			wait_queue_head_t *event_wq);
void parclass_session_shutdown(struct parclass_session *s, bool disconnect);
void parclass_session_put(struct parclass_session *s);

/* In parclass_session.users: teardown has begun. */
#define PARCLASS_USERS_SHUT	BIT(30)

/* A command leaves; the last one out wakes a teardown waiting for it. */
static inline void parclass_session_users_dec(struct parclass_session *s)
{
	/* Fully ordered: the command's accesses come before teardown's. */
	if (atomic_dec_return(&s->users) == PARCLASS_USERS_SHUT)
		wake_up_var(&s->users);
}

/**
 * parclass_session_use() - start a command on a session
 * @s: the session: referenced, or found in its table under
 *	rcu_read_lock() (it stays in memory until the grace period ends)
 *
 * On success the session stays connected (not torn down) until
 * parclass_session_unuse(); the table's reference lasts as long. Never
 * sleeps.
 *
 * Return: 0, -ESTALE if the session is being disconnected, or -ENODEV if
 * its port was removed.
 */
static inline int parclass_session_use(struct parclass_session *s)
{
	/*
	 * Fully ordered: teardown, which sets the flag before it counts
	 * the commands, either counts this one or is seen here. Revoked,
	 * or its port is going away: from the moment removal begins, not
	 * only once revocation has reached this session.
	 */
	if (unlikely(atomic_inc_return(&s->users) & PARCLASS_USERS_SHUT ||
		     READ_ONCE(s->dead) || READ_ONCE(s->pport->removed))) {
		int ret = READ_ONCE(s->dead) ? -ESTALE : -ENODEV;

		parclass_session_users_dec(s);
		return ret;
	}
	rwsem_acquire_read(&s->use_map, 0, 0, _RET_IP_);
	return 0;
}

/**
 * parclass_session_unuse() - end a command on a session
 * @s: the session
 */
static inline void parclass_session_unuse(struct parclass_session *s)
{
	rwsem_release(&s->use_map, _RET_IP_);
	parclass_session_users_dec(s);
}

/**
 * parclass_table_use() - look a token up and start a command on it
 * @t: the table
 * @token: the token
 *
 * One lookup, with no lock and no reference taken: the command's count
 * in the session's @users keeps the table's reference.
 *
 * Return: the session, in use (parclass_session_unuse() ends it), or
 * ERR_PTR(-ESTALE), -ENODEV as parclass_session_use().
 */
static inline struct parclass_session *
parclass_table_use(struct parclass_table *t, u64 token)
{
	XA_STATE(xas, &t->xa, parclass_token_slot(token));
	struct parclass_session *s;
	int ret = -ESTALE;

	/* xa_load() without its own RCU section: this one covers it. */
	rcu_read_lock();
	do {
		s = xas_load(&xas);
		/* A slot reserved and not yet published: a zero entry. */
		if (xa_is_zero(s))
			s = NULL;
	} while (xas_retry(&xas, s));
	if (s && READ_ONCE(s->token) == token)
		ret = parclass_session_use(s);
	rcu_read_unlock();
	return ret ? ERR_PTR(ret) : s;
}

/* port.c: port table, arbitration, port information */
#if IS_ENABLED(CONFIG_KUNIT)
void parclass_unregister(struct pardevice *pardev, int id,
			 struct parclass_port *pport);
void parclass_unregister_flush(void);
#endif
void parclass_port_arbiter_retire(struct parclass_port *pport);
void parclass_session_want_irq(struct parclass_session *s);
void parclass_session_idle_end(struct work_struct *work);
int parclass_ports_init(void);
void parclass_ports_exit(void);
struct parclass_port *parclass_port_get(u32 number);
struct parclass_port *parclass_port_create(struct parport *port);
void parclass_port_put(struct parclass_port *pport);
void parclass_port_revoke(struct parclass_port *pport);
void parclass_port_fill_info(struct parclass_port *pport, int daisy,
			     struct parclass_port_info *info);
int parclass_port_list(struct parclass_port_entry *entries, u32 room,
		       u32 *total, bool daisy);
int parclass_port_attach_session(struct parclass_port *pport,
				 struct parclass_session *s);
void parclass_port_unlink_session(struct parclass_session *s);
bool parclass_port_leave(struct parclass_session *s);
void parclass_port_left(struct parclass_port *pport);
void parclass_port_cancel_wait(struct parclass_session *s, bool disconnect);
void parclass_port_detach_session(struct parclass_session *s);

typedef int (*parclass_port_fn)(struct parclass_port *pport, void *arg);
int parclass_ports_for_each(parclass_port_fn fn, void *arg);

int parclass_xfer_cancelled(struct parclass_session *s);
int parclass_xfer_begin(struct parclass_session *s);
void parclass_xfer_end(struct parclass_session *s);
int parclass_read_begin(struct parclass_session *s);
void parclass_read_end(struct parclass_session *s);
int parclass_allocate(struct parclass_session *s, u32 flags, u64 timeout_ns);
int parclass_free(struct parclass_session *s);
int parclass_free_in_xfer(struct parclass_session *s);
int parclass_cancel(struct parclass_session *s);
int parclass_lock(struct parclass_session *s, u32 flags);
int parclass_unlock(struct parclass_session *s, u32 flags);
bool parclass_is_port_free(struct parclass_session *s);
void parclass_num_waiters(struct parclass_session *s, u32 *waiters,
			  u32 *other_waiters);

/* ieee1284.c: IEEE 1284 operations on a held port */
int parclass_xfer_stop(struct parclass_session *s);
int parclass_xfer_sleep(struct parclass_session *s, u64 ns);
int parclass_xfer_pause_slow(struct parclass_session *s);

/* Bytes moved between two looks at whether a transfer must stop. */
#define PARCLASS_XFER_CHUNK 64

/**
 * parclass_xfer_pause() - between two bytes of a transfer
 * @s: the session, in a transfer
 * @done: bytes moved so far
 *
 * Every PARCLASS_XFER_CHUNK bytes, looks whether the transfer must stop
 * and lets others run; inline, as the other bytes cost it a test.
 *
 * Return: 0, or -ESTALE, -ENODEV or -EINTR as parclass_xfer_stop().
 */
static inline int parclass_xfer_pause(struct parclass_session *s,
				      size_t done)
{
	if (done % PARCLASS_XFER_CHUNK)
		return 0;
	return parclass_xfer_pause_slow(s);
}

ktime_t parclass_step_timeout(struct parclass_session *s, u64 timeout_ns);
int parclass_wait_status_slow(struct parclass_session *s, u8 mask, u8 val,
			      ktime_t timeout, u8 upset, u8 upset_val);

/**
 * parclass_wait_status() - wait for the status lines to match
 * @s: the session, holding the port and in a transfer
 * @mask: the status bits that matter
 * @val: what they must read
 * @timeout: how long to wait
 * @upset: status bits that must read as @upset_val, or 0
 * @upset_val: see @upset
 *
 * Most steps of a transfer find the peripheral there already: one status
 * read, inline; else parclass_wait_status_slow().
 *
 * Return: as parclass_wait_status_slow().
 */
static inline int parclass_wait_status(struct parclass_session *s, u8 mask,
				       u8 val, ktime_t timeout, u8 upset,
				       u8 upset_val)
{
	if ((parport_read_status(s->pardev->port) & mask) == val)
		return 0;
	return parclass_wait_status_slow(s, mask, val, timeout, upset,
					 upset_val);
}

int parclass_write(struct parclass_session *s, const void __user *ubuf,
		   u32 len, u64 timeout_ns, u32 flags, u32 *written);

/* negotiate.c: IEEE 1284 negotiation and termination on a held port */
void parclass_terminate(struct parclass_session *s);
int parclass_negotiate(struct parclass_session *s, int mode);

/* reverse.c: nibble and byte mode reads on a held port */
size_t parclass_nibble_in(struct parclass_session *s, u8 *buf, size_t len,
			  ktime_t step, int *err);
size_t parclass_byte_in(struct parclass_session *s, u8 *buf, size_t len,
			ktime_t step, int *err);

/* ecp_epp.c: ECP and EPP transfers in software on a held port */
size_t parclass_ecp_out(struct parclass_session *s, const u8 *buf,
			size_t len, bool command, ktime_t step, int *err);
size_t parclass_ecp_in(struct parclass_session *s, u8 *buf, size_t len,
		       ktime_t step, int *err);
size_t parclass_ecp_run_out(struct parclass_session *s, u8 *buf, size_t len);
size_t parclass_epp_out(struct parclass_session *s, const u8 *buf,
			size_t len, bool addr, ktime_t step, int *err);
size_t parclass_epp_in(struct parclass_session *s, u8 *buf, size_t len,
		       bool addr, ktime_t step, int *err);

/* mode.c: a session's IEEE 1284 modes */
int parclass_1284_to_linux(u32 bit);
u32 parclass_1284_from_linux(int mode);
bool parclass_1284_masks_valid(u32 read_mask, u32 write_mask);
bool parclass_1284_reachable(u32 bit, unsigned int port_modes);
int parclass_enter(struct parclass_session *s, u32 bit);
u32 parclass_mode_of(struct parclass_session *s, u32 direction);
int parclass_address_ensure(struct parclass_session *s, u32 bit, bool read,
			    ktime_t step);
int parclass_mode_negotiate(struct parclass_session *s,
			    struct parclass_negotiate *cmd);
int parclass_mode_terminate(struct parclass_session *s);
void parclass_mode_get(struct parclass_session *s, struct parclass_mode *cmd);
int parclass_mode_read(struct parclass_session *s, struct parclass_read *cmd,
		       u8 **kbuf);
int parclass_mode_address(struct parclass_session *s,
			  struct parclass_address *cmd);
void parclass_mode_host_recovery(struct parclass_session *s,
				 struct parclass_host_recovery *cmd);
int parclass_mode_ping(struct parclass_session *s);
int parclass_mode_probe(struct parclass_session *s, struct parclass_probe *cmd);

/* device.c: the device side (status, INIT) of a held port */
u8 parclass_status_byte(u8 raw);
int parclass_query_information(struct parclass_session *s,
			       struct parclass_query_information *cmd);
int parclass_init_pulse(struct parclass_session *s);

/* devid.c: the IEEE 1284 device ID */
int parclass_device_id(struct parclass_session *s,
		       struct parclass_device_id *cmd, u8 **idp, size_t *skip);

/* daisy.c: the IEEE 1284.3 daisy chain */
int parclass_daisy_select(struct parport *port, unsigned int addr);
void parclass_daisy_deselect_all(struct parport *port);
void parclass_daisy_restore(struct parclass_session *s);
void parclass_daisy_deselect(struct parclass_session *s);
void parclass_daisy_release(struct parclass_session *s);
int parclass_daisy_take(struct parclass_session *s, u32 device, bool keep,
			u64 timeout_ns);
unsigned int parclass_daisy_assign(struct parport *port);
int parclass_daisy_init(struct parclass_session *s, u32 *count);
int parclass_select_device(struct parclass_session *s,
			   const struct parclass_select *cmd);
int parclass_deselect_device(struct parclass_session *s, u32 flags);

/* chipmode.c: the port's chip mode */
int parclass_chip_mode(struct parclass_session *s,
		       struct parclass_chip_mode *cmd);
void parclass_chip_mode_restore(struct parclass_session *s);

/* events.c: asynchronous grants, interrupts, read() and poll() */
void parclass_event_post(struct parclass_session *s, u32 events);
void parclass_event_clear(struct parclass_session *s, u32 events);
void parclass_event_detach(struct parclass_session *s);
void parclass_irq(void *private);
void parclass_irq_claimed(struct parclass_session *s);
void parclass_irq_releasing(struct parclass_session *s);
int parclass_interrupts(struct parclass_session *s,
			struct parclass_interrupts *cmd);
ssize_t parclass_events_read(struct parclass_file *pfile, char __user *buf,
			     size_t count, bool nonblock);
__poll_t parclass_events_poll(struct parclass_file *pfile);

/* debugfs.c: /sys/kernel/debug/parclass */
#if IS_ENABLED(CONFIG_DEBUG_FS)
void parclass_debugfs_init(void);
void parclass_debugfs_exit(void);
#else
static inline void parclass_debugfs_init(void) { }
static inline void parclass_debugfs_exit(void) { }
#endif

/* pins.c: register access and pin programs */
bool parclass_pin_op_valid(const struct parclass_pin_op *op);
int parclass_pin_validate(const struct parclass_pin_op *ops, u32 count,
			  u32 results_len);
bool parclass_register_valid(const struct parclass_register *cmd);
int parclass_register_access(struct parclass_session *s,
			     struct parclass_register *cmd);
int parclass_pin_prepare(struct parclass_pin_program *cmd,
			 struct parclass_pin_op **opsp, u8 **resultsp);
int parclass_pin_program(struct parclass_session *s,
			 struct parclass_pin_program *cmd,
			 const struct parclass_pin_op *ops, u8 *results,
			 bool *started);

#endif /* _PARCLASS_H */
