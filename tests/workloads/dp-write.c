// SPDX-License-Identifier: GPL-2.0
/*
 * dp-write [-t] FILE VALUE: write VALUE (plus a newline) to FILE in one
 * write() and print "OK" or the errno's name, so tests can assert on the
 * exact error code.  With -t, also print the CLOCK_MONOTONIC nanoseconds
 * before and after the write (comparable with the kernel's ktime_get_ns()).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const struct {
	int err;
	const char *name;
} names[] = {
	{ EINVAL, "EINVAL" }, { ERANGE, "ERANGE" }, { EBUSY, "EBUSY" },
	{ EPERM, "EPERM" }, { EOPNOTSUPP, "EOPNOTSUPP" }, { ENOMEM, "ENOMEM" },
	{ ENOENT, "ENOENT" }, { EACCES, "EACCES" }, { EINTR, "EINTR" },
	{ ECANCELED, "ECANCELED" }, { ESRCH, "ESRCH" }, { EIO, "EIO" },
};

static void print_errno(int err)
{
	size_t i;

	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (names[i].err == err) {
			printf("%s", names[i].name);
			return;
		}
	}
	printf("errno%d", err);
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	unsigned long long t0, t1;
	int timed = argc > 1 && !strcmp(argv[1], "-t");
	char buf[4096];
	int fd, len;
	ssize_t ret;

	if (argc != 3 + timed) {
		fprintf(stderr, "usage: %s [-t] FILE VALUE\n", argv[0]);
		return 2;
	}
	len = snprintf(buf, sizeof(buf), "%s\n", argv[2 + timed]);
	fd = open(argv[1 + timed], O_WRONLY);
	if (fd < 0) {
		/* Refused at open (a read-only file): the same for tests. */
		print_errno(errno);
		printf("\n");
		return 1;
	}
	t0 = now_ns();
	ret = write(fd, buf, len);
	t1 = now_ns();
	if (ret < 0)
		print_errno(errno);
	else
		printf("OK");
	if (timed)
		printf(" %llu %llu", t0, t1);
	printf("\n");
	close(fd);
	return ret < 0;
}
