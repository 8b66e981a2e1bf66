// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: /sys/kernel/debug/parclass.
 *
 * sessions: one line per session connected to a port parclass tracks
 * (a session whose port was removed is no longer listed):
 *
 *	port slot state pid waiting_since_ms held_since_ms bytes comm
 *
 * port is the parport number, slot the table index part of the session's
 * token. state is idle, waiting (in ALLOCATE, blocking or asynchronous),
 * held, or cancelled (a blocking ALLOCATE withdrawn by CANCEL, its thread
 * not yet returned). pid and comm are the thread group and command of the
 * process whose ALLOCATE waits or holds the port while the session is
 * waiting or holding, else of the process that connected it. The times
 * are CLOCK_MONOTONIC in milliseconds (clock_gettime(CLOCK_MONOTONIC)):
 * when the session queued, and when it was granted the port; "-" unless it
 * is waiting, respectively holding, now. bytes counts what the session's
 * WRITE, READ and DEVICE_ID transfers moved, since CONNECT. comm comes
 * last because it may contain spaces.
 *
 * The walk takes parclass_ports_lock (the port stays in the table), the
 * port's sessions_lock (a listed session is not freed: DISCONNECT, close
 * and port removal take it off the list under that lock first), then
 * the port's lock for the session's state, in parclass.h's lock order.
 */
#include <linux/debugfs.h>
#include <linux/ktime.h>
#include <linux/seq_file.h>
#include <linux/string.h>

#include "parclass.h"

static struct dentry *parclass_debugfs_dir;

static const char *parclass_state_name(enum parclass_alloc_state state)
{
	switch (state) {
	case PARCLASS_IDLE:
		return "idle";
	case PARCLASS_WAITING:
		return "waiting";
	case PARCLASS_HELD:
		return "held";
	case PARCLASS_CANCELLED:
		return "cancelled";
	}
	return "?";
}

/* Milliseconds of a ktime_get_ns() time, or "-" when @valid is false. */
static void parclass_seq_ms(struct seq_file *m, bool valid, u64 ns)
{
	if (valid)
		seq_printf(m, " %llu", div_u64(ns, NSEC_PER_MSEC));
	else
		seq_puts(m, " -");
}

static void parclass_session_show(struct seq_file *m,
				  struct parclass_session *s)
{
	struct parclass_port *pport = s->pport;
	enum parclass_alloc_state state;
	char comm[TASK_COMM_LEN];
	u64 wait_since, held_since;
	unsigned long flags;
	pid_t pid;
	u32 slot;

	slot = parclass_token_slot(READ_ONCE(s->token));
	/* CONNECT has not given it a slot yet. */
	if (!slot)
		return;
	pid = s->conn_pid;
	memcpy(comm, s->conn_comm, sizeof(comm));
	spin_lock_irqsave(&pport->lock, flags);
	state = s->state;
	wait_since = s->wait_since;
	held_since = s->held_since;
	if (state != PARCLASS_IDLE) {
		pid = s->alloc_pid;
		memcpy(comm, s->alloc_comm, sizeof(comm));
	}
	spin_unlock_irqrestore(&pport->lock, flags);
	comm[sizeof(comm) - 1] = '\0';

	seq_printf(m, "%d %u %s %d", pport->port->number, slot,
		   parclass_state_name(state), pid);
	parclass_seq_ms(m, state == PARCLASS_WAITING, wait_since);
	parclass_seq_ms(m, state == PARCLASS_HELD, held_since);
	seq_printf(m, " %lld %s\n", (long long)atomic64_read(&s->bytes), comm);
}

static int parclass_sessions_port(struct parclass_port *pport, void *arg)
{
	struct parclass_session *s;

	mutex_lock(&pport->sessions_lock);
	list_for_each_entry(s, &pport->sessions, port_entry)
		parclass_session_show(arg, s);
	mutex_unlock(&pport->sessions_lock);
	return 0;
}

static int parclass_sessions_show(struct seq_file *m, void *v)
{
	seq_puts(m, "# port slot state pid waiting_since_ms held_since_ms bytes comm\n");
	seq_puts(m, "# pid, comm: the ALLOCATE caller while waiting or held, else the connecting process; times: CLOCK_MONOTONIC ms\n");
	return parclass_ports_for_each(parclass_sessions_port, m);
}
DEFINE_SHOW_ATTRIBUTE(parclass_sessions);

/**
 * parclass_debugfs_init() - make /sys/kernel/debug/parclass
 *
 * Without debugfs parclass works on; errors are not reported.
 */
void parclass_debugfs_init(void)
{
	parclass_debugfs_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	debugfs_create_file("sessions", 0400, parclass_debugfs_dir, NULL,
			    &parclass_sessions_fops);
}

/**
 * parclass_debugfs_exit() - remove /sys/kernel/debug/parclass
 *
 * Waits for readers of its files to leave.
 */
void parclass_debugfs_exit(void)
{
	debugfs_remove_recursive(parclass_debugfs_dir);
}
