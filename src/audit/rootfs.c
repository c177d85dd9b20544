/*
 * Root-confined path resolution and reading; see rootfs.h.
 */
#include "core/common.h"
#include "audit/rootfs.h"

#include <dirent.h>
#include <fcntl.h>
#include <limits.h>
#include <unistd.h>

#define ROOTFS_MAX_PATH 65536u

static int errno_to_hd(int e)
{
	switch (e) {
	case ENOENT:
	case ENOTDIR: return -HD_ENOENT;
	case EACCES:
	case EPERM: return -HD_EACCES;
	case ELOOP: return -HD_ELOOP;
	case ENOMEM: return -HD_ENOMEM;
	case ENAMETOOLONG: return -HD_ETOOBIG;
	default: return -HD_EIO;
	}
}

int hd_rootfs_init(struct hd_rootfs *fs, const char *root)
{
	struct stat st;
	size_t n;

	memset(fs, 0, sizeof(*fs));
	if (!root || strcmp(root, "/") == 0) {
		fs->root = hd_strdup("");
		fs->live = true;
		return fs->root ? 0 : -HD_ENOMEM;
	}
	if (stat(root, &st) < 0)
		return errno_to_hd(errno);
	if (!S_ISDIR(st.st_mode))
		return -HD_EINVAL;
	n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	fs->root = hd_strndup(root, n);
	return fs->root ? 0 : -HD_ENOMEM;
}

void hd_rootfs_release(struct hd_rootfs *fs)
{
	if (!fs)
		return;
	hd_free(fs->root);
	fs->root = NULL;
}

char *hd_path_join(const char *dir, const char *name)
{
	size_t n = strlen(dir);

	if (n && dir[n - 1] == '/')
		return hd_asprintf("%s%s", dir, name);
	return hd_asprintf("%s/%s", dir, name);
}

int hd_rootfs_resolve(const struct hd_rootfs *fs, const char *path, char **ret_real,
		      char **ret_canon)
{
	struct hd_buf rest = HD_BUF_INIT(ROOTFS_MAX_PATH), cur = HD_BUF_INIT(ROOTFS_MAX_PATH);
	struct hd_buf real = HD_BUF_INIT(ROOTFS_MAX_PATH);
	unsigned links = 0;
	size_t pos = 0;
	int r;

	if (!path || path[0] != '/')
		return -HD_EINVAL;
	r = hd_buf_addstr(&rest, path);
	if (r < 0)
		goto out;
	for (;;) {
		size_t start, end, save;
		struct stat st;
		bool more;

		while (pos < rest.len && rest.buf[pos] == '/')
			pos++;
		if (pos >= rest.len)
			break;
		start = pos;
		while (pos < rest.len && rest.buf[pos] != '/')
			pos++;
		end = pos;
		more = false;
		{
			size_t k = pos;

			while (k < rest.len && rest.buf[k] == '/')
				k++;
			more = k < rest.len;
		}
		if (end - start == 1 && rest.buf[start] == '.')
			continue;
		if (end - start == 2 && rest.buf[start] == '.' && rest.buf[start + 1] == '.') {
			char *slash = strrchr(cur.buf, '/');

			if (slash) {
				cur.len = (size_t)(slash - cur.buf);
				cur.buf[cur.len] = '\0';
			}
			continue;
		}
		save = cur.len;
		r = hd_buf_addch(&cur, '/');
		if (r >= 0)
			r = hd_buf_add(&cur, rest.buf + start, end - start);
		if (r < 0)
			goto out;
		hd_buf_reset(&real);
		r = hd_buf_addstr(&real, fs->root);
		if (r >= 0)
			r = hd_buf_add(&real, cur.buf, cur.len);
		if (r < 0)
			goto out;
		if (lstat(real.buf, &st) < 0) {
			r = errno_to_hd(errno);
			goto out;
		}
		if (S_ISLNK(st.st_mode)) {
			char target[PATH_MAX];
			ssize_t n;
			struct hd_buf next = HD_BUF_INIT(ROOTFS_MAX_PATH);

			if (++links > HD_ROOTFS_MAX_LINKS) {
				r = -HD_ELOOP;
				goto out;
			}
			n = readlink(real.buf, target, sizeof(target) - 1);
			if (n < 0) {
				r = errno_to_hd(errno);
				goto out;
			}
			target[n] = '\0';
			r = hd_buf_addstr(&next, target);
			if (r >= 0 && pos < rest.len) {
				r = hd_buf_addch(&next, '/');
				if (r >= 0)
					r = hd_buf_add(&next, rest.buf + pos, rest.len - pos);
			}
			if (r < 0) {
				hd_buf_release(&next);
				goto out;
			}
			hd_buf_release(&rest);
			rest = next;
			pos = 0;
			cur.len = target[0] == '/' ? 0 : save;
			cur.buf[cur.len] = '\0';
			continue;
		}
		if (more && !S_ISDIR(st.st_mode)) {
			r = -HD_ENOENT;
			goto out;
		}
	}
	if (!cur.len) {
		r = hd_buf_addch(&cur, '/');
		if (r < 0)
			goto out;
	}
	if (ret_real) {
		*ret_real = hd_asprintf("%s%s", fs->root, strcmp(cur.buf, "/") || !*fs->root ? cur.buf : "");
		if (!*ret_real) {
			r = -HD_ENOMEM;
			goto out;
		}
	}
	if (ret_canon) {
		*ret_canon = hd_strdup(cur.buf);
		if (!*ret_canon) {
			if (ret_real) {
				hd_free(*ret_real);
				*ret_real = NULL;
			}
			r = -HD_ENOMEM;
			goto out;
		}
	}
	r = 0;
out:
	hd_buf_release(&rest);
	hd_buf_release(&cur);
	hd_buf_release(&real);
	return r;
}

