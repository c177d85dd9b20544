/*
 * The effective dockerd configuration for `hardock audit daemon` (see
 * host_read.h).  The order follows dockerd's own start-up: the command line
 * (systemd unit with drop-ins and environment files, or SysV defaults, or the
 * live process), then daemon.json, then what those name (sockets, TLS
 * files, data-root).
 */
#include "core/common.h"
#include "core/buf.h"
#include "audit/read_int.h"
#include "audit/procs.h"
#include "audit/tls_read.h"
#include "parse/daemon_json.h"
#include "parse/dockerd_args.h"
#include "parse/unit.h"

#include <dirent.h>
#include <sys/stat.h>
#include <time.h>

static const char *const unit_dirs[] = {
	"/etc/systemd/system", "/run/systemd/system", "/usr/local/lib/systemd/system",
	"/usr/lib/systemd/system", "/lib/systemd/system",
};

struct dctx {
	const struct hd_read_opts *o;
	struct hd_rootfs fs;
	struct hd_idnames ids;
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
			r = hd_read_note(&c->d->notes, "%s is masked (a link to /dev/null)", p);
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
	struct hd_buf b = HD_BUF_INIT(HD_READ_CONFIG_MAX);
	struct hd_strlist seen_dirs = { 0 }, dropin_names = { 0 }, dropin_paths = { 0 };
	size_t i, j;
	int r;

