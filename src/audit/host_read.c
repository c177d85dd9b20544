/*
 * Gathers the facts of `hardock audit host` and `hardock audit daemon`; see
 * host_read.h.  The order follows dockerd's own start-up: the command line
 * (systemd unit with drop-ins and environment files, or SysV defaults, or the
 * live process), then daemon.json, then what those name (sockets, TLS
 * files, data-root).
 */
#include "core/common.h"
#include "core/buf.h"
#include "audit/host_read.h"
#include "audit/rootfs.h"
#include "audit/tls_read.h"
#include "model/engine.h"
#include "parse/auditrules.h"
#include "parse/daemon_json.h"
#include "parse/dockerd_args.h"
#include "parse/unit.h"

#include <archive.h>
#include <dirent.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define CONFIG_MAX   (16u * 1024 * 1024)
#define SMALL_MAX    (1u * 1024 * 1024)
#define DPKG_MAX     (64u * 1024 * 1024)
#define WALK_MAX_ENTRIES 10000u
#define WALK_MAX_DEPTH   16u
#define EXEC_TIMEOUT_MS  5000

static const char *const unit_dirs[] = {
	"/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system",
	"/usr/lib/systemd/system", "/lib/systemd/system",
};

/* Users and groups of the audited host, for owner names. */
struct idname {
	char *name;
	uint32_t id;
	uint32_t gid;   /* passwd: primary group */
	char *members;  /* group: comma-separated */
};

struct idnames {
	struct idname *users, *groups;
	size_t n_users, a_users, n_groups, a_groups;
	bool have_group;
};

static void idnames_release(struct idnames *n)
{
	size_t i;

	for (i = 0; i < n->n_users; i++)
		hd_free(n->users[i].name);
	for (i = 0; i < n->n_groups; i++) {
		hd_free(n->groups[i].name);
		hd_free(n->groups[i].members);
	}
	hd_free(n->users);
	hd_free(n->groups);
	memset(n, 0, sizeof(*n));
}

static int parse_idfile(const char *data, size_t len, bool is_group, struct idnames *n)
{
	size_t pos = 0;

	while (pos < len) {
		const char *l = data + pos, *nl = memchr(l, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - l) : len - pos;
		char *line, *f[7] = { 0 }, *p;
		size_t nf = 0;
		int64_t id, gid = 0;
		struct idname *x;

		pos += ll + (nl ? 1 : 0);
		line = hd_strndup(l, ll);
		if (!line)
			return -HD_ENOMEM;
		p = line;
		while (nf < HD_ARRAY_SIZE(f)) {
			f[nf++] = p;
			p = strchr(p, ':');
			if (!p)
				break;
			*p++ = '\0';
		}
		if (nf < (is_group ? 3u : 4u) || !f[0][0] || f[0][0] == '#' ||
		    hd_parse_i64(f[2], 0, UINT32_MAX, &id) < 0 ||
		    (!is_group && hd_parse_i64(f[3], 0, UINT32_MAX, &gid) < 0)) {
			hd_free(line);
			continue;
		}
		if (is_group ? HD_GROW(n->groups, n->a_groups, n->n_groups + 1) < 0
			     : HD_GROW(n->users, n->a_users, n->n_users + 1) < 0) {
			hd_free(line);
			return -HD_ENOMEM;
		}
		x = is_group ? &n->groups[n->n_groups] : &n->users[n->n_users];
		memset(x, 0, sizeof(*x));
		x->name = hd_strdup(f[0]);
		x->id = (uint32_t)id;
		x->gid = (uint32_t)gid;
		if (is_group)
			x->members = hd_strdup(nf > 3 ? f[3] : "");
		hd_free(line);
		if (!x->name || (is_group && !x->members)) {
			hd_free(x->name);
			hd_free(x->members);
			return -HD_ENOMEM;
		}
		if (is_group)
			n->n_groups++;
		else
			n->n_users++;
	}
	return 0;
}

static int load_idnames(const struct hd_rootfs *fs, struct idnames *n)
{
	struct hd_buf b = HD_BUF_INIT(CONFIG_MAX);
	int r;

	r = hd_rootfs_read(fs, "/etc/passwd", CONFIG_MAX, &b);
	if (r >= 0)
		r = parse_idfile(b.buf, b.len, false, n);
	if (r == -HD_ENOMEM)
		goto out;
	r = hd_rootfs_read(fs, "/etc/group", CONFIG_MAX, &b);
	if (r >= 0) {
		n->have_group = true;
		r = parse_idfile(b.buf, b.len, true, n);
	}
out:
	hd_buf_release(&b);
	return r == -HD_ENOMEM ? r : 0;
}

static const char *id_lookup(const struct idname *v, size_t n, uint32_t id)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (v[i].id == id)
			return v[i].name;
	}
	return NULL;
}

static int note(struct hd_strlist *notes, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static int note(struct hd_strlist *notes, const char *fmt, ...)
{
	char msg[HD_MAX_MESSAGE];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (hd_strlist_has(notes, msg))
		return 0;
	return hd_strlist_add(notes, msg);
}

static enum hd_file_type file_type(mode_t m)
{
	if (S_ISREG(m))
		return HD_FT_REG;
	if (S_ISDIR(m))
		return HD_FT_DIR;
	if (S_ISSOCK(m))
		return HD_FT_SOCK;
	if (S_ISLNK(m))
		return HD_FT_LINK;
	return HD_FT_OTHER;
}

static int fact_from_stat(struct hd_file_fact *f, const struct stat *st, const struct idnames *ids)
{
	const char *u = id_lookup(ids->users, ids->n_users, st->st_uid);
	const char *g = id_lookup(ids->groups, ids->n_groups, st->st_gid);

	f->err = 0;
	f->type = file_type(st->st_mode);
	f->mode = (uint32_t)(st->st_mode & 07777);
	f->uid = st->st_uid;
	f->gid = st->st_gid;
	f->owner = u ? hd_strdup(u) : NULL;
	f->group = g ? hd_strdup(g) : NULL;
	if ((u && !f->owner) || (g && !f->group))
		return -HD_ENOMEM;
	return 0;
}

/* Adds a fact for path to l and examines it (following links inside the root). */
static int add_fact(const struct hd_rootfs *fs, const struct idnames *ids, struct hd_file_list *l,
		    const char *path)
{
	struct hd_file_fact *f;
	struct stat st;
	char *canon = NULL;
	size_t i;
	int r;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i].path, path) == 0)
			return 0;
	}
	f = hd_file_list_add(l, path);
	if (!f)
		return -HD_ENOMEM;
	r = hd_rootfs_stat(fs, path, &st, &canon);
	if (r == -HD_ENOMEM)
		return r;
	if (r < 0) {
		f->err = r;
		f->type = HD_FT_MISSING;
		return 0;
	}
	f->canon = canon;
	/* Two names of one file (usrmerge: /bin -> /usr/bin) are one fact. */
	for (i = 0; i + 1 < l->n; i++) {
		if (l->v[i].canon && strcmp(l->v[i].canon, canon) == 0) {
			hd_file_fact_release(f);
			l->n--;
			return 0;
		}
	}
	return fact_from_stat(f, &st, ids);
}

/* Lists a tree below a host directory without following links, into l. */
static int walk_tree(const struct hd_rootfs *fs, const struct idnames *ids, struct hd_file_list *l,
		     const char *host_dir, const char *real_dir, unsigned depth)
{
	struct hd_strlist names = { 0 };
	DIR *dh;
	struct dirent *e;
	size_t i;
	int r = 0;

	if (depth > WALK_MAX_DEPTH)
		return 0;
	dh = opendir(real_dir);
	if (!dh)
		return 0;
	while ((e = readdir(dh))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		r = hd_strlist_add(&names, e->d_name);
		if (r < 0)
			break;
	}
	closedir(dh);
	for (i = 0; r >= 0 && i < names.n && l->n < WALK_MAX_ENTRIES; i++) {
		char *hp = hd_path_join(host_dir, names.v[i]);
		char *rp = hd_path_join(real_dir, names.v[i]);
		struct hd_file_fact *f;
		struct stat st;

		if (!hp || !rp) {
			hd_free(hp);
			hd_free(rp);
			r = -HD_ENOMEM;
			break;
		}
		f = hd_file_list_add(l, hp);
		if (!f) {
			r = -HD_ENOMEM;
		} else if (lstat(rp, &st) < 0) {
			f->err = errno == EACCES ? -HD_EACCES : -HD_EIO;
		} else {
			r = fact_from_stat(f, &st, ids);
			if (r >= 0 && S_ISDIR(st.st_mode))
				r = walk_tree(fs, ids, l, hp, rp, depth + 1);
		}
		hd_free(hp);
		hd_free(rp);
	}
	hd_strlist_release(&names);
	(void)fs;
	return r;
}

