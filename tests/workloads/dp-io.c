// SPDX-License-Identifier: GPL-2.0
/*
 * dp-io: one timed system call on a sysfs, debugfs or proc file, or on the
 * module, for the stress, fuzz and fault-injection scenarios.  Each prints
 * one line: the outcome ("OK" or the errno's name), then the nanoseconds
 * the call took (CLOCK_MONOTONIC), then what the command adds.
 *
 *   dp-io w FILE VALUE        write VALUE in one write(), with C escapes
 *                             decoded (\n, \\, \xHH) and nothing appended
 *   dp-io r FILE              read FILE to its end
 *   dp-io wf FILE SRC         write SRC's content to FILE, through one
 *                             open file, in write()s that each go on
 *                             where the last one stopped (a file bigger
 *                             than a page); the outcome is the first
 *                             failed write's, else OK
 *   dp-io insmod MODULE [PARAMS]   finit_module()
 *   dp-io rmmod NAME          delete_module(NAME, O_NONBLOCK), as rmmod
 *   dp-io fuzz FILE VALUE [STATE]
 *                             read FILE, write VALUE (escapes decoded),
 *                             read FILE again, and say whether a refused
 *                             write left it as it was ("refused ERRNO
 *                             same|changed") or what an accepted one reads
 *                             back ("accepted ok|mismatch"; ok when it is
 *                             VALUE as the kernel parses numbers, booleans
 *                             or names); then, with STATE, write "commit"
 *                             to STATE and add its outcome
 *   dp-io zombie              fork a child that exits at once, print its
 *                             pid and reap it only on SIGUSR1 (sleeps
 *                             until killed)
 *   dp-io add A B             print A + B in hex (0x...), 64-bit unsigned
 *                             (a module's text range; the shell's
 *                             arithmetic is signed)
 *
 * With DP_FAILNTH=N in the environment, "w" and "insmod" arm
 * /proc/thread-self/fail-nth with N just before their call and add
 * "nth=K", what it reads after the call: 0 when the Nth allocation was
 * reached (and made to fail), else how many were still to go.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "errname.h"

/* Decode \n, \t, \\ and \xHH; returns the length. */
static size_t unescape(const char *in, char *out)
{
	size_t n = 0;

	while (*in) {
		if (in[0] == '\\' && in[1] == 'n') {
			out[n++] = '\n';
			in += 2;
		} else if (in[0] == '\\' && in[1] == 't') {
			out[n++] = '\t';
			in += 2;
		} else if (in[0] == '\\' && in[1] == '\\') {
			out[n++] = '\\';
			in += 2;
		} else if (in[0] == '\\' && in[1] == 'x' && isxdigit(in[2]) &&
			   isxdigit(in[3])) {
			char hex[3] = { in[2], in[3], 0 };

			out[n++] = (char)strtoul(hex, NULL, 16);
			in += 4;
		} else {
			out[n++] = *in++;
		}
	}
	return n;
}

/* What a file holds, for a log line: printable, one line. */
static void print_escaped(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n && i < 60; i++) {
		unsigned char c = s[i];

		if (c == '\n')
			printf("\\n");
		else if (c < 0x20 || c >= 0x7f || c == '\'' || c == '\\')
			printf("\\x%02x", c);
		else
			putchar(c);
	}
	if (n > 60)
		printf("...(%zu)", n);
}

static int failnth_fd = -1;

static void failnth_arm(void)
{
	const char *n = getenv("DP_FAILNTH");

	if (!n || !*n)
		return;
	failnth_fd = open("/proc/thread-self/fail-nth", O_RDWR);
	if (failnth_fd < 0) {
		printf("NOFAILNTH 0\n");
		exit(3);
	}
}

static void failnth_set(void)
{
	const char *n = getenv("DP_FAILNTH");

	if (failnth_fd >= 0 && pwrite(failnth_fd, n, strlen(n), 0) < 0) {
		printf("NOFAILNTH 0\n");
		exit(3);
	}
}

static void failnth_report(void)
{
	char buf[32] = "";
	ssize_t r;

	if (failnth_fd < 0)
		return;
	r = pread(failnth_fd, buf, sizeof(buf) - 1, 0);
	buf[r > 0 ? r : 0] = 0;
	/* Disarm: whatever was left must not hit our own printf. */
	if (pwrite(failnth_fd, "0", 1, 0) < 0)
		perror("fail-nth");
	buf[strcspn(buf, "\n")] = 0;
	printf(" nth=%s", buf);
}

