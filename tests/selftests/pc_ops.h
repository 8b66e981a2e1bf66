/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pc_ops.h: the guest tests' one-line parclass requests, each returning
 * 0 (or a count) or -errno, in the uAPI's own types; and their clock.
 */
#ifndef PC_OPS_H
#define PC_OPS_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <unistd.h>

#include <linux/parclass.h>

/* CLOCK_MONOTONIC in nanoseconds. */
static inline __u64 now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static inline int pc_ret(int ret)
{
	return ret ? -errno : 0;
}

static inline int pc_open(void)
{
	return open("/dev/parclass", O_RDWR | O_CLOEXEC);
}

static inline int pc_connect(int fd, __u32 port, __u64 *token)
{
	struct parclass_connect c = { .size = sizeof(c), .port = port };
	int ret = pc_ret(ioctl(fd, PARCLASS_IOC_CONNECT, &c));

	if (!ret)
		*token = c.token;
	return ret;
}

static inline int pc_disconnect(int fd, __u64 token)
{
	struct parclass_disconnect d = { .size = sizeof(d), .token = token };

	return pc_ret(ioctl(fd, PARCLASS_IOC_DISCONNECT, &d));
}

static inline int pc_allocate(int fd, __u64 token, __u32 flags,
			      __u64 timeout_ns)
{
	struct parclass_allocate a = { .size = sizeof(a), .token = token };

	a.flags = flags;
	a.timeout_ns = timeout_ns;
	return pc_ret(ioctl(fd, PARCLASS_IOC_ALLOCATE, &a));
}

static inline int pc_try_allocate(int fd, __u64 token)
{
	return pc_allocate(fd, token, PARCLASS_ALLOCATE_TRY, 0);
}

static inline int pc_free(int fd, __u64 token)
{
	struct parclass_free f = { .size = sizeof(f), .token = token };

	return pc_ret(ioctl(fd, PARCLASS_IOC_FREE, &f));
}

/* 1 if free, 0 if not, or -errno. */
static inline int pc_is_free(int fd, __u64 token)
{
	struct parclass_port_free p = { .size = sizeof(p), .token = token };
	int ret = pc_ret(ioctl(fd, PARCLASS_IOC_IS_PORT_FREE, &p));

	return ret ?: (int)p.is_free;
}

static inline int pc_num_waiters(int fd, __u64 token, __u32 *waiters,
				 __u32 *other)
{
	struct parclass_num_waiters w = { .size = sizeof(w), .token = token };
	int ret = pc_ret(ioctl(fd, PARCLASS_IOC_QUERY_NUM_WAITERS, &w));

	if (!ret) {
		*waiters = w.waiters;
		*other = w.other_waiters;
	}
	return ret;
}

/*
 * The LIST_PORTS entry of parport @number (with @daisy >= 0, of its chain
 * device @daisy) into *@out: 0, -ENOENT when it is not listed, or -errno.
 */
static inline int pc_port_entry(int fd, int number, int daisy,
				struct parclass_port_entry *out)
{
	struct parclass_port_entry e[32];
	struct parclass_list_ports l = {
		.size = sizeof(l),
		.flags = daisy >= 0 ? PARCLASS_LIST_PORTS_DAISY : 0,
		.count = 32,
		.entry_size = sizeof(e[0]),
		.entries = (__u64)(unsigned long)e,
	};
	__u32 i;
	int dev;

	if (ioctl(fd, PARCLASS_IOC_LIST_PORTS, &l))
		return -errno;
	for (i = 0; i < l.count && i < 32; i++) {
		dev = !!(e[i].info.flags & PARCLASS_PORT_DAISY_DEVICE);
		if ((int)e[i].info.number != number)
			continue;
		if (daisy < 0 ? dev : (!dev || (int)e[i].info.daisy != daisy))
			continue;
		*out = e[i];
		return 0;
	}
	return -ENOENT;
}

/* The name of the device holding parport @num (LIST_PORTS) into @name. */
static inline int pc_holder_name(int fd, int num, char name[32])
{
	struct parclass_port_entry e;
	int ret = pc_port_entry(fd, num, -1, &e);

	if (!ret)
		snprintf(name, 32, "%.*s", (int)sizeof(e.holder_name) - 1,
			 e.holder_name);
	return ret;
}

static inline int pc_write(int fd, __u64 token, const void *buf, __u32 len,
			   __u64 timeout_ns, __u32 *written)
{
	struct parclass_write w = { .size = sizeof(w), .token = token };
	int ret;

	w.buffer = (__u64)(unsigned long)buf;
	w.length = len;
	w.timeout_ns = timeout_ns;
	ret = pc_ret(ioctl(fd, PARCLASS_IOC_WRITE, &w));
	*written = w.written;
	return ret;
}

