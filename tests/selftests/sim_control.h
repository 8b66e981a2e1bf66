/* SPDX-License-Identifier: GPL-2.0 */
/*
 * sim_control.h: the guest tests' access to parport_sim's debugfs
 * controls (see README.md, "The simulated port"), shared by the sim_*
 * selftests.
 */
#ifndef SIM_CONTROL_H
#define SIM_CONTROL_H

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SIM_DIR		"/sys/kernel/debug/parport_sim"
#define SIM_REFCNT	"/sys/module/parport_sim/refcnt"

static inline void sim_sleep_ms(unsigned int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) && errno == EINTR)
		;
}

/* Write @len bytes of @buf to a control file; 0 or an errno value. */
static inline int sim_put(const char *sim, const char *file,
			  const void *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "%s/%s%s%s", SIM_DIR, sim,
		 *sim ? "/" : "", file);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return errno;
	n = write(fd, buf, len);
	if (n < 0)
		err = errno;
	else if ((size_t)n != len)
		err = EIO;
	close(fd);
	return err;
}

static inline int sim_puts(const char *sim, const char *file, const char *text)
{
	return sim_put(sim, file, text, strlen(text));
}

/*
 * Read file @path into @buf (NUL-terminated): up to @size - 1 bytes, or
 * fewer at its end; bytes read, or -1 if it cannot be opened.
 */
static inline ssize_t sim_read_path(const char *path, char *buf, size_t size)
{
	ssize_t n, got = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -1;
	while ((size_t)got + 1 < size) {
		n = read(fd, buf + got, size - 1 - got);
		if (n <= 0)
			break;
		got += n;
	}
	close(fd);
	buf[got] = '\0';
	return got;
}

/* Read a control file into @buf (NUL-terminated); bytes read or -1. */
static inline ssize_t sim_get(const char *sim, const char *file,
			      char *buf, size_t size)
{
	char path[128];

	snprintf(path, sizeof(path), "%s/%s/%s", SIM_DIR, sim, file);
	return sim_read_path(path, buf, size);
}

/* The port number of plugged simulated port @sim, or -1. */
static inline int sim_number(const char *sim)
{
	char buf[32];
	int num;

	if (sim_get(sim, "port", buf, sizeof(buf)) < 0 ||
	    sscanf(buf, "parport%d", &num) != 1)
		return -1;
	return num;
}

/* A number from parport_sim's state file, or -1. */
static inline long long sim_state(const char *sim, const char *key)
{
	char buf[1024], *p;
	size_t klen = strlen(key);

	if (sim_get(sim, "state", buf, sizeof(buf)) <= 0)
		return -1;
	for (p = buf; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, key, klen) && p[klen] == ':')
			return strtoll(p + klen + 1, NULL, 0);
	}
	return -1;
}

/* A word from parport_sim's state file ("phase", ...) into @buf. */
static inline int sim_state_word(const char *sim, const char *key,
				 char *buf, size_t size)
{
	char state[1024], *p;
	size_t klen = strlen(key);

	if (sim_get(sim, "state", state, sizeof(state)) <= 0)
		return -1;
	for (p = state; p; p = strchr(p, '\n')) {
		if (*p == '\n')
			p++;
		if (!strncmp(p, key, klen) && p[klen] == ':') {
			p += klen + 1;
			while (*p == ' ')
				p++;
			snprintf(buf, size, "%.*s", (int)strcspn(p, "\n"), p);
			return 0;
		}
	}
	return -1;
}

/*
 * Create simulated port @sim and plug it in; its parport number, or -1.
 * Anything to set before the plug (a daisy chain) goes in @setup_file
 * (NULL for none) as @setup_text.
 */
static inline int sim_create(const char *sim, const char *setup_file,
			     const char *setup_text)
{
	if (sim_puts("", "new", sim))
		return -1;
	if (setup_file && sim_puts(sim, setup_file, setup_text))
		return -1;
	if (sim_puts(sim, "plugged", "1"))
		return -1;
	return sim_number(sim);
}

/* Unplug and delete simulated port @sim. */
static inline void sim_destroy(const char *sim)
{
	sim_puts(sim, "plugged", "0");
	sim_puts("", "delete", sim);
}

/* parport_sim's module reference count, or -1. */
static inline long sim_refcnt(void)
{
	char buf[32] = "";
	FILE *f = fopen(SIM_REFCNT, "re");

	if (!f)
		return -1;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = '\0';
	fclose(f);
	return buf[0] ? strtol(buf, NULL, 10) : -1;
}

/* parport_sim.h's PARPORT_SIM_FWD_MAX: forward bytes the port keeps. */
#define SIM_FWD_MAX		65536
/* parport_sim.h's PARPORT_SIM_WRITERS_MAX: writer runs the port keeps. */
#define SIM_WRITERS_MAX		4096

/* One line of a simulated port's writers file: a writer's bytes in a row. */
struct sim_run {
	int pid;		/* the writing thread's ID (gettid()) */
	unsigned long count;	/* how many bytes */
};

/*
 * Read simulated port @sim's writers file into @runs (room for @max):
 * the number of runs; or -1 if the file cannot be read, has more runs
 * than @max or a line that is neither "PID COUNT" nor a last
 * "overflow N". *@overflow gets N (the bytes whose writer the port did
 * not record), 0 without that line.
 */
static inline long sim_writers(const char *sim, struct sim_run *runs,
			       size_t max, unsigned long *overflow)
{
	size_t size = SIM_WRITERS_MAX * 24 + 64;
	char *buf = malloc(size), *line, *next;
	long n = 0;
	int pid, used;
	unsigned long count;

	*overflow = 0;
	if (!buf || sim_get(sim, "writers", buf, size) < 0 ||
	    strlen(buf) + 1 >= size) {
		free(buf);
		return -1;
	}
	for (line = buf; n >= 0 && *line; line = next) {
		next = strchr(line, '\n');
		if (!next || *overflow) {
			n = -1;
			break;
		}
		*next++ = '\0';
		used = 0;
		if (sscanf(line, "overflow %lu%n", overflow, &used) == 1 &&
		    !line[used] && *overflow)
			continue;
		*overflow = 0;
		used = 0;
		if ((size_t)n == max ||
		    sscanf(line, "%d %lu%n", &pid, &count, &used) != 2 ||
		    line[used] || !count) {
			n = -1;
			break;
		}
		runs[n].pid = pid;
		runs[n].count = count;
		n++;
	}
	free(buf);
	return n;
}

#endif /* SIM_CONTROL_H */
