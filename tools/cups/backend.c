// SPDX-License-Identifier: GPL-2.0
/*
 * parclass: a CUPS backend (backend(7)) printing through /dev/parclass.
 *
 *   parclass                                       list the ports
 *   parclass job-id user title copies options [file]   print a job
 *
 * The device URI (DEVICE_URI, else argv[0]) is parclass:/LPTn, LPT1 being
 * parport0, or parclass:/LPTn.m for the IEEE 1284.3 daisy-chain device at
 * address m on that port. The job comes from the file, sent copies times,
 * or from stdin, sent once. Messages go to stderr as CUPS reads them
 * (STATE:, INFO:, DEBUG:, ERROR:); the listing goes to stdout, each port
 * followed by its chain devices. No libcups: the
 * protocol is a handful of lines. See README.md, "Printing through CUPS",
 * for the exit codes.
 *
 * While the job holds the port, the backend answers the side-channel
 * requests filters send on fd 4 (when fd 4 is a socket, as cupsd makes
 * it): between two writes, while it waits for the job's data, and while
 * the printer is stopped. While the job waits for the port, it answers
 * those that need no port (GET_BIDI, GET_CONNECTED, SNMP); one that
 * needs it (GET_DEVICE_ID, GET_STATE, SOFT_RESET, DRAIN_OUTPUT) is
 * answered once the job has the port, and those sent after it then too,
 * so that answers keep the requests' order.
 *
 * The back channel: when fd 3 is a pipe (as cupsd makes it) and the
 * printer answers a reverse IEEE 1284 mode (byte or nibble), what it
 * sends back, such as PJL status, is read while the job holds the port
 * and written to fd 3 for the filters: between two writes, while the job
 * waits for data and while the printer is stopped (every BC_IDLE_MS
 * while it has sent nothing), and once more after the job's last byte.
 * GET_BIDI then says so.
 */
#define _GNU_SOURCE		/* ppoll() */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <parclass/libparclass.h>

#include "backend_util.h"

#define CHUNK		16384
/* How long the peripheral may stay busy before the status is looked at. */
#define WRITE_TIMEOUT_NS	1000000000ULL
/* How long the listing waits for a busy port before it lists it bare. */
#define LIST_TIMEOUT_NS		2000000000ULL
/* The status polls' backoff while the printer is stopped. */
#define POLL_FIRST_MS	100
#define POLL_MAX_MS	2000
/* How long one wait for the port lasts before the queue is asked again. */
#define WAIT_SLICE_MS	500

static volatile sig_atomic_t cancelled;
/* The side channel's socket, or -1 (none, or its peer went away). */
static int sc_fd = -1;
/* The back channel's pipe, or -1 (none, or its reader went away). */
static int bc_fd = -1;

static void on_term(int sig)
{
	(void)sig;
	cancelled = 1;
}

struct job {
	int fd;
	uint64_t token;
	char location[16];
	unsigned int reasons;	/* the printer-state-reasons set */
	unsigned long long sent;
	bool drain;		/* a DRAIN_OUTPUT waits for its answer */
	int daisy;		/* the IEEE 1284.3 chain device, or -1 */
	bool bidi;		/* the printer talks back: in @bc_mode */
	uint32_t bc_mode;	/* PARCLASS_1284_BYTE_BIDIR or _NIBBLE */
	unsigned int bc_fails;	/* reads refused in a row */
	long long bc_next;	/* when to ask it for data next (now_ms()) */
};

/* CLOCK_MONOTONIC in milliseconds. */
static long long now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

/* The device ID of the port into @buf: its length (0 for none), or -errno. */
static int read_device_id(struct job *j, char *buf, uint32_t size)
{
	uint32_t need = 0;
	int r;

	r = parclass_device_id(j->fd, j->token, 0, 0, buf, size, &need);
	if (r == -ENODATA)
		return 0;
	if (r)
		return r;
	return need ? (int)need - 1 : 0;
}

/* How long an answer may wait for room in the socket, as libcups waits. */
#define SC_SEND_MS	1000
/* How long the rest of a request that has begun to come is waited for. */
#define SC_PART_MS	500
/* The back channel's read modes, the fastest first (NEGOTIATE's order). */
#define BC_MODES	(PARCLASS_1284_BYTE_BIDIR | PARCLASS_1284_NIBBLE)
/* How often the printer is asked for data while it has sent none. */
#define BC_IDLE_MS	250
/*
 * After a refused read (a printer stopped or busy may not negotiate),
 * how long until the next try, and how many refusals in a row end the
 * back channel for the job.
 */
