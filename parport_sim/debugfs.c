// SPDX-License-Identifier: GPL-2.0
/*
 * parport_sim: the control files, in debugfs.
 *
 *   parport_sim/new          write a name: create a simulated port, unplugged
 *   parport_sim/delete       write a name: unplug it and delete it
 *   parport_sim/NAME/plugged     1 or 0: register and announce / remove
 *   parport_sim/NAME/port        parportN while plugged, else "none"
 *   parport_sim/NAME/device      the port's parent device (parport_sim.ID)
 *   parport_sim/NAME/device_id   the device ID string (no length bytes)
 *   parport_sim/NAME/modes       nibble byte ecp epp, or none
 *   parport_sim/NAME/faults      paperout offline error busy off nocable,
 *                                or none
 *   parport_sim/NAME/daisy       one daisy-chain device ID per line, 0 to 4
 *   parport_sim/NAME/irq         the port's interrupt number, -1 for none
 *   parport_sim/NAME/interrupt   write anything: the peripheral pulses nAck
 *   parport_sim/NAME/reverse     write: queue bytes for the host; read: the
 *                                bytes still queued
 *   parport_sim/NAME/forward     read: the bytes received; write: forget them
 *                                (and their writers)
 *   parport_sim/NAME/writers     read: who latched the forward bytes, a
 *                                line "PID COUNT" per run of one writer's
 *                                bytes, oldest first, then "overflow N" if
 *                                the writers of N bytes were not recorded;
 *                                write (or open with O_TRUNC): forget them
 *   parport_sim/NAME/state       phase, lines and counters, for people
 *
 * README.md ("The simulated port") describes them with an example.
 */
#include <linux/ctype.h>
#include <linux/debugfs.h>
#include <linux/device.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/parport.h>
#include <linux/platform_device.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include "sim.h"

/* The most a text control file accepts in one write. */
#define SIM_WRITE_MAX	(PARPORT_SIM_DAISY_MAX * (PARPORT_SIM_DAISY_ID_MAX + 1) + 1)

static struct dentry *sim_root;
static struct dentry *sim_new;
static struct dentry *sim_delete;

struct sim_flag {
	const char *name;
	unsigned int bit;
};

static const struct sim_flag sim_mode_names[] = {
	{ "nibble", PARPORT_SIM_MODE_NIBBLE },
	{ "byte", PARPORT_SIM_MODE_BYTE },
	{ "ecp", PARPORT_SIM_MODE_ECP },
	{ "epp", PARPORT_SIM_MODE_EPP },
	{ "compat", 0 },
	{ "none", 0 },
	{ }
};

static const struct sim_flag sim_fault_names[] = {
	{ "paperout", PARPORT_SIM_FAULT_PAPEROUT },
	{ "offline", PARPORT_SIM_FAULT_OFFLINE },
	{ "error", PARPORT_SIM_FAULT_ERROR },
	{ "busy", PARPORT_SIM_FAULT_BUSY },
	{ "off", PARPORT_SIM_FAULT_OFF },
	{ "nocable", PARPORT_SIM_FAULT_NOCABLE },
	{ "none", 0 },
	{ }
};

/* Words separated by blanks or commas, each one of @names; OR their bits. */
static int sim_parse_flags(char *buf, const struct sim_flag *names,
			   unsigned int *bits)
{
	const struct sim_flag *f;
	char *word;

	*bits = 0;
	while ((word = strsep(&buf, " \t\n,"))) {
		if (!*word)
			continue;
		for (f = names; f->name; f++)
			if (!strcmp(word, f->name))
				break;
		if (!f->name)
			return -EINVAL;
		*bits |= f->bit;
	}
	return 0;
}

static int sim_format_flags(char *buf, size_t size,
			    const struct sim_flag *names, unsigned int bits)
{
	const struct sim_flag *f;
	int len = 0;

	for (f = names; f->name; f++)
		if (f->bit & bits)
			len += scnprintf(buf + len, size - len, "%s%s",
					 len ? " " : "", f->name);
	if (!len)
		len = scnprintf(buf, size, "none");
	return len;
}

