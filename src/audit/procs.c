/*
 * The one /proc pass of a live audit (see procs.h): command names for the
 * daemon reader, the container ids of cgroup files for the engine audit.
 * Each file is read with one open, read and close (no stdio buffers), and
 * only what is kept is copied: a 16-byte name per process, and the ids of
 * the processes that are in a container.
 */
#include "core/common.h"
#include "audit/procs.h"

#include <ctype.h>
#include <dirent.h>
#include <fcntl.h>
#include <unistd.h>

void hd_procs_init(struct hd_procs *p)
{
	memset(p, 0, sizeof(*p));
}

void hd_procs_release(struct hd_procs *p)
{
	if (!p)
		return;
	hd_free(p->v);
	hd_free(p->ids);
	hd_procs_init(p);
}

long hd_proc_read_small(const char *path, char *buf, size_t n)
{
	size_t len = 0;
	int fd;

	if (n == 0)
		return -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0)
		return -1;
	/* /proc files answer in one read mostly; a long cmdline takes several. */
	while (len < n - 1) {
		ssize_t k = read(fd, buf + len, n - 1 - len);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			break;
		len += (size_t)k;
	}
	close(fd);
	buf[len] = '\0';
	return (long)len;
}

/* Appends each distinct run of exactly 64 hex digits of text as an id of pid. */
static int add_cgroup_ids(struct hd_procs *p, int32_t pid, const char *text)
{
	size_t first = p->n_ids, i;
	const char *s = text;

	while (*s) {
		size_t k = strspn(s, "0123456789abcdef");

		if (k == 64) {
			bool dup = false;

			for (i = first; i < p->n_ids && !dup; i++)
				dup = memcmp(p->ids[i].id, s, 64) == 0;
			if (!dup) {
				if (p->n_ids >= HD_MAX_PROCS || HD_GROW(p->ids, p->alloc_ids, p->n_ids + 1) < 0)
					return -HD_ENOMEM;
				p->ids[p->n_ids].pid = pid;
				memcpy(p->ids[p->n_ids].id, s, 64);
				p->ids[p->n_ids].id[64] = '\0';
				p->n_ids++;
			}
		}
		s += k ? k : 1;
	}
	return 0;
}

int hd_procs_scan(struct hd_procs *p, bool cgroups)
{
	struct dirent *de;
	DIR *d;
	int r = 0;

	hd_procs_release(p);
	p->cgroups = cgroups;
	d = opendir("/proc");
	if (!d)
		return 0;
	p->read = true;
	while ((de = readdir(d)) && r >= 0) {
		char path[64], buf[8192];
		int64_t pid;
		long n;

		if (!isdigit((unsigned char)de->d_name[0]) || hd_parse_i64(de->d_name, 1, INT32_MAX, &pid) < 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%" PRId64 "/comm", pid);
		n = hd_proc_read_small(path, buf, sizeof(((struct hd_proc *)0)->comm) + 1);
		if (n <= 0)
			continue; /* gone */
		if (buf[n - 1] == '\n')
			buf[--n] = '\0';
		if (p->n >= HD_MAX_PROCS || HD_GROW(p->v, p->alloc, p->n + 1) < 0) {
			r = -HD_ENOMEM;
			break;
		}
		p->v[p->n].pid = (int32_t)pid;
		memcpy(p->v[p->n].comm, buf, (size_t)n < sizeof(p->v[p->n].comm) ? (size_t)n + 1 : sizeof(p->v[p->n].comm));
		p->v[p->n].comm[sizeof(p->v[p->n].comm) - 1] = '\0';
		p->n++;
		if (!cgroups)
			continue;
		snprintf(path, sizeof(path), "/proc/%" PRId64 "/cgroup", pid);
		if (hd_proc_read_small(path, buf, sizeof(buf)) > 0)
			r = add_cgroup_ids(p, (int32_t)pid, buf);
	}
	closedir(d);
	return r;
}
