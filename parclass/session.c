// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: sessions and tokens.
 *
 * A session is one CONNECT: a pardevice on one port, named by a 64-bit
 * token that is valid only through the open file that created it. The
 * file keeps its sessions in a table indexed by the token's slot, so a
 * lookup is one xarray load plus a comparison of the whole token. A token
 * that does not match, because the session was disconnected, its slot now
 * serves another session, it was forged, or it comes from another file,
 * is stale (-ESTALE). The lookup that starts a command takes no lock
 * (parclass_table_use()): it reads the table under RCU, and the command
 * counts itself in the session's @users, which teardown waits to drain
 * before it drops the table's reference.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/atomic.h>
#include <linux/err.h>
#include <linux/moduleparam.h>
#include <linux/random.h>
#include <linux/slab.h>
#include <linux/xarray.h>

#include "parclass.h"
#include "trace.h"

static unsigned int max_sessions = 16384;
module_param(max_sessions, uint, 0644);
MODULE_PARM_DESC(max_sessions,
		 "Most sessions open at once in the whole system (default 16384)");

static unsigned int max_sessions_per_file = 16384;
module_param(max_sessions_per_file, uint, 0644);
MODULE_PARM_DESC(max_sessions_per_file,
		 "Most sessions open at once through one open file (default 16384)");

/* Sessions in the whole system, against max_sessions. */
static atomic_t parclass_nr_sessions = ATOMIC_INIT(0);

/* lockdep's class for every session's @users, a lock in all but name. */
static struct lock_class_key parclass_use_key;

/**
 * parclass_table_init() - make an empty session table
 * @t: the table
 * @max_slot: highest slot to hand out (PARCLASS_TOKEN_SLOT_MAX at most)
 */
void parclass_table_init(struct parclass_table *t, u32 max_slot)
{
	xa_init_flags(&t->xa, XA_FLAGS_ALLOC1);
	mutex_init(&t->alloc_lock);
	t->next = 1;
	t->generation = 0;
	t->max_slot = min_t(u32, max_slot, PARCLASS_TOKEN_SLOT_MAX);
	t->count = 0;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_table_init);

/*
 * Give @s a slot and its token, the slot reserved but the session not yet
 * visible: a lookup of the token finds nothing until
 * parclass_table_publish(). Returns 0, -EMFILE or -ENOMEM.
 */
static int parclass_table_reserve(struct parclass_table *t,
				  struct parclass_session *s, unsigned int cap)
{
	u32 slot;
	int ret;

	mutex_lock(&t->alloc_lock);
	xa_lock(&t->xa);
	if (t->count >= cap) {
		ret = -EMFILE;
		goto out;
	}
	/* Count first: the allocation may drop the lock to get memory. */
	t->count++;
	ret = __xa_alloc_cyclic(&t->xa, &slot, NULL, XA_LIMIT(1, t->max_slot),
				&t->next, GFP_KERNEL);
	if (ret < 0) {
		t->count--;
		if (ret == -EBUSY)
			ret = -EMFILE;
		goto out;
	}
	if (ret == 1)
		t->generation++;
	/* Read without a lock by debugfs, from the port's session list. */
	WRITE_ONCE(s->token, parclass_token_encode(slot, t->generation,
						   get_random_u32()));
	ret = 0;
out:
	xa_unlock(&t->xa);
	mutex_unlock(&t->alloc_lock);
	return ret;
}

/*
 * Make a reserved session visible: its token works from now on. With
 * @closing, the file's last descriptor was closed (parclass_file_cancel()
 * has run, or runs now): the session's requests end as the others' did.
 */
static void parclass_table_publish(struct parclass_table *t,
				   struct parclass_session *s,
				   const bool *closing)
{
	void *old;

	xa_lock(&t->xa);
	/* The slot exists: storing over its reservation allocates nothing. */
	old = __xa_store(&t->xa, parclass_token_slot(s->token), s,
			 GFP_NOWAIT);
	WARN_ON(xa_is_err(old));
	if (closing && READ_ONCE(*closing))
		parclass_port_cancel_wait(s, true);
	xa_unlock(&t->xa);
}

/* Give a reserved slot back. */
static void parclass_table_abort(struct parclass_table *t,
				 struct parclass_session *s)
{
	xa_lock(&t->xa);
	__xa_erase(&t->xa, parclass_token_slot(s->token));
	t->count--;
	xa_unlock(&t->xa);
}

