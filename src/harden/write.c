/*
 * Writing a hardened file in place of the user's: a new file next to it,
 * flushed, the old one kept as a timestamped backup, then an atomic rename.
 * Owner and mode of the old file are carried over (mode masked so the result
 * is never looser than the hardened maximum).
 */
#include "core/common.h"
#include "harden/harden.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

char *hd_path_join_abs(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	return hd_asprintf("%s%s%s", dir, n && dir[n - 1] == '/' ? "" : "/", name);
}

char *hd_path_make_absolute(const char *path)
{
	char cwd[PATH_MAX];

	if (path[0] == '/')
		return hd_strdup(path);
	if (!getcwd(cwd, sizeof(cwd)))
		return NULL;
	if (!strcmp(path, "."))
		return hd_strdup(cwd);
	return hd_path_join_abs(cwd, path);
}

static int errno_code(int e)
{
	return e == EACCES || e == EPERM ? -HD_EACCES : e == ENOENT ? -HD_ENOENT : -HD_EIO;
}

static int write_all(int fd, const char *data, size_t len)
{
	while (len) {
		ssize_t n = write(fd, data, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

static int copy_file(const char *from, const char *to, mode_t mode)
{
	char buf[65536];
	int in, out, r = 0;

	in = open(from, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (in < 0)
		return errno_code(errno);
	out = open(to, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, mode);
	if (out < 0) {
		r = errno_code(errno);
		close(in);
		return r;
	}
	for (;;) {
		ssize_t n = read(in, buf, sizeof(buf));

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			r = n < 0 ? -HD_EIO : 0;
			break;
		}
		if (write_all(out, buf, (size_t)n) < 0) {
			r = -HD_EIO;
			break;
		}
	}
	if (r == 0 && fsync(out) < 0)
		r = -HD_EIO;
	close(in);
	close(out);
	return r;
}

int hd_write_with_backup(const char *path, const char *data, size_t len, unsigned default_mode,
			 unsigned mode_mask, int64_t now, char **ret_backup)
{
	struct stat st;
	bool exists;
	char *tmp = NULL, *bak = NULL, *dir = NULL, *slash;
	mode_t mode = (mode_t)default_mode;
	int fd = -1, r = 0;

	*ret_backup = NULL;
	if (lstat(path, &st) == 0) {
		if (S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode))
			return -HD_EINVAL;
		exists = true;
		mode = (mode_t)(st.st_mode & 07777 & mode_mask);
	} else if (errno == ENOENT) {
		exists = false;
	} else {
		return errno_code(errno);
	}
	tmp = hd_asprintf("%s.hardock-new", path);
	if (!tmp)
		return -HD_ENOMEM;
	unlink(tmp); /* a leftover of an interrupted run, never the user's file */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
	if (fd < 0) {
		r = errno_code(errno);
		goto out;
	}
	if (write_all(fd, data, len) < 0 || (exists && fchown(fd, st.st_uid, st.st_gid) < 0 && errno != EPERM) ||
	    fchmod(fd, mode) < 0 || fsync(fd) < 0) {
		r = -HD_EIO;
		goto out;
	}
	close(fd);
	fd = -1;
	if (exists) {
		char stamp[32];
		time_t t = (time_t)now;
		struct tm tm;

		gmtime_r(&t, &tm);
		strftime(stamp, sizeof(stamp), "%Y%m%dT%H%M%SZ", &tm);
		bak = hd_asprintf("%s.hardock-bak.%s", path, stamp);
		if (!bak) {
			r = -HD_ENOMEM;
			goto out;
		}
		/* A hard link keeps the old inode as it was; a copy where links are refused. */
		if (link(path, bak) < 0) {
			r = copy_file(path, bak, st.st_mode & 07777);
			if (r < 0)
				goto out;
		}
	}
	if (rename(tmp, path) < 0) {
		r = errno_code(errno);
		goto out;
	}
	hd_free(tmp);
	tmp = NULL;
	dir = hd_strdup(path);
	if (dir && (slash = strrchr(dir, '/'))) {
		int dfd;

		*slash = '\0';
		dfd = open(*dir ? dir : "/", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
		if (dfd >= 0) {
			fsync(dfd);
			close(dfd);
		}
	}
	*ret_backup = bak;
	bak = NULL;
out:
	if (fd >= 0)
		close(fd);
	if (tmp)
		unlink(tmp);
	hd_free(tmp);
	hd_free(bak);
	hd_free(dir);
	return r;
}
