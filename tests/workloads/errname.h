/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The tools that write the module's files (dp-io, dp-write) say what a
 * call returned by its errno's name, as the tests expect it ("EINVAL"),
 * and time calls on the monotonic clock.
 */
#ifndef DP_WORKLOADS_ERRNAME_H
#define DP_WORKLOADS_ERRNAME_H

#include <errno.h>
#include <stdio.h>
#include <time.h>

static const struct {
	int err;
	const char *name;
} errnames[] = {
	{ EINVAL, "EINVAL" }, { ERANGE, "ERANGE" }, { EBUSY, "EBUSY" },
	{ EPERM, "EPERM" }, { EOPNOTSUPP, "EOPNOTSUPP" }, { ENOMEM, "ENOMEM" },
	{ ENOENT, "ENOENT" }, { EACCES, "EACCES" }, { EINTR, "EINTR" },
	{ ECANCELED, "ECANCELED" }, { ESRCH, "ESRCH" }, { EIO, "EIO" },
	{ E2BIG, "E2BIG" }, { EFAULT, "EFAULT" }, { ENODEV, "ENODEV" },
	{ EEXIST, "EEXIST" }, { ENOEXEC, "ENOEXEC" }, { ENOSPC, "ENOSPC" },
	{ EAGAIN, "EAGAIN" }, { ETIMEDOUT, "ETIMEDOUT" }, { ENXIO, "ENXIO" },
	{ EWOULDBLOCK, "EWOULDBLOCK" }, { ENOTTY, "ENOTTY" },
};

/* @err's name ("errnoN" for one not in the table). */
static const char *errname(int err)
{
	static char buf[32];
	size_t i;

	for (i = 0; i < sizeof(errnames) / sizeof(errnames[0]); i++)
		if (errnames[i].err == err)
			return errnames[i].name;
	snprintf(buf, sizeof(buf), "errno%d", err);
	return buf;
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

#endif /* DP_WORKLOADS_ERRNAME_H */
