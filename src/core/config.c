/*
 * Configuration: .hardock.yaml and .hadolint.yaml readers, discovery from the
 * current directory upward, and the questions rules and the driver ask of it.
 * Unknown keys and wrong types are errors with the file, line and column.
 */
#include "core/common.h"
#include "core/buf.h"
#include "core/config.h"
#include "parse/yaml.h"

#include <sys/stat.h>
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
	for (i = 0; i < c->n_overrides; i++)
		hd_free(c->overrides[i].id);
	hd_free(c->overrides);
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
	return strcmp(id, r->id) == 0 || hd_rule_has_ref(r->hadolint, id) ||
	       (r->cis && strncmp(id, "CIS-", 4) == 0 && hd_rule_has_ref(r->cis, id + 4));
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

static int read_strlist(struct cfg_reader *rd, struct fy_node *n, const char *key,
			struct hd_strlist *out)
{
	struct fy_node *item;
	void *it = NULL;
	const char *s;
	int r;

	if ((s = hd_yaml_scalar(n))) {
		/* A single string is accepted where a list is expected. */
		return hd_strlist_add(out, s);
	}
	if (fy_node_get_type(n) != FYNT_SEQUENCE)
		return cfg_err(rd, n, "'%s' expects a list of strings", key);
	while ((item = fy_node_sequence_iterate(n, &it))) {
		s = hd_yaml_scalar(item);
		if (!s)
			return cfg_err(rd, item, "'%s' expects a list of strings", key);
		r = hd_strlist_add(out, s);
		if (r < 0)
			return r;
	}
	return 0;
}

static int read_severity(struct cfg_reader *rd, struct fy_node *n, const char *key, enum hd_severity *out)
{
	const char *s = hd_yaml_scalar(n);
	int sev;

	if (!s)
		return cfg_err(rd, n, "'%s' expects a severity (info, low, medium, high, critical)", key);
	sev = hd_severity_from_name(s);
	if (sev < 0)
		return cfg_err(rd, n, "unknown severity '%s': expected info, low, medium, high, critical or none", s);
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
		if (hd_severity_from_name(ks) >= 0 && v && fy_node_get_type(v) == FYNT_SEQUENCE) {
			struct hd_strlist ids = { 0 };
			size_t i;

			sev = (enum hd_severity)hd_severity_from_name(ks);
			r = read_strlist(rd, v, key, &ids);
			for (i = 0; r >= 0 && i < ids.n; i++)
				r = hd_config_set_override(rd->c, ids.v[i], sev);
			hd_strlist_release(&ids);
			if (r < 0)
				return r;
			continue;
		}
		r = read_severity(rd, v, ks, &sev);
		if (r < 0)
			return r;
		r = hd_config_set_override(rd->c, ks, sev);
		if (r < 0)
			return r;
	}
	return 0;
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

/* One top-level setting: 1 when it is a config setting (read), 0 when not, or an error. */
static int read_setting(struct cfg_reader *rd, const char *key, struct fy_node *v)
{
	int r = 0;

	if (!strcmp(key, "ignored") || !strcmp(key, "ignore") || !strcmp(key, "ignored-rules"))
		r = read_strlist(rd, v, key, &rd->c->ignored);
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
	else if (!strcmp(key, "no-inline-ignore") || !strcmp(key, "disable-ignore-pragma"))
		rd->c->no_inline_ignore = hd_yaml_is_true(v);
	else if (!strcmp(key, "no-fail") || !strcmp(key, "no-color") || !strcmp(key, "format") ||
		 !strcmp(key, "output-format") || !strcmp(key, "strict-labels"))
		; /* hadolint CLI settings with no meaning for hardock's config file */
	else
		return 0;
	return r < 0 ? r : 1;
}

int hd_config_read_setting(struct hd_config *c, const char *path, const char *key, struct fy_node *v,
			   struct hd_diag *diag)
{
	struct cfg_reader rd = { c, path, diag };

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
				       "trusted-registries, allowed-base-images, allowed-images, "
				       "allowed-mount-prefixes, engine-sockets, required-labels or "
				       "no-inline-ignore", key);
	}
	return 0;
}

int hd_config_load_file(struct hd_config *c, const char *path, struct hd_diag *diag)
{
	struct hd_buf b = HD_BUF_INIT(1024 * 1024);
	struct fy_document *doc = NULL;
	struct cfg_reader rd = { c, path, diag };
	int r;

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
