/*
 * The versions of dockerd, containerd and runc, read from their binaries
 * (see read_int.h) instead of running `X --version`: an auditor must not run
 * the programs it audits, a trojaned dockerd included.  Go records its build
 * information in every binary (parse/gobuildinfo.h); the component's version
 * is the main module's version when the build knew it, else the value its
 * release build gives the version variable with `-ldflags -X`.  Debian's
 * runc and containerd are built with -trimpath, which drops -ldflags from
 * the record: their version then comes from the package database.
 *
 * Live, dockerd is read through /proc/PID/exe of the running daemon, which
 * is the binary that runs even if the file was replaced since.
 */
#include "core/common.h"
#include "audit/read_int.h"
#include "parse/gobuildinfo.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

struct component {
	const char *name;
	enum hd_apath ap;
	const char *modules[3]; /* main modules whose version is the component's */
	const char *vars[3];    /* Go variables release builds set with -X */
};

static const struct component components[3] = {
	{ "dockerd", HD_AP_DOCKERD, { "github.com/docker/docker", "github.com/moby/moby/v2", NULL },
	  { "github.com/docker/docker/dockerversion.Version", "github.com/moby/moby/v2/dockerversion.Version",
	    NULL } },
	{ "containerd", HD_AP_CONTAINERD,
	  { "github.com/containerd/containerd", "github.com/containerd/containerd/v2", NULL },
	  { "github.com/containerd/containerd/version.Version",
	    "github.com/containerd/containerd/v2/version.Version", NULL } },
	{ "runc", HD_AP_RUNC, { "github.com/opencontainers/runc", NULL, NULL }, { "main.version", NULL, NULL } },
};

/* The component's version from its build information, owned by the caller; NULL if none. */
static char *version_of(const struct component *comp, const struct hd_gobuildinfo *bi, bool *oom)
{
	const char *mv = bi->main.version;
	size_t i;

	*oom = false;
	for (i = 0; i < HD_ARRAY_SIZE(comp->modules) && comp->modules[i]; i++) {
		if (bi->main.path && !strcmp(bi->main.path, comp->modules[i]) && mv && mv[0] &&
		    strcmp(mv, "(devel)") != 0) {
			char *v = hd_strdup(mv[0] == 'v' ? mv + 1 : mv);

			*oom = !v;
			return v;
		}
	}
	for (i = 0; i < HD_ARRAY_SIZE(comp->vars) && comp->vars[i]; i++) {
		char *v = hd_gobuildinfo_ldflag_x(bi, comp->vars[i], oom);

		if (*oom)
			return NULL;
		if (v && v[0]) {
			if (v[0] == 'v')
				memmove(v, v + 1, strlen(v));
			return v;
		}
		hd_free(v);
	}
	return NULL;
}

/* Opens a host path (inside the root) for reading as a regular file; fd or a negative HD_E*. */
static int open_binary(const struct hd_host_ctx *c, const char *path, bool proc_exe)
{
	char *real = NULL;
	struct stat st;
	int fd, r;

	if (proc_exe) {
		fd = open(path, O_RDONLY | O_CLOEXEC);
	} else {
		r = hd_rootfs_resolve(&c->fs, path, &real, NULL);
		if (r < 0)
			return r;
		fd = open(real, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
		hd_free(real);
	}
	if (fd < 0)
		return errno == EACCES || errno == EPERM ? -HD_EACCES : errno == ENOENT ? -HD_ENOENT : -HD_EIO;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return -HD_EINVAL;
	}
	return fd;
}

/* The binary to read for comp: the running dockerd, or the first candidate path present. */
static const char *binary_of(const struct hd_host_ctx *c, size_t k, char *proc, size_t proc_size,
			     bool *proc_exe)
{
	const struct hd_file_list *l = &c->h->apaths[components[k].ap];
	size_t i;

	*proc_exe = false;
	if (k == 0 && c->fs.live && c->d && c->d->pid > 0) {
		snprintf(proc, proc_size, "/proc/%d/exe", c->d->pid);
		*proc_exe = true;
		return proc;
	}
	for (i = 0; i < l->n; i++) {
		if (l->v[i].type == HD_FT_REG)
			return l->v[i].path;
	}
	return NULL;
}

int hd_binver_read(struct hd_host_ctx *c)
{
	struct hd_version_fact *slot[3] = { &c->h->engine, &c->h->containerd, &c->h->runc };
	size_t k;
	int r = 0;

	for (k = 0; k < HD_ARRAY_SIZE(components) && r >= 0; k++) {
		struct hd_gobuildinfo bi;
		char proc[64], src[512], *v;
		const char *path, *shown;
		bool proc_exe, oom;
		int fd;

		path = binary_of(c, k, proc, sizeof(proc), &proc_exe);
		if (!path)
			continue;
		shown = proc_exe && c->d->exec_path ? c->d->exec_path : path;
		fd = open_binary(c, path, proc_exe);
		if (fd < 0) {
			r = fd == -HD_ENOMEM ? fd :
			    hd_read_note(&c->h->notes, "cannot read %s for its version: %s", shown,
					 hd_strerror(fd));
			continue;
		}
		r = hd_gobuildinfo_read_fd(fd, &bi);
		close(fd);
		if (r == -HD_ENOMEM)
			break;
		if (r < 0) {
			/* Not a Go binary at all is no news; a damaged record is. */
			r = r == -HD_ENOENT ? 0 :
			    hd_read_note(&c->h->notes, "%s: its Go build information cannot be read (%s)",
					 shown, hd_strerror(r));
			continue;
		}
		v = version_of(&components[k], &bi, &oom);
		hd_gobuildinfo_release(&bi);
		if (oom) {
			r = -HD_ENOMEM;
			break;
		}
		if (!v)
			continue;
		snprintf(src, sizeof(src), "%s (Go build info)", shown);
		r = hd_version_fact_set(slot[k], v, src);
		hd_free(v);
	}
	return r;
}
