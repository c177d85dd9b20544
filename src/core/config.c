/*
 * Configuration: .hardock.yaml and .hadolint.yaml readers, discovery from the
 * current directory upward, and the questions rules and the driver ask of it.
 * Unknown keys and wrong types are errors with the file, line and column.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/config.h"
#include "parse/yaml.h"

#include <limits.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

int hd_strlist_add(struct hd_strlist *l, const char *s)
{
	char *d;

	/* One slot more: v stays NULL-terminated for callers that want an array. */
	if (HD_GROW(l->v, l->alloc, l->n + 2) < 0)
		return -HD_ENOMEM;
	d = hd_strdup(s);
	if (!d)
		return -HD_ENOMEM;
	l->v[l->n++] = d;
	l->v[l->n] = NULL;
	return 0;
}

bool hd_strlist_has(const struct hd_strlist *l, const char *s)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		if (strcmp(l->v[i], s) == 0)
			return true;
	}
	return false;
}

void hd_strlist_release(struct hd_strlist *l)
{
	size_t i;

	if (!l)
		return;
	for (i = 0; i < l->n; i++)
		hd_free(l->v[i]);
	hd_free(l->v);
	l->v = NULL;
	l->n = l->alloc = 0;
}

void hd_config_init(struct hd_config *c)
{
	memset(c, 0, sizeof(*c));
	c->fail_on = HD_SEV_INFO;
}

void hd_config_release(struct hd_config *c)
{
	size_t i;

	if (!c)
		return;
	hd_strlist_release(&c->ignored);
	hd_strlist_release(&c->trusted_registries);
	hd_strlist_release(&c->allowed_base_images);
	hd_strlist_release(&c->allowed_images);
	hd_strlist_release(&c->allowed_mount_prefixes);
	hd_strlist_release(&c->engine_sockets);
	hd_strlist_release(&c->required_labels);
	hd_strlist_release(&c->env);
	hd_strlist_release(&c->exclude_base);
	hd_strlist_release(&c->exclude_pat);
	for (i = 0; i < c->n_overrides; i++)
		hd_free(c->overrides[i].id);
	hd_free(c->overrides);
	for (i = 0; i < c->n_vuln_ignores; i++) {
		hd_free(c->vuln_ignores[i].id);
		hd_free(c->vuln_ignores[i].package);
		hd_free(c->vuln_ignores[i].reason);
		hd_free(c->vuln_ignores[i].expires_text);
	}
	hd_free(c->vuln_ignores);
	hd_free(c->loaded_from);
	hd_free(c->rule_sev);
	hd_config_init(c);
}

int hd_config_prepare(struct hd_config *c)
{
	signed char *v = hd_calloc(hd_rule_count + 1, 1);
	size_t i;

	if (!v)
		return -HD_ENOMEM;
	for (i = 0; i < hd_rule_count; i++)
		v[i] = hd_config_rule_enabled(c, hd_rules[i]) ? (signed char)hd_config_severity(c, hd_rules[i]) : -1;
	hd_free(c->rule_sev);
	c->rule_sev = v;
	return 0;
}

int hd_config_set_override(struct hd_config *c, const char *id, enum hd_severity sev)
{
	/* A prepared table would be stale now. */
	hd_free(c->rule_sev);
	c->rule_sev = NULL;
	size_t i;
	char *d;

	for (i = 0; i < c->n_overrides; i++) {
		if (strcmp(c->overrides[i].id, id) == 0) {
			c->overrides[i].sev = sev;
			return 0;
		}
	}
	if (HD_GROW(c->overrides, c->alloc_overrides, c->n_overrides + 1) < 0)
		return -HD_ENOMEM;
	d = hd_strdup(id);
	if (!d)
		return -HD_ENOMEM;
	c->overrides[c->n_overrides].id = d;
	c->overrides[c->n_overrides].sev = sev;
	c->n_overrides++;
	return 0;
}

/* A config id names a rule by its id, a hadolint id, or a CIS id. */
static bool id_names_rule(const char *id, const struct hd_rule *r)
{
	return hd_rule_named(r, id);
}