/* Copy a text write in, NUL-terminated, without one trailing newline. */
static char *sim_user_text(const char __user *ubuf, size_t count,
			   size_t max, size_t *len)
{
	char *buf;

	if (count > max)
		return ERR_PTR(-EINVAL);
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return buf;
	if (count && buf[count - 1] == '\n')
		buf[--count] = '\0';
	*len = count;
	return buf;
}

static struct parport_sim *sim_of(struct file *file)
{
	return file->private_data;
}

/* plugged */

static ssize_t sim_plugged_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct parport_sim *sim = sim_of(file);
	char buf[4];
	int len;

	len = scnprintf(buf, sizeof(buf), "%d\n", !!parport_sim_port(sim));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t sim_plugged_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct parport_sim *sim = sim_of(file);
	bool on;
	int ret;

	ret = kstrtobool_from_user(ubuf, count, &on);
	if (ret)
		return ret;
	if (on) {
		ret = parport_sim_plug(sim);
		if (ret == -EBUSY)
			ret = 0;
	} else {
		parport_sim_unplug(sim);
	}
	return ret ?: count;
}

static const struct file_operations sim_plugged_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_plugged_read,
	.write = sim_plugged_write,
	.llseek = default_llseek,
};

/* port */

static ssize_t sim_portname_read(struct file *file, char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct parport_sim_info info;
	char buf[32];
	int len;

	parport_sim_get_info(sim_of(file), &info);
	if (info.plugged)
		len = scnprintf(buf, sizeof(buf), "parport%d\n", info.number);
	else
		len = scnprintf(buf, sizeof(buf), "none\n");
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations sim_port_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_portname_read,
	.llseek = default_llseek,
};

/* device: the platform device, the parent of lpN and ppdev's parportN. */

static ssize_t sim_device_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct parport_sim *sim = sim_of(file);
	char buf[PARPORT_SIM_NAME_MAX + 16];
	int len;

	len = scnprintf(buf, sizeof(buf), "%s\n", dev_name(&sim->pdev->dev));
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations sim_device_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_device_read,
	.llseek = default_llseek,
};

/* device_id */

static ssize_t sim_device_id_read(struct file *file, char __user *ubuf,
				  size_t count, loff_t *ppos)
{
	char *buf;
	size_t len;
	ssize_t ret;

	buf = kvmalloc(PARPORT_SIM_ID_MAX + 1, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	len = sim_copy_id(sim_of(file), -1, buf, PARPORT_SIM_ID_MAX);
	if (len)
		buf[len++] = '\n';
	ret = simple_read_from_buffer(ubuf, count, ppos, buf, len);
	kvfree(buf);
	return ret;
}

static ssize_t sim_device_id_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	size_t len;
	char *buf;
	int ret;

	buf = sim_user_text(ubuf, count, PARPORT_SIM_ID_MAX + 1, &len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = parport_sim_set_device_id(sim_of(file), buf, len);
	kfree(buf);
	return ret ?: count;
}

static const struct file_operations sim_device_id_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_device_id_read,
	.write = sim_device_id_write,
	.llseek = default_llseek,
};

/* modes and faults */

static ssize_t sim_modes_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct parport_sim_info info;
	char buf[64];
	int len;

	parport_sim_get_info(sim_of(file), &info);
	len = sim_format_flags(buf, sizeof(buf) - 1, sim_mode_names,
			       info.modes);
	buf[len++] = '\n';
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t sim_modes_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	unsigned int modes;
	size_t len;
	char *buf;
	int ret;

	buf = sim_user_text(ubuf, count, 256, &len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = sim_parse_flags(buf, sim_mode_names, &modes);
	kfree(buf);
	if (ret)
		return ret;
	parport_sim_set_modes(sim_of(file), modes);
	return count;
}

static const struct file_operations sim_modes_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_modes_read,
	.write = sim_modes_write,
	.llseek = default_llseek,
};

