/*
 * Confined reading (see confine.h): lexical containment, then the kernel's
 * RESOLVE_BENEATH (or realpath() where openat2 is missing), then a check of
 * what was opened before reading it.
 */
#include "core/common.h"
#include "core/confine.h"

#include <fcntl.h>
#include <limits.h>
#include <linux/magic.h>
#include <linux/openat2.h>
#include <pthread.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/vfs.h>
#include <unistd.h>

#ifndef SYSFS_MAGIC
#define SYSFS_MAGIC 0x62656572
#endif

/*
 * Folds in into out (cap bytes): "//" and "/./" collapse, "x/.." cancels,
 * ".." above "/" stays at "/", leading ".." of a relative path are kept.
 * "" becomes ".".  0 or -HD_ETOOBIG.
 */
static int clean(const char *in, char *out, size_t cap)
{
	const char *p = in;
	size_t w = 0, floor_ = 0; /* out[0..floor_) is never folded away ("/" or leading "../") */
	bool abs = in[0] == '/';

	if (abs) {
		if (cap < 2)
			return -HD_ETOOBIG;
		out[w++] = '/';
		floor_ = 1;
	}
	while (*p) {
		const char *e = strchr(p, '/');
		size_t len = e ? (size_t)(e - p) : strlen(p);

		if (len == 0 || (len == 1 && p[0] == '.')) {
			/* nothing */
		} else if (len == 2 && p[0] == '.' && p[1] == '.') {
			if (w > floor_) {
				/* Drop the last component (and the separator before it). */
				while (w > floor_ && out[w - 1] != '/')
					w--;
				if (w > floor_)
					w--;
			} else if (!abs) {
				if (w + 3 + 1 > cap)
					return -HD_ETOOBIG;
				if (w)
					out[w++] = '/';
				out[w++] = '.';
				out[w++] = '.';
				floor_ = w;
			}
		} else {
			if (w + len + 2 > cap)
				return -HD_ETOOBIG;
			if (w && out[w - 1] != '/')
				out[w++] = '/';
			memcpy(out + w, p, len);
			w += len;
		}
		if (!e)
			break;
		p = e + 1;
	}
	if (w == 0) {
		if (cap < 2)
			return -HD_ETOOBIG;
		out[w++] = '.';
	}
	out[w] = '\0';
	return 0;
}

static char cwd_buf[PATH_MAX];
static bool cwd_ok;

static void read_cwd(void)
{
	cwd_ok = getcwd(cwd_buf, sizeof(cwd_buf)) != NULL;
}

const char *hd_cwd(void)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;

	pthread_once(&once, read_cwd);
	return cwd_ok ? cwd_buf : NULL;
}

/* Folds path into out as an absolute path (relative ones start at the current directory). */
static int absolute(const char *path, char *out, size_t cap)
{
	char tmp[PATH_MAX * 2];
	const char *cwd;
	int n;

	if (path[0] == '/')
		return clean(path, out, cap);
	if (!(cwd = hd_cwd()))
		return -HD_EIO;
	n = snprintf(tmp, sizeof(tmp), "%s/%s", cwd, path);
	if (n < 0 || strlen(tmp) >= PATH_MAX)
		return -HD_ETOOBIG;
	return clean(tmp, out, cap);
}

/*
 * Sets *rel to where path continues below root ("." for root itself), in
 * pbuf; 0 or -HD_EOUTSIDE / -HD_ETOOBIG / -HD_EIO.
 */
static int below(const char *root, const char *path, char *pbuf, const char **rel)
{
	char rbuf[PATH_MAX];
	size_t rl;
	int r;

	if (root[0] != '/' && path[0] != '/') {
		r = clean(root, rbuf, sizeof(rbuf));
		if (r == 0)
			r = clean(path, pbuf, PATH_MAX);
	} else {
		r = absolute(root, rbuf, sizeof(rbuf));
		if (r == 0)
			r = absolute(path, pbuf, PATH_MAX);
	}
	if (r < 0)
		return r;
	if (strcmp(rbuf, ".") == 0) {
		if (strcmp(pbuf, "..") == 0 || hd_starts_with(pbuf, "../"))
			return -HD_EOUTSIDE;
		*rel = pbuf;
		return 0;
	}
	if (strcmp(rbuf, "/") == 0) {
		*rel = pbuf[1] ? pbuf + 1 : ".";
		return 0;
	}
	rl = strlen(rbuf);
	if (strncmp(pbuf, rbuf, rl) != 0 || (pbuf[rl] != '/' && pbuf[rl] != '\0'))
		return -HD_EOUTSIDE;
	*rel = pbuf[rl] ? pbuf + rl + 1 : ".";
	return 0;
}