bool hd_config_rule_enabled(const struct hd_config *c, const struct hd_rule *r)
{
	size_t i;

	if (!c)
		return !(r->flags & HD_RULE_DEFAULT_OFF);
	for (i = 0; i < c->ignored.n; i++) {
		if (id_names_rule(c->ignored.v[i], r))
			return false;
	}
	if (r->flags & HD_RULE_DEFAULT_OFF) {
		/* Default-off rules run when given a severity explicitly. */
		for (i = 0; i < c->n_overrides; i++) {
			if (id_names_rule(c->overrides[i].id, r) && c->overrides[i].sev != HD_SEV_NONE)
				return true;
		}
		return false;
	}
	for (i = 0; i < c->n_overrides; i++) {
		if (id_names_rule(c->overrides[i].id, r) && c->overrides[i].sev == HD_SEV_NONE)
			return false;
	}
	return true;
}

enum hd_severity hd_config_severity(const struct hd_config *c, const struct hd_rule *r)
{
	size_t i;
	enum hd_severity sev = r->severity;

	if (!c)
		return sev;
	/* Last match wins, so a later --severity-override beats the file. */
	for (i = 0; i < c->n_overrides; i++) {
		if (id_names_rule(c->overrides[i].id, r))
			sev = c->overrides[i].sev;
	}
	return sev;
}

static bool glob_match_host(const char *pat, const char *host)
{
	if (strcmp(pat, "*") == 0)
		return true;
	if (pat[0] == '*' && pat[1] == '.') {
		size_t n = strlen(host), m = strlen(pat + 1);
		return n > m && strcasecmp(host + n - m, pat + 1) == 0;
	}
	return strcasecmp(pat, host) == 0;
}

bool hd_config_registry_trusted(const struct hd_config *c, const char *registry)
{
	size_t i;

	if (!c || c->trusted_registries.n == 0)
		return true;
	for (i = 0; i < c->trusted_registries.n; i++) {
		const char *pat = c->trusted_registries.v[i];

		if (glob_match_host(pat, registry))
			return true;
		/* "docker.io" and its historical names are one registry. */
		if ((strcmp(pat, "docker.io") == 0 || strcmp(pat, "hub.docker.com") == 0 ||
		     strcmp(pat, "index.docker.io") == 0 || strcmp(pat, "registry-1.docker.io") == 0) &&
		    strcmp(registry, "docker.io") == 0)
			return true;
	}
	return false;
}

/* ---- reading ---------------------------------------------------------- */

struct cfg_reader {
	struct hd_config *c;
	const char *path;
	struct hd_diag *diag;
	bool hadolint;   /* a .hadolint.yaml: severities are hadolint's levels, its own ids are accepted */
	const char *dir; /* the file's directory, absolute: exclude: patterns start there */
};

__attribute__((format(printf, 3, 4)))
static int cfg_err(struct cfg_reader *rd, struct fy_node *n, const char *fmt, ...)
{
	char msg[HD_MAX_MESSAGE];
	uint32_t line, col;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hd_yaml_pos(n, &line, &col);
	return hd_diag_set(rd->diag, rd->path, line, col, "%s", msg);
}

/* True for "DL3008" / "SC2086": hadolint's ids, which a .hadolint.yaml may list for rules hardock has no equivalent of. */
static bool hadolint_id(const char *s)
{
	return (s[0] == 'D' && s[1] == 'L' && isdigit((unsigned char)s[2])) ||
	       (s[0] == 'S' && s[1] == 'C' && isdigit((unsigned char)s[2]));
}

/* Rule ids in a config file must name a rule: a typo would silently ignore nothing. */
static int check_rule_id(struct cfg_reader *rd, struct fy_node *n, const char *id)
{
	if (hd_rule_name_known(id) || (rd->hadolint && hadolint_id(id)))
		return 0;
	return cfg_err(rd, n, "unknown rule '%s': expected a rule id (container/privileged), a hadolint "
		       "id (DL3008) or a CIS check (CIS-5.5); see 'hardock rules'", id);
}

/* Reads a string or a list of strings into out; rule ids are checked when `ids`. */
static int read_list(struct cfg_reader *rd, struct fy_node *n, const char *key, bool ids,
		     struct hd_strlist *out)
{
	struct fy_node *item;
	void *it = NULL;
	const char *s;
	int r;