/* DEVICE_ID into @buf (@len bytes); *@id_size as the kernel set it. */
static inline int pc_device_id(int fd, __u64 token, __u32 flags, __u32 daisy,
			       void *buf, __u32 len, __u32 *id_size)
{
	struct parclass_device_id d = { .size = sizeof(d), .token = token };
	int ret;

	d.flags = flags;
	d.daisy = daisy;
	d.buffer = (__u64)(unsigned long)buf;
	d.length = len;
	d.id_size = 0xdeadbeef;
	ret = pc_ret(ioctl(fd, PARCLASS_IOC_DEVICE_ID, &d));
	if (id_size)
		*id_size = d.id_size;
	return ret;
}

/* REGISTER: one access; a read's byte lands in *@value. */
static inline int pc_register(int fd, __u64 token, __u32 op, __u32 mask,
			      __u32 *value)
{
	struct parclass_register r = { .size = sizeof(r), .token = token };
	int ret;

	r.op = op;
	r.mask = mask;
	r.value = *value;
	ret = pc_ret(ioctl(fd, PARCLASS_IOC_REGISTER, &r));
	if (!ret)
		*value = r.value;
	return ret;
}

/* PIN_PROGRAM; *@done and *@used as the kernel set them. */
static inline int pc_program(int fd, __u64 token,
			     const struct parclass_pin_op *ops, __u32 count,
			     void *results, __u32 results_len, __u32 *done,
			     __u32 *used)
{
	struct parclass_pin_program p = { .size = sizeof(p), .token = token };
	int ret;

	p.ops = (__u64)(unsigned long)ops;
	p.count = count;
	p.results = (__u64)(unsigned long)results;
	p.results_len = results_len;
	p.done = 0xdeadbeef;
	p.results_used = 0xdeadbeef;
	ret = pc_ret(ioctl(fd, PARCLASS_IOC_PIN_PROGRAM, &p));
	*done = p.done;
	*used = p.results_used;
	return ret;
}

/* NEGOTIATE; *@read_mode and *@write_mode as the kernel set them. */
static inline int pc_negotiate(int fd, __u64 token, __u32 flags,
			       __u32 read_mask, __u32 write_mask,
			       __u32 *read_mode, __u32 *write_mode)
{
	struct parclass_negotiate n = { .size = sizeof(n), .token = token };
	int ret;

	n.flags = flags;
	n.read_mask = read_mask;
	n.write_mask = write_mask;
	n.read_mode = 0xdeadbeef;
	n.write_mode = 0xdeadbeef;
	ret = pc_ret(ioctl(fd, PARCLASS_IOC_NEGOTIATE, &n));
	if (read_mode)
		*read_mode = n.read_mode;
	if (write_mode)
		*write_mode = n.write_mode;
	return ret;
}

static inline int pc_terminate(int fd, __u64 token)
{
	struct parclass_mode m = { .size = sizeof(m), .token = token };

	return pc_ret(ioctl(fd, PARCLASS_IOC_TERMINATE, &m));
}

static inline int pc_get_mode(int fd, __u64 token, __u32 *read_mode,
			      __u32 *write_mode)
{
	struct parclass_mode m = { .size = sizeof(m), .token = token };
	int ret = pc_ret(ioctl(fd, PARCLASS_IOC_GET_MODE, &m));

	*read_mode = m.read_mode;
	*write_mode = m.write_mode;
	return ret;
}

/* READ into @buf; *@done as the kernel set it. */
static inline int pc_read(int fd, __u64 token, void *buf, __u32 len,
			  __u64 timeout_ns, __u32 *done)
{
	struct parclass_read r = { .size = sizeof(r), .token = token };
	int ret;

	r.buffer = (__u64)(unsigned long)buf;
	r.length = len;
	r.timeout_ns = timeout_ns;
	r.done = 0xdeadbeef;
	ret = pc_ret(ioctl(fd, PARCLASS_IOC_READ, &r));
	*done = r.done;
	return ret;
}

/* ADDRESS: set (@set) or report *@address for @direction. */
static inline int pc_address(int fd, __u64 token, int set, __u32 direction,
			     __u32 *address)
{
	struct parclass_address a = { .size = sizeof(a), .token = token };
	int ret;

	a.flags = set ? PARCLASS_ADDRESS_SET : 0;
	a.direction = direction;
	a.address = set ? *address : 0xdeadbeef;
	ret = pc_ret(ioctl(fd, PARCLASS_IOC_ADDRESS, &a));
	if (!ret && !set)
		*address = a.address;
	return ret;
}

static inline int pc_ping(int fd, __u64 token)
{
	struct parclass_ping p = { .size = sizeof(p), .token = token };

	return pc_ret(ioctl(fd, PARCLASS_IOC_PING, &p));
}

