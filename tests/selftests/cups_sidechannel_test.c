// SPDX-License-Identifier: GPL-2.0
/*
 * cups_sidechannel_test: the CUPS backend (/usr/lib/cups/backend/parclass)
 * answers the side channel as cupsd's filters use it: requests on fd 4, a
 * socket, in CUPS' format (command, status, 2-byte big-endian length,
 * data), while it prints a job from stdin to a simulated port; and it
 * passes what the printer sends back on to the back channel, fd 3.
 *
 * - While the job holds the port: GET_DEVICE_ID gives the peripheral's
 *   ID, GET_STATE online (and media empty while the paper is out),
 *   GET_BIDI not supported (no back channel), GET_CONNECTED connected, SOFT_RESET succeeds
 *   (the reset pulses nInit), SNMP is not implemented and malformed
 *   requests are bad messages; DRAIN_OUTPUT is answered once what the
 *   job had written before it has reached the peripheral. The job's
 *   bytes reach the peripheral exactly, the ID read in between adding
 *   none.
 * - While the printer is stopped (paper out mid-job) the backend still
 *   answers, and GET_STATE says media empty; DRAIN_OUTPUT is answered
 *   only once the paper is back and the job's bytes are out.
 * - While the job waits for the port behind another client, GET_CONNECTED,
 *   GET_BIDI (not supported: the printer is not asked yet) and SNMP are
 *   answered at once (then GET_BIDI says supported);
 *   GET_DEVICE_ID is answered once the job has the port, not before, and
 *   so is a request sent behind it (the answers keep the requests'
 *   order). A request in two pieces gets one answer, two in one piece
 *   two.
 * - With a pipe at fd 3 and a printer with reverse modes (all of them:
 *   byte mode; nibble mode only): GET_BIDI says
 *   supported, what the printer sends while the job waits for data
 *   arrives on the pipe, and so does what it sends just before the
 *   job's end, once; the status still reads right; none of it reaches
 *   the printer's input. A printer without IEEE 1284 modes: GET_BIDI
 *   not supported, its reverse bytes never read, the pipe empty.
 * - fd 4 that is not a socket (a shell's leftover) is never read, and
 *   fd 3 that is not a pipe (a file) never written.
 */
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
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "pc_ops.h"
#include "sim_control.h"

#define BACKEND		"/usr/lib/cups/backend/parclass"
#define ID		"MFG:Acme;MDL:Side Jet 2;CMD:PJL,PCL;CLS:PRINTER;"
/* How long an answer may take, at most. */
#define ANSWER_MS	5000

/* CUPS' side channel (cups/sidechannel.h). */
enum {
	SC_SOFT_RESET = 1, SC_DRAIN_OUTPUT, SC_GET_BIDI, SC_GET_DEVICE_ID,
	SC_GET_STATE, SC_SNMP_GET, SC_SNMP_GET_NEXT, SC_GET_CONNECTED,
};

enum {
	SC_STATUS_OK = 1, SC_STATUS_BAD_MESSAGE = 5,
	SC_STATUS_NOT_IMPLEMENTED = 7,
};

#define SC_STATE_ONLINE		0x01
#define SC_STATE_MEDIA_EMPTY	0x20

struct answer {
	int command;
	int status;
	int len;
	unsigned char data[1024];
};

struct sc_ctx {
	char sim[32];
	char err[64];
	int num;
	int sock;		/* the filters' end of the side channel */
	int bc;			/* the filters' end of the back channel */
	int job;		/* the job's stdin, the writing end */
	pid_t pid;
};

FIXTURE(sc) {
	struct sc_ctx c;
};

FIXTURE_SETUP(sc)
{
	struct sc_ctx *t = &self->c;

	alarm(60);
	t->pid = -1;
	t->sock = -1;
	t->bc = -1;
	t->job = -1;
	snprintf(t->sim, sizeof(t->sim), "cupssc%d", (int)getpid());
	snprintf(t->err, sizeof(t->err), "/tmp/cups_sidechannel.%d.err",
		 (int)getpid());
	t->num = sim_create(t->sim, "device_id", ID);
	ASSERT_LE(0, t->num);
	ASSERT_EQ(0, sim_puts(t->sim, "forward", "x"));
}