#define BC_RETRY_MS	2000
#define BC_FAILS_MAX	5
/* The most bytes one read asks for (a pipe takes them in one write). */
#define BC_CHUNK	1024
/* How long one step of the printer's reverse handshake may take. */
#define BC_STEP_NS	100000000ULL

/*
 * Send one answer. cupsd makes the socket non-blocking: wait for room,
 * up to SC_SEND_MS. The channel is given up when the answer cannot go
 * out whole (a part of one would garble the next).
 */
static void sc_send(const unsigned char *out, size_t len)
{
	struct pollfd p = { .fd = sc_fd, .events = POLLOUT };
	long long end = now_ms() + SC_SEND_MS, left;
	size_t off = 0;
	ssize_t n;

	while (sc_fd >= 0 && off < len) {
		n = send(sc_fd, out + off, len - off,
			 MSG_NOSIGNAL | MSG_DONTWAIT);
		if (n > 0) {
			off += (size_t)n;
			continue;
		}
		left = end - now_ms();
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK ||
			      errno == EINTR) && left > 0) {
			poll(&p, 1, (int)left);
			continue;
		}
		fprintf(stderr, "DEBUG: side channel: answer not sent: %s\n",
			n < 0 ? strerror(errno) : "no room");
		sc_fd = -1;
	}
}

/* Answer @cmd with @status and @len bytes of @data. */
static void sc_reply(unsigned int cmd, unsigned int status, const void *data,
		     size_t len)
{
	static unsigned char out[PCB_SC_MAX_MSG];

	sc_send(out, pcb_sc_reply(out, cmd, status, data, len));
}

/*
 * A DRAIN_OUTPUT is answered once what the filters had written when it
 * came is out: the job's piece in hand sent, and nothing more to read
 * from @in (or its end reached, @in < 0).
 */
static void sc_drain_check(struct job *j, int in)
{
	struct pollfd p = { .fd = in, .events = POLLIN };

	if (!j->drain || sc_fd < 0)
		return;
	if (in >= 0 && poll(&p, 1, 0) > 0 && (p.revents & POLLIN))
		return;
	j->drain = false;
	sc_reply(PCB_SC_CMD_DRAIN_OUTPUT, PCB_SC_STATUS_OK, NULL, 0);
}

/* Answer one side-channel request. */
static void sc_answer(struct job *j, const unsigned char *req, ssize_t n)
{
	static char id[PCB_SC_MAX_DATA + 1];
	unsigned int cmd, status = PCB_SC_STATUS_OK;
	unsigned char byte = 0;
	const void *data = &byte;
	size_t reqlen, datalen = 1;
	uint8_t st, raw;
	int r;

	/* No request carries data the backend uses (SNMP's OID is refused). */
	if (pcb_sc_parse(req, (size_t)n, &cmd, &reqlen)) {
		status = PCB_SC_STATUS_BAD_MESSAGE;
		datalen = 0;
		goto reply;
	}
	switch (cmd) {
	case PCB_SC_CMD_SOFT_RESET:
		/* nInit: the peripheral resets. */
		if (parclass_init_peripheral(j->fd, j->token))
			status = PCB_SC_STATUS_IO_ERROR;
		datalen = 0;
		break;
	case PCB_SC_CMD_DRAIN_OUTPUT:
		/*
		 * A WRITE returns once its bytes are out; the answer waits
		 * for the rest of what the filters wrote (sc_drain_check()).
		 */
		j->drain = true;
		return;
	case PCB_SC_CMD_GET_BIDI:
		/* Not before the printer was asked (the job had the port). */
		byte = j->bidi && bc_fd >= 0 ? PCB_SC_BIDI_SUPPORTED :
					       PCB_SC_BIDI_NOT_SUPPORTED;
		break;
	case PCB_SC_CMD_GET_DEVICE_ID:
		r = read_device_id(j, id, sizeof(id));
		if (r < 0) {
			fprintf(stderr, "DEBUG: side channel: no device ID: %s\n",
				strerror(-r));
			status = PCB_SC_STATUS_IO_ERROR;
			datalen = 0;
		} else {
			data = id;
			datalen = (size_t)r;
		}
		break;
	case PCB_SC_CMD_GET_STATE:
		if (parclass_query_information(j->fd, j->token, &st, &raw)) {
			status = PCB_SC_STATUS_IO_ERROR;
			datalen = 0;
		} else {
			byte = (unsigned char)pcb_sc_state(st, raw);
		}
		break;
	case PCB_SC_CMD_GET_CONNECTED:
		byte = PCB_SC_CONNECTED;
		break;
	default:
		/* SNMP: a parallel port has none. */
		status = PCB_SC_STATUS_NOT_IMPLEMENTED;
		datalen = 0;
	}
reply:
	sc_reply(cmd, status, data, datalen);
}

