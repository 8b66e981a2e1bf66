// SPDX-License-Identifier: GPL-2.0
/*
 * guest-seed: credit the test guest's random pool with the seed the host
 * put in its initramfs (/etc/parclass/seed, fresh random bytes each run),
 * as a distribution's boot does with its saved seed.
 *
 * Why: without it the guest's generator becomes ready only after seconds
 * (Debian's kernels) or a minute and more (the debug kernel), and at that
 * moment the kernel patches its own code (the crng_is_ready static key).
 * Under QEMU's multi-threaded TCG a CPU running that code while the other
 * patches it has been seen to trap (an int3 Oops in crng_make_state,
 * from parclass's CONNECT). Crediting the seed at boot makes the switch
 * happen here, before any test runs.
 */
#include <fcntl.h>
#include <linux/random.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define SEED_BYTES 64

int main(void)
{
	struct {
		struct rand_pool_info info;
		unsigned char buf[SEED_BYTES];
	} seed;
	int fd, in;

	in = open("/etc/parclass/seed", O_RDONLY | O_CLOEXEC);
	if (in < 0 || read(in, seed.buf, SEED_BYTES) != SEED_BYTES) {
		perror("guest-seed: /etc/parclass/seed");
		return 1;
	}
	close(in);
	seed.info.entropy_count = SEED_BYTES * 8;
	seed.info.buf_size = SEED_BYTES;
	fd = open("/dev/random", O_WRONLY | O_CLOEXEC);
	if (fd < 0 || ioctl(fd, RNDADDENTROPY, &seed) < 0) {
		perror("guest-seed: RNDADDENTROPY");
		return 1;
	}
	close(fd);
	return 0;
}
