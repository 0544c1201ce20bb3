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

#include "errname.h"

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
		printf("%s", errname(errno));
		printf("\n");
		return 1;
	}
	t0 = now_ns();
	ret = write(fd, buf, len);
	t1 = now_ns();
	if (ret < 0)
		printf("%s", errname(errno));
	else
		printf("OK");
	if (timed)
		printf(" %llu %llu", t0, t1);
	printf("\n");
	close(fd);
	return ret < 0;
}