FIXTURE_TEARDOWN(sc)
{
	struct sc_ctx *t = &self->c;

	if (t->pid > 0) {
		kill(t->pid, SIGKILL);
		waitpid(t->pid, NULL, 0);
	}
	if (t->sock >= 0)
		close(t->sock);
	if (t->bc >= 0)
		close(t->bc);
	if (t->job >= 0)
		close(t->job);
	sim_destroy(t->sim);
	unlink(t->err);
}

/*
 * Start the backend on the fixture's port as cupsd does: a job from a
 * pipe on stdin, @fd4 (a socket's end, or anything else) as fd 4 and @fd3
 * (a pipe's writing end, or anything else) as fd 3; -1 leaves the fd
 * closed.
 */
static pid_t start_backend(struct sc_ctx *t, int fd4, int fd3)
{
	char uri[32];
	int in[2];
	pid_t pid;

	if (pipe2(in, O_CLOEXEC))
		return -1;
	snprintf(uri, sizeof(uri), "parclass:/LPT%d", t->num + 1);
	pid = fork();
	if (pid < 0)
		return -1;
	if (!pid) {
		int err = open(t->err, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			       0644);
		/* Out of the way of 3 and 4 first: either may be the other. */
		int hi3 = fd3 >= 0 ? fcntl(fd3, F_DUPFD_CLOEXEC, 10) : -1;
		int hi4 = fd4 >= 0 ? fcntl(fd4, F_DUPFD_CLOEXEC, 10) : -1;

		if (err < 0 || dup2(in[0], 0) < 0 || dup2(err, 2) < 0 ||
		    (fd3 >= 0 && hi3 < 0) || (fd4 >= 0 && hi4 < 0))
			_exit(126);
		close(3);
		close(4);
		/* dup2() leaves the new fd open across exec. */
		if ((hi3 >= 0 && dup2(hi3, 3) < 0) ||
		    (hi4 >= 0 && dup2(hi4, 4) < 0))
			_exit(126);
		setenv("DEVICE_URI", uri, 1);
		execl(BACKEND, BACKEND, "1", "user", "title", "1", "", NULL);
		_exit(127);
	}
	close(in[0]);
	t->job = in[1];
	t->pid = pid;
	return pid;
}

/*
 * Read from the back channel @fd until its end (the backend gone), at
 * most @size - 1 bytes, within @ms: the count, or -1.
 */
static int bc_read_all(int fd, char *buf, int size, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int got = 0;
	ssize_t n;

	for (;;) {
		if (poll(&p, 1, ms) != 1)
			return -1;
		n = read(fd, buf + got, size - 1 - got);
		if (n < 0)
			return -1;
		if (!n || got + n == size - 1) {
			got += n;
			buf[got] = '\0';
			return got;
		}
		got += n;
	}
}

/* Read exactly @len bytes from the back channel @fd within @ms: 0 or -1. */
static int bc_read_n(int fd, char *buf, int len, int ms)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };
	int got = 0;
	ssize_t n;

	while (got < len) {
		if (poll(&p, 1, ms) != 1)
			return -1;
		n = read(fd, buf + got, len - got);
		if (n <= 0)
			return -1;
		got += n;
	}
	buf[got] = '\0';
	return 0;
}

/* Write @text to the job's stdin. */
static int job_write(struct sc_ctx *t, const char *text)
{
	size_t len = strlen(text);

	return write(t->job, text, len) == (ssize_t)len ? 0 : -1;
}

/* Has the peripheral received exactly @want, within @ms? */
static int forward_becomes(const char *sim, const char *want, int ms)
{
	char got[256];
	ssize_t n;

	for (;;) {
		n = sim_get(sim, "forward", got, sizeof(got));
		if (n == (ssize_t)strlen(want) && !memcmp(got, want, n))
			return 1;
		if (ms <= 0)
			return 0;
		sim_sleep_ms(10);
		ms -= 10;
	}
}