static inline int pc_probe(int fd, __u64 token, __u32 exclude, __u32 *modes)
{
	struct parclass_probe p = { .size = sizeof(p), .token = token };
	int ret;

	p.exclude = exclude;
	p.modes = 0xdeadbeef;
	ret = pc_ret(ioctl(fd, PARCLASS_IOC_PROBE, &p));
	*modes = p.modes;
	return ret;
}

/* Pin operations, as a program lists them. */
static inline struct parclass_pin_op pc_op(__u8 op, __u8 mask, __u8 value,
					   __u32 arg)
{
	struct parclass_pin_op o = { .op = op, .mask = mask, .value = value };

	o.arg = arg;
	return o;
}

/* INTERRUPTS; *@count as the kernel left it (0xdeadbeef before). */
static inline int pc_interrupts(int fd, __u64 token, __u32 flags,
				__u32 *count)
{
	struct parclass_interrupts i = { .size = sizeof(i), .token = token };
	int ret;

	i.flags = flags;
	i.count = 0xdeadbeef;
	ret = pc_ret(ioctl(fd, PARCLASS_IOC_INTERRUPTS, &i));
	if (count)
		*count = i.count;
	return ret;
}

/* The module's parameters. */
#define PC_PARAM_DIR		"/sys/module/parclass/parameters/"
#define PC_PARAM_ALLOW_IRQ	PC_PARAM_DIR "allow_interrupts"

/* A text file (sysfs, procfs) into @buf, without its newline; 0 or -errno. */
static inline int pc_file_get(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -EIO;
	buf[n] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* Write @val to a text file; 0 or the write's -errno. */
static inline int pc_file_put(const char *path, const char *val)
{
	ssize_t n;
	int fd = open(path, O_WRONLY | O_CLOEXEC), err = 0;

	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		err = -errno;
	else if ((size_t)n != strlen(val))
		err = -EIO;
	close(fd);
	return err;
}

/* Set allow_interrupts to @on; its old value ('Y' or 'N'), or 0. */
static inline char pc_allow_interrupts(int on)
{
	char old[4];

	if (pc_file_get(PC_PARAM_ALLOW_IRQ, old, sizeof(old)) ||
	    pc_file_put(PC_PARAM_ALLOW_IRQ, on ? "1" : "0"))
		return 0;
	return old[0];
}

/* parclass's debugfs file: a line per session (parclass/debugfs.c). */
#define PC_SESSIONS_FILE	"/sys/kernel/debug/parclass/sessions"

/* One line of PC_SESSIONS_FILE. */
struct pc_sess_line {
	int port;
	unsigned int slot;
	char state[16];
	int pid;
	char waiting[24];	/* ms, or "-" */
	char held[24];		/* ms, or "-" */
	long long bytes;
	char comm[32];
};

/* A time field: "-" exactly when @dash, else a decimal number. */
static inline int pc_sess_time_ok(const char *field, int dash)
{
	if (dash)
		return !strcmp(field, "-");
	return field[0] && strspn(field, "0123456789") == strlen(field);
}

/*
 * Parse the text of PC_SESSIONS_FILE in @buf (split at its newlines) into
 * @ls, at most @max lines: how many, or -1 when a line breaks the file's
 * format. A line gives the state idle, waiting, held or cancelled, a
 * waiting time only while waiting and a held time only while held, a
 * slot other than 0 and a count of bytes of 0 or more.
 */
static inline int pc_sessions_parse(char *buf, struct pc_sess_line *ls,
				    int max)
{
	static const char * const states[] = {
		"idle", "waiting", "held", "cancelled", NULL,
	};
	char *line, *save = NULL;
	struct pc_sess_line *l;
	int n = 0, used, known;
	size_t i;

	for (line = strtok_r(buf, "\n", &save); line && n < max;
	     line = strtok_r(NULL, "\n", &save)) {
		if (line[0] == '#')
			continue;
		l = &ls[n];
		memset(l, 0, sizeof(*l));
		used = 0;
		if (sscanf(line, "%d %u %15s %d %23s %23s %lld %n", &l->port,
			   &l->slot, l->state, &l->pid, l->waiting, l->held,
			   &l->bytes, &used) < 7 || !used)
			return -1;
		for (i = 0, known = 0; states[i]; i++)
			known |= !strcmp(l->state, states[i]);
		if (!known || !l->slot || l->bytes < 0 || l->port < 0 ||
		    !pc_sess_time_ok(l->waiting, strcmp(l->state, "waiting")) ||
		    !pc_sess_time_ok(l->held, strcmp(l->state, "held")))
			return -1;
		snprintf(l->comm, sizeof(l->comm), "%s", line + used);
		n++;
	}
	return n;
}

#endif /* PC_OPS_H */