/*
 * Take one request from the socket: its header and as many bytes as the
 * header says (a request sent right behind it stays in the socket). A
 * request that has begun to come is given up to SC_PART_MS for the rest;
 * then what came is taken as it is (a malformed request). The request's
 * length, 0 when none waits, or -1 when the filters are gone (the
 * channel is given up).
 */
static ssize_t sc_take(unsigned char *req)
{
	struct pollfd p = { .fd = sc_fd, .events = POLLIN };
	long long end = 0;
	size_t want = PCB_SC_HEADER;
	ssize_t n;

	for (;;) {
		n = recv(sc_fd, req, want, MSG_PEEK | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0) {
			sc_fd = -1;
			return -1;
		}
		if (want == PCB_SC_HEADER && n == PCB_SC_HEADER) {
			want += ((size_t)req[2] << 8) | req[3];
			if (want > PCB_SC_HEADER)
				continue;
		}
		if ((size_t)n < want) {
			/*
			 * Part of it: look again every millisecond for the
			 * rest (the socket stays readable, so poll() cannot
			 * wait for it), unless the filters closed their end.
			 */
			if (!end)
				end = now_ms() + SC_PART_MS;
			if (now_ms() < end && poll(&p, 1, 0) >= 0 &&
			    !(p.revents & (POLLHUP | POLLERR))) {
				nanosleep(&(struct timespec){ 0, 1000000L }, NULL);
				continue;
			}
		}
		n = recv(sc_fd, req, (size_t)n, MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return 0;
		if (n <= 0) {
			sc_fd = -1;
			return -1;
		}
		return n;
	}
}

/* Answer the side-channel requests that wait, without waiting. */
static void sc_serve(struct job *j)
{
	static unsigned char req[PCB_SC_MAX_MSG];
	ssize_t n;

	while (sc_fd >= 0 && (n = sc_take(req)) > 0)
		sc_answer(j, req, n);
}

/*
 * While the job waits for the port: answer the requests whose answers
 * need no port. One that needs it stays in the socket, and so do those
 * behind it, in their order, until the job has the port (sc_serve()
 * then): true when one does, and the socket is not to be polled until
 * then.
 */
static bool sc_serve_waiting(struct job *j)
{
	static unsigned char req[PCB_SC_MAX_MSG];
	unsigned char cmd;
	ssize_t n;

	while (sc_fd >= 0) {
		n = recv(sc_fd, &cmd, 1, MSG_PEEK | MSG_DONTWAIT);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return false;
		if (n <= 0) {
			sc_fd = -1;
			return false;
		}
		if (pcb_sc_needs_port(cmd))
			return true;
		n = sc_take(req);
		if (n > 0)
			sc_answer(j, req, n);
	}
	return false;
}

/*
 * poll() with SIGTERM held off but during the wait, so that a SIGTERM
 * that comes after the caller looked at cancelled still ends the wait.
 * -1 (cancelled), or what poll() returns.
 */
static int poll_term(struct pollfd *p, nfds_t n, int ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
	sigset_t term, old;
	int r;

	sigemptyset(&term);
	sigaddset(&term, SIGTERM);
	sigprocmask(SIG_BLOCK, &term, &old);
	r = cancelled ? -1 : ppoll(p, n, ms < 0 ? NULL : &ts, &old);
	sigprocmask(SIG_SETMASK, &old, NULL);
	return cancelled ? -1 : r;
}

/*
 * Pass @len bytes from the printer on to the back channel, waiting up to
 * SC_SEND_MS for room each time, as cupsBackChannelWrite() does. The
 * channel is given up when they cannot go (the filters are gone).
 */
static void bc_send(const unsigned char *buf, size_t len)
{
	struct pollfd p = { .fd = bc_fd, .events = POLLOUT };
	size_t off = 0;
	ssize_t n;
	int r;

	while (bc_fd >= 0 && off < len) {
		r = poll_term(&p, 1, SC_SEND_MS);
		if (cancelled)
			return;
		if (r < 0 && errno == EINTR)
			continue;
		n = -1;
		if (r == 1 && (p.revents & POLLOUT)) {
			n = write(bc_fd, buf + off, len - off);
			if (n > 0) {
				off += (size_t)n;
				continue;
			}
			if (n < 0 && (errno == EINTR || errno == EAGAIN))
				continue;
		}
		fprintf(stderr, "DEBUG: back channel: %zu bytes not passed on: %s\n",
			len - off, n < 0 && r == 1 ? strerror(errno) : "no room");
		bc_fd = -1;
	}
}

/*
 * Ask the printer whether it talks back (a reverse IEEE 1284 mode), once
 * the job has the port; only when there is a back channel to pass its
 * bytes to.
 */
static void bc_probe(struct job *j)
{
	int r;

	if (bc_fd < 0)
		return;
	if (j->daisy >= 0) {
		fprintf(stderr, "DEBUG: %s: no back channel for a chain device\n",
			j->location);
		return;
	}
	r = parclass_negotiate(j->fd, j->token, 0, BC_MODES, 0, &j->bc_mode,
			       NULL);
	if (r) {
		/* The port is in compatibility mode again. */
		fprintf(stderr, "DEBUG: %s: no back channel: %s\n", j->location,
			strerror(-r));
		return;
	}
	parclass_terminate(j->fd, j->token);
	j->bidi = true;
	j->bc_next = now_ms() + BC_IDLE_MS;
	fprintf(stderr, "DEBUG: %s: back channel in %s mode\n", j->location,
		j->bc_mode == PARCLASS_1284_BYTE_BIDIR ? "byte" : "nibble");
}

/*
 * Pass what the printer has to send back on to the back channel: ask it
 * at most every BC_IDLE_MS (any time with @force). The read mode is
 * entered for the read and left after it, so that the port is in
 * compatibility mode in between, as the job's writes, the status reads
 * and the nInit pulse expect.
 */
static void bc_poll(struct job *j, bool force)
{
	static unsigned char buf[BC_CHUNK];
	long long next = BC_IDLE_MS;
	unsigned int rounds;
	uint32_t done;
	int r;

	if (!j->bidi || bc_fd < 0 || cancelled)
		return;
	if (!force && now_ms() < j->bc_next)
		return;
	/* The mode bc_probe() found, and no other. */
	r = parclass_negotiate(j->fd, j->token, 0, j->bc_mode, 0, NULL, NULL);
	/* A full read may have left more: up to 16 KiB a call. */
	for (rounds = 0; !r && rounds < 16 && bc_fd >= 0 && !cancelled;
	     rounds++) {
		done = 0;
		r = parclass_read(j->fd, j->token, buf, sizeof(buf), BC_STEP_NS,
				  &done);
		if (done)
			bc_send(buf, done);
		if (done < sizeof(buf))
			break;
	}
	if (!r) {
		j->bc_fails = 0;
	} else if ((r == -EIO || r == -EOPNOTSUPP) &&
		   ++j->bc_fails < BC_FAILS_MAX) {
		/* Stopped or busy, perhaps: later. */
		next = BC_RETRY_MS;
	} else if (r != -EINTR) {
		/* Refused too often, or the session or the port is gone. */
		fprintf(stderr, "DEBUG: %s: back channel ends: %s\n",
			j->location, strerror(-r));
		j->bidi = false;
	}
	parclass_terminate(j->fd, j->token);
	j->bc_next = now_ms() + next;
}

/* At most @ms (-1: any time), and no later than the next bc_poll(). */
static int bc_wait_ms(struct job *j, int ms)
{
	long long left;

	if (!j->bidi || bc_fd < 0)
		return ms;
	left = j->bc_next - now_ms();
	if (left < 0)
		left = 0;
	return ms >= 0 && ms < left ? ms : (int)left;
}

/*
 * Sleep @ms milliseconds, or less if SIGTERM comes, answering
 * side-channel requests and passing on what the printer sends back
 * meanwhile (@j holds the port).
 */
static void nap_ms(struct job *j, unsigned int ms)
{
	struct pollfd p = { .fd = sc_fd, .events = POLLIN };
	long long end = now_ms() + ms, left;

	while ((left = end - now_ms()) > 0) {
		bc_poll(j, false);
		p.fd = sc_fd;	/* -1 once the channel is gone: poll() ignores it */
		if (poll_term(&p, 1, bc_wait_ms(j, (int)left)) < 0)
			return;
		if (p.revents)
			sc_serve(j);
	}
}

/* Tell CUPS which reasons hold now: "+x" for new ones, "-x" for gone. */
static void set_reasons(struct job *j, unsigned int now)
{
	unsigned int bit;

	for (bit = 1; bit < (1U << PCB_REASON_COUNT); bit <<= 1) {
		if ((now & bit) && !(j->reasons & bit))
			fprintf(stderr, "STATE: +%s\n", pcb_reason_name(bit));
		else if (!(now & bit) && (j->reasons & bit))
			fprintf(stderr, "STATE: -%s\n", pcb_reason_name(bit));
	}
	if (now & PCB_REASON_MEDIA_EMPTY)
		fprintf(stderr, "INFO: The printer on %s is out of paper\n",
			j->location);
	else if (now & PCB_REASON_OFFLINE)
		fprintf(stderr, "INFO: The printer on %s is off line\n",
			j->location);
	else if (now & PCB_REASON_OTHER)
		fprintf(stderr, "INFO: The printer on %s reports an error\n",
			j->location);
	else if (j->reasons)
		fprintf(stderr, "INFO: The printer on %s is ready again\n",
			j->location);
	j->reasons = now;
}

/*
 * A transfer stalled: look at the status, and while it shows the
 * printer stopped, say why and poll again (100 ms, doubling to 2 s).
 * Returns 0 when the printer takes data again, else an exit code.
 */
static int wait_ready(struct job *j)
{
	unsigned int delay = POLL_FIRST_MS, now;
	uint8_t status, raw;
	int r;

	for (;;) {
		r = parclass_query_information(j->fd, j->token, &status, &raw);
		if (r == -ENODEV) {
			fprintf(stderr, "ERROR: %s was removed\n", j->location);
			return CUPS_BACKEND_RETRY_CURRENT;
		}
		if (r) {
			fprintf(stderr, "ERROR: Cannot read the status of %s: %s\n",
				j->location, strerror(-r));
			return CUPS_BACKEND_FAILED;
		}
		now = pcb_reasons(status, raw);
		fprintf(stderr, "DEBUG: %s status 0x%02x, register 0x%02x\n",
			j->location, status, raw);
		if (now != j->reasons)
			set_reasons(j, now);
		if (!now)
			return 0;
		if (cancelled)
			return -1;
		nap_ms(j, delay);
		if (cancelled)
			return -1;
		delay = delay * 2 > POLL_MAX_MS ? POLL_MAX_MS : delay * 2;
	}
}

/* Send @len bytes, riding out stops. 0, -1 (cancelled) or an exit code. */
static int send_bytes(struct job *j, const char *buf, size_t len)
{
	size_t off = 0;
	uint32_t done;
	int r;

	while (off < len) {
		if (cancelled)
			return -1;
		sc_serve(j);
		bc_poll(j, false);
		done = 0;
		r = parclass_write(j->fd, j->token, buf + off,
				   (uint32_t)(len - off), WRITE_TIMEOUT_NS,
				   &done);
		off += done;
		j->sent += done;
		switch (-r) {
		case 0:
			break;
		case ETIMEDOUT:
		case EIO:
			r = wait_ready(j);
			if (r)
				return r;
			break;
		case EINTR:
			break;
		case ENODEV:
			fprintf(stderr, "ERROR: %s was removed after %llu bytes\n",
				j->location, j->sent);
			return CUPS_BACKEND_RETRY_CURRENT;
		default:
			fprintf(stderr, "ERROR: Writing to %s failed: %s\n",
				j->location, strerror(-r));
			return CUPS_BACKEND_FAILED;
		}
	}
	return 0;
}

/*
 * Wait until @in has data (or its end), answering side-channel requests
 * meanwhile. 0, or -1 when cancelled.
 */
static int wait_input(struct job *j, int in)
{
	struct pollfd p[2] = {
		{ .fd = in, .events = POLLIN },
		{ .fd = sc_fd, .events = POLLIN },
	};
	int r;

	for (;;) {
		sc_drain_check(j, in);
		p[1].fd = sc_fd;	/* -1 without a channel: not polled */
		r = poll_term(p, 2, bc_wait_ms(j, -1));
		if (cancelled)
			return -1;
		if (!r) {
			bc_poll(j, false);
			continue;
		}
		if (r < 0) {
			if (errno == EINTR)
				continue;
			return 0;
		}
		if (p[1].revents)
			sc_serve(j);
		if (p[0].revents)
			return 0;
	}
}

/* Send what @in holds, to its end. 0, -1 (cancelled) or an exit code. */
static int send_file(struct job *j, int in)
{
	static char buf[CHUNK];
	ssize_t n;
	int r;

	for (;;) {
		if (cancelled || wait_input(j, in))
			return -1;
		n = read(in, buf, sizeof(buf));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			fprintf(stderr, "ERROR: Reading the job failed: %s\n",
				strerror(errno));
			return CUPS_BACKEND_FAILED;
		}
		if (!n) {
			/* Everything the filters wrote is out. */
			sc_drain_check(j, -1);
			return 0;
		}
		r = send_bytes(j, buf, (size_t)n);
		if (r)
			return r;
	}
}