#if IS_ENABLED(CONFIG_KUNIT)
/**
 * parclass_table_insert() - publish a session and give it its token
 * @t: the table
 * @s: the session; its @token is set here
 * @cap: most sessions the table may hold
 *
 * Return: 0, -EMFILE when the table holds @cap sessions (or has no free
 * slot), or -ENOMEM.
 */
VISIBLE_IF_KUNIT int parclass_table_insert(struct parclass_table *t,
					   struct parclass_session *s,
					   unsigned int cap)
{
	int ret = parclass_table_reserve(t, s, cap);

	if (!ret)
		parclass_table_publish(t, s, NULL);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_table_insert);
#endif

/*
 * The live session @token names in @t, or NULL; under the xa_lock, which
 * makes xa_load()'s RCU read section needless. A slot reserved and not
 * yet published holds a zero entry.
 */
static struct parclass_session *parclass_table_find(struct parclass_table *t,
						    u64 token)
{
	XA_STATE(xas, &t->xa, parclass_token_slot(token));
	struct parclass_session *s;

	lockdep_assert_held(&t->xa.xa_lock);
	s = xas_load(&xas);
	if (!s || xa_is_zero(s) || s->token != token)
		return NULL;
	return s;
}

/**
 * parclass_table_get() - look a token up
 * @t: the table
 * @token: the token
 *
 * Return: the session with a new reference, or ERR_PTR(-ESTALE).
 */
struct parclass_session *parclass_table_get(struct parclass_table *t,
					    u64 token)
{
	struct parclass_session *s;

	xa_lock(&t->xa);
	s = parclass_table_find(t, token);
	if (s)
		kref_get(&s->kref);
	xa_unlock(&t->xa);
	return s ?: ERR_PTR(-ESTALE);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_table_get);

/**
 * parclass_table_take() - remove a session from its table: kill its token
 * @t: the table
 * @token: the token
 *
 * Return: the session, with the table's reference now the caller's, or
 * ERR_PTR(-ESTALE).
 */
VISIBLE_IF_KUNIT struct parclass_session *
parclass_table_take(struct parclass_table *t, u64 token)
{
	struct parclass_session *s;

	xa_lock(&t->xa);
	s = parclass_table_find(t, token);
	if (s) {
		__xa_erase(&t->xa, parclass_token_slot(token));
		t->count--;
	}
	xa_unlock(&t->xa);
	return s ?: ERR_PTR(-ESTALE);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_table_take);

/**
 * parclass_table_take_any() - remove some session from a table
 * @t: the table
 *
 * Return: a session, with the table's reference now the caller's, or
 * NULL when the table is empty.
 */
VISIBLE_IF_KUNIT struct parclass_session *
parclass_table_take_any(struct parclass_table *t)
{
	struct parclass_session *s;
	unsigned long slot = 0;

	xa_lock(&t->xa);
	s = xa_find(&t->xa, &slot, ULONG_MAX, XA_PRESENT);
	if (s) {
		__xa_erase(&t->xa, slot);
		t->count--;
	}
	xa_unlock(&t->xa);
	return s;
}
EXPORT_SYMBOL_IF_KUNIT(parclass_table_take_any);

/**
 * parclass_table_destroy() - free an empty table's memory
 * @t: the table
 */
VISIBLE_IF_KUNIT void parclass_table_destroy(struct parclass_table *t)
{
	WARN_ON(!xa_empty(&t->xa));
	xa_destroy(&t->xa);
	mutex_destroy(&t->alloc_lock);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_table_destroy);

static void parclass_session_release(struct kref *kref)
{
	struct parclass_session *s = container_of(kref, struct parclass_session,
						  kref);

	WARN_ON(s->pardev);
	parclass_port_put(s->pport);
	/* A lookup may still be reading it (parclass_table_use()). */
	kfree_rcu(s, rcu);
	atomic_dec(&parclass_nr_sessions);
}

/**
 * parclass_session_put() - drop a reference to a session
 * @s: the session
 */
void parclass_session_put(struct parclass_session *s)
{
	kref_put(&s->kref, parclass_session_release);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_session_put);