/* Send a request: command @cmd and @len bytes of @data. */
static int sc_send(int sock, int cmd, const void *data, int len)
{
	unsigned char msg[64];

	msg[0] = cmd;
	msg[1] = 0;
	msg[2] = len >> 8;
	msg[3] = len & 0xff;
	memcpy(msg + 4, data, len);
	return send(sock, msg, 4 + len, MSG_NOSIGNAL) == 4 + len ? 0 : -1;
}

/*
 * One answer, within @ms: 0, or -1 when none came. Exactly one: its
 * header, then as many bytes as the header says (an answer behind it
 * stays for the next call).
 */
static int sc_recv(int sock, struct answer *a, int ms)
{
	unsigned char hdr[4];
	struct pollfd p = { .fd = sock, .events = POLLIN };
	int len;

	if (poll(&p, 1, ms) != 1)
		return -1;
	if (recv(sock, hdr, 4, MSG_WAITALL) != 4)
		return -1;
	len = (hdr[2] << 8) | hdr[3];
	if (len > (int)sizeof(a->data) - 1 ||
	    (len && recv(sock, a->data, len, MSG_WAITALL) != len))
		return -1;
	a->command = hdr[0];
	a->status = hdr[1];
	a->len = len;
	a->data[len] = '\0';
	return 0;
}

/* Ask @cmd (no data) and read the answer, which must be @cmd's. */
static int sc_ask(int sock, int cmd, struct answer *a)
{
	if (sc_send(sock, cmd, NULL, 0) || sc_recv(sock, a, ANSWER_MS))
		return -1;
	return a->command == cmd ? 0 : -1;
}

/*
 * No answer besides those read waits in the socket: nothing to read, or
 * its end (the backend gone).
 */
static bool none_left(int sock)
{
	ssize_t n;
	char c;

	n = recv(sock, &c, 1, MSG_DONTWAIT);
	return n == 0 || (n < 0 && errno == EAGAIN);
}

/* The backend ends within @ms; its exit status, or -1. */
static int backend_exit(struct sc_ctx *t, int ms)
{
	int status;
	pid_t got;

	for (;;) {
		got = waitpid(t->pid, &status, WNOHANG);
		if (got == t->pid) {
			t->pid = -1;
			return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
		}
		if (ms <= 0)
			return -1;
		sim_sleep_ms(10);
		ms -= 10;
	}
}

/*
 * Start the backend as cupsd does, with a side channel and, with @back,
 * a back-channel pipe: the filters' ends in @t (the fixture closes them).
 */
static int start_with_channels(struct sc_ctx *t, bool back)
{
	int sv[2], bc[2] = { -1, -1 };

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		return -1;
	t->sock = sv[0];
	if (back) {
		if (pipe2(bc, O_CLOEXEC)) {
			close(sv[1]);
			return -1;
		}
		t->bc = bc[0];
	}
	if (start_backend(t, sv[1], bc[1]) < 0)
		return -1;
	close(sv[1]);
	if (back)
		close(bc[1]);
	return 0;
}

/* Start the backend with a side channel, and put @first on the port. */
static int start_with_side_channel(struct sc_ctx *t,
				   const char *first)
{
	if (start_with_channels(t, false) || job_write(t, first))
		return -1;
	return forward_becomes(t->sim, first, ANSWER_MS) ? 0 : -1;
}