int hd_confine_check(const char *root, const char *path)
{
	char pbuf[PATH_MAX];
	const char *rel;

	return below(root, path, pbuf, &rel);
}

static int errno_code(int e)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR:
		return -HD_ENOENT;
	case EACCES:
	case EPERM:
		return -HD_EACCES;
	case EXDEV:
		return -HD_EOUTSIDE;
	case ELOOP:
		return -HD_ELOOP;
	case ENXIO:
	case ENODEV:
		return -HD_ENOTREG;
	case EISDIR:
		return -HD_ENOTREG;
	case ENAMETOOLONG:
		return -HD_ETOOBIG;
	default:
		return -HD_EIO;
	}
}

/* /proc and /sys hold kernel state, not project files. */
static bool special_fs(int fd)
{
	struct statfs sf;

	if (fstatfs(fd, &sf) != 0)
		return true;
	return sf.f_type == PROC_SUPER_MAGIC || sf.f_type == SYSFS_MAGIC;
}

/*
 * Checks that fd is a regular file on an ordinary file system.  The file
 * system's kind is asked once per device in a row (st_dev names a mounted
 * file system; proc and sysfs have their own).
 */
static int check_regular_st(int fd, struct stat *st)
{
	static _Thread_local dev_t last_dev;
	static _Thread_local signed char last_special = -1;

	if (fstat(fd, st) != 0)
		return -HD_EIO;
	if (!S_ISREG(st->st_mode))
		return -HD_ENOTREG;
	if (last_special < 0 || st->st_dev != last_dev) {
		last_special = special_fs(fd);
		last_dev = st->st_dev;
	}
	return last_special ? -HD_ENOTREG : 0;
}

/* openat2 relative to root's descriptor; -HD_EUNSUPPORTED when the kernel has none. */
static int open_beneath(int dirfd, const char *rel)
{
	struct open_how how;
	long fd;

	memset(&how, 0, sizeof(how));
	how.flags = O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK;
	how.resolve = RESOLVE_BENEATH | RESOLVE_NO_MAGICLINKS;
	fd = syscall(SYS_openat2, dirfd, rel, &how, sizeof(how));
	if (fd < 0)
		/* Older container seccomp profiles answer EPERM for system calls they do not know. */
		return errno == ENOSYS || errno == EPERM ? -HD_EUNSUPPORTED : errno_code(errno);
	return (int)fd;
}

/* Without openat2: resolve every link and compare with the resolved root. */
static int open_resolved(const char *root, const char *rel)
{
	char rroot[PATH_MAX], full[PATH_MAX * 2], rfull[PATH_MAX];
	size_t rl;
	int fd, n;

	if (!realpath(root, rroot))
		return errno_code(errno);
	n = snprintf(full, sizeof(full), "%s/%s", rroot, rel);
	if (n < 0 || (size_t)n >= sizeof(full))
		return -HD_ETOOBIG;
	if (!realpath(full, rfull))
		return errno_code(errno);
	rl = strlen(rroot);
	if (strcmp(rroot, "/") != 0 &&
	    (strncmp(rfull, rroot, rl) != 0 || (rfull[rl] != '/' && rfull[rl] != '\0')))
		return -HD_EOUTSIDE;
	fd = open(rfull, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK | O_NOFOLLOW);
	return fd < 0 ? errno_code(errno) : fd;
}