/**
 * parclass_session_create() - a new session on a port
 * @pport: the port; the session takes its own reference
 * @daisy: the IEEE 1284.3 chain device the session is a client of, or -1
 * @event_wq: the file's wait queue for the session's events, or NULL
 *
 * The session is not in any file's table yet.
 *
 * Return: the session with one reference, or ERR_PTR(-ENFILE) over
 * max_sessions, -ENODEV, -EBUSY or -ENOMEM.
 */
struct parclass_session *
parclass_session_create(struct parclass_port *pport, int daisy,
			wait_queue_head_t *event_wq)
{
	struct parclass_session *s;
	int ret;

	if (atomic_inc_return(&parclass_nr_sessions) > READ_ONCE(max_sessions)) {
		atomic_dec(&parclass_nr_sessions);
		return ERR_PTR(-ENFILE);
	}
	s = kzalloc(sizeof(*s), GFP_KERNEL);
	if (!s) {
		atomic_dec(&parclass_nr_sessions);
		return ERR_PTR(-ENOMEM);
	}
	kref_init(&s->kref);
	kref_get(&pport->kref);
	s->pport = pport;
	atomic_set(&s->users, 0);
	lockdep_init_map(&s->use_map, "&s->use", &parclass_use_key, 0);
	mutex_init(&s->claim_lock);
	s->state = PARCLASS_IDLE;
	s->read_mode = PARCLASS_1284_NONE;
	s->write_mode = PARCLASS_1284_CENTRONICS;
	s->host_recovery = true;
	s->wire_addr = -1;
	s->daisy = daisy;
	s->conn_pid = task_tgid_nr(current);
	get_task_comm(s->conn_comm, current);
	atomic64_set(&s->bytes, 0);
	spin_lock_init(&s->event_lock);
	/* Before the port lists it: its removal is reported from then on. */
	s->event_wq = event_wq;
	INIT_LIST_HEAD(&s->wait_entry);
	INIT_LIST_HEAD(&s->port_entry);
	init_waitqueue_head(&s->wq);
	INIT_DELAYED_WORK(&s->idle_work, parclass_session_idle_end);

	ret = parclass_port_attach_session(pport, s);
	if (ret)
		goto err_free;
	return s;

err_free:
	parclass_port_put(pport);
	kfree(s);
	atomic_dec(&parclass_nr_sessions);
	return ERR_PTR(ret);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_session_create);

/**
 * parclass_session_shutdown() - stop a session using its port
 * @s: the session
 * @disconnect: true for DISCONNECT and close (commands in flight end
 *	with -ESTALE), false for port removal (-ENODEV)
 *
 * Ends a wait in ALLOCATE, waits for commands in flight to leave (no
 * command starts after), frees the port if the session holds it and lets
 * go of the pardevice. Idempotent; port removal's and DISCONNECT's may
 * run at once (they take turns in parclass_port_detach_session()).
 */
void parclass_session_shutdown(struct parclass_session *s, bool disconnect)
{
	parclass_port_cancel_wait(s, disconnect);
	rwsem_acquire(&s->use_map, 0, 0, _RET_IP_);
	/*
	 * No command starts from now on; those running leave promptly.
	 * Fully ordered: a command that sees the flag sees @dead too.
	 */
	atomic_fetch_or(PARCLASS_USERS_SHUT, &s->users);
	wait_var_event(&s->users,
		       atomic_read_acquire(&s->users) == PARCLASS_USERS_SHUT);
	parclass_port_detach_session(s);
	rwsem_release(&s->use_map, _RET_IP_);
	/* A revoked session keeps its REMOVED event until DISCONNECT. */
	if (disconnect)
		parclass_event_detach(s);
}
EXPORT_SYMBOL_IF_KUNIT(parclass_session_shutdown);

/* End a session taken out of its table, and drop the table's reference. */
static void parclass_session_end(struct parclass_session *s)
{
	bool listed = parclass_port_leave(s);

	parclass_session_shutdown(s, true);
	if (listed)
		parclass_port_left(s->pport);
	parclass_session_put(s);
}

