/*
 * The authz policy file (see hd_authz_policy_load in authz.h) and the rest
 * of the policy's set-up: defaults, the protected daemon's sockets, and
 * preparing the configuration for deciding.
 *
 * Like doas.conf, the file is trusted only when root owns it and nobody
 * else can write it; the check is made on the opened file, so the file read
 * is the file checked.  The settings shared with .hardock.yaml (ignored,
 * severity-overrides, trusted-registries, allowed-images, ...) are read by
 * the configuration's own reader; the policy adds what only enforcement
 * needs.  Settings that restrict images or paths are enforced: their rules
 * deny whatever their severity.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/config.h"
#include "core/rule.h"
#include "authz/authz.h"
#include "audit/host_read.h"
#include "model/daemon.h"
#include "parse/yaml.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#define POLICY_MAX (1024u * 1024)

void hd_authz_policy_init(struct hd_authz_policy *p)
{
	memset(p, 0, sizeof(*p));
	hd_config_init(&p->cfg);
	p->deny_at = HD_SEV_HIGH;
}

void hd_authz_policy_release(struct hd_authz_policy *p)
{
	size_t i;

	if (!p)
		return;
	hd_config_release(&p->cfg);
	hd_strlist_release(&p->deny_rules);
	for (i = 0; i < p->n_exceptions; i++) {
		hd_free(p->exceptions[i].user);
		hd_strlist_release(&p->exceptions[i].rules);
	}
	hd_free(p->exceptions);
	hd_free(p->loaded_from);
	hd_authz_policy_init(p);
}

struct preader {
	struct hd_authz_policy *p;
	const char *path;
	struct hd_diag *diag;
};

__attribute__((format(printf, 3, 4)))
static int perr(struct preader *rd, struct fy_node *n, const char *fmt, ...)
{
	char msg[HD_MAX_MESSAGE];
	uint32_t line = 0, col = 0;
	va_list ap;
	int r;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n)
		hd_yaml_pos(n, &line, &col);
	r = hd_diag_set(rd->diag, rd->path, line, col, "%s", msg);
	return r == -HD_ENOMEM ? r : -HD_EINVAL;
}

/* Calls fn for each scalar of a sequence (or the one scalar given instead). */
static int each_scalar(struct preader *rd, struct fy_node *n, const char *key,
		       int (*fn)(struct preader *, struct fy_node *, const char *, void *), void *ctx)
{
	struct fy_node *item;
	void *it = NULL;
	const char *s;
	int r;

	if ((s = hd_yaml_scalar(n)))
		return fn(rd, n, s, ctx);
	if (fy_node_get_type(n) != FYNT_SEQUENCE)
		return perr(rd, n, "'%s' expects a list", key);
	while ((item = fy_node_sequence_iterate(n, &it))) {
		s = hd_yaml_scalar(item);
		if (!s)
			return perr(rd, item, "'%s' expects a list of strings", key);
		r = fn(rd, item, s, ctx);
		if (r < 0)
			return r;
	}
	return 0;
}

static int add_rule_id(struct preader *rd, struct fy_node *n, const char *s, void *ctx)
{
	struct hd_strlist *l = ctx;
	const struct hd_rule *r = strcmp(s, "*") == 0 ? NULL : hd_rule_find(s);

	if (strcmp(s, "*") != 0 && !r)
		return perr(rd, n, "unknown rule '%s'", s);
	if (hd_strlist_has(l, r ? r->id : s))
		return 0;
	return hd_strlist_add(l, r ? r->id : s);
}

static int add_category(struct preader *rd, struct fy_node *n, const char *s, void *ctx)
{
	unsigned *mask = ctx;
	int c = hd_authz_category_from_name(s);

	if (c < 0)
		return perr(rd, n, "unknown endpoint category '%s' (for example plugin-create, "
			    "swarm-join)", s);
	*mask |= 1u << c;
	return 0;
}

static int enforce(struct hd_authz_policy *p, const char *id)
{
	return hd_strlist_has(&p->deny_rules, id) ? 0 : hd_strlist_add(&p->deny_rules, id);
}