/* Opens path below root for reading (its fstat() in *st); a descriptor or a negative HD_E*. */
static int open_confined(const char *root, const char *path, struct stat *st)
{
	char pbuf[PATH_MAX];
	const char *rel;
	int dirfd, fd, r;

	r = below(root, path, pbuf, &rel);
	if (r < 0)
		return r;
	dirfd = open(root[0] ? root : ".", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (dirfd < 0)
		return errno_code(errno);
	if (special_fs(dirfd)) {
		close(dirfd);
		return -HD_ENOTREG;
	}
	fd = open_beneath(dirfd, rel);
	close(dirfd);
	if (fd == -HD_EUNSUPPORTED)
		fd = open_resolved(root[0] ? root : ".", rel);
	if (fd < 0)
		return fd;
	r = check_regular_st(fd, st);
	if (r < 0) {
		close(fd);
		return r;
	}
	return fd;
}

int hd_confine_read(const char *root, const char *path, struct hd_buf *b)
{
	struct stat st;
	int fd = open_confined(root, path, &st), r;

	if (fd < 0)
		return fd;
	r = hd_buf_read_fd_st(b, fd, &st);
	close(fd);
	return r;
}

bool hd_confine_exists(const char *root, const char *path)
{
	struct stat st;
	int fd = open_confined(root, path, &st);

	if (fd < 0)
		return false;
	close(fd);
	return true;
}

int hd_read_regular(const char *path, struct hd_buf *b)
{
	struct stat st;
	int fd, r;

	if (strcmp(path, "-") == 0)
		return hd_buf_read_fd(b, 0);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0)
		return errno_code(errno);
	r = check_regular_st(fd, &st);
	if (r == 0)
		r = hd_buf_read_fd_st(b, fd, &st);
	close(fd);
	return r;
}

/* Whether directory dir holds a .git entry (a directory, or a file in worktrees). */
static bool has_git(const char *dir)
{
	char probe[PATH_MAX + 8];
	struct stat st;

	return (size_t)snprintf(probe, sizeof(probe), "%s/.git", strcmp(dir, "/") ? dir : "") < sizeof(probe) &&
	       lstat(probe, &st) == 0 && (S_ISDIR(st.st_mode) || S_ISREG(st.st_mode));
}

/* The closest directory at or above dir (absolute) with .git, as a new string; NULL: none (*oom on OOM). */
static char *git_at_or_above(const char *dir, bool *oom)
{
	char cur[PATH_MAX];
	size_t n = strlen(dir);

	if (n >= sizeof(cur))
		return NULL;
	memcpy(cur, dir, n + 1);
	for (;;) {
		char *s;

		if (has_git(cur)) {
			char *r = hd_strdup(cur);

			*oom = !r;
			return r;
		}
		if (strcmp(cur, "/") == 0)
			return NULL;
		s = strrchr(cur, '/');
		if (!s)
			return NULL;
		if (s == cur)
			cur[1] = '\0';
		else
			*s = '\0';
	}
}

void hd_root_cache_release(struct hd_root_cache *c)
{
	if (!c)
		return;
	hd_free(c->parent);
	hd_free(c->above);
	c->parent = c->above = NULL;
}

char *hd_confine_root_of_dir(const char *real_dir, struct hd_root_cache *c)
{
	char parent[PATH_MAX];
	const char *s = strrchr(real_dir, '/');
	size_t pl;
	bool oom = false;
	char *above;

	if (has_git(real_dir) || !s || strcmp(real_dir, "/") == 0)
		return hd_strdup(real_dir);
	pl = s == real_dir ? 1 : (size_t)(s - real_dir);
	if (pl >= sizeof(parent))
		return hd_strdup(real_dir);
	memcpy(parent, real_dir, pl);
	parent[pl] = '\0';
	if (c && c->parent && strcmp(c->parent, parent) == 0)
		return hd_strdup(c->above ? c->above : real_dir);
	above = git_at_or_above(parent, &oom);
	if (oom)
		return NULL;
	if (c) {
		char *p = hd_strdup(parent);

		if (p) {
			hd_root_cache_release(c);
			c->parent = p;
			c->above = above;
			return hd_strdup(above ? above : real_dir);
		}
	}
	{
		char *r = hd_strdup(above ? above : real_dir);

		hd_free(above);
		return r;
	}
}

char *hd_confine_root_of(const char *file)
{
	char dir[PATH_MAX], real[PATH_MAX];
	const char *slash = strrchr(file, '/');
	size_t n;

	if (!slash)
		n = (size_t)snprintf(dir, sizeof(dir), ".");
	else if (slash == file)
		n = (size_t)snprintf(dir, sizeof(dir), "/");
	else
		n = (size_t)snprintf(dir, sizeof(dir), "%.*s", (int)(slash - file), file);
	if (n >= sizeof(dir) || !realpath(dir, real))
		return NULL;
	return hd_confine_root_of_dir(real, NULL);
}