	if ((s = hd_yaml_scalar(n))) {
		/* A single string is accepted where a list is expected. */
		r = ids ? check_rule_id(rd, n, s) : 0;
		return r < 0 ? r : hd_strlist_add(out, s);
	}
	if (fy_node_get_type(n) != FYNT_SEQUENCE)
		return cfg_err(rd, n, "'%s' expects a list of strings", key);
	while ((item = fy_node_sequence_iterate(n, &it))) {
		s = hd_yaml_scalar(item);
		if (!s)
			return cfg_err(rd, item, "'%s' expects a list of strings", key);
		r = ids ? check_rule_id(rd, item, s) : 0;
		if (r >= 0)
			r = hd_strlist_add(out, s);
		if (r < 0)
			return r;
	}
	return 0;
}

static int read_strlist(struct cfg_reader *rd, struct fy_node *n, const char *key, struct hd_strlist *out)
{
	return read_list(rd, n, key, false, out);
}

/* Severity names as this file means them: hadolint's levels in a .hadolint.yaml. */
static int sev_of(const struct cfg_reader *rd, const char *name)
{
	return rd->hadolint ? hd_severity_from_hadolint(name) : hd_severity_from_name(name);
}

static int read_severity(struct cfg_reader *rd, struct fy_node *n, const char *key, enum hd_severity *out)
{
	const char *s = hd_yaml_scalar(n);
	int sev;

	if (!s)
		return cfg_err(rd, n, "'%s' expects a severity (info, low, medium, high, critical)", key);
	sev = sev_of(rd, s);
	if (sev < 0)
		return cfg_err(rd, n, rd->hadolint ?
			       "unknown severity '%s': expected error, warning, info, style or none" :
			       "unknown severity '%s': expected info, low, medium, high, critical or none", s);
	*out = (enum hd_severity)sev;
	return 0;
}