static int read_exceptions(struct preader *rd, struct fy_node *n)
{
	struct fy_node *item;
	void *it = NULL;
	int r;

	if (fy_node_get_type(n) != FYNT_SEQUENCE)
		return perr(rd, n, "'exceptions' expects a list of {user, rules, allow}");
	while ((item = fy_node_sequence_iterate(n, &it))) {
		struct hd_authz_policy *p = rd->p;
		struct hd_authz_exception *e;
		struct fy_node_pair *pr;
		void *it2 = NULL;
		bool has_user = false;

		if (fy_node_get_type(item) != FYNT_MAPPING)
			return perr(rd, item, "an exception is a mapping with user, rules and allow");
		if (HD_GROW(p->exceptions, p->alloc_exceptions, p->n_exceptions + 1) < 0)
			return -HD_ENOMEM;
		e = &p->exceptions[p->n_exceptions++];
		memset(e, 0, sizeof(*e));
		while ((pr = fy_node_mapping_iterate(item, &it2))) {
			struct fy_node *k = fy_node_pair_key(pr), *v = fy_node_pair_value(pr);
			const char *key = hd_yaml_scalar(k);

			if (!key)
				return perr(rd, k, "expected a scalar key");
			if (!strcmp(key, "user")) {
				const char *u = v ? hd_yaml_scalar(v) : "";

				if (!u)
					return perr(rd, v, "'user' expects a string (the authenticated user, "
						    "\"\" for none)");
				hd_free(e->user);
				e->user = hd_strdup(u);
				if (!e->user)
					return -HD_ENOMEM;
				has_user = true;
			} else if (!strcmp(key, "rules")) {
				r = v ? each_scalar(rd, v, key, add_rule_id, &e->rules) : 0;
				if (r < 0)
					return r;
			} else if (!strcmp(key, "allow")) {
				r = v ? each_scalar(rd, v, key, add_category, &e->allow) : 0;
				if (r < 0)
					return r;
			} else {
				return perr(rd, k, "unknown exception setting '%s': expected user, rules or "
					    "allow", key);
			}
		}
		if (!has_user)
			return perr(rd, item, "an exception needs a 'user'");
	}
	return 0;
}

static int read_root(struct preader *rd, struct fy_node *root)
{
	struct hd_authz_policy *p = rd->p;
	struct fy_node_pair *pr;
	void *it = NULL;
	int r;

	if (!root)
		return 0;
	if (fy_node_get_type(root) != FYNT_MAPPING)
		return perr(rd, root, "expected a mapping of policy settings at the top level");
	while ((pr = fy_node_mapping_iterate(root, &it))) {
		struct fy_node *k = fy_node_pair_key(pr), *v = fy_node_pair_value(pr);
		const char *key = hd_yaml_scalar(k);

		if (!key)
			return perr(rd, k, "expected a scalar key");
		if (!v)
			continue;
		if (!strcmp(key, "deny-at")) {
			const char *s = hd_yaml_scalar(v);
			int sev = s ? hd_severity_from_name(s) : -1;

			if (sev < 0 || sev >= HD_SEV_ERROR)
				return perr(rd, v, "'deny-at' expects a severity (critical, high, medium, "
					    "low, info) or none");
			p->deny_at = (enum hd_severity)sev;
			r = 0;
		} else if (!strcmp(key, "deny-rules")) {
			r = each_scalar(rd, v, key, add_rule_id, &p->deny_rules);
		} else if (!strcmp(key, "require-digest")) {
			const char *s = hd_yaml_scalar(v);

			if (!s || (strcmp(s, "true") && strcmp(s, "false")))
				return perr(rd, v, "'require-digest' expects true or false");
			r = 0;
			if (!strcmp(s, "true") && (r = enforce(p, "container/image-not-pinned")) >= 0)
				r = enforce(p, "container/image-latest");
		} else if (!strcmp(key, "allow")) {
			r = each_scalar(rd, v, key, add_category, &p->allow);
		} else if (!strcmp(key, "exceptions")) {
			r = read_exceptions(rd, v);
		} else {
			r = hd_config_read_setting(&p->cfg, rd->path, key, v, rd->diag);
			if (r == 0)
				return perr(rd, k, "unknown policy setting '%s': expected deny-at, ignored, "
					    "severity-overrides, deny-rules, trusted-registries, "
					    "require-digest, allowed-images, allowed-mount-prefixes, "
					    "engine-sockets, allow or exceptions", key);
		}
		if (r < 0)
			return r;
	}
	/* Settings that restrict what may run are enforced. */
	r = 0;
	if (p->cfg.trusted_registries.n)
		r = enforce(p, "container/untrusted-registry");
	if (r >= 0 && p->cfg.allowed_images.n)
		r = enforce(p, "container/image-not-allowed");
	if (r >= 0 && p->cfg.allowed_mount_prefixes.n)
		r = enforce(p, "container/host-path-not-allowed");
	return r;
}