static ssize_t sim_faults_read(struct file *file, char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	struct parport_sim_info info;
	char buf[80];
	int len;

	parport_sim_get_info(sim_of(file), &info);
	len = sim_format_flags(buf, sizeof(buf) - 1, sim_fault_names,
			       info.faults);
	buf[len++] = '\n';
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t sim_faults_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	unsigned int faults;
	size_t len;
	char *buf;
	int ret;

	buf = sim_user_text(ubuf, count, 256, &len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	ret = sim_parse_flags(buf, sim_fault_names, &faults);
	kfree(buf);
	if (ret)
		return ret;
	parport_sim_set_faults(sim_of(file), faults);
	return count;
}

static const struct file_operations sim_faults_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_faults_read,
	.write = sim_faults_write,
	.llseek = default_llseek,
};

/* daisy */

static ssize_t sim_daisy_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	const size_t size = PARPORT_SIM_DAISY_MAX *
			    (PARPORT_SIM_DAISY_ID_MAX + 1);
	size_t len = 0, n;
	ssize_t ret;
	char *buf;
	int i;

	buf = kmalloc(size, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	for (i = 0; i < PARPORT_SIM_DAISY_MAX; i++) {
		n = sim_copy_id(sim_of(file), i, buf + len,
				PARPORT_SIM_DAISY_ID_MAX);
		if (!n)
			break;
		len += n;
		buf[len++] = '\n';
	}
	ret = simple_read_from_buffer(ubuf, count, ppos, buf, len);
	kfree(buf);
	return ret;
}

static ssize_t sim_daisy_write(struct file *file, const char __user *ubuf,
			       size_t count, loff_t *ppos)
{
	const char *ids[PARPORT_SIM_DAISY_MAX];
	unsigned int n = 0;
	char *buf, *line, *cur;
	size_t len;
	int ret;

	buf = sim_user_text(ubuf, count, SIM_WRITE_MAX, &len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	cur = buf;
	ret = 0;
	while ((line = strsep(&cur, "\n"))) {
		if (!*line)
			continue;
		if (n == PARPORT_SIM_DAISY_MAX) {
			ret = -EINVAL;
			break;
		}
		ids[n++] = line;
	}
	if (!ret)
		ret = parport_sim_set_daisy(sim_of(file), n, ids);
	kfree(buf);
	return ret ?: count;
}

static const struct file_operations sim_daisy_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_daisy_read,
	.write = sim_daisy_write,
	.llseek = default_llseek,
};

/* irq and interrupt */

static ssize_t sim_irq_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct parport_sim_info info;
	char buf[16];
	int len;

	parport_sim_get_info(sim_of(file), &info);
	len = scnprintf(buf, sizeof(buf), "%d\n", info.irq);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static ssize_t sim_irq_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	int irq, ret;

	ret = kstrtoint_from_user(ubuf, count, 0, &irq);
	if (ret)
		return ret;
	ret = parport_sim_set_irq(sim_of(file), irq);
	return ret ?: count;
}

static const struct file_operations sim_irq_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_irq_read,
	.write = sim_irq_write,
	.llseek = default_llseek,
};

static ssize_t sim_interrupt_write(struct file *file, const char __user *ubuf,
				   size_t count, loff_t *ppos)
{
	parport_sim_interrupt(sim_of(file));
	return count;
}

static const struct file_operations sim_interrupt_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = sim_interrupt_write,
	.llseek = default_llseek,
};

/* reverse and forward */

static ssize_t sim_reverse_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct parport_sim *sim = sim_of(file);
	unsigned long flags;
	size_t len = 0;
	ssize_t ret;
	u8 *buf;

	buf = kvmalloc(PARPORT_SIM_REV_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	spin_lock_irqsave(&sim->lock, flags);
	if (!sim->gone)
		len = sim_model_peek_reverse(&sim->model, buf,
					     PARPORT_SIM_REV_MAX);
	spin_unlock_irqrestore(&sim->lock, flags);
	ret = simple_read_from_buffer(ubuf, count, ppos, buf, len);
	kvfree(buf);
	return ret;
}

static ssize_t sim_reverse_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	void *buf;
	int n;

	count = min_t(size_t, count, PARPORT_SIM_REV_MAX);
	buf = vmemdup_user(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	n = parport_sim_queue_reverse(sim_of(file), buf, count);
	kvfree(buf);
	if (n < 0)
		return n;
	return n ?: -ENOSPC;
}

static const struct file_operations sim_reverse_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_reverse_read,
	.write = sim_reverse_write,
	.llseek = default_llseek,
};

