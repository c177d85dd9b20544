/*
 * The host facts of `hardock audit host` (see host_read.h): the mount table,
 * the socket group's members, the auditd rules (files, and the kernel's list
 * when live), the paths CIS wants audited, the kernel and component versions
 * and DOCKER_CONTENT_TRUST; and what a running engine on this machine adds.
 */
#include "core/common.h"
#include "core/buf.h"
#include "audit/read_int.h"
#include "model/engine.h"
#include "parse/auditrules.h"
#include "parse/dockerd_args.h"

#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>

static int read_mounts(struct hd_host_ctx *c)
{
	struct hd_buf b = HD_BUF_INIT(HD_READ_CONFIG_MAX);
	static const char *const files[] = { "/proc/self/mountinfo", "/proc/mounts", "/etc/mtab" };
	size_t i;
	int r = 0;

	for (i = 0; i < HD_ARRAY_SIZE(files); i++) {
		r = hd_rootfs_read(&c->fs, files[i], HD_READ_CONFIG_MAX, &b);
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
		r = hd_read_note(&c->h->notes, "no mount table under %s (give a copy of /proc/self/mountinfo "
			 "as %s/proc/self/mountinfo)", c->h->root, c->fs.live ? "" : c->h->root);
	return r < 0 ? r : 0;
}

static int read_group(struct hd_host_ctx *c)
{
	struct hd_host_facts *h = c->h;
	const char *g = hd_daemon_str(c->d, HD_DOPT_GROUP);
	const struct hd_idname *grp = NULL;
	size_t i;
	int r = 0;

	h->socket_group = hd_strdup(g ? g : "docker");
	if (!h->socket_group)
		return -HD_ENOMEM;
	h->have_group_file = c->ids.have_group;
	if (!c->ids.have_group)
		return hd_read_note(&h->notes, "no /etc/group under %s: the socket group's members are unknown",
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

static int read_audit(struct hd_host_ctx *c)
{
	struct hd_host_facts *h = c->h;
	struct hd_strlist names = { 0 };
	struct hd_buf b = HD_BUF_INIT(HD_READ_CONFIG_MAX);
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
		r = hd_rootfs_read(&c->fs, p, HD_READ_CONFIG_MAX, &b);
		if (r >= 0) {
			r = hd_auditrules_parse(&h->audit_rules, p, b.buf, b.len, false, NULL);
			if (r >= 0)
				r = hd_strlist_add(&h->audit_files, p);
		} else if (r != -HD_ENOMEM) {
			r = hd_read_note(&h->notes, "cannot read %s: %s", p, hd_read_err_text(r));
		}
		hd_free(p);
		if (r < 0)
			goto out;
	}
	/* audit.rules is what augenrules generated (or a hand-written whole): its
	 * "-D" clears its own rules, not those of rules.d. */
	r = hd_rootfs_read(&c->fs, "/etc/audit/audit.rules", HD_READ_CONFIG_MAX, &b);
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
	if (!c->o->files_only)
		r = hd_kernel_audit_read(c);
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

static int add_candidates(struct hd_host_ctx *c, enum hd_apath k, const char *const *paths)
{
	int r;

	for (; *paths; paths++) {
		r = hd_read_add_fact(&c->fs, &c->ids, &c->h->apaths[k], *paths);
		if (r < 0)
			return r;
	}
	return 0;
}

static int add_from_list(struct hd_host_ctx *c, enum hd_apath k, const struct hd_file_list *l)
{
	size_t i;
	int r;

	for (i = 0; i < l->n; i++) {
		r = hd_read_add_fact(&c->fs, &c->ids, &c->h->apaths[k], l->v[i].path);
		if (r < 0)
			return r;
	}
	return 0;
}

static int read_apaths(struct hd_host_ctx *c)
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
		r = hd_read_add_fact(&c->fs, &c->ids, &c->h->apaths[HD_AP_DOCKERD], d->exec_path);
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
		r = hd_read_add_fact(&c->fs, &c->ids, &c->h->apaths[HD_AP_DAEMON_JSON], d->config_file);
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

static int read_kernel(struct hd_host_ctx *c)
{
	struct hd_buf b = HD_BUF_INIT(HD_READ_SMALL_MAX);
	struct hd_version_fact *k = &c->h->kernel;
	int r = 0;

	if (c->fs.live) {
		struct utsname u;

		if (uname(&u) == 0)
			r = hd_version_fact_set(k, u.release, "uname");
	} else if (hd_rootfs_read(&c->fs, "/proc/sys/kernel/osrelease", HD_READ_SMALL_MAX, &b) == 0) {
		b.len = strcspn(b.buf, "\n");
		b.buf[b.len] = '\0';
		if (b.len)
			r = hd_version_fact_set(k, b.buf, "/proc/sys/kernel/osrelease");
	}
	if (r >= 0 && hd_rootfs_read(&c->fs, "/proc/version", HD_READ_SMALL_MAX, &b) == 0 &&
	    hd_starts_with(b.buf, "Linux version ")) {
		char raw[128];
		size_t n = strcspn(b.buf + 14, " \n");
		const char *deb = strstr(b.buf, " Debian ");

		if (!k->raw && n && n < sizeof(raw)) {
			memcpy(raw, b.buf + 14, n);
			raw[n] = '\0';
			r = hd_version_fact_set(k, raw, "/proc/version");
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
		r = hd_read_note(&c->h->notes, "kernel version unknown (no proc/sys/kernel/osrelease under %s)",
			 c->h->root);
	return r;
}

/* DOCKER_CONTENT_TRUST in /etc/environment and /etc/profile.d; the last setting wins. */
static int scan_content_trust(struct hd_host_ctx *c, const char *path, const char *data, size_t len)
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

static int read_content_trust(struct hd_host_ctx *c)
{
	struct hd_strlist names = { 0 };
	struct hd_buf b = HD_BUF_INIT(HD_READ_CONFIG_MAX);
	size_t i;
	int r = 0;

	if (hd_rootfs_read(&c->fs, "/etc/environment", HD_READ_CONFIG_MAX, &b) == 0)
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
		if (hd_rootfs_read(&c->fs, p, HD_READ_CONFIG_MAX, &b) == 0)
			r = scan_content_trust(c, p, b.buf, b.len);
		hd_free(p);
	}
	hd_strlist_release(&names);
	hd_buf_release(&b);
	return r;
}

/* Components whose version neither their binary nor the package database gave. */
static int note_unknown_versions(struct hd_host_ctx *c)
{
	const struct hd_version_fact *v[3] = { &c->h->engine, &c->h->containerd, &c->h->runc };
	static const char *const names[3] = { "dockerd", "containerd", "runc" };
	char list[64] = "";
	size_t i;

	for (i = 0; i < 3; i++) {
		if (!v[i]->version)
			snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", list[0] ? ", " : "",
				 names[i]);
	}
	if (!list[0] || c->o->files_only)
		return 0;
	return hd_read_note(&c->h->notes, "version unknown for %s: no Go build information names it "
			    "and no installed package provides it", list);
}

int hd_host_read(const struct hd_read_opts *o, const struct hd_daemon_spec *d,
		 struct hd_host_facts *h)
{
	struct hd_host_ctx c;
	int r;

	memset(&c, 0, sizeof(c));
	c.o = o;
	c.h = h;
	c.d = d;
	r = hd_rootfs_init(&c.fs, o->root);
	if (r < 0)
		return r;
	h->live = c.fs.live;
	h->now = o->now ? o->now : (int64_t)time(NULL);
	h->root = hd_strdup(c.fs.live ? "/" : c.fs.root);
	h->data_root = hd_strdup(hd_daemon_data_root(d));
	if (!h->root || !h->data_root) {
		r = -HD_ENOMEM;
		goto out;
	}
	r = hd_rootfs_resolve(&c.fs, h->data_root, NULL, &h->data_root_canon);
	if (r == -HD_ENOMEM)
		goto out;
	r = hd_idnames_load(&c.fs, &c.ids);
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
	if (r >= 0 && !o->files_only)
		r = hd_binver_read(&c);
	if (r >= 0)
		r = hd_pkgdb_read(&c);
	if (r >= 0)
		r = note_unknown_versions(&c);
	if (r >= 0)
		r = read_content_trust(&c);
out:
	hd_idnames_release(&c.ids);
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
			r = hd_version_fact_set(&h->engine, f->version, src);
		if (r >= 0 && !h->containerd.version && f->containerd_version)
			r = hd_version_fact_set(&h->containerd, f->containerd_version, src);
		if (r >= 0 && !h->runc.version && f->runc_version)
			r = hd_version_fact_set(&h->runc, f->runc_version, src);
	}
	return r;
}