/*
 * Queue for the port behind the holder and those waiting, saying so.
 * 0 once the session holds the port, -1 (cancelled) or an exit code.
 */
static int acquire(struct job *j)
{
	uint32_t waiters = 0, others = 0, ahead, shown = 0;
	struct pollfd p[2] = {
		{ .fd = j->fd, .events = POLLIN },
		{ .fd = -1, .events = POLLIN },
	};
	struct parclass_event ev[4];
	bool held = false;
	int r, i, n;

	r = parclass_try_allocate(j->fd, j->token);
	if (!r)
		return 0;
	if (r != -EAGAIN)
		goto failed;
	/* Ahead of this job: the holder, and every client queued now. */
	parclass_query_num_waiters(j->fd, j->token, &waiters, &others);
	ahead = 1 + waiters + others;
	r = parclass_allocate_async(j->fd, j->token);
	if (!r)
		return 0;
	if (r != -EINPROGRESS)
		goto failed;
	fprintf(stderr, "STATE: +connecting-to-device\n");
	for (;;) {
		if (ahead != shown) {
			fprintf(stderr, "INFO: Waiting for the port (%u ahead)\n",
				ahead);
			shown = ahead;
		}
		p[1].fd = held ? -1 : sc_fd;
		r = poll_term(p, 2, WAIT_SLICE_MS);
		if (cancelled)
			goto cancel;
		if (r < 0)
			r = -errno;
		else if (p[0].revents & (POLLERR | POLLHUP | POLLNVAL))
			r = -EIO;
		if (r > 0 && p[1].revents)
			held = sc_serve_waiting(j);
		if (r > 0 && (p[0].revents & POLLIN)) {
			n = parclass_read_events(j->fd, ev, 4);
			for (i = 0; i < n; i++) {
				if (ev[i].events & PARCLASS_EVENT_REMOVED) {
					fprintf(stderr, "STATE: -connecting-to-device\n");
					fprintf(stderr, "ERROR: %s was removed\n",
						j->location);
					return CUPS_BACKEND_RETRY_CURRENT;
				}
				if (ev[i].events & PARCLASS_EVENT_GRANTED) {
					fprintf(stderr, "STATE: -connecting-to-device\n");
					return 0;
				}
			}
			continue;
		}
		if (r < 0 && r != -EINTR) {
			fprintf(stderr, "ERROR: Waiting for %s failed: %s\n",
				j->location, strerror(-r));
			parclass_cancel(j->fd, j->token);
			return CUPS_BACKEND_FAILED;
		}
		/*
		 * Those queued later are counted too, so the count is an upper
		 * bound; in a FIFO the clients ahead can only leave.
		 */
		if (!parclass_query_num_waiters(j->fd, j->token, &waiters,
						&others) &&
		    waiters + others < ahead)
			ahead = waiters + others;
	}
cancel:
	fprintf(stderr, "STATE: -connecting-to-device\n");
	/* -EALREADY: the grant came first, and FREE follows. */
	parclass_cancel(j->fd, j->token);
	return -1;
failed:
	if (r == -ENODEV) {
		fprintf(stderr, "ERROR: %s was removed\n", j->location);
		return CUPS_BACKEND_RETRY_CURRENT;
	}
	fprintf(stderr, "ERROR: Cannot allocate %s: %s\n", j->location,
		strerror(-r));
	return CUPS_BACKEND_FAILED;
}

