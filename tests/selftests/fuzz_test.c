// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_test: a structure-aware fuzzer of /dev/parclass's ioctls.
 *
 * Every PARCLASS_IOC_* command of include/uapi/linux/parclass.h is sent,
 * on two simulated ports (parport_sim, one with an IEEE 1284.3 daisy
 * chain) that the program makes itself and deletes at the end; the
 * emulated LPTs parport0 and parport1 are never connected to.
 *
 * First, deterministic probes, each with the exact errno the header
 * documents: unknown request codes (ENOTTY); sizes 0, 1, size - 8,
 * size - 1 (EINVAL), size + 1, size + 8, PAGE_SIZE + 8 with a zero tail
 * (accepted, the tail left alone) or a non-zero one (E2BIG), 0x80000000
 * and 0xffffffff (EFAULT where the zero tail meets an unmapped page,
 * E2BIG at a non-zero byte); NULL, kernel, non-canonical, unmapped,
 * PROT_NONE and page-straddling arguments (EFAULT); read-only ones (EFAULT
 * for the commands with output fields only); unknown flags, reserved and
 * out-of-range fields; garbage in output-only fields (ignored); dead,
 * forged, other-file, zero and all-ones tokens (ESTALE); bad inner
 * pointers (EFAULT); the port not held (EPERM); ALLOCATE's timeouts (0,
 * small, 2^62, KTIME_MAX, above, ~0) and a signal ending a blocked
 * ALLOCATE, LOCK or SELECT_DEVICE (EINTR, with or without SA_RESTART);
 * close and reopen, a child's exit and a fork()ed copy while holding the
 * port; and a removed port's sessions (ENODEV).
 *
 * Then the random part: NWORKERS processes, on every CPU, each with
 * NFILES open files and sessions on both ports, send random mutations of
 * valid calls: sizes around each struct's size, random flags, reserved
 * and output fields, live, dead, forged and other-file tokens, bad,
 * read-only and straddling struct and buffer pointers, timeouts from 0
 * to ~0, unknown request codes. Files are closed and reopened; children
 * run beside their worker, on its files (the same sessions from two
 * processes) or on one of their own, and exit or are killed, in a call
 * or holding the port; events are read. A call that might wait has a
 * repeating signal armed, so a wait the fuzz left unbounded ends with
 * EINTR. Each result is judged on its own: it must be documented for
 * its command, and for that input (input_errs(): the errnos of the
 * faults the call has and of the states its session may be in, which
 * the worker knows: the ports are never removed, only a worker and its
 * child share sessions...); a call with one known fault (or an
 * unreadable struct, a short size, a bad token) must give exactly the
 * errno of that fault. The first calls that fail this are shown, each
 * with its command, input and errno. The seed is printed: FUZZ_SEED=<seed> makes
 * the same first choices (the results, and the choices that follow
 * them, depend on the workers' timing). The number of ioctls it must
 * send and its time limit are the arguments -n and -t (the lane's
 * manifest gives them), else they depend on the lane
 * (/etc/parclass/lane). It prints the count and a histogram of the
 * results, in all and by command.
 *
 * Last, the device must still work: a fresh session connects, allocates,
 * writes to a simulated port and lets go, the chain is numbered and
 * answers again, LIST_PORTS shows no session, holder or waiter left on
 * the simulated ports, and they can be deleted.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/parclass.h>

#include "pc_ops.h"
#include "sim_control.h"

#define MS			1000000ULL
#define KTIME_MAX_NS		0x7fffffffffffffffULL
#define NO_SUCH_PORT		4000

#define NWORKERS		4
#define NFILES			3
#define MAX_LIVE		6
#define MAX_DEAD		64
#define MAX_OFFENDERS		6
#define SHOW_OFFENDERS		12

/* The signal that ends a wait the fuzz left unbounded, every TICK_MS. */
#define TICK_MS			10
/* A probe's signal, every PROBE_TICK_MS. */
#define PROBE_TICK_MS		30
/* A probe's bounded wait must end within this past its timeout. */
#define LATE_MS			1000

/* The per-process scratch arena: SCRATCH_PAGES pages, then a guard. */
#define SCRATCH_PAGES		32
#define STRUCT_AT		512	/* a probe's struct */
#define WR_PAGE			4	/* WRITE's bytes */
#define RD_PAGE			5	/* READ's and DEVICE_ID's buffer */
#define OPS_PAGE		8	/* PIN_PROGRAM's operations */
#define RES_PAGE		10	/* PIN_PROGRAM's results */
#define LIST_PAGE		12	/* LIST_PORTS's entries, 8 pages */
#define LIST_MAX		8

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))

/*
 * The commands: PARCLASS_CMD_GET_VERSION (0) to the last one. A command
 * added after it makes probe_unknown() fail: the kernel answers the
 * request code after the last one here.
 */
#define NCMDS			(PARCLASS_CMD_INTERRUPTS + 1)
#define CMD_UNKNOWN		NCMDS
#define NSLOTS			(NCMDS + 1)
/* errno values 0..ERRNO_SLOTS - 2 each have a slot; the last holds the rest. */
#define ERRNO_SLOTS		136

/* Argument addresses that are never user memory. */
#define ADDR_KERNEL		0xffffffff81000000UL
#define ADDR_NONCANON		0x0000800000000000UL
#define ADDR_LOW		0x1000UL

/* ------------------------------------------------------------------ */
/* The commands, as the uAPI header documents them. */

#define ERRS(...)	((const int[]){ __VA_ARGS__, 0 })
#define OFF(type, field)	((int)offsetof(type, field))

struct cmd_info {
	const char *name;
	unsigned int req;
	unsigned int size;
	__u32 flags;		/* the flags that have a meaning */
	int reserved;		/* offset of __reserved, -1 for none */
	int token;		/* offset of the session token, -1 for none */
	bool out;		/* output fields: a success writes the struct */
	bool hold;		/* needs the port held */
	const int *errs;	/* its errors besides EFAULT, EINVAL, E2BIG */
};

#define CMD(_nr, _type, _flags, _res, _out, _hold, _errs)		\
	[PARCLASS_CMD_##_nr] = {					\
		.name = #_nr,						\
		.req = PARCLASS_IOC_##_nr,				\
		.size = sizeof(_type),					\
		.flags = _flags,					\
		.reserved = _res,					\
		.token = -1,						\
		.out = _out,						\
		.hold = _hold,						\
		.errs = _errs,						\
	}

#define SCMD(_nr, _type, _flags, _res, _out, _hold, _errs)		\
	[PARCLASS_CMD_##_nr] = {					\
		.name = #_nr,						\
		.req = PARCLASS_IOC_##_nr,				\
		.size = sizeof(_type),					\
		.flags = _flags,					\
		.reserved = _res,					\
		.token = OFF(_type, token),				\
		.out = _out,						\
		.hold = _hold,						\
		.errs = _errs,						\
	}

/* The errors of each command, from its "Return:" section in the header. */
static const struct cmd_info cmds[NCMDS] = {
	CMD(GET_VERSION, struct parclass_version, 0,
	    OFF(struct parclass_version, __reserved), true, false, ERRS(0)),
	CMD(CONNECT, struct parclass_connect, PARCLASS_CONNECT_DAISY, -1,
	    true, false, ERRS(ENODEV, EBUSY, EMFILE, ENFILE, ENOMEM)),
	SCMD(DISCONNECT, struct parclass_disconnect, 0, -1, false, false,
	     ERRS(ESTALE)),
	SCMD(ALLOCATE, struct parclass_allocate,
	     PARCLASS_ALLOCATE_TRY | PARCLASS_ALLOCATE_ASYNC, -1, false, false,
	     ERRS(ESTALE, ENODEV, EALREADY, EAGAIN, EINPROGRESS, ETIMEDOUT,
		  EINTR, ECANCELED, EBUSY, ENOMEM)),
	SCMD(FREE, struct parclass_free, 0, -1, false, true,
	     ERRS(ESTALE, ENODEV, EPERM, EBUSY)),
	SCMD(IS_PORT_FREE, struct parclass_port_free, 0,
	     OFF(struct parclass_port_free, __reserved), true, false,
	     ERRS(ESTALE, ENODEV)),
	SCMD(QUERY_NUM_WAITERS, struct parclass_num_waiters, 0, -1, true,
	     false, ERRS(ESTALE, ENODEV)),
	CMD(LIST_PORTS, struct parclass_list_ports, PARCLASS_LIST_PORTS_DAISY,
	    -1, true, false, ERRS(ENOMEM)),
	SCMD(WRITE, struct parclass_write, PARCLASS_WRITE_MODE, -1, true, true,
	     ERRS(ESTALE, ENODEV, EPERM, EBUSY, ETIMEDOUT, EINTR, EIO,
		  ENOMEM)),
	SCMD(QUERY_INFORMATION, struct parclass_query_information, 0,
	     OFF(struct parclass_query_information, __reserved), true, true,
	     ERRS(ESTALE, ENODEV, EPERM)),
	SCMD(SET_INFORMATION, struct parclass_set_information, 0,
	     OFF(struct parclass_set_information, __reserved), false, true,
	     ERRS(ESTALE, ENODEV, EPERM, EBUSY)),
	SCMD(DEVICE_ID, struct parclass_device_id,
	     PARCLASS_DEVICE_ID_RAW | PARCLASS_DEVICE_ID_DAISY,
	     OFF(struct parclass_device_id, __reserved), true, true,
	     ERRS(ESTALE, ENODEV, EPERM, EBUSY, ERANGE, ENODATA, EIO, ENXIO,
		  EINTR, ENOMEM)),
	SCMD(REGISTER, struct parclass_register, 0,
	     OFF(struct parclass_register, __reserved), true, true,
	     ERRS(ESTALE, ENODEV, EPERM, EBUSY)),
	SCMD(PIN_PROGRAM, struct parclass_pin_program, 0, -1, true, true,
	     ERRS(ETIMEDOUT, ESTALE, ENODEV, EPERM, EBUSY, EINTR, ENOMEM)),
	SCMD(NEGOTIATE, struct parclass_negotiate, PARCLASS_NEGOTIATE_KEEP, -1,
	     true, true,
	     ERRS(EIO, EOPNOTSUPP, EPROTO, EPERM, EBUSY, ESTALE, ENODEV,
		  EINTR)),
	SCMD(TERMINATE, struct parclass_mode, 0, -1, false, true,
	     ERRS(EPERM, EBUSY, ESTALE, ENODEV, EINTR)),
	SCMD(GET_MODE, struct parclass_mode, 0, -1, true, false,
	     ERRS(ESTALE, ENODEV)),
	SCMD(READ, struct parclass_read, 0, -1, true, true,
	     ERRS(EPROTO, ETIMEDOUT, EIO, EPERM, EBUSY, ESTALE, ENODEV, EINTR,
		  ENOMEM)),
	SCMD(ADDRESS, struct parclass_address, PARCLASS_ADDRESS_SET, -1, true,
	     false,
	     ERRS(EPROTO, EIO, ETIMEDOUT, EPERM, EBUSY, ESTALE, ENODEV,
		  EINTR)),
	SCMD(HOST_RECOVERY, struct parclass_host_recovery,
	     PARCLASS_HOST_RECOVERY_SET,
	     OFF(struct parclass_host_recovery, __reserved), true, false,
	     ERRS(ESTALE, ENODEV)),
	SCMD(PING, struct parclass_ping, 0, -1, false, true,
	     ERRS(EIO, EOPNOTSUPP, EPERM, EBUSY, ESTALE, ENODEV, EINTR)),
	SCMD(PROBE, struct parclass_probe, 0, -1, true, true,
	     ERRS(EPERM, EBUSY, ESTALE, ENODEV, EINTR)),
	SCMD(CHIP_MODE, struct parclass_chip_mode,
	     PARCLASS_CHIP_MODE_SET | PARCLASS_CHIP_MODE_CLEAR, -1, true, false,
	     ERRS(EALREADY, ENOENT, EOPNOTSUPP, EPERM, EBUSY, ESTALE, ENODEV)),
	SCMD(LOCK, struct parclass_lock, PARCLASS_LOCK_NO_SELECT, -1, false,
	     false,
	     ERRS(ETIMEDOUT, ENXIO, EALREADY, EINTR, ECANCELED, ESTALE, ENODEV,
		  ENOMEM, EPERM, EBUSY)),
	SCMD(UNLOCK, struct parclass_lock, PARCLASS_LOCK_NO_SELECT, -1, false,
	     true, ERRS(EPERM, EBUSY, ESTALE, ENODEV)),
	SCMD(DAISY_INIT, struct parclass_daisy_init, 0,
	     OFF(struct parclass_daisy_init, __reserved), true, true,
	     ERRS(EPERM, EBUSY, ESTALE, ENODEV)),
	SCMD(SELECT_DEVICE, struct parclass_select, PARCLASS_SELECT_KEEP_PORT,
	     OFF(struct parclass_select, __reserved), false, false,
	     ERRS(ENXIO, EPERM, EBUSY, EALREADY, ETIMEDOUT, EINTR, ECANCELED,
		  ESTALE, ENODEV, ENOMEM)),
	SCMD(DESELECT_DEVICE, struct parclass_select, PARCLASS_SELECT_KEEP_PORT,
	     OFF(struct parclass_select, __reserved), false, true,
	     ERRS(EPERM, EBUSY, ESTALE, ENODEV)),
	SCMD(CANCEL, struct parclass_cancel, 0, -1, false, false,
	     ERRS(EALREADY, ENOENT, ESTALE, ENODEV)),
	SCMD(INTERRUPTS, struct parclass_interrupts,
	     PARCLASS_INTERRUPTS_ENABLE | PARCLASS_INTERRUPTS_DISABLE,
	     OFF(struct parclass_interrupts, __reserved), true, false,
	     ERRS(EACCES, ENXIO, ENOENT, EBUSY, ESTALE, ENODEV)),
};

/* allowed[cmd][errno]: the header documents errno for cmd (0: success). */
static bool allowed[NSLOTS][ERRNO_SLOTS];

static void allowed_init(void)
{
	unsigned int i;
	const int *e;

	for (i = 0; i < NCMDS; i++) {
		allowed[i][0] = true;
		allowed[i][EFAULT] = true;
		allowed[i][EINVAL] = true;
		allowed[i][E2BIG] = true;
		for (e = cmds[i].errs; *e; e++)
			allowed[i][*e] = true;
	}
	allowed[CMD_UNKNOWN][ENOTTY] = true;
}

static const char *cmd_name(int cmd)
{
	return cmd < NCMDS ? cmds[cmd].name : "unknown request";
}

static bool is_request(unsigned int req)
{
	unsigned int i;

	for (i = 0; i < NCMDS; i++)
		if (cmds[i].req == req)
			return true;
	return false;
}

/* Request types the VFS answers itself, before the driver sees them. */
static bool vfs_type(unsigned int req)
{
	switch (_IOC_TYPE(req)) {
	case 0x00:	/* FIBMAP, FIGETBSZ */
	case 0x15:	/* FS_IOC_GETFSUUID, FS_IOC_GETFSSYSFSPATH */
	case 'T':	/* FIONBIO, FIOCLEX, FIOASYNC, FIOQSIZE, ... */
	case 'X':	/* FIFREEZE, FITHAW, FS_IOC_FSGETXATTR */
	case 'f':	/* FS_IOC_FIEMAP, FS_IOC_GETFLAGS */
	case 0x94:	/* FICLONE, FICLONERANGE, FIDEDUPERANGE */
		return true;
	}
	return false;
}

static const struct {
	int e;
	const char *name;
} enames[] = {
	{ 0, "success" }, { EPERM, "EPERM" }, { ENOENT, "ENOENT" },
	{ EINTR, "EINTR" }, { EIO, "EIO" }, { ENXIO, "ENXIO" },
	{ E2BIG, "E2BIG" }, { EAGAIN, "EAGAIN" }, { ENOMEM, "ENOMEM" },
	{ EACCES, "EACCES" }, { EFAULT, "EFAULT" }, { EBUSY, "EBUSY" },
	{ ENODEV, "ENODEV" }, { EINVAL, "EINVAL" }, { ENFILE, "ENFILE" },
	{ EMFILE, "EMFILE" }, { ENOTTY, "ENOTTY" }, { ERANGE, "ERANGE" },
	{ ENODATA, "ENODATA" }, { EPROTO, "EPROTO" },
	{ EOPNOTSUPP, "EOPNOTSUPP" }, { ETIMEDOUT, "ETIMEDOUT" },
	{ EALREADY, "EALREADY" }, { EINPROGRESS, "EINPROGRESS" },
	{ ESTALE, "ESTALE" }, { ECANCELED, "ECANCELED" },
};

static const char *ename(int e)
{
	static char other[4][24];
	static unsigned int n;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(enames); i++)
		if (enames[i].e == e)
			return enames[i].name;
	n = (n + 1) % 4;
	snprintf(other[n], sizeof(other[n]), "errno %d", e);
	return other[n];
}

static unsigned int errno_slot(int e)
{
	return e >= 0 && e < ERRNO_SLOTS - 1 ? (unsigned int)e : ERRNO_SLOTS - 1;
}

/* A set of errno values below 128, 0 (success) included. */
struct eset {
	__u64 w[2];
};

static void eset_add(struct eset *s, int e)
{
	if (e >= 0 && e < 128)
		s->w[e / 64] |= 1ULL << (e % 64);
}

static bool eset_has(const struct eset *s, int e)
{
	return e >= 0 && e < 128 && (s->w[e / 64] >> (e % 64) & 1);
}

static bool eset_empty(const struct eset *s)
{
	return !s->w[0] && !s->w[1];
}

static void eset_or(struct eset *s, const struct eset *t)
{
	s->w[0] |= t->w[0];
	s->w[1] |= t->w[1];
}

/* "{EPERM, ESTALE}" */
static const char *eset_str(const struct eset *s, char *buf, size_t len)
{
	size_t n = 0;
	int e;

	n += snprintf(buf, len, "{");
	for (e = 0; e < 128 && n < len; e++)
		if (eset_has(s, e))
			n += snprintf(buf + n, len - n, "%s%s",
				      n > 1 ? ", " : "", ename(e));
	if (n < len)
		snprintf(buf + n, len - n, "}");
	return buf;
}

/* Every command's struct, and room for a tail. */
union cmd_buf {
	__u64 align;
	unsigned char b[256];
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

static void set_token(union cmd_buf *u, int cmd, __u64 token)
{
	if (cmd < NCMDS && cmds[cmd].token >= 0)
		memcpy(u->b + cmds[cmd].token, &token, sizeof(token));
}

static __u64 get_token(const union cmd_buf *u, int cmd)
{
	__u64 token = 0;

	if (cmd < NCMDS && cmds[cmd].token >= 0)
		memcpy(&token, u->b + cmds[cmd].token, sizeof(token));
	return token;
}

/* ------------------------------------------------------------------ */
/* TAP, the lane, the random numbers. */

static unsigned int tap_n;
static unsigned int tap_failed;

static void tap(bool ok, const char *fmt, ...)
{
	va_list ap;

	printf("%s %u ", ok ? "ok" : "not ok", ++tap_n);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!ok)
		tap_failed++;
}

