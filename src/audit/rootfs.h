/*
 * Reading the audited host's files, either the live system ("/") or a copy of
 * a host's filesystem under a directory (--root DIR).  Paths are always the
 * host's own absolute paths ("/etc/docker/daemon.json"); symlinks are
 * followed inside the root as if it were "/", so an absolute link in the copy
 * never escapes to this machine's files, and a loop ends with -HD_ELOOP.
 * Only regular files are read: a FIFO or a device named daemon.json is
 * reported, never opened for reading.  Nothing here writes.
 */
#ifndef HD_AUDIT_ROOTFS_H
#define HD_AUDIT_ROOTFS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/config.h"

#define HD_ROOTFS_MAX_LINKS 40

struct hd_rootfs {
	char *root; /* "" for the live system, else the directory without a trailing slash */
	bool live;
};

/* root NULL or "/" means the live system.  Returns 0, -HD_ENOENT, -HD_EINVAL or -HD_ENOMEM. */
int hd_rootfs_init(struct hd_rootfs *fs, const char *root);
void hd_rootfs_release(struct hd_rootfs *fs);

/*
 * Resolves a host path inside the root.  On success *ret_real is the path on
 * this machine and *ret_canon the host path with every symlink resolved
 * (either may be NULL when not wanted; both owned by the caller).  Returns 0,
 * -HD_ENOENT, -HD_ELOOP, -HD_EACCES, -HD_EINVAL (not absolute) or -HD_ENOMEM.
 */
int hd_rootfs_resolve(const struct hd_rootfs *fs, const char *path, char **ret_real,
		      char **ret_canon);
/* stat() of a host path, following symlinks inside the root. */
int hd_rootfs_stat(const struct hd_rootfs *fs, const char *path, struct stat *st, char **ret_canon);
/*
 * Reads a regular file of at most max bytes into b.  Returns 0, -HD_ENOENT,
 * -HD_EACCES, -HD_ELOOP, -HD_EINVAL (not a regular file), -HD_ETOOBIG,
 * -HD_EIO or -HD_ENOMEM.
 */
int hd_rootfs_read(const struct hd_rootfs *fs, const char *path, size_t max, struct hd_buf *b);
/* The names in a directory (not "." and ".."), sorted.  Returns 0 or a negative HD_E*. */
int hd_rootfs_list(const struct hd_rootfs *fs, const char *dir, struct hd_strlist *names);
/* Joins a host directory and a name: "/etc/docker" + "key.json".  NULL on OOM. */
char *hd_path_join(const char *dir, const char *name);

#endif