TEST_F(sc, answers_while_the_job_holds_the_port)
{
	struct sc_ctx *t = &self->c;
	static const unsigned char bad_len[] = { SC_GET_STATE, 0, 0, 9 };
	static const unsigned char bad_cmd[] = { 0, 0, 0, 0 };
	long long pulses;
	struct answer a;

	ASSERT_EQ(0, start_with_side_channel(t, "first part\n"));

	ASSERT_EQ(0, sc_ask(t->sock, SC_GET_DEVICE_ID, &a));
	EXPECT_EQ(SC_GET_DEVICE_ID, a.command);
	EXPECT_EQ(SC_STATUS_OK, a.status);
	EXPECT_STREQ(ID, (char *)a.data);

	ASSERT_EQ(0, sc_ask(t->sock, SC_GET_STATE, &a));
	EXPECT_EQ(SC_STATUS_OK, a.status);
	ASSERT_EQ(1, a.len);
	EXPECT_EQ(SC_STATE_ONLINE, a.data[0]);

	ASSERT_EQ(0, sc_ask(t->sock, SC_GET_BIDI, &a));
	EXPECT_EQ(SC_STATUS_OK, a.status);
	ASSERT_EQ(1, a.len);
	EXPECT_EQ(0, a.data[0]);

	ASSERT_EQ(0, sc_ask(t->sock, SC_GET_CONNECTED, &a));
	EXPECT_EQ(SC_STATUS_OK, a.status);
	ASSERT_EQ(1, a.len);
	EXPECT_EQ(1, a.data[0]);

	ASSERT_EQ(0, sc_ask(t->sock, SC_DRAIN_OUTPUT, &a));
	EXPECT_EQ(SC_DRAIN_OUTPUT, a.command);
	EXPECT_EQ(SC_STATUS_OK, a.status);
	EXPECT_EQ(0, a.len);

	ASSERT_EQ(0, sc_send(t->sock, SC_SNMP_GET, "1.3.6", 5));
	ASSERT_EQ(0, sc_recv(t->sock, &a, ANSWER_MS));
	EXPECT_EQ(SC_SNMP_GET, a.command);
	EXPECT_EQ(SC_STATUS_NOT_IMPLEMENTED, a.status);
	EXPECT_EQ(0, a.len);

	/* A request in two pieces, 20 ms apart: one answer. */
	ASSERT_EQ(4, send(t->sock, "\x06\x00\x00\x05", 4, MSG_NOSIGNAL));
	sim_sleep_ms(20);
	ASSERT_EQ(5, send(t->sock, "1.3.6", 5, MSG_NOSIGNAL));
	ASSERT_EQ(0, sc_recv(t->sock, &a, ANSWER_MS));
	EXPECT_EQ(SC_SNMP_GET, a.command);
	EXPECT_EQ(SC_STATUS_NOT_IMPLEMENTED, a.status);
	EXPECT_EQ(-1, sc_recv(t->sock, &a, 200));

	/* Malformed: a length past the data, a command CUPS does not have. */
	ASSERT_EQ(4, send(t->sock, bad_len, 4, MSG_NOSIGNAL));
	ASSERT_EQ(0, sc_recv(t->sock, &a, ANSWER_MS));
	EXPECT_EQ(SC_GET_STATE, a.command);
	EXPECT_EQ(SC_STATUS_BAD_MESSAGE, a.status);
	ASSERT_EQ(4, send(t->sock, bad_cmd, 4, MSG_NOSIGNAL));
	ASSERT_EQ(0, sc_recv(t->sock, &a, ANSWER_MS));
	EXPECT_EQ(0, a.command);
	EXPECT_EQ(SC_STATUS_BAD_MESSAGE, a.status);

	/* Paper out between two writes. */
	ASSERT_EQ(0, sim_puts(t->sim, "faults", "paperout"));
	ASSERT_EQ(0, sc_ask(t->sock, SC_GET_STATE, &a));
	ASSERT_EQ(1, a.len);
	EXPECT_EQ(SC_STATE_ONLINE | SC_STATE_MEDIA_EMPTY, a.data[0]);
	ASSERT_EQ(0, sim_puts(t->sim, "faults", "none"));

	pulses = sim_state(t->sim, "init_pulses");
	ASSERT_LE(0, pulses);
	ASSERT_EQ(0, sc_ask(t->sock, SC_SOFT_RESET, &a));
	EXPECT_EQ(SC_SOFT_RESET, a.command);
	EXPECT_EQ(SC_STATUS_OK, a.status);
	EXPECT_EQ(pulses + 1, sim_state(t->sim, "init_pulses"));

	/* The rest of the job, drained; only its bytes reached the printer. */
	ASSERT_EQ(0, job_write(t, "second part\n"));
	ASSERT_EQ(0, sc_ask(t->sock, SC_DRAIN_OUTPUT, &a));
	EXPECT_EQ(SC_DRAIN_OUTPUT, a.command);
	EXPECT_EQ(SC_STATUS_OK, a.status);
	EXPECT_TRUE(forward_becomes(t->sim, "first part\nsecond part\n", 0));
	close(t->job);
	t->job = -1;
	EXPECT_EQ(0, backend_exit(t, 10000));
	EXPECT_TRUE(none_left(t->sock));
	EXPECT_TRUE(forward_becomes(t->sim, "first part\nsecond part\n",
				    0));
}