/*
 * A chain device's job: the parport core selected the device when it
 * gave the session the port, without looking at the answer; select it
 * again, and see that it answers. 0, or an exit code.
 */
static int select_chain_device(struct job *j)
{
	int r;

	if (j->daisy < 0)
		return 0;
	r = parclass_select_device(j->fd, j->token, PARCLASS_SELECT_KEEP_PORT,
				   (uint32_t)j->daisy, 0);
	if (!r)
		return 0;
	if (r == -ENODEV) {
		fprintf(stderr, "ERROR: %s was removed\n", j->location);
		return CUPS_BACKEND_RETRY_CURRENT;
	}
	if (r == -EINTR && cancelled)
		return -1;
	fprintf(stderr, "ERROR: The chain device %s does not answer: %s\n",
		j->location, strerror(-r));
	return CUPS_BACKEND_RETRY;
}

static int open_device(void)
{
	const char *path = getenv("PARCLASS_DEVICE");
	int fd = parclass_open();

	if (fd < 0)
		fprintf(stderr, "ERROR: Cannot open %s: %s%s\n",
			path ? path : PARCLASS_DEVICE_PATH, strerror(-fd),
			fd == -ENOENT ? " (is the parclass module loaded?)" :
			fd == -EACCES ? " (the backend's user needs group lp)" :
			"");
	return fd;
}