/**
 * parclass_session_connect() - CONNECT: a new session in a file
 * @pfile: the file
 * @cmd: in: the port's number, and the chain device with
 *	%PARCLASS_CONNECT_DAISY; out: the token and the port's information
 *
 * The session has its token, but the token works only once
 * parclass_session_publish() has made it visible, after the answer
 * reached the caller (or parclass_session_abort() ends it), as iommufd
 * creates its objects.
 *
 * Return: the session, with the table's reference the caller's until it
 * publishes or aborts; or ERR_PTR(-EINVAL) (no such chain device),
 * -ENODEV, -EBUSY, -EMFILE, -ENFILE or -ENOMEM.
 */
struct parclass_session *parclass_session_connect(struct parclass_file *pfile,
						  struct parclass_connect *cmd)
{
	int daisy = cmd->flags & PARCLASS_CONNECT_DAISY ? cmd->daisy : -1;
	struct parclass_port *pport;
	struct parclass_session *s;
	int ret;

	if (READ_ONCE(pfile->sessions.count) >= READ_ONCE(max_sessions_per_file))
		return ERR_PTR(-EMFILE);
	pport = parclass_port_get(cmd->port);
	if (!pport)
		return ERR_PTR(-ENODEV);
	if (daisy >= READ_ONCE(pport->daisy_count)) {
		parclass_port_put(pport);
		return ERR_PTR(-EINVAL);
	}
	s = parclass_session_create(pport, daisy, &pfile->event_wq);
	parclass_port_put(pport);
	if (IS_ERR(s))
		return s;

	ret = parclass_table_reserve(&pfile->sessions, s,
				     READ_ONCE(max_sessions_per_file));
	if (ret) {
		parclass_session_end(s);
		return ERR_PTR(ret);
	}
	cmd->token = s->token;
	parclass_port_fill_info(s->pport, s->daisy, &cmd->info);
	return s;
}

/**
 * parclass_session_publish() - CONNECT answered: the token works
 * @pfile: the file
 * @s: the session parclass_session_connect() made
 */
void parclass_session_publish(struct parclass_file *pfile,
			      struct parclass_session *s)
{
	/* Before the token works: DISCONNECT could free @s right after. */
	trace_parclass_connect(s);
	parclass_table_publish(&pfile->sessions, s, &pfile->closing);
}

/**
 * parclass_session_abort() - CONNECT could not answer: end the session
 * @pfile: the file
 * @s: the session parclass_session_connect() made, never published
 */
void parclass_session_abort(struct parclass_file *pfile,
			    struct parclass_session *s)
{
	parclass_table_abort(&pfile->sessions, s);
	parclass_session_end(s);
}

/**
 * parclass_session_disconnect() - DISCONNECT: end a session, kill its token
 * @pfile: the file
 * @token: the session's token
 *
 * Return: 0, or -ESTALE if @token is not a live session of @pfile.
 */
int parclass_session_disconnect(struct parclass_file *pfile, u64 token)
{
	struct parclass_session *s;

	s = parclass_table_take(&pfile->sessions, token);
	if (IS_ERR(s))
		return PTR_ERR(s);
	trace_parclass_disconnect(s, false);
	parclass_session_end(s);
	return 0;
}

/**
 * parclass_file_cancel() - the file's last descriptor is being closed
 * @pfile: the file
 *
 * Kills every session's token and ends its requests in flight (waits in
 * ALLOCATE, transfers) with -ESTALE, and a read() waiting for events
 * with end of file; parclass_file_release() then
 * disconnects the sessions once those requests have left.
 */
void parclass_file_cancel(struct parclass_file *pfile)
{
	struct parclass_table *t = &pfile->sessions;
	struct parclass_session *s;
	unsigned long slot;

	/*
	 * Table entries hold a reference, and leave only under xa_lock. A
	 * session CONNECT publishes later sees @closing under the same lock.
	 */
	xa_lock(&t->xa);
	WRITE_ONCE(pfile->closing, true);
	xa_for_each(&t->xa, slot, s)
		parclass_port_cancel_wait(s, true);
	xa_unlock(&t->xa);
	/* And a read() waiting for events returns. */
	wake_up_all(&pfile->event_wq);
}

/**
 * parclass_file_release() - close(): disconnect every session of a file
 * @pfile: the file
 */
void parclass_file_release(struct parclass_file *pfile)
{
	struct parclass_session *s;

	while ((s = parclass_table_take_any(&pfile->sessions))) {
		trace_parclass_disconnect(s, true);
		parclass_session_end(s);
	}
	parclass_table_destroy(&pfile->sessions);
}