TEST_F(sc, answers_while_the_printer_is_stopped)
{
	struct sc_ctx *t = &self->c;
	struct answer a;

	ASSERT_EQ(0, start_with_side_channel(t, "before\n"));
	ASSERT_EQ(0, sim_puts(t->sim, "faults", "paperout"));
	ASSERT_EQ(0, job_write(t, "after the paper ran out\n"));
	/* The WRITE times out after 1 s; then the backend polls the status. */
	sim_sleep_ms(1500);
	ASSERT_EQ(0, sc_ask(t->sock, SC_GET_STATE, &a));
	EXPECT_EQ(SC_STATUS_OK, a.status);
	ASSERT_EQ(1, a.len);
	EXPECT_EQ(SC_STATE_ONLINE | SC_STATE_MEDIA_EMPTY, a.data[0]);
	ASSERT_EQ(0, sc_ask(t->sock, SC_GET_DEVICE_ID, &a));
	EXPECT_EQ(SC_STATUS_OK, a.status);
	EXPECT_STREQ(ID, (char *)a.data);

	/* The job's bytes are not out: no answer to DRAIN_OUTPUT yet. */
	ASSERT_EQ(0, sc_send(t->sock, SC_DRAIN_OUTPUT, NULL, 0));
	EXPECT_EQ(-1, sc_recv(t->sock, &a, 1000));
	ASSERT_EQ(0, sim_puts(t->sim, "faults", "none"));
	ASSERT_EQ(0, sc_recv(t->sock, &a, ANSWER_MS));
	EXPECT_EQ(SC_DRAIN_OUTPUT, a.command);
	EXPECT_EQ(SC_STATUS_OK, a.status);
	EXPECT_TRUE(forward_becomes(t->sim,
				    "before\nafter the paper ran out\n", 0));
	close(t->job);
	t->job = -1;
	EXPECT_EQ(0, backend_exit(t, 10000));
	EXPECT_TRUE(none_left(t->sock));
	EXPECT_TRUE(forward_becomes(t->sim,
				    "before\nafter the paper ran out\n", 0));
}