static int run_job(int argc, char **argv)
{
	const char *uri = getenv("DEVICE_URI");
	struct parclass_port_info info;
	struct job j = { .fd = -1 };
	int in = 0, copies = 1, copy, r, ret;
	uint32_t port;

	if (!uri && strchr(argv[0], ':'))
		uri = argv[0];
	if (!uri || pcb_parse_uri(uri, &port, &j.daisy)) {
		fprintf(stderr, "ERROR: Bad device URI \"%s\": expected parclass:/LPTn or parclass:/LPTn.m\n",
			uri ? uri : "");
		return CUPS_BACKEND_STOP;
	}
	if (j.daisy < 0)
		snprintf(j.location, sizeof(j.location), "LPT%u", port + 1);
	else
		snprintf(j.location, sizeof(j.location), "LPT%u.%d", port + 1,
			 j.daisy);
	if (argc == 7) {
		copies = atoi(argv[4]);
		if (copies < 1)
			copies = 1;
		in = open(argv[6], O_RDONLY | O_CLOEXEC);
		if (in < 0) {
			fprintf(stderr, "ERROR: Cannot open the job file %s: %s\n",
				argv[6], strerror(errno));
			return CUPS_BACKEND_FAILED;
		}
	}

	j.fd = open_device();
	if (j.fd < 0) {
		ret = CUPS_BACKEND_STOP;
		goto out_in;
	}
	if (j.daisy < 0)
		r = parclass_connect(j.fd, port, &j.token, &info);
	else
		r = parclass_connect_daisy(j.fd, port, (uint32_t)j.daisy,
					   &j.token, &info);
	if (r) {
		if (r == -ENODEV)
			fprintf(stderr, "ERROR: No such port %s (parport%u)\n",
				j.location, port);
		else if (r == -EINVAL && j.daisy >= 0)
			fprintf(stderr, "ERROR: No chain device %s: LPT%u has no IEEE 1284.3 device at address %d\n",
				j.location, port + 1, j.daisy);
		else
			fprintf(stderr, "ERROR: Cannot connect to %s: %s\n",
				j.location, strerror(-r));
		ret = r == -ENODEV || r == -EINVAL ? CUPS_BACKEND_STOP :
						      CUPS_BACKEND_FAILED;
		goto out_fd;
	}
	snprintf(j.location, sizeof(j.location), "%s", info.location);
	fprintf(stderr, "DEBUG: Connected to %s (%s)\n", j.location, info.name);

	ret = acquire(&j);
	if (ret)
		goto out_session;
	ret = select_chain_device(&j);
	if (ret)
		goto out_free;
	bc_probe(&j);
	fprintf(stderr, "INFO: Printing on %s\n", j.location);
	for (copy = 0; copy < copies && !ret; copy++) {
		if (copies > 1) {
			fprintf(stderr, "INFO: Copy %d of %d\n", copy + 1, copies);
			if (lseek(in, 0, SEEK_SET) < 0) {
				fprintf(stderr, "ERROR: Cannot rewind the job file: %s\n",
					strerror(errno));
				ret = CUPS_BACKEND_FAILED;
				break;
			}
		}
		ret = send_file(&j, in);
	}
	/* What the printer had to say once it had the whole job. */
	if (!ret)
		bc_poll(&j, true);
	if (j.reasons)
		set_reasons(&j, 0);
out_free:
	r = parclass_free(j.fd, j.token);
	if (r && !ret && r != -ENODEV)
		fprintf(stderr, "DEBUG: FREE: %s\n", strerror(-r));
	if (!ret)
		fprintf(stderr, "INFO: Sent %llu bytes to %s\n", j.sent,
			j.location);
out_session:
	parclass_disconnect(j.fd, j.token);
out_fd:
	close(j.fd);
out_in:
	if (in > 0)
		close(in);
	if (ret == -1) {
		/* SIGTERM: the job was cancelled (or cupsd stops); end cleanly. */
		fprintf(stderr, "INFO: Job cancelled after %llu bytes\n", j.sent);
		ret = CUPS_BACKEND_OK;
	}
	return ret;
}