int hd_rootfs_stat(const struct hd_rootfs *fs, const char *path, struct stat *st, char **ret_canon)
{
	char *real = NULL;
	int r;

	r = hd_rootfs_resolve(fs, path, &real, ret_canon);
	if (r < 0)
		return r;
	if (stat(real, st) < 0) {
		r = errno_to_hd(errno);
		if (ret_canon) {
			hd_free(*ret_canon);
			*ret_canon = NULL;
		}
	}
	hd_free(real);
	return r;
}

int hd_rootfs_read(const struct hd_rootfs *fs, const char *path, size_t max, struct hd_buf *b)
{
	char *real = NULL;
	struct stat st;
	int fd, r;

	r = hd_rootfs_resolve(fs, path, &real, NULL);
	if (r < 0)
		return r;
	/* O_NONBLOCK: a FIFO must not hang the audit; it is refused below. */
	fd = open(real, O_RDONLY | O_NONBLOCK | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY);
	hd_free(real);
	if (fd < 0)
		return errno_to_hd(errno);
	if (fstat(fd, &st) < 0) {
		r = errno_to_hd(errno);
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		r = -HD_EINVAL;
		goto out;
	}
	if ((uint64_t)st.st_size > max) {
		r = -HD_ETOOBIG;
		goto out;
	}
	hd_buf_reset(b);
	for (;;) {
		char chunk[16384];
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0) {
			if (errno == EINTR)
				continue;
			r = errno_to_hd(errno);
			goto out;
		}
		if (n == 0)
			break;
		if (b->len + (size_t)n > max) {
			r = -HD_ETOOBIG;
			goto out;
		}
		r = hd_buf_add(b, chunk, (size_t)n);
		if (r < 0)
			goto out;
	}
	r = 0;
out:
	close(fd);
	return r;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int hd_rootfs_list(const struct hd_rootfs *fs, const char *dir, struct hd_strlist *names)
{
	char *real = NULL;
	struct dirent *e;
	DIR *dh;
	int r;

	r = hd_rootfs_resolve(fs, dir, &real, NULL);
	if (r < 0)
		return r;
	dh = opendir(real);
	hd_free(real);
	if (!dh)
		return errno_to_hd(errno);
	r = 0;
	while ((e = readdir(dh))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		if (names->n >= 100000) {
			r = -HD_ETOOBIG;
			break;
		}
		r = hd_strlist_add(names, e->d_name);
		if (r < 0)
			break;
	}
	closedir(dh);
	if (names->n > 1)
		qsort(names->v, names->n, sizeof(*names->v), cmp_str);
	return r;
}