static ssize_t sim_forward_read(struct file *file, char __user *ubuf,
				size_t count, loff_t *ppos)
{
	ssize_t ret;
	size_t len;
	void *buf;

	buf = kvmalloc(PARPORT_SIM_FWD_MAX, GFP_KERNEL);
	if (!buf)
		return -ENOMEM;
	len = parport_sim_read_forward(sim_of(file), buf, PARPORT_SIM_FWD_MAX);
	ret = simple_read_from_buffer(ubuf, count, ppos, buf, len);
	kvfree(buf);
	return ret;
}

static ssize_t sim_forward_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	parport_sim_clear_forward(sim_of(file));
	return count;
}

static const struct file_operations sim_forward_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_forward_read,
	.write = sim_forward_write,
	.llseek = default_llseek,
};

/* writers */

static int sim_writers_show(struct seq_file *seq, void *unused)
{
	struct parport_sim_writer *runs;
	unsigned long lost;
	size_t n, i;

	runs = kvmalloc_array(PARPORT_SIM_WRITERS_MAX, sizeof(*runs),
			      GFP_KERNEL);
	if (!runs)
		return -ENOMEM;
	n = parport_sim_read_writers(seq->private, runs,
				     PARPORT_SIM_WRITERS_MAX, &lost);
	for (i = 0; i < n; i++)
		seq_printf(seq, "%d %u\n", runs[i].pid, runs[i].count);
	if (lost)
		seq_printf(seq, "overflow %lu\n", lost);
	kvfree(runs);
	return 0;
}

/* One snapshot per open: reads in pieces never mix two records. */
static int sim_writers_open(struct inode *inode, struct file *file)
{
	if ((file->f_mode & FMODE_WRITE) && (file->f_flags & O_TRUNC))
		parport_sim_clear_writers(inode->i_private);
	return single_open(file, sim_writers_show, inode->i_private);
}

static ssize_t sim_writers_write(struct file *file, const char __user *ubuf,
				 size_t count, loff_t *ppos)
{
	struct seq_file *seq = file->private_data;

	parport_sim_clear_writers(seq->private);
	return count;
}

static const struct file_operations sim_writers_fops = {
	.owner = THIS_MODULE,
	.open = sim_writers_open,
	.read = seq_read,
	.write = sim_writers_write,
	.llseek = seq_lseek,
	.release = single_release,
};

/* state */

static ssize_t sim_state_read(struct file *file, char __user *ubuf,
			      size_t count, loff_t *ppos)
{
	struct parport_sim_info info;
	char modes[64], faults[80], port[24];
	char buf[640];
	int len;

	parport_sim_get_info(sim_of(file), &info);
	if (info.plugged)
		scnprintf(port, sizeof(port), "parport%d", info.number);
	else
		strscpy(port, "none", sizeof(port));
	sim_format_flags(modes, sizeof(modes), sim_mode_names, info.modes);
	sim_format_flags(faults, sizeof(faults), sim_fault_names,
			 info.faults);
	len = scnprintf(buf, sizeof(buf),
			"port: %s\n"
			"plugs: %u\n"
			"irq: %d\n"
			"modes: %s\n"
			"faults: %s\n"
			"phase: %s\n"
			"daisy: %u\n"
			"selected: %d\n"
			"control: 0x%02x\n"
			"status: 0x%02x\n"
			"ecp_channel: %d\n"
			"epp_addr: 0x%02x\n"
			"forward: %zu\n"
			"forward_dropped: %lu\n"
			"reverse: %zu\n"
			"irqs: %lu\n"
			"refs_returned: %lu\n"
			"init_pulses: %lu\n"
			"init_low_ns: %llu\n"
			"rle_runs: %lu\n"
			"writers: %zu\n"
			"writers_lost: %lu\n",
			port,
			info.plugs, info.irq, modes, faults, info.phase,
			info.daisy_count, info.selected, info.control,
			info.status, info.ecp_channel, info.epp_addr,
			info.forward_len, info.forward_dropped,
			info.reverse_len, info.irqs, info.refs_returned,
			info.init_pulses, (unsigned long long)info.init_low_ns,
			info.rle_runs, info.writers, info.writers_lost);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static const struct file_operations sim_state_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.read = sim_state_read,
	.llseek = default_llseek,
};

