// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libparclass: thin wrappers over the /dev/parclass ioctls. Each fills
 * the command's struct (size first, everything else zeroed), makes one
 * ioctl, and turns errno into a negative return value.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <parclass/libparclass.h>

static int pc_ioctl(int fd, unsigned long request, void *arg)
{
	return ioctl(fd, request, arg) ? -errno : 0;
}

int parclass_open(void)
{
	const char *path = getenv("PARCLASS_DEVICE");
	int fd;

	fd = open(path && *path ? path : PARCLASS_DEVICE_PATH,
		  O_RDWR | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

int parclass_get_version(int fd, uint32_t *abi_version, uint64_t *features)
{
	struct parclass_version v = { .size = sizeof(v) };
	int ret = pc_ioctl(fd, PARCLASS_IOC_GET_VERSION, &v);

	if (ret)
		return ret;
	if (abi_version)
		*abi_version = v.abi_version;
	if (features)
		*features = v.features;
	return 0;
}

int parclass_connect(int fd, uint32_t port, uint64_t *token,
		     struct parclass_port_info *info)
{
	struct parclass_connect c = { .size = sizeof(c), .port = port };
	int ret = pc_ioctl(fd, PARCLASS_IOC_CONNECT, &c);

	if (ret)
		return ret;
	*token = c.token;
	if (info)
		*info = c.info;
	return 0;
}

int parclass_disconnect(int fd, uint64_t token)
{
	struct parclass_disconnect d = { .size = sizeof(d), .token = token };

	return pc_ioctl(fd, PARCLASS_IOC_DISCONNECT, &d);
}

static int pc_allocate(int fd, uint64_t token, uint32_t flags,
		       uint64_t timeout_ns)
{
	struct parclass_allocate a = {
		.size = sizeof(a),
		.flags = flags,
		.token = token,
		.timeout_ns = timeout_ns,
	};

	return pc_ioctl(fd, PARCLASS_IOC_ALLOCATE, &a);
}

int parclass_allocate(int fd, uint64_t token, uint64_t timeout_ns)
{
	return pc_allocate(fd, token, 0, timeout_ns);
}

int parclass_try_allocate(int fd, uint64_t token)
{
	return pc_allocate(fd, token, PARCLASS_ALLOCATE_TRY, 0);
}

int parclass_free(int fd, uint64_t token)
{
	struct parclass_free f = { .size = sizeof(f), .token = token };

	return pc_ioctl(fd, PARCLASS_IOC_FREE, &f);
}

int parclass_is_port_free(int fd, uint64_t token)
{
	struct parclass_port_free p = { .size = sizeof(p), .token = token };
	int ret = pc_ioctl(fd, PARCLASS_IOC_IS_PORT_FREE, &p);

	return ret ? ret : !!p.is_free;
}

int parclass_query_num_waiters(int fd, uint64_t token, uint32_t *waiters,
			       uint32_t *other_waiters)
{
	struct parclass_num_waiters n = { .size = sizeof(n), .token = token };
	int ret = pc_ioctl(fd, PARCLASS_IOC_QUERY_NUM_WAITERS, &n);

	if (ret)
		return ret;
	if (waiters)
		*waiters = n.waiters;
	if (other_waiters)
		*other_waiters = n.other_waiters;
	return 0;
}

int parclass_list_ports(int fd, struct parclass_port_entry **entries,
			uint32_t *count)
{
	return parclass_list_ports_flags(fd, 0, entries, count);
}

int parclass_list_ports_flags(int fd, uint32_t flags,
			      struct parclass_port_entry **entries,
			      uint32_t *count)
{
	struct parclass_list_ports l = {
		.size = sizeof(l),
		.flags = flags,
		.entry_size = sizeof(**entries),
	};
	struct parclass_port_entry *e = NULL;
	int ret, tries;

	/* Ports can come and go between the two calls: try a few times. */
	for (tries = 0; tries < 8; tries++) {
		uint32_t room = l.count;

		ret = pc_ioctl(fd, PARCLASS_IOC_LIST_PORTS, &l);
		if (ret)
			break;
		if (l.count <= room) {
			*entries = e;
			*count = l.count;
			return 0;
		}
		free(e);
		e = calloc(l.count, sizeof(*e));
		if (!e)
			return -ENOMEM;
		l.entries = (uintptr_t)e;
	}
	free(e);
	return ret ? ret : -EAGAIN;
}

int parclass_write(int fd, uint64_t token, const void *buf, uint32_t len,
		   uint64_t timeout_ns, uint32_t *written)
{
	return parclass_write_flags(fd, token, 0, buf, len, timeout_ns,
				    written);
}

int parclass_query_information(int fd, uint64_t token, uint8_t *status,
			       uint8_t *raw_status)
{
	struct parclass_query_information q = {
		.size = sizeof(q),
		.token = token,
	};
	int ret = pc_ioctl(fd, PARCLASS_IOC_QUERY_INFORMATION, &q);

	if (ret)
		return ret;
	if (status)
		*status = q.status;
	if (raw_status)
		*raw_status = q.raw_status;
	return 0;
}

int parclass_init_peripheral(int fd, uint64_t token)
{
	struct parclass_set_information s = {
		.size = sizeof(s),
		.token = token,
		.init = PARCLASS_PARALLEL_INIT,
	};

	return pc_ioctl(fd, PARCLASS_IOC_SET_INFORMATION, &s);
}

int parclass_device_id(int fd, uint64_t token, uint32_t flags,
		       uint32_t daisy, void *buf, uint32_t len,
		       uint32_t *id_size)
{
	struct parclass_device_id d = {
		.size = sizeof(d),
		.flags = flags,
		.token = token,
		.buffer = (uintptr_t)buf,
		.length = len,
		.daisy = daisy,
	};
	int ret = pc_ioctl(fd, PARCLASS_IOC_DEVICE_ID, &d);

	if ((!ret || ret == -ERANGE) && id_size)
		*id_size = d.id_size;
	return ret;
}

int parclass_register(int fd, uint64_t token, uint32_t op, uint8_t mask,
		      uint8_t value, uint8_t *out)
{
	struct parclass_register r = {
		.size = sizeof(r),
		.token = token,
		.op = op,
		.mask = mask,
		.value = value,
	};
	int ret = pc_ioctl(fd, PARCLASS_IOC_REGISTER, &r);

	if (!ret && out)
		*out = r.value;
	return ret;
}

int parclass_pin_program(int fd, uint64_t token,
			 const struct parclass_pin_op *ops, uint32_t count,
			 void *results, uint32_t results_len,
			 uint32_t *done, uint32_t *results_used)
{
	struct parclass_pin_program p = {
		.size = sizeof(p),
		.token = token,
		.ops = (uintptr_t)ops,
		.count = count,
		.results = (uintptr_t)results,
		.results_len = results_len,
	};
	int ret = pc_ioctl(fd, PARCLASS_IOC_PIN_PROGRAM, &p);

	if (done)
		*done = p.done;
	if (results_used)
		*results_used = p.results_used;
	return ret;
}

int parclass_negotiate(int fd, uint64_t token, uint32_t flags,
		       uint32_t read_mask, uint32_t write_mask,
		       uint32_t *read_mode, uint32_t *write_mode)
{
	struct parclass_negotiate n = {
		.size = sizeof(n),
		.flags = flags,
		.token = token,
		.read_mask = read_mask,
		.write_mask = write_mask,
	};
	int ret = pc_ioctl(fd, PARCLASS_IOC_NEGOTIATE, &n);

	if (ret)
		return ret;
	if (read_mode)
		*read_mode = n.read_mode;
	if (write_mode)
		*write_mode = n.write_mode;
	return 0;
}

int parclass_terminate(int fd, uint64_t token)
{
	struct parclass_mode m = { .size = sizeof(m), .token = token };

	return pc_ioctl(fd, PARCLASS_IOC_TERMINATE, &m);
}

int parclass_get_mode(int fd, uint64_t token, uint32_t *read_mode,
		      uint32_t *write_mode)
{
	struct parclass_mode m = { .size = sizeof(m), .token = token };
	int ret = pc_ioctl(fd, PARCLASS_IOC_GET_MODE, &m);

	if (ret)
		return ret;
	if (read_mode)
		*read_mode = m.read_mode;
	if (write_mode)
		*write_mode = m.write_mode;
	return 0;
}

int parclass_read(int fd, uint64_t token, void *buf, uint32_t len,
		  uint64_t timeout_ns, uint32_t *done)
{
	struct parclass_read r = {
		.size = sizeof(r),
		.token = token,
		.buffer = (uintptr_t)buf,
		.length = len,
		.timeout_ns = timeout_ns,
	};
	int ret = pc_ioctl(fd, PARCLASS_IOC_READ, &r);

	if (done)
		*done = r.done;
	return ret;
}

int parclass_write_flags(int fd, uint64_t token, uint32_t flags,
			 const void *buf, uint32_t len, uint64_t timeout_ns,
			 uint32_t *written)
{
	struct parclass_write w = {
		.size = sizeof(w),
		.flags = flags,
		.token = token,
		.buffer = (uintptr_t)buf,
		.length = len,
		.timeout_ns = timeout_ns,
	};
	int ret = pc_ioctl(fd, PARCLASS_IOC_WRITE, &w);

	if (written)
		*written = w.written;
	return ret;
}

int parclass_set_address(int fd, uint64_t token, uint32_t direction,
			 uint32_t address)
{
	struct parclass_address a = {
		.size = sizeof(a),
		.flags = PARCLASS_ADDRESS_SET,
		.token = token,
		.direction = direction,
		.address = address,
	};

	return pc_ioctl(fd, PARCLASS_IOC_ADDRESS, &a);
}

int parclass_get_address(int fd, uint64_t token, uint32_t direction,
			 uint32_t *address)
{
	struct parclass_address a = {
		.size = sizeof(a),
		.token = token,
		.direction = direction,
	};
	int ret = pc_ioctl(fd, PARCLASS_IOC_ADDRESS, &a);

	if (!ret)
		*address = a.address;
	return ret;
}

int parclass_host_recovery(int fd, uint64_t token, int set,
			   uint32_t *enabled)
{
	struct parclass_host_recovery h = {
		.size = sizeof(h),
		.flags = set ? PARCLASS_HOST_RECOVERY_SET : 0,
		.token = token,
		.enabled = set ? *enabled : 0,
	};
	int ret = pc_ioctl(fd, PARCLASS_IOC_HOST_RECOVERY, &h);

	if (!ret && !set)
		*enabled = h.enabled;
	return ret;
}

int parclass_ping(int fd, uint64_t token)
{
	struct parclass_ping p = { .size = sizeof(p), .token = token };

	return pc_ioctl(fd, PARCLASS_IOC_PING, &p);
}

int parclass_probe(int fd, uint64_t token, uint32_t exclude,
		   uint32_t *modes)
{
	struct parclass_probe p = {
		.size = sizeof(p),
		.token = token,
		.exclude = exclude,
	};
	int ret = pc_ioctl(fd, PARCLASS_IOC_PROBE, &p);

	if (!ret)
		*modes = p.modes;
	return ret;
}

int parclass_connect_daisy(int fd, uint32_t port, uint32_t daisy,
			   uint64_t *token, struct parclass_port_info *info)
{
	struct parclass_connect c = {
		.size = sizeof(c),
		.flags = PARCLASS_CONNECT_DAISY,
		.port = port,
		.daisy = daisy,
	};
	int ret = pc_ioctl(fd, PARCLASS_IOC_CONNECT, &c);

	if (ret)
		return ret;
	*token = c.token;
	if (info)
		*info = c.info;
	return 0;
}

int parclass_allocate_async(int fd, uint64_t token)
{
	return pc_allocate(fd, token, PARCLASS_ALLOCATE_ASYNC, 0);
}

int parclass_cancel(int fd, uint64_t token)
{
	struct parclass_cancel c = { .size = sizeof(c), .token = token };

	return pc_ioctl(fd, PARCLASS_IOC_CANCEL, &c);
}

int parclass_chip_mode(int fd, uint64_t token, uint32_t flags, uint32_t mode,
		       uint32_t *current_mode)
{
	struct parclass_chip_mode c = {
		.size = sizeof(c),
		.flags = flags,
		.token = token,
		.mode = mode,
	};
	int ret = pc_ioctl(fd, PARCLASS_IOC_CHIP_MODE, &c);

	if (!ret && current_mode)
		*current_mode = c.current_mode;
	return ret;
}

int parclass_get_chip_mode(int fd, uint64_t token, uint32_t *current_mode)
{
	return parclass_chip_mode(fd, token, 0, 0, current_mode);
}

static int pc_lock(int fd, unsigned long request, uint64_t token,
		   uint32_t flags)
{
	struct parclass_lock l = {
		.size = sizeof(l),
		.flags = flags,
		.token = token,
	};

	return pc_ioctl(fd, request, &l);
}

int parclass_lock(int fd, uint64_t token, uint32_t flags)
{
	return pc_lock(fd, PARCLASS_IOC_LOCK, token, flags);
}

int parclass_unlock(int fd, uint64_t token, uint32_t flags)
{
	return pc_lock(fd, PARCLASS_IOC_UNLOCK, token, flags);
}

int parclass_daisy_init(int fd, uint64_t token, uint32_t *count)
{
	struct parclass_daisy_init d = { .size = sizeof(d), .token = token };
	int ret = pc_ioctl(fd, PARCLASS_IOC_DAISY_INIT, &d);

	if (!ret && count)
		*count = d.count;
	return ret;
}

int parclass_select_device(int fd, uint64_t token, uint32_t flags,
			   uint32_t device, uint64_t timeout_ns)
{
	struct parclass_select s = {
		.size = sizeof(s),
		.flags = flags,
		.token = token,
		.device = device,
		.timeout_ns = timeout_ns,
	};

	return pc_ioctl(fd, PARCLASS_IOC_SELECT_DEVICE, &s);
}

int parclass_deselect_device(int fd, uint64_t token, uint32_t flags)
{
	struct parclass_select s = {
		.size = sizeof(s),
		.flags = flags,
		.token = token,
	};

	return pc_ioctl(fd, PARCLASS_IOC_DESELECT_DEVICE, &s);
}

int parclass_interrupts(int fd, uint64_t token, uint32_t flags,
			uint32_t *count)
{
	struct parclass_interrupts i = {
		.size = sizeof(i),
		.flags = flags,
		.token = token,
	};
	int ret = pc_ioctl(fd, PARCLASS_IOC_INTERRUPTS, &i);

	if (!ret && count)
		*count = i.count;
	return ret;
}

int parclass_read_events(int fd, struct parclass_event *events,
			 uint32_t max)
{
	ssize_t n;

	if (!events || !max)
		return -EINVAL;
	n = read(fd, events, (size_t)max * sizeof(*events));
	if (n < 0)
		return -errno;
	return n / sizeof(*events);
}

int parclass_event_fd(int fd)
{
	return fd;
}

int parclass_wait_events(int fd, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int n = poll(&p, 1, timeout_ms);

	if (n < 0)
		return -errno;
	if (n && (p.revents & (POLLERR | POLLNVAL)))
		return -EIO;
	return n ? 1 : 0;
}

const char *parclass_holder_name(uint32_t holder)
{
	switch (holder) {
	case PARCLASS_HOLDER_NONE:
		return "none";
	case PARCLASS_HOLDER_SESSION:
		return "session";
	case PARCLASS_HOLDER_OTHER:
		return "other";
	}
	return "unknown";
}