static int add_tree(const struct hd_rootfs *fs, const struct idnames *ids, struct hd_file_list *l,
		    const char *dir, bool include_dir)
{
	char *real = NULL;
	size_t before = l->n;
	int r;

	if (include_dir) {
		r = add_fact(fs, ids, l, dir);
		if (r < 0)
			return r;
		if (l->n == before || l->v[l->n - 1].type != HD_FT_DIR)
			return 0;
	}
	r = hd_rootfs_resolve(fs, dir, &real, NULL);
	if (r == -HD_ENOMEM)
		return r;
	if (r < 0)
		return 0;
	r = walk_tree(fs, ids, l, dir, real, 0);
	hd_free(real);
	return r;
}

/* Runs argv (no shell) and captures its standard output.  Returns the exit status or < 0. */
static int run_capture(const char *const argv[], struct hd_buf *out)
{
	int pfd[2], status = 0, waited = 0;
	pid_t pid;
	int r = 0;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return -HD_EIO;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -HD_EIO;
	}
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

		dup2(pfd[1], 1);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 2);
		}
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	close(pfd[1]);
	for (;;) {
		struct pollfd p = { pfd[0], POLLIN, 0 };
		char chunk[4096];
		ssize_t n;
		int pr = poll(&p, 1, EXEC_TIMEOUT_MS);

		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0) {
			kill(pid, SIGKILL);
			r = -HD_ETIMEOUT;
			break;
		}
		n = read(pfd[0], chunk, sizeof(chunk));
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (hd_buf_add(out, chunk, (size_t)n) < 0) {
			kill(pid, SIGKILL);
			r = -HD_ETOOBIG;
			break;
		}
	}
	close(pfd[0]);
	while ((waited = (int)waitpid(pid, &status, 0)) < 0 && errno == EINTR)
		;
	if (r < 0)
		return r;
	if (waited < 0 || !WIFEXITED(status))
		return -HD_EIO;
	return WEXITSTATUS(status);
}

char *hd_upstream_version(const char *raw)
{
	const char *p = raw, *colon = strchr(raw, ':');
	size_t n, i;

	if (colon && colon - raw < 4 && isdigit((unsigned char)raw[0]))
		p = colon + 1;
	n = strcspn(p, "+ \t\n");
	for (i = 0; i < n; i++) {
		if (p[i] == '~' && (!strncmp(p + i, "~ds", 3) || !strncmp(p + i, "~dfsg", 5))) {
			n = i;
			break;
		}
		/* A Debian revision: "-1", "-1~debian.12"; "-rc93" is the upstream's. */
		if (p[i] == '-' && isdigit((unsigned char)p[i + 1])) {
			n = i;
			break;
		}
	}
	return hd_strndup(p, n);
}