/* severity-overrides: {ID: level}  or hadolint's override: {error: [IDs], ...} */
static int read_overrides(struct cfg_reader *rd, struct fy_node *n, const char *key)
{
	struct fy_node_pair *p;
	void *it = NULL;
	int r;

	if (fy_node_get_type(n) != FYNT_MAPPING)
		return cfg_err(rd, n, "'%s' expects a mapping of rule id to severity", key);
	while ((p = fy_node_mapping_iterate(n, &it))) {
		struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
		const char *ks = hd_yaml_scalar(k);
		enum hd_severity sev = HD_SEV_NONE;

		if (!ks)
			return cfg_err(rd, k, "'%s' expects scalar keys", key);
		if (sev_of(rd, ks) >= 0 && v && fy_node_get_type(v) == FYNT_SEQUENCE) {
			struct hd_strlist ids = { 0 };
			size_t i;

			sev = (enum hd_severity)sev_of(rd, ks);
			r = read_list(rd, v, key, true, &ids);
			for (i = 0; r >= 0 && i < ids.n; i++)
				r = hd_config_set_override(rd->c, ids.v[i], sev);
			hd_strlist_release(&ids);
			if (r < 0)
				return r;
			continue;
		}
		r = check_rule_id(rd, k, ks);
		if (r < 0)
			return r;
		r = read_severity(rd, v, ks, &sev);
		if (r < 0)
			return r;
		r = hd_config_set_override(rd->c, ks, sev);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * hadolint's `strict-labels: true` turns DL3050 (dockerfile/label-not-in-schema,
 * off by default) on at its default severity, unless an override already
 * gives it one.
 */
static int read_strict_labels(struct hd_config *c, struct fy_node *v)
{
	size_t i;

	if (!hd_yaml_is_true(v))
		return 0;
	for (i = 0; i < c->n_overrides; i++) {
		if (!strcmp(c->overrides[i].id, "DL3050") ||
		    !strcmp(c->overrides[i].id, "dockerfile/label-not-in-schema"))
			return 0;
	}
	return hd_config_set_override(c, "DL3050", HD_SEV_INFO);
}

static int read_label_schema(struct cfg_reader *rd, struct fy_node *n, const char *key)
{
	struct fy_node_pair *p;
	void *it = NULL;
	int r;

	if (fy_node_get_type(n) == FYNT_SEQUENCE)
		return read_strlist(rd, n, key, &rd->c->required_labels);
	if (fy_node_get_type(n) != FYNT_MAPPING)
		return cfg_err(rd, n, "'%s' expects a list or mapping of label keys", key);
	while ((p = fy_node_mapping_iterate(n, &it))) {
		const char *ks = hd_yaml_scalar(fy_node_pair_key(p));

		const char *type = hd_yaml_scalar(fy_node_pair_value(p));
		char *entry;

		if (!ks)
			return cfg_err(rd, fy_node_pair_key(p), "'%s' expects scalar keys", key);
		/* hadolint's label-schema {key: type} keeps its type as "key:type". */
		entry = type && *type ? hd_asprintf("%s:%s", ks, type) : hd_strdup(ks);
		if (!entry)
			return -HD_ENOMEM;
		r = hd_strlist_add(&rd->c->required_labels, entry);
		hd_free(entry);
		if (r < 0)
			return r;
	}
	return 0;
}

/* exclude: globs of paths not to lint, relative to the file's directory. */
static int read_excludes(struct cfg_reader *rd, struct fy_node *n, const char *key)
{
	struct hd_strlist pats = { 0 };
	size_t i;
	int r;

	r = read_strlist(rd, n, key, &pats);
	for (i = 0; r >= 0 && i < pats.n; i++)
		r = hd_config_add_exclude(rd->c, rd->dir, pats.v[i]);
	hd_strlist_release(&pats);
	return r;
}

/* ignore-vulnerabilities: [{id, package, reason, expires: YYYY-MM-DD}] */
static int read_vuln_ignores(struct cfg_reader *rd, struct fy_node *n, const char *key)
{
	struct fy_node *item;
	void *it = NULL;

	if (fy_node_get_type(n) != FYNT_SEQUENCE)
		return cfg_err(rd, n, "'%s' expects a list of {id, package, reason, expires}", key);
	while ((item = fy_node_sequence_iterate(n, &it))) {
		const char *id = hd_yaml_scalar(hd_yaml_get(item, "id"));
		const char *pkg = hd_yaml_scalar(hd_yaml_get(item, "package"));
		const char *reason = hd_yaml_scalar(hd_yaml_get(item, "reason"));
		const char *exp = hd_yaml_scalar(hd_yaml_get(item, "expires"));
		struct hd_vuln_ignore *v;
		uint32_t line, col;

		if (fy_node_get_type(item) != FYNT_MAPPING || !id || !*id)
			return cfg_err(rd, item, "each entry of '%s' needs an 'id'", key);
		if (!reason || !*reason)
			return cfg_err(rd, item, "the entry for '%s' in '%s' needs a 'reason'", id, key);
		if (HD_GROW(rd->c->vuln_ignores, rd->c->alloc_vuln_ignores, rd->c->n_vuln_ignores + 1) < 0)
			return -HD_ENOMEM;
		v = &rd->c->vuln_ignores[rd->c->n_vuln_ignores];
		memset(v, 0, sizeof(*v));
		hd_yaml_pos(item, &line, &col);
		v->line = line;
		if (exp) {
			struct tm tm;
			const char *end;

			memset(&tm, 0, sizeof(tm));
			end = strptime(exp, "%Y-%m-%d", &tm);
			if (!end || *end)
				return cfg_err(rd, hd_yaml_get(item, "expires"), "expected a date YYYY-MM-DD for 'expires' "
					       "of '%s', got '%s'", id, exp);
			v->expires = (int64_t)timegm(&tm) + 86400;
		}
		v->id = hd_strdup(id);
		v->package = pkg ? hd_strdup(pkg) : NULL;
		v->reason = hd_strdup(reason);
		v->expires_text = exp ? hd_strdup(exp) : NULL;
		rd->c->n_vuln_ignores++;
		if (!v->id || !v->reason || (pkg && !v->package) || (exp && !v->expires_text))
			return -HD_ENOMEM;
	}
	return 0;
}

/* One top-level setting: 1 when it is a config setting (read), 0 when not, or an error. */
static int read_setting(struct cfg_reader *rd, const char *key, struct fy_node *v)
{
	int r = 0;

	if (!strcmp(key, "ignored") || !strcmp(key, "ignore") || !strcmp(key, "ignored-rules"))
		r = read_list(rd, v, key, true, &rd->c->ignored);
	else if (!strcmp(key, "exclude") && rd->dir)
		r = read_excludes(rd, v, key);
	else if (!strcmp(key, "severity-overrides") || !strcmp(key, "override") ||
		 !strcmp(key, "overrides"))
		r = read_overrides(rd, v, key);
	else if (!strcmp(key, "fail-on") || !strcmp(key, "failure-threshold")) {
		r = read_severity(rd, v, key, &rd->c->fail_on);
		rd->c->fail_on_set = true;
	} else if (!strcmp(key, "trusted-registries") || !strcmp(key, "trustedRegistries"))
		r = read_strlist(rd, v, key, &rd->c->trusted_registries);
	else if (!strcmp(key, "allowed-base-images"))
		r = read_strlist(rd, v, key, &rd->c->allowed_base_images);
	else if (!strcmp(key, "allowed-images"))
		r = read_strlist(rd, v, key, &rd->c->allowed_images);
	else if (!strcmp(key, "allowed-mount-prefixes"))
		r = read_strlist(rd, v, key, &rd->c->allowed_mount_prefixes);
	else if (!strcmp(key, "engine-sockets"))
		r = read_strlist(rd, v, key, &rd->c->engine_sockets);
	else if (!strcmp(key, "required-labels") || !strcmp(key, "label-schema"))
		r = read_label_schema(rd, v, key);
	else if (!strcmp(key, "ignore-vulnerabilities"))
		r = read_vuln_ignores(rd, v, key);
	else if (!strcmp(key, "no-inline-ignore") || !strcmp(key, "disable-ignore-pragma"))
		rd->c->no_inline_ignore = hd_yaml_is_true(v);
	else if (!strcmp(key, "strict-labels"))
		r = read_strict_labels(rd->c, v);
	else if (!strcmp(key, "no-fail") || !strcmp(key, "no-color") || !strcmp(key, "format") ||
		 !strcmp(key, "output-format"))
		; /* hadolint CLI settings with no meaning for hardock's config file */
	else
		return 0;
	return r < 0 ? r : 1;
}

int hd_config_read_setting(struct hd_config *c, const char *path, const char *key, struct fy_node *v,
			   struct hd_diag *diag)
{
	struct cfg_reader rd = { c, path, diag, false, NULL };

	return v ? read_setting(&rd, key, v) : 1;
}

static int read_root(struct cfg_reader *rd, struct fy_node *root)
{
	struct fy_node_pair *p;
	void *it = NULL;
	int r = 0;

	if (!root)
		return 0;
	if (fy_node_get_type(root) != FYNT_MAPPING)
		return cfg_err(rd, root, "%s", "expected a mapping of settings at the top level");
	while ((p = fy_node_mapping_iterate(root, &it))) {
		struct fy_node *k = fy_node_pair_key(p), *v = fy_node_pair_value(p);
		const char *key = hd_yaml_scalar(k);

		if (!key)
			return cfg_err(rd, k, "%s", "expected a scalar key");
		if (!v)
			continue;
		r = read_setting(rd, key, v);
		if (r < 0)
			return r;
		if (r == 0)
			return cfg_err(rd, k,
				       "unknown setting '%s': expected ignored, severity-overrides, fail-on, "
				       "exclude, trusted-registries, allowed-base-images, allowed-images, "
				       "allowed-mount-prefixes, engine-sockets, required-labels, "
				       "ignore-vulnerabilities or no-inline-ignore", key);
	}
	return 0;
}

int hd_config_load_file(struct hd_config *c, const char *path, struct hd_diag *diag)
{
	struct hd_buf b = HD_BUF_INIT(1024 * 1024);
	struct fy_document *doc = NULL;
	struct cfg_reader rd = { c, path, diag, false, NULL };
	const char *base = strrchr(path, '/');
	char dir[PATH_MAX], real[PATH_MAX];
	int r;

	base = base ? base + 1 : path;
	/* hadolint's file, under its usual names or named so on the command line. */
	rd.hadolint = hd_starts_with(base, ".hadolint") || hd_starts_with(base, "hadolint");
	if (base == path)
		snprintf(dir, sizeof(dir), ".");
	else if (base == path + 1)
		snprintf(dir, sizeof(dir), "/");
	else
		snprintf(dir, sizeof(dir), "%.*s", (int)(base - path - 1), path);
	rd.dir = realpath(dir, real) ? real : dir;

	r = hd_buf_read_file(&b, path);
	if (r < 0) {
		int e = hd_diag_set(diag, path, 0, 0, "cannot read config: %s", hd_strerror(r));
		hd_buf_release(&b);
		return e == -HD_ENOMEM ? e : r;
	}
	r = hd_yaml_load(path, b.buf, b.len, &doc, diag);
	if (r >= 0)
		r = read_root(&rd, doc ? fy_document_root(doc) : NULL);
	if (r >= 0 && !c->loaded_from) {
		c->loaded_from = hd_strdup(path);
		if (!c->loaded_from)
			r = -HD_ENOMEM;
	}
	fy_document_destroy(doc);
	hd_buf_release(&b);
	return r;
}

int hd_config_discover(struct hd_config *c, const char *dir, struct hd_diag *diag)
{
	static const char *const names[] = { ".hardock.yaml", ".hardock.yml", ".hadolint.yaml",
					     ".hadolint.yml" };
	char cur[4096], path[4200];
	struct stat st;
	size_t i;
	int n;

	if (!realpath(dir, cur))
		return 0;
	for (;;) {
		for (i = 0; i < HD_ARRAY_SIZE(names); i++) {
			n = snprintf(path, sizeof(path), "%s/%s", strcmp(cur, "/") ? cur : "", names[i]);
			if (n < 0 || (size_t)n >= sizeof(path))
				return 0;
			if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
				return hd_config_load_file(c, path, diag);
		}
		if (strcmp(cur, "/") == 0)
			return 0;
		char *slash = strrchr(cur, '/');
		if (!slash)
			return 0;
		if (slash == cur)
			cur[1] = '\0';
		else
			*slash = '\0';
	}
}

/* ---- command-line settings and the tree of configurations ------------------------ */

int hd_config_add_exclude(struct hd_config *c, const char *base, const char *pattern)
{
	int r = hd_strlist_add(&c->exclude_base, base);

	if (r >= 0)
		r = hd_strlist_add(&c->exclude_pat, pattern);
	return r;
}

int hd_config_apply(struct hd_config *dst, const struct hd_config *cli)
{
	size_t i;
	int r = 0;

	for (i = 0; r >= 0 && i < cli->ignored.n; i++)
		r = hd_strlist_add(&dst->ignored, cli->ignored.v[i]);
	for (i = 0; r >= 0 && i < cli->n_overrides; i++)
		r = hd_config_set_override(dst, cli->overrides[i].id, cli->overrides[i].sev);
	for (i = 0; r >= 0 && i < cli->env.n; i++)
		r = hd_strlist_add(&dst->env, cli->env.v[i]);
	for (i = 0; r >= 0 && i < cli->exclude_pat.n; i++)
		r = hd_config_add_exclude(dst, cli->exclude_base.v[i], cli->exclude_pat.v[i]);
	if (r < 0)
		return r;
	if (cli->fail_on_set) {
		dst->fail_on = cli->fail_on;
		dst->fail_on_set = true;
	}
	if (cli->no_inline_ignore)
		dst->no_inline_ignore = true;
	/* A prepared table would be stale now. */
	hd_free(dst->rule_sev);
	dst->rule_sev = NULL;
	return 0;
}

/* Config file names, in reading order within one directory (the later wins). */
static const char *const cfg_names[] = { ".hadolint.yaml", ".hadolint.yml", ".hardock.yaml", ".hardock.yml" };

struct tree_cfg {
	char *dir;               /* the directory holding config files; "" for none anywhere */
	size_t up;               /* the configuration of the directories above, or SIZE_MAX */
	struct hd_config cfg;    /* prepared */
};

struct tree_dir {
	char *dir;               /* a resolved directory */
	size_t cfg;              /* index into cfgs of its configuration */
};

struct hd_config_tree {
	struct hd_config cli;
	struct tree_cfg **cfgs;
	size_t n_cfgs, alloc_cfgs;
	struct tree_dir *dirs;   /* hash table, open addressing; dir NULL = free */
	size_t n_dirs, cap_dirs;
	size_t none;             /* the configuration with no config file, or SIZE_MAX */
	char last_in[PATH_MAX];  /* the last directory asked for, as given, and its answer */
	const struct hd_config *last;
	char last_real[PATH_MAX]; /* last_in resolved */
};

int hd_config_tree_new(const struct hd_config *cli, struct hd_config_tree **ret)
{
	struct hd_config_tree *t = hd_calloc(1, sizeof(*t));
	int r;

	if (!t)
		return -HD_ENOMEM;
	hd_config_init(&t->cli);
	t->none = SIZE_MAX;
	r = hd_config_apply(&t->cli, cli);
	if (r < 0) {
		hd_config_tree_free(t);
		return r;
	}
	*ret = t;
	return 0;
}

void hd_config_tree_free(struct hd_config_tree *t)
{
	size_t i;

	if (!t)
		return;
	for (i = 0; i < t->n_cfgs; i++) {
		hd_free(t->cfgs[i]->dir);
		hd_config_release(&t->cfgs[i]->cfg);
		hd_free(t->cfgs[i]);
	}
	for (i = 0; i < t->cap_dirs; i++)
		hd_free(t->dirs[i].dir);
	hd_free(t->cfgs);
	hd_free(t->dirs);
	hd_config_release(&t->cli);
	hd_free(t);
}

static size_t hash_str(const char *s)
{
	size_t h = 1469598103934665603u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 1099511628211u;
	return h;
}

static struct tree_dir *dir_slot(struct hd_config_tree *t, const char *dir)
{
	size_t i = hash_str(dir) & (t->cap_dirs - 1);

	while (t->dirs[i].dir && strcmp(t->dirs[i].dir, dir) != 0)
		i = (i + 1) & (t->cap_dirs - 1);
	return &t->dirs[i];
}

static int dir_put(struct hd_config_tree *t, const char *dir, size_t cfg)
{
	struct tree_dir *d;

	if ((t->n_dirs + 1) * 2 > t->cap_dirs) {
		struct tree_dir *old = t->dirs;
		size_t i, cap = t->cap_dirs ? t->cap_dirs * 2 : 64;

		t->dirs = hd_calloc(cap, sizeof(*t->dirs));
		if (!t->dirs) {
			t->dirs = old;
			return -HD_ENOMEM;
		}
		t->cap_dirs = cap;
		for (i = 0; i < cap / 2; i++) {
			if (old && old[i].dir)
				*dir_slot(t, old[i].dir) = old[i];
		}
		hd_free(old);
	}
	d = dir_slot(t, dir);
	if (d->dir)
		return 0;
	d->dir = hd_strdup(dir);
	if (!d->dir)
		return -HD_ENOMEM;
	d->cfg = cfg;
	t->n_dirs++;
	return 0;
}

static bool has_config_files(const char *dir)
{
	char path[PATH_MAX + 32];
	struct stat st;
	size_t i;

	for (i = 0; i < HD_ARRAY_SIZE(cfg_names); i++) {
		snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "", cfg_names[i]);
		if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
			return true;
	}
	return false;
}