/* new and delete */

static ssize_t sim_new_write(struct file *file, const char __user *ubuf,
			     size_t count, loff_t *ppos)
{
	struct parport_sim *sim;
	size_t len;
	char *buf;

	buf = sim_user_text(ubuf, count, PARPORT_SIM_NAME_MAX + 1, &len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	sim = parport_sim_create(buf);
	kfree(buf);
	return IS_ERR(sim) ? PTR_ERR(sim) : count;
}

static const struct file_operations sim_new_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = sim_new_write,
	.llseek = default_llseek,
};

static ssize_t sim_delete_write(struct file *file, const char __user *ubuf,
				size_t count, loff_t *ppos)
{
	struct parport_sim *sim;
	size_t len;
	char *buf;

	buf = sim_user_text(ubuf, count, PARPORT_SIM_NAME_MAX + 1, &len);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	sim = sim_take(buf);
	kfree(buf);
	if (!sim)
		return -ENOENT;
	sim_destroy_taken(sim);
	return count;
}

static const struct file_operations sim_delete_fops = {
	.owner = THIS_MODULE,
	.open = simple_open,
	.write = sim_delete_write,
	.llseek = default_llseek,
};

/**
 * sim_debugfs_add() - create a simulated port's control files
 * @sim: the port
 *
 * Without debugfs the port is still usable through the exported
 * interface.
 */
void sim_debugfs_add(struct parport_sim *sim)
{
	struct dentry *dir;

	if (IS_ERR_OR_NULL(sim_root))
		return;
	dir = debugfs_create_dir(sim->name, sim_root);
	if (IS_ERR(dir))
		return;
	sim->dir = dir;
	debugfs_create_file("plugged", 0600, dir, sim, &sim_plugged_fops);
	debugfs_create_file("port", 0400, dir, sim, &sim_port_fops);
	debugfs_create_file("device", 0400, dir, sim, &sim_device_fops);
	debugfs_create_file("device_id", 0600, dir, sim, &sim_device_id_fops);
	debugfs_create_file("modes", 0600, dir, sim, &sim_modes_fops);
	debugfs_create_file("faults", 0600, dir, sim, &sim_faults_fops);
	debugfs_create_file("daisy", 0600, dir, sim, &sim_daisy_fops);
	debugfs_create_file("irq", 0600, dir, sim, &sim_irq_fops);
	debugfs_create_file("interrupt", 0200, dir, sim, &sim_interrupt_fops);
	debugfs_create_file("reverse", 0600, dir, sim, &sim_reverse_fops);
	debugfs_create_file("forward", 0600, dir, sim, &sim_forward_fops);
	debugfs_create_file("writers", 0600, dir, sim, &sim_writers_fops);
	debugfs_create_file("state", 0400, dir, sim, &sim_state_fops);
}

/**
 * sim_debugfs_remove() - remove a simulated port's control files
 * @sim: the port
 *
 * Returns once no handler of those files runs any more.
 */
void sim_debugfs_remove(struct parport_sim *sim)
{
	debugfs_remove_recursive(sim->dir);
	sim->dir = NULL;
}

/**
 * sim_debugfs_init() - create parport_sim/, new and delete in debugfs
 */
void sim_debugfs_init(void)
{
	sim_root = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(sim_root))
		return;
	sim_new = debugfs_create_file("new", 0200, sim_root, NULL,
				      &sim_new_fops);
	sim_delete = debugfs_create_file("delete", 0200, sim_root, NULL,
					 &sim_delete_fops);
}

/**
 * sim_debugfs_stop() - remove new and delete
 *
 * Returns once neither runs any more, so that no port is created or
 * deleted from user space after it.
 */
void sim_debugfs_stop(void)
{
	debugfs_remove(sim_new);
	debugfs_remove(sim_delete);
	sim_new = NULL;
	sim_delete = NULL;
}

/**
 * sim_debugfs_exit() - remove parport_sim/ from debugfs
 *
 * Call after sim_debugfs_stop() and once every port is destroyed.
 */
void sim_debugfs_exit(void)
{
	debugfs_remove_recursive(sim_root);
	sim_root = NULL;
}