static void diag(const char *fmt, ...)
{
	va_list ap;

	printf("# ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
}

struct budget {
	char lane[32];
	unsigned long min_calls;	/* the ioctls the fuzz must send */
	unsigned int seconds;		/* the fuzz's time limit */
};

/* The volume by lane, when the arguments do not give it. */
static void lane_budget(struct budget *b)
{
	if (pc_file_get("/etc/parclass/lane", b->lane, sizeof(b->lane)))
		snprintf(b->lane, sizeof(b->lane), "unknown");
	if (!strcmp(b->lane, "debian-6.12")) {
		b->min_calls = 1000000;
		b->seconds = 50;
	} else if (!strcmp(b->lane, "debug")) {
		/* KASAN, lockdep and friends: about ten times slower. */
		b->min_calls = 100000;
		b->seconds = 80;
	} else if (!strcmp(b->lane, "smp1")) {
		/* The debug kernel on one CPU. */
		b->min_calls = 100000;
		b->seconds = 80;
	} else if (!strcmp(b->lane, "debian-6.1")) {
		b->min_calls = 1000000;
		b->seconds = 50;
	} else {
		/* A guest that does not say. */
		b->min_calls = 200000;
		b->seconds = 50;
	}
}

struct rng {
	__u64 s[4];
};

static __u64 splitmix64(__u64 *state)
{
	__u64 z = (*state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, __u64 seed)
{
	unsigned int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static __u64 rotl(__u64 x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static __u64 rnd(struct rng *r)
{
	__u64 result = rotl(r->s[1] * 5, 7) * 9, t = r->s[1] << 17;

	r->s[2] ^= r->s[0];
	r->s[3] ^= r->s[1];
	r->s[1] ^= r->s[2];
	r->s[0] ^= r->s[3];
	r->s[2] ^= t;
	r->s[3] = rotl(r->s[3], 45);
	return result;
}

static __u32 below(struct rng *r, __u32 n)
{
	return n ? (__u32)(((rnd(r) >> 32) * n) >> 32) : 0;
}

/* True @n times in @in. */
static bool chance(struct rng *r, __u32 n, __u32 in)
{
	return below(r, in) < n;
}

/* A non-zero 32-bit value outside @mask (there is one: @mask is not ~0). */
static __u32 bits_outside(struct rng *r, __u32 mask)
{
	__u32 v;

	do {
		v = (__u32)rnd(r) & ~mask;
		if (chance(r, 1, 2) && v)
			v &= -v;	/* one bit */
	} while (!v);
	return v;
}

/* ------------------------------------------------------------------ */
/* The scratch arena: where every argument is put. */

struct arena {
	size_t pg;
	unsigned char *scratch;	/* SCRATCH_PAGES read-write pages */
	unsigned char *guard;	/* PROT_NONE, right after them */
	unsigned char *ro;	/* a read-only page */
	unsigned char *hole;	/* an unmapped page */
};

static struct arena arena;

static int arena_init(struct arena *a)
{
	size_t len;
	unsigned char *p;

	a->pg = sysconf(_SC_PAGESIZE);
	len = (SCRATCH_PAGES + 3) * a->pg;
	p = mmap(NULL, len, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	a->scratch = p;
	a->guard = p + SCRATCH_PAGES * a->pg;
	a->ro = a->guard + a->pg;
	a->hole = a->ro + a->pg;
	if (mprotect(a->guard, a->pg, PROT_NONE) ||
	    mprotect(a->ro, a->pg, PROT_READ) || munmap(a->hole, a->pg))
		return -1;
	return 0;
}

static unsigned char *scratch_page(unsigned int page)
{
	return arena.scratch + page * arena.pg;
}

/* Copy @len bytes to the read-only page at @off. */
static unsigned char *ro_put(size_t off, const void *img, size_t len)
{
	mprotect(arena.ro, arena.pg, PROT_READ | PROT_WRITE);
	memcpy(arena.ro + off, img, len);
	mprotect(arena.ro, arena.pg, PROT_READ);
	return arena.ro + off;
}

/* Where a struct or a buffer goes. */
enum place {
	PL_NORMAL,	/* in the scratch pages */
	PL_STRADDLE,	/* k bytes before the guard page */
	PL_RO,		/* on the read-only page */
	PL_NULL,
	PL_KERNEL,
	PL_NONCANON,
	PL_LOW,		/* below mmap_min_addr */
	PL_HOLE,	/* an unmapped page */
	PL_GUARD,	/* a PROT_NONE page */
	PL_COUNT
};

static const char *const place_names[PL_COUNT] = {
	"scratch", "straddling", "read-only", "NULL", "kernel",
	"non-canonical", "low", "unmapped", "PROT_NONE",
};

/* The address of a place that is never user memory. */
static void *bad_addr(enum place pl)
{
	switch (pl) {
	case PL_KERNEL:
		return (void *)ADDR_KERNEL;
	case PL_NONCANON:
		return (void *)ADDR_NONCANON;
	case PL_LOW:
		return (void *)ADDR_LOW;
	case PL_HOLE:
		return arena.hole;
	case PL_GUARD:
		return arena.guard;
	default:
		return NULL;
	}
}

/* ------------------------------------------------------------------ */
/* The repeating signal that ends waits. */

static timer_t tick_timer;
/* Its only work is to interrupt the call. */
static void on_tick(int sig)
{
	(void)sig;
}

/* SA_RESTART or not: parclass never restarts a wait a signal ended. */
static int tick_handler(bool restart)
{
	struct sigaction sa = { .sa_handler = on_tick };

	sigemptyset(&sa.sa_mask);
	sa.sa_flags = restart ? SA_RESTART : 0;
	return sigaction(SIGUSR1, &sa, NULL);
}

/* The calling process's timer, SIGUSR1 when it fires. */
static int tick_init(bool restart)
{
	struct sigevent sev = {
		.sigev_notify = SIGEV_SIGNAL,
		.sigev_signo = SIGUSR1,
	};

	if (tick_handler(restart))
		return -1;
	return timer_create(CLOCK_MONOTONIC, &sev, &tick_timer);
}

static void tick_arm(unsigned int ms)
{
	struct itimerspec its = {
		.it_value = { ms / 1000, (ms % 1000) * 1000000L },
		.it_interval = { ms / 1000, (ms % 1000) * 1000000L },
	};

	timer_settime(tick_timer, 0, &its, NULL);
}

static void tick_stop(void)
{
	struct itimerspec its = { 0 };

	timer_settime(tick_timer, 0, &its, NULL);
}

/* ------------------------------------------------------------------ */
/* The simulated ports and the module's parameters. */

#define HOLDOFF_PARAM	PC_PARAM_DIR "device_id_holdoff_ms"

static char sim_a[32], sim_b[32], sim_c[32];
static int port_a = -1, port_b = -1;
/*
 * The random part's ports of each worker's own, beside A and B, which
 * all the workers share: on them its sessions get the port more often.
 */
static char sim_w[NWORKERS][32];
static int port_w[NWORKERS] = { -1, -1, -1, -1 };
/* The chain on port B, nearest to the host first. */
#define CHAIN_B		"MFG:Fuzz;MDL:Chain0;CLS:SCANNER;\n" \
			"MFG:Fuzz;MDL:Chain1;CLS:PRINTER;\n"
#define CHAIN_B_LEN	2
#define ID_A		"MFG:Fuzz;MDL:Sim A;CMD:PCL;CLS:PRINTER;"
#define ID_B		"MFG:Fuzz;MDL:Sim B;CMD:PCL;CLS:PRINTER;"

static char old_allow[8], old_holdoff[16];

static int sim_make(const char *name, const char *id, const char *daisy,
		    const char *irq)
{
	if (sim_puts("", "new", name))
		return -1;
	if (daisy && sim_puts(name, "daisy", daisy))
		return -1;
	if (irq && sim_puts(name, "irq", irq))
		return -1;
	if (id && sim_puts(name, "device_id", id))
		return -1;
	if (sim_puts(name, "plugged", "1"))
		return -1;
	return sim_number(name);
}

static bool sim_exists(const char *name)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s", SIM_DIR, name);
	return access(path, F_OK) == 0;
}

static void params_restore(void)
{
	if (old_allow[0])
		pc_file_put(PC_PARAM_ALLOW_IRQ, old_allow[0] == 'Y' ? "1" : "0");
	if (old_holdoff[0])
		pc_file_put(HOLDOFF_PARAM, old_holdoff);
}

/* Sessions connected to port @number (not its chain devices), or -1. */
static int port_sessions(int number)
{
	struct parclass_port_entry e;
	int fd = pc_open(), ret = -1;

	if (fd >= 0 && !pc_port_entry(fd, number, -1, &e))
		ret = e.sessions;
	if (fd >= 0)
		close(fd);
	return ret;
}

/* ------------------------------------------------------------------ */
/* Valid calls of every command. */

/* The port-A session's IEEE 1284 state a probe's call needs. */
enum need { NEED_NONE, NEED_SESSION, NEED_HOLD, NEED_NIBBLE, NEED_QUEUED };

/*
 * Fill @u with a call of command @i that succeeds for a session @token of
 * port A in the state need_of(@i) describes. Buffers go in the scratch
 * pages.
 */
static void fill_valid(int i, union cmd_buf *u, __u64 token)
{
	static const struct parclass_pin_op prog[2] = {
		{ .op = PARCLASS_PIN_READ_STATUS },
		{ .op = PARCLASS_PIN_READ_CONTROL },
	};

	memset(u, 0, sizeof(*u));
	u->version.size = cmds[i].size;
	set_token(u, i, token);
	switch (i) {
	case PARCLASS_CMD_CONNECT:
		u->connect.port = port_a;
		break;
	case PARCLASS_CMD_ALLOCATE:
		u->allocate.flags = PARCLASS_ALLOCATE_TRY;
		break;
	case PARCLASS_CMD_LIST_PORTS:
		u->list_ports.entry_size = sizeof(struct parclass_port_entry);
		break;
	case PARCLASS_CMD_WRITE:
		memcpy(scratch_page(WR_PAGE), "fuzz", 4);
		u->write.buffer = (__u64)(unsigned long)scratch_page(WR_PAGE);
		u->write.length = 4;
		u->write.timeout_ns = 1000 * MS;
		break;
	case PARCLASS_CMD_SET_INFORMATION:
		u->set_info.init = PARCLASS_PARALLEL_INIT;
		break;
	case PARCLASS_CMD_DEVICE_ID:
		u->device_id.buffer = (__u64)(unsigned long)scratch_page(RD_PAGE);
		u->device_id.length = 256;
		break;
	case PARCLASS_CMD_REGISTER:
		u->reg.op = PARCLASS_PIN_READ_STATUS;
		break;
	case PARCLASS_CMD_PIN_PROGRAM:
		memcpy(scratch_page(OPS_PAGE), prog, sizeof(prog));
		u->pin_program.ops = (__u64)(unsigned long)scratch_page(OPS_PAGE);
		u->pin_program.count = 2;
		u->pin_program.results =
			(__u64)(unsigned long)scratch_page(RES_PAGE);
		u->pin_program.results_len = 2;
		break;
	case PARCLASS_CMD_NEGOTIATE:
		u->negotiate.read_mask = PARCLASS_1284_NIBBLE;
		u->negotiate.write_mask = PARCLASS_1284_CENTRONICS;
		break;
	case PARCLASS_CMD_READ:
		u->read.buffer = (__u64)(unsigned long)scratch_page(RD_PAGE);
		u->read.length = 16;
		u->read.timeout_ns = 100 * MS;
		break;
	case PARCLASS_CMD_ADDRESS:
		u->address.direction = PARCLASS_ADDRESS_WRITE;
		break;
	case PARCLASS_CMD_SELECT_DEVICE:
		u->select.device = PARCLASS_DAISY_END_OF_CHAIN;
		break;
	}
}

static enum need need_of(int i)
{
	if (i == PARCLASS_CMD_READ)
		return NEED_NIBBLE;
	if (i == PARCLASS_CMD_CANCEL)
		return NEED_QUEUED;
	if (cmds[i].hold)
		return NEED_HOLD;
	return cmds[i].token >= 0 ? NEED_SESSION : NEED_NONE;
}

/* A fresh file, its session on port A in the state command @i needs. */
struct probe {
	int fd;
	__u64 token;
	__u64 holder;		/* NEED_QUEUED: the session holding the port */
	union cmd_buf u;	/* a call of command @i that succeeds */
};

static int probe_prep(int i, struct probe *p)
{
	struct parclass_allocate a = {
		.size = sizeof(a),
		.flags = PARCLASS_ALLOCATE_ASYNC,
	};
	enum need need = need_of(i);
	__u32 rm, wm;
	int ret = 0;

	memset(p, 0, sizeof(*p));
	p->fd = pc_open();
	if (p->fd < 0)
		return -errno;
	if (need == NEED_QUEUED)
		ret = pc_connect(p->fd, port_a, &p->holder) ?:
		      pc_try_allocate(p->fd, p->holder);
	if (!ret && need != NEED_NONE)
		ret = pc_connect(p->fd, port_a, &p->token);
	if (!ret && (need == NEED_HOLD || need == NEED_NIBBLE))
		ret = pc_try_allocate(p->fd, p->token);
	if (!ret && need == NEED_NIBBLE)
		ret = pc_negotiate(p->fd, p->token, 0, PARCLASS_1284_NIBBLE, 0,
				   &rm, &wm);
	if (!ret && need == NEED_QUEUED) {
		a.token = p->token;
		ret = pc_ret(ioctl(p->fd, PARCLASS_IOC_ALLOCATE, &a));
		ret = ret == -EINPROGRESS ? 0 : ret ?: -EALREADY;
	}
	fill_valid(i, &p->u, p->token);
	return ret;
}

static void probe_done(struct probe *p)
{
	if (p->fd >= 0)
		close(p->fd);
	p->fd = -1;
}

/* The call at @arg: 0 or an errno value (positive returns count as EPROTO+1000). */
static int call(int fd, unsigned int req, void *arg)
{
	int ret = ioctl(fd, req, arg);

	if (ret < 0)
		return errno;
	return ret ? 1000 + ret : 0;
}

/* Put @len bytes of @img at scratch offset @off; the argument. */
static unsigned char *put(size_t off, const void *img, size_t len)
{
	memcpy(arena.scratch + off, img, len);
	return arena.scratch + off;
}

/* ------------------------------------------------------------------ */
/* Probe bookkeeping: each group is one TAP result. */

struct group {
	const char *name;
	unsigned int checks;
	unsigned int failures;
};

static bool check(struct group *g, bool ok, const char *fmt, ...)
{
	va_list ap;

	g->checks++;
	if (ok)
		return true;
	if (g->failures++ < SHOW_OFFENDERS) {
		printf("# %s: ", g->name);
		va_start(ap, fmt);
		vprintf(fmt, ap);
		va_end(ap);
		printf("\n");
	}
	return false;
}

static bool check_errno(struct group *g, int i, const char *what, int got,
			int want)
{
	return check(g, got == want, "%s %s: %s, want %s", cmd_name(i), what,
		     ename(got), ename(want));
}

/*
 * A refused call left its argument alone: the @len bytes at @at are
 * still those of @in. The message starts with @fmt, naming the call.
 */
static bool check_kept(struct group *g, const void *at, const void *in,
		       size_t len, const char *fmt, ...)
{
	char call[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(call, sizeof(call), fmt, ap);
	va_end(ap);
	return check(g, !memcmp(at, in, len), "%s: refused call wrote back",
		     call);
}

static void group_end(struct group *g, const char *title)
{
	if (g->failures > SHOW_OFFENDERS)
		diag("%s: %u more failures", g->name,
		     g->failures - SHOW_OFFENDERS);
	tap(!g->failures && g->checks, "%s (%u checks)", title, g->checks);
}

/* Run command @i's prepared call @u (@size as its size) at scratch @off. */
static int probe_run(int i, struct probe *p, const union cmd_buf *u,
		     size_t off, size_t len)
{
	return call(p->fd, cmds[i].req, put(off, u, len));
}

/* ------------------------------------------------------------------ */
/* The probes. */

static bool setup_ok;

static void probe_table(void)
{
	struct group g = { "table" };
	unsigned int i;

	for (i = 0; i < NCMDS; i++) {
		check(&g, cmds[i].name, "command %u has no entry", i);
		if (!cmds[i].name)
			continue;
		check(&g, cmds[i].req == _IO(PARCLASS_TYPE,
					     PARCLASS_CMD_BASE + i),
		      "%s: %#x is not command %u's request code",
		      cmds[i].name, cmds[i].req, i);
		check(&g, cmds[i].size % 8 == 0 && cmds[i].size >= 16,
		      "%s: struct of %u bytes", cmds[i].name, cmds[i].size);
	}
	group_end(&g, "probe: the command table covers every PARCLASS_IOC_* request of the header");
}

static void probe_unknown(void)
{
	struct group g = { "unknown" };
	unsigned int reqs[64 + 3 * NCMDS], n = 0, i, k;
	int fd = pc_open();
	int err;

	reqs[n++] = _IO(PARCLASS_TYPE, PARCLASS_CMD_BASE + NCMDS);
	reqs[n++] = _IO(PARCLASS_TYPE, PARCLASS_CMD_BASE - 1);
	reqs[n++] = _IO(PARCLASS_TYPE, 0);
	reqs[n++] = _IO(PARCLASS_TYPE, 0xff);
	reqs[n++] = _IO(PARCLASS_TYPE + 1, PARCLASS_CMD_BASE);
	reqs[n++] = _IO(PARCLASS_TYPE - 1, PARCLASS_CMD_BASE + 1);
	reqs[n++] = _IO('p', 0x8b);		/* ppdev's PPCLAIM */
	reqs[n++] = 0x5401;			/* TCGETS: isatty() */
	reqs[n++] = 0xffffffff;
	reqs[n++] = PARCLASS_IOC_CONNECT | 0x00010000;
	for (i = 0; i < NCMDS; i++) {
		reqs[n++] = _IOC(_IOC_READ, PARCLASS_TYPE,
				 PARCLASS_CMD_BASE + i, cmds[i].size);
		reqs[n++] = _IOC(_IOC_WRITE, PARCLASS_TYPE,
				 PARCLASS_CMD_BASE + i, cmds[i].size);
		reqs[n++] = _IOC(_IOC_READ | _IOC_WRITE, PARCLASS_TYPE,
				 PARCLASS_CMD_BASE + i, cmds[i].size);
	}
	if (!check(&g, fd >= 0, "open: %s", strerror(errno)))
		goto out;
	for (k = 0; k < n; k++) {
		union cmd_buf u;

		/* A valid GET_VERSION struct, then a bad pointer. */
		fill_valid(PARCLASS_CMD_GET_VERSION, &u, 0);
		err = call(fd, reqs[k], put(STRUCT_AT, &u, sizeof(u)));
		check(&g, err == ENOTTY, "request %#x: %s", reqs[k],
		      ename(err));
		err = call(fd, reqs[k], NULL);
		check(&g, err == ENOTTY, "request %#x, NULL: %s", reqs[k],
		      ename(err));
	}
	close(fd);
out:
	group_end(&g, "probe: unknown request codes give ENOTTY");
}

/* Each command with size @size (the tail after the struct as given). */
static void probe_short(void)
{
	struct group g = { "short" };
	struct probe p;
	unsigned int i, k;

	for (i = 0; i < NCMDS; i++) {
		__u32 sz = cmds[i].size;
		const __u32 sizes[] = { 0, 1, sz - 8, sz - 1 };

		for (k = 0; k < 4; k++) {
			union cmd_buf u;
			unsigned char *at;
			int err;

			if (!check(&g, !probe_prep(i, &p), "%s: prep",
				   cmds[i].name)) {
				probe_done(&p);
				continue;
			}
			u = p.u;
			u.version.size = sizes[k];
			at = put(STRUCT_AT, &u, sizeof(u));
			err = call(p.fd, cmds[i].req, at);
			check_errno(&g, i, "short size", err, EINVAL);
			check_kept(&g, at, &u, sizeof(u), "%s size %u",
				   cmds[i].name, sizes[k]);
			probe_done(&p);
		}
	}
	group_end(&g, "probe: sizes 0, 1, size - 8, size - 1 give EINVAL");
}

static void probe_tails(void)
{
	struct group g = { "tail" };
	struct probe p;
	unsigned int i, k;

	for (i = 0; i < NCMDS; i++) {
		__u32 sz = cmds[i].size;
		const struct {
			__u32 size;
			bool nonzero;
		} v[] = {
			{ sz + 1, false }, { sz + 8, false },
			{ arena.pg + 8, false },
			{ sz + 1, true }, { sz + 8, true },
			{ arena.pg + 8, true },
		};

		for (k = 0; k < ARRAY_SIZE(v); k++) {
			size_t tail = v[k].size - sz;
			unsigned char *at = arena.scratch + STRUCT_AT;
			union cmd_buf u;
			int err;

			if (!check(&g, !probe_prep(i, &p), "%s: prep",
				   cmds[i].name)) {
				probe_done(&p);
				continue;
			}
			u = p.u;
			u.version.size = v[k].size;
			put(STRUCT_AT, &u, sz);
			memset(at + sz, 0, tail);
			if (v[k].nonzero)
				at[sz + tail - 1] = 0x5a;
			err = call(p.fd, cmds[i].req, at);
			if (v[k].nonzero) {
				check(&g, err == E2BIG,
				      "%s size %u, a non-zero tail byte: %s, want E2BIG",
				      cmds[i].name, v[k].size, ename(err));
				check_kept(&g, at, &u, sz, "%s size %u",
					   cmds[i].name, v[k].size);
				at[sz + tail - 1] = 0;
			} else {
				check(&g, err == 0,
				      "%s size %u, a zero tail: %s, want success",
				      cmds[i].name, v[k].size, ename(err));
				check(&g, !memcmp(at, &v[k].size, 4),
				      "%s size %u: the size field changed",
				      cmds[i].name, v[k].size);
			}
			for (; tail; tail--)
				if (at[sz + tail - 1])
					break;
			check(&g, !tail, "%s size %u: the tail was written",
			      cmds[i].name, v[k].size);
			probe_done(&p);
		}
	}
	group_end(&g, "probe: longer structs: a zero tail works, a non-zero one gives E2BIG");
}

static void probe_huge(void)
{
	struct group g = { "huge" };
	struct probe p;
	unsigned int i, k;

	for (i = 0; i < NCMDS; i++) {
		__u32 sz = cmds[i].size;
		const __u32 sizes[] = { 0x80000000U, 0xffffffffU };

		for (k = 0; k < 4; k++) {
			/* The struct 64 bytes into the last scratch page. */
			unsigned char *at = arena.guard - arena.pg + 64;
			bool nonzero = k & 1;
			union cmd_buf u;
			int err, want = nonzero ? E2BIG : EFAULT;

			if (!check(&g, !probe_prep(i, &p), "%s: prep",
				   cmds[i].name)) {
				probe_done(&p);
				continue;
			}
			u = p.u;
			u.version.size = sizes[k / 2];
			memset(at, 0, arena.guard - at);
			memcpy(at, &u, sz);
			if (nonzero)
				at[sz + 5] = 1;
			err = call(p.fd, cmds[i].req, at);
			check(&g, err == want, "%s size %#x%s: %s, want %s",
			      cmds[i].name, sizes[k / 2],
			      nonzero ? ", a non-zero tail byte" : "",
			      ename(err), ename(want));
			check_kept(&g, at, &u, sz, "%s size %#x",
				   cmds[i].name, sizes[k / 2]);
			probe_done(&p);
		}
	}
	group_end(&g, "probe: sizes 0x80000000, 0xffffffff give EFAULT or E2BIG");
}

static void probe_pointers(void)
{
	static const enum place bad[] = {
		PL_NULL, PL_KERNEL, PL_NONCANON, PL_LOW, PL_HOLE, PL_GUARD,
	};
	struct group g = { "pointer" };
	struct probe p;
	unsigned int i, k;
	int err;

	for (i = 0; i < NCMDS; i++) {
		__u32 sz = cmds[i].size;
		/* Bytes of the struct before the guard page, and the result. */
		const struct {
			unsigned int k;
			int want;
		} straddle[] = {
			{ 2, EFAULT }, { sz / 2, EFAULT }, { sz - 1, EFAULT },
			{ sz, 0 },
		};

		for (k = 0; k < ARRAY_SIZE(bad); k++) {
			if (!check(&g, !probe_prep(i, &p), "%s: prep",
				   cmds[i].name)) {
				probe_done(&p);
				continue;
			}
			err = call(p.fd, cmds[i].req, bad_addr(bad[k]));
			check(&g, err == EFAULT, "%s, %s argument: %s",
			      cmds[i].name, place_names[bad[k]], ename(err));
			probe_done(&p);
		}
		for (k = 0; k < 4; k++) {
			unsigned char *at = arena.guard - straddle[k].k;

			if (!check(&g, !probe_prep(i, &p), "%s: prep",
				   cmds[i].name)) {
				probe_done(&p);
				continue;
			}
			memcpy(at, &p.u, straddle[k].k);
			err = call(p.fd, cmds[i].req, at);
			check(&g, err == straddle[k].want,
			      "%s, %u of %u bytes before an unmapped page: %s, want %s",
			      cmds[i].name, straddle[k].k, sz, ename(err),
			      ename(straddle[k].want));
			probe_done(&p);
		}
		/* An unaligned struct is fine. */
		if (check(&g, !probe_prep(i, &p), "%s: prep", cmds[i].name)) {
			err = probe_run(i, &p, &p.u, STRUCT_AT + 3, sz);
			check(&g, !err, "%s, unaligned: %s", cmds[i].name,
			      ename(err));
		}
		probe_done(&p);
	}
	group_end(&g, "probe: bad and page-straddling struct pointers give EFAULT");
}

static void probe_readonly(void)
{
	struct group g = { "read-only" };
	struct probe p;
	unsigned int i;
	int before, err;

	for (i = 0; i < NCMDS; i++) {
		int want = cmds[i].out ? EFAULT : 0;

		if (!check(&g, !probe_prep(i, &p), "%s: prep", cmds[i].name)) {
			probe_done(&p);
			continue;
		}
		before = port_sessions(port_a);
		err = call(p.fd, cmds[i].req,
			   ro_put(64, &p.u, cmds[i].size));
		check(&g, err == want, "%s, read-only struct: %s, want %s",
		      cmds[i].name, ename(err), ename(want));
		if (i == PARCLASS_CMD_CONNECT)
			check(&g, port_sessions(port_a) == before,
			      "a refused CONNECT left a session (%d, before %d)",
			      port_sessions(port_a), before);
		probe_done(&p);
	}
	group_end(&g, "probe: a read-only struct gives EFAULT where there is output");
}

/* One field change of a valid call, and its errno. */
struct field_case {
	int cmd;
	const char *what;
	size_t off;		/* a __u32 at this offset ... */
	__u32 value;		/* ... takes this value */
	size_t off2;		/* and, unless 0, another one */
	__u32 value2;
	int want;
};

#define F(_cmd, _what, _type, _field, _value, _want)			\
	{ PARCLASS_CMD_##_cmd, _what, offsetof(_type, _field), _value, 0, 0, \
	  _want }
#define F2(_cmd, _what, _type, _f1, _v1, _f2, _v2, _want)		\
	{ PARCLASS_CMD_##_cmd, _what, offsetof(_type, _f1), _v1,	\
	  offsetof(_type, _f2), _v2, _want }

static const struct field_case field_cases[] = {
	F(CONNECT, "a chain device without PARCLASS_CONNECT_DAISY",
	  struct parclass_connect, daisy, 1, EINVAL),
	F2(CONNECT, "chain device 4", struct parclass_connect,
	   flags, PARCLASS_CONNECT_DAISY, daisy, 4, EINVAL),
	F2(CONNECT, "a chain device of a port without a chain",
	   struct parclass_connect, flags, PARCLASS_CONNECT_DAISY, daisy, 0,
	   EINVAL),
	F(CONNECT, "no such port", struct parclass_connect, port,
	  NO_SUCH_PORT, ENODEV),
	F(CONNECT, "port 16", struct parclass_connect, port, 16, ENODEV),
	F(CONNECT, "port ~0", struct parclass_connect, port, ~0U, ENODEV),
	F(ALLOCATE, "TRY and ASYNC", struct parclass_allocate, flags,
	  PARCLASS_ALLOCATE_TRY | PARCLASS_ALLOCATE_ASYNC, EINVAL),
	F2(ALLOCATE, "ASYNC with a timeout", struct parclass_allocate,
	   flags, PARCLASS_ALLOCATE_ASYNC, timeout_ns, 1, EINVAL),
	F(LIST_PORTS, "entry_size 0", struct parclass_list_ports, entry_size,
	  0, EINVAL),
	F(LIST_PORTS, "entry_size one short", struct parclass_list_ports,
	  entry_size, sizeof(struct parclass_port_entry) - 1, EINVAL),
	F(LIST_PORTS, "entry_size above the maximum",
	  struct parclass_list_ports, entry_size,
	  PARCLASS_PORT_ENTRY_SIZE_MAX + 1, E2BIG),
	F(LIST_PORTS, "entry_size ~0", struct parclass_list_ports,
	  entry_size, ~0U, E2BIG),
	F(SET_INFORMATION, "init 0", struct parclass_set_information, init,
	  0, EINVAL),
	F(SET_INFORMATION, "init 2", struct parclass_set_information, init,
	  2, EINVAL),
	F(DEVICE_ID, "length above 64 KiB", struct parclass_device_id, length,
	  PARCLASS_DEVICE_ID_MAX + 1, EINVAL),
	F(DEVICE_ID, "a chain device without PARCLASS_DEVICE_ID_DAISY",
	  struct parclass_device_id, daisy, 1, EINVAL),
	F2(DEVICE_ID, "chain device 4", struct parclass_device_id, flags,
	   PARCLASS_DEVICE_ID_DAISY, daisy, PARCLASS_DAISY_MAX, EINVAL),
	F(REGISTER, "op 0", struct parclass_register, op, 0, EINVAL),
	F(REGISTER, "op WAIT_STATUS", struct parclass_register, op,
	  PARCLASS_PIN_WAIT_STATUS, EINVAL),
	F(REGISTER, "op 256", struct parclass_register, op,
	  256 + PARCLASS_PIN_READ_STATUS, EINVAL),
	F(REGISTER, "a mask for a read", struct parclass_register, mask, 1,
	  EINVAL),
	F2(REGISTER, "a control value beyond the four lines",
	   struct parclass_register, op, PARCLASS_PIN_WRITE_CONTROL, value,
	   0x10, EINVAL),
	F2(REGISTER, "a data byte above 255", struct parclass_register, op,
	   PARCLASS_PIN_WRITE_DATA, value, 0x100, EINVAL),
	F2(REGISTER, "data direction 2", struct parclass_register, op,
	   PARCLASS_PIN_DATA_DIR, value, 2, EINVAL),
	F2(REGISTER, "a frob mask beyond the four lines",
	   struct parclass_register, op, PARCLASS_PIN_FROB_CONTROL, mask,
	   0x10, EINVAL),
	F2(REGISTER, "a frob value outside its mask",
	   struct parclass_register, op, PARCLASS_PIN_FROB_CONTROL, value, 1,
	   EINVAL),
	F(PIN_PROGRAM, "count 0", struct parclass_pin_program, count, 0,
	  EINVAL),
	F(PIN_PROGRAM, "count above the maximum", struct parclass_pin_program,
	  count, PARCLASS_PIN_MAX_OPS + 1, E2BIG),
	F(PIN_PROGRAM, "count ~0", struct parclass_pin_program, count, ~0U,
	  E2BIG),
	F(PIN_PROGRAM, "room for one result of two",
	  struct parclass_pin_program, results_len, 1, EINVAL),
	F(NEGOTIATE, "an unknown mode bit", struct parclass_negotiate,
	  read_mask, PARCLASS_1284_ALL + 1, EINVAL),
	F(NEGOTIATE, "a write mode to read", struct parclass_negotiate,
	  read_mask, PARCLASS_1284_CENTRONICS, EINVAL),
	F(NEGOTIATE, "a read mode to write", struct parclass_negotiate,
	  write_mask, PARCLASS_1284_NIBBLE, EINVAL),
	F(NEGOTIATE, "byte mode to write", struct parclass_negotiate,
	  write_mask, PARCLASS_1284_BYTE_BIDIR, EINVAL),
	F(READ, "length 0", struct parclass_read, length, 0, EINVAL),
	F(READ, "length above the maximum", struct parclass_read, length,
	  PARCLASS_READ_MAX + 1, EINVAL),
	F(ADDRESS, "direction 2", struct parclass_address, direction, 2,
	  EINVAL),
	F2(ADDRESS, "address 256", struct parclass_address, flags,
	   PARCLASS_ADDRESS_SET, address, PARCLASS_EPP_ADDRESS_MAX + 1,
	   EINVAL),
	F2(HOST_RECOVERY, "enabled 2", struct parclass_host_recovery, flags,
	   PARCLASS_HOST_RECOVERY_SET, enabled, 2, EINVAL),
	F(PROBE, "an unknown mode bit", struct parclass_probe, exclude,
	  PARCLASS_1284_ALL + 1, EINVAL),
	F(CHIP_MODE, "SET and CLEAR", struct parclass_chip_mode, flags,
	  PARCLASS_CHIP_MODE_SET | PARCLASS_CHIP_MODE_CLEAR, EINVAL),
	F(CHIP_MODE, "a mode to report", struct parclass_chip_mode, mode,
	  PARCLASS_CHIP_MODE_BYTE, EINVAL),
	F(CHIP_MODE, "SET of the initial mode", struct parclass_chip_mode,
	  flags, PARCLASS_CHIP_MODE_SET, EINVAL),
	F2(CHIP_MODE, "SET of mode 0x40", struct parclass_chip_mode, flags,
	   PARCLASS_CHIP_MODE_SET, mode, 0x40, EINVAL),
	F2(CHIP_MODE, "CLEAR of mode 0x10", struct parclass_chip_mode, flags,
	   PARCLASS_CHIP_MODE_CLEAR, mode, 0x10, EINVAL),
	F(SELECT_DEVICE, "device 5", struct parclass_select, device, 5,
	  EINVAL),
	F(SELECT_DEVICE, "a chain device of a port without a chain",
	  struct parclass_select, device, 0, EINVAL),
	F2(SELECT_DEVICE, "KEEP_PORT with a timeout", struct parclass_select,
	   flags, PARCLASS_SELECT_KEEP_PORT, timeout_ns, 1, EINVAL),
	F(DESELECT_DEVICE, "a device", struct parclass_select, device, 1,
	  EINVAL),
	F(DESELECT_DEVICE, "a timeout", struct parclass_select, timeout_ns, 1,
	  EINVAL),
	F(INTERRUPTS, "ENABLE and DISABLE", struct parclass_interrupts, flags,
	  PARCLASS_INTERRUPTS_ENABLE | PARCLASS_INTERRUPTS_DISABLE, EINVAL),
};

static void probe_fields(void)
{
	struct group g = { "fields" };
	struct probe p;
	unsigned int i, k;

	for (i = 0; i < NCMDS; i++) {
		/* The lowest undefined flag, bit 31; the reserved field. */
		const struct {
			int off;
			__u32 value;
		} v[] = {
			{ 4, cmds[i].flags + 1 ? (~cmds[i].flags & (cmds[i].flags + 1)) : 0 },
			{ 4, 1U << 31 },
			{ cmds[i].reserved, 1 },
			{ cmds[i].reserved, 1U << 31 },
		};

		for (k = 0; k < 4; k++) {
			unsigned char *at;
			union cmd_buf u;
			__u32 old;
			int err;

			if (v[k].off < 0 || !v[k].value)
				continue;
			if (!check(&g, !probe_prep(i, &p), "%s: prep",
				   cmds[i].name)) {
				probe_done(&p);
				continue;
			}
			u = p.u;
			memcpy(&old, u.b + v[k].off, 4);
			old |= v[k].value;
			memcpy(u.b + v[k].off, &old, 4);
			at = put(STRUCT_AT, &u, sizeof(u));
			err = call(p.fd, cmds[i].req, at);
			check(&g, err == EINVAL, "%s, %#x at offset %d: %s",
			      cmds[i].name, v[k].value, v[k].off, ename(err));
			check_kept(&g, at, &u, sizeof(u), "%s", cmds[i].name);
			probe_done(&p);
		}
	}
	for (k = 0; k < ARRAY_SIZE(field_cases); k++) {
		const struct field_case *fc = &field_cases[k];
		unsigned char *at;
		union cmd_buf u;
		int err;

		if (!check(&g, !probe_prep(fc->cmd, &p), "%s: prep",
			   cmds[fc->cmd].name)) {
			probe_done(&p);
			continue;
		}
		u = p.u;
		memcpy(u.b + fc->off, &fc->value, 4);
		if (fc->off2)
			memcpy(u.b + fc->off2, &fc->value2, 4);
		at = put(STRUCT_AT, &u, sizeof(u));
		err = call(p.fd, cmds[fc->cmd].req, at);
		check(&g, err == fc->want, "%s, %s: %s, want %s",
		      cmds[fc->cmd].name, fc->what, ename(err),
		      ename(fc->want));
		check_kept(&g, at, &u, sizeof(u), "%s, %s", cmds[fc->cmd].name,
			   fc->what);
		probe_done(&p);
	}
	group_end(&g, "probe: unknown flags, reserved and out-of-range fields give EINVAL");
}

/* Fields that are output only: garbage in them is ignored. */
static const struct {
	int cmd;
	size_t off, len;
} out_fields[] = {
	{ PARCLASS_CMD_GET_VERSION, offsetof(struct parclass_version, abi_version), 4 },
	{ PARCLASS_CMD_GET_VERSION, offsetof(struct parclass_version, features), 8 },
	{ PARCLASS_CMD_CONNECT, offsetof(struct parclass_connect, token),
	  8 + sizeof(struct parclass_port_info) },
	{ PARCLASS_CMD_IS_PORT_FREE, offsetof(struct parclass_port_free, is_free), 4 },
	{ PARCLASS_CMD_QUERY_NUM_WAITERS, offsetof(struct parclass_num_waiters, waiters), 8 },
	{ PARCLASS_CMD_WRITE, offsetof(struct parclass_write, written), 4 },
	{ PARCLASS_CMD_QUERY_INFORMATION, offsetof(struct parclass_query_information, status), 12 },
	{ PARCLASS_CMD_DEVICE_ID, offsetof(struct parclass_device_id, id_size), 4 },
	/* A read's value: the byte read. */
	{ PARCLASS_CMD_REGISTER, offsetof(struct parclass_register, value), 1 },
	{ PARCLASS_CMD_PIN_PROGRAM, offsetof(struct parclass_pin_program, done), 4 },
	{ PARCLASS_CMD_PIN_PROGRAM, offsetof(struct parclass_pin_program, results_used), 4 },
	{ PARCLASS_CMD_NEGOTIATE, offsetof(struct parclass_negotiate, read_mode), 8 },
	{ PARCLASS_CMD_TERMINATE, offsetof(struct parclass_mode, read_mode), 8 },
	{ PARCLASS_CMD_GET_MODE, offsetof(struct parclass_mode, read_mode), 8 },
	{ PARCLASS_CMD_READ, offsetof(struct parclass_read, done), 4 },
	{ PARCLASS_CMD_ADDRESS, offsetof(struct parclass_address, address), 4 },
	{ PARCLASS_CMD_HOST_RECOVERY, offsetof(struct parclass_host_recovery, enabled), 4 },
	{ PARCLASS_CMD_PROBE, offsetof(struct parclass_probe, modes), 4 },
	{ PARCLASS_CMD_CHIP_MODE, offsetof(struct parclass_chip_mode, current_mode), 4 },
	{ PARCLASS_CMD_DAISY_INIT, offsetof(struct parclass_daisy_init, count), 4 },
	{ PARCLASS_CMD_INTERRUPTS, offsetof(struct parclass_interrupts, count), 4 },
};

static void probe_out_fields(void)
{
	struct group g = { "output fields" };
	struct probe p;
	unsigned int k;

	for (k = 0; k < ARRAY_SIZE(out_fields); k++) {
		int i = out_fields[k].cmd, err;
		union cmd_buf u;

		if (!check(&g, !probe_prep(i, &p), "%s: prep", cmds[i].name)) {
			probe_done(&p);
			continue;
		}
		u = p.u;
		memset(u.b + out_fields[k].off, 0xa5, out_fields[k].len);
		err = probe_run(i, &p, &u, STRUCT_AT, sizeof(u));
		check(&g, !err, "%s, garbage at offset %zu: %s", cmds[i].name,
		      out_fields[k].off, ename(err));
		probe_done(&p);
	}
	group_end(&g, "probe: garbage in output-only fields is ignored");
}

static void probe_tokens(void)
{
	struct group g = { "tokens" };
	struct probe p;
	unsigned int i, k;
	int other_fd = pc_open();
	__u64 other = 0;

	if (!check(&g, other_fd >= 0 && !pc_connect(other_fd, port_a, &other),
		   "a second file's session"))
		goto out;
	for (i = 0; i < NCMDS; i++) {
		__u64 dead = 0, bad[9];
		unsigned int n = 0;

		if (cmds[i].token < 0)
			continue;
		if (!check(&g, !probe_prep(i, &p), "%s: prep", cmds[i].name)) {
			probe_done(&p);
			continue;
		}
		if (!check(&g, !pc_connect(p.fd, port_a, &dead) &&
			   !pc_disconnect(p.fd, dead), "%s: a dead session",
			   cmds[i].name)) {
			probe_done(&p);
			continue;
		}
		bad[n++] = dead;
		bad[n++] = p.token ^ (1ULL << 40);	/* the random part */
		bad[n++] = p.token ^ (1ULL << 63);
		bad[n++] = p.token + (1ULL << 24);	/* the generation */
		bad[n++] = p.token ^ 4;			/* the slot */
		bad[n++] = other;
		bad[n++] = 0;
		bad[n++] = ~0ULL;
		bad[n++] = p.token & 0xffffff;
		for (k = 0; k < n; k++) {
			unsigned char *at;
			union cmd_buf u;
			int err;

			if (bad[k] == p.token || bad[k] == p.holder)
				continue;
			u = p.u;
			set_token(&u, i, bad[k]);
			at = put(STRUCT_AT, &u, sizeof(u));
			err = call(p.fd, cmds[i].req, at);
			check(&g, err == ESTALE, "%s, token %#llx: %s",
			      cmds[i].name, (unsigned long long)bad[k],
			      ename(err));
			check_kept(&g, at, &u, sizeof(u), "%s", cmds[i].name);
		}
		/* The file's own session is untouched: the call works. */
		check_errno(&g, i, "with its own token afterwards",
			    probe_run(i, &p, &p.u, STRUCT_AT, sizeof(p.u)), 0);
		probe_done(&p);
	}
	check(&g, !pc_disconnect(other_fd, other),
	      "the other file's session was touched");
out:
	if (other_fd >= 0)
		close(other_fd);
	group_end(&g, "probe: dead, forged and other-file tokens give ESTALE");
}

static void probe_inner(void)
{
	static const enum place bad[] = {
		PL_NULL, PL_KERNEL, PL_NONCANON, PL_HOLE, PL_GUARD, PL_STRADDLE,
	};
	struct group g = { "inner pointers" };
	struct probe p;
	unsigned int k, j;

	for (k = 0; k < ARRAY_SIZE(bad) + 1; k++) {
		bool ro = k == ARRAY_SIZE(bad);
		enum place pl = ro ? PL_RO : bad[k];
		/* A buffer: one byte before the guard, or read-only. */
		__u64 addr = pl == PL_STRADDLE ?
			     (__u64)(unsigned long)(arena.guard - 1) :
			     ro ? (__u64)(unsigned long)arena.ro :
			     (__u64)(unsigned long)bad_addr(pl);
		const struct {
			int cmd;
			size_t off;
			bool input;	/* read by the kernel, not written */
		} ptrs[] = {
			{ PARCLASS_CMD_WRITE,
			  offsetof(struct parclass_write, buffer), true },
			{ PARCLASS_CMD_DEVICE_ID,
			  offsetof(struct parclass_device_id, buffer), false },
			{ PARCLASS_CMD_READ,
			  offsetof(struct parclass_read, buffer), false },
			{ PARCLASS_CMD_PIN_PROGRAM,
			  offsetof(struct parclass_pin_program, ops), true },
			{ PARCLASS_CMD_PIN_PROGRAM,
			  offsetof(struct parclass_pin_program, results), false },
			{ PARCLASS_CMD_LIST_PORTS,
			  offsetof(struct parclass_list_ports, entries), false },
		};

		for (j = 0; j < ARRAY_SIZE(ptrs); j++) {
			int i = ptrs[j].cmd, err, want = EFAULT;
			union cmd_buf u;

			/* A read-only source is fine. */
			if (ro && ptrs[j].input)
				want = 0;
			if (!check(&g, !probe_prep(i, &p), "%s: prep",
				   cmds[i].name)) {
				probe_done(&p);
				continue;
			}
			u = p.u;
			memcpy(u.b + ptrs[j].off, &addr, sizeof(addr));
			if (i == PARCLASS_CMD_LIST_PORTS)
				u.list_ports.count = 2;
			/* Data to read, so that the buffer is written. */
			if (i == PARCLASS_CMD_READ)
				sim_puts(sim_a, "reverse", "fuzz data");
			if (ro && ptrs[j].input)
				ro_put(0, i == PARCLASS_CMD_WRITE ?
				       scratch_page(WR_PAGE) :
				       scratch_page(OPS_PAGE), 16);
			err = probe_run(i, &p, &u, STRUCT_AT, sizeof(u));
			check(&g, err == want, "%s, %s %s at offset %zu: %s, want %s",
			      cmds[i].name, place_names[pl],
			      ptrs[j].input ? "source" : "destination",
			      ptrs[j].off, ename(err), ename(want));
			probe_done(&p);
		}
	}
	group_end(&g, "probe: bad buffer, ops, results and entries pointers give EFAULT");
}

static void probe_state(void)
{
	struct group g = { "state" };
	struct probe p = { .fd = -1 };
	unsigned int i;
	int err;

	/* The commands that need the port held, without it. */
	for (i = 0; i < NCMDS; i++) {
		union cmd_buf u;

		if (!cmds[i].hold || i == PARCLASS_CMD_READ)
			continue;
		p.fd = pc_open();
		if (!check(&g, p.fd >= 0 && !pc_connect(p.fd, port_a, &p.token),
			   "%s: prep", cmds[i].name)) {
			probe_done(&p);
			continue;
		}
		fill_valid(i, &u, p.token);
		err = call(p.fd, cmds[i].req, put(STRUCT_AT, &u, sizeof(u)));
		check_errno(&g, i, "without holding the port", err, EPERM);
		probe_done(&p);
	}
	/* Others, each with the errno its command documents. */
	for (i = 0; i < 8; i++) {
		int cmd = PARCLASS_CMD_CANCEL, want = ENOENT, hold = 0;
		const char *what = "nothing queued";
		union cmd_buf u;

		p.fd = pc_open();
		if (!check(&g, p.fd >= 0 && !pc_connect(p.fd, port_a, &p.token),
			   "prep"))
			goto next;
		switch (i) {
		case 1:
			cmd = PARCLASS_CMD_CANCEL;
			what = "while holding";
			want = EALREADY;
			hold = 1;
			break;
		case 2:
			cmd = PARCLASS_CMD_ALLOCATE;
			what = "while holding";
			want = EALREADY;
			hold = 1;
			break;
		case 3:
			cmd = PARCLASS_CMD_INTERRUPTS;
			what = "DISABLE without ENABLE";
			break;
		case 4:
			cmd = PARCLASS_CMD_INTERRUPTS;
			what = "ENABLE with allow_interrupts off";
			want = EACCES;
			break;
		case 5:
			cmd = PARCLASS_CMD_SELECT_DEVICE;
			what = "KEEP_PORT without holding";
			want = EPERM;
			break;
		case 6:
			cmd = PARCLASS_CMD_DEVICE_ID;
			what = "a one-byte buffer";
			want = ERANGE;
			hold = 1;
			break;
		case 7:
			cmd = PARCLASS_CMD_CHIP_MODE;
			what = "CLEAR without holding";
			want = EPERM;
			break;
		}
		if (hold && !check(&g, !pc_try_allocate(p.fd, p.token),
				   "prep: allocate"))
			goto next;
		fill_valid(cmd, &u, p.token);
		if (i == 3)
			u.interrupts.flags = PARCLASS_INTERRUPTS_DISABLE;
		if (i == 4)
			u.interrupts.flags = PARCLASS_INTERRUPTS_ENABLE;
		if (i == 5)
			u.select.flags = PARCLASS_SELECT_KEEP_PORT;
		if (i == 6)
			u.device_id.length = 1;
		if (i == 7)
			u.chip_mode.flags = PARCLASS_CHIP_MODE_CLEAR;
		err = call(p.fd, cmds[cmd].req, put(STRUCT_AT, &u, sizeof(u)));
		check_errno(&g, cmd, what, err, want);
		if (i == 6) {
			struct parclass_device_id *d =
				(void *)(arena.scratch + STRUCT_AT);

			check(&g, d->id_size == strlen(ID_A) + 1,
			      "DEVICE_ID: id_size %u with ERANGE, want %zu",
			      d->id_size, strlen(ID_A) + 1);
		}
next:
		probe_done(&p);
	}
	group_end(&g, "probe: EPERM without the port, EALREADY, ENOENT, EACCES, ERANGE");
}

/* The elapsed milliseconds of a call that ended with @err. */
struct timed {
	int err;
	__u64 ms;
};

static struct timed timed_allocate(int fd, __u64 token, __u32 flags,
				   __u64 timeout_ns)
{
	struct timed t;
	__u64 t0 = now_ns();

	t.err = -pc_allocate(fd, token, flags, timeout_ns);
	t.ms = (now_ns() - t0) / MS;
	return t;
}

static void probe_timeouts(void)
{
	struct group g = { "timeouts" };
	static const unsigned int ms[] = { 1, 20, 50 };
	int hfd = pc_open(), fd = pc_open();
	struct parclass_event ev;
	struct pollfd pfd;
	__u64 holder = 0, t = 0;
	struct timed r;
	unsigned int k;
	union cmd_buf u;
	int err;

	if (!check(&g, hfd >= 0 && fd >= 0 &&
		   !pc_connect(hfd, port_a, &holder) &&
		   !pc_try_allocate(hfd, holder) &&
		   !pc_connect(fd, port_a, &t), "prep"))
		goto out;
	r = timed_allocate(fd, t, PARCLASS_ALLOCATE_TRY, 0);
	check(&g, r.err == EAGAIN && r.ms < LATE_MS, "TRY: %s after %llu ms",
	      ename(r.err), (unsigned long long)r.ms);
	/* TRY ignores the timeout. */
	r = timed_allocate(fd, t, PARCLASS_ALLOCATE_TRY, ~0ULL);
	check(&g, r.err == EAGAIN && r.ms < LATE_MS,
	      "TRY with timeout ~0: %s after %llu ms", ename(r.err),
	      (unsigned long long)r.ms);
	for (k = 0; k < 3; k++) {
		r = timed_allocate(fd, t, 0, ms[k] * MS);
		check(&g, r.err == ETIMEDOUT && r.ms >= ms[k] &&
		      r.ms < ms[k] + LATE_MS,
		      "timeout %u ms: %s after %llu ms", ms[k], ename(r.err),
		      (unsigned long long)r.ms);
	}
	fill_valid(PARCLASS_CMD_SELECT_DEVICE, &u, t);
	u.select.timeout_ns = 5 * MS;
	err = call(fd, PARCLASS_IOC_SELECT_DEVICE, put(STRUCT_AT, &u, sizeof(u)));
	check(&g, err == ETIMEDOUT, "SELECT_DEVICE, timeout 5 ms: %s",
	      ename(err));
	/* Asynchronous: queued, cancelled, queued again, granted. */
	r = timed_allocate(fd, t, PARCLASS_ALLOCATE_ASYNC, 0);
	check(&g, r.err == EINPROGRESS, "ASYNC: %s", ename(r.err));
	fill_valid(PARCLASS_CMD_CANCEL, &u, t);
	err = call(fd, PARCLASS_IOC_CANCEL, put(STRUCT_AT, &u, sizeof(u)));
	check(&g, !err, "CANCEL of a queued ASYNC: %s", ename(err));
	err = call(fd, PARCLASS_IOC_CANCEL, put(STRUCT_AT, &u, sizeof(u)));
	check(&g, err == ENOENT, "CANCEL again: %s", ename(err));
	r = timed_allocate(fd, t, PARCLASS_ALLOCATE_ASYNC, 0);
	check(&g, r.err == EINPROGRESS, "ASYNC again: %s", ename(r.err));
	check(&g, !pc_free(hfd, holder), "FREE of the holder");
	pfd.fd = fd;
	pfd.events = POLLIN;
	check(&g, poll(&pfd, 1, 2000) == 1 &&
	      read(fd, &ev, sizeof(ev)) == sizeof(ev) && ev.token == t &&
	      (ev.events & PARCLASS_EVENT_GRANTED),
	      "no GRANTED event for the queued session");
	check(&g, !pc_free(fd, t), "FREE after the grant");
out:
	if (hfd >= 0)
		close(hfd);
	if (fd >= 0)
		close(fd);
	group_end(&g, "probe: TRY, timeouts, ASYNC and CANCEL on a held port");
}

static void probe_signals(void)
{
	struct group g = { "signals" };
	static const __u64 forever[] = {
		0, 1ULL << 62, KTIME_MAX_NS, KTIME_MAX_NS + 1, ~0ULL,
	};
	int hfd = pc_open(), fd = pc_open();
	__u64 holder = 0, t = 0;
	unsigned int k, restart;
	__u32 waiters = 0, other = 0;

	if (!check(&g, hfd >= 0 && fd >= 0 &&
		   !pc_connect(hfd, port_a, &holder) &&
		   !pc_try_allocate(hfd, holder) &&
		   !pc_connect(fd, port_a, &t), "prep"))
		goto out;
	for (restart = 0; restart < 2; restart++) {
		tick_handler(restart);
		for (k = 0; k < 5 + 2; k++) {
			const char *what = k < 5 ? "ALLOCATE" :
					   k == 5 ? "LOCK" : "SELECT_DEVICE";
			union cmd_buf u;
			__u64 t0;
			int err;

			if (k < 5) {
				fill_valid(PARCLASS_CMD_ALLOCATE, &u, t);
				u.allocate.flags = 0;
				u.allocate.timeout_ns = forever[k];
			} else if (k == 5) {
				fill_valid(PARCLASS_CMD_LOCK, &u, t);
			} else {
				fill_valid(PARCLASS_CMD_SELECT_DEVICE, &u, t);
			}
			put(STRUCT_AT, &u, sizeof(u));
			t0 = now_ns();
			tick_arm(PROBE_TICK_MS);
			err = call(fd, k < 5 ? PARCLASS_IOC_ALLOCATE :
				   k == 5 ? PARCLASS_IOC_LOCK :
				   PARCLASS_IOC_SELECT_DEVICE,
				   arena.scratch + STRUCT_AT);
			tick_stop();
			t0 = (now_ns() - t0) / MS;
			check(&g, err == EINTR && t0 < LATE_MS,
			      "%s (timeout %#llx)%s: %s after %llu ms", what,
			      (unsigned long long)(k < 5 ? forever[k] : 0),
			      restart ? ", SA_RESTART" : "", ename(err),
			      (unsigned long long)t0);
			/* It gave up: not queued, not granted. */
			check(&g, !pc_num_waiters(hfd, holder, &waiters, &other) &&
			      waiters == 0, "%s: still %u waiters after EINTR",
			      what, waiters);
			fill_valid(PARCLASS_CMD_CANCEL, &u, t);
			err = call(fd, PARCLASS_IOC_CANCEL,
				   put(STRUCT_AT, &u, sizeof(u)));
			check(&g, err == ENOENT, "%s: CANCEL after EINTR: %s",
			      what, ename(err));
		}
	}
	tick_handler(false);
	check(&g, !pc_free(hfd, holder), "FREE of the holder");
	check(&g, pc_is_free(fd, t) == 1,
	      "the port went to a waiter that gave up");
out:
	if (hfd >= 0)
		close(hfd);
	if (fd >= 0)
		close(fd);
	group_end(&g, "probe: a signal ends blocked ALLOCATE, LOCK, SELECT_DEVICE with EINTR");
}

static void probe_close(void)
{
	struct group g = { "close" };
	int fd = pc_open(), fd2;
	__u64 t = 0, t2;
	int err;

	if (!check(&g, fd >= 0 && !pc_connect(fd, port_a, &t) &&
		   !pc_try_allocate(fd, t), "prep"))
		goto out;
	close(fd);
	fd2 = pc_open();
	check(&g, fd2 == fd, "the descriptor was not reused (%d, %d)", fd2,
	      fd);
	fd = fd2;
	if (!check(&g, fd >= 0, "reopen"))
		goto out;
	err = -pc_try_allocate(fd, t);
	check(&g, err == ESTALE, "the closed file's token: ALLOCATE %s",
	      ename(err));
	err = -pc_free(fd, t);
	check(&g, err == ESTALE, "the closed file's token: FREE %s",
	      ename(err));
	err = -pc_disconnect(fd, t);
	check(&g, err == ESTALE, "the closed file's token: DISCONNECT %s",
	      ename(err));
	check(&g, !pc_connect(fd, port_a, &t2) && t2 != t,
	      "a new session in the reopened file");
	err = -pc_try_allocate(fd, t2);
	check(&g, !err, "close did not free the port: %s", ename(err));
	close(fd);
	fd = -1;
	check(&g, port_sessions(port_a) == 0, "%d sessions left on port A",
	      port_sessions(port_a));
out:
	if (fd >= 0)
		close(fd);
	group_end(&g, "probe: close and reopen while holding the port");
}

/* A forked child's safety net: SIGALRM kills it after 10 s. */
static void child_alarm(void)
{
	signal(SIGALRM, SIG_DFL);
	alarm(10);
}

/* Wait for @pid at most @ms; its status, or -1 (then it is killed). */
static int reap(pid_t pid, unsigned int ms)
{
	int status;
	unsigned int waited;

	for (waited = 0; waited <= ms; waited += 5) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return status;
		sim_sleep_ms(5);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

static void probe_fork(void)
{
	struct group g = { "fork" };
	int fd = pc_open(), status;
	__u32 waiters = 0, other, w;
	__u64 t = 0;
	unsigned int waited;
	pid_t pid;

	if (!check(&g, fd >= 0 && !pc_connect(fd, port_a, &t), "prep"))
		goto out;
	fflush(stdout);
	/* A child takes the port through a file of its own, and exits. */
	pid = fork();
	if (pid == 0) {
		int cfd = pc_open();
		__u64 ct;

		child_alarm();
		if (cfd < 0 || pc_connect(cfd, port_a, &ct) ||
		    pc_try_allocate(cfd, ct) ||
		    pc_write(cfd, ct, "fork", 4, 1000 * MS, &w))
			_exit(1);
		_exit(0);
	}
	status = reap(pid, 5000);
	check(&g, status == 0, "the child failed: status %#x", status);
	check(&g, !pc_try_allocate(fd, t), "the child's exit left the port held");
	check(&g, !pc_free(fd, t), "FREE");
	/* A child takes the port through the parent's file, and exits. */
	pid = fork();
	if (pid == 0) {
		child_alarm();
		_exit(pc_try_allocate(fd, t) ? 1 : 0);
	}
	status = reap(pid, 5000);
	check(&g, status == 0, "the child failed: status %#x", status);
	check(&g, pc_is_free(fd, t) == 0,
	      "the file's session no longer holds the port its child took");
	check(&g, !pc_free(fd, t), "FREE of the port the child took");
	/* A child blocked in ALLOCATE is killed: it leaves the queue. */
	check(&g, !pc_try_allocate(fd, t), "ALLOCATE");
	pid = fork();
	if (pid == 0) {
		int cfd = pc_open();
		__u64 ct;

		child_alarm();
		if (cfd < 0 || pc_connect(cfd, port_a, &ct))
			_exit(1);
		pc_allocate(cfd, ct, 0, 0);
		_exit(2);
	}
	for (waited = 0; waited < 3000; waited += 5) {
		if (!pc_num_waiters(fd, t, &waiters, &other) && waiters == 1)
			break;
		sim_sleep_ms(5);
	}
	check(&g, waiters == 1, "the child never waited (%u waiters)", waiters);
	kill(pid, SIGKILL);
	status = reap(pid, 5000);
	check(&g, status >= 0 && WIFSIGNALED(status) &&
	      WTERMSIG(status) == SIGKILL, "the child: status %#x", status);
	for (waited = 0; waited < 3000; waited += 5) {
		if (!pc_num_waiters(fd, t, &waiters, &other) && !waiters)
			break;
		sim_sleep_ms(5);
	}
	check(&g, !waiters, "the killed waiter is still queued");
	check(&g, !pc_free(fd, t) && pc_is_free(fd, t) == 1,
	      "the port went to the killed waiter");
out:
	if (fd >= 0)
		close(fd);
	group_end(&g, "probe: fork and exit while holding or waiting for the port");
}

static void probe_removed(void)
{
	struct group g = { "removed" };
	int fd = -1, port_c, i;
	__u64 held = 0, idle = 0;

	snprintf(sim_c, sizeof(sim_c), "fuzzC%d", (int)getpid());
	port_c = sim_make(sim_c, ID_A, NULL, NULL);
	fd = pc_open();
	if (!check(&g, port_c >= 2 && fd >= 0 &&
		   !pc_connect(fd, port_c, &held) &&
		   !pc_try_allocate(fd, held) &&
		   !pc_connect(fd, port_c, &idle), "prep"))
		goto out;
	check(&g, !sim_puts(sim_c, "plugged", "0"), "unplug");
	for (i = 0; i < NCMDS; i++) {
		union cmd_buf u;
		int err;

		if (cmds[i].token < 0 || i == PARCLASS_CMD_DISCONNECT)
			continue;
		fill_valid(i, &u, cmds[i].hold ? held : idle);
		err = call(fd, cmds[i].req, put(STRUCT_AT, &u, sizeof(u)));
		check_errno(&g, i, "on a removed port", err, ENODEV);
	}
	check(&g, pc_connect(fd, port_c, &held) == -ENODEV,
	      "CONNECT to the removed port");
	check(&g, !pc_disconnect(fd, held) && !pc_disconnect(fd, idle),
	      "DISCONNECT of the removed port's sessions");
	check(&g, pc_disconnect(fd, idle) == -ESTALE, "DISCONNECT again");
out:
	if (fd >= 0)
		close(fd);
	check(&g, !sim_puts("", "delete", sim_c), "delete the port");
	group_end(&g, "probe: a removed port's sessions give ENODEV");
}

/* ------------------------------------------------------------------ */
/* The random part. */

enum tok { TK_LIVE, TK_DEAD, TK_FORGED, TK_OTHER, TK_ZERO, TK_ONES, TK_NONE };

static const char *const tok_names[] = {
	"live", "dead", "forged", "other-file", "zero", "all-ones", "no",
};

static const char *const tok_stages[] = {
	"a live token", "a dead token", "a forged token",
	"another file's token", "token 0", "token ~0", "no token",
};

struct offender {
	unsigned int worker;
	unsigned long long seq;
	int cmd;
	unsigned int req;
	__u32 size;
	int place;
	int tok;
	int err;
	int expect;		/* the one errno it had to give, or 0 */
	bool undocumented;	/* not even documented for the command */
	bool wrote;		/* its errno was right, but it wrote back */
	bool child;		/* in a child of the worker */
	struct eset allowed;	/* else: what the header allows the input */
	unsigned int k;		/* PL_STRADDLE: bytes before the guard */
	char what[120];		/* the input's faults and doubts */
	unsigned char img[48];	/* the struct's first bytes */
};

struct wstats {
	unsigned long long calls;
	unsigned long long predicted;	/* calls with one exact errno */
	unsigned long long undocumented;	/* not for the command */
	unsigned long long off_input;	/* for the command, not the input */
	unsigned long long mispredicted;	/* not the one exact errno */
	unsigned long long wrote;	/* wrote back what it must not */
	unsigned long long forks, reopens, events;
	unsigned long long signals, disconnects, replaced;
	unsigned long long ns[NSLOTS];
	unsigned long long hist[NSLOTS][ERRNO_SLOTS];
	unsigned int noffenders;
	struct offender offenders[MAX_OFFENDERS];
	int done;
	unsigned long long elapsed_ms;
};

struct wfile {
	int fd;
	__u64 live[MAX_LIVE];
	int live_daisy[MAX_LIVE];	/* each one's chain device, or -1 */
	unsigned int nlive;
	__u64 holder;		/* the session that last got the port, or 0 */
};

struct worker {
	unsigned int id;
	struct rng r;
	struct wfile f[NFILES];
	__u64 dead[MAX_DEAD];
	unsigned int ndead;
	int own_port;		/* port_w[id] */
	struct wstats *st;
	struct wstats *kid_st;	/* its children's statistics */
	unsigned long long quota;
	__u64 deadline;
	pid_t kid;		/* the child running now, or 0 */
	bool kid_dies;		/* it ends by SIGKILL */
	bool shared;		/* another process uses the files too */
	bool disrupted;		/* a second thread works against this one */
	bool child;		/* a worker's child */
	/* A child on the worker's files: the worker's sessions, kept alive. */
	__u64 inherited[NFILES * MAX_LIVE];
	unsigned int ninherited;
};

/* One random call, and what its result must be. */
struct fcall {
	int cmd;
	unsigned int req;
	union cmd_buf u;
	__u32 size;
	enum place pl;
	unsigned int k;		/* PL_STRADDLE: bytes before the guard */
	size_t off;		/* PL_NORMAL: scratch offset */
	size_t tail;		/* zero tail bytes to write after the struct */
	int tail_nz;		/* a non-zero byte at this tail offset, or -1 */
	enum tok tk;
	int daisy;		/* a live token's chain device, or -1 */
	bool shared;		/* another process calls through the file */
	struct eset defs;	/* the errnos of the faults the call surely has */
	unsigned int ndefs;
	struct eset mays;	/* errnos a change may give besides */
	const char *stage;	/* what gen_call() changes now, in words */
	char what[120];		/* the faults and doubts, in words */
	bool may_block;
};

static void fcall_note(struct fcall *c, const char *prefix)
{
	size_t n = strlen(c->what);

	if (strstr(c->what, c->stage))
		return;
	snprintf(c->what + n, sizeof(c->what) - n, "%s%s%s",
		 n ? ", " : "", prefix, c->stage);
}

/* The call surely has a fault that gives @err. */
static void fault(struct fcall *c, int err)
{
	if (!eset_has(&c->defs, err))
		c->ndefs++;
	eset_add(&c->defs, err);
	fcall_note(c, "");
}

/* A change of the call may give @err, or not. */
static void maybe(struct fcall *c, int err)
{
	eset_add(&c->mays, err);
	fcall_note(c, "perhaps ");
}

/* The index of @t in @f's sessions, or -1. */
static int live_index(const struct wfile *f, __u64 t)
{
	unsigned int i;

	for (i = 0; i < f->nlive; i++)
		if (f->live[i] == t)
			return i;
	return -1;
}

static bool is_live(const struct wfile *f, __u64 t)
{
	return live_index(f, t) >= 0;
}

static __u64 pick_token(struct worker *w, struct wfile *f, enum tok *tk)
{
	struct wfile *o = &w->f[below(&w->r, NFILES)];
	__u32 r = below(&w->r, 100);
	__u64 t;

	if (r < 55 && f->nlive) {
		*tk = TK_LIVE;
		/* Often the one holding the port: the calls that need it. */
		if (f->holder && is_live(f, f->holder) && chance(&w->r, 1, 2))
			return f->holder;
		return f->live[below(&w->r, f->nlive)];
	}
	if (r < 70 && w->ndead) {
		*tk = TK_DEAD;
		t = w->dead[below(&w->r, w->ndead)];
	} else if (r < 82) {
		*tk = TK_FORGED;
		if (f->nlive && chance(&w->r, 3, 4))
			t = f->live[below(&w->r, f->nlive)] ^
			    ((rnd(&w->r) | 1) << 40);
		else
			t = rnd(&w->r);
	} else if (r < 92 && o != f && o->nlive) {
		*tk = TK_OTHER;
		t = o->live[below(&w->r, o->nlive)];
	} else if (r < 96) {
		*tk = TK_ZERO;
		t = 0;
	} else {
		*tk = TK_ONES;
		t = ~0ULL;
	}
	/* Only the tokens in f->live are sessions of this file. */
	if (is_live(f, t))
		*tk = TK_LIVE;
	return t;
}

/* Does a session of one of the worker's files hold a port? */
static bool holding(const struct worker *w)
{
	unsigned int i;

	for (i = 0; i < NFILES; i++)
		if (w->f[i].holder)
			return true;
	return false;
}

/* A file of the worker: often the one whose session holds a port. */
static struct wfile *pick_file(struct worker *w)
{
	unsigned int i = below(&w->r, NFILES), k;

	if (chance(&w->r, 1, 2))
		for (k = 0; k < NFILES; k++)
			if (w->f[(i + k) % NFILES].holder)
				return &w->f[(i + k) % NFILES];
	return &w->f[i];
}

static bool inherited(const struct worker *w, __u64 t)
{
	unsigned int i;

	for (i = 0; i < w->ninherited; i++)
		if (w->inherited[i] == t)
			return true;
	return false;
}

/* A timeout: mostly up to a few ms, sometimes "forever" (then a signal). */
static __u64 pick_timeout(struct worker *w)
{
	static const __u64 forever[] = {
		0, 1ULL << 62, KTIME_MAX_NS, KTIME_MAX_NS + 1, ~0ULL,
	};

	if (chance(&w->r, 1, 4))
		return forever[below(&w->r, 5)];
	if (chance(&w->r, 1, 8))
		return (1 + below(&w->r, 50)) * MS;
	return 1 + below(&w->r, 5 * MS);
}

static __u64 uptr(const void *p)
{
	return (__u64)(unsigned long)p;
}

/*
 * A buffer pointer for a kernel access of @len bytes at scratch page
 * @page: mostly good. The kernel reads an @input buffer (a read-only one
 * is then good: it gets the page's bytes, at the end of the read-only
 * page), and writes any other.
 */
static __u64 pick_buffer(struct worker *w, struct fcall *c, unsigned int page,
			 size_t len, bool input)
{
	const char *stage;

	if (!chance(&w->r, 1, 25))
		return uptr(scratch_page(page));
	if (input && len <= arena.pg && chance(&w->r, 1, 6))
		return uptr(ro_put(arena.pg - len, scratch_page(page), len));
	stage = c->stage;
	c->stage = "a bad buffer pointer";
	maybe(c, EFAULT);
	c->stage = stage;
	switch (below(&w->r, 6)) {
	case 0:
		return 0;
	case 1:
		return ADDR_KERNEL;
	case 2:
		return uptr(arena.hole);
	case 3:
		/*
		 * Across the guard page: at least the last byte unmapped
		 * (all @len bytes mapped would be a good pointer to bytes
		 * that are no input).
		 */
		return uptr(arena.guard - 1 - below(&w->r, len > 1 ? len - 1 : 0));
	case 4:
		/* For an input, the read-only page's bytes are no program. */
		return uptr(input ? arena.hole : arena.ro);
	default:
		return ADDR_NONCANON;
	}
}

static void gen_pin_program(struct worker *w, struct fcall *c)
{
	struct parclass_pin_op *ops = (void *)scratch_page(OPS_PAGE);
	struct parclass_pin_program *p = &c->u.pin_program;
	unsigned int n = 1 + below(&w->r, 12), i, reads = 0;

	for (i = 0; i < n; i++) {
		struct parclass_pin_op *o = &ops[i];

		memset(o, 0, sizeof(*o));
		o->op = 1 + below(&w->r, PARCLASS_PIN_DELAY);
		switch (o->op) {
		case PARCLASS_PIN_WRITE_DATA:
			o->value = rnd(&w->r);
			break;
		case PARCLASS_PIN_WRITE_CONTROL:
			o->value = below(&w->r, 16);
			break;
		case PARCLASS_PIN_FROB_CONTROL:
			o->mask = below(&w->r, 16);
			o->value = rnd(&w->r) & o->mask;
			break;
		case PARCLASS_PIN_DATA_DIR:
			o->value = below(&w->r, 2);
			break;
		case PARCLASS_PIN_WAIT_STATUS:
			o->mask = rnd(&w->r);
			o->value = rnd(&w->r) & o->mask;
			o->arg = 1 + below(&w->r, 200);
			break;
		case PARCLASS_PIN_DELAY:
			o->arg = 1 + below(&w->r, 50);
			break;
		default:
			reads++;
			break;
		}
	}
	p->ops = uptr(ops);
	p->count = n;
	p->results = uptr(scratch_page(RES_PAGE));
	p->results_len = reads + below(&w->r, 4);
	p->done = rnd(&w->r);
	p->results_used = rnd(&w->r);
	if (!chance(&w->r, 1, 6))
		return;
	switch (below(&w->r, 8)) {
	case 0:
		p->count = 0;
		fault(c, EINVAL);
		break;
	case 1:
		p->count = PARCLASS_PIN_MAX_OPS + 1 + below(&w->r, 1000);
		fault(c, E2BIG);
		break;
	case 2:
		ops[below(&w->r, n)].__reserved = 1 + below(&w->r, 255);
		fault(c, EINVAL);
		break;
	case 3:
		i = below(&w->r, n);
		ops[i].op = chance(&w->r, 1, 2) ? 0 : 10 + below(&w->r, 246);
		fault(c, EINVAL);
		break;
	case 4:
		i = below(&w->r, n);
		memset(&ops[i], 0, sizeof(ops[i]));
		ops[i].op = PARCLASS_PIN_WAIT_STATUS;
		ops[i].arg = chance(&w->r, 1, 2) ? 0 :
			     PARCLASS_PIN_WAIT_MAX_US + 1;
		fault(c, EINVAL);
		break;
	case 5:
		if (reads) {
			p->results_len = below(&w->r, reads);
			fault(c, EINVAL);
		}
		break;
	case 6:
		/* Operations past the scratch pages, or elsewhere. */
		p->ops = pick_buffer(w, c, OPS_PAGE, n * 8, true);
		if (p->ops == uptr(ops)) {
			p->count = 1 + below(&w->r, PARCLASS_PIN_MAX_OPS);
			c->stage = "operations past the program";
			maybe(c, EFAULT);
			maybe(c, EINVAL);
		}
		break;
	default:
		p->results = pick_buffer(w, c, RES_PAGE, reads, false);
		break;
	}
}

/* Fill the fields of command @i (its token already chosen). */
static void gen_fields(struct worker *w, struct fcall *c)
{
	union cmd_buf *u = &c->u;
	struct rng *r = &w->r;
	__u32 v;

	switch (c->cmd) {
	case PARCLASS_CMD_GET_VERSION:
		u->version.abi_version = rnd(r);
		u->version.features = rnd(r);
		break;
	case PARCLASS_CMD_CONNECT:
		/* Output only: garbage. */
		memset(&u->connect.token, (int)rnd(r), 8 + sizeof(u->connect.info));
		v = below(r, 100);
		if (v < 25) {
			u->connect.port = port_a;
		} else if (v < 45) {
			u->connect.port = port_b;
		} else if (v < 70) {
			u->connect.port = w->own_port;
		} else if (v < 85) {
			u->connect.port = port_b;
			u->connect.flags = PARCLASS_CONNECT_DAISY;
			u->connect.daisy = below(r, CHAIN_B_LEN);
		} else if (v < 90) {
			u->connect.port = chance(r, 1, 2) ? port_a : port_b;
			u->connect.daisy = 1 + below(r, 10);
			fault(c, EINVAL);
		} else if (v < 95) {
			u->connect.port = chance(r, 1, 2) ? port_a : port_b;
			u->connect.flags = PARCLASS_CONNECT_DAISY;
			u->connect.daisy = PARCLASS_DAISY_MAX + below(r, 1000);
			fault(c, EINVAL);
		} else {
			static const __u32 none[] = {
				NO_SUCH_PORT, 16, 64, 1000000, ~0U,
			};

			u->connect.port = none[below(r, 5)];
			fault(c, ENODEV);
		}
		break;
	case PARCLASS_CMD_ALLOCATE:
		v = below(r, 100);
		if (v < 70) {
			u->allocate.flags = PARCLASS_ALLOCATE_TRY;
			u->allocate.timeout_ns = rnd(r);
		} else if (v < 80) {
			u->allocate.flags = PARCLASS_ALLOCATE_ASYNC;
		} else if (v < 93) {
			u->allocate.timeout_ns = pick_timeout(w);
		} else if (v < 96) {
			u->allocate.flags = PARCLASS_ALLOCATE_TRY |
					    PARCLASS_ALLOCATE_ASYNC;
			fault(c, EINVAL);
		} else {
			u->allocate.flags = PARCLASS_ALLOCATE_ASYNC;
			u->allocate.timeout_ns = 1 + below(r, 1000000);
			fault(c, EINVAL);
		}
		break;
	case PARCLASS_CMD_IS_PORT_FREE:
		u->port_free.is_free = rnd(r);
		break;
	case PARCLASS_CMD_QUERY_NUM_WAITERS:
		u->num_waiters.waiters = rnd(r);
		u->num_waiters.other_waiters = rnd(r);
		break;
	case PARCLASS_CMD_LIST_PORTS:
		if (chance(r, 1, 2))
			u->list_ports.flags = PARCLASS_LIST_PORTS_DAISY;
		u->list_ports.count = below(r, LIST_MAX + 1);
		v = below(r, 10);
		u->list_ports.entry_size = sizeof(struct parclass_port_entry) +
			(v < 6 ? 0 : v < 9 ? 8 * below(r, 64) :
			 PARCLASS_PORT_ENTRY_SIZE_MAX -
			 sizeof(struct parclass_port_entry));
		u->list_ports.entries = uptr(scratch_page(LIST_PAGE));
		if (chance(r, 1, 10)) {
			u->list_ports.entry_size = below(r, sizeof(struct parclass_port_entry));
			fault(c, EINVAL);
		} else if (chance(r, 1, 10)) {
			u->list_ports.entry_size = PARCLASS_PORT_ENTRY_SIZE_MAX + 1 +
				below(r, 1U << 31);
			fault(c, E2BIG);
		} else if (chance(r, 1, 10)) {
			u->list_ports.entries = pick_buffer(w, c, LIST_PAGE, 1, false);
		}
		break;
	case PARCLASS_CMD_WRITE:
		u->write.flags = chance(r, 1, 4) ? PARCLASS_WRITE_MODE : 0;
		u->write.length = chance(r, 1, 20) ? below(r, 4096) :
				  below(r, 32);
		u->write.buffer = pick_buffer(w, c, WR_PAGE, u->write.length,
					      true);
		u->write.written = rnd(r);
		u->write.timeout_ns = pick_timeout(w);
		break;
	case PARCLASS_CMD_QUERY_INFORMATION:
		u->query_info.status = rnd(r);
		u->query_info.raw_status = rnd(r);
		u->query_info.raw_control = rnd(r);
		break;
	case PARCLASS_CMD_SET_INFORMATION:
		u->set_info.init = PARCLASS_PARALLEL_INIT;
		if (chance(r, 1, 8)) {
			u->set_info.init = chance(r, 1, 2) ? 0 : 2 + below(r, 1000);
			fault(c, EINVAL);
		}
		break;
	case PARCLASS_CMD_DEVICE_ID: {
		static const __u32 lengths[] = { 0, 1, 8, 64, 256, 4096 };

		u->device_id.flags = chance(r, 1, 3) ? PARCLASS_DEVICE_ID_RAW : 0;
		if (chance(r, 1, 4)) {
			u->device_id.flags |= PARCLASS_DEVICE_ID_DAISY;
			u->device_id.daisy = below(r, PARCLASS_DAISY_MAX);
		}
		u->device_id.length = lengths[below(r, 6)];
		u->device_id.buffer = pick_buffer(w, c, RD_PAGE,
						  u->device_id.length, false);
		u->device_id.id_size = rnd(r);
		v = below(r, 20);
		if (v == 0) {
			u->device_id.length = PARCLASS_DEVICE_ID_MAX + 1 +
					      below(r, 1U << 31);
			fault(c, EINVAL);
		} else if (v == 1) {
			u->device_id.flags &= ~PARCLASS_DEVICE_ID_DAISY;
			u->device_id.daisy = 1 + below(r, 100);
			fault(c, EINVAL);
		} else if (v == 2) {
			u->device_id.flags |= PARCLASS_DEVICE_ID_DAISY;
			u->device_id.daisy = PARCLASS_DAISY_MAX + below(r, 100);
			fault(c, EINVAL);
		}
		break;
	}
	case PARCLASS_CMD_REGISTER:
		u->reg.op = 1 + below(r, PARCLASS_PIN_DATA_DIR);
		switch (u->reg.op) {
		case PARCLASS_PIN_WRITE_DATA:
			u->reg.value = below(r, 256);
			break;
		case PARCLASS_PIN_WRITE_CONTROL:
			u->reg.value = below(r, 16);
			break;
		case PARCLASS_PIN_FROB_CONTROL:
			u->reg.mask = below(r, 16);
			u->reg.value = rnd(r) & u->reg.mask;
			break;
		case PARCLASS_PIN_DATA_DIR:
			u->reg.value = below(r, 2);
			break;
		default:
			/* A read's value is output only. */
			u->reg.value = below(r, 256);
			break;
		}
		v = below(r, 24);
		if (v == 0) {
			u->reg.op = chance(r, 1, 2) ? 0 :
				    PARCLASS_PIN_WAIT_STATUS + below(r, 1000);
			fault(c, EINVAL);
		} else if (v == 1 && u->reg.op != PARCLASS_PIN_FROB_CONTROL) {
			u->reg.mask = 1 + below(r, 255);
			fault(c, EINVAL);
		} else if (v == 2 && u->reg.op == PARCLASS_PIN_WRITE_CONTROL) {
			u->reg.value = 16 + below(r, 240);
			fault(c, EINVAL);
		} else if (v == 3 && u->reg.op == PARCLASS_PIN_DATA_DIR) {
			u->reg.value = 2 + below(r, 1000);
			fault(c, EINVAL);
		} else if (v == 4) {
			u->reg.value |= 0x100 << below(r, 24);
			fault(c, EINVAL);
		}
		break;
	case PARCLASS_CMD_PIN_PROGRAM:
		gen_pin_program(w, c);
		break;
	case PARCLASS_CMD_NEGOTIATE:
		u->negotiate.flags = chance(r, 1, 4) ? PARCLASS_NEGOTIATE_KEEP : 0;
		u->negotiate.read_mask = rnd(r) & PARCLASS_1284_ALL &
			~(PARCLASS_1284_CENTRONICS | PARCLASS_1284_IEEE_COMPAT);
		u->negotiate.write_mask = rnd(r) & PARCLASS_1284_ALL &
			~(PARCLASS_1284_NIBBLE | PARCLASS_1284_CHANNEL_NIBBLE |
			  PARCLASS_1284_BYTE_BIDIR);
		if (chance(r, 1, 3))
			u->negotiate.read_mask = 0;
		if (chance(r, 1, 3))
			u->negotiate.write_mask = 0;
		u->negotiate.read_mode = rnd(r);
		u->negotiate.write_mode = rnd(r);
		v = below(r, 16);
		if (v == 0) {
			u->negotiate.read_mask |= bits_outside(r, PARCLASS_1284_ALL);
			fault(c, EINVAL);
		} else if (v == 1) {
			u->negotiate.read_mask |= PARCLASS_1284_CENTRONICS <<
						  below(r, 2);
			fault(c, EINVAL);
		} else if (v == 2) {
			u->negotiate.write_mask |= PARCLASS_1284_NIBBLE <<
						   below(r, 3);
			fault(c, EINVAL);
		}
		break;
	case PARCLASS_CMD_TERMINATE:
	case PARCLASS_CMD_GET_MODE:
		u->mode.read_mode = rnd(r);
		u->mode.write_mode = rnd(r);
		break;
	case PARCLASS_CMD_READ:
		u->read.length = 1 + (chance(r, 1, 20) ?
				      below(r, PARCLASS_READ_MAX) : below(r, 64));
		u->read.buffer = pick_buffer(w, c, RD_PAGE, u->read.length,
					     false);
		u->read.done = rnd(r);
		u->read.timeout_ns = pick_timeout(w);
		if (chance(r, 1, 10)) {
			u->read.length = chance(r, 1, 2) ? 0 :
					 PARCLASS_READ_MAX + 1 + below(r, 1U << 31);
			fault(c, EINVAL);
		}
		break;
	case PARCLASS_CMD_ADDRESS:
		u->address.direction = below(r, 2);
		if (chance(r, 1, 2)) {
			u->address.flags = PARCLASS_ADDRESS_SET;
			u->address.address = below(r, PARCLASS_EPP_ADDRESS_MAX + 1);
		} else {
			u->address.address = rnd(r);	/* output */
		}
		v = below(r, 12);
		if (v == 0) {
			u->address.direction = 2 + below(r, 1U << 31);
			fault(c, EINVAL);
		} else if (v == 1) {
			u->address.flags = PARCLASS_ADDRESS_SET;
			u->address.address = PARCLASS_EPP_ADDRESS_MAX + 1 +
					     below(r, 1U << 31);
			fault(c, EINVAL);
		}
		break;
	case PARCLASS_CMD_HOST_RECOVERY:
		if (chance(r, 1, 2)) {
			u->host_recovery.flags = PARCLASS_HOST_RECOVERY_SET;
			u->host_recovery.enabled = below(r, 2);
			if (chance(r, 1, 6)) {
				u->host_recovery.enabled = 2 + below(r, 1000);
				fault(c, EINVAL);
			}
		} else {
			u->host_recovery.enabled = rnd(r);	/* output */
		}
		break;
	case PARCLASS_CMD_PROBE:
		u->probe.exclude = rnd(r) & PARCLASS_1284_ALL;
		u->probe.modes = rnd(r);
		if (chance(r, 1, 10)) {
			u->probe.exclude |= bits_outside(r, PARCLASS_1284_ALL);
			fault(c, EINVAL);
		}
		break;
	case PARCLASS_CMD_CHIP_MODE: {
		static const __u32 modes[] = {
			PARCLASS_CHIP_MODE_BYTE, PARCLASS_CHIP_MODE_ECP,
			PARCLASS_CHIP_MODE_EPP,
		};

		u->chip_mode.current_mode = rnd(r);
		v = below(r, 12);
		if (v < 4) {
			u->chip_mode.flags = PARCLASS_CHIP_MODE_SET;
			u->chip_mode.mode = modes[below(r, 3)];
		} else if (v < 7) {
			u->chip_mode.flags = PARCLASS_CHIP_MODE_CLEAR;
			u->chip_mode.mode = v == 4 ? PARCLASS_CHIP_MODE_INITIAL :
					    modes[below(r, 3)];
		} else if (v < 10) {
			/* Report. */
		} else if (v == 10) {
			u->chip_mode.flags = PARCLASS_CHIP_MODE_SET |
					     PARCLASS_CHIP_MODE_CLEAR;
			u->chip_mode.mode = modes[below(r, 3)];
			fault(c, EINVAL);
		} else {
			/* Not a chip mode (bits 7:5 other than 0, 1, 3, 4). */
			static const __u32 bad[] = { 0x40, 0xa0, 0xc0, 0xe0, 0x10, 0x21 };

			u->chip_mode.flags = below(r, 3);
			u->chip_mode.mode = bad[below(r, 6)];
			fault(c, EINVAL);
		}
		break;
	}
	case PARCLASS_CMD_LOCK:
	case PARCLASS_CMD_UNLOCK:
		u->lock.flags = chance(r, 1, 2) ? PARCLASS_LOCK_NO_SELECT : 0;
		break;
	case PARCLASS_CMD_DAISY_INIT:
		u->daisy_init.count = rnd(r);
		break;
	case PARCLASS_CMD_SELECT_DEVICE:
		u->select.device = below(r, PARCLASS_DAISY_END_OF_CHAIN + 1);
		if (chance(r, 1, 2))
			u->select.flags = PARCLASS_SELECT_KEEP_PORT;
		else
			u->select.timeout_ns = pick_timeout(w);
		v = below(r, 12);
		if (v == 0) {
			u->select.device = PARCLASS_DAISY_END_OF_CHAIN + 1 +
					   below(r, 1U << 31);
			fault(c, EINVAL);
		} else if (v == 1) {
			u->select.flags = PARCLASS_SELECT_KEEP_PORT;
			u->select.timeout_ns = 1 + below(r, 1U << 31);
			fault(c, EINVAL);
		}
		break;
	case PARCLASS_CMD_DESELECT_DEVICE:
		u->select.flags = chance(r, 1, 2) ? PARCLASS_SELECT_KEEP_PORT : 0;
		v = below(r, 12);
		if (v == 0) {
			u->select.device = 1 + below(r, 10);
			fault(c, EINVAL);
		} else if (v == 1) {
			u->select.timeout_ns = 1 + rnd(r) % KTIME_MAX_NS;
			fault(c, EINVAL);
		}
		break;
	case PARCLASS_CMD_INTERRUPTS:
		u->interrupts.flags = below(r, 3);
		u->interrupts.count = rnd(r);
		if (chance(r, 1, 10)) {
			u->interrupts.flags = PARCLASS_INTERRUPTS_ENABLE |
					      PARCLASS_INTERRUPTS_DISABLE;
			fault(c, EINVAL);
		}
		break;
	}
}

/* A timeout chosen by gen_fields() that a held port can make it wait out. */
static bool waits(const struct fcall *c)
{
	switch (c->cmd) {
	case PARCLASS_CMD_ALLOCATE:
		return !(c->u.allocate.flags &
			 (PARCLASS_ALLOCATE_TRY | PARCLASS_ALLOCATE_ASYNC));
	case PARCLASS_CMD_LOCK:
		return true;
	case PARCLASS_CMD_SELECT_DEVICE:
		return !(c->u.select.flags & PARCLASS_SELECT_KEEP_PORT);
	case PARCLASS_CMD_WRITE:
	case PARCLASS_CMD_DEVICE_ID:
	case PARCLASS_CMD_PIN_PROGRAM:
	case PARCLASS_CMD_NEGOTIATE:
	case PARCLASS_CMD_TERMINATE:
	case PARCLASS_CMD_READ:
	case PARCLASS_CMD_ADDRESS:
	case PARCLASS_CMD_PING:
	case PARCLASS_CMD_PROBE:
		return true;
	}
	return false;
}

/*
 * Calls that hold up the worker when they reach the port, and DISCONNECT,
 * which unregisters a parport device: fewer of them.
 */
static bool slow(const struct fcall *c)
{
	switch (c->cmd) {
	case PARCLASS_CMD_DISCONNECT:
		return true;
	case PARCLASS_CMD_ALLOCATE:
	case PARCLASS_CMD_SELECT_DEVICE:
		return waits(c);
	case PARCLASS_CMD_LOCK:
	case PARCLASS_CMD_DEVICE_ID:
	case PARCLASS_CMD_NEGOTIATE:
	case PARCLASS_CMD_READ:
	case PARCLASS_CMD_PING:
	case PARCLASS_CMD_PROBE:
	case PARCLASS_CMD_ADDRESS:
		return true;
	}
	return false;
}

static unsigned int gen_unknown(struct rng *r)
{
	unsigned int req;

	for (;;) {
		switch (below(r, 4)) {
		case 0:
			req = _IO(PARCLASS_TYPE, below(r, 256));
			break;
		case 1:
			req = _IOC(below(r, 4), PARCLASS_TYPE,
				   PARCLASS_CMD_BASE + below(r, NCMDS + 2),
				   below(r, 1U << _IOC_SIZEBITS));
			break;
		case 2:
			req = _IO(below(r, 256), below(r, 256));
			break;
		default:
			req = rnd(r);
			break;
		}
		if (!is_request(req) && !vfs_type(req))
			return req;
	}
}

static void gen_call(struct worker *w, struct wfile *f, struct fcall *c)
{
	struct rng *r = &w->r;
	const struct cmd_info *ci;
	__u32 sz, v;
	__u64 t = 0;

	memset(c, 0, sizeof(*c));
	c->tail_nz = -1;
	c->tk = TK_NONE;
	c->daisy = -1;
	c->shared = w->shared;
	c->off = 8 * below(r, 64);
	if (chance(r, 1, 30)) {
		c->cmd = CMD_UNKNOWN;
		c->req = gen_unknown(r);
		c->size = 16 + 8 * below(r, 16);
		c->u.version.size = c->size;
		c->pl = chance(r, 1, 8) ? PL_NULL : PL_NORMAL;
		c->stage = "an unknown request code";
		fault(c, ENOTTY);
		return;
	}
	/*
	 * At most MAX_LIVE sessions a file: CONNECT where there is room. A
	 * file whose sessions hold no port asks for one more often, so
	 * that the commands on a held port get their turn.
	 */
	if (!holding(w) && f->nlive && chance(r, 1, 20)) {
		c->cmd = PARCLASS_CMD_ALLOCATE;
	} else {
		do {
			c->cmd = below(r, NCMDS);
		} while (c->cmd == PARCLASS_CMD_CONNECT &&
			 f->nlive >= MAX_LIVE && !chance(r, 1, 4));
	}
	ci = &cmds[c->cmd];
	c->req = ci->req;
	sz = ci->size;
	c->size = sz;
	c->u.version.size = sz;
	if (ci->token >= 0) {
		t = pick_token(w, f, &c->tk);
		set_token(&c->u, c->cmd, t);
		c->stage = tok_stages[c->tk];
		if (c->tk != TK_LIVE) {
			fault(c, ESTALE);
		} else {
			c->daisy = f->live_daisy[live_index(f, t)];
			/*
			 * Another thread (dup2(), DISCONNECT) or process (the
			 * worker of a child on its files) may end it.
			 */
			if (w->disrupted || (w->child && w->shared)) {
				c->stage = "a live token another may end";
				maybe(c, ESTALE);
			}
		}
	}
	c->stage = "a field out of range";
	gen_fields(w, c);
	/* A child leaves the worker's sessions connected. */
	c->stage = "a forged token";
	if (c->cmd == PARCLASS_CMD_DISCONNECT && c->tk == TK_LIVE &&
	    inherited(w, t)) {
		set_token(&c->u, c->cmd, t ^ (1ULL << 62));
		c->tk = TK_FORGED;
		fault(c, ESTALE);
	}
	/*
	 * At most MAX_LIVE sessions a file; and CONNECT registers a parport
	 * device, the most expensive call here: fewer once the file has two.
	 */
	if (c->cmd == PARCLASS_CMD_CONNECT && !c->ndefs &&
	    (f->nlive >= MAX_LIVE || (f->nlive >= 2 && !chance(r, 1, 3)))) {
		c->u.connect.port = NO_SUCH_PORT;
		c->stage = "no such port";
		fault(c, ENODEV);
	}
	/*
	 * Fewer of the slow calls on a live session: make them fail fast.
	 * LOCK waits up to 500 ms for a busy port: fewer still.
	 */
	if (c->tk == TK_LIVE && slow(c) &&
	    !chance(r, 1, c->cmd == PARCLASS_CMD_LOCK ? 6 : 2)) {
		set_token(&c->u, c->cmd, t ^ (1ULL << 62));
		c->tk = TK_FORGED;
		c->daisy = -1;
		c->stage = "a forged token";
		fault(c, ESTALE);
	}

	/* Flags and reserved fields. */
	if (chance(r, 1, 12)) {
		v = bits_outside(r, ci->flags);
		c->u.version.flags |= v;
		c->stage = "an unknown flag";
		fault(c, EINVAL);
	}
	if (ci->reserved >= 0 && chance(r, 1, 16)) {
		v = (__u32)rnd(r) | 1U << below(r, 32);
		memcpy(c->u.b + ci->reserved, &v, 4);
		c->stage = "a non-zero reserved field";
		fault(c, EINVAL);
	}

	/* The size. */
	if (chance(r, 1, 8)) {
		c->stage = "a size past the struct";
		switch (below(r, 12)) {
		case 0:
			c->size = 0;
			break;
		case 1:
			c->size = 1 + below(r, 3);
			break;
		case 2:
			c->size = sz - 8;
			break;
		case 3:
			c->size = sz - 1 - below(r, 7);
			break;
		case 4:
			c->size = sz + 1 + below(r, 7);
			c->tail = c->size - sz;
			break;
		case 5:
			c->size = sz + 8 * (1 + below(r, 8));
			c->tail = c->size - sz;
			break;
		case 6:
		case 7:
			c->size = sz + 1 + below(r, 64);
			c->tail = c->size - sz;
			c->tail_nz = below(r, c->tail);
			c->stage = "a non-zero byte past the struct";
			fault(c, E2BIG);
			break;
		case 8:
			c->size = arena.pg + 8;
			c->tail = c->size - sz;
			if (chance(r, 1, 2)) {
				c->tail_nz = c->tail - 1;
				c->stage = "a non-zero byte a page past the struct";
				fault(c, E2BIG);
			}
			break;
		case 9:
			c->size = 0xffffffff;
			maybe(c, EFAULT);
			maybe(c, E2BIG);
			break;
		case 10:
			c->size = 0x80000000U + below(r, 1U << 31);
			maybe(c, EFAULT);
			maybe(c, E2BIG);
			break;
		default:
			c->size = rnd(r);
			if (c->size < sz)
				break;
			maybe(c, EFAULT);
			maybe(c, E2BIG);
			break;
		}
		c->u.version.size = c->size;
	}

	/* Where the struct goes. */
	if (chance(r, 1, 12)) {
		c->pl = 1 + below(r, PL_COUNT - 1);
		if (c->pl == PL_STRADDLE)
			c->k = 1 + below(r, sz + 8);
		if (c->pl == PL_RO) {
			c->stage = "a read-only struct";
			/* Its tail must fit on the page, or it runs into the hole. */
			if (c->off + c->size > arena.pg) {
				maybe(c, EFAULT);
				maybe(c, E2BIG);
			}
			/* Where the answer cannot be written back. */
			if (ci->out)
				maybe(c, EFAULT);
		}
	} else if (chance(r, 1, 8)) {
		c->off += 1 + below(r, 7);	/* unaligned */
	}

	c->may_block = c->tk == TK_LIVE && waits(c);
}

static bool pin_is_read(__u32 op)
{
	return op == PARCLASS_PIN_READ_DATA || op == PARCLASS_PIN_READ_STATUS ||
	       op == PARCLASS_PIN_READ_CONTROL;
}

/*
 * The results the header documents for command @c->cmd with this input,
 * in this worker, success included: what the faults surely give and the
 * changes may give, or, with no fault, the errors of the states the
 * call's session and port may be in. The simulated ports are never
 * removed during the fuzz (no ENODEV); allow_interrupts is on (no EACCES);
 * no driver takes them exclusively (no EBUSY from CONNECT or ALLOCATE);
 * only another thread or process of the same session (a worker and its
 * child on the same files) can run a transfer beside this call (EBUSY),
 * cancel its wait (ECANCELED) or free the port between its grant and its
 * select.
 */
static void input_errs(const struct fcall *c, struct eset *s)
{
	const union cmd_buf *u = &c->u;
	__u32 flags = u->version.flags;
	bool sh = c->shared;
	__u64 tmo;

#define A(e)	eset_add(s, e)
	*s = c->mays;
	if (c->ndefs) {
		eset_or(s, &c->defs);
		return;
	}
	A(0);
	switch (c->cmd) {
	case PARCLASS_CMD_CONNECT:
		A(EMFILE);
		A(ENFILE);
		A(ENOMEM);
		/* The chain may answer fewer addresses after line noise. */
		if (flags & PARCLASS_CONNECT_DAISY)
			A(EINVAL);
		break;
	case PARCLASS_CMD_ALLOCATE:
		A(EALREADY);
		A(ENOMEM);
		tmo = u->allocate.timeout_ns;
		if (flags & PARCLASS_ALLOCATE_TRY) {
			A(EAGAIN);
		} else if (flags & PARCLASS_ALLOCATE_ASYNC) {
			A(EINPROGRESS);
		} else {
			A(EINTR);
			if (tmo && tmo <= KTIME_MAX_NS)
				A(ETIMEDOUT);
			if (sh)
				A(ECANCELED);
		}
		break;
	case PARCLASS_CMD_FREE:
	case PARCLASS_CMD_SET_INFORMATION:
	case PARCLASS_CMD_UNLOCK:
	case PARCLASS_CMD_DAISY_INIT:
	case PARCLASS_CMD_DESELECT_DEVICE:
		A(EPERM);
		if (sh)
			A(EBUSY);
		break;
	case PARCLASS_CMD_LIST_PORTS:
		A(ENOMEM);
		break;
	case PARCLASS_CMD_WRITE:
		A(EPERM);
		A(ETIMEDOUT);
		A(EINTR);
		A(EIO);
		A(ENOMEM);
		if (sh)
			A(EBUSY);
		break;
	case PARCLASS_CMD_QUERY_INFORMATION:
		A(EPERM);
		break;
	case PARCLASS_CMD_DEVICE_ID:
		A(EPERM);
		A(ENODATA);
		A(EIO);
		A(EINTR);
		A(ENOMEM);
		if (u->device_id.length)
			A(ERANGE);
		/* A chain device's session asks its device "the same way". */
		if ((flags & PARCLASS_DEVICE_ID_DAISY) || c->daisy >= 0)
			A(ENXIO);
		if (sh)
			A(EBUSY);
		break;
	case PARCLASS_CMD_REGISTER:
		A(EPERM);
		if (sh && !pin_is_read(u->reg.op))
			A(EBUSY);
		break;
	case PARCLASS_CMD_PIN_PROGRAM:
		A(EPERM);
		A(ETIMEDOUT);
		A(EINTR);
		A(ENOMEM);
		if (sh)
			A(EBUSY);
		break;
	case PARCLASS_CMD_NEGOTIATE:
		A(EIO);
		A(EOPNOTSUPP);
		A(EPERM);
		A(EINTR);
		if (flags & PARCLASS_NEGOTIATE_KEEP)
			A(EPROTO);
		if (sh)
			A(EBUSY);
		break;
	case PARCLASS_CMD_TERMINATE:
	case PARCLASS_CMD_PROBE:
		A(EPERM);
		A(EINTR);
		if (sh)
			A(EBUSY);
		break;
	case PARCLASS_CMD_READ:
		A(EPROTO);
		A(ETIMEDOUT);
		A(EIO);
		A(EPERM);
		A(EINTR);
		A(ENOMEM);
		if (sh)
			A(EBUSY);
		break;
	case PARCLASS_CMD_ADDRESS:
		if (!(flags & PARCLASS_ADDRESS_SET))
			break;
		A(EPROTO);
		A(EIO);
		A(ETIMEDOUT);
		A(EPERM);
		A(EINTR);
		/* Out of range for ECP, the session's mode may be. */
		if (u->address.address > PARCLASS_ECP_CHANNEL_MAX)
			A(EINVAL);
		if (sh)
			A(EBUSY);
		break;
	case PARCLASS_CMD_PING:
		A(EIO);
		A(EOPNOTSUPP);
		A(EPERM);
		A(EINTR);
		if (sh)
			A(EBUSY);
		break;
	case PARCLASS_CMD_CHIP_MODE:
		if (flags & PARCLASS_CHIP_MODE_SET) {
			A(EALREADY);
			A(EOPNOTSUPP);
		} else if (flags & PARCLASS_CHIP_MODE_CLEAR) {
			A(ENOENT);
		} else {
			break;
		}
		A(EPERM);
		if (sh)
			A(EBUSY);
		break;
	case PARCLASS_CMD_LOCK:
		A(ETIMEDOUT);
		A(EALREADY);
		A(EINTR);
		A(ENOMEM);
		if (c->daisy >= 0 && !(flags & PARCLASS_LOCK_NO_SELECT))
			A(ENXIO);
		if (sh) {
			A(ECANCELED);
			A(EPERM);
			A(EBUSY);
		}
		break;
	case PARCLASS_CMD_SELECT_DEVICE:
		A(ENXIO);
		/* Beyond the chain: how long it is now. */
		if (u->select.device != PARCLASS_DAISY_END_OF_CHAIN)
			A(EINVAL);
		if (flags & PARCLASS_SELECT_KEEP_PORT) {
			A(EPERM);
		} else {
			A(EALREADY);
			A(EINTR);
			A(ENOMEM);
			tmo = u->select.timeout_ns;
			if (tmo && tmo <= KTIME_MAX_NS)
				A(ETIMEDOUT);
			if (sh) {
				A(ECANCELED);
				A(EPERM);
			}
		}
		if (sh)
			A(EBUSY);
		break;
	case PARCLASS_CMD_CANCEL:
		A(EALREADY);
		A(ENOENT);
		break;
	case PARCLASS_CMD_INTERRUPTS:
		if (flags & PARCLASS_INTERRUPTS_ENABLE)
			A(ENXIO);
		else if (flags & PARCLASS_INTERRUPTS_DISABLE)
			A(ENOENT);
		else
			break;
		if (sh)
			A(EBUSY);
		break;
	}
#undef A
}

/*
 * -errno the call must give, or 0 when input_errs() applies: a
 * struct the dispatcher cannot read, or a size below the struct's, is
 * found before anything else is looked at; else the one fault the call
 * has, when nothing else it changed may give another.
 */
static int expected(const struct fcall *c)
{
	__u32 sz = c->cmd < NCMDS ? cmds[c->cmd].size : 0;
	int e;

	if (c->cmd == CMD_UNKNOWN)
		return -ENOTTY;
	if (c->pl >= PL_NULL)
		return -EFAULT;
	if (c->pl == PL_STRADDLE) {
		/* The size field is read first, then the struct, then the tail. */
		if (c->k < 4)
			return -EFAULT;
		if (c->size < sz)
			return -EINVAL;
		if (c->k < sz)
			return -EFAULT;
		/* The zero tail runs into the guard. */
		if (c->size > c->k)
			return -EFAULT;
	}
	if (c->size < sz)
		return -EINVAL;
	if (c->ndefs != 1 || !eset_empty(&c->mays))
		return 0;
	for (e = 1; !eset_has(&c->defs, e); e++)
		;
	return -e;
}

/* Put the struct where @c says; the argument. */
static void *place_call(struct fcall *c)
{
	size_t sz = c->cmd < NCMDS ? cmds[c->cmd].size : c->size;
	unsigned char img[sizeof(c->u) + 64];
	unsigned char *p;
	size_t len;

	switch (c->pl) {
	case PL_NORMAL:
		p = arena.scratch + c->off;
		memcpy(p, &c->u, sz);
		if (c->tail) {
			memset(p + sz, 0, c->tail);
			if (c->tail_nz >= 0)
				p[sz + c->tail_nz] = 0xa5;
		}
		return p;
	case PL_STRADDLE:
		/* The bytes before the guard: the struct, then a zero tail. */
		p = arena.guard - c->k;
		memcpy(p, &c->u, c->k < sz ? c->k : sz);
		if (c->k > sz)
			memset(p + sz, 0, c->k - sz);
		if (c->tail_nz >= 0 && c->size <= c->k)
			p[sz + c->tail_nz] = 0xa5;
		return p;
	case PL_RO:
		/*
		 * The struct and its tail, as much of it as the page and
		 * img hold (a longer tail may meet anything: gen_call()
		 * said so).
		 */
		len = sz + c->tail;
		if (c->off + len > arena.pg)
			len = arena.pg - c->off;
		if (len > sizeof(img))
			len = sizeof(img);
		memset(img, 0, sizeof(img));
		memcpy(img, &c->u, sz);
		if (c->tail_nz >= 0 && sz + c->tail_nz < len)
			img[sz + c->tail_nz] = 0xa5;
		return ro_put(c->off, img, len);
	default:
		return bad_addr(c->pl);
	}
}

static void record(struct worker *w, const struct fcall *c, int err, int exp,
		   bool undocumented, const struct eset *allowed,
		   unsigned long long seq)
{
	struct wstats *st = w->st;
	struct offender *o;
	unsigned int i;

	if (st->noffenders >= MAX_OFFENDERS)
		return;
	/* One of each kind: the command, the errno, what was expected. */
	for (i = 0; i < st->noffenders; i++)
		if (st->offenders[i].cmd == c->cmd &&
		    st->offenders[i].err == err &&
		    st->offenders[i].expect == exp)
			return;
	o = &st->offenders[st->noffenders++];
	o->worker = w->id;
	o->seq = seq;
	o->cmd = c->cmd;
	o->req = c->req;
	o->size = c->size;
	o->place = c->pl;
	o->tok = c->tk;
	o->err = err;
	o->expect = exp;
	o->undocumented = undocumented;
	o->wrote = false;
	o->child = w->child;
	o->allowed = *allowed;
	o->k = c->k;
	snprintf(o->what, sizeof(o->what), "%s", c->what[0] ? c->what :
		 "a valid call");
	memcpy(o->img, &c->u, sizeof(o->img));
}

/* @t is no session any more, for ever. */
static void bury(struct worker *w, __u64 t)
{
	if (w->ndead < MAX_DEAD)
		w->dead[w->ndead++] = t;
	else
		w->dead[below(&w->r, MAX_DEAD)] = t;
}

static void forget(struct worker *w, struct wfile *f, __u64 t)
{
	unsigned int i;

	if (t == f->holder)
		f->holder = 0;
	for (i = 0; i < f->nlive; i++) {
		if (f->live[i] != t)
			continue;
		f->live[i] = f->live[--f->nlive];
		f->live_daisy[i] = f->live_daisy[f->nlive];
		bury(w, t);
		return;
	}
}

/*
 * Did the call at @arg leave what it must alone? Bytes past its @size
 * never change; a refused call writes nothing back, but for WRITE's
 * @written once the transfer began, DEVICE_ID's @id_size with ERANGE,
 * READ's @done, and PIN_PROGRAM's @done and @results_used once the
 * program started (not when it was refused before, e.g. with EINVAL,
 * E2BIG, ENOMEM, EPERM or EBUSY).
 */
static bool intact(const struct fcall *c, const unsigned char *arg, int err)
{
	size_t sz = c->cmd < NCMDS ? cmds[c->cmd].size : c->size, i;

	if (c->cmd == CMD_UNKNOWN)
		return true;
	for (i = 0; i < c->tail; i++)
		if (arg[sz + i] != ((int)i == c->tail_nz ? 0xa5 : 0))
			return false;
	if (!err)
		return true;
	switch (c->cmd) {
	case PARCLASS_CMD_WRITE:
		if (err == ETIMEDOUT || err == EINTR || err == ESTALE ||
		    err == ENODEV || err == EIO || err == EFAULT)
			return true;
		break;
	case PARCLASS_CMD_DEVICE_ID:
		if (err == ERANGE)
			return true;
		break;
	case PARCLASS_CMD_READ:
		return true;
	case PARCLASS_CMD_PIN_PROGRAM:
		/* Only a program that started reports how far it got. */
		if (err != EINVAL && err != E2BIG && err != ENOMEM &&
		    err != EPERM && err != EBUSY)
			return true;
		break;
	}
	return !memcmp(arg, &c->u, sz);
}

/* Send @c through @f, check and count its result. */
static void issue(struct worker *w, struct wfile *f, struct fcall *c)
{
	struct wstats *st = w->st;
	unsigned long long seq = st->calls;
	void *arg = place_call(c);
	int exp = -expected(c), err;
	__u64 t, t0;
	unsigned int slot;
	struct eset ok;

	if (c->may_block)
		tick_arm(TICK_MS);
	t0 = now_ns();
	err = call(f->fd, c->req, arg);
	t0 = now_ns() - t0;
	if (c->may_block)
		tick_stop();
	slot = c->cmd;
	st->calls++;
	st->ns[slot] += t0;
	st->hist[slot][errno_slot(err)]++;
	input_errs(c, &ok);
	if (err >= ERRNO_SLOTS - 1 || !allowed[slot][err]) {
		st->undocumented++;
		record(w, c, err, exp, true, &ok, seq);
	} else if (exp && err != exp) {
		st->mispredicted++;
		record(w, c, err, exp, false, &ok, seq);
	} else if (!exp && !eset_has(&ok, err)) {
		st->off_input++;
		record(w, c, err, 0, false, &ok, seq);
	}
	if (exp)
		st->predicted++;
	if (c->pl == PL_NORMAL && !intact(c, arg, err)) {
		st->wrote++;
		record(w, c, err, exp, false, &ok, seq);
		if (st->noffenders &&
		    st->offenders[st->noffenders - 1].seq == seq)
			st->offenders[st->noffenders - 1].wrote = true;
	}
	t = get_token(&c->u, c->cmd);
	/* Disconnected behind this process's back: dead from now on. */
	if (err == ESTALE && c->tk == TK_LIVE)
		forget(w, f, t);
	/* Not holding the port after all. */
	if (err == EPERM && c->tk == TK_LIVE && t == f->holder)
		f->holder = 0;
	if (err)
		return;
	switch (c->cmd) {
	case PARCLASS_CMD_CONNECT:
		memcpy(&t, (unsigned char *)arg +
		       offsetof(struct parclass_connect, token), 8);
		if (f->nlive < MAX_LIVE) {
			f->live[f->nlive] = t;
			f->live_daisy[f->nlive] =
				c->u.connect.flags & PARCLASS_CONNECT_DAISY ?
				(int)c->u.connect.daisy : -1;
			f->nlive++;
		} else {
			/* No room (it was not to succeed): end it at once. */
			pc_disconnect(f->fd, t);
			bury(w, t);
		}
		break;
	case PARCLASS_CMD_DISCONNECT:
		if (c->tk == TK_LIVE)
			forget(w, f, t);
		break;
	case PARCLASS_CMD_ALLOCATE:
	case PARCLASS_CMD_LOCK:
	case PARCLASS_CMD_SELECT_DEVICE:
		f->holder = t;
		break;
	case PARCLASS_CMD_DESELECT_DEVICE:
	case PARCLASS_CMD_FREE:
	case PARCLASS_CMD_UNLOCK:
		if (t == f->holder && !(c->cmd == PARCLASS_CMD_DESELECT_DEVICE &&
					(c->u.select.flags &
					 PARCLASS_SELECT_KEEP_PORT)))
			f->holder = 0;
		break;
	}
}

/* Port A, B or the worker's own. */
static __u32 any_port(struct worker *w)
{
	switch (below(&w->r, 3)) {
	case 0:
		return port_a;
	case 1:
		return port_b;
	default:
		return w->own_port;
	}
}

/* A valid CONNECT of @f to port A, B or the worker's own. */
static void connect_one(struct worker *w, struct wfile *f)
{
	struct fcall c;

	memset(&c, 0, sizeof(c));
	c.cmd = PARCLASS_CMD_CONNECT;
	c.req = PARCLASS_IOC_CONNECT;
	c.size = sizeof(struct parclass_connect);
	c.u.connect.size = c.size;
	c.u.connect.port = any_port(w);
	c.tail_nz = -1;
	c.tk = TK_NONE;
	c.daisy = -1;
	c.shared = w->shared;
	issue(w, f, &c);
}

static int wfile_open(struct worker *w, struct wfile *f)
{
	f->fd = open("/dev/parclass", O_RDWR | O_CLOEXEC |
		     (chance(&w->r, 1, 2) ? O_NONBLOCK : 0));
	f->nlive = 0;
	f->holder = 0;
	if (f->fd < 0)
		return -1;
	connect_one(w, f);
	connect_one(w, f);
	return 0;
}

/* Close @f, its sessions dead from now on, and open it again. */
static void wfile_reopen(struct worker *w, struct wfile *f)
{
	while (f->nlive)
		forget(w, f, f->live[0]);
	close(f->fd);
	w->st->reopens++;
	wfile_open(w, f);
}

/* Read the file's events without waiting. */
static void drain_events(struct worker *w, struct wfile *f)
{
	struct parclass_event ev[4];
	struct pollfd pfd = { .fd = f->fd, .events = POLLIN };

	if (poll(&pfd, 1, 0) != 1 || !(pfd.revents & POLLIN))
		return;
	if (read(f->fd, ev, sizeof(ev)) > 0)
		w->st->events++;
}

/*
 * A child that runs beside the worker: @n random calls through the
 * worker's own files (the same sessions, from two processes at once) or
 * through a file of its own, then exits or is killed, perhaps in the
 * middle of a call and holding the port.
 */
static void fork_child(struct worker *w)
{
	bool own = chance(&w->r, 1, 3);
	unsigned int n = 20 + below(&w->r, 300), i;
	__u64 seed = rnd(&w->r);
	struct wfile cf;
	struct fcall c;
	pid_t pid;

	w->kid_dies = chance(&w->r, 1, 2);
	w->kid_st->forks++;
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		return;
	if (pid) {
		w->kid = pid;
		w->shared = !own;
		return;
	}
	child_alarm();
	w->shared = !own;
	w->child = true;
	/* The worker's second thread is not the child's. */
	w->disrupted = false;
	w->st = w->kid_st;
	for (i = 0; i < NFILES && !own; i++) {
		memcpy(w->inherited + w->ninherited, w->f[i].live,
		       w->f[i].nlive * sizeof(__u64));
		w->ninherited += w->f[i].nlive;
	}
	rng_seed(&w->r, seed);
	if (tick_init(chance(&w->r, 1, 2)))
		_exit(4);
	if (own && wfile_open(w, &cf))
		_exit(5);
	for (i = 0; i < n; i++) {
		struct wfile *f = own ? &cf : pick_file(w);

		gen_call(w, f, &c);
		issue(w, f, &c);
	}
	if (w->kid_dies)
		raise(SIGKILL);
	/* Its own sessions in the worker's files go with it. */
	for (i = 0; i < NFILES && !own; i++) {
		struct wfile *f = &w->f[i];
		unsigned int k;

		for (k = 0; k < f->nlive; k++)
			if (!inherited(w, f->live[k]))
				pc_disconnect(f->fd, f->live[k]);
	}
	_exit(0);
}

/* Reap the child if it ended (or wait for it, with @wait); check how. */
static void reap_child(struct worker *w, bool wait)
{
	int status;

	if (!w->kid)
		return;
	if (wait)
		status = reap(w->kid, 15000);
	else if (waitpid(w->kid, &status, WNOHANG) != w->kid)
		return;
	w->kid = 0;
	w->shared = false;
	if (status == 0 || (status > 0 && WIFSIGNALED(status) &&
			    WTERMSIG(status) == SIGKILL && w->kid_dies))
		return;
	/* The child crashed or hung. */
	w->kid_st->undocumented++;
	if (w->kid_st->noffenders < MAX_OFFENDERS) {
		struct offender *o =
			&w->kid_st->offenders[w->kid_st->noffenders++];

		memset(o, 0, sizeof(*o));
		o->worker = w->id;
		o->cmd = -1;
		o->err = status;
	}
}

/*
 * The second thread of one worker: at random moments it signals the
 * worker's thread, disconnects one of its sessions, or puts a new file in
 * place of one of its files (dup2(), which closes the old one, perhaps
 * with a call of the worker in flight on it).
 */
struct disruptor {
	struct worker *w;
	pthread_t thread, victim;
	struct rng r;
	int stop;
	unsigned long long signals, disconnects, replaced;
};

static void *disrupt(void *arg)
{
	struct disruptor *d = arg;
	struct worker *w = d->w;

	while (!__atomic_load_n(&d->stop, __ATOMIC_RELAXED)) {
		struct timespec ts = { 0, 100000 + below(&d->r, 2000000) };
		struct wfile *f = &w->f[below(&d->r, NFILES)];
		__u32 v = below(&d->r, 100);
		int fd;

		nanosleep(&ts, NULL);
		if (v < 70) {
			pthread_kill(d->victim, SIGUSR1);
			d->signals++;
		} else if (v < 95) {
			unsigned int n = __atomic_load_n(&f->nlive,
							 __ATOMIC_RELAXED);

			if (n && n <= MAX_LIVE) {
				pc_disconnect(__atomic_load_n(&f->fd,
							      __ATOMIC_RELAXED),
					      f->live[below(&d->r, n)]);
				d->disconnects++;
			}
		} else {
			fd = pc_open();
			if (fd < 0)
				continue;
			dup2(fd, __atomic_load_n(&f->fd, __ATOMIC_RELAXED));
			close(fd);
			d->replaced++;
		}
	}
	return NULL;
}

/*
 * The guest runs its tests on one CPU; the workers may run on every one,
 * so that their calls meet in the kernel at the same time, not only in
 * turns. (The simulated ports' interrupts are parport_sim's own; lp and
 * ppdev are never handed a port here.)
 */
static void every_cpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN), i;
	cpu_set_t set;

	CPU_ZERO(&set);
	for (i = 0; i < n && i < CPU_SETSIZE; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

static void worker_main(unsigned int id, __u64 seed, struct wstats *st,
			struct wstats *kid_st, unsigned long long quota,
			unsigned int seconds)
{
	struct disruptor d = { .w = NULL };
	bool threaded = id == 0;
	struct worker w;
	struct fcall c;
	unsigned int i;
	__u64 t0 = now_ns();

	signal(SIGALRM, SIG_DFL);
	alarm(seconds + 20);
	every_cpu();
	memset(&w, 0, sizeof(w));
	w.id = id;
	w.st = st;
	w.kid_st = kid_st;
	w.quota = quota;
	w.own_port = port_w[id];
	w.deadline = t0 + seconds * 1000000000ULL;
	rng_seed(&w.r, seed ^ (0x5bd1e995ULL * (id + 1)));
	if (tick_init(chance(&w.r, 1, 2)))
		_exit(4);
	for (i = 0; i < NFILES; i++)
		if (wfile_open(&w, &w.f[i]))
			_exit(5);
	if (threaded) {
		d.w = &w;
		d.victim = pthread_self();
		rng_seed(&d.r, rnd(&w.r));
		w.disrupted = true;
		if (pthread_create(&d.thread, NULL, disrupt, &d))
			_exit(6);
	}
	while (st->calls < quota) {
		struct wfile *f = pick_file(&w);

		if (!(st->calls & 255) && now_ns() > w.deadline)
			break;
		if (chance(&w.r, 1, 5000)) {
			wfile_reopen(&w, f);
			continue;
		}
		reap_child(&w, false);
		if (!w.kid && chance(&w.r, 1, 10000)) {
			fork_child(&w);
			continue;
		}
		if (w.kid && chance(&w.r, 1, 2000)) {
			/* Killed wherever it is, in a call or not. */
			kill(w.kid, SIGKILL);
			w.kid_dies = true;
		}
		if (chance(&w.r, 1, 300))
			drain_events(&w, f);
		if (chance(&w.r, 1, 2000)) {
			/* Bytes for the peripheral to send: READ has work. */
			sim_puts(chance(&w.r, 1, 2) ? sim_a : sim_b, "reverse",
				 "0123456789abcdef");
			continue;
		}
		if (!f->nlive && chance(&w.r, 1, 2)) {
			connect_one(&w, f);
			continue;
		}
		gen_call(&w, f, &c);
		issue(&w, f, &c);
	}
	if (threaded) {
		__atomic_store_n(&d.stop, 1, __ATOMIC_RELAXED);
		pthread_join(d.thread, NULL);
		st->signals = d.signals;
		st->disconnects = d.disconnects;
		st->replaced = d.replaced;
	}
	reap_child(&w, true);
	for (i = 0; i < NFILES; i++)
		close(w.f[i].fd);
	st->elapsed_ms = (now_ns() - t0) / MS;
	st->done = 1;
	_exit(0);
}

/* ------------------------------------------------------------------ */

static void print_offender(const struct offender *o)
{
	char hex[2 * sizeof(o->img) + 1], set[256], size[48];
	const char *who = o->child ? "'s child" : "";
	__u32 flags, sz;
	unsigned int i;

	if (o->cmd < 0) {
		diag("FAIL worker %u: a forked child ended with status %#x",
		     o->worker, o->err);
		return;
	}
	sz = o->cmd < NCMDS ? cmds[o->cmd].size : o->size;
	memcpy(&flags, o->img + 4, sizeof(flags));
	if (o->size == sz)
		snprintf(size, sizeof(size), "size %u", o->size);
	else if (o->size < sz)
		snprintf(size, sizeof(size), "size %u, %u short", o->size,
			 sz - o->size);
	else
		snprintf(size, sizeof(size), "size %u, %u long", o->size,
			 o->size - sz);
	diag("FAIL worker %u%s call %llu: %s (request %#x), struct %s, %s, %s token, flags %#x",
	     o->worker, who, o->seq, cmd_name(o->cmd), o->req,
	     place_names[o->place], size, tok_names[o->tok], flags);
	diag("  input: %s", o->what);
	if (o->wrote)
		diag("  got %s, and the struct (or past its size) was written",
		     ename(o->err));
	else if (o->undocumented)
		diag("  got %s, which the header does not document for %s",
		     ename(o->err), cmd_name(o->cmd));
	else if (o->expect)
		diag("  got %s, want %s (the input's one fault)",
		     ename(o->err), ename(o->expect));
	else
		diag("  got %s; the header documents %s for this input",
		     ename(o->err), eset_str(&o->allowed, set, sizeof(set)));
	for (i = 0; i < sizeof(o->img); i++)
		snprintf(hex + 2 * i, 3, "%02x", o->img[i]);
	diag("  struct (first %zu bytes): %s", sizeof(o->img), hex);
	if (o->place == PL_STRADDLE)
		diag("  %u bytes before the unmapped page", o->k);
}

/* The random part's results, when it cannot run. */
static void random_not_run(const char *why)
{
	static const char *const what[] = {
		"workers exited cleanly",
		"every errno is documented for its command",
		"every errno is documented for its command and that input",
		"calls with one known fault got its errno",
		"refused calls wrote nothing back",
		"the lane's number of ioctls",
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(what); i++)
		tap(false, "random: %s (%s)", what[i], why);
}

static void run_fuzz(const struct budget *b, __u64 seed)
{
	struct wstats *st, total;
	pid_t pids[NWORKERS];
	unsigned long long quota = b->min_calls / NWORKERS +
				   b->min_calls / NWORKERS / 50 + 1;
	unsigned int i, e, s, bad_exit = 0, shown = 0;
	__u64 t0 = now_ns();
	char line[1024];
	int n;

	/* The workers', then their children's. */
	st = mmap(NULL, 2 * NWORKERS * sizeof(*st), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (st == MAP_FAILED) {
		random_not_run("no shared statistics");
		return;
	}
	memset(st, 0, 2 * NWORKERS * sizeof(*st));
	for (i = 0; i < NWORKERS; i++) {
		snprintf(sim_w[i], sizeof(sim_w[i]), "fuzz%c%d", 'D' + i,
			 (int)getpid());
		port_w[i] = sim_make(sim_w[i], ID_A, NULL, NULL);
		if (port_w[i] < 2) {
			random_not_run("no simulated port for each worker");
			munmap(st, 2 * NWORKERS * sizeof(*st));
			return;
		}
	}
	diag("%d workers, %d files each, %llu ioctls each, at most %u s",
	     NWORKERS, NFILES, quota, b->seconds);
	fflush(stdout);
	for (i = 0; i < NWORKERS; i++) {
		pids[i] = fork();
		if (pids[i] == 0)
			worker_main(i, seed, &st[i], &st[NWORKERS + i], quota,
				    b->seconds);
	}
	for (i = 0; i < NWORKERS; i++) {
		int status = pids[i] > 0 ?
			     reap(pids[i], (b->seconds + 30) * 1000) : -1;

		if (status == 0 && st[i].done)
			continue;
		bad_exit++;
		if (status < 0)
			diag("worker %u hung (killed)", i);
		else if (WIFSIGNALED(status))
			diag("worker %u died of signal %d after %llu calls", i,
			     WTERMSIG(status), st[i].calls);
		else
			diag("worker %u exited with %d", i,
			     WEXITSTATUS(status));
	}
	memset(&total, 0, sizeof(total));
	for (i = 0; i < 2 * NWORKERS; i++) {
		total.calls += st[i].calls;
		total.predicted += st[i].predicted;
		total.undocumented += st[i].undocumented;
		total.off_input += st[i].off_input;
		total.wrote += st[i].wrote;
		total.mispredicted += st[i].mispredicted;
		total.forks += st[i].forks;
		total.reopens += st[i].reopens;
		total.events += st[i].events;
		total.signals += st[i].signals;
		total.disconnects += st[i].disconnects;
		total.replaced += st[i].replaced;
		for (s = 0; s < NSLOTS; s++) {
			total.ns[s] += st[i].ns[s];
			for (e = 0; e < ERRNO_SLOTS; e++)
				total.hist[s][e] += st[i].hist[s][e];
		}
		if (i < NWORKERS)
			diag("worker %u: %llu ioctls in %llu ms, its children %llu",
			     i, st[i].calls, st[i].elapsed_ms,
			     st[NWORKERS + i].calls);
	}
	diag("%llu ioctls in %llu ms (%llu with one exact errno expected)",
	     total.calls, (unsigned long long)((now_ns() - t0) / MS),
	     total.predicted);
	diag("%llu forks, %llu reopens, %llu event reads",
	     total.forks, total.reopens, total.events);
	diag("worker 0's second thread: %llu signals, %llu disconnects, %llu files replaced",
	     total.signals, total.disconnects, total.replaced);
	diag("errno histogram:");
	for (e = 0; e < ERRNO_SLOTS; e++) {
		unsigned long long sum = 0;

		for (s = 0; s < NSLOTS; s++)
			sum += total.hist[s][e];
		if (sum)
			diag("  %-12s %llu", e == ERRNO_SLOTS - 1 ? "other" :
			     ename(e), sum);
	}
	diag("per command: calls, mean us, results:");
	for (s = 0; s < NSLOTS; s++) {
		unsigned long long calls = 0;

		for (e = 0; e < ERRNO_SLOTS; e++)
			calls += total.hist[s][e];
		if (!calls)
			continue;
		n = snprintf(line, sizeof(line), "  %s: %llu, %llu us:",
			     cmd_name(s), calls, total.ns[s] / calls / 1000);
		for (e = 0; e < ERRNO_SLOTS && n < (int)sizeof(line) - 40; e++)
			if (total.hist[s][e])
				n += snprintf(line + n, sizeof(line) - n,
					      " %s %llu",
					      e == ERRNO_SLOTS - 1 ? "other" :
					      ename(e), total.hist[s][e]);
		diag("%s", line);
	}
	for (i = 0; i < 2 * NWORKERS; i++)
		for (e = 0; e < st[i].noffenders && shown < SHOW_OFFENDERS;
		     e++, shown++)
			print_offender(&st[i].offenders[e]);
	tap(!bad_exit, "random: %d workers exited cleanly (no crash, no hang)",
	    NWORKERS);
	tap(!total.undocumented && total.calls,
	    "random: every errno is documented for its command (%llu not)",
	    total.undocumented);
	tap(!total.off_input && total.calls,
	    "random: every errno is documented for its command and that input (%llu not)",
	    total.off_input);
	tap(!total.mispredicted && total.predicted,
	    "random: calls with one known fault got its errno (%llu of %llu did not)",
	    total.mispredicted, total.predicted);
	tap(!total.wrote && total.calls,
	    "random: refused calls wrote nothing back, no call wrote past its size (%llu did)",
	    total.wrote);
	tap(total.calls >= b->min_calls,
	    "random: %llu ioctls, at least the %lu of lane %s",
	    total.calls, b->min_calls, b->lane);
	munmap(st, 2 * NWORKERS * sizeof(*st));
}

/* ------------------------------------------------------------------ */
/* Afterwards. */

/*
 * The fuzz drove the lines of @sim by hand, at random: put its
 * peripheral back in compatibility mode, idle (each write of the control
 * lines ends one IEEE 1284 state: nSelectIn low, nAutoFd low, nInit low
 * resets), and the chain out of command mode (FF). Then a fresh session
 * must still do what the fuzz did not break.
 */
static void reset_lines(struct group *g, int fd, __u64 t, const char *sim)
{
	static const __u32 reset[] = { 0x08, 0x0a, 0x0c, 0x08, 0x0c };
	char phase[32] = "";
	unsigned int k;
	__u32 v = 0;

	check(g, !pc_register(fd, t, PARCLASS_PIN_DATA_DIR, 0, &v),
	      "%s: data lines forward", sim);
	v = 0xff;
	check(g, !pc_register(fd, t, PARCLASS_PIN_WRITE_DATA, 0, &v),
	      "%s: data lines idle", sim);
	for (k = 0; k < ARRAY_SIZE(reset); k++) {
		v = reset[k];
		check(g, !pc_register(fd, t, PARCLASS_PIN_WRITE_CONTROL, 0, &v),
		      "%s: control lines %#x", sim, reset[k]);
	}
	check(g, !sim_state_word(sim, "phase", phase, sizeof(phase)) &&
	      !strcmp(phase, "compat"), "%s: the peripheral is in phase %s",
	      sim, phase);
}

static void after_works(void)
{
	static const char msg[] = "parclass fuzz: still printing\n";
	static const char chain1[] = "MFG:Fuzz;MDL:Chain1;CLS:PRINTER;";
	struct group g = { "after" };
	struct parclass_chip_mode cm = { .size = sizeof(cm) };
	struct parclass_daisy_init di = { .size = sizeof(di) };
	struct parclass_select sel = { .size = sizeof(sel) };
	char got[128];
	int fd = pc_open();
	__u32 written = 0, id_size = 0;
	__u64 t = 0;
	ssize_t n;

	if (!check(&g, fd >= 0, "open: %s", strerror(errno)))
		goto out;
	/* Port A prints. */
	check(&g, !pc_connect(fd, port_a, &t), "CONNECT");
	check(&g, !pc_allocate(fd, t, 0, 2000 * MS), "ALLOCATE");
	reset_lines(&g, fd, t, sim_a);
	cm.token = t;
	check(&g, !ioctl(fd, PARCLASS_IOC_CHIP_MODE, &cm) &&
	      cm.current_mode == PARCLASS_CHIP_MODE_INITIAL,
	      "the chip mode is %#x, not the initial one", cm.current_mode);
	check(&g, !sim_puts(sim_a, "forward", "x"), "clear the forward data");
	check(&g, !pc_write(fd, t, msg, sizeof(msg) - 1, 2000 * MS, &written) &&
	      written == sizeof(msg) - 1, "WRITE: %u bytes", written);
	n = sim_get(sim_a, "forward", got, sizeof(got));
	check(&g, n == sizeof(msg) - 1 && !memcmp(got, msg, n),
	      "the peripheral got %zd bytes", n);
	check(&g, !pc_free(fd, t), "FREE");
	check(&g, !pc_disconnect(fd, t), "DISCONNECT");

	/* Port B's chain answers again: numbered, selected, asked its ID. */
	check(&g, !pc_connect(fd, port_b, &t), "CONNECT to port B");
	check(&g, !pc_allocate(fd, t, 0, 2000 * MS), "ALLOCATE port B");
	reset_lines(&g, fd, t, sim_b);
	di.token = t;
	check(&g, !ioctl(fd, PARCLASS_IOC_DAISY_INIT, &di) &&
	      di.count == CHAIN_B_LEN, "DAISY_INIT: %u chain devices",
	      di.count);
	sel.token = t;
	sel.flags = PARCLASS_SELECT_KEEP_PORT;
	sel.device = 1;
	check(&g, !ioctl(fd, PARCLASS_IOC_SELECT_DEVICE, &sel),
	      "SELECT_DEVICE 1: %s", strerror(errno));
	memset(got, 0, sizeof(got));
	check(&g, !pc_device_id(fd, t, 0, 0, got, sizeof(got), &id_size) &&
	      !strcmp(got, chain1), "chain device 1's ID: %s", got);
	check(&g, !pc_free(fd, t), "FREE port B");
	check(&g, !pc_disconnect(fd, t), "DISCONNECT from port B");
out:
	if (fd >= 0)
		close(fd);
	group_end(&g, "after: a fresh session still prints, and the chain answers");
}

static void after_list(const int *base)
{
	struct group g = { "list" };
	struct parclass_port_entry e;
	int fd = pc_open(), i, d;

	if (!check(&g, fd >= 0, "open"))
		goto out;
	for (i = 0; i < 2; i++) {
		int port = i ? port_b : port_a;

		for (d = -1; d < (i ? CHAIN_B_LEN : 0); d++) {
			if (!check(&g, !pc_port_entry(fd, port, d, &e),
				   "no entry for port %d device %d", port, d))
				continue;
			check(&g, e.holder == PARCLASS_HOLDER_NONE &&
			      !e.holder_pid && !e.holder_name[0],
			      "port %d device %d: holder %u (%s, pid %u)",
			      port, d, e.holder, e.holder_name, e.holder_pid);
			check(&g, !e.sessions && !e.waiters &&
			      !e.other_waiters,
			      "port %d device %d: %u sessions, %u waiters, %u other waiters",
			      port, d, e.sessions, e.waiters,
			      e.other_waiters);
		}
	}
	for (i = 0; i < NWORKERS; i++) {
		if (!check(&g, !pc_port_entry(fd, port_w[i], -1, &e),
			   "no entry for port %d", port_w[i]))
			continue;
		check(&g, e.holder == PARCLASS_HOLDER_NONE && !e.sessions &&
		      !e.waiters && !e.other_waiters,
		      "port %d: holder %u (%s), %u sessions, %u waiters, %u other waiters",
		      port_w[i], e.holder, e.holder_name, e.sessions,
		      e.waiters, e.other_waiters);
	}
	/* The emulated LPTs: as before the fuzz. */
	for (i = 0; i < 2; i++)
		if (base[i] >= 0)
			check(&g, port_sessions(i) == base[i],
			      "parport%d: %d sessions, %d before", i,
			      port_sessions(i), base[i]);
out:
	if (fd >= 0)
		close(fd);
	group_end(&g, "after: no session, holder or waiter left on the simulated ports");
}

static void after_delete(void)
{
	struct group g = { "delete" };
	unsigned int i;

	check(&g, !sim_puts(sim_a, "plugged", "0"), "unplug %s", sim_a);
	check(&g, !sim_puts("", "delete", sim_a), "delete %s", sim_a);
	check(&g, !sim_puts(sim_b, "plugged", "0"), "unplug %s", sim_b);
	check(&g, !sim_puts("", "delete", sim_b), "delete %s", sim_b);
	for (i = 0; i < NWORKERS; i++) {
		char name[32];

		snprintf(name, sizeof(name), "%.31s", sim_w[i]);
		check(&g, !sim_puts(name, "plugged", "0"), "unplug %s", name);
		check(&g, !sim_puts("", "delete", name), "delete %s", name);
		check(&g, !sim_exists(name), "%s is still there", name);
	}
	check(&g, !sim_exists(sim_a) && !sim_exists(sim_b) &&
	      !sim_exists(sim_c), "a simulated port is still there");
	group_end(&g, "after: the simulated ports are deleted");
}

/* The last resort: a hung probe. Leave the guest as it was. */
static void on_alarm(int sig)
{
	static const char msg[] = "Bail out! fuzz_test: timed out\n";
	unsigned int i;

	(void)sig;
	if (write(STDOUT_FILENO, msg, sizeof(msg) - 1) < 0)
		_exit(2);
	params_restore();
	sim_destroy(sim_a);
	sim_destroy(sim_b);
	sim_destroy(sim_c);
	for (i = 0; i < NWORKERS; i++)
		if (sim_w[i][0])
			sim_destroy(sim_w[i]);
	_exit(1);
}

#define NTESTS	27

static void bad_args(const char *prog)
{
	fprintf(stderr,
		"usage: %s [-n CALLS] [-t SECONDS]\n"
		"  -n CALLS    the random part must send at least CALLS ioctls\n"
		"  -t SECONDS  and stops after SECONDS in any case\n"
		"(defaults by lane, /etc/parclass/lane; FUZZ_SEED=N repeats a seed)\n",
		prog);
	exit(2);
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	struct budget b;
	const char *env = getenv("FUZZ_SEED");
	char *end;
	__u64 seed;
	int base[2], opt;

	setvbuf(stdout, NULL, _IOLBF, 0);
	lane_budget(&b);
	while ((opt = getopt(argc, argv, "n:t:")) != -1) {
		switch (opt) {
		case 'n':
			b.min_calls = strtoul(optarg, &end, 0);
			if (*end || !b.min_calls)
				bad_args(argv[0]);
			break;
		case 't':
			b.seconds = strtoul(optarg, &end, 0);
			if (*end || !b.seconds || b.seconds > 600)
				bad_args(argv[0]);
			break;
		default:
			bad_args(argv[0]);
		}
	}
	if (optind != argc)
		bad_args(argv[0]);
	printf("TAP version 13\n1..%d\n", NTESTS);
	allowed_init();
	if (env && *env)
		seed = strtoull(env, NULL, 0);
	else if (getrandom(&seed, sizeof(seed), GRND_NONBLOCK) != sizeof(seed))
		seed = now_ns() ^ ((__u64)getpid() << 32);
	diag("lane %s: at least %lu ioctls within %u s", b.lane, b.min_calls,
	     b.seconds);
	diag("seed %llu (FUZZ_SEED=%llu repeats the calls)",
	     (unsigned long long)seed, (unsigned long long)seed);
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);

	snprintf(sim_a, sizeof(sim_a), "fuzzA%d", (int)getpid());
	snprintf(sim_b, sizeof(sim_b), "fuzzB%d", (int)getpid());
	pc_file_get(PC_PARAM_ALLOW_IRQ, old_allow, sizeof(old_allow));
	pc_file_get(HOLDOFF_PARAM, old_holdoff, sizeof(old_holdoff));
	base[0] = port_sessions(0);
	base[1] = port_sessions(1);
	port_a = sim_make(sim_a, ID_A, NULL, NULL);
	port_b = sim_make(sim_b, ID_B, CHAIN_B, "9");
	setup_ok = port_a >= 2 && port_b >= 2 && !arena_init(&arena) &&
		   !tick_init(false) &&
		   !pc_file_put(HOLDOFF_PARAM, "0") &&
		   !pc_file_put(PC_PARAM_ALLOW_IRQ, "0");
	tap(setup_ok, "setup: simulated ports %s (parport%d) and %s (parport%d, a chain of %d)",
	    sim_a, port_a, sim_b, port_b, CHAIN_B_LEN);
	if (!setup_ok) {
		printf("Bail out! fuzz_test: no simulated ports\n");
		params_restore();
		sim_destroy(sim_a);
		sim_destroy(sim_b);
		return 1;
	}

	/* Each probe is bounded; this ends a hang the bounds missed. */
	alarm(120);
	probe_table();
	probe_unknown();
	probe_short();
	probe_tails();
	probe_huge();
	probe_pointers();
	probe_readonly();
	probe_fields();
	probe_out_fields();
	probe_tokens();
	probe_inner();
	probe_state();
	probe_timeouts();
	probe_signals();
	probe_close();
	probe_fork();
	probe_removed();
	alarm(0);

	pc_file_put(PC_PARAM_ALLOW_IRQ, "1");
	run_fuzz(&b, seed);
	params_restore();

	alarm(60);
	after_works();
	after_list(base);
	after_delete();
	alarm(0);
	diag("seed %llu", (unsigned long long)seed);
	return tap_failed ? 1 : 0;
}