/* Reads the config files of dir into c, in cfg_names order. */
static int load_dir_files(struct hd_config *c, const char *dir, struct hd_diag *diag)
{
	char path[PATH_MAX + 32];
	struct stat st;
	size_t i;
	int r;

	for (i = 0; i < HD_ARRAY_SIZE(cfg_names); i++) {
		snprintf(path, sizeof(path), "%s/%s", strcmp(dir, "/") ? dir : "", cfg_names[i]);
		if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
			continue;
		r = hd_config_load_file(c, path, diag);
		if (r < 0)
			return r;
	}
	return 0;
}

/*
 * A new configuration for directory dir (NULL: for directories with no
 * config file anywhere above them) holding the config files of dir and of
 * the directories above it that have some (through `up`, the configuration
 * of the directory above), the farthest read first, then the command line.
 */
static int new_cfg(struct hd_config_tree *t, const char *dir, size_t up, size_t *ret, struct hd_diag *diag)
{
	const char *chain[256];
	struct tree_cfg *tc;
	size_t n = 0, k, i;
	int r = 0;

	if (dir) {
		chain[n++] = dir;
		for (k = up; k != SIZE_MAX && t->cfgs[k]->dir[0] && n < HD_ARRAY_SIZE(chain); k = t->cfgs[k]->up)
			chain[n++] = t->cfgs[k]->dir;
	}
	if (HD_GROW(t->cfgs, t->alloc_cfgs, t->n_cfgs + 1) < 0)
		return -HD_ENOMEM;
	tc = hd_calloc(1, sizeof(*tc));
	if (!tc)
		return -HD_ENOMEM;
	hd_config_init(&tc->cfg);
	tc->up = dir ? up : SIZE_MAX;
	tc->dir = hd_strdup(dir ? dir : "");
	if (!tc->dir)
		r = -HD_ENOMEM;
	for (i = n; r >= 0 && i-- > 0;)
		r = load_dir_files(&tc->cfg, chain[i], diag);
	if (r >= 0)
		r = hd_config_apply(&tc->cfg, &t->cli);
	if (r >= 0)
		r = hd_config_prepare(&tc->cfg);
	if (r < 0) {
		hd_free(tc->dir);
		hd_config_release(&tc->cfg);
		hd_free(tc);
		return r;
	}
	t->cfgs[t->n_cfgs] = tc;
	*ret = t->n_cfgs++;
	return 0;
}

