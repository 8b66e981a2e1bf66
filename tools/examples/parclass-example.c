// SPDX-License-Identifier: GPL-2.0
/*
 * parclass-example: the whole life of a parclass client, twice.
 *
 *   parclass-example PORT FILE
 *
 * First through the Linux interface (libparclass): connect, allocate,
 * print FILE, free, disconnect, then try the dead token. Then through
 * the Windows-shaped layer: the same requests with the Windows control
 * codes, each completing with an NTSTATUS and the bytes returned.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <parclass/libparclass.h>
#include <parclass/parclass_win.h>

static int fail(const char *what, int err)
{
	fprintf(stderr, "%s: %s\n", what, strerror(-err));
	return 1;
}

static int linux_flow(uint32_t port, const char *data, uint32_t len)
{
	struct parclass_port_info info;
	uint32_t written;
	uint64_t token;
	int fd, ret;

	fd = parclass_open();
	if (fd < 0)
		return fail("open /dev/parclass", fd);
	ret = parclass_connect(fd, port, &token, &info);
	if (ret)
		return fail("CONNECT", ret);
	printf("CONNECT    -> token %#018" PRIx64 ", %s (%s) at %#" PRIx64 "\n",
	       token, info.name, info.location, (uint64_t)info.base);
	ret = parclass_allocate(fd, token, 5000000000ULL);
	if (ret)
		return fail("ALLOCATE", ret);
	printf("ALLOCATE   -> the port is ours\n");
	ret = parclass_write(fd, token, data, len, 0, &written);
	if (ret)
		return fail("WRITE", ret);
	printf("WRITE      -> %u bytes sent to the printer\n", written);
	ret = parclass_free(fd, token);
	if (ret)
		return fail("FREE", ret);
	printf("FREE       -> released\n");
	ret = parclass_disconnect(fd, token);
	if (ret)
		return fail("DISCONNECT", ret);
	printf("DISCONNECT -> the token is dead now\n");

	ret = parclass_allocate(fd, token, 0);
	printf("ALLOCATE with the dead token -> %s (%s)\n",
	       ret == -ESTALE ? "ESTALE" : "unexpected",
	       ret ? strerror(-ret) : "success");
	close(fd);
	return ret == -ESTALE ? 0 : 1;
}

static void show(const char *what, NTSTATUS status, const IO_STATUS_BLOCK *io)
{
	printf("%-38s Status=0x%08" PRIX32 " Information=%" PRIu64 "\n", what,
	       (uint32_t)status, io->Information);
}

static int windows_flow(uint32_t port)
{
	PARALLEL_PORT_INFORMATION ppi;
	PARCLASS_INFORMATION pci;
	PARCLASS_HANDLE h;
	IO_STATUS_BLOCK io;
	NTSTATUS st;
	uint8_t is_free;
	char location[16];
	int bad = 0;

	st = ParclassOpen(port, &h);
	if (st != STATUS_SUCCESS) {
		printf("ParclassOpen: Status=0x%08" PRIX32 "\n", (uint32_t)st);
		return 1;
	}
	st = ParclassDeviceIoControl(h, IOCTL_INTERNAL_PARCLASS_CONNECT, NULL,
				     0, &pci, sizeof(pci), &io);
	show("IOCTL_INTERNAL_PARCLASS_CONNECT", st, &io);
	bad |= st != STATUS_SUCCESS;
	st = ParclassDeviceIoControl(h, IOCTL_INTERNAL_GET_PARALLEL_PORT_INFO,
				     NULL, 0, &ppi, sizeof(ppi), &io);
	show("IOCTL_INTERNAL_GET_PARALLEL_PORT_INFO", st, &io);
	bad |= st != STATUS_SUCCESS;
	printf("    Controller=%#" PRIx64 " Span=%u Context=%#" PRIx64 "\n",
	       ppi.Controller, ppi.SpanOfController, ppi.Context);
	st = ParclassUserDeviceIoControl(h, IOCTL_PAR_QUERY_LOCATION, NULL, 0,
					 location, sizeof(location), &io);
	show("IOCTL_PAR_QUERY_LOCATION", st, &io);
	bad |= st != STATUS_SUCCESS;
	printf("    %s\n", location);
	st = ParclassDeviceIoControl(h, IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
				     NULL, 0, NULL, 0, &io);
	show("IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE", st, &io);
	bad |= st != STATUS_SUCCESS;
	st = ParclassUserDeviceIoControl(h, IOCTL_PAR_IS_PORT_FREE, NULL, 0,
					 &is_free, sizeof(is_free), &io);
	show("IOCTL_PAR_IS_PORT_FREE", st, &io);
	printf("    %s\n", is_free ? "TRUE" : "FALSE (we hold it)");
	st = ParclassDeviceIoControl(h, IOCTL_INTERNAL_PARALLEL_PORT_FREE,
				     NULL, 0, NULL, 0, &io);
	show("IOCTL_INTERNAL_PARALLEL_PORT_FREE", st, &io);
	bad |= st != STATUS_SUCCESS;
	st = ParclassDeviceIoControl(h, IOCTL_INTERNAL_PARCLASS_DISCONNECT,
				     NULL, 0, NULL, 0, &io);
	show("IOCTL_INTERNAL_PARCLASS_DISCONNECT", st, &io);
	bad |= st != STATUS_SUCCESS;
	st = ParclassDeviceIoControl(h, IOCTL_INTERNAL_PARALLEL_PORT_ALLOCATE,
				     NULL, 0, NULL, 0, &io);
	show("ALLOCATE after DISCONNECT", st, &io);
	printf("    STATUS_INVALID_HANDLE: the connection is dead\n");
	bad |= st != STATUS_INVALID_HANDLE;
	ParclassClose(h);
	return bad;
}

int main(int argc, char **argv)
{
	static char data[65536];
	uint32_t port;
	ssize_t len;
	int in;

	if (argc != 3) {
		fprintf(stderr, "usage: %s PORT FILE\n", argv[0]);
		return 2;
	}
	port = strtoul(argv[1], NULL, 10);
	in = open(argv[2], O_RDONLY);
	if (in < 0) {
		perror(argv[2]);
		return 1;
	}
	len = read(in, data, sizeof(data));
	close(in);
	if (len < 0) {
		perror(argv[2]);
		return 1;
	}

	printf("== The Linux interface (libparclass)\n");
	if (linux_flow(port, data, len))
		return 1;
	printf("\n== The Windows-shaped layer (ParclassDeviceIoControl)\n");
	return windows_flow(port);
}