TEST_F(sc, while_the_job_waits_for_the_port)
{
	struct sc_ctx *t = &self->c;
	__u32 waiters = 0, other = 0;
	struct answer a;
	int fd, tries;
	__u64 token;

	fd = pc_open();
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, pc_connect(fd, t->num, &token));
	ASSERT_EQ(0, pc_try_allocate(fd, token));

	ASSERT_EQ(0, start_with_channels(t, true));
	/* Once the backend waits for the port behind this session. */
	for (tries = 0; tries < 500; tries++) {
		ASSERT_EQ(0, pc_num_waiters(fd, token, &waiters, &other));
		if (waiters + other)
			break;
		sim_sleep_ms(10);
	}
	ASSERT_EQ(1, waiters + other);

	/* What needs no port is answered while another client holds it. */
	ASSERT_EQ(0, sc_ask(t->sock, SC_GET_CONNECTED, &a));
	EXPECT_EQ(SC_GET_CONNECTED, a.command);
	EXPECT_EQ(SC_STATUS_OK, a.status);
	ASSERT_EQ(1, a.len);
	EXPECT_EQ(1, a.data[0]);
	/* Not supported yet: the printer is asked once the job has the port. */
	ASSERT_EQ(0, sc_ask(t->sock, SC_GET_BIDI, &a));
	EXPECT_EQ(SC_GET_BIDI, a.command);
	EXPECT_EQ(SC_STATUS_OK, a.status);
	ASSERT_EQ(1, a.len);
	EXPECT_EQ(0, a.data[0]);
	ASSERT_EQ(0, sc_send(t->sock, SC_SNMP_GET, "\x2b\x06", 2));
	ASSERT_EQ(0, sc_recv(t->sock, &a, ANSWER_MS));
	EXPECT_EQ(SC_SNMP_GET, a.command);
	EXPECT_EQ(SC_STATUS_NOT_IMPLEMENTED, a.status);
	/* Two requests in one piece: two answers, in order. */
	ASSERT_EQ(8, send(t->sock, "\x03\x00\x00\x00\x08\x00\x00\x00", 8,
			  MSG_NOSIGNAL));
	ASSERT_EQ(0, sc_recv(t->sock, &a, ANSWER_MS));
	EXPECT_EQ(SC_GET_BIDI, a.command);
	ASSERT_EQ(0, sc_recv(t->sock, &a, ANSWER_MS));
	EXPECT_EQ(SC_GET_CONNECTED, a.command);
	EXPECT_TRUE(none_left(t->sock));

	/*
	 * The device ID needs the port: no answer while another client
	 * holds it, and none for the request sent behind it either, so
	 * that the answers keep the requests' order.
	 */
	ASSERT_EQ(0, sc_send(t->sock, SC_GET_DEVICE_ID, NULL, 0));
	EXPECT_EQ(-1, sc_recv(t->sock, &a, 500));
	ASSERT_EQ(0, sc_send(t->sock, SC_GET_CONNECTED, NULL, 0));
	EXPECT_EQ(-1, sc_recv(t->sock, &a, 300));
	ASSERT_EQ(0, pc_num_waiters(fd, token, &waiters, &other));
	EXPECT_EQ(1, waiters + other);
	ASSERT_EQ(0, pc_free(fd, token));
	ASSERT_EQ(0, sc_recv(t->sock, &a, ANSWER_MS));
	EXPECT_EQ(SC_GET_DEVICE_ID, a.command);
	EXPECT_EQ(SC_STATUS_OK, a.status);
	EXPECT_STREQ(ID, (char *)a.data);
	ASSERT_EQ(0, sc_recv(t->sock, &a, ANSWER_MS));
	EXPECT_EQ(SC_GET_CONNECTED, a.command);
	EXPECT_EQ(SC_STATUS_OK, a.status);
	/* The job has the port, and the printer was asked. */
	ASSERT_EQ(0, sc_ask(t->sock, SC_GET_BIDI, &a));
	ASSERT_EQ(1, a.len);
	EXPECT_EQ(1, a.data[0]);

	ASSERT_EQ(0, job_write(t, "granted\n"));
	close(t->job);
	t->job = -1;
	EXPECT_EQ(0, backend_exit(t, 10000));
	EXPECT_TRUE(none_left(t->sock));
	EXPECT_TRUE(forward_becomes(t->sim, "granted\n", 0));
	EXPECT_EQ(0, pc_disconnect(fd, token));
	close(fd);
}

/*
 * A job with a pipe at fd 3 on a printer with reverse modes @modes: what
 * it sends back reaches the pipe, once, and none of it its input.
 */
static void back_channel_job(struct __test_metadata *_metadata,
			     struct sc_ctx *t, const char *modes)
{
	static const char pjl[] = "@PJL USTATUS DEVICE\r\nCODE=10001\r\n";
	static const char eoj[] = "@PJL EOJ NAME=\"1\"\r\n";
	char got[256], left[64];
	struct answer a;

	ASSERT_EQ(0, sim_puts(t->sim, "modes", modes));
	ASSERT_EQ(0, start_with_channels(t, true));
	ASSERT_EQ(0, job_write(t, "first part\n"));
	ASSERT_TRUE(forward_becomes(t->sim, "first part\n", ANSWER_MS));

	ASSERT_EQ(0, sc_ask(t->sock, SC_GET_BIDI, &a));
	EXPECT_EQ(SC_STATUS_OK, a.status);
	ASSERT_EQ(1, a.len);
	EXPECT_EQ(1, a.data[0]);	/* CUPS_SC_BIDI_SUPPORTED */

	/* It talks while the job waits for the filters' data. */
	ASSERT_EQ(0, sim_puts(t->sim, "reverse", pjl));
	ASSERT_EQ(0, bc_read_n(t->bc, got, strlen(pjl), ANSWER_MS));
	EXPECT_STREQ(pjl, got);
	/* The status still reads right between the reads. */
	ASSERT_EQ(0, sc_ask(t->sock, SC_GET_STATE, &a));
	ASSERT_EQ(1, a.len);
	EXPECT_EQ(SC_STATE_ONLINE, a.data[0]);

