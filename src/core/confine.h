/*
 * Reading only inside the tree being linted.
 *
 * hardock lints repositories written by strangers.  A file it lints may name
 * other files (a compose env_file, include, extends or build context, the
 * project's .env): those are read only when they lie inside the linted tree,
 * the "root".  The root is the directory named on the command line, or, for
 * a file named on the command line, the git work tree that holds it (its own
 * directory when it is in none).
 *
 * A path is inside when, folded lexically ("a/./b/../c" is "a/c"), it lies
 * below the root, and when every symbolic link met on the way resolves below
 * the root too.  The second test is the kernel's: the file is opened with
 * openat2(RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS) relative to the root; on
 * kernels without openat2 the path is resolved with realpath() and compared.
 * Only regular files are read: devices, FIFOs, sockets and files of /proc
 * and /sys are refused before a byte is read (opened non-blocking, so a FIFO
 * cannot stall the run).
 *
 * Paths are as the callers build them: relative to the current directory,
 * or absolute.  Nothing here allocates beyond the buffer it fills.
 */
#ifndef HD_CONFINE_H
#define HD_CONFINE_H

#include <stdbool.h>

#include "core/buf.h"

/*
 * Whether path lies lexically inside root (root itself counts).  Returns 0
 * when it does, -HD_EOUTSIDE when it does not, -HD_ETOOBIG for paths past
 * PATH_MAX.
 */
int hd_confine_check(const char *root, const char *path);

/*
 * Reads path into b when it is a regular file inside root.  Returns 0,
 * -HD_EOUTSIDE (outside root, or a link on its way leads out), -HD_ENOTREG
 * (a device, FIFO, socket, directory or a file of /proc or /sys), -HD_ENOENT,
 * -HD_EACCES, -HD_ELOOP, -HD_EIO, -HD_ETOOBIG or -HD_ENOMEM.
 */
int hd_confine_read(const char *root, const char *path, struct hd_buf *b);

/* True when hd_confine_read() would find a regular file there (it opens it, reads nothing). */
bool hd_confine_exists(const char *root, const char *path);

/*
 * Reads a file named on the command line: any path, but only a regular file
 * outside /proc and /sys.  Same returns as hd_confine_read() but never
 * -HD_EOUTSIDE; "-" reads standard input.
 */
int hd_read_regular(const char *path, struct hd_buf *b);

/*
 * The root for a file named on the command line: the closest directory
 * above it holding a `.git` entry, else the file's own directory, as an
 * absolute path.  Returns a new string, or NULL on OOM (or when the file's
 * directory cannot be resolved: then the caller reads nothing else).
 */
char *hd_confine_root_of(const char *file);
/*
 * The same for a file of directory real_dir (absolute, resolved).  c (may be
 * NULL) keeps what was found above the last parent directory looked at, so
 * that sibling directories ask the file system once each.
 */
struct hd_root_cache {
	char *parent; /* NULL: empty */
	char *above;  /* the closest directory at or above parent with .git, or NULL: none */
};
char *hd_confine_root_of_dir(const char *real_dir, struct hd_root_cache *c);
void hd_root_cache_release(struct hd_root_cache *c);
/*
 * The working directory, read once per process (hardock never changes it):
 * NULL when it cannot be read.
 */
const char *hd_cwd(void);

#endif