/*
 * The device ID of port @port (of its chain device @daisy, unless -1)
 * into @buf, or "" when it has none.
 */
static void port_device_id(int fd, uint32_t port, int daisy, char *buf,
			   size_t size)
{
	uint32_t need = 0;
	uint64_t token;
	char *big;
	int r;

	buf[0] = '\0';
	if (daisy < 0)
		r = parclass_connect(fd, port, &token, NULL);
	else
		r = parclass_connect_daisy(fd, port, (uint32_t)daisy, &token,
					   NULL);
	if (r)
		return;
	r = parclass_allocate(fd, token, LIST_TIMEOUT_NS);
	if (r) {
		fprintf(stderr, "DEBUG: parport%u: no device ID read: %s\n",
			port, strerror(-r));
		goto out;
	}
	r = parclass_device_id(fd, token, 0, 0, buf, (uint32_t)size, &need);
	if (r == -ERANGE && need) {
		big = malloc(need);
		if (big && !parclass_device_id(fd, token, 0, 0, big, need, NULL))
			snprintf(buf, size, "%s", big);
		free(big);
	} else if (r) {
		buf[0] = '\0';
		fprintf(stderr, "DEBUG: parport%u: no device ID: %s\n", port,
			strerror(-r));
	}
	parclass_free(fd, token);
out:
	parclass_disconnect(fd, token);
}