	/* And at the job's end: everything, once, and no byte of it sent. */
	ASSERT_EQ(0, job_write(t, "second part\n"));
	ASSERT_TRUE(forward_becomes(t->sim, "first part\nsecond part\n",
				    ANSWER_MS));
	ASSERT_EQ(0, sim_puts(t->sim, "reverse", eoj));
	close(t->job);
	t->job = -1;
	EXPECT_EQ(0, backend_exit(t, 10000));
	EXPECT_EQ((int)strlen(eoj), bc_read_all(t->bc, got, sizeof(got),
						ANSWER_MS));
	EXPECT_STREQ(eoj, got);
	EXPECT_EQ(0, sim_get(t->sim, "reverse", left, sizeof(left)));
	EXPECT_TRUE(forward_becomes(t->sim, "first part\nsecond part\n", 0));
	EXPECT_TRUE(none_left(t->sock));
}

/* The simulated printer's every mode: the back channel in byte mode. */
TEST_F(sc, back_channel_passes_on_what_the_printer_sends)
{
	back_channel_job(_metadata, &self->c, "nibble byte ecp epp");
}

TEST_F(sc, back_channel_in_nibble_mode)
{
	back_channel_job(_metadata, &self->c, "nibble");
}

TEST_F(sc, no_back_channel_from_a_printer_without_ieee1284)
{
	struct sc_ctx *t = &self->c;
	char got[64], left[64];
	struct answer a;

	ASSERT_EQ(0, sim_puts(t->sim, "modes", "none"));
	ASSERT_EQ(0, sim_puts(t->sim, "reverse", "never read"));
	ASSERT_EQ(0, start_with_channels(t, true));
	ASSERT_EQ(0, job_write(t, "one-way\n"));
	ASSERT_TRUE(forward_becomes(t->sim, "one-way\n", ANSWER_MS));
	ASSERT_EQ(0, sc_ask(t->sock, SC_GET_BIDI, &a));
	ASSERT_EQ(1, a.len);
	EXPECT_EQ(0, a.data[0]);	/* CUPS_SC_BIDI_NOT_SUPPORTED */
	close(t->job);
	t->job = -1;
	EXPECT_EQ(0, backend_exit(t, 10000));
	EXPECT_EQ(0, bc_read_all(t->bc, got, sizeof(got), ANSWER_MS));
	EXPECT_EQ(10, sim_get(t->sim, "reverse", left, sizeof(left)));
	EXPECT_TRUE(forward_becomes(t->sim, "one-way\n", 0));
}

TEST_F(sc, fd_4_that_is_not_a_socket_is_never_read)
{
	struct sc_ctx *t = &self->c;
	char left[16] = "", path[64];
	struct stat st;
	int p[2], f;

	/* fd 3 a file, not a pipe: never written, the printer never read. */
	snprintf(path, sizeof(path), "/tmp/cups_sidechannel.%d.fd3",
		 (int)getpid());
	f = open(path, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	ASSERT_LE(0, f);
	unlink(path);
	ASSERT_EQ(0, sim_puts(t->sim, "reverse", "talkback"));
	ASSERT_EQ(0, pipe(p));
	ASSERT_EQ(4, write(p[1], "abcd", 4));
	ASSERT_LT(0, start_backend(t, p[0], f));
	ASSERT_EQ(0, job_write(t, "plain job\n"));
	close(t->job);
	t->job = -1;
	EXPECT_EQ(0, backend_exit(t, 10000));
	EXPECT_TRUE(forward_becomes(t->sim, "plain job\n", 0));
	/* What the pipe held is all still there. */
	close(p[1]);
	EXPECT_EQ(4, read(p[0], left, sizeof(left)));
	EXPECT_STREQ("abcd", left);
	close(p[0]);
	ASSERT_EQ(0, fstat(f, &st));
	EXPECT_EQ(0, st.st_size);
	close(f);
	EXPECT_EQ(8, sim_get(t->sim, "reverse", left, sizeof(left)));
}

TEST_HARNESS_MAIN
