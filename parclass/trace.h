/* SPDX-License-Identifier: GPL-2.0 */
/*
 * parclass: tracepoints, TRACE_SYSTEM parclass.
 *
 * Every event names the session by its port's number and its slot (the
 * table index part of the token, never the token itself: a token is a
 * capability) and carries a pid: the thread group of the process whose
 * call the event comes from, except for parclass_revoke, which comes
 * from the port's removal and carries the pid of the process that
 * connected the session.
 *
 * An event costs nothing while it is disabled: every value is computed
 * in TP_fast_assign(), which runs only when the event is enabled.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM parclass

#if !defined(_PARCLASS_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _PARCLASS_TRACE_H

#include <linux/sched.h>
#include <linux/tracepoint.h>

#include "parclass.h"

/* The transfers parclass_xfer_start and parclass_xfer_end report. */
#define PARCLASS_XFER_WRITE	0
#define PARCLASS_XFER_READ	1
#define PARCLASS_XFER_DEVICE_ID	2

#define parclass_show_xfer(kind)				\
	__print_symbolic(kind,					\
			 { PARCLASS_XFER_WRITE, "WRITE" },	\
			 { PARCLASS_XFER_READ, "READ" },	\
			 { PARCLASS_XFER_DEVICE_ID, "DEVICE_ID" })

/* How an ALLOCATE ended; any other errno shows as a number. */
#define parclass_show_allocate(ret)				\
	__print_symbolic(ret,					\
			 { 0, "granted" },			\
			 { -ETIMEDOUT, "timed_out" },		\
			 { -EINTR, "interrupted" },		\
			 { -EAGAIN, "busy" },			\
			 { -EINPROGRESS, "pending" },		\
			 { -ECANCELED, "cancelled" },		\
			 { -ESTALE, "stale" },			\
			 { -ENODEV, "nodev" },			\
			 { -EALREADY, "already" })

#define parclass_show_state(state)				\
	__print_symbolic(state,					\
			 { PARCLASS_IDLE, "idle" },		\
			 { PARCLASS_WAITING, "waiting" },	\
			 { PARCLASS_HELD, "held" },		\
			 { PARCLASS_CANCELLED, "cancelled" })

TRACE_DEFINE_ENUM(PARCLASS_IDLE);
TRACE_DEFINE_ENUM(PARCLASS_WAITING);
TRACE_DEFINE_ENUM(PARCLASS_HELD);
TRACE_DEFINE_ENUM(PARCLASS_CANCELLED);

/*
 * The fields port, slot and pid every event begins with, from session
 * @s and process @tgid: the slot alone, never the token.
 */
#define parclass_assign_session(s, tgid)				\
	do {								\
		const struct parclass_session *__s = (s);		\
									\
		__entry->port = __s->pport->port->number;		\
		__entry->slot = parclass_token_slot(__s->token);	\
		__entry->pid = (tgid);					\
	} while (0)

DECLARE_EVENT_CLASS(parclass_session_class,
		    TP_PROTO(const struct parclass_session *s),
		    TP_ARGS(s),
		    TP_STRUCT__entry(__field(u32, port)
				     __field(u32, slot)
				     __field(pid_t, pid)),
		    TP_fast_assign(parclass_assign_session(s,
							   task_tgid_nr(current));),
		    TP_printk("port=%u slot=%u pid=%d",
			      __entry->port, __entry->slot, __entry->pid)
);

/* CONNECT answered: the session's token works from now on. */
DEFINE_EVENT(parclass_session_class, parclass_connect,
	     TP_PROTO(const struct parclass_session *s),
	     TP_ARGS(s)
);

/* FREE, UNLOCK or DESELECT_DEVICE let the port go. */
DEFINE_EVENT(parclass_session_class, parclass_free,
	     TP_PROTO(const struct parclass_session *s),
	     TP_ARGS(s)
);

/* DISCONNECT, or close() of the session's file (@close). */
TRACE_EVENT(parclass_disconnect,
	    TP_PROTO(const struct parclass_session *s, bool close),
	    TP_ARGS(s, close),
	    TP_STRUCT__entry(__field(u32, port)
			     __field(u32, slot)
			     __field(pid_t, pid)
			     __field(bool, close)),
	    TP_fast_assign(parclass_assign_session(s, task_tgid_nr(current));
			   __entry->close = close;),
	    TP_printk("port=%u slot=%u pid=%d by=%s",
		      __entry->port, __entry->slot, __entry->pid,
		      __entry->close ? "close" : "DISCONNECT")
);