static int parent_of(const char *real, char *out)
{
	const char *slash = strrchr(real, '/');

	if (!slash || strcmp(real, "/") == 0)
		return -HD_ENOENT;
	if (slash == real)
		snprintf(out, PATH_MAX, "/");
	else
		snprintf(out, PATH_MAX, "%.*s", (int)(slash - real), real);
	return 0;
}

/* The index of the configuration of resolved directory real. */
static int resolve_dir(struct hd_config_tree *t, const char *real, unsigned depth, size_t *ret,
		       struct hd_diag *diag)
{
	char parent[PATH_MAX];
	struct tree_dir *d;
	size_t up;
	int r;

	if (t->cap_dirs && (d = dir_slot(t, real))->dir) {
		*ret = d->cfg;
		return 0;
	}
	if (depth > PATH_MAX / 2)
		return -HD_ELOOP;
	if (parent_of(real, parent) == 0) {
		r = resolve_dir(t, parent, depth + 1, &up, diag);
		if (r < 0)
			return r;
	} else {
		/* The file system's root: above it, no config file at all. */
		if (t->none == SIZE_MAX) {
			r = new_cfg(t, NULL, SIZE_MAX, &t->none, diag);
			if (r < 0)
				return r;
		}
		up = t->none;
	}
	if (has_config_files(real)) {
		r = new_cfg(t, real, up, ret, diag);
		if (r < 0)
			return r;
	} else {
		*ret = up; /* no file here: the configuration of the directory above */
	}
	return dir_put(t, real, *ret);
}

int hd_config_tree_get(struct hd_config_tree *t, const char *dir, const struct hd_config **ret,
		       struct hd_diag *diag)
{
	char real[PATH_MAX];
	size_t k;
	int r;

	/* Files of one directory come one after another in a walk. */
	if (t->last && strcmp(t->last_in, dir) == 0) {
		*ret = t->last;
		return 0;
	}
	if (!realpath(dir[0] ? dir : ".", real))
		return hd_diag_set(diag, dir, 0, 0, "cannot resolve directory: %s", strerror(errno));
	r = resolve_dir(t, real, 0, &k, diag);
	if (r < 0)
		return r;
	*ret = &t->cfgs[k]->cfg;
	if (strlen(dir) < sizeof(t->last_in)) {
		memcpy(t->last_in, dir, strlen(dir) + 1);
		memcpy(t->last_real, real, strlen(real) + 1);
		t->last = *ret;
	}
	return 0;
}

const char *hd_config_tree_real(const struct hd_config_tree *t, const char *dir)
{
	return t && t->last && strcmp(t->last_in, dir) == 0 ? t->last_real : NULL;
}