static void result(ssize_t ret, int err, unsigned long long t0)
{
	unsigned long long t1 = now_ns();

	printf("%s %llu", ret < 0 ? errname(err) : "OK", t1 - t0);
}

static ssize_t read_all(const char *path, char *buf, size_t size, int *err)
{
	ssize_t r, n = 0;
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		*err = errno;
		return -1;
	}
	for (;;) {
		r = read(fd, buf + n, size - n);
		if (r < 0) {
			*err = errno;
			close(fd);
			return -1;
		}
		if (r == 0 || (size_t)(n + r) >= size)
			break;
		n += r;
	}
	close(fd);
	return n;
}

/*
 * open_armed() - fail-nth armed (with DP_FAILNTH), then @path opened; a
 * failed open is the call's outcome, printed, and -1 returned.
 */
static int open_armed(const char *path, int flags)
{
	int fd;

	failnth_arm();
	fd = open(path, flags);
	if (fd < 0) {
		result(-1, errno, now_ns());
		printf("\n");
	}
	return fd;
}

static int cmd_write(const char *path, const char *value)
{
	static char buf[65536];
	size_t len = unescape(value, buf);
	unsigned long long t0;
	ssize_t ret;
	int fd, err;

	fd = open_armed(path, O_WRONLY);
	if (fd < 0)
		return 1;
	t0 = now_ns();
	failnth_set();
	ret = write(fd, buf, len);
	err = errno;
	result(ret, err, t0);
	failnth_report();
	printf("\n");
	close(fd);
	return ret < 0;
}

static int cmd_read(const char *path)
{
	static char buf[1 << 20];
	unsigned long long t0 = now_ns();
	int err = 0;
	ssize_t n = read_all(path, buf, sizeof(buf), &err);

	result(n, err, t0);
	printf("\n");
	return n < 0;
}

static int cmd_write_file(const char *path, const char *src)
{
	static char buf[64 << 20];
	unsigned long long t0;
	ssize_t len, ret = 0;
	size_t done = 0;
	int fd, err = 0;

	len = read_all(src, buf, sizeof(buf), &err);
	if (len < 0) {
		fprintf(stderr, "%s: %s\n", src, strerror(err));
		return 2;
	}
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		printf("%s 0\n", errname(errno));
		return 1;
	}
	t0 = now_ns();
	while (done < (size_t)len) {
		ret = write(fd, buf + done, len - done);
		if (ret <= 0) {
			err = ret ? errno : EIO;
			ret = -1;
			break;
		}
		done += ret;
	}
	result(ret, err, t0);
	printf("\n");
	close(fd);
	return ret < 0;
}

static int cmd_insmod(const char *path, const char *params)
{
	unsigned long long t0;
	long ret;
	int fd, err;

	fd = open_armed(path, O_RDONLY);
	if (fd < 0)
		return 1;
	t0 = now_ns();
	failnth_set();
	ret = syscall(SYS_finit_module, fd, params ? params : "", 0);
	err = errno;
	result(ret, err, t0);
	failnth_report();
	printf("\n");
	return ret < 0;
}

static int cmd_rmmod(const char *name)
{
	unsigned long long t0 = now_ns();
	long ret = syscall(SYS_delete_module, name, O_NONBLOCK);

	result(ret, errno, t0);
	printf("\n");
	return ret < 0;
}