static int set_version(struct hd_version_fact *v, const char *raw, const char *source)
{
	hd_version_fact_release(v);
	v->raw = hd_strdup(raw);
	v->version = hd_upstream_version(raw);
	v->source = hd_strdup(source);
	v->exact = true;
	if (!v->raw || !v->version || !v->source) {
		hd_version_fact_release(v);
		return -HD_ENOMEM;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* The daemon. */

struct dctx {
	const struct hd_read_opts *o;
	struct hd_rootfs fs;
	struct idnames ids;
	struct hd_daemon_spec *d;
	struct hd_unit unit;
	char *unit_path;       /* docker.service in effect, host path */
	char *socket_unit_path;
	struct hd_unit socket_unit;
	struct hd_uenv env;    /* the service's environment for ExecStart */
	struct hd_uwords argv;
	char *config_flag;     /* --config-file */
};

static int problem_from_uproblems(struct hd_daemon_spec *d, const struct hd_uproblems *p,
				  enum hd_dproblem_kind kind)
{
	size_t i;
	int r;

	for (i = 0; i < p->n; i++) {
		r = hd_daemon_problem(d, kind, p->v[i].file, p->v[i].line, p->v[i].col, NULL, "%s",
				      p->v[i].message);
		if (r < 0)
			return r;
	}
	return 0;
}

static const char *read_err_text(int r)
{
	switch (r) {
	case -HD_EINVAL: return "not a regular file";
	case -HD_ELOOP: return "symlink loop";
	case -HD_EACCES: return "permission denied";
	case -HD_ETOOBIG: return "file too large";
	default: return hd_strerror(r);
	}
}

/* Finds a unit file in systemd's search path; *ret NULL when none (or masked). */
static int find_unit(struct dctx *c, const char *name, char **ret)
{
	size_t i;
	int r;

	*ret = NULL;
	for (i = 0; i < HD_ARRAY_SIZE(unit_dirs); i++) {
		char *p = hd_path_join(unit_dirs[i], name), *canon = NULL;
		struct stat st;

		if (!p)
			return -HD_ENOMEM;
		r = hd_rootfs_stat(&c->fs, p, &st, &canon);
		if (r == -HD_ENOMEM) {
			hd_free(p);
			return r;
		}
		if (r == 0 && canon && strcmp(canon, "/dev/null") == 0) {
			r = note(&c->d->notes, "%s is masked (a link to /dev/null)", p);
			hd_free(p);
			hd_free(canon);
			return r;
		}
		hd_free(canon);
		if (r == 0 || r == -HD_EACCES || r == -HD_ELOOP) {
			*ret = p;
			return 0;
		}
		hd_free(p);
	}
	return 0;
}

/* Reads a unit and its drop-ins into u. */
static int load_unit(struct dctx *c, const char *name, const char *path, struct hd_unit *u)
{
	struct hd_buf b = HD_BUF_INIT(CONFIG_MAX);
	struct hd_strlist seen_dirs = { 0 }, dropin_names = { 0 }, dropin_paths = { 0 };
	size_t i, j;
	int r;

	r = hd_rootfs_read(&c->fs, path, CONFIG_MAX, &b);
	if (r == -HD_ENOMEM)
		goto out;
	if (r < 0) {
		r = hd_daemon_problem(c->d, HD_DP_INVALID, path, 0, 0, NULL,
				      "cannot read unit file '%s': %s", path, read_err_text(r));
		goto out;
	}
	r = hd_unit_parse(u, path, b.buf, b.len);
	if (r < 0)
		goto out;
	/* Drop-ins: lowest priority first, a name in a higher directory wins. */
	for (i = HD_ARRAY_SIZE(unit_dirs); i-- > 0;) {
		struct hd_strlist names = { 0 };
		char *dir = hd_asprintf("%s/%s.d", unit_dirs[i], name), *canon = NULL;

		if (!dir) {
			r = -HD_ENOMEM;
			goto out;
		}
		r = hd_rootfs_resolve(&c->fs, dir, NULL, &canon);
		if (r == 0 && hd_strlist_has(&seen_dirs, canon)) {
			hd_free(canon);
			hd_free(dir);
			continue;
		}
		if (r == 0)
			r = hd_strlist_add(&seen_dirs, canon);
		hd_free(canon);
		if (r == -HD_ENOMEM) {
			hd_free(dir);
			goto out;
		}
		r = hd_rootfs_list(&c->fs, dir, &names);
		for (j = 0; r >= 0 && j < names.n; j++) {
			char *p;
			size_t k;

			if (!hd_ends_with(names.v[j], ".conf"))
				continue;
			p = hd_path_join(dir, names.v[j]);
			if (!p) {
				r = -HD_ENOMEM;
				break;
			}
			for (k = 0; k < dropin_names.n; k++) {
				if (!strcmp(dropin_names.v[k], names.v[j]))
					break;
			}
			if (k < dropin_names.n) {
				hd_free(dropin_paths.v[k]);
				dropin_paths.v[k] = p;
			} else {
				r = hd_strlist_add(&dropin_names, names.v[j]);
				if (r >= 0)
					r = hd_strlist_add(&dropin_paths, p);
				hd_free(p);
			}
		}
		hd_strlist_release(&names);
		hd_free(dir);
		if (r == -HD_ENOMEM)
			goto out;
	}
	/* Applied in the order of their file names, whatever their directory. */
	for (i = 0; i < dropin_names.n; i++) {
		for (j = i + 1; j < dropin_names.n; j++) {
			if (strcmp(dropin_names.v[j], dropin_names.v[i]) < 0) {
				char *t = dropin_names.v[i];

				dropin_names.v[i] = dropin_names.v[j];
				dropin_names.v[j] = t;
				t = dropin_paths.v[i];
				dropin_paths.v[i] = dropin_paths.v[j];
				dropin_paths.v[j] = t;
			}
		}
	}
	for (i = 0; i < dropin_paths.n; i++) {
		r = hd_rootfs_read(&c->fs, dropin_paths.v[i], CONFIG_MAX, &b);
		if (r == -HD_ENOMEM)
			goto out;
		if (r < 0) {
			r = hd_daemon_problem(c->d, HD_DP_INVALID, dropin_paths.v[i], 0, 0, NULL,
					      "cannot read drop-in '%s': %s", dropin_paths.v[i],
					      read_err_text(r));
			if (r < 0)
				goto out;
			continue;
		}
		r = hd_unit_parse(u, dropin_paths.v[i], b.buf, b.len);
		if (r < 0)
			goto out;
	}
	r = 0;
out:
	hd_buf_release(&b);
	hd_strlist_release(&seen_dirs);
	hd_strlist_release(&dropin_names);
	hd_strlist_release(&dropin_paths);
	return r;
}

/* Reads an environment file into env; *found tells whether it existed. */
static int load_env_file(struct dctx *c, const char *path, bool optional, struct hd_uenv *env,
			 bool *found)
{
	struct hd_buf b = HD_BUF_INIT(CONFIG_MAX);
	struct hd_uproblems probs = { 0 };
	int r;

	*found = false;
	r = hd_rootfs_read(&c->fs, path, CONFIG_MAX, &b);
	if (r == -HD_ENOENT && optional) {
		r = 0;
		goto out;
	}
	if (r == -HD_ENOMEM)
		goto out;
	if (r < 0) {
		r = hd_daemon_problem(c->d, HD_DP_INVALID, path, 0, 0, NULL,
				      "cannot read environment file '%s': %s%s", path,
				      read_err_text(r),
				      optional ? "" : "; systemd refuses to start docker.service");
		goto out;
	}
	*found = true;
	r = hd_uenv_parse(env, path, b.buf, b.len, &probs);
	if (r >= 0)
		r = problem_from_uproblems(c->d, &probs, HD_DP_IGNORED);
out:
	hd_uproblems_release(&probs);
	hd_buf_release(&b);
	return r;
}

static int copy_env(struct hd_uenv *dst, const struct hd_uenv *src)
{
	size_t i;

	for (i = 0; i < src->vars.n; i++) {
		struct hd_uword *w;

		if (HD_GROW(dst->vars.v, dst->vars.alloc, dst->vars.n + 1) < 0)
			return -HD_ENOMEM;
		w = &dst->vars.v[dst->vars.n];
		w->s = hd_strdup(src->vars.v[i].s);
		w->file = src->vars.v[i].file ? hd_strdup(src->vars.v[i].file) : NULL;
		w->line = src->vars.v[i].line;
		w->col = src->vars.v[i].col;
		if (!w->s || (src->vars.v[i].file && !w->file)) {
			hd_free(w->s);
			hd_free(w->file);
			return -HD_ENOMEM;
		}
		dst->vars.n++;
	}
	return 0;
}

/* The running dockerd's command line, from /proc (live only). */
static int read_live_process(struct dctx *c, bool *found)
{
	DIR *dh = opendir("/proc");
	struct dirent *e;
	int best_pid = 0, count = 0, r = 0;
	bool best_default = false;

	*found = false;
	if (!dh)
		return note(&c->d->notes, "cannot list /proc: the running dockerd was not examined");
	while ((e = readdir(dh))) {
		char path[64], comm[64];
		int64_t pid;
		FILE *fp;
		struct hd_buf b = HD_BUF_INIT(SMALL_MAX);
		bool is_default;

		if (hd_parse_i64(e->d_name, 1, INT32_MAX, &pid) < 0)
			continue;
		snprintf(path, sizeof(path), "/proc/%" PRId64 "/comm", pid);
		fp = fopen(path, "re");
		if (!fp)
			continue;
		if (!fgets(comm, sizeof(comm), fp)) {
			fclose(fp);
			continue;
		}
		fclose(fp);
		if (strcmp(comm, "dockerd\n") != 0)
			continue;
		count++;
		snprintf(path, sizeof(path), "/proc/%" PRId64 "/cmdline", pid);
		if (hd_buf_read_file(&b, path) < 0) {
			hd_buf_release(&b);
			continue;
		}
		/* A daemon with its own pidfile or data-root is a second one (tests, CI). */
		is_default = !memmem(b.buf, b.len, "--pidfile", 9) && !memmem(b.buf, b.len, "--data-root", 11);
		if (!best_pid || (is_default && !best_default)) {
			best_pid = (int)pid;
			best_default = is_default;
		}
		hd_buf_release(&b);
	}
	closedir(dh);
	if (!best_pid)
		return note(&c->d->notes, "no running dockerd: the configuration is the one it would "
			    "start with");
	{
		char path[64];
		struct hd_buf b = HD_BUF_INIT(SMALL_MAX);
		size_t pos = 0;

		snprintf(path, sizeof(path), "/proc/%d/cmdline", best_pid);
		r = hd_buf_read_file(&b, path);
		if (r < 0) {
			hd_buf_release(&b);
			return r == -HD_ENOMEM ? r : note(&c->d->notes, "cannot read %s: %s", path,
							   hd_strerror(r));
		}
		while (pos < b.len) {
			size_t n = strlen(b.buf + pos);
			struct hd_uword *w;

			if (HD_GROW(c->argv.v, c->argv.alloc, c->argv.n + 1) < 0) {
				hd_buf_release(&b);
				return -HD_ENOMEM;
			}
			w = &c->argv.v[c->argv.n];
			w->s = hd_strndup(b.buf + pos, n);
			w->file = hd_strdup(path);
			w->line = 0;
			w->col = 0;
			if (!w->s || !w->file) {
				hd_free(w->s);
				hd_free(w->file);
				hd_buf_release(&b);
				return -HD_ENOMEM;
			}
			c->argv.n++;
			pos += n + 1;
		}
		hd_buf_release(&b);
		c->d->pid = best_pid;
		c->d->args_from = hd_strdup(path);
		if (!c->d->args_from)
			return -HD_ENOMEM;
		*found = true;
		if (count > 1)
			return note(&c->d->notes, "%d dockerd processes are running; audited pid %d",
				    count, best_pid);
	}
	return 0;
}

/* The command line from the unit, SysV defaults or the live process. */
static int read_command_line(struct dctx *c)
{
	struct hd_daemon_spec *d = c->d;
	bool live_found = false, default_read = false;
	size_t i;
	int r;

	r = find_unit(c, "docker.service", &c->unit_path);
	if (r < 0)
		return r;
	r = find_unit(c, "docker.socket", &c->socket_unit_path);
	if (r < 0)
		return r;
	if (c->socket_unit_path) {
		r = load_unit(c, "docker.socket", c->socket_unit_path, &c->socket_unit);
		if (r < 0)
			return r;
	}
	if (c->unit_path) {
		r = load_unit(c, "docker.service", c->unit_path, &c->unit);
		if (r < 0)
			return r;
		for (i = 0; i < c->unit.files.n; i++) {
			r = hd_strlist_add(&d->unit_files, c->unit.files.v[i]);
			if (r < 0)
				return r;
		}
		r = problem_from_uproblems(d, &c->unit.problems, HD_DP_INVALID);
		if (r < 0)
			return r;
		if (c->unit.user.s) {
			d->unit_user = hd_strdup(c->unit.user.s);
			if (!d->unit_user)
				return -HD_ENOMEM;
		}
		/* Environment= first; EnvironmentFile= values override it. */
		r = copy_env(&c->env, &c->unit.environment);
		if (r < 0)
			return r;
		for (i = 0; i < c->unit.env_files.n; i++) {
			const char *p = c->unit.env_files.v[i].s;
			bool optional = p[0] == '-', found;

			if (optional)
				p++;
			if (p[0] != '/')
				continue;
			r = load_env_file(c, p, optional, &c->env, &found);
			if (r < 0)
				return r;
			if (found && !strcmp(p, "/etc/default/docker"))
				default_read = true;
		}
		if (c->unit.n_exec_start > 1) {
			const struct hd_unit_value *v = &c->unit.exec_start;

			r = hd_daemon_problem(d, HD_DP_INVALID, v->file, v->n_segs ? v->segs[0].line : 0,
					      0, "ExecStart",
					      "docker.service has %zu ExecStart= lines in effect; a drop-in "
					      "must clear the list with an empty 'ExecStart=' before its own; "
					      "systemd refuses to start the service", c->unit.n_exec_start);
			if (r < 0)
				return r;
		} else if (!c->unit.exec_start.value) {
			r = hd_daemon_problem(d, HD_DP_INVALID, c->unit_path, 0, 0, "ExecStart",
					      "docker.service has no ExecStart= in effect; systemd refuses "
					      "to start it");
			if (r < 0)
				return r;
		}
	}
	if (c->fs.live) {
		r = read_live_process(c, &live_found);
		if (r < 0)
			return r;
	} else {
		r = note(&d->notes, "running dockerd not examined (offline audit of %s)", c->fs.root);
		if (r < 0)
			return r;
	}
	if (!live_found && c->unit_path && c->unit.exec_start.value) {
		struct hd_uproblems probs = { 0 };

		r = hd_unit_split_exec(&c->unit.exec_start, &c->env, "docker.service", &c->argv, &probs);
		if (r >= 0)
			r = problem_from_uproblems(d, &probs, HD_DP_INVALID);
		hd_uproblems_release(&probs);
		if (r < 0)
			return r;
		d->args_from = hd_strdup(c->unit.exec_start.file);
		if (!d->args_from)
			return -HD_ENOMEM;
	}
	if (!live_found && !c->unit_path) {
		/* SysV init: the init script runs dockerd $DOCKER_OPTS (or $OPTIONS). */
		static const struct { const char *file, *var; } sysv[] = {
			{ "/etc/default/docker", "DOCKER_OPTS" },
			{ "/etc/sysconfig/docker", "OPTIONS" },
		};

		for (i = 0; i < HD_ARRAY_SIZE(sysv); i++) {
			struct hd_uenv env = { 0 };
			const struct hd_uword *at = NULL;
			const char *val;
			bool found;

			r = load_env_file(c, sysv[i].file, true, &env, &found);
			val = r >= 0 ? hd_uenv_get(&env, sysv[i].var, &at) : NULL;
			if (val && at) {
				struct hd_uwords words = { 0 };
				char *line = hd_asprintf("dockerd %s", val);
				struct hd_uword origin = { NULL, at->file, at->line, at->col };

				r = line ? hd_unit_split_words(line, &origin, &words, NULL) : -HD_ENOMEM;
				/* Shell splits the variable at blanks; quotes inside it stay. */
				hd_free(line);
				if (r >= 0) {
					hd_uwords_release(&c->argv);
					c->argv = words;
					d->args_from = hd_strdup(sysv[i].file);
					if (!d->args_from)
						r = -HD_ENOMEM;
				} else {
					hd_uwords_release(&words);
				}
			}
			hd_uenv_release(&env);
			if (r < 0)
				return r;
			if (val)
				break;
		}
	} else if (c->unit_path && !default_read) {
		/* DOCKER_OPTS that the unit never reads is a common trap. */
		struct hd_uenv env = { 0 };
		const struct hd_uword *at = NULL;
		bool found;

		r = load_env_file(c, "/etc/default/docker", true, &env, &found);
		if (r >= 0 && hd_uenv_get(&env, "DOCKER_OPTS", &at) && at)
			r = hd_daemon_problem(d, HD_DP_IGNORED, at->file, at->line, at->col, "DOCKER_OPTS",
					      "DOCKER_OPTS in /etc/default/docker has no effect: %s does "
					      "not read it (no EnvironmentFile=, or no $DOCKER_OPTS in "
					      "ExecStart=)", c->unit_path);
		hd_uenv_release(&env);
		if (r < 0)
			return r;
	}
	if (!c->argv.n)
		return note(&d->notes, "no dockerd command line found (no docker.service, no SysV "
			    "defaults%s)", c->fs.live ? ", no running dockerd" : "");
	{
		const char *exe = c->argv.v[0].s, *base = strrchr(exe, '/');
		size_t first = 1;

		base = base ? base + 1 : exe;
		d->exec_path = hd_strdup(exe);
		if (!d->exec_path)
			return -HD_ENOMEM;
		if (!strcmp(base, "docker") && c->argv.n > 1 && !strcmp(c->argv.v[1].s, "daemon"))
			first = 2;
		return hd_dockerd_args_read(d, &c->argv, first, &c->config_flag);
	}
}

static int read_daemon_json(struct dctx *c)
{
	struct hd_daemon_spec *d = c->d;
	struct hd_buf b = HD_BUF_INIT(CONFIG_MAX);
	const char *path = c->config_flag ? c->config_flag : "/etc/docker/daemon.json";
	int r;

	d->config_file = hd_strdup(path);
	if (!d->config_file)
		return -HD_ENOMEM;
	if (path[0] != '/') {
		return hd_daemon_problem(d, HD_DP_INVALID, d->args_from, 0, 0, "--config-file",
					 "--config-file '%s' is relative: it depends on dockerd's "
					 "working directory; give an absolute path", path);
	}
	r = hd_rootfs_read(&c->fs, path, CONFIG_MAX, &b);
	if (r == -HD_ENOENT) {
		hd_buf_release(&b);
		if (c->config_flag)
			return hd_daemon_problem(d, HD_DP_INVALID, path, 0, 0, NULL,
						 "--config-file '%s' does not exist; dockerd refuses to "
						 "start", path);
		return 0;
	}
	d->config_present = true;
	if (r == -HD_ENOMEM)
		goto out;
	if (r < 0) {
		r = hd_daemon_problem(d, HD_DP_INVALID, path, 0, 0, NULL,
				      "cannot read '%s': %s; dockerd refuses to start", path,
				      read_err_text(r));
		goto out;
	}
	r = hd_daemon_json_read(d, path, b.buf, b.len);
out:
	hd_buf_release(&b);
	return r;
}

static const char *data_root_of(const struct hd_daemon_spec *d)
{
	const char *s = hd_daemon_str(d, HD_DOPT_DATA_ROOT);

	if (!s)
		s = hd_daemon_str(d, HD_DOPT_GRAPH);
	return s ? s : "/var/lib/docker";
}

/* Where the TLS files are: set explicitly, or dockerd's defaults when TLS is on. */
static const char *tls_path(struct dctx *c, enum hd_dopt o, const char *base, char *buf, size_t size)
{
	const char *s = hd_daemon_str(c->d, o);
	const char *dir;

	if (s)
		return s;
	if (!hd_daemon_bool(c->d, HD_DOPT_TLS, false) && !hd_daemon_bool(c->d, HD_DOPT_TLSVERIFY, false))
		return NULL;
	dir = hd_uenv_get(&c->env, "DOCKER_CERT_PATH", NULL);
	if (!dir || !*dir)
		dir = "/root/.docker";
	snprintf(buf, size, "%s/%s", dir, base);
	return buf;
}

static int read_tls(struct dctx *c)
{
	struct hd_daemon_spec *d = c->d;
	char b1[4096], b2[4096], b3[4096];
	const char *ca = tls_path(c, HD_DOPT_TLSCACERT, "ca.pem", b1, sizeof(b1));
	const char *cert = tls_path(c, HD_DOPT_TLSCERT, "cert.pem", b2, sizeof(b2));
	const char *key = tls_path(c, HD_DOPT_TLSKEY, "key.pem", b3, sizeof(b3));
	struct hd_buf b = HD_BUF_INIT(SMALL_MAX);
	struct hd_strlist dirs = { 0 };
	const char *paths[3] = { ca, cert, key };
	size_t i, j;
	int r = 0;

	if (ca) {
		r = add_fact(&c->fs, &c->ids, &d->files[HD_DF_TLS_CA], ca);
		if (r >= 0 && hd_rootfs_read(&c->fs, ca, SMALL_MAX, &b) == 0)
			r = hd_tls_cert_read(b.buf, b.len, &d->tls.ca);
	}
	if (r >= 0 && cert) {
		r = add_fact(&c->fs, &c->ids, &d->files[HD_DF_TLS_CERT], cert);
		if (r >= 0 && hd_rootfs_read(&c->fs, cert, SMALL_MAX, &b) == 0)
			r = hd_tls_cert_read(b.buf, b.len, &d->tls.cert);
	}
	if (r >= 0 && key) {
		r = add_fact(&c->fs, &c->ids, &d->files[HD_DF_TLS_KEY], key);
		if (r >= 0 && hd_rootfs_read(&c->fs, key, SMALL_MAX, &b) == 0)
			r = hd_tls_key_read(b.buf, b.len, &d->tls.key);
	}
	if (r < 0 || !d->tls.ca.present)
		goto out;
	if (d->tls.cert.present && cert) {
		struct hd_buf cb = HD_BUF_INIT(SMALL_MAX);

		if (hd_rootfs_read(&c->fs, cert, SMALL_MAX, &cb) == 0 &&
		    hd_rootfs_read(&c->fs, ca, SMALL_MAX, &b) == 0) {
			int sr = hd_tls_signed_by(cb.buf, cb.len, b.buf, b.len);

			d->tls.cert_signed_by_ca = sr == 1 ? HD_SIG_OK : sr == 0 ? HD_SIG_BAD : HD_SIG_UNKNOWN;
		}
		hd_buf_release(&cb);
	}
	/* Private keys beside the daemon's files that belong to the CA. */
	for (i = 0; i < HD_ARRAY_SIZE(paths); i++) {
		const char *slash;
		char *dir;

		if (!paths[i] || !(slash = strrchr(paths[i], '/')))
			continue;
		dir = hd_strndup(paths[i], slash == paths[i] ? 1 : (size_t)(slash - paths[i]));
		if (!dir) {
			r = -HD_ENOMEM;
			goto out;
		}
		if (!hd_strlist_has(&dirs, dir))
			r = hd_strlist_add(&dirs, dir);
		hd_free(dir);
		if (r < 0)
			goto out;
	}
	for (i = 0; i < dirs.n; i++) {
		struct hd_strlist names = { 0 };

		if (hd_rootfs_list(&c->fs, dirs.v[i], &names) < 0) {
			hd_strlist_release(&names);
			continue;
		}
		for (j = 0; j < names.n; j++) {
			char *p = hd_path_join(dirs.v[i], names.v[j]);
			struct hd_key_fact kf;
			bool is_ca_key = false;
			char lower[256];
			size_t k;

			if (!p) {
				r = -HD_ENOMEM;
				break;
			}
			if ((key && !strcmp(p, key)) || hd_rootfs_read(&c->fs, p, SMALL_MAX, &b) < 0 ||
			    !hd_tls_looks_like_key(b.buf, b.len)) {
				hd_free(p);
				continue;
			}
			memset(&kf, 0, sizeof(kf));
			r = hd_tls_key_read(b.buf, b.len, &kf);
			for (k = 0; k + 1 < sizeof(lower) && names.v[j][k]; k++)
				lower[k] = (char)tolower((unsigned char)names.v[j][k]);
			lower[k] = '\0';
			if (kf.present && !kf.encrypted &&
			    !memcmp(kf.spki_sha256, d->tls.ca.spki_sha256, sizeof(kf.spki_sha256)))
				is_ca_key = true;
			if (kf.encrypted && strstr(lower, "ca") && strstr(lower, "key"))
				is_ca_key = true;
			hd_free(kf.error);
			if (r >= 0 && is_ca_key) {
				char *s = kf.encrypted ? hd_asprintf("%s (encrypted, named like a CA key)", p)
						       : hd_strdup(p);

				r = s ? hd_strlist_add(&d->tls.ca_keys_near, s) : -HD_ENOMEM;
				hd_free(s);
			}
			hd_free(p);
			if (r < 0)
				break;
		}
		hd_strlist_release(&names);
		if (r < 0)
			goto out;
	}
out:
	hd_strlist_release(&dirs);
	hd_buf_release(&b);
	return r;
}

/* The unix sockets dockerd listens on. */
static int add_sockets(struct dctx *c)
{
	const struct hd_dsetting *h = hd_daemon_opt(c->d, HD_DOPT_HOSTS);
	struct hd_file_list *l = &c->d->files[HD_DF_DOCKER_SOCK];
	size_t i, j;
	int r;

	if (!h->set)
		return add_fact(&c->fs, &c->ids, l, "/var/run/docker.sock");
	for (i = 0; i < h->n_items; i++) {
		const char *v = h->items[i].value;

		if (hd_starts_with(v, "unix://")) {
			r = add_fact(&c->fs, &c->ids, l, v[7] ? v + 7 : "/var/run/docker.sock");
			if (r < 0)
				return r;
		} else if (hd_starts_with(v, "fd://")) {
			/* Socket activation: the sockets are docker.socket's. */
			for (j = 0; j < c->socket_unit.listen_streams.n; j++) {
				const char *s = c->socket_unit.listen_streams.v[j].s;

				if (s[0] != '/')
					continue;
				r = add_fact(&c->fs, &c->ids, l, s);
				if (r < 0)
					return r;
			}
		}
	}
	return 0;
}

int hd_daemon_read(const struct hd_read_opts *o, struct hd_daemon_spec *d)
{
	struct dctx c;
	const char *ctrd;
	char *swarm = NULL;
	struct stat st;
	size_t i;
	int r;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.d = d;
	hd_unit_init(&c.unit);
	hd_unit_init(&c.socket_unit);
	r = hd_rootfs_init(&c.fs, o->root);
	if (r < 0)
		return r;
	d->live = c.fs.live;
	d->now = o->now ? o->now : (int64_t)time(NULL);
	r = load_idnames(&c.fs, &c.ids);
	if (r < 0)
		goto out;
	r = read_command_line(&c);
	if (r < 0)
		goto out;
	r = read_daemon_json(&c);
	if (r < 0)
		goto out;

	/* The files of CIS section 3. */
	if (c.unit_path) {
		r = add_fact(&c.fs, &c.ids, &d->files[HD_DF_DOCKER_SERVICE], c.unit_path);
	} else {
		for (i = 0; r >= 0 && i < HD_ARRAY_SIZE(unit_dirs); i++) {
			char *p = hd_path_join(unit_dirs[i], "docker.service");

			r = p ? add_fact(&c.fs, &c.ids, &d->files[HD_DF_DOCKER_SERVICE], p) : -HD_ENOMEM;
			hd_free(p);
		}
	}
	if (r < 0)
		goto out;
	if (c.socket_unit_path)
		r = add_fact(&c.fs, &c.ids, &d->files[HD_DF_DOCKER_SOCKET], c.socket_unit_path);
	else
		r = add_fact(&c.fs, &c.ids, &d->files[HD_DF_DOCKER_SOCKET],
			     "/lib/systemd/system/docker.socket");
	if (r >= 0)
		r = add_tree(&c.fs, &c.ids, &d->files[HD_DF_ETC_DOCKER], "/etc/docker", true);
	if (r >= 0)
		r = add_tree(&c.fs, &c.ids, &d->files[HD_DF_CERTS_D], "/etc/docker/certs.d", false);
	if (r >= 0)
		r = add_sockets(&c);
	if (r >= 0)
		r = add_fact(&c.fs, &c.ids, &d->files[HD_DF_DAEMON_JSON], d->config_file);
	if (r >= 0)
		r = add_fact(&c.fs, &c.ids, &d->files[HD_DF_ETC_DEFAULT], "/etc/default/docker");
	if (r >= 0)
		r = add_fact(&c.fs, &c.ids, &d->files[HD_DF_SYSCONFIG], "/etc/sysconfig/docker");
	ctrd = hd_daemon_str(d, HD_DOPT_CONTAINERD);
	if (r >= 0)
		r = add_fact(&c.fs, &c.ids, &d->files[HD_DF_CONTAINERD_SOCK],
			     ctrd && ctrd[0] == '/' ? ctrd : "/run/containerd/containerd.sock");
	if (r >= 0)
		r = read_tls(&c);
	if (r < 0)
		goto out;

	/* Swarm: a node that joined keeps its state under data-root. */
	swarm = hd_path_join(data_root_of(d), "swarm/state.json");
	if (!swarm) {
		r = -HD_ENOMEM;
		goto out;
	}
	if (hd_rootfs_stat(&c.fs, swarm, &st, NULL) == 0) {
		d->swarm_active = true;
		d->swarm_evidence = swarm;
		swarm = NULL;
	}
	r = 0;
out:
	hd_free(swarm);
	hd_free(c.unit_path);
	hd_free(c.socket_unit_path);
	hd_free(c.config_flag);
	hd_unit_release(&c.unit);
	hd_unit_release(&c.socket_unit);
	hd_uenv_release(&c.env);
	hd_uwords_release(&c.argv);
	idnames_release(&c.ids);
	hd_rootfs_release(&c.fs);
	return r;
}

/* ------------------------------------------------------------------ */
/* The host. */

struct hctx {
	const struct hd_read_opts *o;
	struct hd_rootfs fs;
	struct idnames ids;
	struct hd_host_facts *h;
	const struct hd_daemon_spec *d;
	bool can_exec;
};

static int read_mounts(struct hctx *c)
{
	struct hd_buf b = HD_BUF_INIT(CONFIG_MAX);
	static const char *const files[] = { "/proc/self/mountinfo", "/proc/mounts", "/etc/mtab" };
	size_t i;
	int r = 0;

	for (i = 0; i < HD_ARRAY_SIZE(files); i++) {
		r = hd_rootfs_read(&c->fs, files[i], CONFIG_MAX, &b);
		if (r == -HD_ENOMEM)
			break;
		if (r < 0)
			continue;
		r = hd_mountinfo_parse(c->h, b.buf, b.len);
		if (r < 0)
			break;
		if (r > 0) {
			c->h->have_mounts = true;
			c->h->mounts_from = hd_strdup(files[i]);
			r = c->h->mounts_from ? 0 : -HD_ENOMEM;
			break;
		}
	}
	hd_buf_release(&b);
	if (r != -HD_ENOMEM)
		r = 0;
	if (r >= 0 && !c->h->have_mounts)
		r = note(&c->h->notes, "no mount table under %s (give a copy of /proc/self/mountinfo "
			 "as %s/proc/self/mountinfo)", c->h->root, c->fs.live ? "" : c->h->root);
	return r < 0 ? r : 0;
}

static int read_group(struct hctx *c)
{
	struct hd_host_facts *h = c->h;
	const char *g = hd_daemon_str(c->d, HD_DOPT_GROUP);
	const struct idname *grp = NULL;
	size_t i;
	int r = 0;

	h->socket_group = hd_strdup(g ? g : "docker");
	if (!h->socket_group)
		return -HD_ENOMEM;
	h->have_group_file = c->ids.have_group;
	if (!c->ids.have_group)
		return note(&h->notes, "no /etc/group under %s: the socket group's members are unknown",
			    h->root);
	for (i = 0; i < c->ids.n_groups; i++) {
		if (!strcmp(c->ids.groups[i].name, h->socket_group)) {
			grp = &c->ids.groups[i];
			break;
		}
	}
	if (!grp)
		return 0;
	h->socket_group_exists = true;
	{
		char *m = hd_strdup(grp->members), *p = m, *e;

		if (!m)
			return -HD_ENOMEM;
		while (p && *p && r >= 0) {
			e = strchr(p, ',');
			if (e)
				*e = '\0';
			while (*p == ' ')
				p++;
			{
				size_t n = strlen(p);

				while (n && p[n - 1] == ' ')
					p[--n] = '\0';
			}
			if (*p && !hd_strlist_has(&h->socket_group_members, p))
				r = hd_strlist_add(&h->socket_group_members, p);
			p = e ? e + 1 : NULL;
		}
		hd_free(m);
	}
	for (i = 0; r >= 0 && i < c->ids.n_users; i++) {
		if (c->ids.users[i].gid == grp->id) {
			char *s = hd_asprintf("%s (primary group)", c->ids.users[i].name);

			r = s ? hd_strlist_add(&h->socket_group_members, s) : -HD_ENOMEM;
			hd_free(s);
		}
	}
	return r;
}

/* Moves every rule of src to the end of dst. */
static int move_rules(struct hd_audit_rules *dst, struct hd_audit_rules *src)
{
	size_t i;

	for (i = 0; i < src->n; i++) {
		if (HD_GROW(dst->v, dst->alloc, dst->n + 1) < 0)
			return -HD_ENOMEM;
		dst->v[dst->n++] = src->v[i];
	}
	src->n = 0;
	return 0;
}

static int read_audit(struct hctx *c)
{
	struct hd_host_facts *h = c->h;
	struct hd_strlist names = { 0 };
	struct hd_buf b = HD_BUF_INIT(CONFIG_MAX);
	size_t i;
	int r;

	r = hd_rootfs_list(&c->fs, "/etc/audit/rules.d", &names);
	if (r == -HD_ENOMEM)
		goto out;
	for (i = 0; i < names.n; i++) {
		char *p;

		if (!hd_ends_with(names.v[i], ".rules"))
			continue;
		p = hd_path_join("/etc/audit/rules.d", names.v[i]);
		if (!p) {
			r = -HD_ENOMEM;
			goto out;
		}
		r = hd_rootfs_read(&c->fs, p, CONFIG_MAX, &b);
		if (r >= 0) {
			r = hd_auditrules_parse(&h->audit_rules, p, b.buf, b.len, false, NULL);
			if (r >= 0)
				r = hd_strlist_add(&h->audit_files, p);
		} else if (r != -HD_ENOMEM) {
			r = note(&h->notes, "cannot read %s: %s", p, read_err_text(r));
		}
		hd_free(p);
		if (r < 0)
			goto out;
	}
	/* audit.rules is what augenrules generated (or a hand-written whole): its
	 * "-D" clears its own rules, not those of rules.d. */
	r = hd_rootfs_read(&c->fs, "/etc/audit/audit.rules", CONFIG_MAX, &b);
	if (r >= 0) {
		struct hd_audit_rules own = { 0 };

		r = hd_auditrules_parse(&own, "/etc/audit/audit.rules", b.buf, b.len, false, NULL);
		r = r >= 0 ? move_rules(&h->audit_rules, &own) : r;
		hd_audit_rules_release(&own);
		if (r >= 0)
			r = hd_strlist_add(&h->audit_files, "/etc/audit/audit.rules");
	} else if (r != -HD_ENOMEM) {
		r = 0;
	}
	if (r < 0)
		goto out;
	if (c->can_exec) {
		static const char *const argv[] = { "auditctl", "-l", NULL };

		hd_buf_reset(&b);
		r = run_capture(argv, &b);
		if (r == 0) {
			struct hd_audit_rules live = { 0 };

			h->have_live_audit = true;
			r = hd_auditrules_parse(&live, "auditctl -l", b.buf, b.len, true, NULL);
			r = r >= 0 ? move_rules(&h->audit_rules, &live) : r;
			hd_audit_rules_release(&live);
		} else {
			r = note(&h->notes, "'auditctl -l' failed: the loaded audit rules are unknown");
		}
	} else {
		r = note(&h->notes, "loaded audit rules (auditctl -l) not examined (%s)",
			 c->fs.live ? "--no-exec" : "offline audit");
	}
	if (r < 0)
		goto out;
	/* Resolve each watched path like the files it should match. */
	for (i = 0; i < h->audit_rules.n; i++) {
		struct hd_audit_rule *x = &h->audit_rules.v[i];
		struct stat st;

		r = hd_rootfs_stat(&c->fs, x->path, &st, &x->canon);
		if (r == -HD_ENOMEM)
			goto out;
		if (r == 0 && S_ISDIR(st.st_mode))
			x->dir = true;
	}
	r = 0;
out:
	hd_strlist_release(&names);
	hd_buf_release(&b);
	return r;
}

static int add_candidates(struct hctx *c, enum hd_apath k, const char *const *paths)
{
	int r;

	for (; *paths; paths++) {
		r = add_fact(&c->fs, &c->ids, &c->h->apaths[k], *paths);
		if (r < 0)
			return r;
	}
	return 0;
}

static int add_from_list(struct hctx *c, enum hd_apath k, const struct hd_file_list *l)
{
	size_t i;
	int r;

	for (i = 0; i < l->n; i++) {
		r = add_fact(&c->fs, &c->ids, &c->h->apaths[k], l->v[i].path);
		if (r < 0)
			return r;
	}
	return 0;
}

static int read_apaths(struct hctx *c)
{
	const struct hd_daemon_spec *d = c->d;
	static const char *const dockerd[] = { "/usr/bin/dockerd", "/usr/sbin/dockerd",
					       "/usr/local/bin/dockerd", NULL };
	static const char *const run_ctrd[] = { "/run/containerd", NULL };
	static const char *const etc_docker[] = { "/etc/docker", NULL };
	static const char *const etc_default[] = { "/etc/default/docker", NULL };
	static const char *const ctrd_config[] = { "/etc/containerd/config.toml", NULL };
	static const char *const sysconfig[] = { "/etc/sysconfig/docker", NULL };
	static const char *const ctrd[] = { "/usr/bin/containerd", "/usr/sbin/containerd",
					    "/usr/local/bin/containerd", NULL };
	static const char *const shim[] = { "/usr/bin/containerd-shim", "/usr/local/bin/containerd-shim",
					    NULL };
	static const char *const v1[] = { "/usr/bin/containerd-shim-runc-v1",
					  "/usr/local/bin/containerd-shim-runc-v1", NULL };
	static const char *const v2[] = { "/usr/bin/containerd-shim-runc-v2",
					  "/usr/local/bin/containerd-shim-runc-v2", NULL };
	static const char *const runc[] = { "/usr/bin/runc", "/usr/sbin/runc", "/usr/local/bin/runc",
					    "/usr/local/sbin/runc", NULL };
	const char *data_root[] = { c->h->data_root, NULL };
	int r = 0;

	if (d->exec_path && d->exec_path[0] == '/')
		r = add_fact(&c->fs, &c->ids, &c->h->apaths[HD_AP_DOCKERD], d->exec_path);
	if (r >= 0)
		r = add_candidates(c, HD_AP_DOCKERD, dockerd);
	if (r >= 0)
		r = add_candidates(c, HD_AP_RUN_CONTAINERD, run_ctrd);
	if (r >= 0)
		r = add_candidates(c, HD_AP_DATA_ROOT, data_root);
	if (r >= 0)
		r = add_candidates(c, HD_AP_ETC_DOCKER, etc_docker);
	if (r >= 0)
		r = add_from_list(c, HD_AP_DOCKER_SERVICE, &d->files[HD_DF_DOCKER_SERVICE]);
	if (r >= 0)
		r = add_from_list(c, HD_AP_CONTAINERD_SOCK, &d->files[HD_DF_CONTAINERD_SOCK]);
	if (r >= 0)
		r = add_from_list(c, HD_AP_DOCKER_SOCKET, &d->files[HD_DF_DOCKER_SOCKET]);
	if (r >= 0)
		r = add_candidates(c, HD_AP_ETC_DEFAULT, etc_default);
	if (r >= 0 && d->config_file)
		r = add_fact(&c->fs, &c->ids, &c->h->apaths[HD_AP_DAEMON_JSON], d->config_file);
	if (r >= 0)
		r = add_candidates(c, HD_AP_CONTAINERD_CONFIG, ctrd_config);
	if (r >= 0)
		r = add_candidates(c, HD_AP_SYSCONFIG, sysconfig);
	if (r >= 0)
		r = add_candidates(c, HD_AP_CONTAINERD, ctrd);
	if (r >= 0)
		r = add_candidates(c, HD_AP_CONTAINERD_SHIM, shim);
	if (r >= 0)
		r = add_candidates(c, HD_AP_SHIM_RUNC_V1, v1);
	if (r >= 0)
		r = add_candidates(c, HD_AP_SHIM_RUNC_V2, v2);
	if (r >= 0)
		r = add_candidates(c, HD_AP_RUNC, runc);
	return r;
}

/* Reads a gzip file of the audited host through libarchive (raw format). */
static int read_gz(struct hctx *c, const char *path, struct hd_buf *out)
{
	struct archive *a;
	struct archive_entry *e;
	char *real = NULL;
	int r;

	r = hd_rootfs_resolve(&c->fs, path, &real, NULL);
	if (r < 0)
		return r;
	a = archive_read_new();
	if (!a) {
		hd_free(real);
		return -HD_ENOMEM;
	}
	archive_read_support_filter_gzip(a);
	archive_read_support_format_raw(a);
	if (archive_read_open_filename(a, real, 65536) != ARCHIVE_OK ||
	    archive_read_next_header(a, &e) != ARCHIVE_OK) {
		r = -HD_EIO;
		goto out;
	}
	for (;;) {
		char chunk[65536];
		la_ssize_t n = archive_read_data(a, chunk, sizeof(chunk));

		if (n < 0) {
			r = -HD_EIO;
			break;
		}
		if (n == 0)
			break;
		r = hd_buf_add(out, chunk, (size_t)n);
		if (r < 0)
			break;
	}
out:
	archive_read_free(a);
	hd_free(real);
	return r;
}

/* The CVE ids a Debian package's changelog names: fixes it carries, backported or not. */
static int read_changelog(struct hctx *c, struct hd_version_fact *v)
{
	struct hd_buf b = HD_BUF_INIT(CONFIG_MAX);
	char *path = hd_asprintf("/usr/share/doc/%s/changelog.Debian.gz", v->package);
	const char *p;
	int r;

	if (!path)
		return -HD_ENOMEM;
	r = read_gz(c, path, &b);
	hd_free(path);
	if (r < 0) {
		hd_buf_release(&b);
		return r == -HD_ENOMEM ? r : 0;
	}
	r = 0;
	for (p = b.buf; r >= 0 && (p = strstr(p, "CVE-")); p += 4) {
		size_t n = 4;
		char id[32];

		while (n < 24 && (isdigit((unsigned char)p[n]) || (p[n] == '-' && n == 8)))
			n++;
		if (n < 13 || p[8] != '-')
			continue;
		memcpy(id, p, n);
		id[n] = '\0';
		if (!hd_strlist_has(&v->fixed_cves, id))
			r = hd_strlist_add(&v->fixed_cves, id);
	}
	hd_buf_release(&b);
	return r;
}

/* Versions from dpkg's database (offline and live). */
static int read_dpkg(struct hctx *c)
{
	static const struct { const char *pkg; int which; } pkgs[] = {
		{ "docker-ce", 0 }, { "docker.io", 0 }, { "docker-engine", 0 }, { "moby-engine", 0 },
		{ "containerd.io", 1 }, { "containerd", 1 }, { "runc", 2 },
	};
	struct hd_version_fact *slot[3] = { &c->h->engine, &c->h->containerd, &c->h->runc };
	struct hd_buf b = HD_BUF_INIT(DPKG_MAX);
	const char *p, *end;
	int r;

	r = hd_rootfs_read(&c->fs, "/var/lib/dpkg/status", DPKG_MAX, &b);
	if (r < 0) {
		hd_buf_release(&b);
		return r == -HD_ENOMEM ? r : 0;
	}
	p = b.buf;
	end = b.buf + b.len;
	while (p < end) {
		const char *para_end = strstr(p, "\n\n");
		char pkg[128] = "", ver[128] = "";
		bool installed = false;
		const char *l = p;
		size_t i;

		if (!para_end)
			para_end = end;
		while (l < para_end) {
			const char *nl = memchr(l, '\n', (size_t)(para_end - l));
			size_t ll = nl ? (size_t)(nl - l) : (size_t)(para_end - l);

			if (ll > 9 && !strncmp(l, "Package: ", 9))
				snprintf(pkg, sizeof(pkg), "%.*s", (int)(ll - 9), l + 9);
			else if (ll > 9 && !strncmp(l, "Version: ", 9))
				snprintf(ver, sizeof(ver), "%.*s", (int)(ll - 9), l + 9);
			else if (ll > 8 && !strncmp(l, "Status: ", 8))
				installed = memmem(l, ll, " installed", 10) != NULL;
			l += ll + 1;
		}
		if (installed && *ver && c->h->kernel.raw && hd_starts_with(pkg, "linux-image-") &&
		    !strcmp(pkg + 12, c->h->kernel.raw) && !c->h->kernel.package) {
			struct hd_version_fact *k = &c->h->kernel;
			char *up = hd_upstream_version(ver);
			char src[320];

			snprintf(src, sizeof(src), "/var/lib/dpkg/status (%s %s)", pkg, ver);
			hd_free(k->source);
			k->source = hd_strdup(src);
			k->package = hd_strdup(pkg);
			if (!up || !k->source || !k->package) {
				hd_free(up);
				r = -HD_ENOMEM;
				goto out;
			}
			hd_free(k->version);
			k->version = up;
			k->exact = true;
			r = read_changelog(c, k);
			if (r < 0)
				goto out;
		}
		for (i = 0; installed && *ver && i < HD_ARRAY_SIZE(pkgs); i++) {
			struct hd_version_fact *v = slot[pkgs[i].which];
			char src[192];

			if (strcmp(pkg, pkgs[i].pkg) != 0 || v->package)
				continue;
			if (v->raw) {
				/* Live: the binary answered; link its package when versions agree. */
				char *up = hd_upstream_version(ver);
				bool same = up && hd_version_cmp(up, v->version) == 0;

				hd_free(up);
				if (!same)
					continue;
			} else {
				snprintf(src, sizeof(src), "/var/lib/dpkg/status (%s)", pkg);
				r = set_version(v, ver, src);
				if (r < 0)
					goto out;
			}
			v->package = hd_strdup(pkg);
			if (!v->package) {
				r = -HD_ENOMEM;
				goto out;
			}
			r = read_changelog(c, v);
			if (r < 0)
				goto out;
		}
		p = para_end + 2;
	}
	r = 0;
out:
	hd_buf_release(&b);
	return r;
}

/* Versions from the binaries themselves (live only). */
static int read_binary_versions(struct hctx *c)
{
	static const struct { const char *prog; int which; const char *marker; } bins[] = {
		{ "dockerd", 0, "version " }, { "containerd", 1, NULL }, { "runc", 2, "version " },
	};
	struct hd_version_fact *slot[3] = { &c->h->engine, &c->h->containerd, &c->h->runc };
	struct hd_buf b = HD_BUF_INIT(SMALL_MAX);
	size_t i;
	int r = 0;

	for (i = 0; i < HD_ARRAY_SIZE(bins); i++) {
		const char *argv[] = { bins[i].prog, "--version", NULL };
		const char *v = NULL;
		char raw[128], src[64];
		size_t n;

		hd_buf_reset(&b);
		if (run_capture(argv, &b) != 0)
			continue;
		if (bins[i].marker) {
			v = strstr(b.buf, bins[i].marker);
			if (v)
				v += strlen(bins[i].marker);
		} else {
			/* "containerd github.com/containerd/containerd 1.6.20~ds1 <commit>" */
			const char *p = b.buf;
			int field = 0;

			while (*p && field < 2) {
				while (*p && *p != ' ')
					p++;
				while (*p == ' ')
					p++;
				field++;
			}
			v = *p ? p : NULL;
		}
		if (!v)
			continue;
		if (*v == 'v')
			v++;
		n = strcspn(v, " ,\n");
		if (!n || n >= sizeof(raw))
			continue;
		memcpy(raw, v, n);
		raw[n] = '\0';
		snprintf(src, sizeof(src), "%s --version", bins[i].prog);
		r = set_version(slot[bins[i].which], raw, src);
		if (r < 0)
			break;
	}
	hd_buf_release(&b);
	return r;
}

/*
 * Distribution kernels keep an ABI name ("5.15.0-91-generic", "6.1.0-18-amd64")
 * whose patch level says nothing; only a non-zero patch level or a release
 * without a suffix names the upstream version.
 */
static bool kernel_exact(const char *raw)
{
	const char *p = raw;
	int dots = 0;

	while (*p && (isdigit((unsigned char)*p) || *p == '.')) {
		if (*p == '.')
			dots++;
		p++;
	}
	if (!*p)
		return true;
	if (dots < 2)
		return false;
	return !(p[-1] == '0' && p[-2] == '.');
}

static int read_kernel(struct hctx *c)
{
	struct hd_buf b = HD_BUF_INIT(SMALL_MAX);
	struct hd_version_fact *k = &c->h->kernel;
	int r = 0;

	if (c->fs.live) {
		struct utsname u;

		if (uname(&u) == 0)
			r = set_version(k, u.release, "uname");
	} else if (hd_rootfs_read(&c->fs, "/proc/sys/kernel/osrelease", SMALL_MAX, &b) == 0) {
		b.len = strcspn(b.buf, "\n");
		b.buf[b.len] = '\0';
		if (b.len)
			r = set_version(k, b.buf, "/proc/sys/kernel/osrelease");
	}
	if (r >= 0 && hd_rootfs_read(&c->fs, "/proc/version", SMALL_MAX, &b) == 0 &&
	    hd_starts_with(b.buf, "Linux version ")) {
		char raw[128];
		size_t n = strcspn(b.buf + 14, " \n");
		const char *deb = strstr(b.buf, " Debian ");

		if (!k->raw && n && n < sizeof(raw)) {
			memcpy(raw, b.buf + 14, n);
			raw[n] = '\0';
			r = set_version(k, raw, "/proc/version");
		}
		/* Debian's kernels name their upstream version: "... Debian 6.1.76-1 (2024-02-01)". */
		if (r >= 0 && k->raw && deb && isdigit((unsigned char)deb[8])) {
			char *v = hd_strndup(deb + 8, strcspn(deb + 8, " \n"));
			char *up = v ? hd_upstream_version(v) : NULL;

			if (!up) {
				r = -HD_ENOMEM;
			} else {
				hd_free(k->version);
				k->version = up;
				up = NULL;
				k->exact = true;
				hd_free(k->source);
				k->source = hd_strdup("/proc/version (Debian kernel)");
				r = k->source ? 0 : -HD_ENOMEM;
			}
			hd_free(v);
			hd_free(up);
		} else if (r >= 0 && k->raw) {
			k->exact = kernel_exact(k->raw);
		}
	} else if (r >= 0 && k->raw) {
		k->exact = kernel_exact(k->raw);
	}
	hd_buf_release(&b);
	if (r >= 0 && !k->raw)
		r = note(&c->h->notes, "kernel version unknown (no proc/sys/kernel/osrelease under %s)",
			 c->h->root);
	return r;
}

/* DOCKER_CONTENT_TRUST in /etc/environment and /etc/profile.d; the last setting wins. */
static int scan_content_trust(struct hctx *c, const char *path, const char *data, size_t len)
{
	struct hd_host_facts *h = c->h;
	size_t pos = 0;
	uint32_t line = 0;

	while (pos < len) {
		const char *l = data + pos, *nl = memchr(l, '\n', len - pos);
		size_t ll = nl ? (size_t)(nl - l) : len - pos, i = 0, vs, ve;
		char val[64];
		bool on;

		pos += ll + (nl ? 1 : 0);
		line++;
		while (i < ll && (l[i] == ' ' || l[i] == '\t'))
			i++;
		if (ll - i > 7 && !strncmp(l + i, "export ", 7)) {
			i += 7;
			while (i < ll && l[i] == ' ')
				i++;
		}
		if (ll - i < 21 || strncmp(l + i, "DOCKER_CONTENT_TRUST=", 21) != 0)
			continue;
		vs = i + 21;
		ve = vs;
		while (ve < ll && !strchr(" \t\r;#", l[ve]))
			ve++;
		snprintf(val, sizeof(val), "%.*s", (int)(ve - vs), l + vs);
		{
			/* Quotes around the value do not change it. */
			size_t n = strlen(val);

			if (n >= 2 && (val[0] == '"' || val[0] == '\'') && val[n - 1] == val[0]) {
				memmove(val, val + 1, n - 2);
				val[n - 2] = '\0';
			}
		}
		on = hd_parse_go_bool(val, &on) == 0 && on;
		hd_free(h->content_trust_value);
		hd_free(h->content_trust_file);
		h->content_trust = on ? HD_TRI_ON : HD_TRI_OFF;
		h->content_trust_value = hd_strdup(val);
		h->content_trust_file = hd_strdup(path);
		h->content_trust_line = line;
		if (!h->content_trust_value || !h->content_trust_file)
			return -HD_ENOMEM;
	}
	return 0;
}

static int read_content_trust(struct hctx *c)
{
	struct hd_strlist names = { 0 };
	struct hd_buf b = HD_BUF_INIT(CONFIG_MAX);
	size_t i;
	int r = 0;

	if (hd_rootfs_read(&c->fs, "/etc/environment", CONFIG_MAX, &b) == 0)
		r = scan_content_trust(c, "/etc/environment", b.buf, b.len);
	if (r >= 0 && hd_rootfs_list(&c->fs, "/etc/profile.d", &names) == -HD_ENOMEM)
		r = -HD_ENOMEM;
	for (i = 0; r >= 0 && i < names.n; i++) {
		char *p;

		if (!hd_ends_with(names.v[i], ".sh"))
			continue;
		p = hd_path_join("/etc/profile.d", names.v[i]);
		if (!p) {
			r = -HD_ENOMEM;
			break;
		}
		if (hd_rootfs_read(&c->fs, p, CONFIG_MAX, &b) == 0)
			r = scan_content_trust(c, p, b.buf, b.len);
		hd_free(p);
	}
	hd_strlist_release(&names);
	hd_buf_release(&b);
	return r;
}

int hd_host_read(const struct hd_read_opts *o, const struct hd_daemon_spec *d,
		 struct hd_host_facts *h)
{
	struct hctx c;
	int r;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.h = h;
	c.d = d;
	r = hd_rootfs_init(&c.fs, o->root);
	if (r < 0)
		return r;
	c.can_exec = c.fs.live && !o->no_exec;
	h->live = c.fs.live;
	h->now = o->now ? o->now : (int64_t)time(NULL);
	h->root = hd_strdup(c.fs.live ? "/" : c.fs.root);
	h->data_root = hd_strdup(data_root_of(d));
	if (!h->root || !h->data_root) {
		r = -HD_ENOMEM;
		goto out;
	}
	r = hd_rootfs_resolve(&c.fs, h->data_root, NULL, &h->data_root_canon);
	if (r == -HD_ENOMEM)
		goto out;
	r = load_idnames(&c.fs, &c.ids);
	if (r >= 0)
		r = read_mounts(&c);
	if (r >= 0)
		r = read_group(&c);
	if (r >= 0)
		r = read_audit(&c);
	if (r >= 0)
		r = read_apaths(&c);
	if (r >= 0)
		r = read_kernel(&c);
	if (r >= 0 && c.can_exec)
		r = read_binary_versions(&c);
	if (r >= 0)
		r = read_dpkg(&c);
	if (r >= 0 && !c.can_exec)
		r = note(&h->notes, "component versions read from dpkg only (%s)",
			 c.fs.live ? "--no-exec" : "offline audit");
	if (r >= 0)
		r = read_content_trust(&c);
out:
	idnames_release(&c.ids);
	hd_rootfs_release(&c.fs);
	return r < 0 ? r : 0;
}

int hd_facts_apply_engine(struct hd_daemon_spec *d, struct hd_host_facts *h,
			  const struct hd_engine_facts *f)
{
	char src[512];
	int r = 0;

	snprintf(src, sizeof(src), "engine /info (%s)", f->endpoint ? f->endpoint : "?");
	if (d && f->info_known) {
		if (f->swarm == HD_SWARM_ACTIVE || f->swarm == HD_SWARM_PENDING ||
		    f->swarm == HD_SWARM_LOCKED || f->swarm == HD_SWARM_ERROR) {
			char *ev = hd_asprintf("%s: Swarm.LocalNodeState=%s", src,
					       hd_swarm_state_name(f->swarm));

			if (!ev)
				return -HD_ENOMEM;
			hd_free(d->swarm_evidence);
			d->swarm_evidence = ev;
			d->swarm_active = true;
		} else if (f->swarm == HD_SWARM_INACTIVE) {
			d->swarm_active = false;
		}
		if (f->driver) {
			hd_free(d->running_driver);
			hd_free(d->running_from);
			d->running_driver = hd_strdup(f->driver);
			d->running_from = hd_strdup(src);
			if (!d->running_driver || !d->running_from)
				return -HD_ENOMEM;
		}
	}
	if (h && f->version_known) {
		snprintf(src, sizeof(src), "engine /version (%s)", f->endpoint ? f->endpoint : "?");
		if (!h->engine.version && f->version)
			r = set_version(&h->engine, f->version, src);
		if (r >= 0 && !h->containerd.version && f->containerd_version)
			r = set_version(&h->containerd, f->containerd_version, src);
		if (r >= 0 && !h->runc.version && f->runc_version)
			r = set_version(&h->runc, f->runc_version, src);
	}
	return r;
}