/* The port went away under the session, in state @state. */
TRACE_EVENT(parclass_revoke,
	    TP_PROTO(const struct parclass_session *s, int state),
	    TP_ARGS(s, state),
	    TP_STRUCT__entry(__field(u32, port)
			     __field(u32, slot)
			     __field(pid_t, pid)
			     __field(int, state)),
	    TP_fast_assign(parclass_assign_session(s, s->conn_pid);
			   __entry->state = state;),
	    TP_printk("port=%u slot=%u pid=%d state=%s",
		      __entry->port, __entry->slot, __entry->pid,
		      parclass_show_state(__entry->state))
);

/* ALLOCATE (also LOCK, SELECT_DEVICE) begins. */
TRACE_EVENT(parclass_allocate_start,
	    TP_PROTO(const struct parclass_session *s, u32 flags,
		     u64 timeout_ns),
	    TP_ARGS(s, flags, timeout_ns),
	    TP_STRUCT__entry(__field(u32, port)
			     __field(u32, slot)
			     __field(pid_t, pid)
			     __field(u32, flags)
			     __field(u64, timeout_ns)),
	    TP_fast_assign(parclass_assign_session(s, task_tgid_nr(current));
			   __entry->flags = flags;
			   __entry->timeout_ns = timeout_ns;),
	    TP_printk("port=%u slot=%u pid=%d flags=%#x timeout_ns=%llu",
		      __entry->port, __entry->slot, __entry->pid,
		      __entry->flags, __entry->timeout_ns)
);

/* ALLOCATE returns: @ret 0 (granted) or its errno. */
TRACE_EVENT(parclass_allocate_end,
	    TP_PROTO(const struct parclass_session *s, int ret),
	    TP_ARGS(s, ret),
	    TP_STRUCT__entry(__field(u32, port)
			     __field(u32, slot)
			     __field(pid_t, pid)
			     __field(int, ret)),
	    TP_fast_assign(parclass_assign_session(s, task_tgid_nr(current));
			   __entry->ret = ret;),
	    TP_printk("port=%u slot=%u pid=%d result=%s ret=%d",
		      __entry->port, __entry->slot, __entry->pid,
		      parclass_show_allocate(__entry->ret), __entry->ret)
);

/* A transfer of kind @kind begins, for @len bytes. */
TRACE_EVENT(parclass_xfer_start,
	    TP_PROTO(const struct parclass_session *s, int kind, u32 len),
	    TP_ARGS(s, kind, len),
	    TP_STRUCT__entry(__field(u32, port)
			     __field(u32, slot)
			     __field(pid_t, pid)
			     __field(int, kind)
			     __field(u32, len)),
	    TP_fast_assign(parclass_assign_session(s, task_tgid_nr(current));
			   __entry->kind = kind;
			   __entry->len = len;),
	    TP_printk("port=%u slot=%u pid=%d kind=%s len=%u",
		      __entry->port, __entry->slot, __entry->pid,
		      parclass_show_xfer(__entry->kind), __entry->len)
);

/* It ends, @done bytes moved, with @ret 0 or its errno. */
TRACE_EVENT(parclass_xfer_end,
	    TP_PROTO(const struct parclass_session *s, int kind,
		     u32 len, u32 done, int ret),
	    TP_ARGS(s, kind, len, done, ret),
	    TP_STRUCT__entry(__field(u32, port)
			     __field(u32, slot)
			     __field(pid_t, pid)
			     __field(int, kind)
			     __field(u32, len)
			     __field(u32, done)
			     __field(int, ret)),
	    TP_fast_assign(parclass_assign_session(s, task_tgid_nr(current));
			   __entry->kind = kind;
			   __entry->len = len;
			   __entry->done = done;
			   __entry->ret = ret;),
	    TP_printk("port=%u slot=%u pid=%d kind=%s len=%u done=%u ret=%d",
		      __entry->port, __entry->slot, __entry->pid,
		      parclass_show_xfer(__entry->kind), __entry->len,
		      __entry->done, __entry->ret)
);

#endif /* _PARCLASS_TRACE_H */

/* This part must be outside the include guard. */
#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