/* The kernel's kstrtobool(): NULL if it refuses. */
static const char *kbool(const char *s)
{
	switch (s[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		return "Y";
	case 'n': case 'N': case 'f': case 'F': case '0':
		return "N";
	case 'o': case 'O':
		if (s[1] == 'n' || s[1] == 'N')
			return "Y";
		if (s[1] == 'f' || s[1] == 'F')
			return "N";
	}
	return NULL;
}

static int is_number(const char *s)
{
	if (*s == '-')
		s++;
	if (!isdigit((unsigned char)*s))
		return 0;
	while (isdigit((unsigned char)*s))
		s++;
	return *s == 0 || (*s == '\n' && s[1] == 0);
}

/*
 * What an accepted VALUE should read back as, given what the file read
 * before (its kind): a number in decimal, Y/N, or the name itself.
 */
static void expected(const char *before, const char *value, size_t len,
		     char *out, size_t size)
{
	char v[8192];
	const char *b;

	memcpy(v, value, len);
	v[len] = 0;
	if (len && v[len - 1] == '\n')
		v[len - 1] = 0;
	if (is_number(before)) {
		errno = 0;
		if (v[0] == '-')
			snprintf(out, size, "%lld", strtoll(v, NULL, 0));
		else
			snprintf(out, size, "%llu", strtoull(v, NULL, 0));
		return;
	}
	if ((!strcmp(before, "Y\n") || !strcmp(before, "N\n")) &&
	    (b = kbool(v))) {
		snprintf(out, size, "%s", b);
		return;
	}
	snprintf(out, size, "%s", v);
}

static int cmd_fuzz(const char *path, const char *value, const char *state)
{
	static char before[65536], after[65536], buf[65536], want[8192];
	ssize_t nb, na, ret;
	size_t len = unescape(value, buf);
	int err = 0, werr, fd;
	unsigned long long t0;

	nb = read_all(path, before, sizeof(before) - 1, &err);
	if (nb < 0) {
		printf("READFAIL %s\n", errname(err));
		return 2;
	}
	before[nb] = 0;
	fd = open(path, O_WRONLY);
	if (fd < 0) {
		printf("OPENFAIL %s\n", errname(errno));
		return 2;
	}
	t0 = now_ns();
	ret = write(fd, buf, len);
	werr = errno;
	close(fd);
	result(ret, werr, t0);
	na = read_all(path, after, sizeof(after) - 1, &err);
	if (na < 0) {
		printf(" READFAIL %s\n", errname(err));
		return 2;
	}
	after[na] = 0;
	if (ret < 0) {
		printf(" refused %s", na == nb && !memcmp(before, after, na) ?
		       "same" : "changed");
	} else {
		char got[65536];

		/* One trailing newline is the file's, not the value's. */
		snprintf(got, sizeof(got), "%s", after);
		if (na && got[na - 1] == '\n')
			got[na - 1] = 0;
		/* A partial write: the kernel parsed what it took. */
		if (len)
			expected(before, buf, (size_t)ret < len ? (size_t)ret : len,
				 want, sizeof(want));
		else	/* sysfs takes a write of nothing as done */
			snprintf(want, sizeof(want), "%.*s", (int)(nb && before[nb - 1] == '\n' ? nb - 1 : nb), before);
		/* A sysfs read shows at most a page, less its NUL. */
		if (strlen(want) >= (size_t)sysconf(_SC_PAGESIZE))
			want[sysconf(_SC_PAGESIZE) - 1] = 0;
		printf(" accepted %s", strcmp(got, want) ? "mismatch" : "ok");
		if ((size_t)ret != len)
			printf("-partial");
	}
	if (state) {
		int sfd = open(state, O_WRONLY);
		ssize_t sret = -1;

		if (sfd >= 0) {
			sret = write(sfd, "commit\n", 7);
			err = errno;
			close(sfd);
		} else {
			err = errno;
		}
		printf(" commit=%s", sret < 0 ? errname(err) : "OK");
	}
	printf(" before='");
	print_escaped(before, nb);
	printf("' after='");
	print_escaped(after, na);
	printf("'\n");
	return 0;
}

static void reap_children(int sig)
{
	(void)sig;
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}

static int cmd_zombie(void)
{
	pid_t child;

	signal(SIGUSR1, reap_children);
	child = fork();
	if (child < 0)
		return 1;
	if (child == 0)
		_exit(0);
	printf("%d\n", child);
	fflush(stdout);
	for (;;)
		pause();
}

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	if (argc == 4 && !strcmp(argv[1], "w"))
		return cmd_write(argv[2], argv[3]);
	if (argc == 3 && !strcmp(argv[1], "r"))
		return cmd_read(argv[2]);
	if (argc == 4 && !strcmp(argv[1], "wf"))
		return cmd_write_file(argv[2], argv[3]);
	if ((argc == 3 || argc == 4) && !strcmp(argv[1], "insmod"))
		return cmd_insmod(argv[2], argc == 4 ? argv[3] : NULL);
	if (argc == 3 && !strcmp(argv[1], "rmmod"))
		return cmd_rmmod(argv[2]);
	if ((argc == 4 || argc == 5) && !strcmp(argv[1], "fuzz"))
		return cmd_fuzz(argv[2], argv[3], argc == 5 ? argv[4] : NULL);
	if (argc == 4 && !strcmp(argv[1], "add")) {
		printf("0x%llx\n", strtoull(argv[2], NULL, 0) +
		       strtoull(argv[3], NULL, 0));
		return 0;
	}
	if (argc == 2 && !strcmp(argv[1], "zombie"))
		return cmd_zombie();
	fprintf(stderr, "usage: see the comment at the top of dp-io.c\n");
	return 2;
}