static int list_devices(void)
{
	char id[2048], qid[2048], mm[256], qmm[256];
	struct parclass_port_entry *e = NULL;
	uint32_t n = 0, i;
	int fd, r;

	fd = parclass_open();
	if (fd < 0) {
		fprintf(stderr, "DEBUG: parclass: cannot open %s: %s\n",
			PARCLASS_DEVICE_PATH, strerror(-fd));
		return CUPS_BACKEND_OK;
	}
	/* The ports, each followed by its chain devices. */
	r = parclass_list_ports_flags(fd, PARCLASS_LIST_PORTS_DAISY, &e, &n);
	if (r) {
		fprintf(stderr, "DEBUG: parclass: cannot list the ports: %s\n",
			strerror(-r));
		close(fd);
		return CUPS_BACKEND_OK;
	}
	for (i = 0; i < n; i++) {
		port_device_id(fd, e[i].info.number,
			       e[i].info.flags & PARCLASS_PORT_DAISY_DEVICE ?
			       (int)e[i].info.daisy : -1, id, sizeof(id));
		pcb_make_model(id, mm, sizeof(mm));
		pcb_quote(mm, qmm, sizeof(qmm));
		pcb_quote(id, qid, sizeof(qid));
		printf("direct parclass:/%s \"%s\" \"%s (%s)\" \"%s\"\n",
		       e[i].info.location, qmm, e[i].info.location,
		       e[i].info.name, qid);
	}
	fflush(stdout);
	free(e);
	close(fd);
	return CUPS_BACKEND_OK;
}

/*
 * The side channel: fd 4 when it is a socket. Run by hand, fd 4 may be
 * anything the shell left open, which is never read.
 */
static void sc_open(void)
{
	struct stat st;

	if (!fstat(PCB_SC_FD, &st) && S_ISSOCK(st.st_mode))
		sc_fd = PCB_SC_FD;
}

/*
 * The back channel: fd 3 when it is a pipe (or a socket) open for
 * writing, as cupsd makes it. Run by hand, fd 3 may be anything the shell
 * left open, which is never written.
 */
static void bc_open(void)
{
	int fl = fcntl(PCB_BC_FD, F_GETFL);
	struct stat st;

	if (fl >= 0 && (fl & O_ACCMODE) != O_RDONLY &&
	    !fstat(PCB_BC_FD, &st) &&
	    (S_ISFIFO(st.st_mode) || S_ISSOCK(st.st_mode)))
		bc_fd = PCB_BC_FD;
}

int main(int argc, char **argv)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_term;	/* no SA_RESTART: waits end with EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stderr, NULL, _IOLBF, 0);
	sc_open();
	bc_open();

	if (argc == 1)
		return list_devices();
	if (argc == 6 || argc == 7)
		return run_job(argc, argv);
	fprintf(stderr, "Usage: %s job-id user title copies options [file]\n",
		argv[0]);
	return CUPS_BACKEND_FAILED;
}