/* Reads the policy from fd after checking who may have written it. */
static int read_trusted(int fd, const char *path, struct hd_buf *b, struct hd_diag *diag)
{
	struct stat st;
	int r;

	if (fstat(fd, &st) < 0)
		return -HD_EIO;
	if (!S_ISREG(st.st_mode)) {
		r = hd_diag_set(diag, path, 0, 0, "the policy is not a regular file");
		return r == -HD_ENOMEM ? r : -HD_EACCES;
	}
	if (st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH))) {
		r = hd_diag_set(diag, path, 0, 0,
				"the policy must be owned by root and writable by nobody else "
				"(owner uid %u, mode %04o): whoever can write it decides what the "
				"daemon allows", (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
		return r == -HD_ENOMEM ? r : -HD_EACCES;
	}
	for (;;) {
		char chunk[8192];
		ssize_t n = read(fd, chunk, sizeof(chunk));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -HD_EIO;
		if (n == 0)
			return 0;
		r = hd_buf_add(b, chunk, (size_t)n);
		if (r < 0)
			return r;
	}
}

int hd_authz_policy_load(struct hd_authz_policy *p, const char *path, struct hd_diag *diag)
{
	struct hd_buf b = HD_BUF_INIT(POLICY_MAX);
	struct fy_document *doc = NULL;
	struct preader rd = { p, path, diag };
	int fd, r;

	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		r = errno == ENOENT ? -HD_ENOENT : errno == EACCES ? -HD_EACCES : -HD_EIO;
		if (hd_diag_set(diag, path, 0, 0, "cannot open the policy: %s", strerror(errno)) ==
		    -HD_ENOMEM)
			r = -HD_ENOMEM;
		return r;
	}
	r = read_trusted(fd, path, &b, diag);
	close(fd);
	if (r == -HD_ETOOBIG)
		r = hd_diag_set(diag, path, 0, 0, "the policy is larger than %u bytes", POLICY_MAX) ==
		    -HD_ENOMEM ? -HD_ENOMEM : -HD_ETOOBIG;
	if (r == -HD_EIO)
		hd_diag_set(diag, path, 0, 0, "cannot read the policy: %s", strerror(errno));
	if (r >= 0)
		r = hd_yaml_load(path, b.buf, b.len, &doc, diag);
	if (r >= 0)
		r = read_root(&rd, doc ? fy_document_root(doc) : NULL);
	if (r >= 0) {
		hd_free(p->loaded_from);
		p->loaded_from = hd_strdup(path);
		if (!p->loaded_from)
			r = -HD_ENOMEM;
	}
	fy_document_destroy(doc);
	hd_buf_release(&b);
	return r;
}

int hd_authz_policy_add_daemon_sockets(struct hd_authz_policy *p, const char *root)
{
	struct hd_read_opts o = { .root = root, .files_only = true };
	struct hd_daemon_spec d;
	const struct hd_file_list *l;
	size_t i;
	int r;

	hd_daemon_spec_init(&d);
	r = hd_daemon_read(&o, &d);
	if (r == -HD_ENOMEM) {
		hd_daemon_spec_release(&d);
		return r;
	}
	/* An unreadable configuration leaves the well-known names and host facts. */
	r = 0;
	l = &d.files[HD_DF_DOCKER_SOCK];
	for (i = 0; r >= 0 && i < l->n; i++) {
		const char *s = l->v[i].path;

		if (s && s[0] == '/' && !hd_strlist_has(&p->cfg.engine_sockets, s))
			r = hd_strlist_add(&p->cfg.engine_sockets, s);
	}
	hd_daemon_spec_release(&d);
	return r;
}

int hd_authz_policy_prepare(struct hd_authz_policy *p)
{
	return hd_config_prepare(&p->cfg);
}