	r = hd_rootfs_read(&c->fs, path, HD_READ_CONFIG_MAX, &b);
	if (r == -HD_ENOMEM)
		goto out;
	if (r < 0) {
		r = hd_daemon_problem(c->d, HD_DP_INVALID, path, 0, 0, NULL,
				      "cannot read unit file '%s': %s", path, hd_read_err_text(r));
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
		r = hd_rootfs_read(&c->fs, dropin_paths.v[i], HD_READ_CONFIG_MAX, &b);
		if (r == -HD_ENOMEM)
			goto out;
		if (r < 0) {
			r = hd_daemon_problem(c->d, HD_DP_INVALID, dropin_paths.v[i], 0, 0, NULL,
					      "cannot read drop-in '%s': %s", dropin_paths.v[i],
					      hd_read_err_text(r));
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
	struct hd_buf b = HD_BUF_INIT(HD_READ_CONFIG_MAX);
	struct hd_uproblems probs = { 0 };
	int r;

	*found = false;
	r = hd_rootfs_read(&c->fs, path, HD_READ_CONFIG_MAX, &b);
	if (r == -HD_ENOENT && optional) {
		r = 0;
		goto out;
	}
	if (r == -HD_ENOMEM)
		goto out;
	if (r < 0) {
		r = hd_daemon_problem(c->d, HD_DP_INVALID, path, 0, 0, NULL,
				      "cannot read environment file '%s': %s%s", path,
				      hd_read_err_text(r),
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
	struct hd_procs own;
	const struct hd_procs *ps = c->o->procs;
	int best_pid = 0, count = 0, r = 0;
	bool best_default = false;
	size_t i;

	*found = false;
	hd_procs_init(&own);
	if (!ps) {
		r = hd_procs_scan(&own, false);
		if (r < 0)
			return r;
		ps = &own;
	}
	if (!ps->read) {
		hd_procs_release(&own);
		return hd_read_note(&c->d->notes, "cannot list /proc: the running dockerd was not examined");
	}
	for (i = 0; i < ps->n; i++) {
		struct hd_buf b = HD_BUF_INIT(HD_READ_SMALL_MAX);
		char path[64];
		bool is_default;

		if (strcmp(ps->v[i].comm, "dockerd") != 0)
			continue;
		count++;
		snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)ps->v[i].pid);
		if (hd_buf_read_file(&b, path) < 0) {
			hd_buf_release(&b);
			continue;
		}
		/* A daemon with its own pidfile or data-root is a second one (tests, CI). */
		is_default = !memmem(b.buf, b.len, "--pidfile", 9) && !memmem(b.buf, b.len, "--data-root", 11);
		if (!best_pid || (is_default && !best_default)) {
			best_pid = (int)ps->v[i].pid;
			best_default = is_default;
		}
		hd_buf_release(&b);
	}
	hd_procs_release(&own);
	if (!best_pid)
		return hd_read_note(&c->d->notes, "no running dockerd: the configuration is the one it would "
			    "start with");
	{
		char path[64];
		struct hd_buf b = HD_BUF_INIT(HD_READ_SMALL_MAX);
		size_t pos = 0;

		snprintf(path, sizeof(path), "/proc/%d/cmdline", best_pid);
		r = hd_buf_read_file(&b, path);
		if (r < 0) {
			hd_buf_release(&b);
			return r == -HD_ENOMEM ? r : hd_read_note(&c->d->notes, "cannot read %s: %s", path,
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
			return hd_read_note(&c->d->notes, "%d dockerd processes are running; audited pid %d",
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
		r = hd_read_note(&d->notes, "running dockerd not examined (offline audit of %s)", c->fs.root);
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
		return hd_read_note(&d->notes, "no dockerd command line found (no docker.service, no SysV "
			    "defaults%s)", c->fs.live ? ", no running dockerd" : "");
	{
		const char *exe = c->argv.v[0].s, *base = strrchr(exe, '/');
		size_t first = 1;
		base = base ? base + 1 : exe;
		d->exec_path = hd_strdup(exe);
		if (!d->exec_path)
			return -HD_ENOMEM;
		size_t k;

		if (!strcmp(base, "docker") && c->argv.n > 1 && !strcmp(c->argv.v[1].s, "daemon"))
			first = 2;
		for (k = 0; k < c->argv.n; k++) {
			r = hd_strlist_add(&d->argv, c->argv.v[k].s);
			if (r < 0)
				return r;
		}
		return hd_dockerd_args_read(d, &c->argv, first, &c->config_flag);
	}
}

static int read_daemon_json(struct dctx *c)
{
	struct hd_daemon_spec *d = c->d;
	struct hd_buf b = HD_BUF_INIT(HD_READ_CONFIG_MAX);
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
	r = hd_rootfs_read(&c->fs, path, HD_READ_CONFIG_MAX, &b);
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
				      hd_read_err_text(r));
		goto out;
	}
	r = hd_daemon_json_read(d, path, b.buf, b.len);
out:
	hd_buf_release(&b);
	return r;
}

const char *hd_daemon_data_root(const struct hd_daemon_spec *d)
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
	struct hd_buf b = HD_BUF_INIT(HD_READ_SMALL_MAX);
	struct hd_strlist dirs = { 0 };
	const char *paths[3] = { ca, cert, key };
	size_t i, j;
	int r = 0;

	if (ca) {
		r = hd_read_add_fact(&c->fs, &c->ids, &d->files[HD_DF_TLS_CA], ca);
		if (r >= 0 && hd_rootfs_read(&c->fs, ca, HD_READ_SMALL_MAX, &b) == 0)
			r = hd_tls_cert_read(b.buf, b.len, &d->tls.ca);
	}
	if (r >= 0 && cert) {
		r = hd_read_add_fact(&c->fs, &c->ids, &d->files[HD_DF_TLS_CERT], cert);
		if (r >= 0 && hd_rootfs_read(&c->fs, cert, HD_READ_SMALL_MAX, &b) == 0)
			r = hd_tls_cert_read(b.buf, b.len, &d->tls.cert);
	}
	if (r >= 0 && key) {
		r = hd_read_add_fact(&c->fs, &c->ids, &d->files[HD_DF_TLS_KEY], key);
		if (r >= 0 && hd_rootfs_read(&c->fs, key, HD_READ_SMALL_MAX, &b) == 0)
			r = hd_tls_key_read(b.buf, b.len, &d->tls.key);
	}
	if (r < 0 || !d->tls.ca.present)
		goto out;
	if (d->tls.cert.present && cert) {
		struct hd_buf cb = HD_BUF_INIT(HD_READ_SMALL_MAX);

		if (hd_rootfs_read(&c->fs, cert, HD_READ_SMALL_MAX, &cb) == 0 &&
		    hd_rootfs_read(&c->fs, ca, HD_READ_SMALL_MAX, &b) == 0) {
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
			if ((key && !strcmp(p, key)) || hd_rootfs_read(&c->fs, p, HD_READ_SMALL_MAX, &b) < 0 ||
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

/* What docker.socket makes systemd create: its paths, mode and owner. */
static int read_socket_unit(struct dctx *c)
{
	struct hd_socket_unit *su = &c->d->socket_unit;
	const struct hd_unit *u = &c->socket_unit;
	const struct hd_uword *owner = u->socket_group.s ? &u->socket_group : u->socket_user.s ? &u->socket_user : NULL;
	size_t i;
	int r = 0;

	su->path = hd_strdup(c->socket_unit_path);
	if (!su->path)
		return -HD_ENOMEM;
	for (i = 0; r >= 0 && i < u->listen_streams.n; i++) {
		if (u->listen_streams.v[i].s[0] == '/')
			r = hd_strlist_add(&su->listen, u->listen_streams.v[i].s);
	}
	su->mode = 0666;
	if (r >= 0 && u->socket_mode.s) {
		size_t n = strlen(u->socket_mode.s);

		if (n && n <= 5 && strspn(u->socket_mode.s, "01234567") == n) {
			/* Octal, as systemd reads it. */
			su->mode = (uint32_t)strtoul(u->socket_mode.s, NULL, 8) & 07777;
			su->mode_set = true;
		}
		su->mode_text = hd_strdup(u->socket_mode.s);
		r = su->mode_text ? hd_dorigin_set(&su->mode_at, u->socket_mode.file, u->socket_mode.line,
						   u->socket_mode.col, "SocketMode") : -HD_ENOMEM;
	} else if (r >= 0) {
		r = hd_dorigin_set(&su->mode_at, su->path, 0, 0, "SocketMode");
	}
	if (r >= 0 && u->socket_user.s && !(su->user = hd_strdup(u->socket_user.s)))
		r = -HD_ENOMEM;
	if (r >= 0 && u->socket_group.s && !(su->group = hd_strdup(u->socket_group.s)))
		r = -HD_ENOMEM;
	if (r >= 0)
		r = hd_dorigin_set(&su->owner_at, owner ? owner->file : su->path, owner ? owner->line : 0,
				   owner ? owner->col : 0, owner == &u->socket_group ? "SocketGroup" :
				   owner ? "SocketUser" : NULL);
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
		return hd_read_add_fact(&c->fs, &c->ids, l, "/var/run/docker.sock");
	for (i = 0; i < h->n_items; i++) {
		const char *v = h->items[i].value;

		if (hd_starts_with(v, "unix://")) {
			r = hd_read_add_fact(&c->fs, &c->ids, l, v[7] ? v + 7 : "/var/run/docker.sock");
			if (r < 0)
				return r;
		} else if (hd_starts_with(v, "fd://")) {
			/* Socket activation: the sockets are docker.socket's. */
			for (j = 0; j < c->socket_unit.listen_streams.n; j++) {
				const char *s = c->socket_unit.listen_streams.v[j].s;

				if (s[0] != '/')
					continue;
				r = hd_read_add_fact(&c->fs, &c->ids, l, s);
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
	r = hd_idnames_load(&c.fs, &c.ids);
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
		r = hd_read_add_fact(&c.fs, &c.ids, &d->files[HD_DF_DOCKER_SERVICE], c.unit_path);
	} else {
		for (i = 0; r >= 0 && i < HD_ARRAY_SIZE(unit_dirs); i++) {
			char *p = hd_path_join(unit_dirs[i], "docker.service");

			r = p ? hd_read_add_fact(&c.fs, &c.ids, &d->files[HD_DF_DOCKER_SERVICE], p) : -HD_ENOMEM;
			hd_free(p);
		}
	}
	if (r < 0)
		goto out;
	if (c.socket_unit_path) {
		r = hd_read_add_fact(&c.fs, &c.ids, &d->files[HD_DF_DOCKER_SOCKET], c.socket_unit_path);
		if (r >= 0)
			r = read_socket_unit(&c);
	}
	else
		r = hd_read_add_fact(&c.fs, &c.ids, &d->files[HD_DF_DOCKER_SOCKET],
			     "/lib/systemd/system/docker.socket");
	if (r >= 0)
		r = hd_read_add_tree(&c.fs, &c.ids, &d->files[HD_DF_ETC_DOCKER], "/etc/docker", true);
	if (r >= 0)
		r = hd_read_add_tree(&c.fs, &c.ids, &d->files[HD_DF_CERTS_D], "/etc/docker/certs.d", false);
	if (r >= 0)
		r = add_sockets(&c);
	if (r >= 0)
		r = hd_read_add_fact(&c.fs, &c.ids, &d->files[HD_DF_DAEMON_JSON], d->config_file);
	if (r >= 0)
		r = hd_read_add_fact(&c.fs, &c.ids, &d->files[HD_DF_ETC_DEFAULT], "/etc/default/docker");
	if (r >= 0)
		r = hd_read_add_fact(&c.fs, &c.ids, &d->files[HD_DF_SYSCONFIG], "/etc/sysconfig/docker");
	ctrd = hd_daemon_str(d, HD_DOPT_CONTAINERD);
	if (r >= 0)
		r = hd_read_add_fact(&c.fs, &c.ids, &d->files[HD_DF_CONTAINERD_SOCK],
			     ctrd && ctrd[0] == '/' ? ctrd : "/run/containerd/containerd.sock");
	if (r >= 0)
		r = read_tls(&c);
	if (r < 0)
		goto out;

	/* Swarm: a node that joined keeps its state under data-root. */
	swarm = hd_path_join(hd_daemon_data_root(d), "swarm/state.json");
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
	hd_idnames_release(&c.ids);
	hd_rootfs_release(&c.fs);
	return r;
}

